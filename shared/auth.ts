import { z } from 'zod';

export const ROLES = ['agent', 'lead'] as const;
export type Role = (typeof ROLES)[number];

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
});
export type SipAccount = z.infer<typeof sipAccountSchema>;

export const loginResponseSchema = z.strictObject({
  token: z.string().min(20),
  expiresAt: z.iso.datetime({ offset: true }),
  user: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES) }),
  /** The phone's own credentials: a SIP secret separate from the login password. */
  sip: sipAccountSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** The error body every city-server endpoint answers with. */
export const apiErrorSchema = z.strictObject({ error: z.string(), message: z.string(), details: z.unknown().optional() });
export type ApiError = z.infer<typeof apiErrorSchema>;
