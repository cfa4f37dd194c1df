import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { causeKey } from './call-causes';
import type { PhoneStore } from './phone-store';

/** The phone's registration, always in view: an unregistered phone gets no calls. */
export function PhoneStatus({ store }: { store: PhoneStore }) {
  const { t } = useTranslation();
  const r = useStore(store, (s) => s.registration);
  const text =
    r.state === 'registered'
      ? t('phone.registered', { as: r.as })
      : r.state === 'failed'
        ? t('phone.failed', { reason: t(`phone.causes.${causeKey(r.reason)}`) })
        : t(`phone.${r.state}`);
  return (
    <span className={`phone phone-${r.state}`} role="status" aria-live="polite" aria-label={t('phone.label')}>
      {text}
    </span>
  );
}
