import type { PracticeConfig } from '../../shared/practice';
import type { Logger } from '../core/sync/sync-engine';
import { attr, listenStatic, type StaticSite } from './static-site';

export interface PracticeHost {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the practice phone (renderer/practice.html): a minimal phone that trainers use to call the
 * representative number as a citizen would, and that tests use as the citizen. It gets a SIP-only
 * account (role 'phone'); loopback only.
 */
export async function startPracticeHost(o: { staticDir: string; port: number; host?: string; config: PracticeConfig; logger: Logger }): Promise<PracticeHost> {
  const host = o.host ?? '127.0.0.1';
  const site: StaticSite = {
    root: o.staticDir,
    index: 'practice.html',
    headTags: (file) => (file.endsWith('practice.html') ? `<meta name="minwon-practice" content="${attr(JSON.stringify(o.config))}" />` : ''),
    connectSrc: [new URL(o.config.account.wsUrl).origin],
    hostNames: [host, 'localhost'],
  };
  const { server, port } = await listenStatic(site, { port: o.port, host, what: 'practice host', logger: o.logger });
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
