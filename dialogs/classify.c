/*
 * dialogs/classify.c: learned categories.  A multinomial naive Bayes
 * classifier over character n-grams, so that a message that names no
 * keyword ("晚上出门啥也看不见") still finds its category.
 *
 * Features of a text: each pair of neighbouring Han characters, each
 * pair's pinyin (so a homophone typo still counts), each English word and
 * pair of words, and single Han characters (but the commonest function
 * characters), which are learned only from one-character words (灯, 坑).  It is trained from the config (each category's name,
 * English name and keywords, weighted up), from the built-in everyday
 * words of the problems counties see (the groups below, joined to a
 * category through its keywords or name), from other counties' residents'
 * messages (learn_examples(): the corpus, counted at build time), and
 * from the final category of the county's closed cases, which the shell
 * hands to text_index_learn().
 * Features never seen in training are ignored; classes share a uniform
 * prior, so the office's corrections move the words, not the base rates.
 * Pure: no I/O, no clock.
 */
#include "dialogs.h"
#include "lexicon.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define NB_ALPHA	0.05	/* additive smoothing */
#define NB_W_CONFIG	3.0	/* weight of a config name or keyword */
#define NB_W_LEXICON	1.0	/* weight of a built-in word */
#define NB_W_CASE	0.25	/* weight of a closed case's text */
#define NB_W_EXAMPLE	0.5	/* weight of another county's message */
#define EXAMPLE_JOIN	2	/* keywords two categories share to be one */
#define EXAMPLE_MIN	2	/* messages that teach a word no other does */
#define EXAMPLE_SHARE	0.95	/* of what messages and cases taught of a
				 * word they alone taught, a category's
				 * share for it to count there */
#define EXAMPLE_LIFT	4	/* times more often than in all messages: a
				 * category's word (the tool below) */
#define FEAT_MAX	64	/* bytes of one feature */
#define FEAT_BLOCK	131072	/* floats of a block of features' arrays */
#define FEAT_SLOTS	65536	/* a classifier's first slots: a county's
				 * words with the examples' take half */
#define NB_SOLE		0.95	/* the least a category whose words alone
				 * are said counts (classifier_rank) */
#define NB_SOUND	0.4	/* the most a category only the sound of
				 * its words names counts (大件: 搭建) */
#define NB_DOUBT	0.8	/* the most a category counts when all
				 * that is written of it is one piece of a
				 * longer built-in word */

/*
 * What any complaint says, whatever it is about: a background class that
 * these train.  When a text says only this, the background takes the
 * probability and no category is guessed ("这个问题好几天了没人管").
 */
static const char *const background[] = {
	"问题", "没人管", "没人", "好几天", "一直", "反映", "投诉", "事",
	"事情", "情况", "解决", "处理", "麻烦", "请问", "怎么", "怎么办",
	"什么时候", "多久", "半个月", "一个月", "几天", "好久", "谁", "管",
	"不管", "领导", "政府", "村委", "干部", "坏了", "坏", "有点", "想",
	"一下", "帮忙", "看看", "不行", "严重", "很久", "老是", "又",
	"problem", "issue", "help", "days", "week", "month", "broken",
	"again", "still", "nobody", "please", "fix"
};

/* Characters too common to say anything alone (pairs still count). */
static const char stop_han[] =
    "的了是我你他她们在有没不很太也还就都吗呢啊吧村社区镇乡这那个一上"
    "里下大小天人好要会去来说到着把被给让得地和与及又再才啥咋么";
static const char *const stop_en[] = {
	"i", "im", "me", "my", "we", "our", "us", "am", "is", "are", "was",
	"the", "a", "an", "in", "at", "on", "of", "to", "from", "here", "there",
	"this", "that", "village", "community", "please", "and", "also", "no",
	"not", "for", "since", "has", "have", "had", "been", "it", "its", "be",
	"with", "by", "as", "out", "off", "every", "all", "don", "t", "s",
	"cun", "town", "township"
};

struct nb_feat {
	char	*key;		/* NULL: empty slot */
	uint64_t hash;		/* feat_hash(key): probes compare it first,
				 * and growing does not hash again */
	bool	 own_key;	/* key from malloc(), else a built-in string */
	float	*count;		/* [nclass], from the classifier's blocks
				 * (feat_arrays), as are the three below;
				 * float, half a double's memory, holds
				 * every sum exactly: each weight is a
				 * multiple of a quarter (NB_W_*) */
	float	*whole;		/* [nclass]: of count, what was learned as a
				 * whole word, not as a piece of a longer
				 * built-in word (一片 of 一片黑) */
	float	*cased;		/* [nclass]: of count, what closed cases
				 * taught */
	float	*shown;		/* [nclass]: of count, what other counties'
				 * messages taught (learn_examples): it
				 * weighs in the likelihood, but alone
				 * decides nothing (counted, rank_as) */
};

struct classifier {
	size_t		 nclass;
	struct nb_feat	*v;		/* open addressing, from malloc() */
	size_t		 cap, n;
	double		*total;		/* [nclass]: feature weight per class */
	double		*total_shown;	/* [nclass]: of total, other counties'
					 * messages' */
	float		**blocks;	/* the features' arrays, carved from
					 * these (FEAT_BLOCK each) */
	size_t		 nblocks, block_used;
	size_t		 learned;	/* closed cases learned */
	bool		 cases;		/* learning a closed case's text */
	bool		 examples;	/* ... or another county's message */
	bool		 static_keys;	/* keys added are built-in strings */
	char		**said;		/* [nclass - 1]: each category's name
					 * and keywords, folded, from malloc():
					 * a character of one is no other
					 * category's sole clue (黄 of 黄河) */
};

static uint64_t
feat_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of key, of hash h (feat_hash() of it): where it is, or the
 * empty one where it would go. */
static struct nb_feat *
feat_slot_h(const struct classifier *cl, const char *key, uint64_t h)
{
	size_t			 i = (size_t)(h & (cl->cap - 1));
	const struct nb_feat	*s;

	for (;; i = (i + 1) & (cl->cap - 1)) {
		s = &cl->v[i];
		if (s->key == NULL || (s->hash == h && (s->key == key ||
		    strcmp(s->key, key) == 0)))
			return &cl->v[i];
	}
}

static struct nb_feat *
feat_slot(const struct classifier *cl, const char *key)
{
	return feat_slot_h(cl, key, feat_hash(key));
}

/* Twice the slots (FEAT_SLOTS at first), once three quarters are taken
 * (feat_full()). */
static void
feat_grow(struct classifier *cl)
{
	struct nb_feat	*old = cl->v;
	size_t		 oldcap = cl->cap, i, j;

	cl->cap = oldcap ? oldcap * 2 : FEAT_SLOTS;
	cl->v = xcalloc(cl->cap, sizeof(*cl->v));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		/* the keys are apart: the first empty slot from its hash */
		for (j = (size_t)(old[i].hash & (cl->cap - 1));
		    cl->v[j].key != NULL; j = (j + 1) & (cl->cap - 1))
			;
		cl->v[j] = old[i];
	}
	free(old);
}

/* The feature key of cl, or NULL when never learned. */
static const struct nb_feat *
feat_find(const struct classifier *cl, const char *key)
{
	const struct nb_feat	*s = feat_slot(cl, key);

	return s->key != NULL ? s : NULL;
}

/* Room for a feature's four arrays of nclass: from the last block, a
 * malloc() per feature being most of a county's start. */
static float *
feat_arrays(struct classifier *cl)
{
	size_t	 need = 4 * cl->nclass;
	float	*p;

	if (cl->nblocks == 0 || cl->block_used + need > FEAT_BLOCK) {
		cl->blocks = xrealloc(cl->blocks, (cl->nblocks + 1) *
		    sizeof(*cl->blocks));
		cl->blocks[cl->nblocks++] = xcalloc(need > FEAT_BLOCK ? need :
		    FEAT_BLOCK, sizeof(**cl->blocks));
		cl->block_used = 0;
	}
	p = cl->blocks[cl->nblocks - 1] + cl->block_used;
	cl->block_used += need;
	return p;
}

/* Add w to class c of feature key, of hash h, at slot s (feat_slot_h()
 * of it, with room for one more). */
static void
feat_add_at(struct classifier *cl, struct nb_feat *s, const char *key,
    uint64_t h, int c, double w, bool whole)
{
	if (s->key == NULL) {
		/* an example's key is the built-in string (learn_examples) */
		s->key = cl->static_keys ? (char *)(uintptr_t)key : xstrdup(key);
		s->hash = h;
		s->own_key = !cl->static_keys;
		/* the four arrays, one after the other */
		s->count = feat_arrays(cl);
		s->whole = s->count + cl->nclass;
		s->cased = s->count + 2 * cl->nclass;
		s->shown = s->count + 3 * cl->nclass;
		cl->n++;
	}
	s->count[c] += (float)w;
	if (whole)
		s->whole[c] += (float)w;
	if (cl->cases)
		s->cased[c] += (float)w;
	if (cl->examples) {
		s->shown[c] += (float)w;
		cl->total_shown[c] += w;
	}
	cl->total[c] += w;
}

/* Is there no room for one more feature (three quarters taken)? */
static bool
feat_full(const struct classifier *cl)
{
	return (cl->n + 1) * 4 > cl->cap * 3;
}

static void
feat_add(struct classifier *cl, const char *key, int c, double w, bool whole)
{
	uint64_t	 h = feat_hash(key);

	if (feat_full(cl))
		feat_grow(cl);
	feat_add_at(cl, feat_slot_h(cl, key, h), key, h, c, w, whole);
}

static bool
stop_word(const char *w)
{
	size_t	 i;

	for (i = 0; i < nitems(stop_en); i++)
		if (strcmp(w, stop_en[i]) == 0)
			return true;
	return false;
}

/* Is the character (UTF-8, len bytes) one of stop_han? */
static bool
stop_char(const char *c, size_t len)
{
	char	 cs[8];

	if (len >= sizeof(cs))
		return false;
	memcpy(cs, c, len);
	cs[len] = '\0';
	return strstr(stop_han, cs) != NULL;
}

typedef void (*feat_fn)(void *arg, const char *feat);

/* Does w (of n letters) end in suffix? */
static bool
ends_in(const char *w, size_t n, const char *suffix)
{
	size_t	 l = strlen(suffix);

	return n > l && strcmp(w + n - l, suffix) == 0;
}

/*
 * An English word without its inflection, so that flooded, flooding and
 * floods are flood, potholes pothole, potatoes potato: a few suffixes
 * off words long enough to keep a stem (both in learning and in ranking,
 * so a stem only has to be the same, not a word).
 */
static void
stem(char *w)
{
	size_t	 n = strlen(w);

	if (n > 5 && ends_in(w, n, "ies"))
		strlcpy(w + n - 3, "y", 2);
	else if (n > 5 && ends_in(w, n, "ing"))
		w[n - 3] = '\0';
	else if (n > 4 && ends_in(w, n, "ed"))
		w[n - 2] = '\0';
	else if (n > 4 && (ends_in(w, n, "ches") || ends_in(w, n, "shes") ||
	    ends_in(w, n, "ses") || ends_in(w, n, "xes") ||
	    (n > 5 && ends_in(w, n, "oes"))))	/* potatoes: potato */
		w[n - 2] = '\0';
	else if (n > 3 && w[n - 1] == 's' && !ends_in(w, n, "ss") &&
	    !ends_in(w, n, "us") && !ends_in(w, n, "is"))
		w[n - 1] = '\0';
}

/* An English word ends: itself, and the pair with the word before. */
static void
word_end(char *word, size_t *wl, char *prev, feat_fn fn, void *arg)
{
	char	 feat[FEAT_MAX * 2 + 4];

	if (*wl == 0)
		return;
	word[*wl] = '\0';
	*wl = 0;
	if (stop_word(word)) {
		prev[0] = '\0';
		return;
	}
	stem(word);
	snprintf(feat, sizeof(feat), "w:%s", word);
	fn(arg, feat);
	if (prev[0] != '\0') {
		snprintf(feat, sizeof(feat), "W:%s_%s", prev, word);
		fn(arg, feat);
	}
	strlcpy(prev, word, FEAT_MAX);
}

/*
 * Is the character c:X (feat) read inside a word that cl learned for
 * other categories only: the pair (pl bytes at pair) it makes with a
 * neighbour is a whole word of some category's (not a piece of a longer
 * one: 塌了 of 路塌了), and no category of X's has it?  电 of 电锤
 * (noise) says no power cut, 黄 of 黄瓜 (greenhouses) no yellow water.
 */
static bool
piece_of_other(const struct classifier *cl, const char *feat,
    const char *pair, size_t pl)
{
	const struct nb_feat	*x, *b;
	char			 key[FEAT_MAX];
	size_t			 c;
	bool			 other = false;

	if (pl + 3 > sizeof(key) || (x = feat_find(cl, feat)) == NULL)
		return false;
	snprintf(key, sizeof(key), "b:%.*s", (int)pl, pair);
	if ((b = feat_find(cl, key)) == NULL)
		return false;
	for (c = 0; c + 1 < cl->nclass; c++) {
		if (b->count[c] > 0 && x->count[c] > 0)
			return false;
		/* a word the county or the built-in lists hold, not a
		 * pair other counties' messages happen to say (天吵 of 每天
		 * 吵到凌晨) */
		other = other || b->whole[c] > b->shown[c];
	}
	return other;
}

/*
 * Call fn with every feature of raw, folded with word gaps: each Han
 * character but the stop ones (when uni; with cl, not one read inside
 * another category's word: piece_of_other), each pair of neighbouring
 * Han characters and the pair's pinyin, each English word (letters and
 * digits) and each pair of neighbouring English words.
 */
static void
features(const struct classifier *cl, const char *raw, bool uni, feat_fn fn,
    void *arg)
{
	char		*w = text_fold_words(raw), *f = text_dialect(w);
	char		 feat[FEAT_MAX * 2 + 4], word[FEAT_MAX], prev[FEAT_MAX] = "";
	char		 sa[16], sb[16];
	const char	*p = f, *start, *hprev = NULL, *next;
	uint32_t	 c, pc = 0, nc;
	size_t		 wl = 0, l, hl = 0;
	int		 r;

	text_figures_blank(f);
	for (;;) {
		start = p;
		if ((r = utf8_decode(&p, &c)) == 0)
			break;
		if (r < 0) {
			p = start + 1;
			c = 0xFFFD;
		}
		l = (size_t)(p - start);
		if (c < 0x80 && c != ' ') {
			if (wl + 1 < sizeof(word))
				word[wl++] = (char)c;
			hprev = NULL;
			continue;
		}
		word_end(word, &wl, prev, fn, arg);
		if (c == ' ' || c == 0xFFFD) {
			hprev = NULL;
			continue;
		}
		prev[0] = '\0';
		if (uni && !stop_char(start, l)) {
			snprintf(feat, sizeof(feat), "c:%.*s", (int)l, start);
			if (cl == NULL || !((hprev != NULL && piece_of_other(cl,
			    feat, hprev, hl + l)) || ((next = p, utf8_decode(&next,
			    &nc) > 0) && nc >= 0x80 && nc != 0xFFFD &&
			    piece_of_other(cl, feat, start, (size_t)(next -
			    start)))))
				fn(arg, feat);
		}
		if (hprev != NULL) {
			snprintf(feat, sizeof(feat), "b:%.*s", (int)(hl + l), hprev);
			fn(arg, feat);
			if (text_syllable(pc, sa, sizeof(sa)) > 0 &&
			    text_syllable(c, sb, sizeof(sb)) > 0) {
				snprintf(feat, sizeof(feat), "p:%s_%s", sa, sb);
				fn(arg, feat);
			}
		}
		hprev = start;
		hl = l;
		pc = c;
	}
	word_end(word, &wl, prev, fn, arg);
	free(f);
	free(w);
}

static bool	 background_has(const struct classifier *, const char *);

struct learn_arg {
	struct classifier	*cl;
	int			 c;
	double			 w;
	bool			 whole;
	bool			 skip_sound;	/* the pair before was not learned:
						 * nor is its pinyin */
};

static void
learn_feat(void *arg, const char *feat)
{
	struct learn_arg	*a = arg;
	const char		*p = feat + 2;
	uint32_t		 cp;
	bool			 skip = a->skip_sound && strncmp(feat, "p:", 2) == 0;

	/* from a closed case, no pair of two characters that say nothing
	 * alone (有人, 人在, 一个), nor its sound: what every message says */
	a->skip_sound = false;
	if ((a->cl->cases || a->cl->examples) && strncmp(feat, "b:", 2) == 0 &&
	    utf8_decode(&p, &cp) > 0 && stop_char(feat + 2, (size_t)(p - feat - 2)) &&
	    stop_char(p, strlen(p))) {
		a->skip_sound = true;
		return;
	}
	/* from another county's message, nothing any complaint says (没人管,
	 * 好几天): those are the background's */
	if (a->cl->examples && background_has(a->cl, feat)) {
		a->skip_sound = strncmp(feat, "b:", 2) == 0;
		return;
	}
	if (!skip)
		feat_add(a->cl, feat, a->c, a->w, a->whole);
}

/* The features of a phrase, kept to be sifted before they are learned. */
struct phrase_feats {
	char	**v;		/* from malloc(), each from malloc() */
	size_t	  n;
};

static void
phrase_feat(void *arg, const char *feat)
{
	struct phrase_feats	*pf = arg;

	pf->v = xrealloc(pf->v, (pf->n + 1) * sizeof(*pf->v));
	pf->v[pf->n++] = xstrdup(feat);
}

/* Is feat "w:X" while a pair "W:X_..." is among pf's: X then modifies the
 * word after it (street of street light)? */
static bool
modifier(const struct phrase_feats *pf, const char *feat)
{
	size_t	 i, l;

	if (strncmp(feat, "w:", 2) != 0)
		return false;
	l = strlen(feat + 2);
	for (i = 0; i < pf->n; i++)
		if (strncmp(pf->v[i], "W:", 2) == 0 &&
		    strncmp(pf->v[i] + 2, feat + 2, l) == 0 &&
		    pf->v[i][2 + l] == '_')
			return true;
	return false;
}

/*
 * Learn text for class c.  A character alone is learned only from a word
 * of one character (灯, 坑, 吵): inside longer words single characters
 * say too little (道 of 道路 is also 知道), their pairs carry them.  In a
 * phrase (a name, keyword or built-in word: phrase true), an English word
 * followed by another is learned only in their pair: "street light"
 * teaches light and street light, not street (where vendors and
 * potholes are too).  A built-in word (builtin true) teaches no feature
 * the background has learned: 没人 of 没人扫 is what every complaint
 * says, not rubbish.
 */
/* Has the background class (what every complaint says) learned feat? */
static bool
background_has(const struct classifier *cl, const char *feat)
{
	const struct nb_feat	*s = feat_slot(cl, feat);

	return s->key != NULL && s->count[cl->nclass - 1] > 0;
}

/* Is feat "w:X" while a pair "W:X_Y" is among pf's, Y a word that says
 * little alone: in a category's English name, X is what it is about
 * ("Ethnic affairs", "Schistosomiasis control", "Elderly care"; not
 * street of "Street lights", rural of "Rural buses") */
static bool
modifies_generic(const struct phrase_feats *pf, const char *feat)
{
	static const char *const heads[] = {
		/* stemmed, as pairs are */
		"affair", "control", "care", "service", "management", "issue",
		"problem", "safety", "supply", "protection", "prevention",
		"order", "dispute", "matter"
	};
	size_t	 i, j, l;

	if (strncmp(feat, "w:", 2) != 0)
		return false;
	l = strlen(feat + 2);
	for (i = 0; i < pf->n; i++) {
		if (strncmp(pf->v[i], "W:", 2) != 0 ||
		    strncmp(pf->v[i] + 2, feat + 2, l) != 0 ||
		    pf->v[i][2 + l] != '_')
			continue;
		for (j = 0; j < nitems(heads); j++)
			if (strcmp(pf->v[i] + 3 + l, heads[j]) == 0)
				return true;
	}
	return false;
}

/*
 * Is pair (two Han characters) a "not" and a verb's complement, either
 * way round: 出不 and 不去 of 水出不去, 不开 of 推不开?  Every verb takes
 * them (进不来出不去, 卖不出去): a longer built-in word's piece that says
 * nothing of its problem.
 */
static bool
complement_piece(const char *pair)
{
	static const char nots[] = "不没沒冇";
	static const char complements[] = "出去来上下进过动了到开住起回";
	const char	*b = pair;
	char		 first[8];
	uint32_t	 cp;

	if (utf8_decode(&b, &cp) <= 0 || cp < 0x80 || *b == '\0' ||
	    (size_t)(b - pair) >= sizeof(first))
		return false;
	memcpy(first, pair, (size_t)(b - pair));
	first[b - pair] = '\0';
	return (strstr(nots, first) != NULL && strstr(complements, b) != NULL) ||
	    (strstr(complements, first) != NULL && strstr(nots, b) != NULL);
}

/* Is feat the pair of one of the commonest two-character words, which
 * longer built-in words hold but which say nothing alone? */
static bool
common_piece(const char *feat)
{
	static const char *const pieces[] = {
		"下来", "上来", "出来", "过来", "回来", "起来", "进去", "出去",
		"下去", "上去", "山上", "的人", "一个", "这个", "那个", "开了",
		"的车", "头的", "了个", "了一", "没有", "不好", "也没", "都没",
		"不能", "不够", "个人", "上的", "往下", "一层", "天上"
	};
	size_t	 i;

	if (strncmp(feat, "b:", 2) != 0)
		return false;
	for (i = 0; i < nitems(pieces); i++)
		if (strcmp(feat + 2, pieces[i]) == 0)
			return true;
	return complement_piece(feat + 2);
}

static void
learn_as(struct classifier *cl, int c, const char *text, double w,
    bool phrase, bool builtin, bool name_en)
{
	struct learn_arg	 a = { cl, c, w, true, false };
	struct phrase_feats	 pf = { NULL, 0 };
	char			*f;
	const char		*p;
	uint32_t		 cp;
	bool			 one;
	size_t			 i, n;

	if (text == NULL)
		return;
	f = text_fold(text);
	p = f;
	one = utf8_decode(&p, &cp) > 0 && cp >= 0x80 && *p == '\0';
	free(f);
	if (!phrase) {
		features(NULL, text, one, learn_feat, &a);
		return;
	}
	features(NULL, text, one, phrase_feat, &pf);
	/* a built-in word of three characters or more: its pairs are pieces */
	for (i = 0, n = 0; builtin && i < pf.n; i++)
		n += strncmp(pf.v[i], "b:", 2) == 0;
	a.whole = n <= 1;
	for (i = 0; i < pf.n; i++) {
		/* a longer built-in word's piece that every message says
		 * (下来 of 搬下来, 山上 of 从山上), and its sound */
		if (builtin && !a.whole && common_piece(pf.v[i])) {
			if (i + 1 < pf.n && strncmp(pf.v[i + 1], "p:", 2) == 0)
				i++;
			continue;
		}
		if ((!modifier(&pf, pf.v[i]) || (name_en &&
		    modifies_generic(&pf, pf.v[i]))) &&
		    !(builtin && background_has(cl, pf.v[i])))
			learn_feat(&a, pf.v[i]);
	}
	for (i = 0; i < pf.n; i++)
		free(pf.v[i]);
	free(pf.v);
}

static void
learn(struct classifier *cl, int c, const char *text, double w, bool phrase,
    bool builtin)
{
	learn_as(cl, c, text, w, phrase, builtin, false);
}

/* Does name hold anchor: anywhere, or in English (words) only as whole
 * words (Transport holds no port, Industrial pollution no dust)? */
static bool
holds(const char *name, const char *anchor, bool words)
{
	const char	*at;
	size_t		 l = strlen(anchor);

	for (at = strstr(name, anchor); at != NULL; at = strstr(at + 1, anchor))
		if (!words || ((at == name ||
		    !isalnum((unsigned char)at[-1])) &&
		    !isalnum((unsigned char)at[l])))
			return true;
	return false;
}

/*
 * How the group joins category c (folded words of it: name, English
 * name with its words apart, keywords): JOIN_ANCHOR, an anchor is one of
 * its keywords or its name; JOIN_NAME, its name or English name holds one
 * (环境 of 环境污染, fishing of Fishing port); JOIN_WORDS, two of its
 * keywords are the group's words (梯坎, 台阶 of 梯坎步道), and then the
 * group's one-character words are not its (倒 of a hazard is no power
 * cut's, though 电线 and 变压器 are both); 0, not at all.
 */
#define JOIN_WORDS	1
#define JOIN_NAME	2
#define JOIN_ANCHOR	3

/*
 * The lexicon's anchors and words folded (text_fold; the anchors also by
 * text_fold_words), once for the process: the lexicon is constant, and
 * folding is ICU's transliteration, too slow to repeat for every
 * category of every config loaded.  Never freed.
 */
struct lex_folded {
	char	**anchor;	/* NULL-terminated, as the group's */
	char	**anchor_words;
	char	**word;
};

static struct lex_folded	*lex_folded;
static pthread_once_t		 lex_once = PTHREAD_ONCE_INIT;

static char **
fold_all(const char *const *in, char *(*fold)(const char *))
{
	char	**out;
	size_t	 n;

	for (n = 0; in[n] != NULL; n++)
		;
	out = xcalloc(n + 1, sizeof(*out));
	for (n = 0; in[n] != NULL; n++)
		out[n] = fold(in[n]);
	return out;
}

static void
lex_fold_init(void)
{
	size_t	 g;

	lex_folded = xcalloc(nlexicon, sizeof(*lex_folded));
	for (g = 0; g < nlexicon; g++) {
		lex_folded[g].anchor = fold_all(lexicon[g].anchors, text_fold);
		lex_folded[g].anchor_words = fold_all(lexicon[g].anchors,
		    text_fold_words);
		lex_folded[g].word = fold_all(lexicon[g].words, text_fold);
	}
}

static int
group_joins(size_t g, const char *const *words)
{
	const struct lex_folded	*lf = &lex_folded[g];
	char *const		*w;
	const char		*f, *fw;
	size_t			 i, a;
	int			 how = 0, hits = 0;

	for (a = 0; lf->anchor[a] != NULL && how < JOIN_ANCHOR; a++) {
		f = lf->anchor[a];
		fw = lf->anchor_words[a];
		for (i = 0; words[i] != NULL && how < JOIN_ANCHOR; i++) {
			if (words[i][0] == '\0')
				continue;
			if (strcmp(words[i], i == 1 ? fw : f) == 0)
				how = JOIN_ANCHOR;
			else if (i < 2 && holds(words[i], i == 1 ? fw : f,
			    i == 1))
				how = JOIN_NAME;	/* name, English name holds it */
		}
	}
	/* two of its keywords among the group's words: it is about that
	 * problem though named otherwise */
	for (i = 2; words[i] != NULL && how == 0; i++) {
		if (words[i][0] == '\0')
			continue;
		for (w = lf->word; *w != NULL; w++)
			if (strcmp(words[i], *w) == 0) {
				hits++;
				break;
			}
		if (hits >= 2)
			how = JOIN_WORDS;
	}
	return how;
}

/* Is w one Han character (灯, 倒)? */
static bool
one_han(const char *w)
{
	const char	*p = w;
	uint32_t	 cp;

	return utf8_decode(&p, &cp) > 0 && cp >= 0x3400 && *p == '\0';
}

/* A category's name and keywords folded, one ' ' between; caller frees. */
static char *
category_said(const struct category *k)
{
	char	*s = text_fold(k->name), *f, *t;
	size_t	 j;

	for (j = 0; j < k->nkeywords; j++) {
		f = text_fold(k->keywords[j]);
		t = xasprintf("%s %s", s, f);
		free(f);
		free(s);
		s = t;
	}
	return s;
}

/*
 * Other counties' residents' first messages, under their categories'
 * names and keywords: the corpus of tests/data/firstmsg, place names
 * blanked (tools/examples.py), its features counted at build time by this
 * file built as a program (CLASSIFY_TOOL, below), as learn() would count
 * them, each category's summed: examples_feat[first .. first + n).
 */
struct example_category {
	const char		*name;		/* ASCII lower-cased */
	const char *const	*keywords;	/* NULL-terminated, the same */
	int			 county;	/* < EXAMPLE_COUNTIES */
	uint32_t		 first, n;
};

struct example_feat {
	uint32_t		 key;		/* into example_keys[] */
	uint16_t		 count;		/* times the messages say it */
};

/* Each example category's name and each of its keywords, once, sorted
 * by strcmp(): the categories a config's word joins, by bsearch(). */
struct example_word {
	const char		*word;
	uint16_t		 example;	/* into examples[] */
	bool			 name;		/* its name, else a keyword */
};

#ifndef CLASSIFY_TOOL
#include "examples.h"
#endif

#ifndef CLASSIFY_TOOL
/* Is w one of list? */
static bool
word_in(const char *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return true;
	return false;
}

/* A config category's name, then its keywords, ASCII lower-cased as the
 * examples' are, NULL-terminated; caller frees each and the array. */
static char **
category_lower(const struct category *k)
{
	char	**v = xcalloc(k->nkeywords + 2, sizeof(*v)), *p;
	size_t	  j;

	for (j = 0; j <= k->nkeywords; j++) {
		v[j] = xstrdup(j == 0 ? k->name : k->keywords[j - 1]);
		for (p = v[j]; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	}
	return v;
}

/* The first of example_words[] that is w, or NULL; *n: how many are. */
static const struct example_word *
example_words_of(const char *w, size_t *n)
{
	size_t	 lo = 0, hi = nitems(example_words), mid, end;

	while (lo < hi) {		/* the first not below w */
		mid = lo + (hi - lo) / 2;
		if (strcmp(example_words[mid].word, w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < nitems(example_words) &&
	    strcmp(example_words[end].word, w) == 0; end++)
		;
	*n = end - lo;
	return *n > 0 ? &example_words[lo] : NULL;
}

/* Are e's keywords config category k's (category_lower()), its name
 * being k's: e is k as written? */
static bool
example_is(char *const *k, const struct example_category *e)
{
	size_t	 j, n;

	for (n = 0; e->keywords[n] != NULL; n++)
		;
	for (j = 1; k[j] != NULL; j++)
		if (!word_in(k[j], e->keywords))
			return false;
	return j - 1 == n;
}

/* Which examples speak of k's problem (category_lower()): the same name,
 * or EXAMPLE_JOIN of its keywords; in joins[]. */
static void
example_joins(char *const *k, bool *joins, uint8_t *shared)
{
	const struct example_word	*w;
	size_t				 j, n, m;

	memset(joins, 0, nitems(examples) * sizeof(*joins));
	memset(shared, 0, nitems(examples) * sizeof(*shared));
	for (j = 0; k[j] != NULL; j++) {
		if ((w = example_words_of(k[j], &n)) == NULL)
			continue;
		for (m = 0; m < n; m++)
			if (j == 0 && w[m].name)
				joins[w[m].example] = true;
			else if (j > 0 && !w[m].name &&
			    shared[w[m].example] < EXAMPLE_JOIN &&
			    ++shared[w[m].example] == EXAMPLE_JOIN)
				joins[w[m].example] = true;
	}
}

/*
 * Each category learns the messages of other counties' categories that
 * speak of its problem (example_joins), at NB_W_EXAMPLE and as closed
 * cases are learned.  Not the county's own: a county one of whose
 * categories the config has as written (the corpus's own counties, when
 * tests/unit/test_firstmsg.c measures them) learns from its closed cases
 * only.  The keys are the built-in strings, their hashes counted at build
 * time (example_key_hash).
 */
static void
learn_examples(struct classifier *cl, const struct config *cfg)
{
	bool				  own[EXAMPLE_COUNTIES] = { false };
	bool				 *joins;
	uint8_t				 *shared;
	char				***lc, **w;
	const struct example_word	 *same;
	size_t				  i, e, f, n, m;

	lc = xcalloc(cfg->ncategories, sizeof(*lc));
	for (i = 0; i < cfg->ncategories; i++) {
		lc[i] = category_lower(&cfg->categories[i]);
		same = example_words_of(lc[i][0], &n);
		for (m = 0; m < n; m++)
			if (same[m].name && example_is(lc[i],
			    &examples[same[m].example]))
				own[examples[same[m].example].county] = true;
	}
	joins = xcalloc(nitems(examples), sizeof(*joins));
	shared = xcalloc(nitems(examples), sizeof(*shared));
	cl->examples = cl->static_keys = true;
	for (i = 0; i < cfg->ncategories; i++) {
		example_joins(lc[i], joins, shared);
		for (e = 0; e < nitems(examples); e++) {
			if (own[examples[e].county] || !joins[e])
				continue;
			for (f = examples[e].first; f < examples[e].first +
			    examples[e].n; f++) {
				uint32_t	 x = example_feats[f].key;
				const char	*k = example_keys[x];
				struct nb_feat	*sl;

				if (feat_full(cl))
					feat_grow(cl);
				/* words its config and built-in words have
				 * keep their weight: new words only */
				sl = feat_slot_h(cl, k, example_key_hash[x]);
				if (sl->key != NULL && sl->count[i] > sl->shown[i])
					continue;
				feat_add_at(cl, sl, k, example_key_hash[x], (int)i,
				    example_feats[f].count * NB_W_EXAMPLE, true);
			}
		}
	}
	cl->examples = cl->static_keys = false;
	for (i = 0; i < cfg->ncategories; i++) {
		for (w = lc[i]; *w != NULL; w++)
			free(*w);
		free(lc[i]);
	}
	free(lc);
	free(joins);
	free(shared);
}
#endif

struct classifier *
classifier_new(const struct config *cfg, const struct text_index *ix)
{
	struct classifier	*cl;
	const struct category	*k;
	const char *const	*w;
	int			**how;	/* [group][category]: group_joins() */
	bool			*strong;	/* [group]: joins a category by 2 */
	const char		**jw;
	char			*en;
	size_t			 i, j, g;

	pthread_once(&lex_once, lex_fold_init);
	cl = xcalloc(1, sizeof(*cl));
	cl->nclass = cfg->ncategories + 1;	/* the last: background */
	cl->total = xcalloc(cl->nclass, sizeof(*cl->total));
	cl->total_shown = xcalloc(cl->nclass, sizeof(*cl->total_shown));
	cl->said = xcalloc(cl->nclass, sizeof(*cl->said));
	feat_grow(cl);
	for (i = 0; i < nitems(background); i++)
		learn(cl, (int)cfg->ncategories, background[i], NB_W_LEXICON,
		    true, false);
	how = xcalloc(nlexicon, sizeof(*how));
	strong = xcalloc(nlexicon, sizeof(*strong));
	for (g = 0; g < nlexicon; g++)
		how[g] = xcalloc(cfg->ncategories + 1, sizeof(*how[g]));
	for (i = 0; i < cfg->ncategories; i++) {
		w = text_category_words(ix, (int)i);
		for (j = 0; w[j] != NULL; j++)
			;
		/* the English name with its words apart, for holds() */
		jw = xcalloc(j + 1, sizeof(*jw));
		memcpy(jw, w, j * sizeof(*jw));
		k = &cfg->categories[i];
		en = j >= 2 ? text_fold_words(k->name_en != NULL ? k->name_en :
		    "") : NULL;
		if (en != NULL)
			jw[1] = en;
		for (g = 0; g < nlexicon; g++) {
			how[g][i] = group_joins(g, jw);
			strong[g] = strong[g] || how[g][i] == JOIN_ANCHOR;
		}
		free(en);
		free(jw);
	}
	for (i = 0; i < cfg->ncategories; i++) {
		k = &cfg->categories[i];
		cl->said[i] = category_said(k);
		learn(cl, (int)i, k->name, NB_W_CONFIG, true, false);
		learn_as(cl, (int)i, k->name_en, NB_W_CONFIG, true, false,
		    true);
		for (j = 0; j < k->nkeywords; j++)
			learn(cl, (int)i, k->keywords[j], NB_W_CONFIG, true,
			    false);
		for (g = 0; g < nlexicon; g++) {
			/* by its name only, not when another category's
			 * keyword or name is the group's: pollution (环境污染)
			 * beside rubbish (垃圾), a fishing port beside fish
			 * farms */
			if (how[g][i] == 0 || (how[g][i] < JOIN_ANCHOR &&
			    strong[g]))
				continue;
			for (j = 0; lexicon[g].words[j] != NULL; j++)
				if (how[g][i] != JOIN_WORDS ||
				    !one_han(lexicon[g].words[j]))
					learn(cl, (int)i, lexicon[g].words[j],
					    NB_W_LEXICON, true, true);
		}
	}
#ifndef CLASSIFY_TOOL
	learn_examples(cl, cfg);
#endif
	for (g = 0; g < nlexicon; g++)
		free(how[g]);
	free(how);
	free(strong);
	return cl;
}

void
classifier_learn(struct classifier *cl, int category, const char *text)
{
	if (cl == NULL || category < 0 || (size_t)category + 1 >= cl->nclass)
		return;
	cl->cases = true;
	learn(cl, category, text, NB_W_CASE, false, false);
	cl->cases = false;
	cl->learned++;
}

size_t
classifier_learned(const struct classifier *cl)
{
	return cl != NULL ? cl->learned : 0;
}

void
classifier_free(struct classifier *cl)
{
	size_t	 i;

	if (cl == NULL)
		return;
	for (i = 0; i < cl->cap; i++) {
		if (cl->v[i].own_key)
			free(cl->v[i].key);
	}
	for (i = 0; i < cl->nblocks; i++)
		free(cl->blocks[i]);
	free(cl->blocks);
	for (i = 0; i + 1 < cl->nclass; i++)
		free(cl->said[i]);
	free(cl->said);
	free(cl->v);
	free(cl->total);
	free(cl->total_shown);
	free(cl);
}

/* How classifier_rank and its kin count the background class. */
enum rank_mode {
	RANK_DECIDE,	/* out once a topical word is said */
	RANK_PLAIN,	/* always in */
	RANK_TOPICAL,	/* out once a topical word is said, and only those
			 * words count */
	RANK_WEIGHED	/* as RANK_DECIDE, without the sole clue's lift */
};

struct rank_arg {
	const struct classifier	*cl;
	bool			 own_only; /* other counties' messages aside */
	double			*logp;
	double			*logt;	/* over the topical features */
	double			*logk;	/* over those some category has */
	size_t			 known;
	size_t			 topical; /* known features some category has
					  * more of than the background */
	double			*excl;	/* [nclass]: the weight of the topical
					 * features that class alone among the
					 * categories has */
	size_t			*written; /* [nclass]: topical features that
					 * class has, but pinyin */
	double			*weight; /* [nclass]: their weight in it
					 * learned as whole words */
	size_t			*written_own; /* [nclass]: of written, this
					 * county's words */
	size_t			*own;	/* [nclass]: topical features that
					 * class has from this county (its
					 * config, built-in words, cases), not
					 * from other counties' messages only */
	double			 floor;	/* the least total a class counts with: the
					 * mean, so a class trained on few words
					 * (the background) does not win every
					 * word it never saw */
};

/*
 * The category other than holder whose name or a keyword holds the
 * character ch (UTF-8), when holder's own do not, or cl->nclass.  A
 * one-character built-in word of one category is then no sole clue: 裂
 * (roads crack) is also of 裂缝 (mining subsidence), 黄 (yellow water) of
 * 黄河 (the floodplain); but 水 stays water's (停水) beside 排水.
 */
static size_t
char_said(const struct classifier *cl, const char *ch, size_t holder)
{
	size_t	 c;

	if (strstr(cl->said[holder], ch) != NULL)
		return cl->nclass;
	for (c = 0; c + 1 < cl->nclass; c++)
		if (c != holder && strstr(cl->said[c], ch) != NULL)
			return c;
	return cl->nclass;
}

/*
 * What feat counts for class c when ranking: what it learned, but a word
 * only one closed case said, which is no evidence yet (a county's first
 * cases teach their every pair: 一层, 这段, 晚上), until a second case or
 * the config or the built-in words say it too; nor a word that only cases
 * taught c and cases of another category said too (老板, 一分钱 of land
 * leases and of wages alike: what a complaint says, not which), unless
 * c has EXAMPLE_SHARE of them (子冻 of ten frozen-pipe messages and one
 * about a frozen toilet: the pipes' still).
 */
static double
counted(const struct classifier *cl, const struct nb_feat *s, size_t c)
{
	double	 count = s->count[c], shown = s->shown[c], taught, others = 0;
	size_t	 o;

	/* the county's own closed cases said it of another category: other
	 * counties' messages yield to them */
	for (o = 0; shown > 0 && o + 1 < cl->nclass; o++)
		if (o != c && s->cased[o] > 0) {
			count -= shown;
			shown = 0;
		}
	taught = s->cased[c] + shown;
	if (taught <= 0 || count - taught > 0)
		return count;
	if (s->cased[c] < 2 * NB_W_CASE && shown < EXAMPLE_MIN * NB_W_EXAMPLE)
		return 0;
	for (o = 0; o + 1 < cl->nclass; o++)
		if (o != c)
			others += s->cased[o] + s->shown[o];
	return taught >= EXAMPLE_SHARE * (taught + others) ? count : 0;
}

/* What feature s counts for class c in this ranking (counted()), other
 * counties' messages aside when a->own_only. */
static double
rank_count(const struct rank_arg *a, const struct nb_feat *s, size_t c)
{
	double	 n = counted(a->cl, s, c);

	if (a->own_only && n > 0)
		n = n > s->shown[c] ? n - s->shown[c] : 0;
	return n;
}

static double
rank_total(const struct rank_arg *a, size_t c)
{
	return a->own_only ? a->cl->total[c] - a->cl->total_shown[c] :
	    a->cl->total[c];
}

static void
rank_feat(void *arg, const char *feat)
{
	struct rank_arg		*a = arg;
	const struct classifier	*cl = a->cl;
	const struct nb_feat	*s = feat_slot(cl, feat);
	double			 v = (double)cl->n, most = 0, l;
	size_t			 c, holders = 0, holder = 0;
	bool			 topical;

	if (s->key == NULL)
		return;		/* never seen: says nothing */
	for (c = 0; c + 1 < cl->nclass; c++) {
		if (rank_count(a, s, c) > most)
			most = rank_count(a, s, c);
		if (rank_count(a, s, c) > 0) {
			holders++;
			holder = c;
		}
	}
	if (most == 0 && s->count[cl->nclass - 1] == 0)
		return;		/* one case's word only: as never seen */
	a->known++;
	/* some problem's more than every complaint's (没人 of 没人照顾) */
	if ((topical = most > s->count[cl->nclass - 1])) {
		a->topical++;
		for (c = 0; c + 1 < cl->nclass; c++)
			if (rank_count(a, s, c) > s->shown[c])
				a->own[c]++;
		/* a one-character word (灯, 黑, 吵), or an English word
		 * learned whole (pothole, rubbish), weighs as a name; a
		 * pair's pinyin is no clue of its own (大件 is not 搭建) */
		if (strncmp(feat, "p:", 2) != 0)
			for (c = 0; c + 1 < cl->nclass; c++)
				if (rank_count(a, s, c) > 0) {
					a->written[c]++;
					a->weight[c] += s->whole[c];
					if (rank_count(a, s, c) > s->shown[c])
						a->written_own[c]++;
				}
		if (holders == 1 && strncmp(feat, "p:", 2) != 0 &&
		    s->count[holder] > s->shown[holder]) {
			c = strncmp(feat, "c:", 2) == 0 ? char_said(cl, feat + 2,
			    holder) : cl->nclass;
			if (c + 1 < cl->nclass)	/* 黄 of 黄瓜: water, or 黄河? */
				a->excl[c] += NB_W_LEXICON;
			else
				a->excl[holder] += (strncmp(feat, "c:", 2) == 0 ||
				    (strncmp(feat, "w:", 2) == 0 &&
				    s->whole[holder] > 0)) &&
				    s->count[holder] < NB_W_CONFIG ? NB_W_CONFIG :
				    s->count[holder];
		}
	}
	for (c = 0; c < cl->nclass; c++) {
		l = log((rank_count(a, s, c) + NB_ALPHA) /
		    ((rank_total(a, c) > a->floor ? rank_total(a, c) : a->floor) +
		    NB_ALPHA * v));
		a->logp[c] += l;
		if (topical)
			a->logt[c] += l;
		if (most > 0)
			a->logk[c] += l;
	}
}

static double
rank_as(const struct classifier *cl, const char *raw, int *order, double *prob,
    enum rank_mode mode, bool own_only)
{
	struct rank_arg	 a;
	double		*p, max, sum = 0;
	size_t		 c, i, j;
	int		 t;
	bool		 again;

	if (cl == NULL || cl->nclass <= 1 || raw == NULL)
		return 0;
	a.cl = cl;
	a.own_only = own_only;
	a.logp = xcalloc(cl->nclass, sizeof(*a.logp));
	a.logt = xcalloc(cl->nclass, sizeof(*a.logt));
	a.logk = xcalloc(cl->nclass, sizeof(*a.logk));
	a.excl = xcalloc(cl->nclass, sizeof(*a.excl));
	a.written = xcalloc(cl->nclass, sizeof(*a.written));
	a.weight = xcalloc(cl->nclass, sizeof(*a.weight));
	a.own = xcalloc(cl->nclass, sizeof(*a.own));
	a.written_own = xcalloc(cl->nclass, sizeof(*a.written_own));
	a.known = 0;
	a.topical = 0;
	a.floor = 0;
	for (c = 0; c < cl->nclass; c++)
		a.floor += rank_total(&a, c) / (double)cl->nclass;
	features(cl, raw, true, rank_feat, &a);
	/*
	 * A word of some problem said among what every complaint says (灯也
	 * 坏了, 吵得不行): the problem's words decide, and the background,
	 * which only takes a text that says nothing else, is out.  Then a
	 * word no category has says nothing (it would only count against
	 * the categories that learned the most).
	 */
	if (a.topical > 0 && mode != RANK_PLAIN) {
		p = mode == RANK_TOPICAL ? a.logt : a.logk;
		free(mode == RANK_TOPICAL ? a.logk : a.logt);
	} else {
		p = a.logp;
		free(a.logt);
		free(a.logk);
	}
	if (p != a.logp)
		free(a.logp);
	if (a.topical > 0 && mode != RANK_PLAIN)
		p[cl->nclass - 1] = -INFINITY;
	for (max = p[0], c = 1; c < cl->nclass; c++)
		if (p[c] > max)
			max = p[c];
	for (c = 0; c < cl->nclass; c++)
		sum += p[c] = exp(p[c] - max);
	for (c = 0; c < cl->nclass; c++) {
		p[c] /= sum;
		if (c + 1 < cl->nclass)
			order[c] = (int)c;
	}
	/* insertion sort, stable: config order on a tie; the background is
	 * not a category */
	for (i = 1; i + 1 < cl->nclass; i++)
		for (j = i; j > 0 && p[order[j]] > p[order[j - 1]]; j--) {
			t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	if (prob != NULL)
		memcpy(prob, p, (cl->nclass - 1) * sizeof(*p));
	max = a.known > 0 ? p[order[0]] : 0;
	/*
	 * The words of one category alone are said, as much as a name or
	 * keyword weighs (停电, power cut, 滑坡) or a one-character word
	 * (黑), and of no other:
	 * however many categories share the rest (no, since), that one is
	 * meant.  Among ten categories the probability alone stays ~0.7.
	 */
	if ((mode == RANK_DECIDE || mode == RANK_TOPICAL) && a.topical > 0 &&
	    a.excl[order[0]] >= NB_W_CONFIG && max < NB_SOLE) {
		for (c = 0; c + 1 < cl->nclass; c++)
			if ((int)c != order[0] && a.excl[c] > 0)
				break;
		if (c + 1 == cl->nclass)
			max = NB_SOLE;
	}
	/* nothing written of it, only the sound (大件事 and 搭建): asked */
	if (mode != RANK_PLAIN && a.topical > 0 && a.written[order[0]] == 0 &&
	    max > NB_SOUND)
		max = NB_SOUND;
	/*
	 * Doubt, not a case: all that is written of it is one piece of a
	 * longer built-in word (一片 of 一片黑: 去年就烧了一片山).  Naive
	 * Bayes makes one such pair near certain when nothing else is
	 * known; a wrong case cannot be mended, a question costs one answer.
	 */
	if (mode != RANK_PLAIN && a.topical > 0 && max > NB_DOUBT) {
		if (a.written[order[0]] == 1 && a.weight[order[0]] == 0)
			max = NB_DOUBT;
	}
	/*
	 * One ordinary word of it (管子) among clues of other categories
	 * (冻, 味): naive Bayes is sure of the one that learned the word
	 * best, the resident may mean any; asked.
	 */
	if (mode != RANK_PLAIN && a.topical > 0 && max > NB_DOUBT &&
	    a.written[order[0]] == 1 && a.weight[order[0]] < NB_W_CONFIG) {
		for (c = 0; c + 1 < cl->nclass; c++)
			if ((int)c != order[0] && a.written_own[c] > 0)
				break;
		if (c + 1 < cl->nclass)
			max = NB_DOUBT;
	}
	/*
	 * Nothing this county's words say of the first, only other
	 * counties' messages (老公 of their wages, 灯也坏了 of their power
	 * cuts): ranked by this county's words alone.
	 */
	again = !own_only && a.topical > 0 && a.own[order[0]] == 0;
	free(a.own);
	free(a.written_own);
	free(a.weight);
	free(a.written);
	free(a.excl);
	free(p);
	return again ? rank_as(cl, raw, order, prob, mode, true) : max;
}

static double
rank(const struct classifier *cl, const char *raw, int *order, double *prob,
    enum rank_mode mode)
{
	return rank_as(cl, raw, order, prob, mode, false);
}

double
classifier_rank(const struct classifier *cl, const char *raw, int *order, double *prob)
{
	return rank(cl, raw, order, prob, RANK_DECIDE);
}

double
classifier_rank_own(const struct classifier *cl, const char *raw, int *order,
    double *prob)
{
	return rank_as(cl, raw, order, prob, RANK_DECIDE, true);
}

double
classifier_rank_plain(const struct classifier *cl, const char *raw, int *order,
    double *prob)
{
	return rank(cl, raw, order, prob, RANK_PLAIN);
}

double
classifier_rank_weighed(const struct classifier *cl, const char *raw,
    int *order, double *prob)
{
	return rank(cl, raw, order, prob, RANK_WEIGHED);
}

double
classifier_rank_topical(const struct classifier *cl, const char *raw,
    int *order, double *prob)
{
	return rank(cl, raw, order, prob, RANK_TOPICAL);
}


/*
 * Is each ch (one folded character) of raw read inside a word cl learned
 * for other categories only (piece_of_other): 坑 of 蹲坑 (toilets) is no
 * road's pothole?  False when raw holds no ch.
 */
bool
classifier_in_other_word(const struct classifier *cl, const char *raw,
    const char *ch)
{
	char		*w, *f, feat[FEAT_MAX];
	const char	*at, *prev, *next;
	uint32_t	 c;
	size_t		 l = strlen(ch);
	bool		 any = false, all = true;

	if (cl == NULL || raw == NULL || l == 0 || l + 3 > sizeof(feat))
		return false;
	snprintf(feat, sizeof(feat), "c:%s", ch);
	w = text_fold_words(raw);
	f = text_dialect(w);
	for (at = strstr(f, ch); at != NULL && all; at = strstr(at + l, ch)) {
		any = true;
		/* the character before: back over its continuation bytes */
		for (prev = at; prev > f &&
		    ((unsigned char)*--prev & 0xC0) == 0x80; )
			;
		next = at + l;
		if (!((prev < at && (unsigned char)*prev >= 0x80 &&
		    piece_of_other(cl, feat, prev, (size_t)(next - prev))) ||
		    (utf8_decode(&next, &c) > 0 && c >= 0x80 && c != 0xFFFD &&
		    piece_of_other(cl, feat, at, (size_t)(next - at)))))
			all = false;
	}
	free(f);
	free(w);
	return any && all;
}

#ifdef CLASSIFY_TOOL
/*
 * build/gen/examples_tool EXAMPLES.tsv > examples.h: the features of the
 * examples (tools/examples.py's lines: county, category name, keywords
 * joined by |, message), each category's summed, as learn_examples()
 * adds them.  One classifier of two classes: the first takes a category's
 * messages, the second is the background, which learn_feat() skips.
 */
#include <err.h>

static char	**tool_keys;
static size_t	  tool_nkeys, tool_ckeys;

/* A category's features, to read back: doubling, not one realloc() each
 * (under the sanitizers a realloc() copies every time) */
struct tool_said {
	char	**v;
	size_t	  n, cap;
};

static void
tool_said(void *arg, const char *feat)
{
	struct tool_said	*ts = arg;

	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 256;
		ts->v = xrealloc(ts->v, ts->cap * sizeof(*ts->v));
	}
	ts->v[ts->n++] = xstrdup(feat);
}

static uint32_t
tool_key(struct classifier *keys, const char *k)
{
	struct nb_feat	*s;

	feat_add(keys, k, 0, 1, false);
	s = feat_slot(keys, k);
	if (s->count[0] == 1) {		/* new: its number is next */
		if (tool_nkeys == tool_ckeys) {
			tool_ckeys = tool_ckeys ? tool_ckeys * 2 : 1024;
			tool_keys = xrealloc(tool_keys, tool_ckeys *
			    sizeof(*tool_keys));
		}
		tool_keys[tool_nkeys] = s->key;
		s->whole[0] = (float)tool_nkeys++;
	}
	return (uint32_t)s->whole[0];
}

struct tool_word {
	char	*word;
	size_t	 example;
	bool	 name;
};

static int
tool_word_cmp(const void *a, const void *b)
{
	const struct tool_word	*x = a, *y = b;
	int			 c = strcmp(x->word, y->word);

	if (c != 0)
		return c;
	if (x->example != y->example)
		return x->example < y->example ? -1 : 1;
	return (int)x->name - (int)y->name;
}

static void
tool_quote(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

int
main(int argc, char **argv)
{
	struct classifier	*cl, *keys;
	struct tool_said	 said = { NULL, 0, 0 };
	char			*line = NULL, *f[4], *p, *k, *e, *name = NULL;
	size_t			 cap = 0, i, ncat = 0, nfeat = 0, first = 0;
	size_t			 nwords = 0;
	struct tool_word	*words = NULL;
	int			 county = -1, maxcounty = -1;
	FILE			*in;
	struct {
		char	*name, *kw;
		int	 county;
		size_t	 first, n;
	}			*cats = NULL;

	if (argc != 2 || (in = fopen(argv[1], "r")) == NULL)
		errx(1, "usage: examples_tool EXAMPLES.tsv");
	cl = xcalloc(1, sizeof(*cl));
	cl->nclass = 3;
	cl->total = xcalloc(cl->nclass, sizeof(*cl->total));
	cl->total_shown = xcalloc(cl->nclass, sizeof(*cl->total_shown));
	feat_grow(cl);
	for (i = 0; i < nitems(background); i++)
		learn(cl, 2, background[i], NB_W_LEXICON, true, false);
	/* all messages first, into class 1: what a category says more than
	 * all do (EXAMPLE_LIFT) is its */
	while (getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if ((p = strrchr(line, '\t')) != NULL) {
			cl->examples = true;
			learn(cl, 1, p + 1, 1, false, false);
			cl->examples = false;
		}
	}
	rewind(in);
	keys = xcalloc(1, sizeof(*keys));
	keys->nclass = 1;
	keys->total = xcalloc(1, sizeof(*keys->total));
	feat_grow(keys);
	printf("/* generated by dialogs/classify.c (CLASSIFY_TOOL) from "
	    "tools/examples.py's lines: do not edit */\n"
	    "static const struct example_feat example_feats[] = {\n");
	for (;;) {
		ssize_t	 len = getline(&line, &cap, in);
		bool	 next = len <= 0;

		if (len > 0) {
			line[strcspn(line, "\n")] = '\0';
			for (p = line, i = 0; i < 4; i++) {
				f[i] = p;
				if (i < 3 && (p = strchr(p, '\t')) == NULL)
					errx(1, "%s: a line of fewer than 4 fields",
					    argv[1]);
				if (i < 3)
					*p++ = '\0';
			}
			next = name == NULL || atoi(f[0]) != county ||
			    strcmp(f[1], name) != 0;
		}
		if (next && name != NULL) {	/* the category read: its sums */
			for (i = 0; i < said.n; i++) {
				struct nb_feat	*sl = feat_slot(cl, said.v[i]);

				if (sl->key != NULL && sl->count[0] > 0) {
					if (sl->count[0] / cl->total[0] >=
					    EXAMPLE_LIFT * sl->count[1] / cl->total[1]) {
						printf("\t{ %u, %u },\n", tool_key(keys,
						    sl->key), (unsigned)(sl->count[0] + 0.5));
						nfeat++;
					}
					sl->count[0] = 0;
				}
				free(said.v[i]);
			}
			said.n = 0;
			cl->total[0] = 0;
			cats[ncat - 1].n = nfeat - first;
			free(name);
			name = NULL;
		}
		if (len <= 0)
			break;
		if (next) {
			cats = xrealloc(cats, (ncat + 1) * sizeof(*cats));
			cats[ncat].name = xstrdup(f[1]);
			cats[ncat].kw = xstrdup(f[2]);
			cats[ncat].county = county = atoi(f[0]);
			cats[ncat].first = first = nfeat;
			ncat++;
			name = xstrdup(f[1]);
			if (county > maxcounty)
				maxcounty = county;
		}
		cl->examples = true;
		learn(cl, 0, f[3], 1, false, false);
		cl->examples = false;
		/* what it may have learned, to read back and clear: not the
		 * whole table for every category */
		features(NULL, f[3], false, tool_said, &said);
	}
	fclose(in);
	printf("};\nstatic const char *const example_keys[] = {\n");
	for (i = 0; i < tool_nkeys; i++) {
		putchar('\t');
		tool_quote(tool_keys[i]);
		printf(",\n");
	}
	if (ncat > UINT16_MAX)
		errx(1, "%zu example categories: more than example_word holds",
		    ncat);
	for (i = 0; i < ncat; i++) {
		char	*kw = xstrdup(cats[i].kw);

		words = xrealloc(words, (nwords + 1) * sizeof(*words));
		words[nwords++] = (struct tool_word){ cats[i].name, i, true };
		for (k = strtok_r(kw, "|", &e); k != NULL;
		    k = strtok_r(NULL, "|", &e)) {
			words = xrealloc(words, (nwords + 1) * sizeof(*words));
			words[nwords++] = (struct tool_word){ xstrdup(k), i,
			    false };
		}
		free(kw);
	}
	qsort(words, nwords, sizeof(*words), tool_word_cmp);
	printf("};\nstatic const struct example_word example_words[] = {\n");
	for (i = 0; i < nwords; i++)
		if (i == 0 || tool_word_cmp(&words[i - 1], &words[i]) != 0) {
			putchar('\t');
			putchar('{');
			putchar(' ');
			tool_quote(words[i].word);
			printf(", %zu, %s },\n", words[i].example,
			    words[i].name ? "true" : "false");
		}
	printf("};\nstatic const uint64_t example_key_hash[] = {\n");
	for (i = 0; i < tool_nkeys; i++)
		printf("\t0x%016" PRIx64 "ULL,\n", feat_hash(tool_keys[i]));
	printf("};\n");
	for (i = 0; i < ncat; i++) {
		printf("static const char *const example_kw_%zu[] = { ", i);
		for (k = strtok_r(cats[i].kw, "|", &e); k != NULL;
		    k = strtok_r(NULL, "|", &e)) {
			tool_quote(k);
			printf(", ");
		}
		printf("NULL };\n");
	}
	printf("static const struct example_category examples[] = {\n");
	for (i = 0; i < ncat; i++) {
		printf("\t{ ");
		tool_quote(cats[i].name);
		printf(", example_kw_%zu, %d, %zu, %zu },\n", i, cats[i].county,
		    cats[i].first, cats[i].n);
	}
	printf("};\n#define EXAMPLE_COUNTIES %d\n", maxcounty + 1);
	return 0;
}
#endif
