import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * An action a team lead takes from a table under the board: its buttons wait while it runs, a
 * refusal is kept to show, and the table is asked for again once it is answered either way.
 */
export function useLeadAction(refresh: () => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const act = (run: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    run()
      .catch((e: Error) => setFailure(e.message))
      .finally(() => {
        setBusy(false);
        refresh();
      });
  };
  return { busy, failure, act };
}

/** One count on a lead's tiles, marked when it asks for attention. */
export function CountTile({ label, count, alert, sub }: { label: string; count: number; alert: boolean; sub?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <p className={`tile${alert ? ' tile-alert' : ''}`}>
      <span className="tile-label">{label}</span> <strong>{t('work.lead.count', { count })}</strong>
      {sub && <span className="tile-sub"> {sub}</span>}
    </p>
  );
}

/** An agent to give a row's work to, and the button that does it. */
export function AssignToAgent(p: { agents: readonly { username: string; displayName: string }[]; busy: boolean; selectLabel: string; buttonLabel: string; onAssign: (agent: string) => void }) {
  const { t } = useTranslation();
  const [agent, setAgent] = useState('');
  return (
    <>
      <select aria-label={p.selectLabel} value={agent} onChange={(e) => setAgent(e.target.value)}>
        <option value="">{t('work.lead.chooseAgent')}</option>
        {p.agents.map((a) => (
          <option key={a.username} value={a.username}>
            {a.displayName}
          </option>
        ))}
      </select>
      <button type="button" disabled={p.busy || !agent} aria-label={p.buttonLabel} onClick={() => p.onAssign(agent)}>
        {t('work.lead.assign')}
      </button>
    </>
  );
}
