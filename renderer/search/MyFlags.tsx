import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Flag as FlagIcon } from 'lucide-react';
import type { MyFlag } from '../../shared/contract';
import { formatWhen } from '../i18n/format';
import type { FlagsStore } from './flags-store';
import css from './SearchPanel.module.css';

/** "틀림 · 전송 대기", "오래됨 · 수정됨 (v4)": what was flagged and where it stands. */
function FlagLine({ flag }: { flag: MyFlag }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <span>
        {t(`entry.flagKinds.${flag.kind}`)} · <strong data-flag-state={flag.state}>{t(`entry.states.${flag.state}`, { version: flag.fixedVersion })}</strong>{' '}
        <time className="meta" dateTime={flag.at}>
          {formatWhen(flag.at, i18n.language)}
        </time>
      </span>
      {flag.note && <q className="meta">{flag.note}</q>}
      {flag.state === 'answered' && flag.reply && <span>{t('entry.reply', { reply: flag.reply })}</span>}
    </>
  );
}

/** The agent's flags on the entry on screen, in its pane. */
export function EntryFlags({ store, entryId }: { store: FlagsStore; entryId: string }) {
  const { t } = useTranslation();
  const flags = useStore(store, (s) => s.flags).filter((f) => f.entryId === entryId);
  if (flags.length === 0) return null;
  return (
    <section className={css.myFlags} aria-label={t('entry.mineOfEntry')}>
      <ul>
        {flags.map((f) => (
          <li key={f.id} data-flag={f.id}>
            <FlagIcon aria-hidden size={14} /> <FlagLine flag={f} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "내 신고": every flag of the agent's, each entry one click away; beside the agent's day once there is one. */
export function MyFlagsPanel({ store, openEntry }: { store: FlagsStore; openEntry: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const { flags, checkedAt } = useStore(store);
  if (flags.length === 0) return null;
  const stale = flags.some((f) => f.state === 'pending');
  return (
    <details className={`daily ${css.myFlags}`}>
      <summary>{t('entry.mineCount', { count: flags.length })}</summary>
      <ul aria-label={t('entry.mine')}>
        {flags.map((f) => (
          <li key={f.id} data-flag={f.id}>
            <button type="button" className="link-button" onClick={() => openEntry(f.entryId)}>
              {f.entryTitle}
            </button>
            <FlagLine flag={f} />
          </li>
        ))}
      </ul>
      {stale && checkedAt && <p className="meta">{t('entry.mineStale', { at: formatWhen(checkedAt, i18n.language) })}</p>}
    </details>
  );
}

/** A flag the department closed, told once on the line under the call bar until the agent says they saw it. */
export function FlagNotices({ store }: { store: FlagsStore }) {
  const { t } = useTranslation();
  const flags = useStore(store, (s) => s.flags);
  const notices = flags.filter((f) => f.notice);
  if (notices.length === 0) return null;
  return (
    <div role="region" aria-label={t('entry.noticeLabel')}>
      {notices.map((f) => (
        <p key={f.id} role="status" className="work-line flag-notice" data-flag-notice={f.id}>
          <FlagIcon aria-hidden size={18} />
          <span>{f.state === 'fixed' ? t('entry.noticeFixed', { title: f.entryTitle, version: f.fixedVersion }) : t('entry.noticeAnswered', { title: f.entryTitle, reply: f.reply })}</span>
          <button type="button" onClick={() => store.getState().seen([f.id])}>
            {t('entry.noticeSeen')}
          </button>
        </p>
      ))}
    </div>
  );
}
