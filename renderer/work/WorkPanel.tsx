import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { formatClock, formatWhen } from '../i18n/format';
import type { BookingsStore } from './bookings-store';
import { CallbackRequestForm } from './CallbackRequestForm';
import { FormAnswer } from './FormAnswer';
import { national } from './read-aloud';
import type { WorkStore } from './work-store';

/** The callbacks the agent keeps (the city offers each to them when it is due). */
function MyCallbacks({ store }: { store: WorkStore }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { callbacks, busy } = useStore(store);
  const kept = callbacks.filter((c) => c.owner !== null && c.state === 'pending');
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{t('work.mine')}</h3>
      {kept.length === 0 ? (
        <p className="meta">{t('work.mineEmpty')}</p>
      ) : (
        <ul className="work-list">
          {kept.map((c) => (
            <li key={c.id}>
              <span>
                <time dateTime={c.dueAt}>{formatWhen(c.dueAt, i18n.language)}</time> · {national(c.number)}
                {c.note && <span className="meta"> · {c.note}</span>}
              </span>
              <button type="button" disabled={busy} aria-label={t('work.cancelOf', { who: national(c.number) })} onClick={() => void store.getState().cancel(c.id)}>
                {t('work.cancel')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The day's bookings this agent made, to tell callers their time or cancel. */
function DayBookings({ store }: { store: BookingsStore }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { day, busy } = useStore(store);
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{t('work.today')}</h3>
      {day.length === 0 ? (
        <p className="meta">{t('work.dayEmpty')}</p>
      ) : (
        <ul className="work-list">
          {day.map((r) => (
            <li key={r.id}>
              <span>
                <time dateTime={r.startAt}>{formatClock(r.startAt, i18n.language)}</time> · {r.topic ?? r.slotId} · {national(r.number)}
                {r.state !== 'booked' && <span className="meta"> · {t(`work.states.${r.state}`)}</span>}
              </span>
              {r.state === 'booked' && (
                <button type="button" disabled={busy} aria-label={t('work.cancelBooking', { who: national(r.number) })} onClick={() => void store.getState().cancel(r.id)}>
                  {t('work.cancel')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Books a caller into a slot with places left; the city texts them the time. */
function BookingForm({ store, number: callerNumber }: { store: BookingsStore; number: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { slots, busy, error, booked } = useStore(store);
  const [slotId, setSlotId] = useState('');
  const [number, setNumber] = useState(callerNumber);
  const [note, setNote] = useState('');
  useEffect(() => setNumber(callerNumber), [callerNumber]);
  const bookedSlot = booked && slots.find((s) => s.id === booked.slotId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void store
      .getState()
      .book({ slotId, number, ...(note.trim() ? { note: note.trim() } : {}) })
      .then((r) => r && setNote(''));
  };
  return (
    <form className="work-form" aria-labelledby={id} onSubmit={submit}>
      <h3 id={id}>{t('work.book.title')}</h3>
      {slots.length === 0 ? (
        <p className="meta">{t('work.book.noSlots')}</p>
      ) : (
        <label>
          {t('work.book.slot')}
          <select required value={slotId} onChange={(e) => setSlotId(e.target.value)}>
            <option value="">{t('consult.choose')}</option>
            {slots.map((s) => (
              <option key={s.id} value={s.id} disabled={s.left <= 0}>
                {`${formatWhen(s.start, i18n.language)} ${s.topic} · ${s.left > 0 ? t('work.book.left', { count: s.left }) : t('work.book.full')}`}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('work.ask.number')}
        <input type="tel" inputMode="tel" autoComplete="off" required maxLength={40} value={number} onChange={(e) => setNumber(e.target.value)} />
      </label>
      <label>
        {t('work.ask.note')}
        <input type="text" maxLength={300} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || slots.length === 0}>
        {t('work.book.submit')}
      </button>
      <FormAnswer done={booked ? t('work.book.done', { when: bookedSlot ? formatWhen(bookedSlot.start, i18n.language) : booked.slotId, topic: bookedSlot?.topic ?? '' }) : ''} error={error} />
    </form>
  );
}

/**
 * The agent's work that is not a live call: the callbacks they keep, the day's bookings, and
 * booking or promising a callback for the caller at hand (their number filled in).
 */
export function WorkPanel({ work, bookings, callerNumber, now, shown }: { work: WorkStore; bookings: BookingsStore; callerNumber: string; now: () => Date; shown: boolean }) {
  useEffect(() => work.getState().watch(), [work]);
  // Places go fast: the slots and the day are fetched again each time the agent opens the tab.
  useEffect(() => void (shown && bookings.getState().load()), [bookings, shown]);
  return (
    <div className="work-panel">
      <MyCallbacks store={work} />
      <DayBookings store={bookings} />
      <BookingForm store={bookings} number={callerNumber} />
      <CallbackRequestForm key={callerNumber} store={work} number={callerNumber} now={now} />
    </div>
  );
}
