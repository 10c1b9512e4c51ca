/*
 * tests/unit/test_store_conformance.c: the store's contract, the same
 * checks on every backend: SQLite (a file in a fresh mkdtemp directory)
 * and PostgreSQL (a fresh database, CREATE DATABASE through libpq, in the
 * cluster whose admin conninfo MINYI_TEST_PG_ADMIN holds: tests/run.py
 * --postgresql sets it).  Without that variable the PostgreSQL half is
 * not run, and one "# postgresql: not run (...)" line says why.
 *
 * Opening, migrating, reopening read-only; the statement interface
 * (binds of every type, NULLs, Chinese text, int64 extremes, column
 * types, changes, last insert id, the statement cache); the writer (a
 * batch where one job fails and the others commit, each in its
 * savepoint; store_after_commit); the schema's triggers (case_events
 * append-only, the outbox's release and forward, case_assists); INSERT OR
 * IGNORE and ON CONFLICT DO NOTHING; the refusal of an open that would
 * not be durable; and store_copy from SQLite into the backend and back.
 * Every check reads back what the backend did, so a backend that
 * misbehaves fails it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "../../store/store_int.h"

struct backend {
	const char	*name;
	bool		 pg;
};

static const struct backend be_sqlite = { "sqlite", false };
static const struct backend be_pg = { "postgresql", true };

static const char *pg_admin;	/* MINYI_TEST_PG_ADMIN, or NULL */

struct fixture {
	const struct backend *be;
	char		 dir[64];	/* the mkdtemp directory (both backends:
					 * copy's SQLite files) */
	char		 path[128];	/* SQLite: dir/minyi.db */
	char		 db[64];	/* PostgreSQL: the database's name */
	char		 conninfo[512];	/* PostgreSQL: its conninfo */
};

/* Run sql on the cluster's admin connection: true, or false with the
 * error in err. */
static bool
pg_admin_try(const char *sql, char *err, size_t errsz)
{
	PGconn		*c = PQconnectdb(pg_admin);
	PGresult	*r = NULL;
	bool		 ok = false;

	if (PQstatus(c) != CONNECTION_OK)
		snprintf(err, errsz, "connect %s: %s", pg_admin, PQerrorMessage(c));
	else if (PQresultStatus(r = PQexec(c, sql)) != PGRES_COMMAND_OK)
		snprintf(err, errsz, "%s: %s", sql, PQresultErrorMessage(r));
	else
		ok = true;
	PQclear(r);
	PQfinish(c);
	return ok;
}

/* The same; fails the test on error. */
static void
pg_admin_exec(const char *sql)
{
	char	 err[512];

	if (!pg_admin_try(sql, err, sizeof(err)))
		fail_msg("%s", err);
}

/*
 * A database migrated once, from which each test's is made (CREATE
 * DATABASE ... TEMPLATE): a migration on PostgreSQL takes a second or
 * two.  Made at its first use; its name, or "" before.
 */
static char pg_template[64];

static void
pg_template_make(void)
{
	struct store	*st;
	char		 sql[200], conninfo[512], err[256] = "";

	if (pg_template[0] != '\0')
		return;
	snprintf(pg_template, sizeof(pg_template), "conformance_%d_template",
	    (int)getpid());
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_template);
	pg_admin_exec(sql);
	snprintf(conninfo, sizeof(conninfo), "%s dbname=%s", pg_admin, pg_template);
	if ((st = store_open_pg(conninfo, 0, err, sizeof(err))) == NULL)
		fail_msg("migrating the template: %s", err);
	store_close(st);
}

/* The database a check needs on PostgreSQL. */
enum check_db {
	DB_TEMPLATE,	/* a copy of the migrated template */
	DB_FRESH,	/* empty, not migrated */
	DB_ICU,		/* empty, its text ordered by ICU's en-US collation
			 * (a, A, b, B: not byte order), when the server has ICU */
};

/*
 * A fixture: a directory (SQLite's files, store_copy's too) and, on
 * PostgreSQL, a database of its own.
 */
static int
setup_any(void **state, enum check_db kind)
{
	static unsigned	 seq;
	struct fixture	*fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	fx->be = *state;
	strlcpy(fx->dir, "/tmp/minyi-conf-XXXXXX", sizeof(fx->dir));
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/minyi.db", fx->dir);
	if (fx->be->pg) {
		char sql[200];

		snprintf(fx->db, sizeof(fx->db), "conformance_%d_%u", (int)getpid(),
		    ++seq);
		char err[512];

		if (kind == DB_TEMPLATE)
			pg_template_make();
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0"
		    " LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'", fx->db);
		if (kind == DB_ICU && !pg_admin_try(sql, err, sizeof(err))) {
			printf("# postgresql: no ICU collation (%s): the cluster's"
			    " own\n", err);
			kind = DB_FRESH;
		}
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s%s%s", fx->db,
		    kind == DB_TEMPLATE ? " TEMPLATE " : "",
		    kind == DB_TEMPLATE ? pg_template : "");
		if (kind != DB_ICU)
			pg_admin_exec(sql);
		/* a keyword given twice: libpq takes the last */
		snprintf(fx->conninfo, sizeof(fx->conninfo), "%s dbname=%s", pg_admin,
		    fx->db);
	}
	*state = fx;
	return 0;
}

static int
setup(void **state)
{
	return setup_any(state, DB_TEMPLATE);
}

static int
setup_fresh(void **state)
{
	return setup_any(state, DB_FRESH);
}

static int
setup_icu(void **state)
{
	return setup_any(state, DB_ICU);
}

static void
rm_sqlite(const char *path)
{
	static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
	char		 p[200];
	size_t		 i;

	for (i = 0; i < nitems(suffixes); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 p[200];

	rm_sqlite(fx->path);
	snprintf(p, sizeof(p), "%s/other.db", fx->dir);
	rm_sqlite(p);
	snprintf(p, sizeof(p), "%s/back.db", fx->dir);
	rm_sqlite(p);
	rmdir(fx->dir);
	if (fx->be->pg) {
		snprintf(p, sizeof(p), "DROP DATABASE IF EXISTS %s WITH (FORCE)", fx->db);
		pg_admin_exec(p);
	}
	free(fx);
	return 0;
}

/* The fixture's store, opened with flags: NULL and the reason in err. */
static struct store *
try_open(const struct fixture *fx, int flags, char *err, size_t errsz)
{
	if (fx->be->pg)
		return store_open_pg(fx->conninfo, flags, err, errsz);
	return store_open(fx->path, flags, NULL, err, errsz);
}

static struct store *
open_st(const struct fixture *fx, int flags)
{
	struct store	*st;
	char		 err[256] = "";

	if ((st = try_open(fx, flags, err, sizeof(err))) == NULL)
		fail_msg("open (%s): %s", fx->be->name, err);
	return st;
}

/* Run one statement without parameters to its end; fails the test else. */
static void
run_ok(struct store *st, const char *sql)
{
	struct store_stmt	*stmt = store_stmt_new(st, sql);
	int			 rc;

	if (stmt == NULL)
		fail_msg("prepare %s: %s", sql, store_errmsg(st));
	while ((rc = store_step(stmt)) == STORE_ROW)
		;
	if (rc != STORE_DONE)
		fail_msg("%s: %s", sql, store_errmsg(st));
	store_finalize(stmt);
}

/* The statement fails; its error holds what (may be NULL). */
static void
run_fails(struct store *st, const char *sql, const char *what)
{
	struct store_stmt	*stmt = store_stmt_new(st, sql);
	int			 rc;

	if (stmt == NULL)
		fail_msg("prepare %s: %s", sql, store_errmsg(st));
	while ((rc = store_step(stmt)) == STORE_ROW)
		;
	if (rc == STORE_DONE)
		fail_msg("%s: succeeded", sql);
	if (what != NULL && strstr(store_errmsg(st), what) == NULL)
		fail_msg("%s: error \"%s\", expected \"%s\"", sql, store_errmsg(st), what);
	store_finalize(stmt);
}

/* The one integer sql (no parameters) returns. */
static int64_t
int_of(struct store *st, const char *sql)
{
	struct store_stmt	*stmt = store_stmt_new(st, sql);
	int64_t			 v;

	if (stmt == NULL || store_step(stmt) != STORE_ROW)
		fail_msg("%s: %s", sql, store_errmsg(st));
	v = store_column_int64(stmt, 0);
	store_finalize(stmt);
	return v;
}

/* The one text sql returns, into out ("(null)" for NULL). */
static const char *
text_of(struct store *st, const char *sql, char *out, size_t outsz)
{
	struct store_stmt	*stmt = store_stmt_new(st, sql);
	const char		*s;

	if (stmt == NULL || store_step(stmt) != STORE_ROW)
		fail_msg("%s: %s", sql, store_errmsg(st));
	s = (const char *)store_column_text(stmt, 0);
	strlcpy(out, s ? s : "(null)", outsz);
	store_finalize(stmt);
	return out;
}

/* A case row with id and number, and assist (may be NULL). */
static void
add_case(struct store *st, int64_t id, int64_t number, const char *assist)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "INSERT INTO cases (id, number, status, channel, citizen,"
	    " description, assist, created_at, updated_at) VALUES (?1, ?2, 'received',"
	    " 'sms', '+8613800138000', '村口路灯不亮', ?3, 1, 1)");
	store_bind_int64(stmt, 1, id);
	store_bind_int64(stmt, 2, number);
	if (assist != NULL)
		store_bind_text(stmt, 3, assist, -1, STORE_STATIC);
	if (store_step(stmt) != STORE_DONE)
		fail_msg("case %lld: %s", (long long)id, store_errmsg(st));
	store_reset(stmt);
}

/* ---- opening ------------------------------------------------------------- */

/*
 * A read-only open refuses a store never migrated; a read-write open
 * migrates it to STORE_SCHEMA_VERSION, once (a second open finds it
 * there and keeps its rows); then a read-only open reads it.
 */
static void
test_open_migrate_reopen(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	char		 err[256] = "", v[64];

	if (!fx->be->pg) {
		/* an empty file: a SQLite database at version 0 */
		FILE	*f = fopen(fx->path, "w");

		assert_non_null(f);
		fclose(f);
	}
	assert_null(try_open(fx, STORE_READONLY, err, sizeof(err)));
	snprintf(v, sizeof(v), "schema version 0, expected %d", STORE_SCHEMA_VERSION);
	if (strstr(err, v) == NULL)
		fail_msg("read-only open of an empty store: \"%s\"", err);

	st = open_st(fx, 0);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	run_ok(st, "INSERT INTO kv (key, value) VALUES ('k', '民意')");
	store_close(st);
	st = open_st(fx, 0);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(int_of(st, "SELECT count(*) FROM kv"), 1);
	store_close(st);

	st = open_st(fx, STORE_READONLY);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_string_equal(text_of(st, "SELECT value FROM kv WHERE key = 'k'", v,
	    sizeof(v)), "民意");
	store_close(st);
}

/* A read-only store takes no write. */
static void
test_readonly_refuses_writes(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;

	store_close(open_st(fx, 0));
	st = open_st(fx, STORE_READONLY);
	run_fails(st, "INSERT INTO kv (key, value) VALUES ('k', 'v')", NULL);
	store_close(st);
	st = open_st(fx, 0);
	assert_int_equal(int_of(st, "SELECT count(*) FROM kv"), 0);
	store_close(st);
}

/*
 * An open that would acknowledge what is not durable is refused:
 * SQLite's synchronous other than FULL or NORMAL, PostgreSQL's
 * synchronous_commit off (set on the database); the same store opens
 * once that is put right.
 */
static void
test_not_durable_refused(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	char		 err[256] = "", sql[160];

	if (!fx->be->pg) {
		assert_null(store_open(fx->path, 0, "OFF", err, sizeof(err)));
		assert_string_equal(err, "synchronous must be FULL or NORMAL, not \"OFF\"");
		st = store_open(fx->path, 0, "NORMAL", err, sizeof(err));
		assert_non_null(st);
		store_close(st);
		return;
	}
	snprintf(sql, sizeof(sql), "ALTER DATABASE %s SET synchronous_commit = off",
	    fx->db);
	pg_admin_exec(sql);
	assert_null(try_open(fx, 0, err, sizeof(err)));
	assert_string_equal(err, "synchronous_commit is off: a commit would not be"
	    " durable when minyi acknowledges it; set it on");
	assert_null(try_open(fx, STORE_READONLY, err, sizeof(err)));
	snprintf(sql, sizeof(sql), "ALTER DATABASE %s RESET synchronous_commit", fx->db);
	pg_admin_exec(sql);
	store_close(open_st(fx, 0));
}

/* ---- the statement interface --------------------------------------------- */

/*
 * Every bind, read back from a table's columns: int64 extremes, int,
 * NULL, text (Chinese, quotes, a "?1" of its own, a length), doubles
 * that need all 17 digits; the columns' types; changes; the id an
 * INSERT made; a parameter used twice; a quoted "?" left alone.
 */
static void
test_binds_and_columns(void **state)
{
	struct fixture		*fx = *state;
	struct store		*st = open_st(fx, 0);
	struct store_stmt	*stmt, *to;
	static const char	 desc[] = "村口路灯不亮 'it''s' \"?1\" \\ ?2";
	static const char	 place[] = "刘辛店村东头";
	int64_t			 id;

	stmt = store_stmt(st, "INSERT INTO cases (number, status, channel, citizen,"
	    " description, place, tier, flags, due_at, sched_at, created_at, updated_at)"
	    " VALUES (?1, 'received', 'sms', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)");
	assert_int_equal(store_bind_int64(stmt, 1, INT64_MAX), 0);
	assert_int_equal(store_bind_text(stmt, 2, "+8613800138000", -1, STORE_TRANSIENT), 0);
	assert_int_equal(store_bind_text(stmt, 3, desc, -1, STORE_STATIC), 0);
	/* the first two characters only: 6 bytes of UTF-8 */
	assert_int_equal(store_bind_text(stmt, 4, place, 6, STORE_STATIC), 0);
	assert_int_equal(store_bind_null(stmt, 5), 0);
	assert_int_equal(store_bind_int(stmt, 6, -7), 0);
	assert_int_equal(store_bind_int64(stmt, 7, INT64_MIN), 0);
	assert_int_equal(store_bind_int64(stmt, 8, 0), 0);
	assert_int_equal(store_bind_int64(stmt, 9, 1765000000), 0);
	assert_int_equal(store_step(stmt), STORE_DONE);
	store_reset(stmt);
	assert_int_equal(store_changes(st), 1);
	id = store_last_insert_id(st);
	assert_true(id > 0);

	stmt = store_stmt(st, "SELECT number, description, place, tier, flags, due_at,"
	    " sched_at, created_at = updated_at, id, 'a?1b' FROM cases WHERE id = ?1");
	store_bind_int64(stmt, 1, id);
	assert_int_equal(store_step(stmt), STORE_ROW);
	assert_int_equal(store_column_count(stmt), 10);
	assert_int_equal(store_column_type(stmt, 0), STORE_INTEGER);
	assert_true(store_column_int64(stmt, 0) == INT64_MAX);
	assert_int_equal(store_column_type(stmt, 1), STORE_TEXT);
	assert_string_equal((const char *)store_column_text(stmt, 1), desc);
	assert_string_equal((const char *)store_column_text(stmt, 2), "刘辛");
	assert_int_equal(store_column_type(stmt, 3), STORE_NULL);
	assert_null(store_column_text(stmt, 3));
	assert_int_equal(store_column_int(stmt, 3), 0);
	assert_int_equal(store_column_int(stmt, 4), -7);
	assert_true(store_column_int64(stmt, 5) == INT64_MIN);
	assert_int_equal(store_column_int64(stmt, 6), 0);
	assert_int_equal(store_column_int(stmt, 7), 1);	/* a boolean reads 1 */
	assert_true(store_column_int64(stmt, 8) == id);
	assert_string_equal((const char *)store_column_text(stmt, 9), "a?1b");
	assert_int_equal(store_step(stmt), STORE_DONE);
	store_reset(stmt);

	/* a column bound as another statement's parameter */
	stmt = store_stmt(st, "SELECT description, number FROM cases WHERE id = ?1");
	store_bind_int64(stmt, 1, id);
	assert_int_equal(store_step(stmt), STORE_ROW);
	to = store_stmt_new(st, "SELECT count(*) FROM cases WHERE description = ?1"
	    " AND number = ?2");
	assert_non_null(to);
	assert_int_equal(store_bind_column(to, 1, stmt, 0), 0);
	assert_int_equal(store_bind_column(to, 2, stmt, 1), 0);
	store_reset(stmt);
	assert_int_equal(store_step(to), STORE_ROW);
	assert_int_equal(store_column_int64(to, 0), 1);
	store_finalize(to);

	/* doubles, to the last bit; an integral one stays a float */
	run_ok(st, "INSERT INTO eval_rounds (id, name, townships, units, dimensions,"
	    " opens, closes, year, created_by, created_at) VALUES (1, '2026', '[]',"
	    " '[]', '[]', 1, 2, 2026, 's-li', 1)");
	stmt = store_stmt(st, "INSERT INTO eval_results (round_id, unit, year, score,"
	    " rank, criticised) VALUES (1, ?1, 2026, ?2, ?3, 0)");
	{
		static const struct { const char *unit; double v; } d[] = {
			{ "a", 0.1 + 0.2 }, { "b", -1.5e300 }, { "c", 80.0 },
			{ "d", 4.9e-324 }, { "e", 1.0 / 3.0 },
		};
		size_t i;

		for (i = 0; i < nitems(d); i++) {
			store_bind_text(stmt, 1, d[i].unit, -1, STORE_STATIC);
			assert_int_equal(store_bind_double(stmt, 2, d[i].v), 0);
			store_bind_int(stmt, 3, (int)i + 1);
			assert_int_equal(store_step(stmt), STORE_DONE);
			store_reset(stmt);
		}
		stmt = store_stmt(st, "SELECT score, rank FROM eval_results ORDER BY rank");
		for (i = 0; i < nitems(d); i++) {
			assert_int_equal(store_step(stmt), STORE_ROW);
			assert_int_equal(store_column_type(stmt, 0), STORE_FLOAT);
			if (store_column_double(stmt, 0) != d[i].v)
				fail_msg("%s: %.17g read back as %.17g", d[i].unit, d[i].v,
				    store_column_double(stmt, 0));
		}
		assert_int_equal(store_step(stmt), STORE_DONE);
		store_reset(stmt);
	}

	/* changes: of the last statement, 0 when nothing matched */
	add_case(st, 100, 100, NULL);
	add_case(st, 101, 101, NULL);
	run_ok(st, "UPDATE cases SET flags = 1 WHERE id >= 100");
	assert_int_equal(store_changes(st), 2);
	run_ok(st, "UPDATE cases SET flags = 1 WHERE id > 1000");
	assert_int_equal(store_changes(st), 0);
	run_ok(st, "DELETE FROM cases");
	assert_int_equal(store_changes(st), 3);
	assert_int_equal(int_of(st, "SELECT count(*) FROM cases"), 0);
	store_close(st);
}

/*
 * The cache: the same statement for the same text, handed back reset
 * and with its parameters cleared (an unbound ?1 is NULL).
 */
static void
test_stmt_cache(void **state)
{
	struct fixture		*fx = *state;
	struct store		*st = open_st(fx, 0);
	struct store_stmt	*a, *b;
	static const char	 sql[] = "SELECT count(*) FROM kv WHERE key = ?1";

	run_ok(st, "INSERT INTO kv (key, value) VALUES ('k', NULL)");
	a = store_stmt(st, sql);
	store_bind_text(a, 1, "k", -1, STORE_STATIC);
	assert_int_equal(store_step(a), STORE_ROW);
	assert_int_equal(store_column_int(a, 0), 1);
	b = store_stmt(st, sql);	/* mid-step: reset */
	assert_ptr_equal(a, b);
	assert_int_equal(store_step(b), STORE_ROW);
	assert_int_equal(store_column_int(b, 0), 0);
	store_reset(b);
	/*
	 * A statement that does not compile is not fatal: NULL (SQLite), or
	 * an error at its first step (PostgreSQL prepares it there).
	 */
	b = store_stmt_new(st, "SELEKT 1");
	if (b != NULL) {
		assert_int_equal(store_step(b), STORE_ERROR);
		store_finalize(b);
	}
	assert_int_equal(int_of(st, "SELECT count(*) FROM kv"), 1);
	store_close(st);
}

/* ---- the writer ------------------------------------------------------------ */

struct gate {
	sem_t		 entered;
	sem_t		 open;
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

enum rec_kind { REC_OK, REC_FAIL, REC_CONSTRAINT };

struct rec {
	enum rec_kind	 kind;
	int		 id;
	struct store	*observer;	/* another connection to the store */
	sem_t		*done_sem;
	int		 runs;
	int		 done_rc;
	int		 ndone;
	int		 visible;	/* its row seen by observer at done */
	int		 after;		/* store_after_commit's fn ran */
	int		 after_visible;	/* the row seen by observer then */
	int		 freed;		/* its free_fn ran */
};

static int
rec_visible(const struct rec *r)
{
	struct store_stmt	*stmt;
	char			 key[32];
	int			 n = -1;

	snprintf(key, sizeof(key), "rec-%d", r->id);
	stmt = store_stmt(r->observer, "SELECT count(*) FROM kv WHERE key = ?1");
	store_bind_text(stmt, 1, key, -1, STORE_TRANSIENT);
	if (store_step(stmt) == STORE_ROW)
		n = store_column_int(stmt, 0);
	store_reset(stmt);
	return n;
}

static void
rec_after(void *arg)
{
	struct rec	*r = arg;

	r->after++;
	r->after_visible = rec_visible(r);
}

static void
rec_free(void *arg)
{
	((struct rec *)arg)->freed++;
}

/*
 * Insert kv "rec-ID" and ask for rec_after once it commits; REC_FAIL
 * then returns 7, REC_CONSTRAINT inserts a duplicate key (the statement
 * fails: on PostgreSQL the transaction is aborted until the savepoint
 * rolls back) and returns -1.
 */
static int
job_rec(struct store *st, void *arg)
{
	struct rec		*r = arg;
	struct store_stmt	*stmt;
	char			 key[32];
	int			 rc;

	r->runs++;
	snprintf(key, sizeof(key), "rec-%d", r->id);
	stmt = store_stmt(st, "INSERT INTO kv (key, value) VALUES (?1, '民意')");
	store_bind_text(stmt, 1, key, -1, STORE_TRANSIENT);
	rc = store_step(stmt);
	store_reset(stmt);
	if (rc != STORE_DONE)
		return -1;
	store_after_commit(st, rec_after, r, rec_free);
	if (r->kind == REC_FAIL)
		return 7;
	if (r->kind == REC_CONSTRAINT) {
		stmt = store_stmt(st, "INSERT INTO kv (key, value) VALUES ('taken', '')");
		rc = store_step(stmt);
		store_reset(stmt);
		return rc == STORE_DONE ? 0 : -1;
	}
	return 0;
}

static void
rec_done(void *arg, int rc)
{
	struct rec	*r = arg;

	r->ndone++;
	r->done_rc = rc;
	r->visible = rec_visible(r);
	sem_post(r->done_sem);
}

/*
 * One batch of six jobs (held behind a gate so the writer takes them
 * together): one returns 7, one fails on a duplicate key; the other four
 * commit, each told 0 after the COMMIT (their rows visible from another
 * connection by then), and their store_after_commit work runs once,
 * after the COMMIT; the failed jobs' rows are not there and their work
 * is only freed.
 */
static void
test_writer_batch(void **state)
{
	struct fixture			*fx = *state;
	struct store			*st = open_st(fx, 0), *observer;
	struct store_writer		*w;
	struct store_writer_stats	 ws;
	struct gate			 g;
	struct rec			 recs[6];
	sem_t				 done;
	size_t				 i;

	run_ok(st, "INSERT INTO kv (key, value) VALUES ('taken', '')");
	observer = open_st(fx, STORE_READONLY);
	memset(recs, 0, sizeof(recs));
	recs[1].kind = REC_FAIL;
	recs[3].kind = REC_CONSTRAINT;
	sem_init(&done, 0, 0);
	sem_init(&g.entered, 0, 0);
	sem_init(&g.open, 0, 0);
	w = store_writer_start(st, 0);
	assert_int_equal(store_writer_submit_async(w, job_gate, &g, NULL, NULL), 0);
	sem_wait(&g.entered);
	for (i = 0; i < nitems(recs); i++) {
		recs[i].id = (int)i;
		recs[i].observer = observer;
		recs[i].done_sem = &done;
		assert_int_equal(store_writer_submit_async(w, job_rec, &recs[i],
		    rec_done, &recs[i]), 0);
	}
	sem_post(&g.open);
	for (i = 0; i < nitems(recs); i++)
		sem_wait(&done);
	store_writer_stats(w, &ws);
	store_writer_stop(w);
	for (i = 0; i < nitems(recs); i++) {
		bool ok = recs[i].kind == REC_OK;

		assert_int_equal(recs[i].ndone, 1);
		assert_int_equal(recs[i].runs, 1);
		assert_int_equal(recs[i].done_rc, ok ? 0 : recs[i].kind == REC_FAIL ?
		    7 : -1);
		assert_int_equal(recs[i].visible, ok ? 1 : 0);
		assert_int_equal(recs[i].after, ok ? 1 : 0);
		assert_int_equal(recs[i].after_visible, ok ? 1 : 0);
		assert_int_equal(recs[i].freed, 1);
	}
	assert_int_equal(ws.commits, 2);	/* the gate's, then the six */
	assert_int_equal(ws.max_batch, nitems(recs));
	assert_int_equal(ws.failed_jobs, 2);
	assert_int_equal(int_of(observer, "SELECT count(*) FROM kv"), 5);
	store_close(observer);
	sem_destroy(&done);
	sem_destroy(&g.entered);
	sem_destroy(&g.open);
}

/*
 * store_after_commit outside the writer: at once when no transaction is
 * open, at store_exec's COMMIT (the row visible by then), dropped at its
 * ROLLBACK.
 */
static void
test_after_commit(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_st(fx, 0), *observer = open_st(fx, STORE_READONLY);
	struct rec	 now = { .id = 1 }, kept = { .id = 2 }, undone = { .id = 3 };

	now.observer = kept.observer = undone.observer = observer;
	assert_int_equal(job_rec(st, &now), 0);
	assert_int_equal(now.after, 1);
	assert_int_equal(now.after_visible, 1);
	assert_int_equal(store_exec(st, "BEGIN IMMEDIATE"), 0);
	assert_true(store_in_transaction(st));
	assert_int_equal(job_rec(st, &kept), 0);
	assert_int_equal(kept.after, 0);
	assert_int_equal(rec_visible(&kept), 0);
	assert_int_equal(store_exec(st, "COMMIT"), 0);
	assert_false(store_in_transaction(st));
	assert_int_equal(kept.after, 1);
	assert_int_equal(kept.after_visible, 1);
	assert_int_equal(kept.freed, 1);
	assert_int_equal(store_exec(st, "BEGIN IMMEDIATE"), 0);
	assert_int_equal(job_rec(st, &undone), 0);
	assert_int_equal(store_exec(st, "ROLLBACK"), 0);
	assert_int_equal(undone.after, 0);
	assert_int_equal(undone.freed, 1);
	assert_int_equal(rec_visible(&undone), 0);
	store_close(observer);
	store_close(st);
}

/* ---- the schema's triggers and conflicts ------------------------------------ */

/* case_events takes no UPDATE and no DELETE, and says why. */
static void
test_events_append_only(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_st(fx, 0);
	char		 s[64];

	add_case(st, 1, 1, NULL);
	run_ok(st, "INSERT INTO case_events (case_id, at, actor, kind, detail)"
	    " VALUES (1, 100, 'system', 'created', '村口路灯')");
	assert_int_equal(store_last_insert_id(st), 1);
	run_fails(st, "UPDATE case_events SET detail = 'x' WHERE id = 1",
	    "case_events is append-only");
	run_fails(st, "DELETE FROM case_events WHERE id = 1",
	    "case_events is append-only");
	assert_string_equal(text_of(st, "SELECT detail FROM case_events WHERE id = 1",
	    s, sizeof(s)), "村口路灯");
	/* appending goes on */
	run_ok(st, "INSERT INTO case_events (case_id, at, actor, kind)"
	    " VALUES (1, 101, 'system', 'note')");
	assert_int_equal(int_of(st, "SELECT count(*) FROM case_events"), 2);
	store_close(st);
}

/*
 * outbox_release: a recipient's held row is freed when the one before it
 * leaves pending/sending (not when it goes back to pending, not for
 * another recipient, not by a receipt on a sent row).  outbox_forward: a
 * lesser or repeated receipt on a sent row changes nothing (0 rows),
 * error included; a further one moves it.
 */
static void
test_outbox_triggers(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_st(fx, 0);
	char		 s[64];

	run_ok(st, "INSERT INTO outbox (id, channel, address, body, kind, status,"
	    " next_at, created_at, updated_at, held) VALUES"
	    " (1, 'sms', '+8613800138000', 'a', 'reply', 'sending', 1, 1, 1, 0),"
	    " (2, 'sms', '+8613800138000', 'b', 'reply', 'pending', 1, 1, 1, 1),"
	    " (3, 'sms', '+8613800138000', 'c', 'reply', 'pending', 1, 1, 1, 1),"
	    " (4, 'sms', '+8613900139000', 'd', 'reply', 'pending', 1, 1, 1, 1)");
	run_ok(st, "UPDATE outbox SET status = 'pending' WHERE id = 1");
	assert_int_equal(int_of(st, "SELECT sum(held) FROM outbox"), 3);
	run_ok(st, "UPDATE outbox SET status = 'sent', provider_id = 'SM1' WHERE id = 1");
	assert_int_equal(int_of(st, "SELECT held FROM outbox WHERE id = 2"), 0);
	assert_int_equal(int_of(st, "SELECT held FROM outbox WHERE id = 3"), 1);
	assert_int_equal(int_of(st, "SELECT held FROM outbox WHERE id = 4"), 1);
	run_ok(st, "UPDATE outbox SET status = 'delivered' WHERE id = 1");
	assert_int_equal(store_changes(st), 1);
	assert_int_equal(int_of(st, "SELECT held FROM outbox WHERE id = 3"), 1);
	run_ok(st, "UPDATE outbox SET status = 'sending' WHERE id = 2");
	run_ok(st, "UPDATE outbox SET status = 'dead' WHERE id = 2");
	assert_int_equal(int_of(st, "SELECT held FROM outbox WHERE id = 3"), 0);
	assert_int_equal(int_of(st, "SELECT held FROM outbox WHERE id = 4"), 1);

	/* receipts that say less than the row knows */
	run_ok(st, "UPDATE outbox SET status = 'sent', error = 'late' WHERE id = 1");
	assert_int_equal(store_changes(st), 0);
	run_ok(st, "UPDATE outbox SET status = 'undelivered', error = '30003' WHERE id = 1");
	assert_int_equal(store_changes(st), 0);
	assert_string_equal(text_of(st, "SELECT status || '/' || coalesce(error, '-')"
	    " FROM outbox WHERE id = 1", s, sizeof(s)), "delivered/-");
	run_ok(st, "UPDATE outbox SET status = 'sent', provider_id = 'SM3' WHERE id = 3");
	run_ok(st, "UPDATE outbox SET status = 'undelivered', error = '30003' WHERE id = 3");
	assert_int_equal(store_changes(st), 1);
	run_ok(st, "UPDATE outbox SET status = 'sent', error = NULL WHERE id = 3");
	assert_int_equal(store_changes(st), 0);
	assert_string_equal(text_of(st, "SELECT status || '/' || coalesce(error, '-')"
	    " FROM outbox WHERE id = 3", s, sizeof(s)), "undelivered/30003");
	run_ok(st, "UPDATE outbox SET status = 'delivered', error = NULL WHERE id = 3");
	assert_string_equal(text_of(st, "SELECT status || '/' || coalesce(error, '-')"
	    " FROM outbox WHERE id = 3", s, sizeof(s)), "delivered/-");
	/* an unsent row still takes only the statuses the CHECK lists */
	run_fails(st, "UPDATE outbox SET status = 'queued' WHERE id = 4", NULL);
	store_close(st);
}

/* case_assists follows cases.assist: insert, update, NULL, delete. */
static void
test_case_assists(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st = open_st(fx, 0);
	char		 s[128];
	static const char list[] = "SELECT coalesce(group_concat(department, ','), '')"
	    " FROM (SELECT department FROM case_assists WHERE case_id = 1"
	    " ORDER BY department) AS a";

	add_case(st, 1, 1, "water,sanitation");
	add_case(st, 2, 2, ",civil,,");
	add_case(st, 3, 3, NULL);
	assert_string_equal(text_of(st, list, s, sizeof(s)), "sanitation,water");
	assert_int_equal(int_of(st, "SELECT count(*) FROM case_assists WHERE case_id = 2"
	    " AND department = 'civil'"), 1);
	assert_int_equal(int_of(st, "SELECT count(*) FROM case_assists"), 3);
	run_ok(st, "UPDATE cases SET assist = 'labor' WHERE id = 1");
	assert_string_equal(text_of(st, list, s, sizeof(s)), "labor");
	run_ok(st, "UPDATE cases SET assist = NULL WHERE id = 1");
	assert_string_equal(text_of(st, list, s, sizeof(s)), "");
	run_ok(st, "UPDATE cases SET assist = 'market' WHERE id = 3");
	run_ok(st, "DELETE FROM cases WHERE id = 2");
	assert_int_equal(int_of(st, "SELECT count(*) FROM case_assists"), 1);
	assert_int_equal(int_of(st, "SELECT count(*) FROM case_assists WHERE case_id = 3"
	    " AND department = 'market'"), 1);
	store_close(st);
}

/*
 * INSERT OR IGNORE and ON CONFLICT DO NOTHING: the second of two rows
 * with one key changes nothing, with no error, also on a partial unique
 * index (messages with a provider id); an upsert counts.
 */
static void
test_conflicts(void **state)
{
	struct fixture		*fx = *state;
	struct store		*st = open_st(fx, 0);
	struct store_stmt	*stmt;
	char			 s[64];
	int			 i;

	for (i = 0; i < 2; i++) {
		stmt = store_stmt(st, "INSERT OR IGNORE INTO kv (key, value) VALUES (?1, ?2)");
		store_bind_text(stmt, 1, "k", -1, STORE_STATIC);
		store_bind_text(stmt, 2, i ? "second" : "first", -1, STORE_STATIC);
		assert_int_equal(store_step(stmt), STORE_DONE);
		store_reset(stmt);
		assert_int_equal(store_changes(st), i ? 0 : 1);
	}
	assert_string_equal(text_of(st, "SELECT value FROM kv WHERE key = 'k'", s,
	    sizeof(s)), "first");
	for (i = 0; i < 2; i++) {
		stmt = store_stmt(st, SQL_MSG_INSERT);
		store_bind_text(stmt, 1, "sms", -1, STORE_STATIC);
		store_bind_text(stmt, 2, "SM0001", -1, STORE_STATIC);
		store_bind_text(stmt, 3, "+8613800138000", -1, STORE_STATIC);
		store_bind_text(stmt, 4, i ? "又一条" : "路灯不亮", -1, STORE_STATIC);
		store_bind_null(stmt, 5);
		store_bind_null(stmt, 6);
		store_bind_null(stmt, 7);
		store_bind_int64(stmt, 8, 100 + i);
		assert_int_equal(store_step(stmt), STORE_DONE);
		store_reset(stmt);
		assert_int_equal(store_changes(st), i ? 0 : 1);
	}
	/* without a provider id, no conflict */
	run_ok(st, "INSERT INTO messages (channel, address, body, created_at)"
	    " VALUES ('sms', '+8613800138000', 'x', 1) ON CONFLICT DO NOTHING");
	run_ok(st, "INSERT INTO messages (channel, address, body, created_at)"
	    " VALUES ('sms', '+8613800138000', 'x', 1) ON CONFLICT DO NOTHING");
	assert_int_equal(store_changes(st), 1);
	assert_int_equal(int_of(st, "SELECT count(*) FROM messages"), 3);
	assert_string_equal(text_of(st, "SELECT body FROM messages WHERE provider_id"
	    " = 'SM0001'", s, sizeof(s)), "路灯不亮");
	/* an upsert that updates */
	for (i = 0; i < 2; i++) {
		stmt = store_stmt(st, SQL_RESIDENT_UPSERT);
		store_bind_text(stmt, 1, "+8613800138000", -1, STORE_STATIC);
		store_bind_text(stmt, 2, "zh", -1, STORE_STATIC);
		store_bind_int64(stmt, 3, 100 + i);
		assert_int_equal(store_step(stmt), STORE_DONE);
		store_reset(stmt);
		assert_int_equal(store_changes(st), 1);
	}
	assert_int_equal(int_of(st, "SELECT updated_at - created_at FROM residents"), 1);
	store_close(st);
}

/* ---- store_copy ----------------------------------------------------------- */

struct sums {
	size_t		 n;
	char		 line[32][128];	/* "table rows sha" */
};

static void
sums_add(void *arg, const char *table, int64_t rows, const char *sha)
{
	struct sums	*s = arg;

	if (s->n < nitems(s->line))
		snprintf(s->line[s->n++], sizeof(s->line[0]), "%s %lld %s", table,
		    (long long)rows, sha);
}

/* A SQLite store with what a copy must keep exactly: more rows than a
 * page, text keys whose order depends on a collation, int64 extremes,
 * doubles, NULLs, Chinese text. */
static void
fill_source(struct store *st)
{
	struct store_stmt	*stmt;
	static const char *const keys[] = { "B", "a", "中文", "Z", "_x", "a b", "é",
	    "a\x1f", "A" };
	char			 k[32];
	size_t			 i;

	assert_int_equal(store_exec(st, "BEGIN IMMEDIATE"), 0);
	stmt = store_stmt(st, "INSERT INTO kv (key, value) VALUES (?1, ?2)");
	for (i = 0; i < 2500 + nitems(keys); i++) {
		if (i < nitems(keys))
			strlcpy(k, keys[i], sizeof(k));
		else
			snprintf(k, sizeof(k), "k%05zu", (i * 7919) % 100000);
		store_bind_text(stmt, 1, k, -1, STORE_TRANSIENT);
		if (i % 3 == 0)
			store_bind_null(stmt, 2);
		else
			store_bind_text(stmt, 2, i % 3 == 1 ? "民意 'x' \"y\"" : "", -1,
			    STORE_STATIC);
		assert_int_equal(store_step(stmt), STORE_DONE);
		store_reset(stmt);
	}
	add_case(st, 7, 42, "water,sanitation");
	add_case(st, 9, 43, NULL);
	run_ok(st, "UPDATE cases SET due_at = -9223372036854775807 - 1,"
	    " sched_at = 9223372036854775807, place = '刘辛店村' WHERE id = 7");
	stmt = store_stmt(st, "INSERT INTO case_events (case_id, at, actor, kind, detail)"
	    " VALUES (?1, ?2, 'system', 'note', ?3)");
	for (i = 0; i < 1200; i++) {
		store_bind_int(stmt, 1, i % 2 ? 7 : 9);
		store_bind_int64(stmt, 2, (int64_t)i);
		if (i % 5)
			store_bind_text(stmt, 3, "进展", -1, STORE_STATIC);
		assert_int_equal(store_step(stmt), STORE_DONE);
		store_reset(stmt);
	}
	run_ok(st, "INSERT INTO eval_rounds (id, name, townships, units, dimensions,"
	    " opens, closes, year, created_by, created_at) VALUES (3, '2026', '[]',"
	    " '[]', '[]', 1, 2, 2026, 's-li', 1)");
	stmt = store_stmt(st, "INSERT INTO eval_results (round_id, unit, year, score,"
	    " rank, criticised) VALUES (3, ?1, 2026, ?2, 1, 0)");
	for (i = 0; i < 5; i++) {
		snprintf(k, sizeof(k), "%c", "wpBax"[i]);
		store_bind_text(stmt, 1, k, -1, STORE_TRANSIENT);
		if (i == 3)
			store_bind_null(stmt, 2);
		else
			store_bind_double(stmt, 2, i == 0 ? 0.1 + 0.2 : i == 1 ? 1.0 / 3 :
			    i == 2 ? 80 : INFINITY);
		assert_int_equal(store_step(stmt), STORE_DONE);
		store_reset(stmt);
	}
	/* v17: a table without a key, two of its rows alike */
	run_ok(st, "INSERT INTO rate_marks (key, at) VALUES ('rate:sms', 5),"
	    " ('robot:https://qyapi', 1), ('rate:sms', 5), ('rate:sms', 4)");
	run_ok(st, "INSERT INTO nodes (id, started_at, seen_at) VALUES ('node-b', 1, 2),"
	    " ('node-A', 1, 3)");
	assert_int_equal(store_exec(st, "COMMIT"), 0);
}

/*
 * SQLite into the backend (a second SQLite file on SQLite) and back into
 * a third file: each copy verifies, both give the same row counts and
 * checksums, and the last holds every value as the first did; the
 * backend's sequences continue after the copied ids and numbers.  A
 * second copy into a filled target, and a store into itself, are
 * refused.
 */
static void
test_copy(void **state)
{
	struct fixture	*fx = *state;
	struct store	*src, *mid, *back;
	struct sums	 s1, s2;
	char		 err[512] = "", p[200], v[128];
	size_t		 i;

	snprintf(p, sizeof(p), "%s/other.db", fx->dir);
	src = store_open(p, 0, NULL, err, sizeof(err));
	assert_non_null(src);
	fill_source(src);
	mid = open_st(fx, 0);
	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	if (store_copy(src, mid, sums_add, &s1, err, sizeof(err)) != 0)
		fail_msg("copy into %s: %s", fx->be->name, err);
	assert_int_equal(s1.n, 25);
	assert_int_equal(strncmp(s1.line[0], "cases 2 ", 8), 0);
	assert_int_equal(int_of(mid, "SELECT count(*) FROM kv"), 2509);
	assert_int_equal(int_of(mid, "SELECT count(*) FROM case_events"), 1200);
	assert_int_equal(int_of(mid, "SELECT count(*) FROM case_assists"), 2);
	assert_int_equal(int_of(mid, "SELECT count(*) FROM rate_marks WHERE key ="
	    " 'rate:sms' AND at = 5"), 2);

	/* again: refused, nothing added */
	assert_int_equal(store_copy(src, mid, NULL, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "the target already holds rows (table cases)");
	assert_int_equal(store_copy(mid, mid, NULL, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "the source and the target are the same store");
	assert_int_equal(int_of(mid, "SELECT count(*) FROM kv"), 2509);

	snprintf(p, sizeof(p), "%s/back.db", fx->dir);
	back = store_open(p, 0, NULL, err, sizeof(err));
	assert_non_null(back);
	if (store_copy(mid, back, sums_add, &s2, err, sizeof(err)) != 0)
		fail_msg("copy back from %s: %s", fx->be->name, err);
	assert_int_equal(s2.n, s1.n);
	for (i = 0; i < s1.n; i++)
		assert_string_equal(s2.line[i], s1.line[i]);
	assert_string_equal(text_of(back, "SELECT CAST(due_at AS TEXT) || ' ' ||"
	    " CAST(sched_at AS TEXT) || ' ' || place FROM cases WHERE id = 7", v,
	    sizeof(v)), "-9223372036854775808 9223372036854775807 刘辛店村");
	assert_string_equal(text_of(back, "SELECT group_concat(unit, '') FROM"
	    " (SELECT unit FROM eval_results ORDER BY coalesce(score, -1)) AS r", v,
	    sizeof(v)), "awpBx");	/* NULL, 0.30000000000000004, 1/3, 80, inf */
	{
		struct store_stmt *stmt = store_stmt_new(back, "SELECT score FROM"
		    " eval_results WHERE unit IN ('w', 'p') ORDER BY unit");

		assert_int_equal(store_step(stmt), STORE_ROW);
		assert_true(store_column_double(stmt, 0) == 1.0 / 3);
		assert_int_equal(store_step(stmt), STORE_ROW);
		assert_true(store_column_double(stmt, 0) == 0.1 + 0.2);
		store_finalize(stmt);
	}
	/* the copied search index finds the copied cases */
	assert_int_equal(int_of(back, "SELECT count(*) FROM cases_fts WHERE cases_fts"
	    " MATCH '\"路灯不\"'"), 2);
	assert_int_equal(int_of(back, "SELECT count(*) FROM cases_fts_queue"), 0);

	/* new rows continue after the copied ones, on every backend */
	assert_int_equal(int_of(mid, SQL_CASE_NEXT), 44);
	/* a step that makes two cases takes two numbers, one after the other */
	assert_int_equal(int_of(mid, SQL_CASE_TAKE), 44);
	{
		struct store_stmt *stmt = store_stmt_new(mid, SQL_CASE_TAKE_AFTER);

		assert_non_null(stmt);
		store_bind_int64(stmt, 1, 44);
		assert_int_equal(store_step(stmt), STORE_ROW);
		assert_int_equal(store_column_int64(stmt, 0), 45);
		store_finalize(stmt);
	}
	run_ok(mid, "INSERT INTO case_events (case_id, at, actor, kind)"
	    " VALUES (7, 1, 'system', 'note')");
	assert_int_equal(store_last_insert_id(mid), 1201);
	store_close(back);
	store_close(mid);
	store_close(src);
}

/* ---- the suite ------------------------------------------------------------ */

struct check {
	const char		*name;
	CMUnitTestFunction	 fn;
	int			 (*setup)(void **);	/* its database */
};

/* ---- two nodes' writers --------------------------------------------------- */

/*
 * Two jobs on two writers (two nodes) that take two locks in opposite
 * orders.  Each waits for the other's first lock (at most 3 s: on SQLite
 * the second writer cannot begin while the first holds the database, so
 * they run one after the other); on PostgreSQL they deadlock, the server
 * aborts one (SQLSTATE 40P01), and its writer rolls the job back to its
 * savepoint and runs it again: both commit, and one ran twice.
 */
struct crossing {
	const char	*first, *second;
	sem_t		*mine, *theirs;
	int		 runs;
};

static int
job_crossing(struct store *st, void *arg)
{
	struct crossing	*c = arg;
	struct timespec	 ts;

	if (++c->runs == 1) {
		if (store_lock_key(st, "test", c->first) != 0)
			return -1;
		sem_post(c->mine);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 3;
		(void)sem_timedwait(c->theirs, &ts);
	} else if (store_lock_key(st, "test", c->first) != 0)
		return -1;
	return store_lock_key(st, "test", c->second);
}

struct crossing_run {
	struct store_writer	*w;
	struct crossing		*c;
	int			 rc;
};

static void *
crossing_thread(void *arg)
{
	struct crossing_run	*r = arg;

	r->rc = store_writer_submit(r->w, job_crossing, r->c);
	return NULL;
}

static void
test_deadlock_retried(void **state)
{
	struct fixture		*fx = *state;
	sem_t			 a_has, b_has;
	struct crossing		 a = { "k1", "k2", &a_has, &b_has, 0 };
	struct crossing		 b = { "k2", "k1", &b_has, &a_has, 0 };
	struct crossing_run	 ra, rb;
	pthread_t		 ta, tb;

	sem_init(&a_has, 0, 0);
	sem_init(&b_has, 0, 0);
	ra = (struct crossing_run){ store_writer_start(open_st(fx, 0), 0), &a, -9 };
	rb = (struct crossing_run){ store_writer_start(open_st(fx, 0), 0), &b, -9 };
	assert_int_equal(pthread_create(&ta, NULL, crossing_thread, &ra), 0);
	assert_int_equal(pthread_create(&tb, NULL, crossing_thread, &rb), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	store_writer_stop(ra.w);
	store_writer_stop(rb.w);
	assert_int_equal(ra.rc, 0);
	assert_int_equal(rb.rc, 0);
	/* PostgreSQL: the deadlock made one of them run again */
	assert_int_equal(a.runs + b.runs, fx->be->pg ? 3 : 2);
	sem_destroy(&a_has);
	sem_destroy(&b_has);
}

static const struct check checks[] = {
	{ "open, migrate, reopen read-only", test_open_migrate_reopen, setup_fresh },
	{ "a read-only store refuses writes", test_readonly_refuses_writes, setup },
	{ "an open that is not durable is refused", test_not_durable_refused, setup },
	{ "binds of every type, columns, changes, last insert id",
	  test_binds_and_columns, setup },
	{ "the statement cache", test_stmt_cache, setup },
	{ "writer batch: one job fails, the others commit", test_writer_batch, setup },
	{ "store_after_commit", test_after_commit, setup },
	{ "case_events is append-only", test_events_append_only, setup },
	{ "outbox release and forward triggers", test_outbox_triggers, setup },
	{ "case_assists kept by trigger", test_case_assists, setup },
	{ "INSERT OR IGNORE, ON CONFLICT DO NOTHING", test_conflicts, setup },
	{ "store_copy from SQLite and back", test_copy, setup_icu },
	{ "two nodes' jobs that deadlock: one runs again, both commit",
	  test_deadlock_retried, setup },
};

int
main(void)
{
	static const struct backend *const backends[] = { &be_sqlite, &be_pg };
	struct CMUnitTest	 tests[nitems(checks) * nitems(backends)];
	static char		 names[nitems(checks) * nitems(backends)][96];
	size_t			 b, i, n = 0;
	int			 rc;

	log_init(-1);
	pg_admin = getenv("MINYI_TEST_PG_ADMIN");
	if (pg_admin != NULL && *pg_admin == '\0')
		pg_admin = NULL;
	if (pg_admin == NULL)
		printf("# postgresql: not run (MINYI_TEST_PG_ADMIN is not set;"
		    " tests/run.py --postgresql auto|only sets it)\n");
	for (b = 0; b < nitems(backends); b++) {
		if (backends[b]->pg && pg_admin == NULL)
			continue;
		for (i = 0; i < nitems(checks); i++) {
			snprintf(names[n], sizeof(names[n]), "%s: %s", backends[b]->name,
			    checks[i].name);
			tests[n] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
			    checks[i].fn, checks[i].setup, teardown);
			tests[n].name = names[n];
			tests[n].initial_state = (void *)(uintptr_t)backends[b];
			n++;
		}
	}
	rc = _cmocka_run_group_tests("store_conformance", tests, n, NULL, NULL);
	if (pg_template[0] != '\0') {
		char sql[128];

		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", pg_template);
		pg_admin_exec(sql);
	}
	return rc;
}
