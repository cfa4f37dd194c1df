import type { CoreClient } from '../../shared/rpc';
import type { AgentStateStoreApi } from '../agent/agent-state-store';
import type { PhoneStore } from '../phone/phone-store';
import type { SearchStore } from '../search/search-store';
import type { TextsStore } from '../texts/texts-store';
import { dialString, type WorkStore } from '../work/work-store';
import type { ConsultationStore } from './consultation-store';

/**
 * Keeps the consultation in step with the phone and the desk: a ringing call, a callback the
 * agent took or a citizen's text thread starts one (and its screen-pop), answering and hanging up move it on, entries opened meanwhile are linked, a
 * transfer the other party took is noted, and when the wrap-up time runs out the form is kept as a draft.
 */
export function followCalls(o: {
  phone: PhoneStore;
  search: SearchStore;
  agent: AgentStateStoreApi;
  consultation: ConsultationStore;
  work: WorkStore;
  texts: TextsStore;
  core: () => CoreClient | null;
}) {
  const c = () => o.consultation.getState();
  // A new consultation, unless a call's is under way; an unsaved wrap-up (no wrap-up time, or the
  // agent went ready by hand) is kept, not lost. A text conversation gives way: its wrap-up is
  // kept for later (the agent goes on answering the thread meanwhile).
  const start = (call: Parameters<ReturnType<typeof c>['ring']>[0]) => {
    if (c().current?.threadId && c().current?.phase === 'talking') c().ended(true);
    const phase = c().current?.phase;
    if (phase && phase !== 'wrap-up') return;
    if (phase === 'wrap-up') c().keepAsDraft();
    c().ring(call);
    refresh(call.callerNumber);
  };
  o.phone.subscribe((s, prev) => {
    const call = s.call;
    const before = prev.call;
    if (call && call.id !== before?.id && call.direction === 'incoming' && call.state === 'ringing') {
      // A call that took an earlier one's place (attended transfer to us) continues that consultation.
      start({ callId: call.id, callerNumber: call.callerNumber, callerName: call.remote.displayName, ivr: call.ivr });
    }
    if (call?.state === 'connected' && before?.state !== 'connected') {
      c().answered();
      // The gateway files its recording under the SIP call: the record names it.
      if (call.sipCallId) c().noteSipCall(call.sipCallId);
    }
    // Warnings and the protocol's end go on the record (an ended call keeps them).
    if (call && (call.warnings !== before?.warnings || call.endReason !== before?.endReason) && (call.warnings.played + call.warnings.spoken > 0 || call.endReason)) {
      c().protocol({ warnings: call.warnings, ended: call.endReason === 'abusive' });
    }
    // Noted only once the other party took the caller: a failed transfer leaves the record as it was.
    if (call?.transferredTo && call.transferredTo !== before?.transferredTo) c().transferred(call.transferredTo, null);
    if (call?.state === 'ended' && before?.state !== 'ended') c().ended(call.connectedAt !== null);
  });
  // The city server may know consultations this desk has not synced yet: merge them, then pop again.
  const refresh = (number: string) => {
    const client = o.core();
    const id = c().current?.id;
    if (!client || !number) return;
    void client.call('refreshCaller', { number }).then(
      async ({ added }) => {
        const ivr = c().current?.ivr;
        const question = c().current?.question;
        if (added > 0 && id) c().refreshed(id, await client.call('screenPop', { number, ...(ivr ? { ivr } : {}), ...(question ? { text: question } : {}) }));
      },
      // Unreachable city server: the pop from the cache stands, and says when it was synced.
      () => undefined,
    );
  };
  // The callback's dial is the consultation's call: the pop shows the citizen's history while it rings.
  o.work.subscribe((s, prev) => {
    const a = s.active;
    if (a && a.id !== prev.active?.id) start({ callId: null, callerNumber: a.dialled, callerName: null, ivr: null, callbackId: a.id });
  });
  // A text thread the agent took is a consultation too: the citizen's history and the entries likeliest to answer.
  o.texts.subscribe((s, prev) => {
    const t = s.taken;
    if (!t || t.seq === prev.taken?.seq || c().current?.threadId === t.id) return;
    start({ callId: null, callerNumber: dialString(t.number), callerName: null, ivr: null, threadId: t.id, ...(t.question ? { question: t.question } : {}) });
    if (c().current?.threadId === t.id) c().answered();
  });
  o.search.subscribe((s, prev) => {
    if (s.open && s.open !== prev.open && c().current) c().linkEntry(s.open.id);
  });
  o.agent.subscribe((s, prev) => {
    if (prev.state.kind === 'wrap-up' && s.state.kind !== 'wrap-up' && c().current?.phase === 'wrap-up') c().keepAsDraft();
  });
}
