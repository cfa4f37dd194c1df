import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn } from '../../helpers/http';
import { freePort } from '../../helpers/ports';
import { childPids, REPO, runMinwon, startCityServerProcess, startSipProcess, type CityServerProcess, type Spawned } from '../../helpers/processes';
import { sipClient, type SipAnswer, type SipClient, type SipRequest } from '../../helpers/sip-udp';
import { serverStores } from '../../helpers/server-stores';
import { openSipTables } from '../../helpers/sip-tables';
import { makeTonePcap, runSipp } from '../../helpers/sipp';
import { waitFor } from '../../helpers/wait';
import { cityDbFile } from '../../../server/main';
import { queueCellOf } from '../../../server/store/queue-log';
import type { CityStore, Db } from '../../../server/store/sql';
import { sqliteStore } from '../../../server/store/sqlite-store';

// The SIP server of the stack: Debian's Kamailio with the project's config, digest credentials
// provisioned by the city server, and the PBX trunk, checked with SIPp (a SIP client nobody on the
// team wrote). On both stores: accounts, presence and waiting calls in the SIP server's own SQLite
// file, or in the city's PostgreSQL database (kamailio-postgres-modules).

const stores = serverStores();

describe.each(stores.names)('on $name', ({ name }) => {
  let dataDir: string;
  let database: string | undefined;
  /** The tables Kamailio reads, where it reads them. */
  let sipTables: CityStore;
  let city: CityServerProcess;
  let sip: Spawned;
  let sipPort: number;
  /** The PBX trunk's address (SIPp binds it to speak as the PBX). */
  let trunkPort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'minwon-sip-'));
    database = await stores.database(name);
    city = await startCityServerProcess(dataDir, { demo: true, ...(database ? { database } : {}) });
    sipPort = await freePort();
    trunkPort = await freePort();
    sip = await startSipProcess(dataDir, { ws: await freePort(), sip: sipPort }, { pbx: `127.0.0.1:${trunkPort}`, ...(database ? { database } : {}) });
    sipTables = await openSipTables(dataDir, database);
    makeTonePcap(dataDir, 440, 2);
  });

  afterAll(async () => {
    sip.proc.kill('SIGTERM');
    await sip.exited;
    await sipTables.close();
    await city.stop();
  });

  /** `minwon user add` on this city's store. */
  const addUser = (args: string[], password: string) => runMinwon(['user', 'add', ...args, '--data', dataDir], { MINWON_PASSWORD: password, ...(database ? { MINWON_DATABASE_URL: database } : {}) });

  const login = (username: string) => signIn(city.url, username, username);

  /** One SIPp REGISTER run (from `port`, any by default); resolves to SIPp's exit code (0: registered). */
  function register(user: string, secret: string, port = 0): Promise<number | null> {
    return new Promise((resolve) => {
      const p = spawn(
        'sipp',
        ['-sf', join(REPO, 'resources/sipp/register.xml'), '-s', user, '-au', user, '-ap', secret, '-m', '1', '-i', '127.0.0.1', '-p', String(port), '-timeout', '10s', '-timeout_error', '-nostdin', `127.0.0.1:${sipPort}`],
        { stdio: 'ignore' },
      );
      p.on('exit', (code) => resolve(code));
    });
  }

  /** One call from the PBX trunk's address (or `from`) to `number`; resolves to SIPp's exit code and output. */
  async function trunkCall(number: string, from = trunkPort) {
    const run = runSipp(dataDir, { scenario: 'pbx-call.xml', localPort: from, target: `127.0.0.1:${sipPort}`, numbers: [number], args: ['-m', '1', '-d', '500', '-timeout', '10s', '-timeout_error'] });
    return { code: await run.exited, output: run.output() };
  }

  describe('the SIP server', () => {
    it('gives each account a SIP secret of its own at login, not its login password', async () => {
      const r = await login('agent1');
      expect(r.sip).toMatchObject({ username: 'agent1', domain: '127.0.0.1' });
      expect(r.sip.password).not.toBe('agent1');
      expect((await login('agent2')).sip.password).not.toBe(r.sip.password);
    });

    it('registers a phone with the secret from login, and refuses a wrong secret or an unknown user', async () => {
      const { sip: creds } = await login('agent1');
      expect(await register('agent1', creds.password)).toBe(0);
      expect(await register('agent1', 'agent1')).not.toBe(0);
      expect(await register('nobody', creds.password)).not.toBe(0);
    });

    it('lets an account added later register at once', async () => {
      const add = await addUser(['agent9', '--role', 'agent'], 'agent9-password');
      expect(add.code).toBe(0);
      const { sip: creds } = await signIn(city.url, 'agent9', 'agent9-password');
      expect(await register('agent9', creds.password)).toBe(0);
    });

    it('trusts the PBX trunk by its address: its call to the representative number is answered busy (nobody ready), not challenged', async () => {
      const r = await trunkCall('2708282');
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(/486 All Agents Busy/);
      // Not a timestamp's digits (SIPp prints 17:20:15.407575): a 407 status of its own.
      expect(r.output).not.toMatch(/\b407\b/);
    });

    it('challenges the same call from any other address', async () => {
      const r = await trunkCall('2708282', await freePort());
      expect(r.output).toMatch(/407 Proxy Authentication Required/);
    });

    it('never routes a trunk call back out through the trunk, and never lets the PBX register', async () => {
      const r = await trunkCall('01099998888');
      expect(r.output).toMatch(/404 Not Found/);
      const { sip: creds } = await login('agent1');
      expect(await register('agent1', creds.password, trunkPort)).not.toBe(0);
      expect(sip.stderr()).not.toMatch(/call out to 01099998888/);
    });

    it('says nothing about the software it runs, in replies or in requests of its own', async () => {
      const c = await sipClient({ host: '127.0.0.1', port: sipPort });
      try {
        const answer = await c.request({ method: 'OPTIONS', uri: `sip:127.0.0.1:${sipPort}`, from: 'anyone' });
        expect(answer?.status).toBe(200);
        expect(answer?.headers.server).toBeUndefined();
        expect(answer?.lines.join('\n')).not.toMatch(/kamailio|^server:/im);
      } finally {
        c.close();
      }
      const cfg = readFileSync(join(REPO, 'resources/kamailio/kamailio.cfg'), 'utf8');
      expect(cfg).toMatch(/^server_signature=no$/m);
      expect(cfg).toMatch(/^user_agent_header="User-Agent: minwon"$/m);
    });

    it('keeps one registration per account: a phone that registers replaces the account’s other phone', async () => {
      const { sip: creds } = await login('agent2');
      const phones = await Promise.all([sipClient({ host: '127.0.0.1', port: sipPort }), sipClient({ host: '127.0.0.1', port: sipPort })]);
      try {
        const contacts = async (c: SipClient, host: string) => {
          const r = await c.request({ method: 'REGISTER', uri: 'sip:127.0.0.1', from: 'agent2', to: 'sip:agent2@127.0.0.1', secret: creds.password, headers: [`Contact: <sip:agent2@${host}>`, 'Expires: 60'] });
          expect(r?.status).toBe(200);
          return (r?.lines ?? []).filter((l) => /^Contact:/i.test(l)).join(',').match(/sip:agent2@[\w.]+/g);
        };
        expect(await contacts(phones[0], 'first.invalid')).toEqual(['sip:agent2@first.invalid']);
        // Without the rule the answer would list both bindings: a call would fork to two desks.
        expect(await contacts(phones[1], 'second.invalid')).toEqual(['sip:agent2@second.invalid']);
      } finally {
        phones.forEach((p) => p.close());
      }
    });

    describe('presence from the desks themselves (MESSAGE to presence)', () => {
      const PRESENCE = 'application/x-minwon-presence';
      let c: SipClient;
      let secret: string;
      const row = () => sipTables.get<{ state: string; since: number; version: number }>('SELECT state, since, version FROM agent_presence WHERE username = ?', ['agent1']);
      const tell = (body: string, o: { from?: string; secret?: string | undefined; contentType?: string } = {}) =>
        c.request({ method: 'MESSAGE', uri: 'sip:presence@127.0.0.1', from: o.from ?? 'agent1', body, contentType: o.contentType ?? PRESENCE, secret: 'secret' in o ? o.secret : secret });
      beforeAll(async () => {
        c = await sipClient({ host: '127.0.0.1', port: sipPort });
        secret = (await login('agent1')).sip.password;
      });
      afterAll(() => c.close());

      it('records the state for distribution, with no city server involved', async () => {
        const version = Date.now();
        expect((await tell(`ready ${version}`))?.status).toBe(200);
        expect(await row()).toMatchObject({ state: 'ready', version });
        const since = (await row())?.since as number;
        expect(Math.abs(since - Date.now())).toBeLessThan(5_000);
        // The same state again keeps the agent's place in the queue.
        expect((await tell(`ready ${version + 1}`))?.status).toBe(200);
        expect(await row()).toEqual({ state: 'ready', since, version: version + 1 });
        expect((await tell(`on-call ${version + 2}`))?.status).toBe(200);
        expect(await row()).toMatchObject({ state: 'on-call', version: version + 2 });
        // A late report of an older state changes nothing.
        expect((await tell(`ready ${version}`))?.status).toBe(200);
        expect(await row()).toMatchObject({ state: 'on-call', version: version + 2 });
      });

      it('agrees with the city server: whichever path brings the newer state wins', async () => {
        const token = (await login('agent1')).token;
        const version = Date.now() + 1_000;
        const put = (body: object) => fetch(`${city.url}/api/presence`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect((await tell(`break ${version}`))?.status).toBe(200);
        expect((await put({ state: 'ready', reason: null, version: version - 1 })).status).toBe(200);
        expect(await row()).toMatchObject({ state: 'break', version });
        expect((await put({ state: 'not-ready', reason: 'meal', version: version + 1 })).status).toBe(200);
        expect((await tell(`break ${version}`))?.status).toBe(200);
        expect(await row()).toMatchObject({ state: 'not-ready', version: version + 1 });
      });

      it('refuses what is not a state, anyone unproven, another agent’s name and the PBX trunk', async () => {
        const before = await row();
        for (const body of ['asleep 1', 'ready', 'ready -1', "ready 1'); DROP TABLE agent_presence; --", `ready ${'9'.repeat(16)}`]) {
          expect((await tell(body))?.status, body).toBe(400);
        }
        expect((await tell(`ready ${Date.now() + 5_000}`, { secret: undefined }))?.status).toBe(407);
        // agent1's credentials do not speak for agent2.
        expect((await tell(`ready ${Date.now() + 5_000}`, { from: 'agent2' }))?.status).not.toBe(200);
        const trunk = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', trunkPort);
        try {
          expect(await trunk.request({ method: 'MESSAGE', uri: 'sip:presence@127.0.0.1', from: 'agent1', body: `ready ${Date.now() + 5_000}`, contentType: PRESENCE })).toMatchObject({ status: 403 });
        } finally {
          trunk.close();
        }
        expect(await row()).toEqual(before);
      });
    });

    it('rings the ready agent idle the longest, counts the call waiting while it rings, and moves on when that agent declines', async () => {
      // Two agents' phones over UDP: agent2's rings (answers later), agent1's is busy.
      const ringing = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', 0, (method) => (method === 'INVITE' ? null : 200));
      const busy = await sipClient({ host: '127.0.0.1', port: sipPort });
      const trunk = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', trunkPort);
      try {
        for (const [phone, user] of [[ringing, 'agent2'], [busy, 'agent1']] as const) {
          const { sip: creds } = await login(user);
          const r = await phone.request({ method: 'REGISTER', uri: 'sip:127.0.0.1', from: user, to: `sip:${user}@127.0.0.1`, secret: creds.password, headers: [`Contact: <sip:${user}@127.0.0.1:${phone.local.port}>`, 'Expires: 300'] });
          expect(r?.status, user).toBe(200);
        }
        // agent2 ready first, then agent1, through the city server (which may be another instance than Kamailio reads from).
        const ready = async (user: string) => {
          const { token } = await login(user);
          const r = await call(city.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'ready', reason: null }) });
          expect(r.status).toBe(200);
        };
        await ready('agent2');
        await new Promise((r) => setTimeout(r, 20));
        await ready('agent1');
        const { token: lead } = await login('lead1');
        const waiting = async () => ((await call(city.url, lead, '/api/queue')).body as { waiting: { count: number } }).waiting.count;
        expect(await waiting()).toBe(0);

        const answer = trunk.request({ method: 'INVITE', uri: 'sip:2708282@127.0.0.1', from: '01055501234', ms: 15_000 });
        const invite = (await waitFor(async () => ringing.received.find((r) => r.method === 'INVITE'), Boolean, 5_000)) as SipRequest;
        expect(invite.uri).toMatch(/^sip:agent2@/);
        // Kamailio wrote the ringing call where the city server counts it.
        await waitFor(waiting, (n) => n === 1, 3_000);
        ringing.answer(invite, 486);
        // Declined: the next ready agent (busy too), then nobody: the citizen hears busy, and nothing waits.
        expect((await answer)?.status).toBe(486);
        expect(busy.received.filter((r) => r.method === 'INVITE').map((r) => r.uri)).toEqual([expect.stringMatching(/^sip:agent1@/)]);
        expect(await waiting()).toBe(0);
        expect(sip.stderr()).not.toMatch(/ERROR.*(db_|sql)/i);
      } finally {
        ringing.close();
        busy.close();
        trunk.close();
      }
    });

    it('turns a call to the representative number that nobody answers into a callback request, once, by the network’s number', async () => {
      for (const user of ['agent1', 'agent2']) {
        const { token } = await login(user);
        await call(city.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'not-ready', reason: 'meal' }) });
      }
      const trunk = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', trunkPort);
      try {
        const answer = await trunk.request({ method: 'INVITE', uri: 'sip:2708282@127.0.0.1', from: 'pbx', headers: ['P-Asserted-Identity: <sip:01077001234@127.0.0.1>'], ms: 5_000 });
        expect(answer?.status).toBe(486);
        // Withheld: nothing to call back.
        expect((await trunk.request({ method: 'INVITE', uri: 'sip:2708282@127.0.0.1', from: 'anonymous', ms: 5_000 }))?.status).toBe(486);
      } finally {
        trunk.close();
      }
      const { token: lead } = await login('lead1');
      const queue = async () => ((await call(city.url, lead, '/api/callbacks')).body as { callbacks: { number: string; sources: string[] }[] }).callbacks;
      const taken = await waitFor(queue, (l) => l.some((c) => c.number === '+821077001234'), 5_000);
      expect(taken.filter((c) => c.number === '+821077001234')).toEqual([expect.objectContaining({ sources: ['abandoned'] })]);
      expect(taken.some((c) => c.number.includes('anonymous'))).toBe(false);
      // Taken off Kamailio's table once it is a request.
      await waitFor(async () => (await sipTables.all('SELECT call_id FROM abandoned_calls')).length, (n) => n === 0, 5_000);
    });

    it('logs each call to the representative number for the analysis: answered or abandoned, with its wait, taken into queue_calls and rollup_queue', async () => {
      /** The city server's own tables (on SQLite its file, read only beside the running server). */
      const inCity = async <T>(read: (db: Db) => Promise<T>): Promise<T> => {
        if (database) return read(sipTables);
        const db = sqliteStore(new Database(cityDbFile(dataDir), { readonly: true, fileMustExist: true }));
        try {
          return await read(db);
        } finally {
          await db.close();
        }
      };
      const rollup = () =>
        inCity(async (db) => new Map((await db.all<Record<string, string | number>>('SELECT * FROM rollup_queue')).map((r) => [`${r.day} ${r.hour}`, r])));
      const md5 = (callId: string | undefined) => createHash('md5').update(callId as string).digest('hex');
      const presence = async (user: string, state: 'ready' | 'not-ready') => {
        const { token } = await login(user);
        const r = await call(city.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify(state === 'ready' ? { state, reason: null } : { state, reason: 'meal' }) });
        expect(r.status).toBe(200);
      };
      // agent2's phone rings until told; agent1 is not ready (the test before), so a decline ends the call.
      const ringing = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', 0, (method) => (method === 'INVITE' ? null : 200));
      const trunk = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', trunkPort);
      try {
        const { sip: creds } = await login('agent2');
        const registered = await ringing.request({ method: 'REGISTER', uri: 'sip:127.0.0.1', from: 'agent2', to: 'sip:agent2@127.0.0.1', secret: creds.password, headers: [`Contact: <sip:agent2@127.0.0.1:${ringing.local.port}>`, 'Expires: 300'] });
        expect(registered?.status).toBe(200);
        await presence('agent2', 'ready');
        // The calls of the tests before are taken first: what follows adds only this test's calls.
        await waitFor(async () => (await sipTables.all('SELECT call_id FROM queue_log')).length, (n) => n === 0, 5_000);
        const before = await rollup();
        const started = Date.now();

        /** A call from the trunk that agent2's phone answers with `status` after `ringMs`. */
        const ring = async (status: number, ringMs: number) => {
          const seen = ringing.received.length;
          const answer = trunk.request({ method: 'INVITE', uri: 'sip:2708282@127.0.0.1', from: 'anonymous', ms: 15_000 });
          const invite = (await waitFor(async () => ringing.received.slice(seen).find((r) => r.method === 'INVITE'), Boolean, 5_000)) as SipRequest;
          // While it rings the log has its arrival only, by the Call-ID's md5.
          const id = md5(invite.lines.find((l) => /^Call-ID:/i.test(l))?.replace(/^Call-ID: */i, ''));
          const row = await sipTables.get<{ arrived: number | string; answered: unknown; gone: unknown }>('SELECT arrived, answered, gone FROM queue_log WHERE call_id = ?', [id]);
          expect(row).toMatchObject({ answered: null, gone: null });
          expect(Math.abs(Number(row?.arrived) - Date.now())).toBeLessThan(5_000);
          await new Promise((r) => setTimeout(r, ringMs));
          ringing.answer(invite, status);
          expect((await answer)?.status).toBe(status);
          return id;
        };
        const answered = await ring(200, 400);
        const abandoned = await ring(486, 300);
        // Nobody ready: given up on arrival.
        await presence('agent2', 'not-ready');
        const busy = await trunk.request({ method: 'INVITE', uri: 'sip:2708282@127.0.0.1', from: 'anonymous', ms: 5_000 });
        expect(busy?.status).toBe(486);
        const turnedAway = md5(busy?.headers['call-id']);

        const ids = [answered, abandoned, turnedAway];
        const kept = await waitFor(
          () => inCity((db) => db.all<{ call_id: string; arrived_at: string; answered: number; wait_ms: number }>(`SELECT * FROM queue_calls WHERE call_id IN (?, ?, ?)`, ids)),
          (rows) => rows.length === 3,
          5_000,
        );
        const byId = new Map(kept.map((r) => [r.call_id, r]));
        for (const r of kept) expect(Date.parse(r.arrived_at)).toBeGreaterThanOrEqual(started - 1_000);
        expect(byId.get(answered)).toMatchObject({ answered: 1, wait_ms: expect.any(Number) });
        expect(byId.get(answered)?.wait_ms).toBeGreaterThanOrEqual(400);
        expect(byId.get(answered)?.wait_ms).toBeLessThan(5_000);
        expect(byId.get(abandoned)).toMatchObject({ answered: 0 });
        expect(byId.get(abandoned)?.wait_ms).toBeGreaterThanOrEqual(300);
        expect(byId.get(abandoned)?.wait_ms).toBeLessThan(5_000);
        expect(byId.get(turnedAway)).toMatchObject({ answered: 0, wait_ms: 0 });
        // Taken off the log, and counted in the rollup as the analysis defines it, once.
        expect(await sipTables.all(`SELECT call_id FROM queue_log WHERE call_id IN (?, ?, ?)`, ids)).toEqual([]);
        const after = await rollup();
        const cells = kept.map((r) => queueCellOf({ arrivedAt: r.arrived_at, answered: r.answered === 1, waitMs: r.wait_ms }));
        const columns = { offered: 'offered', answered: 'answered', abandoned: 'abandoned', answeredWaitMs: 'answered_wait_ms', abandonedWaitMs: 'abandoned_wait_ms' } as const;
        for (const key of new Set(cells.map((c) => `${c.day} ${c.hour}`))) {
          for (const [measure, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
            const expected = cells.filter((c) => `${c.day} ${c.hour}` === key).reduce((n, c) => n + c[measure], 0);
            expect(Number(after.get(key)?.[column]) - Number(before.get(key)?.[column] ?? 0), `${key} ${column}`).toBe(expected);
          }
        }
        expect(sip.stderr()).not.toMatch(/ERROR.*(db_|sql)/i);
      } finally {
        // Nobody ready for the tests after.
        await presence('agent2', 'not-ready');
        ringing.close();
        trunk.close();
      }
    });

    describe('who is calling is the network’s word (the trunk’s, or a practice caller’s)', () => {
      // What a desk would show as the citizen: the number, the name, the IVR choice. Header names in
      // any case: SIP's are case-insensitive, and an attacker would try.
      const IDENTITY = [
        'P-Asserted-Identity: <sip:01099990000@127.0.0.1>',
        'p-preferred-identity: <sip:01099990001@127.0.0.1>',
        'Remote-Party-ID: "민원인" <sip:01099990002@127.0.0.1>;party=calling',
        'X-Minwon-IVR: passport',
      ];
      const identityOf = (r: SipRequest | undefined) => (r?.lines ?? []).filter((l) => /^(p-asserted-identity|p-preferred-identity|remote-party-id|x-minwon-ivr):/i.test(l));
      let staff: SipClient;
      beforeAll(async () => {
        // 3511, a staff phone, takes the calls: it answers 200, so a call is up and requests follow in it.
        staff = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', 0, () => 200);
        const { sip: creds } = await login('3511');
        const r = await staff.request({ method: 'REGISTER', uri: 'sip:127.0.0.1', from: '3511', to: 'sip:3511@127.0.0.1', secret: creds.password, headers: [`Contact: <sip:3511@127.0.0.1:${staff.local.port}>`, 'Expires: 300'] });
        expect(r?.status).toBe(200);
      });
      afterAll(() => staff.close());

      /** `method` to 3511 with the identity headers, from `user` (with its secret; none for the trunk) at `client`; what 3511 received. */
      const sendAs = async (client: SipClient, user: string, secret: string | undefined, method = 'INVITE') => {
        const before = staff.received.length;
        const answer = await client.request({ method, uri: 'sip:3511@127.0.0.1', from: user, secret, headers: IDENTITY, ...(method === 'MESSAGE' ? { body: '안녕하세요' } : {}) });
        expect(answer?.status).toBe(200);
        const got = staff.received.slice(before).find((r) => r.method === method);
        expect(got).toBeDefined();
        return { got, answer: answer as SipAnswer };
      };
      const withClient = async <T>(port: number, run: (c: SipClient) => Promise<T>) => {
        const c = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.1', port);
        try {
          return await run(c);
        } finally {
          c.close();
        }
      };

      it('strips them from an agent’s and a staff phone’s calls and messages', async () => {
        for (const user of ['agent1', '3512']) {
          const { sip: creds } = await login(user);
          await withClient(0, async (c) => {
            expect(identityOf((await sendAs(c, user, creds.password)).got), user).toEqual([]);
            expect(identityOf((await sendAs(c, user, creds.password, 'MESSAGE')).got), user).toEqual([]);
          });
        }
        expect(sip.stderr()).toMatch(/identity headers from agent1 at 127\.0\.0\.1:\d+ stripped/);
      });

      it('strips them inside a call too, where nobody proves an account', async () => {
        const { sip: creds } = await login('agent1');
        await withClient(0, async (c) => {
          const { answer } = await sendAs(c, 'agent1', creds.password);
          const tag = (header: string | undefined) => /;tag=([^;\s]+)/.exec(header ?? '')?.[1] as string;
          const dialog = { callId: answer.headers['call-id'] as string, fromTag: tag(answer.headers.from), toTag: tag(answer.headers.to) };
          // The route back through the server, as its Record-Route said (reversed for the caller's side).
          const route = answer.lines.filter((l) => /^Record-Route:/i.test(l)).map((l) => l.replace(/^Record-Route:/i, 'Route:')).reverse();
          expect(route.length).toBeGreaterThan(0);
          const before = staff.received.length;
          const bye = await c.request({ method: 'BYE', uri: `sip:3511@127.0.0.1:${staff.local.port}`, from: 'agent1', to: 'sip:3511@127.0.0.1', dialog, headers: [...route, ...IDENTITY] });
          expect(bye?.status).toBe(200);
          const got = staff.received.slice(before).find((r) => r.method === 'BYE');
          expect(got).toBeDefined();
          expect(identityOf(got)).toEqual([]);
        });
      });

      it('keeps them from the PBX trunk, and from a practice caller provisioned as one', async () => {
        await withClient(trunkPort, async (trunk) => expect(identityOf((await sendAs(trunk, '01012345678', undefined)).got)).toEqual(IDENTITY));
        const { sip: creds } = await login('citizen1');
        await withClient(0, async (c) => expect(identityOf((await sendAs(c, 'citizen1', creds.password)).got)).toEqual(IDENTITY));
        // An account the city adds as one, at once (the CLI provisions the SIP server's file).
        expect((await addUser(['trainer9', '--role', 'agent', '--practice-caller'], 'trainer9-password')).stderr).toMatch(/--practice-caller is for phone accounts/);
        const add = await addUser(['trainer9', '--role', 'phone', '--practice-caller'], 'trainer9-password');
        expect(add).toMatchObject({ code: 0, stdout: expect.stringMatching(/created phone trainer9 .*a practice caller/) });
        const trainer = (await signIn(city.url, 'trainer9', 'trainer9-password')).sip;
        await withClient(0, async (c) => expect(identityOf((await sendAs(c, 'trainer9', trainer.password)).got)).toEqual(IDENTITY));
      });
    });

    it('shuts out an address that floods it, for a minute, and never the PBX trunk or the desks’ address', async () => {
      // 127.0.0.2 is another host as far as the server can tell.
      const flooder = await sipClient({ host: '127.0.0.1', port: sipPort }, '127.0.0.2');
      const desk = await sipClient({ host: '127.0.0.1', port: sipPort });
      try {
        const options = (c: SipClient) => c.request({ method: 'OPTIONS', uri: `sip:127.0.0.1:${sipPort}`, from: 'scanner', ms: 1_500 });
        expect((await options(flooder))?.status).toBe(200);
        const burst = await Promise.all(Array.from({ length: 400 }, () => options(flooder)));
        const answered = burst.filter((a) => a !== null).length;
        expect(answered).toBeGreaterThan(0);
        expect(answered).toBeLessThan(400);
        // Silence, not an answer: a scanner learns nothing.
        expect(await options(flooder)).toBeNull();
        expect((await options(desk))?.status).toBe(200);
        await waitFor(async () => /flood from 127\.0\.0\.2: ignored for 60 s/.test(sip.stderr()), Boolean, 2_000);
        // The trunk at the same rate is a busy PBX, not a flood.
        const run = runSipp(dataDir, { scenario: 'pbx-call.xml', localPort: trunkPort, target: `127.0.0.1:${sipPort}`, numbers: Array.from({ length: 300 }, () => '2708282'), args: ['-m', '300', '-r', '300', '-d', '0', '-timeout', '15s'] });
        await run.exited;
        expect(run.output()).toMatch(/486 All Agents Busy/);
        expect((await trunkCall('2708282')).output).toMatch(/486 All Agents Busy/);
        expect(sip.stderr()).not.toMatch(/flood from 127\.0\.0\.1/);
      } finally {
        flooder.close();
        desk.close();
      }
    });

    it('restarts Kamailio when its main process is killed, taking its leftover workers down with it', async () => {
      const kamailio = childPids(sip.proc.pid as number).find((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'kamailio') as number;
      const workers = childPids(kamailio);
      expect(workers.length).toBeGreaterThan(2);
      process.kill(kamailio, 'SIGKILL');
      await waitFor(async () => /kamailio is down/.test(sip.stderr()), Boolean, 5_000);
      await waitFor(async () => /kamailio is back/.test(sip.stderr()), Boolean, 15_000);
      // None of the old workers is left serving (gone, or a zombie waiting for init to reap it).
      const alive = (pid: number) => {
        try {
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return false;
        }
      };
      expect(workers.filter(alive)).toEqual([]);
      const { sip: creds } = await login('agent1');
      expect(await register('agent1', creds.password)).toBe(0);
    });

    // PostgreSQL only: a SQLite file has no server to restart.
    if (name === 'postgres') it('goes on after PostgreSQL restarts: accounts and presence are read and written again', async () => {
      await stores.restartPostgres();
      const { sip: creds } = await login('agent2');
      // Kamailio's connections were cut: it reconnects on its next query (a first attempt may fail).
      await waitFor(() => register('agent2', creds.password), (code) => code === 0, 10_000);
      const c = await sipClient({ host: '127.0.0.1', port: sipPort });
      try {
        const version = Date.now() + 60_000;
        const tell = () => c.request({ method: 'MESSAGE', uri: 'sip:presence@127.0.0.1', from: 'agent2', body: `break ${version}`, contentType: 'application/x-minwon-presence', secret: creds.password });
        await waitFor(async () => (await tell())?.status, (status) => status === 200, 10_000);
        expect(await sipTables.get('SELECT state, version FROM agent_presence WHERE username = ?', ['agent2'])).toEqual({ state: 'break', version });
      } finally {
        c.close();
      }
    });

    it('refuses a trunk option that is not addresses, saying why', async () => {
      const r = await runMinwon(['sip', '--data', dataDir, '--pbx', 'pbx.city.go.kr']);
      expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/"pbx.city.go.kr" is not an IP address/) });
    });

    it('says what is missing when there are no provisioned accounts', async () => {
      const empty = await stores.database(name);
      const r = await runMinwon(['sip', '--data', mkdtempSync(join(tmpdir(), 'minwon-empty-')), '--ws-port', String(await freePort())], empty ? { MINWON_DATABASE_URL: empty } : {});
      expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/no SIP accounts .*start the city server/) });
    });
  });
});
