import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './processes';

// SIPp standing in for the city's PBX trunk (resources/sipp/pbx-*.xml), playing G.711 A-law RTP
// from a pcap that holds a sine tone.

/**
 * Writes DIR/tone.pcap: `seconds` of a `hz` sine as A-law RTP (PT 8, 20 ms packets) in
 * Ethernet/IPv4/UDP frames, the form SIPp's play_pcap_audio reads. sox does the G.711 coding.
 */
export function makeTonePcap(dir: string, hz: number, seconds: number): string {
  const raw = join(dir, 'tone.al');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'a-law', '-t', 'raw', raw, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5']);
  const audio = readFileSync(raw);
  const PER_PACKET = 160;
  const chunks: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65_535, 16);
  header.writeUInt32LE(1, 20); // link type: Ethernet
  chunks.push(header);
  for (let i = 0; (i + 1) * PER_PACKET <= audio.length; i++) {
    const rtp = Buffer.alloc(12);
    rtp.writeUInt8(0x80, 0);
    rtp.writeUInt8(8 | (i === 0 ? 0x80 : 0), 1);
    rtp.writeUInt16BE((1000 + i) & 0xffff, 2);
    rtp.writeUInt32BE(160_000 + i * PER_PACKET, 4);
    rtp.writeUInt32BE(0x5151ab01, 8);
    const payload = Buffer.concat([rtp, audio.subarray(i * PER_PACKET, (i + 1) * PER_PACKET)]);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(5000, 0);
    udp.writeUInt16BE(6000, 2);
    udp.writeUInt16BE(8 + payload.length, 4);
    const ip = Buffer.alloc(20);
    ip.writeUInt8(0x45, 0);
    ip.writeUInt16BE(20 + 8 + payload.length, 2);
    ip.writeUInt8(64, 8);
    ip.writeUInt8(17, 9);
    Buffer.from([10, 0, 0, 1, 10, 0, 0, 2]).copy(ip, 12);
    let sum = 0;
    for (let j = 0; j < 20; j += 2) sum += ip.readUInt16BE(j);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    ip.writeUInt16BE(~sum & 0xffff, 10);
    const ether = Buffer.from([0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 8, 0]);
    const frame = Buffer.concat([ether, ip, udp, payload]);
    const record = Buffer.alloc(16);
    const us = i * 20_000;
    record.writeUInt32LE(1_700_000_000 + Math.floor(us / 1e6), 0);
    record.writeUInt32LE(us % 1e6, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    chunks.push(record, frame);
  }
  const out = join(dir, 'tone.pcap');
  writeFileSync(out, Buffer.concat(chunks));
  return out;
}

export interface SippRun {
  proc: ChildProcess;
  /** SIPp's exit code: 0 when every call succeeded. */
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Runs SIPp with `scenario` (a file in resources/sipp) from `dir` (where tone.pcap is), bound to
 * loopback `localPort`, against Kamailio's UDP port. `numbers` becomes the -inf CSV, one a call.
 */
export function runSipp(dir: string, o: { scenario: string; localPort: number; target?: string; numbers?: string[]; args: string[] }): SippRun {
  const args = ['-sf', join(REPO, 'resources/sipp', o.scenario), '-i', '127.0.0.1', '-p', String(o.localPort), '-mi', '127.0.0.1', '-nostdin', '-trace_err'];
  if (o.numbers) {
    const csv = join(dir, `numbers-${o.localPort}.csv`);
    writeFileSync(csv, `SEQUENTIAL\n${o.numbers.map((n) => `${n};`).join('\n')}\n`);
    args.push('-inf', csv);
  }
  args.push(...o.args);
  if (o.target) args.push(o.target);
  const proc = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  return { proc, exited: new Promise((done) => proc.on('exit', (code) => done(code))), output: () => out };
}
