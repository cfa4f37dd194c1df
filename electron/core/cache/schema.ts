import type { Migrations } from '../../../shared/migrations';

/**
 * The history indexes a sync from scratch drops and rebuilds once at the end (cheaper than
 * maintaining them row by row over a million inserts); opening a cache creates any missing one.
 */
export const HISTORY_BULK_INDEXES = [
  { name: 'history_caller', create: 'CREATE INDEX IF NOT EXISTS history_caller ON history(caller_e164, started_at DESC)' },
  {
    name: 'history_answered',
    create: "CREATE INDEX IF NOT EXISTS history_answered ON history(category, started_at DESC, manual_ids) WHERE outcome = 'answered'",
  },
] as const;

export const CACHE_SCHEMA: Migrations = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    keywords TEXT NOT NULL,
    department TEXT,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE departments (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT;

  -- Consultations for screen-pop: synced from the city and this desk's own, not yet uploaded
  -- (pending = 1) records, so a call shows up in the caller's history at once.
  CREATE TABLE history (
    id TEXT PRIMARY KEY,
    caller_e164 TEXT,
    agent_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    category TEXT NOT NULL,
    outcome TEXT NOT NULL,
    manual_ids TEXT NOT NULL,
    notes TEXT NOT NULL,
    department TEXT,
    pending INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX history_caller ON history(caller_e164, started_at DESC);

  -- Records waiting for upload. batch_key is set when a batch is formed and kept until the city
  -- answers, so a retried upload is the same batch and the server can recognise it.
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    batch_key TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  ) STRICT;
  CREATE INDEX outbox_batch ON outbox(batch_key);

  -- Records the city refused, kept with the reason for the agent or IT to act on: never dropped.
  CREATE TABLE outbox_rejected (
    record_id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- Search: syllable bigrams (two-syllable queries match), 초성 and single syllables, one row per
  -- entry (rowid = entries.rowid); contentless, the text lives in entries.
  CREATE VIRTUAL TABLE entry_fts USING fts5(
    title, keywords, body, choseong, uni,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0',
    -- Prefix indexes for the as-you-type syllable and for 초성 prefixes.
    prefix = '1 2 3'
  );

  -- The city's synonym and abbreviation table (등초본 → 주민등록등본), synced like the manual.
  CREATE TABLE synonyms (term TEXT PRIMARY KEY, expansions TEXT NOT NULL) STRICT;

  -- How often agents opened each entry: the city's total and this desk's uses not yet uploaded.
  CREATE TABLE entry_usage (
    entry_id TEXT PRIMARY KEY,
    synced INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  `,
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `,
  `
  -- Screen-pop's suggestions: the entries linked to a category's latest answered calls city-wide.
  -- Partial (only answered records are read this way) and covering (the few hundred read come
  -- off adjacent index pages, not one table page each).
  CREATE INDEX history_answered ON history(category, started_at DESC, manual_ids) WHERE outcome = 'answered';
  -- The manual's entries of a category or a category prefix (an IVR choice).
  CREATE INDEX entries_category ON entries(category);
  `,
  `
  -- Team-lead monitoring: grant nonces this desk has accepted (each only once; kept until they
  -- expire), and the desk's audit lines until the city server has them.
  CREATE TABLE monitor_nonces (nonce TEXT PRIMARY KEY, expires_at TEXT NOT NULL) STRICT;
  CREATE TABLE monitor_audit_outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
  `,
  `
  -- Consultations not yet filed (shared/draft.ts), kept here rather than in the page so a reload or
  -- a crashed window loses nothing; notes masked. status: 'active' (on screen) or 'kept' (set aside).
  CREATE TABLE drafts (id TEXT PRIMARY KEY, status TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;
  `,
  `
  -- Reads of personal data on this desk (a caller's history, a screen-pop), until the city has them.
  CREATE TABLE access_outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
  `,
  `
  -- A desk holds only what the screen-pop shows: another agent's consultation comes without its
  -- agent, end or department (DeskHistoryItem), and what an older desk was sent of them goes.
  -- (The history indexes are made again when the cache opens.)
  CREATE TABLE history_new (
    id TEXT PRIMARY KEY,
    caller_e164 TEXT,
    agent_id TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    category TEXT NOT NULL,
    outcome TEXT NOT NULL,
    manual_ids TEXT NOT NULL,
    notes TEXT NOT NULL,
    department TEXT,
    pending INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  INSERT INTO history_new
    SELECT h.id, h.caller_e164, CASE WHEN own THEN h.agent_id END, h.started_at, CASE WHEN own THEN h.ended_at END,
      h.category, h.outcome, h.manual_ids, h.notes, CASE WHEN own THEN h.department END, h.pending
    FROM (SELECT *, pending = 1 OR agent_id = (SELECT value FROM meta WHERE key = 'agentId') AS own FROM history) AS h;
  DROP TABLE history;
  ALTER TABLE history_new RENAME TO history;
  `,
  `
  -- What the agent said of each callback attempt, until the city has it (an outage, a restart).
  CREATE TABLE callback_outcome_outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
  `,
  `
  -- The agent's replies to citizens' texts, until the city has them (the desk offline, a restart).
  CREATE TABLE text_reply_outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
  -- How each consultation came (a call, a text thread, a callback): the screen-pop reads them together.
  ALTER TABLE history ADD COLUMN channel TEXT NOT NULL DEFAULT 'call';
  `,
  `
  -- An entry's fields beyond 업무개요 (shared/manual.ts SECTION_KEYS) as JSON; NULL when it has none.
  ALTER TABLE entries ADD COLUMN sections TEXT;
  -- Flags the agent raised on entries and searches that found nothing, until the city has them.
  CREATE TABLE manual_flag_outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
  CREATE TABLE search_miss_outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
  -- The agent's closed flags whose notice they have seen: each is told once.
  CREATE TABLE flag_notices_seen (id TEXT PRIMARY KEY, at TEXT NOT NULL) STRICT;
  `,
  `
  -- A call ended under the abusive-caller protocol: every desk's screen-pop shows it.
  ALTER TABLE history ADD COLUMN end_reason TEXT;
  -- The desk's recordings of calls the gateway does not record, until the city has them (sealed
  -- with the rest of the cache); held: the call was reported, so retention does not delete it here.
  CREATE TABLE recording_outbox (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    meta TEXT NOT NULL,
    audio BLOB NOT NULL,
    created_at TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  ) STRICT;
  `,
];
