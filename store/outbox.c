/*
 * store/outbox.c: the statements of the outbox and of delivery receipts:
 * a message queued (gateway/conv.c), claimed, sent, retried and recorded
 * by the sender (gateway/sender.c), and a provider's receipt applied or
 * kept until its send is known (gateway/inbound.c).  Prepared with
 * store_stmt() on the writer's connection (the claim look also on a
 * reader's).
 */
#include "store_int.h"

/* --- queued (gateway/conv.c) --------------------------------------------- */

/* Held behind an earlier row to the recipient that is going (store/schema.sql.h). */
const char SQL_OUTBOX_INSERT[] =
    "INSERT INTO outbox(channel, address, body, case_id, kind, urgent, status,"
    " next_at, created_at, updated_at, held) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
    " ?8, ?9, ?9, CASE WHEN ?7 = 'pending' AND EXISTS (SELECT 1 FROM outbox p"
    " WHERE p.channel = ?1 AND p.address = ?2"
    " AND (p.status = 'pending' OR p.status = 'sending')"
    " AND (p.status = 'sending' OR p.attempts > 0 OR p.next_at <= ?9))"
    " THEN 1 ELSE 0 END)";

/* --- a case's moves (gateway/staff.c) ------------------------------------- */

const char SQL_OUTBOX_LAST_ID[] =
    "SELECT coalesce(max(id), 0) FROM outbox";
/*
 * A case moved on: its reminders and prompts queued before (id <= ?2) and
 * still waiting out the quiet hours are no longer true; kept, marked
 * failed, never sent.
 */
const char SQL_OUTBOX_WITHDRAW[] =
    "UPDATE outbox SET status = 'failed', error = 'withdrawn: the case moved on',"
    " updated_at = ?3 WHERE case_id = ?1 AND id <= ?2 AND status = 'pending'"
    " AND urgent = 0 AND attempts = 0";

/* --- the sender (gateway/sender.c) ---------------------------------------- */

/* The OR term lets SQLite read the partial index outbox_active (the rows
 * still to send), not every row ever sent; the + keeps it from scanning
 * the table for its id order instead (a sort of a few rows is cheaper). */
/* This node's (?1) rows, and those no node claimed (before v17). */
const char SQL_SENDER_SENDING[] =
    "SELECT id, channel, address, body, updated_at FROM outbox"
    " WHERE (status = 'pending' OR status = 'sending') AND status = 'sending'"
    " AND (node = ?1 OR node IS NULL) ORDER BY +id";
/* The rows of the nodes silent since ?2 (not ?1, this one). */
const char SQL_SENDER_ORPHANS[] =
    "SELECT id, channel, address, body, updated_at FROM outbox"
    " WHERE (status = 'pending' OR status = 'sending') AND status = 'sending'"
    " AND node IN (SELECT id FROM nodes WHERE seen_at < ?2 AND id <> ?1)"
    " ORDER BY +id";
/* Taken over: the row is this node's (?2) to settle now. */
const char SQL_SENDER_ADOPT[] =
    "UPDATE outbox SET node = ?2 WHERE id = ?1 AND status = 'sending'";
/* A silent node whose rows are all taken over is forgotten. */
const char SQL_NODE_FORGET[] =
    "DELETE FROM nodes WHERE seen_at < ?2 AND id <> ?1";
/* This node (?1) is alive at ?2. */
const char SQL_NODE_BEAT[] =
    "INSERT INTO nodes(id, started_at, seen_at) VALUES (?1, ?2, ?2)"
    " ON CONFLICT(id) DO UPDATE SET seen_at = excluded.seen_at";
const char SQL_SENDER_RESET_ONE[] =
    "UPDATE outbox SET status = 'pending' WHERE id = ?1 AND status = 'sending'";
/* outbox_recipient */
const char SQL_SENDER_KNOWN[] =
    "SELECT provider_id FROM outbox WHERE channel = ?1 AND address = ?2"
    " AND id < ?3 AND provider_id IS NOT NULL ORDER BY id DESC LIMIT ?4";
/* A lookup found no message: the attempt never reached the provider. */
const char SQL_SENDER_UNSENT[] =
    "UPDATE outbox SET status = 'pending', next_at = ?2, updated_at = ?3,"
    " attempts = max(attempts - 1, 0) WHERE id = ?1 AND status = 'sending'";
const char SQL_SENDER_ID_TAKEN[] =
    "SELECT 1 FROM outbox WHERE channel = (SELECT channel FROM outbox WHERE id = ?1)"
    " AND provider_id = ?2 AND id <> ?1";
/*
 * Due rows of one channel whose recipient has nothing earlier still going.
 * They are read in id order from the partial index outbox_pending (the
 * unary + keeps next_at from choosing another plan), so the LIMIT ends the
 * look with no sort; rows held behind a busy recipient's earlier one are
 * not in that index at all.  The inner look reads outbox_active, the
 * recipient's unsent rows only, not every message they were sent.
 */
const char SQL_SENDER_CLAIMABLE[] =
    "SELECT o.id, o.address, o.body FROM outbox o"
    " WHERE o.status = 'pending' AND o.held = 0 AND o.channel = ?1"
    " AND +o.next_at <= ?2"
    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel"
    "  AND p.address = o.address AND p.id < o.id"
    "  AND (p.status = 'pending' OR p.status = 'sending') AND (p.status = 'sending'"
    "  OR p.attempts > 0 OR p.next_at <= ?2))"
    " ORDER BY o.id LIMIT ?3";
/*
 * A row held behind a recipient's earlier one that no row is before any
 * more (outbox_waiting).  The trigger outbox_release frees it when the one
 * before it is done; with several nodes, a row inserted held while the
 * one before it was being recorded in another node's transaction is not
 * seen by that trigger: these find and free it (the order of sending is
 * kept by the claim's NOT EXISTS either way; this is only that it goes).
 */
#define SQL_HELD_HEAD \
    " FROM outbox o WHERE o.channel = ?1 AND o.status = 'pending' AND o.held = 1" \
    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel" \
    "  AND p.address = o.address AND p.id < o.id" \
    "  AND (p.status = 'pending' OR p.status = 'sending'))"
const char SQL_SENDER_HELD_FREE[] =
    "SELECT 1" SQL_HELD_HEAD " LIMIT 1";
const char SQL_SENDER_UNHOLD[] =
    "UPDATE outbox SET held = 0 WHERE id IN (SELECT o.id" SQL_HELD_HEAD ")";
/* Is a row of SQL_SENDER_CLAIMABLE's there?  (On a reader: it locks nothing.) */
const char SQL_SENDER_DUE[] =
    "SELECT 1 FROM outbox o"
    " WHERE o.status = 'pending' AND o.held = 0 AND o.channel = ?1"
    " AND +o.next_at <= ?2"
    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel"
    "  AND p.address = o.address AND p.id < o.id"
    "  AND (p.status = 'pending' OR p.status = 'sending') AND (p.status = 'sending'"
    "  OR p.attempts > 0 OR p.next_at <= ?2))"
    " LIMIT 1";
/* A simulated channel's due rows (outbox_pending): as sender_local_job's. */
const char SQL_SENDER_LOCAL_DUE[] =
    "SELECT 1 FROM outbox WHERE channel = ?1 AND status = 'pending' AND held = 0"
    " AND +next_at <= ?2 LIMIT 1";
/* A simulated channel's due rows delivered at once (outbox_pending). */
const char SQL_SENDER_LOCAL_DELIVER[] =
    "UPDATE outbox SET status = 'delivered', attempts = 1, updated_at = ?2"
    " WHERE channel = ?1 AND status = 'pending' AND held = 0 AND +next_at <= ?2";
/* Claimed by node ?3, unless another node's claim came first. */
const char SQL_SENDER_CLAIM[] =
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?2,"
    " node = ?3 WHERE id = ?1 AND status = 'pending'";
const char SQL_SENDER_SENT[] =
    "UPDATE outbox SET status = 'sent', provider_id = ?2, error = NULL, updated_at = ?3"
    " WHERE id = ?1";
const char SQL_SENDER_EARLY_RECEIPT[] =
    "SELECT status, error FROM receipts WHERE channel = (SELECT channel FROM outbox"
    " WHERE id = ?1) AND provider_id = ?2 ORDER BY id";
const char SQL_SENDER_EARLY_APPLY[] =
    "UPDATE outbox SET status = ?2, error = ?3 WHERE id = ?1";
const char SQL_SENDER_EARLY_DELETE[] =
    "DELETE FROM receipts WHERE channel = (SELECT channel FROM outbox WHERE id = ?1)"
    " AND provider_id = ?2";
const char SQL_SENDER_RETRY[] =
    "UPDATE outbox SET status = 'pending', next_at = ?2, error = ?3, updated_at = ?4"
    " WHERE id = ?1";
const char SQL_SENDER_FINAL[] =
    "UPDATE outbox SET status = ?2, error = ?3, updated_at = ?4 WHERE id = ?1";
const char SQL_SENDER_ROW[] =
    "SELECT attempts, case_id, address, channel FROM outbox WHERE id = ?1";
const char SQL_SENDER_OPTED_OUT[] =
    "UPDATE residents SET opted_out = 1, updated_at = ?2 WHERE address = ?1";

/* --- rates every node shares (gateway/sender.c) --------------------------- */

static const char SQL_RATE_PRUNE[] =
    "DELETE FROM rate_marks WHERE key = ?1 AND at <= ?2";
static const char SQL_RATE_COUNT[] =
    "SELECT count(*) FROM rate_marks WHERE key = ?1 AND at > ?2";
static const char SQL_RATE_MARK[] =
    "INSERT INTO rate_marks(key, at) VALUES (?1, ?2)";

int64_t
store_rate_used(struct store *st, const char *key, int64_t since_ms)
{
	struct store_stmt	*stmt;
	int64_t			 n = -1;

	if (store_lock_key(st, "rate", key) != 0)
		return -1;
	stmt = store_stmt(st, SQL_RATE_PRUNE);
	store_bind_text(stmt, 1, key, -1, STORE_STATIC);
	store_bind_int64(stmt, 2, since_ms);
	if (store_step(stmt) != STORE_DONE) {
		store_reset(stmt);
		return -1;
	}
	store_reset(stmt);
	stmt = store_stmt(st, SQL_RATE_COUNT);
	store_bind_text(stmt, 1, key, -1, STORE_STATIC);
	store_bind_int64(stmt, 2, since_ms);
	if (store_step(stmt) == STORE_ROW)
		n = store_column_int64(stmt, 0);
	store_reset(stmt);
	return n;
}

int
store_rate_mark(struct store *st, const char *key, int64_t at_ms)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_RATE_MARK);
	int			 rc;

	store_bind_text(stmt, 1, key, -1, STORE_STATIC);
	store_bind_int64(stmt, 2, at_ms);
	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/* --- receipts (gateway/inbound.c) ------------------------------------------ */

const char SQL_RECEIPT_UPDATE[] =
    "UPDATE outbox SET status = ?3, error = ?4, updated_at = ?5"
    " WHERE channel = ?1 AND provider_id = ?2 AND status NOT IN ('delivered', 'dead')";
const char SQL_RECEIPT_KNOWN[] =
    "SELECT 1 FROM outbox WHERE channel = ?1 AND provider_id = ?2";
const char SQL_RECEIPT_KEEP[] =
    "INSERT INTO receipts(channel, provider_id, status, error, at) VALUES (?1, ?2, ?3, ?4, ?5)";

/* PostgreSQL's forms of the statements above that it says otherwise
 * (store/pg.c; the rest run as written, ?N as $N). */
const struct store_dialect store_pg_outbox[] = {
	{ SQL_SENDER_UNSENT,
	  "UPDATE outbox SET status = 'pending', next_at = $2, updated_at = $3,"
	  " attempts = GREATEST(attempts - 1, 0) WHERE id = $1 AND status = 'sending'" },
	/* a row another node is claiming is left to it; rows stay in id
	 * order per recipient (an earlier row being claimed still counts
	 * as going in the NOT EXISTS) */
	/* rows another node is settling right now are its own */
	{ SQL_SENDER_SENDING,
	  "SELECT id, channel, address, body, updated_at FROM outbox"
	  " WHERE status = 'sending' AND (node = $1 OR node IS NULL)"
	  " ORDER BY id FOR UPDATE SKIP LOCKED" },
	{ SQL_SENDER_ORPHANS,
	  "SELECT id, channel, address, body, updated_at FROM outbox"
	  " WHERE status = 'sending'"
	  " AND node IN (SELECT id FROM nodes WHERE seen_at < $2 AND id <> $1)"
	  " ORDER BY id FOR UPDATE OF outbox SKIP LOCKED" },
	{ SQL_SENDER_CLAIMABLE,
	  "SELECT o.id, o.address, o.body FROM outbox o"
	  " WHERE o.status = 'pending' AND o.held = 0 AND o.channel = $1"
	  " AND o.next_at <= $2"
	  " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel"
	  "  AND p.address = o.address AND p.id < o.id"
	  "  AND (p.status = 'pending' OR p.status = 'sending') AND (p.status = 'sending'"
	  "  OR p.attempts > 0 OR p.next_at <= $2))"
	  " ORDER BY o.id LIMIT $3 FOR UPDATE OF o SKIP LOCKED" },
	{ NULL, NULL },
};
