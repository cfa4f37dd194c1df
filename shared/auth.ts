import { z } from 'zod';
import { displayNameSchema } from './plain-text';

/**
 * 'phone': a SIP-only account (a department staff phone, a trainer's practice caller): it may log in for its SIP account and nothing else.
 * 'editor': a department's writer of manual entries, on the knowledge portal only; 'reviewer': the call center's knowledge manager, who approves them.
 * 'analyst': the city's policy staff, who read the analysis of the records (read-only, no personal data).
 * 'auditor': the city's auditor, who may play call recordings and follow report cases (read-only, every access logged).
 */
export const ROLES = ['agent', 'lead', 'phone', 'editor', 'reviewer', 'analyst', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that work at a desk and may read and write the city's data. */
export const DESK_ROLES: readonly Role[] = ['agent', 'lead'];
/** Roles that sign in to the knowledge portal (a lead reads and flags there). */
export const PORTAL_ROLES: readonly Role[] = ['editor', 'reviewer', 'lead'];
/** Roles that read the analysis of the records on the city's web app. */
export const ANALYTICS_ROLES: readonly Role[] = ['lead', 'analyst'];
/** Roles that may play call recordings and follow the report cases of the abusive-caller protocol. */
export const RECORDING_ROLES: readonly Role[] = ['lead', 'auditor'];
/** Everyone who signs in to the city's web app (the knowledge portal, the analysis, the recordings). */
export const SITE_ROLES: readonly Role[] = [...PORTAL_ROLES, 'analyst', 'auditor'];

/** A username is also the SIP user part (and an extension for staff phones): plain ASCII only. */
export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'username: a-z, 0-9, . _ - (up to 64)');

export const loginRequestSchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** Where and as whom the agent's phone registers. */
export const sipAccountSchema = z.strictObject({
  username: z.string().min(1).max(64),
  domain: z.string().min(1).max(255),
  password: z.string().min(16).max(128),
  /** The SIP server's WebSocket address. */
  wsUrl: z.string().regex(/^wss?:\/\/[^\s]+$/, 'a ws:// or wss:// address'),
  /** The name callers and staff see for this phone (SIP From display name): one line, no control characters. */
  displayName: displayNameSchema.optional(),
  /** STUN servers the city runs, if any (most city networks need none). */
  stunServers: z.array(z.string().regex(/^stuns?:[^\s]+$/, 'a stun: or stuns: address')).max(4).optional(),
});
export type SipAccount = z.infer<typeof sipAccountSchema>;

export const loginResponseSchema = z.strictObject({
  token: z.string().min(20),
  expiresAt: z.iso.datetime({ offset: true }),
  user: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES) }),
  /** The phone's own credentials: a SIP secret separate from the login password. */
  sip: sipAccountSchema,
  /** The server's Ed25519 public key (raw, base64) that signs team leads' monitoring grants. */
  monitoringKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a raw Ed25519 public key in base64'),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** The error body every city-server endpoint answers with. */
export const apiErrorSchema = z.strictObject({ error: z.string(), message: z.string(), details: z.unknown().optional() });
export type ApiError = z.infer<typeof apiErrorSchema>;
