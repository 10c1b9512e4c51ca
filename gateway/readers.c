/*
 * readers.c: a fixed pool of read-only SQLite connections for the admin API
 * and listings.  WAL lets them read while the writer commits; a request
 * borrows one and gives it back before it answers.
 */
#include "gateway.h"

#include <stdlib.h>

int
reader_pool_open(struct reader_pool *p, const struct config *cfg, size_t n)
{
	char	 err[256];
	size_t	 i;

	pthread_mutex_init(&p->mtx, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->all = xcalloc(n, sizeof(*p->all));
	p->free = xcalloc(n, sizeof(*p->free));
	p->n = p->nfree = 0;
	for (i = 0; i < n; i++) {
		p->all[i] = store_open_cfg(cfg, STORE_READONLY, false, err, sizeof(err));
		if (p->all[i] == NULL) {
			log_warnx("store reader open failed path=%s reason=\"%s\"",
			    store_cfg_name(cfg), err);
			return -1;
		}
		p->free[p->nfree++] = p->all[i];
		p->n++;
	}
	return 0;
}

struct store *
reader_pool_get(struct reader_pool *p)
{
	struct store	*st;

	pthread_mutex_lock(&p->mtx);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mtx);
	st = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mtx);
	return st;
}

struct store *
reader_pool_tryget(struct reader_pool *p)
{
	struct store	*st = NULL;

	pthread_mutex_lock(&p->mtx);
	if (p->nfree > 0)
		st = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mtx);
	return st;
}

void
reader_pool_put(struct reader_pool *p, struct store *st)
{
	store_stmt_reset_all(st);	/* hold no snapshot: it would pin the WAL */
	pthread_mutex_lock(&p->mtx);
	p->free[p->nfree++] = st;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mtx);
}

void
reader_pool_close(struct reader_pool *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		store_close(p->all[i]);
	free(p->all);
	free(p->free);
	p->all = p->free = NULL;
	p->n = p->nfree = 0;
	pthread_mutex_destroy(&p->mtx);
	pthread_cond_destroy(&p->cv);
}
