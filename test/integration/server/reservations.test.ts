import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationSchema, type DayReservation, type Reservation, type ReservationSettings } from '../../../shared/reservation';
import { call, login } from '../../helpers/http';
import type { CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';

// Reservations through the city server's API (issue 19): the team lead opens slots (a synced
// setting), agents book for callers, move and cancel; the lead's day view.

const stores = serverStores();

describe.each(stores.names)('reservations (city server on $name)', ({ name }) => {
  let server: CityServerProcess;
  let lead: string;
  let agent: string;
  const tomorrow = new Date(Date.now() + 86_400_000);
  const at = (hour: number) => `${new Date(tomorrow.getTime() + 9 * 3_600_000).toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+09:00`;
  const settings = (): ReservationSettings => ({
    reminderMinutes: 60,
    slots: [
      { id: 'passport-10', topic: '여권 상담', start: at(10), minutes: 30, capacity: 2 },
      { id: 'tax-11', topic: '지방세 상담', department: '세정과', start: at(11), minutes: 30, capacity: 1 },
    ],
  });
  const put = (value: unknown) => call(server.url, lead, '/api/settings/reservations', { method: 'PUT', body: JSON.stringify(value) });
  const post = (path: string, body: unknown = {}) => call(server.url, agent, path, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    ({ server, agent, lead } = await startDemoCity(stores, name, 'reservations'));
    expect((await put(settings())).status).toBe(200);
  });
  afterAll(() => server?.stop());

  it('lists the slots to come with the places left, to desk accounts only', async () => {
    const r = await call(server.url, agent, '/api/reservations/slots');
    expect((r.body as { slots: { id: string; left: number }[] }).slots.map((s) => [s.id, s.left])).toEqual([
      ['passport-10', 2],
      ['tax-11', 1],
    ]);
    expect((await call(server.url, null, '/api/reservations/slots')).status).toBe(401);
  });

  it('books for a caller until the slot is full, saying why it refuses', async () => {
    const first = await post('/api/reservations', { slotId: 'passport-10', number: '010-5555-0001', note: '여권 재발급, 주민번호 900101-1234567' });
    expect(first.status).toBe(200);
    const r = reservationSchema.parse((first.body as { reservation: Reservation }).reservation);
    expect(r).toMatchObject({ number: '+821055550001', state: 'booked', bookedBy: 'agent1' });
    expect(r.note).not.toContain('1234567');
    expect(await post('/api/reservations', { slotId: 'passport-10', number: '01055550001' })).toMatchObject({ status: 409, body: { error: 'already-booked' } });
    expect((await post('/api/reservations', { slotId: 'passport-10', number: '010-5555-0002' })).status).toBe(200);
    expect(await post('/api/reservations', { slotId: 'passport-10', number: '010-5555-0003' })).toMatchObject({ status: 409, body: { error: 'slot-full' } });
    expect(await post('/api/reservations', { slotId: 'nope', number: '010-5555-0003' })).toMatchObject({ status: 404, body: { error: 'no-slot' } });
    expect(await post('/api/reservations', { slotId: 'tax-11', number: '+1 212 555 0100' })).toMatchObject({ status: 400, body: { error: 'foreign-number' } });
    expect((await post('/api/reservations', { slotId: 'tax-11' })).status).toBe(400);
  });

  it('keeps the lead from shrinking a slot below its bookings, and shows the day', async () => {
    const shrunk = settings();
    (shrunk.slots[0] as { capacity: number }).capacity = 1;
    expect(await put(shrunk)).toMatchObject({ status: 409, body: { error: 'slot-conflict' } });
    const day = at(10).slice(0, 10);
    const list = (await call(server.url, lead, `/api/reservations?day=${day}`)).body as { reservations: DayReservation[] };
    expect(list.reservations.map((x) => [x.slotId, x.number, x.state])).toEqual([
      ['passport-10', '+821055550001', 'booked'],
      ['passport-10', '+821055550002', 'booked'],
    ]);
    expect(list.reservations[0]?.topic).toBe(settings().slots.find((x) => x.id === 'passport-10')?.topic);
    // An agent's day view: the bookings they made, no one else's.
    expect(((await call(server.url, agent, `/api/reservations?day=${day}`)).body as { reservations: Reservation[] }).reservations.map((x) => x.bookedBy)).toEqual(['agent1', 'agent1']);
    const agent2 = await login(server.url, 'agent2', 'agent2');
    expect((await call(server.url, agent2, `/api/reservations?day=${day}`)).body).toEqual({ reservations: [] });
    expect((await call(server.url, lead, '/api/reservations?day=tomorrow')).status).toBe(400);
  });

  it('moves a booking to a free place and cancels one, freeing its place', async () => {
    const day = at(10).slice(0, 10);
    const [one] = ((await call(server.url, lead, `/api/reservations?day=${day}`)).body as { reservations: Reservation[] }).reservations;
    expect((await post(`/api/reservations/${one?.id}/move`, { slotId: 'tax-11' })).body).toMatchObject({ reservation: { slotId: 'tax-11' } });
    expect(await post(`/api/reservations/${one?.id}/move`, { slotId: 'passport-10' })).toMatchObject({ status: 200 });
    expect((await post(`/api/reservations/${one?.id}/cancel`)).body).toMatchObject({ reservation: { state: 'cancelled' } });
    expect(await post(`/api/reservations/${one?.id}/cancel`)).toMatchObject({ status: 409, body: { error: 'not-booked' } });
    const slots = (await call(server.url, agent, '/api/reservations/slots')).body as { slots: { id: string; left: number }[] };
    expect(slots.slots.map((s) => [s.id, s.left])).toEqual([
      ['passport-10', 1],
      ['tax-11', 1],
    ]);
  });
});
