/*
 * phone.cc: the one C++ file.  A thin C API over libphonenumber: parse what
 * people type ("138 0013 8000", "+86-10-1234-5678", "0086 138...", full-
 * width digits) into E.164, say why a number is refused, and mask numbers
 * for logs.  Declared in lib.h.
 */
#include <cstring>
#include <string>

#include <phonenumbers/phonenumberutil.h>

extern "C" {
#include "lib.h"
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/* Digits in s, ASCII or full-width (U+FF10..U+FF19, EF BC 90..99 in UTF-8). */
static size_t
phone_count_digits(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			n++;
		else if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbc &&
		    (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
			n++;
			s += 2;
		}
	}
	return n;
}

/*
 * Why a parsed number is not valid, in the words of the length check:
 * "123" is too short, a local number lacks its area code, and so on.
 */
static const char *
phone_invalid_reason(PhoneNumberUtil *util, const PhoneNumber &num)
{
	switch (util->IsPossibleNumberWithReason(num)) {
	case PhoneNumberUtil::TOO_SHORT:
		return "too short to be a phone number";
	case PhoneNumberUtil::TOO_LONG:
		return "too long to be a phone number";
	case PhoneNumberUtil::INVALID_COUNTRY_CODE:
		return "unknown country code";
	case PhoneNumberUtil::INVALID_LENGTH:
		return "wrong number of digits for its country";
	case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
		return "too short: a landline needs its area code";
	default:
		return "not a valid number for its country";
	}
}

extern "C" bool
phone_region_valid(const char *region)
{
	PhoneNumberUtil	*util = PhoneNumberUtil::GetInstance();

	return region != nullptr && util->GetCountryCodeForRegion(region) != 0;
}

extern "C" bool
phone_in_region(const char *e164, const char *region)
{
	PhoneNumberUtil	*util = PhoneNumberUtil::GetInstance();
	PhoneNumber	 num;

	if (e164 == nullptr || region == nullptr || e164[0] != '+' ||
	    util->Parse(e164, "ZZ", &num) != PhoneNumberUtil::NO_PARSING_ERROR)
		return false;
	return util->IsValidNumberForRegion(num, region);
}

/*
 * The last answers on this thread, by input and region: the same residents
 * write again and again, every message names our own number, and
 * libphonenumber's regular expressions are the dearest part of reading a
 * webhook.  Direct-mapped; inputs too long for a slot are not kept.
 */
#define PHONE_MEMO_SLOTS 256
struct phone_memo {
	char		 in[40];	/* "" for an empty slot */
	char		 region[8];
	char		 out[24];	/* E.164, when rc == 0 */
	const char	*why;		/* static, when rc == -1 */
	int		 rc;
};
static thread_local struct phone_memo phone_memo[PHONE_MEMO_SLOTS];

static struct phone_memo *
phone_memo_slot(const char *input, const char *region)
{
	uint32_t	 h = 2166136261u;	/* FNV-1a */
	const char	*p;

	for (p = input; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (p = region; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &phone_memo[h % PHONE_MEMO_SLOTS];
}

static int	 phone_parse(const char *, const char *, char *, size_t, const char **);

extern "C" int
phone_normalize(const char *input, const char *region, char *out,
    size_t outsz, const char **reason)
{
	struct phone_memo	*m;
	const char		*why = nullptr;
	const char		*rg = region ? region : "";
	int			 rc;

	if (input == nullptr || strlen(input) >= sizeof(m->in) ||
	    strlen(rg) >= sizeof(m->region))
		return phone_parse(input, region, out, outsz, reason);
	m = phone_memo_slot(input, rg);
	if (m->in[0] == '\0' || strcmp(m->in, input) != 0 || strcmp(m->region, rg) != 0) {
		rc = phone_parse(input, region, m->out, sizeof(m->out), &why);
		strlcpy(m->in, input, sizeof(m->in));
		strlcpy(m->region, rg, sizeof(m->region));
		m->rc = rc;
		m->why = why;
	}
	if (m->rc != 0) {
		if (reason != nullptr)
			*reason = m->why;
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	if (strlen(m->out) + 1 > outsz) {
		if (reason != nullptr)
			*reason = "number too long";
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	memcpy(out, m->out, strlen(m->out) + 1);
	return 0;
}

/* phone_normalize itself, every time. */
static int
phone_parse(const char *input, const char *region, char *out,
    size_t outsz, const char **reason)
{
	PhoneNumberUtil		*util = PhoneNumberUtil::GetInstance();
	PhoneNumber		 num;
	std::string		 e164;
	std::string		 in;
	const char		*why = nullptr;

	if (input == nullptr || *input == '\0') {
		why = "empty phone number";
		goto out;
	}
	in = input;
	/* "0086..." is how many people write the international prefix. */
	if (in.compare(0, 4, "0086") == 0 && region && strcmp(region, "CN") == 0)
		in = "+86" + in.substr(4);
	switch (util->Parse(in, region ? region : "ZZ", &num)) {
	case PhoneNumberUtil::NO_PARSING_ERROR:
		break;
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		why = "unknown country code";
		goto out;
	case PhoneNumberUtil::TOO_SHORT_NSN:
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
		why = "too short to be a phone number";
		goto out;
	case PhoneNumberUtil::TOO_LONG_NSN:
		why = "too long to be a phone number";
		goto out;
	default:
		/* libphonenumber wants three digits before it calls it a number */
		if (phone_count_digits(input) > 0 && phone_count_digits(input) < 3)
			why = "too short to be a phone number";
		else
			why = "not a phone number";
		goto out;
	}
	if (!util->IsValidNumber(num)) {
		why = phone_invalid_reason(util, num);
		goto out;
	}
	util->Format(num, PhoneNumberUtil::E164, &e164);
	if (e164.size() + 1 > outsz) {
		why = "number too long";
		goto out;
	}
	memcpy(out, e164.c_str(), e164.size() + 1);
out:
	if (why != nullptr) {
		if (reason != nullptr)
			*reason = why;
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * "+8613800138000" -> "+86138****8000": country code and three digits,
 * four stars, the last four.  Short or odd input keeps only its last two.
 */
extern "C" void
phone_mask(const char *e164, char *out, size_t outsz)
{
	size_t		 len = e164 ? strlen(e164) : 0;
	std::string	 m;
	size_t		 keep_head;

	if (len < 8) {
		m = "****";
		if (len >= 2)
			m += std::string(e164 + len - 2);
	} else {
		keep_head = len >= 12 ? 6 : 3;
		m.assign(e164, keep_head);
		m += "****";
		m += std::string(e164 + len - 4);
	}
	strlcpy(out, m.c_str(), outsz);
}

/*
 * Whether an E.164 number can receive SMS: libphonenumber calls it MOBILE,
 * or FIXED_LINE_OR_MOBILE where a country's plan cannot tell the two apart
 * (the US).  In China it can: there FIXED_LINE_OR_MOBILE counts only for a
 * mobile number (11 digits starting with 1; landlines, Beijing's 10 too,
 * are shorter).  *what (may be NULL) gets a static English name of the
 * number's kind for messages: "a mobile number", "a landline", ...
 */
extern "C" bool
phone_is_mobile(const char *e164, const char **what)
{
	PhoneNumberUtil	*util = PhoneNumberUtil::GetInstance();
	PhoneNumber	 num;
	std::string	 nsn, rc;
	const char	*kind = "not a valid number";
	bool		 ok = false;

	if (e164 == nullptr || util->Parse(e164, "ZZ", &num) !=
	    PhoneNumberUtil::NO_PARSING_ERROR || !util->IsValidNumber(num))
		goto out;
	switch (util->GetNumberType(num)) {
	case PhoneNumberUtil::MOBILE:
		kind = "a mobile number";
		ok = true;
		break;
	case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
		util->GetNationalSignificantNumber(num, &nsn);
		util->GetRegionCodeForNumber(num, &rc);
		ok = rc != "CN" || (nsn.size() == 11 && nsn[0] == '1');
		kind = ok ? "a mobile number" : "a landline";
		break;
	case PhoneNumberUtil::FIXED_LINE:
		kind = "a landline";
		break;
	case PhoneNumberUtil::TOLL_FREE:
		kind = "a toll-free number";
		break;
	case PhoneNumberUtil::PREMIUM_RATE:
		kind = "a premium-rate number";
		break;
	case PhoneNumberUtil::SHARED_COST:
		kind = "a shared-cost number";
		break;
	case PhoneNumberUtil::VOIP:
		kind = "a VoIP number";
		break;
	case PhoneNumberUtil::PERSONAL_NUMBER:
		kind = "a personal (forwarding) number";
		break;
	case PhoneNumberUtil::PAGER:
		kind = "a pager";
		break;
	case PhoneNumberUtil::UAN:
		kind = "a company-wide (UAN) number";
		break;
	case PhoneNumberUtil::VOICEMAIL:
		kind = "a voicemail number";
		break;
	default:
		kind = "a number of unknown kind";
		break;
	}
out:
	if (what != nullptr)
		*what = kind;
	return ok;
}
