/*
 * evaluation.c: the pure rules of 民主评议, 民生实事票决 and 履职考核.
 *
 * - Evaluator pools: kinds, and the quota check of a township's pool.
 * - The draw: a seeded shuffle of a township's pool (sorted by phone) and a
 *   quota-respecting pick from it; README.md "民主评议" spells out the
 *   algorithm so that anyone can recompute it from the pool and the seed.
 * - Answers: a score for the current question, or a whole line ("A1 B2
 *   C1"); votes on projects (同意 / 不同意 / 弃权) the same way.
 * - Scores: the 20/80 combination, the rank within a township and type,
 *   and the flags (under 80, 通报, 诫勉).
 * - Deputies' duty commands: 进站, 走访 N, 民意 文字, 建议 文字.
 *
 * No I/O, no clock, no SQLite: everything is an argument.
 */
#include "dialogs.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

static const char *const kind_names[EK_COUNT] = {
	"enterprise", "resident", "villager", "deputy", "supervisor"
};

int
eval_kind_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < EK_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
eval_kind_name(int kind)
{
	return kind >= 0 && kind < EK_COUNT ? kind_names[kind] : "?";
}

/* The least number of count that share q must reach (ceil, exact on .0). */
static size_t
quota_need(double q, size_t count)
{
	double	 x = q * (double)count;

	return (size_t)ceil(x - 1e-9);
}

size_t
eval_pool_check(const struct config *cfg, const char *township,
    const size_t counts[EK_COUNT], struct config_errors *errs)
{
	const double	 q[3] = { cfg->evaluation.quota_enterprise,
	    cfg->evaluation.quota_resident, cfg->evaluation.quota_villager };
	size_t		 total = 0, ordinary, i, before = errs->n;

	for (i = 0; i < EK_COUNT; i++)
		total += counts[i];
	ordinary = counts[EK_ENTERPRISE] + counts[EK_RESIDENT] +
	    counts[EK_VILLAGER];
	if (total < (size_t)cfg->evaluation.pool_min ||
	    total > (size_t)cfg->evaluation.pool_max)
		config_err(errs, township, "%zu evaluators, expected %d to %d",
		    total, cfg->evaluation.pool_min, cfg->evaluation.pool_max);
	for (i = 0; i < 3; i++)
		if (counts[i] < quota_need(q[i], total))
			config_err(errs, township, "%zu %s of %zu (%.0f%%), quota "
			    "at least %.0f%%", counts[i], kind_names[i], total,
			    total ? 100.0 * (double)counts[i] / (double)total : 0.0,
			    100.0 * q[i]);
	if (ordinary < quota_need(cfg->evaluation.quota_ordinary, total))
		config_err(errs, township, "%zu ordinary people (enterprise, "
		    "resident, villager) of %zu (%.0f%%), quota at least %.0f%%",
		    ordinary, total, total ? 100.0 * (double)ordinary /
		    (double)total : 0.0, 100.0 * cfg->evaluation.quota_ordinary);
	return errs->n - before;
}

uint64_t
eval_prng(const char *seed, const char *township, uint64_t k)
{
	unsigned char	 md[SHA256_DIGEST_LENGTH];
	char		*msg;
	uint64_t	 v = 0;
	int		 i;

	msg = xasprintf("%s|%s|%llu", seed, township, (unsigned long long)k);
	SHA256((const unsigned char *)msg, strlen(msg), md);
	free(msg);
	for (i = 0; i < 8; i++)
		v = v << 8 | md[i];
	return v;
}

static const struct eval_member *sort_pool;	/* for cmp_phone only */

static int
cmp_phone(const void *a, const void *b)
{
	const size_t	*x = a, *y = b;

	return strcmp(sort_pool[*x].phone, sort_pool[*y].phone);
}

int
eval_draw(const struct config *cfg, const char *seed, const char *township,
    const struct eval_member *pool, size_t n, size_t count, size_t *out,
    char *err, size_t errsz)
{
	const double	 q[3] = { cfg->evaluation.quota_enterprise,
	    cfg->evaluation.quota_resident, cfg->evaluation.quota_villager };
	size_t		*order = NULL, need[3], have[3] = { 0, 0, 0 };
	size_t		 i, j, t, nout = 0, ordinary = 0, need_ord;
	bool		*taken = NULL;
	uint64_t	 k = 0;
	int		 rc = -1;

	if (count == 0 || count > n) {
		snprintf(err, errsz, "%s: cannot draw %zu of %zu evaluators",
		    township, count, n);
		return -1;
	}
	order = xcalloc(n, sizeof(*order));
	taken = xcalloc(n, sizeof(*taken));
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_pool = pool;
	qsort(order, n, sizeof(*order), cmp_phone);
	sort_pool = NULL;
	/* Fisher-Yates from the end, the k-th swap partner from eval_prng */
	for (i = n - 1; i > 0; i--) {
		j = (size_t)(eval_prng(seed, township, k++) % (uint64_t)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < 3; i++)
		need[i] = quota_need(q[i], count);
	need_ord = quota_need(cfg->evaluation.quota_ordinary, count);
	/* pass 1: each kind's minimum, in shuffled order */
	for (i = 0; i < n && nout < count; i++) {
		int kind = pool[order[i]].kind;

		if (kind < 3 && have[kind] < need[kind]) {
			taken[i] = true;
			have[kind]++;
			ordinary++;
			nout++;
		}
	}
	/* pass 2: ordinary people up to their share */
	for (i = 0; i < n && nout < count && ordinary < need_ord; i++)
		if (!taken[i] && pool[order[i]].kind < 3) {
			taken[i] = true;
			ordinary++;
			nout++;
		}
	/* pass 3: anyone, up to count */
	for (i = 0; i < n && nout < count; i++)
		if (!taken[i]) {
			taken[i] = true;
			if (pool[order[i]].kind < 3)
				ordinary++;
			nout++;
		}
	for (i = 0; i < 3; i++)
		if (have[i] < need[i]) {
			snprintf(err, errsz, "%s: the pool has too few %s to draw "
			    "%zu (quota %zu)", township, kind_names[i], count,
			    need[i]);
			goto out;
		}
	if (ordinary < need_ord) {
		snprintf(err, errsz, "%s: the pool has too few ordinary people "
		    "to draw %zu (quota %zu)", township, count, need_ord);
		goto out;
	}
	for (i = 0, j = 0; i < n; i++)
		if (taken[i])
			out[j++] = order[i];
	rc = 0;
out:
	free(order);
	free(taken);
	return rc;
}

/* --- answers ---------------------------------------------------------- */

/*
 * One value at the start of folded s: sets *val and returns its length,
 * or 0.  Evaluation: 1 2 3 are the choices 满意 基本满意 不满意 (their
 * configured scores), 0 and 4..100 are points, "分" may follow; votes:
 * 1 2 3 or 同意 不同意 弃权 (yes no abstain).
 */
static size_t
parse_value(const struct config *cfg, bool vote, const char *s, int *val)
{
	static const struct { const char *w; int v; } ewords[] = {
		{ "基本满意", 1 }, { "比较满意", 1 }, { "不满意", 2 },
		{ "满意", 0 }, { "satisfied", 0 }, { "fair", 1 },
		{ "unsatisfied", 2 },
	}, vwords[] = {
		{ "不同意", 2 }, { "反对", 2 }, { "同意", 1 }, { "赞成", 1 },
		{ "弃权", 3 }, { "yes", 1 }, { "no", 2 }, { "abstain", 3 },
	};
	size_t	 i, n;
	long	 x;

	if (vote) {
		for (i = 0; i < nitems(vwords); i++)
			if (strncmp(s, vwords[i].w, strlen(vwords[i].w)) == 0) {
				*val = vwords[i].v;
				return strlen(vwords[i].w);
			}
		if (s[0] >= '1' && s[0] <= '3' && !isdigit((unsigned char)s[1])) {
			*val = s[0] - '0';
			return 1;
		}
		return 0;
	}
	for (i = 0; i < nitems(ewords); i++)
		if (strncmp(s, ewords[i].w, strlen(ewords[i].w)) == 0) {
			*val = cfg->evaluation.choice_scores[ewords[i].v];
			return strlen(ewords[i].w);
		}
	n = strspn(s, "0123456789");
	if (n == 0 || n > 3)
		return 0;
	x = strtol(s, NULL, 10);
	if (x > 100)
		return 0;
	if (x >= 1 && x <= 3)
		*val = cfg->evaluation.choice_scores[x - 1];
	else
		*val = (int)x;
	if (strncmp(s + n, "分", strlen("分")) == 0)
		n += strlen("分");
	return n;
}

char *
eval_split_copy(const char *s)
{
	static const char *const seps[] = { "，", "、", "；", "　" };
	char	*out = xstrdup(s), *p;
	size_t	 i, n;

	for (i = 0; i < nitems(seps); i++) {
		n = strlen(seps[i]);
		while ((p = strstr(out, seps[i])) != NULL) {
			*p = ',';
			memmove(p + 1, p + n, strlen(p + n) + 1);
		}
	}
	return out;
}

static bool
is_stop(const char *f)
{
	return strcmp(f, "退订") == 0 || strcmp(f, "td") == 0 ||
	    strcmp(f, "stop") == 0 || strcmp(f, "unsubscribe") == 0 ||
	    strcmp(f, "取消订阅") == 0;
}

enum eval_input
eval_parse_answers(const struct config *cfg, bool vote, const char *raw,
    size_t nq, size_t cur, int *answers)
{
	int		*tmp = NULL;
	char		*f = NULL, *copy = NULL, *tok, *save = NULL;
	const char	*p;
	enum eval_input	 rc = EI_NONE;
	size_t		 i, n, got = 0;
	int		 v;

	f = text_fold(raw);
	if (is_stop(f)) {
		rc = EI_STOP;
		goto out;
	}
	tmp = xcalloc(nq ? nq : 1, sizeof(*tmp));
	memcpy(tmp, answers, nq * sizeof(*tmp));
	if (f[0] >= 'a' && f[0] <= 'z' && (n = parse_value(cfg, vote, f, &v)) > 0 &&
	    f[n] == '\0') {
		/* a word alone (satisfied, yes) answers the current question */
		if (cur >= nq)
			goto out;
		tmp[cur] = v;
		got = 1;
	} else if (f[0] >= 'a' && f[0] <= 'z') {
		/* lettered: a1b2c满意 */
		for (p = f; *p != '\0'; p += n) {
			if (*p < 'a' || *p > 'z' || (size_t)(*p - 'a') >= nq)
				goto out;
			i = (size_t)(*p - 'a');
			p++;
			if ((n = parse_value(cfg, vote, p, &v)) == 0)
				goto out;
			tmp[i] = v;
			got++;
		}
	} else {
		/* bare values, from the current question on: "1", "1 2 1" */
		copy = eval_split_copy(raw);
		for (tok = strtok_r(copy, " \t\r\n,;", &save), i = cur;
		    tok != NULL; tok = strtok_r(NULL, " \t\r\n,;", &save), i++) {
			char *ft = text_fold(tok);

			n = parse_value(cfg, vote, ft, &v);
			if (n == 0 || ft[n] != '\0' || i >= nq) {
				free(ft);
				goto out;
			}
			free(ft);
			tmp[i] = v;
			got++;
		}
	}
	if (got == 0)
		goto out;
	memcpy(answers, tmp, nq * sizeof(*tmp));
	rc = EI_ANSWERS;
out:
	free(tmp);
	free(copy);
	free(f);
	return rc;
}

bool
eval_looks_like_answer(const char *raw)
{
	static const char *const words[] = { "基本满意", "比较满意", "不满意",
	    "满意", "不同意", "同意", "反对", "弃权", "分" };
	char	*f = text_fold(raw), *p;
	size_t	 i, n;
	bool	 rc;

	for (i = 0; i < nitems(words); i++) {
		n = strlen(words[i]);
		while ((p = strstr(f, words[i])) != NULL)
			memmove(p, p + n, strlen(p + n) + 1);
	}
	rc = f[0] != '\0' || raw[strspn(raw, " \t\r\n")] != '\0';
	for (p = f; rc && *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && !(*p >= 'a' && *p <= 'z'))
			rc = false;
	free(f);
	return rc;
}

/* --- scores ----------------------------------------------------------- */

double
eval_round1(double x)
{
	return round(x * 10.0) / 10.0;
}

double
eval_daily(double satisfaction, double on_time)
{
	if (satisfaction >= 0 && on_time >= 0)
		return (satisfaction + on_time) / 2.0;
	if (satisfaction >= 0)
		return satisfaction;
	return on_time;		/* may be -1: no daily record */
}

double
eval_combine(const struct config *cfg, double daily, double concentrated)
{
	if (concentrated < 0)
		return daily;
	if (daily < 0)
		return eval_round1(concentrated);
	return eval_round1(cfg->evaluation.daily_weight * daily +
	    cfg->evaluation.concentrated_weight * concentrated);
}

static const struct eval_result *sort_res;

/* Same group first, then overridden last, then by score down, then id. */
static int
cmp_result(const void *a, const void *b)
{
	const struct eval_result *x = &sort_res[*(const size_t *)a];
	const struct eval_result *y = &sort_res[*(const size_t *)b];
	int	 c;

	if ((c = strcmp(x->township, y->township)) != 0 ||
	    (c = strcmp(x->type, y->type)) != 0)
		return c;
	if (x->overridden != y->overridden)
		return x->overridden ? 1 : -1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->unit, y->unit);
}

void
eval_rank(const struct config *cfg, struct eval_result *r, size_t n)
{
	size_t	*idx, i, j, start;

	if (n == 0)
		return;
	idx = xcalloc(n, sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_res = r;
	qsort(idx, n, sizeof(*idx), cmp_result);
	sort_res = NULL;
	for (start = 0; start < n; start = j) {
		struct eval_result *s = &r[idx[start]];

		for (j = start; j < n && strcmp(r[idx[j]].township, s->township) == 0 &&
		    strcmp(r[idx[j]].type, s->type) == 0; j++) {
			struct eval_result *e = &r[idx[j]];

			e->rank = (int)(j - start + 1);
			e->group_size = 0;
			e->criticised = e->admonished = false;
			e->under = e->score >= 0 && e->score < cfg->evaluation.flag_under;
		}
		for (i = start; i < j; i++)
			r[idx[i]].group_size = (int)(j - start);
		/* last of its group: 通报 when under the line or overridden */
		{
			struct eval_result *last = &r[idx[j - 1]];

			last->criticised = last->overridden ||
			    (last->under && j - start > 0);
			last->admonished = last->criticised && last->criticised_before;
		}
	}
	free(idx);
}

/* --- deputies' duties ------------------------------------------------- */

/* Does raw start with word (then a space, a digit or the end)? */
static const char *
after_word(const char *raw, const char *word)
{
	size_t	 n = strlen(word);

	if (strncasecmp(raw, word, n) != 0)
		return NULL;
	raw += n;
	if (isalpha((unsigned char)word[0]) && isalpha((unsigned char)*raw))
		return NULL;
	while (*raw == ' ' || *raw == '\t' || *raw == ':' ||
	    strncmp(raw, "：", strlen("：")) == 0)
		raw += *raw == ' ' || *raw == '\t' || *raw == ':' ? 1 :
		    strlen("：");
	return raw;
}

int
eval_parse_duty(const char *raw, struct duty_cmd *out)
{
	static const struct { const char *w; enum duty_kind k; } words[] = {
		{ "进站", DUTY_STATION }, { "station", DUTY_STATION },
		{ "走访", DUTY_VISIT }, { "visit", DUTY_VISIT },
		{ "民意", DUTY_REPORT }, { "report", DUTY_REPORT },
		{ "建议", DUTY_SUGGESTION }, { "suggest", DUTY_SUGGESTION },
		{ "视察", DUTY_INSPECTION }, { "inspect", DUTY_INSPECTION },
	};
	const char	*rest = NULL;
	char		*end;
	size_t		 i;
	long		 n;

	memset(out, 0, sizeof(*out));
	while (*raw == ' ' || *raw == '\t')
		raw++;
	for (i = 0; i < nitems(words); i++)
		if ((rest = after_word(raw, words[i].w)) != NULL)
			break;
	if (i == nitems(words))
		return -1;
	out->kind = words[i].k;
	out->count = 1;
	switch (out->kind) {
	case DUTY_INSPECTION:
		out->text = rest;
		return 0;
	case DUTY_STATION:
	case DUTY_VISIT:
		if (isdigit((unsigned char)*rest)) {
			n = strtol(rest, &end, 10);
			if (n < 1 || n > 10000)
				return 1;	/* a usage problem */
			out->count = (int)n;
			rest = end;
			while (*rest == ' ' || *rest == '\t')
				rest++;
		} else if (out->kind == DUTY_VISIT)
			return 1;		/* 走访 needs its number */
		out->text = rest;
		return 0;
	case DUTY_REPORT:
	case DUTY_SUGGESTION:
		if (*rest == '\0')
			return 1;
		out->text = rest;
		return 0;
	}
	return -1;
}

int
assess_stars(const struct config *cfg, double score)
{
	int	 s = 1, i;

	for (i = 0; i < 4; i++)
		if (score >= cfg->assessment.stars[i])
			s = i + 2;
	return s;
}

double
assess_score(const struct config *cfg, const double values[ASSESS_COUNT])
{
	double	 s = 0;
	int	 i;

	for (i = 0; i < ASSESS_COUNT; i++)
		s += cfg->assessment.weights[i] * values[i];
	return eval_round1(s);
}
