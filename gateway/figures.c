/*
 * figures.c: the figures of the reports, computed once for both who show
 * them: `minyi report` (report.c) and the workbench's 报表 (console/).
 *
 *   deputies     履职考核: per deputy, cases received in the period, accepted
 *                within deadlines.accept_hours, median time to accept,
 *                resolved, satisfaction (mean rating, out of 100), overdue.
 *   departments  民主评议: per department, cases dispatched to it (by the
 *                dispatch events), resolved, on time, satisfaction out of
 *                100, rank (only those dispatched cases); under 80 flagged.
 *   hotspots     高频诉求: requests by category and grid in the period, and
 *                the change against the period of the same length before.
 *
 * Withdrawn (cancelled) cases count nowhere.
 */
#include "gateway.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLAG_UNDER	80.0	/* 民主评议: under this score is flagged */

struct report {
	const struct config	*cfg;
	struct store		*st;
	int64_t			 from;
	int64_t			 to;
	json_t			*rows;		/* array of objects, in column order */
};

static int
cmp_int64(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of n sorted delays (seconds) in hours, two decimals; null when none. */
static json_t *
median_hours(int64_t *v, size_t n)
{
	double	 med;

	if (n == 0)
		return json_null();
	qsort(v, n, sizeof(*v), cmp_int64);
	med = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
	return json_real(round(med / 36.0) / 100.0);
}

/* A mean rating 1..5 as 0..100, one decimal; null when nothing was rated. */
static json_t *
score(double sum, int64_t n)
{
	if (n == 0)
		return json_null();
	return json_real(round((sum / (double)n - 1.0) / 4.0 * 1000.0) / 10.0);
}

static void
report_deputies(struct report *r)
{
	int64_t		 limit = (int64_t)r->cfg->accept_hours * 3600;
	int64_t		*delays = NULL;
	size_t		 i, cap = 0;

	for (i = 0; i < r->cfg->ndeputies; i++) {
		const struct deputy *d = &r->cfg->deputies[i];
		struct store_stmt *stmt = store_report_deputy(r->st, d->id, r->from, r->to);
		int64_t received = 0, in_time = 0, resolved = 0, overdue = 0, rated = 0;
		double ratings = 0;
		size_t n = 0;
		json_t *o;

		while (store_step(stmt) == STORE_ROW) {
			received++;
			if (store_column_type(stmt, 0) != STORE_NULL) {
				int64_t delay = store_column_int64(stmt, 0);
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					delays = xrealloc(delays, cap * sizeof(*delays));
				}
				delays[n++] = delay;
				in_time += delay <= limit;
			}
			resolved += store_column_int(stmt, 1);
			if (store_column_type(stmt, 2) != STORE_NULL) {
				ratings += store_column_double(stmt, 2);
				rated++;
			}
			overdue += store_column_int(stmt, 3);
		}
		store_reset(stmt);
		o = json_object();
		json_object_set_new(o, "deputy", json_string(d->id));
		json_object_set_new(o, "name", json_string(d->name));
		json_object_set_new(o, "level", json_string(d->level));
		json_object_set_new(o, "received", json_integer(received));
		json_object_set_new(o, "accepted_in_time", json_integer(in_time));
		json_object_set_new(o, "median_accept_hours", median_hours(delays, n));
		json_object_set_new(o, "resolved", json_integer(resolved));
		json_object_set_new(o, "satisfaction", score(ratings, rated));
		json_object_set_new(o, "overdue", json_integer(overdue));
		json_array_append_new(r->rows, o);
	}
	free(delays);
}

/* A department's row and where it stands in the config (ties keep it). */
struct dept_row {
	json_t	*o;		/* borrowed from the rows being built */
	size_t	 index;
	double	 score;		/* -1 when nothing was rated */
};

/* Ranked first, the better score first; then config order. */
static int
cmp_dept(const void *a, const void *b)
{
	const struct dept_row	*x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void
report_departments(struct report *r)
{
	struct store_stmt	*stmt;
	struct dept_row	*ranked;
	json_t		**rows;
	size_t		 i, nranked = 0;

	rows = xcalloc(r->cfg->ndepartments + 1, sizeof(*rows));
	ranked = xcalloc(r->cfg->ndepartments + 1, sizeof(*ranked));
	for (i = 0; i < r->cfg->ndepartments; i++) {
		const struct department *d = &r->cfg->departments[i];

		rows[i] = json_object();
		json_object_set_new(rows[i], "rank", json_null());
		json_object_set_new(rows[i], "department", json_string(d->id));
		json_object_set_new(rows[i], "name", json_string(d->name));
		json_object_set_new(rows[i], "dispatched", json_integer(0));
		json_object_set_new(rows[i], "resolved", json_integer(0));
		json_object_set_new(rows[i], "on_time_rate", json_null());
		json_object_set_new(rows[i], "satisfaction", json_null());
		json_object_set_new(rows[i], "flagged", json_false());
	}
	stmt = store_report_departments(r->st, r->from, r->to);
	while (store_step(stmt) == STORE_ROW) {
		const char *id = (const char *)store_column_text(stmt, 0);
		int64_t resolved = store_column_int64(stmt, 2);
		int64_t on_time = store_column_int64(stmt, 3);
		json_t *o = NULL, *s;

		/* a department no longer in the config has no row */
		for (i = 0; id != NULL && i < r->cfg->ndepartments; i++)
			if (strcmp(r->cfg->departments[i].id, id) == 0)
				o = rows[i];
		if (o == NULL)
			continue;
		json_object_set_new(o, "dispatched", json_integer(store_column_int64(stmt, 1)));
		json_object_set_new(o, "resolved", json_integer(resolved));
		json_object_set_new(o, "on_time_rate", resolved > 0 ?
		    json_real(round((double)on_time * 1000.0 / (double)resolved) / 10.0) :
		    json_null());
		s = store_column_type(stmt, 4) == STORE_NULL ? json_null() :
		    score(store_column_double(stmt, 4), 1);
		json_object_set_new(o, "flagged", json_boolean(json_is_real(s) &&
		    json_real_value(s) < FLAG_UNDER));
		json_object_set_new(o, "satisfaction", s);
	}
	store_reset(stmt);
	/* only a department that was dispatched cases is ranked */
	for (i = 0; i < r->cfg->ndepartments; i++) {
		json_t *s = json_object_get(rows[i], "satisfaction");

		if (json_integer_value(json_object_get(rows[i], "dispatched")) == 0)
			continue;
		ranked[nranked].o = rows[i];
		ranked[nranked].index = i;
		ranked[nranked].score = json_is_real(s) ? json_real_value(s) : -1.0;
		nranked++;
	}
	qsort(ranked, nranked, sizeof(*ranked), cmp_dept);
	for (i = 0; i < nranked; i++) {
		json_object_set_new(ranked[i].o, "rank", json_integer((json_int_t)i + 1));
		json_array_append(r->rows, ranked[i].o);
	}
	for (i = 0; i < r->cfg->ndepartments; i++) {
		if (json_is_null(json_object_get(rows[i], "rank")))
			json_array_append(r->rows, rows[i]);
		json_decref(rows[i]);
	}
	free(ranked);
	free(rows);
}

static void
report_hotspots(struct report *r)
{
	struct store_stmt	*stmt;

	stmt = store_report_hotspots(r->st, r->from, r->to, r->from - (r->to - r->from));
	while (store_step(stmt) == STORE_ROW) {
		json_t *o = json_object();
		int64_t now = store_column_int64(stmt, 2), before = store_column_int64(stmt, 3);

		json_object_set_new(o, "category", json_string((const char *)store_column_text(stmt, 0)));
		json_object_set_new(o, "grid", json_string((const char *)store_column_text(stmt, 1)));
		json_object_set_new(o, "requests", json_integer(now));
		json_object_set_new(o, "before", json_integer(before));
		json_object_set_new(o, "change", json_integer(now - before));
		json_array_append_new(r->rows, o);
	}
	store_reset(stmt);
}

/* Fill r->rows (and r->cols) with report kind, which is known. */
static void
report_fill(struct report *r, const char *kind)
{
	if (strcmp(kind, "deputies") == 0)
		report_deputies(r);
	else if (strcmp(kind, "departments") == 0)
		report_departments(r);
	else
		report_hotspots(r);
}

json_t *
gateway_report_rows(const struct config *cfg, struct store *st, const char *kind,
    int64_t from, int64_t to)
{
	struct report	 r;

	if (strcmp(kind, "deputies") != 0 && strcmp(kind, "departments") != 0 &&
	    strcmp(kind, "hotspots") != 0)
		return NULL;
	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.st = st;
	r.from = from;
	r.to = to;
	r.rows = json_array();
	report_fill(&r, kind);
	return r.rows;
}
