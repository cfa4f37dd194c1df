import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { DeviceStore } from './device-store';
import { DEVICE_ROLES, type DeviceRole } from './devices';

const AUTO_ANSWER_CHOICES = [0, 3, 5, 10] as const;

export interface DeviceSettingsProps {
  devices: DeviceStore;
  /** Seconds, or null for off. */
  autoAnswer: number | null;
  onAutoAnswer(seconds: number | null): void;
  headset: { name: string | null; supported: boolean; connect(): void };
  notifications: { permission: NotificationPermission | 'unsupported'; request(): void };
}

const ROLE_LABEL: Record<DeviceRole, string> = { microphone: 'devices.microphone', call: 'devices.call', ringer: 'devices.ringer' };

/** A headset unplugged or back: on the main screen, not in the settings dialog, so the agent sees it. */
export function DeviceNotices({ devices }: { devices: DeviceStore }) {
  const { t } = useTranslation();
  const d = useStore(devices);
  return d.notices.map((n) => (
    <p key={n.id} role="alert" className={`notice notice-${n.kind}`}>
      {t(n.kind === 'fallback' ? 'devices.fallback' : 'devices.restored', { device: n.device })}{' '}
      <button type="button" onClick={() => d.dismissNotice(n.id)}>
        {t('devices.dismiss')}
      </button>
    </p>
  ));
}

/** Microphone, call output and ringer output; auto-answer; headset buttons; notifications. */
export function DeviceSettings({ devices, autoAnswer, onAutoAnswer, headset, notifications }: DeviceSettingsProps) {
  const { t } = useTranslation();
  const d = useStore(devices);
  return (
    <fieldset className="device-settings">
      <legend>{t('devices.label')}</legend>
      {DEVICE_ROLES.map((role) => (
        <label key={role}>
          {t(ROLE_LABEL[role])}{' '}
          <select value={d.preferences[role]?.deviceId ?? ''} onChange={(e) => d.choose(role, e.target.value)}>
            <option value="">{t('devices.default')}</option>
            {d.devices[role].map((dev) => (
              <option key={dev.deviceId} value={dev.deviceId}>
                {dev.label || dev.deviceId.slice(0, 8)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        {t('devices.autoAnswer')}{' '}
        <select value={autoAnswer ?? 'off'} onChange={(e) => onAutoAnswer(e.target.value === 'off' ? null : Number(e.target.value))}>
          <option value="off">{t('devices.autoAnswerOff')}</option>
          {AUTO_ANSWER_CHOICES.map((s) => (
            <option key={s} value={s}>
              {t('devices.autoAnswerAfter', { seconds: s })}
            </option>
          ))}
        </select>
      </label>
      {headset.supported ? (
        headset.name ? (
          <p>{t('devices.headsetConnected', { name: headset.name })}</p>
        ) : (
          <button type="button" onClick={headset.connect}>
            {t('devices.headset')}
          </button>
        )
      ) : (
        <p>{t('devices.headsetUnsupported')}</p>
      )}
      {notifications.permission === 'default' && (
        <button type="button" onClick={notifications.request}>
          {t('devices.notifications')}
        </button>
      )}
    </fieldset>
  );
}
