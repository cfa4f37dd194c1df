import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { PracticeConfig } from '../../shared/practice';
import type { DeviceStore } from '../phone/device-store';
import { PhonePanel } from '../phone/PhonePanel';
import { PhoneStatus } from '../phone/PhoneStatus';
import type { PhoneStore } from '../phone/phone-store';

/** The practice phone: registration, a number to call (the representative number), and the call. */
export function PracticePhone({ config, phone, devices, applySink }: { config: PracticeConfig | null; phone: PhoneStore; devices: DeviceStore; applySink: (el: HTMLAudioElement, id: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const callSink = useStore(devices, (s) => s.choices.call.deviceId);
  return (
    <div className="app practice">
      <header>
        <h1>{t('practice.title')}</h1>
        <PhoneStatus store={phone} />
      </header>
      <main>
        {config ? (
          <>
            <p>{t('practice.hint', { number: config.number })}</p>
            <PhonePanel store={phone} callSink={callSink} applySink={applySink} initialTarget={config.number} />
          </>
        ) : (
          <p role="alert">{t('practice.noAccount')}</p>
        )}
      </main>
    </div>
  );
}
