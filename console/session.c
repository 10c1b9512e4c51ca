/*
 * session.c: logging in and out of the workbench, and who asks each
 * request.
 *
 * POST /console/login (form username, password) checks the Argon2id hash
 * (on the HTTP thread: it takes a tenth of a second and 64 MB by design,
 * and must not hold the writer), then a writer job counts the failure or
 * opens the session.  A session is a random 32-byte token in a cookie
 * (HttpOnly, SameSite=Strict, Path=/, Secure when server.public_url is
 * https); the store keeps only its SHA-256, with a CSRF token and the time
 * it was last used.  Idle for CONSOLE_IDLE_SECONDS, it is gone.
 * CONSOLE_FAIL_MAX failures within CONSOLE_FAIL_WINDOW lock the account
 * for CONSOLE_LOCK_SECONDS; the count is in the store, so it holds across
 * threads and restarts.
 *
 * Every session write is a writer job: login and logout wait for its
 * commit before they answer (acknowledged = durable).  Marking a session
 * used is the exception: it is submitted without waiting, at most once a
 * minute per session, since a lost mark costs at most a minute of idle
 * time.
 */
#include "console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#define TOKEN_BYTES	32
#define TOUCH_SECONDS	60	/* mark a session used at most this often */

static pthread_once_t	 sodium_once = PTHREAD_ONCE_INIT;
static char		 dummy_hash[crypto_pwhash_STRBYTES];

/* libsodium, and a hash to check unknown usernames against, so that they
 * take as long as known ones. */
static void
console_sodium_init(void)
{
	if (sodium_init() < 0)
		fatalx("console: libsodium did not start");
	if (crypto_pwhash_str(dummy_hash, "not a password", 14,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		fatalx("console: cannot hash (out of memory)");
}

/* TOKEN_BYTES random bytes as hex into out (2 * TOKEN_BYTES + 1). */
static void
random_hex(char *out, size_t outsz)
{
	unsigned char	 raw[TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, outsz, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

/* Hex SHA-256 of token into out (65 bytes). */
static void
token_hash(const char *token, char *out, size_t outsz)
{
	unsigned char	 h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, outsz, h, sizeof(h));
}

static bool
bearer_ok(struct req *r, struct gateway *gw)
{
	const char	*h = http_req_header(r, "Authorization");
	size_t		 n;

	if (gw->admin_token == NULL || h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	n = strlen(gw->admin_token);
	return strlen(h) == n && CRYPTO_memcmp(h, gw->admin_token, n) == 0;
}

struct touch_job {
	char	 token_hash[65];
	int64_t	 now;
};

static int
touch_job(struct store *st, void *arg)
{
	struct touch_job	*j = arg;

	return store_session_touch(st, j->token_hash, j->now);
}

static void
touch_done(void *arg, int rc)
{
	(void)rc;
	free(arg);
}

int
console_auth(struct req *r, struct gateway *gw, struct console_who *who)
{
	struct store_session	 s;
	struct store		*st;
	struct touch_job	*tj;
	const char		*cookie;
	char			 th[65];
	int64_t			 now = time_now();
	int			 rc;

	memset(who, 0, sizeof(*who));
	if (bearer_ok(r, gw)) {
		who->kind = CONSOLE_COUNTY;
		strlcpy(who->id, "admin", sizeof(who->id));
		who->name = "admin";
		who->scope.all = true;
		return 1;
	}
	cookie = http_req_cookie(r, CONSOLE_COOKIE);
	if (cookie == NULL || strlen(cookie) != 2 * TOKEN_BYTES ||
	    strspn(cookie, "0123456789abcdef") != 2 * TOKEN_BYTES)
		return 0;
	token_hash(cookie, th, sizeof(th));
	st = reader_pool_get(&gw->root->readers);
	rc = store_session_get(st, th, &s);
	reader_pool_put(&gw->root->readers, st);
	if (rc <= 0)
		return rc;
	if (s.seen_at < now - CONSOLE_IDLE_SECONDS)
		return 0;
	if (console_account_find(gw->cfg, s.account, who) != 0)
		return 0;	/* no longer in the config */
	if (who->kind == CONSOLE_DEPUTY) {
		st = reader_pool_get(&gw->root->readers);
		rc = store_console_supervised(st, who->id, who->supervised,
		    sizeof(who->supervised));
		reader_pool_put(&gw->root->readers, st);
		if (rc != 0)
			return -1;
		who->scope.supervised = who->supervised;
	}
	who->session = true;
	strlcpy(who->csrf, s.csrf, sizeof(who->csrf));
	strlcpy(who->token_hash, th, sizeof(who->token_hash));
	if (now - s.seen_at >= TOUCH_SECONDS) {
		tj = xcalloc(1, sizeof(*tj));
		strlcpy(tj->token_hash, th, sizeof(tj->token_hash));
		tj->now = now;
		if (store_writer_submit_async(gw->writer, touch_job, tj,
		    touch_done, tj) != 0)
			free(tj);
	}
	return 1;
}

bool
console_csrf_ok(struct req *r, const struct console_who *who)
{
	const char	*h;
	size_t		 n;

	if (!who->session)
		return true;
	h = http_req_header(r, CONSOLE_CSRF_HEADER);
	n = strlen(who->csrf);
	return h != NULL && n > 0 && strlen(h) == n &&
	    CRYPTO_memcmp(h, who->csrf, n) == 0;
}

/* The writer's half of a login: count a failure, or open the session. */
struct login_job {
	const char	*account;	/* borrowed */
	bool		 ok;		/* the password matched */
	int64_t		 now;
	const char	*token_hash;	/* borrowed: the new session's */
	const char	*csrf;		/* borrowed */
	bool		 locked;	/* out: the account is (now) locked */
};

#define LOGIN_LOCKED	2	/* job value: locked, nothing written */

static int
login_job(struct store *st, void *arg)
{
	struct login_job	*j = arg;
	struct store_account	 a;
	int			 n;

	j->locked = false;
	if ((n = store_account_get(st, j->account, &a)) < 0)
		return -1;
	if (n == 1 && a.locked_until > j->now) {
		j->locked = true;
		return LOGIN_LOCKED;
	}
	if (!j->ok)
		return n == 0 ? 0 : store_account_failed(st, j->account, j->now,
		    CONSOLE_FAIL_WINDOW, CONSOLE_FAIL_MAX, CONSOLE_LOCK_SECONDS,
		    &j->locked);
	if (store_account_ok(st, j->account) != 0 ||
	    store_session_expire(st, j->now - CONSOLE_IDLE_SECONDS) != 0 ||
	    store_session_add(st, j->token_hash, j->account, j->csrf, j->now) != 0)
		return -1;
	return 0;
}

static const char *
kind_name(enum console_kind k)
{
	switch (k) {
	case CONSOLE_COUNTY:	return "county";
	case CONSOLE_TOWNSHIP:	return "township";
	case CONSOLE_DEPUTY:	return "deputy";
	case CONSOLE_DEPARTMENT: return "department";
	}
	return "unknown";
}

enum MHD_Result
console_login(struct req *r, struct gateway *gw)
{
	struct console_who	 who;
	struct store_account	 a;
	struct login_job	 job;
	struct store		*st;
	json_t			*form, *o;
	const char		*user, *pass;
	char			 token[2 * TOKEN_BYTES + 1], th[65], csrf[2 * TOKEN_BYTES + 1];
	char			*cookie = NULL;
	bool			 known, has = false;
	int			 rc, n = 0;
	enum MHD_Result		 ret;

	pthread_once(&sodium_once, console_sodium_init);
	memset(&who, 0, sizeof(who));
	if ((form = http_req_form(r)) == NULL)
		return http_req_error(r, 400, "expected a form (application/"
		    "x-www-form-urlencoded) with username and password");
	user = json_string_value(json_object_get(form, "username"));
	pass = json_string_value(json_object_get(form, "password"));
	if (user == NULL || *user == '\0' || pass == NULL || *pass == '\0')
		return http_req_error(r, 400, "username and password are required");

	known = console_account_find(gw->cfg, user, &who) == 0;
	if (known) {
		st = reader_pool_get(&gw->root->readers);
		n = store_account_get(st, who.id, &a);
		reader_pool_put(&gw->root->readers, st);
		if (n < 0) {
			ret = http_req_error(r, 500, "store read failed");
			goto out;
		}
		has = n == 1;
		if (has && a.locked_until > time_now()) {
			log_info("%016" PRIx64 " console login locked account=%s",
			    http_req_id(r), who.id);
			ret = http_req_error(r, 429, "account locked after too many"
			    " failed logins; try again in 15 minutes");
			goto out;
		}
	}
	/* the same work whether or not the account exists */
	if (crypto_pwhash_str_verify(has ? a.hash : dummy_hash, pass,
	    strlen(pass)) != 0)
		has = false;

	memset(&job, 0, sizeof(job));
	job.account = who.id;
	job.ok = has;
	job.now = time_now();
	random_hex(token, sizeof(token));
	random_hex(csrf, sizeof(csrf));
	token_hash(token, th, sizeof(th));
	job.token_hash = th;
	job.csrf = csrf;
	rc = known ? store_writer_submit(gw->writer, login_job, &job) : 0;
	if (rc == LOGIN_LOCKED || (!has && job.locked)) {
		log_info("%016" PRIx64 " console login locked account=%s",
		    http_req_id(r), who.id);
		ret = http_req_error(r, 429, "account locked after too many"
		    " failed logins; try again in 15 minutes");
		goto out;
	}
	if (rc != 0) {
		ret = http_req_error(r, 500, "could not store the login; retry");
		goto out;
	}
	if (!has) {
		log_info("%016" PRIx64 " console login failed account=%s",
		    http_req_id(r), known ? who.id : "-");
		ret = http_req_error(r, 401, "wrong username or password");
		goto out;
	}
	log_info("%016" PRIx64 " console login account=%s", http_req_id(r), who.id);
	cookie = xasprintf(CONSOLE_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/%s",
	    token, strncmp(gw->cfg->server.public_url, "https://", 8) == 0 ?
	    "; Secure" : "");
	o = json_pack("{s:s, s:s?, s:s, s:s}", "id", who.id, "name", who.name,
	    "kind", kind_name(who.kind), "csrf", csrf);
	ret = console_json(r, 200, o, cookie);
	json_decref(o);
out:
	sodium_memzero(token, sizeof(token));
	free(cookie);
	console_who_free(&who);
	return ret;
}

struct logout_job {
	const char	*token_hash;
};

static int
logout_job(struct store *st, void *arg)
{
	struct logout_job	*j = arg;

	return store_session_delete(st, j->token_hash);
}

enum MHD_Result
console_logout(struct req *r, struct gateway *gw)
{
	struct console_who	 who;
	struct logout_job	 job;
	json_t			*o;
	enum MHD_Result		 ret;
	int			 rc;

	if ((rc = console_auth(r, gw, &who)) < 0)
		return http_req_error(r, 500, "store read failed");
	if (rc == 0 || !who.session) {
		console_who_free(&who);
		return http_req_error(r, 401, "not logged in");
	}
	if (!console_csrf_ok(r, &who)) {
		console_who_free(&who);
		return http_req_error(r, 403, "missing or wrong CSRF token");
	}
	job.token_hash = who.token_hash;
	if (store_writer_submit(gw->writer, logout_job, &job) != 0) {
		console_who_free(&who);
		return http_req_error(r, 500, "could not end the session; retry");
	}
	log_info("%016" PRIx64 " console logout account=%s", http_req_id(r), who.id);
	o = json_pack("{s:b}", "ok", 1);
	ret = console_json(r, 200, o, CONSOLE_COOKIE "=; HttpOnly; SameSite=Strict;"
	    " Path=/; Max-Age=0");
	json_decref(o);
	console_who_free(&who);
	return ret;
}
