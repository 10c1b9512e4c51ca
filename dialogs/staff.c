/*
 * dialogs/staff.c: staff commands by reply (代表定单, 人大派单, 办单) and the
 * residents' ratings (群众评单).  Deputies, township chairs and department
 * contacts answer an alert with a short command (接单 42, 派单 42 水利局 3,
 * 进展 42 文字, 办结 42 文字, 转 42 代表, 退回 42 理由, 列表, 查 42, 帮助, or
 * the English ACCEPT, DISPATCH, NOTE, RESOLVE, TRANSFER, DECLINE/REJECT,
 * LIST, SHOW, HELP).  staff_parse() reads one; staff_step() checks who may
 * do it, moves the case along the workflow table (workflow.c) and says
 * who is told what, every text from the templates and within two SMS
 * segments.  Pure: no I/O, no clock.
 */
#include "dialogs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CP_FOLD_MAX	16	/* one code point folded (NFKC may expand a few) */
#define WORD_MAX_CPS	16	/* longest command or rating word, in code points */
#define NUMBER_DIGITS	9	/* a case number has at most this many digits */
#define ARG_MAX_CPS	64	/* a department or deputy as written, at most */
#define DAYS_MAX	365
#define SHOW_EVENTS	3	/* events SHOW lists, newest last */
#define SHOW_DESC_UNITS	30	/* SHOW's description, in UTF-16 units */
#define SHOW_NOTE_UNITS	16	/* a note in SHOW's event lines */
#define LIST_CASES_MAX	50	/* open cases LIST looks at */
#define ALERTED_MAX	16	/* deputies a new case alerted */
#define DISPATCH_DEPTS_MAX 5	/* departments one 交办 names: the lead and 协办 */
#define INSTR_UNITS	40	/* the instruction in a 【交办】, UTF-16 units */
#define FIT_UNITS	134	/* two UCS-2 segments: 2 x 67 */
#define FIT_CHARS	306	/* two GSM-7 segments: 2 x 153 */

/* --- scanning raw text with folding ----------------------------------- */

/*
 * The code point at *p folded on its own (text_fold: NFKC, Traditional ->
 * Simplified, lower case; punctuation, symbols and spaces give ""), into
 * out; advances *p past it.  False at the end of the string.
 */
static bool
cp_next(const char **p, char out[CP_FOLD_MAX])
{
	const char	*s = *p, *q = *p;
	char		*one = NULL, *f = NULL;
	uint32_t	 cp;
	unsigned char	 c = (unsigned char)*s;

	if (c == '\0')
		return false;
	if (c < 0x80) {
		out[0] = '\0';
		if (c >= 'A' && c <= 'Z')
			out[0] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[0] = (char)c;
		out[out[0] != '\0'] = '\0';
		*p = s + 1;
		return true;
	}
	if (utf8_decode(&q, &cp) != 1)
		q = s + 1;
	one = xstrndup(s, (size_t)(q - s));
	f = text_fold(one);
	strlcpy(out, f, CP_FOLD_MAX);
	free(f);
	free(one);
	*p = q;
	return true;
}

/* The folded code point at p, without moving; "" at the end. */
static void
cp_peek(const char *p, char out[CP_FOLD_MAX])
{
	if (!cp_next(&p, out))
		out[0] = '\0';
}

static bool
is_digits(const char *f)
{
	if (*f == '\0')
		return false;
	for (; *f != '\0'; f++)
		if (*f < '0' || *f > '9')
			return false;
	return true;
}

static bool
is_ascii_letter(const char *f)
{
	return f[0] >= 'a' && f[0] <= 'z';
}

/* Past anything that folds to nothing: spaces, "#", "＃", punctuation. */
static const char *
skip_seps(const char *p)
{
	const char	*q;
	char		 f[CP_FOLD_MAX];

	for (q = p; cp_next(&q, f) && f[0] == '\0'; p = q)
		;
	return p;
}

/* Is the raw code point at p white space (ASCII, U+00A0, U+3000)? Sets
 * *len to its length. */
static bool
is_space_at(const char *p, size_t *len)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
		*len = 1;
		return true;
	}
	if (strncmp(p, "\xc2\xa0", 2) == 0) {
		*len = 2;
		return true;
	}
	if (strncmp(p, "\xe3\x80\x80", 3) == 0) {
		*len = 3;
		return true;
	}
	return false;
}

/*
 * The free text of a command: what follows the number, without the
 * spaces and the one delimiter (":", "：", ",", "，", "、") that lead it
 * nor the trailing spaces.  Returns a new string, or NULL when empty.
 */
static char *
free_text(const char *p)
{
	static const char *const delims[] = { ":", "\xef\xbc\x9a", ",", "\xef\xbc\x8c",
	    "\xe3\x80\x81", "-" };
	const char	*end;
	size_t		 len, i;
	bool		 delim = false;

	for (;;) {
		if (is_space_at(p, &len)) {
			p += len;
			continue;
		}
		for (i = 0; !delim && i < nitems(delims); i++)
			if (strncmp(p, delims[i], strlen(delims[i])) == 0)
				break;
		if (delim || i == nitems(delims))
			break;
		p += strlen(delims[i]);
		delim = true;
	}
	end = p + strlen(p);
	while (end > p) {
		if (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n')
			end--;
		else if (end - p >= 2 && strncmp(end - 2, "\xc2\xa0", 2) == 0)
			end -= 2;
		else if (end - p >= 3 && strncmp(end - 3, "\xe3\x80\x80", 3) == 0)
			end -= 3;
		else
			break;
	}
	return end > p ? xstrndup(p, (size_t)(end - p)) : NULL;
}

struct word {
	const char	*w;		/* folded */
	int		 val;
	bool		 en;		/* English: must end at a non-letter */
	bool		 whole;		/* a word of everyday speech (好, 差, good):
					 * only when it stands alone, followed by
					 * particles (的, 了, 啊 ...) at most, then
					 * the end or a separator: 不好意思, 差不多
					 * and "good morning" are no match */
};

/*
 * Past the particles that may follow a word standing alone (挺好的, 还行吧,
 * 不错啊), when the end of the text or a separator comes next; else NULL.
 * After an English word a space is no separator when a word follows it
 * ("good morning", but "good, thanks").
 */
static const char *
whole_end(const char *p, bool en)
{
	static const char *const particles[] = { "的", "了", "啊", "呀", "吧", "哦",
	    "噢", "喔", "嘛", "呢", "啦", "哈", "哟", "呐" };
	char		 f[CP_FOLD_MAX];
	const char	*q;
	size_t		 i, len;

	if (en) {
		for (q = p; is_space_at(q, &len); q += len)
			;
		cp_peek(q, f);
		return f[0] == '\0' ? p : NULL;
	}
	for (;;) {
		q = p;
		if (!cp_next(&q, f) || f[0] == '\0')
			return p;
		for (i = 0; i < nitems(particles); i++)
			if (strcmp(f, particles[i]) == 0)
				break;
		if (i == nitems(particles))
			return NULL;
		p = q;
	}
}

/*
 * The longest of words[] that raw starts with (after separators), folded
 * code point by code point.  Returns its index and sets *end past it in
 * raw, or returns -1.
 */
static int
match_word(const char *raw, const struct word *words, size_t nwords, const char **end)
{
	char		 acc[WORD_MAX_CPS * CP_FOLD_MAX + 1];
	char		 f[CP_FOLD_MAX], nf[CP_FOLD_MAX];
	const char	*p, *q, *e = NULL;
	size_t		 i, acclen = 0, flen;
	int		 best = -1, ncp;
	bool		 prefix;

	acc[0] = '\0';
	p = skip_seps(raw);
	for (ncp = 0; ncp < WORD_MAX_CPS; ncp++) {
		q = p;
		if (!cp_next(&q, f) || f[0] == '\0')
			break;
		flen = strlen(f);
		if (acclen + flen >= sizeof(acc))
			break;
		memcpy(acc + acclen, f, flen + 1);
		acclen += flen;
		p = q;
		prefix = false;
		for (i = 0; i < nwords; i++) {
			if (strncmp(words[i].w, acc, acclen) != 0)
				continue;
			prefix = true;
			if (words[i].w[acclen] != '\0')
				continue;
			cp_peek(p, nf);
			if (words[i].en && is_ascii_letter(nf))
				continue;
			if (words[i].whole && (e = whole_end(p, words[i].en)) == NULL)
				continue;
			best = (int)i;
			*end = words[i].whole ? e : p;
		}
		if (!prefix)
			break;
	}
	return best;
}

static bool
is_cn_numeral(const char *f)
{
	static const char *const numerals[] = { "〇", "零", "一", "二", "两", "三",
	    "四", "五", "六", "七", "八", "九", "十", "百", "千" };
	size_t	 i;

	for (i = 0; i < nitems(numerals); i++)
		if (strcmp(f, numerals[i]) == 0)
			return true;
	return false;
}

/*
 * A case number at raw after separators: "12", "#12", "＃１２", or Chinese
 * numerals followed by a separator or the end ("查 四十二").  Returns it and
 * sets *end past it, or returns -1.
 */
static long
parse_number(const char *raw, const char **end)
{
	char		 f[CP_FOLD_MAX], run[ARG_MAX_CPS * 3 + 1];
	const char	*p, *q, *e = NULL;
	long		 n = 0;
	size_t		 nd = 0, rl = 0, i;

	p = skip_seps(raw);
	for (q = p; cp_next(&q, f) && is_digits(f); p = q)
		for (i = 0; f[i] != '\0'; i++) {
			if (++nd > NUMBER_DIGITS)
				return -1;
			n = n * 10 + (f[i] - '0');
		}
	if (nd > 0) {
		*end = p;
		return n;
	}
	for (q = p; cp_next(&q, f) && is_cn_numeral(f); p = q) {
		if (rl + strlen(f) >= sizeof(run))
			return -1;
		memcpy(run + rl, f, strlen(f) + 1);
		rl += strlen(f);
	}
	if (rl == 0)
		return -1;
	cp_peek(p, f);
	if (f[0] != '\0')	/* 一直, 三楼: a word, not a number */
		return -1;
	if ((n = text_parse_number(run, &e)) < 0 || e == NULL || *e != '\0')
		return -1;
	*end = p;
	return n;
}

/* A code point of an argument: where it is in raw, and folded. */
struct cpos {
	size_t	 off;
	char	 f[CP_FOLD_MAX];
};

/* Up to max code points of s; returns how many. */
static size_t
cp_split(const char *s, struct cpos *cps, size_t max)
{
	const char	*p = s;
	size_t		 n = 0;

	while (n < max) {
		cps[n].off = (size_t)(p - s);
		if (!cp_next(&p, cps[n].f))
			break;
		n++;
	}
	return n;
}

/*
 * DISPATCH's arguments in s: a department, then optionally days ("3",
 * "３", "3天", "3 days", "三天").  Sets *namelen (bytes of s that name the
 * department, 0 when none) and *days (0 when none, -1 when unreadable).
 */
static void
split_days(const char *s, size_t *namelen, int *days)
{
	struct cpos	 cps[ARG_MAX_CPS + 1];
	char		 word[8], run[ARG_MAX_CPS * 3 + 1];
	const char	*e = NULL;
	size_t		 n, rl = 0, nd = 0;
	long		 v = 0, mul = 1;
	bool		 unit = false;
	int		 k, m, i;

	*days = 0;
	*namelen = strlen(s);
	if ((n = cp_split(s, cps, ARG_MAX_CPS + 1)) > ARG_MAX_CPS)
		return;			/* too long to be a name and days */
	for (k = (int)n - 1; k >= 0 && cps[k].f[0] == '\0'; k--)
		;
	/* a unit after the number: 天, 日, d, day, days */
	if (k >= 0 && (strcmp(cps[k].f, "天") == 0 || strcmp(cps[k].f, "日") == 0)) {
		unit = true;
		k--;
	} else {
		for (m = k; m >= 0 && is_ascii_letter(cps[m].f) && k - m < 4; m--)
			;
		for (i = m + 1; i <= k; i++)
			word[i - m - 1] = cps[i].f[0];
		word[k - m] = '\0';
		if ((strcmp(word, "d") == 0 || strcmp(word, "day") == 0 ||
		    strcmp(word, "days") == 0) && (m < 0 || !is_ascii_letter(cps[m].f))) {
			unit = true;
			k = m;
		}
	}
	while (unit && k >= 0 && cps[k].f[0] == '\0')
		k--;
	/* digits, ASCII or full-width */
	for (; k >= 0 && is_digits(cps[k].f) && strlen(cps[k].f) == 1; k--, mul *= 10) {
		if (++nd > 3) {
			*days = -1;
			return;
		}
		v += (cps[k].f[0] - '0') * mul;
	}
	if (nd == 0 && unit) {
		/* Chinese numerals, only before a unit: 三天 */
		for (m = k; m >= 0 && is_cn_numeral(cps[m].f); m--)
			;
		for (i = m + 1; i <= k; i++) {
			memcpy(run + rl, cps[i].f, strlen(cps[i].f) + 1);
			rl += strlen(cps[i].f);
		}
		if (rl == 0 || (v = text_parse_number(run, &e)) < 0 || e == NULL ||
		    *e != '\0')
			return;		/* the unit was part of the name */
		k = m;
		nd = 1;
	}
	if (nd == 0)
		return;
	*days = v > 0 && v <= DAYS_MAX ? (int)v : -1;
	while (k >= 0 && cps[k].f[0] == '\0')
		k--;
	*namelen = k >= 0 ? cps[k + 1].off : 0;
}

/* The length of the run of non-space bytes at s. */
static size_t
token_len(const char *s)
{
	size_t	 n = 0, sl;

	while (s[n] != '\0' && !is_space_at(s + n, &sl))
		n++;
	return n;
}

/* s past white space. */
static const char *
skip_space(const char *s)
{
	size_t	 sl;

	while (is_space_at(s, &sl))
		s += sl;
	return s;
}

/*
 * DISPATCH's arguments when there is more than one word (交办清单):
 * "城管,住建 5 清理垃圾并建长效机制" = the departments (the first is the
 * lead, 主办; "," "，" "、" between them), then optionally days ("5",
 * "5天", "5 days"), then optionally what is to be done.  Returns 0 with
 * cmd's target, days and text set (usage when the days are unreadable),
 * or -1 when rest is one word (the caller reads "水利局3" as before).
 */
static int
split_dispatch(const char *rest, struct staff_cmd *cmd)
{
	static const char *const units[] = { "days", "day", "d", "天", "日" };
	const char	*tail, *tok;
	char		*t = NULL;
	size_t		 hl, tl, namelen, i;
	int		 days = 0;

	hl = token_len(rest);
	tail = skip_space(rest + hl);
	if (*tail == '\0')
		return -1;
	cmd->target = xstrndup(rest, hl);
	tl = token_len(tail);
	t = xstrndup(tail, tl);
	split_days(t, &namelen, &days);
	free(t);
	if ((namelen == 0 && days != 0) || days < 0) {	/* a days word */
		if (days < 0) {
			free(cmd->target);
			cmd->target = NULL;
			cmd->usage = "staff_usage_dispatch";
			return 0;
		}
		cmd->days = days;
		tok = skip_space(tail + tl);
		for (i = 0; i < nitems(units); i++)	/* "5 days", "3 天" */
			if (strncasecmp(tok, units[i], strlen(units[i])) == 0 &&
			    (tok[strlen(units[i])] == '\0' ||
			    token_len(tok) == strlen(units[i]))) {
				tok += strlen(units[i]);
				break;
			}
		tail = tok;
	}
	cmd->text = free_text(tail);
	return 0;
}

static const struct word cmd_words[] = {
	{ "接单", SC_ACCEPT, false, false },
	{ "派单", SC_DISPATCH, false, false },
	{ "进展", SC_NOTE, false, false },
	{ "办结", SC_RESOLVE, false, false },
	{ "转", SC_TRANSFER, false, false },
	{ "转办", SC_TRANSFER, false, false },
	{ "退回", SC_DECLINE, false, false },
	{ "列表", SC_LIST, false, false },
	{ "查", SC_SHOW, false, false },
	{ "查看", SC_SHOW, false, false },
	{ "查询", SC_SHOW, false, false },
	{ "帮助", SC_HELP, false, false },
	{ "上报", SC_ESCALATE, false, false },
	{ "分办", SC_TRIAGE, false, false },
	{ "督办", SC_PRESS, false, false },
	{ "代办", SC_ONBEHALF, false, false },
	{ "accept", SC_ACCEPT, true, false },
	{ "dispatch", SC_DISPATCH, true, false },
	{ "note", SC_NOTE, true, false },
	{ "resolve", SC_RESOLVE, true, false },
	{ "transfer", SC_TRANSFER, true, false },
	{ "decline", SC_DECLINE, true, false },
	{ "reject", SC_DECLINE, true, false },
	{ "list", SC_LIST, true, false },
	{ "show", SC_SHOW, true, false },
	{ "help", SC_HELP, true, false },
	{ "escalate", SC_ESCALATE, true, false },
	{ "triage", SC_TRIAGE, true, false },
	{ "press", SC_PRESS, true, false },
	{ "onbehalf", SC_ONBEHALF, true, false },
	{ "结案", SC_CLOSE, false, false },
	{ "close", SC_CLOSE, true, false },
};

static const char *const cmd_names[] = {
	[SC_NONE] = "none",
	[SC_ACCEPT] = "accept",
	[SC_DISPATCH] = "dispatch",
	[SC_NOTE] = "note",
	[SC_RESOLVE] = "resolve",
	[SC_TRANSFER] = "transfer",
	[SC_DECLINE] = "decline",
	[SC_LIST] = "list",
	[SC_SHOW] = "show",
	[SC_HELP] = "help",
	[SC_ESCALATE] = "escalate",
	[SC_TRIAGE] = "triage",
	[SC_PRESS] = "press",
	[SC_ONBEHALF] = "onbehalf",
	[SC_CLOSE] = "close",
};

/* Template key of each command's usage line. */
static const char *const cmd_usage[] = {
	[SC_NONE] = "staff_unknown",
	[SC_ACCEPT] = "staff_usage_accept",
	[SC_DISPATCH] = "staff_usage_dispatch",
	[SC_NOTE] = "staff_usage_note",
	[SC_RESOLVE] = "staff_usage_resolve",
	[SC_TRANSFER] = "staff_usage_transfer",
	[SC_DECLINE] = "staff_usage_decline",
	[SC_LIST] = "deputy_help",
	[SC_SHOW] = "staff_usage_show",
	[SC_HELP] = "deputy_help",
	[SC_ESCALATE] = "staff_usage_escalate",
	[SC_TRIAGE] = "staff_usage_triage",
	[SC_PRESS] = "staff_usage_press",
	[SC_ONBEHALF] = "staff_usage_onbehalf",
	[SC_CLOSE] = "staff_usage_close",
};

const char *
staff_cmd_name(enum staff_cmd_kind k)
{
	if ((int)k < 0 || (size_t)k >= nitems(cmd_names))
		return "unknown";
	return cmd_names[k];
}

void
staff_cmd_clear(struct staff_cmd *cmd)
{
	free(cmd->target);
	free(cmd->text);
	cmd->target = NULL;
	cmd->text = NULL;
}

/*
 * 代办's arguments at p: a phone number (digits with the spaces, "+" and
 * "-" people write in one), then the request.  Sets cmd's target and
 * text, or its usage when either is missing.
 */
static void
parse_onbehalf(const char *p, struct staff_cmd *cmd)
{
	char		 f[CP_FOLD_MAX];
	const char	*start, *q, *end, *p0 = p;
	size_t		 nd = 0;

	start = p = skip_seps(p);
	if (start > p0 && start[-1] == '+')	/* "+86 ...": keep the plus */
		start--;
	end = p;
	for (q = p; cp_next(&q, f); p = q) {
		if (is_digits(f)) {
			nd++;
			end = q;	/* past the last digit */
		} else if (f[0] != '\0' || !(*p == ' ' || *p == '+' || *p == '-'))
			break;
	}
	if (nd >= 5)
		cmd->target = xstrndup(start, (size_t)(end - start));
	cmd->text = free_text(end);
	if (cmd->target == NULL || cmd->text == NULL)
		cmd->usage = cmd_usage[SC_ONBEHALF];
}

int
staff_parse(const char *text, struct staff_cmd *cmd)
{
	static const struct word to_words[] = {
		{ "to", 0, true, false },
		{ "给", 0, false, false },
	};
	const char	*p = NULL, *q = NULL;
	char		*rest = NULL;
	size_t		 namelen;
	int		 w;

	memset(cmd, 0, sizeof(*cmd));
	cmd->number = -1;
	strlcpy(cmd->lang, "zh", sizeof(cmd->lang));
	if (text == NULL || (w = match_word(text, cmd_words, nitems(cmd_words), &p)) < 0)
		return -1;
	cmd->kind = cmd_words[w].val;
	if (cmd_words[w].en)
		strlcpy(cmd->lang, "en", sizeof(cmd->lang));
	if (cmd->kind == SC_LIST || cmd->kind == SC_HELP)
		return 0;
	if (cmd->kind == SC_ONBEHALF) {
		parse_onbehalf(p, cmd);
		return 0;
	}
	if ((cmd->number = parse_number(p, &p)) <= 0) {
		cmd->number = -1;
		cmd->usage = cmd_usage[cmd->kind];
		return 0;
	}
	switch (cmd->kind) {
	case SC_NOTE:
	case SC_RESOLVE:
	case SC_DECLINE:
	case SC_PRESS:
	case SC_CLOSE:
		if ((cmd->text = free_text(p)) == NULL)
			cmd->usage = cmd_usage[cmd->kind];
		break;
	case SC_ESCALATE:		/* the reason is optional */
		cmd->text = free_text(p);
		break;
	case SC_TRIAGE:
		if ((cmd->target = free_text(p)) == NULL)
			cmd->usage = cmd_usage[cmd->kind];
		break;
	case SC_DISPATCH:
		if ((rest = free_text(p)) == NULL) {
			cmd->usage = cmd_usage[cmd->kind];
			break;
		}
		if (split_dispatch(rest, cmd) == 0)
			break;		/* departments, then days and what to do */
		split_days(rest, &namelen, &cmd->days);
		if (namelen == 0 || cmd->days < 0) {
			cmd->days = 0;
			cmd->usage = cmd_usage[cmd->kind];
			break;
		}
		rest[namelen] = '\0';
		cmd->target = free_text(rest);
		if (cmd->target == NULL)
			cmd->usage = cmd_usage[cmd->kind];
		break;
	case SC_TRANSFER:
		if (match_word(p, to_words, nitems(to_words), &q) >= 0)
			p = q;
		if ((cmd->target = free_text(p)) == NULL)
			cmd->usage = cmd_usage[cmd->kind];
		break;
	default:
		break;
	}
	free(rest);
	return 0;
}

bool
staff_identify(const struct config *cfg, const char *e164, const struct deputy **d,
    const struct department **dept)
{
	*d = e164 != NULL ? config_deputy_by_phone(cfg, e164) : NULL;
	*dept = e164 != NULL ? config_department_by_phone(cfg, e164) : NULL;
	return *d != NULL || *dept != NULL || (e164 != NULL &&
	    (config_staff_by_phone(cfg, e164) != NULL ||
	    config_observer_by_phone(cfg, e164) != NULL));
}

/* --- rendering ---------------------------------------------------------- */

static bool
fits(const char *s)
{
	return utf8_sms_segments(s) <= STAFF_MAX_SEGMENTS;
}

/* s cut to fit two segments, with an ellipsis.  Takes s; returns new. */
static char *
cut_text(char *s)
{
	char	*out;
	size_t	 n;

	if (fits(s))
		return s;
	if (utf8_is_gsm_safe(s)) {
		s[FIT_CHARS - 3] = '\0';
		out = xasprintf("%s...", s);
	} else {
		n = utf8_prefix_units16(s, FIT_UNITS - 1);
		out = xasprintf("%.*s…", (int)n, s);
	}
	free(s);
	return out;
}

char *
staff_render_fit(const struct config *cfg, const char *lang, const char *key,
    const char *const *vars, const char *cut)
{
	const char	*v[64];
	const char	*val = NULL, *ell;
	char		*out = NULL, *cand = NULL, *pre = NULL;
	size_t		 n, ci = 0, lo, hi, mid, len;

	out = dialog_render(cfg, lang, key, vars);
	if (fits(out) || cut == NULL || vars == NULL)
		return cut_text(out);
	for (n = 0; vars[n] != NULL && vars[n + 1] != NULL && n + 3 < nitems(v); n += 2) {
		v[n] = vars[n];
		v[n + 1] = vars[n + 1];
		if (strcmp(vars[n], cut) == 0) {
			val = vars[n + 1];
			ci = n + 1;
		}
	}
	v[n] = NULL;
	if (val == NULL)
		return cut_text(out);
	ell = utf8_is_gsm_safe(out) ? "..." : "…";
	/* the longest prefix of val, in UTF-16 units, that fits */
	lo = 0;
	hi = utf8_units16(val);
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		len = utf8_prefix_units16(val, mid);
		pre = xasprintf("%.*s%s", (int)len, val, ell);
		v[ci] = pre;
		cand = dialog_render(cfg, lang, key, v);
		if (fits(cand))
			lo = mid;
		else
			hi = mid - 1;
		free(cand);
		free(pre);
	}
	len = utf8_prefix_units16(val, lo);
	pre = xasprintf("%.*s%s", (int)len, val, ell);
	v[ci] = pre;
	free(out);
	out = dialog_render(cfg, lang, key, v);
	free(pre);
	return cut_text(out);
}

void
staff_fmt_time(int64_t t, int utc_offset_minutes, const char *lang, char *out,
    size_t outsz)
{
	struct tm	 tm;
	time_t		 lt = (time_t)(t + (int64_t)utc_offset_minutes * 60);

	memset(&tm, 0, sizeof(tm));
	gmtime_r(&lt, &tm);
	if (lang != NULL && strcmp(lang, "en") == 0)
		snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	else
		snprintf(out, outsz, "%d月%d日%02d:%02d", tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min);
}

void
staff_fmt_day(int64_t t, int utc_offset_minutes, const char *lang, char *out,
    size_t outsz)
{
	struct tm	 tm;
	time_t		 lt = (time_t)(t + (int64_t)utc_offset_minutes * 60);

	memset(&tm, 0, sizeof(tm));
	gmtime_r(&lt, &tm);
	if (lang != NULL && strcmp(lang, "en") == 0)
		snprintf(out, outsz, "%04d-%02d-%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
	else
		snprintf(out, outsz, "%d月%d日", tm.tm_mon + 1, tm.tm_mday);
}

/* --- the case as people read it ------------------------------------------ */

static const char *
lang_or(const char *lang, const struct config *cfg)
{
	if (lang != NULL && strcmp(lang, "en") == 0)
		return "en";
	if (lang == NULL && cfg->language != NULL && strcmp(cfg->language, "en") == 0)
		return "en";
	return "zh";
}

static const char *
category_label(const struct config *cfg, const char *lang, const char *id)
{
	const struct category	*cat = id != NULL ? config_category(cfg, id) : NULL;

	if (cat == NULL)
		return config_template(cfg, lang, "category_none");
	if (strcmp(lang, "en") == 0 && cat->name_en != NULL)
		return cat->name_en;
	return cat->name;
}

static const char *
grid_label(const struct config *cfg, const char *lang, const char *id)
{
	const struct grid	*g = id != NULL ? config_grid(cfg, id) : NULL;

	return g != NULL ? g->name : config_template(cfg, lang, "place_unknown");
}

static const char *
place_label(const struct config *cfg, const char *lang, const struct case_view *c)
{
	if (c->place != NULL && c->place[0] != '\0')
		return c->place;
	return grid_label(cfg, lang, c->grid);
}

static const char *
department_label(const struct config *cfg, const char *id)
{
	const struct department *d = id != NULL ? config_department(cfg, id) : NULL;

	return d != NULL ? d->name : id != NULL ? id : "-";
}

/* The lead department's name, then the assisting ones' ("、"); new. */
static char *
departments_label(const struct config *cfg, const struct case_view *c)
{
	struct buf	 b;
	const char	*a = c->assist;
	char		*id;
	size_t		 n;

	buf_init(&b, 0);
	buf_addstr(&b, department_label(cfg, c->department));
	for (; a != NULL && *a != '\0'; a += n + (a[n] == ',')) {
		n = strcspn(a, ",");
		id = xstrndup(a, n);
		buf_printf(&b, "、%s", department_label(cfg, id));
		free(id);
	}
	return buf_steal(&b);
}

/* The township chair of case c (deputy id, borrowed), or NULL. */
static const char *
case_chair(const struct config *cfg, const struct case_view *c)
{
	const struct grid	*g = c->grid != NULL ? config_grid(cfg, c->grid) : NULL;
	const struct township	*t = NULL;

	if (c->township != NULL)
		t = config_township(cfg, c->township);
	if (t == NULL && g != NULL)
		t = config_township(cfg, g->township);
	return t != NULL ? t->chair : NULL;
}

/* The township of case c (id, borrowed): its own, else its grid's; or NULL. */
static const char *
case_township(const struct config *cfg, const struct case_view *c)
{
	const struct grid	*g = c->grid != NULL ? config_grid(cfg, c->grid) : NULL;

	if (c->township != NULL)
		return c->township;
	return g != NULL ? g->township : NULL;
}

/* Is deputy id listed in grid id's deputies? */
static bool
grid_lists(const struct config *cfg, const char *grid, const char *id)
{
	const struct grid	*g = grid != NULL ? config_grid(cfg, grid) : NULL;
	size_t			 i;

	for (i = 0; g != NULL && id != NULL && i < g->ndeputies; i++)
		if (strcmp(g->deputies[i], id) == 0)
			return true;
	return false;
}

/* The grid's backup deputy of case c (id, borrowed), or NULL. */
static const char *
case_backup(const struct config *cfg, const struct case_view *c)
{
	const struct grid	*g = c->grid != NULL ? config_grid(cfg, c->grid) : NULL;

	return g != NULL ? g->backup : NULL;
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* A message effect, urgent unless the caller says otherwise; takes text. */
static struct staff_effect *
msg_add(struct staff_result *res, enum staff_effect_kind kind, long number,
    const char *to, const char *lang, const char *msg_kind, int64_t now, char *text)
{
	struct staff_effect	*e = staff_result_add(res, kind, number);

	e->text = text;
	e->to = to;
	e->msg_kind = msg_kind;
	e->urgent = true;
	e->not_before = now;
	strlcpy(e->lang, lang, sizeof(e->lang));
	return e;
}

/* --- staff_step ------------------------------------------------------------ */

/* One command being carried out. */
struct job {
	const struct config	*cfg;
	const struct text_index	*tix;		/* may be NULL */
	const struct staff_input *in;
	const struct case_view	*c;		/* in->kase */
	struct staff_cmd	 cmd;
	struct staff_result	*res;
	const char		*lang;		/* the sender's: the command's */
	const char		*rlang;		/* the resident's */
	const char		*slang;		/* other staff's: the config's */
	char			 number[24];
	char			 actor[96];
	bool			 as_dept;	/* acting as the case's department */
};

/* A reply to the sender from template key; takes nothing. */
static void
reply(struct job *j, const char *key, const char *const *vars, const char *cut)
{
	msg_add(j->res, SE_REPLY, j->c != NULL ? j->c->number : 0, NULL, j->lang,
	    "reply", j->in->now, staff_render_fit(j->cfg, j->lang, key, vars, cut));
}

static void
refuse(struct job *j, const char *key)
{
	enum case_status	 s;
	const char		*vars[] = { "number", j->number, "status", "", NULL };

	if (j->c != NULL && case_status_parse(j->c->status, &s) == 0)
		vars[3] = case_status_label(j->cfg, j->lang, s);
	reply(j, key, vars, NULL);
}

static void
tell(struct job *j, enum staff_effect_kind kind, const char *to, const char *lang,
    const char *msg_kind, const char *key, const char *const *vars, const char *cut)
{
	msg_add(j->res, kind, j->c->number, to, lang, msg_kind, j->in->now,
	    staff_render_fit(j->cfg, lang, key, vars, cut));
}

/* Is id among the ","-joined ids of list (may be NULL)? */
static bool
ids_hold(const char *list, const char *id)
{
	const char	*a = list;
	size_t		 n;

	for (; a != NULL && id != NULL && *a != '\0'; a += n + (a[n] == ',')) {
		n = strcspn(a, ",");
		if (n == strlen(id) && strncmp(a, id, n) == 0)
			return true;
	}
	return false;
}

/* Is department id among c's assisting (协办) ones? */
static bool
case_assisted_by(const struct case_view *c, const char *id)
{
	return ids_hold(c->assist, id);
}

/* Is deputy id among those who supervise c, an adopted 民生实事 project? */
static bool
case_supervised_by(const struct case_view *c, const char *id)
{
	return ids_hold(c->supervisors, id);
}

/* Is the sender the case's deputy, its grid's backup, its township chair,
 * or one of the deputies who supervise it (an adopted 民生实事 project)? */
static bool
deputy_side(const struct job *j)
{
	const char	*id = j->in->deputy != NULL ? j->in->deputy->id : NULL;

	return id != NULL && (same(id, j->c->deputy) || same(id, case_backup(j->cfg, j->c)) ||
	    same(id, case_chair(j->cfg, j->c)) || case_supervised_by(j->c, id));
}

/*
 * Who hears of a case at tier level: 2 the township's staff and chair, 3
 * the county staff; not the sender.  Each gets template key with vars.
 * Returns the chair's id when he was told, else NULL.
 */
static const char *
tell_level(struct job *j, int level, const char *key, const char *const *vars,
    const char *cut)
{
	const char		*to[STAFF_TOLD_MAX];
	const char		*town = case_township(j->cfg, j->c);
	const struct township	*t = town != NULL ? config_township(j->cfg, town) : NULL;
	size_t			 n, i;

	if (level < 2)
		return NULL;
	n = staff_of(j->cfg, level == 2 ? town : NULL, to, nitems(to));
	if (level == 2 && town == NULL)
		n = 0;
	for (i = 0; i < n; i++)
		if (j->in->staff == NULL || !same(to[i], j->in->staff->id))
			tell(j, SE_TO_STAFF, to[i], j->slang, "notice", key, vars, cut);
	if (level == 2 && t != NULL && config_deputy(j->cfg, t->chair) != NULL &&
	    (j->in->deputy == NULL || !same(t->chair, j->in->deputy->id))) {
		tell(j, SE_TO_DEPUTY, config_deputy(j->cfg, t->chair)->id, j->slang,
		    "notice", key, vars, cut);
		return config_deputy(j->cfg, t->chair)->id;
	}
	return NULL;
}

/* The name of tier level's office for case c: the township (2), the
 * county congress office (3); a new string. */
static char *
level_name(struct job *j, int level, const char *lang)
{
	const char		*town = case_township(j->cfg, j->c);
	const struct township	*t = town != NULL ? config_township(j->cfg, town) : NULL;

	if (level == 2 && t != NULL)
		return xstrdup(t->name);
	return dialog_render(j->cfg, lang, "county_office", NULL);
}

/* Is the sender staff whose remit holds the case: the county office
 * every case, a township member its township's? */
static bool
staff_side(const struct job *j)
{
	const struct staff_member *sm = j->in->staff;

	if (sm == NULL)
		return false;
	return sm->role == STAFF_COUNTY ||
	    same(sm->township, case_township(j->cfg, j->c));
}

/* Is the sender one of the case's grid's deputies (any, not only the lead)? */
static bool
grid_side(const struct job *j)
{
	return j->in->deputy != NULL && grid_lists(j->cfg, j->c->grid, j->in->deputy->id);
}

/* The sender's name as others read it. */
static const char *
sender_name(const struct job *j)
{
	if (j->as_dept)
		return j->in->department->name;
	if (j->in->deputy != NULL)
		return j->in->deputy->name;
	if (j->in->staff != NULL)
		return j->in->staff->name;
	return j->in->department != NULL ? j->in->department->name : "-";
}

bool
staff_sees(const struct config *cfg, const struct staff_input *in,
    const struct case_view *c)
{
	const struct township	*t;
	enum case_status	 s;

	if (case_status_parse(c->status, &s) != 0 || !case_status_is_open(s))
		return false;
	if (in->deputy != NULL) {
		t = case_township(cfg, c) != NULL ?
		    config_township(cfg, case_township(cfg, c)) : NULL;
		return same(c->deputy, in->deputy->id) ||
		    case_supervised_by(c, in->deputy->id) ||
		    grid_lists(cfg, c->grid, in->deputy->id) ||
		    (t != NULL && same(t->chair, in->deputy->id));
	}
	if (in->staff != NULL && in->staff->role == STAFF_TOWNSHIP)
		return same(in->staff->township, case_township(cfg, c));
	if (in->staff != NULL)		/* the county office */
		return ((c->flags & CASE_FLAG_TRIAGE) != 0 && s == CS_RECEIVED) ||
		    (c->tier >= 3 && (s == CS_RECEIVED || s == CS_ACCEPTED ||
		    s == CS_REOPENED));
	if (in->department != NULL)	/* leading or assisting */
		return (same(c->department, in->department->id) ||
		    case_assisted_by(c, in->department->id)) &&
		    (s == CS_DISPATCHED || s == CS_IN_PROGRESS);
	return false;
}

static bool
department_side(const struct job *j)
{
	return j->in->department != NULL && same(j->in->department->id, j->c->department);
}

/* Is the sender a department that assists (协办) the case's lead? */
static bool
assist_side(const struct job *j)
{
	return j->in->department != NULL &&
	    case_assisted_by(j->c, j->in->department->id);
}

/*
 * Fold s and compare with a config name; a NULL name never matches.
 */
static bool
fold_eq(const char *folded, const char *name)
{
	char	*f;
	bool	 eq;

	if (name == NULL)
		return false;
	f = text_fold(name);
	eq = strcmp(f, folded) == 0;
	free(f);
	return eq;
}

/*
 * The department target names: by id or name, else the one whose name
 * holds it (水利局 -> 县水利局) or whose id starts with it.  Returns 0, or
 * -1 (none) or -2 (several: their names in choices, "、"-separated).
 */
static int
find_department(const struct config *cfg, const char *target,
    const struct department **out, struct buf *choices)
{
	char	*f = text_fold(target), *n = NULL;
	size_t	 i, found = 0;
	int	 rc = -1;

	*out = NULL;
	if (f[0] == '\0')
		goto out;
	for (i = 0; i < cfg->ndepartments; i++)
		if (fold_eq(f, cfg->departments[i].id) || fold_eq(f, cfg->departments[i].name)) {
			*out = &cfg->departments[i];
			rc = 0;
			goto out;
		}
	for (i = 0; i < cfg->ndepartments; i++) {
		n = text_fold(cfg->departments[i].name);
		if (strstr(n, f) != NULL ||
		    strncmp(cfg->departments[i].id, f, strlen(f)) == 0) {
			if (found++ > 0)
				buf_addstr(choices, "、");
			buf_addstr(choices, cfg->departments[i].name);
			*out = &cfg->departments[i];
		}
		free(n);
	}
	if (found == 1)
		rc = 0;
	else if (found > 1) {
		*out = NULL;
		rc = -2;
	}
out:
	free(f);
	return rc;
}

/*
 * The deputy (by id, name, or name without 代表) or grid (by id, name or
 * alias; then the text index's place names) that target names.  A grid
 * gives its first deputy and sets *grid.  0, or -1 when none.
 */
static int
find_transfer_target(const struct config *cfg, const struct text_index *tix,
    const char *target, const struct deputy **d, const struct grid **grid)
{
	char		*f = text_fold(target), *withsuffix = NULL;
	const struct grid *g = NULL;
	size_t		 i, k;
	int		 rc = -1, gi;

	*d = NULL;
	*grid = NULL;
	if (f[0] == '\0')
		goto out;
	withsuffix = xasprintf("%s代表", f);
	for (i = 0; i < cfg->ndeputies; i++)
		if (fold_eq(f, cfg->deputies[i].id) || fold_eq(f, cfg->deputies[i].name) ||
		    fold_eq(withsuffix, cfg->deputies[i].name)) {
			*d = &cfg->deputies[i];
			rc = 0;
			goto out;
		}
	for (i = 0; g == NULL && i < cfg->ngrids; i++) {
		if (fold_eq(f, cfg->grids[i].id) || fold_eq(f, cfg->grids[i].name))
			g = &cfg->grids[i];
		for (k = 0; g == NULL && k < cfg->grids[i].naliases; k++)
			if (fold_eq(f, cfg->grids[i].aliases[k]))
				g = &cfg->grids[i];
	}
	if (g == NULL && tix != NULL && (gi = text_find_place(tix, f, NULL)) >= 0)
		g = &cfg->grids[gi];
	if (g != NULL && g->ndeputies > 0 &&
	    (*d = config_deputy(cfg, g->deputies[0])) != NULL) {
		*grid = g;
		rc = 0;
	}
out:
	free(withsuffix);
	free(f);
	return rc;
}

/*
 * Check that action may happen to the case now; refuse (reply) if not.
 * Returns true when allowed.
 */
static bool
allowed(struct job *j, enum case_action a)
{
	enum case_status	 from, to;

	if (case_status_parse(j->c->status, &from) != 0) {
		refuse(j, "staff_refuse_status");
		return false;
	}
	if (workflow_next(a, from, &to) != 0) {
		refuse(j, workflow_refusal(a, from));
		return false;
	}
	return true;
}

static void
do_accept(struct job *j)
{
	const struct case_view	*c = j->c;
	struct case_update	*up;
	const char		*who = sender_name(j);
	const char		*alerted[ALERTED_MAX + 1];
	const struct grid	*g = c->grid != NULL ? config_grid(j->cfg, c->grid) : NULL;
	const char		*me = j->in->deputy != NULL ? j->in->deputy->id : NULL;
	const char		*told = NULL;
	size_t			 n, i, k;
	const char		*r[] = { "number", j->number, "category",
				    category_label(j->cfg, j->lang, c->category), "place",
				    place_label(j->cfg, j->lang, c), NULL };
	const char		*t[] = { "number", j->number, "deputy", who, NULL };

	if (!allowed(j, CA_ACCEPT))
		return;
	up = workflow_apply(j->res, c, CA_ACCEPT, j->actor, NULL, j->in->now);
	if (me != NULL)		/* staff take it on the deputy's behalf */
		up->deputy = me;
	reply(j, "staff_ok_accepted", r, "place");
	tell(j, SE_TO_RESIDENT, NULL, j->rlang, "notice", "staff_res_accepted", t, NULL);
	/* 分级: a township matter is announced to the township's staff and
	 * chair, a county one to the county office; they may 派单 */
	if (c->tier >= 2) {
		const char *v[] = { "number", j->number, "deputy", who, "place",
		    place_label(j->cfg, j->slang, c), "category",
		    category_label(j->cfg, j->slang, c->category), NULL };

		told = tell_level(j, c->tier >= 3 ? 3 : 2, c->tier >= 3 ?
		    "staff_tier3_accepted" : "staff_tier2_accepted", v, "place");
	}
	/* The others its alert reached (the lead, the duty-day deputies of
	 * the day it came, whoever holds it) need not act on it. */
	if (!same(c->status, "received"))
		return;
	n = grid_alerted(j->cfg, g, dialog_weekday(c->created_at,
	    j->in->utc_offset_minutes), alerted, ALERTED_MAX);
	if (c->deputy != NULL && config_deputy(j->cfg, c->deputy) != NULL) {
		for (k = 0; k < n && !same(alerted[k], c->deputy); k++)
			;
		if (k == n)
			alerted[n++] = config_deputy(j->cfg, c->deputy)->id;
	}
	for (i = 0; i < n; i++) {
		const char *v[] = { "number", j->number, "deputy", who, NULL };

		if (same(alerted[i], me) || same(alerted[i], told))
			continue;	/* the chair heard who took it just above */
		tell(j, SE_TO_DEPUTY, alerted[i], j->slang, "notice", "staff_dep_taken",
		    v, NULL);
	}
}

/* The rating comment of c's last reopening (the resident's complaint),
 * from its loaded events ("rating=1 灯还是不亮"), or NULL; borrowed. */
static const char *
reopen_complaint(const struct case_view *c)
{
	const char	*d;
	size_t		 i;

	if (!same(c->status, "reopened"))
		return NULL;
	for (i = 0; i < c->nevents; i++) {
		if (!same(c->events[i].kind, "reopened"))
			continue;
		if ((d = c->events[i].detail) == NULL || strncmp(d, "rating=", 7) != 0 ||
		    (d = strchr(d, ' ')) == NULL || d[1] == '\0')
			return NULL;
		return d + 1;
	}
	return NULL;
}

/* One department's 【交办】: its role among several, what is to be done,
 * the resident's complaint when reopened, the number to call back. */
static char *
dispatch_extra(struct job *j, const struct department *const *depts, size_t n,
    size_t k, const char *caller)
{
	struct buf	 b, names;
	char		*part, *cut;
	const char	*complaint = reopen_complaint(j->c);
	size_t		 i;

	buf_init(&b, 0);
	buf_init(&names, 0);
	if (n > 1 && k == 0) {
		for (i = 1; i < n; i++)
			buf_printf(&names, "%s%s", i > 1 ? "、" : "", depts[i]->name);
		const char *v[] = { "departments", buf_str(&names), NULL };
		part = dialog_render(j->cfg, j->slang, "staff_dept_lead", v);
		buf_addstr(&b, part);
		free(part);
	} else if (n > 1) {
		const char *v[] = { "department", depts[0]->name, NULL };
		part = dialog_render(j->cfg, j->slang, "staff_dept_assist", v);
		buf_addstr(&b, part);
		free(part);
	}
	if (j->cmd.text != NULL) {
		i = utf8_prefix_units16(j->cmd.text, INSTR_UNITS);
		cut = xasprintf("%.*s%s", (int)i, j->cmd.text, j->cmd.text[i] ? "…" : "");
		const char *v[] = { "text", cut, NULL };
		part = dialog_render(j->cfg, j->slang, "staff_dept_instruction", v);
		buf_addstr(&b, part);
		free(part);
		free(cut);
	}
	if (complaint != NULL) {
		i = utf8_prefix_units16(complaint, INSTR_UNITS);
		cut = xasprintf("%.*s%s", (int)i, complaint, complaint[i] ? "…" : "");
		const char *v[] = { "comment", cut, NULL };
		part = dialog_render(j->cfg, j->slang, "staff_dept_complaint", v);
		buf_addstr(&b, part);
		free(part);
		free(cut);
	}
	if (caller != NULL)
		buf_addstr(&b, caller);
	buf_free(&names);
	return buf_steal(&b);
}

/*
 * 派单 N 主办[,协办…] [天数] [要求…] (人大派单, 交办清单): the first
 * department leads (主办) and alone may 办结, the others assist (协办);
 * each gets the 【交办】 with what is to be done.  A reopened case's 交办
 * quotes the resident's complaint.
 */
static void
do_dispatch(struct job *j)
{
	const struct case_view	*c = j->c;
	const struct department	*depts[DISPATCH_DEPTS_MAX], *dept = NULL;
	struct case_update	*up;
	struct buf		 choices, assist, names;
	char			*detail = NULL, *howto = NULL, *caller = NULL, *extra;
	char			*list = NULL, *one;
	char			 due[64], sdue[64], rdue[64];
	int64_t			 due_at;
	size_t			 n = 0, i, k, len;
	int			 days, rc;

	buf_init(&choices, 1024);
	buf_init(&assist, 0);
	buf_init(&names, 0);
	if (!allowed(j, CA_DISPATCH))
		goto out;
	/* the departments: "," "，" "、" between them */
	list = xstrdup(j->cmd.target);
	for (one = list; one != NULL && *one != '\0'; one += len) {
		len = strcspn(one, ",");
		k = strlen(one);
		for (i = 0; i < k; i++)
			if (strncmp(one + i, "，", 3) == 0 || strncmp(one + i, "、", 3) == 0) {
				if (i < len)
					len = i;
				break;
			}
		if (len == 0) {
			len = one[0] == ',' ? 1 : 3;
			continue;
		}
		{
			char *name = xstrndup(one, len);

			buf_reset(&choices);
			rc = find_department(j->cfg, name, &dept, &choices);
			if (rc != 0) {
				const char *v[] = { "department", name, "choices",
				    buf_str(&choices), NULL };
				reply(j, rc == -2 ? "staff_dept_ambiguous" :
				    "staff_dept_unknown", v, rc == -2 ? "choices" :
				    "department");
				free(name);
				goto out;
			}
			free(name);
		}
		for (i = 0; i < n && depts[i] != dept; i++)
			;
		if (i == n && n < nitems(depts))
			depts[n++] = dept;
	}
	if (n == 0) {
		reply(j, "staff_usage_dispatch", NULL, NULL);
		goto out;
	}
	dept = depts[0];
	days = j->cmd.days > 0 ? j->cmd.days : dept->deadline_days > 0 ?
	    dept->deadline_days : 1;
	due_at = j->in->now + (int64_t)days * 86400;
	for (i = 1; i < n; i++)
		buf_printf(&assist, "%s%s", i > 1 ? "," : "", depts[i]->id);
	for (i = 0; i < n; i++)
		buf_printf(&names, "%s%s", i > 0 ? "、" : "", depts[i]->name);
	detail = xasprintf("department=%s%s%s days=%d%s%s", dept->id,
	    n > 1 ? " assist=" : "", buf_str(&assist), days,
	    j->cmd.text ? " " : "", j->cmd.text ? j->cmd.text : "");
	up = workflow_apply(j->res, c, CA_DISPATCH, j->actor, detail, j->in->now);
	up->department = dept->id;
	up->due_at = due_at;
	up->assist = xstrdup(buf_str(&assist));		/* "" clears */
	up->instruction = xstrdup(j->cmd.text != NULL ? j->cmd.text : "");
	staff_fmt_time(due_at, j->in->utc_offset_minutes, j->lang, due, sizeof(due));
	staff_fmt_time(due_at, j->in->utc_offset_minutes, j->slang, sdue, sizeof(sdue));
	/* residents read the day it is due by, not the minute it was sent */
	staff_fmt_day(due_at, j->in->utc_offset_minutes, j->rlang, rdue, sizeof(rdue));
	{
		const char *h[] = { "number", j->number, NULL };
		howto = dialog_render(j->cfg, j->slang, "staff_dept_howto", h);
	}
	/* the department calls the resident back: the whole number */
	if (c->citizen != NULL && c->citizen[0] == '+') {
		const char *h[] = { "phone", strncmp(c->citizen, "+86", 3) == 0 ?
		    c->citizen + 3 : c->citizen, NULL };
		caller = dialog_render(j->cfg, j->slang, "staff_dept_caller", h);
	}
	for (k = 0; k < n; k++) {
		extra = dispatch_extra(j, depts, n, k, caller);
		const char *d[] = { "number", j->number, "category",
		    category_label(j->cfg, j->slang, c->category), "place",
		    place_label(j->cfg, j->slang, c), "description",
		    c->description ? c->description : "", "due", sdue, "howto",
		    howto, "extra", extra, NULL };

		tell(j, SE_TO_DEPARTMENT, depts[k]->id, j->slang, "alert",
		    "staff_dept_new_case", d, "description");
		free(extra);
	}
	{
		const char *r[] = { "number", j->number, "department", buf_str(&names),
		    "due", due, NULL };
		const char *t[] = { "number", j->number, "department", buf_str(&names),
		    "due", rdue, NULL };
		const char *w[] = { "number", j->number, "department", dept->name, NULL };

		if (c->department != NULL && !same(c->department, dept->id) &&
		    config_department(j->cfg, c->department) != NULL) {
			for (i = 0; i < n && !same(depts[i]->id, c->department); i++)
				;
			if (i == n)
				tell(j, SE_TO_DEPARTMENT, config_department(j->cfg,
				    c->department)->id, j->slang, "notice",
				    "staff_dept_withdrawn", w, NULL);
		}
		reply(j, "staff_ok_dispatched", r, "department");
		tell(j, SE_TO_RESIDENT, NULL, j->rlang, "notice",
		    "staff_res_dispatched", t, "department");
	}
out:
	free(list);
	free(caller);
	free(howto);
	free(detail);
	buf_free(&choices);
	buf_free(&assist);
	buf_free(&names);
}

static void
do_note(struct job *j)
{
	const struct case_view	*c = j->c;
	enum case_action	 a = j->as_dept ? CA_DEPT_NOTE : CA_NOTE;
	const char		*by = sender_name(j);
	const char		*r[] = { "number", j->number, NULL };
	const char		*t[] = { "number", j->number, "by", by, "text", j->cmd.text, NULL };

	if (!allowed(j, a))
		return;
	workflow_apply(j->res, c, a, j->actor, j->cmd.text, j->in->now);
	reply(j, "staff_ok_note", r, NULL);
	tell(j, SE_TO_RESIDENT, NULL, j->rlang, "notice", "staff_res_note", t, "text");
	/* the deputy who supervises it (代表督单) hears the department too */
	if (j->as_dept && c->deputy != NULL && config_deputy(j->cfg, c->deputy) != NULL) {
		const char *d[] = { "department", by, "number", j->number, "text",
		    j->cmd.text, NULL };
		tell(j, SE_TO_DEPUTY, config_deputy(j->cfg, c->deputy)->id, j->slang,
		    "notice", "staff_dep_note", d, "text");
	}
}

static void
do_resolve(struct job *j)
{
	const struct case_view	*c = j->c;
	enum case_action	 a = j->as_dept ? CA_DEPT_RESOLVE : CA_RESOLVE;
	struct staff_effect	*e;
	const char		*r[] = { "number", j->number, NULL };
	const char		*t[] = { "number", j->number, "result", j->cmd.text, NULL };

	if (!allowed(j, a))
		return;
	workflow_apply(j->res, c, a, j->actor, j->cmd.text, j->in->now);
	reply(j, "staff_ok_resolved", r, NULL);
	e = msg_add(j->res, SE_TO_RESIDENT, c->number, NULL, j->rlang, "rating",
	    j->in->now, staff_render_fit(j->cfg, j->rlang, "rating_prompt", t, "result"));
	e->urgent = false;
	e->not_before = quiet_release(j->cfg, j->in->now, j->in->utc_offset_minutes);
	if (j->as_dept && c->deputy != NULL && config_deputy(j->cfg, c->deputy) != NULL) {
		const char *d[] = { "department", j->in->department->name, "number",
		    j->number, "result", j->cmd.text, NULL };
		tell(j, SE_TO_DEPUTY, config_deputy(j->cfg, c->deputy)->id, j->slang,
		    "notice", "staff_dep_resolved", d, "result");
	}
}

static void
do_transfer(struct job *j)
{
	const struct case_view	*c = j->c;
	const struct deputy	*to = NULL, *old = NULL;
	const struct grid	*g = NULL;
	struct case_update	*up;
	char			*detail = NULL;
	const char		*by = sender_name(j);

	if (!allowed(j, CA_TRANSFER))
		goto out;
	if (find_transfer_target(j->cfg, j->tix, j->cmd.target, &to, &g) != 0) {
		const char *v[] = { "target", j->cmd.target, NULL };
		reply(j, "staff_target_unknown", v, "target");
		goto out;
	}
	if (same(to->id, c->deputy) && (g == NULL || same(g->id, c->grid))) {
		const char *v[] = { "number", j->number, "deputy", to->name, NULL };
		reply(j, "staff_target_same", v, NULL);
		goto out;
	}
	detail = xasprintf("from=%s to=%s%s%s", c->deputy ? c->deputy : "-", to->id,
	    g ? " grid=" : "", g ? g->id : "");
	up = workflow_apply(j->res, c, CA_TRANSFER, j->actor, detail, j->in->now);
	up->deputy = to->id;
	if (g != NULL) {
		up->grid = g->id;
		up->township = g->township;
	}
	{
		const char *n[] = { "by", by, "number", j->number, "grid",
		    g ? g->name : grid_label(j->cfg, j->slang, c->grid), "category",
		    category_label(j->cfg, j->slang, c->category), "description",
		    c->description ? c->description : "", NULL };
		const char *o[] = { "number", j->number, "by", by, "deputy", to->name, NULL };
		const char *r[] = { "number", j->number, "deputy", to->name, NULL };

		tell(j, SE_TO_DEPUTY, to->id, j->slang, "alert", "staff_dep_transferred",
		    n, "description");
		old = c->deputy != NULL ? config_deputy(j->cfg, c->deputy) : NULL;
		if (old != NULL && old != j->in->deputy && old != to)
			tell(j, SE_TO_DEPUTY, old->id, j->slang, "notice",
			    "staff_dep_transferred_out", o, NULL);
		reply(j, "staff_ok_transferred", r, NULL);
	}
out:
	free(detail);
}

/* 上报 N [理由]: one tier up; the next level and the resident are told. */
static void
do_escalate(struct job *j)
{
	const struct case_view	*c = j->c;
	enum case_status	 s;
	struct case_update	*up;
	struct staff_effect	*ev;
	char			*level = NULL, *rlevel = NULL, *slevel = NULL, *note = NULL;
	int			 from = c->tier >= 1 ? c->tier : 1, to = from + 1;

	if (case_status_parse(c->status, &s) != 0 || !case_status_is_open(s) ||
	    s == CS_RESOLVED) {
		refuse(j, "staff_refuse_status");
		goto out;
	}
	if (from >= 3) {
		refuse(j, "staff_escalate_top");
		goto out;
	}
	up = &staff_result_add(j->res, SE_CASE_UPDATE, c->number)->update;
	up->tier = to;
	ev = staff_result_add(j->res, SE_CASE_EVENT, c->number);
	ev->actor = xstrdup(j->actor);
	ev->event = "tier_raised";
	ev->detail = j->cmd.text != NULL ? xasprintf("tier=%d->%d %s", from, to,
	    j->cmd.text) : xasprintf("tier=%d->%d", from, to);
	level = level_name(j, to, j->lang);
	rlevel = level_name(j, to, j->rlang);
	slevel = level_name(j, to, j->slang);
	if (j->cmd.text != NULL) {
		const char *v[] = { "reason", j->cmd.text, NULL };
		note = dialog_render(j->cfg, j->slang, "staff_escalate_note", v);
	}
	{
		const char *r[] = { "number", j->number, "level", level, NULL };
		const char *t[] = { "number", j->number, "level", rlevel, NULL };
		const char *v[] = { "number", j->number, "by", sender_name(j), "level",
		    slevel, "place", place_label(j->cfg, j->slang, c), "category",
		    category_label(j->cfg, j->slang, c->category), "note",
		    note != NULL ? note : "", NULL };

		reply(j, "staff_ok_escalated", r, NULL);
		tell(j, SE_TO_RESIDENT, NULL, j->rlang, "notice", "staff_res_escalated", t,
		    NULL);
		tell_level(j, to, "staff_tier_raised", v, "note");
	}
out:
	free(level);
	free(rlevel);
	free(slevel);
	free(note);
}

/* The grid target names, by id, name or alias, else the place index. */
static const struct grid *
find_grid(const struct config *cfg, const struct text_index *tix, const char *target)
{
	char		*f = text_fold(target);
	const struct grid *g = NULL;
	size_t		 i, k;
	int		 gi;

	for (i = 0; f[0] != '\0' && g == NULL && i < cfg->ngrids; i++) {
		if (fold_eq(f, cfg->grids[i].id) || fold_eq(f, cfg->grids[i].name))
			g = &cfg->grids[i];
		for (k = 0; g == NULL && k < cfg->grids[i].naliases; k++)
			if (fold_eq(f, cfg->grids[i].aliases[k]))
				g = &cfg->grids[i];
	}
	if (g == NULL && f[0] != '\0' && tix != NULL &&
	    (gi = text_find_place(tix, f, NULL)) >= 0)
		g = &cfg->grids[gi];
	free(f);
	return g;
}

/*
 * 分办 N 村名或网格: place a case whose place was unknown (or a received
 * one that is misplaced) with a grid: its lead deputy holds it, and the
 * grid's deputies of today are alerted; the resident is told.
 */
static void
do_triage(struct job *j)
{
	const struct case_view	*c = j->c;
	const struct grid	*g;
	const struct deputy	*lead;
	struct case_update	*up;
	struct staff_effect	*ev;
	const char		*to[ALERTED_MAX];
	char			*caller = NULL;
	size_t			 n, i;

	if (!same(c->status, "received")) {
		refuse(j, "staff_refuse_triage");
		return;
	}
	if ((g = find_grid(j->cfg, j->tix, j->cmd.target)) == NULL ||
	    g->ndeputies == 0 || (lead = config_deputy(j->cfg, g->deputies[0])) == NULL) {
		const char *v[] = { "target", j->cmd.target, NULL };
		reply(j, "staff_grid_unknown", v, "target");
		return;
	}
	up = &staff_result_add(j->res, SE_CASE_UPDATE, c->number)->update;
	up->grid = g->id;
	up->township = g->township;
	up->deputy = lead->id;
	up->assigned_at = j->in->now;
	up->flags_clear = CASE_FLAG_TRIAGE;
	ev = staff_result_add(j->res, SE_CASE_EVENT, c->number);
	ev->actor = xstrdup(j->actor);
	ev->event = "triaged";
	ev->detail = xasprintf("grid=%s deputy=%s", g->id, lead->id);
	if (c->citizen != NULL && c->citizen[0] == '+') {
		const char *h[] = { "phone", strncmp(c->citizen, "+86", 3) == 0 ?
		    c->citizen + 3 : c->citizen, NULL };
		caller = dialog_render(j->cfg, j->slang, "staff_dept_caller", h);
	}
	{
		const char *a[] = { "number", j->number, "grid",
		    g->name, "category", category_label(j->cfg, j->slang, c->category),
		    "description", c->description ? c->description : "", "caller",
		    caller != NULL ? caller : "", NULL };
		const char *r[] = { "number", j->number, "grid", g->name, "deputy",
		    lead->name, NULL };

		n = grid_alerted(j->cfg, g, dialog_weekday(j->in->now,
		    j->in->utc_offset_minutes), to, nitems(to));
		for (i = 0; i < n; i++)
			tell(j, SE_TO_DEPUTY, to[i], j->slang, "alert", "staff_dep_triaged",
			    a, "description");
		reply(j, "staff_ok_triaged", r, NULL);
		tell(j, SE_TO_RESIDENT, NULL, j->rlang, "notice", "staff_res_triaged", r,
		    NULL);
	}
	free(caller);
}

/*
 * Who dispatched case c: the actor of its latest "dispatched" event among
 * those loaded ("deputy:d-niu", "staff:s-li"), else its deputy.  Sets
 * *kind and returns the id (borrowed from the config), or NULL.
 */
static const char *
dispatcher(const struct job *j, enum staff_effect_kind *kind)
{
	const struct case_view	*c = j->c;
	const struct deputy	*d;
	const struct staff_member *sm;
	const char		*a;
	size_t			 i;

	for (i = 0; i < c->nevents; i++) {
		if (!same(c->events[i].kind, "dispatched") || (a = c->events[i].actor) == NULL)
			continue;
		if (strncmp(a, "deputy:", 7) == 0 && (d = config_deputy(j->cfg, a + 7)) != NULL) {
			*kind = SE_TO_DEPUTY;
			return d->id;
		}
		if (strncmp(a, "staff:", 6) == 0 && (sm = config_staff(j->cfg, a + 6)) != NULL) {
			*kind = SE_TO_STAFF;
			return sm->id;
		}
		break;
	}
	*kind = SE_TO_DEPUTY;
	d = c->deputy != NULL ? config_deputy(j->cfg, c->deputy) : NULL;
	return d != NULL ? d->id : NULL;
}

/* 退回 N 理由 by the department: back to whoever dispatched it, who is told. */
static void
do_return(struct job *j)
{
	enum staff_effect_kind	 kind;
	const char		*to;
	const char		*r[] = { "number", j->number, NULL };
	const char		*t[] = { "department", j->in->department->name, "number",
				    j->number, "reason", j->cmd.text, NULL };

	if (!allowed(j, CA_DEPT_RETURN))
		return;
	workflow_apply(j->res, j->c, CA_DEPT_RETURN, j->actor, j->cmd.text, j->in->now);
	reply(j, "staff_ok_returned", r, NULL);
	if ((to = dispatcher(j, &kind)) != NULL)
		tell(j, kind, to, j->slang, "alert", "staff_dep_returned", t, "reason");
}

/* 督办 N 文字 (代表督单): to the case's department, recorded. */
static void
do_press(struct job *j)
{
	const struct case_view	*c = j->c;
	const struct department	*dept = c->department != NULL ?
				    config_department(j->cfg, c->department) : NULL;
	struct staff_effect	*ev;
	const char		*r[] = { "number", j->number, "department",
				    dept != NULL ? dept->name : "-", NULL };
	const char		*t[] = { "by", sender_name(j), "number", j->number,
				    "text", j->cmd.text, NULL };
	size_t			 i;

	if (dept == NULL || !(same(c->status, "dispatched") ||
	    same(c->status, "in_progress"))) {
		refuse(j, "staff_press_none");
		return;
	}
	ev = staff_result_add(j->res, SE_CASE_EVENT, c->number);
	ev->actor = xstrdup(j->actor);
	ev->event = "pressed";
	ev->detail = xasprintf("department=%s%s%s %s", dept->id, c->assist ?
	    " assist=" : "", c->assist ? c->assist : "", j->cmd.text);
	tell(j, SE_TO_DEPARTMENT, dept->id, j->slang, "alert", "staff_dept_pressed", t,
	    "text");
	for (i = 0; i < j->cfg->ndepartments; i++)	/* and those that assist */
		if (case_assisted_by(c, j->cfg->departments[i].id))
			tell(j, SE_TO_DEPARTMENT, j->cfg->departments[i].id, j->slang,
			    "alert", "staff_dept_pressed", t, "text");
	reply(j, "staff_ok_pressed", r, NULL);
}

int
staff_onbehalf_grid(const struct config *cfg, const struct staff_input *in)
{
	const struct grid	*g;
	size_t			 i;

	if (in->observer != NULL && (g = config_grid(cfg, in->observer->grid)) != NULL)
		return (int)(g - cfg->grids);
	for (i = 0; in->deputy != NULL && i < cfg->ngrids; i++)
		if (grid_lists(cfg, cfg->grids[i].id, in->deputy->id))
			return (int)i;
	return -1;
}

/*
 * 代办 手机号 诉求 (民情代办员, 民意集市, a walk-in): a case for that
 * resident, made by the shell through the resident dialog; the resident
 * is its citizen.  Here: who may, and a number that is one.
 */
static void
do_onbehalf(struct job *j)
{
	struct staff_effect	*e;
	char			 e164[PHONE_MAX];
	const char		*why = NULL;

	if (j->in->deputy == NULL && j->in->staff == NULL && j->in->observer == NULL) {
		reply(j, "staff_onbehalf_who", NULL, NULL);
		return;
	}
	if (phone_normalize(j->cmd.target, j->cfg->region != NULL ? j->cfg->region : "CN",
	    e164, sizeof(e164), &why) != 0) {
		const char *v[] = { "target", j->cmd.target, NULL };
		reply(j, "staff_onbehalf_phone", v, "target");
		return;
	}
	if (j->in->phone != NULL && strcmp(e164, j->in->phone) == 0) {
		reply(j, "staff_onbehalf_self", NULL, NULL);
		return;
	}
	e = staff_result_add(j->res, SE_ONBEHALF, 0);
	e->actor = xstrdup(j->actor);
	e->detail = xstrdup(e164);
	e->text = xstrdup(j->cmd.text);
	e->msg_kind = "reply";
	strlcpy(e->lang, j->lang, sizeof(e->lang));
}

static void
do_decline(struct job *j)
{
	const char	*r[] = { "number", j->number, NULL };
	const char	*t[] = { "number", j->number, "reason", j->cmd.text,
	    "hint", j->cfg->fallback_hint != NULL ? j->cfg->fallback_hint : "12345",
	    NULL };

	if (!allowed(j, CA_DECLINE))
		return;
	workflow_apply(j->res, j->c, CA_DECLINE, j->actor, j->cmd.text, j->in->now);
	reply(j, "staff_ok_declined", r, NULL);
	tell(j, SE_TO_RESIDENT, NULL, j->rlang, "notice", "staff_res_declined", t, "reason");
}

/*
 * 结案 N 理由 (staff close an open case: a duplicate, a resolved case
 * whose rating never came): the county office any case, township staff
 * and the chair their township's.  The resident, the case's deputy and
 * its department while it works on it are told, with the reason.
 */
static void
do_close(struct job *j)
{
	const struct case_view	*c = j->c;
	const char		*r[] = { "number", j->number, NULL };
	const char		*t[] = { "number", j->number, "reason", j->cmd.text, NULL };
	const char		*v[] = { "by", sender_name(j), "number", j->number,
				    "reason", j->cmd.text, NULL };

	if (!staff_side(j) && !(j->in->deputy != NULL &&
	    same(j->in->deputy->id, case_chair(j->cfg, c)))) {
		refuse(j, "staff_close_not_yours");
		return;
	}
	if (!allowed(j, CA_CLOSE))
		return;
	workflow_apply(j->res, c, CA_CLOSE, j->actor, j->cmd.text, j->in->now);
	reply(j, "staff_ok_closed", r, NULL);
	tell(j, SE_TO_RESIDENT, NULL, j->rlang, "notice", "staff_res_closed", t, "reason");
	if (c->deputy != NULL && config_deputy(j->cfg, c->deputy) != NULL &&
	    !(j->in->deputy != NULL && same(j->in->deputy->id, c->deputy)))
		tell(j, SE_TO_DEPUTY, config_deputy(j->cfg, c->deputy)->id, j->slang,
		    "notice", "staff_closed_notice", v, "reason");
	if (c->department != NULL && config_department(j->cfg, c->department) != NULL &&
	    (same(c->status, "dispatched") || same(c->status, "in_progress")))
		tell(j, SE_TO_DEPARTMENT, config_department(j->cfg, c->department)->id,
		    j->slang, "notice", "staff_closed_notice", v, "reason");
}

/* One line of SHOW's timeline for event ev; returns new. */
static char *
show_event(struct job *j, const struct case_event_view *ev)
{
	enum case_status	 s;
	char			 when[64], *label = NULL, *line, *note = NULL;
	const char		*l = NULL;
	size_t			 n;

	staff_fmt_time(ev->at, j->in->utc_offset_minutes, j->lang, when, sizeof(when));
	if (same(ev->kind, "note")) {
		n = utf8_prefix_units16(ev->detail ? ev->detail : "", SHOW_NOTE_UNITS);
		note = xasprintf("%.*s%s", (int)n, ev->detail ? ev->detail : "",
		    ev->detail && ev->detail[n] != '\0' ? "…" : "");
		const char *v[] = { "text", note, NULL };
		label = dialog_render(j->cfg, j->lang, "staff_show_note", v);
	} else if (same(ev->kind, "transferred"))
		l = config_template(j->cfg, j->lang, "staff_ev_transferred");
	else if (same(ev->kind, "reminded") || same(ev->kind, "overdue"))
		l = config_template(j->cfg, j->lang, "staff_ev_reminded");
	else if (same(ev->kind, "escalated"))
		l = config_template(j->cfg, j->lang, "staff_ev_escalated");
	else if (same(ev->kind, "tier_raised"))
		l = config_template(j->cfg, j->lang, "staff_ev_tier_raised");
	else if (same(ev->kind, "triaged"))
		l = config_template(j->cfg, j->lang, "staff_ev_triaged");
	else if (same(ev->kind, "pressed"))
		l = config_template(j->cfg, j->lang, "staff_ev_pressed");
	else if (case_status_parse(ev->to_status, &s) == 0)
		l = case_status_label(j->cfg, j->lang, s);
	else
		l = ev->kind != NULL ? ev->kind : "-";
	{
		const char *v[] = { "time", when, "event", label ? label : l, NULL };
		line = dialog_render(j->cfg, j->lang, "staff_show_event", v);
	}
	free(label);
	free(note);
	return line;
}

static void
do_show(struct job *j)
{
	const struct case_view	*c = j->c;
	enum case_status	 s;
	struct buf		 extra;
	char			*desc = NULL, *out = NULL, *line, due[64];
	const char		*d = c->description ? c->description : "";
	size_t			 n, ne, i;

	buf_init(&extra, 0);
	n = utf8_prefix_units16(d, SHOW_DESC_UNITS);
	desc = xasprintf("%.*s%s", (int)n, d, d[n] != '\0' ? "…" : "");
	ne = c->nevents < SHOW_EVENTS ? c->nevents : SHOW_EVENTS;
	for (;; ne--) {
		buf_reset(&extra);
		if (c->department != NULL && c->due_at > 0) {
			char *deps = departments_label(j->cfg, c);

			staff_fmt_time(c->due_at, j->in->utc_offset_minutes, j->lang, due,
			    sizeof(due));
			const char *v[] = { "department", deps, "due", due, NULL };
			line = dialog_render(j->cfg, j->lang, "staff_show_due", v);
			buf_addstr(&extra, line);
			free(line);
			free(deps);
		}
		if (c->instruction != NULL) {
			const char *v[] = { "text", c->instruction, NULL };
			line = dialog_render(j->cfg, j->lang, "staff_show_instruction", v);
			buf_addstr(&extra, line);
			free(line);
		}
		for (i = ne; i > 0; i--) {	/* oldest of the last ne first */
			line = show_event(j, &c->events[i - 1]);
			buf_addstr(&extra, line);
			free(line);
		}
		const char *v[] = { "number", j->number, "status",
		    case_status_parse(c->status, &s) == 0 ?
		    case_status_label(j->cfg, j->lang, s) : c->status, "category",
		    category_label(j->cfg, j->lang, c->category), "place",
		    place_label(j->cfg, j->lang, c), "description", desc, "extra",
		    buf_str(&extra), NULL };
		free(out);
		out = dialog_render(j->cfg, j->lang, "staff_show", v);
		if (fits(out) || ne == 0)
			break;
	}
	msg_add(j->res, SE_REPLY, c->number, NULL, j->lang, "reply", j->in->now,
	    cut_text(out));
	free(desc);
	buf_free(&extra);
}

static int
case_cmp(const void *pa, const void *pb)
{
	const struct case_view	*a = *(const struct case_view *const *)pa;
	const struct case_view	*b = *(const struct case_view *const *)pb;

	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? -1 : 1;
	return a->number < b->number ? -1 : a->number > b->number;
}

static void
do_list(struct job *j)
{
	const struct case_view	*open[LIST_CASES_MAX];
	enum case_status	 s;
	struct buf		 lines;
	char			*out = NULL, *cand = NULL, *line, num[24], count[24];
	const char		*more = strcmp(j->lang, "en") == 0 ? "\n..." : "\n…";
	size_t			 n = 0, i, k;

	for (i = 0; i < j->in->nmine && n < LIST_CASES_MAX; i++)
		if (staff_sees(j->cfg, j->in, &j->in->mine[i]))
			open[n++] = &j->in->mine[i];
	if (n == 0) {
		reply(j, "staff_list_empty", NULL, NULL);
		return;
	}
	qsort(open, n, sizeof(open[0]), case_cmp);
	snprintf(count, sizeof(count), "%zu", n);
	buf_init(&lines, 0);
	for (k = 0; k < n; k++) {
		const struct case_view *c = open[k];
		bool over;

		case_status_parse(c->status, &s);	/* parsed above */
		over = c->due_at > 0 && c->due_at < j->in->now && s != CS_RESOLVED;
		snprintf(num, sizeof(num), "%ld", c->number);
		const char *v[] = { "number", num, "status",
		    case_status_label(j->cfg, j->lang, s), "category",
		    category_label(j->cfg, j->lang, c->category), "place",
		    place_label(j->cfg, j->lang, c), "overdue", over ?
		    config_template(j->cfg, j->lang, "staff_list_overdue") : "", NULL };
		line = dialog_render(j->cfg, j->lang, "staff_list_line", v);
		if (k > 0)
			buf_addstr(&lines, "\n");
		buf_addstr(&lines, line);
		free(line);
		line = xasprintf("%s%s", buf_str(&lines), k + 1 < n ? more : "");
		const char *h[] = { "count", count, "lines", line, NULL };
		cand = dialog_render(j->cfg, j->lang, "staff_list", h);
		free(line);
		if (!fits(cand) && out != NULL) {
			free(cand);
			break;
		}
		free(out);
		out = cand;
	}
	msg_add(j->res, SE_REPLY, 0, NULL, j->lang, "reply", j->in->now, cut_text(out));
	buf_free(&lines);
}

int
staff_step(const struct config *cfg, const struct text_index *tix,
    const struct staff_input *in, struct staff_result *res)
{
	struct job	 j;
	bool		 dep, dept;
	int		 rc = -1;

	memset(&j, 0, sizeof(j));
	if (in == NULL || (in->text == NULL && in->cmd == NULL))
		goto out;
	j.cfg = cfg;
	j.tix = tix;
	j.in = in;
	j.res = res;
	j.slang = lang_or(NULL, cfg);
	if (in->cmd != NULL) {		/* parsed already: the API */
		j.cmd = *in->cmd;
		j.cmd.target = in->cmd->target ? xstrdup(in->cmd->target) : NULL;
		j.cmd.text = in->cmd->text ? xstrdup(in->cmd->text) : NULL;
	} else if (staff_parse(in->text, &j.cmd) != 0) {
		j.cmd.kind = SC_NONE;
		strlcpy(j.cmd.lang, utf8_has_cjk(in->text) ? "zh" : "en",
		    sizeof(j.cmd.lang));
	}
	j.lang = j.cmd.lang;
	snprintf(j.number, sizeof(j.number), "%ld", j.cmd.number);
	rc = 0;
	if (in->deputy == NULL && in->department == NULL && in->staff == NULL &&
	    in->observer == NULL) {
		reply(&j, "not_staff", NULL, NULL);
		goto out;
	}
	/* an observer files on behalf (代办), nothing more */
	if (in->deputy == NULL && in->department == NULL && in->staff == NULL &&
	    (j.cmd.kind != SC_ONBEHALF || j.cmd.usage != NULL)) {
		reply(&j, "observer_help", NULL, NULL);
		goto out;
	}
	if (j.cmd.kind == SC_NONE) {
		reply(&j, "staff_unknown", NULL, NULL);
		goto out;
	}
	if (j.cmd.usage != NULL) {
		reply(&j, in->deputy == NULL && in->staff == NULL &&
		    strcmp(j.cmd.usage, "deputy_help") == 0 ?
		    "staff_dept_help" : j.cmd.usage, NULL, NULL);
		goto out;
	}
	if (j.cmd.kind == SC_HELP) {
		reply(&j, in->deputy != NULL || in->staff != NULL ? "deputy_help" :
		    "staff_dept_help", NULL, NULL);
		goto out;
	}
	if (j.cmd.kind == SC_LIST) {
		do_list(&j);
		goto out;
	}
	if (j.cmd.kind == SC_ONBEHALF) {
		if (in->deputy != NULL)
			snprintf(j.actor, sizeof(j.actor), "deputy:%s", in->deputy->id);
		else if (in->staff != NULL)
			snprintf(j.actor, sizeof(j.actor), "staff:%s", in->staff->id);
		else if (in->observer != NULL)
			snprintf(j.actor, sizeof(j.actor), "observer:%s", in->observer->id);
		do_onbehalf(&j);
		goto out;
	}
	if (in->kase == NULL || in->kase->number != j.cmd.number) {
		const char *v[] = { "number", j.number, NULL };
		reply(&j, "not_found", v, NULL);
		goto out;
	}
	j.c = in->kase;
	j.rlang = lang_or(j.c->language, cfg);
	/* the case's deputy, backup and chair, and staff within their remit,
	 * do everything; the grid's other deputies take it (接单) and look */
	dep = deputy_side(&j) || staff_side(&j) || (grid_side(&j) &&
	    (j.cmd.kind == SC_ACCEPT || j.cmd.kind == SC_SHOW));
	dept = department_side(&j);
	/* a 协办 department reports progress and looks; the lead resolves */
	if (!dept && !dep && assist_side(&j)) {
		if (j.cmd.kind == SC_RESOLVE || j.cmd.kind == SC_DECLINE) {
			refuse(&j, "staff_assist_no_resolve");
			goto out;
		}
		dept = j.cmd.kind == SC_NOTE || j.cmd.kind == SC_SHOW;
	}
	if (j.cmd.kind == SC_NOTE || j.cmd.kind == SC_RESOLVE ||
	    j.cmd.kind == SC_DECLINE || j.cmd.kind == SC_SHOW) {
		/* the department acts as such while the case is with it; it
		 * may look at its case (查) and return it (退回) */
		j.as_dept = dept && (!dep || same(j.c->status, "dispatched") ||
		    same(j.c->status, "in_progress"));
		if (!dep && !dept) {
			refuse(&j, "staff_not_yours");
			goto out;
		}
	} else if (!dep) {
		refuse(&j, "staff_not_yours");
		goto out;
	}
	if (j.as_dept)
		snprintf(j.actor, sizeof(j.actor), "department:%s", in->department->id);
	else if (in->deputy != NULL)
		snprintf(j.actor, sizeof(j.actor), "deputy:%s", in->deputy->id);
	else
		snprintf(j.actor, sizeof(j.actor), "staff:%s", in->staff->id);
	switch (j.cmd.kind) {
	case SC_ACCEPT:
		do_accept(&j);
		break;
	case SC_DISPATCH:
		do_dispatch(&j);
		break;
	case SC_NOTE:
		do_note(&j);
		break;
	case SC_RESOLVE:
		do_resolve(&j);
		break;
	case SC_TRANSFER:
		do_transfer(&j);
		break;
	case SC_DECLINE:
		if (j.as_dept)
			do_return(&j);
		else
			do_decline(&j);
		break;
	case SC_PRESS:
		do_press(&j);
		break;
	case SC_SHOW:
		do_show(&j);
		break;
	case SC_ESCALATE:
		do_escalate(&j);
		break;
	case SC_TRIAGE:
		do_triage(&j);
		break;
	case SC_CLOSE:
		do_close(&j);
		break;
	default:
		break;
	}
out:
	staff_cmd_clear(&j.cmd);
	return rc;
}

/* --- ratings (群众评单) ---------------------------------------------------- */

/*
 * The rating words, folded (Traditional characters and full-width forms
 * fold to these).  The formal answers the prompt offers (满意 / 基本满意 /
 * 不满意, satisfied / fair / unsatisfied) may run straight into a comment
 * (满意谢谢); the everyday words (the last flag) must stand alone, so that
 * 不好意思, 好像, 差不多, 一般来说 or "good morning" start no rating.
 * Everyday words: 5 very good, 4 good, 3 so-so, 2 rather poor, 1 bad.
 */
static const struct word rating_words[] = {
	{ "满意", 5, false, false },
	{ "很满意", 5, false, false },
	{ "非常满意", 5, false, false },
	{ "十分满意", 5, false, false },
	{ "比较满意", 4, false, false },
	{ "基本满意", 3, false, false },
	{ "不太满意", 2, false, false },
	{ "不满意", 1, false, false },
	{ "很不满意", 1, false, false },
	{ "非常不满意", 1, false, false },
	{ "satisfied", 5, true, false },
	{ "fair", 3, true, false },
	{ "unsatisfied", 1, true, false },
	{ "dissatisfied", 1, true, false },
	/* 5 */
	{ "很好", 5, false, true },
	{ "非常好", 5, false, true },
	{ "特别好", 5, false, true },
	{ "太好", 5, false, true },
	{ "好极", 5, false, true },
	{ "满分", 5, false, true },
	{ "好评", 5, false, true },
	{ "excellent", 5, true, true },
	{ "great", 5, true, true },
	{ "perfect", 5, true, true },
	/* 4 */
	{ "好", 4, false, true },
	{ "挺好", 4, false, true },
	{ "蛮好", 4, false, true },
	{ "比较好", 4, false, true },
	{ "不错", 4, false, true },
	{ "挺不错", 4, false, true },
	{ "还不错", 4, false, true },
	{ "good", 4, true, true },
	/* 3 */
	{ "一般", 3, false, true },
	{ "一般般", 3, false, true },
	{ "还行", 3, false, true },
	{ "还可以", 3, false, true },
	{ "还好", 3, false, true },
	{ "凑合", 3, false, true },
	{ "马马虎虎", 3, false, true },
	{ "过得去", 3, false, true },
	{ "average", 3, true, true },
	/* 2 */
	{ "不太好", 2, false, true },
	{ "较差", 2, false, true },
	{ "比较差", 2, false, true },
	{ "不怎么样", 2, false, true },
	{ "poor", 2, true, true },
	/* 1 */
	{ "差", 1, false, true },
	{ "很差", 1, false, true },
	{ "太差", 1, false, true },
	{ "非常差", 1, false, true },
	{ "差评", 1, false, true },
	{ "不好", 1, false, true },
	{ "很不好", 1, false, true },
	{ "糟糕", 1, false, true },
	{ "很糟糕", 1, false, true },
	{ "太糟糕", 1, false, true },
	{ "bad", 1, true, true },
	{ "terrible", 1, true, true },
	{ "awful", 1, true, true },
};

/* What may follow a score: 5分, 5星, 五颗星, 5 stars, 4 points. */
static const struct word rating_units[] = {
	{ "分", 0, false, false },
	{ "星", 0, false, false },
	{ "颗星", 0, false, false },
	{ "个星", 0, false, false },
	{ "star", 0, true, false },
	{ "stars", 0, true, false },
	{ "point", 0, true, false },
	{ "points", 0, true, false },
};

int
rating_parse(const char *raw, int *score, const char **comment)
{
	static const char *const cn[] = { "一", "二", "三", "四", "五" };
	char		 f[CP_FOLD_MAX];
	const char	*p = NULL, *q;
	size_t		 i;
	int		 w, s = 0;

	if (raw == NULL)
		return -1;
	if ((w = match_word(raw, rating_words, nitems(rating_words), &p)) >= 0)
		s = rating_words[w].val;
	else {
		p = skip_seps(raw);
		if (!cp_next(&p, f))
			return -1;
		if (strlen(f) == 1 && f[0] >= '1' && f[0] <= '5')
			s = f[0] - '0';
		for (i = 0; s == 0 && i < nitems(cn); i++)
			if (strcmp(f, cn[i]) == 0)
				s = (int)i + 1;
		if (s == 0)
			return -1;
		/* then a unit (分, 星, stars), a separator, or the end: "5号楼"
		 * is no rating */
		if (match_word(p, rating_units, nitems(rating_units), &q) >= 0)
			p = q;
		else {
			cp_peek(p, f);
			if (f[0] != '\0')
				return -1;
		}
	}
	*score = s;
	*comment = skip_seps(p);
	return 0;
}

int
rating_step(const struct config *cfg, const struct case_view *c, const char *raw,
    int64_t now, struct staff_result *res)
{
	struct case_update	*up;
	const char		*comment = NULL, *lang, *chair, *dep;
	char			*detail = NULL, *ctext = NULL, *trim = NULL, number[24], score[16];
	int			 s, rc = -1;

	if (!same(c->status, "resolved") || rating_parse(raw, &s, &comment) != 0)
		goto out;
	lang = lang_or(c->language, cfg);
	trim = free_text(comment);
	detail = trim != NULL ? xasprintf("rating=%d %s", s, trim) :
	    xasprintf("rating=%d", s);
	up = workflow_apply(res, c, s >= 3 ? CA_RATE_CLOSE : CA_RATE_REOPEN, "resident",
	    detail, now);
	up->rating = s;
	up->rating_comment = xstrdup(trim);
	snprintf(number, sizeof(number), "%ld", c->number);
	snprintf(score, sizeof(score), "%d", s);
	if (s >= 3) {
		msg_add(res, SE_REPLY, c->number, NULL, lang, "reply", now,
		    staff_render_fit(cfg, lang, "rating_thanks", NULL, NULL));
		rc = 0;
		goto out;
	}
	{
		const char *v[] = { "number", number, NULL };
		msg_add(res, SE_REPLY, c->number, NULL, lang, "reply", now,
		    staff_render_fit(cfg, lang, "rating_reopened", v, NULL));
	}
	lang = lang_or(NULL, cfg);
	if (trim != NULL) {
		const char *v[] = { "comment", trim, NULL };
		ctext = dialog_render(cfg, lang, "staff_comment", v);
	}
	{
		const char *v[] = { "number", number, "score", score, "comment",
		    ctext ? ctext : "", NULL };
		dep = c->deputy != NULL && config_deputy(cfg, c->deputy) != NULL ?
		    config_deputy(cfg, c->deputy)->id : NULL;
		chair = case_chair(cfg, c);
		if (chair != NULL && config_deputy(cfg, chair) != NULL)
			chair = config_deputy(cfg, chair)->id;
		else
			chair = NULL;
		if (dep != NULL)
			msg_add(res, SE_TO_DEPUTY, c->number, dep, lang, "notice", now,
			    staff_render_fit(cfg, lang, "staff_dep_reopened", v, "comment"));
		if (chair != NULL && !same(chair, dep))
			msg_add(res, SE_TO_DEPUTY, c->number, chair, lang, "notice", now,
			    staff_render_fit(cfg, lang, "staff_dep_reopened", v, "comment"));
	}
	rc = 0;
out:
	free(ctext);
	free(trim);
	free(detail);
	return rc;
}
