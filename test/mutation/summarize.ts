// Writes test/mutation/SUMMARY.md from Stryker's JSON report: the score of each guarded file,
// the mutants that survived and the ones marked equivalent, with the reason given in the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}

const REPORT = 'reports/mutation/mutation.json';
const OUT = join('test', 'mutation', 'SUMMARY.md');
const TARGET = 90;

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as Report;
const detected = new Set(['Killed', 'Timeout']);
const undetected = new Set(['Survived', 'NoCoverage']);
const oneLine = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').slice(0, 80);

const rows: string[] = [];
const survivors: string[] = [];
const equivalents: string[] = [];
let below = 0;
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const count = (statuses: Set<string>) => mutants.filter((m) => statuses.has(m.status)).length;
  const killed = count(detected);
  const missed = count(undetected);
  const ignored = mutants.filter((m) => m.status === 'Ignored');
  const errors = mutants.length - killed - missed - ignored.length;
  const score = killed + missed === 0 ? 100 : (100 * killed) / (killed + missed);
  if (score < TARGET) below++;
  rows.push(`| \`${file}\` | ${mutants.length} | ${killed} | ${missed} | ${ignored.length} | ${errors} | ${score.toFixed(1)}% |`);
  const at = (m: Mutant) => `\`${file}:${m.location.start.line}\` ${m.mutatorName} → \`${oneLine(m.replacement)}\``;
  for (const m of mutants.filter((x) => undetected.has(x.status))) survivors.push(`- ${at(m)} (${m.status})`);
  for (const m of ignored) equivalents.push(`- ${at(m)}: ${oneLine(m.statusReason).replace(/^Ignored because of excluded mutation "\w+"$/, 'excluded')}`);
}

const text = [
  '# Mutation testing: the code that guards citizens and the city',
  '',
  `\`npm run mutate\` (StrykerJS, test/mutation/stryker.config.json) writes this file. Score = mutants detected (killed or timed out) ÷ (detected + survived + not covered); equivalent mutants, marked in the code with \`// Stryker disable\` and a reason, are left out. Target: ${TARGET}% per file.`,
  '',
  '| file | mutants | detected | undetected | equivalent | errors | score |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  below === 0 ? `Every file reaches ${TARGET}%.` : `${below} file(s) below ${TARGET}%.`,
  '',
  '## Undetected mutants',
  '',
  ...(survivors.length ? survivors : ['None.']),
  '',
  '## Equivalent mutants (left out of the score)',
  '',
  ...(equivalents.length ? equivalents : ['None.']),
  '',
];
writeFileSync(OUT, text.join('\n'));
console.log(`mutation summary: ${rows.length} files, ${below} below ${TARGET}% -> ${OUT}`);
