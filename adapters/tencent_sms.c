/*
 * tencent_sms.c: SMS through Tencent Cloud SMS (腾讯云短信).  Implements:
 *  - the reply callback (短信回复): one JSON object {extend, mobile,
 *    nationcode, sign, text, time} per request:
 *    https://www.tencentcloud.com/document/api/382/43548
 *  - the status callback (短信下发状态通知): a JSON array of
 *    {user_receive_time, nationcode, mobile, report_status, errmsg,
 *    description, sid}, sid being SendSms's SerialNo:
 *    https://www.tencentcloud.com/document/api/382/43547
 *    both answered {"result": 0, "errmsg": "OK"}.
 *  - sending: SendSms of API 3.0 (Version 2021-01-11), a JSON POST signed
 *    with TC3-HMAC-SHA256:
 *    https://cloud.tencent.com/document/product/382/55981 (SendSms)
 *    https://cloud.tencent.com/document/api/213/30654 (签名方法 v3, with
 *    the worked example that tests/unit/test_domestic_sms.c replays)
 *
 * Tencent Cloud does not sign its callbacks.  The callback URL carries a
 * secret instead, /webhooks/{id}/{secret} (req->sub "/<secret>", or
 * "/<secret>/reply", "/<secret>/status" to name the kind), compared in
 * constant time, and an optional allow-list of source addresses.  When the
 * URL does not say, a JSON object is a reply and an array holds status
 * reports.
 */
#include "adapter.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define TENCENT_API_BASE	"https://sms.tencentcloudapi.com"
#define TENCENT_SERVICE		"sms"	/* the credential scope's service */
#define TENCENT_REGION		"ap-guangzhou"
#define TENCENT_VERSION		"2021-01-11"
#define TENCENT_CT_JSON		"application/json; charset=utf-8"
#define TENCENT_BATCH_MAX	1000	/* reports in one callback */
#define TENCENT_SECRET_MIN	16	/* characters of the URL secret */
#define TENCENT_SEGMENTS_MAX	7	/* 7 × 67 = 469: a long SMS is cut at 500 */
#define TENCENT_SEGMENTS_DEF	2
#define TENCENT_SIGN_MAX	20	/* characters of sign_name */
#define TENCENT_ERR_BLACKLIST	"FailedOperation.PhoneNumberInBlacklist"

/* One allow_from entry: an address and how many leading bits count. */
struct tencent_net {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];
	unsigned	 bits;
};

/* A channel's state: from init, freed by cleanup. */
struct tencent_ctx {
	char			*path_secret;	/* the URL secret, from malloc() */
	char			*secret_key;	/* API SecretKey, from malloc() */
	const char		*secret_id;	/* borrowed from the config */
	const char		*sdk_app_id;	/* borrowed from the config */
	const char		*sign_name;	/* borrowed from the config */
	const char		*template_id;	/* borrowed from the config */
	const char		*region;	/* borrowed, or TENCENT_REGION */
	char			*api_base;	/* no trailing slash, from malloc() */
	char			*host;		/* api_base's host[:port], from malloc() */
	int			 max_segments;
	struct tencent_net	*allow;		/* from malloc(); NULL: any address */
	size_t			 nallow;
};

/* A request header taking part in the signature; both strings borrowed. */
struct tencent_header {
	const char	*name;		/* lower case */
	const char	*value;
};

enum tencent_kind {
	TENCENT_AUTO,
	TENCENT_REPLY,
	TENCENT_STATUS
};

static void	tencent_check(const struct config *, const struct channel_conf *,
		    const char *, struct config_errors *);
static int	tencent_init(struct channel *);
static void	tencent_cleanup(struct channel *);
static int	tencent_verify(struct channel *, const struct http_req *);
static int	tencent_parse(struct channel *, const struct http_req *,
		    struct inbound_batch *, char *, size_t);
static int	tencent_build(struct channel *, const struct outmsg *,
		    struct http_call *, char *, size_t);
static void	tencent_result(struct channel *, long, const char *, size_t,
		    struct send_result *);

static const struct adapter_ops tencent_ops = {
	.check = tencent_check,
	.init = tencent_init,
	.cleanup = tencent_cleanup,
	.verify = tencent_verify,
	.parse = tencent_parse,
	.build = tencent_build,
	.result = tencent_result,
};

const struct adapter adapter_tencent_sms = {
	.name = "tencent_sms",
	.ops = &tencent_ops,
	.flags = 0,
	.ok_type = "application/json",
	.ok_body = "{\"result\":0,\"errmsg\":\"OK\"}",
};

/* --- config -------------------------------------------------------------- */

/* The host[:port] of an http(s) URL as a new string, or NULL if none. */
static char *
tencent_url_host(const char *s)
{
	const char	*host;
	size_t		 len;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return NULL;
	if ((len = strcspn(host, "/?#")) == 0)
		return NULL;
	return xstrndup(host, len);
}

/*
 * "192.0.2.7", "10.0.0.0/8", "2001:db8::1" or "2001:db8::/32" into n.
 * 0, or -1 when s is none of these.
 */
static int
tencent_net_parse(const char *s, struct tencent_net *n)
{
	char		 host[INET6_ADDRSTRLEN];
	const char	*slash;
	char		*end = NULL;
	unsigned long	 bits;
	unsigned	 max;
	size_t		 len;

	memset(n, 0, sizeof(*n));
	slash = strchr(s, '/');
	len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (len == 0 || len >= sizeof(host))
		return -1;
	memcpy(host, s, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, n->addr) == 1) {
		n->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, n->addr) == 1) {
		n->family = AF_INET6;
		max = 128;
	} else
		return -1;
	n->bits = max;
	if (slash == NULL)
		return 0;
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	errno = 0;
	bits = strtoul(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || bits > max)
		return -1;
	n->bits = (unsigned)bits;
	return 0;
}

/* Whether the first n->bits bits of addr (4 or 16 bytes) are n's. */
static bool
tencent_net_has(const struct tencent_net *n, const unsigned char *addr)
{
	unsigned	 full = n->bits / 8, rest = n->bits % 8;
	unsigned char	 mask;

	if (memcmp(n->addr, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (unsigned char)(0xff << (8 - rest));
	return (n->addr[full] & mask) == (addr[full] & mask);
}

/*
 * Whether remote (a textual IPv4 or IPv6 address) is in the allow-list; an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) also matches IPv4 entries.
 * No list: any address.
 */
static bool
tencent_addr_allowed(const struct tencent_ctx *tc, const char *remote)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned char	 a4[4], a6[16];
	bool		 is4 = false, is6 = false;
	size_t		 i;

	if (tc->allow == NULL)
		return true;
	if (remote == NULL)
		return false;
	if (inet_pton(AF_INET, remote, a4) == 1)
		is4 = true;
	else if (inet_pton(AF_INET6, remote, a6) == 1) {
		is6 = true;
		if (memcmp(a6, mapped, sizeof(mapped)) == 0) {
			memcpy(a4, a6 + 12, 4);
			is4 = true;
		}
	}
	for (i = 0; i < tc->nallow; i++) {
		if (tc->allow[i].family == AF_INET && is4 &&
		    tencent_net_has(&tc->allow[i], a4))
			return true;
		if (tc->allow[i].family == AF_INET6 && is6 &&
		    tencent_net_has(&tc->allow[i], a6))
			return true;
	}
	return false;
}

/*
 * allow_from: absent, or a non-empty array of addresses and CIDR blocks.
 * With nets non-NULL, the parsed entries go there (caller frees *nets).
 * 0, or -1 with a problem appended to errs when errs is non-NULL.
 */
static int
tencent_allow_load(const struct channel_conf *cc, const char *path,
    struct config_errors *errs, struct tencent_net **nets, size_t *nnets)
{
	struct tencent_net	 n;
	json_t			*list = json_object_get(cc->json, "allow_from"), *v;
	char			 p[160];
	size_t			 i;
	int			 rc = 0;

	if (nets != NULL) {
		*nets = NULL;
		*nnets = 0;
	}
	if (list == NULL)
		return 0;
	if (!json_is_array(list) || json_array_size(list) == 0) {
		if (errs != NULL) {
			snprintf(p, sizeof(p), "%s.allow_from", path);
			config_err(errs, p, "expected a non-empty array of "
			    "addresses or CIDR blocks");
		}
		return -1;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v) || tencent_net_parse(json_string_value(v),
		    &n) == -1) {
			if (errs != NULL) {
				snprintf(p, sizeof(p), "%s.allow_from[%zu]", path, i);
				config_err(errs, p, "expected an IPv4 or IPv6 "
				    "address or CIDR block, like \"192.0.2.0/24\"");
			}
			rc = -1;
			continue;
		}
		if (nets != NULL) {
			*nets = xrealloc(*nets, (*nnets + 1) * sizeof(**nets));
			(*nets)[(*nnets)++] = n;
		}
	}
	return rc;
}

/* max_segments: absent (the default), or an integer from 1 to 7. */
static int
tencent_segments(const struct channel_conf *cc, int *out)
{
	json_t	*v = json_object_get(cc->json, "max_segments");

	*out = TENCENT_SEGMENTS_DEF;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > TENCENT_SEGMENTS_MAX)
		return -1;
	*out = (int)json_integer_value(v);
	return 0;
}

/* A string key that must hold only digits (an SdkAppId, a TemplateId). */
static void
tencent_check_digits(const struct channel_conf *cc, const char *path,
    const char *key, struct config_errors *errs)
{
	const char	*s;
	char		 p[160];

	if ((s = adapter_check_string(cc, path, key, true, errs)) != NULL &&
	    strspn(s, "0123456789") != strlen(s)) {
		snprintf(p, sizeof(p), "%s.%s", path, key);
		config_err(errs, p, "expected digits, got \"%s\"", s);
	}
}

static void
tencent_check(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	const char	*s;
	char		 p[160], *host;
	int		 segs;

	(void)cfg;
	adapter_check_string(cc, path, "secret_env", true, errs);
	tencent_allow_load(cc, path, errs, NULL, NULL);
	adapter_check_string(cc, path, "secret_id", true, errs);
	adapter_check_string(cc, path, "secret_key_env", true, errs);
	tencent_check_digits(cc, path, "sdk_app_id", errs);
	if ((s = adapter_check_string(cc, path, "sign_name", true, errs)) != NULL &&
	    (utf8_units16(s) > TENCENT_SIGN_MAX || strstr(s, "【") != NULL ||
	    strstr(s, "】") != NULL)) {
		snprintf(p, sizeof(p), "%s.sign_name", path);
		config_err(errs, p, "expected the sign's name without 【】, at "
		    "most %d characters, got \"%s\"", TENCENT_SIGN_MAX, s);
	}
	tencent_check_digits(cc, path, "template_id", errs);
	adapter_check_string(cc, path, "region", false, errs);
	if ((s = adapter_check_string(cc, path, "api_base", false, errs)) != NULL) {
		if ((host = tencent_url_host(s)) == NULL) {
			snprintf(p, sizeof(p), "%s.api_base", path);
			config_err(errs, p, "expected an http:// or https:// URL, "
			    "got \"%s\"", s);
		}
		free(host);
	}
	if (tencent_segments(cc, &segs) == -1) {
		snprintf(p, sizeof(p), "%s.max_segments", path);
		config_err(errs, p, "expected an integer from 1 to %d",
		    TENCENT_SEGMENTS_MAX);
	}
}

static void
tencent_ctx_free(struct tencent_ctx *tc)
{
	if (tc == NULL)
		return;
	if (tc->path_secret != NULL)
		OPENSSL_cleanse(tc->path_secret, strlen(tc->path_secret));
	if (tc->secret_key != NULL)
		OPENSSL_cleanse(tc->secret_key, strlen(tc->secret_key));
	free(tc->path_secret);
	free(tc->secret_key);
	free(tc->api_base);
	free(tc->host);
	free(tc->allow);
	free(tc);
}

/* A URL secret: long enough, and only characters a path keeps as they are. */
static bool
tencent_secret_valid(const char *s)
{
	return strlen(s) >= TENCENT_SECRET_MIN && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
	    == strlen(s);
}

/* Read both secrets from the environment; check_config has run. */
static int
tencent_init(struct channel *ch)
{
	struct tencent_ctx	*tc = NULL;
	const char		*penv, *kenv, *psecret, *ksecret, *base;
	size_t			 len;
	int			 rc = -1;

	penv = adapter_conf_str(ch->conf, "secret_env");
	kenv = adapter_conf_str(ch->conf, "secret_key_env");
	tc = xcalloc(1, sizeof(*tc));
	tc->secret_id = adapter_conf_str(ch->conf, "secret_id");
	tc->sdk_app_id = adapter_conf_str(ch->conf, "sdk_app_id");
	tc->sign_name = adapter_conf_str(ch->conf, "sign_name");
	tc->template_id = adapter_conf_str(ch->conf, "template_id");
	if ((tc->region = adapter_conf_str(ch->conf, "region")) == NULL)
		tc->region = TENCENT_REGION;
	if (penv == NULL || kenv == NULL || tc->secret_id == NULL ||
	    tc->sdk_app_id == NULL || tc->sign_name == NULL ||
	    tc->template_id == NULL) {
		log_warnx("tencent_sms init channel=%s: secret_env, secret_id, "
		    "secret_key_env, sdk_app_id, sign_name and template_id are "
		    "required", ch->conf->id);
		goto out;
	}
	if ((psecret = config_secret(penv)) == NULL ||
	    (ksecret = config_secret(kenv)) == NULL) {
		log_warnx("tencent_sms init channel=%s: environment variable %s "
		    "is not set", ch->conf->id, config_secret(penv) ? kenv : penv);
		goto out;
	}
	if (!tencent_secret_valid(psecret)) {
		log_warnx("tencent_sms init channel=%s: %s must hold at least %d "
		    "of A-Z a-z 0-9 - . _ ~ (it is part of the callback URL)",
		    ch->conf->id, penv, TENCENT_SECRET_MIN);
		goto out;
	}
	if (tencent_allow_load(ch->conf, ch->conf->id, NULL, &tc->allow,
	    &tc->nallow) == -1 || tencent_segments(ch->conf,
	    &tc->max_segments) == -1) {
		log_warnx("tencent_sms init channel=%s: bad allow_from or "
		    "max_segments", ch->conf->id);
		goto out;
	}
	if ((base = adapter_conf_str(ch->conf, "api_base")) == NULL)
		base = TENCENT_API_BASE;
	if ((tc->host = tencent_url_host(base)) == NULL) {
		log_warnx("tencent_sms init channel=%s: api_base \"%s\" is no "
		    "http(s) URL", ch->conf->id, base);
		goto out;
	}
	tc->path_secret = xstrdup(psecret);
	tc->secret_key = xstrdup(ksecret);
	tc->api_base = xstrdup(base);
	len = strlen(tc->api_base);
	while (len > 0 && tc->api_base[len - 1] == '/')
		tc->api_base[--len] = '\0';
	ch->ctx = tc;
	tc = NULL;
	rc = 0;
out:
	tencent_ctx_free(tc);
	return rc;
}

static void
tencent_cleanup(struct channel *ch)
{
	tencent_ctx_free(ch->ctx);
	ch->ctx = NULL;
}

/* --- webhook authenticity ------------------------------------------------ */

/*
 * Whether the first segment of sub ("/<secret>" or "/<secret>/<kind>") is
 * the secret.  Both sides are hashed first so that the comparison takes
 * the same time whatever the length or the first differing byte.
 */
static bool
tencent_sub_secret_ok(const char *secret, const char *sub)
{
	unsigned char	 want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
	unsigned int	 wlen = 0, glen = 0;
	size_t		 len;

	if (sub == NULL || sub[0] != '/')
		return false;
	sub++;
	len = strcspn(sub, "/");
	if (EVP_Digest(secret, strlen(secret), want, &wlen, EVP_sha256(),
	    NULL) != 1 || EVP_Digest(sub, len, got, &glen, EVP_sha256(),
	    NULL) != 1)
		fatalx("tencent_sms: SHA-256 failed");
	return CRYPTO_memcmp(want, got, wlen) == 0;
}

/* The source address must be allowed and the URL must hold the secret. */
static int
tencent_verify(struct channel *ch, const struct http_req *req)
{
	struct tencent_ctx	*tc = ch->ctx;

	if (tc == NULL || !tencent_addr_allowed(tc, req->remote_addr))
		return -1;
	return tencent_sub_secret_ok(tc->path_secret, req->sub) ? 0 : -1;
}

/* --- callbacks ----------------------------------------------------------- */

/*
 * item[key] as a string: 0 with *out borrowed (NULL when absent or null
 * and not required), or -1 with "<where>key ..." as the reason.
 */
static int
tencent_str(json_t *item, const char *where, const char *key, bool required,
    bool empty_ok, const char **out, char *err, size_t errsz)
{
	json_t	*v = json_object_get(item, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		snprintf(err, errsz, "%s%s is missing", where, key);
		return -1;
	}
	if (!json_is_string(v) || (!empty_ok && json_string_length(v) == 0)) {
		snprintf(err, errsz, "%s%s: expected a%s string", where, key,
		    empty_ok ? "" : " non-empty");
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/*
 * item[key] as an id: a non-empty string or an integer, as a new string
 * (caller frees) in *out; NULL when absent and not required.  0 or -1.
 */
static int
tencent_id(json_t *item, const char *where, const char *key, bool required,
    char **out, char *err, size_t errsz)
{
	json_t	*v = json_object_get(item, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		snprintf(err, errsz, "%s%s is missing", where, key);
		return -1;
	}
	if (json_is_string(v) && json_string_length(v) > 0)
		*out = xstrdup(json_string_value(v));
	else if (json_is_integer(v))
		*out = xasprintf("%lld", (long long)json_integer_value(v));
	else {
		snprintf(err, errsz, "%s%s: expected a string or an integer",
		    where, key);
		return -1;
	}
	return 0;
}

/*
 * A stable id for a message that comes without one: the hex SHA-256 of
 * its fields, each ended by a NUL.  A new string; caller frees.
 */
static char *
tencent_hash_id(const char *const *fields, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	EVP_MD_CTX		*md;
	unsigned char		 sum[EVP_MAX_MD_SIZE];
	unsigned int		 len = 0, i;
	char			*out;
	size_t			 k;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		fatalx("tencent_sms: SHA-256 failed");
	for (k = 0; k < n; k++)
		if (EVP_DigestUpdate(md, fields[k] ? fields[k] : "",
		    strlen(fields[k] ? fields[k] : "") + 1) != 1)
			fatalx("tencent_sms: SHA-256 failed");
	if (EVP_DigestFinal_ex(md, sum, &len) != 1)
		fatalx("tencent_sms: SHA-256 failed");
	EVP_MD_CTX_free(md);
	out = xmalloc(2 * (size_t)len + 1);
	for (i = 0; i < len; i++) {
		out[2 * i] = hex[sum[i] >> 4];
		out[2 * i + 1] = hex[sum[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return out;
}

/*
 * The sender of a reply as E.164: "+" nationcode mobile, or the mobile
 * read as a mainland number when there is no nationcode.  0, or -1 with
 * the reason.
 */
static int
tencent_phone_in(const char *mobile, const char *nationcode, char *e164,
    size_t e164sz, char *err, size_t errsz)
{
	const char	*why = NULL;
	char		*in;
	int		 rc;

	if (nationcode != NULL && nationcode[0] != '\0' && mobile[0] != '+')
		in = xasprintf("+%s%s", nationcode, mobile);
	else
		in = xstrdup(mobile);
	if ((rc = phone_normalize(in, "CN", e164, e164sz, &why)) == -1)
		snprintf(err, errsz, "mobile \"%s\" (nationcode \"%s\"): %s",
		    mobile, nationcode ? nationcode : "", why);
	free(in);
	return rc;
}

/*
 * A reply: one message, whose provider_id is the hash of the sender, the
 * time and the text (Tencent Cloud gives it no id).
 */
static int
tencent_parse_reply(json_t *o, struct inbound_batch *b, char *err,
    size_t errsz)
{
	struct inbound	 m;
	const char	*mobile, *text, *fields[3];
	char		*nationcode = NULL, *when = NULL, e164[PHONE_MAX];
	int		 rc = -1;

	memset(&m, 0, sizeof(m));
	if (tencent_str(o, "", "mobile", true, false, &mobile, err, errsz) == -1 ||
	    tencent_id(o, "", "nationcode", false, &nationcode, err, errsz) == -1 ||
	    tencent_str(o, "", "text", true, true, &text, err, errsz) == -1 ||
	    tencent_id(o, "", "time", true, &when, err, errsz) == -1)
		goto out;
	if (strspn(nationcode ? nationcode : "", "0123456789") !=
	    strlen(nationcode ? nationcode : "")) {
		snprintf(err, errsz, "nationcode \"%s\": expected digits",
		    nationcode);
		goto out;
	}
	if (tencent_phone_in(mobile, nationcode, e164, sizeof(e164), err,
	    errsz) == -1)
		goto out;
	fields[0] = e164;
	fields[1] = when;
	fields[2] = text;
	m.provider_id = tencent_hash_id(fields, nitems(fields));
	m.from = xstrdup(e164);
	m.text = xstrdup(text);		/* Jansson holds only valid UTF-8 */
	m.params = json_deep_copy(o);
	m.addressed = true;
	*inbound_batch_add(b) = m;
	memset(&m, 0, sizeof(m));
	rc = 0;
out:
	inbound_clear(&m);
	free(nationcode);
	free(when);
	return rc;
}

/* One status report into b: SUCCESS delivered, FAIL undelivered. */
static int
tencent_parse_status(json_t *item, size_t i, struct inbound_batch *b,
    char *err, size_t errsz)
{
	struct receipt	*r;
	const char	*status, *errmsg, *desc;
	char		 where[32], *sid = NULL;
	int		 rc = -1;

	snprintf(where, sizeof(where), "item %zu: ", i);
	if (!json_is_object(item)) {
		snprintf(err, errsz, "item %zu: expected an object", i);
		goto out;
	}
	if (tencent_id(item, where, "sid", true, &sid, err, errsz) == -1 ||
	    tencent_str(item, where, "report_status", true, false, &status,
	    err, errsz) == -1 || tencent_str(item, where, "errmsg", false,
	    true, &errmsg, err, errsz) == -1 || tencent_str(item, where,
	    "description", false, true, &desc, err, errsz) == -1)
		goto out;
	if (strcmp(status, "SUCCESS") != 0 && strcmp(status, "FAIL") != 0) {
		snprintf(err, errsz, "item %zu: report_status: expected SUCCESS "
		    "or FAIL, got \"%s\"", i, status);
		goto out;
	}
	r = inbound_batch_add_receipt(b);
	r->provider_id = sid;
	sid = NULL;
	if (strcmp(status, "SUCCESS") == 0)
		r->status = xstrdup("delivered");
	else {
		r->status = xstrdup("undelivered");
		if (errmsg != NULL && errmsg[0] != '\0')
			r->error = xstrdup(errmsg);
		else if (desc != NULL && desc[0] != '\0')
			r->error = xstrdup(desc);
	}
	rc = 0;
out:
	free(sid);
	return rc;
}

/* The kind the URL names after the secret, or -1 for an unknown one. */
static int
tencent_sub_kind(const char *sub, enum tencent_kind *kind)
{
	const char	*rest;

	*kind = TENCENT_AUTO;
	if (sub == NULL || sub[0] != '/' || (rest = strchr(sub + 1, '/')) == NULL)
		return 0;
	if (strcmp(rest, "/reply") == 0)
		*kind = TENCENT_REPLY;
	else if (strcmp(rest, "/status") == 0)
		*kind = TENCENT_STATUS;
	else if (rest[1] != '\0')
		return -1;
	return 0;
}

/* Move every message and receipt of from to the end of to; from is freed. */
static void
tencent_batch_move(struct inbound_batch *to, struct inbound_batch *from)
{
	size_t	 i;

	for (i = 0; i < from->nmsgs; i++)
		*inbound_batch_add(to) = from->msgs[i];
	for (i = 0; i < from->nreceipts; i++)
		*inbound_batch_add_receipt(to) = from->receipts[i];
	free(from->msgs);
	free(from->receipts);
	memset(from, 0, sizeof(*from));
}

/*
 * A callback: a reply (an object) or status reports (an array), all of
 * them or nothing (a bad report makes the whole request 400 with its
 * index, and Tencent Cloud calls again).
 */
static int
tencent_parse(struct channel *ch, const struct http_req *req,
    struct inbound_batch *batch, char *err, size_t errsz)
{
	struct inbound_batch	 got;
	enum tencent_kind	 kind;
	json_t			*root = NULL, *item;
	json_error_t		 jerr;
	size_t			 i, n;
	int			 rc = -1;

	(void)ch;
	memset(&got, 0, sizeof(got));
	if (tencent_sub_kind(req->sub, &kind) == -1) {
		snprintf(err, errsz, "no such webhook");
		goto out;
	}
	if (req->body_len == 0) {
		snprintf(err, errsz, "empty body");
		goto out;
	}
	if ((root = json_loadb(req->body, req->body_len, 0, &jerr)) == NULL) {
		snprintf(err, errsz, "body is not JSON: %s", jerr.text);
		goto out;
	}
	if (json_is_object(root) && kind != TENCENT_STATUS) {
		if (tencent_parse_reply(root, &got, err, errsz) == -1)
			goto out;
	} else if (json_is_array(root) && kind != TENCENT_REPLY) {
		if ((n = json_array_size(root)) == 0) {
			snprintf(err, errsz, "empty batch");
			goto out;
		}
		if (n > TENCENT_BATCH_MAX) {
			snprintf(err, errsz, "batch of %zu items, more than %d",
			    n, TENCENT_BATCH_MAX);
			goto out;
		}
		json_array_foreach(root, i, item)
			if (tencent_parse_status(item, i, &got, err, errsz) == -1)
				goto out;
	} else {
		snprintf(err, errsz, kind == TENCENT_REPLY ? "expected a JSON "
		    "object (a reply)" : kind == TENCENT_STATUS ? "expected a "
		    "JSON array (status reports)" : "expected a JSON object (a "
		    "reply) or array (status reports)");
		goto out;
	}
	tencent_batch_move(batch, &got);
	rc = 0;
out:
	inbound_batch_clear(&got);
	json_decref(root);
	return rc;
}

/* --- signing ------------------------------------------------------------- */

/* Lowercase hex of n bytes into out (2n + 1 bytes). */
static void
tencent_hex(const unsigned char *p, size_t n, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

/* Lowercase hex SHA-256 of s into out. */
static void
tencent_sha256_hex(const char *s, char out[65])
{
	unsigned char	 sum[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0;

	if (EVP_Digest(s, strlen(s), sum, &len, EVP_sha256(), NULL) != 1)
		fatalx("tencent_sms: SHA-256 failed");
	tencent_hex(sum, len, out);
}

/* HMAC-SHA256(key, msg) into out (32 bytes). */
static void
tencent_hmac(const unsigned char *key, size_t keylen, const char *msg,
    unsigned char out[32])
{
	unsigned int	 len = 0;

	if (HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg,
	    strlen(msg), out, &len) == NULL || len != 32)
		fatalx("tencent_sms: HMAC-SHA256 failed");
}

static int
tencent_header_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tencent_header *)a)->name,
	    ((const struct tencent_header *)b)->name);
}

/*
 * CanonicalRequest = method "\n" "/" "\n" "" "\n" CanonicalHeaders "\n"
 * SignedHeaders "\n" hex(SHA-256(payload)): the headers sorted by name (in
 * place), each "name:value\n" with the value trimmed and in lower case.
 * The SignedHeaders ("content-type;host") go to *signed_headers.  Both new
 * strings; caller frees.
 */
static char *
tencent_canonical_request(const char *method, struct tencent_header *h,
    size_t n, const char *payload, char **signed_headers)
{
	struct buf	 b, sh;
	const char	*v;
	char		 hash[65];
	size_t		 i, len;

	qsort(h, n, sizeof(*h), tencent_header_cmp);
	buf_init(&b, 0);
	buf_init(&sh, 0);
	buf_printf(&b, "%s\n/\n\n", method);
	buf_addstr(&sh, "");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s:", h[i].name);
		for (v = h[i].value; *v == ' ' || *v == '\t'; v++)
			continue;
		for (len = strlen(v); len > 0 && (v[len - 1] == ' ' ||
		    v[len - 1] == '\t'); len--)
			continue;
		for (; len > 0; v++, len--) {
			char c = (char)tolower((unsigned char)*v);
			buf_add(&b, &c, 1);
		}
		buf_addstr(&b, "\n");
		buf_printf(&sh, "%s%s", i > 0 ? ";" : "", h[i].name);
	}
	tencent_sha256_hex(payload, hash);
	buf_printf(&b, "\n%s\n%s", buf_str(&sh), hash);
	*signed_headers = buf_steal(&sh);
	return buf_steal(&b);
}

/* The UTC date of ts, "2019-02-25", into out. */
static void
tencent_date(int64_t ts, char out[11])
{
	struct tm	 tm;
	time_t		 t = (time_t)ts;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/*
 * StringToSign = "TC3-HMAC-SHA256\n" ts "\n" date/service/tc3_request "\n"
 * hex(SHA-256(canonical request)).  A new string; caller frees.
 */
static char *
tencent_string_to_sign(int64_t ts, const char *service,
    const char *canonical_request)
{
	char	 date[11], hash[65];

	tencent_date(ts, date);
	tencent_sha256_hex(canonical_request, hash);
	return xasprintf("TC3-HMAC-SHA256\n%lld\n%s/%s/tc3_request\n%s",
	    (long long)ts, date, service, hash);
}

/*
 * Signature = hex(HMAC-SHA256(SecretSigning, StringToSign)), where
 * SecretSigning = HMAC(HMAC(HMAC("TC3" SecretKey, date), service),
 * "tc3_request").  Into out.
 */
static void
tencent_signature(const char *secret_key, const char *date,
    const char *service, const char *string_to_sign, char out[65])
{
	unsigned char	 kdate[32], kservice[32], ksigning[32], sig[32];
	char		*tc3;

	tc3 = xasprintf("TC3%s", secret_key);
	tencent_hmac((const unsigned char *)tc3, strlen(tc3), date, kdate);
	tencent_hmac(kdate, sizeof(kdate), service, kservice);
	tencent_hmac(kservice, sizeof(kservice), "tc3_request", ksigning);
	tencent_hmac(ksigning, sizeof(ksigning), string_to_sign, sig);
	tencent_hex(sig, sizeof(sig), out);
	OPENSSL_cleanse(kdate, sizeof(kdate));
	OPENSSL_cleanse(kservice, sizeof(kservice));
	OPENSSL_cleanse(ksigning, sizeof(ksigning));
	OPENSSL_cleanse(tc3, strlen(tc3));
	free(tc3);
}

/*
 * The Authorization header's value for a request (method, headers h in
 * any order, payload) made at ts (seconds since the epoch):
 * "TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
 * SignedHeaders=<...>, Signature=<hex>".  A new string; caller frees.
 */
static char *
tencent_authorization(const char *secret_id, const char *secret_key,
    const char *service, int64_t ts, const char *method,
    struct tencent_header *h, size_t n, const char *payload)
{
	char	*creq, *sts, *signed_headers = NULL, *out;
	char	 date[11], sig[65];

	creq = tencent_canonical_request(method, h, n, payload, &signed_headers);
	sts = tencent_string_to_sign(ts, service, creq);
	tencent_date(ts, date);
	tencent_signature(secret_key, date, service, sts, sig);
	out = xasprintf("TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, "
	    "SignedHeaders=%s, Signature=%s", secret_id, date, service,
	    signed_headers, sig);
	free(creq);
	free(sts);
	free(signed_headers);
	return out;
}

/* --- sending ------------------------------------------------------------- */

/*
 * The longest prefix of text that fits max_segments SMS parts once the
 * provider has put 【sign】 before it: every character (UTF-16 unit)
 * counts alike, sign and brackets included, 70 for one part and 67 a part
 * beyond.  Cut at a character boundary, never refused.  A new string;
 * caller frees.
 */
static char *
tencent_fit(const char *sign, const char *text, int max_segments)
{
	size_t	 cap, used, room;

	cap = max_segments <= 1 ? 70 : 67 * (size_t)max_segments;
	used = utf8_units16(sign) + 2;		/* 【 and 】 */
	room = cap > used ? cap - used : 0;
	if (utf8_units16(text) <= room)
		return xstrdup(text);
	return xstrndup(text, utf8_prefix_units16(text, room));
}

/*
 * The whole SendSms call for to (E.164) and text (already fitted) made at
 * now (seconds since the epoch) into call: URL, JSON body and headers,
 * Authorization last.
 */
static void
tencent_sendsms_call(const struct tencent_ctx *tc, const char *to,
    const char *text, int64_t now, struct http_call *call)
{
	struct tencent_header	 h[3];
	json_t			*root, *set;
	char			*auth;

	root = json_object();
	set = json_array();
	json_array_append_new(set, json_string(to));
	json_object_set_new(root, "PhoneNumberSet", set);
	json_object_set_new(root, "SmsSdkAppId", json_string(tc->sdk_app_id));
	json_object_set_new(root, "SignName", json_string(tc->sign_name));
	json_object_set_new(root, "TemplateId", json_string(tc->template_id));
	set = json_array();
	json_array_append_new(set, json_string(text));
	json_object_set_new(root, "TemplateParamSet", set);
	if ((call->body = json_dumps(root, JSON_COMPACT)) == NULL)
		fatalx("tencent_sms: json_dumps failed");
	json_decref(root);
	h[0] = (struct tencent_header){ "content-type", TENCENT_CT_JSON };
	h[1] = (struct tencent_header){ "host", tc->host };
	h[2] = (struct tencent_header){ "x-tc-action", "SendSms" };
	auth = tencent_authorization(tc->secret_id, tc->secret_key,
	    TENCENT_SERVICE, now, "POST", h, nitems(h), call->body);
	call->url = xasprintf("%s/", tc->api_base);
	http_call_header(call, "Content-Type: %s", TENCENT_CT_JSON);
	http_call_header(call, "Host: %s", tc->host);
	http_call_header(call, "X-TC-Action: SendSms");
	http_call_header(call, "X-TC-Version: %s", TENCENT_VERSION);
	http_call_header(call, "X-TC-Timestamp: %lld", (long long)now);
	http_call_header(call, "X-TC-Region: %s", tc->region);
	http_call_header(call, "Authorization: %s", auth);
	free(auth);
}

static int
tencent_build(struct channel *ch, const struct outmsg *msg,
    struct http_call *call, char *err, size_t errsz)
{
	struct tencent_ctx	*tc = ch->ctx;
	char			*text = NULL;
	size_t			 n;
	int			 rc = -1;

	if (tc == NULL) {
		snprintf(err, errsz, "channel not initialised");
		goto out;
	}
	n = msg->to != NULL && msg->to[0] == '+' ? strlen(msg->to + 1) : 0;
	if (n < 6 || n > 15 || strspn(msg->to + 1, "0123456789") != n) {
		snprintf(err, errsz, "recipient \"%s\" is not an E.164 number",
		    msg->to ? msg->to : "");
		goto out;
	}
	if (msg->body == NULL || !utf8_valid(msg->body, strlen(msg->body))) {
		snprintf(err, errsz, "no text, or text not UTF-8");
		goto out;
	}
	text = tencent_fit(tc->sign_name, msg->body, tc->max_segments);
	if (strlen(text) < strlen(msg->body))
		log_info("tencent_sms channel=%s outbox=%lld: text cut from %zu "
		    "to %zu characters to fit %d SMS with the sign",
		    ch->conf->id, (long long)msg->id, utf8_units16(msg->body),
		    utf8_units16(text), tc->max_segments);
	tencent_sendsms_call(tc, msg->to, text, time_now(), call);
	rc = 0;
out:
	free(text);
	return rc;
}

/* Codes that say "not now": rate limits and Tencent Cloud's own trouble. */
static bool
tencent_code_retry(const char *code)
{
	return strncmp(code, "LimitExceeded", 13) == 0 ||
	    strcmp(code, "RequestLimitExceeded") == 0 ||
	    strncmp(code, "InternalError", 13) == 0;
}

/*
 * {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo"}]}}: accepted.
 * No answer, 429, 5xx and the codes of tencent_code_retry, whether of the
 * call (Response.Error) or of the number (SendStatusSet[0]): try again.
 * Other codes: refused as "Code: Message"; a number on the blacklist
 * (the resident unsubscribed) is marked opted out.
 */
static void
tencent_result(struct channel *ch, long status, const char *body, size_t len,
    struct send_result *r)
{
	json_t		*root = NULL, *resp, *v, *o;
	const char	*code = NULL, *message = "";

	(void)ch;
	memset(r, 0, sizeof(*r));
	if (body != NULL && len > 0)
		root = json_loadb(body, len, 0, NULL);
	resp = json_object_get(root, "Response");
	if (json_is_object(o = json_object_get(resp, "Error")) ||
	    json_is_object(o = json_array_get(json_object_get(resp,
	    "SendStatusSet"), 0))) {
		if (json_is_string(v = json_object_get(o, "Code")))
			code = json_string_value(v);
		if (json_is_string(v = json_object_get(o, "Message")))
			message = json_string_value(v);
	}

	if (status == -1 || status == 429 || status >= 500) {
		r->outcome = SEND_RETRY;
		if (status != -1 && code != NULL)
			snprintf(r->error, sizeof(r->error), "%s: %s", code, message);
		else if (status != -1)
			snprintf(r->error, sizeof(r->error), "HTTP %ld", status);
		goto out;
	}
	if (code == NULL) {
		r->outcome = SEND_FAIL;
		snprintf(r->error, sizeof(r->error), "HTTP %ld without a Code",
		    status);
		goto out;
	}
	if (strcmp(code, "Ok") == 0 && status >= 200 && status < 300) {
		r->outcome = SEND_OK;
		if (json_is_string(v = json_object_get(o, "SerialNo")))
			strlcpy(r->provider_id, json_string_value(v),
			    sizeof(r->provider_id));
		else
			log_warnx("tencent_sms send accepted without a SerialNo");
		goto out;
	}
	r->outcome = tencent_code_retry(code) ? SEND_RETRY : SEND_FAIL;
	snprintf(r->error, sizeof(r->error), "%s: %s", code, message);
	if (strcmp(code, TENCENT_ERR_BLACKLIST) == 0)
		r->opted_out = true;
out:
	json_decref(root);
}
