/*
 * http.c: the libmicrohttpd server.  A route table maps method and path to a
 * handler; webhook bodies are read into a buffer capped by
 * server.max_body_bytes; a webhook's writer job is submitted and its
 * connection suspended, then resumed by the writer after the commit, so no
 * HTTP thread waits on the disk and no 2xx leaves before the data is
 * durable.
 *
 * Lifetime: one struct req per request, allocated in the URI callback (the
 * first thing libmicrohttpd calls) and freed only in the completed callback.
 *
 * Each request gets a 64-bit id there (log_id_next: a random start per
 * process, then one more per request).  Every log line about the request
 * starts with it ("%016" PRIx64) and every answer carries it as
 * X-Request-Id, so an operator can find a provider's complaint in the log.
 */
#include "gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

struct req;
typedef enum MHD_Result (*route_fn)(struct req *, const char *url, const char *method);

struct route {
	const char	*method;
	const char	*path;
	bool		 prefix;	/* path is a prefix */
	enum route_id	 id;
	route_fn	 fn;
};

enum req_state {
	REQ_READING,		/* body still arriving */
	REQ_WAITING,		/* job submitted, connection suspended */
	REQ_DONE		/* job committed or failed: answer now */
};

struct req {
	uint64_t		 id;		/* leads its log lines; X-Request-Id */
	struct gateway		*gw;
	struct MHD_Connection	*conn;
	char			*uri;		/* full request URI, from malloc() */
	const char		*query;		/* into uri, after '?', or NULL */
	enum route_id		 route;
	const struct route	*rt;		/* matched route, once known */
	struct buf		 body;		/* capped at max_body_bytes */
	bool			 too_big;
	int64_t			 t0;		/* time_mono_ms() at start */
	unsigned		 status;	/* the status we answered */
	enum req_state		 state;
	int			 job_rc;
	struct channel		*ch;		/* webhook channel, borrowed */
	struct inbound_batch	 batch;
	struct inbound_job	 job;
	json_t			*form;		/* new ref, or NULL */
};

static enum MHD_Result	route_healthz(struct req *, const char *, const char *);
static enum MHD_Result	route_metrics(struct req *, const char *, const char *);
static enum MHD_Result	route_webhook(struct req *, const char *, const char *);
static enum MHD_Result	route_webhook_get(struct req *, const char *, const char *);
static enum MHD_Result	route_api_cases(struct req *, const char *, const char *);
static enum MHD_Result	route_api_case(struct req *, const char *, const char *);

static const struct route routes[] = {
	{ "GET",  "/healthz",    false, ROUTE_HEALTHZ,   route_healthz },
	{ "GET",  "/metrics",    false, ROUTE_METRICS,   route_metrics },
	{ "POST", "/webhooks/",  true,  ROUTE_WEBHOOK,   route_webhook },
	{ "GET",  "/webhooks/",  true,  ROUTE_SIM_OUTBOX, route_webhook_get },
	{ "GET",  "/api/cases",  false, ROUTE_API_CASES, route_api_cases },
	{ "GET",  "/api/cases/", true,  ROUTE_API_CASE,  route_api_case },
};

/* Queue a response with a copy of body. */
static enum MHD_Result
http_respond(struct req *r, unsigned status, const char *ctype, const char *body)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;
	char			 id[17];

	resp = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	snprintf(id, sizeof(id), "%016" PRIx64, r->id);
	MHD_add_response_header(resp, "X-Request-Id", id);
	ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	/* Counted now: the client may read the answer before "completed". */
	metrics_count_request(r->route, status);
	metrics_observe_ms(r->route, (double)(time_mono_ms() - r->t0));
	return ret;
}

/* {"error": "<reason>"} with the status. */
static enum MHD_Result
http_error(struct req *r, unsigned status, const char *fmt, ...)
{
	char		 msg[512];
	char		*text;
	json_t		*o;
	va_list		 ap;
	enum MHD_Result	 ret;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o = json_pack("{s:s}", "error", msg);
	text = json_dumps(o, JSON_COMPACT);
	ret = http_respond(r, status, "application/json", text);
	free(text);
	json_decref(o);
	return ret;
}

enum MHD_Result
http_json(struct req *r, unsigned status, json_t *o)
{
	char		*text = json_dumps(o, JSON_COMPACT);
	enum MHD_Result	 ret;

	ret = http_respond(r, status, "application/json; charset=utf-8", text);
	free(text);
	return ret;
}

static enum MHD_Result
route_healthz(struct req *r, const char *url, const char *method)
{
	enum MHD_Result	 ret;
	json_t		*o;
	char		*text, why[160], reason[200];

	(void)url;
	(void)method;
	if (atomic_load(&r->gw->draining))
		return http_respond(r, 503, "application/json", "{\"status\":\"draining\"}");
	/* Webhooks would get 500: say so, and find out when it writes again. */
	if (store_writer_failing(r->gw->writer, why, sizeof(why))) {
		store_writer_probe(r->gw->writer);
		snprintf(reason, sizeof(reason), "store cannot write: %s", why);
		o = json_pack("{s:s, s:s}", "status", "failing", "reason", reason);
		text = json_dumps(o, JSON_COMPACT);
		ret = http_respond(r, 503, "application/json", text);
		free(text);
		json_decref(o);
		return ret;
	}
	return http_respond(r, 200, "application/json", "{\"status\":\"ok\"}");
}

static enum MHD_Result
route_metrics(struct req *r, const char *url, const char *method)
{
	char		*text;
	enum MHD_Result	 ret;

	(void)url;
	(void)method;
	text = metrics_render(r->gw);
	ret = http_respond(r, 200, "text/plain; version=0.0.4", text);
	free(text);
	return ret;
}

/* "/webhooks/sms/status" -> channel "sms", *sub "/status". */
static struct channel *
webhook_channel(struct gateway *gw, const char *url, const char **sub)
{
	const char	*id = url + strlen("/webhooks/");
	size_t		 len = strcspn(id, "/");
	size_t		 i;

	*sub = id + len;
	for (i = 0; i < gw->nchannels; i++) {
		const char *cid = gw->channels[i].conf->id;
		if (strlen(cid) == len && strncmp(cid, id, len) == 0)
			return &gw->channels[i];
	}
	return NULL;
}

static const char *
req_header(const struct http_req *hr, const char *name)
{
	struct req	*r = hr->hctx;

	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/*
 * A form body being read.  libmicrohttpd's POST processor hands a value
 * over in pieces (about every 512 bytes of the encoded body), and a piece
 * may end inside a UTF-8 character: the pieces are joined as bytes and
 * the whole value is checked as UTF-8 only when the next field starts or
 * the body ends (adapter_form_add).  The whole body is given in one call,
 * so a value's first piece is the only one at offset 0.
 */
struct form_reader {
	json_t		*form;		/* borrowed: the request's r->form */
	char		*name;		/* field being read, from malloc(), or NULL */
	struct buf	 value;		/* its bytes so far */
	bool		 bad;		/* a field name that is not UTF-8 */
};

/* The field being read, whole, into the form. */
static void
form_reader_flush(struct form_reader *fr)
{
	if (fr->name == NULL)
		return;
	if (adapter_form_add(fr->form, fr->name, fr->value.data, fr->value.len) != 0)
		fr->bad = true;
	free(fr->name);
	fr->name = NULL;
	buf_reset(&fr->value);
}

/* The POST processor's iterator: one piece of one field's value. */
static enum MHD_Result
form_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type,
    const char *transfer_encoding, const char *data, uint64_t off, size_t size)
{
	struct form_reader	*fr = cls;

	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	if (off == 0 || fr->name == NULL) {
		form_reader_flush(fr);
		fr->name = xstrdup(key);
	}
	if (size > 0)
		buf_add(&fr->value, data, size);	/* no cap: the body has one */
	return MHD_YES;
}

/* The form body into r->form (a new object); 0, or -1 when malformed. */
static int
parse_form(struct req *r)
{
	struct MHD_PostProcessor	*pp;
	struct form_reader		 fr;
	int				 rc = -1;

	memset(&fr, 0, sizeof(fr));
	buf_init(&fr.value, 0);
	fr.form = r->form = json_object();
	if ((pp = MHD_create_post_processor(r->conn, 8192, form_field, &fr)) == NULL)
		goto out;
	if (MHD_post_process(pp, r->body.data ? r->body.data : "", r->body.len) == MHD_YES)
		rc = 0;
	MHD_destroy_post_processor(pp);
	form_reader_flush(&fr);
	if (fr.bad)
		rc = -1;
out:
	free(fr.name);
	buf_free(&fr.value);
	return rc;
}

/*
 * The sim channel (AD_F_LOCAL) writes as any number and lists every
 * message sent, so only this machine may use it: a loopback peer, and not
 * a request a local reverse proxy forwarded from elsewhere.  NULL when
 * allowed, else the reason for the 403.
 */
static const char *
local_peer_refusal(struct req *r)
{
	static const char *const forwarded[] = { "Forwarded", "X-Forwarded-For",
	    "X-Real-IP" };
	const union MHD_ConnectionInfo *ci;
	size_t		 i;

	if (!adapter_is_local(r->ch))
		return NULL;
	ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || !adapter_peer_is_loopback(ci->client_addr))
		return "the sim channel answers only this machine (loopback)";
	for (i = 0; i < nitems(forwarded); i++)
		if (MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
		    forwarded[i]) != NULL)
			return "the sim channel answers only this machine, not "
			    "requests a proxy forwarded";
	return NULL;
}

/* Called on the writer thread once the job's transaction is durable. */
static void
webhook_done(void *arg, int rc)
{
	struct req	*r = arg;

	r->job_rc = rc;
	r->state = REQ_DONE;
	MHD_resume_connection(r->conn);
	if (rc == 0)
		gateway_sender_wake();
}

static enum MHD_Result
route_webhook(struct req *r, const char *url, const char *method)
{
	struct gateway	*gw = r->gw;
	struct http_req	 hr;
	const char	*sub;
	char		 err[256];
	const char	*ctype, *why;

	(void)method;
	if (r->state == REQ_DONE) {
		if (r->job_rc != 0) {
			log_warnx("%016" PRIx64 " webhook store failed channel=%s rc=%d",
			    r->id, r->ch->conf->id, r->job_rc);
			return http_error(r, 500, "could not store the message; retry");
		}
		if (r->job.limited)
			return http_error(r, 429, "sender over %d messages a minute; "
			    "retry later", gw->cfg->per_sender_per_minute);
		if (r->job.conflicts > 0)
			return http_error(r, 409, "id already used with another "
			    "caller or text; nothing stored");
		log_debug("%016" PRIx64 " webhook accepted channel=%s msgs=%zu "
		    "receipts=%zu new=%u dup=%u", r->id, r->ch->conf->id,
		    r->batch.nmsgs, r->batch.nreceipts, r->job.stored,
		    r->job.duplicates);
		return http_respond(r, 200, r->ch->ad->ok_type, r->ch->ad->ok_body);
	}
	if ((r->ch = webhook_channel(gw, url, &sub)) == NULL)
		return http_error(r, 404, "unknown channel");
	if (strcmp(sub, "/status") == 0)
		r->route = ROUTE_WEBHOOK_STATUS;
	if (atomic_load(&gw->draining))
		return http_error(r, 503, "shutting down; retry later");

	if (r->ch->ad->flags & AD_F_FORM_BODY) {
		ctype = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_TYPE);
		if (ctype == NULL || strncasecmp(ctype,
		    MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
		    strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) != 0)
			return http_error(r, 400, "expected %s",
			    MHD_HTTP_POST_ENCODING_FORM_URLENCODED);
		if (parse_form(r) == -1)
			return http_error(r, 400, "malformed form body");
	}
	memset(&hr, 0, sizeof(hr));
	hr.method = "POST";
	hr.path = url;
	hr.query = r->query;
	hr.sub = sub;
	hr.body = r->body.data ? r->body.data : "";
	hr.body_len = r->body.len;
	hr.form = r->form;
	hr.header = req_header;
	hr.hctx = r;
	{
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		static __thread char addr[INET6_ADDRSTRLEN];
		addr[0] = '\0';
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, sizeof(addr));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr, sizeof(addr));
		}
		hr.remote_addr = addr;
	}
	if ((why = local_peer_refusal(r)) != NULL) {
		log_info("%016" PRIx64 " webhook forbidden channel=%s remote=%s "
		    "reason=\"%s\"", r->id, r->ch->conf->id, hr.remote_addr, why);
		return http_error(r, 403, "%s", why);
	}
	if (r->ch->ad->ops->verify != NULL && r->ch->ad->ops->verify(r->ch, &hr) != 0) {
		/* not the path: it may carry a secret (domestic SMS pushes) */
		log_info("%016" PRIx64 " webhook forbidden channel=%s remote=%s",
		    r->id, r->ch->conf->id, hr.remote_addr);
		return http_error(r, 403, "signature check failed");
	}
	err[0] = '\0';
	if (r->ch->ad->ops->parse == NULL ||
	    r->ch->ad->ops->parse(r->ch, &hr, &r->batch, err, sizeof(err)) != 0) {
		log_info("%016" PRIx64 " webhook malformed channel=%s reason=\"%s\"",
		    r->id, r->ch->conf->id, err);
		return http_error(r, 400, "%s", err[0] ? err : "malformed request");
	}

	r->job.reqid = r->id;
	r->job.gw = gw;
	r->job.ch = r->ch;
	r->job.batch = &r->batch;
	r->job.now = time_now();
	/* One sender's flood (provider batches are not limited here). */
	if (r->batch.nmsgs == 1) {
		enum limit_verdict v = gateway_limit_check(r->batch.msgs[0].from,
		    gw->cfg->per_sender_per_minute, r->job.now);
		if (v != LIMIT_OK) {
			char masked[PHONE_MASKED_MAX];
			phone_mask(r->batch.msgs[0].from, masked, sizeof(masked));
			log_info("%016" PRIx64 " webhook limited channel=%s from=%s",
			    r->id, r->ch->conf->id, masked);
			r->job.limited = true;
			r->job.tell_limited = v == LIMIT_OVER_TELL;
			if (!r->job.tell_limited)
				return http_error(r, 429, "sender over %d messages a minute; "
				    "retry later", gw->cfg->per_sender_per_minute);
		}
	}
	if (!r->job.limited)
		gateway_inbound_prepare(&r->job);
	r->state = REQ_WAITING;
	MHD_suspend_connection(r->conn);
	if (store_writer_submit_async(gw->writer, gateway_inbound_job, &r->job,
	    webhook_done, r) != 0) {
		MHD_resume_connection(r->conn);
		r->state = REQ_READING;
		return http_error(r, 503, "shutting down; retry later");
	}
	return MHD_YES;
}

static enum MHD_Result
route_webhook_get(struct req *r, const char *url, const char *method)
{
	const char	*sub, *why;

	(void)method;
	if ((r->ch = webhook_channel(r->gw, url, &sub)) == NULL)
		return http_error(r, 404, "unknown channel");
	if (strcmp(sub, "/outbox") != 0 || !adapter_is_local(r->ch))
		return http_error(r, 404, "no such resource");
	if ((why = local_peer_refusal(r)) != NULL) {
		log_info("%016" PRIx64 " outbox forbidden channel=%s reason=\"%s\"",
		    r->id, r->ch->conf->id, why);
		return http_error(r, 403, "%s", why);
	}
	return api_sim_outbox(r, r->gw, r->ch);	/* and the admin token */
}

static enum MHD_Result
route_api_cases(struct req *r, const char *url, const char *method)
{
	(void)url;
	(void)method;
	return api_cases(r, r->gw);
}

static enum MHD_Result
route_api_case(struct req *r, const char *url, const char *method)
{
	(void)method;
	return api_case(r, r->gw, url + strlen("/api/cases/"));
}

/* Accessors for api.c, which answers through these. */
const char *
http_req_arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* What http_req_arg_unknown looks for among the arguments. */
struct arg_check {
	const char *const	*names;		/* the known names, NULL-terminated */
	unsigned		 seen;		/* bit i: names[i] was given */
	const char		*bad;		/* the first name found wrong */
	const char		*why;		/* and what is wrong with it */
};

static enum MHD_Result
arg_check_one(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct arg_check	*c = cls;
	unsigned		 i;

	(void)kind;
	if (*key == '\0' && value == NULL)
		return MHD_YES;		/* an empty piece: "a=1&&b=2" */
	for (i = 0; c->names[i] != NULL && i < 32; i++)
		if (strcmp(key, c->names[i]) == 0)
			break;
	if (c->names[i] == NULL || i >= 32)
		c->why = "unknown";
	else if ((c->seen & (1u << i)) != 0)
		c->why = "given twice";
	else if (value == NULL)
		c->why = "given without a value";
	else {
		c->seen |= 1u << i;
		return MHD_YES;
	}
	c->bad = key;
	return MHD_NO;
}

const char *
http_req_arg_unknown(struct req *r, const char *const *names, const char **why)
{
	struct arg_check	 c = { .names = names };

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg_check_one, &c);
	*why = c.why;
	return c.bad;
}

const char *
http_req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

enum MHD_Result
http_req_error(struct req *r, unsigned status, const char *reason)
{
	return http_error(r, status, "%s", reason);
}

static const struct route *
route_find(const char *url, const char *method, bool *path_known)
{
	size_t	 i;

	*path_known = false;
	for (i = 0; i < nitems(routes); i++) {
		const struct route *rt = &routes[i];
		bool match = rt->prefix ?
		    strncmp(url, rt->path, strlen(rt->path)) == 0 && url[strlen(rt->path)] != '\0' :
		    strcmp(url, rt->path) == 0;
		if (!match)
			continue;
		*path_known = true;
		if (strcmp(method, rt->method) == 0)
			return rt;
	}
	return NULL;
}

/* The URI callback: first call for every request; allocates its req. */
static void *
http_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct gateway	*gw = cls;
	struct req	*r;
	char		*q;

	r = xcalloc(1, sizeof(*r));
	r->id = log_id_next();
	r->gw = gw;
	r->conn = conn;
	r->uri = xstrdup(uri);
	if ((q = strchr(r->uri, '?')) != NULL)
		r->query = q + 1;
	r->route = ROUTE_OTHER;
	r->t0 = time_mono_ms();
	buf_init(&r->body, gw->cfg->server.max_body_bytes);
	atomic_fetch_add(&gw->inflight, 1);
	return r;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct gateway		*gw = cls;
	struct req		*r = *con_cls;
	const char		*clen;
	bool			 path_known;

	(void)version;
	if (r == NULL)		/* no URI callback: cannot happen, but be safe */
		*con_cls = r = http_uri(gw, url, conn);
	if (r->state == REQ_DONE)	/* resumed after the commit */
		return r->rt->fn(r, url, method);

	if (r->rt == NULL) {
		/* First call: headers only.  Refuse early what we can. */
		if ((r->rt = route_find(url, method, &path_known)) == NULL) {
			if (path_known)
				return http_error(r, 405, "method %s not allowed here", method);
			return http_error(r, 404, "no such resource");
		}
		r->route = r->rt->id;
		if (strcmp(method, "POST") != 0)
			return r->rt->fn(r, url, method);
		clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen != NULL && strtoull(clen, NULL, 10) > gw->cfg->server.max_body_bytes)
			return http_error(r, 413, "body over %zu bytes",
			    gw->cfg->server.max_body_bytes);
		return MHD_YES;		/* wait for the body */
	}
	if (*upload_data_size > 0) {
		if (!r->too_big && buf_add(&r->body, upload_data, *upload_data_size) != 0)
			r->too_big = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return http_error(r, 413, "body over %zu bytes",
		    gw->cfg->server.max_body_bytes);
	return r->rt->fn(r, url, method);
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct gateway	*gw = cls;
	struct req	*r = *con_cls;

	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	gateway_inbound_clear(&r->job);
	inbound_batch_clear(&r->batch);
	json_decref(r->form);
	buf_free(&r->body);
	free(r->uri);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&gw->inflight, 1);
}

static void
http_log(void *cls, const char *fmt, va_list ap)
{
	char	 line[512];
	size_t	 n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_debug("httpd %s", line);
}

/* A whole small file into a new string (caller frees), or NULL. */
static char *
read_file(const char *path)
{
	FILE		*fp;
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(&b, chunk, n) != 0)
			break;
	fclose(fp);
	return buf_steal(&b);
}

int
gateway_http_start(struct gateway *gw)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	const union MHD_DaemonInfo *di;
	unsigned		 flags;
	const char		*host = gw->cfg->server.host;

	memset(&ss, 0, sizeof(ss));
	if (strchr(host, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)gw->cfg->server.port);
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1) {
			log_warnx("http bad listen address=%s", host);
			return -1;
		}
		sslen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)gw->cfg->server.port);
		if (strcmp(host, "localhost") == 0)
			host = "127.0.0.1";
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) {
			log_warnx("http bad listen address=%s", host);
			return -1;
		}
		sslen = sizeof(*s4);
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (gw->cfg->server.tls_cert != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			log_warnx("http tls requested but libmicrohttpd has no TLS");
			return -1;
		}
		if ((gw->tls_cert = read_file(gw->cfg->server.tls_cert)) == NULL ||
		    (gw->tls_key = read_file(gw->cfg->server.tls_key)) == NULL) {
			log_warn("http cannot read server.tls files");
			return -1;
		}
		flags |= MHD_USE_TLS;
	}
	gw->httpd = MHD_start_daemon(flags, 0, NULL, NULL,
	    http_access, gw,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)gw->cfg->server.threads,
	    MHD_OPTION_URI_LOG_CALLBACK, http_uri, gw,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, gw,
	    MHD_OPTION_EXTERNAL_LOGGER, http_log, gw,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,	/* bounds headers */
	    gw->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, gw->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, gw->tls_key,
	    MHD_OPTION_END);
	(void)sslen;
	if (gw->httpd == NULL) {
		log_warnx("http cannot listen address=%s port=%d",
		    gw->cfg->server.host, gw->cfg->server.port);
		return -1;
	}
	di = MHD_get_daemon_info(gw->httpd, MHD_DAEMON_INFO_BIND_PORT);
	gw->port = di ? di->port : (uint16_t)gw->cfg->server.port;
	log_info("http listening address=%s port=%u threads=%d tls=%s",
	    gw->cfg->server.host, gw->port, gw->cfg->server.threads,
	    gw->tls_cert ? "yes" : "no");
	return 0;
}

void
gateway_http_quiesce(struct gateway *gw)
{
	MHD_socket	 fd;

	if (gw->httpd == NULL)
		return;
	fd = MHD_quiesce_daemon(gw->httpd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

void
gateway_http_stop(struct gateway *gw)
{
	if (gw->httpd != NULL)
		MHD_stop_daemon(gw->httpd);
	gw->httpd = NULL;
	free(gw->tls_cert);
	free(gw->tls_key);
	gw->tls_cert = gw->tls_key = NULL;
}
