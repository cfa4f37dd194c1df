import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Archive, BadgeCheck, FilePen, Flag } from 'lucide-react';
import { FLAG_KINDS, FLAG_LIMITS, type FlagKind } from '../../shared/knowledge';
import { formatDateTime, formatDay } from '../i18n/format';
import { PortalApiError } from './api';
import { DiffTable, useFieldLabel } from './DiffTable';
import { TEXT_FIELDS, fieldText } from './fields';
import { Done, DraftStateBadge, Loading, OverdueBadge, RefusalText, ViewHeading } from './parts';
import { departmentName, usePortal, writesFor, type PortalContextValue } from './portal-context';
import { routeHref } from './route';
import type { EntryDetail, EntryVersion, PortalFlag } from './schemas';
import { useLoad } from './use-load';
import css from './Portal.module.css';

/**
 * Opens a draft of the entry: a new one, or — when the entry already has one under way (409
 * draft-open) — that one, as the department must continue it rather than start a second.
 */
export async function openEditDraft(p: PortalContextValue, entryId: string, notices: { created: string; existing: string }): Promise<void> {
  try {
    const { draft } = await p.api.createDraft({ entryId });
    p.navigate({ view: 'draft', id: draft.id }, { notice: notices.created });
  } catch (e) {
    if (!(e instanceof PortalApiError && e.code === 'draft-open')) throw e;
    const { draft } = await p.api.openDraftOf(entryId);
    if (!draft) throw e;
    p.navigate({ view: 'draft', id: draft.id }, { notice: notices.existing });
  }
}

/** The action buttons' common run: one at a time, the refusal kept to show, what was done said. */
function useAction(after: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const run = (action: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setDone('');
    action()
      .then((message) => {
        if (message !== null) {
          setDone(message);
          after();
        }
      })
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  return { busy, error, done, run };
}

function OwnerForm({ entryId, department, owner, onSet }: { entryId: string; department: string | null; owner: string | null; onSet: () => void }) {
  const { t } = useTranslation();
  const { api, me } = usePortal();
  const [value, setValue] = useState(owner ?? '');
  // Follows the owner as reloaded, in place: remounting would drop the confirmation just shown.
  useEffect(() => setValue(owner ?? ''), [owner]);
  const editors = me.editors.filter((e) => e.department === department);
  const action = useAction(onSet);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = value.trim();
    if (!name) return;
    action.run(async () => {
      await api.setOwner(entryId, name);
      return t('portal.entry.ownerSet', { owner: name });
    });
  };
  return (
    <form className={css.inlineForm} onSubmit={submit}>
      <label className={css.inline}>
        {t('portal.entry.ownerField')}
        <select value={value} onChange={(e) => setValue(e.target.value)} aria-label={t('portal.entry.ownerField')} aria-describedby={`${entryId}-owner-hint`}>
          <option value="">{t('portal.entries.noOwner')}</option>
          {editors.map((e) => (
            <option key={e.username} value={e.username}>
              {e.displayName} ({e.username})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={action.busy || !value.trim() || value === owner}>
        {t('portal.entry.setOwner')}
      </button>
      <p id={`${entryId}-owner-hint`} className="meta">
        {t('portal.entry.ownerHint')}
      </p>
      <Done text={action.done} />
      {action.error ? <RefusalText error={action.error} /> : null}
    </form>
  );
}

/** A team lead's flag on the entry: what is wrong with it, to the department's inbox. */
function LeadFlagForm({ detail, onSent }: { detail: EntryDetail; onSent: () => void }) {
  const { t } = useTranslation();
  const { api } = usePortal();
  const [kind, setKind] = useState<FlagKind>('wrong');
  const [note, setNote] = useState('');
  const action = useAction(() => {
    setNote('');
    onSent();
  });
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    action.run(async () => {
      await api.raiseFlag({ entryId: detail.entry.id, entryVersion: detail.entry.version, kind, note: note.trim(), duringCall: false });
      return t('portal.entry.flagSent');
    });
  };
  return (
    <form className={css.card} aria-labelledby={id} onSubmit={submit}>
      <h2 id={id}>{t('portal.entry.flagTitle')}</h2>
      <label>
        {t('portal.flags.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as FlagKind)}>
          {FLAG_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`entry.flagKinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('portal.flags.note')}
        <textarea rows={3} maxLength={FLAG_LIMITS.note} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className={css.actions}>
        <button type="submit" disabled={action.busy}>
          <Flag aria-hidden size={18} />
          {t('portal.entry.flagSubmit')}
        </button>
      </div>
      <Done text={action.done} />
      {action.error ? <RefusalText error={action.error} /> : null}
    </form>
  );
}

function Actions({ detail, reload }: { detail: EntryDetail; reload: () => void }) {
  const { t } = useTranslation();
  const portal = usePortal();
  const { api, me, navigate } = portal;
  const action = useAction(reload);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const id = detail.entry.id;
  const mayVerify = writesFor(me, detail.entry.department);
  if (!detail.canEdit && !mayVerify) return null;
  const notices = { created: t('portal.entry.draftCreated'), existing: t('portal.entry.draftExisting') };
  return (
    <section className={css.card} aria-labelledby={`${id}-actions`}>
      <h2 id={`${id}-actions`}>{t('portal.entry.actions')}</h2>
      <div className={css.actions}>
        {detail.canEdit &&
          (detail.draft ? (
            <a className={css.buttonLink} href={routeHref({ view: 'draft', id: detail.draft.id })}>
              <FilePen aria-hidden size={18} />
              {t('portal.entry.openDraft', { state: t(`portal.draftStates.${detail.draft.state}`) })}
            </a>
          ) : (
            <button type="button" className="primary" disabled={action.busy} 
              onClick={() =>
                action.run(async () => {
                  await openEditDraft(portal, id, notices);
                  return null;
                })
              }
            >
              <FilePen aria-hidden size={18} />
              {t('portal.entry.edit')}
            </button>
          ))}
        {detail.canEdit && !detail.draft && (
          <button type="button" aria-expanded={confirmArchive} disabled={action.busy} onClick={() => setConfirmArchive((v) => !v)}>
            <Archive aria-hidden size={18} />
            {t('portal.entry.archive')}
          </button>
        )}
        {mayVerify && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              action.run(async () => {
                await api.verify(id);
                return t('portal.entry.verified');
              })
            }
          >
            <BadgeCheck aria-hidden size={18} />
            {t('portal.entry.verify')}
          </button>
        )}
      </div>
      {confirmArchive && (
        <div className={css.confirm} role="group" aria-label={t('portal.entry.archive')}>
          <p>{t('portal.entry.archiveConfirm')}</p>
          <div className={css.actions}>
            <button
              type="button"
              className="danger"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  const { draft } = await api.createDraft({ entryId: id, action: 'archive' });
                  navigate({ view: 'draft', id: draft.id }, { notice: t('portal.entry.archiveCreated') });
                  return null;
                })
              }
            >
              {t('portal.entry.archiveSubmit')}
            </button>
            <button type="button" onClick={() => setConfirmArchive(false)}>
              {t('portal.cancel')}
            </button>
          </div>
        </div>
      )}
      {mayVerify && <OwnerForm entryId={id} department={detail.entry.department} owner={detail.owner} onSet={reload} />}
      <Done text={action.done} />
      {action.error ? <RefusalText error={action.error} /> : null}
    </section>
  );
}

function Versions({ detail }: { detail: EntryDetail }) {
  const { t, i18n } = useTranslation();
  const [shown, setShown] = useState<number | null>(null);
  const diffHeading = useRef<HTMLHeadingElement>(null);
  const versions = detail.versions;
  const previousOf = (v: EntryVersion) => versions.find((o) => o.version < v.version) ?? null;
  const current = versions.find((v) => v.version === shown) ?? null;
  const previous = current ? previousOf(current) : null;
  const id = useId();
  const show = (version: number) => {
    setShown(version);
    requestAnimationFrame(() => diffHeading.current?.focus());
  };
  return (
    <section aria-labelledby={id} className={css.block}>
      <h2 id={id}>{t('portal.entry.history')}</h2>
      <div className={css.tableWrap}>
        <table className={css.table}>
          <caption className={css.srOnly}>{t('portal.entry.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('portal.entry.version')}</th>
              <th scope="col">{t('portal.entry.changedAt')}</th>
              <th scope="col">{t('portal.entry.changedBy')}</th>
              <th scope="col">{t('portal.entry.reviewer')}</th>
              <th scope="col">{t('portal.entry.compare')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} aria-current={v.version === shown || undefined}>
                <td>
                  v{v.version}
                  {v.entry === null && <span className={css.sub}>{t('portal.entry.archivedVersion')}</span>}
                </td>
                <td>{formatDateTime(v.changedAt, i18n.language)}</td>
                <td>{v.changedBy}</td>
                <td>{v.reviewer ?? <span className="meta">{t('portal.entry.noReviewer')}</span>}</td>
                <td>
                  <button type="button" onClick={() => show(v.version)}>
                    {previousOf(v) ? t('portal.entry.compareWithPrevious') : t('portal.entry.showFirst')}
                    <span className={css.srOnly}> (v{v.version})</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {current && (
        <>
          <h3 ref={diffHeading} tabIndex={-1}>
            {previous ? t('portal.entry.diffTitle', { from: previous.version, to: current.version }) : t('portal.entry.firstTitle', { version: current.version })}
          </h3>
          <DiffTable
            caption={previous ? t('portal.entry.diffTitle', { from: previous.version, to: current.version }) : t('portal.entry.firstTitle', { version: current.version })}
            before={previous?.entry ?? null}
            after={current.entry}
            beforeLabel={previous ? `v${previous.version}` : t('portal.entry.nothingBefore')}
            afterLabel={`v${current.version}`}
          />
        </>
      )}
    </section>
  );
}

/** The flags agents (and leads) raised on an entry, open and closed. */
export function FlagSummary({ flag }: { flag: PortalFlag }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <p>
        <strong className={css.state} data-flag-kind={flag.kind}>
          {t(`entry.flagKinds.${flag.kind}`)}
        </strong>{' '}
        {flag.note || <span className="meta">{t('portal.flags.noNote')}</span>}
      </p>
      <p className="meta">{t('portal.flags.raised', { agent: flag.agent, at: formatDateTime(flag.at, i18n.language), version: flag.entryVersion })}</p>
      {flag.state !== 'open' && (
        <p className="meta">
          {t(`portal.flagStates.${flag.state}`)}
          {flag.reply ? `: ${flag.reply}` : ''}
        </p>
      )}
    </>
  );
}

function Flags({ flags }: { flags: PortalFlag[] }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section aria-labelledby={id} className={css.block}>
      <h2 id={id}>{t('portal.entry.flags', { count: flags.length })}</h2>
      {flags.length === 0 ? (
        <p className="meta">{t('portal.entry.noFlags')}</p>
      ) : (
        <ul className={css.cardList}>
          {flags.map((f) => (
            <li key={f.id} className={css.card}>
              <FlagSummary flag={f} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** An entry as published: its fields, owner and verification, its actions, its versions with their differences, and its flags. */
export function EntryView({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { api, me } = usePortal();
  const label = useFieldLabel();
  const loaded = useLoad(() => api.entry(id), [api, id]);
  const d = loaded.value;
  if (!d) {
    return (
      <>
        <ViewHeading text={t('portal.entry.title')} />
        {loaded.error ? (
          <>
            <RefusalText error={loaded.error} />
            <p>
              <a href={routeHref({ view: 'entries' })}>{t('portal.entry.backToList')}</a>
            </p>
          </>
        ) : (
          <Loading />
        )}
      </>
    );
  }
  const e = d.entry;
  return (
    <article data-entry-id={e.id}>
      <div className={css.viewHead}>
        <ViewHeading text={e.title} />
        {d.draft && <DraftStateBadge state={d.draft.state} />}
      </div>
      <div className={css.columns}>
        <div>
          <dl className={css.facts}>
            <dt>{t('portal.entry.id')}</dt>
            <dd>{e.id}</dd>
            <dt>{label('category')}</dt>
            <dd>{e.category}</dd>
            <dt>{label('kind')}</dt>
            <dd>{t(`portal.kinds.${e.kind}`)}</dd>
            <dt>{t('portal.department')}</dt>
            <dd>{departmentName(me, e.department) || t('portal.entry.noDepartment')}</dd>
            <dt>{t('portal.entry.owner')}</dt>
            <dd>{d.owner ?? t('portal.entries.noOwner')}</dd>
            <dt>{t('portal.entries.columns.verifyBy')}</dt>
            <dd>
              {d.verifyBy ? formatDay(d.verifyBy, i18n.language) : t('portal.entries.neverVerified')} {d.overdue && <OverdueBadge />}
            </dd>
            <dt>{t('portal.entry.current')}</dt>
            <dd>{t('portal.entry.versionOf', { version: e.version, at: formatDateTime(e.updatedAt, i18n.language) })}</dd>
            <dt>{t('portal.entries.columns.reuse')}</dt>
            <dd>{t('portal.entries.reuse', d.reuse)}</dd>
          </dl>
          <h2>{label('keywords')}</h2>
          {e.keywords.length ? (
            <ul className={css.chips}>
              {e.keywords.map((k) => (
                <li key={k}>{k}</li>
              ))}
            </ul>
          ) : (
            <p className="meta">{t('portal.entry.noKeywords')}</p>
          )}
          {TEXT_FIELDS.map((f) => {
            const text = fieldText(e, f);
            return text ? (
              <section key={f} className={css.field} aria-labelledby={`${e.id}-${f}`} data-field={f}>
                <h2 id={`${e.id}-${f}`}>{label(f)}</h2>
                <p className={css.longText}>{text}</p>
              </section>
            ) : null;
          })}
        </div>
        <div>
          <Actions detail={d} reload={loaded.reload} />
          {me.user.role === 'lead' && <LeadFlagForm detail={d} onSent={loaded.reload} />}
          <Flags flags={d.flags} />
        </div>
      </div>
      <Versions detail={d} />
    </article>
  );
}
