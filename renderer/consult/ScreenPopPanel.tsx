import { useTranslation } from 'react-i18next';
import { Pin } from 'lucide-react';
import { formatDateTime, formatDay } from '../i18n/format';
import { useStore } from 'zustand';
import type { SyncStatus } from '../../shared/contract';
import type { ConsultationStore } from './consultation-store';


/**
 * Who is calling and what they called about before, with the entries likeliest to answer them:
 * on the screen while the call rings. Every caller-supplied string is shown as text.
 */
export function ScreenPopPanel({ store, sync, openEntry }: { store: ConsultationStore; sync: SyncStatus | null; openEntry: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const s = useStore(store);
  const c = s.current;
  if (!c) return <p className="meta idle">{t('consult.idleCaller')}</p>;
  const pop = c.pop;
  const caller = pop?.caller;
  const who =
    !caller || caller.kind === 'withheld'
      ? t('consult.withheld')
      : caller.kind === 'e164'
        ? caller.national
        : caller.kind === 'short'
          ? caller.code
          : t('consult.unknownCaller', { raw: caller.raw });
  return (
    <section className="screen-pop" aria-label={t('consult.pop')} data-pop={pop ? 'ready' : 'loading'}>
      <h3>
        {c.callerName ? `${c.callerName} · ` : ''}
        {who}
      </h3>
      {!pop && !c.popError && <p>{t('consult.loading')}</p>}
      {c.popError && <p role="alert">{t('consult.popFailed', { message: c.popError })}</p>}
      {pop && (
        <>
          <p className="pop-flags">
            {t('consult.calls30', { count: pop.callsLast30Days })}
            {pop.flags.repeat && <strong className="flag"> {t('consult.repeat')}</strong>}
            {pop.flags.unresolved && <strong className="flag"> {t('consult.unresolved')}</strong>}
          </p>
          {pop.protection.abusiveEnds > 0 && pop.protection.lastAbusiveAt && (
            <p className="pop-protection" role="note" data-protection={pop.protection.abusiveEnds}>
              <strong>{t('consult.abusive', { date: formatDay(pop.protection.lastAbusiveAt, i18n.language) })}</strong> {t('consult.abusiveCount', { count: pop.protection.abusiveEnds })}
            </p>
          )}
          {sync?.state === 'offline' && <p className="pop-offline">{t('consult.offline', { time: sync.lastSyncedAt ? formatDateTime(sync.lastSyncedAt, i18n.language) : t('sync.never') })}</p>}
          {pop.openCallbacks.length > 0 && (
            <div role="group" aria-label={t('consult.callbacks')}>
              <h4>{t('consult.callbacks')}</h4>
              <ul>
                {pop.openCallbacks.map((h) => (
                  <li key={h.id}>
                    {formatDay(h.startedAt, i18n.language)} · {h.category}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div role="group" aria-label={t('consult.suggestions')}>
            <h4>{t('consult.suggestions')}</h4>
            <ol>
              {pop.suggestions.map((e) => (
                <li key={e.id} data-suggestion={e.id}>
                  <button type="button" className="link-button" aria-label={t('consult.open', { title: e.title })} onClick={() => openEntry(e.id)}>
                    {e.title}
                  </button>{' '}
                  <span className="category">{e.category}</span> <span className="reasons">{e.reasons.map((r) => t(`consult.reasons.${r}`)).join(' · ')}</span>{' '}
                  <button type="button" aria-pressed={c.pinned.includes(e.id)} aria-label={t('consult.pin', { title: e.title })} className="icon-button" onClick={() => s.togglePin(e.id)}>
                    <Pin aria-hidden size={16} fill={c.pinned.includes(e.id) ? 'currentColor' : 'none'} />
                  </button>
                </li>
              ))}
            </ol>
          </div>
          <div role="group" aria-label={t('consult.history')}>
            <h4>{t('consult.history')}</h4>
            {pop.items.length === 0 ? (
              <p>{t('consult.noHistory')}</p>
            ) : (
              <ul>
                {pop.items.map((h) => (
                  <li key={h.id} data-history={h.id}>
                    {formatDay(h.startedAt, i18n.language)} · {h.channel ? `${t(`consult.channels.${h.channel}`)} · ` : ''}
                    {h.category} · {t(`consult.outcomes.${h.outcome}`)}
                    {h.endReason && <strong className="flag"> {t('consult.endedAbusive')}</strong>}
                    {h.notes ? ` · ${h.notes}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </section>
  );
}
