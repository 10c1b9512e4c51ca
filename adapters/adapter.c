/*
 * adapter.c: the registry of adapters (OpenSMTPD table.c backends[], curl's
 * protocol table) and the helpers every adapter shares.
 */
#include "adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct adapter *adapters[] = {
	&adapter_sim,
	&adapter_twilio,
	&adapter_wechat_group,
	&adapter_hotline,
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

void
adapter_check_config(const struct config *cfg, struct config_errors *errs)
{
	const struct adapter	*ad;
	char			 path[64];
	size_t			 i;

	for (i = 0; i < cfg->nchannels; i++) {
		const struct channel_conf *cc = &cfg->channels[i];

		snprintf(path, sizeof(path), "channels[%zu]", i);
		if ((ad = adapter_lookup(cc->adapter)) == NULL) {
			char p2[80];
			snprintf(p2, sizeof(p2), "%s.adapter", path);
			config_err(errs, p2, "unknown adapter \"%s\"", cc->adapter);
			continue;
		}
		if (ad->ops->check != NULL)
			ad->ops->check(cfg, cc, path, errs);
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

void
inbound_clear(struct inbound *m)
{
	free(m->provider_id);
	free(m->from);
	free(m->to);
	free(m->text);
	free(m->group_id);
	free(m->sender_name);
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
