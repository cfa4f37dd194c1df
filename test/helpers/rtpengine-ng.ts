import bencode from 'bencode';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

// rtpengine's ng control protocol (bencoded dictionaries over UDP, each behind a cookie), as
// Kamailio speaks it: here to ask the gateway which calls it carries and what each leg received.

type Dict = Record<string, unknown>;

// bencode 4 decodes byte strings as Uint8Array (its own text mode breaks on dictionaries).
const text = new TextDecoder();
function asText(v: unknown): unknown {
  if (v instanceof Uint8Array) return text.decode(v);
  if (Array.isArray(v)) return v.map(asText);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asText(x)]));
  return v;
}

/** One ng request; resolves to rtpengine's reply, with byte strings decoded as text. */
export function ngRequest(port: number, message: Dict, ms = 2_000): Promise<Dict> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const cookie = randomBytes(6).toString('hex');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`rtpengine did not answer ${String(message.command)} on ${port}`));
    }, ms);
    socket.on('message', (m) => {
      const at = m.indexOf(' ');
      if (m.subarray(0, at).toString() !== cookie) return;
      clearTimeout(timer);
      socket.close();
      resolve(asText(bencode.decode(m.subarray(at + 1))) as Dict);
    });
    socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode.encode(message)]), port, '127.0.0.1');
  });
}

/** The Call-IDs of the calls rtpengine carries now. */
export async function gatewayCalls(port: number): Promise<string[]> {
  const r = await ngRequest(port, { command: 'list', limit: 1000 });
  return (r.calls as string[] | undefined) ?? [];
}

/** Packets each leg of a call has sent into the gateway, by the leg's SIP tag. */
export async function packetsByLeg(port: number, callId: string): Promise<Record<string, number>> {
  const r = await ngRequest(port, { command: 'query', 'call-id': callId });
  const tags = (r.tags ?? {}) as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>;
  return Object.fromEntries(
    Object.entries(tags).map(([tag, t]) => [tag, (t.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0)]),
  );
}

/** Packets each leg of a call sends into the gateway during the next `ms`, as a sorted list (the legs' order does not matter). */
export async function packetsDuring(port: number, callId: string, ms: number): Promise<number[]> {
  const before = await packetsByLeg(port, callId);
  await new Promise((r) => setTimeout(r, ms));
  const after = await packetsByLeg(port, callId);
  return Object.keys(after).map((tag) => (after[tag] ?? 0) - (before[tag] ?? 0)).sort((a, b) => a - b);
}
