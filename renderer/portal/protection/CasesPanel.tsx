import { Fragment, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ChevronDown, ChevronRight, FolderCheck } from 'lucide-react';
import { closeCaseSchema } from '../../../shared/recording';
import { formatDateTime } from '../../i18n/format';
import { PortalApiError } from '../api';
import { Loading, RefusalText } from '../parts';
import { usePortal } from '../portal-context';
import type { PortalCase } from '../schemas';
import { useLoad } from '../use-load';
import { RecordingTable } from './RecordingTable';
import portal from '../Portal.module.css';
import css from './Protection.module.css';

const CASE_STATES = ['all', 'open', 'closed'] as const;
type CaseState = (typeof CASE_STATES)[number];

/** A case's recordings, asked when its row is opened (the server logs the listing). */
function CaseRecordings({ c, label }: { c: PortalCase; label: string }) {
  const { t } = useTranslation();
  const { api } = usePortal();
  const loaded = useLoad(() => api.recordingsOfRecord(c.recordId), [api, c.recordId]);
  if (loaded.error) return <RefusalText error={loaded.error} />;
  if (!loaded.value) return <Loading />;
  if (loaded.value.recordings.length === 0) return <p className="meta">{t('portal.protection.cases.noRecordings')}</p>;
  return <RecordingTable recordings={loaded.value.recordings} caption={label} />;
}

/** A lead's closing of a case: the note is required, and says what was done. */
function CloseDialog({ c, title, onClosed, onCancel }: { c: PortalCase; title: string; onClosed: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { api } = usePortal();
  const ids = { hint: useId(), problem: useId() };
  const [note, setNote] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const k = (key: string) => t(`portal.protection.cases.${key}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = closeCaseSchema.safeParse({ note });
    if (!body.success) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    setBusy(true);
    setError(null);
    api
      .closeCase(c.recordId, body.data.note)
      .then(onClosed)
      .catch((err: unknown) => {
        setError(err);
        setBusy(false);
      });
  };
  return (
    <ModalOverlay className="modal-overlay" isOpen isDismissable onOpenChange={(open) => !open && onCancel()}>
      <Modal className={`modal ${css.listenModal}`}>
        <Dialog className="dialog">
          <Heading slot="title">{title}</Heading>
          <p>{k('closeWhy')}</p>
          <form className={css.reasonForm} onSubmit={submit} noValidate>
            <label>
              {k('note')}
              <textarea
                autoFocus
                rows={3}
                maxLength={500}
                required
                value={note}
                aria-invalid={tooShort || undefined}
                aria-describedby={`${ids.hint}${tooShort ? ` ${ids.problem}` : ''}`}
                onChange={(e) => setNote(e.target.value)}
              />
            </label>
            <p id={ids.hint} className="meta">
              {k('noteHint')}
            </p>
            {tooShort && (
              <p id={ids.problem} role="alert">
                {k('noteTooShort')}
              </p>
            )}
            {error ? error instanceof PortalApiError && error.status === 404 ? <p role="alert">{k('noCase')}</p> : <RefusalText error={error} /> : null}
            <div className={portal.actions}>
              <button type="submit" className="primary" disabled={busy}>
                {k('submitClose')}
              </button>
              <button type="button" onClick={onCancel}>
                {t('portal.cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

/** 피해 신고 사건: the calls agents reported, open ones first; each opens its recordings; a lead closes an open one with a note. */
export function CasesPanel() {
  const { t, i18n } = useTranslation();
  const { api, me } = usePortal();
  const stateId = useId();
  const [state, setState] = useState<CaseState>('all');
  const [opened, setOpened] = useState<string | null>(null);
  const [closing, setClosing] = useState<PortalCase | null>(null);
  const [done, setDone] = useState('');
  const loaded = useLoad(() => api.protectionCases(state), [api, state]);
  // A case just closed: its button is gone with the list's new answer, so the focus goes to what was done.
  const said = useRef<HTMLParagraphElement>(null);
  const sayDone = useRef(false);
  useEffect(() => {
    if (sayDone.current && loaded.value) {
      sayDone.current = false;
      said.current?.focus();
    }
  }, [loaded.value]);
  const lead = me.user.role === 'lead';
  const k = (key: string, params?: Record<string, string | number>) => t(`portal.protection.cases.${key}`, params);
  const cases = loaded.value?.cases ?? [];
  const describe = (c: PortalCase) => ({ kind: t(`portal.protection.kinds.${c.kind}`), at: formatDateTime(c.startedAt, i18n.language) });
  const columns = 9;

  return (
    <>
      <div className={portal.toolbar}>
        <div className={portal.inline}>
          <label htmlFor={stateId}>{k('state')}</label>
          <select id={stateId} value={state} onChange={(e) => setState(e.target.value as CaseState)}>
            {CASE_STATES.map((s) => (
              <option key={s} value={s}>
                {k(`states.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p ref={said} role="status" tabIndex={-1} className={done ? portal.done : portal.quiet}>
        {done}
      </p>
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {loaded.loading && !loaded.value ? (
        <Loading />
      ) : cases.length === 0 ? (
        !loaded.error && <p className="meta">{k('none')}</p>
      ) : (
        <div className={portal.tableWrap}>
          <table className={portal.table} data-cases>
            <caption>{k('caption', { count: cases.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{k('at')}</th>
                <th scope="col">{k('kind')}</th>
                <th scope="col">{k('agent')}</th>
                <th scope="col">{k('category')}</th>
                <th scope="col">{k('warnings')}</th>
                <th scope="col">{k('ended')}</th>
                <th scope="col">{k('recordings')}</th>
                <th scope="col">{k('status')}</th>
                {lead && <th scope="col">{k('close')}</th>}
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => {
                const agent = c.agent;
                const d = describe(c);
                const isOpen = c.closedAt === null;
                const expanded = opened === c.recordId;
                const panel = `case-recordings-${c.recordId}`;
                return (
                  <Fragment key={c.recordId}>
                    <tr data-case={c.recordId} data-state={isOpen ? 'open' : 'closed'}>
                      <th scope="row" className={portal.nowrap}>
                        {d.at}
                      </th>
                      <td>
                        <span className={css.kind}>{d.kind}</span>
                      </td>
                      <td>
                        {agent ? (
                          <>
                            {agent.displayName}
                            <span className={portal.sub}>{agent.username}</span>
                          </>
                        ) : (
                          <span className={`${portal.sub} ${css.id}`}>{k('agentId', { id: c.agentId })}</span>
                        )}
                      </td>
                      <td>{c.category}</td>
                      <td className={portal.nowrap}>{c.warnings ? k('warningsOf', { played: c.warnings.played, spoken: c.warnings.spoken }) : k('noWarnings')}</td>
                      <td>{c.endReason === 'abusive' ? <strong>{k('yes')}</strong> : k('no')}</td>
                      <td>
                        {c.recordings === 0 ? (
                          <span className="meta">{k('noRecordings')}</span>
                        ) : (
                          <button type="button" className={css.disclosure} aria-expanded={expanded} aria-controls={expanded ? panel : undefined} onClick={() => setOpened(expanded ? null : c.recordId)}>
                            {expanded ? <ChevronDown aria-hidden size={16} /> : <ChevronRight aria-hidden size={16} />}
                            {k('showRecordings', { count: c.recordings })}
                            <span className={portal.srOnly}>: {k('recordingsOf', d)}</span>
                          </button>
                        )}
                      </td>
                      <td>
                        {isOpen ? (
                          <>
                            <span className={css.open}>{k('open')}</span>
                            <span className={portal.sub}>{k('held')}</span>
                          </>
                        ) : (
                          <>
                            <span className={portal.state}>{k('closed')}</span>
                            <span className={portal.sub}>{k('closedBy', { by: c.closedBy ?? '', at: formatDateTime(c.closedAt ?? '', i18n.language) })}</span>
                            {c.closingNote && <span className={css.note}>{c.closingNote}</span>}
                          </>
                        )}
                      </td>
                      {lead && (
                        <td>
                          {isOpen && (
                            <button type="button" onClick={() => setClosing(c)}>
                              <FolderCheck aria-hidden size={16} />
                              {k('close')}
                              <span className={portal.srOnly}>: {k('closeTitle', d)}</span>
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                    {expanded && (
                      <tr className={css.expansion}>
                        <td colSpan={lead ? columns : columns - 1} id={panel}>
                          <CaseRecordings c={c} label={k('recordingsOf', d)} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {closing && (
        <CloseDialog
          c={closing}
          title={k('closeTitle', describe(closing))}
          onCancel={() => setClosing(null)}
          onClosed={() => {
            setClosing(null);
            setOpened(null);
            setDone(k('closedDone'));
            sayDone.current = true;
            loaded.reload();
          }}
        />
      )}
    </>
  );
}
