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

#include <pthread.h>
#include <string.h>

static const char *const kinds[] = { "deputies", "departments", "hotspots" };

/* One kind's rows, on a connection of its own (a thread of the request). */
struct part {
	const struct config	*cfg;
	struct store		*st;
	const char		*kind;
	int64_t			 from, to;
	json_t			*rows;
};

static void *
part_run(void *arg)
{
	struct part	*pt = arg;

	pt->rows = gateway_report_rows(pt->cfg, pt->st, pt->kind, pt->from, pt->to);
	return NULL;
}

enum MHD_Result
console_reports(struct req *r, struct gateway *gw, const struct console_who *who)
{
	struct console_period	 p;
	struct part		 pt[nitems(kinds)];
	pthread_t		 tid[nitems(kinds)];
	bool			 started[nitems(kinds)];
	struct store		*st;
	json_t			*o;
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
	/*
	 * The three read apart (about 50, 30 and 20 ms of the 100 on the
	 * bench's store): the last two each on a thread and a connection of
	 * its own when the pool has one idle, else after the first on its
	 * connection (never waiting for one: requests holding some and
	 * waiting for more would wait for each other).
	 */
	st = reader_pool_get(&gw->readers);
	for (k = 0; k < nitems(kinds); k++) {
		pt[k] = (struct part){ gw->cfg, k == 0 ? st : NULL, kinds[k], p.from, p.to, NULL };
		started[k] = false;
		if (k > 0 && (pt[k].st = reader_pool_tryget(&gw->readers)) != NULL) {
			if (pthread_create(&tid[k], NULL, part_run, &pt[k]) == 0)
				started[k] = true;
			else {
				reader_pool_put(&gw->readers, pt[k].st);
				pt[k].st = NULL;
			}
		}
	}
	part_run(&pt[0]);
	json_object_set_new(o, kinds[0], pt[0].rows);
	for (k = 1; k < nitems(kinds); k++) {
		if (started[k]) {
			pthread_join(tid[k], NULL);
			reader_pool_put(&gw->readers, pt[k].st);
		} else {
			pt[k].st = st;
			part_run(&pt[k]);
		}
		json_object_set_new(o, kinds[k], pt[k].rows);
	}
	reader_pool_put(&gw->readers, st);
	ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}
