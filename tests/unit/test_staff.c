/*
 * tests/unit/test_staff.c: the case workflow table, staff commands by
 * reply (parsing, permissions, effects and texts), ratings and the
 * scheduler's rules, against config/minyi.example.json.  Tables of rows
 * become one cmocka test each; every text any test produces is checked
 * to fit two SMS segments.
 *
 * The example county: grid liuxindian (deputy d-niu 牛代表, backup d-zhao)
 * and grid yangji (deputies d-ma, d-zhao; backup d-liu) lie in township
 * yangji, whose chair is d-zhao; department water is 县水利局 (3 days),
 * power 县供电公司 (2 days).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../dialogs/dialogs.h"

#define EXAMPLE		"config/minyi.example.json"
#define ROW(p)		((void *)(uintptr_t)(p))

/* 2026-11-23 10:00 in Asia/Shanghai (02:00 UTC) */
#define T0		INT64_C(1795399200)
#define HOUR		INT64_C(3600)
#define DAY		INT64_C(86400)
#define CN		480	/* UTC+8, minutes */

#define PH_NIU		"+8613900139000"	/* d-niu */
#define PH_ZHAO		"+8613900139001"	/* d-zhao: backup, township chair */
#define PH_MA		"+8613700137000"	/* d-ma */
#define PH_LIU		"+8613700137001"	/* d-liu: backup of grid yangji */
#define PH_WANG		"+8613600136000"	/* d-wang: another township */
#define PH_POWER	"+8615000150001"
#define PH_WATER	"+8615000150002"
#define PH_SANITATION	"+8615100151004"
#define PH_STRANGER	"+8613812345678"
#define PH_HAN		"+8615900135900"	/* d-han: second deputy of wanglou, on duty Wednesdays */
#define PH_COUNTY	"+8618600186000"	/* s-li: county staff */
#define PH_CLERK	"+8618600186001"	/* s-yangji: township staff of yangji */
#define PH_OBSERVER	"+8618700187000"	/* o-qian: observer, not staff */
#define WED		INT64_C(1796140800)	/* 2026-12-02 00:00 UTC+8, a Wednesday */

static struct config	*cfg;
static struct text_index *tix;

static int
setup(void **state)
{
	struct config_errors	 errs = { 0 };
	size_t			 i;

	(void)state;
	if ((cfg = config_load(EXAMPLE, &errs)) == NULL) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.lines[i]);
		config_errors_free(&errs);
		return -1;
	}
	tix = text_index_new(cfg);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	text_index_free(tix);
	config_free(cfg);
	return 0;
}

/* --- helpers ----------------------------------------------------------------- */

/* A case of grid liuxindian, received at T0, for deputy d-niu. */
static struct case_view
mkcase(const char *status)
{
	struct case_view	 c;

	memset(&c, 0, sizeof(c));
	c.number = 12;
	c.status = status;
	c.channel = "sms";
	c.citizen = PH_STRANGER;
	c.grid = "liuxindian";
	c.township = "yangji";
	c.category = "streetlight";
	c.tier = 2;
	c.description = "村口路灯不亮三天了";
	c.place = "刘辛店村";
	c.deputy = "d-niu";
	c.language = "zh";
	c.created_at = T0;
	return c;
}

/* The same in grid yangji: deputy d-ma, backup d-liu, chair d-zhao. */
static struct case_view
mkcase_yangji(const char *status)
{
	struct case_view	 c = mkcase(status);

	c.grid = "yangji";
	c.place = "杨集村";
	c.deputy = "d-ma";
	return c;
}

/* The same in grid wanglou: lead d-wang (also the township chair), then
 * d-han, on duty on Wednesdays; created on Monday T0. */
static struct case_view
mkcase_wanglou(const char *status)
{
	struct case_view	 c = mkcase(status);

	c.grid = "wanglou";
	c.township = "wanglou";
	c.place = "王楼村";
	c.deputy = "d-wang";
	return c;
}

static bool
is_msg(enum staff_effect_kind k)
{
	return k == SE_REPLY || k == SE_TO_RESIDENT || k == SE_TO_DEPUTY ||
	    k == SE_TO_DEPARTMENT || k == SE_TO_STAFF;
}

/*
 * Every message within two segments, with text, language and kind.  With
 * STAFF_DUMP=1 in the environment every effect is printed, to read them.
 */
static void
check_texts(const struct staff_result *res)
{
	static const char *const kinds[] = { "update", "event", "reply", "resident",
	    "deputy", "department", "staff" };
	size_t	 i;

	for (i = 0; i < res->neffects; i++) {
		const struct staff_effect *e = &res->effects[i];

		if (getenv("STAFF_DUMP") != NULL)
			print_message("  %-10s %-10s %s%s%s\n", kinds[e->kind],
			    e->to ? e->to : "", e->text ? e->text : "",
			    e->event ? e->event : "", e->update.status ?
			    e->update.status : "");
		if (!is_msg(e->kind))
			continue;
		assert_non_null(e->text);
		assert_true(e->text[0] != '\0');
		assert_non_null(e->msg_kind);
		assert_true(strcmp(e->lang, "zh") == 0 || strcmp(e->lang, "en") == 0);
		if (utf8_sms_segments(e->text) > 2) {
			print_message("too long (%zu segments): %s\n",
			    utf8_sms_segments(e->text), e->text);
			fail();
		}
		if (e->kind == SE_TO_DEPUTY)
			assert_non_null(config_deputy(cfg, e->to));
		if (e->kind == SE_TO_DEPARTMENT)
			assert_non_null(config_department(cfg, e->to));
		if (e->kind == SE_TO_STAFF)
			assert_non_null(config_staff(cfg, e->to));
	}
}

/* Run one staff command from phone about case c (may be NULL). */
static void
run_at(const char *phone, const char *text, const struct case_view *c, int64_t now,
    struct staff_result *res)
{
	struct staff_input	 in;

	memset(&in, 0, sizeof(in));
	memset(res, 0, sizeof(*res));
	in.now = now;
	in.utc_offset_minutes = CN;
	in.phone = phone;
	staff_identify(cfg, phone, &in.deputy, &in.department);
	in.staff = config_staff_by_phone(cfg, phone);
	in.observer = config_observer_by_phone(cfg, phone);
	in.text = text;
	in.kase = c;
	assert_int_equal(staff_step(cfg, tix, &in, res), 0);
	check_texts(res);
}

static void
run(const char *phone, const char *text, const struct case_view *c,
    struct staff_result *res)
{
	run_at(phone, text, c, T0 + HOUR, res);
}

static size_t
count(const struct staff_result *res, enum staff_effect_kind k)
{
	size_t	 i, n = 0;

	for (i = 0; i < res->neffects; i++)
		if (res->effects[i].kind == k)
			n++;
	return n;
}

/* The message of kind k (to `to`, when not NULL); fails when none. */
static const struct staff_effect *
msg_to(const struct staff_result *res, enum staff_effect_kind k, const char *to)
{
	size_t	 i;

	for (i = 0; i < res->neffects; i++)
		if (res->effects[i].kind == k && (to == NULL ||
		    (res->effects[i].to != NULL && strcmp(res->effects[i].to, to) == 0)))
			return &res->effects[i];
	print_message("no message of kind %d to %s\n", (int)k, to ? to : "-");
	fail();
	return NULL;
}

static const struct case_update *
update_of(const struct staff_result *res)
{
	const struct staff_effect *e = staff_result_find(res, SE_CASE_UPDATE);

	assert_non_null(e);
	return &e->update;
}

static const struct staff_effect *
event_of(const struct staff_result *res)
{
	const struct staff_effect *e = staff_result_find(res, SE_CASE_EVENT);

	assert_non_null(e);
	return e;
}

static void
assert_has(const char *text, const char *needle)
{
	if (strstr(text, needle) == NULL) {
		print_message("\"%s\" not in \"%s\"\n", needle, text);
		fail();
	}
}

/* A refusal: one reply holding want, nothing else. */
static void
assert_refused(const struct staff_result *res, const char *want)
{
	assert_int_equal(res->neffects, 1);
	assert_int_equal(res->effects[0].kind, SE_REPLY);
	assert_has(res->effects[0].text, want);
}

/* The text template key renders to for case 12 in lang. */
static char *
render12(const char *lang, const char *key, const char *status)
{
	const char	*v[] = { "number", "12", "status", status, NULL };

	return dialog_render(cfg, lang, key, v);
}

/* --- the workflow table -------------------------------------------------------- */

struct tr_row {
	enum case_action	 a;
	enum case_status	 from;
	enum case_status	 to;
};

static const struct tr_row allowed_rows[] = {
	{ CA_ACCEPT, CS_RECEIVED, CS_ACCEPTED },
	{ CA_ACCEPT, CS_REOPENED, CS_ACCEPTED },
	{ CA_DISPATCH, CS_ACCEPTED, CS_DISPATCHED },
	{ CA_DISPATCH, CS_DISPATCHED, CS_DISPATCHED },
	{ CA_DISPATCH, CS_IN_PROGRESS, CS_DISPATCHED },
	{ CA_DISPATCH, CS_REOPENED, CS_DISPATCHED },
	{ CA_NOTE, CS_ACCEPTED, CS_ACCEPTED },
	{ CA_NOTE, CS_DISPATCHED, CS_DISPATCHED },
	{ CA_NOTE, CS_IN_PROGRESS, CS_IN_PROGRESS },
	{ CA_NOTE, CS_REOPENED, CS_REOPENED },
	{ CA_DEPT_NOTE, CS_DISPATCHED, CS_IN_PROGRESS },
	{ CA_DEPT_NOTE, CS_IN_PROGRESS, CS_IN_PROGRESS },
	{ CA_RESOLVE, CS_ACCEPTED, CS_RESOLVED },
	{ CA_RESOLVE, CS_DISPATCHED, CS_RESOLVED },
	{ CA_RESOLVE, CS_IN_PROGRESS, CS_RESOLVED },
	{ CA_RESOLVE, CS_REOPENED, CS_RESOLVED },
	{ CA_DEPT_RESOLVE, CS_DISPATCHED, CS_RESOLVED },
	{ CA_DEPT_RESOLVE, CS_IN_PROGRESS, CS_RESOLVED },
	{ CA_TRANSFER, CS_RECEIVED, CS_RECEIVED },
	{ CA_TRANSFER, CS_ACCEPTED, CS_RECEIVED },
	{ CA_TRANSFER, CS_REOPENED, CS_RECEIVED },
	{ CA_DECLINE, CS_RECEIVED, CS_DECLINED },
	{ CA_DECLINE, CS_ACCEPTED, CS_DECLINED },
	{ CA_DECLINE, CS_REOPENED, CS_DECLINED },
	{ CA_RATE_CLOSE, CS_RESOLVED, CS_CLOSED },
	{ CA_RATE_REOPEN, CS_RESOLVED, CS_REOPENED },
	{ CA_CLOSE_UNRATED, CS_RESOLVED, CS_CLOSED },
	{ CA_CANCEL, CS_RECEIVED, CS_CANCELLED },
	{ CA_CANCEL, CS_ACCEPTED, CS_CANCELLED },
	{ CA_CANCEL, CS_DISPATCHED, CS_CANCELLED },
	{ CA_CANCEL, CS_IN_PROGRESS, CS_CANCELLED },
	{ CA_CANCEL, CS_REOPENED, CS_CANCELLED },
	{ CA_DEPT_RETURN, CS_DISPATCHED, CS_ACCEPTED },
	{ CA_DEPT_RETURN, CS_IN_PROGRESS, CS_ACCEPTED },
	{ CA_CLOSE, CS_RECEIVED, CS_CLOSED },
	{ CA_CLOSE, CS_ACCEPTED, CS_CLOSED },
	{ CA_CLOSE, CS_DISPATCHED, CS_CLOSED },
	{ CA_CLOSE, CS_IN_PROGRESS, CS_CLOSED },
	{ CA_CLOSE, CS_RESOLVED, CS_CLOSED },
	{ CA_CLOSE, CS_REOPENED, CS_CLOSED },
};

static void
test_transitions_allowed(void **state)
{
	enum case_status	 to;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(allowed_rows); i++) {
		to = CS_RECEIVED;
		if (workflow_next(allowed_rows[i].a, allowed_rows[i].from, &to) != 0) {
			print_message("%s from %s refused\n",
			    case_action_name(allowed_rows[i].a),
			    case_status_name(allowed_rows[i].from));
			fail();
		}
		assert_int_equal(to, allowed_rows[i].to);
	}
}

/* Exactly the rows above are allowed; every other pair has a reason. */
static void
test_transitions_only_those(void **state)
{
	enum case_status	 to;
	int			 a, s;
	size_t			 i, n = 0;
	bool			 listed;

	(void)state;
	for (a = 0; a < CA_COUNT; a++)
		for (s = 0; s < CS_COUNT; s++) {
			listed = false;
			for (i = 0; i < nitems(allowed_rows); i++)
				if ((int)allowed_rows[i].a == a && (int)allowed_rows[i].from == s)
					listed = true;
			if (workflow_next((enum case_action)a, (enum case_status)s, &to) == 0) {
				assert_true(listed);
				n++;
			} else {
				assert_false(listed);
				assert_true(config_template_known(workflow_refusal(
				    (enum case_action)a, (enum case_status)s)));
			}
		}
	assert_int_equal(n, nitems(allowed_rows));
}

struct refuse_row {
	enum case_action	 a;
	enum case_status	 from;
	const char		*key;
};

static const struct refuse_row refused_rows[] = {
	{ CA_ACCEPT, CS_CLOSED, "staff_refuse_closed" },
	{ CA_NOTE, CS_CLOSED, "staff_refuse_closed" },
	{ CA_RATE_CLOSE, CS_CLOSED, "staff_refuse_closed" },
	{ CA_DISPATCH, CS_DECLINED, "staff_refuse_declined" },
	{ CA_RESOLVE, CS_CANCELLED, "staff_refuse_cancelled" },
	{ CA_ACCEPT, CS_RESOLVED, "staff_refuse_resolved" },
	{ CA_DISPATCH, CS_RESOLVED, "staff_refuse_resolved" },
	{ CA_ACCEPT, CS_ACCEPTED, "staff_refuse_accepted" },
	{ CA_ACCEPT, CS_IN_PROGRESS, "staff_refuse_accepted" },
	{ CA_DISPATCH, CS_RECEIVED, "staff_refuse_not_accepted" },
	{ CA_NOTE, CS_RECEIVED, "staff_refuse_not_accepted" },
	{ CA_RESOLVE, CS_RECEIVED, "staff_refuse_not_accepted" },
	{ CA_DEPT_NOTE, CS_ACCEPTED, "staff_refuse_not_dispatched" },
	{ CA_DEPT_RESOLVE, CS_REOPENED, "staff_refuse_not_dispatched" },
	{ CA_TRANSFER, CS_DISPATCHED, "staff_refuse_dispatched" },
	{ CA_DECLINE, CS_IN_PROGRESS, "staff_refuse_dispatched" },
	{ CA_RATE_REOPEN, CS_ACCEPTED, "staff_refuse_not_resolved" },
	{ CA_CLOSE_UNRATED, CS_IN_PROGRESS, "staff_refuse_not_resolved" },
	{ CA_CANCEL, CS_RESOLVED, "staff_refuse_resolved" },
	{ CA_CLOSE, CS_CLOSED, "staff_refuse_closed" },
	{ CA_CLOSE, CS_DECLINED, "staff_refuse_declined" },
	{ CA_CLOSE, CS_CANCELLED, "staff_refuse_cancelled" },
};

static void
test_transitions_refused(void **state)
{
	enum case_status	 to;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(refused_rows); i++) {
		assert_int_equal(workflow_next(refused_rows[i].a, refused_rows[i].from,
		    &to), -1);
		assert_string_equal(workflow_refusal(refused_rows[i].a,
		    refused_rows[i].from), refused_rows[i].key);
	}
}

static void
test_status_names(void **state)
{
	enum case_status	 s;
	int			 i;

	(void)state;
	for (i = 0; i < CS_COUNT; i++) {
		assert_int_equal(case_status_parse(case_status_name((enum case_status)i),
		    &s), 0);
		assert_int_equal(s, i);
		assert_non_null(case_status_label(cfg, "zh", (enum case_status)i));
	}
	assert_string_equal(case_status_name(CS_IN_PROGRESS), "in_progress");
	assert_int_equal(case_status_parse("done", &s), -1);
	assert_int_equal(case_status_parse(NULL, &s), -1);
	assert_true(case_status_is_open(CS_RESOLVED));
	assert_true(case_status_is_open(CS_REOPENED));
	assert_false(case_status_is_open(CS_CLOSED));
	assert_false(case_status_is_open(CS_DECLINED));
	assert_false(case_status_is_open(CS_CANCELLED));
	assert_string_equal(case_status_label(cfg, "zh", CS_IN_PROGRESS), "办理中");
	assert_string_equal(case_status_label(cfg, "en", CS_IN_PROGRESS), "in progress");
	assert_string_equal(case_action_event(CA_ACCEPT), "accepted");
	assert_string_equal(case_action_event(CA_DEPT_NOTE), "note");
}

struct stamp_row {
	enum case_action	 a;
	const char		*from;
	const char		*to;
	size_t			 field;	/* offsetof the stamped int64_t in case_update */
};

static const struct stamp_row stamp_rows[] = {
	{ CA_ACCEPT, "received", "accepted", offsetof(struct case_update, accepted_at) },
	{ CA_DISPATCH, "accepted", "dispatched", offsetof(struct case_update, dispatched_at) },
	{ CA_RESOLVE, "in_progress", "resolved", offsetof(struct case_update, resolved_at) },
	{ CA_TRANSFER, "accepted", "received", offsetof(struct case_update, assigned_at) },
	{ CA_RATE_REOPEN, "resolved", "reopened", offsetof(struct case_update, assigned_at) },
	{ CA_RATE_CLOSE, "resolved", "closed", offsetof(struct case_update, closed_at) },
	{ CA_DECLINE, "received", "declined", offsetof(struct case_update, closed_at) },
	{ CA_CANCEL, "dispatched", "cancelled", offsetof(struct case_update, closed_at) },
	{ CA_CLOSE, "dispatched", "closed", offsetof(struct case_update, closed_at) },
};

/* Each transition stamps its time and records one event. */
static void
test_workflow_apply(void **state)
{
	struct staff_result	 res;
	struct case_view	 c;
	struct case_update	*up;
	const struct staff_effect *ev;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(stamp_rows); i++) {
		memset(&res, 0, sizeof(res));
		c = mkcase(stamp_rows[i].from);
		up = workflow_apply(&res, &c, stamp_rows[i].a, "deputy:d-niu", "x", T0);
		assert_non_null(up);
		assert_string_equal(up->status, stamp_rows[i].to);
		assert_true(*(const int64_t *)(const void *)((const char *)up +
		    stamp_rows[i].field) == T0);
		ev = event_of(&res);
		assert_string_equal(ev->actor, "deputy:d-niu");
		assert_string_equal(ev->event, case_action_event(stamp_rows[i].a));
		assert_string_equal(ev->from_status, stamp_rows[i].from);
		assert_string_equal(ev->to_status, stamp_rows[i].to);
		assert_string_equal(ev->detail, "x");
		assert_int_equal(ev->number, 12);
		staff_result_clear(&res);
	}
	c = mkcase("closed");
	assert_null(workflow_apply(&res, &c, CA_ACCEPT, "deputy:d-niu", NULL, T0));
	assert_int_equal(res.neffects, 0);
	c = mkcase("nonsense");
	assert_null(workflow_apply(&res, &c, CA_ACCEPT, "deputy:d-niu", NULL, T0));
	staff_result_clear(&res);
}

/* --- parsing ----------------------------------------------------------------- */

struct parse_row {
	const char		*text;
	int			 rc;
	enum staff_cmd_kind	 kind;
	long			 number;
	const char		*target;	/* NULL: none */
	const char		*body;		/* cmd.text; NULL: none */
	int			 days;
	const char		*usage;		/* NULL: well formed */
	const char		*lang;
};

static const struct parse_row parse_rows[] = {
	/* 接单 */
	{ "接单12", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "zh" },
	{ "接单 12", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "zh" },
	{ "接单#12", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "zh" },
	{ "接单 ＃１２", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "zh" },
	{ "  接单　12 ", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "zh" },
	{ "接單12", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "zh" },
	{ "接单 四十二", 0, SC_ACCEPT, 42, NULL, NULL, 0, NULL, "zh" },
	{ "ACCEPT 12", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "en" },
	{ "accept12", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "en" },
	{ "Accept #12", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "en" },
	{ "ＡＣＣＥＰＴ １２", 0, SC_ACCEPT, 12, NULL, NULL, 0, NULL, "en" },
	{ "接单", 0, SC_ACCEPT, -1, NULL, NULL, 0, "staff_usage_accept", "zh" },
	{ "接单 abc", 0, SC_ACCEPT, -1, NULL, NULL, 0, "staff_usage_accept", "zh" },
	{ "ACCEPT", 0, SC_ACCEPT, -1, NULL, NULL, 0, "staff_usage_accept", "en" },
	{ "接单 0", 0, SC_ACCEPT, -1, NULL, NULL, 0, "staff_usage_accept", "zh" },
	{ "接单 1234567890", 0, SC_ACCEPT, -1, NULL, NULL, 0, "staff_usage_accept", "zh" },
	/* 派单 */
	{ "派单 12 water 3", 0, SC_DISPATCH, 12, "water", NULL, 3, NULL, "zh" },
	{ "派单12 县水利局", 0, SC_DISPATCH, 12, "县水利局", NULL, 0, NULL, "zh" },
	{ "派单 12 水利局", 0, SC_DISPATCH, 12, "水利局", NULL, 0, NULL, "zh" },
	{ "DISPATCH 12 water", 0, SC_DISPATCH, 12, "water", NULL, 0, NULL, "en" },
	{ "派单12水利局3", 0, SC_DISPATCH, 12, "水利局", NULL, 3, NULL, "zh" },
	{ "派单 12 水利局 3天", 0, SC_DISPATCH, 12, "水利局", NULL, 3, NULL, "zh" },
	{ "派单 12 水利局 ５", 0, SC_DISPATCH, 12, "水利局", NULL, 5, NULL, "zh" },
	{ "派单 12 水利局 三天", 0, SC_DISPATCH, 12, "水利局", NULL, 3, NULL, "zh" },
	{ "dispatch 12 water 5 days", 0, SC_DISPATCH, 12, "water", NULL, 5, NULL, "en" },
	{ "dispatch #12 water 7d", 0, SC_DISPATCH, 12, "water", NULL, 7, NULL, "en" },
	/* 交办清单: several departments, days, what is to be done */
	{ "派单 12 城管,住建 5 清理垃圾并建长效机制", 0, SC_DISPATCH, 12, "城管,住建",
	  "清理垃圾并建长效机制", 5, NULL, "zh" },
	{ "派单12 城管、水利 3天 三日内清运", 0, SC_DISPATCH, 12, "城管、水利",
	  "三日内清运", 3, NULL, "zh" },
	{ "派单 12 水利局 修好水管", 0, SC_DISPATCH, 12, "水利局", "修好水管", 0, NULL,
	  "zh" },
	{ "DISPATCH 12 water,sanitation 5 days fix the pipe", 0, SC_DISPATCH, 12,
	  "water,sanitation", "fix the pipe", 5, NULL, "en" },
	{ "dispatch 12 water 5 days", 0, SC_DISPATCH, 12, "water", NULL, 5, NULL, "en" },
	{ "派单 12 水利局 3 天", 0, SC_DISPATCH, 12, "水利局", NULL, 3, NULL, "zh" },
	{ "派单 12 水利局 0 修好", 0, SC_DISPATCH, 12, NULL, NULL, 0,
	  "staff_usage_dispatch", "zh" },
	{ "派单 12", 0, SC_DISPATCH, 12, NULL, NULL, 0, "staff_usage_dispatch", "zh" },
	{ "派单 12 3", 0, SC_DISPATCH, 12, NULL, NULL, 0, "staff_usage_dispatch", "zh" },
	{ "派单 12 water 0", 0, SC_DISPATCH, 12, NULL, NULL, 0, "staff_usage_dispatch", "zh" },
	{ "派单 12 water 9999", 0, SC_DISPATCH, 12, NULL, NULL, 0, "staff_usage_dispatch", "zh" },
	{ "派单 water", 0, SC_DISPATCH, -1, NULL, NULL, 0, "staff_usage_dispatch", "zh" },
	{ "DISPATCH", 0, SC_DISPATCH, -1, NULL, NULL, 0, "staff_usage_dispatch", "en" },
	/* 进展, 办结, 退回: the text stays raw */
	{ "进展12 已派人查看", 0, SC_NOTE, 12, NULL, "已派人查看", 0, NULL, "zh" },
	{ "进展 12：已派人查看 ", 0, SC_NOTE, 12, NULL, "已派人查看", 0, NULL, "zh" },
	{ "进展12 ＡＢＣ　１２３，好", 0, SC_NOTE, 12, NULL, "ＡＢＣ　１２３，好", 0, NULL, "zh" },
	{ "NOTE 12 crew on site", 0, SC_NOTE, 12, NULL, "crew on site", 0, NULL, "en" },
	{ "進展12 已派人", 0, SC_NOTE, 12, NULL, "已派人", 0, NULL, "zh" },
	{ "进展12", 0, SC_NOTE, 12, NULL, NULL, 0, "staff_usage_note", "zh" },
	{ "note 12   ", 0, SC_NOTE, 12, NULL, NULL, 0, "staff_usage_note", "en" },
	{ "进展 一直在修", 0, SC_NOTE, -1, NULL, NULL, 0, "staff_usage_note", "zh" },
	{ "办结 12 路灯已修复", 0, SC_RESOLVE, 12, NULL, "路灯已修复", 0, NULL, "zh" },
	{ "RESOLVE 12 fixed the lamp", 0, SC_RESOLVE, 12, NULL, "fixed the lamp", 0, NULL, "en" },
	{ "办结12", 0, SC_RESOLVE, 12, NULL, NULL, 0, "staff_usage_resolve", "zh" },
	{ "退回12 属诉讼事项", 0, SC_DECLINE, 12, NULL, "属诉讼事项", 0, NULL, "zh" },
	{ "REJECT 12 a court matter", 0, SC_DECLINE, 12, NULL, "a court matter", 0, NULL, "en" },
	{ "decline 12 not ours", 0, SC_DECLINE, 12, NULL, "not ours", 0, NULL, "en" },
	{ "DECLINE 12", 0, SC_DECLINE, 12, NULL, NULL, 0, "staff_usage_decline", "en" },
	/* 转 */
	{ "转 12 赵代表", 0, SC_TRANSFER, 12, "赵代表", NULL, 0, NULL, "zh" },
	{ "转12 d-ma", 0, SC_TRANSFER, 12, "d-ma", NULL, 0, NULL, "zh" },
	{ "转12给杨集村", 0, SC_TRANSFER, 12, "杨集村", NULL, 0, NULL, "zh" },
	{ "TRANSFER 12 to d-ma", 0, SC_TRANSFER, 12, "d-ma", NULL, 0, NULL, "en" },
	{ "transfer 12 yangji", 0, SC_TRANSFER, 12, "yangji", NULL, 0, NULL, "en" },
	{ "转12", 0, SC_TRANSFER, 12, NULL, NULL, 0, "staff_usage_transfer", "zh" },
	/* 上报, 分办 */
	{ "上报12 需乡镇协调", 0, SC_ESCALATE, 12, NULL, "需乡镇协调", 0, NULL, "zh" },
	{ "上报12", 0, SC_ESCALATE, 12, NULL, NULL, 0, NULL, "zh" },
	{ "ESCALATE 12 needs the county", 0, SC_ESCALATE, 12, NULL, "needs the county", 0,
	  NULL, "en" },
	{ "上报", 0, SC_ESCALATE, -1, NULL, NULL, 0, "staff_usage_escalate", "zh" },
	{ "分办12 王楼村", 0, SC_TRIAGE, 12, "王楼村", NULL, 0, NULL, "zh" },
	{ "分办#12：大赵", 0, SC_TRIAGE, 12, "大赵", NULL, 0, NULL, "zh" },
	{ "TRIAGE 12 Dazhao", 0, SC_TRIAGE, 12, "Dazhao", NULL, 0, NULL, "en" },
	{ "分办12", 0, SC_TRIAGE, 12, NULL, NULL, 0, "staff_usage_triage", "zh" },
	/* 代办 */
	{ "代办13800138000 老人家里停水", 0, SC_ONBEHALF, -1, "13800138000", "老人家里停水",
	  0, NULL, "zh" },
	{ "代办 138 0013 8000 王楼村停水三天了", 0, SC_ONBEHALF, -1, "138 0013 8000",
	  "王楼村停水三天了", 0, NULL, "zh" },
	{ "代办：１３８００１３８０００，路灯坏了", 0, SC_ONBEHALF, -1, "１３８００１３８０００",
	  "路灯坏了", 0, NULL, "zh" },
	{ "ONBEHALF +86 138-0013-8000 no water at Dazhao", 0, SC_ONBEHALF, -1,
	  "+86 138-0013-8000", "no water at Dazhao", 0, NULL, "en" },
	{ "代办 老人家停水", 0, SC_ONBEHALF, -1, NULL, "老人家停水", 0,
	  "staff_usage_onbehalf", "zh" },
	{ "代办13800138000", 0, SC_ONBEHALF, -1, "13800138000", NULL, 0,
	  "staff_usage_onbehalf", "zh" },
	{ "督办12 请本周修好", 0, SC_PRESS, 12, NULL, "请本周修好", 0, NULL, "zh" },
	{ "PRESS 12", 0, SC_PRESS, 12, NULL, NULL, 0, "staff_usage_press", "en" },
	/* 列表, 查, 帮助 */
	{ "列表", 0, SC_LIST, -1, NULL, NULL, 0, NULL, "zh" },
	{ "LIST", 0, SC_LIST, -1, NULL, NULL, 0, NULL, "en" },
	{ "list please", 0, SC_LIST, -1, NULL, NULL, 0, NULL, "en" },
	{ "查12", 0, SC_SHOW, 12, NULL, NULL, 0, NULL, "zh" },
	{ "查 12", 0, SC_SHOW, 12, NULL, NULL, 0, NULL, "zh" },
	{ "查看#12", 0, SC_SHOW, 12, NULL, NULL, 0, NULL, "zh" },
	{ "SHOW 12", 0, SC_SHOW, 12, NULL, NULL, 0, NULL, "en" },
	{ "查", 0, SC_SHOW, -1, NULL, NULL, 0, "staff_usage_show", "zh" },
	{ "帮助", 0, SC_HELP, -1, NULL, NULL, 0, NULL, "zh" },
	{ "HELP", 0, SC_HELP, -1, NULL, NULL, 0, NULL, "en" },
	{ "help me", 0, SC_HELP, -1, NULL, NULL, 0, NULL, "en" },
	/* not commands: the shell may hand them to the resident dialog */
	{ "村口路灯不亮", -1, SC_NONE, -1, NULL, NULL, 0, NULL, "zh" },
	{ "hello", -1, SC_NONE, -1, NULL, NULL, 0, NULL, "zh" },
	{ "notes 12", -1, SC_NONE, -1, NULL, NULL, 0, NULL, "zh" },
	{ "acceptable", -1, SC_NONE, -1, NULL, NULL, 0, NULL, "zh" },
	{ "", -1, SC_NONE, -1, NULL, NULL, 0, NULL, "zh" },
	{ "12", -1, SC_NONE, -1, NULL, NULL, 0, NULL, "zh" },
};

static void
test_parse(void **state)
{
	const struct parse_row	*r = *state;
	struct staff_cmd	 cmd;

	assert_int_equal(staff_parse(r->text, &cmd), r->rc);
	assert_int_equal(cmd.kind, r->kind);
	if (r->usage == NULL || r->number > 0)
		assert_int_equal(cmd.number, r->number);
	if (r->usage != NULL) {
		assert_non_null(cmd.usage);
		assert_string_equal(cmd.usage, r->usage);
	} else
		assert_null(cmd.usage);
	if (r->usage == NULL && r->target != NULL) {
		assert_non_null(cmd.target);
		assert_string_equal(cmd.target, r->target);
	} else if (r->usage == NULL)
		assert_null(cmd.target);
	if (r->usage == NULL && r->body != NULL) {
		assert_non_null(cmd.text);
		assert_string_equal(cmd.text, r->body);
	} else if (r->usage == NULL)
		assert_null(cmd.text);
	if (r->usage == NULL)
		assert_int_equal(cmd.days, r->days);
	assert_string_equal(cmd.lang, r->lang);
	staff_cmd_clear(&cmd);
}

static void
test_parse_null(void **state)
{
	struct staff_cmd	 cmd;

	(void)state;
	assert_int_equal(staff_parse(NULL, &cmd), -1);
	assert_int_equal(cmd.kind, SC_NONE);
	staff_cmd_clear(&cmd);
	assert_string_equal(staff_cmd_name(SC_DISPATCH), "dispatch");
}

/* Every usage line is one a malformed command gets back, in its language. */
static void
test_usage_reply(void **state)
{
	static const struct { const char *text, *key, *lang; } rows[] = {
		{ "接单", "staff_usage_accept", "zh" },
		{ "派单 12", "staff_usage_dispatch", "zh" },
		{ "DISPATCH 12", "staff_usage_dispatch", "en" },
		{ "进展12", "staff_usage_note", "zh" },
		{ "办结12", "staff_usage_resolve", "zh" },
		{ "转12", "staff_usage_transfer", "zh" },
		{ "退回12", "staff_usage_decline", "zh" },
		{ "SHOW", "staff_usage_show", "en" },
	};
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		run(PH_NIU, rows[i].text, &c, &res);
		assert_int_equal(res.neffects, 1);
		assert_string_equal(res.effects[0].text, config_template(cfg,
		    rows[i].lang, rows[i].key));
		assert_string_equal(res.effects[0].lang, rows[i].lang);
		staff_result_clear(&res);
	}
}

/* --- staff identity and permissions -------------------------------------------- */

static void
test_identify(void **state)
{
	const struct deputy	*d;
	const struct department	*dept;

	(void)state;
	assert_true(staff_identify(cfg, PH_NIU, &d, &dept));
	assert_string_equal(d->id, "d-niu");
	assert_null(dept);
	assert_true(staff_identify(cfg, PH_WATER, &d, &dept));
	assert_null(d);
	assert_string_equal(dept->id, "water");
	assert_false(staff_identify(cfg, PH_STRANGER, &d, &dept));
	assert_false(staff_identify(cfg, NULL, &d, &dept));
}

struct perm_row {
	const char	*name;
	const char	*phone;
	const char	*text;
	const char	*status;
	const char	*department;	/* the case's, or NULL */
	int		 yangji;	/* case in grid yangji (1: d-ma, backup d-liu) or
					 * wanglou (WANGLOU: d-wang, d-han), else liuxindian */
	bool		 ok;		/* changes the case */
	const char	*want;		/* refusal: text in the reply */
};
#define WANGLOU 2

static const struct perm_row perm_rows[] = {
	{ "perm case deputy accepts", PH_NIU, "接单12", "received", NULL, false, true, NULL },
	{ "perm backup accepts", PH_LIU, "接单12", "received", NULL, true, true, NULL },
	{ "perm chair accepts", PH_ZHAO, "接单12", "received", NULL, true, true, NULL },
	{ "perm other grid deputy refused", PH_NIU, "接单12", "received", NULL, true, false,
	  "不由您负责" },
	{ "perm other township refused", PH_WANG, "接单12", "received", NULL, false, false,
	  "不由您负责" },
	{ "perm second deputy of grid refused", PH_MA, "接单12", "received", NULL, false,
	  false, "不由您负责" },
	{ "perm department notes", PH_WATER, "进展12 已到现场", "dispatched", "water",
	  false, true, NULL },
	{ "perm department resolves", PH_WATER, "办结12 已修复", "in_progress", "water",
	  false, true, NULL },
	{ "perm department may not accept", PH_WATER, "接单12", "received", "water", false,
	  false, "不由您负责" },
	{ "perm department may not transfer", PH_WATER, "转12 d-ma", "dispatched", "water",
	  false, false, "不由您负责" },
	{ "perm department may not dispatch", PH_WATER, "派单12 power", "dispatched",
	  "water", false, false, "不由您负责" },
	{ "perm other department may not show", PH_POWER, "查12", "dispatched", "water",
	  false, false, "不由您负责" },
	{ "perm department returns", PH_WATER, "退回12 不属我局职责", "in_progress",
	  "water", false, true, NULL },
	{ "perm other department may not return", PH_POWER, "退回12 不归我们",
	  "dispatched", "water", false, false, "不由您负责" },
	{ "perm department may not return before dispatch", PH_WATER, "退回12 不归我们",
	  "reopened", "water", false, false, "未交贵单位" },
	{ "perm department may not press", PH_WATER, "督办12 快点", "dispatched", "water",
	  false, false, "不由您负责" },
	{ "perm grid's second deputy may not press", PH_HAN, "督办12 快点", "dispatched",
	  "water", WANGLOU, false, "不由您负责" },
	{ "perm other department refused", PH_POWER, "进展12 在办", "dispatched", "water",
	  false, false, "不由您负责" },
	{ "perm department of a reopened case refused", PH_WATER, "办结12 好了",
	  "reopened", "water", false, false, "未交贵单位" },
	{ "perm stranger refused", PH_STRANGER, "接单12", "received", NULL, false, false,
	  "仅限代表和部门" },
	{ "perm stranger English", PH_STRANGER, "ACCEPT 12", "received", NULL, false, false,
	  "Only deputies" },
	{ "perm backup notes", PH_LIU, "进展12 已协调", "accepted", NULL, true, true, NULL },
	{ "perm chair declines", PH_ZHAO, "退回12 属法院受理", "received", NULL, true, true,
	  NULL },
	/* several deputies per grid: any of them takes it */
	{ "perm grid's second deputy accepts", PH_HAN, "接单12", "received", NULL, WANGLOU,
	  true, NULL },
	{ "perm grid's second deputy accepts a reopened case", PH_HAN, "ACCEPT 12",
	  "reopened", NULL, WANGLOU, true, NULL },
	{ "perm grid's second deputy may not dispatch the lead's case", PH_HAN,
	  "派单12 power", "accepted", NULL, WANGLOU, false, "不由您负责" },
	{ "perm grid's second deputy may not decline", PH_HAN, "退回12 不归我们管",
	  "received", NULL, WANGLOU, false, "不由您负责" },
	{ "perm grid's second deputy of another grid refused", PH_HAN, "接单12",
	  "received", NULL, false, false, "不由您负责" },
	/* staff: the county office every case, township staff their township's */
	{ "perm county staff accepts", PH_COUNTY, "接单12", "received", NULL, false, true,
	  NULL },
	{ "perm county staff dispatches", PH_COUNTY, "派单12 power 2", "accepted", NULL,
	  false, true, NULL },
	{ "perm county staff dispatches in another township", PH_COUNTY, "DISPATCH 12 water",
	  "accepted", NULL, WANGLOU, true, NULL },
	{ "perm county staff transfers", PH_COUNTY, "转12 d-ma", "received", NULL, false,
	  true, NULL },
	{ "perm county staff resolves", PH_COUNTY, "办结12 当场解决", "accepted", NULL,
	  false, true, NULL },
	{ "perm township staff accepts", PH_CLERK, "接单12", "received", NULL, false, true,
	  NULL },
	{ "perm township staff dispatches", PH_CLERK, "派单12 县供电公司", "accepted",
	  NULL, true, true, NULL },
	{ "perm township staff declines", PH_CLERK, "退回12 属诉讼事项", "received", NULL,
	  false, true, NULL },
	{ "perm township staff of another township refused", PH_CLERK, "接单12",
	  "received", NULL, WANGLOU, false, "不由您负责" },
	{ "perm township staff English refusal", PH_CLERK, "DISPATCH 12 power",
	  "accepted", NULL, WANGLOU, false, "not yours" },
	{ "perm observer only files on behalf", PH_OBSERVER, "接单12", "received", NULL,
	  false, false, "代办13800138000" },
	{ "perm county staff still by the workflow", PH_COUNTY, "接单12", "closed", NULL,
	  false, false, "已关闭" },
};

static void
test_permission(void **state)
{
	const struct perm_row	*r = *state;
	struct case_view	 c = r->yangji == WANGLOU ? mkcase_wanglou(r->status) :
				    r->yangji ? mkcase_yangji(r->status) : mkcase(r->status);
	struct staff_result	 res;

	c.department = r->department;
	if (r->department != NULL)
		c.due_at = T0 + 3 * DAY;
	run(r->phone, r->text, &c, &res);
	if (r->ok) {
		assert_int_equal(count(&res, SE_CASE_UPDATE), 1);
		assert_int_equal(count(&res, SE_CASE_EVENT), 1);
	} else
		assert_refused(&res, r->want);
	staff_result_clear(&res);
}

static void
test_unknown_case(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;

	(void)state;
	run(PH_NIU, "接单12", NULL, &res);
	assert_refused(&res, "未找到诉求12");
	staff_result_clear(&res);
	/* the shell loaded another case than the one named */
	c.number = 13;
	run(PH_NIU, "接单12", &c, &res);
	assert_refused(&res, "未找到诉求12");
	staff_result_clear(&res);
	run(PH_NIU, "ACCEPT 99", NULL, &res);
	assert_refused(&res, "There is no case 99");
	staff_result_clear(&res);
}

static void
test_unknown_command(void **state)
{
	struct staff_result	 res;

	(void)state;
	run(PH_NIU, "今天开会吗", NULL, &res);
	assert_refused(&res, "未识别");
	staff_result_clear(&res);
	run(PH_NIU, "what now", NULL, &res);
	assert_refused(&res, "Unknown command");
	staff_result_clear(&res);
}

/* --- each command's effects and texts ------------------------------------------- */

static void
test_accept(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *ev, *m;

	(void)state;
	run(PH_NIU, "接单 12", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->status, "accepted");
	assert_string_equal(up->deputy, "d-niu");
	assert_true(up->accepted_at == T0 + HOUR);
	ev = event_of(&res);
	assert_string_equal(ev->actor, "deputy:d-niu");
	assert_string_equal(ev->event, "accepted");
	assert_string_equal(ev->from_status, "received");
	assert_string_equal(ev->to_status, "accepted");
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_has(m->text, "12");
	assert_has(m->text, "牛代表");
	assert_string_equal(m->lang, "zh");
	assert_true(m->urgent);
	m = msg_to(&res, SE_REPLY, NULL);
	assert_has(m->text, "已接单12");
	assert_has(m->text, "路灯照明");
	assert_has(m->text, "派单12");
	staff_result_clear(&res);
}

/* The backup who accepts becomes the case's deputy. */
static void
test_accept_by_backup(void **state)
{
	struct case_view	 c = mkcase_yangji("received");
	struct staff_result	 res;

	(void)state;
	run(PH_LIU, "接单12", &c, &res);
	assert_string_equal(update_of(&res)->deputy, "d-liu");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "刘代表");
	assert_string_equal(event_of(&res)->actor, "deputy:d-liu");
	staff_result_clear(&res);
}

/* An English command gets an English reply; the resident keeps theirs. */
static void
test_accept_english(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;
	const struct staff_effect *m;

	(void)state;
	run(PH_NIU, "accept #12", &c, &res);
	m = msg_to(&res, SE_REPLY, NULL);
	assert_string_equal(m->lang, "en");
	assert_has(m->text, "You took case 12");
	assert_has(m->text, "Street lights");
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_string_equal(m->lang, "zh");
	assert_has(m->text, "牛代表");
	staff_result_clear(&res);
	c.language = "en";
	run(PH_NIU, "接单12", &c, &res);
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_string_equal(m->lang, "en");
	assert_has(m->text, "Your case 12 is being handled by 牛代表");
	staff_result_clear(&res);
}

struct refuse_cmd_row {
	const char	*name;
	const char	*text;
	const char	*status;
	const char	*key;		/* the refusal template */
	const char	*lang;
};

static const struct refuse_cmd_row refuse_cmd_rows[] = {
	{ "refuse accept closed", "接单12", "closed", "staff_refuse_closed", "zh" },
	{ "refuse accept closed en", "ACCEPT 12", "closed", "staff_refuse_closed", "en" },
	{ "refuse accept accepted", "接单12", "accepted", "staff_refuse_accepted", "zh" },
	{ "refuse note declined", "进展12 在办", "declined", "staff_refuse_declined", "zh" },
	{ "refuse resolve cancelled", "办结12 好了", "cancelled", "staff_refuse_cancelled",
	  "zh" },
	{ "refuse dispatch received", "派单12 water", "received",
	  "staff_refuse_not_accepted", "zh" },
	{ "refuse note resolved", "进展12 在办", "resolved", "staff_refuse_resolved", "zh" },
	{ "refuse transfer dispatched", "转12 d-zhao", "dispatched",
	  "staff_refuse_dispatched", "zh" },
	{ "refuse decline in progress", "DECLINE 12 no", "in_progress",
	  "staff_refuse_dispatched", "en" },
};

static void
test_refuse_cmd(void **state)
{
	const struct refuse_cmd_row *r = *state;
	struct case_view	 c = mkcase(r->status);
	struct staff_result	 res;
	enum case_status	 s;
	char			*want;

	assert_int_equal(case_status_parse(r->status, &s), 0);
	run(PH_NIU, r->text, &c, &res);
	want = render12(r->lang, r->key, case_status_label(cfg, r->lang, s));
	assert_int_equal(res.neffects, 1);
	assert_string_equal(res.effects[0].text, want);
	free(want);
	staff_result_clear(&res);
}

static void
test_refuse_closed_text(void **state)
{
	struct case_view	 c = mkcase("closed");
	struct staff_result	 res;

	(void)state;
	c.number = 42;
	run(PH_NIU, "ACCEPT 42", &c, &res);
	assert_string_equal(res.effects[0].text, "Case 42 is already closed.");
	staff_result_clear(&res);
	run(PH_NIU, "接单42", &c, &res);
	assert_string_equal(res.effects[0].text, "诉求42已关闭，不能再办理。");
	staff_result_clear(&res);
}

static void
test_dispatch(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *m;
	int64_t			 now = T0 + HOUR;

	(void)state;
	run(PH_NIU, "派单 12 water 3", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->status, "dispatched");
	assert_string_equal(up->department, "water");
	assert_true(up->due_at == now + 3 * DAY);
	assert_true(up->dispatched_at == now);
	assert_string_equal(event_of(&res)->detail, "department=water days=3");
	/* 2026-11-26 11:00 in Shanghai */
	m = msg_to(&res, SE_TO_DEPARTMENT, "water");
	assert_has(m->text, "12");
	assert_has(m->text, "路灯照明");
	assert_has(m->text, "刘辛店村");
	assert_has(m->text, "村口路灯不亮三天了");
	assert_has(m->text, "11月26日11:00");
	assert_has(m->text, "进展12");
	assert_has(m->text, "办结12");
	assert_has(m->text, "群众电话13812345678");	/* whole: they call back */
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_has(m->text, "县水利局");
	/* residents read the day, not the minute */
	assert_has(m->text, "11月26日前");
	assert_null(strstr(m->text, "11:00"));
	m = msg_to(&res, SE_REPLY, NULL);
	assert_has(m->text, "县水利局");
	assert_int_equal(count(&res, SE_TO_DEPARTMENT), 1);
	staff_result_clear(&res);
	/* a group member without a number on file: no number line */
	c.citizen = "groups:wx-zhang";
	run(PH_NIU, "派单 12 water 3", &c, &res);
	m = msg_to(&res, SE_TO_DEPARTMENT, "water");
	assert_null(strstr(m->text, "群众电话"));
	assert_null(strstr(m->text, "wx-zhang"));
	staff_result_clear(&res);
}

/* Without days, the department's deadline_days. */
static void
test_dispatch_default_days(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;

	(void)state;
	run(PH_NIU, "派单12 县供电公司", &c, &res);
	assert_string_equal(update_of(&res)->department, "power");
	assert_true(update_of(&res)->due_at == T0 + HOUR + 2 * DAY);
	staff_result_clear(&res);
}

struct dept_row {
	const char	*text;
	const char	*dept;		/* NULL: refused */
	const char	*want;		/* in the refusal */
};

static const struct dept_row dept_rows[] = {
	{ "派单 12 water", "water", NULL },
	{ "派单 12 WATER", "water", NULL },
	{ "派单12 县水利局", "water", NULL },
	{ "派单 12 水利局", "water", NULL },
	{ "派单 12 水利", "water", NULL },
	{ "DISPATCH 12 trans", "transport", NULL },
	{ "派单12 人力资源", "labor", NULL },
	{ "派单12 教育局", NULL, "没有“教育局”这个部门" },
	{ "DISPATCH 12 school", NULL, "There is no department \"school\"" },
	{ "派单12 县", NULL, "对应多个部门" },
	{ "派单12 局", NULL, "县水利局" },
};

static void
test_dispatch_department(void **state)
{
	const struct dept_row	*r = *state;
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;

	run(PH_NIU, r->text, &c, &res);
	if (r->dept != NULL)
		assert_string_equal(update_of(&res)->department, r->dept);
	else
		assert_refused(&res, r->want);
	staff_result_clear(&res);
}

/* Dispatched elsewhere: the first department is told it need not act. */
static void
test_redispatch(void **state)
{
	struct case_view	 c = mkcase("in_progress");
	struct staff_result	 res;

	(void)state;
	c.department = "water";
	c.due_at = T0 + DAY;
	run(PH_NIU, "派单12 power 2", &c, &res);
	assert_string_equal(update_of(&res)->status, "dispatched");
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "water")->text, "县供电公司");
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "power")->text, "办结12");
	staff_result_clear(&res);
}

static void
test_note_by_department(void **state)
{
	struct case_view	 c = mkcase("dispatched");
	struct staff_result	 res;
	const struct staff_effect *ev, *m;

	(void)state;
	c.department = "water";
	run(PH_WATER, "进展12 已派人到现场", &c, &res);
	assert_string_equal(update_of(&res)->status, "in_progress");
	ev = event_of(&res);
	assert_string_equal(ev->actor, "department:water");
	assert_string_equal(ev->event, "note");
	assert_string_equal(ev->detail, "已派人到现场");
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_has(m->text, "县水利局");
	assert_has(m->text, "已派人到现场");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "转告群众");
	staff_result_clear(&res);
	/* a second note keeps in_progress */
	c.status = "in_progress";
	run(PH_WATER, "NOTE 12 pipe ordered", &c, &res);
	assert_string_equal(update_of(&res)->status, "in_progress");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "pipe ordered");
	assert_string_equal(msg_to(&res, SE_REPLY, NULL)->lang, "en");
	staff_result_clear(&res);
}

/* The deputy's note keeps the status; only the department's starts work. */
static void
test_note_by_deputy(void **state)
{
	struct case_view	 c = mkcase("dispatched");
	struct staff_result	 res;

	(void)state;
	c.department = "water";
	run(PH_NIU, "进展12 已催水利局", &c, &res);
	assert_string_equal(update_of(&res)->status, "dispatched");
	assert_string_equal(event_of(&res)->actor, "deputy:d-niu");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "牛代表");
	staff_result_clear(&res);
}

static void
test_resolve_by_department(void **state)
{
	struct case_view	 c = mkcase("in_progress");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *m;

	(void)state;
	c.department = "water";
	run(PH_WATER, "办结 12 水管已更换，恢复供水", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->status, "resolved");
	assert_true(up->resolved_at == T0 + HOUR);
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_has(m->text, "水管已更换，恢复供水");
	assert_has(m->text, "1到5，5分最满意");
	assert_string_equal(m->msg_kind, "rating");
	assert_false(m->urgent);
	assert_true(m->not_before == T0 + HOUR);	/* 11:00: not quiet */
	m = msg_to(&res, SE_TO_DEPUTY, "d-niu");
	assert_has(m->text, "县水利局");
	assert_has(m->text, "水管已更换");
	staff_result_clear(&res);
}

/* Solved on the spot by the deputy; at night the rating prompt waits. */
static void
test_resolve_by_deputy_at_night(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;
	const struct staff_effect *m;
	int64_t			 night = T0 + 13 * HOUR;	/* 23:00 in Shanghai */

	(void)state;
	run_at(PH_NIU, "办结12 已联系村委修好", &c, night, &res);
	assert_string_equal(update_of(&res)->status, "resolved");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_true(m->not_before == T0 + 22 * HOUR);	/* 08:00 next day */
	assert_true(msg_to(&res, SE_REPLY, NULL)->not_before == night);
	staff_result_clear(&res);
}

static void
test_transfer_to_deputy(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *m;

	(void)state;
	run(PH_NIU, "转12 d-ma", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->status, "received");
	assert_string_equal(up->deputy, "d-ma");
	assert_null(up->grid);
	assert_true(up->assigned_at == T0 + HOUR);
	assert_string_equal(event_of(&res)->detail, "from=d-niu to=d-ma");
	m = msg_to(&res, SE_TO_DEPUTY, "d-ma");
	assert_has(m->text, "牛代表");
	assert_has(m->text, "村口路灯不亮");
	assert_has(m->text, "接单12");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "马代表");
	/* the sender is the old deputy: told by the reply only */
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);
	staff_result_clear(&res);
}

struct target_row {
	const char	*text;
	const char	*deputy;	/* NULL: refused */
	const char	*grid;		/* the grid set, or NULL */
	const char	*want;		/* refusal */
};

static const struct target_row target_rows[] = {
	{ "转12 d-ma", "d-ma", NULL, NULL },
	{ "转12 马代表", "d-ma", NULL, NULL },
	{ "转12 马", "d-ma", NULL, NULL },
	{ "TRANSFER 12 to D-MA", "d-ma", NULL, NULL },
	{ "转12 杨集村", "d-ma", "yangji", NULL },
	{ "转12给大赵", "d-guo", "dazhao", NULL },
	{ "transfer 12 wanglou", "d-wang", "wanglou", NULL },
	{ "转12 濮城村", "d-feng", "puchengcun", NULL },
	{ "转12 张三", NULL, NULL, "没有“张三”这位代表或这个网格" },
	{ "TRANSFER 12 nobody", NULL, NULL, "There is no deputy or grid \"nobody\"" },
	{ "转12 牛代表", NULL, NULL, "已由牛代表负责" },
	{ "转12 刘辛店", NULL, NULL, "已由牛代表负责" },
};

static void
test_transfer_target(void **state)
{
	const struct target_row	*r = *state;
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;
	const struct case_update *up;

	run(PH_NIU, r->text, &c, &res);
	if (r->deputy == NULL) {
		assert_refused(&res, r->want);
		staff_result_clear(&res);
		return;
	}
	up = update_of(&res);
	assert_string_equal(up->deputy, r->deputy);
	if (r->grid != NULL) {
		assert_string_equal(up->grid, r->grid);
		assert_non_null(up->township);
		assert_string_equal(up->township, config_grid(cfg, r->grid)->township);
	} else
		assert_null(up->grid);
	msg_to(&res, SE_TO_DEPUTY, r->deputy);
	staff_result_clear(&res);
}

/* Transferred by the chair: both the old and the new deputy are told. */
static void
test_transfer_by_chair(void **state)
{
	struct case_view	 c = mkcase_yangji("accepted");
	struct staff_result	 res;
	const struct staff_effect *m;

	(void)state;
	run(PH_ZHAO, "转12 d-liu", &c, &res);
	assert_string_equal(update_of(&res)->deputy, "d-liu");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-liu")->text, "赵代表");
	m = msg_to(&res, SE_TO_DEPUTY, "d-ma");
	assert_has(m->text, "赵代表");
	assert_has(m->text, "刘代表");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 2);
	assert_int_equal(count(&res, SE_TO_RESIDENT), 0);
	staff_result_clear(&res);
}

static void
test_decline(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *m;

	(void)state;
	run(PH_NIU, "退回12 属法院诉讼事项，请向法院咨询", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->status, "declined");
	assert_true(up->closed_at == T0 + HOUR);
	assert_string_equal(event_of(&res)->detail, "属法院诉讼事项，请向法院咨询");
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_has(m->text, "属法院诉讼事项，请向法院咨询");
	/* and where else to go: dialog.fallback_hint */
	assert_has(m->text, "可以打12345反映");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "已退回");
	staff_result_clear(&res);
}

/* Long free text is cut, never the message split past two segments. */
static void
test_long_texts_fit(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;
	struct buf		 b;
	char			*note, *desc;
	const struct staff_effect *m;
	int			 i;

	(void)state;
	buf_init(&b, 0);
	buf_addstr(&b, "进展12 ");
	for (i = 0; i < 60; i++)
		buf_addstr(&b, "施工队正在抢修");
	note = buf_steal(&b);
	run(PH_NIU, note, &c, &res);		/* check_texts: within 2 segments */
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_has(m->text, "施工队正在抢修");
	assert_has(m->text, "…");
	/* the event keeps the whole text */
	assert_string_equal(event_of(&res)->detail, note + strlen("进展12 "));
	staff_result_clear(&res);
	for (i = 0; i < 80; i++)
		buf_addstr(&b, "路面坑洼");
	desc = buf_steal(&b);
	c.description = desc;
	run(PH_NIU, "派单12 transport", &c, &res);
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "transport")->text, "办结12");
	staff_result_clear(&res);
	run(PH_NIU, "TRANSFER 12 d-ma", &c, &res);
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-ma")->text, "接单12");
	staff_result_clear(&res);
	run(PH_NIU, "查12", &c, &res);
	staff_result_clear(&res);
	free(note);
	free(desc);
	buf_free(&b);
}

static void
test_render_fit(void **state)
{
	struct buf	 b;
	char		*big, *out;
	int		 i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < 200; i++)
		buf_addstr(&b, "abc ");
	big = buf_steal(&b);
	{
		const char *v[] = { "number", "12", "by", "x", "text", big, NULL };
		out = staff_render_fit(cfg, "en", "staff_res_note", v, "text");
		assert_true(utf8_sms_segments(out) <= 2);
		assert_true(utf8_is_gsm_safe(out));
		assert_has(out, "Case 12 update (x): abc");
		assert_has(out, "...");
		free(out);
		/* no variable to cut: the text itself is cut */
		out = staff_render_fit(cfg, "en", "staff_res_note", v, NULL);
		assert_true(utf8_sms_segments(out) <= 2);
		free(out);
	}
	{
		const char *v[] = { "number", "12", NULL };
		out = staff_render_fit(cfg, "zh", "staff_ok_note", v, "text");
		assert_string_equal(out, "诉求12的进展已转告群众。");
		free(out);
	}
	free(big);
}

static void
test_fmt_time(void **state)
{
	char	 out[64];

	(void)state;
	staff_fmt_time(T0, CN, "zh", out, sizeof(out));
	assert_string_equal(out, "11月23日10:00");
	staff_fmt_time(T0, CN, "en", out, sizeof(out));
	assert_string_equal(out, "2026-11-23 10:00");
	staff_fmt_time(T0, -300, "en", out, sizeof(out));
	assert_string_equal(out, "2026-11-22 21:00");
}

static void
test_help(void **state)
{
	struct staff_result	 res;

	(void)state;
	run(PH_NIU, "帮助", NULL, &res);
	assert_string_equal(res.effects[0].text, config_template(cfg, "zh", "deputy_help"));
	staff_result_clear(&res);
	run(PH_NIU, "HELP", NULL, &res);
	assert_string_equal(res.effects[0].text, config_template(cfg, "en", "deputy_help"));
	staff_result_clear(&res);
	run(PH_WATER, "帮助", NULL, &res);
	assert_string_equal(res.effects[0].text, config_template(cfg, "zh",
	    "staff_dept_help"));
	staff_result_clear(&res);
}

/* --- several deputies per grid, duty days, staff ------------------------------- */

struct weekday_row {
	int64_t	 t;
	int	 off;
	int	 want;
};

static void
test_weekday(void **state)
{
	static const struct weekday_row rows[] = {
		{ 0, 0, 4 },				/* 1970-01-01, Thursday */
		{ WED, CN, 3 },				/* Wednesday, 00:00 local */
		{ WED - 1, CN, 2 },			/* Tuesday, 23:59:59 local */
		{ WED + DAY - 1, CN, 3 },
		{ WED + DAY, CN, 4 },
		{ WED + 4 * DAY, CN, 7 },		/* Sunday */
		{ WED + 5 * DAY, CN, 1 },		/* Monday */
		{ T0, CN, 1 },				/* 2026-11-23 10:00, Monday */
		{ WED, 0, 2 },				/* in UTC still Tuesday 16:00 */
		{ -1, 0, 3 },				/* 1969-12-31, Wednesday */
		{ -DAY, 0, 3 },
		{ -DAY - 1, 0, 2 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		if (dialog_weekday(rows[i].t, rows[i].off) != rows[i].want) {
			print_message("row %zu: %d, want %d\n", i,
			    dialog_weekday(rows[i].t, rows[i].off), rows[i].want);
			fail();
		}
}

struct alerted_row {
	const char	*grid;
	int		 wday;
	const char	*want;		/* ids, " "-separated */
};

static void
test_grid_alerted(void **state)
{
	static const struct alerted_row rows[] = {
		{ "wanglou", 3, "d-wang d-han" },	/* 韩代表's Wednesday */
		{ "wanglou", 2, "d-wang" },
		{ "wanglou", 4, "d-wang" },
		{ "wanglou", 0, "d-wang" },		/* day unknown: the lead */
		{ "liuxindian", 3, "d-niu" },
		{ "yangji", 3, "d-ma" },		/* d-zhao has no duty day */
	};
	const char	*out[8];
	char		 got[128];
	size_t		 i, k, n;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		n = grid_alerted(cfg, config_grid(cfg, rows[i].grid), rows[i].wday, out,
		    nitems(out));
		got[0] = '\0';
		for (k = 0; k < n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
			    k > 0 ? " " : "", out[k]);
		if (strcmp(got, rows[i].want) != 0) {
			print_message("%s day %d: \"%s\", want \"%s\"\n", rows[i].grid,
			    rows[i].wday, got, rows[i].want);
			fail();
		}
	}
	assert_int_equal(grid_alerted(cfg, NULL, 3, out, nitems(out)), 0);
	assert_int_equal(grid_alerted(cfg, config_grid(cfg, "wanglou"), 3, out, 1), 1);
}

/* The grid's second deputy takes the lead's case: the lead is told who. */
static void
test_accept_by_second_deputy(void **state)
{
	struct case_view	 c = mkcase_wanglou("received");
	struct staff_result	 res;
	const struct staff_effect *m;

	(void)state;
	c.tier = 1;		/* a station matter: no township announcement */
	run(PH_HAN, "接单12", &c, &res);
	assert_string_equal(update_of(&res)->deputy, "d-han");
	assert_string_equal(event_of(&res)->actor, "deputy:d-han");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "韩代表");
	m = msg_to(&res, SE_TO_DEPUTY, "d-wang");
	assert_has(m->text, "12");
	assert_has(m->text, "韩代表");
	assert_has(m->text, "无需再办");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);	/* not himself */
	staff_result_clear(&res);
}

/* The lead takes a case its duty-day deputy was alerted of, on that day
 * only. */
static void
test_accept_tells_duty_deputy(void **state)
{
	struct case_view	 c = mkcase_wanglou("received");
	struct staff_result	 res;

	(void)state;
	c.tier = 1;
	c.created_at = WED + 9 * HOUR;
	run_at(PH_WANG, "接单12", &c, WED + 10 * HOUR, &res);
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-han")->text, "王代表");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);
	staff_result_clear(&res);
	c.created_at = T0;		/* a Monday: d-han was not alerted */
	run(PH_WANG, "接单12", &c, &res);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
	/* a reopened case alerted no one anew */
	c = mkcase_wanglou("reopened");
	c.tier = 1;
	c.created_at = WED;
	run_at(PH_HAN, "接单12", &c, WED + HOUR, &res);
	assert_string_equal(update_of(&res)->status, "accepted");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
}

/* Staff take a case on the deputy's behalf: the case keeps its deputy,
 * the event names the staff member, the deputy is told. */
static void
test_accept_by_staff(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;
	const struct staff_effect *ev;

	(void)state;
	run(PH_COUNTY, "接单12", &c, &res);
	assert_string_equal(update_of(&res)->status, "accepted");
	assert_null(update_of(&res)->deputy);
	ev = event_of(&res);
	assert_string_equal(ev->actor, "staff:s-li");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "李主任");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-niu")->text, "李主任");
	staff_result_clear(&res);
	c = mkcase("accepted");
	run(PH_CLERK, "进展12 已联系村委", &c, &res);
	assert_string_equal(event_of(&res)->actor, "staff:s-yangji");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "杨干事");
	staff_result_clear(&res);
	run(PH_CLERK, "帮助", NULL, &res);
	assert_string_equal(res.effects[0].text, config_template(cfg, "zh",
	    "deputy_help"));
	staff_result_clear(&res);
}

/* Any of the grid's deputies may look at its cases. */
static void
test_show_by_grid_deputy(void **state)
{
	struct case_view	 c = mkcase_wanglou("accepted");
	struct staff_result	 res;

	(void)state;
	run(PH_HAN, "查12", &c, &res);
	assert_int_equal(res.neffects, 1);
	assert_has(res.effects[0].text, "诉求12");
	staff_result_clear(&res);
	c = mkcase("accepted");
	run(PH_HAN, "查12", &c, &res);
	assert_refused(&res, "不由您负责");
	staff_result_clear(&res);
}

struct sees_row {
	const char	*who;		/* phone */
	const char	*grid;		/* liuxindian, yangji, wanglou, or NULL (triage) */
	const char	*deputy;	/* the case's */
	const char	*status;
	int		 tier;
	bool		 want;
};

static void
test_staff_sees(void **state)
{
	static const struct sees_row rows[] = {
		/* a deputy: its own, its grids', its township as chair */
		{ PH_NIU, "liuxindian", "d-niu", "accepted", 2, true },
		{ PH_NIU, "liuxindian", "d-niu", "closed", 2, false },
		{ PH_NIU, "yangji", "d-ma", "received", 2, false },
		{ PH_HAN, "wanglou", "d-wang", "received", 2, true },
		{ PH_HAN, "liuxindian", "d-niu", "received", 2, false },
		{ PH_ZHAO, "liuxindian", "d-niu", "dispatched", 2, true },	/* chair */
		{ PH_ZHAO, "wanglou", "d-wang", "dispatched", 2, false },
		{ PH_WANG, "wanglou", "d-han", "in_progress", 1, true },
		{ PH_MA, "liuxindian", "d-ma", "accepted", 2, true },	/* transferred to him */
		/* township staff: the township's open cases */
		{ PH_CLERK, "liuxindian", "d-niu", "received", 1, true },
		{ PH_CLERK, "yangji", "d-ma", "resolved", 3, true },
		{ PH_CLERK, "yangji", "d-ma", "cancelled", 3, false },
		{ PH_CLERK, "wanglou", "d-wang", "received", 2, false },
		/* the county office: triage queue and tier 3 awaiting dispatch */
		{ PH_COUNTY, NULL, "d-zhao", "received", 2, true },
		{ PH_COUNTY, NULL, "d-zhao", "accepted", 2, false },
		{ PH_COUNTY, "wanglou", "d-wang", "received", 3, true },
		{ PH_COUNTY, "wanglou", "d-wang", "accepted", 3, true },
		{ PH_COUNTY, "wanglou", "d-wang", "reopened", 3, true },
		{ PH_COUNTY, "wanglou", "d-wang", "dispatched", 3, false },
		{ PH_COUNTY, "wanglou", "d-wang", "accepted", 2, false },
		/* a department: dispatched to it */
		{ PH_WATER, "wanglou", "d-wang", "dispatched", 2, true },
		{ PH_WATER, "wanglou", "d-wang", "accepted", 2, false },
		{ PH_POWER, "wanglou", "d-wang", "dispatched", 2, false },
		{ PH_SANITATION, "wanglou", "d-wang", "in_progress", 2, true },	/* assists */
		{ PH_SANITATION, "wanglou", "d-wang", "resolved", 2, false },
		{ PH_STRANGER, "wanglou", "d-wang", "received", 2, false },
	};
	struct staff_input	 in;
	struct case_view	 c;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		memset(&in, 0, sizeof(in));
		in.phone = rows[i].who;
		staff_identify(cfg, in.phone, &in.deputy, &in.department);
		in.staff = config_staff_by_phone(cfg, in.phone);
		c = mkcase(rows[i].status);
		c.grid = rows[i].grid;
		c.township = rows[i].grid == NULL ? "yangji" :
		    config_grid(cfg, rows[i].grid)->township;
		c.deputy = rows[i].deputy;
		c.tier = rows[i].tier;
		c.department = "water";
		c.assist = "labor,sanitation";
		c.flags = rows[i].grid == NULL ? CASE_FLAG_TRIAGE : 0;
		if (staff_sees(cfg, &in, &c) != rows[i].want) {
			print_message("row %zu: %s on %s/%s %s tier %d: %d\n", i,
			    rows[i].who, rows[i].grid ? rows[i].grid : "triage",
			    rows[i].deputy, rows[i].status, rows[i].tier,
			    !rows[i].want);
			fail();
		}
	}
}

/* The chair's LIST: every open case of his township, another deputy's too. */
static void
test_list_township(void **state)
{
	struct case_view	 mine[4];
	struct staff_input	 in;
	struct staff_result	 res;
	const char		*t;

	(void)state;
	mine[0] = mkcase("accepted");			/* d-niu's, liuxindian */
	mine[0].number = 40;
	mine[0].created_at = T0 - 2 * DAY;
	mine[1] = mkcase_yangji("dispatched");		/* d-ma's */
	mine[1].number = 41;
	mine[1].created_at = T0 - 6 * DAY;
	mine[1].department = "water";
	mine[1].due_at = T0 - DAY;			/* overdue */
	mine[2] = mkcase_wanglou("received");		/* another township */
	mine[2].number = 42;
	mine[3] = mkcase("closed");
	mine[3].number = 43;
	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	in.now = T0 + HOUR;
	in.utc_offset_minutes = CN;
	in.phone = PH_ZHAO;
	in.deputy = config_deputy(cfg, "d-zhao");
	in.text = "列表";
	in.mine = mine;
	in.nmine = nitems(mine);
	assert_int_equal(staff_step(cfg, tix, &in, &res), 0);
	check_texts(&res);
	t = res.effects[0].text;
	assert_has(t, "待办2件");
	assert_true(strstr(t, "\n41 ") != NULL && strstr(t, "\n40 ") != NULL);
	assert_true(strstr(t, "\n41 ") < strstr(t, "\n40 "));	/* oldest first */
	assert_has(strstr(t, "\n41 "), "【超期】");
	assert_null(strstr(t, "\n42 "));
	assert_null(strstr(t, "\n43 "));
	staff_result_clear(&res);
	/* the township clerk sees the same */
	in.phone = PH_CLERK;
	in.deputy = NULL;
	in.staff = config_staff_by_phone(cfg, PH_CLERK);
	assert_int_equal(staff_step(cfg, tix, &in, &res), 0);
	assert_has(res.effects[0].text, "待办2件");
	staff_result_clear(&res);
	/* the county office: only the tier-3 case waiting for dispatch */
	mine[2].tier = 3;
	in.phone = PH_COUNTY;
	in.staff = config_staff_by_phone(cfg, PH_COUNTY);
	in.text = "LIST";
	assert_int_equal(staff_step(cfg, tix, &in, &res), 0);
	check_texts(&res);
	assert_has(res.effects[0].text, "1 open case");
	assert_has(res.effects[0].text, "\n42 ");
	staff_result_clear(&res);
}

/* --- departments and deputies talk ------------------------------------------- */

/* A case dispatched to water by deputy or staff actor. */
static struct case_view
mkcase_dispatched(const char *status, const char *actor, struct case_event_view *ev)
{
	struct case_view	 c = mkcase(status);

	c.department = "water";
	c.due_at = T0 + 3 * DAY;
	memset(ev, 0, 2 * sizeof(*ev));
	ev[0] = (struct case_event_view){ T0 + 2 * HOUR, "department:water", "note",
	    "dispatched", "in_progress", "已到现场" };
	ev[1] = (struct case_event_view){ T0 + HOUR, actor, "dispatched", "accepted",
	    "dispatched", "department=water days=3" };
	c.events = ev;
	c.nevents = actor != NULL ? 2 : 0;
	return c;
}

static void
test_dept_show(void **state)
{
	struct case_event_view	 ev[2];
	struct case_view	 c = mkcase_dispatched("in_progress", "deputy:d-niu", ev);
	struct staff_result	 res;

	(void)state;
	run(PH_WATER, "查12", &c, &res);
	assert_int_equal(res.neffects, 1);
	assert_has(res.effects[0].text, "诉求12");
	assert_has(res.effects[0].text, "村口路灯不亮");
	staff_result_clear(&res);
	run(PH_WATER, "SHOW 12", &c, &res);
	assert_has(res.effects[0].text, "Case 12");
	staff_result_clear(&res);
}

/* 退回 by the department: back to whoever dispatched it, who is told. */
static void
test_dept_return(void **state)
{
	struct case_event_view	 ev[2];
	struct case_view	 c = mkcase_dispatched("in_progress", "deputy:d-niu", ev);
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *e;

	(void)state;
	run(PH_WATER, "退回12 不属我局职责，应由供电公司办理", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->status, "accepted");
	assert_true(up->accepted_at == 0);		/* no new 接单 */
	e = event_of(&res);
	assert_string_equal(e->event, "returned");
	assert_string_equal(e->actor, "department:water");
	assert_string_equal(e->detail, "不属我局职责，应由供电公司办理");
	e = msg_to(&res, SE_TO_DEPUTY, "d-niu");
	assert_has(e->text, "县水利局退回诉求12");
	assert_has(e->text, "供电公司");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "已退回");
	assert_int_equal(count(&res, SE_TO_RESIDENT), 0);
	staff_result_clear(&res);
	/* dispatched by the county office: it is told */
	c = mkcase_dispatched("dispatched", "staff:s-li", ev);
	run(PH_WATER, "DECLINE 12 not ours", &c, &res);
	assert_has(msg_to(&res, SE_TO_STAFF, "s-li")->text, "退回诉求12：not ours");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
	/* the dispatch not among the events loaded: the case's deputy */
	c = mkcase_dispatched("dispatched", NULL, ev);
	run(PH_WATER, "退回12 不归我局", &c, &res);
	msg_to(&res, SE_TO_DEPUTY, "d-niu");
	staff_result_clear(&res);
}

/* The department's 进展 reaches the deputy as well as the resident. */
static void
test_dept_note_reaches_deputy(void **state)
{
	struct case_event_view	 ev[2];
	struct case_view	 c = mkcase_dispatched("dispatched", "deputy:d-niu", ev);
	struct staff_result	 res;

	(void)state;
	run(PH_WATER, "进展12 已安排人员明天维修", &c, &res);
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "已安排人员明天维修");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-niu")->text, "县水利局");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-niu")->text, "已安排人员明天维修");
	staff_result_clear(&res);
	/* the deputy's own note does not come back to him */
	run(PH_NIU, "进展12 已催办", &c, &res);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
}

/* 督办 / PRESS: the department is pressed, the case records it. */
static void
test_press(void **state)
{
	struct case_event_view	 ev[2];
	struct case_view	 c = mkcase_dispatched("in_progress", "deputy:d-niu", ev);
	struct staff_result	 res;
	const struct staff_effect *e;

	(void)state;
	run(PH_NIU, "督办12 请本周内修好", &c, &res);
	assert_int_equal(count(&res, SE_CASE_UPDATE), 0);	/* status kept */
	e = event_of(&res);
	assert_string_equal(e->event, "pressed");
	assert_string_equal(e->actor, "deputy:d-niu");
	assert_string_equal(e->detail, "department=water 请本周内修好");
	e = msg_to(&res, SE_TO_DEPARTMENT, "water");
	assert_has(e->text, "【督办】牛代表督办诉求12：请本周内修好");
	assert_has(e->text, "进展12");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "已向县水利局督办诉求12");
	staff_result_clear(&res);
	run(PH_COUNTY, "PRESS 12 due on Friday", &c, &res);
	assert_string_equal(event_of(&res)->actor, "staff:s-li");
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "water")->text, "李主任");
	staff_result_clear(&res);
	c = mkcase("accepted");
	run(PH_NIU, "督办12 快点", &c, &res);
	assert_refused(&res, "没有承办部门");
	staff_result_clear(&res);
	run(PH_NIU, "督办12", &c, &res);
	assert_refused(&res, "用法：督办");
	staff_result_clear(&res);
}

/* --- joint handling (主办 + 协办) and the 交办's instruction ------------------ */

static void
test_dispatch_joint(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *m;

	(void)state;
	run(PH_NIU, "派单 12 城市管理,水利 5 清理垃圾并建长效机制", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->department, "sanitation");
	assert_string_equal(up->assist, "water");
	assert_string_equal(up->instruction, "清理垃圾并建长效机制");
	assert_true(up->due_at == T0 + HOUR + 5 * DAY);
	assert_string_equal(event_of(&res)->detail,
	    "department=sanitation assist=water days=5 清理垃圾并建长效机制");
	assert_int_equal(count(&res, SE_TO_DEPARTMENT), 2);
	m = msg_to(&res, SE_TO_DEPARTMENT, "sanitation");
	assert_has(m->text, "主办，协办：县水利局");
	assert_has(m->text, "要求：清理垃圾并建长效机制");
	m = msg_to(&res, SE_TO_DEPARTMENT, "water");
	assert_has(m->text, "协办，主办：县城市管理局");
	assert_has(m->text, "要求：清理垃圾并建长效机制");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "县城市管理局、县水利局");
	staff_result_clear(&res);
	/* one department, no instruction: both cleared */
	run(PH_NIU, "派单 12 water", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->assist, "");
	assert_string_equal(up->instruction, "");
	assert_int_equal(count(&res, SE_TO_DEPARTMENT), 1);
	assert_null(strstr(msg_to(&res, SE_TO_DEPARTMENT, "water")->text, "协办"));
	staff_result_clear(&res);
	/* the same twice counts once; an unknown one refuses all */
	run(PH_NIU, "派单 12 water,县水利局", &c, &res);
	assert_int_equal(count(&res, SE_TO_DEPARTMENT), 1);
	staff_result_clear(&res);
	run(PH_NIU, "派单 12 water,教育局 3", &c, &res);
	assert_refused(&res, "没有“教育局”这个部门");
	staff_result_clear(&res);
}

/* Only the lead resolves; an assisting department notes and looks. */
static void
test_assist_department(void **state)
{
	struct case_view	 c = mkcase("dispatched");
	struct staff_result	 res;

	(void)state;
	c.department = "sanitation";
	c.assist = "power,water";
	c.due_at = T0 + 3 * DAY;
	c.instruction = "清理垃圾并建长效机制";
	run(PH_WATER, "进展12 已派人协助清运", &c, &res);
	assert_string_equal(update_of(&res)->status, "in_progress");
	assert_string_equal(event_of(&res)->actor, "department:water");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "县水利局");
	staff_result_clear(&res);
	run(PH_WATER, "办结12 已清理", &c, &res);
	assert_refused(&res, "由主办单位办结");
	staff_result_clear(&res);
	run(PH_WATER, "退回12 不归我们", &c, &res);
	assert_refused(&res, "由主办单位办结");
	staff_result_clear(&res);
	run(PH_WATER, "查12", &c, &res);
	assert_has(res.effects[0].text, "县城市管理局、县供电公司、县水利局");
	assert_has(res.effects[0].text, "要求：清理垃圾并建长效机制");
	staff_result_clear(&res);
	run(PH_POWER, "进展12 已断电配合", &c, &res);
	assert_int_equal(count(&res, SE_CASE_EVENT), 1);
	staff_result_clear(&res);
	run(PH_STRANGER, "进展12 x", &c, &res);
	assert_refused(&res, "仅限代表和部门");
	staff_result_clear(&res);
	/* 督办 reaches the lead and those that assist */
	run(PH_NIU, "督办12 请本周完成", &c, &res);
	assert_int_equal(count(&res, SE_TO_DEPARTMENT), 3);
	msg_to(&res, SE_TO_DEPARTMENT, "sanitation");
	msg_to(&res, SE_TO_DEPARTMENT, "power");
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "water")->text, "请本周完成");
	assert_string_equal(event_of(&res)->detail,
	    "department=sanitation assist=power,water 请本周完成");
	staff_result_clear(&res);
	c.assist = NULL;
	run(PH_WATER, "进展12 已派人协助清运", &c, &res);
	assert_refused(&res, "不由您负责");
	staff_result_clear(&res);
}

/* An adopted 民生实事 project: every deputy who supervises it sees it and
 * acts on it as its deputy does; another deputy does neither. */
static void
test_supervised_project(void **state)
{
	struct case_view	 c = mkcase("dispatched");
	struct staff_input	 in;
	struct staff_result	 res;

	(void)state;
	c.grid = NULL;
	c.township = NULL;
	c.deputy = "d-niu";
	c.department = "transport";
	c.supervisors = "d-niu,d-han";
	memset(&in, 0, sizeof(in));
	in.phone = PH_HAN;
	staff_identify(cfg, in.phone, &in.deputy, &in.department);
	assert_true(staff_sees(cfg, &in, &c));
	in.phone = PH_WANG;
	staff_identify(cfg, in.phone, &in.deputy, &in.department);
	assert_false(staff_sees(cfg, &in, &c));
	run(PH_HAN, "查12", &c, &res);
	assert_has(res.effects[0].text, "诉求12");
	staff_result_clear(&res);
	run(PH_HAN, "督办12 雨季前完工", &c, &res);
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "transport")->text, "雨季前完工");
	assert_string_equal(event_of(&res)->actor, "deputy:d-han");
	staff_result_clear(&res);
	run(PH_WANG, "督办12 x", &c, &res);
	assert_refused(&res, "不由您负责");
	staff_result_clear(&res);
	c.supervisors = "d-niu,d-hanx";
	run(PH_HAN, "查12", &c, &res);
	assert_refused(&res, "不由您负责");
	staff_result_clear(&res);
}

/* A reopened case's new 交办 quotes the resident's complaint. */
static void
test_dispatch_reopened_quotes_complaint(void **state)
{
	struct case_view	 c = mkcase("reopened");
	struct case_event_view	 ev[2];
	struct staff_result	 res;

	(void)state;
	memset(ev, 0, sizeof(ev));
	ev[0] = (struct case_event_view){ T0 + 5 * HOUR, "resident", "reopened",
	    "resolved", "reopened", "rating=1 灯还是不亮，晚上照样黑" };
	c.events = ev;
	c.nevents = 1;
	c.department = "power";
	run(PH_NIU, "派单 12 power 2 重新检修线路", &c, &res);
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "power")->text,
	    "群众不满意：灯还是不亮，晚上照样黑");
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "power")->text, "要求：重新检修线路");
	staff_result_clear(&res);
	c.status = "accepted";		/* not reopened: no complaint quoted */
	run(PH_NIU, "派单 12 power 2", &c, &res);
	assert_null(strstr(msg_to(&res, SE_TO_DEPARTMENT, "power")->text, "不满意"));
	staff_result_clear(&res);
}

/* --- 代办: filing on behalf -------------------------------------------------- */

struct onbehalf_row {
	const char	*phone;
	const char	*text;
	const char	*actor;		/* SE_ONBEHALF's, or NULL: refused */
	const char	*want;		/* refused: in the reply */
};

static void
test_onbehalf(void **state)
{
	static const struct onbehalf_row rows[] = {
		{ PH_OBSERVER, "代办13812340000 王楼村老人家里停水三天了", "observer:o-qian",
		  NULL },
		{ PH_NIU, "代办 138 1234 0000 路灯坏了", "deputy:d-niu", NULL },
		{ PH_COUNTY, "ONBEHALF +86 138-1234-0000 no water", "staff:s-li", NULL },
		{ PH_WATER, "代办13812340000 路灯坏了", NULL, "只有代表、工作人员和民情观察员" },
		{ PH_OBSERVER, "代办12345 停水", NULL, "“12345”不是有效的手机号" },
		{ PH_OBSERVER, "代办18700187000 停水", NULL, "您本人的诉求请直接发送" },
		{ PH_OBSERVER, "代办 停水", NULL, "代办13800138000" },
		{ PH_OBSERVER, "接单12", NULL, "代办13800138000" },
		{ PH_OBSERVER, "帮助", NULL, "代办13800138000" },
		{ PH_OBSERVER, "列表", NULL, "代办13800138000" },
		{ PH_STRANGER, "代办13812340000 停水", NULL, "仅限代表和部门" },
	};
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;
	const struct staff_effect *e;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		run(rows[i].phone, rows[i].text, &c, &res);
		if (rows[i].actor == NULL) {
			assert_refused(&res, rows[i].want);
			staff_result_clear(&res);
			continue;
		}
		assert_int_equal(res.neffects, 1);
		e = &res.effects[0];
		assert_int_equal(e->kind, SE_ONBEHALF);
		assert_string_equal(e->actor, rows[i].actor);
		assert_string_equal(e->detail, "+8613812340000");
		assert_true(e->text != NULL && e->text[0] != '\0');
		staff_result_clear(&res);
	}
}

static void
test_onbehalf_grid(void **state)
{
	struct staff_input	 in;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.observer = config_observer(cfg, "o-qian");
	assert_int_equal(staff_onbehalf_grid(cfg, &in),
	    (int)(config_grid(cfg, "liuxindian") - cfg->grids));
	in.observer = NULL;
	in.deputy = config_deputy(cfg, "d-han");
	assert_int_equal(staff_onbehalf_grid(cfg, &in),
	    (int)(config_grid(cfg, "wanglou") - cfg->grids));
	in.deputy = config_deputy(cfg, "d-wu");		/* in no grid */
	assert_int_equal(staff_onbehalf_grid(cfg, &in), -1);
	in.deputy = NULL;
	in.staff = config_staff(cfg, "s-li");
	assert_int_equal(staff_onbehalf_grid(cfg, &in), -1);
}

/* --- tiers (分级): announcements, 上报, 分办 ----------------------------------- */

/* 接单 of a tier-2 case tells the township's staff and chair, of a tier-3
 * case the county office; a tier-1 case no one more. */
static void
test_tier_accept_announced(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;

	(void)state;
	run(PH_NIU, "接单12", &c, &res);		/* tier 2, 杨集乡 */
	assert_has(msg_to(&res, SE_TO_STAFF, "s-yangji")->text, "乡镇统筹");
	assert_has(msg_to(&res, SE_TO_STAFF, "s-yangji")->text, "牛代表");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-zhao")->text, "派单12");
	assert_int_equal(count(&res, SE_TO_STAFF), 1);	/* not the county */
	staff_result_clear(&res);
	c.tier = 3;
	run(PH_NIU, "接单12", &c, &res);
	assert_has(msg_to(&res, SE_TO_STAFF, "s-li")->text, "县级交办");
	assert_int_equal(count(&res, SE_TO_STAFF), 1);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
	c.tier = 1;
	run(PH_NIU, "接单12", &c, &res);
	assert_int_equal(count(&res, SE_TO_STAFF), 0);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
	/* the chair who takes it himself is not told; the clerk is */
	c = mkcase_yangji("received");
	run(PH_ZHAO, "接单12", &c, &res);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);		/* d-ma, the lead */
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-ma")->text, "赵代表");
	assert_has(msg_to(&res, SE_TO_STAFF, "s-yangji")->text, "赵代表");
	staff_result_clear(&res);
}

struct escalate_row {
	const char	*name;
	const char	*phone;
	const char	*text;
	const char	*status;
	int		 tier;		/* the case's */
	int		 want;		/* tier after, 0: refused */
	const char	*told;		/* a staff id told, or NULL */
	const char	*reply;		/* in the reply */
	const char	*resident;	/* in the resident's message, or NULL */
};

static const struct escalate_row escalate_rows[] = {
	{ "escalate station to township", PH_NIU, "上报12 需乡镇协调", "accepted", 1, 2,
	  "s-yangji", "已上报杨集乡", "杨集乡" },
	{ "escalate township to county", PH_NIU, "ESCALATE 12", "dispatched", 2, 3, "s-li",
	  "passed up to the county congress office", "县人大常委会" },
	{ "escalate by township staff", PH_CLERK, "上报12 涉及多个部门", "accepted", 2, 3,
	  "s-li", "已上报县人大常委会", "县人大常委会" },
	{ "escalate a received case", PH_NIU, "上报12", "received", 1, 2, "s-yangji",
	  "已上报", "杨集乡" },
	{ "escalate at the top refused", PH_NIU, "上报12", "accepted", 3, 0, NULL,
	  "不能再上报", NULL },
	{ "escalate a resolved case refused", PH_NIU, "上报12", "resolved", 1, 0, NULL,
	  "不能这样办理", NULL },
	{ "escalate a closed case refused", PH_NIU, "上报12", "closed", 1, 0, NULL,
	  "已评价办结，不能这样办理", NULL },
	{ "escalate by another grid's deputy refused", PH_HAN, "上报12", "accepted", 1, 0,
	  NULL, "不由您负责", NULL },
	{ "escalate by a stranger refused", PH_STRANGER, "上报12", "accepted", 1, 0, NULL,
	  "仅限代表和部门", NULL },
};

static void
test_escalate(void **state)
{
	const struct escalate_row *r = *state;
	struct case_view	 c = mkcase(r->status);
	struct staff_result	 res;
	const struct staff_effect *ev;
	char			 detail[64];

	c.tier = r->tier;
	run(r->phone, r->text, &c, &res);
	if (r->want == 0) {
		assert_refused(&res, r->reply);
		staff_result_clear(&res);
		return;
	}
	assert_int_equal(update_of(&res)->tier, r->want);
	assert_null(update_of(&res)->status);			/* status kept */
	ev = event_of(&res);
	assert_string_equal(ev->event, "tier_raised");
	snprintf(detail, sizeof(detail), "tier=%d->%d", r->tier, r->want);
	assert_int_equal(strncmp(ev->detail, detail, strlen(detail)), 0);
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, r->reply);
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, r->resident);
	assert_has(msg_to(&res, SE_TO_STAFF, r->told)->text, "上报");
	if (r->want == 2)					/* and the chair */
		assert_has(msg_to(&res, SE_TO_DEPUTY, "d-zhao")->text, "上报");
	else
		assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
}

/* The reason reaches the next level; the event keeps it. */
static void
test_escalate_reason(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;

	(void)state;
	c.tier = 1;
	run(PH_NIU, "上报12 需乡镇协调", &c, &res);
	assert_string_equal(event_of(&res)->detail, "tier=1->2 需乡镇协调");
	assert_string_equal(event_of(&res)->actor, "deputy:d-niu");
	assert_has(msg_to(&res, SE_TO_STAFF, "s-yangji")->text, "理由：需乡镇协调");
	assert_has(msg_to(&res, SE_TO_STAFF, "s-yangji")->text, "牛代表");
	staff_result_clear(&res);
}

/* 结案 N 理由: staff close an open case with the reason; who is told. */
static void
test_close(void **state)
{
	struct case_view	 c = mkcase("resolved");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *ev;

	(void)state;
	run(PH_COUNTY, "结案12 群众未评价，已电话回访满意", &c, &res);
	up = update_of(&res);
	assert_string_equal(up->status, "closed");
	assert_true(up->closed_at == T0 + HOUR);
	ev = event_of(&res);
	assert_string_equal(ev->event, "closed");
	assert_string_equal(ev->actor, "staff:s-li");
	assert_string_equal(ev->from_status, "resolved");
	assert_string_equal(ev->detail, "群众未评价，已电话回访满意");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "诉求12已结案");
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "已电话回访满意");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-niu")->text, "【结案】");
	assert_int_equal(count(&res, SE_TO_DEPARTMENT), 0);
	staff_result_clear(&res);
	/* a duplicate with the department: it is told to stop */
	c = mkcase("in_progress");
	c.department = "power";
	run(PH_CLERK, "CLOSE 12 duplicate of case 9", &c, &res);
	assert_string_equal(update_of(&res)->status, "closed");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "Case 12 is closed");
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "power")->text, "duplicate of case 9");
	staff_result_clear(&res);
	/* the township chair too */
	c = mkcase("received");
	run(PH_ZHAO, "结案12 重复诉求", &c, &res);
	assert_string_equal(update_of(&res)->status, "closed");
	staff_result_clear(&res);
}

static void
test_close_refused(void **state)
{
	static const struct { const char *phone, *text, *status, *want; } rows[] = {
		{ PH_NIU, "结案12 重复", "accepted", "只能由县人大常委会" },
		{ PH_WANG, "结案12 重复", "accepted", "不由您负责" },
		{ PH_POWER, "结案12 重复", "dispatched", "不由您负责" },
		{ PH_COUNTY, "结案12 重复", "closed", "已关闭" },
		{ PH_COUNTY, "结案12 重复", "declined", "已退回" },
		{ PH_COUNTY, "结案12", "accepted", "用法：结案" },
		{ PH_STRANGER, "结案12 重复", "accepted", "仅限代表和部门" },
	};
	struct case_view	 c;
	struct staff_result	 res;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		c = mkcase(rows[i].status);
		c.department = "power";
		run(rows[i].phone, rows[i].text, &c, &res);
		assert_refused(&res, rows[i].want);
		staff_result_clear(&res);
	}
}

/* A command parsed already (the API) runs as given: an instruction that
 * starts with a number is not read as the days, as "派单12 power 3日内修好"
 * would be. */
static void
test_step_parsed_cmd(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_cmd	 cmd;
	struct staff_input	 in;
	struct staff_result	 res;
	const struct case_update *up;

	(void)state;
	memset(&cmd, 0, sizeof(cmd));
	cmd.kind = SC_DISPATCH;
	cmd.number = 12;
	cmd.target = "power,water";
	cmd.text = "3日内修好";
	strlcpy(cmd.lang, "zh", sizeof(cmd.lang));
	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	in.now = T0;
	in.utc_offset_minutes = CN;
	in.phone = PH_NIU;
	staff_identify(cfg, PH_NIU, &in.deputy, &in.department);
	in.cmd = &cmd;
	in.kase = &c;
	assert_int_equal(staff_step(cfg, tix, &in, &res), 0);
	up = update_of(&res);
	assert_string_equal(up->department, "power");
	assert_string_equal(up->assist, "water");
	assert_string_equal(up->instruction, "3日内修好");
	assert_true(up->due_at == T0 + (int64_t)config_department(cfg,
	    "power")->deadline_days * 86400);
	assert_has(msg_to(&res, SE_TO_DEPARTMENT, "water")->text, "3日内修好");
	staff_result_clear(&res);
	/* neither text nor cmd: unusable */
	in.cmd = NULL;
	assert_int_equal(staff_step(cfg, tix, &in, &res), -1);
	staff_result_clear(&res);
}

/* A case of no known place, in the county office's triage queue. */
static struct case_view
mkcase_triage(void)
{
	struct case_view	 c = mkcase("received");

	c.grid = NULL;
	c.township = NULL;
	c.deputy = NULL;
	c.place = NULL;
	c.flags = CASE_FLAG_TRIAGE;
	return c;
}

static void
test_triage_places_case(void **state)
{
	struct case_view	 c = mkcase_triage();
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *ev, *m;

	(void)state;
	run_at(PH_COUNTY, "分办12 王楼村", &c, WED + HOUR, &res);
	up = update_of(&res);
	assert_string_equal(up->grid, "wanglou");
	assert_string_equal(up->township, "wanglou");
	assert_string_equal(up->deputy, "d-wang");
	assert_int_equal(up->flags_clear, CASE_FLAG_TRIAGE);
	assert_true(up->assigned_at == WED + HOUR);
	assert_null(up->status);
	ev = event_of(&res);
	assert_string_equal(ev->event, "triaged");
	assert_string_equal(ev->actor, "staff:s-li");
	assert_string_equal(ev->detail, "grid=wanglou deputy=d-wang");
	m = msg_to(&res, SE_TO_DEPUTY, "d-wang");
	assert_has(m->text, "分办");
	assert_has(m->text, "群众电话13812345678");
	assert_has(m->text, "接单12");
	msg_to(&res, SE_TO_DEPUTY, "d-han");		/* Wednesday: on duty */
	assert_has(msg_to(&res, SE_TO_RESIDENT, NULL)->text, "王楼村的王代表");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "王代表");
	staff_result_clear(&res);
	/* on a Monday only the lead; in English */
	run(PH_COUNTY, "TRIAGE 12 Dazhao", &c, &res);
	assert_string_equal(update_of(&res)->deputy, "d-guo");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "placed with");
	staff_result_clear(&res);
	run_at(PH_COUNTY, "分办12 王楼", &c, T0, &res);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);
	staff_result_clear(&res);
}

struct triage_refuse_row {
	const char	*phone;
	const char	*text;
	const char	*status;
	bool		 township;	/* the case's township is 杨集乡 */
	const char	*want;		/* in the refusal; NULL: allowed */
};

static void
test_triage_refused(void **state)
{
	static const struct triage_refuse_row rows[] = {
		{ PH_COUNTY, "分办12 火星村", "received", false, "没有“火星村”" },
		{ PH_COUNTY, "分办12 杨集乡", "received", false, "没有“杨集乡”" },
		{ PH_COUNTY, "分办12 王楼村", "accepted", false, "不能再分办" },
		{ PH_COUNTY, "分办12 王楼村", "closed", false, "不能再分办" },
		{ PH_CLERK, "分办12 王楼村", "received", false, "不由您负责" },
		{ PH_NIU, "分办12 王楼村", "received", false, "不由您负责" },
		{ PH_STRANGER, "分办12 王楼村", "received", false, "仅限代表和部门" },
		/* a township's triage: its chair and clerk place it */
		{ PH_CLERK, "分办12 杨集村", "received", true, NULL },
		{ PH_ZHAO, "分办12 刘辛店", "received", true, NULL },
		{ PH_WANG, "分办12 刘辛店", "received", true, "不由您负责" },
	};
	struct case_view	 c;
	struct staff_result	 res;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		c = mkcase_triage();
		c.status = rows[i].status;
		if (rows[i].township) {
			c.township = "yangji";
			c.deputy = "d-zhao";
		}
		run(rows[i].phone, rows[i].text, &c, &res);
		if (rows[i].want != NULL)
			assert_refused(&res, rows[i].want);
		else
			assert_int_equal(count(&res, SE_CASE_UPDATE), 1);
		staff_result_clear(&res);
	}
}

/* The sender's open cases, oldest first, overdue marked. */
static void
test_list(void **state)
{
	struct case_view	 mine[4];
	struct staff_input	 in;
	struct staff_result	 res;
	const char		*t, *a, *b, *d;

	(void)state;
	mine[0] = mkcase("accepted");
	mine[0].number = 30;
	mine[0].created_at = T0 - DAY;
	mine[1] = mkcase("dispatched");
	mine[1].number = 21;
	mine[1].created_at = T0 - 5 * DAY;
	mine[1].department = "water";
	mine[1].due_at = T0 - DAY;		/* overdue */
	mine[2] = mkcase("closed");
	mine[2].number = 7;
	mine[2].created_at = T0 - 9 * DAY;
	mine[3] = mkcase("received");
	mine[3].number = 33;
	mine[3].category = "water";
	mine[3].created_at = T0;
	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	in.now = T0 + HOUR;
	in.utc_offset_minutes = CN;
	in.phone = PH_NIU;
	in.deputy = config_deputy(cfg, "d-niu");
	in.text = "列表";
	in.mine = mine;
	in.nmine = nitems(mine);
	assert_int_equal(staff_step(cfg, tix, &in, &res), 0);
	check_texts(&res);
	assert_int_equal(res.neffects, 1);
	t = res.effects[0].text;
	assert_has(t, "待办3件");
	assert_null(strstr(t, "\n7 "));			/* closed: not listed */
	assert_non_null(a = strstr(t, "\n21 "));
	assert_non_null(b = strstr(t, "\n30 "));
	assert_non_null(d = strstr(t, "\n33 "));
	assert_true(a < b && b < d);			/* oldest first */
	assert_has(a, "已派单");
	assert_true(strstr(a, "【超期】") != NULL && strstr(a, "【超期】") < b);
	assert_null(strstr(b, "【超期】"));
	assert_has(d, "供水");
	staff_result_clear(&res);
}

static void
test_list_cut(void **state)
{
	struct case_view	 mine[30];
	struct staff_input	 in;
	struct staff_result	 res;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(mine); i++) {
		mine[i] = mkcase("accepted");
		mine[i].number = 100 + (long)i;
		mine[i].created_at = T0 + (int64_t)i;
	}
	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	in.now = T0 + HOUR;
	in.utc_offset_minutes = CN;
	in.phone = PH_NIU;
	in.deputy = config_deputy(cfg, "d-niu");
	in.text = "LIST";
	in.mine = mine;
	in.nmine = nitems(mine);
	assert_int_equal(staff_step(cfg, tix, &in, &res), 0);
	check_texts(&res);
	assert_has(res.effects[0].text, "30 open cases");
	assert_has(res.effects[0].text, "\n100 ");
	assert_null(strstr(res.effects[0].text, "\n129 "));
	assert_has(res.effects[0].text, "\n...");
	staff_result_clear(&res);
	in.nmine = 0;
	in.text = "列表";
	assert_int_equal(staff_step(cfg, tix, &in, &res), 0);
	assert_string_equal(res.effects[0].text, config_template(cfg, "zh",
	    "staff_list_empty"));
	staff_result_clear(&res);
}

static void
test_show(void **state)
{
	struct case_view	 c = mkcase("in_progress");
	struct case_event_view	 ev[4];
	struct staff_result	 res;
	const char		*t;

	(void)state;
	memset(ev, 0, sizeof(ev));
	ev[0] = (struct case_event_view){ T0 + 5 * HOUR, "department:water", "note",
	    "dispatched", "in_progress", "已到现场" };
	ev[1] = (struct case_event_view){ T0 + 2 * HOUR, "deputy:d-niu", "dispatched",
	    "accepted", "dispatched", "department=water days=3" };
	ev[2] = (struct case_event_view){ T0 + HOUR, "deputy:d-niu", "accepted",
	    "received", "accepted", NULL };
	ev[3] = (struct case_event_view){ T0, "resident", "created", NULL, "received",
	    NULL };
	c.department = "water";
	c.due_at = T0 + 3 * DAY;
	c.events = ev;
	c.nevents = nitems(ev);
	run(PH_NIU, "查12", &c, &res);
	assert_int_equal(res.neffects, 1);
	t = res.effects[0].text;
	assert_has(t, "诉求12【办理中】");
	assert_has(t, "村口路灯不亮三天了");
	assert_has(t, "县水利局");
	assert_has(t, "11月26日10:00");
	assert_has(t, "11月23日11:00 代表已接单");
	assert_has(t, "进展：已到现场");
	assert_null(strstr(t, "11月23日10:00"));	/* only the last three */
	assert_true(strstr(t, "代表已接单") < strstr(t, "进展："));
	staff_result_clear(&res);
}

/* --- ratings ------------------------------------------------------------------ */

struct rating_row {
	const char	*raw;
	int		 rc;
	int		 score;
	const char	*comment;
};

static const struct rating_row rating_rows[] = {
	{ "5", 0, 5, "" },
	{ "５", 0, 5, "" },
	{ "五", 0, 5, "" },
	{ "1", 0, 1, "" },
	{ "3分", 0, 3, "" },
	{ " 4 ", 0, 4, "" },
	{ "满意", 0, 5, "" },
	{ "基本满意", 0, 3, "" },
	{ "不满意", 0, 1, "" },
	{ "滿意", 0, 5, "" },
	{ "非常满意，谢谢", 0, 5, "谢谢" },
	{ "5 修得很快", 0, 5, "修得很快" },
	{ "2，路灯还是时亮时不亮", 0, 2, "路灯还是时亮时不亮" },
	{ "不满意，还是没水", 0, 1, "还是没水" },
	{ "二 太慢了", 0, 2, "太慢了" },
	{ "satisfied", 0, 5, "" },
	{ "Fair, took long", 0, 3, "took long" },
	{ "unsatisfied", 0, 1, "" },
	{ "6", -1, 0, NULL },
	{ "0", -1, 0, NULL },
	{ "12", -1, 0, NULL },
	{ "5号楼又停水了", -1, 0, NULL },
	{ "一直没修好", -1, 0, NULL },
	{ "三楼漏水", -1, 0, NULL },
	{ "hello", -1, 0, NULL },
	{ "", -1, 0, NULL },
	/* everyday words, standing alone (README: "Rating words") */
	{ "好", 0, 4, "" },
	{ "好的", 0, 4, "" },
	{ "好！", 0, 4, "" },
	{ "挺好的", 0, 4, "" },
	{ "挺好的，谢谢", 0, 4, "谢谢" },
	{ "不错啊", 0, 4, "" },
	{ "不錯", 0, 4, "" },
	{ "很好", 0, 5, "" },
	{ "很好 修得很及时", 0, 5, "修得很及时" },
	{ "非常好！！", 0, 5, "" },
	{ "满分", 0, 5, "" },
	{ "滿分", 0, 5, "" },
	{ "一般", 0, 3, "" },
	{ "一般般吧", 0, 3, "" },
	{ "还行", 0, 3, "" },
	{ "还行吧。", 0, 3, "" },
	{ "還行", 0, 3, "" },
	{ "还可以", 0, 3, "" },
	{ "不太好", 0, 2, "" },
	{ "不太满意，拖了一周", 0, 2, "拖了一周" },
	{ "差", 0, 1, "" },
	{ "差！", 0, 1, "" },
	{ "很差，到现在还没修", 0, 1, "到现在还没修" },
	{ "差評", 0, 1, "" },
	{ "不好", 0, 1, "" },
	{ "不好，灯还是不亮", 0, 1, "灯还是不亮" },
	{ "糟糕", 0, 1, "" },
	/* scores with a unit, full-width digits */
	{ "五星", 0, 5, "" },
	{ "五星好评", 0, 5, "好评" },
	{ "五颗星", 0, 5, "" },
	{ "5分", 0, 5, "" },
	{ "５分", 0, 5, "" },
	{ "５星", 0, 5, "" },
	{ "４", 0, 4, "" },
	{ "三分，太慢", 0, 3, "太慢" },
	{ "5 stars", 0, 5, "" },
	{ "5 Stars, thanks", 0, 5, "thanks" },
	{ "4 points", 0, 4, "" },
	/* English */
	{ "good", 0, 4, "" },
	{ "Good!", 0, 4, "" },
	{ "GOOD", 0, 4, "" },
	{ "good, thanks", 0, 4, "thanks" },
	{ "great", 0, 5, "" },
	{ "poor", 0, 2, "" },
	{ "bad", 0, 1, "" },
	{ "Bad.", 0, 1, "" },
	{ "terrible", 0, 1, "" },
	/* words that must not be ratings */
	{ "不好意思，王楼村又停水了", -1, 0, NULL },
	{ "好像又坏了", -1, 0, NULL },
	{ "好多人家都停水了", -1, 0, NULL },
	{ "很好奇什么时候修", -1, 0, NULL },
	{ "差不多修好了", -1, 0, NULL },
	{ "差点摔倒，路灯还是不亮", -1, 0, NULL },
	{ "一般来说晚上七点亮灯", -1, 0, NULL },
	{ "还行不行啊", -1, 0, NULL },
	{ "你好", -1, 0, NULL },
	{ "6分", -1, 0, NULL },
	{ "10分", -1, 0, NULL },
	{ "0星", -1, 0, NULL },
	{ "六星", -1, 0, NULL },
	{ "good morning", -1, 0, NULL },
	{ "goodbye", -1, 0, NULL },
	{ "badminton court lights", -1, 0, NULL },
	{ "bad light again", -1, 0, NULL },
	{ "greatly delayed", -1, 0, NULL },
};

static void
test_rating_parse(void **state)
{
	const struct rating_row	*r = *state;
	const char		*comment = NULL;
	int			 score = 0;

	assert_int_equal(rating_parse(r->raw, &score, &comment), r->rc);
	if (r->rc == 0) {
		assert_int_equal(score, r->score);
		assert_non_null(comment);
		assert_string_equal(comment, r->comment);
	}
}

static void
test_rating_close(void **state)
{
	struct case_view	 c = mkcase("resolved");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *ev;

	(void)state;
	memset(&res, 0, sizeof(res));
	c.resolved_at = T0;
	assert_int_equal(rating_step(cfg, &c, "满意 修得很快", T0 + DAY, &res), 0);
	check_texts(&res);
	up = update_of(&res);
	assert_string_equal(up->status, "closed");
	assert_int_equal(up->rating, 5);
	assert_string_equal(up->rating_comment, "修得很快");
	assert_true(up->closed_at == T0 + DAY);
	ev = event_of(&res);
	assert_string_equal(ev->actor, "resident");
	assert_string_equal(ev->event, "rated");
	assert_string_equal(ev->detail, "rating=5 修得很快");
	assert_string_equal(msg_to(&res, SE_REPLY, NULL)->text,
	    config_template(cfg, "zh", "rating_thanks"));
	assert_int_equal(count(&res, SE_TO_DEPUTY), 0);
	staff_result_clear(&res);
	assert_int_equal(rating_step(cfg, &c, "3", T0 + DAY, &res), 0);
	assert_string_equal(update_of(&res)->status, "closed");
	assert_null(update_of(&res)->rating_comment);
	staff_result_clear(&res);
}

static void
test_rating_reopen(void **state)
{
	struct case_view	 c = mkcase("resolved");
	struct staff_result	 res;
	const struct case_update *up;
	const struct staff_effect *m;

	(void)state;
	memset(&res, 0, sizeof(res));
	c.resolved_at = T0;
	assert_int_equal(rating_step(cfg, &c, "不满意，路灯还是不亮", T0 + DAY, &res), 0);
	check_texts(&res);
	up = update_of(&res);
	assert_string_equal(up->status, "reopened");
	assert_int_equal(up->rating, 1);
	assert_true(up->assigned_at == T0 + DAY);
	assert_string_equal(event_of(&res)->event, "reopened");
	assert_has(msg_to(&res, SE_REPLY, NULL)->text, "重新办理");
	/* the deputy and the township chair */
	m = msg_to(&res, SE_TO_DEPUTY, "d-niu");
	assert_has(m->text, "12");
	assert_has(m->text, "1分");
	assert_has(m->text, "路灯还是不亮");
	msg_to(&res, SE_TO_DEPUTY, "d-zhao");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 2);
	staff_result_clear(&res);
	/* the chair is the case's deputy: told once */
	c = mkcase_yangji("resolved");
	c.deputy = "d-zhao";
	assert_int_equal(rating_step(cfg, &c, "2", T0 + DAY, &res), 0);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);
	staff_result_clear(&res);
}

static void
test_rating_not_applicable(void **state)
{
	struct case_view	 c = mkcase("in_progress");
	struct staff_result	 res;

	(void)state;
	memset(&res, 0, sizeof(res));
	assert_int_equal(rating_step(cfg, &c, "5", T0, &res), -1);
	assert_int_equal(res.neffects, 0);
	c.status = "resolved";
	assert_int_equal(rating_step(cfg, &c, "路灯又坏了", T0, &res), -1);
	assert_int_equal(res.neffects, 0);
}

/* --- the scheduler -------------------------------------------------------------- */

struct quiet_row {
	int		 start, end;	/* minutes */
	int		 off;		/* minutes east of UTC */
	int64_t		 local;		/* seconds after 2026-11-23 00:00 local */
	int64_t		 want;		/* same, for the release */
};

#define HM(h, m)	((int64_t)(h) * 3600 + (int64_t)(m) * 60)

static const struct quiet_row quiet_rows[] = {
	{ 1320, 480, CN, HM(21, 59), HM(21, 59) },
	{ 1320, 480, CN, HM(22, 0), HM(32, 0) },
	{ 1320, 480, CN, HM(23, 30), HM(32, 0) },
	{ 1320, 480, CN, HM(3, 0), HM(8, 0) },
	{ 1320, 480, CN, HM(7, 59) + 59, HM(8, 0) },
	{ 1320, 480, CN, HM(8, 0), HM(8, 0) },
	{ 1320, 480, CN, HM(12, 0), HM(12, 0) },
	{ 1320, 480, -300, HM(23, 0), HM(32, 0) },
	{ 1320, 480, -300, HM(9, 0), HM(9, 0) },
	{ 780, 840, CN, HM(13, 30), HM(14, 0) },	/* 13:00-14:00, same day */
	{ 780, 840, CN, HM(12, 59), HM(12, 59) },
	{ 780, 840, CN, HM(14, 0), HM(14, 0) },
	{ 600, 600, CN, HM(10, 0), HM(10, 0) },		/* none */
};

static void
test_quiet_release(void **state)
{
	int	 s = cfg->quiet_start, e = cfg->quiet_end;
	size_t	 i;
	int64_t	 midnight, t;

	(void)state;
	for (i = 0; i < nitems(quiet_rows); i++) {
		cfg->quiet_start = quiet_rows[i].start;
		cfg->quiet_end = quiet_rows[i].end;
		/* local midnight of 2026-11-23 in that zone, as UTC seconds */
		midnight = T0 - 2 * HOUR - (int64_t)quiet_rows[i].off * 60;
		t = midnight + quiet_rows[i].local;
		if (quiet_release(cfg, t, quiet_rows[i].off) != midnight + quiet_rows[i].want) {
			print_message("row %zu: got %+lld s\n", i, (long long)(quiet_release(cfg,
			    t, quiet_rows[i].off) - midnight - quiet_rows[i].want));
			fail();
		}
	}
	cfg->quiet_start = s;
	cfg->quiet_end = e;
}

/* Run the scheduler on c at now. */
static int
tick(const struct case_view *c, int64_t now, struct staff_result *res)
{
	int	 n;

	memset(res, 0, sizeof(*res));
	n = schedule_step(cfg, c, now, CN, res);
	check_texts(res);
	return n;
}

static void
test_sched_accept_reminder(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;
	const struct staff_effect *m;
	const struct case_update *up;

	(void)state;
	assert_true(schedule_next(cfg, &c) == T0 + 24 * HOUR);
	assert_int_equal(tick(&c, T0 + 24 * HOUR - 1, &res), 0);
	assert_int_equal(res.neffects, 0);
	assert_int_equal(tick(&c, T0 + 24 * HOUR, &res), 1);
	m = msg_to(&res, SE_TO_DEPUTY, "d-niu");
	assert_has(m->text, "接单12");
	assert_has(m->text, "24");
	assert_false(m->urgent);
	assert_string_equal(m->msg_kind, "reminder");
	assert_true(m->not_before == T0 + 24 * HOUR);	/* 10:00 */
	up = update_of(&res);
	assert_true(up->reminded_at == T0 + 24 * HOUR);
	assert_int_equal(up->flags_set, CASE_FLAG_REMINDED);
	assert_string_equal(event_of(&res)->event, "reminded");
	assert_string_equal(event_of(&res)->actor, "scheduler");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);
	staff_result_clear(&res);
	/* stored: not again */
	c.reminded_at = T0 + 24 * HOUR;
	c.flags = CASE_FLAG_REMINDED;
	assert_int_equal(tick(&c, T0 + 30 * HOUR, &res), 0);
	assert_true(schedule_next(cfg, &c) == T0 + 48 * HOUR);
	staff_result_clear(&res);
}

static void
test_sched_escalate(void **state)
{
	struct case_view	 c = mkcase_yangji("received");
	struct staff_result	 res;
	const struct case_update *up;

	(void)state;
	c.reminded_at = T0 + 24 * HOUR;
	assert_int_equal(tick(&c, T0 + 48 * HOUR - 1, &res), 0);
	assert_int_equal(tick(&c, T0 + 48 * HOUR, &res), 1);
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-liu")->text, "马代表");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-zhao")->text, "48");
	assert_int_equal(count(&res, SE_TO_DEPUTY), 2);
	up = update_of(&res);
	assert_true(up->escalated_at == T0 + 48 * HOUR);
	assert_int_equal(up->flags_set, CASE_FLAG_ESCALATED);
	assert_string_equal(event_of(&res)->event, "escalated");
	assert_string_equal(event_of(&res)->detail, "to=d-liu,d-zhao");
	staff_result_clear(&res);
	c.escalated_at = T0 + 48 * HOUR;
	assert_int_equal(tick(&c, T0 + 100 * HOUR, &res), 0);
	assert_true(schedule_next(cfg, &c) == 0);
	staff_result_clear(&res);
}

/* liuxindian: backup and chair are both d-zhao: told once. */
static void
test_sched_escalate_once_each(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;

	(void)state;
	c.reminded_at = T0 + 24 * HOUR;
	assert_int_equal(tick(&c, T0 + 48 * HOUR, &res), 1);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 1);
	msg_to(&res, SE_TO_DEPUTY, "d-zhao");
	staff_result_clear(&res);
}

/* After a long stop both rules are due: both fire, once. */
static void
test_sched_catch_up(void **state)
{
	struct case_view	 c = mkcase_yangji("received");
	struct staff_result	 res;

	(void)state;
	assert_int_equal(tick(&c, T0 + 50 * HOUR, &res), 2);
	assert_int_equal(count(&res, SE_TO_DEPUTY), 3);		/* d-ma; d-liu, d-zhao */
	assert_int_equal(count(&res, SE_CASE_EVENT), 2);
	staff_result_clear(&res);
}

/* A transfer restarts the clock for the new deputy. */
static void
test_sched_after_transfer(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;

	(void)state;
	c.deputy = "d-ma";
	c.reminded_at = T0 + 24 * HOUR;
	c.assigned_at = T0 + 30 * HOUR;
	assert_int_equal(tick(&c, T0 + 40 * HOUR, &res), 0);
	assert_true(schedule_next(cfg, &c) == T0 + 54 * HOUR);
	assert_int_equal(tick(&c, T0 + 54 * HOUR, &res), 1);
	msg_to(&res, SE_TO_DEPUTY, "d-ma");
	staff_result_clear(&res);
}

static void
test_sched_accepted_quiet(void **state)
{
	struct case_view	 c = mkcase("accepted");
	struct staff_result	 res;

	(void)state;
	assert_int_equal(tick(&c, T0 + 100 * HOUR, &res), 0);
	assert_true(schedule_next(cfg, &c) == 0);
	c.status = "closed";
	assert_int_equal(tick(&c, T0 + 100 * HOUR, &res), 0);
	assert_true(schedule_next(cfg, &c) == 0);
}

static void
test_sched_overdue(void **state)
{
	struct case_view	 c = mkcase("dispatched");
	struct staff_result	 res;
	const struct staff_effect *m;
	int64_t			 due = T0 + 3 * DAY;

	(void)state;
	c.department = "water";
	c.due_at = due;
	c.reminded_at = T0 + 24 * HOUR;		/* an earlier accept reminder */
	assert_true(schedule_next(cfg, &c) == due);
	assert_int_equal(tick(&c, due - 1, &res), 0);
	assert_int_equal(tick(&c, due, &res), 1);
	m = msg_to(&res, SE_TO_DEPARTMENT, "water");
	assert_has(m->text, "办结12");
	assert_has(m->text, "11月26日10:00");
	assert_has(msg_to(&res, SE_TO_DEPUTY, "d-niu")->text, "县水利局");
	assert_int_equal(update_of(&res)->flags_set, CASE_FLAG_OVERDUE);
	assert_true(update_of(&res)->reminded_at == due);
	assert_string_equal(event_of(&res)->event, "overdue");
	staff_result_clear(&res);
	/* once a day until resolved */
	c.status = "in_progress";
	c.reminded_at = due;
	c.flags = CASE_FLAG_OVERDUE;
	assert_int_equal(tick(&c, due + DAY - 1, &res), 0);
	assert_int_equal(tick(&c, due + DAY, &res), 1);
	staff_result_clear(&res);
	c.status = "resolved";
	c.resolved_at = due + 2 * HOUR;
	assert_int_equal(tick(&c, due + DAY, &res), 0);
}

/* Reminders decided in the quiet hours wait for their end. */
static void
test_sched_quiet_hours(void **state)
{
	struct case_view	 c = mkcase("dispatched");
	struct staff_result	 res;
	int64_t			 due = T0 + 13 * HOUR;	/* 23:00 */

	(void)state;
	c.department = "water";
	c.due_at = due;
	assert_int_equal(tick(&c, due, &res), 1);
	assert_true(msg_to(&res, SE_TO_DEPARTMENT, "water")->not_before == T0 + 22 * HOUR);
	assert_true(msg_to(&res, SE_TO_DEPUTY, "d-niu")->not_before == T0 + 22 * HOUR);
	/* the decision itself is stored now: no second one at release */
	assert_true(update_of(&res)->reminded_at == due);
	staff_result_clear(&res);
}

static void
test_sched_rating(void **state)
{
	struct case_view	 c = mkcase("resolved");
	struct staff_result	 res;
	const struct staff_effect *m;
	int64_t			 r = T0;

	(void)state;
	c.resolved_at = r;
	c.reminded_at = T0 - DAY;
	assert_true(schedule_next(cfg, &c) == r + 72 * HOUR);
	assert_int_equal(tick(&c, r + 72 * HOUR - 1, &res), 0);
	assert_int_equal(tick(&c, r + 72 * HOUR, &res), 1);
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_has(m->text, "12");
	assert_has(m->text, "满意");
	assert_string_equal(m->msg_kind, "rating");
	assert_false(m->urgent);
	assert_true(update_of(&res)->reminded_at == r + 72 * HOUR);
	assert_null(update_of(&res)->status);
	staff_result_clear(&res);
	c.reminded_at = r + 72 * HOUR;
	assert_true(schedule_next(cfg, &c) == r + 144 * HOUR);
	assert_int_equal(tick(&c, r + 100 * HOUR, &res), 0);
	assert_int_equal(tick(&c, r + 144 * HOUR, &res), 1);
	assert_string_equal(update_of(&res)->status, "closed");
	assert_true(update_of(&res)->closed_at == r + 144 * HOUR);
	assert_string_equal(event_of(&res)->event, "closed_unrated");
	assert_int_equal(count(&res, SE_TO_RESIDENT), 0);
	staff_result_clear(&res);
	/* never reminded and already past twice: closed, no late reminder */
	c.reminded_at = 0;
	assert_int_equal(tick(&c, r + 200 * HOUR, &res), 1);
	assert_string_equal(update_of(&res)->status, "closed");
	assert_int_equal(count(&res, SE_TO_RESIDENT), 0);
	staff_result_clear(&res);
}

static void
test_sched_rating_english(void **state)
{
	struct case_view	 c = mkcase("resolved");
	struct staff_result	 res;
	const struct staff_effect *m;

	(void)state;
	c.language = "en";
	c.resolved_at = T0;
	assert_int_equal(tick(&c, T0 + 73 * HOUR, &res), 1);
	m = msg_to(&res, SE_TO_RESIDENT, NULL);
	assert_string_equal(m->lang, "en");
	assert_has(m->text, "Case 12 is resolved");
	staff_result_clear(&res);
}

/* A triage case has no deputy: its township chair is reminded. */
static void
test_sched_triage(void **state)
{
	struct case_view	 c = mkcase("received");
	struct staff_result	 res;

	(void)state;
	c.grid = NULL;
	c.deputy = NULL;
	c.place = NULL;
	c.flags = CASE_FLAG_TRIAGE;
	assert_int_equal(tick(&c, T0 + 24 * HOUR, &res), 1);
	msg_to(&res, SE_TO_DEPUTY, "d-zhao");
	staff_result_clear(&res);
}

/* --- every template the staff side uses renders within two segments ---------- */

static void
test_templates_fit(void **state)
{
	static const char *const keys[] = {
		"staff_refuse_closed", "staff_refuse_declined", "staff_refuse_cancelled",
		"staff_refuse_resolved", "staff_refuse_accepted",
		"staff_refuse_not_accepted", "staff_refuse_not_dispatched",
		"staff_refuse_dispatched", "staff_refuse_not_resolved",
		"staff_refuse_status", "staff_not_yours", "staff_unknown",
		"staff_dept_help", "staff_usage_accept", "staff_usage_dispatch",
		"staff_usage_note", "staff_usage_resolve", "staff_usage_transfer",
		"staff_usage_decline", "staff_usage_show", "staff_dept_unknown",
		"staff_dept_ambiguous", "staff_target_unknown", "staff_target_same",
		"staff_ok_accepted", "staff_ok_dispatched", "staff_ok_note",
		"staff_ok_resolved", "staff_ok_transferred", "staff_ok_declined",
		"staff_res_accepted", "staff_res_dispatched", "staff_res_note",
		"staff_res_declined", "staff_dept_new_case", "staff_dept_howto",
		"staff_dept_withdrawn", "staff_dep_resolved", "staff_dep_transferred",
		"staff_dep_transferred_out", "staff_dep_reopened", "staff_comment",
		"rating_reopened", "staff_list", "staff_list_line", "staff_list_overdue",
		"staff_list_empty", "staff_show", "staff_show_due", "staff_show_event",
		"staff_show_note", "staff_ev_transferred", "staff_ev_reminded",
		"staff_ev_escalated", "sched_accept_reminder", "sched_escalate",
		"sched_overdue_dept", "sched_overdue_deputy", "sched_rating_reminder",
		"staff_dep_taken", "staff_usage_escalate", "staff_usage_triage",
		"staff_escalate_top", "staff_ok_escalated", "staff_res_escalated",
		"staff_tier_raised", "staff_tier2_accepted", "staff_tier3_accepted",
		"staff_refuse_triage", "staff_grid_unknown", "staff_dep_triaged",
		"staff_ok_triaged", "staff_res_triaged", "staff_dept_caller",
		"staff_ev_tier_raised", "staff_ev_triaged", "staff_usage_press",
		"staff_press_none", "staff_dept_pressed", "staff_ok_pressed",
		"staff_dep_note", "staff_ok_returned", "staff_dep_returned",
		"staff_ev_pressed", "staff_usage_onbehalf", "staff_onbehalf_who",
		"staff_onbehalf_phone", "staff_onbehalf_self", "staff_onbehalf_no_channel",
		"observer_help", "staff_dept_lead", "staff_dept_assist",
		"staff_dept_instruction", "staff_dept_complaint", "staff_assist_no_resolve",
		"staff_show_instruction", "staff_usage_close", "staff_close_not_yours",
		"staff_ok_closed", "staff_res_closed", "staff_closed_notice",
	};
	/* realistic values at their longest */
	const char	*v[] = { "number", "123456", "status", "代表已接单", "category",
	    "养老服务", "place", "颜村铺村", "deputy", "牛代表", "department",
	    "县人力资源和社会保障局", "due", "12月31日18:00", "hours", "48", "grid",
	    "颜村铺村", "by", "县人力资源和社会保障局", "score", "2", "count", "12",
	    "time", "12月31日18:00", "event", "代表已接单", "overdue", "【超期】",
	    "target", "颜村铺村", "choices", "县水利局、县民政局", "howto", "",
	    "description", "", "text", "", "reason", "", "result", "", "comment", "",
	    "lines", "", "extra", "", "level", "县人大常委会", "note",
	    "，理由：需要县里协调多个部门", "caller", "群众电话13800138000。", "phone",
	    "13800138000", NULL };
	const char	*langs[] = { "zh", "en" };
	char		*out;
	size_t		 i, l;

	(void)state;
	for (i = 0; i < nitems(keys); i++)
		for (l = 0; l < nitems(langs); l++) {
			assert_true(config_template_known(keys[i]));
			out = dialog_render(cfg, langs[l], keys[i], v);
			if (utf8_sms_segments(out) > 2) {
				print_message("%s/%s: %s\n", keys[i], langs[l], out);
				fail();
			}
			free(out);
		}
}

#define TABLE(rows, fn, namefmt)						\
	for (i = 0; i < nitems(rows); i++) {					\
		memset(&tests[n], 0, sizeof(tests[n]));				\
		snprintf(names[n], sizeof(names[0]), namefmt, rows[i].NAMEFIELD); \
		tests[n].name = names[n];					\
		tests[n].test_func = fn;					\
		tests[n].initial_state = ROW(&rows[i]);				\
		n++;								\
	}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_transitions_allowed),
		cmocka_unit_test(test_transitions_only_those),
		cmocka_unit_test(test_transitions_refused),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_workflow_apply),
		cmocka_unit_test(test_parse_null),
		cmocka_unit_test(test_usage_reply),
		cmocka_unit_test(test_identify),
		cmocka_unit_test(test_unknown_case),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_accept_by_backup),
		cmocka_unit_test(test_accept_english),
		cmocka_unit_test(test_refuse_closed_text),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_dispatch_default_days),
		cmocka_unit_test(test_redispatch),
		cmocka_unit_test(test_note_by_department),
		cmocka_unit_test(test_note_by_deputy),
		cmocka_unit_test(test_resolve_by_department),
		cmocka_unit_test(test_resolve_by_deputy_at_night),
		cmocka_unit_test(test_transfer_to_deputy),
		cmocka_unit_test(test_transfer_by_chair),
		cmocka_unit_test(test_decline),
		cmocka_unit_test(test_long_texts_fit),
		cmocka_unit_test(test_render_fit),
		cmocka_unit_test(test_fmt_time),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_cut),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_rating_close),
		cmocka_unit_test(test_rating_reopen),
		cmocka_unit_test(test_rating_not_applicable),
		cmocka_unit_test(test_quiet_release),
		cmocka_unit_test(test_sched_accept_reminder),
		cmocka_unit_test(test_sched_escalate),
		cmocka_unit_test(test_sched_escalate_once_each),
		cmocka_unit_test(test_sched_catch_up),
		cmocka_unit_test(test_sched_after_transfer),
		cmocka_unit_test(test_sched_accepted_quiet),
		cmocka_unit_test(test_sched_overdue),
		cmocka_unit_test(test_sched_quiet_hours),
		cmocka_unit_test(test_sched_rating),
		cmocka_unit_test(test_sched_rating_english),
		cmocka_unit_test(test_sched_triage),
		cmocka_unit_test(test_templates_fit),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_grid_alerted),
		cmocka_unit_test(test_accept_by_second_deputy),
		cmocka_unit_test(test_accept_tells_duty_deputy),
		cmocka_unit_test(test_accept_by_staff),
		cmocka_unit_test(test_show_by_grid_deputy),
		cmocka_unit_test(test_staff_sees),
		cmocka_unit_test(test_supervised_project),
		cmocka_unit_test(test_list_township),
		cmocka_unit_test(test_tier_accept_announced),
		cmocka_unit_test(test_dept_show),
		cmocka_unit_test(test_dept_return),
		cmocka_unit_test(test_dept_note_reaches_deputy),
		cmocka_unit_test(test_press),
		cmocka_unit_test(test_onbehalf),
		cmocka_unit_test(test_dispatch_joint),
		cmocka_unit_test(test_assist_department),
		cmocka_unit_test(test_dispatch_reopened_quotes_complaint),
		cmocka_unit_test(test_onbehalf_grid),
		cmocka_unit_test(test_escalate_reason),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_close_refused),
		cmocka_unit_test(test_step_parsed_cmd),
		cmocka_unit_test(test_triage_places_case),
		cmocka_unit_test(test_triage_refused),
	};
	enum { NTESTS = nitems(fixed) + nitems(parse_rows) + nitems(perm_rows) +
	    nitems(refuse_cmd_rows) + nitems(dept_rows) + nitems(target_rows) +
	    nitems(rating_rows) + nitems(escalate_rows) };
	static struct CMUnitTest tests[NTESTS];
	static char	 names[NTESTS][96];
	size_t		 i, n = 0;

	log_init(-1);
	for (i = 0; i < nitems(fixed); i++)
		tests[n++] = fixed[i];
#define NAMEFIELD text
	TABLE(parse_rows, test_parse, "parse \"%s\"")
#undef NAMEFIELD
#define NAMEFIELD name
	TABLE(perm_rows, test_permission, "%s")
	TABLE(refuse_cmd_rows, test_refuse_cmd, "%s")
	TABLE(escalate_rows, test_escalate, "%s")
#undef NAMEFIELD
#define NAMEFIELD text
	TABLE(dept_rows, test_dispatch_department, "dispatch department \"%s\"")
	TABLE(target_rows, test_transfer_target, "transfer target \"%s\"")
#undef NAMEFIELD
#define NAMEFIELD raw
	TABLE(rating_rows, test_rating_parse, "rating \"%s\"")
#undef NAMEFIELD
	return _cmocka_run_group_tests("staff", tests, n, setup, teardown);
}
