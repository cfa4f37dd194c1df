import { z } from 'zod';
import { loginRequestSchema, sipAccountSchema } from './auth';

/** Why the desk is locked: the agent asked, the computer's own lock, or the city's idle time. */
export const LOCK_REASONS = ['agent', 'os', 'idle'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

/**
 * The desk's session, as the page shows it: signed out (the sign-in screen), signed in (online
 * or from the cached session while the city server is out of reach), or locked (the same agent
 * must give their password again; calls and the record outbox go on underneath).
 */
export const sessionStateSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('signed-out'), lastUser: z.string().max(64).nullable() }),
  z.strictObject({ state: z.literal('signed-in'), user: z.string().max(64), displayName: z.string().max(100), offline: z.boolean() }),
  z.strictObject({ state: z.literal('locked'), user: z.string().max(64), displayName: z.string().max(100), reason: z.enum(LOCK_REASONS) }),
]);
export type SessionState = z.infer<typeof sessionStateSchema>;

export const signInParamsSchema = loginRequestSchema.extend({
  /** Sign in from the session this desk cached, without the city server (it was out of reach). */
  offline: z.boolean().default(false),
});

export const SIGN_IN_REFUSALS = ['wrong-password', 'locked-out', 'unreachable', 'server-error', 'not-a-desk-account', 'no-cached-session', 'busy'] as const;
export type SignInRefusal = (typeof SIGN_IN_REFUSALS)[number];

export const signInResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), offline: z.boolean() }),
  z.strictObject({
    ok: z.literal(false),
    reason: z.enum(SIGN_IN_REFUSALS),
    /** The city server was out of reach, and this desk has a cached session for the user: it may sign in offline. */
    cachedSessionAvailable: z.boolean(),
  }),
]);
export type SignInResult = z.infer<typeof signInResultSchema>;

/** A password check kept to sign in (or unlock) offline: scrypt, never the password itself. */
export const passwordVerifierSchema = z.strictObject({
  salt: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
  hash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
});
export type PasswordVerifier = z.infer<typeof passwordVerifierSchema>;

/**
 * What a desk keeps of each agent who signed in there, for the next sign-in while the city
 * server is down: who, how to check their password, and the phone's account (its SIP secret). In
 * the desktop app it is encrypted by the OS keystore (safeStorage); the browser host keeps it in memory.
 */
export const cachedSessionSchema = z.strictObject({
  username: z.string().max(64),
  displayName: z.string().max(100),
  role: z.enum(['agent', 'lead']),
  verifier: passwordVerifierSchema,
  sip: sipAccountSchema.nullable(),
  savedAt: z.iso.datetime({ offset: true }),
});
export type CachedSession = z.infer<typeof cachedSessionSchema>;

/** Every cached session on this desk, by username; a handful at most (shared desks). */
export const vaultSchema = z.strictObject({
  sessions: z.array(cachedSessionSchema).max(50),
  /** The key the desk's cache files are encrypted with (base64), in the desktop app. */
  cacheKey: z.string().max(100).optional(),
});
export type VaultContents = z.infer<typeof vaultSchema>;
