/*
 * bench/fakeprov.c: a fast fake SMS provider for the benchmark.  It answers
 * every POST (the Twilio Messages API: /2010-04-01/Accounts/{sid}/
 * Messages.json) with 201 and a message resource carrying a unique "sid",
 * as the real API does, and GET /count with how many it accepted:
 *
 *   build/bench/fakeprov PORT [THREADS]
 *
 * Loopback only.  It keeps no bodies: it is the far end of the outbound
 * drain, and must never be what limits it.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

static atomic_uint_fast64_t	 accepted;	/* POSTs answered 201 */
static unsigned			 run_tag;	/* keeps sids unique across runs */

static enum MHD_Result
fake_answer(struct MHD_Connection *conn, unsigned status, const char *body)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;

	resp = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
fake_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	char		 body[160];
	uint64_t	 n;

	(void)cls;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {		/* the form: not kept */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") == 0 && strcmp(url, "/count") == 0) {
		snprintf(body, sizeof(body), "%" PRIu64 "\n",
		    (uint64_t)atomic_load(&accepted));
		return fake_answer(conn, 200, body);
	}
	if (strcmp(method, "POST") != 0)
		return fake_answer(conn, 404, "{\"code\":20404,\"message\":\"not found\"}");
	n = atomic_fetch_add(&accepted, 1) + 1;
	snprintf(body, sizeof(body), "{\"sid\":\"SM%08x%024" PRIx64 "\","
	    "\"status\":\"queued\"}", run_tag, n);
	return fake_answer(conn, 201, body);
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon	*d;
	struct sockaddr_in	 sin;
	sigset_t		 set;
	int			 sig;
	unsigned		 port, threads;

	if (argc < 2) {
		fprintf(stderr, "usage: fakeprov PORT [THREADS]\n");
		return 2;
	}
	port = (unsigned)atoi(argv[1]);
	threads = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
	run_tag = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    (uint16_t)port, NULL, NULL, fake_access, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, 1024u,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "fakeprov: cannot listen on 127.0.0.1:%u\n", port);
		return 1;
	}
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
