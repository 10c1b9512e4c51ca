/*
 * inbound.c: the writer job that carries one webhook's batch into the
 * store.  Each message is deduplicated on (channel, provider id), stored,
 * and handed to the conversation shell (conv.c), which steps the pure dialogs
 * and writes their effects (cases, events, outbox) in the same transaction.
 * Receipts update outbound messages.  All of it commits before the webhook
 * is answered.
 */
#include "gateway.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../dialogs/dialogs.h"

#define DEDUP_WINDOW_SECS 30	/* id-less providers: same sender and text */

/* Hex SHA-256 of text into out (65 bytes). */
static void
body_hash(const char *text, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	unsigned int	 i;

	EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * i] = '\0';
}

static char *
json_text(json_t *v)
{
	return v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
}

static void
inbound_ready(const struct gateway *gw, const struct inbound *m,
    struct inbound_ready *r)
{
	r->dm = dialog_parse(gw->cfg, gw->tix, m->text);
	r->media = json_text(m->media);
	r->params = json_text(m->params);
	body_hash(m->text, r->hash);
}

static void
inbound_ready_clear(struct inbound_ready *r)
{
	dialog_msg_free(r->dm);
	free(r->media);
	free(r->params);
	memset(r, 0, sizeof(*r));
}

/*
 * Whether the stored message with m's provider id has m's sender and
 * text: 1 yes, 0 no, -1 on a store error.
 */
static int
inbound_same(struct store *st, const struct channel *ch,
    const struct inbound *m, const struct inbound_ready *r)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_MSG_SAME);
	int		 rc, same = -1;

	store_bind_text(stmt, 1, ch->conf->id, -1, STORE_STATIC);
	store_bind_text(stmt, 2, m->provider_id, -1, STORE_STATIC);
	store_bind_text(stmt, 3, m->from, -1, STORE_STATIC);
	store_bind_text(stmt, 4, r->hash, -1, STORE_STATIC);
	if ((rc = store_step(stmt)) == STORE_ROW)
		same = store_column_int(stmt, 0) != 0;
	store_reset(stmt);
	return same;
}

/*
 * Store one message.  Returns 1 when new (its row id in *rowid), 0 when a
 * duplicate, -1 on a store error.
 */
static int
inbound_store(struct store *st, const struct channel *ch,
    const struct inbound *m, const struct inbound_ready *r, uint64_t reqid,
    int64_t now, int64_t *rowid)
{
	struct store_stmt	*stmt;
	const char	*hash = r->hash;
	int		 rc;

	if (m->provider_id == NULL && !adapter_is_local(ch)) {
		stmt = store_stmt(st, SQL_MSG_RECENT);
		store_bind_text(stmt, 1, ch->conf->id, -1, STORE_STATIC);
		store_bind_text(stmt, 2, m->from, -1, STORE_STATIC);
		store_bind_text(stmt, 3, hash, -1, STORE_STATIC);
		store_bind_int64(stmt, 4, now - DEDUP_WINDOW_SECS);
		rc = store_step(stmt);
		store_reset(stmt);
		if (rc == STORE_ROW)
			return 0;
		if (rc != STORE_DONE)
			return -1;
	}
	stmt = store_stmt(st, SQL_MSG_INSERT);
	store_bind_text(stmt, 1, ch->conf->id, -1, STORE_STATIC);
	if (m->provider_id)
		store_bind_text(stmt, 2, m->provider_id, -1, STORE_STATIC);
	store_bind_text(stmt, 3, m->from, -1, STORE_STATIC);
	store_bind_text(stmt, 4, m->text, -1, STORE_STATIC);
	if (r->media != NULL)
		store_bind_text(stmt, 5, r->media, -1, STORE_STATIC);
	if (r->params != NULL)
		store_bind_text(stmt, 6, r->params, -1, STORE_STATIC);
	store_bind_text(stmt, 7, hash, -1, STORE_STATIC);
	store_bind_int64(stmt, 8, now);
	rc = store_step(stmt);
	store_reset(stmt);
	if (rc != STORE_DONE) {
		log_warnx("%016" PRIx64 " store message insert failed channel=%s "
		    "err=\"%s\"", reqid, ch->conf->id, store_errmsg(st));
		return -1;
	}
	if (store_changes(st) == 0)
		return 0;
	*rowid = store_last_insert_id(st);
	return 1;
}

void
gateway_inbound_prepare(struct inbound_job *job)
{
	size_t	 i;

	if (job->batch->nmsgs == 0 || job->ready != NULL)
		return;
	job->ready = xcalloc(job->batch->nmsgs, sizeof(*job->ready));
	for (i = 0; i < job->batch->nmsgs; i++) {
		/* Bidi controls would turn staff alerts that quote the text
		 * around: they are dropped at intake, before it is stored. */
		if (text_strip_bidi(job->batch->msgs[i].text) +
		    text_strip_bidi(job->batch->msgs[i].sender_name) > 0)
			log_debug("%016" PRIx64 " inbound bidi controls removed",
			    job->reqid);
		inbound_ready(job->gw, &job->batch->msgs[i], &job->ready[i]);
	}
}

void
gateway_inbound_clear(struct inbound_job *job)
{
	size_t	 i;

	for (i = 0; job->ready != NULL && i < job->batch->nmsgs; i++)
		inbound_ready_clear(&job->ready[i]);
	free(job->ready);
	job->ready = NULL;
}

int
gateway_inbound_job(struct store *st, void *arg)
{
	struct inbound_job	*job = arg;
	size_t			 i;
	int64_t			 rowid = 0;
	int			 rc;

	job->stored = job->duplicates = job->conflicts = 0;
	if (job->limited) {
		if (job->tell_limited && job->batch->nmsgs > 0)
			return gateway_conv_notice(st, job->gw, job->ch,
			    &job->batch->msgs[0], "rate_limited", job->now);
		return 0;
	}
	gateway_inbound_prepare(job);	/* here only if its submitter did not */
	for (i = 0; i < job->batch->nmsgs; i++) {
		const struct inbound *m = &job->batch->msgs[i];

		if ((rc = inbound_store(st, job->ch, m, &job->ready[i], job->reqid,
		    job->now, &rowid)) < 0)
			return -1;
		if (rc == 0) {
			/* A hotline's call_id names one call: the same id with
			 * another caller or words is not a retry, and must not
			 * silently drop (or claim) a real call. */
			if ((job->ch->ad->flags & AD_F_DIRECT) != 0 &&
			    m->provider_id != NULL) {
				if ((rc = inbound_same(st, job->ch, m,
				    &job->ready[i])) < 0)
					return -1;
				if (rc == 0) {
					char masked[PHONE_MASKED_MAX];

					phone_mask(m->from, masked, sizeof(masked));
					log_warnx("%016" PRIx64 " webhook conflict "
					    "channel=%s id=\"%s\" from=%s: the id "
					    "was used with another caller or text",
					    job->reqid, job->ch->conf->id,
					    m->provider_id, masked);
					job->conflicts++;
					continue;
				}
			}
			job->duplicates++;
			continue;
		}
		job->stored++;
		if (gateway_conv_handle(st, job->gw, job->ch, m, job->ready[i].dm,
		    rowid, job->reqid, job->now) != 0)
			return -1;
	}
	for (i = 0; i < job->batch->nreceipts; i++)
		if (gateway_receipt_apply(st, job->ch, &job->batch->receipts[i], job->now) != 0)
			return -1;
	return 0;
}

/*
 * A delivery receipt updates its outbound message.  One that arrives before
 * the send's own response told us the provider id is kept in receipts and
 * applied by the sender when the id becomes known.
 */
int
gateway_receipt_apply(struct store *st, const struct channel *ch,
    const struct receipt *r, int64_t now)
{
	struct store_stmt	*stmt;
	int		 rc;

	stmt = store_stmt(st, SQL_RECEIPT_UPDATE);
	store_bind_text(stmt, 1, ch->conf->id, -1, STORE_STATIC);
	store_bind_text(stmt, 2, r->provider_id, -1, STORE_STATIC);
	store_bind_text(stmt, 3, r->status, -1, STORE_STATIC);
	if (r->error)
		store_bind_text(stmt, 4, r->error, -1, STORE_STATIC);
	store_bind_int64(stmt, 5, now);
	rc = store_step(stmt);
	store_reset(stmt);
	if (rc != STORE_DONE)
		return -1;
	if (store_changes(st) > 0)
		return 0;
	stmt = store_stmt(st, SQL_RECEIPT_KNOWN);
	store_bind_text(stmt, 1, ch->conf->id, -1, STORE_STATIC);
	store_bind_text(stmt, 2, r->provider_id, -1, STORE_STATIC);
	rc = store_step(stmt);
	store_reset(stmt);
	if (rc == STORE_ROW)
		return 0;	/* known and already final */
	if (rc != STORE_DONE)
		return -1;
	stmt = store_stmt(st, SQL_RECEIPT_KEEP);
	store_bind_text(stmt, 1, ch->conf->id, -1, STORE_STATIC);
	store_bind_text(stmt, 2, r->provider_id, -1, STORE_STATIC);
	store_bind_text(stmt, 3, r->status, -1, STORE_STATIC);
	if (r->error)
		store_bind_text(stmt, 4, r->error, -1, STORE_STATIC);
	store_bind_int64(stmt, 5, now);
	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}
