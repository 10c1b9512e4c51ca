/*
 * store/store_int.h: what the store's own files (and its tests) share
 * and the rest of minyi must not see: the backends' handles.  gateway/
 * and console/ include store.h only.
 */
#ifndef MINYI_STORE_INT_H
#define MINYI_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* A statement: exactly one of the backends' handles is set. */
struct store_stmt {
	struct store	*st;		/* its connection */
	sqlite3_stmt	*lite;		/* owned */
};

/* The SQLite connection of st (borrowed); NULL on another backend. */
sqlite3		*store_db(struct store *);

/* What the connection's last error was, for the writer. */
enum store_errclass {
	STORE_ERR_NONE,		/* none */
	STORE_ERR_CONSTRAINT,	/* a constraint (the job's own doing) */
	STORE_ERR_OTHER,	/* the store failing: I/O, full, a lock */
};
enum store_errclass store_errclass(struct store *);
/*
 * fn(arg) is asked before each commit of the connection, and a nonzero
 * answer turns the commit into a rollback (the writer refuses a job's own
 * COMMIT); fn NULL removes it.
 */
void		 store_commit_guard(struct store *, int (*fn)(void *), void *arg);
/* Before closing a writer's connection: copy the WAL into the main file
 * and truncate it (logged when it cannot). */
void		 store_checkpoint(struct store *);

#endif /* MINYI_STORE_INT_H */
