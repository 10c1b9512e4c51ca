/*
 * console.c: the SQL of the workbench (console/): accounts and their
 * failed-login lock, sessions by the hash of their token, the scope
 * condition an account's reads carry, the 工作台's counts and series, and
 * a case's messages in and out.  Writes run as writer jobs; reads on a
 * reader connection.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* Copy column i as text into out (size outsz); "" when NULL. */
static void
col_copy(struct store_stmt *stmt, int i, char *out, size_t outsz)
{
	const unsigned char	*s = store_column_text(stmt, i);

	strlcpy(out, s ? (const char *)s : "", outsz);
}

/* Step a statement that returns no row; 0 or -1 (logged). */
static int
step_done(struct store *st, struct store_stmt *stmt, const char *what)
{
	int	 rc = store_step(stmt);

	store_reset(stmt);
	if (rc != STORE_DONE) {
		log_warnx("store %s failed err=\"%s\"", what,
		    store_errmsg(st));
		return -1;
	}
	return 0;
}

int
store_account_set(struct store *st, const char *id, const char *hash, int64_t now)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "INSERT INTO accounts (id, hash, updated_at)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET hash = ?2,"
	    " failures = 0, failed_at = NULL, locked_until = NULL, updated_at = ?3");
	store_bind_text(stmt, 1, id, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 2, hash, -1, STORE_TRANSIENT);
	store_bind_int64(stmt, 3, now);
	if (step_done(st, stmt, "account set") != 0)
		return -1;
	stmt = store_stmt(st, "DELETE FROM sessions WHERE account = ?1");
	store_bind_text(stmt, 1, id, -1, STORE_TRANSIENT);
	return step_done(st, stmt, "account sessions end");
}

int
store_account_get(struct store *st, const char *id, struct store_account *out)
{
	struct store_stmt	*stmt;
	int		 rc;

	stmt = store_stmt(st, "SELECT hash, failures, failed_at, locked_until"
	    " FROM accounts WHERE id = ?1");
	store_bind_text(stmt, 1, id, -1, STORE_TRANSIENT);
	rc = store_step(stmt);
	if (rc == STORE_ROW) {
		col_copy(stmt, 0, out->hash, sizeof(out->hash));
		out->failures = store_column_int(stmt, 1);
		out->failed_at = store_column_int64(stmt, 2);
		out->locked_until = store_column_int64(stmt, 3);
	}
	store_reset(stmt);
	if (rc == STORE_ROW)
		return 1;
	return rc == STORE_DONE ? 0 : -1;
}

int
store_account_failed(struct store *st, const char *id, int64_t now, int window,
    int max, int lock, bool *locked)
{
	struct store_stmt	*stmt;
	struct store_account a;
	int		 n;

	if (locked != NULL)
		*locked = false;
	if ((n = store_account_get(st, id, &a)) <= 0)
		return n;		/* no account: nothing to count */
	/* A window that has run out, or a lock that has, starts again. */
	if (a.failed_at == 0 || a.failed_at <= now - window ||
	    (a.locked_until != 0 && a.locked_until <= now)) {
		a.failures = 0;
		a.failed_at = now;
		a.locked_until = 0;
	}
	a.failures++;
	if (a.failures >= max) {
		a.locked_until = now + lock;
		if (locked != NULL)
			*locked = true;
	}
	stmt = store_stmt(st, "UPDATE accounts SET failures = ?2, failed_at = ?3,"
	    " locked_until = ?4 WHERE id = ?1");
	store_bind_text(stmt, 1, id, -1, STORE_TRANSIENT);
	store_bind_int(stmt, 2, a.failures);
	store_bind_int64(stmt, 3, a.failed_at);
	if (a.locked_until != 0)
		store_bind_int64(stmt, 4, a.locked_until);
	return step_done(st, stmt, "account failed");
}

int
store_account_ok(struct store *st, const char *id)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "UPDATE accounts SET failures = 0, failed_at = NULL,"
	    " locked_until = NULL WHERE id = ?1 AND failures > 0");
	store_bind_text(stmt, 1, id, -1, STORE_TRANSIENT);
	return step_done(st, stmt, "account ok");
}

int
store_session_add(struct store *st, const char *token_hash, const char *account,
    const char *csrf, int64_t now)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "INSERT INTO sessions (token_hash, account, csrf,"
	    " created_at, seen_at) VALUES (?1, ?2, ?3, ?4, ?4)");
	store_bind_text(stmt, 1, token_hash, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 2, account, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 3, csrf, -1, STORE_TRANSIENT);
	store_bind_int64(stmt, 4, now);
	return step_done(st, stmt, "session add");
}

int
store_session_get(struct store *st, const char *token_hash, struct store_session *out)
{
	struct store_stmt	*stmt;
	int		 rc;

	stmt = store_stmt(st, "SELECT account, csrf, seen_at FROM sessions"
	    " WHERE token_hash = ?1");
	store_bind_text(stmt, 1, token_hash, -1, STORE_TRANSIENT);
	rc = store_step(stmt);
	if (rc == STORE_ROW) {
		col_copy(stmt, 0, out->account, sizeof(out->account));
		col_copy(stmt, 1, out->csrf, sizeof(out->csrf));
		out->seen_at = store_column_int64(stmt, 2);
	}
	store_reset(stmt);
	if (rc == STORE_ROW)
		return 1;
	return rc == STORE_DONE ? 0 : -1;
}

int
store_session_touch(struct store *st, const char *token_hash, int64_t now)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "UPDATE sessions SET seen_at = ?2 WHERE token_hash = ?1"
	    " AND seen_at < ?2");
	store_bind_text(stmt, 1, token_hash, -1, STORE_TRANSIENT);
	store_bind_int64(stmt, 2, now);
	return step_done(st, stmt, "session touch");
}

int
store_session_delete(struct store *st, const char *token_hash)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "DELETE FROM sessions WHERE token_hash = ?1");
	store_bind_text(stmt, 1, token_hash, -1, STORE_TRANSIENT);
	return step_done(st, stmt, "session delete");
}

int
store_session_expire(struct store *st, int64_t before)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "DELETE FROM sessions WHERE seen_at < ?1");
	store_bind_int64(stmt, 1, before);
	return step_done(st, stmt, "session expire");
}

/* The cases the department ?43 assists (协办), from case_assists (v15). */
#define SQL_ASSISTED "id IN (SELECT case_id FROM case_assists WHERE department = ?43)" \
    " AND dispatched_at IS NOT NULL"

/* A list of case numbers: digits and commas, a digit first and last. */
static bool
supervised_ok(const struct store_scope *sc)
{
	const char	*s = sc->supervised;
	size_t		 n;

	if (s == NULL || (n = strlen(s)) == 0 || n > STORE_SUPERVISED_MAX)
		return false;
	return strspn(s, "0123456789,") == n && s[0] != ',' && s[n - 1] != ',';
}

/* Fixed fragments only; the values are bound by store_scope_bind. */
void
store_scope_sql(struct buf *sql, const struct store_scope *sc)
{
	bool	 first = true;

	if (sc->all)
		return;
	buf_addstr(sql, " AND (");
	if (sc->township) {
		buf_addstr(sql, "township = ?40");
		first = false;
	}
	if (sc->grids) {
		buf_addstr(sql, first ? "" : " OR ");
		buf_addstr(sql, "grid IN (SELECT value FROM json_each(?41))");
		first = false;
	}
	if (sc->deputy) {
		buf_addstr(sql, first ? "" : " OR ");
		buf_addstr(sql, "deputy = ?42");
		first = false;
	}
	if (supervised_ok(sc)) {
		buf_printf(sql, "%snumber IN (%s)", first ? "" : " OR ", sc->supervised);
		first = false;
	}
	if (sc->department) {
		buf_addstr(sql, first ? "" : " OR ");
		buf_addstr(sql, "(department = ?43 AND dispatched_at IS NOT NULL) OR ("
		    SQL_ASSISTED ")");
		first = false;
	}
	buf_addstr(sql, first ? "1 = 0)" : ")");
}

/* The texts of the supervised part's conditions. */
struct scope_sup {
	char	 in[STORE_SUPERVISED_MAX + 16];
	char	 not[STORE_SUPERVISED_MAX + 20];
};

/* The scope's conditions, in the order of its parts: each, and its negation. */
static size_t
scope_terms(const struct store_scope *sc, const char **term, const char **not,
    struct scope_sup *sup)
{
	size_t	 n = 0;

	if (sc->all)
		return 0;
	/* the grids first: (status, grid) serves them, and they hold the most */
	if (sc->grids) {
		term[n] = "grid IN (SELECT value FROM json_each(?41))";
		not[n++] = "coalesce(grid, '') NOT IN (SELECT value FROM json_each(?41))";
	}
	if (sc->deputy) {
		term[n] = "deputy = ?42";
		not[n++] = "coalesce(deputy, '') <> ?42";
	}
	/* the adopted 民生实事 projects they supervise (票决), by number: a
	 * list the planner reads from the number index, where a subquery let
	 * it read every open case by status */
	if (supervised_ok(sc)) {
		snprintf(sup->in, sizeof(sup->in), "number IN (%s)", sc->supervised);
		snprintf(sup->not, sizeof(sup->not), "number NOT IN (%s)", sc->supervised);
		term[n] = sup->in;
		not[n++] = sup->not;
	}
	if (sc->township) {
		term[n] = "township = ?40";
		not[n++] = "coalesce(township, '') <> ?40";
	}
	if (sc->department) {
		term[n] = "(department = ?43 AND dispatched_at IS NOT NULL)";
		not[n++] = "NOT (coalesce(department, '') = ?43 AND dispatched_at IS NOT NULL)";
		term[n] = "(" SQL_ASSISTED ")";
		not[n++] = "NOT (" SQL_ASSISTED ")";
	}
	return n;
}

/*
 * The scope without its OR: one SELECT per part of the scope, each part
 * its own condition and not those before it (so that no case comes
 * twice), joined by UNION ALL.  Each part can then be read from the index
 * its condition and where's serve (a deputy's grid's open cases from
 * (status, grid), those they hold elsewhere from (deputy, status, grid)),
 * where the OR made SQLite read every row that where's alone selects.
 *
 * sql gets "SELECT <cols> FROM cases WHERE <where> AND <part 1> UNION ALL
 * ...", or "SELECT <cols> FROM cases WHERE <where>" for the county (and
 * "... AND 1 = 0" for a scope of nothing).  every_status: where has no status
 * condition; the grids' part then names every status, so that (status,
 * grid) serves it.  each, when not NULL, follows each part's SELECT (as
 * "SELECT * FROM (SELECT ... <each>)"): an ORDER BY and LIMIT of its own.
 */
void
store_scope_parts_sql(struct buf *sql, const struct store_scope *sc, const char *cols,
    const char *where, bool every_status, const char *each)
{
	const char	*term[6], *not[6];
	struct scope_sup sup;
	size_t		 n = scope_terms(sc, term, not, &sup), i, k;

	if (n == 0) {
		buf_printf(sql, "SELECT %s FROM cases WHERE %s%s", cols, where,
		    sc->all ? "" : " AND 1 = 0");
		return;
	}
	for (i = 0; i < n; i++) {
		buf_printf(sql, "%s%sSELECT %s FROM cases WHERE %s AND %s", i ? " UNION ALL " : "",
		    each ? "SELECT * FROM (" : "", cols, where, term[i]);
		if (every_status && sc->grids && i == 0)
			buf_addstr(sql, " AND status IN ('received', 'accepted', 'dispatched',"
			    " 'in_progress', 'resolved', 'closed', 'reopened', 'declined',"
			    " 'cancelled')");
		for (k = 0; k < i; k++)
			buf_printf(sql, " AND %s", not[k]);
		if (each)
			buf_printf(sql, " %s) AS part%zu", each, i);
	}
}

void
store_scope_count_sql(struct buf *sql, const struct store_scope *sc, const char *outer,
    const char *inner, const char *where, bool every_status)
{
	if (sc->all) {
		buf_printf(sql, "SELECT %s FROM cases WHERE %s", inner, where);
		return;
	}
	buf_printf(sql, "SELECT %s FROM (", outer);
	store_scope_parts_sql(sql, sc, inner, where, every_status, NULL);
	buf_addstr(sql, ") AS parts");
}

void
store_scope_bind(struct store_stmt *stmt, const struct store_scope *sc)
{
	if (sc->all)
		return;
	if (sc->township)
		store_bind_text(stmt, 40, sc->township, -1, STORE_TRANSIENT);
	if (sc->grids)
		store_bind_text(stmt, 41, sc->grids, -1, STORE_TRANSIENT);
	if (sc->deputy)
		store_bind_text(stmt, 42, sc->deputy, -1, STORE_TRANSIENT);
	if (sc->department)
		store_bind_text(stmt, 43, sc->department, -1, STORE_TRANSIENT);
}

int
store_scope_case(struct store *st, const struct store_scope *sc, long number,
    int64_t *case_id)
{
	struct buf	 sql;
	struct store_stmt	*stmt;
	int		 rc, in;

	buf_init(&sql, 0);
	/* a value, not a bare condition (PostgreSQL's would be a boolean) */
	buf_addstr(&sql, "SELECT id, CASE WHEN 1 = 1");
	store_scope_sql(&sql, sc);
	buf_addstr(&sql, " THEN 1 ELSE 0 END");
	buf_addstr(&sql, " FROM cases WHERE number = ?1");
	stmt = store_stmt(st, buf_str(&sql));
	buf_free(&sql);
	store_bind_int64(stmt, 1, number);
	store_scope_bind(stmt, sc);
	rc = store_step(stmt);
	if (rc == STORE_ROW) {
		*case_id = store_column_int64(stmt, 0);
		in = store_column_int(stmt, 1) ? 1 : 0;
	}
	store_reset(stmt);
	if (rc == STORE_ROW)
		return in;
	return rc == STORE_DONE ? -2 : -1;
}

/*
 * The open statuses, as a list: an IN over them reads the open cases from
 * cases_status_grid, never the closed ones that fill a store over years.
 */
#define SQL_OPEN_IN "status IN ('received', 'accepted', 'dispatched'," \
    " 'in_progress', 'resolved', 'reopened')"

int
store_console_todo(struct store *st, const struct store_scope *sc, int64_t since,
    struct store_todo *out)
{
	struct buf	 sql;
	struct store_stmt	*stmt;
	long		 waiting = 0, triage_waiting = 0;
	int		 rc;

	memset(out, 0, sizeof(*out));
	buf_init(&sql, 0);
	/* by status alone: from cases_status_grid (and cases_deputy) */
	store_scope_count_sql(&sql, sc, "sum(a), sum(b)",
	    "sum(status IN ('received', 'reopened')) AS a, sum(status = 'resolved') AS b",
	    SQL_OPEN_IN, false);
	stmt = store_stmt(st, buf_str(&sql));
	buf_reset(&sql);
	store_scope_bind(stmt, sc);
	if ((rc = store_step(stmt)) == STORE_ROW) {
		waiting = (long)store_column_int64(stmt, 0);
		out->to_rate = (long)store_column_int64(stmt, 1);
	}
	store_reset(stmt);
	if (rc != STORE_ROW)
		goto fail;
	/* triage (1) and overdue (4): from cases_flagged, which holds only them */
	/* (the OR is cheap over so few rows; parts would read them by status) */
	buf_addstr(&sql, "SELECT sum((flags & 1) <> 0 AND status IN ('received',"
	    " 'reopened')), sum((flags & 1) <> 0), sum((flags & 4) <> 0 AND"
	    " status <> 'resolved') FROM cases WHERE (flags & 5) <> 0 AND " SQL_OPEN_IN);
	store_scope_sql(&sql, sc);
	stmt = store_stmt(st, buf_str(&sql));
	buf_reset(&sql);
	store_scope_bind(stmt, sc);
	if ((rc = store_step(stmt)) == STORE_ROW) {
		triage_waiting = (long)store_column_int64(stmt, 0);
		out->triage = (long)store_column_int64(stmt, 1);
		out->overdue = (long)store_column_int64(stmt, 2);
	}
	store_reset(stmt);
	if (rc != STORE_ROW)
		goto fail;
	out->to_accept = waiting - triage_waiting;
	/* today's, from cases_created */
	buf_addstr(&sql, "SELECT count(*) FROM cases WHERE created_at >= ?1");
	store_scope_sql(&sql, sc);
	stmt = store_stmt(st, buf_str(&sql));
	buf_free(&sql);
	store_bind_int64(stmt, 1, since);
	store_scope_bind(stmt, sc);
	if ((rc = store_step(stmt)) == STORE_ROW)
		out->new_today = (long)store_column_int64(stmt, 0);
	store_reset(stmt);
	return rc == STORE_ROW ? 0 : -1;
fail:
	buf_free(&sql);
	return -1;
}

void
store_console_series_sql(struct buf *sql, const struct store_scope *sc)
{
	/* one pass over the period's cases (cases_series, v16) for both charts */
	buf_addstr(sql, "SELECT (created_at + ?2) / 86400, category, township, count(*)"
	    " FROM cases WHERE created_at >= ?1");
	store_scope_sql(sql, sc);
	buf_addstr(sql, " GROUP BY 1, 2, 3");
}

int
store_console_series(struct store *st, const struct store_scope *sc, int64_t since,
    int offset, void (*fn)(void *, long, const char *, const char *, long), void *arg)
{
	struct buf	 sql;
	struct store_stmt	*stmt;
	int		 rc;

	buf_init(&sql, 0);
	store_console_series_sql(&sql, sc);
	stmt = store_stmt(st, buf_str(&sql));
	buf_free(&sql);
	store_bind_int64(stmt, 1, since);
	store_bind_int(stmt, 2, offset);
	store_scope_bind(stmt, sc);
	while ((rc = store_step(stmt)) == STORE_ROW)
		fn(arg, (long)store_column_int64(stmt, 0),
		    (const char *)store_column_text(stmt, 1),
		    (const char *)store_column_text(stmt, 2),
		    (long)store_column_int64(stmt, 3));
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

int
store_case_messages(struct store *st, int64_t case_id,
    void (*fn)(void *, const char *, int64_t, const char *, const char *,
    const char *, const char *), void *arg)
{
	struct store_stmt	*stmt;
	const unsigned char *status;
	int		 rc;

	stmt = store_stmt(st,
	    "SELECT 'in', created_at, address, body, NULL, channel, id FROM messages"
	    " WHERE case_id = ?1"
	    " UNION ALL"
	    " SELECT 'out', created_at, address, body, status, channel, id FROM outbox"
	    " WHERE case_id = ?1"
	    " ORDER BY 2, 1 DESC, 7");
	store_bind_int64(stmt, 1, case_id);
	while ((rc = store_step(stmt)) == STORE_ROW) {
		status = store_column_text(stmt, 4);
		fn(arg, (const char *)store_column_text(stmt, 0),
		    store_column_int64(stmt, 1),
		    (const char *)store_column_text(stmt, 2),
		    (const char *)store_column_text(stmt, 3),
		    status ? (const char *)status : NULL,
		    (const char *)store_column_text(stmt, 5));
	}
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/*
 * 三张清单 over [from, to): each list's cases by the time that puts them
 * on it, oldest first.  A case is on the problem list when it came in, on
 * the assignment list when it was (last) dispatched, on the completion
 * list when it was resolved and is resolved or closed now; withdrawn ones
 * on none.  The dispatch and resolve times are read from partial indexes
 * (v11) that only dispatched and resolved cases enter (the status is
 * checked on the rows, SQLite's "+status": read by status, it would be
 * every closed case of the years; PostgreSQL has no unary + on text, and
 * its planner weighs the period's index itself).
 */
static void
list_where(struct store *st, struct buf *w, enum store_list which, const char *township)
{
	static const char *const at[] = { "created_at", "dispatched_at", "resolved_at" };
	const char	*status = st->backend == STORE_POSTGRESQL ? "status" : "+status";

	buf_printf(w, "%s >= ?1 AND %s < ?2", at[which], at[which]);
	buf_printf(w, which == STORE_LIST_COMPLETIONS ?
	    " AND %s IN ('resolved', 'closed')" : " AND %s <> 'cancelled'", status);
	if (township != NULL)
		buf_addstr(w, " AND township = ?3");
}

static void
list_bind(struct store_stmt *stmt, const struct store_scope *sc, const char *township,
    int64_t from, int64_t to)
{
	store_bind_int64(stmt, 1, from);
	store_bind_int64(stmt, 2, to);
	if (township != NULL)
		store_bind_text(stmt, 3, township, -1, STORE_TRANSIENT);
	store_scope_bind(stmt, sc);
}

int
store_console_list_count(struct store *st, enum store_list which,
    const struct store_scope *sc, const char *township, int64_t from, int64_t to,
    long *total)
{
	struct buf	 sql, where;
	struct store_stmt	*stmt;
	int		 rc;

	buf_init(&sql, 0);
	buf_init(&where, 0);
	list_where(st, &where, which, township);
	/* the period's rows from their time's index, the scope checked on each
	 * (its parts apart, a deputy's would read every case they ever held) */
	buf_printf(&sql, "SELECT count(*) FROM cases WHERE %s", buf_str(&where));
	store_scope_sql(&sql, sc);
	buf_free(&where);
	stmt = store_stmt(st, buf_str(&sql));
	buf_free(&sql);
	list_bind(stmt, sc, township, from, to);
	if ((rc = store_step(stmt)) == STORE_ROW)
		*total = (long)store_column_int64(stmt, 0);
	store_reset(stmt);
	return rc == STORE_ROW ? 0 : -1;
}

int
store_console_list(struct store *st, enum store_list which, const struct store_scope *sc,
    const char *township, int64_t from, int64_t to, long limit,
    void (*fn)(void *, const struct store_list_row *), void *arg)
{
	static const char *const at[] = { "created_at", "dispatched_at", "resolved_at" };
	struct store_list_row	 row;
	struct buf		 sql;
	struct store_stmt		*stmt;
	int			 rc;

	buf_init(&sql, 0);
	buf_printf(&sql, "SELECT number, %s, grid, place, category, description,"
	    " status, deputy, department, due_at, %s, rating, rating_comment, instruction"
	    " FROM cases c WHERE ", at[which],
	    which == STORE_LIST_COMPLETIONS ? "(SELECT e.detail FROM case_events e"
	    " WHERE e.case_id = c.id AND e.kind = 'resolved' ORDER BY e.id DESC LIMIT 1)" :
	    "NULL");
	list_where(st, &sql, which, township);
	store_scope_sql(&sql, sc);
	buf_printf(&sql, " ORDER BY %s, number", at[which]);
	if (limit > 0)
		buf_printf(&sql, " LIMIT %ld", limit);
	stmt = store_stmt(st, buf_str(&sql));
	buf_free(&sql);
	list_bind(stmt, sc, township, from, to);
	while ((rc = store_step(stmt)) == STORE_ROW) {
		memset(&row, 0, sizeof(row));
		row.number = store_column_int64(stmt, 0);
		row.at = store_column_int64(stmt, 1);
		row.grid = (const char *)store_column_text(stmt, 2);
		row.place = (const char *)store_column_text(stmt, 3);
		row.category = (const char *)store_column_text(stmt, 4);
		row.description = (const char *)store_column_text(stmt, 5);
		row.status = (const char *)store_column_text(stmt, 6);
		row.deputy = (const char *)store_column_text(stmt, 7);
		row.department = (const char *)store_column_text(stmt, 8);
		row.due_at = store_column_int64(stmt, 9);
		row.result = (const char *)store_column_text(stmt, 10);
		row.rating = store_column_int(stmt, 11);
		row.rating_comment = (const char *)store_column_text(stmt, 12);
		row.instruction = (const char *)store_column_text(stmt, 13);
		fn(arg, &row);
	}
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

int
store_console_deputy_counts(struct store *st, const char *deputy, int64_t from,
    int64_t to, long *open, long *received)
{
	struct store_stmt	*stmt;
	int		 rc;

	/* (deputy, status) for the open ones, (deputy, created_at) for the month's */
	stmt = store_stmt(st, "SELECT (SELECT count(*) FROM cases WHERE deputy = ?1"
	    " AND " SQL_OPEN_IN "), (SELECT count(*) FROM cases WHERE deputy = ?1"
	    " AND created_at >= ?2 AND created_at < ?3 AND status <> 'cancelled')");
	store_bind_text(stmt, 1, deputy, -1, STORE_TRANSIENT);
	store_bind_int64(stmt, 2, from);
	store_bind_int64(stmt, 3, to);
	if ((rc = store_step(stmt)) == STORE_ROW) {
		*open = (long)store_column_int64(stmt, 0);
		*received = (long)store_column_int64(stmt, 1);
	}
	store_reset(stmt);
	return rc == STORE_ROW ? 0 : -1;
}

/* Group counts: fn(arg, key, n) per row of a (key, n) statement. */
static int
each_count(struct store_stmt *stmt, void (*fn)(void *, const char *, long), void *arg)
{
	int	 rc;

	while ((rc = store_step(stmt)) == STORE_ROW)
		fn(arg, (const char *)store_column_text(stmt, 0),
		    (long)store_column_int64(stmt, 1));
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

int
store_console_resolved_by_deputy(struct store *st, int64_t from, int64_t to,
    void (*fn)(void *, const char *, long), void *arg)
{
	struct store_stmt	*stmt;

	/* cases_resolved (v11): only the period's resolved cases are read */
	stmt = store_stmt(st, "SELECT deputy, count(*) FROM cases WHERE resolved_at >= ?1"
	    " AND resolved_at < ?2 AND deputy IS NOT NULL AND status <> 'cancelled' GROUP BY deputy");
	store_bind_int64(stmt, 1, from);
	store_bind_int64(stmt, 2, to);
	return each_count(stmt, fn, arg);
}

int
store_console_open_by_grid(struct store *st, void (*fn)(void *, const char *, long),
    void *arg)
{
	struct store_stmt	*stmt;

	stmt = store_stmt(st, "SELECT grid, count(*) FROM cases WHERE " SQL_OPEN_IN
	    " AND grid IS NOT NULL GROUP BY grid");
	return each_count(stmt, fn, arg);
}

int
store_console_station_days(struct store *st, int64_t from, int64_t to,
    void (*fn)(void *, const char *, long), void *arg)
{
	struct store_stmt	*stmt;

	/* a record a day at the station (SQL_DUTY_SUMS's count for 'station') */
	stmt = store_stmt(st, "SELECT deputy, count(*) FROM duties WHERE kind = 'station'"
	    " AND at >= ?1 AND at < ?2 GROUP BY deputy");
	store_bind_int64(stmt, 1, from);
	store_bind_int64(stmt, 2, to);
	return each_count(stmt, fn, arg);
}

int
store_console_supervised(struct store *st, const char *deputy, char *out, size_t outsz)
{
	struct store_stmt	*stmt = store_stmt(st, "SELECT p.case_number FROM vote_projects p,"
			    " json_each(p.supervisors) s WHERE s.value = ?1"
			    " AND p.case_number IS NOT NULL ORDER BY p.case_number");
	char		 num[24];
	size_t		 len = 0;
	int		 rc;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, deputy, -1, STORE_TRANSIENT);
	while ((rc = store_step(stmt)) == STORE_ROW) {
		snprintf(num, sizeof(num), "%s%lld", len ? "," : "",
		    (long long)store_column_int64(stmt, 0));
		if (len + strlen(num) + 1 > outsz || len + strlen(num) > STORE_SUPERVISED_MAX)
			break;
		memcpy(out + len, num, strlen(num) + 1);
		len += strlen(num);
	}
	store_reset(stmt);
	return rc == STORE_ROW || rc == STORE_DONE ? 0 : -1;
}

/* PostgreSQL's forms of the statements above that it says otherwise
 * (store/pg.c; the rest run as written, ?N as $N). */
const struct store_dialect store_pg_console[] = {
	{ NULL, NULL },
};
