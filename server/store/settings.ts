import { DEFAULT_SETTINGS, settingSchema, type CitySettings, type Setting, type SettingKey } from '../../shared/settings';
import { putIfChanged } from './change-log';
import { value, type Db } from './sql';

/** Publishes a desk setting when it is new or changed; returns whether it was. */
export async function putSetting(db: Db, setting: Setting): Promise<boolean> {
  const s = settingSchema.parse(setting) as Setting;
  return putIfChanged(db, { table: 'settings', key: 'key', value: 'value', kind: 'setting' }, s.key, JSON.stringify(s.value), s);
}

/** A setting as the city has it, or its default. */
export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<CitySettings[K]> {
  const stored = await value<string>(db, 'SELECT value FROM settings WHERE key = ?', [key]);
  return stored === undefined ? DEFAULT_SETTINGS[key] : (JSON.parse(stored) as CitySettings[K]);
}
