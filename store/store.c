/*
 * store.c: SQLite connections.  Opening sets WAL, foreign keys, the
 * synchronous level and a busy timeout, then brings the schema to
 * STORE_SCHEMA_VERSION one migration per transaction (PRAGMA user_version
 * counts them).  Each connection keeps a cache of persistent prepared
 * statements keyed by their SQL text, so callers write
 * store_stmt(st, SQL_FOO) and never prepare or finalize themselves.
 *
 * A connection is used by one thread at a time (the writer thread, or a
 * reader borrowed from a pool), so it is opened with SQLITE_OPEN_NOMUTEX.
 */
#include "store_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema.sql.h"
#include "../config/config.h"
#include <inttypes.h>

_Static_assert(nitems(store_migrations) == STORE_SCHEMA_VERSION,
    "one migration per schema version");
_Static_assert(STORE_ROW == SQLITE_ROW && STORE_DONE == SQLITE_DONE &&
    STORE_ERROR == SQLITE_ERROR, "store_step answers as sqlite3_step");
_Static_assert(STORE_INTEGER == SQLITE_INTEGER && STORE_FLOAT == SQLITE_FLOAT &&
    STORE_TEXT == SQLITE_TEXT && STORE_BLOB == SQLITE_BLOB &&
    STORE_NULL == SQLITE_NULL, "store_column_type answers as SQLite's");

#define STORE_BUSY_MS	5000	/* wait this long for another writer's lock */
#define STORE_PAGE_SIZE	"2048"	/* bytes, for a new store */
#define STORE_CHECKPOINT_PAGES "4000"	/* WAL pages between checkpoints: 8 MB */
#define STORE_CACHE_MIN	64	/* initial statement cache slots (power of 2) */

/* FNV-1a over the SQL text. */
static uint32_t
store_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* The slot holding sql, or the empty slot where it belongs. */
static struct stmt_slot *
store_slot_find(struct stmt_slot *slots, size_t nslots, const char *sql,
    uint32_t hash)
{
	size_t	 i = hash & (nslots - 1);

	while (slots[i].sql != NULL) {
		if (slots[i].hash == hash && strcmp(slots[i].sql, sql) == 0)
			break;
		i = (i + 1) & (nslots - 1);
	}
	return &slots[i];
}

/*
 * Double the cache (it starts at STORE_CACHE_MIN slots), moving every
 * slot; keys and statements stay owned by the cache.
 */
static void
store_cache_grow(struct store *st)
{
	struct stmt_slot	*old = st->slots, *s;
	size_t			 oldn = st->nslots, i;

	st->nslots = oldn * 2;
	st->slots = xcalloc(st->nslots, sizeof(*st->slots));
	for (i = 0; i < oldn; i++) {
		if (old[i].sql == NULL)
			continue;
		s = store_slot_find(st->slots, st->nslots, old[i].sql,
		    old[i].hash);
		*s = old[i];
	}
	free(old);
}

/* Prepare one statement of sql; NULL with the reason in the log. */
static sqlite3_stmt *
store_prepare(struct store *st, const char *sql, unsigned flags)
{
	sqlite3_stmt	*stmt = NULL;
	const char	*tail = NULL;

	if (sqlite3_prepare_v3(st->db, sql, -1, flags, &stmt, &tail) != SQLITE_OK ||
	    stmt == NULL) {
		log_warnx("store prepare failed err=\"%s\" sql=\"%s\"",
		    sqlite3_errmsg(st->db), sql);
		return NULL;
	}
	tail += strspn(tail, " \t\r\n;");
	if (*tail != '\0') {
		log_warnx("store prepare failed err=\"more than one statement\""
		    " sql=\"%s\"", sql);
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

struct store_stmt *
store_stmt(struct store *st, const char *sql)
{
	struct stmt_slot	*s;
	sqlite3_stmt		*lite = NULL;
	uint32_t		 hash = store_hash(sql);

	s = store_slot_find(st->slots, st->nslots, sql, hash);
	if (s->sql != NULL) {
		if (s->stmt->pg != NULL)
			store_pg_clear(s->stmt->pg);
		else {
			sqlite3_reset(s->stmt->lite);
			sqlite3_clear_bindings(s->stmt->lite);
		}
		return s->stmt;
	}
	if (st->backend == STORE_SQLITE &&
	    (lite = store_prepare(st, sql, SQLITE_PREPARE_PERSISTENT)) == NULL)
		fatalx("store: a statement does not compile (see above)");
	/* Keep the load under one half so probes stay short. */
	if ((st->nused + 1) * 2 > st->nslots) {
		store_cache_grow(st);
		s = store_slot_find(st->slots, st->nslots, sql, hash);
	}
	s->sql = xstrdup(sql);
	s->hash = hash;
	s->stmt = xcalloc(1, sizeof(*s->stmt));
	s->stmt->st = st;
	s->stmt->lite = lite;
	if (st->backend == STORE_POSTGRESQL)
		s->stmt->pg = store_pg_stmt(st, sql, true);
	st->nused++;
	return s->stmt;
}

struct store_stmt *
store_stmt_new(struct store *st, const char *sql)
{
	struct store_stmt	*stmt;
	sqlite3_stmt		*lite = NULL;

	if (st->backend == STORE_SQLITE && (lite = store_prepare(st, sql, 0)) == NULL)
		return NULL;
	stmt = xcalloc(1, sizeof(*stmt));
	stmt->st = st;
	stmt->lite = lite;
	if (st->backend == STORE_POSTGRESQL &&
	    store_pg_check(stmt->pg = store_pg_stmt(st, sql, false)) != 0) {
		store_finalize(stmt);
		return NULL;
	}
	return stmt;
}

void
store_finalize(struct store_stmt *stmt)
{
	if (stmt == NULL)
		return;
	if (stmt->pg != NULL)
		store_pg_free(stmt->pg);
	else
		sqlite3_finalize(stmt->lite);
	free(stmt);
}

int
store_bind_int64(struct store_stmt *stmt, int i, int64_t v)
{
	char	 s[24];

	if (stmt->pg != NULL) {
		snprintf(s, sizeof(s), "%" PRId64, v);
		return store_pg_bind(stmt->pg, i, s, -1);
	}
	return sqlite3_bind_int64(stmt->lite, i, v) == SQLITE_OK ? 0 : -1;
}

int
store_bind_int(struct store_stmt *stmt, int i, int v)
{
	return store_bind_int64(stmt, i, v);
}

int
store_bind_double(struct store_stmt *stmt, int i, double v)
{
	char	 s[40];

	if (stmt->pg != NULL) {
		snprintf(s, sizeof(s), "%.17g", v);
		return store_pg_bind(stmt->pg, i, s, -1);
	}
	return sqlite3_bind_double(stmt->lite, i, v) == SQLITE_OK ? 0 : -1;
}

int
store_bind_text(struct store_stmt *stmt, int i, const char *s, int len, int copy)
{
	if (stmt->pg != NULL)
		return store_pg_bind(stmt->pg, i, s, len);
	return sqlite3_bind_text(stmt->lite, i, s, len, copy == STORE_TRANSIENT ?
	    SQLITE_TRANSIENT : SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

int
store_bind_null(struct store_stmt *stmt, int i)
{
	if (stmt->pg != NULL)
		return store_pg_bind(stmt->pg, i, NULL, -1);
	return sqlite3_bind_null(stmt->lite, i) == SQLITE_OK ? 0 : -1;
}

int
store_bind_column(struct store_stmt *to, int i, struct store_stmt *from, int col)
{
	if (to->pg != NULL)
		return store_pg_bind(to->pg, i, (const char *)store_column_text(from,
		    col), -1);
	return sqlite3_bind_value(to->lite, i, sqlite3_column_value(from->lite,
	    col)) == SQLITE_OK ? 0 : -1;
}

int
store_step(struct store_stmt *stmt)
{
	if (stmt->pg != NULL)
		return store_pg_step(stmt->pg);
	return sqlite3_step(stmt->lite);
}

void
store_reset(struct store_stmt *stmt)
{
	if (stmt->pg != NULL)
		store_pg_reset(stmt->pg);
	else
		sqlite3_reset(stmt->lite);
}

int64_t
store_column_int64(struct store_stmt *stmt, int col)
{
	const char	*v;

	if (stmt->pg != NULL)
		return (v = store_pg_value(stmt->pg, col)) ? strtoll(v, NULL, 10) : 0;
	return sqlite3_column_int64(stmt->lite, col);
}

int
store_column_int(struct store_stmt *stmt, int col)
{
	if (stmt->pg != NULL)
		return (int)store_column_int64(stmt, col);
	return sqlite3_column_int(stmt->lite, col);
}

double
store_column_double(struct store_stmt *stmt, int col)
{
	const char	*v;

	if (stmt->pg != NULL)
		return (v = store_pg_value(stmt->pg, col)) ? strtod(v, NULL) : 0.0;
	return sqlite3_column_double(stmt->lite, col);
}

const unsigned char *
store_column_text(struct store_stmt *stmt, int col)
{
	if (stmt->pg != NULL)
		return (const unsigned char *)store_pg_value(stmt->pg, col);
	return sqlite3_column_text(stmt->lite, col);
}

int
store_column_type(struct store_stmt *stmt, int col)
{
	if (stmt->pg != NULL)
		return store_pg_type(stmt->pg, col);
	return sqlite3_column_type(stmt->lite, col);
}

int
store_column_count(struct store_stmt *stmt)
{
	if (stmt->pg != NULL)
		return store_pg_ncols(stmt->pg);
	return sqlite3_column_count(stmt->lite);
}

int64_t
store_changes(struct store *st)
{
	if (st->backend == STORE_POSTGRESQL)
		return st->pg_changes;
	return sqlite3_changes64(st->db);
}

int64_t
store_last_insert_id(struct store *st)
{
	if (st->backend == STORE_POSTGRESQL)
		return st->pg_last_id;
	return sqlite3_last_insert_rowid(st->db);
}

const char *
store_errmsg(struct store *st)
{
	if (st->backend == STORE_POSTGRESQL)
		return st->pg_err[0] ? st->pg_err : "not an error";
	return sqlite3_errmsg(st->db);
}

bool
store_in_transaction(struct store *st)
{
	if (st->backend == STORE_POSTGRESQL)
		return store_pg_in_transaction(st);
	return !sqlite3_get_autocommit(st->db);
}

enum store_errclass
store_errclass(struct store *st)
{
	int	 code;

	if (st->backend == STORE_POSTGRESQL) {
		if (st->pg_state[0] == '\0')
			return STORE_ERR_NONE;
		if (store_pg_retryable(st))
			return STORE_ERR_RETRY;
		/* class 23: integrity constraint violation */
		return strncmp(st->pg_state, "23", 2) == 0 ? STORE_ERR_CONSTRAINT :
		    STORE_ERR_OTHER;
	}
	code = sqlite3_errcode(st->db);
	if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE)
		return STORE_ERR_NONE;
	return (code & 0xff) == SQLITE_CONSTRAINT ? STORE_ERR_CONSTRAINT :
	    STORE_ERR_OTHER;
}

void
store_commit_guard(struct store *st, int (*fn)(void *), void *arg)
{
	/* PostgreSQL: a COMMIT inside a job's savepoint would end the
	 * writer's transaction, and the writer's next RELEASE fails: the
	 * batch is then lost and run again, as on SQLite. */
	if (st->backend == STORE_SQLITE)
		sqlite3_commit_hook(st->db, fn, arg);
}

/*
 * A clean exit copies the WAL into the main file and truncates it, so the
 * store is whole in one file (a copy, a backup) and the next start has no
 * WAL to replay.  A reader still reading makes it incomplete: logged.
 */
void
store_checkpoint(struct store *st)
{
	int	 wal = -1, done = -1;

	if (st->backend != STORE_SQLITE)
		return;
	if (sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    &wal, &done) != SQLITE_OK)
		log_warnx("store checkpoint at stop failed err=\"%s\"",
		    sqlite3_errmsg(st->db));
	else
		log_debug("store checkpoint at stop pages=%d", done);
}

void
store_stmt_reset_all(struct store *st)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 i;

	if (st->backend == STORE_POSTGRESQL) {
		/* rows already read whole: free what is still held */
		for (i = 0; i < st->nslots; i++)
			if (st->slots[i].sql != NULL)
				store_pg_reset(st->slots[i].stmt->pg);
		return;
	}
	while ((stmt = sqlite3_next_stmt(st->db, stmt)) != NULL)
		if (sqlite3_stmt_busy(stmt))
			sqlite3_reset(stmt);
}

int
store_exec(struct store *st, const char *sql)
{
	char		*msg = NULL;
	const char	*form;
	int		 rc = -1;

	if (st->backend == STORE_POSTGRESQL) {
		if (store_pg_exec(st, (form = store_pg_form(sql)) ? form : sql) != 0) {
			log_warnx("store exec failed err=\"%s\"", st->pg_err);
			goto out;
		}
	} else if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_warnx("store exec failed err=\"%s\"",
		    msg ? msg : sqlite3_errmsg(st->db));
		goto out;
	}
	rc = 0;
	/* a transaction of the caller's own (not the writer's) ended */
	if (!st->writer && st->nafter > 0 && !store_in_transaction(st)) {
		if (strncasecmp(sql, "COMMIT", 6) == 0 || strncasecmp(sql, "END", 3) == 0)
			store_after_run(st);
		else
			store_after_drop(st, 0);
	}
out:
	sqlite3_free(msg);
	return rc;
}

void
store_after_commit(struct store *st, void (*fn)(void *), void *arg,
    void (*free_fn)(void *))
{
	if (!st->writer && !store_in_transaction(st)) {
		fn(arg);
		if (free_fn != NULL)
			free_fn(arg);
		return;
	}
	if (st->nafter == st->capafter) {
		st->capafter = st->capafter ? st->capafter * 2 : 8;
		st->after = xrealloc(st->after, st->capafter * sizeof(*st->after));
	}
	st->after[st->nafter].fn = fn;
	st->after[st->nafter].arg = arg;
	st->after[st->nafter++].free_fn = free_fn;
}

/* The writer calls this before each job (the first call, at its start,
 * tells the store that its transactions are the writer's). */
size_t
store_after_mark(struct store *st)
{
	st->writer = true;
	return st->nafter;
}

void
store_after_run(struct store *st)
{
	struct after_commit	*a;
	size_t			 i, n = st->nafter;

	a = st->after;
	st->after = NULL;
	st->nafter = st->capafter = 0;
	for (i = 0; i < n; i++) {
		a[i].fn(a[i].arg);
		if (a[i].free_fn != NULL)
			a[i].free_fn(a[i].arg);
	}
	free(a);
}

void
store_after_drop(struct store *st, size_t first)
{
	size_t	 i;

	for (i = first; i < st->nafter; i++)
		if (st->after[i].free_fn != NULL)
			st->after[i].free_fn(st->after[i].arg);
	if (first < st->nafter)
		st->nafter = first;
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

int
store_schema_version(struct store *st)
{
	return st->version;
}

/* Run one statement that needs no parameters (PRAGMA, BEGIN...) quietly;
 * an SQLite result code, SQLITE_OK on success. */
static int
store_run(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

#define STORE_STR(x)	#x
#define STORE_XSTR(x)	STORE_STR(x)

/*
 * Setting user_version to the value it has writes the header page again
 * (SQLite does not skip it), so its commit goes through the WAL like any
 * other and fails as they would, and no data changes.
 */
int
store_write_probe(struct store *st)
{
	struct store_stmt *stmt = store_stmt(st, "PRAGMA user_version = "
	    STORE_XSTR(STORE_SCHEMA_VERSION));
	int		 rc;

	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/* PRAGMA user_version into *v; 0 or -1. */
static int
store_user_version(struct store *st, int *v)
{
	struct store_stmt *stmt = store_stmt(st, "PRAGMA user_version");
	int		 rc = -1;

	if (store_step(stmt) != STORE_ROW)
		goto out;
	*v = store_column_int(stmt, 0);
	rc = 0;
out:
	store_reset(stmt);
	return rc;
}

/*
 * Apply the migrations the database lacks, each in its own IMMEDIATE
 * transaction that also re-reads the version, so two processes opening a
 * new database at once migrate it once.  0, or -1 with a reason in err.
 */
static int
store_migrate(struct store *st, char *err, size_t errsz)
{
	char	 sql[64];
	int	 v = 0, rc = -1;

	for (;;) {
		if (store_run(st, "BEGIN IMMEDIATE") != SQLITE_OK) {
			snprintf(err, errsz, "cannot lock the database: %s",
			    sqlite3_errmsg(st->db));
			goto out;
		}
		if (store_user_version(st, &v) != 0) {
			snprintf(err, errsz, "cannot read the schema version: %s",
			    sqlite3_errmsg(st->db));
			goto fail;
		}
		if (v >= STORE_SCHEMA_VERSION)
			break;
		if (store_run(st, store_migrations[v]) != SQLITE_OK) {
			snprintf(err, errsz, "migration to version %d failed: %s",
			    v + 1, sqlite3_errmsg(st->db));
			goto fail;
		}
		/* PRAGMA takes no parameters; v + 1 is our own integer. */
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (store_run(st, sql) != SQLITE_OK ||
		    store_run(st, "COMMIT") != SQLITE_OK) {
			snprintf(err, errsz, "migration to version %d failed: %s",
			    v + 1, sqlite3_errmsg(st->db));
			goto fail;
		}
		log_info("store migrated version=%d", v + 1);
	}
	if (store_run(st, "COMMIT") != SQLITE_OK) {
		snprintf(err, errsz, "cannot end the transaction: %s",
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	if (v > STORE_SCHEMA_VERSION) {
		snprintf(err, errsz, "database schema version %d is newer than"
		    " this minyi knows (%d)", v, STORE_SCHEMA_VERSION);
		goto out;
	}
	st->version = v;
	rc = 0;
	goto out;
fail:
	store_run(st, "ROLLBACK");
out:
	return rc;
}

/*
 * Once per process, before the first connection: no allocation statistics
 * (they take a global mutex around every malloc SQLite makes), as
 * sqlite.org advises for speed.  Nothing here reads them.
 */
static void
store_init_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

struct store *
store_open(const char *path, int flags, const char *synchronous, char *err,
    size_t errsz)
{
	static pthread_once_t	 once = PTHREAD_ONCE_INIT;
	struct store	*st = NULL, *ret = NULL;
	struct store_stmt *stmt = NULL;
	const char	*sync_sql;
	const unsigned char *mode;
	int		 oflags, v = 0;

	if (synchronous == NULL || strcasecmp(synchronous, "FULL") == 0)
		sync_sql = "PRAGMA synchronous = FULL";
	else if (strcasecmp(synchronous, "NORMAL") == 0)
		sync_sql = "PRAGMA synchronous = NORMAL";
	else {
		snprintf(err, errsz, "synchronous must be FULL or NORMAL, not"
		    " \"%s\"", synchronous);
		goto out;
	}

	pthread_once(&once, store_init_once);
	st = xcalloc(1, sizeof(*st));
	st->flags = flags;
	st->nslots = STORE_CACHE_MIN;
	st->slots = xcalloc(st->nslots, sizeof(*st->slots));
	oflags = SQLITE_OPEN_NOMUTEX | ((flags & STORE_READONLY) ?
	    SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, st->db ?
		    sqlite3_errmsg(st->db) : "out of memory");
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	/*
	 * SQLite opens a file it may not write read-only without a word, and
	 * every write would then fail: a writer refuses it here.
	 */
	if (!(flags & STORE_READONLY) && sqlite3_db_readonly(st->db, "main") == 1) {
		snprintf(err, errsz, "%s: the file is read-only (permissions, or a"
		    " read-only file system): minyi must be able to write its store",
		    path);
		goto out;
	}

	if (!(flags & STORE_READONLY)) {
		/*
		 * A new store gets 2 KiB pages (SQLite's default is 4): each
		 * message writes into a few pages at random places (its
		 * resident, its case among the citizen's, its outbox rows among
		 * the recipient's), and a commit writes every page it touched
		 * to the WAL whole; halving them took inbound from about 6,500
		 * to 7,100 webhooks/s (bench/README.md).  A store that exists
		 * keeps its page size.
		 */
		if (store_run(st, "PRAGMA page_size = " STORE_PAGE_SIZE) != SQLITE_OK) {
			snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(st->db));
			goto out;
		}
		/* WAL persists in the file; readers find it already set. */
		stmt = store_stmt(st, "PRAGMA journal_mode = WAL");
		if (store_step(stmt) != STORE_ROW ||
		    (mode = store_column_text(stmt, 0)) == NULL ||
		    (strcmp((const char *)mode, "wal") != 0 &&
		    strcmp((const char *)mode, "memory") != 0)) {
			snprintf(err, errsz, "%s: cannot switch to WAL: %s",
			    path, sqlite3_errmsg(st->db));
			store_reset(stmt);
			goto out;
		}
		store_reset(stmt);
	}
	/*
	 * A writer keeps its savepoints' journals in memory: the writer thread
	 * opens one savepoint per job, and in a temporary file each page a
	 * job first touches cost a write(2).  Readers keep the default, so
	 * that a report's large sort may spill to disk.
	 *
	 * The writer checkpoints the WAL every STORE_CHECKPOINT_PAGES pages
	 * rather than SQLite's 1,000: a checkpoint copies each page it finds
	 * once, and the index pages a burst touches are the same few, so
	 * fewer checkpoints write far less (bench/README.md: 5,208 -> 5,959
	 * webhooks/s).  The WAL stays under about 8 MB.
	 */
	if (store_run(st, "PRAGMA foreign_keys = ON") != SQLITE_OK ||
	    store_run(st, sync_sql) != SQLITE_OK ||
	    (!(flags & STORE_READONLY) &&
	    (store_run(st, "PRAGMA temp_store = MEMORY") != SQLITE_OK ||
	    store_run(st, "PRAGMA wal_autocheckpoint = " STORE_CHECKPOINT_PAGES)
	    != SQLITE_OK))) {
		snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(st->db));
		goto out;
	}

	if (store_user_version(st, &v) != 0) {
		snprintf(err, errsz, "%s: cannot read the schema version: %s",
		    path, sqlite3_errmsg(st->db));
		goto out;
	}
	if (v > STORE_SCHEMA_VERSION) {
		snprintf(err, errsz, "%s: database schema version %d is newer"
		    " than this minyi knows (%d)", path, v, STORE_SCHEMA_VERSION);
		goto out;
	}
	if (flags & STORE_READONLY) {
		if (v != STORE_SCHEMA_VERSION) {
			snprintf(err, errsz, "%s: database schema version %d,"
			    " expected %d (open it read-write once to migrate)",
			    path, v, STORE_SCHEMA_VERSION);
			goto out;
		}
		st->version = v;
	} else if (v == STORE_SCHEMA_VERSION)
		st->version = v;
	else if (store_migrate(st, err, errsz) != 0)
		goto out;
	/*
	 * One small write, committed: a WAL or directory it may not write, a
	 * full disk, are found here and not by the first webhook.  Cases
	 * another process left queued for text search are indexed with it.
	 */
	if (!(flags & STORE_READONLY) && (store_run(st, "BEGIN IMMEDIATE") != SQLITE_OK ||
	    store_write_probe(st) != 0 || store_fts_flush(st) != 0 ||
	    store_run(st, "COMMIT") != SQLITE_OK)) {
		snprintf(err, errsz, "%s: cannot write: %s", path, sqlite3_errmsg(st->db));
		if (!sqlite3_get_autocommit(st->db))
			store_run(st, "ROLLBACK");
		goto out;
	}

	ret = st;
	st = NULL;
out:
	if (st != NULL)
		store_close(st);
	return ret;
}

struct store *
store_open_pg(const char *conninfo, int flags, char *err, size_t errsz)
{
	struct store	*st;

	st = xcalloc(1, sizeof(*st));
	st->backend = STORE_POSTGRESQL;
	st->flags = flags;
	st->nslots = STORE_CACHE_MIN;
	st->slots = xcalloc(st->nslots, sizeof(*st->slots));
	if (store_pg_open(st, conninfo, err, errsz) != 0)
		goto fail;
	/* One small write, committed, as on SQLite. */
	if (!(flags & STORE_READONLY) && (store_pg_exec(st, "BEGIN") != 0 ||
	    store_write_probe(st) != 0 || store_pg_exec(st, "COMMIT") != 0)) {
		snprintf(err, errsz, "cannot write: %s", st->pg_err);
		goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

struct store *
store_open_cfg(const struct config *cfg, int flags, bool reports, char *err,
    size_t errsz)
{
	const char	*env = cfg->store.conninfo_env, *conninfo;

	if (cfg->store.backend == NULL || strcmp(cfg->store.backend, "postgresql") != 0)
		return store_open(cfg->store.path, flags, (flags & STORE_READONLY) ?
		    NULL : cfg->store.synchronous, err, errsz);
	if (reports && cfg->store.read_conninfo_env != NULL)
		env = cfg->store.read_conninfo_env;
	if ((conninfo = config_secret(env)) == NULL) {
		snprintf(err, errsz, "store.%s: environment variable %s is not set",
		    env == cfg->store.conninfo_env ? "conninfo_env" :
		    "read_conninfo_env", env);
		return NULL;
	}
	return store_open_pg(conninfo, flags, err, errsz);
}

/* An advisory lock of the transaction, named by text; its answer or -1. */
static int
store_pg_lock(struct store *st, const char *sql, const char *name)
{
	struct store_stmt	*stmt = store_stmt(st, sql);
	int			 rc;

	store_bind_text(stmt, 1, name, -1, STORE_STATIC);
	rc = store_step(stmt) == STORE_ROW ? store_column_int(stmt, 0) : -1;
	store_reset(stmt);
	return rc;
}

int
store_lock_key(struct store *st, const char *kind, const char *key)
{
	char	*name;
	int	 rc;

	if (st->backend != STORE_POSTGRESQL)
		return 0;
	name = xasprintf("%s:%s", kind, key);
	rc = store_pg_lock(st, "SELECT 1 FROM (SELECT pg_advisory_xact_lock("
	    "hashtextextended(?1, 0))) AS l", name);
	free(name);
	return rc == 1 ? 0 : -1;
}

bool
store_shared(struct store *st)
{
	return st->backend == STORE_POSTGRESQL;
}

int
store_try_lead(struct store *st, const char *what)
{
	if (st->backend != STORE_POSTGRESQL)
		return 1;
	return store_pg_lock(st, "SELECT pg_try_advisory_xact_lock("
	    "hashtextextended(?1, 0))", what);
}

const char *
store_cfg_name(const struct config *cfg)
{
	if (cfg->store.backend != NULL && strcmp(cfg->store.backend, "postgresql") == 0)
		return "PostgreSQL";
	return cfg->store.path;
}

/* The SQLite texts of store.c and writer.c that PostgreSQL says otherwise. */
const struct store_dialect store_pg_store[] = {
	{ "BEGIN IMMEDIATE", "BEGIN" },
	{ "PRAGMA user_version = " STORE_XSTR(STORE_SCHEMA_VERSION),
	  "UPDATE store_schema SET version = version" },
	{ NULL, NULL },
};

const char *
store_pg_form(const char *lite)
{
	static const struct store_dialect *const tables[] = {
		store_pg_store, store_pg_intake, store_pg_outbox, store_pg_cases,
		store_pg_query, store_pg_console, store_pg_evaluation,
	};
	const struct store_dialect	*d;
	size_t				 i;

	for (i = 0; i < nitems(tables); i++)
		for (d = tables[i]; d->lite != NULL; d++)
			if (d->lite == lite || strcmp(d->lite, lite) == 0)
				return d->pg;
	return NULL;
}

void
store_close(struct store *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nslots; i++) {
		if (st->slots[i].sql == NULL)
			continue;
		store_finalize(st->slots[i].stmt);
		free(st->slots[i].sql);
	}
	free(st->slots);
	store_after_drop(st, 0);
	free(st->after);
	if (st->backend == STORE_POSTGRESQL) {
		store_pg_close(st);
		free(st);
		return;
	}
	if (sqlite3_close(st->db) != SQLITE_OK) {
		/* A caller kept a statement of its own: close when it goes. */
		log_warnx("store close failed err=\"%s\"", sqlite3_errmsg(st->db));
		sqlite3_close_v2(st->db);
	}
	free(st);
}
