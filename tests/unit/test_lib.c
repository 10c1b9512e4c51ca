/*
 * test_lib.c: lib/ — capped buffers, UTF-8 facts (SMS length and
 * segments, cutting, CJK detection, sanitising), time parsing, the ids
 * that lead log lines, and the escaping every log line goes through.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../lib/lib.h"

static void
test_buf_cap(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_addstr(&b, "12345678"), 0);
	assert_int_equal(buf_addstr(&b, "9"), -1);	/* over the cap */
	assert_string_equal(buf_str(&b), "12345678");	/* unchanged */
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(buf_str(&b), "42-x");
	buf_free(&b);
}

static void
test_buf_grow_and_steal(void **state)
{
	struct buf	 b;
	char		*s;
	int		 i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_addstr(&b, "路"), 0);
	assert_int_equal(b.len, 3000);
	assert_int_equal(buf_printf(&b, "%0300d", 7), 0);	/* longer than the small buffer */
	assert_int_equal(b.len, 3300);
	s = buf_steal(&b);
	assert_int_equal(strlen(s), 3300);
	assert_null(b.data);
	free(s);
}

struct units_row {
	const char	*text;
	size_t		 units;
	size_t		 segments;
};

static void
test_utf8_units_and_segments(void **state)
{
	static const struct units_row rows[] = {
		{ "", 0, 1 },
		{ "hello", 5, 1 },
		{ "路灯不亮", 4, 1 },
		{ "😀", 2, 1 },			/* outside the BMP: a surrogate pair */
		{ "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", 70, 1 },
		{ "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十x", 71, 2 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(utf8_units16(rows[i].text), rows[i].units);
		assert_int_equal(utf8_sms_segments(rows[i].text), rows[i].segments);
	}
}

static void
test_utf8_gsm_segments(void **state)
{
	char	 s[400];

	(void)state;
	memset(s, 'a', 160);
	s[160] = '\0';
	assert_int_equal(utf8_sms_segments(s), 1);
	s[160] = 'a';
	s[161] = '\0';
	assert_int_equal(utf8_sms_segments(s), 2);
	memset(s, 'a', 307);
	s[307] = '\0';
	assert_int_equal(utf8_sms_segments(s), 3);
}

static void
test_utf8_prefix_cuts_whole_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_prefix_units16("路灯不亮", 2), 6);
	assert_int_equal(utf8_prefix_units16("路灯不亮", 10), 12);
	assert_int_equal(utf8_prefix_units16("a😀b", 2), 1);	/* the pair does not fit */
	assert_int_equal(utf8_prefix_units16("a😀b", 3), 5);
}

static void
test_utf8_valid_and_sanitize(void **state)
{
	char	*s;

	(void)state;
	assert_true(utf8_valid("路灯", strlen("路灯")));
	assert_false(utf8_valid("\xe8\xb7", 2));		/* truncated */
	assert_false(utf8_valid("\xc0\xaf", 2));		/* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	assert_false(utf8_valid("a\0b", 3));			/* NUL inside */
	s = utf8_sanitize("a\xff" "b", 3);
	assert_string_equal(s, "a\xef\xbf\xbd" "b");
	free(s);
	s = utf8_sanitize("\xe8\xb7", 2);
	assert_string_equal(s, "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

static void
test_utf8_has_cjk(void **state)
{
	(void)state;
	assert_true(utf8_has_cjk("The 路灯"));
	assert_true(utf8_has_cjk("路燈"));
	assert_false(utf8_has_cjk("The street light is broken!"));
	assert_false(utf8_has_cjk("ＡＢＣ１２３"));	/* full-width Latin is not Chinese */
}

static void
test_time_parse(void **state)
{
	int64_t	 t;
	int	 m;
	char	 iso[32];

	(void)state;
	assert_int_equal(time_parse_iso("2026-11-22", &t), 0);
	assert_int_equal(t, 1795305600);
	assert_int_equal(time_parse_iso("2026-11-22T03:21:38Z", &t), 0);
	time_fmt_iso(t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-11-22T03:21:38Z");
	assert_int_equal(time_parse_iso("2026-13-01", &t), -1);
	assert_int_equal(time_parse_iso("yesterday", &t), -1);
	assert_int_equal(time_parse_iso("2026-11-22T3:00", &t), -1);
	assert_int_equal(time_parse_hhmm("22:00", &m), 0);
	assert_int_equal(m, 1320);
	assert_int_equal(time_parse_hhmm("08:30", &m), 0);
	assert_int_equal(m, 510);
	assert_int_equal(time_parse_hhmm("24:00", &m), -1);
	assert_int_equal(time_parse_hhmm("8:00", &m), -1);
	assert_int_equal(time_parse_hhmm("08:60", &m), -1);
	assert_int_equal(time_parse_hhmm("08:00x", &m), -1);
	assert_int_equal(time_parse_hhmm("12:+5", &m), -1);
	assert_int_equal(time_parse_hhmm("12: 5", &m), -1);
}

/* The config's zone: where its days begin, and its offset in what is shown. */
static void
test_time_zone(void **state)
{
	struct tz	*sh = tz_open("Asia/Shanghai"), *ny = tz_open("America/New_York");
	int64_t		 t;
	char		 iso[40];

	(void)state;
	assert_non_null(sh);
	assert_non_null(ny);
	assert_null(tz_open("Mars/Olympus"));
	/* a county's day starts at its midnight: 2026-12-01 00:00 +08:00 */
	assert_int_equal(time_parse_tz(sh, "2026-12-01", false, &t), 0);
	assert_int_equal(t, 1796083200 - 8 * 3600);
	/* an inclusive end: the next local midnight */
	assert_int_equal(time_parse_tz(sh, "2026-12-31", true, &t), 0);
	assert_int_equal(t, 1798761600 - 8 * 3600);
	assert_int_equal(time_parse_tz(sh, "2026-02-28", true, &t), 0);
	time_fmt_iso_tz(sh, t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-03-01T00:00:00+08:00");
	/* a local time, a time in UTC, a time with an offset ("+" read from a query) */
	assert_int_equal(time_parse_tz(sh, "2026-12-06T11:48:00", false, &t), 0);
	time_fmt_iso_tz(sh, t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-12-06T11:48:00+08:00");
	time_fmt_iso(t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-12-06T03:48:00Z");
	assert_int_equal(time_parse_tz(sh, "2026-12-06T03:48:00Z", true, &t), 0);
	time_fmt_iso_tz(sh, t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-12-06T11:48:00+08:00");
	assert_int_equal(time_parse_tz(ny, "2026-12-06T11:48:00 08:00", false, &t), 0);
	time_fmt_iso_tz(ny, t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-12-05T22:48:00-05:00");
	/* summer time moves the offset, not the midnight */
	assert_int_equal(time_parse_tz(ny, "2026-07-01", false, &t), 0);
	time_fmt_iso_tz(ny, t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-07-01T00:00:00-04:00");
	assert_int_equal(tz_offset(ny, t), -240);
	/* refused: no such day, junk, an offset out of range */
	assert_int_equal(time_parse_tz(sh, "2026-02-30", false, &t), -1);
	assert_int_equal(time_parse_tz(sh, "2026-12-01x", false, &t), -1);
	assert_int_equal(time_parse_tz(sh, "2026-12-01T08:00+15:00", false, &t), -1);
	assert_int_equal(time_parse_tz(sh, "2026-12-01T08:00+08:", false, &t), -1);
	assert_int_equal(time_parse_tz(sh, "2026- 1-01", false, &t), -1);
	assert_int_equal(time_parse_iso("2026-12-06T11:48:00+08:00", &t), 0);
	time_fmt_iso(t, iso, sizeof(iso));
	assert_string_equal(iso, "2026-12-06T03:48:00Z");
	tz_close(sh);
	tz_close(ny);
}

static void
test_strlcpy_truncates(void **state)
{
	char	 small[4];

	(void)state;
	assert_int_equal(strlcpy(small, "abcdef", sizeof(small)), 6);
	assert_string_equal(small, "abc");
}

#define IDS_PER_THREAD 20000

static void *
take_ids(void *arg)
{
	uint64_t	*ids = arg;
	size_t		 i;

	for (i = 0; i < IDS_PER_THREAD; i++)
		ids[i] = log_id_next();
	return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Two threads drawing at once get ids that are never 0 and never the same. */
static void
test_log_ids_unique_across_threads(void **state)
{
	uint64_t	*ids = calloc(2 * IDS_PER_THREAD, sizeof(*ids));
	pthread_t	 t;
	uint64_t	 a, b;
	size_t		 i;

	(void)state;
	a = log_id_next();
	b = log_id_next();
	assert_true(a != 0 && b != 0);
	assert_true(b == a + 1 || (a == UINT64_MAX && b == 1));
	assert_int_equal(pthread_create(&t, NULL, take_ids, ids), 0);
	take_ids(ids + IDS_PER_THREAD);
	assert_int_equal(pthread_join(t, NULL), 0);
	qsort(ids, 2 * IDS_PER_THREAD, sizeof(*ids), cmp_u64);
	for (i = 0; i < 2 * IDS_PER_THREAD; i++) {
		assert_true(ids[i] != 0 && ids[i] != a && ids[i] != b);
		if (i > 0)
			assert_true(ids[i] != ids[i - 1]);
	}
	free(ids);
}

/* Every logged value has its control characters escaped: none can end a
 * line and forge the next. */
static void
test_log_escape(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} rows[] = {
		{ "plain key=value", "plain key=value" },
		{ "路灯 不亮", "路灯 不亮" },
		{ "a\ninfo 0000000000000000 case created", "a\\ninfo 0000000000000000 case created" },
		{ "cr\rtab\tbs\\", "cr\\rtab\\tbs\\\\" },
		{ "bell\a esc\x1b[31m del\x7f", "bell\\x07 esc\\x1b[31m del\\x7f" },
		{ "bad \xff\xfe utf8 \xe8\xb7", "bad \\xff\\xfe utf8 \\xe8\\xb7" },
		{ "nel\xc2\x85 csi\xc2\x9b", "nel\\u0085 csi\\u009b" },
		{ "ls\xe2\x80\xa8 rlo\xe2\x80\xae pdi\xe2\x81\xa9", "ls\\u2028 rlo\\u202e pdi\\u2069" },
		{ "nbsp\xc2\xa0ok", "nbsp\xc2\xa0ok" },
	};
	char	 out[256], small[8];
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		log_escape(rows[i].in, out, sizeof(out));
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("row %zu: \"%s\", want \"%s\"", i, out, rows[i].want);
	}
	/* cut before an escape that does not fit, never inside one */
	log_escape("abcd\nef", small, sizeof(small));
	assert_string_equal(small, "abcd\\ne");
	log_escape("abcdef\ng", small, sizeof(small));
	assert_string_equal(small, "abcdef");
	log_escape("ab路c", small, 6);
	assert_string_equal(small, "ab路");
}

/* What log_info writes for a value with a newline: one line. */
static void
test_log_line_is_one_line(void **state)
{
	FILE	*tmp = tmpfile();
	char	 got[512];
	size_t	 n;
	int	 saved;

	(void)state;
	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fileno(tmp), 2), 2);
	log_init(0);
	log_info("%016" PRIx64 " webhook malformed channel=hotline reason=\"%s\"",
	    (uint64_t)42, "caller \"1\ninfo 0000000000000001 case created\": bad");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(got, 1, sizeof(got) - 1, tmp);
	got[n] = '\0';
	fclose(tmp);
	log_init(-1);
	assert_string_equal(got, "info 000000000000002a webhook malformed "
	    "channel=hotline reason=\"caller \"1\\ninfo 0000000000000001 case "
	    "created\": bad\"\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_grow_and_steal),
		cmocka_unit_test(test_utf8_units_and_segments),
		cmocka_unit_test(test_utf8_gsm_segments),
		cmocka_unit_test(test_utf8_prefix_cuts_whole_chars),
		cmocka_unit_test(test_utf8_valid_and_sanitize),
		cmocka_unit_test(test_utf8_has_cjk),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_zone),
		cmocka_unit_test(test_strlcpy_truncates),
		cmocka_unit_test(test_log_ids_unique_across_threads),
		cmocka_unit_test(test_log_escape),
		cmocka_unit_test(test_log_line_is_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
