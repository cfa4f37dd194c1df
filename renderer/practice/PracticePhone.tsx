import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IVR_HEADER, IVR_MENU } from '../../shared/ivr';
import { useStore } from 'zustand';
import type { PracticeConfig } from '../../shared/practice';
import type { DeviceStore } from '../phone/device-store';
import { PhonePanel } from '../phone/PhonePanel';
import { PhoneStatus } from '../phone/PhoneStatus';
import type { PhoneStore } from '../phone/phone-store';

// One header a line, "Name: value"; anything else is ignored rather than sent broken.
// Long enough for a monitoring grant (a trainer may replay one to show it is refused).
const SIP_HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]{0,40}: [^\r\n]{1,1500}$/;

/** The practice phone: registration, a number to call (the representative number), and the call. */
export function PracticePhone({ config, phone, devices, applySink }: { config: PracticeConfig | null; phone: PhoneStore; devices: DeviceStore; applySink: (el: HTMLAudioElement, id: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const callSink = useStore(devices, (s) => s.choices.call.deviceId);
  const [callerId, setCallerId] = useState('');
  const [ivr, setIvr] = useState('');
  const [extra, setExtra] = useState('');
  // What the city's PBX would add to a citizen's call: the network's caller id and the IVR choice;
  // trainers may add any header (Privacy: id, a display name, a deliberately odd identity).
  const headers = () => [
    ...(config && /^\+?\d{3,15}$/.test(callerId) ? [`P-Asserted-Identity: <sip:${callerId}@${config.account.domain}>`] : []),
    ...(ivr ? [`${IVR_HEADER}: ${ivr}`] : []),
    ...extra.split('\n').map((l) => l.trim()).filter((l) => SIP_HEADER_LINE.test(l)),
  ];
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
            <PhonePanel store={phone} callSink={callSink} applySink={applySink} initialTarget={config.number} dialHeaders={headers}>
              <input aria-label={t('practice.callerId')} placeholder={t('practice.callerId')} value={callerId} inputMode="tel" onChange={(e) => setCallerId(e.target.value.trim())} />
              <select aria-label={t('practice.ivr')} value={ivr} onChange={(e) => setIvr(e.target.value)}>
                <option value="">{t('practice.noIvr')}</option>
                {Object.keys(IVR_MENU).map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </PhonePanel>
            <label>
              {t('practice.headers')}
              <textarea rows={3} value={extra} onChange={(e) => setExtra(e.target.value)} />
            </label>
          </>
        ) : (
          <p role="alert">{t('practice.noAccount')}</p>
        )}
      </main>
    </div>
  );
}
