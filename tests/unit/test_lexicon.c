/*
 * tests/unit/test_lexicon.c: the built-in problem words (dialogs/lexicon.c)
 * reach a county's categories.  Each table is messages that name no
 * keyword of the category they mean, read under a config whose categories
 * are named and keyworded as a county office would (tests/data/config/
 * lexicon_*.json): the classifier must take the meant one (from 0.9) or,
 * for rows marked "list", at least list it first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../dialogs/dialogs.h"

#define TAKE	0.9

struct row {
	const char	*text;
	const char	*category;
	bool		 list;	/* listed first is enough */
};

static void
run_rows(const char *path, const struct row *rows, size_t n)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	struct text_index	*ix;
	int			 order[CONV_CHOICES_MAX];
	double			 p;
	size_t			 i, bad = 0;

	cfg = config_load(path, &errs);
	for (i = 0; i < errs.n; i++)
		print_error("config: %s\n", errs.lines[i]);
	config_errors_free(&errs);
	assert_non_null(cfg);
	assert_true(cfg->ncategories <= CONV_CHOICES_MAX);
	ix = text_index_new(cfg);
	for (i = 0; i < n; i++) {
		p = classifier_rank(text_classifier(ix), rows[i].text, order,
		    NULL);
		if ((!rows[i].list && p < TAKE) || p <= 0 ||
		    strcmp(cfg->categories[order[0]].id, rows[i].category) != 0) {
			print_error("\"%s\": %s at %.2f, not %s\n", rows[i].text,
			    p > 0 ? cfg->categories[order[0]].id : "nothing", p,
			    rows[i].category);
			bad++;
		}
	}
	text_index_free(ix);
	config_free(cfg);
	if (bad > 0)
		fail_msg("%s: %zu of %zu rows not read as meant", path, bad, n);
}

/* Towns and cities: streets, buildings, utilities, order. */
static const struct row town_rows[] = {
	{ "小区门口的车乱停，消防车都进不来", "parking", false },
};

/* The countryside: fields, animals, rivers, the land, livelihoods. */
static const struct row country_rows[] = {
	{ "河里天天有船在挖沙子", "sand", false },
};

static void
test_town_words(void **state)
{
	(void)state;
	run_rows("tests/data/config/lexicon_town.json", town_rows,
	    sizeof(town_rows) / sizeof(town_rows[0]));
}

static void
test_country_words(void **state)
{
	(void)state;
	run_rows("tests/data/config/lexicon_country.json", country_rows,
	    sizeof(country_rows) / sizeof(country_rows[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_town_words),
		cmocka_unit_test(test_country_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
