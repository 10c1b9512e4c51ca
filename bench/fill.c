/*
 * bench/fill.c: stores for the benchmark, made through store_open() so
 * that the real schema and its migrations apply.
 *
 *   fill cases DB N        N cases over the year before now, as a county's
 *                          would be: the older the case, the further along
 *                          the six orders (received ... closed), each with
 *                          its timeline (case_events)
 *   fill outbox DB N       N pending SMS in the outbox (channel "sms"), one
 *                          to each of N residents
 *
 * The grids, deputies and categories are those of config/minyi.example.json,
 * the config the benchmark serves.
 */
#include "../lib/lib.h"
#include "../store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FILL_CHUNK	50000	/* rows per transaction */
#define FILL_DAYS	365
#define FILL_CITIZENS	300000	/* distinct residents among the cases */

/* grid, its township, the deputy who gets its cases (the example config) */
static const char *const grids[][3] = {
	{ "liuxindian", "yangji", "d-niu" },
	{ "yangji", "yangji", "d-ma" },
	{ "dazhao", "wanglou", "d-guo" },
	{ "wanglou", "wanglou", "d-wang" },
	{ "puchengcun", "puchengzhen", "d-feng" },
	{ "yancunpu", "yancunpuxiang", "d-sun" },
};

/* category, its department, its tier */
static const char *const categories[][3] = {
	{ "streetlight", "power", "2" },
	{ "water", "water", "2" },
	{ "road", "transport", "3" },
	{ "sanitation", "sanitation", "1" },
	{ "market", "market", "2" },
	{ "safety", "safety", "2" },
	{ "elderly", "civil", "2" },
	{ "employment", "labor", "3" },
};

static const char SQL_CASE[] =
    "INSERT INTO cases(number, status, channel, citizen, grid, township,"
    " category, tier, description, place, deputy, department, language, flags,"
    " due_at, accepted_at, resolved_at, closed_at, rating, created_at,"
    " updated_at, reply_channel, reply_address, assigned_at, dispatched_at,"
    " sched_at) VALUES (?1, ?2, 'sms', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " 'zh', 0, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 'sms', ?3, ?17, ?19, ?20)";

/* Each case's timeline, which the reports read (the accept delay, the
 * department a dispatch went to). */
static const char SQL_EVENT[] =
    "INSERT INTO case_events(case_id, at, actor, kind, to_status, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char SQL_OUTBOX[] =
    "INSERT INTO outbox(channel, address, body, kind, urgent, status, next_at,"
    " created_at, updated_at) VALUES ('sms', ?1, ?2, 'reply', 1, 'pending', ?3,"
    " ?3, ?3)";

static unsigned long long rng = 88172645463325252ULL;

/* xorshift64: the same store every run. */
static unsigned long
rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

static void
db_exec(sqlite3 *db, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fatalx("fill: %s: %s", sql, err ? err : sqlite3_errmsg(db));
}

/* The chunk's cases indexed for text search, as the writer does a batch. */
static void
fill_index(struct store *st)
{
	if (store_fts_flush(st) != 0)
		fatalx("fill: search index: %s", store_errmsg(st));
}

/* Where a case of this age (seconds) stands, by a county's usual pace. */
static const char *
case_status(int64_t age)
{
	unsigned long	 r = rnd(100);

	if (age < 86400)
		return r < 60 ? "received" : "accepted";
	if (age < 7 * 86400) {
		if (r < 10)
			return "received";
		if (r < 30)
			return "accepted";
		if (r < 50)
			return "dispatched";
		if (r < 70)
			return "in_progress";
		return r < 90 ? "resolved" : "closed";
	}
	if (r < 80)
		return "closed";
	if (r < 85)
		return "resolved";
	if (r < 90)
		return "reopened";
	return r < 95 ? "declined" : "cancelled";
}

static void
fill_event(struct store *st, int64_t case_id, int64_t at, const char *actor,
    const char *kind, const char *to, const char *detail)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_EVENT);

	store_bind_int64(stmt, 1, case_id);
	store_bind_int64(stmt, 2, at);
	store_bind_text(stmt, 3, actor, -1, STORE_STATIC);
	store_bind_text(stmt, 4, kind, -1, STORE_STATIC);
	store_bind_text(stmt, 5, to, -1, STORE_STATIC);
	if (detail != NULL)
		store_bind_text(stmt, 6, detail, -1, STORE_TRANSIENT);
	if (store_step(stmt) != STORE_DONE)
		fatalx("fill: event: %s", store_errmsg(st));
	store_reset(stmt);
}

static void
fill_cases(struct store *st, long n, int64_t now)
{
	sqlite3		*db = store_db(st);
	struct store_stmt	*stmt = store_stmt(st, SQL_CASE);
	char		 citizen[32], desc[64], detail[64];
	int64_t		 id;
	long		 i;

	db_exec(db, "BEGIN");
	for (i = 1; i <= n; i++) {
		const char *const *g = grids[rnd(nitems(grids))];
		const char *const *c = categories[rnd(nitems(categories))];
		/* numbers grow with time, as they are handed out */
		int64_t		 created = now - FILL_DAYS * 86400LL +
		    (int64_t)((double)FILL_DAYS * 86400.0 * (double)i / (double)n);
		const char	*status = case_status(now - created);
		bool		 accepted = strcmp(status, "received") != 0 &&
		    strcmp(status, "declined") != 0 && strcmp(status, "cancelled") != 0;
		bool		 resolved = strcmp(status, "resolved") == 0 ||
		    strcmp(status, "closed") == 0 || strcmp(status, "reopened") == 0;
		int64_t		 acc = created + 600 + (int64_t)rnd(30 * 3600);
		int64_t		 res = acc + 3600 + (int64_t)rnd(5 * 86400);
		bool		 open = strcmp(status, "closed") != 0 &&
		    strcmp(status, "declined") != 0 && strcmp(status, "cancelled") != 0;

		snprintf(citizen, sizeof(citizen), "+86139%08lu", rnd(FILL_CITIZENS));
		snprintf(desc, sizeof(desc), "%s case %ld", c[0], i);
		store_bind_int64(stmt, 1, i);
		store_bind_text(stmt, 2, status, -1, STORE_STATIC);
		store_bind_text(stmt, 3, citizen, -1, STORE_TRANSIENT);
		store_bind_text(stmt, 4, g[0], -1, STORE_STATIC);
		store_bind_text(stmt, 5, g[1], -1, STORE_STATIC);
		store_bind_text(stmt, 6, c[0], -1, STORE_STATIC);
		store_bind_int(stmt, 7, atoi(c[2]));
		store_bind_text(stmt, 8, desc, -1, STORE_TRANSIENT);
		store_bind_text(stmt, 9, g[0], -1, STORE_STATIC);
		store_bind_text(stmt, 10, g[2], -1, STORE_STATIC);
		if (accepted)
			store_bind_text(stmt, 11, c[1], -1, STORE_STATIC);
		if (accepted)
			store_bind_int64(stmt, 12, acc + 3 * 86400);
		if (accepted)
			store_bind_int64(stmt, 13, acc);
		if (resolved)
			store_bind_int64(stmt, 14, res);
		if (!open || strcmp(status, "reopened") == 0)
			store_bind_int64(stmt, 15, res + 86400);
		if (strcmp(status, "closed") == 0)
			store_bind_int(stmt, 16, 1 + (int)rnd(5));
		store_bind_int64(stmt, 17, created);
		store_bind_int64(stmt, 18, resolved ? res : accepted ? acc : created);
		if (accepted)
			store_bind_int64(stmt, 19, acc + 600);
		/* open cases are looked at by the scheduler when due */
		store_bind_int64(stmt, 20, open ? created + 86400 : 0);
		if (store_step(stmt) != STORE_DONE)
			fatalx("fill: case %ld: %s", i, sqlite3_errmsg(db));
		store_reset(stmt);
		sqlite3_clear_bindings(stmt->lite);
		id = sqlite3_last_insert_rowid(db);
		fill_event(st, id, created, "resident", "created", "received", NULL);
		if (accepted) {
			snprintf(detail, sizeof(detail), "department=%s days=3", c[1]);
			fill_event(st, id, acc, "deputy", "accepted", "accepted", NULL);
			fill_event(st, id, acc + 600, "deputy", "dispatched", "dispatched", detail);
		}
		if (resolved)
			fill_event(st, id, res, "department", "resolved", "resolved", NULL);
		if (strcmp(status, "reopened") == 0)
			fill_event(st, id, res + 86400, "resident", "reopened", "reopened", NULL);
		else if (strcmp(status, "closed") == 0)
			fill_event(st, id, res + 86400, "resident", "rated", "closed", NULL);
		else if (strcmp(status, "declined") == 0 || strcmp(status, "cancelled") == 0)
			fill_event(st, id, created + 3600, "deputy", status, status, NULL);
		if (i % FILL_CHUNK == 0) {
			fill_index(st);
			db_exec(db, "COMMIT");
			db_exec(db, "BEGIN");
		}
	}
	fill_index(st);
	db_exec(db, "COMMIT");
}

static void
fill_outbox(struct store *st, long n, int64_t now)
{
	sqlite3		*db = store_db(st);
	struct store_stmt	*stmt = store_stmt(st, SQL_OUTBOX);
	char		 to[32];
	long		 i;

	db_exec(db, "BEGIN");
	for (i = 1; i <= n; i++) {
		snprintf(to, sizeof(to), "+86137%08ld", i);
		store_bind_text(stmt, 1, to, -1, STORE_TRANSIENT);
		store_bind_text(stmt, 2, "您的诉求已受理，编号 42，已转刘辛店村牛代表。"
		    "回复“查询 42”查看进度。", -1, STORE_STATIC);
		store_bind_int64(stmt, 3, now);
		if (store_step(stmt) != STORE_DONE)
			fatalx("fill: outbox %ld: %s", i, sqlite3_errmsg(db));
		store_reset(stmt);
		if (i % FILL_CHUNK == 0) {
			db_exec(db, "COMMIT");
			db_exec(db, "BEGIN");
		}
	}
	db_exec(db, "COMMIT");
}

static void
usage(void)
{
	fprintf(stderr, "usage: fill cases|outbox DB N\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct store	*st;
	char		 err[256];
	int64_t		 now = (int64_t)time(NULL);
	long		 n;

	log_init(-1);
	if (argc != 4 || (n = atol(argv[3])) <= 0)
		usage();
	if ((st = store_open(argv[2], 0, "NORMAL", err, sizeof(err))) == NULL)
		fatalx("fill: %s", err);
	if (strcmp(argv[1], "cases") == 0)
		fill_cases(st, n, now);
	else if (strcmp(argv[1], "outbox") == 0)
		fill_outbox(st, n, now);
	else
		usage();
	store_close(st);
	return 0;
}
