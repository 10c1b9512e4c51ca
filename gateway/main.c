/*
 * main.c: the minyi command line.
 *
 *   minyi serve --config FILE [-v]
 *   minyi check-config FILE
 *   minyi chat --config FILE --as PHONE [--channel ID]
 *   minyi import-hotline --config FILE [--channel ID] CALLS.jsonl
 *   minyi report deputies|departments|hotspots --config FILE [--from DATE]
 *       [--to DATE] [--format table|csv|json]
 *   minyi passwd --config FILE ID     (the workbench password, on stdin)
 *   minyi --version
 *
 * serve loads and checks the whole config (refusing to start on any problem
 * or a missing secret; check-config runs the very same checks), opens the store, starts the writer, the readers and
 * the HTTP server, and waits for SIGTERM or SIGINT; then it drains: stops
 * accepting, lets requests in flight finish and their jobs commit for up to
 * server.drain_seconds, answers 503 to webhooks still waiting for the store
 * (a stalled disk, a store locked by another process), exits 0.
 */
#include "gateway.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../dialogs/dialogs.h"
#include "../console/console.h"

#define ABANDON_WAIT_MS	2000	/* then for the 503s to go out */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: minyi serve --config FILE [-v]\n"
	    "       minyi check-config FILE\n"
	    "       minyi chat --config FILE --as PHONE [--channel ID] [--url URL]\n"
	    "       minyi import-hotline --config FILE [--channel ID] CALLS.jsonl\n"
	    "       minyi report deputies|departments|hotspots --config FILE [--from DATE]\n"
	    "            [--to DATE] [--format table|csv|json]\n"
	    "       minyi passwd --config FILE ID   (password on stdin)\n"
	    "       minyi evaluators|evaluation|vote|duty ... (minyi evaluation help)\n"
	    "       minyi --version\n");
	exit(2);
}

/* A key in a PEM file is never asked a passphrase for: serve has none. */
static int
tls_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/*
 * server.tls as serve will use it: libmicrohttpd built with TLS, the cert
 * file a PEM certificate, the key file an unencrypted PEM private key
 * that belongs to it.  One problem each.
 */
static void
gateway_check_tls(const struct config *cfg, struct config_errors *errs)
{
	BIO		*bio = NULL;
	X509		*x509 = NULL;
	EVP_PKEY	*pkey = NULL;

	if (cfg->server.tls_cert == NULL || cfg->server.tls_key == NULL)
		return;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		config_err(errs, "server.tls", "this libmicrohttpd was built "
		    "without TLS");
		return;
	}
	/* a file that cannot be opened is config_load's problem already */
	if ((bio = BIO_new_file(cfg->server.tls_cert, "r")) != NULL &&
	    (x509 = PEM_read_bio_X509(bio, NULL, tls_no_passphrase,
	    NULL)) == NULL)
		config_err(errs, "server.tls.cert", "\"%s\" holds no PEM "
		    "certificate", cfg->server.tls_cert);
	BIO_free(bio);
	if ((bio = BIO_new_file(cfg->server.tls_key, "r")) != NULL &&
	    (pkey = PEM_read_bio_PrivateKey(bio, NULL, tls_no_passphrase,
	    NULL)) == NULL)
		config_err(errs, "server.tls.key", "\"%s\" holds no unencrypted "
		    "PEM private key", cfg->server.tls_key);
	else if (x509 != NULL && pkey != NULL &&
	    X509_check_private_key(x509, pkey) != 1)
		config_err(errs, "server.tls.key", "\"%s\" is not the key of "
		    "the certificate in \"%s\"", cfg->server.tls_key,
		    cfg->server.tls_cert);
	BIO_free(bio);
	X509_free(x509);
	EVP_PKEY_free(pkey);
	ERR_clear_error();	/* nothing of this is left for the next caller */
}

/*
 * Every check serve makes of its config before it listens, run by serve
 * and by check-config alike so the two cannot drift, as config_load's
 * hook so that its problems are listed with all the others: the
 * channels' own keys (adapter_check_config), each variable an *_env key
 * names set, the secrets well formed (adapters' check_env), server.tls
 * servable, and then, when nothing else is wrong, every channel started
 * as serve starts it (adapter_open), its init having the last word.
 */
static void
gateway_check_serve(const struct config *cfg, struct config_errors *errs)
{
	struct channel	 ch;
	char		 path[64];
	size_t		 i;

	adapter_check_config(cfg, errs);
	config_check_env(cfg, errs);
	adapter_check_env(cfg, errs);
	gateway_check_tls(cfg, errs);
	if (errs->n > 0)
		return;		/* the channels would only fail for the same */
	for (i = 0; i < cfg->nchannels; i++) {
		if (adapter_open(&ch, cfg, &cfg->channels[i]) != 0) {
			snprintf(path, sizeof(path), "channels[%zu]", i);
			config_err(errs, path, "channel \"%s\" cannot start "
			    "(the reason is logged above)", cfg->channels[i].id);
		}
		adapter_close(&ch);
	}
}

/*
 * Load and validate; with for_serve, also every other check serve makes
 * before it listens (gateway_check_serve): serve and check-config pass
 * true, the commands that need no secrets (chat, report, import-hotline)
 * false.  Prints every problem, one line each, to stderr and returns NULL
 * if there was any.
 */
struct config *
gateway_load_config(const char *path, bool for_serve)
{
	struct config_errors	 errs;
	struct config		*cfg;
	size_t			 i;

	memset(&errs, 0, sizeof(errs));
	config_set_channel_check(for_serve ? gateway_check_serve :
	    adapter_check_config);
	cfg = config_load(path, &errs);
	if (errs.n > 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.lines[i]);
		config_errors_free(&errs);
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

static int
cmd_check_config(int argc, char **argv)
{
	struct config	*cfg;

	if (argc != 2)
		usage();
	if ((cfg = gateway_load_config(argv[1], true)) == NULL)
		return 1;
	config_free(cfg);
	return 0;
}

static void
gateway_close(struct gateway *gw)
{
	size_t	 i;

	if (gw->writer != NULL)
		store_writer_stop(gw->writer);
	gw->writer = NULL;
	reader_pool_close(&gw->readers);
	for (i = 0; i < gw->nchannels; i++)
		adapter_close(&gw->channels[i]);
	free(gw->channels);
	text_index_free(gw->tix);
	free(gw->admin_token);
	config_free(gw->cfg);
}

static int
cmd_serve(int argc, char **argv)
{
	struct gateway	 gw;
	const char	*path = NULL;
	struct store	*st;
	sigset_t	 set;
	char		 err[256];
	int		 verbose = 0, sig, i, n;
	int64_t		 t0, drain_ms;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else
			usage();
	}
	if (path == NULL)
		usage();
	log_init(verbose);
	memset(&gw, 0, sizeof(gw));
	if ((gw.cfg = gateway_load_config(path, true)) == NULL)
		fatalx("config: %s has problems (listed above); not starting", path);
	gw.admin_token = xstrdup(config_secret(gw.cfg->server.admin_token_env));

	/* Signals are taken by sigwait() below, never by another thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((st = store_open(gw.cfg->store.path, 0, gw.cfg->store.synchronous,
	    err, sizeof(err))) == NULL)
		fatalx("store: cannot open %s: %s", gw.cfg->store.path, err);
	/* the classifier learns the closed cases before the writer owns st */
	gw.tix = text_index_new(gw.cfg);
	if ((n = gateway_learn_cases(st, gw.cfg, gw.tix)) < 0)
		fatalx("store: cannot read closed cases from %s", gw.cfg->store.path);
	log_info("classifier learned closed_cases=%d", n);
	gw.writer = store_writer_start(st, 0);
	if (reader_pool_open(&gw.readers, gw.cfg, (size_t)gw.cfg->server.threads) != 0)
		fatalx("store: cannot open readers on %s", gw.cfg->store.path);
	gw.nchannels = gw.cfg->nchannels;
	gw.channels = xcalloc(gw.nchannels, sizeof(*gw.channels));
	for (i = 0; (size_t)i < gw.nchannels; i++)
		if (adapter_open(&gw.channels[i], gw.cfg, &gw.cfg->channels[i]) != 0)
			fatalx("channel %s: cannot start", gw.cfg->channels[i].id);
	if (gateway_sender_start(&gw) != 0)
		fatalx("sender: cannot start");
	gateway_scheduler_start(&gw);
	if (gateway_http_start(&gw) != 0)
		fatalx("http: cannot listen on %s", gw.cfg->server.listen);
	log_info("minyi serving version=%s config=%s store=%s", MINYI_VERSION, path,
	    gw.cfg->store.path);

	if (sigwait(&set, &sig) != 0)
		fatal("sigwait");
	log_info("minyi draining signal=%s inflight=%d",
	    sig == SIGTERM ? "TERM" : "INT", atomic_load(&gw.inflight));
	atomic_store(&gw.draining, true);
	gateway_http_quiesce(&gw);
	t0 = time_mono_ms();
	drain_ms = (int64_t)gw.cfg->server.drain_seconds * 1000;
	while (atomic_load(&gw.inflight) > 0 && time_mono_ms() - t0 < drain_ms)
		usleep(10000);
	if ((n = gateway_http_abandon(&gw)) > 0) {
		log_warnx("minyi drain timed out seconds=%d: answered 503 to "
		    "webhooks=%d still waiting for the store",
		    gw.cfg->server.drain_seconds, n);
		t0 = time_mono_ms();
		while (atomic_load(&gw.inflight) > 0 &&
		    time_mono_ms() - t0 < ABANDON_WAIT_MS)
			usleep(10000);
	}
	gateway_http_stop(&gw);
	gateway_scheduler_stop();
	gateway_sender_stop();
	gateway_close(&gw);
	log_info("minyi stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	log_init(0);
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("minyi %s\n", MINYI_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(argv[1], "check-config") == 0)
		return cmd_check_config(argc - 1, argv + 1);
	if (strcmp(argv[1], "chat") == 0)
		return gateway_chat(argc - 1, argv + 1);
	if (strcmp(argv[1], "import-hotline") == 0)
		return gateway_import_hotline(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return gateway_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "passwd") == 0)
		return console_passwd(argc - 1, argv + 1);
	if (strcmp(argv[1], "evaluators") == 0 || strcmp(argv[1], "evaluation") == 0 ||
	    strcmp(argv[1], "vote") == 0 || strcmp(argv[1], "duty") == 0)
		return gateway_evaluation(argc - 1, argv + 1);
	usage();
}
