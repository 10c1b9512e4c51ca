/*
 * chat.c: `minyi chat --config FILE --as PHONE`, a phone in the terminal.
 * Each line typed is sent as an SMS from PHONE on the config's sim channel
 * of a running server; every message the server sends to PHONE is printed
 * as it arrives.  Works for residents' and deputies' numbers alike.
 */
#include "gateway.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#define CHAT_POLL_MS 400

struct chat {
	CURL		*curl;
	char		*base;		/* "http://127.0.0.1:8080/webhooks/sim" */
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
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, post);
	}
	if (curl_easy_perform(c->curl) == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	return status;
}

/* Print what arrived for our phone since the last poll. */
static int
chat_poll(struct chat *c, bool print)
{
	struct buf	 b;
	char		*esc, *url;
	json_t		*list, *m;
	size_t		 i;
	long		 status;

	buf_init(&b, 1 << 22);
	esc = curl_easy_escape(c->curl, c->phone, 0);
	url = xasprintf("%s/outbox?to=%s&after=%lld", c->base, esc,
	    (long long)c->after);
	curl_free(esc);
	status = chat_http(c, url, NULL, &b);
	free(url);
	if (status != 200) {
		buf_free(&b);
		return -1;
	}
	list = json_loads(buf_str(&b), 0, NULL);
	json_array_foreach(list, i, m) {
		json_int_t id = json_integer_value(json_object_get(m, "id"));
		if (print)
			printf("\n<< %s\n", json_string_value(json_object_get(m, "text")));
		if (id > c->after)
			c->after = id;
	}
	if (print && json_array_size(list) > 0) {
		printf("> ");
		fflush(stdout);
	}
	json_decref(list);
	buf_free(&b);
	return 0;
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
	const char		*why;
	const struct channel_conf *cc = NULL;
	char			 line[2048];
	size_t			 i;
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
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c.curl = curl_easy_init();
	if (chat_poll(&c, false) != 0) {
		fprintf(stderr, "chat: no minyi server answers at %s (start one with "
		    "`make run`)\n", c.base);
		goto out;
	}
	printf("minyi chat: you are %s on channel \"%s\". Type a message; Ctrl-D quits.\n> ",
	    c.phone, cc->id);
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
		chat_poll(&c, true);
	}
	/* Let the last replies arrive before leaving. */
	usleep(CHAT_POLL_MS * 1000);
	chat_poll(&c, true);
	printf("\n");
	rc = 0;
out:
	if (c.curl)
		curl_easy_cleanup(c.curl);
	free(c.base);
	config_free(cfg);
	return rc;
}
