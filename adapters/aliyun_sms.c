/*
 * aliyun_sms.c: SMS through Alibaba Cloud Short Message Service (阿里云短信).
 * Implements:
 *  - upstream messages (SmsUp) and delivery reports (SmsReport) pushed in
 *    HTTP batch mode (HTTP批量推送): a JSON array per request, answered
 *    {"code": 0, "msg": "接收成功"}:
 *    https://help.aliyun.com/zh/sms/developer-reference/smsup-2
 *    https://help.aliyun.com/zh/sms/developer-reference/smsreport-2
 *    SmsUp items: {phone_number (national), content, send_time, dest_code,
 *    sequence_id}; older pushes also carry sign_name and a numeric
 *    sequence_id.  SmsReport items: {phone_number, success, biz_id, out_id,
 *    send_time, report_time, err_code, err_msg, sms_size}.
 *  - sending: the SendSms RPC API (Version 2017-05-25) signed with
 *    signature version 1.0 (HMAC-SHA1 over the canonicalised query string,
 *    "POP" percent-encoding):
 *    https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms
 *    https://help.aliyun.com/document_detail/101343.html (signing, with the
 *    worked example that tests/unit/test_domestic_sms.c replays)
 *
 * Alibaba Cloud does not sign its pushes.  The webhook URL carries a
 * secret instead, /webhooks/{id}/{secret} (req->sub "/<secret>", or
 * "/<secret>/up", "/<secret>/report" to name the kind), compared in
 * constant time, and an optional allow-list of source addresses.  Which
 * kind a batch is, when the URL does not say, is read from its first
 * item: "content" is SmsUp, "biz_id" or "success" is SmsReport.
 */
#include "adapter.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define ALIYUN_API_BASE		"https://dysmsapi.aliyuncs.com"
#define ALIYUN_SIG_LEN		28	/* base64 of a 20-byte SHA-1 MAC */
#define ALIYUN_NONCE_LEN	36	/* a UUID */
#define ALIYUN_BATCH_MAX	1000	/* items in one push */
#define ALIYUN_SECRET_MIN	16	/* characters of the URL secret */
#define ALIYUN_SEGMENTS_MAX	7	/* 7 × 67 = 469: a long SMS is cut at 500 */
#define ALIYUN_SEGMENTS_DEF	2
#define ALIYUN_SIGN_MAX		20	/* characters of sign_name */

/* One allow_from entry: an address and how many leading bits count. */
struct aliyun_net {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];
	unsigned	 bits;
};

/* A channel's state: from init, freed by cleanup. */
struct aliyun_ctx {
	char			*path_secret;	/* the URL secret, from malloc() */
	char			*key_secret;	/* AccessKey secret, from malloc() */
	const char		*key_id;	/* borrowed from the config */
	const char		*sign_name;	/* borrowed from the config */
	const char		*template_code;	/* borrowed from the config */
	char			*api_base;	/* no trailing slash, from malloc() */
	int			 max_segments;
	struct aliyun_net	*allow;		/* from malloc(); NULL: any address */
	size_t			 nallow;
};

/* A request parameter; both strings borrowed. */
struct aliyun_param {
	const char	*name;
	const char	*value;
};

enum aliyun_kind {
	ALIYUN_AUTO,
	ALIYUN_UP,
	ALIYUN_REPORT
};

static void	aliyun_check(const struct config *, const struct channel_conf *,
		    const char *, struct config_errors *);
static int	aliyun_init(struct channel *);
static void	aliyun_cleanup(struct channel *);
static int	aliyun_verify(struct channel *, const struct http_req *);
static int	aliyun_parse(struct channel *, const struct http_req *,
		    struct inbound_batch *, char *, size_t);
static int	aliyun_build(struct channel *, const struct outmsg *,
		    struct http_call *, char *, size_t);
static void	aliyun_result(struct channel *, long, const char *, size_t,
		    struct send_result *);

static const struct adapter_ops aliyun_ops = {
	.check = aliyun_check,
	.init = aliyun_init,
	.cleanup = aliyun_cleanup,
	.verify = aliyun_verify,
	.parse = aliyun_parse,
	.build = aliyun_build,
	.result = aliyun_result,
};

const struct adapter adapter_aliyun_sms = {
	.name = "aliyun_sms",
	.ops = &aliyun_ops,
	.flags = 0,
	.ok_type = "application/json",
	.ok_body = "{\"code\":0,\"msg\":\"接收成功\"}",
};

/* --- config -------------------------------------------------------------- */

static bool
aliyun_url_valid(const char *s)
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
 * "192.0.2.7", "10.0.0.0/8", "2001:db8::1" or "2001:db8::/32" into n.
 * 0, or -1 when s is none of these.
 */
static int
aliyun_net_parse(const char *s, struct aliyun_net *n)
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
aliyun_net_has(const struct aliyun_net *n, const unsigned char *addr)
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
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d, as a dual-stack socket reports
 * IPv4 peers) also matches IPv4 entries.  No list: any address.
 */
static bool
aliyun_addr_allowed(const struct aliyun_ctx *ac, const char *remote)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned char	 a4[4], a6[16];
	bool		 is4 = false, is6 = false;
	size_t		 i;

	if (ac->allow == NULL)
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
	for (i = 0; i < ac->nallow; i++) {
		if (ac->allow[i].family == AF_INET && is4 &&
		    aliyun_net_has(&ac->allow[i], a4))
			return true;
		if (ac->allow[i].family == AF_INET6 && is6 &&
		    aliyun_net_has(&ac->allow[i], a6))
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
aliyun_allow_load(const struct channel_conf *cc, const char *path,
    struct config_errors *errs, struct aliyun_net **nets, size_t *nnets)
{
	struct aliyun_net	 n;
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
		if (!json_is_string(v) || aliyun_net_parse(json_string_value(v),
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
aliyun_segments(const struct channel_conf *cc, int *out)
{
	json_t	*v = json_object_get(cc->json, "max_segments");

	*out = ALIYUN_SEGMENTS_DEF;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > ALIYUN_SEGMENTS_MAX)
		return -1;
	*out = (int)json_integer_value(v);
	return 0;
}

static void
aliyun_check(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	const char	*s;
	char		 p[160];
	int		 segs;

	(void)cfg;
	adapter_check_string(cc, path, "secret_env", true, errs);
	aliyun_allow_load(cc, path, errs, NULL, NULL);
	adapter_check_string(cc, path, "access_key_id", true, errs);
	adapter_check_string(cc, path, "access_key_secret_env", true, errs);
	if ((s = adapter_check_string(cc, path, "sign_name", true, errs)) != NULL &&
	    (utf8_units16(s) > ALIYUN_SIGN_MAX || strstr(s, "【") != NULL ||
	    strstr(s, "】") != NULL)) {
		snprintf(p, sizeof(p), "%s.sign_name", path);
		config_err(errs, p, "expected the sign's name without 【】, at "
		    "most %d characters, got \"%s\"", ALIYUN_SIGN_MAX, s);
	}
	adapter_check_string(cc, path, "template_code", true, errs);
	if ((s = adapter_check_string(cc, path, "api_base", false, errs)) != NULL &&
	    !aliyun_url_valid(s)) {
		snprintf(p, sizeof(p), "%s.api_base", path);
		config_err(errs, p, "expected an http:// or https:// URL, got \"%s\"", s);
	}
	if (aliyun_segments(cc, &segs) == -1) {
		snprintf(p, sizeof(p), "%s.max_segments", path);
		config_err(errs, p, "expected an integer from 1 to %d",
		    ALIYUN_SEGMENTS_MAX);
	}
}

static void
aliyun_ctx_free(struct aliyun_ctx *ac)
{
	if (ac == NULL)
		return;
	if (ac->path_secret != NULL)
		OPENSSL_cleanse(ac->path_secret, strlen(ac->path_secret));
	if (ac->key_secret != NULL)
		OPENSSL_cleanse(ac->key_secret, strlen(ac->key_secret));
	free(ac->path_secret);
	free(ac->key_secret);
	free(ac->api_base);
	free(ac->allow);
	free(ac);
}

/* A URL secret: long enough, and only characters a path keeps as they are. */
static bool
aliyun_secret_valid(const char *s)
{
	return strlen(s) >= ALIYUN_SECRET_MIN && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
	    == strlen(s);
}

/* Read both secrets from the environment; check_config has run. */
static int
aliyun_init(struct channel *ch)
{
	struct aliyun_ctx	*ac = NULL;
	const char		*penv, *kenv, *psecret, *ksecret, *base;
	size_t			 len;
	int			 rc = -1;

	penv = adapter_conf_str(ch->conf, "secret_env");
	kenv = adapter_conf_str(ch->conf, "access_key_secret_env");
	ac = xcalloc(1, sizeof(*ac));
	ac->key_id = adapter_conf_str(ch->conf, "access_key_id");
	ac->sign_name = adapter_conf_str(ch->conf, "sign_name");
	ac->template_code = adapter_conf_str(ch->conf, "template_code");
	if (penv == NULL || kenv == NULL || ac->key_id == NULL ||
	    ac->sign_name == NULL || ac->template_code == NULL) {
		log_warnx("aliyun_sms init channel=%s: secret_env, access_key_id, "
		    "access_key_secret_env, sign_name and template_code are "
		    "required", ch->conf->id);
		goto out;
	}
	if ((psecret = config_secret(penv)) == NULL ||
	    (ksecret = config_secret(kenv)) == NULL) {
		log_warnx("aliyun_sms init channel=%s: environment variable %s "
		    "is not set", ch->conf->id, config_secret(penv) ? kenv : penv);
		goto out;
	}
	if (!aliyun_secret_valid(psecret)) {
		log_warnx("aliyun_sms init channel=%s: %s must hold at least %d "
		    "of A-Z a-z 0-9 - . _ ~ (it is part of the webhook URL)",
		    ch->conf->id, penv, ALIYUN_SECRET_MIN);
		goto out;
	}
	if (aliyun_allow_load(ch->conf, ch->conf->id, NULL, &ac->allow,
	    &ac->nallow) == -1 || aliyun_segments(ch->conf,
	    &ac->max_segments) == -1) {
		log_warnx("aliyun_sms init channel=%s: bad allow_from or "
		    "max_segments", ch->conf->id);
		goto out;
	}
	if ((base = adapter_conf_str(ch->conf, "api_base")) == NULL)
		base = ALIYUN_API_BASE;
	ac->path_secret = xstrdup(psecret);
	ac->key_secret = xstrdup(ksecret);
	ac->api_base = xstrdup(base);
	len = strlen(ac->api_base);
	while (len > 0 && ac->api_base[len - 1] == '/')
		ac->api_base[--len] = '\0';
	ch->ctx = ac;
	ac = NULL;
	rc = 0;
out:
	aliyun_ctx_free(ac);
	return rc;
}

static void
aliyun_cleanup(struct channel *ch)
{
	aliyun_ctx_free(ch->ctx);
	ch->ctx = NULL;
}

/* --- webhook authenticity ------------------------------------------------ */

/*
 * Whether the first segment of sub ("/<secret>" or "/<secret>/<kind>") is
 * the secret.  Both sides are hashed first so that the comparison takes
 * the same time whatever the length or the first differing byte.
 */
static bool
aliyun_sub_secret_ok(const char *secret, const char *sub)
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
		fatalx("aliyun_sms: SHA-256 failed");
	return CRYPTO_memcmp(want, got, wlen) == 0;
}

/* The source address must be allowed and the URL must hold the secret. */
static int
aliyun_verify(struct channel *ch, const struct http_req *req)
{
	struct aliyun_ctx	*ac = ch->ctx;

	if (ac == NULL || !aliyun_addr_allowed(ac, req->remote_addr))
		return -1;
	return aliyun_sub_secret_ok(ac->path_secret, req->sub) ? 0 : -1;
}

/* --- webhooks ------------------------------------------------------------ */

/*
 * item[key] as a string: 0 with *out borrowed (NULL when absent or null
 * and not required), or -1 with "<where>key ..." as the reason.
 */
static int
aliyun_str(json_t *item, const char *where, const char *key, bool required,
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
aliyun_id(json_t *item, const char *where, const char *key, bool required,
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
aliyun_hash_id(const char *const *fields, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	EVP_MD_CTX		*md;
	unsigned char		 sum[EVP_MAX_MD_SIZE];
	unsigned int		 len = 0, i;
	char			*out;
	size_t			 k;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		fatalx("aliyun_sms: SHA-256 failed");
	for (k = 0; k < n; k++)
		if (EVP_DigestUpdate(md, fields[k] ? fields[k] : "",
		    strlen(fields[k] ? fields[k] : "") + 1) != 1)
			fatalx("aliyun_sms: SHA-256 failed");
	if (EVP_DigestFinal_ex(md, sum, &len) != 1)
		fatalx("aliyun_sms: SHA-256 failed");
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
 * One SmsUp item into b.  provider_id is sequence_id (string or number),
 * or else the hash of the sender, send_time and content.
 */
static int
aliyun_parse_up(json_t *item, size_t i, struct inbound_batch *b, char *err,
    size_t errsz)
{
	struct inbound	 m;
	const char	*phone, *content, *send_time, *why = NULL;
	const char	*fields[3];
	char		 where[32], e164[PHONE_MAX];
	int		 rc = -1;

	memset(&m, 0, sizeof(m));
	snprintf(where, sizeof(where), "item %zu: ", i);
	if (!json_is_object(item)) {
		snprintf(err, errsz, "item %zu: expected an object", i);
		goto out;
	}
	if (aliyun_str(item, where, "phone_number", true, false, &phone, err,
	    errsz) == -1 || aliyun_str(item, where, "content", true, true,
	    &content, err, errsz) == -1 || aliyun_str(item, where, "send_time",
	    false, true, &send_time, err, errsz) == -1 || aliyun_id(item, where,
	    "sequence_id", false, &m.provider_id, err, errsz) == -1)
		goto out;
	/* Alibaba Cloud writes mainland numbers without +86 */
	if (phone_normalize(phone, "CN", e164, sizeof(e164), &why) == -1) {
		snprintf(err, errsz, "item %zu: phone_number \"%s\": %s", i,
		    phone, why);
		goto out;
	}
	if (m.provider_id == NULL) {
		fields[0] = e164;
		fields[1] = send_time;
		fields[2] = content;
		m.provider_id = aliyun_hash_id(fields, nitems(fields));
	}
	m.from = xstrdup(e164);
	m.text = xstrdup(content);	/* Jansson holds only valid UTF-8 */
	m.params = json_deep_copy(item);
	m.addressed = true;
	*inbound_batch_add(b) = m;
	memset(&m, 0, sizeof(m));
	rc = 0;
out:
	inbound_clear(&m);
	return rc;
}

/* One SmsReport item into b: biz_id is the BizId SendSms answered. */
static int
aliyun_parse_report(json_t *item, size_t i, struct inbound_batch *b,
    char *err, size_t errsz)
{
	struct receipt	*r;
	const char	*code, *msg;
	char		 where[32], *biz = NULL;
	json_t		*ok;
	int		 rc = -1;

	snprintf(where, sizeof(where), "item %zu: ", i);
	if (!json_is_object(item)) {
		snprintf(err, errsz, "item %zu: expected an object", i);
		goto out;
	}
	if (aliyun_id(item, where, "biz_id", true, &biz, err, errsz) == -1 ||
	    aliyun_str(item, where, "err_code", false, true, &code, err,
	    errsz) == -1 || aliyun_str(item, where, "err_msg", false, true,
	    &msg, err, errsz) == -1)
		goto out;
	if ((ok = json_object_get(item, "success")) == NULL) {
		snprintf(err, errsz, "item %zu: success is missing", i);
		goto out;
	}
	if (!json_is_boolean(ok)) {
		snprintf(err, errsz, "item %zu: success: expected true or false", i);
		goto out;
	}
	r = inbound_batch_add_receipt(b);
	r->provider_id = biz;
	biz = NULL;
	r->status = xstrdup(json_is_true(ok) ? "delivered" : "undelivered");
	if (!json_is_true(ok)) {
		if (code != NULL && code[0] != '\0')
			r->error = xstrdup(code);
		else if (msg != NULL && msg[0] != '\0')
			r->error = xstrdup(msg);
	}
	rc = 0;
out:
	free(biz);
	return rc;
}

/* The kind the URL names after the secret, or -1 for an unknown one. */
static int
aliyun_sub_kind(const char *sub, enum aliyun_kind *kind)
{
	const char	*rest;

	*kind = ALIYUN_AUTO;
	if (sub == NULL || sub[0] != '/' || (rest = strchr(sub + 1, '/')) == NULL)
		return 0;
	if (strcmp(rest, "/up") == 0)
		*kind = ALIYUN_UP;
	else if (strcmp(rest, "/report") == 0)
		*kind = ALIYUN_REPORT;
	else if (rest[1] != '\0')
		return -1;
	return 0;
}

/* Move every message and receipt of from to the end of to; from is freed. */
static void
aliyun_batch_move(struct inbound_batch *to, struct inbound_batch *from)
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
 * A pushed batch: every item, or nothing (a bad item makes the whole
 * request 400 with the item's index, and the provider pushes it again).
 */
static int
aliyun_parse(struct channel *ch, const struct http_req *req,
    struct inbound_batch *batch, char *err, size_t errsz)
{
	struct inbound_batch	 got;
	enum aliyun_kind	 kind;
	json_t			*root = NULL, *first, *item;
	json_error_t		 jerr;
	size_t			 i, n;
	int			 rc = -1;

	(void)ch;
	memset(&got, 0, sizeof(got));
	if (aliyun_sub_kind(req->sub, &kind) == -1) {
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
	if (!json_is_array(root)) {
		snprintf(err, errsz, "expected a JSON array");
		goto out;
	}
	if ((n = json_array_size(root)) == 0) {
		snprintf(err, errsz, "empty batch");
		goto out;
	}
	if (n > ALIYUN_BATCH_MAX) {
		snprintf(err, errsz, "batch of %zu items, more than %d", n,
		    ALIYUN_BATCH_MAX);
		goto out;
	}
	first = json_array_get(root, 0);
	if (kind == ALIYUN_AUTO && json_is_object(first)) {
		if (json_object_get(first, "content") != NULL)
			kind = ALIYUN_UP;
		else if (json_object_get(first, "biz_id") != NULL ||
		    json_object_get(first, "success") != NULL)
			kind = ALIYUN_REPORT;
		else {
			snprintf(err, errsz, "item 0: neither an upstream message "
			    "(content) nor a delivery report (biz_id, success)");
			goto out;
		}
	}
	json_array_foreach(root, i, item) {
		if (kind == ALIYUN_REPORT) {
			if (aliyun_parse_report(item, i, &got, err, errsz) == -1)
				goto out;
		} else if (aliyun_parse_up(item, i, &got, err, errsz) == -1)
			goto out;
	}
	aliyun_batch_move(batch, &got);
	rc = 0;
out:
	inbound_batch_clear(&got);
	json_decref(root);
	return rc;
}

/* --- signing ------------------------------------------------------------- */

/*
 * Append s to b percent-encoded the POP way: RFC 3986 unreserved
 * characters (A-Z a-z 0-9 - _ . ~) as they are, every other byte as %XX
 * in upper case (so a space is %20, '*' is %2A, and '~' stays).
 */
static void
aliyun_pct(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 esc[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~') {
			buf_add(b, p, 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 0x0f];
		buf_add(b, esc, 3);
	}
}

static int
aliyun_param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct aliyun_param *)a)->name,
	    ((const struct aliyun_param *)b)->name);
}

/*
 * The canonicalised query string: params sorted by name (in place), each
 * "name=value" percent-encoded, joined by '&'.  A new string; caller frees.
 */
static char *
aliyun_canonical_query(struct aliyun_param *params, size_t n)
{
	struct buf	 b;
	size_t		 i;

	qsort(params, n, sizeof(*params), aliyun_param_cmp);
	buf_init(&b, 0);
	buf_addstr(&b, "");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addstr(&b, "&");
		aliyun_pct(&b, params[i].name);
		buf_addstr(&b, "=");
		aliyun_pct(&b, params[i].value);
	}
	return buf_steal(&b);
}

/*
 * StringToSign = method "&" pct("/") "&" pct(canonical query).  A new
 * string; caller frees.
 */
static char *
aliyun_string_to_sign(const char *method, const char *canonical)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_addstr(&b, method);
	buf_addstr(&b, "&%2F&");
	aliyun_pct(&b, canonical);
	return buf_steal(&b);
}

/*
 * Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)),
 * into sig.
 */
static void
aliyun_signature(const char *key_secret, const char *method,
    const char *canonical, char sig[ALIYUN_SIG_LEN + 1])
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 maclen = 0;
	char		*key, *sts;

	key = xasprintf("%s&", key_secret);
	sts = aliyun_string_to_sign(method, canonical);
	if (HMAC(EVP_sha1(), key, (int)strlen(key), (const unsigned char *)sts,
	    strlen(sts), mac, &maclen) == NULL)
		fatalx("aliyun_sms: HMAC-SHA1 failed");
	EVP_EncodeBlock((unsigned char *)sig, mac, (int)maclen);
	sig[ALIYUN_SIG_LEN] = '\0';
	OPENSSL_cleanse(key, strlen(key));
	free(key);
	free(sts);
}

/*
 * The signed SendSms form body for phone (as SendSms takes it) and text at
 * time now (seconds since the epoch) with nonce: every parameter, then
 * Signature, POP-encoded.  outid, when > 0, goes as OutId (SmsReport
 * carries it back as out_id).  A new string; caller frees.
 */
static char *
aliyun_sendsms_body(const struct aliyun_ctx *ac, const char *phone,
    const char *text, int64_t outid, int64_t now, const char *nonce)
{
	struct aliyun_param	 p[13];
	struct buf		 b;
	json_t			*tp;
	char			*tpjson, *canonical, ts[32], oid[24];
	char			 sig[ALIYUN_SIG_LEN + 1];
	size_t			 n = 0;

	tp = json_object();
	json_object_set_new(tp, "content", json_string(text));
	if ((tpjson = json_dumps(tp, JSON_COMPACT)) == NULL)
		fatalx("aliyun_sms: json_dumps failed");
	json_decref(tp);
	time_fmt_iso(now, ts, sizeof(ts));
	p[n++] = (struct aliyun_param){ "AccessKeyId", ac->key_id };
	p[n++] = (struct aliyun_param){ "Action", "SendSms" };
	p[n++] = (struct aliyun_param){ "Format", "JSON" };
	if (outid > 0) {
		snprintf(oid, sizeof(oid), "%lld", (long long)outid);
		p[n++] = (struct aliyun_param){ "OutId", oid };
	}
	p[n++] = (struct aliyun_param){ "PhoneNumbers", phone };
	p[n++] = (struct aliyun_param){ "SignName", ac->sign_name };
	p[n++] = (struct aliyun_param){ "SignatureMethod", "HMAC-SHA1" };
	p[n++] = (struct aliyun_param){ "SignatureNonce", nonce };
	p[n++] = (struct aliyun_param){ "SignatureVersion", "1.0" };
	p[n++] = (struct aliyun_param){ "TemplateCode", ac->template_code };
	p[n++] = (struct aliyun_param){ "TemplateParam", tpjson };
	p[n++] = (struct aliyun_param){ "Timestamp", ts };
	p[n++] = (struct aliyun_param){ "Version", "2017-05-25" };
	canonical = aliyun_canonical_query(p, n);
	aliyun_signature(ac->key_secret, "POST", canonical, sig);
	buf_init(&b, 0);
	buf_addstr(&b, canonical);
	buf_addstr(&b, "&Signature=");
	aliyun_pct(&b, sig);
	free(canonical);
	free(tpjson);
	return buf_steal(&b);
}

/* A random (version 4) UUID into out, the SignatureNonce. */
static void
aliyun_nonce(char out[ALIYUN_NONCE_LEN + 1])
{
	unsigned char	 r[16];

	if (RAND_bytes(r, sizeof(r)) != 1)
		fatalx("aliyun_sms: no random bytes for a nonce");
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, ALIYUN_NONCE_LEN + 1, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4],
	    r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

/* --- sending ------------------------------------------------------------- */

/*
 * The longest prefix of text that fits max_segments SMS parts once the
 * provider has put 【sign】 before it: both providers count every
 * character (UTF-16 unit) alike, sign and brackets included, 70 for one
 * part and 67 a part beyond.  Cut at a character boundary, never refused.
 * A new string; caller frees.
 */
static char *
aliyun_fit(const char *sign, const char *text, int max_segments)
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
 * SendSms takes mainland numbers without +86 and others as country code
 * and number without '+'.  0 with phone filled, or -1 when to is no E.164.
 */
static int
aliyun_phone(const char *to, char *phone, size_t phonesz)
{
	size_t	 n;

	if (to == NULL || to[0] != '+')
		return -1;
	n = strlen(to + 1);
	if (n < 6 || n > 15 || strspn(to + 1, "0123456789") != n)
		return -1;
	strlcpy(phone, strncmp(to, "+86", 3) == 0 ? to + 3 : to + 1, phonesz);
	return 0;
}

static int
aliyun_build(struct channel *ch, const struct outmsg *msg,
    struct http_call *call, char *err, size_t errsz)
{
	struct aliyun_ctx	*ac = ch->ctx;
	char			 phone[PHONE_MAX], nonce[ALIYUN_NONCE_LEN + 1];
	char			*text = NULL;
	int			 rc = -1;

	if (ac == NULL) {
		snprintf(err, errsz, "channel not initialised");
		goto out;
	}
	if (aliyun_phone(msg->to, phone, sizeof(phone)) == -1) {
		snprintf(err, errsz, "recipient \"%s\" is not an E.164 number",
		    msg->to ? msg->to : "");
		goto out;
	}
	if (msg->body == NULL || !utf8_valid(msg->body, strlen(msg->body))) {
		snprintf(err, errsz, "no text, or text not UTF-8");
		goto out;
	}
	text = aliyun_fit(ac->sign_name, msg->body, ac->max_segments);
	if (strlen(text) < strlen(msg->body))
		log_info("aliyun_sms channel=%s outbox=%lld: text cut from %zu "
		    "to %zu characters to fit %d SMS with the sign",
		    ch->conf->id, (long long)msg->id, utf8_units16(msg->body),
		    utf8_units16(text), ac->max_segments);
	aliyun_nonce(nonce);
	call->url = xasprintf("%s/", ac->api_base);
	call->body = aliyun_sendsms_body(ac, phone, text, msg->id, time_now(),
	    nonce);
	http_call_header(call, "Content-Type: application/x-www-form-urlencoded");
	http_call_header(call, "Accept: application/json");
	rc = 0;
out:
	free(text);
	return rc;
}

/* Codes that say "not now": throttling, and Alibaba Cloud's own trouble. */
static bool
aliyun_code_retry(const char *code)
{
	return strncmp(code, "Throttling", 10) == 0 ||
	    strcmp(code, "isv.BUSINESS_LIMIT_CONTROL") == 0 ||
	    strncmp(code, "ServiceUnavailable", 18) == 0 ||
	    strncmp(code, "InternalError", 13) == 0;
}

/*
 * {"Code": "OK", "BizId"}: accepted.  No answer, 429, 5xx and the codes of
 * aliyun_code_retry: try again.  Other codes: refused as "Code: Message".
 */
static void
aliyun_result(struct channel *ch, long status, const char *body, size_t len,
    struct send_result *r)
{
	json_t		*root = NULL, *v;
	const char	*code = NULL, *message = "";

	(void)ch;
	memset(r, 0, sizeof(*r));
	if (body != NULL && len > 0)
		root = json_loadb(body, len, 0, NULL);
	if (json_is_string(v = json_object_get(root, "Code")))
		code = json_string_value(v);
	if (json_is_string(v = json_object_get(root, "Message")))
		message = json_string_value(v);

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
	if (strcmp(code, "OK") == 0 && status >= 200 && status < 300) {
		r->outcome = SEND_OK;
		if (json_is_string(v = json_object_get(root, "BizId")))
			strlcpy(r->provider_id, json_string_value(v),
			    sizeof(r->provider_id));
		else
			log_warnx("aliyun_sms send accepted without a BizId");
		goto out;
	}
	r->outcome = aliyun_code_retry(code) ? SEND_RETRY : SEND_FAIL;
	snprintf(r->error, sizeof(r->error), "%s: %s", code, message);
out:
	json_decref(root);
}
