/*
 * dialogs/text.c: text understanding for the dialogs.  Folding (ICU NFKC,
 * Traditional -> Simplified Chinese, lower case, punctuation, symbols and
 * spaces removed), an index of the config's category keywords and place
 * names matched by substring over folded text, and the small parsers for
 * choices, yes/no answers and numbers.  Pure: no I/O, no clock.
 *
 * ICU references: unorm2.h (NFKC), utrans.h (the "Traditional-Simplified"
 * system transliterator; "Han-Latin" for pinyin, through a table of it
 * written at build time for U+3400..U+9FFF: tools/pinyin_table.c), uchar.h
 * (general categories), ustring.h.
 */
#include "dialogs.h"
#include "lexicon.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

/* py_table[]: ICU's toneless pinyin of U+3400..U+9FFF, written at build
 * time by tools/pinyin_table.c ($(BUILD)/gen/) */
#include "pinyin_table.h"

/*
 * Longest input folded, in bytes: messages are capped far below this by
 * the gateway; anything longer is cut here so that ICU's int32_t lengths
 * never overflow.
 */
#define TEXT_FOLD_MAX	(16 * 1024 * 1024)
#define TEXT_READS_SURE	0.9	/* the classifier, sure a typo is its
				 * keyword's (as CLASSIFY_TAKE) */

/* fold flags */
#define FOLD_GAPS	0x01	/* a run of dropped characters becomes one ' ' */

/*
 * ICU state shared by all threads, made once.  A transliterator is not
 * safe to use from two threads at once, so each thread folds with its own
 * clone of the prototype, kept under fold_key and closed when the thread
 * exits.  (Measured with ICU 72: opening it costs ~20 ms, cloning it
 * microseconds, and one short message ~4 us; a clone per thread beats a
 * lock held during every transliteration.)
 */
static pthread_once_t	 fold_once = PTHREAD_ONCE_INIT;
static pthread_once_t	 py_once = PTHREAD_ONCE_INIT;
static const UNormalizer2 *fold_nfkc;	/* borrowed from ICU, never closed */
static UTransliterator	*fold_proto;	/* opened once, lives as long as the process */
static pthread_mutex_t	 fold_proto_lock = PTHREAD_MUTEX_INITIALIZER; /* guards cloning */
static pthread_key_t	 fold_key;	/* this thread's clone, or NULL */
static UTransliterator	*py_proto;	/* "Han-Latin; Latin-ASCII", as fold_proto */
static pthread_key_t	 py_key;	/* this thread's clone of it, or NULL */
static pthread_once_t	 wb_once = PTHREAD_ONCE_INIT;
static UBreakIterator	*wb_proto;	/* ICU's Chinese words, by its dictionary */
static pthread_key_t	 wb_key;	/* this thread's clone of it, or NULL */

static void
fold_key_free(void *t)
{
	utrans_close(t);
}

/*
 * Folding one character at a time, remembered (fold_memo): most messages
 * are Han characters, ASCII and CJK or full-width punctuation, and
 * folding those one by one gives what ICU gives for the whole text,
 * except where the transliterator has a rule for a run of characters
 * (乾隆, 于飛: about a thousand, read from its rules at start).  A text
 * holding such a run, or any other character, is folded by ICU whole.
 */
#define FOLD_MEMO_DROP	1u	/* folds to nothing */
#define FOLD_MEMO_ICU	2u	/* folds to more than one character */
#define FOLD_MEMO_BASE	16u	/* else: the folded code point + this */
#define FOLD_MULTI_MAX	8	/* code points of the longest run kept */

static _Atomic uint32_t	 fold_memo[0x10000];	/* 0: not folded yet */
static bool		 fold_fast;		/* the rules were understood */
static unsigned char	 fold_multi_first[0x10000 / 8]; /* starts a run's rule */
static struct fold_run {
	uint32_t	 cp[FOLD_MULTI_MAX];
	size_t		 n;
}			*fold_multi;		/* the runs with a rule */
static size_t		 nfold_multi;

/* The hex digit c's value, or -1. */
static int
hexval(UChar c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Read the runs of two or more characters that t's rules rewrite.  The
 * rules of ICU's Traditional-Simplified are lines "\uXXXX... > ...;":
 * anything else (a filter, a context, a variable) and the fast path is
 * not used at all.  True when understood.
 */
static bool
fold_multi_load(UTransliterator *t)
{
	UErrorCode	 err = U_ZERO_ERROR;
	UChar		*r;
	int32_t		 n, i, k;
	size_t		 cap = 0;
	struct fold_run	 run;
	int		 d;
	bool		 ok = true;

	n = utrans_toRules(t, true, NULL, 0, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR)
		return false;
	err = U_ZERO_ERROR;
	r = xmalloc(((size_t)n + 1) * sizeof(*r));
	utrans_toRules(t, true, r, n + 1, &err);
	if (U_FAILURE(err)) {
		free(r);
		return false;
	}
	for (i = 0; i < n && ok; ) {
		while (i < n && (r[i] == '\n' || r[i] == ' '))
			i++;
		if (i >= n)
			break;
		run.n = 0;
		while (i + 5 < n && r[i] == '\\' && r[i + 1] == 'u') {
			uint32_t cp = 0;

			for (k = 2; k < 6; k++) {
				if ((d = hexval(r[i + k])) < 0)
					ok = false;
				cp = cp * 16 + (uint32_t)(d < 0 ? 0 : d);
			}
			if (run.n < FOLD_MULTI_MAX)
				run.cp[run.n] = cp;
			run.n++;
			i += 6;
		}
		if (run.n == 0 || run.n > FOLD_MULTI_MAX || i + 2 >= n ||
		    r[i] != ' ' || r[i + 1] != '>') {
			ok = false;
			break;
		}
		while (i < n && r[i] != ';')
			i++;
		i++;
		if (run.n < 2)
			continue;
		if (nfold_multi == cap) {
			cap = cap ? cap * 2 : 256;
			fold_multi = xrealloc(fold_multi, cap * sizeof(*fold_multi));
		}
		fold_multi[nfold_multi++] = run;
		if (run.cp[0] < 0x10000)
			fold_multi_first[run.cp[0] / 8] |= (unsigned char)(1u << (run.cp[0] % 8));
		else
			ok = false;
	}
	free(r);
	return ok;
}

static void
fold_init(void)
{
	static const UChar id[] = u"Traditional-Simplified";
	UParseError	 pe;
	UErrorCode	 err = U_ZERO_ERROR;

	fold_nfkc = unorm2_getNFKCInstance(&err);
	if (U_FAILURE(err))
		fatalx("text: ICU NFKC: %s", u_errorName(err));
	fold_proto = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &err);
	if (U_FAILURE(err))
		fatalx("text: ICU transliterator Traditional-Simplified: %s",
		    u_errorName(err));
	if (pthread_key_create(&fold_key, fold_key_free) != 0)
		fatalx("text: pthread_key_create");
	fold_fast = fold_multi_load(fold_proto);
}

/* Han-Latin, opened only for a character py_table does not hold (it
 * takes ~130 ms to open). */
static void
py_init(void)
{
	static const UChar py_id[] = u"Han-Latin; Latin-ASCII";
	UParseError	 pe;
	UErrorCode	 err = U_ZERO_ERROR;

	py_proto = utrans_openU(py_id, -1, UTRANS_FORWARD, NULL, 0, &pe, &err);
	if (U_FAILURE(err))
		fatalx("text: ICU transliterator Han-Latin: %s", u_errorName(err));
	if (pthread_key_create(&py_key, fold_key_free) != 0)
		fatalx("text: pthread_key_create");
}

static void
wb_key_free(void *b)
{
	ubrk_close(b);
}

/* ICU's word break iterator for Chinese: opened on first use. */
static void
wb_init(void)
{
	UErrorCode	 err = U_ZERO_ERROR;

	wb_proto = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
	if (U_FAILURE(err))
		fatalx("text: ICU word break iterator: %s", u_errorName(err));
	if (pthread_key_create(&wb_key, wb_key_free) != 0)
		fatalx("text: pthread_key_create");
}

/* This thread's clone of it: borrowed, closed at thread exit. */
static UBreakIterator *
word_breaks(void)
{
	UBreakIterator	*b;
	UErrorCode	 err = U_ZERO_ERROR;

	pthread_once(&wb_once, wb_init);
	if ((b = pthread_getspecific(wb_key)) != NULL)
		return b;
	pthread_mutex_lock(&fold_proto_lock);
	b = ubrk_clone(wb_proto, &err);
	pthread_mutex_unlock(&fold_proto_lock);
	if (U_FAILURE(err))
		fatalx("text: ubrk_clone: %s", u_errorName(err));
	if (pthread_setspecific(wb_key, b) != 0)
		fatalx("text: pthread_setspecific");
	return b;
}

/* This thread's clone of proto under key: borrowed, closed at thread exit. */
static UTransliterator *
translit_of(UTransliterator *proto, pthread_key_t key)
{
	UTransliterator	*t = NULL;
	UErrorCode	 err = U_ZERO_ERROR;

	if ((t = pthread_getspecific(key)) != NULL)
		return t;
	pthread_mutex_lock(&fold_proto_lock);
	t = utrans_clone(proto, &err);
	pthread_mutex_unlock(&fold_proto_lock);
	if (U_FAILURE(err))
		fatalx("text: utrans_clone: %s", u_errorName(err));
	if (pthread_setspecific(key, t) != 0)
		fatalx("text: pthread_setspecific");
	return t;
}

static UTransliterator *
fold_translit(void)
{
	return translit_of(fold_proto, fold_key);
}

/*
 * True for the characters folding removes: punctuation, symbols,
 * separators, controls, format characters, enclosing marks (the keycap of
 * "1️⃣") and anything default-ignorable (variation selectors, ZWJ in emoji
 * sequences).  U+FFFD stays: it marks invalid input, so that bytes that
 * were not text never glue two words into a keyword.
 */
static bool
fold_drops(UChar32 c)
{
	if (c == 0xFFFD)
		return false;
	switch (u_charType(c)) {
	case U_CONTROL_CHAR:
	case U_FORMAT_CHAR:
	case U_SPACE_SEPARATOR:
	case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR:
	case U_ENCLOSING_MARK:
	case U_CONNECTOR_PUNCTUATION:
	case U_DASH_PUNCTUATION:
	case U_START_PUNCTUATION:
	case U_END_PUNCTUATION:
	case U_INITIAL_PUNCTUATION:
	case U_FINAL_PUNCTUATION:
	case U_OTHER_PUNCTUATION:
	case U_MATH_SYMBOL:
	case U_CURRENCY_SYMBOL:
	case U_MODIFIER_SYMBOL:
	case U_OTHER_SYMBOL:
		return true;
	default:
		return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
	}
}

/* Append ' ' to out unless it is empty or already ends with one. */
static void
fold_gap(char *out, size_t *n)
{
	if (*n > 0 && out[*n - 1] != ' ')
		out[(*n)++] = ' ';
}

/*
 * ASCII input: NFKC and the transliterator change nothing, so folding is
 * keeping letters (lowered) and digits.  Returns a new string.
 */
static char *
fold_ascii(const char *in, size_t len, int flags)
{
	char	*out = NULL;
	size_t	 i, n = 0;
	char	 c;

	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		c = in[i];
		if (c >= 'A' && c <= 'Z')
			out[n++] = c - 'A' + 'a';
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
		else if (flags & FOLD_GAPS)
			fold_gap(out, &n);
	}
	out[n] = '\0';
	return out;
}

static void
fold_check(UErrorCode err, const char *what)
{
	if (U_FAILURE(err))
		fatalx("text: ICU %s: %s", what, u_errorName(err));
}

/* Make room for need code units (and a NUL) in *buf of *cap. */
static void
fold_reserve(UChar **buf, int32_t *cap, int32_t need)
{
	if (need + 1 <= *cap)
		return;
	free(*buf);
	*cap = need + 1;
	*buf = xmalloc((size_t)*cap * sizeof(**buf));
}

/*
 * The ICU pipeline over in[0..len).  Each step writes from one buffer into
 * the other; a step that does not fit is told the size it needs and is run
 * again.  Returns a new string.
 */
static char *
fold_icu(const char *in, size_t len, int flags)
{
	UChar		*a = NULL, *b = NULL;	/* from malloc() */
	char		*out = NULL;
	UErrorCode	 err = U_ZERO_ERROR;
	int32_t		 capa, capb, na, nb, lim, i;
	UChar32		 c;
	size_t		 no;

	pthread_once(&fold_once, fold_init);

	/* UTF-8 -> UTF-16: never more code units than bytes. */
	capa = (int32_t)len + 1;
	a = xmalloc((size_t)capa * sizeof(*a));
	u_strFromUTF8WithSub(a, capa, &na, in, (int32_t)len, 0xFFFD, NULL, &err);
	fold_check(err, "u_strFromUTF8WithSub");

	/* NFKC: full-width forms, circled digits, compatibility characters. */
	capb = na + 16;
	b = xmalloc((size_t)capb * sizeof(*b));
	nb = unorm2_normalize(fold_nfkc, a, na, b, capb, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		fold_reserve(&b, &capb, nb);
		nb = unorm2_normalize(fold_nfkc, a, na, b, capb, &err);
	}
	fold_check(err, "unorm2_normalize");

	/* Traditional -> Simplified, in place in a copy (a). */
	fold_reserve(&a, &capa, nb * 2 + 16);
	u_memcpy(a, b, nb);
	na = lim = nb;
	utrans_transUChars(fold_translit(), a, &na, capa, 0, &lim, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		fold_reserve(&a, &capa, na + 16);
		u_memcpy(a, b, nb);
		na = lim = nb;
		utrans_transUChars(fold_translit(), a, &na, capa, 0, &lim, &err);
	}
	fold_check(err, "utrans_transUChars");

	/* Lower case, root locale (a -> b). */
	nb = u_strToLower(b, capb, a, na, "", &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		fold_reserve(&b, &capb, nb);
		nb = u_strToLower(b, capb, a, na, "", &err);
	}
	fold_check(err, "u_strToLower");

	/* Drop what is not a letter, digit or mark, straight into UTF-8. */
	out = xmalloc((size_t)nb * 3 + 1);
	no = 0;
	for (i = 0; i < nb; ) {
		U16_NEXT(b, i, nb, c);
		if (fold_drops(c)) {
			if (flags & FOLD_GAPS)
				fold_gap(out, &no);
			continue;
		}
		if (c < 0x80)
			out[no++] = (char)c;
		else if (c < 0x800) {
			out[no++] = (char)(0xC0 | (c >> 6));
			out[no++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[no++] = (char)(0xE0 | (c >> 12));
			out[no++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[no++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[no++] = (char)(0xF0 | (c >> 18));
			out[no++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[no++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[no++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[no] = '\0';
	free(a);
	free(b);
	return out;
}

/* Characters folded one at a time: Han, CJK and full-width punctuation
 * and forms, general punctuation (none a combining mark, none composed
 * with a neighbour by NFKC). */
static bool
fold_one_ok(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x3000 && c <= 0x3029) || (c >= 0x3030 && c <= 0x303F) ||
	    (c >= 0xFF01 && c <= 0xFF5E) ||
	    (c >= 0x2000 && c <= 0x206F);
}

/*
 * The memo of c (fold_one_ok), made on first use: c folded between two
 * letters, with and without gaps, must be the letters around one code
 * point or around nothing (U+2017 folds to a space and a mark: ICU).
 */
static uint32_t
fold_one(uint32_t c)
{
	uint32_t	 v = atomic_load_explicit(&fold_memo[c], memory_order_relaxed);
	char		 in[8], *f, *g;
	const char	*p;
	uint32_t	 cp;
	int32_t		 i = 0;
	size_t		 fl;

	if (v != 0)
		return v;
	in[i++] = 'a';
	U8_APPEND_UNSAFE(in, i, c);
	in[i++] = 'a';
	f = fold_icu(in, (size_t)i, 0);
	g = fold_icu(in, (size_t)i, FOLD_GAPS);
	fl = strlen(f);
	v = FOLD_MEMO_ICU;
	if (strcmp(f, "aa") == 0 && strcmp(g, "a a") == 0)
		v = FOLD_MEMO_DROP;
	else if (fl > 2 && f[0] == 'a' && f[fl - 1] == 'a' && strcmp(f, g) == 0) {
		f[fl - 1] = '\0';
		p = f + 1;
		if (utf8_decode(&p, &cp) == 1 && *p == '\0')
			v = cp + FOLD_MEMO_BASE;
	}
	free(f);
	free(g);
	atomic_store_explicit(&fold_memo[c], v, memory_order_relaxed);
	return v;
}

/* Does a run the transliterator rewrites start at cps[i]? */
static bool
fold_run_at(const uint32_t *cps, size_t n, size_t i)
{
	size_t	 j;

	if (cps[i] >= 0x10000 ||
	    !(fold_multi_first[cps[i] / 8] & (1u << (cps[i] % 8))))
		return false;
	for (j = 0; j < nfold_multi; j++)
		if (fold_multi[j].cp[0] == cps[i] && i + fold_multi[j].n <= n &&
		    memcmp(fold_multi[j].cp, cps + i, fold_multi[j].n *
		    sizeof(*cps)) == 0)
			return true;
	return false;
}

/*
 * Fold in[0..len) one character at a time (fold_memo); NULL when some
 * character or run needs ICU on the whole text.
 */
static char *
fold_fast_path(const char *in, size_t len, int flags)
{
	uint32_t	*cps, v;
	const char	*p = in, *end = in + len;
	char		*out;
	size_t		 n = 0, i, no = 0;
	int32_t		 o;

	pthread_once(&fold_once, fold_init);
	if (!fold_fast)
		return NULL;
	cps = xmalloc((len + 1) * sizeof(*cps));
	while (p < end) {
		if ((unsigned char)*p < 0x80)
			cps[n++] = (unsigned char)*p++;
		else if (utf8_decode(&p, &cps[n]) != 1 || p > end ||
		    !fold_one_ok(cps[n])) {
			free(cps);
			return NULL;
		} else
			n++;
	}
	for (i = 0; i < n; i++)
		if (cps[i] >= 0x80 && (fold_one(cps[i]) == FOLD_MEMO_ICU ||
		    fold_run_at(cps, n, i))) {
			free(cps);
			return NULL;
		}
	out = xmalloc(len * 2 + 1);	/* a 3-byte character folds to at most 4 */
	for (i = 0; i < n; i++) {
		if (cps[i] < 0x80) {
			char c = (char)cps[i];

			if (c >= 'A' && c <= 'Z')
				out[no++] = (char)(c - 'A' + 'a');
			else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				out[no++] = c;
			else if (flags & FOLD_GAPS)
				fold_gap(out, &no);
			continue;
		}
		if ((v = fold_one(cps[i])) == FOLD_MEMO_DROP) {
			if (flags & FOLD_GAPS)
				fold_gap(out, &no);
			continue;
		}
		o = 0;
		U8_APPEND_UNSAFE(out + no, o, v - FOLD_MEMO_BASE);
		no += (size_t)o;
	}
	out[no] = '\0';
	free(cps);
	return out;
}

/* Fold in with flags: the ASCII path, one character at a time, or ICU.
 * Returns a new string. */
static char *
fold(const char *in, int flags)
{
	size_t	 len, i;
	char	*out;

	if (in == NULL)
		in = "";
	len = strnlen(in, TEXT_FOLD_MAX);
	for (i = 0; i < len; i++)
		if ((unsigned char)in[i] >= 0x80) {
			if ((out = fold_fast_path(in, len, flags)) != NULL)
				return out;
			return fold_icu(in, len, flags);
		}
	return fold_ascii(in, len, flags);
}

char *
text_fold_icu(const char *in, bool gaps)
{
	if (in == NULL)
		in = "";
	return fold_icu(in, strnlen(in, TEXT_FOLD_MAX), gaps ? FOLD_GAPS : 0);
}

size_t
text_strip_bidi(char *s)
{
	/* Their UTF-8 forms.  Each starts with a lead byte (0xd8, 0xe2),
	 * which no multibyte sequence has inside it, so a byte match never
	 * cuts another character. */
	static const char *const bidi[] = {
	    "\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
	    "\xe2\x80\xae",				/* U+202A..U+202E */
	    "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9",
						/* U+2066..U+2069 */
	    "\xe2\x80\x8e", "\xe2\x80\x8f",		/* U+200E, U+200F */
	    "\xd8\x9c" };				/* U+061C */
	char	*r, *w;
	size_t	 i, n = 0, len;

	if (s == NULL)
		return 0;
	for (r = w = s; *r != '\0'; ) {
		if ((unsigned char)*r == 0xe2 || (unsigned char)*r == 0xd8) {
			for (i = 0; i < nitems(bidi); i++) {
				len = strlen(bidi[i]);
				if (strncmp(r, bidi[i], len) == 0)
					break;
			}
			if (i < nitems(bidi)) {
				r += strlen(bidi[i]);
				n++;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
	return n;
}

char *
text_fold(const char *in)
{
	return fold(in, 0);
}

char *
text_fold_words(const char *in)
{
	return fold(in, FOLD_GAPS);
}

/*
 * Figures of speech residents use in complaints that hold a word some
 * problem has (水, 苦水, 黑, 坑, 雨, 火, 路, 灯), folded: see
 * text_figures_blank().
 */
static const char *const figures[] = {
	"打水漂", "水漂", "倒苦水", "吐苦水", "诉苦水", "一肚子苦水",
	"水泄不通", "车水马龙", "一头雾水", "泼冷水", "浇冷水", "杯水车薪",
	"水深火热", "石沉大海", "拖泥带水", "雷声大雨点小", "火冒三丈",
	"火烧眉毛", "恼火", "窝火", "黑心", "黑锅", "黑幕", "黑钱", "黑店",
	"黑中介", "打黑工", "坑钱", "坑农", "坑老百姓", "坑游客", "坑外地人",
	"走投无路", "没有活路", "没活路", "一路绿灯", "开绿灯", "踢皮球",
	"打太极", "心都凉了", "凉了半截"
};

/* Blank in f every occurrence of the n words of list. */
static void
words_blanked(char *f, const char *const *list, size_t n)
{
	char	*p;
	size_t	 i, l;

	for (i = 0; i < n; i++) {
		l = strlen(list[i]);
		for (p = strstr(f, list[i]); p != NULL; p = strstr(p + l,
		    list[i]))
			memset(p, ' ', l);
	}
}

void
text_figures_blank(char *folded)
{
	if (folded != NULL)
		words_blanked(folded, figures, nitems(figures));
}

/*
 * A supply cut off, its verb and object split by 了 and how many times or
 * how long (停了四回电, 断了两天水, 停了电): written together again (停电,
 * 断水), for the keyword the two characters are.  Only 停 and 断: other
 * verbs so split say work done (修了一年路, 割了一年胶: the wages, not the
 * road).  In place.
 */
static bool	 char_in(const char *, const char *);

static void
separable_joined(char *f)
{
	static const char numerals[] = "一二两三四五六七八九十几好半多百";
	static const char measures[] = "天回次趟个月年晚夜礼拜星期周顿场阵";
	char		*v, *p;
	const char	*t;
	uint32_t	 c;
	size_t		 n, m;

	for (v = strstr(f, "了"); v != NULL; v = strstr(v, "了")) {
		p = v + strlen("了");
		for (n = 0; char_in(p, numerals) || (*p >= '0' && *p <= '9');
		    n++)
			p += *p >= '0' && *p <= '9' ? 1 : strlen("一");
		for (m = 0; n > 0 && m < 3 && char_in(p, measures); m++)
			p += strlen("天");
		/* the verb before 了, the object after */
		if (v - f < 3 || !char_in(v - 3, "停断") ||
		    (n > 0 && m == 0) || n > 3 ||
		    (t = p, utf8_decode(&t, &c) != 1) || c < 0x4E00 ||
		    c > 0x9FFF || char_in(p, "了的")) {
			v += strlen("了");
			continue;
		}
		memmove(v, p, strlen(p) + 1);
	}
}

/* --- pinyin: homophones and place names in Latin letters ----------------- */

/*
 * The syllable of one Han character, without tones, into out ("许" ->
 * "xu"); its length, 0 when cp is not Han or ICU has no reading.
 */
/*
 * The syllables of the BMP's Han characters, remembered: up to 7 letters
 * in the low bytes, their count with PY_MEMO_SET in the top byte (0: not
 * read yet).
 */
#define PY_MEMO_SET	0x80u
static _Atomic uint64_t	 py_memo[0x10000];

size_t
text_syllable(uint32_t cp, char *out, size_t outsz)
{
	UChar		 buf[32];
	UErrorCode	 err = U_ZERO_ERROR;
	int32_t		 n = 0, lim, i;
	size_t		 o = 0;
	uint64_t	 m;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if ((cp >= PY_TABLE_FIRST && cp <= PY_TABLE_LAST &&
	    (m = py_table[cp - PY_TABLE_FIRST]) != 0) || (cp < 0x10000 &&
	    (m = atomic_load_explicit(&py_memo[cp], memory_order_relaxed)) != 0)) {
		n = (int32_t)((m >> 56) & ~(uint64_t)PY_MEMO_SET);
		for (i = 0; i < n && o + 1 < outsz; i++)
			out[o++] = (char)((m >> (8 * i)) & 0xff);
		out[o] = '\0';
		return o;
	}
	if (!u_hasBinaryProperty((UChar32)cp, UCHAR_IDEOGRAPHIC)) {
		if (cp < 0x10000)
			atomic_store_explicit(&py_memo[cp], (uint64_t)PY_MEMO_SET << 56,
			    memory_order_relaxed);
		return 0;
	}
	pthread_once(&py_once, py_init);
	U16_APPEND_UNSAFE(buf, n, (UChar32)cp);
	lim = n;
	utrans_transUChars(translit_of(py_proto, py_key), buf, &n,
	    (int32_t)nitems(buf), 0, &lim, &err);
	if (U_FAILURE(err))
		return 0;
	for (i = 0; i < n && o + 1 < outsz; i++) {
		if (buf[i] >= 'a' && buf[i] <= 'z')
			out[o++] = (char)buf[i];
		else if (buf[i] >= 'A' && buf[i] <= 'Z')
			out[o++] = (char)(buf[i] - 'A' + 'a');
	}
	out[o] = '\0';
	if (cp < 0x10000 && o <= 7 && i == n) {
		m = (uint64_t)(PY_MEMO_SET | o) << 56;
		for (i = 0; i < (int32_t)o; i++)
			m |= (uint64_t)(unsigned char)out[i] << (8 * i);
		atomic_store_explicit(&py_memo[cp], m, memory_order_relaxed);
	}
	return o;
}

/*
 * Characters read more than one way, with the readings ICU does not give
 * (it gives one: 谁 "shei", 长 "zhang", 调 "diao").  A pinyin keyboard
 * offers 谁 for "shui" too, so 停谁 is 停水 mistyped; a village 长庄
 * written "Changzhuang" is 长庄.  Tried only when the reading ICU gives
 * matches nothing.  Particles (的, 了, 着, 都 ...) are left out: they are
 * in nearly every message and in no keyword, and would make it read
 * again for nothing.
 */
static const struct polyphone {
	uint32_t	 cp;
	const char	*alt[2];
} polyphones[] = {
	{ U'谁', { "shui", NULL } }, { U'长', { "chang", NULL } },
	{ U'调', { "tiao", NULL } }, { U'似', { "si", NULL } },
	{ U'粘', { "nian", NULL } }, { U'泊', { "bo", NULL } },
	{ U'厦', { "xia", NULL } }, { U'行', { "hang", NULL } },
	{ U'重', { "chong", NULL } }, { U'便', { "pian", NULL } },
	{ U'觉', { "jiao", NULL } }, { U'降', { "xiang", NULL } },
	{ U'血', { "xie", NULL } }, { U'薄', { "bo", NULL } },
	{ U'熟', { "shou", NULL } }, { U'色', { "shai", NULL } },
	{ U'给', { "ji", NULL } }, { U'塞', { "se", NULL } },
	{ U'区', { "ou", NULL } }, { U'单', { "shan", "chan" } },
	{ U'曾', { "zeng", NULL } }, { U'查', { "zha", NULL } },
	{ U'差', { "chai", "ci" } }, { U'乐', { "yue", NULL } },
	{ U'传', { "zhuan", NULL } }, { U'朝', { "zhao", NULL } },
	{ U'省', { "xing", NULL } }, { U'系', { "ji", NULL } },
	{ U'藏', { "zang", NULL } }, { U'弹', { "tan", NULL } },
	{ U'落', { "lao", "la" } }, { U'露', { "lou", NULL } },
	{ U'校', { "jiao", NULL } }, { U'卡', { "qia", NULL } },
	{ U'率', { "shuai", NULL } }, { U'识', { "zhi", NULL } },
	{ U'择', { "zhai", NULL } }, { U'剥', { "bao", NULL } },
	{ U'壳', { "qiao", NULL } }, { U'暴', { "pu", NULL } },
	{ U'仇', { "qiu", NULL } }, { U'屏', { "bing", NULL } },
	{ U'模', { "mu", NULL } }, { U'强', { "jiang", NULL } },
	{ U'数', { "shuo", NULL } }, { U'石', { "dan", NULL } },
	{ U'奇', { "ji", NULL } }, { U'伯', { "bai", NULL } },
	{ U'叶', { "xie", NULL } }, { U'车', { "ju", NULL } },
	{ U'贾', { "gu", NULL } }, { U'朴', { "piao", "po" } },
	{ U'参', { "can", "shen" } }, { U'角', { "jue", NULL } },
	{ U'盛', { "cheng", NULL } }, { U'曝', { "bao", NULL } },
	{ U'提', { "di", NULL } },	/* 提防; 海提 for 海堤, which many
					 * read ti */
	/* as keywords read them: 羊圈 yangjuan, 猪仔 zhuzai, 还款 huankuan,
	 * 征地 zhengdi (ICU: quan, zi, hai, de) */
	{ U'缝', { "feng", NULL } }, { U'圈', { "juan", NULL } },
	{ U'仔', { "zai", NULL } }, { U'还', { "huan", NULL } },
	{ U'地', { "di", NULL } },
	/* in place names: 宝日陶勒盖 Baoritaolegai, 黄埔, 十里堡, 圩, 王家咀
	 * Wangjiazui */
	{ U'勒', { "le", NULL } }, { U'埔', { "pu", NULL } },
	{ U'堡', { "bu", "pu" } }, { U'圩', { "xu", NULL } },
	{ U'咀', { "zui", NULL } },
	/* as the south-west reads them: 波 po (滑波 for 滑坡), 桷 ge (黄桷
	 * of 黄葛树, the same tree) */
	{ U'波', { "po", NULL } }, { U'桷', { "ge", NULL } }
};

/* cp's alternative readings (polyphones[]): how many, their list. */
static size_t
polyphone_alts(uint32_t cp, const char *const **alt)
{
	size_t	 i;

	for (i = 0; i < nitems(polyphones); i++)
		if (polyphones[i].cp == cp) {
			*alt = polyphones[i].alt;
			return polyphones[i].alt[1] != NULL ? 2 : 1;
		}
	return 0;
}

/*
 * Characters a keyword or a name reads otherwise than ICU reads them
 * alone: 地 is di in 土地, 征地, 浇地 (ICU: de, the particle, so that 光秃
 * 秃的 read tu de, 土地).
 */
static const struct {
	uint32_t	 cp;
	const char	*syl;
} key_readings[] = {
	{ U'地', "di" }
};

/* The syllable of cp as text_syllable(), with alt > 0 its alt'th other
 * reading, when it has one; with alt < 0 as a keyword reads it
 * (key_readings). */
static size_t
syllable_of(uint32_t cp, int alt, char *out, size_t outsz)
{
	const char *const	*a;
	size_t			 i;

	if (alt > 0 && polyphone_alts(cp, &a) >= (size_t)alt)
		return strlcpy(out, a[alt - 1], outsz);
	for (i = 0; alt < 0 && i < nitems(key_readings); i++)
		if (key_readings[i].cp == cp)
			return strlcpy(out, key_readings[i].syl, outsz);
	return text_syllable(cp, out, outsz);
}

/* bits of text_pinyin.b */
#define PB_START	0x01	/* a match may start at this byte */
#define PB_END		0x02	/* a match may end before this byte */
#define PB_LATIN	0x04	/* the byte belongs to a run of letters as written */

/*
 * A text as pinyin: each Han character's syllable and each run of ASCII
 * letters and digits, run together.  A match must start and end on a
 * syllable or a word's edge, so "路等" matches the key of 路灯 and
 * "xu zhuang cun" that of 许庄村, but "ludeng" never matches inside
 * another syllable.
 */
struct text_pinyin {
	char		*s;	/* from malloc() */
	size_t		 len;
	char		*gapped; /* what it was built from, from malloc() */
	int		 nalt;	/* most other readings of one of its characters */
	uint32_t	*cp;	/* [len + 1]: the folded code point each byte comes from */
	unsigned char	*b;	/* [len + 1]: PB_* */
};

/* Suffixes after a place's name in Latin letters, as residents write them. */
static const char *const latin_place_suffixes[] = {
	"village", "community", "township", "town", "cun", "zhen", "xiang",
	"shequ", "jiedao", "street", "juweihui"
};

static struct text_pinyin *
pinyin_build(const char *gapped, int alt)
{
	struct text_pinyin	*py;
	const char		*p = gapped;
	const char *const	*alts;
	char			 syl[16];
	size_t			 cap, n = 0, l, i;
	uint32_t		 c, cpi = 0;
	bool			 run = false;
	int			 r;

	py = xcalloc(1, sizeof(*py));
	cap = strlen(gapped) * 3 + 8;	/* a syllable is at most 6 letters for 3 bytes */
	py->s = xmalloc(cap + 1);
	py->cp = xcalloc(cap + 1, sizeof(*py->cp));
	py->b = xcalloc(cap + 1, 1);
	while ((r = utf8_decode(&p, &c)) != 0) {
		if (r < 0) {
			p++;
			c = 0xFFFD;
		}
		if (c == ' ') {
			if (run)
				py->b[n] |= PB_END;
			run = false;
			continue;
		}
		if (c < 0x80) {
			if (!run)
				py->b[n] |= PB_START;
			run = true;
			py->b[n] |= PB_LATIN;
			py->cp[n] = cpi++;
			py->s[n++] = (char)c;
			continue;
		}
		if (run)
			py->b[n] |= PB_END;
		run = false;
		l = syllable_of(c, alt, syl, sizeof(syl));
		if (alt == 0 && (i = polyphone_alts(c, &alts)) > (size_t)py->nalt)
			py->nalt = (int)i;
		if (l == 0) {
			syl[0] = '\x01';
			l = 1;
		}
		py->b[n] |= PB_START;
		for (i = 0; i < l && n < cap; i++) {
			py->cp[n] = cpi;
			py->s[n++] = syl[i];
		}
		py->b[n] |= PB_END;
		cpi++;
	}
	if (run)
		py->b[n] |= PB_END;
	py->s[n] = '\0';
	py->cp[n] = cpi;
	py->len = n;
	return py;
}

struct text_pinyin *
text_pinyin_new(const char *raw)
{
	char			*g = fold(raw, FOLD_GAPS);
	struct text_pinyin	*py = pinyin_build(g, 0);

	py->gapped = g;
	return py;
}

/* py read with each character's alt'th other reading (polyphones[]). */
static struct text_pinyin *
pinyin_alt(const struct text_pinyin *py, int alt)
{
	return pinyin_build(py->gapped != NULL ? py->gapped : "", alt);
}

void
text_pinyin_free(struct text_pinyin *py)
{
	if (py == NULL)
		return;
	free(py->s);
	free(py->gapped);
	free(py->cp);
	free(py->b);
	free(py);
}

/*
 * Fuzzy pinyin, as pinyin keyboards offer it to those whose speech does not
 * tell zh, ch, sh from z, c, s: each h after z, c or s dropped (郭在 for
 * 郭寨, guozai for guozhai).  No syllable ends in z, c or s, so a key's
 * fuzzy form is found in a text's fuzzy form wherever the key is.  Nor
 * -ng from -n (most of the south-west, 新明 for 新民): the g of an ng
 * not before a vowel dropped, in a key and a text alike (xinming: xinmin;
 * xingan, where the g may start the next syllable, is left).  A new
 * text_pinyin.
 */
static struct text_pinyin *
pinyin_fuzz(const struct text_pinyin *py)
{
	struct text_pinyin	*fz;
	size_t			 i, n = 0;
	char			 prev = '\0';

	fz = xcalloc(1, sizeof(*fz));
	fz->s = xmalloc(py->len + 1);
	fz->cp = xcalloc(py->len + 1, sizeof(*fz->cp));
	fz->b = xcalloc(py->len + 1, 1);
	for (i = 0; i < py->len; i++) {
		if (py->s[i] == 'h' && (prev == 'z' || prev == 'c' || prev == 's') &&
		    !(py->b[i] & (PB_START | PB_END))) {
			prev = 'h';
			continue;
		}
		if (py->s[i] == 'g' && prev == 'n' && !(py->b[i] & PB_START) &&
		    (py->s[i + 1] == '\0' ||
		    strchr("aeiou", py->s[i + 1]) == NULL)) {
			prev = 'g';
			continue;
		}
		prev = py->s[i];
		fz->s[n] = py->s[i];
		fz->cp[n] = py->cp[i];
		fz->b[n++] = py->b[i];
	}
	fz->s[n] = '\0';
	fz->cp[n] = py->cp[py->len];
	fz->b[n] = py->b[py->len];
	fz->len = n;
	return fz;
}

/* Does a match of len bytes at off sit on edges (or end before a place
 * suffix inside a word: "xuzhuangcun")? */
static bool
pinyin_edges(const struct text_pinyin *py, size_t off, size_t len)
{
	size_t	 e = off + len, i, l;

	if (!(py->b[off] & PB_START))
		return false;
	if (py->b[e] & PB_END)
		return true;
	if (!(py->b[e] & PB_LATIN) || e == 0 || !(py->b[e - 1] & PB_LATIN))
		return false;
	for (i = 0; i < nitems(latin_place_suffixes); i++) {
		l = strlen(latin_place_suffixes[i]);
		if (strncmp(py->s + e, latin_place_suffixes[i], l) == 0 &&
		    (py->b[e + l] & PB_END))
			return true;
	}
	return false;
}

/*
 * The first match of key in py on edges: 0 with *start and *end (folded
 * code points) set, -1 when none.
 */
static int
pinyin_find(const struct text_pinyin *py, const char *key, size_t from,
    size_t *start, size_t *end)
{
	const char	*p;
	size_t		 kl = strlen(key), off;

	if (py == NULL || kl == 0)
		return -1;
	for (p = py->s + from; (p = strstr(p, key)) != NULL; p++) {
		off = (size_t)(p - py->s);
		if (!pinyin_edges(py, off, kl))
			continue;
		*start = py->cp[off];
		*end = off + kl < py->len ? py->cp[off + kl] : py->cp[py->len];
		return 0;
	}
	return -1;
}

/* Place-name endings that residents leave out: 许庄村 is also 许庄
 * (嘎查 and 苏木: a village and a township in Inner Mongolia). */
static const char *const han_place_suffixes[] = {
	"居委会", "社区", "街道", "村", "镇", "乡", "嘎查", "苏木"
};

/*
 * The pinyin key of folded text that is all Han: its syllables run
 * together, *syllables their number; NULL when a character is not Han.
 * A new string.
 */
static char *
pinyin_key(const char *folded, int alt, size_t *syllables)
{
	const char	*p = folded;
	struct buf	 b;
	char		 syl[16];
	uint32_t	 c;
	size_t		 n = 0;

	buf_init(&b, 0);
	while (utf8_decode(&p, &c) > 0) {
		if (syllable_of(c, alt, syl, sizeof(syl)) == 0) {
			buf_free(&b);
			return NULL;
		}
		buf_addstr(&b, syl);
		n++;
	}
	*syllables = n;
	if (n == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *
text_pinyin_of(const char *s)
{
	char	*f = text_fold(s), *k;
	size_t	 n;

	k = pinyin_key(f, 0, &n);
	free(f);
	return k != NULL ? k : xstrdup("");
}

/* --- the index: category keywords and place names ----------------------- */

struct text_key {
	char	*s;		/* folded, from malloc(); never empty */
	size_t	 len;		/* bytes */
	size_t	 chars;		/* code points: what "longest" counts */
	int	 owner;		/* index into categories, grids or townships */
	size_t	 seq;		/* order of insertion, for a stable sort */
	char	*word;		/* a pinyin key's word, folded, from malloc();
				 * or NULL */
	bool	 rare;		/* ... read another way than usually (落石 as
				 * laoshi) */
};

struct text_keys {
	struct text_key	*v;	/* from malloc(), sorted longest first */
	size_t		 n;
	size_t		 cap;
};

struct text_index {
	const struct config *cfg;	/* borrowed; outlives the index */
	struct text_keys  cats;		/* category keywords */
	struct text_keys  grids;	/* grid names and aliases */
	struct text_keys  towns;	/* township names */
	struct text_keys  cats_py;	/* the same as pinyin keys (two syllables */
	struct text_keys  grids_py;	/* or more), names also without their */
	struct text_keys  towns_py;	/* 村 / 社区 / 镇 / 乡 */
	struct text_keys  grids_fz;	/* the place keys with zh, ch, sh */
	struct text_keys  towns_fz;	/* as z, c, s: pinyin_fuzz() */
	struct text_keys  cats_fz;	/* the same of the keywords: 跳匝 */
	int		 *grid_town;	/* township index of each grid, or -1; from malloc() */
	int		 *town_seat;	/* per township, town_seat(); from malloc() */
	char		***cat_words;	/* per category: text_category_words() */
	char		***place_keys;	/* per grid, then none: text_place_keys() */
	size_t		  ncats;
	size_t		  ngrids;
	struct classifier *nb;		/* learned categories */
	bool		  nb_borrowed;	/* nb is another index's (shared) */
};

static size_t
text_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Fold raw and add it for owner; a key that folds to nothing is skipped. */
static void
keys_add(struct text_keys *k, const char *raw, int owner)
{
	struct text_key	*e;
	char		*s = NULL;

	s = text_fold(raw);
	if (*s == '\0') {
		free(s);
		return;
	}
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 16;
		k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
	}
	e = &k->v[k->n];
	e->s = s;		/* owned by the index now */
	e->len = strlen(s);
	e->chars = text_chars(s);
	e->owner = owner;
	e->word = NULL;
	e->rare = false;
	e->seq = k->n++;
}

/* The word the last key added to k was read from, rare when not in its
 * characters' usual readings. */
static void
keys_word(struct text_keys *k, const char *word, bool rare)
{
	k->v[k->n - 1].word = xstrdup(word);
	k->v[k->n - 1].rare = rare;
}

/* Add the pinyin key of k->s's last entry for owner: the syllables of a
 * name that is all Han, when there are two or more. */
static void
keys_add_key(struct text_keys *k, char *key, size_t syllables, int owner)
{
	struct text_key	*e;

	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 16;
		k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
	}
	e = &k->v[k->n];
	e->s = key;
	e->len = strlen(key);
	e->chars = syllables;
	e->owner = owner;
	e->word = NULL;
	e->rare = false;
	e->seq = k->n++;
}

/*
 * Fold raw and add its pinyin key for owner, when it is all Han and two
 * syllables or more; a place (place true) also without its ending
 * (许庄村: "xuzhuangcun" and "xuzhuang").
 */
/* Add the pinyin keys of folded f for owner, as ICU reads it and as its
 * polyphones[] read otherwise, when two syllables or more. */
static void
keys_add_readings(struct text_keys *k, const char *f, int owner)
{
	const char *const	*a;
	const char		*p = f;
	char			*key, *first;
	size_t			 n, most = 0, m;
	uint32_t		 c;
	int			 alt;

	while (utf8_decode(&p, &c) > 0)
		if ((m = polyphone_alts(c, &a)) > most)
			most = m;
	if ((first = pinyin_key(f, -1, &n)) == NULL || n < 2) {
		free(first);
		return;
	}
	keys_add_key(k, first, n, owner);
	keys_word(k, f, false);
	for (alt = 1; alt <= (int)most; alt++) {
		key = pinyin_key(f, alt, &n);
		if (key != NULL && strcmp(key, first) != 0) {
			keys_add_key(k, key, n, owner);
			keys_word(k, f, true);
		} else
			free(key);
	}
}

/*
 * Fold raw and add its pinyin keys for owner (keys_add_readings); a place
 * (place true) also without its ending (许庄村: "xuzhuangcun" and
 * "xuzhuang").
 */
/*
 * A place named for its street (文化路社区, 解放街), as residents write it
 * in English: the street's name in pinyin and its kind in English
 * ("Wenhua Road community": "wenhuaroad").  f is folded, without the
 * place's ending.
 */
static void
keys_add_street(struct text_keys *k, const char *f, int owner)
{
	static const struct {
		const char	*han, *en;
	} streets[] = {
		{ "大道", "avenue" }, { "路", "road" }, { "街", "street" },
		{ "巷", "lane" }
	};
	char	*base, *key;
	size_t	 i, fl = strlen(f), sl, n;

	for (i = 0; i < nitems(streets); i++) {
		sl = strlen(streets[i].han);
		if (fl <= sl || strcmp(f + fl - sl, streets[i].han) != 0)
			continue;
		base = xstrndup(f, fl - sl);
		if ((key = pinyin_key(base, -1, &n)) != NULL) {
			free(base);
			base = xasprintf("%s%s", key, streets[i].en);
			free(key);
			keys_add_key(k, base, n + 1, owner);
		} else
			free(base);
		return;
	}
}

static void
keys_add_pinyin(struct text_keys *k, const char *raw, int owner, bool place)
{
	char	*f = text_fold(raw), *rest;
	size_t	 i, fl = strlen(f), sl;

	keys_add_readings(k, f, owner);
	if (place)
		keys_add_street(k, f, owner);
	for (i = 0; place && i < nitems(han_place_suffixes); i++) {
		sl = strlen(han_place_suffixes[i]);
		if (fl <= sl || strcmp(f + fl - sl, han_place_suffixes[i]) != 0)
			continue;
		rest = xstrndup(f, fl - sl);
		keys_add_readings(k, rest, owner);
		keys_add_street(k, rest, owner);
		free(rest);
		break;
	}
	free(f);
}

/* English endings of a place's name_en that residents leave out. */
static const char *const en_place_suffixes[] = {
	"gacha", "village", "community", "cun", "shequ"
};

/* Add a Latin key for owner: name's letters, lowercased, when they make
 * two syllables (vowel runs) or more.  len: how many bytes of name. */
static void
keys_add_latin_key(struct text_keys *k, const char *name, size_t len, int owner)
{
	char	*key = xmalloc(len + 1);
	size_t	 i, n = 0, syllables = 0;
	bool	 vowel = false;
	char	 c;

	for (i = 0; i < len; i++) {
		c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			continue;
		if (strchr("aeiouv", c) != NULL && !vowel)
			syllables++;
		vowel = strchr("aeiouv", c) != NULL;
		key[n++] = c;
	}
	key[n] = '\0';
	if (syllables < 2) {
		free(key);
		return;
	}
	keys_add_key(k, key, syllables, owner);
}

/*
 * A place's English name (name_en) as the resident writes it back, in
 * whatever romanization the county chose (Chagan Nuur for 查干诺尔): its
 * letters, and without its last word when that is an ending
 * (en_place_suffixes).  ASCII only; otherwise the pinyin keys serve.
 */
static void
keys_add_latin(struct text_keys *k, const char *name_en, int owner)
{
	const char	*last;
	size_t		 i, l, n;

	if (name_en == NULL)
		return;
	for (i = 0; name_en[i] != '\0'; i++)
		if ((unsigned char)name_en[i] >= 0x80)
			return;
	keys_add_latin_key(k, name_en, strlen(name_en), owner);
	n = strlen(name_en);
	while (n > 0 && name_en[n - 1] == ' ')
		n--;
	for (last = name_en + n; last > name_en && last[-1] != ' '; last--)
		;
	if (last == name_en)
		return;
	last--;		/* the space before the last word */
	l = n - (size_t)(last + 1 - name_en);
	for (i = 0; i < nitems(en_place_suffixes); i++)
		if (strlen(en_place_suffixes[i]) == l &&
		    strncasecmp(last + 1, en_place_suffixes[i], l) == 0) {
			keys_add_latin_key(k, name_en, (size_t)(last - name_en),
			    owner);
			break;
		}
}

/* to: from's keys in fuzzy pinyin (pinyin_fuzz()); from is sorted. */
static void
keys_fuzz(struct text_keys *to, const struct text_keys *from)
{
	struct text_pinyin	*py, *fz;
	size_t			 i;

	for (i = 0; i < from->n; i++) {
		py = pinyin_build(from->v[i].s, 0);
		fz = pinyin_fuzz(py);
		keys_add_key(to, fz->s, from->v[i].chars, from->v[i].owner);
		if (from->v[i].word != NULL)
			keys_word(to, from->v[i].word, from->v[i].rare);
		fz->s = NULL;
		text_pinyin_free(fz);
		text_pinyin_free(py);
	}
}

/* Longest first; then the first in config order; then as written. */
static int
keys_cmp(const void *pa, const void *pb)
{
	const struct text_key	*a = pa, *b = pb;

	if (a->chars != b->chars)
		return a->chars > b->chars ? -1 : 1;
	if (a->owner != b->owner)
		return a->owner < b->owner ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
keys_sort(struct text_keys *k)
{
	if (k->n > 1)
		qsort(k->v, k->n, sizeof(*k->v), keys_cmp);
}

static void
keys_free(struct text_keys *k)
{
	size_t	 i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].s);
		free(k->v[i].word);
	}
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}

/* A NULL-terminated array of n folded strings; a NULL raw folds to "". */
static char **
words_new(size_t n)
{
	return xcalloc(n + 1, sizeof(char *));
}

static void
words_free(char **w)
{
	size_t	 i;

	for (i = 0; w != NULL && w[i] != NULL; i++)
		free(w[i]);
	free(w);
}

static int
words_cmp_len(const void *a, const void *b)
{
	size_t	 la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* The folded words of each category and the place keys of each grid. */
static void
index_words(struct text_index *ix, const struct config *cfg)
{
	const struct category	*c;
	const struct grid	*g;
	char			**k;
	size_t			 i, j, n;

	ix->ncats = cfg->ncategories;
	ix->cat_words = xcalloc(ix->ncats + 1, sizeof(*ix->cat_words));
	for (i = 0; i < cfg->ncategories; i++) {
		c = &cfg->categories[i];
		k = words_new(c->nkeywords + 2);
		k[0] = text_fold(c->name != NULL ? c->name : "");
		k[1] = text_fold(c->name_en != NULL ? c->name_en : "");
		for (j = 0; j < c->nkeywords; j++)
			k[j + 2] = text_fold(c->keywords[j]);
		ix->cat_words[i] = k;
	}
	ix->ngrids = cfg->ngrids;
	ix->place_keys = xcalloc(ix->ngrids + 1, sizeof(*ix->place_keys));
	for (i = 0; i <= cfg->ngrids; i++) {
		g = i < cfg->ngrids ? &cfg->grids[i] : NULL;
		k = words_new((g ? g->naliases + 1 : 0) + cfg->ntownships);
		n = 0;
		if (g != NULL) {
			k[n++] = text_fold(g->name);
			for (j = 0; j < g->naliases; j++)
				k[n++] = text_fold(g->aliases[j]);
		}
		for (j = 0; j < cfg->ntownships; j++)
			k[n++] = text_fold(cfg->townships[j].name);
		qsort(k, n, sizeof(*k), words_cmp_len);
		ix->place_keys[i] = k;
	}
}

const char *const *
text_category_words(const struct text_index *ix, int c)
{
	return (const char *const *)ix->cat_words[c];
}

const char *const *
text_place_keys(const struct text_index *ix, int g)
{
	return (const char *const *)ix->place_keys[g >= 0 ? (size_t)g : ix->ngrids];
}

/* raw folded, without a place's ending (板利乡: 板利), when two characters
 * or more are left; a new string. */
static char *
place_stem(const char *raw)
{
	char	*f = text_fold(raw);
	size_t	 i, fl = strlen(f), sl;

	for (i = 0; i < nitems(han_place_suffixes); i++) {
		sl = strlen(han_place_suffixes[i]);
		if (fl > sl && strcmp(f + fl - sl, han_place_suffixes[i]) == 0) {
			if (text_chars(f) - text_chars(han_place_suffixes[i]) >= 2)
				f[fl - sl] = '\0';
			break;
		}
	}
	return f;
}

/*
 * The grid of township t named as the township is, their endings apart
 * (板利村 of 板利乡, 宝力根嘎查 of 宝力根苏木): the township's seat, where
 * 板利乡那个农资店 is; -1 when no grid or more than one is.
 */
static int
town_seat(const struct config *cfg, const int *grid_town, size_t t)
{
	const struct grid	*g;
	char			*stem = place_stem(cfg->townships[t].name), *s;
	size_t			 i, j;
	int			 seat = -1;
	bool			 named;

	for (i = 0; i < cfg->ngrids; i++) {
		if (grid_town[i] != (int)t)
			continue;
		g = &cfg->grids[i];
		s = place_stem(g->name);
		named = strcmp(s, stem) == 0;
		free(s);
		for (j = 0; j < g->naliases && !named; j++) {
			s = place_stem(g->aliases[j]);
			named = strcmp(s, stem) == 0;
			free(s);
		}
		if (named && seat >= 0) {
			seat = -1;
			break;
		}
		if (named)
			seat = (int)i;
	}
	free(stem);
	return seat;
}

struct text_index *
text_index_new(const struct config *cfg)
{
	struct text_index	*ix = NULL;
	const struct grid	*g;
	size_t			 i, j;

	ix = xcalloc(1, sizeof(*ix));
	ix->cfg = cfg;
	for (i = 0; i < cfg->ncategories; i++) {
		for (j = 0; j < cfg->categories[i].nkeywords; j++) {
			keys_add(&ix->cats, cfg->categories[i].keywords[j], (int)i);
			keys_add_pinyin(&ix->cats_py, cfg->categories[i].keywords[j],
			    (int)i, false);
		}
		/* the names too: a resident may write "Heating" or 供暖 */
		keys_add(&ix->cats, cfg->categories[i].name, (int)i);
		if (cfg->categories[i].name_en != NULL)
			keys_add(&ix->cats, cfg->categories[i].name_en, (int)i);
	}
	for (i = 0; i < cfg->ntownships; i++) {
		keys_add(&ix->towns, cfg->townships[i].name, (int)i);
		keys_add_pinyin(&ix->towns_py, cfg->townships[i].name, (int)i, true);
	}
	ix->grid_town = xcalloc(cfg->ngrids ? cfg->ngrids : 1,
	    sizeof(*ix->grid_town));
	for (i = 0; i < cfg->ngrids; i++) {
		g = &cfg->grids[i];
		keys_add(&ix->grids, g->name, (int)i);
		keys_add_pinyin(&ix->grids_py, g->name, (int)i, true);
		keys_add_latin(&ix->grids_py, g->name_en, (int)i);
		for (j = 0; j < g->naliases; j++) {
			keys_add(&ix->grids, g->aliases[j], (int)i);
			keys_add_pinyin(&ix->grids_py, g->aliases[j], (int)i, true);
		}
		ix->grid_town[i] = -1;
		for (j = 0; g->township != NULL && j < cfg->ntownships; j++)
			if (strcmp(cfg->townships[j].id, g->township) == 0) {
				ix->grid_town[i] = (int)j;
				break;
			}
	}
	ix->town_seat = xcalloc(cfg->ntownships ? cfg->ntownships : 1,
	    sizeof(*ix->town_seat));
	for (i = 0; i < cfg->ntownships; i++)
		ix->town_seat[i] = town_seat(cfg, ix->grid_town, i);
	keys_sort(&ix->cats);
	keys_sort(&ix->grids);
	keys_sort(&ix->towns);
	keys_sort(&ix->cats_py);
	keys_sort(&ix->grids_py);
	keys_sort(&ix->towns_py);
	keys_fuzz(&ix->grids_fz, &ix->grids_py);
	keys_fuzz(&ix->towns_fz, &ix->towns_py);
	keys_fuzz(&ix->cats_fz, &ix->cats_py);
	index_words(ix, cfg);
	ix->nb = classifier_new(cfg, ix);
	return ix;
}

const struct classifier *
text_classifier(const struct text_index *ix)
{
	return ix != NULL ? ix->nb : NULL;
}

void
text_index_learn(struct text_index *ix, int category, const char *text)
{
	char	*masked;

	if (ix == NULL || text == NULL)
		return;
	/* what is wrong, not where: 曼列村 of a land case teaches land
	 * nothing about the next message from 曼列村 */
	masked = text_where_masked(ix, text);
	classifier_learn(ix->nb, category, masked);
	free(masked);
}

size_t
text_index_learned(const struct text_index *ix)
{
	return ix != NULL ? classifier_learned(ix->nb) : 0;
}

void
text_index_share_classifier(struct text_index *ix, const struct text_index *from)
{
	if (!ix->nb_borrowed)
		classifier_free(ix->nb);
	ix->nb = from->nb;
	ix->nb_borrowed = true;
}

void
text_index_free(struct text_index *ix)
{
	size_t	 i;

	if (ix == NULL)
		return;
	keys_free(&ix->cats);
	keys_free(&ix->grids);
	keys_free(&ix->towns);
	keys_free(&ix->cats_py);
	keys_free(&ix->grids_py);
	keys_free(&ix->grids_fz);
	keys_free(&ix->towns_fz);
	keys_free(&ix->cats_fz);
	keys_free(&ix->towns_py);
	free(ix->grid_town);
	free(ix->town_seat);
	if (!ix->nb_borrowed)
		classifier_free(ix->nb);
	for (i = 0; i < ix->ncats; i++)
		words_free(ix->cat_words[i]);
	free(ix->cat_words);
	for (i = 0; ix->place_keys != NULL && i <= ix->ngrids; i++)
		words_free(ix->place_keys[i]);
	free(ix->place_keys);
	free(ix);
}

/* Code points of folded before byte offset off. */
static size_t
cp_index(const char *folded, size_t off)
{
	size_t	 i, n = 0;

	for (i = 0; i < off; i++)
		if (((unsigned char)folded[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* A one-character keyword (路, 坑, 桥) names a category weakly: a longer
 * one anywhere in the text wins over it. */
static bool
key_strong(const struct text_key *k)
{
	return k->chars >= 2;
}

/* Words that join two problems in one message. */
static const char *const clause_joins[] = {
	"还有", "另外", "以及", "而且", "并且", "同时", " and ", " also ",
	" plus ", "還有", "仲有"	/* Cantonese 还有 */
};

size_t
text_join_at(const char *raw)
{
	const char	*p;
	size_t		 i;

	if (raw == NULL || *raw == '\0')
		return 0;
	for (p = raw + 1; *p != '\0'; p++) {
		/* a word starts at a space or a character's first byte */
		if (*p != ' ' && ((unsigned char)*p & 0xC0) != 0xC0)
			continue;
		for (i = 0; i < nitems(clause_joins); i++)
			if (*p == clause_joins[i][0] && strncasecmp(p,
			    clause_joins[i], strlen(clause_joins[i])) == 0)
				return (size_t)(p - raw);
	}
	return 0;
}

bool
text_joined(const char *raw, size_t at)
{
	size_t	 i, l;

	if (raw == NULL || at > strlen(raw))
		return false;
	while (at > 0 && raw[at - 1] == ' ')
		at--;
	for (i = 0; i < nitems(clause_joins); i++) {
		l = strlen(clause_joins[i]);
		if (clause_joins[i][l - 1] == ' ')
			l--;	/* the space after it was skipped */
		if (at >= l && strncasecmp(raw + at - l, clause_joins[i], l) == 0)
			return true;
	}
	return false;
}

/* A Han character. */
static bool
cp_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x20000 && c <= 0x2FFFF);
}

size_t
text_clause_space(const char *raw, size_t at)
{
	const char	*p, *q;
	uint32_t	 c;
	size_t		 l;

	/* (the caller's at lies within raw: no strlen a character) */
	if (raw == NULL || at == 0)
		return 0;
	if (raw[at] == ' ')
		l = 1;
	else if (strncmp(raw + at, "\u3000", 3) == 0)
		l = 3;
	else
		return 0;
	/* the character before, by its first byte */
	for (p = raw + at - 1; p > raw && ((unsigned char)*p & 0xC0) == 0x80; p--)
		;
	q = p;
	if (utf8_decode(&q, &c) <= 0 || !cp_han(c))
		return 0;
	/* and after the spaces */
	for (q = raw + at; *q == ' ' || strncmp(q, "\u3000", 3) == 0;
	    q += *q == ' ' ? 1 : 3)
		;
	return utf8_decode(&q, &c) > 0 && cp_han(c) ? l : 0;
}

/* Is p (in raw) the dot of a number ("No.2", "3.5"), no sentence's end? */
static bool
number_dot(const char *raw, const char *p)
{
	return *p == '.' && p > raw && ((p[-1] >= '0' && p[-1] <= '9') ||
	    (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z')) &&
	    p[1] >= '0' && p[1] <= '9';
}

/*
 * The clauses of raw, in order: split at punctuation, at a space between
 * Han characters ("停水两天了 昨天又停电") and at the words that join two
 * problems ("路灯坏了，还有垃圾").  A NULL-terminated array of new strings.
 */
static char **
clauses_of(const char *raw)
{
	char		**v = NULL;
	const char	 *p = raw, *s = raw, *q;
	size_t		  n = 0, i, l;
	uint32_t	  c;
	bool		  cut;
	int		  r;

	v = xcalloc(2, sizeof(*v));
	for (;;) {
		q = p;
		cut = false;
		l = 0;
		for (i = 0; *q != '\0' && i < nitems(clause_joins); i++) {
			l = strlen(clause_joins[i]);
			if (strncasecmp(q, clause_joins[i], l) == 0) {
				cut = true;
				break;
			}
		}
		if (!cut) {
			if ((r = utf8_decode(&q, &c)) == 0)
				cut = true;
			else if (r < 0)
				q++;
			else if ((u_ispunct((UChar32)c) && !number_dot(raw, p)) ||
			    c == '\n')
				cut = true;
			else if (text_clause_space(raw, (size_t)(p - raw)) > 0)
				cut = true;
			l = (size_t)(q - p);
		}
		if (cut) {
			if (p > s) {
				v = xrealloc(v, (n + 2) * sizeof(*v));
				v[n++] = xstrndup(s, (size_t)(p - s));
				v[n] = NULL;
			}
			if (*p == '\0')
				break;
			p += l;
			s = p;
			continue;
		}
		p = q;
	}
	return v;
}

/*
 * Words after a noun that say where, not what: in 学校门口的路坑坑洼洼
 * the school is where the road is; so does a stretch of a way named by
 * its end (村口到学校那截路, 卫生院那段).  Two characters at least (边,
 * 上, 里 alone are too often something else).
 */
static const char *const locatives[] = {
	"门口", "门前", "大门", "旁边", "边上", "附近", "对面", "周围", "周边",
	"一带", "跟前", "前面", "后面", "前头", "后头", "前边", "后边", "背后",
	"隔壁", "里面", "里边", "外面", "外边", "东边", "西边", "南边", "北边",
	"东头", "西头", "南头", "北头", "那边", "这边", "那块", "那儿", "这儿",
	"那截", "这截", "那段", "这段", "那一段", "这一段", "那条", "这条",
	"上边", "上头", "下边", "下头", "底下", "上方", "下方",
	/* one character, before 的 or 那 / 这: 渔港边的路灯, 祠堂边那支
	 * 电线杆 */
	"边的", "旁的", "边那", "旁那", "边这", "旁这", "边有", "旁有"
};

/*
 * Places that are not the problem when a locative follows them, beside
 * the category keywords (医院门口天天堵车 is the traffic, not the
 * hospital): the classifier does not read them there.
 */
static const char *const place_nouns[] = {
	"学校", "小学", "中学", "幼儿园", "医院", "卫生院", "卫生室", "诊所",
	"市场", "菜市场", "超市", "商店", "广场", "公园", "村委会", "村委",
	"村部", "大队", "政府", "派出所", "车站", "银行", "饭店", "工厂",
	"厂子", "工地", "小区", "楼下", "敬老院", "养老院", "教堂", "祠堂"
};

/* Skip 的 and word gaps at p. */
static const char *
skip_de(const char *p)
{
	for (;;) {
		if (*p == ' ')
			p++;
		else if (strncmp(p, "的", strlen("的")) == 0)
			p += strlen("的");
		else
			return p;
	}
}

static bool	 char_in(const char *, const char *);

/* Does a locative start at p (的 before it allowed)?  Its end, or NULL. */
static const char *
locative_at(const char *p)
{
	size_t	 i, l;

	p = skip_de(p);
	/* 跟 as "with" before a neighbour's yard (宅基地跟前院的扯不清) */
	if (strncmp(p, "跟前", strlen("跟前")) == 0 &&
	    char_in(p + strlen("跟前"), "院屋家邻排栋户"))
		return NULL;
	for (i = 0; i < nitems(locatives); i++) {
		l = strlen(locatives[i]);
		if (strncmp(p, locatives[i], l) == 0)
			return p + l;
	}
	return NULL;
}

/*
 * Words that say someone worked there (在糖厂干临时工, 在快递分拣场干了
 * 三个月, 在苗圃里帮人家扦插, 在枸杞园子里摘枸杞, 我是煤矿下岗的): after
 * 在, 给, 帮, 从 or 是, the
 * workplace (or the crop a hired hand picked, cut, tapped) between is
 * where the resident worked, and what is wrong is said after it (工资压了
 * 两个月不发), not the works' trade.  干 only as work (干了, 干活), not
 * 干旱, 干净, 干部 or 干渠.
 */
static const char *const work_verbs[] = {
	"打工", "打零工", "上班", "做工", "做零工", "务工", "做活", "干活",
	"帮人", "帮别人", "帮忙", "干了", "干过", "干临时", "干零工", "干的活",
	"干半", "干一", "干两", "干二", "干三", "干四", "干五", "干六",
	"干七", "干八", "干九", "干十", "干几", "干好几", "做了一", "做了两",
	"做了半", "做了几", "做了三", "做了好几", "摘", "砍", "割", "退下来",
	"退休", "下岗", "当临时", "当小工", "当工人", "当保安", "当保洁",
	"当司机", "当服务员", "做保洁", "下班", "下夜班", "上夜班", "夜班",
	"做事", "做季节工", "季节工", "临时工", "做小工", "小工"
};
/* hired hands' work done on a crop (在枸杞园子里摘枸杞): the crop then
 * says what they worked at too */
static const char *const work_on[] = { "摘", "砍", "割", "拾", "采", "掰", "帮人",
    "打工" };
static const char *const work_at[] = { "在", "给", "帮", "从", "是", "去" };

#define WORK_REACH	8	/* code points from 在 to the keyword, and
				 * from the keyword to the verb */

/* Is c (folded) a clause's end? */
static bool
clause_end_char(char c)
{
	return c == ',' || c == '.' || c == '!' || c == '?' || c == ';' ||
	    c == ':' || c == '\n';
}


/* Is q (in f) a verb, 了 and how long (修了半年, 拉了三个月): the work
 * someone did there (给煤矿修了半年护坡)? */
static bool
works_for_while(const char *q)
{
	static const char *const spans[] = {
		"半年", "一年", "两年", "几年", "半个月", "个把月", "一个", "两个",
		"三个", "四个", "五个", "六个", "几个", "好几个", "十几个"
	};
	const char	*p = q;
	uint32_t	 c;
	size_t		 i;

	if (utf8_decode(&p, &c) <= 0 || c < 0x4E00 || c > 0x9FFF ||
	    strncmp(p, "了", strlen("了")) != 0)
		return false;
	/* not a stay (在医院住了半个月, 在家躺了两个月) nor how long a
	 * problem has lasted (工钱拖了一年, 机器坏了半个月): no work */
	if (char_in(q, "住待呆躺睡玩等病坐关拖欠压扣坏停断烂漏堵淹荒空"))
		return false;
	p += strlen("了");
	while (*p >= '0' && *p <= '9' && p[1] >= '0' && p[1] <= '9')
		p++;	/* 做了12个月: as 做了2个月 */
	if (*p >= '0' && *p <= '9')
		return strncmp(p + 1, "个月", strlen("个月")) == 0 ||
		    strncmp(p + 1, "个多月", strlen("个多月")) == 0;
	for (i = 0; i < nitems(spans); i++)
		if (strncmp(p, spans[i], strlen(spans[i])) == 0)
			return i < 6 || strstr(p, "月") == p + strlen(spans[i]) ||
			    strncmp(p + strlen(spans[i]), "多月", strlen("多月")) == 0;
	return false;
}

/* Does the clause from p say pay is owed (薪, 工资, 工钱, 工人; 欠新 for
 * 欠薪)? */
static bool
owes_pay(const char *p)
{
	static const char *const pay[] = {
		"薪", "工资", "工钱", "人工", "工人", "劳务", "欠新"
	};
	const char	*e;
	size_t		 i;

	for (e = p; *e != '\0' && !clause_end_char(*e) && *e != ' '; e++)
		;
	for (i = 0; i < nitems(pay); i++) {
		const char *h = strstr(p, pay[i]);

		if (h != NULL && h < e)
			return true;
	}
	return false;
}

/* Does one of the n strings of list end just before q (in f)? */
static bool
preceded_by(const char *f, const char *q, const char *const *list, size_t n)
{
	size_t	 i, l;

	for (i = 0; i < n; i++) {
		l = strlen(list[i]);
		if ((size_t)(q - f) >= l && strncmp(q - l, list[i], l) == 0)
			return true;
	}
	return false;
}

/* The length of the first word of list that p begins with, or 0. */
static size_t
begins_with(const char *p, const char *const *list, size_t n)
{
	size_t	 i, l;

	for (i = 0; i < n; i++) {
		l = strlen(list[i]);
		if (strncmp(p, list[i], l) == 0)
			return l;
	}
	return 0;
}

/* Is the verb at q (in f) stolen work: 偷 before it (偷砍杉木, 偷割胶)? */
static bool
stolen_at(const char *f, const char *q)
{
	static const char *const theft[] = { "偷" };

	return preceded_by(f, q, theft, nitems(theft));
}

/* Does a work verb start at q: one of work_verbs, or a verb, 了 and how
 * long? */
static bool
work_verb_at(const char *q)
{
	size_t	 i;

	for (i = 0; i < nitems(work_verbs); i++)
		if (strncmp(q, work_verbs[i], strlen(work_verbs[i])) == 0)
			return true;
	return works_for_while(q);
}

/*
 * Does the keyword occurrence [at, end) of folded f name the place the
 * resident worked: 在 or 给 before it and a work verb after it, each
 * within WORK_REACH code points of the same clause?
 */
static bool
key_works_at(const char *f, const char *at, const char *end)
{
	static const char *const hires[] = { "雇", "招了", "招我", "招俺" };
	const char	*p, *q, *from = NULL;
	size_t		 i, n;
	uint32_t	 c;
	bool		 verb = false;

	/* the employer: it hired the resident (养殖场雇了俺们) */
	for (n = 0, p = end; *p != '\0' && !clause_end_char(*p) &&
	    n <= WORK_REACH; n++) {
		for (i = 0; i < nitems(hires); i++)
			if (strncmp(p, hires[i], strlen(hires[i])) == 0)
				return true;
		if (utf8_decode(&p, &c) <= 0)
			p++;
	}
	/* ... or owes them their pay (石材厂欠薪三个月, 拖欠工人工资): a
	 * works that owes for goods (茶厂欠茶款) is the trade's */
	if ((size_t)(end - at) >= strlen("厂") &&
	    char_in(end - strlen("厂"), "厂场矿司队店") &&
	    (strncmp(end, "欠", strlen("欠")) == 0 ||
	    strncmp(end, "拖欠", strlen("拖欠")) == 0) && owes_pay(end))
		return true;
	for (p = f; p < at; ) {
		/* a clause ends at its punctuation, or at the gap folding
		 * left of it (摘完了工钱: no 给 of the clause before), not
		 * at a place name blanked (在帕真的茶厂: a run of gaps) */
		if (clause_end_char(*p) || (*p == ' ' && p > f &&
		    (unsigned char)p[-1] >= 0x80 && p[1] != ' '))
			from = NULL;
		for (i = 0; i < nitems(work_at); i++)
			if (strncmp(p, work_at[i], strlen(work_at[i])) == 0)
				from = p;
		q = p;
		if (utf8_decode(&q, &c) <= 0)
			q = p + 1;
		p = q;
	}
	if (from == NULL)
		return false;
	for (n = 0, p = from; p < at && n <= WORK_REACH; n++) {
		for (i = 0; i < nitems(work_on) && !verb; i++)
			verb = strncmp(p, work_on[i], strlen(work_on[i])) == 0 &&
			    !stolen_at(f, p);
		if (*p == ' ') {
			while (*p == ' ')
				p++;	/* a place's name blanked: one */
		} else if (utf8_decode(&p, &c) <= 0)
			p++;
	}
	if (n > WORK_REACH)
		return false;
	if (verb)
		return true;
	for (n = 0, p = end; *p != '\0' && !clause_end_char(*p) &&
	    n <= WORK_REACH && !verb; n++) {
		verb = work_verb_at(p) && !stolen_at(f, p);
		if (utf8_decode(&p, &c) <= 0)
			p++;
	}
	return verb;
}

/* Does a keyword of a category other than owner, of chars characters or
 * more, start at p? */
static bool
other_key_of_at(const struct text_index *ix, const char *p, int owner,
    size_t chars)
{
	size_t	 i;

	for (i = 0; i < ix->cats.n; i++)
		if (ix->cats.v[i].owner != owner &&
		    ix->cats.v[i].chars >= chars &&
		    strncmp(p, ix->cats.v[i].s, ix->cats.v[i].len) == 0)
			return true;
	return false;
}

/* Does a keyword of a category other than owner start at p? */
static bool
other_key_at(const struct text_index *ix, const char *p, int owner)
{
	return other_key_of_at(ix, p, owner, 1);
}

/* Does another category's keyword of two characters or more than
 * owner's start at p (搬迁 of 采空区搬迁, not 臭)? */
static bool
other_word_at(const struct text_index *ix, const char *p, int owner)
{
	return other_key_of_at(ix, p, owner, 2);
}

/* Does p, after a subsidy's word, say whose thing it is (燃煤补贴的煤),
 * 的 and no money (草原补奖的补助: money still)? */
static bool
grant_of_thing(const char *p)
{
	static const char *const money[] = {
		"补贴", "补助", "补偿", "钱", "款", "资金"
	};
	size_t	 i;

	if (strncmp(p, "的", strlen("的")) != 0)
		return false;
	p += strlen("的");
	for (i = 0; i < nitems(money); i++)
		if (strncmp(p, money[i], strlen(money[i])) == 0)
			return false;
	return true;
}

/* Does a grant (another's keyword in list) start at p or after one or two
 * Han characters (良种补贴), its money no one's thing (grant_of_thing)? */
static bool
grant_after(const struct text_index *ix, const char *p,
    const char *const *list, size_t n, int owner)
{
	size_t		 i, l;
	uint32_t	 c;

	for (i = 0; i <= 2; i++) {
		if ((l = begins_with(p, list, n)) > 0)
			return other_key_at(ix, p, owner) && !grant_of_thing(p + l);
		if (utf8_decode(&p, &c) <= 0 || c < 0x3400)
			return false;
	}
	return false;
}

/* Does what follows 上 make it a time (上次, 上个月, 上回, 上午, 上礼拜),
 * not "on" (边坡上次落大雨崩了: the slope, last time)? */
static bool
time_after_shang(const char *p)
{
	static const char *const times[] = {
		"次", "回", "个", "周", "礼拜", "星期", "月", "年", "午", "半",
		"晚", "旬", "学期", "一次", "一回", "趟"
	};
	size_t	 i;

	for (i = 0; i < nitems(times); i++)
		if (strncmp(p, times[i], strlen(times[i])) == 0)
			return true;
	return false;
}

/* Does another category's keyword than owner's start in the clause
 * from p (folded)? */
static bool
other_key_in_clause(const struct text_index *ix, const char *p, int owner)
{
	for (; *p != '\0' && *p != ' ' && !clause_end_char(*p); p++)
		if (((unsigned char)*p & 0xc0) != 0x80 &&
		    other_key_at(ix, p, owner))
			return true;
	return false;
}

/*
 * Is the keyword before p the field a passive's agent harmed (甘蔗地挨象群
 * 整得稀烂, 玉米地被野猪拱了): a field's word, 被 or its like, and another
 * category's keyword in the clause after: that one is the problem.  So
 * is any thing a beast harmed (房子又让熊扒开了: the bear), not what a
 * storm or a road's works did (网箱被台风吹坏了: the cages lost).
 */
static bool
field_harmed(const struct text_index *ix, const char *p, int owner)
{
	static const char *const passives[] = { "被", "挨", "让", "叫" };
	static const char *const agains[] = { "又", "都", "也", "全", "总" };
	static const char *const beasts[] = {
		"熊", "狼", "野", "猴", "象", "豹", "狗", "老鼠", "黄鼠狼"
	};
	size_t	 i;
	bool	 field;

	if ((field = char_in(p, "地田园林塘")))
		p += strlen("地");
	else
		p += begins_with(p, agains, nitems(agains));
	for (i = 0; i < nitems(passives); i++)
		if (strncmp(p, passives[i], strlen(passives[i])) == 0)
			break;
	if (i == nitems(passives))
		return false;
	p += strlen(passives[i]);
	if (!field && begins_with(p, beasts, nitems(beasts)) == 0)
		return false;
	return other_key_in_clause(ix, p, owner);
}

/*
 * Is what 占 at p takes land (修公路占了我家的田, 占地), not a road or a
 * ditch (违建占路, 占了水沟: the building is the problem)?
 */
static bool
land_taken(const char *p)
{
	static const char *const skips[] = {
		"占", "了", "用", "着", "去", "掉", "我们家", "俺们家", "我家",
		"俺家", "我们", "俺们", "人家", "他家", "别人家", "阮", "我",
		"俺", "的", "一块", "一片", "一大片", "好"
	};
	static const char *const lands[] = {
		"田", "地", "山", "林", "园", "塘", "宅", "耕", "坡", "土", "水田"
	};
	const char	*q;
	size_t		 i;
	bool		 skipped = true;

	while (skipped) {
		skipped = false;
		for (i = 0; i < nitems(skips); i++)
			if (strncmp(p, skips[i], strlen(skips[i])) == 0) {
				p += strlen(skips[i]);
				skipped = true;
				break;
			}
		/* an area: 两亩, 三分, 十几亩 */
		for (q = p; char_in(q, "一二两三四五六七八九十百几多半") ||
		    (*q >= '0' && *q <= '9'); )
			q += (*q >= '0' && *q <= '9') ? 1 : strlen("一");
		if (q != p && (char_in(q, "亩分"))) {
			p = q + strlen("亩");
			skipped = true;
		}
	}
	for (i = 0; i < nitems(lands); i++)
		if (strncmp(p, lands[i], strlen(lands[i])) == 0)
			return true;
	return false;
}

/*
 * Does the keyword occurrence [at, end) (in folded f) only say
 * where, whose or whenever, not what: a locative follows it (学校门口,
 * 卫生室的旁边), or 的 and another category's keyword (学校的路面: the
 * road surface), or 一到 before it and 的时候 after (一到浇地的时候)?
 */
static bool
key_modifies(const struct text_index *ix, const char *f, const char *at,
    const char *end, int owner)
{
	static const char *const suffixes[] = {
		"场", "站", "点", "房", "棚", "厂", "院", "室", "楼", "馆", "所",
		"池", "库", "亭", "园", "区"
	};
	static const char *const leftovers[] = {
		"壳", "渣", "屑", "皮子", "下脚料",
		"老板"	/* 民宿老板: a person, the problem is elsewhere */
	};
	static const char *const whenever[] = { "一到", "每到", "每逢" };
	static const char *const on_de[] = { "上的", "里的", "边的", "下的" };
	static const char *const triggers[] = { "一过", "一开", "一来", "一跑" };
	/* the subsidy's words: a keyword's, and the policy's own */
	static const char *const grants[] = { "补贴", "补助", "补偿" };
	static const char *const des[] = { "的", "嘅" };
	static const char *const passive[] = { "叫", "被", "让", "给" };
	static const char *const awards[] = {
		"补奖", "奖补",
		"补帖", "补铁", "不贴"	/* 补贴 mistyped (棉花补帖) */
	};
	static const char *const catches[] = {
		"打鱼", "捕鱼", "捉鱼", "电鱼", "毒鱼", "炸鱼", "打虾", "捕虾"
	};
	static const char *const burnt[] = { "烧旧", "烧废", "烧破" };
	static const char *const goes[] = { "去", "到", "往", "通往", "上" };
	static const char *const hauls[] = { "拉", "运", "装", "送" };
	const char	*p;
	size_t		 l;

	if (locative_at(end) != NULL || field_harmed(ix, end, owner))
		return true;
	/* ... or the waste burnt (烧旧棚膜, 烧废塑料: the smoke, not the
	 * greenhouse) */
	if (preceded_by(f, at, burnt, nitems(burnt)))
		return true;
	/* ... or says whenever (一到浇地的时候就停电: the power; not 征地
	 * 的时候量少了, when the land was taken) */
	if ((strncmp(end, "的时候", strlen("的时候")) == 0 ||
	    strncmp(end, "时候", strlen("时候")) == 0) &&
	    preceded_by(f, at, whenever, nitems(whenever)))
		return true;
	/* ... or 上 after a place's keyword (茶山上打电话: on the tea
	 * hill, the signal), but not what is dug or built on it (承包地上
	 * 挖虾塘: the land taken) */
	if (strncmp(end, "上", strlen("上")) == 0 &&
	    (size_t)(end - at) >= strlen("山") &&
	    char_in(end - strlen("山"), "山园田地场坡岛湖河江塘原") &&
	    !time_after_shang(end + strlen("上")) &&
	    !char_in(end + strlen("上"), "挖盖建占堆埋推"))
		return true;
	/* ... or the vehicle by which the way was crushed (叫大车压的稀烂,
	 * 被拉煤车轧坏: the road) */
	if ((size_t)(end - at) >= strlen("车") && strncmp(end - strlen("车"),
	    "车", strlen("车")) == 0 && preceded_by(f, at, passive,
	    nitems(passive)) && char_in(end, "压碾轧"))
		return true;
	/* ... or the way's end (去茶山的路被冲了, 到学校那条路: the road) */
	if ((strncmp(end, "的路", strlen("的路")) == 0 ||
	    strncmp(end, "那条路", strlen("那条路")) == 0 ||
	    strncmp(end, "的那条路", strlen("的那条路")) == 0) &&
	    preceded_by(f, at, goes, nitems(goes)))
		return true;
	/* ... or the load of the truck that cannot pass (拉鲜叶的车下不
	 * 来: the road) */
	if (strncmp(end, "的车", strlen("的车")) == 0 &&
	    preceded_by(f, at, hauls, nitems(hauls)))
		return true;
	/* ... or whose cars they are, no 的 (游客车子停满路边: the
	 * parking) */
	if (strncmp(end, "车子", strlen("车子")) == 0)
		return true;
	/* ... or the vehicle or machine that sets the problem off, 一 and
	 * its doing (拉煤车一过煤灰扬得满街都是, 炒茶机一开就跳闸): the
	 * dust, the power; not a storm's coming (台风一来: the typhoon's
	 * own) */
	if (begins_with(end, triggers, nitems(triggers)) > 0 &&
	    (size_t)(end - at) >= strlen("车") &&
	    char_in(end - strlen("车"), "车机船"))
		return true;
	/* ... or where another's thing is, by 上的, 里的 or 边的 (渠上的桥
	 * 塌了: the bridge; 路上的灯: the light) */
	if ((l = begins_with(end, on_de, nitems(on_de))) > 0 &&
	    other_key_at(ix, end + l, owner))
		return true;
	/* ... or what money is paid for (草原补奖, 禁牧补贴: the subsidy,
	 * another's keyword or the policy's own word), unless the money
	 * says whose thing it is (燃煤补贴的煤: the coal) */
	if ((l = begins_with(end, grants, nitems(grants))) > 0 &&
	    other_key_at(ix, end, owner) && !grant_of_thing(end + l))
		return true;
	if ((l = begins_with(end, awards, nitems(awards))) > 0 &&
	    !grant_of_thing(end + l))
		return true;
	/* ... a kind of it between, after 的 (甘蔗嘅良种补贴, 棉花的种植
	 * 补贴) */
	if ((l = begins_with(end, des, nitems(des))) > 0 &&
	    grant_after(ix, end + l, grants, nitems(grants), owner))
		return true;
	/* ... or the means of a catch (用电打鱼: fishing with current) */
	if (begins_with(end, catches, nitems(catches)) > 0)
		return true;
	/* ... or what took the land (修公路占了我家的田: the land is the
	 * problem) */
	if (strncmp(end, "占", strlen("占")) == 0 && land_taken(end))
		return true;
	/* ... or what is left of it (扇贝壳子, 甘蔗渣: thrown away, rubbish) */
	if (begins_with(end, leftovers, nitems(leftovers)) > 0)
		return true;
	/* ... or it names an area itself, another's word the head of the
	 * compound (采空区搬迁: the move; not 沉陷区臭, how it is) */
	if ((size_t)(end - at) > strlen("区") && strncmp(end - strlen("区"),
	    "区", strlen("区")) == 0 && other_word_at(ix, end, owner))
		return true;
	/* the keyword names a place with a suffix (停车场边上, 垃圾站旁边),
	 * or whose another category's problem is (回迁楼的物业) */
	if ((l = begins_with(end, suffixes, nitems(suffixes))) > 0) {
		if (locative_at(end + l) != NULL)
			return true;
		/* ... whose problem's keyword follows it, the head of the
		 * compound (沉陷区搬迁: the move) */
		if (other_key_at(ix, end + l, owner))
			return true;
		if (strncmp(end + l, "的", strlen("的")) == 0 &&
		    other_key_at(ix, skip_de(end + l), owner))
			return true;
	}
	/* ... or whose thing's, by a verb and 的 (孤寡老人住的房屋: the
	 * house, the head of it; 糖厂排的废水, 游客扔的垃圾) */
	if (char_in(end, "住种养开用喝吃走坐盖建买租排倒扔烧") &&
	    strncmp(end + strlen("住"), "的", strlen("的")) == 0 &&
	    other_key_at(ix, skip_de(end + strlen("住")), owner))
		return true;
	if (strncmp(end, "的", strlen("的")) != 0)
		return strncmp(end, "工地", strlen("工地")) == 0;
	p = skip_de(end);
	/* a post's pay (护林员的工资): the post's, as the office listed
	 * it */
	if ((size_t)(end - at) >= strlen("员") &&
	    strncmp(end - strlen("员"), "员", strlen("员")) == 0 &&
	    (strncmp(p, "工资", strlen("工资")) == 0 ||
	    strncmp(p, "工钱", strlen("工钱")) == 0))
		return false;
	/* the works the resident was hired on (修圩堤的工程, 修路的工地):
	 * the problem is theirs, their pay */
	if (strncmp(p, "工程", strlen("工程")) == 0 ||
	    strncmp(p, "工地", strlen("工地")) == 0)
		return true;
	/* ... or 的 and their thing, then another's keyword (游客的车乱停:
	 * the parking) */
	if (char_in(p, "车船狗牛羊猪鸡鸭") &&
	    other_key_at(ix, p + strlen("车"), owner))
		return true;
	return other_key_at(ix, p, owner);
}

static bool	 en_after_locative(const char *, const char *);
static bool	 all_ascii(const char *);
static bool	 en_after_locative_word(const char *, const char *);

/*
 * The end of the English key (folded, no gaps) read at w, a word's start
 * in words (text_fold_words), its own gaps as the writer's, a plural's s,
 * es or a past's ed after it, when it ends there as a whole word; or NULL.
 */
static const char *
words_key_at(const char *w, const char *key)
{
	const char	*k;

	for (k = key; *k != '\0' && *w != '\0'; w++) {
		if (*w == ' ')
			continue;
		if (*w != *k)
			return NULL;
		k++;
	}
	if (*k != '\0')
		return NULL;
	if (*w == '\0' || *w == ' ')
		return w;
	if (w[0] == 's' && (w[1] == '\0' || w[1] == ' '))
		return w + 1;
	if (w[0] == 'e' && (w[1] == 's' || w[1] == 'd') &&
	    (w[2] == '\0' || w[2] == ' '))
		return w + 2;
	return NULL;
}

/*
 * Is the English key (folded, no gaps) in words (text_fold_words) as
 * whole words, its own gaps as the writer's, a plural's s or es after it:
 * "stairs" is not in "downstairs", "streetlight" is in "street lights"?
 */
bool
text_words_hold(const char *words, const char *key)
{
	const char	*w;

	for (w = words; *w != '\0'; w++)
		if ((w == words || w[-1] == ' ') && words_key_at(w, key) != NULL)
			return true;
	return false;
}

/*
 * Is every whole-word occurrence of the English key k in words a noun
 * that another category's English keyword, right after it, heads
 * ("grassland subsidy": the subsidy; "school bus": the bus)?  Not a
 * stuff or a sense, which the word before says what of ("flood water",
 * "waste water", "garbage smell").
 */
static const char *const en_stuff[] = { "water", "smell", "smells" };


static bool
en_key_modifies(const struct text_index *ix, const char *words,
    const struct text_key *k)
{
	const char	*w, *end;
	size_t		 i, j, n = 0;
	bool		 headed;

	for (w = words; *w != '\0'; w++) {
		if ((w != words && w[-1] != ' ') ||
		    (end = words_key_at(w, k->s)) == NULL)
			continue;
		n++;
		headed = false;
		for (j = 0; *end == ' ' && j < nitems(en_stuff); j++)
			if (words_key_at(end + 1, en_stuff[j]) != NULL)
				return false;
		for (i = 0; *end == ' ' && !headed && i < ix->cats.n; i++)
			headed = ix->cats.v[i].owner != k->owner &&
			    all_ascii(ix->cats.v[i].s) &&
			    words_key_at(end + 1, ix->cats.v[i].s) != NULL;
		if (!headed)
			return false;
	}
	return n > 0;
}

/*
 * Is the English key k a stuff (en_stuff[]) that another category's
 * English keyword before it says what of, wherever words has it: "flood
 * water" is the flood's, no second problem of drinking water?
 */
static bool
en_key_stuff_of(const struct text_index *ix, const char *words,
    const struct text_key *k)
{
	const char	*w, *p;
	size_t		 i, j, n = 0, of = 0;
	bool		 stuff = false, said;

	for (j = 0; j < nitems(en_stuff) && !stuff; j++)
		stuff = strcmp(k->s, en_stuff[j]) == 0;
	if (!stuff)
		return false;
	for (w = words; *w != '\0'; w++) {
		if ((w != words && w[-1] != ' ') || words_key_at(w, k->s) == NULL)
			continue;
		n++;
		said = false;
		for (p = words; p + 1 < w && !said; p++) {
			if (p != words && p[-1] != ' ')
				continue;
			for (i = 0; i < ix->cats.n && !said; i++)
				said = ix->cats.v[i].owner != k->owner &&
				    all_ascii(ix->cats.v[i].s) &&
				    words_key_at(p, ix->cats.v[i].s) == w - 1;
		}
		of += said;
	}
	return n > 0 && of == n;
}

/* Is s all ASCII? */
static bool
all_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/*
 * Is the keyword occurrence [at, end) of f a trade the residents had
 * (以前打鱼的上岸后冇得事做: those who fished, now ashore), not what is
 * wrong: 以前, 原来, 过去 or 从前 just before it, 的 just after?
 */
static bool
key_former(const char *f, const char *at, const char *end)
{
	static const char *const before[] = { "以前", "原来", "过去", "从前" };

	return strncmp(end, "的", strlen("的")) == 0 &&
	    preceded_by(f, at, before, nitems(before));
}

/*
 * Words that hold a common keyword yet name something else: a clinic is
 * no cleanliness (卫生 of 卫生所).  A keyword inside one names nothing,
 * unless the whole word is some category's keyword too (then the longer
 * keyword is found).
 */
static const char *const compounds[] = {
	"卫生院", "卫生室", "卫生所", "卫生站", "卫生服务", "卫生局",
	/* English, folded without gaps: the grain's moisture, a river's
	 * height */
	"watercontent", "waterlevel"
};

/*
 * English nouns that make the word before them a works' name: "the rubber
 * factory near the village burns something every night" is about the
 * factory, not rubber tapping.
 */
static const char *const en_works[] = {
	"factory", "factories", "mill", "mills", "workshop", "workshops"
};

/* Is the English keyword occurrence [at, end) of f (no gaps) the name of
 * a works (one of en_works[] right after it)? */
static bool
key_names_works(const char *at, const char *end)
{
	size_t	 i;

	if (!((*at >= 'a' && *at <= 'z') || (*at >= '0' && *at <= '9')))
		return false;
	for (i = 0; i < nitems(en_works); i++)
		if (strncmp(end, en_works[i], strlen(en_works[i])) == 0)
			return true;
	return false;
}

/* Is the keyword occurrence [at, end) of f inside one of compounds[]? */
static bool
key_in_compound(const char *f, const char *at, const char *end)
{
	const char	*in;
	size_t		 i, kl = (size_t)(end - at), off;

	for (i = 0; i < nitems(compounds); i++) {
		if (strlen(compounds[i]) <= kl)
			continue;
		for (in = compounds[i]; *in != '\0'; in++) {
			if (strncmp(in, at, kl) != 0)
				continue;
			off = (size_t)(in - compounds[i]);
			if ((size_t)(at - f) >= off && strncmp(at - off,
			    compounds[i], strlen(compounds[i])) == 0)
				return true;
		}
	}
	return false;
}

/*
 * Is every whole-word occurrence of the English key in words (folded with
 * gaps) a verb's: after to or cannot, before the, our or the crops ("we
 * cannot water the wheat" is no water supply)?
 */
static bool
en_key_as_verb(const char *words, const char *key)
{
	static const char *const before[] = {
		"to ", "cannot ", "cant ", "can t ", "couldnt ", "couldn t ",
		"not "
	};
	static const char *const after[] = {
		" the ", " our ", " my ", " their ", " crops", " fields",
		" field", " wheat", " rice", " corn", " trees"
	};
	const char	*at, *end;
	size_t		 i, l = strlen(key), n = 0, b;
	bool		 verb;

	for (at = strstr(words, key); at != NULL; at = strstr(at + 1, key)) {
		end = at + l;
		if ((at > words && at[-1] != ' ') || (*end != ' ' && *end != '\0'))
			continue;	/* not a whole word */
		n++;
		verb = false;
		for (i = 0; i < nitems(before) && !verb; i++) {
			b = strlen(before[i]);
			/* the word before, whole: not the to of into */
			verb = (size_t)(at - words) >= b && strncmp(at - b,
			    before[i], b) == 0 && (at - b == words ||
			    at[-(ptrdiff_t)b - 1] == ' ');
		}
		if (!verb)
			return false;
		verb = false;
		for (i = 0; i < nitems(after) && !verb; i++)
			verb = strncmp(end, after[i], strlen(after[i])) == 0;
		if (!verb)
			return false;
	}
	return n > 0;
}

/*
 * Is the keyword occurrence [at, end) of f (打不通, 打不进) said of
 * someone's telephone: 电话 before it (也, 都, 老是 between), and before
 * that who answers it (老板电话也打不通, 自来水公司电话打不通)?  The
 * party cannot be reached, the signal is not the problem.
 */
static bool
someones_phone(const char *f, const char *at, const char *end)
{
	static const char *const between[] = { "", "也", "都", "老是", "一直",
	    "总是", "根本", "就" };
	static const char *const parties[] = {
		"板", "头", "司", "站", "员", "所", "局", "队", "人", "他", "她",
		"厂", "商", "家", "方", "的", "部", "门", "委", "办", "主", "工"
	};
	const char	*p;
	size_t		 i, j, l;

	(void)end;
	for (i = 0; i < nitems(between); i++) {
		l = strlen(between[i]);
		if ((size_t)(at - f) < l + strlen("电话"))
			continue;
		p = at - l;
		if (strncmp(p, between[i], l) != 0 ||
		    strncmp(p - strlen("电话"), "电话", strlen("电话")) != 0)
			continue;
		p -= strlen("电话");
		for (j = 0; j < nitems(parties); j++)
			if ((size_t)(p - f) >= strlen(parties[j]) &&
			    strncmp(p - strlen(parties[j]), parties[j],
			    strlen(parties[j])) == 0)
				return true;
	}
	return false;
}

/*
 * Does the keyword occurrence at of folded f only say where the family
 * is (儿子媳妇都在外面打工, 娃他爹外出务工, 在外面开拉面馆): a member
 * of the family, then away (在外, 外出, 出去), then the keyword within
 * AWAY_REACH code points, all in one clause?  The family's work names
 * no problem of the resident's left at home; their pay owed (工资, 欠薪)
 * still does (key_of_pay).
 */
#define AWAY_REACH	2
static bool
key_family_away(const char *f, const char *at)
{
	static const char *const family[] = {
		"儿子", "女儿", "儿女", "子女", "媳妇", "孩子", "娃", "闺女",
		"老公", "男人", "丈夫", "爸妈", "父母", "爹妈", "爹娘", "老伴",
		"年轻人", "家里人", "后生", "孙子", "崽", "他爹", "他爸"
	};
	static const char *const away[] = {
		"在外面", "在外头", "在外边", "在外地", "在外", "外出", "出去",
		"出门"
	};
	const char	*p, *q, *from = f, *gone = NULL;
	size_t		 i, l = 0, n;
	uint32_t	 c;
	bool		 kin = false;

	for (p = f; p < at; p = q) {
		if (clause_end_char(*p) || (*p == ' ' && p > f &&
		    (unsigned char)p[-1] >= 0x80 && p[1] != ' '))
			from = p;
		q = p;
		if (utf8_decode(&q, &c) <= 0)
			q = p + 1;
	}
	for (p = from; p < at && gone == NULL; p = q) {
		for (i = 0; i < nitems(family) && !kin; i++)
			kin = strncmp(p, family[i], strlen(family[i])) == 0;
		for (i = 0; i < nitems(away) && kin && gone == NULL; i++)
			if (strncmp(p, away[i], strlen(away[i])) == 0) {
				l = strlen(away[i]);
				gone = p;
			}
		q = p;
		if (utf8_decode(&q, &c) <= 0)
			q = p + 1;
	}
	if (gone == NULL || gone + l > at)
		return false;
	for (n = 0, p = gone + l; p < at; n++)
		if (utf8_decode(&p, &c) <= 0)
			p++;
	return n <= AWAY_REACH;
}

/*
 * Does the keyword occurrence [at, end) of folded f name an errand the
 * way is walked for, not a problem of it: 上学, 放学, 看病 or 赶集, then
 * within ERRAND_REACH code points of its clause 从 (娃娃们上学每天从那里
 * 过), 经过 or 路过, or 过 ending the clause (伢们上学天天要过), or that
 * they cannot go (过不去, 上学都去不了)?
 * The bridge or the wire they pass is what is wrong.  Not 要过河 (上学要
 * 过河，冇得桥): the way to school itself.
 */
#define ERRAND_REACH	6
static const char *const errands[] = {
	"上学", "放学", "看病", "就医", "赶集", "上班"
};
static bool
key_errand_passing(const char *at, const char *end)
{
	static const char *const by[] = {
		"从", "经过", "路过", "过不去", "去不了", "去不成"
	};
	const char	*p;
	size_t		 l, n;
	uint32_t	 c;
	bool		 errand = false;

	for (p = at; p < end && !errand; p++) {
		l = begins_with(p, errands, nitems(errands));
		errand = l > 0 && p + l <= end;
	}
	if (!errand)
		return false;
	for (n = 0, p = end; *p != '\0' && *p != ' ' && !clause_end_char(*p) &&
	    n <= ERRAND_REACH; n++) {
		if (begins_with(p, by, nitems(by)) > 0)
			return true;
		if (strncmp(p, "过", strlen("过")) == 0 &&
		    (p[strlen("过")] == '\0' || p[strlen("过")] == ' ' ||
		    clause_end_char(p[strlen("过")])))
			return true;
		if (utf8_decode(&p, &c) <= 0)
			p++;
	}
	return false;
}

/* Is key the pay's own word (欠薪, 工资, 工钱): what is owed for the work,
 * never where it was done (在外头打工让人欠薪半年了)? */
static bool
key_of_pay(const char *key)
{
	static const char *const pay[] = {
		"薪", "工资", "工钱", "劳务费", "wage", "salary"
	};
	size_t	 i;

	for (i = 0; i < nitems(pay); i++)
		if (strstr(key, pay[i]) != NULL)
			return true;
	return false;
}

/* Is the English key k at at (in folded f, no gaps) a street's kind after
 * a grid's name in Latin letters ("Aofeng road", "Kao Shan Tun road"):
 * where, no problem?  Not after its ending: "Changfa village road" is the
 * village's road. */
static bool
en_street_of(const struct text_index *ix, const char *f, const char *at,
    const struct text_key *k)
{
	static const char *const streets[] = {
		"road", "street", "lane", "avenue"
	};
	const struct text_key	*g;
	size_t			 i;

	for (i = 0; i < nitems(streets); i++)
		if (strcmp(k->s, streets[i]) == 0)
			break;
	if (i == nitems(streets) || preceded_by(f, at, en_place_suffixes,
	    nitems(en_place_suffixes)))
		return false;
	for (i = 0; i < ix->grids_py.n; i++) {
		g = &ix->grids_py.v[i];
		if ((size_t)(at - f) >= g->len && all_ascii(g->s) &&
		    strncmp(at - g->len, g->s, g->len) == 0)
			return true;
	}
	return false;
}

/* Where in f key k names its problem (as key_names() says), or NULL. */
static const char *
key_named_at(const struct text_index *ix, const char *f, const struct text_key *k,
    const char *words)
{
	const char	*at;

	if (words != NULL && all_ascii(k->s) && (!text_words_hold(words, k->s) ||
	    en_key_as_verb(words, k->s) || en_key_modifies(ix, words, k)))
		return NULL;
	for (at = strstr(f, k->s); at != NULL; at = strstr(at + 1, k->s))
		if (!key_modifies(ix, f, at, at + k->len, k->owner) &&
		    !en_after_locative(f, at) && !en_street_of(ix, f, at, k) &&
		    (key_of_pay(k->s) || (!key_works_at(f, at, at + k->len) &&
		    !key_family_away(f, at))) &&
		    !key_former(f, at, at + k->len) &&
		    !key_in_compound(f, at, at + k->len) &&
		    !key_names_works(at, at + k->len) &&
		    !key_errand_passing(at, at + k->len) &&
		    !(strncmp(k->s, "打不", strlen("打不")) == 0 &&
		    someones_phone(f, at, at + k->len)))
			return at;
	return NULL;
}

/* Does key occur in f other than as a modifier (key_modifies), or in
 * English after a locative ("the road outside the power plant"); an
 * English key as whole words of words (the clause by text_fold_words(),
 * or NULL)? */
static bool
key_names(const struct text_index *ix, const char *f, const struct text_key *k,
    const char *words)
{
	return key_named_at(ix, f, k, words) != NULL;
}

/* English words after which a place says where ("outside the school"),
 * and the small words between them and it. */
static const char *const en_locatives[] = {
	"outside", "near", "nearby", "beside", "behind", "opposite", "across",
	"next", "front", "around", "past", "above", "below", "beneath", "on",
	"along", "at",
	"under",
	"because", "due"	/* a cause, not what is wrong ("because of the
				 * mining subsidence area") */
};
/* ... and the words of an address, before its number ("building 5") */
static const char *const en_addresses[] = {
	"building", "block", "unit", "apartment", "flat", "room", "house",
	"no", "number"
};
static const char *const en_between[] = {
	"to", "of", "from", "the", "a", "an", "our", "my", "this", "that"
};
/* ... and words that name a place with the noun after them ("next to the
 * primary school": school is where too) */
static const char *const en_place_modifiers[] = {
	"primary", "middle", "high", "secondary", "village", "township",
	"county", "old", "new", "big", "small", "main", "local", "public",
	"health", "power", "bus", "police", "train", "fish", "fishing",
	"mining", "coal", "market", "vegetable", "summer", "winter", "spring",
	"autumn"
};
/* ... and after which a place is where someone worked ("crew on a fishing
 * boat", "I worked at a goji farm": the pay, not the trade) */
static const char *const en_workers[] = {
	"crew", "work", "worked", "working", "works", "job", "employed",
	"hired", "picked", "labour", "labor",
	"boss", "employer", "foreman"	/* ... and who owes the pay ("my boss
					 * at the coal mine") */
};
static const char *const en_work_at[] = { "on", "at", "in", "for", "by" };
/* ... and the crop a hired hand picked ("I picked goji berries") */
static const char *const en_hands[] = {
	"picked", "picking", "harvested", "harvesting", "tapped", "tapping"
};

/* Does a locative end just before at (in folded f, no gaps), or before a
 * place's number there ("near no 2 middle school": nearno2)? */
static bool
en_locative_before(const char *f, const char *at)
{
	const char	*q = at;
	size_t		 i, l;

	if (en_after_locative_word(f, at))
		return true;
	while (q > f && q[-1] >= '0' && q[-1] <= '9')
		q--;
	if (q == at)
		return false;
	for (i = 0; i < nitems(en_addresses); i++) {
		l = strlen(en_addresses[i]);
		if ((size_t)(q - f) >= l && strncmp(q - l, en_addresses[i],
		    l) == 0) {
			q -= l;
			break;
		}
	}
	return en_after_locative_word(f, q);
}

/* Does the English word at at (in folded f, no gaps) follow a locative,
 * with a small word between or not: "outsidethepowerplant"; and a word
 * that names a place with it, "onthemainroad"? */
static bool
en_after_locative(const char *f, const char *at)
{
	size_t	 i, j, k, l, n = (size_t)(at - f);

	if (!((*at >= 'a' && *at <= 'z') || (*at >= '0' && *at <= '9')))
		return false;
	for (i = 0; i < nitems(en_place_modifiers); i++) {
		j = strlen(en_place_modifiers[i]);
		if (n <= j || strncmp(at - j, en_place_modifiers[i], j) != 0)
			continue;
		if (en_locative_before(f, at - j))
			return true;
		/* ... or two ("on the fish market road") */
		for (k = 0; k < nitems(en_place_modifiers); k++) {
			l = strlen(en_place_modifiers[k]);
			if (n > j + l && strncmp(at - j - l,
			    en_place_modifiers[k], l) == 0 &&
			    en_locative_before(f, at - j - l))
				return true;
		}
	}
	return en_locative_before(f, at);
}

static const char *en_duration_before(const char *, const char *);

static bool
en_after_locative_word(const char *f, const char *at)
{
	const char	*d;
	char	 w[32];
	size_t	 i, j, n = (size_t)(at - f);

	for (i = 0; i < nitems(en_locatives); i++)
		for (j = 0; j <= nitems(en_between); j++) {
			size_t	 k;

			/* one small word between, or two ("because of the") */
			for (k = 0; k <= nitems(en_between); k++) {
				snprintf(w, sizeof(w), "%s%s%s", en_locatives[i],
				    j < nitems(en_between) ? en_between[j] : "",
				    k < nitems(en_between) ? en_between[k] : "");
				if (n >= strlen(w) && strncmp(at - strlen(w), w,
				    strlen(w)) == 0)
					return true;
			}
		}
	for (i = 0; i < nitems(en_hands); i++)
		if (n >= strlen(en_hands[i]) && strncmp(at - strlen(en_hands[i]),
		    en_hands[i], strlen(en_hands[i])) == 0)
			return true;
	for (i = 0; i < nitems(en_workers); i++)
		for (j = 0; j < nitems(en_work_at); j++) {
			size_t	 k;

			for (k = 0; k <= nitems(en_between); k++) {
				snprintf(w, sizeof(w), "%s%s%s", en_workers[i],
				    en_work_at[j], k < nitems(en_between) ?
				    en_between[k] : "");
				if (n >= strlen(w) && strncmp(at - strlen(w), w,
				    strlen(w)) == 0)
					return true;
				/* ... a span of time between: "worked 3
				 * months in a greenhouse" */
				snprintf(w, sizeof(w), "%s%s", en_work_at[j],
				    k < nitems(en_between) ? en_between[k] : "");
				if (n >= strlen(w) && strncmp(at - strlen(w), w,
				    strlen(w)) == 0 && (d = en_duration_before(f,
				    at - strlen(w))) != NULL &&
				    (size_t)(d - f) >= strlen(en_workers[i]) &&
				    strncmp(d - strlen(en_workers[i]), en_workers[i],
				    strlen(en_workers[i])) == 0)
					return true;
			}
		}
	return false;
}

/*
 * Where a span of time ends just before end in f (no gaps): "3months",
 * "twoyears", "halfayear"; its start, or NULL.  "worked 3 months in a
 * greenhouse": the greenhouse is still where the work was.
 */
static const char *
en_duration_before(const char *f, const char *end)
{
	static const char *const units[] = {
		"months", "month", "weeks", "week", "days", "day", "years", "year"
	};
	static const char *const counts[] = {
		"a", "one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine", "ten", "several", "few", "afew", "half", "halfa",
		"many", "the", "whole", "all"
	};
	const char	*p;
	size_t		 i, j, l;

	for (i = 0; i < nitems(units); i++) {
		l = strlen(units[i]);
		if ((size_t)(end - f) < l || strncmp(end - l, units[i], l) != 0)
			continue;
		p = end - l;
		if (p > f && p[-1] >= '0' && p[-1] <= '9') {
			while (p > f && p[-1] >= '0' && p[-1] <= '9')
				p--;
			return p;
		}
		for (j = 0; j < nitems(counts); j++)
			if ((size_t)(p - f) >= strlen(counts[j]) && strncmp(p -
			    strlen(counts[j]), counts[j], strlen(counts[j])) == 0)
				return p - strlen(counts[j]);
	}
	return NULL;
}

static bool
en_word_is(const char *w, size_t l, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == l && strncmp(w, list[i], l) == 0)
			return true;
	return false;
}

/* Is w, of l bytes, a grid's name in Latin letters (zhouta)? */
static bool
latin_place_word(const struct text_index *ix, const char *w, size_t l)
{
	size_t	 i;

	for (i = 0; i < ix->grids_py.n; i++)
		if (ix->grids_py.v[i].len == l &&
		    strncmp(ix->grids_py.v[i].s, w, l) == 0)
			return true;
	return false;
}

/* Is w, of l bytes, all ASCII digits (the 2 of "No.2")? */
static bool
all_digits(const char *w, size_t l)
{
	size_t	 i;

	for (i = 0; i < l; i++)
		if (w[i] < '0' || w[i] > '9')
			return false;
	return l > 0;
}

/* Blank in f (folded with word gaps) each English word that follows a
 * locative: "rubbish near the clinic" is rubbish; or a worker's at ("crew
 * on a fishing boat"): the work is the pay. */
static void
en_where_blanked(const struct text_index *ix, char *f)
{
	char	*p = f, *w;
	size_t	 l;
	bool	 after = false, worker = false;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		for (w = p; *p != '\0' && *p != ' ' && (unsigned char)*p < 0x80; p++)
			;
		if ((l = (size_t)(p - w)) == 0) {
			/* not an ASCII word: past it */
			while (*p != '\0' && *p != ' ')
				p++;
			after = worker = false;
			continue;
		}
		/* an address (building 5, block 3, unit 2): where; after a
		 * locative, the place's number ("near No.2 middle school") */
		if (en_word_is(w, l, en_addresses, nitems(en_addresses)) &&
		    p[0] == ' ' && p[1] >= '0' && p[1] <= '9') {
			memset(w, ' ', l);
			worker = false;
			continue;
		}
		if (en_word_is(w, l, en_locatives, nitems(en_locatives)) ||
		    en_word_is(w, l, en_hands, nitems(en_hands)) ||
		    (worker && en_word_is(w, l, en_work_at, nitems(en_work_at))))
			after = true;
		else if (after && !en_word_is(w, l, en_between, nitems(en_between))) {
			/* the place's noun after its modifier, number or a
			 * grid's name too ("on Zhouta road") */
			after = en_word_is(w, l, en_place_modifiers,
			    nitems(en_place_modifiers)) || all_digits(w, l) ||
			    latin_place_word(ix, w, l);
			memset(w, ' ', l);
		}
		worker = en_word_is(w, l, en_workers, nitems(en_workers));
	}
}

/*
 * Where the resident worked, between 在 or 给 and a work verb in the same
 * clause (我在上海上班), or one that opens the next (给一个宾馆盖房子，干了
 * 两个月), or a 做 after a workplace (在那家茶厂做包装), within WORK_REACH
 * code points: blanked in f (folded, a gap
 * for punctuation), which the classifier then reads as the work, not the
 * works' trade.  The 在 nearest the verb: 住在老宅里，我在上海上班 blanks
 * 上海 only.
 */
/* Is q (in f) a 做 after a workplace (茶厂做包装, 饭店做帮工): the
 * resident's work there? */
static bool
works_do_at(const char *f, const char *q)
{
	static const char *const places[] = {
		"厂", "店", "场", "司", "馆", "站"
	};

	return strncmp(q, "做", strlen("做")) == 0 &&
	    preceded_by(f, q, places, nitems(places));
}

static void
works_blanked(char *f)
{
	const char	*p, *q, *from;
	size_t		 i, n;
	uint32_t	 c;
	bool		 gap;

	for (q = f; *q != '\0'; ) {
		if ((work_verb_at(q) && !stolen_at(f, q)) || works_do_at(f, q)) {
			from = NULL;
			gap = false;
			for (p = q, n = 0; p > f && n <= WORK_REACH && from == NULL;
			    n++) {
				do
					p--;
				while (p > f && (*p & 0xC0) == 0x80);
				if (*p == ' ' && (p + 1 != q || gap))
					break;	/* an earlier clause */
				gap = gap || *p == ' ';
				for (i = 0; i < nitems(work_at); i++)
					if (strncmp(p, work_at[i], strlen(work_at[i])) == 0)
						from = p + strlen(work_at[i]);
			}
			if (from != NULL && from < q)
				memset(f + (from - f), ' ', (size_t)(q - from));
		}
		if (utf8_decode(&q, &c) <= 0)
			q++;
	}
}

/*
 * What a resident gives as a measure of the trouble, 连 … 都 / 也 and
 * cannot pass (连救护车都进不来: even an ambulance cannot get in):
 * blanked in f (folded), which then tells the problem, not its
 * illustration.  Not what is missing (连口水都喝不上, 连个灯都没有: that
 * is the problem), nor 连续, 连接, 连着, 连忙; at most EVEN_REACH code
 * points between.
 */
#define EVEN_REACH	8

/* Does p say cannot get through (进不来, 过不去, 入唔来, 开不进)? */
static bool
cannot_pass(const char *p)
{
	static const char *const pass[] = {
		"进不", "出不", "过不", "开不", "走不", "入不", "入唔", "进唔",
		"出唔", "过唔", "上不", "下不"
	};
	size_t	 i;

	for (i = 0; i < nitems(pass); i++)
		if (strncmp(p, pass[i], strlen(pass[i])) == 0)
			return true;
	return false;
}

static void
even_blanked(char *f)
{
	char		*p, *q, *from;
	size_t		 n;
	uint32_t	 c;
	const char	*r;

	for (p = strstr(f, "连"); p != NULL; p = strstr(p + 1, "连")) {
		from = p + strlen("连");
		if (char_in(from, "续接着忙夜日年"))
			continue;
		for (q = from, n = 0; *q != '\0' && *q != ' ' && n <= EVEN_REACH;
		    n++) {
			if (strncmp(q, "都", strlen("都")) == 0 ||
			    strncmp(q, "也", strlen("也")) == 0) {
				if (q > from && cannot_pass(q + strlen("都")))
					memset(from, ' ', (size_t)(q - from));
				break;
			}
			r = q;
			if (utf8_decode(&r, &c) <= 0)
				break;
			q = (char *)(uintptr_t)r;
		}
	}
}

/*
 * Blank in f the dark of a thing's colour, not of the night: 黑乎乎 and
 * its kin before 的 and a stuff (黑乎乎的稠东西往下淌, 黑漆漆的水): the
 * leak or the water is what is wrong, no street light.
 */
static void
colour_blanked(char *f)
{
	static const char *const dark[] = {
		"黑乎乎", "黑糊糊", "黑漆漆", "黑黢黢", "乌漆漆", "黑咕隆咚"
	};
	static const char *const stuff[] = {
		"东西", "水", "油", "汤", "浆", "泥", "液", "沫", "渣", "粉",
		"灰", "烟", "汁", "稠", "黏", "粘", "脏"
	};
	char	*p, *q;
	size_t	 i;

	for (i = 0; i < nitems(dark); i++)
		for (p = strstr(f, dark[i]); p != NULL; p = strstr(p + 1,
		    dark[i])) {
			q = p + strlen(dark[i]);
			if (strncmp(q, "的", strlen("的")) == 0 &&
			    begins_with(q + strlen("的"), stuff,
			    nitems(stuff)) > 0)
				memset(p, ' ', strlen(dark[i]));
		}
}

/* Blank in f an errand the way is walked for (上学 of 娃娃们上学每天从
 * 那里过, key_errand_passing): the way is what is wrong. */
static void
errand_blanked(char *f)
{
	char	*p;
	size_t	 i, l;

	for (i = 0; i < nitems(errands); i++) {
		l = strlen(errands[i]);
		for (p = strstr(f, errands[i]); p != NULL; p = strstr(p + 1,
		    errands[i]))
			if (key_errand_passing(p, p + l))
				memset(p, ' ', l);
	}
}

/*
 * Blank in f a since-clause, the cause before what it did: 自打矿上挖煤以后
 * of 自打矿上挖煤以后井水就下去了 (the well is what is wrong, not the
 * mine).  It runs from 自打, 自从 or 打从 to 以后, 之后, 以来 or 过后, or
 * to 就, within SINCE_REACH code points and its clause, and something must
 * follow it: what it caused.  A clause with no such end keeps it (自打入冬
 * 拧开龙头啥也不出: the winter caused nothing).
 */
#define SINCE_REACH	12
static void
since_blanked(char *f)
{
	static const char *const since[] = { "自打", "自从", "打从" };
	static const char *const until[] = { "以后", "之后", "以来", "过后" };
	const char	*q, *r;
	char		*p;
	size_t		 i, l, n;
	uint32_t	 c;
	bool		 ended;

	for (i = 0; i < nitems(since); i++)
		for (p = strstr(f, since[i]); p != NULL; p = strstr(p + 1,
		    since[i])) {
			ended = false;
			for (n = 0, q = p + strlen(since[i]); *q != '\0' &&
			    *q != ' ' && !clause_end_char(*q) &&
			    n <= SINCE_REACH && !ended; n++) {
				if ((l = begins_with(q, until,
				    nitems(until))) > 0) {
					q += l;
					ended = true;
				} else if (strncmp(q, "就", strlen("就")) == 0)
					ended = true;
				else if (utf8_decode(&q, &c) <= 0)
					q++;
			}
			if (!ended)
				continue;
			for (r = q; *r == ' ' || clause_end_char(*r); r++)
				;
			if (*r != '\0')
				memset(p, ' ', (size_t)(q - p));
		}
}

/* Blank in f a phone not answered (老板电话也不接了, 不接电话): someone
 * not reached, no signal's problem. */
static void
unanswered_blanked(char *f)
{
	static const char *const calls[] = {
		"电话也不接", "电话都不接", "电话不接", "不接电话", "电话也不回",
		"电话都不回"
	};

	words_blanked(f, calls, nitems(calls));
}

/* folded with the place names in it (grids, aliases, townships) blanked
 * out: 崔桥村 names no bridge.  With where, also the places before a
 * locative and the keywords that modify another (学校门口的, 医院旁边),
 * so the classifier reads what is wrong, not where.  A new string. */
/* Does a category keyword longer than one character start at p (村道 of
 * 柑园村道垮了: the village's road, 村 shared with its name)? */
static bool
cat_key_at(const struct text_index *ix, const char *p)
{
	size_t	 i;

	for (i = 0; i < ix->cats.n; i++)
		if (ix->cats.v[i].chars > 1 && strncmp(p, ix->cats.v[i].s,
		    ix->cats.v[i].len) == 0)
			return true;
	return false;
}

static char *
places_blanked(const struct text_index *ix, const char *folded, bool where)
{
	const struct text_keys	*ks[] = { &ix->grids, &ix->towns };
	char			*f = xstrdup(folded), *p;
	const char		*e;
	size_t			 i, j, l;

	for (i = 0; i < nitems(ks); i++)
		for (j = 0; j < ks[i]->n; j++)
			while ((p = strstr(f, ks[i]->v[j].s)) != NULL) {
				l = ks[i]->v[j].len;
				/* 红庄村小: the village's primary school (村小),
				 * not 村小组; the name goes, 村 stays */
				if (l > strlen("村") && strncmp(p + l - strlen("村"),
				    "村", strlen("村")) == 0 && ((strncmp(p + l, "小",
				    strlen("小")) == 0 && strncmp(p + l + strlen("小"),
				    "组", strlen("组")) != 0 && strncmp(p + l +
				    strlen("小"), "区", strlen("区")) != 0) ||
				    cat_key_at(ix, p + l - strlen("村"))))
					l -= strlen("村");
				/* 滨河小区: the estate's name, 小区 with it */
				else if (strncmp(p + l, "小区",
				    strlen("小区")) == 0)
					l += strlen("小区");
				memset(p, ' ', l);
			}
	/* (no problem's words, wherever: a thing's colour, an errand, a
	 * phone not answered) */
	colour_blanked(f);
	errand_blanked(f);
	unanswered_blanked(f);
	if (!where)
		return f;
	since_blanked(f);
	en_where_blanked(ix, f);
	for (i = 0; i < nitems(place_nouns); i++) {
		l = strlen(place_nouns[i]);
		for (p = strstr(f, place_nouns[i]); p != NULL; p = strstr(p + 1,
		    place_nouns[i]))
			if ((e = locative_at(p + l)) != NULL)
				memset(p, ' ', (size_t)(e - p));
	}
	for (i = 0; i < ix->cats.n; i++)
		for (p = strstr(f, ix->cats.v[i].s); p != NULL; p = strstr(p + 1,
		    ix->cats.v[i].s))
			if (key_modifies(ix, f, p, p + ix->cats.v[i].len,
			    ix->cats.v[i].owner)) {
				e = locative_at(p + ix->cats.v[i].len);
				memset(p, ' ', e != NULL ? (size_t)(e - p) :
				    ix->cats.v[i].len);
			} else if (key_works_at(f, p, p + ix->cats.v[i].len))
				memset(p, ' ', ix->cats.v[i].len);
	works_blanked(f);
	even_blanked(f);
	return f;
}

static char *
masked(const struct text_index *ix, const char *raw, bool where)
{
	char	*f;

	if (raw == NULL)
		return NULL;
	f = text_fold_words(raw);
	if (ix != NULL) {
		char *m = places_blanked(ix, f, where);

		free(f);
		f = m;
	}
	return f;
}

char *
text_places_masked(const struct text_index *ix, const char *raw)
{
	return masked(ix, raw, false);
}

char *
text_where_masked(const struct text_index *ix, const char *raw)
{
	return masked(ix, raw, true);
}

char *
text_masked_both(const struct text_index *ix, const char *raw, char **where)
{
	char	*f, *pl;

	*where = NULL;
	if (raw == NULL)
		return NULL;
	f = text_fold_words(raw);
	if (ix == NULL)
		return f;
	pl = places_blanked(ix, f, false);
	*where = places_blanked(ix, f, true);
	free(f);
	if (strcmp(*where, pl) == 0) {
		free(*where);
		*where = NULL;
	}
	return pl;
}

static bool	 word_at(const char *, size_t, size_t);

/* The code points of f before p. */
static size_t
cp_count(const char *f, const char *p)
{
	const char	*q = f;
	uint32_t	 c;
	size_t		 n = 0;

	while (q < p && utf8_decode(&q, &c) > 0)
		n++;
	return n;
}

/*
 * Does keyword b, at bat in f, start inside keyword a (at aat) and is it a
 * word as ICU's dictionary splits f where a is not, a's first character a
 * word's last with the one before: 步道路灯 is 步道 and 路灯, no 道路?
 */
static bool
overlap_word(const char *f, const char *aat, const struct text_key *a,
    const char *bat, const struct text_key *b)
{
	size_t	 as, bs;

	if (bat <= aat || bat >= aat + a->len || a->owner == b->owner)
		return false;
	as = cp_count(f, aat);
	bs = cp_count(f, bat);
	return as > 0 && word_at(f, as - 1, as + 1) &&
	    !word_at(f, as, as + a->chars) && word_at(f, bs, bs + b->chars);
}

/* The strong (weak: not strong, outside place names) exact keyword in
 * folded that names the problem (not only where: key_names), the longest,
 * then the first written; or NULL.  With modifiers, the first keyword that
 * only modifies (学校 of 学校门口): for when nothing else names one. */
static const struct text_key *
clause_key(const struct text_index *ix, const char *folded, const char *words,
    bool strong, bool modifiers)
{
	const struct text_key	*k = NULL;
	/* 口岸社区 names no border crossing (口岸): places out, and for a
	 * weak key, where it is too */
	char			*f = places_blanked(ix, folded, !strong);
	size_t			 i;

	for (i = 0; i < ix->cats.n && k == NULL; i++) {
		if (key_strong(&ix->cats.v[i]) != strong)
			continue;
		if (modifiers ? strstr(folded, ix->cats.v[i].s) != NULL :
		    key_names(ix, f != NULL ? f : folded, &ix->cats.v[i],
		    words))
			k = &ix->cats.v[i];
	}
	/* of keywords as long as it, the one written first (路灯和水管都坏了:
	 * the lights) */
	if (k != NULL && !modifiers) {
		const char	*g = f != NULL ? f : folded, *at, *best;

		best = key_named_at(ix, g, k, words);
		for (; i < ix->cats.n && ix->cats.v[i].chars == k->chars; i++)
			if (key_strong(&ix->cats.v[i]) == strong &&
			    (at = key_named_at(ix, g, &ix->cats.v[i], words)) != NULL &&
			    best != NULL && ((at < best && !overlap_word(g, at,
			    &ix->cats.v[i], best, k)) ||
			    overlap_word(g, best, k, at, &ix->cats.v[i]))) {
				best = at;
				k = &ix->cats.v[i];
			}
	}
	free(f);
	return k;
}

/* The bytes [*a, *b) of code points [s, e) of f: false when f is
 * shorter. */
static bool
cp_span(const char *f, size_t s, size_t e, const char **a, const char **b)
{
	const char	*p = f;
	size_t		 n = 0;
	uint32_t	 c;

	*a = NULL;
	for (;;) {
		if (n == s)
			*a = p;
		if (n == e || utf8_decode(&p, &c) <= 0)
			break;
		n++;
	}
	*b = p;
	return *a != NULL && n == e;
}

/* Is [s, e) (code points of folded f) one of owner's keywords written
 * exactly: not a homophone, but a keyword clause_key() passed over as
 * only saying where (学校 of 学校门口)? */
static bool
exact_key_at(const struct text_index *ix, const char *f, size_t s, size_t e,
    int owner)
{
	const char	*a, *p;
	size_t		 i;

	if (!cp_span(f, s, e, &a, &p))
		return false;
	for (i = 0; i < ix->cats.n; i++)
		if (ix->cats.v[i].owner == owner &&
		    ix->cats.v[i].len == (size_t)(p - a) &&
		    strncmp(a, ix->cats.v[i].s, ix->cats.v[i].len) == 0)
			return true;
	return false;
}

/* Does [s, e) (code points of folded f) sound like a keyword where the
 * resident worked (在洗煤厂上班: 煤厂, heard as 煤场)? */
static bool
works_at_cp(const char *f, size_t s, size_t e)
{
	const char	*a, *b;

	return cp_span(f, s, e, &a, &b) && key_works_at(f, a, b);
}

/*
 * Everyday words that hold a homophone of a common keyword: written so,
 * they are what they say, not a typo (拖拉机 holds la ji of 垃圾, 露面
 * is lu mian of 路面, 午夜 wu ye of 物业, 忍不住 bu zhu of 补助, 未见
 * wei jian of 违建, 绿灯 lu deng of 路灯 to ICU, 无水 wu shui of 污水:
 * no water, as 闽南 and written Mandarin say it; in fuzzy pinyin, 几岁
 * ji sui of 积水).  So are words as common as the keyword they sound
 * like: 香蕉 (bananas, 橡胶 rubber), 大家 (打架), 家伙 (假货), 小车
 * (校车), 一元 (医院), 点心 (电信), 官网 (管网), 花费 (化肥), 堵死
 * (毒死), 看着 (砍蔗), 拉着 (拉蔗), 赶着 (甘蔗), 一声 and 一生 (医生),
 * 找事 (肇事), 这家 (蔗价).
 */
static const char *const homophone_words[] = {
	"拖拉机", "露面", "防水", "落实", "午夜", "为生", "久住", "绿灯",
	"不住", "拦路", "未见", "无水", "几岁", "香蕉", "大家", "家伙",
	"小车", "一元", "点心", "官网", "花费", "堵死", "看着", "拉着",
	"赶着", "一声", "一生", "找事", "这家", "那家", "哪家", "人家",
	"老家", "东家", "宾馆", "饭馆", "旅馆", "茶馆", "月底", "年底",
	"结账", "雨季", "旱季", "雨天", "冬季", "夏季", "大雨", "小雨", "暴雨",
	"下雨", "落雨", "车子", "开车", "骑车", "坐车",	/* 车 is ju in chess,
								 * not 橘子 */
	"睡觉", "火车", "晚熟", "早熟", "拉石头", "阿爷", "老爷", "爷爷",
	"水鸭", "鸭子", "不拉几", "壶底", "一分钱", "一分", "技术员", "眼子",
	"秧子",
	/* common words of the practice articles that sound like keywords
	 * (调查 tiaozha: 跳闸; 业务: 野物; 重点: 充电; 强烈: 墙裂) */
	"调查", "解决", "经常", "重点", "强烈", "防止", "大地", "一名", "业务",
	"结合", "违反", "城乡", "民主", "效率", "种植", "履职", "模式", "呈现",
	/* the commonest words of all (黑水直接: shui zhi is no 水质) */
	"直接", "已经", "就是", "还是", "可是", "但是", "现在", "时候", "因为",
	"所以", "一直", "知道", "觉得", "没有", "什么", "怎么", "东西", "地方",
	"自己", "我们", "他们", "今年", "去年", "每天", "天天", "开始", "以后",
	"以前", "马上", "到处", "一起", "真的", "进去", "出去", "进来", "出来",
	"上去", "下去", "回去", "过去", "过来", "样子", "过路",
	"一身", "一夜", "冰箱", "芭蕉", "茶山", "老屋", "短斤少两", "缺斤少两",
	"短斤缺两", "赶紧", "抓紧", "要紧", "赶快", "尽快", "起来",
	/* a measure: 一包五十斤 is no 医保 */
	"一包", "两包"
};

/* Does an occurrence of w in hay (f, or f blanked byte for byte) cover
 * any of [s, e), code points of f?  With inside false, not when w lies
 * wholly inside [s, e) of three or more (没车 of 拉没车: lameiche, 拉煤车
 * heard whole, longer than the word). */
static bool
word_over(const char *hay, const char *f, const char *w, size_t s, size_t e,
    bool inside)
{
	const char	*p, *q;
	size_t		 n, wn;
	uint32_t	 c;

	for (q = w, wn = 0; utf8_decode(&q, &c) > 0; wn++)
		;
	for (q = strstr(hay, w); q != NULL; q = strstr(q + 1, w)) {
		for (p = f, n = 0; p < f + (q - hay) && utf8_decode(&p, &c) > 0;
		    n++)
			;
		if (s < n + wn && e > n && (inside || e - s < 3 || n < s ||
		    n + wn > e || wn == e - s))
			return true;
	}
	return false;
}

/* Does [s, e) (code points of folded f) reach into one of homophone_words? */
static bool
homophone_word_at(const char *f, size_t s, size_t e)
{
	size_t	 i;

	for (i = 0; i < nitems(homophone_words); i++)
		if (word_over(f, f, homophone_words[i], s, e, true))
			return true;
	return false;
}

/*
 * Characters that ask or end a sentence (啥时 is sha shi of 砂石, 咋办
 * za ban of 杂般), and the commonest little words (在, 是, 着, 了: 现在
 * 还 is zai hai of 灾害; not 也 or 都, which stand for 野 and 堵 in
 * typos: 也猪, 都车): a keyword's pinyin typed is its
 * own characters or other content words, never these, so a span holding
 * one is no typo.
 */
bool
text_function_char(uint32_t cp)
{
	static const uint32_t	 set[] = { 0x5565 /* 啥 */, 0x548b /* 咋 */,
	    0x5417 /* 吗 */, 0x5462 /* 呢 */, 0x5427 /* 吧 */, 0x554a /* 啊 */,
	    0x4e48 /* 么 */, 0x561b /* 嘛 */, 0x54ea /* 哪 */, 0x5440 /* 呀 */,
	    0x54e6 /* 哦 */, 0x5728 /* 在 */, 0x662f /* 是 */, 0x7740 /* 着 */,
	    0x4e86 /* 了 */, 0x5230 /* 到 */, 0x7684 /* 的 */, 0x628a /* 把 */,
	    0x4e0d /* 不: 推不动 is no 退捕 */,

	    0x65a4 /* 斤: 一斤四两 is no 浸死 */ };
	size_t			 i;

	for (i = 0; i < nitems(set); i++)
		if (set[i] == cp)
			return true;
	return false;
}

/* Does [s, e) (code points of folded f) reach into a built-in word of
 * two characters or more written there (这几天水龙头: tian shui is no
 * 田水; 老屋子, 冰箱也)?  A word written whole is no typo. */
static bool
lexicon_word_at(const struct text_index *ix, const char *f, size_t s,
    size_t e)
{
	char		*b = places_blanked(ix, f, false);
	const char	*w;
	size_t		 g, i;
	bool		 in = false;

	/* in b: not across a place's name (濮城村道陆: no 村道) */
	for (g = 0; g < nlexicon && !in; g++)
		for (i = 0; lexicon[g].words[i] != NULL && !in; i++) {
			w = lexicon[g].words[i];
			if ((unsigned char)*w >= 0x80 && text_chars(w) >= 2)
				in = word_over(b, f, w, s, e, false);
		}
	free(b);
	return in;
}

/* Does [s, e) (code points of folded f) hold a text_function_char(), or
 * begin with the passive's 叫 or 被? */
static bool
function_char_at(const char *f, size_t s, size_t e)
{
	const char	*p = f;
	size_t		 n;
	uint32_t	 c;

	for (n = 0; n < e; n++) {
		if (utf8_decode(&p, &c) <= 0)
			break;
		if (n >= s && text_function_char(c))
			return true;
		/* the passive's 叫 or 被 before its agent (叫水冲坏了 is no
		 * 浇水); last, it may be the typo (水叫干了: 水窖) */
		if (n == s && (c == 0x53eb /* 叫 */ || c == 0x88ab /* 被 */))
			return true;
	}
	return false;
}

/*
 * How ICU's dictionary splits folded f about [s, e) (code points, two at
 * least): *word when the span is one word (技术, jishu, which fuzzy pinyin
 * hears as jisu, 寄宿, is a word; 停岁, 停水 mistyped, is two), *cuts when
 * a word runs across its start or its end (板欠 of 老板欠: ban qian).
 */
static void
word_split(const char *f, size_t s, size_t e, bool *word, bool *cuts)
{
	UBreakIterator	*b;
	UChar		*u;
	const char	*p = f;
	int32_t		 n = 0, us = -1, ue = -1;
	size_t		 i = 0;
	uint32_t	 c;
	UErrorCode	 err = U_ZERO_ERROR;

	*word = *cuts = false;
	if (e < s + 2)
		return;
	u = xcalloc(2 * strlen(f) + 1, sizeof(*u));
	for (;;) {
		if (i == s)
			us = n;
		if (i == e)
			ue = n;
		if (utf8_decode(&p, &c) <= 0)
			break;
		U16_APPEND_UNSAFE(u, n, c);
		i++;
	}
	if (us >= 0 && ue >= 0) {
		b = word_breaks();
		ubrk_setText(b, u, n, &err);
		if (U_SUCCESS(err)) {
			*word = ubrk_isBoundary(b, us) &&
			    ubrk_following(b, us) == ue;
			*cuts = !ubrk_isBoundary(b, us) || !ubrk_isBoundary(b, ue);
		}
		err = U_ZERO_ERROR;
		ubrk_setText(b, u, 0, &err);
	}
	free(u);
}

/* Is [s, e) one word of ICU's dictionary as it splits f (word_split)? */
static bool
word_at(const char *f, size_t s, size_t e)
{
	bool	 word, cuts;

	word_split(f, s, e, &word, &cuts);
	return word;
}

/* Is [s, e) a word, or part of one and of the next (word_split)? */
static bool
word_or_across(const char *f, size_t s, size_t e)
{
	bool	 word, cuts;

	word_split(f, s, e, &word, &cuts);
	return word || cuts;
}

/* Does [s, e) (code points of folded f) hold the 组, 队 or 社 of a village
 * group's number (3组, 三组, 二队): part of an address, not a typo (3组进
 * 寨子: zu jin is not 租金)? */
static bool
group_at(const char *f, size_t s, size_t e)
{
	static const uint32_t	 numerals[] = { U'一', U'二', U'两', U'三',
	    U'四', U'五', U'六', U'七', U'八', U'九', U'十' };
	const char		*p = f;
	size_t			 n, i;
	uint32_t		 c, prev = 0;
	bool			 number;

	for (n = 0; n < e; n++) {
		if (utf8_decode(&p, &c) <= 0)
			break;
		number = prev >= '0' && prev <= '9';
		for (i = 0; i < nitems(numerals) && !number; i++)
			number = prev == numerals[i];
		if (n >= s && number && (c == U'组' || c == U'队' || c == U'社'))
			return true;
		prev = c;
	}
	return false;
}

/* Does [s, e) (code points of folded f) reach into a place's name
 * (王家岭村一个多月: cun yi is not 村医)? */
static bool
place_at(const struct text_index *ix, const char *f, size_t s, size_t e)
{
	char		*b = places_blanked(ix, f, false);
	const char	*p = f;
	size_t		 n;
	uint32_t	 c;
	bool		 in = false;

	for (n = 0; n < e && !in; n++) {
		size_t	 off = (size_t)(p - f);

		if (utf8_decode(&p, &c) <= 0)
			break;
		in = n >= s && b[off] == ' ' && f[off] != ' ';
	}
	free(b);
	return in;
}

/* Is [s, e) (code points of folded f) a name before a place's ending
 * (东官社区: 东关 mistyped, no 冻管)? */
static bool
named_place_at(const char *f, size_t s, size_t e)
{
	const char	*a, *b;

	return cp_span(f, s, e, &a, &b) &&
	    begins_with(b, han_place_suffixes, nitems(han_place_suffixes)) > 0;
}

/* The homophones of the strong keywords (keys: their pinyin, or fuzzy
 * pinyin) in py (of clause), the longest, into tf->cat_cands; *f is
 * clause folded, once needed. */
/* What was written at code points [s, e) of folded f, and the keyword
 * word it sounds as, into tf (both empty when either does not fit). */
static void
heard_as(struct text_found *tf, const char *f, size_t s, size_t e,
    const char *word)
{
	const char	*a, *b;

	tf->heard[0] = tf->meant[0] = '\0';
	if (word == NULL || !cp_span(f, s, e, &a, &b) ||
	    (size_t)(b - a) >= sizeof(tf->heard) ||
	    strlen(word) >= sizeof(tf->meant))
		return;
	memcpy(tf->heard, a, (size_t)(b - a));
	tf->heard[b - a] = '\0';
	strlcpy(tf->meant, word, sizeof(tf->meant));
}

static void
homophones_in(const struct text_index *ix, const struct text_keys *keys,
    const struct text_pinyin *py, const char *clause, char **f,
    struct text_found *tf)
{
	const struct text_key	*k;
	size_t			 i, j, s, e, from, chars = 0;
	bool			 found;

	tf->ncat_cands = 0;
	for (i = 0; i < keys->n; i++) {
		k = &keys->v[i];
		if (tf->ncat_cands > 0 && k->chars < chars)
			break;
		found = false;
		for (from = 0; !found && pinyin_find(py, k->s, from, &s, &e) == 0; ) {
			if (*f == NULL)
				*f = text_fold(clause);
			/* as many characters as syllables: 护岸 (hu an) is
			 * no 还 (huan) */
			found = e - s == k->chars &&
			    !exact_key_at(ix, *f, s, e, k->owner) &&
			    !homophone_word_at(*f, s, e) &&
			    !text_dialect_over(*f, s, e) &&
			    !lexicon_word_at(ix, *f, s, e) &&
			    !function_char_at(*f, s, e) &&
			    !place_at(ix, *f, s, e) &&
			    !named_place_at(*f, s, e) && !group_at(*f, s, e) &&
			    ((k->word != NULL && key_of_pay(k->word)) ||
			    !works_at_cp(*f, s, e));
			for (from = 0; from < py->len && py->cp[from] <= s; from++)
				;
		}
		if (!found)
			continue;
		if (keys == &ix->cats_fz && word_at(*f, s, e))
			tf->category_word = true;
		chars = k->chars;
		for (j = 0; j < tf->ncat_cands; j++)
			if (tf->cat_cands[j] == k->owner)
				break;
		if (j == tf->ncat_cands && j < TEXT_CANDS_MAX) {
			/* (a rare reading, 落石 as laoshi of 老石桥, is
			 * no word the rest can be read with) */
			if (tf->ncat_cands == 0)
				heard_as(tf, *f, s, e, k->rare ? NULL :
				    k->word);
			tf->cat_cands[tf->ncat_cands++] = k->owner;
		}
	}
}

/* The homophones of the strong keywords in py (of clause), the longest;
 * when none, as its polyphones read otherwise (停谁 is 停水); when none,
 * in fuzzy pinyin (跳匝 is 跳闸): 1 with tf->category set when they name
 * one category, the number of tied candidates in tf->cat_cands, 0 none. */
static size_t
clause_homophone(const struct text_index *ix, const struct text_pinyin *py,
    const char *clause, struct text_found *tf)
{
	struct text_pinyin	*alt;
	char			*f = NULL;	/* clause folded, once needed */
	int			 a;

	homophones_in(ix, &ix->cats_py, py, clause, &f, tf);
	for (a = 1; tf->ncat_cands == 0 && a <= py->nalt; a++) {
		alt = pinyin_alt(py, a);
		homophones_in(ix, &ix->cats_py, alt, clause, &f, tf);
		text_pinyin_free(alt);
	}
	if (tf->ncat_cands == 0) {
		alt = pinyin_fuzz(py);
		homophones_in(ix, &ix->cats_fz, alt, clause, &f, tf);
		text_pinyin_free(alt);
		tf->category_fuzzy = tf->ncat_cands > 0;
	}
	free(f);
	tf->cands_sound = tf->ncat_cands > 1;
	if (tf->ncat_cands == 1) {
		tf->category = tf->cat_cands[0];
		tf->category_homophone = true;
		tf->ncat_cands = 0;
		return 1;
	}
	return tf->ncat_cands;
}

/*
 * A homophone of another category's keyword, as long as the exact one
 * (three characters at least) and across it: 红路灯不亮 is 红绿灯
 * mistyped (roads), though it holds 灯不亮.  Or longer than it, in the
 * same clause apart from it, and a typo by the tests a homophone passes
 * (小龙瞎田被农药水毒死了: 小龙虾 mistyped, of crayfish, beside 农药 of
 * farming).  Both are asked, the homophone first.
 */
/* Is the message (raw) the category's first by the classifier, with at
 * least p? */
static bool
reads_as(const struct text_index *ix, const char *clause, int category,
    double p)
{
	char	*m = text_where_masked(ix, clause);
	int	*order = xcalloc(ix->cfg->ncategories, sizeof(*order));
	double	 got;
	bool	 is;

	got = classifier_rank(text_classifier(ix), m, order, NULL);
	is = got > 0 && got >= p && order[0] == category;
	free(order);
	free(m);
	return is;
}

/*
 * Could [s, e) of folded f be a keyword of owner mistyped: not that
 * keyword written, nor one of the commonest words, nor reaching into a
 * built-in word written there that the dictionary cuts it from (板欠 of
 * 老板欠了; not 小龙瞎 of 刘寨村小龙瞎, 村小 left of a place's name), a
 * function character,
 * a place's name or a village group's number?
 */
static bool
typo_at(const struct text_index *ix, const char *f, size_t s, size_t e,
    int owner)
{
	bool	 word, cuts;

	word_split(f, s, e, &word, &cuts);
	return !exact_key_at(ix, f, s, e, owner) && !homophone_word_at(f, s, e) &&
	    !(cuts && lexicon_word_at(ix, f, s, e)) &&
	    !function_char_at(f, s, e) && !place_at(ix, f, s, e) &&
	    !group_at(f, s, e);
}

/* Two categories to ask, the typo's first. */
static void
cands_two(struct text_found *tf, int first, int second)
{
	tf->cat_cands[0] = first;
	tf->cat_cands[1] = second;
	tf->ncat_cands = 2;
	tf->cands_sound = false;
	tf->category = -1;
}

static void
across_homophone(const struct text_index *ix, const char *raw,
    const char *clause, const struct text_key *k, struct text_found *tf)
{
	struct text_pinyin	*cpy = text_pinyin_new(clause);
	const struct text_key	*hk;
	char			*f = text_fold(clause), *at;
	size_t			 i, s, e, ks, ke;

	if (cpy == NULL || (at = strstr(f, k->s)) == NULL)
		goto out;
	ks = cp_index(f, (size_t)(at - f));
	ke = ks + k->chars;
	for (i = 0; i < ix->cats_py.n; i++) {
		hk = &ix->cats_py.v[i];
		if (hk->chars < k->chars || hk->chars < 2)
			break;
		if (hk->owner == k->owner || pinyin_find(cpy, hk->s, 0, &s, &e) != 0 ||
		    (s == ks && e == ke))
			continue;
		if (hk->chars < 3 && !(e <= ks && hk->chars == k->chars))
			continue;	/* two characters: only as long, before it */
		if (hk->chars < 3 && !reads_as(ix, raw, hk->owner, 0)) {
			/* ... when the rest reads so too (改的测所用了一个冬
			 * 天就冻裂掉了), or a typo by the tests a homophone
			 * passes (台峰过后电线歪在门口: 台风 mistyped, then
			 * the power line it bent), not a word of its own
			 * (市场 sounds like 石场) nor pieces of two (老板欠:
			 * 板欠, 搬迁): both asked */
			if (word_or_across(f, s, e) ||
			    !typo_at(ix, f, s, e, hk->owner))
				continue;
			cands_two(tf, hk->owner, k->owner);
			break;
		}
		/* written as it is, begun inside the keyword (红绿灯坏了:
		 * 灯坏了): the keyword written first is what is meant */
		if (s > ks && s < ke && exact_key_at(ix, f, s, e, hk->owner))
			continue;
		if (e <= ks || s >= ke) {
			/* apart from it: only longer, or as long before it,
			 * and a typo */
			if ((hk->chars <= k->chars && !(e <= ks &&
			    hk->chars == k->chars && hk->chars == 2)) ||
			    !typo_at(ix, f, s, e, hk->owner))
				continue;
		}
		if (reads_as(ix, raw, hk->owner, TEXT_READS_SURE)) {
			/* the rest is sure it is the typo's (度口被水淹了: a
			 * ferry pier, flooded) */
			tf->category = hk->owner;
			tf->category_homophone = true;
			break;
		}
		cands_two(tf, hk->owner, k->owner);
		break;
	}
out:
	free(f);
	text_pinyin_free(cpy);
}

/*
 * The category: the problem named first, clause by clause (two problems:
 * the first, "路上坑太多，护栏也没有" is about the road).  In a clause an
 * exact keyword of two characters or more, the longest, then the first
 * written.  Failing that, homophones of those keywords (a unique one
 * counts; tied ones are candidates).  Failing that, a one-character
 * keyword (路, 坑) outside the place names, weakly.  So "桥边护拦掉了" is
 * about the railing, not the bridge.
 */
/* An exact keyword (two characters or more) in the clauses cl: it names
 * the category in tf instead of what was heard. */
static void
later_exact(const struct text_index *ix, const char *raw, char **cl,
    struct text_found *tf)
{
	const struct text_key	*k = NULL;
	char			*f, *fw;
	const char		*at;
	size_t			 i;

	for (i = 0; cl[i] != NULL && k == NULL; i++) {
		f = text_fold(cl[i]);
		fw = text_fold_words(cl[i]);
		text_figures_blank(f);
		text_figures_blank(fw);
		if ((k = clause_key(ix, f, fw, true, false)) != NULL) {
			tf->category = k->owner;
			tf->category_weak = false;
			tf->category_homophone = false;
			tf->category_fuzzy = false;
			tf->category_word = false;
			tf->ncat_cands = 0;
			tf->cands_sound = false;
			at = strstr(raw, cl[i]);
			tf->cat_at = at != NULL ? (size_t)(at - raw) : 0;
		}
		free(fw);
		free(f);
	}
}

static void
find_category(const struct text_index *ix, const char *raw,
    const struct text_pinyin *py, struct text_found *tf)
{
	const struct text_key	*k = NULL, *where = NULL;
	struct text_pinyin	*cpy;
	char			**cl, *f, *fw;
	size_t			  i, n, where_at = 0;
	int			  pass;

	cl = clauses_of(raw);
	for (i = 0; cl[i] != NULL && tf->category < 0 && tf->ncat_cands == 0; i++) {
		f = strstr(raw, cl[i]);
		tf->cat_at = f != NULL ? (size_t)(f - raw) : 0;
		for (pass = 0; pass < 3; pass++) {
			if (pass == 1 && py == NULL)
				continue;	/* characters only */
			if (pass == 1) {
				/* one clause: the message's own pinyin */
				cpy = cl[1] == NULL ? NULL : text_pinyin_new(cl[i]);
				n = clause_homophone(ix, cpy != NULL ? cpy : py, cl[i], tf);
				text_pinyin_free(cpy);
			} else {
				f = text_fold(cl[i]);
				fw = text_fold_words(cl[i]);
				separable_joined(f);
				separable_joined(fw);
				text_figures_blank(f);
				text_figures_blank(fw);
				if ((k = clause_key(ix, f, fw, pass == 0, false)) != NULL) {
					tf->category = k->owner;
					tf->category_weak = pass == 2;
				} else if (pass == 0 && where == NULL &&
				    (where = clause_key(ix, f, fw, true, true)) != NULL)
					where_at = tf->cat_at;
				free(fw);
				free(f);
				if (k != NULL && pass == 0 && py != NULL)
					across_homophone(ix, raw, cl[i], k, tf);
				n = k != NULL;
			}
			if (n > 0)
				break;
		}
		/* a sound only fuzzy pinyin hears is weaker than a keyword
		 * written in a later clause (果子小又花，有人说是黄龙病) */
		if (pass == 1 && tf->category_fuzzy)
			later_exact(ix, raw, cl + i + 1, tf);
	}
	/* nothing but a place-like keyword (学校门口): it, weakly */
	if (tf->category < 0 && tf->ncat_cands == 0 && where != NULL) {
		tf->category = where->owner;
		tf->category_weak = true;
		tf->category_where = true;
		tf->cat_at = where_at;
	}
	for (i = 0; cl[i] != NULL; i++)
		free(cl[i]);
	free(cl);
}

/*
 * True when key occurs in folded f at a place no keyword of category
 * covers: in "路口红绿灯坏了" the 灯坏 of street lights is inside 红绿灯,
 * the keyword that named the problem, so it names no second one.  Nor
 * does a keyword that only says where (路灯坏了，就在学校门口; garbage
 * along the road).
 */
static bool
loose_in(const struct text_index *ix, const char *f, const char *words,
    const struct text_key *k, int category)
{
	const char	*at, *c, *key = k->s;
	size_t		 klen = strlen(key), j, clen;
	bool		 covered;

	/* nor an English noun another's heads (the grain subsidy) */
	if (words != NULL && all_ascii(key) && (en_key_modifies(ix, words, k) ||
	    en_key_stuff_of(ix, words, k)))
		return false;
	for (at = strstr(f, key); at != NULL; at = strstr(at + 1, key)) {
		if (key_modifies(ix, f, at, at + klen, -1) ||
		    en_after_locative(f, at) ||
		    key_works_at(f, at, at + klen) ||
		    (!key_of_pay(key) && key_family_away(f, at)) ||
		    key_errand_passing(at, at + klen))
			continue;	/* 学校门口, along the road: where */
		covered = false;
		for (j = 0; j < ix->cats.n && !covered; j++) {
			if (ix->cats.v[j].owner != category)
				continue;
			clen = strlen(ix->cats.v[j].s);
			for (c = strstr(f, ix->cats.v[j].s); c != NULL && !covered;
			    c = strstr(c + 1, ix->cats.v[j].s))
				covered = c < at + klen && at < c + clen;
		}
		if (!covered)
			return true;
	}
	return false;
}

int
text_other_category(const struct text_index *ix, const char *raw, int category)
{
	return text_other_clause(ix, raw, category, NULL);
}

int
text_other_clause(const struct text_index *ix, const char *raw, int category,
    char **clause)
{
	char	**cl, *f, *w;
	size_t	  i, j;
	int	  other = -1;

	if (clause != NULL)
		*clause = NULL;
	if (ix == NULL || raw == NULL)
		return -1;
	cl = clauses_of(raw);
	for (i = 0; cl[i] != NULL && other < 0; i++) {
		/* (no keyword inside a place's name: 滨河小区) */
		w = text_fold(cl[i]);
		f = places_blanked(ix, w, false);
		free(w);
		w = text_fold_words(cl[i]);
		for (j = 0; j < ix->cats.n && other < 0; j++)
			if (key_strong(&ix->cats.v[j]) &&
			    ix->cats.v[j].owner != category &&
			    loose_in(ix, f, w, &ix->cats.v[j], category))
				other = ix->cats.v[j].owner;
		if (other >= 0 && clause != NULL)
			*clause = xstrdup(cl[i]);
		free(w);
		free(f);
	}
	for (i = 0; cl[i] != NULL; i++)
		free(cl[i]);
	free(cl);
	return other;
}

/* Where a township's name was found in the text. */
struct town_span {
	size_t	 start, end;	/* code points, end exclusive */
	int	 town;		/* index into townships */
};

/*
 * True when [start, end) lies inside a township name found in the text and
 * is shorter than it: "杨集" in "杨集乡" is part of the township's name, not
 * a mention of the grid 杨集村.
 */
static bool
in_town_name(const struct town_span *sp, size_t nsp, size_t start, size_t end)
{
	size_t	 i;

	for (i = 0; i < nsp; i++)
		if (sp[i].start <= start && end <= sp[i].end &&
		    end - start < sp[i].end - sp[i].start)
			return true;
	return false;
}

/*
 * Is the township town named in the text apart from the grid's own match
 * [start, end): 兰州湾 of 兰州湾村 is the grid, whatever township shares
 * the name, and names no township beside it?
 */
static bool
town_named(const struct town_span *sp, size_t nsp, int town, size_t start,
    size_t end)
{
	size_t	 i;

	for (i = 0; town >= 0 && i < nsp; i++)
		if (sp[i].town == town && (sp[i].end <= start || end <= sp[i].start))
			return true;
	return false;
}

static void
span_add(struct town_span **sp, size_t *nsp, size_t *cap, size_t start,
    size_t end, int town)
{
	if (*nsp == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*sp = xrealloc(*sp, *cap * sizeof(**sp));
	}
	(*sp)[*nsp].start = start;
	(*sp)[*nsp].end = end;
	(*sp)[*nsp].town = town;
	(*nsp)++;
}

/* Does [s, e) (code points of folded) lie inside a longer grid key's
 * occurrence (王楼 of 东王楼村)? */
static bool
grid_key_inside(const struct text_keys *grids, const char *folded, size_t s,
    size_t e)
{
	const char	*p;
	size_t		 i, ks;

	for (i = 0; i < grids->n && grids->v[i].chars > e - s; i++)
		for (p = folded; (p = strstr(p, grids->v[i].s)) != NULL; p++) {
			ks = cp_index(folded, (size_t)(p - folded));
			if (ks <= s && ks + grids->v[i].chars >= e)
				return true;
		}
	return false;
}

/*
 * One pass over the place keys, by characters (py NULL) or by pinyin.
 * Township names are found first, every occurrence.  Then grid keys,
 * longest first: an occurrence inside a (longer) township name does not
 * count.  Among the grid keys of the best length, one whose grid lies in a
 * township the text names (apart from that key's match) wins; else, by
 * characters, the one named first in the text, then the first in config
 * order; by pinyin all of them are candidates.  *town gets the longest
 * township name found (the first listed on a tie), else -1.
 */
static int
find_place_pass(const struct text_index *ix, const char *folded,
    const char *words, const struct text_pinyin *py, bool fuzzy, int *town,
    struct text_found *tf)
{
	const struct text_keys	*towns = fuzzy ? &ix->towns_fz :
				    py ? &ix->towns_py : &ix->towns;
	const struct text_keys	*grids = fuzzy ? &ix->grids_fz :
				    py ? &ix->grids_py : &ix->grids;
	struct town_span	*sp = NULL;
	const struct text_key	*k;
	const char		*p;
	size_t			 nsp = 0, cap = 0, i, j, best_chars = 0, s, e, from;
	size_t			 best_at = 0;
	int			 best = -1;
	bool			 best_local = false, local, tie = false;

	*town = -1;
	for (i = 0; i < towns->n; i++) {
		k = &towns->v[i];
		if (py == NULL)
			for (p = folded; (p = strstr(p, k->s)) != NULL; p++) {
				s = cp_index(folded, (size_t)(p - folded));
				span_add(&sp, &nsp, &cap, s, s + k->chars, k->owner);
			}
		else
			for (from = 0; pinyin_find(py, k->s, from, &s, &e) == 0; ) {
				span_add(&sp, &nsp, &cap, s, e, k->owner);
				for (from = 0; from < py->len && py->cp[from] <= s; from++)
					;
			}
		if (nsp > 0 && *town == -1)
			*town = k->owner;	/* longest, then first */
	}
	for (i = 0; i < grids->n; i++) {
		k = &grids->v[i];
		/* by characters, a shorter name written before the best and
		 * apart from it is still looked at: 藕塘村到安坪场上 is 藕塘村
		 * (the resident's, the other where the road goes) */
		if (best != -1 && k->chars < best_chars && py != NULL)
			break;
		for (from = 0;;) {
			if (py == NULL) {
				if ((p = strstr(folded + from, k->s)) == NULL)
					break;
				/* a name in Latin letters, as whole words only
				 * (Ulan is not in Wulanhua) */
				if (words != NULL && all_ascii(k->s) &&
				    !text_words_hold(words, k->s))
					break;
				s = cp_index(folded, (size_t)(p - folded));
				e = s + k->chars;
				from = (size_t)(p - folded) + 1;
			} else {
				if (pinyin_find(py, k->s, from, &s, &e) != 0)
					break;
				for (from = 0; from < py->len && py->cp[from] <= s; from++)
					;
			}
			if (in_town_name(sp, nsp, s, e))
				continue;
			local = town_named(sp, nsp, ix->grid_town[k->owner], s, e);
			if (best != -1 && k->chars < best_chars) {
				/* shorter: only written before the best, apart */
				if (k->owner != best && e <= best_at &&
				    local == best_local && !grid_key_inside(grids,
				    folded, s, e)) {
					best = k->owner;
					best_at = s;
				}
				continue;
			}
			if (best == -1 || (local && !best_local) || (py == NULL &&
			    local == best_local && k->chars == best_chars &&
			    s < best_at && k->owner != best)) {
				best = k->owner;
				best_chars = k->chars;
				best_local = local;
				best_at = s;
				tie = false;
				tf->ngrid_cands = 0;
			} else if (py != NULL && local == best_local && k->owner != best)
				tie = true;
			for (j = 0; py != NULL && j < tf->ngrid_cands; j++)
				if (tf->grid_cands[j] == k->owner)
					break;
			if (py != NULL && local == best_local &&
			    j == tf->ngrid_cands && j < TEXT_CANDS_MAX)
				tf->grid_cands[tf->ngrid_cands++] = k->owner;
			break;
		}
	}
	free(sp);
	if (best != -1 && tie)
		return -1;
	tf->ngrid_cands = 0;
	if (best != -1) {
		*town = ix->grid_town[best];
		tf->grid_chars = best_chars;
	}
	return best;
}

/*
 * The place: by characters; when that names no grid, by pinyin (a
 * homophone, or the name in Latin letters); when that names none and
 * leaves no tie, by fuzzy pinyin (pinyin_fuzz()).  A township found by
 * characters is kept when pinyin finds no grid.
 */
/*
 * Does the character at p end a village's name: 村, 屯, 寨, 庄, or the
 * last character of a grid's name or alias (黄鱼岙: 岙), or one that
 * sounds as it (周家院 of 周家垸)?
 */
static bool
ends_a_place(const struct text_index *ix, const char *p)
{
	const char *const	*k;
	const char		*q = p, *e;
	uint32_t		 cp, last;
	size_t			 g, l, n;
	char			 syl[16], lsyl[16];

	if (char_in(p, "村屯寨庄"))
		return true;
	if (utf8_decode(&q, &cp) <= 0 || cp < 0x80)
		return false;
	n = (size_t)(q - p);
	if (syllable_of(cp, 0, syl, sizeof(syl)) == 0)
		syl[0] = '\0';
	for (g = 0; g < ix->ngrids; g++)
		for (k = text_place_keys(ix, (int)g); *k != NULL; k++) {
			if ((l = strlen(*k)) < 2 * n)
				continue;
			if (memcmp(*k + l - n, p, n) == 0)
				return true;
			e = *k + l - n;
			if (syl[0] != '\0' && utf8_decode(&e, &last) > 0 &&
			    e == *k + l && syllable_of(last, 0, lsyl,
			    sizeof(lsyl)) > 0 && strcmp(syl, lsyl) == 0)
				return true;
		}
	return false;
}

/*
 * The grid a village named before 到, 去 or 往 sounds like, g's name
 * after it (叉河村到南岭: 岔河村; 黄渔岙去礁门: 黄鱼岙), when that is
 * another grid than g and names a village (村, 屯, 寨 ... or a grid's
 * last character after it), or -1.
 */
static int
place_from(const struct text_index *ix, const char *folded, int g)
{
	static const char *const tos[] = { "到", "去", "往" };
	const char *const	*k;
	const char		*at = NULL, *q, *to = NULL;
	char			*before;
	struct text_pinyin	*py;
	struct text_found	 tf;
	int			 from, t;
	size_t			 i;

	for (k = text_place_keys(ix, g); *k != NULL; k++)
		if ((q = strstr(folded, *k)) != NULL && (at == NULL || q < at))
			at = q;
	if (at == NULL)
		return -1;
	for (i = 0; i < nitems(tos); i++)
		for (q = strstr(folded, tos[i]); q != NULL && q < at;
		    q = strstr(q + 1, tos[i]))
			if ((size_t)(q - folded) >= strlen("村") &&
			    ends_a_place(ix, q - strlen("村")) &&
			    (to == NULL || q < to))
				to = q;
	if (to == NULL)
		return -1;
	before = xstrndup(folded, (size_t)(to - folded));
	py = text_pinyin_new(before);
	memset(&tf, 0, sizeof(tf));
	from = find_place_pass(ix, before, NULL, NULL, false, &t, &tf);
	if (from < 0 && tf.ngrid_cands == 0) {
		memset(&tf, 0, sizeof(tf));
		from = find_place_pass(ix, before, NULL, py, false, &t, &tf);
	}
	text_pinyin_free(py);
	free(before);
	return from != g && tf.ngrid_cands == 0 ? from : -1;
}

/*
 * The grid named after the one residents moved from (从弄马搬下来住安居
 * 小区: 安居小区), or -1: g is named first right after 从 and 搬 follows
 * it within a few characters.
 */
static int
moved_to(const struct text_index *ix, const char *folded, int g)
{
	const char *const	*k;
	const char		*at = NULL, *end = NULL, *q;
	struct text_found	 tf;
	uint32_t		 cp;
	int			 to, t;
	size_t			 n;

	for (k = text_place_keys(ix, g); *k != NULL; k++)
		if ((q = strstr(folded, *k)) != NULL && (at == NULL || q < at)) {
			at = q;
			end = q + strlen(*k);
		}
	if (at == NULL || (size_t)(at - folded) < strlen("从") ||
	    strncmp(at - strlen("从"), "从", strlen("从")) != 0)
		return -1;
	/* 搬 among the next few characters: 搬下来, 搬到, 村搬 */
	for (q = end, n = 0; *q != '\0' && n < 3; n++) {
		if (strncmp(q, "搬", strlen("搬")) == 0)
			break;
		if (utf8_decode(&q, &cp) <= 0)
			return -1;
	}
	if (strncmp(q, "搬", strlen("搬")) != 0)
		return -1;
	memset(&tf, 0, sizeof(tf));
	to = find_place_pass(ix, q, NULL, NULL, false, &t, &tf);
	return to != g && tf.ngrid_cands == 0 ? to : -1;
}

/*
 * Another grid whose name or alias sounds like a longer part of folded
 * than g's key written there (chars characters) holds (慢老寨: 曼老寨
 * beside 老寨), or -1; *heard gets how many characters it sounds in.
 */
static int
sounds_longer(const struct text_index *ix, const char *folded,
    const struct text_pinyin *py, int g, size_t chars, size_t *heard)
{
	struct text_found	 tf;
	int			 t, h;

	memset(&tf, 0, sizeof(tf));
	h = find_place_pass(ix, folded, NULL, py, false, &t, &tf);
	*heard = tf.grid_chars;
	return h >= 0 && h != g && tf.grid_chars > chars ? h : -1;
}

/*
 * Does folded name township t for its seat: the town itself (镇上, 乡里),
 * a way from it (白果乡到城头), or what stands there (镇政府, 苏木卫生院,
 * 板利乡那个农资店, 英巴扎乡巴扎)?  Not for a problem anywhere in it
 * (王楼镇路灯不亮: which village is asked).
 */
static bool
seat_said(const struct text_index *ix, const char *folded, int t)
{
	static const char *const at_seat[] = {
		"上", "里", "街", "集", "到", "去", "往", "政府", "巴扎",
		"农资店", "供销社", "信用社", "邮局", "粮站", "中心校", "客运站",
		"汽车站", "班车"
	};
	static const char *const that[] = { "那个", "这个", "那家", "的" };
	const struct text_key	*k;
	const char		*p, *q;
	size_t			 i, l;

	if (t < 0 || ix->town_seat[t] < 0)
		return false;
	for (i = 0; i < ix->towns.n; i++) {
		k = &ix->towns.v[i];
		if (k->owner != t)
			continue;
		for (p = strstr(folded, k->s); p != NULL; p = strstr(p + 1, k->s)) {
			q = p + k->len;
			if ((l = begins_with(q, that, nitems(that))) > 0)
				q += l;
			if (begins_with(q, at_seat, nitems(at_seat)) > 0 ||
			    begins_with(q, place_nouns, nitems(place_nouns)) > 0)
				return true;
		}
	}
	return false;
}

static void
find_place(const struct text_index *ix, const char *folded,
    const char *words, const struct text_pinyin *py, struct text_found *tf)
{
	struct text_pinyin	*fz;
	int			 g, t, pt, a = -1;
	size_t			 heard = 0;

	g = find_place_pass(ix, folded, words, NULL, false, &t, tf);
	if (g >= 0 && (a = moved_to(ix, folded, g)) >= 0) {
		memset(tf->grid_cands, 0, sizeof(tf->grid_cands));
		tf->ngrid_cands = 0;
		tf->grid = a;
		tf->township = ix->grid_town[a];
		return;
	}
	/* 慢老寨: 老寨 as written, or 曼老寨 as it sounds?  叉河村到南岭的
	 * 那段路: from a village that sounds like another grid to the one
	 * named exactly, the resident's may be either.  Both asked, the one
	 * heard first.  Heard in two characters more (乌兰保力格: 乌兰宝力格,
	 * not 乌兰): the name as it sounds, one character mistyped */
	if (g >= 0 && py != NULL && (a = sounds_longer(ix, folded, py, g,
	    tf->grid_chars, &heard)) >= 0 && heard >= tf->grid_chars + 2) {
		tf->grid = a;
		tf->township = ix->grid_town[a];
		tf->grid_chars = heard;
		tf->grid_homophone = true;
		return;
	}
	if (g >= 0 && py != NULL && (a >= 0 ||
	    (a = place_from(ix, folded, g)) >= 0)) {
		tf->grid_cands[0] = a;
		tf->grid_cands[1] = g;
		tf->ngrid_cands = 2;
		tf->grid = -1;
		tf->township = -1;
		return;
	}
	if (g < 0 && py != NULL) {
		g = find_place_pass(ix, folded, NULL, py, false, &pt, tf);
		if (g < 0 && tf->ngrid_cands == 0) {
			fz = pinyin_fuzz(py);
			g = find_place_pass(ix, folded, NULL, fz, true, &pt, tf);
			text_pinyin_free(fz);
		}
		/* as its polyphones read otherwise */
		for (a = 1; g < 0 && tf->ngrid_cands == 0 && a <= py->nalt; a++) {
			fz = pinyin_alt(py, a);
			g = find_place_pass(ix, folded, NULL, fz, false, &pt, tf);
			text_pinyin_free(fz);
		}
		if (g >= 0) {
			t = pt;
			tf->grid_homophone = true;
		} else if (t < 0)
			t = pt;
	}
	/* a township named for its seat, no grid (泾口镇上, 板利乡那个农资
	 * 店): the grid named as it is */
	if (g < 0 && tf->ngrid_cands == 0 && t >= 0 && seat_said(ix, folded, t))
		g = ix->town_seat[t];
	tf->grid = g;
	tf->township = t;
}

void
text_find(const struct text_index *ix, const char *raw, const char *folded,
    const struct text_pinyin *py, struct text_found *tf)
{
	char	*words;

	memset(tf, 0, sizeof(*tf));
	tf->category = tf->grid = tf->township = -1;
	if (ix == NULL || folded == NULL)
		return;
	find_category(ix, raw != NULL ? raw : folded, py, tf);
	words = raw != NULL && raw != folded ? text_fold_words(raw) : NULL;
	find_place(ix, folded, words, py, tf);
	free(words);
}

int
text_find_category(const struct text_index *ix, const char *folded)
{
	struct text_pinyin	*py;
	struct text_found	 tf;

	if (ix == NULL || folded == NULL)
		return -1;
	py = text_pinyin_new(folded);
	text_find(ix, folded, folded, py, &tf);
	text_pinyin_free(py);
	return tf.category;
}

int
text_find_place(const struct text_index *ix, const char *folded, int *township)
{
	struct text_pinyin	*py = NULL;
	struct text_found	 tf;

	if (ix != NULL && folded != NULL)
		py = text_pinyin_new(folded);
	text_find(ix, folded, folded, py, &tf);
	text_pinyin_free(py);
	if (township != NULL)
		*township = tf.township;
	return tf.grid;
}

/* --- numbers, choices, yes and no --------------------------------------- */

/* A Chinese numeral: a digit, or a unit that multiplies the digit before. */
struct cn_numeral {
	uint32_t	 cp;
	int		 value;	/* 0..9, or 10, 100, 1000 */
	bool		 unit;
};

static const struct cn_numeral cn_numerals[] = {
	{ U'〇', 0, false }, { U'零', 0, false },
	{ U'一', 1, false }, { U'壹', 1, false },
	{ U'二', 2, false }, { U'贰', 2, false }, { U'两', 2, false },
	{ U'三', 3, false }, { U'叁', 3, false },
	{ U'四', 4, false }, { U'肆', 4, false },
	{ U'五', 5, false }, { U'伍', 5, false },
	{ U'六', 6, false }, { U'陆', 6, false },
	{ U'七', 7, false }, { U'柒', 7, false },
	{ U'八', 8, false }, { U'捌', 8, false },
	{ U'九', 9, false }, { U'玖', 9, false },
	{ U'十', 10, true }, { U'拾', 10, true },
	{ U'百', 100, true }, { U'佰', 100, true },
	{ U'千', 1000, true }, { U'仟', 1000, true },
};

#define CN_RUN_MAX	18	/* numerals in one number; more is not a number */

/*
 * After a lone 一 or 十 these make a word, not a number: 一下 (once, "a
 * moment"), 一些, 一直, 十分 (very) ...  Only used by text_parse_number,
 * whose callers look for a case number in free text.
 */
static const char *const cn_words_after_one = "下些直点起样般定切共会旦边向同再";
static const char *const cn_words_after_ten = "分足";

static const struct cn_numeral *
cn_lookup(uint32_t cp)
{
	size_t	 i;

	for (i = 0; i < nitems(cn_numerals); i++)
		if (cn_numerals[i].cp == cp)
			return &cn_numerals[i];
	return NULL;
}

/* The numeral at *p, advancing *p past it; NULL (and *p unchanged) if none. */
static const struct cn_numeral *
cn_next(const char **p)
{
	const struct cn_numeral	*n;
	const char		*q = *p;
	uint32_t		 cp;

	if (utf8_decode(&q, &cp) != 1 || (n = cn_lookup(cp)) == NULL)
		return NULL;
	*p = q;
	return n;
}

/* True when the character at p is one of the UTF-8 characters in set. */
static bool
char_in(const char *p, const char *set)
{
	const char	*q = p;
	uint32_t	 cp, sc;

	if (utf8_decode(&q, &cp) != 1)
		return false;
	while (utf8_decode(&set, &sc) == 1)
		if (sc == cp)
			return true;
	return false;
}

bool
text_char_in(const char *p, const char *set)
{
	return char_in(p, set);
}

/*
 * A Chinese number at s: positional (四二 = 42, 一〇二 = 102) or with units
 * (十二, 四十二, 一百零五, 两千).  In free text (liang false) a 两 that is
 * not before a unit is the word "two of / a couple", not a number.
 * Returns the end of what was read and sets *val (-1: too long to be a
 * number), or returns NULL when there is no number at s.
 */
static const char *
cn_parse(const char *s, bool liang, long *val)
{
	const struct cn_numeral	*r[CN_RUN_MAX + 1];
	const char		*ends[CN_RUN_MAX + 1];
	const struct cn_numeral	*n, *nn;
	const char		*p = s, *q;
	size_t			 m = 0, i, used = 0;
	long			 total = 0, cur = -1, last = 10000;
	bool			 units = false;

	while (m <= CN_RUN_MAX && (n = cn_next(&p)) != NULL) {
		if (n->cp == U'两' && !liang) {
			q = p;
			if ((nn = cn_next(&q)) == NULL || !nn->unit ||
			    nn->value == 10)
				break;
		}
		units |= n->unit;
		r[m] = n;
		ends[m++] = p;
	}
	if (m == 0)
		return NULL;
	if (m > CN_RUN_MAX) {
		while (cn_next(&p) != NULL)
			;
		*val = -1;
		return p;
	}
	if (!units) {
		for (i = 0; i < m; i++)
			total = total * 10 + r[i]->value;
		*val = total;
		return ends[m - 1];
	}
	for (i = 0; i < m; i++) {
		if (!r[i]->unit) {
			if (cur != -1)
				break;
			if (r[i]->value != 0)	/* 零 only holds a place */
				cur = r[i]->value;
		} else {
			if (r[i]->value >= last)
				break;
			if (cur == -1 && r[i]->value != 10)
				break;
			total += (cur == -1 ? 1 : cur) * r[i]->value;
			cur = -1;
			last = r[i]->value;
		}
		used = i + 1;
	}
	if (used == 0)
		return NULL;
	if (cur != -1)
		total += cur;
	*val = total;
	return ends[used - 1];
}

/* ASCII digits at s: returns their end and sets *val (-1 on overflow). */
static const char *
ascii_parse(const char *s, long *val)
{
	long	 v = 0;
	int	 d;

	for (; *s >= '0' && *s <= '9'; s++) {
		d = *s - '0';
		if (v == -1 || v > (LONG_MAX - d) / 10)
			v = -1;
		else
			v = v * 10 + d;
	}
	*val = v;
	return s;
}

long
text_parse_number(const char *folded, const char **end)
{
	const char	*p, *next, *q;
	long		 v = -1;
	uint32_t	 cp;

	if (end != NULL)
		*end = folded;
	if (folded == NULL)
		return -1;
	for (p = folded; *p != '\0'; p = next) {
		if (*p >= '0' && *p <= '9') {
			q = ascii_parse(p, &v);
			goto found;
		}
		next = p;
		if (cn_next(&next) == NULL) {
			if (utf8_decode(&next, &cp) != 1)
				next = p + 1;
			continue;
		}
		if ((q = cn_parse(p, false, &v)) == NULL)
			continue;
		if (q == next && ((strncmp(p, "一", strlen("一")) == 0 &&
		    char_in(q, cn_words_after_one)) ||
		    (strncmp(p, "十", strlen("十")) == 0 &&
		    char_in(q, cn_words_after_ten))))
			continue;
		goto found;
	}
	return -1;
found:
	if (v != -1 && end != NULL)
		*end = q;
	return v;
}

static const char *
skip_gaps(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* p past the word w if p starts with it, else p. */
static const char *
skip_word(const char *p, const char *w)
{
	size_t	 n = strlen(w);

	return strncmp(p, w, n) == 0 ? p + n : p;
}

#define CHOICE_MAX_BYTES 64	/* longer raw text is never a bare choice */

int
text_parse_choice(const char *raw)
{
	static const char *const suffixes[] = { "个", "项", "号" };
	char		*f = NULL;
	const char	*p, *q;
	long		 v = -1;
	size_t		 i;
	int		 rc = -1;

	/* The longest choice is a few characters ("选第 二十三 项"): a
	 * longer text is a sentence, and is not folded to find out. */
	if (strlen(raw) > CHOICE_MAX_BYTES)
		return -1;
	/* Gaps kept: "2 3" and "1,2" are two numbers, not 23 and 12. */
	f = fold(raw, FOLD_GAPS);
	p = skip_gaps(f);
	p = skip_gaps(skip_word(p, "选"));
	p = skip_gaps(skip_word(p, "第"));
	if (*p >= '0' && *p <= '9')
		q = ascii_parse(p, &v);
	else if ((q = cn_parse(p, true, &v)) == NULL)
		goto out;
	p = skip_gaps(q);
	for (i = 0; i < nitems(suffixes); i++)
		if ((q = skip_word(p, suffixes[i])) != p) {
			p = skip_gaps(q);
			break;
		}
	if (*p != '\0' || v < 1 || v > 99)
		goto out;
	rc = (int)v;
out:
	free(f);
	return rc;
}

/* Exact answers, folded; then again without trailing particles (好的呀). */
static const char *const yes_words[] = {
	"是", "是的", "对", "对的", "好", "好的", "确认", "确定", "可以", "嗯",
	"行", "没问题", "yes", "y", "ok", "okay", "yeah", "yep", "sure",
};
static const char *const no_words[] = {
	"不", "否", "不是", "不对", "不用", "不要", "不行", "不需要", "算了",
	"no", "n", "nope", "cancel",
};
static const char *const yesno_particles = "啊呀吧呢哈啦了哦噢的嘞嗯";

static bool
word_in(const char *s, const char *const *words, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

int
text_parse_yesno(const char *raw)
{
	char	*f = NULL;
	char	*last;
	size_t	 len;
	int	 rc = -1;

	f = text_fold(raw);
	for (;;) {
		if (word_in(f, yes_words, nitems(yes_words))) {
			rc = 1;
			break;
		}
		if (word_in(f, no_words, nitems(no_words))) {
			rc = 0;
			break;
		}
		/* Strip one trailing particle, if more than it is left. */
		len = strlen(f);
		last = f + len;
		while (last > f && ((unsigned char)last[-1] & 0xC0) == 0x80)
			last--;
		if (last > f)
			last--;
		if (last == f || !char_in(last, yesno_particles))
			break;
		*last = '\0';
	}
	free(f);
	return rc;
}
