import { settingSchema, type Setting } from '../../shared/settings';
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
