import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../../shared/issues';
import { UPDATE_CHANNELS } from '../../shared/release';

const origin = z.url().refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'an origin: scheme://host[:port]');

/**
 * The desk's machine-wide configuration, written by city IT (group policy or a config package),
 * not by the agent: where the city server and the SIP server are, and how updates are handled.
 */
export const deskPolicySchema = z.strictObject({
  cityServer: z.url().max(500),
  /** The SIP server's WebSocket (ws:// or wss://). */
  sipWebSocket: z.url().max(500).refine((u) => /^wss?:$/.test(new URL(u).protocol), 'a ws:// or wss:// URL'),
  areaCode: z.string().regex(/^0\d{1,2}$/).default('054'),
  updates: z
    .strictObject({
      /** auto: download and offer to install; notify: tell the agent, IT installs; off: never check. */
      mode: z.enum(['auto', 'notify', 'off']).default('auto'),
      channel: z.enum(UPDATE_CHANNELS).default('stable'),
      /** The feed's base; the channel's folder is under it. Default: the city server's /updates/. */
      feedUrl: z.url().max(500).optional(),
      checkEveryMinutes: z.number().int().min(15).max(1440).default(240),
    })
    .prefault({}),
  /** Origins whose links open in the OS browser (the city's homepage, the minwon portal). */
  externalLinks: z.array(origin).max(50).default([]),
});
export type DeskPolicy = z.infer<typeof deskPolicySchema>;

/** Where IT puts the policy on each OS. */
export function policyPath(platform: string, env: Record<string, string | undefined>): string {
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'MinwonDesk', 'policy.json');
  return '/etc/minwon-desk/policy.json';
}

export class PolicyError extends Error {}

/** Reads and validates the policy; a missing or invalid file is a PolicyError naming the file and the problem. */
export function readDeskPolicy(file: string, read: (f: string) => string = (f) => readFileSync(f, 'utf8')): DeskPolicy {
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    throw new PolicyError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PolicyError(`${file}: not JSON`);
  }
  const parsed = deskPolicySchema.safeParse(raw);
  if (!parsed.success) throw new PolicyError(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The update feed's folder for the policy's channel. */
export function feedUrlOf(policy: DeskPolicy): string {
  const base = policy.updates.feedUrl ?? new URL('/updates/', policy.cityServer).href;
  return new URL(`${policy.updates.channel}/`, base.endsWith('/') ? base : `${base}/`).href;
}
