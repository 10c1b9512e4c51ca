/*
 * tests/unit/test_evaluation.c: the pure rules of dialogs/evaluation.c,
 * table by table, against config/minyi.example.json with the default
 * evaluation.*, vote.* and assessment.* keys: pool quotas, the seeded
 * draw, evaluators' and deputies' answers, the 20/80 score, ranks and
 * flags, duty commands, the 履职 score and stars, and every new text
 * within two SMS segments.
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

static struct config	*cfg;

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
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	config_free(cfg);
	return 0;
}

/* --- answers ------------------------------------------------------------ */

#define U	(-1)	/* unanswered */

static const struct answer_row {
	const char	*raw;
	bool		 vote;
	size_t		 cur;
	enum eval_input	 rc;
	int		 want[6];	/* answers after, from all unanswered */
} answer_rows[] = {
	{ "1", false, 0, EI_ANSWERS, { 100, U, U, U, U, U } },
	{ "2", false, 2, EI_ANSWERS, { U, U, 80, U, U, U } },
	{ "3", false, 0, EI_ANSWERS, { 0, U, U, U, U, U } },
	{ "满意", false, 1, EI_ANSWERS, { U, 100, U, U, U, U } },
	{ "基本满意", false, 0, EI_ANSWERS, { 80, U, U, U, U, U } },
	{ "不满意", false, 0, EI_ANSWERS, { 0, U, U, U, U, U } },
	{ "85", false, 0, EI_ANSWERS, { 85, U, U, U, U, U } },
	{ "８５分", false, 0, EI_ANSWERS, { 85, U, U, U, U, U } },
	{ "0", false, 0, EI_ANSWERS, { 0, U, U, U, U, U } },
	{ "100", false, 5, EI_ANSWERS, { U, U, U, U, U, 100 } },
	{ "A1 B2 C1", false, 0, EI_ANSWERS, { 100, 80, 100, U, U, U } },
	{ "a85,b3，c满意", false, 4, EI_ANSWERS, { 85, 0, 100, U, U, U } },
	{ "F2 A90", false, 0, EI_ANSWERS, { 90, U, U, U, U, 80 } },
	{ "1 2 1", false, 1, EI_ANSWERS, { U, 100, 80, 100, U, U } },
	{ "1、2、3", false, 3, EI_ANSWERS, { U, U, U, 100, 80, 0 } },
	{ "satisfied", false, 0, EI_ANSWERS, { 100, U, U, U, U, U } },
	{ "101", false, 0, EI_NONE, { U, U, U, U, U, U } },
	{ "1 2 1 1", false, 3, EI_NONE, { U, U, U, U, U, U } },	/* past F */
	{ "G1", false, 0, EI_NONE, { U, U, U, U, U, U } },
	{ "A1 B", false, 0, EI_NONE, { U, U, U, U, U, U } },
	{ "路灯坏了", false, 0, EI_NONE, { U, U, U, U, U, U } },
	{ "退订", false, 0, EI_STOP, { U, U, U, U, U, U } },
	{ "STOP", false, 0, EI_STOP, { U, U, U, U, U, U } },
	{ "同意", true, 0, EI_ANSWERS, { 1, U, U, U, U, U } },
	{ "不同意", true, 1, EI_ANSWERS, { U, 2, U, U, U, U } },
	{ "弃权", true, 2, EI_ANSWERS, { U, U, 3, U, U, U } },
	{ "A1 B2 C3", true, 0, EI_ANSWERS, { 1, 2, 3, U, U, U } },
	{ "A同意B反对", true, 0, EI_ANSWERS, { 1, 2, U, U, U, U } },
	{ "4", true, 0, EI_NONE, { U, U, U, U, U, U } },
	{ "接单 12", true, 0, EI_NONE, { U, U, U, U, U, U } },
	{ "yes", true, 0, EI_ANSWERS, { 1, U, U, U, U, U } },
};

static void
test_answers(void **state)
{
	size_t	 i, j;

	(void)state;
	for (i = 0; i < nitems(answer_rows); i++) {
		const struct answer_row *r = &answer_rows[i];
		int a[6] = { U, U, U, U, U, U };
		enum eval_input rc = eval_parse_answers(cfg, r->vote, r->raw, 6,
		    r->cur, a);

		if (rc != r->rc)
			fail_msg("\"%s\": got %d, want %d", r->raw, rc, r->rc);
		for (j = 0; j < 6; j++)
			if (a[j] != r->want[j])
				fail_msg("\"%s\": answer %zu is %d, want %d", r->raw,
				    j, a[j], r->want[j]);
	}
}

static void
test_looks_like_answer(void **state)
{
	static const struct { const char *raw; bool want; } rows[] = {
		{ "A7 X", true }, { "1 2 1", true }, { "满意满意", true },
		{ "85分", true }, { "G1", true }, { "ａ１", true },
		{ "接单 12", false }, { "路灯坏了3天", false }, { "进站 3", false },
		{ "", false }, { "  ", false }, { "谢谢", false },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		if (eval_looks_like_answer(rows[i].raw) != rows[i].want)
			fail_msg("\"%s\": want %d", rows[i].raw, rows[i].want);
}

/* --- pools and the draw -------------------------------------------------- */

static void
test_pool_check(void **state)
{
	static const struct {
		size_t		 counts[EK_COUNT];
		const char	*lines[4];
	} rows[] = {
		{ { 22, 22, 34, 20, 12 }, { NULL } },
		{ { 20, 20, 30, 20, 10 }, { NULL } },		/* exactly */
		{ { 19, 20, 31, 20, 10 },
		  { "yangji: 19 enterprise of 100 (19%), quota at least 20%" } },
		{ { 10, 20, 10, 40, 10 },
		  { "yangji: 90 evaluators, expected 100 to 120",
		    "yangji: 10 enterprise of 90 (11%), quota at least 20%",
		    "yangji: 10 villager of 90 (11%), quota at least 30%",
		    "yangji: 40 ordinary people (enterprise, resident, villager) "
		    "of 90 (44%), quota at least 70%" } },
		{ { 25, 25, 38, 17, 20 },	/* 88 ordinary: 70.4% */
		  { "yangji: 125 evaluators, expected 100 to 120" } },
	};
	size_t	 i, j, n;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		struct config_errors errs = { 0 };

		n = eval_pool_check(cfg, "yangji", rows[i].counts, &errs);
		for (j = 0; j < 4 && rows[i].lines[j] != NULL; j++) {
			if (j >= errs.n)
				fail_msg("row %zu: missing \"%s\"", i, rows[i].lines[j]);
			assert_string_equal(errs.lines[j], rows[i].lines[j]);
		}
		assert_int_equal(n, j);
		assert_int_equal(errs.n, j);
		config_errors_free(&errs);
	}
}

static void
test_prng(void **state)
{
	(void)state;
	/* the first 8 bytes of SHA-256("s|yangji|0"), big-endian (python3) */
	assert_true(eval_prng("s", "yangji", 0) == UINT64_C(99749373339864304));
	assert_true(eval_prng("种子", "yangji", 7) == UINT64_C(9106207806722365732));
}

#define POOL	110

static char		 phones[POOL][20];
static struct eval_member pool[POOL];

static void
make_pool(size_t enterprises, size_t villagers)
{
	size_t	 i;

	for (i = 0; i < POOL; i++) {
		snprintf(phones[i], sizeof(phones[i]), "+861880000%04zu", i);
		pool[i].phone = phones[i];
		pool[i].kind = i < enterprises ? EK_ENTERPRISE :
		    i < enterprises + 22 ? EK_RESIDENT :
		    i < enterprises + 22 + villagers ? EK_VILLAGER :
		    i % 2 ? EK_DEPUTY : EK_SUPERVISOR;
	}
}

static void
test_draw(void **state)
{
	size_t			 a[60], b[60], c[60], counts[EK_COUNT] = { 0 }, i;
	struct eval_member	 rev[POOL];
	char			 err[128];

	(void)state;
	make_pool(22, 34);
	assert_int_equal(eval_draw(cfg, "seed", "yangji", pool, POOL, 60, a, err,
	    sizeof(err)), 0);
	for (i = 0; i < 60; i++)
		counts[pool[a[i]].kind]++;
	assert_true(counts[EK_ENTERPRISE] >= 12);
	assert_true(counts[EK_RESIDENT] >= 12);
	assert_true(counts[EK_VILLAGER] >= 18);
	assert_true(counts[EK_ENTERPRISE] + counts[EK_RESIDENT] +
	    counts[EK_VILLAGER] >= 42);
	/* the same seed, the pool in another order: the same list */
	for (i = 0; i < POOL; i++)
		rev[i] = pool[POOL - 1 - i];
	assert_int_equal(eval_draw(cfg, "seed", "yangji", rev, POOL, 60, b, err,
	    sizeof(err)), 0);
	for (i = 0; i < 60; i++)
		assert_string_equal(pool[a[i]].phone, rev[b[i]].phone);
	/* another seed, another list */
	assert_int_equal(eval_draw(cfg, "seed2", "yangji", pool, POOL, 60, c, err,
	    sizeof(err)), 0);
	assert_true(memcmp(a, c, sizeof(a)) != 0);
	/* a draw the pool cannot satisfy changes nothing and says why */
	make_pool(22, 10);
	assert_int_equal(eval_draw(cfg, "seed", "yangji", pool, POOL, 60, a, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "yangji: the pool has too few villager to draw "
	    "60 (quota 18)");
	assert_int_equal(eval_draw(cfg, "seed", "yangji", pool, POOL, 111, a, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "yangji: cannot draw 111 of 110 evaluators");
}

/* --- scores, ranks and flags -------------------------------------------- */

static void
test_combine(void **state)
{
	static const struct { double sat, ontime, conc, daily, score; } rows[] = {
		{ 50, 100, 80, 75, 79 },	/* 0.2 * 75 + 0.8 * 80 */
		{ 100, 100, 72.5, 100, 78 },
		{ -1, 100, 90, 100, 92 },
		{ 40, -1, 90, 40, 80 },
		{ -1, -1, 83.33333, -1, 83.3 },	/* no daily record: the round */
		{ 60, 80, -1, 70, 70 },		/* no ballots: the daily part */
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		double d = eval_daily(rows[i].sat, rows[i].ontime);

		assert_true(d == rows[i].daily);
		if (eval_combine(cfg, d, rows[i].conc) != rows[i].score)
			fail_msg("row %zu: %g, want %g", i, eval_combine(cfg, d,
			    rows[i].conc), rows[i].score);
	}
}

static void
test_rank(void **state)
{
	struct eval_result r[] = {
		{ "power", "yangji", "service", 79.0, false, false, 0, 0, 0, 0, 0 },
		{ "water", "yangji", "service", 92.0, false, false, 0, 0, 0, 0, 0 },
		{ "civil", "yangji", "window", 70.0, false, true, 0, 0, 0, 0, 0 },
		{ "market", "yangji", "service", 85.0, false, false, 0, 0, 0, 0, 0 },
		{ "transport", "", "service", 60.0, false, false, 0, 0, 0, 0, 0 },
	};

	(void)state;
	eval_rank(cfg, r, nitems(r));
	/* water 1, market 2, power 3 (last, under 80: 通报) */
	assert_int_equal(r[1].rank, 1);
	assert_int_equal(r[3].rank, 2);
	assert_int_equal(r[0].rank, 3);
	assert_int_equal(r[0].group_size, 3);
	assert_true(r[0].under && r[0].criticised && !r[0].admonished);
	assert_false(r[3].criticised);
	/* alone in its group, under 80 and criticised the year before: 诫勉 */
	assert_true(r[2].criticised && r[2].admonished);
	/* a county-wide unit ranks in its own group */
	assert_int_equal(r[4].rank, 1);
	assert_int_equal(r[4].group_size, 1);

	/* canvassing: the best is placed last, and criticised at 92 */
	r[1].overridden = true;
	eval_rank(cfg, r, nitems(r));
	assert_int_equal(r[1].rank, 3);
	assert_int_equal(r[3].rank, 1);
	assert_int_equal(r[0].rank, 2);
	assert_true(r[1].criticised && !r[1].under);
	assert_false(r[0].criticised);
}

/* --- deputies' duties ---------------------------------------------------- */

static void
test_duty(void **state)
{
	static const struct {
		const char	*raw;
		int		 rc;
		enum duty_kind	 kind;
		int		 count;
		const char	*text;
	} rows[] = {
		{ "进站", 0, DUTY_STATION, 1, "" },
		{ "进站 12", 0, DUTY_STATION, 12, "" },
		{ "走访 8 看望孤寡老人", 0, DUTY_VISIT, 8, "看望孤寡老人" },
		{ "走访：3", 0, DUTY_VISIT, 3, "" },
		{ "走访", 1, DUTY_VISIT, 0, NULL },
		{ "走访 0", 1, DUTY_VISIT, 0, NULL },
		{ "民意 村里缺少就业培训", 0, DUTY_REPORT, 1, "村里缺少就业培训" },
		{ "民意", 1, DUTY_REPORT, 0, NULL },
		{ "建议 设立公交站点", 0, DUTY_SUGGESTION, 1, "设立公交站点" },
		{ "VISIT 3", 0, DUTY_VISIT, 3, "" },
		{ "suggest more buses", 0, DUTY_SUGGESTION, 1, "more buses" },
		{ "视察", 0, DUTY_INSPECTION, 1, "" },
		{ "视察 县道安全", 0, DUTY_INSPECTION, 1, "县道安全" },
		{ "INSPECT roads", 0, DUTY_INSPECTION, 1, "roads" },
		{ "stationery", -1, DUTY_STATION, 0, NULL },
		{ "接单 12", -1, DUTY_STATION, 0, NULL },
		{ "进展 12 已安排", -1, DUTY_STATION, 0, NULL },
	};
	struct duty_cmd	 dc;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		int rc = eval_parse_duty(rows[i].raw, &dc);

		if (rc != rows[i].rc)
			fail_msg("\"%s\": %d, want %d", rows[i].raw, rc, rows[i].rc);
		if (rc != 0)
			continue;
		assert_int_equal(dc.kind, rows[i].kind);
		assert_int_equal(dc.count, rows[i].count);
		assert_string_equal(dc.text, rows[i].text);
	}
}

static void
test_assess(void **state)
{
	/* default weights 2 2 0.1 5 1 3 5 5; stars at 20 40 60 80 */
	double	 v[ASSESS_COUNT] = { 3, 2, 75, 2, 8, 1, 1, 1 };
	double	 none[ASSESS_COUNT] = { 0 };

	(void)state;
	assert_true(assess_score(cfg, v) == 6 + 4 + 7.5 + 10 + 8 + 3 + 5 + 5);
	assert_int_equal(assess_stars(cfg, 43.5), 3);
	assert_int_equal(assess_stars(cfg, 19.9), 1);
	assert_int_equal(assess_stars(cfg, 20), 2);
	assert_int_equal(assess_stars(cfg, 80), 5);
	assert_true(assess_score(cfg, none) == 0);
}

/* --- texts --------------------------------------------------------------- */

static void
test_templates_fit(void **state)
{
	static const char *const keys[] = { "eval_intro", "eval_question",
	    "eval_unclear", "eval_thanks", "eval_already", "eval_late",
	    "eval_remind", "vote_intro", "vote_question", "vote_unclear",
	    "vote_thanks", "vote_already", "vote_late", "duty_station",
	    "duty_visit", "duty_report", "duty_suggestion", "duty_usage",
	    "duty_inspection", "duty_report_case", "duty_suggestion_status",
	    "item_chase", "assess_publish" };
	static const char *const langs[] = { "zh", "en" };
	/* typical values: no cut needed (an English county names its units
	 * in English; Chinese names make any text UCS-2, 67 a segment) */
	const char *const en[] = { "name", "Zhang San", "township", "Yangji",
	    "round", "Yangji stations 2026", "count", "12", "closes",
	    "2026-12-06 18:00", "letter", "L", "unit", "County Human Resources "
	    "Bureau", "dimension", "attitude", "left", "12", "question",
	    "L. Rate County Human Resources Bureau on attitude: reply 1 "
	    "satisfied, 2 fair, 3 unsatisfied, or 0-100",
	    "title", "Livelihood projects 2027", "project", "Paving the road "
	    "of Liuxindian", "number", "123", "case", "4567", "status",
	    "answered", "note", "On next year's plan", "text", "Window closed at noon",
	    "deadline", "2026-12-31 18:00", "period", "2026-12", "lines",
	    "1.Niu 21.0; 2.Zhao 3.0; 3.Ma 0.0", NULL };
	const char *const vars[] = { "name", "牛代表", "township", "杨集乡",
	    "round", "2026年杨集乡站所评议", "count", "12", "closes",
	    "12月6日18:00", "letter", "L", "unit", "县人力资源和社会保障局",
	    "dimension", "服务态度", "left", "12", "question",
	    "L. 对 县人力资源和社会保障局 的 服务态度 打分：回复1满意 2基本满意 3不满意，或0-100",
	    "title", "2027年民生实事", "project", "刘辛店村道路硬化工程",
	    "number", "123", "case", "4567", "status", "已答复", "note",
	    "县交通局已列入明年计划", "text", "窗口午休无人值守", "deadline",
	    "12月31日18:00", "period", "2026-12", "lines",
	    "1.牛代表 21.0；2.赵代表 3.0；3.马代表 0.0", NULL };
	size_t	 i, j;

	(void)state;
	for (i = 0; i < nitems(keys); i++)
		for (j = 0; j < nitems(langs); j++) {
			char *t = dialog_render(cfg, langs[j], keys[i],
			    j == 0 ? vars : en);

			if (utf8_sms_segments(t) > 2)
				fail_msg("%s/%s takes %zu segments: %s", keys[i],
				    langs[j], utf8_sms_segments(t), t);
			assert_null(strchr(t, '{'));
			free(t);
		}
}

/* Every voter-facing text (a key of these families) is in the list above. */
static void
test_templates_all_listed(void **state)
{
	static const char *const families[] = { "eval_", "vote_", "duty_",
	    "item_", "assess_" };
	static const char *const listed[] = { "eval_intro", "eval_question",
	    "eval_unclear", "eval_thanks", "eval_already", "eval_late",
	    "eval_remind", "vote_intro", "vote_question", "vote_unclear",
	    "vote_thanks", "vote_already", "vote_late", "duty_station",
	    "duty_visit", "duty_report", "duty_suggestion", "duty_usage",
	    "duty_inspection", "duty_report_case", "duty_suggestion_status",
	    "item_chase", "assess_publish" };
	const char	*key;
	size_t		 i, j, k, n = 0;

	(void)state;
	for (i = 0; (key = config_template_key(i)) != NULL; i++)
		for (j = 0; j < nitems(families); j++) {
			if (strncmp(key, families[j], strlen(families[j])) != 0)
				continue;
			for (k = 0; k < nitems(listed); k++)
				if (strcmp(key, listed[k]) == 0)
					break;
			if (k == nitems(listed))
				fail_msg("%s is not checked by test_templates_fit", key);
			n++;
		}
	assert_int_equal(n, nitems(listed));
}

/*
 * The texts whose values can be long (a round's or project's name, a
 * unit's, a note): with a value of 300 characters, cut as the code cuts
 * it, each still fits two segments in zh and en, and keeps all of its own
 * words (the instruction to reply is never what is cut).
 */
static void
test_templates_fit_long(void **state)
{
	static const struct { const char *key, *cut; } rows[] = {
		{ "eval_intro", "round" }, { "eval_question", "unit" },
		{ "eval_remind", "question" }, { "vote_intro", "title" },
		{ "vote_question", "project" }, { "item_chase", "text" },
		{ "duty_suggestion_status", "note" }, { "assess_publish", "lines" },
	};
	static const char *const langs[] = { "zh", "en" };
	const char	*zvars[] = { "name", "牛代表", "township", "杨集乡", "round",
	    "r", "count", "12", "closes", "12月6日18:00", "letter", "L", "unit",
	    "u", "dimension", "服务态度", "left", "12", "question", "q", "title",
	    "t", "project", "p", "number", "123", "status", "已答复", "note",
	    "n", "text", "x", "deadline", "12月31日18:00", "period", "2026-12",
	    "lines", "l", NULL };
	const char	*evars[] = { "name", "Niu", "township", "Yangji", "round",
	    "r", "count", "12", "closes", "2026-12-06 18:00", "letter", "L", "unit",
	    "u", "dimension", "attitude", "left", "12", "question", "q", "title",
	    "t", "project", "p", "number", "123", "status", "answered", "note",
	    "n", "text", "x", "deadline", "2026-12-31 18:00", "period", "2026-12",
	    "lines", "l", NULL };
	const char	**vars;
	char		 zh[1024] = "", en[1024] = "", *t, *mark, *split;
	size_t		 i, j, v;

	(void)state;
	for (i = 0; i < 100; i++) {	/* 300 bytes each */
		memcpy(zh + 3 * i, "县", 3);
		memcpy(en + 3 * i, i % 5 == 4 ? "w  " : "www", 3);
	}
	for (i = 0; i < nitems(rows); i++)
		for (j = 0; j < nitems(langs); j++) {
			vars = j == 0 ? zvars : evars;
			for (v = 0; vars[v] != NULL; v += 2)
				if (strcmp(vars[v], rows[i].cut) == 0)
					break;
			assert_non_null(vars[v]);
			/* the text around the value, as it is without a cut */
			vars[v + 1] = "\x01";
			mark = dialog_render(cfg, langs[j], rows[i].key, vars);
			split = strchr(mark, '\x01');
			assert_non_null(split);
			*split++ = '\0';
			vars[v + 1] = j == 0 ? zh : en;
			t = staff_render_fit(cfg, langs[j], rows[i].key, vars,
			    rows[i].cut);
			if (utf8_sms_segments(t) > 2 ||
			    strncmp(t, mark, strlen(mark)) != 0 ||
			    strlen(t) < strlen(split) ||
			    strcmp(t + strlen(t) - strlen(split), split) != 0)
				fail_msg("%s/%s: %zu segments: %s", rows[i].key,
				    langs[j], utf8_sms_segments(t), t);
			vars[v + 1] = rows[i].cut;
			free(mark);
			free(t);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_looks_like_answer),
		cmocka_unit_test(test_pool_check),
		cmocka_unit_test(test_prng),
		cmocka_unit_test(test_draw),
		cmocka_unit_test(test_combine),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_duty),
		cmocka_unit_test(test_assess),
		cmocka_unit_test(test_templates_fit),
		cmocka_unit_test(test_templates_all_listed),
		cmocka_unit_test(test_templates_fit_long),
	};

	log_init(-1);
	return cmocka_run_group_tests_name("evaluation", tests, setup, teardown);
}
