// JsSIP's causes (JsSIP.C.causes) are English phrases. Agents read them in their own language:
// each known cause has a key under `phone.causes`, anything else reads as 'other' (never the raw
// English phrase in the Korean desk; the phrase stays in the page's data for support).
const KEYS: Readonly<Record<string, string>> = {
  'Connection Error': 'connection',
  'Request Timeout': 'timeout',
  'SIP Failure Code': 'sipFailure',
  'Internal Error': 'internal',
  Busy: 'busy',
  Rejected: 'rejected',
  Redirected: 'redirected',
  Unavailable: 'unavailable',
  'Not Found': 'notFound',
  'Address Incomplete': 'addressIncomplete',
  'Incompatible SDP': 'media',
  'Missing SDP': 'media',
  'Bad Media Description': 'media',
  'WebRTC Error': 'media',
  'Authentication Error': 'auth',
  Terminated: 'terminated',
  Canceled: 'canceled',
  'No Answer': 'noAnswer',
  Expires: 'noAnswer',
  'No ACK': 'noAck',
  'Dialog Error': 'noAck',
  'User Denied Media Access': 'microphone',
  'RTP Timeout': 'rtpTimeout',
};

export type CauseKey = 'connection' | 'timeout' | 'sipFailure' | 'internal' | 'busy' | 'rejected' | 'redirected' | 'unavailable' | 'notFound' | 'addressIncomplete' | 'media' | 'auth' | 'terminated' | 'canceled' | 'noAnswer' | 'noAck' | 'microphone' | 'rtpTimeout' | 'other';

/** The i18n key (under `phone.causes`) for a JsSIP cause. */
export const causeKey = (cause: string): CauseKey => (Object.hasOwn(KEYS, cause) ? (KEYS[cause] as CauseKey) : 'other');
