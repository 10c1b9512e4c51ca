/*
 * evaluation_sms.c: 民主评议, 票决 and duty records inside the server.
 * Evaluators' and deputies' SMS (gateway_eval_handle, called by conv.c
 * before the resident dialog and the staff commands) and the timer's part
 * (gateway_eval_schedule: questions at opens, the reminder, the close,
 * 票决 ballots, overdue rectification items), plus the helpers the CLI
 * (evaluation.c) shares.  The rules are dialogs/evaluation.c; every
 * statement is store/evaluation.c.
 */
#include "evaluation.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../dialogs/dialogs.h"

#define EVAL_LATE_WINDOW	(7 * 86400)	/* late answers refused this long */

/* --- shared with evaluation.c -------------------------------------------- */

const char *
gateway_eval_channel(const struct config *cfg)
{
	return cfg->evaluation.channel != NULL ? cfg->evaluation.channel :
	    cfg->sms_channel;
}

/* "YYYY-MM-DD HH:MM[:SS]" (or with a T) in the config's timezone, or an
 * ISO time with its zone; 0 or -1. */
int
gateway_eval_when_parse(const struct config *cfg, const char *s, int64_t *t)
{
	struct tm	 tm;
	int		 y, mo, d, h, mi, sec = 0, n = 0;
	int64_t		 u;

	if (sscanf(s, "%4d-%2d-%2d%*[ T]%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5) {
		int m = 0;

		if (s[n] == ':' && sscanf(s + n, ":%2d%n", &sec, &m) == 1)
			n += m;
		if (s[n] != '\0')
			return time_parse_iso(s, t);
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = sec;
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
		    sec > 59)
			return -1;
		u = (int64_t)timegm(&tm);
		/* the offset at that moment, found from a first guess */
		u -= (int64_t)gateway_utc_offset(cfg, u) * 60;
		*t = u;
		return 0;
	}
	return time_parse_iso(s, t);
}
void
gateway_eval_when_fmt(const struct config *cfg, int64_t t, const char *lang, char *out,
    size_t outsz)
{
	staff_fmt_time(t, gateway_utc_offset(cfg, t), lang, out, outsz);
}
int
gateway_eval_step(struct store *st, struct store_stmt *stmt)
{
	int	 rc = store_step(stmt);

	store_reset(stmt);
	if (rc != STORE_DONE && rc != STORE_ROW) {
		log_warnx("store evaluation failed err=\"%s\"",
		    store_errmsg(st));
		return -1;
	}
	return 0;
}
void
gateway_eval_bind(struct store_stmt *stmt, int i, const char *s)
{
	if (s != NULL)
		store_bind_text(stmt, i, s, -1, STORE_TRANSIENT);
	else
		store_bind_null(stmt, i);
}
void
gateway_eval_round_clear(struct eval_round *r)
{
	free(r->name);
	free(r->seed);
	free(r->digest);
	json_decref(r->townships);
	json_decref(r->units);
	json_decref(r->dimensions);
	memset(r, 0, sizeof(*r));
}
char *
gateway_eval_col_dup(struct store_stmt *stmt, int i)
{
	const unsigned char *s = store_column_text(stmt, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}
json_t *
gateway_eval_col_json(struct store_stmt *stmt, int i)
{
	const unsigned char *s = store_column_text(stmt, i);

	return s != NULL ? json_loads((const char *)s, 0, NULL) : NULL;
}
/* The round by id or name; 0, or -1 (not found: a message to stderr when
 * loud). */
int
gateway_eval_round_load(struct store *st, const char *key, int64_t id, struct eval_round *r,
    bool loud)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_ROUND_GET);
	int		 rc = -1;

	memset(r, 0, sizeof(r[0]));
	store_bind_int64(stmt, 1, key != NULL ? strtoll(key, NULL, 10) : id);
	gateway_eval_bind(stmt, 2, key != NULL ? key : "");
	if (store_step(stmt) == STORE_ROW) {
		r->id = store_column_int64(stmt, 0);
		r->name = gateway_eval_col_dup(stmt, 1);
		r->townships = gateway_eval_col_json(stmt, 2);
		r->units = gateway_eval_col_json(stmt, 3);
		r->dimensions = gateway_eval_col_json(stmt, 4);
		r->opens = store_column_int64(stmt, 5);
		r->closes = store_column_int64(stmt, 6);
		r->year = store_column_int(stmt, 7);
		r->seed = gateway_eval_col_dup(stmt, 8);
		r->digest = gateway_eval_col_dup(stmt, 9);
		r->drawn_count = store_column_int(stmt, 10);
		r->opened = store_column_int(stmt, 11) != 0;
		r->closed = store_column_int(stmt, 12) != 0;
		r->ballots = store_column_int(stmt, 13);
		rc = 0;
	} else if (loud)
		fprintf(stderr, "evaluation: no round \"%s\"\n", key ? key : "?");
	store_reset(stmt);
	return rc;
}
size_t
gateway_eval_round_nq(const struct eval_round *r)
{
	return json_array_size(r->units) * json_array_size(r->dimensions);
}
const char *
gateway_eval_round_unit(const struct eval_round *r, size_t q)
{
	return json_string_value(json_array_get(r->units,
	    q / json_array_size(r->dimensions)));
}
const char *
gateway_eval_round_dim(const struct eval_round *r, size_t q)
{
	return json_string_value(json_array_get(r->dimensions,
	    q % json_array_size(r->dimensions)));
}

long
gateway_eval_case_track(struct store *st, const struct config *cfg,
    const char *chan, const struct deputy *d, const char *grid,
    const char *category, int tier, const char *description,
    const char *actor, int64_t now)
{
	const struct grid	*g = grid != NULL ? config_grid(cfg, grid) : NULL;
	struct store_stmt		*stmt = store_stmt(st, SQL_CASE_TRACKED);
	int64_t			 id;
	long			 number = -1;
	char			*detail;

	gateway_eval_bind(stmt, 1, chan);
	gateway_eval_bind(stmt, 2, d->phone);
	gateway_eval_bind(stmt, 3, grid);
	gateway_eval_bind(stmt, 4, g != NULL ? g->township : NULL);
	gateway_eval_bind(stmt, 5, category);
	store_bind_int(stmt, 6, tier);
	gateway_eval_bind(stmt, 7, description);
	gateway_eval_bind(stmt, 8, d->id);
	gateway_eval_bind(stmt, 9, cfg->language);
	store_bind_int64(stmt, 10, now);
	if (gateway_eval_step(st, stmt) != 0)
		return -1;
	id = store_last_insert_id(st);
	detail = xasprintf("deputy=%s tracked", d->id);
	if (gateway_case_event(st, id, now, actor, "created", NULL, "accepted",
	    detail) != 0) {
		free(detail);
		return -1;
	}
	free(detail);
	stmt = store_stmt(st, SQL_CASE_NUMBER_OF);
	store_bind_int64(stmt, 1, id);
	if (store_step(stmt) == STORE_ROW)
		number = store_column_int(stmt, 0);
	store_reset(stmt);
	log_info("case created number=%ld channel=%s deputy=%s tracked by=%s",
	    number, chan, d->id, actor);
	return number;
}

/* The daily part of unit over the round's year: 0..100, or -1. */
static double
unit_daily(struct store *st, const struct config *cfg, const char *unit,
    int year)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_UNIT_DAILY);
	struct tm	 tm;
	int64_t		 from, to;
	double		 sat = -1, ontime = -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mday = 1;
	from = (int64_t)timegm(&tm);
	from -= (int64_t)gateway_utc_offset(cfg, from) * 60;
	tm.tm_year++;
	to = (int64_t)timegm(&tm);
	to -= (int64_t)gateway_utc_offset(cfg, to) * 60;
	gateway_eval_bind(stmt, 1, unit);
	store_bind_int64(stmt, 2, from);
	store_bind_int64(stmt, 3, to);
	if (store_step(stmt) == STORE_ROW) {
		if (store_column_type(stmt, 0) != STORE_NULL)
			sat = (store_column_double(stmt, 0) - 1.0) / 4.0 * 100.0;
		if (store_column_int64(stmt, 1) > 0)
			ontime = 100.0 * (double)store_column_int64(stmt, 2) /
			    (double)store_column_int64(stmt, 1);
	}
	store_reset(stmt);
	return eval_daily(sat, ontime);
}

json_t *
gateway_eval_results(struct store *st, const struct config *cfg,
    const char *key)
{
	struct eval_round	 r;
	struct eval_result	*res = NULL;
	json_t			*out = NULL, *rows, *v, **extra = NULL;
	size_t			 i, n;

	if (gateway_eval_round_load(st, key, 0, &r, false) != 0)
		return NULL;
	n = json_array_size(r.units);
	res = xcalloc(n + 1, sizeof(*res));
	extra = xcalloc(n + 1, sizeof(*extra));
	json_array_foreach(r.units, i, v) {
		const struct department *d = config_department(cfg, json_string_value(v));
		struct store_stmt	*stmt;
		double		 daily, conc = -1;

		extra[i] = json_object();
		res[i].unit = json_string_value(v);
		res[i].township = d && d->township ? d->township : "";
		res[i].type = d && d->type ? d->type : "";
		json_object_set_new(extra[i], "name", json_string(d ? d->name :
		    json_string_value(v)));
		daily = unit_daily(st, cfg, res[i].unit, r.year);
		stmt = store_stmt(st, SQL_TALLY_UNIT);
		store_bind_int64(stmt, 1, r.id);
		gateway_eval_bind(stmt, 2, res[i].unit);
		if (store_step(stmt) == STORE_ROW && store_column_int64(stmt, 1) > 0)
			conc = (double)store_column_int64(stmt, 0) /
			    (double)store_column_int64(stmt, 1);
		store_reset(stmt);
		res[i].score = eval_combine(cfg, daily, conc);
		json_object_set_new(extra[i], "daily", daily >= 0 ?
		    json_real(eval_round1(daily)) : json_null());
		json_object_set_new(extra[i], "concentrated", conc >= 0 ?
		    json_real(eval_round1(conc)) : json_null());
		stmt = store_stmt(st, SQL_OVERRIDE_GET);
		store_bind_int64(stmt, 1, r.id);
		gateway_eval_bind(stmt, 2, res[i].unit);
		if (store_step(stmt) == STORE_ROW) {
			res[i].overridden = true;
			json_object_set_new(extra[i], "override", json_sprintf(
			    "last: %s (by %s)", store_column_text(stmt, 0),
			    store_column_text(stmt, 1)));
		} else
			json_object_set_new(extra[i], "override", json_null());
		store_reset(stmt);
		stmt = store_stmt(st, SQL_PREV_CRITICISED);
		gateway_eval_bind(stmt, 1, res[i].unit);
		store_bind_int(stmt, 2, r.year - 1);
		res[i].criticised_before = store_step(stmt) == STORE_ROW &&
		    store_column_int(stmt, 0) > 0;
		store_reset(stmt);
	}
	eval_rank(cfg, res, n);
	rows = json_array();
	for (i = 0; i < n; i++) {
		json_t *row = json_object();

		json_object_set_new(row, "unit", json_string(res[i].unit));
		json_object_set(row, "name", json_object_get(extra[i], "name"));
		json_object_set_new(row, "township", json_string(res[i].township));
		json_object_set_new(row, "type", json_string(res[i].type));
		json_object_set(row, "daily", json_object_get(extra[i], "daily"));
		json_object_set(row, "concentrated", json_object_get(extra[i],
		    "concentrated"));
		json_object_set_new(row, "score", res[i].score >= 0 ?
		    json_real(res[i].score) : json_null());
		json_object_set_new(row, "rank", json_integer(res[i].rank));
		json_object_set_new(row, "of", json_integer(res[i].group_size));
		json_object_set_new(row, "under_80", json_boolean(res[i].under));
		json_object_set_new(row, "criticised", json_boolean(res[i].criticised));
		json_object_set_new(row, "admonished", json_boolean(res[i].admonished));
		json_object_set(row, "override", json_object_get(extra[i], "override"));
		json_array_append_new(rows, row);
		json_decref(extra[i]);
	}
	out = json_pack("{s:I, s:s, s:i, s:i, s:b, s:b, s:o}", "round",
	    (json_int_t)r.id, "name", r.name, "year", r.year, "ballots", r.ballots,
	    "opened", r.opened, "closed", r.closed, "units", rows);
	free(extra);
	free(res);
	gateway_eval_round_clear(&r);
	return out;
}

/* --- in the server: SMS from evaluators and deputies ---------------------- */

/* The language to answer text in: zh for Chinese text, else the config's. */
static const char *
reply_lang(const struct config *cfg, const char *text)
{
	return utf8_has_cjk(text) ? "zh" : cfg->language;
}

static int
send_text(struct store *st, struct gateway *gw, const char *chan,
    const char *addr, const char *text, int64_t now)
{
	return gateway_outbox_add(st, gw, chan, addr, text, 0, "evaluation", true,
	    now, now);
}

/* Render key (fitting two SMS segments, cutting variable cut) and queue it
 * to addr over chan. */
static int
send_key(struct store *st, struct gateway *gw, const char *chan,
    const char *addr, const char *lang, const char *key,
    const char *const *vars, const char *cut, int64_t now)
{
	char	*text = staff_render_fit(gw->cfg, lang, key, vars, cut);
	int	 rc = send_text(st, gw, chan, addr, text, now);

	free(text);
	return rc;
}

/* Where evaluation SMS to phone go: evaluation.channel, else the first
 * channel that reaches phones.  *addr: new string. */
static int
eval_target(struct gateway *gw, const char *phone, const char **chan,
    char **addr)
{
	return gateway_staff_target(gw, gateway_eval_channel(gw->cfg), phone,
	    NULL, NULL, chan, addr);
}

static int
send_question(struct store *st, struct gateway *gw, const struct eval_round *r,
    size_t q, const char *chan, const char *addr, const char *lang,
    const char *key, const char *const *pre, int64_t now)
{
	const struct department *d = config_department(gw->cfg, gateway_eval_round_unit(r, q));
	char		 letter[2] = { (char)('A' + q), 0 };
	const char	*vars[] = { "letter", letter, "unit", d ? d->name :
	    gateway_eval_round_unit(r, q), "dimension", gateway_eval_round_dim(r, q), NULL };
	char		*qtext;
	int		 rc;

	if (key == NULL)
		return send_key(st, gw, chan, addr, lang, "eval_question", vars,
		    "unit", now);
	/* the question inside another text (the reminder) */
	qtext = dialog_render(gw->cfg, lang, "eval_question", vars);
	{
		const char *v2[16];
		size_t i = 0;

		for (; pre[i] != NULL && i < 12; i++)
			v2[i] = pre[i];
		v2[i++] = "question";
		v2[i++] = qtext;
		v2[i] = NULL;
		rc = send_key(st, gw, chan, addr, lang, key, v2, "question", now);
	}
	free(qtext);
	return rc;
}

static json_t *
answers_json(const int *a, size_t n)
{
	json_t	*j = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(j, json_integer(a[i]));
	return j;
}

static void
answers_load(struct store_stmt *stmt, int col, int *a, size_t n)
{
	json_t	*j = gateway_eval_col_json(stmt, col);
	size_t	 i;

	for (i = 0; i < n; i++) {
		json_t *v = json_array_get(j, i);

		a[i] = json_is_integer(v) ? (int)json_integer_value(v) : -1;
	}
	json_decref(j);
}

static size_t
first_unanswered(const int *a, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && a[i] >= 0; i++)
		;
	return i;
}

/* The text that answered a ballot leaves the messages table (anonymity). */
static int
scrub_message(struct store *st, int64_t msg_rowid)
{
	struct store_stmt	*stmt;

	if (msg_rowid <= 0)
		return 0;
	stmt = store_stmt(st, SQL_MESSAGE_SCRUB);
	store_bind_int64(stmt, 1, msg_rowid);
	return gateway_eval_step(st, stmt);
}

/* An evaluator's reply: 1 handled, 0 not an evaluator's business, -1. */
static int
eval_answer(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, int64_t msg_rowid, uint64_t reqid, int64_t now)
{
	const struct config *cfg = gw->cfg;
	const char	*lang = reply_lang(cfg, m->text), *chan = ch->conf->id;
	struct store_stmt	*stmt = store_stmt(st, SQL_DRAWN_BY_PHONE);
	struct eval_round	 r;
	int64_t		 round_id, closes, pos;
	char		*township = NULL, when[64];
	int		 ans[EVAL_MAX_QUESTIONS], rc = 0, step, voted;
	size_t		 nq, next, q;
	enum eval_input	 in;

	memset(&r, 0, sizeof(r));
	gateway_eval_bind(stmt, 1, m->from);
	if (store_step(stmt) != STORE_ROW) {
		store_reset(stmt);
		return 0;
	}
	round_id = store_column_int64(stmt, 0);
	township = gateway_eval_col_dup(stmt, 1);
	pos = store_column_int64(stmt, 2);
	step = store_column_int(stmt, 3);
	voted = store_column_int(stmt, 5);
	closes = store_column_int64(stmt, 6);
	if (now - closes > EVAL_LATE_WINDOW ||
	    gateway_eval_round_load(st, NULL, round_id, &r, false) != 0) {
		store_reset(stmt);
		goto out;
	}
	nq = gateway_eval_round_nq(&r);
	answers_load(stmt, 4, ans, nq);
	store_reset(stmt);
	in = eval_parse_answers(cfg, false, m->text, nq, (size_t)step, ans);
	if (in == EI_STOP || (in == EI_NONE && !eval_looks_like_answer(m->text)))
		goto out;	/* 退订, a request, a staff command: not ours */
	rc = -1;
	if (scrub_message(st, msg_rowid) != 0)
		goto out;
	if (now >= closes) {
		const char *vars[] = { "closes", when, NULL };

		gateway_eval_when_fmt(cfg, closes, lang, when, sizeof(when));
		log_info("%016" PRIx64 " evaluation late round=%lld", reqid,
		    (long long)round_id);
		rc = send_key(st, gw, chan, m->from, lang, "eval_late", vars,
		    NULL, now) == 0 ? 1 : -1;
		goto out;
	}
	if (voted) {
		log_info("%016" PRIx64 " evaluation second vote refused round=%lld",
		    reqid, (long long)round_id);
		rc = send_key(st, gw, chan, m->from, lang, "eval_already", NULL,
		    NULL, now) == 0 ? 1 : -1;
		goto out;
	}
	if (in == EI_NONE) {
		if (send_key(st, gw, chan, m->from, lang, "eval_unclear", NULL,
		    NULL, now) != 0 || send_question(st, gw, &r, (size_t)step,
		    chan, m->from, lang, NULL, NULL, now) != 0)
			goto out;
		rc = 1;
		goto out;
	}
	if ((next = first_unanswered(ans, nq)) < nq) {
		json_t	*j = answers_json(ans, nq);
		char	*js = json_dumps(j, JSON_COMPACT);

		json_decref(j);
		stmt = store_stmt(st, SQL_DRAWN_SAVE);
		store_bind_int64(stmt, 1, round_id);
		gateway_eval_bind(stmt, 2, township);
		store_bind_int64(stmt, 3, pos);
		store_bind_int64(stmt, 4, (int64_t)next);
		gateway_eval_bind(stmt, 5, js);
		free(js);
		if (gateway_eval_step(st, stmt) != 0 || send_question(st, gw, &r, next, chan,
		    m->from, lang, NULL, NULL, now) != 0)
			goto out;
		rc = 1;
		goto out;
	}
	/* the last answer: counted into the tally, the voter's answers go */
	for (q = 0; q < nq; q++) {
		stmt = store_stmt(st, SQL_TALLY_ADD);
		store_bind_int64(stmt, 1, round_id);
		gateway_eval_bind(stmt, 2, gateway_eval_round_unit(&r, q));
		gateway_eval_bind(stmt, 3, gateway_eval_round_dim(&r, q));
		store_bind_int(stmt, 4, ans[q]);
		if (gateway_eval_step(st, stmt) != 0)
			goto out;
	}
	stmt = store_stmt(st, SQL_ROUND_BALLOT);
	store_bind_int64(stmt, 1, round_id);
	if (gateway_eval_step(st, stmt) != 0)
		goto out;
	stmt = store_stmt(st, SQL_DRAWN_COUNTED);
	store_bind_int64(stmt, 1, round_id);
	gateway_eval_bind(stmt, 2, township);
	store_bind_int64(stmt, 3, pos);
	if (gateway_eval_step(st, stmt) != 0)
		goto out;
	log_info("%016" PRIx64 " evaluation ballot counted round=%lld", reqid,
	    (long long)round_id);
	rc = send_key(st, gw, chan, m->from, lang, "eval_thanks", NULL, NULL,
	    now) == 0 ? 1 : -1;
out:
	free(township);
	gateway_eval_round_clear(&r);
	return rc;
}

/* Project q of vote round_id as a question, or a vote's intro. */
static int
send_vote_question(struct store *st, struct gateway *gw, int64_t round_id,
    size_t q, const char *chan, const char *addr, const char *lang, int64_t now)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_VOTE_PROJECTS);
	char		 letter[2] = { (char)('A' + q), 0 };
	char		*title = NULL;
	int		 rc;

	store_bind_int64(stmt, 1, round_id);
	while (store_step(stmt) == STORE_ROW)
		if ((size_t)store_column_int(stmt, 0) == q)
			title = gateway_eval_col_dup(stmt, 1);
	store_reset(stmt);
	{
		const char *vars[] = { "letter", letter, "project", title ? title : "",
		    NULL };

		rc = send_key(st, gw, chan, addr, lang, "vote_question", vars,
		    "project", now);
	}
	free(title);
	return rc;
}

static size_t
vote_nprojects(struct store *st, int64_t round_id)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_VOTE_PROJECTS);
	size_t		 n = 0;

	store_bind_int64(stmt, 1, round_id);
	while (store_step(stmt) == STORE_ROW)
		n++;
	store_reset(stmt);
	return n;
}

/* A deputy's 票决 reply: 1 handled, 0 not a vote, -1. */
static int
vote_answer(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, const struct deputy *d, uint64_t reqid,
    int64_t now)
{
	const struct config *cfg = gw->cfg;
	const char	*lang = reply_lang(cfg, m->text), *chan = ch->conf->id;
	struct store_stmt	*stmt = store_stmt(st, SQL_VOTER_BY_PHONE);
	int64_t		 round_id, closes;
	int		 ans[EVAL_MAX_QUESTIONS], step, voted;
	size_t		 n, next, q;
	char		 when[64];

	gateway_eval_bind(stmt, 1, m->from);
	if (store_step(stmt) != STORE_ROW) {
		store_reset(stmt);
		return 0;
	}
	round_id = store_column_int64(stmt, 0);
	step = store_column_int(stmt, 2);
	voted = store_column_int(stmt, 4);
	closes = store_column_int64(stmt, 5);
	n = vote_nprojects(st, round_id);
	answers_load(stmt, 3, ans, n);
	store_reset(stmt);
	if (now - closes > EVAL_LATE_WINDOW ||
	    eval_parse_answers(cfg, true, m->text, n, (size_t)step, ans) !=
	    EI_ANSWERS)
		return 0;	/* a staff command, most likely */
	if (now >= closes) {
		const char *vars[] = { "closes", when, NULL };

		gateway_eval_when_fmt(cfg, closes, lang, when, sizeof(when));
		return send_key(st, gw, chan, m->from, lang, "vote_late", vars,
		    NULL, now) == 0 ? 1 : -1;
	}
	if (voted)
		return send_key(st, gw, chan, m->from, lang, "vote_already", NULL,
		    NULL, now) == 0 ? 1 : -1;
	if ((next = first_unanswered(ans, n)) < n) {
		json_t	*j = answers_json(ans, n);
		char	*js = json_dumps(j, JSON_COMPACT);

		json_decref(j);
		stmt = store_stmt(st, SQL_VOTER_SAVE);
		store_bind_int64(stmt, 1, round_id);
		gateway_eval_bind(stmt, 2, d->id);
		store_bind_int64(stmt, 3, (int64_t)next);
		gateway_eval_bind(stmt, 4, js);
		free(js);
		if (gateway_eval_step(st, stmt) != 0)
			return -1;
		return send_vote_question(st, gw, round_id, next, chan, m->from,
		    lang, now) == 0 ? 1 : -1;
	}
	for (q = 0; q < n; q++) {
		stmt = store_stmt(st, SQL_VOTE_COUNT);
		store_bind_int64(stmt, 1, round_id);
		store_bind_int64(stmt, 2, (int64_t)q);
		store_bind_int(stmt, 3, ans[q]);
		if (gateway_eval_step(st, stmt) != 0)
			return -1;
	}
	stmt = store_stmt(st, SQL_VOTER_COUNTED);
	store_bind_int64(stmt, 1, round_id);
	gateway_eval_bind(stmt, 2, d->id);
	if (gateway_eval_step(st, stmt) != 0)
		return -1;
	log_info("%016" PRIx64 " vote counted round=%lld deputy=%s", reqid,
	    (long long)round_id, d->id);
	return send_key(st, gw, chan, m->from, lang, "vote_thanks", NULL, NULL,
	    now) == 0 ? 1 : -1;
}

/* A deputy's duty record (进站, 走访, 民意, 建议): 1, 0 not one, -1. */
static int
duty_record(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, const struct deputy *d, uint64_t reqid,
    int64_t now)
{
	static const char *const kinds[] = { "station", "visit", "report",
	    "suggestion", "inspection" };
	static const char *const keys[] = { "duty_station", "duty_visit",
	    "duty_report", "duty_suggestion", "duty_inspection" };
	const char	*lang = reply_lang(gw->cfg, m->text);
	struct duty_cmd	 dc;
	struct store_stmt	*stmt;
	char		 count[16], number[24];
	int64_t		 id;
	int		 r;

	if ((r = eval_parse_duty(m->text, &dc)) < 0)
		return 0;
	if (r > 0)
		return send_key(st, gw, ch->conf->id, m->from, lang, "duty_usage",
		    NULL, NULL, now) == 0 ? 1 : -1;
	stmt = store_stmt(st, SQL_DUTY_INSERT);
	gateway_eval_bind(stmt, 1, d->id);
	gateway_eval_bind(stmt, 2, kinds[dc.kind]);
	store_bind_int(stmt, 3, dc.count);
	gateway_eval_bind(stmt, 4, dc.text);
	gateway_eval_bind(stmt, 5, dc.kind == DUTY_SUGGESTION ? "submitted" : NULL);
	store_bind_int64(stmt, 6, now);
	if (gateway_eval_step(st, stmt) != 0)
		return -1;
	snprintf(count, sizeof(count), "%d", dc.count);
	id = store_last_insert_id(st);
	snprintf(number, sizeof(number), "%lld", (long long)id);
	/* a 社情民意 that names a kind of problem is a request: a case too */
	if (dc.kind == DUTY_REPORT && gw->tix != NULL) {
		char	*f = text_fold(dc.text);
		int	 cat = text_find_category(gw->tix, f);
		int	 g = cat >= 0 ? text_find_place(gw->tix, f, NULL) : -1;
		long	 n = -1;

		free(f);
		if (cat >= 0 && (n = gateway_eval_case_track(st, gw->cfg,
		    ch->conf->id, d, g >= 0 ? gw->cfg->grids[g].id : NULL,
		    gw->cfg->categories[cat].id, gw->cfg->categories[cat].tier,
		    dc.text, d->id, now)) < 0)
			return -1;
		if (n > 0) {
			char		 cnum[24];
			const char	*vars[] = { "number", number, "case", cnum,
			    NULL };

			snprintf(cnum, sizeof(cnum), "%ld", n);
			stmt = store_stmt(st, SQL_DUTY_CASE);
			store_bind_int64(stmt, 1, id);
			store_bind_int64(stmt, 2, n);
			if (gateway_eval_step(st, stmt) != 0)
				return -1;
			log_info("%016" PRIx64 " duty recorded deputy=%s kind=report "
			    "case=%ld", reqid, d->id, n);
			return send_key(st, gw, ch->conf->id, m->from, lang,
			    "duty_report_case", vars, NULL, now) == 0 ? 1 : -1;
		}
	}
	log_info("%016" PRIx64 " duty recorded deputy=%s kind=%s count=%d", reqid,
	    d->id, kinds[dc.kind], dc.count);
	{
		const char *vars[] = { "count", count, "number", number, NULL };

		return send_key(st, gw, ch->conf->id, m->from, lang, keys[dc.kind],
		    vars, NULL, now) == 0 ? 1 : -1;
	}
}

int
gateway_eval_handle(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, int64_t msg_rowid, uint64_t reqid, int64_t now)
{
	const struct deputy	*d;
	int			 r;

	if (m->from == NULL || m->from[0] != '+' || m->group_id != NULL)
		return 0;
	if ((r = eval_answer(st, gw, ch, m, msg_rowid, reqid, now)) != 0)
		return r;
	if ((d = config_deputy_by_phone(gw->cfg, m->from)) == NULL)
		return 0;
	if ((r = vote_answer(st, gw, ch, m, d, reqid, now)) != 0)
		return r;
	return duty_record(st, gw, ch, m, d, reqid, now);
}

/* --- in the server: the timer's part --------------------------------------- */

struct due {
	int64_t	 id;
	int	 action;	/* 1 open, 2 remind, 3 close */
};

struct asked {
	char	*township, *name, *phone;
	int	 step;
	int	 ans[EVAL_MAX_QUESTIONS];
};

/* The drawn evaluators of r still to ask (not voted, not opted out). */
static size_t
to_ask(struct store *st, const struct eval_round *r, struct asked **out)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_DRAWN_TO_ASK);
	struct asked	*a = NULL;
	size_t		 n = 0, cap = 0;

	store_bind_int64(stmt, 1, r->id);
	while (store_step(stmt) == STORE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			a = xrealloc(a, cap * sizeof(*a));
		}
		a[n].township = gateway_eval_col_dup(stmt, 0);
		a[n].name = gateway_eval_col_dup(stmt, 2);
		a[n].phone = gateway_eval_col_dup(stmt, 3);
		a[n].step = store_column_int(stmt, 4);
		answers_load(stmt, 5, a[n].ans, gateway_eval_round_nq(r));
		n++;
	}
	store_reset(stmt);
	*out = a;
	return n;
}

static void
asked_free(struct asked *a, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(a[i].township);
		free(a[i].name);
		free(a[i].phone);
	}
	free(a);
}

static int
round_open(struct store *st, struct gateway *gw, const struct eval_round *r,
    int64_t now)
{
	const struct config *cfg = gw->cfg;
	const char	*lang = cfg->language, *chan;
	struct asked	*a = NULL;
	size_t		 n = to_ask(st, r, &a), i;
	struct store_stmt	*stmt;
	char		 count[16], when[64], *addr = NULL;
	int		 rc = -1;

	snprintf(count, sizeof(count), "%zu", gateway_eval_round_nq(r));
	gateway_eval_when_fmt(cfg, r->closes, lang, when, sizeof(when));
	for (i = 0; i < n; i++) {
		const struct township *t = config_township(cfg, a[i].township);
		const char *vars[] = { "township", t ? t->name :
		    a[i].township, "round", r->name, "count", count, "closes",
		    when, NULL };

		free(addr);
		addr = NULL;
		if (eval_target(gw, a[i].phone, &chan, &addr) != 0)
			continue;
		if (send_key(st, gw, chan, addr, lang, "eval_intro", vars, "round",
		    now) != 0 || send_question(st, gw, r, 0, chan, addr, lang,
		    NULL, NULL, now) != 0)
			goto out;
	}
	stmt = store_stmt(st, SQL_ROUND_OPENED);
	store_bind_int64(stmt, 1, r->id);
	if (gateway_eval_step(st, stmt) != 0)
		goto out;
	log_info("evaluation opened round=%lld asked=%zu", (long long)r->id, n);
	rc = 0;
out:
	free(addr);
	asked_free(a, n);
	return rc;
}

static int
round_remind(struct store *st, struct gateway *gw, const struct eval_round *r,
    int64_t now)
{
	const struct config *cfg = gw->cfg;
	const char	*lang = cfg->language, *chan;
	struct asked	*a = NULL;
	size_t		 n = to_ask(st, r, &a), i, nq = gateway_eval_round_nq(r), left, k;
	struct store_stmt	*stmt;
	char		 sleft[16], when[64], *addr = NULL;
	int		 rc = -1;

	gateway_eval_when_fmt(cfg, r->closes, lang, when, sizeof(when));
	for (i = 0; i < n; i++) {
		const char *pre[] = { "round", r->name, "closes", when, "left",
		    sleft, NULL };

		for (k = 0, left = 0; k < nq; k++)
			left += a[i].ans[k] < 0;
		snprintf(sleft, sizeof(sleft), "%zu", left);
		free(addr);
		addr = NULL;
		if (eval_target(gw, a[i].phone, &chan, &addr) != 0)
			continue;
		if (send_question(st, gw, r, first_unanswered(a[i].ans, nq),
		    chan, addr, lang, "eval_remind", pre, now) != 0)
			goto out;
	}
	stmt = store_stmt(st, SQL_ROUND_REMINDED);
	store_bind_int64(stmt, 1, r->id);
	if (gateway_eval_step(st, stmt) != 0)
		goto out;
	log_info("evaluation reminded round=%lld reminded=%zu", (long long)r->id, n);
	rc = 0;
out:
	free(addr);
	asked_free(a, n);
	return rc;
}

static int
round_close(struct store *st, const struct eval_round *r)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_DRAWN_DROP_PARTIAL);

	store_bind_int64(stmt, 1, r->id);
	if (gateway_eval_step(st, stmt) != 0)
		return -1;
	stmt = store_stmt(st, SQL_ROUND_CLOSED);
	store_bind_int64(stmt, 1, r->id);
	if (gateway_eval_step(st, stmt) != 0)
		return -1;
	log_info("evaluation closed round=%lld ballots=%d", (long long)r->id,
	    r->ballots);
	return 0;
}

static int
vote_open(struct store *st, struct gateway *gw, int64_t id, int64_t now)
{
	const struct config *cfg = gw->cfg;
	struct store_stmt	*stmt = store_stmt(st, SQL_VOTE_GET);
	char		*title = NULL, count[16], when[64], *addr = NULL;
	const char	*lang = cfg->language, *chan;
	int64_t		 closes = 0;
	int		 rc = -1;
	size_t		 i;

	store_bind_int64(stmt, 1, id);
	if (store_step(stmt) == STORE_ROW) {
		title = gateway_eval_col_dup(stmt, 1);
		closes = store_column_int64(stmt, 3);
	}
	store_reset(stmt);
	if (title == NULL)
		return -1;
	snprintf(count, sizeof(count), "%zu", vote_nprojects(st, id));
	gateway_eval_when_fmt(cfg, closes, lang, when, sizeof(when));
	for (i = 0; i < cfg->ndeputies; i++) {
		const struct deputy *d = &cfg->deputies[i];
		const char *vars[] = { "name", d->name, "title", title, "count",
		    count, "closes", when, NULL };

		free(addr);
		addr = NULL;
		if (eval_target(gw, d->phone, &chan, &addr) != 0)
			continue;
		if (send_key(st, gw, chan, addr, lang, "vote_intro", vars, "title",
		    now) != 0 || send_vote_question(st, gw, id, 0, chan, addr, lang,
		    now) != 0)
			goto out;
	}
	stmt = store_stmt(st, SQL_VOTE_OPENED);
	store_bind_int64(stmt, 1, id);
	if (gateway_eval_step(st, stmt) != 0)
		goto out;
	log_info("vote opened round=%lld deputies=%zu", (long long)id, cfg->ndeputies);
	rc = 0;
out:
	free(addr);
	free(title);
	return rc;
}

static int
items_chase(struct store *st, struct gateway *gw, int64_t now)
{
	const struct config *cfg = gw->cfg;
	struct store_stmt	*stmt = store_stmt(st, SQL_ITEMS_DUE);
	struct { int64_t id; char *unit, *text; int64_t deadline; } *it = NULL;
	size_t		 n = 0, cap = 0, i;
	int		 rc = 0;

	store_bind_int64(stmt, 1, now);
	while (store_step(stmt) == STORE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			it = xrealloc(it, cap * sizeof(*it));
		}
		it[n].id = store_column_int64(stmt, 0);
		it[n].unit = gateway_eval_col_dup(stmt, 1);
		it[n].text = gateway_eval_col_dup(stmt, 2);
		it[n].deadline = store_column_int64(stmt, 3);
		n++;
	}
	store_reset(stmt);
	for (i = 0; i < n && rc == 0; i++) {
		const struct department *d = config_department(cfg, it[i].unit);
		const char *chan;
		char number[24], when[64], *addr = NULL;

		snprintf(number, sizeof(number), "%lld", (long long)it[i].id);
		gateway_eval_when_fmt(cfg, it[i].deadline, cfg->language, when, sizeof(when));
		if (d != NULL && d->phone != NULL &&
		    gateway_staff_target(gw, d->notify_channel != NULL ?
		    d->notify_channel : gateway_eval_channel(cfg), d->phone, NULL,
		    NULL, &chan, &addr) == 0) {
			const char *vars[] = { "unit", d->name, "number", number,
			    "text", it[i].text, "deadline", when, NULL };

			rc = send_key(st, gw, chan, addr, cfg->language,
			    "item_chase", vars, "text", now);
		}
		free(addr);
		stmt = store_stmt(st, SQL_ITEM_CHASED);
		store_bind_int64(stmt, 1, it[i].id);
		store_bind_int64(stmt, 2, now);
		if (rc == 0 && gateway_eval_step(st, stmt) != 0)
			rc = -1;
		log_info("evaluation item chased item=%lld unit=%s",
		    (long long)it[i].id, it[i].unit);
	}
	for (i = 0; i < n; i++) {
		free(it[i].unit);
		free(it[i].text);
	}
	free(it);
	return rc;
}

struct eval_tick {
	struct gateway	*gw;
	int64_t		 now;
	int		 n;		/* out: things done */
};

static int
eval_tick_job(struct store *st, void *arg)
{
	struct eval_tick *t = arg;
	const struct config *cfg = t->gw->cfg;
	struct store_stmt	*stmt;
	struct due	*due = NULL;
	int64_t		*votes = NULL;
	size_t		 n = 0, cap = 0, nv = 0, i;
	int		 rc = -1, lead;

	t->n = 0;
	/* on several nodes, one opens, reminds and closes rounds per tick */
	if ((lead = store_try_lead(st, "evaluation")) <= 0)
		return lead;
	stmt = store_stmt(st, SQL_ROUNDS_DUE);
	store_bind_int64(stmt, 1, t->now);
	store_bind_int64(stmt, 2, cfg->evaluation.remind_before);
	while (store_step(stmt) == STORE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			due = xrealloc(due, cap * sizeof(*due));
		}
		due[n].id = store_column_int64(stmt, 0);
		due[n].action = store_column_int(stmt, 1);
		n++;
	}
	store_reset(stmt);
	for (i = 0; i < n; i++) {
		struct eval_round r;
		int r1;

		if (gateway_eval_round_load(st, NULL, due[i].id, &r, false) != 0)
			goto out;
		r1 = due[i].action == 1 ? round_open(st, t->gw, &r, t->now) :
		    due[i].action == 2 ? round_remind(st, t->gw, &r, t->now) :
		    round_close(st, &r);
		gateway_eval_round_clear(&r);
		if (r1 != 0)
			goto out;
		t->n++;
	}
	stmt = store_stmt(st, SQL_VOTES_DUE);
	store_bind_int64(stmt, 1, t->now);
	while (store_step(stmt) == STORE_ROW) {
		votes = xrealloc(votes, (nv + 1) * sizeof(*votes));
		votes[nv++] = store_column_int64(stmt, 0);
	}
	store_reset(stmt);
	for (i = 0; i < nv; i++) {
		if (vote_open(st, t->gw, votes[i], t->now) != 0)
			goto out;
		t->n++;
	}
	if (items_chase(st, t->gw, t->now) != 0)
		goto out;
	rc = 0;
out:
	free(due);
	free(votes);
	return rc;
}

/* Is anything of ours due?  Read on the scheduler's read-only connection,
 * so that an idle server writes nothing. */
static bool
eval_has_due(struct store *ro, const struct config *cfg, int64_t now)
{
	static const char *const sqls[] = { SQL_ROUNDS_DUE, SQL_VOTES_DUE,
	    SQL_ITEMS_DUE };
	size_t	 i;
	bool	 due = false;

	for (i = 0; i < nitems(sqls) && !due; i++) {
		struct store_stmt *stmt = store_stmt(ro, sqls[i]);

		store_bind_int64(stmt, 1, now);
		if (i == 0)
			store_bind_int64(stmt, 2,
			    cfg->evaluation.remind_before);
		due = store_step(stmt) == STORE_ROW;
		store_reset(stmt);
	}
	return due;
}

int
gateway_eval_schedule(struct gateway *gw, struct store *ro, int64_t now)
{
	struct eval_tick t = { .gw = gw, .now = now, .n = 0 };

	if (!eval_has_due(ro, gw->cfg, now))
		return 0;
	if (store_writer_submit(gw->writer, eval_tick_job, &t) != 0) {
		log_warnx("evaluation tick failed");
		return -1;
	}
	return t.n;
}
