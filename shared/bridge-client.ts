import type { z } from 'zod';
import type { ContractBridge } from './bridge';
import { describeIssues } from './issues';
import { ERROR_CODES, RpcError, type Contract, type Reply, type RpcErrorCode } from './rpc';

/** A contract's client: typed by the contract, validating everything that comes back. */
export interface ContractClient<C extends Contract> {
  call<M extends keyof C['methods'] & string>(method: M, params: z.input<C['methods'][M]['params']>): Promise<z.infer<C['methods'][M]['result']>>;
  on<E extends keyof C['events'] & string>(name: E, listener: (data: z.infer<C['events'][E]>) => void): () => void;
}

/** Checks a reply that crossed a transport; resolves the result or throws an RpcError. */
function settle(contract: Contract, method: string, reply: unknown): unknown {
  const r = reply as Partial<Reply> | null;
  if (r?.ok === true) {
    const checked = (contract.methods[method] as Contract['methods'][string]).result.safeParse(r.result);
    if (!checked.success) throw new RpcError('invalid-result', describeIssues(checked.error));
    return checked.data;
  }
  if (r?.ok === false && ERROR_CODES.includes(r.error?.code as RpcErrorCode) && typeof r.error?.message === 'string') {
    throw new RpcError(r.error.code, r.error.message);
  }
  throw new RpcError('bad-message', 'malformed reply');
}

/** A typed, validating client over a preload bridge. */
export function clientOverBridge<C extends Contract>(contract: C, bridge: ContractBridge, onBadMessage: (why: string) => void = () => {}): ContractClient<C> {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  bridge.subscribe((name, data) => {
    if (!Object.hasOwn(contract.events, name)) return onBadMessage(`unknown event ${String(name).slice(0, 64)}`);
    const checked = (contract.events[name] as z.ZodType).safeParse(data);
    if (!checked.success) return onBadMessage(`event ${name}: ${describeIssues(checked.error)}`);
    for (const l of listeners.get(name) ?? []) l(checked.data);
  });
  return {
    async call(method, params) {
      return settle(contract, method, await bridge.call(method, params)) as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (data: unknown) => void);
      return () => set.delete(listener as (data: unknown) => void);
    },
  };
}
