import type { MethodName, MethodParams, MethodResult } from '../../shared/contract';
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
