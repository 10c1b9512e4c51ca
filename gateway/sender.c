/*
 * sender.c: delivers the outbox.  One thread drives a libcurl multi handle
 * (connections kept alive in its pool).  It claims due rows through the
 * writer (pending -> sending), has the channel's adapter build each call,
 * performs them concurrently (a limit per channel, and a rate per channel
 * when configured), and records the outcomes through the writer:
 *
 *   accepted            -> sent, with the provider's id (early receipts applied)
 *   network, 429, 5xx   -> pending again after exponential backoff with
 *                          jitter; dead after max_attempts, with a case event
 *   refused for good    -> failed with the provider's code; an unsubscribed
 *                          recipient is marked opted out
 *
 * One recipient's messages leave in the order they were written: a row is
 * not claimed while an earlier one to the same address is in flight or
 * waiting to be retried.
 *
 * A crash between the provider's answer and the commit of "sent" leaves a
 * row "sending".  At start, such rows on channels whose adapter can look
 * messages up (adapter_can_lookup: twilio) are looked up at the provider,
 * once the channel's lookup_grace_seconds have passed, each lookup a call
 * counted against the channel's in-flight limit; the recipient's later
 * rows wait meanwhile, as for any row in flight:
 *
 *   the provider has it   -> sent, with its id (early receipts applied)
 *   it has not            -> pending again, due now; the lost attempt is
 *                            not counted against max_attempts
 *   cannot tell (5xx...)  -> still sending; looked up again after backoff
 *
 * so each row reaches the provider once.  On other channels the rows are
 * pending again and sent again: nothing is lost, but a message may reach
 * the provider twice (at least once).
 *
 * An outcome whose record does not commit (disk full for a moment, a lock
 * held too long) is recorded again, after 1, 2, 4... up to 30 seconds, for
 * as long as the sender runs: its row never stays "sending" behind a
 * running server's back.  Each outcome is recorded in its own savepoint,
 * so one that cannot be recorded does not hold the others back.
 *
 * The outbox is looked at through a read-only connection first: a channel
 * with nothing due costs the writer no transaction, so an idle server
 * commits nothing.
 */
#include "gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#define SENDER_TICK_MS		200	/* longest sleep between looks at the outbox */
#define SENDER_INFLIGHT		32	/* calls in flight per channel */
#define SENDER_BODY_MAX		65536	/* provider answers kept at most */
#define LOOKUP_BODY_MAX		(1024 * 1024)	/* a lookup's answer: a page of messages */
#define SENDER_TIMEOUT_S	20	/* one call, connect to last byte */
#define BACKOFF_MAX_S		3600
#define RECORD_AGAIN_MAX_S	30	/* longest wait before recording again */

/* A row a crash left "sending" on a channel that can look it up. */
struct recovery {
	int64_t		 id;		/* outbox row; 0 once settled */
	size_t		 chan;		/* index into gw->channels */
	char		*to;		/* from malloc() */
	char		*body;		/* from malloc() */
	int64_t		 since;		/* its claim: updated_at, epoch s */
	char		**known;	/* the recipient's earlier provider ids,
					 * newest first; from malloc(), each too */
	size_t		 nknown;
	int64_t		 due_ms;	/* monotonic: look no sooner */
	int		 tries;		/* lookups that could not tell */
	bool		 flying;	/* a lookup is in flight */
};

struct flight {
	int64_t		 id;		/* outbox row */
	size_t		 chan;		/* index into gw->channels */
	bool		 lookup;	/* a lookup of the sender's rec[rec_i] */
	size_t		 rec_i;
	CURL		*easy;
	struct curl_slist *hdrs;
	struct http_call call;
	struct buf	 resp;
};

struct outcome {
	int64_t		 id;
	struct send_result r;
	bool		 lookup;	/* the answer of a lookup, not of a send */
	bool		 failed;	/* its record was rolled back (record job) */
	int		 tries;		/* records that did not commit */
	int64_t		 due_ms;	/* monotonic: record again no sooner */
};

/* The most robot_per_window may say (WeCom robots take 20 a minute). */
#define ROBOT_LIMIT_MAX 64

struct sender {
	struct gateway	*root;
	struct gateway	*gw;		/* this round's generation: the sender
					 * thread's, taken at each round's start;
					 * per-channel state below is by index,
					 * which a reload never changes */
	pthread_t	 thread;
	atomic_bool	 stop;
	CURLM		*multi;
	int		*inflight;	/* per channel */
	int64_t		*next_ms;	/* per channel: earliest start allowed by its rate */
	struct outcome	*done;		/* outcomes not yet recorded */
	size_t		 ndone;
	size_t		 capdone;
	unsigned	 seed;		/* jitter */
	struct claim_job *claims;	/* per channel, this round's; from malloc() */
	pthread_mutex_t	 mtx;		/* guards claims_left, claims[].rc, again */
	pthread_cond_t	 claimed;	/* a claim committed */
	int		 claims_left;	/* queued and not yet committed */
	struct outcome	*again;		/* outcomes to record again, from malloc() */
	size_t		 nagain;
	size_t		 capagain;
	struct store	*ro;		/* read-only: is anything due? (owned) */
	struct recovery	*rec;		/* rows to look up, from malloc(): left at
					 * start, and those taken over since */
	size_t		 nrec;
	int		*rec_left;	/* per channel: rows not settled yet */
	int		*rec_found;	/* per channel: the provider had them */
	int		*rec_resent;	/* per channel: it had not, sent again */
	int64_t		 beat_ms;	/* monotonic: the last heartbeat */
};

static struct sender	*the_sender;
static atomic_int	 local_queued;	/* sim deliveries queued, at most 1 */

static void
recovery_clear(struct recovery *rc)
{
	size_t	 i;

	for (i = 0; i < rc->nknown; i++)
		free(rc->known[i]);
	free(rc->known);
	free(rc->to);
	free(rc->body);
	memset(rc, 0, sizeof(*rc));
}

/*
 * What sender_recover_job found: rows to look up, and how many it reset.
 * At start, this node's rows; with adopt, those of nodes silent since
 * cutoff, taken over, when this node leads.  Either way this node's
 * heartbeat is written first.
 */
struct recover_job {
	struct gateway	*gw;
	bool		 adopt;
	int64_t		 now;
	int64_t		 cutoff;
	struct recovery	*rec;		/* out, from malloc() */
	size_t		 nrec;		/* out */
	size_t		 nreset;	/* out */
};

static void
recover_job_clear(struct recover_job *rj)
{
	size_t	 i;

	for (i = 0; i < rj->nrec; i++)
		recovery_clear(&rj->rec[i]);
	free(rj->rec);
	rj->rec = NULL;
	rj->nrec = rj->nreset = 0;
}

/* The channel that looks rows of id up, or -1 if none does. */
static ssize_t
recover_channel(const struct gateway *gw, const char *id)
{
	size_t	 c;

	for (c = 0; c < gw->nchannels; c++)
		if (strcmp(gw->channels[c].conf->id, id) == 0)
			return (!adapter_is_local(&gw->channels[c]) &&
			    gw->channels[c].ad->ops->build != NULL &&
			    adapter_can_lookup(&gw->channels[c])) ? (ssize_t)c : -1;
	return -1;
}

/*
 * Rows left "sending" by a crash: those on channels that can look them
 * up are read into rj (with the provider ids of their recipients' earlier
 * rows); the others are pending again, to be sent again.
 */
static int
sender_recover_job(struct store *st, void *arg)
{
	struct recover_job	*rj = arg;
	struct recovery		*rc;
	struct store_stmt		*stmt;
	int64_t			*reset = NULL;
	size_t			 nreset = 0, cap = 0, capreset = 0, i;
	ssize_t			 c;
	int			 step, rv = -1;

	recover_job_clear(rj);	/* a job may run again after a restarted batch */
	stmt = store_stmt(st, SQL_NODE_BEAT);
	store_bind_text(stmt, 1, rj->gw->root->node_id, -1, STORE_STATIC);
	store_bind_int64(stmt, 2, rj->now);
	step = store_step(stmt);
	store_reset(stmt);
	if (step != STORE_DONE)
		return -1;
	if (rj->adopt) {
		if ((step = store_try_lead(st, "recovery")) <= 0)
			return step;	/* another node takes them over */
		stmt = store_stmt(st, SQL_SENDER_ORPHANS);
		store_bind_int64(stmt, 2, rj->cutoff);
	} else
		stmt = store_stmt(st, SQL_SENDER_SENDING);
	store_bind_text(stmt, 1, rj->gw->root->node_id, -1, STORE_STATIC);
	while ((step = store_step(stmt)) == STORE_ROW) {
		c = recover_channel(rj->gw, (const char *)store_column_text(stmt, 1));
		if (c < 0) {
			if (nreset == capreset) {
				capreset = capreset ? capreset * 2 : 64;
				reset = xrealloc(reset, capreset * sizeof(*reset));
			}
			reset[nreset++] = store_column_int64(stmt, 0);
			continue;
		}
		if (rj->nrec == cap) {
			cap = cap ? cap * 2 : 64;
			rj->rec = xrealloc(rj->rec, cap * sizeof(*rj->rec));
		}
		rc = &rj->rec[rj->nrec++];
		memset(rc, 0, sizeof(*rc));
		rc->id = store_column_int64(stmt, 0);
		rc->chan = (size_t)c;
		rc->to = xstrdup((const char *)store_column_text(stmt, 2));
		rc->body = xstrdup((const char *)store_column_text(stmt, 3));
		rc->since = store_column_int64(stmt, 4);
	}
	store_reset(stmt);
	if (step != STORE_DONE)
		goto out;
	for (i = 0; i < nreset; i++) {
		stmt = store_stmt(st, SQL_SENDER_RESET_ONE);
		store_bind_int64(stmt, 1, reset[i]);
		step = store_step(stmt);
		store_reset(stmt);
		if (step != STORE_DONE)
			goto out;
	}
	rj->nreset = nreset;
	if (rj->adopt) {
		for (i = 0; i < rj->nrec; i++) {
			stmt = store_stmt(st, SQL_SENDER_ADOPT);
			store_bind_int64(stmt, 1, rj->rec[i].id);
			store_bind_text(stmt, 2, rj->gw->root->node_id, -1, STORE_STATIC);
			step = store_step(stmt);
			store_reset(stmt);
			if (step != STORE_DONE)
				goto out;
		}
		stmt = store_stmt(st, SQL_NODE_FORGET);
		store_bind_text(stmt, 1, rj->gw->root->node_id, -1, STORE_STATIC);
		store_bind_int64(stmt, 2, rj->cutoff);
		step = store_step(stmt);
		store_reset(stmt);
		if (step != STORE_DONE)
			goto out;
	}
	for (i = 0; i < rj->nrec; i++) {
		rc = &rj->rec[i];
		rc->known = xcalloc(LOOKUP_KNOWN_MAX, sizeof(*rc->known));
		stmt = store_stmt(st, SQL_SENDER_KNOWN);
		store_bind_text(stmt, 1, rj->gw->channels[rc->chan].conf->id, -1,
		    STORE_STATIC);
		store_bind_text(stmt, 2, rc->to, -1, STORE_STATIC);
		store_bind_int64(stmt, 3, rc->id);
		store_bind_int(stmt, 4, LOOKUP_KNOWN_MAX);
		while ((step = store_step(stmt)) == STORE_ROW &&
		    rc->nknown < LOOKUP_KNOWN_MAX)
			rc->known[rc->nknown++] = xstrdup((const char *)
			    store_column_text(stmt, 0));
		store_reset(stmt);
		if (step != STORE_DONE && step != STORE_ROW)
			goto out;
	}
	rv = 0;
out:
	free(reset);
	return rv;
}

struct claim_job {
	struct sender	*s;
	const struct channel *ch;
	const char	*channel;
	int64_t		 now;
	int		 limit;
	int64_t		*ids;		/* out, from malloc() */
	char		**to;		/* out, from malloc() */
	char		**body;		/* out, from malloc() */
	int		 n;		/* out */
	bool		 submitted;	/* queued this round */
	int		 rc;		/* the job's, once committed */
};

static void
claim_clear(struct claim_job *cj)
{
	int	 i;

	for (i = 0; i < cj->n; i++) {
		free(cj->to[i]);
		free(cj->body[i]);
	}
	free(cj->ids);
	free(cj->to);
	free(cj->body);
	cj->ids = NULL;
	cj->to = cj->body = NULL;
	cj->n = 0;
}

/* The robot's limits: channel keys robot_per_window (default 20) and
 * robot_window_seconds (default 60). */
static void
robot_limits(const struct channel *ch, size_t *limit, int64_t *window_ms)
{
	json_t	*v;

	*limit = 20;
	*window_ms = 60000;
	if ((v = json_object_get(ch->conf->json, "robot_per_window")) != NULL &&
	    json_integer_value(v) > 0 && json_integer_value(v) <= ROBOT_LIMIT_MAX)
		*limit = (size_t)json_integer_value(v);
	if ((v = json_object_get(ch->conf->json, "robot_window_seconds")) != NULL &&
	    json_integer_value(v) > 0)
		*window_ms = json_integer_value(v) * 1000;
}

/*
 * May a message to this group address go now?  If so its send is counted
 * against the robot's window, which every node shares (store_rate_used:
 * the robot's key is held until the claim commits, so another node's
 * claim counts this one).  1 yes, 0 it waits, -1 on a store error.
 */
static int
robot_take(struct store *st, const struct channel *ch, const char *address,
    int64_t now_ms)
{
	struct group_address	 ga;
	size_t			 limit;
	int64_t			 window, used;
	char			*key;
	int			 rc = 1;

	if (adapter_group_address_parse(address, &ga) != 0)
		return 1;	/* the adapter refuses it when building */
	robot_limits(ch, &limit, &window);
	key = xasprintf("robot:%s", ga.webhook_url);
	if ((used = store_rate_used(st, key, now_ms - window)) < 0)
		rc = -1;
	else if ((size_t)used >= limit)
		rc = 0;
	else if (store_rate_mark(st, key, now_ms) != 0)
		rc = -1;
	free(key);
	adapter_group_address_clear(&ga);
	return rc;
}

static int
sender_claim_job(struct store *st, void *arg)
{
	struct claim_job	*cj = arg;
	struct store_stmt	*stmt = store_stmt(st, SQL_SENDER_CLAIMABLE);
	const struct channel_conf *cc = cj->ch->conf;
	int64_t			 now_ms = time_now_ms(), used;
	char			*rate_key = NULL;
	int			 rc, i, k, room = cj->limit, took;

	claim_clear(cj);	/* a job may run again after a restarted batch */
	if (store_shared(st)) {
		/* rows held behind nothing (SQL_SENDER_UNHOLD) go */
		stmt = store_stmt(st, SQL_SENDER_UNHOLD);
		store_bind_text(stmt, 1, cj->channel, -1, STORE_STATIC);
		rc = store_step(stmt);
		store_reset(stmt);
		if (rc != STORE_DONE)
			return -1;
		stmt = store_stmt(st, SQL_SENDER_CLAIMABLE);
	}
	cj->ids = xcalloc((size_t)cj->limit, sizeof(*cj->ids));
	cj->to = xcalloc((size_t)cj->limit, sizeof(*cj->to));
	cj->body = xcalloc((size_t)cj->limit, sizeof(*cj->body));
	cj->n = 0;
	/* The channel's rate, shared by every node: its sends of the last
	 * second, whoever made them, leave this much room. */
	if (cc->rate_per_second > 0) {
		rate_key = xasprintf("rate:%s", cc->id);
		if ((used = store_rate_used(st, rate_key, now_ms - 1000)) < 0) {
			free(rate_key);
			return -1;
		}
		if (room > cc->rate_per_second - used)
			room = cc->rate_per_second - (int)used;
	}
	store_bind_text(stmt, 1, cj->channel, -1, STORE_STATIC);
	store_bind_int64(stmt, 2, cj->now);
	/* Group rows may wait on a busy robot: look further so that other
	 * robots' rows are not stuck behind them. */
	store_bind_int(stmt, 3, (cj->ch->ad->flags & AD_F_GROUP) ? cj->limit * 32 :
	    cj->limit);
	while (cj->n < room && (rc = store_step(stmt)) == STORE_ROW) {
		/* its robot at its limit: the row waits, in order */
		if (cj->ch->ad->flags & AD_F_GROUP) {
			took = robot_take(st, cj->ch, (const char *)
			    store_column_text(stmt, 1), now_ms);
			if (took < 0) {
				store_reset(stmt);
				goto fail;
			}
			if (took == 0)
				continue;
		}
		cj->ids[cj->n] = store_column_int64(stmt, 0);
		cj->to[cj->n] = xstrdup((const char *)store_column_text(stmt, 1));
		cj->body[cj->n] = xstrdup((const char *)store_column_text(stmt, 2));
		cj->n++;
	}
	if (cj->n < room && rc != STORE_DONE) {
		store_reset(stmt);
		goto fail;
	}
	store_reset(stmt);
	/* Claim each: a row another node claimed first (its commit came
	 * between our look and this) is left to it. */
	for (i = k = 0; i < cj->n; i++) {
		stmt = store_stmt(st, SQL_SENDER_CLAIM);
		store_bind_int64(stmt, 1, cj->ids[i]);
		store_bind_int64(stmt, 2, cj->now);
		store_bind_text(stmt, 3, cj->s->root->node_id, -1, STORE_STATIC);
		rc = store_step(stmt);
		store_reset(stmt);
		if (rc != STORE_DONE)
			goto fail_claims;
		if (store_changes(st) != 1) {
			free(cj->to[i]);
			free(cj->body[i]);
			continue;
		}
		if (rate_key != NULL && store_rate_mark(st, rate_key, now_ms) != 0)
			goto fail_claims;
		cj->ids[k] = cj->ids[i];
		cj->to[k] = cj->to[i];
		cj->body[k] = cj->body[i];
		k++;
	}
	cj->n = k;
	free(rate_key);
	return 0;
fail_claims:
	/* rows from i on are unsettled; those before k are kept ones */
	for (; i < cj->n; i++) {
		free(cj->to[i]);
		free(cj->body[i]);
	}
	cj->n = k;
fail:
	free(rate_key);
	return -1;
}

/* Exponential backoff with +-25% jitter: base * 2^(attempts-1). */
static int64_t
sender_backoff(const struct channel_conf *cc, int attempts, unsigned *seed)
{
	int64_t	 base = cc->retry_base_seconds;
	int64_t	 d;
	int	 shift = attempts > 1 ? attempts - 1 : 0;

	if (base <= 0)
		return 0;
	if (shift > 20)
		shift = 20;
	d = base << shift;
	if (d > BACKOFF_MAX_S)
		d = BACKOFF_MAX_S;
	d += (d * ((int64_t)(rand_r(seed) % 51) - 25)) / 100;
	return d > 0 ? d : 1;
}

struct record_job {
	struct sender	*s;
	struct gateway	*gw;		/* the generation of the round that queued it */
	struct outcome	*out;
	size_t		 n;
	int64_t		 now;
};

static int
record_one(struct store *st, struct sender *s, struct gateway *gw,
    const struct outcome *o, int64_t now)
{
	struct store_stmt	*stmt;
	enum send_outcome outcome;
	int		 attempts = 0, rc;
	int64_t		 case_id = 0;
	char		*address = NULL, *channel = NULL;
	const struct channel_conf *cc;

	stmt = store_stmt(st, SQL_SENDER_ROW);
	store_bind_int64(stmt, 1, o->id);
	if ((rc = store_step(stmt)) == STORE_ROW) {
		attempts = store_column_int(stmt, 0);
		case_id = store_column_int64(stmt, 1);
		address = xstrdup((const char *)store_column_text(stmt, 2));
		channel = xstrdup((const char *)store_column_text(stmt, 3));
	}
	store_reset(stmt);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? 0 : -1;
	cc = config_channel(gw->cfg, channel);
	rc = -1;
	outcome = o->r.outcome;
	if (outcome == SEND_OK && o->lookup) {
		/* Another row's message is not this one's (a unique index
		 * would refuse it, and the whole batch with it). */
		stmt = store_stmt(st, SQL_SENDER_ID_TAKEN);
		store_bind_int64(stmt, 1, o->id);
		store_bind_text(stmt, 2, o->r.provider_id, -1, STORE_STATIC);
		rc = store_step(stmt);
		store_reset(stmt);
		if (rc != STORE_ROW && rc != STORE_DONE)
			goto out;
		if (rc == STORE_ROW) {
			log_warnx("%016" PRIx64 " outbox lookup channel=%s found %s, "
			    "another row's message: sending again", (uint64_t)o->id,
			    channel, o->r.provider_id);
			outcome = SEND_UNSENT;
		}
		rc = -1;
	}
	switch (outcome) {
	case SEND_UNSENT:
		stmt = store_stmt(st, SQL_SENDER_UNSENT);
		store_bind_int64(stmt, 1, o->id);
		store_bind_int64(stmt, 2, now);
		store_bind_int64(stmt, 3, now);
		if (store_step(stmt) != STORE_DONE)
			goto out;
		store_reset(stmt);
		break;
	case SEND_OK:
		stmt = store_stmt(st, SQL_SENDER_SENT);
		store_bind_int64(stmt, 1, o->id);
		if (o->r.provider_id[0])
			store_bind_text(stmt, 2, o->r.provider_id, -1, STORE_STATIC);
		store_bind_int64(stmt, 3, now);
		if (store_step(stmt) != STORE_DONE)
			goto out;
		store_reset(stmt);
		if (o->r.provider_id[0] == '\0')
			break;
		/* Receipts that beat the send's own answer. */
		stmt = store_stmt(st, SQL_SENDER_EARLY_RECEIPT);
		store_bind_int64(stmt, 1, o->id);
		store_bind_text(stmt, 2, o->r.provider_id, -1, STORE_STATIC);
		while (store_step(stmt) == STORE_ROW) {
			struct store_stmt *ap = store_stmt(st, SQL_SENDER_EARLY_APPLY);
			store_bind_int64(ap, 1, o->id);
			store_bind_column(ap, 2, stmt, 0);
			store_bind_column(ap, 3, stmt, 1);
			rc = store_step(ap);
			store_reset(ap);
			if (rc != STORE_DONE) {
				store_reset(stmt);
				rc = -1;
				goto out;
			}
		}
		store_reset(stmt);
		stmt = store_stmt(st, SQL_SENDER_EARLY_DELETE);
		store_bind_int64(stmt, 1, o->id);
		store_bind_text(stmt, 2, o->r.provider_id, -1, STORE_STATIC);
		if (store_step(stmt) != STORE_DONE)
			goto out;
		store_reset(stmt);
		break;
	case SEND_RETRY:
		if (cc != NULL && attempts < cc->max_attempts) {
			char	 masked[PHONE_MASKED_MAX];
			int64_t	 wait_s = sender_backoff(cc, attempts, &s->seed);

			stmt = store_stmt(st, SQL_SENDER_RETRY);
			store_bind_int64(stmt, 1, o->id);
			store_bind_int64(stmt, 2, now + wait_s);
			store_bind_text(stmt, 3, o->r.error, -1, STORE_STATIC);
			store_bind_int64(stmt, 4, now);
			if (store_step(stmt) != STORE_DONE)
				goto out;
			store_reset(stmt);
			phone_mask(address, masked, sizeof(masked));
			log_warnx("%016" PRIx64 " outbox attempt failed channel=%s "
			    "to=%s attempt=%d/%d error=\"%s\" again_in=%llds",
			    (uint64_t)o->id, channel, masked, attempts,
			    cc->max_attempts, o->r.error, (long long)wait_s);
			break;
		}
		/* out of attempts: dead */
		__attribute__((fallthrough));
	case SEND_FAIL:
		stmt = store_stmt(st, SQL_SENDER_FINAL);
		store_bind_int64(stmt, 1, o->id);
		store_bind_text(stmt, 2, o->r.outcome == SEND_RETRY ? "dead" : "failed",
		    -1, STORE_STATIC);
		store_bind_text(stmt, 3, o->r.error, -1, STORE_STATIC);
		store_bind_int64(stmt, 4, now);
		if (store_step(stmt) != STORE_DONE)
			goto out;
		store_reset(stmt);
		if (o->r.opted_out) {
			stmt = store_stmt(st, SQL_SENDER_OPTED_OUT);
			store_bind_text(stmt, 1, address, -1, STORE_STATIC);
			store_bind_int64(stmt, 2, now);
			if (store_step(stmt) != STORE_DONE)
				goto out;
			store_reset(stmt);
		}
		if (case_id > 0) {
			char *detail = xasprintf("outbox=%lld attempts=%d error=%s",
			    (long long)o->id, attempts, o->r.error);
			rc = gateway_case_event(st, case_id, now, "system",
			    o->r.outcome == SEND_RETRY ? "message_dead" : "message_failed",
			    NULL, NULL, detail);
			free(detail);
			if (rc != 0)
				goto out;
		}
		{
			char masked[PHONE_MASKED_MAX];
			phone_mask(address, masked, sizeof(masked));
			log_warnx("%016" PRIx64 " outbox %s channel=%s to=%s attempts=%d "
			    "error=\"%s\"", (uint64_t)o->id,
			    o->r.outcome == SEND_RETRY ? "dead" : "failed",
			    channel, masked, attempts, o->r.error);
		}
		break;
	}
	rc = 0;
out:
	if (rc != 0)
		store_reset(stmt);
	free(address);
	free(channel);
	return rc;
}

/* Step a savepoint statement; 0 or -1. */
static int
record_sp(struct store *st, const char *sql)
{
	struct store_stmt	*stmt = store_stmt(st, sql);
	int		 rc;

	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/*
 * Record each outcome in its own savepoint: one that fails is rolled back
 * and marked failed (sender_record_done records it again); the others
 * keep.  If SQLite gives up the whole transaction, the job fails and the
 * writer tells sender_record_done so: all are recorded again.
 */
static int
sender_record_job(struct store *st, void *arg)
{
	struct record_job	*rj = arg;
	size_t			 i;

	for (i = 0; i < rj->n; i++)
		rj->out[i].failed = false;	/* a job may run again */
	for (i = 0; i < rj->n; i++) {
		if (record_sp(st, "SAVEPOINT sender_record") != 0)
			return -1;
		if (record_one(st, rj->s, rj->gw, &rj->out[i], rj->now) == 0) {
			if (record_sp(st, "RELEASE sender_record") != 0)
				return -1;
			continue;
		}
		if (!store_in_transaction(st))
			return -1;	/* the transaction is gone */
		rj->out[i].failed = true;
		if (record_sp(st, "ROLLBACK TO sender_record") != 0 ||
		    record_sp(st, "RELEASE sender_record") != 0)
			return -1;
	}
	return 0;
}

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	(void)buf_add(b, p, size * n);	/* past the cap the rest is dropped */
	return size * n;
}

static void
outcome_add(struct sender *s, int64_t id, const struct send_result *r, bool lookup)
{
	if (s->ndone == s->capdone) {
		s->capdone = s->capdone ? s->capdone * 2 : 64;
		s->done = xrealloc(s->done, s->capdone * sizeof(*s->done));
	}
	s->done[s->ndone].id = id;
	s->done[s->ndone].r = *r;
	s->done[s->ndone].lookup = lookup;
	s->done[s->ndone].failed = false;
	s->done[s->ndone].tries = 0;
	s->done[s->ndone].due_ms = 0;
	s->ndone++;
}

static void	flight_launch(struct sender *, struct flight *);

/* Start one call; on a build failure the outcome is recorded at once. */
static void
sender_start(struct sender *s, size_t chan, int64_t id, const char *to,
    const char *body)
{
	struct channel		*ch = &s->gw->channels[chan];
	struct flight		*f = xcalloc(1, sizeof(*f));
	struct outmsg		 m;
	struct send_result	 r;
	char			*status_url;
	char			 err[128];

	status_url = xasprintf("%s/webhooks/%s/status", s->gw->cfg->server.public_url,
	    ch->conf->id);
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.to = to;
	m.body = body;
	m.status_url = status_url;
	err[0] = '\0';
	if (ch->ad->ops->build(ch, &m, &f->call, err, sizeof(err)) != 0) {
		memset(&r, 0, sizeof(r));
		r.outcome = SEND_FAIL;
		snprintf(r.error, sizeof(r.error), "cannot build: %s", err);
		outcome_add(s, id, &r, false);
		http_call_clear(&f->call);
		free(f);
		free(status_url);
		return;
	}
	free(status_url);
	f->id = id;
	f->chan = chan;
	buf_init(&f->resp, SENDER_BODY_MAX);
	flight_launch(s, f);
}

/* Perform f's call (built) on the multi handle; it counts as in flight. */
static void
flight_launch(struct sender *s, struct flight *f)
{
	size_t	 i;

	f->easy = curl_easy_init();
	curl_easy_setopt(f->easy, CURLOPT_URL, f->call.url);
	curl_easy_setopt(f->easy, CURLOPT_PRIVATE, f);
	curl_easy_setopt(f->easy, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(f->easy, CURLOPT_WRITEDATA, &f->resp);
	curl_easy_setopt(f->easy, CURLOPT_TIMEOUT, (long)SENDER_TIMEOUT_S);
	curl_easy_setopt(f->easy, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(f->easy, CURLOPT_NOSIGNAL, 1L);
	if (f->call.body != NULL)
		curl_easy_setopt(f->easy, CURLOPT_POSTFIELDS, f->call.body);
	if (f->call.userpwd != NULL)
		curl_easy_setopt(f->easy, CURLOPT_USERPWD, f->call.userpwd);
	for (i = 0; i < f->call.nheaders; i++)
		f->hdrs = curl_slist_append(f->hdrs, f->call.headers[i]);
	f->hdrs = curl_slist_append(f->hdrs, "Expect:");
	curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, f->hdrs);
	curl_multi_add_handle(s->multi, f->easy);
	s->inflight[f->chan]++;
}

/* The lookup of rc, as the adapter's ops take it; m is filled. */
static struct lookup
lookup_of(const struct recovery *rc, struct outmsg *m)
{
	struct lookup	 q;

	memset(m, 0, sizeof(*m));
	m->id = rc->id;
	m->to = rc->to;
	m->body = rc->body;
	memset(&q, 0, sizeof(q));
	q.msg = m;
	q.since = rc->since;
	q.known = (const char *const *)rc->known;
	q.nknown = rc->nknown;
	return q;
}

/* rc is settled: one fewer to look up on its channel. */
static void
lookup_settled(struct sender *s, struct recovery *rc, bool found)
{
	size_t	 c = rc->chan;

	if (found)
		s->rec_found[c]++;
	else
		s->rec_resent[c]++;
	rc->id = 0;
	if (--s->rec_left[c] == 0)
		log_info("outbox recovery done channel=%s found=%d resent=%d",
		    s->gw->channels[c].conf->id, s->rec_found[c], s->rec_resent[c]);
}

/*
 * The rows rj found become the sender's to look up (rj is left empty):
 * each once its channel's lookup_grace_seconds have passed.
 */
static void
sender_take_rec(struct sender *s, struct recover_job *rj, int64_t now_ms,
    const char *why)
{
	struct gateway	*gw = s->gw;
	int		*add;
	size_t		 i, c;

	add = xcalloc(gw->nchannels, sizeof(*add));
	s->rec = xrealloc(s->rec, (s->nrec + rj->nrec + 1) * sizeof(*s->rec));
	for (i = 0; i < rj->nrec; i++) {
		c = rj->rec[i].chan;
		s->rec[s->nrec] = rj->rec[i];
		s->rec[s->nrec++].due_ms = now_ms +
		    (int64_t)gw->channels[c].conf->lookup_grace_seconds * 1000;
		s->rec_left[c]++;
		add[c]++;
	}
	free(rj->rec);
	rj->rec = NULL;
	rj->nrec = 0;
	for (c = 0; c < gw->nchannels; c++)
		if (add[c] > 0)
			log_info("outbox recovery channel=%s: %d rows %s, "
			    "looked up at the provider in %ds", gw->channels[c].conf->id,
			    add[c], why, gw->channels[c].conf->lookup_grace_seconds);
	free(add);
}

/*
 * This node's heartbeat, every third of server.node_timeout_seconds; and
 * when it leads, the rows of nodes silent longer than that are taken
 * over (looked up, or sent again), as its own are at start.
 */
static void
sender_beat(struct sender *s, int64_t now_ms)
{
	struct recover_job	 rj;
	int			 timeout = s->gw->cfg->server.node_timeout_seconds;

	/* A SQLite store has one node: nobody to beat for. */
	if (!store_shared(s->ro) || now_ms - s->beat_ms < (int64_t)timeout * 1000 / 3)
		return;
	s->beat_ms = now_ms;
	memset(&rj, 0, sizeof(rj));
	rj.gw = s->gw;
	rj.adopt = true;
	rj.now = time_now();
	rj.cutoff = rj.now - timeout;
	if (store_writer_submit(s->gw->writer, sender_recover_job, &rj) != 0) {
		recover_job_clear(&rj);
		return;
	}
	if (rj.nreset > 0)
		log_info("outbox recovery: %zu rows of silent nodes on channels that "
		    "cannot look them up are sent again", rj.nreset);
	sender_take_rec(s, &rj, now_ms, "taken over from silent nodes");
	if (rj.nreset > 0)
		gateway_sender_wake();
}

/*
 * Start the lookups of channel chan that are due, room at most; how many
 * started.  One whose call cannot be built is sent again (at least once).
 */
static int
sender_lookups(struct sender *s, size_t chan, int room, int64_t now_ms)
{
	struct channel		*ch = &s->gw->channels[chan];
	struct recovery		*rc;
	struct flight		*f;
	struct outmsg		 m;
	struct lookup		 q;
	struct send_result	 r;
	char			 err[128];
	size_t			 i;
	int			 n = 0;

	for (i = 0; i < s->nrec && n < room; i++) {
		rc = &s->rec[i];
		if (rc->id == 0 || rc->chan != chan || rc->flying || rc->due_ms > now_ms)
			continue;
		q = lookup_of(rc, &m);
		f = xcalloc(1, sizeof(*f));
		err[0] = '\0';
		if (ch->ad->ops->lookup_build(ch, &q, &f->call, err, sizeof(err)) != 0) {
			log_warnx("%016" PRIx64 " outbox lookup channel=%s cannot "
			    "build: %s; sending again", (uint64_t)rc->id, ch->conf->id,
			    err);
			memset(&r, 0, sizeof(r));
			r.outcome = SEND_UNSENT;
			outcome_add(s, rc->id, &r, true);
			lookup_settled(s, rc, false);
			http_call_clear(&f->call);
			free(f);
			continue;
		}
		f->id = rc->id;
		f->chan = chan;
		f->lookup = true;
		f->rec_i = i;
		rc->flying = true;
		buf_init(&f->resp, LOOKUP_BODY_MAX);
		flight_launch(s, f);
		n++;
	}
	return n;
}

/* A lookup's answer: record what the provider had, or look again later. */
static void
lookup_finish(struct sender *s, struct flight *f, long status, CURLcode cres)
{
	struct recovery		*rc = &s->rec[f->rec_i];
	struct channel		*ch = &s->gw->channels[f->chan];
	struct outmsg		 m;
	struct lookup		 q = lookup_of(rc, &m);
	struct send_result	 r;
	int64_t			 d;

	memset(&r, 0, sizeof(r));
	ch->ad->ops->lookup_result(ch, status, buf_str(&f->resp), f->resp.len, &q, &r);
	if (status == -1 && r.error[0] == '\0')
		snprintf(r.error, sizeof(r.error), "network: %s",
		    curl_easy_strerror(cres));
	rc->flying = false;
	switch (r.outcome) {
	case SEND_OK:
		log_debug("%016" PRIx64 " outbox lookup channel=%s found "
		    "provider_id=%s", (uint64_t)rc->id, ch->conf->id, r.provider_id);
		outcome_add(s, rc->id, &r, true);
		lookup_settled(s, rc, true);
		break;
	case SEND_UNSENT:
		if (r.error[0] != '\0')
			log_warnx("%016" PRIx64 " outbox lookup channel=%s refused: "
			    "%s; sending again", (uint64_t)rc->id, ch->conf->id,
			    r.error);
		else
			log_debug("%016" PRIx64 " outbox lookup channel=%s not found",
			    (uint64_t)rc->id, ch->conf->id);
		outcome_add(s, rc->id, &r, true);
		lookup_settled(s, rc, false);
		break;
	default:
		d = sender_backoff(ch->conf, ++rc->tries, &s->seed);
		if (d < 1)
			d = 1;
		rc->due_ms = time_mono_ms() + d * 1000;
		log_warnx("%016" PRIx64 " outbox lookup channel=%s cannot tell: "
		    "%s; again in %llds", (uint64_t)rc->id, ch->conf->id, r.error,
		    (long long)d);
		break;
	}
}

static void
sender_finish(struct sender *s, CURLMsg *msg)
{
	struct flight		*f = NULL;
	struct channel		*ch;
	struct send_result	 r;
	long			 status = -1;

	curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&f);
	ch = &s->gw->channels[f->chan];
	if (msg->data.result == CURLE_OK)
		curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &status);
	memset(&r, 0, sizeof(r));
	if (f->lookup)
		lookup_finish(s, f, status, msg->data.result);
	else {
		ch->ad->ops->result(ch, status, buf_str(&f->resp), f->resp.len, &r);
		if (status == -1 && r.error[0] == '\0')
			snprintf(r.error, sizeof(r.error), "network: %s",
			    curl_easy_strerror(msg->data.result));
		log_debug("%016" PRIx64 " outbox call channel=%s status=%ld "
		    "outcome=%d", (uint64_t)f->id, ch->conf->id, status,
		    (int)r.outcome);
		outcome_add(s, f->id, &r, false);
	}
	curl_multi_remove_handle(s->multi, f->easy);
	curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->hdrs);
	http_call_clear(&f->call);
	buf_free(&f->resp);
	s->inflight[f->chan]--;
	free(f);
}

/* The simulated network: held rows are delivered when they come due. */
struct local_job {
	const char	*channel;	/* borrowed from the config */
	int64_t		 now;
};

static int
sender_local_job(struct store *st, void *arg)
{
	const struct local_job	*lj = arg;
	struct store_stmt		*stmt = store_stmt(st, SQL_SENDER_LOCAL_DELIVER);
	int			 rc;

	store_bind_text(stmt, 1, lj->channel, -1, STORE_STATIC);
	store_bind_int64(stmt, 2, lj->now);
	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

static void
sender_local_done(void *arg, int rc)
{
	struct local_job	*lj = arg;

	(void)rc;
	atomic_fetch_sub(&local_queued, 1);
	free(lj);
}

/*
 * Has channel anything to claim (or, local, to deliver) now?  Read on the
 * sender's read-only connection, so that a look that finds nothing costs
 * the writer no transaction.  When the read fails, say yes: the claim
 * then finds out on the writer.
 */
static bool
sender_has_due(struct sender *s, const char *channel, bool local, int64_t now)
{
	struct store_stmt	*stmt;
	int		 rc;

	stmt = store_stmt(s->ro, local ? SQL_SENDER_LOCAL_DUE : SQL_SENDER_DUE);
	store_bind_text(stmt, 1, channel, -1, STORE_STATIC);
	store_bind_int64(stmt, 2, now);
	rc = store_step(stmt);
	store_reset(stmt);	/* no snapshot kept: it would pin the WAL */
	if (rc != STORE_DONE || local || !store_shared(s->ro))
		return rc != STORE_DONE;
	/* several nodes: a held row that nothing is before any more */
	stmt = store_stmt(s->ro, SQL_SENDER_HELD_FREE);
	store_bind_text(stmt, 1, channel, -1, STORE_STATIC);
	rc = store_step(stmt);
	store_reset(stmt);
	return rc != STORE_DONE;
}

/* A claim's commit: wakes sender_fill, which waits for all of its claims. */
static void
sender_claim_done(void *arg, int rc)
{
	struct claim_job	*cj = arg;
	struct sender		*s = cj->s;

	pthread_mutex_lock(&s->mtx);
	cj->rc = rc;
	s->claims_left--;
	pthread_cond_signal(&s->claimed);
	pthread_mutex_unlock(&s->mtx);
}

/*
 * Claim what each channel may start now and start it.  The claims (and
 * the record job sender_flush queued just before) are queued together, so
 * that they share one commit, and then waited for.
 */
static void
sender_fill(struct sender *s)
{
	struct gateway	*gw = s->gw;
	struct claim_job *cj;
	struct local_job *lj;
	int64_t		 now_ms = time_mono_ms();
	size_t		 c;
	int		 i, room;

	for (c = 0; c < gw->nchannels; c++) {
		const struct channel_conf *cc = gw->channels[c].conf;

		cj = &s->claims[c];
		memset(cj, 0, sizeof(*cj));
		if (adapter_is_local(&gw->channels[c])) {
			/* one at a time: a slow writer is not sent a pile of them */
			if (atomic_load(&local_queued) > 0 ||
			    !sender_has_due(s, cc->id, true, time_now()))
				continue;
			lj = xcalloc(1, sizeof(*lj));
			lj->channel = cc->id;
			lj->now = time_now();
			atomic_fetch_add(&local_queued, 1);
			if (store_writer_submit_async(gw->writer, sender_local_job, lj,
			    sender_local_done, lj) != 0) {
				atomic_fetch_sub(&local_queued, 1);
				free(lj);
			}
			continue;
		}
		if (gw->channels[c].ad->ops->build == NULL)
			continue;
		room = SENDER_INFLIGHT - s->inflight[c];
		if (s->rec_left[c] > 0 && room > 0)
			room -= sender_lookups(s, c, room, now_ms);
		if (cc->rate_per_second > 0) {
			if (now_ms < s->next_ms[c])
				continue;
			if (room > cc->rate_per_second)
				room = cc->rate_per_second;
		}
		if (room <= 0 || !sender_has_due(s, cc->id, false, time_now()))
			continue;
		cj->s = s;
		cj->ch = &gw->channels[c];
		cj->channel = cc->id;
		cj->now = time_now();
		cj->limit = room;
		cj->submitted = true;
		pthread_mutex_lock(&s->mtx);
		s->claims_left++;
		pthread_mutex_unlock(&s->mtx);
		if (store_writer_submit_async(gw->writer, sender_claim_job, cj,
		    sender_claim_done, cj) != 0) {
			pthread_mutex_lock(&s->mtx);
			s->claims_left--;
			pthread_mutex_unlock(&s->mtx);
			cj->submitted = false;
		}
	}
	pthread_mutex_lock(&s->mtx);
	while (s->claims_left > 0)
		pthread_cond_wait(&s->claimed, &s->mtx);
	pthread_mutex_unlock(&s->mtx);

	for (c = 0; c < gw->nchannels; c++) {
		const struct channel_conf *cc = gw->channels[c].conf;

		cj = &s->claims[c];
		if (!cj->submitted)
			continue;
		if (cj->rc == 0) {
			for (i = 0; i < cj->n; i++)
				sender_start(s, c, cj->ids[i], cj->to[i], cj->body[i]);
			if (cc->rate_per_second > 0 && cj->n > 0) {
				/* The next batch waits as long as this one's share of a second. */
				s->next_ms[c] = now_ms + (int64_t)cj->n * 1000 /
				    cc->rate_per_second;
			}
		}
		claim_clear(cj);
	}
}

/*
 * The record's commit.  Outcomes that were not recorded (all of them when
 * rc is not 0) are kept to be recorded again after a backoff: their rows
 * stay "sending" meanwhile, and their recipients' next rows wait.
 */
static void
sender_record_done(void *arg, int rc)
{
	struct record_job	*rj = arg;
	struct sender		*s = rj->s;
	struct outcome		*o;
	int64_t			 now_ms = time_mono_ms(), wait_s;
	size_t			 i;

	pthread_mutex_lock(&s->mtx);
	for (i = 0; i < rj->n; i++) {
		o = &rj->out[i];
		if (rc == 0 && !o->failed)
			continue;
		o->tries++;
		wait_s = o->tries > 5 ? RECORD_AGAIN_MAX_S : (int64_t)1 << (o->tries - 1);
		if (wait_s > RECORD_AGAIN_MAX_S)
			wait_s = RECORD_AGAIN_MAX_S;
		o->due_ms = now_ms + wait_s * 1000;
		if (s->nagain == s->capagain) {
			s->capagain = s->capagain ? s->capagain * 2 : 64;
			s->again = xrealloc(s->again, s->capagain * sizeof(*s->again));
		}
		s->again[s->nagain++] = *o;
		log_warnx("%016" PRIx64 " outbox record failed try=%d; recorded "
		    "again in %llds, the row stays sending meanwhile",
		    (uint64_t)o->id, o->tries, (long long)wait_s);
	}
	pthread_mutex_unlock(&s->mtx);
	free(rj->out);
	free(rj);
}

/* Outcomes to record again whose time has come (all when all): to done. */
static void
sender_take_again(struct sender *s, bool all)
{
	int64_t	 now_ms = time_mono_ms();
	size_t	 i, k = 0;

	pthread_mutex_lock(&s->mtx);
	for (i = 0; i < s->nagain; i++) {
		if (all || s->again[i].due_ms <= now_ms) {
			outcome_add(s, s->again[i].id, &s->again[i].r,
			    s->again[i].lookup);
			s->done[s->ndone - 1].tries = s->again[i].tries;
		} else
			s->again[k++] = s->again[i];
	}
	s->nagain = k;
	pthread_mutex_unlock(&s->mtx);
}

/*
 * Queue the outcomes for recording.  Without wait, it returns at once: the
 * claims that sender_fill queues next share its commit, and wait for it.
 * With wait, it returns once every job the sender queued has run (the
 * writer runs them in order), so nothing of it is left behind at stop.
 */
static void
sender_flush(struct sender *s, bool wait)
{
	struct record_job	*rj;
	size_t			 i, n;

	sender_take_again(s, wait);
	if (s->ndone == 0 && !wait)
		return;
	if (wait) {
		struct record_job last = { .s = s, .gw = s->gw, .out = s->done,
		    .n = s->ndone, .now = time_now() };
		n = 0;
		if (store_writer_submit(s->gw->writer, sender_record_job, &last) != 0)
			n = s->ndone;
		else
			for (i = 0; i < s->ndone; i++)
				n += s->done[i].failed;
		if (n > 0)
			log_warnx("outbox record failed at stop n=%zu: the rows stay"
			    " sending until the next start", n);
		s->ndone = 0;
		return;
	}
	rj = xcalloc(1, sizeof(*rj));
	rj->s = s;
	rj->gw = s->gw;
	rj->out = s->done;		/* the job's now */
	rj->n = s->ndone;
	rj->now = time_now();
	s->done = NULL;
	s->ndone = s->capdone = 0;
	if (store_writer_submit_async(s->gw->writer, sender_record_job, rj,
	    sender_record_done, rj) != 0)
		sender_record_done(rj, -1);
}

/* Finish the calls that are done; how many there were. */
static int
sender_collect(struct sender *s)
{
	CURLMsg		*msg;
	int		 left, n = 0;

	while ((msg = curl_multi_info_read(s->multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE) {
			sender_finish(s, msg);
			n++;
		}
	return n;
}

static void *
sender_main(void *arg)
{
	struct sender	*s = arg;
	CURLMsg		*msg;
	int		 running, left;
	size_t		 c;
	bool		 busy;

	while (!atomic_load(&s->stop)) {
		s->gw = gateway_current(s->root);	/* this round's config */
		sender_beat(s, time_mono_ms());
		sender_flush(s, false);
		sender_fill(s);
		curl_multi_perform(s->multi, &running);
		/* A fast provider may have answered already: record and
		 * claim again at once rather than sleep with nothing to wait on. */
		if (sender_collect(s) == 0) {
			curl_multi_poll(s->multi, NULL, 0, running ? 50 : SENDER_TICK_MS,
			    NULL);
			curl_multi_perform(s->multi, &running);
			(void)sender_collect(s);
		}
	}
	/* Drain: let calls in flight finish (bounded by their timeout). */
	do {
		busy = false;
		for (c = 0; c < s->gw->nchannels; c++)
			busy = busy || s->inflight[c] > 0;
		if (!busy)
			break;
		curl_multi_perform(s->multi, &running);
		curl_multi_poll(s->multi, NULL, 0, 100, NULL);
		while ((msg = curl_multi_info_read(s->multi, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE)
				sender_finish(s, msg);
	} while (running > 0 || busy);
	sender_flush(s, true);
	return NULL;
}

int
gateway_sender_start(struct gateway *gw)
{
	struct sender		*s;
	struct recover_job	 rj;
	struct store		*ro;
	int64_t			 now_ms = time_mono_ms();
	char			 err[256];

	if ((ro = store_open_cfg(gw->cfg, STORE_READONLY, false, err,
	    sizeof(err))) == NULL) {
		log_warnx("sender: cannot open the store to read: %s", err);
		return -1;
	}
	memset(&rj, 0, sizeof(rj));
	rj.gw = gw;
	rj.now = time_now();
	if (store_writer_submit(gw->writer, sender_recover_job, &rj) != 0) {
		recover_job_clear(&rj);
		store_close(ro);
		return -1;
	}
	if (rj.nreset > 0)
		log_info("outbox recovery: %zu rows left sending on channels that "
		    "cannot look them up are sent again", rj.nreset);
	s = xcalloc(1, sizeof(*s));
	s->root = gw->root;
	s->gw = gateway_current(gw);
	s->ro = ro;			/* the sender's now */
	s->inflight = xcalloc(gw->nchannels, sizeof(*s->inflight));
	s->next_ms = xcalloc(gw->nchannels, sizeof(*s->next_ms));
	s->rec_left = xcalloc(gw->nchannels, sizeof(*s->rec_left));
	s->rec_found = xcalloc(gw->nchannels, sizeof(*s->rec_found));
	s->rec_resent = xcalloc(gw->nchannels, sizeof(*s->rec_resent));
	sender_take_rec(s, &rj, now_ms, "left sending");
	s->beat_ms = now_ms;
	s->seed = (unsigned)time_mono_ms();
	s->claims = xcalloc(gw->nchannels, sizeof(*s->claims));
	pthread_mutex_init(&s->mtx, NULL);
	pthread_cond_init(&s->claimed, NULL);
	s->multi = curl_multi_init();
	curl_multi_setopt(s->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)SENDER_INFLIGHT);
	if (pthread_create(&s->thread, NULL, sender_main, s) != 0)
		fatal("sender thread");
	the_sender = s;
	return 0;
}

/* Wake the sender now: new rows were committed. */
void
gateway_sender_wake(void)
{
	if (the_sender != NULL)
		curl_multi_wakeup(the_sender->multi);
}

void
gateway_sender_stop(void)
{
	struct sender	*s = the_sender;

	if (s == NULL)
		return;
	atomic_store(&s->stop, true);
	curl_multi_wakeup(s->multi);
	pthread_join(s->thread, NULL);
	curl_multi_cleanup(s->multi);
	free(s->inflight);
	free(s->next_ms);
	free(s->claims);
	for (size_t i = 0; i < s->nrec; i++)
		recovery_clear(&s->rec[i]);
	free(s->rec);
	free(s->rec_left);
	free(s->rec_found);
	free(s->rec_resent);
	pthread_cond_destroy(&s->claimed);
	pthread_mutex_destroy(&s->mtx);
	free(s->done);
	free(s->again);
	store_close(s->ro);
	free(s);
	the_sender = NULL;
}
