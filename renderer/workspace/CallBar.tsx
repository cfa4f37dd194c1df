import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Headphones, LayoutDashboard } from 'lucide-react';
import type { WorkspaceStore } from './workspace-store';
import css from './CallBar.module.css';

export interface CallBarProps {
  workspace: WorkspaceStore;
  /** A team lead's desk: the switch between the desk and the team board. */
  lead: boolean;
  agent: ReactNode;
  /** Calls waiting for an agent. */
  queue: ReactNode;
  phone: ReactNode;
  status: ReactNode;
  monitor: ReactNode;
  settings: ReactNode;
  account: ReactNode;
  /** The keys overlay's button (F1). */
  keys: ReactNode;
  /** What needs the agent now (a headset unplugged): a line of its own under the bar. */
  alerts: ReactNode;
}

/** The strip that never leaves the screen: who the agent is to callers, the call, and the desk's state. */
export function CallBar(p: CallBarProps) {
  const { t } = useTranslation();
  const view = useStore(p.workspace, (s) => s.view);
  return (
    <div className={css.bar}>
      <div className={css.row}>
        <h1 className={css.brand}>
          <Headphones aria-hidden size={20} />
          {t('app.title')}
        </h1>
        {p.lead && (
          <button
            type="button"
            className="bar-button"
            aria-pressed={view === 'board'}
            onClick={() => p.workspace.getState().setView(view === 'board' ? 'desk' : 'board')}
          >
            <LayoutDashboard aria-hidden size={18} />
            {t('workspace.teamBoard')}
          </button>
        )}
        <div className={css.agent}>{p.agent}</div>
        {p.queue}
        <div className={css.call}>{p.phone}</div>
        <div className={css.tools}>
          {p.monitor}
          {p.status}
          {p.keys}
          {p.settings}
          {p.account}
        </div>
      </div>
      <div className={css.alerts}>{p.alerts}</div>
    </div>
  );
}
