/*
 * dialogs/lexicon.h: the built-in everyday words of the problems residents
 * report (lexicon.c), grouped by problem.  Internal to dialogs/: the
 * classifier (classify.c) trains a category on a group's words when the
 * group joins it.
 */
#ifndef MINYI_DIALOGS_LEXICON_H
#define MINYI_DIALOGS_LEXICON_H

#include <stddef.h>

/*
 * A group joins a category when one of its anchors is one of the
 * category's keywords, or lies in its name or English name; its words
 * then train that category.
 */
struct lex_group {
	const char *const *anchors;	/* NULL-terminated */
	const char *const *words;	/* NULL-terminated */
};

extern const struct lex_group	lexicon[];
extern const size_t		nlexicon;

#endif
