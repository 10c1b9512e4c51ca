/*
 * push.c: shared by providers that push unsigned callbacks (aliyun_sms.c,
 * tencent_sms.c).  Neither Alibaba Cloud nor Tencent Cloud signs what it
 * pushes, so the webhook URL carries a secret, /webhooks/{id}/{secret}
 * (req->sub "/<secret>" or "/<secret>/<kind>"), compared in constant time,
 * with an optional allow_from list of source addresses: a struct
 * push_guard, owned by the adapter's ctx.  The rest is what such providers
 * have alike: the config keys sign_name, api_base and max_segments, the
 * JSON field readers and batch rules of a push, stable ids for messages
 * that come without one, and the cut of a text to fit with 【sign】.
 * Payload shapes, signing and result codes stay in each adapter.
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

/* --- the guard: URL secret and allow-list -------------------------------- */

int
push_net_parse(const char *s, struct push_net *n)
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
push_net_has(const struct push_net *n, const unsigned char *addr)
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

bool
push_guard_allows(const struct push_guard *g, const char *remote)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned char	 a4[4], a6[16];
	bool		 is4 = false, is6 = false;
	size_t		 i;

	if (g->allow == NULL)
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
	for (i = 0; i < g->nallow; i++) {
		if (g->allow[i].family == AF_INET && is4 &&
		    push_net_has(&g->allow[i], a4))
			return true;
		if (g->allow[i].family == AF_INET6 && is6 &&
		    push_net_has(&g->allow[i], a6))
			return true;
	}
	return false;
}

int
push_allow_load(const struct channel_conf *cc, const char *path,
    struct config_errors *errs, struct push_net **nets, size_t *nnets)
{
	struct push_net	 n;
	json_t		*list = json_object_get(cc->json, "allow_from"), *v;
	char		 p[160];
	size_t		 i;
	int		 rc = 0;

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
		if (!json_is_string(v) || push_net_parse(json_string_value(v),
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

void
push_guard_check(const struct channel_conf *cc, const char *path,
    struct config_errors *errs)
{
	adapter_check_string(cc, path, "secret_env", true, errs);
	push_allow_load(cc, path, errs, NULL, NULL);
}

void
push_guard_check_env(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	const char	*env, *secret;
	char		 p[160];

	(void)cfg;
	if ((env = adapter_conf_str(cc, "secret_env")) == NULL ||
	    (secret = config_secret(env)) == NULL || push_secret_valid(secret))
		return;
	snprintf(p, sizeof(p), "%s.secret_env", path);
	config_err(errs, p, "environment variable %s must hold at least %d of "
	    "A-Z a-z 0-9 - . _ ~ (it is part of the webhook URL)", env,
	    PUSH_SECRET_MIN);
}

bool
push_secret_valid(const char *s)
{
	return strlen(s) >= PUSH_SECRET_MIN && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
	    == strlen(s);
}

int
push_guard_init(struct push_guard *g, const struct channel *ch)
{
	const char	*env, *secret;
	int		 rc = -1;

	memset(g, 0, sizeof(*g));
	if ((env = adapter_conf_str(ch->conf, "secret_env")) == NULL) {
		log_warnx("%s init channel=%s: secret_env is required",
		    ch->ad->name, ch->conf->id);
		goto out;
	}
	if ((secret = config_secret(env)) == NULL) {
		log_warnx("%s init channel=%s: environment variable %s is not "
		    "set", ch->ad->name, ch->conf->id, env);
		goto out;
	}
	if (!push_secret_valid(secret)) {
		log_warnx("%s init channel=%s: %s must hold at least %d of "
		    "A-Z a-z 0-9 - . _ ~ (it is part of the webhook URL)",
		    ch->ad->name, ch->conf->id, env, PUSH_SECRET_MIN);
		goto out;
	}
	if (push_allow_load(ch->conf, ch->conf->id, NULL, &g->allow,
	    &g->nallow) == -1) {
		log_warnx("%s init channel=%s: bad allow_from", ch->ad->name,
		    ch->conf->id);
		goto out;
	}
	g->secret = xstrdup(secret);
	rc = 0;
out:
	if (rc == -1)
		push_guard_clear(g);
	return rc;
}

void
push_guard_clear(struct push_guard *g)
{
	if (g->secret != NULL) {
		OPENSSL_cleanse(g->secret, strlen(g->secret));
		free(g->secret);
	}
	free(g->allow);
	memset(g, 0, sizeof(*g));
}

bool
push_sub_secret_ok(const char *secret, const char *sub)
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
		fatalx("push: SHA-256 failed");
	return CRYPTO_memcmp(want, got, wlen) == 0;
}

int
push_guard_verify(const struct push_guard *g, const struct http_req *req)
{
	if (g->secret == NULL || !push_guard_allows(g, req->remote_addr))
		return -1;
	return push_sub_secret_ok(g->secret, req->sub) ? 0 : -1;
}

/* --- config: sign_name, api_base, max_segments --------------------------- */

void
push_sign_check(const struct channel_conf *cc, const char *path,
    struct config_errors *errs)
{
	const char	*s;
	char		 p[160];

	if ((s = adapter_check_string(cc, path, "sign_name", true, errs)) != NULL &&
	    (utf8_units16(s) > PUSH_SIGN_MAX || strstr(s, "【") != NULL ||
	    strstr(s, "】") != NULL)) {
		snprintf(p, sizeof(p), "%s.sign_name", path);
		config_err(errs, p, "expected the sign's name without 【】, at "
		    "most %d characters, got \"%s\"", PUSH_SIGN_MAX, s);
	}
}

char *
push_url_host(const char *s)
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

int
push_max_segments(const struct channel_conf *cc, int *out)
{
	json_t	*v = json_object_get(cc->json, "max_segments");

	*out = PUSH_SEGMENTS_DEF;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > PUSH_SEGMENTS_MAX)
		return -1;
	*out = (int)json_integer_value(v);
	return 0;
}

void
push_send_check(const struct channel_conf *cc, const char *path,
    struct config_errors *errs)
{
	const char	*s;
	char		 p[160], *host;
	int		 segs;

	if ((s = adapter_check_string(cc, path, "api_base", false, errs)) != NULL) {
		if ((host = push_url_host(s)) == NULL) {
			snprintf(p, sizeof(p), "%s.api_base", path);
			config_err(errs, p, "expected an http:// or https:// URL, "
			    "got \"%s\"", s);
		}
		free(host);
	}
	if (push_max_segments(cc, &segs) == -1) {
		snprintf(p, sizeof(p), "%s.max_segments", path);
		config_err(errs, p, "expected an integer from 1 to %d",
		    PUSH_SEGMENTS_MAX);
	}
}

char *
push_api_base(const struct channel_conf *cc, const char *def)
{
	const char	*base;
	char		*out;
	size_t		 len;

	if ((base = adapter_conf_str(cc, "api_base")) == NULL)
		base = def;
	out = xstrdup(base);
	len = strlen(out);
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
	return out;
}

/* --- pushes -------------------------------------------------------------- */

int
push_sub_kind(const char *sub, const char *kind1, const char *kind2)
{
	const char	*rest;

	if (sub == NULL || sub[0] != '/' || (rest = strchr(sub + 1, '/')) == NULL)
		return 0;
	rest++;
	if (strcmp(rest, kind1) == 0)
		return 1;
	if (strcmp(rest, kind2) == 0)
		return 2;
	return rest[0] == '\0' ? 0 : -1;
}

json_t *
push_body_load(const struct http_req *req, char *err, size_t errsz)
{
	json_t		*root;
	json_error_t	 jerr;

	if (req->body_len == 0) {
		snprintf(err, errsz, "empty body");
		return NULL;
	}
	if ((root = json_loadb(req->body, req->body_len, 0, &jerr)) == NULL)
		snprintf(err, errsz, "body is not JSON: %s", jerr.text);
	return root;
}

int
push_batch_size(json_t *items, char *err, size_t errsz)
{
	size_t	 n = json_array_size(items);

	if (n == 0) {
		snprintf(err, errsz, "empty batch");
		return -1;
	}
	if (n > PUSH_BATCH_MAX) {
		snprintf(err, errsz, "batch of %zu items, more than %d", n,
		    PUSH_BATCH_MAX);
		return -1;
	}
	return 0;
}

int
push_field_str(json_t *item, const char *where, const char *key,
    bool required, bool empty_ok, const char **out, char *err, size_t errsz)
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

int
push_field_id(json_t *item, const char *where, const char *key,
    bool required, char **out, char *err, size_t errsz)
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

char *
push_hash_id(const char *const *fields, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	EVP_MD_CTX		*md;
	unsigned char		 sum[EVP_MAX_MD_SIZE];
	unsigned int		 len = 0, i;
	char			*out;
	size_t			 k;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		fatalx("push: SHA-256 failed");
	for (k = 0; k < n; k++)
		if (EVP_DigestUpdate(md, fields[k] ? fields[k] : "",
		    strlen(fields[k] ? fields[k] : "") + 1) != 1)
			fatalx("push: SHA-256 failed");
	if (EVP_DigestFinal_ex(md, sum, &len) != 1)
		fatalx("push: SHA-256 failed");
	EVP_MD_CTX_free(md);
	out = xmalloc(2 * (size_t)len + 1);
	for (i = 0; i < len; i++) {
		out[2 * i] = hex[sum[i] >> 4];
		out[2 * i + 1] = hex[sum[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return out;
}

void
push_batch_move(struct inbound_batch *to, struct inbound_batch *from)
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

/* --- sending ------------------------------------------------------------- */

bool
push_is_e164(const char *to)
{
	size_t	 n;

	if (to == NULL || to[0] != '+')
		return false;
	n = strlen(to + 1);
	return n >= 6 && n <= 15 && strspn(to + 1, "0123456789") == n;
}

char *
push_fit(const char *sign, const char *text, int max_segments)
{
	size_t	 cap, used, room;

	cap = max_segments <= 1 ? 70 : 67 * (size_t)max_segments;
	used = utf8_units16(sign) + 2;		/* 【 and 】 */
	room = cap > used ? cap - used : 0;
	if (utf8_units16(text) <= room)
		return xstrdup(text);
	return xstrndup(text, utf8_prefix_units16(text, room));
}

bool
push_result_by_status(long status, const char *code, const char *message,
    struct send_result *r)
{
	if (status == -1 || status == 429 || status >= 500) {
		r->outcome = SEND_RETRY;
		if (status != -1 && code != NULL)
			snprintf(r->error, sizeof(r->error), "%s: %s", code, message);
		else if (status != -1)
			snprintf(r->error, sizeof(r->error), "HTTP %ld", status);
		return true;
	}
	if (code == NULL) {
		r->outcome = SEND_FAIL;
		snprintf(r->error, sizeof(r->error), "HTTP %ld without a Code",
		    status);
		return true;
	}
	return false;
}

char *
push_build_text(const struct channel *ch, const struct outmsg *msg,
    const char *sign, int max_segments, char *err, size_t errsz)
{
	char	*text;

	if (!push_is_e164(msg->to)) {
		snprintf(err, errsz, "recipient \"%s\" is not an E.164 number",
		    msg->to ? msg->to : "");
		return NULL;
	}
	if (msg->body == NULL || !utf8_valid(msg->body, strlen(msg->body))) {
		snprintf(err, errsz, "no text, or text not UTF-8");
		return NULL;
	}
	text = push_fit(sign, msg->body, max_segments);
	if (strlen(text) < strlen(msg->body))
		log_info("%016" PRIx64 " %s text cut to fit with the sign "
		    "channel=%s chars=%zu kept=%zu max_segments=%d",
		    (uint64_t)msg->id, ch->ad->name, ch->conf->id,
		    utf8_units16(msg->body), utf8_units16(text), max_segments);
	return text;
}
