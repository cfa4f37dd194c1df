import { describe, expect, it } from 'vitest';
import type { OpenSlot, Reservation } from '../../../../shared/reservation';
import { createBookingsStore } from '../../../../renderer/work/bookings-store';

const slot = (id: string, left: number): OpenSlot => ({ id, topic: '여권 발급 상담', start: '2027-03-02T01:00:00.000Z', minutes: 30, capacity: 2, booked: 2 - left, left });
const reservation: Reservation = { id: 'r-1', slotId: 'passport', number: '+821022224444', note: null, state: 'booked', bookedBy: 'agent1', createdAt: '2026-12-07T01:00:00.000Z', callbackId: null };

function fixture(o: { full?: boolean; down?: boolean } = {}) {
  const log: string[] = [];
  let left = 1;
  const store = createBookingsStore({
    slots: async () => {
      log.push('slots');
      if (o.down) throw new Error('city server unreachable');
      return { slots: [slot('passport', left)] };
    },
    day: async (day) => (log.push(`day ${day}`), { reservations: [] }),
    book: async (request) => {
      log.push(`book ${request.slotId}`);
      if (o.full) throw new Error('booking: slot-full: the slot is full: choose another');
      left -= 1;
      return { reservation };
    },
    cancel: async (id) => log.push(`cancel ${id}`),
    now: () => new Date('2026-12-07T15:30:00.000Z'),
  });
  return { store, log };
}

describe('the bookings store', () => {
  it('lists the city’s day (Korea’s, whatever the desk’s zone), books, and shows the places left afterwards', async () => {
    const { store, log } = fixture();
    expect(store.getState().dayOf).toBe('2026-12-08');
    await store.getState().load();
    expect(store.getState().slots.map((s) => s.left)).toEqual([1]);
    expect(await store.getState().book({ slotId: 'passport', number: '010-2222-4444' })).toEqual(reservation);
    expect(store.getState()).toMatchObject({ booked: reservation, error: null, busy: false });
    expect(store.getState().slots.map((s) => s.left)).toEqual([0]);
    await store.getState().cancel('r-1');
    expect(log).toEqual(['slots', 'day 2026-12-08', 'book passport', 'slots', 'day 2026-12-08', 'cancel r-1', 'slots', 'day 2026-12-08']);
  });

  it('keeps the city’s refusal on screen after the lists are fetched again', async () => {
    const { store } = fixture({ full: true });
    expect(await store.getState().book({ slotId: 'passport', number: '010-2222-7777' })).toBeNull();
    expect(store.getState()).toMatchObject({ booked: null, error: 'booking: slot-full: the slot is full: choose another', busy: false });
  });

  it('says why when the lists cannot be fetched, and loads another day on demand', async () => {
    const { store, log } = fixture({ down: true });
    await store.getState().load('2027-03-02');
    expect(store.getState()).toMatchObject({ error: 'city server unreachable', dayOf: '2027-03-02', loading: false });
    expect(log).toContain('day 2027-03-02');
  });
});
