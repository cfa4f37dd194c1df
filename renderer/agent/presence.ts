import type { Presence } from '../../shared/presence';
import type { AgentState } from './agent-state-store';

/**
 * What the city is told for call distribution: busy on the phone beats everything (a ringing
 * call too, so the next caller goes to someone else), then the agent's own state.
 */
export function presenceOf(state: AgentState, onPhone: boolean, callCategory: string | null = null, warnings = 0): Presence {
  // Warnings given to an abusive caller alert the team lead's board from the first.
  if (onPhone) return { state: 'on-call', reason: null, ...(callCategory ? { category: callCategory } : {}), ...(warnings > 0 ? { warnings } : {}) };
  switch (state.kind) {
    case 'ready':
      return { state: 'ready', reason: null };
    case 'wrap-up':
      return { state: 'wrap-up', reason: null };
    case 'break':
      return { state: 'break', reason: null };
    case 'not-ready':
      return { state: 'not-ready', reason: state.reason };
  }
}
