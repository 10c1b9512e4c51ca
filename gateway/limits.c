/*
 * limits.c: the per-sender inbound limit.  A fixed table of slots hashed
 * by sender, each counting that sender's messages in the current minute:
 * memory stays bounded whatever the flood (a collision only lends one
 * sender another's count for a minute).  Over the limit a webhook gets 429
 * and the sender, once per window, a polite reply.
 */
#include "gateway.h"

#include <string.h>

#define LIMIT_SLOTS	16384
#define LIMIT_WINDOW	60	/* seconds */

struct limit_slot {
	char	 who[48];	/* sender, truncated */
	int64_t	 window;	/* start of the counted minute */
	int	 count;		/* messages in it */
	bool	 told;		/* the polite reply went out in it */
};

static pthread_mutex_t		 limit_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct limit_slot	 limit_slots[LIMIT_SLOTS];

static uint32_t
limit_hash(const char *s)
{
	uint32_t	 h = 2166136261u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

enum limit_verdict
gateway_limit_check(const char *who, int per_minute, int64_t now)
{
	struct limit_slot	*sl = &limit_slots[limit_hash(who) % LIMIT_SLOTS];
	int64_t			 window = now - now % LIMIT_WINDOW;
	enum limit_verdict	 v = LIMIT_OK;

	pthread_mutex_lock(&limit_mtx);
	if (sl->window != window || strncmp(sl->who, who, sizeof(sl->who) - 1) != 0) {
		strlcpy(sl->who, who, sizeof(sl->who));
		sl->window = window;
		sl->count = 0;
		sl->told = false;
	}
	if (++sl->count > per_minute) {
		v = sl->told ? LIMIT_OVER : LIMIT_OVER_TELL;
		sl->told = true;
	}
	pthread_mutex_unlock(&limit_mtx);
	return v;
}
