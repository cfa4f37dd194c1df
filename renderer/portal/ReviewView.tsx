import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Check, Undo2 } from 'lucide-react';
import type { DraftDecision, DraftState } from '../../shared/knowledge';
import { formatDateTime, formatWhen } from '../i18n/format';
import { DiffTable } from './DiffTable';
import { DraftFacts } from './DraftEditor';
import { DepartmentSelect, Loading, RefusalText, ViewHeading } from './parts';
import { departmentName, usePortal } from './portal-context';
import { seoulDayAfter } from './period';
import { routeHref } from './route';
import type { PortalDraft } from './schemas';
import { useLoad } from './use-load';
import css from './Portal.module.css';

/** What each role follows here: editors their department's drafts at every stage, reviewers and leads the review queue and what is scheduled. */
const EDITOR_STATES: readonly DraftState[] = ['rejected', 'draft', 'review', 'scheduled'];
const REVIEW_STATES: readonly DraftState[] = ['review', 'scheduled'];

function DraftTable({ state, drafts }: { state: DraftState; drafts: PortalDraft[] }) {
  const { t, i18n } = useTranslation();
  const { me } = usePortal();
  const id = useId();
  const toReview = me.user.role !== 'editor' && (state === 'review' || state === 'scheduled');
  const when = (d: PortalDraft) =>
    state === 'scheduled' && d.publishAt ? formatWhen(d.publishAt, i18n.language) : formatDateTime((state === 'review' ? d.submittedAt : null) ?? d.updatedAt, i18n.language);
  return (
    <section aria-labelledby={id} className={css.block} data-drafts={state}>
      <h2 id={id}>{t(`portal.review.sections.${state}`, { count: drafts.length })}</h2>
      {drafts.length === 0 ? (
        <p className="meta">{t('portal.review.none')}</p>
      ) : (
        <div className={css.tableWrap}>
          <table className={css.table}>
            <caption className={css.srOnly}>{t(`portal.review.sections.${state}`, { count: drafts.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('portal.fields.title')}</th>
                <th scope="col">{t('portal.department')}</th>
                <th scope="col">{t('portal.review.what')}</th>
                <th scope="col">{t('portal.review.author')}</th>
                <th scope="col">{t(`portal.review.when.${state}`)}</th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((d) => (
                <tr key={d.id} data-draft-id={d.id}>
                  <td>
                    <a href={routeHref(toReview ? { view: 'review-draft', id: d.id } : { view: 'draft', id: d.id })}>{d.content.title}</a>
                  </td>
                  <td>{departmentName(me, d.department)}</td>
                  <td>{d.action === 'archive' ? t('portal.review.archive') : d.baseVersion === null ? t('portal.review.new') : t('portal.review.revision', { version: d.baseVersion })}</td>
                  <td>{d.author}</td>
                  <td>{when(d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** 초안·검토: the drafts waiting for review and those scheduled (and, for an editor, the department's drafts under way). */
export function DraftsView() {
  const { t } = useTranslation();
  const { api, me } = usePortal();
  const [department, setDepartment] = useState('');
  const states = me.user.role === 'editor' ? EDITOR_STATES : REVIEW_STATES;
  const scope = me.user.role === 'editor' || !department ? {} : { department };
  const loaded = useLoad(() => Promise.all(states.map((state) => api.drafts({ state, ...scope }).then((r) => r.drafts))), [api, states, department]);
  return (
    <>
      <ViewHeading text={t('portal.review.title')} />
      <div className={css.toolbar}>
        <DepartmentSelect value={department} onChange={setDepartment} />
      </div>
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {loaded.value ? states.map((s, i) => <DraftTable key={s} state={s} drafts={loaded.value?.[i] ?? []} />) : !loaded.error && <Loading />}
    </>
  );
}

/** The reviewer's decision: approve now or for a Seoul day, or send back with a comment. Never on their own draft. */
function Decision({ draft, onDecided }: { draft: PortalDraft; onDecided: (d: PortalDraft) => void }) {
  const { t } = useTranslation();
  const { api, me } = usePortal();
  const id = useId();
  const tomorrow = seoulDayAfter(new Date(), 1);
  const [when, setWhen] = useState<'now' | 'day'>('now');
  const [day, setDay] = useState(tomorrow);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState<'comment' | 'day' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const commentField = useRef<HTMLTextAreaElement>(null);
  const dayField = useRef<HTMLInputElement>(null);
  const own = draft.author === me.user.username || draft.editors.includes(me.user.username);

  const decide = (decision: DraftDecision) => {
    setBusy(true);
    setError(null);
    api
      .decide(draft.id, decision)
      .then((r) => onDecided(r.draft))
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  const approve = (e: FormEvent) => {
    e.preventDefault();
    if (own) return;
    if (when === 'day' && !(day >= tomorrow)) {
      setMissing('day');
      dayField.current?.focus();
      return;
    }
    setMissing(null);
    decide({ decision: 'approve', ...(when === 'day' ? { publishOn: day } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) });
  };
  const reject = () => {
    if (!comment.trim()) {
      setMissing('comment');
      commentField.current?.focus();
      return;
    }
    setMissing(null);
    decide({ decision: 'reject', comment: comment.trim() });
  };

  return (
    <form className={`${css.card} ${css.block}`} aria-labelledby={id} onSubmit={approve} noValidate>
      <h2 id={id}>{t('portal.review.decision')}</h2>
      <fieldset>
        <legend>{t('portal.review.publishWhen')}</legend>
        <label>
          <input type="radio" name={`${id}-when`} checked={when === 'now'} onChange={() => setWhen('now')} />
          {t('portal.review.publishNow')}
        </label>
        <label>
          <input type="radio" name={`${id}-when`} checked={when === 'day'} onChange={() => setWhen('day')} />
          {t('portal.review.publishOnDay')}
        </label>
        <label className={css.dateField}>
          {t('portal.review.publishDay')}
          <input
            ref={dayField}
            type="date"
            min={tomorrow}
            value={day}
            disabled={when !== 'day'}
            aria-invalid={missing === 'day' || undefined}
            aria-describedby={`${id}-day-hint`}
            onChange={(e) => setDay(e.target.value)}
          />
        </label>
        <p id={`${id}-day-hint`} className="meta">
          {t('portal.review.publishDayHint')}
        </p>
      </fieldset>
      <label>
        {t('portal.review.comment')}
        <textarea
          ref={commentField}
          rows={3}
          value={comment}
          aria-invalid={missing === 'comment' || undefined}
          aria-describedby={`${id}-comment-hint`}
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      <p id={`${id}-comment-hint`} className="meta">
        {t('portal.review.commentHint')}
      </p>
      {missing && <p role="alert">{t(`portal.review.missing.${missing}`)}</p>}
      {own && (
        <p id={`${id}-own`} className={css.note} data-reason="own-draft">
          {t('portal.review.ownDraft')}
        </p>
      )}
      <div className={css.actions}>
        <button type="submit" className="primary" disabled={own || busy} aria-describedby={own ? `${id}-own` : undefined}>
          <Check aria-hidden size={18} />
          {t('portal.review.approve')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={reject}>
          <Undo2 aria-hidden size={18} />
          {t('portal.review.reject')}
        </button>
      </div>
      {error ? <RefusalText error={error} /> : null}
    </form>
  );
}

/** One draft under review: the live entry and the draft side by side, field by field, and the decision. */
export function ReviewDraft({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { api, me, navigate } = usePortal();
  const loaded = useLoad(() => api.draft(id), [api, id]);
  if (!loaded.value) {
    return (
      <>
        <ViewHeading text={t('portal.review.loadingTitle')} />
        {loaded.error ? <RefusalText error={loaded.error} /> : <Loading />}
      </>
    );
  }
  const { live, draft } = loaded.value;
  const after = draft.action === 'archive' ? null : draft.content;
  const onDecided = (d: PortalDraft) => {
    const notice =
      d.state === 'published'
        ? t('portal.review.published', { title: d.content.title, version: d.publishedVersion ?? '' })
        : d.state === 'scheduled' && d.publishAt
          ? t('portal.review.scheduled', { title: d.content.title, at: formatWhen(d.publishAt, i18n.language) })
          : t('portal.review.rejected', { title: d.content.title });
    navigate({ view: 'review' }, { notice });
  };
  const caption = t('portal.review.diffCaption', { title: draft.content.title });
  return (
    <>
      <ViewHeading text={t('portal.review.titleOf', { title: draft.content.title })} />
      <DraftFacts draft={draft} live={live} onReviewPage />
      <p>
        <a href={routeHref({ view: 'draft', id: draft.id })}>{t('portal.review.openDraft')}</a>
      </p>
      <section aria-label={caption} className={css.block}>
        <DiffTable
          caption={caption}
          before={live}
          after={after}
          beforeLabel={live ? t('portal.review.live', { version: live.version }) : t('portal.review.noLive')}
          afterLabel={draft.action === 'archive' ? t('portal.review.archived') : t('portal.review.draft')}
        />
      </section>
      {me.user.role === 'reviewer' && draft.state === 'review' && <Decision draft={draft} onDecided={onDecided} />}
    </>
  );
}
