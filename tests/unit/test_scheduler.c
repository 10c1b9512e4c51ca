/*
 * tests/unit/test_scheduler.c: the scheduler's shell (督办) with an
 * injected clock.  The real shell functions (gateway_conv_handle,
 * gateway_staff_handle, gateway_schedule_tick) run against a real SQLite
 * file in a temporary directory and the example config; each test makes
 * cases through the resident dialog and staff commands at chosen times,
 * then ticks the scheduler at chosen times and reads what it stored: the
 * outbox rows, the case's columns and its events.  Each reminder and
 * escalation fires once at its time, quiet hours hold and release, and a
 * restart (store closed, gateway rebuilt) between ticks neither loses nor
 * repeats one.
 *
 * The example county: grid liuxindian (deputy d-niu, backup d-zhao) in
 * township yangji (chair d-zhao); grid yangji (deputies d-ma, d-zhao,
 * backup d-liu); department power 县供电公司; deadlines accept 24 h,
 * escalate 48 h, rating 72 h; quiet hours 22:00-08:00 Asia/Shanghai.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../gateway/gateway.h"
#include "../../store/store_int.h"
#include "../../dialogs/dialogs.h"

#define EXAMPLE		"config/minyi.example.json"

/* 2026-11-23 10:00 in Asia/Shanghai (02:00 UTC) */
#define T0		INT64_C(1795399200)
#define MIN		INT64_C(60)
#define HOUR		INT64_C(3600)
#define DAY		INT64_C(86400)

#define PH_RES		"+8613800138000"	/* a resident of 刘辛店村 */
#define PH_RES2		"+8613800138001"	/* another resident */
#define PH_NIU		"+8613900139000"	/* d-niu, deputy of liuxindian */
#define PH_ZHAO		"+8613900139001"	/* d-zhao: backup and township chair */
#define PH_MA		"+8613700137000"	/* d-ma, first deputy of grid yangji */
#define PH_LIU		"+8613700137001"	/* d-liu: backup of grid yangji */
#define PH_POWER	"+8615000150001"	/* department power */

#define LIGHT		"刘辛店村村口路灯不亮"
#define LIGHT_YANGJI	"杨集村村口路灯不亮"

/* The gateway as the server builds it, without threads, over one file. */
struct fix {
	struct gateway	 gw;	/* cfg, channels and tix owned; no threads */
	struct store	*st;	/* the one connection, owned */
};

static char	 tmpdir[64];	/* mkdtemp'd by the group setup */
static char	 dbpath[128];	/* this test's database */
static int	 dbseq;

/* One outbox row, as a test reads it. */
struct outrow {
	int64_t	 id;
	int64_t	 next_at;
	int64_t	 case_id;
	int	 urgent;
	char	 channel[16];
	char	 address[96];
	char	 kind[16];
	char	 status[16];
	char	 body[768];
};

#define OUT_MAX	16

/* --- the fixture ------------------------------------------------------------------ */

static void
fix_open(struct fix *f)
{
	struct config_errors	 errs;
	struct gateway		*gw = &f->gw;
	char			 err[256];
	size_t			 i;

	memset(f, 0, sizeof(*f));
	gw->generation = 1;	/* the only one: never reloaded */
	gw->root = gw;
	atomic_init(&gw->current, gw);
	memset(&errs, 0, sizeof(errs));
	config_set_channel_check(adapter_check_config);
	gw->cfg = config_load(EXAMPLE, &errs);
	for (i = 0; i < errs.n; i++)
		print_message("%s\n", errs.lines[i]);
	config_errors_free(&errs);
	assert_non_null(gw->cfg);
	/* Channels bound, not opened: the tests never send. */
	gw->nchannels = gw->cfg->nchannels;
	gw->channels = xcalloc(gw->nchannels, sizeof(*gw->channels));
	for (i = 0; i < gw->nchannels; i++) {
		gw->channels[i].ad = adapter_lookup(gw->cfg->channels[i].adapter);
		gw->channels[i].conf = &gw->cfg->channels[i];
		gw->channels[i].cfg = gw->cfg;
		assert_non_null(gw->channels[i].ad);
	}
	gw->tix = text_index_new(gw->cfg);
	f->st = store_open(dbpath, 0, NULL, err, sizeof(err));
	if (f->st == NULL)
		print_message("store_open %s: %s\n", dbpath, err);
	assert_non_null(f->st);
}

static void
fix_close(struct fix *f)
{
	store_close(f->st);
	text_index_free(f->gw.tix);
	free(f->gw.channels);
	config_free(f->gw.cfg);
	memset(f, 0, sizeof(*f));
}

/* A restart: the store closed and the gateway built anew from the file. */
static void
fix_restart(struct fix *f)
{
	fix_close(f);
	fix_open(f);
}

static int
group_setup(void **state)
{
	(void)state;
	log_init(-1);
	strlcpy(tmpdir, "/tmp/minyi-sched-XXXXXX", sizeof(tmpdir));
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

static void
db_unlink(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char	 p[160];
	size_t	 i;

	for (i = 0; i < nitems(sfx); i++) {
		snprintf(p, sizeof(p), "%s%s", dbpath, sfx[i]);
		unlink(p);
	}
}

static int
setup(void **state)
{
	struct fix	*f = xcalloc(1, sizeof(*f));

	snprintf(dbpath, sizeof(dbpath), "%s/t%d.db", tmpdir, ++dbseq);
	fix_open(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	fix_close(f);
	free(f);
	db_unlink();
	return 0;
}

/* --- driving the shell ------------------------------------------------------------ */

static void
begin(struct fix *f)
{
	assert_int_equal(store_exec(f->st, "BEGIN IMMEDIATE"), 0);
}

static void
commit(struct fix *f)
{
	store_stmt_reset_all(f->st);
	assert_int_equal(store_exec(f->st, "COMMIT"), 0);
}

/* A message from a phone on channel chan at now, through the conversation shell. */
static void
says(struct fix *f, const char *chan, const char *from, const char *text, int64_t now)
{
	struct channel	*ch = gateway_channel(&f->gw, chan);
	struct inbound	 m;

	assert_non_null(ch);
	memset(&m, 0, sizeof(m));
	m.from = (char *)(uintptr_t)from;
	m.text = (char *)(uintptr_t)text;
	m.addressed = true;
	begin(f);
	assert_int_equal(gateway_conv_handle(f->st, &f->gw, ch, &m, NULL, 0, 1, now), 0);
	commit(f);
}

/* A staff command from phone at now (answered on the sim channel); handled. */
static void
staff(struct fix *f, const char *phone, const char *text, int64_t now)
{
	begin(f);
	assert_int_equal(gateway_staff_handle(f->st, &f->gw, phone, text, "sim", phone,
	    1, now), 1);
	commit(f);
}

/* The scheduler's tick at now: the number of cases it looked at. */
static int
tick(struct fix *f, int64_t now)
{
	int	 n;

	begin(f);
	n = gateway_schedule_tick(f->st, &f->gw, now, 100);
	commit(f);
	assert_true(n >= 0);
	return n;
}

/* --- reading the store ------------------------------------------------------------ */

/* The first column of the first row of a query (NULL and no row read as 0);
 * the arguments are the tests' own constants, put in quotes by fmt. */
static int64_t PRINTF_LIKE(2, 3)
qint(struct fix *f, const char *fmt, ...)
{
	sqlite3_stmt	*stmt = NULL;
	va_list		 ap;
	char		*sql;
	int64_t		 v = 0;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_free(sql);
	return v;
}

static int64_t
case_col(struct fix *f, long number, const char *col)
{
	return qint(f, "SELECT coalesce(%s, 0) FROM cases WHERE number = %ld", col, number);
}

static char *
case_str(struct fix *f, long number, const char *col, char *out, size_t outsz)
{
	sqlite3_stmt	*stmt = NULL;
	char		*sql;

	sql = sqlite3_mprintf("SELECT %s FROM cases WHERE number = %ld", col, number);
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), sql, -1, &stmt, NULL),
	    SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL)
		strlcpy(out, (const char *)sqlite3_column_text(stmt, 0), outsz);
	sqlite3_finalize(stmt);
	sqlite3_free(sql);
	return out;
}

static void
case_is(struct fix *f, long number, const char *col, const char *want)
{
	char	 buf[64];

	assert_string_equal(case_str(f, number, col, buf, sizeof(buf)), want);
}

static int64_t
events(struct fix *f, long number, const char *kind)
{
	return qint(f, "SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id"
	    " WHERE c.number = %ld AND e.kind = '%s'", number, kind);
}

static int64_t
outbox_mark(struct fix *f)
{
	return qint(f, "SELECT coalesce(max(id), 0) FROM outbox");
}

/* The outbox rows after mark, in id order, into rows[OUT_MAX]; how many. */
static size_t
outbox_since(struct fix *f, int64_t mark, struct outrow *rows)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 n = 0;

	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), "SELECT id, next_at,"
	    " coalesce(case_id, 0), urgent, channel, address, kind, status, body"
	    " FROM outbox WHERE id > ?1 ORDER BY id", -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, mark);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct outrow *r = &rows[n];
		assert_true(n < OUT_MAX);
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(stmt, 0);
		r->next_at = sqlite3_column_int64(stmt, 1);
		r->case_id = sqlite3_column_int64(stmt, 2);
		r->urgent = sqlite3_column_int(stmt, 3);
		strlcpy(r->channel, (const char *)sqlite3_column_text(stmt, 4), sizeof(r->channel));
		strlcpy(r->address, (const char *)sqlite3_column_text(stmt, 5), sizeof(r->address));
		strlcpy(r->kind, (const char *)sqlite3_column_text(stmt, 6), sizeof(r->kind));
		strlcpy(r->status, (const char *)sqlite3_column_text(stmt, 7), sizeof(r->status));
		strlcpy(r->body, (const char *)sqlite3_column_text(stmt, 8), sizeof(r->body));
		n++;
	}
	sqlite3_finalize(stmt);
	return n;
}

/* The row of rows[n] to address, failing unless there is exactly one. */
static const struct outrow *
row_to(const struct outrow *rows, size_t n, const char *address)
{
	const struct outrow	*found = NULL;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].address, address) == 0) {
			if (found != NULL)
				fail_msg("two rows to %s", address);
			found = &rows[i];
		}
	if (found == NULL)
		fail_msg("no row to %s", address);
	return found;
}

/* A scheduler's message: kind, held or not, about case number. */
static void
check_reminder(struct fix *f, const struct outrow *r, long number, const char *kind,
    int64_t next_at)
{
	char	 needle[32];

	snprintf(needle, sizeof(needle), "诉求%ld", number);
	assert_string_equal(r->kind, kind);
	assert_int_equal(r->urgent, 0);
	if (r->next_at != next_at)
		fail_msg("row %lld next_at %+lld s off", (long long)r->id,
		    (long long)(r->next_at - next_at));
	assert_non_null(strstr(r->body, needle));
	assert_true(r->case_id == case_col(f, number, "id"));
}

/*
 * The case as schedule_next reads it, from its stored columns, and the
 * check that its sched_at is what schedule_next says.
 */
static int64_t
check_sched(struct fix *f, long number)
{
	struct case_view	 v;
	char			 status[32];
	int64_t			 want, got;

	memset(&v, 0, sizeof(v));
	v.number = number;
	v.status = case_str(f, number, "status", status, sizeof(status));
	v.flags = (int)case_col(f, number, "flags");
	v.created_at = case_col(f, number, "created_at");
	v.assigned_at = case_col(f, number, "assigned_at");
	v.accepted_at = case_col(f, number, "accepted_at");
	v.dispatched_at = case_col(f, number, "dispatched_at");
	v.due_at = case_col(f, number, "due_at");
	v.resolved_at = case_col(f, number, "resolved_at");
	v.closed_at = case_col(f, number, "closed_at");
	v.reminded_at = case_col(f, number, "reminded_at");
	v.escalated_at = case_col(f, number, "escalated_at");
	want = schedule_next(f->gw.cfg, &v);
	got = case_col(f, number, "sched_at");
	if (got != want)
		fail_msg("case %ld sched_at %lld, schedule_next %lld", number,
		    (long long)got, (long long)want);
	return got;
}

/* A new case from resident from about text at t; its number. */
static long
new_case(struct fix *f, const char *chan, const char *from, const char *text, int64_t t)
{
	int64_t	 before = qint(f, "SELECT count(*) FROM cases");
	long	 number;

	says(f, chan, from, text, t);
	assert_int_equal(qint(f, "SELECT count(*) FROM cases"), before + 1);
	number = (long)qint(f, "SELECT max(number) FROM cases");
	assert_true(case_col(f, number, "created_at") == t);
	check_sched(f, number);
	return number;
}

/* --- not accepted: the reminder, then escalation ----------------------------------- */

/* Nothing before accept_hours; at it one reminder to the deputy, once. */
static void
test_accept_reminder_once(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	case_is(f, n, "deputy", "d-niu");
	assert_true(case_col(f, n, "sched_at") == T0 + 24 * HOUR);
	mark = outbox_mark(f);

	/* just before: the case is not even looked at */
	assert_int_equal(tick(f, T0 + 24 * HOUR - 1), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_true(case_col(f, n, "reminded_at") == 0);

	/* at accept_hours: one reminder to d-niu */
	assert_int_equal(tick(f, T0 + 24 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	assert_string_equal(rows[0].address, PH_NIU);
	check_reminder(f, &rows[0], n, "reminder", T0 + 24 * HOUR);
	assert_true(case_col(f, n, "reminded_at") == T0 + 24 * HOUR);
	assert_true(case_col(f, n, "flags") & CASE_FLAG_REMINDED);
	assert_false(case_col(f, n, "flags") & CASE_FLAG_ESCALATED);
	assert_int_equal(events(f, n, "reminded"), 1);
	case_is(f, n, "status", "received");
	assert_true(check_sched(f, n) == T0 + 48 * HOUR);

	/* the same time again, and later before escalate_hours: nothing */
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 0);
	assert_int_equal(tick(f, T0 + 30 * HOUR), 0);
	assert_int_equal(tick(f, T0 + 48 * HOUR - 1), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_int_equal(events(f, n, "reminded"), 1);
	assert_true(case_col(f, n, "reminded_at") == T0 + 24 * HOUR);
}

/* At escalate_hours the backup and chair (both d-zhao here) are told, once. */
static void
test_escalate_once(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 1);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 48 * HOUR), 1);
	/* d-zhao is grid liuxindian's backup and township yangji's chair: one message */
	assert_int_equal(outbox_since(f, mark, rows), 1);
	assert_string_equal(rows[0].address, PH_ZHAO);
	check_reminder(f, &rows[0], n, "reminder", T0 + 48 * HOUR);
	assert_non_null(strstr(rows[0].body, "牛代表"));
	assert_true(case_col(f, n, "escalated_at") == T0 + 48 * HOUR);
	assert_true(case_col(f, n, "flags") & CASE_FLAG_ESCALATED);
	assert_int_equal(events(f, n, "escalated"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM case_events WHERE kind = 'escalated'"
	    " AND detail = 'to=d-zhao'"), 1);
	assert_int_equal(events(f, n, "reminded"), 1);
	case_is(f, n, "status", "received");
	/* nothing left to do for it: it leaves the scheduler's index */
	assert_true(check_sched(f, n) == 0);

	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 48 * HOUR), 0);
	assert_int_equal(tick(f, T0 + 30 * DAY), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_int_equal(events(f, n, "escalated"), 1);
	assert_int_equal(events(f, n, "reminded"), 1);
}

/* Grid yangji: backup d-liu and chair d-zhao differ, both told; d-ma reminded. */
static void
test_escalate_backup_and_chair(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 n;

	n = new_case(f, "sim", PH_RES2, LIGHT_YANGJI, T0);
	case_is(f, n, "grid", "yangji");
	case_is(f, n, "deputy", "d-ma");
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	check_reminder(f, row_to(rows, 1, PH_MA), n, "reminder", T0 + 24 * HOUR);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 48 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, row_to(rows, 2, PH_LIU), n, "reminder", T0 + 48 * HOUR);
	check_reminder(f, row_to(rows, 2, PH_ZHAO), n, "reminder", T0 + 48 * HOUR);
	assert_int_equal(qint(f, "SELECT count(*) FROM case_events WHERE kind = 'escalated'"
	    " AND detail = 'to=d-liu,d-zhao'"), 1);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 49 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
}

/* A scheduler down past both deadlines catches up with both, once each. */
static void
test_catch_up_after_downtime(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	mark = outbox_mark(f);
	fix_restart(f);
	assert_int_equal(tick(f, T0 + 50 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, row_to(rows, 2, PH_NIU), n, "reminder", T0 + 50 * HOUR);
	check_reminder(f, row_to(rows, 2, PH_ZHAO), n, "reminder", T0 + 50 * HOUR);
	assert_int_equal(events(f, n, "reminded"), 1);
	assert_int_equal(events(f, n, "escalated"), 1);
	assert_true(check_sched(f, n) == 0);
	fix_restart(f);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 51 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
}

/*
 * Transferred after the reminder: the new deputy gets the full time again,
 * and its escalation tells no one who already has the case (d-zhao is the
 * backup and the chair).
 */
static void
test_transfer_rearms(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, t = T0 + 30 * HOUR;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 1);
	staff(f, PH_NIU, "转 1 赵代表", t);
	case_is(f, n, "deputy", "d-zhao");
	case_is(f, n, "status", "received");
	assert_true(case_col(f, n, "assigned_at") == t);
	assert_true(check_sched(f, n) == t + 24 * HOUR);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 48 * HOUR), 0);	/* the old escalation is gone */
	assert_int_equal(tick(f, t + 24 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	check_reminder(f, row_to(rows, 1, PH_ZHAO), n, "reminder", t + 24 * HOUR);
	assert_int_equal(events(f, n, "reminded"), 2);
	fix_restart(f);
	assert_int_equal(tick(f, t + 48 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM case_events WHERE kind = 'escalated'"
	    " AND detail = 'to=-'"), 1);
	assert_true(case_col(f, n, "flags") & CASE_FLAG_ESCALATED);
	assert_true(check_sched(f, n) == 0);
}

/* --- restart in between ------------------------------------------------------------- */

/* Restarts before, between and after the firings: none lost, none repeated. */
static void
test_restart_between_ticks(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	mark = outbox_mark(f);
	fix_restart(f);
	assert_int_equal(tick(f, T0 + 23 * HOUR), 0);
	fix_restart(f);
	assert_int_equal(tick(f, T0 + 24 * HOUR + 5), 1);	/* late by 5 s */
	assert_int_equal(outbox_since(f, mark, rows), 1);
	check_reminder(f, row_to(rows, 1, PH_NIU), n, "reminder", T0 + 24 * HOUR + 5);

	/* the same moment again after a restart: not repeated */
	fix_restart(f);
	check_sched(f, n);
	assert_int_equal(tick(f, T0 + 24 * HOUR + 5), 0);
	assert_int_equal(tick(f, T0 + 25 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 1);

	/* the escalation is not lost to a restart */
	fix_restart(f);
	assert_int_equal(tick(f, T0 + 48 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, &rows[1], n, "reminder", T0 + 48 * HOUR);
	assert_string_equal(rows[1].address, PH_ZHAO);
	fix_restart(f);
	assert_int_equal(tick(f, T0 + 48 * HOUR), 0);
	assert_int_equal(tick(f, T0 + 60 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	assert_int_equal(events(f, n, "reminded"), 1);
	assert_int_equal(events(f, n, "escalated"), 1);
}

/* A tick whose changes were rolled back (a crash before COMMIT) is run again. */
static void
test_rolled_back_tick_runs_again(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	mark = outbox_mark(f);
	begin(f);
	assert_int_equal(gateway_schedule_tick(f->st, &f->gw, T0 + 24 * HOUR, 100), 1);
	store_stmt_reset_all(f->st);
	assert_int_equal(store_exec(f->st, "ROLLBACK"), 0);
	fix_restart(f);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_true(case_col(f, n, "reminded_at") == 0);
	assert_int_equal(tick(f, T0 + 24 * HOUR + 1), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	check_reminder(f, row_to(rows, 1, PH_NIU), n, "reminder", T0 + 24 * HOUR + 1);
	assert_int_equal(events(f, n, "reminded"), 1);
}

/* --- accepted, dispatched, past due ------------------------------------------------- */

/* Accepted before accept_hours: no reminder, no escalation, nothing scheduled. */
static void
test_accepted_in_time(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	staff(f, PH_NIU, "接单 1", T0 + 23 * HOUR);
	case_is(f, n, "status", "accepted");
	assert_true(check_sched(f, n) == 0);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 0);
	assert_int_equal(tick(f, T0 + 48 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_int_equal(events(f, n, "reminded"), 0);
	assert_int_equal(events(f, n, "escalated"), 0);
}

/* Past due: the department and the deputy, flagged overdue, once a day. */
static void
test_overdue_daily(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, due;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	staff(f, PH_NIU, "接单 1", T0 + 1 * HOUR);
	check_sched(f, n);
	staff(f, PH_NIU, "派单 1 power 2", T0 + 2 * HOUR);
	case_is(f, n, "status", "dispatched");
	case_is(f, n, "department", "power");
	due = case_col(f, n, "due_at");
	assert_true(due == T0 + 2 * HOUR + 2 * DAY);
	assert_true(check_sched(f, n) == due);

	mark = outbox_mark(f);
	assert_int_equal(tick(f, due - 1), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_false(case_col(f, n, "flags") & CASE_FLAG_OVERDUE);

	/* due + 1 h: one reminder each to the department and the deputy */
	assert_int_equal(tick(f, due + HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, row_to(rows, 2, PH_POWER), n, "reminder", due + HOUR);
	check_reminder(f, row_to(rows, 2, PH_NIU), n, "reminder", due + HOUR);
	assert_non_null(strstr(row_to(rows, 2, PH_NIU)->body, "县供电公司"));
	assert_true(case_col(f, n, "flags") & CASE_FLAG_OVERDUE);
	assert_true(case_col(f, n, "reminded_at") == due + HOUR);
	assert_int_equal(events(f, n, "overdue"), 1);
	case_is(f, n, "status", "dispatched");
	assert_true(check_sched(f, n) == due + 25 * HOUR);

	/* due + 2 h: nothing; due + 25 h: again, after a restart */
	mark = outbox_mark(f);
	assert_int_equal(tick(f, due + 2 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	fix_restart(f);
	assert_int_equal(tick(f, due + 25 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, row_to(rows, 2, PH_POWER), n, "reminder", due + 25 * HOUR);
	check_reminder(f, row_to(rows, 2, PH_NIU), n, "reminder", due + 25 * HOUR);
	assert_int_equal(events(f, n, "overdue"), 2);
	assert_true(check_sched(f, n) == due + 49 * HOUR);

	/* resolved: no more overdue reminders */
	staff(f, PH_POWER, "办结 1 已修好", due + 30 * HOUR);
	case_is(f, n, "status", "resolved");
	assert_true(case_col(f, n, "flags") & CASE_FLAG_OVERDUE);	/* sticky */
	mark = outbox_mark(f);
	assert_int_equal(tick(f, due + 49 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_int_equal(events(f, n, "overdue"), 2);
}

/* An accept reminder before dispatch does not stand for the overdue one. */
static void
test_overdue_after_accept_reminder(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, due;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 1);
	staff(f, PH_NIU, "接单 1", T0 + 25 * HOUR);
	staff(f, PH_NIU, "派单 1 power 2", T0 + 26 * HOUR);
	due = case_col(f, n, "due_at");
	assert_true(check_sched(f, n) == due);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, due), 1);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, row_to(rows, 2, PH_POWER), n, "reminder", due);
	assert_int_equal(events(f, n, "overdue"), 1);
	assert_int_equal(events(f, n, "escalated"), 0);
}

/* --- resolved, the rating unanswered ------------------------------------------------ */

/* One reminder after rating_hours; closed unrated after twice that. */
static void
test_rating_reminder_then_unrated(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, r;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	staff(f, PH_NIU, "接单 1", T0 + 1 * HOUR);
	staff(f, PH_NIU, "派单 1 power 2", T0 + 2 * HOUR);
	r = T0 + 3 * HOUR;
	mark = outbox_mark(f);
	staff(f, PH_POWER, "办结 1 已修好", r);
	case_is(f, n, "status", "resolved");
	assert_true(case_col(f, n, "resolved_at") == r);
	/* the rating prompt, at 13:00 local: not held */
	assert_true(outbox_since(f, mark, rows) >= 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM outbox WHERE id > %lld AND"
	    " kind = 'rating' AND address = '%s' AND next_at = %lld", (long long)mark,
	    PH_RES, (long long)r), 1);
	assert_true(check_sched(f, n) == r + 72 * HOUR);

	mark = outbox_mark(f);
	assert_int_equal(tick(f, r + 72 * HOUR - 1), 0);
	assert_int_equal(tick(f, r + 72 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	assert_string_equal(rows[0].address, PH_RES);
	assert_string_equal(rows[0].channel, "sim");
	check_reminder(f, &rows[0], n, "rating", r + 72 * HOUR);
	assert_int_equal(events(f, n, "reminded"), 1);
	assert_true(case_col(f, n, "reminded_at") == r + 72 * HOUR);
	assert_true(check_sched(f, n) == r + 144 * HOUR);

	/* one reminder only, across a restart */
	fix_restart(f);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, r + 100 * HOUR), 0);
	assert_int_equal(tick(f, r + 144 * HOUR - 1), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	case_is(f, n, "status", "resolved");

	/* twice rating_hours: closed, unrated, and no message */
	assert_int_equal(tick(f, r + 144 * HOUR), 1);
	case_is(f, n, "status", "closed");
	assert_true(case_col(f, n, "closed_at") == r + 144 * HOUR);
	assert_true(case_col(f, n, "rating") == 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM ratings"), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM case_events WHERE to_status ="
	    " 'closed' AND actor = 'scheduler'"), 1);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_true(check_sched(f, n) == 0);
	assert_int_equal(tick(f, r + 300 * HOUR), 0);
	assert_int_equal(events(f, n, "reminded"), 1);
}

/*
 * A closed case teaches the classifier its final category once the
 * closing commits: a closing rolled back (a crash before COMMIT) teaches
 * nothing, the same closing run again and committed teaches it once.
 */
static void
test_learn_after_commit(void **state)
{
	struct fix	*f = *state;
	int64_t		 r;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	staff(f, PH_NIU, "接单 1", T0 + 1 * HOUR);
	r = T0 + 2 * HOUR;
	staff(f, PH_NIU, "办结 1 已修好", r);
	assert_int_equal(text_index_learned(f->gw.tix), 0);
	begin(f);
	assert_int_equal(gateway_schedule_tick(f->st, &f->gw, r + 144 * HOUR, 100), 1);
	assert_int_equal(text_index_learned(f->gw.tix), 0);	/* not yet durable */
	store_stmt_reset_all(f->st);
	assert_int_equal(store_exec(f->st, "ROLLBACK"), 0);
	case_is(f, n, "status", "resolved");
	assert_int_equal(text_index_learned(f->gw.tix), 0);
	assert_int_equal(tick(f, r + 144 * HOUR), 1);
	case_is(f, n, "status", "closed");
	assert_int_equal(text_index_learned(f->gw.tix), 1);
}

/* Rated in time: neither the reminder nor the unrated close. */
static void
test_rated_in_time(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, r;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	staff(f, PH_NIU, "接单 1", T0 + 1 * HOUR);
	r = T0 + 2 * HOUR;
	staff(f, PH_NIU, "办结 1 已修好", r);
	case_is(f, n, "status", "resolved");
	says(f, "sim", PH_RES, "5", r + 10 * HOUR);
	case_is(f, n, "status", "closed");
	assert_true(case_col(f, n, "rating") == 5);
	assert_true(check_sched(f, n) == 0);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, r + 72 * HOUR), 0);
	assert_int_equal(tick(f, r + 144 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	assert_int_equal(events(f, n, "reminded"), 0);
}

/* --- quiet hours -------------------------------------------------------------------- */

/*
 * A case made at 23:30 local over SMS: its reply and the deputy's alert go
 * at once; its accept reminder, due at 23:30 the next night, is held until
 * 08:00 and stays pending; the tick at the release repeats nothing.
 */
static void
test_quiet_hours_hold(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, t = T0 + 13 * HOUR + 30 * MIN;	/* 23:30 local */
	int64_t		 release = T0 + 46 * HOUR;	/* 08:00 two mornings on */
	long		 n;

	assert_int_equal(gateway_utc_offset(f->gw.cfg, t), 480);
	mark = outbox_mark(f);
	n = new_case(f, "sms", PH_RES, LIGHT, t);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	/* urgent: the resident's reply and the deputy's alert are never held */
	assert_int_equal(row_to(rows, 2, PH_RES)->urgent, 1);
	assert_true(row_to(rows, 2, PH_RES)->next_at == t);
	assert_string_equal(row_to(rows, 2, PH_RES)->kind, "reply");
	assert_int_equal(row_to(rows, 2, PH_NIU)->urgent, 1);
	assert_true(row_to(rows, 2, PH_NIU)->next_at == t);

	/* the reminder falls due at 23:30 the next night: held till 08:00 */
	mark = outbox_mark(f);
	assert_int_equal(tick(f, t + 24 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	assert_string_equal(rows[0].address, PH_NIU);
	assert_string_equal(rows[0].channel, "sms");
	assert_string_equal(rows[0].status, "pending");
	check_reminder(f, &rows[0], n, "reminder", release);
	/* the decision is stored at once, so the release repeats nothing */
	assert_true(case_col(f, n, "reminded_at") == t + 24 * HOUR);
	fix_restart(f);
	assert_int_equal(tick(f, release), 0);
	assert_int_equal(outbox_since(f, mark, rows), 1);

	/* a resident's message at night is answered at once */
	mark = outbox_mark(f);
	says(f, "sms", PH_RES, "进度", t + 24 * HOUR + 10 * MIN);
	assert_true(outbox_since(f, mark, rows) >= 1);
	assert_int_equal(row_to(rows, 1, PH_RES)->urgent, 1);
	assert_true(row_to(rows, 1, PH_RES)->next_at == t + 24 * HOUR + 10 * MIN);
}

/* Both accept deadlines passed at 23:00 local: both messages held to 08:00. */
static void
test_quiet_hours_escalate(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, t = T0 + 13 * HOUR;	/* 23:00 local */
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, t);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, t + 48 * HOUR), 1);	/* 23:00 two nights on */
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, row_to(rows, 2, PH_NIU), n, "reminder", t + 57 * HOUR);
	check_reminder(f, row_to(rows, 2, PH_ZHAO), n, "reminder", t + 57 * HOUR);
	assert_true(case_col(f, n, "escalated_at") == t + 48 * HOUR);
	assert_int_equal(tick(f, t + 57 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 2);
}

/* Overdue at 01:02 local: held to 08:00; the next one a day after the decision. */
static void
test_quiet_hours_overdue(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, due, release = T0 + 3 * DAY - 2 * HOUR;
	long		 n;

	n = new_case(f, "sim", PH_RES2, LIGHT_YANGJI, T0);
	staff(f, PH_MA, "接单 1", T0 + 1 * MIN);
	staff(f, PH_MA, "派单 1 power 2", T0 + 2 * MIN);
	due = case_col(f, n, "due_at");
	assert_true(due == T0 + 2 * MIN + 2 * DAY);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, due + 15 * HOUR), 1);	/* 01:02 local */
	assert_int_equal(outbox_since(f, mark, rows), 2);
	check_reminder(f, row_to(rows, 2, PH_POWER), n, "reminder", release);
	check_reminder(f, row_to(rows, 2, PH_MA), n, "reminder", release);
	assert_true(check_sched(f, n) == due + 39 * HOUR);
	assert_int_equal(tick(f, release), 0);
	assert_int_equal(outbox_since(f, mark, rows), 2);
}

/* A rating prompt at night is held; the staff member's reply is not. */
static void
test_quiet_hours_rating_prompt(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark, r = T0 + 14 * HOUR;	/* 00:00 local */
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	staff(f, PH_NIU, "接单 1", T0 + 1 * HOUR);
	mark = outbox_mark(f);
	staff(f, PH_NIU, "办结 1 已修好", r);
	assert_int_equal(qint(f, "SELECT count(*) FROM outbox WHERE id > %lld AND"
	    " kind = 'rating' AND address = '%s' AND urgent = 0 AND next_at = %lld",
	    (long long)mark, PH_RES, (long long)(T0 + 22 * HOUR)), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM outbox WHERE id > %lld AND"
	    " address = '%s' AND urgent = 1 AND next_at = %lld", (long long)mark, PH_NIU,
	    (long long)r), 1);
	/* the rating reminder 72 h on is at midnight too: held to 08:00 */
	mark = outbox_mark(f);
	assert_int_equal(tick(f, r + 72 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	check_reminder(f, &rows[0], n, "rating", r + 80 * HOUR);
}

/* --- sched_at ----------------------------------------------------------------------- */

/* A tick looks only at cases whose sched_at has come, in any number. */
static void
test_tick_reads_sched_at(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	long		 a, b;

	a = new_case(f, "sim", PH_RES, LIGHT, T0);
	b = new_case(f, "sim", PH_RES2, LIGHT_YANGJI, T0 + HOUR);
	assert_true(case_col(f, a, "sched_at") == T0 + 24 * HOUR);
	assert_true(case_col(f, b, "sched_at") == T0 + 25 * HOUR);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	check_reminder(f, &rows[0], a, "reminder", T0 + 24 * HOUR);
	check_sched(f, a);
	check_sched(f, b);

	/* a case whose sched_at is moved away is not looked at, though due */
	assert_int_equal(store_exec(f->st, "UPDATE cases SET sched_at = 0 WHERE number = 2"), 0);
	mark = outbox_mark(f);
	assert_int_equal(tick(f, T0 + 30 * HOUR), 0);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	/* and one whose sched_at has come is looked at, though nothing is due */
	assert_int_equal(store_exec(f->st, "UPDATE cases SET sched_at = 5 WHERE number = 2"), 0);
	assert_int_equal(tick(f, T0 + 24 * HOUR + 1), 1);
	assert_int_equal(outbox_since(f, mark, rows), 0);
	/* looking puts it right again */
	assert_true(check_sched(f, b) == T0 + 25 * HOUR);
	assert_int_equal(tick(f, T0 + 25 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	check_reminder(f, &rows[0], b, "reminder", T0 + 25 * HOUR);
}

/* The limit bounds a tick; the next tick takes the rest. */
static void
test_tick_limit(void **state)
{
	struct fix	*f = *state;
	struct outrow	 rows[OUT_MAX];
	int64_t		 mark;
	int		 n;

	new_case(f, "sim", PH_RES, LIGHT, T0);
	new_case(f, "sim", PH_RES2, LIGHT_YANGJI, T0 + MIN);
	mark = outbox_mark(f);
	begin(f);
	n = gateway_schedule_tick(f->st, &f->gw, T0 + 25 * HOUR, 1);
	commit(f);
	assert_int_equal(n, 1);
	assert_int_equal(outbox_since(f, mark, rows), 1);
	assert_string_equal(rows[0].address, PH_NIU);	/* the earlier sched_at first */
	assert_int_equal(tick(f, T0 + 25 * HOUR), 1);
	assert_int_equal(outbox_since(f, mark, rows), 2);
	assert_string_equal(rows[1].address, PH_MA);
	assert_int_equal(tick(f, T0 + 25 * HOUR), 0);
}

/* sched_at follows every change: each step of the loop, checked. */
static void
test_sched_at_follows_changes(void **state)
{
	struct fix	*f = *state;
	long		 n;

	n = new_case(f, "sim", PH_RES, LIGHT, T0);
	assert_true(check_sched(f, n) == T0 + 24 * HOUR);
	assert_int_equal(tick(f, T0 + 24 * HOUR), 1);
	assert_true(check_sched(f, n) == T0 + 48 * HOUR);
	staff(f, PH_NIU, "接单 1", T0 + 26 * HOUR);
	assert_true(check_sched(f, n) == 0);
	staff(f, PH_NIU, "派单 1 power 2", T0 + 27 * HOUR);
	assert_true(check_sched(f, n) == T0 + 27 * HOUR + 2 * DAY);
	staff(f, PH_POWER, "进展 1 已派人", T0 + 28 * HOUR);
	case_is(f, n, "status", "in_progress");
	assert_true(check_sched(f, n) == T0 + 27 * HOUR + 2 * DAY);
	staff(f, PH_POWER, "办结 1 已修好", T0 + 29 * HOUR);
	assert_true(check_sched(f, n) == T0 + 29 * HOUR + 72 * HOUR);
	says(f, "sim", PH_RES, "2", T0 + 30 * HOUR);
	case_is(f, n, "status", "reopened");
	/* reopened: the deputy must take it again within accept_hours */
	assert_true(check_sched(f, n) == T0 + 30 * HOUR + 24 * HOUR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_accept_reminder_once),
		T(test_escalate_once),
		T(test_escalate_backup_and_chair),
		T(test_catch_up_after_downtime),
		T(test_transfer_rearms),
		T(test_restart_between_ticks),
		T(test_rolled_back_tick_runs_again),
		T(test_accepted_in_time),
		T(test_overdue_daily),
		T(test_overdue_after_accept_reminder),
		T(test_rating_reminder_then_unrated),
		T(test_learn_after_commit),
		T(test_rated_in_time),
		T(test_quiet_hours_hold),
		T(test_quiet_hours_escalate),
		T(test_quiet_hours_overdue),
		T(test_quiet_hours_rating_prompt),
		T(test_tick_reads_sched_at),
		T(test_tick_limit),
		T(test_sched_at_follows_changes),
#undef T
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
