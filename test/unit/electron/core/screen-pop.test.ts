import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPageWriter, zeroCounts } from '../../../../electron/core/cache/apply-page';
import type { CacheDb } from '../../../../electron/core/cache/cache-db';
import { createOutbox } from '../../../../electron/core/outbox/outbox';
import { createUsageOutbox } from '../../../../electron/core/outbox/usage-outbox';
import { createScreenPop, openCallbacksOf } from '../../../../electron/core/screen-pop/screen-pop';
import { createSearchIndex } from '../../../../electron/core/search/search-index';
import { loadDemoManual } from '../../../../server/demo/seed';
import { coreContract, screenPopSchema, type ScreenPop } from '../../../../shared/contract';
import { IVR_MENU, ivrCategoryPrefixes } from '../../../../shared/ivr';
import type { ManualEntry } from '../../../../shared/manual';
import type { PhoneContext } from '../../../../shared/phone';
import type { HistoryItem, Outcome } from '../../../../shared/record';
import type { SyncChange } from '../../../../shared/sync';
import { testCore } from '../../../helpers/core';
import { draft } from '../../../helpers/records';
import { tempCacheDb } from '../../../helpers/temp-db';

const PHONE: PhoneContext = { areaCode: '054' };
const NOW = new Date('2026-11-28T03:00:00Z');
const CALLER = '010-2345-6789';
const CALLER_E164 = '+821023456789';
const OTHER_E164 = '+821098765432';
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

// A small manual: water, traffic, environment, residents, passport. `usage` is the city's count.
const MANUAL: [id: string, category: string, usage: number][] = [
  ['W-FEE', '상수도/요금', 50],
  ['W-LEAK-1', '상수도/누수', 10],
  ['W-LEAK-2', '상수도/누수', 5],
  ['W-QUALITY', '상수도/수질', 100],
  ['T-PARK', '교통/주정차단속', 200],
  ['T-FINE', '교통/과태료', 30],
  ['E-NOISE', '환경/소음·진동', 500],
  ['R-MOVE', '주민등록/전입', 0],
  ['P-FEE', '여권/수수료', 1000],
  // Deleted by the city below: the most used and linked everywhere, yet never to be suggested.
  ['W-GONE', '상수도/누수', 9999],
];

const open: CacheDb[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function entry(id: string, category: string, updatedAt = daysAgo(400)): ManualEntry {
  return { id, kind: id.startsWith('F') ? 'faq' : 'manual', category, title: `${id} 안내`, body: `${category} 안내`, keywords: [], department: null, updatedAt, version: 1 };
}

/** A desk cache filled the way a sync fills it, with the screen-pop over it. */
function desk() {
  const db = tempCacheDb('pop');
  open.push(db);
  const search = createSearchIndex(db, () => NOW);
  const writer = createPageWriter(db, search);
  let rev = 0;
  const apply = (changes: Omit<SyncChange, 'rev'>[]) =>
    writer.apply({ cursor: `test:${rev + changes.length}`, hasMore: false, reset: false, changes: changes.map((c) => ({ ...c, rev: ++rev }) as SyncChange) }, zeroCounts(), zeroCounts());
  apply([
    ...MANUAL.map(([id, category]) => ({ kind: 'entry' as const, key: id, data: entry(id, category) })),
    ...MANUAL.map(([id, , count]) => ({ kind: 'usage' as const, key: id, data: { id, count } })),
  ]);
  apply([{ kind: 'entry', key: 'W-GONE', data: null }]);
  const record = (o: { caller?: string | null; days: number; category: string; outcome?: Outcome; manualIds?: string[] }) => {
    const item: HistoryItem = {
      id: randomUUID(),
      callerE164: o.caller === undefined ? CALLER_E164 : o.caller,
      agentId: 'agent-b',
      startedAt: daysAgo(o.days),
      endedAt: new Date(Date.parse(daysAgo(o.days)) + 180_000).toISOString(),
      category: o.category,
      outcome: o.outcome ?? 'answered',
      manualIds: o.manualIds ?? [],
      notes: '',
      department: null,
    };
    apply([{ kind: 'history', key: item.id, data: item }]);
    return item;
  };
  const pop = createScreenPop(db, PHONE, () => NOW, search);
  const run = (number: string, ivr?: string, limit = 10, text?: string): ScreenPop => screenPopSchema.parse(pop.pop({ number, ivr, limit, text }));
  return { db, record, apply, pop: run };
}

const ids = (p: ScreenPop) => p.suggestions.map((s) => s.id);
const reasonsOf = (p: ScreenPop, id: string) => p.suggestions.find((s) => s.id === id)?.reasons;

/**
 * The ranked suggestions (IVR, history, resolved) and the popular ones filling up after them,
 * checking the fill's shape on the way: ranked first, the fill marked 'popular' only, no entry
 * twice, and up to 3 when something was ranked, 5 when nothing was (every desk here has the entries).
 */
function parts(p: ScreenPop): { ranked: string[]; popular: string[] } {
  const ranked = p.suggestions.filter((s) => !s.reasons.includes('popular'));
  const popular = p.suggestions.filter((s) => s.reasons.includes('popular'));
  expect(ids(p)).toEqual([...ranked, ...popular].map((s) => s.id));
  expect(popular.every((s) => s.reasons.join() === 'popular')).toBe(true);
  expect(new Set(ids(p)).size).toBe(p.suggestions.length);
  expect(p.suggestions.length).toBe(ranked.length >= 3 ? ranked.length : ranked.length > 0 ? 3 : 5);
  return { ranked: ranked.map((s) => s.id), popular: popular.map((s) => s.id) };
}

describe('screen-pop suggestions', () => {
  it("puts the IVR choice's entries first, most used first", () => {
    const d = desk();
    const fresh = d.pop('010-5555-0000', 'water');
    expect(ids(fresh)).toEqual(['W-QUALITY', 'W-FEE', 'W-LEAK-1', 'W-LEAK-2']);
    expect(parts(fresh).popular).toEqual([]);
    expect(fresh.suggestions.every((s) => s.reasons.join() === 'ivr')).toBe(true);

    // A caller who always called about traffic, now choosing water: water first, then the history.
    d.record({ days: 2, category: '교통/과태료' });
    d.record({ days: 3, category: '교통/과태료', manualIds: ['T-FINE'] });
    const p = d.pop(CALLER, 'water');
    expect(ids(p).slice(0, 4)).toEqual(['W-QUALITY', 'W-FEE', 'W-LEAK-1', 'W-LEAK-2']);
    expect(ids(p)[4]).toBe('T-FINE');
    expect(reasonsOf(p, 'T-FINE')).toEqual(['history', 'resolved']);
  });

  it('ranks an IVR entry the caller also needed before about the same above the others', () => {
    const d = desk();
    d.record({ days: 5, category: '상수도/누수' });
    const p = d.pop(CALLER, 'water');
    expect(ids(p).slice(0, 2)).toEqual(['W-LEAK-1', 'W-LEAK-2']);
    expect(reasonsOf(p, 'W-LEAK-1')).toEqual(['ivr', 'history']);
    expect(ids(p).slice(2)).toEqual(['W-QUALITY', 'W-FEE']);
  });

  it("follows the caller's recent categories, the more recent first, ignoring those over 90 days old", () => {
    const d = desk();
    d.record({ days: 80, category: '환경/소음·진동' });
    d.record({ days: 1, category: '교통/과태료' });
    d.record({ days: 120, category: '주민등록/전입' });
    const p = d.pop(CALLER);
    const { ranked, popular } = parts(p);
    // E-NOISE is used far more, but the traffic call was yesterday; the old residents call is no history.
    expect(ranked).toEqual(['T-FINE', 'E-NOISE']);
    expect(ranked.map((id) => reasonsOf(p, id))).toEqual([['history'], ['history']]);
    expect(popular).toEqual(['P-FEE']);
    expect(ids(p)).not.toContain('R-MOVE');
  });

  it('prefers the entries that answered the caller before, even over what answers others', () => {
    const d = desk();
    // The city answers leaks with the more used entry; this caller was answered with the other one.
    for (let i = 0; i < 5; i++) d.record({ caller: OTHER_E164, days: 2 + i, category: '상수도/누수', manualIds: ['W-LEAK-1'] });
    d.record({ days: 10, category: '상수도/누수', manualIds: ['W-LEAK-2'] });
    const p = d.pop(CALLER);
    const { ranked, popular } = parts(p);
    expect(ranked).toEqual(['W-LEAK-2', 'W-LEAK-1']);
    expect(popular).toEqual(['P-FEE']);
    expect(reasonsOf(p, 'W-LEAK-2')).toEqual(['history', 'resolved']);
    expect(reasonsOf(p, 'W-LEAK-1')).toEqual(['history', 'resolved']);
  });

  it('prefers, within a category, the entries that answer it city-wide over the more used ones', () => {
    const d = desk();
    d.record({ days: 10, category: '상수도/누수' });
    for (let i = 0; i < 3; i++) d.record({ caller: OTHER_E164, days: 20 + i, category: '상수도/누수', manualIds: ['W-LEAK-2'] });
    const p = d.pop(CALLER);
    const { ranked, popular } = parts(p);
    expect(ranked).toEqual(['W-LEAK-2', 'W-LEAK-1']);
    expect(popular).toEqual(['P-FEE']);
    expect(reasonsOf(p, 'W-LEAK-2')).toEqual(['history', 'resolved']);
    expect(reasonsOf(p, 'W-LEAK-1')).toEqual(['history']);
  });

  it("suggests what answers the caller's categories city-wide from any category, answered records only", () => {
    const d = desk();
    d.record({ days: 1, category: '상수도/요금', outcome: 'callback' });
    // Fee questions elsewhere in the city end with the quality entry.
    for (let i = 0; i < 4; i++) d.record({ caller: OTHER_E164, days: 20 + i, category: '상수도/요금', manualIds: ['W-QUALITY'] });
    d.record({ caller: null, days: 30, category: '상수도/요금', manualIds: ['T-PARK'], outcome: 'transferred' });
    const p = d.pop(CALLER);
    const { ranked, popular } = parts(p);
    expect(ranked).toEqual(['W-FEE', 'W-QUALITY']);
    expect(reasonsOf(p, 'W-FEE')).toEqual(['history']);
    expect(reasonsOf(p, 'W-QUALITY')).toEqual(['resolved']);
    // The transferred record's entry is not what resolves fee questions.
    expect(popular).toEqual(['P-FEE']);
    expect(ids(p)).not.toContain('T-PARK');
  });

  it('falls back to the most used entries when nothing is known about the call', () => {
    const d = desk();
    for (const ivr of [undefined, 'no-such-menu', 'constructor', '__proto__']) {
      const p = d.pop('010-5555-0000', ivr);
      expect(ids(p)).toEqual(['P-FEE', 'E-NOISE', 'T-PARK', 'W-QUALITY', 'W-FEE']);
      expect(p.suggestions.every((s) => s.reasons.join() === 'popular')).toBe(true);
      expect(parts(p).ranked).toEqual([]);
    }
  });

  it.each([
    ['', 'withheld'],
    ['anonymous', 'withheld'],
    ['sip:abc@pbx', 'invalid'],
    ['12', 'invalid'],
    ['119', 'short'],
  ])('pops %j (%s) with no history but still suggests from the IVR or what is popular', (number, kind) => {
    const d = desk();
    // Records without a caller number must not become anyone's history.
    d.record({ caller: null, days: 1, category: '환경/소음·진동', outcome: 'complaint' });
    const p = d.pop(number, 'traffic');
    expect(p.caller.kind).toBe(kind);
    expect(p.items).toEqual([]);
    expect(p.openCallbacks).toEqual([]);
    expect(p.callsLast30Days).toBe(0);
    expect(p.flags).toEqual({ repeat: false, unresolved: false });
    const { ranked, popular } = parts(p);
    expect(ranked).toEqual(['T-PARK', 'T-FINE']);
    expect(ranked.map((id) => reasonsOf(p, id))).toEqual([['ivr'], ['ivr']]);
    expect(popular).toEqual(['P-FEE']);
    // Without the IVR, only what is popular: the complaint about noise is nobody's history.
    const bare = d.pop(number);
    expect(parts(bare).ranked).toEqual([]);
    expect(ids(bare)).toEqual(['P-FEE', 'E-NOISE', 'T-PARK', 'W-QUALITY', 'W-FEE']);
    expect(reasonsOf(bare, 'E-NOISE')).toEqual(['popular']);
  });

  it('never suggests a deleted entry, however it is linked or used', () => {
    const d = desk();
    d.record({ days: 1, category: '상수도/누수', manualIds: ['W-GONE', 'W-LEAK-1'] });
    for (let i = 0; i < 5; i++) d.record({ caller: OTHER_E164, days: 2 + i, category: '상수도/누수', manualIds: ['W-GONE'] });
    for (const ivr of [undefined, 'water']) expect(ids(d.pop(CALLER, ivr))).not.toContain('W-GONE');
    // Nor as the most used entry when nothing is known about the call.
    const fresh = d.pop('010-5555-0000');
    expect(parts(fresh).ranked).toEqual([]);
    expect(ids(fresh)).not.toContain('W-GONE');

    // Deleted after it was suggested: gone at the next ring, ranked or popular.
    expect(parts(d.pop(CALLER)).ranked).toContain('W-LEAK-1');
    d.apply([{ kind: 'entry', key: 'W-LEAK-1', data: null }]);
    const after = d.pop(CALLER);
    expect(parts(after)).toEqual({ ranked: ['W-LEAK-2'], popular: ['P-FEE', 'E-NOISE'] });
    expect(ids(after)).not.toContain('W-LEAK-1');
    expect(ids(after)).not.toContain('W-GONE');
  });

  it('suggests entries for a category the manual lacks from its text within its top-level category', () => {
    const d = desk();
    d.record({ days: 1, category: '교통/과태료 문의' });
    const p = d.pop(CALLER);
    const { ranked } = parts(p);
    // Found by "과태료", though T-PARK is used more.
    expect(ranked[0]).toBe('T-FINE');
    const rankedOnes = p.suggestions.filter((s) => ranked.includes(s.id));
    expect(rankedOnes.every((s) => s.category.startsWith('교통/') && s.reasons.includes('history'))).toBe(true);

    // Nothing to find by its text: the top-level category's most used.
    const other = desk();
    other.record({ days: 1, category: '교통/일반' });
    const q = other.pop(CALLER);
    expect(parts(q)).toEqual({ ranked: ['T-PARK', 'T-FINE'], popular: ['P-FEE'] });
    expect(reasonsOf(q, 'T-PARK')).toEqual(['history']);
  });

  it('puts what a text inquiry’s words find first, the best match first, above the caller’s history', () => {
    const d = desk();
    d.record({ days: 2, category: '교통/과태료', manualIds: ['T-FINE'] });
    const p = d.pop(CALLER, undefined, 10, '여권 수수료가 얼마인가요?');
    expect(ids(p)[0]).toBe('P-FEE');
    expect(reasonsOf(p, 'P-FEE')).toEqual(['text']);
    expect(ids(p)).toContain('T-FINE');
    expect(ids(p).indexOf('T-FINE')).toBeGreaterThan(0);
    // Words the manual has nothing for change nothing.
    expect(ids(d.pop(CALLER, undefined, 10, 'zzqx'))).toEqual(ids(d.pop(CALLER)));
  });

  it('maps every IVR menu choice to categories of the demo manual', () => {
    const categories = new Set(loadDemoManual().map((e) => e.category));
    for (const id of Object.keys(IVR_MENU)) {
      const prefixes = ivrCategoryPrefixes(id);
      expect(prefixes.length, id).toBeGreaterThan(0);
      for (const p of prefixes) expect([...categories].some((c) => c.startsWith(p)), `${id}: ${p}`).toBe(true);
    }
    expect(ivrCategoryPrefixes('toString')).toEqual([]);
  });
});

describe('screen-pop popular fill', () => {
  /** Two entries used as much as each other, between P-FEE and E-NOISE: N-FRESH updated yesterday, N-AGED (first by id) 10 days ago. */
  const addTwins = (d: ReturnType<typeof desk>) =>
    d.apply([
      { kind: 'entry', key: 'N-AGED', data: entry('N-AGED', '민원/기타', daysAgo(10)) },
      { kind: 'entry', key: 'N-FRESH', data: entry('N-FRESH', '민원/기타', daysAgo(1)) },
      { kind: 'usage', key: 'N-AGED', data: { id: 'N-AGED', count: 800 } },
      { kind: 'usage', key: 'N-FRESH', data: { id: 'N-FRESH', count: 800 } },
    ]);

  it('pads fewer than three ranked entries to three with the most used others, the newest first among equals', () => {
    const d = desk();
    addTwins(d);
    // One ranked, and the most used entry of all: not offered again as popular.
    d.record({ days: 3, category: '여권/수수료' });
    const p = d.pop(CALLER);
    expect(parts(p)).toEqual({ ranked: ['P-FEE'], popular: ['N-FRESH', 'N-AGED'] });
    expect(reasonsOf(p, 'P-FEE')).toEqual(['history']);
    expect(p.suggestions[1]).toEqual({ id: 'N-FRESH', kind: 'manual', title: 'N-FRESH 안내', category: '민원/기타', reasons: ['popular'] });

    // This desk's uses not yet uploaded count as well: one more puts the older one ahead.
    createUsageOutbox(d.db).used('N-AGED');
    expect(parts(d.pop(CALLER))).toEqual({ ranked: ['P-FEE'], popular: ['N-AGED', 'N-FRESH'] });

    // Two ranked: one popular more.
    d.record({ days: 2, category: '교통/과태료' });
    expect(parts(d.pop(CALLER))).toEqual({ ranked: ['T-FINE', 'P-FEE'], popular: ['N-AGED'] });
  });

  it('offers the five most used live entries, the newest first among equals, when nothing is ranked', () => {
    const d = desk();
    addTwins(d);
    // W-GONE, deleted, is still the most used in entry_usage.
    expect(parts(d.pop('010-5555-0000'))).toEqual({ ranked: [], popular: ['P-FEE', 'N-FRESH', 'N-AGED', 'E-NOISE', 'T-PARK'] });
  });

  it('offers the most recently updated entries when there is no usage data at all', () => {
    const d = desk();
    d.apply(MANUAL.map(([id]) => ({ kind: 'usage' as const, key: id, data: null })));
    d.apply([
      { kind: 'entry', key: 'T-FINE', data: entry('T-FINE', '교통/과태료', daysAgo(3)) },
      { kind: 'entry', key: 'R-MOVE', data: entry('R-MOVE', '주민등록/전입', daysAgo(1)) },
      { kind: 'entry', key: 'W-LEAK-2', data: entry('W-LEAK-2', '상수도/누수', daysAgo(2)) },
    ]);
    expect(d.db.prepare('SELECT COUNT(*) AS n FROM entry_usage').get()).toEqual({ n: 0 });
    // The newest three, then the others (all updated the same day) by id.
    expect(parts(d.pop('010-5555-0000'))).toEqual({ ranked: [], popular: ['R-MOVE', 'W-LEAK-2', 'T-FINE', 'E-NOISE', 'P-FEE'] });
    // Ranked by the IVR alone (used alike: by id), then the newest not already ranked.
    expect(parts(d.pop('010-5555-0000', 'traffic'))).toEqual({ ranked: ['T-FINE', 'T-PARK'], popular: ['R-MOVE'] });
  });

  it('does not pad three or more ranked entries', () => {
    const d = desk();
    d.record({ days: 1, category: '상수도/누수' });
    d.record({ days: 2, category: '교통/과태료' });
    const p = d.pop(CALLER);
    expect(parts(p)).toEqual({ ranked: ['W-LEAK-1', 'W-LEAK-2', 'T-FINE'], popular: [] });
    expect(p.suggestions.every((s) => s.reasons.join() === 'history')).toBe(true);
    expect(parts(d.pop(CALLER, 'water'))).toEqual({ ranked: ['W-LEAK-1', 'W-LEAK-2', 'W-QUALITY', 'W-FEE', 'T-FINE'], popular: [] });
  });

  it('offers what the manual has when it has fewer entries than that', () => {
    const d = desk();
    d.apply(MANUAL.filter(([id]) => id !== 'R-MOVE' && id !== 'W-LEAK-2').map(([id]) => ({ kind: 'entry' as const, key: id, data: null })));
    for (const ivr of [undefined, 'traffic']) {
      const p = d.pop('010-5555-0000', ivr);
      expect(ids(p)).toEqual(['W-LEAK-2', 'R-MOVE']);
      expect(p.suggestions.every((s) => s.reasons.join() === 'popular')).toBe(true);
    }
  });
});

describe('screen-pop caller history and flags', () => {
  it('lists the history newest first, up to the limit, with records not yet uploaded marked pending', () => {
    const d = desk();
    const old = d.record({ days: 40, category: '상수도/요금' });
    const mid = d.record({ days: 20, category: '상수도/누수' });
    const outbox = createOutbox(d.db, { phone: PHONE, clock: () => NOW, agentId: () => 'agent-a' });
    const saved = draft({ callerNumber: CALLER, startedAt: daysAgo(0.5), endedAt: daysAgo(0.49) });
    outbox.save(saved);
    d.record({ caller: OTHER_E164, days: 1, category: '상수도/요금' });
    const p = d.pop(CALLER);
    expect(p.caller).toEqual({ kind: 'e164', e164: CALLER_E164, national: '010-2345-6789' });
    expect(p.items.map((i) => [i.id, i.pending])).toEqual([
      [saved.id, true],
      [mid.id, false],
      [old.id, false],
    ]);
    expect(p.callsLast30Days).toBe(2);
    expect(d.pop(CALLER, undefined, 2).items.map((i) => i.id)).toEqual([saved.id, mid.id]);
  });

  it('keeps a callback open until a later answered record of the same category', () => {
    const d = desk();
    const leak = d.record({ days: 10, category: '상수도/누수', outcome: 'callback' });
    d.record({ days: 5, category: '상수도/누수', outcome: 'answered' });
    d.record({ days: 9, category: '상수도/요금', outcome: 'answered' }); // before the fee callback
    const fee = d.record({ days: 8, category: '상수도/요금', outcome: 'callback' });
    d.record({ days: 4, category: '상수도/요금', outcome: 'transferred' }); // not an answer
    d.record({ days: 2, category: '교통/과태료', outcome: 'answered' }); // another category
    const p = d.pop(CALLER);
    expect(p.openCallbacks.map((c) => c.id)).toEqual([fee.id]);
    expect(p.openCallbacks.map((c) => c.id)).not.toContain(leak.id);
    expect(p.flags.unresolved).toBe(true);

    d.record({ days: 1, category: '상수도/요금', outcome: 'answered' });
    const after = d.pop(CALLER);
    expect(after.openCallbacks).toEqual([]);
    expect(after.flags.unresolved).toBe(false);
  });

  it('computes open callbacks from newest-first items alone', () => {
    const item = (category: string, outcome: Outcome) => ({ ...draft(), callerE164: CALLER_E164, agentId: 'a', category, outcome, pending: false });
    const a = item('가/나', 'callback');
    const b = item('가/나', 'callback');
    expect(openCallbacksOf([a, item('가/나', 'answered'), b])).toEqual([a]);
  });

  it.each([
    [[1, 6], true, '2 calls in 7 days'],
    [[1, 20], false, '1 call in 7 days, 2 in 30'],
    [[10, 15, 29], true, '3 calls in 30 days'],
    [[10, 31, 40], false, 'the others are older than 30 days'],
  ])('flags a repeat caller: %j → %s (%s)', (days, repeat) => {
    const d = desk();
    for (const day of days) d.record({ days: day, category: '상수도/요금' });
    expect(d.pop(CALLER).flags).toEqual({ repeat, unresolved: false });
  });

  it.each([
    ['complaint', true],
    ['callback', true],
    ['transferred', false],
    ['answered', false],
  ] as const)('flags as unresolved when the last record is a %s: %s', (outcome, unresolved) => {
    const d = desk();
    d.record({ days: 3, category: '교통/과태료', outcome: 'complaint' });
    d.record({ days: 2, category: '교통/과태료', outcome: 'answered' });
    d.record({ days: 1, category: '상수도/누수', outcome });
    expect(d.pop(CALLER).flags.unresolved).toBe(unresolved);
  });
});

describe('the screenPop method', () => {
  it('validates its params and fills the default limit', () => {
    const params = coreContract.methods.screenPop.params;
    expect(params.parse({ number: CALLER })).toEqual({ number: CALLER, limit: 10 });
    expect(params.parse({ number: '', ivr: 'water' })).toEqual({ number: '', ivr: 'water', limit: 10 });
    for (const bad of [{ number: CALLER, ivr: 'Water' }, { number: CALLER, ivr: '' }, { number: CALLER, ivr: 'x'.repeat(33) }, { number: 'x'.repeat(101) }, { number: CALLER, limit: 0 }, { number: CALLER, extra: 1 }]) {
      expect(params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('is wired into the agent core', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minwon-pop-core-')), 'cache.sqlite');
    const core = testCore(file, 'http://127.0.0.1:9');
    try {
      const pop = await core.handlers.screenPop({ number: 'anonymous', ivr: 'water', limit: 10 });
      expect(screenPopSchema.parse(pop)).toMatchObject({ caller: { kind: 'withheld' }, items: [], suggestions: [] });
    } finally {
      await core.close();
    }
  });
});
