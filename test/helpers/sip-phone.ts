import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import WebSocket from 'ws';
import { g711Encode, rtp, sine } from './rtp-pcap';

// A phone small enough to read in one sitting, for tests of what Kamailio and rtpengine do to a
// call: SIP over WebSocket (a desk, as JsSIP speaks it, but with plain RTP/AVP media instead of
// ICE and DTLS-SRTP, which Node has no stack for: rtpengine takes the answer's protocol for that
// leg) or over UDP (the PBX trunk). It registers, calls, answers, re-INVITEs (hold) and hangs up,
// and sends a G.711 tone from the moment it knows where to. Digest auth (MD5, qop auth) once per
// request.

export interface SipMessage {
  /** The request line or status line. */
  first: string;
  status: number | null;
  method: string;
  lines: string[];
  body: string;
  /** The first header of that name (case-insensitive), value only. */
  header(name: string): string | undefined;
  headers(name: string): string[];
}

function parse(text: string): SipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const [first = '', ...lines] = head.split('\r\n');
  const status = /^SIP\/2\.0 (\d{3})/.exec(first);
  const method = status ? (/^CSeq:\s*\d+\s+(\w+)/im.exec(head)?.[1] ?? '') : (first.split(' ')[0] ?? '');
  const headers = (name: string) => lines.filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`)).map((l) => l.slice(l.indexOf(':') + 1).trim());
  return { first, status: status ? Number(status[1]) : null, method, lines, body, header: (n) => headers(n)[0], headers };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const token = () => randomBytes(5).toString('hex');
const tagOf = (h: string | undefined) => /;tag=([^;\s>]+)/.exec(h ?? '')?.[1];
const uriOf = (h: string | undefined) => /<([^>]+)>/.exec(h ?? '')?.[1] ?? (h ?? '').split(';')[0] ?? '';

function digest(challenge: string, user: string, secret: string, method: string, uri: string): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1] ?? '';
  const cnonce = token();
  const ha1 = md5(`${user}:${param('realm')}:${secret}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${param('nonce')}:00000001:${cnonce}:auth:${ha2}`);
  return `Digest username="${user}", realm="${param('realm')}", nonce="${param('nonce')}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`;
}

/** The media address in an SDP (127.0.0.1 here), and its audio port. */
function sdpTarget(sdp: string): { address: string; port: number } | null {
  const address = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1];
  const port = /^m=audio (\d+)/m.exec(sdp)?.[1];
  return address && port && port !== '0' ? { address, port: Number(port) } : null;
}

export interface PhoneCall {
  callId: string;
  /** The INVITE that reached this phone (an incoming call), or the 2xx it got (its own call). */
  setup: SipMessage;
  /** Re-INVITE with `direction` (sendonly: hold; sendrecv: resume); resolves to the final status. */
  reinvite(direction: 'sendonly' | 'sendrecv' | 'inactive'): Promise<number>;
  hangup(): Promise<number>;
  /** Resolves when the far end hung up, or this phone did. */
  ended: Promise<void>;
  /** RTP packets this phone sent in the call. */
  sent(): number;
}

export interface SipPhone {
  user: string;
  register(): Promise<number>;
  call(number: string, extraHeaders?: string[]): Promise<{ status: number; response: SipMessage; call: PhoneCall | null }>;
  /** The next incoming call, answered with 200 (and its tone). */
  nextCall(ms?: number): Promise<PhoneCall>;
  /** Every request that reached this phone. */
  received: SipMessage[];
  close(): void;
}

export interface PhoneOptions {
  /** Kamailio's WebSocket URL (a desk), or its UDP address and this phone's own port (the trunk). */
  transport: { ws: string } | { udp: { host: string; port: number }; localPort: number };
  user: string;
  secret?: string;
  domain?: string;
  tone: { hz: number; pt: 0 | 8 };
  /** Headers added to every answer this phone sends (to try forging them). */
  answerHeaders?: string[];
}

export async function startPhone(o: PhoneOptions): Promise<SipPhone> {
  const domain = o.domain ?? '127.0.0.1';
  const ws = 'ws' in o.transport;
  const host = ws ? `${token()}.invalid` : '127.0.0.1';
  let send: (text: string) => void;
  let close: () => void;
  let localPort = 0;
  const onMessage: ((m: SipMessage) => void)[] = [];
  const deliver = (text: string) => onMessage.forEach((f) => f(parse(text)));
  if ('ws' in o.transport) {
    const socket = new WebSocket(o.transport.ws, 'sip');
    await new Promise<void>((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    socket.on('message', (d) => deliver(d.toString()));
    send = (text) => socket.send(text);
    close = () => socket.close();
  } else {
    const { udp, localPort: port } = o.transport;
    const socket: Socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(port, '127.0.0.1', r));
    localPort = port;
    socket.on('message', (d) => deliver(d.toString()));
    send = (text) => socket.send(text, udp.port, udp.host);
    close = () => socket.close();
  }
  const media = createSocket('udp4');
  await new Promise<void>((r) => media.bind(0, '127.0.0.1', r));
  const mediaPort = media.address().port;
  const via = () => `Via: SIP/2.0/${ws ? 'WS' : 'UDP'} ${host}${ws ? '' : `:${localPort}`};branch=z9hG4bK${token()};rport`;
  const contact = `<sip:${o.user}@${host}${ws ? ';transport=ws' : `:${localPort}`}>`;
  const sdp = (direction: string) =>
    [
      'v=0', `o=- ${Date.now()} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
      `m=audio ${mediaPort} RTP/AVP 8 0 101`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', `a=${direction}`, 'a=ptime:20', '',
    ].join('\r\n');

  const pending = new Map<string, (m: SipMessage) => void>();
  const received: SipMessage[] = [];
  const waitingCalls: ((c: PhoneCall) => void)[] = [];
  const queuedCalls: PhoneCall[] = [];
  const dialogs = new Map<string, Dialog>();
  const answered = new Map<string, string>();

  interface Dialog {
    callId: string;
    localTag: string;
    remoteTag: string;
    /** The From and To of this side's requests. */
    local: string;
    remote: string;
    target: string;
    routes: string[];
    cseq: number;
    stop(): void;
    end: () => void;
  }

  /** Sends a request and resolves to its final answer (authenticating once). */
  function request(lines: (cseq: number, branchVia: string) => string[], cseqStart: number, body = ''): Promise<SipMessage> {
    return new Promise((resolve, reject) => {
      let cseq = cseqStart;
      let auth: string | null = null;
      const attempt = () => {
        const v = via();
        const branch = /branch=([^;]+)/.exec(v)?.[1] as string;
        const timer = setTimeout(() => (pending.delete(branch), reject(new Error(`no answer to ${lines(cseq, v)[0]}`))), 10_000);
        pending.set(branch, (m) => {
          if ((m.status as number) < 200) return;
          clearTimeout(timer);
          pending.delete(branch);
          const challenge = m.header('proxy-authenticate') ?? m.header('www-authenticate');
          if ((m.status === 401 || m.status === 407) && challenge && o.secret && !auth) {
            const [first = ''] = lines(cseq, v);
            const [method = '', uri = ''] = first.split(' ');
            auth = `${m.status === 407 ? 'Proxy-Authorization' : 'Authorization'}: ${digest(challenge, o.user, o.secret, method, uri)}`;
            cseq++;
            attempt();
            return;
          }
          resolve(m);
        });
        const all = [...lines(cseq, v), ...(auth ? [auth] : [])];
        send([...all, ...(body ? ['Content-Type: application/sdp'] : []), `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
      };
      attempt();
    });
  }

  const inDialog = (d: Dialog, method: string, body = '') =>
    request(
      (cseq, v) => [`${method} ${d.target} SIP/2.0`, v, ...d.routes.map((r) => `Route: ${r}`), `From: ${d.local};tag=${d.localTag}`, `To: ${d.remote};tag=${d.remoteTag}`, `Call-ID: ${d.callId}`, `CSeq: ${cseq} ${method}`, `Contact: ${contact}`, 'Max-Forwards: 70'],
      ++d.cseq,
      body,
    );

  /** Sends the tone to where the peer's SDP says, 20 ms packets paced by the clock, until stopped. */
  function startMedia(peerSdp: string): { stop(): void; sent(): number } {
    const to = sdpTarget(peerSdp);
    let sent = 0;
    if (!to) return { stop: () => undefined, sent: () => 0 };
    const pt = new RegExp(`^m=audio \\d+ \\S+ (.* )?${o.tone.pt}( |$)`, 'm').test(peerSdp) ? o.tone.pt : o.tone.pt === 0 ? 8 : 0;
    const ssrc = randomBytes(4).readUInt32BE(0);
    const started = Date.now();
    const timer = setInterval(() => {
      while (sent <= (Date.now() - started) / 20) {
        const payload = g711Encode(pt, sine(o.tone.hz, 160, sent * 160));
        media.send(rtp({ pt, seq: 3000 + sent, ts: 90_000 + sent * 160, ssrc, payload, marker: sent === 0 }), to.port, to.address);
        sent++;
      }
    }, 10);
    return { stop: () => clearInterval(timer), sent: () => sent };
  }

  function makeCall(d: Dialog, setup: SipMessage, peerSdp: string): PhoneCall {
    let tone = startMedia(peerSdp);
    const ended = new Promise<void>((resolve) => {
      d.end = () => {
        tone.stop();
        dialogs.delete(d.callId);
        resolve();
      };
    });
    d.stop = () => tone.stop();
    return {
      callId: d.callId,
      setup,
      async reinvite(direction) {
        const answer = await inDialog(d, 'INVITE', sdp(direction));
        if (answer.status === 200) {
          ack(d, answer);
          tone.stop();
          tone = startMedia(answer.body);
        }
        return answer.status as number;
      },
      async hangup() {
        const answer = await inDialog(d, 'BYE');
        d.end();
        return answer.status as number;
      },
      ended,
      sent: () => tone.sent(),
    };
  }

  function ack(d: Dialog, answer: SipMessage) {
    const cseq = Number(/^(\d+)/.exec(answer.header('cseq') ?? '')?.[1]);
    send([`ACK ${d.target} SIP/2.0`, via(), ...d.routes.map((r) => `Route: ${r}`), `From: ${d.local};tag=${d.localTag}`, `To: ${d.remote};tag=${d.remoteTag}`, `Call-ID: ${d.callId}`, `CSeq: ${cseq} ACK`, 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'));
  }

  /** The answer to a request that reached us. */
  function reply(req: SipMessage, status: number, toTag: string, body = '', extra: string[] = []) {
    const reason = status === 200 ? 'OK' : 'Answer';
    const echoed = req.lines.filter((l) => /^(Via|From|Call-ID|CSeq|Record-Route):/i.test(l));
    const to = req.lines.find((l) => /^To:/i.test(l)) ?? '';
    const text = [`SIP/2.0 ${status} ${reason}`, ...echoed, /;tag=/.test(to) ? to : `${to};tag=${toTag}`, `Contact: ${contact}`, ...extra, ...(body ? ['Content-Type: application/sdp'] : []), `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
    answered.set(`${req.header('call-id')} ${req.header('cseq')}`, text);
    send(text);
  }

  onMessage.push((m) => {
    if (m.status !== null) {
      const branch = /branch=([^;\s]+)/.exec(m.header('via') ?? '')?.[1] ?? '';
      pending.get(branch)?.(m);
      return;
    }
    received.push(m);
    const callId = m.header('call-id') ?? '';
    if (m.method === 'ACK') return;
    // A retransmission: the same answer again.
    const again = answered.get(`${callId} ${m.header('cseq')}`);
    if (again) return send(again);
    const d = dialogs.get(callId);
    if (m.method === 'INVITE' && !d) {
      const localTag = token();
      const dialog: Dialog = {
        callId, localTag, remoteTag: tagOf(m.header('from')) ?? '', local: `<${uriOf(m.header('to'))}>`, remote: `<${uriOf(m.header('from'))}>`,
        target: uriOf(m.header('contact')), routes: m.headers('record-route').flatMap((r) => r.split(/,\s*(?=<)/)), cseq: 100, stop: () => undefined, end: () => undefined,
      };
      dialogs.set(callId, dialog);
      reply(m, 200, localTag, sdp('sendrecv'), o.answerHeaders);
      const call = makeCall(dialog, m, m.body);
      const waiter = waitingCalls.shift();
      if (waiter) waiter(call);
      else queuedCalls.push(call);
      return;
    }
    if (m.method === 'INVITE' && d) {
      reply(m, 200, d.localTag, sdp(/a=(sendonly|inactive)/.test(m.body) ? 'recvonly' : 'sendrecv'));
      return;
    }
    reply(m, 200, d?.localTag ?? token());
    if (m.method === 'BYE') d?.end();
  });

  return {
    user: o.user,
    received,
    async register() {
      const callId = token();
      const instance = `<urn:uuid:${[8, 4, 4, 4, 12].map((n) => randomBytes(n / 2).toString('hex')).join('-')}>`;
      const answer = await request(
        (cseq, v) => [`REGISTER sip:${domain} SIP/2.0`, v, `From: <sip:${o.user}@${domain}>;tag=${token()}`, `To: <sip:${o.user}@${domain}>`, `Call-ID: ${callId}`, `CSeq: ${cseq} REGISTER`, `Contact: ${contact};+sip.instance="${instance}";expires=600`, 'Expires: 600', 'Max-Forwards: 70'],
        1,
      );
      return answer.status as number;
    },
    async call(number, extraHeaders = []) {
      const callId = token();
      const localTag = token();
      const uri = `sip:${number}@${domain}`;
      const answer = await request(
        (cseq, v) => [`INVITE ${uri} SIP/2.0`, v, `From: <sip:${o.user}@${domain}>;tag=${localTag}`, `To: <${uri}>`, `Call-ID: ${callId}`, `CSeq: ${cseq} INVITE`, `Contact: ${contact}`, 'Max-Forwards: 70', ...extraHeaders],
        1,
        sdp('sendrecv'),
      );
      if (answer.status !== 200) return { status: answer.status as number, response: answer, call: null };
      const dialog: Dialog = {
        callId, localTag, remoteTag: tagOf(answer.header('to')) ?? '', local: `<sip:${o.user}@${domain}>`, remote: `<${uri}>`,
        target: uriOf(answer.header('contact')), routes: answer.headers('record-route').flatMap((r) => r.split(/,\s*(?=<)/)).reverse(),
        cseq: Number(/^(\d+)/.exec(answer.header('cseq') ?? '')?.[1]), stop: () => undefined, end: () => undefined,
      };
      dialogs.set(callId, dialog);
      ack(dialog, answer);
      return { status: 200, response: answer, call: makeCall(dialog, answer, answer.body) };
    },
    nextCall(ms = 10_000) {
      const queued = queuedCalls.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${o.user}: no call within ${ms} ms`)), ms);
        waitingCalls.push((c) => (clearTimeout(timer), resolve(c)));
      });
    },
    close() {
      for (const d of dialogs.values()) d.stop();
      media.close();
      close();
    },
  };
}
