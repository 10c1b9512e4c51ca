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
 *
 * Slow clients: libmicrohttpd caps connections (server.max_connections, and
 * server.max_connections_per_ip from one address) and closes a silent one
 * (server.idle_timeout_seconds).  A client that trickles a header line now
 * and then is never silent, so the watcher thread also closes a connection
 * whose request line and headers are not all in within
 * server.header_timeout_seconds of its start or of its previous answer.
 *
 * Shutdown: a webhook suspended while its job waits for the writer holds a
 * reference to its req, and so does the job.  When the drain time is over,
 * gateway_http_abandon answers every webhook still waiting 503 and lets
 * its connection go; the job, when the writer reaches it, stores nothing
 * and drops the last reference.  libmicrohttpd may then stop: it aborts
 * the process when a connection is still suspended.
 */
#include "gateway.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "../console/console.h"

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

#define WATCH_TICK_MS	200	/* how often the watcher looks at deadlines */
/* GnuTLS priorities: TLS 1.2 and 1.3 only (1.0 and 1.1 are broken). */
#define HTTP_TLS_PRIORITIES	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

/* One open connection, the watcher's view of it. */
struct conn {
	struct conn	*prev, *next;	/* watch.conns */
	MHD_socket	 fd;		/* owned by libmicrohttpd */
	int64_t		 deadline;	/* time_mono_ms() the headers are due by; 0 = none */
	char		 addr[INET6_ADDRSTRLEN]; /* the peer, for the log */
};

struct req {
	uint64_t		 id;		/* leads its log lines; X-Request-Id */
	struct gateway		*gw;		/* the generation current at its start */
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
	bool			 bad_path;	/* %00 or %2F in the path */
	/* Under watch.mtx: */
	int			 refs;		/* the connection's, and a queued job's */
	bool			 abandoned;	/* answered 503 at shutdown: store nothing */
	struct req		*wprev, *wnext;	/* watch.waiting, while REQ_WAITING */
};

/*
 * The server's shared state besides struct gateway: open connections for
 * the header deadline, and webhooks waiting for the writer for shutdown.
 * One server per process.
 */
static struct {
	pthread_mutex_t	 mtx;		/* guards what follows */
	pthread_cond_t	 cv;		/* stop */
	pthread_t	 thread;	/* the watcher */
	bool		 running;	/* thread was started */
	bool		 stop;
	int64_t		 header_ms;	/* server.header_timeout_seconds */
	struct conn	*conns;		/* every open connection */
	struct req	*waiting;	/* suspended webhooks */
	bool		 abandoning;	/* no webhook may be suspended now */
} watch = {
	.mtx = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
};

/* Free r and what it holds (watch.mtx not needed: nobody else has it). */
static void
req_free(struct req *r)
{
	gateway_inbound_clear(&r->job);
	inbound_batch_clear(&r->batch);
	json_decref(r->form);
	buf_free(&r->body);
	free(r->uri);
	free(r);
}

/* Drop one reference (watch.mtx held); true when r is to be freed. */
static bool
req_unref_locked(struct req *r)
{
	return --r->refs == 0;
}

/* Take r off watch.waiting (watch.mtx held). */
static void
req_unwait_locked(struct req *r)
{
	if (r->wprev != NULL)
		r->wprev->wnext = r->wnext;
	else
		watch.waiting = r->wnext;
	if (r->wnext != NULL)
		r->wnext->wprev = r->wprev;
	r->wprev = r->wnext = NULL;
}

static enum MHD_Result	route_healthz(struct req *, const char *, const char *);
static enum MHD_Result	route_metrics(struct req *, const char *, const char *);
static enum MHD_Result	route_webhook(struct req *, const char *, const char *);
static enum MHD_Result	route_webhook_get(struct req *, const char *, const char *);
static enum MHD_Result	route_api_cases(struct req *, const char *, const char *);
static enum MHD_Result	route_api_case(struct req *, const char *, const char *);
static enum MHD_Result	route_console(struct req *, const char *, const char *);
static enum MHD_Result	route_api_case_post(struct req *, const char *, const char *);
static enum MHD_Result	route_api_cases_post(struct req *, const char *, const char *);

static const struct route routes[] = {
	{ "GET",  "/healthz",    false, ROUTE_HEALTHZ,   route_healthz },
	{ "GET",  "/metrics",    false, ROUTE_METRICS,   route_metrics },
	{ "POST", "/webhooks/",  true,  ROUTE_WEBHOOK,   route_webhook },
	{ "GET",  "/webhooks/",  true,  ROUTE_SIM_OUTBOX, route_webhook_get },
	{ "GET",  "/api/cases",  false, ROUTE_API_CASES, route_api_cases },
	{ "POST", "/api/cases",  false, ROUTE_API_CASES, route_api_cases_post },
	{ "GET",  "/api/cases/", true,  ROUTE_API_CASE,  route_api_case },
	{ "POST", "/api/cases/", true,  ROUTE_API_CASE,  route_api_case_post },
	{ "GET",  "/",           false, ROUTE_CONSOLE,   route_console },
	{ "GET",  "/console",    false, ROUTE_CONSOLE,   route_console },
	{ "GET",  "/console/",   false, ROUTE_CONSOLE,   route_console },
	{ "GET",  "/console/",   true,  ROUTE_CONSOLE,   route_console },
	{ "POST", "/console/",   true,  ROUTE_CONSOLE,   route_console },
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
	if (atomic_load(&r->gw->root->draining))
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

/*
 * The writer job of a webhook (arg is its req).  One answered 503 at
 * shutdown stores nothing: the provider sends it again.
 */
static int
webhook_job(struct store *st, void *arg)
{
	struct req	*r = arg;
	bool		 abandoned;

	int		 rc;

	pthread_mutex_lock(&watch.mtx);
	abandoned = r->abandoned;
	pthread_mutex_unlock(&watch.mtx);
	if (abandoned)
		return -1;
	rc = gateway_inbound_job(st, &r->job);
	/*
	 * Answered 503 while the job ran (it waited in the store: on
	 * PostgreSQL a row lock, not the writer's BEGIN, holds it): its
	 * writes roll back.  One answered in the moment between this and the
	 * COMMIT is stored all the same, and its provider's retry is then a
	 * duplicate (stored once, answered 200).
	 */
	pthread_mutex_lock(&watch.mtx);
	abandoned = r->abandoned;
	pthread_mutex_unlock(&watch.mtx);
	return abandoned ? -1 : rc;
}

/*
 * Called on the writer thread once the job's transaction is durable (or
 * failed).  Resumes the connection to answer, unless shutdown answered it
 * already; then only the job's reference is dropped.
 */
static void
webhook_done(void *arg, int rc)
{
	struct req	*r = arg;
	bool		 gone;

	pthread_mutex_lock(&watch.mtx);
	if (r->abandoned) {
		gone = req_unref_locked(r);
		pthread_mutex_unlock(&watch.mtx);
		if (gone)
			req_free(r);
		return;
	}
	req_unwait_locked(r);
	r->refs--;		/* the connection's is left: r lives on */
	r->job_rc = rc;
	r->state = REQ_DONE;
	/* Under the lock: once gateway_http_abandon has run, none is suspended. */
	MHD_resume_connection(r->conn);
	pthread_mutex_unlock(&watch.mtx);
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
		if (r->abandoned) {
			log_debug("%016" PRIx64 " webhook abandoned channel=%s "
			    "reason=\"no commit within the drain time\"", r->id,
			    r->ch->conf->id);
			return http_error(r, 503, "shutting down; retry later");
		}
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
	if (atomic_load(&gw->root->draining))
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
	pthread_mutex_lock(&watch.mtx);
	if (watch.abandoning) {
		pthread_mutex_unlock(&watch.mtx);
		return http_error(r, 503, "shutting down; retry later");
	}
	r->state = REQ_WAITING;
	r->refs++;		/* the job's */
	r->wnext = watch.waiting;
	if (watch.waiting != NULL)
		watch.waiting->wprev = r;
	watch.waiting = r;
	pthread_mutex_unlock(&watch.mtx);
	MHD_suspend_connection(r->conn);
	if (store_writer_submit_async(gw->writer, webhook_job, r,
	    webhook_done, r) != 0) {
		pthread_mutex_lock(&watch.mtx);
		req_unwait_locked(r);
		r->refs--;
		r->state = REQ_READING;
		pthread_mutex_unlock(&watch.mtx);
		MHD_resume_connection(r->conn);
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

/* The workbench (console/): its pages, files and JSON. */
static enum MHD_Result
route_console(struct req *r, const char *url, const char *method)
{
	return console_route(r, r->gw, url, method);
}

/* POST /api/cases: a walk-in recorded by staff, through console/. */
static enum MHD_Result
route_api_cases_post(struct req *r, const char *url, const char *method)
{
	(void)url;
	(void)method;
	return console_case_create(r, r->gw);
}

/* POST /api/cases/{n}/actions: the staff commands, through console/. */
static enum MHD_Result
route_api_case_post(struct req *r, const char *url, const char *method)
{
	(void)method;
	return console_case_action(r, r->gw, url + strlen("/api/cases/"));
}

/* Accessors for api.c and console/, which answer through these. */
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

const char *
http_req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

json_t *
http_req_form(struct req *r)
{
	if (r->form == NULL && parse_form(r) == -1) {
		json_decref(r->form);
		r->form = NULL;
	}
	return r->form;
}

const char *
http_req_body(struct req *r, size_t *len)
{
	*len = r->body.len;
	return r->body.data ? r->body.data : "";
}

enum MHD_Result
http_req_respond(struct req *r, unsigned status, struct MHD_Response *resp)
{
	enum MHD_Result	 ret;
	char		 id[17];

	snprintf(id, sizeof(id), "%016" PRIx64, r->id);
	MHD_add_response_header(resp, "X-Request-Id", id);
	ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	metrics_count_request(r->route, status);
	metrics_observe_ms(r->route, (double)(time_mono_ms() - r->t0));
	return ret;
}

uint64_t
http_req_id(struct req *r)
{
	return r->id;
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

/*
 * Whether the raw path (its first len bytes) holds an encoded NUL or "/":
 * libmicrohttpd decodes them, so "/api/cases%00/1" would be "/api/cases"
 * and "/webhooks/sim%2Foutbox" another route's path.
 */
static bool
path_has_encoded_separator(const char *path, size_t len)
{
	size_t	 i;

	for (i = 0; i + 2 < len; i++) {
		if (path[i] != '%')
			continue;
		if (path[i + 1] == '0' && path[i + 2] == '0')
			return true;
		if (path[i + 1] == '2' && (path[i + 2] == 'F' || path[i + 2] == 'f'))
			return true;
	}
	return false;
}

/* The watcher's record of conn (borrowed), or NULL. */
static struct conn *
conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
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
	r->gw = gateway_current(gw);	/* the config of the whole request */
	r->conn = conn;
	r->uri = xstrdup(uri);
	if ((q = strchr(r->uri, '?')) != NULL)
		r->query = q + 1;
	r->bad_path = path_has_encoded_separator(r->uri,
	    q != NULL ? (size_t)(q - r->uri) : strlen(r->uri));
	r->refs = 1;		/* the connection's */
	r->route = ROUTE_OTHER;
	r->t0 = time_mono_ms();
	buf_init(&r->body, r->gw->cfg->server.max_body_bytes);
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
		struct conn *c = conn_of(conn);
		if (c != NULL) {
			pthread_mutex_lock(&watch.mtx);
			c->deadline = 0;	/* the headers are in */
			pthread_mutex_unlock(&watch.mtx);
		}
		if (r->bad_path)
			return http_error(r, 400, "encoded \"/\" or NUL (%%2F, %%00) "
			    "in the path");
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
		if (clen != NULL && strtoull(clen, NULL, 10) > r->gw->cfg->server.max_body_bytes)
			return http_error(r, 413, "body over %zu bytes",
			    r->gw->cfg->server.max_body_bytes);
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
		    r->gw->cfg->server.max_body_bytes);
	return r->rt->fn(r, url, method);
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct gateway	*gw = cls;
	struct req	*r = *con_cls;
	struct conn	*c;
	bool		 gone;

	(void)toe;
	if (r == NULL)
		return;
	pthread_mutex_lock(&watch.mtx);
	/* A kept-alive connection's next request has its own deadline. */
	if ((c = conn_of(conn)) != NULL)
		c->deadline = time_mono_ms() + watch.header_ms;
	gone = req_unref_locked(r);
	pthread_mutex_unlock(&watch.mtx);
	if (gone)
		req_free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&gw->inflight, 1);
}

/* The peer's address as text into addr ("" when unknown). */
static void
peer_addr(struct MHD_Connection *conn, char *addr, socklen_t size)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	addr[0] = '\0';
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    addr, size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    addr, size);
}

/* Connections opened and closed: the watcher's list. */
static void
http_notify_conn(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo	*ci;
	struct conn			*c;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		c = xcalloc(1, sizeof(*c));
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci != NULL ? ci->connect_fd : MHD_INVALID_SOCKET;
		peer_addr(conn, c->addr, sizeof(c->addr));
		pthread_mutex_lock(&watch.mtx);
		c->deadline = time_mono_ms() + watch.header_ms;
		c->next = watch.conns;
		if (watch.conns != NULL)
			watch.conns->prev = c;
		watch.conns = c;
		pthread_mutex_unlock(&watch.mtx);
		*socket_context = c;
		return;
	}
	/* MHD_CONNECTION_NOTIFY_CLOSED: before libmicrohttpd closes the fd. */
	if ((c = *socket_context) == NULL)
		return;
	pthread_mutex_lock(&watch.mtx);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		watch.conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&watch.mtx);
	free(c);
	*socket_context = NULL;
}

/*
 * The watcher: a connection whose headers are overdue is shut down (its
 * fd stays libmicrohttpd's, which sees the end and closes it).
 */
static void *
watch_main(void *arg)
{
	struct timespec	 ts;
	struct conn	*c;
	int64_t		 now;

	(void)arg;
	pthread_setname_np(pthread_self(), "minyi-httpwatch");	/* top, perf */
	pthread_mutex_lock(&watch.mtx);
	while (!watch.stop) {
		now = time_mono_ms();
		for (c = watch.conns; c != NULL; c = c->next) {
			if (c->deadline == 0 || now < c->deadline)
				continue;
			c->deadline = 0;
			log_info("http header timeout remote=%s seconds=%lld", c->addr,
			    (long long)(watch.header_ms / 1000));
			if (c->fd != MHD_INVALID_SOCKET)
				shutdown(c->fd, SHUT_RDWR);
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += WATCH_TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&watch.cv, &watch.mtx, &ts);
	}
	pthread_mutex_unlock(&watch.mtx);
	return NULL;
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
	pthread_mutex_lock(&watch.mtx);
	watch.header_ms = (int64_t)gw->cfg->server.header_timeout_seconds * 1000;
	watch.stop = watch.abandoning = false;
	pthread_mutex_unlock(&watch.mtx);
	gw->httpd = MHD_start_daemon(flags, 0, NULL, NULL,
	    http_access, gw,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)gw->cfg->server.threads,
	    MHD_OPTION_URI_LOG_CALLBACK, http_uri, gw,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, gw,
	    MHD_OPTION_NOTIFY_CONNECTION, http_notify_conn, gw,
	    MHD_OPTION_EXTERNAL_LOGGER, http_log, gw,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)gw->cfg->server.idle_timeout_seconds,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)gw->cfg->server.max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)gw->cfg->server.max_connections_per_ip,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,	/* bounds headers */
	    gw->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, gw->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, gw->tls_key,
	    MHD_OPTION_HTTPS_PRIORITIES, HTTP_TLS_PRIORITIES,
	    MHD_OPTION_END);
	(void)sslen;
	if (gw->httpd == NULL) {
		log_warnx("http cannot listen address=%s port=%d",
		    gw->cfg->server.host, gw->cfg->server.port);
		return -1;
	}
	if ((errno = pthread_create(&watch.thread, NULL, watch_main, NULL)) != 0)
		fatal("http watcher thread");
	watch.running = true;
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

/*
 * Answer 503 to every webhook still waiting for the writer, and suspend no
 * more; their jobs will store nothing.  Returns how many were answered.
 */
int
gateway_http_abandon(struct gateway *gw)
{
	struct req	*r;
	int		 n = 0;

	(void)gw;
	pthread_mutex_lock(&watch.mtx);
	watch.abandoning = true;
	while ((r = watch.waiting) != NULL) {
		req_unwait_locked(r);
		r->abandoned = true;
		r->state = REQ_DONE;
		MHD_resume_connection(r->conn);
		n++;
	}
	pthread_mutex_unlock(&watch.mtx);
	return n;
}

void
gateway_http_stop(struct gateway *gw)
{
	if (gw->httpd != NULL) {
		gateway_http_abandon(gw);	/* libmicrohttpd aborts on any left */
		MHD_stop_daemon(gw->httpd);
	}
	gw->httpd = NULL;
	if (watch.running) {
		pthread_mutex_lock(&watch.mtx);
		watch.stop = true;
		pthread_cond_signal(&watch.cv);
		pthread_mutex_unlock(&watch.mtx);
		pthread_join(watch.thread, NULL);
		watch.running = false;
	}
	free(gw->tls_cert);
	free(gw->tls_key);
	gw->tls_cert = gw->tls_key = NULL;
}
