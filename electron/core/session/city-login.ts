import { DESK_ROLES, type LoginResponse } from '../../../shared/auth';
import type { SignInRefusal } from '../../../shared/session';
import { CityApiError, createCityApi, type Credentials } from '../sync/city-api';

export type LoginOutcome = { ok: true; login: LoginResponse } | { ok: false; reason: SignInRefusal; detail: string };

/** Signs in with the city server and says, in the sign-in screen's terms, why it did not work. */
export async function cityLogin(baseUrl: string, credentials: Credentials, timeoutMs = 10_000): Promise<LoginOutcome> {
  try {
    const login = await createCityApi({ baseUrl, credentials, timeoutMs }).login();
    // A staff phone's account has a SIP secret and nothing else, the portal's editors and reviewers a portal: neither has a desk.
    if (!DESK_ROLES.includes(login.user.role)) return { ok: false, reason: 'not-a-desk-account', detail: `role ${login.user.role}` };
    return { ok: true, login };
  } catch (e) {
    if (!(e instanceof CityApiError)) throw e;
    const reason: SignInRefusal =
      e.kind === 'network' || e.kind === 'timeout' ? 'unreachable' : e.status === 401 ? 'wrong-password' : e.status === 429 ? 'locked-out' : 'server-error';
    return { ok: false, reason, detail: e.message };
  }
}
