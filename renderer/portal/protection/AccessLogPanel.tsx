import { useTranslation } from 'react-i18next';
import { RefreshCw } from 'lucide-react';
import { formatDateTime } from '../../i18n/format';
import { Loading, RefusalText } from '../parts';
import { usePortal } from '../portal-context';
import { useLoad } from '../use-load';
import portal from '../Portal.module.css';
import css from './Protection.module.css';

const RANGE = /^(\d{4}-\d\d-\d\dT[^~]+)~(\d{4}-\d\d-\d\dT[^~]+)$/;

/** A listing's reason is the range the server was asked (UTC instants): read in Korea time. */
function listReason(reason: string, language: string): string {
  const m = RANGE.exec(reason);
  if (!m || Number.isNaN(Date.parse(m[1] as string)) || Number.isNaN(Date.parse(m[2] as string))) return reason;
  return `${formatDateTime(m[1] as string, language)} ~ ${formatDateTime(m[2] as string, language)}`;
}

/** 열람 기록: who played, downloaded or listed recordings, as whom, when and why, and who was refused. */
export function AccessLogPanel() {
  const { t, i18n } = useTranslation();
  const { api } = usePortal();
  const loaded = useLoad(() => api.recordingAccessLog(), [api]);
  const k = (key: string, params?: Record<string, string>) => t(`portal.protection.access.${key}`, params);
  const lines = loaded.value?.access ?? [];
  return (
    <>
      <div className={css.panelHead}>
        <p className="meta">{k('intro')}</p>
        <button type="button" onClick={loaded.reload} disabled={loaded.loading}>
          <RefreshCw aria-hidden size={18} />
          {k('refresh')}
        </button>
      </div>
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {!loaded.value ? (
        !loaded.error && <Loading />
      ) : lines.length === 0 ? (
        <p className="meta">{k('none')}</p>
      ) : (
        <div className={portal.tableWrap}>
          <table className={portal.table} data-access-log>
            <caption>{k('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{k('at')}</th>
                <th scope="col">{k('actor')}</th>
                <th scope="col">{k('role')}</th>
                <th scope="col">{k('purpose')}</th>
                <th scope="col">{k('reason')}</th>
                <th scope="col">{k('target')}</th>
                <th scope="col">{k('result')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((a) => (
                <tr key={a.id} data-allowed={a.allowed}>
                  <th scope="row" className={portal.nowrap}>
                    {formatDateTime(a.at, i18n.language)}
                  </th>
                  <td>{a.actor}</td>
                  <td className={portal.nowrap}>{t(`portal.roles.${a.role}`)}</td>
                  <td className={portal.nowrap}>{t(`portal.protection.purposes.${a.purpose}`)}</td>
                  <td className={css.reason}>{a.purpose === 'list' ? listReason(a.reason, i18n.language) : a.reason}</td>
                  <td className={css.id}>
                    {a.recordingId && <span className={css.target}>{k('recording', { id: a.recordingId })}</span>}
                    {a.recordId && <span className={css.target}>{k('record', { id: a.recordId })}</span>}
                    {!a.recordingId && !a.recordId && '—'}
                  </td>
                  <td>
                    <span className={a.allowed ? portal.state : css.refused}>{a.allowed ? k('allowed') : k('refused')}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
