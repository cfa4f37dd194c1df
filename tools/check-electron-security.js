// Runs electronegativity over the Electron shell's sources and fails on any finding that the
// code does not explain. A finding is explained by an `eng-disable CHECK` comment on its line,
// with the reason beside it; the exclusions below are the tool's blind spots, each with its reason.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// (The tool's own -x flag refuses global checks' names, so they are filtered from its output here.)
const EXCLUDED = {
  // The CSP is a response header set by the app:// protocol handler (electron/shell/app-protocol.ts,
  // tested in test/unit/electron/shell/app-protocol.test.ts); the tool only finds <meta> tags and
  // webRequest hooks.
  CSP_GLOBAL_CHECK: 'header set by the app:// protocol handler',
};

const require = createRequire(import.meta.url);
const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
// SARIF, not CSV: the tool writes CSV's header and rows with two racing writes.
const out = join(mkdtempSync(join(tmpdir(), 'minwon-eng-')), 'findings.sarif');

execFileSync(process.execPath, [cli, '-i', 'electron/shell', '-r', '-e', electronVersion, '-o', out, '-v', 'false'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
/** @type {{ ruleId: string; message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[]} */
const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
const rows = results
  .filter((r) => !Object.hasOwn(EXCLUDED, r.ruleId))
  .map((r) => {
    const where = r.locations?.[0]?.physicalLocation;
    return `${r.ruleId} ${where ? `${where.artifactLocation.uri}:${where.region.startLine}` : ''} ${r.message.text}`;
  });
if (rows.length > 0) {
  console.error(`electronegativity: ${rows.length} unexplained finding(s) in electron/shell:`);
  for (const r of rows) console.error(`  ${r}`);
  process.exit(1);
}
console.log(`electronegativity: no unexplained finding in electron/shell (Electron ${electronVersion}; excluded: ${Object.keys(EXCLUDED).join(', ')})`);
