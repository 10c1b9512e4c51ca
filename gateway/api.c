/*
 * api.c: the admin API (GET /api/cases, GET /api/cases/{number}) behind the
 * bearer token, and the sim channel's outbox listing.  Reads go through the
 * pool of read-only connections, never the writer.
 */
#include "gateway.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../dialogs/dialogs.h"

#define API_LIMIT_DEFAULT	100
#define API_LIMIT_MAX		1000
#define OUTBOX_LIMIT		500

static const char *case_statuses[] = {
	"received", "accepted", "dispatched", "in_progress", "resolved",
	"closed", "reopened", "declined", "cancelled", NULL
};

/* A macro, so that the queries made with it are literals. */
#define CASE_COLUMNS \
    "id, number, status, channel, citizen, grid, township, category, tier," \
    " description, place, deputy, department, due_at, created_at, updated_at," \
    " rating, rating_comment, flags, media, language"

/* Bearer token, compared in constant time.  true when allowed. */
static bool
api_authorized(struct req *r, struct gateway *gw)
{
	const char	*h = http_req_header(r, "Authorization");
	size_t		 n;

	if (gw->admin_token == NULL || h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	n = strlen(gw->admin_token);
	if (strlen(h) != n)
		return false;
	return CRYPTO_memcmp(h, gw->admin_token, n) == 0;
}

static json_t *
col_str(sqlite3_stmt *stmt, int i)
{
	const unsigned char *s = sqlite3_column_text(stmt, i);

	return s ? json_string((const char *)s) : json_null();
}

static json_t *
col_int(sqlite3_stmt *stmt, int i)
{
	if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(stmt, i));
}

static json_t *
col_time(sqlite3_stmt *stmt, int i)
{
	char	 iso[32];

	if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
		return json_null();
	time_fmt_iso(sqlite3_column_int64(stmt, i), iso, sizeof(iso));
	return json_string(iso);
}

/* One row of CASE_COLUMNS as the API's case object (new reference). */
static json_t *
case_json(sqlite3_stmt *stmt)
{
	json_t		*o = json_object();
	json_t		*media = NULL;
	int		 flags = sqlite3_column_int(stmt, 18);

	json_object_set_new(o, "number", json_integer(sqlite3_column_int64(stmt, 1)));
	json_object_set_new(o, "status", col_str(stmt, 2));
	json_object_set_new(o, "channel", col_str(stmt, 3));
	json_object_set_new(o, "citizen", col_str(stmt, 4));
	json_object_set_new(o, "grid", col_str(stmt, 5));
	json_object_set_new(o, "township", col_str(stmt, 6));
	json_object_set_new(o, "category", col_str(stmt, 7));
	json_object_set_new(o, "tier", col_int(stmt, 8));
	json_object_set_new(o, "description", col_str(stmt, 9));
	json_object_set_new(o, "place", col_str(stmt, 10));
	json_object_set_new(o, "deputy", col_str(stmt, 11));
	json_object_set_new(o, "department", col_str(stmt, 12));
	json_object_set_new(o, "due_at", col_time(stmt, 13));
	json_object_set_new(o, "created_at", col_time(stmt, 14));
	json_object_set_new(o, "updated_at", col_time(stmt, 15));
	json_object_set_new(o, "rating", col_int(stmt, 16));
	json_object_set_new(o, "rating_comment", col_str(stmt, 17));
	json_object_set_new(o, "triage", json_boolean(flags & CASE_FLAG_TRIAGE));
	json_object_set_new(o, "escalated", json_boolean(flags & CASE_FLAG_ESCALATED));
	json_object_set_new(o, "overdue", json_boolean(flags & CASE_FLAG_OVERDUE));
	if (sqlite3_column_type(stmt, 19) != SQLITE_NULL)
		media = json_loads((const char *)sqlite3_column_text(stmt, 19), 0, NULL);
	json_object_set_new(o, "media", media ? media : json_array());
	json_object_set_new(o, "language", col_str(stmt, 20));
	return o;
}

/* A non-negative integer query argument; -1 when present and bad. */
static long
arg_uint(struct req *r, const char *name, long dflt, long max)
{
	const char	*s = http_req_arg(r, name);
	char		*end;
	long		 v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > max)
		return -1;
	return v;
}

/*
 * A phone number in a query argument.  "+" in a query string decodes to a
 * space, so a leading space is read as "+".
 */
static int
arg_phone(struct req *r, struct gateway *gw, const char *name, char *out, size_t outsz)
{
	const char	*s = http_req_arg(r, name);
	char		 tmp[64];
	const char	*why;

	if (s == NULL || *s == '\0')
		return 0;
	strlcpy(tmp, s, sizeof(tmp));
	if (tmp[0] == ' ')
		tmp[0] = '+';
	if (phone_normalize(tmp, gw->cfg->region, out, outsz, &why) != 0) {
		/* group members are addressed by id, kept as given */
		if (strlcpy(out, s, outsz) >= outsz)
			return -1;
	}
	return 1;
}

enum MHD_Result
api_cases(struct req *r, struct gateway *gw)
{
	const char	*status = http_req_arg(r, "status");
	const char	*grid = http_req_arg(r, "grid");
	const char	*deputy = http_req_arg(r, "deputy");
	const char	*since = http_req_arg(r, "since");
	char		 citizen[96];
	int		 has_citizen;
	int64_t		 since_t = 0;
	long		 limit, offset;
	struct buf	 sql;
	struct store	*st = NULL;
	sqlite3_stmt	*stmt;
	json_t		*list = NULL, *o;
	enum MHD_Result	 ret;
	int		 n = 0, rc, i;
	bool		 ok;

	if (!api_authorized(r, gw))
		return http_req_error(r, 401, "missing or wrong bearer token");
	if (status != NULL) {
		for (ok = false, i = 0; case_statuses[i] != NULL; i++)
			ok = ok || strcmp(status, case_statuses[i]) == 0;
		if (!ok)
			return http_req_error(r, 400, "status: expected one of received, "
			    "accepted, dispatched, in_progress, resolved, closed, "
			    "reopened, declined, cancelled");
	}
	if (grid != NULL && config_grid(gw->cfg, grid) == NULL)
		return http_req_error(r, 400, "grid: unknown grid id");
	if (deputy != NULL && config_deputy(gw->cfg, deputy) == NULL)
		return http_req_error(r, 400, "deputy: unknown deputy id");
	if (since != NULL && time_parse_iso(since, &since_t) != 0)
		return http_req_error(r, 400, "since: expected a date like 2026-11-01 or 2026-11-01T08:00:00Z");
	if ((has_citizen = arg_phone(r, gw, "citizen", citizen, sizeof(citizen))) < 0)
		return http_req_error(r, 400, "citizen: too long");
	if ((limit = arg_uint(r, "limit", API_LIMIT_DEFAULT, API_LIMIT_MAX)) < 0 || limit == 0)
		return http_req_error(r, 400, "limit: expected 1 to 1000");
	if ((offset = arg_uint(r, "offset", 0, 1L << 40)) < 0)
		return http_req_error(r, 400, "offset: expected a number from 0");

	/* Fixed fragments and bound values only. */
	buf_init(&sql, 0);
	buf_addstr(&sql, "SELECT " CASE_COLUMNS " FROM cases WHERE 1");
	if (status)
		buf_addstr(&sql, " AND status = ?1");
	if (grid)
		buf_addstr(&sql, " AND grid = ?2");
	if (deputy)
		buf_addstr(&sql, " AND deputy = ?3");
	if (has_citizen)
		buf_addstr(&sql, " AND citizen = ?4");
	if (since)
		buf_addstr(&sql, " AND created_at >= ?5");
	buf_addstr(&sql, " ORDER BY created_at DESC, id DESC LIMIT ?6 OFFSET ?7");

	st = reader_pool_get(&gw->readers);
	stmt = store_stmt(st, buf_str(&sql));
	if (status)
		sqlite3_bind_text(stmt, 1, status, -1, SQLITE_TRANSIENT);
	if (grid)
		sqlite3_bind_text(stmt, 2, grid, -1, SQLITE_TRANSIENT);
	if (deputy)
		sqlite3_bind_text(stmt, 3, deputy, -1, SQLITE_TRANSIENT);
	if (has_citizen)
		sqlite3_bind_text(stmt, 4, citizen, -1, SQLITE_TRANSIENT);
	if (since)
		sqlite3_bind_int64(stmt, 5, since_t);
	sqlite3_bind_int64(stmt, 6, limit);
	sqlite3_bind_int64(stmt, 7, offset);
	list = json_array();
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_array_append_new(list, case_json(stmt));
		n++;
	}
	sqlite3_reset(stmt);
	reader_pool_put(&gw->readers, st);
	buf_free(&sql);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return http_req_error(r, 500, "store read failed");
	}
	o = json_pack("{s:o, s:i, s:i, s:i}", "cases", list, "count", n,
	    "limit", (json_int_t)limit, "offset", (json_int_t)offset);
	ret = http_json(r, 200, o);
	json_decref(o);
	return ret;
}

enum MHD_Result
api_case(struct req *r, struct gateway *gw, const char *number)
{
	struct store	*st;
	sqlite3_stmt	*stmt;
	json_t		*o = NULL, *events;
	char		*end;
	long		 n;
	int64_t		 id = 0;
	enum MHD_Result	 ret;
	int		 rc;

	if (!api_authorized(r, gw))
		return http_req_error(r, 401, "missing or wrong bearer token");
	errno = 0;
	n = strtol(number, &end, 10);
	if (*number == '\0' || *end != '\0' || errno != 0 || n <= 0)
		return http_req_error(r, 400, "case number: expected a positive number");

	st = reader_pool_get(&gw->readers);
	stmt = store_stmt(st, "SELECT " CASE_COLUMNS " FROM cases WHERE number = ?1");
	sqlite3_bind_int64(stmt, 1, n);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		o = case_json(stmt);
		id = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (o == NULL) {
		reader_pool_put(&gw->readers, st);
		return rc == SQLITE_DONE ? http_req_error(r, 404, "no such case") :
		    http_req_error(r, 500, "store read failed");
	}
	events = json_array();
	stmt = store_stmt(st, "SELECT at, actor, kind, from_status, to_status, detail"
	    " FROM case_events WHERE case_id = ?1 ORDER BY id");
	sqlite3_bind_int64(stmt, 1, id);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		json_t *ev = json_object();
		json_object_set_new(ev, "at", col_time(stmt, 0));
		json_object_set_new(ev, "actor", col_str(stmt, 1));
		json_object_set_new(ev, "kind", col_str(stmt, 2));
		json_object_set_new(ev, "from_status", col_str(stmt, 3));
		json_object_set_new(ev, "to_status", col_str(stmt, 4));
		json_object_set_new(ev, "detail", col_str(stmt, 5));
		json_array_append_new(events, ev);
	}
	sqlite3_reset(stmt);
	reader_pool_put(&gw->readers, st);
	json_object_set_new(o, "events", events);
	ret = http_json(r, 200, o);
	json_decref(o);
	return ret;
}

/* GET /webhooks/{sim}/outbox?to=&after=: what the simulated phones got;
 * the admin token, like the case API (http.c has checked the peer). */
enum MHD_Result
api_sim_outbox(struct req *r, struct gateway *gw, struct channel *ch)
{
	char		 to[96];
	int		 has_to;
	long		 after;
	struct store	*st;
	sqlite3_stmt	*stmt;
	json_t		*list;
	enum MHD_Result	 ret;

	/* every message with its full number: staff only */
	if (!api_authorized(r, gw))
		return http_req_error(r, 401, "missing or wrong bearer token");
	if ((has_to = arg_phone(r, gw, "to", to, sizeof(to))) < 0)
		return http_req_error(r, 400, "to: too long");
	if ((after = arg_uint(r, "after", 0, 1L << 50)) < 0)
		return http_req_error(r, 400, "after: expected a message id");
	st = reader_pool_get(&gw->readers);
	stmt = store_stmt(st, has_to ?
	    "SELECT id, address, body, created_at FROM outbox WHERE channel = ?1"
	    " AND address = ?2 AND id > ?3 ORDER BY id LIMIT ?4" :
	    "SELECT id, address, body, created_at FROM outbox WHERE channel = ?1"
	    " AND id > ?3 ORDER BY id LIMIT ?4");
	sqlite3_bind_text(stmt, 1, ch->conf->id, -1, SQLITE_STATIC);
	if (has_to)
		sqlite3_bind_text(stmt, 2, to, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, after);
	sqlite3_bind_int(stmt, 4, OUTBOX_LIMIT);
	list = json_array();
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		json_t *m = json_object();
		json_object_set_new(m, "id", json_integer(sqlite3_column_int64(stmt, 0)));
		json_object_set_new(m, "to", col_str(stmt, 1));
		json_object_set_new(m, "text", col_str(stmt, 2));
		json_object_set_new(m, "at", col_time(stmt, 3));
		json_array_append_new(list, m);
	}
	sqlite3_reset(stmt);
	reader_pool_put(&gw->readers, st);
	ret = http_json(r, 200, list);
	json_decref(list);
	return ret;
}
