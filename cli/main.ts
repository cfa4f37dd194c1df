import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HELP, UsageError } from './usage';
import { runServer } from './commands/server';
import { runImport } from './commands/import';
import { runUser } from './commands/user';
import { runSync } from './commands/sync';
import { runHost } from './commands/host';
import { runDemo } from './commands/demo';
import { runGenerate } from './commands/generate';
import { runSearch } from './commands/search';
import { runIndex } from './commands/index';
import { runSip } from './commands/sip';
import { runPractice } from './commands/practice';
import { runRelease } from './commands/release';
import { runMigrateStore } from './commands/migrate-store';
import { runCarrier } from './commands/carrier';
import { runReport, runRollups } from './commands/report';

export type Args = ReturnType<typeof parseArgs<{ options: NonNullable<ParseArgsConfig['options']>; allowPositionals: true; strict: true }>>;

const OPTIONS = {
  server: { data: { type: 'string' }, database: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, demo: { type: 'boolean' }, 'area-code': { type: 'string' }, 'token-ttl': { type: 'string' }, 'sip-domain': { type: 'string' }, 'sip-ws': { type: 'string' }, stun: { type: 'string' }, 'trust-proxy': { type: 'string' }, 'sms-carrier': { type: 'string' }, recordings: { type: 'string' }, 'recording-spool': { type: 'string' } },
  import: { data: { type: 'string' }, database: { type: 'string' }, prune: { type: 'boolean' }, by: { type: 'string' } },
  'migrate-store': { from: { type: 'string' }, to: { type: 'string' } },
  carrier: { city: { type: 'string' }, port: { type: 'string' }, receipt: { type: 'string' }, 'receipt-delay': { type: 'string' } },
  user: { data: { type: 'string' }, database: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' }, password: { type: 'string' }, 'practice-caller': { type: 'boolean' } },
  sync: { 'cache-key-file': { type: 'string' }, server: { type: 'string' }, cache: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, json: { type: 'boolean' }, 'area-code': { type: 'string' }, 'page-rows': { type: 'string' } },
  host: { 'cache-key-file': { type: 'string' }, server: { type: 'string' }, cache: { type: 'string' }, port: { type: 'string' }, static: { type: 'string' }, 'sip-ws': { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, interval: { type: 'string' }, 'area-code': { type: 'string' } },
  demo: { data: { type: 'string' }, port: { type: 'string' }, 'desk-port': { type: 'string' }, 'ws-port': { type: 'string' }, 'sip-port': { type: 'string' }, pbx: { type: 'string' }, 'carrier-port': { type: 'string' } },
  generate: { count: { type: 'string' }, seed: { type: 'string' } },
  report: { data: { type: 'string' }, database: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, channels: { type: 'string' }, grain: { type: 'string' } },
  rollups: { data: { type: 'string' }, database: { type: 'string' } },
  search: { 'cache-key-file': { type: 'string' }, cache: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, category: { type: 'string' } },
  index: { 'cache-key-file': { type: 'string' }, cache: { type: 'string' }, manual: { type: 'string' }, synonyms: { type: 'string' } },
  sip: {
    data: { type: 'string' },
    'ws-port': { type: 'string' },
    'sip-port': { type: 'string' },
    'max-expires': { type: 'string' },
    'ng-port': { type: 'string' },
    'rtp-ports': { type: 'string' },
    pbx: { type: 'string' },
    'bypass-media-gateway': { type: 'boolean' },
    'no-recording': { type: 'boolean' },
  },
  practice: { server: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, port: { type: 'string' }, number: { type: 'string' }, static: { type: 'string' } },
  release: {
    out: { type: 'string' },
    pin: { type: 'string' },
    note: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'string' },
    channel: { type: 'string' },
    platform: { type: 'string' },
    arch: { type: 'string' },
    serial: { type: 'string' },
    staging: { type: 'string' },
    'expires-days': { type: 'string' },
    'updater-metadata': { type: 'boolean' },
    feed: { type: 'string' },
    keys: { type: 'string' },
  },
} satisfies Record<string, NonNullable<ParseArgsConfig['options']>>;

type Command = keyof typeof OPTIONS;
const RUN: Record<Command, (args: Args) => Promise<number>> = {
  server: runServer,
  import: runImport,
  user: runUser,
  sync: runSync,
  host: runHost,
  demo: runDemo,
  generate: runGenerate,
  search: runSearch,
  index: runIndex,
  sip: runSip,
  practice: runPractice,
  release: runRelease,
  'migrate-store': runMigrateStore,
  carrier: runCarrier,
  report: runReport,
  rollups: runRollups,
};

/** Runs one `minwon` command; resolves to the process exit code (2 for a usage error). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (!(command in OPTIONS)) {
    process.stderr.write(`minwon: unknown command ${command}\n\n${HELP}`);
    return 2;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(HELP);
      return 0;
    }
    const args = parseArgs({ args: rest, options: OPTIONS[command as Command], allowPositionals: true, strict: true }) as Args;
    return await RUN[command as Command](args);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`minwon ${command}: ${err.message}\nSee: minwon help\n`);
      return 2;
    }
    process.stderr.write(`minwon ${command}: ${err.message}\n`);
    return 1;
  }
}
