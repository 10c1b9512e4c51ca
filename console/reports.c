/*
 * reports.c: the 报表 page's figures, GET /console/api/reports?from=&to=:
 * 履职考核 (deputies), 民主评议 (departments) and 高频诉求 (hotspots) of the
 * period, from the same computation as `minyi report` (gateway/report.c's
 * gateway_report_rows), so the page and the CLI never differ.
 *
 * They are the county's figures, the ones posted on the station's wall:
 * the same for every account.
 */
#include "console.h"

#include <string.h>

enum MHD_Result
console_reports(struct req *r, struct gateway *gw, const struct console_who *who)
{
	static const char *const kinds[] = { "deputies", "departments", "hotspots" };
	struct console_period	 p;
	struct store		*st;
	json_t			*o, *rows;
	char			 before[16];
	time_t			 t;
	struct tm		 tm;
	size_t			 k;
	enum MHD_Result		 ret;

	(void)who;
	if (console_period(r, gw, &p) != 0)
		return http_req_error(r, 400, p.error);
	/* the period before, of the same length, that 高频诉求 compares with */
	t = (time_t)(p.from - (p.to - p.from) + p.offset);
	gmtime_r(&t, &tm);
	strftime(before, sizeof(before), "%Y-%m-%d", &tm);
	o = json_pack("{s:s, s:s, s:s}", "from", p.from_day, "to", p.to_day,
	    "before_from", before);
	st = reader_pool_get(&gw->readers);
	for (k = 0; k < nitems(kinds); k++) {
		rows = gateway_report_rows(gw->cfg, st, kinds[k], p.from, p.to);
		json_object_set_new(o, kinds[k], rows);
	}
	reader_pool_put(&gw->readers, st);
	ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}
