import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Search } from 'lucide-react';
import { formatNumber, formatSeoulDay } from '../../i18n/format';
import { RefusalText } from '../parts';
import { usePortal } from '../portal-context';
import { useLoad } from '../use-load';
import { defaultRange, rangeInstants, validRange, type DayRange } from './range';
import { RecordingTable } from './RecordingTable';
import portal from '../Portal.module.css';
import css from './Protection.module.css';

/** Recordings listed at most: a range with more is narrowed, not paged. */
const LIMIT = 200;

/**
 * 녹취 찾기: the recordings of a range of Seoul days (the last 7 at first), or only those no record
 * claims. Asked when the lead presses 찾기, not at each keystroke: every listing is in the access log.
 */
export function RecordingsPanel() {
  const { t, i18n } = useTranslation();
  const { api } = usePortal();
  const [typed, setTyped] = useState<DayRange & { unlinked: boolean }>(() => ({ ...defaultRange(new Date()), unlinked: false }));
  const [asked, setAsked] = useState(typed);
  const loaded = useLoad(() => api.recordings({ ...rangeInstants(asked), unlinked: asked.unlinked, limit: LIMIT }), [api, asked]);
  const k = (key: string, params?: Record<string, string>) => t(`portal.protection.recordings.${key}`, params);
  const valid = validRange(typed);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) setAsked({ ...typed });
  };
  const recordings = loaded.value?.recordings ?? [];
  return (
    <>
      <form className={css.filters} aria-label={k('filters')} onSubmit={submit}>
        <label className={portal.inline}>
          {k('from')}
          <input type="date" value={typed.from} max={typed.to} onChange={(e) => setTyped({ ...typed, from: e.target.value })} />
        </label>
        <label className={portal.inline}>
          {k('to')}
          <input type="date" value={typed.to} min={typed.from} onChange={(e) => setTyped({ ...typed, to: e.target.value })} />
        </label>
        <label className={css.check}>
          <input type="checkbox" checked={typed.unlinked} onChange={(e) => setTyped({ ...typed, unlinked: e.target.checked })} />
          {k('unlinked')}
        </label>
        <button type="submit" className="primary" disabled={!valid}>
          <Search aria-hidden size={18} />
          {k('search')}
        </button>
        {!valid && <p role="alert">{k('badRange')}</p>}
      </form>
      <p role="status" className={css.showing}>
        {loaded.loading
          ? t('portal.loading')
          : loaded.value && k('showing', { from: formatSeoulDay(asked.from, i18n.language), to: formatSeoulDay(asked.to, i18n.language), count: formatNumber(recordings.length, i18n.language) })}
      </p>
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {loaded.value &&
        (recordings.length === 0 ? (
          <p className="meta">{k('none')}</p>
        ) : (
          <>
            {recordings.length >= LIMIT && <p className="meta">{k('more', { count: formatNumber(LIMIT, i18n.language) })}</p>}
            <RecordingTable recordings={recordings} caption={k('caption')} />
          </>
        ))}
    </>
  );
}
