/*
 * adapter.c: the registry of adapters (OpenSMTPD table.c backends[], curl's
 * protocol table) and the helpers every adapter shares.
 */
#include "adapter.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

static const struct adapter *adapters[] = {
	&adapter_sim,
	&adapter_twilio,
	&adapter_wechat_group,
	&adapter_hotline,
	&adapter_aliyun_sms,
	&adapter_tencent_sms,
	NULL
};

const struct adapter *
adapter_lookup(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return NULL;
	for (i = 0; adapters[i] != NULL; i++)
		if (strcmp(adapters[i]->name, name) == 0)
			return adapters[i];
	return NULL;
}

/*
 * An SMS channel: one that sends to phone numbers through a provider, not
 * a group, not a one-way feed (the hotline), not the simulator.
 */
static bool
adapter_is_sms(const struct adapter *ad)
{
	return ad != NULL && ad->ops->build != NULL &&
	    (ad->flags & (AD_F_GROUP | AD_F_LOCAL | AD_F_DIRECT)) == 0;
}

/*
 * dialog.sms_channel (the channel a number that never wrote is reached
 * on, for 代办): when named, one that reaches phones; when not, needed as
 * soon as several SMS channels could be meant.
 */
static void
check_sms_channel(const struct config *cfg, struct config_errors *errs)
{
	const struct channel_conf *cc;
	const struct adapter	*ad;
	struct buf		 names;
	size_t			 i, n = 0;

	if (cfg->sms_channel != NULL) {
		if ((cc = config_channel(cfg, cfg->sms_channel)) == NULL ||
		    cc->adapter == NULL || (ad = adapter_lookup(cc->adapter)) == NULL)
			return;		/* reported already */
		if (!adapter_is_sms(ad) && (ad->flags & AD_F_LOCAL) == 0)
			config_err(errs, "dialog.sms_channel", "channel \"%s\" (%s) "
			    "cannot reach a phone number", cc->id, cc->adapter);
		return;
	}
	buf_init(&names, 0);
	for (i = 0; i < cfg->nchannels; i++) {
		cc = &cfg->channels[i];
		if (cc->id == NULL || cc->adapter == NULL ||
		    !adapter_is_sms(adapter_lookup(cc->adapter)))
			continue;
		buf_printf(&names, "%s%s", n++ > 0 ? ", " : "", cc->id);
	}
	if (n > 1)
		config_err(errs, "dialog.sms_channel", "required with several SMS "
		    "channels (%s): the one that reaches residents who never wrote",
		    buf_str(&names));
	buf_free(&names);
}

const char *
adapter_sms_channel(const struct config *cfg)
{
	const struct channel_conf *cc;
	const char		*found = NULL;
	size_t			 i;

	if (cfg->sms_channel != NULL)
		return cfg->sms_channel;
	for (i = 0; i < cfg->nchannels; i++) {
		cc = &cfg->channels[i];
		if (cc->adapter == NULL || !adapter_is_sms(adapter_lookup(cc->adapter)))
			continue;
		if (found != NULL)
			return NULL;
		found = cc->id;
	}
	return found;
}

void
adapter_check_config(const struct config *cfg, struct config_errors *errs)
{
	const struct adapter	*ad;
	char			 path[64];
	size_t			 i;

	for (i = 0; i < cfg->nchannels; i++) {
		const struct channel_conf *cc = &cfg->channels[i];

		if (cc->json == NULL || cc->adapter == NULL)
			continue;	/* already reported by config_load */
		snprintf(path, sizeof(path), "channels[%zu]", i);
		if ((ad = adapter_lookup(cc->adapter)) == NULL) {
			char p2[80];
			snprintf(p2, sizeof(p2), "%s.adapter", path);
			config_err(errs, p2, "unknown adapter \"%s\"", cc->adapter);
			continue;
		}
		config_check_channel_keys(errs, cc, path, ad->keys);
		if (ad->ops->check != NULL)
			ad->ops->check(cfg, cc, path, errs);
	}
	check_sms_channel(cfg, errs);
}

void
adapter_check_env(const struct config *cfg, struct config_errors *errs)
{
	const struct adapter	*ad;
	char			 path[64];
	size_t			 i;

	for (i = 0; i < cfg->nchannels; i++) {
		const struct channel_conf *cc = &cfg->channels[i];

		if (cc->json == NULL || (ad = adapter_lookup(cc->adapter)) == NULL ||
		    ad->ops->check_env == NULL)
			continue;
		snprintf(path, sizeof(path), "channels[%zu]", i);
		ad->ops->check_env(cfg, cc, path, errs);
	}
}

int
adapter_open(struct channel *ch, const struct config *cfg,
    const struct channel_conf *cc)
{
	memset(ch, 0, sizeof(*ch));
	if ((ch->ad = adapter_lookup(cc->adapter)) == NULL) {
		log_warnx("adapter unknown channel=%s adapter=%s", cc->id, cc->adapter);
		return -1;
	}
	ch->conf = cc;
	ch->cfg = cfg;
	if (ch->ad->ops->init == NULL)
		return 0;
	return ch->ad->ops->init(ch);
}

void
adapter_close(struct channel *ch)
{
	if (ch->ad != NULL && ch->ad->ops->cleanup != NULL)
		ch->ad->ops->cleanup(ch);
	ch->ctx = NULL;
}

bool
adapter_is_local(const struct channel *ch)
{
	return (ch->ad->flags & AD_F_LOCAL) != 0;
}

bool
adapter_can_lookup(const struct channel *ch)
{
	return ch->ad->ops->lookup_build != NULL && ch->ad->ops->lookup_result != NULL;
}

bool
adapter_reaches_phones(const struct channel *ch)
{
	if (ch->ad->flags & AD_F_GROUP)
		return false;
	return (ch->ad->flags & AD_F_LOCAL) || ch->ad->ops->build != NULL;
}

/* Whether the 16 bytes of a6 are ::1 or an IPv4-mapped 127.0.0.0/8. */
static bool
adapter_in6_loopback(const unsigned char *a6)
{
	static const unsigned char one[16] = { [15] = 1 };
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a6, one, sizeof(one)) == 0 ||
	    (memcmp(a6, mapped, sizeof(mapped)) == 0 && a6[12] == 127);
}

bool
adapter_peer_is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;

	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		return adapter_in6_loopback(s6->sin6_addr.s6_addr);
	}
	return false;
}

bool
adapter_host_is_loopback(const char *host)
{
	struct in_addr	 a4;
	unsigned char	 a6[16];

	if (host == NULL)
		return false;
	if (strcmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, a6) == 1)
		return adapter_in6_loopback(a6);
	return false;
}

void
inbound_clear(struct inbound *m)
{
	free(m->provider_id);
	free(m->from);
	free(m->to);
	free(m->text);
	free(m->group_id);
	free(m->sender_name);
	free(m->sender_mobile);
	json_decref(m->params);
	json_decref(m->media);
	memset(m, 0, sizeof(*m));
}

void
inbound_batch_clear(struct inbound_batch *b)
{
	size_t	 i;

	for (i = 0; i < b->nmsgs; i++)
		inbound_clear(&b->msgs[i]);
	for (i = 0; i < b->nreceipts; i++) {
		free(b->receipts[i].provider_id);
		free(b->receipts[i].status);
		free(b->receipts[i].error);
	}
	free(b->msgs);
	free(b->receipts);
	memset(b, 0, sizeof(*b));
}

struct inbound *
inbound_batch_add(struct inbound_batch *b)
{
	b->msgs = xrealloc(b->msgs, (b->nmsgs + 1) * sizeof(*b->msgs));
	memset(&b->msgs[b->nmsgs], 0, sizeof(*b->msgs));
	return &b->msgs[b->nmsgs++];
}

struct receipt *
inbound_batch_add_receipt(struct inbound_batch *b)
{
	b->receipts = xrealloc(b->receipts, (b->nreceipts + 1) * sizeof(*b->receipts));
	memset(&b->receipts[b->nreceipts], 0, sizeof(*b->receipts));
	return &b->receipts[b->nreceipts++];
}

const char *
adapter_conf_str(const struct channel_conf *cc, const char *key)
{
	json_t	*v = json_object_get(cc->json, key);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	return json_string_value(v);
}

const char *
adapter_check_string(const struct channel_conf *cc, const char *path,
    const char *key, bool required, struct config_errors *errs)
{
	char	 p[128];
	json_t	*v = json_object_get(cc->json, key);

	snprintf(p, sizeof(p), "%s.%s", path, key);
	if (v == NULL) {
		if (required)
			config_err(errs, p, "required key missing");
		return NULL;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		config_err(errs, p, "expected a non-empty string");
		return NULL;
	}
	return json_string_value(v);
}

void
http_call_clear(struct http_call *c)
{
	size_t	 i;

	free(c->url);
	free(c->body);
	free(c->userpwd);
	for (i = 0; i < c->nheaders; i++)
		free(c->headers[i]);
	memset(c, 0, sizeof(*c));
}

int
http_call_header(struct http_call *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*h = NULL;

	if (c->nheaders >= HTTP_CALL_MAX_HEADERS)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&h, fmt, ap) < 0)
		fatal("http_call_header");
	va_end(ap);
	c->headers[c->nheaders++] = h;
	return 0;
}

char *
adapter_group_address_format(const char *group_id, const char *member,
    const char *webhook_url)
{
	if (member == NULL)
		member = "";
	if (group_id == NULL || group_id[0] == '\0' || webhook_url == NULL ||
	    webhook_url[0] == '\0' || strchr(group_id, '|') != NULL ||
	    strchr(member, '|') != NULL)
		return NULL;
	return xasprintf("%s|%s|%s", group_id, member, webhook_url);
}

int
adapter_group_address_parse(const char *addr, struct group_address *ga)
{
	const char	*bar1, *bar2;

	memset(ga, 0, sizeof(*ga));
	if (addr == NULL || (bar1 = strchr(addr, '|')) == NULL ||
	    (bar2 = strchr(bar1 + 1, '|')) == NULL)
		return -1;
	if (bar1 == addr || bar2[1] == '\0')
		return -1;
	ga->group_id = xstrndup(addr, (size_t)(bar1 - addr));
	ga->member = xstrndup(bar1 + 1, (size_t)(bar2 - bar1 - 1));
	ga->webhook_url = xstrdup(bar2 + 1);
	return 0;
}

void
adapter_group_address_clear(struct group_address *ga)
{
	free(ga->group_id);
	free(ga->member);
	free(ga->webhook_url);
	memset(ga, 0, sizeof(*ga));
}

int
adapter_hmac_sha256_check(const char *secret, const void *data, size_t len,
    const char *sighex)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 mac[EVP_MAX_MD_SIZE];
	unsigned int		 maclen = 0;
	char			 want[2 * EVP_MAX_MD_SIZE + 1];
	char			 got[2 * EVP_MAX_MD_SIZE + 1];
	size_t			 i;

	if (secret == NULL || sighex == NULL)
		return -1;
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret), data, len, mac,
	    &maclen) == NULL)
		return -1;
	if (strlen(sighex) != 2 * (size_t)maclen)
		return -1;
	for (i = 0; i < maclen; i++) {
		want[2 * i] = hex[mac[i] >> 4];
		want[2 * i + 1] = hex[mac[i] & 0x0f];
	}
	/* the length and case of what was sent are no secret */
	for (i = 0; i < 2 * (size_t)maclen; i++)
		got[i] = (char)tolower((unsigned char)sighex[i]);
	return CRYPTO_memcmp(want, got, 2 * (size_t)maclen) == 0 ? 0 : -1;
}

int
adapter_form_add(json_t *form, const char *name, const char *value, size_t len)
{
	json_t	*v, *old, *list;
	char	*fixed = NULL;

	if (!utf8_valid(name, strlen(name)))
		return -1;
	if (len > 0 && !utf8_valid(value, len))
		v = json_string(fixed = utf8_sanitize(value, len));
	else
		v = json_stringn_nocheck(len > 0 ? value : "", len);
	free(fixed);
	if ((old = json_object_get(form, name)) == NULL)
		return json_object_set_new(form, name, v) == 0 ? 0 : -1;
	if (json_is_array(old))
		return json_array_append_new(old, v) == 0 ? 0 : -1;
	list = json_array();
	json_array_append(list, old);
	json_array_append_new(list, v);
	return json_object_set_new(form, name, list) == 0 ? 0 : -1;
}
