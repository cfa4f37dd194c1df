import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { PhoneStore } from './phone-store';

// JsSIP's failure causes the agent can act on, in their words.
const CAUSES: Record<string, string> = {
  'Authentication Error': 'auth',
  'Connection Error': 'connection',
  'Request Timeout': 'timeout',
};

/** The phone's registration, always in view: an unregistered phone gets no calls. */
export function PhoneStatus({ store }: { store: PhoneStore }) {
  const { t } = useTranslation();
  const r = useStore(store, (s) => s.registration);
  const text =
    r.state === 'registered'
      ? t('phone.registered', { as: r.as })
      : r.state === 'failed'
        ? t('phone.failed', { reason: t(`phone.cause.${CAUSES[r.reason] ?? 'other'}`, { cause: r.reason }) })
        : t(`phone.${r.state}`);
  return (
    <span className={`phone phone-${r.state}`} role="status" aria-live="polite" aria-label={t('phone.label')}>
      {text}
    </span>
  );
}
