import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PhoneContext } from '../shared/phone';
import { buildApp, type Logger } from './http/app';
import { seedDemo, seedDemoAnalysis } from './demo/seed';
import { openCityDb } from './store/db';
import { openPostgresStore } from './store/postgres-store';
import type { CityStore } from './store/sql';
import { openMonitoringKey, sharedMonitoringKey } from './store/monitoring';
import { presenceBoard } from './store/presence';
import { createDistributor } from './work/distributor';
import { purgeExpired } from './store/retention';
import { purgeRecordings } from './store/recordings';
import { openRecordingVault, recordingKey } from './recording/vault';
import { createGatewaySpool, gatewaySpoolDir } from './recording/gateway-spool';
import { takeGatewayRecordings } from './recording/take-gateway';
import { ensureRollups } from './store/rollups';
import { publishDue } from './store/manual-drafts';
import { createSmsSender, type SmsCarrier } from './store/sms';
import { fileSmsCarrier } from './carrier/file-carrier';
import { httpSmsCarrier } from './carrier/http-carrier';
import { provisionSip, setSipSettings } from './store/sip-provisioning';
import { openSipStore } from './store/sip-store';

export interface CityServerOptions {
  dataDir: string;
  /** A postgres:// URL: the store on PostgreSQL (several instances may share it); else SQLite in dataDir. */
  database?: string;
  port: number;
  host?: string;
  demo?: boolean;
  /** With `demo`: months of consultations for the analysis too (`minwon demo`; tests go without). */
  demoAnalysis?: boolean;
  phone?: PhoneContext;
  tokenTtlMs?: number;
  /** The SIP domain phones register in (default 127.0.0.1) and the SIP server's WebSocket address. */
  sip?: { domain?: string; wsUrl?: string; stunServers?: string[] };
  logger: Logger;
  clock?: () => Date;
  /** The city's SMS gateway; by default the carrier at `sms.carrierUrl`, else a file of sent messages in the data folder. */
  smsCarrier?: SmsCarrier;
  /** The SMS gateway: the secret both sides sign with (MINWON_SMS_SECRET) and the carrier's API. */
  sms?: { secret?: string; carrierUrl?: string };
  /** The secret the city's PBX signs its IVR callback requests with (MINWON_PBX_SECRET). */
  pbxSecret?: string;
  /** Load balancers whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated). */
  trustProxy?: string;
  /** The built renderer holding the knowledge portal (default: this checkout's dist/renderer). */
  portalDir?: string;
  /** How often scheduled manual entries are checked for their day (default 10 s). */
  publishCheckMs?: number;
  /** Where call recordings are kept (default DATA/recordings; with PostgreSQL, a folder every instance shares). */
  recordingsDir?: string;
  /** The gateway's recording spool to take finished calls from (default DATA/recording-spool, where `minwon sip --data DATA` has rtpengine record). */
  recordingSpool?: string;
  /** How often the spool is looked at (default 2 s). */
  recordingSpoolMs?: number;
}

/** Where `npm run build:renderer` leaves the pages, the knowledge portal among them. */
export const PORTAL_DIR = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

export interface RunningCityServer {
  url: string;
  db: CityStore;
  close(): Promise<void>;
}

export const DEFAULT_PHONE: PhoneContext = { areaCode: '054', region: 'KR' };

/** The desks' update feed inside a data folder: `updates/<channel>/`. */
export function updatesDir(dataDir: string): string {
  return join(dataDir, 'updates');
}

/** The store file inside a data folder. */
export function cityDbFile(dataDir: string): string {
  return join(dataDir, 'city.sqlite');
}

/** Opens the store in `dataDir` (seeding demo data on first start when asked) and serves the API. */
export async function startCityServer(o: CityServerOptions): Promise<RunningCityServer> {
  mkdirSync(o.dataDir, { recursive: true });
  const db = o.database ? await openPostgresStore(o.database) : openCityDb(cityDbFile(o.dataDir));
  const clock = o.clock ?? (() => new Date());
  const phone = o.phone ?? DEFAULT_PHONE;
  if (o.demo && (await seedDemo(db, phone, clock()))) o.logger.info('seeded the demo data set');
  if (o.demo && o.demoAnalysis) {
    const n = await seedDemoAnalysis(db, phone, clock());
    if (n > 0) o.logger.info(`seeded ${n} consultations for the analysis`);
  }
  // The upgrade that added the analysis's rollups leaves them to be built once from the records.
  if (await ensureRollups(db)) o.logger.info('built the analysis rollups from the records');
  if (o.sip) await setSipSettings(db, o.sip);
  const sip = openSipStore(db, o.dataDir);
  o.logger.info(`provisioned ${await provisionSip(db, sip.db)} SIP account(s) in ${sip.where}`);
  const presence = presenceBoard(sip.db);
  // Callbacks are offered to ready agents every second (and at once when one turns ready).
  const distributor = createDistributor({ db, presence, clock, sip: sip.db, phone });
  const offerTimer = setInterval(() => void distributor.run().catch((e: Error) => o.logger.warn(`callbacks: ${e.message}`)), 1_000);
  offerTimer.unref();
  // The SMS gateway is the carrier's; without one configured a file stands in for it (DATA/sms-sent.jsonl).
  const carrier =
    o.smsCarrier ??
    (o.sms?.carrierUrl && o.sms.secret ? httpSmsCarrier({ url: o.sms.carrierUrl, secret: o.sms.secret, clock }) : fileSmsCarrier(join(o.dataDir, 'sms-sent.jsonl')));
  const sms = createSmsSender({ db, carrier, clock, phone });
  const smsTimer = setInterval(() => void sms.flush().catch((e: Error) => o.logger.warn(`sms: ${e.message}`)), 2_000);
  smsTimer.unref();
  const recordingVault = openRecordingVault(o.recordingsDir ?? join(o.dataDir, 'recordings'), recordingKey(o.dataDir));
  // The gateway's finished recordings are filed every few seconds, from the spool `minwon sip` writes.
  const spool = createGatewaySpool(o.recordingSpool ?? gatewaySpoolDir(o.dataDir), { clock, log: (line) => o.logger.info(`recordings: ${line}`) });
  let taking: Promise<unknown> | null = null;
  const spoolTimer = setInterval(() => {
    taking ??= takeGatewayRecordings({ db, vault: recordingVault, spool, phone, clock })
      .then((n) => n > 0 && o.logger.info(`recordings: filed ${n} call(s) the gateway recorded`))
      .catch((e: Error) => o.logger.warn(`recordings: ${e.message}`))
      .finally(() => (taking = null));
  }, o.recordingSpoolMs ?? 2_000);
  spoolTimer.unref();
  // Retention: at start, then every hour.
  const purge = async () => {
    try {
      const recordings = await purgeRecordings(db, recordingVault, clock());
      if (recordings.count > 0) o.logger.info(`retention: deleted ${recordings.count} call recording(s) from before ${recordings.cutoff}`);
      const r = await purgeExpired(db, clock());
      if (r.records + r.texts + r.threads + r.searches + r.noteTerms > 0) {
        o.logger.info(`retention: purged ${r.records} record(s), ${r.texts} text(s) sent, ${r.threads} text thread(s), ${r.searches} unanswered search(es) and ${r.noteTerms} day(s)' note words from before ${r.cutoff}`);
      }
    } catch (e) {
      o.logger.warn(`retention: ${(e as Error).message}`);
    }
  };
  await purge();
  const purgeTimer = setInterval(() => void purge(), 3_600_000);
  purgeTimer.unref();
  // Entries scheduled for a day go live within seconds of its midnight.
  const publishTimer = setInterval(
    () =>
      void publishDue(db, clock())
        .then((n) => n > 0 && o.logger.info(`knowledge: published ${n} scheduled entr${n === 1 ? 'y' : 'ies'}`))
        .catch((e: Error) => o.logger.warn(`knowledge: ${e.message}`)),
    o.publishCheckMs ?? 10_000,
  );
  publishTimer.unref();
  const app = buildApp({ db, clock, phone, presence, recordingVault, logger: o.logger, updatesDir: updatesDir(o.dataDir), portalDir: o.portalDir ?? PORTAL_DIR, monitoringKey: o.database ? await sharedMonitoringKey(db) : openMonitoringKey(o.dataDir), distributor, ...(o.pbxSecret ? { pbxSecret: o.pbxSecret } : {}), ...(o.sms?.secret ? { smsSecret: o.sms.secret } : {}), onTextsQueued: () => void sms.flush().catch((e: Error) => o.logger.warn(`sms: ${e.message}`)), ...(o.trustProxy ? { trustProxy: o.trustProxy } : {}), ...(o.tokenTtlMs ? { tokenTtlMs: o.tokenTtlMs } : {}) });
  try {
    await app.listen({ port: o.port, host: o.host ?? '127.0.0.1' });
  } catch (e) {
    clearInterval(smsTimer);
    clearInterval(purgeTimer);
    clearInterval(publishTimer);
    clearInterval(offerTimer);
    clearInterval(spoolTimer);
    await sip.close();
    await db.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    db,
    async close() {
      clearInterval(smsTimer);
      clearInterval(purgeTimer);
      clearInterval(publishTimer);
      clearInterval(offerTimer);
      clearInterval(spoolTimer);
      await app.close();
      await distributor.idle();
      await taking;
      await sip.close();
      await db.close();
    },
  };
}
