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
 * constant time, and an optional allow-list of source addresses (both
 * in push.c, shared with tencent_sms.c).  Which kind a batch is, when the
 * URL does not say, is read from its first item: "content" is SmsUp,
 * "biz_id" or "success" is SmsReport.
 */
#include "adapter.h"

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

/* A channel's state: from init, freed by cleanup. */
struct aliyun_ctx {
	struct push_guard	 guard;		/* URL secret and allow-list */
	char			*key_secret;	/* AccessKey secret, from malloc() */
	const char		*key_id;	/* borrowed from the config */
	const char		*sign_name;	/* borrowed from the config */
	const char		*template_code;	/* borrowed from the config */
	char			*api_base;	/* no trailing slash, from malloc() */
	int			 max_segments;
};

/* A request parameter; both strings borrowed. */
struct aliyun_param {
	const char	*name;
	const char	*value;
};

/* What a push holds; the values are push_sub_kind's for "up", "report". */
enum aliyun_kind {
	ALIYUN_AUTO = 0,
	ALIYUN_UP = 1,
	ALIYUN_REPORT = 2
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
	.check_env = push_guard_check_env,
	.init = aliyun_init,
	.cleanup = aliyun_cleanup,
	.verify = aliyun_verify,
	.parse = aliyun_parse,
	.build = aliyun_build,
	.result = aliyun_result,
};

static const char *const aliyun_keys[] = {
	PUSH_CONFIG_KEYS,
	"access_key_id",
	"access_key_secret_env",
	"template_code",
	NULL
};

const struct adapter adapter_aliyun_sms = {
	.name = "aliyun_sms",
	.ops = &aliyun_ops,
	.keys = aliyun_keys,
	.flags = 0,
	.ok_type = "application/json",
	.ok_body = "{\"code\":0,\"msg\":\"接收成功\"}",
};

/* --- config -------------------------------------------------------------- */

static void
aliyun_check(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	(void)cfg;
	push_guard_check(cc, path, errs);
	adapter_check_string(cc, path, "access_key_id", true, errs);
	adapter_check_string(cc, path, "access_key_secret_env", true, errs);
	push_sign_check(cc, path, errs);
	adapter_check_string(cc, path, "template_code", true, errs);
	push_send_check(cc, path, errs);
}

static void
aliyun_ctx_free(struct aliyun_ctx *ac)
{
	if (ac == NULL)
		return;
	push_guard_clear(&ac->guard);
	if (ac->key_secret != NULL)
		OPENSSL_cleanse(ac->key_secret, strlen(ac->key_secret));
	free(ac->key_secret);
	free(ac->api_base);
	free(ac);
}

/* Read both secrets from the environment; check_config has run. */
static int
aliyun_init(struct channel *ch)
{
	struct aliyun_ctx	*ac = NULL;
	const char		*kenv, *ksecret;
	int			 rc = -1;

	kenv = adapter_conf_str(ch->conf, "access_key_secret_env");
	ac = xcalloc(1, sizeof(*ac));
	ac->key_id = adapter_conf_str(ch->conf, "access_key_id");
	ac->sign_name = adapter_conf_str(ch->conf, "sign_name");
	ac->template_code = adapter_conf_str(ch->conf, "template_code");
	if (kenv == NULL || ac->key_id == NULL || ac->sign_name == NULL ||
	    ac->template_code == NULL) {
		log_warnx("aliyun_sms init channel=%s: access_key_id, "
		    "access_key_secret_env, sign_name and template_code are "
		    "required", ch->conf->id);
		goto out;
	}
	if (push_guard_init(&ac->guard, ch) == -1)
		goto out;
	if ((ksecret = config_secret(kenv)) == NULL) {
		log_warnx("aliyun_sms init channel=%s: environment variable %s "
		    "is not set", ch->conf->id, kenv);
		goto out;
	}
	if (push_max_segments(ch->conf, &ac->max_segments) == -1) {
		log_warnx("aliyun_sms init channel=%s: bad max_segments",
		    ch->conf->id);
		goto out;
	}
	ac->key_secret = xstrdup(ksecret);
	ac->api_base = push_api_base(ch->conf, ALIYUN_API_BASE);
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

/* The source address must be allowed and the URL must hold the secret. */
static int
aliyun_verify(struct channel *ch, const struct http_req *req)
{
	struct aliyun_ctx	*ac = ch->ctx;

	if (ac == NULL)
		return -1;
	return push_guard_verify(&ac->guard, req);
}

/* --- webhooks ------------------------------------------------------------ */

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
	char		 where[32], e164[PHONE_MAX], masked[PHONE_MASKED_MAX];
	int		 rc = -1;

	memset(&m, 0, sizeof(m));
	snprintf(where, sizeof(where), "item %zu: ", i);
	if (!json_is_object(item)) {
		snprintf(err, errsz, "item %zu: expected an object", i);
		goto out;
	}
	if (push_field_str(item, where, "phone_number", true, false, &phone,
	    err, errsz) == -1 || push_field_str(item, where, "content", true,
	    true, &content, err, errsz) == -1 || push_field_str(item, where,
	    "send_time", false, true, &send_time, err, errsz) == -1 ||
	    push_field_id(item, where, "sequence_id", false, &m.provider_id, err,
	    errsz) == -1)
		goto out;
	/* Alibaba Cloud writes mainland numbers without +86 */
	if (phone_normalize(phone, "CN", e164, sizeof(e164), &why) == -1) {
		phone_mask(phone, masked, sizeof(masked));	/* logged */
		snprintf(err, errsz, "item %zu: phone_number \"%s\": %s", i,
		    masked, why);
		goto out;
	}
	if (m.provider_id == NULL) {
		fields[0] = e164;
		fields[1] = send_time;
		fields[2] = content;
		m.provider_id = push_hash_id(fields, nitems(fields));
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
	if (push_field_id(item, where, "biz_id", true, &biz, err, errsz) == -1 ||
	    push_field_str(item, where, "err_code", false, true, &code, err,
	    errsz) == -1 || push_field_str(item, where, "err_msg", false, true,
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
	size_t			 i;
	int			 k, rc = -1;

	(void)ch;
	memset(&got, 0, sizeof(got));
	if ((k = push_sub_kind(req->sub, "up", "report")) == -1) {
		snprintf(err, errsz, "no such webhook");
		goto out;
	}
	kind = (enum aliyun_kind)k;
	if ((root = push_body_load(req, err, errsz)) == NULL)
		goto out;
	if (!json_is_array(root)) {
		snprintf(err, errsz, "expected a JSON array");
		goto out;
	}
	if (push_batch_size(root, err, errsz) == -1)
		goto out;
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
	push_batch_move(batch, &got);
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
 * SendSms takes mainland numbers without +86 and others as country code
 * and number without '+': to (E.164, as push_is_e164 says) into phone.
 */
static void
aliyun_phone(const char *to, char *phone, size_t phonesz)
{
	strlcpy(phone, strncmp(to, "+86", 3) == 0 ? to + 3 : to + 1, phonesz);
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
	if ((text = push_build_text(ch, msg, ac->sign_name, ac->max_segments,
	    err, errsz)) == NULL)
		goto out;
	aliyun_phone(msg->to, phone, sizeof(phone));
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

	if (push_result_by_status(status, code, message, r))
		goto out;
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
