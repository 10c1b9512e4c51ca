/*
 * timeutil.c: wall-clock seconds (UTC) for stored timestamps, a monotonic
 * clock for durations, the few formats config and the API use, and the
 * config's time zone (ICU): where its days begin, and times written with
 * its offset.
 */
#include "lib.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

int64_t
time_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t
time_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
time_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
time_fmt_iso(int64_t t, char *out, size_t outsz)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Days in month mo (1..12) of year y. */
static int
month_days(int y, int mo)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

/* s begins as pattern does: 'd' a digit, anything else itself. */
static bool
digits(const char *s, const char *pattern)
{
	for (; *pattern != '\0'; s++, pattern++)
		if (*pattern == 'd' ? !isdigit((unsigned char)*s) : *s != *pattern)
			return false;
	return true;
}

/* What an ISO 8601 text says: the fields, and its zone if it names one. */
struct iso_fields {
	int	 y, mo, d, h, mi, sec;
	bool	 has_time;	/* a time of day was given */
	bool	 has_zone;	/* "Z" or an offset was given */
	int	 offset;	/* minutes east of UTC, when has_zone */
};

/*
 * "YYYY-MM-DD", then optionally "THH:MM[:SS]" (or a space for the T), then
 * optionally "Z" or an offset "+HH:MM" / "-HH:MM" / "+HHMM".  A space in
 * place of the offset's "+" is read as "+": a "+" in a query string
 * decodes to a space.  0 or -1.
 */
static int
iso_split(const char *s, struct iso_fields *f)
{
	const char	*rest;
	int		 oh, om = 0, sign;

	memset(f, 0, sizeof(*f));
	if (!digits(s, "dddd-dd-dd") || sscanf(s, "%4d-%2d-%2d", &f->y, &f->mo, &f->d) != 3)
		return -1;
	rest = s + 10;
	if ((*rest == 'T' || *rest == ' ') && isdigit((unsigned char)rest[1])) {
		if (!digits(rest + 1, "dd:dd") || sscanf(rest + 1, "%2d:%2d", &f->h, &f->mi) != 2)
			return -1;
		rest += 6;
		if (*rest == ':') {
			if (!digits(rest + 1, "dd") || sscanf(rest + 1, "%2d", &f->sec) != 1)
				return -1;
			rest += 3;
		}
		f->has_time = true;
		if (*rest == 'Z') {
			f->has_zone = true;
			rest++;
		} else if (*rest == '+' || *rest == '-' || *rest == ' ') {
			sign = *rest == '-' ? -1 : 1;
			rest++;
			if (!isdigit((unsigned char)rest[0]) || !isdigit((unsigned char)rest[1]))
				return -1;
			oh = (rest[0] - '0') * 10 + (rest[1] - '0');
			rest += 2;
			if (*rest == ':')
				rest++;
			if (isdigit((unsigned char)rest[0]) && isdigit((unsigned char)rest[1])) {
				om = (rest[0] - '0') * 10 + (rest[1] - '0');
				rest += 2;
			} else if (rest[-1] == ':')
				return -1;
			if (oh > 14 || om > 59)
				return -1;
			f->has_zone = true;
			f->offset = sign * (oh * 60 + om);
		}
	}
	if (*rest != '\0')
		return -1;
	if (f->y < 1970 || f->y > 9999 || f->mo < 1 || f->mo > 12 || f->d < 1 ||
	    f->d > month_days(f->y, f->mo) || f->h > 23 || f->mi > 59 || f->sec > 59)
		return -1;
	return 0;
}

/* The fields read as UTC, less the offset. */
static int64_t
iso_utc(const struct iso_fields *f)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f->y - 1900;
	tm.tm_mon = f->mo - 1;
	tm.tm_mday = f->d;
	tm.tm_hour = f->h;
	tm.tm_min = f->mi;
	tm.tm_sec = f->sec;
	return (int64_t)timegm(&tm) - (int64_t)f->offset * 60;
}

/*
 * Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]" (also with a
 * space for the T); without an offset, read as UTC.
 */
int
time_parse_iso(const char *s, int64_t *t)
{
	struct iso_fields	 f;

	if (iso_split(s, &f) != 0)
		return -1;
	*t = iso_utc(&f);
	return 0;
}

/* --- a time zone, through ICU's calendar ----------------------------- */

struct tz {
	UCalendar	*cal;		/* owned: ucal_close */
};

struct tz *
tz_open(const char *zone)
{
	UChar		 id[128], canon[128];
	UErrorCode	 err = U_ZERO_ERROR;
	UBool		 sys = 0;
	struct tz	*tz;
	int32_t		 len = 0;

	if (zone == NULL)
		return NULL;
	u_strFromUTF8(id, (int32_t)nitems(id), &len, zone, -1, &err);
	if (U_FAILURE(err) || len >= (int32_t)nitems(id))
		return NULL;
	/* ICU opens an unknown zone as GMT: ask whether it knows this one */
	ucal_getCanonicalTimeZoneID(id, len, canon, (int32_t)nitems(canon), &sys, &err);
	if (U_FAILURE(err) || !sys)
		return NULL;
	tz = xcalloc(1, sizeof(*tz));
	tz->cal = ucal_open(id, len, "en_US", UCAL_GREGORIAN, &err);
	if (U_FAILURE(err) || tz->cal == NULL) {
		if (tz->cal != NULL)
			ucal_close(tz->cal);
		free(tz);
		return NULL;
	}
	/* 2026-02-30 is refused before ICU sees it; day + 1 may roll over */
	ucal_setAttribute(tz->cal, UCAL_LENIENT, 1);
	return tz;
}

void
tz_close(struct tz *tz)
{
	if (tz == NULL)
		return;
	ucal_close(tz->cal);
	free(tz);
}

int
tz_offset(struct tz *tz, int64_t t)
{
	UErrorCode	 err = U_ZERO_ERROR;
	int32_t		 off;

	ucal_setMillis(tz->cal, (UDate)t * 1000.0, &err);
	off = ucal_get(tz->cal, UCAL_ZONE_OFFSET, &err) +
	    ucal_get(tz->cal, UCAL_DST_OFFSET, &err);
	return U_FAILURE(err) ? 0 : off / 60000;
}

void
time_fmt_iso_tz(struct tz *tz, int64_t t, char *out, size_t outsz)
{
	struct tm	 tm;
	time_t		 lt;
	int		 off = tz_offset(tz, t), a = off < 0 ? -off : off;
	char		 local[24];

	lt = (time_t)(t + (int64_t)off * 60);
	gmtime_r(&lt, &tm);
	strftime(local, sizeof(local), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, outsz, "%s%c%02d:%02d", local, off < 0 ? '-' : '+', a / 60, a % 60);
}

int
time_parse_tz(struct tz *tz, const char *s, bool day_end, int64_t *t)
{
	struct iso_fields	 f;
	UErrorCode		 err = U_ZERO_ERROR;
	UDate			 ms;

	if (iso_split(s, &f) != 0)
		return -1;
	if (f.has_zone) {
		*t = iso_utc(&f);
		return 0;
	}
	ucal_clear(tz->cal);
	ucal_setDateTime(tz->cal, f.y, f.mo - 1, f.d + (day_end && !f.has_time ? 1 : 0),
	    f.h, f.mi, f.sec, &err);
	ms = ucal_getMillis(tz->cal, &err);
	if (U_FAILURE(err))
		return -1;
	*t = (int64_t)(ms / 1000.0);
	return 0;
}

int
time_parse_hhmm(const char *s, int *minutes)
{
	int	 h, m;

	if (strlen(s) != 5 || s[2] != ':' || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}
