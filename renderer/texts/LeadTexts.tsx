import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { TextThread } from '../../shared/text-inquiry';
import type { BoardStore } from '../board/board-store';
import { elapsed } from '../core/elapsed';
import type { PolledStore } from '../core/polled-store';
import { useNow } from '../core/use-now';
import { formatWhen } from '../i18n/format';
import { national, reasonText } from '../work/read-aloud';

export interface LeadTextActions {
  assign(id: string, agent: string): Promise<unknown>;
  /** Closes a thread that needs no wrap-up (a wrong number, spam). */
  close(id: string): Promise<unknown>;
}

/**
 * The team lead's view of citizens' texts under the board: how many wait for a first answer and
 * for how long, which are past the city's first-response time, who answers each; give one to an
 * agent, or close one that needs no answer.
 */
export function LeadTexts({ threads, board, actions }: { threads: PolledStore<TextThread[]>; board: BoardStore; actions: LeadTextActions }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { value, error } = useStore(threads);
  const now = useNow(true, 1000);
  const agents = useStore(board, (b) => b.value)?.agents ?? [];
  const nameOf = (username: string) => agents.find((a) => a.username === username)?.displayName ?? username;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [assignTo, setAssignTo] = useState<Record<string, string>>({});
  useEffect(() => threads.getState().watch(), [threads]);
  const act = (run: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    run()
      .catch((e: Error) => setFailure(e.message))
      .finally(() => {
        setBusy(false);
        threads.getState().refresh();
      });
  };
  const open = value ?? [];
  const unanswered = open.filter((th) => th.firstResponseAt === null);
  const late = unanswered.filter((th) => Date.parse(th.firstResponseDue) < now);
  const oldest = unanswered.reduce<TextThread | null>((a, th) => (a === null || th.lastInAt < a.lastInAt ? th : a), null);
  const who = (th: TextThread) =>
    th.assignedTo ? t('texts.lead.answeredBy', { agent: nameOf(th.assignedTo) }) : th.offeredTo ? t('work.lead.offeredTo', { agent: nameOf(th.offeredTo) }) : t('texts.standing.open');
  return (
    <section className="lead-work" aria-label={t('texts.lead.title')}>
      <h2>{t('texts.lead.title')}</h2>
      <div role="status" className="tiles">
        <p className={`tile${unanswered.length > 0 ? ' tile-alert' : ''}`}>
          <span className="tile-label">{t('texts.lead.unanswered')}</span> <strong>{t('work.lead.count', { count: unanswered.length })}</strong>
          {oldest && <span className="tile-sub"> {t('board.tiles.longest', { longest: elapsed(Date.parse(oldest.lastInAt), now) })}</span>}
        </p>
        <p className={`tile${late.length > 0 ? ' tile-alert' : ''}`}>
          <span className="tile-label">{t('texts.lead.late')}</span> <strong>{t('work.lead.count', { count: late.length })}</strong>
        </p>
        <p className="tile">
          <span className="tile-label">{t('texts.lead.open')}</span> <strong>{t('work.lead.count', { count: open.length })}</strong>
        </p>
        {error && <p className="tile tile-alert">{t('board.stale', { message: error })}</p>}
      </div>
      {failure && <p role="alert">{reasonText(t, failure)}</p>}
      <h3 id={id}>{t('texts.lead.openTitle')}</h3>
      {open.length === 0 ? (
        <p className="meta">{t('texts.none')}</p>
      ) : (
        <table aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">{t('work.lead.number')}</th>
              <th scope="col">{t('texts.lead.last')}</th>
              <th scope="col">{t('texts.lead.due')}</th>
              <th scope="col">{t('work.lead.where')}</th>
              <th scope="col">{t('work.lead.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {open.map((th) => {
              const number = national(th.number);
              const overdue = th.firstResponseAt === null && Date.parse(th.firstResponseDue) < now;
              return (
                <tr key={th.id} data-thread={th.id}>
                  <th scope="row">{number}</th>
                  <td>
                    <time dateTime={th.lastInAt}>{formatWhen(th.lastInAt, i18n.language)}</time> <span className="meta">{th.preview}</span>
                  </td>
                  <td>
                    {th.firstResponseAt === null ? <time dateTime={th.firstResponseDue}>{formatWhen(th.firstResponseDue, i18n.language)}</time> : t('texts.lead.answered')}
                    {overdue && <strong className="late"> {t('work.lead.late')}</strong>}
                  </td>
                  <td>{who(th)}</td>
                  <td className="lead-actions">
                    <select aria-label={t('texts.lead.assignTo', { who: number })} value={assignTo[th.id] ?? ''} onChange={(e) => setAssignTo({ ...assignTo, [th.id]: e.target.value })}>
                      <option value="">{t('work.lead.chooseAgent')}</option>
                      {agents.map((a) => (
                        <option key={a.username} value={a.username}>
                          {a.displayName}
                        </option>
                      ))}
                    </select>
                    <button type="button" disabled={busy || !assignTo[th.id]} aria-label={t('texts.lead.assignFor', { who: number })} onClick={() => act(() => actions.assign(th.id, assignTo[th.id] as string))}>
                      {t('work.lead.assign')}
                    </button>
                    <button type="button" disabled={busy} aria-label={t('texts.lead.closeFor', { who: number })} onClick={() => act(() => actions.close(th.id))}>
                      {t('texts.lead.close')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
