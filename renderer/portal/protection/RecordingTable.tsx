import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Download, Play } from 'lucide-react';
import { formatDateTime, formatDay, formatDuration } from '../../i18n/format';
import type { PortalRecording } from '../schemas';
import { ListenDialog, type ListenPurpose } from './ListenDialog';
import portal from '../Portal.module.css';
import css from './Protection.module.css';

/** Recordings as a table: when, how long, who recorded, which record, until when kept; each with 재생 and 내려받기 (a reason asked first). */
export function RecordingTable({ recordings, caption }: { recordings: PortalRecording[]; caption: string }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<{ recording: PortalRecording; purpose: ListenPurpose } | null>(null);
  const k = (key: string, params?: Record<string, string>) => t(`portal.protection.recordings.${key}`, params);
  return (
    <>
      <div className={portal.tableWrap}>
        <table className={portal.table} data-recordings>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{k('at')}</th>
              <th scope="col" className={portal.number}>
                {k('length')}
              </th>
              <th scope="col">{k('source')}</th>
              <th scope="col">{k('record')}</th>
              <th scope="col">{k('keep')}</th>
              <th scope="col">{k('open')}</th>
            </tr>
          </thead>
          <tbody>
            {recordings.map((r) => {
              const at = formatDateTime(r.startedAt, i18n.language);
              const which = k('which', { at });
              return (
                <tr key={r.id} data-recording-id={r.id}>
                  <th scope="row" className={portal.nowrap}>
                    {at}
                  </th>
                  <td className={`${portal.number} ${portal.nowrap}`}>{formatDuration(r.seconds, i18n.language)}</td>
                  <td>{t(`portal.protection.sources.${r.source}`)}</td>
                  <td className={css.id}>{r.recordId ?? <span className={portal.state}>{k('unlinkedRecord')}</span>}</td>
                  <td>{r.held ? <span className={css.held}>{k('held')}</span> : r.deleteAfter ? k('keepUntil', { day: formatDay(r.deleteAfter, i18n.language) }) : '—'}</td>
                  <td>
                    <div className={css.rowActions}>
                      <button type="button" onClick={() => setOpen({ recording: r, purpose: 'play' })}>
                        <Play aria-hidden size={16} />
                        {k('play')}
                        <span className={portal.srOnly}>: {which}</span>
                      </button>
                      <button type="button" onClick={() => setOpen({ recording: r, purpose: 'download' })}>
                        <Download aria-hidden size={16} />
                        {k('download')}
                        <span className={portal.srOnly}>: {which}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {open && <ListenDialog recording={open.recording} purpose={open.purpose} onClose={() => setOpen(null)} />}
    </>
  );
}
