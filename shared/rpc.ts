import { z } from 'zod';
import {
  coreContract,
  type CoreEvent,
  type CoreHandlers,
  type EventData,
  type EventName,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from './contract';
import { describeIssues } from './issues';
import { wellFormedStrings } from './plain-text';

/** Largest message either side accepts; anything bigger is refused unread. */
export const MAX_MESSAGE_BYTES = 1 << 20;

// 'signed-out': a method that needs a signed-in agent, asked of a desk with none.
export const ERROR_CODES = ['bad-message', 'unknown-method', 'invalid-params', 'invalid-result', 'failed', 'closed', 'timeout', 'forbidden', 'signed-out'] as const;
export type RpcErrorCode = (typeof ERROR_CODES)[number];

export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

const eventNames = Object.keys(coreContract.events) as [EventName, ...EventName[]];

export const callMessageSchema = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
});
const resultMessageSchema = z.discriminatedUnion('ok', [
  z.strictObject({ type: z.literal('result'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({
    type: z.literal('result'),
    id: z.number().int(),
    ok: z.literal(false),
    error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string() }),
  }),
]);
const eventMessageSchema = z.strictObject({ type: z.literal('event'), name: z.enum(eventNames), data: z.unknown() });
const toClientSchema = z.union([resultMessageSchema, eventMessageSchema]);

type ResultMessage = z.infer<typeof resultMessageSchema>;

function parseJson(text: string): unknown {
  if (text.length > MAX_MESSAGE_BYTES) throw new RpcError('bad-message', 'message too large');
  try {
    return JSON.parse(text, wellFormedStrings) as unknown;
  } catch {
    throw new RpcError('bad-message', 'message is not JSON');
  }
}

/** Any contract of the same shape as the core's: validated methods and events. */
export interface Contract {
  methods: Record<string, { params: z.ZodType; result: z.ZodType }>;
  events: Record<string, z.ZodType>;
}

/** A call's outcome as it crosses a transport. */
export type Reply = { ok: true; result: unknown } | { ok: false; error: { code: RpcErrorCode; message: string } };

/**
 * Runs one call against `handlers` after checking the method and its params against
 * `contract`, and checks the result before it leaves. Never throws.
 */
export async function answerCall(
  contract: Contract,
  handlers: Record<string, (params: never) => unknown>,
  method: string,
  params: unknown,
  log?: (msg: string) => void,
): Promise<Reply> {
  const fail = (code: RpcErrorCode, message: string): Reply => {
    log?.(`rpc refused: ${code}: ${message}`);
    return { ok: false, error: { code, message } };
  };
  if (!Object.hasOwn(contract.methods, method)) return fail('unknown-method', `unknown method ${method.slice(0, 64)}`);
  const spec = contract.methods[method] as Contract['methods'][string];
  const checkedParams = spec.params.safeParse(params ?? {});
  if (!checkedParams.success) return fail('invalid-params', describeIssues(checkedParams.error));
  let result: unknown;
  try {
    // Handlers are typed per method; params were validated by that method's schema.
    result = await (handlers[method] as (p: unknown) => unknown)(checkedParams.data);
  } catch (e) {
    return fail(e instanceof RpcError ? e.code : 'failed', e instanceof Error ? e.message : String(e));
  }
  const checked = spec.result.safeParse(result);
  if (!checked.success) return fail('invalid-result', describeIssues(checked.error));
  return { ok: true, result: checked.data };
}

/**
 * Server side: turns one incoming text message into the reply to send back. Never throws:
 * whatever arrives, the caller gets a well-formed error instead.
 */
export async function dispatchCall(handlers: CoreHandlers, text: string, log?: (msg: string) => void): Promise<string> {
  let id = 0;
  const fail = (code: RpcErrorCode, message: string): string => {
    log?.(`rpc refused: ${code}: ${message}`);
    const reply: ResultMessage = { type: 'result', id, ok: false, error: { code, message } };
    return JSON.stringify(reply);
  };
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (e) {
    return fail('bad-message', (e as Error).message);
  }
  const call = callMessageSchema.safeParse(raw);
  if (!call.success) return fail('bad-message', describeIssues(call.error));
  id = call.data.id;
  const reply = await answerCall(coreContract, handlers, call.data.method, call.data.params, log);
  return JSON.stringify({ type: 'result', id, ...reply } satisfies ResultMessage);
}

export function encodeEvent(event: CoreEvent): string {
  return JSON.stringify({ type: 'event', name: event.name, data: coreContract.events[event.name].parse(event.data) });
}

/** What a client needs from a transport: send text, and be told of text and closure. */
export interface MessagePipe {
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
}

export interface CoreClient {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(name: E, listener: (data: EventData<E>) => void): () => void;
}

/**
 * Client side of the contract over any message pipe. Results and events are validated
 * against the contract before anyone sees them; a malformed message is reported, not thrown.
 */
/** Timers are the host's (DOM or Node), so they come in as a dependency. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CoreClientOptions {
  /** Give up on a call after this long; needs `timers`. */
  timeout?: { ms: number; timers: Timers };
  onBadMessage?: (why: string) => void;
}

export function createCoreClient(pipe: MessagePipe, opts: CoreClientOptions = {}): CoreClient {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { method: MethodName; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: unknown }>();
  const listeners = new Map<EventName, Set<(data: unknown) => void>>();
  const bad = opts.onBadMessage ?? (() => {});

  pipe.onMessage((text) => {
    let raw: unknown;
    try {
      raw = parseJson(text);
    } catch (e) {
      bad((e as Error).message);
      return;
    }
    const msg = toClientSchema.safeParse(raw);
    if (!msg.success) return bad(describeIssues(msg.error));
    if (msg.data.type === 'event') {
      const data = coreContract.events[msg.data.name].safeParse(msg.data.data);
      if (!data.success) return bad(`event ${msg.data.name}: ${describeIssues(data.error)}`);
      for (const l of listeners.get(msg.data.name) ?? []) l(data.data);
      return;
    }
    const waiting = pending.get(msg.data.id);
    if (!waiting) return bad(`reply to unknown call ${msg.data.id}`);
    pending.delete(msg.data.id);
    opts.timeout?.timers.clearTimeout(waiting.timer);
    if (!msg.data.ok) return waiting.reject(new RpcError(msg.data.error.code, msg.data.error.message));
    const result = coreContract.methods[waiting.method].result.safeParse(msg.data.result);
    if (!result.success) return waiting.reject(new RpcError('invalid-result', describeIssues(result.error)));
    waiting.resolve(result.data);
  });
  pipe.onClose(() => {
    closed = true;
    for (const [, w] of pending) {
      opts.timeout?.timers.clearTimeout(w.timer);
      w.reject(new RpcError('closed', 'connection to the agent core closed'));
    }
    pending.clear();
  });

  return {
    call(method, params) {
      if (closed) return Promise.reject(new RpcError('closed', 'connection to the agent core closed'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = opts.timeout?.timers.setTimeout(() => {
          pending.delete(id);
          reject(new RpcError('timeout', `${method} timed out`));
        }, opts.timeout.ms);
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
        pipe.send(JSON.stringify({ type: 'call', id, method, params }));
      });
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (data: unknown) => void);
      return () => set.delete(listener as (data: unknown) => void);
    },
  };
}
