/*
 * writer.c: group commit.  One thread owns the write connection.  Other
 * threads queue jobs; the writer takes up to max_batch of them, runs them
 * in one IMMEDIATE transaction, each inside its own SAVEPOINT so that a
 * job that fails rolls back alone, and commits once.  Only after the
 * COMMIT does a submitter learn its job's result: acknowledged means
 * durable.  While one batch commits (fsync), the next one queues up, so
 * the more load, the more jobs per commit.
 *
 * When SQLite abandons the whole transaction under a job (SQLITE_FULL, an
 * I/O error, or a job that ran ROLLBACK), that job fails and the jobs of
 * the batch that had succeeded run again in a fresh transaction; every
 * restart fails one more job for good, so a batch restarts at most once
 * per job.
 *
 * A writer that cannot write (BEGIN, a statement or COMMIT failing for the
 * store's sake: disk full, I/O error, a lock held too long) says so through
 * store_writer_failing until a transaction commits again; /healthz answers
 * 503 meanwhile.  store_writer_probe queues a small write to find out.
 * At stop the WAL is checkpointed and truncated, so a clean exit leaves
 * the whole store in its main file.
 */
#include "store_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITER_MAX_BATCH	256	/* jobs per commit when 0 is asked */

/* Times a job runs again after a deadlock or serialization failure. */
#define WRITER_RETRIES		8

/* Our savepoint name; jobs are unlikely to use it for their own. */
#define WRITER_SP		"store_writer_job"


enum writer_job_state {
	JOB_QUEUED,		/* to run in the current transaction */
	JOB_KEPT,		/* ran and released into the transaction */
	JOB_FINAL,		/* rc is final whatever happens next */
};

/* One submitted job; async ones are from malloc(), sync ones on the
 * submitter's stack. */
struct writer_job {
	struct writer_job	*next;		/* queue link */
	store_job_fn		 fn;
	void			*arg;		/* borrowed from the submitter */
	store_done_fn		 done;		/* async only; may be NULL */
	void			*done_arg;	/* borrowed */
	bool			 async;		/* freed by the writer after done */
	enum writer_job_state	 state;		/* writer thread only */
	int			 rc;		/* the job's value, or -1 */
	bool			 finished;	/* sync: rc is final (under mtx) */
};

struct store_writer {
	struct store		*st;		/* owned; closed by store_writer_stop */
	pthread_t		 thread;
	size_t			 max_batch;
	struct writer_job	**batch;	/* from malloc(); writer thread only */
	bool			 in_job;	/* writer thread only: a job runs */

	pthread_mutex_t		 mtx;		/* guards what follows */
	pthread_cond_t		 work;		/* queue not empty, or stopping */
	pthread_cond_t		 done;		/* some sync job finished */
	struct writer_job	*head;		/* the queue, oldest first */
	struct writer_job	*tail;
	size_t			 depth;		/* jobs in the queue */
	bool			 stopping;	/* no new jobs accepted */
	bool			 probing;	/* a probe is queued or running */
	char			 failing[160];	/* why the last transaction failed;
						 * "" once one commits */
	struct store_writer_stats stats;	/* queue_depth is read from depth */
};

/* Step one parameterless control statement; 0 or -1. */
static int
writer_step(struct store *st, const char *sql)
{
	struct store_stmt	*stmt = store_stmt(st, sql);
	int			 rc;

	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/*
 * SQLite calls this before every commit on the writer's connection.  A
 * commit while a job runs is the job breaking its contract (COMMIT, or a
 * write after its own ROLLBACK): returning nonzero turns it into a
 * rollback, so no half of a batch is ever made durable behind our back.
 */
static int
writer_commit_hook(void *arg)
{
	struct store_writer	*w = arg;

	if (!w->in_job)
		return 0;
	log_warnx("store job tried to commit; rolled back");
	return 1;
}

/*
 * Run job j in its own savepoint of the open transaction.  Returns true
 * when the transaction is still open (j is KEPT or FINAL), false when it
 * is gone (j is FINAL with a nonzero rc, and no transaction is open).
 */
static bool
writer_run_job(struct store_writer *w, struct writer_job *j)
{
	struct store	*st = w->st;
	size_t		 mark = store_after_mark(st);	/* dropped if j fails */
	int		 rc;

	int		 tries = 0;

	j->state = JOB_FINAL;
	if (writer_step(st, "SAVEPOINT " WRITER_SP) != 0) {
		j->rc = -1;
		return store_in_transaction(st);
	}
again:
	w->in_job = true;
	rc = j->fn(st, j->arg);
	w->in_job = false;
	/*
	 * Another node's transaction deadlocked with this job or made it
	 * fail to serialize (PostgreSQL): not an error; undo it and run it
	 * again, once the other has gone on.
	 */
	if (rc != 0 && store_errclass(st) == STORE_ERR_RETRY &&
	    ++tries <= WRITER_RETRIES && store_in_transaction(st)) {
		log_info("store job retried after \"%s\" try=%d", store_errmsg(st),
		    tries);
		store_stmt_reset_all(st);
		store_after_drop(st, mark);
		if (writer_step(st, "ROLLBACK TO " WRITER_SP) == 0)
			goto again;
	}
	/*
	 * A statement the job left stepping would keep a read snapshot
	 * past our COMMIT (and pin the WAL): reset it now.
	 */
	store_stmt_reset_all(st);
	if (!store_in_transaction(st)) {
		j->rc = rc != 0 ? rc : -1;
		store_after_drop(st, mark);
		return false;
	}
	if (rc == 0 && writer_step(st, "RELEASE " WRITER_SP) == 0) {
		j->rc = 0;
		j->state = JOB_KEPT;
		return true;
	}
	j->rc = rc != 0 ? rc : -1;
	store_after_drop(st, mark);
	if (writer_step(st, "ROLLBACK TO " WRITER_SP) != 0 ||
	    writer_step(st, "RELEASE " WRITER_SP) != 0) {
		/* We cannot tell what the transaction holds: drop it. */
		if (store_in_transaction(st))
			writer_step(st, "ROLLBACK");
		return false;
	}
	return store_in_transaction(st);
}

/*
 * Index the batch's new cases for text search, in a savepoint of its
 * own: one that fails leaves them queued (found by search all the same)
 * for the next batch, and the jobs commit.
 */
static void
writer_fts_flush(struct store_writer *w)
{
	struct store	*st = w->st;

	if (!store_in_transaction(st) ||
	    writer_step(st, "SAVEPOINT " WRITER_SP) != 0)
		return;
	if (store_fts_flush(st) == 0 &&
	    writer_step(st, "RELEASE " WRITER_SP) == 0)
		return;
	log_warnx("store search index deferred err=\"%s\"", store_errmsg(st));
	if (writer_step(st, "ROLLBACK TO " WRITER_SP) != 0 ||
	    writer_step(st, "RELEASE " WRITER_SP) != 0)
		if (store_in_transaction(st))
			writer_step(st, "ROLLBACK");
}

/*
 * Run, commit and report the n jobs in w->batch.  Each job's rc is final
 * when this returns, and every job has been told: async ones through done
 * (then freed), sync ones through w->done.
 */
static void
writer_batch(struct store_writer *w, size_t n)
{
	struct store		*st = w->st;
	struct writer_job	*j;
	int64_t			 t0 = time_mono_ms();
	size_t			 i, k, nfailed = 0, nrerun, restarts = 0;
	bool			 committed = false;
	char			 why[sizeof(w->failing)] = "";

	for (i = 0; i < n; i++)
		w->batch[i]->state = JOB_QUEUED;
again:
	if (writer_step(st, "BEGIN IMMEDIATE") != 0) {
		log_warnx("store begin failed jobs=%zu err=\"%s\"", n,
		    store_errmsg(st));
		snprintf(why, sizeof(why), "begin: %s", store_errmsg(st));
		goto fail_all;
	}
	for (i = 0; i < n; i++) {
		j = w->batch[i];
		if (j->state == JOB_FINAL)
			continue;
		if (writer_run_job(w, j))
			continue;
		/* The transaction is gone: what it kept runs again (and
		 * asks again for what is to follow its commit). */
		store_after_drop(st, 0);
		nrerun = 0;
		for (k = 0; k < n; k++)
			if (w->batch[k]->state == JOB_KEPT) {
				w->batch[k]->state = JOB_QUEUED;
				nrerun++;
			}
		log_warnx("store transaction lost job=%zu rc=%d err=\"%s\""
		    " rerun=%zu", i, j->rc, store_errclass(st) != STORE_ERR_NONE ?
		    store_errmsg(st) : "ended by the job", nrerun);
		/* A job's own ROLLBACK or COMMIT is not the store failing. */
		if (store_errclass(st) != STORE_ERR_NONE &&
		    store_errclass(st) != STORE_ERR_CONSTRAINT)
			snprintf(why, sizeof(why), "transaction lost: %s",
			    store_errmsg(st));
		restarts++;
		goto again;
	}
	writer_fts_flush(w);
	if (writer_step(st, "COMMIT") != 0) {
		log_warnx("store commit failed jobs=%zu err=\"%s\"", n,
		    store_errmsg(st));
		snprintf(why, sizeof(why), "commit: %s", store_errmsg(st));
		if (store_in_transaction(st))
			writer_step(st, "ROLLBACK");
		goto fail_all;
	}
	committed = true;
	store_after_run(st);
	goto report;
fail_all:
	store_after_drop(st, 0);
	for (i = 0; i < n; i++) {
		w->batch[i]->rc = -1;
		w->batch[i]->state = JOB_FINAL;
	}
report:
	for (i = 0; i < n; i++)
		if (w->batch[i]->rc != 0)
			nfailed++;
	if (committed)
		log_debug("store commit jobs=%zu failed=%zu restarts=%zu ms=%lld",
		    n, nfailed, restarts, (long long)(time_mono_ms() - t0));

	/*
	 * Count first, so that whoever is told can see it in the stats.  A
	 * sync job's memory is gone once it is woken: forget it here.
	 */
	pthread_mutex_lock(&w->mtx);
	if (committed)
		w->stats.commits++;
	/* Failing until a job's writes commit (the empty commit after a lost
	 * transaction proves nothing). */
	if (committed && nfailed < n) {
		if (w->failing[0] != '\0')
			log_info("store writes again after \"%s\"", w->failing);
		w->failing[0] = '\0';
	} else if (why[0] != '\0')
		strlcpy(w->failing, why, sizeof(w->failing));
	w->stats.jobs += n;
	w->stats.failed_jobs += nfailed;
	if (n > w->stats.max_batch)
		w->stats.max_batch = n;
	for (i = 0; i < n; i++)
		if (!w->batch[i]->async) {
			w->batch[i]->finished = true;
			w->batch[i] = NULL;
		}
	pthread_cond_broadcast(&w->done);
	pthread_mutex_unlock(&w->mtx);
	for (i = 0; i < n; i++) {
		if ((j = w->batch[i]) == NULL)
			continue;
		if (j->done != NULL)
			j->done(j->done_arg, j->rc);
		free(j);
		w->batch[i] = NULL;
	}
}

/* The writer thread: batches until stopping and the queue is empty. */
static void *
writer_main(void *arg)
{
	struct store_writer	*w = arg;
	struct writer_job	*j;
	size_t			 n;

	pthread_setname_np(pthread_self(), "minyi-writer");	/* top, perf */
	for (;;) {
		pthread_mutex_lock(&w->mtx);
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->work, &w->mtx);
		if (w->head == NULL) {
			pthread_mutex_unlock(&w->mtx);
			break;
		}
		for (n = 0; n < w->max_batch && (j = w->head) != NULL; n++) {
			w->head = j->next;
			j->next = NULL;
			w->batch[n] = j;
		}
		if (w->head == NULL)
			w->tail = NULL;
		w->depth -= n;
		pthread_mutex_unlock(&w->mtx);
		writer_batch(w, n);
	}
	return NULL;
}

struct store_writer *
store_writer_start(struct store *st, size_t max_batch)
{
	struct store_writer	*w;

	w = xcalloc(1, sizeof(*w));
	w->st = st;
	w->max_batch = max_batch ? max_batch : WRITER_MAX_BATCH;
	w->batch = xcalloc(w->max_batch, sizeof(*w->batch));
	pthread_mutex_init(&w->mtx, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	store_commit_guard(st, writer_commit_hook, w);
	store_after_mark(st);	/* its transactions are ours */
	if ((errno = pthread_create(&w->thread, NULL, writer_main, w)) != 0)
		fatal("store writer thread");
	return w;
}

/* Append j to the queue (mtx held); false when the writer is stopping. */
static bool
writer_enqueue_locked(struct store_writer *w, struct writer_job *j)
{
	if (w->stopping)
		return false;
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->depth++;
	pthread_cond_signal(&w->work);
	return true;
}

int
store_writer_submit(struct store_writer *w, store_job_fn fn, void *arg)
{
	struct writer_job	 j;
	int			 rc = -1;

	if (pthread_equal(pthread_self(), w->thread))
		fatalx("store_writer_submit from the writer thread would"
		    " wait for itself");
	memset(&j, 0, sizeof(j));
	j.fn = fn;
	j.arg = arg;
	pthread_mutex_lock(&w->mtx);
	if (!writer_enqueue_locked(w, &j))
		goto out;
	while (!j.finished)
		pthread_cond_wait(&w->done, &w->mtx);
	rc = j.rc;
out:
	pthread_mutex_unlock(&w->mtx);
	return rc;
}

int
store_writer_submit_async(struct store_writer *w, store_job_fn fn, void *arg,
    store_done_fn done, void *done_arg)
{
	struct writer_job	*j;
	bool			 queued;

	j = xcalloc(1, sizeof(*j));
	j->fn = fn;
	j->arg = arg;
	j->done = done;
	j->done_arg = done_arg;
	j->async = true;
	pthread_mutex_lock(&w->mtx);
	queued = writer_enqueue_locked(w, j);
	pthread_mutex_unlock(&w->mtx);
	if (!queued) {
		free(j);
		return -1;
	}
	return 0;
}

void
store_writer_stats(struct store_writer *w, struct store_writer_stats *out)
{
	pthread_mutex_lock(&w->mtx);
	*out = w->stats;
	out->queue_depth = w->depth;
	pthread_mutex_unlock(&w->mtx);
}

bool
store_writer_stopping(struct store_writer *w)
{
	bool	 stopping;

	pthread_mutex_lock(&w->mtx);
	stopping = w->stopping;
	pthread_mutex_unlock(&w->mtx);
	return stopping;
}

bool
store_writer_failing(struct store_writer *w, char *why, size_t whysz)
{
	bool	 failing;

	pthread_mutex_lock(&w->mtx);
	failing = w->failing[0] != '\0';
	if (why != NULL && whysz > 0)
		strlcpy(why, w->failing, whysz);
	pthread_mutex_unlock(&w->mtx);
	return failing;
}

static int
writer_probe_job(struct store *st, void *arg)
{
	(void)arg;
	return store_write_probe(st);
}

static void
writer_probe_done(void *arg, int rc)
{
	struct store_writer	*w = arg;

	(void)rc;	/* its commit set or cleared w->failing */
	pthread_mutex_lock(&w->mtx);
	w->probing = false;
	pthread_mutex_unlock(&w->mtx);
}

void
store_writer_probe(struct store_writer *w)
{
	bool	 go;

	pthread_mutex_lock(&w->mtx);
	go = !w->probing && !w->stopping;
	w->probing = go || w->probing;
	pthread_mutex_unlock(&w->mtx);
	if (go && store_writer_submit_async(w, writer_probe_job, NULL,
	    writer_probe_done, w) != 0)
		writer_probe_done(w, -1);
}

void
store_writer_stop(struct store_writer *w)
{
	pthread_mutex_lock(&w->mtx);
	w->stopping = true;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mtx);
	if ((errno = pthread_join(w->thread, NULL)) != 0)
		fatal("store writer join");
	log_debug("store writer stopped commits=%llu jobs=%llu failed=%llu",
	    (unsigned long long)w->stats.commits,
	    (unsigned long long)w->stats.jobs,
	    (unsigned long long)w->stats.failed_jobs);
	store_commit_guard(w->st, NULL, NULL);
	store_checkpoint(w->st);
	store_close(w->st);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->mtx);
	free(w->batch);
	free(w);
}
