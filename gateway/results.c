/*
 * results.c: the results of 民生实事票决 and 履职考核 as `minyi vote
 * result` and `minyi report deputies` print them and the workbench's
 * printable pages (console/votes.c) show them: computed here once, read
 * only (a reader's store will do).
 */
#include "evaluation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialogs/dialogs.h"

char *
gateway_eval_rows_text(json_t *rows, const char *const *cols, const char *format)
{
	struct buf	 b;
	size_t		 i, j;
	json_t		*r, *v;
	bool		 csv = format != NULL && strcmp(format, "csv") == 0;

	if (format != NULL && strcmp(format, "json") == 0) {
		char *s = json_dumps(rows, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		char *t = xasprintf("%s\n", s);

		free(s);
		return t;
	}
	buf_init(&b, 0);
	for (j = 0; cols[j] != NULL; j++)
		buf_printf(&b, "%s%s", j ? (csv ? "," : "\t") : "", cols[j]);
	buf_addstr(&b, "\n");
	json_array_foreach(rows, i, r) {
		for (j = 0; cols[j] != NULL; j++) {
			char	   *s;

			v = json_object_get(r, cols[j]);
			if (j)
				buf_addstr(&b, csv ? "," : "\t");
			if (v == NULL || json_is_null(v))
				s = xstrdup("");
			else if (json_is_string(v))
				s = xstrdup(json_string_value(v));
			else if (json_is_true(v))
				s = xstrdup("yes");
			else if (json_is_false(v))
				s = xstrdup("");
			else
				s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
			if (csv && strpbrk(s, ",\"\n") != NULL) {
				const char *c;

				buf_addstr(&b, "\"");
				for (c = s; *c; c++) {
					if (*c == '"')
						buf_addstr(&b, "\"");
					buf_add(&b, c, 1);
				}
				buf_addstr(&b, "\"");
			} else
				buf_addstr(&b, s);
			free(s);
		}
		buf_addstr(&b, "\n");
	}
	return buf_steal(&b);
}

const char *const gateway_vote_cols[] = { "project", "title", "yes", "no",
    "abstain", "turnout", "voters", "quorum_met", "adopted", "supervisors",
    NULL };

json_t *
gateway_vote_results(struct store *st, const struct config *cfg, int64_t id)
{
	struct store_stmt	*stmt;
	json_t		*o, *rows;
	int64_t		 voters, turnout = 0, opens, closes;
	bool		 quorum;
	char		 when[2][32];

	stmt = store_stmt(st, SQL_VOTE_GET);
	store_bind_int64(stmt, 1, id);
	if (store_step(stmt) != STORE_ROW) {
		store_reset(stmt);
		return NULL;
	}
	o = json_object();
	json_object_set_new(o, "vote", json_integer(id));
	json_object_set_new(o, "title", json_string((const char *)
	    store_column_text(stmt, 1)));
	opens = store_column_int64(stmt, 2);
	closes = store_column_int64(stmt, 3);
	voters = store_column_int64(stmt, 4);
	store_reset(stmt);
	time_fmt_iso(opens, when[0], sizeof(when[0]));
	time_fmt_iso(closes, when[1], sizeof(when[1]));
	stmt = store_stmt(st, SQL_VOTE_TURNOUT);
	store_bind_int64(stmt, 1, id);
	if (store_step(stmt) == STORE_ROW)
		turnout = store_column_int64(stmt, 0);
	store_reset(stmt);
	quorum = voters > 0 && (double)turnout >= cfg->vote.quorum * (double)voters - 1e-9;
	json_object_set_new(o, "opens", json_string(when[0]));
	json_object_set_new(o, "closes", json_string(when[1]));
	json_object_set_new(o, "closed", json_boolean(time_now() >= closes));
	json_object_set_new(o, "turnout", json_integer(turnout));
	json_object_set_new(o, "voters", json_integer(voters));
	json_object_set_new(o, "quorum", json_real(cfg->vote.quorum));
	json_object_set_new(o, "quorum_met", json_boolean(quorum));
	rows = json_array();
	stmt = store_stmt(st, SQL_VOTE_PROJECTS);
	store_bind_int64(stmt, 1, id);
	while (store_step(stmt) == STORE_ROW) {
		json_t *row = json_object();
		int64_t yes = store_column_int64(stmt, 3);
		char letter[2] = { (char)('A' + store_column_int(stmt, 0)), 0 };

		json_object_set_new(row, "project", json_string(letter));
		json_object_set_new(row, "title", json_string((const char *)store_column_text(stmt, 1)));
		json_object_set_new(row, "yes", json_integer(yes));
		json_object_set_new(row, "no", json_integer(store_column_int64(stmt, 4)));
		json_object_set_new(row, "abstain", json_integer(store_column_int64(stmt, 5)));
		json_object_set_new(row, "turnout", json_integer(turnout));
		json_object_set_new(row, "voters", json_integer(voters));
		json_object_set_new(row, "quorum_met", json_boolean(quorum));
		/* adopted: quorum, and more than half of the votes cast say yes */
		json_object_set_new(row, "adopted", json_boolean(quorum &&
		    2 * yes > turnout));
		json_object_set_new(row, "supervisors", json_loads((const char *)
		    store_column_text(stmt, 2), 0, NULL));
		if (store_column_type(stmt, 6) != STORE_NULL)
			json_object_set_new(row, "case", json_integer(
			    store_column_int64(stmt, 6)));
		json_array_append_new(rows, row);
	}
	store_reset(stmt);
	json_object_set_new(o, "projects", rows);
	return o;
}

bool
gateway_deputy_of_township(const struct config *cfg, const char *id, const char *tw)
{
	const struct township	*t = config_township(cfg, tw);
	size_t			 i, j;

	if (t != NULL && t->chair != NULL && strcmp(t->chair, id) == 0)
		return true;
	for (i = 0; i < cfg->ngrids; i++)
		if (strcmp(cfg->grids[i].township, tw) == 0)
			for (j = 0; j < cfg->grids[i].ndeputies; j++)
				if (strcmp(cfg->grids[i].deputies[j], id) == 0)
					return true;
	return false;
}

static int
cmp_score_desc(const void *a, const void *b)
{
	json_t *const	*x = a, *const *y = b;
	double		 sx = json_real_value(json_object_get(*x, "score"));
	double		 sy = json_real_value(json_object_get(*y, "score"));

	if (sx != sy)
		return sx > sy ? -1 : 1;
	return strcmp(json_string_value(json_object_get(*x, "deputy")),
	    json_string_value(json_object_get(*y, "deputy")));
}

const char *const gateway_assess_month_cols[] = { "rank", "deputy", "name",
    "score", "accepted_in_time", "resolved", "satisfaction", "station_days",
    "people_received", "visits", "reports", "suggestions", "inspections",
    NULL };
const char *const gateway_assess_year_cols[] = { "rank", "deputy", "name",
    "score", "stars", "interview", "accepted_in_time", "resolved",
    "satisfaction", "station_days", "people_received", "visits", "reports",
    "suggestions", "inspections", "five_reports_months", "five_station",
    "five_visits", "five_inspection", "five_suggestion", NULL };

json_t *
gateway_assess_rows(struct store *st, const struct config *cfg, int y, int mo,
    const char *township)
{
	json_t		*rows = json_array(), **sorted = NULL, *out = NULL;
	char		 start[32], end[32];
	int64_t		 from, to;
	int		 off;
	size_t		 i, n;
	bool		 year = mo == 0;

	if (year) {
		snprintf(start, sizeof(start), "%04d-01-01 00:00", y);
		snprintf(end, sizeof(end), "%04d-01-01 00:00", y + 1);
	} else {
		snprintf(start, sizeof(start), "%04d-%02d-01 00:00", y, mo);
		snprintf(end, sizeof(end), "%04d-%02d-01 00:00", mo == 12 ? y + 1 : y,
		    mo == 12 ? 1 : mo + 1);
	}
	if (gateway_eval_when_parse(cfg, start, &from) != 0 ||
	    gateway_eval_when_parse(cfg, end, &to) != 0)
		goto out;
	off = gateway_utc_offset(cfg, from) * 60;
	for (i = 0; i < cfg->ndeputies; i++) {
		const struct deputy *d = &cfg->deputies[i];
		double		 v[ASSESS_COUNT] = { 0 }, score;
		struct store_stmt	*stmt;
		json_t		*row = json_object();
		int64_t		 people = 0, months = 0;

		if (township != NULL && !gateway_deputy_of_township(cfg, d->id,
		    township)) {
			json_decref(row);
			continue;
		}
		stmt = store_stmt(st, SQL_DEPUTY_CASES);
		gateway_eval_bind(stmt, 1, d->id);
		store_bind_int64(stmt, 2, from);
		store_bind_int64(stmt, 3, to);
		store_bind_int64(stmt, 4, (int64_t)cfg->accept_hours * 3600);
		if (store_step(stmt) == STORE_ROW) {
			v[ASSESS_ACCEPTED_IN_TIME] = store_column_double(stmt, 0);
			v[ASSESS_RESOLVED] = store_column_double(stmt, 1);
			if (store_column_type(stmt, 2) != STORE_NULL)
				v[ASSESS_SATISFACTION] = eval_round1(
				    (store_column_double(stmt, 2) - 1.0) / 4.0 * 100.0);
		}
		store_reset(stmt);
		stmt = store_stmt(st, SQL_DUTY_SUMS);
		gateway_eval_bind(stmt, 1, d->id);
		store_bind_int64(stmt, 2, from);
		store_bind_int64(stmt, 3, to);
		while (store_step(stmt) == STORE_ROW) {
			const char *k = (const char *)store_column_text(stmt, 0);
			double sum = store_column_double(stmt, 1);
			double cnt = store_column_double(stmt, 2);

			if (strcmp(k, "station") == 0) {
				v[ASSESS_STATION_DAYS] = cnt;
				people = (int64_t)sum;
			} else if (strcmp(k, "visit") == 0)
				v[ASSESS_VISITS] = sum;
			else if (strcmp(k, "report") == 0)
				v[ASSESS_REPORTS] = cnt;
			else if (strcmp(k, "suggestion") == 0)
				v[ASSESS_SUGGESTIONS] = cnt;
			else if (strcmp(k, "inspection") == 0)
				v[ASSESS_INSPECTIONS] = cnt;
		}
		store_reset(stmt);
		stmt = store_stmt(st, SQL_DUTY_REPORT_MONTHS);
		gateway_eval_bind(stmt, 1, d->id);
		store_bind_int64(stmt, 2, from);
		store_bind_int64(stmt, 3, to);
		store_bind_int64(stmt, 4, off);
		if (store_step(stmt) == STORE_ROW)
			months = store_column_int64(stmt, 0);
		store_reset(stmt);
		score = assess_score(cfg, v);
		json_object_set_new(row, "deputy", json_string(d->id));
		json_object_set_new(row, "name", json_string(d->name));
		json_object_set_new(row, "score", json_real(score));
		json_object_set_new(row, "stars", json_integer(assess_stars(cfg, score)));
		json_object_set_new(row, "interview", json_boolean(score <
		    cfg->assessment.interview_below));
		json_object_set_new(row, "accepted_in_time", json_integer((json_int_t)v[0]));
		json_object_set_new(row, "resolved", json_integer((json_int_t)v[1]));
		json_object_set_new(row, "satisfaction", json_real(v[2]));
		json_object_set_new(row, "station_days", json_integer((json_int_t)v[3]));
		json_object_set_new(row, "people_received", json_integer(people));
		json_object_set_new(row, "visits", json_integer((json_int_t)v[4]));
		json_object_set_new(row, "reports", json_integer((json_int_t)v[5]));
		json_object_set_new(row, "suggestions", json_integer((json_int_t)v[6]));
		json_object_set_new(row, "inspections", json_integer((json_int_t)v[7]));
		/* 五个一: a report a month, a station day, the visits, a 建议 */
		json_object_set_new(row, "five_reports_months", json_sprintf("%lld/12",
		    (long long)months));
		json_object_set_new(row, "five_station", json_boolean(v[3] >= 1));
		json_object_set_new(row, "five_visits", json_boolean(v[4] >=
		    cfg->assessment.visits_min));
		json_object_set_new(row, "five_inspection", json_boolean(v[7] >= 1));
		json_object_set_new(row, "five_suggestion", json_boolean(v[6] >= 1));
		json_array_append_new(rows, row);
	}
	n = json_array_size(rows);
	sorted = xcalloc(n + 1, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(rows, i);
	qsort(sorted, n, sizeof(*sorted), cmp_score_desc);
	out = json_array();
	for (i = 0; i < n; i++) {
		json_object_set_new(sorted[i], "rank", json_integer((json_int_t)i + 1));
		if (!year) {
			json_object_del(sorted[i], "stars");
			json_object_del(sorted[i], "interview");
			json_object_del(sorted[i], "five_reports_months");
			json_object_del(sorted[i], "five_station");
			json_object_del(sorted[i], "five_visits");
			json_object_del(sorted[i], "five_suggestion");
			json_object_del(sorted[i], "five_inspection");
		}
		json_array_append(out, sorted[i]);
	}
out:
	free(sorted);
	json_decref(rows);
	return out;
}
