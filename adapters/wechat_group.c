/*
 * wechat_group.c: WeChat-style group messages.  Inbound, a bridge (the
 * program that sits in the residents' groups) posts each group message as
 * JSON, signed with X-Minyi-Signature (lowercase hex HMAC-SHA256 of the
 * raw body under the channel's secret):
 *
 *	{"msg_id": "...", "group_id": "wxg-001",
 *	 "sender": {"id": "wx-li", "name": "李", "mobile": "13800138000"},
 *	 "text": "@民意助手 路灯不亮", "mentions": ["民意助手"], "time": ...}
 *
 * Outbound, replies go to the group robot's webhook in the WeCom group
 * robot format, with an @mention of the resident:
 *	https://developer.work.weixin.qq.com/document/path/91770
 *	(msgtype "text"; content at most 2048 bytes of UTF-8;
 *	mentioned_list / mentioned_mobile_list; errcode 0 = sent, 45009 =
 *	over the robot's rate of 20 messages a minute)
 * The outbox address is a group address (adapter.h): group, member, URL.
 */
#include "adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#define WG_CONTENT_MAX		2048	/* bytes of UTF-8 in text.content */
#define WG_ERR_RATE_LIMIT	45009	/* the robot's API frequency limit */

/* A channel's state: from init, freed by cleanup. */
struct wg_ctx {
	char		*secret;	/* from malloc() */
	const char	*bot_name;	/* borrowed from the config */
	const char	*keyword;	/* borrowed from the config, or NULL */
};

static void	wg_check(const struct config *, const struct channel_conf *,
		    const char *, struct config_errors *);
static int	wg_init(struct channel *);
static void	wg_cleanup(struct channel *);
static int	wg_verify(struct channel *, const struct http_req *);
static int	wg_parse(struct channel *, const struct http_req *,
		    struct inbound_batch *, char *, size_t);
static int	wg_build(struct channel *, const struct outmsg *,
		    struct http_call *, char *, size_t);
static void	wg_result(struct channel *, long, const char *, size_t,
		    struct send_result *);

static const struct adapter_ops wechat_group_ops = {
	.check = wg_check,
	.init = wg_init,
	.cleanup = wg_cleanup,
	.verify = wg_verify,
	.parse = wg_parse,
	.build = wg_build,
	.result = wg_result,
};

static const char *const wechat_group_keys[] = {
	"bot_name",
	"keyword",
	"secret_env",
	"robot_per_window",	/* read by gateway/sender.c */
	"robot_window_seconds",	/* read by gateway/sender.c */
	NULL
};

const struct adapter adapter_wechat_group = {
	.name = "wechat_group",
	.ops = &wechat_group_ops,
	.keys = wechat_group_keys,
	.flags = AD_F_GROUP,
	.ok_type = "application/json",
	.ok_body = "{\"ok\":true}",
};

static void
wg_check(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	(void)cfg;
	adapter_check_string(cc, path, "bot_name", true, errs);
	adapter_check_string(cc, path, "keyword", false, errs);
	adapter_check_string(cc, path, "secret_env", true, errs);
}

static void
wg_ctx_free(struct wg_ctx *wc)
{
	if (wc == NULL)
		return;
	if (wc->secret != NULL)
		OPENSSL_cleanse(wc->secret, strlen(wc->secret));
	free(wc->secret);
	free(wc);
}

static int
wg_init(struct channel *ch)
{
	struct wg_ctx	*wc = NULL;
	const char	*env, *secret, *bot;
	int		 rc = -1;

	env = adapter_conf_str(ch->conf, "secret_env");
	if ((bot = adapter_conf_str(ch->conf, "bot_name")) == NULL || env == NULL) {
		log_warnx("wechat_group init channel=%s: bot_name and secret_env "
		    "are required", ch->conf->id);
		goto out;
	}
	if ((secret = config_secret(env)) == NULL) {
		log_warnx("wechat_group init channel=%s: environment variable %s "
		    "is not set", ch->conf->id, env);
		goto out;
	}
	wc = xcalloc(1, sizeof(*wc));
	wc->secret = xstrdup(secret);
	wc->bot_name = bot;
	wc->keyword = adapter_conf_str(ch->conf, "keyword");
	ch->ctx = wc;
	wc = NULL;
	rc = 0;
out:
	wg_ctx_free(wc);
	return rc;
}

static void
wg_cleanup(struct channel *ch)
{
	wg_ctx_free(ch->ctx);
	ch->ctx = NULL;
}

static int
wg_verify(struct channel *ch, const struct http_req *req)
{
	struct wg_ctx	*wc = ch->ctx;

	if (wc == NULL)
		return -1;
	return adapter_hmac_sha256_check(wc->secret, req->body, req->body_len,
	    req->header(req, "X-Minyi-Signature"));
}

/* --- text ---------------------------------------------------------------- */

/*
 * Bytes of the blank at p, or 0: ASCII blanks, and the Unicode spaces
 * WeChat writes after an @mention (U+2005) or people type (U+3000, NBSP).
 */
static size_t
wg_blank(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		return 1;
	if (u[0] == 0xc2 && u[1] == 0xa0)
		return 2;				/* U+00A0 */
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x80 && u[2] <= 0x8b)
		return 3;				/* U+2000..U+200B */
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)
		return 3;				/* U+205F */
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;				/* U+3000 */
	return 0;
}

static const char *
wg_skip_blanks(const char *p)
{
	size_t	 n;

	while ((n = wg_blank(p)) > 0)
		p += n;
	return p;
}

/* s without its leading and trailing blanks, as a new string. */
static char *
wg_trim(const char *s)
{
	const char	*start = wg_skip_blanks(s), *p, *end;
	size_t		 n;

	/* the end of the last non-blank character */
	end = start;
	for (p = start; *p != '\0'; p += n) {
		if ((n = wg_blank(p)) == 0) {
			n = 1;
			end = p + 1;
		}
	}
	return xstrndup(start, (size_t)(end - start));
}

/*
 * text with every "@bot" (and the blanks after it) and a leading keyword
 * taken out, trimmed.  A new string; caller frees.
 */
static char *
wg_strip(const char *text, const char *bot, const char *keyword)
{
	struct buf	 b;
	char		*mention, *t = NULL, *out;
	const char	*p;
	size_t		 mlen;

	mention = xasprintf("@%s", bot);
	mlen = strlen(mention);
	buf_init(&b, 0);
	buf_addstr(&b, "");
	for (p = text; *p != '\0'; ) {
		if (strncmp(p, mention, mlen) == 0) {
			p = wg_skip_blanks(p + mlen);
			continue;
		}
		buf_add(&b, p, 1);
		p++;
	}
	t = wg_trim(buf_str(&b));
	if (keyword != NULL && strncmp(t, keyword, strlen(keyword)) == 0)
		out = wg_trim(t + strlen(keyword));
	else
		out = xstrdup(t);
	free(t);
	free(mention);
	buf_free(&b);
	return out;
}

/* Whether the message speaks to the bot: mentioned, @-written, or keyword. */
static bool
wg_addressed(const struct wg_ctx *wc, const char *text, json_t *mentions)
{
	char		*mention;
	const char	*s;
	json_t		*v;
	size_t		 i;
	bool		 yes = false;

	json_array_foreach(mentions, i, v) {
		if (!json_is_string(v))
			continue;
		s = json_string_value(v);
		if (s[0] == '@')
			s++;
		if (strcmp(s, wc->bot_name) == 0)
			yes = true;
	}
	mention = xasprintf("@%s", wc->bot_name);
	if (strstr(text, mention) != NULL)
		yes = true;
	free(mention);
	if (wc->keyword != NULL && strncmp(wg_skip_blanks(text), wc->keyword,
	    strlen(wc->keyword)) == 0)
		yes = true;
	return yes;
}

/* --- webhook ------------------------------------------------------------- */

/* obj[key] when a string, non-empty unless empty_ok; else NULL + reason. */
static const char *
wg_string(json_t *obj, const char *path, const char *key, bool empty_ok,
    char *err, size_t errsz)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL) {
		snprintf(err, errsz, "%s%s is missing", path, key);
		return NULL;
	}
	if (!json_is_string(v) || (!empty_ok && json_string_length(v) == 0)) {
		snprintf(err, errsz, "%s%s: expected a%s string", path, key,
		    empty_ok ? "" : " non-empty");
		return NULL;
	}
	return json_string_value(v);
}

static int
wg_parse(struct channel *ch, const struct http_req *req,
    struct inbound_batch *batch, char *err, size_t errsz)
{
	struct wg_ctx	*wc = ch->ctx;
	struct inbound	 m;
	json_t		*root = NULL, *sender, *mentions, *v;
	json_error_t	 jerr;
	const char	*msg_id, *group_id, *sender_id, *text, *why = NULL;
	char		 e164[PHONE_MAX];
	int		 rc = -1;

	memset(&m, 0, sizeof(m));
	if (wc == NULL) {
		snprintf(err, errsz, "channel not initialised");
		goto out;
	}
	if (req->sub != NULL && req->sub[0] != '\0') {
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
	if (!json_is_object(root)) {
		snprintf(err, errsz, "expected a JSON object");
		goto out;
	}
	if ((msg_id = wg_string(root, "", "msg_id", false, err, errsz)) == NULL ||
	    (group_id = wg_string(root, "", "group_id", false, err, errsz)) == NULL ||
	    (text = wg_string(root, "", "text", true, err, errsz)) == NULL)
		goto out;
	if (!json_is_object(sender = json_object_get(root, "sender"))) {
		snprintf(err, errsz, sender == NULL ? "sender is missing" :
		    "sender: expected an object");
		goto out;
	}
	if ((sender_id = wg_string(sender, "sender.", "id", false, err,
	    errsz)) == NULL)
		goto out;
	mentions = json_object_get(root, "mentions");
	if (mentions != NULL && !json_is_array(mentions)) {
		snprintf(err, errsz, "mentions: expected an array");
		goto out;
	}

	m.provider_id = xstrdup(msg_id);
	m.from = xasprintf("%s:%s", ch->conf->id, sender_id);
	m.group_id = xstrdup(group_id);
	if (json_is_string(v = json_object_get(sender, "name")) &&
	    json_string_length(v) > 0)
		m.sender_name = xstrdup(json_string_value(v));
	m.addressed = wg_addressed(wc, text, mentions);
	if (m.addressed)
		m.text = wg_strip(text, wc->bot_name, wc->keyword);
	else
		m.text = xstrdup(text);
	/* every field as received, nothing added: what the adapter derives
	 * (the mobile in E.164, when sender.mobile is one) has its own field */
	m.params = json_deep_copy(root);
	if (json_is_string(v = json_object_get(sender, "mobile")) &&
	    phone_normalize(json_string_value(v), ch->cfg->region ?
	    ch->cfg->region : "CN", e164, sizeof(e164), &why) == 0)
		m.sender_mobile = xstrdup(e164);
	*inbound_batch_add(batch) = m;
	memset(&m, 0, sizeof(m));
	rc = 0;
out:
	inbound_clear(&m);
	json_decref(root);
	return rc;
}

/* --- sending ------------------------------------------------------------- */

/* Bytes of the longest prefix of s that fits max and ends on a character. */
static size_t
wg_cut(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static int
wg_build(struct channel *ch, const struct outmsg *msg, struct http_call *call,
    char *err, size_t errsz)
{
	struct group_address	 ga;
	json_t			*root = NULL, *text, *content, *list;
	const char		*member;
	char			*json = NULL;
	int			 rc = -1;

	(void)ch;
	memset(&ga, 0, sizeof(ga));
	if (adapter_group_address_parse(msg->to, &ga) == -1) {
		snprintf(err, errsz, "not a group address \"group|member|url\"");
		goto out;
	}
	if (strncmp(ga.webhook_url, "https://", 8) != 0 &&
	    strncmp(ga.webhook_url, "http://", 7) != 0) {
		snprintf(err, errsz, "webhook URL is not http(s)");
		goto out;
	}
	if (msg->body == NULL || (content = json_stringn(msg->body,
	    wg_cut(msg->body, WG_CONTENT_MAX))) == NULL) {
		snprintf(err, errsz, "text is not UTF-8");
		goto out;
	}
	text = json_object();
	json_object_set_new(text, "content", content);
	member = ga.member;
	if (member[0] == '+') {
		/* WeCom knows Chinese members by their national number */
		if (strncmp(member, "+86", 3) == 0)
			member += 3;
		list = json_array();
		json_array_append_new(list, json_string(member));
		json_object_set_new(text, "mentioned_mobile_list", list);
	} else if (member[0] != '\0') {
		list = json_array();
		json_array_append_new(list, json_string(member));
		json_object_set_new(text, "mentioned_list", list);
	}
	root = json_object();
	json_object_set_new(root, "msgtype", json_string("text"));
	json_object_set_new(root, "text", text);
	if ((json = json_dumps(root, JSON_COMPACT)) == NULL)
		fatalx("wechat_group: json_dumps failed");
	call->url = xstrdup(ga.webhook_url);
	call->body = json;
	http_call_header(call, "Content-Type: application/json");
	rc = 0;
out:
	json_decref(root);
	adapter_group_address_clear(&ga);
	return rc;
}

/*
 * HTTP 200 with {"errcode": 0}: sent.  No answer, 429, 5xx and errcode
 * 45009 (rate limit): try again.  Any other errcode or status: refused.
 */
static void
wg_result(struct channel *ch, long status, const char *body, size_t len,
    struct send_result *r)
{
	json_t		*root = NULL, *v;
	json_int_t	 code;
	const char	*msg = "";

	(void)ch;
	memset(r, 0, sizeof(*r));
	if (status == -1 || status == 429 || status >= 500) {
		r->outcome = SEND_RETRY;
		if (status != -1)
			snprintf(r->error, sizeof(r->error), "HTTP %ld", status);
		goto out;
	}
	r->outcome = SEND_FAIL;
	if (status < 200 || status >= 300) {
		snprintf(r->error, sizeof(r->error), "HTTP %ld", status);
		goto out;
	}
	if (body != NULL && len > 0)
		root = json_loadb(body, len, 0, NULL);
	if (!json_is_integer(v = json_object_get(root, "errcode"))) {
		snprintf(r->error, sizeof(r->error), "HTTP %ld without an errcode",
		    status);
		goto out;
	}
	code = json_integer_value(v);
	if (json_is_string(v = json_object_get(root, "errmsg")))
		msg = json_string_value(v);
	if (code == 0) {
		r->outcome = SEND_OK;
		goto out;
	}
	if (code == WG_ERR_RATE_LIMIT)
		r->outcome = SEND_RETRY;
	snprintf(r->error, sizeof(r->error), "errcode %lld: %s",
	    (long long)code, msg);
out:
	json_decref(root);
}
