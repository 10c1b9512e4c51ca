/*
 * lib/lib.h: the ground floor of minyi.  Logging, allocation that cannot
 * fail, capped buffers, time helpers, UTF-8 helpers and the phone-number
 * C API over libphonenumber.  Nothing here includes any other minyi header;
 * every other folder may include this one.
 */
#ifndef MINYI_LIB_H
#define MINYI_LIB_H

#include <inttypes.h>		/* PRIx64, for the ids that lead log lines */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MINYI_VERSION "0.1.0"

#ifndef nitems
#define nitems(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))

/*
 * log.c: every line is "LEVEL message".  A message about one request or one
 * message starts with its id, 16 hex digits ("%016" PRIx64: the HTTP
 * request's id, which its answer carries as X-Request-Id, or the outbox
 * row's id), then key=value pairs:
 *	log_info("%016" PRIx64 " webhook forbidden channel=%s remote=%s", ...)
 * Lines about the process (listening, config, recovery) have no id.
 */
void	 log_init(int verbose);		/* 0 info, 1 debug, -1 warnings only */
int	 log_verbose(void);
void	 log_warn(const char *, ...) PRINTF_LIKE(1, 2);	/* appends strerror(errno) */
void	 log_warnx(const char *, ...) PRINTF_LIKE(1, 2);
void	 log_info(const char *, ...) PRINTF_LIKE(1, 2);
void	 log_debug(const char *, ...) PRINTF_LIKE(1, 2);
uint64_t log_id_next(void);	/* a new id: random start, then +1; never 0 */
/* msg with control characters escaped (\n, \xHH, \u0085...), into out,
 * NUL-terminated: what every log line is made of. */
void	 log_escape(const char *msg, char *out, size_t outsz);
NORETURN void fatal(const char *, ...) PRINTF_LIKE(1, 2);
NORETURN void fatalx(const char *, ...) PRINTF_LIKE(1, 2);

/* xmalloc.c: allocation that never returns NULL; out of memory is fatal. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);			/* NULL in, NULL out */
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) PRINTF_LIKE(1, 2);	/* caller frees */
size_t	 strlcpy(char *, const char *, size_t);	/* glibc 2.36 lacks it */

/*
 * buf.c: a growable byte buffer with a hard cap (curl's dynbuf "toobig").
 * data is from malloc() and always NUL-terminated once anything was added.
 */
struct buf {
	char	*data;		/* from malloc(), NUL-terminated, or NULL */
	size_t	 len;		/* bytes used, without the NUL */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* hard limit on len; 0 means SIZE_MAX */
};
void	 buf_init(struct buf *, size_t max);
int	 buf_add(struct buf *, const void *, size_t);	/* -1 when over max */
int	 buf_addstr(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...) PRINTF_LIKE(2, 3);
const char *buf_str(struct buf *);	/* borrowed; "" when empty */
char	*buf_steal(struct buf *);	/* caller frees; buffer is reset */
void	 buf_reset(struct buf *);	/* len = 0, keeps memory */
void	 buf_free(struct buf *);

/* timeutil.c: wall time in seconds since the epoch, UTC. */
int64_t	 time_now(void);
int64_t	 time_now_ms(void);		/* wall clock, ms (shared by nodes) */
int64_t	 time_mono_ms(void);		/* monotonic, for durations */
void	 time_fmt_iso(int64_t t, char *out, size_t outsz);	/* 2026-11-22T03:21:38Z */
int	 time_parse_iso(const char *s, int64_t *t);	/* ISO 8601 date or date-time; 0 or -1 */
int	 time_parse_hhmm(const char *s, int *minutes);	/* "22:00" -> 1320; 0 or -1 */
/*
 * A time zone by IANA name ("Asia/Shanghai"), for local days and offsets.
 * One calendar inside: use a tz from one thread at a time.
 */
struct tz;
struct tz *tz_open(const char *zone);	/* new (tz_close), NULL if unknown */
void	 tz_close(struct tz *);		/* NULL-safe */
int	 tz_offset(struct tz *, int64_t t);	/* minutes east of UTC at t */
/* t with the zone's offset at t: 2026-12-06T11:48:00+08:00 */
void	 time_fmt_iso_tz(struct tz *, int64_t t, char *out, size_t outsz);
/*
 * As time_parse_iso, but a date or time without "Z" or an offset is local
 * time in the zone: a date alone is its local midnight, or with day_end
 * the next day's (the end of that day, for an inclusive "to").  0 or -1.
 */
int	 time_parse_tz(struct tz *, const char *s, bool day_end, int64_t *t);

/* utf8.c */
bool	 utf8_valid(const char *s, size_t len);
char	*utf8_sanitize(const char *s, size_t len);	/* invalid bytes -> U+FFFD; caller frees */
size_t	 utf8_units16(const char *s);	/* UTF-16 code units (SMS UCS-2 length) */
bool	 utf8_is_gsm_safe(const char *s);	/* only ASCII: a GSM-7 message */
size_t	 utf8_sms_segments(const char *s);	/* SMS parts needed for s */
size_t	 utf8_prefix_units16(const char *s, size_t units);	/* bytes of the longest whole-char prefix */
bool	 utf8_has_cjk(const char *s);
int	 utf8_decode(const char **p, uint32_t *cp);	/* next code point; 0 at end, -1 bad */

/*
 * phone.cc: phone numbers through libphonenumber.  region is an ISO
 * 3166 code ("CN").  phone_normalize writes E.164 into out and returns 0,
 * or returns -1 and points *reason at a static English explanation.
 */
int	 phone_normalize(const char *input, const char *region, char *out,
	    size_t outsz, const char **reason);
void	 phone_mask(const char *e164, char *out, size_t outsz);	/* +86138****8000 */
bool	 phone_region_valid(const char *region);
/* Whether an E.164 number can receive SMS (a mobile, not a landline); *what
 * (may be NULL) names its kind ("a landline").  See phone.cc. */
bool	 phone_is_mobile(const char *e164, const char **what);
/* Whether e164 ("+86...") is a valid number of region ("CN"). */
bool	 phone_in_region(const char *e164, const char *region);

#define PHONE_MAX 32	/* room for any E.164 number and its NUL */
#define PHONE_MASKED_MAX 40

#endif /* MINYI_LIB_H */
