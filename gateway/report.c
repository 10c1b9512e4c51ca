/*
 * report.c: `minyi report deputies|departments|hotspots --config FILE
 * [--from DATE] [--to DATE] [--format table|csv|json]`, read from the
 * store over a read-only connection (a running server may keep writing).
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
 * The period is the cases created from the start of the --from day to the
 * end of the --to day (both included), days and times read in the
 * config's timezone; by default the last 30 days.  Withdrawn (cancelled)
 * cases count nowhere.
 */
#include "gateway.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAG_UNDER	80.0	/* 民主评议: under this score is flagged */

enum report_format { FMT_TABLE, FMT_CSV, FMT_JSON };

struct report {
	const struct config	*cfg;
	struct store		*st;
	int64_t			 from;
	int64_t			 to;
	json_t			*rows;		/* array of objects, in column order */
	const char *const	*cols;		/* column keys, NULL-terminated */
};

static void
report_usage(void)
{
	fprintf(stderr, "usage: minyi report deputies|departments|hotspots --config FILE"
	    " [--from DATE] [--to DATE] [--format table|csv|json]\n");
	exit(2);
}

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
	static const char *const cols[] = { "deputy", "name", "level", "received",
	    "accepted_in_time", "median_accept_hours", "resolved", "satisfaction",
	    "overdue", NULL };
	int64_t		 limit = (int64_t)r->cfg->accept_hours * 3600;
	int64_t		*delays = NULL;
	size_t		 i, cap = 0;

	r->cols = cols;
	for (i = 0; i < r->cfg->ndeputies; i++) {
		const struct deputy *d = &r->cfg->deputies[i];
		sqlite3_stmt *stmt = store_report_deputy(r->st, d->id, r->from, r->to);
		int64_t received = 0, in_time = 0, resolved = 0, overdue = 0, rated = 0;
		double ratings = 0;
		size_t n = 0;
		json_t *o;

		while (sqlite3_step(stmt) == SQLITE_ROW) {
			received++;
			if (sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
				int64_t delay = sqlite3_column_int64(stmt, 0);
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					delays = xrealloc(delays, cap * sizeof(*delays));
				}
				delays[n++] = delay;
				in_time += delay <= limit;
			}
			resolved += sqlite3_column_int(stmt, 1);
			if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) {
				ratings += sqlite3_column_double(stmt, 2);
				rated++;
			}
			overdue += sqlite3_column_int(stmt, 3);
		}
		sqlite3_reset(stmt);
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
	static const char *const cols[] = { "rank", "department", "name", "dispatched",
	    "resolved", "on_time_rate", "satisfaction", "flagged", NULL };
	sqlite3_stmt	*stmt;
	struct dept_row	*ranked;
	json_t		**rows;
	size_t		 i, nranked = 0;

	r->cols = cols;
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
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);
		int64_t resolved = sqlite3_column_int64(stmt, 2);
		int64_t on_time = sqlite3_column_int64(stmt, 3);
		json_t *o = NULL, *s;

		/* a department no longer in the config has no row */
		for (i = 0; id != NULL && i < r->cfg->ndepartments; i++)
			if (strcmp(r->cfg->departments[i].id, id) == 0)
				o = rows[i];
		if (o == NULL)
			continue;
		json_object_set_new(o, "dispatched", json_integer(sqlite3_column_int64(stmt, 1)));
		json_object_set_new(o, "resolved", json_integer(resolved));
		json_object_set_new(o, "on_time_rate", resolved > 0 ?
		    json_real(round((double)on_time * 1000.0 / (double)resolved) / 10.0) :
		    json_null());
		s = sqlite3_column_type(stmt, 4) == SQLITE_NULL ? json_null() :
		    score(sqlite3_column_double(stmt, 4), 1);
		json_object_set_new(o, "flagged", json_boolean(json_is_real(s) &&
		    json_real_value(s) < FLAG_UNDER));
		json_object_set_new(o, "satisfaction", s);
	}
	sqlite3_reset(stmt);
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
	static const char *const cols[] = { "category", "grid", "requests", "before",
	    "change", NULL };
	sqlite3_stmt	*stmt;

	r->cols = cols;
	stmt = store_report_hotspots(r->st, r->from, r->to, r->from - (r->to - r->from));
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		json_t *o = json_object();
		int64_t now = sqlite3_column_int64(stmt, 2), before = sqlite3_column_int64(stmt, 3);

		json_object_set_new(o, "category", json_string((const char *)sqlite3_column_text(stmt, 0)));
		json_object_set_new(o, "grid", json_string((const char *)sqlite3_column_text(stmt, 1)));
		json_object_set_new(o, "requests", json_integer(now));
		json_object_set_new(o, "before", json_integer(before));
		json_object_set_new(o, "change", json_integer(now - before));
		json_array_append_new(r->rows, o);
	}
	sqlite3_reset(stmt);
}

/* A cell as text: strings as they are, numbers plainly, null as "-". */
static char *
cell(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%.1f", json_real_value(v));
	if (json_is_true(v))
		return xstrdup("yes");
	if (json_is_false(v))
		return xstrdup("no");
	return xstrdup("-");
}

/* Terminal columns of s: CJK characters take two. */
static size_t
width(const char *s)
{
	const char	*p = s;
	uint32_t	 cp;
	size_t		 w = 0;

	while (utf8_decode(&p, &cp) == 1)
		w += (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) ||
		    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
		    (cp >= 0xff00 && cp <= 0xff60))) ? 2 : 1;
	return w;
}

static void
print_rows(const struct report *r, enum report_format fmt)
{
	size_t	 ncols = 0, c, i, w[16] = { 0 };
	json_t	*row;

	while (r->cols[ncols] != NULL && ncols < nitems(w))
		ncols++;
	if (fmt == FMT_JSON) {
		char *s = json_dumps(r->rows, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		return;
	}
	if (fmt == FMT_TABLE) {
		for (c = 0; c < ncols; c++)
			w[c] = width(r->cols[c]);
		json_array_foreach(r->rows, i, row)
			for (c = 0; c < ncols; c++) {
				char *s = cell(json_object_get(row, r->cols[c]));
				if (width(s) > w[c])
					w[c] = width(s);
				free(s);
			}
	}
	for (c = 0; c < ncols; c++)
		printf("%s%s%*s", c ? (fmt == FMT_CSV ? "," : "  ") : "", r->cols[c],
		    fmt == FMT_TABLE && c + 1 < ncols ? (int)(w[c] - width(r->cols[c])) : 0, "");
	printf("\n");
	json_array_foreach(r->rows, i, row) {
		for (c = 0; c < ncols; c++) {
			char *s = cell(json_object_get(row, r->cols[c]));
			if (fmt == FMT_CSV && strpbrk(s, ",\"\n") != NULL) {
				printf("%s\"", c ? "," : "");
				for (const char *p = s; *p; p++)
					printf(*p == '"' ? "\"\"" : "%c", *p);
				printf("\"");
			} else
				printf("%s%s%*s", c ? (fmt == FMT_CSV ? "," : "  ") : "", s,
				    fmt == FMT_TABLE && c + 1 < ncols ? (int)(w[c] - width(s)) : 0, "");
			free(s);
		}
		printf("\n");
	}
}

int
gateway_report(int argc, char **argv)
{
	struct report		 r;
	struct config		*cfg = NULL;
	struct tz		*tz = NULL;
	const char		*kind, *path = NULL, *from = NULL, *to = NULL, *format = "table";
	enum report_format	 fmt;
	char			 err[256];
	int			 k, rc = 1;

	if (argc < 2)
		report_usage();
	kind = argv[1];
	/* 履职考核 by month (每月公示) or year (stars, 约谈): evaluation.c */
	for (k = 2; strcmp(kind, "deputies") == 0 && k < argc; k++)
		if (strcmp(argv[k], "--month") == 0 || strcmp(argv[k], "--year") == 0)
			return gateway_assess_report(argc - 2, argv + 2);
	for (k = 2; k < argc; k++) {
		if (strcmp(argv[k], "--config") == 0 && k + 1 < argc)
			path = argv[++k];
		else if (strcmp(argv[k], "--from") == 0 && k + 1 < argc)
			from = argv[++k];
		else if (strcmp(argv[k], "--to") == 0 && k + 1 < argc)
			to = argv[++k];
		else if (strcmp(argv[k], "--format") == 0 && k + 1 < argc)
			format = argv[++k];
		else
			report_usage();
	}
	if (path == NULL)
		report_usage();
	if (strcmp(kind, "deputies") != 0 && strcmp(kind, "departments") != 0 &&
	    strcmp(kind, "hotspots") != 0) {
		fprintf(stderr, "report: unknown report \"%s\" (deputies, departments or hotspots)\n", kind);
		return 2;
	}
	if (strcmp(format, "table") == 0)
		fmt = FMT_TABLE;
	else if (strcmp(format, "csv") == 0)
		fmt = FMT_CSV;
	else if (strcmp(format, "json") == 0)
		fmt = FMT_JSON;
	else {
		fprintf(stderr, "report: --format: expected table, csv or json\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	log_init(-1);
	if ((cfg = gateway_load_config(path, false)) == NULL)
		return 1;
	if ((tz = tz_open(cfg->timezone)) == NULL) {
		fprintf(stderr, "report: timezone \"%s\" unknown\n", cfg->timezone);
		goto out;
	}
	/* dates are the county's: its midnight; --to includes its whole day */
	r.to = time_now() + 1;
	if (to != NULL && time_parse_tz(tz, to, true, &r.to) != 0) {
		fprintf(stderr, "report: --to: expected a date like 2026-11-30\n");
		rc = 2;
		goto out;
	}
	r.from = r.to - 30 * 86400;
	if (from != NULL && time_parse_tz(tz, from, false, &r.from) != 0) {
		fprintf(stderr, "report: --from: expected a date like 2026-11-01\n");
		rc = 2;
		goto out;
	}
	if (r.from >= r.to) {
		fprintf(stderr, "report: --from must not be after --to\n");
		rc = 2;
		goto out;
	}
	r.cfg = cfg;
	if ((r.st = store_open(cfg->store.path, STORE_READONLY, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "report: store %s: %s\n", cfg->store.path, err);
		goto out;
	}
	r.rows = json_array();
	if (strcmp(kind, "deputies") == 0)
		report_deputies(&r);
	else if (strcmp(kind, "departments") == 0)
		report_departments(&r);
	else
		report_hotspots(&r);
	print_rows(&r, fmt);
	json_decref(r.rows);
	store_close(r.st);
	rc = 0;
out:
	tz_close(tz);
	config_free(cfg);
	return rc;
}
