import fc from 'fast-check';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/http/app';
import { seedDemo } from '../../../server/demo/seed';
import { openCityDb } from '../../../server/store/db';
import { openPostgresStore } from '../../../server/store/postgres-store';
import type { CityStore } from '../../../server/store/sql';
import { serverStores } from '../../helpers/server-stores';
import { openMonitoringKey } from '../../../server/store/monitoring';
import { presenceBoard, type PresenceBoard } from '../../../server/store/presence';
import { openSipStore, type SipStore } from '../../../server/store/sip-store';
import { FUZZ_SEED, hostileBody, hostileQuery, hostileSegment, NASTY, NASTY_BODIES, pct } from '../../helpers/hostile';
import { randomBytes } from 'node:crypto';
import { openRecordingVault } from '../../../server/recording/vault';

// Every route of the city server, with random and hostile input: bodies of any JSON, of bytes
// that are no UTF-8, of the wrong type, too deep or too large; path segments and queries of any
// text; with no login, an agent's and a lead's. No answer may be a 5xx, and every request is
// answered. A fixed seed: a failure here is the same failure on every machine.

// On each store the server runs on: a NUL in text, say, is SQLite's to keep and PostgreSQL's to refuse.
const stores = serverStores();

/** The app's routes, from Fastify's own listing (so a new route is fuzzed without a word here). */
function routesOf(tree: string): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    stack.length = depth;
    stack.push(`${depth ? stack[depth - 1] : ''}${m[2]}`);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push({ method, url: stack[depth] as string });
  }
  return out;
}

describe.each(stores.names)('on $name', ({ name }) => {
  let db: CityStore;
  let sip: SipStore;
  let presence: PresenceBoard;
  let app: FastifyInstance;
  const errors: string[] = [];
  const tokens: Record<'none' | 'agent' | 'lead', string | null> = { none: null, agent: null, lead: null };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-fuzz-'));
    mkdirSync(join(dir, 'updates', 'stable'), { recursive: true });
    const database = await stores.database(name);
    db = database ? await openPostgresStore(database) : openCityDb(join(dir, 'city.sqlite'));
    await seedDemo(db, { areaCode: '054', region: 'KR' }, new Date());
    sip = openSipStore(db, dir);
    presence = presenceBoard(sip.db);
    app = buildApp({
      db,
      clock: () => new Date(),
      phone: { areaCode: '054', region: 'KR' },
      presence,
      // The IVR's and the SMS gateway's routes configured, as a city with a PBX and a gateway has them: fuzzed bodies meet their signature checks.
      pbxSecret: 'fuzz-pbx-secret-0123456789',
      smsSecret: 'fuzz-sms-secret-0123456789',
      logger: { info: () => {}, warn: () => {}, error: (m) => errors.push(m) },
      updatesDir: join(dir, 'updates'),
      monitoringKey: openMonitoringKey(dir),
      recordingVault: openRecordingVault(join(dir, 'recordings'), randomBytes(32)),
    });
    await app.ready();
  });

  /** New sessions for the agent and the lead: a fuzzed logout ends the ones before. */
  async function signInAgain(): Promise<void> {
    for (const who of ['agent', 'lead'] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `${who}1`, password: `${who}1` }, remoteAddress: '10.0.0.1' });
      expect(res.statusCode, `${who}1 signs in`).toBe(200);
      tokens[who] = (res.json() as { token: string }).token;
    }
  }
  afterAll(async () => {
    await app.close();
    await sip.close();
    await db.close();
  });

  describe('every route of the city server under random and hostile input', () => {
    it('lists the routes it fuzzes', async () => {
      const routes = routesOf(app.printRoutes({ commonPrefix: false }));
      expect(routes.length).toBeGreaterThanOrEqual(25);
      expect(routes).toContainEqual({ method: 'POST', url: '/api/records' });
      expect(routes).toContainEqual({ method: 'PUT', url: '/api/synonyms/:term' });
    });

    it('never answers 5xx to the inputs known to break servers, on any route, logged in or not', async () => {
      const failures: string[] = [];
      for (const route of routesOf(app.printRoutes({ commonPrefix: false }))) {
        await signInAgain();
        for (const [who, token] of Object.entries(tokens)) {
          const cases = [...NASTY.map((segment) => ({ segment, body: null })), ...NASTY_BODIES.map((body) => ({ segment: 'M-WAT-001', body }))];
          for (const { segment, body } of cases) {
            const url = route.url.replace(/:\w+/g, () => pct(segment));
            const res = await app.inject({
              method: route.method as 'GET',
              url,
              headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': body.type } : {}) },
              ...(body && route.method !== 'GET' ? { payload: body.bytes } : {}),
            });
            if (res.statusCode >= 500) failures.push(`${route.method} ${url.slice(0, 80)} as ${who}: ${res.statusCode} ${res.body.slice(0, 120)}`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('never answers 5xx, and answers every request', async () => {
      const routes = routesOf(app.printRoutes({ commonPrefix: false }));
      const statuses = new Map<number, number>();
      for (const route of routes) {
        await signInAgain();
        // Each route its own seed, derived from the one seed: adding a route leaves the others' cases as they were.
        const seed = FUZZ_SEED + [...`${route.method} ${route.url}`].reduce((h, c) => (h * 31 + (c.codePointAt(0) as number)) | 0, 0);
        await fc.assert(
          fc.asyncProperty(fc.constantFrom('none', 'agent', 'lead' as const), hostileSegment(), hostileQuery(), hostileBody(), async (who, segment, query, body) => {
            const url = route.url.replace(/:\w+/g, () => pct(segment)) + query;
            const token = tokens[who as keyof typeof tokens];
            const res = await app.inject({
              method: route.method as 'GET',
              url,
              headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': body.type } : {}) },
              ...(body && route.method !== 'GET' ? { payload: body.bytes } : {}),
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            return res.statusCode < 500;
          }),
          { seed, numRuns: route.url === '/api/auth/login' ? 40 : 60, endOnFailure: true },
        );
      }
      expect(errors).toEqual([]);
      // The fuzz reached past the checks too: some requests succeeded, some were refused.
      expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
      expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThan(2);
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    });
  });
});
