/*
 * store/evaluation.c: every SQL statement over the tables of schema
 * version 8 (民主评议, 票决, deputies' duties), in one place, so that a
 * second backend is a second copy of this file.  gateway/evaluation.c
 * prepares them with store_stmt(), binds ?N and steps.
 */
#include "store_int.h"

/* evaluators: a township's pool, replaced whole by an import */
const char SQL_EVALUATORS_CLEAR[] =
    "DELETE FROM evaluators WHERE township = ?1";
const char SQL_EVALUATORS_INSERT[] =
    "INSERT INTO evaluators(township, name, phone, kind) VALUES (?1, ?2, ?3, ?4)";
const char SQL_EVALUATORS_COUNTS[] =
    "SELECT kind, count(*) FROM evaluators WHERE township = ?1 GROUP BY kind";
const char SQL_EVALUATORS_OF[] =
    "SELECT name, phone, kind FROM evaluators WHERE township = ?1";

/* rounds */
const char SQL_ROUND_INSERT[] =
    "INSERT INTO eval_rounds(name, townships, units, dimensions, opens, closes,"
    " year, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const char SQL_ROUND_GET[] =
    "SELECT id, name, townships, units, dimensions, opens, closes, year, seed,"
    " digest, drawn_count, opened, closed, ballots FROM eval_rounds"
    " WHERE id = ?1 OR name = ?2 ORDER BY id = ?1 DESC LIMIT 1";
const char SQL_ROUND_DRAWN[] =
    "UPDATE eval_rounds SET seed = ?2, digest = ?3, drawn_count = ?4"
    " WHERE id = ?1 AND seed IS NULL";
const char SQL_ROUND_OPENED[] =
    "UPDATE eval_rounds SET opened = 1 WHERE id = ?1";
const char SQL_ROUND_REMINDED[] =
    "UPDATE eval_rounds SET reminded = 1 WHERE id = ?1";
const char SQL_ROUND_CLOSED[] =
    "UPDATE eval_rounds SET closed = 1 WHERE id = ?1";
const char SQL_ROUND_BALLOT[] =
    "UPDATE eval_rounds SET ballots = ballots + 1 WHERE id = ?1";
/* what the scheduler has to do: open (1), remind (2), close (3) */
const char SQL_ROUNDS_DUE[] =
    "SELECT id, 1 FROM eval_rounds WHERE seed IS NOT NULL AND opened = 0"
    "  AND opens <= ?1"
    " AND closes > ?1"
    " UNION ALL SELECT id, 2 FROM eval_rounds WHERE opened = 1 AND reminded = 0"
    "  AND closed = 0 AND closes - ?2 <= ?1 AND closes > ?1"
    " UNION ALL SELECT id, 3 FROM eval_rounds WHERE opened = 1 AND closed = 0"
    "  AND closes <= ?1";
const char SQL_PREV_CRITICISED[] =
    "SELECT count(*) FROM eval_results WHERE unit = ?1 AND year = ?2"
    " AND criticised = 1";

/* the drawn list */
const char SQL_DRAWN_INSERT[] =
    "INSERT INTO eval_drawn(round_id, township, position, name, phone, kind)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const char SQL_DRAWN_LIST[] =
    "SELECT township, position, name, phone, kind, voted FROM eval_drawn"
    " WHERE round_id = ?1 ORDER BY township, position";
/* the evaluator's latest opened round (late answers included) */
const char SQL_DRAWN_BY_PHONE[] =
    "SELECT d.round_id, d.township, d.position, d.step, d.answers, d.voted,"
    " r.closes FROM eval_drawn d JOIN eval_rounds r ON r.id = d.round_id"
    " WHERE d.phone = ?1 AND r.opened = 1 ORDER BY r.closes DESC LIMIT 1";
const char SQL_DRAWN_SAVE[] =
    "UPDATE eval_drawn SET step = ?4, answers = ?5 WHERE round_id = ?1"
    " AND township = ?2 AND position = ?3";
/* counted: the answers go, a flag stays; nothing records when */
const char SQL_DRAWN_COUNTED[] =
    "UPDATE eval_drawn SET answers = NULL, voted = 1 WHERE round_id = ?1"
    " AND township = ?2 AND position = ?3";
const char SQL_DRAWN_TO_ASK[] =
    "SELECT d.township, d.position, d.name, d.phone, d.step, d.answers"
    " FROM eval_drawn d WHERE d.round_id = ?1 AND d.voted = 0"
    " AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.address = d.phone"
    "  AND r.opted_out = 1) ORDER BY d.township, d.position";
const char SQL_DRAWN_DROP_PARTIAL[] =
    "UPDATE eval_drawn SET answers = NULL WHERE round_id = ?1 AND voted = 0";

/* the tally: a count and a sum per question, nobody's ballot */
const char SQL_TALLY_ADD[] =
    "INSERT INTO eval_tally(round_id, unit, dimension, n, sum) VALUES"
    " (?1, ?2, ?3, 1, ?4) ON CONFLICT(round_id, unit, dimension) DO UPDATE"
    " SET n = eval_tally.n + 1, sum = eval_tally.sum + excluded.sum";
const char SQL_TALLY_UNIT[] =
    "SELECT sum(sum), sum(n) FROM eval_tally WHERE round_id = ?1 AND unit = ?2";
const char SQL_TALLY_DIM[] =
    "SELECT n, sum FROM eval_tally WHERE round_id = ?1 AND unit = ?2"
    " AND dimension = ?3";

/* the daily part: a unit's dispatched cases of the year */
const char SQL_UNIT_DAILY[] =
    "SELECT avg(rating), count(*),"
    " sum(resolved_at IS NOT NULL AND (due_at IS NULL OR resolved_at <= due_at))"
    " FROM cases WHERE department = ?1 AND dispatched_at IS NOT NULL"
    " AND created_at >= ?2 AND created_at < ?3";

/* overrides, results, rectification items */
const char SQL_OVERRIDE_INSERT[] =
    "INSERT INTO eval_overrides(round_id, unit, action, reason, actor, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const char SQL_OVERRIDE_GET[] =
    "SELECT reason, actor, at FROM eval_overrides WHERE round_id = ?1"
    " AND unit = ?2";
const char SQL_RESULT_PUT[] =
    "INSERT INTO eval_results(round_id, unit, year, score, rank, criticised)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(round_id, unit) DO UPDATE"
    " SET year = excluded.year, score = excluded.score, rank = excluded.rank,"
    " criticised = excluded.criticised";
const char SQL_ITEM_INSERT[] =
    "INSERT INTO eval_items(round_id, unit, text, deadline, opened_by,"
    " opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const char SQL_ITEM_CLOSE[] =
    "UPDATE eval_items SET closed_at = ?2, note = ?3 WHERE id = ?1"
    " AND closed_at IS NULL";
const char SQL_ITEMS_LIST[] =
    "SELECT id, round_id, unit, text, deadline, opened_by, opened_at,"
    " closed_at, note FROM eval_items ORDER BY id";
const char SQL_ITEMS_DUE[] =
    "SELECT id, unit, text, deadline FROM eval_items WHERE closed_at IS NULL"
    " AND deadline <= ?1 AND (chased_at IS NULL OR chased_at <= ?1 - 86400)"
    " ORDER BY id";
const char SQL_ITEM_CHASED[] =
    "UPDATE eval_items SET chased_at = ?2 WHERE id = ?1";

/* 票决 */
const char SQL_VOTE_INSERT[] =
    "INSERT INTO vote_rounds(title, opens, closes, voters, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
const char SQL_VOTE_PROJECT_INSERT[] =
    "INSERT INTO vote_projects(round_id, position, title, supervisors)"
    " VALUES (?1, ?2, ?3, ?4)";
const char SQL_VOTE_VOTER_INSERT[] =
    "INSERT INTO vote_voters(round_id, deputy, phone) VALUES (?1, ?2, ?3)";
const char SQL_VOTE_GET[] =
    "SELECT id, title, opens, closes, voters, opened FROM vote_rounds"
    " WHERE id = ?1";
const char SQL_VOTE_LIST[] =
    "SELECT id, title, opens, closes FROM vote_rounds ORDER BY id DESC";
const char SQL_VOTE_PROJECTS[] =
    "SELECT position, title, supervisors, yes, no, abstain, case_number"
    " FROM vote_projects"
    " WHERE round_id = ?1 ORDER BY position";
const char SQL_VOTES_DUE[] =
    "SELECT id FROM vote_rounds WHERE opened = 0 AND opens <= ?1";
const char SQL_VOTE_OPENED[] =
    "UPDATE vote_rounds SET opened = 1 WHERE id = ?1";
const char SQL_VOTE_VOTERS[] =
    "SELECT deputy, phone FROM vote_voters WHERE round_id = ?1 ORDER BY deputy";
const char SQL_VOTER_BY_PHONE[] =
    "SELECT v.round_id, v.deputy, v.step, v.answers, v.voted, r.closes"
    " FROM vote_voters v JOIN vote_rounds r ON r.id = v.round_id"
    " WHERE v.phone = ?1 AND r.opened = 1 ORDER BY r.closes DESC LIMIT 1";
const char SQL_VOTER_SAVE[] =
    "UPDATE vote_voters SET step = ?3, answers = ?4 WHERE round_id = ?1"
    " AND deputy = ?2";
const char SQL_VOTER_COUNTED[] =
    "UPDATE vote_voters SET answers = NULL, voted = 1 WHERE round_id = ?1"
    " AND deputy = ?2";
const char SQL_VOTE_TURNOUT[] =
    "SELECT count(*) FROM vote_voters WHERE round_id = ?1 AND voted = 1";
/* ?3: 1 yes, 2 no, 3 abstain */
const char SQL_VOTE_COUNT[] =
    "UPDATE vote_projects SET yes = yes + CASE WHEN ?3 = 1 THEN 1 ELSE 0 END,"
    " no = no + CASE WHEN ?3 = 2 THEN 1 ELSE 0 END,"
    " abstain = abstain + CASE WHEN ?3 = 3 THEN 1 ELSE 0 END"
    " WHERE round_id = ?1 AND position = ?2";

/* a tracked item: an adopted project or a 民意 that is a request becomes a
 * case its deputy has taken (代表定单 done); the scheduler's first tick
 * sets its sched_at */
const char SQL_CASE_TRACKED[] =
    "INSERT INTO cases(number, status, channel, citizen, grid, township,"
    " category, tier, description, deputy, language, created_at, updated_at,"
    " accepted_at, assigned_at, reply_channel, reply_address, sched_at)"
    " VALUES ((SELECT coalesce(max(number), 0) + 1 FROM cases), 'accepted',"
    " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?10, ?10, ?1, ?2, 1)";
const char SQL_CASE_NUMBER_OF[] =
    "SELECT number FROM cases WHERE id = ?1";
const char SQL_VOTE_PROJECT_TRACK[] =
    "UPDATE vote_projects SET case_number = ?3 WHERE round_id = ?1"
    " AND position = ?2 AND case_number IS NULL";

/* deputies' duties */
const char SQL_DUTY_INSERT[] =
    "INSERT INTO duties(deputy, kind, count, text, status, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const char SQL_DUTY_CASE[] =
    "UPDATE duties SET case_number = ?2 WHERE id = ?1";
const char SQL_DUTY_LIST[] =
    "SELECT id, deputy, kind, count, text, status, note, case_number, at"
    " FROM duties WHERE (CAST(?1 AS TEXT) IS NULL OR kind = ?1) ORDER BY id";
const char SQL_DUTY_GET[] =
    "SELECT deputy, kind, status FROM duties WHERE id = ?1";
const char SQL_DUTY_STATUS[] =
    "UPDATE duties SET status = ?2, note = ?3 WHERE id = ?1";
const char SQL_DUTY_SUMS[] =
    "SELECT kind, sum(count), count(*) FROM duties WHERE deputy = ?1"
    " AND at >= ?2 AND at < ?3 GROUP BY kind";
const char SQL_DUTY_REPORT_MONTHS[] =
    "SELECT count(DISTINCT strftime('%Y-%m', at + ?4, 'unixepoch'))"
    " FROM duties WHERE deputy = ?1 AND kind = 'report' AND at >= ?2"
    " AND at < ?3";
const char SQL_DEPUTY_CASES[] =
    "SELECT sum(accepted_at IS NOT NULL AND accepted_at - coalesce(assigned_at,"
    "  created_at) <= ?4), sum(resolved_at IS NOT NULL), avg(rating)"
    " FROM cases WHERE deputy = ?1 AND created_at >= ?2 AND created_at < ?3";

/* the 公示 by SMS, queued from the CLI for the server's sender (held as
 * conv.c's rows are, behind a recipient's row still going) */
const char SQL_OUTBOX_QUEUE[] =
    "INSERT INTO outbox(channel, address, body, kind, urgent, status, next_at,"
    " created_at, updated_at, held) VALUES (?1, ?2, ?3, 'publication', 1,"
    " 'pending', ?4, ?4, ?4, CASE WHEN EXISTS (SELECT 1 FROM outbox p"
    " WHERE p.channel = ?1 AND p.address = ?2"
    " AND (p.status = 'pending' OR p.status = 'sending')) THEN 1 ELSE 0 END)";

/* anonymity: the text of a message that answered a ballot goes */
const char SQL_MESSAGE_SCRUB[] =
    "UPDATE messages SET body = '', params = NULL, body_hash = NULL"
    " WHERE id = ?1";
const char SQL_RESIDENT_OPTED_OUT[] =
    "SELECT opted_out FROM residents WHERE address = ?1";

/* PostgreSQL's forms of the statements above that it says otherwise
 * (store/pg.c; the rest run as written, ?N as $N). */
const struct store_dialect store_pg_evaluation[] = {
	{ SQL_DUTY_REPORT_MONTHS,
	  "SELECT count(DISTINCT to_char(to_timestamp(at + $4) AT TIME ZONE 'UTC',"
	  " 'YYYY-MM')) FROM duties WHERE deputy = $1 AND kind = 'report'"
	  " AND at >= $2 AND at < $3" },
	/* a case number from the sequence, as every case on PostgreSQL */
	{ SQL_CASE_TRACKED,
	  "INSERT INTO cases(number, status, channel, citizen, grid, township,"
	  " category, tier, description, deputy, language, created_at, updated_at,"
	  " accepted_at, assigned_at, reply_channel, reply_address, sched_at)"
	  " VALUES (nextval('case_number'), 'accepted',"
	  " $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $10, $1, $2, 1)" },
	{ NULL, NULL },
};
