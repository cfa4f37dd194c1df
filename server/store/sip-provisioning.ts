import { createHash } from 'node:crypto';
import { value, type Db } from './sql';
import { sipAccounts } from './users';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export const DEFAULT_SIP_DOMAIN = '127.0.0.1';

/** The SIP domain (and digest realm) phones register in; kept with the data. */
export async function sipDomain(db: Db): Promise<string> {
  return (await value<string>(db, "SELECT value FROM meta WHERE key = 'sipDomain'")) ?? DEFAULT_SIP_DOMAIN;
}

export const DEFAULT_SIP_WS_URL = 'ws://127.0.0.1:8088';

/** The SIP server's WebSocket address that desks are told at login. */
export async function sipWsUrl(db: Db): Promise<string> {
  return (await value<string>(db, "SELECT value FROM meta WHERE key = 'sipWsUrl'")) ?? DEFAULT_SIP_WS_URL;
}

/** STUN servers desks are told at login (none by default: a city LAN needs none). */
export async function sipStunServers(db: Db): Promise<string[]> {
  const v = await value<string>(db, "SELECT value FROM meta WHERE key = 'sipStunServers'");
  return v ? (JSON.parse(v) as string[]) : [];
}

/** `stunServers`: replaces the list ([] clears it). */
export async function setSipSettings(db: Db, s: { domain?: string; wsUrl?: string; stunServers?: string[] }): Promise<void> {
  const put = (key: string, v: string) => db.run('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [key, v]);
  if (s.domain) await put('sipDomain', s.domain);
  if (s.wsUrl) await put('sipWsUrl', s.wsUrl);
  if (s.stunServers) await put('sipStunServers', JSON.stringify(s.stunServers));
}

/**
 * Writes every enabled account's digest credentials (HA1 only) where the SIP server reads them,
 * replacing what was there, in one transaction: accounts removed or disabled here can no longer
 * register, and Kamailio never reads a half-written list.
 */
export async function provisionSip(db: Db, sip: Db): Promise<number> {
  const realm = await sipDomain(db);
  const accounts = await sipAccounts(db);
  await sip.write(async (tx) => {
    await tx.run('DELETE FROM subscriber');
    for (const a of accounts) {
      await tx.run('INSERT INTO subscriber(username, domain, ha1, ha1b, practice_caller) VALUES (?, ?, ?, ?, ?)', [
        a.username,
        realm,
        md5(`${a.username}:${realm}:${a.secret}`),
        md5(`${a.username}@${realm}:${realm}:${a.secret}`),
        a.practiceCaller ? 1 : 0,
      ]);
    }
  });
  return accounts.length;
}
