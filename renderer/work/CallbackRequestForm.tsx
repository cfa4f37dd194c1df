import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Callback } from '../../shared/callback';
import { seoulClock, seoulDay, seoulInstant } from '../../shared/seoul-time';
import { formatWhen } from '../i18n/format';
import { FormAnswer } from './FormAnswer';
import type { WorkStore } from './work-store';

/** The next full hour, city time ("15:00"): the usual answer to "when shall we call you back?". */
function nextHour(now: Date): { date: string; time: string } {
  const at = new Date(Math.ceil((now.getTime() + 1) / 3_600_000) * 3_600_000);
  return { date: seoulDay(at).day, time: seoulClock(at) };
}

/**
 * "Call me back tomorrow at 3": the number (the caller's, from the call at hand), the day and
 * time in the city's zone, a note, and whether the agent keeps it. Outside the center's hours the
 * city moves it to the next opening; the answer says when it will be.
 */
export function CallbackRequestForm({ store, number: callerNumber, now }: { store: WorkStore; number: string; now: () => Date }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [first] = useState(() => nextHour(now()));
  const [number, setNumber] = useState(callerNumber);
  const [date, setDate] = useState(first.date);
  const [time, setTime] = useState(first.time);
  const [note, setNote] = useState('');
  const [keep, setKeep] = useState(true);
  const [asked, setAsked] = useState<Callback | null>(null);
  const [invalid, setInvalid] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const at = seoulInstant(date, time);
    const invalidTime = Number.isNaN(at.getTime());
    setInvalid(invalidTime);
    if (invalidTime) return;
    const dueAt = at.toISOString();
    setBusy(true);
    void store
      .getState()
      .ask({ number, dueAt, keep, ...(note.trim() ? { note: note.trim() } : {}) })
      .then((r) => {
        setBusy(false);
        setAsked('callback' in r ? r.callback : null);
        setError('error' in r ? r.error : null);
        if ('callback' in r) setNote('');
      });
  };
  return (
    <form className="work-form" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h3 id={`${id}-title`}>{t('work.ask.title')}</h3>
      <label>
        {t('work.ask.number')}
        <input type="tel" inputMode="tel" autoComplete="off" required maxLength={40} value={number} onChange={(e) => setNumber(e.target.value)} />
      </label>
      <div className="work-form-row">
        <label>
          {t('work.ask.date')}
          <input type="date" required value={date} min={seoulDay(now()).day} onChange={(e) => setDate(e.target.value)} aria-invalid={invalid || undefined} />
        </label>
        <label>
          {t('work.ask.time')}
          <input type="time" required step={600} value={time} onChange={(e) => setTime(e.target.value)} aria-invalid={invalid || undefined} />
        </label>
      </div>
      <label>
        {t('work.ask.note')}
        <input type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
        {t('work.ask.keep')}
      </label>
      <button type="submit" disabled={busy}>
        {t('work.ask.submit')}
      </button>
      <FormAnswer done={invalid ? t('work.ask.badTime') : asked ? t('work.ask.done', { when: formatWhen(asked.dueAt, i18n.language) }) : ''} error={error} />
    </form>
  );
}
