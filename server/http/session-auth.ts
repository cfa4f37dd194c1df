import { DESK_ROLES, type Role } from '../../shared/auth';
import type { User } from '../store/users';
import { HttpError } from './http-error';

// Tokens are 32 random bytes in base64url (43 characters); the bounds keep junk out of the lookup.
const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/** The token of an `Authorization: Bearer …` header, exactly as issued; null for anything else. */
export function bearerToken(header: string | undefined): string | null {
  return BEARER.exec(header ?? '')?.[1] ?? null;
}

/** The signed-in user, who must hold one of `roles` (by default a desk role, not a SIP-only phone). */
export function requireRole(user: User | null, roles: readonly Role[] = DESK_ROLES): User {
  if (!user) throw new HttpError(401, 'unauthorized', 'login required');
  if (!roles.includes(user.role)) throw new HttpError(403, 'forbidden', `this needs the role ${roles.join(' or ')}`);
  return user;
}
