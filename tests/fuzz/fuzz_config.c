/*
 * tests/fuzz/fuzz_config.c: feeds config_load_string() the input as JSON
 * text, with the adapters' channel checks registered as the program does
 * (config_set_channel_check(adapter_check_config)).
 *
 * What is checked, else fuzz_fail():
 *  - NULL comes with at least one problem, a config with none, and every
 *    problem is a non-empty line;
 *  - a loaded config keeps its promises: every entry has an id and the
 *    lookup by id finds that very entry (ids are unique); every
 *    reference (a grid's township and deputies, its backup, its groups'
 *    channels, a township's chair, a category's department, notify
 *    channels) names an entry that exists; phones are E.164 mobiles;
 *    tiers are 1..3; config_deputy_by_phone finds each deputy by its
 *    phone;
 *  - what is built on a config does not break on an odd one:
 *    config_check_env, text_index_new, every built-in template rendered
 *    in zh and en, and one resident's message through dialog_step (memory
 *    only: overridden templates may be any length).
 * ASan, UBSan and LeakSanitizer check that config_free frees it all.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/adapter.h"
#include "../../dialogs/dialogs.h"
#include "fuzz.h"

#define T0	((int64_t)1795000000)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init(-1);
	/* the example config's secrets, so that check_env can pass too */
	setenv("TWILIO_AUTH_TOKEN", "fuzz-twilio-token", 1);
	setenv("MINYI_GROUP_SECRET", "fuzz-hmac-secret", 1);
	setenv("MINYI_ADMIN_TOKEN", "fuzz-admin-token", 1);
	config_set_channel_check(adapter_check_config);
	return 0;
}

static void
fuzz_ref(const char *what, const char *id, bool ok)
{
	if (id != NULL && !ok)
		fuzz_fail("loaded config: %s \"%s\" does not exist", what, id);
}

static void
fuzz_phone(const char *what, const char *phone)
{
	if (phone != NULL && phone[0] != '+')
		fuzz_fail("loaded config: %s phone \"%s\" is not E.164", what, phone);
	if (phone != NULL && !phone_is_mobile(phone, NULL))
		fuzz_fail("loaded config: %s phone \"%s\" is no mobile", what, phone);
}

/* The promises of a loaded config. */
static void
fuzz_check_config(const struct config *cfg)
{
	size_t	 i, j;

	for (i = 0; i < cfg->nchannels; i++) {
		const struct channel_conf *cc = &cfg->channels[i];

		if (cc->id == NULL || cc->adapter == NULL ||
		    adapter_lookup(cc->adapter) == NULL)
			fuzz_fail("loaded config: channels[%zu] without id or adapter", i);
		if (config_channel(cfg, cc->id) != cc)
			fuzz_fail("loaded config: channel \"%s\" found elsewhere", cc->id);
	}
	for (i = 0; i < cfg->ntownships; i++) {
		const struct township *t = &cfg->townships[i];

		if (t->id == NULL || config_township(cfg, t->id) != t)
			fuzz_fail("loaded config: townships[%zu] id", i);
		fuzz_ref("township chair", t->chair, t->chair == NULL ||
		    config_deputy(cfg, t->chair) != NULL);
	}
	for (i = 0; i < cfg->ngrids; i++) {
		const struct grid *g = &cfg->grids[i];

		if (g->id == NULL || config_grid(cfg, g->id) != g)
			fuzz_fail("loaded config: grids[%zu] id", i);
		fuzz_ref("grid township", g->township, g->township == NULL ||
		    config_township(cfg, g->township) != NULL);
		for (j = 0; j < g->ndeputies; j++)
			fuzz_ref("grid deputy", g->deputies[j],
			    config_deputy(cfg, g->deputies[j]) != NULL);
		fuzz_ref("grid backup", g->backup, g->backup == NULL ||
		    config_deputy(cfg, g->backup) != NULL);
		for (j = 0; j < g->ngroups; j++) {
			fuzz_ref("group channel", g->groups[j].channel,
			    config_channel(cfg, g->groups[j].channel) != NULL);
			if (config_grid_by_group(cfg, g->groups[j].channel,
			    g->groups[j].group_id) == NULL)
				fuzz_fail("loaded config: group %s of grid %s not found",
				    g->groups[j].group_id, g->id);
		}
	}
	for (i = 0; i < cfg->ndeputies; i++) {
		const struct deputy *d = &cfg->deputies[i];

		if (d->id == NULL || config_deputy(cfg, d->id) != d)
			fuzz_fail("loaded config: deputies[%zu] id", i);
		fuzz_phone("deputy", d->phone);
		if (d->phone != NULL && config_deputy_by_phone(cfg, d->phone) == NULL)
			fuzz_fail("loaded config: deputy %s not found by phone", d->id);
		fuzz_ref("deputy notify_channel", d->notify_channel,
		    d->notify_channel == NULL ||
		    config_channel(cfg, d->notify_channel) != NULL);
	}
	for (i = 0; i < cfg->ndepartments; i++) {
		const struct department *dp = &cfg->departments[i];

		if (dp->id == NULL || config_department(cfg, dp->id) != dp)
			fuzz_fail("loaded config: departments[%zu] id", i);
		fuzz_phone("department", dp->phone);
		fuzz_ref("department notify_channel", dp->notify_channel,
		    dp->notify_channel == NULL ||
		    config_channel(cfg, dp->notify_channel) != NULL);
	}
	for (i = 0; i < cfg->ncategories; i++) {
		const struct category *c = &cfg->categories[i];

		if (c->id == NULL || config_category(cfg, c->id) != c)
			fuzz_fail("loaded config: categories[%zu] id", i);
		if (c->tier < 1 || c->tier > 3)
			fuzz_fail("loaded config: category %s tier %d", c->id, c->tier);
		fuzz_ref("category department", c->department,
		    c->department == NULL ||
		    config_department(cfg, c->department) != NULL);
	}
}

/* Templates, the index and one dialog step over a loaded config. */
static void
fuzz_use_config(const struct config *cfg)
{
	static const char *const langs[] = { "zh", "en" };
	struct config_errors	 errs;
	struct text_index	*tix = NULL;
	struct dialog_input	 in;
	struct dialog_result	 res;
	const char		*key;
	char			*text = NULL;
	size_t			 i, l;

	memset(&errs, 0, sizeof(errs));
	config_check_env(cfg, &errs);
	config_errors_free(&errs);
	for (i = 0; (key = config_template_key(i)) != NULL; i++)
		for (l = 0; l < nitems(langs); l++) {
			text = dialog_render(cfg, langs[l], key, NULL);
			if (text == NULL || !utf8_valid(text, strlen(text)))
				fuzz_fail("template %s (%s) rendered as no UTF-8",
				    key, langs[l]);
			free(text);
		}
	tix = text_index_new(cfg);
	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	conv_state_init(&in.conv);
	in.now = T0;
	in.channel = cfg->nchannels > 0 ? cfg->channels[0].id : "sms";
	in.address = "+8613800138000";
	in.text = "刘辛店村村口路灯不亮";
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = 1;
	if (dialog_step(cfg, tix, &in, &res) != 0)
		fuzz_fail("dialog_step refused a message under a loaded config");
	dialog_result_clear(&res);
	conv_state_clear(&in.conv);
	text_index_free(tix);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_errors	 errs;
	struct config		*cfg = NULL;
	char			*json = NULL;
	size_t			 i;

	json = xstrndup((const char *)data, size);
	memset(&errs, 0, sizeof(errs));
	cfg = config_load_string(json, &errs);
	if (cfg == NULL && errs.n == 0)
		fuzz_fail("config_load_string: NULL without a problem");
	if (cfg != NULL && errs.n > 0)
		fuzz_fail("config_load_string: a config and %zu problems (first: %s)",
		    errs.n, errs.lines[0]);
	for (i = 0; i < errs.n; i++)
		if (errs.lines[i] == NULL || errs.lines[i][0] == '\0')
			fuzz_fail("config_load_string: problem %zu is empty", i);
	if (cfg != NULL) {
		fuzz_check_config(cfg);
		fuzz_use_config(cfg);
	}
	config_free(cfg);
	config_errors_free(&errs);
	free(json);
	return 0;
}
