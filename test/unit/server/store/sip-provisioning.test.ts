import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCityDb } from '../../../../server/store/db';
import { provisionSip } from '../../../../server/store/sip-provisioning';
import { openSipStore, sipDbFile } from '../../../../server/store/sip-store';
import { value, type CityStore } from '../../../../server/store/sql';
import { createUser, disableUser } from '../../../../server/store/users';
import { storeEngines } from '../../../helpers/store-engines';

const NOW = new Date('2026-12-07T09:00:00Z');

async function addAccounts(db: CityStore) {
  await createUser(db, { username: 'agent1', displayName: '김상담', role: 'agent', password: 'pw' }, NOW);
  await createUser(db, { username: 'citizen1', displayName: '연습', role: 'phone', password: 'pw', practiceCaller: true }, NOW);
  await createUser(db, { username: '3511', displayName: '김민수', role: 'phone', password: 'pw' }, NOW);
}

interface Subscriber {
  username: string;
  domain: string;
  ha1: string;
  practice_caller: number;
}

// Where Kamailio reads accounts: a file beside a SQLite store, the city's own database on PostgreSQL.
describe.each(storeEngines())('the SIP server’s accounts on $name', ({ name, open }) => {
  it('are every enabled account, HA1 only, with the practice callers marked, where Kamailio reads them', async () => {
    const db = await open();
    await addAccounts(db);
    const dir = mkdtempSync(join(tmpdir(), 'minwon-sipprov-'));
    const sip = openSipStore(db, dir);
    try {
      expect(await provisionSip(db, sip.db)).toBe(3);
      const subscribers = () => sip.db.all<Subscriber>('SELECT username, domain, ha1, practice_caller FROM subscriber ORDER BY username');
      expect((await subscribers()).map((s) => [s.username, s.domain, s.practice_caller])).toEqual([
        ['3511', '127.0.0.1', 0],
        ['agent1', '127.0.0.1', 0],
        ['citizen1', '127.0.0.1', 1],
      ]);
      const secret = (await value<string>(db, "SELECT sip_secret FROM users WHERE username = 'agent1'")) as string;
      expect((await subscribers())[1]?.ha1).toBe(createHash('md5').update(`agent1:127.0.0.1:${secret}`).digest('hex'));
      // Kamailio checks the table's version before it reads it.
      expect(await value<number>(sip.db, "SELECT table_version FROM version WHERE table_name = 'subscriber'")).toBe(7);
      // A disabled account is gone at the next provisioning: its phone can no longer register.
      await disableUser(db, 'agent1');
      expect(await provisionSip(db, sip.db)).toBe(2);
      expect((await subscribers()).map((s) => s.username)).toEqual(['3511', 'citizen1']);
      // On SQLite, a file of its own: the city's file holds no SIP tables.
      if (name === 'sqlite') expect(await value(db, "SELECT name FROM sqlite_master WHERE name = 'subscriber'")).toBeUndefined();
    } finally {
      await sip.close();
    }
  });
});

describe('the SIP server’s accounts file (SQLite)', () => {
  it('adds the column to a file provisioned before practice callers existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-sipprov-'));
    const db = openCityDb(join(dir, 'city.sqlite'));
    await addAccounts(db);
    const old = new Database(sipDbFile(dir));
    old.exec(`CREATE TABLE subscriber (id INTEGER PRIMARY KEY NOT NULL, username VARCHAR(64) DEFAULT '' NOT NULL, domain VARCHAR(64) DEFAULT '' NOT NULL,
      password VARCHAR(64) DEFAULT '' NOT NULL, ha1 VARCHAR(128) DEFAULT '' NOT NULL, ha1b VARCHAR(128) DEFAULT '' NOT NULL, CONSTRAINT subscriber_account_idx UNIQUE (username, domain));
      INSERT INTO subscriber(username, domain, ha1, ha1b) VALUES ('gone', '127.0.0.1', 'x', 'y');`);
    old.close();
    const sip = openSipStore(db, dir);
    try {
      await provisionSip(db, sip.db);
      expect((await sip.db.all<Subscriber>('SELECT username, practice_caller FROM subscriber ORDER BY username')).map((s) => [s.username, s.practice_caller])).toEqual([
        ['3511', 0],
        ['agent1', 0],
        ['citizen1', 1],
      ]);
    } finally {
      await sip.close();
      await db.close();
    }
  });
});
