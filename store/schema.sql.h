/*
 * store/schema.sql.h: the schema, as an ordered list of migrations.
 * Migration i (0-based) takes a database from PRAGMA user_version i to
 * i + 1; store_open() applies each one in its own transaction.  Never edit
 * a migration that has shipped: append a new one and bump
 * STORE_SCHEMA_VERSION in store.h.
 *
 * Conventions: times are INTEGER seconds since the epoch, UTC; JSON is
 * stored as TEXT; "address" is an E.164 number ("+8613800138000") or a
 * channel member id ("groups:wx-member-17").  Included only by store.c.
 */
#ifndef MINYI_STORE_SCHEMA_SQL_H
#define MINYI_STORE_SCHEMA_SQL_H

/* Version 1: the six-orders loop, its channels and the outbox. */
static const char STORE_SCHEMA_V1[] =
	/* People who have written to us, by address. */
	"CREATE TABLE residents (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	address		TEXT NOT NULL UNIQUE,	-- E.164 or \"channel:member-id\"\n"
	"	language	TEXT NOT NULL DEFAULT 'zh',\n"
	"	opted_out	INTEGER NOT NULL DEFAULT 0,	-- 1 after STOP/退订\n"
	"	created_at	INTEGER NOT NULL,\n"
	"	updated_at	INTEGER NOT NULL\n"
	");\n"

	/* One open dialog per (channel, address); deleted when it ends. */
	"CREATE TABLE conversations (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	channel		TEXT NOT NULL,\n"
	"	address		TEXT NOT NULL,\n"
	"	state		TEXT NOT NULL,		-- the dialog's state name\n"
	"	data		TEXT NOT NULL DEFAULT '{}',	-- JSON: partial answers\n"
	"	updated_at	INTEGER NOT NULL,\n"
	"	expires_at	INTEGER,		-- NULL: never\n"
	"	UNIQUE (channel, address)\n"
	");\n"

	/*
	 * Cases: one request each, through the six orders.  number is the
	 * short number residents and deputies type (\"进度 42\").
	 */
	"CREATE TABLE cases (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	number		INTEGER NOT NULL UNIQUE,\n"
	"	status		TEXT NOT NULL CHECK (status IN ('received',\n"
	"			    'accepted', 'dispatched', 'in_progress',\n"
	"			    'resolved', 'closed', 'reopened', 'declined',\n"
	"			    'cancelled')),\n"
	"	channel		TEXT NOT NULL,		-- the channel it came in on\n"
	"	citizen		TEXT NOT NULL,		-- the resident's address\n"
	"	grid		TEXT,			-- config grids[].id\n"
	"	township	TEXT,			-- config townships[].id\n"
	"	category	TEXT,			-- config categories[].id\n"
	"	tier		INTEGER,		-- 1 station, 2 township, 3 county\n"
	"	description	TEXT NOT NULL,\n"
	"	place		TEXT,\n"
	"	deputy		TEXT,			-- config deputies[].id\n"
	"	department	TEXT,			-- config departments[].id\n"
	"	language	TEXT NOT NULL DEFAULT 'zh',\n"
	"	flags		INTEGER NOT NULL DEFAULT 0,	-- 1 triage, 2 escalated,\n"
	"					-- 4 overdue, 8 reminded\n"
	"	media		TEXT,			-- JSON array of URLs\n"
	"	due_at		INTEGER,\n"
	"	accepted_at	INTEGER,\n"
	"	resolved_at	INTEGER,\n"
	"	closed_at	INTEGER,\n"
	"	rating		INTEGER,		-- the last score, 1..5\n"
	"	rating_comment	TEXT,\n"
	"	created_at	INTEGER NOT NULL,\n"
	"	updated_at	INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX cases_status_grid ON cases (status, grid, created_at);\n"
	"CREATE INDEX cases_citizen ON cases (citizen, created_at);\n"
	"CREATE INDEX cases_deputy ON cases (deputy, status);\n"
	"CREATE INDEX cases_created ON cases (created_at);\n"

	/*
	 * Inbound messages, as the provider sent them.  provider_id makes
	 * webhook retries idempotent; providers without ids are deduplicated
	 * on (channel, address, body_hash) within a short window.
	 */
	"CREATE TABLE messages (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	channel		TEXT NOT NULL,\n"
	"	provider_id	TEXT,			-- MessageSid and the like\n"
	"	address		TEXT NOT NULL,		-- the sender\n"
	"	body		TEXT NOT NULL,\n"
	"	media		TEXT,			-- JSON array\n"
	"	params		TEXT,			-- JSON object: every provider parameter\n"
	"	body_hash	TEXT,\n"
	"	case_id		INTEGER REFERENCES cases (id),\n"
	"	created_at	INTEGER NOT NULL\n"
	");\n"
	"CREATE UNIQUE INDEX messages_provider_id ON messages (channel, provider_id)\n"
	"    WHERE provider_id IS NOT NULL;\n"
	"CREATE INDEX messages_dedup ON messages (channel, address, body_hash,\n"
	"    created_at);\n"

	/* Every step of every case (全过程留痕): append-only. */
	"CREATE TABLE case_events (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	case_id		INTEGER NOT NULL REFERENCES cases (id),\n"
	"	at		INTEGER NOT NULL,\n"
	"	actor		TEXT NOT NULL,		-- address, deputy id or \"system\"\n"
	"	kind		TEXT NOT NULL,		-- created, accepted, note, ...\n"
	"	from_status	TEXT,\n"
	"	to_status	TEXT,\n"
	"	detail		TEXT\n"
	");\n"
	"CREATE INDEX case_events_case ON case_events (case_id, id);\n"
	"CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events\n"
	"BEGIN\n"
	"	SELECT RAISE(ABORT, 'case_events is append-only');\n"
	"END;\n"
	"CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events\n"
	"BEGIN\n"
	"	SELECT RAISE(ABORT, 'case_events is append-only');\n"
	"END;\n"

	/*
	 * The transactional outbox: messages to send, written in the same
	 * transaction as the change that caused them; the sender delivers
	 * them in id order per (channel, address).
	 */
	"CREATE TABLE outbox (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	channel		TEXT NOT NULL,\n"
	"	address		TEXT NOT NULL,		-- the recipient\n"
	"	body		TEXT NOT NULL,\n"
	"	case_id		INTEGER REFERENCES cases (id),\n"
	"	kind		TEXT NOT NULL DEFAULT 'reply',\n"
	"	urgent		INTEGER NOT NULL DEFAULT 1,	-- 0: waits out quiet hours\n"
	"	status		TEXT NOT NULL DEFAULT 'pending' CHECK (status IN\n"
	"			    ('pending', 'sending', 'sent', 'delivered',\n"
	"			    'undelivered', 'failed', 'dead')),\n"
	"	attempts	INTEGER NOT NULL DEFAULT 0,\n"
	"	next_at		INTEGER NOT NULL,	-- not before this time\n"
	"	provider_id	TEXT,			-- set once the provider took it\n"
	"	error		TEXT,\n"
	"	created_at	INTEGER NOT NULL,\n"
	"	updated_at	INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX outbox_due ON outbox (status, next_at);\n"
	"CREATE INDEX outbox_recipient ON outbox (channel, address, id);\n"
	"CREATE UNIQUE INDEX outbox_provider_id ON outbox (channel, provider_id)\n"
	"    WHERE provider_id IS NOT NULL;\n"

	/*
	 * Delivery receipts that arrived before their outbox row learnt its
	 * provider id; applied and deleted when it does.
	 */
	"CREATE TABLE receipts (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	channel		TEXT NOT NULL,\n"
	"	provider_id	TEXT NOT NULL,\n"
	"	status		TEXT NOT NULL,\n"
	"	error		TEXT,\n"
	"	at		INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX receipts_provider_id ON receipts (channel, provider_id);\n"

	/* Residents' ratings of resolved cases (群众评单), one per prompt. */
	"CREATE TABLE ratings (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	case_id		INTEGER NOT NULL REFERENCES cases (id),\n"
	"	score		INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),\n"
	"	comment		TEXT,\n"
	"	at		INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX ratings_case ON ratings (case_id);\n"

	/* Small service state, e.g. the scheduler's marks. */
	"CREATE TABLE kv (\n"
	"	key		TEXT PRIMARY KEY,\n"
	"	value		TEXT\n"
	");\n";

/*
 * Version 2: where a case's updates go.  A group member is reached through
 * the group's robot, a hotline caller by SMS over the hotline's
 * reply_channel: the case keeps the channel and address to write to.
 */
static const char STORE_SCHEMA_V2[] =
	"ALTER TABLE cases ADD COLUMN reply_channel TEXT;\n"
	"ALTER TABLE cases ADD COLUMN reply_address TEXT;\n"
	"UPDATE cases SET reply_channel = channel, reply_address = citizen;\n";

/*
 * Version 3: what the scheduler (督办) reads, so that each reminder fires
 * once whatever restarts happen, and when a case next needs a look
 * (sched_at, 0 = never), so a tick reads only the cases that are due.
 */
static const char STORE_SCHEMA_V3[] =
	"ALTER TABLE cases ADD COLUMN assigned_at INTEGER;\n"
	"ALTER TABLE cases ADD COLUMN dispatched_at INTEGER;\n"
	"ALTER TABLE cases ADD COLUMN reminded_at INTEGER;\n"
	"ALTER TABLE cases ADD COLUMN escalated_at INTEGER;\n"
	"ALTER TABLE cases ADD COLUMN sched_at INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE INDEX cases_sched ON cases (sched_at) WHERE sched_at > 0;\n"
	"CREATE INDEX cases_department ON cases (department, status);\n"
	/* open cases get a look at the first tick, which sets sched_at */
	"UPDATE cases SET sched_at = 1 WHERE status NOT IN"
	" ('closed', 'declined', 'cancelled');\n";

/*
 * Version 4: indexes over the outbox rows still to send, so that the
 * sender's look for due rows, and for an earlier row that holds a
 * recipient's next one back, read only those rows, however many messages
 * have been sent before.  (An OR, not IN: SQLite checks an IN list of
 * more than two values through a temporary table, at every write.)
 */
static const char STORE_SCHEMA_V4[] =
	"CREATE INDEX outbox_pending ON outbox (channel, id, next_at)\n"
	"    WHERE status = 'pending';\n"
	"CREATE INDEX outbox_active ON outbox (channel, address, id)\n"
	"    WHERE status = 'pending' OR status = 'sending';\n";

/*
 * Version 5: a deputy's or a department's cases by the time they came in,
 * for the reports (履职考核, 民主评议) over a period: they read that
 * period's cases, not every case the deputy or department ever had.
 */
static const char STORE_SCHEMA_V5[] =
	"CREATE INDEX cases_deputy_created ON cases (deputy, created_at);\n"
	"CREATE INDEX cases_department_created ON cases (department, created_at);\n";

/*
 * Version 6: indexes that cost the inbound path nothing it does not use,
 * and a recipient's queue the sender need not read past.
 *
 * The look for a recent same text serves only channels without message
 * ids, so only their rows enter messages_dedup.  Nothing reads outbox_due
 * since version 4 but the withdrawal of held reminders (non-urgent rows
 * not yet tried), which outbox_held now serves: replies and alerts are
 * urgent and never enter it.
 *
 * A row written while an earlier one to the same recipient is still going
 * (sending, tried, or due) is held: it stays out of outbox_pending, so
 * the sender's look for due rows does not step over a busy recipient's
 * whole queue (a deputy's alerts after a storm) at every claim.  When a
 * row leaves pending/sending, the trigger lets the recipient's next held
 * row in.  The sender still checks order on every row it claims; held
 * only keeps rows out of its way.
 */
static const char STORE_SCHEMA_V6[] =
	"DROP INDEX messages_dedup;\n"
	"CREATE INDEX messages_dedup ON messages (channel, address, body_hash,\n"
	"    created_at) WHERE provider_id IS NULL;\n"
	"DROP INDEX outbox_due;\n"
	"CREATE INDEX outbox_held ON outbox (case_id)\n"
	"    WHERE status = 'pending' AND urgent = 0 AND attempts = 0;\n"
	"ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0\n"
	"    CHECK (held IN (0, 1));\n"
	"DROP INDEX outbox_pending;\n"
	"CREATE INDEX outbox_pending ON outbox (channel, id, next_at)\n"
	"    WHERE status = 'pending' AND held = 0;\n"
	"CREATE INDEX outbox_waiting ON outbox (channel, address, id)\n"
	"    WHERE status = 'pending' AND held = 1;\n"
	"CREATE TRIGGER outbox_release AFTER UPDATE OF status ON outbox\n"
	"    WHEN (old.status = 'pending' OR old.status = 'sending')\n"
	"    AND new.status <> 'pending' AND new.status <> 'sending'\n"
	"BEGIN\n"
	"    UPDATE outbox SET held = 0 WHERE id = (SELECT min(id) FROM outbox\n"
	"        WHERE channel = new.channel AND address = new.address\n"
	"        AND status = 'pending' AND held = 1);\n"
	"END;\n";

/*
 * Version 7: an outbox row's status only moves forward once the provider
 * has the message: sent, then undelivered or failed, then delivered.  A
 * receipt that says less than the row knows (Twilio's "queued" or
 * "sending" after "sent", "sent" after "undelivered", one that came late
 * or twice) leaves the row as it is, error included, instead of failing
 * the CHECK and with it the webhook or the sender's record of the send.
 * The sender's own moves (pending, sending and back) are not receipts and
 * are left alone.
 */
static const char STORE_SCHEMA_V7[] =
	"CREATE TRIGGER outbox_forward BEFORE UPDATE OF status ON outbox\n"
	"    WHEN old.status IN ('sent', 'delivered', 'undelivered', 'failed', 'dead')\n"
	"    AND new.status <> 'pending' AND new.status <> 'sending'\n"
	"    AND (CASE new.status WHEN 'sent' THEN 1 WHEN 'undelivered' THEN 2\n"
	"        WHEN 'failed' THEN 2 WHEN 'delivered' THEN 3 WHEN 'dead' THEN 3\n"
	"        ELSE 0 END) <=\n"
	"    (CASE old.status WHEN 'sent' THEN 1 WHEN 'undelivered' THEN 2\n"
	"        WHEN 'failed' THEN 2 ELSE 3 END)\n"
	"BEGIN\n"
	"    SELECT RAISE(IGNORE);\n"
	"END;\n";

/*
 * Version 8: the workbench's accounts and sessions (console/).  An account
 * is a config id (deputy, department, staff) with its Argon2id hash
 * (crypto_pwhash_str); failures within a window lock it for a while, kept
 * here so that the lock holds across threads and restarts.  A session is
 * known by the SHA-256 of its cookie's token, never by the token itself.
 * The 工作台 counts triage and overdue cases from an index that holds only
 * those (most cases never enter it).
 */
static const char STORE_SCHEMA_V8[] =
	"CREATE TABLE accounts (\n"
	"	id		TEXT PRIMARY KEY,	-- config deputies/departments/staff id\n"
	"	hash		TEXT NOT NULL,		-- crypto_pwhash_str (Argon2id)\n"
	"	failures	INTEGER NOT NULL DEFAULT 0,	-- failed logins since failed_at\n"
	"	failed_at	INTEGER,		-- first failure of the window\n"
	"	locked_until	INTEGER,\n"
	"	updated_at	INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE sessions (\n"
	"	token_hash	TEXT PRIMARY KEY,	-- hex SHA-256 of the cookie's token\n"
	"	account		TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,\n"
	"	csrf		TEXT NOT NULL,		-- the session's CSRF token\n"
	"	created_at	INTEGER NOT NULL,\n"
	"	seen_at		INTEGER NOT NULL	-- last request, for the idle expiry\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX sessions_account ON sessions (account);\n"
	"CREATE INDEX sessions_seen ON sessions (seen_at);\n"
	/* the 工作台's triage and overdue counts: only flagged cases enter */
	"CREATE INDEX cases_flagged ON cases (status) WHERE (flags & 5) <> 0;\n";

/*
 * Version 9: who filed a case on the resident's behalf (代办): a deputy,
 * a staff member or an observer ("deputy:d-niu", "staff:s-li",
 * "observer:o-qian"); NULL when the resident wrote themselves.  Joint
 * handling: the departments that assist the lead one (协办, ids joined by
 * ","; department stays the lead, 主办), and what the 交办 asks to be
 * done (办理事项、办理标准), both NULL when none.
 */
static const char STORE_SCHEMA_V9[] =
	"ALTER TABLE cases ADD COLUMN filed_by TEXT;\n"
	"ALTER TABLE cases ADD COLUMN assist TEXT;\n"
	"ALTER TABLE cases ADD COLUMN instruction TEXT;\n";

/*
 * Version 10: 民主评议, 民生实事票决 and deputies' duty records (README
 * "民主评议").  Self-contained: only new tables.
 *
 * A vote is counted into eval_tally / vote_tally, which keep per question
 * only a count and a sum: no row holds a voter's ballot, no column names
 * a voter, and nothing is timed.  Until a voter's last answer arrives,
 * the answers wait in eval_drawn.answers; counting clears them and sets
 * voted, a flag with no time.
 */
static const char STORE_SCHEMA_V10[] =
	"CREATE TABLE evaluators (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	township	TEXT NOT NULL,		-- config townships[].id\n"
	"	name		TEXT NOT NULL,\n"
	"	phone		TEXT NOT NULL,		-- E.164\n"
	"	kind		TEXT NOT NULL CHECK (kind IN ('enterprise',\n"
	"			    'resident', 'villager', 'deputy', 'supervisor')),\n"
	"	UNIQUE (township, phone)\n"
	");\n"
	"CREATE TABLE eval_rounds (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	name		TEXT NOT NULL UNIQUE,\n"
	"	townships	TEXT NOT NULL,		-- JSON array of ids\n"
	"	units		TEXT NOT NULL,		-- JSON array of department ids\n"
	"	dimensions	TEXT NOT NULL,		-- JSON array of names\n"
	"	opens		INTEGER NOT NULL,\n"
	"	closes		INTEGER NOT NULL,\n"
	"	year		INTEGER NOT NULL,	-- local year of closes\n"
	"	seed		TEXT,			-- set by the draw\n"
	"	digest		TEXT,			-- hex SHA-256 of the list\n"
	"	drawn_count	INTEGER,		-- per township\n"
	"	opened		INTEGER NOT NULL DEFAULT 0,	-- questions sent\n"
	"	reminded	INTEGER NOT NULL DEFAULT 0,\n"
	"	closed		INTEGER NOT NULL DEFAULT 0,	-- partials dropped\n"
	"	ballots		INTEGER NOT NULL DEFAULT 0,	-- counted\n"
	"	created_by	TEXT NOT NULL,\n"
	"	created_at	INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE eval_drawn (\n"
	"	round_id	INTEGER NOT NULL REFERENCES eval_rounds (id),\n"
	"	township	TEXT NOT NULL,\n"
	"	position	INTEGER NOT NULL,	-- 1.. in draw order\n"
	"	name		TEXT NOT NULL,\n"
	"	phone		TEXT NOT NULL,\n"
	"	kind		TEXT NOT NULL,\n"
	"	step		INTEGER NOT NULL DEFAULT 0,	-- question asked last\n"
	"	answers		TEXT,			-- JSON, until counted\n"
	"	voted		INTEGER NOT NULL DEFAULT 0,\n"
	"	reminded	INTEGER NOT NULL DEFAULT 0,\n"
	"	PRIMARY KEY (round_id, township, position)\n"
	");\n"
	"CREATE INDEX eval_drawn_phone ON eval_drawn (phone);\n"
	"CREATE TABLE eval_tally (\n"
	"	round_id	INTEGER NOT NULL REFERENCES eval_rounds (id),\n"
	"	unit		TEXT NOT NULL,\n"
	"	dimension	TEXT NOT NULL,\n"
	"	n		INTEGER NOT NULL,\n"
	"	sum		INTEGER NOT NULL,\n"
	"	PRIMARY KEY (round_id, unit, dimension)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE eval_overrides (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	round_id	INTEGER NOT NULL REFERENCES eval_rounds (id),\n"
	"	unit		TEXT NOT NULL,\n"
	"	action		TEXT NOT NULL CHECK (action IN ('last')),\n"
	"	reason		TEXT NOT NULL,\n"
	"	actor		TEXT NOT NULL,\n"
	"	at		INTEGER NOT NULL,\n"
	"	UNIQUE (round_id, unit)\n"
	");\n"
	"CREATE TABLE eval_results (\n"
	"	round_id	INTEGER NOT NULL REFERENCES eval_rounds (id),\n"
	"	unit		TEXT NOT NULL,\n"
	"	year		INTEGER NOT NULL,\n"
	"	score		REAL,\n"
	"	rank		INTEGER NOT NULL,\n"
	"	criticised	INTEGER NOT NULL,\n"
	"	PRIMARY KEY (round_id, unit)\n"
	");\n"
	"CREATE TABLE eval_items (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	round_id	INTEGER REFERENCES eval_rounds (id),\n"
	"	unit		TEXT NOT NULL,\n"
	"	text		TEXT NOT NULL,\n"
	"	deadline	INTEGER NOT NULL,\n"
	"	opened_by	TEXT NOT NULL,\n"
	"	opened_at	INTEGER NOT NULL,\n"
	"	closed_at	INTEGER,\n"
	"	note		TEXT,\n"
	"	chased_at	INTEGER\n"
	");\n"
	"CREATE TABLE vote_rounds (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	title		TEXT NOT NULL,\n"
	"	opens		INTEGER NOT NULL,\n"
	"	closes		INTEGER NOT NULL,\n"
	"	voters		INTEGER NOT NULL,	-- deputies asked\n"
	"	opened		INTEGER NOT NULL DEFAULT 0,\n"
	"	created_at	INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE vote_projects (\n"
	"	round_id	INTEGER NOT NULL REFERENCES vote_rounds (id),\n"
	"	position	INTEGER NOT NULL,	-- 0.. (A, B, ...)\n"
	"	title		TEXT NOT NULL,\n"
	"	supervisors	TEXT NOT NULL DEFAULT '[]',	-- JSON deputy ids\n"
	"	yes		INTEGER NOT NULL DEFAULT 0,\n"
	"	no		INTEGER NOT NULL DEFAULT 0,\n"
	"	abstain		INTEGER NOT NULL DEFAULT 0,\n"
	"	case_number	INTEGER,		-- tracked as a case once adopted\n"
	"	PRIMARY KEY (round_id, position)\n"
	");\n"
	"CREATE TABLE vote_voters (\n"
	"	round_id	INTEGER NOT NULL REFERENCES vote_rounds (id),\n"
	"	deputy		TEXT NOT NULL,\n"
	"	phone		TEXT NOT NULL,\n"
	"	step		INTEGER NOT NULL DEFAULT 0,\n"
	"	answers		TEXT,\n"
	"	voted		INTEGER NOT NULL DEFAULT 0,\n"
	"	PRIMARY KEY (round_id, deputy)\n"
	");\n"
	"CREATE TABLE duties (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	deputy		TEXT NOT NULL,		-- config deputies[].id\n"
	"	kind		TEXT NOT NULL CHECK (kind IN ('station', 'visit',\n"
	"			    'report', 'suggestion', 'inspection')),\n"
	"	count		INTEGER NOT NULL DEFAULT 1,\n"
	"	text		TEXT NOT NULL DEFAULT '',\n"
	"	status		TEXT,			-- suggestion: submitted,\n"
	"					-- handled, answered\n"
	"	note		TEXT,			-- the last answer to it\n"
	"	case_number	INTEGER,		-- a 民意 that is a request\n"
	"	at		INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX duties_deputy ON duties (deputy, at);\n";

/*
 * Version 11: the workbench's 三张清单 read a period's dispatched and
 * resolved cases by when that happened; only such cases enter these
 * indexes, so a new case (the inbound path) writes neither.  A deputy's
 * cases outside their grids are counted from cases_deputy alone, which
 * now holds the grid too (the same entries, one column more).
 */
static const char STORE_SCHEMA_V11[] =
	"DROP INDEX cases_deputy;\n"
	"CREATE INDEX cases_deputy ON cases (deputy, status, grid);\n"
	"CREATE INDEX cases_dispatched ON cases (dispatched_at)\n"
	"    WHERE dispatched_at IS NOT NULL;\n"
	"CREATE INDEX cases_resolved ON cases (resolved_at)\n"
	"    WHERE resolved_at IS NOT NULL;\n";

/*
 * Version 12: text search over the cases' description and place (the
 * API's and the workbench's q): an FTS5 index with the trigram tokenizer,
 * so that any run of 3 or more characters finds the cases that hold it
 * (Chinese has no spaces to cut words at).  The index keeps no copy of
 * the text (contentless); triggers keep it in step and the migration
 * indexes the cases already there.  Each text is indexed with two U+001F
 * after it, so that every character of it starts a trigram: 1 or 2
 * characters are then found through the trigrams that start with them,
 * which cases_fts_terms (the index's vocabulary) lists in order.
 */
static const char STORE_SCHEMA_V12[] =
	"CREATE VIRTUAL TABLE cases_fts USING fts5(description, place,\n"
	"    content = '', tokenize = 'trigram');\n"
	"CREATE VIRTUAL TABLE cases_fts_terms USING fts5vocab(cases_fts, 'row');\n"
	"INSERT INTO cases_fts (rowid, description, place)\n"
	"    SELECT id, description || char(31, 31), coalesce(place, '') || char(31, 31)\n"
	"    FROM cases;\n"
	"CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN\n"
	"    INSERT INTO cases_fts (rowid, description, place) VALUES (new.id,\n"
	"        new.description || char(31, 31), coalesce(new.place, '') || char(31, 31));\n"
	"END;\n"
	"CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN\n"
	"    INSERT INTO cases_fts (cases_fts, rowid, description, place) VALUES ('delete',\n"
	"        old.id, old.description || char(31, 31), coalesce(old.place, '') || char(31, 31));\n"
	"END;\n"
	"CREATE TRIGGER cases_fts_update AFTER UPDATE OF description, place ON cases BEGIN\n"
	"    INSERT INTO cases_fts (cases_fts, rowid, description, place) VALUES ('delete',\n"
	"        old.id, old.description || char(31, 31), coalesce(old.place, '') || char(31, 31));\n"
	"    INSERT INTO cases_fts (rowid, description, place) VALUES (new.id,\n"
	"        new.description || char(31, 31), coalesce(new.place, '') || char(31, 31));\n"
	"END;\n";

/*
 * v13: the open cases of one place and category (another resident's report
 * of the same problem, looked up when a case is made): only open cases, so
 * the index stays small and the lookup reads no case row.
 */
static const char STORE_SCHEMA_V13[] =
	"CREATE INDEX cases_open_group ON cases (grid, category, citizen)\n"
	"    WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'reopened');\n";

/*
 * v14: a new case is indexed for text search when its batch commits, not
 * as it is inserted.  FTS5 writes what it holds to a new segment of its
 * index at every savepoint once it is part of a transaction, and the
 * writer runs each job in a savepoint: a segment per case, merged again
 * and again.  The insert trigger now only queues the case's id in
 * cases_fts_queue; store_fts_flush indexes what is queued, once per
 * commit (the writer, store_open).  A search reads the queue too, so a
 * case committed but not yet indexed (by another process, or a flush
 * that failed) is still found.  A queued case deleted or changed leaves
 * the queue or is read as it is when indexed.
 *
 * And cases_open_group holds the case number too: the first open case of
 * a place and category is read from the index, not from every such case.
 */
static const char STORE_SCHEMA_V14[] =
	"DROP INDEX cases_open_group;\n"
	"CREATE INDEX cases_open_group ON cases (grid, category, number, citizen, status)\n"
	"    WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'reopened');\n"
	"CREATE TABLE cases_fts_queue (id INTEGER PRIMARY KEY);\n"
	"DROP TRIGGER cases_fts_insert;\n"
	"DROP TRIGGER cases_fts_delete;\n"
	"DROP TRIGGER cases_fts_update;\n"
	"CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN\n"
	"    INSERT OR IGNORE INTO cases_fts_queue (id) VALUES (new.id);\n"
	"END;\n"
	"CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN\n"
	"    INSERT INTO cases_fts (cases_fts, rowid, description, place)\n"
	"        SELECT 'delete', old.id, old.description || char(31, 31),\n"
	"            coalesce(old.place, '') || char(31, 31)\n"
	"        WHERE NOT EXISTS (SELECT 1 FROM cases_fts_queue WHERE id = old.id);\n"
	"    DELETE FROM cases_fts_queue WHERE id = old.id;\n"
	"END;\n"
	"CREATE TRIGGER cases_fts_update AFTER UPDATE OF description, place ON cases\n"
	"    WHEN NOT EXISTS (SELECT 1 FROM cases_fts_queue WHERE id = old.id) BEGIN\n"
	"    INSERT INTO cases_fts (cases_fts, rowid, description, place) VALUES ('delete',\n"
	"        old.id, old.description || char(31, 31), coalesce(old.place, '') || char(31, 31));\n"
	"    INSERT INTO cases_fts_queue (id) VALUES (new.id);\n"
	"END;\n";

/*
 * v15: a walk-in's source (cases.source: 'station' 来访, 'phone' 来电, NULL
 * for what residents sent themselves), until now only in its created
 * event (" source=station"), from which the migration copies it; walk-ins
 * are few, so a partial index lists them by source.
 *
 * And the cases each department assists (协办): cases.assist holds their
 * ids joined by ",", which no index can look into, so a department's
 * lists left those cases out.  case_assists has a row per (department,
 * case), kept by triggers from whatever writes cases.assist, and filled
 * from the cases already there.  CASE_ASSIST_JSON(x) is the ids of x as
 * a JSON array ("[]" should an id hold what JSON cannot: never a failed
 * write).
 */
#define CASE_ASSIST_JSON(x) \
	"(SELECT CASE WHEN json_valid(a) THEN a ELSE '[]' END FROM (SELECT '[\"' ||\n" \
	"    replace(replace(replace(" x ", '\\', '\\\\'), '\"', '\\\"'), ',', '\",\"')\n" \
	"    || '\"]' AS a))"
static const char STORE_SCHEMA_V15[] =
	"ALTER TABLE cases ADD COLUMN source TEXT;\n"
	"UPDATE cases SET source = (SELECT CASE\n"
	"        WHEN e.detail LIKE '% source=station%' THEN 'station'\n"
	"        WHEN e.detail LIKE '% source=phone%' THEN 'phone' END\n"
	"    FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'created'\n"
	"    ORDER BY e.id LIMIT 1) WHERE filed_by IS NOT NULL;\n"
	"CREATE INDEX cases_source ON cases (source, created_at) WHERE source IS NOT NULL;\n"
	"CREATE TABLE case_assists (\n"
	"	department	TEXT NOT NULL,		-- config departments[].id\n"
	"	case_id		INTEGER NOT NULL,	-- cases.id\n"
	"	PRIMARY KEY (department, case_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX case_assists_case ON case_assists (case_id);\n"
	"INSERT OR IGNORE INTO case_assists (department, case_id)\n"
	"    SELECT j.value, c.id FROM cases c, json_each(" CASE_ASSIST_JSON("c.assist") ") j\n"
	"    WHERE c.assist IS NOT NULL AND j.value <> '';\n"
	"CREATE TRIGGER case_assists_insert AFTER INSERT ON cases\n"
	"    WHEN new.assist IS NOT NULL BEGIN\n"
	"    INSERT OR IGNORE INTO case_assists (department, case_id)\n"
	"        SELECT value, new.id FROM json_each(" CASE_ASSIST_JSON("new.assist") ")\n"
	"        WHERE value <> '';\n"
	"END;\n"
	"CREATE TRIGGER case_assists_update AFTER UPDATE OF assist ON cases BEGIN\n"
	"    DELETE FROM case_assists WHERE case_id = old.id;\n"
	"    INSERT OR IGNORE INTO case_assists (department, case_id)\n"
	"        SELECT value, new.id FROM json_each(" CASE_ASSIST_JSON("new.assist") ")\n"
	"        WHERE new.assist IS NOT NULL AND value <> '';\n"
	"END;\n"
	"CREATE TRIGGER case_assists_delete AFTER DELETE ON cases\n"
	"    WHEN old.assist IS NOT NULL BEGIN\n"
	"    DELETE FROM case_assists WHERE case_id = old.id;\n"
	"END;\n";

/*
 * v16: the 工作台's 30 days of requests by day, category and township are
 * read from an index holding all three (the county's 80,000 cases of a
 * month on the bench's store: each row read from cases_created was a
 * lookup in the table, ~80 ms of the page's 100).
 */
static const char STORE_SCHEMA_V16[] =
	"CREATE INDEX cases_series ON cases (created_at, category, township);\n";

/*
 * v17: several nodes on one store.  outbox.node is the node that claimed
 * a row (it recovers its own rows left sending; the rows of a node whose
 * heartbeat in nodes stopped are taken over by the one that leads);
 * rate_marks counts sends against a rate every node shares (a channel's
 * rate_per_second, a group robot's 20 a minute), one row per send, at in
 * milliseconds.
 */
static const char STORE_SCHEMA_V17[] =
	"ALTER TABLE outbox ADD COLUMN node TEXT;\n"
	"CREATE TABLE nodes (\n"
	"	id		TEXT PRIMARY KEY,	-- server.node_id\n"
	"	started_at	INTEGER NOT NULL,\n"
	"	seen_at		INTEGER NOT NULL	-- its last heartbeat\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE rate_marks (\n"
	"	key		TEXT NOT NULL,		-- \"rate:CHANNEL\", \"robot:URL\"\n"
	"	at		INTEGER NOT NULL	-- ms since the epoch\n"
	");\n"
	"CREATE INDEX rate_marks_key ON rate_marks (key, at);\n";

/* The migrations, in order: store_migrations[i] makes version i + 1. */
static const char *const store_migrations[] = {
	STORE_SCHEMA_V1,
	STORE_SCHEMA_V2,
	STORE_SCHEMA_V3,
	STORE_SCHEMA_V4,
	STORE_SCHEMA_V5,
	STORE_SCHEMA_V6,
	STORE_SCHEMA_V7,
	STORE_SCHEMA_V8,
	STORE_SCHEMA_V9,
	STORE_SCHEMA_V10,
	STORE_SCHEMA_V11,
	STORE_SCHEMA_V12,
	STORE_SCHEMA_V13,
	STORE_SCHEMA_V14,
	STORE_SCHEMA_V15,
	STORE_SCHEMA_V16,
	STORE_SCHEMA_V17,
};

#endif /* MINYI_STORE_SCHEMA_SQL_H */
