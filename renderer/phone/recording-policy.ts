import type { RecordingSource } from '../../shared/recording';

/**
 * Which calls are with a citizen: recorded (once: by the gateway when the SIP server says it
 * records the call, else by the desk), and, when the desk places them, opened with the recording
 * notice.
 *
 * - Incoming: every call offered to the agent. A team lead's monitoring call never is (the desk
 *   takes it apart, see monitor-desk.ts), and callers reach agents on the representative number or
 *   their direct lines from the public network; a desk-to-desk call that rings an agent is rare,
 *   and recording it errs on the protocol's side.
 * - Outgoing: a call to a public phone number — `+` and 7 to 15 digits, or a national number with
 *   its trunk prefix (0 and 9 to 11 digits in all: 010-1234-5678, 054-270-8282), as callbacks dial
 *   (work-store's dialString). Usernames (a colleague's desk), directory extensions (2–8 digits,
 *   no leading 0), short codes (112, 119, 120) and local numbers without an area code are not.
 * - Only the citizen's leg: a consultation during an attended transfer is with a colleague.
 */
export function isPublicNumber(target: string): boolean {
  const s = target.trim().replace(/[\s\-().]/g, '');
  return /^\+\d{7,15}$/.test(s) || /^0\d{8,10}$/.test(s);
}

export const isCitizenCall = (call: { direction: 'incoming' | 'outgoing'; dialled: string }): boolean =>
  call.direction === 'incoming' || isPublicNumber(call.dialled);

/** Who records a connected citizen call: the gateway when the SIP server says so, else this desk. */
export const recorderOf = (call: { recordedByGateway: boolean }): RecordingSource => (call.recordedByGateway ? 'gateway' : 'desk');
