import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PhoneContext } from '../../shared/phone';
import { plainLine } from '../../shared/plain-text';
import { seoulInstant } from '../../shared/seoul-time';
import { PUBLIC_CSS, renderPublicPage, TOPICS, translator, type PublicLanguage, type PublicPage } from '../public/form-page';
import { requestCallback } from '../store/callbacks';
import { book, koreanTime, openSlots } from '../store/reservations';
import { getSetting } from '../store/settings';
import type { Db } from '../store/sql';
import { dialable } from './callback-routes';
import { HttpError } from './http-error';
import { createRateLimit } from './rate-limit';

/** The citizens' form posts: bodies read from anyone (small), so the hook that refuses unknown senders lets them through. */
export const PUBLIC_FORM_ROUTES = ['/public/callback', '/public/reservation'] as const;

/** Posts one address may make in ten minutes. */
export const PER_ADDRESS = 20;

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // Nothing runs on the page: a style sheet of our own, forms posted back here, never framed.
  'content-security-policy': "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const langOf = (q: unknown): PublicLanguage => ((q as { lang?: unknown } | undefined)?.lang === 'en' ? 'en' : 'ko');
const text = (body: unknown, name: string) => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? plainLine(v).slice(0, 60) : '';
};

/** The number as the city can call it back, or the message key of why not. */
function numberOf(raw: string, phone: PhoneContext): { e164: string } | { error: string } {
  try {
    return { e164: dialable(raw, phone) };
  } catch (e) {
    return { error: e instanceof HttpError && e.code === 'foreign-number' ? 'foreign' : 'number' };
  }
}

/** `YYYY-MM-DDTHH:MM` from the form, in Korea time. */
function whenOf(raw: string): Date | null | 'bad' {
  if (!raw) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(raw)) return 'bad';
  const d = seoulInstant(raw.slice(0, 10), raw.slice(11));
  return Number.isNaN(d.getTime()) ? 'bad' : d;
}

/** GET /public: a callback request and a reservation for citizens, rate-limited per address. */
export function registerPublicRoutes(app: FastifyInstance, deps: { db: Db; clock: () => Date; phone: PhoneContext }): void {
  const { db, clock } = deps;
  // Mobile carriers put many phones behind one address (CGNAT): a household's few requests pass,
  // a flood from one address does not, and the whole form takes at most 300 in ten minutes.
  const limit = createRateLimit({ perAddress: PER_ADDRESS, total: 300, windowMs: 10 * 60_000, clock });
  const page = async (reply: FastifyReply, status: number, p: Omit<PublicPage, 'slots'>) =>
    reply
      .status(status)
      .headers(HEADERS)
      .send(renderPublicPage({ ...p, slots: await openSlots(db, await getSetting(db, 'reservations'), clock()) }));

  app.get('/public', async (req, reply) => page(reply, 200, { lang: langOf(req.query) }));
  app.get('/public/style.css', async (_req, reply) => reply.headers({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }).send(PUBLIC_CSS));

  app.post('/public/callback', { bodyLimit: 4 * 1024 }, async (req, reply) => {
    const lang = langOf(req.query);
    if (!limit.take(req.ip)) return page(reply, 429, { lang, notice: 'busy' });
    const values = { number: text(req.body, 'number'), when: text(req.body, 'when'), topic: text(req.body, 'topic') };
    const number = numberOf(values.number, deps.phone);
    const when = whenOf(values.when);
    const errors = { ...('error' in number ? { number: number.error } : {}), ...(when === 'bad' ? { when: 'when' } : {}) };
    if ('error' in number || when === 'bad') return page(reply, 400, { lang, callback: { values, errors } });
    const topic = (TOPICS as readonly string[]).includes(values.topic) ? values.topic : 'other';
    const now = clock();
    const [policy, hours] = await Promise.all([getSetting(db, 'callbacks'), getSetting(db, 'openingHours')]);
    const taken = await requestCallback(db, { source: 'web', number: number.e164, numberRaw: values.number, topic, ...(when ? { dueAt: when } : {}) }, { now, policy, hours });
    const t = translator(lang);
    const done = taken.merged ? t('done.merged') : t('done.callback', { time: koreanTime(taken.callback.dueAt) });
    return page(reply, 200, { lang, done });
  });

  app.post('/public/reservation', { bodyLimit: 4 * 1024 }, async (req, reply) => {
    const lang = langOf(req.query);
    if (!limit.take(req.ip)) return page(reply, 429, { lang, notice: 'busy' });
    const values = { slotId: text(req.body, 'slotId'), number: text(req.body, 'number') };
    const number = numberOf(values.number, deps.phone);
    const errors = { ...(values.slotId ? {} : { slotId: 'slot' }), ...('error' in number ? { number: number.error } : {}) };
    if (!values.slotId || 'error' in number) return page(reply, 400, { lang, reservation: { values, errors } });
    const settings = await getSetting(db, 'reservations');
    const r = await book(db, { slotId: values.slotId, number: number.e164, bookedBy: 'web' }, { now: clock(), settings });
    if (typeof r === 'string') return page(reply, 409, { lang, reservation: { values, errors: { slotId: r } } });
    const slot = settings.slots.find((s) => s.id === r.slotId);
    return page(reply, 200, { lang, done: translator(lang)('done.reservation', { topic: slot?.topic ?? '', time: slot ? koreanTime(slot.start) : '' }) });
  });
}
