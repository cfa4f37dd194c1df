import { describe, expect, it } from 'vitest';
import type { ReservationSettings } from '../../../../shared/reservation';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { getCallback } from '../../../../server/store/callbacks';
import { openPostgresStore } from '../../../../server/store/postgres-store';
import { applySlots, book, cancelBooking, dueReservations, koreanTime, moveBooking, openSlots, reservationsOn, SlotConflict } from '../../../../server/store/reservations';
import type { CityStore } from '../../../../server/store/sql';
import { databaseUrlOf, storeEngines } from '../../../helpers/store-engines';

// Monday 2026-12-07, 10:00 Korea time; the slots are on Tuesday.
const NOW = new Date('2026-12-07T01:00:00Z');
const settings: ReservationSettings = {
  reminderMinutes: 60,
  slots: [
    { id: 'passport-1400', topic: '여권 상담', start: '2026-12-08T14:00:00+09:00', minutes: 30, capacity: 2 },
    { id: 'passport-1500', topic: '여권 상담', start: '2026-12-08T15:00:00+09:00', minutes: 30, capacity: 1 },
    { id: 'yesterday', topic: '지난 상담', start: '2026-12-06T14:00:00+09:00', minutes: 30, capacity: 5 },
  ],
};
const opts = { now: NOW, settings };
const texts = (db: CityStore, key: string) => db.all<{ entry_id: string; text: string; status: string }>('SELECT entry_id, text, status FROM sms_outbox WHERE record_id = ? ORDER BY created_at, entry_id', [key]);
const setUp = async (db: CityStore) => db.write((tx) => applySlots(tx, settings));

describe.each(storeEngines())('reservations on $name', ({ name, open }) => {
  it('books places while there are places, once per number, only in slots to come, each with a text', async () => {
    const db = await open();
    await setUp(db);
    const a = await book(db, { slotId: 'passport-1400', number: '+821011110001', bookedBy: 'agent-1' }, opts);
    expect(a).toMatchObject({ slotId: 'passport-1400', number: '+821011110001', state: 'booked', bookedBy: 'agent-1' });
    expect(await book(db, { slotId: 'passport-1400', number: '+821011110001', bookedBy: 'web' }, opts)).toBe('already-booked');
    expect(await book(db, { slotId: 'passport-1400', number: '+82542708282', bookedBy: 'web' }, opts)).toMatchObject({ state: 'booked' });
    expect(await book(db, { slotId: 'passport-1400', number: '+821011110003', bookedBy: 'web' }, opts)).toBe('slot-full');
    expect(await book(db, { slotId: 'nope', number: '+821011110003', bookedBy: 'web' }, opts)).toBe('no-slot');
    expect(await book(db, { slotId: 'yesterday', number: '+821011110003', bookedBy: 'web' }, opts)).toBe('slot-past');
    expect(await texts(db, `reservation:${(a as { id: string }).id}`)).toEqual([{ entry_id: 'booked', text: '[민원 예약] 여권 상담 12월 8일(화) 14:00 예약되었습니다.', status: 'queued' }]);
    expect((await openSlots(db, settings, NOW)).map((s) => [s.id, s.booked, s.left])).toEqual([
      ['passport-1400', 2, 0],
      ['passport-1500', 0, 1],
    ]);
  });

  it('gives a slot of capacity 2 to exactly 2 of 200 bookings made at once, over two store instances', async () => {
    const db = await open();
    await setUp(db);
    const other = name === 'postgres' ? await openPostgresStore(await databaseUrlOf(db)) : db;
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => book(i % 2 ? other : db, { slotId: 'passport-1400', number: `+8210300${String(i).padStart(5, '0')}`, bookedBy: 'web' }, opts)),
      );
      expect(results.filter((r) => typeof r === 'object')).toHaveLength(2);
      expect(results.filter((r) => r === 'slot-full')).toHaveLength(198);
      expect(await db.get('SELECT booked, capacity FROM reservation_slots WHERE id = ?', ['passport-1400'])).toEqual({ booked: 2, capacity: 2 });
      expect((await db.all("SELECT id FROM reservations WHERE state = 'booked'")).length).toBe(2);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it('moves a booking only into a place that is free, frees the old one, and cancels with a text', async () => {
    const db = await open();
    await setUp(db);
    const r = (await book(db, { slotId: 'passport-1400', number: '+821011110001', bookedBy: 'agent-1' }, opts)) as { id: string };
    await book(db, { slotId: 'passport-1500', number: '+821011110002', bookedBy: 'web' }, opts);
    expect(await moveBooking(db, r.id, 'passport-1500', { ...opts, by: 'agent-1' })).toBe('slot-full');
    expect(await db.get('SELECT booked FROM reservation_slots WHERE id = ?', ['passport-1400'])).toEqual({ booked: 1 });
    const settings2 = { ...settings, slots: settings.slots.map((s) => (s.id === 'passport-1500' ? { ...s, capacity: 2 } : s)) };
    await db.write((tx) => applySlots(tx, settings2));
    expect(await moveBooking(db, r.id, 'passport-1500', { now: NOW, settings: settings2, by: 'agent-1' })).toMatchObject({ slotId: 'passport-1500' });
    expect((await openSlots(db, settings2, NOW)).map((s) => [s.id, s.booked])).toEqual([
      ['passport-1400', 0],
      ['passport-1500', 2],
    ]);
    expect(await cancelBooking(db, r.id, { now: NOW, settings: settings2, by: 'lead-1' })).toMatchObject({ state: 'cancelled' });
    expect(await cancelBooking(db, r.id, { now: NOW, settings: settings2, by: 'lead-1' })).toBe('not-booked');
    expect((await texts(db, `reservation:${r.id}`)).map((t) => t.entry_id)).toEqual(['booked', 'cancelled', 'moved:passport-1500']);
  });

  it('refuses moves that cannot be: not booked, the same number there already, a slot gone or past; the same slot changes nothing', async () => {
    const db = await open();
    const more = { ...settings, slots: settings.slots.map((s) => (s.id === 'passport-1500' ? { ...s, capacity: 3 } : s)) };
    await db.write((tx) => applySlots(tx, more));
    const o = { now: NOW, settings: more, by: 'agent-1' };
    const r = (await book(db, { slotId: 'passport-1400', number: '+821011110001', bookedBy: 'agent-1' }, o)) as { id: string };
    await book(db, { slotId: 'passport-1500', number: '+821011110001', bookedBy: 'web' }, o);
    expect(await moveBooking(db, r.id, 'passport-1500', o)).toBe('already-booked');
    expect(await moveBooking(db, r.id, 'nope', o)).toBe('no-slot');
    expect(await moveBooking(db, r.id, 'yesterday', o)).toBe('slot-past');
    expect(await moveBooking(db, 'nope', 'passport-1500', o)).toBe('not-booked');
    expect(await moveBooking(db, r.id, 'passport-1400', o)).toMatchObject({ id: r.id, slotId: 'passport-1400' });
    expect((await texts(db, `reservation:${r.id}`)).map((t) => t.entry_id)).toEqual(['booked']);
    expect(await db.get('SELECT booked FROM reservation_slots WHERE id = ?', ['passport-1400'])).toEqual({ booked: 1 });
    // A booking cancelled after its slot left the setting frees its place with no text to send.
    await cancelBooking(db, r.id, { now: NOW, settings: { ...more, slots: [] }, by: 'lead-1' });
    expect((await texts(db, `reservation:${r.id}`)).map((t) => t.entry_id)).toEqual(['booked']);
    expect(await db.get('SELECT booked FROM reservation_slots WHERE id = ?', ['passport-1400'])).toEqual({ booked: 0 });
  });

  it('sends no reminder when the city wants none, and a landline gets no text', async () => {
    const db = await open();
    await setUp(db);
    const r = (await book(db, { slotId: 'passport-1400', number: '+82542708282', bookedBy: 'web' }, opts)) as { id: string };
    expect(await texts(db, `reservation:${r.id}`)).toEqual([]);
    const none = { ...settings, reminderMinutes: 0 };
    expect(await dueReservations(db, { now: new Date('2026-12-08T13:30:00+09:00'), settings: none, policy: DEFAULT_SETTINGS.callbacks, hours: DEFAULT_SETTINGS.openingHours })).toEqual({ reminded: 0, called: 0 });
  });

  it('shows a Korean day by its slots’ start in Korea time', async () => {
    const db = await open();
    const edge: ReservationSettings = {
      reminderMinutes: 0,
      slots: [
        { id: 'early', topic: '이른 상담', start: '2026-12-09T00:00:00+09:00', minutes: 30, capacity: 1 },
        { id: 'late', topic: '늦은 상담', start: '2026-12-08T23:59:00+09:00', minutes: 30, capacity: 1 },
      ],
    };
    await db.write((tx) => applySlots(tx, edge));
    await book(db, { slotId: 'early', number: '+821011110001', bookedBy: 'web' }, { now: NOW, settings: edge });
    await book(db, { slotId: 'late', number: '+821011110002', bookedBy: 'web' }, { now: NOW, settings: edge });
    expect((await reservationsOn(db, '2026-12-08')).map((r) => r.slotId)).toEqual(['late']);
    expect((await reservationsOn(db, '2026-12-09')).map((r) => r.slotId)).toEqual(['early']);
  });

  it('lists the slots to come in time order (one starting now has begun), and a day’s bookings, all or one agent’s', async () => {
    const db = await open();
    const mixed: ReservationSettings = {
      reminderMinutes: 0,
      slots: [
        { id: 'later', topic: '오후 상담', start: '2026-12-08T15:00:00+09:00', minutes: 30, capacity: 1 },
        { id: 'sooner', topic: '오전 상담', start: '2026-12-08T09:00:00+09:00', minutes: 30, capacity: 2 },
        { id: 'begun', topic: '지금 상담', start: NOW.toISOString(), minutes: 30, capacity: 1 },
      ],
    };
    await db.write((tx) => applySlots(tx, mixed));
    expect((await openSlots(db, mixed, NOW)).map((s) => s.id)).toEqual(['sooner', 'later']);
    await book(db, { slotId: 'sooner', number: '+821011110001', bookedBy: 'agent-1' }, { now: NOW, settings: mixed });
    await book(db, { slotId: 'sooner', number: '+821011110002', bookedBy: 'web' }, { now: new Date(NOW.getTime() + 1000), settings: mixed });
    expect((await reservationsOn(db, '2026-12-08')).map((r) => r.bookedBy)).toEqual(['agent-1', 'web']);
    expect((await reservationsOn(db, '2026-12-08', 'agent-1')).map((r) => r.number)).toEqual(['+821011110001']);
  });

  it('keeps the city from shrinking a slot below its bookings or removing a booked one', async () => {
    const db = await open();
    await setUp(db);
    await book(db, { slotId: 'passport-1400', number: '+821011110001', bookedBy: 'web' }, opts);
    await book(db, { slotId: 'passport-1400', number: '+821011110002', bookedBy: 'web' }, opts);
    const without = (id: string) => ({ ...settings, slots: settings.slots.filter((s) => s.id !== id) });
    await expect(db.write((tx) => applySlots(tx, without('passport-1400')))).rejects.toThrow(SlotConflict);
    await expect(db.write((tx) => applySlots(tx, { ...settings, slots: settings.slots.map((s) => (s.id === 'passport-1400' ? { ...s, capacity: 1 } : s)) }))).rejects.toThrow(SlotConflict);
    expect(await db.get('SELECT booked, capacity FROM reservation_slots WHERE id = ?', ['passport-1400'])).toEqual({ booked: 2, capacity: 2 });
    // A slot nobody booked may go.
    await db.write((tx) => applySlots(tx, without('passport-1500')));
    expect((await db.all<{ id: string }>('SELECT id FROM reservation_slots ORDER BY id')).map((r) => r.id)).toEqual(['passport-1400', 'yesterday']);
  });

  it('reminds the citizen before the slot, and at its start makes it a callback due then, the booking agent’s own', async () => {
    const db = await open();
    await setUp(db);
    const byAgent = (await book(db, { slotId: 'passport-1400', number: '+821011110001', bookedBy: 'agent-1' }, opts)) as { id: string };
    const byWeb = (await book(db, { slotId: 'passport-1400', number: '+821011110002', bookedBy: 'web' }, opts)) as { id: string };
    const due = (iso: string) => dueReservations(db, { now: new Date(iso), settings, policy: DEFAULT_SETTINGS.callbacks, hours: DEFAULT_SETTINGS.openingHours });
    expect(await due('2026-12-08T12:30:00+09:00')).toEqual({ reminded: 0, called: 0 });
    expect(await due('2026-12-08T13:05:00+09:00')).toEqual({ reminded: 2, called: 0 });
    expect(await due('2026-12-08T13:10:00+09:00')).toEqual({ reminded: 0, called: 0 });
    expect((await texts(db, `reservation:${byAgent.id}`)).map((t) => t.text)).toContain('[민원 예약] 여권 상담 12월 8일(화) 14:00 예약 시간이 다가옵니다.');
    expect(await due('2026-12-08T14:00:00+09:00')).toEqual({ reminded: 0, called: 2 });
    expect(await due('2026-12-08T14:01:00+09:00')).toEqual({ reminded: 0, called: 0 });
    const day = await reservationsOn(db, '2026-12-08');
    expect(day.map((r) => [r.id, r.state])).toEqual([
      [byAgent.id, 'called'],
      [byWeb.id, 'called'],
    ]);
    const agentsCallback = await getCallback(db, day[0]?.callbackId as string);
    expect(agentsCallback).toMatchObject({ sources: ['reservation'], topic: '여권 상담', owner: 'agent-1', state: 'pending', dueAt: new Date('2026-12-08T05:00:00Z').toISOString() });
    expect((await getCallback(db, day[1]?.callbackId as string))?.owner).toBeNull();
  });
});

describe('koreanTime', () => {
  it('reads a start in Korea time with the weekday', () => {
    expect(koreanTime('2026-12-31T15:30:00Z')).toBe('1월 1일(금) 00:30');
    expect(koreanTime('2026-12-08T00:05:00Z')).toBe('12월 8일(화) 09:05');
  });
});
