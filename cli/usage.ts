export class UsageError extends Error {}

export const HELP = `minwon — Minwon Desk (민원데스크) operator tool

Usage: minwon <command> [options]

City server
  server [--data DIR] [--database postgres://...] [--port N] [--host ADDR] [--demo] [--area-code 054]
         [--token-ttl SEC] [--sip-domain D] [--sip-ws ws://127.0.0.1:8088] [--stun stun:HOST:PORT,...]
         [--trust-proxy ADDR[/BITS],...] [--sms-carrier URL] [--recordings DIR] [--recording-spool DIR]
      Run the city server over the SQLite store in DIR (default .data/city), or over PostgreSQL
      with --database (or MINWON_DATABASE_URL, which keeps the password out of the process list;
      the SIP server's accounts, presence and waiting calls are then in that database too, and
      DIR holds the update feed). --demo seeds the demo
      data set on first start: manual, FAQ, directory, two months of consultations and the accounts
      agent1/agent1, agent2/agent2 (agents), lead1/lead1 (team lead) and the SIP-only phones
      citizen1, citizen2 (practice callers), 3511 and 3512 (staff extensions). Port 0 picks a free
      port. --stun tells desks the city's STUN servers (none by default; '' clears). --trust-proxy
      names the load balancers in front, whose X-Forwarded-For gives each client's address (the
      login throttle and the citizens' forms count by it). MINWON_PBX_SECRET (16+ characters) is
      the secret the city's PBX signs its IVR callback requests with. The citizens' page for
      callbacks and reservations is /public. MINWON_SMS_SECRET (16+ characters) is the secret
      shared with the city's SMS gateway: it signs inbound texts (/api/sms/inbound) and receipts
      (/api/sms/receipts), and the city signs what it sends to the carrier's API at --sms-carrier
      (without one, sent texts go to DIR/sms-sent.jsonl). Call recordings are kept sealed (AES-256-GCM)
      in --recordings (default DIR/recordings) under the key in DIR/recording.key, made on first
      start (readable by its owner only), or MINWON_RECORDING_KEY (32 bytes in base64: the same for
      every instance of a PostgreSQL city, with a --recordings folder they share); the gateway's
      finished calls are taken from --recording-spool (default DIR/recording-spool, where
      minwon sip --data DIR records).
  carrier --city URL [--port 8490] [--receipt delivered|failed|none] [--receipt-delay MS]
      Stand in for the SMS carrier (demo and tests): takes the city's texts at /messages (signed
      with MINWON_SMS_SECRET, one text per reference), lists them at GET /sent, and sends a
      receipt for each to the city; POST /inbound {from, text} sends a citizen's text to the city
      as the gateway would.
  import FILE (--data DIR | --database postgres://...) [--prune] [--by NAME]
      Import manual entries from JSONL or CSV (by extension) into the store. Every row is checked
      first; if any is bad, the problems are listed with line numbers and nothing is imported.
      --prune deletes live entries of the file's kinds that the file no longer lists.
  report --from DATE --to DATE --format csv|xlsx|pdf --out FILE (--data DIR | --database postgres://...)
      [--channels call,text,callback] [--grain day|week|month]
      The analysis of the consultation records of Seoul days DATE to DATE (both included) as a
      file to publish: every table of the dashboard, cells of fewer than 5 citizens suppressed, no
      phone number or note in it (pdf: the printable report, printed by Chromium). Each export is
      written to the export log.
  rollups check|rebuild (--data DIR | --database postgres://...)
      check: compare the analysis's rollups (kept at intake) with what the records and the queue's calls give; exit 1
      and list the differences if they differ. rebuild: recompute them, and the repeat flags, from
      the records (days whose records retention purged keep their rollups).
  migrate-store --from DIR --to postgres://...
      Copy the SQLite store of DIR into an empty PostgreSQL database (MINWON_DATABASE_URL for
      --to keeps the password out of the process list): every table and row, revisions and epoch
      too (desks go on syncing from their cursors), in one transaction; then every table is
      compared by rows and checksum. Stop the server first.
  user add NAME --role agent|lead|phone|editor|reviewer|analyst|auditor (--data DIR | --database postgres://...) [--display-name TEXT] [--practice-caller]
      Create an account; the password comes from MINWON_PASSWORD (or --password). With
      --database (or MINWON_DATABASE_URL) every user command works on the PostgreSQL store.
      The SIP server's accounts follow at once (DIR/sip.sqlite, or the database).
      --practice-caller (phone accounts only): a trainer's practice caller, which may present a
      citizen's number to the desks (P-Asserted-Identity) as the PBX trunk does; the SIP server
      strips that header from every other account.
  user passwd NAME (--data DIR | --database postgres://...)
      Set an account's password from MINWON_PASSWORD (or --password); its sessions end at once.
  user disable NAME (--data DIR | --database postgres://...)
      Disable an account: signed out everywhere at once, no sign-in, its phone no longer registers.
  user sip-reset NAME (--data DIR | --database postgres://...)
      Give an account a new SIP secret (after a leak); its desk gets it at its next login.
  sip [--data DIR] [--database postgres://...] [--ws-port 8088] [--sip-port 5060] [--max-expires 3600] [--pbx ADDR[:PORT],...]
      [--ng-port 2223] [--rtp-ports 30000-30999] [--no-recording] [--bypass-media-gateway]
      Run Debian's Kamailio as the SIP server (resources/kamailio/kamailio.cfg): SIP over WebSocket
      for the agents' phones and UDP for SIP clients, on loopback, with the digest credentials the
      city server provisions in DIR/sip.sqlite (default .data/city; its run files go there too), or in
      the city's PostgreSQL database with --database
      (or MINWON_DATABASE_URL; then every Kamailio shares accounts, presence and waiting calls with
      every city server instance). Each account's SIP secret is given to the desk at login.
      Calls to the representative number 2708282 go to the ready agent idle the longest (486 busy
      when nobody is ready). rtpengine runs beside it as the media gateway between the PBX's plain
      RTP and the desks' WebRTC (restarted if it dies). --pbx names the city PBX's trunk addresses:
      trusted without registration, and where agents' calls to outside numbers go (the first, then
      the next). rtpengine records every call it bridges (PBX <-> desk), both sides, into
      DIR/recording-spool, which the city server takes in; --no-recording turns that off (the desks
      then record those calls themselves). --bypass-media-gateway is the tests' negative control:
      never use rtpengine.
  practice --server URL --user NAME [--password PW] [--port N] [--number 2708282]
      Serve the practice phone (a minimal softphone for trainers, logged in as a 'phone' account)
      that calls the representative number as a citizen would.

Releases (city IT)
  release keygen --out DIR [--pin FILE] [--note TEXT]
      Make an Ed25519 release key: the private key goes to DIR (mode 600; keep it offline), the
      public key is printed and, with --pin, added to a pinned key list such as
      resources/update/trusted-keys.json (built into the desk; set "threshold" there for k-of-n).
  release sign INSTALLER [FILE...] --key PEM[,PEM...] --version V --platform win32|linux --out DIR
       [--arch x64] [--channel stable|pilot] [--serial N] [--staging PCT] [--expires-days 30]
       [--updater-metadata]
      Sign a release manifest over the files' sha512 and sizes into DIR/release-PLATFORM-ARCH.json
      (DIR is the channel's feed folder, DATA/updates/CHANNEL on the city server; the files are
      copied there). The serial defaults to one more than the manifest it replaces.
      --updater-metadata also writes electron-updater's latest.yml / latest-linux.yml.
  release verify --feed URL --keys FILE --platform win32|linux [--arch x64] [--channel stable]
       [--serial N]
      Check a feed's manifest as a desk would (signature, channel, platform, serial, expiry).

Agent desk
  sync --server URL --cache FILE [--cache-key-file FILE] [--user NAME --password PW] [--page-rows N] [--json]
      One sync of an agent cache: pull the city's changes, upload the record outbox, print what
      changed. Credentials also come from MINWON_USER / MINWON_PASSWORD. --page-rows (default
      5000, the most the server sends) asks for smaller pages on a slow link. Desk caches are
      encrypted (SQLCipher); the key is --cache-key-file, by default FILE.key beside the cache,
      made (mode 600) when missing; a cache still in clear is encrypted in place.
  host --server URL --cache FILE [--cache-key-file FILE] [--port N] [--user NAME --password PW] [--interval SEC] [--static DIR]
       [--sip-ws ws://127.0.0.1:8088]
      Run the agent core (cache, sync, outbox, search) and the browser host: the built renderer
      (npm run build:renderer) with the core's contract on the same origin at /core; the page may
      also connect to the SIP server's WebSocket (--sip-ws).
  demo [--data DIR] [--port N] [--desk-port N] [--ws-port N] [--sip-port N] [--pbx 127.0.0.1:5090]
       [--carrier-port 8490]
      Start a demo city server (8470), Kamailio (WebSocket 8088, UDP 5060) with rtpengine and the
      PBX trunk 127.0.0.1:5090 (resources/baresip calls from there), the SMS carrier's stand-in
      (8490, as minwon carrier; its POST /inbound texts the city as a citizen), the desks of agent1
      (8471) and agent2 (8472), the practice phone (8473) as citizen1, staff phone 3511 (8474) and
      team lead lead1's desk (8475); Ctrl-C stops them all.

  search QUERY --cache FILE [--cache-key-file FILE] [--limit N] [--category C] [--json]
      Search a desk cache as the agent does (Korean: 2-syllable words, particles, spacing, 초성,
      typos, English-mode keystrokes, synonyms). With - as QUERY, reads one query a line from stdin
      and prints one JSON line each: {"query", "results": [{"id", "title", "score"}], "tookMs"}.
  index --cache FILE [--cache-key-file FILE] --manual FILE.jsonl [--synonyms FILE.json]
      Build a desk cache straight from a manual file (the import format), for an offline install
      or an evaluation.

Data
  generate manual|history --count N [--seed S]
      Print deterministic JSONL (scaled manual entries, or consultation records) for tests and
      benchmarks.

  help    This text.
`;
