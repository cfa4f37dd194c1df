import { normalisePhone, type PhoneContext } from '../../shared/phone';
import { storeRecording } from '../store/recordings';
import type { Db } from '../store/sql';
import type { GatewaySpool } from './gateway-spool';
import type { RecordingVault } from './vault';

/**
 * Files the calls the gateway finished recording: sealed in the vault, linked to their record
 * (by Call-ID, or as a transfer's continuation by the citizen's number), then cleared from the
 * spool. A crash in between files the call again next time, which the store answers as a
 * duplicate. Returns how many were filed.
 */
export async function takeGatewayRecordings(deps: { db: Db; vault: RecordingVault; spool: GatewaySpool; phone: PhoneContext; clock: () => Date }): Promise<number> {
  let filed = 0;
  for (;;) {
    const finished = await deps.spool.takeFinished();
    if (finished.length === 0) return filed;
    for (const r of finished) {
      await storeRecording(
        deps.db,
        deps.vault,
        {
          recordId: null,
          callId: r.callId,
          source: 'gateway',
          callerE164: citizenOf(r.caller, r.callee, deps.phone),
          callee: r.callee,
          uploadedBy: null,
          startedAt: r.startedAt.toISOString(),
          endedAt: r.endedAt.toISOString(),
          mediaType: 'audio/wav',
          audio: r.wav,
        },
        deps.clock(),
      );
      deps.spool.done(r.callId);
      filed++;
    }
  }
}

/**
 * The citizen of a gateway call: the caller of a PBX call to a desk (none when withheld), or the
 * number a desk called out (its caller is the agent's username, not a number).
 */
function citizenOf(caller: string | null, callee: string | null, phone: PhoneContext): string | null {
  const e164 = (n: string | null) => {
    const p = n ? normalisePhone(n, phone) : null;
    return p?.kind === 'e164' ? p.e164 : null;
  };
  const deskCalledOut = caller !== null && /[a-z]/i.test(caller);
  return deskCalledOut ? e164(callee) : e164(caller);
}
