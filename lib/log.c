/*
 * log.c: one line per event on stderr, "LEVEL message", in the manner of
 * OpenSMTPD's log.c.  Messages put the request or message id first and then
 * key=value pairs, so lines can be grepped by message.
 */
#include "lib.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static int	log_level;	/* -1 warnings only, 0 info, 1 debug */
static _Atomic uint64_t	next_id;	/* log_id_next's counter */
static pthread_once_t	next_id_once = PTHREAD_ONCE_INIT;

static void	vlog(const char *, const char *, va_list, int) PRINTF_LIKE(2, 0);

void
log_init(int verbose)
{
	log_level = verbose;
}

int
log_verbose(void)
{
	return log_level;
}

static void
log_id_seed(void)
{
	uint64_t	 start;

	if (getrandom(&start, sizeof(start), 0) != (ssize_t)sizeof(start))
		fatal("log: no random bytes for ids");
	atomic_store(&next_id, start);
}

/*
 * A new id for a request (or anything else without an id of its own) to
 * lead its log lines: a random start per process, so two runs' logs share
 * no ids, then one more per call.  Never 0.  Thread-safe.
 */
uint64_t
log_id_next(void)
{
	uint64_t	 id;

	pthread_once(&next_id_once, log_id_seed);
	while ((id = atomic_fetch_add(&next_id, 1)) == 0)
		;		/* 0 is no id: skipped when the counter wraps */
	return id;
}

/*
 * msg into out (outsz > 0, NUL-terminated) with every control character
 * escaped, so that no value from outside (a caller's "number", a reason
 * quoting a body) can end a line and forge the next one: \n \r \t \\
 * as written, other C0 bytes, DEL and bytes that are not UTF-8 as \xHH,
 * C1 controls (U+0080..U+009F), the line and paragraph separators and
 * the bidi controls (U+2028..U+202E, U+2066..U+2069) as \uHHHH.  Whole
 * escapes only: a line that does not fit is cut before one.
 */
void
log_escape(const char *msg, char *out, size_t outsz)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*p = msg, *q;
	char			 esc[8];
	size_t			 o = 0, n;
	uint32_t		 cp;

	while (*p != '\0') {
		unsigned char c = (unsigned char)*p;

		q = p;
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			esc[0] = (char)c;
			n = 1;
			p++;
		} else if (c == '\\' || c == '\n' || c == '\r' || c == '\t') {
			esc[0] = '\\';
			esc[1] = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ?
			    'r' : 't';
			n = 2;
			p++;
		} else if (c >= 0x80 && utf8_decode(&q, &cp) > 0) {
			if (cp < 0xa0 || (cp >= 0x2028 && cp <= 0x202e) ||
			    (cp >= 0x2066 && cp <= 0x2069)) {
				esc[0] = '\\';
				esc[1] = 'u';
				esc[2] = hex[(cp >> 12) & 15];
				esc[3] = hex[(cp >> 8) & 15];
				esc[4] = hex[(cp >> 4) & 15];
				esc[5] = hex[cp & 15];
				n = 6;
			} else {
				n = (size_t)(q - p);
				memcpy(esc, p, n);
			}
			p = q;
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			n = 4;
			p++;
		}
		if (o + n >= outsz)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
}

/*
 * Format one line, escape it (log_escape: every value logged goes through
 * here, so none needs escaping at its call) and write it with one call.
 */
static void
vlog(const char *level, const char *fmt, va_list ap, int err)
{
	char	 msg[2048];
	char	 line[4096];
	size_t	 n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err) {
		size_t len = strlen(msg);
		snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(err));
	}
	n = (size_t)snprintf(line, sizeof(line), "%s ", level);
	log_escape(msg, line + n, sizeof(line) - n);
	fprintf(stderr, "%s\n", line);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog("warn", fmt, ap, saved);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("warn", fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < 0)
		return;
	va_start(ap, fmt);
	vlog("info", fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	vlog("debug", fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog("fatal", fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("fatal", fmt, ap, 0);
	va_end(ap);
	exit(1);
}
