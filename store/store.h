/*
 * store/store.h: all durable state, in SQLite.  The schema and its
 * versioned migrations (PRAGMA user_version), connections with WAL and
 * foreign keys on, a cache of prepared statements per connection, and the
 * writer: one thread owns the write connection and commits many jobs per
 * transaction (group commit), each job inside its own SAVEPOINT.
 *
 * Domain queries that the gateway and dialogs' shell need (cases, events,
 * outbox, messages) are declared here too, grouped by file.
 *
 * May include: lib/, config/.  Included by: gateway/.
 */
#ifndef MINYI_STORE_H
#define MINYI_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/lib.h"

/* store.c: connections, migrations, statement cache */

struct store;			/* one connection plus its statement cache */
/*
 * A prepared statement of either backend (SQLite, PostgreSQL): bind its
 * ?N parameters, step through its rows, read their columns, reset.
 */
struct store_stmt;

#define STORE_READONLY	0x01	/* open for reading only (API readers) */
#define STORE_SCHEMA_VERSION 17	/* latest schema: PRAGMA user_version */

/*
 * Open (creating if needed) the database at path and migrate it to the
 * latest schema.  synchronous is "FULL" or "NORMAL" (NULL = FULL).  Returns
 * a new store (caller closes) or NULL with a reason in err.
 */
struct store	*store_open(const char *path, int flags, const char *synchronous,
		    char *err, size_t errsz);
/*
 * The same on PostgreSQL: conninfo is a libpq connection string.  A
 * read-write open migrates, under an advisory lock; synchronous_commit
 * off is refused (an acknowledged message must be durable).
 */
struct store	*store_open_pg(const char *conninfo, int flags, char *err,
		    size_t errsz);
/*
 * The store config says (store.backend): SQLite at store.path, or
 * PostgreSQL through the connection string in store.conninfo_env (with
 * reports, store.read_conninfo_env when set: a standby).
 */
struct config;
struct store	*store_open_cfg(const struct config *, int flags, bool reports,
		    char *err, size_t errsz);
/* What to call the store in messages: its path, or "PostgreSQL". */
const char	*store_cfg_name(const struct config *);
void		 store_close(struct store *);
int		 store_schema_version(struct store *);
/*
 * A prepared statement for sql, from this connection's cache; reset and
 * with bindings cleared.  Borrowed: valid until store_close.  Fatal if the
 * SQL does not compile (a programming error).
 */
struct store_stmt *store_stmt(struct store *, const char *sql);
/*
 * A statement of its own (not cached), for SQL built at run time: NULL
 * (logged) when it does not compile.  The caller store_finalize()s it.
 */
struct store_stmt *store_stmt_new(struct store *, const char *sql);
void		 store_finalize(struct store_stmt *);

/* What store_step returns: a row is there, or there are no (more) rows;
 * anything else is an error (store_errmsg tells). */
#define STORE_ROW	100
#define STORE_DONE	101
#define STORE_ERROR	1
/* store_column_type */
#define STORE_INTEGER	1
#define STORE_FLOAT	2
#define STORE_TEXT	3
#define STORE_BLOB	4
#define STORE_NULL	5
/* store_bind_text: the text outlives the statement's step (STATIC), or is
 * copied (TRANSIENT) */
#define STORE_STATIC	0
#define STORE_TRANSIENT	1

/* Parameters count from 1, columns from 0; binds return 0 or -1. */
int		 store_bind_int64(struct store_stmt *, int, int64_t);
int		 store_bind_int(struct store_stmt *, int, int);
int		 store_bind_double(struct store_stmt *, int, double);
int		 store_bind_text(struct store_stmt *, int, const char *, int len,
		    int copy);
int		 store_bind_null(struct store_stmt *, int);
/* Parameter i of to gets column col of from's current row (copied). */
int		 store_bind_column(struct store_stmt *to, int i,
		    struct store_stmt *from, int col);
int		 store_step(struct store_stmt *);
void		 store_reset(struct store_stmt *);
int64_t		 store_column_int64(struct store_stmt *, int);
int		 store_column_int(struct store_stmt *, int);
double		 store_column_double(struct store_stmt *, int);
/* NULL for SQL NULL; valid until the next step or reset. */
const unsigned char *store_column_text(struct store_stmt *, int);
int		 store_column_type(struct store_stmt *, int);
int		 store_column_count(struct store_stmt *);
/* Of the connection's last statement: rows it changed, and the id of the
 * row its INSERT made. */
int64_t		 store_changes(struct store *);
int64_t		 store_last_insert_id(struct store *);
/* The connection's last error, for logs. */
const char	*store_errmsg(struct store *);
/* True while a transaction is open on the connection. */
bool		 store_in_transaction(struct store *);
/*
 * One write that changes no data (the schema version, set to itself),
 * inside the caller's transaction: does the store take a write?  0 or -1.
 * Only on a store at STORE_SCHEMA_VERSION.
 */
int		 store_write_probe(struct store *);
/* Run one or more SQL statements without results; 0 or -1 (logged). */
int		 store_exec(struct store *, const char *sql);
/*
 * Reset every statement of this connection that is still stepping, so
 * that no read snapshot or lock outlives a job or a request.
 */
void		 store_stmt_reset_all(struct store *);
/*
 * Work that must wait until the caller's writes are durable (teaching the
 * classifier a closed case): fn(arg) runs once the transaction that holds
 * them commits, then free_fn(arg) (may be NULL); when they roll back
 * instead, only free_fn(arg).  In a writer job: after the batch's COMMIT,
 * on the writer thread, and never for a job that fails or runs again.
 * Elsewhere: at once when no transaction is open, else at store_exec's
 * COMMIT (dropped at its ROLLBACK or at store_close).
 */
void		 store_after_commit(struct store *, void (*fn)(void *), void *arg,
		    void (*free_fn)(void *));
/* The writer's side of store_after_commit: how many wait, and running or
 * dropping those from the first'th on. */
size_t		 store_after_mark(struct store *);
void		 store_after_run(struct store *);
void		 store_after_drop(struct store *, size_t first);

/*
 * Several nodes on one database (PostgreSQL).  store_lock_key: the
 * caller's transaction waits for, then holds until it ends, the lock
 * named kind:key (a resident's jobs run one at a time across nodes).
 * store_try_lead: 1 when the caller's transaction is the one that holds
 * the lock named what until it ends (one scheduler acts per tick), 0
 * when another node's does.  On SQLite, with its one writer, both hold
 * at once.  -1 on a store error.
 */
int		 store_lock_key(struct store *, const char *kind, const char *key);
/* True when other nodes may share the store (PostgreSQL). */
bool		 store_shared(struct store *);
int		 store_try_lead(struct store *, const char *what);

/* writer.c: group commit */

struct store_writer;

/*
 * A job runs inside the writer's transaction, in its own SAVEPOINT.  It
 * returns 0 to keep its changes or any other value to roll them back; that
 * value is what its submitter gets.  It must not BEGIN/COMMIT itself (a
 * COMMIT from inside a job is turned into a rollback).  If another job of
 * the same batch makes SQLite abandon the whole transaction (SQLITE_FULL,
 * an I/O error), the jobs that had succeeded are run again in a fresh
 * transaction, so fn must (re)initialise whatever it writes into arg.
 */
typedef int	(*store_job_fn)(struct store *st, void *arg);
/* Called on the writer thread once the job's fate is durable (after the
 * COMMIT, or after its rollback); rc is the job's value, or -1 when the
 * commit itself failed. */
typedef void	(*store_done_fn)(void *arg, int rc);

struct store_writer_stats {
	uint64_t	 commits;	/* transactions committed */
	uint64_t	 jobs;		/* jobs run */
	uint64_t	 failed_jobs;	/* jobs rolled back to their savepoint */
	uint64_t	 queue_depth;	/* jobs waiting now */
	uint64_t	 max_batch;	/* most jobs in one commit */
};

/* Takes ownership of st; starts the writer thread. */
struct store_writer *store_writer_start(struct store *st, size_t max_batch);
/* Submit and wait for the commit; returns the job's rc (or -1). */
int		 store_writer_submit(struct store_writer *, store_job_fn fn, void *arg);
/* Submit without waiting; done(done_arg, rc) is called on the writer
 * thread after the commit.  Returns -1 (and never calls done) once the
 * writer is stopping. */
int		 store_writer_submit_async(struct store_writer *, store_job_fn fn,
		    void *arg, store_done_fn done, void *done_arg);
void		 store_writer_stats(struct store_writer *, struct store_writer_stats *);
/*
 * True while the writer cannot write: its last transaction failed (BEGIN,
 * COMMIT, or SQLite abandoned it: disk full, I/O error, a lock held past
 * the busy timeout); false again once one commits.  The reason goes into
 * why (may be NULL).
 */
bool		 store_writer_failing(struct store_writer *, char *why, size_t whysz);
/* Queue one store_write_probe, unless one is queued already, so that
 * store_writer_failing learns whether the store writes again. */
void		 store_writer_probe(struct store_writer *);
/* True once store_writer_stop has begun (new submissions get -1). */
bool		 store_writer_stopping(struct store_writer *);
/* Run every job already queued, commit, stop the thread, close the store. */
void		 store_writer_stop(struct store_writer *);

/* copy.c: a whole store into an empty one (minyi store copy) */

/*
 * Copy every table of from (read in one snapshot) into to, in one
 * transaction of to's: ids and case numbers as they are, to's search
 * index and sequences made to follow.  Then each table is read back
 * from to and its row count and SHA-256 (store/copy.c says over what)
 * must be from's, or nothing is kept.  Refused: a store not at
 * STORE_SCHEMA_VERSION, the same store twice, a target holding any row.
 * fn(arg, table, rows, sha256 hex) per table once committed.  0, or -1
 * with the reason in err.
 */
int		 store_copy(struct store *from, struct store *to,
		    void (*fn)(void *, const char *table, int64_t rows,
		    const char *sha256), void *arg, char *err, size_t errsz);

/* query.c: the admin API's and the reports' reads */

/* The columns of a case row, in this order (store_case_get, store_case_list). */
enum store_case_col {
	SCC_ID, SCC_NUMBER, SCC_STATUS, SCC_CHANNEL, SCC_CITIZEN, SCC_GRID,
	SCC_TOWNSHIP, SCC_CATEGORY, SCC_TIER, SCC_DESCRIPTION, SCC_PLACE,
	SCC_DEPUTY, SCC_DEPARTMENT, SCC_DUE_AT, SCC_CREATED_AT, SCC_UPDATED_AT,
	SCC_RATING, SCC_RATING_COMMENT, SCC_FLAGS, SCC_MEDIA, SCC_LANGUAGE,
	SCC_FILED_BY, SCC_ASSIST, SCC_INSTRUCTION, SCC_SOURCE
};

#define STORE_STATUS_MAX 9	/* the workflow's statuses */

struct store_scope;

/* What GET /api/cases asks for; every string borrowed, NULL = any. */
struct store_case_filter {
	const char	*status[STORE_STATUS_MAX];	/* any of nstatus */
	size_t		 nstatus;
	const char	*grid;
	const char	*township;
	const char	*category;
	const char	*department;
	const char	*channel;
	const char	*deputy;
	const char	*citizen;
	const char	*source;	/* a walk-in's: "station" or "phone" */
	const char	*q;		/* in the description or the place */
	int		 overdue;	/* 1 overdue only, 0 not overdue, -1 any */
	int		 triage;	/* the same for the triage flag */
	int		 tier;		/* 1..3, 0 any */
	bool		 has_since;
	int64_t		 since;		/* created at or after */
	int64_t		 limit;
	int64_t		 offset;
	const struct store_scope *scope; /* the account's cases only; NULL = all */
};

/*
 * Index the cases queued for text search and empty the queue, in the open
 * transaction (store/query.c; the writer, once a batch): 0 or -1.
 */
int		 store_fts_flush(struct store *);

/*
 * A text search's total, with other filters or a scope, counts those of
 * the newest STORE_SEARCH_SCAN matches that pass them; the count's second
 * column is how many cases match the text at all, so a total is exact
 * when that is no more than STORE_SEARCH_SCAN (else it is at least).
 */
#define STORE_SEARCH_SCAN	10000
/* The list's SQL text (count: its "SELECT count(*)"); caller frees. */
char		*store_case_list_sql(const struct store_case_filter *, bool count);
/*
 * The list (newest first, a page of CASE columns) or, with count, its one
 * row: how many match.  A new statement, bound: the caller steps it and
 * store_finalize()s it.  NULL (logged) when it cannot be prepared.
 */
struct store_stmt *store_case_list(struct store *, const struct store_case_filter *,
		    bool count);
/* Cached statements, bound, borrowed (step, then reset): */
struct store_stmt *store_case_get(struct store *, int64_t number);	/* the case columns */
struct store_stmt *store_case_events(struct store *, int64_t case_id);
		/* at, actor, kind, from_status, to_status, detail; in order */
struct store_stmt *store_report_deputy(struct store *, const char *deputy,
		    int64_t from, int64_t to);
		/* per case: accept delay (s) or NULL, resolved, rating, overdue */
struct store_stmt *store_report_departments(struct store *, int64_t from, int64_t to);
		/* department, dispatched, resolved, on time, mean rating or NULL */
struct store_stmt *store_report_hotspots(struct store *, int64_t from, int64_t to,
		    int64_t before);
		/* category, grid, requests in [from, to), in [before, from) */
struct store_stmt *store_outbox_list(struct store *, const char *channel,
		    const char *address, int64_t after, int limit);
		/* id, address, body, created_at; address NULL = anyone's */

/* console.c: the workbench's accounts, sessions, scopes and figures */

struct buf;

/* One account row (accounts table). */
struct store_account {
	char		 hash[256];	/* crypto_pwhash_str text */
	int		 failures;	/* failed logins since failed_at */
	int64_t		 failed_at;	/* 0 = none */
	int64_t		 locked_until;	/* 0 = not locked */
};

/* Set id's password hash (new or replaced), clear its failures and lock,
 * and end its sessions.  Writer job context.  0 or -1. */
int	 store_account_set(struct store *, const char *id, const char *hash, int64_t now);
/* 1 and *out filled when id has an account, 0 when not, -1 on error. */
int	 store_account_get(struct store *, const char *id, struct store_account *out);
/*
 * Count a failed login for id: failures older than window seconds start a
 * new count; the max-th failure in a window locks the account until
 * now + lock seconds.  *locked (may be NULL) tells whether it is now
 * locked.  0 or -1.
 */
int	 store_account_failed(struct store *, const char *id, int64_t now,
	    int window, int max, int lock, bool *locked);
/* A successful login: the failure count starts again.  0 or -1. */
int	 store_account_ok(struct store *, const char *id);

/* One session row (sessions table); token_hash is its key. */
struct store_session {
	char		 account[128];	/* accounts.id */
	char		 csrf[80];	/* hex */
	int64_t		 seen_at;
};
int	 store_session_add(struct store *, const char *token_hash, const char *account,
	    const char *csrf, int64_t now);
/* 1 and *out filled, 0 when no such session, -1 on error. */
int	 store_session_get(struct store *, const char *token_hash, struct store_session *out);
int	 store_session_touch(struct store *, const char *token_hash, int64_t now);
int	 store_session_delete(struct store *, const char *token_hash);
/* Delete every session last seen before `before`.  0 or -1. */
int	 store_session_expire(struct store *, int64_t before);

/*
 * Which cases an account may see.  all: every case (county).  Otherwise a
 * case is in scope when any of the set fields matches it: its township,
 * its grid among grids (a JSON array of ids), its deputy, its department
 * once dispatched to it.
 */
#define STORE_SUPERVISED_MAX	240	/* bytes of store_scope.supervised */
struct store_scope {
	bool		 all;
	const char	*township;	/* borrowed, or NULL */
	const char	*grids;		/* borrowed JSON array text, or NULL */
	const char	*deputy;	/* borrowed, or NULL */
	const char	*department;	/* borrowed, or NULL */
	const char	*supervised;	/* borrowed: the numbers of the adopted
					 * 民生实事 projects the deputy supervises,
					 * "17,23" (store_console_supervised), or NULL */
};
/*
 * Append the scope's condition over table cases as " AND (...)" to sql
 * (nothing for all), with parameters ?40 to ?43; store_scope_bind binds
 * them on the statement made from it.
 */
void	 store_scope_sql(struct buf *sql, const struct store_scope *);
/*
 * The case numbers deputy supervises (票决), as "17,23" into out (empty
 * when none; at most as many as fit); 0, or -1 on a store error.
 */
int	 store_console_supervised(struct store *, const char *deputy, char *out,
	    size_t outsz);
void	 store_scope_bind(struct store_stmt *, const struct store_scope *);
/*
 * A count (or sums) over the cases of where in the scope, as one SELECT
 * per part of the scope added up (no OR, so that indexes serve each):
 * inner names the columns of each part's SELECT (aliased), outer adds
 * them up.  store_scope_bind binds the scope's parameters.
 */
void	 store_scope_count_sql(struct buf *sql, const struct store_scope *,
	    const char *outer, const char *inner, const char *where, bool every_status);
/* The parts themselves: SELECT cols ... UNION ALL SELECT cols ...; each
 * (or NULL) ends each part's SELECT, in a subquery of its own. */
void	 store_scope_parts_sql(struct buf *sql, const struct store_scope *,
	    const char *cols, const char *where, bool every_status, const char *each);
/* 1 when case number exists and is in scope (for a department, also a
 * case it assists), 0 when it exists outside it,
 * -2 when there is no such case, -1 on error.  *case_id gets its id. */
int	 store_scope_case(struct store *, const struct store_scope *, long number,
	    int64_t *case_id);

/* The workbench's counts of cases that need someone (工作台). */
struct store_todo {
	long		 new_today;	/* created since since */
	long		 to_accept;	/* received or reopened, not triage */
	long		 triage;	/* triage, still open */
	long		 overdue;	/* overdue, still open */
	long		 to_rate;	/* resolved: the resident's rating awaited */
};
int	 store_console_todo(struct store *, const struct store_scope *, int64_t since,
	    struct store_todo *out);
/*
 * Cases created from `since` by local day (offset: seconds east of UTC),
 * category and township: fn(arg, day, category, township, n) per group,
 * day as days since the epoch; category and township may be NULL.  0 or -1.
 */
/* Its SQL (the day with offset ?2, cases from ?1, the scope's terms). */
void	 store_console_series_sql(struct buf *, const struct store_scope *);
int	 store_console_series(struct store *, const struct store_scope *, int64_t since,
	    int offset, void (*fn)(void *, long, const char *, const char *, long),
	    void *arg);
/*
 * Every message of case_id with the resident and the others it concerned,
 * in and out, in time order: fn(arg, dir "in"/"out", at, address, body,
 * status (NULL for "in"), channel).  0 or -1.
 */
int	 store_case_messages(struct store *, int64_t case_id,
	    void (*fn)(void *, const char *dir, int64_t at, const char *address,
	    const char *body, const char *status, const char *channel), void *arg);

/* store/query.c: statements the gateway prepares with store_stmt() */
extern const char SQL_CASES_LEARN[];
extern const char SQL_OPEN_GROUP[];
extern const char SQL_MSG_SAME[];
extern const char SQL_SCHED_DUE[];

/*
 * Fragments of the case queries (macros, so that the queries holding them
 * stay literals): an adopted 民生实事 project's supervising deputies, as
 * a column of a row of cases (ids ","-joined, or NULL), and the numbers of
 * the cases deputy ?1 supervises.
 */
#define SQL_CASE_SUPERVISORS_COL \
    "(SELECT group_concat(s.value, ',') FROM vote_projects p," \
    " json_each(p.supervisors) s WHERE p.case_number = cases.number)"
#define SQL_CASES_SUPERVISED_BY_P(param) \
    "(SELECT p.case_number FROM vote_projects p, json_each(p.supervisors) s" \
    " WHERE s.value = " param " AND p.case_number IS NOT NULL)"
#define SQL_CASES_SUPERVISED_BY SQL_CASES_SUPERVISED_BY_P("?1")

/*
 * store/cases.c: the case workflow of the staff and the scheduler
 * (gateway/staff.c).  A case as the staff dialog sees it: these columns,
 * in this order (gateway/staff.c view_row reads them by position).
 */
#define STORE_VIEW_COLUMNS \
    "id, number, status, channel, citizen, grid, township, category, tier," \
    " description, place, deputy, department, language, flags," \
    " coalesce(rating, 0), created_at, coalesce(assigned_at, 0)," \
    " coalesce(accepted_at, 0), coalesce(dispatched_at, 0), coalesce(due_at, 0)," \
    " coalesce(resolved_at, 0), coalesce(closed_at, 0), coalesce(reminded_at, 0)," \
    " coalesce(escalated_at, 0), reply_channel, reply_address, assist, instruction," \
    " " SQL_CASE_SUPERVISORS_COL
extern const char SQL_VIEW_CASE[];
extern const char SQL_VIEW_EVENTS[];
extern const char SQL_VIEW_MINE[];
extern const char SQL_VIEW_DEPARTMENT[];
extern const char SQL_RATING_INSERT[];
extern const char SQL_CASE_RESCHEDULE[];
extern const char SQL_SCHED_LOOK[];
/*
 * The update of a case a step makes: updated_at = ?1, number = ?2, flags
 * set ?3 and cleared ?19, and the columns of mask: tier ?20, assist ?21,
 * instruction ?22, status ?4, deputy ?5, department ?6, grid ?7, township
 * ?8, rating ?9 and its comment ?10, assigned_at ?11 ... escalated_at ?18
 * in the order below.  Cached, borrowed (bind, step, reset); NULL when
 * it cannot be prepared.
 */
enum {
	SCU_TIER = 1u << 0,
	SCU_ASSIST = 1u << 1,
	SCU_INSTRUCTION = 1u << 2,
	SCU_STATUS = 1u << 3,
	SCU_DEPUTY = 1u << 4,
	SCU_DEPARTMENT = 1u << 5,
	SCU_GRID = 1u << 6,
	SCU_TOWNSHIP = 1u << 7,
	SCU_RATING = 1u << 8,
	SCU_ASSIGNED_AT = 1u << 9,
	SCU_ACCEPTED_AT = 1u << 10,
	SCU_DISPATCHED_AT = 1u << 11,
	SCU_DUE_AT = 1u << 12,
	SCU_RESOLVED_AT = 1u << 13,
	SCU_CLOSED_AT = 1u << 14,
	SCU_REMINDED_AT = 1u << 15,
	SCU_ESCALATED_AT = 1u << 16,
};
struct store_stmt *store_case_update(struct store *, unsigned mask);

/* store/intake.c: a message's way in (gateway/inbound.c, gateway/conv.c) */
extern const char SQL_MSG_INSERT[];
extern const char SQL_MSG_RECENT[];
extern const char SQL_RESIDENT_UPSERT[];
extern const char SQL_RESIDENT_GET[];
extern const char SQL_RESIDENT_OPT[];
extern const char SQL_RESIDENT_LANG[];
extern const char SQL_CONV_GET[];
extern const char SQL_CONV_PUT[];
extern const char SQL_CONV_DEL[];
extern const char SQL_CASE_GRID[];
extern const char SQL_CASES_TODAY[];
extern const char SQL_CASES_OF[];
extern const char SQL_CASE_NEXT[];
extern const char SQL_CASE_TAKE[];
extern const char SQL_CASE_TAKE_AFTER[];
extern const char SQL_CASE_INSERT[];
extern const char SQL_CASE_CANCEL[];
extern const char SQL_CASE_ID[];
extern const char SQL_CASE_RECATEGORIZE[];
extern const char SQL_CASE_CATEGORY[];
extern const char SQL_MSG_CASE[];
extern const char SQL_EVENT_INSERT[];
/* store/outbox.c: the outbox and receipts (gateway/conv.c, sender.c, inbound.c, staff.c) */
extern const char SQL_OUTBOX_INSERT[];
extern const char SQL_OUTBOX_LAST_ID[];
extern const char SQL_OUTBOX_WITHDRAW[];
extern const char SQL_SENDER_SENDING[];
extern const char SQL_SENDER_ORPHANS[];
extern const char SQL_SENDER_HELD_FREE[];
extern const char SQL_SENDER_DUE[];
extern const char SQL_SENDER_UNHOLD[];
extern const char SQL_SENDER_ADOPT[];
extern const char SQL_NODE_FORGET[];
extern const char SQL_NODE_BEAT[];
/*
 * A rate every node shares, under key ("rate:CHANNEL", "robot:URL"): the
 * sends marked since since_ms (ms since the epoch), older marks dropped,
 * and the key held (other nodes' claims wait) until the transaction
 * ends; -1 on error.  store_rate_mark counts one send at at_ms.
 */
int64_t		 store_rate_used(struct store *, const char *key, int64_t since_ms);
int		 store_rate_mark(struct store *, const char *key, int64_t at_ms);
extern const char SQL_SENDER_RESET_ONE[];
extern const char SQL_SENDER_KNOWN[];
extern const char SQL_SENDER_UNSENT[];
extern const char SQL_SENDER_ID_TAKEN[];
extern const char SQL_SENDER_CLAIMABLE[];
extern const char SQL_SENDER_LOCAL_DUE[];
extern const char SQL_SENDER_LOCAL_DELIVER[];
extern const char SQL_SENDER_CLAIM[];
extern const char SQL_SENDER_SENT[];
extern const char SQL_SENDER_EARLY_RECEIPT[];
extern const char SQL_SENDER_EARLY_APPLY[];
extern const char SQL_SENDER_EARLY_DELETE[];
extern const char SQL_SENDER_RETRY[];
extern const char SQL_SENDER_FINAL[];
extern const char SQL_SENDER_ROW[];
extern const char SQL_SENDER_OPTED_OUT[];
extern const char SQL_RECEIPT_UPDATE[];
extern const char SQL_RECEIPT_KNOWN[];
extern const char SQL_RECEIPT_KEEP[];

/* evaluation.c: the statements over schema v8 (民主评议, 票决, duties);
 * prepare with store_stmt() */
extern const char SQL_EVALUATORS_CLEAR[];
extern const char SQL_EVALUATORS_INSERT[];
extern const char SQL_EVALUATORS_COUNTS[];
extern const char SQL_EVALUATORS_OF[];
extern const char SQL_ROUND_INSERT[];
extern const char SQL_ROUND_GET[];
extern const char SQL_ROUND_DRAWN[];
extern const char SQL_ROUND_OPENED[];
extern const char SQL_ROUND_REMINDED[];
extern const char SQL_ROUND_CLOSED[];
extern const char SQL_ROUND_BALLOT[];
extern const char SQL_ROUNDS_DUE[];
extern const char SQL_PREV_CRITICISED[];
extern const char SQL_DRAWN_INSERT[];
extern const char SQL_DRAWN_LIST[];
extern const char SQL_DRAWN_BY_PHONE[];
extern const char SQL_DRAWN_SAVE[];
extern const char SQL_DRAWN_COUNTED[];
extern const char SQL_DRAWN_TO_ASK[];
extern const char SQL_DRAWN_DROP_PARTIAL[];
extern const char SQL_TALLY_ADD[];
extern const char SQL_TALLY_UNIT[];
extern const char SQL_TALLY_DIM[];
extern const char SQL_UNIT_DAILY[];
extern const char SQL_OVERRIDE_INSERT[];
extern const char SQL_OVERRIDE_GET[];
extern const char SQL_RESULT_PUT[];
extern const char SQL_ITEM_INSERT[];
extern const char SQL_ITEM_CLOSE[];
extern const char SQL_ITEMS_LIST[];
extern const char SQL_ITEMS_DUE[];
extern const char SQL_ITEM_CHASED[];
extern const char SQL_VOTE_INSERT[];
extern const char SQL_VOTE_PROJECT_INSERT[];
extern const char SQL_VOTE_VOTER_INSERT[];
extern const char SQL_VOTE_GET[];
extern const char SQL_VOTE_LIST[];
extern const char SQL_VOTE_PROJECTS[];
extern const char SQL_VOTES_DUE[];
extern const char SQL_VOTE_OPENED[];
extern const char SQL_VOTE_VOTERS[];
extern const char SQL_VOTER_BY_PHONE[];
extern const char SQL_VOTER_SAVE[];
extern const char SQL_VOTER_COUNTED[];
extern const char SQL_VOTE_TURNOUT[];
extern const char SQL_VOTE_COUNT[];
extern const char SQL_DUTY_INSERT[];
extern const char SQL_DUTY_SUMS[];
extern const char SQL_DUTY_REPORT_MONTHS[];
extern const char SQL_DEPUTY_CASES[];
extern const char SQL_MESSAGE_SCRUB[];
extern const char SQL_OUTBOX_QUEUE[];
extern const char SQL_CASE_TRACKED[];
extern const char SQL_CASE_NUMBER_OF[];
extern const char SQL_VOTE_PROJECT_TRACK[];
extern const char SQL_DUTY_CASE[];
extern const char SQL_DUTY_LIST[];
extern const char SQL_DUTY_GET[];
extern const char SQL_DUTY_STATUS[];
extern const char SQL_RESIDENT_OPTED_OUT[];
/* 三张清单: the problem (问题), assignment (交办) and completion (办结) lists. */
enum store_list { STORE_LIST_PROBLEMS, STORE_LIST_ASSIGNMENTS, STORE_LIST_COMPLETIONS };
/* One case on a list; strings borrowed for the call, NULL when empty. */
struct store_list_row {
	int64_t		 number;
	int64_t		 at;		/* created, dispatched or resolved */
	const char	*grid;
	const char	*place;
	const char	*category;
	const char	*description;
	const char	*status;
	const char	*deputy;
	const char	*department;
	int64_t		 due_at;	/* 0 = none */
	const char	*result;	/* completions: the 办结 text */
	int		 rating;	/* 1..5, 0 = not rated */
	const char	*rating_comment;
	const char	*instruction;	/* what the 交办 asks to be done */
};
/*
 * The cases on list which in [from, to), in township (NULL = any) and the
 * scope, oldest first, the first limit of them (0: all): fn(arg, row) for
 * each.  0 or -1.
 */
int	 store_console_list(struct store *, enum store_list which,
	    const struct store_scope *, const char *township, int64_t from, int64_t to,
	    long limit, void (*fn)(void *, const struct store_list_row *), void *arg);
/* How many cases are on that list: *total.  0 or -1. */
int	 store_console_list_count(struct store *, enum store_list which,
	    const struct store_scope *, const char *township, int64_t from, int64_t to,
	    long *total);

/* 代表: deputy's open cases, and those received in [from, to).  0 or -1. */
int	 store_console_deputy_counts(struct store *, const char *deputy, int64_t from,
	    int64_t to, long *open, long *received);
/* fn(arg, deputy, n): the cases each deputy resolved in [from, to). */
int	 store_console_resolved_by_deputy(struct store *, int64_t from, int64_t to,
	    void (*fn)(void *, const char *, long), void *arg);
/* fn(arg, grid, n): each grid's open cases. */
int	 store_console_open_by_grid(struct store *, void (*fn)(void *, const char *, long),
	    void *arg);
/* fn(arg, deputy, n): each deputy's station days (进站 records) in [from, to),
 * counted as `minyi report deputies` counts them. */
int	 store_console_station_days(struct store *, int64_t from, int64_t to,
	    void (*fn)(void *, const char *, long), void *arg);

#endif /* MINYI_STORE_H */
