import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQualityMonitor, estimateMos, extractStatsSnapshot, qualityFromStats, type QualityReport, type StatsSnapshot } from '../../../../renderer/phone/call-quality';

describe('estimateMos (simplified G.107 E-model)', () => {
  it('gives about 4.4 on a perfect network, the narrowband ceiling', () => {
    expect(estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: 0 })).toBeCloseTo(4.4, 1);
    expect(estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: 0, codec: 'g711' })).toBeCloseTo(4.4, 1);
  });

  it('drops with 200 ms of round trip and 3 % loss, and is poor at 10 % loss', () => {
    const perfect = estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: 0 });
    const slowLossy = estimateMos({ rttMs: 200, jitterMs: 0, lossPercent: 3 });
    expect(slowLossy).toBeLessThan(perfect - 0.3);
    expect(slowLossy).toBeCloseTo(4.04, 2);
    expect(estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: 10 })).toBeLessThan(3.6);
    expect(estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: 10 })).toBeCloseTo(3.4, 1);
  });

  it('charges delay past 177 ms one way much harder than below it', () => {
    const at = (rttMs: number) => estimateMos({ rttMs, jitterMs: 0, lossPercent: 0 });
    expect(at(100) - at(200)).toBeLessThan(0.06);
    expect(at(500) - at(600)).toBeGreaterThan(0.2);
  });

  it('never rises with more loss, delay or jitter, and stays within 1..4.5', () => {
    for (const codec of ['opus', 'g711'] as const) {
      for (const rttMs of [0, 150, 400, 1200]) {
        for (const jitterMs of [0, 30, 120]) {
          let last = Infinity;
          for (let lossPercent = 0; lossPercent <= 100; lossPercent += 0.5) {
            const mos = estimateMos({ rttMs, jitterMs, lossPercent, codec });
            expect(mos).toBeLessThanOrEqual(last);
            expect(mos).toBeGreaterThanOrEqual(1);
            expect(mos).toBeLessThanOrEqual(4.5);
            last = mos;
          }
        }
      }
    }
    expect(estimateMos({ rttMs: 100, jitterMs: 10, lossPercent: 1 })).toBeGreaterThan(estimateMos({ rttMs: 300, jitterMs: 10, lossPercent: 1 }));
    expect(estimateMos({ rttMs: 100, jitterMs: 10, lossPercent: 1 })).toBeGreaterThan(estimateMos({ rttMs: 100, jitterMs: 40, lossPercent: 1 }));
  });

  it('treats nonsense input as no impairment rather than NaN', () => {
    expect(estimateMos({ rttMs: Number.NaN, jitterMs: -5, lossPercent: Number.NaN })).toBeCloseTo(4.4, 1);
    expect(estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: 250 })).toBe(estimateMos({ rttMs: 0, jitterMs: 0, lossPercent: 100 }));
  });
});

describe('qualityFromStats', () => {
  const base: StatsSnapshot = { packetsReceived: 1000, packetsLost: 10, jitter: 0.004, roundTripTime: 0.04, fractionLost: 0 };

  it('computes loss over the interval, not since the call began', () => {
    const q = qualityFromStats(base, { ...base, packetsReceived: 1940, packetsLost: 70 });
    expect(q).toMatchObject({ inboundLossPercent: 6, outboundLossPercent: 0, lossPercent: 6, jitterMs: 4, rttMs: 40, level: 'poor' });
    const clean = qualityFromStats(base, { ...base, packetsReceived: 1100 });
    expect(clean).toMatchObject({ lossPercent: 0, level: 'good' });
    expect(clean?.mos).toBeGreaterThan(4.3);
  });

  it('measures from zero without a previous snapshot', () => {
    expect(qualityFromStats(null, { packetsReceived: 98, packetsLost: 2 })).toMatchObject({ inboundLossPercent: 2, rttMs: null, jitterMs: null });
  });

  it('takes the new totals as the interval when the counters restart', () => {
    const q = qualityFromStats({ packetsReceived: 5000, packetsLost: 50 }, { packetsReceived: 98, packetsLost: 2 });
    expect(q?.inboundLossPercent).toBeCloseTo(2, 5);
  });

  it('never reports negative loss when late packets shrink packetsLost', () => {
    expect(qualityFromStats({ packetsReceived: 1000, packetsLost: 10 }, { packetsReceived: 1100, packetsLost: 8 })?.inboundLossPercent).toBe(0);
  });

  it('uses the worse direction: the far end reporting loss on what the agent sends', () => {
    const q = qualityFromStats(base, { ...base, packetsReceived: 1100, fractionLost: 0.08 });
    expect(q).toMatchObject({ inboundLossPercent: 0, outboundLossPercent: 8, lossPercent: 8, level: 'poor' });
  });

  it('has no sample when nothing flowed either way (on hold)', () => {
    const held: StatsSnapshot = { packetsReceived: 1000, packetsLost: 10, jitter: 0.004 };
    expect(qualityFromStats(held, held)).toBeNull();
    expect(qualityFromStats(null, {})).toBeNull();
  });

  it('prefers the RTCP round trip and falls back to the ICE one', () => {
    expect(qualityFromStats(null, { packetsReceived: 10, roundTripTime: 0.3, currentRoundTripTime: 0.02 })?.rttMs).toBeCloseTo(300);
    expect(qualityFromStats(null, { packetsReceived: 10, currentRoundTripTime: 0.02 })?.rttMs).toBeCloseTo(20);
  });

  it('grades fair between 3.6 and 4.0, and poor on jitter alone', () => {
    expect(qualityFromStats(null, { packetsReceived: 950, packetsLost: 50 })).toMatchObject({ level: 'fair' });
    const jittery = qualityFromStats(null, { packetsReceived: 1000, packetsLost: 0, jitter: 0.07 });
    expect(jittery?.mos).toBeGreaterThan(4);
    expect(jittery?.level).toBe('poor');
  });
});

/** What Chromium's getStats() returns for a JsSIP call (trimmed, but with the same shapes). */
function chromiumStats(n: { received: number; lost: number; jitter: number; rtt?: number; fractionLost?: number; iceRtt?: number }) {
  return [
    { id: 'CIT01_111_minptime=10;useinbandfec=1', type: 'codec', timestamp: 1, mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111, transportId: 'T01' },
    { id: 'CIT01_0', type: 'codec', timestamp: 1, mimeType: 'audio/PCMU', clockRate: 8000, payloadType: 0, transportId: 'T01' },
    { id: 'CP1', type: 'candidate-pair', timestamp: 1, state: 'succeeded', nominated: false, currentRoundTripTime: 0.9, transportId: 'T01' },
    { id: 'CP2', type: 'candidate-pair', timestamp: 1, state: 'succeeded', nominated: true, currentRoundTripTime: n.iceRtt, transportId: 'T01' },
    { id: 'IT01A1', type: 'inbound-rtp', timestamp: 1, kind: 'audio', ssrc: 1, mid: '0', codecId: 'CIT01_111_minptime=10;useinbandfec=1', packetsReceived: n.received, packetsLost: n.lost, jitter: n.jitter, jitterBufferDelay: 5.2, totalSamplesReceived: 480000, concealedSamples: 1200, audioLevel: 0.02 },
    { id: 'IT01V2', type: 'inbound-rtp', timestamp: 1, kind: 'video', ssrc: 2, packetsReceived: 99999, packetsLost: 9999, jitter: 0.5 },
    { id: 'OT01A3', type: 'outbound-rtp', timestamp: 1, kind: 'audio', ssrc: 3, packetsSent: 5000, bytesSent: 400000, remoteId: 'RIA3' },
    { id: 'P', type: 'peer-connection', timestamp: 1, dataChannelsOpened: 0 },
    { id: 'RIA3', type: 'remote-inbound-rtp', timestamp: 1, kind: 'audio', ssrc: 3, localId: 'OT01A3', packetsLost: 3, jitter: 0.002, roundTripTime: n.rtt, fractionLost: n.fractionLost, roundTripTimeMeasurements: 12 },
    { id: 'SA4', type: 'media-source', timestamp: 1, kind: 'audio', trackIdentifier: 'abc', audioLevel: 0.1 },
    { id: 'T01', type: 'transport', timestamp: 1, dtlsState: 'connected', iceState: 'connected', selectedCandidatePairId: 'CP2', bytesSent: 1, bytesReceived: 1 },
  ];
}

describe('extractStatsSnapshot', () => {
  it('reads the audio fields from a Chromium report, as a list or as a Map', () => {
    const stats = chromiumStats({ received: 5000, lost: 25, jitter: 0.012, rtt: 0.085, fractionLost: 0.0078125, iceRtt: 0.08 });
    const expected: StatsSnapshot = { packetsReceived: 5000, packetsLost: 25, jitter: 0.012, roundTripTime: 0.085, fractionLost: 0.0078125, currentRoundTripTime: 0.08, codec: 'opus' };
    expect(extractStatsSnapshot(stats)).toEqual(expected);
    expect(extractStatsSnapshot(new Map(stats.map((s) => [s.id, s])))).toEqual(expected);
  });

  it('leaves out what the report lacks, e.g. before the first RTCP receiver report', () => {
    const snapshot = extractStatsSnapshot(chromiumStats({ received: 10, lost: 0, jitter: 0 }));
    expect(snapshot.roundTripTime).toBeUndefined();
    expect(snapshot.fractionLost).toBeUndefined();
    expect(snapshot.currentRoundTripTime).toBeUndefined();
    expect(snapshot.packetsReceived).toBe(10);
  });

  it('sums the audio streams when an SSRC change leaves the old one in the report', () => {
    const stats = [
      { id: 'a', type: 'inbound-rtp', kind: 'audio', packetsReceived: 100, packetsLost: 1, jitter: 0.01 },
      { id: 'b', type: 'inbound-rtp', mediaType: 'audio', packetsReceived: 50, packetsLost: 4, jitter: 0.03 },
    ];
    expect(extractStatsSnapshot(stats)).toMatchObject({ packetsReceived: 150, packetsLost: 5, jitter: 0.03 });
  });

  it('finds the pair in use the Firefox way, and maps G.711', () => {
    const stats = [
      { id: 'c', type: 'codec', mimeType: 'audio/PCMA' },
      { id: 'i', type: 'inbound-rtp', kind: 'audio', codecId: 'c', packetsReceived: 1 },
      { id: 'p1', type: 'candidate-pair', selected: false, currentRoundTripTime: 0.5 },
      { id: 'p2', type: 'candidate-pair', selected: true, currentRoundTripTime: 0.03 },
    ];
    expect(extractStatsSnapshot(stats)).toMatchObject({ codec: 'g711', currentRoundTripTime: 0.03 });
  });

  it('never throws on malformed input', () => {
    expect(extractStatsSnapshot([null, 42, 'x', ['k'], { type: 'inbound-rtp', kind: 'audio', packetsReceived: '12', jitter: Number.NaN }])).toEqual({});
    expect(extractStatsSnapshot(undefined as unknown as Iterable<unknown>)).toEqual({});
    const broken: Iterable<unknown> = {
      [Symbol.iterator]: () => ({
        next: () => {
          throw new Error('gone');
        },
      }),
    };
    expect(extractStatsSnapshot(broken)).toEqual({});
  });
});

describe('createQualityMonitor', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** getStats() answers from a script: a cumulative step per call, or a failure. */
  function scripted(steps: ({ received: number; lost: number } | 'fail')[], expectingAudio?: () => boolean) {
    let received = 0;
    let lost = 0;
    let calls = 0;
    const getStats = vi.fn(async (): Promise<Iterable<unknown>> => {
      const step = steps[calls++] ?? { received: 100, lost: 0 };
      if (step === 'fail') throw new Error('pc closed');
      received += step.received;
      lost += step.lost;
      return chromiumStats({ received, lost, jitter: 0.005, rtt: 0.05, fractionLost: 0, iceRtt: 0.05 });
    });
    const reports: QualityReport[] = [];
    const clear = vi.fn((h: ReturnType<typeof setInterval>) => clearInterval(h));
    const monitor = createQualityMonitor({
      getStats,
      timers: { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: clear },
      onQuality: (r) => reports.push(r),
      ...(expectingAudio ? { expectingAudio } : {}),
    });
    return { getStats, reports, monitor, clear };
  }
  const good = { received: 100, lost: 0 };
  const poor = { received: 80, lost: 20 };

  it('reports each interval from the baseline taken at start', async () => {
    const m = scripted([{ received: 5000, lost: 500 }, { received: 99, lost: 1 }]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(m.reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // The 10 % lost before monitoring began does not count against this interval.
    expect(m.reports).toHaveLength(1);
    expect(m.reports[0]?.sample?.inboundLossPercent).toBeCloseTo(1);
    m.monitor.stop();
  });

  it('raises the warning after two poor intervals in a row and clears it after two better ones', async () => {
    const m = scripted([good, poor, good, poor, poor, poor, good, poor, good, good]);
    await vi.advanceTimersByTimeAsync(9 * 2000);
    expect(m.reports.map((r) => r.sample?.level)).toEqual(['poor', 'good', 'poor', 'poor', 'poor', 'good', 'poor', 'good', 'good']);
    expect(m.reports.map((r) => r.degraded)).toEqual([false, false, false, true, true, true, true, true, false]);
    m.monitor.stop();
  });

  it('calls two intervals without a packet dead air, whatever the last receiver report said, until audio returns', async () => {
    const silent = { received: 0, lost: 0 };
    const m = scripted([good, good, silent, silent, silent, good, silent]);
    await vi.advanceTimersByTimeAsync(6 * 2000);
    expect(m.reports.map((r) => r.deadAir)).toEqual([false, false, true, true, false, false]);
    // No sample while silent: the far end's last report (no loss) would read as good.
    expect(m.reports.map((r) => r.sample?.level ?? null)).toEqual(['good', null, null, null, 'good', null]);
    m.monitor.stop();
  });

  it('expects no audio while the call is held', async () => {
    const silent = { received: 0, lost: 0 };
    let held = true;
    const m = scripted([good, silent, silent, silent, silent], () => !held);
    await vi.advanceTimersByTimeAsync(3 * 2000);
    expect(m.reports.map((r) => r.deadAir)).toEqual([false, false, false]);
    held = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(m.reports.map((r) => r.deadAir)).toEqual([false, false, false, false]);
    m.monitor.stop();
  });

  it('rates nothing while the call is held: its last packets before the pause would read as loss', async () => {
    let held = false;
    const m = scripted([good, poor, poor, good], () => !held);
    await vi.advanceTimersByTimeAsync(2000);
    held = true;
    await vi.advanceTimersByTimeAsync(2 * 2000);
    // Two poor intervals on hold: no sample, and no warning raised for them.
    expect(m.reports.map((r) => [r.sample?.level ?? null, r.degraded])).toEqual([
      ['poor', false],
      [null, false],
      [null, false],
    ]);
    m.monitor.stop();
  });

  it('swallows a getStats failure as an interval without a sample that counts for neither side', async () => {
    const m = scripted([good, poor, 'fail', poor, 'fail', good]);
    await vi.advanceTimersByTimeAsync(5 * 2000);
    expect(m.reports.map((r) => r.sample?.level ?? null)).toEqual(['poor', null, 'poor', null, 'good']);
    expect(m.reports.map((r) => r.degraded)).toEqual([false, false, true, true, true]);
    m.monitor.stop();
  });

  it('stops polling and drops an answer that arrives after stop()', async () => {
    const m = scripted([good, good]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(m.reports).toHaveLength(1);
    let answer: (r: Iterable<unknown>) => void = () => {};
    m.getStats.mockImplementationOnce(() => new Promise((resolve) => void (answer = resolve)));
    await vi.advanceTimersByTimeAsync(2000);
    m.monitor.stop();
    answer(chromiumStats({ received: 1, lost: 0, jitter: 0 }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(m.reports).toHaveLength(1);
    expect(m.getStats).toHaveBeenCalledTimes(3);
    expect(m.clear).toHaveBeenCalledTimes(1);
    m.monitor.stop();
    expect(m.clear).toHaveBeenCalledTimes(1);
  });

  it('does not pile up calls behind a slow getStats()', async () => {
    const m = scripted([good]);
    let answer: (r: Iterable<unknown>) => void = () => {};
    m.getStats.mockImplementation(() => new Promise((resolve) => void (answer = resolve)));
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(6000);
    expect(m.getStats).toHaveBeenCalledTimes(2);
    answer(chromiumStats({ received: 200, lost: 0, jitter: 0.005, rtt: 0.05, fractionLost: 0 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(m.reports.map((r) => r.sample?.level)).toEqual(['good']);
    m.monitor.stop();
  });
});
