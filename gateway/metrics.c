/*
 * metrics.c: counters for GET /metrics in the Prometheus text format:
 * requests by route and status, request latency sums, and the writer's
 * queue depth, commits and jobs per commit.
 */
#include "gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODES 12		/* distinct statuses kept per route */

struct route_metrics {
	unsigned	 code[MAX_CODES];
	uint64_t	 count[MAX_CODES];
	double		 ms_sum;
	uint64_t	 ms_count;
};

static pthread_mutex_t		 metrics_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct route_metrics	 metrics[ROUTE_COUNT];

static const char *route_names[ROUTE_COUNT] = {
	[ROUTE_HEALTHZ] = "healthz",
	[ROUTE_METRICS] = "metrics",
	[ROUTE_WEBHOOK] = "webhook",
	[ROUTE_WEBHOOK_STATUS] = "webhook_status",
	[ROUTE_SIM_OUTBOX] = "sim_outbox",
	[ROUTE_API_CASES] = "api_cases",
	[ROUTE_API_CASE] = "api_case",
	[ROUTE_CONSOLE] = "console",
	[ROUTE_OTHER] = "other",
};

const char *
metrics_route_name(enum route_id id)
{
	return id < ROUTE_COUNT ? route_names[id] : "other";
}

void
metrics_count_request(enum route_id id, unsigned status)
{
	struct route_metrics	*m;
	size_t			 i;

	if (id >= ROUTE_COUNT)
		id = ROUTE_OTHER;
	m = &metrics[id];
	pthread_mutex_lock(&metrics_mtx);
	for (i = 0; i < MAX_CODES; i++) {
		if (m->code[i] == status || m->code[i] == 0) {
			m->code[i] = status;
			m->count[i]++;
			break;
		}
	}
	pthread_mutex_unlock(&metrics_mtx);
}

void
metrics_observe_ms(enum route_id id, double ms)
{
	if (id >= ROUTE_COUNT)
		id = ROUTE_OTHER;
	pthread_mutex_lock(&metrics_mtx);
	metrics[id].ms_sum += ms;
	metrics[id].ms_count++;
	pthread_mutex_unlock(&metrics_mtx);
}

char *
metrics_render(struct gateway *gw)
{
	struct buf			 b;
	struct store_writer_stats	 ws;
	size_t				 r, i;

	buf_init(&b, 0);
	buf_addstr(&b, "# HELP minyi_http_requests_total HTTP requests answered, by route and status.\n"
	    "# TYPE minyi_http_requests_total counter\n");
	pthread_mutex_lock(&metrics_mtx);
	for (r = 0; r < ROUTE_COUNT; r++)
		for (i = 0; i < MAX_CODES && metrics[r].code[i] != 0; i++)
			buf_printf(&b, "minyi_http_requests_total{route=\"%s\",code=\"%u\"} %llu\n",
			    route_names[r], metrics[r].code[i],
			    (unsigned long long)metrics[r].count[i]);
	buf_addstr(&b, "# HELP minyi_http_request_duration_ms_sum Time spent answering, by route.\n"
	    "# TYPE minyi_http_request_duration_ms_sum counter\n");
	for (r = 0; r < ROUTE_COUNT; r++)
		if (metrics[r].ms_count > 0)
			buf_printf(&b, "minyi_http_request_duration_ms_sum{route=\"%s\"} %.3f\n"
			    "minyi_http_request_duration_ms_count{route=\"%s\"} %llu\n",
			    route_names[r], metrics[r].ms_sum, route_names[r],
			    (unsigned long long)metrics[r].ms_count);
	pthread_mutex_unlock(&metrics_mtx);

	store_writer_stats(gw->writer, &ws);
	buf_printf(&b,
	    "# HELP minyi_writer_queue_depth Jobs waiting for the writer.\n"
	    "# TYPE minyi_writer_queue_depth gauge\n"
	    "minyi_writer_queue_depth %llu\n"
	    "# HELP minyi_writer_commits_total Transactions committed by the writer.\n"
	    "# TYPE minyi_writer_commits_total counter\n"
	    "minyi_writer_commits_total %llu\n"
	    "# HELP minyi_writer_jobs_total Jobs run by the writer.\n"
	    "# TYPE minyi_writer_jobs_total counter\n"
	    "minyi_writer_jobs_total %llu\n"
	    "# HELP minyi_writer_failed_jobs_total Jobs rolled back alone.\n"
	    "# TYPE minyi_writer_failed_jobs_total counter\n"
	    "minyi_writer_failed_jobs_total %llu\n"
	    "# HELP minyi_writer_jobs_per_commit Average jobs per commit.\n"
	    "# TYPE minyi_writer_jobs_per_commit gauge\n"
	    "minyi_writer_jobs_per_commit %.2f\n"
	    "# HELP minyi_writer_max_batch Most jobs in one commit.\n"
	    "# TYPE minyi_writer_max_batch gauge\n"
	    "minyi_writer_max_batch %llu\n"
	    "# HELP minyi_writer_failing 1 while the writer cannot write (see /healthz).\n"
	    "# TYPE minyi_writer_failing gauge\n"
	    "minyi_writer_failing %d\n",
	    (unsigned long long)ws.queue_depth, (unsigned long long)ws.commits,
	    (unsigned long long)ws.jobs, (unsigned long long)ws.failed_jobs,
	    ws.commits ? (double)ws.jobs / (double)ws.commits : 0.0,
	    (unsigned long long)ws.max_batch,
	    store_writer_failing(gw->writer, NULL, 0) ? 1 : 0);
	buf_printf(&b, "# HELP minyi_http_inflight Requests being answered now.\n"
	    "# TYPE minyi_http_inflight gauge\nminyi_http_inflight %d\n",
	    atomic_load(&gw->root->inflight));
	buf_printf(&b, "# HELP minyi_config_generation The config in use: 1 at "
	    "start, one more each reload (SIGHUP).\n"
	    "# TYPE minyi_config_generation gauge\nminyi_config_generation %u\n",
	    gw->generation);
	return buf_steal(&b);
}
