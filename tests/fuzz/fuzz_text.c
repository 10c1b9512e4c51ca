/*
 * tests/fuzz/fuzz_text.c: feeds the input, as one message's raw text (cut
 * at its first NUL, as every caller sees it), to text folding and every
 * small parser of dialogs/: text_fold, text_parse_choice,
 * text_parse_yesno, text_parse_number (over the folded text),
 * staff_parse, rating_parse, text_strip_bidi, the category and place lookups over the
 * example config's index, and the status and state name parsers.
 *
 * What is checked, else fuzz_fail():
 *  - text_fold returns UTF-8 (invalid input folds as U+FFFD), and valid
 *    input with "。" appended folds as it does alone: the punctuation is
 *    dropped, and ASCII input, which takes the fast path, must fold as the
 *    ICU path (which the "。" forces) folds it.  (Folding twice is not
 *    checked: it need not give what folding once gave.  ICU's
 *    Traditional-Simplified maps 苎 to 苧 and 苧 to 苎, and punctuation
 *    dropped after NFKC composed can leave a combining mark to join the
 *    letter before it: "e´" folds to "e" U+0301, and that to "é".);
 *  - text_parse_choice is -1 or 1..99; text_parse_yesno -1, 0 or 1;
 *    text_parse_number -1, or a number >= 0 with *end inside the folded
 *    text;
 *  - staff_parse returns 0 with a command kind, or -1 with SC_NONE; the
 *    language is zh or en; a number is -1 or positive; days >= 0; the text
 *    and target of UTF-8 input are UTF-8;
 *  - rating_parse gives 1..5 with the comment a suffix of the input;
 *  - text_strip_bidi removes 2 or 3 bytes per control, keeps UTF-8 input
 *    UTF-8, and leaves no control in it (stripping again removes none);
 *  - lookups give an index of the config, or -1;
 *  - case_status_parse and dialog_state_parse accept only names they
 *    give back the same.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../dialogs/dialogs.h"
#include "fuzz.h"

#define EXAMPLE		"config/minyi.example.json"

static struct config	*cfg;		/* loaded once, never freed */
static struct text_index *tix;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct config_errors	 errs;

	(void)argc;
	(void)argv;
	if (cfg != NULL)
		return 0;
	log_init(-1);
	memset(&errs, 0, sizeof(errs));
	if ((cfg = config_load(EXAMPLE, &errs)) == NULL)
		fuzz_fail("%s does not load (run from the repository root)", EXAMPLE);
	config_errors_free(&errs);
	tix = text_index_new(cfg);
	return 0;
}

static void
check_fold(const char *raw, const char *folded)
{
	char	*longer = NULL, *again = NULL;

	if (folded == NULL || !utf8_valid(folded, strlen(folded)))
		fuzz_fail("text_fold: not UTF-8");
	if (!utf8_valid(raw, strlen(raw)))
		return;
	longer = xasprintf("%s。", raw);
	again = text_fold(longer);
	if (strcmp(again, folded) != 0)
		fuzz_fail("text_fold: \"%s\" folds to \"%s\", with \"。\" to \"%s\"",
		    raw, folded, again);
	free(longer);
	free(again);
}

static void
check_numbers(const char *raw, const char *folded)
{
	const char	*end = NULL;
	long		 n;
	int		 v;

	v = text_parse_choice(raw);
	if (v != -1 && (v < 1 || v > 99))
		fuzz_fail("text_parse_choice: %d", v);
	v = text_parse_yesno(raw);
	if (v < -1 || v > 1)
		fuzz_fail("text_parse_yesno: %d", v);
	n = text_parse_number(folded, &end);
	if (n < -1)
		fuzz_fail("text_parse_number: %ld", n);
	if (n >= 0 && (end == NULL || end < folded || end > folded + strlen(folded)))
		fuzz_fail("text_parse_number: end outside the text");
}

static void
check_staff(const char *raw, bool utf8)
{
	struct staff_cmd	 cmd;
	int			 rc;

	memset(&cmd, 0, sizeof(cmd));
	rc = staff_parse(raw, &cmd);
	if (rc != 0 && rc != -1)
		fuzz_fail("staff_parse: returned %d", rc);
	if ((rc == 0) != (cmd.kind != SC_NONE))
		fuzz_fail("staff_parse: returned %d with kind %s", rc,
		    staff_cmd_name(cmd.kind));
	if (staff_cmd_name(cmd.kind) == NULL)
		fuzz_fail("staff_parse: kind %d", (int)cmd.kind);
	if (rc == 0) {
		if (strcmp(cmd.lang, "zh") != 0 && strcmp(cmd.lang, "en") != 0)
			fuzz_fail("staff_parse: language \"%s\"", cmd.lang);
		if (cmd.number == 0 || cmd.number < -1)
			fuzz_fail("staff_parse: number %ld", cmd.number);
		if (cmd.days < 0)
			fuzz_fail("staff_parse: days %d", cmd.days);
		if (utf8 && ((cmd.text != NULL && !utf8_valid(cmd.text,
		    strlen(cmd.text))) || (cmd.target != NULL &&
		    !utf8_valid(cmd.target, strlen(cmd.target)))))
			fuzz_fail("staff_parse: text or target not UTF-8");
		if (cmd.usage != NULL && !config_template_known(cmd.usage))
			fuzz_fail("staff_parse: usage template \"%s\"", cmd.usage);
	}
	staff_cmd_clear(&cmd);
}

static void
check_rating(const char *raw)
{
	const char	*comment = NULL;
	int		 score = 0;

	if (rating_parse(raw, &score, &comment) != 0)
		return;
	if (score < 1 || score > 5)
		fuzz_fail("rating_parse: score %d", score);
	if (comment == NULL || comment < raw || comment > raw + strlen(raw))
		fuzz_fail("rating_parse: comment outside the text");
}

static void
check_bidi(const char *raw)
{
	char	*s = xstrdup(raw);
	size_t	 n, len = strlen(raw);

	n = text_strip_bidi(s);
	if (len - strlen(s) < 2 * n || len - strlen(s) > 3 * n)
		fuzz_fail("text_strip_bidi: %zu removed, %zu -> %zu bytes", n, len,
		    strlen(s));
	if (utf8_valid(raw, len) && (!utf8_valid(s, strlen(s)) ||
	    text_strip_bidi(s) != 0))
		fuzz_fail("text_strip_bidi: a control left, or not UTF-8");
	free(s);
}

static void
check_lookups(const char *folded)
{
	int	 c, g, t = -2;

	c = text_find_category(tix, folded);
	if (c < -1 || c >= (int)cfg->ncategories)
		fuzz_fail("text_find_category: %d", c);
	g = text_find_place(tix, folded, &t);
	if (g < -1 || g >= (int)cfg->ngrids || t < -1 || t >= (int)cfg->ntownships)
		fuzz_fail("text_find_place: grid %d township %d", g, t);
}

static void
check_names(const char *raw)
{
	enum case_status	 cs;
	enum dialog_state	 ds;

	if (case_status_parse(raw, &cs) == 0 &&
	    strcmp(case_status_name(cs), raw) != 0)
		fuzz_fail("case_status_parse: \"%s\" read as %s", raw,
		    case_status_name(cs));
	if (dialog_state_parse(raw, &ds) == 0 &&
	    strcmp(dialog_state_name(ds), raw) != 0)
		fuzz_fail("dialog_state_parse: \"%s\" read as %s", raw,
		    dialog_state_name(ds));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*raw = NULL, *folded = NULL;

	if (cfg == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	raw = xstrndup((const char *)data, size);
	folded = text_fold(raw);
	check_fold(raw, folded);
	check_numbers(raw, folded);
	check_staff(raw, utf8_valid(raw, strlen(raw)));
	check_rating(raw);
	check_bidi(raw);
	check_lookups(folded);
	check_names(raw);
	free(folded);
	free(raw);
	return 0;
}
