import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ExternalLink, Save, Send, Undo2 } from 'lucide-react';
import { ENTRY_KINDS, MANUAL_LIMITS, SECTION_KEYS, type EntryKind, type ManualEntry } from '../../shared/manual';
import { OPEN_DRAFT_STATES } from '../../shared/knowledge';
import { formatDateTime, formatWhen } from '../i18n/format';
import { PortalApiError } from './api';
import { useFieldLabel } from './DiffTable';
import { checkForm, detailProblems, formOf, splitKeywords, TEXT_LIMITS, type ContentField, type DraftForm, type FieldProblem, type TextField } from './fields';
import { DepartmentSelect, Done, DraftStateBadge, Loading, RefusalText, ViewHeading } from './parts';
import { departmentName, usePortal, writesFor } from './portal-context';
import { routeHref, type DraftPrefill } from './route';
import type { PortalDraft, SimilarEntry } from './schemas';
import { SmsBytes } from './SmsBytes';
import { useLoad } from './use-load';
import css from './Portal.module.css';

const fieldId = (base: string, field: ContentField) => `${base}-${field}`;

function ProblemText({ p }: { p: FieldProblem }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  return (
    <>
      {p.field ? `${label(p.field)}: ` : ''}
      {t(`portal.problems.${p.kind}`, { limit: p.limit?.toLocaleString('ko-KR') ?? '' })}
      {p.kind === 'invalid' && (
        <>
          {' '}
          <span lang="en" className="meta">
            ({p.detail})
          </span>
        </>
      )}
    </>
  );
}

/** What needs fixing before the draft can be saved, each a way to its field. */
function Problems({ base, problems, summary }: { base: string; problems: FieldProblem[]; summary: RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <div ref={summary} role="alert" tabIndex={-1} className={css.problems}>
      <p>{t('portal.problems.title')}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.field ? (
              <button type="button" className="link-button" onClick={() => document.getElementById(fieldId(base, p.field as ContentField))?.focus()}>
                <ProblemText p={p} />
              </button>
            ) : (
              <ProblemText p={p} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Before a new entry is first saved: the live entries that look like it (another department's cannot be opened). */
function SimilarNotice({ similar, onSaveAnyway, onKeepEditing, busy }: { similar: SimilarEntry[]; onSaveAnyway: () => void; onKeepEditing: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const { me } = usePortal();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const id = useId();
  return (
    <section className={css.similar} aria-labelledby={id}>
      <h2 id={id} ref={heading} tabIndex={-1}>
        {t('portal.similar.title')}
      </h2>
      <p>{t('portal.similar.intro')}</p>
      <ul>
        {similar.map((s, i) => (
          <li key={s.id ?? `other-${i}`}>
            {s.id ? (
              // A tab of its own (sharing this one's sign-in): what is typed here stays.
              <a href={routeHref({ view: 'entry', id: s.id })} target="_blank" rel="opener">
                {s.title}
                <ExternalLink aria-hidden size={14} />
                <span className={css.srOnly}>{t('portal.similar.newTab')}</span>
              </a>
            ) : (
              <span>{s.title}</span>
            )}{' '}
            <span className="meta">
              {s.category}
              {s.id ? ` · ${departmentName(me, s.department)}` : ` · ${t('portal.similar.otherDepartment')}`}
            </span>
          </li>
        ))}
      </ul>
      <div className={css.actions}>
        <button type="button" disabled={busy} onClick={onSaveAnyway}>
          {t('portal.similar.saveAnyway')}
        </button>
        <button type="button" className="primary" onClick={onKeepEditing}>
          {t('portal.similar.keepEditing')}
        </button>
      </div>
    </section>
  );
}

function TextFieldRow(p: { base: string; field: TextField; value: string; readOnly: boolean; invalid: boolean; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const id = fieldId(p.base, p.field);
  const limit = TEXT_LIMITS[p.field];
  const over = p.value.trim().length > limit;
  return (
    <div className={css.textField} data-field={p.field}>
      <label>
        {label(p.field)}
        <textarea
          id={id}
          rows={p.field === 'body' ? 10 : p.field === 'sms' || p.field === 'spoken' ? 3 : 4}
          value={p.value}
          readOnly={p.readOnly}
          aria-invalid={over || p.invalid || undefined}
          aria-describedby={`${id}-count${p.field === 'sms' ? ` ${id}-bytes` : ''}`}
          onChange={(e) => p.onChange(e.target.value)}
        />
      </label>
      <p id={`${id}-count`} className={over ? css.over : 'meta'}>
        {t('portal.draft.chars', { count: p.value.length.toLocaleString('ko-KR'), max: limit.toLocaleString('ko-KR') })}
      </p>
      {p.field === 'sms' && <SmsBytes id={`${id}-bytes`} text={p.value} onReplace={p.readOnly ? null : p.onChange} />}
    </div>
  );
}

/** A draft's state, department, author and base version, what its state means, and the reviewers' comments. */
export function DraftFacts({ draft, live, onReviewPage = false }: { draft: PortalDraft; live: ManualEntry | null; onReviewPage?: boolean }) {
  const { t, i18n } = useTranslation();
  const { me } = usePortal();
  return (
    <>
      <p className={css.factsLine}>
        <DraftStateBadge state={draft.state} />
        <span>{departmentName(me, draft.department)}</span>
        <span>{t('portal.draft.author', { author: draft.author, at: formatDateTime(draft.createdAt, i18n.language) })}</span>
        <span>{draft.baseVersion === null ? t('portal.draft.newEntry') : t('portal.draft.base', { version: draft.baseVersion })}</span>
        <span>{t('portal.draft.updated', { at: formatDateTime(draft.updatedAt, i18n.language) })}</span>
        {live && <a href={routeHref({ view: 'entry', id: live.id })}>{t('portal.draft.live', { version: live.version })}</a>}
      </p>
      {draft.action === 'archive' && <p className={css.note}>{t('portal.draft.archiveNote')}</p>}
      {draft.state === 'review' && !onReviewPage && <p className={css.note}>{t('portal.draft.inReview')}</p>}
      {draft.state === 'scheduled' && draft.publishAt && <p className={css.note}>{t('portal.draft.scheduled', { at: formatWhen(draft.publishAt, i18n.language) })}</p>}
      {draft.state === 'published' && <p className={css.note}>{t('portal.draft.published', { version: draft.publishedVersion ?? '' })}</p>}
      {draft.state === 'withdrawn' && <p className={css.note}>{t('portal.draft.withdrawn')}</p>}
      {draft.comments.length > 0 && (
        <section className={draft.state === 'rejected' ? css.rejected : css.card} aria-labelledby={`${draft.id}-comments`}>
          <h2 id={`${draft.id}-comments`}>{draft.state === 'rejected' ? t('portal.draft.rejectedComments') : t('portal.draft.comments')}</h2>
          <ul className={css.plainList}>
            {draft.comments.map((c, i) => (
              <li key={i}>
                <p className="meta">{t(`portal.draft.commentBy.${c.kind}`, { by: c.by, at: formatDateTime(c.at, i18n.language) })}</p>
                <p className={css.longText}>{c.text}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** The editor proper, once the draft (or nothing, for a new entry) is known. */
function Editor({ initial, prefill }: { initial: { draft: PortalDraft; live: ManualEntry | null } | null; prefill: DraftPrefill }) {
  const { t } = useTranslation();
  const { api, me, navigate } = usePortal();
  const base = useId();
  const titleId = useId();
  const [draft, setDraft] = useState<PortalDraft | null>(initial?.draft ?? null);
  const [form, setFormState] = useState<DraftForm>(() => formOf(initial?.draft.content ?? null, prefill));
  const formNow = useRef(form);
  const [saved, setSaved] = useState(form);
  const [department, setDepartment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [similar, setSimilar] = useState<SimilarEntry[] | null>(null);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const categories = useLoad(() => api.entries({}).then((r) => [...new Set(r.entries.map((e) => e.entry.category))].sort()), [api]);

  const isNew = draft === null;
  const dirty = form !== saved;
  const editable = isNew ? writesFor(me, me.user.department) : writesFor(me, draft.department) && (draft.state === 'draft' || draft.state === 'rejected') && draft.action === 'publish';
  const submittable = !isNew && writesFor(me, draft.department) && (draft.state === 'draft' || draft.state === 'rejected');
  const withdrawable = !isNew && writesFor(me, draft.department) && OPEN_DRAFT_STATES.includes(draft.state);

  // Leaving with unsaved text: the browser asks first.
  useEffect(() => {
    if (!dirty) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  const setForm = (change: Partial<DraftForm>) => {
    formNow.current = { ...formNow.current, ...change };
    setFormState(formNow.current);
  };
  const setText = (field: TextField, value: string) => setForm({ texts: { ...formNow.current.texts, [field]: value } });

  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone('');
    action()
      .catch((e: unknown) => {
        setError(e);
        if (e instanceof PortalApiError && e.code === 'invalid') setProblems(detailProblems(e.details));
      })
      .finally(() => setBusy(false));
  };

  /** Saves what is typed; a new draft is first compared with the live entries. Null: not saved (problems, similar entries, or a new draft now at its own address). */
  const save = async (o: { skipSimilar?: boolean } = {}): Promise<PortalDraft | null> => {
    const typed = formNow.current;
    const checked = checkForm(typed);
    setProblems(checked.problems);
    if (!checked.content) {
      requestAnimationFrame(() => summary.current?.focus());
      return null;
    }
    if (!draft) {
      if (me.user.role === 'reviewer' && !department) throw new PortalApiError(0, 'no-department', 'no department chosen');
      if (!o.skipSimilar) {
        const found = (await api.similar({ title: checked.content.title, keywords: checked.content.keywords })).similar;
        if (found.length > 0) {
          setSimilar(found);
          return null;
        }
      }
      setSimilar(null);
      const created = (await api.createDraft({ content: checked.content, ...(me.user.role === 'reviewer' ? { department } : {}) })).draft;
      setSaved(typed);
      navigate({ view: 'draft', id: created.id }, { replace: true, notice: t('portal.draft.created') });
      return null;
    }
    const updated = (await api.saveDraft(draft.id, checked.content)).draft;
    setDraft(updated);
    setSaved(typed);
    setDone(t('portal.draft.saved'));
    return updated;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(async () => {
      await save();
    });
  };

  const title = isNew ? t('portal.draft.newTitle') : t('portal.draft.title', { title: draft.content.title });
  const readOnly = !editable;
  const invalid = new Set(problems.map((p) => p.field));
  const kindId = fieldId(base, 'kind');

  return (
    <>
      <ViewHeading text={title} />
      {draft && <DraftFacts draft={draft} live={initial?.live ?? null} />}
      <form className={css.editor} aria-labelledby={titleId} onSubmit={submit} noValidate>
        <h2 id={titleId} className={css.srOnly}>
          {t('portal.draft.content')}
        </h2>
        <Problems base={base} problems={problems} summary={summary} />
        <div className={css.formGrid}>
          {isNew && <DepartmentSelect value={department} onChange={setDepartment} required />}
          <label>
            {t('portal.fields.kind')}
            <select id={kindId} value={form.kind} disabled={readOnly} onChange={(e) => setForm({ kind: e.target.value as EntryKind })}>
              {ENTRY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`portal.kinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('portal.fields.category')}
            <input
              id={fieldId(base, 'category')}
              list={`${base}-categories`}
              value={form.category}
              readOnly={readOnly}
              aria-invalid={invalid.has('category') || undefined}
              aria-describedby={`${base}-category-hint`}
              onChange={(e) => setForm({ category: e.target.value })}
            />
          </label>
          <datalist id={`${base}-categories`}>
            {(categories.value ?? []).map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <p id={`${base}-category-hint`} className={`meta ${css.hintCell}`}>
            {t('portal.draft.categoryHint')}
          </p>
          <label className={css.wide}>
            {t('portal.fields.title')}
            <input id={fieldId(base, 'title')} value={form.title} readOnly={readOnly} aria-invalid={invalid.has('title') || undefined} onChange={(e) => setForm({ title: e.target.value })} />
          </label>
          <label className={css.wide}>
            {t('portal.fields.keywords')}
            <input
              id={fieldId(base, 'keywords')}
              value={form.keywords}
              readOnly={readOnly}
              aria-invalid={invalid.has('keywords') || undefined}
              aria-describedby={`${base}-keywords-hint`}
              onChange={(e) => setForm({ keywords: e.target.value })}
            />
          </label>
          <p id={`${base}-keywords-hint`} className={`meta ${css.wide}`}>
            {t('portal.draft.keywordsHint', { count: splitKeywords(form.keywords).length, max: MANUAL_LIMITS.keywords, length: MANUAL_LIMITS.keyword })}
          </p>
        </div>
        <TextFieldRow base={base} field="body" value={form.texts.body} readOnly={readOnly} invalid={invalid.has('body')} onChange={(v) => setText('body', v)} />
        <div className={css.sections}>
          {SECTION_KEYS.map((f) => (
            <TextFieldRow key={f} base={base} field={f} value={form.texts[f]} readOnly={readOnly} invalid={invalid.has(f)} onChange={(v) => setText(f, v)} />
          ))}
        </div>
        {similar && (
          <SimilarNotice
            similar={similar}
            busy={busy}
            onKeepEditing={() => setSimilar(null)}
            onSaveAnyway={() =>
              run(async () => {
                await save({ skipSimilar: true });
              })
            }
          />
        )}
        <div className={css.formActions}>
          {editable && (
            <button type="submit" className="primary" disabled={busy}>
              <Save aria-hidden size={18} />
              {t('portal.draft.save')}
            </button>
          )}
          {submittable && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                run(async () => {
                  const current = dirty && editable ? await save() : draft;
                  if (!current) return;
                  setDraft((await api.submitDraft(current.id)).draft);
                  setDone(t('portal.draft.submitted'));
                })
              }
            >
              <Send aria-hidden size={18} />
              {dirty && editable ? t('portal.draft.saveAndSubmit') : t('portal.draft.submit')}
            </button>
          )}
          {withdrawable && (
            <button type="button" aria-expanded={confirmWithdraw} disabled={busy} onClick={() => setConfirmWithdraw((v) => !v)}>
              <Undo2 aria-hidden size={18} />
              {t('portal.draft.withdraw')}
            </button>
          )}
          {dirty && editable && <span className="meta">{t('portal.draft.unsaved')}</span>}
        </div>
        {confirmWithdraw && draft && (
          <div className={css.confirm} role="group" aria-label={t('portal.draft.withdraw')}>
            <p>{t('portal.draft.withdrawConfirm')}</p>
            <div className={css.actions}>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() =>
                  run(async () => {
                    setDraft((await api.withdrawDraft(draft.id)).draft);
                    setSaved(formNow.current);
                    setConfirmWithdraw(false);
                    setDone(t('portal.draft.withdrawnNow'));
                  })
                }
              >
                {t('portal.draft.withdrawSubmit')}
              </button>
              <button type="button" onClick={() => setConfirmWithdraw(false)}>
                {t('portal.cancel')}
              </button>
            </div>
          </div>
        )}
        <Done text={done} />
        {error ? <RefusalText error={error} /> : null}
      </form>
    </>
  );
}

/** 초안: a draft of an entry (or of a new one) — every field with its limit, the SMS form's bytes — saved, sent to review, or given up. */
export function DraftEditor({ draftId, prefill }: { draftId: string | null; prefill: DraftPrefill }) {
  const { t } = useTranslation();
  const { api } = usePortal();
  const loaded = useLoad(() => (draftId ? api.draft(draftId) : Promise.resolve(null)), [api, draftId]);
  if (draftId && !loaded.value) {
    return (
      <>
        <ViewHeading text={t('portal.draft.loadingTitle')} />
        {loaded.error ? <RefusalText error={loaded.error} /> : <Loading />}
      </>
    );
  }
  return <Editor initial={loaded.value} prefill={prefill} />;
}
