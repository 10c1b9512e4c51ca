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
 * The figures come from figures.c (gateway_report_rows), which the
 * workbench's 报表 reads too.  The period is the cases created from the start of the --from day to the
 * end of the --to day (both included), days and times read in the
 * config's timezone; by default the last 30 days.  Withdrawn (cancelled)
 * cases count nowhere.
 */
#include "gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum report_format { FMT_TABLE, FMT_CSV, FMT_JSON };

/* What the CLI prints: the rows and their columns, in order. */
struct report {
	json_t			*rows;
	const char *const	*cols;		/* column keys, NULL-terminated */
};

static const char *const deputy_cols[] = { "deputy", "name", "level", "received",
    "accepted_in_time", "median_accept_hours", "resolved", "satisfaction",
    "overdue", NULL };
static const char *const department_cols[] = { "rank", "department", "name",
    "dispatched", "resolved", "on_time_rate", "satisfaction", "flagged", NULL };
static const char *const hotspot_cols[] = { "category", "grid", "requests", "before",
    "change", NULL };


static void
report_usage(void)
{
	fprintf(stderr, "usage: minyi report deputies|departments|hotspots --config FILE"
	    " [--from DATE] [--to DATE] [--format table|csv|json]\n");
	exit(2);
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
	struct store		*st;
	int64_t			 from_t, to_t;
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
	to_t = time_now() + 1;
	if (to != NULL && time_parse_tz(tz, to, true, &to_t) != 0) {
		fprintf(stderr, "report: --to: expected a date like 2026-11-30\n");
		rc = 2;
		goto out;
	}
	from_t = to_t - 30 * 86400;
	if (from != NULL && time_parse_tz(tz, from, false, &from_t) != 0) {
		fprintf(stderr, "report: --from: expected a date like 2026-11-01\n");
		rc = 2;
		goto out;
	}
	if (from_t >= to_t) {
		fprintf(stderr, "report: --from must not be after --to\n");
		rc = 2;
		goto out;
	}
	if ((st = store_open_cfg(cfg, STORE_READONLY, true, err, sizeof(err))) == NULL) {
		fprintf(stderr, "report: store %s: %s\n", store_cfg_name(cfg), err);
		goto out;
	}
	r.rows = gateway_report_rows(cfg, st, kind, from_t, to_t);
	r.cols = strcmp(kind, "deputies") == 0 ? deputy_cols :
	    strcmp(kind, "departments") == 0 ? department_cols : hotspot_cols;
	print_rows(&r, fmt);
	json_decref(r.rows);
	store_close(st);
	rc = 0;
out:
	tz_close(tz);
	config_free(cfg);
	return rc;
}
