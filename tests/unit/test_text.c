/*
 * test_text.c: dialogs/text.c — folding, the category and place index, and
 * the choice, yes/no and number parsers.  The index is tested twice: on a
 * small inline config that pins down each rule (ties, township names,
 * empty keywords), and on config/minyi.example.json against every row of
 * tests/data/corpus/messages.tsv (read at run time, one test case a row)
 * plus the extra rows below.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "../../dialogs/dialogs.h"

#define EXAMPLE_CONFIG	"config/minyi.example.json"
#define CORPUS		"tests/data/corpus/messages.tsv"

/* --- folding ------------------------------------------------------------ */

struct fold_row {
	const char	*in;
	const char	*out;
};

static const struct fold_row fold_rows[] = {
	{ "", "" },
	{ "The street light", "thestreetlight" },
	{ "STREET LIGHT", "streetlight" },
	{ "Street-Light!", "streetlight" },
	{ "路燈壞了，劉辛店村", "路灯坏了刘辛店村" },
	{ "王楼村ｘ号路口红绿灯坏了", "王楼村x号路口红绿灯坏了" },
	/* full-width and other compatibility forms (NFKC) */
	{ "１２３", "123" },
	{ "ＡＢＣ", "abc" },
	{ "Ｈｅｌｌｏ，Ｗｏｒｌｄ！", "helloworld" },
	{ "ＳＴＲＥＥＴ　ＬＩＧＨＴ", "streetlight" },
	{ "②", "2" },
	{ "⑳", "20" },
	{ "⑶", "3" },
	{ "ﬁx", "fix" },
	{ "x²", "x2" },
	{ "Ⅻ", "xii" },
	{ "ｶﾀｶﾅ", "カタカナ" },
	/* traditional -> simplified */
	{ "電線掉下來了", "电线掉下来了" },
	{ "後面的廁所", "后面的厕所" },
	{ "紅綠燈", "红绿灯" },
	{ "臺灣", "台湾" },
	{ "大趙村", "大赵村" },
	/* case: Latin, Greek, Cyrillic */
	{ "Dazhao", "dazhao" },
	{ "ΑΒΓ", "αβγ" },
	{ "ПРИВЕТ", "привет" },
	/* punctuation, symbols, spaces, controls */
	{ "路灯　不亮", "路灯不亮" },
	{ "a\tb\nc\r\n", "abc" },
	{ "“路灯”、“水管”；（急）", "路灯水管急" },
	{ "【紧急】路灯——坏了……", "紧急路灯坏了" },
	{ "¥50元", "50元" },
	{ "1+1=2", "112" },
	{ "#42", "42" },
	{ "  ", "" },
	{ "。，、！？", "" },
	/* emoji: pictographs, skin tones, ZWJ sequences, flags, keycaps */
	{ "路灯坏了😡😡", "路灯坏了" },
	{ "👍🏻好的", "好的" },
	{ "❤️", "" },
	{ "👨‍👩‍👧", "" },
	{ "🇨🇳", "" },
	{ "1️⃣", "1" },
	/* invisible characters */
	{ "路\u200b灯", "路灯" },
	{ "\ufeff路灯", "路灯" },
	{ "a\u00adb", "ab" },
	/* invalid UTF-8 becomes U+FFFD, which stays as a wall between words */
	{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
	{ "路\xe7" "灯", "路\xef\xbf\xbd灯" },
	{ "\xe8\xb7", "\xef\xbf\xbd" },
	{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xed\xa0\x80x", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx" },
};

static void
test_fold_table(void **state)
{
	char	*out;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(fold_rows); i++) {
		out = text_fold(fold_rows[i].in);
		if (strcmp(out, fold_rows[i].out) != 0)
			print_error("row %zu: \"%s\"\n", i, fold_rows[i].in);
		assert_string_equal(out, fold_rows[i].out);
		free(out);
	}
}

/* --- bidirectional controls ---------------------------------------------- */

struct bidi_row {
	const char	*in;
	const char	*out;
	size_t		 removed;
};

static const struct bidi_row bidi_rows[] = {
	{ "", "", 0 },
	{ "路灯不亮", "路灯不亮", 0 },
	{ "street light", "street light", 0 },
	/* an override left open would turn the rest of an alert around */
	{ "路灯\u202e坏了", "路灯坏了", 1 },
	{ "\u202e9 5 1 3 1", "9 5 1 3 1", 1 },
	{ "a\u202ab\u202bc\u202cd\u202de\u202ef", "abcdef", 5 },
	{ "\u2066x\u2067y\u2068z\u2069", "xyz", 4 },
	{ "\u200e左\u200f右\u061c", "左右", 3 },
	{ "\u202e\u202e\u202e", "", 3 },
	/* neighbours that are not bidi controls stay */
	{ "路灯——坏了……", "路灯——坏了……", 0 },		/* U+2014, U+2026 */
	{ "路\u200b灯\u200d", "路\u200b灯\u200d", 0 },	/* ZWSP, ZWJ */
	{ "\u2065\u2070\u202f", "\u2065\u2070\u202f", 0 },	/* around the ranges */
	{ "\u061b\u061d", "\u061b\u061d", 0 },		/* around U+061C */
	{ "\xe2\x80", "\xe2\x80", 0 },			/* cut short: kept */
};

static void
test_strip_bidi(void **state)
{
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(bidi_rows); i++) {
		s = strdup(bidi_rows[i].in);
		assert_non_null(s);
		assert_int_equal(text_strip_bidi(s), bidi_rows[i].removed);
		if (strcmp(s, bidi_rows[i].out) != 0)
			print_error("row %zu\n", i);
		assert_string_equal(s, bidi_rows[i].out);
		free(s);
	}
	assert_int_equal(text_strip_bidi(NULL), 0);
}

static void
test_fold_null(void **state)
{
	char	*out;

	(void)state;
	out = text_fold(NULL);
	assert_string_equal(out, "");
	free(out);
}

/*
 * The ASCII fast path must agree with ICU: each ASCII character, folded
 * alone, and folded between two CJK characters (which forces ICU).
 */
static void
test_fold_ascii_path(void **state)
{
	char	 in[2], wrapped[8];
	char	*fast, *slow, *want;
	int	 c;

	(void)state;
	for (c = 1; c < 0x80; c++) {
		in[0] = (char)c;
		in[1] = '\0';
		snprintf(wrapped, sizeof(wrapped), "中%c中", c);
		fast = text_fold(in);
		slow = text_fold_icu(wrapped, false);
		want = xasprintf("中%s中", fast);
		if (strcmp(slow, want) != 0)
			print_error("character 0x%02x\n", c);
		assert_string_equal(slow, want);
		free(fast);
		free(slow);
		free(want);
	}
}

/* text_fold and text_fold_words equal ICU on the whole of s. */
static void
assert_fold_as_icu(const char *s)
{
	char	*a, *b;

	a = text_fold(s);
	b = text_fold_icu(s, false);
	if (strcmp(a, b) != 0)
		fail_msg("fold \"%s\": \"%s\", ICU \"%s\"", s, a, b);
	free(a);
	free(b);
	a = text_fold_words(s);
	b = text_fold_icu(s, true);
	if (strcmp(a, b) != 0)
		fail_msg("fold words \"%s\": \"%s\", ICU \"%s\"", s, a, b);
	free(a);
	free(b);
}

/*
 * Most text is folded a character at a time (remembered), not by ICU:
 * it must give what ICU gives for the whole text.  Every character so
 * folded, among ASCII and Han; runs the transliterator rewrites as a
 * whole (甚麼 is 什么, not 甚么); the corpus of first messages.
 */
static void
test_fold_one_at_a_time(void **state)
{
	static const uint32_t ranges[][2] = {
		{ 0x2000, 0x206F }, { 0x3000, 0x303F }, { 0x3400, 0x4DBF },
		{ 0x4E00, 0x9FFF }, { 0xFF00, 0xFF60 },
	};
	static const char *const texts[] = {
		"這是甚麼問題", "甚麼", "乾坤", "規畫道路", "路燈壞了甚麼時候修",
		"幹甚麼的", "單幹戶", "內裡漏水", "王樓村　路燈不亮！！",
		"ＡＢＣ村１２３号", "e\xcc\x81t\xc3\xa9", "中\xe3\x80\xaa\xe3\x80\xab文",
		"Xu Zhuang 村 lu deng 坏了", "\xef\xbc\xa1", "",
	};
	static const char *const corpora[] = {
		"tests/data/firstmsg/example.tsv", "tests/data/firstmsg/county2.tsv",
		"tests/data/firstmsg/county3.tsv", "tests/data/firstmsg/county4.tsv",
		"tests/data/firstmsg/county5.tsv",
	};
	char		 s[32], line[2048], *tab;
	uint32_t	 c;
	size_t		 i, rows = 0;
	int32_t		 n;
	FILE		*f;

	(void)state;
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		for (c = ranges[i][0]; c <= ranges[i][1]; c++) {
			n = 0;
			s[n++] = 'A';
			U8_APPEND_UNSAFE(s, n, c);
			memcpy(s + n, "中, x", sizeof("中, x"));
			assert_fold_as_icu(s);
		}
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_fold_as_icu(texts[i]);
	/* syllables are remembered too: the second reading is the first */
	for (c = 0x3400; c <= 0x9FFF; c++) {
		char a[16], b[16];

		assert_int_equal(text_syllable(c, a, sizeof(a)), text_syllable(c, b, sizeof(b)));
		assert_string_equal(a, b);
	}
	assert_int_equal(text_syllable(0x8BB8, s, sizeof(s)), 2);	/* 许 */
	assert_string_equal(s, "xu");
	assert_int_equal(text_syllable(0x5E84, s, 4), 3);		/* 庄, cut */
	assert_string_equal(s, "zhu");
	assert_int_equal(text_syllable(0x5E84, s, sizeof(s)), 6);
	assert_string_equal(s, "zhuang");
	for (i = 0; i < sizeof(corpora) / sizeof(corpora[0]); i++) {
		assert_non_null(f = fopen(corpora[i], "r"));
		while (fgets(line, sizeof(line), f) != NULL) {
			if ((tab = strchr(line, '\t')) != NULL)
				*tab = '\0';
			assert_fold_as_icu(line);
			rows++;
		}
		fclose(f);
	}
	assert_true(rows > 400);
}

/* A long message grows every ICU buffer (NFKC expands ㍻ to 平成). */
static void
test_fold_long(void **state)
{
	struct buf	 in, want;
	char		*out;
	int		 i;

	(void)state;
	buf_init(&in, 0);
	buf_init(&want, 0);
	for (i = 0; i < 20000; i++) {
		buf_addstr(&in, "路燈，㍻ ");
		buf_addstr(&want, "路灯平成");
	}
	out = text_fold(buf_str(&in));
	assert_string_equal(out, buf_str(&want));
	free(out);
	buf_free(&in);
	buf_free(&want);
}

#define FOLD_THREADS	8
#define FOLD_ROUNDS	200

static void *
fold_thread(void *arg)
{
	char	*out;
	int	 i;
	long	 bad = 0;

	(void)arg;
	for (i = 0; i < FOLD_ROUNDS; i++) {
		out = text_fold("路燈壞了，劉辛店村 The STREET light");
		if (strcmp(out, "路灯坏了刘辛店村thestreetlight") != 0)
			bad++;
		free(out);
	}
	return (void *)bad;
}

/* Folding from many threads at once gives the same answers. */
static void
test_fold_threads(void **state)
{
	pthread_t	 t[FOLD_THREADS];
	void		*bad;
	int		 i;

	(void)state;
	for (i = 0; i < FOLD_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fold_thread, NULL), 0);
	for (i = 0; i < FOLD_THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_int_equal((long)bad, 0);
	}
}

/* --- choices, yes/no, numbers -------------------------------------------- */

struct int_row {
	const char	*in;
	int		 want;
};

static const struct int_row choice_rows[] = {
	{ "2", 2 }, { "２", 2 }, { "二", 2 }, { "②", 2 }, { "第2个", 2 },
	{ " 2 。", 2 }, { "第二项", 2 }, { "3号", 3 }, { "选3", 3 },
	{ "选第三个", 3 }, { "第 ２ 个", 2 }, { "第二個", 2 }, { "三。", 3 },
	{ "3!", 3 }, { "(3)", 3 }, { "⑶", 3 }, { "1️⃣", 1 }, { "01", 1 },
	{ "十", 10 }, { "十一", 11 }, { "二十", 20 }, { "二十三", 23 },
	{ "九十九", 99 }, { "99", 99 }, { "两", 2 }, { "⑳", 20 },
	{ "一〇", 10 }, { "叁", 3 }, { "貳", 2 }, { "拾", 10 }, { "一个", 1 },
	/* not just one number in 1..99 */
	{ "", -1 }, { "  ", -1 }, { "0", -1 }, { "〇", -1 }, { "零", -1 },
	{ "100", -1 }, { "一百", -1 }, { "2 3", -1 }, { "1,2", -1 },
	{ "2号路口", -1 }, { "路灯", -1 }, { "第", -1 }, { "第个", -1 },
	{ "12345678901234567890", -1 }, { "2a", -1 }, { "a", -1 },
	/* a long text is a sentence, however it ends */
	{ "王楼村东头的路灯坏了三天了，晚上出门很不方便 2", -1 },
	/* at most 64 bytes: spaces and all */
	{ "                                                               2", 2 },
	{ "                                                                2", -1 },
	{ "二十二十", -1 }, { "一二十", -1 }, { "百", -1 }, { "2.5", -1 },
	{ "第2个路灯", -1 }, { "选", -1 },
};

static void
test_parse_choice(void **state)
{
	size_t	 i;
	int	 got;

	(void)state;
	for (i = 0; i < nitems(choice_rows); i++) {
		got = text_parse_choice(choice_rows[i].in);
		if (got != choice_rows[i].want)
			print_error("\"%s\": got %d, want %d\n", choice_rows[i].in,
			    got, choice_rows[i].want);
		assert_int_equal(got, choice_rows[i].want);
	}
}

static const struct int_row yesno_rows[] = {
	{ "是", 1 }, { "是的", 1 }, { "对", 1 }, { "对的", 1 }, { "好", 1 },
	{ "好的", 1 }, { "确认", 1 }, { "确定", 1 }, { "可以", 1 }, { "嗯", 1 },
	{ "yes", 1 }, { "y", 1 }, { "ok", 1 }, { "okay", 1 },
	{ "是的。", 1 }, { "好的呀", 1 }, { "OK", 1 }, { "Ｙｅｓ", 1 },
	{ "對", 1 }, { "確認！", 1 }, { "嗯嗯", 1 }, { "好吧", 1 },
	{ "可以的", 1 }, { "Y", 1 }, { " ok 👍", 1 }, { "没问题", 1 },
	{ "不", 0 }, { "否", 0 }, { "不是", 0 }, { "不对", 0 }, { "不用", 0 },
	{ "no", 0 }, { "n", 0 }, { "cancel", 0 }, { "不是的", 0 },
	{ "不用了", 0 }, { "NO!", 0 }, { "Cancel", 0 }, { "不對", 0 },
	{ "不要", 0 }, { "算了", 0 }, { "不了", 0 },
	{ "", -1 }, { "是不是", -1 }, { "我要投诉", -1 }, { "的", -1 },
	{ "了", -1 }, { "yes please", -1 }, { "nothing", -1 }, { "好路灯", -1 },
	{ "2", -1 }, { "不好", -1 },
};

static void
test_parse_yesno(void **state)
{
	size_t	 i;
	int	 got;

	(void)state;
	for (i = 0; i < nitems(yesno_rows); i++) {
		got = text_parse_yesno(yesno_rows[i].in);
		if (got != yesno_rows[i].want)
			print_error("\"%s\": got %d, want %d\n", yesno_rows[i].in,
			    got, yesno_rows[i].want);
		assert_int_equal(got, yesno_rows[i].want);
	}
}

struct number_row {
	const char	*in;		/* raw: folded by the test first */
	long		 want;
	const char	*rest;		/* what follows the number, folded */
};

static const struct number_row number_rows[] = {
	{ "查询42", 42, "" },
	{ "取消#42", 42, "" },
	{ "查询 四十二", 42, "" },
	{ "查询四十二号", 42, "号" },
	{ "42", 42, "" },
	{ "查询 ４２", 42, "" },
	{ "进展 12 路灯修好了", 12, "路灯修好了" },
	{ "查询一下42", 42, "" },
	{ "查询一百零五", 105, "" },
	{ "查询两百", 200, "" },
	{ "两千零二十六", 2026, "" },
	{ "第三", 3, "" },
	{ "一〇二", 102, "" },
	{ "查询十", 10, "" },
	{ "查询十二", 12, "" },
	{ "x7y8", 7, "y8" },
	{ "三十三十", 33, "十" },
	{ "查询007", 7, "" },
	{ "零", 0, "" },
	{ "查詢第四十五號", 45, "号" },
	{ "查询这两天的42", 42, "" },
	{ "查询两个", -1, NULL },
	{ "查询一下", -1, NULL },
	{ "查询十分钟前的", -1, NULL },
	{ "abc", -1, NULL },
	{ "", -1, NULL },
	{ "查询", -1, NULL },
	{ "查询99999999999999999999999", -1, NULL },
};

static void
test_parse_number(void **state)
{
	const char	*end;
	char		*f;
	size_t		 i;
	long		 got;

	(void)state;
	for (i = 0; i < nitems(number_rows); i++) {
		f = text_fold(number_rows[i].in);
		end = NULL;
		got = text_parse_number(f, &end);
		if (got != number_rows[i].want)
			print_error("\"%s\": got %ld, want %ld\n",
			    number_rows[i].in, got, number_rows[i].want);
		assert_int_equal(got, number_rows[i].want);
		assert_non_null(end);
		if (number_rows[i].rest != NULL)
			assert_string_equal(end, number_rows[i].rest);
		assert_int_equal(text_parse_number(f, NULL), got);
		free(f);
	}
	assert_int_equal(text_parse_number(NULL, NULL), -1);
}

/* --- the index, on a small config that pins each rule down ---------------- */

static const char rules_config[] =
"{"
" \"server\": {\"listen\": \"127.0.0.1:0\", \"public_url\": \"http://127.0.0.1\","
"   \"admin_token_env\": \"MINYI_ADMIN_TOKEN\"},"
" \"store\": {\"path\": \"var/test.db\"},"
" \"channels\": [{\"id\": \"sim\", \"adapter\": \"sim\"}],"
" \"deputies\": [{\"id\": \"d-a\", \"name\": \"A\", \"phone\": \"13800138000\","
"   \"level\": \"township\"}],"
" \"departments\": [],"
" \"townships\": ["
"   {\"id\": \"dongcheng\", \"name\": \"东城镇\", \"chair\": \"d-a\"},"
"   {\"id\": \"xicheng\", \"name\": \"西城鎮\", \"chair\": \"d-a\"},"
"   {\"id\": \"huxi\", \"name\": \"湖西乡\", \"chair\": \"d-a\"}],"
" \"grids\": ["
"   {\"id\": \"dc-dongcun\", \"name\": \"东村\", \"township\": \"dongcheng\","
"    \"aliases\": [\"东城\"], \"deputies\": [\"d-a\"]},"
"   {\"id\": \"xc-dongcun\", \"name\": \"东村\", \"township\": \"xicheng\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"dc-xinqu\", \"name\": \"东村新区\", \"township\": \"dongcheng\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"huxi-seat\", \"name\": \"湖西乡\", \"township\": \"huxi\","
"    \"aliases\": [\"!!!\"], \"deputies\": [\"d-a\"]}],"
" \"categories\": ["
"   {\"id\": \"light\", \"name\": \"路灯\", \"keywords\": [\"路灯\", \"street light\","
"     \"!!!\"], \"tier\": 2},"
"   {\"id\": \"road\", \"name\": \"道路\", \"keywords\": [\"路\", \"道路\"], \"tier\": 2},"
"   {\"id\": \"noise\", \"name\": \"噪音\", \"keywords\": [\"噪音\", \"路灯\"], \"tier\": 1},"
"   {\"id\": \"letters\", \"name\": \"ABC\", \"keywords\": [\"ＡＢＣ\"], \"tier\": 1},"
"   {\"id\": \"traffic\", \"name\": \"红绿灯\", \"keywords\": [\"紅綠燈\"], \"tier\": 3}]"
"}";

struct index_fixture {
	struct config		*cfg;
	struct text_index	*ix;
};

static struct index_fixture rules;	/* the rules_config group */
static struct index_fixture example;	/* the example config group */

static void
print_errors(const struct config_errors *errs)
{
	size_t	 i;

	for (i = 0; i < errs->n; i++)
		print_error("config: %s\n", errs->lines[i]);
}

static int
rules_setup(void **state)
{
	struct config_errors	 errs = { 0 };

	(void)state;
	rules.cfg = config_load_string(rules_config, &errs);
	print_errors(&errs);
	config_errors_free(&errs);
	if (rules.cfg == NULL)
		return -1;
	rules.ix = text_index_new(rules.cfg);
	return 0;
}

static int
fixture_teardown(struct index_fixture *fx)
{
	text_index_free(fx->ix);
	config_free(fx->cfg);
	fx->ix = NULL;
	fx->cfg = NULL;
	return 0;
}

static int
rules_teardown(void **state)
{
	(void)state;
	return fixture_teardown(&rules);
}

/* One message and what the index should make of it ("?" for none). */
struct place_row {
	const char	*text;
	const char	*category;
	const char	*place;
	const char	*township;	/* NULL: not checked */
};

/* The id found by index i into a config array, or "?" for -1. */
#define ID_OR_NONE(arr, i)	((i) < 0 ? "?" : (arr)[i].id)

static void
check_row(const struct index_fixture *fx, const struct place_row *r)
{
	char	*f;
	int	 cat, grid, town = -2;

	f = text_fold(r->text);
	cat = text_find_category(fx->ix, f);
	grid = text_find_place(fx->ix, f, &town);
	if (strcmp(ID_OR_NONE(fx->cfg->categories, cat), r->category) != 0 ||
	    strcmp(ID_OR_NONE(fx->cfg->grids, grid), r->place) != 0)
		print_error("\"%s\" (folded \"%s\"): category %s place %s\n",
		    r->text, f, ID_OR_NONE(fx->cfg->categories, cat),
		    ID_OR_NONE(fx->cfg->grids, grid));
	assert_string_equal(ID_OR_NONE(fx->cfg->categories, cat), r->category);
	assert_string_equal(ID_OR_NONE(fx->cfg->grids, grid), r->place);
	assert_int_equal(text_find_place(fx->ix, f, NULL), grid);
	assert_true(town >= -1 && town < (int)fx->cfg->ntownships);
	if (r->township != NULL)
		assert_string_equal(ID_OR_NONE(fx->cfg->townships, town),
		    r->township);
	free(f);
}

static const struct place_row rule_rows[] = {
	/* longest keyword wins; a tie goes to the category listed first */
	{ "路灯坏了", "light", "?", "?" },
	{ "道路坏了", "road", "?", "?" },
	{ "路口", "road", "?", "?" },
	{ "噪音扰民", "noise", "?", "?" },
	{ "路灯噪音", "light", "?", "?" },
	/* keywords are folded too */
	{ "street-light broken", "light", "?", "?" },
	{ "StreetLight", "light", "?", "?" },
	{ "abc", "letters", "?", "?" },
	{ "ａｂｃ", "letters", "?", "?" },
	{ "红绿灯", "traffic", "?", "?" },
	{ "紅綠燈", "traffic", "?", "?" },
	/* a keyword that folds to nothing matches nothing */
	{ "hello", "?", "?", "?" },
	{ "", "?", "?", "?" },
	{ "!!!", "?", "?", "?" },
	/* grids: longest wins, then a grid in a township the text names
	 * (apart from the grid's own name), then the one named first, then
	 * the first listed */
	{ "东村", "?", "dc-dongcun", "dongcheng" },
	{ "西城镇东村", "?", "xc-dongcun", "xicheng" },
	{ "东城镇东村", "?", "dc-dongcun", "dongcheng" },
	{ "东村新区路灯", "light", "dc-xinqu", "dongcheng" },
	{ "西城镇东村新区", "?", "dc-xinqu", "dongcheng" },
	/* an alias inside a township's name is part of that name */
	{ "东城", "?", "dc-dongcun", "dongcheng" },
	{ "东城镇", "?", "?", "dongcheng" },
	{ "东城镇的路灯", "light", "?", "dongcheng" },
	{ "西城镇", "?", "?", "xicheng" },
	{ "東城鎮", "?", "?", "dongcheng" },
	/* ... but not when the text names the alias elsewhere too */
	{ "东城镇东城", "?", "dc-dongcun", "dongcheng" },
	/* two townships: the first listed */
	{ "西城镇东城镇", "?", "?", "dongcheng" },
	/* a grid named exactly as its township: the grid */
	{ "湖西乡", "?", "huxi-seat", "huxi" },
};

static void
test_index_rules(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rule_rows); i++)
		check_row(&rules, &rule_rows[i]);
}

/*
 * Two villages as long as each other, one where the resident lives and
 * one the road goes to: the one named first (头工村到兰州湾的那段路), not
 * the one listed first in the config.
 */
static void
test_place_named_first(void **state)
{
	static const struct {
		const char	*text, *grid;
	} rows[] = {
		{ "夹河子到兰州湾那段路全是坑", "jiahezi" },
		{ "兰州湾到夹河子那段路全是坑", "lanzhouwan" },
		{ "三工村 渠里没水了", "sangong" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	struct text_index	*ix;
	char			*f;
	size_t			 i;
	int			 g;

	(void)state;
	cfg = config_load("tests/data/config/county33.json", &errs);
	assert_non_null(cfg);
	ix = text_index_new(cfg);
	for (i = 0; i < nitems(rows); i++) {
		f = text_fold(rows[i].text);
		g = text_find_place(ix, f, NULL);
		if (g < 0 || strcmp(cfg->grids[g].id, rows[i].grid) != 0)
			fail_msg("\"%s\": %s, not %s", rows[i].text,
			    g < 0 ? "none" : cfg->grids[g].id, rows[i].grid);
		free(f);
	}
	text_index_free(ix);
	config_free(cfg);
}

/* Place names masked out for the classifier: folded, gaps kept. */
static void
test_places_masked(void **state)
{
	char	*m;

	(void)state;
	m = text_places_masked(rules.ix, "東村的溝里水排不出去");
	assert_string_equal(m, "      的沟里水排不出去");
	free(m);
	m = text_places_masked(rules.ix, "湖西乡 东城 路灯");
	assert_null(strstr(m, "湖"));
	assert_null(strstr(m, "城"));
	assert_non_null(strstr(m, "路灯"));
	free(m);
	/* (an estate's 小区 after its name, with it) */
	m = text_places_masked(rules.ix, "东村小区电梯坏了");
	assert_null(strstr(m, "小区"));
	assert_non_null(strstr(m, "电梯坏了"));
	free(m);
	/* (a thing's colour, wherever: 黑乎乎的东西) */
	m = text_places_masked(rules.ix, "东村往海里放黑乎乎的东西");
	assert_null(strstr(m, "黑"));
	free(m);
	m = text_places_masked(NULL, "Dongcun lights");
	assert_string_equal(m, "dongcun lights");
	free(m);
	assert_null(text_places_masked(rules.ix, NULL));
}

/* The words that join a second problem: where the first is (text_join_at)
 * and whether a clause follows one (text_joined). */
static void
test_joins(void **state)
{
	const char	*s = "广场舞太吵，另外楼道灯也不亮";
	const char	*e = "lights out and no water";

	(void)state;
	assert_int_equal(text_join_at(""), 0);
	assert_int_equal(text_join_at(NULL), 0);
	assert_int_equal(text_join_at("路灯坏了"), 0);
	assert_int_equal(text_join_at("另外路灯坏了"), 0);	/* nothing before */
	assert_int_equal(text_join_at(s), strstr(s, "另外") - s);
	assert_int_equal(text_join_at(e), strstr(e, " and ") - e);
	assert_true(text_joined(s, (size_t)(strstr(s, "楼道") - s)));
	assert_false(text_joined(s, (size_t)(strstr(s, "另外") - s)));
	assert_true(text_joined(e, (size_t)(strstr(e, "no water") - e)));
	assert_false(text_joined(e, 0));
	assert_false(text_joined(NULL, 0));
}

/* What only says where is blanked too: a place noun or keyword before a
 * locative (with 的 or not), a keyword before 的 and another category's
 * keyword, an English word after outside / near / in front of; where a
 * resident worked (在/给 ... 干了). */
static void
test_where_masked(void **state)
{
	static const char *const rows[][2] = {
		{ "東村學校門口的路坏了", "                  的路坏了" },
		{ "医院旁边天天堵车", "            天天堵车" },
		{ "噪音的旁边", "               " },
		{ "道路的路灯不亮", "      的路灯不亮" },
		{ "道路上边的石头掉下来", "            的石头掉下来" },
		{ "路灯边有人赌博", "            人赌博" },
		{ "路灯不亮", "路灯不亮" },
		/* a village's primary school (东村小) keeps its 村小, a
		 * village group (东村小组) does not */
		{ "东村小的娃娃冻得很", "   村小的娃娃冻得很" },
		{ "东村小组的路灯不亮", "      小组的路灯不亮" },
		{ "家门口黑", "家门口黑" },
		{ "rubbish near the clinic", "rubbish near the       " },
		{ "holes in front of our school", "holes in front of our       " },
		{ "outside", "outside" },
		/* ... the place's noun after its modifier too */
		{ "garbage next to the primary school",
		  "garbage next to the               " },
		{ "lights near the school are broken",
		  "lights near the        are broken" },
		{ "rocks falling from the slope above the clinic",
		  "rocks falling from the slope above the       " },
		{ "lights on the main road are out",
		  "lights on the           are out" },
		/* ... and an address's words before its number */
		{ "i live in building 5 the heating is off",
		  "i live in          5 the heating is off" },
		{ "the building is cracked", "the building is cracked" },
		/* ... a cause ("because of") is no problem either */
		{ "told to move because of the mining subsidence area",
		  "told to move because of the                   area" },
		/* ... and where one worked, or what a hired hand picked */
		{ "crew on a fishing boat not paid", "crew on a              not paid" },
		{ "i picked goji berries", "i picked      berries" },
		/* where a resident worked, up to the work verb */
		{ "给宾馆盖房子，干了两个月", "给                干了两个月" },
		{ "在家门口等着", "在家门口等着" },
		/* ... a verb, 了 and how long is work (修了半年), a stay no
		 * work (住了半个月) */
		{ "给煤矿修了半年护坡", "给      修了半年护坡" },
		{ "在医院住了半个月", "在医院住了半个月" },
		/* ... and a shift (从矿上下夜班回来: the mine is where) */
		{ "从矿上下夜班回来那段路", "从      下夜班回来那段路" },
		/* ... but stolen (偷砍) is no work */
		{ "有人在路灯下偷砍树", "有人在路灯下偷砍树" },
		{ "我在路灯厂砍树", "我在      厂砍树" },
		/* ... and after 去 (去香蕉地打工), but for a while (去年) */
		{ "我们去路灯厂打工，老板不给钱", "我们去      厂打工 老板不给钱" },
		{ "我们去年路灯坏了", "我们去年路灯坏了" },
		/* what cannot even get through is the measure, not the problem
		 * (连救护车都进不来); what is missing is (连路灯都没有) */
		{ "车停满了，连救护车都进不来", "车停满了 连         都进不来" },
		{ "晚上连路灯都没有", "晚上连路灯都没有" },
		/* ... nor a 给 of the clause before (给一块，摘完了路灯) */
		{ "老板给一块，摘完了路灯坏了", "老板给       摘完了路灯坏了" },
		/* ... nor how long the pay has been owed (拖了一年) */
		{ "在外面修路的工钱拖了一年", "在外面修路的工钱拖了一年" },
		/* who owes the pay, and where ("my boss at the coal mine") */
		{ "my boss at the coal mine has not paid me",
		  "my boss at the           has not paid me" },
		/* the dark of a thing's colour is no night's (黑乎乎的稠东西) */
		{ "沟里一股子黑乎乎的稠东西往下淌", "沟里一股子         的稠东西往下淌" },
		{ "晚上村里黑乎乎的，啥也看不见", "晚上村里黑乎乎的 啥也看不见" },
		/* the errand the way is walked for (上学每天从那里过) */
		{ "娃娃们上学每天从那里过", "娃娃们      每天从那里过" },
		{ "伢们放学天天要过，掉下去就是沟", "伢们      天天要过 掉下去就是沟" },
		{ "娃娃上学要过河", "娃娃上学要过河" },
		/* a since-clause, the cause of what follows (自打挖了煤就干了),
		 * not one with nothing after it or no end (自打入冬拧开龙头) */
		{ "自打矿上挖煤以后井水就下去了", "                        井水就下去了" },
		{ "水自打挖了煤就干了", "水               就干了" },
		{ "自从停电以后", "自从停电以后" },
		{ "自打入冬拧开龙头啥也不出", "自打入冬拧开龙头啥也不出" },
		/* after a locative, a grid's name in Latin letters and the
		 * street's kind */
		{ "the lamps on dongcun road are dark",
		  "the lamps on" "              " "are dark" },
		/* a phone not answered: someone not reached, no signal */
		{ "老板电话也不接了", "老板               了" },
		{ "村里电话打不通", "村里电话打不通" },
		/* after a locative, the place's number and its nouns */
		{ "the road near no 2 middle school is broken",
		  "the road near" "                    " "is broken" },
	};
	char	*m;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		m = text_where_masked(rules.ix, rows[i][0]);
		if (strcmp(m, rows[i][1]) != 0)
			fail_msg("\"%s\": \"%s\", not \"%s\"", rows[i][0], m,
			    rows[i][1]);
		free(m);
	}
	assert_null(text_where_masked(rules.ix, NULL));
}

static void
test_index_null(void **state)
{
	int	 town = 5;

	(void)state;
	assert_int_equal(text_find_category(NULL, "路灯"), -1);
	assert_int_equal(text_find_category(rules.ix, NULL), -1);
	assert_int_equal(text_find_place(NULL, "东村", &town), -1);
	assert_int_equal(town, -1);
	town = 5;
	assert_int_equal(text_find_place(rules.ix, NULL, &town), -1);
	assert_int_equal(town, -1);
	text_index_free(NULL);
}

/* --- pinyin: homophones and place names in Latin letters ------------------ */

static const char pinyin_config[] =
"{"
" \"server\": {\"listen\": \"127.0.0.1:0\", \"public_url\": \"http://127.0.0.1\","
"   \"admin_token_env\": \"MINYI_ADMIN_TOKEN\"},"
" \"store\": {\"path\": \"var/test.db\"},"
" \"channels\": [{\"id\": \"sim\", \"adapter\": \"sim\"}],"
" \"deputies\": [{\"id\": \"d-a\", \"name\": \"A\", \"phone\": \"13800138000\","
"   \"level\": \"township\"}],"
" \"departments\": [],"
" \"townships\": ["
"   {\"id\": \"beizhen\", \"name\": \"北镇\", \"chair\": \"d-a\"},"
"   {\"id\": \"nanxiang\", \"name\": \"南河乡\", \"chair\": \"d-a\"}],"
" \"grids\": ["
"   {\"id\": \"xuzhuang\", \"name\": \"许庄村\", \"township\": \"beizhen\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"xuzhuang2\", \"name\": \"徐庄村\", \"township\": \"nanxiang\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"xiazhai\", \"name\": \"下寨村\", \"township\": \"nanxiang\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"renhou\", \"name\": \"仁厚社区\", \"township\": \"beizhen\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"shiqiao\", \"name\": \"石桥村\", \"township\": \"nanxiang\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"changling\", \"name\": \"长岭村\", \"township\": \"beizhen\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"wulegai\", \"name\": \"乌勒盖嘎查\", \"township\": \"beizhen\","
"    \"aliases\": [\"乌勒盖\"], \"deputies\": [\"d-a\"]},"
"   {\"id\": \"huangpu\", \"name\": \"黄埔村\", \"township\": \"nanxiang\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"wangjiazui\", \"name\": \"王家咀村\", \"township\": \"beizhen\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"wulan\", \"name\": \"乌兰淖尔嘎查\", \"township\": \"beizhen\","
"    \"name_en\": \"Ulaan Nuur Gacha\", \"deputies\": [\"d-a\"]},"
"   {\"id\": \"wenhualu\", \"name\": \"文化路社区\", \"township\": \"beizhen\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"xijie\", \"name\": \"西街社区\", \"township\": \"beizhen\","
"    \"deputies\": [\"d-a\"]},"
"   {\"id\": \"ulan\", \"name\": \"乌兰嘎查\", \"township\": \"beizhen\","
"    \"aliases\": [\"Ulan\", \"乌兰\"], \"deputies\": [\"d-a\"]},"
"   {\"id\": \"laozhai\", \"name\": \"老寨村\", \"township\": \"nanxiang\","
"    \"aliases\": [\"老寨\"], \"deputies\": [\"d-a\"]},"
"   {\"id\": \"manlao\", \"name\": \"曼老村\", \"township\": \"nanxiang\","
"    \"aliases\": [\"曼老寨\"], \"deputies\": [\"d-a\"]},"
"   {\"id\": \"huangjue\", \"name\": \"黄桷村\", \"township\": \"nanxiang\","
"    \"deputies\": [\"d-a\"]}],"
" \"categories\": ["
"   {\"id\": \"light\", \"name\": \"路灯\", \"keywords\": [\"路灯\", \"灯坏了\"],"
"     \"tier\": 2},"
"   {\"id\": \"trash\", \"name\": \"垃圾\", \"name_en\": \"Garbage\","
"     \"keywords\": [\"垃圾\"], \"tier\": 1},"
"   {\"id\": \"rail\", \"name\": \"护栏\", \"keywords\": [\"护栏\"], \"tier\": 2},"
"   {\"id\": \"road\", \"name\": \"道路\", \"keywords\": [\"桥\", \"路面\", \"道路\","
"     \"村道\", \"红绿灯\"], \"tier\": 2},"
"   {\"id\": \"citrus\", \"name\": \"柑橘\", \"keywords\": [\"橘子\"], \"tier\": 2},"
"   {\"id\": \"pipe\", \"name\": \"水管\", \"keywords\": [\"水管\", \"水质\"], \"tier\": 2},"
"   {\"id\": \"tax\", \"name\": \"税务\", \"keywords\": [\"税官\"], \"tier\": 2},"
"   {\"id\": \"shore\", \"name\": \"海堤\", \"keywords\": [\"护岸\", \"淤积\","
"     \"海堤\"],"
"     \"tier\": 2},"
"   {\"id\": \"fish\", \"name\": \"渔民\", \"keywords\": [\"打鱼\"], \"tier\": 2},"
"   {\"id\": \"tour\", \"name\": \"旅游\", \"keywords\": [\"景区\"], \"tier\": 2},"
"   {\"id\": \"labour\", \"name\": \"用工\", \"keywords\": [\"劳务\", \"打工\"],"
"     \"tier\": 2},"
"   {\"id\": \"left\", \"name\": \"留守\", \"keywords\": [\"留守\"], \"tier\": 2},"
"   {\"id\": \"grass\", \"name\": \"草场\", \"keywords\": [\"草原\"], \"tier\": 2},"
"   {\"id\": \"aid\", \"name\": \"补贴\", \"keywords\": [\"补贴\"], \"tier\": 2},"
"   {\"id\": \"cropwaste\", \"name\": \"废膜\", \"keywords\": [\"废膜\"],"
"     \"tier\": 2},"
"   {\"id\": \"school\", \"name\": \"上学\", \"keywords\": [\"上学\"], \"tier\": 2},"
"   {\"id\": \"canal\", \"name\": \"水渠\", \"keywords\": [\"渠\"], \"tier\": 2},"
"   {\"id\": \"move\", \"name\": \"搬迁\", \"keywords\": [\"搬迁\", \"安置房\"],"
"     \"tier\": 2},"
"   {\"id\": \"straw\", \"name\": \"秸秆\", \"keywords\": [\"禁烧\"], \"tier\": 2},"
"   {\"id\": \"field\", \"name\": \"灌溉\", \"keywords\": [\"田水\"], \"tier\": 2},"
"   {\"id\": \"retire\", \"name\": \"退捕\", \"keywords\": [\"退捕\", \"禁捕\"],"
"     \"tier\": 2},"
"   {\"id\": \"pay\", \"name\": \"欠薪\", \"keywords\": [\"工钱\"], \"tier\": 2},"
"   {\"id\": \"power\", \"name\": \"用电\", \"keywords\": [\"停电\", \"跳闸\"], \"tier\": 2},"
"   {\"id\": \"drown\", \"name\": \"防溺水\", \"keywords\": [\"浸死\"], \"tier\": 2},"
"   {\"id\": \"tea\", \"name\": \"茶叶\", \"keywords\": [\"茶山\", \"茶厂\"],"
"     \"tier\": 2},"
"   {\"id\": \"signal\", \"name\": \"通信\", \"keywords\": [\"信号\", \"打不通\"],"
"     \"tier\": 2},"
"   {\"id\": \"boar\", \"name\": \"野猪\", \"keywords\": [\"野猪\"], \"tier\": 2}]"
"}";

static struct index_fixture pinyin_fx;

static int
pinyin_setup(void **state)
{
	struct config_errors	 errs = { 0 };

	(void)state;
	pinyin_fx.cfg = config_load_string(pinyin_config, &errs);
	print_errors(&errs);
	config_errors_free(&errs);
	if (pinyin_fx.cfg == NULL)
		return -1;
	pinyin_fx.ix = text_index_new(pinyin_fx.cfg);
	return 0;
}

static int
pinyin_teardown(void **state)
{
	(void)state;
	return fixture_teardown(&pinyin_fx);
}

/* A message and what text_find makes of it: ids or "?", candidates as
 * "id,id" ("" for none). */
struct find_row {
	const char	*text;
	const char	*category;
	const char	*cat_cands;
	const char	*place;
	const char	*grid_cands;
	bool		 homophone;	/* the place was found by pinyin */
};

static const struct find_row find_rows[] = {
	/* homophone typos of keywords and names */
	{ "许庄村路等坏了", "light", "", "xuzhuang", "", false },
	{ "许庄村拉圾没人清", "trash", "", "xuzhuang", "", false },
	{ "下宅村护拦掉了", "rail", "", "xiazhai", "", true },
	{ "仁后社区路灯不亮", "light", "", "renhou", "", true },
	{ "人厚社区路灯", "light", "", "renhou", "", true },
	/* a strong homophone beats a one-character keyword */
	{ "下寨村桥边护拦掉了", "rail", "", "xiazhai", "", false },
	{ "下寨村桥塌了", "road", "", "xiazhai", "", false },
	/* the problem named first, clause by clause */
	{ "许庄村垃圾没人清，路灯也不亮", "trash", "", "xuzhuang", "", false },
	{ "许庄村路灯不亮，垃圾也没人清", "light", "", "xuzhuang", "", false },
	{ "许庄村路灯不亮还有垃圾", "light", "", "xuzhuang", "", false },
	/* ... whatever the kind of keyword that names it */
	{ "下寨村桥塌了，护栏也掉了", "road", "", "xiazhai", "", false },
	{ "许庄村拉圾没人清，路灯也不亮", "trash", "", "xuzhuang", "", false },
	/* a keyword that only says whose thing is wrong, by a verb and 的
	 * (茶厂用的水管): the thing's */
	{ "许庄村茶厂用的水管坏了", "pipe", "", "xuzhuang", "", false },
	{ "许庄村茶厂倒的垃圾没人清", "trash", "", "xuzhuang", "", false },
	/* ... or where the family is (儿子媳妇都在外面打工): the one left
	 * at home; their pay owed is still named */
	{ "许庄村儿子媳妇都在外面打工，留守老人没人管", "left", "", "xuzhuang",
	  "", false },
	{ "许庄村儿子在外面打工，老板欠了工钱", "pay", "", "xuzhuang", "",
	  false },
	{ "许庄村我在外面打工，老板欠了工钱", "labour", "", "xuzhuang", "",
	  false },
	/* ... or the errand the way is walked for (上学天天从桥上过) */
	{ "许庄村娃娃上学天天从桥上过，桥塌了", "road", "", "xuzhuang", "",
	  false },
	{ "许庄村娃娃上学要过河", "school", "", "xuzhuang", "", false },
	/* ... or where another's thing is, by 上的 (渠上的桥) */
	{ "下寨村渠上的桥塌了", "road", "", "xiazhai", "", false },
	{ "下寨村渠塌了", "canal", "", "xiazhai", "", false },
	/* pieces of two words are no typo before a keyword written (老板欠了
	 * 工钱: 板欠, banqian, no 搬迁), even when the rest reads so */
	{ "许庄村老板欠了工钱，我家搬迁的安置房还没分，搬迁的钱也没给", "pay",
	  "", "xuzhuang", "", false },
	/* ... or what money is paid for (草原补奖): the subsidy */
	{ "许庄村草原补奖的补贴说是一年一发，今年到现在都没发", "aid", "",
	  "xuzhuang", "", false },
	{ "许庄村草原补贴还没发", "aid", "", "xuzhuang", "", false },
	{ "许庄村的草原叫人占了", "grass", "", "xuzhuang", "", false },
	{ "许庄村今年的草原补帖咋还没到账", "aid", "", "xuzhuang", "", false },
	/* ... not when the money says whose thing it is (补贴的草料) */
	{ "许庄村草原补贴的草料还没拉来", "grass", "", "xuzhuang", "", false },
	/* ... or only whenever the problem comes (一到打鱼的时候) */
	{ "许庄村一到打鱼的时候就停电", "power", "", "xuzhuang", "", false },
	/* a supply cut off, its verb and object split (停了四回电): the
	 * keyword all the same, in the clause that names it first */
	{ "许庄村一礼拜停了四回电，垃圾也没人清", "power", "", "xuzhuang", "",
	  false },
	{ "许庄村停了电 垃圾也没人清", "power", "", "xuzhuang", "", false },
	{ "许庄村停了好几天电，垃圾也没人清", "power", "", "xuzhuang", "",
	  false },
	/* ... not other verbs, nor a count without its measure */
	{ "许庄村修了一年电，垃圾也没人清", "trash", "", "xuzhuang", "",
	  false },
	{ "许庄村停了三电，垃圾也没人清", "trash", "", "xuzhuang", "", false },
	/* a one-character keyword inside a place name names nothing */
	{ "石桥村，护拦掉了", "rail", "", "shiqiao", "", false },
	{ "石桥村的桥塌了", "road", "", "shiqiao", "", false },
	{ "Garbage and street light in Xuzhuang", "trash", "", "?",
	  "xuzhuang,xuzhuang2", false },
	/* pinyin and English place names; two villages that sound alike are
	 * both candidates */
	{ "xuzhuang village 路灯", "light", "", "?", "xuzhuang,xuzhuang2", false },
	{ "Xu Zhuang Cun lamp", "?", "", "?", "xuzhuang,xuzhuang2", false },
	{ "Beizhen Xuzhuang", "?", "", "xuzhuang", "", true },
	{ "Xiazhai village garbage", "trash", "", "xiazhai", "", true },
	/* the field a passive's agent harmed is not the problem, the agent
	 * is; the crop harmed by nothing named is.  Any thing a beast
	 * harmed (橘子被野猪拱了) is the beast's: residents ask who pays */
	{ "许庄村橘子地挨野猪拱得稀烂", "boar", "", "xuzhuang", "", false },
	{ "许庄村橘子地被野猪拱了，一分钱没赔", "boar", "", "xuzhuang", "", false },
	{ "许庄村橘子地被水淹了", "citrus", "", "xuzhuang", "", false },
	{ "许庄村橘子被野猪拱了", "boar", "", "xuzhuang", "", false },
	{ "许庄村橘子被大风刮落了一地", "citrus", "", "xuzhuang", "", false },
	/* a place a keyword names, another's keyword after it: the head
	 * of the compound, what is wrong (沉陷区搬迁: the move) */
	{ "许庄村橘子园停电三天了", "power", "", "xuzhuang", "", false },
	{ "许庄村橘子园没人管", "citrus", "", "xuzhuang", "", false },
	/* from a village that sounds like a grid to one named exactly: the
	 * resident's may be either */
	{ "下宅村到石桥村那段路面坑坑洼洼的", "road", "", "?", "xiazhai,shiqiao",
	  false },
	{ "下寨村到石桥村那段路面坑坑洼洼的", "road", "", "xiazhai", "", false },
	/* ... before 去 too, and a village is what ends as a grid's name
	 * does (乌勒盖: 盖), not 村 alone */
	{ "乌乐盖去石桥村的路面坏了", "road", "", "?", "wulegai,shiqiao",
	  false },
	{ "乌乐盖的人去石桥村的路面坏了", "road", "", "shiqiao", "", false },
	/* ... or one whose last character sounds as a grid's does (乌勒该
	 * of 乌勒盖), no 村 after it */
	{ "乌勒该到石桥村那段路面坑坑洼洼的", "road", "", "?", "wulegai,shiqiao",
	  false },
	/* ... and a figure or letter before 到 is read in bounds */
	{ "x到石桥村的路面坏了", "road", "", "shiqiao", "", false },
	{ "1到石桥村的路面坏了", "road", "", "shiqiao", "", false },
	/* a typo of a keyword, written before another category's keyword
	 * as long in one clause (拉鸡 for 垃圾, then 停电): both asked, the
	 * typo first; not a word of its own (市场), nor pieces of two */
	{ "许庄村拉鸡烧起来又停电了", "?", "trash,power", "xuzhuang", "", false },
	{ "许庄村垃圾烧起来又停电了", "trash", "", "xuzhuang", "", false },
	/* 桷 as the south-west reads it, ge: 黄葛 is 黄桷, the same tree */
	{ "黄葛村路灯坏了", "light", "", "huangjue", "", true },
	/* a typo in a longer name that holds a shorter one (慢老寨: 曼老寨
	 * as it sounds, 老寨 as written): both asked, the longer first */
	{ "慢老寨昨晚路灯又坏了", "light", "", "?", "manlao,laozhai", false },
	{ "曼老寨昨晚路灯又坏了", "light", "", "manlao", "", false },
	{ "老寨昨晚路灯又坏了", "light", "", "laozhai", "", false },
	/* a keyword's sound before a place's ending is a name mistyped
	 * (睡关村: shuiguan, no 水管 nor 税官) */
	{ "睡关村这两天没人管", "?", "", "?", "", false },
	/* ... heard in two characters more than written (乌兰闹尔: 乌兰淖尔,
	 * not 乌兰): the name as it sounds */
	{ "乌兰闹尔嘎查昨晚路灯又坏了", "light", "", "wulan", "", true },
	{ "乌兰嘎查昨晚路灯又坏了", "light", "", "ulan", "", false },
	/* moved from a village (从 … 搬) to where the resident lives now:
	 * the latter */
	{ "我们从下寨村搬到仁厚社区三年了，楼下路灯坏了", "light", "", "renhou",
	  "", false },
	{ "我們是從下寨村搬下來住仁厚社區的，樓下路燈壞了", "light", "", "renhou",
	  "", false },
	/* 上 of a time (上次, 上个月) after a place's keyword is no "on" */
	{ "许庄村茶山上次落大雨垮了一大块，路面也冲坏了", "tea", "", "xuzhuang",
	  "", false },
	/* a place's name between 在 and the works (blanked as a run of gaps)
	 * is no clause's end: the works is where the resident worked */
	{ "我在许庄村的橘子园帮人家摘了两个月，工钱一分没给", "pay", "",
	  "xuzhuang", "", false },
	/* ... as where the resident picked for a boss (给老板拾了一个月:
	 * 拾, 采 and 掰 are work too), the pay mistyped (公钱) */
	{ "许庄村 去年秋天给老板拾了一个月橘子 公钱还欠着四千", "pay", "",
	  "xuzhuang", "", false },
	/* two keywords written overlapping (红绿灯坏了: 灯坏了 begins inside
	 * 红绿灯): the one written first */
	{ "许庄村口的红绿灯坏了，大货车乱闯", "road", "", "xuzhuang", "", false },
	{ "许庄村口的灯坏了", "light", "", "xuzhuang", "", false },
	/* a name in Latin letters is found as whole words only: Ulan is not
	 * in Wulanhua */
	{ "Ulan gacha, the garbage is piling up", "trash", "", "ulan", "", false },
	{ "Wulanhua town, the garbage is piling up", "trash", "", "?", "", false },
	/* the pay's own word after the work is what is owed, not where the
	 * work was done */
	{ "许庄村俺儿子在外头打工被欠工钱，回来家里又停电", "pay", "",
	  "xuzhuang", "", false },
	/* someone's telephone that cannot be reached is no signal problem */
	{ "许庄村老板电话也打不通，工钱拖了半年", "pay", "", "xuzhuang", "",
	  false },
	{ "许庄村手机打不通，工钱拖了半年", "signal", "", "xuzhuang", "", false },
	/* 村 of a village's name begins 村道 too: its road */
	{ "长岭村道垮了一大块", "road", "", "changling", "", false },
	/* everyday words that sound like a keyword are no typo of it: 黄不
	 * 拉几 (yellowish) holds la ji, 垃圾 */
	{ "许庄村的自来水黄不拉几的", "?", "", "xuzhuang", "", false },
	/* ... nor is a dialect word: 阿拉 (Wu: we) 几只船 */
	{ "许庄村阿拉几只船被人拖走了", "?", "", "xuzhuang", "", false },
	/* of two keywords that overlap, the one that is a word: 步道路灯
	 * is 步道 and 路灯, no 道路 */
	{ "许庄村河边步道路灯不亮了", "light", "", "xuzhuang", "", false },
	{ "许庄村拉几堆了一地", "trash", "", "xuzhuang", "", false },
	/* ... nor are words of ordinary prose: 调查 (tiaozha, 跳闸) */
	{ "许庄村的事请代表来调查一下", "?", "", "xuzhuang", "", false },
	{ "许庄村老是跳闸", "power", "", "xuzhuang", "", false },
	/* 车子 is a car, no homophone of 橘子 (车 read ju, as in chess) */
	{ "车子开不过去，长岭村路面全是坑", "road", "", "changling", "", false },
	/* a community named for its street, the street's kind in English */
	{ "Wenhua Road community garbage", "trash", "", "wenhualu", "", true },
	{ "garbage piled up on Xi Street for days", "trash", "", "xijie", "",
	  true },
	{ "Xiazhaicun", "?", "", "xiazhai", "", true },
	{ "renhou community", "?", "", "renhou", "", true },
	/* a keyword's syllables are as many characters: 护岸 (hu an) is no
	 * 还 (huan); and 雨季 (rainy season) is no 淤积 (silted) */
	{ "仁厚社区碰上起雾还不来，白等一天", "?", "", "renhou", "", false },
	{ "仁厚社区这段路雨季冲垮了一半", "?", "", "renhou", "", false },
	{ "仁厚社区河边的户岸塌了", "shore", "", "renhou", "", false },
	/* ... nor a sound with a little word in it: 摆到路 (dao lu) is no
	 * 道路 */
	{ "仁厚社区菜场门口的摊子摆到路当中", "?", "", "renhou", "", false },
	/* ... nor a sound that cuts into a common word: 黑水直接 (shui
	 * zhi) is no 水质 */
	{ "仁厚社区厂里的黑水直接往河里放", "?", "", "renhou", "", false },
	/* ... nor in fuzzy pinyin: 陷进去 (jin qu) is no 景区 */
	{ "仁厚社区草滩底下掏空了，马走着走着腿陷进去", "?", "", "renhou", "",
	  false },
	/* ... nor 老屋 (the old house) 劳务, nor 短斤少两 (short weight)
	 * 禁烧 */
	{ "仁厚社区我家的老屋子后墙往外鼓着", "?", "", "renhou", "", false },
	{ "仁厚社区收苞米的过秤还短斤少两", "?", "", "renhou", "", false },
	/* two places apart: the one written first is the resident's (the
	 * other is where the road goes), however long the other's name */
	{ "石桥村到乌兰淖尔嘎查的路面坏了", "road", "", "shiqiao", "", false },
	/* a sound only fuzzy pinyin hears (经少: jing shao, 禁烧 jin shao)
	 * yields to a keyword written in a later clause */
	{ "仁厚社区院子里经少有人来，路灯一直不亮", "light", "", "renhou", "",
	  false },
	/* ... nor a sound that reaches into a built-in word written whole
	 * (这几天水龙头: tian shui is no 田水) */
	{ "仁厚社区这几天水龙头出来的是浑的", "?", "", "renhou", "", false },
	/* a mistyped keyword as long as an exact one after it, when the
	 * message reads as the mistyped one's: both are candidates; when it
	 * is sure of it (臭, 苍蝇), the mistyped one */
	{ "仁厚社区门口的拉圾把水管都堵了，苍蝇到处飞", "?", "trash,pipe",
	  "renhou", "", false },
	{ "仁厚社区门口的拉圾把水管都堵了，臭得很，苍蝇", "trash", "", "renhou",
	  "", false },
	/* the works the resident was hired on (修道路的工程) are no problem */
	{ "许庄村修道路的工程，我们去挑土，做完了工钱到现在没给", "pay", "",
	  "xuzhuang", "", false },
	/* ... nor 一斤四两 (a catty four taels) 浸死: 斤 is a measure */
	{ "许庄村卖虾的秤有问题，买两斤回去一称得一斤四两", "?", "", "xuzhuang",
	  "", false },
	/* the means of a catch (用电打鱼) is no power supply: the catch is */
	{ "许庄村有人在近海用电打鱼，鱼仔全部电死", "fish", "", "xuzhuang", "",
	  false },
	{ "许庄村用电老是跳闸", "power", "", "xuzhuang", "", false },
	/* the employer that hired the resident (垃圾场雇了我们) is no problem */
	{ "许庄村的垃圾场雇了我们十几个人，干了四个月工钱没给", "pay", "",
	  "xuzhuang", "", false },
	/* 提 read di (提防): 海提 is 海堤 mistyped, which many read ti */
	{ "许庄村的海提年久失修，石头都松了", "shore", "", "xuzhuang", "", false },
	/* a keyword's building whose another problem is (景区楼的水管,
	 * 回迁楼的物业) says whose */
	{ "许庄村景区楼的水管坏了", "pipe", "", "xuzhuang", "", false },
	/* 上 after a place's keyword says where (茶山上: on the tea hill) */
	{ "许庄村茶山上信号不好，打电话老断", "signal", "", "xuzhuang", "", false },
	{ "许庄村茶山被人占了", "tea", "", "xuzhuang", "", false },
	/* a trade the residents had (以前打鱼的) is no problem */
	{ "许庄村以前打鱼的上岸后冇得事做，退捕的补助也冇看到", "retire", "",
	  "xuzhuang", "", false },
	/* ... nor 赶紧补 (hurry to mend) 退捕: 赶紧 is a common word */
	{ "许庄村堤上好多老鼠洞，要赶紧补起来", "?", "", "xuzhuang", "", false },
	/* a works that owes the pay is the employer; owing for goods, the
	 * trade's */
	{ "许庄村茶厂欠工钱三个月了", "pay", "", "xuzhuang", "", false },
	{ "许庄村茶厂欠我们的货款三个月了，路灯也坏了", "tea", "", "xuzhuang",
	  "", false },
	/* ... nor is 推不动 (will not push) 退捕: 不 is a little word */
	{ "石桥村那截一落雨就稀烂，摩托车推不动", "?", "", "shiqiao", "", false },
	/* how long the pay has been owed is no work there (工钱拖了一年) */
	{ "许庄村的，我们十几个人在外面修路的工钱拖了一年冇给，屋前路灯也不亮",
	  "pay", "", "xuzhuang", "", false },
	/* ... nor is 大雨 (heavy rain) 打鱼 (fishing) */
	{ "仁厚社区一落大雨，桥就淹了", "road", "", "renhou", "", false },
	/* not inside another word or syllable */
	{ "xiazhaiwen", "?", "", "?", "", false },
	{ "axiazhai", "?", "", "?", "", false },
	/* fuzzy pinyin, zh typed as z: a unique one counts, tied ones are
	 * candidates */
	{ "下在村护栏掉了", "rail", "", "xiazhai", "", true },
	{ "xiazai village garbage", "trash", "", "xiazhai", "", true },
	{ "xuzuang village 路灯", "light", "", "?", "xuzhuang,xuzhuang2", false },
	{ "四桥村护栏掉了", "rail", "", "shiqiao", "", true },
	/* ... and -ng written -n (the south-west): 长林 for 长岭 */
	{ "长林村垃圾", "trash", "", "changling", "", true },
	{ "Changlin village garbage", "trash", "", "changling", "", true },
	{ "xuzuan village 路灯", "light", "", "?", "xuzhuang,xuzhuang2", false },
	/* homophones tied: both are candidates */
	{ "水官坏了", "?", "pipe,tax", "?", "", false },
	{ "水管坏了", "pipe", "", "?", "", false },
	/* a character ICU reads one way, written for another reading (谁
	 * is "shei" to ICU, "shui" on a pinyin keyboard; 长 "zhang" and
	 * "chang") */
	{ "许庄村谁管坏了", "?", "pipe,tax", "xuzhuang", "", false },
	{ "Changling village garbage", "trash", "", "changling", "", true },
	{ "Zhangling village garbage", "trash", "", "changling", "", true },
	{ "长岭村垃圾", "trash", "", "changling", "", false },
	/* ... and the reading a place name has (勒 "lei" to ICU, "le" in
	 * 乌勒盖; 埔 "bu", "pu" in 黄埔) */
	{ "garbage piling up in Wulegai", "trash", "", "wulegai", "", true },
	{ "Huangpu village garbage", "trash", "", "huangpu", "", true },
	/* 咀 "ju" to ICU, "zui" in a place name (王家咀) */
	{ "garbage in Wangjiazui village", "trash", "", "wangjiazui", "", true },
	{ "Wang Jia Zui garbage", "trash", "", "wangjiazui", "", true },
	{ "garbage at wangjiazui", "trash", "", "wangjiazui", "", true },
	/* the place's English name as the county romanized it, with or
	 * without its ending */
	{ "garbage piling up in Ulaan Nuur", "trash", "", "wulan", "", true },
	{ "Ulaan Nuur Gacha garbage", "trash", "", "wulan", "", true },
	{ "Wulannaoer garbage", "trash", "", "wulan", "", true },
	{ "乌兰淖尔的垃圾没人清", "trash", "", "wulan", "", true },
	/* characters first: no pinyin guess when a name is written */
	{ "徐庄村路灯", "light", "", "xuzhuang2", "", false },
	{ "许庄村", "?", "", "xuzhuang", "", false },
};

/* The ids of cands, comma separated; a new string. */
static char *
ids_of(const int *cands, size_t n, const char *(*id)(int))
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", id(cands[i]));
	return buf_steal(&b);
}

static const char *
cat_id(int i)
{
	return pinyin_fx.cfg->categories[i].id;
}

static const char *
grid_id(int i)
{
	return pinyin_fx.cfg->grids[i].id;
}

static void
test_pinyin_rows(void **state)
{
	const struct find_row	*r;
	struct text_pinyin	*py;
	struct text_found	 tf;
	char			*f, *cc, *gc;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(find_rows); i++) {
		r = &find_rows[i];
		f = text_fold(r->text);
		py = text_pinyin_new(r->text);
		text_find(pinyin_fx.ix, r->text, f, py, &tf);
		cc = ids_of(tf.cat_cands, tf.ncat_cands, cat_id);
		gc = ids_of(tf.grid_cands, tf.ngrid_cands, grid_id);
		if (strcmp(ID_OR_NONE(pinyin_fx.cfg->categories, tf.category),
		    r->category) != 0 || strcmp(cc, r->cat_cands) != 0 ||
		    strcmp(ID_OR_NONE(pinyin_fx.cfg->grids, tf.grid), r->place) != 0 ||
		    strcmp(gc, r->grid_cands) != 0 || tf.grid_homophone != r->homophone)
			fail_msg("\"%s\": category %s (%s) place %s (%s)%s", r->text,
			    ID_OR_NONE(pinyin_fx.cfg->categories, tf.category), cc,
			    ID_OR_NONE(pinyin_fx.cfg->grids, tf.grid), gc,
			    tf.grid_homophone ? " by pinyin" : "");
		free(cc);
		free(gc);
		free(f);
		text_pinyin_free(py);
	}
	/* a place's keyword before 上 says where (茶山上打电话), not when
	 * something is dug or built on it (茶山上挖了个大坑: the hill's) */
	f = text_where_masked(pinyin_fx.ix, "茶山上打电话");
	assert_null(strstr(f, "茶山"));
	free(f);
	f = text_where_masked(pinyin_fx.ix, "有人在我家茶山上挖了个大坑");
	assert_non_null(strstr(f, "茶山"));
	free(f);
	/* ... nor one that says whose cars they are, no 的 (景区车子停满
	 * 路边: the parking) */
	f = text_where_masked(pinyin_fx.ix, "景区车子停满路边");
	assert_null(strstr(f, "景区"));
	free(f);
	/* what the greenhouses leave is its own (黄瓜秧, 茄子棵), no
	 * household rubbish */
	{
		int	 order[64];
		double	 p;

		assert_true(pinyin_fx.cfg->ncategories <= nitems(order));
		p = classifier_rank(text_classifier(pinyin_fx.ix),
		    "沟里都是各家拔了扔的黄瓜秧茄子棵，堆得比人都高", order, NULL);
		assert_true(p >= 0.9);
		assert_string_equal(pinyin_fx.cfg->categories[order[0]].id,
		    "cropwaste");
	}
}

static void
test_pinyin_of(void **state)
{
	static const char *const rows[][2] = {
		{ "许庄村", "xuzhuangcun" }, { "路燈", "ludeng" },
		{ "绿", "lu" }, { "abc", "" }, { "", "" }, { "许a", "" },
	};
	char	 syl[16];
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		s = text_pinyin_of(rows[i][0]);
		assert_string_equal(s, rows[i][1]);
		free(s);
	}
	assert_int_equal(text_syllable(U'灯', syl, sizeof(syl)), 4);
	assert_string_equal(syl, "deng");
	assert_int_equal(text_syllable('a', syl, sizeof(syl)), 0);
	text_pinyin_free(NULL);
}

/* --- the example config: the corpus and more ------------------------------ */

/* Realistic messages beyond the corpus, under the example config (not
 * const: a test case's state is a plain pointer). */
static struct place_row extra_rows[] = {
	{ "杨集乡路灯坏了", "streetlight", "?", "yangji" },
	{ "王楼镇大赵村的垃圾堆了一个月了", "sanitation", "dazhao", "wanglou" },
	/* a township named for its seat (镇政府, 乡养老院, 镇上, 乡到城里):
	 * the grid named as the township is */
	{ "濮城镇政府门口占道经营严重", "market", "puchengcun", "puchengzhen" },
	{ "颜村铺乡养老院伙食太差", "elderly", "yancunpu", "yancunpuxiang" },
	{ "王楼镇上那个路口天天堵", "road", "wanglou", "wanglou" },
	{ "杨集乡到县城的班车停了", "?", "yangji", "yangji" },
	{ "我家住刘辛店，自来水发黄", "water", "liuxindian", "yangji" },
	{ "大趙村路燈不亮", "streetlight", "dazhao", "wanglou" },
	{ "杨集村东头的桥塌了", "road", "yangji", "yangji" },
	{ "王楼村小学门口天天堵车", "road", "wanglou", "wanglou" },
	{ "刘辛店村有人拖欠农民工工资", "employment", "liuxindian", "yangji" },
	{ "濮城村的公共厕所太脏了", "sanitation", "puchengcun", "puchengzhen" },
	{ "颜村铺村十字路口没有红绿灯", "road", "yancunpu", "yancunpuxiang" },
	{ "大赵村电线杆歪了，随时会倒", "safety", "dazhao", "wanglou" },
	{ "村里老人没人照顾，能不能开个日间照料中心", "elderly", "?", "?" },
	{ "杨集的垃圾站臭气熏天", "sanitation", "yangji", "yangji" },
	{ "王楼有个老板不给工资", "employment", "wanglou", "wanglou" },
	{ "STREET LIGHT BROKEN AT DAZHAO", "streetlight", "dazhao", "wanglou" },
	{ "请问什么时候来修水管？刘辛店村", "water", "liuxindian", "yangji" },
	{ "濮城镇濮城村农贸市场摊贩乱摆摊", "market", "puchengcun", "puchengzhen" },
	{ "王楼镇王楼村路面塌陷", "road", "wanglou", "wanglou" },
	{ "杨集乡杨集村停水三天了", "water", "yangji", "yangji" },
	{ "你们好，我想反映个问题", "?", "?", "?" },
	{ "路燈", "streetlight", "?", "?" },
	{ "颜村铺乡颜村铺村路灯", "streetlight", "yancunpu", "yancunpuxiang" },
	{ "The water in Dazhao tastes bad", "water", "dazhao", "wanglou" },
	{ "王楼镇", "?", "?", "wanglou" },
	{ "大赵村桥边护栏没了", "safety", "dazhao", "wanglou" },
	{ "杨集乡有人招工不给钱", "employment", "?", "yangji" },
	{ "【急】劉辛店村村口漏水😭😭", "water", "liuxindian", "yangji" },
	{ "濮城村ｘｘ路１２号门口有个坑", "road", "puchengcun", "puchengzhen" },
	{ "颜村铺的农贸市场卫生太差", "market", "yancunpu", "yancunpuxiang" },
};

static int
example_setup(void **state)
{
	struct config_errors	 errs = { 0 };

	(void)state;
	example.cfg = config_load(EXAMPLE_CONFIG, &errs);
	print_errors(&errs);
	config_errors_free(&errs);
	if (example.cfg == NULL)
		return -1;
	example.ix = text_index_new(example.cfg);
	return 0;
}

static int
example_teardown(void **state)
{
	(void)state;
	return fixture_teardown(&example);
}

/*
 * Everyday words with no keyword in them, under the second county's
 * config: the classifier takes them (from 0.9).
 */
static const struct {
	const char	*text;
	const char	*category;
} lexicon_rows[] = {
	{ "烧的天然气一直不足", "heating" },
	{ "壁挂炉打不着火", "heating" },
	{ "家里屋里冷得跟冰窖一样", "heating" },
	{ "那条土道一下雨全是泥，车都陷进去了", "road" },
	{ "去镇上的路太难走了", "road" },
};

static void
test_lexicon_rows(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	struct text_index	*ix;
	int			 order[CONV_CHOICES_MAX];
	double			 p;
	size_t			 i;

	(void)state;
	cfg = config_load("tests/data/config/county2.json", &errs);
	print_errors(&errs);
	config_errors_free(&errs);
	assert_non_null(cfg);
	assert_true(cfg->ncategories <= CONV_CHOICES_MAX);
	ix = text_index_new(cfg);
	for (i = 0; i < nitems(lexicon_rows); i++) {
		p = classifier_rank(text_classifier(ix), lexicon_rows[i].text, order,
		    NULL);
		if (p < 0.9 || strcmp(cfg->categories[order[0]].id,
		    lexicon_rows[i].category) != 0)
			fail_msg("\"%s\": %s at %.2f, not %s", lexicon_rows[i].text,
			    cfg->categories[order[0]].id, p, lexicon_rows[i].category);
	}
	text_index_free(ix);
	config_free(cfg);
}

/*
 * The common words of the big dialect areas are read in Mandarin
 * (text_dialect, over folded text): 冇 没, 屋头 家里, 咋整 怎么办, 侬 你;
 * Mandarin words that hold one of their characters are left alone.
 */
/* A space between Han characters ends a clause; others do not. */
static void
test_clause_space(void **state)
{
	static const struct {
		const char	*raw;
		size_t		 at, want;
	} rows[] = {
		{ "停水两天了 昨天又停电", 15, 1 },
		{ "停水两天了\u3000昨天又停电", 15, 3 },
		{ "停水两天了  昨天又停电", 15, 1 },
		{ "仁厚 停水", 6, 1 },
		{ "3号楼 停水", 7, 1 },
		{ "3 号楼停水", 1, 0 },		/* after a digit */
		{ "停水 3天", 6, 0 },		/* before one */
		{ "no water since monday", 2, 0 },
		{ "停水两天了", 3, 0 },		/* no space */
		{ "停水 ", 6, 0 },		/* at the end */
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		if (text_clause_space(rows[i].raw, rows[i].at) != rows[i].want)
			fail_msg("\"%s\" at %zu: %zu, not %zu", rows[i].raw,
			    rows[i].at, text_clause_space(rows[i].raw,
			    rows[i].at), rows[i].want);
	assert_int_equal(text_clause_space(NULL, 0), 0);
}

static void
test_dialect_rows(void **state)
{
	static const struct {
		const char	*in, *out;
	} rows[] = {
		/* Cantonese */
		{ "水坑村冇电两日", "水坑村没电两日" },
		{ "屋企啲雪柜唔凍", "家里些冰箱不冻" },
		{ "条街黑蚊蚊，睇唔到路", "条街黑乎乎看不到路" },
		{ "嘈到瞓唔着", "吵到睡不着" },
		{ "係咁㗎喇", "是这样㗎喇" },
		/* Sichuan, Chongqing */
		{ "屋头莫得水，咋个办嘛", "家里没水怎么办嘛" },
		{ "后山在往下梭，坡坡垮了", "后山在往下滑坡坡塌了" },
		{ "娃儿放学路上黢黑的", "孩子放学路上漆黑的" },
		/* Guizhou: 喊 to tell, 坏起, 耍 */
		{ "灯坏起也没人修，恼火得很", "灯坏了也没人修受不了" },
		{ "喊我们等着，外地来耍的都骂", "叫我们等着外地来玩的都骂" },
		{ "门口一个水凼凼", "门口一个水坑" },
		/* northern Shaanxi: 黑地里 is at night, 额 is I */
		{ "额们村黑地里大车轰轰的，一黑夜没睡", "我们村夜里大车轰轰的一整夜没睡" },
		{ "额家门口的灯瞎了，嫑说了", "我家门口的灯坏了不要说了" },
		/* until nightfall is when; once it is dark is kept */
		{ "电钻从早到黑，周末打到天黑", "电钻从早到晚周末打到晚上" },
		{ "一到天黑就看不见", "一到天黑就看不见" },
		/* the north-east, Wu */
		{ "楼道埋汰得很，咋整", "楼道脏得很怎么办" },
		{ "屋里贼冷", "屋里很冷" },
		{ "那条道让雪埋了，屯子出不去", "那条路让雪埋了村子出不去" },
		{ "这电贼弱，整宿没来电", "这电很弱整夜没来电" },
		/* Xiang */
		{ "停水两天哒，伢子么子都冇得恰", "停水两天了孩子什么都没恰" },
		{ "何解冇人管", "为什么没人管" },
		{ "侬好，阿拉弄堂里弗通水", "你好我们弄堂里不通水" },
		{ "一落大雨水没到脚馒头，屋里向都是水", "一下大雨水没到膝盖屋里都是水" },
		{ "电驴子停在楼道里，啥人也勿晓得", "电动车停在楼道里谁也不知道" },
		{ "评估个价钿太低，钞票今朝还没拿到", "评估个价钱太低钱今天还没拿到" },
		{ "那段路年时就挖开了", "那段路去年就挖开了" },
		{ "屋里厢呒没电，火表也勿转", "家里没有电电表也不转" },
		{ "伊拉夜到吵煞，小囡勿好困觉", "他们晚上吵死孩子不好睡觉" },
		/* 闽南: 厝 the house, 无 no, 歹去 broken, 暗暝 the night */
		{ "阮厝内无水两工了", "我家里没水两工了" },
		{ "巷仔的路灯歹去，暗时乌暗", "巷仔的路灯坏了晚上漆黑" },
		{ "厝边暗暝足吵，眠袂去", "邻居夜里很吵睡不着" },
		{ "风颱来了，厝顶漏水", "台风来了屋顶漏水" },
		/* Gansu: 么 no, 尕 small, 阿达 where; 黑更半夜 is when */
		{ "庄里么水三天了", "庄里没水三天了" },
		{ "尕娃上学的路阿达都是坑", "小孩上学的路哪里都是坑" },
		{ "黑更半夜的还在放音乐", "半夜的还在放音乐" },
		/* Shandong: 夜来 is yesterday */
		{ "夜来又停电了", "昨天又停电了" },
		/* Cantonese: people, things, weather, verbs, 系唔系 */
		{ "细路仔跌亲，隔篱屋个阿婆话水喉冇水",
		    "小孩摔伤邻居个阿婆话水龙头没水" },
		{ "琴晚打风，坑渠塞晒，成条街水浸",
		    "昨晚刮台风下水道全堵了整条街水淹" },
		{ "啲电线冧咗落嚟，唔该快啲嚟睇下",
		    "些电线塌了下来劳驾快些来看下" },
		{ "我哋条村俾人偷咗电缆，系唔系冇人管",
		    "我们条村被人偷了电缆是不是没人管" },
		/* 闽南, 闽东: 做风 is a typhoon, 做风险 a risk */
		{ "阿嬷破病，透早就腹肚疼，袂使行路",
		    "奶奶生病一大早就肚子疼不能走路" },
		{ "昨昏做风台，厝顶崩去，伊厝规暝无电",
		    "昨天刮台风屋顶塌了他家整夜没电" },
		{ "村里昨暝做风，要做风险评估", "村里昨夜刮台风要做风险评估" },
		{ "我侬村今旦冇水", "我们村今天没水" },
		/* Hakka: 屋下 is home, not 房屋下沉 */
		{ "𠊎屋下个灶下漏水，细人仔冇地方睡目",
		    "我屋里个厨房漏水小孩没地方睡觉" },
		{ "今晡日落大水，房屋下沉，详细人数不清",
		    "今天下大雨房屋下沉详细人数不清" },
		/* Wu, Xiang, the south-west */
		{ "夜里向水管断脱，灶披间汏浴也呒没水，急煞",
		    "夜里水管断掉厨房洗澡也没有水急死" },
		{ "堂客跘交哒，细伢子冒有人管", "妻子摔交了小孩没有人管" },
		{ "电瓶车遭偷了，脑壳痛，莫法", "电瓶车被偷了头痛没办法" },
		{ "院坝头的娃娃没得人管", "院子头的孩子没人管" },
		/* 江淮, 中原: 阿有 asks, 不中 is no good, 不中断 is kept */
		{ "阿有人管，黑来路上冇灯", "有没有人管晚上路上没灯" },
		{ "俺村那条路咋整都不中了，恁家也一样",
		    "我村那条路怎么办都不行了你家也一样" },
		{ "不中断供水", "不中断供水" },
		/* 冀鲁, 东北, 西北, 晋 */
		{ "夜儿个黑间停电，甭说了", "昨天夜里停电不用说了" },
		{ "这嘎达贼拉冷，苞米地让大烟炮埋了",
		    "这里很冷玉米地让暴风雪埋了" },
		{ "庄里么有水，阿扎都寻不到", "庄里没有水哪里都寻不到" },
		{ "做甚也不管，甚时候修，他甚至不来",
		    "干什么也不管什么时候修他甚至不来" },
		/* 赣, 闽东, 湘, 江淮, 西北, 晋 */
		{ "𠮶里夜边就停电，依伯冒看见人来修",
		    "那里傍晚就停电大伯没看见人来修" },
		{ "嘿冷，么钱买炭，没甚么办法", "很冷没钱买炭没什么办法" },
		/* Mandarin words kept whole: 么 of 什么, 何解 of 如何解决, 年时
		 * of 三年时间, 夜来 of 半夜来, 阿拉 of 阿拉伯, 查某 of 检查某 */
		{ "什么水都没有，怎么人都不来", "什么水都没有怎么人都不来" },
		{ "如何解决？拖了三年时间，过年时也停电",
		    "如何解决拖了三年时间过年时也停电" },
		{ "半夜来电又停，阿拉伯数字写错",
		    "半夜来电又停阿拉伯数字写错" },
		{ "检查某处路堵起来了，夜晚黑乎乎",
		    "检查某处路堵起来了夜晚黑乎乎" },
		/* Mandarin as it is: 系 of 关系, 整 of 整修, 梭 alone */
		{ "关系到整条路的整修", "关系到整条路的整修" },
		{ "大喊大叫，黑夜里漆黑一片，金额不对", "大喊大叫黑夜里漆黑一片金额不对" },
		{ "", "" },
	};
	char	*f, *d;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		f = text_fold(rows[i].in);
		d = text_dialect(f);
		if (strcmp(d, rows[i].out) != 0)
			fail_msg("\"%s\": \"%s\", not \"%s\"", rows[i].in, d,
			    rows[i].out);
		free(d);
		free(f);
	}
}

/*
 * The pinyin of U+3400..U+9FFF written at build time (tools/pinyin_table.c)
 * is what ICU's Han-Latin reads now, character by character; and one past
 * the table (an ideograph of Extension B) is read by ICU itself.
 */
static void
test_pinyin_table(void **state)
{
	UParseError	 pe;
	UErrorCode	 err = U_ZERO_ERROR;
	UTransliterator	*t;
	UChar		 buf[32];
	char		 want[16], got[16];
	int32_t		 n, lim, i;
	size_t		 o, checked = 0;
	uint32_t	 cp;

	(void)state;
	t = utrans_openU(u"Han-Latin; Latin-ASCII", -1, UTRANS_FORWARD, NULL, 0,
	    &pe, &err);
	assert_true(U_SUCCESS(err));
	for (cp = 0x3400; cp <= 0x9FFF; cp++) {
		if (!u_hasBinaryProperty((UChar32)cp, UCHAR_IDEOGRAPHIC))
			continue;
		n = 0;
		U16_APPEND_UNSAFE(buf, n, (UChar32)cp);
		lim = n;
		err = U_ZERO_ERROR;
		utrans_transUChars(t, buf, &n, (int32_t)nitems(buf), 0, &lim, &err);
		assert_true(U_SUCCESS(err));
		for (i = 0, o = 0; i < n && o + 1 < sizeof(want); i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				want[o++] = (char)buf[i];
			else if (buf[i] >= 'A' && buf[i] <= 'Z')
				want[o++] = (char)(buf[i] - 'A' + 'a');
		want[o] = '\0';
		text_syllable(cp, got, sizeof(got));
		if (strcmp(got, want) != 0)
			fail_msg("U+%04X: \"%s\", ICU \"%s\"", (unsigned)cp, got, want);
		checked++;
	}
	assert_true(checked > 20000);
	utrans_close(t);
	/* 𠊎 (U+2028E, Hakka "I"), beyond the table */
	assert_true(text_syllable(0x2028E, got, sizeof(got)) > 0);
	/* the commonest, as a check on the packing */
	text_syllable(0x8DEF /* 路 */, got, sizeof(got));
	assert_string_equal(got, "lu");
	text_syllable(0x706F /* 灯 */, got, sizeof(got));
	assert_string_equal(got, "deng");
}

/* Figures of speech blanked (to spaces), the rest as it was; a literal
 * sense kept. */
static void
test_figures_rows(void **state)
{
	static const struct {
		const char	*in, *out;
	} rows[] = {
		{ "几万块钱打水漂了", "几万块钱了" },
		{ "找代表倒倒苦水，水苦得很", "找代表倒，水苦得很" },
		{ "路口堵得水泄不通", "路口堵得" },
		{ "黑心老板踢皮球", "老板" },
		/* literal: a bitter well, a dark road, a pit */
		{ "井里的水是苦水", "井里的水是苦水" },
		{ "路上黑灯瞎火，有个大坑", "路上黑灯瞎火,有个大坑" },
		{ "", "" },
	};
	char	*f, *want, *p, *q;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		f = text_fold(rows[i].in);
		text_figures_blank(f);
		/* blanked in place: the figure's bytes are spaces */
		for (p = q = f; *p != '\0'; p++)
			if (*p != ' ')
				*q++ = *p;
		*q = '\0';
		want = text_fold(rows[i].out);
		if (strcmp(f, want) != 0)
			fail_msg("\"%s\": \"%s\", not \"%s\"", rows[i].in, f, want);
		free(want);
		free(f);
	}
	text_figures_blank(NULL);
}

/*
 * Two counties of kinds no corpus row is from, in one config: a
 * south-eastern coast (typhoons, sea farms, factories, tea, those abroad)
 * and a dry upland (drought, potatoes, herbs, herds, dust).
 */
static const char upland_coast_config[] =
"{"
" \"server\": {\"listen\": \"127.0.0.1:0\", \"public_url\": \"http://127.0.0.1\","
"   \"admin_token_env\": \"MINYI_ADMIN_TOKEN\"},"
" \"store\": {\"path\": \"var/test.db\"},"
" \"channels\": [{\"id\": \"sim\", \"adapter\": \"sim\"}],"
" \"deputies\": [{\"id\": \"d-a\", \"name\": \"A\", \"phone\": \"13800138000\","
"   \"level\": \"township\"}],"
" \"departments\": [],"
" \"townships\": [{\"id\": \"t\", \"name\": \"海口镇\", \"chair\": \"d-a\"}],"
" \"grids\": [{\"id\": \"g\", \"name\": \"东澳村\", \"township\": \"t\","
"    \"deputies\": [\"d-a\"]}],"
" \"categories\": ["
"   {\"id\": \"light\", \"name\": \"路灯照明\", \"keywords\": [\"路灯\"], \"tier\": 2},"
"   {\"id\": \"garbage\", \"name\": \"垃圾清运\", \"keywords\": [\"垃圾\"],"
"     \"tier\": 1},"
"   {\"id\": \"port\", \"name\": \"渔港码头\", \"name_en\": \"Fishing port\","
"     \"keywords\": [\"渔港\", \"码头\"], \"tier\": 2},"
"   {\"id\": \"water\", \"name\": \"人饮安全\", \"keywords\": [\"自来水\", \"饮水\"],"
"     \"tier\": 2},"
"   {\"id\": \"power\", \"name\": \"用电\", \"keywords\": [\"停电\", \"电压\"],"
"     \"tier\": 2},"
"   {\"id\": \"road\", \"name\": \"道路交通\", \"keywords\": [\"道路\", \"路面\"],"
"     \"tier\": 2},"
"   {\"id\": \"typhoon\", \"name\": \"防台防汛\", \"keywords\": [\"台风\", \"防汛\"],"
"     \"tier\": 1},"
"   {\"id\": \"seafarm\", \"name\": \"海水养殖\", \"keywords\": [\"渔排\"], \"tier\": 2},"
"   {\"id\": \"pollution\", \"name\": \"环境污染\", \"keywords\": [\"污染\", \"排污\"],"
"     \"tier\": 2},"
"   {\"id\": \"tea\", \"name\": \"茶叶收购\", \"keywords\": [\"茶叶\"], \"tier\": 2},"
"   {\"id\": \"overseas\", \"name\": \"涉侨事务\", \"keywords\": [\"华侨\"], \"tier\": 2},"
"   {\"id\": \"drought\", \"name\": \"抗旱\", \"keywords\": [\"抗旱\"], \"tier\": 2},"
"   {\"id\": \"potato\", \"name\": \"马铃薯收购\", \"keywords\": [\"马铃薯\"], \"tier\": 2},"
"   {\"id\": \"herbs\", \"name\": \"中药材\", \"keywords\": [\"药材\"], \"tier\": 2},"
"   {\"id\": \"herds\", \"name\": \"牛羊养殖\", \"keywords\": [\"养羊\", \"养牛\"],"
"     \"tier\": 2},"
"   {\"id\": \"dust\", \"name\": \"风沙治理\", \"keywords\": [\"风沙\"], \"tier\": 2}]"
"}";

/*
 * The built-in words of such categories join them through their names
 * and keywords, each row fresh: want the category taken (from 0.9), or
 * NULL: none.
 */
static void
test_upland_coast_rows(void **state)
{
	static const struct {
		const char	*text, *want;
	} rows[] = {
		{ "海带和紫菜今年全烂了，说是赤潮", "seafarm" },
		{ "海堤有一段叫潮水冲垮了", "typhoon" },
		{ "石材厂天天冒黑烟，粉尘落得到处都是", "pollution" },
		{ "收茶的压价，茶青卖不出去", "tea" },
		{ "侨房叫人占了，归侨回来没地方住", "overseas" },
		{ "今年天旱，地膜底下的苗都干死了", "drought" },
		{ "麦子出来一半就干死了，啥时候能浇上水", "drought" },
		{ "地里一点墒都没有，苗子出不来", "drought" },
		{ "洋芋收购压价，淀粉厂只给三毛", "potato" },
		{ "当归药价跌得厉害，药商都不来了", "herbs" },
		{ "养的羊饲料不够，草料也涨价了", "herds" },
		{ "刮了三天沙尘暴，尘土进屋", "dust" },
		{ "potatoes in our village cannot be sold", "potato" },
		{ "Our fish rafts were smashed and the kelp is gone", "seafarm" },
		{ "the chemical plant discharges sewage into the creek",
		  "pollution" },
		/* a group joins a category by its name only when no other
		 * category's keyword is the group's: 环境 of 环境污染 brings
		 * no rubbish to pollution, fishing of Fishing port no fish
		 * farms to the port */
		{ "海边沙滩上塑料瓶泡沫堆成山", "garbage" },
		{ "紫菜一夜之间全烂了，说是赤潮", "seafarm" },
		{ "溪水发臭发黑，上游有厂偷排", "pollution" },
		/* ... and 安全 of 人饮安全 (drinking water safety) brings no
		 * words of hazards (电线, 歪) to water */
		{ "刮风刮得电线杆都歪了，电也停了", "power" },
		/* no noise category: 黑更半夜 (when) names no light */
		{ "黑更半夜的还有人放音乐", NULL },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	struct text_index	*ix;
	int			 order[CONV_CHOICES_MAX];
	double			 p;
	size_t			 i;

	(void)state;
	cfg = config_load_string(upland_coast_config, &errs);
	print_errors(&errs);
	config_errors_free(&errs);
	assert_non_null(cfg);
	assert_true(cfg->ncategories <= CONV_CHOICES_MAX);
	ix = text_index_new(cfg);
	for (i = 0; i < nitems(rows); i++) {
		p = classifier_rank(text_classifier(ix), rows[i].text, order, NULL);
		if (rows[i].want == NULL ? p >= 0.9 : p < 0.9 ||
		    strcmp(cfg->categories[order[0]].id, rows[i].want) != 0)
			fail_msg("\"%s\": %s at %.2f, not %s", rows[i].text,
			    cfg->categories[order[0]].id, p,
			    rows[i].want != NULL ? rows[i].want : "none");
	}
	text_index_free(ix);
	config_free(cfg);
}

/*
 * A group joins by a word of a category's English name only as a whole
 * word: "Roads and transport" holds no port (码头, 泊船 are no roads').
 */
static const char transport_config[] =
"{"
" \"server\": {\"listen\": \"127.0.0.1:0\", \"public_url\": \"http://127.0.0.1\","
"   \"admin_token_env\": \"MINYI_ADMIN_TOKEN\"},"
" \"store\": {\"path\": \"var/test.db\"},"
" \"channels\": [{\"id\": \"sim\", \"adapter\": \"sim\"}],"
" \"deputies\": [{\"id\": \"d-a\", \"name\": \"A\", \"phone\": \"13800138000\","
"   \"level\": \"township\"}],"
" \"departments\": [],"
" \"townships\": [{\"id\": \"t\", \"name\": \"海口镇\", \"chair\": \"d-a\"}],"
" \"grids\": [{\"id\": \"g\", \"name\": \"东澳村\", \"township\": \"t\","
"    \"deputies\": [\"d-a\"]}],"
" \"categories\": ["
"   {\"id\": \"light\", \"name\": \"路灯照明\", \"keywords\": [\"路灯\"], \"tier\": 2},"
"   {\"id\": \"road\", \"name\": \"道路交通\", \"name_en\": \"Roads and transport\","
"     \"keywords\": [\"道路\"], \"tier\": 2},"
"   {\"id\": \"water\", \"name\": \"饮水\", \"keywords\": [\"停水\"], \"tier\": 2}]"
"}";

static void
test_name_en_words(void **state)
{
	static const char *const none[] = {
		"船没地方泊，停船的地方叫人占了",
		"渔船靠不了岸",
		"the boats have nowhere to moor at the pier",
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	struct text_index	*ix;
	int			 order[CONV_CHOICES_MAX];
	double			 p;
	size_t			 i;

	(void)state;
	cfg = config_load_string(transport_config, &errs);
	print_errors(&errs);
	config_errors_free(&errs);
	assert_non_null(cfg);
	ix = text_index_new(cfg);
	for (i = 0; i < nitems(none); i++) {
		p = classifier_rank(text_classifier(ix), none[i], order, NULL);
		if (p >= 0.9)
			fail_msg("\"%s\": %s at %.2f, not none", none[i],
			    cfg->categories[order[0]].id, p);
	}
	/* the road's own words still say roads */
	p = classifier_rank(text_classifier(ix), "路上全是坑，车都过不去", order, NULL);
	assert_true(p >= 0.9);
	assert_string_equal(cfg->categories[order[0]].id, "road");
	text_index_free(ix);
	config_free(cfg);
}

/* A county of one township and one village, its categories (JSON)
 * given: for classifier rows that need categories of their own. */
#define SMALL_CONFIG_HEAD \
"{" \
" \"server\": {\"listen\": \"127.0.0.1:0\", \"public_url\": \"http://127.0.0.1\"," \
"   \"admin_token_env\": \"MINYI_ADMIN_TOKEN\"}," \
" \"store\": {\"path\": \"var/test.db\"}," \
" \"channels\": [{\"id\": \"sim\", \"adapter\": \"sim\"}]," \
" \"deputies\": [{\"id\": \"d-a\", \"name\": \"A\", \"phone\": \"13800138000\"," \
"   \"level\": \"township\"}]," \
" \"departments\": []," \
" \"townships\": [{\"id\": \"t\", \"name\": \"海口镇\", \"chair\": \"d-a\"}]," \
" \"grids\": [{\"id\": \"g\", \"name\": \"东澳村\", \"township\": \"t\"," \
"    \"deputies\": [\"d-a\"]}]," \
" \"categories\": ["
#define SMALL_ROAD_WATER \
"   {\"id\": \"road\", \"name\": \"道路\", \"name_en\": \"Roads\"," \
"     \"keywords\": [\"道路\"], \"tier\": 2}," \
"   {\"id\": \"water\", \"name\": \"饮水\", \"keywords\": [\"停水\"], \"tier\": 2}"

/*
 * A category's English name whose last word says little alone (Ethnic
 * affairs, Schistosomiasis control, Elderly care) is about the word
 * before it; a last word that says what (Street lights) keeps the word
 * before it out (street is where vendors and potholes are too).
 */
static const char heads_categories[] =
"   {\"id\": \"ethnic\", \"name\": \"民族事务\", \"name_en\": \"Ethnic affairs\","
"     \"keywords\": [\"少数民族\"], \"tier\": 2},"
"   {\"id\": \"schisto\", \"name\": \"血吸虫防治\","
"     \"name_en\": \"Schistosomiasis control\", \"keywords\": [\"血吸虫\"],"
"     \"tier\": 2},"
"   {\"id\": \"light\", \"name\": \"路灯\", \"name_en\": \"Street lights\","
"     \"keywords\": [\"路灯\"], \"tier\": 2}," SMALL_ROAD_WATER;

/* the fishing ban's retired fishers, told by the living they lost; snail
 * fever by its snails */
static const char fishers_categories[] =
"   {\"id\": \"fisher\", \"name\": \"退捕渔民\", \"keywords\": [\"退捕\", \"转产\"],"
"     \"tier\": 2},"
"   {\"id\": \"poaching\", \"name\": \"非法捕捞\", \"keywords\": [\"电鱼\"],"
"     \"tier\": 2},"
"   {\"id\": \"elderly\", \"name\": \"留守老人\", \"keywords\": [\"留守\"],"
"     \"tier\": 2},"
"   {\"id\": \"schisto\", \"name\": \"血吸虫防治\", \"keywords\": [\"血吸虫\"],"
"     \"tier\": 2},"
"   {\"id\": \"school\", \"name\": \"上学\", \"keywords\": [\"学校\"], \"tier\": 2},"
    SMALL_ROAD_WATER;

/* pollution in the air and in the water, two categories of a county of
 * kilns: each learns its own signs */
static const char kilns_categories[] =
"   {\"id\": \"kiln\", \"name\": \"窑炉烟气\", \"keywords\": [\"窑炉\", \"黑烟\","
"     \"废气\", \"烟囱\"], \"tier\": 2},"
"   {\"id\": \"river\", \"name\": \"溪河污染\", \"keywords\": [\"排污\", \"溪水\","
"     \"死鱼\"], \"tier\": 2}," SMALL_ROAD_WATER;

/* moving down from the hills (搬下来, 从山上) and wild animals: the
 * pieces every message says (下来, 山上) teach neither */
static const char hills_categories[] =
"   {\"id\": \"relocation\", \"name\": \"搬迁安置\", \"keywords\": [\"搬迁\","
"     \"安置房\", \"易地搬迁\"], \"tier\": 2},"
"   {\"id\": \"boar\", \"name\": \"野猪毁庄稼\", \"keywords\": [\"野猪\"], \"tier\": 2},"
    SMALL_ROAD_WATER;

/* unpaid wages (一分钱也没拿) beside the lights: 也没, 都没 are every
 * complaint's, no clue of pay */
static const char pay_categories[] =
"   {\"id\": \"wages\", \"name\": \"欠薪\", \"keywords\": [\"工资\"], \"tier\": 2},"
"   {\"id\": \"light\", \"name\": \"路灯\", \"keywords\": [\"路灯\"], \"tier\": 2},"
    SMALL_ROAD_WATER;

/* fish ponds, unsafe houses and a market: 鱼 and 屋 alone are anyone's
 * (卖鱼的秤, 屋里) */
static const char pond_categories[] =
"   {\"id\": \"pond\", \"name\": \"鱼塘养殖\", \"keywords\": [\"鱼塘\"], \"tier\": 2},"
"   {\"id\": \"house\", \"name\": \"危房\", \"keywords\": [\"危房\"], \"tier\": 2},"
"   {\"id\": \"market\", \"name\": \"市场\", \"keywords\": [\"市场\"], \"tier\": 2},"
    SMALL_ROAD_WATER;

/* rubber beside tea: tapping and the latex's price are rubber's; poaching
 * and sand dredging told in English */
static const char rubber_categories[] =
"   {\"id\": \"rubber\", \"name\": \"橡胶\", \"keywords\": [\"橡胶\"], \"tier\": 2},"
"   {\"id\": \"tea\", \"name\": \"茶叶\", \"keywords\": [\"茶叶\"], \"tier\": 2},"
"   {\"id\": \"poaching\", \"name\": \"非法捕捞\", \"keywords\": [\"电鱼\"],"
"     \"tier\": 2},"
"   {\"id\": \"sand\", \"name\": \"非法采砂\", \"keywords\": [\"采砂\"],"
"     \"tier\": 2},"
"   {\"id\": \"ferry\", \"name\": \"渡船\", \"keywords\": [\"渡船\", \"boat\"],"
"     \"tier\": 2}," SMALL_ROAD_WATER;

/* a slope that slides and a slope that ices: each its own words */
static const char slope_categories[] =
"   {\"id\": \"slide\", \"name\": \"滑坡\", \"keywords\": [\"滑坡\"], \"tier\": 2},"
"   {\"id\": \"snow\", \"name\": \"清雪\", \"keywords\": [\"清雪\"], \"tier\": 2},"
    SMALL_ROAD_WATER;

/* A text under a small county's categories: want first at min or more;
 * want NULL: none at min or more, or (unlike set) not unlike there. */
struct small_row {
	const char	*categories;
	const char	*text;
	const char	*want;
	const char	*unlike;
	double		 min;
};

static const struct small_row small_rows[] = {
	{ heads_categories, "my ethnic minority student subsidy has not arrived",
	  "ethnic", NULL, 0.5 },
	{ heads_categories, "can the schistosomiasis station come and check",
	  "schisto", NULL, 0.5 },
	{ heads_categories, "the street is full of stalls", NULL, NULL, 0.5 },
	{ fishers_categories, "我们这些原来在湖里讨生活的，船交了，一年到头冇进项",
	  "fisher", NULL, 0.9 },
	{ fishers_categories, "lots of snails in the ditches by the lake",
	  "schisto", NULL, 0.5 },
	/* 了一 (打了一辈子鱼) is a piece every story holds: 摔了一跤 and
	 * 一天一夜 are an old man's fall, not a fisher's living */
	{ fishers_categories,
	  "隔壁的五爹一个人住，儿女都在浙江，前几天摔了一跤在屋里躺了一天一夜",
	  "elderly", NULL, 0.5 },
	{ kilns_categories, "那间厂每天夜里一烧起来，那个味呛得喉咙痛，囝仔一直咳",
	  "kiln", NULL, 0.5 },
	{ kilns_categories, "厂里的黑水直接往沟里放，下游都发臭了", "river", NULL,
	  0.5 },
	{ hills_categories, "山上那些野东西一到秋天就下来", NULL, "relocation",
	  0.9 },
	{ pay_categories, "这事也没人来看一下，问了都没人管", NULL, "wages",
	  0.5 },
	/* 钱 alone is anyone's money (a subsidy's, a deduction's): no pay */
	{ pay_categories, "以前每个月卡上有几十块钱，今年突然就没打了", NULL,
	  "wages", 0.5 },
	{ rubber_categories, "天天半夜起来割胶，收胶的老板还要扣水，一公斤才十块",
	  "rubber", NULL, 0.9 },
	{ rubber_categories, "the latex price is so low, we get up at 2 am to "
	  "cut the trees", "rubber", NULL, 0.9 },
	{ rubber_categories, "people come at night with a generator to shock the "
	  "fish near our boats", "poaching", NULL, 0.5 },
	{ rubber_categories, "big ships sucking up the lake bottom every night",
	  "sand", NULL, 0.9 },
	{ slope_categories, "后面那座山的泥巴一直溜下来，屋后的边坡垮了一截",
	  "slide", NULL, 0.9 },
	{ slope_categories, "门口那个大坡早上一层亮溜溜的，人走都得扶着墙",
	  "snow", NULL, 0.9 },
	{ pond_categories, "屋里冷得很", NULL, "house", 0.5 },
	{ pond_categories, "街上卖鱼的那家秤不准，少了好几两", NULL, "pond", 0.5 },
	/* ... while moving down still says it */
	{ hills_categories, "我们从山上搬下来三年了，房子还没分", "relocation",
	  NULL, 0.9 },
};

static void
test_small_rows(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg = NULL;
	struct text_index	*ix = NULL;
	const char		*loaded = NULL, *first;
	char			 json[4096];
	int			 order[CONV_CHOICES_MAX];
	double			 p;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(small_rows); i++) {
		const struct small_row	*r = &small_rows[i];

		if (r->categories != loaded) {
			text_index_free(ix);
			config_free(cfg);
			snprintf(json, sizeof(json), "%s%s]}", SMALL_CONFIG_HEAD,
			    r->categories);
			cfg = config_load_string(json, &errs);
			print_errors(&errs);
			config_errors_free(&errs);
			assert_non_null(cfg);
			ix = text_index_new(cfg);
			loaded = r->categories;
		}
		p = classifier_rank(text_classifier(ix), r->text, order, NULL);
		first = cfg->categories[order[0]].id;
		if (r->want != NULL ? p < r->min || strcmp(first, r->want) != 0 :
		    p >= r->min && (r->unlike == NULL || strcmp(first,
		    r->unlike) == 0))
			fail_msg("\"%s\": %s at %.2f, not %s", r->text, first, p,
			    r->want != NULL ? r->want : r->unlike != NULL ?
			    "that" : "none");
	}
	text_index_free(ix);
	config_free(cfg);
}

/*
 * What the classifier reads, by kind, each row written fresh for its
 * rule under the county named: want the category taken (from 0.9), or
 * NULL: none taken (below 0.9, a question).
 *  - a time of day is no clue (晚上, 凌晨, night): the problem's words are;
 *  - dialect words are read in Mandarin;
 *  - the built-in words of slides, irrigation, buses, ports, estates,
 *    building join the county's own such categories;
 *  - the words of one category alone, weighing as its name or keyword
 *    does, are taken among however many categories (power cut);
 *  - a pair's pinyin alone is no such clue (大件 sounds like 搭建).
 */
static void
test_clue_rows(void **state)
{
	static const struct {
		const char	*config;
		const char	*text;
		const char	*want;
	} rows[] = {
		{ "county2", "晚上十一点了隔壁还在放音乐", "noise" },
		{ "county2", "半夜下大雨院子里都淹了", "drainage" },
		{ "county6", "工地凌晨还在打桩，咚咚咚的", "zaoyin" },
		{ "county6", "桥面烂了个大洞，晚上看不到", "lu" },
		{ "county6", "下大雨后面那块地不对劲", NULL },
		{ "county6", "晚上十点以后就没人了", NULL },
		{ "county7", "成条村冇电，雪柜啲嘢坏晒", "gongdian" },
		{ "county7", "夜晚条街黑蚊蚊", "ludeng" },
		{ "county6", "屋头啥子电器都用不成", "dian" },
		{ "county6", "后山的坡坡往下梭", "huapo" },
		{ "county6", "上头不开闸，秧田都干了", "guangai" },
		{ "county6", "去城里一天只有一趟车", "banche" },
		{ "county7", "船冇地方泊", "yugang" },
		{ "county7", "有人偷偷加建铁皮屋", "weijian" },
		{ "county7", "the lift is broken and the management company does nothing",
		  "wuye" },
		{ "county6", "power cut for two days", "dian" },
		{ "county7", "no water since Monday", "gongshui" },
		{ "county7", "搞到好大件事", NULL },
		/* selling the harvest, cave dwellings, Grain for Green,
		 * relocation, scenic areas: the built-in words join the
		 * county's such categories */
		{ "county10", "收购站的秤压得太狠，一袋少了十来斤", "apple" },
		{ "county10", "果园的果子卖不出去，果商往死里压价", "apple" },
		{ "county10", "我家那孔土窑顶上裂开了", "yaodong" },
		{ "county10", "退耕的钱三年没见着", "tuigeng" },
		{ "county10", "种的生态林补助一直没发", "tuigeng" },
		{ "county10", "对门唱K吼到后半夜", "noise" },
		{ "county11", "楼上电锤从早上打到天黑", "noise" },
		/* English ways of saying the power fails */
		{ "county7", "the power keeps going off every evening", "gongdian" },
		{ "county10", "electricity went off again this morning", "power" },
		{ "county11", "the power keeps cutting out", "power" },
		/* 黑地里 (at night) is no dark street */
		{ "county10", "黑地里拉煤的车轰轰响，窗子都在抖", "noise" },
		{ "county11", "楼下那家店天天敲敲打打，喊他们小声点也不听", "noise" },
		{ "county11", "烟站把我家的烤烟压级了", "tobacco" },
		{ "county11", "搬到安置点三年了不动产证还没下来", "relocation" },
		{ "county11", "景点门票贵得很，游客都不来了", "scenic" },
		{ "county11", "溶洞里头的栈道烂了", "scenic" },
		{ "county11", "relocated families still have no certificates",
		  "relocation" },
		{ "county11", "the tobacco buyer graded our leaves far too low",
		  "tobacco" },
		/* a water town's canals, typhoons, e-bikes, demolition and
		 * fish ponds; a banner's pasture, subsidy and herds */
		{ "county12", "门前小河里漂满了水葫芦和水草", "river" },
		{ "county12", "刮台风那天海塘边上涨水了", "flood" },
		{ "county12", "楼下有人拉飞线给电瓶车充电", "ebike" },
		{ "county12", "拆迁补偿款到现在还没拿到", "demolition" },
		{ "county12", "鱼塘的增氧机坏了，鱼都浮头了", "fishery" },
		{ "county13", "邻居把网围栏往我家草场挪了一百米", "grassland" },
		{ "county13", "草畜平衡的奖励钱还没到账", "subsidy" },
		{ "county13", "好几只羊口蹄疫了，兽医也不来", "livestock" },
		{ "county13", "the vet never came to vaccinate our sheep", "livestock" },
		{ "county13", "our cows need vaccination", "livestock" },
		/* an oil field's words (钻井, 黑油), a small bridge's (小桥,
		 * heard in 小乔) */
		{ "county166", "那边钻井的车刚走，沟里淌的都是黑油，羊都不喝了",
		  "oilfield" },
		{ "county17", "村口那座小乔被大水冲歪了，人走上去晃来晃去",
		  "road" },
		/* fire safety in rented rooms (电线乱扯, 出租房), no heating */
		{ "county32", "出租房住了老些外地人，电线乱扯，有的在屋里烧煤炉"
		  "子，真怕出点事", "fire" },
		/* snow on the pastures (白茫茫, 扒不出草) */
		{ "county224", "草场上白茫茫一片，羊扒不出草来吃，已经冻死了好几只",
		  "snow" },
		/* a cattle farm's dung washed into the pond (牛屎牛尿) */
		{ "county29", "后头那个养牛的，牛屎牛尿都往村后的大湾里冲，湾里的水"
		  "都变绿了，那味没法闻", "livestock" },
		/* dung burnt where coal is short (烧牛粪), no filth */
		{ "county171", "今年冬天的煤还没拉来，家里只剩半袋子了，光烧牛粪不"
		  "够", "heating" },
		/* the one left with nothing (一个人住, 瞎眼, 米缸都空了) */
		{ "county17", "有个瞎眼老太太一个人住，八十多了，米缸都空了",
		  "aid" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	struct text_index	*ix;
	int			 order[CONV_CHOICES_MAX];
	double			 p;
	char			 path[128];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		snprintf(path, sizeof(path), "tests/data/config/%s.json",
		    rows[i].config);
		cfg = config_load(path, &errs);
		print_errors(&errs);
		config_errors_free(&errs);
		assert_non_null(cfg);
		assert_true(cfg->ncategories <= CONV_CHOICES_MAX);
		ix = text_index_new(cfg);
		p = classifier_rank(text_classifier(ix), rows[i].text, order, NULL);
		if (rows[i].want == NULL ? p >= 0.9 : p < 0.9 ||
		    strcmp(cfg->categories[order[0]].id, rows[i].want) != 0)
			fail_msg("%s: \"%s\": %s at %.2f, not %s", rows[i].config,
			    rows[i].text, cfg->categories[order[0]].id, p,
			    rows[i].want != NULL ? rows[i].want : "none");
		text_index_free(ix);
		config_free(cfg);
	}
}

/*
 * The background class (what every complaint says) takes a text that
 * says nothing else, under every count; once a word of a problem is said
 * it is out for classifier_rank and classifier_rank_topical, not for
 * classifier_rank_plain.  Second county's config.
 */
static void
test_background_rows(void **state)
{
	static const struct {
		const char	*text;
		const char	*category;	/* decided, or NULL: none */
		double		 plain_below;	/* the plain probability */
	} rows[] = {
		{ "晚上出门黑得很，一直没人来管", "lighting", 0.2 },
		{ "屋里冷得很，好久都这样了，没人管", "heating", 0.5 },
		{ "这个问题好几天了没人管", NULL, 0.2 },
		{ "一直没人管", NULL, 0.2 },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	struct text_index	*ix;
	int			 order[CONV_CHOICES_MAX];
	double			 p, pt, pp;
	size_t			 i;

	(void)state;
	cfg = config_load("tests/data/config/county2.json", &errs);
	print_errors(&errs);
	config_errors_free(&errs);
	assert_non_null(cfg);
	ix = text_index_new(cfg);
	for (i = 0; i < nitems(rows); i++) {
		pp = classifier_rank_plain(text_classifier(ix), rows[i].text, order,
		    NULL);
		if (pp >= rows[i].plain_below)
			fail_msg("\"%s\": plain %.2f", rows[i].text, pp);
		pt = classifier_rank_topical(text_classifier(ix), rows[i].text,
		    order, NULL);
		p = classifier_rank(text_classifier(ix), rows[i].text, order, NULL);
		if (rows[i].category == NULL ? p >= 0.2 || pt >= 0.2 :
		    p < 0.9 || pt < 0.9 || strcmp(cfg->categories[order[0]].id,
		    rows[i].category) != 0)
			fail_msg("\"%s\": %s at %.2f (topical %.2f), not %s",
			    rows[i].text, cfg->categories[order[0]].id, p, pt,
			    rows[i].category != NULL ? rows[i].category : "none");
	}
	text_index_free(ix);
	config_free(cfg);
}

/* One corpus or extra row: its place_row is the test's state. */
static void
test_example_row(void **state)
{
	check_row(&example, *state);
}

/* The corpus rows, read from the TSV: all of it is from malloc(). */
struct corpus {
	struct place_row *rows;
	size_t		  n;
	char		 *text;		/* the file, cut into the rows' strings */
};

static struct corpus corpus;

/* Read CORPUS into corpus; rows keep pointers into corpus.text. */
static int
corpus_read(void)
{
	struct place_row	*r;
	FILE			*fp = NULL;
	char			*line, *next, *tab1, *tab2;
	long			 sz;
	int			 rc = -1;

	if ((fp = fopen(CORPUS, "r")) == NULL)
		goto out;
	if (fseek(fp, 0, SEEK_END) != 0 || (sz = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0)
		goto out;
	corpus.text = xmalloc((size_t)sz + 1);
	if (fread(corpus.text, 1, (size_t)sz, fp) != (size_t)sz)
		goto out;
	corpus.text[sz] = '\0';
	corpus.rows = xcalloc((size_t)sz + 1, sizeof(*corpus.rows));
	for (line = corpus.text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (*line == '\0' || line == corpus.text)	/* header */
			continue;
		if ((tab1 = strchr(line, '\t')) == NULL ||
		    (tab2 = strchr(tab1 + 1, '\t')) == NULL)
			goto out;
		*tab1 = *tab2 = '\0';
		r = &corpus.rows[corpus.n++];
		r->text = line;
		r->category = tab1 + 1;
		r->place = tab2 + 1;
		r->township = NULL;
	}
	rc = 0;
out:
	if (fp != NULL)
		fclose(fp);
	return rc;
}

static void
test_corpus_read(void **state)
{
	(void)state;
	assert_true(corpus.n >= 18);
}

/* Every grid and category of the corpus's own lists is in the example. */
static void
test_corpus_lists(void **state)
{
	static const char *const grids[] = { "liuxindian", "yangji", "dazhao",
	    "wanglou", "puchengcun", "yancunpu" };
	static const char *const cats[] = { "streetlight", "water", "road",
	    "sanitation", "market", "safety", "elderly", "employment" };
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(grids); i++)
		assert_non_null(config_grid(example.cfg, grids[i]));
	for (i = 0; i < nitems(cats); i++)
		assert_non_null(config_category(example.cfg, cats[i]));
}

int
main(void)
{
	const struct CMUnitTest fold_tests[] = {
		cmocka_unit_test(test_fold_table),
		cmocka_unit_test(test_fold_null),
		cmocka_unit_test(test_strip_bidi),
		cmocka_unit_test(test_fold_ascii_path),
		cmocka_unit_test(test_fold_one_at_a_time),
		cmocka_unit_test(test_fold_long),
		cmocka_unit_test(test_fold_threads),
	};
	const struct CMUnitTest parse_tests[] = {
		cmocka_unit_test(test_parse_choice),
		cmocka_unit_test(test_parse_yesno),
		cmocka_unit_test(test_parse_number),
	};
	const struct CMUnitTest rule_tests[] = {
		cmocka_unit_test(test_index_rules),
		cmocka_unit_test(test_index_null),
		cmocka_unit_test(test_places_masked),
		cmocka_unit_test(test_where_masked),
		cmocka_unit_test(test_joins),
	};
	const struct CMUnitTest pinyin_tests[] = {
		cmocka_unit_test(test_pinyin_rows),
		cmocka_unit_test(test_pinyin_of),
		cmocka_unit_test(test_lexicon_rows),
		cmocka_unit_test(test_background_rows),
		cmocka_unit_test(test_dialect_rows),
		cmocka_unit_test(test_figures_rows),
		cmocka_unit_test(test_pinyin_table),
		cmocka_unit_test(test_place_named_first),
		cmocka_unit_test(test_clause_space),
		cmocka_unit_test(test_clue_rows),
		cmocka_unit_test(test_upland_coast_rows),
		cmocka_unit_test(test_name_en_words),
		cmocka_unit_test(test_small_rows),
	};
	struct CMUnitTest	*ex = NULL;
	char			**names = NULL;
	size_t			 nex = 0, i, max;
	int			 failed = 0;

	failed += cmocka_run_group_tests_name("text_fold", fold_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("text_parse", parse_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("text_index_rules", rule_tests,
	    rules_setup, rules_teardown);
	failed += cmocka_run_group_tests_name("text_pinyin", pinyin_tests,
	    pinyin_setup, pinyin_teardown);

	/* One test case per corpus row and per extra row. */
	if (corpus_read() == -1)
		print_error("cannot read %s\n", CORPUS);
	max = 2 + corpus.n + nitems(extra_rows);
	ex = xcalloc(max, sizeof(*ex));
	names = xcalloc(max, sizeof(*names));
	ex[nex++] = (struct CMUnitTest)cmocka_unit_test(test_corpus_read);
	ex[nex++] = (struct CMUnitTest)cmocka_unit_test(test_corpus_lists);
	for (i = 0; i < corpus.n; i++, nex++) {
		names[nex] = xasprintf("corpus: %s", corpus.rows[i].text);
		ex[nex] = (struct CMUnitTest){ names[nex], test_example_row,
		    NULL, NULL, &corpus.rows[i] };
	}
	for (i = 0; i < nitems(extra_rows); i++, nex++) {
		names[nex] = xasprintf("extra: %s", extra_rows[i].text);
		ex[nex] = (struct CMUnitTest){ names[nex], test_example_row,
		    NULL, NULL, &extra_rows[i] };
	}
	failed += _cmocka_run_group_tests("text_index_example", ex, nex,
	    example_setup, example_teardown);

	for (i = 0; i < nex; i++)
		free(names[i]);
	free(names);
	free(ex);
	free(corpus.rows);
	free(corpus.text);
	return failed;
}
