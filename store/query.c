/*
 * store/query.c: the reads of the admin API and of the reports, over the
 * read-only connections.  The case list with its filters and its total,
 * one case and its timeline, the figures of 履职考核 (deputies), 民主评议
 * (departments) and 高频诉求 (hotspots), and the sim channel's outbox.
 *
 * Withdrawn (cancelled) cases count in no report.  A department is
 * charged only with the cases dispatched to it, read from the dispatch
 * events: a case's department column holds the category's default from
 * intake until a dispatch sets it.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

/* A macro, so that the queries made with it are literals. */
#define CASE_COLUMNS \
    "id, number, status, channel, citizen, grid, township, category, tier," \
    " description, place, deputy, department, due_at, created_at, updated_at," \
    " rating, rating_comment, flags, media, language, filed_by, assist, instruction," \
    " source"

/* The same, of the cases table named c (beside cases_fts, which has a
 * description and a place of its own). */
#define CASE_COLUMNS_C \
    "c.id, c.number, c.status, c.channel, c.citizen, c.grid, c.township, c.category," \
    " c.tier, c.description, c.place, c.deputy, c.department, c.due_at, c.created_at," \
    " c.updated_at, c.rating, c.rating_comment, c.flags, c.media, c.language," \
    " c.filed_by, c.assist, c.instruction, c.source"

/* A case queued for the text index (v14) whose text holds ?22. */
#define SQL_QUEUED "id IN (SELECT id FROM cases_fts_queue) AND instr(lower(description" \
    " || char(31) || coalesce(place, '')), lower(?22))"

/* Bound parameters of the case list: the SQL names only those it uses. */
enum {
	P_STATUS = 1,		/* ?1 .. ?9: the statuses */
	P_GRID = 10,
	P_TOWNSHIP,
	P_CATEGORY,
	P_DEPARTMENT,
	P_CHANNEL,
	P_DEPUTY,
	P_CITIZEN,
	P_Q,
	P_SINCE,
	P_LIMIT,
	P_OFFSET,
	P_TIER,
	P_QTEXT,		/* the search text itself, for the queue (v14) */
	P_SOURCE,
	P_TOP,			/* limit + offset: each part's rows (one
				 * parameter: PostgreSQL types no ?19 + ?20) */
};

/* Equality filters: column, parameter, and where the filter keeps it. */
static const struct {
	const char	*sql;
	int		 param;
	size_t		 off;
} eq_filters[] = {
	{ " AND grid = ?10", P_GRID, offsetof(struct store_case_filter, grid) },
	{ " AND township = ?11", P_TOWNSHIP, offsetof(struct store_case_filter, township) },
	{ " AND category = ?12", P_CATEGORY, offsetof(struct store_case_filter, category) },
	{ " AND department = ?13", P_DEPARTMENT, offsetof(struct store_case_filter, department) },
	{ " AND channel = ?14", P_CHANNEL, offsetof(struct store_case_filter, channel) },
	{ " AND deputy = ?15", P_DEPUTY, offsetof(struct store_case_filter, deputy) },
	{ " AND citizen = ?16", P_CITIZEN, offsetof(struct store_case_filter, citizen) },
};

static const char *
eq_value(const struct store_case_filter *f, size_t i)
{
	return *(const char *const *)(const void *)((const char *)f + eq_filters[i].off);
}

/* Characters (code points) in UTF-8 text s. */
static size_t
q_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* s as one FTS5 phrase: in double quotes, a quote in it doubled; new. */
static char *
fts_phrase(const char *s)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_addstr(&b, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addstr(&b, "\"\"");
		else
			buf_add(&b, s, 1);
	}
	buf_addstr(&b, "\"");
	return buf_steal(&b);
}

/*
 * The match for 1 or 2 characters, which make no trigram of their own:
 * any of the index's trigrams that start with them (every character of
 * an indexed text starts one, v12), from its vocabulary, in order; new.
 * The tokenizer folds ASCII letters to lower case: so does the lookup.
 */
static char *
fts_short(struct store *st, const char *q)
{
	struct store_stmt	*stmt;
	struct buf	 b, lo;
	const char	*p;
	char		*phrase;
	int		 n = 0;

	buf_init(&lo, 0);
	for (p = q; *p != '\0'; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		buf_add(&lo, &c, 1);
	}
	buf_init(&b, 0);
	stmt = store_stmt(st, "SELECT term FROM cases_fts_terms WHERE term >= ?1"
	    " AND term < ?1 || char(1114111)");
	store_bind_text(stmt, 1, buf_str(&lo), -1, STORE_TRANSIENT);
	while (store_step(stmt) == STORE_ROW) {
		phrase = fts_phrase((const char *)store_column_text(stmt, 0));
		buf_printf(&b, "%s%s", n++ ? " OR " : "", phrase);
		free(phrase);
	}
	store_reset(stmt);
	buf_free(&lo);
	if (n == 0)
		buf_addstr(&b, "\"\"");	/* matches nothing */
	return buf_steal(&b);
}

/*
 * PostgreSQL's search: its trigram index over description and place (see
 * schema_pg.sql.h) with ILIKE ?17 (a pattern made of the text), newest
 * first; the same totals as SQLite's (the newest STORE_SEARCH_SCAN matches
 * that pass the rest, and all matches in the second column).
 */
#define PG_TEXT_MATCH "(description || ' ' || coalesce(place, '')) ILIKE ?17"

static void
case_search_pg(struct buf *sql, const struct store_case_filter *f, bool count,
    const char *where)
{
	if (count) {
		buf_printf(sql, "SELECT (SELECT count(*) FROM (SELECT * FROM cases WHERE "
		    PG_TEXT_MATCH " ORDER BY id DESC LIMIT %d) AS cases WHERE %s",
		    STORE_SEARCH_SCAN, where);
		if (f->scope != NULL)
			store_scope_sql(sql, f->scope);
		buf_addstr(sql, "), (SELECT count(*) FROM cases WHERE " PG_TEXT_MATCH ")");
		return;
	}
	buf_printf(sql, "SELECT " CASE_COLUMNS " FROM cases WHERE " PG_TEXT_MATCH
	    " AND %s", where);
	if (f->scope != NULL)
		store_scope_sql(sql, f->scope);
	buf_addstr(sql, " ORDER BY id DESC LIMIT ?19 OFFSET ?20");
}

static char	*case_list_sql(const struct store_case_filter *, bool, bool);

char *
store_case_list_sql(const struct store_case_filter *f, bool count)
{
	return case_list_sql(f, count, false);
}

/* q as an ILIKE pattern that finds it anywhere: %, _ and \ escaped. */
static char *
like_pattern(const char *q)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_addstr(&b, "%");
	for (; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_addstr(&b, "\\");
		buf_add(&b, q, 1);
	}
	buf_addstr(&b, "%");
	return buf_steal(&b);
}

static char *
case_list_sql(const struct store_case_filter *f, bool count, bool pg)
{
	struct buf	 sql, where;
	size_t		 i;

	buf_init(&sql, 0);
	buf_init(&where, 0);
	buf_addstr(&where, "1 = 1");
	/* one status keeps the (status, grid, created_at) order: no sort */
	if (f->nstatus == 1)
		buf_addstr(&where, " AND status = ?1");
	else if (f->nstatus > 1) {
		buf_addstr(&where, " AND status IN (?1");
		for (i = 1; i < f->nstatus && i < STORE_STATUS_MAX; i++)
			buf_printf(&where, ", ?%zu", i + 1);
		buf_addstr(&where, ")");
	}
	/*
	 * A grid's cases counted without a status: probe (status, grid) once
	 * for each status, rather than read every row (the page itself is
	 * read newest first from cases_created and stops at limit).
	 */
	if (count && f->nstatus == 0 && f->grid != NULL && f->citizen == NULL)
		buf_addstr(&where, " AND status IN ('received', 'accepted', 'dispatched',"
		    " 'in_progress', 'resolved', 'closed', 'reopened', 'declined',"
		    " 'cancelled')");
	for (i = 0; i < nitems(eq_filters); i++)
		if (eq_value(f, i) != NULL)
			buf_addstr(&where, eq_filters[i].sql);
	if (f->overdue >= 0)
		buf_addstr(&where, f->overdue ? " AND (flags & 4) != 0" : " AND (flags & 4) = 0");
	if (f->triage >= 0)
		buf_addstr(&where, f->triage ? " AND (flags & 1) != 0" : " AND (flags & 1) = 0");
	if (f->has_since)
		buf_addstr(&where, " AND created_at >= ?18");
	/* walk-ins by source: from cases_source (v15), which holds only them */
	if (f->source != NULL)
		buf_addstr(&where, " AND source = ?23");
	if (f->tier > 0)
		buf_addstr(&where, " AND tier = ?21");
	/*
	 * Text: the trigram index (v12) drives the read, newest case (the
	 * highest id) first, each match checked against the rest on its row,
	 * so a page stops once it is full however many cases match (a broad
	 * word reads a few dozen rows, not the 125,000 that hold it).  The
	 * cases queued for the index (v14: none but in a writer's batch or
	 * after a failed flush) are read beside it, by their text.  Its
	 * total: the matches, from the index alone (cheap: no case is read),
	 * and, when other filters or a scope apply, those of the newest
	 * STORE_SEARCH_SCAN matches that pass them (each match checked on its
	 * row: all 125,000 took 400 ms, 10,000 take 30); the second column,
	 * the count of every match, tells whether that was all of them.  See
	 * store_case_list for the MATCH.
	 */
	if (f->q != NULL && pg) {
		case_search_pg(&sql, f, count, buf_str(&where));
		buf_free(&where);
		return buf_steal(&sql);
	}
	if (f->q != NULL) {
		bool rest = strcmp(buf_str(&where), "1 = 1") != 0 ||
		    (f->scope != NULL && !f->scope->all);
		struct buf queued;

		buf_init(&queued, 0);
		buf_printf(&queued, "SELECT %s FROM cases WHERE " SQL_QUEUED " AND %s",
		    count ? "count(*)" : CASE_COLUMNS, buf_str(&where));
		if (f->scope != NULL)
			store_scope_sql(&queued, f->scope);
		if (count && !rest)
			buf_addstr(&sql, "SELECT n, n FROM (SELECT (SELECT count(*) FROM cases_fts"
			    " WHERE cases_fts MATCH ?17) + (SELECT count(*) FROM cases WHERE "
			    SQL_QUEUED ") AS n)");
		else if (count) {
			buf_printf(&sql, "SELECT (SELECT count(*) FROM (SELECT rowid AS fid"
			    " FROM cases_fts WHERE cases_fts MATCH ?17 ORDER BY rowid DESC"
			    " LIMIT %d) m CROSS JOIN cases c ON c.id = m.fid WHERE %s",
			    STORE_SEARCH_SCAN, buf_str(&where));
			if (f->scope != NULL)
				store_scope_sql(&sql, f->scope);
			buf_printf(&sql, ") + (%s), (SELECT count(*) FROM cases_fts WHERE"
			    " cases_fts MATCH ?17) + (SELECT count(*) FROM cases WHERE "
			    SQL_QUEUED ")", buf_str(&queued));
		} else {
			buf_printf(&sql, "SELECT * FROM (SELECT " CASE_COLUMNS_C " FROM cases_fts f"
			    " CROSS JOIN cases c ON c.id = f.rowid WHERE f.cases_fts MATCH ?17"
			    " AND %s", buf_str(&where));
			if (f->scope != NULL)
				store_scope_sql(&sql, f->scope);
			buf_printf(&sql, " ORDER BY f.rowid DESC LIMIT ?19 + ?20) UNION ALL %s"
			    " ORDER BY 1 DESC LIMIT ?19 OFFSET ?20", buf_str(&queued));
		}
		buf_free(&queued);
		buf_free(&where);
		return buf_steal(&sql);
	}
	if (count && f->scope != NULL) {
		/* the total of an account's cases: each part of its scope apart */
		store_scope_count_sql(&sql, f->scope, "sum(n)", "count(*) AS n",
		    buf_str(&where), f->nstatus == 0 && f->grid == NULL);
		buf_free(&where);
		return buf_steal(&sql);
	}
	/*
	 * A page of an account's cases of some statuses: each part of the
	 * scope from (status, grid) or (deputy, status, grid), its newest
	 * limit + offset sorted ("+created_at": not read in time order from
	 * (deputy, created_at), every case the deputy ever had), then those
	 * merged (without a status, newest first from cases_created stops at
	 * limit).  A department's of any status too, each part in time order:
	 * the OR of the cases it leads and those it assists (two indexes)
	 * read and sorted them all (270 ms for a department on the bench's
	 * store, against 2).
	 */
	if (f->scope != NULL && !f->scope->all && (f->nstatus > 0 ||
	    f->scope->department != NULL)) {
		store_scope_parts_sql(&sql, f->scope, CASE_COLUMNS, buf_str(&where), false,
		    f->nstatus > 0 ? "ORDER BY +created_at DESC, id DESC LIMIT ?24" :
		    "ORDER BY created_at DESC, id DESC LIMIT ?24");
		buf_free(&where);
		buf_addstr(&sql, " ORDER BY created_at DESC, id DESC LIMIT ?19 OFFSET ?20");
		return buf_steal(&sql);
	}
	buf_addstr(&sql, count ? "SELECT count(*) FROM cases WHERE " :
	    "SELECT " CASE_COLUMNS " FROM cases WHERE ");
	buf_addstr(&sql, buf_str(&where));
	buf_free(&where);
	if (f->scope != NULL)
		store_scope_sql(&sql, f->scope);
	if (!count)
		buf_addstr(&sql, " ORDER BY created_at DESC, id DESC LIMIT ?19 OFFSET ?20");
	return buf_steal(&sql);
}

struct store_stmt *
store_case_list(struct store *st, const struct store_case_filter *f, bool count)
{
	struct store_stmt	*stmt = NULL;
	char		*sql = case_list_sql(f, count, st->backend == STORE_POSTGRESQL);
	size_t		 i;

	/* prepared for this request only: the filters make many shapes */
	stmt = store_stmt_new(st, sql);
	free(sql);
	if (stmt == NULL)
		return NULL;
	for (i = 0; i < f->nstatus && i < STORE_STATUS_MAX; i++)
		store_bind_text(stmt, P_STATUS + (int)i, f->status[i], -1, STORE_TRANSIENT);
	for (i = 0; i < nitems(eq_filters); i++)
		if (eq_value(f, i) != NULL)
			store_bind_text(stmt, eq_filters[i].param, eq_value(f, i), -1,
			    STORE_TRANSIENT);
	if (f->q != NULL) {
		char *match = st->backend == STORE_POSTGRESQL ? like_pattern(f->q) :
		    q_chars(f->q) >= 3 ? fts_phrase(f->q) : fts_short(st, f->q);

		store_bind_text(stmt, P_Q, match, -1, STORE_TRANSIENT);
		store_bind_text(stmt, P_QTEXT, f->q, -1, STORE_TRANSIENT);
		free(match);
	}
	if (f->has_since)
		store_bind_int64(stmt, P_SINCE, f->since);
	if (f->source != NULL)
		store_bind_text(stmt, P_SOURCE, f->source, -1, STORE_TRANSIENT);
	if (f->scope != NULL)
		store_scope_bind(stmt, f->scope);
	if (f->tier > 0)
		store_bind_int(stmt, P_TIER, f->tier);
	if (!count) {
		store_bind_int64(stmt, P_LIMIT, f->limit);
		store_bind_int64(stmt, P_OFFSET, f->offset);
		store_bind_int64(stmt, P_TOP, f->limit + f->offset);
	}
	return stmt;
}

/*
 * Index the cases queued for text search (v14) and empty the queue, in
 * the open transaction.  The writer calls it once a batch, just before
 * COMMIT: FTS5 then writes one segment a batch, not one a case.
 */
int
store_fts_flush(struct store *st)
{
	struct store_stmt	*stmt;
	int		 rc;

	/* PostgreSQL keeps its trigram index itself, in the same transaction. */
	if (st->backend == STORE_POSTGRESQL)
		return 0;
	stmt = store_stmt(st, "INSERT INTO cases_fts (rowid, description, place)"
	    " SELECT c.id, c.description || char(31, 31), coalesce(c.place, '') || char(31, 31)"
	    " FROM cases_fts_queue AS q JOIN cases AS c ON c.id = q.id");
	if (stmt == NULL)
		return -1;
	rc = store_step(stmt);
	store_reset(stmt);
	if (rc != STORE_DONE)
		return -1;
	stmt = store_stmt(st, "DELETE FROM cases_fts_queue");
	if (stmt == NULL)
		return -1;
	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

struct store_stmt *
store_case_get(struct store *st, int64_t number)
{
	struct store_stmt	*stmt = store_stmt(st, "SELECT " CASE_COLUMNS
			    " FROM cases WHERE number = ?1");

	store_bind_int64(stmt, 1, number);
	return stmt;
}

struct store_stmt *
store_case_events(struct store *st, int64_t case_id)
{
	struct store_stmt	*stmt = store_stmt(st, "SELECT at, actor, kind, from_status,"
			    " to_status, detail FROM case_events WHERE case_id = ?1 ORDER BY id");

	store_bind_int64(stmt, 1, case_id);
	return stmt;
}

/*
 * 履职考核, one row per case of the deputy's in [from, to), withdrawn ones
 * left out: the accept delay in seconds (NULL when the deputy has not
 * accepted it), resolved (0/1), the rating (or NULL), overdue (0/1).
 *
 * The delay runs from the event that started the deputy's clock (the
 * case's creation, a transfer to them, a reopening) to their acceptance
 * after it.  When the last acceptance (accepted_at) follows the last start
 * (assigned_at) the columns say so; when it does not, the case came back
 * (reopened, transferred) and the timeline is read: the last acceptance
 * with no transfer after it (else the case's deputy has not accepted it
 * yet), less the start just before it.  The columns' difference alone
 * goes negative after a reopening.
 */
struct store_stmt *
store_report_deputy(struct store *st, const char *deputy, int64_t from, int64_t to)
{
	struct store_stmt	*stmt = store_stmt(st, "SELECT CASE"
	    " WHEN c.accepted_at IS NULL THEN NULL"
	    " WHEN c.accepted_at >= coalesce(c.assigned_at, c.created_at)"
	    "  THEN c.accepted_at - coalesce(c.assigned_at, c.created_at) ELSE"
	    " (SELECT a.at - coalesce((SELECT s.at FROM case_events s"
	    "   WHERE s.case_id = c.id AND s.id < a.id AND (s.kind = 'created'"
	    "   OR s.kind = 'transferred' OR s.kind = 'reopened')"
	    "   ORDER BY s.id DESC LIMIT 1), c.created_at)"
	    "  FROM case_events a WHERE a.case_id = c.id AND a.kind = 'accepted'"
	    "  AND NOT EXISTS (SELECT 1 FROM case_events t WHERE t.case_id = c.id"
	    "   AND t.id > a.id AND t.kind = 'transferred')"
	    "  ORDER BY a.id DESC LIMIT 1) END,"
	    " c.resolved_at IS NOT NULL, c.rating, (c.flags & 4) != 0"
	    " FROM cases c WHERE c.deputy = ?1 AND c.created_at >= ?2"
	    " AND c.created_at < ?3 AND c.status <> 'cancelled'");

	store_bind_text(stmt, 1, deputy, -1, STORE_TRANSIENT);
	store_bind_int64(stmt, 2, from);
	store_bind_int64(stmt, 3, to);
	return stmt;
}

/*
 * 民主评议 over the cases of [from, to), withdrawn ones left out: one row
 * per department that a dispatch event names ("department=ID days=N",
 * written by dialogs/staff.c), with the cases dispatched to it (once each,
 * however often), and of those still with it (the last dispatch went to
 * it), the resolved ones, those resolved by the due date, and the mean
 * rating (NULL when none was rated).
 */
struct store_stmt *
store_report_departments(struct store *st, int64_t from, int64_t to)
{
	struct store_stmt	*stmt = store_stmt(st, "SELECT d.dept, count(*),"
	    " sum(c.department = d.dept AND c.resolved_at IS NOT NULL),"
	    " sum(c.department = d.dept AND c.resolved_at IS NOT NULL"
	    "  AND c.due_at IS NOT NULL AND c.resolved_at <= c.due_at),"
	    " avg(CASE WHEN c.department = d.dept THEN c.rating END)"
	    " FROM (SELECT DISTINCT e.case_id AS id,"
	    "  substr(e.detail, 12, instr(e.detail || ' ', ' ') - 12) AS dept"
	    "  FROM cases k JOIN case_events e ON e.case_id = k.id"
	    "  WHERE k.created_at >= ?1 AND k.created_at < ?2"
	    "  AND k.status <> 'cancelled' AND k.dispatched_at IS NOT NULL"
	    "  AND e.kind = 'dispatched' AND substr(e.detail, 1, 11) = 'department=') d"
	    " JOIN cases c ON c.id = d.id GROUP BY d.dept");

	store_bind_int64(stmt, 1, from);
	store_bind_int64(stmt, 2, to);
	return stmt;
}

/*
 * 高频诉求: category, grid ("-" when none), the requests of [from, to) and
 * of [before, from), withdrawn ones left out; most requested first.
 */
struct store_stmt *
store_report_hotspots(struct store *st, int64_t from, int64_t to, int64_t before)
{
	struct store_stmt	*stmt = store_stmt(st, "SELECT coalesce(category, '-'),"
	    " coalesce(grid, '-'), sum(created_at >= ?1), sum(created_at < ?1)"
	    " FROM cases WHERE created_at >= ?3 AND created_at < ?2"
	    " AND status <> 'cancelled'"
	    " GROUP BY 1, 2 HAVING sum(created_at >= ?1) > 0 ORDER BY 3 DESC, 1, 2");

	store_bind_int64(stmt, 1, from);
	store_bind_int64(stmt, 2, to);
	store_bind_int64(stmt, 3, before);
	return stmt;
}

/* What the sim channel "sent": id, address, body, created_at, in order. */
struct store_stmt *
store_outbox_list(struct store *st, const char *channel, const char *address,
    int64_t after, int limit)
{
	struct store_stmt	*stmt = store_stmt(st, address != NULL ?
			    "SELECT id, address, body, created_at FROM outbox WHERE channel = ?1"
			    " AND address = ?2 AND id > ?3 ORDER BY id LIMIT ?4" :
			    "SELECT id, address, body, created_at FROM outbox WHERE channel = ?1"
			    " AND id > ?3 ORDER BY id LIMIT ?4");

	store_bind_text(stmt, 1, channel, -1, STORE_TRANSIENT);
	if (address != NULL)
		store_bind_text(stmt, 2, address, -1, STORE_TRANSIENT);
	store_bind_int64(stmt, 3, after);
	store_bind_int(stmt, 4, limit);
	return stmt;
}

/* Statements the gateway prepares itself (store_stmt), kept here with the rest. */

/* gateway/conv.c */
/* What the classifier learns from: the final category of closed cases. */
const char SQL_CASES_LEARN[] =
    "SELECT category, description FROM cases WHERE status = 'closed'"
    " AND category IS NOT NULL AND description IS NOT NULL"
    " ORDER BY id DESC LIMIT ?1";

/* gateway/conv.c */
/* 同类诉求: the open cases of one place and category (partial index cases_open_group). */
/*
 * The first open case of a place and category and how many residents
 * have one open (the deputy's "已有N位群众反映"), from the index alone
 * (v14: cases_open_group holds number and citizen): the first entry for
 * the number, and the residents counted up to 100, so that a place with
 * thousands of open cases costs no more than one with a hundred.
 */
#define OPEN_GROUP_WHERE \
    " WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress'," \
    " 'reopened') AND grid = ?1 AND category = ?2"
const char SQL_OPEN_GROUP[] =
    "SELECT (SELECT min(number) FROM cases" OPEN_GROUP_WHERE "),"
    " (SELECT count(*) FROM (SELECT DISTINCT citizen FROM cases" OPEN_GROUP_WHERE
    " LIMIT 100) AS residents)";

/* gateway/inbound.c */
const char SQL_MSG_SAME[] =
    "SELECT address = ?3 AND body_hash = ?4 FROM messages"
    " WHERE channel = ?1 AND provider_id = ?2";

/* gateway/scheduler.c */
/* As gateway_schedule_tick's look (cases_sched), for one row. */
const char SQL_SCHED_DUE[] =
    "SELECT 1 FROM cases WHERE sched_at > 0 AND sched_at <= ?1 LIMIT 1";

/* PostgreSQL's forms of the statements above that it says otherwise
 * (store/pg.c; the rest run as written, ?N as $N). */
const struct store_dialect store_pg_query[] = {
	{ NULL, NULL },
};
