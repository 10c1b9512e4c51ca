/*
 * report.c: `minyi report deputies|departments|hotspots --config FILE
 * [--from DATE] [--to DATE] [--format table|csv|json]`, read from the
 * store over a read-only connection (a running server may keep writing).
 *
 *   deputies     履职考核: per deputy, cases received in the period, accepted
 *                within deadlines.accept_hours, median time to accept,
 *                resolved, satisfaction (mean rating, out of 100), overdue.
 *   departments  民主评议: per department, cases dispatched, resolved, on
 *                time, satisfaction out of 100, rank; under 80 flagged.
 *   hotspots     高频诉求: requests by category and grid in the period, and
 *                the change against the period of the same length before.
 *
 * The period is [from, to) by created_at, default the last 30 days; dates
 * are read in UTC.
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

/* Median of the accept delays (seconds) of one deputy's cases. */
static json_t *
median_hours(struct store *st, const char *deputy, int64_t from, int64_t to)
{
	sqlite3_stmt	*stmt;
	int64_t		*v = NULL;
	size_t		 n = 0, cap = 0;
	double		 med;

	stmt = store_stmt(st, "SELECT accepted_at - coalesce(assigned_at, created_at)"
	    " FROM cases WHERE deputy = ?1 AND created_at >= ?2 AND created_at < ?3"
	    " AND accepted_at IS NOT NULL ORDER BY 1");
	sqlite3_bind_text(stmt, 1, deputy, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, from);
	sqlite3_bind_int64(stmt, 3, to);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (n == 0) {
		free(v);
		return json_null();
	}
	med = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
	free(v);
	return json_real(round(med / 36.0) / 100.0);	/* hours, two decimals */
}

static json_t *
score(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	/* mean rating 1..5 as 0..100 */
	return json_real(round((sqlite3_column_double(stmt, col) - 1.0) / 4.0 * 1000.0) / 10.0);
}

static void
report_deputies(struct report *r)
{
	static const char *const cols[] = { "deputy", "name", "level", "received",
	    "accepted_in_time", "median_accept_hours", "resolved", "satisfaction",
	    "overdue", NULL };
	sqlite3_stmt	*stmt;
	size_t		 i;

	r->cols = cols;
	for (i = 0; i < r->cfg->ndeputies; i++) {
		const struct deputy *d = &r->cfg->deputies[i];
		json_t *o;

		stmt = store_stmt(r->st, "SELECT count(*),"
		    " sum(accepted_at IS NOT NULL AND accepted_at - coalesce(assigned_at,"
		    "  created_at) <= ?4),"
		    " sum(resolved_at IS NOT NULL), avg(rating), sum((flags & 4) != 0)"
		    " FROM cases WHERE deputy = ?1 AND created_at >= ?2 AND created_at < ?3");
		sqlite3_bind_text(stmt, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, r->from);
		sqlite3_bind_int64(stmt, 3, r->to);
		sqlite3_bind_int64(stmt, 4, (int64_t)r->cfg->accept_hours * 3600);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			sqlite3_reset(stmt);
			continue;
		}
		o = json_object();
		json_object_set_new(o, "deputy", json_string(d->id));
		json_object_set_new(o, "name", json_string(d->name));
		json_object_set_new(o, "level", json_string(d->level));
		json_object_set_new(o, "received", json_integer(sqlite3_column_int64(stmt, 0)));
		json_object_set_new(o, "accepted_in_time", json_integer(sqlite3_column_int64(stmt, 1)));
		json_object_set_new(o, "resolved", json_integer(sqlite3_column_int64(stmt, 2)));
		json_object_set_new(o, "satisfaction", score(stmt, 3));
		json_object_set_new(o, "overdue", json_integer(sqlite3_column_int64(stmt, 4)));
		sqlite3_reset(stmt);
		json_object_set_new(o, "median_accept_hours", median_hours(r->st, d->id,
		    r->from, r->to));
		json_array_append_new(r->rows, o);
	}
}

static int
cmp_score(const void *a, const void *b)
{
	json_t	*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_t	*sx = json_object_get(x, "satisfaction"), *sy = json_object_get(y, "satisfaction");
	double	 dx = json_is_real(sx) ? json_real_value(sx) : -1.0;
	double	 dy = json_is_real(sy) ? json_real_value(sy) : -1.0;

	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

static void
report_departments(struct report *r)
{
	static const char *const cols[] = { "rank", "department", "name", "dispatched",
	    "resolved", "on_time_rate", "satisfaction", "flagged", NULL };
	sqlite3_stmt	*stmt;
	json_t		**rows;
	size_t		 i, n = 0;

	r->cols = cols;
	rows = xcalloc(r->cfg->ndepartments + 1, sizeof(*rows));
	for (i = 0; i < r->cfg->ndepartments; i++) {
		const struct department *d = &r->cfg->departments[i];
		json_t *o;
		int64_t dispatched, resolved, on_time;

		stmt = store_stmt(r->st, "SELECT sum(dispatched_at IS NOT NULL),"
		    " sum(resolved_at IS NOT NULL),"
		    " sum(resolved_at IS NOT NULL AND due_at IS NOT NULL AND resolved_at <= due_at),"
		    " avg(rating) FROM cases WHERE department = ?1 AND created_at >= ?2"
		    " AND created_at < ?3");
		sqlite3_bind_text(stmt, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, r->from);
		sqlite3_bind_int64(stmt, 3, r->to);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			sqlite3_reset(stmt);
			continue;
		}
		dispatched = sqlite3_column_int64(stmt, 0);
		resolved = sqlite3_column_int64(stmt, 1);
		on_time = sqlite3_column_int64(stmt, 2);
		o = json_object();
		json_object_set_new(o, "department", json_string(d->id));
		json_object_set_new(o, "name", json_string(d->name));
		json_object_set_new(o, "dispatched", json_integer(dispatched));
		json_object_set_new(o, "resolved", json_integer(resolved));
		json_object_set_new(o, "on_time_rate", resolved > 0 ?
		    json_real(round((double)on_time * 1000.0 / (double)resolved) / 10.0) :
		    json_null());
		json_object_set_new(o, "satisfaction", score(stmt, 3));
		sqlite3_reset(stmt);
		rows[n++] = o;
	}
	qsort(rows, n, sizeof(*rows), cmp_score);
	for (i = 0; i < n; i++) {
		json_t *s = json_object_get(rows[i], "satisfaction");
		json_object_set_new(rows[i], "rank", json_integer((json_int_t)i + 1));
		json_object_set_new(rows[i], "flagged", json_boolean(json_is_real(s) &&
		    json_real_value(s) < FLAG_UNDER));
		json_array_append_new(r->rows, rows[i]);
	}
	free(rows);
}

static void
report_hotspots(struct report *r)
{
	static const char *const cols[] = { "category", "grid", "requests", "before",
	    "change", NULL };
	sqlite3_stmt	*stmt;
	int64_t		 span = r->to - r->from;

	r->cols = cols;
	stmt = store_stmt(r->st, "SELECT coalesce(category, '-'), coalesce(grid, '-'),"
	    " sum(created_at >= ?1), sum(created_at < ?1) FROM cases"
	    " WHERE created_at >= ?3 AND created_at < ?2"
	    " GROUP BY 1, 2 HAVING sum(created_at >= ?1) > 0 ORDER BY 3 DESC, 1, 2");
	sqlite3_bind_int64(stmt, 1, r->from);
	sqlite3_bind_int64(stmt, 2, r->to);
	sqlite3_bind_int64(stmt, 3, r->from - span);
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
	const char		*kind, *path = NULL, *from = NULL, *to = NULL, *format = "table";
	enum report_format	 fmt;
	char			 err[256];
	int			 k, rc = 1;

	if (argc < 2)
		report_usage();
	kind = argv[1];
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
	r.to = time_now() + 1;
	if (to != NULL && time_parse_iso(to, &r.to) != 0) {
		fprintf(stderr, "report: --to: expected a date like 2026-11-30\n");
		return 2;
	}
	r.from = r.to - 30 * 86400;
	if (from != NULL && time_parse_iso(from, &r.from) != 0) {
		fprintf(stderr, "report: --from: expected a date like 2026-11-01\n");
		return 2;
	}
	if (r.from >= r.to) {
		fprintf(stderr, "report: --from must be before --to\n");
		return 2;
	}
	log_init(-1);
	if ((cfg = gateway_load_config(path, false)) == NULL)
		return 1;
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
	config_free(cfg);
	return rc;
}
