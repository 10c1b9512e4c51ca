/*
 * tests/unit/test_dialog.c: the resident dialog (dialogs/resident.c) and
 * dialog_render (dialogs/render.c) under the example config.
 *
 * A struct talk plays the shell's part as gateway/conv.c does: it keeps
 * the conversation between messages through its JSON (to_json, then
 * from_json with updated_at = the time it was stored), and hands the
 * dialog the resident's cases and the next case number.  Every step goes
 * through talk_say(), which also checks what holds for every step: the
 * same input gives the same result (purity), every reply and deputy alert
 * fits two SMS segments, there is at most one reply, and the next
 * conversation survives its JSON.
 *
 * The corpus rows (tests/data/corpus/messages.tsv) become one test each.
 */
#include <dirent.h>
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
#define C51		"tests/data/config/county51.json"
#define CORPUS		"tests/data/corpus/messages.tsv"
#define RESIDENT	"+8613800138000"
#define CALLBACK	"群众13800138000"	/* the whole number: the deputy calls back */
#define T0		((int64_t)1795000000)	/* 2026-11-18, any time will do */
#define MINUTE		60
#define FIRST_CASE	101

#define ROW(p)	((void *)(uintptr_t)(p))

static struct config	*cfg;		/* the example config, loaded once */
static struct text_index *tix;

/* --- the shell's part ------------------------------------------------------ */

struct talk {
	const char		*address;
	const char		*channel;
	int64_t			 now;
	long			 next;		/* the number a new case gets */
	bool			 addressed;
	int			 grid_hint;
	bool			 opted_out;
	int			 weekday;	/* ISO, 0 unknown */
	const struct case_brief	*cases;
	size_t			 ncases;
	bool			 has_conv;	/* a stored conversation */
	enum dialog_state	 state;		/* its state column */
	char			*data;		/* its data column (JSON); from malloc() */
	int64_t			 updated_at;	/* its updated_at column */
	struct dialog_result	 res;		/* the last step's result */
};

static void
talk_init(struct talk *t)
{
	memset(t, 0, sizeof(*t));
	t->address = RESIDENT;
	t->channel = "sms";
	t->now = T0;
	t->next = FIRST_CASE;
	t->addressed = true;
	t->grid_hint = -1;
	conv_state_init(&t->res.conv);
}

static void
talk_end(struct talk *t)
{
	dialog_result_clear(&t->res);
	free(t->data);
	t->data = NULL;
}

/* The steps below read the config at path (cfg, tix) until
 * talk_config_end(), which frees it and reads the example's again. */
static struct config	*outer_cfg;
static struct text_index *outer_tix;

static struct config *
talk_config(const char *path)
{
	struct config_errors	 errs = { 0 };
	struct config		*c = config_load(path, &errs);

	assert_non_null(c);
	config_errors_free(&errs);
	outer_cfg = cfg;
	outer_tix = tix;
	cfg = c;
	tix = text_index_new(c);
	return c;
}

static void
talk_config_end(void)
{
	text_index_free(tix);
	config_free(cfg);
	cfg = outer_cfg;
	tix = outer_tix;
}

static bool
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
assert_conv_equal(const struct conv_state *a, const struct conv_state *b)
{
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->category, b->category);
	assert_int_equal(a->grid, b->grid);
	assert_int_equal(a->township, b->township);
	assert_true(str_eq(a->description, b->description));
	assert_int_equal(a->asked, b->asked);
	assert_int_equal(a->updated_at, b->updated_at);
	assert_string_equal(a->lang, b->lang);
	assert_int_equal(a->fix, b->fix);
}

/* Two results of the same input are the same, effect by effect. */
static void
assert_result_equal(const struct dialog_result *a, const struct dialog_result *b)
{
	size_t	 i;

	assert_conv_equal(&a->conv, &b->conv);
	assert_int_equal(a->neffects, b->neffects);
	for (i = 0; i < a->neffects; i++) {
		const struct effect *x = &a->effects[i], *y = &b->effects[i];

		assert_int_equal(x->kind, y->kind);
		assert_true(str_eq(x->text, y->text));
		assert_true(str_eq(x->description, y->description));
		assert_true(str_eq(x->place, y->place));
		assert_true(str_eq(x->deputy, y->deputy));
		assert_int_equal(x->number, y->number);
		assert_int_equal(x->c.number, y->c.number);
		assert_int_equal(x->c.category, y->c.category);
		assert_int_equal(x->c.grid, y->c.grid);
		assert_int_equal(x->c.township, y->c.township);
		assert_true(str_eq(x->c.deputy, y->c.deputy));
		assert_true(str_eq(x->c.department, y->c.department));
		assert_int_equal(x->c.tier, y->c.tier);
		assert_int_equal(x->c.triage, y->c.triage);
		assert_string_equal(x->lang, y->lang);
	}
}

/* What holds for every result: texts fit two SMS, one reply at most. */
static void
assert_result_sane(const struct dialog_result *r)
{
	size_t	 i, replies = 0;

	for (i = 0; i < r->neffects; i++) {
		const struct effect *e = &r->effects[i];

		if (e->kind == EFF_REPLY || e->kind == EFF_NOTIFY_DEPUTY) {
			assert_non_null(e->text);
			assert_true(utf8_valid(e->text, strlen(e->text)));
			if (utf8_sms_segments(e->text) > 2)
				fail_msg("over two SMS (%zu units): %s",
				    utf8_units16(e->text), e->text);
			assert_null(strstr(e->text, "{"));	/* every placeholder filled */
		}
		if (e->kind == EFF_REPLY)
			replies++;
		if (e->kind == EFF_NOTIFY_DEPUTY) {
			assert_non_null(config_deputy(cfg, e->deputy));
			assert_string_equal(e->lang, "zh");
		}
		if (e->kind == EFF_CASE_CREATE) {
			assert_non_null(e->description);
			assert_true(e->description[0] != '\0');
		}
	}
	assert_true(replies <= 1);
}

/* The conversation, through its JSON and back, is the same. */
static void
assert_json_roundtrip(const struct conv_state *cs, int64_t updated_at)
{
	struct conv_state	 back;
	json_t			*j;
	char			*s;

	j = conv_state_to_json(cs);
	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	j = json_loads(s, 0, NULL);
	assert_non_null(j);
	assert_int_equal(conv_state_from_json(cfg, cs->state, j, updated_at, &back), 0);
	assert_int_equal(back.category, cs->category);
	assert_int_equal(back.grid, cs->grid);
	assert_int_equal(back.township, cs->township);
	assert_true(str_eq(back.description, cs->description));
	assert_int_equal(back.asked, cs->asked);
	assert_string_equal(back.lang, cs->lang);
	assert_int_equal(back.state, cs->state);
	conv_state_clear(&back);
	json_decref(j);
	free(s);
}

/* Build the dialog's input as the shell does. */
static void
talk_input(struct talk *t, const char *text, struct dialog_input *in)
{
	json_t	*data;

	memset(in, 0, sizeof(*in));
	conv_state_init(&in->conv);
	in->now = t->now;
	in->channel = t->channel;
	in->address = t->address;
	in->text = text;
	in->addressed = t->addressed;
	in->grid_hint = t->grid_hint;
	in->next_case_number = t->next;
	in->opted_out = t->opted_out;
	in->weekday = t->weekday;
	in->cases = t->cases;
	in->ncases = t->ncases;
	if (t->has_conv) {
		data = json_loads(t->data, 0, NULL);
		assert_non_null(data);
		assert_int_equal(conv_state_from_json(cfg, t->state, data, t->updated_at,
		    &in->conv), 0);
		json_decref(data);
		in->has_conv = true;
	}
}

/*
 * One message from the resident: the step (twice, for purity), the checks
 * every step must pass, and the conversation stored for the next one.
 * Returns the result, valid until the next talk_say or talk_end.
 */
static const struct dialog_result *
talk_say(struct talk *t, const char *text)
{
	struct dialog_input	 in, in2;
	struct dialog_result	 again;
	json_t			*j;
	size_t			 i;

	dialog_result_clear(&t->res);
	talk_input(t, text, &in);
	talk_input(t, text, &in2);
	assert_int_equal(dialog_step(cfg, tix, &in, &t->res), 0);
	assert_int_equal(dialog_step(cfg, tix, &in2, &again), 0);
	assert_result_equal(&t->res, &again);
	dialog_result_clear(&again);
	conv_state_clear(&in.conv);
	conv_state_clear(&in2.conv);
	assert_result_sane(&t->res);

	for (i = 0; i < t->res.neffects; i++)
		if (t->res.effects[i].kind == EFF_CASE_CREATE)
			t->next = t->res.effects[i].c.number + 1;
	free(t->data);
	t->data = NULL;
	t->has_conv = t->res.conv.state != DS_IDLE;
	if (t->has_conv) {
		assert_json_roundtrip(&t->res.conv, t->now);
		j = conv_state_to_json(&t->res.conv);
		t->data = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		t->state = t->res.conv.state;
		t->updated_at = t->now;
	}
	return &t->res;
}

static const struct effect *
effect_of(const struct dialog_result *r, enum effect_kind kind)
{
	size_t	 i;

	for (i = 0; i < r->neffects; i++)
		if (r->effects[i].kind == kind)
			return &r->effects[i];
	return NULL;
}

static size_t
count_of(const struct dialog_result *r, enum effect_kind kind)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->neffects; i++)
		n += r->effects[i].kind == kind;
	return n;
}

/* The reply's text; the test fails when there is none. */
static const char *
reply_of(const struct dialog_result *r)
{
	const struct effect	*e = effect_of(r, EFF_REPLY);

	if (e == NULL)
		fail_msg("no reply");
	return e->text;
}

static void
assert_contains(const char *text, const char *part)
{
	if (text == NULL || strstr(text, part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", text ? text : "(null)", part);
}

static void
assert_lacks(const char *text, const char *part)
{
	if (text != NULL && strstr(text, part) != NULL)
		fail_msg("\"%s\" contains \"%s\"", text, part);
}

/* The template rendered without variables, for comparing replies. */
static char *
plain(const char *lang, const char *key)
{
	return dialog_render(cfg, lang, key, NULL);
}

static void
assert_reply_is(const struct dialog_result *r, const char *lang, const char *key)
{
	char	*want = plain(lang, key);

	assert_string_equal(reply_of(r), want);
	free(want);
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
cat_index(const char *id)
{
	const struct category	*c = config_category(cfg, id);

	assert_non_null(c);
	return (int)(c - cfg->categories);
}

static int
grid_index(const char *id)
{
	const struct grid	*g = config_grid(cfg, id);

	assert_non_null(g);
	return (int)(g - cfg->grids);
}

static int
town_index(const char *id)
{
	const struct township	*t = config_township(cfg, id);

	assert_non_null(t);
	return (int)(t - cfg->townships);
}

/* Three CJK characters in a row: an English reply may hold names only. */
static bool
has_cjk_run(const char *s, int run)
{
	const char	*p = s;
	uint32_t	 cp;
	int		 n = 0, r;

	while ((r = utf8_decode(&p, &cp)) != 0) {
		if (r < 0) {
			p++;
			n = 0;
			continue;
		}
		n = cp >= 0x4e00 && cp <= 0x9fff ? n + 1 : 0;
		if (n >= run)
			return true;
	}
	return false;
}

/* The created case; fails when there is none. */
static const struct effect *
created(const struct dialog_result *r)
{
	const struct effect	*e = effect_of(r, EFF_CASE_CREATE);

	if (e == NULL)
		fail_msg("no case created; reply: %s",
		    effect_of(r, EFF_REPLY) ? effect_of(r, EFF_REPLY)->text : "-");
	return e;
}

/* --- the corpus: one test per row ------------------------------------------ */

struct corpus_row {
	char	*text;
	char	*category;	/* id or "?" */
	char	*place;		/* grid id or "?" */
	char	*name;		/* the test's name */
};

#define CORPUS_MAX	256
static struct corpus_row corpus[CORPUS_MAX];
static size_t		 ncorpus;
static bool		 corpus_missing;

static void
corpus_load(void)
{
	FILE	*f = fopen(CORPUS, "r");
	char	 line[2048], *tab1, *tab2, *nl;
	bool	 header = true;

	if (f == NULL) {
		corpus_missing = true;
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL && ncorpus < CORPUS_MAX) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if ((nl = strchr(line, '\r')) != NULL)
			*nl = '\0';
		if (header) {
			header = false;
			continue;
		}
		if ((tab1 = strchr(line, '\t')) == NULL ||
		    (tab2 = strchr(tab1 + 1, '\t')) == NULL)
			continue;
		*tab1 = *tab2 = '\0';
		corpus[ncorpus].text = xstrdup(line);
		corpus[ncorpus].category = xstrdup(tab1 + 1);
		corpus[ncorpus].place = xstrdup(tab2 + 1);
		corpus[ncorpus].name = xasprintf("corpus: %s", line);
		ncorpus++;
	}
	fclose(f);
}

static void
test_corpus_present(void **state)
{
	(void)state;
	assert_false(corpus_missing);
	assert_true(ncorpus >= 10);
}

static void
test_corpus_row(void **state)
{
	const struct corpus_row		*row = *state;
	const struct dialog_result	*r;
	const struct effect		*c, *alert;
	struct talk			 t;
	bool				 cat = strcmp(row->category, "?") != 0;
	bool				 place = strcmp(row->place, "?") != 0;
	bool				 en = !utf8_has_cjk(row->text);
	const char			*lang = en ? "en" : "zh";
	char				*howto;

	talk_init(&t);
	r = talk_say(&t, row->text);
	assert_string_equal(effect_of(r, EFF_SET_LANGUAGE)->lang, lang);
	if (cat && place) {
		c = created(r);
		assert_int_equal(c->c.category, cat_index(row->category));
		assert_int_equal(c->c.grid, grid_index(row->place));
		assert_false(c->c.triage);
		assert_int_equal(c->c.number, FIRST_CASE);
		assert_string_equal(c->c.deputy, config_grid(cfg, row->place)->deputies[0]);
		howto = xasprintf(en ? "STATUS %d" : "查询%d", FIRST_CASE);
		assert_contains(reply_of(r), howto);
		free(howto);
		alert = effect_of(r, EFF_NOTIFY_DEPUTY);
		assert_non_null(alert);
		assert_string_equal(alert->deputy, c->c.deputy);
		assert_int_equal(r->conv.state, DS_IDLE);
		if (en)
			assert_false(has_cjk_run(reply_of(r), 3));
	} else if (cat) {
		assert_null(effect_of(r, EFF_CASE_CREATE));
		assert_int_equal(r->conv.state, DS_ASK_PLACE);
		assert_int_equal(r->conv.category, cat_index(row->category));
		assert_reply_is(r, lang, "ask_village");
	} else if (place) {
		assert_null(effect_of(r, EFF_CASE_CREATE));
		assert_int_equal(r->conv.grid, grid_index(row->place));
		assert_true(r->conv.state == DS_ASK_DESCRIPTION ||
		    r->conv.state == DS_ASK_CATEGORY);
		if (r->conv.state == DS_ASK_DESCRIPTION)
			assert_reply_is(r, lang, "ask_description");
		else
			assert_contains(reply_of(r), "1 ");
	} else {
		assert_int_equal(r->conv.state, DS_IDLE);
		assert_reply_is(r, lang, "greeting");
		assert_int_equal(r->neffects, 2);	/* the reply, the language */
	}
	talk_end(&t);
}

/* --- first messages -------------------------------------------------------- */

static void
test_one_shot_case(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c, *alert;
	struct talk			 t;
	const char			*text;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "刘辛店村村口路灯不亮");
	c = created(r);
	assert_int_equal(c->c.category, cat_index("streetlight"));
	assert_int_equal(c->c.grid, grid_index("liuxindian"));
	assert_int_equal(c->c.township, town_index("yangji"));
	assert_string_equal(c->c.deputy, "d-niu");
	assert_string_equal(c->c.department, "power");
	assert_int_equal(c->c.tier, 2);
	assert_false(c->c.triage);
	assert_string_equal(c->description, "刘辛店村村口路灯不亮");
	assert_string_equal(c->place, "刘辛店村");
	assert_int_equal(c->number, FIRST_CASE);
	text = reply_of(r);
	assert_contains(text, "101");
	assert_contains(text, "查询101");
	assert_contains(text, "取消101");
	assert_contains(text, "路灯照明");
	assert_contains(text, "刘辛店村");
	assert_contains(text, "牛代表");
	assert_lacks(text, "代表代表");
	alert = effect_of(r, EFF_NOTIFY_DEPUTY);
	assert_non_null(alert);
	assert_string_equal(alert->deputy, "d-niu");
	assert_int_equal(alert->number, FIRST_CASE);
	assert_contains(alert->text, "101");
	assert_contains(alert->text, "接单101");
	assert_contains(alert->text, "退回101");
	assert_contains(alert->text, CALLBACK);
	assert_lacks(alert->text, RESIDENT);
	assert_contains(alert->text, "刘辛店村");
	assert_contains(alert->text, "路灯不亮");
	assert_int_equal(r->conv.state, DS_IDLE);
	/* created, replied, alerted, in that order; and the language */
	assert_int_equal(r->neffects, 4);
	assert_int_equal(r->effects[0].kind, EFF_CASE_CREATE);
	assert_int_equal(r->effects[1].kind, EFF_REPLY);
	assert_int_equal(r->effects[2].kind, EFF_NOTIFY_DEPUTY);
	assert_int_equal(r->effects[3].kind, EFF_SET_LANGUAGE);
	talk_end(&t);
}

/*
 * "不对，是路灯不亮" right after a case was filed: the resident puts the
 * problem of their newest case right while nobody has taken it.  Each
 * row: the newest case (category, grid, status, minutes since it was
 * filed) and the message; the category it is put right to, or NULL when
 * the message is read as a new request (it then changes no case).
 */
static const struct {
	const char	*was, *grid, *status;
	int		 minutes;
	const char	*text, *want;
} fix_rows[] = {
	{ "water", "wanglou", "received", 2, "不对，是路灯不亮", "streetlight" },
	{ "water", "wanglou", "received", 2, "不是停水，是路灯坏了", "streetlight" },
	{ "water", "wanglou", "received", 2, "不是供水的问题，村口路灯一直不亮",
	  "streetlight" },
	{ "water", "wanglou", "received", 2, "错了，应该是路灯照明", "streetlight" },
	{ "water", "wanglou", "received", 2, "你们搞错了，是垃圾没人清", "sanitation" },
	{ "water", "wanglou", "received", 2, "分错了，路面塌了个坑", "road" },
	{ "water", "wanglou", "received", 2, "不对，王楼村是路灯坏了", "streetlight" },
	{ "water", "wanglou", "received", 5, "Wrong, it's the street light", "streetlight" },
	{ "water", "wanglou", "received", 5, "No, the problem is the rubbish", "sanitation" },
	/* the same problem named again, or none: no change */
	{ "water", "wanglou", "received", 2, "不对，是停水", NULL },
	{ "water", "wanglou", "received", 2, "不对", NULL },
	/* another place: a new request */
	{ "water", "wanglou", "received", 2, "不是，刘辛店村路灯也坏了", NULL },
	/* a complaint that only starts so (不对劲), or says no first */
	{ "water", "wanglou", "received", 2, "不对劲，路灯闪个不停", NULL },
	{ "water", "wanglou", "received", 2, "路灯坏了，不是一天两天了", NULL },
	{ "water", "wanglou", "received", 2, "Nothing works, the street light is out", NULL },
	/* taken already, or long ago: a new request */
	{ "water", "wanglou", "accepted", 2, "不对，是路灯不亮", NULL },
	{ "water", "wanglou", "received", 45, "不对，是路灯不亮", NULL },
};

static void
test_fix_rows(void **state)
{
	struct case_brief		 cb;
	const struct dialog_result	*r;
	const struct effect		*e, *alert;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(fix_rows); i++) {
		memset(&cb, 0, sizeof(cb));
		cb.number = 77;
		cb.status = fix_rows[i].status;
		cb.category = fix_rows[i].was;
		cb.grid = fix_rows[i].grid;
		cb.deputy = "d-wang";
		cb.created_at = T0 - fix_rows[i].minutes * 60;
		talk_init(&t);
		t.cases = &cb;
		t.ncases = 1;
		r = talk_say(&t, fix_rows[i].text);
		e = effect_of(r, EFF_CASE_RECATEGORIZE);
		if (fix_rows[i].want == NULL && e != NULL)
			fail_msg("\"%s\": case 77 put right to %s", fix_rows[i].text,
			    cfg->categories[e->c.category].id);
		if (fix_rows[i].want != NULL) {
			if (e == NULL)
				fail_msg("\"%s\": not put right: %s", fix_rows[i].text,
				    reply_of(r));
			assert_int_equal(e->number, 77);
			assert_int_equal(e->c.category, cat_index(fix_rows[i].want));
			assert_string_equal(e->c.department,
			    cfg->categories[e->c.category].department);
			assert_null(effect_of(r, EFF_CASE_CREATE));
			assert_contains(reply_of(r), "77");
			/* the deputy who has it reads the new problem and the old */
			alert = effect_of(r, EFF_NOTIFY_DEPUTY);
			assert_non_null(alert);
			assert_string_equal(alert->deputy, "d-wang");
			assert_contains(alert->text, cfg->categories[e->c.category].name);
			assert_contains(alert->text, "供水");
		}
		talk_end(&t);
	}
}

/*
 * A correction naming the category by its name, which holds another
 * place's alias (矿区 of 油田矿区占地, and of 矿区社区): the case is put
 * right, no case is made at that place (before: a second case there).
 */
static void
test_fix_category_holding_a_place_word(void **state)
{
	struct config		*c;
	struct case_brief	 cb;
	const struct dialog_result *r;
	const struct effect	*e;
	struct talk		 t;

	(void)state;
	c = talk_config(C51);
	memset(&cb, 0, sizeof(cb));
	cb.number = 77;
	cb.status = "received";
	cb.category = "road";
	cb.grid = "qiketai";
	cb.deputy = c->grids[0].deputies[0];
	cb.created_at = T0 - 2 * 60;
	talk_init(&t);
	t.cases = &cb;
	t.ncases = 1;
	r = talk_say(&t, "不对，是油田矿区占地");
	assert_null(effect_of(r, EFF_CASE_CREATE));
	e = effect_of(r, EFF_CASE_RECATEGORIZE);
	if (e == NULL)
		fail_msg("not put right: %s", reply_of(r));
	assert_int_equal(e->number, 77);
	assert_string_equal(c->categories[e->c.category].id, "oilfield");
	/* a place named besides the category is still a new request */
	r = talk_say(&t, "不对，是矿区社区路灯坏了");
	assert_null(effect_of(r, EFF_CASE_RECATEGORIZE));
	talk_end(&t);
	talk_config_end();
}

/* The number the list in reply shows against name, or -1. */
static int
listed_as(const char *reply, const char *name)
{
	const char	*at = strstr(reply, name);
	const char	*p;

	if (at == NULL || at - reply < 2 || at[-1] != ' ')
		return -1;
	for (p = at - 1; p > reply && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	return p < at - 1 ? atoi(p) : -1;
}

/* "不对" for case cb, then the answer ans (cb's status then, when not
 * NULL): the case stays as it was, and the resident is told so. */
static void
fix_kept(struct case_brief *cb, const char *ans, const char *status)
{
	const struct dialog_result	*r;
	struct talk			 t;

	talk_init(&t);
	t.cases = cb;
	t.ncases = 1;
	talk_say(&t, "不对，我说的不是这个事");
	if (status != NULL)
		cb->status = status;
	r = talk_say(&t, ans);
	assert_null(effect_of(r, EFF_CASE_RECATEGORIZE));
	assert_null(effect_of(r, EFF_CASE_CREATE));
	assert_contains(reply_of(r), "诉求77按原来的问题办理");
	assert_int_equal(r->conv.state, DS_IDLE);
	talk_end(&t);
}

/*
 * "不对" and no category plainly named: the category list is asked to put
 * the case right, and the answer does it (不是新诉求); 其他 leaves it.
 */
static void
test_fix_asked(void **state)
{
	struct case_brief		 cb;
	const struct dialog_result	*r;
	const struct effect		*e;
	struct talk			 t;
	char				 n[8];

	(void)state;
	memset(&cb, 0, sizeof(cb));
	cb.number = 77;
	cb.status = "received";
	cb.category = "water";
	cb.grid = "wanglou";
	cb.deputy = "d-wang";
	cb.created_at = T0 - 120;
	talk_init(&t);
	t.cases = &cb;
	t.ncases = 1;
	r = talk_say(&t, "不对，我说的不是这个事");
	assert_null(effect_of(r, EFF_CASE_CREATE));
	assert_null(effect_of(r, EFF_CASE_RECATEGORIZE));
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	assert_int_equal(r->conv.fix, 77);
	assert_contains(reply_of(r), "诉求77是哪类问题？");
	snprintf(n, sizeof(n), "%d", listed_as(reply_of(r), "路灯照明"));
	r = talk_say(&t, n);
	e = effect_of(r, EFF_CASE_RECATEGORIZE);
	assert_non_null(e);
	assert_int_equal(e->number, 77);
	assert_int_equal(e->c.category, cat_index("streetlight"));
	assert_null(effect_of(r, EFF_CASE_CREATE));
	assert_contains(reply_of(r), "诉求77的问题已改为：路灯照明");
	assert_int_equal(r->conv.state, DS_IDLE);
	talk_end(&t);

	/* 不是 denying something else, the same problem again: more about
	 * it, no question to put the case right */
	talk_init(&t);
	t.cases = &cb;
	t.ncases = 1;
	r = talk_say(&t, "不是一家两家，整个村都停水了");
	assert_null(effect_of(r, EFF_CASE_RECATEGORIZE));
	assert_int_equal(r->conv.fix, 0);
	assert_lacks(reply_of(r), "诉求77是哪类问题");
	talk_end(&t);
	/* 其他: the case stays as it was, and the resident is told */
	fix_kept(&cb, "其他", NULL);
	/* taken by the deputy meanwhile: nothing changes */
	fix_kept(&cb, "1", "accepted");
}

/*
 * A problem guessed, not named (the classifier less than sure): the reply
 * says how to put it right; named by a keyword, or a second problem to
 * mention, it does not.
 */
static void
test_guess_says_how_to_fix(void **state)
{
	static const struct {
		const char	*text, *category;
		bool		 hint;
	} rows[] = {
		{ "刘辛店村变压器的门开着，小孩老去那玩", "safety", true },
		{ "Vendors block the street in Pucheng village every morning",
		  "market", true },
		{ "王楼村这两天停水了", "water", false },
		{ "Wanglou village has had no water for two days", "water", false },
	};
	const struct dialog_result	*r;
	const struct effect		*e;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		talk_init(&t);
		r = talk_say(&t, rows[i].text);
		e = effect_of(r, EFF_CASE_CREATE);
		if (e == NULL)
			fail_msg("\"%s\": no case: %s", rows[i].text, reply_of(r));
		assert_int_equal(e->c.category, cat_index(rows[i].category));
		if (rows[i].hint && utf8_has_cjk(rows[i].text))
			assert_contains(reply_of(r), "问题不对请回复“不对，是…”。");
		else if (rows[i].hint)
			assert_contains(reply_of(r),
			    "Wrong problem? Reply: Wrong, it is ...");
		else {
			assert_lacks(reply_of(r), "问题不对");
			assert_lacks(reply_of(r), "Wrong problem");
		}
		talk_end(&t);
	}
}

/* A grid's first deputy gets the case (杨集村 has two). */
static void
test_first_deputy(void **state)
{
	struct talk	 t;

	(void)state;
	talk_init(&t);
	assert_string_equal(created(talk_say(&t, "杨集村老人助餐点啥时候开"))->c.deputy, "d-ma");
	talk_end(&t);
}

static void
test_member_id_not_masked(void **state)
{
	const struct effect	*alert;
	struct talk		 t;

	(void)state;
	talk_init(&t);
	t.channel = "groups";
	t.address = "wxid_abc123";
	alert = effect_of(talk_say(&t, "王楼村这两天停水了"), EFF_NOTIFY_DEPUTY);
	assert_non_null(alert);
	assert_contains(alert->text, "wxid_abc123");
	talk_end(&t);
}

struct greeting_row {
	const char	*text;
	const char	*lang;
};

static const struct greeting_row greetings[] = {
	{ "你好", "zh" },
	{ "您好，请问在吗？", "zh" },
	{ "在吗", "zh" },
	{ "喂", "zh" },
	{ "hi", "en" },
	{ "Hello, is anyone there?", "en" },
	{ "👍", "zh" },
	{ "2", "zh" },
};

static void
test_greeting(void **state)
{
	const struct greeting_row	*g = *state;
	const struct dialog_result	*r;
	struct talk			 t;

	talk_init(&t);
	r = talk_say(&t, g->text);
	assert_reply_is(r, g->lang, "greeting");
	assert_int_equal(r->conv.state, DS_IDLE);
	assert_null(effect_of(r, EFF_CASE_CREATE));
	talk_end(&t);
}

static void
test_no_text(void **state)
{
	struct dialog_input	 in;
	struct dialog_result	 r;
	struct talk		 t;

	(void)state;
	talk_init(&t);
	talk_input(&t, NULL, &in);
	assert_int_equal(dialog_step(cfg, tix, &in, &r), -1);
	assert_int_equal(r.neffects, 0);
	dialog_result_clear(&r);
	in.text = " \t\n　";
	assert_int_equal(dialog_step(cfg, tix, &in, &r), -1);
	assert_int_equal(r.neffects, 0);
	dialog_result_clear(&r);
	talk_end(&t);
}

/* --- multi-turn: the category ---------------------------------------------- */

struct answer_row {
	const char	*first;		/* the first message */
	enum dialog_state asked;	/* the question it gets */
	const char	*answer;
	const char	*want;		/* category or grid id the answer gives */
};

static const struct answer_row category_answers[] = {
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "2", "water" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "２", "water" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "二", "water" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "供水", "water" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "市场秩序", "market" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "第8个", "employment" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "是停水的事", "water" },
	/* in words that name no keyword: the classifier's guess */
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "路不好走", "road" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "工钱要不回来", "employment" },
	{ "王楼村这个问题好几天了没人管", DS_ASK_CATEGORY, "晚上黑乎乎的", "streetlight" },
};

static void
test_category_answer(void **state)
{
	const struct answer_row		*a = *state;
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;

	talk_init(&t);
	r = talk_say(&t, a->first);
	assert_int_equal(r->conv.state, a->asked);
	assert_contains(reply_of(r), "1 路灯照明");
	assert_contains(reply_of(r), "2 供水");
	assert_contains(reply_of(r), "8 就业用工");
	t.now += MINUTE;
	r = talk_say(&t, a->answer);
	c = created(r);
	assert_int_equal(c->c.category, cat_index(a->want));
	assert_int_equal(c->c.grid, grid_index("wanglou"));
	assert_string_equal(c->c.department, config_category(cfg, a->want)->department);
	assert_contains(c->description, "这个问题好几天了没人管");
	talk_end(&t);
}

/*
 * An answer whose words lean only weakly to a category (below
 * CLASSIFY_ANSWER alone), read with the request it answers: when the two
 * together name that category, it is filed; when the request adds
 * nothing, the question stays (want NULL).
 */
static const struct {
	const char	*first, *answer, *want;
} joined_answers[] = {
	{ "王楼村路口那块黑，车也多", "黑了怕摔", "streetlight" },
	{ "王楼村路口那块黑，车也多", "路上黑", "streetlight" },
	{ "王楼村路口那块黑，车也多", "灯和路", "streetlight" },
	/* the request says nothing of any problem: the answer alone, which
	 * other counties' messages make lean enough (CLASSIFY_ANSWER) */
	{ "王楼村家门口那块一到晚上就不行", "灯和路", "streetlight" },
	{ "王楼村家门口那块一到晚上就不行", "黑了怕摔", "streetlight" },
	/* the request leans elsewhere: no agreement */
	{ "王楼村路口那块黑，车也多", "水和路", NULL },
};

static void
test_category_answer_joined(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(joined_answers); i++) {
		talk_init(&t);
		r = talk_say(&t, joined_answers[i].first);
		assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
		t.now += MINUTE;
		r = talk_say(&t, joined_answers[i].answer);
		if (joined_answers[i].want == NULL) {
			assert_null(effect_of(r, EFF_CASE_CREATE));
			assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
		} else {
			assert_int_equal(created(r)->c.category,
			    cat_index(joined_answers[i].want));
			assert_int_equal(created(r)->c.grid, grid_index("wanglou"));
			assert_contains(reply_of(r), "路灯照明");
		}
		talk_end(&t);
	}
}

/* 其他 is always offered: the number after the list, or the word. */
static void
test_other_category(void **state)
{
	static const char *const answers[] = { "9", "其他", "其它", "九" };
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(answers); i++) {
		talk_init(&t);
		r = talk_say(&t, "王楼村家门口的事拖了好几天了，一直没人管");
		assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
		assert_contains(reply_of(r), "8 就业用工\n9 其他");
		r = talk_say(&t, answers[i]);
		c = created(r);
		assert_int_equal(c->c.category, -1);
		assert_int_equal(c->c.grid, grid_index("wanglou"));
		assert_null(c->c.department);
		assert_contains(reply_of(r), "未分类");
		talk_end(&t);
	}
	/* and in English */
	talk_init(&t);
	r = talk_say(&t, "Nobody has done anything about it for weeks in Dazhao");
	assert_contains(reply_of(r), "9 Other");
	assert_int_equal(created(talk_say(&t, "other"))->c.category, -1);
	talk_end(&t);
}

/* The config root (JSON, its reference taken) makes, or the test fails
 * with the first error. */
static struct config *
config_of_json(json_t *root, struct config_errors *errs)
{
	struct config	*c;
	char		*s = json_dumps(root, 0);

	json_decref(root);
	c = config_load_string(s, errs);
	free(s);
	if (c == NULL)
		fail_msg("%s", errs->n > 0 ? errs->lines[0] : "config");
	return c;
}

/*
 * Two villages whose names sound alike (刘辛店村, and a 刘新店村 added in
 * another township): a homophone of both asks with both as choices.
 */
static void
test_place_homophone_tie(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*two;
	struct text_index	*tix2;
	struct dialog_input	 in;
	struct dialog_result	 r;
	json_t			*root, *data;
	int			 g;

	(void)state;
	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	json_array_append_new(json_object_get(root, "grids"), json_pack(
	    "{s:s, s:s, s:s, s:[s]}", "id", "liuxindian2", "name", "刘新店村",
	    "township", "wanglou", "deputies", "d-guo"));
	two = config_of_json(root, &errs);
	tix2 = text_index_new(two);
	memset(&in, 0, sizeof(in));
	in.now = T0;
	in.address = RESIDENT;
	in.text = "留新店村路灯坏了";
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	assert_int_equal(dialog_step(two, tix2, &in, &r), 0);
	assert_int_equal(r.conv.state, DS_ASK_PLACE);
	assert_int_equal(r.conv.category, cat_index("streetlight"));
	assert_contains(reply_of(&r), "1 刘辛店村\n2 刘新店村");
	/* the choice survives the stored conversation */
	data = conv_state_to_json(&r.conv);
	conv_state_init(&in.conv);
	assert_int_equal(conv_state_from_json(two, r.conv.state, data, T0, &in.conv), 0);
	json_decref(data);
	assert_int_equal(in.conv.nplaces, 2);
	in.has_conv = true;
	in.text = "2";
	dialog_result_clear(&r);
	assert_int_equal(dialog_step(two, tix2, &in, &r), 0);
	g = (int)(config_grid(two, "liuxindian2") - two->grids);
	assert_int_equal(created(&r)->c.grid, g);
	assert_int_equal(created(&r)->c.category, cat_index("streetlight"));
	dialog_result_clear(&r);
	conv_state_clear(&in.conv);
	text_index_free(tix2);
	config_free(two);
	config_errors_free(&errs);
}

/*
 * A keyword inside another category's longer one (养老 of 养老金) is not
 * where that category is named: the pension named first, 再就是 and the
 * old people's home after it are two problems, however much more the
 * second says; the pension is filed, the home to send on its own.
 */
static void
test_keyword_inside_longer(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*pc;
	struct text_index	*ptix;
	struct dialog_input	 in;
	struct dialog_result	 r;
	json_t			*root, *cats;

	(void)state;
	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	cats = json_object_get(root, "categories");
	json_array_append_new(cats, json_pack("{s:s, s:s, s:[s, s], s:i}",
	    "id", "pension", "name", "养老保险", "keywords", "养老金", "养老保险",
	    "tier", 2));
	json_array_append_new(cats, json_pack("{s:s, s:s, s:[s, s, s], s:i}",
	    "id", "eldercare", "name", "养老服务", "keywords", "养老", "幸福院",
	    "老人", "tier", 2));
	pc = config_of_json(root, &errs);
	ptix = text_index_new(pc);
	memset(&in, 0, sizeof(in));
	conv_state_init(&in.conv);
	in.now = T0;
	in.address = RESIDENT;
	in.text = "王楼村俺爹的养老金三个月没到卡上了，再就是村里幸福院也关门了，"
	    "老人白天没地方去，吃饭也没人管，一个人在家里坐着";
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	assert_int_equal(dialog_step(pc, ptix, &in, &r), 0);
	if (created(&r)->c.category != (int)(config_category(pc, "pension") -
	    pc->categories))
		fail_msg("not the pension: %s", reply_of(&r));
	assert_contains(reply_of(&r), "养老服务");
	dialog_result_clear(&r);
	conv_state_clear(&in.conv);
	text_index_free(ptix);
	config_free(pc);
	config_errors_free(&errs);
}

/*
 * Two problems in one message: the one named first is filed, and the
 * resident is told the other can be sent on its own.
 */
static const struct {
	const char	*text;
	const char	*category;	/* filed */
	const char	*other;		/* named in the reply, or NULL */
} two_rows[] = {
	{ "王楼村停水了，路灯也坏了", "water", "另一个问题（路灯照明）" },
	{ "王楼村路灯坏了，还有停水", "streetlight", "另一个问题（供水）" },
	{ "刘辛店村欠薪的事，还有村里垃圾的事", "employment", "另一个问题（环境卫生）" },
	{ "大赵村垃圾没人拉，路面也全是坑", "sanitation", "另一个问题（道路交通）" },
	/* a one-character keyword named first, a longer one second */
	{ "王楼村路上坑太多，护栏也没有", "road", "另一个问题（安全隐患）" },
	{ "王楼村路上有个坑，电线也掉下来了", "road", "另一个问题（安全隐患）" },
	{ "No water in Dazhao village, and the street light is broken", "water",
	  "other problem (Street lights)" },
	{ "王楼村停水了，自来水管也漏水", "water", NULL },
	{ "刘辛店村村口路灯不亮", "streetlight", NULL },
	/* 灯坏 (street lights) inside 红绿灯 (roads) is the same problem */
	{ "王楼村路口红绿灯坏了", "road", NULL },
};

static void
test_two_problems(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(two_rows); i++) {
		talk_init(&t);
		r = talk_say(&t, two_rows[i].text);
		assert_int_equal(created(r)->c.category, cat_index(two_rows[i].category));
		if (two_rows[i].other != NULL)
			assert_contains(reply_of(r), two_rows[i].other);
		else {
			assert_lacks(reply_of(r), "另一个问题");
			assert_lacks(reply_of(r), "other problem");
		}
		talk_end(&t);
	}
}

/*
 * English replies name places and people in English: name_en when the
 * config has one, else pinyin ("Liuxindian Village", "Deputy Niu", a full
 * name as "Deputy Wu Meifang"), never Chinese characters.
 */
static void
test_english_names(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*named;
	struct text_index	*tix2;
	struct dialog_input	 in;
	struct dialog_result	 r;
	const struct dialog_result *rr;
	json_t			*root;
	struct talk		 t;
	char			*s;

	(void)state;
	talk_init(&t);
	rr = talk_say(&t, "Street light broken at Liu Xin Dian");
	assert_int_equal(created(rr)->c.grid, grid_index("liuxindian"));
	assert_contains(reply_of(rr), "Liuxindian Village");
	assert_contains(reply_of(rr), "Deputy Niu");
	assert_false(has_cjk_run(reply_of(rr), 1));
	talk_end(&t);

	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	json_object_set_new(json_array_get(json_object_get(root, "grids"), 0),
	    "name_en", json_string("Liu Xin Dian"));
	json_object_set_new(json_array_get(json_object_get(root, "deputies"), 0),
	    "name_en", json_string("Ms Niu"));
	named = config_of_json(root, &errs);
	tix2 = text_index_new(named);
	memset(&in, 0, sizeof(in));
	in.now = T0;
	in.address = RESIDENT;
	in.text = "Street light broken at Liuxindian";
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	assert_int_equal(dialog_step(named, tix2, &in, &r), 0);
	assert_contains(reply_of(&r), "Liu Xin Dian");
	assert_contains(reply_of(&r), "Ms Niu");
	assert_false(has_cjk_run(reply_of(&r), 1));
	dialog_result_clear(&r);
	/* Chinese replies keep the Chinese names */
	in.text = "刘辛店村路灯坏了";
	assert_int_equal(dialog_step(named, tix2, &in, &r), 0);
	assert_contains(reply_of(&r), "刘辛店村");
	assert_contains(reply_of(&r), "牛代表");
	dialog_result_clear(&r);
	text_index_free(tix2);
	config_free(named);
	config_errors_free(&errs);

	/* a full name without name_en: surname, space, given name */
	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	json_object_set_new(json_array_get(json_object_get(root, "deputies"), 0),
	    "name", json_string("吴美芳"));
	s = json_dumps(root, 0);
	named = config_load_string(s, &errs);
	free(s);
	if (named == NULL)
		fail_msg("%s", errs.n > 0 ? errs.lines[0] : "config");
	tix2 = text_index_new(named);
	in.text = "Street light broken at Liuxindian";
	assert_int_equal(dialog_step(named, tix2, &in, &r), 0);
	assert_contains(reply_of(&r), "Deputy Wu Meifang");
	dialog_result_clear(&r);
	text_index_free(tix2);
	config_free(named);
	/* ... a two-character surname kept whole */
	json_object_set_new(json_array_get(json_object_get(root, "deputies"), 0),
	    "name", json_string("欧阳春代表"));
	named = config_of_json(root, &errs);
	tix2 = text_index_new(named);
	assert_int_equal(dialog_step(named, tix2, &in, &r), 0);
	assert_contains(reply_of(&r), "Deputy Ouyang Chun");
	dialog_result_clear(&r);
	text_index_free(tix2);
	config_free(named);
	config_errors_free(&errs);
}

/*
 * The office's corrections teach the classifier: closed cases' words count
 * for their final category (text_index_learn, as the shell does at start).
 */
static void
test_learned_from_cases(void **state)
{
	static const char	 msg[] = "王楼村的大喇叭天天响";
	struct text_index	*ix2;
	struct dialog_input	 in;
	struct dialog_result	 r;
	int			 i;

	(void)state;
	ix2 = text_index_new(cfg);
	memset(&in, 0, sizeof(in));
	in.now = T0;
	in.address = RESIDENT;
	in.text = msg;
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	assert_int_equal(dialog_step(cfg, ix2, &in, &r), 0);
	assert_int_equal(r.conv.state, DS_ASK_CATEGORY);
	dialog_result_clear(&r);
	for (i = 0; i < 3; i++)
		text_index_learn(ix2, cat_index("safety"), "村头大喇叭天天响，吵得很");
	text_index_learn(ix2, -1, "ignored");
	text_index_learn(ix2, 99, "ignored");
	assert_int_equal(text_index_learned(ix2), 3);
	assert_int_equal(dialog_step(cfg, ix2, &in, &r), 0);
	assert_int_equal(created(&r)->c.category, cat_index("safety"));
	dialog_result_clear(&r);
	text_index_free(ix2);
}

/* What msg makes under ix: the created case's category id, or NULL. */
static const char *
filed_as(struct text_index *ix, const char *msg)
{
	struct dialog_input	 in;
	struct dialog_result	 r;
	const struct effect	*e;
	const char		*id = NULL;

	memset(&in, 0, sizeof(in));
	conv_state_init(&in.conv);
	in.now = T0;
	in.address = RESIDENT;
	in.text = msg;
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	assert_int_equal(dialog_step(cfg, ix, &in, &r), 0);
	if ((e = effect_of(&r, EFF_CASE_CREATE)) != NULL && e->c.category >= 0)
		id = cfg->categories[e->c.category].id;
	dialog_result_clear(&r);
	return id;
}

/*
 * A county's first closed cases teach their words, but not what every
 * message says: a word one case said is no evidence until a second says
 * it, and pairs of characters that say nothing alone (有人, 人在, 一个)
 * teach nothing.  One elderly case with 这段时间 and 天天 files no
 * burning under elderly; two burning cases teach 烧 and 路边, not 人在.
 */
static void
test_learned_few_cases(void **state)
{
	static const char	 burning[] = "大赵村这段时间天天有人在路边烧塑料";
	static const char	 alone[] = "王楼村这段时间一个人在家";
	struct text_index	*ix2;

	(void)state;
	ix2 = text_index_new(cfg);
	text_index_learn(ix2, cat_index("elderly"),
	    "大赵村张大爷这段时间一个人在家，天天没人管");
	assert_null(filed_as(ix2, burning));
	text_index_learn(ix2, cat_index("sanitation"),
	    "刘辛店村天天有人在路边烧塑料，呛死人");
	text_index_learn(ix2, cat_index("sanitation"),
	    "杨集村有人在路边烧塑料，烟大得很");
	assert_non_null(filed_as(ix2, burning));
	assert_string_equal(filed_as(ix2, burning), "sanitation");
	assert_null(filed_as(ix2, alone));
	text_index_free(ix2);
}

/*
 * A word closed cases of two categories both said (三轮蹦蹦, a county's
 * word for a three-wheeler, of a market's stalls and of wages owed) is
 * what its complaints say, not which: it teaches neither.
 */
static void
test_learned_shared_words(void **state)
{
	static const char	 parked[] = "刘辛店村的三轮蹦蹦又乱停了";
	struct text_index	*ix2;

	(void)state;
	ix2 = text_index_new(cfg);
	text_index_learn(ix2, cat_index("market"),
	    "王楼村三轮蹦蹦天天停在路口卖菜");
	text_index_learn(ix2, cat_index("market"),
	    "杨集村卖菜的三轮蹦蹦把路占了");
	assert_non_null(filed_as(ix2, parked));
	assert_string_equal(filed_as(ix2, parked), "market");
	text_index_learn(ix2, cat_index("employment"),
	    "大赵村开三轮蹦蹦拉货的工钱没给");
	assert_null(filed_as(ix2, parked));
	text_index_free(ix2);
}

/*
 * Another resident's open case of the same place and category: a new case
 * linked to the first, and the deputy's alert says how many residents
 * have reported it.
 */
static void
test_duplicate_others(void **state)
{
	static const struct open_group open[] = {
		{ "wanglou", "water", 40, 1 },
		{ "liuxindian", "streetlight", 55, 2 },
	};
	static const struct {
		const char	*text;
		long		 linked;
		const char	*alert;
	} rows[] = {
		{ "刘辛店村路灯不亮", 55, "已有3位群众反映（首报55）" },
		{ "王楼村停水了", 40, "已有2位群众反映（首报40）" },
		{ "刘辛店村停水了", 0, NULL },
		{ "大赵村路灯不亮", 0, NULL },
	};
	struct dialog_input	 in;
	struct dialog_result	 r;
	const struct effect	*c, *a;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		memset(&in, 0, sizeof(in));
		in.now = T0;
		in.address = RESIDENT;
		in.text = rows[i].text;
		in.addressed = true;
		in.grid_hint = -1;
		in.next_case_number = 101;
		in.open = open;
		in.nopen = nitems(open);
		assert_int_equal(dialog_step(cfg, tix, &in, &r), 0);
		c = created(&r);
		a = effect_of(&r, EFF_NOTIFY_DEPUTY);
		assert_non_null(a);
		assert_int_equal(c->c.linked_to, rows[i].linked);
		if (rows[i].alert != NULL)
			assert_contains(a->text, rows[i].alert);
		else
			assert_lacks(a->text, "位群众反映");
		assert_true(utf8_sms_segments(a->text) <= 2);
		dialog_result_clear(&r);
	}
}

/*
 * Plain words: what residents read carries no office word (分办, 派单,
 * 接单, 退回, 受理范围, 经办, 期限), in the example config's texts.
 */
static void
test_plain_words(void **state)
{
	static const char *const keys[] = {
		"greeting", "help", "ask_category", "ask_place", "ask_description",
		"ask_village", "case_created", "case_triage", "case_howto",
		"case_second", "case_guessed", "duplicate_own", "status_detail",
		"status_none",
		"cancel_usage", "intake_cancelled", "intake_dropped", "lapsed",
		"resident_status_accepted", "resident_status_dispatched",
		"resident_status_declined", "staff_res_accepted",
		"staff_res_dispatched", "staff_res_declined", "rating_prompt",
		"sched_rating_reminder", "rating_thanks", "limit_cases",
		"staff_res_closed",
	};
	static const char *const jargon[] = {
		"分办", "派单", "接单", "退回", "受理范围", "经办", "期限", "办结期",
		"结案",
	};
	char	*t;
	size_t	 i, j;

	(void)state;
	for (i = 0; i < nitems(keys); i++) {
		assert_true(config_template_known(keys[i]));
		t = dialog_render(cfg, "zh", keys[i], NULL);
		for (j = 0; j < nitems(jargon); j++)
			if (strstr(t, jargon[j]) != NULL)
				fail_msg("%s: \"%s\" has %s", keys[i], t, jargon[j]);
		free(t);
	}
	/* the rating prompt says which end is best, in both languages */
	t = dialog_render(cfg, "zh", "rating_prompt", NULL);
	assert_contains(t, "5分最满意");
	free(t);
	t = dialog_render(cfg, "en", "rating_prompt", NULL);
	assert_contains(t, "5 is best");
	free(t);
}

/*
 * Two categories whose keywords sound alike (水管 of water, and a 税官 of
 * an added tax category): a homophone of both asks with both first.
 */
static void
test_category_homophone_tie(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*two;
	struct text_index	*tix2;
	struct dialog_input	 in;
	struct dialog_result	 r;
	json_t			*root;

	(void)state;
	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	json_array_append_new(json_object_get(root, "categories"), json_pack(
	    "{s:s, s:s, s:[s], s:i}", "id", "tax", "name", "税务",
	    "keywords", "税官", "tier", 2));
	two = config_of_json(root, &errs);
	tix2 = text_index_new(two);
	memset(&in, 0, sizeof(in));
	in.now = T0;
	in.address = RESIDENT;
	in.text = "王楼村的水官坏了，一直没人管";
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	assert_int_equal(dialog_step(two, tix2, &in, &r), 0);
	assert_int_equal(r.conv.state, DS_ASK_CATEGORY);
	assert_contains(reply_of(&r), "1 供水\n2 税务\n3 路灯照明");
	assert_contains(reply_of(&r), "10 其他");
	dialog_result_clear(&r);
	/* the word itself is no homophone: filed at once */
	in.text = "王楼村的水管坏了";
	assert_int_equal(dialog_step(two, tix2, &in, &r), 0);
	assert_int_equal(created(&r)->c.category, cat_index("water"));
	dialog_result_clear(&r);
	text_index_free(tix2);
	config_free(two);
	config_errors_free(&errs);
}

/*
 * The classifier does not read place names: in 灯塔村 and 双桥村 there is
 * no lamp and no bridge.  The message is filed as what it says.
 */
static const char *const masked_rows[] = {
	"双桥村屋后沟里的水排不出去，都淹到路上了",
	"双桥村的积水排不出去，路上全是",
	"灯塔村下水道的水排不出去，都冒到路上了",
	"双桥村门前水沟堵了，水都漫到路上了",
};

static void
test_place_masked(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*two;
	struct text_index	*tix2;
	struct dialog_input	 in;
	struct dialog_result	 r;
	json_t			*root, *grids;
	size_t			 i;

	(void)state;
	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	grids = json_object_get(root, "grids");
	json_array_append_new(grids, json_pack("{s:s, s:s, s:s, s:[s]}",
	    "id", "dengta", "name", "灯塔村", "township", "wanglou",
	    "deputies", "d-wang"));
	json_array_append_new(grids, json_pack("{s:s, s:s, s:s, s:[s]}",
	    "id", "shuangqiao", "name", "双桥村", "township", "wanglou",
	    "deputies", "d-wang"));
	json_array_append_new(json_object_get(root, "categories"), json_pack(
	    "{s:s, s:s, s:[s,s], s:i}", "id", "drainage", "name", "排水",
	    "keywords", "排水", "积水", "tier", 2));
	two = config_of_json(root, &errs);
	tix2 = text_index_new(two);
	for (i = 0; i < nitems(masked_rows); i++) {
		memset(&in, 0, sizeof(in));
		in.now = T0;
		in.address = RESIDENT;
		in.text = masked_rows[i];
		in.addressed = true;
		in.grid_hint = -1;
		in.next_case_number = 1;
		assert_int_equal(dialog_step(two, tix2, &in, &r), 0);
		if (r.conv.state == DS_ASK_CATEGORY)
			assert_contains(reply_of(&r), "1 排水");
		else
			assert_int_equal(created(&r)->c.category,
			    (int)two->ncategories - 1);
		dialog_result_clear(&r);
	}
	text_index_free(tix2);
	config_free(two);
	config_errors_free(&errs);
}

/*
 * A keyword said in passing (老人 as the subject of the consequence)
 * after a clause the classifier is sure is another problem: asked with
 * both first, the classifier's first, rather than filed wrong.
 */
static void
test_keyword_in_passing(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "王楼村天一黑到处黑乎乎的，老人都不敢出门");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	assert_contains(reply_of(r), "1 路灯照明\n2 养老");
	r = talk_say(&t, "1");
	assert_int_equal(created(r)->c.category, cat_index("streetlight"));
	talk_end(&t);
	/* in English, a keyword naming where the problem is (along the
	 * road) says where: the lamps' */
	talk_init(&t);
	r = talk_say(&t, "The lamps along the road in Dazhao are all dark at night");
	assert_int_equal(created(r)->c.category, cat_index("streetlight"));
	talk_end(&t);
	/* 红路灯 is 红绿灯 mistyped, though it holds 路灯: both asked */
	talk_init(&t);
	r = talk_say(&t, "大赵村十字口的红路灯不亮了");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	assert_contains(reply_of(r), "1 道路交通\n2 路灯照明");
	talk_end(&t);
	/* the keyword in the problem's own clause: filed at once */
	talk_init(&t);
	r = talk_say(&t, "王楼村的老人没人照顾，吃饭都成问题");
	assert_int_equal(created(r)->c.category, cat_index("elderly"));
	talk_end(&t);
	/* a polite opening before the problem: the message is about water */
	talk_init(&t);
	r = talk_say(&t, "不好意思，王楼村这两天停水了");
	assert_int_equal(created(r)->c.category, cat_index("water"));
	talk_end(&t);
}

/*
 * Kinds of first message, each written fresh for its rule (none is a
 * corpus row), under the config of the county named: what the message
 * alone does.  want: the category id of the case made at once, or "ask:"
 * and the categories the question lists first ("ask:noise,light").
 */
struct grasp_row {
	const char	*config;
	const char	*text;
	const char	*want;
	const char	*reply;		/* in the reply too, or NULL; "!text":
					 * text not in it */
};

#define C2	"tests/data/config/county2.json"
#define C4	"tests/data/config/county4.json"
#define C5	"tests/data/config/county5.json"
#define C6	"tests/data/config/county6.json"
#define C7	"tests/data/config/county7.json"
#define C8	"tests/data/config/county8.json"
#define C9	"tests/data/config/county9.json"
#define C10	"tests/data/config/county10.json"
#define C11	"tests/data/config/county11.json"
#define C12	"tests/data/config/county12.json"
#define C13	"tests/data/config/county13.json"
#define C14	"tests/data/config/county14.json"
#define C15	"tests/data/config/county15.json"
#define C16	"tests/data/config/county16.json"
#define C17	"tests/data/config/county17.json"
#define C18	"tests/data/config/county18.json"
#define C97	"tests/data/config/county97.json"
#define C188	"tests/data/config/county188.json"
#define C170	"tests/data/config/county170.json"
#define C124	"tests/data/config/county124.json"
#define C133	"tests/data/config/county133.json"
#define C131	"tests/data/config/county131.json"
#define C43	"tests/data/config/county43.json"
#define C142	"tests/data/config/county142.json"
#define C100	"tests/data/config/county100.json"
#define C19	"tests/data/config/county19.json"
#define C20	"tests/data/config/county20.json"
#define C21	"tests/data/config/county21.json"
#define C22	"tests/data/config/county22.json"
#define C23	"tests/data/config/county23.json"
#define C24	"tests/data/config/county24.json"
#define C25	"tests/data/config/county25.json"
#define C26	"tests/data/config/county26.json"
#define C27	"tests/data/config/county27.json"
#define C28	"tests/data/config/county28.json"
#define C29	"tests/data/config/county29.json"
#define C30	"tests/data/config/county30.json"
#define C31	"tests/data/config/county31.json"
#define C32	"tests/data/config/county32.json"
#define C33	"tests/data/config/county33.json"
#define C34	"tests/data/config/county34.json"
#define C36	"tests/data/config/county36.json"
#define C37	"tests/data/config/county37.json"
#define C38	"tests/data/config/county38.json"
#define C39	"tests/data/config/county39.json"
#define C40	"tests/data/config/county40.json"
#define C41	"tests/data/config/county41.json"
#define C47	"tests/data/config/county47.json"
#define C55	"tests/data/config/county55.json"
#define C56	"tests/data/config/county56.json"
#define C53	"tests/data/config/county53.json"
#define C60	"tests/data/config/county60.json"
#define C61	"tests/data/config/county61.json"
#define C62	"tests/data/config/county62.json"
#define C69	"tests/data/config/county69.json"
#define C93	"tests/data/config/county93.json"
#define C79	"tests/data/config/county79.json"
#define C81	"tests/data/config/county81.json"
#define C87	"tests/data/config/county87.json"
#define C94	"tests/data/config/county94.json"
#define C198	"tests/data/config/county198.json"
#define C44	"tests/data/config/county44.json"
#define C169	"tests/data/config/county169.json"
#define C214	"tests/data/config/county214.json"
#define C218	"tests/data/config/county218.json"
#define C52	"tests/data/config/county52.json"
#define C164	"tests/data/config/county164.json"
#define C191	"tests/data/config/county191.json"
#define C88	"tests/data/config/county88.json"
#define C196	"tests/data/config/county196.json"
#define C168	"tests/data/config/county168.json"
#define C171	"tests/data/config/county171.json"
#define C132	"tests/data/config/county132.json"
#define C125	"tests/data/config/county125.json"
#define C143	"tests/data/config/county143.json"

static const struct grasp_row grasp_rows[] = {
	/* a place before a locative (门口, 旁边, 附近, 对面 ...) or 的 and
	 * another keyword says where, not what: the problem is the rest */
	{ C2, "高寨村学校对面那段路面塌了个大洞", "road", NULL },
	{ C2, "张庄村卫生室门口的路全是坑", "road", NULL },
	{ C4, "葛庄村卫生室旁边的路全是坑", "road", NULL },
	{ C4, "苏楼村卫生室门口晚上黑漆漆的", "light", NULL },
	{ C5, "桥头村学校旁边那条路坑坑洼洼的", "road", NULL },
	{ C5, "路庄村学校对面的烧烤摊天天吵到半夜", "noise", NULL },
	{ C2, "雷家寨村学校附近晚上黑灯瞎火的", "lighting", NULL },
	{ C2, "南彰村学校的路面裂了好长一道缝", "road", NULL },
	/* ... so does a keyword that names a place with a suffix (停车场,
	 * of 停车, before 边上): the mistyped 拉圾 is the problem */
	{ C26, "史山村停车场边上的拉圾箱满了", "sanitation", NULL },
	{ C26, "北留村停车场旁边的拉圾没人清", "sanitation", NULL },
	/* ... a keyword of its own still names it, wherever it is */
	{ C5, "杏花社区学校门口积水好深", "drainage", NULL },
	{ C2, "裕禄社区学校门口路灯不亮", "lighting", NULL },
	/* ... one the rest of the message leans to otherwise is asked */
	{ C2, "和平社区卫生室附近天天有人放鞭炮，吵得不行", "ask:noise,clinic",
	  NULL },
	/* ... and is no second problem either */
	{ C5, "杏花社区路灯坏了，就在学校门口", "light", "!另一个问题" },
	{ C5, "水口村学校旁边的路灯坏了", "light", "!另一个问题" },
	/* in English, a noun another category's heads says what of: the
	 * subsidy, no grain purchase; not a stuff (flood water) */
	{ C41, "Yongfa village, the grain subsidy still has not come this year",
	  "subsidy", "!other problem" },
	{ C47, "Zuoli village, the flood water came into our houses last night",
	  "dike", "!other problem" },
	/* an English message that opens with its keyword is about it, the
	 * classifier's lean elsewhere no passing (coal dust from the mine) */
	{ C81, "The dike near Zhujia village is leaking, water is coming out "
	  "at the foot. Please send someone", "dike", NULL },
	/* the age and living alone say the elderly (阿娘九十一岁了，一个人
	 * 住): built-in words */
	{ C12, "灯塔村阿拉阿娘九十一岁了 一个人住老屋里 饭都烧弗动",
	  "elderly", NULL },
	{ C37, "鳌山村阿拉阿娘九十一岁了 一个人住老屋里 饭都烧弗动",
	  "elderly", NULL },
	/* a sound only fuzzy pinyin hears (晒鱼干: yugan, 渔港) that the rest
	 * leans away from, however little: asked, not filed */
	{ C79, "王滩村后面晒鱼干嗰场子一到日头出来 味道熏得人头昏 窗门关牢还是"
	  "闻得到", "ask:", NULL },
	/* the van to town that stopped coming (进村的车) is the bus, not
	 * the elderly it carried: asked, not filed as theirs */
	{ C100, "赤石村的老人要去镇上看病买东西，以前那台每天早上会进村的车现在"
	  "不来了，要走四十分钟下山到路口等，等到了也没位，阮阿嬷都七十几岁了",
	  "ask:", NULL },
	/* 坑 of 鱼坑 (a fish pond) names no road */
	{ C97, "三河口村俺家的鱼坑前年推平了，说给钱给钱，到今个还欠着一半，"
	  "俺六十多了还得出去打零工", "ask:", NULL },
	/* a second keyword's clause that reads as the first problem is no
	 * second problem to send again: the road is where it is dark */
	{ EXAMPLE, "The street light near Wanglou village school is broken, the "
	  "road is pitch dark", "streetlight", "!other problem" },
	{ EXAMPLE, "No water in Dazhao village, and the road is full of potholes",
	  "water", "other problem (Roads" },
	/* a measure (一包五十斤) is no homophone of 医保 */
	{ C41, "永发村买的复合肥一包五十斤，撒下去一点用都没有，怀疑是假化肥",
	  "agrinput", NULL },
	{ C5, "水口村路灯坏了，学校的垃圾也没人清", "light", "另一个问题（垃圾清运）" },
	/* ... and with nothing else said, the place is what it is about */
	{ C2, "范家营村学校门口乱糟糟的", "school", NULL },
	/* of two keywords as long as each other in a clause, the one
	 * written first (before: the one the config lists first) */
	{ EXAMPLE, "王楼村水管和路灯都坏了", "water", NULL },
	/* a joining word (还有, 另外) before a keyword: the resident named
	 * it as a second problem; the first is the one before, and the
	 * second is mentioned in the reply */
	{ C2, "雷家寨村半夜有人放音乐吵得睡不着，还有路灯也坏了", "noise",
	  "另一个问题（路灯）" },
	{ C2, "范家营村家里冷得像冰窖，另外自来水也停了", "heating",
	  "另一个问题（饮水）" },
	{ C4, "柴庄村路上全是泥走不了，还有垃圾没人拉", "road", NULL },
	{ C5, "水口村天一黑就伸手不见五指，还有自来水也有味道", "light", NULL },
	/* ... named by no keyword either: the first by the classifier (the
	 * second is mentioned when the classifier is sure of it, and 楼道里
	 * 灯 is lights or power as other counties write it) */
	{ C5, "清泉社区楼上装修轰轰响一整天，另外楼道里灯也坏了", "noise",
	  NULL },
	/* what every complaint says (一直没人管, 好几次) does not outweigh
	 * a word of the problem (黑, 冷, 吵) in a short message ... */
	{ C2, "南彰村晚上出门黑咕隆咚的，一直没人来管", "lighting", NULL },
	{ C2, "高寨村屋里冷得很，好久都这样了，没人管", "heating", NULL },
	{ C2, "张庄村楼上天天吵到半夜，反映好几次没人管", "noise", NULL },
	/* ... but a long one with no keyword, whose plain reading (what
	 * every complaint says counted in) is not PLAIN_SURE of the guess,
	 * is asked, the guess listed: on counties never read such guesses
	 * were wrong one time in three (路边 reads as the road here) */
	{ C30, "舟塔村俺家今年的瓜结得可好了，就是拉到路边等了三天一个收的都"
	  "没来，再放几天就全烂在地里了，愁得睡不着", "ask:road", NULL },
	/* ... and the family away at work (在外地打工) says where they are,
	 * not that pay is owed: asked, not filed as wages */
	{ C24, "锄沟村我们老两口，儿子在外地打工好几年没回来，家里一分钱都没有，"
	  "看病的钱都拿不出来", "ask:wages", NULL },
	/* ... but pay owed for work the resident says they did is wages */
	{ C94, "黄草村的，跟着亲戚去外省摘了一个月辣椒，说好一天一百五，干完"
	  "了只给了一半，剩下的说回来再结，现在人都找不着了", "wages", NULL },
	/* a pinyin keyboard's homophone, in a character ICU reads otherwise
	 * (谁: "shei" to ICU, "shui" typed) */
	{ C2, "高寨村停谁一整天了", "drinking", NULL },
	{ C2, "北关村排谁沟堵死了", "drainage", NULL },
	{ C5, "路庄村又停谁了", "water", NULL },
	/* English words without their inflection (flooded: flood,
	 * potholes: pothole), and a place after outside / near says where */
	{ C2, "Beiguan village: the street is flooded after heavy rain",
	  "drainage", NULL },
	{ C2, "The road outside the school in Gaozhai village is full of potholes",
	  "road", NULL },
	{ C4, "Potholes all over the road outside the clinic in Sulou village",
	  "road", NULL },
	/* street of street light is no light by itself */
	{ C5, "Xinghua community streetlamps are dark", "light", NULL },
	/* without a joining word, a keyword after a clause the classifier
	 * reads as another problem is asked (it may be the consequence) */
	{ C5, "水口村天一黑就伸手不见五指，老人都不敢出门", "ask:light,elderly", NULL },
	/* a time of day (晚上, 凌晨, 夜里, night) says when, not lights */
	{ C6, "王家沟村那座石桥桥墩裂了，晚上过路的人看不清", "lu", NULL },
	{ C6, "电厂社区楼下馆子天天搞到凌晨一两点，划拳吵死人", "zaoyin", NULL },
	{ C6, "石河堰村凌晨三点就停水了，到现在都没来", "shui", NULL },
	{ C5, "水口村晚上水压很小，楼上接不到水", "water", NULL },
	{ C4, "柴庄村夜里电压不稳，电灯忽明忽暗", "power", NULL },
	{ C4, "东关社区楼下夜宵摊每天吵到凌晨", "noise", NULL },
	{ C2, "Leijiazhai village: it is completely dark at night, no lights at all",
	  "lighting", NULL },
	/* dialect words read in Mandarin: Sichuan, Cantonese, the
	 * north-east, Wu */
	{ C6, "李子坪村屋头莫得电，冰箱里的肉都要臭了", "dian", NULL },
	{ C6, "龙泉村三组那个坡坡又在梭了，泥巴都堆到屋门口了", "huapo", NULL },
	{ C6, "黄桷坝村晚上那条路黢黑，啥子都看不到", "deng", NULL },
	{ C7, "李屋村成条村冇水用，水龙头扭开都冇嘢出", "gongshui", NULL },
	{ C7, "水坑村又冇电，冷气都开唔到", "gongdian", NULL },
	{ C7, "东门社区条街啲街灯坏咗成个礼拜", "ludeng", NULL },
	{ C7, "新风社区隔篱屋装修日日钻墙，嘈到冇得瞓", "zaosheng", NULL },
	{ C2, "张庄村村口埋汰得很，苍蝇乱飞", "garbage", NULL },
	{ C2, "范家营村屋里贼冷，咋整", "heating", NULL },
	/* a county's own categories by their everyday words */
	{ C6, "新场村上头的渠好久没放水了，秧子都要干死了", "guangai", NULL },
	/* ... the bus, though other counties' road messages say 去镇上 as
	 * much: their bus messages say 等车 more (asked, buses first, till
	 * session 31 joined seventy-eight counties' messages) */
	{ C6, "王家沟村去镇上等车要等两个钟头", "banche", NULL },
	{ C7, "灯塔社区有人喺天台起咗个铁皮屋", "weijian", NULL },
	{ C7, "河西社区啲业主交咗管理费，物业公司乜都唔做", "wuye", NULL },
	{ C7, "渔湾村渔港啲航道淤塞，大船入唔到", "yugang", NULL },
	{ C7, "the fishing boats in Yuwan have no place to moor", "yugang", NULL },
	/* an English keyword the rest plainly denies is asked, and the "and"
	 * of "our boat and nets" names no second problem when nothing names
	 * the classifier's category */
	/* a road after a locative and two words that name a place with it
	 * says where, not what ("on the fish market road") */
	{ C87, "Haian community, the garbage on the vegetable market road has "
	  "not been collected for a week", "sanitation", "!separate" },
	/* a problem named before 还有 that begins a sentence, which the
	 * clauses before only lean to: both asked, not the second filed */
	{ C18, "上围村村口条路烂了几年冇人修，还有村里个垃圾也冇人清",
	  "ask:road,sanitation", NULL },
	/* a second problem after 另外 is no reason to doubt the first,
	 * however much more is said of it */
	{ C30, "舟塔村流转的地租钱还没给全，另外俺在镇上工地干了三个月，包工头"
	  "一分工钱都没给，一家老小等着用钱", "land", "欠薪讨薪" },
	/* Cantonese 仲 (还) joins a second problem; not 仲未 (still not) */
	{ C7, "新风社区隔篱装修好嘈，仲成日将啲垃圾堆喺楼梯口，臭到不得了，"
	  "苍蝇成群，啲细路都唔敢出门口", "zaosheng", "环境卫生" },
	/* an English keyword's -ed form is the keyword (flooded: flood) */
	{ C47, "Tangyin island flooded again after the heavy rain, water inside "
	  "our houses", "dike", NULL },
	/* water of the grain's water content names no water supply */
	{ C41, "Sujiadian village, the depot says the water content of my corn "
	  "is too high, pays 0.9 a jin and gave me an IOU", "grain", NULL },
	{ C47, "Tangyin island, since the fishing ban we handed in our boat and "
	  "nets, the compensation is only half paid and we have no livelihood",
	  "ask:fisher,ferry", NULL },
	/* ... and one clue of one category alone, among eleven */
	{ C6, "no electricity in longquan village since this morning", "dian",
	  NULL },
	{ C7, "power cut in Shatou village again", "gongdian", NULL },
	/* 波 as the south-west reads it, po (滑波: 滑坡) */
	{ C6, "李子坪村滑波了", "huapo", NULL },
	/* an everyday word is no homophone (拖拉机 holds la ji, 垃圾) */
	{ C6, "水井湾村那个机耕道垮了半边，拖拉机开不过去", "lu", NULL },
	/* two categories' keywords in one clause (堵了, 渠), the whole
	 * plainly the other's: both asked, the classifier's first */
	{ C6, "石河堰村的渠堵了，田里一滴水都放不进去", "ask:guangai,paishui",
	  NULL },
	{ C6, "河滨社区下水道堵了，一下雨街上全是水", "paishui", NULL },
	/* the weather, or only the sound of a keyword, files nothing */
	{ C6, "水井湾村下大雨后面那块地不对劲", "ask:paishui,huapo", NULL },
	{ C7, "大塘村啲嘢搞到好大件事", "ask:weijian", NULL },
	/* a space between Chinese clauses is their comma: the problem
	 * named first is the one before it, the other is mentioned */
	{ C2, "张庄村自来水断了三天 晚上路灯也不亮", "drinking",
	  "另一个问题（路灯）" },
	{ C4, "柴庄村垃圾堆成山了 排水沟也堵死了", "garbage", NULL },
	{ C5, "水口村停水一整天 昨晚又停电", "water", NULL },
	{ C7, "沙头村路灯坏咗成个礼拜　下水道又塞咗", "ludeng", NULL },
	/* all that is written of a category is one piece of a longer
	 * built-in word (一片 of 一片黑): asked, not filed */
	{ C8, "坝下村有一片地方大家都有意见", "ask:ludeng", NULL },
	/* the everyday words of snow clearing, forest fire, resettlement,
	 * subsistence allowance, rural buses, heating (片子), power and
	 * water, and Xiang (哒, 伢子) and north-eastern (贼弱, 屯) words */
	{ C9, "靠山村下了一宿大雪 出村的道全堵死了 没人管", "qingxue", NULL },
	{ C9, "水泉村屯口冰溜子老厚了 走路直打滑", "qingxue", NULL },
	{ C9, "铁路社区楼前的冰没人铲 天天有人摔跟头", "qingxue", NULL },
	{ C8, "桥湾村对面山上冒烟好几个钟头哒 怕是起火哒", "fanghuo", NULL },
	{ C8, "坝下村有人在林子边上烧秸秆 烟大得很", "fanghuo", NULL },
	{ C8, "电站村库区搬迁的人家 扶持的钱今年还冇发", "yimin", NULL },
	{ C8, "茶亭村我屋里老头瘫在床上 揭不开锅哒 冇人来管", "dibao", NULL },
	{ C8, "茶亭村有个老光棍 没儿没女 吃了上顿没下顿", "dibao", NULL },
	{ C8, "茶亭村有个孤寡老汉住在破屋里 靠捡瓶子过日子", "dibao", NULL },
	{ C9, "靠山村往乡里的道白茫茫一片 雪齐腰深 车都出不去", "qingxue", NULL },
	{ C8, "河背村去县城的车一天只有一趟 还经常不来", "banche", NULL },
	{ C8, "石江村路口的站牌撤哒 现在不晓得在哪里等车", "banche", NULL },
	{ C8, "光华社区门口的堆起好高 臭死哒 冇人收", "huanwei", NULL },
	{ C8, "新路社区伢子上学要过的那条路 烂得冇法走哒", "daolu", NULL },
	{ C9, "电业社区我家片子摸着冰凉 孩子都冻感冒了", "gongnuan", NULL },
	{ C9, "The radiators in Tielu community are cold, 12 degrees indoors",
	  "gongnuan", NULL },
	{ C9, "红旗村这电贼弱 电视都打不开", "yongdian", NULL },
	{ C9, "灯塔村电压低得很 电饭煲煮不熟饭", "yongdian", NULL },
	{ C9, "水泉村龙头拧开半天 一点水都不出", "chishui", NULL },
	{ C9, "新华社区楼下烧烤摊天天喝酒划拳到后半夜", "zaosheng", NULL },
	/* weak evidence is asked, not filed.  A one-character word (黄,
	 * yellow water) that another category's keyword holds (黄河) is no
	 * sole clue */
	{ C14, "曹营村地里的豆子发黄打蔫", "ask:", NULL },
	{ C14, "河口村黄了一大片，恁给看看", "ask:", NULL },
	/* ... nor one ordinary word of a category (管子) among another's
	 * clues (味, 井盖, 路), unless other counties' messages say the
	 * rest of it (管子冻了: water); here they say the yard's smell as
	 * much (满院子, 一股味): asked (filed as water till session 31
	 * joined seventy-eight counties' messages) */
	{ EXAMPLE, "王楼村院里管子冻了，满院子一股味", "ask:", NULL },
	{ EXAMPLE, "王楼村井盖旁边管子坏了", "ask:", NULL },
	{ EXAMPLE, "王楼村管子让人挖断了，路上一滩", "water", NULL },
	/* ... nor a one-character keyword (坑, roads) inside another
	 * category's word (蹲坑, 茅坑: toilets): the toilets' (asked before
	 * the built-in words' pieces that say nothing, 下去 of 冲不下去,
	 * were left out) */
	/* (asked, where other counties' rubbish messages say 臭味 and their
	 * roads' 堵; since session 31's seventy-eight counties say 一院子 of
	 * rubbish too, the toilet is no longer listed second) */
	{ C14, "曹营村的蹲坑冲不下去，一院子臭味", "ask:garbage", NULL },
	{ C14, "西沟村俺家茅坑满了，没人来掏", "toilet", NULL },
	/* (asked, toilet first, till session 31's counties said 堵 of
	 * toilets as much as of roads) */
	{ C14, "河口村改的蹲坑一用就堵", "toilet", NULL },
	/* (filed till session 31's counties said 冻住 of pipes as often:
	 * asked, the toilet first) */
	{ C14, "车王村家里的茅坑冻住了", "ask:toilet", NULL },
	/* a stretch of a way named by its end (到学校那段路) says where */
	{ C14, "车王村学校那条道黑咕隆咚的", "light", NULL },
	{ C14, "石桥村村委到学校这段路一下雨全是泥", "road", NULL },
	{ C14, "河口村卫生室到学校那段路晚上一点亮都没有", "ask:light", NULL },
	/* the built-in words of mining subsidence, rural toilets,
	 * greenhouses and sugarcane buying */
	{ C14, "东窑村矿上把底下挖空了，俺家地基往下沉", "subsidence", NULL },
	{ C14, "The mine has made our yard sink in Dongyao", "subsidence", NULL },
	/* (asked since session 31, the toilet first, rubbish second) */
	{ C14, "西沟村家里的旱厕满了，没人来抽粪", "ask:toilet,garbage", NULL },
	{ C14, "水洼村俺家棚里的西红柿卖不出去", "greenhouse", NULL },
	{ C15, "The sugar mill in Longhe still owes us for the cane",
	  "sugarcane", NULL },
	{ C15, "那垌村家里困难，想申请点救济", "subsidy", NULL },
	{ C15, "龙河村住院的钱报不了多少", "medical", NULL },
	/* everyday words: a light that goes out (熄), the knife switch
	 * that trips (闸刀), motorbikes on a road */
	{ C15, "江滨社区那条巷的灯半夜全熄了，走路怕", "light", NULL },
	{ C15, "龙河村晚上走夜路一点亮都没有", "light", NULL },
	{ C15, "弄桥村闸刀一晚上跳好几次", "power", NULL },
	{ C15, "凤沟村夜晚闸刀跳了三回", "power", NULL },
	{ C15, "Deep potholes near Bashi, motorbikes can not pass", "road", NULL },
	/* a one-character keyword (坑, 桥) names the problem first; what the
	 * classifier reads after it, in a clause that says 也, is a second */
	{ EXAMPLE, "王楼村路上全是坑，晚上灯也不亮", "road", NULL },
	{ EXAMPLE, "王楼村桥上裂了好几道缝，晚上也黑咕隆咚的", "road", NULL },
	{ EXAMPLE, "刘辛店村村口一个大坑，旁边的灯也不亮", "road", NULL },
	{ C14, "桥东社区门口的坑好几个月了，夜里也黑灯瞎火", "road", NULL },
	/* ... and a keyword in a clause that says 也, after clauses the
	 * classifier is sure of, names the second problem, mentioned */
	{ EXAMPLE, "刘辛店村水龙头一滴水都不出，路灯也坏了", "water",
	  "另一个问题（路灯照明）" },
	{ EXAMPLE, "王楼村工钱半年没给，垃圾也没人管", "employment", NULL },
	{ C14, "河口村屋里冷得待不住，路灯也不亮", "heating",
	  "另一个问题（路灯照明）" },
	/* a keyword in fuzzy pinyin (z for zh, s for sh), as 闽南 and
	 * south-western speakers type: 跳匝 is 跳闸, 停岁 停水; but 几岁
	 * is no 积水 */
	{ EXAMPLE, "王楼村停岁两天了", "water", NULL },
	{ C15, "新街社区一晚上跳匝三回", "power", NULL },
	{ C14, "文庙社区一天跳匝好几回", "power", NULL },
	{ C12, "锦绣苑社区的阿婆八十几岁了，一个人住", "elderly", NULL },
	/* 睡不着 (no sleep) is no lamp that will not light (不着): where
	 * no category is for noise, asked (with 其他) */
	{ EXAMPLE, "王楼村半夜的广场舞吵得人睡不着", "ask:", NULL },
	{ EXAMPLE, "刘辛店村楼上装修吵得睡不着", "ask:", NULL },
	{ EXAMPLE, "王楼村隔壁狗叫一晚上，睡不着觉", "ask:", NULL },
	/* one English word a category alone learned whole (pothole,
	 * rubbish, tomato) is its sole clue, as a name is; potatoes and
	 * tomatoes are potato and tomato */
	{ C15, "Deep potholes all over Longhe", "road", NULL },
	{ EXAMPLE, "rubbish everywhere in Wanglou", "sanitation", NULL },
	{ C14, "tomatoes in Shuiwa sell for nothing", "greenhouse", NULL },
	/* ... litter, plastic, waste: rubbish; medical bills reimbursed */
	{ EXAMPLE, "plastic litter all over the square in Wanglou", "sanitation",
	  NULL },
	{ EXAMPLE, "waste dumped behind the houses in Dazhao", "sanitation", NULL },
	{ C15, "medical bills in Longhe are not reimbursed", "medical", NULL },
	/* a storey added on a roof (加盖, 加层) is illegal building */
	{ C7, "灯塔社区有人在楼顶加盖了两层", "weijian", NULL },
	{ C7, "渔湾村隔壁偷偷加层，挡住我家的光", "ask:weijian", NULL },
	/* ... and so is a wall pushed out onto the way (围墙, 扩建, 侵占) */
	{ C7, "李屋村有人把围墙往外扩了两米，占了村里的路", "ask:weijian", NULL },
	{ C7, "大塘村隔壁扩建厨房，侵占了公共通道", "weijian", NULL },
	/* an English keyword after outside, near, behind ... says where */
	{ C14, "The road outside the power plant in Dengzhuang is full of holes",
	  "road", NULL },
	{ EXAMPLE, "Trash dumped near the water plant in Wanglou", "sanitation",
	  NULL },
	{ EXAMPLE, "The road behind the streetlight depot in Wanglou is broken",
	  "road", NULL },
	{ C15, "The road near the street light depot in Bashi has holes everywhere",
	  "road", NULL },
	/* ... and with a word that names the place between ("on the main
	 * road": the lights are the problem) */
	{ EXAMPLE, "Wanglou: the lights on the main road have been out for a week",
	  "streetlight", NULL },
	{ EXAMPLE, "Garbage piled along the old road in Dazhao", "sanitation",
	  "!separate" },
	/* 无水 (闽南, written Mandarin: no water) is no typo of 污水 */
	{ EXAMPLE, "王楼村厝内水道水无水两工了", "water", NULL },
	{ EXAMPLE, "王楼村家里无水三天了", "water", NULL },
	{ EXAMPLE, "王楼村灶脚无水，饭煮袂熟", "water", NULL },
	/* a keyword only fuzzy pinyin hears, across two words (五岁:
	 * wusui, 污水; 晚落: wanluo, 网络) is weak: what the rest says is
	 * taken when sure, else both are asked */
	{ EXAMPLE, "王楼村我奶奶九十五岁了，一个人在家没人照顾", "elderly", NULL },
	{ C16, "澳头村阮阿嬷七十五岁，一个人住，无人照顾", "welfare", NULL },
	{ C17, "马营村我爷爷八十五岁了，低保一直没批下来", "aid", NULL },
	{ C18, "寨背村前晚落大雨，后山滑下来一堆泥", "flood", NULL },
	/* a one-character keyword in a later clause (坑了: cheated) the
	 * rest is sure is another category's is asked, not filed */
	{ C19, "乌石村那几家客栈乱收钱，来玩的都给坑了", "ask:tourism,road",
	  NULL },
	/* ... and inside a built-in word of that category (被坑, a price
	 * per night: 一晚) it is no pothole: filed */
	{ C19, "后海村海边那几家住的地方，说好两百一晚，来了要五百，外地人都被坑",
	  "tourism", NULL },
	{ C19, "乌石村那几家客栈，房价一天一个样，来玩的都被坑", "tourism", NULL },
	{ C19, "加乐村那几家给人住的，电话里讲一百五一晚，到了收三百，外地人来都被坑",
	  "tourism", NULL },
	/* X边的 (beside X) says where, as 旁边 does */
	{ C16, "港尾村码头边的路灯坏了好几天", "streetlight", NULL },
	{ EXAMPLE, "大赵村农贸市场边的水管漏了好几天", "water", NULL },
	{ C2, "北关村卫生室边的垃圾堆了好几天", "garbage", NULL },
	/* ... and X边那 / X边这 (beside X, that ...) */
	{ EXAMPLE, "王楼村农贸市场边那根电线杆歪了", "safety", NULL },
	{ C16, "港尾村渔港边那几盏路灯坏了", "streetlight", NULL },
	{ C19, "椰林社区卫生室边这根电线杆倒了", "power", NULL },
	/* two categories' keywords in one clause, one problem (latex
	 * stolen): asked, the longest first, unless the message is plainly
	 * its; joined (停水又停电) they are two.  A works that owes (石材厂
	 * 拖欠) is the employer: the wages */
	{ C16, "石埕村石材厂拖欠工人工资半年", "wages", NULL },
	{ C16, "石成村石材厂欠新三个月了，阮工人讨无钱", "wages", NULL },
	/* pay named by the wages' keyword beside the works' (石材厂 of
	 * the stone dust): the wages, not asked */
	{ C16, "石埕村那个石材厂头家欠阮三个月工资，人跑去外地了", "wages", NULL },
	/* ... but money owed that nobody worked for, a wages' keyword (拖
	 * 欠) beside the tea's: both asked, the tea first */
	{ C16, "港尾村收茶的老板拖欠阮茶青钱半年了", "ask:tea,wages", NULL },
	/* (filed with the rubber once other counties' messages say how
	 * latex is stolen) */
	{ C19, "加乐村昨晚有人来偷割胶，胶杯都空了，报警也无人理", "farm", NULL },
	{ C19, "番沟村有人半夜偷割胶，一晚上割了好几十棵", "farm", NULL },
	{ C15, "那水村停水又停电", "water", "另发一条" },
	/* 还在 (still) joins nothing: the trucks unloading are the noise,
	 * asked (before: the trucks' road filed); 还有 does */
	{ C61, "前所营村物流园的货车半夜卸货，喇叭按个不停，到一点还在搬，太吵了",
	  "ask:noise,road", NULL },
	{ C61, "前所营村路口货车天天压坏路面，还有隔壁工地半夜打桩太吵了", "road",
	  "另发一条" },
	/* 了也没人 is the complaint's emphasis, not 也 of a second problem:
	 * the snow nobody came to clear (before: the road filed, the snow
	 * to send again; then asked, the road first, till session 31's
	 * counties' snow messages were learned) */
	{ C41, "长发屯出村上公路那道坡让雪封死了，好几天了也没人来清雪，孩子上学出不去",
	  "snow", NULL },
	/* 半年了也没个信 is "still no word", not 也 of a second problem: the
	 * 低保 it names is the problem, not the children the mother cares
	 * for (before: the school filed, 低保 to send again) */
	{ C20, "王家坝社区俺家男人瘫床上三年了，俺一个人带俩孩子，低保申请递上去半年"
	  "了也没个信", "dibao", NULL },
	/* the second keyword's problem, which the rest plainly says: asked,
	 * it first (before: the drinking water filed, the flood to send
	 * again) */
	{ C20, "Xitianba village, the dike behind the school is leaking water, "
	  "we are scared when the flood season comes", "ask:flood,water", NULL },
	/* a one-character keyword (蚝) where the work was, the pay owed
	 * said plainly after it, no 也 nor 还有: the wages, which the rest
	 * is sure of (before: the oyster farms filed, the wages to send
	 * again) */
	{ C69, "大沟村我哋帮蚝场开蚝，老板欠咗两个月人工唔俾", "wages", NULL },
	/* polluted water told by what a resident sees (变颜色, 死鱼 漂起来):
	 * built-in words of waste water (before: asked) */
	{ C61, "大留村南边那条小河这两天水都变颜色了，漂起来好多死鱼", "pollution",
	  NULL },
	/* a works' slag heap (黑渣子) is pollution, whatever the rain washes
	 * it into (before: the irrigation filed) */
	{ C62, "顺河村后山堆了一大堆黑渣子，一下雨黑水就往田里淌", "pollution",
	  NULL },
	/* a storm told by what the wind did (那阵风太凶, 瓦片都吹飞了): the
	 * typhoon's (before: asked) */
	{ C19, "后海村昨晚那阵风太凶了，好几家屋顶的瓦片都吹飞了，墙也裂了",
	  "typhoon", NULL },
	/* dengue told by its fever (发高烧, 骨头疼, 红疹): a group of its own
	 * (before: the health care filed) */
	{ C19, "加乐村这几天好多人发高烧，骨头疼得厉害，身上还起红疹", "dengue",
	  NULL },
	/* a clue said with 也 after what no category learned (the pen
	 * fell) is said besides: asked, not filed */
	{ C19, "后海村我家的猪圈昨晚倒了，墙也裂了", "ask:road", NULL },
	{ C19, "坡头村昨晚我家的鸡棚被吹散了，墙也裂了", "ask:road", NULL },
	{ C15, "板里村我家的牛栏昨晚塌了，墙也裂了", "ask:landslide", NULL },
	/* a keyword inside another category's longer one is not said
	 * (卫生 of sanitation in 卫生室 of health care) */
	{ C20, "老观村的村卫生室一个月开不了几天门", "medical", NULL },
	{ C20, "杨庄村卫生室好几天没人，药都买不到", "medical", NULL },
	/* a sound that asks (啥时 is sha shi of 砂石) is no typo; the
	 * homophone that is one (地保, 低保) names the problem */
	{ C20, "李台村俺家的底保啥时候能批下来", "dibao", NULL },
	/* a keyword inside the place's name (口岸 of 口岸社区) is where,
	 * not what */
	{ C23, "口岸社区菜市场门口的垃圾堆了一个礼拜没人拉", "sanitation", NULL },
	{ C23, "口岸社区好几栋楼停电两天了", "power", NULL },
	/* ... nor is a sound reaching into it (九里村一连: cun yi, 村医) */
	{ C22, "九里村一连半个月没来水了，做饭都得去河里挑", "water", NULL },
	/* the works a resident worked at (在糖厂干了, 给糖厂做零工, 在石材厂
	 * 打工) is where; what is wrong is said after it.  Without such
	 * words the works' trade is the problem (石材厂 ... 粉尘) */
	/* the snow named first, with no keyword; the power cut after it
	 * said "also" (也): asked, not the second problem filed (before:
	 * the power filed) */
	{ C33, "凤凰社区里的雪没人清 停电也老停 咋整 一冬天都这样", "ask:", NULL },
	/* floors built without a permit are the illegal building, not the
	 * property's (before: property management filed) */
	{ C7, "dongmen: neighbour built extra 2 floors without permit, blocking "
	  "our sunlight and the lane. Village office does nothing", "weijian", NULL },
	/* fish cages are the sea farm's, not the fishing boats' (before:
	 * the boats filed) */
	{ C69, "Xitou Community our fish cages were smashed in the storm and we "
	  "lost most of the fish, is there any help for fish farmers", "oyster",
	  NULL },
	/* land taken is no market's (before: the market filed, by 占了) */
	{ EXAMPLE, "王楼村有人在俺家地边上盖房子，占了俺两垄地", "ask:", NULL },
	/* the fuel money (油钱) is the fishers' subsidy, not the harbour of
	 * the boats it keeps in (before: the harbour filed) */
	{ C188, "东澳村讨海的 今年那笔油钱到现在一分都没到 船都开不出去了",
	  "fisheryaid", NULL },
	/* money owed before 还有, and nobody says they worked: asked, not
	 * the wages (before: the wages filed) */
	{ C43, "嘉峰村俺家的地让矿上修路占了一半 一分钱也没给，还有就是自来水一冬天"
	  "都冻着", "ask:", NULL },
	/* the road its clause reads, named first by one character (坑), or
	 * the school bus written after it (校车)?  Both asked, the road
	 * first (before: the school filed) */
	{ C142, "新安社区那条路坑坑洼洼的 校车不肯进来 娃娃要走一个钟头去学校",
	  "ask:road,school", NULL },
	/* the wind that brings the dust and the nose that breathes it are
	 * the dust's (before: asked) */
	{ C26, "润城村这一片一起风满天都是黑的 鼻子里抠出来都是黑的 娃娃老是咳嗽",
	  "coaldust", NULL },
	/* a leaning pole and its sagging line are the power's, not a
	 * house's (before: housing filed) */
	{ C27, "冰岛村后头那根木头杆子歪得快倒了，上头的线耷拉到半人高，小孩放学"
	  "从底下过，吓死人", "power", NULL },
	{ C27, "弯掌村我在糖厂干了三个月小工，工钱一分没给", "wages", NULL },
	{ C27, "坝糯村我们几个给糖厂做零工，说好的工资到现在没发", "wages", NULL },
	{ C16, "石埕村我老公在石材厂打工，老板拖了半年工资不给", "wages", NULL },
	{ EXAMPLE, "大赵村我在农贸市场干了两个月小工，老板欠了工资不给",
	  "employment", NULL },
	/* ... and the crop a hired hand picked there (在枸杞园子里摘枸杞):
	 * not filed under the crop; the pay owed is */
	{ C29, "孔滩村我在枸杞园子里摘枸杞，干了一个月，工钱到现在没给",
	  "wages", NULL },
	/* a sick animal, a river gone bad, a ferry's waiting place told in
	 * their signs (肚子鼓, 摇摇晃晃; 墨绿, 腥臭, 翻白肚; 坐船, 挡雨):
	 * before, all asked */
	{ C36, "拉洞村我家的羊肚子鼓鼓的，走路摇摇晃晃", "livestock", NULL },
	{ C37, "桃源村门口那条横河水墨绿墨绿的，一股腥臭，小鱼翻白肚", "river",
	  NULL },
	{ C37, "堡北社区去码头坐船的地方没个挡雨的棚，排队都淋湿了", "bus",
	  NULL },
	/* fish farms and fishing where it is banned are two problems: a
	 * crab pond's lease is the farms' (before: both asked, 0.5 each) */
	{ C37, "协北村我包了二十亩水面养大闸蟹，合同没到期村里就要收回去",
	  "aquaculture", NULL },
	{ C37, "米行村夜里有人在河里电鱼，禁捕了还天天来", "fishing", NULL },
	/* the works' trade told as a stretch of work (在茶厂做了一个春茶季)
	 * is where too */
	{ C27, "公弄村我们几个在茶厂做了两个月，工钱一直拖着", "wages", NULL },
	/* mushrooms on logs told by their bags and moulds (菌包, 绿霉, 木耳):
	 * built-in words of their own (before: asked) */
	{ C34, "桦树盘村俺家棚里的菌包全长了绿霉，木耳也不出了", "mushroom",
	  NULL },
	/* wild animals told by what they look like and do (长獠牙的东西,
	 * 拱烂, 啄, 大鸟), no keyword said (before: asked) */
	{ C34, "奎文村那些长獠牙的东西夜里成群下来，红薯地全拱烂了",
	  "wildlife", NULL },
	/* water taken upstream (截走, 截掉, 轮灌) is the fields', not the taps'
	 * (before: 饮水, filed at once; asked with it first; then, with
	 * other counties' messages, filed) */
	{ C6, "龙泉村上头几个组把水截走了，我们这边一滴都下不来", "guangai",
	  NULL },
	/* an old person living alone, who fell: the elderly's built-in words
	 * (上了年纪, 跌倒, 孤老, 儿女, 照看), not the hazards' */
	{ EXAMPLE, "杨集村我外婆上了年纪一个人住，前天跌倒了半天没人扶",
	  "elderly", NULL },
	{ EXAMPLE, "王楼村有个孤老，儿女都在外面，想请人照看一下", "elderly",
	  NULL },
	/* ... and a verb, 了 and how long (修了半年) is work there too
	 * (before: the mine's subsidence, at once) */
	{ C24, "锄沟村俺们十几个人给煤矿修了半年护坡，领头的那个人跑了，一分钱没拿上",
	  "wages", NULL },
	/* ... in figures too, and for (帮) a workplace as at it (before:
	 * the tea, at once) */
	{ C27, "公弄村去年帮茶厂做了４个月，工资还差８６００元没给", "wages",
	  NULL },
	/* problems told by their signs, no keyword said: grassland rodents'
	 * mounds, a big animal taking calves, a bridge washed away, a sick
	 * sheep, a reservoir migrant's yearly money, the fields' old film
	 * (built-in words; before: asked or filed wrong) */
	{ C39, "峨堡村草滩上到处是小土堆，底下都掏空了，草越长越少", "rodent",
	  NULL },
	{ C39, "沙龙滩村山上的大家伙夜里下来，把圈里的牛娃拖走了", "wildlife",
	  NULL },
	{ C38, "磨本村那座乔被洪水冲断了，现在只能蹚水过河", "road", NULL },
	{ C30, "清河村我家的羊趴下起不来，嘴里直流涎水", "livestock", NULL },
	{ C22, "乐平里村我们是蓄水那年搬上来的，今年那六百块还没到",
	  "resettlement", NULL },
	{ C33, "三工村地里的白塑料片没人捡，犁地全翻出来了", "film", NULL },
	/* ... where is no homophone either (煤厂, heard as the keyword
	 * 煤场: before, the coal dust at once) */
	{ C26, "润城村我儿子在洗煤厂上班，厂里拖欠工资半年了", "wages", NULL },
	/* ... nor the place retired from (从矿上退下来: before, asked with
	 * the mine's) */
	{ C26, "润城村我从矿上退下来的，养老金这个月比上个月还少了一百多",
	  "socialaid", NULL },
	{ C24, "锄沟村我从矿上退下来的，养老金这个月到手的比上个月还少",
	  "welfare", NULL },
	/* what is left of a keyword's thing (甘蔗渣, 扇贝壳) is thrown away:
	 * the rubbish (before: asked with sugarcane) */
	{ C28, "曼真村路边堆的全是甘蔗渣和垃圾，苍蝇嗡嗡的", "sanitation", NULL },
	/* land that sank (地塌, 塌下) is the mine's, not filed under roads
	 * by its 坑 (asked, before other counties' messages) */
	{ C24, "锄沟村后坡那块地一下子塌下去一个大坑，羊掉进去了", "subsidence",
	  NULL },
	/* a signal told by where one must stand and video that stutters */
	{ C22, "陈家冲村在屋里打电话得跑到院子里站高处才能打通，微信视频一卡一卡的",
	  "signal", NULL },
	/* more signs (before: asked, or the dike's seep filed as water):
	 * the spring's first buds, a call that keeps dropping, a dike
	 * bubbling muddy water, fields cracked by drought */
	{ C27, "冰岛村今年清明前的芽头收的人压价压得厉害，摘一天还不够本", "tea",
	  NULL },
	{ C27, "坝糯村屋里打电话老是断，讲两句就听不见了，微信语音也发不出去",
	  "signal", NULL },
	{ C20, "李台村外面河里水天天往上涨，大坝上有个地方往外冒浑水，咕嘟咕嘟的",
	  "flood", NULL },
	{ C22, "陈家冲村两个多月没落一滴雨，地里晒得开坼，橘子树都枯死了",
	  "irrigation", NULL },
	/* ... and so is a keyword's boss (茶厂老板: a person; before: the
	 * tea, at once), and work as a temporary hand (当临时工), with the
	 * mine only speaking (矿上说: no subsidence) */
	{ C38, "城子村那个茶厂老板叫我们帮忙做了两个月，讲好月底结工钱，现在人跑了",
	  "wages", NULL },
	{ C24, "锄沟村我老公在煤矿上当临时工，摔伤了腿，矿上说不是正式工不给算，工资也停了",
	  "wages", NULL },
	/* blood-pressure pills short in the township: the doctor's, asked
	 * first, not the ferry taken to fetch them (before: filed so) */
	{ C22, "陈家冲村我爸每个月要吃降血压的，乡里那里老是缺，要坐船去县里拿",
	  "ask:medical", NULL },
	/* in English too: where one worked (worked at the tea factory) and
	 * the crop a hired hand picked (picked goji berries) are the pay
	 * (before: asked; filed under goji farming) */
	{ C27, "I worked at the tea factory in Bingdao village for three months and the boss has not paid me.",
	  "wages", NULL },
	{ C30, "I picked goji berries at a farm in Hongbao village all summer. The boss still owes us 6000 yuan.",
	  "wages", NULL },
	/* children whose parents are gone, no income: the allowance's, not
	 * the school's (before: asked, elderly and school first) */
	{ C20, "李台村马家两个娃娃阿大阿娘都没有了，跟着阿爷过，一个月啥收入没有",
	  "dibao", NULL },
	/* a dark night with the fridge thawing is the power's (before: filed
	 * under roads by its 路灯 keyword's lamp; then asked, power first;
	 * filed once other counties' messages say 冰箱; asked again, power
	 * first, since session 31's counties say 灯不亮 of typhoons too;
	 * filed again since session 32's words of a house without power:
	 * 冰箱不转, 灯泡, 萤火虫) */
	{ C19, "坡头村下面这一片从昨晚黑了到现在灯一直不亮，冰箱里的东西都化掉了",
	  "power", NULL },
	/* mussels on their ropes, told by their shells (before: asked) */
	{ C37, "协北村海里吊绳上挂的淡菜今年长不大，壳薄肉少，卖不出价钱",
	  "aquaculture", NULL },
	/* ... and a 做 after a workplace is work there (那家茶厂做包装: the
	 * pay, not the tea); 那家 holds no 假茶 (jia cha) */
	{ C27, "公弄村我在镇上那家茶厂做包装，两个月工资拖着不给", "wages",
	  NULL },
	{ C40, "曼山村我在寨子边那家茶厂做包装两个月，说好月底结账，工资一分没拿到",
	  "wages", NULL },
	/* what took the land (修水泥路占了) files nothing under roads: the
	 * land's (asked, before other counties' messages) */
	{ C40, "贺开村修水泥路占了我家一亩茶地，征地款一直没给", "land",
	  NULL },
	/* ... but what takes a road or a ditch is the problem (违建占路) */
	{ C7, "东门社区有人违建占路，盖到路中间，车都过不去", "weijian", NULL },
	/* ... and the trade of the works, no keyword of any, is where too
	 * (在小区里修路干了半个月: not the roads, the pay) */
	{ EXAMPLE, "王楼村我在小区里修路干了半个月，包工头人找不到了",
	  "employment", NULL },
	{ C27, "弯掌村糖厂压了我们的蔗款三个月", "sugarcane", NULL },
	{ C16, "石埕村的石材厂在村口，天天粉尘飞", "stonedust", NULL },
	/* a sound only fuzzy pinyin hears first (九十五岁: wusui, 污水),
	 * a keyword later the rest is sure of (补贴 of 高龄补贴, the
	 * classifier's elderly): the classifier's, not a question */
	{ C18, "上围村我阿爸九十五岁，高龄补贴半年冇到", "elderly", NULL },
	/* a word as common as the keyword it sounds like is what it says:
	 * 香蕉 (bananas) is no 橡胶 (rubber) mistyped, 堵死 (blocked) no 毒死
	 * (poisoned) */
	{ C25, "纳板村我家的地给外地老板种香蕉，三年了一分钱没拿到", "landlease",
	  NULL },
	{ C28, "曼贺村寨子里那条沟堵死了，污水漫到路上", "sanitation", NULL },
	/* a keyword's character read as the keyword reads it, not as ICU
	 * reads it alone: 羊圈 is yang juan (ICU: quan), so 羊娟 is it
	 * mistyped */
	{ C30, "潘营村俺家的羊娟倒了半边，羊都跑出来了", "livestock", NULL },
	/* (塌, which session 31's counties say of roads' collapses, lists
	 * the road first: asked) */
	{ C30, "潘营村俺家的羊娟塌了半边，羊都跑出来了", "ask:road,livestock",
	  NULL },
	/* keywords of two categories heard alike, neither written (也猪:
	 * yezhu, 野猪 or 业主): what the rest says is sure of decides (又来了,
	 * as other counties' boars do), or both are asked */
	{ C34, "化山村也猪把玉米地拱得乱七八糟", "wildlife", NULL },
	{ C34, "湾潭村的也猪又来了", "wildlife", NULL },
	/* a longer keyword mistyped (小龙瞎: 小龙虾) beside a shorter exact
	 * one of another category (化肥) in a clause: the mistyped one when
	 * the rest is sure of it (塘子, 死了), else both asked, the mistyped
	 * one first (before: filed under farming) */
	{ C20, "刘寨村我的小龙瞎塘子边上打了化肥，死了好多", "shrimp", NULL },
	{ C20, "刘寨村小龙瞎旁边打了化肥，庄稼也打了，麦子也黄了",
	  "ask:shrimp,farming", NULL },
	/* a sound only fuzzy pinyin hears, in a word of its own (技术员:
	 * jishu, as jisu, 寄宿), names nothing: asked, not filed under
	 * schooling (停岁 for 停水, no word, is filed: above) */
	{ C34, "银树岭村去年发的苗子死了一大半，技术员也不来看看", "ask:", NULL },
	/* a village group's number is an address (3组进村: zu jin is no
	 * 租金, rent, mistyped) */
	{ C30, "舟塔村3组进村的那段路全是大坑", "road", NULL },
	{ C30, "上桥村三组进去那条沟堵了", "ask:", NULL },
	/* a sound that holds a word like 在, 是, 着 is no typo (现在还: zai
	 * hai, 灾害); 地 in a keyword reads di, not the particle de (光秃
	 * 秃的: tu de, not 土地) */
	{ C33, "三工村 渠里的水到现在还没放下来 麦子都干死了", "irrigation", NULL },
	{ C33, "二道渠村 前天下冷子 地里的苗子打得光秃秃的", "insurance", NULL },
	/* a factory's smoke and the coughing it brings, in English: the
	 * built-in words of pollution; wages owed by a factory stay wages */
	{ C32, "The factory behind Wanggezhuang village lets out smoke all night "
	  "and the old people keep coughing", "pollution", NULL },
	{ C32, "The factory in Sunjiakou village owes us three months of wages",
	  "wages", NULL },
	/* ... and in English the pay owed says wages without the word */
	{ C32, "I worked at a workshop in Madian village for half a year and "
	  "the owner still owes me 5000 yuan", "wages", NULL },
	/* ... a span of time between the work and where it was */
	{ C79, "I worked 3 months in a greenhouse in Liutuo village, the boss "
	  "never paid me", "wages", NULL },
	/* a figure of speech names no problem: 倒苦水 (pour out one's
	 * grievances) is no bitter water (苦水, a keyword) */
	{ C30, "清河村想跟代表倒倒苦水，村里的砂石路一下雨就没法走", "road", NULL },
	{ C31, "北关社区想跟代表倒倒苦水，小区电梯坏了一个月没人修", "property",
	  NULL },
	/* English keywords are whole words: downstairs says no stairs */
	{ C21, "Zhongshanlu community, the hotpot shop downstairs fills our flat "
	  "with oil smoke every night", "fume", NULL },
	/* fields cracked in a drought, the water taken upstream (截去): the
	 * irrigation, with no word of it */
	{ C22, "陈家冲村下面那几丘田裂成一块一块的，上头的人把沟里的水截去了",
	  "irrigation", NULL },
	{ C6, "李子坪村的秧田都裂了口子，水被上面截去了", "guangai", NULL },
	/* Cantonese 仲有 (还有) joins a second problem: the first is filed,
	 * the second to be sent again */
	{ C7, "沙头村啲垃圾成个礼拜冇人收，仲有自来水又停咗", "huanwei",
	  "供水" },
	{ C7, "水坑村路灯坏咗成个月 仲有垃圾堆到成座山", "ludeng", "环境卫生" },
	/* the scale of a market stall, weighed again by the buyer */
	{ C81, "龙口村菜场里买的肉秤不准，回来一称少了二两", "market", NULL },
	{ C81, "莲北村菜场卖菜的秤有问题，斤两不够", "market", NULL },
	/* 卫生 of 卫生所 is the clinic, no cleanliness: the rest of the
	 * message says what is wrong there */
	{ C56, "唐家村卫生所的大夫调走了，量个血压都要跑到乡上", "medical", NULL },
	{ C56, "唐家村卫生所门口的垃圾好几天没人清了", "sanitation", NULL },
	/* ... and a later keyword (老人) said in passing is asked, the
	 * clinic first */
	{ C20, "李台村卫生所一个月开不了几天门，老人拿药难", "ask:medical,elderly",
	  NULL },
	/* 跟 is "with" before a neighbour's yard, no locative (跟前): the
	 * homestead is the problem, the allowance the second */
	{ C93, "透滩村我家宅基地跟前院那家扯不清，还有村里低保评得不公平", "land",
	  "低保救助" },
	/* one bar of signal, calls that cannot go out */
	{ C53, "翁草村屋里打电话要爬到坡上才有一格，屋里根本打不出去", "signal",
	  NULL },
	/* an old coal pit under the house: mining subsidence, asked first
	 * beside the cave dwelling's own hazard (窑洞, a keyword) */
	{ C24, "锄沟村底下是老煤窑，我家窑洞墙上的口子一年比一年宽",
	  "ask:subsidence,geohazard", NULL },
	/* money a boss owes is wages only when someone worked for him: the
	 * buyer who took the jujubes unpaid is asked, not filed as wages */
	{ C24, "锄沟村收枣的老板把枣拉走了，说好月底给钱，到现在一分没给",
	  "ask:wages", NULL },
	{ C24, "锄沟村俺在枣厂干了三个月，老板一分钱没给", "wages", NULL },
	{ C24, "锄沟村俺们几个给人摘了两个月枣，老板到现在一分没给", "wages",
	  NULL },
	{ C24, "锄沟村我爸在外面砌了一年墙，到现在一分钱都没拿到", "wages",
	  NULL },
	/* the works named where they worked (在枣园做事): no problem of its
	 * own, the pay owed is */
	{ C24, "锄沟村好多人在枣园做事，老板欠了大家工钱半年不给", "wages",
	  NULL },
	{ C24, "锄沟村我在焦化厂做季节工，老板欠了我们的工钱", "wages", NULL },
	/* a keyword that only says whose car it is (老人的车乱停): the
	 * parking */
	{ "tests/data/config/county143.json", "南街社区老人的车乱停 把路堵死了",
	  "market", NULL },
	/* pay heard (工姿: 工资) where the resident worked (给人家摘枣的):
	 * the pay, no works named */
	{ C24, "锄沟村去年给人家摘枣的工姿到现在没结 八千多块呢", "wages",
	  NULL },
	/* a keyword heard whole (拉没车: lameiche, 拉煤车), a shorter word
	 * inside it (没车) notwithstanding */
	{ C24, "锄沟村的拉没车太多了 把街上压得稀烂",
	  "coaltruck", NULL },
	/* a keyword heard, not written (停店: 停电), the rest of the message
	 * read with the keyword as meant: tea leaves spoiling for want of
	 * power do not deny the power */
	{ "tests/data/config/county42.json", "猛昂停店一整天了，我们寨子揉茶"
	  "的机器全部停起，鲜叶都要捂坏了", "power", NULL },
	/* ... a rare reading of the keyword's (落石 as laoshi) is none to
	 * read with: the old stone bridge (老石桥) asked, not filed as
	 * rocks falling */
	{ "tests/data/config/county100.json", "松岩村那个老石桥桥面都裂开了，"
	  "拖拉机过都在抖", "ask:road,geohazard", NULL },
	/* ... or the work before the pay's clause (捡煤矸石打零工) */
	{ C24, "锄沟村俺们一帮妇女给煤矿上捡煤矸石打零工 说好一天一百的工钱 "
	  "干了二十多天一分没给", "wages", NULL },	/* no keyword, and this county's words alone read another category
	 * than the other counties' messages do: asked, both listed */
	{ "config/minyi.example.json", "the railing on the bridge in Wanglou "
	  "fell into the river, children could fall in", "ask:safety,road",
	  NULL },
	/* sewage in English is no drinking water, pipe and dirty water
	 * though it says */
	{ "config/minyi.example.json", "Wanglou village: the sewage pipe behind "
	  "the school broke and dirty water runs down the street", "sanitation",
	  NULL },
	/* the works an English keyword names (the rubber factory) is where
	 * the problem comes from, not the trade */
	{ C60, "The rubber factory in Chengzi village burns something every "
	  "night, the smoke and the smell make our children cough",
	  "pollution", NULL },
	/* water as a verb, the fields' (we cannot water the wheat): no
	 * water supply */
	{ C32, "The pump well in Beiguo village has been broken for two weeks, "
	  "we cannot water the wheat", "irrigation", NULL },
	/* 村 of a village's name begins 村道 too: the village road */
	{ C55, "程阳村道烂了", "road", NULL },
	/* (垮, slides' as much since session 31: asked, the road first) */
	{ C55, "程阳村道垮了", "ask:road", NULL },
	{ C19, "坡头村道烂了", "road", NULL },
	/* the family away at work says where they are (儿子媳妇都在外面务
	 * 工): the old woman left alone is the problem; their pay owed is
	 * still the wages */
	{ C170, "曼景村王奶奶一个人住，儿子媳妇都在外面务工，前几天病倒了好几"
	  "天没人知道，孤寡老人谁来管", "welfare", "!另一个问题" },
	{ C170, "曼景村我儿子在外面务工，包工头欠了他三个月工资", "wages",
	  NULL },
	/* the errand the way is walked for (上学每天从那里过): the bridge */
	{ C17, "杏树湾村那座桥塌了一边，娃娃们上学每天从那里过，太危险了",
	  "road", NULL },
	/* where another's thing is, by 上的 (渠上的桥): the bridge */
	{ C29, "孔滩村那个渠上的桥塌了一边，人都不敢过", "road", NULL },
	/* 叫, the passive's, is no typo (叫水冲坏: jiaoshui, no 浇水) */
	{ C33, "兰州湾村口那个桥叫水冲坏了一半，三轮车都不敢过", "road", NULL },
	/* a post's pay the office listed the post of (护林员的工资): the
	 * post's, no second problem */
	{ C36, "江嘎村护林员的工资半年没发了，我们几个人天天巡山", "subsidy",
	  "!另一个问题" },
	/* 也 before a thing done (残疾证也办了) is the story of one problem,
	 * no second the clauses before are read for */
	{ C17, "马营村我们家老爷子瘫炕上好几年了 残疾证也办了 补助一直没批下来",
	  "aid", NULL },
	{ C17, "马营村屋里冷得很，炉子也坏了", "heating", NULL },
	/* 也 after 的, of the one who does not (养殖的也不管), names no
	 * second problem: the keyword or the clauses before, asked */
	{ C33, "兰州湾村一群羊天天在公路上走来走去，晚上黑看不到，上礼拜摩托车"
	  "撞上去了，养殖的也不管", "ask:", NULL },
	/* an English "and" that joins two words of one problem ("terrible
	 * smell and noise"): the keyword the whole message reads */
	{ C131, "Yugang Community workshops paint at night, terrible smell and "
	  "noise, we cannot sleep", "noise", NULL },
	/* money owed for goods, nobody said they worked (棉款还差一万多没
	 * 给): the keyword's trade, no wages to ask beside it */
	{ C133, "南湖社区去年交的棉花，棉款还差一万多没给，老板说等等，过年都是"
	  "借钱过的", "cotton", NULL },
	/* the vehicle that sets the problem off (拉煤车一过): the dust it
	 * raises; the vehicle's own fault stays its keyword's */
	{ C124, "下河村口拉煤车一过煤灰扬得满院子都是，衣服都晾不成",
	  "coaldust", NULL },
	{ C124, "下河村口拉煤车超载，路都压烂了", "road", NULL },
	/* the factory that bought the crop (厂里过完磅说等通知结账) is no
	 * work said: money owed for goods, asked, not wages */
	{ C62, "新民社区的西红柿拉到番茄酱厂去，厂里过完磅说等通知结账，一等三"
	  "个月了，电话也不接", "ask:", NULL },
	/* a since-clause (自打矿上挖煤以后) is the cause, not what is wrong:
	 * the well that went dry, no mine named first */
	{ C124, "下河村自打矿上挖煤以后井水就下去了，现在吃水也成了问题",
	  "drinkwater", "!另一个问题" },
	/* the waste burnt (烧旧棚膜): the smoke, no greenhouse's problem */
	{ C198, "东郭村有人在棚后头烧旧棚膜，黑烟呛人", "pollution", NULL },
	{ C198, "东郭村大棚的棚膜让风刮烂了", "greenhouse", NULL },
	/* the dot of a number ("near No.2 middle school") ends no
	 * sentence: the school is where the road is */
	{ C17, "Dongguan Community, near No.2 middle school, the road is broken "
	  "with big holes", "road", NULL },
	/* a keyword that names a place (采空区) before another's word: the
	 * head of the compound, the move; alone, its own */
	{ C124, "下河村采空区搬迁说了三年了，安置房还没盖好", "relocation",
	  NULL },
	{ C124, "下河村采空区房子裂了", "subsidence", NULL },
	/* 也 of the keyword's clause (希望冬天也保证船班) asks no second
	 * problem when the whole message plainly reads the keyword's */
	{ C44, "瓜皮岛村民反映：去广鹿的船冬天经常不开，孩子在广鹿念书周末回不了"
	  "家，希望冬天也保证船班", "ferry", NULL },
	/* 上 after 草原 says where (草原上白茫茫一片): the snow */
	{ C169, "乌兰花嘎查这几天草原上白茫茫一片 羊出不了圈 草料快喂完了",
	  "snow", NULL },
	/* a keyword in passing (老人 of 好几个老人咳嗽) when the whole reads
	 * the clauses' lean, whose keyword the last clause names again
	 * (这不是污染是啥): that; one more said with 也 still asks */
	{ C214, "魏庄村西头那个塑料厂天天夜里冒黑烟 呛得人睡不着觉 好几个老人咳嗽 "
	  "这不是污染是啥", "pollution", NULL },
	{ C214, "魏庄村西头那个塑料厂天天夜里冒黑烟 呛得人睡不着觉 好几个老人咳嗽 "
	  "养老的钱也不够", "ask:", NULL },
	/* smoke from the hill that runs to the pines and wants putting
	 * out (火往松林那边走, 快叫人来扑): a forest fire, no works' */
	{ C218, "石门村后山冒黑烟了 火往松林那边走 快叫人来扑", "forest", NULL },
	/* what a subsidy is paid for, its kind between (棉花的良种补贴):
	 * the subsidy */
	{ C133, "南湖社区今年种棉花的良种补贴到现在都没发", "subsidy", NULL },
	/* the vehicle by which the way was crushed (叫大车压的稀烂): the
	 * road */
	{ C52, "北洺河村到乡里那条路叫大车压的稀烂 坑连坑 下了雨走不成", "road",
	  NULL },
	/* the boss not reached (老板电话也不接了) is how it went, no second
	 * problem nor a phone signal's: the pay */
	{ C124, "上河村俺们给人家干了一夏天活 到现在一个子儿没见着 老板电话也不接"
	  "了 年都过不去了", "wages", NULL },
	/* snow left to freeze (冻成冰): the snow, not the old woman who
	 * fell on it */
	{ C164, "东升社区道上的雪没人扫 冻成冰了 老太太去小卖店摔断了腿", "snow",
	  NULL },
	/* a street's kind after a grid's name in Latin letters ("on Qinhe
	 * road") says where: the lamps */
	{ C124, "Street lamps on Qinhe road are all dark for two weeks", "power",
	  NULL },
	/* the keyword written before 还有 that joins another problem: the
	 * one named first, whatever the whole reads */
	{ C25, "南腊社区我奶奶住院的医保报不了 说是异地 还有她的高龄补贴也停了半"
	  "年了", "medical", "另一个问题" },
	/* one character right after a keyword saying how its thing is
	 * (养猪场臭死了): the pig farm, no rubbish problem */
	{ C191, "三合台村那个养猪场臭死了 一开窗就熏得头疼", "pollution", NULL },
	/* ... and before 而且 that joins another problem: the one named
	 * first, whatever the whole reads */
	{ C88, "西林村那个养猪场臭到死 而且村里手机没信号", "livestock",
	  "另一个问题" },
	/* pieces of two words heard as a keyword before another written
	 * (老板欠了工资: 板欠, banqian, no 搬迁), the rest reading so or not */
	{ C17, "杏树湾村 我在工地帮人干活老板欠了工资 我还是低保户 今年低保又被"
	  "停了", "wages", NULL },
	/* the buyer who carts the maize away (收苞米的): the crop sold,
	 * not its stalks burnt */
	{ C196, "五一村那个收苞米的老孙 去年冬天拉走我家三车苞米 说开春给钱 现在"
	  "电话都不接了", "grain", NULL },
	/* hundreds of fat pigs fed (喂了几百头肥猪) and their slurry: a
	 * farm's, not the village's rubbish, asked when flies say so too */
	{ C143, "柑子园村后山那家喂了几百头肥猪 屎尿全部冲到河沟头 河水黢黑 夏天"
	  "蚊子苍蝇嗡嗡的 开窗户都不敢", "ask:sanitation,pigfarm", NULL },
	{ C143, "柑子园村后山那家喂了几百头肥猪 屎尿全部冲到河沟头 河水黢黑",
	  "pigfarm", NULL },
	/* 也 before "of no use" (打了农药也没用: to no avail) joins no
	 * second problem: the keyword's, the clauses before only its story */
	{ C125, "农圣社区的苹果起了好多虫 叶子都黄了 打了农药也没用", "agsupply",
	  NULL },
	{ C125, "农圣社区的苹果起了好多虫 叶子都黄了 打了农药也不管用",
	  "agsupply", NULL },
	/* a house a beast harmed (房子又让野猪拱塌了): the beast; a storm's
	 * harm to it stays the house's */
	{ C38, "城子村我家的房子又让野猪拱塌了一角 粮食全吃了", "elephant",
	  NULL },
	{ C38, "城子村我家的房子让大风刮塌了一角", "housing", NULL },
	/* seed cane that rots in the bud (蔗种烂芽): the seed sold, named
	 * before the subsidy owed too */
	{ C125, "农圣社区今年发的甘蔗种好多烂芽 种下去出不来", "agsupply", NULL },
	{ C132, "站前社区今年发的蔗种好多烂芽 讲好的补贴也冇到", "farminput",
	  NULL },
	/* 也 after 一 and a measure (一趟也没来过: not once) joins no second
	 * problem: the snow that is the keyword's */
	{ C132, "站前社区往镇里去那条道雪都快没腰了 清雪车一趟也没来过", "snow",
	  "!另一个问题" },
	/* pay owed by the boss of a construction site: work said in English
	 * too */
	{ C17, "I am from Maying village. my boss at a construction site in "
	  "Xining owes me 8 months of pay, about 40000 yuan", "wages", NULL },
	/* "at the summer pasture": where the signal is missing, no grassland
	 * problem */
	{ C169, "Wulanhua Gacha has no mobile signal at the summer pasture, we "
	  "cannot call anyone", "signal", NULL },
	{ C169, "Wulanhua Gacha, the summer pasture has no water", "ask:", NULL },
	/* neither nor (不吃也不喝) joins no second problem; a beast down and
	 * not rising (趴着不起来), blisters on its mouth: its sickness */
	{ C132, "站前社区我家三头黄牛这几天趴着不起来 不吃也不喝 鼻子冒热气",
	  "livestock", NULL },
	{ C132, "站前社区我家的羊这几天一个接一个的倒 嘴上起泡 蹄子也烂了",
	  "livestock", NULL },
	/* the bales of fodder that will not last, lambs freezing: the snow
	 * disaster, no sick flock */
	{ C169, "乌兰花嘎查这场雪下了四天 羊圈都埋了一半 家里的草捆眼看着不够吃了"
	  " 羊羔冻得直哆嗦", "snow", NULL },
	/* outsiders digging the pasture for cordyceps (挖虫草), not chased
	 * off (赶都赶不走): the pasture asked, no wild beast filed */
	{ C171, "新街社区外面来的人开着车到我们山上挖虫草，赶都赶不走，还把牛吃的"
	  "草地翻得乱七八糟", "ask:pasture", NULL },
	{ C39, "拉洞村外面来的人开着车到我们山上挖虫草，赶都赶不走，还把牛吃的"
	  "草地翻得乱七八糟", "ask:wildlife,pasture", NULL },
	/* others' cattle brought to eat our grass: the pasture's dispute,
	 * no sick herd */
	{ C169, "People from the next village always bring their cattle to eat "
	  "grass on our land in Chagan Obo Gacha, please township solve it",
	  "grassland", NULL },
	/* a field fallen in (地里塌了个大坑): the ground sinking, no road's
	 * pothole; on the road, the road's */
	{ C14, "东窑村村北头地里塌了个大坑，得有一人多深，牛差点掉进去",
	  "subsidence", NULL },
	{ C14, "东窑村村北头路上塌了个大坑", "road", NULL },
	/* the load of the truck that cannot pass (拉鲜叶的车), the way's end
	 * (去茶园的路): where, the road's trouble, no tea's */
	{ C27, "坝糯村拉鲜叶的车下不来，路被雨水冲坏了", "road", NULL },
	{ C27, "坝糯村去茶园的路被雨水冲坏了", "ask:", NULL },
	/* a keyword in what the resident did too (社保也交了), another's
	 * named besides (没学位): both asked, the other first */
	{ C131, "我们是外地来的新居民 在前进社区住了六年 社保也交了 今年囡要读小学"
	  " 说积分弗够没学位", "ask:school,socialins", NULL },
	{ C131, "前进社区的 社保也交了 社保卡还是办不下来", "socialins", NULL },
	/* neither nor a few words apart (不给工钱也不给赔): the pay owed,
	 * no second problem to file the mine's accident by */
	{ C168, "水泉村俺男人在矿上出事瘸了 矿上不给工钱也不给赔 家里低保也没批下来",
	  "wages", NULL },
};

struct grasp_cfg {
	const char		*path;
	struct config		*cfg;
	struct text_index	*ix;
};

static void
test_grasp_rows(void **state)
{
	struct grasp_cfg	 cf[96];
	struct config_errors	 errs = { 0 };
	struct dialog_input	 in;
	struct dialog_result	 r;
	const struct grasp_row	*row;
	const struct effect	*e;
	struct grasp_cfg	*g;
	char			 want[256], *tok, *save;
	size_t			 i, j, ncf = 0;
	int			 line;

	(void)state;
	memset(cf, 0, sizeof(cf));
	for (i = 0; i < nitems(grasp_rows); i++) {
		row = &grasp_rows[i];
		for (j = 0; j < ncf && strcmp(cf[j].path, row->config) != 0; j++)
			;
		if (j == ncf) {
			assert_true(ncf < nitems(cf));
			cf[ncf].path = row->config;
			cf[ncf].cfg = config_load(row->config, &errs);
			if (cf[ncf].cfg == NULL)
				fail_msg("%s: %s", row->config, errs.n > 0 ?
				    errs.lines[0] : "config");
			cf[ncf].ix = text_index_new(cf[ncf].cfg);
			ncf++;
		}
		g = &cf[j];
		memset(&in, 0, sizeof(in));
		conv_state_init(&in.conv);
		in.now = T0;
		in.channel = "sms";
		in.address = RESIDENT;
		in.text = row->text;
		in.addressed = true;
		in.grid_hint = -1;
		in.next_case_number = FIRST_CASE;
		assert_int_equal(dialog_step(g->cfg, g->ix, &in, &r), 0);
		e = effect_of(&r, EFF_CASE_CREATE);
		if (row->reply != NULL && row->reply[0] != '!' &&
		    strstr(reply_of(&r), row->reply) == NULL)
			fail_msg("\"%s\": the reply lacks %s: %s", row->text,
			    row->reply, reply_of(&r));
		if (row->reply != NULL && row->reply[0] == '!' &&
		    strstr(reply_of(&r), row->reply + 1) != NULL)
			fail_msg("\"%s\": the reply has %s: %s", row->text,
			    row->reply + 1, reply_of(&r));
		if (strncmp(row->want, "ask:", 4) != 0) {
			if (e == NULL || e->c.category < 0 || strcmp(g->cfg->categories[
			    e->c.category].id, row->want) != 0)
				fail_msg("\"%s\": %s, not %s", row->text, e == NULL ?
				    reply_of(&r) : e->c.category < 0 ? "no category" :
				    g->cfg->categories[e->c.category].id, row->want);
		} else {
			if (e != NULL || r.conv.state != DS_ASK_CATEGORY)
				fail_msg("\"%s\": not asked: %s", row->text,
				    reply_of(&r));
			strlcpy(want, row->want + 4, sizeof(want));
			line = 1;
			for (tok = strtok_r(want, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save), line++) {
				const struct category *c = config_category(g->cfg, tok);
				char	 item[128];

				assert_non_null(c);
				static const int	 cut[] = { 128, 12, 8, 6, 4, 3, 2 };
				size_t			 k;

				snprintf(item, sizeof(item), "%d %s\n", line, c->name);
				/* an English reply: the name, or cut as the list
				 * cuts names to fit (reply_choices) */
				for (k = 0; k < nitems(cut) && c->name_en != NULL &&
				    strstr(reply_of(&r), item) == NULL; k++)
					snprintf(item, sizeof(item), "%d %.*s\n", line,
					    cut[k], c->name_en);
				if (strstr(reply_of(&r), item) == NULL)
					fail_msg("\"%s\": %s not listed %d: %s", row->text,
					    tok, line, reply_of(&r));
			}
		}
		dialog_result_clear(&r);
		conv_state_clear(&in.conv);
	}
	for (j = 0; j < ncf; j++) {
		text_index_free(cf[j].ix);
		config_free(cf[j].cfg);
	}
	config_errors_free(&errs);
}

/*
 * The category question answered in the resident's words about the
 * problem (no number): the answer is read as a first message is, from
 * 0.5 (it speaks of nothing but the problem), dialect and the county's
 * own categories' words alike.  Each first message is asked.
 */
static void
test_answer_rows(void **state)
{
	static const struct {
		const char	*config, *first, *answer, *want;
	} rows[] = {
		{ C6, "新华社区最近麻烦事多得很", "路烂了到处是稀泥", "lu" },
		{ C6, "石河堰村这几天的事情麻烦得很", "上面不放水，田都干了",
		  "guangai" },
		{ C6, "龙泉村这两天的事情麻烦得很", "后头的坡坡垮下来了", "huapo" },
		{ C6, "西街社区这几天的事情麻烦得很", "去县城的车一天就一趟",
		  "banche" },
		{ C7, "山背村呢排啲事好麻烦", "条路烂咗", "daolu" },
		{ C7, "灯塔社区隔篱成晚都唔俾人瞓", "隔篱唱K唱到三点", "zaosheng" },
		{ C7, "something is wrong in Xinxu village every evening",
		  "no power", "gongdian" },
		{ C7, "渔湾村这几天的事情麻烦得很", "啲船冇位泊", "yugang" },
		{ C9, "三道河村这几天的事情麻烦得很", "道上雪太厚没人推",
		  "qingxue" },
		{ C8, "坝下村这几天的事情麻烦得很", "有人烧田坎 怕起山火",
		  "fanghuo" },
		{ C8, "河西社区这几天的事情麻烦得很", "等车等一个钟头都冇来",
		  "banche" },
		{ C9, "灯塔村这几天的事情麻烦得很", "家里片子冰凉", "gongnuan" },
		{ C8, "桥湾村这几天的事情麻烦得很", "库区搬迁的扶持款还冇到",
		  "yimin" },
		/* the categories of northern Shaanxi and Guizhou, in the
		 * residents' words */
		{ C10, "高家塬村这几天的事情麻烦得很", "收果子的压秤压得太狠",
		  "apple" },
		{ C10, "柳树峁村这几天的事情麻烦得很", "窑顶往下掉土", "yaodong" },
		{ C10, "路家畔村这几天的事情麻烦得很", "退耕的钱没见着",
		  "tuigeng" },
		{ C10, "石沟村这几天的事情麻烦得很", "黑地里灯瞎了", "light" },
		{ C11, "安居社区这几天的事情麻烦得很", "搬下来的房子证办不下来",
		  "relocation" },
		{ C11, "田坝村这几天的事情麻烦得很", "烟站压级", "tobacco" },
		{ C11, "龙洞村这几天的事情麻烦得很", "景点乱收门票", "scenic" },
		{ C11, "something is wrong in Tianba village", "tobacco leaves graded low",
		  "tobacco" },
		{ C11, "something is wrong in Anju shequ", "no certificate for the flat we were moved to",
		  "relocation" },
		/* a Zhejiang water town and an Inner Mongolia banner: 吴语
		 * answers, herding answers */
		{ C12, "河埭村这几天的事情麻烦得很", "拆迁评估价钿太低",
		  "demolition" },
		{ C12, "长河社区这几天的事情麻烦得很", "电驴子推到楼道里充电",
		  "ebike" },
		{ C12, "渔舍村这几天的事情麻烦得很", "河浜里水草飘得满满的",
		  "river" },
		{ C12, "灯塔村这几天的事情麻烦得很", "台风一来屋里向就进水",
		  "flood" },
		{ C12, "渔舍村这几天的事情麻烦得很", "蟹塘里螃蟹死脱交关",
		  "fishery" },
		{ C13, "敖包图嘎查这几天的事情麻烦得很", "羊羔拉稀，兽医不来",
		  "livestock" },
		{ C13, "石门嘎查这几天的事情麻烦得很", "别人家的羊过界吃草",
		  "grassland" },
		{ C13, "水泉嘎查这几天的事情麻烦得很", "禁牧的钱没到折子上",
		  "subsidy" },
		{ C13, "something is wrong in Aobaotu gacha", "our cattle are sick and no vet comes",
		  "livestock" },
		{ C13, "哈日根台嘎查这几天的事情麻烦得很", "家里几头牛得病了",
		  "livestock" },
		{ C13, "something is wrong in Chagannuoer gacha", "our well has gone dry",
		  "water" },
		/* Shandong's and Guangxi's own categories, and the help
		 * and schooling residents ask for, in their words */
		{ C14, "东窑村这几天的事情麻烦得很", "挖煤挖得地都往下沉了",
		  "subsidence" },
		{ C14, "西沟村这几天的事情麻烦得很", "茅房堵了用不了", "toilet" },
		{ C14, "水洼村这几天的事情麻烦得很", "黄瓜卖不上价", "greenhouse" },
		{ C14, "滩下村这几天的事情麻烦得很", "还住在滩里，搬出去的事没信",
		  "floodplain" },
		{ C15, "那水村这几天的事情麻烦得很", "阿公一个人过，想申请救济",
		  "subsidy" },
		{ C15, "板里村这几天的事情麻烦得很", "住院花的钱退回来太少",
		  "medical" },
		{ C15, "岜石村这几天的事情麻烦得很", "读书的地方太远了", "school" },
		{ C15, "something is wrong in Liugang village",
		  "the mill never paid for our cane", "sugarcane" },
	};
	struct config		*c;
	const struct dialog_result *r;
	const struct effect	*e;
	struct talk		 t;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		c = talk_config(rows[i].config);
		talk_init(&t);
		r = talk_say(&t, rows[i].first);
		if (r->conv.state != DS_ASK_CATEGORY)
			fail_msg("\"%s\": not asked: %s", rows[i].first, reply_of(r));
		r = talk_say(&t, rows[i].answer);
		e = effect_of(r, EFF_CASE_CREATE);
		if (e == NULL || e->c.category < 0 ||
		    strcmp(c->categories[e->c.category].id, rows[i].want) != 0)
			fail_msg("\"%s\" answered \"%s\": %s, not %s", rows[i].first,
			    rows[i].answer, e == NULL ? reply_of(r) :
			    e->c.category < 0 ? "other" :
			    c->categories[e->c.category].id, rows[i].want);
		talk_end(&t);
		talk_config_end();
	}
}

/*
 * The category question answered with words only the sound of which some
 * category learned (外公的: gongdi, 工地; 大件: 搭建), or read as one the
 * list put low: no answer, the question is asked again, and no case is
 * made.
 */
static void
test_sound_answer_rows(void **state)
{
	static const struct {
		const char	*config, *first, *answer;
	} rows[] = {
		{ EXAMPLE, "王楼村这几天的事情麻烦得很", "外公的老房子要修" },
		{ C16, "澳头村这几天的事情麻烦得很", "阿公的楼要修" },
		{ C7, "东门社区这几天的事情麻烦得很", "大件的东西" },
		/* ... nor words read alone, not plainly, as a category the
		 * list put low, the request with them reading none listed
		 * first (the land the mine uses, unpaid: no wages) */
		{ C43, "郑村矿上把俺家地圈起来堆东西两年了，当时说一年给多少钱，到现在"
		  "一直推", "矿上用俺家地不给钱" },
	};
	struct config		*c;
	const struct dialog_result *r;
	const struct effect	*e;
	struct talk		 t;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		c = talk_config(rows[i].config);
		talk_init(&t);
		r = talk_say(&t, rows[i].first);
		if (r->conv.state != DS_ASK_CATEGORY)
			fail_msg("\"%s\": not asked: %s", rows[i].first, reply_of(r));
		r = talk_say(&t, rows[i].answer);
		e = effect_of(r, EFF_CASE_CREATE);
		if (e != NULL)
			fail_msg("\"%s\" answered \"%s\": a case (%s)", rows[i].first,
			    rows[i].answer, e->c.category < 0 ? "other" :
			    c->categories[e->c.category].id);
		if (r->conv.state != DS_ASK_CATEGORY)
			fail_msg("\"%s\" answered \"%s\": not asked again: %s",
			    rows[i].first, rows[i].answer, reply_of(r));
		talk_end(&t);
		talk_config_end();
	}
}

/* Without a category nor a place: the category first, then the place. */
static void
test_three_turns(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "家门口的事拖了好几天了，一直没人管");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	assert_contains(reply_of(r), "路灯照明");
	r = talk_say(&t, "1");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.category, cat_index("streetlight"));
	assert_contains(reply_of(r), "村或社区");
	assert_null(effect_of(r, EFF_CASE_CREATE));
	r = talk_say(&t, "刘辛店");
	c = created(r);
	assert_int_equal(c->c.category, cat_index("streetlight"));
	assert_int_equal(c->c.grid, grid_index("liuxindian"));
	assert_string_equal(c->description, "家门口的事拖了好几天了，一直没人管");
	talk_end(&t);
}

/*
 * No keyword, yet plainly one category: the classifier takes it (above
 * its threshold), and only the place is asked.
 */
static const struct {
	const char	*text;
	const char	*category;
} learned_rows[] = {
	{ "晚上村里黑漆漆的，走路很不方便", "streetlight" },
	{ "拧开水龙头一滴都没有", "water" },
	{ "包工头跑了，干的活钱要不回来", "employment" },
	{ "沟里的死猪都发臭了，苍蝇乱飞", "sanitation" },
	{ "我娘八十多了一个人在家，腿脚不好", "elderly" },
	{ "卖菜的把整条街都占了", "market" },
};

static void
test_learned_category(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(learned_rows); i++) {
		talk_init(&t);
		r = talk_say(&t, learned_rows[i].text);
		if (r->conv.category != cat_index(learned_rows[i].category))
			fail_msg("\"%s\": category %d, reply %s", learned_rows[i].text,
			    r->conv.category, reply_of(r));
		assert_int_equal(r->conv.state, DS_ASK_PLACE);
		assert_reply_is(r, "zh", "ask_village");
		talk_end(&t);
	}
}

/* Asked three times without an answer: unsorted, and the case is made. */
static void
test_category_given_up(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;
	int				 i;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "王楼村这个问题好几天了没人管");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	for (i = 1; i < 3; i++) {
		r = talk_say(&t, "嗯");
		assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
		assert_int_equal(r->conv.asked, i);
		assert_contains(reply_of(r), "1 路灯照明");
	}
	c = created(talk_say(&t, "嗯"));
	assert_int_equal(c->c.category, -1);
	assert_int_equal(c->c.tier, 2);
	assert_null(c->c.department);
	assert_int_equal(c->c.grid, grid_index("wanglou"));
	assert_contains(reply_of(&t.res), "未分类");
	talk_end(&t);
}

/*
 * A whole request of another village while the category question is
 * open is no answer: the open request is filed as it stands (unsorted,
 * staff sort it) and the message is a request of its own, in one reply
 * that names both numbers.  Said again with the village put right, it is
 * the same request.
 */
static const struct {
	const char	*first, *then;
	const char	*want_grid, *want_cat; /* of the new one; NULL: none made */
	enum dialog_state state;	/* after the step */
} elsewhere_rows[] = {
	{ "王楼村家门口的事拖了好几天了，一直没人管",
	  "颜村铺村主路上的路灯坏了一个星期了", "yancunpu", "streetlight", DS_IDLE },
	{ "王楼村家门口的事拖了好几天了，一直没人管",
	  "颜村铺 自来水停了三天，做饭都没水", "yancunpu", "water", DS_IDLE },
	/* the new one needs its own question */
	{ "王楼村家门口的事拖了好几天了，一直没人管",
	  "颜村铺村村委后面那块地的事也好几个月了没人来看", NULL, NULL,
	  DS_ASK_CATEGORY },
	{ "王楼村这个问题好几天了没人管",
	  "Yancunpu village: the street lights on the main road are out", "yancunpu",
	  "streetlight", DS_IDLE },
	{ "王楼村那个事还是没人管，好几天了",
	  "颜村铺村 Hi, the lights on the main road have been out for a week",
	  "yancunpu", "streetlight", DS_IDLE },
};

static void
test_request_elsewhere(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*e;
	struct talk			 t;
	size_t				 i, k, n;

	(void)state;
	for (i = 0; i < nitems(elsewhere_rows); i++) {
		talk_init(&t);
		r = talk_say(&t, elsewhere_rows[i].first);
		assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
		t.now += MINUTE;
		r = talk_say(&t, elsewhere_rows[i].then);
		assert_int_equal(r->conv.state, elsewhere_rows[i].state);
		n = count_of(r, EFF_CASE_CREATE);
		assert_int_equal(n, elsewhere_rows[i].want_grid != NULL ? 2 : 1);
		for (k = 0, e = NULL; k < r->neffects; k++) {
			if (r->effects[k].kind != EFF_CASE_CREATE)
				continue;
			if (e == NULL) {	/* the open one, as it stands */
				e = &r->effects[k];
				assert_int_equal(e->c.number, FIRST_CASE);
				assert_int_equal(e->c.grid, grid_index("wanglou"));
				assert_int_equal(e->c.category, -1);
				assert_string_equal(e->description,
				    elsewhere_rows[i].first);
				continue;
			}
			assert_int_equal(r->effects[k].c.number, FIRST_CASE + 1);
			assert_int_equal(r->effects[k].c.grid,
			    grid_index(elsewhere_rows[i].want_grid));
			assert_int_equal(r->effects[k].c.category,
			    cat_index(elsewhere_rows[i].want_cat));
			assert_contains(reply_of(r), "102");
		}
		assert_contains(reply_of(r), "101");
		assert_contains(reply_of(r), strncmp(elsewhere_rows[i].then, "Yan", 3)
		    == 0 ? "Wanglou" : "王楼村");
		/* both cases reach the deputies */
		assert_true(count_of(r, EFF_NOTIFY_DEPUTY) >= n);
		talk_end(&t);
	}
}

/* The same request said again with its village put right is one case. */
static void
test_request_restated(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "王楼村家门口的事拖了好几天了，一直没人管");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	r = talk_say(&t, "是颜村铺村的，家门口的事拖了好几天了，一直没人管，"
	    "路灯坏了");
	assert_int_equal(count_of(r, EFF_CASE_CREATE), 1);
	c = created(r);
	assert_int_equal(c->c.grid, grid_index("yancunpu"));
	assert_int_equal(c->c.category, cat_index("streetlight"));
	talk_end(&t);
	/* asked only the place: a request of another village is that place */
	talk_init(&t);
	r = talk_say(&t, "王楼村有点事想反映");
	assert_int_equal(r->conv.state, DS_ASK_DESCRIPTION);
	r = talk_say(&t, "颜村铺村小学门口那段路坑坑洼洼，下雨就积水，娃娃上学摔了好几回");
	c = created(r);
	assert_int_equal(c->c.grid, grid_index("yancunpu"));
	assert_int_equal(c->c.category, cat_index("road"));
	talk_end(&t);
	talk_init(&t);
	talk_say(&t, "王楼村有点事想反映");
	r = talk_say(&t, "颜村铺村村委后面那块地的事也好几个月了没人来看");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	assert_int_equal(r->conv.grid, grid_index("yancunpu"));
	talk_end(&t);
}

/* Given up without a place either: then the place is asked. */
static void
test_category_given_up_then_place(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;
	int				 i;

	(void)state;
	talk_init(&t);
	talk_say(&t, "这个问题好几天了一直没人管");
	for (i = 0; i < 3; i++)
		r = talk_say(&t, "嗯");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.category, -1);
	assert_int_equal(r->conv.asked, 0);
	assert_reply_is(r, "zh", "ask_village");
	assert_int_equal(created(talk_say(&t, "王楼"))->c.category, -1);
	talk_end(&t);
}

/* --- multi-turn: the place ------------------------------------------------- */

static const struct answer_row place_answers[] = {
	{ "村口路灯不亮", DS_ASK_PLACE, "刘辛店村", "liuxindian" },
	{ "村口路灯不亮", DS_ASK_PLACE, "刘辛店", "liuxindian" },
	{ "村口路灯不亮", DS_ASK_PLACE, "劉辛店村", "liuxindian" },
	{ "村口路灯不亮", DS_ASK_PLACE, "我在王楼村", "wanglou" },
	{ "村口路灯不亮", DS_ASK_PLACE, "大赵", "dazhao" },
	{ "我们村自来水又停了", DS_ASK_PLACE, "颜村铺", "yancunpu" },
	{ "我们村自来水又停了", DS_ASK_PLACE, "杨集乡杨集村", "yangji" },
};

static void
test_place_answer(void **state)
{
	const struct answer_row		*a = *state;
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;

	talk_init(&t);
	r = talk_say(&t, a->first);
	assert_int_equal(r->conv.state, a->asked);
	t.now += 5 * MINUTE;
	r = talk_say(&t, a->answer);
	c = created(r);
	assert_int_equal(c->c.grid, grid_index(a->want));
	assert_string_equal(c->c.deputy, config_grid(cfg, a->want)->deputies[0]);
	assert_string_equal(c->description, a->first);
	assert_string_equal(c->place, config_grid(cfg, a->want)->name);
	talk_end(&t);
}

/* A township only: its villages are listed and answered by number. */
static void
test_place_by_township(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "村口路灯不亮");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	r = talk_say(&t, "杨集乡");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.township, town_index("yangji"));
	assert_int_equal(r->conv.asked, 0);
	assert_contains(reply_of(r), "1 刘辛店村");
	assert_contains(reply_of(r), "2 杨集村");
	assert_lacks(reply_of(r), "王楼村");
	assert_int_equal(created(talk_say(&t, "2"))->c.grid, grid_index("yangji"));
	talk_end(&t);
}

/* A first message naming a township: the place question lists it. */
static void
test_township_in_first_message(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "王楼镇路灯不亮好几天了");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.township, town_index("wanglou"));
	assert_contains(reply_of(r), "1 大赵村");
	assert_contains(reply_of(r), "2 王楼村");
	assert_int_equal(created(talk_say(&t, "１"))->c.grid, grid_index("dazhao"));
	talk_end(&t);
}

/* A number while no list was given is no answer to the place. */
static void
test_place_number_without_list(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	r = talk_say(&t, "3");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.asked, 1);
	assert_null(effect_of(r, EFF_CASE_CREATE));
	talk_end(&t);
}

/* Three unanswered place questions, no township named: the county office
 * triages it (分办), every county staff member is alerted; without county
 * staff in the config, the first township's chair as before. */
static void
test_triage(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c, *alert;
	struct talk			 t;
	size_t				 nstaff = cfg->nstaff;
	int				 i;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "村口路灯不亮");
	for (i = 1; i < 3; i++) {
		r = talk_say(&t, "不知道");
		assert_int_equal(r->conv.state, DS_ASK_PLACE);
		assert_int_equal(r->conv.asked, i);
		assert_reply_is(r, "zh", "ask_village");
	}
	r = talk_say(&t, "不知道");
	c = created(r);
	assert_true(c->c.triage);
	assert_int_equal(c->c.grid, -1);
	assert_int_equal(c->c.township, -1);
	assert_null(c->c.deputy);
	assert_int_equal(c->c.category, cat_index("streetlight"));
	assert_string_equal(c->description, "村口路灯不亮");
	assert_contains(reply_of(r), "县人大常委会");
	assert_contains(reply_of(r), "查询101");
	assert_null(effect_of(r, EFF_NOTIFY_DEPUTY));
	alert = effect_of(r, EFF_NOTIFY_STAFF);
	assert_non_null(alert);
	assert_string_equal(alert->staff, "s-li");	/* the county office, not the clerk */
	assert_contains(alert->text, "待分办");
	assert_contains(alert->text, "分办101");
	assert_contains(alert->text, CALLBACK);
	assert_int_equal(r->conv.state, DS_IDLE);
	talk_end(&t);

	/* a config without county staff: the first township's chair */
	cfg->nstaff = 0;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	talk_say(&t, "不知道");
	talk_say(&t, "不知道");
	r = talk_say(&t, "不知道");
	cfg->nstaff = nstaff;
	c = created(r);
	assert_int_equal(c->c.township, 0);
	assert_string_equal(c->c.deputy, cfg->townships[0].chair);
	assert_contains(reply_of(r), cfg->townships[0].name);
	alert = effect_of(r, EFF_NOTIFY_DEPUTY);
	assert_non_null(alert);
	assert_string_equal(alert->deputy, cfg->townships[0].chair);
	assert_contains(alert->text, "转101");
	assert_null(effect_of(r, EFF_NOTIFY_STAFF));
	talk_end(&t);
}

/* The township guess decides the chair; the unknown village is kept. */
static void
test_triage_township_guess(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;
	int				 i;

	(void)state;
	talk_init(&t);
	talk_say(&t, "王楼镇路灯不亮好几天了");
	for (i = 0; i < 3; i++)
		r = talk_say(&t, "张庄");
	c = created(r);
	assert_true(c->c.triage);
	assert_int_equal(c->c.township, town_index("wanglou"));
	assert_string_equal(c->c.deputy, "d-wang");
	assert_string_equal(c->place, "张庄");
	assert_contains(reply_of(r), "王楼镇");
	assert_contains(effect_of(r, EFF_NOTIFY_DEPUTY)->text, "张庄");
	talk_end(&t);
}

/* --- multi-turn: the description ------------------------------------------- */

static void
test_description_asked(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "王楼村");
	assert_int_equal(r->conv.state, DS_ASK_DESCRIPTION);
	assert_int_equal(r->conv.grid, grid_index("wanglou"));
	assert_reply_is(r, "zh", "ask_description");
	r = talk_say(&t, "路灯坏了好几天了");
	c = created(r);
	assert_int_equal(c->c.category, cat_index("streetlight"));
	assert_int_equal(c->c.grid, grid_index("wanglou"));
	assert_contains(c->description, "王楼村");
	assert_contains(c->description, "路灯坏了好几天了");
	talk_end(&t);
}

/* Asked what the problem is, a category named alone answers it. */
static void
test_description_category_word(void **state)
{
	static const char *const answers[] = { "路灯", "停水", "street light" };
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(answers); i++) {
		talk_init(&t);
		r = talk_say(&t, i < 2 ? "王楼村有点事想反映" :
		    "I want to report a problem in Dazhao");
		assert_int_equal(r->conv.state, DS_ASK_DESCRIPTION);
		c = created(talk_say(&t, answers[i]));
		assert_int_equal(c->c.category, cat_index(i == 1 ? "water" :
		    "streetlight"));
		assert_int_equal(c->c.grid, grid_index(i < 2 ? "wanglou" : "dazhao"));
		talk_end(&t);
	}
}

/*
 * Asked what the problem is, the answer speaks of nothing else: the
 * classifier's guess counts from CLASSIFY_ANSWER, as for the category
 * question, rather than asking the category list next.
 */
static void
test_description_guess(void **state)
{
	static const struct {
		const char	*answer;
		const char	*category;
	} rows[] = {
		{ "村里的路坏了", "road" },
		{ "家门口黑", "streetlight" },
	};
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		talk_init(&t);
		r = talk_say(&t, "我是王楼村的，想反映个事");
		assert_int_equal(r->conv.state, DS_ASK_DESCRIPTION);
		c = created(talk_say(&t, rows[i].answer));
		assert_int_equal(c->c.category, cat_index(rows[i].category));
		assert_int_equal(c->c.grid, grid_index("wanglou"));
		talk_end(&t);
	}
}

/* Only a category: the description, then the place. */
static void
test_category_only(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	/* a category is a problem: only the place is asked */
	r = talk_say(&t, "路灯");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.category, cat_index("streetlight"));
	c = created(talk_say(&t, "大赵村"));
	assert_int_equal(c->c.category, cat_index("streetlight"));
	assert_string_equal(c->description, "路灯");
	talk_end(&t);
}

/*
 * What a request needs: a problem, its category or a few words besides
 * the place.  "仁厚 停水" is whole; "有点事想反映" asks what it is.
 */
static const struct {
	const char	*text;
	enum dialog_state state;	/* DS_IDLE: the case is made */
	const char	*category;	/* NULL: none */
} needs_rows[] = {
	{ "王楼 停水", DS_IDLE, "water" },
	{ "刘辛店 路灯", DS_IDLE, "streetlight" },
	{ "大赵村 欠薪", DS_IDLE, "employment" },
	{ "刘辛店村有点事想反映", DS_ASK_DESCRIPTION, NULL },
	{ "有点事想反映一下", DS_ASK_DESCRIPTION, NULL },
	{ "我想投诉", DS_ASK_DESCRIPTION, NULL },
	{ "王楼村有个问题", DS_ASK_DESCRIPTION, NULL },
	{ "I want to report a problem in Dazhao", DS_ASK_DESCRIPTION, NULL },
	{ "王楼村", DS_ASK_DESCRIPTION, NULL },
};

static void
test_request_needs(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;
	size_t				 i;

	(void)state;
	for (i = 0; i < nitems(needs_rows); i++) {
		talk_init(&t);
		r = talk_say(&t, needs_rows[i].text);
		if (r->conv.state != needs_rows[i].state)
			fail_msg("\"%s\": state %s, reply %s", needs_rows[i].text,
			    dialog_state_name(r->conv.state), reply_of(r));
		if (needs_rows[i].state == DS_IDLE) {
			c = created(r);
			assert_int_equal(c->c.category,
			    cat_index(needs_rows[i].category));
		} else {
			assert_null(effect_of(r, EFF_CASE_CREATE));
			assert_reply_is(r, utf8_has_cjk(needs_rows[i].text) ? "zh" : "en",
			    "ask_description");
		}
		talk_end(&t);
	}
}

/* The description answer that has no category: the category next. */
static void
test_description_then_category(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;
	char				 num[8];
	int				 n;

	(void)state;
	talk_init(&t);
	talk_say(&t, "王楼村");
	r = talk_say(&t, "村头那家一直很吵闹");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	n = listed_as(reply_of(r), "市场秩序");
	assert_true(n > 0);
	snprintf(num, sizeof(num), "%d", n);
	assert_int_equal(created(talk_say(&t, num))->c.category, cat_index("market"));
	talk_end(&t);
}

static void
test_description_given_up(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;
	int				 i;

	(void)state;
	talk_init(&t);
	talk_say(&t, "王楼村");
	for (i = 0; i < 3; i++)
		r = talk_say(&t, "嗯");
	assert_int_equal(r->conv.state, DS_IDLE);
	assert_null(effect_of(r, EFF_CASE_CREATE));
	assert_reply_is(r, "zh", "intake_dropped");
	talk_end(&t);
}

/* A later answer that adds words joins the description. */
static void
test_description_joined(void **state)
{
	const struct effect	*c;
	struct talk		 t;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	c = created(talk_say(&t, "刘辛店村东头第三盏，已经一个星期了"));
	assert_string_equal(c->description, "村口路灯不亮；刘辛店村东头第三盏，已经一个星期了");
	talk_end(&t);
}

/* A long description is kept, and cut in the alert to fit. */
static void
test_long_description(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c, *alert;
	struct buf			 b;
	struct talk			 t;
	int				 i;

	(void)state;
	buf_init(&b, 0);
	buf_addstr(&b, "刘辛店村村口路灯不亮，");
	for (i = 0; i < 30; i++)
		buf_addstr(&b, "晚上走路看不见，老人孩子摔了好几次。");
	talk_init(&t);
	r = talk_say(&t, buf_str(&b));
	c = created(r);
	assert_true(utf8_units16(c->description) > 300);
	alert = effect_of(r, EFF_NOTIFY_DEPUTY);
	assert_contains(alert->text, "刘辛店村村口路灯不亮");
	assert_contains(alert->text, "…");
	assert_contains(alert->text, "接单101");
	assert_contains(alert->text, CALLBACK);
	talk_end(&t);
	buf_free(&b);
}

/* --- mid-dialog ------------------------------------------------------------ */

/* 查询 while the place is asked: answered, and the question stays open. */
static void
test_command_mid_dialog(void **state)
{
	static const struct case_brief cases[] = {
		{ 7, "accepted", "water", "wanglou", "d-wang", NULL, T0 - 3600, 0 },
	};
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	t.cases = cases;
	t.ncases = nitems(cases);
	r = talk_say(&t, "村口路灯不亮");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	r = talk_say(&t, "查询");
	assert_contains(reply_of(r), "诉求7");
	assert_contains(reply_of(r), "代表在办");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.category, cat_index("streetlight"));
	assert_int_equal(r->conv.asked, 0);
	r = talk_say(&t, "帮助");
	assert_reply_is(r, "zh", "help");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(created(talk_say(&t, "刘辛店"))->c.grid, grid_index("liuxindian"));
	talk_end(&t);
}

/* A whole new request while asked: taken as the answer, and it fills all. */
static void
test_full_request_mid_dialog(void **state)
{
	const struct effect	*c;
	struct talk		 t;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	c = created(talk_say(&t, "王楼村这两天停水了，什么时候来水？"));
	assert_int_equal(c->c.grid, grid_index("wanglou"));
	assert_int_equal(c->c.category, cat_index("water"));
	assert_contains(c->description, "村口路灯不亮");
	assert_contains(c->description, "停水");
	talk_end(&t);
}

/* 取消 alone while asked drops the request being taken. */
static void
test_cancel_intake(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	r = talk_say(&t, "取消");
	assert_reply_is(r, "zh", "intake_cancelled");
	assert_int_equal(r->conv.state, DS_IDLE);
	assert_null(effect_of(r, EFF_CASE_CANCEL));
	talk_end(&t);
}

/* --- expiry ---------------------------------------------------------------- */

static void
test_expired_answer(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;
	char				*lapsed;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	t.now += (int64_t)cfg->idle_minutes * MINUTE + 1;
	r = talk_say(&t, "刘辛店");
	lapsed = plain("zh", "lapsed");
	assert_true(starts_with(reply_of(r), lapsed));
	assert_contains(reply_of(r), config_template(cfg, "zh", "ask_description"));
	assert_null(effect_of(r, EFF_CASE_CREATE));
	assert_int_equal(r->conv.state, DS_ASK_DESCRIPTION);
	assert_int_equal(r->conv.category, -1);
	free(lapsed);
	talk_end(&t);
}

static void
test_not_expired_yet(void **state)
{
	struct talk	 t;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	t.now += (int64_t)cfg->idle_minutes * MINUTE;
	assert_int_equal(created(talk_say(&t, "刘辛店"))->c.category, cat_index("streetlight"));
	assert_false(starts_with(reply_of(&t.res), config_template(cfg, "zh", "lapsed")));
	talk_end(&t);
}

/* After expiry a whole request still makes its case, with the sentence. */
static void
test_expired_then_request(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	t.now += 2 * 3600;
	r = talk_say(&t, "王楼村这两天停水了");
	assert_int_equal(created(r)->c.category, cat_index("water"));
	assert_true(starts_with(reply_of(r), config_template(cfg, "zh", "lapsed")));
	assert_contains(reply_of(r), "查询101");
	talk_end(&t);
}

/* --- English ----------------------------------------------------------- */

static void
test_english_case(void **state)
{
	const struct dialog_result	*r;
	const struct effect		*c;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "The street light near Dazhao village gate is broken");
	c = created(r);
	assert_int_equal(c->c.grid, grid_index("dazhao"));
	assert_int_equal(c->c.category, cat_index("streetlight"));
	assert_string_equal(effect_of(r, EFF_SET_LANGUAGE)->lang, "en");
	assert_string_equal(effect_of(r, EFF_REPLY)->lang, "en");
	assert_contains(reply_of(r), "STATUS 101");
	assert_contains(reply_of(r), "CANCEL 101");
	assert_contains(reply_of(r), "Street lights");
	assert_contains(reply_of(r), "Dazhao");
	assert_contains(reply_of(r), "Deputy");
	assert_false(has_cjk_run(reply_of(r), 3));
	/* the deputy is told in Chinese */
	assert_contains(effect_of(r, EFF_NOTIFY_DEPUTY)->text, "接单101");
	talk_end(&t);
}

static void
test_english_dialog(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "no water since Monday");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_reply_is(r, "en", "ask_village");
	assert_string_equal(r->conv.lang, "en");
	r = talk_say(&t, "Dazhao");
	assert_int_equal(created(r)->c.category, cat_index("water"));
	assert_contains(reply_of(r), "STATUS 101");
	talk_end(&t);
}

/* A number has no language: the conversation's is kept. */
static void
test_number_keeps_language(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	/* (collected alone, a word only rubbish has, is rubbish: filed) */
	r = talk_say(&t, "Nobody has come to collect the bins or fix the lamp in Dazhao");
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	/* the likeliest first, the others in config order, Other last */
	assert_contains(reply_of(r), "1 Sanitation\n2 Street lights\n3 Water");
	assert_contains(reply_of(r), "9 Other");
	r = talk_say(&t, "2");
	assert_int_equal(created(r)->c.category, cat_index("streetlight"));
	assert_string_equal(effect_of(r, EFF_SET_LANGUAGE)->lang, "en");
	assert_contains(reply_of(r), "STATUS 101");
	talk_end(&t);
}

static void
test_chinese_sets_zh(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "帮助");
	assert_string_equal(effect_of(r, EFF_SET_LANGUAGE)->lang, "zh");
	r = talk_say(&t, "HELP");
	assert_string_equal(effect_of(r, EFF_SET_LANGUAGE)->lang, "en");
	assert_reply_is(r, "en", "help");
	talk_end(&t);
}

/* --- commands ----------------------------------------------------------- */

static const struct case_brief my_cases[] = {
	{ 12, "accepted", "water", "wanglou", "d-wang", NULL, T0 - 3600, 0 },
	{ 10, "dispatched", "road", "dazhao", "d-guo", "transport", T0 - 86400, T0 + 86400 },
	{ 8, "closed", "streetlight", "liuxindian", "d-niu", "power", T0 - 9 * 86400, 0 },
	{ 6, "received", NULL, NULL, "d-zhao", NULL, T0 - 10 * 86400, 0 },
};

struct command_row {
	const char	*text;
	enum effect_kind effect;	/* the effect besides the reply; EFF_REPLY: none */
	long		 number;	/* EFF_CASE_CANCEL: the case */
	const char	*want[3];	/* parts of the reply */
	const char	*lacks;		/* not in the reply, or NULL */
};

static const struct command_row commands[] = {
	{ "查询", EFF_REPLY, 0, { "诉求12", "代表在办", "王代表" }, NULL },
	{ "进度", EFF_REPLY, 0, { "诉求12", "供水" }, NULL },
	{ "查询10", EFF_REPLY, 0, { "诉求10", "已交部门办理", "县交通运输局" }, NULL },
	{ "查询 10", EFF_REPLY, 0, { "诉求10" }, NULL },
	{ "查询#10", EFF_REPLY, 0, { "诉求10" }, NULL },
	{ "查询＃１０", EFF_REPLY, 0, { "诉求10" }, NULL },
	{ "查詢十", EFF_REPLY, 0, { "诉求10" }, NULL },
	{ "进度8", EFF_REPLY, 0, { "诉求8", "已评价办结" }, NULL },
	{ "查询6", EFF_REPLY, 0, { "诉求6", "已受理", "未分类" }, NULL },
	{ "查询 99", EFF_REPLY, 0, { "99", "未找到" }, "已受理" },
	{ "STATUS", EFF_REPLY, 0, { "Case 12", "with the deputy" }, NULL },
	{ "query 10", EFF_REPLY, 0, { "Case 10", "Roads" }, NULL },
	{ "取消 12", EFF_CASE_CANCEL, 12, { "12" }, NULL },
	{ "取消#12", EFF_CASE_CANCEL, 12, { "12" }, NULL },
	{ "取消１２号", EFF_CASE_CANCEL, 12, { "12" }, NULL },
	{ "cancel 10", EFF_CASE_CANCEL, 10, { "Case 10" }, NULL },
	{ "取消6", EFF_CASE_CANCEL, 6, { "6" }, NULL },
	{ "取消 8", EFF_REPLY, 0, { "8", "已评价办结", "不能撤销" }, NULL },
	{ "取消 99", EFF_REPLY, 0, { "99", "未找到" }, "撤" },
	{ "取消", EFF_REPLY, 0, { "取消12" }, NULL },
	{ "帮助", EFF_REPLY, 0, { "查询" }, NULL },
	{ "HELP", EFF_REPLY, 0, { "QUERY" }, NULL },
	{ "退订", EFF_OPT_OUT, 0, { "订阅" }, NULL },
	{ "取消订阅", EFF_OPT_OUT, 0, { "订阅" }, NULL },
	{ "STOP", EFF_OPT_OUT, 0, { "START" }, NULL },
	{ "订阅", EFF_OPT_IN, 0, { "恢复" }, NULL },
	{ "Start", EFF_OPT_IN, 0, { "resumed" }, NULL },
};

static void
test_command(void **state)
{
	const struct command_row	*row = *state;
	const struct dialog_result	*r;
	const struct effect		*e;
	struct talk			 t;
	size_t				 i;

	talk_init(&t);
	t.cases = my_cases;
	t.ncases = nitems(my_cases);
	r = talk_say(&t, row->text);
	for (i = 0; i < nitems(row->want) && row->want[i] != NULL; i++)
		assert_contains(reply_of(r), row->want[i]);
	if (row->lacks != NULL)
		assert_lacks(reply_of(r), row->lacks);
	assert_null(effect_of(r, EFF_CASE_CREATE));
	assert_int_equal(r->conv.state, DS_IDLE);
	if (row->effect == EFF_REPLY) {
		assert_int_equal(count_of(r, EFF_CASE_CANCEL) + count_of(r, EFF_OPT_OUT) +
		    count_of(r, EFF_OPT_IN), 0);
	} else {
		assert_non_null(e = effect_of(r, row->effect));
		assert_int_equal(count_of(r, row->effect), 1);
		if (row->effect == EFF_CASE_CANCEL)
			assert_int_equal(e->number, row->number);
	}
	talk_end(&t);
}

/* Someone else's case is not found, and not touched. */
static void
test_cancel_not_own(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	t.cases = my_cases;
	t.ncases = nitems(my_cases);
	r = talk_say(&t, "取消 11");
	assert_null(effect_of(r, EFF_CASE_CANCEL));
	assert_contains(reply_of(r), "未找到诉求11");
	r = talk_say(&t, "查询11");
	assert_contains(reply_of(r), "未找到诉求11");
	talk_end(&t);
}

static void
test_status_none(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "查询");
	assert_reply_is(r, "zh", "status_none");
	r = talk_say(&t, "取消");
	assert_reply_is(r, "zh", "status_none");
	talk_end(&t);
}

/* Text that starts like a command but says more is a request. */
static void
test_command_word_in_request(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	r = talk_say(&t, "查询一下王楼村的停水什么时候结束");
	assert_null(effect_of(r, EFF_CASE_CANCEL));
	assert_int_equal(created(r)->c.category, cat_index("water"));
	talk_end(&t);
}

/* 退订 then 订阅: one confirmation each; 退订 drops an open question. */
static void
test_stop_start(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	talk_say(&t, "村口路灯不亮");
	r = talk_say(&t, "退订");
	assert_non_null(effect_of(r, EFF_OPT_OUT));
	assert_int_equal(count_of(r, EFF_REPLY), 1);
	assert_reply_is(r, "zh", "unsubscribed");
	assert_int_equal(r->conv.state, DS_IDLE);
	t.opted_out = true;
	r = talk_say(&t, "订阅");
	assert_non_null(effect_of(r, EFF_OPT_IN));
	assert_reply_is(r, "zh", "subscribed");
	t.opted_out = false;
	r = talk_say(&t, "STOP");
	assert_non_null(effect_of(r, EFF_OPT_OUT));
	assert_reply_is(r, "en", "unsubscribed");
	t.opted_out = true;
	r = talk_say(&t, "START");
	assert_non_null(effect_of(r, EFF_OPT_IN));
	assert_reply_is(r, "en", "subscribed");
	talk_end(&t);
}

/* A second request while the first is open is a new case. */
static void
test_second_request(void **state)
{
	static const struct case_brief open[] = {
		{ 101, "received", "streetlight", "liuxindian", "d-niu", NULL, T0, 0 },
	};
	const struct effect	*c;
	struct talk		 t;

	(void)state;
	talk_init(&t);
	c = created(talk_say(&t, "刘辛店村村口路灯不亮"));
	assert_int_equal(c->c.number, 101);
	t.cases = open;
	t.ncases = nitems(open);
	t.now += MINUTE;
	c = created(talk_say(&t, "刘辛店村这两天停水了"));
	assert_int_equal(c->c.number, 102);
	assert_contains(reply_of(&t.res), "查询102");
	talk_end(&t);
}

/*
 * 同类诉求: the same resident, the same place and category as one of their
 * cases still open and opened within dialog.duplicate_days (7): no new
 * case, the resident is told its number.  Hotline and SMS alike.
 */
static const struct {
	const char	*name;
	const char	*status;
	int64_t		 age;		/* seconds before now */
	const char	*text;
	bool		 direct;	/* a hotline call */
	bool		 dup;
} dup_rows[] = {
	{ "same, open", "received", 3600, "刘辛店村路灯又不亮了", false, true },
	{ "same, by hotline", "accepted", 3600, "刘辛店村路灯不亮", true, true },
	{ "same, dispatched", "dispatched", 6 * 86400, "刘辛店 路灯坏了", false, true },
	{ "same, too old", "received", 8 * 86400, "刘辛店村路灯又不亮了", false, false },
	{ "same, resolved", "resolved", 3600, "刘辛店村路灯又不亮了", false, false },
	{ "same, cancelled", "cancelled", 3600, "刘辛店村路灯又不亮了", false, false },
	{ "other category", "received", 3600, "刘辛店村停水了", false, false },
	{ "other place", "received", 3600, "大赵村路灯不亮", false, false },
};

static void
test_duplicate_own(void **state)
{
	struct case_brief	 mine;
	const struct dialog_result *r;
	struct talk		 t;
	struct dialog_input	 in;
	struct dialog_result	 res;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(dup_rows); i++) {
		memset(&mine, 0, sizeof(mine));
		mine.number = 77;
		mine.status = dup_rows[i].status;
		mine.category = "streetlight";
		mine.grid = "liuxindian";
		mine.deputy = "d-niu";
		mine.created_at = T0 - dup_rows[i].age;
		if (dup_rows[i].direct) {
			memset(&in, 0, sizeof(in));
			conv_state_init(&in.conv);
			in.now = T0;
			in.address = RESIDENT;
			in.channel = "hotline";
			in.text = dup_rows[i].text;
			in.addressed = in.direct = true;
			in.grid_hint = -1;
			in.next_case_number = 101;
			in.cases = &mine;
			in.ncases = 1;
			assert_int_equal(dialog_step(cfg, tix, &in, &res), 0);
			r = &res;
		} else {
			talk_init(&t);
			t.cases = &mine;
			t.ncases = 1;
			r = talk_say(&t, dup_rows[i].text);
		}
		if (dup_rows[i].dup) {
			if (effect_of(r, EFF_CASE_CREATE) != NULL)
				fail_msg("%s: a new case", dup_rows[i].name);
			assert_contains(reply_of(r), "已经反映过了，编号77");
			assert_null(effect_of(r, EFF_NOTIFY_DEPUTY));
			assert_int_equal(r->conv.state, DS_IDLE);
		} else
			assert_int_equal(created(r)->c.number, 101);
		if (dup_rows[i].direct)
			dialog_result_clear(&res);
		else
			talk_end(&t);
	}
}

/* --- groups ------------------------------------------------------------- */

static void
test_group_chatter(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	t.channel = "groups";
	t.address = "wxid_1";
	t.addressed = false;
	r = talk_say(&t, "大家晚上好，今天的会改到明天了");
	assert_int_equal(r->neffects, 0);
	assert_int_equal(r->conv.state, DS_IDLE);
	r = talk_say(&t, "帮助");
	assert_int_equal(r->neffects, 0);
	talk_end(&t);
}

/* In a conversation, an unaddressed answer counts, other chatter not. */
static void
test_group_answer(void **state)
{
	const struct dialog_result	*r;
	struct talk			 t;

	(void)state;
	talk_init(&t);
	t.channel = "groups";
	t.address = "wxid_1";
	t.grid_hint = -1;
	talk_say(&t, "这个问题好几天了一直没人管");
	t.addressed = false;
	r = talk_say(&t, "哈哈哈");
	assert_int_equal(r->neffects, 0);
	assert_int_equal(r->conv.state, DS_ASK_CATEGORY);
	assert_int_equal(r->conv.asked, 0);
	r = talk_say(&t, "4");
	assert_int_equal(r->conv.state, DS_ASK_PLACE);
	assert_int_equal(r->conv.category, cat_index("sanitation"));
	talk_end(&t);
}

/* The group's grid stands for the place when the text names none. */
static void
test_group_grid_hint(void **state)
{
	const struct effect	*c;
	struct talk		 t;

	(void)state;
	talk_init(&t);
	t.channel = "groups";
	t.address = "wxid_1";
	t.grid_hint = grid_index("liuxindian");
	c = created(talk_say(&t, "村口路灯不亮"));
	assert_int_equal(c->c.grid, grid_index("liuxindian"));
	c = created(talk_say(&t, "王楼村这两天停水了"));
	assert_int_equal(c->c.grid, grid_index("wanglou"));
	talk_end(&t);
}

/* --- the conversation's JSON -------------------------------------------- */

static void
test_json_roundtrip(void **state)
{
	struct conv_state	 cs;

	(void)state;
	conv_state_init(&cs);
	cs.cfg = cfg;
	cs.state = DS_ASK_PLACE;
	cs.category = cat_index("road");
	cs.township = town_index("wanglou");
	cs.description = xstrdup("路面有个\"大坑\"\n很深");
	cs.asked = 2;
	strlcpy(cs.lang, "en", sizeof(cs.lang));
	assert_json_roundtrip(&cs, T0);
	cs.grid = grid_index("puchengcun");
	assert_json_roundtrip(&cs, T0);
	conv_state_clear(&cs);
	assert_null(cs.description);
}

/* Ids, not indexes: a changed config maps them back, unknown ones to -1. */
static void
test_json_ids(void **state)
{
	struct conv_state	 cs, back;
	json_t			*j;

	(void)state;
	conv_state_init(&cs);
	cs.cfg = cfg;
	cs.category = cat_index("road");
	cs.grid = grid_index("dazhao");
	cs.township = town_index("wanglou");
	j = conv_state_to_json(&cs);
	assert_string_equal(json_string_value(json_object_get(j, "category")), "road");
	assert_string_equal(json_string_value(json_object_get(j, "grid")), "dazhao");
	assert_string_equal(json_string_value(json_object_get(j, "township")), "wanglou");
	assert_true(json_is_null(json_object_get(j, "description")));
	json_object_set_new(j, "category", json_string("gone"));
	json_object_set_new(j, "grid", json_string("nowhere"));
	assert_int_equal(conv_state_from_json(cfg, DS_ASK_CATEGORY, j, T0, &back), 0);
	assert_int_equal(back.category, -1);
	assert_int_equal(back.grid, -1);
	assert_int_equal(back.township, town_index("wanglou"));
	assert_int_equal(back.state, DS_ASK_CATEGORY);
	assert_int_equal(back.updated_at, T0);
	conv_state_clear(&back);
	json_decref(j);
}

struct bad_json {
	const char	*json;
	int		 rc;
};

static const struct bad_json json_rows[] = {
	{ "{}", 0 },
	{ "{\"category\": null, \"lang\": \"zh\"}", 0 },
	{ "{\"category\": 3}", -1 },
	{ "{\"grid\": true}", -1 },
	{ "{\"description\": []}", -1 },
	{ "{\"asked\": \"2\"}", -1 },
	{ "{\"lang\": \"fr\"}", -1 },
	{ "[]", -1 },
	{ "\"x\"", -1 },
};

static void
test_json_rows(void **state)
{
	struct conv_state	 cs;
	json_t			*j;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(json_rows); i++) {
		j = json_loads(json_rows[i].json, JSON_DECODE_ANY, NULL);
		assert_non_null(j);
		if (conv_state_from_json(cfg, DS_ASK_PLACE, j, T0, &cs) != json_rows[i].rc)
			fail_msg("%s: want %d", json_rows[i].json, json_rows[i].rc);
		conv_state_clear(&cs);
		json_decref(j);
	}
	assert_int_equal(conv_state_from_json(cfg, DS_ASK_PLACE, NULL, T0, &cs), -1);
	j = json_object();
	assert_int_equal(conv_state_from_json(cfg, (enum dialog_state)9, j, T0, &cs), -1);
	assert_int_equal(conv_state_from_json(NULL, DS_ASK_PLACE, j, T0, &cs), -1);
	json_decref(j);
}

static void
test_state_names(void **state)
{
	enum dialog_state	 s, back;

	(void)state;
	for (s = DS_IDLE; s <= DS_ASK_DESCRIPTION; s++) {
		assert_int_equal(dialog_state_parse(dialog_state_name(s), &back), 0);
		assert_int_equal(back, s);
	}
	assert_string_equal(dialog_state_name(DS_ASK_PLACE), "ask_place");
	assert_int_equal(dialog_state_parse("asking", &back), -1);
	assert_int_equal(dialog_state_parse(NULL, &back), -1);
}

/* --- purity and fitting ------------------------------------------------- */

/*
 * A new case alerts its grid's lead and each grid deputy on duty that day
 * (王楼村: 王代表 leads, 韩代表 on Wednesdays), each with the same alert.
 */
struct duty_row {
	const char	*text;
	int		 weekday;
	const char	*want;		/* deputies alerted, " "-separated, in order */
};

static void
test_duty_day_alerts(void **state)
{
	static const struct duty_row rows[] = {
		{ "王楼村停水了", 3, "d-wang d-han" },
		{ "王楼村停水了", 2, "d-wang" },
		{ "王楼村停水了", 4, "d-wang" },
		{ "王楼村停水了", 0, "d-wang" },
		{ "王楼村停水了", 7, "d-wang" },
		{ "刘辛店村路灯不亮", 3, "d-niu" },
		{ "杨集村路灯不亮", 3, "d-ma" },
		{ "王楼村停水两天了，没水做饭", 3, "d-wang d-han" },
	};
	const struct dialog_result *r;
	const char		*alert = NULL;
	struct talk		 t;
	char			 got[128];
	size_t			 i, k;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		talk_init(&t);
		t.weekday = rows[i].weekday;
		r = talk_say(&t, rows[i].text);
		assert_non_null(created(r));
		got[0] = '\0';
		alert = NULL;
		for (k = 0; k < r->neffects; k++) {
			const struct effect *e = &r->effects[k];

			if (e->kind != EFF_NOTIFY_DEPUTY)
				continue;
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
			    got[0] != '\0' ? " " : "", e->deputy);
			assert_int_equal(e->number, created(r)->number);
			if (alert == NULL)
				alert = e->text;
			assert_string_equal(e->text, alert);	/* the same alert */
		}
		if (strcmp(got, rows[i].want) != 0) {
			print_message("\"%s\" day %d: %s, want %s\n", rows[i].text,
			    rows[i].weekday, got, rows[i].want);
			fail();
		}
		/* the case is the lead's */
		assert_int_equal(strncmp(rows[i].want, created(r)->c.deputy,
		    strlen(created(r)->c.deputy)), 0);
		talk_end(&t);
	}
}

/*
 * 找代表 / DEPUTY (代表亮身份): the grid's deputies with their phones, the
 * duty deputy of the day, how to raise a request; the grid named, else the
 * group's, else the latest case's, else the resident is asked.
 */
struct find_row {
	const char	*text;
	int		 weekday;
	int		 grid_hint;	/* grid index + 1, 0 none */
	bool		 has_case;	/* a case of liuxindian on file */
	const char	*want[4];	/* in the reply */
	const char	*not;		/* not in the reply, or NULL */
};

static void
test_find_deputy(void **state)
{
	static const struct case_brief old[] = {
		{ 3, "closed", "water", "liuxindian", "d-niu", "water", T0 - 86400, 0 },
	};
	static const struct find_row rows[] = {
		{ "找代表王楼村", 3, 0, false, { "王楼村的人大代表", "王代表 13600136000",
		  "韩代表 15900135900", "今天值班：韩代表" }, NULL },
		{ "找代表 王楼", 2, 0, false, { "王代表 13600136000", "韩代表 15900135900",
		  "发来诉求" }, "值班" },
		{ "找代表", 3, 0, true, { "刘辛店村", "牛代表 13900139000" }, "值班" },
		{ "我的代表", 3, 1, true, { "刘辛店村", "牛代表 13900139000" }, NULL },
		{ "找代表", 3, 0, false, { "找代表刘辛店村" }, "13" },
		{ "联系代表大赵村", 1, 0, false, { "郭代表 13500135000" }, NULL },
		{ "DEPUTY Dazhao", 1, 0, false, { "Deputies of Dazhao:", "13500135000",
		  "send it" }, NULL },
		{ "deputy", 3, 0, false, { "Send DEPUTY and your village" }, NULL },
		{ "mydeputy", 3, 1, false, { "Deputies of Liuxindian Village", "Deputy Niu 13900139000" }, NULL },
		{ "找代表杨集村", 3, 0, false, { "马代表 13700137000", "赵代表 13900139001" },
		  "值班" },
	};
	const struct dialog_result *r;
	const char		*reply;
	struct talk		 t;
	size_t			 i, k, n;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		talk_init(&t);
		t.weekday = rows[i].weekday;
		t.grid_hint = rows[i].grid_hint - 1;
		if (rows[i].has_case) {
			t.cases = old;
			t.ncases = nitems(old);
		}
		r = talk_say(&t, rows[i].text);
		for (k = 0, n = 0, reply = NULL; k < r->neffects; k++) {
			assert_int_not_equal(r->effects[k].kind, EFF_CASE_CREATE);
			if (r->effects[k].kind == EFF_REPLY) {
				reply = r->effects[k].text;
				n++;
			}
		}
		assert_int_equal(n, 1);
		assert_true(utf8_sms_segments(reply) <= 2);
		for (k = 0; k < nitems(rows[i].want) && rows[i].want[k] != NULL; k++)
			if (strstr(reply, rows[i].want[k]) == NULL) {
				print_message("\"%s\": \"%s\" not in \"%s\"\n",
				    rows[i].text, rows[i].want[k], reply);
				fail();
			}
		if (rows[i].not != NULL && strstr(reply, rows[i].not) != NULL) {
			print_message("\"%s\": \"%s\" in \"%s\"\n", rows[i].text,
			    rows[i].not, reply);
			fail();
		}
		assert_int_equal(r->conv.state, DS_IDLE);
		talk_end(&t);
	}
	/* words after 找代表 that are no place are a request, not the command */
	talk_init(&t);
	r = talk_say(&t, "找代表反映王楼村路灯坏了");
	assert_non_null(created(r));
	talk_end(&t);
}

/*
 * Who the alert says wrote: the whole number to call back, a group
 * member by the bridge's display name and mobile, never the member id.
 */
struct who_row {
	const char	*address;
	const char	*callback;
	const char	*name;
	const char	*want;
	const char	*not;
};

static void
test_alert_names_the_resident(void **state)
{
	static const struct who_row rows[] = {
		{ RESIDENT, NULL, NULL, "群众13800138000。", "****" },
		{ "groups:wx-zhang", "+8613800138000", "张大姐", "群众张大姐 13800138000。",
		  "wx-zhang" },
		{ "groups:wx-zhang", NULL, "张大姐", "群众张大姐。", "wx-zhang" },
		{ "groups:wx-zhang", NULL, "", "群众groups:wx-zhang。", NULL },
		{ "groups:wx-li", "+8613800138001", "一个名字特别特别特别特别特别长的群成员呢",
		  "群众一个名字特别特别特别特别特别长… 13800138001。", NULL },
		{ "+12015550123", NULL, NULL, "群众+12015550123。", NULL },
	};
	const struct dialog_result *r;
	const struct effect	*alert;
	struct dialog_input	 in;
	struct talk		 t;
	size_t			 i, k;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		talk_init(&t);
		t.address = rows[i].address;
		talk_input(&t, "刘辛店村村口路灯不亮", &in);
		in.callback = rows[i].callback;
		in.sender_name = rows[i].name;
		assert_int_equal(dialog_step(cfg, tix, &in, &t.res), 0);
		r = &t.res;
		for (k = 0, alert = NULL; k < r->neffects; k++)
			if (r->effects[k].kind == EFF_NOTIFY_DEPUTY)
				alert = &r->effects[k];
		assert_non_null(alert);
		assert_contains(alert->text, rows[i].want);
		assert_true(utf8_sms_segments(alert->text) <= 2);
		if (rows[i].not != NULL && strstr(alert->text, rows[i].not) != NULL) {
			print_message("\"%s\" in \"%s\"\n", rows[i].not, alert->text);
			fail();
		}
		conv_state_clear(&in.conv);
		talk_end(&t);
	}
}

/*
 * A whole request (hotline, 代办) that names no place goes to the grid the
 * shell suggests (the filer's); a named place or township still wins.
 */
static void
test_direct_grid_hint(void **state)
{
	static const struct {
		const char	*text;
		const char	*hint;		/* grid id, or NULL */
		const char	*grid;		/* the case's, or NULL */
		const char	*township;	/* the case's, or NULL */
	} rows[] = {
		{ "家里老人行动不便，想申请助餐", "liuxindian", "liuxindian", "yangji" },
		{ "王楼村家里老人想申请助餐", "liuxindian", "wanglou", "wanglou" },
		{ "王楼镇家里老人想申请助餐", "liuxindian", NULL, "wanglou" },
		{ "家里老人行动不便，想申请助餐", NULL, NULL, NULL },
	};
	const struct dialog_result *r;
	const struct effect	*c;
	struct talk		 t;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		struct dialog_input	 in;

		talk_init(&t);
		talk_input(&t, rows[i].text, &in);
		in.direct = true;
		in.grid_hint = rows[i].hint != NULL ?
		    (int)(config_grid(cfg, rows[i].hint) - cfg->grids) : -1;
		assert_int_equal(dialog_step(cfg, tix, &in, &t.res), 0);
		r = &t.res;
		c = created(r);
		assert_int_equal(c->c.category, cat_index("elderly"));
		if (rows[i].grid != NULL)
			assert_string_equal(cfg->grids[c->c.grid].id, rows[i].grid);
		else
			assert_int_equal(c->c.grid, -1);
		if (rows[i].township != NULL)
			assert_string_equal(cfg->townships[c->c.township].id,
			    rows[i].township);
		else
			assert_int_equal(c->c.township, -1);
		conv_state_clear(&in.conv);
		talk_end(&t);
	}
}

/* The same input twice gives the same result (talk_say checks every step;
 * here also across a fresh input built the same way). */
static void
test_purity(void **state)
{
	struct dialog_input	 in;
	struct dialog_result	 a, b;
	struct talk		 t;

	(void)state;
	talk_init(&t);
	t.cases = my_cases;
	t.ncases = nitems(my_cases);
	talk_input(&t, "颜村铺的电线掉下来了，很危险！！！", &in);
	assert_int_equal(dialog_step(cfg, tix, &in, &a), 0);
	assert_int_equal(dialog_step(cfg, tix, &in, &b), 0);
	assert_result_equal(&a, &b);
	assert_int_equal(created(&a)->c.category, cat_index("safety"));
	dialog_result_clear(&a);
	dialog_result_clear(&b);
	talk_end(&t);
}

/* A message read beforehand (dialog_parse, as the webhook threads do)
 * steps exactly as one the step reads itself. */
static void
test_parsed_same(void **state)
{
	static const char *const texts[] = {
		"颜村铺的电线掉下来了，很危险！！！", "王楼村停水了", "路灯",
		"你好", "查询", "查询 42", "取消#7", "2", "第二项", "退订", "STOP",
		"The street light on Wanglou road is broken", "hi", "",
		"  　", "帮助", "颜村铺",
	};
	struct dialog_input	 in;
	struct dialog_result	 a, b;
	struct dialog_msg	*dm;
	struct talk		 t;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(texts); i++) {
		talk_init(&t);
		t.cases = my_cases;
		t.ncases = nitems(my_cases);
		talk_input(&t, texts[i], &in);
		rc = dialog_step(cfg, tix, &in, &a);	/* -1: nothing usable */
		dm = dialog_parse(cfg, tix, texts[i]);
		assert_non_null(dm);
		in.msg = dm;
		assert_int_equal(dialog_step(cfg, tix, &in, &b), rc);
		assert_result_equal(&a, &b);
		dialog_msg_free(dm);
		dialog_result_clear(&a);
		dialog_result_clear(&b);
		talk_end(&t);
	}
	assert_null(dialog_parse(cfg, tix, NULL));
}

/* Many long categories: the numbered list still fits, names cut short. */
static void
test_long_category_list(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*big;
	struct text_index	*bix;
	struct dialog_input	 in;
	struct dialog_result	 r;
	json_t			*root, *cats, *cat;
	char			 id[32];
	int			 i;

	(void)state;
	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	cats = json_object_get(root, "categories");
	for (i = 0; i < 12; i++) {
		snprintf(id, sizeof(id), "extra%d", i);
		cat = json_pack("{s:s, s:s, s:s, s:[s], s:i}", "id", id,
		    "name", "农村集体经济组织和土地承包经营管理", "name_en",
		    "Rural collective economy and land contracts",
		    "keywords", id, "tier", 2);
		json_array_append_new(cats, cat);
	}
	big = config_of_json(root, &errs);
	bix = text_index_new(big);
	memset(&in, 0, sizeof(in));
	in.now = T0;
	in.address = RESIDENT;
	in.text = "这个问题好几天了一直没人管";
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	assert_int_equal(dialog_step(big, bix, &in, &r), 0);
	assert_int_equal(r.conv.state, DS_ASK_CATEGORY);
	assert_true(utf8_sms_segments(reply_of(&r)) <= 2);
	assert_contains(reply_of(&r), "1 路");
	assert_contains(reply_of(&r), "20 ");
	dialog_result_clear(&r);
	in.text = "Nobody has done anything about it for weeks";
	assert_int_equal(dialog_step(big, bix, &in, &r), 0);
	assert_true(utf8_sms_segments(reply_of(&r)) <= 2);
	assert_contains(reply_of(&r), "20 ");
	dialog_result_clear(&r);
	text_index_free(bix);
	config_free(big);
}

/* --- dialog_render ------------------------------------------------------ */

static void
test_render(void **state)
{
	const char	*vars[] = { "number", "42", "deputy", "牛代表", NULL };
	const char	*cut[] = { "number", NULL };
	char		*s;

	(void)state;
	s = dialog_render(cfg, "zh", "not_found", vars);
	assert_string_equal(s, "未找到诉求42，请核对编号。");
	free(s);
	s = dialog_render(cfg, "en", "cancelled", vars);
	assert_string_equal(s, "Case 42 is withdrawn.");
	free(s);
	/* a placeholder without a value stays as written */
	s = dialog_render(cfg, "zh", "cancelled", NULL);
	assert_string_equal(s, "诉求{number}已撤回。");
	free(s);
	s = dialog_render(cfg, "zh", "cancelled", cut);	/* odd list: ignored */
	assert_string_equal(s, "诉求{number}已撤回。");
	free(s);
}

/* A config's override: {{number}} and stray braces stay literal. */
static void
test_render_override(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*c;
	json_t			*root;
	const char		*vars[] = { "number", "7", NULL };
	char			*s;

	(void)state;
	root = json_load_file(EXAMPLE, 0, NULL);
	assert_non_null(root);
	json_object_set_new(root, "templates", json_pack("{s:{s:s}}", "zh",
	    "cancelled", "{number}号已撤回 {} {{number}} {number"));
	c = config_of_json(root, &errs);
	s = dialog_render(c, "zh", "cancelled", vars);
	assert_string_equal(s, "7号已撤回 {} {7} {number");
	free(s);
	s = dialog_render(c, "en", "cancelled", vars);
	assert_string_equal(s, "Case 7 is withdrawn.");
	free(s);
	config_free(c);
}

/* --- scripted conversations: tests/dialogs/NAME.script ------------------- */

#define SCRIPTS		"tests/dialogs"
#define SCRIPTS_MAX	64
#define SCRIPT_CASES	16

static char	*scripts[SCRIPTS_MAX];	/* paths, from malloc() */
static size_t	 nscripts;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
scripts_load(void)
{
	DIR		*d = opendir(SCRIPTS);
	struct dirent	*de;
	size_t		 n;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && nscripts < SCRIPTS_MAX) {
		n = strlen(de->d_name);
		if (n > 7 && strcmp(de->d_name + n - 7, ".script") == 0)
			scripts[nscripts++] = xasprintf("%s/%s", SCRIPTS, de->d_name);
	}
	closedir(d);
	qsort(scripts, nscripts, sizeof(*scripts), cmp_str);
}

/* An id from a script, "-" for none: its index or -1. */
static int
script_index(const char *kind, const char *id)
{
	if (strcmp(id, "-") == 0)
		return -1;
	if (strcmp(kind, "cat") == 0)
		return cat_index(id);
	if (strcmp(kind, "grid") == 0)
		return grid_index(id);
	return town_index(id);
}

/* "case key=value ...": the case created in the last step. */
static void
script_case(const char *where, const struct dialog_result *r, char *args)
{
	const struct effect	*c = effect_of(r, EFF_CASE_CREATE);
	char			*tok, *val, *save = NULL;
	bool			 ok = true;

	if (c == NULL)
		fail_msg("%s: no case created", where);
	for (tok = strtok_r(args, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if ((val = strchr(tok, '=')) == NULL)
			fail_msg("%s: bad \"%s\"", where, tok);
		*val++ = '\0';
		if (strcmp(tok, "cat") == 0)
			ok = c->c.category == script_index(tok, val);
		else if (strcmp(tok, "grid") == 0)
			ok = c->c.grid == script_index(tok, val);
		else if (strcmp(tok, "township") == 0)
			ok = c->c.township == script_index(tok, val);
		else if (strcmp(tok, "deputy") == 0)
			ok = str_eq(c->c.deputy, val);
		else if (strcmp(tok, "triage") == 0)
			ok = c->c.triage == (strcmp(val, "yes") == 0);
		else if (strcmp(tok, "desc") == 0)
			ok = strstr(c->description, val) != NULL;
		else if (strcmp(tok, "place") == 0)
			ok = str_eq(c->place, val);
		else
			fail_msg("%s: unknown case field \"%s\"", where, tok);
		if (!ok)
			fail_msg("%s: case %s is not %s", where, tok, val);
	}
}

/* "mycase N STATUS [CATEGORY [DEPUTY [DEPARTMENT]]]" ("-": none). */
static void
script_mycase(const char *where, char *args, struct case_brief *cb, char **strs)
{
	char	*f[6] = { NULL }, *save = NULL;
	size_t	 n = 0, i;

	for (f[0] = strtok_r(args, " ", &save); f[n] != NULL && n + 1 < nitems(f); )
		f[++n] = strtok_r(NULL, " ", &save);
	if (n < 2)
		fail_msg("%s: mycase needs a number and a status", where);
	memset(cb, 0, sizeof(*cb));
	cb->number = strtol(f[0], NULL, 10);
	for (i = 1; i < 5; i++)
		strs[i - 1] = i < n && strcmp(f[i], "-") != 0 ? xstrdup(f[i]) : NULL;
	cb->status = strs[0];
	cb->category = strs[1];
	cb->deputy = strs[2];
	cb->department = strs[3];
	cb->created_at = T0;
}

static void
test_script(void **state)
{
	const char		*path = *state;
	struct case_brief	 cases[SCRIPT_CASES];
	char			*strs[SCRIPT_CASES * 4] = { NULL };
	char			 line[1024], where[256], *arg, *sp;
	const struct effect	*e;
	struct talk		 t;
	FILE			*f;
	size_t			 ncases = 0, i;
	int			 lineno = 0;
	bool			 said = false;

	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: cannot open", path);
	talk_init(&t);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		arg = (sp = strchr(line, ' ')) != NULL ? sp + 1 : line + strlen(line);
		if (strncmp(line, "> ", 2) == 0) {
			talk_say(&t, arg);
			said = true;
			continue;
		}
		if (!said && strncmp(line, "mycase ", 7) != 0)
			fail_msg("%s: nothing said yet", where);
		if (strncmp(line, "< ", 2) == 0) {
			if ((e = effect_of(&t.res, EFF_REPLY)) == NULL ||
			    strstr(e->text, arg) == NULL)
				fail_msg("%s: reply \"%s\" lacks \"%s\"", where,
				    e != NULL ? e->text : "(none)", arg);
		} else if (strncmp(line, "state ", 6) == 0) {
			if (strcmp(dialog_state_name(t.res.conv.state), arg) != 0)
				fail_msg("%s: state %s, not %s", where,
				    dialog_state_name(t.res.conv.state), arg);
		} else if (strncmp(line, "case ", 5) == 0) {
			script_case(where, &t.res, arg);
		} else if (strcmp(line, "nocase") == 0) {
			if (effect_of(&t.res, EFF_CASE_CREATE) != NULL)
				fail_msg("%s: a case was created", where);
		} else if (strncmp(line, "alert ", 6) == 0) {
			if ((sp = strchr(arg, ' ')) == NULL)
				fail_msg("%s: alert DEPUTY TEXT", where);
			*sp++ = '\0';
			if ((e = effect_of(&t.res, EFF_NOTIFY_DEPUTY)) == NULL ||
			    strcmp(e->deputy, arg) != 0 || strstr(e->text, sp) == NULL)
				fail_msg("%s: no alert to %s with \"%s\" (%s)", where,
				    arg, sp, e != NULL ? e->text : "none");
		} else if (strncmp(line, "wait ", 5) == 0) {
			t.now += strtol(arg, NULL, 10) * MINUTE;
		} else if (strncmp(line, "mycase ", 7) == 0) {
			if (ncases == SCRIPT_CASES)
				fail_msg("%s: too many cases", where);
			script_mycase(where, arg, &cases[ncases], &strs[ncases * 4]);
			ncases++;
			t.cases = cases;
			t.ncases = ncases;
		} else if (strncmp(line, "cancel ", 7) == 0) {
			if ((e = effect_of(&t.res, EFF_CASE_CANCEL)) == NULL ||
			    e->number != strtol(arg, NULL, 10))
				fail_msg("%s: case %s not cancelled", where, arg);
		} else if (strcmp(line, "optout") == 0 || strcmp(line, "optin") == 0) {
			if (effect_of(&t.res, line[3] == 'o' ? EFF_OPT_OUT : EFF_OPT_IN) == NULL)
				fail_msg("%s: no %s", where, line);
		} else
			fail_msg("%s: unknown line \"%s\"", where, line);
	}
	fclose(f);
	assert_true(said);
	talk_end(&t);
	for (i = 0; i < nitems(strs); i++)
		free(strs[i]);
}

static void
test_scripts_present(void **state)
{
	(void)state;
	assert_true(nscripts >= 1);
}

/* --- main --------------------------------------------------------------- */

static int
setup(void **state)
{
	struct config_errors	 errs = { 0 };

	(void)state;
	cfg = config_load(EXAMPLE, &errs);
	if (cfg == NULL) {
		size_t i;
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
	size_t	 i;

	(void)state;
	text_index_free(tix);
	config_free(cfg);
	for (i = 0; i < nscripts; i++)
		free(scripts[i]);
	for (i = 0; i < ncorpus; i++) {
		free(corpus[i].text);
		free(corpus[i].category);
		free(corpus[i].place);
		free(corpus[i].name);
	}
	return 0;
}

#define ROWS(arr, fn, fmt, field)	do {				\
	for (i = 0; i < nitems(arr); i++) {				\
		memset(&tests[n], 0, sizeof(tests[n]));			\
		names[nn] = xasprintf(fmt, (arr)[i].field);		\
		tests[n].name = names[nn++];				\
		tests[n].test_func = fn;				\
		tests[n].initial_state = ROW(&(arr)[i]);		\
		n++;							\
	}								\
} while (0)

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_corpus_present),
		cmocka_unit_test(test_parsed_same),
		cmocka_unit_test(test_scripts_present),
		cmocka_unit_test(test_one_shot_case),
		cmocka_unit_test(test_fix_rows),
		cmocka_unit_test(test_fix_category_holding_a_place_word),
		cmocka_unit_test(test_fix_asked),
		cmocka_unit_test(test_guess_says_how_to_fix),
		cmocka_unit_test(test_first_deputy),
		cmocka_unit_test(test_member_id_not_masked),
		cmocka_unit_test(test_no_text),
		cmocka_unit_test(test_three_turns),
		cmocka_unit_test(test_learned_category),
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_learned_from_cases),
		cmocka_unit_test(test_learned_few_cases),
		cmocka_unit_test(test_learned_shared_words),
		cmocka_unit_test(test_english_names),
		cmocka_unit_test(test_two_problems),
		cmocka_unit_test(test_category_answer_joined),
		cmocka_unit_test(test_other_category),
		cmocka_unit_test(test_place_homophone_tie),
		cmocka_unit_test(test_keyword_inside_longer),
		cmocka_unit_test(test_category_homophone_tie),
		cmocka_unit_test(test_place_masked),
		cmocka_unit_test(test_keyword_in_passing),
		cmocka_unit_test(test_grasp_rows),
		cmocka_unit_test(test_answer_rows),
		cmocka_unit_test(test_sound_answer_rows),
		cmocka_unit_test(test_category_given_up),
		cmocka_unit_test(test_category_given_up_then_place),
		cmocka_unit_test(test_request_elsewhere),
		cmocka_unit_test(test_request_restated),
		cmocka_unit_test(test_place_by_township),
		cmocka_unit_test(test_township_in_first_message),
		cmocka_unit_test(test_place_number_without_list),
		cmocka_unit_test(test_triage),
		cmocka_unit_test(test_triage_township_guess),
		cmocka_unit_test(test_description_asked),
		cmocka_unit_test(test_description_category_word),
		cmocka_unit_test(test_description_guess),
		cmocka_unit_test(test_category_only),
		cmocka_unit_test(test_request_needs),
		cmocka_unit_test(test_description_then_category),
		cmocka_unit_test(test_description_given_up),
		cmocka_unit_test(test_description_joined),
		cmocka_unit_test(test_long_description),
		cmocka_unit_test(test_command_mid_dialog),
		cmocka_unit_test(test_full_request_mid_dialog),
		cmocka_unit_test(test_cancel_intake),
		cmocka_unit_test(test_expired_answer),
		cmocka_unit_test(test_not_expired_yet),
		cmocka_unit_test(test_expired_then_request),
		cmocka_unit_test(test_english_case),
		cmocka_unit_test(test_english_dialog),
		cmocka_unit_test(test_number_keeps_language),
		cmocka_unit_test(test_chinese_sets_zh),
		cmocka_unit_test(test_cancel_not_own),
		cmocka_unit_test(test_status_none),
		cmocka_unit_test(test_command_word_in_request),
		cmocka_unit_test(test_stop_start),
		cmocka_unit_test(test_second_request),
		cmocka_unit_test(test_duplicate_own),
		cmocka_unit_test(test_duplicate_others),
		cmocka_unit_test(test_group_chatter),
		cmocka_unit_test(test_group_answer),
		cmocka_unit_test(test_group_grid_hint),
		cmocka_unit_test(test_json_roundtrip),
		cmocka_unit_test(test_json_ids),
		cmocka_unit_test(test_json_rows),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_purity),
		cmocka_unit_test(test_duty_day_alerts),
		cmocka_unit_test(test_find_deputy),
		cmocka_unit_test(test_alert_names_the_resident),
		cmocka_unit_test(test_direct_grid_hint),
		cmocka_unit_test(test_long_category_list),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_override),
	};
	struct CMUnitTest	 tests[nitems(fixed) + CORPUS_MAX + SCRIPTS_MAX + nitems(greetings) +
				    nitems(category_answers) + nitems(place_answers) +
				    nitems(commands)];
	char			*names[nitems(tests)];
	size_t			 i, n = 0, nn = 0;
	int			 rc;

	log_init(-1);
	corpus_load();
	scripts_load();
	for (i = 0; i < nitems(fixed); i++)
		tests[n++] = fixed[i];
	for (i = 0; i < ncorpus; i++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = corpus[i].name;
		tests[n].test_func = test_corpus_row;
		tests[n].initial_state = ROW(&corpus[i]);
		n++;
	}
	for (i = 0; i < nscripts; i++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = scripts[i];
		tests[n].test_func = test_script;
		tests[n].initial_state = scripts[i];
		n++;
	}
	ROWS(greetings, test_greeting, "greeting: %s", text);
	ROWS(category_answers, test_category_answer, "category answer: %s", answer);
	ROWS(place_answers, test_place_answer, "place answer: %s", answer);
	ROWS(commands, test_command, "command: %s", text);
	rc = _cmocka_run_group_tests("dialog", tests, n, setup, teardown);
	for (i = 0; i < nn; i++)
		free(names[i]);
	return rc;
}
