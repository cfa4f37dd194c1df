import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

// A few lines of SIP over UDP for tests that look at one request and its answer (presence
// messages, what the server says about itself, flood limits): Kamailio itself is the thing tested,
// so the client stays as plain as the wire. Answers digest challenges once (RFC 2617, MD5, qop auth).

export interface SipAnswer {
  status: number;
  reason: string;
  /** Header values by lower-case name (the first of each). */
  headers: Record<string, string>;
  /** Every header line as it came. */
  lines: string[];
}

/** A request that reached this client (it answered it, see `answering`). */
export interface SipRequest {
  method: string;
  uri: string;
  /** Every header line as it came. */
  lines: string[];
  /** Who sent it (where an answer goes). */
  from: { address: string; port: number };
}

/** Ids that put a request inside an existing call (the To tag is the peer's). */
export interface SipDialog {
  callId: string;
  fromTag: string;
  toTag: string;
}

export interface SipClient {
  /** Resolves to the final answer, or null when none came within `ms`. */
  request(r: {
    method: string;
    uri: string;
    from: string;
    /** The To URI (the request's URI when absent). */
    to?: string;
    headers?: readonly string[];
    body?: string;
    contentType?: string;
    secret?: string;
    ms?: number;
    dialog?: SipDialog;
  }): Promise<SipAnswer | null>;
  /** Requests that reached this client, oldest first. */
  readonly received: SipRequest[];
  /** Answers a request this client left unanswered (its `answering` said null: a phone that rings). */
  answer(request: SipRequest, status: number): void;
  /** The address this client listens on. */
  readonly local: { address: string; port: number };
  close(): void;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function parse(text: string): SipAnswer | null {
  const [head = ''] = text.split('\r\n\r\n');
  const [first = '', ...lines] = head.split('\r\n');
  const m = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(first);
  if (!m) return null;
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] ??= l.slice(i + 1).trim();
  }
  return { status: Number(m[1]), reason: m[2] as string, headers, lines };
}

/** Digest credentials for a 401/407 challenge. */
function authorization(challenge: string, user: string, secret: string, method: string, uri: string): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = randomBytes(8).toString('hex');
  const ha1 = md5(`${user}:${realm}:${secret}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = /qop="?[^"]*auth/.test(challenge);
  const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : ''}`;
}

/** The answer to a request that reached us: its Via, From, To (tagged), Call-ID and CSeq back, and our Contact. */
function reply(lines: string[], status: number, contact: string): string {
  const echoed = lines.filter((l) => /^(Via|From|To|Call-ID|CSeq|Record-Route):/i.test(l)).map((l) => (/^To:/i.test(l) && !/;tag=/.test(l) ? `${l};tag=${randomBytes(4).toString('hex')}` : l));
  const reason = status === 200 ? 'OK' : status === 486 ? 'Busy Here' : 'Answer';
  return [`SIP/2.0 ${status} ${reason}`, ...echoed, `Contact: <${contact}>`, 'Content-Length: 0', '', ''].join('\r\n');
}

/**
 * A UDP SIP client bound to `localAddress` (127.0.0.2 and up stand for other hosts on loopback), on
 * `localPort` (any). Requests that reach it are kept and answered with `answering(method)` (ACK
 * with nothing; null: not yet, see `answer`).
 */
export async function sipClient(
  server: { host: string; port: number },
  localAddress = '127.0.0.1',
  localPort = 0,
  answering: (method: string) => number | null = (method) => (method === 'INVITE' ? 486 : 200),
): Promise<SipClient> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(localPort, localAddress, resolve));
  const local = socket.address();
  const waiting = new Map<string, (a: SipAnswer) => void>();
  const received: SipRequest[] = [];
  socket.on('message', (m, from) => {
    const text = m.toString('utf8');
    const [head = ''] = text.split('\r\n\r\n');
    const [first = '', ...lines] = head.split('\r\n');
    const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first);
    if (request) {
      const method = request[1] as string;
      // A retransmission (our answer was not seen yet) is answered again, not kept twice.
      const cseq = lines.find((l) => /^CSeq:/i.test(l));
      const callId = lines.find((l) => /^Call-ID:/i.test(l));
      if (!received.some((r) => r.lines.includes(cseq ?? '') && r.lines.includes(callId ?? ''))) received.push({ method, uri: request[2] as string, lines, from: { address: from.address, port: from.port } });
      const status = method === 'ACK' ? null : answering(method);
      if (status !== null) socket.send(reply(lines, status, `sip:${local.address}:${local.port}`), from.port, from.address);
      return;
    }
    const answer = parse(text);
    const callId = /\r\nCall-ID: *([^\r]+)/i.exec(text)?.[1];
    if (answer && answer.status >= 200 && callId) waiting.get(callId)?.(answer);
  });
  let cseq = 1;
  const send = (r: Parameters<SipClient['request']>[0], callId: string, tag: string, auth: string | null) =>
    new Promise<SipAnswer | null>((resolve) => {
      const timer = setTimeout(() => (waiting.delete(callId), resolve(null)), r.ms ?? 2_000);
      waiting.set(callId, (a) => (clearTimeout(timer), waiting.delete(callId), resolve(a)));
      const body = r.body ?? '';
      const lines = [
        `${r.method} ${r.uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${local.address}:${local.port};rport;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
        `From: <sip:${r.from}@${server.host}>;tag=${tag}`,
        `To: <${r.to ?? r.uri}>${r.dialog ? `;tag=${r.dialog.toTag}` : ''}`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq++} ${r.method}`,
        'Max-Forwards: 70',
        ...(r.headers ?? []),
        ...(auth ? [auth] : []),
        ...(body ? [`Content-Type: ${r.contentType ?? 'text/plain'}`] : []),
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ];
      socket.send(lines.join('\r\n'), server.port, server.host);
    });
  return {
    async request(r) {
      const callId = r.dialog?.callId ?? randomBytes(8).toString('hex');
      const tag = r.dialog?.fromTag ?? randomBytes(4).toString('hex');
      const first = await send(r, callId, tag, null);
      if (!first || (first.status !== 401 && first.status !== 407) || r.secret === undefined) return first;
      const challenge = first.headers['proxy-authenticate'] ?? first.headers['www-authenticate'] ?? '';
      const header = first.status === 407 ? 'Proxy-Authorization' : 'Authorization';
      return send(r, callId, tag, `${header}: ${authorization(challenge, r.from, r.secret, r.method, r.uri)}`);
    },
    received,
    answer: (request, status) => socket.send(reply(request.lines, status, `sip:${local.address}:${local.port}`), request.from.port, request.from.address),
    local,
    close: () => socket.close(),
  };
}
