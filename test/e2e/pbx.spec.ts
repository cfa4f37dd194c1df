import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastHeardRecording, startBaresip, toneRuns, toneTimeline, type Baresip } from '../helpers/baresip';
import { ABSENT, heard, launchParty, PRESENT, stopAll, TONES, DESK_VIEWPORT } from '../helpers/browser';
import { agentState, answerWhenRinging, callCard, dial, dismiss, notReady, pressKeys, ready, REP, transferField } from '../helpers/desk-page';
import { call as api, login, openAroundTheClock } from '../helpers/http';
import { freePort, udpPortBound } from '../helpers/ports';
import { childPid, pidsByCommandLine, startCityServerProcess, startDeskProcess, startSipProcess, type CityServerProcess, type Spawned, type SipPorts } from '../helpers/processes';
import { gatewayCalls, packetsByLeg, packetsDuring } from '../helpers/rtpengine-ng';
import { makeTonePcap, runSipp } from '../helpers/sipp';

// Calls from the city's PBX: plain SIP over UDP and G.711 RTP, bridged to the desks' WebRTC by
// rtpengine under Kamailio. The PBX and the citizen behind it are SIP clients nobody on the team
// wrote: baresip (a tone from a WAV, a recording of what it hears) and SIPp (G.711 from a pcap).

const TONE = { agent1: TONES[0], agent2: TONES[1], citizen: TONES[2], pbxPcap: TONES[3] } as const;
const CITIZEN = '01055501234';

let dir: string;
let city: CityServerProcess;
let sip: Spawned;
let ports: SipPorts & { ng: number };
/** The trunk's two addresses: baresip on the first, SIPp (calling in, or answering when the first is down) on the second. */
let pbx: { primary: number; secondary: number };
let baresip: Baresip;
/** A team lead's token, for the board (which shows the presence Kamailio reads). */
let lead: string;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
const pages = {} as Record<'agent1' | 'agent2', Page>;

const startSip = (bypassMediaGateway = false) =>
  startSipProcess(join(dir, 'city'), ports, { pbx: `127.0.0.1:${pbx.primary},127.0.0.1:${pbx.secondary}`, bypassMediaGateway });
const phoneStatus = (page: Page) => page.getByRole('status', { name: '전화 상태' });

/** Restarts the SIP server (Kamailio keeps registrations in memory) and waits for both desks to register again. */
async function restartSip(bypassMediaGateway: boolean) {
  sip.proc.kill('SIGTERM');
  await sip.exited;
  for (const page of Object.values(pages)) await expect(phoneStatus(page)).not.toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  sip = await startSip(bypassMediaGateway);
  for (const page of Object.values(pages)) await expect(phoneStatus(page)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
}

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-pbx-'));
  ports = { ws: await freePort(), sip: await freePort(), ng: await freePort() };
  pbx = { primary: await freePort(), secondary: await freePort() };
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  lead = await login(city.url, 'lead1', 'lead1');
  sip = await startSip();
  for (const user of ['agent1', 'agent2'] as const) {
    const desk = await startDeskProcess({ server: city.url, cache: join(dir, `${user}.sqlite`), user, extra: ['--sip-ws', sipWs, '--interval', '2'] });
    procs.push(desk);
    const browser = await launchParty(dir, TONE[user]);
    browsers.push(browser);
    const page = await (await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] })).newPage();
    await page.goto(desk.url);
    await expect(phoneStatus(page)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
    pages[user] = page;
  }
  baresip = await startBaresip(dir, { number: CITIZEN, sipPort: pbx.primary, hz: TONE.citizen, proxyPort: ports.sip });
  makeTonePcap(dir, TONE.pbxPcap, 30);
  await openAroundTheClock(city.url, lead);
});

test.afterAll(async () => {
  await baresip?.stop();
  await stopAll(browsers, [...procs, sip], city);
});

/** Ready on the desk, and known as ready where Kamailio looks (the board reads the same presence). */
async function readyForCalls(page: Page, user: string) {
  await ready(page);
  await expect
    .poll(async () => ((await api(city.url, lead, '/api/board')).body as { agents: { username: string; state: string }[] }).agents.find((a) => a.username === user)?.state)
    .toBe('ready');
}

/** The SDP body of the first message in a SIPp trace that starts with `start` (and, if given, whose CSeq names `method`). */
function sdpOf(trace: string, start: string, method?: string): string {
  const messages = trace.split(/\n(?=[A-Z]+ sip:|SIP\/2\.0 )/).map((m) => m.replace(/^[\s\S]*?(?=[A-Z]+ sip:|SIP\/2\.0 )/, ''));
  const message = messages.find((m) => m.startsWith(start) && (!method || new RegExp(`^CSeq: \\d+ ${method}`, 'mi').test(m)) && m.includes('v=0'));
  if (!message) throw new Error(`no ${start} with SDP in the trace`);
  const body = message.slice(message.indexOf('v=0'));
  return body.slice(0, body.search(/\n\s*\n|$/));
}

/** What the PBX may be offered or answered: plain RTP/AVP with PCMA/PCMU and telephone-event, nothing of WebRTC. */
function expectPlainG711(sdp: string) {
  const media = /^m=audio \d+ (\S+) ([\d ]+)$/m.exec(sdp);
  expect(media?.[1]).toBe('RTP/AVP');
  const rtpmaps = [...sdp.matchAll(/^a=rtpmap:(\d+) ([^\s/]+)\/(\d+)/gm)].map((m) => `${m[2]}/${m[3]}`);
  expect(rtpmaps.length).toBeGreaterThan(0);
  expect(rtpmaps.filter((c) => !['PCMA/8000', 'PCMU/8000', 'telephone-event/8000'].includes(c))).toEqual([]);
  expect(media?.[2]?.trim().split(' ').length).toBe(rtpmaps.length);
  for (const webrtcOnly of [/a=ice-/, /a=candidate/, /a=fingerprint/, /a=setup/, /a=crypto/, /a=extmap/, /a=rtcp-mux/, /a=mid/, /a=group/, /a=ssrc/, /a=msid/, /SAVPF/]) {
    expect(sdp).not.toMatch(webrtcOnly);
  }
}

/** The citizen calls the representative number and agent1, the only ready agent, answers; the index of the call's first baresip event. */
async function citizenOnCallWithAgent1(): Promise<number> {
  await readyForCalls(pages.agent1, 'agent1');
  const from = baresip.events.length;
  await baresip.command('dial', repUri());
  await answerWhenRinging(pages.agent1);
  return from;
}

const repUri = () => `sip:${REP}@127.0.0.1:${ports.sip}`;
type ListedCallback = { id: string; number: string; sources: string[]; state: string; attempts: number; dueAt: string; recordId: string | null; openAttempt: { id: string } | null };
/** The lead's queue: open (waiting and in flight), done, failed. */
const callbacks = async (state = 'open') => ((await api(city.url, lead, `/api/callbacks?state=${state}`)).body as { callbacks: ListedCallback[] }).callbacks;
/** The calls that reached the citizen so far (rung and rejected, or answered at once): one per dial. */
const ringsAtCitizen = () => new Set(baresip.events.filter((e) => e.direction === 'incoming' && e.id).map((e) => e.id)).size;
/** The callback line under agent1's call bar. */
const workLine = (page: Page) => page.getByRole('region', { name: '콜백' });

/** The wrap-up after a callback's conversation, filed: its record names the callback. */
async function fileWrapUp(page: Page, callbackId: string): Promise<void> {
  await page.getByRole('combobox', { name: '상담 분류' }).selectOption('상수도');
  await page.getByRole('button', { name: '상담 기록 저장' }).click();
  await expect.poll(async () => (await callbacks('done')).find((c) => c.id === callbackId)?.recordId, { timeout: 15_000 }).toEqual(expect.any(String));
}
/** What each leg sends into the gateway over a second: 'talk' (a 20 ms packet stream), 'silent', or a count in between. */
const flowing = async (callId: string) =>
  (await packetsDuring(ports.ng, callId, 1_000)).map((n) => (n >= 35 && n <= 65 ? 'talk' : n <= 3 ? 'silent' : n));
const keysHeardBy = (b: Baresip, from: number) =>
  b.events.slice(from).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');

test('nobody ready: the PBX’s call is refused busy at once, and the gateway keeps nothing of it', async () => {
  const from = baresip.events.length;
  expect((await baresip.command('dial', repUri())).ok).toBe(true);
  const closed = await baresip.waitEvent('CALL_CLOSED', from);
  expect(closed.param).toMatch(/486 All Agents Busy/);
  await expect(callCard(pages.agent1)).toHaveCount(0);
  expect(await gatewayCalls(ports.ng)).toEqual([]);
});

test('the citizen nobody answered is called back: offered to the agent who turns ready, dialled through the trunk, both hear each other, the outcome in one click', async () => {
  const { agent1 } = pages;
  // The call the test before refused busy is a callback request now.
  await expect.poll(async () => (await callbacks()).find((c) => c.number === '+821055501234')?.sources, { timeout: 10_000 }).toEqual(['abandoned']);
  await readyForCalls(agent1, 'agent1');
  const work = workLine(agent1);
  await expect(work).toContainText('콜백 요청 010-5550-1234', { timeout: 10_000 });
  const from = baresip.events.length;
  const take = work.getByRole('button', { name: '콜백 걸기' });
  await take.focus();
  await agent1.keyboard.press('Enter');
  await baresip.waitEvent('CALL_ESTABLISHED', from);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected', { timeout: 10_000 });
  await expect(work).toContainText('콜백 통화 010-5550-1234');
  // The screen-pop, as for a call that rang in: the citizen's number and their history.
  await expect(agent1.getByRole('region', { name: '민원인' })).toContainText('010-5550-1234');
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(async () => (await callbacks()).find((c) => c.number === '+821055501234')?.state).toBe('connected');
  // Both ways through the gateway before the agent hangs up: what the citizen recorded holds the agent.
  const [callId] = await gatewayCalls(ports.ng);
  await expect.poll(() => flowing(callId as string), { timeout: 10_000 }).toEqual(['talk', 'talk']);
  // The citizen hears the recording notice first; the agent's microphone opens after it.
  await expect(callCard(agent1).locator('[data-announcing="recording-notice"]')).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(() => toneRuns(toneTimeline(lastHeardRecording(baresip), TONE.agent1)), { timeout: 10_000 }).toEqual([false, true]);
  await agent1.keyboard.press('F4');
  await baresip.waitEvent('CALL_CLOSED', from);
  expect(toneRuns(toneTimeline(lastHeardRecording(baresip), TONE.agent1))).toEqual([false, true]);
  await expect(work).toContainText('결과를 선택하세요');
  await work.getByRole('button', { name: '통화 완료' }).click();
  await expect(work).toHaveCount(0);
  const done = (await callbacks('done')).find((c) => c.number === '+821055501234');
  expect(done?.state).toBe('completed');
  // The outcome and the wrap-up are one record: the consultation filed names the callback.
  await dismiss(agent1);
  await fileWrapUp(agent1, done?.id as string);
  await notReady(agent1);
});

test('no answer twice, then reached on the third attempt: each attempt dials once, the next comes after the city’s delay', async () => {
  test.setTimeout(360_000);
  const { agent1 } = pages;
  const policy = { fromAbandoned: true, maxAttempts: 3, retryMinutes: 1, offerSeconds: 30, ownerMinutes: 60 };
  expect((await api(city.url, lead, '/api/settings/callbacks', { method: 'PUT', body: JSON.stringify(policy) })).status).toBe(200);
  const asker = await login(city.url, 'agent2', 'agent2');
  const id = ((await api(city.url, asker, '/api/callbacks', { method: 'POST', body: JSON.stringify({ number: '010-5550-1234', note: '요금 재안내' }) })).body as { callback: { id: string } }).callback.id;
  const work = workLine(agent1);
  const before = ringsAtCitizen();
  await baresip.command('answermode', 'manual');
  try {
    for (const attempt of [1, 2]) {
      await readyForCalls(agent1, 'agent1');
      // The second offer waits for the retry delay (a minute): the distributor makes it by itself.
      await expect(work).toContainText('콜백 요청 010-5550-1234', { timeout: 90_000 });
      const from = baresip.events.length;
      await work.getByRole('button', { name: '콜백 걸기' }).click();
      await baresip.waitEvent('CALL_INCOMING', from);
      await baresip.command('hangup');
      await expect(work).toContainText('결과를 선택하세요', { timeout: 10_000 });
      await work.getByRole('button', { name: '받지 않음' }).click();
      await expect(work).toHaveCount(0);
      const c = (await callbacks()).find((x) => x.id === id);
      expect(c).toMatchObject({ state: 'pending', attempts: attempt, openAttempt: null });
      expect(Date.parse(c?.dueAt as string) - Date.now()).toBeGreaterThan(40_000);
      await dismiss(agent1);
    }
    await baresip.command('answermode', 'auto');
    await readyForCalls(agent1, 'agent1');
    await expect(work).toContainText('콜백 요청 010-5550-1234', { timeout: 90_000 });
    await expect(work).toContainText('시도 2회');
    const from = baresip.events.length;
    await work.getByRole('button', { name: '콜백 걸기' }).click();
    await baresip.waitEvent('CALL_ESTABLISHED', from);
    await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected', { timeout: 10_000 });
    await agent1.keyboard.press('F4');
    await expect(work).toContainText('결과를 선택하세요');
    await work.getByRole('button', { name: '통화 완료' }).click();
    await dismiss(agent1);
    await fileWrapUp(agent1, id);
    expect((await callbacks('done')).find((c) => c.id === id)).toMatchObject({ state: 'completed', attempts: 3 });
    // Three attempts, three dials: none twice.
    expect(ringsAtCitizen() - before).toBe(3);
  } finally {
    await baresip.command('answermode', 'auto');
  }
  await notReady(agent1);
});

test('the desk killed mid-dial: the number is not dialled again, and the restarted desk asks the agent how the attempt went', async () => {
  const asker = await login(city.url, 'agent2', 'agent2');
  const id = ((await api(city.url, asker, '/api/callbacks', { method: 'POST', body: JSON.stringify({ number: '010-5550-1234' }) })).body as { callback: { id: string } }).callback.id;
  await readyForCalls(pages.agent1, 'agent1');
  await expect(workLine(pages.agent1)).toContainText('콜백 요청 010-5550-1234', { timeout: 10_000 });
  const before = ringsAtCitizen();
  await baresip.command('answermode', 'manual');
  try {
    const from = baresip.events.length;
    await workLine(pages.agent1).getByRole('button', { name: '콜백 걸기' }).click();
    await baresip.waitEvent('CALL_INCOMING', from);
    // The desktop app dies with the citizen's phone ringing: its process and its window, no goodbye.
    procs[0]?.proc.kill('SIGKILL');
    for (const pid of pidsByCommandLine(join(dir, `${TONE.agent1}.wav`))) process.kill(pid, 'SIGKILL');
    await baresip.command('hangup');
    const desk = await startDeskProcess({ server: city.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', `ws://127.0.0.1:${ports.ws}`, '--interval', '2'] });
    procs[0] = desk;
    browsers[0] = await launchParty(dir, TONE.agent1);
    const page = await (await (browsers[0] as Browser).newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] })).newPage();
    await page.goto(desk.url);
    await expect(phoneStatus(page)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
    pages.agent1 = page;
    // Unknown: shown to the agent who made it, offered to nobody, dialled by nobody.
    await readyForCalls(page, 'agent1');
    const work = workLine(page);
    await expect(work).toContainText('결과를 선택하지 않은 콜백 010-5550-1234', { timeout: 10_000 });
    expect((await callbacks()).find((c) => c.id === id)).toMatchObject({ state: 'dialling', attempts: 1, openAttempt: expect.any(Object) });
    await page.waitForTimeout(3_000);
    expect(ringsAtCitizen() - before).toBe(1);
    await work.getByRole('button', { name: '받지 않음' }).click();
    await expect(work).toHaveCount(0);
    expect((await callbacks()).find((c) => c.id === id)).toMatchObject({ state: 'pending', attempts: 1, openAttempt: null });
    expect((await api(city.url, lead, `/api/callbacks/${id}/cancel`, { method: 'POST', body: '{}' })).status).toBe(200);
  } finally {
    await baresip.command('answermode', 'auto');
  }
  await notReady(pages.agent1);
});

test('a citizen through the PBX: the longest-idle ready agent rings, a decline moves on, both hear each other, keys both ways, hold and resume, the citizen hangs up', async () => {
  const { agent1, agent2 } = pages;
  // Each known as ready where Kamailio looks before the next: agent2 has been ready longer.
  await readyForCalls(agent2, 'agent2');
  await readyForCalls(agent1, 'agent1');
  const from = baresip.events.length;
  await baresip.command('dial', repUri());
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await expect(callCard(agent2)).toContainText(CITIZEN);
  // agent2 declines: the same gateway session serves the next agent's branch.
  await agent2.getByRole('button', { name: '거절 (F4)' }).click();
  await answerWhenRinging(agent1);
  await baresip.waitEvent('CALL_ESTABLISHED', from);
  expect(await gatewayCalls(ports.ng)).toHaveLength(1);

  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(agent1, TONE.agent1)).toBeLessThan(ABSENT);

  // The agent's keys go out as RFC 4733 events and reach the citizen's phone.
  await pressKeys(agent1, ['1', '2', '#']);
  await expect(callCard(agent1)).toContainText('보낸 번호: 12# · 음성 채널(RFC 4733)');
  await expect.poll(() => keysHeardBy(baresip, from), { timeout: 10_000 }).toBe('12#');
  // The citizen's keys come in as RFC 4733 events; the desk hears and shows them. At a person's
  // pace: a key once the desk has heard the one before.
  let sent = '';
  for (const k of ['5', '9', '0']) {
    await baresip.command('sndcode', k);
    sent += k;
    await expect(callCard(agent1)).toContainText(`받은 번호: ${sent}`, { timeout: 10_000 });
  }

  // Hold (a re-INVITE through Kamailio and rtpengine) silences both ways; resume restores both.
  // The gateway's counters show it: 50 packets a second each way in talk. On hold the citizen's
  // phone, offered sendonly, stops sending; the desk sends only its muted microphone's silence.
  const [callId] = await gatewayCalls(ports.ng);
  expect(await flowing(callId as string)).toEqual(['talk', 'talk']);
  await agent1.keyboard.press('F3');
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await expect.poll(() => flowing(callId as string), { timeout: 10_000 }).toEqual(['silent', 'talk']);
  await agent1.getByRole('button', { name: '보류' }).click();
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => flowing(callId as string), { timeout: 10_000 }).toEqual(['talk', 'talk']);

  // The citizen hangs up (the BYE comes from the PBX side).
  await baresip.command('hangup');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended', { timeout: 10_000 });
  await expect(agentState(agent1)).toContainText('후처리 중');
  await baresip.waitEvent('CALL_CLOSED', from);
  await expect.poll(() => gatewayCalls(ports.ng)).toEqual([]);
  // The citizen's recording (what its phone decoded) holds the agent's tone to the end, and no one else's.
  const recording = lastHeardRecording(baresip);
  expect(toneRuns(toneTimeline(recording, TONE.agent1))).toEqual([true]);
  expect(Math.max(...toneTimeline(recording, TONE.agent2))).toBeLessThan(0.01);
  await dismiss(agent1, agent2);
  await notReady(agent1);
  await notReady(agent2);
});

test('a callback: the agent dials the citizen’s number, the PBX carries it; the citizen holds and resumes; the agent hangs up', async () => {
  const { agent1 } = pages;
  const from = baresip.events.length;
  await dial(agent1, CITIZEN);
  await baresip.waitEvent('CALL_ESTABLISHED', from);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected', { timeout: 10_000 });
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  // The recording notice plays to the citizen before the agent's microphone opens.
  await expect(callCard(agent1).locator('[data-announcing="recording-notice"]')).toBeVisible();
  await expect(callCard(agent1).locator('[data-announcing]')).toHaveCount(0, { timeout: 20_000 });

  // The citizen's phone puts the agent on hold (a re-INVITE from the PBX side): one direction of
  // media stops at the gateway and the agent hears nothing; resume brings both back.
  const [callId] = await gatewayCalls(ports.ng);
  // Both ways first, so that what stops is the hold's doing.
  await expect.poll(() => flowing(callId as string), { timeout: 10_000 }).toEqual(['talk', 'talk']);
  expect((await baresip.command('hold')).ok).toBe(true);
  await expect.poll(() => flowing(callId as string), { timeout: 10_000 }).toEqual(['silent', 'talk']);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeLessThan(ABSENT);
  expect((await baresip.command('resume')).ok).toBe(true);
  await expect.poll(() => flowing(callId as string), { timeout: 10_000 }).toEqual(['talk', 'talk']);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);

  // Keys both ways on a call the desk placed.
  await pressKeys(agent1, ['7', '*']);
  await expect.poll(() => keysHeardBy(baresip, from), { timeout: 10_000 }).toBe('7*');
  await baresip.command('sndcode', '3');
  await expect(callCard(agent1)).toContainText('받은 번호: 3', { timeout: 10_000 });

  await agent1.keyboard.press('F4');
  await baresip.waitEvent('CALL_CLOSED', from);
  await expect.poll(() => gatewayCalls(ports.ng)).toEqual([]);
  expect(toneRuns(toneTimeline(lastHeardRecording(baresip), TONE.agent1))).toEqual([false, true]);
  await dismiss(agent1);
});

test('a blind transfer of a PBX call to a colleague: the PBX follows the REFER, and the citizen talks with agent2 through the gateway', async () => {
  const { agent1, agent2 } = pages;
  const from = await citizenOnCallWithAgent1();
  await readyForCalls(agent2, 'agent2');
  await (await transferField(agent1)).fill('agent2');
  await agent1.getByRole('button', { name: '바로 호전환', exact: true }).click();
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await expect(callCard(agent2)).toContainText(CITIZEN);
  await agent2.keyboard.press('F2');
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'connected');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended', { timeout: 15_000 });
  await expect.poll(() => heard(agent2, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await baresip.command('sndcode', '8');
  await expect(callCard(agent2)).toContainText('받은 번호: 8', { timeout: 10_000 });
  // The citizen hangs up once their phone has heard agent2 a while (a recording shorter than a run of frames holds no run).
  await expect.poll(() => toneRuns(toneTimeline(lastHeardRecording(baresip), TONE.agent2)), { timeout: 10_000 }).toEqual([true]);
  await baresip.command('hangup');
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'ended', { timeout: 10_000 });
  await expect.poll(() => gatewayCalls(ports.ng)).toEqual([]);
  // The agent's voice reached the citizen in the new call too (its recording is the last one).
  expect(toneRuns(toneTimeline(lastHeardRecording(baresip), TONE.agent2))).toEqual([true]);
  expect(baresip.events.slice(from).filter((e) => e.type === 'CALL_ESTABLISHED')).toHaveLength(2);
  await dismiss(agent1, agent2);
  await notReady(agent1);
  await notReady(agent2);
});

test('an attended transfer the PBX cannot complete (baresip follows the REFER but drops its Replaces): the desk says so, the citizen stays with the agent, and nobody is lost', async () => {
  const { agent1, agent2 } = pages;
  const from = await citizenOnCallWithAgent1();
  await readyForCalls(agent2, 'agent2');
  await (await transferField(agent1)).fill('agent2');
  await agent1.getByRole('button', { name: '상담 후 호전환', exact: true }).click();
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await agent2.keyboard.press('F2');
  const consult = agent1.getByRole('region', { name: '협의 통화', exact: true });
  await expect(consult).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => heard(agent2, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  // The PBX takes the REFER and calls agent2 plainly: agent2's desk, busy with the consultation, refuses.
  await agent1.getByRole('button', { name: '호전환 완료' }).click();
  const transfer = await baresip.waitEvent('TRANSFER', from);
  expect(transfer.param).toMatch(/^<sip:agent2@127\.0\.0\.1\?Replaces=/);
  await expect.poll(() => baresip.events.slice(from).filter((e) => e.type === 'CALL_CLOSED').map((e) => e.param)).toEqual(['486 Busy Here']);
  await expect(agent1.getByText('agent2(으)로 호전환하지 못했습니다. 민원인과 통화가 유지됩니다.')).toBeVisible({ timeout: 15_000 });
  // Back to the citizen: the consultation ends, and the two hear each other through the gateway.
  await agent1.getByRole('button', { name: '호전환 취소, 민원인에게 복귀' }).click();
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'ended');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  const [callId] = await gatewayCalls(ports.ng);
  await expect.poll(() => flowing(callId as string), { timeout: 10_000 }).toEqual(['talk', 'talk']);
  await baresip.command('hangup');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended', { timeout: 10_000 });
  await expect.poll(() => gatewayCalls(ports.ng)).toEqual([]);
  await dismiss(agent1, agent2);
  await notReady(agent1);
  await notReady(agent2);
});

test('the citizen gives up while the desk rings (CANCEL): the ringing stops and the gateway frees the call', async () => {
  const { agent1 } = pages;
  await readyForCalls(agent1, 'agent1');
  const from = baresip.events.length;
  await baresip.command('dial', repUri());
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  expect(await gatewayCalls(ports.ng)).toHaveLength(1);
  await baresip.command('hangup');
  await baresip.waitEvent('CALL_CLOSED', from);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended', { timeout: 10_000 });
  await expect.poll(() => gatewayCalls(ports.ng)).toEqual([]);
  await dismiss(agent1);
});

test('SIPp as the PBX trunk: G.711 A-law from a pcap through the record-routing proxy, both legs carry RTP, and the desk’s answer reaches the PBX as clean G.711', async () => {
  const { agent1 } = pages;
  await readyForCalls(agent1, 'agent1');
  const trace = join(dir, 'pbx-call.log');
  const sipp = runSipp(dir, { scenario: 'pbx-call.xml', localPort: pbx.secondary, target: `127.0.0.1:${ports.sip}`, numbers: [REP], args: ['-m', '1', '-d', '8000', '-trace_msg', '-message_file', trace, '-timeout', '60s', '-timeout_error'] });
  await answerWhenRinging(agent1);
  await expect.poll(() => heard(agent1, TONE.pbxPcap), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  const [callId] = await gatewayCalls(ports.ng);
  // Both tags (the PBX's and the desk's) have sent media into the gateway.
  await expect
    .poll(async () => Object.values(await packetsByLeg(ports.ng, callId as string)).map((n) => n > 50), { timeout: 10_000 })
    .toEqual([true, true]);
  expect(await sipp.exited, sipp.output()).toBe(0);
  expectPlainG711(sdpOf(readFileSync(trace, 'utf8'), 'SIP/2.0 200 OK', 'INVITE'));
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended');
  await dismiss(agent1);
  await notReady(agent1);
});

test('a PBX that offers late (an INVITE without SDP) is refused at once with 488 Early Offer Required, and no desk rings', async () => {
  const { agent1 } = pages;
  await readyForCalls(agent1, 'agent1');
  const trace = join(dir, 'pbx-late.log');
  const sipp = runSipp(dir, { scenario: 'pbx-late-offer.xml', localPort: pbx.secondary, target: `127.0.0.1:${ports.sip}`, numbers: [REP], args: ['-m', '1', '-trace_msg', '-message_file', trace, '-timeout', '15s', '-timeout_error'] });
  expect(await sipp.exited, sipp.output()).toBe(0);
  expect(readFileSync(trace, 'utf8')).toMatch(/Warning: 399 minwon "early offer required/);
  await expect(callCard(agent1)).toHaveCount(0);
  expect(await gatewayCalls(ports.ng)).toEqual([]);
  // Nothing of it waits on the team lead's board either.
  expect(((await api(city.url, lead, '/api/board')).body as { waiting: { count: number } }).waiting.count).toBe(0);
  await notReady(agent1);
});

test('a callback offers the PBX clean G.711 (PCMA/PCMU and telephone-event over plain RTP/AVP, nothing of WebRTC), on the second address when the first is down', async () => {
  const { agent1 } = pages;
  // The trunk's first address goes silent; SIPp answers on the second, keeping the INVITE it got.
  await baresip.stop();
  const sipp = runSipp(dir, { scenario: 'pbx-answer.xml', localPort: pbx.secondary, args: ['-m', '1', '-trace_msg', '-message_file', join(dir, 'pbx-answer.log'), '-timeout', '60s', '-timeout_error'] });
  await expect.poll(() => udpPortBound(pbx.secondary)).toBe(true);
  await dial(agent1, CITIZEN);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected', { timeout: 15_000 });
  await expect.poll(() => heard(agent1, TONE.pbxPcap), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await agent1.keyboard.press('F4');
  expect(await sipp.exited, sipp.output()).toBe(0);
  expectPlainG711(sdpOf(readFileSync(join(dir, 'pbx-answer.log'), 'utf8'), 'INVITE sip:'));
  await dismiss(agent1);
  baresip = await startBaresip(dir, { number: CITIZEN, sipPort: pbx.primary, hz: TONE.citizen, proxyPort: ports.sip });
});

test('only the trunk is trusted: the same call from another address is challenged and rings no desk', async () => {
  const { agent1 } = pages;
  await readyForCalls(agent1, 'agent1');
  const sipp = runSipp(dir, { scenario: 'pbx-call.xml', localPort: await freePort(), target: `127.0.0.1:${ports.sip}`, numbers: [REP], args: ['-m', '1', '-d', '1000', '-timeout', '15s', '-timeout_error'] });
  expect(await sipp.exited).not.toBe(0);
  expect(sipp.output()).toMatch(/\b407\b/);
  await expect(callCard(agent1)).toHaveCount(0);
  expect(await gatewayCalls(ports.ng)).toEqual([]);
  await notReady(agent1);
});

test('negative control: with rtpengine bypassed the browser refuses the PBX’s plain SDP, so the gateway is what makes it work', async () => {
  const { agent1 } = pages;
  await restartSip(true);
  try {
    await readyForCalls(agent1, 'agent1');
    const from = baresip.events.length;
    await baresip.command('dial', repUri());
    // The desk rings (an offer is only applied on answer), then cannot take the call: Chromium
    // will not apply an SDP without ICE and DTLS. With no other agent to try, the PBX hears busy.
    await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
    await agent1.keyboard.press('F2');
    const closed = await baresip.waitEvent('CALL_CLOSED', from);
    await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended');
    // JsSIP's "WebRTC Error", in the agent's words; the cause itself stays in the page's data.
    await expect(callCard(agent1)).toContainText('음성 연결을 맺지 못함');
    await expect(callCard(agent1)).toHaveAttribute('data-end-cause', 'WebRTC Error');
    expect(closed.param).toMatch(/486 All Agents Busy/);
    expect(baresip.events.slice(from).some((e) => e.type === 'CALL_ESTABLISHED')).toBe(false);
    await dismiss(agent1);
    await notReady(agent1);
  } finally {
    await restartSip(false);
  }
});

test('rtpengine killed during a PBX call: the desk does not call dead air good quality, says so, and calls the citizen back through the trunk', async () => {
  const { agent1 } = pages;
  const from = await citizenOnCallWithAgent1();
  await baresip.waitEvent('CALL_ESTABLISHED', from);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect(callCard(agent1).locator('[data-quality]')).toHaveAttribute('data-quality', 'good', { timeout: 10_000 });
  process.kill(childPid(sip.proc.pid as number, 'rtpengine'), 'SIGKILL');
  await expect(callCard(agent1).getByRole('alert').filter({ hasText: '상대방 음성이 들어오지 않습니다' })).toBeVisible({ timeout: 15_000 });
  await expect(callCard(agent1).locator('[data-quality]')).toHaveCount(0);
  await expect.poll(() => sip.stderr(), { timeout: 10_000 }).toMatch(/rtpengine is back/);
  // Kamailio tries a gateway it found dead again after 10 s (rtpengine_disable_tout). A sleep: nothing
  // shows when that time is up short of placing a call, and the one call to place is the callback below.
  await agent1.waitForTimeout(11_000);
  const back = baresip.events.length;
  await callCard(agent1).getByRole('button', { name: `끊고 ${CITIZEN}(으)로 다시 걸기` }).click();
  await baresip.waitEvent('CALL_CLOSED', from);
  await baresip.waitEvent('CALL_ESTABLISHED', back);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected', { timeout: 10_000 });
  await expect(callCard(agent1)).toContainText(CITIZEN);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect(callCard(agent1).getByRole('alert').filter({ hasText: '상대방 음성이 들어오지 않습니다' })).toHaveCount(0);
  await agent1.keyboard.press('F4');
  await baresip.waitEvent('CALL_CLOSED', back);
  await dismiss(agent1);
  await notReady(agent1);
});

test('rtpengine killed: PBX calls get 503 at once (never silence), it is started again, and calls are bridged again', async () => {
  const { agent1 } = pages;
  process.kill(childPid(sip.proc.pid as number, 'rtpengine'), 'SIGKILL');
  await readyForCalls(agent1, 'agent1');
  let from = baresip.events.length;
  await baresip.command('dial', repUri());
  expect((await baresip.waitEvent('CALL_CLOSED', from)).param).toMatch(/503 Media gateway unavailable/);
  await expect(callCard(agent1)).toHaveCount(0);
  await expect.poll(() => sip.stderr(), { timeout: 10_000 }).toMatch(/rtpengine is back/);
  // Kamailio tries a gateway it found dead again after 10 s; until then new calls get 503.
  const ringing = callCard(agent1).and(agent1.locator('[data-call-state="ringing"]'));
  const outcome = async () => ((await ringing.count()) ? 'ringing' : baresip.events.slice(from).find((e) => e.type === 'CALL_CLOSED')?.param);
  await expect(async () => {
    from = baresip.events.length;
    await baresip.command('dial', repUri());
    await expect.poll(outcome, { timeout: 10_000 }).not.toBeUndefined();
    expect(await outcome()).toBe('ringing');
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  await agent1.keyboard.press('F2');
  await baresip.waitEvent('CALL_ESTABLISHED', from);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await agent1.keyboard.press('F4');
  await baresip.waitEvent('CALL_CLOSED', from);
  await dismiss(agent1);
  await notReady(agent1);
});
