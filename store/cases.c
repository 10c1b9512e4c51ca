/*
 * store/cases.c: the statements of the case workflow as the staff and the
 * scheduler drive it (gateway/staff.c): a case with its last events as
 * the staff dialog sees it, the update a step makes (only the columns it
 * sets), the rating it records, the open cases a deputy, staff member or
 * department lists, and the scheduler's look for cases due.  Prepared
 * with store_stmt() on the writer's connection.
 */
#include "store_int.h"

const char SQL_VIEW_CASE[] =
    "SELECT " STORE_VIEW_COLUMNS " FROM cases WHERE number = ?1";
const char SQL_VIEW_EVENTS[] =
    "SELECT at, actor, kind, from_status, to_status, detail"
    " FROM case_events WHERE case_id = ?1 ORDER BY id DESC LIMIT ?2";
/*
 * A deputy's or staff member's open cases (列表): those they hold (?1),
 * supervise (票决), of their grids (?3) or townships (?4, JSON arrays),
 * and for county staff (?5) every triage or county-tier case.
 */
const char SQL_VIEW_MINE[] =
    "SELECT " STORE_VIEW_COLUMNS " FROM cases WHERE status"
    " NOT IN ('closed', 'declined', 'cancelled') AND (deputy = ?1"
    " OR number IN " SQL_CASES_SUPERVISED_BY
    " OR grid IN (SELECT value FROM json_each(?3))"
    " OR township IN (SELECT value FROM json_each(?4))"
    " OR (?5 AND ((flags & 1) <> 0 OR tier >= 3)))"
    " ORDER BY created_at, id LIMIT ?2";
/* A department's cases in hand, led (?1) or assisted (case_assists, v15). */
const char SQL_VIEW_DEPARTMENT[] =
    "SELECT " STORE_VIEW_COLUMNS " FROM cases WHERE"
    " (department = ?1 OR id IN (SELECT case_id FROM case_assists WHERE department = ?1))"
    " AND status IN ('dispatched', 'in_progress')"
    " ORDER BY created_at, id LIMIT ?2";
const char SQL_RATING_INSERT[] =
    "INSERT INTO ratings(case_id, score, comment, at)"
    " SELECT id, ?2, ?3, ?4 FROM cases WHERE number = ?1";
const char SQL_CASE_RESCHEDULE[] =
    "UPDATE cases SET sched_at = ?2 WHERE number = ?1";
/* The cases whose next look is due (?1 now), soonest first. */
const char SQL_SCHED_LOOK[] =
    "SELECT number FROM cases WHERE sched_at > 0"
    " AND sched_at <= ?1 ORDER BY sched_at LIMIT ?2";

/* The optional columns of store_case_update, in mask order. */
static const struct {
	unsigned	 bit;
	const char	*set;
} case_sets[] = {
	{ SCU_TIER, ", tier = ?20" },
	{ SCU_ASSIST, ", assist = nullif(?21, '')" },
	{ SCU_INSTRUCTION, ", instruction = nullif(?22, '')" },
	{ SCU_STATUS, ", status = ?4" },
	{ SCU_DEPUTY, ", deputy = ?5" },
	{ SCU_DEPARTMENT, ", department = ?6" },
	{ SCU_GRID, ", grid = ?7" },
	{ SCU_TOWNSHIP, ", township = ?8" },
	{ SCU_RATING, ", rating = ?9, rating_comment = ?10" },
	{ SCU_ASSIGNED_AT, ", assigned_at = ?11" },
	{ SCU_ACCEPTED_AT, ", accepted_at = ?12" },
	{ SCU_DISPATCHED_AT, ", dispatched_at = ?13" },
	{ SCU_DUE_AT, ", due_at = ?14" },
	{ SCU_RESOLVED_AT, ", resolved_at = ?15" },
	{ SCU_CLOSED_AT, ", closed_at = ?16" },
	{ SCU_REMINDED_AT, ", reminded_at = ?17" },
	{ SCU_ESCALATED_AT, ", escalated_at = ?18" },
};

struct store_stmt *
store_case_update(struct store *st, unsigned mask)
{
	struct buf	 sql;
	struct store_stmt	*stmt;
	size_t		 i;

	buf_init(&sql, 0);
	buf_addstr(&sql, "UPDATE cases SET updated_at = ?1, flags = (flags | ?3) & ~CAST(?19 AS BIGINT)");
	for (i = 0; i < nitems(case_sets); i++)
		if (mask & case_sets[i].bit)
			buf_addstr(&sql, case_sets[i].set);
	buf_addstr(&sql, " WHERE number = ?2");
	stmt = store_stmt(st, buf_str(&sql));
	buf_free(&sql);
	return stmt;
}

/* PostgreSQL's forms of the statements above that it says otherwise
 * (store/pg.c; the rest run as written, ?N as $N). */
const struct store_dialect store_pg_cases[] = {
	/* a staff command or a tick holds the case it moves (several nodes) */
	{ SQL_VIEW_CASE,
	  "SELECT " STORE_VIEW_COLUMNS " FROM cases WHERE number = $1 FOR UPDATE OF cases" },
	/* the due cases another node's tick holds are its own */
	{ SQL_SCHED_LOOK,
	  "SELECT number FROM cases WHERE sched_at > 0 AND sched_at <= $1"
	  " ORDER BY sched_at LIMIT $2 FOR UPDATE SKIP LOCKED" },
	{ NULL, NULL },
};
