/*
 * passwd.c: `minyi passwd --config FILE ID`.  The password is one line on
 * standard input; it is kept only as an Argon2id hash (libsodium's
 * crypto_pwhash_str, with the interactive limits) in the store's accounts
 * table, written through the store writer.  Nothing else is kept, and the
 * account's sessions end.
 */
#include "console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define PASSWORD_MAX	1024	/* bytes on the one line read */
#define PASSWORD_MIN	8	/* characters, counted as bytes */

struct passwd_job {
	const char	*id;
	const char	*hash;
	int64_t		 now;
};

static int
passwd_job(struct store *st, void *arg)
{
	struct passwd_job	*j = arg;

	return store_account_set(st, j->id, j->hash, j->now);
}

/*
 * One line from stdin into out (the newline dropped, a CR before it too).
 * 0, or -1 with a reason: nothing read, too long, too short.
 */
static int
read_password(char *out, size_t outsz, const char **why)
{
	size_t	 n;

	if (fgets(out, (int)outsz, stdin) == NULL) {
		*why = "no password on standard input (one line expected)";
		return -1;
	}
	n = strlen(out);
	if (n > 0 && out[n - 1] != '\n' && !feof(stdin)) {
		*why = "password longer than 1023 bytes";
		return -1;
	}
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if (n < PASSWORD_MIN) {
		*why = "password shorter than 8 characters";
		return -1;
	}
	return 0;
}

int
console_passwd(int argc, char **argv)
{
	struct config		*cfg = NULL;
	struct store		*st;
	struct store_writer	*w = NULL;
	struct console_who	 who;
	struct passwd_job	 job;
	const char		*path = NULL, *id = NULL, *why = NULL;
	char			 pw[PASSWORD_MAX];
	char			 hash[crypto_pwhash_STRBYTES];
	char			 err[256];
	int			 i, rc = 1;

	memset(&who, 0, sizeof(who));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (id == NULL && argv[i][0] != '-')
			id = argv[i];
		else
			goto usage;
	}
	if (path == NULL || id == NULL)
		goto usage;
	if ((cfg = gateway_load_config(path, false)) == NULL)
		goto out;
	/* by id only: a phone could name two accounts' owner */
	if ((config_deputy(cfg, id) == NULL && config_department(cfg, id) == NULL &&
	    config_staff(cfg, id) == NULL) ||
	    console_account_find(cfg, id, &who) != 0) {
		fprintf(stderr, "passwd: unknown account \"%s\" (expected the id of a"
		    " deputy, department or staff member in %s)\n", id, path);
		goto out;
	}
	if (read_password(pw, sizeof(pw), &why) != 0) {
		fprintf(stderr, "passwd: %s\n", why);
		goto out;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "passwd: libsodium did not start\n");
		goto out;
	}
	if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "passwd: out of memory hashing the password\n");
		goto out;
	}
	if ((st = store_open_cfg(cfg, 0, false, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "passwd: cannot open the store: %s\n", err);
		goto out;
	}
	w = store_writer_start(st, 0);
	job.id = who.id;
	job.hash = hash;
	job.now = time_now();
	if (store_writer_submit(w, passwd_job, &job) != 0) {
		fprintf(stderr, "passwd: could not store the password\n");
		goto out;
	}
	printf("password set for %s (%s); their sessions are ended\n", who.id,
	    who.name ? who.name : "");
	rc = 0;
	goto out;
usage:
	fprintf(stderr, "usage: minyi passwd --config FILE ID  (the password on"
	    " standard input, one line)\n");
	rc = 2;
out:
	sodium_memzero(pw, sizeof(pw));
	if (w != NULL)
		store_writer_stop(w);
	console_who_free(&who);
	config_free(cfg);
	return rc;
}
