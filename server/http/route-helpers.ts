import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../shared/auth';
import type { User } from '../store/users';
import { HttpError } from './http-error';
import { requireRole } from './session-auth';

/** `value` checked against `schema`, or a 400 that lists what is wrong where. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpError(400, 'invalid', `invalid ${what}`, r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** The signed-in user, who must hold one of `roles` (by default: a desk role, not a SIP-only phone). */
export const requireUser = (req: FastifyRequest, roles?: readonly Role[]): User => requireRole(req.user, roles);

/** The one path parameter of a route, bounded in length. */
export function param(req: FastifyRequest, name: string, max: number, what: string): string {
  return parse(z.strictObject({ [name]: z.string().max(max) }), req.params, what)[name] as string;
}
