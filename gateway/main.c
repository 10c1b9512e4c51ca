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
 *   minyi store copy --from CONFIG_A --to CONFIG_B
 *   minyi --version
 *
 * serve loads and checks the whole config (refusing to start on any problem
 * or a missing secret; check-config runs the very same checks), opens the store, starts the writer, the readers and
 * the HTTP server, and waits for SIGTERM or SIGINT; then it drains: stops
 * accepting, lets requests in flight finish and their jobs commit for up to
 * server.drain_seconds, answers 503 to webhooks still waiting for the store
 * (a stalled disk, a store locked by another process), exits 0.  SIGHUP
 * reloads the config (gateway_reload): checked as check-config checks it,
 * published whole as the next generation, or refused with its problems
 * logged while the running one keeps serving.
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
	    "       minyi store copy --from CONFIG_A --to CONFIG_B\n"
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
static struct config *
gateway_load_checked(const char *path, bool for_serve, struct config_errors *errs)
{
	struct config	*cfg;

	config_set_channel_check(for_serve ? gateway_check_serve :
	    adapter_check_config);
	cfg = config_load(path, errs);
	if (errs->n > 0) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct config *
gateway_load_config(const char *path, bool for_serve)
{
	struct config_errors	 errs;
	struct config		*cfg;
	size_t			 i;

	memset(&errs, 0, sizeof(errs));
	if ((cfg = gateway_load_checked(path, for_serve, &errs)) == NULL)
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.lines[i]);
	config_errors_free(&errs);
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

/*
 * Fill generation g from cfg (stolen): its channels opened (their secrets
 * read now), its text index, the admin token.  0, or -1 (logged) with g
 * holding nothing.
 */
static int
generation_open(struct gateway *g, struct config *cfg)
{
	size_t	 i;

	g->cfg = cfg;
	g->nchannels = cfg->nchannels;
	g->channels = xcalloc(g->nchannels, sizeof(*g->channels));
	for (i = 0; i < g->nchannels; i++)
		if (adapter_open(&g->channels[i], cfg, &cfg->channels[i]) != 0) {
			log_warnx("channel %s: cannot start", cfg->channels[i].id);
			while (i-- > 0)
				adapter_close(&g->channels[i]);
			free(g->channels);
			g->channels = NULL;
			g->nchannels = 0;
			config_free(cfg);
			g->cfg = NULL;
			return -1;
		}
	g->tix = text_index_new(cfg);
	g->admin_token = xstrdup(config_secret(cfg->server.admin_token_env));
	return 0;
}

static void
generation_close(struct gateway *g)
{
	size_t	 i;

	for (i = 0; i < g->nchannels; i++)
		adapter_close(&g->channels[i]);
	free(g->channels);
	text_index_free(g->tix);
	free(g->admin_token);
	config_free(g->cfg);
}

static void
gateway_close(struct gateway *gw)
{
	struct gateway	*g, *older;

	if (gw->writer != NULL)
		store_writer_stop(gw->writer);
	gw->writer = NULL;
	reader_pool_close(&gw->readers);
	for (g = atomic_load(&gw->current); g != gw; g = older) {
		older = g->older;
		generation_close(g);
		free(g);
	}
	generation_close(gw);
}

/*
 * What serve reads only at start: the listening socket and its options
 * (server.listen, threads, tls, the connection limits and timeouts) and
 * the store (store.path, synchronous).  A reload that changes one keeps
 * the running value in the new config, so that the config says what is in
 * effect, and logs that it needs a restart.  fresh is not published yet.
 */
static void
reload_keep_str(char **fresh, const char *running, const char *key)
{
	if ((*fresh == NULL) == (running == NULL) &&
	    (running == NULL || strcmp(*fresh, running) == 0))
		return;
	log_warnx("config reload: %s changed to \"%s\": needs a restart; "
	    "still \"%s\"", key, *fresh ? *fresh : "", running ? running : "");
	free(*fresh);
	*fresh = running ? xstrdup(running) : NULL;
}

static void
reload_keep_int(int *fresh, int running, const char *key)
{
	if (*fresh == running)
		return;
	log_warnx("config reload: %s changed to %d: needs a restart; still %d",
	    key, *fresh, running);
	*fresh = running;
}

static void
reload_keep(struct config *fresh, const struct config *running)
{
	reload_keep_str(&fresh->server.listen, running->server.listen,
	    "server.listen");
	free(fresh->server.host);
	fresh->server.host = xstrdup(running->server.host);
	fresh->server.port = running->server.port;
	reload_keep_int(&fresh->server.threads, running->server.threads,
	    "server.threads");
	reload_keep_str(&fresh->server.tls_cert, running->server.tls_cert,
	    "server.tls.cert");
	reload_keep_str(&fresh->server.tls_key, running->server.tls_key,
	    "server.tls.key");
	reload_keep_int(&fresh->server.max_connections,
	    running->server.max_connections, "server.max_connections");
	reload_keep_int(&fresh->server.max_connections_per_ip,
	    running->server.max_connections_per_ip,
	    "server.max_connections_per_ip");
	reload_keep_int(&fresh->server.idle_timeout_seconds,
	    running->server.idle_timeout_seconds, "server.idle_timeout_seconds");
	reload_keep_int(&fresh->server.header_timeout_seconds,
	    running->server.header_timeout_seconds,
	    "server.header_timeout_seconds");
	reload_keep_str(&fresh->store.path, running->store.path, "store.path");
	reload_keep_str(&fresh->store.synchronous, running->store.synchronous,
	    "store.synchronous");
	reload_keep_str(&fresh->store.backend, running->store.backend,
	    "store.backend");
	reload_keep_str(&fresh->store.conninfo_env, running->store.conninfo_env,
	    "store.conninfo_env");
	reload_keep_str(&fresh->store.read_conninfo_env,
	    running->store.read_conninfo_env, "store.read_conninfo_env");
}

/*
 * The channels' ids and adapters, in order, are the sender's and the
 * webhook routes' for the life of the process: a reload that changes them
 * is refused as a whole (a problem line in errs).
 */
static void
reload_check_channels(const struct config *fresh, const struct config *running,
    struct config_errors *errs)
{
	size_t	 i;

	if (fresh->nchannels != running->nchannels) {
		config_err(errs, "channels", "%zu channels where %zu run: adding or "
		    "removing a channel needs a restart", fresh->nchannels,
		    running->nchannels);
		return;
	}
	for (i = 0; i < fresh->nchannels; i++) {
		char	path[64];

		snprintf(path, sizeof(path), "channels[%zu]", i);
		if (strcmp(fresh->channels[i].id, running->channels[i].id) != 0)
			config_err(errs, path, "id \"%s\" where \"%s\" runs: a "
			    "channel's id needs a restart", fresh->channels[i].id,
			    running->channels[i].id);
		else if (strcmp(fresh->channels[i].adapter,
		    running->channels[i].adapter) != 0)
			config_err(errs, path, "adapter \"%s\" where \"%s\" runs: "
			    "a channel's adapter needs a restart",
			    fresh->channels[i].adapter, running->channels[i].adapter);
	}
}

static bool
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* Are a's categories b's: ids, names and keywords, in order?  Then the
 * classifier trained from them is the same. */
static bool
categories_same(const struct config *a, const struct config *b)
{
	const struct category	*x, *y;
	size_t			 i, j;

	if (a->ncategories != b->ncategories)
		return false;
	for (i = 0; i < a->ncategories; i++) {
		x = &a->categories[i];
		y = &b->categories[i];
		if (!same_str(x->id, y->id) || !same_str(x->name, y->name) ||
		    !same_str(x->name_en, y->name_en) ||
		    x->nkeywords != y->nkeywords)
			return false;
		for (j = 0; j < x->nkeywords; j++)
			if (!same_str(x->keywords[j], y->keywords[j]))
				return false;
	}
	return true;
}

/*
 * Publish the new generation from the writer, the one thread that
 * classifies and teaches (gateway_learn_case teaches the current
 * generation's classifier).  With the categories unchanged the new index
 * shares the running classifier, cases learned and all.  Otherwise its
 * own learns the closed cases from a reader first (the writer goes on
 * meanwhile), while the writer notes the cases that close (root->relearn);
 * the publishing job teaches it those too, so none is missed.  A case that
 * closed just as the reader began may be taught twice: one case's words
 * counted twice among thousands.
 */
struct publish_job {
	struct gateway	*g;
	bool		 learn;		/* the new classifier learns */
	bool		 started;	/* out: relearn set (learn_start_job) */
	size_t		 relearned;	/* out */
};

static void
relearn_free(struct relearn *rl)
{
	size_t	 i;

	if (rl == NULL)
		return;
	for (i = 0; i < rl->n; i++) {
		free(rl->category[i]);
		free(rl->description[i]);
	}
	free(rl->category);
	free(rl->description);
	free(rl);
}

static int
learn_start_job(struct store *st, void *arg)
{
	struct publish_job	*pj = arg;
	struct gateway		*root = pj->g->root;

	(void)st;
	relearn_free(root->relearn);
	root->relearn = xcalloc(1, sizeof(*root->relearn));
	pj->started = true;
	return 0;
}

static int
publish_job(struct store *st, void *arg)
{
	struct publish_job	*pj = arg;
	struct gateway		*g = pj->g, *root = g->root;
	struct relearn		*rl = root->relearn;
	const struct category	*c;
	size_t			 i;

	(void)st;
	pj->relearned = 0;
	for (i = 0; pj->learn && rl != NULL && i < rl->n; i++)
		if ((c = config_category(g->cfg, rl->category[i])) != NULL) {
			text_index_learn(g->tix, (int)(c - g->cfg->categories),
			    rl->description[i]);
			pj->relearned++;
		}
	relearn_free(rl);
	root->relearn = NULL;
	atomic_store_explicit(&root->current, g, memory_order_release);
	return 0;
}

/* A reload given up after learn_start_job: the writer stops noting. */
static int
learn_stop_job(struct store *st, void *arg)
{
	struct gateway	*root = arg;

	(void)st;
	relearn_free(root->relearn);
	root->relearn = NULL;
	return 0;
}

/*
 * SIGHUP: read path again, check it as check-config does, and publish it
 * as the next generation; on any problem log each line and keep serving
 * the running one.  Runs on the main thread only, so generations are made
 * one at a time.
 */
static void
gateway_reload(struct gateway *root, const char *path)
{
	struct config_errors	 errs;
	struct config		*cfg;
	struct gateway		*running, *g;
	struct publish_job	 pj;
	struct store		*rst = NULL;
	size_t			 i;
	int			 learned = 0;

	running = atomic_load(&root->current);
	memset(&errs, 0, sizeof(errs));
	log_info("config reload path=%s generation=%u", path, running->generation);
	if ((cfg = gateway_load_checked(path, true, &errs)) != NULL)
		reload_check_channels(cfg, running->cfg, &errs);
	if (errs.n > 0) {
		for (i = 0; i < errs.n; i++)
			log_warnx("config reload refused: %s", errs.lines[i]);
		log_warnx("config reload refused: problems=%zu; still serving "
		    "generation=%u", errs.n, running->generation);
		config_errors_free(&errs);
		config_free(cfg);
		return;
	}
	config_errors_free(&errs);
	reload_keep(cfg, running->cfg);
	g = xcalloc(1, sizeof(*g));
	if (generation_open(g, cfg) != 0) {
		free(g);
		log_warnx("config reload refused: a channel cannot start; still "
		    "serving generation=%u", running->generation);
		return;
	}
	g->generation = running->generation + 1;
	g->older = running;
	g->root = root;
	g->writer = root->writer;
	memset(&pj, 0, sizeof(pj));
	pj.g = g;
	pj.learn = !categories_same(cfg, running->cfg);
	if (!pj.learn)
		text_index_share_classifier(g->tix, running->tix);
	else if (store_writer_submit(root->writer, learn_start_job, &pj) != 0 ||
	    (rst = reader_pool_get(&root->readers)) == NULL ||
	    (learned = gateway_learn_cases(rst, cfg, g->tix)) < 0) {
		if (rst != NULL)
			reader_pool_put(&root->readers, rst);
		if (pj.started)
			store_writer_submit(root->writer, learn_stop_job, root);
		log_warnx("config reload refused: the store cannot read closed "
		    "cases; still serving generation=%u", running->generation);
		generation_close(g);
		free(g);
		return;
	}
	if (rst != NULL)
		reader_pool_put(&root->readers, rst);
	/* its rc is the batch's: the publishing itself cannot be undone */
	(void)store_writer_submit(root->writer, publish_job, &pj);
	if (atomic_load(&root->current) != g) {
		if (pj.learn)
			store_writer_submit(root->writer, learn_stop_job, root);
		log_warnx("config reload refused: the store's writer did not run; "
		    "still serving generation=%u", running->generation);
		generation_close(g);
		free(g);
		return;
	}
	log_info("config reloaded generation=%u deputies=%zu staff=%zu "
	    "observers=%zu grids=%zu departments=%zu classifier=%s",
	    g->generation, cfg->ndeputies, cfg->nstaff, cfg->nobservers,
	    cfg->ngrids, cfg->ndepartments, pj.learn ? "retrained" : "kept");
	if (pj.learn)
		log_info("classifier learned closed_cases=%d closed_meanwhile=%zu",
		    learned, pj.relearned);
}


/*
 * This node's name among several on one store: server.node_id, else the
 * host's name and server.listen (two nodes on one host with the same
 * listen, ports chosen by the system, need server.node_id).
 */
static void
gateway_node_id(const struct config *cfg, char *out, size_t outsz)
{
	char	 host[64];

	if (cfg->server.node_id != NULL) {
		strlcpy(out, cfg->server.node_id, outsz);
		return;
	}
	if (gethostname(host, sizeof(host)) != 0)
		strlcpy(host, "localhost", sizeof(host));
	host[sizeof(host) - 1] = '\0';
	snprintf(out, outsz, "%s:%s", host, cfg->server.listen);
}

static int
cmd_serve(int argc, char **argv)
{
	struct gateway	 gw;
	const char	*path = NULL;
	struct store	*st;
	struct config	*cfg;
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
	if ((cfg = gateway_load_config(path, true)) == NULL)
		fatalx("config: %s has problems (listed above); not starting", path);

	/* Signals are taken by sigwait() below, never by another thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((st = store_open_cfg(cfg, 0, false,
	    err, sizeof(err))) == NULL)
		fatalx("store: cannot open %s: %s", store_cfg_name(cfg), err);
	if (generation_open(&gw, cfg) != 0)
		fatalx("channels: cannot start");
	gw.generation = 1;
	gw.root = &gw;
	atomic_init(&gw.current, &gw);
	gateway_node_id(cfg, gw.node_id, sizeof(gw.node_id));
	/* the classifier learns the closed cases before the writer owns st */
	if ((n = gateway_learn_cases(st, gw.cfg, gw.tix)) < 0)
		fatalx("store: cannot read closed cases from %s", store_cfg_name(gw.cfg));
	log_info("classifier learned closed_cases=%d", n);
	gw.writer = store_writer_start(st, 0);
	if (reader_pool_open(&gw.readers, cfg, (size_t)cfg->server.threads) != 0)
		fatalx("store: cannot open readers on %s", store_cfg_name(cfg));
	if (gateway_sender_start(&gw) != 0)
		fatalx("sender: cannot start");
	gateway_scheduler_start(&gw);
	if (gateway_http_start(&gw) != 0)
		fatalx("http: cannot listen on %s", gw.cfg->server.listen);
	log_info("minyi serving version=%s config=%s store=%s node=%s", MINYI_VERSION,
	    path, store_cfg_name(gw.cfg), gw.node_id);

	for (;;) {
		if (sigwait(&set, &sig) != 0)
			fatal("sigwait");
		if (sig != SIGHUP)
			break;
		gateway_reload(&gw, path);
	}
	log_info("minyi draining signal=%s inflight=%d",
	    sig == SIGTERM ? "TERM" : "INT", atomic_load(&gw.inflight));
	atomic_store(&gw.draining, true);
	gateway_http_quiesce(&gw);
	t0 = time_mono_ms();
	drain_ms = (int64_t)gateway_current(&gw)->cfg->server.drain_seconds * 1000;
	while (atomic_load(&gw.inflight) > 0 && time_mono_ms() - t0 < drain_ms)
		usleep(10000);
	if ((n = gateway_http_abandon(&gw)) > 0) {
		log_warnx("minyi drain timed out seconds=%d: answered 503 to "
		    "webhooks=%d still waiting for the store",
		    (int)(drain_ms / 1000), n);
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
	if (strcmp(argv[1], "store") == 0)
		return gateway_store(argc - 1, argv + 1);
	if (strcmp(argv[1], "evaluators") == 0 || strcmp(argv[1], "evaluation") == 0 ||
	    strcmp(argv[1], "vote") == 0 || strcmp(argv[1], "duty") == 0)
		return gateway_evaluation(argc - 1, argv + 1);
	usage();
}
