import { useTranslation } from 'react-i18next';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import type { AnalyticsQuery } from '../../../shared/analytics';
import { formatDateTime, formatDuration, formatNumber } from '../../i18n/format';
import { Loading, RefusalText } from '../parts';
import { departmentName, usePortal } from '../portal-context';
import { useLoad } from '../use-load';
import { channelLabel, outcomeLabel, type Lang } from './labels';
import type { Drill } from './query';
import portal from '../Portal.module.css';
import css from './Analytics.module.css';

/** Records listed at most: enough to read what lies behind a figure; the exports have the rest. */
const LIMIT = 50;

/**
 * The records behind a figure, latest first, over the dashboard. No caller and no agent, ever;
 * the notes (masked at intake) only for a team lead: the server leaves them out for anyone else.
 */
export function DrillDown({ drill, query, onClose }: { drill: Drill; query: AnalyticsQuery; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { api, me } = usePortal();
  const l: Lang = { t, language: i18n.language };
  const { label, ...narrow } = drill;
  const loaded = useLoad(() => api.analyticsRecords({ from: query.from, to: query.to, channels: query.channels, ...narrow, limit: LIMIT }), [api, query, drill]);
  const notes = me.user.role === 'lead';
  const answer = loaded.value;
  const k = (key: string) => t(`portal.analytics.drill.${key}`);
  return (
    <ModalOverlay className="modal-overlay" isOpen isDismissable onOpenChange={(open) => !open && onClose()}>
      <Modal className={`modal ${css.drillModal}`}>
        <Dialog className="dialog">
          <div className="dialog-head">
            <Heading slot="title">{t('portal.analytics.drill.title', { label })}</Heading>
            <button type="button" onClick={onClose}>
              {k('close')}
            </button>
          </div>
          {loaded.error ? <RefusalText error={loaded.error} /> : null}
          {!answer ? (
            !loaded.error && <Loading />
          ) : answer.records.length === 0 ? (
            <p>{k('none')}</p>
          ) : (
            <>
              <p role="status" className="meta">
                {t('portal.analytics.drill.count', { total: formatNumber(answer.total, i18n.language), shown: formatNumber(answer.records.length, i18n.language) })}
              </p>
              <div className={portal.tableWrap}>
                <table className={portal.table}>
                  <caption className={portal.srOnly}>{t('portal.analytics.drill.title', { label })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{k('at')}</th>
                      <th scope="col">{t('portal.fields.category')}</th>
                      <th scope="col">{k('channel')}</th>
                      <th scope="col">{k('outcome')}</th>
                      <th scope="col">{t('portal.analytics.districts.district')}</th>
                      <th scope="col">{t('portal.department')}</th>
                      <th scope="col" className={portal.number}>
                        {k('handle')}
                      </th>
                      <th scope="col">{k('repeat')}</th>
                      {notes && <th scope="col">{k('notes')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {answer.records.map((r, i) => (
                      <tr key={i}>
                        <td className={portal.nowrap}>{formatDateTime(r.startedAt, i18n.language)}</td>
                        <td>{r.category}</td>
                        <td>{channelLabel(r.channel, l)}</td>
                        <td>{outcomeLabel(r.outcome, l)}</td>
                        <td>{r.district ?? '—'}</td>
                        <td>{r.department ? departmentName(me, r.department) : '—'}</td>
                        <td className={portal.number}>{formatDuration(r.handleSeconds, i18n.language)}</td>
                        <td>{r.repeat ? k('yes') : k('no')}</td>
                        {notes && <td className={css.notes}>{r.notes ?? ''}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
