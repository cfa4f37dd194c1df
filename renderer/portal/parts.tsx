import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DraftState } from '../../shared/knowledge';
import { LANGUAGES } from '../i18n';
import { usePortal } from './portal-context';
import { refusalOf } from './refusal';
import css from './Portal.module.css';

/**
 * A view's title: the page's one h1, where focus goes when the view opens (the shell moves it on
 * navigation; a title that replaces its loading one takes the focus that went with it), and the window's title.
 */
export function ViewHeading({ children, text }: { children?: ReactNode; text: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${text} — ${t('portal.title')}`;
  }, [text, t]);
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1} className={css.viewTitle} data-view-heading>
      {children ?? text}
    </h1>
  );
}

/** A refusal or failure in the user's language; the server's own words only where the portal has none, marked as English. */
export function RefusalText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const r = refusalOf(error);
  return (
    <p role="alert" data-error={r.code}>
      {t(r.key, r.params)}
      {r.detail && (
        <>
          {' '}
          <span lang="en" className="meta">
            ({r.detail})
          </span>
        </>
      )}
    </p>
  );
}

/** A view's data still on its way. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="meta">
      {t('portal.loading')}
    </p>
  );
}

/** A draft's state as a word on a pill (never a colour alone). */
export function DraftStateBadge({ state }: { state: DraftState }) {
  const { t } = useTranslation();
  return (
    <span className={css.state} data-state={state}>
      {t(`portal.draftStates.${state}`)}
    </span>
  );
}

/** A verification date that has run out. */
export function OverdueBadge() {
  const { t } = useTranslation();
  return <span className="badge">{t('portal.entries.overdue')}</span>;
}

/** What a just-finished action came to, said politely. */
export function Done({ text }: { text: string }) {
  return (
    <p role="status" className={text ? css.done : css.quiet}>
      {text}
    </p>
  );
}

/** 한국어 / English: the whole portal at once, remembered as the desk remembers it. */
export function LanguageSwitch({ storage }: { storage: Pick<Storage, 'setItem'> }) {
  const { t, i18n } = useTranslation();
  return (
    <div role="group" aria-label={t('portal.language')} className={css.languages}>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={i18n.language === l}
          onClick={() => {
            storage.setItem('minwon.language', l);
            document.documentElement.lang = l;
            void i18n.changeLanguage(l);
          }}
        >
          {t(`portal.languages.${l}`)}
        </button>
      ))}
    </div>
  );
}

/** A department picker for reviewers and leads (editors only ever see their own department); `required`: no 'every department'. */
export function DepartmentSelect({ value, onChange, required = false }: { value: string; onChange: (id: string) => void; required?: boolean }) {
  const { t } = useTranslation();
  const { me } = usePortal();
  const id = useId();
  if (me.user.role === 'editor') return null;
  // A label of its own (not around the select): the select's name is the label alone, not its choice too.
  return (
    <div className={css.inline}>
      <label htmlFor={id}>{t('portal.department')}</label>
      <select id={id} value={value} aria-required={required || undefined} onChange={(e) => onChange(e.target.value)}>
        <option value="">{required ? t('portal.chooseDepartment') : t('portal.allDepartments')}</option>
        {me.departments.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </div>
  );
}
