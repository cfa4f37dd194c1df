import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { maskPersonalData } from '../../shared/masking';
import type { PhoneContext } from '../../shared/phone';
import { plainLine } from '../../shared/plain-text';
import { bookingRequestSchema } from '../../shared/reservation';
import { book, cancelBooking, moveBooking, openSlots, reservationsOn, type BookingRefusal } from '../store/reservations';
import { getSetting } from '../store/settings';
import type { Db } from '../store/sql';
import { dialable } from './callback-routes';
import { HttpError } from './http-error';
import { param, parse, requireUser } from './route-helpers';

const REFUSALS: Record<BookingRefusal | 'not-booked', [number, string]> = {
  'no-slot': [404, 'no such slot'],
  'slot-past': [409, 'the slot has already started'],
  'slot-full': [409, 'the slot is full: choose another'],
  'already-booked': [409, 'this number already has a place in that slot'],
  'not-booked': [409, 'no booking with that id is open'],
};

function refused(r: BookingRefusal | 'not-booked'): never {
  const [status, message] = REFUSALS[r];
  throw new HttpError(status, r, message);
}

/** Reservations: slots with places left, booking for a caller, moving and cancelling, the day's bookings. */
export function registerReservationRoutes(app: FastifyInstance, deps: { db: Db; clock: () => Date; phone: PhoneContext }): void {
  const { db, clock } = deps;
  const id = (req: FastifyRequest) => param(req, 'id', 64, 'reservation id');

  app.get('/api/reservations/slots', async (req) => {
    requireUser(req);
    return { slots: await openSlots(db, await getSetting(db, 'reservations'), clock()) };
  });

  app.post('/api/reservations', async (req) => {
    const user = requireUser(req);
    const b = parse(bookingRequestSchema, req.body, 'booking');
    const r = await book(
      db,
      { slotId: b.slotId, number: dialable(b.number, deps.phone), bookedBy: user.id, ...(b.note ? { note: maskPersonalData(plainLine(b.note), deps.phone).text } : {}) },
      { now: clock(), settings: await getSetting(db, 'reservations') },
    );
    if (typeof r === 'string') refused(r);
    return { reservation: r };
  });

  app.post('/api/reservations/:id/move', async (req) => {
    const user = requireUser(req);
    const { slotId } = parse(z.strictObject({ slotId: z.string().max(40) }), req.body, 'move');
    const r = await moveBooking(db, id(req), slotId, { now: clock(), settings: await getSetting(db, 'reservations'), by: user.id });
    if (typeof r === 'string') refused(r);
    return { reservation: r };
  });

  app.post('/api/reservations/:id/cancel', async (req) => {
    const user = requireUser(req);
    const r = await cancelBooking(db, id(req), { now: clock(), settings: await getSetting(db, 'reservations'), by: user.id });
    if (typeof r === 'string') refused(r);
    return { reservation: r };
  });

  // A lead's day view has every booking; an agent's, those they made (the callers they promised).
  app.get('/api/reservations', async (req) => {
    const user = requireUser(req);
    const { day } = parse(z.strictObject({ day: z.iso.date() }), req.query, 'day');
    const [list, settings] = await Promise.all([reservationsOn(db, day, user.role === 'lead' ? undefined : user.id), getSetting(db, 'reservations')]);
    const topics = new Map(settings.slots.map((s) => [s.id, s.topic]));
    return { reservations: list.map((r) => ({ ...r, topic: topics.get(r.slotId) ?? null })) };
  });
}
