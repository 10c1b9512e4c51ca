/*
 * store/intake.c: the statements of a message's way in: the message stored
 * (gateway/inbound.c), its resident and conversation, and the case the
 * dialog makes or withdraws with its events (gateway/conv.c).  Prepared
 * with store_stmt() on the writer's connection.
 */
#include "store_int.h"

/* --- messages (gateway/inbound.c) ------------------------------------------ */

const char SQL_MSG_INSERT[] =
    "INSERT INTO messages(channel, provider_id, address, body, media, params,"
    " body_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT DO NOTHING";
const char SQL_MSG_RECENT[] =
    "SELECT 1 FROM messages WHERE channel = ?1 AND address = ?2"
    " AND body_hash = ?3 AND created_at >= ?4 AND provider_id IS NULL LIMIT 1";

/* --- residents, conversations, cases (gateway/conv.c) ----------------------- */

/* Two statements, not one with RETURNING: SQLite keeps RETURNING rows
 * in a temporary table it makes and drops at every call. */
const char SQL_RESIDENT_UPSERT[] =
    "INSERT INTO residents(address, language, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?3) ON CONFLICT(address) DO UPDATE SET updated_at = ?3";
const char SQL_RESIDENT_GET[] =
    "SELECT opted_out FROM residents WHERE address = ?1";
const char SQL_RESIDENT_OPT[] =
    "UPDATE residents SET opted_out = ?2, updated_at = ?3 WHERE address = ?1";
const char SQL_RESIDENT_LANG[] =
    "UPDATE residents SET language = ?2, updated_at = ?3 WHERE address = ?1";
const char SQL_CONV_GET[] =
    "SELECT state, data, updated_at FROM conversations WHERE channel = ?1 AND address = ?2";
const char SQL_CONV_PUT[] =
    "INSERT INTO conversations(channel, address, state, data, updated_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(channel, address) DO UPDATE SET"
    " state = excluded.state, data = excluded.data, updated_at = excluded.updated_at,"
    " expires_at = excluded.expires_at";
const char SQL_CONV_DEL[] =
    "DELETE FROM conversations WHERE channel = ?1 AND address = ?2";
const char SQL_CASE_GRID[] =
    "SELECT grid FROM cases WHERE number = ?1";
/* a resident's cases made in the last day (gateway/conv.c cases_today) */
const char SQL_CASES_TODAY[] =
    "SELECT count(*) FROM cases WHERE citizen = ?1 AND created_at > ?2";
const char SQL_CASES_OF[] =
    "SELECT number, status, category, grid, deputy, department, created_at,"
    " coalesce(due_at, 0) FROM cases WHERE citizen = ?1 ORDER BY id DESC LIMIT ?2";
/*
 * The number the next case would get (what the dialog tells the resident),
 * read without taking it, and the number taken once the dialog makes the
 * case.  On SQLite the writer's transaction is the only one writing: both
 * read max + 1.  On PostgreSQL the sequence case_number: the first reads
 * it (nothing consumed by a message that makes no case), the second takes
 * its next value, which another node may have taken since (gateway/conv.c
 * then steps the dialog again with the number taken).
 */
const char SQL_CASE_NEXT[] =
    "SELECT coalesce(max(number), 0) + 1 FROM cases";
const char SQL_CASE_TAKE[] =
    "SELECT coalesce(max(number), 0) + 1 AS taken FROM cases";
/* a second case of the same step: the number after ?1, taken above */
const char SQL_CASE_TAKE_AFTER[] =
    "SELECT max(coalesce(max(number), 0), ?1) + 1 AS taken FROM cases";
const char SQL_CASE_INSERT[] =
    "INSERT INTO cases(number, status, channel, citizen, grid, township, category,"
    " tier, description, place, deputy, department, language, flags, media,"
    " created_at, updated_at, reply_channel, reply_address, sched_at, filed_by,"
    " source)"
    " VALUES (?1, 'received', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?14, ?15, ?15, ?16, ?17, ?18, ?19, ?20)";
const char SQL_CASE_CANCEL[] =
    "UPDATE cases SET status = 'cancelled', closed_at = ?2, updated_at = ?2"
    " WHERE number = ?1";
/* the resident puts the problem of a case nobody has taken yet right */
const char SQL_CASE_RECATEGORIZE[] =
    "UPDATE cases SET category = ?2, department = ?3, tier = ?4, updated_at = ?5"
    " WHERE number = ?1 AND status = 'received'";
const char SQL_CASE_CATEGORY[] =
    "SELECT id, category FROM cases WHERE number = ?1 AND status = 'received'";
const char SQL_CASE_ID[] =
    "SELECT id, status FROM cases WHERE number = ?1";
const char SQL_MSG_CASE[] =
    "UPDATE messages SET case_id = ?2 WHERE id = ?1";
const char SQL_EVENT_INSERT[] =
    "INSERT INTO case_events(case_id, at, actor, kind, from_status, to_status, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/* PostgreSQL's forms of the statements above that it says otherwise
 * (store/pg.c; the rest run as written, ?N as $N). */
const struct store_dialect store_pg_intake[] = {
	{ SQL_CASE_NEXT, "SELECT CASE WHEN is_called THEN last_value + 1"
	  " ELSE last_value END FROM case_number" },
	{ SQL_CASE_TAKE, "SELECT nextval('case_number')" },
	{ SQL_CASE_TAKE_AFTER, "SELECT GREATEST(nextval('case_number'),"
	  " CAST($1 AS BIGINT) + 1)" },
	{ NULL, NULL },
};
