/*
 * console/votes.c: the printable pages of 民生实事票决 and 履职考核, from
 * the same computation as the CLI (gateway/evaluation.c), read without
 * writing:
 *
 *   GET /console/api/votes			every 票决, newest first
 *   GET /console/api/votes/{id}[?format=csv]	a 票决's result per project
 *						(`minyi vote result`)
 *   GET /console/api/duty?month=YYYY-MM | year=YYYY[&format=csv]
 *						deputies' 履职 ranked
 *						(`minyi report deputies`)
 *
 * Scoped as the rest of the workbench: the county sees every deputy and
 * every project; township staff, a deputy (the township they serve or
 * chair) and a township's department those of their township: its
 * deputies, ranked among themselves as in that township's 公示, and the
 * projects its deputies supervise.  A 票决's turnout and quorum are the
 * county's, whoever asks.
 */
#include "console.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The township who's view is limited to, or NULL for the whole county. */
static const char *
who_township(const struct config *cfg, const struct console_who *who)
{
	const struct department	*dp;
	size_t			 i;

	switch (who->kind) {
	case CONSOLE_COUNTY:
		return NULL;
	case CONSOLE_TOWNSHIP:
		return who->township;
	case CONSOLE_DEPUTY:
		if (who->township != NULL)
			return who->township;	/* the one they chair */
		for (i = 0; i < cfg->ntownships; i++)
			if (gateway_deputy_of_township(cfg, who->id,
			    cfg->townships[i].id))
				return cfg->townships[i].id;
		return "";			/* in no township: none */
	case CONSOLE_DEPARTMENT:
		dp = config_department(cfg, who->id);
		return dp != NULL ? dp->township : NULL;
	}
	return "";
}

/* A CSV download of rows (the CLI's columns), UTF-8 with a BOM for Excel. */
static enum MHD_Result
csv_file(struct req *r, json_t *rows, const char *const *cols, const char *name)
{
	char		*text = gateway_eval_rows_text(rows, cols, "csv");
	char		*body = xasprintf("\xEF\xBB\xBF%s", text);
	char		*disp = xasprintf("attachment; filename=\"%s.csv\"", name);
	enum MHD_Result	 ret;

	ret = console_respond_file(r, "text/csv; charset=utf-8", body, strlen(body),
	    disp);
	free(disp);
	free(body);
	free(text);
	return ret;
}

/* GET /console/api/votes: id, title, opens, closes of each 票决. */
static enum MHD_Result
votes_list(struct req *r, struct gateway *gw)
{
	struct store	*st;
	struct store_stmt	*stmt;
	json_t		*a = json_array();
	char		 opens[32], closes[32];
	enum MHD_Result	 ret;
	int		 rc;

	st = reader_pool_get(&gw->readers);
	stmt = store_stmt(st, SQL_VOTE_LIST);
	while ((rc = store_step(stmt)) == STORE_ROW) {
		time_fmt_iso(store_column_int64(stmt, 2), opens, sizeof(opens));
		time_fmt_iso(store_column_int64(stmt, 3), closes, sizeof(closes));
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s}", "vote",
		    (json_int_t)store_column_int64(stmt, 0), "title",
		    (const char *)store_column_text(stmt, 1), "opens", opens,
		    "closes", closes));
	}
	store_reset(stmt);
	reader_pool_put(&gw->readers, st);
	if (rc != STORE_DONE) {
		json_decref(a);
		return http_req_error(r, 500, "store read failed");
	}
	ret = console_json(r, 200, a, NULL);
	json_decref(a);
	return ret;
}

enum MHD_Result
console_api_votes(struct req *r, struct gateway *gw, const struct console_who *who,
    const char *rest)
{
	const char	*format = http_req_arg(r, "format");
	const char	*tw = who_township(gw->cfg, who);
	struct store	*st;
	json_t		*o, *projects, *mine, *p, *sup;
	char		*end, name[32];
	long long	 id;
	size_t		 i, k;
	enum MHD_Result	 ret;

	if (*rest == '\0')
		return votes_list(r, gw);
	errno = 0;
	id = strtoll(rest, &end, 10);
	if (end == rest || *end != '\0' || errno != 0 || id <= 0)
		return http_req_error(r, 404, "no such vote");
	if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
		return http_req_error(r, 400, "format: expected json or csv");
	st = reader_pool_get(&gw->readers);
	o = gateway_vote_results(st, gw->cfg, id);
	store_stmt_reset_all(st);
	reader_pool_put(&gw->readers, st);
	if (o == NULL)
		return http_req_error(r, 404, "no such vote");
	/* a township's accounts: the projects its deputies supervise */
	projects = json_object_get(o, "projects");
	json_object_set_new(o, "township", tw != NULL ? json_string(tw) : json_null());
	json_object_set_new(o, "projects_all", json_integer((json_int_t)
	    json_array_size(projects)));
	if (tw != NULL) {
		mine = json_array();
		json_array_foreach(projects, i, p)
			json_array_foreach(json_object_get(p, "supervisors"), k, sup)
				if (gateway_deputy_of_township(gw->cfg,
				    json_string_value(sup), tw)) {
					json_array_append(mine, p);
					break;
				}
		json_object_set_new(o, "projects", mine);
	}
	if (format != NULL && strcmp(format, "csv") == 0) {
		snprintf(name, sizeof(name), "vote-%lld", id);
		ret = csv_file(r, json_object_get(o, "projects"), gateway_vote_cols, name);
	} else
		ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}

enum MHD_Result
console_api_duty(struct req *r, struct gateway *gw, const struct console_who *who)
{
	static const char *const args[] = { "month", "year", "format", NULL };
	const char	*month = http_req_arg(r, "month"), *year = http_req_arg(r, "year");
	const char	*format = http_req_arg(r, "format"), *bad, *why;
	const char	*tw = who_township(gw->cfg, who);
	struct store	*st;
	json_t		*rows, *o;
	char		 period[32], name[64], extra;
	time_t		 now;
	struct tm	 tm;
	int		 y = 0, mo = 0;
	enum MHD_Result	 ret;

	if ((bad = http_req_arg_unknown(r, args, &why)) != NULL) {
		snprintf(name, sizeof(name), "%.20s: %s", bad, why);
		return http_req_error(r, 400, name);
	}
	if (month != NULL && year != NULL)
		return http_req_error(r, 400, "give month or year, not both");
	if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
		return http_req_error(r, 400, "format: expected json or csv");
	if (month != NULL && (strlen(month) != 7 || sscanf(month, "%4d-%2d%c", &y,
	    &mo, &extra) != 2 || y < 2000 || y > 9999 || mo < 1 || mo > 12))
		return http_req_error(r, 400, "month: expected YYYY-MM");
	if (year != NULL && (strlen(year) != 4 || sscanf(year, "%4d%c", &y,
	    &extra) != 1 || y < 2000))
		return http_req_error(r, 400, "year: expected YYYY");
	if (month == NULL && year == NULL) {	/* this month, the county's */
		now = (time_t)(time_now() + (int64_t)gateway_utc_offset(gw->cfg,
		    time_now()) * 60);
		gmtime_r(&now, &tm);
		y = tm.tm_year + 1900;
		mo = tm.tm_mon + 1;
	}
	if (mo > 0)
		snprintf(period, sizeof(period), "%04d-%02d", y, mo);
	else
		snprintf(period, sizeof(period), "%04d", y);
	st = reader_pool_get(&gw->readers);
	rows = tw != NULL && *tw == '\0' ? json_array() :
	    gateway_assess_rows(st, gw->cfg, y, mo, tw);
	store_stmt_reset_all(st);
	reader_pool_put(&gw->readers, st);
	if (rows == NULL)
		return http_req_error(r, 400, "no such period");
	if (format != NULL && strcmp(format, "csv") == 0) {
		snprintf(name, sizeof(name), "duty-%s%s%s", period, tw ? "-" : "",
		    tw ? tw : "");
		ret = csv_file(r, rows, mo > 0 ? gateway_assess_month_cols :
		    gateway_assess_year_cols, name);
		json_decref(rows);
		return ret;
	}
	o = json_pack("{s:s, s:b, s:o*, s:f, s:o}", "period", period, "year", mo == 0,
	    "township", tw != NULL && *tw != '\0' ? json_string(tw) : NULL,
	    "interview_below", gw->cfg->assessment.interview_below, "deputies", rows);
	json_object_set_new(o, "visits_min", json_integer(gw->cfg->assessment.visits_min));
	ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}
