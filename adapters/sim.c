/*
 * sim.c: the simulated phone network, for trying minyi on one machine and
 * for tests.  Inbound: POST /webhooks/{id} with {"from": "+86...", "text":
 * "...", "id": "optional provider id"}.  Outbound is kept in the outbox and
 * listed by GET /webhooks/{id}/outbox (served by gateway/, which owns the
 * store): no provider, no signature.  Anyone who reaches it can write as
 * any number, deputies' included, so it is for this machine only: the
 * gateway answers it only to loopback peers (and the outbox only with the
 * admin token), and check refuses it on a server that listens elsewhere.
 */
#include "adapter.h"

#include <stdio.h>
#include <string.h>

static void	sim_check(const struct config *, const struct channel_conf *,
		    const char *, struct config_errors *);
static int	sim_parse(struct channel *, const struct http_req *,
		    struct inbound_batch *, char *, size_t);

static const struct adapter_ops sim_ops = {
	.check = sim_check,
	.parse = sim_parse,
};

static const char *const sim_keys[] = {
	NULL			/* none of its own */
};

const struct adapter adapter_sim = {
	.name = "sim",
	.ops = &sim_ops,
	.keys = sim_keys,
	.flags = AD_F_LOCAL,
	.ok_type = "application/json",
	.ok_body = "{\"ok\":true}",
};

/* A server that listens beyond this machine must not carry a sim. */
static void
sim_check(const struct config *cfg, const struct channel_conf *cc,
    const char *path, struct config_errors *errs)
{
	(void)cc;
	if (cfg->server.host != NULL && !adapter_host_is_loopback(cfg->server.host))
		config_err(errs, path, "the sim channel lets anyone write as any "
		    "number: it needs server.listen on a loopback address, not "
		    "\"%s\"; remove it before going live", cfg->server.listen);
}

/*
 * One message per request.  "from" is normalised with the config's region,
 * so residents may type numbers as they write them.
 */
static int
sim_parse(struct channel *ch, const struct http_req *req,
    struct inbound_batch *batch, char *err, size_t errsz)
{
	json_t		*root = NULL, *jfrom, *jtext, *jid;
	json_error_t	 jerr;
	struct inbound	*m;
	char		 e164[PHONE_MAX];
	const char	*why = NULL;
	int		 rc = -1;

	if ((root = json_loadb(req->body, req->body_len, 0, &jerr)) == NULL) {
		snprintf(err, errsz, "body is not JSON: %s", jerr.text);
		goto out;
	}
	jfrom = json_object_get(root, "from");
	jtext = json_object_get(root, "text");
	jid = json_object_get(root, "id");
	if (!json_is_object(root) || !json_is_string(jfrom) || !json_is_string(jtext)) {
		snprintf(err, errsz, "expected {\"from\": \"+86...\", \"text\": \"...\"}");
		goto out;
	}
	if (jid != NULL && !json_is_string(jid)) {
		snprintf(err, errsz, "\"id\" must be a string");
		goto out;
	}
	if (phone_normalize(json_string_value(jfrom), ch->cfg->region, e164,
	    sizeof(e164), &why) == -1) {
		snprintf(err, errsz, "\"from\": %s", why);
		goto out;
	}
	m = inbound_batch_add(batch);
	m->from = xstrdup(e164);
	m->text = xstrdup(json_string_value(jtext));
	m->provider_id = jid ? xstrdup(json_string_value(jid)) : NULL;
	m->params = json_incref(root);
	m->addressed = true;
	rc = 0;
out:
	json_decref(root);
	return rc;
}
