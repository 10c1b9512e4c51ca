/*
 * dialogs/dialogs.h: the pure domain of minyi.  Text understanding (folding,
 * categories, places, numbers, yes/no), the resident dialog, the staff
 * commands and the case workflow.  Nothing here does I/O, reads the clock
 * or touches SQLite: time and state are arguments, and results are new
 * state plus a list of effects that the shell (gateway/) applies in one
 * transaction.
 *
 * May include: lib/, config/.  Included by: gateway/ (and adapters/ for types).
 */
#ifndef MINYI_DIALOGS_H
#define MINYI_DIALOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../config/config.h"

/* text.c: folding and matching, over ICU */

/*
 * Fold text for matching: ICU NFKC (full-width digits and letters become
 * ASCII), Traditional -> Simplified Chinese, Latin lower case, and every
 * punctuation, symbol and white-space character removed.  Returns a new
 * UTF-8 string (caller frees); invalid UTF-8 is folded as U+FFFD.  Safe to
 * call from any thread.
 */
char	*text_fold(const char *in);

/*
 * An index over a config's category keywords and place names, built once
 * per config (folded keys, longest first).  Owns its memory; the config
 * must outlive it.
 */
struct text_index;
struct text_index *text_index_new(const struct config *);
void	 text_index_free(struct text_index *);

/* Index into config->categories of the category the folded text names, or
 * -1.  When several match, the longest keyword wins, then the first listed. */
int	 text_find_category(const struct text_index *, const char *folded);

/*
 * Index into config->grids of the place the folded text names, or -1.  The
 * most specific wins: a grid's name or alias beats a township name; a
 * township alone gives -1 but sets *township (index into config->townships,
 * or -1) when township is not NULL.  Among grids, the longest match wins.
 */
int	 text_find_place(const struct text_index *, const char *folded, int *township);

/*
 * A choice number in the raw text: "2", "２", "二", "②", "第2个", " 2 。".
 * Returns 1..99, or -1 when the text is not just a number.
 */
int	 text_parse_choice(const char *raw);

/*
 * Yes / no answers: 1 for 是/对/好/确认/yes/y/ok, 0 for 不/否/不是/no/n,
 * -1 for anything else.
 */
int	 text_parse_yesno(const char *raw);

/*
 * The first whole number in folded text (ASCII digits after folding, or
 * Chinese numerals 一..九十九), as used after a command word: "查询42",
 * "取消#42", "查询 四十二".  Returns it, or -1.  *end, when not NULL, is set
 * just past the number in folded.
 */
long	 text_parse_number(const char *folded, const char **end);

#endif /* MINYI_DIALOGS_H */
