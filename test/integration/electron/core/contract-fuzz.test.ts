import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreContract, SESSION_METHODS, type MethodName } from '../../../../shared/contract';
import { answerCall, dispatchCall } from '../../../../shared/rpc';
import type { DeskSession } from '../../../../electron/core/session/desk-session';
import { openDeskSession } from '../../../../electron/core/session/open-desk-session';
import { memoryVault } from '../../../../electron/core/session/session-vault';
import { DEFAULT_PHONE } from '../../../../server/main';
import { TEST_CACHE_KEY, testLogger } from '../../../helpers/core';
import { FUZZ_SEED, hostileText, hostileValue, NASTY } from '../../../helpers/hostile';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';

// Every method of the core's contract, as a page or a local process could call it: params of any
// shape, and params of the right shape with hostile values (which reach the handlers). The core
// answers each call, with a result inside its contract or a refusal; never a programming error
// (the contract's 500), and never silence.

let server: CityServerProcess;
let desk: DeskSession;

beforeAll(async () => {
  server = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-fuzz-city-')), { demo: true });
  desk = openDeskSession(
    { cacheFile: join(mkdtempSync(join(tmpdir(), 'minwon-fuzz-desk-')), 'cache.sqlite'), cacheKey: () => TEST_CACHE_KEY, serverUrl: server.url, phone: DEFAULT_PHONE, syncIntervalMs: 3_600_000, pinnedUser: null },
    memoryVault(),
    testLogger(),
  );
  await desk.handlers.signIn({ username: 'agent1', password: 'agent1', offline: false });
  await desk.handlers.syncNow({});
});
afterAll(async () => {
  await desk.close();
  await server.stop();
});

// What a handler's failure may say: the city's refusals and unreachability, a desk held elsewhere.
// A TypeError, a SQLite error or a stack overflow reaching the caller is a bug.
const BUG = /TypeError|ReferenceError|RangeError|SyntaxError|SQLITE|SqliteError|Cannot read|is not a function|is not defined|Maximum call stack/;

/** Params of the method's own keys with hostile values (so some pass validation), or anything at all. */
function paramsFor(method: MethodName): fc.Arbitrary<unknown> {
  const schema = coreContract.methods[method].params;
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const value = fc.oneof(hostileText(), hostileValue(), fc.integer({ min: -5, max: 5000 }), fc.boolean(), fc.constantFrom(...NASTY));
  const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] });
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue() });
}

async function call(method: string, params: unknown) {
  const reply = await Promise.race([
    answerCall(coreContract, desk.handlers as unknown as Record<string, (p: never) => unknown>, method, params),
    new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), 10_000)),
  ]);
  return reply;
}

describe('every method of the core’s contract under random and hostile params', () => {
  // First, while the desk is signed in (the fuzz below ends its session).
  it('keeps the phone’s SIP secret out of every answer but the phone account’s', async () => {
    const account = await desk.handlers.phoneAccount({});
    expect(account?.password.length).toBeGreaterThanOrEqual(16);
    const carrying: string[] = [];
    for (const method of Object.keys(coreContract.methods) as MethodName[]) {
      if (SESSION_METHODS.includes(method as never) || !coreContract.methods[method].params.safeParse({}).success) continue;
      const reply = await call(method, {});
      if (reply !== 'hang' && reply.ok && JSON.stringify(reply.result).includes(account?.password as string)) carrying.push(method);
    }
    expect(carrying).toEqual(['phoneAccount']);
  });

  it('answers each call within its contract or with a refusal, never with a programming error', async () => {
    // Ending the session last: until then every method is reached signed in.
    const methods = (Object.keys(coreContract.methods) as MethodName[]).sort((a, b) => Number(SESSION_METHODS.includes(a as never)) - Number(SESSION_METHODS.includes(b as never)));
    const codes = new Map<string, number>();
    for (const method of methods) {
      const seed = FUZZ_SEED + [...method].reduce((h, c) => (h * 31 + (c.codePointAt(0) as number)) | 0, 0);
      await fc.assert(
        fc.asyncProperty(paramsFor(method), async (params) => {
          const reply = await call(method, params);
          if (reply === 'hang') throw new Error(`${method} never answered`);
          const code = reply.ok ? 'ok' : reply.error.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (reply.ok) return;
          if (!['invalid-params', 'forbidden', 'signed-out', 'failed'].includes(reply.error.code) || BUG.test(reply.error.message)) {
            throw new Error(`${method}: ${reply.error.code}: ${reply.error.message.slice(0, 300)}`);
          }
        }),
        { seed, numRuns: method === 'signIn' || method === 'unlock' ? 15 : 40, endOnFailure: true },
      );
    }
    // The fuzz got past validation to the handlers, and was refused by them too.
    expect(codes.get('ok')).toBeGreaterThan(50);
    expect(codes.get('invalid-params')).toBeGreaterThan(50);
  });

  it('answers any message at all on the wire with a well-formed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileText(), hostileValue().map((v) => JSON.stringify(v) ?? 'null'), fc.record({ type: fc.constant('call'), id: fc.integer({ min: 0 }), method: hostileText(), params: hostileValue() }).map((m) => JSON.stringify(m))), async (text) => {
        const answer = await dispatchCall(desk.handlers, text);
        const reply = JSON.parse(answer) as { type: string; ok: boolean; error?: { code: string; message: string } };
        if (reply.type !== 'result' || (!reply.ok && BUG.test(reply.error?.message ?? ''))) throw new Error(answer.slice(0, 300));
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });
});
