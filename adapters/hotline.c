/*
 * hotline.c: 12345-style hotline call transcripts.  A call arrives by
 * POST /webhooks/{id} as one JSON object, or through `minyi
 * import-hotline` as JSON Lines (hotline_parse_call, adapter.h), and
 * becomes one inbound message from the caller: the agent's summary when
 * there is one, else the caller's words in time order.  Two shapes:
 *
 *	{"call_id": "...", "caller": "138 0013 8000", "started_at": "...",
 *	 "agent_id": "...", "summary": "...",
 *	 "segments": [{"speaker": "caller" | "agent", "text": "...",
 *	               "begin_ms": 0, "end_ms": 1200}, ...]}
 *
 *	{"call_id": "...", "caller": "...",
 *	 "Result": {"Sentences": [{"ChannelId": 0, "BeginTime": 0,
 *	                           "EndTime": 1200, "Text": "..."}, ...]}}
 *
 * The second is Alibaba Cloud Intelligent Speech Interaction's
 * recording-file recognition result (录音文件识别, "Result.Sentences",
 * times in milliseconds, one ChannelId per recorded channel):
 *	https://help.aliyun.com/zh/isi/developer-reference/api-reference
 * The channel option caller_channel_id says which ChannelId is the caller.
 *
 * A transcript makes a case and sends SMS to the caller, so the webhook
 * is never open: secret_env (requests carry X-Minyi-Signature, the hex
 * HMAC-SHA256 of the body, as the group bridge's do), allow_from (the
 * call centre's addresses, as push.c reads them), or both.  The caller
 * must be a valid number of the config's region.  There is no provider
 * to send through: replies go to the caller by SMS over the channel that
 * reply_channel names (gateway/ does that).
 */
#include "adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* A channel's state: from init, freed by cleanup. */
struct hotline_ctx {
	char		*secret;	/* from malloc(), or NULL: no signature */
	struct push_guard guard;	/* allow_from only (no URL secret) */
};

/* One piece of the caller's speech, borrowed from the call object. */
struct hotline_piece {
	json_int_t	 at;	/* begin, milliseconds */
	size_t		 idx;	/* position in the transcript: ties keep it */
	const char	*text;
};

static void	hotline_check(const struct config *, const struct channel_conf *,
		    const char *, struct config_errors *);
static int	hotline_init(struct channel *);
static void	hotline_cleanup(struct channel *);
static int	hotline_verify(struct channel *, const struct http_req *);
static int	hotline_parse(struct channel *, const struct http_req *,
		    struct inbound_batch *, char *, size_t);

static const struct adapter_ops hotline_ops = {
	.check = hotline_check,
	.init = hotline_init,
	.cleanup = hotline_cleanup,
	.verify = hotline_verify,
	.parse = hotline_parse,
};

static const char *const hotline_keys[] = {
	"caller_channel_id",
	"secret_env",
	"allow_from",
	NULL			/* reply_channel is a common key (config.c) */
};

const struct adapter adapter_hotline = {
	.name = "hotline",
	.ops = &hotline_ops,
	.keys = hotline_keys,
	.flags = AD_F_DIRECT,
	.ok_type = "application/json",
	.ok_body = "{\"ok\":true}",
};

static void
hotline_check(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	const struct channel_conf	*reply;
	const struct adapter		*ad;
	const char			*id;
	json_t				*v;
	char				 p[128];

	/* config.c has checked that the channel exists */
	if ((id = adapter_check_string(cc, path, "reply_channel", true,
	    errs)) != NULL && (reply = config_channel(cfg, id)) != NULL &&
	    (ad = adapter_lookup(reply->adapter)) != NULL &&
	    (ad == &adapter_hotline || (ad->flags & AD_F_GROUP) != 0)) {
		snprintf(p, sizeof(p), "%s.reply_channel", path);
		config_err(errs, p, "channel \"%s\" (adapter %s) cannot reach "
		    "a caller's phone", id, ad->name);
	}
	v = json_object_get(cc->json, "caller_channel_id");
	if (v != NULL && (!json_is_integer(v) || json_integer_value(v) < 0)) {
		snprintf(p, sizeof(p), "%s.caller_channel_id", path);
		config_err(errs, p, "expected a ChannelId: an integer 0 or more");
	}
	adapter_check_string(cc, path, "secret_env", false, errs);
	push_allow_load(cc, path, errs, NULL, NULL);
	if (json_object_get(cc->json, "secret_env") == NULL &&
	    json_object_get(cc->json, "allow_from") == NULL)
		config_err(errs, path, "a hotline needs secret_env (signed "
		    "requests) or allow_from (the call centre's addresses): "
		    "anyone could file calls and send SMS otherwise");
}

static void
hotline_ctx_free(struct hotline_ctx *hc)
{
	if (hc == NULL)
		return;
	if (hc->secret != NULL)
		OPENSSL_cleanse(hc->secret, strlen(hc->secret));
	free(hc->secret);
	push_guard_clear(&hc->guard);
	free(hc);
}

static int
hotline_init(struct channel *ch)
{
	struct hotline_ctx	*hc = NULL;
	const char		*env, *secret = NULL;
	int			 rc = -1;

	if ((env = adapter_conf_str(ch->conf, "secret_env")) != NULL &&
	    (secret = config_secret(env)) == NULL) {
		log_warnx("hotline init channel=%s: environment variable %s is "
		    "not set", ch->conf->id, env);
		goto out;
	}
	hc = xcalloc(1, sizeof(*hc));
	hc->secret = xstrdup(secret);
	if (push_allow_load(ch->conf, ch->conf->id, NULL, &hc->guard.allow,
	    &hc->guard.nallow) == -1) {
		log_warnx("hotline init channel=%s: bad allow_from", ch->conf->id);
		goto out;
	}
	if (hc->secret == NULL && hc->guard.allow == NULL) {
		log_warnx("hotline init channel=%s: secret_env or allow_from is "
		    "required", ch->conf->id);
		goto out;
	}
	ch->ctx = hc;
	hc = NULL;
	rc = 0;
out:
	hotline_ctx_free(hc);
	return rc;
}

static void
hotline_cleanup(struct channel *ch)
{
	hotline_ctx_free(ch->ctx);
	ch->ctx = NULL;
}

static int
hotline_verify(struct channel *ch, const struct http_req *req)
{
	struct hotline_ctx	*hc = ch->ctx;

	if (hc == NULL || (hc->secret == NULL && hc->guard.allow == NULL))
		return -1;
	if (!push_guard_allows(&hc->guard, req->remote_addr))
		return -1;
	if (hc->secret == NULL)
		return 0;
	return adapter_hmac_sha256_check(hc->secret, req->body, req->body_len,
	    req->header(req, "X-Minyi-Signature"));
}

/* --- transcripts --------------------------------------------------------- */

/* Bytes of the blank at p (ASCII or U+3000), or 0. */
static size_t
hotline_blank(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		return 1;
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* s without its leading and trailing blanks: the start, and *len bytes. */
static const char *
hotline_trim(const char *s, size_t *len)
{
	const char	*end, *p;
	size_t		 n;

	while ((n = hotline_blank(s)) > 0)
		s += n;
	end = s;
	for (p = s; *p != '\0'; p += n)
		if ((n = hotline_blank(p)) == 0) {
			n = 1;
			end = p + 1;
		}
	*len = (size_t)(end - s);
	return s;
}

/* Whether b ends with a mark that closes a clause: no "，" after it. */
static bool
hotline_ends_clause(const struct buf *b)
{
	static const char *const marks[] = { "。", "！", "？", "，", "、",
	    "；", "：", "…", ".", "!", "?", ",", ";", ":" };
	size_t	 i, n;

	for (i = 0; i < nitems(marks); i++) {
		n = strlen(marks[i]);
		if (b->len >= n && memcmp(b->data + b->len - n, marks[i], n) == 0)
			return true;
	}
	return false;
}

static int
hotline_piece_cmp(const void *a, const void *b)
{
	const struct hotline_piece *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The caller's pieces of arr (a transcript array), appended to *pieces.
 * Rows are objects { who_key, at_key, text_key }: a row is the caller's
 * when its who_key string equals speaker, or (speaker NULL) its who_key
 * integer equals channel.  at_key may be absent (0).  -1 with a reason
 * naming the row on a wrong type; *pieces is the caller's either way.
 */
static int
hotline_collect(json_t *arr, const char *path, const char *who_key,
    const char *at_key, const char *text_key, const char *speaker,
    json_int_t channel, struct hotline_piece **pieces, size_t *n,
    char *err, size_t errsz)
{
	json_t	*row, *who, *at, *text;
	size_t	 i;
	bool	 caller;

	if (!json_is_array(arr)) {
		snprintf(err, errsz, "%s: expected an array", path);
		return -1;
	}
	*pieces = xrealloc(*pieces, (*n + json_array_size(arr) + 1) *
	    sizeof(**pieces));
	json_array_foreach(arr, i, row) {
		if (!json_is_object(row)) {
			snprintf(err, errsz, "%s[%zu]: expected an object", path, i);
			return -1;
		}
		who = json_object_get(row, who_key);
		at = json_object_get(row, at_key);
		text = json_object_get(row, text_key);
		if (speaker != NULL ? !json_is_string(who) : !json_is_integer(who)) {
			snprintf(err, errsz, "%s[%zu].%s: expected %s", path, i,
			    who_key, speaker != NULL ? "a string" : "an integer");
			return -1;
		}
		if (at != NULL && !json_is_integer(at)) {
			snprintf(err, errsz, "%s[%zu].%s: expected milliseconds "
			    "as an integer", path, i, at_key);
			return -1;
		}
		if (!json_is_string(text)) {
			snprintf(err, errsz, "%s[%zu].%s: expected a string",
			    path, i, text_key);
			return -1;
		}
		if (speaker != NULL)
			caller = strcmp(json_string_value(who), speaker) == 0;
		else
			caller = json_integer_value(who) == channel;
		if (!caller)
			continue;
		(*pieces)[*n].at = at != NULL ? json_integer_value(at) : 0;
		(*pieces)[*n].idx = i;
		(*pieces)[*n].text = json_string_value(text);
		(*n)++;
	}
	return 0;
}

/*
 * The caller's words of call, in time order, joined with "，" (no comma
 * after a clause that already ends with a mark), into b.
 */
static int
hotline_words(const struct channel *ch, json_t *call, struct buf *b,
    char *err, size_t errsz)
{
	struct hotline_piece	*pieces = NULL;
	json_t			*segs, *result, *v;
	json_int_t		 channel = 0;
	const char		*text;
	size_t			 n = 0, i, len;
	int			 rc = -1;

	if (json_is_integer(v = json_object_get(ch->conf->json,
	    "caller_channel_id")))
		channel = json_integer_value(v);
	segs = json_object_get(call, "segments");
	result = json_object_get(call, "Result");
	if (segs != NULL) {
		if (hotline_collect(segs, "segments", "speaker", "begin_ms",
		    "text", "caller", 0, &pieces, &n, err, errsz) == -1)
			goto out;
	} else if (result != NULL) {
		if (!json_is_object(result)) {
			snprintf(err, errsz, "Result: expected an object");
			goto out;
		}
		if (hotline_collect(json_object_get(result, "Sentences"),
		    "Result.Sentences", "ChannelId", "BeginTime", "Text", NULL,
		    channel, &pieces, &n, err, errsz) == -1)
			goto out;
	}
	if (n > 0)
		qsort(pieces, n, sizeof(*pieces), hotline_piece_cmp);
	for (i = 0; i < n; i++) {
		text = hotline_trim(pieces[i].text, &len);
		if (len == 0)
			continue;
		if (b->len > 0 && !hotline_ends_clause(b))
			buf_addstr(b, "，");
		buf_add(b, text, len);
	}
	rc = 0;
out:
	free(pieces);
	return rc;
}

int
hotline_parse_call(const struct channel *ch, json_t *call, struct inbound *out,
    char *err, size_t errsz)
{
	struct buf	 words;
	json_t		*v;
	const char	*call_id, *caller, *summary, *why = NULL, *region;
	char		 e164[PHONE_MAX], masked[PHONE_MASKED_MAX];
	size_t		 len;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	buf_init(&words, 0);
	if (!json_is_object(call)) {
		snprintf(err, errsz, "expected a JSON object");
		goto out;
	}
	v = json_object_get(call, "call_id");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		snprintf(err, errsz, v == NULL ? "call_id is missing" :
		    "call_id: expected a non-empty string");
		goto out;
	}
	call_id = json_string_value(v);
	v = json_object_get(call, "caller");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		snprintf(err, errsz, v == NULL ? "caller is missing" :
		    "caller: expected a phone number as a string");
		goto out;
	}
	caller = json_string_value(v);
	region = ch->cfg->region ? ch->cfg->region : "CN";
	/* the reason is logged: the number in it is masked, valid or not */
	if (phone_normalize(caller, region, e164, sizeof(e164), &why) == -1) {
		phone_mask(caller, masked, sizeof(masked));
		snprintf(err, errsz, "caller \"%s\": %s", masked, why);
		goto out;
	}
	/* replies go by SMS: only to the county's own numbers */
	if (!phone_in_region(e164, region)) {
		phone_mask(e164, masked, sizeof(masked));
		snprintf(err, errsz, "caller \"%s\": not a number of region %s",
		    masked, region);
		goto out;
	}
	v = json_object_get(call, "summary");
	if (v != NULL && !json_is_string(v) && !json_is_null(v)) {
		snprintf(err, errsz, "summary: expected a string");
		goto out;
	}
	if (json_is_string(v)) {
		summary = hotline_trim(json_string_value(v), &len);
		buf_add(&words, summary, len);
	}
	if (words.len == 0 && hotline_words(ch, call, &words, err, errsz) == -1)
		goto out;
	if (words.len == 0) {
		snprintf(err, errsz, "no words from the caller: expected a "
		    "summary, caller segments or Result.Sentences");
		goto out;
	}
	out->provider_id = xstrdup(call_id);
	out->from = xstrdup(e164);
	if (utf8_valid(buf_str(&words), words.len))
		out->text = buf_steal(&words);
	else
		out->text = utf8_sanitize(buf_str(&words), words.len);
	out->params = json_incref(call);
	out->addressed = true;
	rc = 0;
out:
	buf_free(&words);
	return rc;
}

/* --- webhook ------------------------------------------------------------- */

static int
hotline_parse(struct channel *ch, const struct http_req *req,
    struct inbound_batch *batch, char *err, size_t errsz)
{
	struct inbound	 m;
	json_t		*root = NULL;
	json_error_t	 jerr;
	int		 rc = -1;

	memset(&m, 0, sizeof(m));
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
	if (hotline_parse_call(ch, root, &m, err, errsz) == -1)
		goto out;
	*inbound_batch_add(batch) = m;
	memset(&m, 0, sizeof(m));
	rc = 0;
out:
	inbound_clear(&m);
	json_decref(root);
	return rc;
}
