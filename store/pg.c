/*
 * pg.c: the PostgreSQL backend, through libpq.  The store's statements are
 * written once, with SQLite's ?N parameters; here each becomes its
 * PostgreSQL text: the form store/ holds beside it when the dialects
 * differ (store_pg_form), else the same text with ?N written $N, an
 * INSERT OR IGNORE written ON CONFLICT DO NOTHING, and an INSERT into a
 * table with an id column given RETURNING id (what SQLite's
 * last_insert_rowid tells).  Statements are prepared once per connection
 * (named s1, s2, ...), parameters go as text, and a statement's rows are
 * read whole at its first step and then walked.
 *
 * Opening checks that commits are durable (synchronous_commit is not off)
 * and migrates under an advisory lock, in one transaction, so that nodes
 * starting together migrate once.
 */
#include "store_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "schema_pg.sql.h"

/* Type OIDs (fixed in PostgreSQL's catalog, pg_type.dat). */
#define PG_BOOLOID	16
#define PG_BYTEAOID	17
#define PG_INT8OID	20
#define PG_INT2OID	21
#define PG_INT4OID	23
#define PG_TEXTOID	25
#define PG_OIDOID	26
#define PG_FLOAT4OID	700
#define PG_FLOAT8OID	701
#define PG_NUMERICOID	1700

/* The advisory lock a migration holds (any constant of ours). */
#define PG_MIGRATE_LOCK	"7152350660"

/* Tables whose rows have an id column (an identity): their INSERTs return it. */
static const char *const pg_id_tables[] = {
	"residents", "conversations", "cases", "messages", "case_events",
	"outbox", "receipts", "ratings", "evaluators", "eval_rounds",
	"eval_overrides", "eval_items", "vote_rounds", "duties",
};

struct pg_stmt {
	struct store	*st;
	char		 name[16];	/* prepared name, "" until prepared */
	char		*sql;		/* the PostgreSQL text */
	bool		 cached;	/* named and kept (else unnamed) */
	bool		 utility;	/* BEGIN, SAVEPOINT...: no parameters */
	bool		 insert_id;	/* RETURNING id added: not rows to the caller */
	int		 nparams;	/* highest $N */
	char		**values;	/* [nparams], from malloc() or NULL */
	Oid		*types;		/* [nparams]: 0 (inferred) or text for a
					 * number the text never uses */
	PGresult	*res;		/* after the first step */
	int		 row;		/* current row, -1 before the first */
	bool		 stepped;
	bool		 failed;	/* its run failed: an error until reset */
};

static PGconn *
pg_conn(struct store *st)
{
	return st->pg;
}

/* Remember the error of res (or of the connection) on st. */
static void
pg_error(struct store *st, const PGresult *res)
{
	const char	*state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char	*msg = res ? PQresultErrorMessage(res) : PQerrorMessage(pg_conn(st));
	size_t		 n;

	strlcpy(st->pg_state, state ? state : "08000", sizeof(st->pg_state));
	strlcpy(st->pg_err, msg && *msg ? msg : "unknown error", sizeof(st->pg_err));
	n = strlen(st->pg_err);
	while (n > 0 && (st->pg_err[n - 1] == '\n' || st->pg_err[n - 1] == ' '))
		st->pg_err[--n] = '\0';
}

static void
pg_ok(struct store *st)
{
	st->pg_state[0] = '\0';
	st->pg_err[0] = '\0';
}

/* Does sql (after blanks) begin with word, case-insensitively? */
static bool
pg_starts(const char *sql, const char *word)
{
	size_t	 n = strlen(word);

	sql += strspn(sql, " \t\r\n(");
	return strncasecmp(sql, word, n) == 0 &&
	    (sql[n] == '\0' || !isalnum((unsigned char)sql[n]));
}

/* The table an "INSERT [OR IGNORE] INTO t" names, into out. */
static bool
pg_insert_table(const char *sql, char *out, size_t outsz)
{
	size_t	 n = 0;

	sql += strspn(sql, " \t\r\n");
	if (strncasecmp(sql, "INSERT ", 7) != 0)
		return false;
	sql += 7;
	sql += strspn(sql, " ");
	if (strncasecmp(sql, "OR IGNORE ", 10) == 0)
		sql += 10;
	if (strncasecmp(sql, "INTO ", 5) != 0)
		return false;
	sql += 5;
	sql += strspn(sql, " ");
	while ((isalnum((unsigned char)sql[n]) || sql[n] == '_') && n + 1 < outsz) {
		out[n] = sql[n];
		n++;
	}
	out[n] = '\0';
	return n > 0;
}

/*
 * Step p over a quoted string or name starting at it, if one does: the
 * character after its closing quote (or its end); else p.
 */
static const char *
pg_skip_quoted(const char *p)
{
	char	 q = *p;

	if (q != '\'' && q != '"')
		return p;
	for (p++; *p != '\0' && *p != q; p++)
		;
	return *p == q ? p + 1 : p;
}

/* Is word in sql outside quotes (case-insensitive, as a whole word)? */
static bool
pg_has_word(const char *sql, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p = sql, *after;

	while (*p != '\0') {
		if ((after = pg_skip_quoted(p)) != p) {
			p = after;
			continue;
		}
		if (strncasecmp(p, word, n) == 0 &&
		    (p == sql || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]) && p[n] != '_')
			return true;
		p++;
	}
	return false;
}

/*
 * The PostgreSQL text of a statement written for SQLite: ?N become $N (a
 * bare ? the next number), outside quotes; INSERT OR IGNORE becomes
 * INSERT ... ON CONFLICT DO NOTHING.  *nparams gets the highest number.
 */
static char *
pg_translate(const char *sql, int *nparams)
{
	struct buf	 b;
	const char	*p = sql, *after;
	char		*end;
	int		 n, max = 0;
	bool		 ignore = false;

	buf_init(&b, 0);
	p += strspn(p, " \t\r\n");
	if (strncasecmp(p, "INSERT OR IGNORE ", 17) == 0) {
		buf_addstr(&b, "INSERT ");
		p += 17;
		ignore = true;
	}
	while (*p != '\0') {
		if ((after = pg_skip_quoted(p)) != p) {
			buf_add(&b, p, (size_t)(after - p));
			p = after;
			continue;
		}
		if (*p != '?') {
			buf_add(&b, p++, 1);
			continue;
		}
		if (isdigit((unsigned char)p[1])) {
			n = (int)strtol(p + 1, &end, 10);
			p = end;
		} else {
			n = max + 1;
			p++;
		}
		if (n > max)
			max = n;
		buf_printf(&b, "$%d", n);
	}
	if (ignore)
		buf_addstr(&b, " ON CONFLICT DO NOTHING");
	*nparams = max;
	return buf_steal(&b);
}

/* The highest $N of a PostgreSQL text, and which are used (types[N-1]
 * stays 0) or not (text: PostgreSQL must be told a type for them). */
static int
pg_params(const char *sql, Oid **types)
{
	const char	*p = sql, *after;
	int		 n, max = 0;
	bool		 used[100] = { false };

	while (*p != '\0') {
		if ((after = pg_skip_quoted(p)) != p) {
			p = after;
			continue;
		}
		/* $$ bodies do not occur in statements */
		if (*p == '$' && isdigit((unsigned char)p[1]) &&
		    (n = atoi(p + 1)) > 0 && n <= (int)nitems(used)) {
			used[n - 1] = true;
			if (n > max)
				max = n;
		}
		p++;
	}
	*types = NULL;
	if (max > 0) {
		*types = xcalloc((size_t)max, sizeof(**types));
		for (n = 0; n < max; n++)
			(*types)[n] = used[n] ? 0 : PG_TEXTOID;
	}
	return max;
}

struct pg_stmt *
store_pg_stmt(struct store *st, const char *sql, bool cached)
{
	struct pg_stmt	*p;
	const char	*form = store_pg_form(sql);
	char		 table[64];
	size_t		 i;

	p = xcalloc(1, sizeof(*p));
	p->st = st;
	p->cached = cached;
	p->row = -1;
	p->sql = form != NULL ? xstrdup(form) : pg_translate(sql, &p->nparams);
	p->utility = !(pg_starts(p->sql, "SELECT") || pg_starts(p->sql, "INSERT") ||
	    pg_starts(p->sql, "UPDATE") || pg_starts(p->sql, "DELETE") ||
	    pg_starts(p->sql, "WITH") || pg_starts(p->sql, "VALUES"));
	if (pg_insert_table(p->sql, table, sizeof(table)) &&
	    !pg_has_word(p->sql, "RETURNING"))
		for (i = 0; i < nitems(pg_id_tables); i++)
			if (strcmp(table, pg_id_tables[i]) == 0) {
				char *s = xasprintf("%s RETURNING id", p->sql);
				free(p->sql);
				p->sql = s;
				p->insert_id = true;
				break;
			}
	p->nparams = pg_params(p->sql, &p->types);
	if (p->nparams > 0)
		p->values = xcalloc((size_t)p->nparams, sizeof(*p->values));
	return p;
}

static void
pg_clear_values(struct pg_stmt *p)
{
	int	 i;

	for (i = 0; i < p->nparams; i++) {
		free(p->values[i]);
		p->values[i] = NULL;
	}
}

void
store_pg_reset(struct pg_stmt *p)
{
	PQclear(p->res);
	p->res = NULL;
	p->row = -1;
	p->stepped = false;
	p->failed = false;
}

void
store_pg_clear(struct pg_stmt *p)
{
	store_pg_reset(p);
	pg_clear_values(p);
}

void
store_pg_free(struct pg_stmt *p)
{
	if (p == NULL)
		return;
	store_pg_clear(p);
	if (p->name[0] != '\0' && p->st->pg != NULL) {
		char *sql = xasprintf("DEALLOCATE %s", p->name);
		PQclear(PQexec(pg_conn(p->st), sql));
		free(sql);
	}
	free(p->values);
	free(p->types);
	free(p->sql);
	free(p);
}

int
store_pg_bind(struct pg_stmt *p, int i, const char *v, int len)
{
	if (i < 1 || i > p->nparams)
		return -1;
	free(p->values[i - 1]);
	p->values[i - 1] = v == NULL ? NULL : len < 0 ? xstrdup(v) :
	    xstrndup(v, (size_t)len);
	return 0;
}

/*
 * A connection the server dropped (restarted, failed over) is made again
 * before the next statement: libpq's PQreset, which tries the hosts of
 * the connection string in turn (target_session_attrs=read-write finds
 * the new primary).  Its prepared statements are gone with it: each is
 * prepared again at its next step.  What its transaction held was never
 * committed; the writer sees the transaction lost and runs it again.
 */
static void
pg_revive(struct store *st)
{
	size_t	 i;

	if (PQstatus(pg_conn(st)) == CONNECTION_OK)
		return;
	PQreset(pg_conn(st));
	if (PQstatus(pg_conn(st)) != CONNECTION_OK)
		return;		/* the next statement fails and says why */
	for (i = 0; i < st->nslots; i++)
		if (st->slots[i].sql != NULL && st->slots[i].stmt->pg != NULL)
			st->slots[i].stmt->pg->name[0] = '\0';
	if (PQsetClientEncoding(pg_conn(st), "UTF8") != 0 ||
	    store_pg_exec(st, "SET TIME ZONE 'UTC'") != 0 ||
	    store_pg_exec(st, "SET lock_timeout = '5s'") != 0 ||
	    ((st->flags & STORE_READONLY) &&
	    store_pg_exec(st, "SET default_transaction_read_only = on") != 0))
		log_warnx("store reconnected to PostgreSQL but cannot set up the"
		    " session: %s", st->pg_err);
	else
		log_info("store reconnected to PostgreSQL");
}

/* Prepare p under a name of its own; 0, or -1 (logged). */
static int
pg_prepare(struct pg_stmt *p)
{
	struct store	*st = p->st;
	PGresult	*res;

	snprintf(p->name, sizeof(p->name), "%c%u", p->cached ? 's' : 'u',
	    ++st->pg_nstmt);
	res = PQprepare(pg_conn(st), p->name, p->sql, p->nparams, p->types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_error(st, res);
		log_warnx("store prepare failed err=\"%s\" sql=\"%s\"",
		    st->pg_err, p->sql);
		PQclear(res);
		p->name[0] = '\0';
		return -1;
	}
	PQclear(res);
	return 0;
}

int
store_pg_check(struct pg_stmt *p)
{
	pg_revive(p->st);
	return p->utility ? 0 : pg_prepare(p);
}

/* Run p; its result in p->res; 0 or -1 (the error on st). */
static int
pg_exec(struct pg_stmt *p)
{
	struct store	*st = p->st;
	PGresult	*res;
	ExecStatusType	 status;

	pg_revive(st);

	if (p->utility)
		res = PQexec(pg_conn(st), p->sql);
	else {
		if (p->name[0] == '\0' && pg_prepare(p) != 0)
			return -1;
		res = PQexecPrepared(pg_conn(st), p->name, p->nparams,
		    (const char *const *)p->values, NULL, NULL, 0);
	}
	status = PQresultStatus(res);
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
		pg_error(st, res);
		PQclear(res);
		/* a deadlock the writer runs again is not worth a warning */
		if (store_pg_retryable(st))
			log_debug("store exec failed err=\"%s\"", st->pg_err);
		else
			log_warnx("store exec failed err=\"%s\" sql=\"%.200s\"",
			    st->pg_err, p->sql);
		return -1;
	}
	pg_ok(st);
	p->res = res;
	st->pg_changes = strtoll(PQcmdTuples(res), NULL, 10);
	if (p->insert_id && PQntuples(res) > 0)
		st->pg_last_id = strtoll(PQgetvalue(res, PQntuples(res) - 1, 0),
		    NULL, 10);
	return 0;
}

int
store_pg_step(struct pg_stmt *p)
{
	if (p->failed)
		return STORE_ERROR;
	if (!p->stepped) {
		p->stepped = true;
		if (pg_exec(p) != 0) {
			p->failed = true;
			return STORE_ERROR;
		}
	}
	if (p->res == NULL || p->insert_id)
		return STORE_DONE;
	if (p->row + 1 >= PQntuples(p->res)) {
		p->row = PQntuples(p->res);
		return STORE_DONE;
	}
	p->row++;
	return STORE_ROW;
}

/* Column col of the current row: NULL when SQL NULL or out of range. */
const char *
store_pg_value(struct pg_stmt *p, int col)
{
	if (p->res == NULL || p->row < 0 || p->row >= PQntuples(p->res) ||
	    col < 0 || col >= PQnfields(p->res) ||
	    PQgetisnull(p->res, p->row, col))
		return NULL;
	if (PQftype(p->res, col) == PG_BOOLOID)
		return PQgetvalue(p->res, p->row, col)[0] == 't' ? "1" : "0";
	return PQgetvalue(p->res, p->row, col);
}

int
store_pg_type(struct pg_stmt *p, int col)
{
	if (store_pg_value(p, col) == NULL)
		return STORE_NULL;
	switch (PQftype(p->res, col)) {
	case PG_BOOLOID:
	case PG_INT2OID:
	case PG_INT4OID:
	case PG_INT8OID:
	case PG_OIDOID:
		return STORE_INTEGER;
	case PG_FLOAT4OID:
	case PG_FLOAT8OID:
		return STORE_FLOAT;
	case PG_NUMERICOID:
		return strchr(store_pg_value(p, col), '.') ? STORE_FLOAT :
		    STORE_INTEGER;
	case PG_BYTEAOID:
		return STORE_BLOB;
	default:
		return STORE_TEXT;
	}
}

int
store_pg_ncols(struct pg_stmt *p)
{
	return p->res ? PQnfields(p->res) : 0;
}

int
store_pg_exec(struct store *st, const char *sql)
{
	PGresult	*res;
	ExecStatusType	 status;
	int		 rc = 0;

	pg_revive(st);
	res = PQexec(pg_conn(st), sql);
	status = PQresultStatus(res);

	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
		pg_error(st, res);
		rc = -1;
	} else
		pg_ok(st);
	PQclear(res);
	return rc;
}

bool
store_pg_in_transaction(struct store *st)
{
	return PQtransactionStatus(pg_conn(st)) != PQTRANS_IDLE;
}

bool
store_pg_retryable(struct store *st)
{
	/* serialization_failure, deadlock_detected */
	return strcmp(st->pg_state, "40001") == 0 ||
	    strcmp(st->pg_state, "40P01") == 0;
}

/* The one text value of sql (no parameters) into out; 0 or -1. */
static int
pg_value_of(struct store *st, const char *sql, char *out, size_t outsz)
{
	PGresult	*res = PQexec(pg_conn(st), sql);
	int		 rc = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    !PQgetisnull(res, 0, 0)) {
		strlcpy(out, PQgetvalue(res, 0, 0), outsz);
		rc = 0;
		pg_ok(st);
	} else
		pg_error(st, res);
	PQclear(res);
	return rc;
}

/* The schema version (0 for a database minyi never wrote); -1 on error. */
static int
pg_version(struct store *st)
{
	char	 v[32];

	if (pg_value_of(st, "SELECT to_regclass('store_schema') IS NOT NULL", v,
	    sizeof(v)) != 0)
		return -1;
	if (strcmp(v, "t") != 0)
		return 0;
	if (pg_value_of(st, "SELECT coalesce(max(version), 0) FROM store_schema", v,
	    sizeof(v)) != 0)
		return -1;
	return atoi(v);
}

/*
 * Bring the schema to STORE_SCHEMA_VERSION in one transaction under an
 * advisory lock: a second node starting at the same time waits for the
 * lock, then finds the version current.  0, or -1 with err.
 */
static int
pg_migrate(struct store *st, char *err, size_t errsz)
{
	size_t	 i;
	int	 v;

	if (store_pg_exec(st, "BEGIN") != 0 ||
	    store_pg_exec(st, "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")") != 0) {
		snprintf(err, errsz, "cannot lock for migration: %s", st->pg_err);
		goto fail;
	}
	if ((v = pg_version(st)) < 0) {
		snprintf(err, errsz, "cannot read the schema version: %s", st->pg_err);
		goto fail;
	}
	for (i = 0; i < nitems(store_pg_migrations); i++) {
		const struct store_pg_migration *m = &store_pg_migrations[i];
		char *sql;

		if (m->version <= v)
			continue;
		if (v > 0 && v < m->from) {
			snprintf(err, errsz, "schema version %d cannot migrate to %d"
			    " on PostgreSQL", v, m->version);
			goto fail;
		}
		if (store_pg_exec(st, m->sql) != 0) {
			snprintf(err, errsz, "migration to version %d failed: %s",
			    m->version, st->pg_err);
			goto fail;
		}
		sql = xasprintf("DELETE FROM store_schema; INSERT INTO store_schema"
		    " (version) VALUES (%d)", m->version);
		if (store_pg_exec(st, sql) != 0) {
			free(sql);
			snprintf(err, errsz, "migration to version %d failed: %s",
			    m->version, st->pg_err);
			goto fail;
		}
		free(sql);
		log_info("store migrated version=%d backend=postgresql", m->version);
		v = m->version;
	}
	if (store_pg_exec(st, "COMMIT") != 0) {
		snprintf(err, errsz, "cannot commit the migration: %s", st->pg_err);
		goto fail;
	}
	return 0;
fail:
	store_pg_exec(st, "ROLLBACK");
	return -1;
}

int
store_pg_open(struct store *st, const char *conninfo, char *err, size_t errsz)
{
	PGconn	*conn;
	char	 sync[32];
	int	 v;

	conn = PQconnectdb(conninfo);
	st->pg = conn;
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errsz, "cannot connect to PostgreSQL: %s", conn ?
		    PQerrorMessage(conn) : "out of memory");
		err[strcspn(err, "\n")] = '\0';
		return -1;
	}
	/*
	 * A lock held past 5 s fails the statement, as SQLite's busy timeout
	 * does (store.c STORE_BUSY_MS): a webhook waits no longer than that
	 * for the store, is answered 5xx and retried, and a job the drain gave
	 * up on (503) never commits behind its answer.
	 */
	if (PQsetClientEncoding(conn, "UTF8") != 0 ||
	    store_pg_exec(st, "SET TIME ZONE 'UTC'") != 0 ||
	    store_pg_exec(st, "SET lock_timeout = '5s'") != 0) {
		snprintf(err, errsz, "cannot set up the session: %s", st->pg_err);
		return -1;
	}
	/* An acknowledgement must mean durable. */
	if (pg_value_of(st, "SHOW synchronous_commit", sync, sizeof(sync)) != 0) {
		snprintf(err, errsz, "cannot read synchronous_commit: %s", st->pg_err);
		return -1;
	}
	if (strcmp(sync, "off") == 0) {
		snprintf(err, errsz, "synchronous_commit is off: a commit would not"
		    " be durable when minyi acknowledges it; set it on");
		return -1;
	}
	if (!(st->flags & STORE_READONLY) && pg_migrate(st, err, errsz) != 0)
		return -1;
	if ((v = pg_version(st)) < 0) {
		snprintf(err, errsz, "cannot read the schema version: %s", st->pg_err);
		return -1;
	}
	if (v > STORE_SCHEMA_VERSION) {
		snprintf(err, errsz, "database schema version %d is newer than this"
		    " minyi knows (%d)", v, STORE_SCHEMA_VERSION);
		return -1;
	}
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(err, errsz, "database schema version %d, expected %d (start"
		    " a node that writes once to migrate)", v, STORE_SCHEMA_VERSION);
		return -1;
	}
	/* As SQLite's read-only connections: what is opened to read, reads. */
	if ((st->flags & STORE_READONLY) &&
	    store_pg_exec(st, "SET default_transaction_read_only = on") != 0) {
		snprintf(err, errsz, "cannot make the session read-only: %s",
		    st->pg_err);
		return -1;
	}
	st->version = v;
	return 0;
}

void
store_pg_close(struct store *st)
{
	if (st->pg != NULL)
		PQfinish(pg_conn(st));
	st->pg = NULL;
}
