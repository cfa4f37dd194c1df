import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../helpers/http';
import { freePort } from '../../helpers/ports';
import { REPO, runMinwon, startCityServerProcess, startSipProcess, type CityServerProcess, type Spawned } from '../../helpers/processes';

// The SIP server of the stack: Debian's Kamailio with the project's config, digest credentials
// provisioned by the city server, checked with SIPp (a SIP client nobody on the team wrote).

let dataDir: string;
let city: CityServerProcess;
let sip: Spawned;
let sipPort: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minwon-sip-'));
  city = await startCityServerProcess(dataDir, { demo: true });
  sipPort = await freePort();
  sip = await startSipProcess(dataDir, { ws: await freePort(), sip: sipPort });
});

afterAll(async () => {
  sip.proc.kill('SIGTERM');
  await sip.exited;
  await city.stop();
});

const login = (username: string) => signIn(city.url, username, username);

/** One SIPp REGISTER run; resolves to SIPp's exit code (0: registered). */
function register(user: string, secret: string): Promise<number | null> {
  return new Promise((resolve) => {
    const p = spawn(
      'sipp',
      ['-sf', join(REPO, 'resources/sipp/register.xml'), '-s', user, '-au', user, '-ap', secret, '-m', '1', '-i', '127.0.0.1', '-p', '0', '-timeout', '10s', '-timeout_error', '-nostdin', `127.0.0.1:${sipPort}`],
      { stdio: 'ignore' },
    );
    p.on('exit', (code) => resolve(code));
  });
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

  it('says what is missing when there are no provisioned accounts', async () => {
    const r = await runMinwon(['sip', '--data', mkdtempSync(join(tmpdir(), 'minwon-empty-')), '--ws-port', String(await freePort())]);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/no SIP accounts .*start the city server/) });
  });
});
