import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Callback } from '../../../shared/callback';
import { PER_ADDRESS } from '../../../server/http/public-routes';
import { call } from '../../helpers/http';
import type { CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';

// The citizens' page (issue 19): a callback request and a reservation without an account, as
// plain HTML forms; what was typed comes back with the errors; anyone may post, a few times.

const stores = serverStores();

describe.each(stores.names)('the citizens’ page (city server on $name)', ({ name }) => {
  let server: CityServerProcess;
  let lead: string;
  beforeAll(async () => {
    ({ server, lead } = await startDemoCity(stores, name, 'public'));
    const start = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const slots = { reminderMinutes: 60, slots: [{ id: 'passport-a', topic: '여권 상담', start, minutes: 30, capacity: 1 }] };
    expect((await call(server.url, lead, '/api/settings/reservations', { method: 'PUT', body: JSON.stringify(slots) })).status).toBe(200);
  });
  afterAll(() => server?.stop());

  const form = (path: string, fields: Record<string, string>) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const queue = async () => ((await call(server.url, lead, '/api/callbacks')).body as { callbacks: Callback[] }).callbacks;

  it('serves the page in Korean (English on request) under a policy that runs nothing', async () => {
    const r = await fetch(`${server.url}/public`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    const html = await r.text();
    expect(html).toMatch(/<html lang="ko">/);
    expect(html).toContain('<label for="callback-number">전화번호</label>');
    expect(html).toContain('여권 상담');
    expect(html).not.toMatch(/<script/i);
    expect(await (await fetch(`${server.url}/public?lang=en`)).text()).toMatch(/<html lang="en">[\s\S]*Call me back/);
    expect((await fetch(`${server.url}/public/style.css`)).headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('takes a callback request into the queue, and keeps what was typed, escaped, when it cannot', async () => {
    const bad = await form('/public/callback', { number: '"><script>alert(1)</script>', when: '2026-13-40T99:99', topic: 'water' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('전화번호를 정확히 입력해 주세요.');
    expect(html).toContain('날짜와 시간을 다시 선택해 주세요.');
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(html).not.toContain('<script>');
    expect(html).toMatch(/<option value="water" selected>/);
    expect(await (await form('/public/callback', { number: '+44 20 7946 0958', topic: 'water' })).text()).toContain('국내 전화번호만');

    const ok = await form('/public/callback', { number: '010-7000-1234', when: '', topic: 'passport' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('콜백 신청이 접수되었습니다.');
    expect((await queue()).find((c) => c.number === '+821070001234')).toMatchObject({ sources: ['web'], topic: 'passport', state: 'pending' });
  });

  it('books the last place of a slot, and says so when it is full, keeping the number typed', async () => {
    const first = await form('/public/reservation', { slotId: 'passport-a', number: '010-7000-5678' });
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/여권 상담 .* 예약이 접수되었습니다/);
    const full = await form('/public/reservation?lang=en', { slotId: 'passport-a', number: '010-7000-9999' });
    expect(full.status).toBe(409);
    const html = await full.text();
    expect(html).toContain('That time is fully booked.');
    expect(html).toContain('value="010-7000-9999"');
    expect((await form('/public/reservation', { number: '010-7000-9999' })).status).toBe(400);
  });

  it('takes only so many posts from one address in ten minutes, by the address the load balancer saw', async () => {
    // A fresh server behind a load balancer at 127.0.0.1: the tests above spent that address's allowance.
    const fresh = await startDemoCity(stores, name, 'public-limit', { trustProxy: '127.0.0.1' });
    try {
      const post = (from = '203.0.113.7') =>
        fetch(`${fresh.server.url}/public/callback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from }, body: 'number=abc&topic=water' });
      const statuses = [];
      for (let i = 0; i < PER_ADDRESS + 2; i++) statuses.push((await post()).status);
      expect(statuses).toEqual([...Array.from({ length: PER_ADDRESS }, () => 400), 429, 429]);
      expect(await (await post()).text()).toContain('신청이 너무 많습니다.');
      // Another citizen behind the same load balancer is not held back by the first.
      expect((await post('198.51.100.23')).status).toBe(400);
      // The page itself still opens.
      expect((await fetch(`${fresh.server.url}/public`)).status).toBe(200);
    } finally {
      await fresh.server.stop();
    }
  });
});
