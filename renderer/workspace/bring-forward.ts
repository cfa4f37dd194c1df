import type { AgentStateStoreApi } from '../agent/agent-state-store';
import type { PhoneStore } from '../phone/phone-store';
import type { WorkspaceStore } from './workspace-store';

/** Marks the right pane in the DOM, for `typingIn`. */
export const SIDE_PANE_ATTRIBUTE = 'data-side-pane';

/** Whether the focus is in a field the agent types into, inside the right pane. */
export function typingIn(doc: Pick<Document, 'activeElement'>): boolean {
  const el = doc.activeElement as HTMLElement | null;
  if (!el?.closest(`[${SIDE_PANE_ATTRIBUTE}]`)) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el.tagName === 'INPUT' && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes((el as HTMLInputElement).type);
}

/**
 * A ring brings the caller's tab forward, after-call work the record's: on a narrow screen the
 * agent sees what matters now without reaching for it (never at the cost of the field they type in).
 */
export function bringForwardOnCalls(deps: { phone: PhoneStore; agent: AgentStateStoreApi; workspace: WorkspaceStore; typingInSide: () => boolean; text: (key: 'ringing' | 'wrapUp') => string }): () => void {
  const offPhone = deps.phone.subscribe((s, prev) => {
    const call = s.call;
    if (call?.state === 'ringing' && (prev.call?.id !== call.id || prev.call.state !== 'ringing')) {
      deps.workspace.getState().bringForward('caller', deps.text('ringing'), deps.typingInSide());
    }
  });
  const offAgent = deps.agent.subscribe((s, prev) => {
    if (s.state.kind === 'wrap-up' && prev.state.kind !== 'wrap-up') deps.workspace.getState().bringForward('record', deps.text('wrapUp'), deps.typingInSide());
  });
  return () => {
    offPhone();
    offAgent();
  };
}
