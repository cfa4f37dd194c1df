import { z } from 'zod';

// Reservations (예약서비스): the city opens slots (a topic or department, a start, a length, how
// many citizens it can take); citizens book one through the web form, agents for a caller. At the
// slot's time a reservation becomes a callback due now.

export const reservationSlotSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
  /** What it is for, as citizens read it (Korean). */
  topic: z.string().min(1).max(60),
  /** The department whose staff take it, when there is one. */
  department: z.string().max(60).optional(),
  start: z.iso.datetime({ offset: true }),
  minutes: z.number().int().min(5).max(480),
  capacity: z.number().int().min(1).max(500),
});
export type ReservationSlot = z.infer<typeof reservationSlotSchema>;

/** The city's slots and when citizens are reminded, kept as a synced setting team leads edit. */
export const reservationSettingsSchema = z
  .strictObject({
    /** A text this long before the slot (0: none). */
    reminderMinutes: z.number().int().min(0).max(10_080),
    slots: z.array(reservationSlotSchema).max(1000),
  })
  .refine((r) => new Set(r.slots.map((s) => s.id)).size === r.slots.length, 'slot ids are unique');
export type ReservationSettings = z.infer<typeof reservationSettingsSchema>;

export const RESERVATION_STATES = ['booked', 'cancelled', 'called'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

export const bookingRequestSchema = z.strictObject({
  slotId: z.string().max(40),
  number: z.string().min(3).max(40),
  note: z.string().max(300).optional(),
});
export type BookingRequest = z.infer<typeof bookingRequestSchema>;

export const reservationSchema = z.strictObject({
  id: z.string(),
  slotId: z.string(),
  number: z.string(),
  note: z.string().nullable(),
  state: z.enum(RESERVATION_STATES),
  /** 'web', or the booking agent (a day's list names them by username). */
  bookedBy: z.string(),
  createdAt: z.string(),
  callbackId: z.string().nullable(),
});
export type Reservation = z.infer<typeof reservationSchema>;

/** A slot as desks list it for booking: how many are booked and how many places are left. */
export const openSlotSchema = z.strictObject({ ...reservationSlotSchema.shape, booked: z.number().int(), left: z.number().int() });
export type OpenSlot = z.infer<typeof openSlotSchema>;

/** A reservation in a day's list, with its slot's start and topic (null: the slot is gone from the setting). */
export const dayReservationSchema = z.strictObject({ ...reservationSchema.shape, startAt: z.string(), topic: z.string().nullable() });
export type DayReservation = z.infer<typeof dayReservationSchema>;
