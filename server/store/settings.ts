import { DEFAULT_SETTINGS, settingSchema, type CitySettings, type Setting, type SettingKey } from '../../shared/settings';
import { publishChange } from './change-log';
import type { Db } from './db';

/** Publishes a desk setting when it is new or changed; returns whether it was. */
export function putSetting(db: Db, setting: Setting): boolean {
  const s = settingSchema.parse(setting) as Setting;
  const value = JSON.stringify(s.value);
  if ((db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(s.key) as string | undefined) === value) return false;
  db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(s.key, value);
  publishChange(db, 'setting', s.key, s);
  return true;
}

/** A setting as the city has it, or its default. */
export function getSetting<K extends SettingKey>(db: Db, key: K): CitySettings[K] {
  const stored = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return stored === undefined ? DEFAULT_SETTINGS[key] : (JSON.parse(stored) as CitySettings[K]);
}
