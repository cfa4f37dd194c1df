import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { BoardAgent } from '../../shared/board';
import { duration, elapsed } from '../core/elapsed';
import { useNow } from '../core/use-now';
import { MONITOR_MODES } from '../../shared/monitoring';
import { RemoteAudio } from '../phone/CallCard';
import type { BoardStore } from './board-store';
import type { LeadMonitor } from './lead-monitor';

export interface MonitorControls {
  monitor: LeadMonitor;
  /** The call output device, where the monitored call plays. */
  sinkId: string;
  applySink: (el: HTMLAudioElement, id: string) => Promise<boolean>;
}


/**
 * The team lead's live board: every agent's state and time in it, and their day; on an agent's
 * call, listen, whisper or barge in (switching without redialling) and stop.
 */
export function TeamBoard({ store, controls }: { store: BoardStore; controls: MonitorControls }) {
  const { t } = useTranslation();
  const { value: board, error } = useStore(store);
  const monitor = useStore(controls.monitor);
  const session = monitor.session;
  useEffect(() => store.getState().watch(), [store]);
  const now = useNow(true, 1000);
  const count = (state: BoardAgent['state']) => board?.agents.filter((a) => a.state === state && !a.protectedBreak).length ?? 0;
  const protectedBreaks = board?.agents.filter((a) => a.protectedBreak).length ?? 0;
  // An agent warning an abusive caller is never alone: the lead sees it at once and can step in.
  const abused = board?.agents.filter((a) => a.state === 'on-call' && a.warnings > 0) ?? [];
  return (
    <section className="board" aria-label={t('board.title')}>
      <h2>{t('board.title')}</h2>
      <div role="status" className="tiles">
        <p className={`tile${board && board.waiting.count > 0 ? ' tile-alert' : ''}`}>
          <span className="tile-label">{t('board.tiles.waiting')}</span>{' '}
          <strong>{board?.waiting.oldestSince ? t('board.tiles.calls', { count: board.waiting.count }) : t('board.tiles.none')}</strong>
          {board?.waiting.oldestSince && (
            <span className="tile-sub"> {t('board.tiles.longest', { longest: elapsed(Date.parse(board.waiting.oldestSince), now) })}</span>
          )}
        </p>
        {(['ready', 'on-call', 'wrap-up'] as const).map((state) => (
          <p key={state} className="tile" data-tile={state}>
            <span className="tile-label">{t(`board.states.${state}`)}</span> <strong>{t('board.tiles.agents', { count: count(state) })}</strong>
          </p>
        ))}
        <p className="tile" data-tile="away">
          <span className="tile-label">{t('board.tiles.away')}</span> <strong>{t('board.tiles.agents', { count: count('not-ready') + count('break') })}</strong>
        </p>
        {/* The protected break after an abusive call is not counted with the agents away. */}
        <p className="tile" data-tile="protected">
          <span className="tile-label">{t('board.tiles.protected')}</span> <strong>{t('board.tiles.agents', { count: protectedBreaks })}</strong>
        </p>
        {error && <p className="tile tile-alert">{t('board.stale', { message: error })}</p>}
      </div>
      <div role="alert" aria-label={t('board.abuseAlerts')} className="board-alerts">
        {abused.map((a) => {
          const mine = session?.agent === a.username && session.state !== 'ended';
          return (
            <p key={a.username} className="board-alert" data-alert={a.username}>
              <strong>{t('board.abuse', { agent: a.displayName, count: a.warnings })}</strong>{' '}
              {a.since && <span>{t('board.abuseSince', { elapsed: elapsed(Date.parse(a.since), now) })}</span>}{' '}
              <button type="button" className="primary" aria-pressed={mine && session.mode === 'barge'} onClick={() => (mine ? monitor.setMode('barge') : void monitor.start(a.username, 'barge'))}>
                {t('board.modeFor.barge', { agent: a.displayName })}
              </button>
            </p>
          );
        })}
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('board.agent')}</th>
            <th scope="col">{t('board.state')}</th>
            <th scope="col">{t('board.inState')}</th>
            <th scope="col">{t('board.callCategory')}</th>
            <th scope="col">{t('board.handled')}</th>
            <th scope="col">{t('board.aht')}</th>
            <th scope="col">{t('board.lastCategory')}</th>
            <th scope="col">{t('board.monitor')}</th>
          </tr>
        </thead>
        <tbody>
          {board?.agents.map((a) => (
            <tr key={a.username} data-agent={a.username} data-state={a.state} data-protected={a.protectedBreak || undefined} className={a.state === 'on-call' && a.warnings > 0 ? 'row-alert' : undefined}>
              <th scope="row">{a.displayName}</th>
              <td>
                {a.protectedBreak ? t('board.protectedBreak') : t(`board.states.${a.state}`)}
                {a.state === 'on-call' && a.warnings > 0 && <strong className="flag"> {t('board.warnings', { count: a.warnings })}</strong>}
              </td>
              <td>{a.since && a.state !== 'offline' ? elapsed(Date.parse(a.since), now) : '—'}</td>
              <td>{a.callCategory ?? '—'}</td>
              <td>{a.handledToday}</td>
              <td>{a.averageHandlingSeconds === null ? '—' : duration(a.averageHandlingSeconds)}</td>
              <td>{a.lastCategory ?? '—'}</td>
              <td>
                {MONITOR_MODES.map((mode) => {
                  const mine = session?.agent === a.username && session.state !== 'ended';
                  return (
                    <button
                      key={mode}
                      type="button"
                      aria-pressed={mine && session.mode === mode}
                      aria-label={t(`board.modeFor.${mode}`, { agent: a.displayName })}
                      disabled={a.state !== 'on-call' && !mine}
                      onClick={() => (mine ? monitor.setMode(mode) : void monitor.start(a.username, mode))}
                    >
                      {t(`board.mode.${mode}`)}
                    </button>
                  );
                })}
                {session?.agent === a.username && session.state !== 'ended' && (
                  <button type="button" aria-label={t('board.stopFor', { agent: a.displayName })} onClick={() => monitor.stop()}>
                    {t('board.stop')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {session && (
        <p role="status" aria-label={t('board.monitor')}>
          {t(`board.session.${session.state}`, { agent: session.agent, mode: t(`board.mode.${session.mode}`) })}
          {session.problem && ` (${session.problem})`}
        </p>
      )}
      <RemoteAudio stream={session?.stream ?? null} sinkId={controls.sinkId} applySink={controls.applySink} />
    </section>
  );
}
