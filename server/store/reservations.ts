import { randomUUID } from 'node:crypto';
import type { CallbackPolicy, OpeningHours } from '../../shared/callback';
import type { Reservation, ReservationSettings, ReservationSlot, ReservationState } from '../../shared/reservation';
import { SEOUL_OFFSET_MS, seoulDayBounds } from '../../shared/seoul-time';
import { requestCallback, username } from './callbacks';
import { queueText } from './sms';
import type { Db } from './sql';

// Reservations: a slot's places are taken by one conditional statement (booked < capacity), so
// no two bookings can take the last place, on any engine or instance; its CHECK backs that up.

interface Row {
  id: string;
  slot_id: string;
  number_e164: string;
  note: string | null;
  state: ReservationState;
  booked_by: string;
  created_at: string;
  callback_id: string | null;
}

const toReservation = (r: Row): Reservation => ({
  id: r.id,
  slotId: r.slot_id,
  number: r.number_e164,
  note: r.note,
  state: r.state,
  bookedBy: r.booked_by,
  createdAt: r.created_at,
  callbackId: r.callback_id,
});

const COLUMNS = `id, slot_id, number_e164, note, state, ${username('reservations.booked_by')} AS booked_by, created_at, callback_id`;

export class SlotConflict extends Error {}

/**
 * Brings the slots' table in line with the city's setting (inside the transaction that stores
 * it): new slots added, times and capacities updated. A slot may not shrink below its bookings, nor
 * go while it has any: those are the team lead's to move or cancel first.
 */
export async function applySlots(tx: Db, settings: ReservationSettings): Promise<void> {
  const wanted = new Map(settings.slots.map((s) => [s.id, s]));
  for (const row of await tx.all<{ id: string; booked: number }>('SELECT id, booked FROM reservation_slots')) {
    const slot = wanted.get(row.id);
    if (!slot && Number(row.booked) > 0) throw new SlotConflict(`slot ${row.id} has ${row.booked} booking(s): move or cancel them before removing it`);
    if (slot && slot.capacity < Number(row.booked)) throw new SlotConflict(`slot ${row.id} has ${row.booked} booking(s), more than a capacity of ${slot.capacity}`);
    // A slot nobody booked goes; one with only cancelled or called bookings stays, for their history.
    if (!slot && !(await tx.get('SELECT 1 AS x FROM reservations WHERE slot_id = ?', [row.id]))) await tx.run('DELETE FROM reservation_slots WHERE id = ?', [row.id]);
  }
  for (const s of settings.slots) {
    await tx.run(
      `INSERT INTO reservation_slots(id, start_at, minutes, capacity) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET start_at = excluded.start_at, minutes = excluded.minutes, capacity = excluded.capacity`,
      [s.id, new Date(s.start).toISOString(), s.minutes, s.capacity],
    );
  }
}

/** 12월 8일(화) 14:00 — a slot's start as a citizen reads it (Korea time). */
export function koreanTime(iso: string): string {
  const kst = new Date(Date.parse(iso) + SEOUL_OFFSET_MS);
  const day = '일월화수목금토'[kst.getUTCDay()] as string;
  const hh = String(kst.getUTCHours()).padStart(2, '0');
  const mm = String(kst.getUTCMinutes()).padStart(2, '0');
  return `${kst.getUTCMonth() + 1}월 ${kst.getUTCDate()}일(${day}) ${hh}:${mm}`;
}

const text = (what: string, slot: ReservationSlot) => `[민원 예약] ${slot.topic} ${koreanTime(slot.start)} ${what}`;

export type BookingRefusal = 'no-slot' | 'slot-past' | 'slot-full' | 'already-booked';

/** The number holds a booked place in the slot already. */
async function bookedThere(tx: Db, slotId: string, number: string): Promise<boolean> {
  return (await tx.get("SELECT 1 AS x FROM reservations WHERE slot_id = ? AND number_e164 = ? AND state = 'booked'", [slotId, number])) !== undefined;
}

async function takePlace(tx: Db, slotId: string): Promise<boolean> {
  return (await tx.run('UPDATE reservation_slots SET booked = booked + 1 WHERE id = ? AND booked < capacity', [slotId])) === 1;
}

/** A slot of the city's setting that can still be booked at `now`, or why not. */
function bookable(settings: ReservationSettings, slotId: string, now: Date): ReservationSlot | 'no-slot' | 'slot-past' {
  const slot = settings.slots.find((s) => s.id === slotId);
  if (!slot) return 'no-slot';
  return Date.parse(slot.start) <= now.getTime() ? 'slot-past' : slot;
}

/** Books a place for a citizen's number, with a text to them; `bookedBy` is 'web' or the agent's id. */
export async function book(
  db: Db,
  b: { slotId: string; number: string; note?: string; bookedBy: string },
  o: { now: Date; settings: ReservationSettings },
): Promise<Reservation | BookingRefusal> {
  const slot = bookable(o.settings, b.slotId, o.now);
  if (typeof slot === 'string') return slot;
  return db.write(async (tx) => {
    if (await bookedThere(tx, b.slotId, b.number)) return 'already-booked';
    if (!(await takePlace(tx, b.slotId))) return 'slot-full';
    const id = randomUUID();
    const now = o.now.toISOString();
    await tx.run(`INSERT INTO reservations(id, slot_id, number_e164, note, state, booked_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'booked', ?, ?, ?)`, [
      id,
      b.slotId,
      b.number,
      b.note ?? null,
      b.bookedBy,
      now,
      now,
    ]);
    await queueText(tx, { key: `reservation:${id}`, part: 'booked', recipient: b.number, text: text('예약되었습니다.', slot), agentId: b.bookedBy }, o.now);
    return toReservation((await tx.get<Row>(`SELECT ${COLUMNS} FROM reservations WHERE id = ?`, [id])) as Row);
  });
}

/** Moves a booking to another slot (a place there first, then the old one freed), with a text. */
export async function moveBooking(db: Db, id: string, slotId: string, o: { now: Date; settings: ReservationSettings; by: string }): Promise<Reservation | BookingRefusal | 'not-booked'> {
  const slot = bookable(o.settings, slotId, o.now);
  if (typeof slot === 'string') return slot;
  return db.write(async (tx) => {
    const r = await tx.get<Row>(`SELECT ${COLUMNS} FROM reservations WHERE id = ? AND state = 'booked'`, [id]);
    if (!r) return 'not-booked';
    if (r.slot_id === slotId) return toReservation(r);
    if (await bookedThere(tx, slotId, r.number_e164)) return 'already-booked';
    if (!(await takePlace(tx, slotId))) return 'slot-full';
    await tx.run('UPDATE reservation_slots SET booked = booked - 1 WHERE id = ?', [r.slot_id]);
    await tx.run('UPDATE reservations SET slot_id = ?, reminded_at = NULL, updated_at = ? WHERE id = ?', [slotId, o.now.toISOString(), id]);
    await queueText(tx, { key: `reservation:${id}`, part: `moved:${slotId}`, recipient: r.number_e164, text: text('예약으로 변경되었습니다.', slot), agentId: o.by }, o.now);
    return toReservation((await tx.get<Row>(`SELECT ${COLUMNS} FROM reservations WHERE id = ?`, [id])) as Row);
  });
}

/** Cancels a booking, freeing its place, with a text. */
export async function cancelBooking(db: Db, id: string, o: { now: Date; settings: ReservationSettings; by: string }): Promise<Reservation | 'not-booked'> {
  return db.write(async (tx) => {
    const r = await tx.get<Row>(`SELECT ${COLUMNS} FROM reservations WHERE id = ? AND state = 'booked'`, [id]);
    if (!r) return 'not-booked';
    await tx.run('UPDATE reservation_slots SET booked = booked - 1 WHERE id = ?', [r.slot_id]);
    await tx.run("UPDATE reservations SET state = 'cancelled', updated_at = ? WHERE id = ?", [o.now.toISOString(), id]);
    const slot = o.settings.slots.find((s) => s.id === r.slot_id);
    if (slot) await queueText(tx, { key: `reservation:${id}`, part: 'cancelled', recipient: r.number_e164, text: text('예약이 취소되었습니다.', slot), agentId: o.by }, o.now);
    return { ...toReservation(r), state: 'cancelled' };
  });
}

/**
 * What the clock brings: a reminder text the city's time before a slot, and at its start each
 * booking becomes a callback due now — the booking agent's own (for the city's owner time), or
 * everyone's for a booking from the web. Each is taken once, under the reservation's key.
 */
export async function dueReservations(db: Db, o: { now: Date; settings: ReservationSettings; policy: CallbackPolicy; hours: OpeningHours }): Promise<{ reminded: number; called: number }> {
  const now = o.now.toISOString();
  const soon = new Date(o.now.getTime() + o.settings.reminderMinutes * 60_000).toISOString();
  const slots = new Map(o.settings.slots.map((s) => [s.id, s]));
  let reminded = 0;
  let called = 0;
  if (o.settings.reminderMinutes > 0) {
    const due = await db.all<Row>(
      `SELECT r.id, r.slot_id, r.number_e164, r.booked_by FROM reservations r JOIN reservation_slots s ON s.id = r.slot_id
       WHERE r.state = 'booked' AND r.reminded_at IS NULL AND s.start_at <= ? AND s.start_at > ?`,
      [soon, now],
    );
    for (const r of due) {
      const slot = slots.get(r.slot_id);
      if (!slot) continue;
      await db.write(async (tx) => {
        await queueText(tx, { key: `reservation:${r.id}`, part: `reminder:${slot.start}`, recipient: r.number_e164, text: text('예약 시간이 다가옵니다.', slot), agentId: r.booked_by }, o.now);
        await tx.run('UPDATE reservations SET reminded_at = ? WHERE id = ?', [now, r.id]);
      });
      reminded++;
    }
  }
  const starting = await db.all<Row & { start_at: string }>(
    `SELECT r.id, r.slot_id, r.number_e164, r.note, r.booked_by, s.start_at FROM reservations r JOIN reservation_slots s ON s.id = r.slot_id
     WHERE r.state = 'booked' AND s.start_at <= ? ORDER BY s.start_at LIMIT 200`,
    [now],
  );
  for (const r of starting) {
    const slot = slots.get(r.slot_id);
    const taken = await requestCallback(
      db,
      {
        source: 'reservation',
        number: r.number_e164,
        numberRaw: r.number_e164,
        topic: slot?.topic ?? r.slot_id,
        ...(r.note ? { note: r.note } : {}),
        ...(r.booked_by !== 'web' ? { owner: r.booked_by } : {}),
        idempotencyKey: `reservation:${r.id}`,
      },
      { now: new Date(r.start_at), policy: o.policy, hours: o.hours },
    );
    await db.run("UPDATE reservations SET state = 'called', callback_id = ?, updated_at = ? WHERE id = ? AND state = 'booked'", [taken.callback.id, now, r.id]);
    called++;
  }
  return { reminded, called };
}

/** The city's slots from `now` on, with the places left. */
export async function openSlots(db: Db, settings: ReservationSettings, now: Date): Promise<(ReservationSlot & { booked: number; left: number })[]> {
  const booked = new Map((await db.all<{ id: string; booked: number }>('SELECT id, booked FROM reservation_slots')).map((r) => [r.id, Number(r.booked)]));
  return settings.slots
    .filter((s) => Date.parse(s.start) > now.getTime())
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map((s) => ({ ...s, booked: booked.get(s.id) ?? 0, left: s.capacity - (booked.get(s.id) ?? 0) }));
}

/** The reservations of one Korean day (their slots' start): a team lead's day view, or those one agent booked. */
export async function reservationsOn(db: Db, day: string, bookedBy?: string): Promise<(Reservation & { startAt: string })[]> {
  const bounds = seoulDayBounds(day);
  const [from, to] = [bounds.from.toISOString(), bounds.to.toISOString()];
  const rows = await db.all<Row & { start_at: string }>(
    `SELECT r.id, r.slot_id, r.number_e164, r.note, r.state, ${username('r.booked_by')} AS booked_by, r.created_at, r.callback_id, s.start_at FROM reservations r
     JOIN reservation_slots s ON s.id = r.slot_id WHERE s.start_at >= ? AND s.start_at < ?${bookedBy ? ' AND r.booked_by = ?' : ''} ORDER BY s.start_at, r.created_at`,
    bookedBy ? [from, to, bookedBy] : [from, to],
  );
  return rows.map((r) => ({ ...toReservation(r), startAt: r.start_at }));
}
