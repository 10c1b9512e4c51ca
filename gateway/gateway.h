/*
 * gateway/gateway.h: the imperative shell on top of everything.  The CLI
 * (main.c), the libmicrohttpd server and its route table (http.c), the
 * Prometheus metrics (metrics.c), and the jobs that carry inbound messages
 * through the store and the dialogs in one transaction (inbound.c).
 *
 * May include: everything below it (lib/, config/, store/, dialogs/,
 * adapters/).  Nothing includes gateway/.
 */
#ifndef MINYI_GATEWAY_H
#define MINYI_GATEWAY_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "../lib/lib.h"
#include "../config/config.h"
#include "../store/store.h"
#include "../adapters/adapter.h"

struct req;			/* one HTTP request, private to http.c */
struct text_index;
struct dialog_msg;

/* A small pool of read-only connections for the admin API and listings. */
struct reader_pool {
	pthread_mutex_t	  mtx;
	pthread_cond_t	  cv;
	struct store	**free;		/* idle connections */
	size_t		  nfree;
	size_t		  n;		/* connections in all */
	struct store	**all;
};

/*
 * One generation of the running config, and through root what every
 * generation shares.  serve makes generation 1 (the root) at start; each
 * SIGHUP that loads a sound config makes the next one whole (its config,
 * text index and channels, secrets read again) and publishes it with one
 * atomic store of root->current.  A generation is never changed once
 * published, and none is freed before exit (older chains them), so a unit
 * of work takes gateway_current() once at its start (an HTTP request, a
 * sender round, a scheduler tick) and uses that one throughout, on the
 * writer thread too: the jobs it queues carry it.  The cost of keeping
 * them is one config and its index a reload (about 90 kB for the example
 * config), until exit; the classifier is shared with the generation before
 * unless the categories changed (main.c, publish_job).
 */
struct gateway {
	/* This generation's, owned: */
	struct config		*cfg;
	struct channel		*channels;	/* one per cfg->channels[i] */
	size_t			 nchannels;
	struct text_index	*tix;		/* over cfg */
	char			*admin_token;	/* from the environment */
	unsigned		 generation;	/* 1 at start, then one more a reload */
	struct gateway		*older;		/* the one this replaced (owned), or NULL */
	struct gateway		*root;		/* generation 1, holding what all share */
	struct store_writer	*writer;	/* the root's, copied */

	/* Shared by every generation: read them through root. */
	_Atomic(struct gateway *) current;	/* the newest published generation */
	struct reader_pool	 readers;
	struct MHD_Daemon	*httpd;
	uint16_t		 port;		/* the port actually bound */
	char			 node_id[128];	/* server.node_id, or host:listen */
	char			*tls_cert;	/* PEM, from malloc(), while serving HTTPS */
	char			*tls_key;	/* PEM, from malloc() */
	atomic_bool		 draining;	/* SIGTERM seen: answer 503 */
	atomic_int		 inflight;	/* requests begun and not completed */
	struct relearn		*relearn;	/* the writer's: cases closed while a
						 * reload's classifier learns, or NULL */
};

/* Cases closed (category id, description) while a reload's new classifier
 * learns from a reader: taught to it too when it is published. */
struct relearn {
	char	**category;	/* each from malloc() */
	char	**description;	/* each from malloc() */
	size_t	  n;
	size_t	  cap;
};

/* The newest generation of gw's root: borrowed, valid until exit. */
static inline struct gateway *
gateway_current(struct gateway *gw)
{
	return atomic_load_explicit(&gw->root->current, memory_order_acquire);
}

/* http.c */
int	 gateway_http_start(struct gateway *);
void	 gateway_http_quiesce(struct gateway *);	/* stop accepting */
int	 gateway_http_abandon(struct gateway *);	/* 503 to webhooks still waiting */
void	 gateway_http_stop(struct gateway *);

/* Accessors for route handlers outside http.c; borrowed results. */
const char	*http_req_arg(struct req *, const char *name);
const char	*http_req_header(struct req *, const char *name);
/*
 * The first query argument whose name is not among names (NULL-terminated,
 * at most 32), is given twice, or has no value ("?a"), with *why saying
 * which ("unknown", "given twice", "given without a value"); NULL when
 * each is known and given once.  Borrowed until the request ends.
 */
const char	*http_req_arg_unknown(struct req *, const char *const *names,
		    const char **why);
enum MHD_Result	 http_req_error(struct req *, unsigned status, const char *reason);
/* Answer with the JSON value (borrowed). */
enum MHD_Result	 http_json(struct req *, unsigned status, json_t *);
const char	*http_req_cookie(struct req *, const char *name);
/* The body parsed as a form (libmicrohttpd's POST processor): borrowed,
 * valid until the request ends; NULL when it is not a form. */
json_t		*http_req_form(struct req *);
/* The body as it came (borrowed) and its length. */
const char	*http_req_body(struct req *, size_t *len);
/* Queue resp (consumed) with the request's id and count it. */
enum MHD_Result	 http_req_respond(struct req *, unsigned status, struct MHD_Response *);
uint64_t	 http_req_id(struct req *);

/* api.c: admin API and the sim channel's outbox listing */
enum MHD_Result	 api_cases(struct req *, struct gateway *);
enum MHD_Result	 api_case(struct req *, struct gateway *, const char *number);
/* Case number n as GET /api/cases/{n} shows it, without the timeline:
 * a new object, or NULL when there is none or on a store error. */
json_t		*api_case_object(struct gateway *, long n);
enum MHD_Result	 api_sim_outbox(struct req *, struct gateway *, struct channel *);

/* metrics.c */
enum route_id {
	ROUTE_HEALTHZ,
	ROUTE_METRICS,
	ROUTE_WEBHOOK,
	ROUTE_WEBHOOK_STATUS,
	ROUTE_SIM_OUTBOX,
	ROUTE_API_CASES,
	ROUTE_API_CASE,
	ROUTE_CONSOLE,
	ROUTE_OTHER,
	ROUTE_COUNT
};
const char *metrics_route_name(enum route_id);
void	 metrics_count_request(enum route_id, unsigned status);
void	 metrics_observe_ms(enum route_id, double ms);
/* Prometheus text of every counter; caller frees. */
char	*metrics_render(struct gateway *);

/* readers.c */
int	 reader_pool_open(struct reader_pool *, const struct config *, size_t n);
struct store *reader_pool_get(struct reader_pool *);
/* An idle connection, or NULL at once when none is (never waits). */
struct store *reader_pool_tryget(struct reader_pool *);
void	 reader_pool_put(struct reader_pool *, struct store *);
void	 reader_pool_close(struct reader_pool *);

/* inbound.c */
/*
 * The writer job for one webhook's batch: every message deduplicated and
 * stored, dialogs stepped, effects applied; receipts applied.  Runs on the
 * writer thread.  arg is a struct inbound_job.
 */
struct inbound_job {
	uint64_t		 reqid;		/* the request's id: leads its log lines */
	struct gateway		*gw;
	struct channel		*ch;
	struct inbound_batch	*batch;		/* borrowed */
	struct inbound_ready	*ready;		/* per message, or NULL: see
						 * gateway_inbound_prepare */
	int64_t			 now;
	bool			 limited;	/* sender over its limit: store nothing */
	bool			 tell_limited;	/* ...but queue the polite reply */
	unsigned		 stored;	/* out: messages new to the store */
	unsigned		 duplicates;	/* out: already seen */
	unsigned		 conflicts;	/* out: a hotline call_id seen before
						 * with another caller or text
						 * (not stored; the webhook is 409) */
};
int	 gateway_inbound_job(struct store *, void *arg);
/* What a message's store and dialog step need that its text and fields
 * alone decide, made before the job reaches the writer. */
struct inbound_ready {
	struct dialog_msg	*dm;		/* dialog_parse() of the text */
	char			*media;		/* JSON text, or NULL */
	char			*params;	/* JSON text, or NULL */
	char			 hash[65];	/* hex SHA-256 of the text */
};
/* Ready each message of the job's batch now, on the calling thread, not
 * the writer's; gateway_inbound_clear frees it all. */
void	 gateway_inbound_prepare(struct inbound_job *);
void	 gateway_inbound_clear(struct inbound_job *);

/* inbound.c */
int	 gateway_receipt_apply(struct store *, const struct channel *,
	    const struct receipt *, int64_t now);

/* conv.c: the conversation shell, run inside the writer's transaction */
/* dm: dialog_parse() of m's text, or NULL to read it here.  reqid leads
 * the log lines about m (the webhook's request id). */
/*
 * Teach ix's classifier the final category of the county's closed cases
 * (the newest LEARN_CASES_MAX): their words then count for that category.
 * Before the index is shared.  Returns how many, -1 on a store error.
 */
#define LEARN_CASES_MAX	20000
int	 gateway_learn_cases(struct store *, const struct config *, struct text_index *);
/* One case closed (in the writer, the only thread that classifies): once
 * the transaction that closes it commits (store_after_commit), its final
 * category (id, or NULL) and description teach the classifier of the
 * newest generation of gw's root, and go in root->relearn if any. */
void	 gateway_learn_case(struct store *, struct gateway *, const char *category,
	    const char *description);
int	 gateway_conv_handle(struct store *, struct gateway *, struct channel *,
	    const struct inbound *, const struct dialog_msg *dm, int64_t msg_rowid,
	    uint64_t reqid, int64_t now);
/* Queue template key to the sender of m, where replies to m go. */
int	 gateway_conv_notice(struct store *, struct gateway *, struct channel *,
	    const struct inbound *, const char *key, int64_t now);
/*
 * 代办: a case for resident (E.164) from request text, filed by filed_by
 * ("observer:o-qian"), made by the resident dialog as a whole request over
 * the SMS channel that reaches new numbers (adapter_sms_channel); the
 * resident gets the receipt there and every update after, the filer a
 * copy of the receipt at copy_chan/copy_addr (in lang when nothing was
 * made).  grid_hint: the place when the text names none, or -1; given
 * (may be NULL): the grid and category staff chose, over the text.  *made
 * (when made is not NULL): the new case's number, 0 when none was made.
 * 0 or -1 on a store error.
 */
struct gateway_given;
int	 gateway_conv_onbehalf(struct store *, struct gateway *, const char *filed_by,
	    const char *resident, const char *text, int grid_hint,
	    const struct gateway_given *given, const char *lang,
	    const char *copy_chan, const char *copy_addr, long *made, uint64_t reqid,
	    int64_t now);
int	 gateway_case_event(struct store *, int64_t case_id, int64_t now,
	    const char *actor, const char *kind, const char *from_status,
	    const char *to_status, const char *detail);
/* Queue a message in the outbox, to leave at `at` (>= now; later when it
 * waits out quiet hours).  Sim channels deliver due ones at once. */
int	 gateway_outbox_add(struct store *, struct gateway *, const char *channel,
	    const char *address, const char *body, int64_t case_id,
	    const char *kind, bool urgent, int64_t at, int64_t now);
struct channel *gateway_channel(struct gateway *, const char *id);
int	 gateway_staff_target(struct gateway *, const char *notify, const char *phone,
	    const char *case_channel, const char *grid_id, const char **chan, char **addr);
/*
 * text as it may go over channel chan: unchanged (a copy) to a phone, but
 * with the resident's number e164 (also written without +86) masked in a
 * message to a group, which others read.  A new string.
 */
char	*gateway_text_for(struct gateway *, const char *chan, const char *text,
	    const char *e164);

/* staff.c: staff commands, ratings and the scheduler's tick, applied */
struct staff_result;
int	 gateway_staff_handle(struct store *, struct gateway *, const char *phone,
	    const char *text, const char *reply_chan, const char *reply_addr,
	    uint64_t reqid, int64_t now);
/* A walk-in's grid and category as staff chose them (borrowed from the
 * config, NULL each when not given), and where it was heard. */
struct gateway_given {
	const struct grid	*grid;
	const struct category	*category;
	const char		*source;	/* "station", "phone": in the
						 * created event, or NULL */
};
/* The same as an SMS command, from the API: the command parsed already,
 * by a deputy, department or staff member; the sender's answer in *reply;
 * a 代办 (walk-in) made case *made (0 when none; made may be NULL). */
struct staff_cmd;
int	 gateway_staff_command(struct store *, struct gateway *, const struct deputy *,
	    const struct department *, const struct staff_member *,
	    const struct staff_cmd *, const struct gateway_given *, char **reply,
	    long *made, uint64_t reqid, int64_t now);
int	 gateway_rating_handle(struct store *, struct gateway *, long number,
	    const char *text, uint64_t reqid, int64_t now);
int	 gateway_staff_apply(struct store *, struct gateway *, const struct staff_result *,
	    const char *reply_chan, const char *reply_addr, int64_t now);
int	 gateway_case_reschedule(struct store *, struct gateway *, long number);
int	 gateway_schedule_tick(struct store *, struct gateway *, int64_t now, int limit);
int	 gateway_utc_offset(const struct config *, int64_t t);

/* scheduler.c: the timer thread that runs the tick (督办) */
int	 gateway_scheduler_start(struct gateway *);
void	 gateway_scheduler_stop(void);

/* sender.c: delivers the outbox over the channels' providers */
int	 gateway_sender_start(struct gateway *);
void	 gateway_sender_wake(void);
void	 gateway_sender_stop(void);

/* limits.c: per-sender inbound limit */
enum limit_verdict {
	LIMIT_OK,		/* within limits.per_sender_per_minute */
	LIMIT_OVER_TELL,	/* over: 429, and tell the sender once */
	LIMIT_OVER		/* over, already told this minute: 429 only */
};
enum limit_verdict gateway_limit_check(const char *who, int per_minute, int64_t now);

/* report.c */
int	 gateway_report(int argc, char **argv);
/*
 * The rows of report kind ("deputies", "departments", "hotspots") over the
 * cases created in [from, to), as `minyi report --format json` prints
 * them: a new array of objects (the workbench's 报表 reads the same), or
 * NULL for an unknown kind.
 */
json_t	*gateway_report_rows(const struct config *, struct store *, const char *kind,
	    int64_t from, int64_t to);

/* import.c */
int	 gateway_import_hotline(int argc, char **argv);
/* copy.c: `minyi store copy --from CONFIG_A --to CONFIG_B` */
int	 gateway_store(int argc, char **argv);

/* evaluation.c: 民主评议, 票决, deputies' duties (README 民主评议) */
/* CLI: argv[0] is "evaluators", "evaluation", "vote" or "duty". */
int	 gateway_evaluation(int argc, char **argv);
/* report deputies --month YYYY-MM | --year YYYY [--publish TOWNSHIP]
 * [--format F] --config F (argv after "report deputies"). */
int	 gateway_assess_report(int argc, char **argv);
/* An evaluator's or deputy's SMS, inside the writer's transaction: 1
 * handled, 0 not ours (the caller goes on), -1 a store error. */
int	 gateway_eval_handle(struct store *, struct gateway *, struct channel *,
	    const struct inbound *, int64_t msg_rowid, uint64_t reqid, int64_t now);
/* The timer's part (questions at opens, reminder, close, 票决, overdue
 * rectification): reads ro first, submits a job when due; things done. */
int	 gateway_eval_schedule(struct gateway *, struct store *ro, int64_t now);
/* A round's results, computed now (nothing written): a new object
 * {"round", "name", "year", "ballots", "opened", "closed", "units": [...]}
 * with each unit's daily, concentrated, score, rank, of, flags and
 * override; NULL when there is no round key (an id or a name). */
json_t	*gateway_eval_results(struct store *, const struct config *,
	    const char *key);

/* The rows of tables the CLI prints (table, csv or json) as that text:
 * new string.  cols ends with NULL. */
char	*gateway_eval_rows_text(json_t *rows, const char *const *cols,
	    const char *format);
/* 票决 id's result as `minyi vote result` shows it: a new object {"vote",
 * "title", "opens", "closes" (ISO UTC), "closed", "turnout", "voters",
 * "quorum", "quorum_met", "projects": [rows of gateway_vote_cols, and
 * "case" once tracked]}, or NULL when there is no such vote. */
json_t	*gateway_vote_results(struct store *, const struct config *, int64_t id);
extern const char *const gateway_vote_cols[];
/* 履职考核 of year y, month mo (1..12; 0: the whole year, with stars, the
 * 约谈 flag and the 五个一 checklist) as `minyi report deputies` shows it:
 * a new array ranked by score; only the deputies of township when not
 * NULL (ranked among themselves); NULL on a bad period. */
json_t	*gateway_assess_rows(struct store *, const struct config *, int y, int mo,
	    const char *township);
extern const char *const gateway_assess_month_cols[];
extern const char *const gateway_assess_year_cols[];
/* Is deputy id one of township tw's (a grid deputy there, or its chair)? */
bool	 gateway_deputy_of_township(const struct config *, const char *id,
	    const char *tw);

/* chat.c */
int	 gateway_chat(int argc, char **argv);

/* main.c helpers used by other CLI files */
/* The config checked as serve checks it (for_serve: check-config, serve)
 * or without its secrets (chat, report); problems to stderr, then NULL. */
struct config *gateway_load_config(const char *path, bool for_serve);

#endif /* MINYI_GATEWAY_H */
