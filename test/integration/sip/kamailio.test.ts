import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../helpers/http';
import { freePort } from '../../helpers/ports';
import { REPO, runMinwon, startCityServerProcess, startSipProcess, type CityServerProcess, type Spawned } from '../../helpers/processes';
import { makeTonePcap, runSipp } from '../../helpers/sipp';

// The SIP server of the stack: Debian's Kamailio with the project's config, digest credentials
// provisioned by the city server, and the PBX trunk, checked with SIPp (a SIP client nobody on the
// team wrote).

let dataDir: string;
let city: CityServerProcess;
let sip: Spawned;
let sipPort: number;
/** The PBX trunk's address (SIPp binds it to speak as the PBX). */
let trunkPort: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minwon-sip-'));
  city = await startCityServerProcess(dataDir, { demo: true });
  sipPort = await freePort();
  trunkPort = await freePort();
  sip = await startSipProcess(dataDir, { ws: await freePort(), sip: sipPort }, { pbx: `127.0.0.1:${trunkPort}` });
  makeTonePcap(dataDir, 440, 2);
});

afterAll(async () => {
  sip.proc.kill('SIGTERM');
  await sip.exited;
  await city.stop();
});

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
    const add = await runMinwon(['user', 'add', 'agent9', '--role', 'agent', '--data', dataDir], { MINWON_PASSWORD: 'agent9-password' });
    expect(add.code).toBe(0);
    const { sip: creds } = await signIn(city.url, 'agent9', 'agent9-password');
    expect(await register('agent9', creds.password)).toBe(0);
  });

  it('trusts the PBX trunk by its address: its call to the representative number is answered busy (nobody ready), not challenged', async () => {
    const r = await trunkCall('2708282');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/486 All Agents Busy/);
    expect(r.output).not.toMatch(/407/);
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

  it('refuses a trunk option that is not addresses, saying why', async () => {
    const r = await runMinwon(['sip', '--data', dataDir, '--pbx', 'pbx.city.go.kr']);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/"pbx.city.go.kr" is not an IP address/) });
  });

  it('says what is missing when there are no provisioned accounts', async () => {
    const r = await runMinwon(['sip', '--data', mkdtempSync(join(tmpdir(), 'minwon-empty-')), '--ws-port', String(await freePort())]);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/no SIP accounts .*start the city server/) });
  });
});
