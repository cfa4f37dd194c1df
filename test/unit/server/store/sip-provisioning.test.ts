import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCityDb } from '../../../../server/store/db';
import { provisionSip, sipDbFile } from '../../../../server/store/sip-provisioning';
import { createUser } from '../../../../server/store/users';

const NOW = new Date('2026-12-07T09:00:00Z');

async function cityWithAccounts() {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-sipprov-'));
  const db = openCityDb(join(dir, 'city.sqlite'));
  await createUser(db, { username: 'agent1', displayName: '김상담', role: 'agent', password: 'pw' }, NOW);
  await createUser(db, { username: 'citizen1', displayName: '연습', role: 'phone', password: 'pw', practiceCaller: true }, NOW);
  await createUser(db, { username: '3511', displayName: '김민수', role: 'phone', password: 'pw' }, NOW);
  return { dir, db };
}

const subscribers = (dir: string) => {
  const sip = new Database(sipDbFile(dir), { readonly: true });
  try {
    return sip.prepare('SELECT username, ha1, practice_caller FROM subscriber ORDER BY username').all() as { username: string; ha1: string; practice_caller: number }[];
  } finally {
    sip.close();
  }
};

describe('the SIP server’s accounts file', () => {
  it('marks the practice callers, the accounts Kamailio lets present a citizen’s number', async () => {
    const { dir, db } = await cityWithAccounts();
    expect(await provisionSip(db, dir)).toBe(3);
    expect(subscribers(dir).map((s) => [s.username, s.practice_caller])).toEqual([
      ['3511', 0],
      ['agent1', 0],
      ['citizen1', 1],
    ]);
    const secret = db.sqlite.prepare("SELECT sip_secret FROM users WHERE username = 'agent1'").pluck().get() as string;
    expect(subscribers(dir)[1]?.ha1).toBe(createHash('md5').update(`agent1:127.0.0.1:${secret}`).digest('hex'));
  });

  it('adds the column to a file provisioned before practice callers existed', async () => {
    const { dir, db } = await cityWithAccounts();
    const old = new Database(sipDbFile(dir));
    old.exec(`CREATE TABLE subscriber (id INTEGER PRIMARY KEY NOT NULL, username VARCHAR(64) DEFAULT '' NOT NULL, domain VARCHAR(64) DEFAULT '' NOT NULL,
      password VARCHAR(64) DEFAULT '' NOT NULL, ha1 VARCHAR(128) DEFAULT '' NOT NULL, ha1b VARCHAR(128) DEFAULT '' NOT NULL, CONSTRAINT subscriber_account_idx UNIQUE (username, domain));
      INSERT INTO subscriber(username, domain, ha1, ha1b) VALUES ('gone', '127.0.0.1', 'x', 'y');`);
    old.close();
    await provisionSip(db, dir);
    expect(subscribers(dir).map((s) => [s.username, s.practice_caller])).toEqual([
      ['3511', 0],
      ['agent1', 0],
      ['citizen1', 1],
    ]);
  });
});
