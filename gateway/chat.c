/*
 * chat.c: `minyi chat --config FILE --as PHONE`, a phone in the terminal.
 * Each line typed is sent as an SMS from PHONE on the config's sim channel
 * of a running server; every message the server sends to PHONE is printed
 * as it arrives, after the last CHAT_HISTORY sent to it before the chat
 * started (marked as earlier).  Works for residents' and deputies' numbers
 * alike.  The outbox is read with the admin token (Authorization: Bearer,
 * from the variable server.admin_token_env names) when it is set.
 */
#include "gateway.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#define CHAT_POLL_MS	400
#define CHAT_HISTORY	10	/* earlier messages shown at the start */

struct chat {
	CURL		*curl;
	char		*base;		/* "http://127.0.0.1:8080/webhooks/sim" */
	char		*auth;		/* "Authorization: Bearer ..." or NULL; from malloc() */
	char		 phone[PHONE_MAX];
	json_int_t	 after;		/* last outbox id seen */
};

static size_t
chat_collect(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (buf_add(b, p, size * n) != 0)
		return 0;
	return size * n;
}

/* GET or POST url; the body answered is put in out.  HTTP status or -1. */
static long
chat_http(struct chat *c, const char *url, const char *post, struct buf *out)
{
	struct curl_slist	*hdrs = NULL;
	long			 status = -1;

	buf_reset(out);
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, chat_collect);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 10L);
	if (post != NULL) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, post);
	} else if (c->auth != NULL)
		hdrs = curl_slist_append(hdrs, c->auth);
	if (hdrs != NULL)
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	if (curl_easy_perform(c->curl) == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	return status;
}

/*
 * One page of what was sent to our phone after c->after: *list is set to
 * a new array (caller decrefs) and c->after moves past it.  Returns the
 * HTTP status (200 when *list is set), -2 when a 200 held no message list,
 * or -1 when no server answered.
 */
static long
chat_fetch(struct chat *c, json_t **list)
{
	struct buf	 b;
	char		*esc, *url;
	json_t		*m;
	size_t		 i;
	long		 status;

	*list = NULL;
	buf_init(&b, 1 << 22);
	esc = curl_easy_escape(c->curl, c->phone, 0);
	url = xasprintf("%s/outbox?to=%s&after=%lld", c->base, esc,
	    (long long)c->after);
	curl_free(esc);
	status = chat_http(c, url, NULL, &b);
	free(url);
	if (status == 200)
		*list = json_loads(buf_str(&b), 0, NULL);
	/* json_is_array() reads its argument twice: never a call in it */
	if (status == 200 && !json_is_array(*list)) {
		json_decref(*list);
		*list = NULL;
		status = -2;		/* not a minyi outbox */
	}
	buf_free(&b);
	json_array_foreach(*list, i, m) {
		json_int_t id = json_integer_value(json_object_get(m, "id"));
		if (id > c->after)
			c->after = id;
	}
	return status;
}

/* Print what arrived for our phone since the last poll. */
static int
chat_poll(struct chat *c)
{
	json_t		*list, *m;
	size_t		 i;

	if (chat_fetch(c, &list) != 200)
		return -1;
	json_array_foreach(list, i, m)
		printf("\n<< %s\n", json_string_value(json_object_get(m, "text")));
	if (json_array_size(list) > 0) {
		printf("> ");
		fflush(stdout);
	}
	json_decref(list);
	return 0;
}

/*
 * At the start: read every page sent to our phone so far and keep the
 * last CHAT_HISTORY in *earlier (new array, caller decrefs; oldest first),
 * so that a deputy who opens the chat after the resident wrote sees the
 * alert.  Returns 200, or the status chat_fetch() gave.
 */
static long
chat_history(struct chat *c, json_t **earlier)
{
	json_t		*list;
	json_int_t	 before;
	long		 status;

	*earlier = json_array();
	for (;;) {
		before = c->after;
		if ((status = chat_fetch(c, &list)) != 200)
			return status;
		if (json_array_size(list) == 0 || c->after == before) {
			/* the end, or a page that would come again */
			json_decref(list);
			return status;
		}
		json_array_extend(*earlier, list);
		json_decref(list);
		while (json_array_size(*earlier) > CHAT_HISTORY)
			json_array_remove(*earlier, 0);
	}
}

/* The earlier messages, oldest first, between two marker lines. */
static void
chat_print_earlier(const struct chat *c, json_t *earlier)
{
	json_t		*m;
	const char	*at;
	size_t		 i, n = json_array_size(earlier);

	if (n == 0)
		return;
	printf("-- earlier: the last %zu message%s sent to %s --\n", n,
	    n > 1 ? "s" : "", c->phone);
	json_array_foreach(earlier, i, m) {
		at = json_string_value(json_object_get(m, "at"));
		printf("<< (earlier, %s) %s\n", at ? at : "-",
		    json_string_value(json_object_get(m, "text")));
	}
	printf("-- now --\n");
}

static int
chat_send(struct chat *c, const char *text)
{
	struct buf	 b;
	json_t		*o = json_pack("{s:s, s:s}", "from", c->phone, "text", text);
	char		*body = json_dumps(o, JSON_COMPACT);
	long		 status;

	buf_init(&b, 1 << 16);
	status = chat_http(c, c->base, body, &b);
	if (status != 200)
		fprintf(stderr, "!! not sent (HTTP %ld) %s\n", status, buf_str(&b));
	buf_free(&b);
	free(body);
	json_decref(o);
	return status == 200 ? 0 : -1;
}

int
gateway_chat(int argc, char **argv)
{
	struct chat		 c;
	struct config		*cfg = NULL;
	const char		*path = NULL, *as = NULL, *chan = NULL, *url = NULL;
	const char		*why, *token;
	const struct channel_conf *cc = NULL;
	json_t			*earlier = NULL;
	char			 line[2048];
	size_t			 i;
	long			 status;
	int			 k, rc = 1;

	memset(&c, 0, sizeof(c));
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--config") == 0 && k + 1 < argc)
			path = argv[++k];
		else if (strcmp(argv[k], "--as") == 0 && k + 1 < argc)
			as = argv[++k];
		else if (strcmp(argv[k], "--channel") == 0 && k + 1 < argc)
			chan = argv[++k];
		else if (strcmp(argv[k], "--url") == 0 && k + 1 < argc)
			url = argv[++k];
		else {
			fprintf(stderr, "usage: minyi chat --config FILE --as PHONE "
			    "[--channel ID] [--url http://HOST:PORT]\n");
			return 2;
		}
	}
	if (path == NULL)
		path = "config/minyi.example.json";
	if (as == NULL) {
		fprintf(stderr, "chat: --as PHONE is required (the number you text from)\n");
		return 2;
	}
	log_init(-1);
	if ((cfg = gateway_load_config(path, false)) == NULL)
		return 1;
	for (i = 0; i < cfg->nchannels && cc == NULL; i++)
		if (chan ? strcmp(cfg->channels[i].id, chan) == 0 :
		    strcmp(cfg->channels[i].adapter, "sim") == 0)
			cc = &cfg->channels[i];
	if (cc == NULL || strcmp(cc->adapter, "sim") != 0) {
		fprintf(stderr, "chat: the config has no sim channel%s%s\n",
		    chan ? " named " : "", chan ? chan : "");
		goto out;
	}
	if (phone_normalize(as, cfg->region, c.phone, sizeof(c.phone), &why) != 0) {
		fprintf(stderr, "chat: --as %s: %s\n", as, why);
		goto out;
	}
	if (url != NULL)
		c.base = xasprintf("%s/webhooks/%s", url, cc->id);
	else
		c.base = xasprintf("http://%s%s%s:%d/webhooks/%s",
		    strchr(cfg->server.host, ':') ? "[" : "", cfg->server.host,
		    strchr(cfg->server.host, ':') ? "]" : "", cfg->server.port, cc->id);
	if ((token = config_secret(cfg->server.admin_token_env)) != NULL)
		c.auth = xasprintf("Authorization: Bearer %s", token);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c.curl = curl_easy_init();
	if ((status = chat_history(&c, &earlier)) != 200) {
		if (status == 401 || status == 403)
			fprintf(stderr, "chat: the server refused to list the messages "
			    "(HTTP %ld): set %s to the server's admin token\n", status,
			    cfg->server.admin_token_env ? cfg->server.admin_token_env :
			    "server.admin_token_env");
		else if (status == -2)
			fprintf(stderr, "chat: %s/outbox answered with no message "
			    "list\n", c.base);
		else if (status >= 0)
			fprintf(stderr, "chat: %s/outbox answered HTTP %ld\n",
			    c.base, status);
		else
			fprintf(stderr, "chat: no minyi server answers at %s (start one "
			    "with `make run`)\n", c.base);
		goto out;
	}
	printf("minyi chat: you are %s on channel \"%s\". Type a message; Ctrl-D quits.\n",
	    c.phone, cc->id);
	chat_print_earlier(&c, earlier);
	printf("> ");
	fflush(stdout);
	for (;;) {
		struct pollfd pfd = { .fd = 0, .events = POLLIN };
		int n = poll(&pfd, 1, CHAT_POLL_MS);

		if (n > 0) {
			size_t len;
			if (fgets(line, sizeof(line), stdin) == NULL)
				break;
			len = strcspn(line, "\r\n");
			line[len] = '\0';
			if (len > 0)
				chat_send(&c, line);
			else {
				printf("> ");
				fflush(stdout);
			}
		}
		chat_poll(&c);
	}
	/* Let the last replies arrive before leaving. */
	usleep(CHAT_POLL_MS * 1000);
	chat_poll(&c);
	printf("\n");
	rc = 0;
out:
	if (c.curl)
		curl_easy_cleanup(c.curl);
	json_decref(earlier);
	free(c.auth);
	free(c.base);
	config_free(cfg);
	return rc;
}
