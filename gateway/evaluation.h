/*
 * gateway/evaluation.h: what evaluation.c (the CLI of 民主评议, 票决 and
 * 履职考核) and evaluation_sms.c (their SMS and timer, in the server)
 * share.  Private to those two files.
 */
#ifndef MINYI_GATEWAY_EVALUATION_H
#define MINYI_GATEWAY_EVALUATION_H

#include "gateway.h"

#define EVAL_MAX_QUESTIONS	26	/* A..Z */

/* One evaluation round, as eval_rounds holds it. */
struct eval_round {
	int64_t	 id;
	char	*name;
	json_t	*townships, *units, *dimensions;	/* owned */
	int64_t	 opens, closes;
	int	 year;
	char	*seed, *digest;
	int	 drawn_count;
	bool	 opened, closed;
	int	 ballots;
};

/* The channel evaluation SMS go out on: evaluation.channel, else
 * dialog.sms_channel, else NULL (the first channel reaching phones). */
const char *gateway_eval_channel(const struct config *);
/* "YYYY-MM-DD HH:MM[:SS]" (or with a T) in the config's timezone, or an
 * ISO time with its zone; 0 or -1. */
int	 gateway_eval_when_parse(const struct config *, const char *s, int64_t *t);
/* t as staff_fmt_time writes it, in the config's timezone. */
void	 gateway_eval_when_fmt(const struct config *, int64_t t, const char *lang,
	    char *out, size_t outsz);
/* Step a statement that returns no row we need; 0 or -1 (logged). */
int	 gateway_eval_step(struct store *, struct store_stmt *);
/* Bind s (copied), or NULL. */
void	 gateway_eval_bind(struct store_stmt *, int i, const char *s);
/* Column i as a new string or NULL; as new JSON or NULL. */
char	*gateway_eval_col_dup(struct store_stmt *, int i);
json_t	*gateway_eval_col_json(struct store_stmt *, int i);
/* The round by id or name (key), or by id when key is NULL; 0, or -1 (a
 * line to stderr when loud).  gateway_eval_round_clear frees it. */
int	 gateway_eval_round_load(struct store *, const char *key, int64_t id,
	    struct eval_round *, bool loud);
void	 gateway_eval_round_clear(struct eval_round *);
/* Questions: units x dimensions; question q's unit id and dimension. */
size_t	 gateway_eval_round_nq(const struct eval_round *);
const char *gateway_eval_round_unit(const struct eval_round *, size_t q);
const char *gateway_eval_round_dim(const struct eval_round *, size_t q);

/*
 * A tracked item as a case that deputy d has taken (accepted): an adopted
 * 民生实事 project, or a 民意 that is a request.  Its updates go to the
 * deputy's phone over chan.  grid, category may be NULL.  Returns the
 * case number, or -1.
 */
long	 gateway_eval_case_track(struct store *, const struct config *,
	    const char *chan, const struct deputy *d, const char *grid,
	    const char *category, int tier, const char *description,
	    const char *actor, int64_t now);

#endif /* MINYI_GATEWAY_EVALUATION_H */
