/*
 * dialogs/resident.c: the resident dialog (群众点单).  A resident's message
 * is a command (查询/进度 [N], 取消 N, 帮助, 退订, 订阅, and STATUS/QUERY,
 * CANCEL, HELP, STOP, START), the answer to the question the conversation
 * waits on, or a new request.  A request is filled from the text at once
 * where it can be (category, place, description); what is missing is
 * asked, one question a message, in the order description, category,
 * place.  As soon as the three are known the case is created, the
 * resident gets its number and the deputy an alert.  A question that goes
 * unanswered ASK_MAX times is given up: the category stays unsorted, an
 * unknown place sends the case to a township chair for triage.
 *
 * The conversation is an explicit state machine: enum dialog_state, the
 * table rows[] of {state, check, proceed, give_up, ask} and
 * dialog_enter_state(), which every change goes through.  Commands are a
 * table too (commands[]).  Pure: time, the conversation and the
 * resident's cases come in dialog_input; the result is the next
 * conversation plus effects that the shell applies in one transaction.
 * Every text comes from the templates and fits two SMS segments.
 */
#include "dialogs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASK_MAX		 3	/* unanswered questions before a field is given up */
#define SMS_GSM_MAX	 (2 * 153)	/* characters in two GSM-7 parts */
#define SMS_UCS_MAX	 (2 * 67)	/* UTF-16 units in two UCS-2 parts */
#define DESC_MAX_UNITS	 600	/* a description is kept to this many UTF-16 units */
#define ALERTED_MAX	 16	/* deputies one new case alerts */
#define RESIDENT_LABEL_MAX 128	/* a resident's name and number in an alert */
#define SENDER_NAME_UNITS 16	/* a group member's display name in an alert, UTF-16 units */
#define PLACE_WORDS_MAX	 16	/* place words kept for a triage case, UTF-16 units */
#define DESC_MIN_UNITS	 2	/* units that describe, with a place or category */
#define RESTATED_SHARE	 0.5	/* of the open request's character pairs
				 * said again: the same request */
#define REQ_MIN_UNITS_ZH 4	/* without either: fewer CJK units say nothing */
#define REQ_MIN_WORDS_EN 3	/* the same in English words */
#define FIT_VARS_MAX	 16	/* placeholders render_fit() takes */
#define NUM_MAX		 24	/* room for a case number in decimal */
#define CLASSIFY_TAKE	 0.9	/* the classifier's guess is taken from here */
#define CLASSIFY_PASSING 0.9	/* ... over the clauses before a keyword:
					 * asked with it (msg_passing) */
#define CLASSIFY_LIST	 0.2	/* ... and listed first from here */
#define CLASSIFY_DISSENT 0.99	/* ... and asked beside a keyword from here,
				 * when it all but rules the keyword's out */
#define CLASSIFY_DENIED	 0.001	/* ... that is, leaves it no more than this */
#define DISSENT_UNITS	 140	/* ... in a message no longer (naive Bayes
				 * grows surer with every clause) */
#define CLASSIFY_SECOND	 0.9	/* ... or from here, when the category it
				 * is sure of is the second a keyword names */
#define SECOND_DENIED	 0.05	/* ... leaving the first no more than this */
#define CLASSIFY_ANSWER	 0.5	/* ... and taken from here as the answer to
				   the category question ("路不好走") */
#define ANSWER_LISTED	 3	/* ... when the list shown had it among its
				 * first so many, or the request agrees */
#define PLAIN_SURE	 0.99	/* ... nor when the plain reading is less
				 * sure than this */
#define PLAIN_SURE_EN	 0.9	/* ... in English */
#define PLAIN_WORDS	 30	/* ... in a message of so many characters
				 * or English words at least (a short one
				 * says little else than its problem) */
#define OWN_DISSENT	 0.9	/* ... not taken when this county's words
				 * alone are this sure of another */
#define CLASSIFY_SURE	 0.99	/* a guess taken below it says how to
				 * put it right (case_guessed) */
#define LIST_FIRST	 3	/* categories listed first at most */

/* --- states ------------------------------------------------------------- */

static const char *const state_names[] = {
	[DS_IDLE] = "idle",
	[DS_ASK_CATEGORY] = "ask_category",
	[DS_ASK_PLACE] = "ask_place",
	[DS_ASK_DESCRIPTION] = "ask_description"
};

const char *
dialog_state_name(enum dialog_state s)
{
	if ((size_t)s < nitems(state_names))
		return state_names[s];
	return "unknown";
}

int
dialog_state_parse(const char *name, enum dialog_state *s)
{
	size_t	 i;

	for (i = 0; name != NULL && i < nitems(state_names); i++)
		if (strcmp(state_names[i], name) == 0) {
			*s = (enum dialog_state)i;
			return 0;
		}
	return -1;
}

void
conv_state_init(struct conv_state *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->state = DS_IDLE;
	cs->category = -1;
	cs->grid = -1;
	cs->township = -1;
	strlcpy(cs->lang, "zh", sizeof(cs->lang));
}

void
conv_state_clear(struct conv_state *cs)
{
	free(cs->description);
	cs->description = NULL;
}

/* --- the conversation as JSON ------------------------------------------- */

/* An index's id as a new JSON value: the string, or null. */
static json_t *
json_id(const char *id)
{
	return id != NULL ? json_string(id) : json_null();
}

json_t *
conv_state_to_json(const struct conv_state *cs)
{
	const struct config	*cfg = cs->cfg;
	const char		*cat = NULL, *grid = NULL, *town = NULL;
	json_t			*j, *a;
	size_t			 i;

	/* Without the config an index cannot become an id: stored as null. */
	if (cfg != NULL) {
		if (cs->category >= 0 && (size_t)cs->category < cfg->ncategories)
			cat = cfg->categories[cs->category].id;
		if (cs->grid >= 0 && (size_t)cs->grid < cfg->ngrids)
			grid = cfg->grids[cs->grid].id;
		if (cs->township >= 0 && (size_t)cs->township < cfg->ntownships)
			town = cfg->townships[cs->township].id;
	}
	j = json_pack("{s:o, s:o, s:o, s:o, s:i, s:s}",
	    "category", json_id(cat), "grid", json_id(grid),
	    "township", json_id(town), "description", json_id(cs->description),
	    "asked", cs->asked, "lang", cs->lang);
	if (cfg == NULL)
		return j;
	if (cs->nchoices > 0) {
		a = json_array();
		for (i = 0; i < cs->nchoices; i++)
			json_array_append_new(a, json_string(
			    cfg->categories[cs->choices[i]].id));
		json_object_set_new(j, "choices", a);
	}
	if (cs->nplaces > 0) {
		a = json_array();
		for (i = 0; i < cs->nplaces; i++)
			json_array_append_new(a, json_string(cfg->grids[cs->places[i]].id));
		json_object_set_new(j, "places", a);
	}
	if (cs->other)
		json_object_set_new(j, "other", json_true());
	if (cs->fix > 0)
		json_object_set_new(j, "fix", json_integer(cs->fix));
	return j;
}

/*
 * The ids of array key in data into idx (at most max), as indexes into
 * grids (grids true) or categories: 0 with *n set (0 when absent, or when an id is
 * no longer in the config: the list is then forgotten), -1 when it is
 * not an array of strings.
 */
static int
json_ids(const struct config *cfg, json_t *data, const char *key, int *idx,
    size_t max, size_t *n, bool grids)
{
	json_t		*a = json_object_get(data, key), *v;
	const struct category *c;
	const struct grid *g;
	size_t		 i;

	*n = 0;
	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return -1;
		if (i >= max) {
			*n = 0;
			return 0;
		}
		if (grids && (g = config_grid(cfg, json_string_value(v))) != NULL)
			idx[i] = (int)(g - cfg->grids);
		else if (!grids &&
		    (c = config_category(cfg, json_string_value(v))) != NULL)
			idx[i] = (int)(c - cfg->categories);
		else {
			*n = 0;
			return 0;
		}
		*n = i + 1;
	}
	return 0;
}

/*
 * The string at key in data: 0 with *s borrowed (NULL when absent or
 * null), -1 when it is something else.
 */
static int
json_opt_string(json_t *data, const char *key, const char **s)
{
	json_t	*v = json_object_get(data, key);

	*s = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*s = json_string_value(v);
	return 0;
}

int
conv_state_from_json(const struct config *cfg, enum dialog_state state,
    json_t *data, int64_t updated_at, struct conv_state *cs)
{
	const struct category	*c;
	const struct grid	*g;
	const struct township	*t;
	const char		*cat, *grid, *town, *desc, *lang;
	json_t			*asked, *other, *fix;

	conv_state_init(cs);
	if (cfg == NULL || !json_is_object(data) || (size_t)state >= nitems(state_names))
		return -1;
	if (json_opt_string(data, "category", &cat) != 0 ||
	    json_opt_string(data, "grid", &grid) != 0 ||
	    json_opt_string(data, "township", &town) != 0 ||
	    json_opt_string(data, "description", &desc) != 0 ||
	    json_opt_string(data, "lang", &lang) != 0)
		return -1;
	asked = json_object_get(data, "asked");
	if (asked != NULL && !json_is_integer(asked))
		return -1;
	if (json_ids(cfg, data, "choices", cs->choices, CONV_CHOICES_MAX,
	    &cs->nchoices, false) != 0 ||
	    json_ids(cfg, data, "places", cs->places, TEXT_CANDS_MAX,
	    &cs->nplaces, true) != 0)
		return -1;
	if ((other = json_object_get(data, "other")) != NULL && !json_is_boolean(other))
		return -1;
	cs->other = other != NULL && json_is_true(other);
	if ((fix = json_object_get(data, "fix")) != NULL &&
	    (!json_is_integer(fix) || json_integer_value(fix) <= 0))
		return -1;
	cs->fix = fix != NULL ? (long)json_integer_value(fix) : 0;
	if (lang != NULL && strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)
		return -1;
	/* Ids the config no longer has read as -1: the question is asked again. */
	if (cat != NULL && (c = config_category(cfg, cat)) != NULL)
		cs->category = (int)(c - cfg->categories);
	if (grid != NULL && (g = config_grid(cfg, grid)) != NULL)
		cs->grid = (int)(g - cfg->grids);
	if (town != NULL && (t = config_township(cfg, town)) != NULL)
		cs->township = (int)(t - cfg->townships);
	if (asked != NULL) {
		json_int_t n = json_integer_value(asked);
		cs->asked = n < 0 ? 0 : n > ASK_MAX ? ASK_MAX : (int)n;
	}
	strlcpy(cs->lang, lang != NULL ? lang : cfg->language != NULL &&
	    strcmp(cfg->language, "en") == 0 ? "en" : "zh", sizeof(cs->lang));
	cs->description = xstrdup(desc);
	cs->state = state;
	cs->updated_at = updated_at;
	cs->cfg = cfg;
	return 0;
}

void
dialog_result_clear(struct dialog_result *res)
{
	size_t	 i;

	for (i = 0; i < res->neffects; i++) {
		free(res->effects[i].text);
		free(res->effects[i].description);
		free(res->effects[i].place);
	}
	free(res->effects);
	conv_state_clear(&res->conv);
	memset(res, 0, sizeof(*res));
	conv_state_init(&res->conv);
}

/* --- one step's working state --------------------------------------------- */

struct dstep;

enum dialog_cmd {
	CMD_STATUS,		/* 查询/进度 [N] */
	CMD_CANCEL,		/* 取消 [N] */
	CMD_HELP,		/* 帮助 */
	CMD_STOP,		/* 退订 */
	CMD_START,		/* 订阅 */
	CMD_DEPUTY		/* 找代表 [村名] */
};

/* A command word (folded) and what it does. */
struct dialog_command {
	const char	*word;		/* as text_fold() writes it */
	enum dialog_cmd	 cmd;
	bool		 number;	/* a case number may follow */
	void		(*run)(struct dstep *);
};

/* The resident's message as the dialog understands it. */
struct dmsg {
	char		*text;		/* as received, trimmed; from malloc() */
	char		*folded;	/* text_fold(text); from malloc() */
	const char	*lang;		/* "zh", "en" as written; NULL: no letters */
	const struct dialog_command *cmd; /* the command it is, or NULL */
	long		 number;	/* the number after the command word, or -1 */
	int		 choice;	/* the text is just this number, or -1 */
	int		 category;	/* named by keyword or name, or -1 */
	int		 cat_cands[TEXT_CANDS_MAX]; /* homophones tied */
	size_t		 ncat_cands;
	bool		 cands_sound;	/* tied by their sound alone */
	int		 grid_cands[TEXT_CANDS_MAX]; /* villages that sound alike */
	size_t		 ngrid_cands;
	bool		 cat_weak;	/* category by a one-character keyword */
	bool		 cat_where;	/* ... or by one that says where */
	bool		 cat_fuzzy;	/* ... or a sound fuzzy pinyin hears */
	char		 heard[64];	/* ... or a keyword's sound: what was
					 * written (路等), folded */
	char		 meant[64];	/* ... and the keyword (路灯) */
	bool		 cat_fuzzy_word; /* ... in a word of its own (技术) */
	bool		 cat_guessed;	/* taken from the classifier */
	size_t		 cat_at;	/* byte offset of the clause naming it */
	int		 guess;		/* the classifier's, or -1 */
	double		 guess_p;	/* its probability */
	int		 grid;		/* named, or -1 */
	int		 township;	/* named or implied by the grid, or -1 */
	bool		 descriptive;	/* says what the matter is */
	bool		 empty;		/* says nothing usable (a greeting) */
};

struct dstep {
	const struct config	*cfg;
	const struct text_index	*ix;
	const struct dialog_input *in;
	struct dialog_result	*res;
	struct conv_state	*cv;	/* &res->conv: the conversation being changed */
	struct dmsg		 m;
	const char		*lang;	/* of the replies: "zh" or "en"; static */
	char			*prefix; /* lapsed sentence before the next reply;
					 * from malloc(), or NULL */
	bool			 desc_ok; /* the first message described the matter */
	bool			 answers; /* the text answers a question, or
					 * corrects a case: not a first message */
	size_t			 ncreated; /* cases made in this step */
	bool			 quiet;	/* the case made says itself in the
					 * prefix, not a reply of its own */
};

static void	 advance(struct dstep *, enum dialog_state);

static void
dialog_enter_state(struct dstep *st, enum dialog_state s)
{
	if (st->cv->state != s)
		log_debug("dialog %s -> %s channel=%s",
		    dialog_state_name(st->cv->state), dialog_state_name(s),
		    st->in->channel != NULL ? st->in->channel : "-");
	st->cv->state = s;
}

/* Forget the request being taken; the language stays. */
static void
conv_reset(struct dstep *st)
{
	dialog_enter_state(st, DS_IDLE);
	free(st->cv->description);
	st->cv->description = NULL;
	st->cv->category = -1;
	st->cv->grid = -1;
	st->cv->township = -1;
	st->cv->asked = 0;
	st->cv->nchoices = 0;
	st->cv->nplaces = 0;
	st->cv->other = false;
	st->cv->fix = 0;
}

/* --- text helpers ------------------------------------------------------- */

static bool
is_space_at(const char *p, size_t *len)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' ||
	    *p == '\f') {
		*len = 1;
		return true;
	}
	if (strncmp(p, "\xe3\x80\x80", 3) == 0) {	/* U+3000 ideographic space */
		*len = 3;
		return true;
	}
	return false;
}

/* text without white space around it; a new string. */
static char *
text_trim(const char *text)
{
	const char	*s = text, *e, *p;
	size_t		 n;

	while (*s != '\0' && is_space_at(s, &n))
		s += n;
	e = s;
	for (p = s; *p != '\0'; ) {
		if (is_space_at(p, &n)) {
			p += n;
			continue;
		}
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
		e = p;
	}
	return xstrndup(s, (size_t)(e - s));
}

static bool
has_ascii_letter(const char *s)
{
	for (; *s != '\0'; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return true;
	return false;
}

/*
 * How much folded text says: one unit per character outside ASCII (a
 * Chinese character), one per run of ASCII letters and digits (a word).
 */
static size_t
text_units(const char *s)
{
	const char	*p = s;
	uint32_t	 cp;
	size_t		 n = 0;
	bool		 word = false;
	int		 r;

	while ((r = utf8_decode(&p, &cp)) != 0) {
		if (r < 0) {
			p++;
			n++;
			word = false;
		} else if (cp < 0x80) {
			if (!word)
				n++;
			word = true;
		} else {
			n++;
			word = false;
		}
	}
	return n;
}

/* Remove every occurrence of key from s, in place. */
static void
strip_all(char *s, const char *key)
{
	size_t	 kl = strlen(key);
	char	*p;

	if (kl == 0)
		return;
	while ((p = strstr(s, key)) != NULL)
		memmove(p, p + kl, strlen(p + kl) + 1);
}

/* s cut to at most units UTF-16 units, then mark; a new string. */
static char *
text_cut(const char *s, size_t units, const char *mark)
{
	size_t	 n = utf8_prefix_units16(s, units);

	return xasprintf("%.*s%s", (int)n, s, mark);
}

/* s, cut with an ellipsis when longer than units; a new string. */
static char *
text_cap(const char *s, size_t units)
{
	if (utf8_units16(s) <= units)
		return xstrdup(s);
	return text_cut(s, units - 1, "…");
}

/*
 * Words that carry no matter of their own, folded: removed before
 * counting what a text says.  Greetings first (they hold fillers).
 */
static const char *const greetings_zh[] = {
	"有人在吗", "在不在", "有人吗", "早上好", "上午好", "下午好", "晚上好",
	"你好", "您好", "在吗", "请问", "哈喽", "谢谢", "喂", "嗨",
	"hello", "hey", "hi"
};
static const char *const fillers_zh[] = {
	"我们", "我家", "咱们", "这里", "这边", "那里", "那边",
	"我", "咱", "在", "是", "的", "了", "啊", "呀", "呢", "吧", "嗯", "哦",
	"哈", "吗"
};
/*
 * Words that ask to report something without saying what: a message of
 * only these (and a place) names no problem ("有点事想反映"), so the
 * dialog asks what it is.  Longest first.
 */
static const char *const vague_zh[] = {
	"有点事", "有件事", "有个事", "想反映", "想反应", "想投诉", "想问问",
	"反映", "反应", "投诉", "举报", "问题", "情况", "事情", "一下", "咨询",
	"求助", "帮忙", "麻烦", "说说", "有事", "事", "想", "要", "请", "个",
	"点"
};
static const char *const vague_en[] = {
	"problem", "issue", "complaint", "report", "want", "something",
	"help", "need", "question"
};

/* Answers that name no place: not kept as the place of a triage case. */
static const char *const no_idea[] = {
	"不知道", "不清楚", "不晓得", "不记得", "忘了", "没有", "不懂", "随便",
	"dontknow", "idontknow", "dunno", "notsure", "unknown", "no", "idk"
};
static const char *const fillers_en[] = {
	"i", "im", "me", "my", "we", "our", "us", "am", "is", "are", "was",
	"the", "a", "an", "in", "at", "on", "of", "to", "from", "here",
	"there", "this", "that", "village", "community", "please", "pls",
	"hi", "hello", "hey", "thanks", "thank", "you", "anyone", "ok"
};

static bool
word_listed(const char *w, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

/* --- the config, as the dialog shows it ------------------------------------ */

static int
grid_township(const struct config *cfg, int g)
{
	const struct township	*t = config_township(cfg, cfg->grids[g].township);

	return t != NULL ? (int)(t - cfg->townships) : -1;
}

/* The k-th (from 1) grid of township t in config order, or -1. */
static int
township_grid(const struct config *cfg, int t, int k)
{
	size_t	 i;

	for (i = 0; t >= 0 && k > 0 && i < cfg->ngrids; i++)
		if (strcmp(cfg->grids[i].township, cfg->townships[t].id) == 0 &&
		    --k == 0)
			return (int)i;
	return -1;
}

/* Who gets a grid's new cases: its first deputy, else its backup, else the
 * township's chair; borrowed from the config, or NULL. */
static const char *
grid_deputy(const struct config *cfg, int g, int t)
{
	if (cfg->grids[g].ndeputies > 0)
		return cfg->grids[g].deputies[0];
	if (cfg->grids[g].backup != NULL)
		return cfg->grids[g].backup;
	return t >= 0 ? cfg->townships[t].chair : NULL;
}

static bool
lang_en(const char *lang)
{
	return strcmp(lang, "en") == 0;
}

/* The category as the resident reads it; a new string. */
static char *
category_label(const struct config *cfg, const char *lang, int c)
{
	const struct category	*cat;

	if (c < 0)
		return dialog_render(cfg, lang, "category_none", NULL);
	cat = &cfg->categories[c];
	return xstrdup(lang_en(lang) && cat->name_en != NULL ? cat->name_en : cat->name);
}

/* A name's ending and what it is in English: 许庄村 is "Xuzhuang Village". */
static const struct {
	const char	*zh;
	const char	*en;
} name_endings[] = {
	{ "居委会", " Community" }, { "社区", " Community" }, { "街道", " Street" },
	{ "村", " Village" }, { "镇", " Town" }, { "乡", " Township" },
	{ "代表", "" }
};

/*
 * A Chinese name as an English reply shows it: its pinyin, the ending
 * in English, the first letter upper case ("许庄村" -> "Xuzhuang
 * Village", "牛代表" -> "Niu").  NULL when the name is not all Han.  A
 * new string.
 */
static char *
pinyin_name(const char *name)
{
	char	*stem, *py, *out;
	size_t	 n = strlen(name), i, l;
	const char *end = "";

	stem = xstrdup(name);
	for (i = 0; i < nitems(name_endings); i++) {
		l = strlen(name_endings[i].zh);
		if (n > l && strcmp(name + n - l, name_endings[i].zh) == 0) {
			stem[n - l] = '\0';
			end = name_endings[i].en;
			break;
		}
	}
	py = text_pinyin_of(stem);
	free(stem);
	if (py[0] == '\0') {
		free(py);
		return NULL;
	}
	py[0] = (char)(py[0] >= 'a' && py[0] <= 'z' ? py[0] - 'a' + 'A' : py[0]);
	out = xasprintf("%s%s", py, end);
	free(py);
	return out;
}

/* Two-character surnames: their bearer's given name follows them. */
static const char *const compound_surnames[] = {
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
	"令狐", "夏侯", "长孙", "宇文", "司徒", "鲜于", "澹台", "西门", "南宫",
	"轩辕", "端木", "独孤", "呼延", "闻人", "申屠", "太史", "百里"
};

/* s's pinyin, the first letter upper case, or NULL when s is not all
 * Han.  A new string. */
static char *
cap_pinyin(const char *s)
{
	char	*py = text_pinyin_of(s);

	if (py[0] < 'a' || py[0] > 'z') {
		free(py);
		return NULL;
	}
	py[0] = (char)(py[0] - 'a' + 'A');
	return py;
}

/*
 * A person's name (a deputy's, 代表 dropped) as English writes it: the
 * surname, a space, the given name ("吴美芳" -> "Wu Meifang", "欧阳春" ->
 * "Ouyang Chun", "牛" -> "Niu").  NULL when it is not all Han.  A new
 * string.
 */
static char *
pinyin_person(const char *name)
{
	static const char	 title[] = "代表";
	char			*full, *sur, *given = NULL, *out = NULL;
	const char		*p;
	uint32_t		 cp;
	size_t			 n = strlen(name), tn = sizeof(title) - 1, i, sl;
	bool			 one;

	full = n > tn && strcmp(name + n - tn, title) == 0 ?
	    xstrndup(name, n - tn) : xstrdup(name);
	p = full;
	if (utf8_decode(&p, &cp) <= 0)
		p = full + strlen(full);
	sl = (size_t)(p - full);
	for (i = 0; i < nitems(compound_surnames); i++)
		if (strncmp(full, compound_surnames[i],
		    strlen(compound_surnames[i])) == 0 &&
		    full[strlen(compound_surnames[i])] != '\0')
			sl = strlen(compound_surnames[i]);
	one = full[sl] == '\0';
	given = !one ? cap_pinyin(full + sl) : NULL;
	full[sl] = '\0';
	sur = cap_pinyin(full);
	if (sur != NULL && (one || given != NULL))
		out = given != NULL ? xasprintf("%s %s", sur, given) :
		    xstrdup(sur);
	free(given);
	free(sur);
	free(full);
	return out;
}

/* A township's, grid's, deputy's or department's name in lang: in English
 * its name_en, else its pinyin, else as written.  A new string. */
static char *
name_in(const char *lang, const char *name, const char *name_en)
{
	char	*py;

	if (!lang_en(lang))
		return xstrdup(name);
	if (name_en != NULL)
		return xstrdup(name_en);
	if ((py = pinyin_name(name)) != NULL)
		return py;
	return xstrdup(name);
}

/* The grid's name; in English its name_en, else its first alias in Latin
 * letters, else its pinyin.  A new string. */
static char *
grid_label(const struct config *cfg, const char *lang, int g)
{
	const struct grid	*grid = &cfg->grids[g];
	size_t			 i;

	for (i = 0; lang_en(lang) && grid->name_en == NULL && i < grid->naliases; i++)
		if (utf8_is_gsm_safe(grid->aliases[i]) &&
		    has_ascii_letter(grid->aliases[i]))
			return xstrdup(grid->aliases[i]);
	return name_in(lang, grid->name, grid->name_en);
}

/*
 * A deputy as residents address them, through template deputy_named:
 * "牛代表" is "牛" + 代表 in Chinese and "Deputy 牛" in English.  An id the
 * config does not know is shown as it is.  A new string.
 */
static char *
deputy_label(const struct config *cfg, const char *lang, const char *id)
{
	static const char	 title[] = "代表";
	const struct deputy	*d = id != NULL ? config_deputy(cfg, id) : NULL;
	const char		*vars[] = { "name", NULL, NULL };
	char			*base = NULL, *out = NULL;
	size_t			 n, tn = sizeof(title) - 1;

	if (d == NULL)
		return xstrdup(id != NULL ? id : "-");
	if (lang_en(lang) && d->name_en != NULL)
		return xstrdup(d->name_en);
	if (lang_en(lang) && (base = pinyin_person(d->name)) != NULL) {
		vars[1] = base;
		out = dialog_render(cfg, lang, "deputy_named", vars);
		free(base);
		return out;
	}
	n = strlen(d->name);
	if (n > tn && strcmp(d->name + n - tn, title) == 0)
		base = xstrndup(d->name, n - tn);
	else
		base = xstrdup(d->name);
	vars[1] = base;
	out = dialog_render(cfg, lang, "deputy_named", vars);
	free(base);
	return out;
}

/* A case status as residents read it ("办理中"); a new string. */
static char *
status_label(const struct config *cfg, const char *lang, const char *status)
{
	char	*key = xasprintf("resident_status_%s", status != NULL ? status : "");
	char	*out;

	/* plain words first (已交部门办理, not 已派单), else the status label */
	if (!config_template_known(key)) {
		free(key);
		key = xasprintf("status_%s", status != NULL ? status : "");
	}
	if (config_template_known(key))
		out = dialog_render(cfg, lang, key, NULL);
	else
		out = xstrdup(status != NULL ? status : "-");
	free(key);
	return out;
}

/* --- replies that fit two SMS segments ------------------------------------- */

static bool
sms_fits(const char *s)
{
	return utf8_sms_segments(s) <= 2;
}

/* By how much s is longer than two segments (characters or UTF-16 units). */
static size_t
sms_over(const char *s)
{
	size_t	 n, max;

	if (utf8_is_gsm_safe(s)) {
		n = strlen(s);
		max = SMS_GSM_MAX;
	} else {
		n = utf8_units16(s);
		max = SMS_UCS_MAX;
	}
	return n > max ? n - max : 0;
}

/*
 * Render key (with prefix before it, when not NULL) so that it fits two
 * SMS segments: the value of the variable named cut (may be NULL) is cut
 * with an ellipsis until the text fits or the value is gone.  Returns a
 * new string (caller frees).
 */
static char *
render_fit(const struct config *cfg, const char *lang, const char *prefix,
    const char *key, const char *const *vars, const char *cut)
{
	const char	*v[2 * FIT_VARS_MAX + 1];
	const char	*orig = NULL;
	char		*body = NULL, *out = NULL, *val = NULL;
	size_t		 i, n = 0, ci = 0, keep = 0, over, mark;

	for (i = 0; vars != NULL && vars[i] != NULL && vars[i + 1] != NULL &&
	    n < 2 * FIT_VARS_MAX; i += 2) {
		v[n] = vars[i];
		v[n + 1] = vars[i + 1];
		if (cut != NULL && strcmp(vars[i], cut) == 0) {
			ci = n + 1;
			orig = vars[i + 1];
			keep = utf8_units16(orig);
		}
		n += 2;
	}
	v[n] = NULL;
	for (;;) {
		body = dialog_render(cfg, lang, key, v);
		if (prefix != NULL) {
			out = xasprintf("%s%s%s", prefix, lang_en(lang) ? " " : "", body);
			free(body);
		} else
			out = body;
		body = NULL;
		if (sms_fits(out) || orig == NULL || keep == 0)
			break;
		/* The ellipsis keeps a GSM-7 text GSM-7. */
		over = sms_over(out);
		mark = utf8_is_gsm_safe(out) ? 3 : 1;
		keep = keep > over + mark ? keep - over - mark : 0;
		free(val);
		val = text_cut(orig, keep, mark == 3 ? "..." : "…");
		v[ci] = val;
		free(out);
		out = NULL;
	}
	free(val);
	return out;
}

static struct effect *
effect_add(struct dstep *st, enum effect_kind kind)
{
	struct dialog_result	*r = st->res;
	struct effect		*e;

	r->effects = xrealloc(r->effects, (r->neffects + 1) * sizeof(*r->effects));
	e = &r->effects[r->neffects++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->number = 0;
	strlcpy(e->lang, st->lang, sizeof(e->lang));
	return e;
}

/* Add the reply text (stolen). */
static void
reply_text(struct dstep *st, char *text)
{
	struct effect	*e = effect_add(st, EFF_REPLY);

	e->text = text;
}

/*
 * Reply with template key: the lapsed sentence goes first when there is
 * one, unless the reply would not fit with it.
 */
static void
reply(struct dstep *st, const char *key, const char *const *vars, const char *cut)
{
	char	*text;

	text = render_fit(st->cfg, st->lang, st->prefix, key, vars, cut);
	if (st->prefix != NULL && !sms_fits(text)) {
		free(text);
		text = render_fit(st->cfg, st->lang, NULL, key, vars, cut);
	}
	free(st->prefix);
	st->prefix = NULL;
	reply_text(st, text);
}

/* A name in a list cut to units: with an ellipsis in Chinese, without one
 * in GSM-7 text (an ellipsis would make the whole message UCS-2). */
static char *
name_cap(const char *s, size_t units)
{
	if (utf8_units16(s) <= units)
		return xstrdup(s);
	if (utf8_is_gsm_safe(s))
		return text_cut(s, units, "");
	return text_cut(s, units - 1, "…");
}

/*
 * Reply with template key whose {choices} is the numbered list of names:
 * whole names when they fit, else names cut shorter and shorter.
 */
static void
reply_choices(struct dstep *st, const char *key, const char *const *names, size_t n)
{
	static const size_t	 widths[] = { SIZE_MAX, 12, 8, 6, 4, 3, 2 };
	const char		*vars[] = { "choices", NULL, "number", NULL, NULL };
	struct buf		 b;
	char			*name, *text = NULL, num[NUM_MAX];
	size_t			 w, i;

	/* the case being put right, for its question (诉求2是哪类问题) */
	snprintf(num, sizeof(num), "%ld", st->cv->fix);
	vars[3] = num;

	for (w = 0; w < nitems(widths); w++) {
		buf_init(&b, 0);
		for (i = 0; i < n; i++) {
			name = widths[w] == SIZE_MAX ? xstrdup(names[i]) :
			    name_cap(names[i], widths[w]);
			buf_printf(&b, "%s%zu %s", i > 0 ? "\n" : "", i + 1, name);
			free(name);
		}
		vars[1] = buf_str(&b);
		free(text);
		text = render_fit(st->cfg, st->lang, st->prefix, key, vars,
		    w + 1 == nitems(widths) ? "choices" : NULL);
		buf_free(&b);
		if (sms_fits(text))
			break;
	}
	free(st->prefix);
	st->prefix = NULL;
	reply_text(st, text);
}

/* --- understanding the message --------------------------------------------- */

/*
 * The category whose name (or English name) the folded text holds, the
 * longest first; or -1.  Residents answer the numbered list by name too.
 */
static int
category_by_name(const struct dstep *st, const char *folded)
{
	const char *const *w;
	size_t		 i, j, len, best_len = 0;
	int		 best = -1;

	for (i = 0; i < st->cfg->ncategories; i++) {
		w = text_category_words(st->ix, (int)i);
		for (j = 0; j < 2; j++) {	/* name, English name */
			len = strlen(w[j]);
			if (len > best_len && strstr(folded, w[j]) != NULL) {
				best = (int)i;
				best_len = len;
			}
		}
	}
	return best;
}

static int
category_find(const struct dstep *st, const char *folded)
{
	int	 c = text_find_category(st->ix, folded);

	return c >= 0 ? c : category_by_name(st, folded);
}

/* Is folded exactly a category's name or one of its keywords ("路灯")? */
static bool
is_category_word(const struct dstep *st, const char *folded)
{
	const char *const *w;
	size_t		 i, c;

	if (*folded == '\0')
		return false;
	/* a word of a category's, compared first: finding the category of
	 * every description (pinyin and all) costs the writer dear */
	for (c = 0; c < st->cfg->ncategories; c++) {
		w = text_category_words(st->ix, (int)c);
		for (i = 0; w != NULL && w[i] != NULL; i++)
			if (strcmp(w[i], folded) == 0)
				return category_find(st, folded) == (int)c;
	}
	return false;
}

/*
 * What a Chinese (or wordless) text says besides its place: *rest is the
 * folded text without place names (new string); *units what is left of
 * it without fillers, *bare the same without greetings too.
 */
static void
said_zh(const struct dstep *st, char **rest, size_t *units, size_t *bare,
    bool *vague)
{
	const char *const *keys = text_place_keys(st->ix, st->m.grid);
	char	*r, *t;
	size_t	 i, before;

	r = xstrdup(st->m.folded);
	for (i = 0; keys[i] != NULL; i++)
		strip_all(r, keys[i]);
	t = xstrdup(r);
	for (i = 0; i < nitems(greetings_zh); i++)
		strip_all(t, greetings_zh[i]);
	for (i = 0; i < nitems(fillers_zh); i++)
		strip_all(t, fillers_zh[i]);
	*bare = text_units(t);
	before = strlen(t);
	for (i = 0; i < nitems(vague_zh); i++)
		strip_all(t, vague_zh[i]);
	*vague = strlen(t) < before;
	free(t);
	t = xstrdup(r);
	for (i = 0; i < nitems(fillers_zh); i++)
		strip_all(t, fillers_zh[i]);
	for (i = 0; i < nitems(vague_zh); i++)
		strip_all(t, vague_zh[i]);
	*units = text_units(t);
	free(t);
	*rest = r;
}

/*
 * The same for English, by words: *rest is the words that are neither
 * fillers nor place names, run together as text_fold() would (new
 * string); *units and *bare their number.
 */
static void
said_en(const struct dstep *st, char **rest, size_t *units, size_t *bare,
    bool *vague)
{
	const char *const *keys = text_place_keys(st->ix, st->m.grid);
	char		*w;
	const char	*p = st->m.text, *s;
	struct buf	 b;
	size_t		 n = 0, i;
	bool		 place;

	*vague = false;
	buf_init(&b, 0);
	while (*p != '\0') {
		while (*p != '\0' && !(isalnum((unsigned char)*p) || (*p & 0x80)))
			p++;
		for (s = p; *p != '\0' && (isalnum((unsigned char)*p) || (*p & 0x80)); p++)
			;
		if (p == s)
			break;
		w = xstrndup(s, (size_t)(p - s));
		for (i = 0; w[i] != '\0'; i++)
			if (w[i] >= 'A' && w[i] <= 'Z')
				w[i] = (char)(w[i] - 'A' + 'a');
		for (place = false, i = 0; keys[i] != NULL && !place; i++)
			place = strcmp(keys[i], w) == 0;
		if (!place && word_listed(w, vague_en, nitems(vague_en)))
			*vague = true;
		else if (!place && !word_listed(w, fillers_en, nitems(fillers_en))) {
			buf_addstr(&b, w);
			n++;
		}
		free(w);
	}
	*units = *bare = n;
	*rest = buf_steal(&b);
}

/*
 * Does the message describe a matter, or say nothing usable at all?  A
 * text naming a place or a category describes when something is left
 * besides the place (DESC_MIN_UNITS, not counting fillers nor the words
 * that only ask to report, vague_*) and that is not just a category's
 * name or keyword ("王楼村", "路灯", "有点事想反映" do not; "王楼村停水了"
 * does).  A text naming neither must be longer (REQ_MIN_*), else it is a
 * greeting or noise ("你好", "在吗", "hi"); one that asks to report
 * without saying what is not noise: the dialog asks what the problem is.
 */
static void
msg_describe(struct dstep *st)
{
	struct dmsg	*m = &st->m;
	char		*rest = NULL;
	size_t		 units, bare;
	bool		 zh = utf8_has_cjk(m->text) || m->lang == NULL, vague;

	if (zh)
		said_zh(st, &rest, &units, &bare, &vague);
	/* English but for its place ("颜村铺村 Hi, the lights ..."): by words */
	if (!zh || (!utf8_has_cjk(rest) && has_ascii_letter(rest))) {
		free(rest);
		said_en(st, &rest, &units, &bare, &vague);
	}
	m->empty = m->category < 0 && m->grid < 0 && m->township < 0 && !vague &&
	    bare < (zh ? REQ_MIN_UNITS_ZH : REQ_MIN_WORDS_EN);
	m->descriptive = !m->empty && units >= DESC_MIN_UNITS &&
	    !is_category_word(st, rest);
	free(rest);
}

/* First code point of s is a digit or a Chinese numeral. */
static bool
starts_number(const char *s)
{
	static const char *const numerals[] = {
		"零", "〇", "一", "二", "两", "三", "四", "五", "六", "七", "八",
		"九", "十", "百", "千"
	};
	size_t	 i;

	if (*s >= '0' && *s <= '9')
		return true;
	for (i = 0; i < nitems(numerals); i++)
		if (strncmp(s, numerals[i], strlen(numerals[i])) == 0)
			return true;
	return false;
}

static void	 cmd_status(struct dstep *);
static void	 cmd_cancel(struct dstep *);
static void	 cmd_help(struct dstep *);
static void	 cmd_stop(struct dstep *);
static void	 cmd_start(struct dstep *);
static void	 cmd_deputy(struct dstep *);

static const struct dialog_command commands[] = {
	{ "查询",	CMD_STATUS,	true,	cmd_status },
	{ "进度",	CMD_STATUS,	true,	cmd_status },
	{ "status",	CMD_STATUS,	true,	cmd_status },
	{ "query",	CMD_STATUS,	true,	cmd_status },
	{ "取消",	CMD_CANCEL,	true,	cmd_cancel },
	{ "cancel",	CMD_CANCEL,	true,	cmd_cancel },
	{ "帮助",	CMD_HELP,	false,	cmd_help },
	{ "help",	CMD_HELP,	false,	cmd_help },
	{ "退订",	CMD_STOP,	false,	cmd_stop },
	{ "取消订阅",	CMD_STOP,	false,	cmd_stop },
	{ "stop",	CMD_STOP,	false,	cmd_stop },
	{ "订阅",	CMD_START,	false,	cmd_start },
	{ "start",	CMD_START,	false,	cmd_start },
	{ "找代表",	CMD_DEPUTY,	false,	cmd_deputy },
	{ "联系代表",	CMD_DEPUTY,	false,	cmd_deputy },
	{ "我的代表",	CMD_DEPUTY,	false,	cmd_deputy },
	{ "deputy",	CMD_DEPUTY,	false,	cmd_deputy },
	{ "mydeputy",	CMD_DEPUTY,	false,	cmd_deputy }
};

/*
 * 找代表 followed by a place ("找代表王楼村", "DEPUTY Dazhao"): the
 * command when the rest is just a grid's name or alias, else NULL (the
 * words are a request).
 */
static const struct dialog_command *
deputy_command(const struct text_index *ix, const char *folded)
{
	const char *const *keys;
	const char	*rest;
	size_t		 i, k;
	int		 g, t;

	for (i = 0; ix != NULL && i < nitems(commands); i++) {
		if (commands[i].cmd != CMD_DEPUTY ||
		    strncmp(folded, commands[i].word, strlen(commands[i].word)) != 0)
			continue;
		rest = folded + strlen(commands[i].word);
		if ((g = text_find_place(ix, rest, &t)) < 0)
			continue;
		for (keys = text_place_keys(ix, g), k = 0; keys[k] != NULL; k++)
			if (strcmp(keys[k], rest) == 0)
				return &commands[i];
	}
	return NULL;
}

/*
 * The command the folded text is: a command word alone, or (for those
 * that take one) followed by a case number and nothing else but an
 * optional 号 ("查询42", "取消#42" folded, "查询 四十二", "STATUS 42").
 */
static const struct dialog_command *
command_find(const char *folded, long *number)
{
	const char	*rest, *end;
	size_t		 i;
	long		 n;

	*number = -1;
	for (i = 0; i < nitems(commands); i++) {
		if (strncmp(folded, commands[i].word, strlen(commands[i].word)) != 0)
			continue;
		rest = folded + strlen(commands[i].word);
		if (*rest == '\0')
			return &commands[i];
		if (!commands[i].number || !starts_number(rest))
			continue;
		if ((n = text_parse_number(rest, &end)) < 0)
			continue;
		if (strcmp(end, "号") == 0)
			end += strlen("号");
		if (*end == '\0') {
			*number = n;
			return &commands[i];
		}
	}
	return NULL;
}

/*
 * Does s say the joining word w (也, 还, 又) as one: not 还 as "still"
 * (以后还在装卸，太吵了), nor 也 after 了 before nobody, the complaint's
 * emphasis (三天了也没人来清雪: no second problem, where 垃圾也没人管
 * is one)?
 */
static bool
says_join(const char *s, const char *w)
{
	static const char *const still[] = { "还在", "还是", "还没", "还得",
	    "还不", "仲未", "仲系", "仲喺", "仲要", "仲裁" };
	static const char *const nobody[] = { "也没人", "也无人", "也冇人",
	    "也没有人" };
	/* the one who owes it not reached (老板电话也不接了, 人也找不到):
	 * how the complaint went, no second problem */
	static const char *const unreached[] = { "也不接", "也打不通",
	    "也找不到", "也联系不上", "也不回" };
	const char	*at;
	size_t		 i;
	bool		 join;

	for (at = strstr(s, w); at != NULL; at = strstr(at + 1, w)) {
		join = true;
		for (i = 0; i < nitems(unreached) && join; i++)
			join = strncmp(at, unreached[i],
			    strlen(unreached[i])) != 0;
		for (i = 0; i < nitems(still) && join; i++)
			join = strncmp(at, still[i], strlen(still[i])) != 0;
		for (i = 0; i < nitems(nobody) && join && at - s >= 3 &&
		    strncmp(at - 3, "了", 3) == 0; i++)
			join = strncmp(at, nobody[i], strlen(nobody[i])) != 0;
		/* neither nor (不吃也不喝, 不给工钱也不给赔), and a verb said
		 * twice (吃也吃不下, 睡也睡不着): one thing, said hard */
		for (i = 2; join && strcmp(w, "也") == 0 && i <= 4 &&
		    at - s >= (ptrdiff_t)(3 * i); i++)
			if (text_char_in(at - 3 * i, "不没冇") &&
			    text_char_in(at + 3, "不没冇"))
				join = false;
		if (join && strcmp(w, "也") == 0 && at - s >= 3 &&
		    (unsigned char)at[-3] >= 0xe0 &&
		    strncmp(at - 3, at + 3, 3) == 0)
			join = false;
		if (join)
			return true;
	}
	return false;
}

/*
 * The clause of text that starts at byte at: to the next punctuation or
 * space between Han characters.  A new string.
 */
static char *
clause_at(const char *text, size_t at)
{
	static const char *const clause_ends[] = {
		"，", ",", "。", ".", "！", "!", "？", "?", "；", ";", "\n"
	};
	const char	*end;
	size_t		 i, n;

	for (end = text + at; *end != '\0'; end += n) {
		n = 1;
		for (i = 0; i < nitems(clause_ends); i++)
			if (strncmp(end, clause_ends[i], strlen(clause_ends[i])) == 0)
				break;
		if (i < nitems(clause_ends) ||
		    text_clause_space(text, (size_t)(end - text)) > 0)
			break;
	}
	return xstrndup(text + at, (size_t)(end - text) - at);
}

/* Where the clause after the one of l bytes at byte at of text starts:
 * past what ended it (punctuation or a space). */
static size_t
clause_next(const char *text, size_t at, size_t l)
{
	const char	*q = text + at + l;
	uint32_t	 cp;

	if (*q != '\0' && utf8_decode(&q, &cp) < 0)
		q = text + at + l + 1;
	return (size_t)(q - text);
}

static bool	 holds_keyword(const struct dstep *, const char *, int);

/* Does the last clause of the message, after its keyword's, hold a
 * keyword of category c, the problem named again? */
static bool
last_holds(const struct dstep *st, int c)
{
	const char	*text = st->m.text;
	char		*clause, *last = NULL, *f;
	size_t		 at = st->m.cat_at, l;
	bool		 holds;

	for (; text[at] != '\0'; at = clause_next(text, at, l)) {
		clause = clause_at(text, at);
		l = strlen(clause);
		if (l > 0) {
			free(last);
			last = clause;
		} else
			free(clause);
	}
	if (last == NULL)
		return false;
	/* (学费也交不起: one more problem, said besides, no restating) */
	f = text_fold(last);
	holds = holds_keyword(st, f, c) && !says_join(last, "也");
	free(f);
	free(last);
	return holds;
}

/*
 * Where the first clause after the first one that says 也 starts (后海村
 * 昨夜做风，屋顶掀走了，墙也裂了: at 墙), 0 when none does: what it
 * says is said besides what came before.
 */
static size_t
also_at(const char *text)
{
	char		*clause;
	size_t		 at, n;
	bool		 also;

	for (at = 0; text[at] != '\0'; at = clause_next(text, at, n)) {
		clause = clause_at(text, at);
		n = strlen(clause);
		also = at > 0 && says_join(clause, "也");
		free(clause);
		if (also)
			return at;
	}
	return 0;
}

/*
 * Do the clauses of text before byte cut (a clause that says 也) read
 * category c first too?  "屋顶的铁皮全部掀走了，墙也裂了": 裂, roads'
 * sole clue, is said besides the roof the resident named first, which
 * no category learned: no guess is taken from the whole message then.
 */
static bool
first_reads(const struct dstep *st, size_t cut, int c)
{
	char	*first, *masked;
	int	*order;
	double	 p;
	bool	 reads;

	first = xstrndup(st->m.text, cut);
	masked = text_where_masked(st->ix, first);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	p = classifier_rank_topical(text_classifier(st->ix), masked, order,
	    NULL);
	free(masked);
	free(first);
	reads = p >= CLASSIFY_LIST && order[0] == c;
	free(order);
	return reads;
}

/*
 * Does the classifier read category c only after the clause of the
 * one-character keyword, in a clause that says it is a second problem
 * (也), the clauses up to it reading the keyword's (路上全是坑，暗时电火
 * 也无光: the dark is named second)?  The problem named first is the
 * keyword's then.
 */
static bool
named_after(const struct dstep *st, int c)
{
	const struct dmsg	*m = &st->m;
	char			*clause, *upto, *masked;
	int			*order;
	double			 p;
	bool			 after;

	clause = clause_at(m->text, m->cat_at);
	if (m->text[m->cat_at + strlen(clause)] == '\0') {
		free(clause);
		return false;	/* the last clause: nothing after it */
	}
	/* a second problem says so: 也 (灯也不亮), as 还有 and 另外 do */
	if (strstr(m->text + m->cat_at + strlen(clause), "也") == NULL) {
		free(clause);
		return false;
	}
	upto = xstrndup(m->text, m->cat_at + strlen(clause));
	free(clause);
	masked = text_where_masked(st->ix, upto);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	p = classifier_rank(text_classifier(st->ix), masked, order, NULL);
	after = p >= CLASSIFY_ANSWER && order[0] == m->category &&
	    order[0] != c;
	free(order);
	free(masked);
	free(upto);
	return after;
}

static bool	named_besides(const struct dstep *, const char *, int);

/*
 * Is c the second problem the message names, said as besides (路上坑太多，
 * 护栏也没有): a keyword of c's after the first's, with 也, 还有?  Not
 * when said plainly (帮蚝场开蚝 ... 老板拖咗三个月都唔结: the pay owed is
 * the problem, the oyster farm where).
 */
static bool
second_besides(const struct dstep *st, int c)
{
	char	*masked;
	bool	 besides;

	if (text_other_category(st->ix, st->m.text, st->m.category) != c)
		return false;
	masked = text_where_masked(st->ix, st->m.text);
	besides = named_besides(st, masked, c);
	free(masked);
	return besides;
}

/*
 * Is a keyword of c (two characters or more) written in a clause after
 * the one whose one-character keyword named the category, and does that
 * clause read as the category on its own (CLASSIFY_ANSWER)?
 */
static bool
keyword_later(const struct dstep *st, int c)
{
	char		*clause, *first, *masked;
	const char	*at;
	int		*order;
	double		 p;
	bool		 later;

	if (text_other_clause(st->ix, st->m.text, st->m.category, &clause) != c ||
	    clause == NULL) {
		free(clause);
		return false;
	}
	at = strstr(st->m.text, clause);
	later = at != NULL && (size_t)(at - st->m.text) > st->m.cat_at;
	free(clause);
	if (!later)
		return false;
	first = clause_at(st->m.text, st->m.cat_at);
	masked = text_where_masked(st->ix, first);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	p = classifier_rank(text_classifier(st->ix), masked, order, NULL);
	later = p >= CLASSIFY_ANSWER && order[0] == st->m.category;
	free(order);
	free(masked);
	free(first);
	return later;
}

/* Ask which of two categories the message means, first listed first. */
static void
ask_both(struct dmsg *m, int first, int second)
{
	m->cat_cands[0] = first;
	m->cat_cands[1] = second;
	m->ncat_cands = 2;
	m->category = -1;
}

/*
 * Is category c the county's wages (its name or a keyword 欠薪, 工资,
 * 工钱, 讨薪, wages)?
 */
static bool
wages_category(const struct dstep *st, int c)
{
	static const char *const pay[] = {
		"欠薪", "工资", "工钱", "讨薪", "薪", "wages", "wage"
	};
	const char *const	*w;
	size_t			 i;

	for (w = text_category_words(st->ix, c); *w != NULL; w++)
		for (i = 0; i < nitems(pay); i++)
			if (strstr(*w, pay[i]) != NULL)
				return true;
	return false;
}

/*
 * Does the folded text say someone worked (打工, 做了三个月, 工人, 出粮,
 * 帮人, worked)?  Money owed by a boss who took no work from the resident
 * (the buyer of the fruit, the one who leased the fields) is no wages;
 * nor is the factory alone (厂里过完磅说等通知结账: it bought the crop).
 */
static bool
says_work(const char *f)
{
	static const char *const work[] = {
		"打工", "干活", "工资", "工钱", "上班", "做工", "务工", "干了",
		"干过", "干的", "工地", "工头", "民工", "零工", "日工", "工程",
		"劳务", "雇", "招工", "临时工", "帮工", "做活", "活干", "干完",
		"工人", "人工", "工伤", "出粮", "加班", "辞工", "工厂",
		"做了", "做咗", "做嘢", "做的", "做一", "做半", "做完", "修了",
		"挑土", "帮人", "给人干", "给人做", "给人摘", "跟人", "替人",
		"帮那个", "帮老板", "薪", "搬运", "装车", "给人看", "给人放",
		"给人挑", "给人种", "井下", "砸伤", "砌了", "砌墙", "砌砖",
		"搬砖", "刷墙", "粉刷", "贴砖", "扎钢筋", "绑钢筋", "扛水泥",
		"扛包", "做事", "季节工", "work", "job", "salary",
		"wage", "hired", "labour", "labor", "crew", "employ", "overtime",
		"picked", "picking", "construction", "building site"
	};
	/* the family away at work says where they are, not whose pay is
	 * owed (娃娃都在外头打工，家里一分进项都没有) */
	static const char *const away[] = {
		"在外打工", "在外头打工", "在外面打工", "在外地打工", "外出打工",
		"出去打工", "出门打工"
	};
	const char	*at, *p;
	char		*g = xstrdup(f);
	size_t		 i, n;
	uint32_t	 c;
	bool		 said = false;

	for (i = 0; i < nitems(away); i++)
		strip_all(g, away[i]);
	for (i = 0; i < nitems(work) && !said; i++)
		said = strstr(g, work[i]) != NULL;
	/* 在 a place, then 做 or 干 within four characters (我在泗滨做修坯的) */
	for (at = strstr(g, "在"); at != NULL && !said; at = strstr(at + 1, "在"))
		for (p = at + strlen("在"), n = 0; n < 4 && *p != '\0' && !said;
		    n++) {
			said = strncmp(p, "做", strlen("做")) == 0 ||
			    strncmp(p, "干", strlen("干")) == 0;
			if (utf8_decode(&p, &c) <= 0)
				break;
		}
	free(g);
	return said;
}

static int	 reading_first(const struct dstep *, const char *,
		    double (*)(const struct classifier *, const char *, int *,
		    double *), double *);

/*
 * Does the classifier over this county's words alone (classifier_rank_own)
 * put another category than c first, OWN_DISSENT sure, reading the same
 * text (places masked) the guess of c was read from?
 */
static bool
own_disagrees(const struct dstep *st, const char *ranked, int c)
{
	double	 p;
	int	 first = reading_first(st, ranked, classifier_rank_own, &p);

	return p >= OWN_DISSENT && first != c;
}

/* The category a reading (classifier_rank_own, _plain ...) of ranked puts
 * first, its probability into *p. */
static int
reading_first(const struct dstep *st, const char *ranked,
    double (*reading)(const struct classifier *, const char *, int *,
    double *), double *p)
{
	int	*order = xcalloc(st->cfg->ncategories, sizeof(*order));
	int	 first;

	*p = reading(text_classifier(st->ix), ranked, order, NULL);
	first = order[0];
	free(order);
	return first;
}

/* Han characters and English words (runs of letters and figures) of s. */
static size_t
words_of(const char *s)
{
	const char	*p = s;
	uint32_t	 cp;
	size_t		 n = 0;
	bool		 word = false;
	int		 r;

	while ((r = utf8_decode(&p, &cp)) != 0) {
		if (r < 0) {
			p++;
			word = false;
		} else if (cp < 0x80 && isalnum((int)cp)) {
			n += !word;
			word = true;
		} else {
			n += cp >= 0x2e80;
			word = false;
		}
	}
	return n;
}

/*
 * Is the plain reading of ranked (every word, what every complaint says
 * too, no sole clue lifted) less than PLAIN_SURE of c, in a message of
 * PLAIN_WORDS or more?  With no keyword, only a guess that reading is
 * sure of is filed from a long message: on twenty counties written since
 * the lexicon and never read, cases filed wrong at once went from 20 to
 * 14 with it, for 8 fewer right at once of 1200.  A question costs one
 * answer, a wrong case cannot be mended.  A short message says little
 * besides its problem (楼上天天吵到半夜，反映好几次没人管): its guess
 * stands.
 */
static bool
plain_doubts(const struct dstep *st, const char *ranked, int c)
{
	double	 p;
	int	 first;

	if (words_of(st->m.text) < PLAIN_WORDS)
		return false;
	first = reading_first(st, ranked, classifier_rank_plain, &p);
	return p < (utf8_has_cjk(ranked) ? PLAIN_SURE : PLAIN_SURE_EN) ||
	    first != c;
}

/*
 * No keyword, or only a one-character one: the classifier.  Above
 * CLASSIFY_TAKE its category is taken (over a one-character keyword too,
 * unless it is the second problem, which a keyword names later: "路上坑
 * 太多，护栏也没有" is about the road).
 */
static void
msg_classify(struct dstep *st)
{
	struct dmsg	*m = &st->m;
	char		*masked, *first, *where, *ranked = NULL;
	int		*order;
	double		*prob, p;
	size_t		 cut;
	bool		 pay, worked;

	if (st->cfg->ncategories == 0)
		return;
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	prob = xcalloc(st->cfg->ncategories, sizeof(*prob));
	p = 0;
	if ((cut = text_join_at(m->text)) > 0) {
		/* 广场舞太吵，另外楼道灯也不亮: the problem named first */
		first = xstrndup(m->text, cut);
		ranked = text_where_masked(st->ix, first);
		p = classifier_rank(text_classifier(st->ix), ranked, order, prob);
		free(first);
	}
	if (p < CLASSIFY_TAKE) {
		free(ranked);
		masked = text_masked_both(st->ix, m->text, &where);
		/* a keyword that says where (卫生室附近) is a clue too: one
		 * word of another category's is no sole clue then */
		p = (m->cat_where ? classifier_rank_weighed : classifier_rank)(
		    text_classifier(st->ix), where != NULL ? where : masked,
		    order, prob);
		/* nothing but where it is (北关村小学门口天天堵): where counts */
		if (p < CLASSIFY_TAKE && m->category < 0 && where != NULL) {
			p = classifier_rank(text_classifier(st->ix), masked, order,
			    prob);
			free(where);
			where = NULL;
		}
		/* the text the guess was read from, for own_disagrees */
		if (where != NULL) {
			ranked = where;
			free(masked);
		} else
			ranked = masked;
	}
	if (p >= CLASSIFY_TAKE && cut == 0 && m->category < 0 &&
	    (cut = also_at(m->text)) > 0 && !first_reads(st, cut, order[0]))
		p = CLASSIFY_TAKE / 2;	/* listed first, not taken */
	/* no keyword, and this county's words alone are sure of another
	 * category than all the words with other counties' messages: the
	 * two readings disagree (电杆上那个灯一闪一闪: the street light, or
	 * the power?), asked rather than filed on one */
	if (p >= CLASSIFY_TAKE && m->category < 0 &&
	    own_disagrees(st, ranked, order[0]))
		p = CLASSIFY_TAKE / 2;
	pay = p >= CLASSIFY_TAKE && m->category < 0 &&
	    wages_category(st, order[0]);
	worked = pay && says_work(m->folded);
	/* (pay owed for work someone says they did is plain enough) */
	if (p >= CLASSIFY_TAKE && m->category < 0 && !st->answers && !worked &&
	    plain_doubts(st, ranked, order[0]))
		p = CLASSIFY_TAKE / 2;
	free(ranked);
	/* money owed, and nobody said they worked: asked, not wages */
	if (p >= CLASSIFY_TAKE && pay && !worked)
		p = CLASSIFY_TAKE / 2;
	if (p > 0) {
		m->guess = order[0];
		m->guess_p = p;
	}
	if (p >= CLASSIFY_TAKE && m->category >= 0 && m->cat_weak &&
	    !m->cat_fuzzy && !m->cat_where && order[0] != m->category &&
	    keyword_later(st, order[0]) && !second_besides(st, order[0]) &&
	    !says_work(m->folded)) {
		/* 条路坑坑洼洼 校车唔肯入嚟: the road its clause reads, named
		 * first by one character, or the keyword written after it?
		 * Both asked, the first named first */
		ask_both(m, m->category, order[0]);
		m->cat_weak = false;
	} else if (p >= CLASSIFY_TAKE && (m->category < 0 || (m->cat_weak &&
	    (m->cat_fuzzy || !second_besides(st, order[0])) &&
	    (m->cat_where || !named_after(st, order[0]))))) {
		m->category = order[0];
		m->cat_guessed = true;
	}
	else if (m->cat_fuzzy_word && p < CLASSIFY_LIST) {
		/* a sound only fuzzy pinyin hears, in a word of its own (技术:
		 * jishu, as jisu 寄宿), and nothing else known of the
		 * message: a word is no typo, the sound names nothing (停岁
		 * for 停水, no word, still does) */
		m->category = -1;
		m->cat_weak = m->cat_where = m->cat_fuzzy = false;
	} else if (order[0] != m->category && ((p >= CLASSIFY_LIST &&
	    (m->cat_where || m->cat_fuzzy)) ||
	    (m->cat_weak && m->cat_at > 0 && p > 0 &&
	    prob[order[0]] >= CLASSIFY_PASSING))) {
		/* 卫生室附近天天放鞭炮，吵得不行: the place, or what the rest
		 * of the message leans to?  Both are asked, the latter first.
		 * So too a sound only fuzzy pinyin hears (前晚落了: wanluo,
		 * 网络; 晒鱼干: yugan, 渔港) the rest lists another before
		 * from 0.2, and a one-character
		 * keyword in a later clause (住宿开价八百，外地人都被坑) the
		 * rest is sure (0.9) is another's, though capped below
		 * taking: one ordinary word is no evidence to file by */
		ask_both(m, order[0], m->category);
		m->cat_weak = m->cat_where = false;
	}
	free(prob);
	free(order);
}

/*
 * Does s say 也 only after 了, before a "not" (半年了也没个信, 修了也不
 * 管用): "still not", the complaint's emphasis?  So too after 的, of the
 * one who does not (放牛的也不管, 渔政的也不来), after 一 and a measure
 * (清雪车一趟也没来过: not once), and anywhere before "of no use"
 * (打了农药也冇用: to no avail).  Said so, the keyword's
 * clause names no second problem to file the clauses before by; a
 * question may still ask it (also_at), a wrong case cannot be mended.
 */
static bool
still_not(const char *s)
{
	static const char *const nots[] = { "也没", "也无", "也冇", "也不",
	    "也未", "也唔", "也沒", "也無" };
	static const char *const uses[] = { "用", "管用", "顶用", "效" };
	const char	*at;
	size_t		 i, j;

	for (at = strstr(s, "也"); at != NULL; at = strstr(at + 1, "也")) {
		for (i = 0; i < nitems(nots); i++)
			if (strncmp(at, nots[i], strlen(nots[i])) == 0)
				break;
		if (i == nitems(nots))
			return false;
		for (j = 0; j < nitems(uses); j++)
			if (strncmp(at + strlen(nots[i]), uses[j],
			    strlen(uses[j])) == 0)
				break;
		if (j < nitems(uses))
			continue;
		if (at - s >= 3 && (strncmp(at - 3, "了", 3) == 0 ||
		    strncmp(at - 3, "的", 3) == 0))
			continue;
		/* not once, not a cent (一趟也没来, 一分钱也没给) */
		if ((at - s >= 6 && strncmp(at - 6, "一", 3) == 0) ||
		    (at - s >= 9 && strncmp(at - 9, "一", 3) == 0))
			continue;
		return false;
	}
	return true;
}

/*
 * Does s say 也 only before a thing done (残疾证也办了, 钱也交了, 船也交哒):
 * what the resident did too, the story of the one problem, no second?
 */
static bool
also_done(const char *s)
{
	static const char *const verbs[] = {
		"办", "交", "弄", "找", "报", "问", "签", "拿", "领", "送", "填"
	};
	static const char *const done[] = { "了", "过", "哒", "咗" };
	const char	*at, *p;
	size_t		 i;
	bool		 any = false;

	for (at = strstr(s, "也"); at != NULL; at = strstr(at + 1, "也")) {
		p = at + strlen("也");
		for (i = 0; i < nitems(verbs); i++)
			if (strncmp(p, verbs[i], strlen(verbs[i])) == 0)
				break;
		if (i == nitems(verbs))
			return false;
		p += strlen(verbs[i]);
		for (i = 0; i < nitems(done); i++)
			if (strncmp(p, done[i], strlen(done[i])) == 0)
				break;
		if (i == nitems(done))
			return false;
		any = true;
	}
	return any;
}

/*
 * Does the clause of the keyword, after clauses before it, say it is a
 * second problem by 也 (停水三天了，路灯也不亮)?
 */
static bool
said_also(const struct dmsg *m)
{
	char	*clause;
	bool	 also;

	if (m->cat_at == 0)
		return false;
	clause = clause_at(m->text, m->cat_at);
	also = says_join(clause, "也") && !still_not(clause) &&
	    !also_done(clause);
	free(clause);
	return also;
}

/*
 * Does the clause at byte at of raw (Chinese) follow 还有 or 另外 that
 * begins a sentence of its own, after a comma or a stop: "路烂了，还有垃圾
 * 没人清", not the "still" of "半夜还有拉煤车过"?
 */
static bool
joined_after_stop(const char *raw, size_t at)
{
	static const char *const joins[] = { "还有", "另外", "還有", "仲有" };
	static const char *const stops[] = { "，", "。", "；", "！", "？", "、",
	    ",", ".", ";", "!", "?", " " };
	size_t	 i, j, l, s;

	if (!utf8_has_cjk(raw))
		return false;
	while (at > 0 && raw[at - 1] == ' ')
		at--;
	for (i = 0; i < nitems(joins); i++) {
		l = strlen(joins[i]);
		if (at < l || strncmp(raw + at - l, joins[i], l) != 0)
			continue;
		for (j = 0; j < nitems(stops); j++) {
			s = strlen(stops[j]);
			if (at - l >= s && strncmp(raw + at - l - s, stops[j],
			    s) == 0)
				return true;
		}
	}
	return false;
}

static bool	 holds_keyword(const struct dstep *, const char *, int);

/*
 * Does the English text f (folded with gaps, places masked) open with a
 * keyword of category c, among its first two words that say something
 * ("coal dust from the mine ...": what it is about, not in passing)?
 */
static bool
en_opens_with(const struct dstep *st, const char *f, int c)
{
	static const char *const empty[] = {
		"the", "a", "an", "our", "my", "in", "at", "of", "village",
		"community", "cun", "gacha", "hi", "hello", "dear", "deputy",
		"please", "there", "is", "are", "we", "i", "here", "this"
	};
	char		*two;
	const char	*p = f, *q, *start = NULL;
	size_t		 i, l, n = 0;
	bool		 opens;

	while (*p != '\0' && n < 2) {
		while (*p == ' ')
			p++;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		if (q == p)
			break;
		l = (size_t)(q - p);
		for (i = 0; i < nitems(empty); i++)
			if (strlen(empty[i]) == l && strncmp(p, empty[i], l) == 0)
				break;
		if (i == nitems(empty)) {
			if (start == NULL)
				start = p;
			n++;
		}
		p = q;
	}
	if (start == NULL)
		return false;
	two = xstrndup(start, (size_t)(p - start));
	opens = holds_keyword(st, two, c);
	free(two);
	return opens;
}

/* Is the whole message, places masked, plainly (CLASSIFY_PASSING) about
 * category c to the classifier over every complaint's words? */
static bool
whole_reads(const struct dstep *st, int c)
{
	char	*whole = text_where_masked(st->ix, st->m.text);
	int	*order = xcalloc(st->cfg->ncategories, sizeof(*order));
	double	 p;

	p = classifier_rank_plain(text_classifier(st->ix), whole, order, NULL);
	free(whole);
	p = order[0] == c ? p : 0;
	free(order);
	return p >= CLASSIFY_PASSING;
}

/*
 * A keyword said in passing: the clauses before the one that names the
 * category name none, yet the classifier (over them, places masked out)
 * is sure of another category.  "柴庄村晚上两眼一抹黑，老人都不敢出来"
 * is about the dark, not the elderly.  A case filed wrong cannot be put
 * right by an answer, a question can: both are asked, the classifier's
 * first.  An English sentence has no such clauses: over the whole text,
 * unless a second keyword names a second problem ("the road where the
 * lights are off" is about the lights).  When a joining word (还有, 另外)
 * comes before the keyword, the resident said it is a second problem:
 * the classifier's is the first, taken ("广场舞太吵，另外楼道灯也不亮").
 */
static void
msg_passing(struct dstep *st)
{
	struct dmsg	*m = &st->m;
	char		*before, *masked;
	int		*order;
	double		 p;

	if (st->cfg->ncategories == 0)
		return;
	before = m->cat_at > 0 ? xstrndup(m->text, m->cat_at) : xstrdup(m->text);
	/* pay owed, the clauses before saying the work it is owed for
	 * (给大棚户摘菜打零工，说好一天一百的工钱): the wages, whatever
	 * the work was */
	if (m->cat_at > 0 && wages_category(st, m->category)) {
		char *f = text_fold(before);
		bool worked = says_work(f);

		free(f);
		if (worked) {
			free(before);
			return;
		}
	}
	masked = text_where_masked(st->ix, before);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	/* the clauses before, when they name no problem's word plainly
	 * but one alone (门口雪没人清, 路灯还坏了俩): the sole clue */
	p = m->cat_at > 0 ? classifier_rank(text_classifier(st->ix), masked,
	    order, NULL) : classifier_rank_plain(text_classifier(st->ix),
	    masked, order, NULL);
	/* an English sentence has no clauses to tell the problem from where
	 * it is (the lights on the main road): the classifier's lean asks */
	if (m->cat_at == 0 && !utf8_has_cjk(m->text) && p >= CLASSIFY_ANSWER &&
	    p < CLASSIFY_PASSING && order[0] != m->category &&
	    !en_opens_with(st, masked, m->category))
		p = CLASSIFY_PASSING;
	if (p >= CLASSIFY_PASSING && order[0] != m->category &&
	    (text_joined(m->text, m->cat_at) || said_also(m))) {
		/* 还有, 另外: the resident named the keyword's problem as a
		 * second one; the first is what the classifier read before,
		 * unless it is money owed and nobody said they worked
		 * (地让矿上占了，一分钱也没给，还有…): asked, not wages.  An
		 * English "and" joins words as often as problems ("terrible
		 * smell and noise"): not when the whole message is plainly
		 * the keyword's */
		if (!utf8_has_cjk(m->text) && whole_reads(st, m->category))
			goto out;
		if (wages_category(st, order[0]) && !says_work(m->folded)) {
			ask_both(m, order[0], m->category);
			goto out;
		}
		m->category = order[0];
		m->cat_weak = false;
		m->cat_guessed = true;
		m->guess = order[0];
		m->guess_p = p;
	} else if (p >= CLASSIFY_PASSING && order[0] != m->category) {
		/* the whole message must not be plainly about the keyword's
		 * category too: "不好意思，王楼村这两天停水了" is about water,
		 * whatever a polite opening guesses; "天一黑就伸手不见五指，
		 * 老人都不敢出门" only leans to the elderly, by the keyword */
		if (whole_reads(st, m->category))
			goto out;
		/* ... and when it is plainly about the clauses' lean, whose
		 * keyword the resident wrote again in the last clause (没轮上
		 * 水，棉花叶子都卷起来了…这个灌溉到底谁管): that */
		if (whole_reads(st, order[0]) && last_holds(st, order[0])) {
			m->category = order[0];
			goto out;
		}
		ask_both(m, order[0], m->category);
	} else if (p >= CLASSIFY_LIST && order[0] != m->category &&
	    (joined_after_stop(m->text, m->cat_at) || (said_also(m) &&
	    !whole_reads(st, m->category)))) {
		/* 路烂了几年冇人修，还有垃圾也冇人清; 屯里的雪没人清 停电也
		 * 老停: the resident named a problem before the joining word
		 * (还有, 也), the clauses before only lean to one: both asked,
		 * the lean first, not the second problem filed as the first */
		ask_both(m, order[0], m->category);
	}
out:
	free(order);
	free(masked);
	free(before);
}

static void
msg_parse(struct dstep *st)
{
	struct dmsg		*m = &st->m;
	struct text_pinyin	*py;
	struct text_found	 tf;

	m->text = text_trim(st->in->text);
	m->folded = text_fold(m->text);
	if (utf8_has_cjk(m->text))
		m->lang = "zh";
	else if (has_ascii_letter(m->text))
		m->lang = "en";
	m->cmd = command_find(m->folded, &m->number);
	m->choice = text_parse_choice(m->text);
	py = text_pinyin_new(m->text);
	text_find(st->ix, m->text, m->folded, py, &tf);
	text_pinyin_free(py);
	m->category = tf.category >= 0 ? tf.category : category_by_name(st, m->folded);
	/* a sound only fuzzy pinyin hears (八十五岁: wusui, 污水) is as
	 * weak as a one-character keyword: the classifier has its say */
	m->cat_fuzzy = tf.category >= 0 && tf.category_fuzzy;
	if (tf.category >= 0 && tf.category_homophone) {
		strlcpy(m->heard, tf.heard, sizeof(m->heard));
		strlcpy(m->meant, tf.meant, sizeof(m->meant));
	}
	m->cat_fuzzy_word = m->cat_fuzzy && tf.category_word;
	m->cat_weak = tf.category >= 0 && (tf.category_weak || m->cat_fuzzy);
	m->cat_where = tf.category >= 0 && tf.category_where;
	m->cat_at = tf.cat_at;
	m->guess = -1;
	m->grid = tf.grid;
	m->township = tf.township;
	memcpy(m->cat_cands, tf.cat_cands, sizeof(m->cat_cands));
	m->ncat_cands = tf.ncat_cands;
	m->cands_sound = tf.cands_sound;
	memcpy(m->grid_cands, tf.grid_cands, sizeof(m->grid_cands));
	m->ngrid_cands = tf.ngrid_cands;
	if (m->cmd == NULL)
		m->cmd = deputy_command(st->ix, m->folded);
}

/* Does [at, at + len) of f lie inside a longer word (keyword, name) of
 * another category than c: 卫生 of sanitation inside 卫生室? */
static bool
inside_other(const struct text_index *ix, size_t ncat, const char *f,
    const char *at, size_t len, int c)
{
	const char *const	*w;
	const char		*o;
	size_t			 k, l;

	for (k = 0; k < ncat; k++) {
		if ((int)k == c)
			continue;
		for (w = text_category_words(ix, (int)k); *w != NULL; w++) {
			if ((l = strlen(*w)) <= len)
				continue;
			for (o = strstr(f, *w); o != NULL; o = strstr(o + 1, *w))
				if (o <= at && at + len <= o + l)
					return true;
		}
	}
	return false;
}

/* Does f (folded, places masked) hold a keyword, name or English name of
 * category c, other than inside another category's longer word (村卫生室
 * says no 卫生)? */
static bool
holds_keyword(const struct dstep *st, const char *f, int c)
{
	const struct text_index	*ix = st->ix;
	const char *const	*w;
	const char		*at;

	for (w = text_category_words(ix, c); *w != NULL; w++) {
		/* English as whole words, where the text keeps its gaps */
		if (!utf8_has_cjk(*w) && strchr(f, ' ') != NULL &&
		    !text_words_hold(f, *w))
			continue;
		for (at = (*w)[0] != '\0' ? strstr(f, *w) : NULL; at != NULL;
		    at = strstr(at + 1, *w))
			if (!inside_other(ix, st->cfg->ncategories, f, at,
			    strlen(*w), c))
				return true;
	}
	return false;
}

static bool	 in_longer_keyword(const struct dstep *, const char *,
		    const char *, size_t, int);

/* Where in f a keyword of category c is first found: its start, and
 * its end into *end; NULL when none is. */
static const char *
keyword_span(const struct dstep *st, const char *f, int c,
    const char **end)
{
	const char *const	*w;
	const char		*at, *first = NULL;

	for (w = text_category_words(st->ix, c); *w != NULL; w++) {
		if ((*w)[0] == '\0')
			continue;
		for (at = strstr(f, *w); at != NULL; at = strstr(at + 1, *w))
			if (!in_longer_keyword(st, f, at, strlen(*w), c))
				break;
		if (at != NULL && (first == NULL || at < first)) {
			first = at;
			*end = at + strlen(*w);
		}
	}
	return first;
}

/* Is [at, at + len) of f inside a longer keyword of another category
 * than c (养老 of 养老金)? */
static bool
in_longer_keyword(const struct dstep *st, const char *f, const char *at,
    size_t len, int c)
{
	const char *const	*w;
	const char		*q;
	size_t			 d, l;

	for (d = 0; d < st->cfg->ncategories; d++) {
		if ((int)d == c)
			continue;
		for (w = text_category_words(st->ix, (int)d); *w != NULL; w++) {
			if ((l = strlen(*w)) <= len)
				continue;
			for (q = strstr(f, *w); q != NULL && q <= at;
			    q = strstr(q + 1, *w))
				if (q + l >= at + len)
					return true;
		}
	}
	return false;
}

/* Are the keywords of categories a and b in f two problems joined (停水
 * 又停电, 路灯和护栏): a joining word between them? */
static bool
keywords_joined(const struct dstep *st, const char *f, int a, int b)
{
	static const char *const joins[] = { "又", "和", "也", "还", "跟",
	    "及", "、", "加上", "另外", "还有", "再就是", "再一个", "仲有",
	    "還有", "仲" };
	const char	*as, *ae = NULL, *bs, *be = NULL, *from, *to;
	char		*between;
	size_t		 i;
	bool		 joined = false;

	if ((as = keyword_span(st, f, a, &ae)) == NULL ||
	    (bs = keyword_span(st, f, b, &be)) == NULL)
		return false;
	from = as < bs ? ae : be;
	to = as < bs ? bs : as;
	if (from >= to)
		return false;
	between = xstrndup(from, (size_t)(to - from));
	for (i = 0; i < nitems(joins) && !joined; i++)
		joined = says_join(between, joins[i]);
	free(between);
	return joined;
}

/* Do the English words of f hold a keyword or the name of category c? */
static bool
en_names(const struct dstep *st, const char *f, int c)
{
	const char *const	*w;
	char			*words = text_fold_words(f);
	bool			 held = false;

	for (w = text_category_words(st->ix, c); *w != NULL && !held; w++)
		held = **w != '\0' && text_words_hold(words, *w);
	free(words);
	return held;
}

/*
 * Does f name category c by a keyword said as besides (路面也全是坑, 另外
 * 楼道里灯也坏了, and the street light is broken): a second problem?  The
 * words are looked for in the keyword's clause and just before it.
 */
static bool
named_besides(const struct dstep *st, const char *f, int c)
{
	static const char *const besides[] = {
		"也", "还有", "仲有", "又", "另外", "and ", "also", "too",
		"as well"
	};
	const char	*at, *end, *from;
	char		*clause, *before;
	size_t		 i;
	bool		 said = false;

	if ((at = keyword_span(st, f, c, &end)) == NULL) {
		/* English, its keywords folded whole (streetlight): the
		 * message's words, when they hold one of c's at all (not
		 * the "and" of "our boat and nets" when nothing names the
		 * classifier's category) */
		if (utf8_has_cjk(f) || !en_names(st, f, c))
			return false;
		for (i = 0; i < nitems(besides) && !said; i++)
			said = strstr(f, besides[i]) != NULL;
		return said;
	}
	for (from = at; from > f && at - from < 12; from--)
		;
	while (from < at && ((unsigned char)*from & 0xc0) == 0x80)
		from++;			/* not inside a character */
	before = xstrndup(from, (size_t)(at - from));
	clause = clause_at(f, (size_t)(at - f));
	for (i = 0; i < nitems(besides) && !said; i++)
		said = says_join(clause, besides[i]) ||
		    says_join(before, besides[i]);
	free(before);
	free(clause);
	return said;
}

/* Does folded f name a post's pay (护林员的工资, 保洁员工资): the post's
 * category, when the office listed the post, not the wages'? */
static bool
post_pay(const char *f)
{
	static const char *const pay[] = {
		"员的工资", "员的工钱", "员工资", "员工钱"
	};
	size_t	 i;

	for (i = 0; i < nitems(pay); i++)
		if (strstr(f, pay[i]) != NULL)
			return true;
	return false;
}

/*
 * Is the rival category c's keyword one character right after category
 * k's, a quality and how much of it (养猪场臭死了, 猪场臭得要死: the pig
 * farm stinks, no rubbish problem; not 村道垮了, which may be either)?
 */
static bool
rival_says_how(const struct dstep *st, int k, int c)
{
	const char	*ks, *ke, *cs, *ce;

	if ((ks = keyword_span(st, st->m.folded, k, &ke)) == NULL ||
	    (cs = keyword_span(st, st->m.folded, c, &ce)) == NULL ||
	    ce - cs != (ptrdiff_t)strlen("臭") || ke - ks <= ce - cs ||
	    cs != ke)
		return false;
	return strncmp(ce, "死", strlen("死")) == 0 ||
	    strncmp(ce, "得", strlen("得")) == 0 ||
	    strncmp(ce, "到", strlen("到")) == 0;
}

/* Is the keyword written before a word that joins another problem
 * (text_join_at: 还有, 另外, 而且 …; 医保报不了…还有她的高龄补贴也停了):
 * the one named first, the other named second, whatever the whole reads? */
static bool
named_before_join(const struct dmsg *m)
{
	size_t	 cut;

	/* (an English "and" joins words as often as problems) */
	if (!utf8_has_cjk(m->text))
		return false;
	cut = text_join_at(m->text);
	return cut > 0 && m->cat_at < cut;
}

/*
 * Keywords of two categories in one clause (堵了 of drains, 渠 of
 * irrigation in 水渠被人堵了，田放不到水): the one text_find took, the
 * longest, may be the lesser.  When the classifier over the whole
 * message is sure (CLASSIFY_PASSING) of the other, both are asked, the
 * classifier's first: a question costs one answer, a wrong case cannot
 * be mended.
 */
static void
msg_rival(struct dstep *st)
{
	struct dmsg	*m = &st->m;
	char		*whole, *clause;
	int		*order;
	double		 p;
	size_t		 c;
	int		 w;
	bool		 joined;

	if (m->category < 0 || m->cat_weak || m->ncat_cands > 0)
		return;
	/* most messages hold no other category's keyword at all: that
	 * first, over the folding at hand */
	for (c = 0; c < st->cfg->ncategories; c++)
		if ((int)c != m->category && holds_keyword(st, m->folded,
		    (int)c))
			break;
	if (c == st->cfg->ncategories)
		return;
	/* the clause that names the category */
	clause = clause_at(m->text, m->cat_at);
	whole = text_where_masked(st->ix, clause);
	free(clause);
	/* taken by a keyword of this clause, not read before a joining word */
	c = holds_keyword(st, whole, m->category) ? 0 :
	    st->cfg->ncategories;
	for (; c < st->cfg->ncategories; c++)
		if ((int)c != m->category && holds_keyword(st, whole, (int)c))
			break;
	joined = c < st->cfg->ncategories &&
	    keywords_joined(st, whole, m->category, (int)c);
	/* pay owed for work, named so (石材厂欠阮三个月工资, 在糖厂做季
	 * 节工…欠工资): the wages, whatever the works are */
	w = c == st->cfg->ncategories || joined ? -1 :
	    wages_category(st, m->category) ? m->category :
	    wages_category(st, (int)c) && !post_pay(whole) ? (int)c : -1;
	if (w >= 0 && holds_keyword(st, whole, w)) {
		/* ... and money owed that nobody worked for (收茶的老板拖欠阮
		 * 茶青钱): the other's, or the wages?  Both asked */
		if (says_work(m->folded))
			m->category = w;
		else
			ask_both(m, w == m->category ? (int)c : m->category, w);
		free(whole);
		return;
	}
	free(whole);
	if (c == st->cfg->ncategories)
		return;
	whole = text_where_masked(st->ix, m->text);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	p = classifier_rank_plain(text_classifier(st->ix), whole, order, NULL);
	if (p >= CLASSIFY_PASSING && order[0] != m->category && !joined &&
	    holds_keyword(st, whole, order[0]) &&
	    !named_besides(st, whole, order[0]) && !named_before_join(m)) {
		/* (the clause held one of it, the whole message holds it) */
		ask_both(m, order[0], m->category);
	} else if (!joined && (p < CLASSIFY_PASSING ||
	    order[0] != m->category) && !rival_says_how(st, m->category,
	    (int)c)) {
		/* 偷割胶, 石材厂欠工资: one problem that two categories'
		 * words share, the message not plainly the longest's */
		ask_both(m, m->category, (int)c);
	}
	free(order);
	free(whole);
}

/*
 * Is each one-character keyword of the weak category that the message
 * holds read inside another category's word (坑 of 蹲坑, toilets)?  It
 * then names nothing.
 */
static bool
weak_in_other_word(const struct dstep *st)
{
	const struct dmsg	*m = &st->m;
	const char *const	*w;
	const char		*p;
	uint32_t		 c;
	bool			 any = false;

	for (w = text_category_words(st->ix, m->category); *w != NULL; w++) {
		p = *w;
		if (utf8_decode(&p, &c) <= 0 || *p != '\0' || c < 0x80 ||
		    strstr(m->folded, *w) == NULL)
			continue;
		if (!classifier_in_other_word(text_classifier(st->ix), m->text, *w))
			return false;
		any = true;
	}
	return any;
}

/*
 * Keywords of two categories heard alike, neither written (也猪: yezhu,
 * 野猪 or 业主): the rest of the message tells which was meant when the
 * classifier is sure of one over every complaint's words too (吃庄稼,
 * 拱); else both are asked (水官坏了: 水管 or 税官? 坏了 says neither).
 */
static void
msg_tie(struct dstep *st)
{
	struct dmsg	*m = &st->m;
	char		*masked;
	int		*order;
	double		*prob;
	size_t		 i;

	masked = text_where_masked(st->ix, m->text);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	prob = xcalloc(st->cfg->ncategories, sizeof(*prob));
	classifier_rank_plain(text_classifier(st->ix), masked, order, prob);
	for (i = 0; i < m->ncat_cands; i++)
		if (m->cat_cands[i] == order[0] &&
		    prob[order[0]] >= CLASSIFY_TAKE) {
			m->category = order[0];
			m->ncat_cands = 0;
			break;
		}
	free(prob);
	free(order);
	free(masked);
}

/*
 * A keyword the rest of the message plainly denies: the classifier, the
 * places masked, is CLASSIFY_DISSENT sure of another category and leaves
 * the keyword's next to nothing (青稞 named in a message about wild
 * boars trampling it; 养殖户 of the one who owes the wages), or, when
 * that category is the one a second keyword names, CLASSIFY_SECOND sure
 * and leaves the first SECOND_DENIED at most (the dike "leaking water":
 * the flood, not the water filed and the flood to send again).  Both are
 * asked, the classifier's first: a question can be answered, a wrong
 * case cannot.  Not when a keyword of the classifier's is joined to
 * the first (水管和路灯都坏了): two problems, the first named filed.  A
 * keyword heard, not written (停店 for 停电), is read as meant.
 */
/* s (from malloc(), freed) with each from replaced by to: a new string
 * from malloc(). */
static char *
written_as(char *s, const char *from, const char *to)
{
	struct buf	 b;
	const char	*p, *at;
	size_t		 fl = strlen(from);

	buf_init(&b, 0);
	for (p = s; (at = strstr(p, from)) != NULL; p = at + fl) {
		buf_add(&b, p, (size_t)(at - p));
		buf_addstr(&b, to);
	}
	buf_addstr(&b, p);
	free(s);
	return buf_steal(&b);
}

static void
msg_dissent(struct dstep *st)
{
	struct dmsg	*m = &st->m;
	char		*masked;
	int		*order;
	double		*prob, p;
	bool		 second;

	if (m->category < 0 || m->cat_weak || m->cat_guessed ||
	    m->ncat_cands > 0 || text_units(m->text) > DISSENT_UNITS)
		return;
	/* pay owed for work, named by a keyword of the wages: no other
	 * reading denies it (在糖厂做季节工，老板欠了我们的工资); money
	 * owed for tea (收茶的老板拖欠茶钱) still may be */
	if (wages_category(st, m->category) && says_work(m->folded))
		return;
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	prob = xcalloc(st->cfg->ncategories, sizeof(*prob));
	masked = text_where_masked(st->ix, m->text);
	/* a keyword heard, not written (路等 for 路灯): read as meant */
	if (m->heard[0] != '\0' && m->meant[0] != '\0')
		masked = written_as(masked, m->heard, m->meant);
	p = classifier_rank_plain(text_classifier(st->ix), masked, order, prob);
	/* money owed and nobody said they worked (交的棉花，棉款还差一万多
	 * 没给): the keyword's trade, no wages to deny it by */
	if (wages_category(st, order[0]) && !says_work(m->folded))
		p = 0;
	second = text_other_category(st->ix, m->text, m->category) == order[0];
	/* (a keyword of it joined to the first, 水管和路灯: two problems,
	 * the one named first filed) */
	if (order[0] != m->category && ((p >= CLASSIFY_DISSENT &&
	    prob[m->category] <= CLASSIFY_DENIED) || (second &&
	    p >= CLASSIFY_SECOND && prob[m->category] <= SECOND_DENIED)) &&
	    !keywords_joined(st, masked, m->category, order[0]) &&
	    !named_besides(st, masked, order[0]) && !named_before_join(m)) {
		ask_both(m, order[0], m->category);
		m->cat_where = false;
	}
	free(masked);
	free(order);
	free(prob);
}

/*
 * A keyword in a clause that says what the resident did too (社保也交了,
 * 残疾证也办了), another category's keyword besides (说积分不够没学位):
 * what they did is the story, the other may be the problem.  Both are
 * asked, the other first, unless the whole plainly reads the keyword's
 * (残疾证也办了，护理那个补助一直没批下来: the disabled's care).
 */
static void
msg_done_too(struct dstep *st)
{
	struct dmsg	*m = &st->m;
	char		*clause;
	bool		 done;
	int		 o;

	if (m->category < 0 || m->cat_weak || m->ncat_cands > 0)
		return;
	clause = clause_at(m->text, m->cat_at);
	done = also_done(clause);
	free(clause);
	if (done && (o = text_other_category(st->ix, m->text,
	    m->category)) >= 0 && !whole_reads(st, m->category))
		ask_both(m, o, m->category);
}

/*
 * What needs the classifier, which the shell retrains as cases close:
 * only in dialog_step (the writer), never in dialog_parse.
 */
static void
msg_finish(struct dstep *st)
{
	struct dmsg	*m = &st->m;

	if (m->cat_weak && weak_in_other_word(st)) {
		m->category = -1;	/* 蹲坑 names no road */
		m->cat_weak = m->cat_where = false;
	}
	if (m->category < 0 && m->ncat_cands > 0 && m->cands_sound)
		msg_tie(st);
	if ((m->category < 0 && m->ncat_cands == 0) || m->cat_weak)
		msg_classify(st);
	if (m->category >= 0 && (m->cat_at > 0 || (!utf8_has_cjk(m->text) &&
	    text_other_category(st->ix, m->text, m->category) < 0)))
		msg_passing(st);
	msg_rival(st);
	msg_dissent(st);
	msg_done_too(st);
	msg_describe(st);
}

struct dialog_msg {
	struct dmsg	 m;
};

struct dialog_msg *
dialog_parse(const struct config *cfg, const struct text_index *ix, const char *text)
{
	struct dialog_input	 in;
	struct dstep		 st;
	struct dialog_msg	*dm;

	if (cfg == NULL || text == NULL)
		return NULL;
	memset(&in, 0, sizeof(in));
	memset(&st, 0, sizeof(st));
	in.text = text;
	st.cfg = cfg;
	st.ix = ix;
	st.in = &in;
	msg_parse(&st);
	dm = xcalloc(1, sizeof(*dm));
	dm->m = st.m;
	return dm;
}

void
dialog_msg_names(const struct dialog_msg *dm, int *grid, int *category)
{
	*grid = dm != NULL ? dm->m.grid : -1;
	*category = dm != NULL && !dm->m.cat_weak ? dm->m.category : -1;
}

void
dialog_msg_free(struct dialog_msg *dm)
{
	if (dm == NULL)
		return;
	free(dm->m.text);
	free(dm->m.folded);
	free(dm);
}

/* --- filling the request ------------------------------------------------- */

static void
set_grid(struct dstep *st, int g)
{
	st->cv->grid = g;
	st->cv->township = grid_township(st->cfg, g);
	st->cv->nplaces = 0;
}

/* Villages the message names by sound alike, when none is known yet. */
static void
set_places(struct dstep *st)
{
	if (st->cv->grid >= 0 || st->m.ngrid_cands < 2)
		return;
	memcpy(st->cv->places, st->m.grid_cands, sizeof(st->cv->places));
	st->cv->nplaces = st->m.ngrid_cands;
}

/* Add the message's text to the description, unless it is there already. */
static void
desc_join(struct dstep *st)
{
	const char	*d = st->cv->description, *t = st->m.text, *sep;
	char		*joined;

	if (d != NULL && strstr(d, t) != NULL)
		return;
	if (d == NULL)
		joined = xstrdup(t);
	else {
		sep = utf8_has_cjk(d) || utf8_has_cjk(t) ? "；" : "; ";
		joined = xasprintf("%s%s%s", d, sep, t);
	}
	free(st->cv->description);
	st->cv->description = text_cap(joined, DESC_MAX_UNITS);
	free(joined);
}

/*
 * Take from the message what the request still lacks: category, place
 * (or the township, a best guess), and its words when they describe.  A
 * message that is a whole request by itself overrides what it names.
 */
static void
fill(struct dstep *st)
{
	const struct dmsg	*m = &st->m;
	struct conv_state	*cv = st->cv;
	bool			 whole;

	whole = m->category >= 0 && m->grid >= 0 && m->descriptive;
	if (m->category >= 0 && (cv->category < 0 || whole))
		cv->category = m->category;
	/* asked what the matter is, the place of the matter told is the
	 * request's: the open one had no more than a place */
	if (m->grid >= 0 && (cv->grid < 0 || whole ||
	    (cv->state == DS_ASK_DESCRIPTION && m->descriptive)))
		set_grid(st, m->grid);
	else if (m->township >= 0 && cv->grid < 0)
		cv->township = m->township;
	set_places(st);
	if (m->descriptive)
		desc_join(st);
}

/* --- the questions: rows of the state machine ---------------------------- */

/*
 * The order of the category list: config order, but the classifier's
 * likeliest (CLASSIFY_LIST and up, at most LIST_FIRST of them) first, and
 * homophones the message left tied before them.  Into cv->choices.
 */
static void
rank_choices(struct dstep *st)
{
	struct conv_state	*cv = st->cv;
	const char		*text = cv->description != NULL ? cv->description :
				    st->m.text;
	char			*masked;
	int			*order, *front;
	double			*prob, p;
	size_t			 n = st->cfg->ncategories, nf = 0, i, j;

	cv->nchoices = 0;
	if (n == 0 || n > CONV_CHOICES_MAX)
		return;
	order = xcalloc(n, sizeof(*order));
	prob = xcalloc(n, sizeof(*prob));
	/* the message's candidates, the likeliest, then every category */
	front = xcalloc(TEXT_CANDS_MAX + LIST_FIRST + n, sizeof(*front));
	for (i = 0; i < st->m.ncat_cands; i++)
		front[nf++] = st->m.cat_cands[i];
	masked = text_where_masked(st->ix, text);
	p = classifier_rank_topical(text_classifier(st->ix), masked, order, prob);
	free(masked);
	if (p >= CLASSIFY_LIST)
		for (i = 0; i < n && i < LIST_FIRST && prob[order[i]] >= CLASSIFY_LIST / 2;
		    i++)
			front[nf++] = order[i];
	for (i = 0; i < n; i++)
		front[nf++] = (int)i;
	for (i = 0; i < nf && cv->nchoices < n; i++) {
		for (j = 0; j < cv->nchoices; j++)
			if (cv->choices[j] == front[i])
				break;
		if (j == cv->nchoices)
			cv->choices[cv->nchoices++] = front[i];
	}
	free(order);
	free(prob);
	free(front);
}

/* The category list, likeliest first, and 其他 (other) last. */
static void
ask_category(struct dstep *st)
{
	const struct category	*c;
	const char		**names;
	char			 *other;
	size_t			  i, n = st->cfg->ncategories;

	rank_choices(st);
	names = xcalloc(n + 2, sizeof(*names));
	for (i = 0; i < n; i++) {
		c = &st->cfg->categories[st->cv->nchoices > 0 ? st->cv->choices[i] : (int)i];
		names[i] = lang_en(st->lang) && c->name_en != NULL ? c->name_en : c->name;
	}
	other = dialog_render(st->cfg, st->lang, "category_other", NULL);
	names[n] = other;
	reply_choices(st, st->cv->fix > 0 ? "fix_ask_category" : "ask_category",
	    names, n + 1);
	free(other);
	free(names);
}

/* The village question: with the villages of the township when one is
 * known, else by name. */
static void
ask_place(struct dstep *st)
{
	char	**names = NULL;
	size_t	  n = 0, i;
	int	  g;

	if (st->cv->nplaces >= 2) {
		/* villages whose names sound alike: the resident picks one */
		names = xcalloc(st->cv->nplaces + 1, sizeof(*names));
		for (n = 0; n < st->cv->nplaces; n++)
			names[n] = grid_label(st->cfg, st->lang, st->cv->places[n]);
	} else if (st->cv->township >= 0) {
		names = xcalloc(st->cfg->ngrids + 1, sizeof(*names));
		while ((g = township_grid(st->cfg, st->cv->township, (int)n + 1)) >= 0)
			names[n++] = grid_label(st->cfg, st->lang, g);
	}
	if (n > 0)
		reply_choices(st, "ask_place", (const char *const *)names, n);
	else
		reply(st, "ask_village", NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void
ask_description(struct dstep *st)
{
	reply(st, "ask_description", NULL, NULL);
}

/* Words that answer the category question with "none of these". */
static const char *const other_words[] = {
	"其他", "其它", "其他问题", "其他的", "别的", "都不是", "other", "others",
	"somethingelse", "noneofthese"
};

/*
 * The category the request and the answer read together lean to, *p how
 * sure; -1 when no request was kept.
 */
static int
joined_reading(const struct dstep *st, double *p)
{
	const char	*d = st->cv->description;
	char		*joined, *masked;
	int		*order, c;

	*p = 0;
	if (d == NULL)
		return -1;
	joined = xasprintf("%s。%s", d, st->m.text);
	masked = text_where_masked(st->ix, joined);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	*p = classifier_rank(text_classifier(st->ix), masked, order, NULL);
	c = order[0];
	free(order);
	free(masked);
	free(joined);
	return c;
}

/*
 * The answer's weak guess read with the request's words: the category the
 * answer leans to, when the message and the answer together name it from
 * CLASSIFY_ANSWER ("收果子的秤有鬼" after "老板把秤做了手脚"); else -1.
 */
static int
joined_guess(const struct dstep *st)
{
	double	 p;
	int	 c;

	if (st->m.guess < 0)
		return -1;
	c = joined_reading(st, &p);
	return c >= 0 && p >= CLASSIFY_ANSWER && c == st->m.guess ? c : -1;
}

/* Is category c among the first ANSWER_LISTED of the list shown (or was
 * none shown, the config's order)? */
static bool
listed_first(const struct conv_state *cv, int c)
{
	size_t	 i;

	for (i = 0; i < cv->nchoices && i < ANSWER_LISTED; i++)
		if (cv->choices[i] == c)
			return true;
	return cv->nchoices == 0;
}

/*
 * The category the request and its answer read together, when the answer
 * alone reads one the list put low (舅婆一个人眼睛看不见, after a list
 * led by the elderly, read alone as a farm's): the joined reading when
 * it is listed first or is the answer's own, else -1 (asked again).
 */
static int
joined_listed(const struct dstep *st)
{
	double	 p;
	int	 c;

	if (st->cv->description == NULL)
		return st->m.guess;
	c = joined_reading(st, &p);
	return c >= 0 && p >= CLASSIFY_ANSWER && (c == st->m.guess ||
	    listed_first(st->cv, c)) ? c : -1;
}

/*
 * The category the message answers: a number from the list as shown
 * (the one after the last is 其他), a category it names, or else the
 * classifier's guess from CLASSIFY_ANSWER (the answer speaks of nothing
 * but the problem), or below it when the request's words agree
 * (joined_guess); -1 with *other set for 其他.
 */
static int
category_answer(const struct dstep *st, bool *other)
{
	const struct conv_state	*cv = st->cv;
	size_t			 n = cv->nchoices > 0 ? cv->nchoices : st->cfg->ncategories;

	*other = false;
	if (st->m.choice >= 1 && (size_t)st->m.choice <= n)
		return cv->nchoices > 0 ? cv->choices[st->m.choice - 1] :
		    st->m.choice - 1;
	if ((st->m.choice >= 1 && (size_t)st->m.choice == n + 1) ||
	    word_listed(st->m.folded, other_words, nitems(other_words))) {
		*other = true;
		return -1;
	}
	if (st->m.category >= 0 || st->m.ncat_cands > 0 || st->m.guess < 0)
		return st->m.category;
	if (st->m.guess_p < CLASSIFY_ANSWER)
		return joined_guess(st);
	if (st->m.guess_p >= CLASSIFY_PASSING || listed_first(cv, st->m.guess))
		return st->m.guess;
	return joined_listed(st);
}

static bool
check_category(const struct dstep *st)
{
	bool	 other;

	return category_answer(st, &other) >= 0 || other;
}

static void
take_category(struct dstep *st)
{
	bool	 other;

	st->cv->category = category_answer(st, &other);
	st->cv->other = other;
	st->cv->nchoices = 0;
	advance(st, DS_ASK_CATEGORY);
}

/* Unsorted: a staff member sorts it. */
static void
giveup_category(struct dstep *st)
{
	st->cv->nchoices = 0;
	advance(st, DS_ASK_CATEGORY);
}

static int
place_answer(const struct dstep *st)
{
	if (st->m.grid >= 0)
		return st->m.grid;
	if (st->m.choice >= 1 && st->cv->nplaces >= 2)
		return (size_t)st->m.choice <= st->cv->nplaces ?
		    st->cv->places[st->m.choice - 1] : -1;
	if (st->m.choice >= 1 && st->cv->township >= 0)
		return township_grid(st->cfg, st->cv->township, st->m.choice);
	return -1;
}

/* A grid, a number from the township's list, or a (new) township. */
static bool
check_place(const struct dstep *st)
{
	return place_answer(st) >= 0 ||
	    (st->m.township >= 0 && st->m.township != st->cv->township);
}

static void
take_place(struct dstep *st)
{
	int	 g = place_answer(st);

	if (g >= 0) {
		set_grid(st, g);
		advance(st, DS_ASK_PLACE);
		return;
	}
	/* Only the township: progress, and its villages are listed. */
	st->cv->township = st->m.township;
	st->cv->asked = 0;
	ask_place(st);
}

static void	 case_create(struct dstep *, bool);

static void
giveup_place(struct dstep *st)
{
	case_create(st, true);
}

/* Words that describe, or a category named alone ("路灯"): a case needs
 * no more than its category. */
static bool
check_description(const struct dstep *st)
{
	return st->m.descriptive || st->m.category >= 0;
}

static void
take_description(struct dstep *st)
{
	/* the answer to 请说说是什么问题 speaks of the problem only, as the
	 * category question's does: the guess counts from CLASSIFY_ANSWER
	 * ("村里的路坏了") */
	if (st->cv->category < 0 && st->m.category < 0 && st->m.ncat_cands == 0 &&
	    st->m.guess >= 0 && st->m.guess_p >= CLASSIFY_ANSWER)
		st->cv->category = st->m.guess;
	advance(st, DS_ASK_DESCRIPTION);	/* fill() took the words */
}

/* Nothing to file without a matter: the resident is told how to write. */
static void
giveup_description(struct dstep *st)
{
	reply(st, "intake_dropped", NULL, NULL);
	conv_reset(st);
}

struct dialog_row {
	enum dialog_state state;
	bool	(*check)(const struct dstep *);	/* does the message answer it? */
	void	(*proceed)(struct dstep *);	/* take the answer, go on */
	void	(*give_up)(struct dstep *);	/* ASK_MAX times unanswered */
	void	(*ask)(struct dstep *);		/* put the question */
};

static const struct dialog_row rows[] = {
	{ DS_ASK_DESCRIPTION, check_description, take_description,
	  giveup_description, ask_description },
	{ DS_ASK_CATEGORY, check_category, take_category, giveup_category,
	  ask_category },
	{ DS_ASK_PLACE, check_place, take_place, giveup_place, ask_place }
};

static const struct dialog_row *
row_of(enum dialog_state s)
{
	size_t	 i;

	for (i = 0; i < nitems(rows); i++)
		if (rows[i].state == s)
			return &rows[i];
	return NULL;
}

static bool
missing(const struct dstep *st, enum dialog_state s)
{
	switch (s) {
	case DS_ASK_DESCRIPTION:
		/* a case needs a problem: its category, or its words */
		return !st->desc_ok && st->cv->category < 0;
	case DS_ASK_CATEGORY:
		return st->cv->category < 0;
	case DS_ASK_PLACE:
		return st->cv->grid < 0;
	case DS_IDLE:
		break;
	}
	return false;
}

/*
 * After state from (DS_IDLE: a new request), ask the next question the
 * request needs, in the order of rows[]; when none is left, create the
 * case.
 */
static void
advance(struct dstep *st, enum dialog_state from)
{
	size_t	 i = 0;

	if (from != DS_IDLE)
		i = (size_t)(row_of(from) - rows) + 1;
	for (; i < nitems(rows); i++) {
		if (!missing(st, rows[i].state))
			continue;
		st->cv->asked = 0;
		dialog_enter_state(st, rows[i].state);
		rows[i].ask(st);
		return;
	}
	case_create(st, false);
}

/* --- the case ----------------------------------------------------------- */

/*
 * The place words of a triage case: the resident's last answer to the
 * place question when it is short and no description, else NULL.  A new
 * string.
 */
static char *
place_words(const struct dstep *st)
{
	const struct dmsg	*m = &st->m;

	char			*f;
	size_t			 i;
	bool			 none;

	if (m->text[0] == '\0' || m->folded[0] == '\0' || m->descriptive ||
	    m->choice >= 0 || m->cmd != NULL ||
	    utf8_units16(m->text) > PLACE_WORDS_MAX)
		return NULL;
	f = xstrdup(m->folded);
	for (i = 0; i < nitems(greetings_zh); i++)
		strip_all(f, greetings_zh[i]);
	for (i = 0; i < nitems(fillers_zh); i++)
		strip_all(f, fillers_zh[i]);
	none = f[0] == '\0' || word_listed(f, no_idea, nitems(no_idea));
	free(f);
	return none ? NULL : xstrdup(m->text);
}

/*
 * The second problem after a joining word (另外楼道灯也不亮) when no
 * keyword names it: the classifier's, from CLASSIFY_ANSWER (it is only
 * mentioned) and not category's; -1.
 */
static int
joined_category(struct dstep *st, const char *text, int category)
{
	char	*masked;
	int	*order;
	double	 p;
	size_t	 cut;
	int	 c = -1;

	if (text == NULL || st->cfg->ncategories == 0 ||
	    (cut = text_join_at(text)) == 0)
		return -1;
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	masked = text_where_masked(st->ix, text + cut);
	p = classifier_rank(text_classifier(st->ix), masked, order, NULL);
	if (p >= CLASSIFY_ANSWER && order[0] != category)
		c = order[0];
	free(masked);
	free(order);
	return c;
}

/*
 * The second problem text names beside category (text_other_clause), or
 * -1: not when the clause that names it reads as category's ("the street
 * light near the school is broken, the road is pitch dark": the road is
 * where it is dark, no second problem to send).
 */
static int
second_problem(const struct dstep *st, const char *text, int category)
{
	char	*clause, *masked;
	int	*order, c;
	double	 p;

	c = text_other_clause(st->ix, text, category, &clause);
	if (c < 0 || category < 0) {
		free(clause);
		return c;
	}
	masked = text_where_masked(st->ix, clause);
	order = xcalloc(st->cfg->ncategories, sizeof(*order));
	p = classifier_rank_plain(text_classifier(st->ix), masked, order, NULL);
	/* (a clause that names both, 停水又停电, names two; a post's pay,
	 * 护林员的工资, one) */
	if ((p >= CLASSIFY_ANSWER && order[0] == category &&
	    !holds_keyword(st, masked, category)) ||
	    (wages_category(st, c) && post_pay(masked)))
		c = -1;
	free(order);
	free(masked);
	free(clause);
	return c;
}

/*
 * Reply to a new case with template key, and when the resident named a
 * second problem, say it can be sent on its own (case_second); else, when
 * the problem was guessed (guessed), say how to put it right
 * (case_guessed); either only if the whole still fits two SMS segments.
 */
static void
reply_also(struct dstep *st, const char *key, const char *const *vars,
    const struct effect *e, bool guessed)
{
	const char	*svars[] = { "category", NULL, NULL };
	char		*text, *more, *cat, *both;
	int		 c;

	c = second_problem(st, e->description, e->c.category);
	if (c < 0)
		c = joined_category(st, e->description, e->c.category);
	if (c < 0 && !guessed) {
		reply(st, key, vars, "category");
		return;
	}
	text = render_fit(st->cfg, st->lang, st->prefix, key, vars, "category");
	if (c >= 0) {
		cat = category_label(st->cfg, st->lang, c);
		svars[1] = cat;
		more = dialog_render(st->cfg, st->lang, "case_second", svars);
		free(cat);
	} else
		more = dialog_render(st->cfg, st->lang, "case_guessed", NULL);
	both = xasprintf("%s%s%s", text, lang_en(st->lang) ? " " : "", more);
	free(more);
	if (sms_fits(both)) {
		free(text);
		free(st->prefix);
		st->prefix = NULL;
		reply_text(st, both);
		return;
	}
	free(both);
	free(text);
	reply(st, key, vars, "category");
}

/*
 * Was the category of the case e, made from the message at hand, a guess:
 * taken from the classifier, and it less than sure (CLASSIFY_SURE)?  Not
 * when the resident named it, in the message or in an answer.  Measured on
 * the corpus of 2,595 messages: 88 of 2,477 cases made at once say so, 10
 * of them filed wrong, of 30 filed wrong in all (on 1,875 messages, at
 * 0.95: 8 say so, 4 of them wrong; every guess: 449, 13 wrong).
 */
static bool
case_guessed(const struct dstep *st, const struct effect *e)
{
	const struct dmsg	*m = &st->m;

	return m->category >= 0 && m->category == e->c.category &&
	    m->cat_guessed && m->guess_p < CLASSIFY_SURE;
}

static void
case_reply(struct dstep *st, const struct effect *e)
{
	const struct config	*cfg = st->cfg;
	const char		*vars[11];
	char			 num[NUM_MAX];
	char			*howto, *cat, *place = NULL, *dep = NULL;
	const char		*nvars[] = { "number", num, NULL };

	snprintf(num, sizeof(num), "%ld", e->c.number);
	howto = dialog_render(cfg, st->lang, "case_howto", nvars);
	cat = category_label(cfg, st->lang, e->c.category);
	vars[0] = "number";
	vars[1] = num;
	vars[2] = "category";
	vars[3] = cat;
	vars[4] = "howto";
	vars[5] = howto;
	if (!e->c.triage) {
		place = grid_label(cfg, st->lang, e->c.grid);
		dep = deputy_label(cfg, st->lang, e->c.deputy);
		vars[6] = "place";
		vars[7] = place;
		vars[8] = "deputy";
		vars[9] = dep;
		vars[10] = NULL;
		/* the category's name gives way first: an English reply with a
		 * Chinese name is UCS-2, 134 units for two segments */
		reply_also(st, "case_created", vars, e, case_guessed(st, e));
	} else {
		place = e->c.township >= 0 ? name_in(st->lang,
		    cfg->townships[e->c.township].name,
		    cfg->townships[e->c.township].name_en) :
		    e->c.deputy == NULL ? dialog_render(cfg, st->lang, "county_office", NULL) :
		    dialog_render(cfg, st->lang, "place_unknown", NULL);
		vars[6] = "township";
		vars[7] = place;
		vars[8] = NULL;
		reply_also(st, "case_triage", vars, e, case_guessed(st, e));
	}
	free(howto);
	free(cat);
	free(place);
	free(dep);
}

/* A phone as people dial it: without +86 for a Chinese number. */
static const char *
dial_form(const char *e164)
{
	return strncmp(e164, "+86", 3) == 0 ? e164 + 3 : e164;
}

/*
 * Who the resident is, for staff: the display name a group bridge gave,
 * then the number to call back ("张大姐 13800138000"); the address when
 * neither is known.
 */
static void
resident_label(const struct dialog_input *in, char *out, size_t outsz)
{
	const char	*num = in->callback != NULL ? in->callback :
			    in->address != NULL && in->address[0] == '+' ? in->address : NULL;
	char		*name = in->sender_name != NULL && in->sender_name[0] != '\0' ?
			    name_cap(in->sender_name, SENDER_NAME_UNITS) : NULL;

	if (name != NULL && num != NULL)
		snprintf(out, outsz, "%s %s", name, dial_form(num));
	else if (name != NULL || num != NULL)
		snprintf(out, outsz, "%s", name != NULL ? name : dial_form(num));
	else
		snprintf(out, outsz, "%s", in->address != NULL ? in->address : "");
	free(name);
}

/*
 * The deputy's alert, always in Chinese: number, place, category, the
 * description cut to fit, who the resident is and the commands to answer
 * with.  Deputies call residents back, so the number is whole (the shell
 * masks it in a message to a group); a group member is named by the
 * bridge's display name, with the mobile when the bridge gave one.
 */
static void
case_alert(struct dstep *st, const struct effect *c)
{
	const struct config	*cfg = st->cfg;
	const char		*lang = "zh";
	char			 num[NUM_MAX], phone[RESIDENT_LABEL_MAX];
	char			*cmds, *cat, *place, *text, *desc;
	const char		*nvars[] = { "number", num, NULL };
	struct effect		*e;

	if (c->c.deputy == NULL && !c->c.triage)
		return;
	snprintf(num, sizeof(num), "%ld", c->c.number);
	resident_label(st->in, phone, sizeof(phone));
	cmds = dialog_render(cfg, lang, c->c.deputy == NULL ? "staff_commands_triage" :
	    c->c.triage ? "deputy_commands_triage" : "deputy_commands", nvars);
	cat = category_label(cfg, lang, c->c.category);
	if (!c->c.triage)
		place = xstrdup(cfg->grids[c->c.grid].name);
	else {
		const char *town = c->c.township >= 0 ?
		    cfg->townships[c->c.township].name : NULL;
		const char *pvars[] = { "township", town, "place", c->place, NULL };

		if (town != NULL && c->place != NULL)
			place = dialog_render(cfg, lang, "triage_place", pvars);
		else if (town != NULL || c->place != NULL)
			place = xstrdup(town != NULL ? town : c->place);
		else
			place = dialog_render(cfg, lang, "place_unknown", NULL);
	}
	if (c->c.linked_to > 0) {
		/* 已有3位群众反映: before the words, so a cut keeps it */
		char		 first[NUM_MAX], count[NUM_MAX];
		const char	*rvars[] = { "count", count, "first", first, NULL };
		char		*note;

		snprintf(first, sizeof(first), "%ld", c->c.linked_to);
		snprintf(count, sizeof(count), "%d", c->c.reporters);
		note = dialog_render(cfg, lang, "deputy_alert_reporters", rvars);
		desc = xasprintf("%s%s", note, c->description);
		free(note);
	} else
		desc = xstrdup(c->description);
	{
		const char *vars[] = { "number", num, "place", place, "category", cat,
		    "description", desc, "phone", phone, "commands", cmds,
		    NULL };

		text = render_fit(cfg, lang, NULL, c->c.triage ? "deputy_alert_triage" :
		    "deputy_alert", vars, "description");
	}
	free(desc);
	if (c->c.deputy == NULL) {	/* the county office's triage queue */
		const char	*to[STAFF_TOLD_MAX];
		size_t		 n, i;

		n = staff_of(cfg, NULL, to, nitems(to));
		for (i = 0; i < n; i++) {
			e = effect_add(st, EFF_NOTIFY_STAFF);
			e->text = xstrdup(text);
			e->staff = to[i];
			e->number = c->c.number;
			strlcpy(e->lang, lang, sizeof(e->lang));
		}
		free(text);
		goto out;
	}
	e = effect_add(st, EFF_NOTIFY_DEPUTY);
	e->text = text;
	e->deputy = c->c.deputy;
	e->number = c->c.number;
	strlcpy(e->lang, lang, sizeof(e->lang));
	/* the grid's other deputies on duty today hear of it too (代表周三见) */
	if (!c->c.triage) {
		const char	*to[ALERTED_MAX];
		size_t		 n, i;

		n = grid_alerted(cfg, &cfg->grids[c->c.grid], st->in->weekday, to,
		    nitems(to));
		for (i = 0; i < n; i++) {
			if (strcmp(to[i], c->c.deputy) == 0)
				continue;
			e = effect_add(st, EFF_NOTIFY_DEPUTY);
			e->text = xstrdup(text);
			e->deputy = to[i];
			e->number = c->c.number;
			strlcpy(e->lang, lang, sizeof(e->lang));
		}
	}
out:
	free(cmds);
	free(cat);
	free(place);
}

/*
 * Create the case from the conversation: number, category (-1: staff
 * sort it), grid and its first deputy, or for triage (place unknown)
 * the best-guess township (else the first) and its chair.  Then the
 * reply, the deputy's alert, and the conversation ends.
 */
static bool	 status_in(const char *, const char *const *, size_t);
static void	 reply_number(struct dstep *, const char *, long);

/* A case in these can no longer be withdrawn. */
static const char *const status_final[] = {
	"resolved", "closed", "declined", "cancelled"
};
/* The open request filed as it stands, said before the reply to the new
 * one ("王楼村那条已受理，编号101"). */
static void
filed_prefix(struct dstep *st, const struct effect *e)
{
	char		 num[NUM_MAX];
	char		*place = grid_label(st->cfg, st->lang, e->c.grid);
	const char	*vars[] = { "number", num, "place", place, NULL };

	snprintf(num, sizeof(num), "%ld", e->c.number);
	free(st->prefix);
	st->prefix = dialog_render(st->cfg, st->lang, "intake_filed_open", vars);
	free(place);
}

/*
 * The resident's own case this request repeats (同类诉求): the same grid
 * and category, still open, opened within dialog.duplicate_days; NULL
 * when none.  Whatever channel either came in on (SMS, hotline) counts.
 */
static const struct case_brief *
own_duplicate(const struct dstep *st, int g, int c)
{
	const struct dialog_input	*in = st->in;
	const struct case_brief		*cb;
	int64_t				 since;
	size_t				 i;

	if (g < 0 || c < 0 || st->cfg->duplicate_days <= 0)
		return NULL;
	since = in->now - (int64_t)st->cfg->duplicate_days * 86400;
	for (i = 0; in->cases != NULL && i < in->ncases; i++) {
		cb = &in->cases[i];
		if (cb->grid != NULL && cb->category != NULL &&
		    strcmp(cb->grid, st->cfg->grids[g].id) == 0 &&
		    strcmp(cb->category, st->cfg->categories[c].id) == 0 &&
		    cb->created_at >= since &&
		    !status_in(cb->status, status_final, nitems(status_final)))
			return cb;
	}
	return NULL;
}

/* Another resident's open case of the same place and category: the new
 * one is linked to the first, and counts its reporters. */
static void
link_open(const struct dstep *st, struct new_case *nc)
{
	const struct open_group	*o;
	size_t			 i;

	for (i = 0; st->in->open != NULL && i < st->in->nopen; i++) {
		o = &st->in->open[i];
		if (o->grid != NULL && o->category != NULL &&
		    strcmp(o->grid, st->cfg->grids[nc->grid].id) == 0 &&
		    strcmp(o->category, st->cfg->categories[nc->category].id) == 0) {
			nc->linked_to = o->first;
			nc->reporters = o->residents + 1;
			return;
		}
	}
}

static void
case_create(struct dstep *st, bool triage)
{
	const struct config	*cfg = st->cfg;
	struct conv_state	*cv = st->cv;
	struct effect		*e;
	const char		*deputy, *county[STAFF_TOLD_MAX];
	char			*place;
	int			 g = triage ? -1 : cv->grid, c = cv->category, t;

	if (st->in->case_limit_reached) {	/* an abuse limit, not a dialog state */
		reply(st, "limit_cases", NULL, NULL);
		conv_reset(st);
		return;
	}
	{
		const struct case_brief *dup = own_duplicate(st, g, c);

		if (dup != NULL) {
			log_debug("dialog duplicate of case number=%ld", dup->number);
			reply_number(st, "duplicate_own", dup->number);
			conv_reset(st);
			return;
		}
	}
	if (g >= 0) {
		t = grid_township(cfg, g);
		deputy = grid_deputy(cfg, g, t);
		place = xstrdup(cfg->grids[g].name);
	} else {
		/* a known township's chair sorts it; else the county office
		 * (分办), or without county staff the first township's chair */
		t = cv->township;
		if (t < 0 && staff_of(cfg, NULL, county, nitems(county)) == 0 &&
		    cfg->ntownships > 0)
			t = 0;
		deputy = t >= 0 ? cfg->townships[t].chair : NULL;
		place = place_words(st);
	}
	e = effect_add(st, EFF_CASE_CREATE);
	e->number = st->ncreated++ == 0 ? st->in->next_case_number :
	    st->in->second_case_number > 0 ? st->in->second_case_number :
	    st->in->next_case_number + 1;
	e->c.number = e->number;
	e->c.category = c;
	e->c.grid = g;
	e->c.township = t;
	e->c.deputy = deputy;
	e->c.department = c >= 0 ? cfg->categories[c].department : NULL;
	e->c.tier = c >= 0 ? cfg->categories[c].tier : 2;
	e->c.triage = g < 0;
	e->description = xstrdup(cv->description != NULL ? cv->description : st->m.text);
	e->place = place;
	if (g >= 0 && c >= 0)
		link_open(st, &e->c);
	log_debug("dialog case number=%ld grid=%s category=%s deputy=%s%s",
	    e->number, g >= 0 ? cfg->grids[g].id : "-",
	    c >= 0 ? cfg->categories[c].id : "-", deputy != NULL ? deputy : "-",
	    e->c.triage ? " triage" : "");
	/* The effects array may move: work from a copy of the case. */
	{
		struct effect	 copy = *e;

		if (st->quiet)
			filed_prefix(st, &copy);
		else
			case_reply(st, &copy);
		case_alert(st, &copy);
	}
	conv_reset(st);
}

/* --- commands ----------------------------------------------------------- */

static const struct case_brief *
case_find(const struct dialog_input *in, long number)
{
	size_t	 i;

	for (i = 0; in->cases != NULL && i < in->ncases; i++)
		if (in->cases[i].number == number)
			return &in->cases[i];
	return NULL;
}

static bool
status_in(const char *status, const char *const *list, size_t n)
{
	return status != NULL && word_listed(status, list, n);
}

/* A case in these is in a department's hands. */
static const char *const status_at_dept[] = {
	"dispatched", "in_progress", "resolved", "closed"
};

static void
reply_number(struct dstep *st, const char *key, long number)
{
	char		 num[NUM_MAX];
	const char	*vars[] = { "number", num, NULL };

	snprintf(num, sizeof(num), "%ld", number);
	reply(st, key, vars, NULL);
}

/* 查询 [N]: that case of the resident's, or their latest. */
static void
cmd_status(struct dstep *st)
{
	const struct config	*cfg = st->cfg;
	const struct case_brief	*cb;
	const struct category	*cat;
	const struct department	*dept;
	char			 num[NUM_MAX];
	char			*status, *catname, *holder, *detail;

	if (st->m.number >= 0)
		cb = case_find(st->in, st->m.number);
	else
		cb = st->in->ncases > 0 ? &st->in->cases[0] : NULL;
	if (cb == NULL) {
		if (st->m.number >= 0)
			reply_number(st, "not_found", st->m.number);
		else
			reply(st, "status_none", NULL, NULL);
		return;
	}
	snprintf(num, sizeof(num), "%ld", cb->number);
	status = status_label(cfg, st->lang, cb->status);
	cat = cb->category != NULL ? config_category(cfg, cb->category) : NULL;
	catname = category_label(cfg, st->lang, cat != NULL ?
	    (int)(cat - cfg->categories) : -1);
	if (cb->department != NULL &&
	    status_in(cb->status, status_at_dept, nitems(status_at_dept)))
		holder = (dept = config_department(cfg, cb->department)) != NULL ?
		    name_in(st->lang, dept->name, dept->name_en) :
		    xstrdup(cb->department);
	else
		holder = deputy_label(cfg, st->lang, cb->deputy);
	{
		const char *dvars[] = { "category", catname, "holder", holder, NULL };

		detail = dialog_render(cfg, st->lang, "status_detail", dvars);
	}
	{
		const char *vars[] = { "number", num, "status", status, "detail", detail,
		    NULL };

		reply(st, "status", vars, "detail");
	}
	free(status);
	free(catname);
	free(holder);
	free(detail);
}

/*
 * 取消 N: the resident's own case, while it is not finished.  取消 alone
 * drops the request being taken, or says how to name the case.
 */
static void
cmd_cancel(struct dstep *st)
{
	const struct case_brief	*cb;
	struct effect		*e;
	char			 num[NUM_MAX];
	char			*status;
	size_t			 i;

	if (st->m.number < 0) {
		if (st->cv->state != DS_IDLE) {
			reply(st, "intake_cancelled", NULL, NULL);
			conv_reset(st);
			return;
		}
		for (i = 0, cb = NULL; cb == NULL && i < st->in->ncases; i++)
			if (!status_in(st->in->cases[i].status, status_final,
			    nitems(status_final)))
				cb = &st->in->cases[i];
		if (cb == NULL && st->in->ncases > 0)
			cb = &st->in->cases[0];
		if (cb == NULL)
			reply(st, "status_none", NULL, NULL);
		else
			reply_number(st, "cancel_usage", cb->number);
		return;
	}
	if ((cb = case_find(st->in, st->m.number)) == NULL) {
		reply_number(st, "not_found", st->m.number);
		return;
	}
	if (status_in(cb->status, status_final, nitems(status_final))) {
		const char *vars[] = { "number", num, "status", NULL, NULL };

		snprintf(num, sizeof(num), "%ld", cb->number);
		status = status_label(st->cfg, st->lang, cb->status);
		vars[3] = status;
		reply(st, "cancel_refused", vars, NULL);
		free(status);
		return;
	}
	e = effect_add(st, EFF_CASE_CANCEL);
	e->number = cb->number;
	reply_number(st, "cancelled", cb->number);
	/* Whoever holds it stops working on it.  Deputies read Chinese. */
	if (cb->deputy != NULL && config_deputy(st->cfg, cb->deputy) != NULL) {
		const char	*vars[] = { "number", num, NULL };

		snprintf(num, sizeof(num), "%ld", cb->number);
		e = effect_add(st, EFF_NOTIFY_DEPUTY);
		e->number = cb->number;
		e->deputy = config_deputy(st->cfg, cb->deputy)->id;
		e->text = dialog_render(st->cfg, "zh", "deputy_case_withdrawn", vars);
		strlcpy(e->lang, "zh", sizeof(e->lang));
	}
}


/*
 * Words a resident opens with to say the case just filed has the wrong
 * problem ("不对，是防汛的", "不是饮水，是大堤渗水", "Wrong, it's the
 * dike"), after a 你们 / 您 perhaps.  Folded, as the message's start.
 */
static const char *const fix_openers_zh[] = {
	"不对", "不是", "错了", "搞错", "弄错", "分错", "归错", "选错", "写错",
	"填错", "记错", "分类错", "类别错", "类型错", "问题错", "问题不对"
};
static const char *const fix_openers_en[] = {
	"wrong", "no", "not", "incorrect", "thats wrong", "its not",
	"it is not", "that is wrong"
};
/* ... and the words after which the right problem is named (是大堤渗水) */
static const char *const fix_affirm[] = {
	"应该是", "应该归", "应该算", "应当是", "而是", "属于", "是", "归",
	"it's", "it is", "its", "should be", "about"
};

/*
 * Where, in raw text, what the resident says the problem is starts after a
 * correction's opener; NULL when the message does not open with one.
 * "不对劲" and "不是很亮" open nothing: the opener must end a clause or be
 * followed by what it negates and a clause naming the right one.
 */
static const char *
fix_rest(const char *raw, bool *wrong)
{
	const char	*p = raw, *const *list;
	char		*w;
	size_t		 i, n, l;
	bool		 en = !utf8_has_cjk(raw);

	/* a form of address first: 你们, 您, 你 */
	for (i = 0; i < 3; i++) {
		static const char *const you[] = { "你们", "您", "你" };

		if (strncmp(p, you[i], strlen(you[i])) == 0) {
			p += strlen(you[i]);
			break;
		}
	}
	list = en ? fix_openers_en : fix_openers_zh;
	n = en ? nitems(fix_openers_en) : nitems(fix_openers_zh);
	w = en ? text_fold_words(p) : NULL;
	for (i = 0; i < n; i++) {
		l = strlen(list[i]);
		if (en) {
			/* whole words: "no" is not "nothing" */
			if (strncmp(w, list[i], l) == 0 && (w[l] == ' ' ||
			    w[l] == '\0'))
				break;
		} else if (strncmp(p, list[i], l) == 0 &&
		    strncmp(p + l, "劲", strlen("劲")) != 0)
			break;
	}
	free(w);
	if (i == n)
		return NULL;
	/* 不是, no, not may deny something else than the problem (不是一家
	 * 两家，整个村都停水了); the others say the case is wrong */
	*wrong = strcmp(list[i], "不是") != 0 && strcmp(list[i], "no") != 0 &&
	    strcmp(list[i], "not") != 0;
	if (!en)
		return p + strlen(list[i]);
	/* English: past the opener's letters in the raw text ("That's") */
	for (l = 0, n = 0; list[i][l] != '\0'; l++)
		n += isalnum((unsigned char)list[i][l]) != 0;
	for (; *p != '\0' && n > 0; p++)
		n -= isalnum((unsigned char)*p) != 0;
	return p;
}

/*
 * The category a piece of a message names: a keyword, a name, or the
 * classifier's guess from CLASSIFY_ANSWER, as the answer to the category
 * question is read; -1 when none or tied.
 */
static int
category_of(const struct dstep *st, const char *text)
{
	struct dialog_input	 in;
	struct conv_state	 cv;
	struct dstep		 sub;
	int			 c = -1;

	memset(&in, 0, sizeof(in));
	memset(&sub, 0, sizeof(sub));
	conv_state_init(&cv);
	in.text = text;
	sub.cfg = st->cfg;
	sub.ix = st->ix;
	sub.in = &in;
	sub.cv = &cv;
	sub.lang = st->lang;
	sub.answers = true;
	msg_parse(&sub);
	msg_finish(&sub);
	if (sub.m.category >= 0 && sub.m.ncat_cands == 0)
		c = sub.m.category;
	else if (sub.m.category < 0 && sub.m.ncat_cands == 0 &&
	    sub.m.guess >= 0 && sub.m.guess_p >= CLASSIFY_ANSWER)
		c = sub.m.guess;
	free(sub.m.text);
	free(sub.m.folded);
	conv_state_clear(&cv);
	return c;
}

/*
 * The right problem a correction names (rest: past its opener): after
 * 是 / 应该是 / it's when said ("不是饮水，是大堤渗水"), else after the
 * clause the opener negates ("不是饮水的问题，堤坝漏水了"), else all of
 * rest ("不对，大堤渗水了"); the first that names a category other than
 * wrong.  -1 when none does.
 */
static int
fix_category(const struct dstep *st, const char *rest, int wrong)
{
	const char	*at, *best = NULL;
	char		*clause;
	size_t		 i, l = 0;
	int		 c;

	for (i = 0; i < nitems(fix_affirm); i++)
		if ((at = strstr(rest, fix_affirm[i])) != NULL &&
		    (best == NULL || at < best)) {
			best = at;
			l = strlen(fix_affirm[i]);
		}
	if (best != NULL && (c = category_of(st, best + l)) >= 0 && c != wrong)
		return c;
	clause = clause_at(rest, 0);
	at = rest + strlen(clause);
	free(clause);
	if (*at != '\0' && (c = category_of(st, at)) >= 0 && c != wrong)
		return c;
	if ((c = category_of(st, rest)) >= 0 && c != wrong)
		return c;
	return -1;
}

/* The index of the category a case brief names, or -1. */
static int
brief_category(const struct config *cfg, const struct case_brief *cb)
{
	const struct category	*k;

	if (cb->category == NULL || (k = config_category(cfg, cb->category)) == NULL)
		return -1;
	return (int)(k - cfg->categories);
}

/*
 * The resident's newest case, when its problem may still be put right:
 * made within dialog.idle_minutes and taken by no one yet (received);
 * else NULL.
 */
static const struct case_brief *
fixable_case(const struct dstep *st)
{
	const struct case_brief	*cb;

	if (st->in->ncases == 0 || st->cfg->ncategories == 0)
		return NULL;
	cb = &st->in->cases[0];
	if (cb->status == NULL || strcmp(cb->status, "received") != 0 ||
	    st->in->now - cb->created_at > (int64_t)st->cfg->idle_minutes * 60)
		return NULL;
	return cb;
}

/* Case cb's problem is c now: the case changed, the resident told, and
 * the deputy who has it (in Chinese, the old problem beside). */
static void
recategorize(struct dstep *st, const struct case_brief *cb, int c)
{
	const struct config	*cfg = st->cfg;
	const struct category	*k = &cfg->categories[c];
	struct effect		*e;
	char			 num[NUM_MAX];
	char			*name, *was;
	int			 wrong = brief_category(cfg, cb);

	e = effect_add(st, EFF_CASE_RECATEGORIZE);
	e->number = cb->number;
	e->c.number = cb->number;
	e->c.category = c;
	e->c.grid = -1;
	e->c.township = -1;
	e->c.department = k->department;
	e->c.tier = k->tier;
	snprintf(num, sizeof(num), "%ld", cb->number);
	name = name_in(st->lang, k->name, k->name_en);
	{
		const char *vars[] = { "number", num, "category", name, NULL };

		reply(st, "recategorized", vars, NULL);
	}
	free(name);
	if (cb->deputy == NULL || config_deputy(cfg, cb->deputy) == NULL)
		return;
	was = wrong >= 0 ? xstrdup(cfg->categories[wrong].name) :
	    dialog_render(cfg, "zh", "category_none", NULL);
	{
		const char *vars[] = { "number", num, "category", k->name,
		    "was", was, NULL };

		e = effect_add(st, EFF_NOTIFY_DEPUTY);
		e->number = cb->number;
		e->deputy = config_deputy(cfg, cb->deputy)->id;
		e->text = dialog_render(cfg, "zh", "deputy_case_recategorized", vars);
		strlcpy(e->lang, "zh", sizeof(e->lang));
	}
	free(was);
}

/*
 * Does rest name a place besides the words of category c (its name and
 * keywords): 不对，是矿区污染 names none, though 矿区 is 锰矿社区's alias.
 */
static bool
place_besides(const struct dstep *st, const char *rest, int c)
{
	const char *const	*w;
	char			*f = text_fold(rest), *at;
	size_t			 l;
	int			 township, g;

	for (w = text_category_words(st->ix, c); *w != NULL; w++)
		if ((l = strlen(*w)) > 0)
			for (at = strstr(f, *w); at != NULL; at = strstr(at + l, *w))
				memset(at, ' ', l);
	g = text_find_place(st->ix, f, &township);
	free(f);
	return g >= 0;
}

/*
 * "不对，是防汛的问题" right after a case was filed (fixable_case): the
 * resident puts its problem right.  Of the place the message names if
 * any, the case gets the category the message names after its opener;
 * when it names none plainly ("不对，龙虾被农药水毒死了"), the category
 * list is asked, likeliest first, to put that case right (conv.fix).
 * False when the message is no such correction: it is then read as a new
 * request.
 */
static bool
correction(struct dstep *st)
{
	const struct config	*cfg = st->cfg;
	const struct case_brief	*cb;
	const char		*rest;
	int			 c, was;
	bool			 wrong = false;

	if ((cb = fixable_case(st)) == NULL ||
	    (rest = fix_rest(st->m.text, &wrong)) == NULL)
		return false;
	was = brief_category(cfg, cb);
	c = fix_category(st, rest, was);
	/* another place named: a new request; not a place's word inside
	 * the category the correction names (矿区 of 矿区污染, 锰矿社区's) */
	if (st->m.grid >= 0 && (cb->grid == NULL ||
	    strcmp(cfg->grids[st->m.grid].id, cb->grid) != 0) &&
	    (c < 0 || place_besides(st, rest, c)))
		return false;
	if (c >= 0) {
		recategorize(st, cb, c);
		return true;
	}
	/* nothing but the opener ("不对"), or 不是 and the same problem
	 * again (more about it): read as before */
	{
		char	*f = text_fold(rest);
		bool	 bare = utf8_units16(f) < 2;

		free(f);
		if (bare || (!wrong && category_of(st, rest) == was))
			return false;
	}
	free(st->cv->description);
	st->cv->description = xstrdup(rest);
	st->cv->fix = cb->number;
	st->cv->asked = 0;
	dialog_enter_state(st, DS_ASK_CATEGORY);
	ask_category(st);
	return true;
}

/*
 * The answer to the category question asked to put case conv.fix right:
 * a category puts it right; 其他, or no answer after ASK_MAX questions,
 * leaves it as it was, and says so.
 */
static void
fix_answer(struct dstep *st)
{
	const struct case_brief	*cb;
	bool			 other;
	int			 c = category_answer(st, &other);
	size_t			 i;

	for (i = 0, cb = NULL; i < st->in->ncases && cb == NULL; i++)
		if (st->in->cases[i].number == st->cv->fix)
			cb = &st->in->cases[i];
	if (cb == NULL || cb->status == NULL ||
	    strcmp(cb->status, "received") != 0)
		c = -1, other = true;	/* taken meanwhile: as it is */
	if (c >= 0) {
		if (c != brief_category(st->cfg, cb))
			recategorize(st, cb, c);
		else
			reply_number(st, "fix_kept", cb->number);
		conv_reset(st);
		return;
	}
	if (!other && ++st->cv->asked < ASK_MAX) {
		ask_category(st);
		return;
	}
	reply_number(st, "fix_kept", st->cv->fix);
	conv_reset(st);
}

/*
 * 找代表 / DEPUTY (代表亮身份): the grid's deputies with their phones (public
 * in this practice), today's duty deputy if any, and how to raise a
 * request.  The grid: named after the command, else the group's, else
 * that of the resident's latest case with one; otherwise ask for it.
 * As many deputies as fit two segments, the lead first.
 */
static void
cmd_deputy(struct dstep *st)
{
	const struct config	*cfg = st->cfg;
	const struct grid	*g;
	const struct deputy	*d, *duty = NULL;
	struct buf		 list;
	char			*text = NULL, *cand, *gname, *dlabel = NULL, *dutyline = NULL;
	const char		*sep = lang_en(st->lang) ? ", " : "、";
	size_t			 i, k;
	int			 gi = st->m.grid;

	if (gi < 0 && st->in->grid_hint >= 0)
		gi = st->in->grid_hint;
	for (k = 0; gi < 0 && k < st->in->ncases; k++) {
		const struct grid *cg = st->in->cases[k].grid != NULL ?
		    config_grid(cfg, st->in->cases[k].grid) : NULL;
		if (cg != NULL)
			gi = (int)(cg - cfg->grids);
	}
	if (gi < 0) {
		reply(st, "deputy_which", NULL, NULL);
		return;
	}
	g = &cfg->grids[gi];
	gname = grid_label(cfg, st->lang, gi);
	for (i = 1; duty == NULL && i < g->ndeputies; i++)
		if (config_deputy_on_duty(d = config_deputy(cfg, g->deputies[i]),
		    st->in->weekday))
			duty = d;
	if (duty != NULL) {
		dlabel = deputy_label(cfg, st->lang, duty->id);
		const char *v[] = { "deputy", dlabel, NULL };
		dutyline = dialog_render(cfg, st->lang, "deputy_on_duty", v);
	}
	buf_init(&list, 0);
	for (i = 0; i < g->ndeputies; i++) {
		char *label;

		if ((d = config_deputy(cfg, g->deputies[i])) == NULL)
			continue;
		label = deputy_label(cfg, st->lang, d->id);
		if (buf_str(&list)[0] != '\0')
			buf_addstr(&list, sep);
		buf_addstr(&list, label);
		buf_addstr(&list, " ");
		buf_addstr(&list, dial_form(d->phone));
		free(label);
		{
			const char *v[] = { "grid", gname, "deputies", buf_str(&list),
			    "duty", dutyline != NULL ? dutyline : "", NULL };
			cand = dialog_render(cfg, st->lang, "deputy_contacts", v);
		}
		if (text != NULL && !sms_fits(cand)) {
			free(cand);
			break;
		}
		free(text);
		text = cand;
	}
	buf_free(&list);
	if (text == NULL) {	/* a grid without a known deputy: config forbids it */
		reply(st, "deputy_which", NULL, NULL);
	} else {
		free(st->prefix);
		st->prefix = NULL;
		reply_text(st, text);
	}
	free(gname);
	free(dlabel);
	free(dutyline);
}

static void
cmd_help(struct dstep *st)
{
	reply(st, "help", NULL, NULL);
}

/* 退订: one confirmation, then the shell sends nothing more. */
static void
cmd_stop(struct dstep *st)
{
	effect_add(st, EFF_OPT_OUT);
	reply(st, "unsubscribed", NULL, NULL);
	conv_reset(st);
}

static void
cmd_start(struct dstep *st)
{
	effect_add(st, EFF_OPT_IN);
	reply(st, "subscribed", NULL, NULL);
}

/* --- the step ----------------------------------------------------------- */

/* A new request: filled from the text, then the first missing question. */
static void
intake(struct dstep *st)
{
	const struct dmsg	*m = &st->m;
	const struct dialog_input *in = st->in;

	if (m->empty) {
		reply(st, "greeting", NULL, NULL);
		return;
	}
	st->cv->category = in->category_given != NULL ?
	    (int)(in->category_given - st->cfg->categories) : m->category;
	if (in->grid_given != NULL)
		set_grid(st, (int)(in->grid_given - st->cfg->grids));
	else if (m->grid >= 0)
		set_grid(st, m->grid);
	else if (in->grid_hint >= 0 && (size_t)in->grid_hint < st->cfg->ngrids)
		set_grid(st, in->grid_hint);
	else
		st->cv->township = m->township;
	set_places(st);
	st->cv->description = text_cap(m->text, DESC_MAX_UNITS);
	st->desc_ok = m->descriptive;
	advance(st, DS_IDLE);
}

/*
 * A hotline call, or a request filed on the resident's behalf (代办): the
 * words are a whole request.  The case is made at once from what they
 * give, with no questions; without a place the grid the shell suggests
 * (the filer's), else triage by the township chair or the county staff;
 * without a category a staff member sorts it.  A grid or category that
 * staff chose (grid_given, category_given) wins over the words.
 */
static void
intake_direct(struct dstep *st)
{
	const struct dmsg	*m = &st->m;
	const struct dialog_input *in = st->in;

	st->cv->category = in->category_given != NULL ?
	    (int)(in->category_given - st->cfg->categories) : m->category;
	if (in->grid_given != NULL)
		set_grid(st, (int)(in->grid_given - st->cfg->grids));
	else if (m->grid >= 0)
		set_grid(st, m->grid);
	else if (m->township < 0 && in->grid_hint >= 0 &&
	    (size_t)in->grid_hint < st->cfg->ngrids)
		set_grid(st, in->grid_hint);
	else
		st->cv->township = m->township;
	st->cv->description = text_cap(m->text, DESC_MAX_UNITS);
	case_create(st, st->cv->grid < 0);
}

/* Is cp a Han character (not a full-width mark: ，is U+FF0C)? */
static bool
han(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0x20000 && cp <= 0x3134f);
}

/* Of the Han character pairs of a, the share that b holds too. */
static double
pairs_shared(const char *a, const char *b)
{
	const char	*p = a, *q;
	uint32_t	 cp, prev = 0;
	char		 pair[8];
	size_t		 n = 0, shared = 0, l, pl = 0;

	while (*p != '\0') {
		q = p;
		if (utf8_decode(&p, &cp) <= 0)
			break;
		l = (size_t)(p - q);
		if (han(cp) && han(prev) && pl + l < sizeof(pair)) {
			memcpy(pair + pl, q, l);
			pair[pl + l] = '\0';
			n++;
			shared += strstr(b, pair) != NULL;
		}
		prev = cp;
		if (l < sizeof(pair)) {
			memcpy(pair, q, l);
			pl = l;
		} else
			pl = 0;
	}
	return n > 0 ? (double)shared / (double)n : 0;
}

/*
 * While the category question is open, a whole request of another
 * village ("颜村铺村主路上的路灯坏了"): not the answer, but a request of
 * its own.  Not when it says the open request again with its village put
 * right (most of its words again), nor in a group unless addressed, nor
 * past the day's limit of cases.
 */
static bool
request_elsewhere(const struct dstep *st)
{
	const struct dmsg	*m = &st->m;
	const struct conv_state	*cv = st->cv;

	return cv->state == DS_ASK_CATEGORY && st->in->addressed &&
	    !st->in->case_limit_reached && cv->grid >= 0 && m->grid >= 0 &&
	    m->grid != cv->grid && m->descriptive && m->choice < 1 &&
	    cv->description != NULL &&
	    pairs_shared(cv->description, m->text) < RESTATED_SHARE;
}

/*
 * A message while a question is open: the answer (and whatever else it
 * fills), or not, and then the question again, until ASK_MAX.  Chatter in
 * a group that was not addressed to us and answers nothing is let be.
 */
static void
answer(struct dstep *st)
{
	const struct dialog_row	*row = row_of(st->cv->state);

	if (st->cv->state == DS_ASK_CATEGORY && st->cv->fix > 0) {
		fix_answer(st);
		return;
	}
	if (request_elsewhere(st)) {
		st->quiet = true;
		case_create(st, false);		/* unsorted: staff sort it */
		st->quiet = false;
		intake(st);
		return;
	}

	if (row->check(st)) {
		fill(st);
		row->proceed(st);
		return;
	}
	if (!st->in->addressed)
		return;
	fill(st);
	if (++st->cv->asked >= ASK_MAX)
		row->give_up(st);
	else
		row->ask(st);
}

int
dialog_step(const struct config *cfg, const struct text_index *ix,
    const struct dialog_input *in, struct dialog_result *res)
{
	struct dstep	 st;
	bool		 lapsed = false;
	int		 rc = -1;

	memset(res, 0, sizeof(*res));
	conv_state_init(&res->conv);
	res->conv.cfg = cfg;
	memset(&st, 0, sizeof(st));
	if (cfg == NULL || in == NULL || in->text == NULL)
		goto out;
	st.cfg = cfg;
	st.ix = ix;
	st.in = in;
	st.res = res;
	st.cv = &res->conv;
	if (in->msg != NULL) {
		st.m = in->msg->m;
		st.m.text = xstrdup(in->msg->m.text);
		st.m.folded = xstrdup(in->msg->m.folded);
	} else
		msg_parse(&st);
	st.answers = in->has_conv && in->conv.state != DS_IDLE;
	msg_finish(&st);
	if (st.m.text[0] == '\0')
		goto out;

	/* The open question, unless it lapsed: then this is a first message. */
	if (in->has_conv && in->conv.state != DS_IDLE &&
	    row_of(in->conv.state) != NULL) {
		if (in->now - in->conv.updated_at > (int64_t)cfg->idle_minutes * 60)
			lapsed = true;
		else {
			*st.cv = in->conv;
			st.cv->description = xstrdup(in->conv.description);
			st.cv->cfg = cfg;
		}
	}
	if (st.m.lang != NULL)
		st.lang = st.m.lang;
	else if (st.cv->state != DS_IDLE)
		st.lang = lang_en(st.cv->lang) ? "en" : "zh";
	else
		st.lang = cfg->language != NULL && lang_en(cfg->language) ? "en" : "zh";
	strlcpy(st.cv->lang, st.lang, sizeof(st.cv->lang));

	if (in->direct) {
		intake_direct(&st);
		goto done;
	}
	if (!in->addressed && st.cv->state == DS_IDLE) {
		rc = 0;		/* not for us */
		goto out;
	}
	if (lapsed && in->addressed)
		st.prefix = dialog_render(cfg, st.lang, "lapsed", NULL);
	if (in->addressed && st.m.cmd != NULL)
		st.m.cmd->run(&st);
	else if (st.cv->state != DS_IDLE)
		answer(&st);
	else if (!in->addressed || !correction(&st))
		intake(&st);
done:
	if (res->neffects > 0) {
		if (st.cv->state != DS_IDLE)
			st.cv->updated_at = in->now;
		effect_add(&st, EFF_SET_LANGUAGE);
	}
	rc = 0;
out:
	free(st.prefix);
	free(st.m.text);
	free(st.m.folded);
	return rc;
}
