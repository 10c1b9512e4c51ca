/*
 * twilio.c: SMS through Twilio Programmable Messaging.  Implements:
 *  - incoming message webhooks (form-encoded MessageSid, From, To, Body,
 *    NumMedia, MediaUrl0...):
 *    https://www.twilio.com/docs/messaging/guides/webhook-request
 *  - the X-Twilio-Signature check (HMAC-SHA1 over the URL plus the POST
 *    parameters sorted by name, base64), with the default-port variants
 *    the SDKs' RequestValidator accepts:
 *    https://www.twilio.com/docs/usage/webhooks/webhooks-security
 *  - status callbacks (MessageSid, MessageStatus, ErrorCode):
 *    https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
 *  - sending: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with
 *    basic auth, and its error answers ({"code", "message"}):
 *    https://www.twilio.com/docs/messaging/api/message-resource
 *    https://www.twilio.com/docs/api/errors (21211 invalid To, 21610
 *    unsubscribed recipient)
 *  - looking a message up after a crash (the sender's lookup ops): GET
 *    .../Messages.json?To=&From=&DateSent>=YYYY-MM-DD&PageSize=N, the list
 *    of Message resources ({"messages": [{"sid", "to", "from", "body",
 *    "date_created" (RFC 2822)}], "next_page_uri"}), newest first:
 *    https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
 *    Twilio's Messages API takes no idempotency key, so this is how a
 *    send cut short by a crash is not made twice.
 */
#include "adapter.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define TWILIO_API_BASE		"https://api.twilio.com"
#define TWILIO_MEDIA_MAX	10	/* Twilio attaches at most 10 media */
#define TWILIO_ERR_UNSUBSCRIBED	21610	/* the recipient replied STOP */
#define TWILIO_SIG_LEN		28	/* base64 of a 20-byte SHA-1 MAC */
#define TWILIO_LOOKUP_PAGE	50	/* messages asked for in one lookup */
#define TWILIO_LOOKUP_SKEW_S	60	/* Twilio's clock against ours, at most */

/* A channel's state: from init, freed by cleanup. */
struct twilio_ctx {
	char	*token;		/* auth token, from malloc() */
	char	*sid;		/* account SID, from malloc() */
	char	 from[PHONE_MAX];	/* our number, E.164 */
	char	*api_base;	/* no trailing slash, from malloc() */
};

static void	twilio_check(const struct config *, const struct channel_conf *,
		    const char *, struct config_errors *);
static int	twilio_init(struct channel *);
static void	twilio_cleanup(struct channel *);
static int	twilio_verify(struct channel *, const struct http_req *);
static int	twilio_parse(struct channel *, const struct http_req *,
		    struct inbound_batch *, char *, size_t);
static int	twilio_build(struct channel *, const struct outmsg *,
		    struct http_call *, char *, size_t);
static void	twilio_result(struct channel *, long, const char *, size_t,
		    struct send_result *);
static int	twilio_lookup_build(struct channel *, const struct lookup *,
		    struct http_call *, char *, size_t);
static void	twilio_lookup_result(struct channel *, long, const char *, size_t,
		    const struct lookup *, struct send_result *);

static const struct adapter_ops twilio_ops = {
	.check = twilio_check,
	.init = twilio_init,
	.cleanup = twilio_cleanup,
	.verify = twilio_verify,
	.parse = twilio_parse,
	.build = twilio_build,
	.result = twilio_result,
	.lookup_build = twilio_lookup_build,
	.lookup_result = twilio_lookup_result,
};

static const char *const twilio_keys[] = {
	"account_sid",
	"auth_token_env",
	"from",
	"api_base",
	NULL
};

const struct adapter adapter_twilio = {
	.name = "twilio",
	.ops = &twilio_ops,
	.keys = twilio_keys,
	.flags = AD_F_FORM_BODY,
	.ok_type = "text/xml",
	.ok_body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
};

/* "AC" and 32 hex digits. */
static bool
twilio_sid_valid(const char *s)
{
	size_t	 i;

	if (strncmp(s, "AC", 2) != 0 || strlen(s) != 34)
		return false;
	for (i = 2; i < 34; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool
twilio_url_valid(const char *s)
{
	const char	*host;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return false;
	return host[0] != '\0' && host[0] != '/';
}

/*
 * Our sender number as E.164 into out: a phone number libphonenumber
 * knows, or else a service number already written "+" and 6 to 15
 * digits, kept as written (Chinese SMS service numbers such as
 * +8610690000 are no subscriber numbers, yet they are what replies come
 * from).  0, or -1 with *why.
 */
static int
twilio_sender(const char *in, const char *region, char *out, size_t outsz,
    const char **why)
{
	size_t	 n;

	if (phone_normalize(in, region ? region : "CN", out, outsz, why) == 0)
		return 0;
	n = strlen(in);
	if (in[0] == '+' && n >= 7 && n <= 16 && n < outsz &&
	    strspn(in + 1, "0123456789") == n - 1 && in[1] != '0') {
		strlcpy(out, in, outsz);
		return 0;
	}
	return -1;
}

static void
twilio_check(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	const char	*s, *why = NULL;
	char		 p[128], e164[PHONE_MAX];

	if ((s = adapter_check_string(cc, path, "account_sid", true, errs)) != NULL &&
	    !twilio_sid_valid(s)) {
		snprintf(p, sizeof(p), "%s.account_sid", path);
		config_err(errs, p, "expected \"AC\" and 32 hex digits, got \"%s\"", s);
	}
	adapter_check_string(cc, path, "auth_token_env", true, errs);
	if ((s = adapter_check_string(cc, path, "from", true, errs)) != NULL &&
	    twilio_sender(s, cfg->region, e164, sizeof(e164), &why) == -1) {
		snprintf(p, sizeof(p), "%s.from", path);
		config_err(errs, p, "\"%s\": %s", s, why);
	}
	if ((s = adapter_check_string(cc, path, "api_base", false, errs)) != NULL &&
	    !twilio_url_valid(s)) {
		snprintf(p, sizeof(p), "%s.api_base", path);
		config_err(errs, p, "expected an http:// or https:// URL, got \"%s\"", s);
	}
}

static void
twilio_ctx_free(struct twilio_ctx *tc)
{
	if (tc == NULL)
		return;
	if (tc->token != NULL)
		OPENSSL_cleanse(tc->token, strlen(tc->token));
	free(tc->token);
	free(tc->sid);
	free(tc->api_base);
	free(tc);
}

/* Read the auth token named by auth_token_env; check_config has run. */
static int
twilio_init(struct channel *ch)
{
	struct twilio_ctx	*tc = NULL;
	const char		*env, *token, *sid, *from, *base, *why = NULL;
	size_t			 len;
	int			 rc = -1;

	env = adapter_conf_str(ch->conf, "auth_token_env");
	sid = adapter_conf_str(ch->conf, "account_sid");
	from = adapter_conf_str(ch->conf, "from");
	if ((base = adapter_conf_str(ch->conf, "api_base")) == NULL)
		base = TWILIO_API_BASE;
	if (env == NULL || sid == NULL || from == NULL) {
		log_warnx("twilio init channel=%s: account_sid, auth_token_env "
		    "and from are required", ch->conf->id);
		goto out;
	}
	if ((token = config_secret(env)) == NULL) {
		log_warnx("twilio init channel=%s: environment variable %s is "
		    "not set", ch->conf->id, env);
		goto out;
	}
	tc = xcalloc(1, sizeof(*tc));
	if (twilio_sender(from, ch->cfg->region, tc->from, sizeof(tc->from),
	    &why) == -1) {
		log_warnx("twilio init channel=%s: from \"%s\": %s",
		    ch->conf->id, from, why);
		goto out;
	}
	tc->token = xstrdup(token);
	tc->sid = xstrdup(sid);
	tc->api_base = xstrdup(base);
	len = strlen(tc->api_base);
	while (len > 0 && tc->api_base[len - 1] == '/')
		tc->api_base[--len] = '\0';
	ch->ctx = tc;
	tc = NULL;
	rc = 0;
out:
	twilio_ctx_free(tc);
	return rc;
}

static void
twilio_cleanup(struct channel *ch)
{
	twilio_ctx_free(ch->ctx);
	ch->ctx = NULL;
}

/* --- signature ----------------------------------------------------------- */

static int
twilio_keycmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * base64(HMAC-SHA1(token, url + name1 + value1 + name2 + value2 ...)) with
 * the form's names in byte order, into sig.
 */
static void
twilio_sign(const char *token, const char *url, json_t *form,
    char sig[TWILIO_SIG_LEN + 1])
{
	struct buf	 data;
	const char	**keys = NULL;
	const char	*key;
	json_t		*v;
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 maclen = 0;
	size_t		 n = 0, i;

	buf_init(&data, 0);
	buf_addstr(&data, url);
	if (form != NULL && json_object_size(form) > 0) {
		keys = xcalloc(json_object_size(form), sizeof(*keys));
		json_object_foreach(form, key, v)
			keys[n++] = key;
		qsort(keys, n, sizeof(*keys), twilio_keycmp);
		for (i = 0; i < n; i++) {
			v = json_object_get(form, keys[i]);
			buf_addstr(&data, keys[i]);
			if (json_is_string(v))
				buf_add(&data, json_string_value(v),
				    json_string_length(v));
		}
	}
	if (HMAC(EVP_sha1(), token, (int)strlen(token),
	    (const unsigned char *)buf_str(&data), data.len, mac, &maclen) == NULL)
		fatalx("twilio: HMAC-SHA1 failed");
	EVP_EncodeBlock((unsigned char *)sig, mac, (int)maclen);
	sig[TWILIO_SIG_LEN] = '\0';
	free(keys);
	buf_free(&data);
}

/*
 * url with its scheme's default port written out when it has none, or
 * left out when it has it: Twilio may sign either form.  A new string
 * (caller frees), or NULL when url names another port or another scheme.
 */
static char *
twilio_url_port_variant(const char *url)
{
	const char	*host, *end, *colon, *bracket, *port;
	size_t		 alen;

	if (strncmp(url, "https://", 8) == 0) {
		host = url + 8;
		port = "443";
	} else if (strncmp(url, "http://", 7) == 0) {
		host = url + 7;
		port = "80";
	} else
		return NULL;
	alen = strcspn(host, "/?#");
	end = host + alen;
	colon = memrchr(host, ':', alen);
	bracket = memrchr(host, ']', alen);	/* [IPv6]:port */
	if (colon == NULL || (bracket != NULL && colon < bracket))
		return xasprintf("%.*s:%s%s", (int)(end - url), url, port, end);
	if ((size_t)(end - colon - 1) == strlen(port) &&
	    strncmp(colon + 1, port, strlen(port)) == 0)
		return xasprintf("%.*s%s", (int)(colon - url), url, end);
	return NULL;
}

static bool
twilio_sig_matches(const char *token, const char *url, json_t *form,
    const char *got)
{
	char	 want[TWILIO_SIG_LEN + 1];

	twilio_sign(token, url, form, want);
	return CRYPTO_memcmp(want, got, TWILIO_SIG_LEN) == 0;
}

/*
 * X-Twilio-Signature over server.public_url + path + "?" query, with and
 * without the default port, and the form parameters.
 */
static int
twilio_verify(struct channel *ch, const struct http_req *req)
{
	struct twilio_ctx	*tc = ch->ctx;
	const char		*got;
	char			*url = NULL, *alt = NULL;
	bool			 ok;
	int			 rc = -1;

	if (tc == NULL || ch->cfg->server.public_url == NULL)
		goto out;
	if ((got = req->header(req, "X-Twilio-Signature")) == NULL ||
	    strlen(got) != TWILIO_SIG_LEN)
		goto out;
	url = xasprintf("%s%s%s%s", ch->cfg->server.public_url, req->path,
	    req->query != NULL && req->query[0] != '\0' ? "?" : "",
	    req->query != NULL ? req->query : "");
	alt = twilio_url_port_variant(url);
	/* both, always: the time taken says nothing about which matched */
	ok = twilio_sig_matches(tc->token, url, req->form, got);
	if (alt != NULL && twilio_sig_matches(tc->token, alt, req->form, got))
		ok = true;
	if (ok)
		rc = 0;
out:
	free(url);
	free(alt);
	return rc;
}

/* --- webhooks ------------------------------------------------------------ */

/* form[key] when it is a non-empty string (borrowed), else NULL. */
static const char *
twilio_field(json_t *form, const char *key)
{
	json_t	*v = json_object_get(form, key);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	return json_string_value(v);
}

/* MediaUrl0 .. MediaUrl{NumMedia-1} as a new JSON array, NULL for none. */
static int
twilio_media(json_t *form, json_t **media, char *err, size_t errsz)
{
	const char	*s, *url;
	char		*end = NULL, key[32];
	long		 n, i;

	*media = NULL;
	if ((s = twilio_field(form, "NumMedia")) == NULL)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0 || n > TWILIO_MEDIA_MAX) {
		snprintf(err, errsz, "NumMedia: expected 0 to %d, got \"%s\"",
		    TWILIO_MEDIA_MAX, s);
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "MediaUrl%ld", i);
		if ((url = twilio_field(form, key)) == NULL)
			continue;
		if (*media == NULL)
			*media = json_array();
		json_array_append_new(*media, json_string(url));
	}
	return 0;
}

/* An incoming message: one struct inbound. */
static int
twilio_parse_message(struct channel *ch, json_t *form,
    struct inbound_batch *batch, char *err, size_t errsz)
{
	struct inbound	 m;
	const char	*sid, *from, *to, *body, *why = NULL;
	json_t		*jbody;
	char		 e164[PHONE_MAX], masked[PHONE_MASKED_MAX];
	size_t		 blen;
	int		 rc = -1;

	memset(&m, 0, sizeof(m));
	if ((sid = twilio_field(form, "MessageSid")) == NULL) {
		snprintf(err, errsz, "MessageSid is missing");
		goto out;
	}
	if ((from = twilio_field(form, "From")) == NULL) {
		snprintf(err, errsz, "From is missing");
		goto out;
	}
	if (phone_normalize(from, ch->cfg->region ? ch->cfg->region : "CN",
	    e164, sizeof(e164), &why) == -1) {
		phone_mask(from, masked, sizeof(masked));	/* logged */
		snprintf(err, errsz, "From \"%s\": %s", masked, why);
		goto out;
	}
	if (twilio_media(form, &m.media, err, errsz) == -1)
		goto out;
	m.provider_id = xstrdup(sid);
	m.from = xstrdup(e164);
	if ((to = twilio_field(form, "To")) != NULL) {
		if (phone_normalize(to, ch->cfg->region ? ch->cfg->region : "CN",
		    e164, sizeof(e164), &why) == 0)
			m.to = xstrdup(e164);
		else
			m.to = xstrdup(to);
	}
	/* Body may be empty or absent when the message is only media */
	jbody = json_object_get(form, "Body");
	body = json_is_string(jbody) ? json_string_value(jbody) : "";
	blen = json_is_string(jbody) ? json_string_length(jbody) : 0;
	if (utf8_valid(body, blen))
		m.text = xstrndup(body, blen);
	else
		m.text = utf8_sanitize(body, blen);
	m.params = json_deep_copy(form);
	m.addressed = true;
	*inbound_batch_add(batch) = m;
	memset(&m, 0, sizeof(m));
	rc = 0;
out:
	inbound_clear(&m);
	return rc;
}

/* Twilio's MessageStatus values in ours (struct receipt). */
static const struct {
	const char	*twilio;
	const char	*ours;
} twilio_statuses[] = {
	{ "accepted",		"queued" },
	{ "scheduled",		"queued" },
	{ "queued",		"queued" },
	{ "sending",		"queued" },
	{ "sent",		"sent" },
	{ "partially_delivered", "sent" },
	{ "delivered",		"delivered" },
	{ "read",		"delivered" },
	{ "undelivered",	"undelivered" },
	{ "failed",		"failed" },
	{ "canceled",		"failed" },
};

/* A status callback: one struct receipt. */
static int
twilio_parse_status(json_t *form, struct inbound_batch *batch, char *err,
    size_t errsz)
{
	struct receipt	*r;
	const char	*sid, *status, *ours = NULL, *code;
	size_t		 i;

	if ((sid = twilio_field(form, "MessageSid")) == NULL &&
	    (sid = twilio_field(form, "SmsSid")) == NULL) {
		snprintf(err, errsz, "MessageSid is missing");
		return -1;
	}
	if ((status = twilio_field(form, "MessageStatus")) == NULL &&
	    (status = twilio_field(form, "SmsStatus")) == NULL) {
		snprintf(err, errsz, "MessageStatus is missing");
		return -1;
	}
	for (i = 0; i < nitems(twilio_statuses); i++)
		if (strcmp(status, twilio_statuses[i].twilio) == 0)
			ours = twilio_statuses[i].ours;
	if (ours == NULL) {
		snprintf(err, errsz, "MessageStatus \"%s\" is not one of an "
		    "outgoing message", status);
		return -1;
	}
	r = inbound_batch_add_receipt(batch);
	r->provider_id = xstrdup(sid);
	r->status = xstrdup(ours);
	if ((code = twilio_field(form, "ErrorCode")) != NULL)
		r->error = xstrdup(code);
	return 0;
}

static int
twilio_parse(struct channel *ch, const struct http_req *req,
    struct inbound_batch *batch, char *err, size_t errsz)
{
	if (!json_is_object(req->form)) {
		snprintf(err, errsz, "expected a form body");
		return -1;
	}
	if (req->sub == NULL || req->sub[0] == '\0')
		return twilio_parse_message(ch, req->form, batch, err, errsz);
	if (strcmp(req->sub, "/status") == 0)
		return twilio_parse_status(req->form, batch, err, errsz);
	snprintf(err, errsz, "no such webhook");
	return -1;
}

/* --- sending ------------------------------------------------------------- */

/* A call to the account's Messages resource (query: NULL, or a query
 * string without "?"), with its basic auth; JSON back. */
static void
twilio_messages_call(const struct twilio_ctx *tc, const char *query,
    struct http_call *call)
{
	call->url = xasprintf("%s/2010-04-01/Accounts/%s/Messages.json%s%s",
	    tc->api_base, tc->sid, query != NULL ? "?" : "", query != NULL ? query : "");
	call->userpwd = xasprintf("%s:%s", tc->sid, tc->token);
	http_call_header(call, "Accept: application/json");
}

/* "&name=value" (no '&' when first) with value URL-encoded. */
static void
twilio_form_add(struct buf *b, const char *name, const char *value)
{
	char	*enc;

	if ((enc = curl_easy_escape(NULL, value, 0)) == NULL)
		fatalx("twilio: curl_easy_escape failed");
	buf_printf(b, "%s%s=%s", b->len > 0 ? "&" : "", name, enc);
	curl_free(enc);
}

static int
twilio_build(struct channel *ch, const struct outmsg *msg,
    struct http_call *call, char *err, size_t errsz)
{
	struct twilio_ctx	*tc = ch->ctx;
	struct buf		 body;
	int			 rc = -1;

	buf_init(&body, 0);
	if (tc == NULL) {
		snprintf(err, errsz, "channel not initialised");
		goto out;
	}
	if (msg->to == NULL || msg->to[0] == '\0' || msg->body == NULL) {
		snprintf(err, errsz, "no recipient or no text");
		goto out;
	}
	twilio_form_add(&body, "To", msg->to);
	twilio_form_add(&body, "From", tc->from);
	twilio_form_add(&body, "Body", msg->body);
	if (msg->status_url != NULL)
		twilio_form_add(&body, "StatusCallback", msg->status_url);
	call->body = buf_steal(&body);
	http_call_header(call, "Content-Type: application/x-www-form-urlencoded");
	twilio_messages_call(tc, NULL, call);
	rc = 0;
out:
	buf_free(&body);
	return rc;
}

/*
 * Twilio's JSON answer (new reference, or NULL when it is none) and its
 * error "code" and "message", when it carries them (borrowed from it).
 */
static json_t *
twilio_answer(const char *body, size_t len, json_int_t *code, const char **message)
{
	json_t	*root = NULL, *v;

	*code = 0;
	*message = NULL;
	if (body != NULL && len > 0)
		root = json_loadb(body, len, 0, NULL);
	if (json_is_integer(v = json_object_get(root, "code")))
		*code = json_integer_value(v);
	if (json_is_string(v = json_object_get(root, "message")))
		*message = json_string_value(v);
	return root;
}

/*
 * A call Twilio did not take (status -1: no answer at all): no answer,
 * 429 and 5xx are to be tried again, anything else gets refused; the
 * error says Twilio's code and message, or the HTTP status, after what.
 */
static void
twilio_refused(struct send_result *r, long status, json_int_t code,
    const char *message, const char *what, enum send_outcome refused)
{
	r->outcome = (status == -1 || status == 429 || status >= 500) ?
	    SEND_RETRY : refused;
	if (status == -1)
		return;		/* the sender says what the network did */
	if (code != 0)
		snprintf(r->error, sizeof(r->error), "%scode %lld: %s", what,
		    (long long)code, message ? message : "");
	else
		snprintf(r->error, sizeof(r->error), "%sHTTP %ld", what, status);
}

/*
 * 2xx: accepted, with the message's "sid".  No answer, 429 and 5xx: try
 * again.  Any other status: refused, with Twilio's {"code", "message"}.
 */
static void
twilio_result(struct channel *ch, long status, const char *body, size_t len,
    struct send_result *r)
{
	json_t		*root = NULL, *v;
	json_int_t	 code = 0;
	const char	*message = NULL;

	(void)ch;
	memset(r, 0, sizeof(*r));
	root = twilio_answer(body, len, &code, &message);

	if (status >= 200 && status < 300) {
		r->outcome = SEND_OK;
		if (json_is_string(v = json_object_get(root, "sid")))
			strlcpy(r->provider_id, json_string_value(v),
			    sizeof(r->provider_id));
		else
			log_warnx("twilio send accepted without a sid status=%ld",
			    status);
		goto out;
	}
	twilio_refused(r, status, code, message, "", SEND_FAIL);
	if (r->outcome == SEND_FAIL && code == TWILIO_ERR_UNSUBSCRIBED)
		r->opted_out = true;
out:
	json_decref(root);
}

/* --- looking a message up after a crash ---------------------------------- */

/*
 * The list of the messages we sent q's recipient since the day before the
 * claim (GMT dates: the filter takes a date, not a time), newest first.
 * The recipient's later messages wait while this one is "sending", so if
 * Twilio has it, it is at the head of the list: one page is enough.
 *
 * DateSent filters on date_sent, which Twilio sets once it has handed the
 * message on; whether the filter lists a message still queued (no
 * date_sent yet) is not documented.  The sender looks no sooner than a
 * grace after its start (lookup_grace_seconds), by when Twilio normally
 * has sent it.
 */
static int
twilio_lookup_build(struct channel *ch, const struct lookup *q,
    struct http_call *call, char *err, size_t errsz)
{
	struct twilio_ctx	*tc = ch->ctx;
	struct buf		 query;
	struct tm		 tm;
	time_t			 day = (time_t)(q->since - TWILIO_LOOKUP_SKEW_S);
	char			 date[16], page[16];
	int			 rc = -1;

	buf_init(&query, 0);
	if (tc == NULL) {
		snprintf(err, errsz, "channel not initialised");
		goto out;
	}
	if (q->msg->to == NULL || q->msg->to[0] == '\0' || q->msg->body == NULL) {
		snprintf(err, errsz, "no recipient or no text");
		goto out;
	}
	if (gmtime_r(&day, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0) {
		snprintf(err, errsz, "claim time %lld out of range",
		    (long long)q->since);
		goto out;
	}
	snprintf(page, sizeof(page), "%d", TWILIO_LOOKUP_PAGE);
	twilio_form_add(&query, "To", q->msg->to);
	twilio_form_add(&query, "From", tc->from);
	twilio_form_add(&query, "DateSent%3E", date);	/* DateSent>=date */
	twilio_form_add(&query, "PageSize", page);
	twilio_messages_call(tc, buf_str(&query), call);
	rc = 0;
out:
	buf_free(&query);
	return rc;
}

static bool
twilio_known(const struct lookup *q, const char *sid)
{
	size_t	 i;

	for (i = 0; i < q->nknown; i++)
		if (strcmp(q->known[i], sid) == 0)
			return true;
	return false;
}

/*
 * The message is one of the list's whose to and body are q's, created
 * no earlier than the claim (less the clocks' skew), and whose sid is
 * not one of the recipient's earlier messages (q->known: the same text
 * may well have gone to them a moment before, in the same second).
 * Found: SEND_OK with its sid.  None: SEND_UNSENT.  No answer, 429, 5xx,
 * an answer that is no list, or a match whose date cannot be read:
 * SEND_RETRY, ask again.  Any other status (401, 404: the account cannot
 * list): SEND_UNSENT with the reason, so that the message is sent again
 * (at least once) rather than waiting for ever.
 */
static void
twilio_lookup_result(struct channel *ch, long status, const char *body,
    size_t len, const struct lookup *q, struct send_result *r)
{
	json_t		*root = NULL, *list, *m, *v;
	json_int_t	 code = 0;
	const char	*message = NULL, *sid, *to, *text, *created;
	time_t		 t;
	size_t		 i;

	(void)ch;
	memset(r, 0, sizeof(*r));
	root = twilio_answer(body, len, &code, &message);
	if (status < 200 || status >= 300) {
		twilio_refused(r, status, code, message, "lookup: ", SEND_UNSENT);
		goto out;
	}
	if (!json_is_array(list = json_object_get(root, "messages"))) {
		r->outcome = SEND_RETRY;
		snprintf(r->error, sizeof(r->error), "lookup: HTTP %ld without "
		    "a list of messages", status);
		goto out;
	}
	r->outcome = SEND_UNSENT;
	json_array_foreach(list, i, m) {
		if (!json_is_string(v = json_object_get(m, "sid")) ||
		    json_string_length(v) == 0)
			continue;
		sid = json_string_value(v);
		to = json_string_value(json_object_get(m, "to"));
		text = json_string_value(json_object_get(m, "body"));
		if (to == NULL || text == NULL || strcmp(to, q->msg->to) != 0 ||
		    strcmp(text, q->msg->body) != 0 || twilio_known(q, sid))
			continue;
		created = json_string_value(json_object_get(m, "date_created"));
		if (created == NULL || (t = curl_getdate(created, NULL)) == -1) {
			r->outcome = SEND_RETRY;
			snprintf(r->error, sizeof(r->error), "lookup: %s has no "
			    "date_created we can read", sid);
			continue;	/* a later one may still match */
		}
		if ((int64_t)t < q->since - TWILIO_LOOKUP_SKEW_S)
			continue;
		r->outcome = SEND_OK;
		r->error[0] = '\0';
		strlcpy(r->provider_id, sid, sizeof(r->provider_id));
		break;
	}
out:
	json_decref(root);
}
