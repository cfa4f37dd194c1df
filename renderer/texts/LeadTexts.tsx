import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { TextThread } from '../../shared/text-inquiry';
import type { BoardStore } from '../board/board-store';
import { elapsed } from '../core/elapsed';
import type { PolledStore } from '../core/polled-store';
import { useNow } from '../core/use-now';
import { formatWhen } from '../i18n/format';
import { AssignToAgent, CountTile, useLeadAction } from '../work/lead-parts';
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
  const { busy, failure, act } = useLeadAction(() => threads.getState().refresh());
  useEffect(() => threads.getState().watch(), [threads]);
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
        <CountTile
          label={t('texts.lead.unanswered')}
          count={unanswered.length}
          alert={unanswered.length > 0}
          sub={oldest && t('board.tiles.longest', { longest: elapsed(Date.parse(oldest.lastInAt), now) })}
        />
        <CountTile label={t('texts.lead.late')} count={late.length} alert={late.length > 0} />
        <CountTile label={t('texts.lead.open')} count={open.length} alert={false} />
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
                    <AssignToAgent
                      agents={agents}
                      busy={busy}
                      selectLabel={t('texts.lead.assignTo', { who: number })}
                      buttonLabel={t('texts.lead.assignFor', { who: number })}
                      onAssign={(agent) => act(() => actions.assign(th.id, agent))}
                    />
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
