import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { CALLBACK_OUTCOMES, type Callback, type CallbackOutcome } from '../../shared/callback';
import { elapsed } from '../core/elapsed';
import type { PolledStore } from '../core/polled-store';
import { useNow } from '../core/use-now';
import { formatClock, formatWhen } from '../i18n/format';
import type { BoardStore } from '../board/board-store';
import type { BookingsStore } from './bookings-store';
import { AssignToAgent, CountTile, useLeadAction } from './lead-parts';
import { national, reasonText } from './read-aloud';

export interface LeadQueue {
  open: Callback[];
  failed: Callback[];
}

export interface LeadActions {
  assign(id: string, agent: string): Promise<unknown>;
  cancel(id: string): Promise<unknown>;
  /** Settles an attempt its agent never did (a desk gone mid-dial). */
  settle(id: string, attemptId: string, outcome: CallbackOutcome): Promise<unknown>;
}

/** A waiting callback this long past its due time is overdue: due callbacks are offered within seconds when anyone is ready. */
export const OVERDUE_MS = 15 * 60_000;

const waiting = (c: Callback) => c.state === 'pending' || c.state === 'offered';

/**
 * The team lead's view of the work that is not a live call: how many callbacks wait and for how
 * long, which are overdue, in flight or failed; give one to an agent, call one off, settle an
 * attempt whose agent never did; and the day's reservations.
 */
export function LeadWork({ queue, bookings, board, actions }: { queue: PolledStore<LeadQueue>; bookings: BookingsStore; board: BoardStore; actions: LeadActions }) {
  const { t, i18n } = useTranslation();
  const ids = { open: useId(), failed: useId(), day: useId() };
  const { value, error } = useStore(queue);
  const day = useStore(bookings);
  const now = useNow(true, 1000);
  // The agents a callback can be given to: those on the board, by the names leads know them by.
  const agents = useStore(board, (b) => b.value)?.agents ?? [];
  const names = new Map(agents.map((a) => [a.username, a.displayName]));
  const nameOf = (username: string) => names.get(username) ?? username;
  const { busy, failure, act } = useLeadAction(() => queue.getState().refresh());
  const [outcomeOf, setOutcomeOf] = useState<Record<string, CallbackOutcome>>({});
  useEffect(() => queue.getState().watch(), [queue]);
  useEffect(() => void bookings.getState().load(), [bookings]);

  const open = value?.open ?? [];
  const failed = value?.failed ?? [];
  const inLine = open.filter(waiting);
  const oldest = inLine[0];
  const overdue = inLine.filter((c) => now - Date.parse(c.dueAt) > OVERDUE_MS);
  const inFlight = open.filter((c) => c.openAttempt);
  const sources = (c: Callback) => c.sources.map((s) => t(`work.sources.${s}`)).join(', ');
  const where = (c: Callback) =>
    c.openAttempt
      ? t('work.lead.dialledBy', { agent: nameOf(c.openAttempt.agent), since: elapsed(Date.parse(c.openAttempt.startedAt), now) })
      : c.offeredTo
        ? t('work.lead.offeredTo', { agent: nameOf(c.offeredTo) })
        : c.owner
          ? t('work.lead.keptBy', { agent: nameOf(c.owner) })
          : t('work.lead.everyone');

  return (
    <section className="lead-work" aria-label={t('work.lead.title')}>
      <h2>{t('work.lead.title')}</h2>
      <div role="status" className="tiles">
        <CountTile
          label={t('work.lead.waiting')}
          count={inLine.length}
          alert={inLine.length > 0}
          sub={oldest && t('board.tiles.longest', { longest: elapsed(Date.parse(oldest.askedAt), now) })}
        />
        <CountTile label={t('work.lead.overdue')} count={overdue.length} alert={overdue.length > 0} />
        <CountTile label={t('work.lead.inFlight')} count={inFlight.length} alert={false} />
        <CountTile label={t('work.lead.failed')} count={failed.length} alert={failed.length > 0} />
        {error && <p className="tile tile-alert">{t('board.stale', { message: error })}</p>}
      </div>
      {failure && <p role="alert">{reasonText(t, failure)}</p>}

      <h3 id={ids.open}>{t('work.lead.openTitle')}</h3>
      {open.length === 0 ? (
        <p className="meta">{t('work.lead.noneOpen')}</p>
      ) : (
        <table aria-labelledby={ids.open}>
          <thead>
            <tr>
              <th scope="col">{t('work.lead.number')}</th>
              <th scope="col">{t('work.lead.source')}</th>
              <th scope="col">{t('work.lead.waited')}</th>
              <th scope="col">{t('work.lead.due')}</th>
              <th scope="col">{t('work.lead.attempts')}</th>
              <th scope="col">{t('work.lead.where')}</th>
              <th scope="col">{t('work.lead.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {open.map((c) => {
              const who = national(c.number);
              const attempt = c.openAttempt;
              const late = waiting(c) && now - Date.parse(c.dueAt) > OVERDUE_MS;
              return (
                <tr key={c.id} data-callback={c.id}>
                  <th scope="row">{who}</th>
                  <td>{sources(c)}</td>
                  <td>{elapsed(Date.parse(c.askedAt), now)}</td>
                  <td>
                    <time dateTime={c.dueAt}>{formatWhen(c.dueAt, i18n.language)}</time>
                    {late && <strong className="late"> {t('work.lead.late')}</strong>}
                  </td>
                  <td>{t('work.lead.attemptsOf', { count: c.attempts, max: c.maxAttempts })}</td>
                  <td>{where(c)}</td>
                  <td className="lead-actions">
                    {attempt ? (
                      <>
                        <select aria-label={t('work.lead.outcomeFor', { who })} value={outcomeOf[c.id] ?? 'no-answer'} onChange={(e) => setOutcomeOf({ ...outcomeOf, [c.id]: e.target.value as CallbackOutcome })}>
                            {CALLBACK_OUTCOMES.map((o) => (
                              <option key={o} value={o}>
                                {t(`work.outcomes.${o}`)}
                              </option>
                            ))}
                          </select>
                        <button type="button" disabled={busy} aria-label={t('work.lead.settleFor', { who })} onClick={() => act(() => actions.settle(c.id, attempt.id, outcomeOf[c.id] ?? 'no-answer'))}>
                          {t('work.lead.settle')}
                        </button>
                      </>
                    ) : (
                      <>
                        <AssignToAgent
                          agents={agents}
                          busy={busy}
                          selectLabel={t('work.lead.assignTo', { who })}
                          buttonLabel={t('work.lead.assignFor', { who })}
                          onAssign={(agent) => act(() => actions.assign(c.id, agent))}
                        />
                        <button type="button" disabled={busy} aria-label={t('work.cancelOf', { who })} onClick={() => act(() => actions.cancel(c.id))}>
                          {t('work.cancel')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h3 id={ids.failed}>{t('work.lead.failedTitle')}</h3>
      {failed.length === 0 ? (
        <p className="meta">{t('work.lead.noneFailed')}</p>
      ) : (
        <table aria-labelledby={ids.failed}>
          <thead>
            <tr>
              <th scope="col">{t('work.lead.number')}</th>
              <th scope="col">{t('work.lead.source')}</th>
              <th scope="col">{t('work.lead.asked')}</th>
              <th scope="col">{t('work.lead.attempts')}</th>
              <th scope="col">{t('work.lead.lastOutcome')}</th>
            </tr>
          </thead>
          <tbody>
            {failed.map((c) => (
              <tr key={c.id}>
                <th scope="row">{national(c.number)}</th>
                <td>{sources(c)}</td>
                <td>
                  <time dateTime={c.askedAt}>{formatWhen(c.askedAt, i18n.language)}</time>
                </td>
                <td>{t('work.lead.attemptsOf', { count: c.attempts, max: c.maxAttempts })}</td>
                <td>{c.lastOutcome ? t(`work.outcomes.${c.lastOutcome}`) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="lead-day">
        <h3 id={ids.day}>{t('work.lead.dayTitle')}</h3>
        <label>
          {t('work.lead.day')}
          <input type="date" value={day.dayOf} onChange={(e) => e.target.value && void bookings.getState().load(e.target.value)} />
        </label>
      </div>
      {day.day.length === 0 ? (
        <p className="meta">{t('work.lead.noneDay')}</p>
      ) : (
        <table aria-labelledby={ids.day}>
          <thead>
            <tr>
              <th scope="col">{t('work.lead.time')}</th>
              <th scope="col">{t('work.lead.topic')}</th>
              <th scope="col">{t('work.lead.number')}</th>
              <th scope="col">{t('work.lead.state')}</th>
              <th scope="col">{t('work.lead.bookedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {day.day.map((r) => (
              <tr key={r.id}>
                <td>
                  <time dateTime={r.startAt}>{formatClock(r.startAt, i18n.language)}</time>
                </td>
                <td>{r.topic ?? r.slotId}</td>
                <th scope="row">{national(r.number)}</th>
                <td>{t(`work.states.${r.state}`)}</td>
                <td>{r.bookedBy === 'web' ? t('work.lead.byWeb') : nameOf(r.bookedBy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
