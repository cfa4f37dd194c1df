import type { Migrations } from '../../shared/migrations';

export const SCHEMA: Migrations = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  -- Every synced change, compacted to the latest per (kind, key): a desk replays them in rev order.
  -- payload is the JSON the desks receive, or NULL for a tombstone.
  CREATE TABLE changes (
    rev INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    payload TEXT,
    UNIQUE (kind, key)
  );

  CREATE TABLE manual_entries (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('manual', 'faq')),
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    keywords TEXT NOT NULL,
    department TEXT,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  -- Every version ever published, for audit and roll-back by the departments.
  CREATE TABLE manual_entry_versions (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
  ) STRICT;

  CREATE TABLE departments (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT;

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_expiry ON sessions(expires_at);

  CREATE TABLE records (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    caller_raw TEXT NOT NULL,
    caller_e164 TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    category TEXT NOT NULL,
    outcome TEXT NOT NULL,
    manual_ids TEXT NOT NULL,
    notes TEXT NOT NULL,
    department TEXT,
    received_at TEXT NOT NULL,
    batch_key TEXT NOT NULL
  ) STRICT;
  CREATE INDEX records_caller ON records(caller_e164, started_at DESC);
  CREATE INDEX records_agent ON records(agent_id, started_at DESC);

  -- The answer given to each upload batch, replayed verbatim when the same batch comes again.
  CREATE TABLE record_batches (
    batch_key TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    response TEXT NOT NULL,
    received_at TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- What people type (등초본, 딱지) and the manual's words for it; the departments keep it.
  CREATE TABLE synonyms (term TEXT PRIMARY KEY, expansions TEXT NOT NULL) STRICT;

  -- How often agents opened each entry, city-wide (a search ranking prior).
  CREATE TABLE entry_usage (entry_id TEXT PRIMARY KEY, count INTEGER NOT NULL) STRICT;
  CREATE TABLE usage_batches (batch_key TEXT PRIMARY KEY, user_id TEXT NOT NULL, received_at TEXT NOT NULL) STRICT;
  `,
  `
  -- Each account's SIP secret: the phone's digest password, separate from the login password so
  -- the SIP server never holds anything that opens the city's API. Given to the desk at login.
  ALTER TABLE users ADD COLUMN sip_secret TEXT NOT NULL DEFAULT '';
  UPDATE users SET sip_secret = lower(hex(randomblob(18)));
  `,
  `
  -- City-wide desk settings (shared/settings.ts), synced to every desk.
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `,
  `
  -- A third role, 'phone': SIP-only accounts (department staff phones, practice callers).
  -- SQLite cannot change a CHECK in place: rebuild the table. Open sessions end (desks log in again).
  DELETE FROM sessions;
  CREATE TABLE users_new (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead', 'phone')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sip_secret TEXT NOT NULL DEFAULT ''
  ) STRICT;
  INSERT INTO users_new SELECT id, username, display_name, role, password_hash, disabled, created_at, sip_secret FROM users;
  DROP TABLE users;
  ALTER TABLE users_new RENAME TO users;
  `,
  `
  -- Manual entries agents pinned for a caller, sent by SMS after the call through the city's SMS
  -- gateway (one row per record and entry: a replayed upload queues nothing twice).
  CREATE TABLE sms_outbox (
    record_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent')),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    error TEXT,
    PRIMARY KEY (record_id, entry_id)
  ) STRICT;
  CREATE INDEX sms_queued ON sms_outbox(status, created_at);
  `,
  `
  -- Team leads' monitoring: every grant the server signed (its nonce is single-use on the desks),
  -- and the audit of grants, refusals and sessions, from the server and reported by desks.
  CREATE TABLE monitor_grants (
    nonce TEXT PRIMARY KEY,
    lead TEXT NOT NULL,
    agent TEXT NOT NULL,
    modes TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE monitor_audit (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    lead TEXT,
    agent TEXT,
    mode TEXT,
    nonce TEXT,
    reason TEXT,
    -- Who wrote it: 'server', or the desk account that reported it.
    source TEXT NOT NULL,
    received_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX monitor_audit_at ON monitor_audit(at);
  `,
  `
  -- A desk's own clock for the lines it reports; 'at' is always the server's (a desk cannot date
  -- lines into the future to push the real ones out of the lead's view).
  ALTER TABLE monitor_audit ADD COLUMN reported_at TEXT;
  `,
  `
  -- Each agent's counted uses of an entry per day: one agent cannot lift an entry up every desk's list.
  CREATE TABLE usage_by_agent (
    user_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    day TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (user_id, entry_id, day)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- Texts remember the agent whose record asked for them (quotas per agent), and a text over a
  -- quota is kept as refused, with the reason, for the team lead to see.
  CREATE TABLE sms_outbox_new (
    record_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'refused')),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    error TEXT,
    agent_id TEXT,
    PRIMARY KEY (record_id, entry_id)
  ) STRICT;
  INSERT INTO sms_outbox_new(record_id, entry_id, recipient, text, status, created_at, sent_at, error)
    SELECT record_id, entry_id, recipient, text, status, created_at, sent_at, error FROM sms_outbox;
  DROP TABLE sms_outbox;
  ALTER TABLE sms_outbox_new RENAME TO sms_outbox;
  CREATE INDEX sms_queued ON sms_outbox(status, created_at);
  CREATE INDEX sms_by_agent ON sms_outbox(agent_id, created_at);
  CREATE INDEX sms_by_recipient ON sms_outbox(recipient, created_at);
  `,
  `
  -- Every read of personal data (a caller's history, a list of records), on the desks and here:
  -- who, whose, when, why. Kept at least a year (server/store/access-log.ts).
  CREATE TABLE access_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    source TEXT NOT NULL,
    reported_at TEXT
  ) STRICT;
  CREATE INDEX access_log_at ON access_log(at);
  CREATE INDEX access_log_subject ON access_log(subject, at);
  `,
  `
  -- Retention: each purge of expired personal data, on the record (what, up to when, how many).
  CREATE TABLE purge_log (id TEXT PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, cutoff TEXT NOT NULL, count INTEGER NOT NULL) STRICT;
  CREATE INDEX records_started ON records(started_at);
  `,
  `
  -- Trainers' practice callers stand in for the PBX: the SIP server lets them (and the trunk) say
  -- which citizen is calling (P-Asserted-Identity). Everyone else's is stripped.
  ALTER TABLE users ADD COLUMN practice_caller INTEGER NOT NULL DEFAULT 0 CHECK (practice_caller IN (0, 1));
  `,
  `
  -- Desks are told only what their screen-pop shows: a consultation's agent, end and department go
  -- to the handling agent's desk alone (owner_payload); every other desk gets payload. Changes
  -- published before are split the same way.
  ALTER TABLE changes ADD COLUMN owner TEXT;
  ALTER TABLE changes ADD COLUMN owner_payload TEXT;
  UPDATE changes SET owner = json_extract(payload, '$.agentId'), owner_payload = payload,
    payload = json_set(payload, '$.agentId', NULL, '$.endedAt', NULL, '$.department', NULL)
    WHERE kind = 'history' AND payload IS NOT NULL;
  `,
  `
  -- The login throttle, here rather than in one server's memory: every instance on the database
  -- throttles alike. scope 'pair' (address and name) or 'address'; seq orders by last activity.
  CREATE TABLE login_failures (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    count INTEGER NOT NULL,
    first INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  ) STRICT;
  CREATE INDEX login_failures_seq ON login_failures(seq);
  `,
  `
  -- A text being handed to the carrier is claimed first (by one run of one server instance), so
  -- instances sharing a database never send it twice; a claim left by a stopped instance expires.
  ALTER TABLE sms_outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE sms_outbox ADD COLUMN claimed_at TEXT;
  `,
  `
  -- Callbacks (issue 19): one row per citizen waiting to be called back, in the order they first
  -- asked. One open callback per number (a new request merges into it), one offer per agent, one
  -- dial in flight per callback: constraints, so no race between server instances can break them.
  CREATE TABLE callbacks (
    id TEXT PRIMARY KEY,
    number_e164 TEXT NOT NULL,
    number_raw TEXT NOT NULL,
    sources TEXT NOT NULL,
    call_id TEXT,
    topic TEXT,
    note TEXT,
    asked_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    retry_minutes INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'offered', 'dialling', 'connected', 'completed', 'failed', 'cancelled', 'expired')),
    owner TEXT,
    owner_until TEXT,
    offered_to TEXT,
    offer_until TEXT,
    passed TEXT NOT NULL DEFAULT '[]',
    created_by TEXT,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX callbacks_open_number ON callbacks(number_e164) WHERE state IN ('pending', 'offered', 'dialling', 'connected');
  CREATE UNIQUE INDEX callbacks_one_offer ON callbacks(offered_to) WHERE state = 'offered';
  CREATE INDEX callbacks_queue ON callbacks(state, asked_at);

  CREATE TABLE callback_attempts (
    id TEXT PRIMARY KEY,
    callback_id TEXT NOT NULL REFERENCES callbacks(id),
    agent_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    outcome TEXT,
    ended_at TEXT,
    settled_by TEXT
  ) STRICT;
  CREATE UNIQUE INDEX callback_attempts_one_open ON callback_attempts(callback_id) WHERE outcome IS NULL;

  -- Requests already taken (the IVR's idempotency keys): a replay answers what the first got.
  CREATE TABLE callback_requests (key TEXT PRIMARY KEY, callback_id TEXT NOT NULL, received_at TEXT NOT NULL) STRICT;
  `,  `
  -- Reservations (issue 19): the city's slots as its setting has them, with how many are booked;
  -- a booking takes a place only while one is left (booked < capacity, in the same statement),
  -- and the CHECK holds the line whatever runs.
  CREATE TABLE reservation_slots (
    id TEXT PRIMARY KEY,
    start_at TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    booked INTEGER NOT NULL DEFAULT 0,
    CHECK (booked >= 0 AND booked <= capacity)
  ) STRICT;
  CREATE TABLE reservations (
    id TEXT PRIMARY KEY,
    slot_id TEXT NOT NULL REFERENCES reservation_slots(id),
    number_e164 TEXT NOT NULL,
    note TEXT,
    state TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'called')),
    booked_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reminded_at TEXT,
    callback_id TEXT,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX reservations_one_per_number ON reservations(slot_id, number_e164) WHERE state = 'booked';
  CREATE INDEX reservations_by_state ON reservations(state, slot_id);
  `,
  `
  -- The callback a consultation was (the agent called the citizen back): its outcome and its
  -- wrap-up read as one.
  ALTER TABLE records ADD COLUMN callback_id TEXT;
  CREATE INDEX records_by_callback ON records(callback_id) WHERE callback_id IS NOT NULL;
  `,
  `
  -- Text inquiries (issue 20): one open thread per citizen number; each text the carrier
  -- delivered once (its message id), stored before it is acknowledged. Replies are messages too,
  -- and go to the carrier through sms_outbox (keyed by thread and message), which now keeps the
  -- reference the carrier knows each text by and what its receipt said.
  CREATE TABLE text_threads (
    id TEXT PRIMARY KEY,
    number_e164 TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    last_in_at TEXT NOT NULL,
    first_response_due TEXT NOT NULL,
    first_response_at TEXT,
    assigned_to TEXT,
    offered_to TEXT,
    offer_until TEXT,
    passed TEXT NOT NULL DEFAULT '[]',
    closed_at TEXT,
    closed_by TEXT,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX text_threads_one_open ON text_threads(number_e164) WHERE state = 'open';
  CREATE UNIQUE INDEX text_threads_one_offer ON text_threads(offered_to) WHERE offered_to IS NOT NULL;
  CREATE INDEX text_threads_by_number ON text_threads(number_e164, opened_at);
  CREATE INDEX text_threads_by_state ON text_threads(state, first_response_due);

  CREATE TABLE text_messages (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES text_threads(id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    carrier_id TEXT,
    body TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sms', 'lms', 'mms')),
    at TEXT NOT NULL,
    agent_id TEXT
  ) STRICT;
  CREATE UNIQUE INDEX text_messages_inbound ON text_messages(carrier_id) WHERE direction = 'in';
  CREATE INDEX text_messages_by_thread ON text_messages(thread_id, at);

  CREATE TABLE text_media (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES text_messages(id),
    type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    data TEXT NOT NULL
  ) STRICT;
  CREATE INDEX text_media_by_message ON text_media(message_id);

  ALTER TABLE sms_outbox ADD COLUMN ref TEXT;
  ALTER TABLE sms_outbox ADD COLUMN carrier_id TEXT;
  ALTER TABLE sms_outbox ADD COLUMN kind TEXT;
  ALTER TABLE sms_outbox ADD COLUMN delivery TEXT;
  ALTER TABLE sms_outbox ADD COLUMN delivery_at TEXT;
  CREATE UNIQUE INDEX sms_outbox_ref ON sms_outbox(ref) WHERE ref IS NOT NULL;

  -- What a consultation came by (a call, a text thread, a callback) and the thread it closed.
  ALTER TABLE records ADD COLUMN channel TEXT NOT NULL DEFAULT 'call';
  ALTER TABLE records ADD COLUMN thread_id TEXT;
  CREATE INDEX records_by_thread ON records(thread_id) WHERE thread_id IS NOT NULL;
  `,
  `
  -- Accounts gain the portal's roles and an editor's department. The role's CHECK changes with a
  -- rebuild: sessions point at users, so they go (everyone signs in again after the upgrade).
  DELETE FROM sessions;
  CREATE TABLE users_new (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead', 'phone', 'editor', 'reviewer')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sip_secret TEXT NOT NULL DEFAULT '',
    practice_caller INTEGER NOT NULL DEFAULT 0 CHECK (practice_caller IN (0, 1)),
    department TEXT
  ) STRICT;
  INSERT INTO users_new(id, username, display_name, role, password_hash, disabled, created_at, sip_secret, practice_caller)
    SELECT id, username, display_name, role, password_hash, disabled, created_at, sip_secret, practice_caller FROM users;
  DROP TABLE users;
  ALTER TABLE users_new RENAME TO users;

  -- The knowledge portal (issue 21). Entries gain the manual's fields beyond 업무개요 (JSON), an
  -- owner and the day they were last verified; departments write drafts a reviewer approves (at
  -- most one open per entry, so the published entry stays live while its next version is
  -- reviewed); desks flag entries and report the searches that found nothing worth opening.
  ALTER TABLE manual_entries ADD COLUMN sections TEXT;
  ALTER TABLE manual_entries ADD COLUMN owner TEXT;
  ALTER TABLE manual_entries ADD COLUMN verified_at TEXT;

  CREATE TABLE manual_drafts (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    department TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('publish', 'archive')),
    base_version INTEGER,
    content TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'review', 'rejected', 'scheduled', 'published', 'withdrawn')),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    reviewer TEXT,
    decided_at TEXT,
    publish_at TEXT,
    published_version INTEGER,
    comments TEXT NOT NULL DEFAULT '[]',
    -- Everyone who wrote in it besides its author: none of them may approve it.
    editors TEXT NOT NULL DEFAULT '[]'
  ) STRICT;
  CREATE UNIQUE INDEX manual_drafts_one_open ON manual_drafts(entry_id) WHERE state IN ('draft', 'review', 'rejected', 'scheduled');
  CREATE INDEX manual_drafts_by_department ON manual_drafts(department, state);
  CREATE INDEX manual_drafts_due ON manual_drafts(publish_at) WHERE state = 'scheduled';

  CREATE TABLE manual_flags (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    entry_version INTEGER NOT NULL,
    department TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('wrong', 'outdated', 'incomplete', 'duplicate')),
    note TEXT NOT NULL,
    agent TEXT NOT NULL,
    at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    during_call INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'fixed', 'answered')),
    reply TEXT,
    closed_by TEXT,
    closed_at TEXT,
    fixed_version INTEGER
  ) STRICT;
  CREATE INDEX manual_flags_by_department ON manual_flags(department, state, received_at);
  CREATE INDEX manual_flags_by_entry ON manual_flags(entry_id, state);
  CREATE INDEX manual_flags_by_agent ON manual_flags(agent, received_at);

  -- A search that ended without an entry opened; its Korean terms are what the grouping compares.
  CREATE TABLE search_misses (
    id TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    terms TEXT NOT NULL,
    category TEXT,
    at TEXT NOT NULL,
    week TEXT NOT NULL,
    agent TEXT NOT NULL
  ) STRICT;
  CREATE INDEX search_misses_by_week ON search_misses(week, category);

  -- How often records linked each entry, kept at intake (the records hold the links as JSON).
  CREATE TABLE entry_links (entry_id TEXT PRIMARY KEY, count INTEGER NOT NULL) STRICT;
  CREATE INDEX sms_outbox_by_entry ON sms_outbox(entry_id);

  INSERT INTO entry_links(entry_id, count)
    SELECT j.value, COUNT(*) FROM records, json_each(records.manual_ids) AS j GROUP BY j.value;
  UPDATE manual_entries SET verified_at = updated_at;
  `,  `
  -- A read-only role for the city's policy staff: the role's CHECK changes with a rebuild, so
  -- sessions go (everyone signs in again after the upgrade).
  DELETE FROM sessions;
  CREATE TABLE users_new (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead', 'phone', 'editor', 'reviewer', 'analyst')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sip_secret TEXT NOT NULL DEFAULT '',
    practice_caller INTEGER NOT NULL DEFAULT 0 CHECK (practice_caller IN (0, 1)),
    department TEXT
  ) STRICT;
  INSERT INTO users_new SELECT id, username, display_name, role, password_hash, disabled, created_at, sip_secret, practice_caller, department FROM users;
  DROP TABLE users;
  ALTER TABLE users_new RENAME TO users;

  -- The analysis of the records (issue 22). A record may name the district it is about, and is a
  -- repeat when the same number asked about the same category in the 7 days before it. Rollups are
  -- kept at intake, so the dashboard reads years without the raw records; the raw records stay
  -- for drill-down and for rebuilding the rollups (the server rebuilds them once after this step).
  ALTER TABLE records ADD COLUMN district TEXT;
  ALTER TABLE records ADD COLUMN is_repeat INTEGER NOT NULL DEFAULT 0;
  -- The start as epoch milliseconds: records keep the offset they were written with, so their
  -- text does not sort by instant; the repeat window is looked up by this.
  ALTER TABLE records ADD COLUMN started_ms INTEGER NOT NULL DEFAULT 0;
  UPDATE records SET started_ms = CAST(ROUND(unixepoch(started_at, 'subsec') * 1000) AS INTEGER);
  CREATE INDEX records_repeat_window ON records(caller_e164, category, started_ms);
  -- Ranges of Seoul days read by it exactly (drill-down, exports, the board), not by text widened by 14 hours.
  CREATE INDEX records_started_ms ON records(started_ms);

  -- Seoul day, hour (0-23), category, channel and district ('' when none), and their consultations.
  CREATE TABLE rollup_cells (
    day TEXT NOT NULL,
    hour INTEGER NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    district TEXT NOT NULL,
    consultations INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    transferred INTEGER NOT NULL,
    callbacks INTEGER NOT NULL,
    complaints INTEGER NOT NULL,
    repeats INTEGER NOT NULL,
    answered_first INTEGER NOT NULL,
    handle_seconds INTEGER NOT NULL,
    PRIMARY KEY (day, hour, category, channel, district)
  ) STRICT;
  -- The same measures per day, category and channel: the time series read this small table.
  CREATE TABLE rollup_days (
    day TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    consultations INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    transferred INTEGER NOT NULL,
    callbacks INTEGER NOT NULL,
    complaints INTEGER NOT NULL,
    repeats INTEGER NOT NULL,
    answered_first INTEGER NOT NULL,
    handle_seconds INTEGER NOT NULL,
    PRIMARY KEY (day, category, channel)
  ) STRICT;
  -- Narrower sums for the heatmap and the districts, so neither reads the cells of a whole year.
  CREATE TABLE rollup_hours (day TEXT NOT NULL, hour INTEGER NOT NULL, channel TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, hour, channel)) STRICT;
  CREATE TABLE rollup_districts (day TEXT NOT NULL, district TEXT NOT NULL, top_category TEXT NOT NULL, channel TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, district, top_category, channel)) STRICT;
  CREATE TABLE rollup_transfers (day TEXT NOT NULL, category TEXT NOT NULL, channel TEXT NOT NULL, department TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, category, channel, department)) STRICT;
  -- The Korean terms of the notes (each record counted once per term), purged with the records.
  CREATE TABLE rollup_terms (day TEXT NOT NULL, channel TEXT NOT NULL, term TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, channel, term)) STRICT;
  CREATE TABLE rollup_entries (day TEXT NOT NULL, channel TEXT NOT NULL, entry_id TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, channel, entry_id)) STRICT;

  -- Calls to the representative number as the SIP server saw them (answered, or given up while
  -- waiting), taken from its log by the city server: the Call-ID's md5 only, no number.
  CREATE TABLE queue_calls (call_id TEXT PRIMARY KEY, arrived_at TEXT NOT NULL, answered INTEGER NOT NULL, wait_ms INTEGER NOT NULL) STRICT;
  CREATE INDEX queue_calls_arrived ON queue_calls(arrived_at);
  CREATE TABLE rollup_queue (
    day TEXT NOT NULL,
    hour INTEGER NOT NULL,
    offered INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    abandoned INTEGER NOT NULL,
    answered_wait_ms INTEGER NOT NULL,
    abandoned_wait_ms INTEGER NOT NULL,
    PRIMARY KEY (day, hour)
  ) STRICT;

  -- Every export of the analysis (web or command line): who, what, when.
  CREATE TABLE export_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    channels TEXT NOT NULL,
    bytes INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX export_log_at ON export_log(at);

  INSERT INTO meta(key, value) VALUES ('rollups', 'stale');
  `,  `
  -- The city's auditor may play call recordings: the role's CHECK changes with a rebuild, so
  -- sessions go (everyone signs in again after the upgrade).
  DELETE FROM sessions;
  CREATE TABLE users_new (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead', 'phone', 'editor', 'reviewer', 'analyst', 'auditor')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sip_secret TEXT NOT NULL DEFAULT '',
    practice_caller INTEGER NOT NULL DEFAULT 0 CHECK (practice_caller IN (0, 1)),
    department TEXT
  ) STRICT;
  INSERT INTO users_new SELECT id, username, display_name, role, password_hash, disabled, created_at, sip_secret, practice_caller, department FROM users;
  DROP TABLE users;
  ALTER TABLE users_new RENAME TO users;

  -- Call recording and the abusive-caller protocol (issue 23). A record names the SIP calls it
  -- was (the gateway files recordings by Call-ID), the warnings given, a protocol end, and a
  -- report (성희롱·위협) whose recordings are kept until a team lead closes its case.
  ALTER TABLE records ADD COLUMN warnings_played INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE records ADD COLUMN warnings_spoken INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE records ADD COLUMN end_reason TEXT;
  ALTER TABLE records ADD COLUMN report_kind TEXT;
  ALTER TABLE records ADD COLUMN case_closed_at TEXT;
  ALTER TABLE records ADD COLUMN case_closed_by TEXT;
  ALTER TABLE records ADD COLUMN case_note TEXT;
  -- Every desk's screen-pop counts a caller's protocol ends over 90 days.
  CREATE INDEX records_abusive ON records(caller_e164, started_ms) WHERE end_reason IS NOT NULL;
  CREATE INDEX records_reported ON records(report_kind, case_closed_at) WHERE report_kind IS NOT NULL;
  CREATE TABLE record_calls (call_id TEXT PRIMARY KEY, record_id TEXT NOT NULL) STRICT;
  CREATE INDEX record_calls_record ON record_calls(record_id);

  -- Recordings, encrypted at rest in files (recordings/ beside the data); one per call and source.
  CREATE TABLE recordings (
    id TEXT PRIMARY KEY,
    record_id TEXT,
    call_id TEXT NOT NULL,
    source TEXT NOT NULL,
    caller_e164 TEXT,
    callee TEXT,
    uploaded_by TEXT,
    started_at TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_at TEXT NOT NULL,
    seconds REAL NOT NULL,
    bytes INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    file TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (call_id, source)
  ) STRICT;
  CREATE INDEX recordings_record ON recordings(record_id);
  CREATE INDEX recordings_started ON recordings(started_ms);
  CREATE INDEX recordings_unlinked ON recordings(caller_e164, started_ms) WHERE record_id IS NULL;
  -- Every playback, download and refused attempt, with its reason.
  CREATE TABLE recording_access (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    recording_id TEXT,
    record_id TEXT,
    purpose TEXT NOT NULL,
    reason TEXT NOT NULL,
    allowed INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX recording_access_at ON recording_access(at);
  `,
];
