/**
 * Live call quality from WebRTC statistics: a MOS estimate, a good / fair / poor level, and a
 * monitor that polls getStats() and only warns about sustained trouble.
 */

export type Codec = 'opus' | 'g711';
export type QualityLevel = 'good' | 'fair' | 'poor';

export interface NetworkConditions {
  rttMs: number;
  jitterMs: number;
  /** Packet loss, 0..100. */
  lossPercent: number;
  /** Defaults to Opus, WebRTC's default. */
  codec?: Codec;
}

// ITU-T G.113 Appendix I gives G.711 with packet loss concealment Ie = 0, Bpl = 25.1 (random
// loss). G.113 has no narrowband entry for Opus; we use the G.711+PLC figures for it too, which
// errs on the pessimistic side (Opus adds in-band FEC on top of concealment).
const CODECS: Readonly<Record<Codec, { ie: number; bpl: number }>> = {
  opus: { ie: 0, bpl: 25.1 },
  g711: { ie: 0, bpl: 25.1 },
};

/** G.107's default transmission rating with no impairments (Ro − Is). */
const R_DEFAULT = 93.2;

const finiteOr = (n: number, fallback: number) => (Number.isFinite(n) ? n : fallback);

/**
 * A simplified ITU-T G.107 E-model:
 * - one-way delay d = rtt/2 + 2·jitter + 10 ms (jitter buffer and codec delay, the usual VoIP
 *   monitoring shortcut);
 * - Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3) (Cole & Rosenbluth, "Voice over IP performance
 *   monitoring", ACM CCR 2001, a fit of G.107's delay impairment);
 * - Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl) (G.107 §7.6, random loss: BurstR = 1);
 * - R = 93.2 − Id − Ie,eff, and MOS = 1 + 0.035R + 7·10⁻⁶·R(R − 60)(100 − R) (G.107 Annex B),
 *   clamped to 1..4.5.
 */
export function estimateMos({ rttMs, jitterMs, lossPercent, codec = 'opus' }: NetworkConditions): number {
  const { ie, bpl } = CODECS[codec];
  const d = Math.max(0, finiteOr(rttMs, 0)) / 2 + 2 * Math.max(0, finiteOr(jitterMs, 0)) + 10;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const ppl = Math.min(100, Math.max(0, finiteOr(lossPercent, 0)));
  const ieEff = ie + ((95 - ie) * ppl) / (ppl + bpl);
  return mosFromR(R_DEFAULT - id - ieEff);
}

function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.min(4.5, Math.max(1, mos));
}

/** The numbers we use from one getStats() report; a field is undefined when the report lacks it. */
export interface StatsSnapshot {
  /** inbound-rtp (audio): cumulative counters since the stream began. */
  packetsReceived?: number;
  packetsLost?: number;
  /** inbound-rtp (audio): RFC 3550 interarrival jitter, seconds. */
  jitter?: number;
  /** remote-inbound-rtp (audio): what the far end reports about the audio we send. */
  roundTripTime?: number;
  /** remote-inbound-rtp (audio): 0..1, from the far end's last receiver report. */
  fractionLost?: number;
  /** The selected candidate pair's STUN round trip, seconds. */
  currentRoundTripTime?: number;
  codec?: Codec;
}

export interface CallQuality {
  /** The worse direction's loss over the interval, 0..100. */
  lossPercent: number;
  /** Loss of the audio we receive over the interval; null when no packets were due. */
  inboundLossPercent: number | null;
  /** Loss the far end reports for the audio we send; null when it has not reported. */
  outboundLossPercent: number | null;
  jitterMs: number | null;
  rttMs: number | null;
  mos: number;
  level: QualityLevel;
}

const MOS_GOOD = 4.0;
const MOS_FAIR = 3.6;
const POOR_LOSS_PERCENT = 5;
const POOR_JITTER_MS = 60;

export function levelFor(mos: number, lossPercent: number, jitterMs: number): QualityLevel {
  if (lossPercent > POOR_LOSS_PERCENT || jitterMs > POOR_JITTER_MS) return 'poor';
  return mos >= MOS_GOOD ? 'good' : mos >= MOS_FAIR ? 'fair' : 'poor';
}

/**
 * Quality over the interval between two snapshots (prev null: since the call began). Null when
 * nothing was measured in either direction, e.g. on hold.
 */
export function qualityFromStats(prev: StatsSnapshot | null, next: StatsSnapshot): CallQuality | null {
  const inboundLossPercent = intervalLoss(prev, next);
  const outboundLossPercent = next.fractionLost === undefined ? null : Math.min(100, Math.max(0, next.fractionLost * 100));
  if (inboundLossPercent === null && outboundLossPercent === null) return null;
  const lossPercent = Math.max(inboundLossPercent ?? 0, outboundLossPercent ?? 0);
  const jitterMs = next.jitter === undefined ? null : next.jitter * 1000;
  // RTCP's round trip follows the media path; the ICE one is a stand-in until the first report.
  const rttSec = next.roundTripTime ?? next.currentRoundTripTime;
  const rttMs = rttSec === undefined ? null : rttSec * 1000;
  const mos = estimateMos({ rttMs: rttMs ?? 0, jitterMs: jitterMs ?? 0, lossPercent, codec: next.codec });
  return { lossPercent, inboundLossPercent, outboundLossPercent, jitterMs, rttMs, mos, level: levelFor(mos, lossPercent, jitterMs ?? 0) };
}

/** Audio packets received and lost between two snapshots (prev null: since the stream began); null without the counters. */
function intervalCounts(prev: StatsSnapshot | null, next: StatsSnapshot): { received: number; lost: number } | null {
  if (next.packetsReceived === undefined) return null;
  let received = next.packetsReceived - (prev?.packetsReceived ?? 0);
  let lost = (next.packetsLost ?? 0) - (prev?.packetsLost ?? 0);
  // Counters restart with a new stream (re-INVITE, new SSRC): the new totals are the interval.
  if (received < 0) {
    received = next.packetsReceived;
    lost = next.packetsLost ?? 0;
  }
  // packetsLost can shrink when late packets arrive after all (RFC 3550 counts duplicates too).
  return { received, lost: Math.max(0, lost) };
}

function intervalLoss(prev: StatsSnapshot | null, next: StatsSnapshot): number | null {
  const counts = intervalCounts(prev, next);
  if (!counts) return null;
  const expected = counts.received + counts.lost;
  return expected > 0 ? (100 * counts.lost) / expected : null;
}

type StatsRecord = Record<string, unknown>;

const isRecord = (v: unknown): v is StatsRecord => typeof v === 'object' && v !== null;
const num = (r: StatsRecord, key: string): number | undefined => {
  const v = r[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const str = (r: StatsRecord, key: string): string | undefined => {
  const v = r[key];
  return typeof v === 'string' ? v : undefined;
};
// Older Chromium named the field mediaType.
const isAudio = (r: StatsRecord) => (str(r, 'kind') ?? str(r, 'mediaType')) === 'audio';
const addUp = (a: number | undefined, b: number | undefined) => (b === undefined ? a : (a ?? 0) + b);
const larger = (a: number | undefined, b: number | undefined) => (b === undefined ? a : a === undefined ? b : Math.max(a, b));

function codecFromMime(mime: string | undefined): Codec | undefined {
  const m = mime?.toLowerCase();
  if (m === 'audio/opus') return 'opus';
  if (m === 'audio/pcmu' || m === 'audio/pcma') return 'g711';
  return undefined;
}

function statsObjects(report: RTCStatsReport | Iterable<unknown>): StatsRecord[] {
  // An RTCStatsReport iterates as [id, stats] entries; a plain list holds the stats themselves.
  const out: StatsRecord[] = [];
  for (const item of report as Iterable<unknown>) {
    const stats = Array.isArray(item) && item.length === 2 ? (item[1] as unknown) : item;
    if (isRecord(stats)) out.push(stats);
  }
  return out;
}

/** Reads a getStats() result; anything missing or malformed is left undefined, and it never throws. */
export function extractStatsSnapshot(report: RTCStatsReport | Iterable<unknown>): StatsSnapshot {
  let all: StatsRecord[];
  try {
    all = statsObjects(report);
  } catch {
    return {};
  }
  const byId = new Map(all.flatMap((s) => (typeof s.id === 'string' ? [[s.id, s] as const] : [])));
  const snapshot: StatsSnapshot = {};
  const selectedPairIds = new Set(all.flatMap((s) => (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string' ? [s.selectedCandidatePairId] : [])));
  let pair: StatsRecord | undefined;
  for (const s of all) {
    if (s.type === 'inbound-rtp' && isAudio(s)) {
      // Several audio streams (an SSRC change leaves the old one behind): sum the counters.
      snapshot.packetsReceived = addUp(snapshot.packetsReceived, num(s, 'packetsReceived'));
      snapshot.packetsLost = addUp(snapshot.packetsLost, num(s, 'packetsLost'));
      snapshot.jitter = larger(snapshot.jitter, num(s, 'jitter'));
      const codecId = str(s, 'codecId');
      const codecStats = codecId === undefined ? undefined : byId.get(codecId);
      snapshot.codec ??= codecStats && codecFromMime(str(codecStats, 'mimeType'));
    } else if (s.type === 'remote-inbound-rtp' && isAudio(s)) {
      snapshot.roundTripTime = larger(snapshot.roundTripTime, num(s, 'roundTripTime'));
      snapshot.fractionLost = larger(snapshot.fractionLost, num(s, 'fractionLost'));
    } else if (s.type === 'candidate-pair') {
      // Chromium names the pair in use from the transport; Firefox marks it selected.
      const inUse = (typeof s.id === 'string' && selectedPairIds.has(s.id)) || s.selected === true;
      const fallback = selectedPairIds.size === 0 && s.nominated === true && s.state === 'succeeded';
      if (inUse || (fallback && !pair)) pair = s;
    }
  }
  if (pair) snapshot.currentRoundTripTime = num(pair, 'currentRoundTripTime');
  return snapshot;
}

export interface IntervalTimers<H> {
  setInterval(fn: () => void, ms: number): H;
  clearInterval(handle: H): void;
}

export interface QualityReport {
  /** This interval's quality; null when no sample could be taken (stats failed, nothing flowing). */
  sample: CallQuality | null;
  /** Sustained trouble worth showing the agent. */
  degraded: boolean;
  /**
   * No audio packet has arrived for two intervals in a row while the call should carry it: the
   * media path died (a gateway restarted, a network gone), whatever the last receiver report said.
   */
  deadAir: boolean;
}

export interface QualityMonitorDeps<H> {
  getStats: () => Promise<RTCStatsReport | Iterable<unknown>>;
  timers: IntervalTimers<H>;
  onQuality: (report: QualityReport) => void;
  /** Whether audio should be arriving now (not while either side holds the call). */
  expectingAudio?: () => boolean;
  intervalMs?: number;
}

export interface QualityMonitor {
  stop(): void;
}

/** Intervals in a row it takes to raise or clear the warning, so one bad blip does not flap it. */
const DEBOUNCE_INTERVALS = 2;

/**
 * Polls getStats() every interval and reports each one. The warning goes up after two poor
 * intervals in a row and down after two good or fair ones; an interval without a sample counts
 * for neither. Dead air goes up after two silent intervals and down with the first packet.
 */
export function createQualityMonitor<H>({ getStats, timers, onQuality, expectingAudio = () => true, intervalMs = 2000 }: QualityMonitorDeps<H>): QualityMonitor {
  let stopped = false;
  let busy = false;
  let prev: StatsSnapshot | null = null;
  let degraded = false;
  let streak = 0;
  let silent = 0;

  const sample = async (): Promise<StatsSnapshot | null> => {
    try {
      return extractStatsSnapshot(await getStats());
    } catch {
      return null;
    }
  };

  const tick = async () => {
    // A slow getStats() must not pile up calls behind it.
    if (busy || stopped) return;
    busy = true;
    const next = await sample();
    busy = false;
    if (stopped) return;
    // Silence is judged between two readings of the counter, never from the stream's start.
    const packets = next && prev?.packetsReceived !== undefined ? intervalCounts(prev, next)?.received : undefined;
    if (packets !== undefined) silent = packets === 0 && expectingAudio() ? silent + 1 : 0;
    const deadAir = silent >= DEBOUNCE_INTERVALS;
    // An interval without a packet measures nothing: the far end's last receiver report would still read as good.
    // Nor does one on hold: the media stops on purpose, and its last packets would read as loss.
    const quality = next && packets !== 0 && expectingAudio() ? qualityFromStats(prev, next) : null;
    if (next) prev = next;
    if (quality) {
      const bad = quality.level === 'poor';
      streak = bad !== degraded ? streak + 1 : 0;
      if (streak >= DEBOUNCE_INTERVALS) {
        degraded = bad;
        streak = 0;
      }
    }
    onQuality({ sample: quality, degraded, deadAir });
  };

  // A baseline now, so the first report covers its own interval rather than the whole call.
  busy = true;
  void sample().then((s) => {
    busy = false;
    if (s) prev = s;
  });
  const handle = timers.setInterval(() => void tick(), intervalMs);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      timers.clearInterval(handle);
    },
  };
}
