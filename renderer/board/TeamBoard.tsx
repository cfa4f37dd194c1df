import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { BoardAgent } from '../../shared/board';
import { useNow } from '../core/use-now';
import type { BoardStore } from './board-store';

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** The team lead's live board: every agent's state and time in it, and their day. */
export function TeamBoard({ store }: { store: BoardStore }) {
  const { t } = useTranslation();
  const { board, error } = useStore(store);
  useEffect(() => store.getState().watch(), [store]);
  const now = useNow(true, 1000);
  const count = (state: BoardAgent['state']) => board?.agents.filter((a) => a.state === state).length ?? 0;
  return (
    <section className="board" aria-label={t('board.title')}>
      <h2>{t('board.title')}</h2>
      <p role="status">
        {t('board.summary', { ready: count('ready'), onCall: count('on-call'), wrapUp: count('wrap-up') })}
        {error && ` · ${t('board.stale', { message: error })}`}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('board.agent')}</th>
            <th scope="col">{t('board.state')}</th>
            <th scope="col">{t('board.inState')}</th>
            <th scope="col">{t('board.handled')}</th>
            <th scope="col">{t('board.aht')}</th>
            <th scope="col">{t('board.lastCategory')}</th>
          </tr>
        </thead>
        <tbody>
          {board?.agents.map((a) => (
            <tr key={a.username} data-agent={a.username} data-state={a.state}>
              <th scope="row">{a.displayName}</th>
              <td>{t(`board.states.${a.state}`)}</td>
              <td>{a.since && a.state !== 'offline' ? clock(Math.max(0, Math.floor((now - Date.parse(a.since)) / 1000))) : '—'}</td>
              <td>{a.handledToday}</td>
              <td>{a.averageHandlingSeconds === null ? '—' : clock(a.averageHandlingSeconds)}</td>
              <td>{a.lastCategory ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
