/*
 * tests/unit/test_store.c: store/: opening and migrating, the schema's
 * constraints (one table row per cmocka test), the statement cache, and
 * the group-commit writer.  Each test gets its own database in a fresh
 * mkdtemp directory under /tmp.
 *
 * Writer tests that need several jobs in one batch first submit a "gate"
 * job that blocks the writer thread, queue the jobs under test behind it,
 * then open the gate: the writer takes them all in its next batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/stat.h>

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../store/store_int.h"
#include "../../store/schema.sql.h"

/* cmocka's state is not const; the tests only read their rows. */
#define ROW(p)	((void *)(uintptr_t)(p))

struct fixture {
	char		 dir[64];	/* the mkdtemp directory */
	char		 path[128];	/* dir/minyi.db */
	const void	*row;		/* the table row, for table-driven tests */
};

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	fx->row = *state;
	strlcpy(fx->dir, "/tmp/minyi-store-XXXXXX", sizeof(fx->dir));
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/minyi.db", fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
	char		 p[160];
	size_t		 i;

	for (i = 0; i < nitems(suffixes); i++) {
		snprintf(p, sizeof(p), "%s%s", fx->path, suffixes[i]);
		unlink(p);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static struct store *
open_rw(const struct fixture *fx)
{
	struct store	*st;
	char		 err[256] = "";

	st = store_open(fx->path, 0, NULL, err, sizeof(err));
	if (st == NULL)
		fail_msg("store_open %s: %s", fx->path, err);
	return st;
}

/* The one integer the query returns; fails the test otherwise. */
static long long
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt = NULL;
	long long	 v;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(stmt) != SQLITE_ROW)
		fail_msg("step %s: %s", sql, sqlite3_errmsg(db));
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("exec %s: %s", sql, msg);
}

/* ---- opening and migrating --------------------------------------------- */

static const char *schema_objects[][2] = {
	{ "table", "residents" },
	{ "table", "conversations" },
	{ "table", "messages" },
	{ "table", "cases" },
	{ "table", "case_events" },
	{ "table", "outbox" },
	{ "table", "receipts" },
	{ "table", "ratings" },
	{ "table", "kv" },
	{ "table", "accounts" },
	{ "table", "sessions" },
	{ "index", "messages_provider_id" },
	{ "index", "messages_dedup" },
	{ "index", "cases_status_grid" },
	{ "index", "cases_citizen" },
	{ "index", "cases_deputy" },
	{ "index", "cases_created" },
	{ "index", "case_events_case" },
	{ "index", "outbox_held" },
	{ "index", "outbox_recipient" },
	{ "index", "outbox_provider_id" },
	{ "trigger", "case_events_no_update" },
	{ "trigger", "case_events_no_delete" },
	{ "index", "sessions_account" },
	{ "index", "sessions_seen" },
	{ "index", "cases_flagged" },
	/* v10: 民主评议, 票决, duties */
	{ "table", "evaluators" },
	{ "table", "eval_rounds" },
	{ "table", "eval_drawn" },
	{ "table", "eval_tally" },
	{ "table", "eval_overrides" },
	{ "table", "eval_results" },
	{ "table", "eval_items" },
	{ "table", "vote_rounds" },
	{ "table", "vote_projects" },
	{ "table", "vote_voters" },
	{ "table", "duties" },
	{ "index", "cases_dispatched" },
	{ "index", "cases_resolved" },
	{ "table", "cases_fts" },
	{ "table", "cases_fts_terms" },
	{ "trigger", "cases_fts_insert" },
	{ "trigger", "cases_fts_update" },
	{ "trigger", "cases_fts_delete" },
	/* v14 */
	{ "table", "cases_fts_queue" },
	/* v15: walk-ins by source, the cases each department assists */
	{ "index", "cases_source" },
	{ "table", "case_assists" },
	{ "index", "case_assists_case" },
	{ "trigger", "case_assists_insert" },
	{ "trigger", "case_assists_update" },
	{ "trigger", "case_assists_delete" },
	/* v16 */
	{ "index", "cases_series" },
	{ "table", "nodes" },
	{ "table", "rate_marks" },
	{ "index", "rate_marks_key" },
};

static void
test_migrate_fresh(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	sqlite3		*db = store_db(st);
	struct store_stmt	*stmt;
	size_t		 i;

	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(query_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	for (i = 0; i < nitems(schema_objects); i++) {
		stmt = store_stmt(st, "SELECT count(*) FROM sqlite_schema"
		    " WHERE type = ?1 AND name = ?2");
		store_bind_text(stmt, 1, schema_objects[i][0], -1, STORE_STATIC);
		store_bind_text(stmt, 2, schema_objects[i][1], -1, STORE_STATIC);
		assert_int_equal(store_step(stmt), STORE_ROW);
		if (store_column_int(stmt, 0) != 1)
			fail_msg("%s %s missing", schema_objects[i][0],
			    schema_objects[i][1]);
		store_reset(stmt);
	}
	/* These tables, no more: a new one belongs in schema_objects.  (FTS5
	 * keeps cases_fts's index in tables of its own, cases_fts_*, and
	 * cases_fts_terms reads its vocabulary.) */
	assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_schema"
	    " WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	    " AND (name NOT LIKE 'cases_fts_%' OR name IN ('cases_fts_terms',"
	    " 'cases_fts_queue'))"), 28);
	stmt = store_stmt(st, "PRAGMA journal_mode");
	assert_int_equal(store_step(stmt), STORE_ROW);
	assert_string_equal((const char *)store_column_text(stmt, 0), "wal");
	store_reset(stmt);
	assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(db, "PRAGMA synchronous"), 2);	/* FULL */
	assert_int_equal(query_int(db, "PRAGMA busy_timeout"), 5000);
	store_close(st);
}

static void
test_open_synchronous(void **state)
{
	static const struct {
		const char	*given;
		int		 want;		/* PRAGMA synchronous */
	} rows[] = {
		{ NULL, 2 }, { "FULL", 2 }, { "full", 2 }, { "NORMAL", 1 },
		{ "normal", 1 },
	};
	struct fixture	*fx = *state;
	struct store	*st;
	char		 err[256];
	size_t		 i;

	for (i = 0; i < nitems(rows); i++) {
		st = store_open(fx->path, 0, rows[i].given, err, sizeof(err));
		assert_non_null(st);
		assert_int_equal(query_int(store_db(st), "PRAGMA synchronous"),
		    rows[i].want);
		store_close(st);
	}
}

/* A new store gets 2 KiB pages; one made before keeps its own. */
static void
test_open_page_size(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	sqlite3		*db;

	st = open_rw(fx);
	assert_int_equal(query_int(store_db(st), "PRAGMA page_size"), 2048);
	store_close(st);
	unlink(fx->path);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	exec_ok(db, "PRAGMA page_size = 4096; CREATE TABLE t (x)");
	sqlite3_close(db);
	st = open_rw(fx);
	assert_int_equal(query_int(store_db(st), "PRAGMA page_size"), 4096);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	store_close(st);
}

static void
test_open_bad_synchronous(void **state)
{
	struct fixture	*fx = *state;
	char		 err[256] = "";

	assert_null(store_open(fx->path, 0, "OFF", err, sizeof(err)));
	assert_non_null(strstr(err, "FULL or NORMAL"));
	/* Refused before anything was created. */
	assert_int_not_equal(access(fx->path, F_OK), 0);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	long long	 cookie;

	exec_ok(store_db(st), "INSERT INTO residents(address, created_at,"
	    " updated_at) VALUES ('+8613800138000', 1, 1)");
	/* schema_version counts every schema change: DDL would bump it. */
	cookie = query_int(store_db(st), "PRAGMA schema_version");
	store_close(st);

	st = open_rw(fx);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(query_int(store_db(st), "PRAGMA schema_version"), cookie);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM residents"
	    " WHERE address = '+8613800138000' AND language = 'zh'"), 1);
	store_close(st);
}

static void
test_future_version_refused(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	sqlite3		*db = NULL;
	char		 err[256] = "", sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION + 1);
	assert_int_equal(store_exec(st, sql), 0);
	store_close(st);

	assert_null(store_open(fx->path, 0, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
	err[0] = '\0';
	assert_null(store_open(fx->path, STORE_READONLY, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
	/* Left as it was. */
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(query_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION + 1);
	sqlite3_close(db);
}

static void
test_readonly_open(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx), *ro;
	char		 err[256] = "";

	exec_ok(store_db(st), "INSERT INTO kv(key, value) VALUES ('k', 'v')");
	/* A reader opens while the writer's connection is still open. */
	ro = store_open(fx->path, STORE_READONLY, NULL, err, sizeof(err));
	if (ro == NULL)
		fail_msg("read-only open: %s", err);
	assert_int_equal(store_schema_version(ro), STORE_SCHEMA_VERSION);
	assert_int_equal(query_int(store_db(ro), "SELECT count(*) FROM kv"), 1);
	assert_int_equal(sqlite3_exec(store_db(ro), "INSERT INTO kv(key) VALUES"
	    " ('x')", NULL, NULL, NULL) & 0xff, SQLITE_READONLY);
	store_close(ro);
	store_close(st);
}

static void
test_readonly_unmigrated_refused(void **state)
{
	struct fixture	*fx = *state;
	sqlite3		*db = NULL;
	char		 err[256] = "";

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	exec_ok(db, "CREATE TABLE other (x)");
	sqlite3_close(db);
	assert_null(store_open(fx->path, STORE_READONLY, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "expected"));
}

static void
test_readonly_missing_refused(void **state)
{
	struct fixture	*fx = *state;
	char		 err[256] = "";

	assert_null(store_open(fx->path, STORE_READONLY, NULL, err, sizeof(err)));
	assert_true(err[0] != '\0');
	assert_int_not_equal(access(fx->path, F_OK), 0);
}

/* ---- constraints: one row per test ----------------------------------- */

#define CASE42	"INSERT INTO cases(id, number, status, channel, citizen," \
	" description, created_at, updated_at) VALUES (1, 42, 'received'," \
	" 'sms', '+8613800138000', '村口路灯不亮', 1, 1);"
#define EVENT1	"INSERT INTO case_events(case_id, at, actor, kind)" \
	" VALUES (1, 1, 'system', 'created');"
#define MSG(ch, pid) "INSERT INTO messages(channel, provider_id, address," \
	" body, created_at) VALUES ('" ch "', " pid ", '+8613800138000'," \
	" '路灯', 1)"
#define OUT(ch, pid) "INSERT INTO outbox(channel, address, body, next_at," \
	" provider_id, created_at, updated_at) VALUES ('" ch "'," \
	" '+8613800138000', '已收到', 1, " pid ", 1, 1)"

struct constraint_row {
	const char	*name;
	const char	*setup;		/* run first; must succeed (or NULL) */
	const char	*sql;		/* the statement under test */
	int		 want;		/* SQLITE_OK or SQLITE_CONSTRAINT */
	const char	*check;		/* NULL, or a query returning ... */
	long long	 checkval;	/* ... this */
};

static const struct constraint_row constraint_rows[] = {
	{ "fk_event_unknown_case", NULL, EVENT1, SQLITE_CONSTRAINT,
	    "SELECT count(*) FROM case_events", 0 },
	{ "fk_event_known_case", CASE42, EVENT1, SQLITE_OK,
	    "SELECT count(*) FROM case_events", 1 },
	{ "fk_message_unknown_case", NULL, "INSERT INTO messages(channel,"
	    " address, body, case_id, created_at) VALUES ('sms', 'a', 'b', 7, 1)",
	    SQLITE_CONSTRAINT, NULL, 0 },
	{ "fk_outbox_unknown_case", NULL, "INSERT INTO outbox(channel, address,"
	    " body, case_id, next_at, created_at, updated_at) VALUES ('sms',"
	    " 'a', 'b', 7, 1, 1, 1)", SQLITE_CONSTRAINT, NULL, 0 },
	{ "fk_rating_unknown_case", NULL, "INSERT INTO ratings(case_id, score,"
	    " at) VALUES (7, 5, 1)", SQLITE_CONSTRAINT, NULL, 0 },
	{ "fk_case_delete_with_events", CASE42 EVENT1, "DELETE FROM cases",
	    SQLITE_CONSTRAINT, "SELECT count(*) FROM cases", 1 },
	{ "events_update_refused", CASE42 EVENT1, "UPDATE case_events SET"
	    " detail = 'edited'", SQLITE_CONSTRAINT,
	    "SELECT count(*) FROM case_events WHERE detail IS NULL", 1 },
	{ "events_delete_refused", CASE42 EVENT1, "DELETE FROM case_events",
	    SQLITE_CONSTRAINT, "SELECT count(*) FROM case_events", 1 },
	{ "events_append_allowed", CASE42 EVENT1, EVENT1, SQLITE_OK,
	    "SELECT count(*) FROM case_events", 2 },
	{ "message_provider_id_unique", MSG("sms", "'SM1'"),
	    MSG("sms", "'SM1'"), SQLITE_CONSTRAINT,
	    "SELECT count(*) FROM messages", 1 },
	{ "message_provider_id_other_channel", MSG("sms", "'SM1'"),
	    MSG("sms2", "'SM1'"), SQLITE_OK, "SELECT count(*) FROM messages", 2 },
	{ "message_provider_id_null_twice", MSG("sms", "NULL"),
	    MSG("sms", "NULL"), SQLITE_OK, "SELECT count(*) FROM messages", 2 },
	{ "message_retry_do_nothing", MSG("sms", "'SM1'"),
	    MSG("sms", "'SM1'") " ON CONFLICT DO NOTHING", SQLITE_OK,
	    "SELECT count(*) FROM messages", 1 },
	{ "outbox_provider_id_unique", OUT("sms", "'SM9'"),
	    OUT("sms", "'SM9'"), SQLITE_CONSTRAINT,
	    "SELECT count(*) FROM outbox", 1 },
	{ "outbox_provider_id_other_channel", OUT("sms", "'SM9'"),
	    OUT("sms2", "'SM9'"), SQLITE_OK, "SELECT count(*) FROM outbox", 2 },
	{ "outbox_provider_id_null_twice", OUT("sms", "NULL"),
	    OUT("sms", "NULL"), SQLITE_OK, "SELECT count(*) FROM outbox", 2 },
	{ "outbox_defaults", NULL, OUT("sms", "NULL"), SQLITE_OK,
	    "SELECT count(*) FROM outbox WHERE status = 'pending' AND"
	    " kind = 'reply' AND urgent = 1 AND attempts = 0", 1 },
	{ "outbox_status_check", OUT("sms", "NULL"), "UPDATE outbox SET"
	    " status = 'lost'", SQLITE_CONSTRAINT,
	    "SELECT count(*) FROM outbox WHERE status = 'pending'", 1 },
	{ "case_status_check", CASE42, "UPDATE cases SET status = 'done'",
	    SQLITE_CONSTRAINT, "SELECT count(*) FROM cases WHERE"
	    " status = 'received'", 1 },
	{ "case_status_in_progress", CASE42, "UPDATE cases SET"
	    " status = 'in_progress'", SQLITE_OK, NULL, 0 },
	{ "case_number_unique", CASE42, "INSERT INTO cases(number, status,"
	    " channel, citizen, description, created_at, updated_at) VALUES"
	    " (42, 'received', 'sms', 'b', 'c', 1, 1)", SQLITE_CONSTRAINT,
	    NULL, 0 },
	{ "case_defaults", CASE42, "SELECT 1", SQLITE_OK,
	    "SELECT count(*) FROM cases WHERE language = 'zh' AND flags = 0", 1 },
	{ "rating_score_high", CASE42, "INSERT INTO ratings(case_id, score, at)"
	    " VALUES (1, 6, 1)", SQLITE_CONSTRAINT, NULL, 0 },
	{ "rating_score_low", CASE42, "INSERT INTO ratings(case_id, score, at)"
	    " VALUES (1, 0, 1)", SQLITE_CONSTRAINT, NULL, 0 },
	{ "rating_score_ok", CASE42, "INSERT INTO ratings(case_id, score, at)"
	    " VALUES (1, 5, 1)", SQLITE_OK, "SELECT count(*) FROM ratings", 1 },
	{ "resident_address_unique", "INSERT INTO residents(address,"
	    " created_at, updated_at) VALUES ('+8613800138000', 1, 1)",
	    "INSERT INTO residents(address, created_at, updated_at) VALUES"
	    " ('+8613800138000', 2, 2)", SQLITE_CONSTRAINT, NULL, 0 },
	{ "resident_defaults", NULL, "INSERT INTO residents(address,"
	    " created_at, updated_at) VALUES ('+8613800138000', 1, 1)",
	    SQLITE_OK, "SELECT count(*) FROM residents WHERE language = 'zh'"
	    " AND opted_out = 0", 1 },
	{ "conversation_unique", "INSERT INTO conversations(channel, address,"
	    " state, updated_at) VALUES ('sms', 'a', 'ask_place', 1)",
	    "INSERT INTO conversations(channel, address, state, updated_at)"
	    " VALUES ('sms', 'a', 'idle', 1)", SQLITE_CONSTRAINT,
	    "SELECT count(*) FROM conversations WHERE data = '{}'", 1 },
	{ "receipt_provider_id_required", NULL, "INSERT INTO receipts(channel,"
	    " status, at) VALUES ('sms', 'delivered', 1)", SQLITE_CONSTRAINT,
	    NULL, 0 },
	{ "kv_key_unique", "INSERT INTO kv(key, value) VALUES ('k', '1')",
	    "INSERT INTO kv(key, value) VALUES ('k', '2')", SQLITE_CONSTRAINT,
	    "SELECT count(*) FROM kv WHERE value = '1'", 1 },
};

static void
test_constraint(void **state)
{
	struct fixture			*fx = *state;
	const struct constraint_row	*row = fx->row;
	struct store			*st = open_rw(fx);
	sqlite3				*db = store_db(st);
	int				 rc;

	if (row->setup != NULL)
		exec_ok(db, row->setup);
	rc = sqlite3_exec(db, row->sql, NULL, NULL, NULL);
	if ((rc & 0xff) != row->want)
		fail_msg("%s: got %d (%s), want %d", row->sql, rc,
		    sqlite3_errmsg(db), row->want);
	if (row->check != NULL)
		assert_int_equal(query_int(db, row->check), row->checkval);
	store_close(st);
}

/* ---- statement cache ------------------------------------------------- */

static void
test_stmt_cache_same(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	char		 copy[] = "SELECT count(*) FROM cases";
	struct store_stmt	*a, *b;

	a = store_stmt(st, "SELECT count(*) FROM cases");
	assert_non_null(a);
	assert_ptr_equal(store_stmt(st, "SELECT count(*) FROM cases"), a);
	/* Same text at another address: the same statement. */
	assert_ptr_equal(store_stmt(st, copy), a);
	b = store_stmt(st, "SELECT count(*) FROM outbox");
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(store_stmt(st, "SELECT count(*) FROM outbox"), b);
	store_close(st);
}

static void
test_stmt_cache_reset_cleared(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	struct store_stmt	*a;

	a = store_stmt(st, "SELECT ?1 UNION ALL SELECT 2");
	store_bind_int(a, 1, 7);
	assert_int_equal(store_step(a), STORE_ROW);
	assert_int_equal(store_column_int(a, 0), 7);
	assert_true(sqlite3_stmt_busy(a->lite));
	/* Left mid-way; the next user gets it fresh. */
	assert_ptr_equal(store_stmt(st, "SELECT ?1 UNION ALL SELECT 2"), a);
	assert_false(sqlite3_stmt_busy(a->lite));
	assert_int_equal(store_step(a), STORE_ROW);
	assert_int_equal(store_column_type(a, 0), STORE_NULL);
	store_reset(a);
	store_close(st);
}

static void
test_stmt_cache_grows(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	struct store_stmt	*seen[300];
	char		 sql[64];
	size_t		 i;

	for (i = 0; i < nitems(seen); i++) {
		snprintf(sql, sizeof(sql), "SELECT %zu", i);
		seen[i] = store_stmt(st, sql);
	}
	for (i = 0; i < nitems(seen); i++) {
		snprintf(sql, sizeof(sql), "SELECT %zu", i);
		assert_ptr_equal(store_stmt(st, sql), seen[i]);
		assert_int_equal(store_step(seen[i]), STORE_ROW);
		assert_int_equal(store_column_int64(seen[i], 0), (int64_t)i);
	}
	store_stmt_reset_all(st);
	for (i = 0; i < nitems(seen); i++)
		assert_false(sqlite3_stmt_busy(seen[i]->lite));
	store_close(st);
}

static void
test_store_exec(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);

	assert_int_equal(store_exec(st, "INSERT INTO kv(key) VALUES ('a');"
	    " INSERT INTO kv(key) VALUES ('b')"), 0);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM kv"), 2);
	assert_int_equal(store_exec(st, "INSERT INTO nosuch VALUES (1)"), -1);
	assert_int_equal(store_exec(st, "INSERT INTO kv(key) VALUES ('a')"), -1);
	store_close(st);
}

/* ---- the writer ------------------------------------------------------ */

#define SQL_KV_INSERT	"INSERT INTO kv(key, value) VALUES (?1, ?2)"

/* Insert kv row "<prefix>-<id>"; 0, or -1 when SQLite refused. */
static int
kv_insert(struct store *st, const char *prefix, int id, const char *value,
    int len)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_KV_INSERT);
	char		 key[64];
	int		 rc;

	snprintf(key, sizeof(key), "%s-%d", prefix, id);
	store_bind_text(stmt, 1, key, -1, STORE_TRANSIENT);
	if (value != NULL)
		store_bind_text(stmt, 2, value, len, STORE_STATIC);
	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

#define NTHREADS	8
#define NJOBS		10000

struct thread_arg {
	struct store_writer	*w;
	int			 first;		/* ids first .. first+n-1 */
	int			 n;
	int			 failures;	/* out */
};

static int
job_insert(struct store *st, void *arg)
{
	return kv_insert(st, "job", *(const int *)arg, NULL, 0);
}

static void *
thread_submit(void *arg)
{
	struct thread_arg	*ta = arg;
	int			 i, id;

	for (i = 0; i < ta->n; i++) {
		id = ta->first + i;
		if (store_writer_submit(ta->w, job_insert, &id) != 0)
			ta->failures++;
	}
	return NULL;
}

static void
test_writer_threads(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer		*w;
	struct store_writer_stats	 ws;
	struct thread_arg		 ta[NTHREADS];
	pthread_t			 th[NTHREADS];
	struct store			*st;
	int				 i;

	w = store_writer_start(open_rw(fx), 0);
	for (i = 0; i < NTHREADS; i++) {
		ta[i].w = w;
		ta[i].first = i * (NJOBS / NTHREADS);
		ta[i].n = NJOBS / NTHREADS;
		ta[i].failures = 0;
		assert_int_equal(pthread_create(&th[i], NULL, thread_submit,
		    &ta[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(ta[i].failures, 0);
	}
	store_writer_stats(w, &ws);
	assert_int_equal(ws.jobs, NJOBS);
	assert_int_equal(ws.failed_jobs, 0);
	assert_int_equal(ws.queue_depth, 0);
	assert_true(ws.commits > 0);
	assert_true(ws.commits < ws.jobs);	/* group commit happened */
	assert_true(ws.max_batch > 1);
	assert_true(ws.max_batch <= NTHREADS);	/* sync submitters wait */
	store_writer_stop(w);

	st = open_rw(fx);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM kv"
	    " WHERE key LIKE 'job-%'"), NJOBS);
	store_close(st);
}

/* A job blocking the writer until the test opens it. */
struct gate {
	sem_t	 entered;
	sem_t	 open;
};

static int
job_gate(struct store *st, void *arg)
{
	struct gate	*g = arg;

	(void)st;
	sem_post(&g->entered);
	sem_wait(&g->open);
	return 0;
}

enum rec_kind {
	REC_OK,		/* insert, return 0 */
	REC_FAIL,	/* insert, return 7 */
	REC_ROLLBACK,	/* insert, ROLLBACK the writer's transaction, return 0 */
	REC_COMMIT,	/* insert, COMMIT the writer's transaction, return 0 */
	REC_BIG,	/* insert 4 MB (over max_page_count), return its rc */
	REC_DANGLING,	/* leave a statement stepping, return 0 */
	REC_IDLE,	/* insert, return 9 if a statement is still stepping */
};

struct rec_ctx {
	sqlite3		*observer;	/* another connection: what is durable */
	sem_t		 done;		/* posted once per done call */
};

/* One job of a writer test and what happened to it. */
struct rec {
	struct rec_ctx	*ctx;
	enum rec_kind	 kind;
	int		 id;
	int		 runs;		/* fn calls */
	int		 ndone;		/* done calls */
	int		 done_rc;
	int		 visible;	/* row committed when done ran: 1/0 */
	int		 after;		/* store_after_commit's fn calls */
	int		 after_visible;	/* row committed when it last ran: 1/0 */
	int		 after_freed;	/* its free_fn calls */
};

static int
rec_visible(const struct rec *r)
{
	sqlite3_stmt	*stmt = NULL;
	char		 key[64];
	int		 n = 0;

	snprintf(key, sizeof(key), "rec-%d", r->id);
	if (sqlite3_prepare_v2(r->ctx->observer, "SELECT count(*) FROM kv"
	    " WHERE key = ?1", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			n = sqlite3_column_int(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return n;
}

static void
after_rec(void *arg)
{
	struct rec	*r = arg;

	r->after++;
	r->after_visible = rec_visible(r);
}

static void
after_rec_free(void *arg)
{
	((struct rec *)arg)->after_freed++;
}

static int
job_rec(struct store *st, void *arg)
{
	struct rec	*r = arg;
	static char	 big[4 << 20];
	struct store_stmt	*stmt;
	sqlite3_stmt	*raw;

	r->runs++;
	switch (r->kind) {
	case REC_BIG:
		return kv_insert(st, "rec", r->id, big, (int)sizeof(big));
	case REC_DANGLING:
		stmt = store_stmt(st, "SELECT key FROM kv");
		if (store_step(stmt) != STORE_ROW)
			return -1;
		break;
	default:
		break;
	}
	if (kv_insert(st, "rec", r->id, NULL, 0) != 0)
		return -1;
	store_after_commit(st, after_rec, r, after_rec_free);
	switch (r->kind) {
	case REC_FAIL:
		return 7;
	case REC_ROLLBACK:
		sqlite3_exec(store_db(st), "ROLLBACK", NULL, NULL, NULL);
		return 0;
	case REC_COMMIT:
		sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
		return 0;
	case REC_IDLE:
		raw = NULL;
		while ((raw = sqlite3_next_stmt(store_db(st), raw)) != NULL)
			if (sqlite3_stmt_busy(raw))
				return 9;
		return 0;
	default:
		return 0;
	}
}

static void
done_rec(void *arg, int rc)
{
	struct rec	*r = arg;
	sqlite3_stmt	*stmt = NULL;
	char		 key[64];

	r->ndone++;
	r->done_rc = rc;
	snprintf(key, sizeof(key), "rec-%d", r->id);
	if (sqlite3_prepare_v2(r->ctx->observer, "SELECT count(*) FROM kv"
	    " WHERE key = ?1", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			r->visible = sqlite3_column_int(stmt, 0);
	}
	sqlite3_finalize(stmt);
	sem_post(&r->ctx->done);
}

static void
rec_ctx_open(struct rec_ctx *ctx, const struct fixture *fx)
{
	assert_int_equal(sqlite3_open_v2(fx->path, &ctx->observer,
	    SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sem_init(&ctx->done, 0, 0);
}

static void
rec_ctx_close(struct rec_ctx *ctx)
{
	sqlite3_close(ctx->observer);
	sem_destroy(&ctx->done);
}

/*
 * Run recs[0..n) as one batch behind a gate on a fresh writer over st
 * (with max_batch), wait for every done, stop the writer; ws gets the
 * stats before the stop.
 */
static void
run_gated(const struct fixture *fx, struct store *st, size_t max_batch,
    struct rec *recs, size_t n, struct store_writer_stats *ws)
{
	struct store_writer	*w;
	struct rec_ctx		 ctx;
	struct gate		 g;
	size_t			 i;

	rec_ctx_open(&ctx, fx);
	sem_init(&g.entered, 0, 0);
	sem_init(&g.open, 0, 0);
	w = store_writer_start(st, max_batch);
	assert_int_equal(store_writer_submit_async(w, job_gate, &g, NULL, NULL), 0);
	sem_wait(&g.entered);
	for (i = 0; i < n; i++) {
		recs[i].ctx = &ctx;
		recs[i].id = (int)i;
		assert_int_equal(store_writer_submit_async(w, job_rec, &recs[i],
		    done_rec, &recs[i]), 0);
	}
	store_writer_stats(w, ws);
	assert_int_equal(ws->queue_depth, n);
	sem_post(&g.open);
	for (i = 0; i < n; i++)
		sem_wait(&ctx.done);
	store_writer_stats(w, ws);
	store_writer_stop(w);
	rec_ctx_close(&ctx);
	sem_destroy(&g.entered);
	sem_destroy(&g.open);
	for (i = 0; i < n; i++)
		assert_int_equal(recs[i].ndone, 1);
}

/* Every REC_OK row committed once and reported 0 after its commit. */
static void
assert_oks_committed(const struct rec *recs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (recs[i].kind != REC_OK && recs[i].kind != REC_DANGLING &&
		    recs[i].kind != REC_IDLE)
			continue;
		if (recs[i].done_rc != 0 || recs[i].visible != 1)
			fail_msg("job %zu: rc %d visible %d", i, recs[i].done_rc,
			    recs[i].visible);
	}
}

static void
test_writer_one_failure(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer_stats	 ws;
	struct rec			 recs[11];
	size_t				 i;

	memset(recs, 0, sizeof(recs));
	recs[5].kind = REC_FAIL;
	run_gated(fx, open_rw(fx), 0, recs, nitems(recs), &ws);
	assert_oks_committed(recs, nitems(recs));
	assert_int_equal(recs[5].done_rc, 7);
	assert_int_equal(recs[5].visible, 0);
	for (i = 0; i < nitems(recs); i++)
		assert_int_equal(recs[i].runs, 1);
	assert_int_equal(ws.commits, 2);	/* the gate's, then all 11 */
	assert_int_equal(ws.max_batch, nitems(recs));
	assert_int_equal(ws.jobs, nitems(recs) + 1);
	assert_int_equal(ws.failed_jobs, 1);
}

static int
job_case(struct store *st, void *arg)
{
	struct store_stmt	*stmt;
	int		 id = *(const int *)arg, rc;

	stmt = store_stmt(st, "INSERT INTO cases(id, number, status, channel, citizen,"
	    " description, created_at, updated_at) VALUES (?1, ?1 + 100, 'received',"
	    " 'sms', '+8613800138000', '村口路灯不亮第' || ?1 || '盏', 1, 1)");
	store_bind_int(stmt, 1, id);
	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/*
 * v14: the cases a batch makes are in the search index when it commits,
 * written to the index once (one segment), and the queue is empty.
 */
static void
test_writer_indexes_batch(void **state)
{
	struct fixture		*fx = *state;
	struct store_writer	*w;
	sqlite3			*db = NULL;
	int			 ids[20], i;

	w = store_writer_start(open_rw(fx), 0);
	for (i = 0; i < 20; i++) {
		ids[i] = i + 1;
		assert_int_equal(store_writer_submit(w, job_case, &ids[i]), 0);
	}
	/* seen by another connection while the writer runs */
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cases_fts_queue"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cases_fts"
	    " WHERE cases_fts MATCH '\"路灯不亮第\"'"), 20);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cases_fts"
	    " WHERE cases_fts MATCH '\"第17盏\"'"), 1);
	sqlite3_close(db);
	store_writer_stop(w);
}

static void
test_writer_sync_rc(void **state)
{
	struct fixture		*fx = *state;
	struct store_writer	*w;
	struct rec_ctx		 ctx;
	struct rec		 fail = { .kind = REC_FAIL, .id = 1 };
	struct rec		 ok = { .kind = REC_OK, .id = 2 };
	struct store		*st;

	w = store_writer_start(open_rw(fx), 0);
	rec_ctx_open(&ctx, fx);
	fail.ctx = ok.ctx = &ctx;
	assert_int_equal(store_writer_submit(w, job_rec, &fail), 7);
	assert_int_equal(store_writer_submit(w, job_rec, &ok), 0);
	/* Returned only after the commit: visible to another connection. */
	assert_int_equal(query_int(ctx.observer, "SELECT count(*) FROM kv"
	    " WHERE key = 'rec-2'"), 1);
	assert_int_equal(query_int(ctx.observer, "SELECT count(*) FROM kv"
	    " WHERE key = 'rec-1'"), 0);
	rec_ctx_close(&ctx);
	store_writer_stop(w);

	st = open_rw(fx);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM kv"), 1);
	store_close(st);
}

static void
test_writer_lost_transaction(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer_stats	 ws;
	struct rec			 recs[7];
	size_t				 i;

	memset(recs, 0, sizeof(recs));
	recs[3].kind = REC_ROLLBACK;
	run_gated(fx, open_rw(fx), 0, recs, nitems(recs), &ws);
	assert_oks_committed(recs, nitems(recs));
	assert_int_equal(recs[3].done_rc, -1);
	assert_int_equal(recs[3].visible, 0);
	assert_int_equal(recs[3].runs, 1);
	/* Those before it lost their work with the transaction: run again. */
	for (i = 0; i < 3; i++)
		assert_int_equal(recs[i].runs, 2);
	for (i = 4; i < nitems(recs); i++)
		assert_int_equal(recs[i].runs, 1);
	assert_int_equal(ws.commits, 2);
	assert_int_equal(ws.failed_jobs, 1);
}

/*
 * What a job leaves for after the commit (store_after_commit: the
 * classifier learning a closed case) runs once, after the COMMIT, for
 * each job kept; never for one that failed or lost the transaction, and
 * once only for those run again.
 */
static void
test_writer_after_commit(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer_stats	 ws;
	struct rec			 recs[8];
	size_t				 i;

	memset(recs, 0, sizeof(recs));
	recs[2].kind = REC_FAIL;
	recs[5].kind = REC_ROLLBACK;
	run_gated(fx, open_rw(fx), 0, recs, nitems(recs), &ws);
	assert_oks_committed(recs, nitems(recs));
	for (i = 0; i < nitems(recs); i++) {
		if (recs[i].kind != REC_OK) {
			assert_int_equal(recs[i].after, 0);
			assert_int_equal(recs[i].after_freed, 1);
			continue;
		}
		assert_int_equal(recs[i].after, 1);
		assert_int_equal(recs[i].after_visible, 1);
		/* those before the lost transaction ran twice, and the first
		 * run's follow-up was dropped */
		assert_int_equal(recs[i].after_freed, recs[i].runs);
	}
	assert_int_equal(recs[0].runs, 2);
	assert_int_equal(recs[7].runs, 1);
}

/* Outside the writer: at once with no transaction open, else at the
 * caller's COMMIT, and dropped at its ROLLBACK. */
static void
test_after_commit_own_transaction(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	struct rec_ctx	 ctx;
	struct rec	 now = { .id = 1 }, kept = { .id = 2 }, undone = { .id = 3 };

	rec_ctx_open(&ctx, fx);
	now.ctx = kept.ctx = undone.ctx = &ctx;
	assert_int_equal(job_rec(st, &now), 0);
	assert_int_equal(now.after, 1);
	assert_int_equal(now.after_visible, 1);
	assert_int_equal(store_exec(st, "BEGIN IMMEDIATE"), 0);
	assert_int_equal(job_rec(st, &kept), 0);
	assert_int_equal(kept.after, 0);
	assert_int_equal(store_exec(st, "COMMIT"), 0);
	assert_int_equal(kept.after, 1);
	assert_int_equal(kept.after_visible, 1);
	assert_int_equal(store_exec(st, "BEGIN IMMEDIATE"), 0);
	assert_int_equal(job_rec(st, &undone), 0);
	assert_int_equal(store_exec(st, "ROLLBACK"), 0);
	assert_int_equal(undone.after, 0);
	assert_int_equal(undone.after_freed, 1);
	rec_ctx_close(&ctx);
	store_close(st);
}

static void
test_writer_job_commit_refused(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer_stats	 ws;
	struct rec			 recs[7];
	struct store			*st;

	memset(recs, 0, sizeof(recs));
	recs[3].kind = REC_COMMIT;
	run_gated(fx, open_rw(fx), 0, recs, nitems(recs), &ws);
	/* Had the job's COMMIT gone through, the reruns would collide. */
	assert_oks_committed(recs, nitems(recs));
	assert_int_equal(recs[3].done_rc, -1);
	assert_int_equal(recs[3].visible, 0);
	assert_int_equal(ws.commits, 2);

	st = open_rw(fx);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM kv"), 6);
	store_close(st);
}

static void
test_writer_sqlite_full(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer_stats	 ws;
	struct store			*st = open_rw(fx);
	struct rec			 recs[9];
	char				 sql[64];

	/* Room for the small rows, not for 4 MB. */
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
	    query_int(store_db(st), "PRAGMA page_count") + 64);
	assert_int_equal(store_exec(st, sql), 0);
	memset(recs, 0, sizeof(recs));
	recs[4].kind = REC_BIG;
	run_gated(fx, st, 0, recs, nitems(recs), &ws);
	assert_oks_committed(recs, nitems(recs));
	assert_int_equal(recs[4].done_rc, -1);
	assert_int_equal(recs[4].visible, 0);
	assert_int_equal(ws.failed_jobs, 1);
}

static void
test_writer_dangling_statement(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer_stats	 ws;
	struct store			*st = open_rw(fx);
	struct rec			 recs[6];

	/* Something to step over. */
	assert_int_equal(store_exec(st, "INSERT INTO kv(key) VALUES ('x');"
	    " INSERT INTO kv(key) VALUES ('y')"), 0);
	memset(recs, 0, sizeof(recs));
	recs[1].kind = REC_DANGLING;
	recs[2].kind = REC_FAIL;	/* ROLLBACK TO with a reader open */
	recs[3].kind = REC_DANGLING;
	recs[5].kind = REC_IDLE;	/* the writer reset what they left */
	run_gated(fx, st, 0, recs, nitems(recs), &ws);
	assert_oks_committed(recs, nitems(recs));
	assert_int_equal(recs[2].done_rc, 7);
	assert_int_equal(recs[2].visible, 0);
	assert_int_equal(ws.commits, 2);
}

static void
test_writer_max_batch(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer_stats	 ws;
	struct rec			 recs[10];

	memset(recs, 0, sizeof(recs));
	run_gated(fx, open_rw(fx), 4, recs, nitems(recs), &ws);
	assert_oks_committed(recs, nitems(recs));
	assert_int_equal(ws.max_batch, 4);
	assert_int_equal(ws.commits, 1 + 3);	/* gate, 4, 4, 2 */
}

static void
test_writer_async_done_once(void **state)
{
	struct fixture			*fx = *state;
	struct store_writer		*w;
	struct store_writer_stats	 ws;
	struct rec_ctx			 ctx;
	struct rec			*recs;
	struct store			*st;
	size_t				 i, n = 1000;

	recs = calloc(n, sizeof(*recs));
	assert_non_null(recs);
	w = store_writer_start(open_rw(fx), 0);
	rec_ctx_open(&ctx, fx);
	for (i = 0; i < n; i++) {
		recs[i].ctx = &ctx;
		recs[i].id = (int)i;
		assert_int_equal(store_writer_submit_async(w, job_rec, &recs[i],
		    done_rec, &recs[i]), 0);
	}
	for (i = 0; i < n; i++)
		sem_wait(&ctx.done);
	store_writer_stats(w, &ws);
	store_writer_stop(w);
	rec_ctx_close(&ctx);
	assert_int_equal(ws.jobs, n);
	assert_true(ws.commits <= n);
	for (i = 0; i < n; i++) {
		assert_int_equal(recs[i].ndone, 1);
		assert_int_equal(recs[i].runs, 1);
	}
	assert_oks_committed(recs, n);
	free(recs);

	st = open_rw(fx);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM kv"),
	    (long long)n);
	store_close(st);
}

/* Submits from inside a job once stop has begun. */
struct probe {
	struct store_writer	*w;
	struct gate		 g;
	struct rec		 late;		/* submitted too late */
	int			 async_rc;	/* what submit_async said */
	int			 sync_rc;	/* what submit said, from a thread */
	bool			 saw_stopping;
};

static void *
thread_submit_late(void *arg)
{
	struct probe	*p = arg;

	p->sync_rc = store_writer_submit(p->w, job_rec, &p->late);
	return NULL;
}

static int
job_probe(struct store *st, void *arg)
{
	struct probe		*p = arg;
	struct timespec		 ms = { 0, 1000000 };
	pthread_t		 th;
	int			 i;

	(void)st;
	sem_post(&p->g.entered);
	for (i = 0; i < 10000 && !store_writer_stopping(p->w); i++)
		nanosleep(&ms, NULL);
	p->saw_stopping = store_writer_stopping(p->w);
	p->async_rc = store_writer_submit_async(p->w, job_rec, &p->late,
	    done_rec, &p->late);
	if (pthread_create(&th, NULL, thread_submit_late, p) != 0)
		return -1;
	pthread_join(th, NULL);
	return 0;
}

static void
test_writer_submit_after_stop(void **state)
{
	struct fixture	*fx = *state;
	struct probe	 p;
	struct rec_ctx	 ctx;
	struct rec	 recs[100];
	struct store	*st;
	size_t		 i;

	memset(&p, 0, sizeof(p));
	memset(recs, 0, sizeof(recs));
	p.w = store_writer_start(open_rw(fx), 0);
	rec_ctx_open(&ctx, fx);
	sem_init(&p.g.entered, 0, 0);
	p.late.ctx = &ctx;
	p.late.id = 1000;
	p.async_rc = p.sync_rc = 99;
	assert_false(store_writer_stopping(p.w));
	assert_int_equal(store_writer_submit_async(p.w, job_probe, &p, NULL,
	    NULL), 0);
	sem_wait(&p.g.entered);
	for (i = 0; i < nitems(recs); i++) {
		recs[i].ctx = &ctx;
		recs[i].id = (int)i;
		assert_int_equal(store_writer_submit_async(p.w, job_rec,
		    &recs[i], done_rec, &recs[i]), 0);
	}
	/* Stop while the probe runs and 100 jobs wait: they all commit. */
	store_writer_stop(p.w);
	assert_true(p.saw_stopping);
	assert_int_equal(p.async_rc, -1);
	assert_int_equal(p.sync_rc, -1);
	assert_int_equal(p.late.runs, 0);
	assert_int_equal(p.late.ndone, 0);
	for (i = 0; i < nitems(recs); i++)
		assert_int_equal(recs[i].ndone, 1);
	assert_oks_committed(recs, nitems(recs));
	rec_ctx_close(&ctx);
	sem_destroy(&p.g.entered);

	st = open_rw(fx);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM kv"),
	    (long long)nitems(recs));
	store_close(st);
}

/*
 * A version 1 database with a case in it migrates to version 2: the case
 * keeps its data and learns where its updates go.
 */
static void
test_migrate_v1_to_v2(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	sqlite3		*db = NULL;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	exec_ok(db, store_migrations[0]);
	exec_ok(db, "PRAGMA user_version = 1");
	exec_ok(db, "INSERT INTO cases(number, status, channel, citizen, description,"
	    " created_at, updated_at) VALUES (7, 'received', 'sms', '+8613800138000',"
	    " '村口路灯不亮', 1, 1)");
	sqlite3_close(db);
	st = open_rw(fx);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM cases WHERE"
	    " number = 7 AND reply_channel = 'sms' AND reply_address = '+8613800138000'"), 1);
	store_close(st);
}

/*
 * A version 8 database with a case in it migrates to version 9: the case
 * keeps its data and was filed by no one but its resident; a new one may
 * record who filed it (代办).
 */
static void
test_migrate_v8_to_v9(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	sqlite3		*db = NULL;
	size_t		 i;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	for (i = 0; i < 8; i++)
		exec_ok(db, store_migrations[i]);
	exec_ok(db, "PRAGMA user_version = 8");
	exec_ok(db, "INSERT INTO cases(number, status, channel, citizen, description,"
	    " created_at, updated_at) VALUES (7, 'received', 'sms', '+8613800138000',"
	    " '村口路灯不亮', 1, 1)");
	sqlite3_close(db);
	st = open_rw(fx);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM cases WHERE"
	    " number = 7 AND description = '村口路灯不亮' AND filed_by IS NULL"), 1);
	assert_int_equal(sqlite3_exec(store_db(st), "INSERT INTO cases(number, status,"
	    " channel, citizen, description, created_at, updated_at, filed_by) VALUES"
	    " (8, 'received', 'sms', '+8613800138001', '老人家里停水', 2, 2,"
	    " 'observer:o-qian')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM cases WHERE"
	    " filed_by = 'observer:o-qian'"), 1);
	store_close(st);
}

/* case_assists' rows as "department:case_id," in order. */
static void
assists(sqlite3 *db, char *out, size_t outsz)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 len;

	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT department, case_id FROM"
	    " case_assists ORDER BY case_id, department", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		len = strlen(out);
		snprintf(out + len, outsz - len, "%s:%lld,", sqlite3_column_text(stmt, 0),
		    (long long)sqlite3_column_int64(stmt, 1));
	}
	sqlite3_finalize(stmt);
}

/*
 * A version 14 database migrates to version 15: a walk-in's source comes
 * from its created event onto the case; for the cases that departments
 * assist, case_assists holds each (department, case) of them, and
 * keeps up as assist is written, a case made or deleted; an id JSON would
 * need to escape is kept whole.
 */
static void
test_migrate_v14_to_v15(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	sqlite3		*db = NULL;
	char		 got[256];
	size_t		 i;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	for (i = 0; i < 14; i++)
		exec_ok(db, store_migrations[i]);
	exec_ok(db, "PRAGMA user_version = 14");
	exec_ok(db, CASE42);
	exec_ok(db, "UPDATE cases SET department = 'power', assist = 'water,env',"
	    " dispatched_at = 2 WHERE id = 1");
	/* a walk-in by phone (its source in its created event), an observer's 代办 */
	exec_ok(db, "INSERT INTO cases(id, number, status, channel, citizen, description,"
	    " created_at, updated_at, filed_by) VALUES (2, 43, 'received', 'sms',"
	    " '+8613800138001', '老人家里停水', 2, 2, 'staff:s-li'), (4, 45, 'received',"
	    " 'sms', '+8613800138003', '路灯坏了', 4, 4, 'observer:o-qian')");
	exec_ok(db, "INSERT INTO case_events(case_id, at, actor, kind, to_status, detail)"
	    " VALUES (2, 2, 'staff:s-li', 'created', 'received', 'grid=wanglou"
	    " category=water deputy=d-wang on_behalf source=phone'), (4, 4,"
	    " 'observer:o-qian', 'created', 'received', 'grid=- category=- deputy=-"
	    " on_behalf')");
	sqlite3_close(db);
	st = open_rw(fx);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	db = store_db(st);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cases WHERE"
	    " source IS NOT NULL"), 1);
	assert_int_equal(query_int(db, "SELECT number FROM cases WHERE"
	    " source = 'phone'"), 43);
	assists(db, got, sizeof(got));
	assert_string_equal(got, "env:1,water:1,");
	exec_ok(db, "UPDATE cases SET assist = 'roads' WHERE id = 1");
	exec_ok(db, "UPDATE cases SET assist = 'water', department = 'power' WHERE id = 2");
	assists(db, got, sizeof(got));
	assert_string_equal(got, "roads:1,water:2,");
	exec_ok(db, "UPDATE cases SET assist = NULL WHERE id = 1");
	exec_ok(db, "INSERT INTO cases(id, number, status, channel, citizen, description,"
	    " created_at, updated_at, assist) VALUES (3, 44, 'dispatched', 'sms',"
	    " '+8613800138002', '桥坏了', 3, 3, 'a\"b\\\\c,water')");
	assists(db, got, sizeof(got));
	assert_string_equal(got, "water:2,a\"b\\\\c:3,water:3,");
	exec_ok(db, "DELETE FROM cases WHERE id = 3");
	assists(db, got, sizeof(got));
	assert_string_equal(got, "water:2,");
	store_close(st);
}

/* The numbers of the cases q finds, in list order, as "n,n," (at most 8). */
static void
search(struct store *st, const char *q, char *out, size_t outsz)
{
	struct store_case_filter f;
	struct store_stmt	*stmt;
	size_t		 len;

	memset(&f, 0, sizeof(f));
	f.overdue = f.triage = -1;
	f.q = q;
	f.limit = 8;
	out[0] = '\0';
	assert_non_null(stmt = store_case_list(st, &f, false));
	while (store_step(stmt) == STORE_ROW) {
		len = strlen(out);
		snprintf(out + len, outsz - len, "%lld,",
		    (long long)store_column_int64(stmt, 1));
	}
	store_finalize(stmt);
}

/* The numbers of the page f gives, as "n,n,". */
static void
search_scoped(struct store *st, const struct store_case_filter *f, char *out,
    size_t outsz)
{
	struct store_stmt	*stmt;
	size_t		 len;

	out[0] = '\0';
	assert_non_null(stmt = store_case_list(st, f, false));
	while (store_step(stmt) == STORE_ROW) {
		len = strlen(out);
		snprintf(out + len, outsz - len, "%lld,",
		    (long long)store_column_int64(stmt, 1));
	}
	store_finalize(stmt);
}

/*
 * v12: the trigram index finds 3 characters or more of the description or
 * the place, for the cases already there when it was made and for those
 * written since (queued by the trigger, v14, and indexed a batch at a
 * time); 1 or 2 characters through the index's vocabulary.
 */
static void
test_search_trigram(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	sqlite3		*db = NULL;
	char		 got[128];
	size_t		 i;
	int		 pass;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	for (i = 0; i < 11; i++)
		exec_ok(db, store_migrations[i]);
	exec_ok(db, "PRAGMA user_version = 11");
	exec_ok(db, CASE42);
	sqlite3_close(db);
	st = open_rw(fx);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	exec_ok(store_db(st), "INSERT INTO cases(id, number, status, channel, citizen,"
	    " description, place, created_at, updated_at) VALUES (2, 43, 'received', 'sms',"
	    " '+8613800138001', '下水道堵了\"臭\"', '王楼村东头路灯旁', 2, 2)");
	/* case 43 is queued for the index (v14): found all the same, then
	 * found through the index once the queue is flushed */
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM cases_fts_queue"), 1);
	for (pass = 0; pass < 2; pass++) {
		search(st, "路灯不", got, sizeof(got));	/* indexed by the migration */
		assert_string_equal(got, "42,");
		search(st, "东头路灯", got, sizeof(got));	/* the place, by the trigger */
		assert_string_equal(got, "43,");
		search(st, "路灯", got, sizeof(got));		/* 2 characters: in the text */
		assert_string_equal(got, "43,42,");
		search(st, "灯", got, sizeof(got));
		assert_string_equal(got, "43,42,");
		search(st, "亮", got, sizeof(got));		/* the last character */
		assert_string_equal(got, "42,");
		search(st, "不亮", got, sizeof(got));
		assert_string_equal(got, "42,");
		search(st, "亮了", got, sizeof(got));
		assert_string_equal(got, "");
		search(st, "路灯不亮了", got, sizeof(got));
		assert_string_equal(got, "");
		search(st, "堵了\"臭\"", got, sizeof(got));	/* quotes are text */
		assert_string_equal(got, "43,");
		search(st, "OR 村口", got, sizeof(got));	/* and so is FTS syntax */
		assert_string_equal(got, "");
		if (pass == 0) {
			assert_int_equal(store_fts_flush(st), 0);
			assert_int_equal(query_int(store_db(st),
			    "SELECT count(*) FROM cases_fts_queue"), 0);
			assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM cases_fts"
			    " WHERE cases_fts MATCH '\"下水道\"'"), 1);
		}
	}
	/* a queued case changed is indexed as it is then; one deleted, not at all */
	exec_ok(store_db(st), "INSERT INTO cases(id, number, status, channel, citizen,"
	    " description, created_at, updated_at) VALUES (3, 44, 'received', 'sms',"
	    " '+8613800138002', '垃圾桶满了', 3, 3), (4, 45, 'received', 'sms',"
	    " '+8613800138003', '井盖丢了', 4, 4)");
	exec_ok(store_db(st), "UPDATE cases SET description = '垃圾没人清运' WHERE id = 3");
	exec_ok(store_db(st), "DELETE FROM cases WHERE id = 4");
	search(st, "垃圾没人", got, sizeof(got));
	assert_string_equal(got, "44,");
	search(st, "井盖丢", got, sizeof(got));
	assert_string_equal(got, "");
	assert_int_equal(store_fts_flush(st), 0);
	search(st, "垃圾没人", got, sizeof(got));
	assert_string_equal(got, "44,");
	search(st, "垃圾桶满", got, sizeof(got));
	assert_string_equal(got, "");
	search(st, "井盖丢", got, sizeof(got));
	assert_string_equal(got, "");
	/* a changed text is found by its new words only, a deleted case not at all */
	exec_ok(store_db(st), "UPDATE cases SET description = '村口水管爆裂' WHERE id = 1");
	search(st, "路灯不", got, sizeof(got));
	assert_string_equal(got, "");
	search(st, "水管爆", got, sizeof(got));
	assert_string_equal(got, "42,");
	exec_ok(store_db(st), "DELETE FROM cases WHERE id = 2");
	search(st, "东头路灯", got, sizeof(got));
	assert_string_equal(got, "");
	assert_int_equal(query_int(store_db(st), "SELECT count(*) FROM cases_fts"
	    " WHERE cases_fts MATCH '\"下水道\"'"), 0);
	/* which way each length goes */
	{
		struct store_case_filter f;
		char *sql;

		memset(&f, 0, sizeof(f));
		f.overdue = f.triage = -1;
		f.q = "路灯不";
		sql = store_case_list_sql(&f, true);
		assert_non_null(strstr(sql, "cases_fts MATCH"));
		free(sql);
		f.q = "路灯";
		sql = store_case_list_sql(&f, true);
		assert_non_null(strstr(sql, "cases_fts MATCH"));
		assert_null(strstr(sql, "instr(description"));	/* no scan of the cases */
		free(sql);
	}
	store_close(st);
}

static void	plan_reads(struct store *, const char *, const char *, const char *);

/* The total of f from store_case_list (the scope's parts added up). */
static long
list_total(struct store *st, const struct store_case_filter *f)
{
	struct store_stmt	*stmt;
	long		 n;

	assert_non_null(stmt = store_case_list(st, f, true));
	assert_int_equal(store_step(stmt), STORE_ROW);
	n = (long)store_column_int64(stmt, 0);
	store_finalize(stmt);
	return n;
}

/*
 * A search reads its matches from the index, newest first, and stops at
 * the page; its total is the index's count alone, or with a scope those
 * of the newest STORE_SEARCH_SCAN matches in it, the count's second
 * column telling how many matched in all (so the API says whether the
 * total was exact).
 */
static void
test_search_pages_and_totals(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	struct store_case_filter f;
	struct store_scope sc;
	struct store_stmt	*stmt;
	char		 got[128];
	long		 n = STORE_SEARCH_SCAN + 40, i;

	exec_ok(store_db(st), "BEGIN");
	for (i = 1; i <= n; i++) {
		char *sql = xasprintf("INSERT INTO cases(id, number, status, channel, citizen,"
		    " grid, description, created_at, updated_at) VALUES (%ld, %ld, 'received',"
		    " 'sms', '+8613800138000', '%s', 'streetlight case %ld', %ld, %ld)", i, i,
		    i % 2 ? "a" : "b", i, i, i);
		exec_ok(store_db(st), sql);
		free(sql);
	}
	assert_int_equal(store_fts_flush(st), 0);	/* as the writer does */
	exec_ok(store_db(st), "COMMIT");
	search(st, "light", got, sizeof(got));
	snprintf(got + strlen(got), sizeof(got) - strlen(got), "|");
	assert_string_equal(got, "10040,10039,10038,10037,10036,10035,10034,10033,|");
	memset(&f, 0, sizeof(f));
	f.overdue = f.triage = -1;
	f.q = "light";
	assert_non_null(stmt = store_case_list(st, &f, true));
	assert_int_equal(store_step(stmt), STORE_ROW);
	assert_int_equal(store_column_int64(stmt, 0), n);	/* exact */
	assert_int_equal(store_column_int64(stmt, 1), n);
	store_finalize(stmt);
	memset(&sc, 0, sizeof(sc));
	sc.grids = "[\"b\"]";
	f.scope = &sc;
	f.limit = 3;
	search_scoped(st, &f, got, sizeof(got));
	assert_string_equal(got, "10040,10038,10036,");
	assert_non_null(stmt = store_case_list(st, &f, true));
	assert_int_equal(store_step(stmt), STORE_ROW);
	/* half of the newest STORE_SEARCH_SCAN; more matched than were read */
	assert_int_equal(store_column_int64(stmt, 0), STORE_SEARCH_SCAN / 2);
	assert_true(store_column_int64(stmt, 1) > STORE_SEARCH_SCAN);
	store_finalize(stmt);
	f.q = "case 1003";		/* 1003, 10030..10039: all read, exact */
	assert_non_null(stmt = store_case_list(st, &f, true));
	assert_int_equal(store_step(stmt), STORE_ROW);
	assert_int_equal(store_column_int64(stmt, 0), 5);
	assert_int_equal(store_column_int64(stmt, 1), 11);
	store_finalize(stmt);
	/* a case queued for the index, not yet in it, is found first */
	exec_ok(store_db(st), "INSERT INTO cases(id, number, status, channel, citizen,"
	    " grid, description, created_at, updated_at) VALUES (20000, 20000, 'received',"
	    " 'sms', '+8613800138000', 'b', 'streetlight case 1003x', 1, 1)");
	search_scoped(st, &f, got, sizeof(got));
	assert_string_equal(got, "20000,10038,10036,");
	assert_non_null(stmt = store_case_list(st, &f, true));
	assert_int_equal(store_step(stmt), STORE_ROW);
	assert_int_equal(store_column_int64(stmt, 0), 6);
	assert_int_equal(store_column_int64(stmt, 1), 12);
	store_finalize(stmt);
	store_close(st);
}

/*
 * An account's total is counted one part of its scope at a time: a case
 * in two parts (their grid's and held by them) counts once, one in none
 * not at all, one with no grid or deputy by its other part.
 */
static void
test_scope_count_parts(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	struct store_case_filter f;
	struct store_scope sc;
	static const char *const rows[][4] = {
		/* status, grid, deputy, township */
		{ "received", "g-a", "d-x", "t-1" },	/* grid and deputy */
		{ "received", "g-b", "d-x", "t-2" },	/* deputy only (transferred) */
		{ "closed", "g-a", "d-y", "t-1" },	/* grid only */
		{ "received", NULL, "d-x", NULL },	/* deputy, no grid */
		{ "accepted", "g-b", "d-y", "t-2" },	/* neither */
		{ "received", "g-c", NULL, "t-1" },	/* township only */
	};
	char		 sql[512];
	size_t		 i;

	for (i = 0; i < nitems(rows); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO cases(number, status, channel,"
		    " citizen, grid, deputy, township, description, created_at, updated_at)"
		    " VALUES (%zu, '%s', 'sms', '+86138', %s%s%s, %s%s%s, %s%s%s, 'x', %zu, 1)",
		    i + 1, rows[i][0], rows[i][1] ? "'" : "", rows[i][1] ? rows[i][1] : "NULL",
		    rows[i][1] ? "'" : "", rows[i][2] ? "'" : "", rows[i][2] ? rows[i][2] : "NULL",
		    rows[i][2] ? "'" : "", rows[i][3] ? "'" : "", rows[i][3] ? rows[i][3] : "NULL",
		    rows[i][3] ? "'" : "", i + 1);
		exec_ok(store_db(st), sql);
	}
	memset(&f, 0, sizeof(f));
	memset(&sc, 0, sizeof(sc));
	f.overdue = f.triage = -1;
	f.scope = &sc;
	sc.grids = "[\"g-a\"]";
	sc.deputy = "d-x";
	assert_int_equal(list_total(st, &f), 4);
	f.status[0] = "received";
	f.nstatus = 1;
	assert_int_equal(list_total(st, &f), 3);
	f.nstatus = 0;
	f.grid = "g-a";
	assert_int_equal(list_total(st, &f), 2);
	f.grid = NULL;
	sc.township = "t-1";			/* a chair: the township as well */
	assert_int_equal(list_total(st, &f), 5);
	sc.grids = NULL;
	sc.deputy = NULL;
	assert_int_equal(list_total(st, &f), 3);
	sc.township = NULL;
	assert_int_equal(list_total(st, &f), 0);	/* nothing: no case */
	sc.all = true;
	assert_int_equal(list_total(st, &f), 6);
	/* a page of some statuses, read part by part: each case once, newest first */
	{
		struct store_stmt *stmt;
		char got[64] = "";

		sc.all = false;
		sc.grids = "[\"g-a\"]";
		sc.deputy = "d-x";
		f.status[0] = "received";
		f.status[1] = "closed";
		f.nstatus = 2;
		f.limit = 10;
		assert_non_null(stmt = store_case_list(st, &f, false));
		while (store_step(stmt) == STORE_ROW) {
			size_t len = strlen(got);
			snprintf(got + len, sizeof(got) - len, "%lld,",
			    (long long)store_column_int64(stmt, 1));
		}
		store_finalize(stmt);
		assert_string_equal(got, "4,3,2,1,");
		f.offset = 1;
		f.limit = 2;
		assert_non_null(stmt = store_case_list(st, &f, false));
		got[0] = '\0';
		while (store_step(stmt) == STORE_ROW) {
			size_t len = strlen(got);
			snprintf(got + len, sizeof(got) - len, "%lld,",
			    (long long)store_column_int64(stmt, 1));
		}
		store_finalize(stmt);
		assert_string_equal(got, "3,2,");
	}
	/* the 民生实事 projects a deputy supervises: counted once, by number
	 * (case 5 is nobody's of theirs), read from the number index */
	{
		struct buf sql2;

		memset(&f, 0, sizeof(f));
		f.overdue = f.triage = -1;
		f.scope = &sc;
		memset(&sc, 0, sizeof(sc));
		sc.deputy = "d-x";
		assert_int_equal(list_total(st, &f), 3);
		sc.supervised = "5,1";
		assert_int_equal(list_total(st, &f), 4);
		sc.supervised = "5,1) OR (1";	/* not a list of numbers: ignored */
		assert_int_equal(list_total(st, &f), 3);
		sc.supervised = "5";
		buf_init(&sql2, 0);
		store_scope_parts_sql(&sql2, &sc, "count(*)", "status IN ('received',"
		    " 'accepted')", false, NULL);
		plan_reads(st, buf_str(&sql2), "sqlite_autoindex_cases_1 (number=?)", NULL);
		buf_free(&sql2);
	}
	store_close(st);
}

/* ---- the indexes the hot queries read ---------------------------------- */

static const struct {
	const char	*sql;
	const char	*index;		/* the plan reads it */
} plans[] = {
	/* gateway/inbound.c: a recent same text on a channel without ids */
	{ "SELECT 1 FROM messages WHERE channel = ?1 AND address = ?2"
	  " AND body_hash = ?3 AND created_at >= ?4 AND provider_id IS NULL LIMIT 1",
	  "messages_dedup" },
	/* gateway/staff.c: held reminders of a case withdrawn */
	{ "UPDATE outbox SET status = 'failed', updated_at = ?3"
	  " WHERE case_id = ?1 AND id <= ?2 AND status = 'pending' AND urgent = 0"
	  " AND attempts = 0", "outbox_held" },
	/* gateway/sender.c: due rows, not those held behind a recipient's */
	{ "SELECT o.id FROM outbox o WHERE o.status = 'pending' AND o.held = 0"
	  " AND o.channel = ?1 AND +o.next_at <= ?2 ORDER BY o.id LIMIT ?3",
	  "outbox_pending" },
	/* gateway/sender.c: rows a crash left sending, at start */
	{ "SELECT id, channel, address, body, updated_at FROM outbox"
	  " WHERE (status = 'pending' OR status = 'sending') AND status = 'sending'"
	  " ORDER BY +id", "outbox_active" },
	/* gateway/conv.c: another resident's open case of a place and category */
	{ SQL_OPEN_GROUP, "COVERING INDEX cases_open_group" },
	/* gateway/sender.c: a recipient's earlier unsent row */
	{ "SELECT 1 FROM outbox p WHERE p.channel = ?1 AND p.address = ?2"
	  " AND p.id < ?3 AND (p.status = 'pending' OR p.status = 'sending')",
	  "outbox_active" },
};

static void
test_query_plans(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	sqlite3_stmt	*stmt;
	struct buf	 plan;
	char		*sql;
	size_t		 i;

	for (i = 0; i < nitems(plans); i++) {
		sql = xasprintf("EXPLAIN QUERY PLAN %s", plans[i].sql);
		if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK)
			fail_msg("prepare %s: %s", sql, sqlite3_errmsg(store_db(st)));
		buf_init(&plan, 0);
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			buf_addstr(&plan, (const char *)sqlite3_column_text(stmt, 3));
			buf_addstr(&plan, "; ");
		}
		sqlite3_finalize(stmt);
		if (strstr(buf_str(&plan), plans[i].index) == NULL)
			fail_msg("%s: plan \"%s\" does not read %s", plans[i].sql,
			    buf_str(&plan), plans[i].index);
		buf_free(&plan);
		free(sql);
	}
	store_close(st);
}

/* The plan of sql as one line: "SEARCH ...; SCAN ...; ". */
static void
plan_of(struct store *st, const char *sql, struct buf *plan)
{
	sqlite3_stmt	*stmt;
	char		*q = xasprintf("EXPLAIN QUERY PLAN %s", sql);

	if (sqlite3_prepare_v2(store_db(st), q, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", q, sqlite3_errmsg(store_db(st)));
	buf_init(plan, 0);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		buf_addstr(plan, (const char *)sqlite3_column_text(stmt, 3));
		buf_addstr(plan, "; ");
	}
	sqlite3_finalize(stmt);
	free(q);
}

static void
plan_reads(struct store *st, const char *sql, const char *want, const char *never)
{
	struct buf	 plan;

	plan_of(st, sql, &plan);
	if (strstr(buf_str(&plan), want) == NULL)
		fail_msg("%s: plan \"%s\" does not read %s", sql, buf_str(&plan), want);
	if (never != NULL && strstr(buf_str(&plan), never) != NULL)
		fail_msg("%s: plan \"%s\" has %s", sql, buf_str(&plan), never);
	buf_free(&plan);
}

/*
 * The admin API's list and its total, and the reports, read the indexes
 * made for them: the dashboard's status=received&grid=X page is read in
 * order from (status, grid, created_at) and counted from it alone.
 */
static void
test_api_and_report_plans(void **state)
{
	struct fixture		*fx = *state;
	struct store		*st = open_rw(fx);
	struct store_case_filter f;
	char			*sql;

	memset(&f, 0, sizeof(f));
	f.overdue = f.triage = -1;
	f.limit = 100;
	f.status[f.nstatus++] = "received";
	f.grid = "liuxindian";
	sql = store_case_list_sql(&f, false);
	plan_reads(st, sql, "INDEX cases_status_grid (status=? AND grid=?)", "TEMP B-TREE");
	free(sql);
	sql = store_case_list_sql(&f, true);
	plan_reads(st, sql, "COVERING INDEX cases_status_grid (status=? AND grid=?)", NULL);
	free(sql);
	/* two statuses and a grid: still that index, one probe per status */
	f.status[f.nstatus++] = "accepted";
	sql = store_case_list_sql(&f, true);
	plan_reads(st, sql, "COVERING INDEX cases_status_grid (status=? AND grid=?)", NULL);
	free(sql);
	/* a grid's total without a status: one probe per status, no scan */
	f.nstatus = 0;
	sql = store_case_list_sql(&f, true);
	plan_reads(st, sql, "COVERING INDEX cases_status_grid (status=? AND grid=?)", NULL);
	free(sql);
	sql = store_case_list_sql(&f, false);
	plan_reads(st, sql, "cases_created", "TEMP B-TREE");
	free(sql);
	memset(&f, 0, sizeof(f));
	f.overdue = f.triage = -1;
	f.limit = 100;
	f.department = "water";
	sql = store_case_list_sql(&f, true);
	plan_reads(st, sql, "INDEX cases_department", NULL);
	free(sql);
	f.department = NULL;
	/* a department's page: the cases it leads and those it assists, each
	 * part from its index in time order, never one OR read and sorted */
	{
		struct store_scope dsc = { .department = "water" };

		f.scope = &dsc;
		sql = store_case_list_sql(&f, false);
		plan_reads(st, sql, "INDEX cases_department_created (department=?)",
		    "MULTI-INDEX OR");
		plan_reads(st, sql, "case_assists", "SCAN cases");
		free(sql);
		f.scope = NULL;
	}
	/* the 工作台's charts: the county's and a township's from the index alone */
	{
		struct store_scope csc = { .all = true }, tsc = { .township = "yangji" };
		struct buf b;

		buf_init(&b, 0);
		store_console_series_sql(&b, &csc);
		plan_reads(st, buf_str(&b), "COVERING INDEX cases_series", NULL);
		buf_reset(&b);
		store_console_series_sql(&b, &tsc);
		plan_reads(st, buf_str(&b), "COVERING INDEX cases_series", NULL);
		buf_free(&b);
	}
	f.citizen = "+8613800138000";
	sql = store_case_list_sql(&f, false);
	plan_reads(st, sql, "INDEX cases_citizen (citizen=?)", "TEMP B-TREE");
	free(sql);
	f.citizen = NULL;
	f.q = "路灯";
	sql = store_case_list_sql(&f, false);
	/* the matches from the trigram index (v12), not every case read, in
	 * its order (newest first), so a page stops when full (only the page's
	 * rows and the queued ones are sorted, to merge them) */
	plan_reads(st, sql, "SCAN f VIRTUAL TABLE", "SCAN cases; ");
	plan_reads(st, sql, "SEARCH c USING INTEGER PRIMARY KEY", "SCAN c; ");
	free(sql);
	/* its total: the index alone; with a filter, the newest matches' rows */
	sql = store_case_list_sql(&f, true);
	plan_reads(st, sql, "SCAN cases_fts VIRTUAL TABLE", "SCAN cases; ");
	free(sql);
	f.status[0] = "received";
	f.nstatus = 1;
	sql = store_case_list_sql(&f, true);
	plan_reads(st, sql, "SEARCH c USING INTEGER PRIMARY KEY", "SCAN c; ");
	free(sql);
	f.nstatus = 0;

	plan_reads(st, sqlite3_sql(store_report_deputy(st, "d-niu", 0, 1)->lite),
	    "INDEX cases_deputy_created (deputy=? AND created_at>? AND created_at<?)", NULL);
	plan_reads(st, sqlite3_sql(store_report_deputy(st, "d-niu", 0, 1)->lite),
	    "case_events_case", "SCAN e");
	plan_reads(st, sqlite3_sql(store_report_departments(st, 0, 1)->lite),
	    "INDEX cases_created (created_at>? AND created_at<?)", NULL);
	plan_reads(st, sqlite3_sql(store_report_departments(st, 0, 1)->lite),
	    "INDEX case_events_case (case_id=?)", "SCAN e");
	plan_reads(st, sqlite3_sql(store_report_hotspots(st, 0, 1, -1)->lite),
	    "INDEX cases_created (created_at>? AND created_at<?)", NULL);
	store_stmt_reset_all(st);
	store_close(st);
}

/* A recipient's held rows are let in one at a time, as each before them
 * leaves pending/sending (sent, failed, dead, delivered). */
static void
test_outbox_release(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_rw(fx);
	sqlite3		*db = store_db(st);

	exec_ok(db, "INSERT INTO outbox(id, channel, address, body, kind, status, next_at,"
	    " created_at, updated_at, held) VALUES"
	    " (1, 'sms', '+8613800138000', 'a', 'reply', 'sending', 1, 1, 1, 0),"
	    " (2, 'sms', '+8613800138000', 'b', 'reply', 'pending', 1, 1, 1, 1),"
	    " (3, 'sms', '+8613800138000', 'c', 'reply', 'pending', 1, 1, 1, 1),"
	    " (4, 'sms', '+8613900139000', 'd', 'reply', 'pending', 1, 1, 1, 1)");
	/* back to pending (a retry, a restart): still going, nothing let in */
	exec_ok(db, "UPDATE outbox SET status = 'pending' WHERE id = 1");
	assert_int_equal(query_int(db, "SELECT sum(held) FROM outbox"), 3);
	exec_ok(db, "UPDATE outbox SET status = 'sent' WHERE id = 1");
	assert_int_equal(query_int(db, "SELECT held FROM outbox WHERE id = 2"), 0);
	assert_int_equal(query_int(db, "SELECT held FROM outbox WHERE id = 3"), 1);
	/* a receipt on a sent row lets nothing in */
	exec_ok(db, "UPDATE outbox SET status = 'delivered' WHERE id = 1");
	assert_int_equal(query_int(db, "SELECT held FROM outbox WHERE id = 3"), 1);
	exec_ok(db, "UPDATE outbox SET status = 'sending' WHERE id = 2");
	exec_ok(db, "UPDATE outbox SET status = 'dead' WHERE id = 2");
	assert_int_equal(query_int(db, "SELECT held FROM outbox WHERE id = 3"), 0);
	/* another recipient's row is not theirs to let in */
	assert_int_equal(query_int(db, "SELECT held FROM outbox WHERE id = 4"), 1);
	store_close(st);
}

/*
 * A version 6 store (before the outbox_forward trigger) migrates, and then
 * a receipt that says less than the row knows changes nothing: Twilio's
 * "queued" after "sent" is not refused by the CHECK (the webhook got 500,
 * the sender's record of the send failed), "sent" after "undelivered"
 * keeps the error.  Unsent rows still take only the statuses the CHECK
 * lists, and the sender's own moves are left alone.
 */
static void
test_migrate_v6_status_forward(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	sqlite3		*db = NULL;
	size_t		 i;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	for (i = 0; i < 7; i++)
		exec_ok(db, store_migrations[i]);
	exec_ok(db, "PRAGMA user_version = 7");
	exec_ok(db, "INSERT INTO outbox(id, channel, address, body, status, next_at,"
	    " provider_id, error, created_at, updated_at) VALUES"
	    " (1, 'sms', '+8613800138000', 'a', 'sent', 1, 'SM1', NULL, 1, 1),"
	    " (2, 'sms', '+8613800138000', 'b', 'undelivered', 1, 'SM2', '30003', 1, 1),"
	    " (3, 'sms', '+8613800138000', 'c', 'pending', 1, NULL, NULL, 1, 1),"
	    " (4, 'sms', '+8613900139000', 'd', 'sent', 1, 'SM4', NULL, 1, 1)");
	sqlite3_close(db);
	st = open_rw(fx);
	db = store_db(st);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);

	exec_ok(db, "UPDATE outbox SET status = 'queued' WHERE id = 1");
	assert_int_equal(sqlite3_changes(db), 0);
	exec_ok(db, "UPDATE outbox SET status = 'sent', error = NULL WHERE id = 2");
	assert_int_equal(query_int(db, "SELECT count(*) FROM outbox WHERE id = 2"
	    " AND status = 'undelivered' AND error = '30003'"), 1);
	exec_ok(db, "UPDATE outbox SET status = 'failed', error = '1' WHERE id = 2");
	assert_int_equal(query_int(db, "SELECT error = '30003' FROM outbox WHERE id = 2"), 1);
	/* forward: it moves, and then not back */
	exec_ok(db, "UPDATE outbox SET status = 'delivered', error = NULL WHERE id = 2");
	assert_int_equal(query_int(db, "SELECT status = 'delivered' FROM outbox"
	    " WHERE id = 2"), 1);
	exec_ok(db, "UPDATE outbox SET status = 'undelivered', error = '2' WHERE id = 2");
	assert_int_equal(query_int(db, "SELECT status = 'delivered' AND error IS NULL"
	    " FROM outbox WHERE id = 2"), 1);
	exec_ok(db, "UPDATE outbox SET status = 'undelivered', error = '30005' WHERE id = 4");
	assert_int_equal(query_int(db, "SELECT error = '30005' FROM outbox WHERE id = 4"), 1);
	/* unsent rows: the CHECK still holds; the sender's moves still happen */
	assert_int_equal(sqlite3_exec(db, "UPDATE outbox SET status = 'queued'"
	    " WHERE id = 3", NULL, NULL, NULL) & 0xff, SQLITE_CONSTRAINT);
	exec_ok(db, "UPDATE outbox SET status = 'sending' WHERE id = 3");
	exec_ok(db, "UPDATE outbox SET status = 'pending' WHERE id = 3");
	exec_ok(db, "UPDATE outbox SET status = 'sent', provider_id = 'SM3' WHERE id = 3");
	assert_int_equal(query_int(db, "SELECT status = 'sent' FROM outbox WHERE id = 3"), 1);
	store_close(st);
}

static int
job_kv(struct store *st, void *arg)
{
	static char	 big[4 << 20];

	return kv_insert(st, "job", 1, arg != NULL ? big : NULL,
	    arg != NULL ? (int)sizeof(big) : 0);
}

/*
 * A writer whose transaction the store abandons (disk full) says it is
 * failing, with SQLite's reason, and the empty commit that follows does
 * not clear it; a probe that writes does.  At stop the WAL is truncated.
 */
static void
test_writer_failing_then_probe(void **state)
{
	struct fixture		*fx = *state;
	struct store		*st = open_rw(fx);
	struct store_writer	*w;
	struct stat		 sb;
	char			 sql[64], why[160] = "", wal[160];
	int			 i;

	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
	    query_int(store_db(st), "PRAGMA page_count") + 64);
	assert_int_equal(store_exec(st, sql), 0);
	w = store_writer_start(st, 0);
	assert_false(store_writer_failing(w, why, sizeof(why)));
	assert_string_equal(why, "");
	assert_int_not_equal(store_writer_submit(w, job_kv, (void *)1), 0);
	assert_true(store_writer_failing(w, why, sizeof(why)));
	if (strstr(why, "full") == NULL)
		fail_msg("why: \"%s\"", why);
	store_writer_probe(w);
	store_writer_probe(w);	/* one queued at a time */
	for (i = 0; i < 200 && store_writer_failing(w, NULL, 0); i++)
		usleep(10000);
	assert_false(store_writer_failing(w, why, sizeof(why)));
	assert_int_equal(store_writer_submit(w, job_kv, NULL), 0);
	store_writer_stop(w);
	snprintf(wal, sizeof(wal), "%s-wal", fx->path);
	if (stat(wal, &sb) == 0)
		assert_int_equal(sb.st_size, 0);
}

/*
 * The login lock (console/): the 10th failure within 15 minutes locks the
 * account for 15 minutes; a failure after the window, or after the lock
 * ran out, starts the count again; a success clears it; setting the
 * password clears it and ends the account's sessions.
 */
static void
test_account_lock(void **state)
{
	struct fixture		*fx = *state;
	struct store		*st = open_rw(fx);
	struct store_account	 a;
	struct store_session	 s;
	bool			 locked = false;
	int			 i;

	assert_int_equal(store_account_failed(st, "d-none", 1000, 900, 10, 900,
	    &locked), 0);			/* no account: nothing counted */
	assert_false(locked);
	assert_int_equal(store_account_set(st, "d-niu", "$argon2id$x", 1000), 0);
	assert_int_equal(store_session_add(st, "aa", "d-niu", "c1", 1000), 0);
	for (i = 0; i < 9; i++) {
		assert_int_equal(store_account_failed(st, "d-niu", 1000 + i, 900, 10,
		    900, &locked), 0);
		assert_false(locked);
	}
	assert_int_equal(store_account_failed(st, "d-niu", 1100, 900, 10, 900,
	    &locked), 0);
	assert_true(locked);
	assert_int_equal(store_account_get(st, "d-niu", &a), 1);
	assert_int_equal(a.failures, 10);
	assert_int_equal(a.locked_until, 2000);
	assert_string_equal(a.hash, "$argon2id$x");
	/* the lock ran out: one more failure is the first of a new count */
	assert_int_equal(store_account_failed(st, "d-niu", 2000, 900, 10, 900,
	    &locked), 0);
	assert_false(locked);
	assert_int_equal(store_account_get(st, "d-niu", &a), 1);
	assert_int_equal(a.failures, 1);
	assert_int_equal(a.locked_until, 0);
	/* nine more inside the window lock it, not after it */
	for (i = 0; i < 8; i++)
		store_account_failed(st, "d-niu", 2100, 900, 10, 900, &locked);
	assert_false(locked);
	assert_int_equal(store_account_failed(st, "d-niu", 2900, 900, 10, 900,
	    &locked), 0);
	assert_false(locked);			/* 900 s after the first: new count */
	assert_int_equal(store_account_get(st, "d-niu", &a), 1);
	assert_int_equal(a.failures, 1);
	assert_int_equal(store_account_ok(st, "d-niu"), 0);
	assert_int_equal(store_account_get(st, "d-niu", &a), 1);
	assert_int_equal(a.failures, 0);
	/* a new password: the sessions end */
	assert_int_equal(store_session_get(st, "aa", &s), 1);
	assert_string_equal(s.account, "d-niu");
	assert_int_equal(store_account_set(st, "d-niu", "$argon2id$y", 3000), 0);
	assert_int_equal(store_session_get(st, "aa", &s), 0);
	assert_int_equal(store_account_get(st, "d-none", &a), 0);
	store_close(st);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		T(test_migrate_fresh),
		T(test_migrate_v1_to_v2),
		T(test_migrate_v8_to_v9),
		T(test_search_trigram),
		T(test_writer_indexes_batch),
		T(test_migrate_v14_to_v15),
		T(test_search_pages_and_totals),
		T(test_scope_count_parts),
		T(test_query_plans),
		T(test_api_and_report_plans),
		T(test_outbox_release),
		T(test_open_synchronous),
		T(test_open_page_size),
		T(test_open_bad_synchronous),
		T(test_reopen_keeps_data),
		T(test_future_version_refused),
		T(test_readonly_open),
		T(test_readonly_unmigrated_refused),
		T(test_readonly_missing_refused),
		T(test_stmt_cache_same),
		T(test_stmt_cache_reset_cleared),
		T(test_stmt_cache_grows),
		T(test_store_exec),
		T(test_writer_threads),
		T(test_writer_one_failure),
		T(test_writer_sync_rc),
		T(test_writer_lost_transaction),
		T(test_writer_after_commit),
		T(test_after_commit_own_transaction),
		T(test_writer_job_commit_refused),
		T(test_writer_sqlite_full),
		T(test_writer_dangling_statement),
		T(test_writer_max_batch),
		T(test_writer_async_done_once),
		T(test_writer_submit_after_stop),
		T(test_migrate_v6_status_forward),
		T(test_writer_failing_then_probe),
		T(test_account_lock),
	};
	struct CMUnitTest	 tests[nitems(fixed) + nitems(constraint_rows)];
	size_t			 i, n = 0;

	log_init(-1);
	for (i = 0; i < nitems(fixed); i++)
		tests[n++] = fixed[i];
	for (i = 0; i < nitems(constraint_rows); i++) {
		tests[n] = (struct CMUnitTest)T(test_constraint);
		tests[n].name = constraint_rows[i].name;
		tests[n].initial_state = ROW(&constraint_rows[i]);
		n++;
	}
	return _cmocka_run_group_tests("store", tests, n, NULL, NULL);
}
