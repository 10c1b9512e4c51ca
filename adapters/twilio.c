/*
 * twilio.c: SMS through Twilio Programmable Messaging.  Implements:
 *  - incoming message webhooks (form-encoded MessageSid, From, To, Body,
 *    NumMedia, MediaUrl0...):
 *    https://www.twilio.com/docs/messaging/guides/webhook-request
 *  - the X-Twilio-Signature check (HMAC-SHA1 over the URL plus the POST
 *    parameters sorted by name, base64), with the URL variants, repeated
 *    parameters and bodySHA256 as the SDKs' RequestValidator takes them
 *    (twilio-python twilio/request_validator.py, twilio-node
 *    src/webhooks/webhooks.ts):
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

#define TWILIO_URLS_MAX	4	/* as sent or percent-encoded, each without
				 * and with its port */

static int
twilio_keycmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* JSON strings in byte order (memcmp, then the shorter first). */
static int
twilio_valcmp(const void *a, const void *b)
{
	json_t	*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	size_t	 lx = json_string_length(x), ly = json_string_length(y);
	int	 c;

	c = memcmp(json_string_value(x), json_string_value(y), lx < ly ? lx : ly);
	if (c != 0)
		return c;
	return lx < ly ? -1 : lx > ly;
}

/*
 * name + value for each of a repeated name's values, as the SDKs sign
 * them: each distinct value once, in byte order (twilio-python
 * sorted(set(values)), twilio-node Array.from(new Set(v)).sort()).
 */
static void
twilio_sign_values(struct buf *data, const char *name, json_t *list)
{
	json_t	**vals;
	json_t	*v;
	size_t	 n = 0, i;

	vals = xcalloc(json_array_size(list) + 1, sizeof(*vals));
	json_array_foreach(list, i, v)
		if (json_is_string(v))
			vals[n++] = v;
	qsort(vals, n, sizeof(*vals), twilio_valcmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && twilio_valcmp(&vals[i - 1], &vals[i]) == 0)
			continue;
		buf_addstr(data, name);
		buf_add(data, json_string_value(vals[i]), json_string_length(vals[i]));
	}
	free(vals);
}

/*
 * base64(HMAC-SHA1(token, url + name1 + value1 + name2 + value2 ...)) with
 * the form's names in byte order (a repeated name: twilio_sign_values),
 * into sig.  form may be NULL: the URL alone.
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
			if (json_is_array(v)) {
				twilio_sign_values(&data, keys[i], v);
				continue;
			}
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
 * url without its port, and with it (its own, or else the scheme's
 * default), into out[0] and out[1] (new strings; caller frees): the SDKs
 * check both, since Twilio signs either ("https://h" may be signed as
 * "https://h:443", and twilio-node strips "https://h:1234" to
 * "https://h").  User-info ("user:pass@") is kept.  0, or -1 when url is
 * not http:// or https://.
 */
static int
twilio_url_ports(const char *url, char *out[2])
{
	const char	*auth, *host, *end, *colon, *bracket, *port;
	size_t		 alen;

	out[0] = out[1] = NULL;
	if (strncmp(url, "https://", 8) == 0) {
		auth = url + 8;
		port = "443";
	} else if (strncmp(url, "http://", 7) == 0) {
		auth = url + 7;
		port = "80";
	} else
		return -1;
	alen = strcspn(auth, "/?#");
	end = auth + alen;
	host = memrchr(auth, '@', alen);		/* after any user-info */
	host = host != NULL ? host + 1 : auth;
	colon = memrchr(host, ':', (size_t)(end - host));
	bracket = memrchr(host, ']', (size_t)(end - host));	/* [IPv6]:port */
	if (colon == NULL || (bracket != NULL && colon < bracket)) {
		out[0] = xstrdup(url);
		out[1] = xasprintf("%.*s:%s%s", (int)(end - url), url, port, end);
	} else {
		out[0] = xasprintf("%.*s%s", (int)(colon - url), url, end);
		/* "https://h:" has no port: the default one */
		out[1] = colon + 1 == end ?
		    xasprintf("%.*s%s%s", (int)(end - url), url, port, end) :
		    xstrdup(url);
	}
	return 0;
}

/*
 * url in its percent-encoded form, as a WHATWG URL parser (twilio-node's
 * new URL()) writes it: after the host, bytes outside printable ASCII and
 * space, '"', '<', '>' are written %XX, and so are '`', '{', '}' in the
 * path and '\'' in the query ("?Body=It's" is signed as "?Body=It%27s").
 * What is already %XX stays.  A new string; caller frees.
 */
static char *
twilio_url_encoded(const char *url)
{
	struct buf		 b;
	const unsigned char	*p;
	const char		*rest;
	bool			 query = false;

	rest = strstr(url, "://");
	rest = rest != NULL ? rest + 3 : url;
	rest += strcspn(rest, "/?#");
	buf_init(&b, 0);
	buf_add(&b, url, (size_t)(rest - url));
	for (p = (const unsigned char *)rest; *p != '\0'; p++) {
		if (*p == '?')
			query = true;
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '#' ||
		    *p == '<' || *p == '>' || (!query && (*p == '`' || *p == '{' || *p == '}')) ||
		    (query && *p == '\''))
			buf_printf(&b, "%%%02X", *p);
		else
			buf_add(&b, p, 1);
	}
	return buf_steal(&b);
}

/*
 * The URLs Twilio may have signed for public_url + path + "?" query: as
 * received and in its percent-encoded form (when that differs), each
 * without and with the port.  Into urls (new strings; caller frees each);
 * returns how many.
 */
static size_t
twilio_signed_urls(const char *public_url, const struct http_req *req,
    char *urls[TWILIO_URLS_MAX])
{
	char	*forms[2];
	size_t	 n = 0, i;

	forms[0] = xasprintf("%s%s%s%s", public_url, req->path,
	    req->query != NULL && req->query[0] != '\0' ? "?" : "",
	    req->query != NULL ? req->query : "");
	forms[1] = twilio_url_encoded(forms[0]);
	if (strcmp(forms[0], forms[1]) == 0) {
		free(forms[1]);
		forms[1] = NULL;
	}
	for (i = 0; i < 2 && forms[i] != NULL; i++) {
		if (twilio_url_ports(forms[i], &urls[n]) == 0)
			n += 2;
		else
			urls[n++] = xstrdup(forms[i]);
		free(forms[i]);
	}
	return n;
}

/*
 * The value of bodySHA256 in the query (its first), borrowed into *hash
 * with its length; false when the query has none.  Twilio adds it to the
 * URL of a request whose body is not a form (JSON), and then signs the
 * URL alone.
 */
static bool
twilio_body_hash_param(const char *query, const char **hash, size_t *len)
{
	static const char	 name[] = "bodySHA256=";
	const char		*p = query;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, sizeof(name) - 1) == 0) {
			*hash = p + sizeof(name) - 1;
			*len = strcspn(*hash, "&#");
			return true;
		}
		if ((p = strchr(p, '&')) != NULL)
			p++;
	}
	return false;
}

/* The body hashes to the lowercase hex SHA-256 in hash. */
static bool
twilio_body_hash_matches(const struct http_req *req, const char *hash,
    size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0, i;
	char			 want[2 * EVP_MAX_MD_SIZE];

	if (EVP_Digest(req->body, req->body_len, md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		fatalx("twilio: SHA-256 failed");
	if (len != 2 * (size_t)mdlen)
		return false;
	for (i = 0; i < mdlen; i++) {
		want[2 * i] = hex[md[i] >> 4];
		want[2 * i + 1] = hex[md[i] & 0x0f];
	}
	return CRYPTO_memcmp(want, hash, len) == 0;
}

/*
 * X-Twilio-Signature over server.public_url + path + "?" query (each URL
 * of twilio_signed_urls) and the form parameters; or, when the query
 * carries bodySHA256, over the URL alone, with the body's SHA-256 equal
 * to it (twilio-node validateRequestWithBody).
 */
static int
twilio_verify(struct channel *ch, const struct http_req *req)
{
	struct twilio_ctx	*tc = ch->ctx;
	const char		*got, *hash;
	char			*urls[TWILIO_URLS_MAX];
	char			 want[TWILIO_SIG_LEN + 1];
	json_t			*form = req->form;
	size_t			 n = 0, i, hlen;
	bool			 ok = false;

	if (tc == NULL || ch->cfg->server.public_url == NULL)
		return -1;
	if ((got = req->header(req, "X-Twilio-Signature")) == NULL ||
	    strlen(got) != TWILIO_SIG_LEN)
		return -1;
	if (twilio_body_hash_param(req->query, &hash, &hlen)) {
		if (!twilio_body_hash_matches(req, hash, hlen))
			return -1;
		form = NULL;
	}
	n = twilio_signed_urls(ch->cfg->server.public_url, req, urls);
	/* every one, always: the time taken says nothing about which matched */
	for (i = 0; i < n; i++) {
		twilio_sign(tc->token, urls[i], form, want);
		if (CRYPTO_memcmp(want, got, TWILIO_SIG_LEN) == 0)
			ok = true;
		free(urls[i]);
	}
	return ok ? 0 : -1;
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

/*
 * A field this adapter reads, sent more than once, is refused: which one
 * was meant cannot be told (every other field may repeat, and is kept in
 * params with all its values).  0, or -1 with the reason.
 */
static int
twilio_single_fields(json_t *form, char *err, size_t errsz)
{
	static const char *const read[] = { "MessageSid", "SmsSid", "From",
	    "To", "Body", "NumMedia", "MessageStatus", "SmsStatus",
	    "ErrorCode" };
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(form, key, v) {
		if (!json_is_array(v))
			continue;
		for (i = 0; i < nitems(read); i++)
			if (strcmp(key, read[i]) == 0)
				break;
		if (i < nitems(read) || strncmp(key, "MediaUrl", 8) == 0) {
			snprintf(err, errsz, "%s is given %zu times", key,
			    json_array_size(v));
			return -1;
		}
	}
	return 0;
}

/*
 * A message SID as Twilio writes them: two letters ("SM", "MM") and 32
 * hex digits.  Anything else is no message of Twilio's, e.g. a replay
 * whose fields were run together ("MessageSid=SM...To+86...").
 */
static bool
twilio_msg_sid_valid(json_t *form, const char *key)
{
	json_t		*v = json_object_get(form, key);
	const char	*s;
	size_t		 i;

	if (!json_is_string(v) || json_string_length(v) != 34)
		return false;
	s = json_string_value(v);
	if (!isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]))
		return false;
	for (i = 2; i < 34; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
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
	if (!twilio_msg_sid_valid(form, "MessageSid")) {
		snprintf(err, errsz, "MessageSid: expected two letters and 32 "
		    "hex digits");
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
	if (!twilio_msg_sid_valid(form, twilio_field(form, "MessageSid") != NULL ?
	    "MessageSid" : "SmsSid")) {
		snprintf(err, errsz, "MessageSid: expected two letters and 32 "
		    "hex digits");
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
	if (twilio_single_fields(req->form, err, errsz) != 0)
		return -1;
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
