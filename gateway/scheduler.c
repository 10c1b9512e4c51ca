/*
 * scheduler.c: the timer of 督办.  Once a second it asks the writer to run
 * the scheduler's tick (staff.c): cases whose sched_at has come get their
 * reminders, escalations, overdue notices and rating reminders, decided by
 * the pure rules in dialogs/schedule.c from stored timestamps, so a
 * restart neither loses nor repeats one.
 *
 * Whether any case is due is read first on the scheduler's own read-only
 * connection: a tick with nothing due writes nothing (no transaction).
 */
#include "gateway.h"

#include <stdlib.h>
#include <time.h>

#define SCHED_TICK_MS	1000
#define SCHEDULER_BATCH	200	/* cases per tick */


struct scheduler {
	struct gateway	*gw;		/* the root: each tick takes its current */
	pthread_t	 thread;
	pthread_mutex_t	 mtx;
	pthread_cond_t	 cv;
	bool		 stop;
	struct store	*ro;		/* read-only: is a case due? (owned) */
};

static struct scheduler	*the_scheduler;

struct tick_job {
	struct gateway	*gw;
	int64_t		 now;
	int		 n;
};

static int
tick_job(struct store *st, void *arg)
{
	struct tick_job	*tj = arg;
	int		 lead;

	/* On several nodes, one ticks at a time: the others find it held. */
	if ((lead = store_try_lead(st, "scheduler")) <= 0) {
		tj->n = 0;
		return lead;
	}
	tj->n = gateway_schedule_tick(st, tj->gw, tj->now, SCHEDULER_BATCH);
	return tj->n < 0 ? -1 : 0;
}

/* Is a case due at now?  True when the read fails: the tick finds out. */
static bool
scheduler_has_due(struct scheduler *s, int64_t now)
{
	struct store_stmt	*stmt = store_stmt(s->ro, SQL_SCHED_DUE);
	int		 rc;

	store_bind_int64(stmt, 1, now);
	rc = store_step(stmt);
	store_reset(stmt);	/* no snapshot kept: it would pin the WAL */
	return rc != STORE_DONE;
}

static void *
scheduler_main(void *arg)
{
	struct scheduler	*s = arg;
	struct timespec		 ts;
	struct tick_job		 tj;

	pthread_setname_np(pthread_self(), "minyi-sched");	/* top, perf */
	pthread_mutex_lock(&s->mtx);
	while (!s->stop) {
		pthread_mutex_unlock(&s->mtx);
		tj.gw = gateway_current(s->gw);	/* the tick's config */
		tj.now = time_now();
		tj.n = 0;
		if (!scheduler_has_due(s, tj.now))
			tj.n = 0;	/* nothing due: no transaction */
		else if (store_writer_submit(s->gw->writer, tick_job, &tj) != 0)
			log_warnx("scheduler tick failed");
		else if (tj.n > 0) {
			log_debug("scheduler tick cases=%d", tj.n);
			gateway_sender_wake();
		}
		if (gateway_eval_schedule(tj.gw, s->ro, tj.now) > 0)
			gateway_sender_wake();	/* 民主评议, 票决, 整改 */
		pthread_mutex_lock(&s->mtx);
		if (s->stop || tj.n == SCHEDULER_BATCH)
			continue;	/* more due: go on at once */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += SCHED_TICK_MS / 1000;
		pthread_cond_timedwait(&s->cv, &s->mtx, &ts);
	}
	pthread_mutex_unlock(&s->mtx);
	return NULL;
}

int
gateway_scheduler_start(struct gateway *gw)
{
	struct scheduler	*s;
	struct store		*ro;
	char			 err[256];

	if ((ro = store_open_cfg(gw->cfg, STORE_READONLY, false, err,
	    sizeof(err))) == NULL)
		fatalx("scheduler: cannot open the store to read: %s", err);
	s = xcalloc(1, sizeof(*s));
	s->gw = gw;
	s->ro = ro;
	pthread_mutex_init(&s->mtx, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, scheduler_main, s) != 0)
		fatal("scheduler thread");
	the_scheduler = s;
	return 0;
}

void
gateway_scheduler_stop(void)
{
	struct scheduler	*s = the_scheduler;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mtx);
	s->stop = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mtx);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->mtx);
	pthread_cond_destroy(&s->cv);
	store_close(s->ro);
	free(s);
	the_scheduler = NULL;
}
