import { createStore } from 'zustand/vanilla';
import { seoulDay } from '../../shared/seoul-time';
import type { BookingRequest, DayReservation, OpenSlot, Reservation } from '../../shared/reservation';

export interface BookingsState {
  /** Slots still to come with their places left, as the city last said. */
  slots: readonly OpenSlot[];
  /** The day's bookings: the agent's own (a team lead's desk: everyone's). */
  day: readonly DayReservation[];
  /** The Korean day `day` lists (YYYY-MM-DD). */
  dayOf: string;
  loading: boolean;
  busy: boolean;
  /** Why the last action or load failed, for the agent (the city's reason code in it). */
  error: string | null;
  /** What the last booking made: the agent reads it back to the caller. */
  booked: Reservation | null;
  load(day?: string): Promise<void>;
  /** Books a place; resolves to it, or null when refused (see `error`). */
  book(request: BookingRequest): Promise<Reservation | null>;
  cancel(id: string): Promise<void>;
}

export interface BookingsDeps {
  slots(): Promise<{ slots: OpenSlot[] }>;
  day(day: string): Promise<{ reservations: DayReservation[] }>;
  book(request: BookingRequest): Promise<{ reservation: Reservation }>;
  cancel(id: string): Promise<unknown>;
  now(): Date;
}

/**
 * Reservations on the desk: the slots a caller can be booked into and the day's bookings. The
 * city server holds the places (a slot is never booked past its capacity, whoever books at the
 * same moment), so a refusal here is the city's and is shown as it gave it.
 */
export function createBookingsStore(deps: BookingsDeps) {
  return createStore<BookingsState>()((set, get) => {
    async function load(day = get().dayOf): Promise<void> {
      set({ loading: true, dayOf: day });
      try {
        const [{ slots }, { reservations }] = await Promise.all([deps.slots(), deps.day(day)]);
        // The refusal of the action that asked for this load stays on screen: only an action clears it.
        set({ slots, day: reservations });
      } catch (e) {
        set({ error: (e as Error).message });
      } finally {
        set({ loading: false });
      }
    }
    async function act<T>(run: () => Promise<T>): Promise<T | null> {
      if (get().busy) return null;
      set({ busy: true, error: null });
      try {
        return await run();
      } catch (e) {
        set({ error: (e as Error).message });
        return null;
      } finally {
        set({ busy: false });
        // Places taken meanwhile by others show at once.
        await load();
      }
    }
    return {
      slots: [],
      day: [],
      dayOf: seoulDay(deps.now()).day,
      loading: false,
      busy: false,
      error: null,
      booked: null,
      load,
      book: (request) =>
        act(async () => {
          const { reservation } = await deps.book(request);
          set({ booked: reservation });
          return reservation;
        }),
      cancel: async (id) => void (await act(() => deps.cancel(id))),
    };
  });
}

export type BookingsStore = ReturnType<typeof createBookingsStore>;
