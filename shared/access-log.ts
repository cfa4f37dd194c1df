import { z } from 'zod';

/**
 * Why personal data was read (개인정보의 안전성 확보조치 기준: every access is recorded with who,
 * whose, when and why): a ringing call's screen-pop, a caller's history looked up (on a desk or
 * from the city), a list of records, a citizen's text thread or picture.
 */
export const ACCESS_PURPOSES = ['screen-pop', 'caller-history', 'record-list', 'text-thread'] as const;
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

/** One read of personal data, as a desk reports it: whose (a caller's number, or a list's filter), why, when. */
export const accessEventSchema = z.strictObject({
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(200),
  purpose: z.enum(ACCESS_PURPOSES),
});
export type AccessEvent = z.infer<typeof accessEventSchema>;

export const accessBatchSchema = z.strictObject({ events: z.array(accessEventSchema).min(1).max(500) });

/** A line of the access log as the city keeps it: timed by the server, with who read. */
export const accessRowSchema = accessEventSchema.extend({
  actor: z.string(),
  /** 'server' for reads through the city's API, else the desk that reported it. */
  source: z.string(),
  /** The desk's own time for a line it reported. */
  reportedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type AccessRow = z.infer<typeof accessRowSchema>;
