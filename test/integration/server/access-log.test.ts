import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessEvent, AccessRow } from '../../../shared/access-log';
import { call } from '../../helpers/http';
import type { CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';

// Reads of personal data leave a trace (개인정보의 안전성 확보조치 기준): who read whose history,
// when, and why, on the desks and through the city's API; a team lead reviews it.

const stores = serverStores();

describe.each(stores.names)('on $name', ({ name }) => {
  let server: CityServerProcess;
  let agent: string;
  let lead: string;

  beforeAll(async () => void ({ server, agent, lead } = await startDemoCity(stores, name, 'access')));
  afterAll(() => server.stop());

  const log = async (query = '') => ((await call(server.url, lead, `/api/access-log?limit=1000${query}`)).body as { events: AccessRow[] }).events;

  describe('the access log', () => {
    it('records each read of a caller’s history and each list of records through the API, with who and why', async () => {
      const before = Date.now();
      expect((await call(server.url, agent, '/api/callers/010-2222-3333/history')).status).toBe(200);
      expect((await call(server.url, lead, '/api/records?limit=5')).status).toBe(200);
      // No number, no one's data: nothing to log.
      expect((await call(server.url, agent, '/api/callers/anonymous/history')).status).toBe(200);
      const events = await log();
      expect(events.find((e) => e.subject === '+821022223333')).toMatchObject({ actor: 'agent1', purpose: 'caller-history', source: 'server', reportedAt: null });
      expect(events.find((e) => e.purpose === 'record-list')).toMatchObject({ actor: 'lead1', subject: 'records agent=all from= to=', source: 'server' });
      expect(events.every((e) => Date.parse(e.at) >= before - 1000)).toBe(true);
      expect(events.some((e) => e.subject.includes('anonymous'))).toBe(false);
    });

    it('takes a desk’s reads of its own cache, timed by the server, as its agent’s, once each', async () => {
      const line: AccessEvent = { id: randomUUID(), at: '2099-01-01T00:00:00.000Z', subject: '+821077778888', purpose: 'screen-pop' };
      const post = () => call(server.url, agent, '/api/access-log', { method: 'POST', body: JSON.stringify({ events: [line] }) });
      expect((await post()).body).toEqual({ stored: 1, refused: [] });
      expect((await post()).body).toEqual({ stored: 0, refused: [] });
      const [stored] = await log('&subject=%2B821077778888');
      expect(stored).toMatchObject({ id: line.id, actor: 'agent1', source: 'agent1', reportedAt: line.at, purpose: 'screen-pop' });
      expect((stored?.at ?? '') < '2027').toBe(true);
      expect((await call(server.url, agent, '/api/access-log', { method: 'POST', body: JSON.stringify({ events: [{ ...line, id: randomUUID(), purpose: 'curiosity' }] }) })).status).toBe(400);
    });

    it('is for team leads to read', async () => {
      expect((await call(server.url, agent, '/api/access-log')).status).toBe(403);
      expect((await call(server.url, null, '/api/access-log')).status).toBe(401);
    });
  });
});
