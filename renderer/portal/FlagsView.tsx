import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FilePen, MessageSquareReply } from 'lucide-react';
import { FLAG_LIMITS, FLAG_STATES, type FlagState } from '../../shared/knowledge';
import { FlagSummary, openEditDraft } from './EntryView';
import { DepartmentSelect, Done, Loading, RefusalText, ViewHeading } from './parts';
import { departmentName, usePortal, writesFor } from './portal-context';
import { routeHref } from './route';
import type { PortalFlag } from './schemas';
import { useLoad } from './use-load';
import css from './Portal.module.css';

function ReplyForm({ flag, onDone, onCancel }: { flag: PortalFlag; onDone: (message: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { api } = usePortal();
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reply.trim()) return;
    setBusy(true);
    setError(null);
    api
      .replyToFlag(flag.id, reply.trim())
      .then(() => onDone(t('portal.flags.replied', { title: flag.entryTitle })))
      .catch((err: unknown) => {
        setError(err);
        setBusy(false);
      });
  };
  return (
    <form className={css.inlineForm} onSubmit={submit}>
      <label className={css.wide}>
        {t('portal.flags.reply')}
        <textarea rows={3} autoFocus maxLength={FLAG_LIMITS.note} value={reply} onChange={(e) => setReply(e.target.value)} />
      </label>
      <div className={css.actions}>
        <button type="submit" className="primary" disabled={busy || !reply.trim()}>
          {t('portal.flags.sendReply')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('portal.cancel')}
        </button>
      </div>
      {error ? <RefusalText error={error} /> : null}
    </form>
  );
}

function FlagCard({ flag, onChanged }: { flag: PortalFlag; onChanged: (message: string) => void }) {
  const { t } = useTranslation();
  const portal = usePortal();
  const { me } = portal;
  const [replying, setReplying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const open = flag.state === 'open';
  return (
    <li className={css.card} data-flag-id={flag.id}>
      <article aria-labelledby={id}>
        <h2 id={id} className={css.cardTitle}>
          <a href={routeHref({ view: 'entry', id: flag.entryId })}>{flag.entryTitle}</a>
          {me.user.role !== 'editor' && flag.department && <span className={css.sub}>{departmentName(me, flag.department)}</span>}
        </h2>
        <FlagSummary flag={flag} />
        {open && writesFor(me, flag.department) && !replying && (
          <div className={css.actions}>
            <button type="button" onClick={() => setReplying(true)}>
              <MessageSquareReply aria-hidden size={18} />
              {t('portal.flags.answer')}
            </button>
            {writesFor(me, flag.department) && (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  setBusy(true);
                  setError(null);
                  openEditDraft(portal, flag.entryId, { created: t('portal.entry.draftCreated'), existing: t('portal.entry.draftExisting') }).catch((e: unknown) => {
                    setError(e);
                    setBusy(false);
                  });
                }}
              >
                <FilePen aria-hidden size={18} />
                {t('portal.flags.makeDraft')}
              </button>
            )}
          </div>
        )}
        {replying && <ReplyForm flag={flag} onDone={onChanged} onCancel={() => setReplying(false)} />}
        {error ? <RefusalText error={error} /> : null}
      </article>
    </li>
  );
}

/** 신고함: what agents flagged on the department's entries; answer and close, or start a draft that fixes it. */
export function FlagsView() {
  const { t } = useTranslation();
  const { api, me } = usePortal();
  const [department, setDepartment] = useState('');
  const [state, setState] = useState<FlagState>('open');
  const [done, setDone] = useState('');
  const scope = me.user.role === 'editor' || !department ? {} : { department };
  const loaded = useLoad(() => api.flags({ state, ...scope }), [api, state, department]);
  const flags = loaded.value?.flags ?? [];
  return (
    <>
      <ViewHeading text={t('portal.flags.title')} />
      <div className={css.toolbar}>
        <label className={css.inline}>
          {t('portal.flags.state')}
          <select value={state} onChange={(e) => setState(e.target.value as FlagState)}>
            {FLAG_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`portal.flagStates.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <DepartmentSelect value={department} onChange={setDepartment} />
      </div>
      <Done text={done} />
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {loaded.loading && !loaded.value ? (
        <Loading />
      ) : flags.length === 0 ? (
        <p className="meta">{t('portal.flags.none')}</p>
      ) : (
        <ul className={css.cardList} aria-label={t('portal.flags.listLabel', { count: flags.length })}>
          {flags.map((f) => (
            <FlagCard
              key={f.id}
              flag={f}
              onChanged={(message) => {
                setDone(message);
                loaded.reload();
              }}
            />
          ))}
        </ul>
      )}
    </>
  );
}
