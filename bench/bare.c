/*
 * bench/bare.c: the ceiling.  A bare libmicrohttpd server that answers
 * every POST with "ok", with the same threading as minyi (internal epoll
 * thread pool), on 127.0.0.1 only, for the benchmark to measure side by
 * side:
 *
 *   build/bench/bare PORT [THREADS]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static struct MHD_Response *ok_resp;

static enum MHD_Result
bare_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, ok_resp);
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
		fprintf(stderr, "usage: bare PORT [THREADS]\n");
		return 2;
	}
	port = (unsigned)atoi(argv[1]);
	threads = argc > 2 ? (unsigned)atoi(argv[2]) : 4;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok_resp = MHD_create_response_from_buffer(2, (void *)(uintptr_t)"ok",
	    MHD_RESPMEM_PERSISTENT);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    (uint16_t)port, NULL, NULL, bare_access, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, 4096u,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bare: cannot listen on 127.0.0.1:%u\n", port);
		return 1;
	}
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(ok_resp);
	return 0;
}
