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
/* text_fold (gaps: text_fold_words) through ICU alone, never a character
 * at a time: what they must equal (tests). */
char	*text_fold_icu(const char *in, bool gaps);

/*
 * Remove every bidirectional control from s, in place: the embeddings and
 * overrides U+202A..U+202E, the isolates U+2066..U+2069, the marks U+200E,
 * U+200F and U+061C.  A resident's text is quoted into staff alerts, where
 * an unterminated U+202E would turn the rest of the alert around; none of
 * them carries meaning in a request.  Returns how many were removed.
 */
size_t	 text_strip_bidi(char *s);

/*
 * An index over a config's category keywords and place names, built once
 * per config (folded keys, longest first).  Owns its memory; the config
 * must outlive it.
 */
struct text_index;
struct text_index *text_index_new(const struct config *);
void	 text_index_free(struct text_index *);

/*
 * The same names folded once, for the dialogs.  Category c's words: [0] its
 * name, [1] its English name ("" when it has none), then its keywords.
 * The place keys a text naming grid g (-1: none) is stripped of: g's name
 * and aliases, then every township's name, the longest (in bytes) first.
 * Both NULL-terminated, owned by the index.
 */
const char *const *text_category_words(const struct text_index *, int c);
const char *const *text_place_keys(const struct text_index *, int g);

/* Index into config->categories of the category the folded text names, or
 * -1: text_find()'s category. */
int	 text_find_category(const struct text_index *, const char *folded);

/*
 * Index into config->grids of the place the folded text names, or -1.  The
 * most specific wins: a grid's name or alias beats a township name; a
 * township alone gives -1 but sets *township (index into config->townships,
 * or -1) when township is not NULL.  Among grids, the longest match wins.
 */
int	 text_find_place(const struct text_index *, const char *folded, int *township);

/* Does the character ask or end a sentence (啥, 咋, 吗, 呢 ...), or is it
 * one of the commonest little words (在, 是, 着, 了, 到, 的, 把)?  Its sound is
 * no typo of a keyword's (啥时 is not 砂石, 现在还 not 灾害). */
bool	 text_function_char(uint32_t cp);
/* Is the English key (folded, no gaps) in words (text_fold_words(), or
 * masked text that keeps the gaps) as whole words, a plural's s or es
 * after it: "stairs" is not in "downstairs"? */
bool	 text_words_hold(const char *words, const char *key);
/* Fold like text_fold(), but keep one ' ' where words were apart
 * ("Xu Zhuang, cun" -> "xu zhuang cun").  A new string. */
char	*text_fold_words(const char *in);
/*
 * Folded text (text_fold, text_fold_words) with the common words of the
 * big dialect areas in Mandarin (dialect.c): 冇电 没电, 屋头 家里, 咋整
 * 怎么办, 侬 你.  What the classifier reads.  A new string.
 */
char	*text_dialect(const char *folded);
/*
 * Does a dialect word of two characters or more (as text_dialect() reads
 * them) cover any of code points [s, e) of folded?  阿拉几只船: la ji is
 * no 垃圾 there, 阿拉 is "we".
 */
bool	 text_dialect_over(const char *folded, size_t s, size_t e);
/*
 * Blank (spaces, in place) the figures of speech in folded text that hold
 * a problem's word but say something else: 打水漂 (money lost) is no
 * water, 倒苦水 (to pour out grievances) no bitter well, 水泄不通 a jam,
 * 黑心 greed, 坑人 a cheat, 一路绿灯 no traffic light.
 */
void	 text_figures_blank(char *folded);

/*
 * A text as pinyin, for homophones (路等 for 路灯) and place names written
 * in Latin letters ("Xu Zhuang Cun", "xuzhuang village" for 许庄村): made
 * from the raw text once per message; NULL-safe free.
 */
struct text_pinyin;
struct text_pinyin *text_pinyin_new(const char *raw);
void	 text_pinyin_free(struct text_pinyin *);
/* The syllables of s's Han characters run together, without tones
 * ("许庄村" -> "xuzhuangcun"); "" when s holds anything else.  A new string. */
char	*text_pinyin_of(const char *s);
/* The syllable of one Han character into out ("灯" -> "deng"); its
 * length, 0 when cp is not Han. */
size_t	 text_syllable(uint32_t cp, char *out, size_t outsz);

#define TEXT_CANDS_MAX	4
/* What text_find() found in a message. */
struct text_found {
	int	 category;	/* index into categories, or -1 */
	bool	 category_weak;	/* named only by a one-character keyword */
	bool	 category_where; /* ... or by one that says where (学校门口) */
	bool	 category_homophone; /* by a keyword's pinyin */
	bool	 category_fuzzy; /* ... in fuzzy pinyin only (wusui) */
	bool	 category_word;	/* ... a word of its own, as ICU's
				 * dictionary splits the text (技术) */
	char	 heard[64];	/* ... what was written (路等, folded) */
	char	 meant[64];	/* ... the keyword it sounds as (路灯) */
	int	 cat_cands[TEXT_CANDS_MAX]; /* category -1: homophones tied */
	size_t	 ncat_cands;
	bool	 cands_sound;	/* ... all heard, none written (也猪: 野猪,
				 * 业主) */
	size_t	 cat_at;	/* byte offset in raw of the clause naming it */
	int	 grid;		/* index into grids, or -1 */
	int	 township;	/* named or the grid's, or -1 */
	bool	 grid_homophone; /* by pinyin */
	size_t	 grid_chars;	/* characters of the key that named it */
	int	 grid_cands[TEXT_CANDS_MAX]; /* grid -1: pinyin matches tied */
	size_t	 ngrid_cands;
};

/*
 * Category and place of a message (raw as written, folded its
 * text_fold()), by characters and then by pinyin (py: of raw, or NULL).
 * Category: the problem in the first clause that names one (clauses end
 * at punctuation and at 还有/另外/and ...), a keyword of two characters
 * or more before a one-character one, in a clause the longest, then the
 * first written; a unique homophone counts, tied ones are candidates; a
 * homophone of another category's keyword across the exact one (红路灯:
 * 红绿灯 or 路灯) makes both candidates.  Place: as text_find_place(), then by pinyin
 * when no grid was named; tied grids are candidates.
 */
void	 text_find(const struct text_index *, const char *raw, const char *folded,
	    const struct text_pinyin *py, struct text_found *);

/*
 * Does the clause at byte at of raw (text_found.cat_at) follow a word that
 * joins a second problem to the first (还有, 另外, and, also ...)?  "广场
 * 舞太吵，另外楼道灯也不亮": the keyword names the second problem.
 */
bool	 text_joined(const char *raw, size_t at);
/*
 * Bytes of the space at byte at of raw when it stands between two Han
 * characters, where a resident writing Chinese would put a comma ("停水两
 * 天了 昨天又停电"): it ends a clause.  0 otherwise; at is at most strlen(raw).
 */
size_t	 text_clause_space(const char *raw, size_t at);
/* Is the character at p one of set's (UTF-8 both)? */
bool	 text_char_in(const char *p, const char *set);
/* Where the first such word is in raw (a byte offset), 0 when none. */
size_t	 text_join_at(const char *raw);

/*
 * A second problem in raw: the category of the first keyword (of two
 * characters or more) that is not category's, clause by clause, or -1.
 * "王楼村停水了，路灯也坏了" filed as water has streetlight besides.
 */
int	 text_other_category(const struct text_index *, const char *raw, int category);
/* ... and the clause that names it into *clause (from malloc(); NULL
 * when none). */
int	 text_other_clause(const struct text_index *, const char *raw,
	    int category, char **clause);

/*
 * raw folded with word gaps (text_fold_words()) and the place names it
 * names (grids, aliases, townships) blanked out, for the classifier and
 * keyword searches: 双桥村 names no bridge, 路灯村 no lamp.  A new string.
 */
char	*text_places_masked(const struct text_index *, const char *raw);
/*
 * The same, and what only says where blanked too: a place before a
 * locative (学校门口, 医院旁边的) and a keyword before 的 and another
 * category's keyword (学校的路面): "学校门口的路坑坑洼洼" is about the
 * road.  A new string.
 */
char	*text_where_masked(const struct text_index *, const char *raw);
/* Both from one folding: text_places_masked() returned, and
 * text_where_masked() into *where, NULL when it is the same. */
char	*text_masked_both(const struct text_index *, const char *raw,
	    char **where);

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

/*
 * classify.c: learned categories, a multinomial naive Bayes over character
 * n-grams (and their pinyin, and English words), trained from the config's
 * names and keywords, built-in everyday words joined to a category through
 * its keywords, and the final category of the county's closed cases.
 * classifier_rank() puts the categories likeliest first into order
 * (ncategories of them) and their probabilities into prob (or NULL), and
 * returns the first's, 0 when nothing in raw was ever learned.  A
 * background class learns what every complaint says (坏了, 没人管): it
 * takes a text that says only that, but one word that some category has
 * more of than the background (灯 in 楼道里灯也坏了) puts it out.
 * classifier_rank_plain() keeps it in (as the check that a whole message
 * is plainly one category's); classifier_rank_topical() counts only the
 * problems' words, for listing the likeliest first: "一直没人管" lists
 * none, "nobody collected the rubbish" lists rubbish.
 */
struct classifier;
struct classifier *classifier_new(const struct config *, const struct text_index *);
void	 classifier_learn(struct classifier *, int category, const char *text);
size_t	 classifier_learned(const struct classifier *);
double	 classifier_rank_plain(const struct classifier *, const char *raw,
	    int *order, double *prob);
double	 classifier_rank_topical(const struct classifier *, const char *raw,
	    int *order, double *prob);
/* classifier_rank() without the lift of a sole clue (below): for a
 * message whose keyword is a second clue. */
double	 classifier_rank_weighed(const struct classifier *, const char *raw,
	    int *order, double *prob);
double	 classifier_rank(const struct classifier *, const char *raw, int *order,
	    double *prob);
/* classifier_rank() by this county's words alone (its config, the built-in
 * words, its closed cases), other counties' messages aside. */
double	 classifier_rank_own(const struct classifier *, const char *raw,
	    int *order, double *prob);
/* Is each ch (one folded character) of raw read inside a word learned
 * for other categories only: 坑 of 蹲坑 (toilets), not the road's? */
bool	 classifier_in_other_word(const struct classifier *, const char *raw,
	    const char *ch);
void	 classifier_free(struct classifier *);

/*
 * The index's classifier, trained on the config when the index was made;
 * the shell teaches it the county's closed cases (category index, their
 * text) at start, and each case as it closes.  Only dialog_step reads it,
 * so a shell that runs every step on one thread teaches it there.
 */
const struct classifier *text_classifier(const struct text_index *);
void	 text_index_learn(struct text_index *, int category, const char *text);
size_t	 text_index_learned(const struct text_index *);
/*
 * ix drops its own classifier and uses from's, cases learned and all:
 * for an index over a config whose categories (ids, names, keywords, in
 * order) are from's, which trains the same one.  ix borrows it: from must
 * be freed after ix, and both are taught and read on one thread.
 */
void	 text_index_share_classifier(struct text_index *ix,
	    const struct text_index *from);

/* render.c: templates */

/*
 * Render template key in lang with {name} placeholders replaced from the
 * NULL-terminated list of name, value pairs; unknown placeholders are left
 * as written.  Returns a new string (caller frees).
 */
char	*dialog_render(const struct config *, const char *lang, const char *key,
	    const char *const *vars);

/* The ISO weekday (1 Monday .. 7 Sunday) of time t, seconds, in the zone
 * utc_offset_minutes east of UTC. */
int	 dialog_weekday(int64_t t, int utc_offset_minutes);

/*
 * The deputies a new case of grid g alerts on ISO weekday wday (0: none
 * on duty known): the lead (the grid's first deputy) and each other grid
 * deputy whose duty_weekdays hold wday (代表周三见), in config order, at
 * most max; ids borrowed from the config.  Returns how many.
 */
size_t	 grid_alerted(const struct config *, const struct grid *g, int wday,
	    const char **out, size_t max);

/*
 * The staff[] members of a level, in config order, at most max: township
 * staff of township id, or with township NULL the county office.  Ids
 * borrowed from the config.  Returns how many.
 */
size_t	 staff_of(const struct config *, const char *township, const char **out,
	    size_t max);
#define STAFF_TOLD_MAX	16	/* staff members one message reaches */

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
#define CONV_CHOICES_MAX	32	/* more categories: listed in config order */
struct conv_state {
	enum dialog_state state;
	int		 category;	/* index into config->categories, or -1 */
	int		 grid;		/* index into config->grids, or -1 */
	int		 township;	/* best guess, index into townships, or -1 */
	char		*description;	/* from malloc(), or NULL */
	int		 asked;		/* questions asked without an answer */
	int64_t		 updated_at;	/* last message, seconds */
	char		 lang[3];	/* "zh" or "en" */
	int		 choices[CONV_CHOICES_MAX]; /* DS_ASK_CATEGORY: the list as
					 * shown, likeliest first (indexes into
					 * categories); 其他 follows it */
	size_t		 nchoices;	/* 0: config order */
	int		 places[TEXT_CANDS_MAX]; /* villages whose names sound
					 * alike, to choose from (indexes into grids) */
	size_t		 nplaces;
	bool		 other;		/* the resident chose 其他: unsorted */
	long		 fix;		/* DS_ASK_CATEGORY: the number of the
					 * resident's case whose problem they
					 * are putting right ("不对"), or 0 */
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

/*
 * The county's open cases of one place and category (同类诉求), as the
 * shell loaded them: the first one's number and how many residents have
 * reported it.  A new case of the same place and category from another
 * resident is linked to the first.
 */
struct open_group {
	const char	*grid;		/* grid id */
	const char	*category;	/* category id */
	long		 first;		/* the first open case's number */
	int		 residents;	/* residents who reported it */
};

struct dialog_input {
	int64_t			 now;		/* seconds */
	const char		*channel;	/* channel id */
	const char		*address;	/* sender: E.164 or member id */
	const char		*callback;	/* the sender's number to call back, E.164
						 * (a group member's mobile), or NULL */
	const char		*sender_name;	/* display name the group bridge gave, or NULL */
	const char		*text;		/* raw UTF-8 as received */
	bool			 addressed;	/* spoke to us (groups: mention/keyword) */
	bool			 direct;	/* a whole request (a hotline call): make
						 * the case now, ask nothing */
	int			 grid_hint;	/* grid known from the channel (group), or -1 */
	const struct grid	*grid_given;	/* direct: the grid staff chose (a walk-in
						 * by the API), over what the words name;
						 * borrowed from config, or NULL */
	const struct category	*category_given; /* direct: the category staff chose,
						 * or NULL */
	long			 next_case_number; /* the number a new case gets */
	long			 second_case_number; /* the number a second case
						 * made in the step gets (the open
						 * request, filed as it stands, and a
						 * new one); 0: next_case_number + 1 */
	int			 weekday;	/* today in the config's zone: 1 Monday ..
						 * 7 Sunday (dialog_weekday), 0 unknown:
						 * no duty-day deputy is alerted */
	bool			 opted_out;	/* resident said 退订/STOP */
	bool			 case_limit_reached; /* limits.cases_per_day used up:
						 * no new case, say so */
	const struct case_brief	*cases;		/* resident's cases, newest first */
	size_t			 ncases;
	const struct open_group	*open;		/* the county's open cases by place
						 * and category, or NULL */
	size_t			 nopen;
	bool			 has_conv;	/* a stored conversation exists */
	struct conv_state	 conv;		/* it, when has_conv */
	const struct dialog_msg	*msg;		/* dialog_parse() of text, or NULL:
						 * dialog_step reads it itself */
};

enum effect_kind {
	EFF_REPLY,		/* text to the resident over their channel */
	EFF_CASE_CREATE,	/* a new case: fields in .c */
	EFF_CASE_CANCEL,	/* case .number cancelled by the resident */
	EFF_NOTIFY_DEPUTY,	/* text to deputy .deputy about case .number */
	EFF_OPT_OUT,		/* stop sending to this resident */
	EFF_OPT_IN,		/* resume sending */
	EFF_SET_LANGUAGE,	/* remember .lang for this resident */
	EFF_NOTIFY_STAFF,	/* text to staff member .staff about case .number */
	EFF_CASE_RECATEGORIZE	/* case .number's category put right by its
				 * resident before anyone took it: .c.category,
				 * .c.department, .c.tier */
};

struct new_case {
	long		 number;
	int		 category;	/* index, or -1 */
	int		 grid;		/* index, or -1 (triage) */
	int		 township;	/* index, or -1 */
	const char	*deputy;	/* deputy id it goes to, borrowed from config; NULL
					 * for the county office's triage queue */
	const char	*department;	/* default department id, or NULL; borrowed */
	int		 tier;
	bool		 triage;	/* place unknown: sent to the township chair when
					 * the township is known, else to the county
					 * staff (the first township's chair when the
					 * config has no county staff) */
	long		 linked_to;	/* the open case of the same place and
					 * category it joins, or 0 */
	int		 reporters;	/* residents who reported it, this one too */
};

struct effect {
	enum effect_kind kind;
	char		*text;		/* EFF_REPLY, EFF_NOTIFY_DEPUTY: from malloc() */
	char		*description;	/* EFF_CASE_CREATE: from malloc() */
	char		*place;		/* EFF_CASE_CREATE: place as named, from malloc() */
	const char	*deputy;	/* EFF_NOTIFY_DEPUTY: borrowed from config */
	const char	*staff;		/* EFF_NOTIFY_STAFF: staff id, borrowed from config */
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
/*
 * The message read once: trimmed, folded, and its command, choice, category
 * and place found.  It needs only the text and the config, so a webhook's
 * own thread reads it before the writer runs the step (dialog_input.msg).
 * It never reads the index's classifier: dialog_step does, on the writer,
 * the one thread that may teach it (text_index_learn) while serving.
 * NULL only when text is NULL.
 */
struct dialog_msg;
struct dialog_msg *dialog_parse(const struct config *, const struct text_index *,
	    const char *text);
void	 dialog_msg_free(struct dialog_msg *);
/* The place and problem the message names by itself (indexes into grids and
 * categories, or -1): what a step will most likely file it under. */
void	 dialog_msg_names(const struct dialog_msg *, int *grid, int *category);

int	 dialog_step(const struct config *, const struct text_index *,
	    const struct dialog_input *, struct dialog_result *);

/*
 * workflow.c, staff.c, schedule.c: the case workflow (statuses and the
 * table of allowed transitions), staff commands by reply (代表定单, 人大派单,
 * 办单), ratings (群众评单) and the scheduler's rules (督单).  All pure: the
 * shell loads the case, calls one of these, and applies the staff effects
 * in the transaction that stores the message (or the timer's tick).
 */

enum case_status {
	CS_RECEIVED,		/* new, or transferred: waits for a deputy's 接单 */
	CS_ACCEPTED,		/* a deputy took it */
	CS_DISPATCHED,		/* sent to a department with a due date */
	CS_IN_PROGRESS,		/* the department reported progress */
	CS_RESOLVED,		/* result given; the resident's rating awaited */
	CS_CLOSED,		/* rated (or not, in time): the end */
	CS_REOPENED,		/* rated 1-2: handed back to the deputy */
	CS_DECLINED,		/* not a matter for this channel: the end */
	CS_CANCELLED		/* withdrawn by the resident: the end */
};
#define CS_COUNT	(CS_CANCELLED + 1)
const char	*case_status_name(enum case_status);	/* "in_progress"; static */
int		 case_status_parse(const char *name, enum case_status *);	/* 0 or -1 */
bool		 case_status_is_open(enum case_status);	/* not closed, declined, cancelled */
/* The status as people read it, from the templates ("办理中"); borrowed. */
const char	*case_status_label(const struct config *, const char *lang, enum case_status);

/* What may happen to a case: each action moves it along the table. */
enum case_action {
	CA_ACCEPT,		/* 接单 by a deputy */
	CA_DISPATCH,		/* 派单 to a department */
	CA_NOTE,		/* 进展 by a deputy: status kept */
	CA_DEPT_NOTE,		/* 进展 by the department: dispatched -> in_progress */
	CA_RESOLVE,		/* 办结 by a deputy (solved on the spot, or for the department) */
	CA_DEPT_RESOLVE,	/* 办结 by the department */
	CA_TRANSFER,		/* 转 to another deputy: received again */
	CA_DECLINE,		/* 退回 with a reason */
	CA_RATE_CLOSE,		/* rated 3-5 */
	CA_RATE_REOPEN,		/* rated 1-2 */
	CA_CLOSE_UNRATED,	/* no rating in time (scheduler) */
	CA_CANCEL,		/* withdrawn by the resident */
	CA_DEPT_RETURN,		/* 退回 by the department: back to the deputy side */
	CA_CLOSE		/* 结案 by staff, with a reason: a duplicate, or a
				 * resolved case whose rating never came */
};
#define CA_COUNT	(CA_CLOSE + 1)
const char	*case_action_name(enum case_action);	/* "dept_note"; static */
/* The case event kind an action records ("accepted", "note", ...); static. */
const char	*case_action_event(enum case_action);

/*
 * The transition table: 0 and *to set when action is allowed from from,
 * else -1.  workflow_refusal() names the template that says why not (its
 * placeholders: number, status); static string.
 */
int		 workflow_next(enum case_action, enum case_status from, enum case_status *to);
const char	*workflow_refusal(enum case_action, enum case_status from);

/* cases.flags bits: the dialogs set them, the gateway stores and shows them */
#define CASE_FLAG_TRIAGE	0x01	/* place unknown: a township chair sorts it */
#define CASE_FLAG_ESCALATED	0x02	/* the scheduler escalated it (sticky) */
#define CASE_FLAG_OVERDUE	0x04	/* it went past its due date (sticky) */
#define CASE_FLAG_REMINDED	0x08	/* a deputy was reminded to accept it (sticky) */

/* One stored case event, as the shell loaded it. */
struct case_event_view {
	int64_t		 at;
	const char	*actor;		/* "deputy:d-niu", "department:water", "resident", "scheduler" */
	const char	*kind;		/* "accepted", "note", ... */
	const char	*from_status;	/* or NULL */
	const char	*to_status;	/* or NULL */
	const char	*detail;	/* or NULL */
};

/*
 * A case as the shell loaded it: every column, borrowed for the call.
 * Timestamps are seconds, 0 when not (yet) set.  The scheduler's rules
 * read assigned_at (when the current deputy got it: created, transferred,
 * reopened; 0 = created_at), reminded_at (the last reminder of any kind)
 * and escalated_at, so that a rule fires once whatever restarts happen.
 * Schema v1 has no columns for those three (nor dispatched_at): store
 * them, or load them from case_events (the last event whose to_status is
 * received or reopened; the last "reminded" or "overdue"; the last
 * "escalated").
 */
struct case_view {
	long		 number;
	const char	*status;	/* "received", ... */
	const char	*channel;	/* channel id it came in on */
	const char	*citizen;	/* E.164 or member id */
	const char	*grid;		/* grid id, or NULL (triage) */
	const char	*township;	/* township id, or NULL */
	const char	*category;	/* category id, or NULL */
	int		 tier;
	const char	*description;
	const char	*place;		/* as the resident named it, or NULL */
	const char	*deputy;	/* deputy id, or NULL */
	const char	*department;	/* department id, or NULL: the lead (主办) */
	const char	*assist;	/* assisting (协办) department ids, ","-joined, or NULL */
	const char	*instruction;	/* what the 交办 asks, or NULL */
	const char	*supervisors;	/* an adopted 民生实事 project's supervising
					 * deputy ids, ","-joined, or NULL */
	const char	*language;	/* "zh" or "en": the resident's */
	int		 flags;		/* CASE_FLAG_* */
	int		 rating;	/* 1..5, 0 none */
	int64_t		 created_at;
	int64_t		 assigned_at;
	int64_t		 accepted_at;
	int64_t		 dispatched_at;
	int64_t		 due_at;
	int64_t		 resolved_at;
	int64_t		 closed_at;
	int64_t		 reminded_at;
	int64_t		 escalated_at;
	const struct case_event_view *events;	/* the last few, newest first */
	size_t		 nevents;
};

/* Columns of one case to change: NULL / 0 fields are left as they are. */
struct case_update {
	const char	*status;	/* static name, or NULL */
	const char	*deputy;	/* borrowed from config, or NULL */
	const char	*department;	/* borrowed from config, or NULL */
	const char	*grid;		/* borrowed from config, or NULL */
	const char	*township;	/* borrowed from config, or NULL */
	int		 flags_set;	/* CASE_FLAG_* bits to set */
	int		 flags_clear;	/* CASE_FLAG_* bits to clear (after flags_set) */
	int		 tier;		/* 1..3, or 0 */
	int		 rating;	/* 1..5, or 0 */
	char		*rating_comment; /* with rating: from malloc(), or NULL */
	char		*assist;	/* from malloc(), or NULL; "" clears */
	char		*instruction;	/* from malloc(), or NULL; "" clears */
	int64_t		 assigned_at;
	int64_t		 accepted_at;
	int64_t		 dispatched_at;
	int64_t		 due_at;
	int64_t		 resolved_at;
	int64_t		 closed_at;
	int64_t		 reminded_at;
	int64_t		 escalated_at;
};

enum staff_effect_kind {
	SE_CASE_UPDATE,		/* change case .number: .update */
	SE_CASE_EVENT,		/* add an event to case .number */
	SE_REPLY,		/* .text to the sender, on the channel it wrote on */
	SE_TO_RESIDENT,		/* .text to case .number's citizen, on the case's channel */
	SE_TO_DEPUTY,		/* .text to deputy .to */
	SE_TO_DEPARTMENT,	/* .text to department .to */
	SE_TO_STAFF,		/* .text to staff[] member .to */
	SE_ONBEHALF		/* 代办: make a case for resident .detail (E.164)
				 * from request .text, filed by .actor, through
				 * the resident dialog; no case number yet */
};

/*
 * One effect.  Messages carry the outbox kind and when they may go: urgent
 * ones at once, the others (reminders, rating prompts) at not_before,
 * which is now or the end of the quiet hours (quiet_release()).
 */
struct staff_effect {
	enum staff_effect_kind kind;
	long		 number;	/* the case it is about, 0 for none */
	struct case_update update;	/* SE_CASE_UPDATE */
	char		*actor;		/* SE_CASE_EVENT: from malloc() */
	const char	*event;		/* SE_CASE_EVENT: kind, static */
	const char	*from_status;	/* SE_CASE_EVENT: static, or NULL */
	const char	*to_status;	/* SE_CASE_EVENT: static, or NULL */
	char		*detail;	/* SE_CASE_EVENT: from malloc(), or NULL */
	char		*text;		/* messages: from malloc() */
	const char	*to;		/* SE_TO_DEPUTY/_DEPARTMENT/_STAFF: id, borrowed from config */
	const char	*msg_kind;	/* messages: outbox kind ("reply", "notice", "alert", "reminder", "rating"); static */
	bool		 urgent;	/* messages: not held by quiet hours */
	int64_t		 not_before;	/* messages: send at or after */
	char		 lang[3];	/* messages: "zh" or "en" */
};

struct staff_result {
	struct staff_effect *effects;	/* from malloc() */
	size_t		 neffects;
	size_t		 cap;
};
void	 staff_result_clear(struct staff_result *);	/* frees every effect, zeroes */
/* A new zeroed effect appended to res; borrowed until the next add. */
struct staff_effect *staff_result_add(struct staff_result *, enum staff_effect_kind,
	    long number);
/* The first effect of kind in res, or NULL; borrowed. */
const struct staff_effect *staff_result_find(const struct staff_result *,
	    enum staff_effect_kind);

/*
 * Append the update and the event of one transition of case c (the caller
 * checked workflow_next): status, the timestamp the new status stamps,
 * and an event by actor with detail (copied; may be NULL).  Returns the
 * update to amend (borrowed until the next add), or NULL when the action
 * is not allowed from c's status.
 */
struct case_update *workflow_apply(struct staff_result *, const struct case_view *,
	    enum case_action, const char *actor, const char *detail, int64_t now);

/*
 * Render template key like dialog_render(), but so that the text fits two
 * SMS segments: the value of the variable named cut (may be NULL) is cut
 * with an ellipsis until it does, and as a last resort the text itself.
 * Returns a new string (caller frees).
 */
char	*staff_render_fit(const struct config *, const char *lang, const char *key,
	    const char *const *vars, const char *cut);
#define STAFF_MAX_SEGMENTS 2

/* A date and time in the zone utc_offset_minutes east of UTC: zh
 * "11月25日18:00", en "2026-11-25 18:00"; written into out. */
void	 staff_fmt_time(int64_t t, int utc_offset_minutes, const char *lang,
	    char *out, size_t outsz);
/* The day alone, as residents read a due date: zh "12月8日", en "2026-12-08". */
void	 staff_fmt_day(int64_t t, int utc_offset_minutes, const char *lang,
	    char *out, size_t outsz);

/* staff.c: the staff commands */

enum staff_cmd_kind {
	SC_NONE,		/* not a staff command */
	SC_ACCEPT,		/* 接单 N / ACCEPT N */
	SC_DISPATCH,		/* 派单 N 部门 [天数] / DISPATCH N dept [days] */
	SC_NOTE,		/* 进展 N 文字 / NOTE N text */
	SC_RESOLVE,		/* 办结 N 文字 / RESOLVE N text */
	SC_TRANSFER,		/* 转 N 代表或网格 / TRANSFER N to */
	SC_DECLINE,		/* 退回 N 理由 / DECLINE (REJECT) N reason */
	SC_LIST,		/* 列表 / LIST */
	SC_SHOW,		/* 查 N / SHOW N */
	SC_HELP,		/* 帮助 / HELP */
	SC_ESCALATE,		/* 上报 N [理由] / ESCALATE N [reason]: one tier up */
	SC_TRIAGE,		/* 分办 N 村名或网格 / TRIAGE N place */
	SC_PRESS,		/* 督办 N 文字 / PRESS N text: to the department */
	SC_ONBEHALF,		/* 代办 手机号 诉求 / ONBEHALF phone text */
	SC_CLOSE		/* 结案 N 理由 / CLOSE N reason: staff close it */
};
const char	*staff_cmd_name(enum staff_cmd_kind);	/* "accept"; static */

struct staff_cmd {
	enum staff_cmd_kind kind;
	long		 number;	/* the case, or -1 (none given, or LIST/HELP) */
	char		*target;	/* DISPATCH: department, TRANSFER: deputy or grid, TRIAGE: grid, ONBEHALF: phone, as written; from malloc() or NULL */
	char		*text;		/* NOTE, RESOLVE, PRESS, ONBEHALF: text; DECLINE, ESCALATE, CLOSE: reason; DISPATCH: what is to be done; raw, trimmed; from malloc() or NULL */
	int		 days;		/* DISPATCH: days given, or 0 */
	const char	*usage;		/* malformed: the usage template key; static, else NULL */
	char		 lang[3];	/* "en" when the command word was English, else "zh" */
};
void	 staff_cmd_clear(struct staff_cmd *);

/*
 * Parse a staff command from raw text.  Command words in Chinese (also
 * Traditional) or English (any case), glued to the number or not, "#"
 * before the number allowed, full-width digits folded; the free text is
 * kept raw.  Returns 0 when the text is a staff command (cmd->usage set
 * when it is malformed), -1 when it is not one (kind SC_NONE): the shell
 * may then treat it as a resident's message.  Fills cmd (caller clears).
 */
int	 staff_parse(const char *text, struct staff_cmd *);

/* The deputy and department whose phone e164 is (borrowed, or NULL each);
 * true when the number is staff's: a deputy's, a department's, a staff[]
 * member's or an observer's (config_staff_by_phone and
 * config_observer_by_phone name the latter two). */
bool	 staff_identify(const struct config *, const char *e164,
	    const struct deputy **, const struct department **);

struct staff_input {
	int64_t			 now;		/* seconds */
	int			 utc_offset_minutes; /* the config zone's, at now */
	const char		*phone;		/* sender, E.164 */
	const struct deputy	*deputy;	/* sender as a deputy, or NULL; borrowed from config */
	const struct department	*department;	/* sender as a department contact, or NULL */
	const struct staff_member *staff;	/* sender as a staff[] member (county office,
						 * township presidium or station), or NULL */
	const struct observer	*observer;	/* sender as an observers[] entry, or NULL */
	const char		*text;		/* raw UTF-8 as received */
	const struct staff_cmd	*cmd;		/* or the command already parsed
						 * (the API's actions), used instead
						 * of text; borrowed, or NULL */
	const struct case_view	*kase;		/* the case the command names, or NULL if none */
	const struct case_view	*mine;		/* LIST: open cases the sender may see, a
						 * superset: staff_sees() picks them */
	size_t			 nmine;
};

/*
 * Does the sender of in see case c in its LIST?  A deputy: cases it holds,
 * open cases of a grid it is listed in, and, as a township chair, every
 * open case of the township.  Township staff: the township's open cases.
 * County staff: the triage queue (place unknown, not yet taken) and tier-3
 * cases waiting for dispatch.  A department: cases dispatched to it.
 */
bool	 staff_sees(const struct config *, const struct staff_input *,
	    const struct case_view *c);

/*
 * Where a case filed on behalf (代办) by the sender of in is placed when
 * the request names no place: an observer's grid, a deputy's first grid;
 * index into config->grids, or -1.
 */
int	 staff_onbehalf_grid(const struct config *, const struct staff_input *);

/*
 * One staff command: checks who may do it, moves the case along the
 * workflow, and says who is told what.  A refusal changes nothing: res
 * then holds one SE_REPLY.  Pure.  Fills res (caller clears it); returns
 * 0, or -1 if the input is unusable (no text, no cmd).  tix may be NULL.
 */
int	 staff_step(const struct config *, const struct text_index *,
	    const struct staff_input *, struct staff_result *);

/*
 * Ratings (群众评单).  rating_parse reads 1-5 (also full-width and 一..五,
 * with a unit: 5分, 五星, 5 stars), 满意 / 基本满意 / 不满意 (5 / 3 / 1),
 * satisfied / fair / unsatisfied, or an everyday word standing alone
 * (很好 5, 好 / 挺好的 / good 4, 一般 / 还行 3, 不太好 2, 差 / 不好 / bad 1)
 * at the start of raw, with an optional comment after it; returns 0 with
 * *score and *comment (borrowed from raw, "" when none) set, or -1.
 */
int	 rating_parse(const char *raw, int *score, const char **comment);

/*
 * The resident's rating of resolved case c: 3-5 closes it, 1-2 reopens it
 * (the deputy and the township chair are told); the resident gets a
 * reply.  Returns 0 with res filled, -1 when raw is no rating or c is not
 * resolved (res untouched).
 */
int	 rating_step(const struct config *, const struct case_view *, const char *raw,
	    int64_t now, struct staff_result *);

/* schedule.c: the scheduler's rules (督办) */

/*
 * t, or when t falls in the quiet hours (config quiet_start..quiet_end,
 * local time utc_offset_minutes east of UTC; the period may cross
 * midnight; start == end means none), the end of that quiet period.
 */
int64_t	 quiet_release(const struct config *, int64_t t, int utc_offset_minutes);

/*
 * What is due for case c at now: an accept reminder to its deputy after
 * accept_hours, escalation to the grid's backup and the township chair
 * after escalate_hours, overdue reminders to the department and the
 * deputy once a day past due_at, a rating reminder after rating_hours
 * and closing unrated after twice that.  Decisions come from the stored
 * timestamps, so each fires once.  Fills res (caller clears); returns
 * the number of rules that fired.
 */
int	 schedule_step(const struct config *, const struct case_view *, int64_t now,
	    int utc_offset_minutes, struct staff_result *);
/* When schedule_step next has something to do for c (may be <= now), or 0
 * for never (a closed case). */
int64_t	 schedule_next(const struct config *, const struct case_view *);

/* evaluation.c: 民主评议, 票决 and 履职考核 rules (README "民主评议") */

enum eval_kind {		/* an evaluator's kind; the first three are
				 * "ordinary people" for the quotas */
	EK_ENTERPRISE,
	EK_RESIDENT,
	EK_VILLAGER,
	EK_DEPUTY,
	EK_SUPERVISOR,
	EK_COUNT
};
int		 eval_kind_parse(const char *);	/* -1 when unknown */
const char	*eval_kind_name(int);

/*
 * The quota problems of one township's pool (counts per kind), one line
 * each into errs, the township id as the path.  Returns how many.
 */
size_t		 eval_pool_check(const struct config *, const char *township,
		    const size_t counts[EK_COUNT], struct config_errors *errs);

struct eval_member {
	const char	*phone;		/* E.164, borrowed: the stable sort key */
	int		 kind;		/* enum eval_kind */
};
/* The k-th number of the draw's generator: the first 8 bytes, big-endian,
 * of SHA-256("SEED|TOWNSHIP|k"). */
uint64_t	 eval_prng(const char *seed, const char *township, uint64_t k);
/*
 * Draw count of the n members of one township's pool: sort by phone,
 * shuffle (Fisher-Yates from the end, j = eval_prng(k) mod (i + 1)), then
 * take, in shuffled order, each kind's quota, then ordinary people up to
 * theirs, then anyone up to count.  out (count slots) receives indices
 * into pool, in shuffled order.  0, or -1 with a reason in err.
 */
int		 eval_draw(const struct config *, const char *seed,
		    const char *township, const struct eval_member *pool,
		    size_t n, size_t count, size_t *out, char *err, size_t errsz);

enum eval_input {
	EI_NONE,		/* not an answer: ask again */
	EI_ANSWERS,		/* answers[] updated */
	EI_STOP			/* 退订 / STOP: the resident dialog's business */
};
/*
 * An evaluator's (vote false) or deputy's (vote true) reply to question
 * cur of nq: one value for it, bare values for it and the next ones
 * ("1 2 1"), or a lettered line for any ("A1 B2 C满意"; A is question 0).
 * Evaluation values are points 0..100, the choices 1 2 3 (满意, 基本满意,
 * 不满意) counting as evaluation.choice_scores; vote values are 1 同意,
 * 2 不同意, 3 弃权.  answers[nq] changes only when the whole text parses.
 */
enum eval_input	 eval_parse_answers(const struct config *, bool vote,
		    const char *raw, size_t nq, size_t cur, int *answers);

/* A copy of s (caller frees) with the full-width separators ， 、 ； and the
 * ideographic space turned into ASCII ',' so that strtok can split it. */
char		*eval_split_copy(const char *s);
/* Could raw be meant as an answer (only letters, digits and the answer
 * words), so that one that does not parse is asked again rather than
 * taken for a request or a staff command? */
bool		 eval_looks_like_answer(const char *raw);
double		 eval_round1(double);		/* to one decimal */
/* 日常评议 out of 100 from satisfaction and on-time rate (each 0..100, or
 * -1 when there is none): their mean, or the one there is, or -1. */
double		 eval_daily(double satisfaction, double on_time);
/* daily_weight × daily + concentrated_weight × concentrated, to one
 * decimal; a part that is -1 (no record) leaves the other alone. */
double		 eval_combine(const struct config *, double daily, double concentrated);

struct eval_result {
	const char	*unit;		/* department id, borrowed */
	const char	*township;	/* "" for county-wide units */
	const char	*type;
	double		 score;		/* out of 100, or -1 */
	bool		 overridden;	/* placed last (canvassing) */
	bool		 criticised_before; /* 通报 in the year before */
	int		 rank;		/* out: 1.. within township and type */
	int		 group_size;	/* out */
	bool		 under;		/* out: under evaluation.flag_under */
	bool		 criticised;	/* out: last and (under or overridden): 通报 */
	bool		 admonished;	/* out: criticised two years running: 诫勉 */
};
/* Rank within (township, type), an overridden unit last, and set flags. */
void		 eval_rank(const struct config *, struct eval_result *, size_t n);

enum duty_kind { DUTY_STATION, DUTY_VISIT, DUTY_REPORT, DUTY_SUGGESTION,
	DUTY_INSPECTION };
struct duty_cmd {
	enum duty_kind	 kind;
	int		 count;		/* people received / visited; 1 else */
	const char	*text;		/* the rest, borrowed from raw ("" none) */
};
/* 进站 [N] · 走访 N [备注] · 民意 文字 · 建议 文字 · 视察 [备注] (STATION,
 * VISIT, REPORT, SUGGEST, INSPECT): 0 parsed, 1 the command word with bad
 * arguments, -1 none. */
int		 eval_parse_duty(const char *raw, struct duty_cmd *);
/* The weighted 履职 score: Σ assessment.weights[i] × values[i], 1 decimal. */
double		 assess_score(const struct config *, const double values[ASSESS_COUNT]);
int		 assess_stars(const struct config *, double score);	/* 1..5 */

#endif /* MINYI_DIALOGS_H */
