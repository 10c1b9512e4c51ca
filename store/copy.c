/*
 * store/copy.c: a whole store into an empty one (`minyi store copy`):
 * SQLite to PostgreSQL, back, or SQLite to SQLite.  Every table of the
 * schema is copied with its rows as they are, ids and case numbers
 * included, read and written through the statement interface; the
 * target is written in one transaction, which holds nothing unless every
 * table was copied and verified.
 *
 * Verification: for each table, its rows are read in the order of its
 * primary key (text in byte order on both backends) and each row becomes
 * one canonical text, every column in the order of their names:
 *	NULL	"N;"
 *	integer	"I" decimal ";"
 *	real	"F" printf("%.17g") ";"
 *	text	"T" bytes ":" the UTF-8 bytes ";"
 * then "\n".  The SHA-256 of those texts, and the count of rows, are
 * computed from the source as it is read and from the target read back
 * inside its transaction; any difference rolls the target back.
 *
 * What each backend keeps for itself is not copied but made again: the
 * SQLite search index (cases_fts, filled from the copied cases through
 * its queue, store_fts_flush), case_assists (made by the triggers on
 * cases; a row they did not make is added), PostgreSQL's identity
 * sequences and case_number (set past the copied maximum, so that new
 * rows continue after them), and the schema version.
 */
#include "store_int.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#define COPY_PAGE	1000	/* rows read per statement (PostgreSQL reads
				 * a statement's rows whole) */
#define COPY_KEY_MAX	3	/* columns of the longest primary key */

#define CT_IDENTITY	0x01	/* id is an identity column on PostgreSQL */
#define CT_KEPT		0x02	/* filled by the target's triggers already */
#define CT_NOKEY	0x04	/* no unique key: read in one statement,
				 * ordered by every column (a few rows) */

/* A table of the schema, in an order that copies every row after those
 * it refers to. */
struct copy_table {
	const char	*name;
	const char	*key;		/* its primary key's columns, ","-joined
					 * (CT_NOKEY: every column) */
	unsigned	 flags;
};

/* Schema version 17.  A table the schema gains must be added here: a
 * store holding one store_copy does not know is refused. */
static const struct copy_table copy_tables[] = {
	{ "cases",		"id",				CT_IDENTITY },
	{ "case_assists",	"department,case_id",		CT_KEPT },
	{ "residents",		"id",				CT_IDENTITY },
	{ "conversations",	"id",				CT_IDENTITY },
	{ "messages",		"id",				CT_IDENTITY },
	{ "case_events",	"id",				CT_IDENTITY },
	{ "outbox",		"id",				CT_IDENTITY },
	{ "receipts",		"id",				CT_IDENTITY },
	{ "ratings",		"id",				CT_IDENTITY },
	{ "kv",			"key",				0 },
	{ "accounts",		"id",				0 },
	{ "sessions",		"token_hash",			0 },
	{ "evaluators",		"id",				CT_IDENTITY },
	{ "eval_rounds",	"id",				CT_IDENTITY },
	{ "eval_drawn",		"round_id,township,position",	0 },
	{ "eval_tally",		"round_id,unit,dimension",	0 },
	{ "eval_overrides",	"id",				CT_IDENTITY },
	{ "eval_results",	"round_id,unit",		0 },
	{ "eval_items",		"id",				CT_IDENTITY },
	{ "vote_rounds",	"id",				CT_IDENTITY },
	{ "vote_projects",	"round_id,position",		0 },
	{ "vote_voters",	"round_id,deputy",		0 },
	{ "duties",		"id",				CT_IDENTITY },
	{ "nodes",		"id",				0 },
	{ "rate_marks",		"key,at",			CT_NOKEY },
};

/* The columns of one table, by name (byte order), as a store has them. */
struct copy_col {
	char		*name;		/* from malloc() */
	bool		 text;		/* declared text */
};
struct copy_cols {
	size_t		 n;
	struct copy_col	*col;		/* [n], from malloc(), by name */
	int		 key[COPY_KEY_MAX];	/* the key's columns, indexes into name */
	size_t		 nkey;
};

/* One table's figures, as read from a store. */
struct copy_sum {
	int64_t		 rows;
	char		 sha256[2 * 32 + 1];	/* hex */
};

static void
copy_cols_free(struct copy_cols *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		free(c->col[i].name);
	free(c->col);
	memset(c, 0, sizeof(*c));
}

/* Tables a backend keeps for itself, never copied: SQLite's own and its
 * search index (v12, v14), PostgreSQL's schema version. */
static bool
copy_own_table(const char *name)
{
	return strncmp(name, "sqlite_", 7) == 0 || strncmp(name, "cases_fts", 9) == 0 ||
	    strcmp(name, "store_schema") == 0;
}

static const struct copy_table *
copy_table_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(copy_tables); i++)
		if (strcmp(copy_tables[i].name, name) == 0)
			return &copy_tables[i];
	return NULL;
}

/* Step stmt to its end (rows ignored) and finalize it; 0 or -1. */
static int
copy_run(struct store_stmt *stmt)
{
	int	 rc;

	if (stmt == NULL)
		return -1;
	while ((rc = store_step(stmt)) == STORE_ROW)
		;
	store_finalize(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/*
 * Every table of st is one store_copy knows, or one the backend keeps
 * for itself: 0, or -1 with the first other in err.
 */
static int
copy_check_tables(struct store *st, const char *which, char *err, size_t errsz)
{
	struct store_stmt	*stmt;
	const char		*name;
	int			 rc = -1, step;

	stmt = store_stmt_new(st, st->backend == STORE_POSTGRESQL ?
	    "SELECT table_name FROM information_schema.tables"
	    " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'" :
	    "SELECT name FROM sqlite_master WHERE type = 'table'");
	if (stmt == NULL) {
		snprintf(err, errsz, "cannot list the tables of the %s: %s", which,
		    store_errmsg(st));
		return -1;
	}
	while ((step = store_step(stmt)) == STORE_ROW) {
		name = (const char *)store_column_text(stmt, 0);
		if (name == NULL || copy_own_table(name) || copy_table_find(name))
			continue;
		snprintf(err, errsz, "the %s has a table store copy does not know"
		    " (%s, schema %d): nothing was copied", which, name,
		    STORE_SCHEMA_VERSION);
		goto out;
	}
	if (step != STORE_DONE) {
		snprintf(err, errsz, "cannot list the tables of the %s: %s", which,
		    store_errmsg(st));
		goto out;
	}
	rc = 0;
out:
	store_finalize(stmt);
	return rc;
}

/* Order of copy_cols entries: by name, in byte order. */
static int
copy_col_cmp(const void *a, const void *b)
{
	return strcmp(((const struct copy_col *)a)->name,
	    ((const struct copy_col *)b)->name);
}

/*
 * The columns of table t in st, sorted by name, and where its key's
 * columns are among them.  0, or -1 with err.
 */
static int
copy_cols_read(struct store *st, const struct copy_table *t, struct copy_cols *c,
    char *err, size_t errsz)
{
	struct store_stmt	*stmt;
	const char		*name, *type, *k, *comma;
	size_t			 cap = 0, i, len;
	int			 step, rc = -1;

	memset(c, 0, sizeof(*c));
	stmt = store_stmt_new(st, st->backend == STORE_POSTGRESQL ?
	    "SELECT column_name, data_type FROM information_schema.columns"
	    " WHERE table_schema = current_schema() AND table_name = CAST(?1 AS TEXT)" :
	    "SELECT name, type FROM pragma_table_info(?1)");
	if (stmt == NULL || store_bind_text(stmt, 1, t->name, -1, STORE_STATIC) != 0)
		goto fail;
	while ((step = store_step(stmt)) == STORE_ROW) {
		name = (const char *)store_column_text(stmt, 0);
		type = (const char *)store_column_text(stmt, 1);
		if (name == NULL)
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 16;
			c->col = xrealloc(c->col, cap * sizeof(*c->col));
		}
		c->col[c->n].name = xstrdup(name);
		c->col[c->n++].text = type != NULL && (strcasestr(type, "text") != NULL ||
		    strcasestr(type, "char") != NULL);
	}
	if (step != STORE_DONE)
		goto fail;
	if (c->n == 0) {
		snprintf(err, errsz, "table %s is missing", t->name);
		goto out;
	}
	qsort(c->col, c->n, sizeof(*c->col), copy_col_cmp);
	for (k = t->key; *k != '\0'; k = *comma ? comma + 1 : comma) {
		comma = k + strcspn(k, ",");
		len = (size_t)(comma - k);
		for (i = 0; i < c->n; i++)
			if (strlen(c->col[i].name) == len &&
			    strncmp(c->col[i].name, k, len) == 0)
				break;
		if (i == c->n || c->nkey == COPY_KEY_MAX) {
			snprintf(err, errsz, "table %s has no column %.*s", t->name,
			    (int)len, k);
			goto out;
		}
		c->key[c->nkey++] = (int)i;
	}
	rc = 0;
	goto out;
fail:
	snprintf(err, errsz, "cannot read the columns of %s: %s", t->name,
	    store_errmsg(st));
out:
	store_finalize(stmt);
	if (rc != 0)
		copy_cols_free(c);
	return rc;
}

/*
 * The SQL of one page of t's rows in key order: the first (after false)
 * or those after the key ?1.. (after true).  Text keys are compared as
 * bytes on PostgreSQL too (COLLATE "C"), as SQLite compares them.
 * Caller frees.
 */
static char *
copy_page_sql(struct store *st, const struct copy_table *t,
    const struct copy_cols *c, bool after)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 0);
	buf_addstr(&b, "SELECT ");
	for (i = 0; i < c->n; i++)
		buf_printf(&b, "%s\"%s\"", i ? ", " : "", c->col[i].name);
	buf_printf(&b, " FROM \"%s\"", t->name);
	if (after) {
		buf_addstr(&b, " WHERE (");
		for (i = 0; i < c->nkey; i++)
			buf_printf(&b, "%s\"%s\"%s", i ? ", " : "", c->col[c->key[i]].name,
			    st->backend == STORE_POSTGRESQL && c->col[c->key[i]].text ?
			    " COLLATE \"C\"" : "");
		buf_addstr(&b, ") > (");
		for (i = 0; i < c->nkey; i++)
			buf_printf(&b, "%s?%zu", i ? ", " : "", i + 1);
		buf_addstr(&b, ")");
	}
	buf_addstr(&b, " ORDER BY ");
	for (i = 0; i < c->nkey; i++)
		buf_printf(&b, "%s\"%s\"%s", i ? ", " : "", c->col[c->key[i]].name,
		    st->backend == STORE_POSTGRESQL && c->col[c->key[i]].text ?
		    " COLLATE \"C\"" : "");
	if (!(t->flags & CT_NOKEY))
		buf_printf(&b, " LIMIT %d", COPY_PAGE);
	return buf_steal(&b);
}

/*
 * INSERT INTO t with every column of c: one row, ?1.. in their order
 * (SQLite), or (batch, PostgreSQL) every row of the JSON array ?1, its
 * objects keyed by column name: one statement, one round trip, for a
 * page of rows.  Caller frees.
 */
static char *
copy_insert_sql(const struct copy_table *t, const struct copy_cols *c, bool batch)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 0);
	buf_printf(&b, "INSERT%s INTO \"%s\" (", (t->flags & CT_KEPT) ?
	    " OR IGNORE" : "", t->name);
	for (i = 0; i < c->n; i++)
		buf_printf(&b, "%s\"%s\"", i ? ", " : "", c->col[i].name);
	if (batch) {
		buf_addstr(&b, ") SELECT ");
		for (i = 0; i < c->n; i++)
			buf_printf(&b, "%s\"%s\"", i ? ", " : "", c->col[i].name);
		buf_printf(&b, " FROM json_populate_recordset(NULL::\"%s\", ?1)",
		    t->name);
		return buf_steal(&b);
	}
	buf_addstr(&b, ") VALUES (");
	for (i = 0; i < c->n; i++)
		buf_printf(&b, "%s?%zu", i ? ", " : "", i + 1);
	buf_addstr(&b, ")");
	return buf_steal(&b);
}

/* Where copied rows go: one statement per row, or a JSON array of a
 * page of rows for one statement. */
struct copy_sink {
	struct store_stmt *stmt;	/* borrowed; NULL: rows only read */
	bool		 batch;		/* stmt takes the JSON array */
	struct buf	 json;		/* batch: the rows so far, "[{...},{..." */
	size_t		 n;		/* batch: rows in json */
};

/* s as a JSON string onto b. */
static void
copy_json_str(struct buf *b, const char *s)
{
	const unsigned char	*p;

	buf_addstr(b, "\"");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_add(b, p, 1);
	}
	buf_addstr(b, "\"");
}

/*
 * Column col (named name) of from's row: onto row (its canonical text,
 * see the top) and into the sink, when it writes, with the same type:
 * parameter col + 1 of its statement, or a member of the batch's JSON
 * object.  0 or -1.
 */
static int
copy_value(struct store_stmt *from, int col, const char *name, struct buf *row,
    struct copy_sink *to)
{
	struct buf	*j = to->batch ? &to->json : NULL;
	const char	*s;
	int64_t		 i;
	double		 d;
	int		 rc = 0;

	if (j != NULL) {
		buf_addstr(j, col ? "," : (to->n ? ",{" : "[{"));
		copy_json_str(j, name);
		buf_addstr(j, ":");
	}
	switch (store_column_type(from, col)) {
	case STORE_NULL:
		buf_addstr(row, "N;");
		if (j != NULL)
			buf_addstr(j, "null");
		else if (to->stmt != NULL)
			rc = store_bind_null(to->stmt, col + 1);
		break;
	case STORE_INTEGER:
		i = store_column_int64(from, col);
		buf_printf(row, "I%" PRId64 ";", i);
		if (j != NULL)
			buf_printf(j, "%" PRId64, i);
		else if (to->stmt != NULL)
			rc = store_bind_int64(to->stmt, col + 1, i);
		break;
	case STORE_FLOAT:
		d = store_column_double(from, col);
		buf_printf(row, "F%.17g;", d);
		/* JSON has no infinity: a string, which float8 reads */
		if (j != NULL)
			buf_printf(j, isfinite(d) ? "%.17g" : "\"%g\"", d);
		else if (to->stmt != NULL)
			rc = store_bind_double(to->stmt, col + 1, d);
		break;
	default:
		s = (const char *)store_column_text(from, col);
		if (s == NULL)
			s = "";
		buf_printf(row, "T%zu:", strlen(s));
		buf_addstr(row, s);
		buf_addstr(row, ";");
		if (j != NULL)
			copy_json_str(j, s);
		else if (to->stmt != NULL)
			rc = store_bind_text(to->stmt, col + 1, s, -1, STORE_TRANSIENT);
		break;
	}
	return rc;
}

/* Write the batch's rows (first is the number of the first); 0 or -1. */
static int
copy_flush(struct copy_sink *to, const char *table, int64_t first, char *err,
    size_t errsz)
{
	int	 rc;

	if (!to->batch || to->n == 0)
		return 0;
	buf_addstr(&to->json, "]");
	rc = store_bind_text(to->stmt, 1, to->json.data, (int)to->json.len,
	    STORE_STATIC) == 0 && store_step(to->stmt) == STORE_DONE ? 0 : -1;
	if (rc != 0)
		snprintf(err, errsz, "table %s: rows %" PRId64 " to %" PRId64 " not"
		    " written: %s", table, first, first + (int64_t)to->n - 1,
		    store_errmsg(to->stmt->st));
	store_reset(to->stmt);
	buf_reset(&to->json);
	to->n = 0;
	return rc;
}

/* The key of the last row read, to start the next page after it. */
struct copy_key {
	bool		 text[COPY_KEY_MAX];
	int64_t		 i[COPY_KEY_MAX];
	char		*s[COPY_KEY_MAX];	/* from malloc() */
};

static void
copy_key_free(struct copy_key *k)
{
	size_t	 i;

	for (i = 0; i < COPY_KEY_MAX; i++)
		free(k->s[i]);
	memset(k, 0, sizeof(*k));
}

/*
 * Read every row of t from st in key order; sum gets the count and the
 * SHA-256 of their canonical texts.  Each row also goes to the sink
 * (when its stmt is set: the target's).  0, or -1 with err.
 */
static int
copy_read(struct store *st, const struct copy_table *t, const struct copy_cols *c,
    struct copy_sink *ins, struct copy_sum *sum, char *err, size_t errsz)
{
	struct store_stmt	*first = NULL, *next = NULL, *stmt;
	struct copy_key		 key;
	struct buf		 row;
	EVP_MD_CTX		*md = NULL;
	unsigned char		 digest[32];
	unsigned int		 dlen = 0;
	char			*sql;
	size_t			 i, n;
	int			 step, rc = -1;

	memset(&key, 0, sizeof(key));
	buf_init(&row, 0);
	sum->rows = 0;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		snprintf(err, errsz, "libcrypto: SHA-256 is not available");
		goto out;
	}
	sql = copy_page_sql(st, t, c, false);
	first = store_stmt_new(st, sql);
	free(sql);
	sql = copy_page_sql(st, t, c, true);
	next = store_stmt_new(st, sql);
	free(sql);
	if (first == NULL || next == NULL) {
		snprintf(err, errsz, "cannot read table %s: %s", t->name,
		    store_errmsg(st));
		goto out;
	}
	for (stmt = first;; stmt = next) {
		if (stmt == next) {
			store_reset(next);
			for (i = 0; i < c->nkey; i++)
				if ((key.text[i] ? store_bind_text(next, (int)i + 1,
				    key.s[i], -1, STORE_TRANSIENT) : store_bind_int64(next,
				    (int)i + 1, key.i[i])) != 0)
					goto read_failed;
		}
		n = 0;
		while ((step = store_step(stmt)) == STORE_ROW) {
			buf_reset(&row);
			for (i = 0; i < c->n; i++)
				if (copy_value(stmt, (int)i, c->col[i].name, &row,
				    ins) != 0) {
					snprintf(err, errsz, "table %s: cannot bind column"
					    " %s", t->name, c->col[i].name);
					goto out;
				}
			buf_addstr(&row, "\n");
			EVP_DigestUpdate(md, row.data, row.len);
			if (ins->batch) {
				buf_addstr(&ins->json, "}");
				ins->n++;
			} else if (ins->stmt != NULL) {
				if (store_step(ins->stmt) != STORE_DONE) {
					snprintf(err, errsz, "table %s: row %" PRId64
					    " not written: %s", t->name, sum->rows + 1,
					    store_errmsg(ins->stmt->st));
					store_reset(ins->stmt);
					goto out;
				}
				store_reset(ins->stmt);
			}
			for (i = 0; i < c->nkey; i++) {
				key.text[i] = store_column_type(stmt, c->key[i]) == STORE_TEXT;
				key.i[i] = store_column_int64(stmt, c->key[i]);
				free(key.s[i]);
				key.s[i] = xstrdup((const char *)store_column_text(stmt,
				    c->key[i]));
			}
			sum->rows++;
			n++;
		}
		if (step != STORE_DONE)
			goto read_failed;
		store_reset(stmt);
		if (copy_flush(ins, t->name, sum->rows - (int64_t)n + 1, err, errsz) != 0)
			goto out;
		if (n < COPY_PAGE || (t->flags & CT_NOKEY))
			break;
	}
	if (EVP_DigestFinal_ex(md, digest, &dlen) != 1 || dlen != sizeof(digest)) {
		snprintf(err, errsz, "libcrypto: SHA-256 failed");
		goto out;
	}
	for (i = 0; i < dlen; i++)
		snprintf(sum->sha256 + 2 * i, 3, "%02x", digest[i]);
	rc = 0;
	goto out;
read_failed:
	snprintf(err, errsz, "cannot read table %s: %s", t->name, store_errmsg(st));
out:
	store_finalize(first);
	store_finalize(next);
	copy_key_free(&key);
	buf_free(&row);
	EVP_MD_CTX_free(md);
	return rc;
}

/*
 * What tells two stores apart, into out: the SQLite file (device and
 * inode), or the PostgreSQL cluster (its system identifier) and
 * database (its oid).  0 or -1.
 */
static int
copy_identity(struct store *st, char *out, size_t outsz)
{
	struct store_stmt	*stmt;
	struct stat		 sb;
	const char		*path, *v;
	int			 rc = -1;

	if (st->backend == STORE_SQLITE) {
		path = sqlite3_db_filename(store_db(st), "main");
		if (path == NULL || *path == '\0' || stat(path, &sb) != 0)
			return -1;
		snprintf(out, outsz, "sqlite:%ju:%ju", (uintmax_t)sb.st_dev,
		    (uintmax_t)sb.st_ino);
		return 0;
	}
	stmt = store_stmt_new(st, "SELECT CAST(system_identifier AS TEXT) || ':' ||"
	    " CAST((SELECT oid FROM pg_database WHERE datname = current_database())"
	    " AS TEXT) FROM pg_control_system()");
	if (stmt != NULL && store_step(stmt) == STORE_ROW &&
	    (v = (const char *)store_column_text(stmt, 0)) != NULL) {
		snprintf(out, outsz, "postgresql:%s", v);
		rc = 0;
	}
	store_finalize(stmt);
	return rc;
}

/* 1 when table t of st holds a row, 0 when not, -1 on error. */
static int
copy_has_rows(struct store *st, const struct copy_table *t)
{
	struct store_stmt	*stmt;
	char			*sql;
	int			 step;

	sql = xasprintf("SELECT 1 FROM \"%s\" LIMIT 1", t->name);
	stmt = store_stmt_new(st, sql);
	free(sql);
	if (stmt == NULL)
		return -1;
	step = store_step(stmt);
	store_finalize(stmt);
	return step == STORE_ROW ? 1 : step == STORE_DONE ? 0 : -1;
}

/* PostgreSQL: each identity, and case_number, past the copied maximum. */
static int
copy_pg_sequences(struct store *to, char *err, size_t errsz)
{
	char	*sql;
	size_t	 i;
	int	 rc;

	for (i = 0; i < nitems(copy_tables); i++) {
		if (!(copy_tables[i].flags & CT_IDENTITY))
			continue;
		sql = xasprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'),"
		    " coalesce(max(id), 0) + 1, false) FROM \"%s\"", copy_tables[i].name,
		    copy_tables[i].name);
		rc = copy_run(store_stmt_new(to, sql));
		free(sql);
		if (rc != 0)
			goto fail;
	}
	if (copy_run(store_stmt_new(to, "SELECT setval('case_number',"
	    " coalesce(max(number), 0) + 1, false) FROM cases")) == 0)
		return 0;
fail:
	snprintf(err, errsz, "cannot set the target's sequences: %s", store_errmsg(to));
	return -1;
}

/* The two column lists name the same columns. */
static bool
copy_cols_same(const struct copy_cols *a, const struct copy_cols *b)
{
	size_t	 i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->col[i].name, b->col[i].name) != 0)
			return false;
	return true;
}

int
store_copy(struct store *from, struct store *to,
    void (*fn)(void *, const char *, int64_t, const char *), void *arg,
    char *err, size_t errsz)
{
	struct copy_sum		 src[nitems(copy_tables)], dst;
	struct copy_cols	 fc, tc;
	struct copy_sink	 sink, none;
	char			 idf[128], idt[128], *sql;
	const struct copy_table	*t;
	size_t			 i;
	int			 has, rc = -1;
	bool			 from_open = false, to_open = false;

	memset(&fc, 0, sizeof(fc));
	memset(&tc, 0, sizeof(tc));
	memset(&sink, 0, sizeof(sink));
	memset(&none, 0, sizeof(none));
	buf_init(&sink.json, 0);
	if (store_schema_version(from) != STORE_SCHEMA_VERSION ||
	    store_schema_version(to) != STORE_SCHEMA_VERSION) {
		snprintf(err, errsz, "both stores must be at schema version %d"
		    " (source %d, target %d)", STORE_SCHEMA_VERSION,
		    store_schema_version(from), store_schema_version(to));
		goto out;
	}
	if (copy_identity(from, idf, sizeof(idf)) != 0 ||
	    copy_identity(to, idt, sizeof(idt)) != 0) {
		snprintf(err, errsz, "cannot tell whether the source and the target"
		    " are the same store: %s", store_errmsg(to));
		goto out;
	}
	if (strcmp(idf, idt) == 0) {
		snprintf(err, errsz, "the source and the target are the same store");
		goto out;
	}
	if (copy_check_tables(from, "source", err, errsz) != 0 ||
	    copy_check_tables(to, "target", err, errsz) != 0)
		goto out;
	/*
	 * The source is read in one snapshot; the target is written in one
	 * transaction, which on SQLite also keeps other writers out from
	 * the look for rows to the commit.
	 */
	if (store_exec(from, from->backend == STORE_POSTGRESQL ?
	    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY" : "BEGIN") != 0) {
		snprintf(err, errsz, "cannot read the source: %s", store_errmsg(from));
		goto out;
	}
	from_open = true;
	if (store_exec(to, "BEGIN IMMEDIATE") != 0) {
		snprintf(err, errsz, "cannot write the target: %s", store_errmsg(to));
		goto out;
	}
	to_open = true;
	for (i = 0; i < nitems(copy_tables); i++) {
		if ((has = copy_has_rows(to, &copy_tables[i])) < 0) {
			snprintf(err, errsz, "cannot read the target: %s",
			    store_errmsg(to));
			goto out;
		}
		if (has) {
			snprintf(err, errsz, "the target already holds rows (table %s)",
			    copy_tables[i].name);
			goto out;
		}
	}

	for (i = 0; i < nitems(copy_tables); i++) {
		int64_t t0 = time_mono_ms();

		t = &copy_tables[i];
		if (copy_cols_read(from, t, &fc, err, errsz) != 0 ||
		    copy_cols_read(to, t, &tc, err, errsz) != 0)
			goto out;
		if (!copy_cols_same(&fc, &tc)) {
			snprintf(err, errsz, "table %s: the two stores' columns differ",
			    t->name);
			goto out;
		}
		/*
		 * PostgreSQL: a page of rows in one statement, not a round
		 * trip per row.  SQLite to PostgreSQL, bench/fill's 50,000
		 * cases (281,025 rows) on a loaded machine: 5,600 rows/s by
		 * rows, 12,100 by pages (32,000 once the machine was quieter);
		 * most of the cases' time is PostgreSQL's upkeep of their
		 * indexes (the trigram one above all).
		 */
		sink.batch = to->backend == STORE_POSTGRESQL;
		sql = copy_insert_sql(t, &fc, sink.batch);
		sink.stmt = store_stmt_new(to, sql);
		free(sql);
		if (sink.stmt == NULL) {
			snprintf(err, errsz, "table %s: cannot write: %s", t->name,
			    store_errmsg(to));
			goto out;
		}
		if (copy_read(from, t, &fc, &sink, &src[i], err, errsz) != 0)
			goto out;
		store_finalize(sink.stmt);
		sink.stmt = NULL;
		copy_cols_free(&fc);
		copy_cols_free(&tc);
		log_info("store copy table=%s rows=%" PRId64 " ms=%" PRId64, t->name,
		    src[i].rows, time_mono_ms() - t0);
	}
	if (store_fts_flush(to) != 0) {
		snprintf(err, errsz, "cannot index the copied cases for search: %s",
		    store_errmsg(to));
		goto out;
	}

	/* read back inside the transaction: the same figures, or nothing */
	for (i = 0; i < nitems(copy_tables); i++) {
		t = &copy_tables[i];
		if (copy_cols_read(to, t, &tc, err, errsz) != 0 ||
		    copy_read(to, t, &tc, &none, &dst, err, errsz) != 0)
			goto out;
		copy_cols_free(&tc);
		if (dst.rows != src[i].rows || strcmp(dst.sha256, src[i].sha256) != 0) {
			snprintf(err, errsz, "table %s differs once copied (source rows=%"
			    PRId64 " sha256=%s, target rows=%" PRId64 " sha256=%s):"
			    " nothing was copied", t->name, src[i].rows, src[i].sha256,
			    dst.rows, dst.sha256);
			goto out;
		}
	}
	/* sequences do not roll back: set only once all is verified */
	if (to->backend == STORE_POSTGRESQL && copy_pg_sequences(to, err, errsz) != 0)
		goto out;
	to_open = false;
	if (store_exec(to, "COMMIT") != 0) {
		snprintf(err, errsz, "cannot commit the target: %s", store_errmsg(to));
		goto out;
	}
	for (i = 0; fn != NULL && i < nitems(copy_tables); i++)
		fn(arg, copy_tables[i].name, src[i].rows, src[i].sha256);
	rc = 0;
out:
	store_finalize(sink.stmt);
	buf_free(&sink.json);
	copy_cols_free(&fc);
	copy_cols_free(&tc);
	if (to_open || (rc != 0 && store_in_transaction(to)))
		store_exec(to, "ROLLBACK");
	if (from_open)
		store_exec(from, "ROLLBACK");
	return rc;
}
