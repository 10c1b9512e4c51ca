/*
 * limits.c: the per-sender inbound limit.  A fixed table of slots, each
 * counting one sender's messages in the current minute: memory stays
 * bounded whatever the flood.  A sender's slot is found by its key, the
 * sender itself (compared whole, never only its hash), among LIMIT_PROBE
 * slots from its hash; a slot whose minute is over is free.  Only when
 * every one of them holds another sender counted this minute (a flood of
 * senders, or keys made to collide) does the sender share the first one's
 * count: it may then be limited early, never let through.  Over the limit
 * a webhook gets 429 and the sender, once per window, a polite reply.
 */
#include "gateway.h"

#include <string.h>

#include <openssl/evp.h>

#define LIMIT_SLOTS	16384
#define LIMIT_PROBE	8	/* slots looked at for one sender */
#define LIMIT_WINDOW	60	/* seconds */
#define LIMIT_KEY	64	/* bytes of a key, its NUL included */

struct limit_slot {
	char	 who[LIMIT_KEY];	/* the key: sender, or "#" + hex SHA-256
					 * of a sender too long to keep */
	int64_t	 window;		/* start of the counted minute */
	int	 count;			/* messages in it */
	bool	 told;			/* the polite reply went out in it */
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

/* who as a key: itself when it fits, else "#" and 62 hex digits of its
 * SHA-256 (a phone number always fits; a long group member id may not). */
static void
limit_key(const char *who, char key[LIMIT_KEY])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0, i;

	if (strlcpy(key, who, LIMIT_KEY) < LIMIT_KEY)
		return;
	if (EVP_Digest(who, strlen(who), md, &mdlen, EVP_sha256(), NULL) != 1)
		fatalx("limits: SHA-256 failed");
	key[0] = '#';
	for (i = 0; i < mdlen && 2 * i + 2 < LIMIT_KEY; i++) {
		key[1 + 2 * i] = hex[md[i] >> 4];
		key[2 + 2 * i] = hex[md[i] & 15];
	}
	key[1 + 2 * i] = '\0';
}

enum limit_verdict
gateway_limit_check(const char *who, int per_minute, int64_t now)
{
	struct limit_slot	*sl = NULL, *free_sl = NULL, *s;
	int64_t			 window = now - now % LIMIT_WINDOW;
	enum limit_verdict	 v = LIMIT_OK;
	char			 key[LIMIT_KEY];
	uint32_t		 h;
	size_t			 i;

	limit_key(who, key);
	h = limit_hash(key);
	pthread_mutex_lock(&limit_mtx);
	for (i = 0; i < LIMIT_PROBE && sl == NULL; i++) {
		s = &limit_slots[(h + i) % LIMIT_SLOTS];
		if (s->window == window && strcmp(s->who, key) == 0)
			sl = s;
		else if (s->window != window && free_sl == NULL)
			free_sl = s;
	}
	if (sl == NULL && free_sl != NULL) {
		sl = free_sl;
		strlcpy(sl->who, key, sizeof(sl->who));
		sl->window = window;
		sl->count = 0;
		sl->told = false;
	}
	if (sl == NULL)		/* every slot taken this minute: share */
		sl = &limit_slots[h % LIMIT_SLOTS];
	if (++sl->count > per_minute) {
		v = sl->told ? LIMIT_OVER : LIMIT_OVER_TELL;
		sl->told = true;
	}
	pthread_mutex_unlock(&limit_mtx);
	return v;
}
