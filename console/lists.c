/*
 * lists.c: 三张清单 (问题清单, 交办清单, 办结清单) for a period and a
 * township, as the JSON the page reads, and as CSV and XLSX (libxlsxwriter)
 * downloads to print or post:
 *
 *   GET /console/api/lists?from=DATE&to=DATE&township=ID[&format=csv|xlsx]
 *
 * Dates are the county's (config timezone), both days included; by default
 * the current month up to today.  The account's scope applies.  The JSON
 * holds the first LIST_PAGE_ROWS cases of each list and every total; the
 * downloads hold every case.
 */
#include "console.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

/* rows of each list the page shows; the downloads hold them all */
#define LIST_PAGE_ROWS	500

#define XLSX_CTYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const char *const list_keys[] = { "problems", "assignments", "completions" };
static const char *const list_titles[] = { "问题清单", "交办清单", "办结清单" };

/* The columns of the downloads, per list: header and row key. */
struct col {
	const char	*title;
	const char	*key;
};
static const struct col list_cols[3][10] = {
	{ { "编号", "number" }, { "受理时间", "at" }, { "网格", "grid" }, { "地点", "place" },
	  { "类别", "category" }, { "诉求内容", "description" }, { "状态", "status" },
	  { "代表", "deputy" }, { NULL, NULL } },
	{ { "编号", "number" }, { "交办时间", "at" }, { "网格", "grid" },
	  { "诉求内容", "description" }, { "承办单位", "department" },
	  { "交办要求", "instruction" }, { "办理时限", "due" }, { "状态", "status" },
	  { NULL, NULL } },
	{ { "编号", "number" }, { "办结时间", "at" }, { "网格", "grid" },
	  { "诉求内容", "description" }, { "承办单位", "department" },
	  { "办理结果", "result" }, { "群众评价", "rating" }, { "状态", "status" },
	  { NULL, NULL } },
};

static const struct {
	const char	*id;
	const char	*name;
} status_names[] = {
	{ "received", "待接单" }, { "accepted", "已接单" }, { "dispatched", "已派单" },
	{ "in_progress", "办理中" }, { "resolved", "待评价" }, { "closed", "已办结" },
	{ "reopened", "重新办理" }, { "declined", "已退回" }, { "cancelled", "已撤销" },
};
static const char *const rating_names[] = { "", "不满意", "较不满意", "基本满意",
    "满意", "非常满意" };

/* t as "2026-12-06 13:05" at offset seconds east of UTC. */
static void
local_time(int64_t t, int off, char *out, size_t outsz)
{
	time_t		 lt = (time_t)(t + off);
	struct tm	 tm;

	gmtime_r(&lt, &tm);
	strftime(out, outsz, "%Y-%m-%d %H:%M", &tm);
}

/* A date the way a form sends it: YYYY-MM-DD. */
static bool
is_date(const char *s)
{
	return strlen(s) == 10 && strspn(s, "0123456789-") == 10 && s[4] == '-' &&
	    s[7] == '-';
}

int
console_period(struct req *r, struct gateway *gw, struct console_period *p)
{
	const char	*from = http_req_arg(r, "from"), *to = http_req_arg(r, "to");
	struct tz	*tz;
	int64_t		 now = time_now();
	time_t		 lt;
	struct tm	 tm;
	int		 rc = -1;

	memset(p, 0, sizeof(*p));
	if ((tz = tz_open(gw->cfg->timezone)) == NULL) {
		snprintf(p->error, sizeof(p->error), "timezone %s unknown", gw->cfg->timezone);
		return -1;
	}
	lt = (time_t)(now + (int64_t)tz_offset(tz, now) * 60);
	gmtime_r(&lt, &tm);
	if (to == NULL || *to == '\0')
		strftime(p->to_day, sizeof(p->to_day), "%Y-%m-%d", &tm);
	else if (is_date(to))
		strlcpy(p->to_day, to, sizeof(p->to_day));
	else {
		snprintf(p->error, sizeof(p->error), "to: expected a date like 2026-11-30");
		goto out;
	}
	if (from == NULL || *from == '\0')
		strftime(p->from_day, sizeof(p->from_day), "%Y-%m-01", &tm);
	else if (is_date(from))
		strlcpy(p->from_day, from, sizeof(p->from_day));
	else {
		snprintf(p->error, sizeof(p->error), "from: expected a date like 2026-11-01");
		goto out;
	}
	if (time_parse_tz(tz, p->to_day, true, &p->to) != 0) {
		snprintf(p->error, sizeof(p->error), "to: expected a date like 2026-11-30");
		goto out;
	}
	if (time_parse_tz(tz, p->from_day, false, &p->from) != 0) {
		snprintf(p->error, sizeof(p->error), "from: expected a date like 2026-11-01");
		goto out;
	}
	if (p->from >= p->to) {
		snprintf(p->error, sizeof(p->error), "from must not be after to");
		goto out;
	}
	p->offset = tz_offset(tz, p->from) * 60;
	rc = 0;
out:
	tz_close(tz);
	return rc;
}

struct lists {
	const struct config	*cfg;
	int			 off;
	json_t			*rows;		/* the list being read */
};

/* A config name for id, or id itself; NULL stays NULL. */
static const char *
cfg_name(const struct config *cfg, const char *kind, const char *id)
{
	size_t	 i;

	if (id == NULL)
		return NULL;
	if (strcmp(kind, "grid") == 0) {
		for (i = 0; i < cfg->ngrids; i++)
			if (strcmp(cfg->grids[i].id, id) == 0)
				return cfg->grids[i].name;
	} else if (strcmp(kind, "category") == 0) {
		for (i = 0; i < cfg->ncategories; i++)
			if (strcmp(cfg->categories[i].id, id) == 0)
				return cfg->categories[i].name;
	} else if (strcmp(kind, "deputy") == 0) {
		for (i = 0; i < cfg->ndeputies; i++)
			if (strcmp(cfg->deputies[i].id, id) == 0)
				return cfg->deputies[i].name;
	} else if (strcmp(kind, "department") == 0) {
		for (i = 0; i < cfg->ndepartments; i++)
			if (strcmp(cfg->departments[i].id, id) == 0)
				return cfg->departments[i].name;
	} else if (strcmp(kind, "township") == 0) {
		for (i = 0; i < cfg->ntownships; i++)
			if (strcmp(cfg->townships[i].id, id) == 0)
				return cfg->townships[i].name;
	} else if (strcmp(kind, "status") == 0) {
		for (i = 0; i < nitems(status_names); i++)
			if (strcmp(status_names[i].id, id) == 0)
				return status_names[i].name;
	}
	return id;
}

static void
list_add(void *arg, const struct store_list_row *row)
{
	struct lists	*l = arg;
	char		 at[32], due[32];
	json_t		*o;

	local_time(row->at, l->off, at, sizeof(at));
	if (row->due_at != 0)
		local_time(row->due_at, l->off, due, sizeof(due));
	o = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
	    "number", (json_int_t)row->number, "at", at,
	    "grid", cfg_name(l->cfg, "grid", row->grid), "place", row->place,
	    "category", cfg_name(l->cfg, "category", row->category),
	    "description", row->description,
	    "status", cfg_name(l->cfg, "status", row->status),
	    "deputy", cfg_name(l->cfg, "deputy", row->deputy),
	    "department", cfg_name(l->cfg, "department", row->department),
	    "due", row->due_at != 0 ? due : NULL, "result", row->result);
	json_object_set_new(o, "instruction", row->instruction != NULL &&
	    *row->instruction != '\0' ? json_string(row->instruction) : json_null());
	json_object_set_new(o, "rating", row->rating > 0 && row->rating <= 5 ?
	    json_string(rating_names[row->rating]) : json_null());
	json_array_append_new(l->rows, o);
}

/* The value of key in row o as text ("" when none); caller frees. */
static char *
cell_text(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return xstrdup(json_is_string(v) ? json_string_value(v) : "");
}

static void
csv_cell(struct buf *b, const char *s, bool first)
{
	if (!first)
		buf_addstr(b, ",");
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_addstr(b, s);
		return;
	}
	buf_addstr(b, "\"");
	for (; *s != '\0'; s++)
		buf_addstr(b, *s == '"' ? "\"\"" : (char[]){ *s, '\0' });
	buf_addstr(b, "\"");
}

/*
 * One CSV of the three lists, in Excel's way for Chinese text (a UTF-8
 * byte order mark, CRLF): each list's title and period, its header, its
 * rows and its total, a blank line between lists.
 */
static char *
lists_csv(json_t *o, const char *title, size_t *len)
{
	struct buf	 b;
	json_t		*rows, *row;
	size_t		 k, c, i;
	char		*s;

	buf_init(&b, 0);
	buf_addstr(&b, "\xef\xbb\xbf");
	for (k = 0; k < 3; k++) {
		rows = json_object_get(o, list_keys[k]);
		s = xasprintf("%s%s", title, list_titles[k]);
		csv_cell(&b, s, true);
		free(s);
		buf_addstr(&b, "\r\n");
		for (c = 0; list_cols[k][c].title != NULL; c++)
			csv_cell(&b, list_cols[k][c].title, c == 0);
		buf_addstr(&b, "\r\n");
		json_array_foreach(rows, i, row) {
			for (c = 0; list_cols[k][c].title != NULL; c++) {
				s = cell_text(row, list_cols[k][c].key);
				csv_cell(&b, s, c == 0);
				free(s);
			}
			buf_addstr(&b, "\r\n");
		}
		buf_printf(&b, "合计,%zu 件\r\n\r\n", json_array_size(rows));
	}
	*len = b.len;
	return buf_steal(&b);
}

/* The three lists as a workbook of three sheets, in a new buffer. */
static char *
lists_xlsx(json_t *o, const char *title, size_t *len)
{
	char		 path[] = "/tmp/minyi-lists-XXXXXX";
	lxw_workbook	*wb;
	lxw_format	*bold, *head, *wrap;
	json_t		*rows, *row;
	size_t		 k, c, i;
	char		*s, *data = NULL;
	int		 fd;
	FILE		*f;
	long		 n;

	if ((fd = mkstemp(path)) == -1)
		return NULL;
	close(fd);
	if ((wb = workbook_new(path)) == NULL)
		goto out;
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_font_size(bold, 14);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xEEEEEE);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	format_set_border(wrap, LXW_BORDER_THIN);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	for (k = 0; k < 3; k++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, list_titles[k]);

		rows = json_object_get(o, list_keys[k]);
		s = xasprintf("%s%s", title, list_titles[k]);
		worksheet_write_string(ws, 0, 0, s, bold);
		free(s);
		for (c = 0; list_cols[k][c].title != NULL; c++) {
			const char *key = list_cols[k][c].key;

			worksheet_write_string(ws, 1, (lxw_col_t)c, list_cols[k][c].title, head);
			worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
			    strcmp(key, "description") == 0 || strcmp(key, "result") == 0 ||
			    strcmp(key, "instruction") == 0 ?
			    40 : strcmp(key, "number") == 0 ? 8 : 16, NULL);
		}
		json_array_foreach(rows, i, row) {
			for (c = 0; list_cols[k][c].title != NULL; c++) {
				json_t *v = json_object_get(row, list_cols[k][c].key);

				if (json_is_integer(v))
					worksheet_write_number(ws, (lxw_row_t)i + 2, (lxw_col_t)c,
					    (double)json_integer_value(v), wrap);
				else
					worksheet_write_string(ws, (lxw_row_t)i + 2, (lxw_col_t)c,
					    json_is_string(v) ? json_string_value(v) : "", wrap);
			}
		}
		worksheet_write_string(ws, (lxw_row_t)json_array_size(rows) + 2, 0, "合计", head);
		worksheet_write_number(ws, (lxw_row_t)json_array_size(rows) + 2, 1,
		    (double)json_array_size(rows), head);
	}
	if (workbook_close(wb) != LXW_NO_ERROR)
		goto out;
	if ((f = fopen(path, "rb")) == NULL)
		goto out;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = xmalloc((size_t)n);
		if (fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		} else
			*len = (size_t)n;
	}
	fclose(f);
out:
	unlink(path);
	return data;
}

enum MHD_Result
console_lists(struct req *r, struct gateway *gw, const struct console_who *who)
{
	struct console_period	 p;
	struct lists		 l;
	struct store		*st;
	const char		*township = http_req_arg(r, "township");
	const char		*format = http_req_arg(r, "format");
	json_t			*o, *totals;
	char			*title, *body, *disp;
	size_t			 k, len = 0;
	long			 total = 0;
	bool			 page;
	enum MHD_Result		 ret;
	int			 rc = 0;

	if (township != NULL && *township == '\0')
		township = NULL;
	if (township != NULL && config_township(gw->cfg, township) == NULL)
		return http_req_error(r, 400, "township: unknown");
	if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "xlsx") != 0)
		return http_req_error(r, 400, "format: expected json, csv or xlsx");
	if (console_period(r, gw, &p) != 0)
		return http_req_error(r, 400, p.error);
	memset(&l, 0, sizeof(l));
	l.cfg = gw->cfg;
	l.off = p.offset;
	o = json_pack("{s:s, s:s, s:s?, s:s?}", "from", p.from_day, "to", p.to_day,
	    "township", township, "township_name", cfg_name(gw->cfg, "township", township));
	totals = json_object();
	st = reader_pool_get(&gw->readers);
	page = format == NULL || strcmp(format, "json") == 0;
	for (k = 0; k < 3 && rc == 0; k++) {
		l.rows = json_array();
		rc = store_console_list(st, (enum store_list)k, &who->scope, township,
		    p.from, p.to, page ? LIST_PAGE_ROWS : 0, list_add, &l);
		total = (long)json_array_size(l.rows);
		if (rc == 0 && page && total == LIST_PAGE_ROWS)
			rc = store_console_list_count(st, (enum store_list)k, &who->scope,
			    township, p.from, p.to, &total);
		json_object_set_new(totals, list_keys[k], json_integer(total));
		json_object_set_new(o, list_keys[k], l.rows);
	}
	reader_pool_put(&gw->readers, st);
	json_object_set_new(o, "totals", totals);
	if (rc != 0) {
		json_decref(o);
		return http_req_error(r, 500, "store read failed");
	}
	if (page) {
		ret = console_json(r, 200, o, NULL);
		json_decref(o);
		return ret;
	}
	title = xasprintf("%s %s 至 %s ", township ? cfg_name(gw->cfg, "township",
	    township) : "全县", p.from_day, p.to_day);
	if (strcmp(format, "csv") == 0)
		body = lists_csv(o, title, &len);
	else
		body = lists_xlsx(o, title, &len);
	free(title);
	json_decref(o);
	if (body == NULL)
		return http_req_error(r, 500, "could not write the workbook");
	/* an ASCII file name: every browser keeps it */
	disp = xasprintf("attachment; filename=\"lists-%s-%s%s%s.%s\"", p.from_day, p.to_day,
	    township ? "-" : "", township ? township : "", format);
	ret = console_respond_file(r, strcmp(format, "csv") == 0 ?
	    "text/csv; charset=utf-8" : XLSX_CTYPE, body, len, disp);
	free(disp);
	free(body);
	return ret;
}
