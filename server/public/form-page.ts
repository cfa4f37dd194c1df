import i18next, { type TFunction } from 'i18next';
import { IVR_MENU } from '../../shared/ivr';
import type { ReservationSlot } from '../../shared/reservation';
import { koreanTime } from '../store/reservations';
import { en, ko } from './messages';

// The citizens' page (GET /public): a callback request and a reservation, without an account, as
// plain HTML forms that work without script on any phone. What was typed comes back with the
// errors, so nothing is lost; every value is escaped.

export type PublicLanguage = 'ko' | 'en';

const i18n = i18next.createInstance();
void i18n.init({ resources: { ko: { translation: ko }, en: { translation: en } }, lng: 'ko', fallbackLng: 'ko', initAsync: false, interpolation: { escapeValue: false } });

export const TOPICS = [...Object.keys(IVR_MENU), 'other'] as const;

export interface FormPart<F extends string> {
  values: Partial<Record<F, string>>;
  /** Field → message key under `errors`. */
  errors: Partial<Record<F, string>>;
}

export interface PublicPage {
  lang: PublicLanguage;
  slots: readonly (ReservationSlot & { left: number })[];
  callback?: FormPart<'number' | 'when' | 'topic'>;
  reservation?: FormPart<'slotId' | 'number'>;
  /** The confirmation shown instead of the forms. */
  done?: string;
  /** A refusal for the whole page (too many requests). */
  notice?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function translator(lang: PublicLanguage): TFunction {
  return i18n.getFixedT(lang);
}

function field(t: TFunction, o: { id: string; name: string; label: string; hint?: string; error?: string; control: (describedBy: string) => string }): string {
  const ids = [o.hint ? `${o.id}-hint` : '', o.error ? `${o.id}-error` : ''].filter(Boolean).join(' ');
  return `<div class="field${o.error ? ' invalid' : ''}">
  <label for="${o.id}">${esc(o.label)}</label>
  ${o.hint ? `<p class="hint" id="${o.id}-hint">${esc(o.hint)}</p>` : ''}
  ${o.error ? `<p class="error" id="${o.id}-error">${esc(t(`errors.${o.error}`))}</p>` : ''}
  ${o.control(ids)}
</div>`;
}

const described = (ids: string, invalid: boolean) => `${ids ? ` aria-describedby="${ids}"` : ''}${invalid ? ' aria-invalid="true"' : ''}`;

function errorSummary(t: TFunction, form: string, errors: Partial<Record<string, string>>): string {
  const list = Object.entries(errors).filter(([, v]) => v);
  if (list.length === 0) return '';
  return `<div class="summary" role="alert" tabindex="-1" id="${form}-summary">
  <p>${esc(t('errors.summary'))}</p>
  <ul>${list.map(([k, v]) => `<li><a href="#${form}-${k}">${esc(t(`errors.${v as string}`))}</a></li>`).join('')}</ul>
</div>`;
}

export function renderPublicPage(p: PublicPage): string {
  const t = translator(p.lang);
  const other = p.lang === 'ko' ? 'en' : 'ko';
  const cb = p.callback ?? { values: {}, errors: {} };
  const rs = p.reservation ?? { values: {}, errors: {} };
  const v = (x: string | undefined) => esc(x ?? '');
  const body = p.done
    ? `<section class="card done" aria-labelledby="done-heading">
  <h2 id="done-heading" tabindex="-1">${esc(p.done)}</h2>
  <p><a href="/public?lang=${p.lang}">${esc(t('done.again'))}</a></p>
</section>`
    : `${p.notice ? `<p class="summary" role="alert">${esc(t(`errors.${p.notice}`))}</p>` : ''}
<section class="card" aria-labelledby="callback-heading">
  <h2 id="callback-heading">${esc(t('callback.heading'))}</h2>
  ${errorSummary(t, 'callback', cb.errors)}
  <form method="post" action="/public/callback?lang=${p.lang}" novalidate>
    ${field(t, { id: 'callback-number', name: 'number', label: t('callback.number'), hint: t('callback.numberHint'), ...(cb.errors.number ? { error: cb.errors.number } : {}), control: (ids) => `<input id="callback-number" name="number" type="tel" inputmode="tel" autocomplete="tel" required maxlength="40" value="${v(cb.values.number)}"${described(ids, Boolean(cb.errors.number))}>` })}
    ${field(t, { id: 'callback-when', name: 'when', label: t('callback.when'), hint: t('callback.whenHint'), ...(cb.errors.when ? { error: cb.errors.when } : {}), control: (ids) => `<input id="callback-when" name="when" type="datetime-local" value="${v(cb.values.when)}"${described(ids, Boolean(cb.errors.when))}>` })}
    ${field(t, {
      id: 'callback-topic',
      name: 'topic',
      label: t('callback.topic'),
      control: (ids) =>
        `<select id="callback-topic" name="topic"${described(ids, false)}>${TOPICS.map((k) => `<option value="${k}"${cb.values.topic === k ? ' selected' : ''}>${esc(t(`topics.${k}`))}</option>`).join('')}</select>`,
    })}
    <button type="submit">${esc(t('callback.submit'))}</button>
  </form>
</section>
<section class="card" aria-labelledby="reservation-heading">
  <h2 id="reservation-heading">${esc(t('reservation.heading'))}</h2>
  ${
    p.slots.length === 0
      ? `<p>${esc(t('reservation.none'))}</p>`
      : `${errorSummary(t, 'reservation', rs.errors)}
  <form method="post" action="/public/reservation?lang=${p.lang}" novalidate>
    <fieldset id="reservation-slotId"${rs.errors.slotId ? ' aria-describedby="reservation-slot-error" aria-invalid="true"' : ''}>
      <legend>${esc(t('reservation.slot'))}</legend>
      ${rs.errors.slotId ? `<p class="error" id="reservation-slot-error">${esc(t(`errors.${rs.errors.slotId}`))}</p>` : ''}
      ${p.slots
        .map(
          (s, i) =>
            `<div class="choice"><input type="radio" id="slot-${i}" name="slotId" value="${esc(s.id)}"${rs.values.slotId === s.id ? ' checked' : ''}${s.left <= 0 ? ' disabled' : ''}><label for="slot-${i}">${esc(s.topic)} · ${esc(koreanTime(s.start))} <span class="left">(${esc(t('reservation.left', { count: Math.max(0, s.left) }))})</span></label></div>`,
        )
        .join('')}
    </fieldset>
    ${field(t, { id: 'reservation-number', name: 'number', label: t('reservation.number'), hint: t('callback.numberHint'), ...(rs.errors.number ? { error: rs.errors.number } : {}), control: (ids) => `<input id="reservation-number" name="number" type="tel" inputmode="tel" autocomplete="tel" required maxlength="40" value="${v(rs.values.number)}"${described(ids, Boolean(rs.errors.number))}>` })}
    <button type="submit">${esc(t('reservation.submit'))}</button>
  </form>`
  }
</section>`;
  return `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t('title'))}</title>
<link rel="stylesheet" href="/public/style.css">
</head>
<body>
<header><p class="brand">${esc(t('brand'))}</p><a lang="${other}" href="/public?lang=${other}">${esc(t('language'))}</a></header>
<main>
<h1>${esc(t('title'))}</h1>
<p class="lead">${esc(t('lead'))}</p>
${body}
<p class="privacy">${esc(t('privacy'))}</p>
</main>
</body>
</html>`;
}

/** The page's stylesheet: the government design system's plain look (KRDS), large targets, visible focus. */
export const PUBLIC_CSS = `
:root { color-scheme: light; --ink: #1d1d1d; --muted: #464c53; --line: #b1b8be; --brand: #0b50d0; --error: #bd2c0f; --bg: #f4f5f6; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Pretendard GOV", Pretendard, "Noto Sans KR", "Malgun Gothic", system-ui, sans-serif; font-size: 17px; line-height: 1.6; color: var(--ink); background: var(--bg); word-break: keep-all; overflow-wrap: anywhere; }
header { display: flex; justify-content: space-between; align-items: center; padding: 12px 20px; background: #fff; border-bottom: 1px solid var(--line); }
.brand { margin: 0; font-weight: 700; color: var(--brand); }
main { max-width: 720px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 1.75rem; margin: 16px 0 8px; }
h2 { font-size: 1.3rem; margin: 0 0 12px; }
.lead, .privacy, .hint { color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px; margin: 16px 0; }
.field { margin: 0 0 16px; }
label, legend { display: block; font-weight: 700; margin-bottom: 4px; }
.choice label { display: inline; font-weight: 400; }
.choice { display: flex; gap: 8px; align-items: flex-start; margin: 8px 0; }
.hint, .error { margin: 0 0 6px; font-size: 0.95rem; }
.error { color: var(--error); font-weight: 700; }
input[type=tel], input[type=datetime-local], select { width: 100%; min-height: 48px; padding: 8px 12px; font: inherit; border: 1px solid var(--muted); border-radius: 6px; background: #fff; color: var(--ink); }
input[type=radio] { flex: none; width: 20px; height: 20px; margin: 4px 0 0; }
.invalid input, .invalid select, fieldset[aria-invalid=true] { border-color: var(--error); border-width: 2px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px 12px; margin: 0 0 16px; }
button { min-height: 48px; padding: 0 24px; font: inherit; font-weight: 700; color: #fff; background: var(--brand); border: 0; border-radius: 6px; cursor: pointer; }
a { color: var(--brand); }
:focus-visible { outline: 3px solid #ff9a00; outline-offset: 2px; }
.summary { border: 2px solid var(--error); border-radius: 6px; padding: 8px 16px; margin: 0 0 16px; background: #fff; }
.summary p { margin: 0; font-weight: 700; color: var(--error); }
.left { color: var(--muted); }
.done h2 { color: var(--ink); }
`;
