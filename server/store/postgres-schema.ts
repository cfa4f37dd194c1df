// The city store's schema on PostgreSQL: the same tables and columns as the SQLite schema
// (schema.ts) reaches after all its steps, so the store's SQL reads both alike. Text compares
// byte by byte as in SQLite (COLLATE "C": times are ISO strings, ordered as text), times in ms are
// BIGINT, and revisions come from a sequence. Steps are applied in order, each once, and never
// edited once released; a new column is a new step here and in schema.ts.

const T = 'TEXT COLLATE "C"';

export const POSTGRES_SCHEMA: readonly string[] = [
  `
  CREATE TABLE meta (key ${T} PRIMARY KEY, value ${T} NOT NULL);

  CREATE TABLE changes (
    rev BIGSERIAL PRIMARY KEY,
    kind ${T} NOT NULL,
    key ${T} NOT NULL,
    payload ${T},
    owner ${T},
    owner_payload ${T},
    UNIQUE (kind, key)
  );

  CREATE TABLE manual_entries (
    id ${T} PRIMARY KEY,
    kind ${T} NOT NULL CHECK (kind IN ('manual', 'faq')),
    category ${T} NOT NULL,
    title ${T} NOT NULL,
    body ${T} NOT NULL,
    keywords ${T} NOT NULL,
    department ${T},
    updated_at ${T} NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE manual_entry_versions (
    id ${T} NOT NULL,
    version INTEGER NOT NULL,
    data ${T},
    changed_at ${T} NOT NULL,
    changed_by ${T} NOT NULL,
    PRIMARY KEY (id, version)
  );

  CREATE TABLE departments (id ${T} PRIMARY KEY, data ${T} NOT NULL);

  CREATE TABLE records (
    id ${T} PRIMARY KEY,
    agent_id ${T} NOT NULL,
    caller_raw ${T} NOT NULL,
    caller_e164 ${T},
    started_at ${T} NOT NULL,
    ended_at ${T} NOT NULL,
    category ${T} NOT NULL,
    outcome ${T} NOT NULL,
    manual_ids ${T} NOT NULL,
    notes ${T} NOT NULL,
    department ${T},
    received_at ${T} NOT NULL,
    batch_key ${T} NOT NULL
  );
  CREATE INDEX records_agent ON records(agent_id, started_at DESC);
  CREATE INDEX records_caller ON records(caller_e164, started_at DESC);
  CREATE INDEX records_started ON records(started_at);
  CREATE TABLE record_batches (batch_key ${T} PRIMARY KEY, user_id ${T} NOT NULL, response ${T} NOT NULL, received_at ${T} NOT NULL);

  CREATE TABLE users (
    id ${T} PRIMARY KEY,
    username ${T} NOT NULL UNIQUE,
    display_name ${T} NOT NULL,
    role ${T} NOT NULL CHECK (role IN ('agent', 'lead', 'phone')),
    password_hash ${T} NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at ${T} NOT NULL,
    sip_secret ${T} NOT NULL DEFAULT '',
    practice_caller INTEGER NOT NULL DEFAULT 0 CHECK (practice_caller IN (0, 1))
  );
  CREATE TABLE sessions (token_hash ${T} PRIMARY KEY, user_id ${T} NOT NULL REFERENCES users(id), expires_at BIGINT NOT NULL);
  CREATE INDEX sessions_expiry ON sessions(expires_at);

  CREATE TABLE synonyms (term ${T} PRIMARY KEY, expansions ${T} NOT NULL);
  CREATE TABLE entry_usage (entry_id ${T} PRIMARY KEY, count INTEGER NOT NULL);
  CREATE TABLE usage_batches (batch_key ${T} PRIMARY KEY, user_id ${T} NOT NULL, received_at ${T} NOT NULL);
  CREATE TABLE usage_by_agent (user_id ${T} NOT NULL, entry_id ${T} NOT NULL, day ${T} NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (user_id, entry_id, day));
  CREATE TABLE settings (key ${T} PRIMARY KEY, value ${T} NOT NULL);

  CREATE TABLE sms_outbox (
    record_id ${T} NOT NULL,
    entry_id ${T} NOT NULL,
    recipient ${T} NOT NULL,
    text ${T} NOT NULL,
    status ${T} NOT NULL CHECK (status IN ('queued', 'sent', 'refused')),
    created_at ${T} NOT NULL,
    sent_at ${T},
    error ${T},
    agent_id ${T},
    PRIMARY KEY (record_id, entry_id)
  );
  CREATE INDEX sms_queued ON sms_outbox(status, created_at);
  CREATE INDEX sms_by_agent ON sms_outbox(agent_id, created_at);
  CREATE INDEX sms_by_recipient ON sms_outbox(recipient, created_at);

  CREATE TABLE monitor_grants (nonce ${T} PRIMARY KEY, lead ${T} NOT NULL, agent ${T} NOT NULL, modes ${T} NOT NULL, issued_at ${T} NOT NULL, expires_at ${T} NOT NULL);
  CREATE TABLE monitor_audit (
    id ${T} PRIMARY KEY,
    at ${T} NOT NULL,
    event ${T} NOT NULL,
    lead ${T},
    agent ${T},
    mode ${T},
    nonce ${T},
    reason ${T},
    source ${T} NOT NULL,
    received_at ${T} NOT NULL,
    reported_at ${T}
  );
  CREATE INDEX monitor_audit_at ON monitor_audit(at);

  CREATE TABLE access_log (id ${T} PRIMARY KEY, at ${T} NOT NULL, actor ${T} NOT NULL, subject ${T} NOT NULL, purpose ${T} NOT NULL, source ${T} NOT NULL, reported_at ${T});
  CREATE INDEX access_log_at ON access_log(at);
  CREATE INDEX access_log_subject ON access_log(subject, at);

  CREATE TABLE purge_log (id ${T} PRIMARY KEY, at ${T} NOT NULL, kind ${T} NOT NULL, cutoff ${T} NOT NULL, count INTEGER NOT NULL);
  `,
  `
  CREATE TABLE login_failures (
    scope ${T} NOT NULL,
    key ${T} NOT NULL,
    count INTEGER NOT NULL,
    first BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX login_failures_seq ON login_failures(seq);
  `,
  `
  ALTER TABLE sms_outbox ADD COLUMN claimed_by ${T};
  ALTER TABLE sms_outbox ADD COLUMN claimed_at ${T};
  `,
  // What Kamailio reads and writes (sip-store.ts; on SQLite a file of its own): the accounts'
  // credentials in the shape of its auth_db module, presence and waiting calls.
  `
  CREATE TABLE version (table_name VARCHAR(32) PRIMARY KEY, table_version INTEGER NOT NULL DEFAULT 0);
  INSERT INTO version(table_name, table_version) VALUES ('subscriber', 7);
  CREATE TABLE subscriber (
    id SERIAL PRIMARY KEY,
    username VARCHAR(64) NOT NULL DEFAULT '',
    domain VARCHAR(64) NOT NULL DEFAULT '',
    password VARCHAR(64) NOT NULL DEFAULT '',
    ha1 VARCHAR(128) NOT NULL DEFAULT '',
    ha1b VARCHAR(128) NOT NULL DEFAULT '',
    practice_caller INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT subscriber_account_idx UNIQUE (username, domain)
  );
  CREATE TABLE agent_presence (
    username VARCHAR(64) COLLATE "C" PRIMARY KEY,
    state VARCHAR(16) NOT NULL,
    reason VARCHAR(32),
    category ${T},
    since BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
  );
  CREATE TABLE waiting_calls (call_id VARCHAR(64) PRIMARY KEY, since BIGINT NOT NULL);
  `,
  `
  -- Callbacks (issue 19): one row per citizen waiting to be called back, in the order they first
  -- asked. One open callback per number (a new request merges into it), one offer per agent, one
  -- dial in flight per callback: constraints, so no race between server instances can break them.
  CREATE TABLE callbacks (
    id ${T} PRIMARY KEY,
    number_e164 ${T} NOT NULL,
    number_raw ${T} NOT NULL,
    sources ${T} NOT NULL,
    call_id ${T},
    topic ${T},
    note ${T},
    asked_at ${T} NOT NULL,
    due_at ${T} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    retry_minutes INTEGER NOT NULL,
    state ${T} NOT NULL CHECK (state IN ('pending', 'offered', 'dialling', 'connected', 'completed', 'failed', 'cancelled', 'expired')),
    owner ${T},
    owner_until ${T},
    offered_to ${T},
    offer_until ${T},
    passed ${T} NOT NULL DEFAULT '[]',
    created_by ${T},
    updated_at ${T} NOT NULL
  );
  CREATE UNIQUE INDEX callbacks_open_number ON callbacks(number_e164) WHERE state IN ('pending', 'offered', 'dialling', 'connected');
  CREATE UNIQUE INDEX callbacks_one_offer ON callbacks(offered_to) WHERE state = 'offered';
  CREATE INDEX callbacks_queue ON callbacks(state, asked_at);

  CREATE TABLE callback_attempts (
    id ${T} PRIMARY KEY,
    callback_id ${T} NOT NULL REFERENCES callbacks(id),
    agent_id ${T} NOT NULL,
    started_at ${T} NOT NULL,
    outcome ${T},
    ended_at ${T},
    settled_by ${T}
  );
  CREATE UNIQUE INDEX callback_attempts_one_open ON callback_attempts(callback_id) WHERE outcome IS NULL;

  -- Requests already taken (the IVR's idempotency keys): a replay answers what the first got.
  CREATE TABLE callback_requests (key ${T} PRIMARY KEY, callback_id ${T} NOT NULL, received_at ${T} NOT NULL);
  `,
  // Kamailio's calls nobody answered (sip-store.ts), taken by the city server as callback requests.
  `
  CREATE TABLE abandoned_calls (call_id VARCHAR(64) PRIMARY KEY, caller VARCHAR(24) NOT NULL, at BIGINT NOT NULL);
  `,  `
  -- Reservations (issue 19): the city's slots as its setting has them, with how many are booked;
  -- a booking takes a place only while one is left (booked < capacity, in the same statement),
  -- and the CHECK holds the line whatever runs.
  CREATE TABLE reservation_slots (
    id ${T} PRIMARY KEY,
    start_at ${T} NOT NULL,
    minutes INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    booked INTEGER NOT NULL DEFAULT 0,
    CHECK (booked >= 0 AND booked <= capacity)
  );
  CREATE TABLE reservations (
    id ${T} PRIMARY KEY,
    slot_id ${T} NOT NULL REFERENCES reservation_slots(id),
    number_e164 ${T} NOT NULL,
    note ${T},
    state ${T} NOT NULL CHECK (state IN ('booked', 'cancelled', 'called')),
    booked_by ${T} NOT NULL,
    created_at ${T} NOT NULL,
    reminded_at ${T},
    callback_id ${T},
    updated_at ${T} NOT NULL
  );
  CREATE UNIQUE INDEX reservations_one_per_number ON reservations(slot_id, number_e164) WHERE state = 'booked';
  CREATE INDEX reservations_by_state ON reservations(state, slot_id);
  `,
  `
  ALTER TABLE records ADD COLUMN callback_id ${T};
  CREATE INDEX records_by_callback ON records(callback_id) WHERE callback_id IS NOT NULL;
  `,
  `
  -- Text inquiries (issue 20): one open thread per citizen number; each text the carrier
  -- delivered once (its message id), stored before it is acknowledged. Replies are messages too,
  -- and go to the carrier through sms_outbox (keyed by thread and message), which now keeps the
  -- reference the carrier knows each text by and what its receipt said.
  CREATE TABLE text_threads (
    id ${T} PRIMARY KEY,
    number_e164 ${T} NOT NULL,
    state ${T} NOT NULL CHECK (state IN ('open', 'closed')),
    opened_at ${T} NOT NULL,
    last_in_at ${T} NOT NULL,
    first_response_due ${T} NOT NULL,
    first_response_at ${T},
    assigned_to ${T},
    offered_to ${T},
    offer_until ${T},
    passed ${T} NOT NULL DEFAULT '[]',
    closed_at ${T},
    closed_by ${T},
    updated_at ${T} NOT NULL
  );
  CREATE UNIQUE INDEX text_threads_one_open ON text_threads(number_e164) WHERE state = 'open';
  CREATE UNIQUE INDEX text_threads_one_offer ON text_threads(offered_to) WHERE offered_to IS NOT NULL;
  CREATE INDEX text_threads_by_number ON text_threads(number_e164, opened_at);
  CREATE INDEX text_threads_by_state ON text_threads(state, first_response_due);

  CREATE TABLE text_messages (
    id ${T} PRIMARY KEY,
    thread_id ${T} NOT NULL REFERENCES text_threads(id),
    direction ${T} NOT NULL CHECK (direction IN ('in', 'out')),
    carrier_id ${T},
    body ${T} NOT NULL,
    kind ${T} NOT NULL CHECK (kind IN ('sms', 'lms', 'mms')),
    at ${T} NOT NULL,
    agent_id ${T}
  );
  CREATE UNIQUE INDEX text_messages_inbound ON text_messages(carrier_id) WHERE direction = 'in';
  CREATE INDEX text_messages_by_thread ON text_messages(thread_id, at);

  CREATE TABLE text_media (
    id ${T} PRIMARY KEY,
    message_id ${T} NOT NULL REFERENCES text_messages(id),
    type ${T} NOT NULL,
    bytes INTEGER NOT NULL,
    data ${T} NOT NULL
  );
  CREATE INDEX text_media_by_message ON text_media(message_id);

  ALTER TABLE sms_outbox ADD COLUMN ref ${T};
  ALTER TABLE sms_outbox ADD COLUMN carrier_id ${T};
  ALTER TABLE sms_outbox ADD COLUMN kind ${T};
  ALTER TABLE sms_outbox ADD COLUMN delivery ${T};
  ALTER TABLE sms_outbox ADD COLUMN delivery_at ${T};
  CREATE UNIQUE INDEX sms_outbox_ref ON sms_outbox(ref) WHERE ref IS NOT NULL;

  -- What a consultation came by (a call, a text thread, a callback) and the thread it closed.
  ALTER TABLE records ADD COLUMN channel ${T} NOT NULL DEFAULT 'call';
  ALTER TABLE records ADD COLUMN thread_id ${T};
  CREATE INDEX records_by_thread ON records(thread_id) WHERE thread_id IS NOT NULL;
  `,
  `
  -- Accounts gain the portal's roles and an editor's department.
  ALTER TABLE users DROP CONSTRAINT users_role_check;
  ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('agent', 'lead', 'phone', 'editor', 'reviewer'));
  ALTER TABLE users ADD COLUMN department ${T};

  -- The knowledge portal (issue 21). Entries gain the manual's fields beyond 업무개요 (JSON), an
  -- owner and the day they were last verified; departments write drafts a reviewer approves (at
  -- most one open per entry, so the published entry stays live while its next version is
  -- reviewed); desks flag entries and report the searches that found nothing worth opening.
  ALTER TABLE manual_entries ADD COLUMN sections ${T};
  ALTER TABLE manual_entries ADD COLUMN owner ${T};
  ALTER TABLE manual_entries ADD COLUMN verified_at ${T};

  CREATE TABLE manual_drafts (
    id ${T} PRIMARY KEY,
    entry_id ${T} NOT NULL,
    department ${T} NOT NULL,
    action ${T} NOT NULL CHECK (action IN ('publish', 'archive')),
    base_version INTEGER,
    content ${T} NOT NULL,
    state ${T} NOT NULL CHECK (state IN ('draft', 'review', 'rejected', 'scheduled', 'published', 'withdrawn')),
    author ${T} NOT NULL,
    created_at ${T} NOT NULL,
    updated_at ${T} NOT NULL,
    submitted_at ${T},
    reviewer ${T},
    decided_at ${T},
    publish_at ${T},
    published_version INTEGER,
    comments ${T} NOT NULL DEFAULT '[]',
    -- Everyone who wrote in it besides its author: none of them may approve it.
    editors ${T} NOT NULL DEFAULT '[]'
  );
  CREATE UNIQUE INDEX manual_drafts_one_open ON manual_drafts(entry_id) WHERE state IN ('draft', 'review', 'rejected', 'scheduled');
  CREATE INDEX manual_drafts_by_department ON manual_drafts(department, state);
  CREATE INDEX manual_drafts_due ON manual_drafts(publish_at) WHERE state = 'scheduled';

  CREATE TABLE manual_flags (
    id ${T} PRIMARY KEY,
    entry_id ${T} NOT NULL,
    entry_version INTEGER NOT NULL,
    department ${T},
    kind ${T} NOT NULL CHECK (kind IN ('wrong', 'outdated', 'incomplete', 'duplicate')),
    note ${T} NOT NULL,
    agent ${T} NOT NULL,
    at ${T} NOT NULL,
    received_at ${T} NOT NULL,
    during_call INTEGER NOT NULL,
    state ${T} NOT NULL CHECK (state IN ('open', 'fixed', 'answered')),
    reply ${T},
    closed_by ${T},
    closed_at ${T},
    fixed_version INTEGER
  );
  CREATE INDEX manual_flags_by_department ON manual_flags(department, state, received_at);
  CREATE INDEX manual_flags_by_entry ON manual_flags(entry_id, state);
  CREATE INDEX manual_flags_by_agent ON manual_flags(agent, received_at);

  -- A search that ended without an entry opened; its Korean terms are what the grouping compares.
  CREATE TABLE search_misses (
    id ${T} PRIMARY KEY,
    query ${T} NOT NULL,
    terms ${T} NOT NULL,
    category ${T},
    at ${T} NOT NULL,
    week ${T} NOT NULL,
    agent ${T} NOT NULL
  );
  CREATE INDEX search_misses_by_week ON search_misses(week, category);

  -- How often records linked each entry, kept at intake (the records hold the links as JSON).
  CREATE TABLE entry_links (entry_id ${T} PRIMARY KEY, count INTEGER NOT NULL);
  CREATE INDEX sms_outbox_by_entry ON sms_outbox(entry_id);

  INSERT INTO entry_links(entry_id, count)
    SELECT j.value, COUNT(*) FROM records, jsonb_array_elements_text(records.manual_ids::jsonb) AS j(value) GROUP BY j.value;
  UPDATE manual_entries SET verified_at = updated_at;
  `,  `
  -- A read-only role for the city's policy staff.
  ALTER TABLE users DROP CONSTRAINT users_role_check;
  ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('agent', 'lead', 'phone', 'editor', 'reviewer', 'analyst'));

  -- The analysis of the records (issue 22). A record may name the district it is about, and is a
  -- repeat when the same number asked about the same category in the 7 days before it. Rollups are
  -- kept at intake, so the dashboard reads years without the raw records; the raw records stay
  -- for drill-down and for rebuilding the rollups (the server rebuilds them once after this step).
  ALTER TABLE records ADD COLUMN district ${T};
  ALTER TABLE records ADD COLUMN is_repeat INTEGER NOT NULL DEFAULT 0;
  -- The start as epoch milliseconds: records keep the offset they were written with, so their
  -- text does not sort by instant; the repeat window is looked up by this.
  ALTER TABLE records ADD COLUMN started_ms BIGINT NOT NULL DEFAULT 0;
  UPDATE records SET started_ms = ROUND(EXTRACT(EPOCH FROM CAST(started_at AS TIMESTAMPTZ)) * 1000);
  CREATE INDEX records_repeat_window ON records(caller_e164, category, started_ms);
  -- Ranges of Seoul days read by it exactly (drill-down, exports, the board), not by text widened by 14 hours.
  CREATE INDEX records_started_ms ON records(started_ms);

  -- Seoul day, hour (0-23), category, channel and district ('' when none), and their consultations.
  CREATE TABLE rollup_cells (
    day ${T} NOT NULL,
    hour INTEGER NOT NULL,
    category ${T} NOT NULL,
    channel ${T} NOT NULL,
    district ${T} NOT NULL,
    consultations INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    transferred INTEGER NOT NULL,
    callbacks INTEGER NOT NULL,
    complaints INTEGER NOT NULL,
    repeats INTEGER NOT NULL,
    answered_first INTEGER NOT NULL,
    handle_seconds BIGINT NOT NULL,
    PRIMARY KEY (day, hour, category, channel, district)
  );
  -- The same measures per day, category and channel: the time series read this small table.
  CREATE TABLE rollup_days (
    day ${T} NOT NULL,
    category ${T} NOT NULL,
    channel ${T} NOT NULL,
    consultations INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    transferred INTEGER NOT NULL,
    callbacks INTEGER NOT NULL,
    complaints INTEGER NOT NULL,
    repeats INTEGER NOT NULL,
    answered_first INTEGER NOT NULL,
    handle_seconds BIGINT NOT NULL,
    PRIMARY KEY (day, category, channel)
  );
  -- Narrower sums for the heatmap and the districts, so neither reads the cells of a whole year.
  CREATE TABLE rollup_hours (day ${T} NOT NULL, hour INTEGER NOT NULL, channel ${T} NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, hour, channel));
  CREATE TABLE rollup_districts (day ${T} NOT NULL, district ${T} NOT NULL, top_category ${T} NOT NULL, channel ${T} NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, district, top_category, channel));
  CREATE TABLE rollup_transfers (day ${T} NOT NULL, category ${T} NOT NULL, channel ${T} NOT NULL, department ${T} NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, category, channel, department));
  -- The Korean terms of the notes (each record counted once per term), purged with the records.
  CREATE TABLE rollup_terms (day ${T} NOT NULL, channel ${T} NOT NULL, term ${T} NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, channel, term));
  CREATE TABLE rollup_entries (day ${T} NOT NULL, channel ${T} NOT NULL, entry_id ${T} NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, channel, entry_id));

  -- Calls to the representative number as the SIP server saw them (answered, or given up while
  -- waiting), taken from its log by the city server: the Call-ID's md5 only, no number.
  CREATE TABLE queue_calls (call_id ${T} PRIMARY KEY, arrived_at ${T} NOT NULL, answered INTEGER NOT NULL, wait_ms INTEGER NOT NULL);
  CREATE INDEX queue_calls_arrived ON queue_calls(arrived_at);
  CREATE TABLE rollup_queue (
    day ${T} NOT NULL,
    hour INTEGER NOT NULL,
    offered INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    abandoned INTEGER NOT NULL,
    answered_wait_ms BIGINT NOT NULL,
    abandoned_wait_ms BIGINT NOT NULL,
    PRIMARY KEY (day, hour)
  );

  -- Every export of the analysis (web or command line): who, what, when.
  CREATE TABLE export_log (
    id ${T} PRIMARY KEY,
    at ${T} NOT NULL,
    actor ${T} NOT NULL,
    source ${T} NOT NULL,
    format ${T} NOT NULL,
    from_day ${T} NOT NULL,
    to_day ${T} NOT NULL,
    channels ${T} NOT NULL,
    bytes INTEGER NOT NULL
  );
  CREATE INDEX export_log_at ON export_log(at);

  -- Kamailio's queue log (sip-store.ts): calls to the representative number from arrival to
  -- answer or end, taken by the city server for the analysis (queue-log.ts).
  CREATE TABLE queue_log (call_id VARCHAR(64) PRIMARY KEY, arrived BIGINT NOT NULL, answered BIGINT, gone BIGINT);

  INSERT INTO meta(key, value) VALUES ('rollups', 'stale');
  `,  `
  -- The city's auditor may play call recordings.
  ALTER TABLE users DROP CONSTRAINT users_role_check;
  ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('agent', 'lead', 'phone', 'editor', 'reviewer', 'analyst', 'auditor'));
  -- The team board's alert: warnings the agent has given on the current call.
  ALTER TABLE agent_presence ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;

  -- Call recording and the abusive-caller protocol (issue 23). A record names the SIP calls it
  -- was (the gateway files recordings by Call-ID), the warnings given, a protocol end, and a
  -- report (성희롱·위협) whose recordings are kept until a team lead closes its case.
  ALTER TABLE records ADD COLUMN warnings_played INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE records ADD COLUMN warnings_spoken INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE records ADD COLUMN end_reason ${T};
  ALTER TABLE records ADD COLUMN report_kind ${T};
  ALTER TABLE records ADD COLUMN case_closed_at ${T};
  ALTER TABLE records ADD COLUMN case_closed_by ${T};
  ALTER TABLE records ADD COLUMN case_note ${T};
  -- Every desk's screen-pop counts a caller's protocol ends over 90 days.
  CREATE INDEX records_abusive ON records(caller_e164, started_ms) WHERE end_reason IS NOT NULL;
  CREATE INDEX records_reported ON records(report_kind, case_closed_at) WHERE report_kind IS NOT NULL;
  CREATE TABLE record_calls (call_id ${T} PRIMARY KEY, record_id ${T} NOT NULL);
  CREATE INDEX record_calls_record ON record_calls(record_id);

  -- Recordings, encrypted at rest in files (recordings/ beside the data); one per call and source.
  CREATE TABLE recordings (
    id ${T} PRIMARY KEY,
    record_id ${T},
    call_id ${T} NOT NULL,
    source ${T} NOT NULL,
    caller_e164 ${T},
    callee ${T},
    uploaded_by ${T},
    started_at ${T} NOT NULL,
    started_ms BIGINT NOT NULL,
    ended_at ${T} NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    bytes BIGINT NOT NULL,
    media_type ${T} NOT NULL,
    file ${T} NOT NULL,
    received_at ${T} NOT NULL,
    UNIQUE (call_id, source)
  );
  CREATE INDEX recordings_record ON recordings(record_id);
  CREATE INDEX recordings_started ON recordings(started_ms);
  CREATE INDEX recordings_unlinked ON recordings(caller_e164, started_ms) WHERE record_id IS NULL;
  -- Every playback, download and refused attempt, with its reason.
  CREATE TABLE recording_access (
    id ${T} PRIMARY KEY,
    at ${T} NOT NULL,
    actor ${T} NOT NULL,
    role ${T} NOT NULL,
    recording_id ${T},
    record_id ${T},
    purpose ${T} NOT NULL,
    reason ${T} NOT NULL,
    allowed INTEGER NOT NULL
  );
  CREATE INDEX recording_access_at ON recording_access(at);
  `,
];
