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
 * constant time, and an optional allow-list of source addresses (both
 * in push.c, shared with aliyun_sms.c).  When the URL does not say, a
 * JSON object is a reply and an array holds status reports.
 */
#include "adapter.h"

#include <ctype.h>
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
#define TENCENT_ERR_BLACKLIST	"FailedOperation.PhoneNumberInBlacklist"

/* A channel's state: from init, freed by cleanup. */
struct tencent_ctx {
	struct push_guard	 guard;		/* URL secret and allow-list */
	char			*secret_key;	/* API SecretKey, from malloc() */
	const char		*secret_id;	/* borrowed from the config */
	const char		*sdk_app_id;	/* borrowed from the config */
	const char		*sign_name;	/* borrowed from the config */
	const char		*template_id;	/* borrowed from the config */
	const char		*region;	/* borrowed, or TENCENT_REGION */
	char			*api_base;	/* no trailing slash, from malloc() */
	char			*host;		/* api_base's host[:port], from malloc() */
	int			 max_segments;
};

/* A request header taking part in the signature; both strings borrowed. */
struct tencent_header {
	const char	*name;		/* lower case */
	const char	*value;
};

/* What a callback holds; the values are push_sub_kind's for "reply",
 * "status". */
enum tencent_kind {
	TENCENT_AUTO = 0,
	TENCENT_REPLY = 1,
	TENCENT_STATUS = 2
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
	.check_env = push_guard_check_env,
	.init = tencent_init,
	.cleanup = tencent_cleanup,
	.verify = tencent_verify,
	.parse = tencent_parse,
	.build = tencent_build,
	.result = tencent_result,
};

static const char *const tencent_keys[] = {
	PUSH_CONFIG_KEYS,
	"secret_id",
	"secret_key_env",
	"sdk_app_id",
	"template_id",
	"region",
	NULL
};

const struct adapter adapter_tencent_sms = {
	.name = "tencent_sms",
	.ops = &tencent_ops,
	.keys = tencent_keys,
	.flags = 0,
	.ok_type = "application/json",
	.ok_body = "{\"result\":0,\"errmsg\":\"OK\"}",
};

/* --- config -------------------------------------------------------------- */

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
	(void)cfg;
	push_guard_check(cc, path, errs);
	adapter_check_string(cc, path, "secret_id", true, errs);
	adapter_check_string(cc, path, "secret_key_env", true, errs);
	tencent_check_digits(cc, path, "sdk_app_id", errs);
	push_sign_check(cc, path, errs);
	tencent_check_digits(cc, path, "template_id", errs);
	adapter_check_string(cc, path, "region", false, errs);
	push_send_check(cc, path, errs);
}

static void
tencent_ctx_free(struct tencent_ctx *tc)
{
	if (tc == NULL)
		return;
	push_guard_clear(&tc->guard);
	if (tc->secret_key != NULL)
		OPENSSL_cleanse(tc->secret_key, strlen(tc->secret_key));
	free(tc->secret_key);
	free(tc->api_base);
	free(tc->host);
	free(tc);
}

/* Read both secrets from the environment; check_config has run. */
static int
tencent_init(struct channel *ch)
{
	struct tencent_ctx	*tc = NULL;
	const char		*kenv, *ksecret;
	int			 rc = -1;

	kenv = adapter_conf_str(ch->conf, "secret_key_env");
	tc = xcalloc(1, sizeof(*tc));
	tc->secret_id = adapter_conf_str(ch->conf, "secret_id");
	tc->sdk_app_id = adapter_conf_str(ch->conf, "sdk_app_id");
	tc->sign_name = adapter_conf_str(ch->conf, "sign_name");
	tc->template_id = adapter_conf_str(ch->conf, "template_id");
	if ((tc->region = adapter_conf_str(ch->conf, "region")) == NULL)
		tc->region = TENCENT_REGION;
	if (kenv == NULL || tc->secret_id == NULL || tc->sdk_app_id == NULL ||
	    tc->sign_name == NULL || tc->template_id == NULL) {
		log_warnx("tencent_sms init channel=%s: secret_id, "
		    "secret_key_env, sdk_app_id, sign_name and template_id are "
		    "required", ch->conf->id);
		goto out;
	}
	if (push_guard_init(&tc->guard, ch) == -1)
		goto out;
	if ((ksecret = config_secret(kenv)) == NULL) {
		log_warnx("tencent_sms init channel=%s: environment variable %s "
		    "is not set", ch->conf->id, kenv);
		goto out;
	}
	if (push_max_segments(ch->conf, &tc->max_segments) == -1) {
		log_warnx("tencent_sms init channel=%s: bad max_segments",
		    ch->conf->id);
		goto out;
	}
	tc->api_base = push_api_base(ch->conf, TENCENT_API_BASE);
	if ((tc->host = push_url_host(tc->api_base)) == NULL) {
		log_warnx("tencent_sms init channel=%s: api_base \"%s\" is no "
		    "http(s) URL", ch->conf->id, tc->api_base);
		goto out;
	}
	tc->secret_key = xstrdup(ksecret);
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

/* The source address must be allowed and the URL must hold the secret. */
static int
tencent_verify(struct channel *ch, const struct http_req *req)
{
	struct tencent_ctx	*tc = ch->ctx;

	if (tc == NULL)
		return -1;
	return push_guard_verify(&tc->guard, req);
}

/* --- callbacks ----------------------------------------------------------- */

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
	char		*in, masked[PHONE_MASKED_MAX];
	int		 rc;

	if (nationcode != NULL && nationcode[0] != '\0' && mobile[0] != '+')
		in = xasprintf("+%s%s", nationcode, mobile);
	else
		in = xstrdup(mobile);
	if ((rc = phone_normalize(in, "CN", e164, e164sz, &why)) == -1) {
		phone_mask(mobile, masked, sizeof(masked));	/* logged */
		snprintf(err, errsz, "mobile \"%s\" (nationcode \"%s\"): %s",
		    masked, nationcode ? nationcode : "", why);
	}
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
	if (push_field_str(o, "", "mobile", true, false, &mobile, err,
	    errsz) == -1 || push_field_id(o, "", "nationcode", false,
	    &nationcode, err, errsz) == -1 || push_field_str(o, "", "text", true,
	    true, &text, err, errsz) == -1 || push_field_id(o, "", "time", true,
	    &when, err, errsz) == -1)
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
	m.provider_id = push_hash_id(fields, nitems(fields));
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
	if (push_field_id(item, where, "sid", true, &sid, err, errsz) == -1 ||
	    push_field_str(item, where, "report_status", true, false, &status,
	    err, errsz) == -1 || push_field_str(item, where, "errmsg", false,
	    true, &errmsg, err, errsz) == -1 || push_field_str(item, where,
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
	size_t			 i;
	int			 k, rc = -1;

	(void)ch;
	memset(&got, 0, sizeof(got));
	if ((k = push_sub_kind(req->sub, "reply", "status")) == -1) {
		snprintf(err, errsz, "no such webhook");
		goto out;
	}
	kind = (enum tencent_kind)k;
	if ((root = push_body_load(req, err, errsz)) == NULL)
		goto out;
	if (json_is_object(root) && kind != TENCENT_STATUS) {
		if (tencent_parse_reply(root, &got, err, errsz) == -1)
			goto out;
	} else if (json_is_array(root) && kind != TENCENT_REPLY) {
		if (push_batch_size(root, err, errsz) == -1)
			goto out;
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
	push_batch_move(batch, &got);
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
	int			 rc = -1;

	if (tc == NULL) {
		snprintf(err, errsz, "channel not initialised");
		goto out;
	}
	if ((text = push_build_text(ch, msg, tc->sign_name, tc->max_segments,
	    err, errsz)) == NULL)
		goto out;
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

	if (push_result_by_status(status, code, message, r))
		goto out;
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
