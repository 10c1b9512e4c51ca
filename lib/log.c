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

/* Format one line into a local buffer and write it with one call. */
static void
vlog(const char *level, const char *fmt, va_list ap, int err)
{
	char	 line[2048];
	int	 n;

	n = snprintf(line, sizeof(line), "%s ", level);
	if (n < 0)
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (err) {
		size_t len = strlen(line);
		snprintf(line + len, sizeof(line) - len, ": %s", strerror(err));
	}
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
