/*
 * tests/unit/test_phone.c: lib/phone.cc, the C API over libphonenumber.
 * Numbers as people type them (spaces, dashes, +86, 0086, full-width
 * digits, area codes in brackets) must normalise to one E.164 form, and
 * refusals must say why.  One cmocka test per table row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../lib/lib.h"

struct phone_case {
	const char	*name;
	const char	*input;
	const char	*region;
	const char	*want;		/* E.164, or NULL: refused */
	const char	*reason;	/* when refused */
};

static const struct phone_case phone_cases[] = {
	/* CN mobiles, every common spelling */
	{ "cn mobile digits", "13800138000", "CN", "+8613800138000", NULL },
	{ "cn mobile spaces", "138 0013 8000", "CN", "+8613800138000", NULL },
	{ "cn mobile dashes", "138-0013-8000", "CN", "+8613800138000", NULL },
	{ "cn mobile dots", "138.0013.8000", "CN", "+8613800138000", NULL },
	{ "cn mobile +86 spaced", "+86 138 0013 8000", "CN", "+8613800138000", NULL },
	{ "cn mobile +86 dashes", "+86-138-0013-8000", "CN", "+8613800138000", NULL },
	{ "cn mobile (+86)", "(+86)138 0013 8000", "CN", "+8613800138000", NULL },
	{ "cn mobile 0086", "0086 13800138000", "CN", "+8613800138000", NULL },
	{ "cn mobile 0086 dashes", "0086-138-0013-8000", "CN", "+8613800138000", NULL },
	{ "cn mobile 00 86", "00 86 138 0013 8000", "CN", "+8613800138000", NULL },
	{ "cn mobile 86 no plus", "86 138 0013 8000", "CN", "+8613800138000", NULL },
	{ "cn mobile e164", "+8613800138000", "CN", "+8613800138000", NULL },
	{ "cn mobile blanks around", " 13800138000 ", "CN", "+8613800138000", NULL },
	{ "cn mobile full-width", "１３８００１３８０００", "CN", "+8613800138000", NULL },
	{ "cn mobile full-width dashes", "１３８－００１３－８０００", "CN",
	  "+8613800138000", NULL },
	{ "cn mobile full-width +86", "+８６ １３８ ００１３ ８０００", "CN",
	  "+8613800138000", NULL },
	{ "cn mobile e164 from US", "+86 139 0013 9000", "US", "+8613900139000", NULL },
	/* CN landlines with area codes */
	{ "cn landline beijing dash", "010-12345678", "CN", "+861012345678", NULL },
	{ "cn landline beijing brackets", "(010) 1234 5678", "CN", "+861012345678", NULL },
	{ "cn landline puyang", "0393-1234567", "CN", "+863931234567", NULL },
	{ "cn landline puyang brackets", "(0393)1234567", "CN", "+863931234567", NULL },
	{ "cn landline shenzhen", "0755-12345678", "CN", "+8675512345678", NULL },
	{ "cn landline +86", "+86 10 1234 5678", "CN", "+861012345678", NULL },
	{ "cn landline +86 (0)", "+86 (0) 10 12345678", "CN", "+861012345678", NULL },
	{ "cn landline +86 with trunk 0", "+86 0393-1234567", "CN", "+863931234567", NULL },
	{ "cn landline 0086", "0086-10-12345678", "CN", "+861012345678", NULL },
	/* North America */
	{ "us +1 from CN", "+1 201 555 0123", "CN", "+12015550123", NULL },
	{ "us national", "(201) 555-0123", "US", "+12015550123", NULL },
	{ "us dashes", "201-555-0123", "US", "+12015550123", NULL },
	/* refused, with the reason */
	{ "empty", "", "CN", NULL, "empty phone number" },
	{ "null", NULL, "CN", NULL, "empty phone number" },
	{ "three digits", "123", "CN", NULL, "too short to be a phone number" },
	{ "two digits", "12", "CN", NULL, "too short to be a phone number" },
	{ "one digit", "1", "CN", NULL, "too short to be a phone number" },
	{ "full-width two digits", "１２", "CN", NULL, "too short to be a phone number" },
	{ "letters", "abc", "CN", NULL, "not a phone number" },
	{ "words", "call me", "CN", NULL, "not a phone number" },
	{ "too long", "138001380001234567", "CN", NULL, "too long to be a phone number" },
	{ "mobile plus four", "+86 138 0013 8000 0000", "CN", NULL,
	  "too long to be a phone number" },
	{ "mobile one short", "1380013800", "CN", NULL,
	  "not a valid number for its country" },
	{ "landline one short", "0393-123456", "CN", NULL,
	  "not a valid number for its country" },
	{ "local without area code", "12345", "CN", NULL,
	  "too short: a landline needs its area code" },
	{ "us too short", "+1 201 555 012", "CN", NULL, "too short to be a phone number" },
	{ "us too long", "+12015550123456", "CN", NULL, "too long to be a phone number" },
	{ "unknown country code", "+999 123", "CN", NULL, "unknown country code" },
	{ "national without region", "13800138000", "ZZ", NULL, "unknown country code" },
};

static void
test_normalize(void **state)
{
	const struct phone_case	*c = *state;
	char			 out[PHONE_MAX];
	const char		*why = NULL;
	int			 rc;

	memset(out, 'x', sizeof(out));
	rc = phone_normalize(c->input, c->region, out, sizeof(out), &why);
	if (c->want != NULL) {
		assert_int_equal(rc, 0);
		assert_string_equal(out, c->want);
	} else {
		assert_int_equal(rc, -1);
		assert_non_null(why);
		assert_string_equal(why, c->reason);
		assert_string_equal(out, "");
	}
}

/* A result that does not fit the caller's buffer is refused, not cut. */
static void
test_normalize_small_buffer(void **state)
{
	char		 out[8];
	const char	*why = NULL;

	(void)state;
	assert_int_equal(phone_normalize("13800138000", "CN", out, sizeof(out),
	    &why), -1);
	assert_string_equal(why, "number too long");
	assert_string_equal(out, "");
	/* reason may be NULL when the caller does not want it */
	assert_int_equal(phone_normalize("123", "CN", out, sizeof(out), NULL), -1);
}

static void
test_region_valid(void **state)
{
	(void)state;
	assert_true(phone_region_valid("CN"));
	assert_true(phone_region_valid("US"));
	assert_true(phone_region_valid("HK"));
	assert_false(phone_region_valid("XX"));
	assert_false(phone_region_valid("ZZ"));
	assert_false(phone_region_valid(""));
	assert_false(phone_region_valid(NULL));
}

/* Asked again (answered from the thread's memo), every row answers the
 * same; the same digits in another region are another question. */
static void
test_normalize_again(void **state)
{
	char		 out[32], tiny[8];
	const char	*why;
	size_t		 i, round;
	int		 rc;

	(void)state;
	for (round = 0; round < 3; round++)
		for (i = 0; i < nitems(phone_cases); i++) {
			why = NULL;
			rc = phone_normalize(phone_cases[i].input, phone_cases[i].region,
			    out, sizeof(out), &why);
			if (phone_cases[i].want != NULL) {
				assert_int_equal(rc, 0);
				assert_string_equal(out, phone_cases[i].want);
			} else {
				assert_int_equal(rc, -1);
				assert_string_equal(out, "");
				assert_string_equal(why, phone_cases[i].reason);
			}
		}
	assert_int_equal(phone_normalize("0393-1234567", "CN", out, sizeof(out), &why), 0);
	assert_string_equal(out, "+863931234567");
	assert_int_equal(phone_normalize("0393-1234567", "US", out, sizeof(out), &why), -1);
	assert_int_equal(phone_normalize("0393-1234567", "CN", out, sizeof(out), &why), 0);
	assert_string_equal(out, "+863931234567");
	/* a remembered number still does not fit a short buffer */
	assert_int_equal(phone_normalize("13800138000", "CN", tiny, sizeof(tiny), &why), -1);
	assert_string_equal(tiny, "");
}

struct mask_case {
	const char	*in;
	const char	*want;
};

static const struct mask_case mask_cases[] = {
	{ "+8613800138000", "+86138****8000" },
	{ "+861012345678", "+86101****5678" },
	{ "+12015550123", "+12015****0123" },
	{ "+4420", "****20" },
	{ "7", "****" },
	{ "", "****" },
	{ NULL, "****" },
};

static void
test_mask(void **state)
{
	char	 out[PHONE_MASKED_MAX];
	char	 tiny[6];
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(mask_cases); i++) {
		phone_mask(mask_cases[i].in, out, sizeof(out));
		assert_string_equal(out, mask_cases[i].want);
	}
	/* a short buffer gets a cut, NUL-terminated mask */
	phone_mask("+8613800138000", tiny, sizeof(tiny));
	assert_string_equal(tiny, "+8613");
}

int
main(void)
{
	struct CMUnitTest	 tests[nitems(phone_cases) + 4];
	size_t			 i, n = 0;

	for (i = 0; i < nitems(phone_cases); i++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = phone_cases[i].name;
		tests[n].test_func = test_normalize;
		/* cmocka's state is not const; the test only reads it */
		tests[n].initial_state = (void *)(uintptr_t)&phone_cases[i];
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_normalize_small_buffer);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_region_valid);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_normalize_again);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_mask);
	return _cmocka_run_group_tests("phone", tests, n, NULL, NULL);
}
