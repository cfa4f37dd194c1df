import { createAgentCore } from '../../electron/core/agent-core';
import type { SyncReport } from '../../shared/contract';
import { SYNC_PAGE } from '../../shared/sync';
import { areaCode, cacheKey, credentials, flag, int, required } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';

function describe(r: SyncReport): string {
  const kinds = (c: SyncReport['upserts']) => `${c.entry} entries, ${c.department} departments, ${c.history} history`;
  return [
    `pulled ${r.pages} page(s)${r.reset ? ' (full resync: the server is a different database)' : ''}`,
    `  updated: ${kinds(r.upserts)}`,
    `  deleted: ${kinds(r.deletes)}`,
    `uploaded ${r.uploaded} record(s), ${r.rejected} refused`,
    `cursor ${r.cursor ?? '(none)'}`,
  ].join('\n');
}

export async function runSync(args: Args): Promise<number> {
  const logger = createStderrLogger('sync', true);
  const cacheFile = required(args, 'cache');
  const core = createAgentCore({
    cacheFile,
    cacheKey: cacheKey(args, cacheFile),
    server: { baseUrl: required(args, 'server'), credentials: credentials(args), pageRows: int(args, 'page-rows', SYNC_PAGE.maxRows, 1, SYNC_PAGE.maxRows) },
    phone: areaCode(args),
    logger,
  });
  try {
    const report = await core.syncNow();
    process.stdout.write(flag(args, 'json') ? `${JSON.stringify(report)}\n` : `${describe(report)}\n`);
    return 0;
  } finally {
    await core.close();
  }
}
