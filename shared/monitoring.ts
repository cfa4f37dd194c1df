import { z } from 'zod';
import { usernameSchema } from './auth';

/**
 * Team-lead monitoring of a live call. The city server issues a short-lived grant to a team lead
 * for one agent and a set of modes, signed with its own Ed25519 key; the agent's desk answers a
 * monitoring call only with a grant that verifies, is for this agent, has not expired and has
 * never been used. Anyone else gets 403, and every step is audited on both sides.
 */
export const MONITOR_MODES = ['listen', 'whisper', 'barge'] as const;
export type MonitorMode = (typeof MONITOR_MODES)[number];

/** SIP headers of a monitoring call: the grant token, and the mode asked for (also on in-dialog mode changes). */
export const MONITOR_GRANT_HEADER = 'X-Minwon-Monitor-Grant';
export const MONITOR_MODE_HEADER = 'X-Minwon-Monitor-Mode';

/** The content type of in-dialog mode changes (SIP INFO), body `mode=<mode>` (or `refused=<mode>` back). */
export const MONITOR_INFO_TYPE = 'application/x-minwon-monitor';

/** How long a grant may be used to start a session: the team lead's phone dials at once. */
export const GRANT_TTL_MS = 60_000;

const TYPE = 'minwon-monitor-grant-v1';

export const grantPayloadSchema = z.strictObject({
  typ: z.literal(TYPE),
  lead: usernameSchema,
  agent: usernameSchema,
  modes: z
    .array(z.enum(MONITOR_MODES))
    .min(1)
    .max(3)
    .refine((m) => new Set(m).size === m.length, 'modes repeat'),
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  /** Single use: a desk that has seen it refuses it again. */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
});
export type GrantPayload = z.infer<typeof grantPayloadSchema>;

export function newGrantPayload(o: { lead: string; agent: string; modes: readonly MonitorMode[]; now: Date; nonce: string }): GrantPayload {
  return {
    typ: TYPE,
    lead: o.lead,
    agent: o.agent,
    modes: [...o.modes],
    issuedAt: o.now.toISOString(),
    expiresAt: new Date(o.now.getTime() + GRANT_TTL_MS).toISOString(),
    nonce: o.nonce,
  };
}

/** A grant as it travels in a SIP header: base64url(payload JSON) "." base64url(Ed25519 signature of the first part). */
export const GRANT_TOKEN = /^[A-Za-z0-9_-]{40,1400}\.[A-Za-z0-9_-]{86}$/;

export const grantRequestSchema = z.strictObject({ agent: usernameSchema, modes: grantPayloadSchema.shape.modes });
export type GrantRequest = z.infer<typeof grantRequestSchema>;

export const grantResponseSchema = z.strictObject({ token: z.string().regex(GRANT_TOKEN), grant: grantPayloadSchema });
export type GrantResponse = z.infer<typeof grantResponseSchema>;

/** Why a desk refused a monitoring call. */
export const GRANT_REFUSALS = ['missing', 'malformed', 'signature', 'expired', 'target', 'mode', 'replay', 'no-key'] as const;
export type GrantRefusal = (typeof GRANT_REFUSALS)[number];

export const MONITOR_EVENTS = ['grant-issued', 'grant-refused', 'session-start', 'mode-change', 'session-stop', 'call-refused'] as const;

/** One line of the monitoring audit, from the server or reported by a desk. */
export const monitorAuditEventSchema = z.strictObject({
  /** Unique per event: a desk's report is stored once however often it is sent. */
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  event: z.enum(MONITOR_EVENTS),
  lead: usernameSchema.nullable(),
  agent: usernameSchema.nullable(),
  mode: z.enum(MONITOR_MODES).nullable(),
  nonce: grantPayloadSchema.shape.nonce.nullable(),
  /** Why, for refusals. */
  reason: z.string().max(200).nullable(),
});
export type MonitorAuditEvent = z.infer<typeof monitorAuditEventSchema>;

export const monitorAuditBatchSchema = z.strictObject({ events: z.array(monitorAuditEventSchema).min(1).max(500) });
