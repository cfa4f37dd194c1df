import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { departmentSchema, type Department } from '../../shared/directory';
import type { ManualEntryInput } from '../../shared/manual';
import { draftOf } from '../../shared/record';
import type { PhoneContext } from '../../shared/phone';
import type { Db } from '../store/db';
import { replaceDirectory } from '../store/directory';
import { putSynonym } from '../store/synonyms';
import { putSetting } from '../store/settings';
import { DEFAULT_SETTINGS, taxonomyOf } from '../../shared/settings';
import { synonymSchema, type Synonym } from '../../shared/sync';
import { countEntries, upsertEntries } from '../store/manual';
import { intakeBatch } from '../store/records';
import { createUser, findUser } from '../store/users';
import { parseManualFile } from '../import/parse-manual-file';
import { generateHistory } from './generate';
import { generateConsultations } from './consultations';
import { applySlots } from '../store/reservations';
import type { ReservationSlot } from '../../shared/reservation';
import { seoulDay, seoulInstant } from '../../shared/seoul-time';

export const DEMO_DIR = fileURLToPath(new URL('../../resources/demo/', import.meta.url));

/** The demo accounts; the README lists them. Passwords equal the usernames. */
export const DEMO_USERS = [
  { username: 'agent1', displayName: '김상담', role: 'agent' },
  { username: 'agent2', displayName: '이상담', role: 'agent' },
  { username: 'lead1', displayName: '박팀장', role: 'lead' },
  // SIP-only phones: trainers' practice callers and two department staff extensions (transfer targets).
  { username: 'citizen1', displayName: '연습 민원인 1', role: 'phone', practiceCaller: true },
  { username: 'citizen2', displayName: '연습 민원인 2', role: 'phone', practiceCaller: true },
  { username: '3511', displayName: '김민수 (요금관리과)', role: 'phone' },
  { username: '3512', displayName: '이서연 (요금관리과)', role: 'phone' },
  // The knowledge portal: department editors of the manual and the call center's reviewer.
  { username: 'water1', displayName: '최급수', role: 'editor', department: 'water-supply' },
  { username: 'billing1', displayName: '한요금', role: 'editor', department: 'water-billing' },
  { username: 'traffic1', displayName: '오교통', role: 'editor', department: 'traffic-admin' },
  { username: 'review1', displayName: '정지식', role: 'reviewer' },
  // The city's policy staff, who read the analysis of the records.
  { username: 'analyst1', displayName: '윤분석', role: 'analyst' },
  // The city's auditor, who plays recordings and follows the report cases (read-only, every access logged).
  { username: 'audit1', displayName: '강감사', role: 'auditor' },
] as const;

/** The hand-written demo manual and FAQ, every file of resources/demo/manual. */
export function loadDemoManual(): ManualEntryInput[] {
  const dir = join(DEMO_DIR, 'manual');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => {
      const parsed = parseManualFile(readFileSync(join(dir, f), 'utf8'), 'jsonl');
      if (parsed.problems.length) throw new Error(`demo file ${f}: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
      return parsed.entries;
    });
}

/** The demo city's synonym table (resources/demo/synonyms.json). */
export function loadDemoSynonyms(): Synonym[] {
  const raw = JSON.parse(readFileSync(join(DEMO_DIR, 'synonyms.json'), 'utf8')) as { synonyms: unknown[] };
  return raw.synonyms.map((s) => synonymSchema.parse(s));
}

export function loadDemoDirectory(): Department[] {
  const raw = JSON.parse(readFileSync(join(DEMO_DIR, 'departments.json'), 'utf8')) as { departments: unknown[] };
  return raw.departments.map((d) => departmentSchema.parse(d));
}

/** Reservation slots for the two weeks after `now`, on weekdays: what a city's desk books callers into. */
export function demoSlots(now: Date): ReservationSlot[] {
  const kinds = [
    { id: 'passport', topic: '여권 발급 상담', department: '민원여권과', at: '10:00', capacity: 3 },
    { id: 'tax', topic: '지방세 납부 상담', department: '세정과', at: '14:00', capacity: 2 },
    { id: 'welfare', topic: '복지 급여 상담', department: '복지정책과', at: '16:00', capacity: 2 },
  ];
  const slots: ReservationSlot[] = [];
  for (let d = 1; d <= 14; d++) {
    const { day } = seoulDay(new Date(now.getTime() + d * 86_400_000));
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const k of kinds) slots.push({ id: `${k.id}-${day}`, topic: k.topic, department: k.department, start: seoulInstant(day, k.at).toISOString(), minutes: 30, capacity: k.capacity });
  }
  return slots;
}

/**
 * Seeds an empty store with the demo data set: accounts, directory, synonyms, manual, FAQ and two months
 * of consultations, so screen-pops have history, and two weeks of reservation slots. Does nothing to a store that has entries.
 */
export async function seedDemo(db: Db, phone: PhoneContext, now: Date): Promise<boolean> {
  if ((await countEntries(db)) > 0) return false;
  const manual = loadDemoManual();
  await db.write(async (tx) => {
    const agents: string[] = [];
    // Editors write for a department of the directory: it comes first.
    await replaceDirectory(tx, loadDemoDirectory());
    for (const u of DEMO_USERS) {
      const user = (await findUser(tx, u.username)) ?? (await createUser(tx, { ...u, password: u.username }, now));
      if (u.role === 'agent') agents.push(user.id);
    }
    for (const s of loadDemoSynonyms()) await putSynonym(tx, s);
    await putSetting(tx, { key: 'notReadyReasons', value: DEFAULT_SETTINGS.notReadyReasons });
    await putSetting(tx, { key: 'wrapUpSeconds', value: DEFAULT_SETTINGS.wrapUpSeconds });
    await putSetting(tx, { key: 'taxonomy', value: [...taxonomyOf(manual.map((e) => e.category)), { name: '기타', subcategories: ['일반 문의'] }] });
    await upsertEntries(tx, manual, 'demo', now);
    const items = [
      ...generateHistory(600, 7, {
        callers: 150,
        agents,
        categories: [...new Set(manual.map((e) => e.category))],
        manualIds: manual.map((e) => e.id),
        until: now,
        days: 60,
      }),
    ];
    const reservations = { ...DEFAULT_SETTINGS.reservations, slots: demoSlots(now) };
    await putSetting(tx, { key: 'reservations', value: reservations });
    await applySlots(tx, reservations);
    for (const agentId of agents) {
      const records = items.filter((i) => i.agentId === agentId).map(draftOf);
      for (let i = 0; i < records.length; i += 500) {
        await intakeBatch(tx, { batchKey: randomUUID(), records: records.slice(i, i + 500) }, agentId, phone, now);
      }
    }
  });
  return true;
}

/** Days of consultations the demo's analysis has, up to yesterday. */
const DEMO_ANALYSIS_DAYS = 120;

/**
 * Four months of consultations up to yesterday, for the analysis's demo (seasons, weeks and a
 * rising topic), once: `minwon demo` adds them; the tests' demo servers do without.
 */
export async function seedDemoAnalysis(db: Db, phone: PhoneContext, now: Date): Promise<number> {
  if (await db.get("SELECT 1 FROM meta WHERE key = 'demo-analysis'")) return 0;
  const agents = await db.all<{ id: string }>("SELECT id FROM users WHERE role = 'agent' AND disabled = 0 ORDER BY username");
  if (agents.length === 0) return 0;
  const from = seoulDay(new Date(now.getTime() - DEMO_ANALYSIS_DAYS * 86_400_000)).day;
  const made = generateConsultations({ seed: 22, from, days: DEMO_ANALYSIS_DAYS, n: 6_000, numbers: 900 });
  let stored = 0;
  for (const [n, agent] of agents.entries()) {
    const mine = made.filter((m) => (Number(m.agent.replace('agent', '')) - 1) % agents.length === n).map((m) => m.draft);
    for (let i = 0; i < mine.length; i += 500) stored += (await intakeBatch(db, { batchKey: randomUUID(), records: mine.slice(i, i + 500) }, agent.id, phone, now)).accepted.length;
  }
  await db.run("INSERT INTO meta(key, value) VALUES ('demo-analysis', ?)", [now.toISOString()]);
  return stored;
}
