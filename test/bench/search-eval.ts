// `npm run eval:search`: evaluates the desk's search and the two baselines on the labelled set,
// writes the report and the regression baseline under test/fixtures/.
import { writeFileSync } from 'node:fs';
import { BASELINE_FILE, REPORT_FILE, buildEvalCache, desk, evaluate, loadEvalSet, plainUnicode61, reportMarkdown, trigramWithLike } from '../helpers/search-eval';

const set = loadEvalSet();
const cache = buildEvalCache();
const engines = { 'Minwon Desk': desk(cache), 'FTS5 unicode61': plainUnicode61(cache), 'FTS5 trigram + LIKE': trigramWithLike(cache) };
const results = Object.fromEntries(Object.entries(engines).map(([name, e]) => [name, evaluate(e.engine, set)]));
Object.values(engines).forEach((e) => e.close());
const report = reportMarkdown(results, set);
writeFileSync(REPORT_FILE, report);
writeFileSync(BASELINE_FILE, `${JSON.stringify(results['Minwon Desk']?.overall, null, 2)}\n`);
process.stdout.write(report);
