/*
 * api.c: the admin API (GET /api/cases, GET /api/cases/{number}) behind the
 * bearer token, and the sim channel's outbox listing.  Reads go through the
 * pool of read-only connections, never the writer; their SQL is in
 * store/query.c.  Times are written in the config's timezone, with its
 * offset; an unknown or repeated query argument is a 400 naming it.
 */
#include "gateway.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../dialogs/dialogs.h"
#include "../console/console.h"

#define API_LIMIT_DEFAULT	100
#define API_LIMIT_MAX		1000
#define OUTBOX_LIMIT		500

static const char *case_statuses[] = {
	"received", "accepted", "dispatched", "in_progress", "resolved",
	"closed", "reopened", "declined", "cancelled", NULL
};

/* The query arguments GET /api/cases knows; any other is a 400. */
static const char *const case_filters[] = {
	"status", "grid", "township", "category", "department", "channel",
	"deputy", "citizen", "overdue", "triage", "q", "since", "limit", "offset",
	"tier", "source", NULL
};

#define Q_MAX_BYTES	200	/* a text search, at most */

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
col_str(struct store_stmt *stmt, int i)
{
	const unsigned char *s = store_column_text(stmt, i);

	return s ? json_string((const char *)s) : json_null();
}

static json_t *
col_int(struct store_stmt *stmt, int i)
{
	if (store_column_type(stmt, i) == STORE_NULL)
		return json_null();
	return json_integer(store_column_int64(stmt, i));
}

/* A stored time in the config's zone: 2026-12-06T11:48:00+08:00. */
static json_t *
col_time(struct store_stmt *stmt, int i, struct tz *tz)
{
	char	 iso[40];

	if (store_column_type(stmt, i) == STORE_NULL)
		return json_null();
	time_fmt_iso_tz(tz, store_column_int64(stmt, i), iso, sizeof(iso));
	return json_string(iso);
}

/* One row of the store's case columns as the API's case object (new reference). */
static json_t *
case_json(struct store_stmt *stmt, struct tz *tz)
{
	json_t		*o = json_object();
	json_t		*media = NULL;
	int		 flags = store_column_int(stmt, SCC_FLAGS);

	json_object_set_new(o, "number", json_integer(store_column_int64(stmt, SCC_NUMBER)));
	json_object_set_new(o, "status", col_str(stmt, SCC_STATUS));
	json_object_set_new(o, "channel", col_str(stmt, SCC_CHANNEL));
	json_object_set_new(o, "citizen", col_str(stmt, SCC_CITIZEN));
	json_object_set_new(o, "grid", col_str(stmt, SCC_GRID));
	json_object_set_new(o, "township", col_str(stmt, SCC_TOWNSHIP));
	json_object_set_new(o, "category", col_str(stmt, SCC_CATEGORY));
	json_object_set_new(o, "tier", col_int(stmt, SCC_TIER));
	json_object_set_new(o, "description", col_str(stmt, SCC_DESCRIPTION));
	json_object_set_new(o, "place", col_str(stmt, SCC_PLACE));
	json_object_set_new(o, "deputy", col_str(stmt, SCC_DEPUTY));
	json_object_set_new(o, "department", col_str(stmt, SCC_DEPARTMENT));
	json_object_set_new(o, "due_at", col_time(stmt, SCC_DUE_AT, tz));
	json_object_set_new(o, "created_at", col_time(stmt, SCC_CREATED_AT, tz));
	json_object_set_new(o, "updated_at", col_time(stmt, SCC_UPDATED_AT, tz));
	json_object_set_new(o, "rating", col_int(stmt, SCC_RATING));
	json_object_set_new(o, "rating_comment", col_str(stmt, SCC_RATING_COMMENT));
	json_object_set_new(o, "triage", json_boolean(flags & CASE_FLAG_TRIAGE));
	json_object_set_new(o, "escalated", json_boolean(flags & CASE_FLAG_ESCALATED));
	json_object_set_new(o, "overdue", json_boolean(flags & CASE_FLAG_OVERDUE));
	if (store_column_type(stmt, SCC_MEDIA) != STORE_NULL)
		media = json_loads((const char *)store_column_text(stmt, SCC_MEDIA), 0, NULL);
	json_object_set_new(o, "media", media ? media : json_array());
	json_object_set_new(o, "language", col_str(stmt, SCC_LANGUAGE));
	json_object_set_new(o, "filed_by", col_str(stmt, SCC_FILED_BY));
	json_object_set_new(o, "instruction", col_str(stmt, SCC_INSTRUCTION));
	json_object_set_new(o, "source", col_str(stmt, SCC_SOURCE));
	{	/* the lead (主办) first, then those that assist (协办) */
		json_t		*deps = json_array();
		const char	*a = (const char *)store_column_text(stmt, SCC_ASSIST);
		const char	*lead = (const char *)store_column_text(stmt, SCC_DEPARTMENT);
		size_t		 n;

		if (lead != NULL)
			json_array_append_new(deps, json_string(lead));
		for (; a != NULL && *a != '\0'; a += n + (a[n] == ',')) {
			n = strcspn(a, ",");
			json_array_append_new(deps, json_stringn(a, n));
		}
		json_object_set_new(o, "departments", deps);
	}
	return o;
}

/* A non-negative integer query argument; -1 when present and bad. */
static int64_t
arg_uint(struct req *r, const char *name, int64_t dflt, int64_t max)
{
	const char	*s = http_req_arg(r, name);
	char		*end;
	long long	 v;

	if (s == NULL || *s == '\0')
		return dflt;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > max)
		return -1;
	return (int64_t)v;
}

/* A flag argument: 1 or 0, -1 when absent; -2 when anything else. */
static int
arg_flag(struct req *r, const char *name)
{
	const char	*s = http_req_arg(r, name);

	if (s == NULL)
		return -1;
	if (strcmp(s, "1") == 0)
		return 1;
	if (strcmp(s, "0") == 0)
		return 0;
	return -2;
}

/*
 * status: one status or a comma list of them, into f.  The names kept
 * are the static ones of case_statuses[].  0, or -1 on an unknown name.
 */
static int
arg_statuses(const char *s, struct store_case_filter *f)
{
	const char	*p = s, *comma;
	size_t		 i, j, len;

	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		for (i = 0; case_statuses[i] != NULL; i++)
			if (strlen(case_statuses[i]) == len &&
			    strncmp(p, case_statuses[i], len) == 0)
				break;
		if (case_statuses[i] == NULL)
			return -1;
		for (j = 0; j < f->nstatus && f->status[j] != case_statuses[i]; j++)
			continue;
		if (j == f->nstatus && f->nstatus < STORE_STATUS_MAX)
			f->status[f->nstatus++] = case_statuses[i];
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
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

/*
 * The filters of GET /api/cases into f; NULL, or the reason for a 400,
 * which names the argument.  Strings in f are borrowed from the request
 * (or static).
 */
static const char *
case_filter_read(struct req *r, struct gateway *gw, struct tz *tz,
    struct store_case_filter *f, char *citizen, size_t citizensz)
{
	const struct config	*cfg = gw->cfg;
	const char		*v;
	int64_t			 n;

	memset(f, 0, sizeof(*f));
	if ((v = http_req_arg(r, "status")) != NULL && arg_statuses(v, f) != 0)
		return "status: expected one of received, accepted, dispatched, "
		    "in_progress, resolved, closed, reopened, declined, cancelled, "
		    "or a comma list of them";
	if ((f->grid = http_req_arg(r, "grid")) != NULL && config_grid(cfg, f->grid) == NULL)
		return "grid: unknown grid id";
	if ((f->township = http_req_arg(r, "township")) != NULL &&
	    config_township(cfg, f->township) == NULL)
		return "township: unknown township id";
	if ((f->category = http_req_arg(r, "category")) != NULL &&
	    config_category(cfg, f->category) == NULL)
		return "category: unknown category id";
	if ((f->department = http_req_arg(r, "department")) != NULL &&
	    config_department(cfg, f->department) == NULL)
		return "department: unknown department id";
	if ((f->channel = http_req_arg(r, "channel")) != NULL &&
	    config_channel(cfg, f->channel) == NULL)
		return "channel: unknown channel id";
	if ((f->deputy = http_req_arg(r, "deputy")) != NULL &&
	    config_deputy(cfg, f->deputy) == NULL)
		return "deputy: unknown deputy id";
	switch (arg_phone(r, gw, "citizen", citizen, citizensz)) {
	case -1:
		return "citizen: too long";
	case 1:
		f->citizen = citizen;
		break;
	}
	if ((f->overdue = arg_flag(r, "overdue")) == -2)
		return "overdue: expected 1 or 0";
	if ((f->triage = arg_flag(r, "triage")) == -2)
		return "triage: expected 1 or 0";
	if ((v = http_req_arg(r, "tier")) != NULL) {
		if (strlen(v) != 1 || v[0] < '1' || v[0] > '3')
			return "tier: expected 1, 2 or 3";
		f->tier = v[0] - '0';
	}
	if ((f->source = http_req_arg(r, "source")) != NULL &&
	    strcmp(f->source, "station") != 0 && strcmp(f->source, "phone") != 0)
		return "source: expected station or phone";
	if ((f->q = http_req_arg(r, "q")) != NULL) {
		if (strlen(f->q) > Q_MAX_BYTES || !utf8_valid(f->q, strlen(f->q)))
			return "q: expected UTF-8 text of at most 200 bytes";
		if (*f->q == '\0')
			f->q = NULL;	/* an empty search box */
	}
	if ((v = http_req_arg(r, "since")) != NULL) {
		if (time_parse_tz(tz, v, false, &f->since) != 0)
			return "since: expected a date like 2026-11-01 or a time like "
			    "2026-11-01T08:00:00+08:00";
		f->has_since = true;
	}
	if ((n = arg_uint(r, "limit", API_LIMIT_DEFAULT, API_LIMIT_MAX)) <= 0)
		return "limit: expected 1 to 1000";
	f->limit = n;
	if ((n = arg_uint(r, "offset", 0, INT64_MAX)) < 0)
		return "offset: expected a number from 0";
	f->offset = n;
	return NULL;
}

/* The list, of the cases in sc. */
static enum MHD_Result
api_cases_in(struct req *r, struct gateway *gw, const struct store_scope *sc)
{
	struct store_case_filter f;
	struct store		*st = NULL;
	struct tz		*tz = NULL;
	struct store_stmt		*stmt;
	json_t			*list = NULL, *o;
	const char		*why, *bad;
	char			 citizen[96];
	enum MHD_Result		 ret;
	int64_t			 n = 0, total;
	int			 rc = STORE_ERROR;
	bool			 exact = true;

	if ((bad = http_req_arg_unknown(r, case_filters, &why)) != NULL) {
		char *msg = xasprintf("%.64s: %s%s (filters: status, grid, township, "
		    "category, department, channel, deputy, citizen, overdue, triage, "
		    "tier, source, q, since, limit, offset)", bad, why,
		    strcmp(why, "unknown") == 0 ? " filter" : "");
		ret = http_req_error(r, 400, msg);
		free(msg);
		return ret;
	}
	if ((tz = tz_open(gw->cfg->timezone)) == NULL)
		return http_req_error(r, 500, "timezone unknown");
	if ((why = case_filter_read(r, gw, tz, &f, citizen, sizeof(citizen))) != NULL) {
		tz_close(tz);
		return http_req_error(r, 400, why);
	}
	f.scope = sc;

	st = reader_pool_get(&gw->root->readers);
	list = json_array();
	if ((stmt = store_case_list(st, &f, false)) != NULL) {
		while ((rc = store_step(stmt)) == STORE_ROW) {
			json_array_append_new(list, case_json(stmt, tz));
			n++;
		}
		store_finalize(stmt);
	}
	/* a page that is not full tells the total; else count them */
	total = f.offset + n;
	if (rc == STORE_DONE && (n == f.limit || (n == 0 && f.offset > 0))) {
		rc = STORE_ERROR;
		if ((stmt = store_case_list(st, &f, true)) != NULL) {
			if ((rc = store_step(stmt)) == STORE_ROW) {
				total = store_column_int64(stmt, 0);
				/* a search: were all its matches looked at? */
				if (store_column_count(stmt) > 1)
					exact = store_column_int64(stmt, 1) <= STORE_SEARCH_SCAN;
				rc = STORE_DONE;
			}
			store_finalize(stmt);
		}
	}
	reader_pool_put(&gw->root->readers, st);
	tz_close(tz);
	if (rc != STORE_DONE) {
		json_decref(list);
		return http_req_error(r, 500, "store read failed");
	}
	o = json_pack("{s:o, s:I, s:I, s:I, s:I, s:b}", "cases", list, "count", (json_int_t)n,
	    "total", (json_int_t)total, "limit", (json_int_t)f.limit,
	    "offset", (json_int_t)f.offset, "total_exact", exact);
	if (!exact)
		json_object_set_new(o, "search_scan", json_integer(STORE_SEARCH_SCAN));
	ret = http_json(r, 200, o);
	json_decref(o);
	return ret;
}

/*
 * Who asks (console_auth: the bearer token, or a workbench session with
 * its account's scope), then the list.  401 for neither.
 */
enum MHD_Result
api_cases(struct req *r, struct gateway *gw)
{
	struct console_who	 who;
	enum MHD_Result		 ret;
	int			 rc;

	if ((rc = console_auth(r, gw, &who)) <= 0)
		return rc < 0 ? http_req_error(r, 500, "store read failed") :
		    http_req_error(r, 401, "missing or wrong bearer token");
	ret = api_cases_in(r, gw, &who.scope);
	console_who_free(&who);
	return ret;
}

/* One case with its timeline, when in sc (403 when not). */
static enum MHD_Result
api_case_in(struct req *r, struct gateway *gw, const struct store_scope *sc,
    const char *number)
{
	struct store	*st;
	struct tz	*tz;
	struct store_stmt	*stmt;
	json_t		*o = NULL, *events;
	char		*end;
	long		 n;
	int64_t		 id = 0;
	enum MHD_Result	 ret;
	int		 rc;

	errno = 0;
	n = strtol(number, &end, 10);
	if (*number == '\0' || *end != '\0' || errno != 0 || n <= 0)
		return http_req_error(r, 400, "case number: expected a positive number");
	if ((tz = tz_open(gw->cfg->timezone)) == NULL)
		return http_req_error(r, 500, "timezone unknown");

	st = reader_pool_get(&gw->root->readers);
	stmt = store_case_get(st, n);
	if ((rc = store_step(stmt)) == STORE_ROW) {
		o = case_json(stmt, tz);
		id = store_column_int64(stmt, SCC_ID);
	}
	store_reset(stmt);
	if (o == NULL) {
		reader_pool_put(&gw->root->readers, st);
		tz_close(tz);
		return rc == STORE_DONE ? http_req_error(r, 404, "no such case") :
		    http_req_error(r, 500, "store read failed");
	}
	if (!sc->all && (rc = store_scope_case(st, sc, n, &id)) != 1) {
		reader_pool_put(&gw->root->readers, st);
		tz_close(tz);
		json_decref(o);
		return rc == 0 ? http_req_error(r, 403, "case outside your scope") :
		    http_req_error(r, 500, "store read failed");
	}
	events = json_array();
	stmt = store_case_events(st, id);
	while (store_step(stmt) == STORE_ROW) {
		json_t *ev = json_object();
		json_object_set_new(ev, "at", col_time(stmt, 0, tz));
		json_object_set_new(ev, "actor", col_str(stmt, 1));
		json_object_set_new(ev, "kind", col_str(stmt, 2));
		json_object_set_new(ev, "from_status", col_str(stmt, 3));
		json_object_set_new(ev, "to_status", col_str(stmt, 4));
		json_object_set_new(ev, "detail", col_str(stmt, 5));
		json_array_append_new(events, ev);
	}
	store_reset(stmt);
	reader_pool_put(&gw->root->readers, st);
	tz_close(tz);
	json_object_set_new(o, "events", events);
	ret = http_json(r, 200, o);
	json_decref(o);
	return ret;
}

enum MHD_Result
api_case(struct req *r, struct gateway *gw, const char *number)
{
	struct console_who	 who;
	enum MHD_Result		 ret;
	int			 rc;

	if ((rc = console_auth(r, gw, &who)) <= 0)
		return rc < 0 ? http_req_error(r, 500, "store read failed") :
		    http_req_error(r, 401, "missing or wrong bearer token");
	ret = api_case_in(r, gw, &who.scope, number);
	console_who_free(&who);
	return ret;
}

json_t *
api_case_object(struct gateway *gw, long n)
{
	struct store	*st;
	struct tz	*tz;
	struct store_stmt	*stmt;
	json_t		*o = NULL;

	if ((tz = tz_open(gw->cfg->timezone)) == NULL)
		return NULL;
	st = reader_pool_get(&gw->root->readers);
	stmt = store_case_get(st, n);
	if (store_step(stmt) == STORE_ROW)
		o = case_json(stmt, tz);
	store_reset(stmt);
	reader_pool_put(&gw->root->readers, st);
	tz_close(tz);
	return o;
}

/* GET /webhooks/{sim}/outbox?to=&after=: what the simulated phones got;
 * the admin token, like the case API (http.c has checked the peer). */
enum MHD_Result
api_sim_outbox(struct req *r, struct gateway *gw, struct channel *ch)
{
	char		 to[96];
	int		 has_to;
	int64_t		 after;
	struct store	*st;
	struct tz	*tz;
	struct store_stmt	*stmt;
	json_t		*list;
	enum MHD_Result	 ret;

	/* every message with its full number: staff only */
	if (!api_authorized(r, gw))
		return http_req_error(r, 401, "missing or wrong bearer token");
	if ((has_to = arg_phone(r, gw, "to", to, sizeof(to))) < 0)
		return http_req_error(r, 400, "to: too long");
	if ((after = arg_uint(r, "after", 0, 1L << 50)) < 0)
		return http_req_error(r, 400, "after: expected a message id");
	if ((tz = tz_open(gw->cfg->timezone)) == NULL)
		return http_req_error(r, 500, "timezone unknown");
	st = reader_pool_get(&gw->root->readers);
	stmt = store_outbox_list(st, ch->conf->id, has_to ? to : NULL, after, OUTBOX_LIMIT);
	list = json_array();
	while (store_step(stmt) == STORE_ROW) {
		json_t *m = json_object();
		json_object_set_new(m, "id", json_integer(store_column_int64(stmt, 0)));
		json_object_set_new(m, "to", col_str(stmt, 1));
		json_object_set_new(m, "text", col_str(stmt, 2));
		json_object_set_new(m, "at", col_time(stmt, 3, tz));
		json_array_append_new(list, m);
	}
	store_reset(stmt);
	reader_pool_put(&gw->root->readers, st);
	tz_close(tz);
	ret = http_json(r, 200, list);
	json_decref(list);
	return ret;
}
