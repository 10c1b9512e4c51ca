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

#include <jansson.h>

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

/* render.c: templates */

/*
 * Render template key in lang with {name} placeholders replaced from the
 * NULL-terminated list of name, value pairs; unknown placeholders are left
 * as written.  Returns a new string (caller frees).
 */
char	*dialog_render(const struct config *, const char *lang, const char *key,
	    const char *const *vars);

/* resident.c: the resident dialog (群众点单) */

enum dialog_state {
	DS_IDLE,		/* no question pending */
	DS_ASK_CATEGORY,	/* asked which category, numbered list */
	DS_ASK_PLACE,		/* asked for the village or community */
	DS_ASK_DESCRIPTION	/* asked what the matter is */
};
const char	*dialog_state_name(enum dialog_state);
int		 dialog_state_parse(const char *name, enum dialog_state *);

/* A conversation's state between messages: stored as conversations.state
 * plus data (JSON). */
struct conv_state {
	enum dialog_state state;
	int		 category;	/* index into config->categories, or -1 */
	int		 grid;		/* index into config->grids, or -1 */
	int		 township;	/* best guess, index into townships, or -1 */
	char		*description;	/* from malloc(), or NULL */
	int		 asked;		/* questions asked without an answer */
	int64_t		 updated_at;	/* last message, seconds */
	char		 lang[3];	/* "zh" or "en" */
	const struct config *cfg;	/* borrowed: the config the indexes refer
					 * to, so that to_json can store ids;
					 * set by dialog_step and from_json */
};
void	 conv_state_init(struct conv_state *);
void	 conv_state_clear(struct conv_state *);	/* frees description */
/* To and from the stored JSON (data column): category, grid and township
 * by id, so that a changed config does not mis-map them (an id it no
 * longer has reads back as -1).  from_json returns -1 on anything it
 * cannot read (the shell then starts afresh). */
json_t	*conv_state_to_json(const struct conv_state *);	/* new reference */
int	 conv_state_from_json(const struct config *, enum dialog_state,
	    json_t *data, int64_t updated_at, struct conv_state *);

/* One of the resident's cases, as the shell loaded it (newest first). */
struct case_brief {
	long		 number;
	const char	*status;	/* "received", ... */
	const char	*category;	/* category id, or NULL */
	const char	*grid;		/* grid id, or NULL */
	const char	*deputy;	/* deputy id, or NULL */
	const char	*department;	/* department id, or NULL */
	int64_t		 created_at;
	int64_t		 due_at;	/* 0 when none */
};

struct dialog_input {
	int64_t			 now;		/* seconds */
	const char		*channel;	/* channel id */
	const char		*address;	/* sender: E.164 or member id */
	const char		*text;		/* raw UTF-8 as received */
	bool			 addressed;	/* spoke to us (groups: mention/keyword) */
	int			 grid_hint;	/* grid known from the channel (group), or -1 */
	long			 next_case_number; /* the number a new case gets */
	bool			 opted_out;	/* resident said 退订/STOP */
	const struct case_brief	*cases;		/* resident's cases, newest first */
	size_t			 ncases;
	bool			 has_conv;	/* a stored conversation exists */
	struct conv_state	 conv;		/* it, when has_conv */
};

enum effect_kind {
	EFF_REPLY,		/* text to the resident over their channel */
	EFF_CASE_CREATE,	/* a new case: fields in .c */
	EFF_CASE_CANCEL,	/* case .number cancelled by the resident */
	EFF_NOTIFY_DEPUTY,	/* text to deputy .deputy about case .number */
	EFF_OPT_OUT,		/* stop sending to this resident */
	EFF_OPT_IN,		/* resume sending */
	EFF_SET_LANGUAGE	/* remember .lang for this resident */
};

struct new_case {
	long		 number;
	int		 category;	/* index, or -1 */
	int		 grid;		/* index, or -1 (triage) */
	int		 township;	/* index, or -1 */
	const char	*deputy;	/* deputy id it goes to; borrowed from config */
	const char	*department;	/* default department id, or NULL; borrowed */
	int		 tier;
	bool		 triage;	/* place unknown: sent to a township chair */
};

struct effect {
	enum effect_kind kind;
	char		*text;		/* EFF_REPLY, EFF_NOTIFY_DEPUTY: from malloc() */
	char		*description;	/* EFF_CASE_CREATE: from malloc() */
	char		*place;		/* EFF_CASE_CREATE: place as named, from malloc() */
	const char	*deputy;	/* EFF_NOTIFY_DEPUTY: borrowed from config */
	long		 number;	/* case number the effect is about */
	struct new_case	 c;		/* EFF_CASE_CREATE */
	char		 lang[3];	/* EFF_SET_LANGUAGE, and language of a reply */
};

struct dialog_result {
	struct conv_state conv;		/* the next state (DS_IDLE: delete it) */
	struct effect	*effects;	/* from malloc() */
	size_t		 neffects;
};
void	 dialog_result_clear(struct dialog_result *);

/*
 * One step of the resident dialog: what a resident's message does, given
 * their conversation and cases.  Pure: the same input gives the same
 * result.  Fills res (caller clears it); returns 0, or -1 if the input is
 * unusable (no text).
 */
int	 dialog_step(const struct config *, const struct text_index *,
	    const struct dialog_input *, struct dialog_result *);

#endif /* MINYI_DIALOGS_H */
