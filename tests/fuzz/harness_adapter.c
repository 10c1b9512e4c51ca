/*
 * tests/fuzz/harness_adapter.c: what the adapter drivers share.  One
 * configuration, loaded once with the adapters' own config checks, holds
 * a channel of every adapter; the secrets the channels read are set with
 * setenv() first, so adapter_open() readies them as at startup.
 *
 * An input is one webhook request, split at up to three RS bytes (0x1e)
 * into, in this order, the sub-path (what follows /webhooks/{id}, with an
 * optional "?query"), the value of every request header the adapter asks
 * for (X-Twilio-Signature, X-Minyi-Signature), and the remote address;
 * what follows the last RS taken is the body.  So "{...}" is a body alone,
 * "/status\x1e<sig>\x1e<body>" a sub-path, a signature and a body.  A
 * form-body adapter (Twilio) gets the body as form fields too, split on '&'
 * and the first '=' without URL-decoding, into the form as gateway/http.c
 * builds it (adapter_form_add: repeated names keep every value, invalid
 * UTF-8 replaced).
 *
 * For each request: verify (0 or -1), then parse whatever verify said
 * (the gateway would stop at a 403; parse must cope either way), then the
 * outbound side with the same bytes: build with the header part as the
 * recipient and the body as the text, and result with the body as the
 * provider's answer; on adapters that can look messages up (twilio), the
 * lookup of FUZZ_LOOKUP_TEXT to the header part, claimed at
 * FUZZ_LOOKUP_SINCE, with the body as the provider's list.  What is
 * checked, else fuzz_fail():
 *  - parse returns 0 with at least one message or receipt, or -1 with a
 *    reason in err;
 *  - every message has a sender (E.164 "+..." on one-to-one channels,
 *    "<channel>:<member>" and a group id on group channels) and valid
 *    UTF-8 text; media, when present, is a JSON array;
 *  - every receipt has a provider id and one of the five statuses;
 *  - build returns 0 with a URL, or -1 with a reason;
 *  - result gives one of the three outcomes, strings NUL-terminated;
 *  - lookup_build returns 0 with a URL, or -1 with a reason;
 *  - lookup_result gives found (SEND_OK, with an id that is not a known
 *    one), not found (SEND_UNSENT) or cannot tell (SEND_RETRY, with a
 *    reason unless there was no answer), strings NUL-terminated.
 * ASan and UBSan check the memory; LeakSanitizer that everything the
 * parse allocated is freed by inbound_batch_clear.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/adapter.h"
#include "fuzz.h"

#define FUZZ_RS		0x1e	/* splits the parts of an input */
#define FUZZ_PARTS	3	/* sub-path, header, remote address */

/*
 * Every adapter once.  The secrets: Twilio's auth token, the HMAC key of
 * the group bridge and the hotline, and the URL secret (and API key) of
 * the two domestic SMS providers, which accept pushes from 127.0.0.0/8
 * and 2001:db8::/32 only.
 */
static const char fuzz_adapter_config[] =
    "{\"server\": {\"listen\": \"127.0.0.1:8080\","
    "  \"public_url\": \"https://minyi.example.org\"},"
    " \"region\": \"CN\", \"dialog\": {\"sms_channel\": \"sms\"},"
    " \"channels\": ["
    "  {\"id\": \"sim\", \"adapter\": \"sim\"},"
    "  {\"id\": \"sms\", \"adapter\": \"twilio\","
    "   \"account_sid\": \"AC0123456789abcdef0123456789abcdef\","
    "   \"auth_token_env\": \"MINYI_FUZZ_TWILIO_TOKEN\", \"from\": \"+8610690000\"},"
    "  {\"id\": \"groups\", \"adapter\": \"wechat_group\", \"bot_name\": \"民意助手\","
    "   \"keyword\": \"#诉求\", \"secret_env\": \"MINYI_FUZZ_HMAC_SECRET\"},"
    "  {\"id\": \"hotline\", \"adapter\": \"hotline\", \"reply_channel\": \"sms\","
    "   \"caller_channel_id\": 1, \"secret_env\": \"MINYI_FUZZ_HMAC_SECRET\"},"
    "  {\"id\": \"aliyun\", \"adapter\": \"aliyun_sms\","
    "   \"secret_env\": \"MINYI_FUZZ_URL_SECRET\","
    "   \"allow_from\": [\"127.0.0.0/8\", \"2001:db8::/32\"],"
    "   \"access_key_id\": \"LTAI4FuzzKeyId\","
    "   \"access_key_secret_env\": \"MINYI_FUZZ_KEY_SECRET\","
    "   \"sign_name\": \"民意直通\", \"template_code\": \"SMS_000000001\"},"
    "  {\"id\": \"tencent\", \"adapter\": \"tencent_sms\","
    "   \"secret_env\": \"MINYI_FUZZ_URL_SECRET\","
    "   \"allow_from\": [\"127.0.0.0/8\", \"2001:db8::/32\"],"
    "   \"secret_id\": \"AKIDfuzzSecretId\", \"secret_key_env\": \"MINYI_FUZZ_KEY_SECRET\","
    "   \"sdk_app_id\": \"1400000001\", \"sign_name\": \"民意直通\","
    "   \"template_id\": \"1000001\"}"
    " ],"
    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}";

static const struct {
	const char	*name;
	const char	*value;
} fuzz_secrets[] = {
	{ "MINYI_FUZZ_TWILIO_TOKEN",	"fuzz-twilio-token" },
	{ "MINYI_FUZZ_HMAC_SECRET",	"fuzz-hmac-secret" },
	{ "MINYI_FUZZ_URL_SECRET",	"fuzz-url-secret-0123456789" },
	{ "MINYI_FUZZ_KEY_SECRET",	"fuzz-key-secret" },
};

/* The statuses result() is asked about, picked by the input's length. */
static const long fuzz_statuses[] = { 200, 201, 400, 401, 429, 500, 503, -1 };

/* The message a lookup looks for: this text to the header part, claimed
 * at this time (Tue, 14 Nov 2023 22:13:20 +0000), not one of these ids. */
#define FUZZ_LOOKUP_TEXT	"您的诉求已受理"
#define FUZZ_LOOKUP_SINCE	1700000000
static const char *const fuzz_known[] = { "SM00000000000000000000000000000001" };

static struct config	*fuzz_cfg;		/* loaded once, never freed */
static struct channel	*fuzz_channels;		/* one per config channel */
static bool		 fuzz_verbose;		/* FUZZ_VERBOSE set: say what each input did */

/* One request's parts: each from malloc(), NUL-terminated. */
struct fuzz_req {
	char	*part[FUZZ_PARTS];	/* sub-path, header, remote; NULL if absent */
	char	*body;
	size_t	 body_len;
};

void
fuzz_adapter_init(void)
{
	struct config_errors	 errs;
	size_t			 i;

	if (fuzz_cfg != NULL)
		return;
	log_init(-1);
	fuzz_verbose = getenv("FUZZ_VERBOSE") != NULL;
	for (i = 0; i < nitems(fuzz_secrets); i++)
		if (setenv(fuzz_secrets[i].name, fuzz_secrets[i].value, 1) == -1)
			fuzz_fail("setenv %s", fuzz_secrets[i].name);
	memset(&errs, 0, sizeof(errs));
	config_set_channel_check(adapter_check_config);
	if ((fuzz_cfg = config_load_string(fuzz_adapter_config, &errs)) == NULL) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "config: %s\n", errs.lines[i]);
		fuzz_fail("the harness configuration does not load");
	}
	config_errors_free(&errs);
	fuzz_channels = xcalloc(fuzz_cfg->nchannels, sizeof(*fuzz_channels));
	for (i = 0; i < fuzz_cfg->nchannels; i++)
		if (adapter_open(&fuzz_channels[i], fuzz_cfg,
		    &fuzz_cfg->channels[i]) != 0)
			fuzz_fail("channel %s does not open", fuzz_cfg->channels[i].id);
}

static struct channel *
fuzz_channel(const char *id)
{
	size_t	 i;

	for (i = 0; i < fuzz_cfg->nchannels; i++)
		if (strcmp(fuzz_cfg->channels[i].id, id) == 0)
			return &fuzz_channels[i];
	fuzz_fail("no channel %s", id);
}

/* Split data into r's parts (see the top of the file). */
static void
fuzz_req_split(const uint8_t *data, size_t size, struct fuzz_req *r)
{
	const uint8_t	*p = data, *end = data + size, *rs;
	size_t		 k;

	memset(r, 0, sizeof(*r));
	for (k = 0; k < FUZZ_PARTS; k++) {
		if ((rs = memchr(p, FUZZ_RS, (size_t)(end - p))) == NULL)
			break;
		r->part[k] = xstrndup((const char *)p, (size_t)(rs - p));
		p = rs + 1;
	}
	r->body_len = (size_t)(end - p);
	r->body = xmalloc(r->body_len + 1);
	memcpy(r->body, p, r->body_len);
	r->body[r->body_len] = '\0';
}

static void
fuzz_req_clear(struct fuzz_req *r)
{
	size_t	 k;

	for (k = 0; k < FUZZ_PARTS; k++)
		free(r->part[k]);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* Every header asked for has the input's header part as its value. */
static const char *
fuzz_header(const struct http_req *req, const char *name)
{
	const struct fuzz_req *r = req->hctx;

	(void)name;
	return r->part[1];
}

/*
 * The body as form fields (a new object, as struct http_req's form):
 * pieces split on '&', each at its first '=', put in with
 * adapter_form_add as gateway/http.c does: a repeated name keeps every
 * value, values that are not UTF-8 are sanitised, names that are not
 * UTF-8 are dropped (the gateway refuses the body).
 */
static json_t *
fuzz_form(const char *body, size_t len)
{
	json_t		*form = json_object();
	const char	*p = body, *end = body + len, *amp, *eq;
	char		*key = NULL;

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp > p) {
			if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
				eq = amp;
			key = xstrndup(p, (size_t)(eq - p));
			if (eq < amp)
				eq++;
			(void)adapter_form_add(form, key, eq, (size_t)(amp - eq));
			free(key);
			key = NULL;
		}
		p = amp + 1;
	}
	return form;
}

static bool
fuzz_status_known(const char *s)
{
	static const char *const statuses[] = { "queued", "sent", "delivered",
	    "undelivered", "failed" };
	size_t	 i;

	for (i = 0; i < nitems(statuses); i++)
		if (strcmp(s, statuses[i]) == 0)
			return true;
	return false;
}

/* The contract of a parse that returned 0. */
static void
fuzz_check_batch(const struct channel *ch, const struct inbound_batch *b)
{
	const struct inbound	*m;
	const struct receipt	*rc;
	size_t			 i, idlen = strlen(ch->conf->id);

	if (b->nmsgs + b->nreceipts == 0)
		fuzz_fail("%s: parse returned 0 with nothing", ch->conf->id);
	for (i = 0; i < b->nmsgs; i++) {
		m = &b->msgs[i];
		if (m->from == NULL || m->from[0] == '\0')
			fuzz_fail("%s: message %zu without a sender", ch->conf->id, i);
		if (m->text == NULL || !utf8_valid(m->text, strlen(m->text)))
			fuzz_fail("%s: message %zu text missing or not UTF-8",
			    ch->conf->id, i);
		if (ch->ad->flags & AD_F_GROUP) {
			if (m->group_id == NULL || strncmp(m->from, ch->conf->id,
			    idlen) != 0 || m->from[idlen] != ':')
				fuzz_fail("%s: group message %zu from \"%s\" group %s",
				    ch->conf->id, i, m->from,
				    m->group_id ? m->group_id : "(none)");
		} else if (m->from[0] != '+')
			fuzz_fail("%s: message %zu from \"%s\" is not E.164",
			    ch->conf->id, i, m->from);
		if (m->media != NULL && !json_is_array(m->media))
			fuzz_fail("%s: message %zu media is not an array",
			    ch->conf->id, i);
	}
	for (i = 0; i < b->nreceipts; i++) {
		rc = &b->receipts[i];
		if (rc->provider_id == NULL || rc->provider_id[0] == '\0')
			fuzz_fail("%s: receipt %zu without a provider id",
			    ch->conf->id, i);
		if (rc->status == NULL || !fuzz_status_known(rc->status))
			fuzz_fail("%s: receipt %zu status \"%s\"", ch->conf->id, i,
			    rc->status ? rc->status : "(null)");
	}
}

/* lookup_build and lookup_result over the same bytes. */
static void
fuzz_lookup(struct channel *ch, const struct fuzz_req *r, size_t size)
{
	struct outmsg		 msg;
	struct lookup		 q;
	struct http_call	 call;
	struct send_result	 res;
	char			 err[256];
	long			 status;
	size_t			 i;

	if (ch->ad->ops->lookup_result == NULL)
		fuzz_fail("%s: lookup_build without lookup_result", ch->conf->id);
	memset(&msg, 0, sizeof(msg));
	msg.id = 1;
	msg.to = r->part[1] != NULL ? r->part[1] : "";
	msg.body = FUZZ_LOOKUP_TEXT;
	memset(&q, 0, sizeof(q));
	q.msg = &msg;
	q.since = FUZZ_LOOKUP_SINCE;
	q.known = fuzz_known;
	q.nknown = nitems(fuzz_known);
	memset(&call, 0, sizeof(call));
	err[0] = '\0';
	if (ch->ad->ops->lookup_build(ch, &q, &call, err, sizeof(err)) == 0) {
		if (call.url == NULL)
			fuzz_fail("%s: lookup_build returned 0 without a URL",
			    ch->conf->id);
	} else if (err[0] == '\0')
		fuzz_fail("%s: lookup_build failed without a reason", ch->conf->id);
	http_call_clear(&call);

	status = fuzz_statuses[size % nitems(fuzz_statuses)];
	memset(&res, 0xa5, sizeof(res));
	ch->ad->ops->lookup_result(ch, status, r->body, r->body_len, &q, &res);
	if (memchr(res.provider_id, '\0', sizeof(res.provider_id)) == NULL ||
	    memchr(res.error, '\0', sizeof(res.error)) == NULL)
		fuzz_fail("%s: lookup_result strings not terminated", ch->conf->id);
	switch (res.outcome) {
	case SEND_OK:
		if (res.provider_id[0] == '\0')
			fuzz_fail("%s: lookup found a message without an id",
			    ch->conf->id);
		for (i = 0; i < nitems(fuzz_known); i++)
			if (strcmp(res.provider_id, fuzz_known[i]) == 0)
				fuzz_fail("%s: lookup found a known message %s",
				    ch->conf->id, res.provider_id);
		break;
	case SEND_UNSENT:
		break;
	case SEND_RETRY:
		if (status != -1 && res.error[0] == '\0')
			fuzz_fail("%s: lookup cannot tell without a reason",
			    ch->conf->id);
		break;
	default:
		fuzz_fail("%s: lookup_result outcome %d", ch->conf->id,
		    (int)res.outcome);
	}
	if (fuzz_verbose)
		fprintf(stderr, "%s: lookup status %ld: outcome %d %s%s\n",
		    ch->conf->id, status, (int)res.outcome, res.provider_id, res.error);
}

/* build and result over the same bytes: the outbound side. */
static void
fuzz_outbound(struct channel *ch, const struct fuzz_req *r, size_t size)
{
	struct outmsg		 msg;
	struct http_call	 call;
	struct send_result	 res;
	char			 err[256], *text = NULL, *status_url = NULL;
	long			 status;

	if (ch->ad->ops->build != NULL) {
		text = utf8_valid(r->body, r->body_len) ?
		    xstrdup(r->body) : utf8_sanitize(r->body, r->body_len);
		status_url = xasprintf("%s/webhooks/%s/status",
		    ch->cfg->server.public_url, ch->conf->id);
		memset(&msg, 0, sizeof(msg));
		msg.id = 1;
		msg.to = r->part[1] != NULL ? r->part[1] : "";
		msg.body = text;
		msg.status_url = status_url;
		memset(&call, 0, sizeof(call));
		err[0] = '\0';
		if (ch->ad->ops->build(ch, &msg, &call, err, sizeof(err)) == 0) {
			if (call.url == NULL)
				fuzz_fail("%s: build returned 0 without a URL",
				    ch->conf->id);
		} else if (err[0] == '\0')
			fuzz_fail("%s: build failed without a reason", ch->conf->id);
		http_call_clear(&call);
	}
	if (ch->ad->ops->result != NULL) {
		status = fuzz_statuses[size % nitems(fuzz_statuses)];
		memset(&res, 0xa5, sizeof(res));
		ch->ad->ops->result(ch, status, r->body, r->body_len, &res);
		if (res.outcome != SEND_OK && res.outcome != SEND_RETRY &&
		    res.outcome != SEND_FAIL)
			fuzz_fail("%s: result outcome %d", ch->conf->id,
			    (int)res.outcome);
		if (memchr(res.provider_id, '\0', sizeof(res.provider_id)) == NULL ||
		    memchr(res.error, '\0', sizeof(res.error)) == NULL)
			fuzz_fail("%s: result strings not terminated", ch->conf->id);
		if (status >= 200 && status < 300 && res.outcome != SEND_OK &&
		    res.error[0] == '\0')
			fuzz_fail("%s: 2xx refused without a reason", ch->conf->id);
	}
	if (ch->ad->ops->lookup_build != NULL)
		fuzz_lookup(ch, r, size);
	free(text);
	free(status_url);
}

void
fuzz_adapter_one(const char *id, const uint8_t *data, size_t size)
{
	struct channel		*ch = fuzz_channel(id);
	struct fuzz_req		 r;
	struct http_req		 req;
	struct inbound_batch	 batch;
	char			 err[256], *path = NULL, *sub = NULL, *q;
	int			 rc, vrc;

	fuzz_req_split(data, size, &r);
	sub = xstrdup(r.part[0] != NULL ? r.part[0] : "");
	memset(&req, 0, sizeof(req));
	if ((q = strchr(sub, '?')) != NULL) {
		*q++ = '\0';
		req.query = q;
	}
	path = xasprintf("/webhooks/%s%s", id, sub);
	req.method = "POST";
	req.path = path;
	req.sub = sub;
	req.body = r.body;
	req.body_len = r.body_len;
	req.remote_addr = r.part[2] != NULL ? r.part[2] : "127.0.0.1";
	req.header = fuzz_header;
	req.hctx = &r;
	if (ch->ad->flags & AD_F_FORM_BODY)
		req.form = fuzz_form(r.body, r.body_len);

	vrc = ch->ad->ops->verify != NULL ? ch->ad->ops->verify(ch, &req) : 0;
	if (vrc != 0 && vrc != -1)
		fuzz_fail("%s: verify returned %d", id, vrc);
	memset(&batch, 0, sizeof(batch));
	memset(err, 0, sizeof(err));
	rc = ch->ad->ops->parse(ch, &req, &batch, err, sizeof(err));
	if (fuzz_verbose)
		fprintf(stderr, "%s: verify %d, parse %d: %zu messages, %zu "
		    "receipts%s%s\n", id, vrc, rc, batch.nmsgs, batch.nreceipts,
		    rc != 0 ? ": " : "", rc != 0 ? err : "");
	if (rc == 0)
		fuzz_check_batch(ch, &batch);
	else if (rc != -1)
		fuzz_fail("%s: parse returned %d", id, rc);
	else if (err[0] == '\0')
		fuzz_fail("%s: parse failed without a reason", id);
	inbound_batch_clear(&batch);
	fuzz_outbound(ch, &r, size);

	json_decref(req.form);
	free(path);
	free(sub);
	fuzz_req_clear(&r);
}
