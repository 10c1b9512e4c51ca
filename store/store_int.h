/*
 * store/store_int.h: what the store's own files (and its tests) share
 * and the rest of minyi must not see: the backends' handles.  gateway/
 * and console/ include store.h only.
 */
#ifndef MINYI_STORE_INT_H
#define MINYI_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

struct pg_stmt;

/* A statement: exactly one of the backends' handles is set. */
struct store_stmt {
	struct store	*st;		/* its connection */
	sqlite3_stmt	*lite;		/* owned */
	struct pg_stmt	*pg;		/* owned (store/pg.c) */
};

/* One cached statement; an empty slot has sql == NULL. */
struct stmt_slot {
	char		*sql;		/* from malloc(): the key */
	uint32_t	 hash;		/* of sql */
	struct store_stmt *stmt;	/* owned; finalized by store_close */
};

struct after_commit {
	void	(*fn)(void *);
	void	 *arg;
	void	(*free_fn)(void *);
};

enum store_backend {
	STORE_SQLITE,
	STORE_POSTGRESQL,
};

struct store {
	enum store_backend	 backend;
	sqlite3			*db;		/* owned, SQLite */
	void			*pg;		/* owned PGconn, PostgreSQL */
	int64_t			 pg_changes;	/* rows the last statement changed */
	int64_t			 pg_last_id;	/* id its INSERT ... RETURNING id gave */
	char			 pg_state[6];	/* SQLSTATE of its error, "" none */
	char			 pg_err[256];	/* the message of that error */
	unsigned		 pg_nstmt;	/* prepared statements named so far */
	int			 flags;		/* STORE_READONLY */
	int			 version;	/* schema version after open */
	struct stmt_slot	*slots;		/* from malloc(); open addressing */
	size_t			 nslots;	/* power of 2 */
	size_t			 nused;
	struct after_commit	*after;		/* from malloc(): store_after_commit */
	size_t			 nafter, capafter;
	bool			 writer;	/* jobs run in the writer's batches */
};


/* The SQLite connection of st (borrowed); NULL on another backend. */
sqlite3		*store_db(struct store *);

/* pg.c: the PostgreSQL backend */
int		 store_pg_open(struct store *, const char *conninfo, char *err,
		    size_t errsz);
void		 store_pg_close(struct store *);
/* A statement of sql (SQLite's text; its PostgreSQL form is found or
 * made); cached ones are prepared by name at their first step. */
struct pg_stmt	*store_pg_stmt(struct store *, const char *sql, bool cached);
void		 store_pg_free(struct pg_stmt *);
/* Prepare it now (a statement of store_stmt_new): 0, or -1 (logged). */
int		 store_pg_check(struct pg_stmt *);
int		 store_pg_bind(struct pg_stmt *, int i, const char *v, int len);
void		 store_pg_reset(struct pg_stmt *);	/* keeps the parameters */
void		 store_pg_clear(struct pg_stmt *);	/* and clears them */
int		 store_pg_step(struct pg_stmt *);
const char	*store_pg_value(struct pg_stmt *, int col);
int		 store_pg_type(struct pg_stmt *, int col);
int		 store_pg_ncols(struct pg_stmt *);
int		 store_pg_exec(struct store *, const char *sql);
bool		 store_pg_in_transaction(struct store *);
bool		 store_pg_retryable(struct store *);

/*
 * A statement whose PostgreSQL text differs from SQLite's, held beside it
 * in the store file that has it: lite is the text every caller uses
 * (store_stmt's key), pg what runs on PostgreSQL ($N parameters).
 */
struct store_dialect {
	const char	*lite;
	const char	*pg;
};
/* The PostgreSQL form of lite, or NULL when the same text serves. */
const char	*store_pg_form(const char *lite);
extern const struct store_dialect store_pg_store[], store_pg_intake[],
		 store_pg_outbox[], store_pg_cases[], store_pg_query[],
		 store_pg_console[], store_pg_evaluation[];

/* What the connection's last error was, for the writer. */
enum store_errclass {
	STORE_ERR_NONE,		/* none */
	STORE_ERR_CONSTRAINT,	/* a constraint (the job's own doing) */
	STORE_ERR_RETRY,	/* a deadlock or a serialization failure between
				 * nodes (PostgreSQL): run the job again */
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
