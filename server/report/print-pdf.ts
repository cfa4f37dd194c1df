import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Chromium for printing: CHROMIUM_PATH, or the distribution's. */
function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('printing a PDF needs Chromium: apt-get install chromium (or set CHROMIUM_PATH)');
  return found;
}

const PRINT_TIMEOUT_MS = 60_000;

/** Prints an HTML page to PDF with headless Chromium, offline (the page holds everything it shows). */
export async function printPdf(html: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'minwon-report-'));
  try {
    const page = join(dir, 'report.html');
    const out = join(dir, 'report.pdf');
    await writeFile(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-pdf-header-footer',
      `--user-data-dir=${join(dir, 'profile')}`,
      // Root cannot have Chromium's sandbox (a server run as root, a container).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      `--print-to-pdf=${out}`,
      `file://${page}`,
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(chromiumPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), PRINT_TIMEOUT_MS);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0 && existsSync(out)) resolve();
        else reject(new Error(`Chromium could not print the report (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`));
      });
    });
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
