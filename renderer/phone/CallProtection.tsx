import { useTranslation } from 'react-i18next';
import { Megaphone, PhoneOff, ShieldExclamationPoint } from 'lucide-react';
import { totalWarnings, type Announcement } from '../../shared/recording';
import type { CallView, PhoneState } from './phone-store';
import css from './CallProtection.module.css';

/** i18n keys of the announcements (camelCase: an i18n key path never holds a dash). */
export const ANNOUNCEMENT_KEY: Readonly<Record<Announcement, 'abuseWarning' | 'recordingNotice'>> = {
  'abuse-warning': 'abuseWarning',
  'recording-notice': 'recordingNotice',
};

/**
 * What plays into the call now, for the agent, who does not hear it: a live region there from the
 * call's start (one that appears with its text is not reliably read out), empty while nothing plays.
 */
export function AnnouncementStatus({ announcing }: { announcing: CallView['announcing'] }) {
  const { t } = useTranslation();
  return (
    <span role="status">
      {announcing && (
        <span className={css.playing} data-announcing={announcing}>
          <Megaphone aria-hidden size={16} /> {t(`phone.protection.playing.${ANNOUNCEMENT_KEY[announcing]}`)}
        </span>
      )}
    </span>
  );
}

/**
 * The warnings given so far against the city's number, beside the call's timers: empty until the
 * first one, so a call without trouble shows nothing. Polite: the agent is talking, and hears the
 * count when they pause.
 */
export function WarningCount({ call, limit }: { call: CallView; limit: number }) {
  const { t } = useTranslation();
  const total = totalWarnings(call.warnings);
  return (
    <span className={css.count} role="status" data-warnings={total}>
      {total > 0 && (
        <>
          <strong>{t('phone.protection.count', { count: total, limit })}</strong>{' '}
          <span className={css.detail}>{t('phone.protection.detail', { played: call.warnings.played, spoken: call.warnings.spoken })}</span>
        </>
      )}
    </span>
  );
}

/**
 * The abusive-caller protocol on the citizen's connected call: the recorded warning (a button and
 * its function key), the warnings the agent gave in their own words, and — once the city's number
 * is reached — ending the call for that reason.
 */
export function CallProtection({ call, phone, warnKey, limit }: { call: CallView; phone: PhoneState; warnKey: string; limit: number }) {
  const { t } = useTranslation();
  // Not on hold (the caller would not hear it) and one announcement at a time; the store refuses
  // these too. aria-disabled, not disabled: the button keeps the focus it has while the warning plays.
  const unavailable = call.announcing !== null || call.held || call.remoteHeld;
  return (
    <div className={css.protection} role="group" aria-label={t('phone.protection.group')}>
      <button type="button" className="large" aria-keyshortcuts={warnKey} aria-disabled={unavailable} onClick={() => !unavailable && phone.warn()}>
        <ShieldExclamationPoint aria-hidden size={18} />
        {t('phone.protection.warn')} ({warnKey})
      </button>
      <button type="button" className="large" onClick={() => phone.countSpokenWarning()}>
        {t('phone.protection.spoken')}
      </button>
      {totalWarnings(call.warnings) >= limit && (
        <button type="button" className="danger large" onClick={() => phone.endAbusive()}>
          <PhoneOff aria-hidden size={18} />
          {t('phone.protection.end')}
        </button>
      )}
    </div>
  );
}
