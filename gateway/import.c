/*
 * import.c: `minyi import-hotline --config FILE [--channel ID] CALLS.jsonl`.
 * Each line is one hotline call (the hotline adapter's JSON, or Alibaba
 * Cloud's recording-file recognition result).  Each call becomes a case
 * through the same shell as a webhook would, in its own transaction, and
 * the caller's SMS is queued in the outbox: a server running on the same
 * store sends it within seconds, or the next one started does.
 *
 * The same rules as the webhook, but for the signature: the caller must
 * be a number of the config's region, a transcript is always a resident's
 * request (never a staff command), and a call_id seen before with another
 * caller or text is rejected.
 *
 * Idempotent per call_id; a bad line is reported with its number and
 * reason and the import goes on.  Exit 0 when every line was taken (new
 * or duplicate), 1 when some were rejected or the file cannot be read.
 */
#include "gateway.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialogs/dialogs.h"

#define LINE_MAX_BYTES	(1 << 20)	/* one call's JSON at most */

static void
import_usage(void)
{
	fprintf(stderr, "usage: minyi import-hotline --config FILE [--channel ID] CALLS.jsonl\n");
	exit(2);
}

/* Channels typed but not started: import sends nothing itself. */
static void
bind_channels(struct gateway *gw)
{
	size_t	 i;

	gw->nchannels = gw->cfg->nchannels;
	gw->channels = xcalloc(gw->nchannels, sizeof(*gw->channels));
	for (i = 0; i < gw->nchannels; i++) {
		gw->channels[i].ad = adapter_lookup(gw->cfg->channels[i].adapter);
		gw->channels[i].conf = &gw->cfg->channels[i];
		gw->channels[i].cfg = gw->cfg;
	}
}

int
gateway_import_hotline(int argc, char **argv)
{
	struct gateway		 gw;
	struct channel		*ch = NULL;
	const char		*path = NULL, *chan = NULL, *file = NULL;
	struct store		*st;
	FILE			*fp = NULL;
	char			*line = NULL;
	size_t			 cap = 0, i;
	ssize_t			 len;
	long			 lineno = 0, ncases = 0, ndup = 0, nbad = 0;
	char			 err[256];
	int			 k, rc = 1;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--config") == 0 && k + 1 < argc)
			path = argv[++k];
		else if (strcmp(argv[k], "--channel") == 0 && k + 1 < argc)
			chan = argv[++k];
		else if (argv[k][0] == '-' && argv[k][1] != '\0')
			import_usage();
		else if (file == NULL)
			file = argv[k];
		else
			import_usage();
	}
	if (path == NULL || file == NULL)
		import_usage();
	log_init(-1);
	memset(&gw, 0, sizeof(gw));
	gw.generation = 1;	/* the only one: no reload here */
	gw.root = &gw;
	atomic_init(&gw.current, &gw);
	if ((gw.cfg = gateway_load_config(path, false)) == NULL)
		return 1;
	bind_channels(&gw);
	for (i = 0; i < gw.nchannels && ch == NULL; i++)
		if (chan ? strcmp(gw.channels[i].conf->id, chan) == 0 :
		    (gw.channels[i].ad->flags & AD_F_DIRECT) != 0)
			ch = &gw.channels[i];
	if (ch == NULL || strcmp(ch->ad->name, "hotline") != 0) {
		fprintf(stderr, "import-hotline: the config has no hotline channel%s%s\n",
		    chan ? " named " : "", chan ? chan : "");
		goto out;
	}
	if (strcmp(file, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(file, "r")) == NULL) {
		fprintf(stderr, "import-hotline: %s: %s\n", file, strerror(errno));
		goto out;
	}
	if ((st = store_open_cfg(gw.cfg, 0, false,
	    err, sizeof(err))) == NULL) {
		fprintf(stderr, "import-hotline: store %s: %s\n", store_cfg_name(gw.cfg), err);
		goto out;
	}
	gw.tix = text_index_new(gw.cfg);
	if (gateway_learn_cases(st, gw.cfg, gw.tix) < 0) {
		fprintf(stderr, "import-hotline: store %s: cannot read closed cases\n",
		    store_cfg_name(gw.cfg));
		store_close(st);
		goto out;
	}
	gw.writer = store_writer_start(st, 0);

	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct inbound_batch	 batch;
		struct inbound_job	 job;
		json_t			*call;
		json_error_t		 jerr;
		struct inbound		*m;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strspn(line, " \t") == (size_t)len)
			continue;	/* blank */
		if (len > LINE_MAX_BYTES) {
			printf("line %ld: rejected: longer than %d bytes\n", lineno, LINE_MAX_BYTES);
			nbad++;
			continue;
		}
		if ((call = json_loadb(line, (size_t)len, 0, &jerr)) == NULL) {
			printf("line %ld: rejected: not JSON: %s\n", lineno, jerr.text);
			nbad++;
			continue;
		}
		memset(&batch, 0, sizeof(batch));
		m = inbound_batch_add(&batch);
		err[0] = '\0';
		if (hotline_parse_call(ch, call, m, err, sizeof(err)) != 0) {
			printf("line %ld: rejected: %s\n", lineno, err[0] ? err : "not a call");
			nbad++;
			json_decref(call);
			inbound_batch_clear(&batch);
			continue;
		}
		json_decref(call);
		memset(&job, 0, sizeof(job));
		job.reqid = log_id_next();	/* each call is a request */
		job.gw = &gw;
		job.ch = ch;
		job.batch = &batch;
		job.now = time_now();
		gateway_inbound_prepare(&job);
		if (store_writer_submit(gw.writer, gateway_inbound_job, &job) != 0) {
			printf("line %ld: rejected: could not store it\n", lineno);
			nbad++;
		} else if (job.conflicts > 0) {
			printf("line %ld: rejected: call_id already used with "
			    "another caller or text\n", lineno);
			nbad++;
		} else if (job.duplicates > 0)
			ndup++;
		else
			ncases++;
		gateway_inbound_clear(&job);
		inbound_batch_clear(&batch);
	}
	printf("imported %s: %ld lines, %ld cases, %ld duplicates, %ld rejected\n",
	    file, ncases + ndup + nbad, ncases, ndup, nbad);
	store_writer_stop(gw.writer);
	gw.writer = NULL;
	rc = nbad > 0 ? 1 : 0;
out:
	if (fp != NULL && fp != stdin)
		fclose(fp);
	free(line);
	free(gw.channels);
	text_index_free(gw.tix);
	config_free(gw.cfg);
	return rc;
}
