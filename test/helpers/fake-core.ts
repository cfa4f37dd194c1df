import type { MethodName, MethodParams, MethodResult } from '../../shared/contract';
import { draftSchema, type Draft } from '../../shared/draft';
import type { CoreClient } from '../../shared/rpc';

export type CoreHandlersFake = { [M in MethodName]?: (params: MethodParams<M>) => Promise<MethodResult<M>> };

/** A core client that records every call and answers with `handlers` (any other method rejects). */
export function recordingCore(handlers: CoreHandlersFake) {
  const calls: { method: MethodName; params: unknown }[] = [];
  const client = {
    call(method: MethodName, params: unknown): Promise<unknown> {
      calls.push({ method, params });
      const handle = handlers[method] as ((p: unknown) => Promise<unknown>) | undefined;
      return handle ? handle(params) : Promise.reject(new Error(`unexpected call ${method}`));
    },
    on: () => () => {},
  } as unknown as CoreClient;
  return { client, calls, handlers };
}

/**
 * The core's draft methods as the real core behaves (electron/core/desk/drafts.ts): notes masked
 * (here: digits starred), one active draft at a time, a draft dropped when its record is filed.
 */
export function draftKeepingCore() {
  const kept = new Map<string, Draft>();
  const handlers: CoreHandlersFake = {
    saveRecord: async (r) => (kept.delete(r.id), { id: r.id, duplicate: false }),
    keepDraft: async (d) => {
      const draft = draftSchema.parse(d);
      if (draft.status === 'active') for (const [id, other] of kept) if (id !== draft.id) kept.set(id, { ...other, status: 'kept' });
      kept.delete(draft.id);
      kept.set(draft.id, { ...draft, notes: draft.notes.replace(/\d/g, '*') });
      return { kept: true };
    },
    drafts: async () => ({ drafts: [...kept.values()].reverse() }),
    dropDraft: async ({ id }) => ({ dropped: kept.delete(id) }),
  };
  return { kept, handlers };
}
