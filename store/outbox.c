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
const char SQL_SENDER_SENDING[] =
    "SELECT id, channel, address, body, updated_at FROM outbox"
    " WHERE (status = 'pending' OR status = 'sending') AND status = 'sending'"
    " ORDER BY +id";
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
/* A simulated channel's due rows (outbox_pending): as sender_local_job's. */
const char SQL_SENDER_LOCAL_DUE[] =
    "SELECT 1 FROM outbox WHERE channel = ?1 AND status = 'pending' AND held = 0"
    " AND +next_at <= ?2 LIMIT 1";
/* A simulated channel's due rows delivered at once (outbox_pending). */
const char SQL_SENDER_LOCAL_DELIVER[] =
    "UPDATE outbox SET status = 'delivered', attempts = 1, updated_at = ?2"
    " WHERE channel = ?1 AND status = 'pending' AND held = 0 AND +next_at <= ?2";
const char SQL_SENDER_CLAIM[] =
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?2"
    " WHERE id = ?1";
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
	{ NULL, NULL },
};
