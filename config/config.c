/*
 * config/config.c: load the JSON configuration of DESIGN.md with Jansson,
 * validate all of it in one pass (every problem becomes one line naming its
 * JSON path, and all of them are reported, not just the first), normalise
 * phone numbers to E.164, and look entries up by id.  The format and every
 * key are documented in config/README.md.
 *
 * Sections are read in an order where each reference points backwards:
 * server, store, region ..., channels, deputies, departments, townships,
 * grids, categories, templates; so a reference is checked as soon as it is
 * read, against what is already loaded.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#define CFG_PATHMAX	256	/* longer JSON paths are cut, never overflowed */

/* One load: the config being filled and where its problems go. */
struct cfg_load {
	struct config		*cfg;		/* being filled; owned by the caller */
	struct config_errors	*errs;		/* borrowed; NULL: log them */
	size_t			 nproblems;	/* problems found so far */
	const char		*region;	/* for phone numbers; "CN" if bad */
};

static void
config_verr(struct config_errors *errs, const char *path, const char *fmt,
    va_list ap)
{
	char	*msg = NULL;
	char	*line = NULL;

	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("config: vasprintf");
	if (path != NULL && *path != '\0')
		line = xasprintf("%s: %s", path, msg);
	else {
		line = msg;
		msg = NULL;
	}
	free(msg);
	if (errs == NULL) {
		log_warnx("config: %s", line);
		free(line);
		return;
	}
	if (errs->n == errs->cap) {
		errs->cap = errs->cap ? errs->cap * 2 : 8;
		errs->lines = xrealloc(errs->lines, errs->cap * sizeof(*errs->lines));
	}
	errs->lines[errs->n++] = line;	/* owned by errs now */
}

/*
 * Append "path: message" to errs (path may be NULL or "" for a line that
 * is only the message).  With errs == NULL the line is logged instead.
 */
void
config_err(struct config_errors *errs, const char *path, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_verr(errs, path, fmt, ap);
	va_end(ap);
}

void
config_errors_free(struct config_errors *errs)
{
	size_t	 i;

	if (errs == NULL)
		return;
	for (i = 0; i < errs->n; i++)
		free(errs->lines[i]);
	free(errs->lines);
	errs->lines = NULL;
	errs->n = errs->cap = 0;
}

static void ld_err(struct cfg_load *, const char *, const char *, ...)
    PRINTF_LIKE(3, 4);

static void
ld_err(struct cfg_load *ld, const char *path, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_verr(ld->errs, path, fmt, ap);
	va_end(ap);
	ld->nproblems++;
}

/* "parent.key", or "key" at the top; written into buf, which is returned. */
static const char *
ld_path(char *buf, const char *parent, const char *key)
{
	size_t	 n = 0;

	buf[0] = '\0';
	if (parent != NULL && *parent != '\0') {
		if ((n = strlcpy(buf, parent, CFG_PATHMAX)) >= CFG_PATHMAX - 1)
			return buf;
		buf[n++] = '.';
	}
	strlcpy(buf + n, key, CFG_PATHMAX - n);
	return buf;
}

/* "parent[i]" into buf, which is returned. */
static const char *
ld_index(char *buf, const char *parent, size_t i)
{
	size_t	 n;

	if ((n = strlcpy(buf, parent, CFG_PATHMAX)) < CFG_PATHMAX)
		snprintf(buf + n, CFG_PATHMAX - n, "[%zu]", i);
	return buf;
}

/*
 * obj[key] as a new string (caller frees), or NULL when it is absent or
 * wrong; an absent required key and a value that is not a non-empty string
 * are problems.
 */
static char *
ld_string(struct cfg_load *ld, json_t *obj, const char *parent,
    const char *key, bool required)
{
	char		 path[CFG_PATHMAX];
	json_t		*v;

	if ((v = json_object_get(obj, key)) == NULL) {
		if (required)
			ld_err(ld, ld_path(path, parent, key), "required key missing");
		return NULL;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		ld_err(ld, ld_path(path, parent, key), "expected a non-empty string");
		return NULL;
	}
	return xstrdup(json_string_value(v));
}

/*
 * obj[key] as an int in min..max into *out; def when absent and not
 * required.  Returns false after a problem.
 */
static bool
ld_int(struct cfg_load *ld, json_t *obj, const char *parent, const char *key,
    bool required, int def, int min, int max, int *out)
{
	char		 path[CFG_PATHMAX];
	json_t		*v;
	json_int_t	 n;

	if ((v = json_object_get(obj, key)) == NULL) {
		if (required) {
			ld_err(ld, ld_path(path, parent, key), "required key missing");
			return false;
		}
		*out = def;
		return true;
	}
	n = json_is_integer(v) ? json_integer_value(v) : 0;
	if (!json_is_integer(v) || n < min || n > max) {
		ld_path(path, parent, key);
		if (min == 1 && max == INT_MAX)
			ld_err(ld, path, "expected a positive integer");
		else if (min == 0 && max == INT_MAX)
			ld_err(ld, path, "expected a non-negative integer");
		else
			ld_err(ld, path, "expected an integer from %d to %d", min, max);
		return false;
	}
	*out = (int)n;
	return true;
}

/* obj[key] when it is an array (borrowed), else NULL; problems as above. */
static json_t *
ld_array(struct cfg_load *ld, json_t *obj, const char *parent, const char *key,
    bool required, bool nonempty)
{
	char		 path[CFG_PATHMAX];
	json_t		*v;

	if ((v = json_object_get(obj, key)) == NULL) {
		if (required)
			ld_err(ld, ld_path(path, parent, key), "required key missing");
		return NULL;
	}
	if (!json_is_array(v) || (nonempty && json_array_size(v) == 0)) {
		ld_err(ld, ld_path(path, parent, key), nonempty ?
		    "expected a non-empty array" : "expected an array");
		return NULL;
	}
	return v;
}

/* obj[key] when it is an object (borrowed), else NULL. */
static json_t *
ld_object(struct cfg_load *ld, json_t *obj, const char *parent,
    const char *key, bool required)
{
	char		 path[CFG_PATHMAX];
	json_t		*v;

	if ((v = json_object_get(obj, key)) == NULL) {
		if (required)
			ld_err(ld, ld_path(path, parent, key), "required key missing");
		return NULL;
	}
	if (!json_is_object(v)) {
		ld_err(ld, ld_path(path, parent, key), "expected an object");
		return NULL;
	}
	return v;
}

/*
 * obj[key], an array of non-empty strings, into a new vector (caller frees
 * each string and the vector); bad elements are problems and left out.
 */
static void
ld_strings(struct cfg_load *ld, json_t *obj, const char *parent,
    const char *key, bool required, char ***out, size_t *nout)
{
	char		 path[CFG_PATHMAX];
	char		 epath[CFG_PATHMAX];
	json_t		*arr, *v;
	size_t		 i;

	*out = NULL;
	*nout = 0;
	if ((arr = ld_array(ld, obj, parent, key, required, required)) == NULL)
		return;
	ld_path(path, parent, key);
	*out = xcalloc(json_array_size(arr) + 1, sizeof(**out));
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0) {
			ld_err(ld, ld_index(epath, path, i),
			    "expected a non-empty string");
			continue;
		}
		(*out)[(*nout)++] = xstrdup(json_string_value(v));
	}
}

/* obj[key], a required phone number, normalised: a new E.164 string. */
static char *
ld_phone(struct cfg_load *ld, json_t *obj, const char *parent, const char *key)
{
	char		 path[CFG_PATHMAX];
	char		 e164[PHONE_MAX];
	char		*raw = NULL;
	char		*res = NULL;
	const char	*why = NULL;

	if ((raw = ld_string(ld, obj, parent, key, true)) == NULL)
		goto out;
	if (phone_normalize(raw, ld->region, e164, sizeof(e164), &why) == -1) {
		ld_err(ld, ld_path(path, parent, key),
		    "invalid phone number \"%s\": %s", raw, why);
		goto out;
	}
	res = xstrdup(e164);
out:
	free(raw);
	return res;
}

/*
 * obj[key], a required phone number that must receive SMS (a deputy's, a
 * department's): normalised, a new E.164 string, or NULL after a problem.
 */
static char *
ld_mobile(struct cfg_load *ld, json_t *obj, const char *parent, const char *key)
{
	char		 path[CFG_PATHMAX];
	char		*e164;
	const char	*what = NULL;

	if ((e164 = ld_phone(ld, obj, parent, key)) == NULL ||
	    phone_is_mobile(e164, &what))
		return e164;
	ld_err(ld, ld_path(path, parent, key), "\"%s\" is %s, not a mobile "
	    "number: it cannot receive SMS",
	    json_string_value(json_object_get(obj, key)), what);
	free(e164);
	return NULL;
}

/* Each element of an entity array must be an object. */
static bool
ld_is_entry(struct cfg_load *ld, json_t *v, const char *path)
{
	if (json_is_object(v))
		return true;
	ld_err(ld, path, "expected an object");
	return false;
}

/* --- unknown keys --------------------------------------------------------- */

/*
 * Each object's known keys are a NULL-terminated table written just above
 * the function that reads them: a key that is read is listed there, one
 * line, or the check below calls it unknown.
 */

#define KEY_SUGGEST_MAX	40	/* longer keys get no "did you mean" */
#define KEY_LOWER(c)	tolower((unsigned char)(c))

/*
 * Edit distance between a and b, ASCII case ignored: insertions,
 * deletions, substitutions and swaps of two neighbours ("strat", "start")
 * cost 1 each (optimal string alignment).
 */
static size_t
key_distance(const char *a, const char *b)
{
	size_t	 d[KEY_SUGGEST_MAX + 1][KEY_SUGGEST_MAX + 1];
	size_t	 la = strlen(a), lb = strlen(b), i, j, c, best;

	if (la > KEY_SUGGEST_MAX || lb > KEY_SUGGEST_MAX)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			c = KEY_LOWER(a[i - 1]) == KEY_LOWER(b[j - 1]) ? 0 : 1;
			best = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 &&
			    KEY_LOWER(a[i - 1]) == KEY_LOWER(b[j - 2]) &&
			    KEY_LOWER(a[i - 2]) == KEY_LOWER(b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/* Whether key is in the NULL-terminated list (NULL: an empty list). */
static bool
key_listed(const char *key, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

/*
 * The known key closest to key, or NULL when none is close: at most 1
 * edit for keys of up to 4 characters, 2 up to 8, 3 beyond.
 */
static const char *
key_suggest(const char *key, const char *const *lists[2])
{
	const char *const	*k;
	const char		*best = NULL;
	size_t			 d, bestd = SIZE_MAX, limit, i, len;

	for (i = 0; i < 2; i++)
		for (k = lists[i]; k != NULL && *k != NULL; k++) {
			len = strlen(*k);
			limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
			if ((d = key_distance(key, *k)) <= limit && d < bestd) {
				bestd = d;
				best = *k;
			}
		}
	return best;
}

/*
 * Every key of obj (NULL: none) in neither list; returns how many.  Control
 * characters of an unknown key are shown as '?': one problem, one line.
 */
static size_t
keys_check(struct config_errors *errs, json_t *obj, const char *parent,
    const char *const *known, const char *const *more)
{
	const char *const	*lists[2] = { known, more };
	char			 path[CFG_PATHMAX];
	char			*p;
	const char		*key, *near;
	json_t			*v;
	size_t			 n = 0;

	json_object_foreach(obj, key, v) {
		if (key_listed(key, known) || key_listed(key, more))
			continue;
		ld_path(path, parent, key);
		for (p = path; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		if ((near = key_suggest(key, lists)) != NULL)
			config_err(errs, path, "unknown key, did you mean \"%s\"?",
			    near);
		else
			config_err(errs, path, "unknown key");
		n++;
	}
	return n;
}

static void
ld_keys(struct cfg_load *ld, json_t *obj, const char *path,
    const char *const *known)
{
	ld->nproblems += keys_check(ld->errs, obj, path, known, NULL);
}

/* --- server, store and the scalar sections ------------------------------ */

/*
 * "host:port": host is an IPv4 address, "localhost" or "[IPv6]" (kept
 * without brackets); port 0..65535, 0 meaning any free port.
 */
static void
ld_listen(struct cfg_load *ld, const char *listen)
{
	struct config	*cfg = ld->cfg;
	unsigned char	 addr[16];
	char		*host = NULL;
	const char	*port, *end;
	long		 n = 0;
	bool		 ok = false;

	if (listen[0] == '[') {
		if ((end = strchr(listen, ']')) == NULL || end[1] != ':')
			goto bad;
		host = xstrndup(listen + 1, (size_t)(end - listen - 1));
		port = end + 2;
		ok = inet_pton(AF_INET6, host, addr) == 1;
	} else {
		if ((end = strchr(listen, ':')) == NULL || strchr(end + 1, ':'))
			goto bad;
		host = xstrndup(listen, (size_t)(end - listen));
		port = end + 1;
		ok = strcmp(host, "localhost") == 0 ||
		    inet_pton(AF_INET, host, addr) == 1;
	}
	if (!ok)
		goto bad;
	if (*port == '\0' || strspn(port, "0123456789") != strlen(port) ||
	    strlen(port) > 5 || (n = strtol(port, NULL, 10)) > 65535) {
		ld_err(ld, "server.listen", "port must be 0 to 65535, got \"%s\"",
		    listen);
		goto out;
	}
	cfg->server.host = host;
	cfg->server.port = (int)n;
	host = NULL;
	goto out;
bad:
	ld_err(ld, "server.listen", "expected \"host:port\" with host an IPv4 "
	    "address, localhost or [IPv6], got \"%s\"", listen);
out:
	free(host);
}

/* Any key of obj ending in "_env" names an environment variable. */
static void
ld_env_keys(struct cfg_load *ld, json_t *obj, const char *parent)
{
	char		 path[CFG_PATHMAX];
	const char	*key;
	json_t		*v;
	size_t		 len;

	json_object_foreach(obj, key, v) {
		len = strlen(key);
		if (len < 4 || strcmp(key + len - 4, "_env") != 0)
			continue;
		if (!json_is_string(v) || json_string_length(v) == 0)
			ld_err(ld, ld_path(path, parent, key),
			    "expected the name of an environment variable");
	}
}

static bool
host_is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strncmp(host, "127.", 4) == 0;
}

/* server.tls: {"cert": PEM file, "key": PEM file}, both readable. */
static const char *const tls_keys[] = {
	"cert",
	"key",
	NULL
};

static void
ld_tls(struct cfg_load *ld, json_t *srv)
{
	struct config	*cfg = ld->cfg;
	json_t		*tls;
	char		**slot[2] = { &cfg->server.tls_cert, &cfg->server.tls_key };
	const char	*keys[2] = { "cert", "key" };
	char		 path[CFG_PATHMAX];
	size_t		 i;
	FILE		*fp;

	if ((tls = ld_object(ld, srv, "server", "tls", false)) == NULL)
		return;
	ld_keys(ld, tls, "server.tls", tls_keys);
	for (i = 0; i < 2; i++) {
		*slot[i] = ld_string(ld, tls, "server.tls", keys[i], true);
		if (*slot[i] == NULL)
			continue;
		if ((fp = fopen(*slot[i], "r")) == NULL) {
			snprintf(path, sizeof(path), "server.tls.%s", keys[i]);
			ld_err(ld, path, "cannot read \"%s\": %s", *slot[i], strerror(errno));
			continue;
		}
		fclose(fp);
	}
}

/* server's keys, each read below (tls by ld_tls) */
static const char *const server_keys[] = {
	"listen",
	"public_url",
	"max_body_bytes",
	"threads",
	"max_connections",
	"max_connections_per_ip",
	"idle_timeout_seconds",
	"header_timeout_seconds",
	"drain_seconds",
	"admin_token_env",
	"tls",
	"node_id",
	"node_timeout_seconds",
	NULL
};

static void
ld_server(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	json_t		*srv, *v;
	char		*url = NULL;
	size_t		 len;
	int		 n;

	if ((srv = ld_object(ld, root, NULL, "server", true)) == NULL)
		goto out;
	ld_keys(ld, srv, "server", server_keys);
	if ((cfg->server.listen = ld_string(ld, srv, "server", "listen",
	    true)) != NULL)
		ld_listen(ld, cfg->server.listen);
	if ((url = ld_string(ld, srv, "server", "public_url", false)) != NULL) {
		if (strncmp(url, "http://", 7) != 0 &&
		    strncmp(url, "https://", 8) != 0) {
			ld_err(ld, "server.public_url", "expected an http:// or "
			    "https:// URL, got \"%s\"", url);
		} else {
			len = strlen(url);
			while (len > 0 && url[len - 1] == '/')
				url[--len] = '\0';
			cfg->server.public_url = url;
			url = NULL;
		}
	} else if (cfg->server.listen != NULL &&
	    json_object_get(srv, "public_url") == NULL)
		cfg->server.public_url = xasprintf("http://%s", cfg->server.listen);
	if (ld_int(ld, srv, "server", "max_body_bytes", false, 65536, 1,
	    INT_MAX, &n))
		cfg->server.max_body_bytes = (size_t)n;
	ld_int(ld, srv, "server", "threads", false, 4, 1, INT_MAX,
	    &cfg->server.threads);
	ld_int(ld, srv, "server", "max_connections", false, 4096, 1, 1 << 20,
	    &cfg->server.max_connections);
	ld_int(ld, srv, "server", "max_connections_per_ip", false, 256, 0,
	    1 << 20, &cfg->server.max_connections_per_ip);
	ld_int(ld, srv, "server", "idle_timeout_seconds", false, 30, 1, 86400,
	    &cfg->server.idle_timeout_seconds);
	ld_int(ld, srv, "server", "header_timeout_seconds", false, 10, 1, 86400,
	    &cfg->server.header_timeout_seconds);
	ld_int(ld, srv, "server", "drain_seconds", false, 10, 0, 3600,
	    &cfg->server.drain_seconds);
	cfg->server.node_id = ld_string(ld, srv, "server", "node_id", false);
	if (cfg->server.node_id != NULL && (strlen(cfg->server.node_id) == 0 ||
	    strlen(cfg->server.node_id) > 64))
		ld_err(ld, "server.node_id", "expected 1 to 64 characters");
	ld_int(ld, srv, "server", "node_timeout_seconds", false, 30, 2, 3600,
	    &cfg->server.node_timeout_seconds);
	ld_env_keys(ld, srv, "server");
	v = json_object_get(srv, "admin_token_env");
	if (json_is_string(v) && json_string_length(v) > 0)
		cfg->server.admin_token_env = xstrdup(json_string_value(v));
	ld_tls(ld, srv);
	/* Off this machine, webhooks and the admin API need HTTPS and a token. */
	if (cfg->server.host != NULL && !host_is_loopback(cfg->server.host) &&
	    (cfg->server.public_url == NULL ||
	    strncmp(cfg->server.public_url, "https://", 8) != 0 ||
	    cfg->server.admin_token_env == NULL))
		ld_err(ld, "server.listen", "\"%s\" is not a loopback address: it "
		    "needs server.public_url over https:// and server.admin_token_env",
		    cfg->server.listen);
out:
	free(url);
}

static const char *const store_keys[] = {
	"backend",
	"path",
	"synchronous",
	"conninfo_env",
	"read_conninfo_env",
	NULL
};

static void
ld_store(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	json_t		*st;

	if ((st = ld_object(ld, root, NULL, "store", false)) != NULL) {
		ld_keys(ld, st, "store", store_keys);
		cfg->store.backend = ld_string(ld, st, "store", "backend", false);
		cfg->store.path = ld_string(ld, st, "store", "path", false);
		cfg->store.synchronous = ld_string(ld, st, "store",
		    "synchronous", false);
		ld_env_keys(ld, st, "store");
		cfg->store.conninfo_env = ld_string(ld, st, "store",
		    "conninfo_env", false);
		cfg->store.read_conninfo_env = ld_string(ld, st, "store",
		    "read_conninfo_env", false);
	}
	if (cfg->store.backend == NULL && json_object_get(st, "backend") == NULL)
		cfg->store.backend = xstrdup("sqlite");
	if (cfg->store.backend != NULL &&
	    strcmp(cfg->store.backend, "sqlite") != 0 &&
	    strcmp(cfg->store.backend, "postgresql") != 0)
		ld_err(ld, "store.backend", "expected \"sqlite\" or \"postgresql\", "
		    "got \"%s\"", cfg->store.backend);
	if (cfg->store.backend != NULL &&
	    strcmp(cfg->store.backend, "postgresql") == 0) {
		if (json_object_get(st, "conninfo_env") == NULL)
			ld_err(ld, "store.conninfo_env", "required with store.backend"
			    " \"postgresql\": the environment variable holding the"
			    " libpq connection string");
		if (json_object_get(st, "path") != NULL)
			ld_err(ld, "store.path", "only with store.backend \"sqlite\"");
		if (json_object_get(st, "synchronous") != NULL)
			ld_err(ld, "store.synchronous", "only with store.backend"
			    " \"sqlite\" (PostgreSQL's synchronous_commit must be on)");
	} else {
		if (json_object_get(st, "conninfo_env") != NULL)
			ld_err(ld, "store.conninfo_env", "only with store.backend"
			    " \"postgresql\"");
		if (json_object_get(st, "read_conninfo_env") != NULL)
			ld_err(ld, "store.read_conninfo_env", "only with store.backend"
			    " \"postgresql\"");
	}
	if (cfg->store.synchronous != NULL &&
	    strcmp(cfg->store.synchronous, "FULL") != 0 &&
	    strcmp(cfg->store.synchronous, "NORMAL") != 0)
		ld_err(ld, "store.synchronous", "expected \"FULL\" or \"NORMAL\", "
		    "got \"%s\"", cfg->store.synchronous);
	if (cfg->store.path == NULL && json_object_get(st, "path") == NULL)
		cfg->store.path = xstrdup("var/minyi.db");
	if (cfg->store.synchronous == NULL &&
	    json_object_get(st, "synchronous") == NULL)
		cfg->store.synchronous = xstrdup("FULL");
}

/* An IANA zone name that ICU knows as a system zone ("Asia/Shanghai"). */
static bool
ld_timezone_valid(const char *tz)
{
	UChar		 id[128], canon[128];
	UErrorCode	 uerr = U_ZERO_ERROR;
	UBool		 sys = 0;
	int32_t		 len = 0;

	u_strFromUTF8(id, (int32_t)nitems(id), &len, tz, -1, &uerr);
	if (U_FAILURE(uerr) || len >= (int32_t)nitems(id))
		return false;
	ucal_getCanonicalTimeZoneID(id, len, canon, (int32_t)nitems(canon),
	    &sys, &uerr);
	return U_SUCCESS(uerr) && sys;
}

/* A value or its default; a present but bad value stays NULL (a problem). */
static char *
ld_string_def(struct cfg_load *ld, json_t *obj, const char *parent,
    const char *key, const char *def)
{
	if (json_object_get(obj, key) == NULL)
		return xstrdup(def);
	return ld_string(ld, obj, parent, key, false);
}

/* HH:MM as minutes after midnight; def when absent. */
static void
ld_hhmm(struct cfg_load *ld, json_t *obj, const char *parent, const char *key,
    int def, int *out)
{
	char		 path[CFG_PATHMAX];
	json_t		*v;
	const char	*s;

	*out = def;
	if ((v = json_object_get(obj, key)) == NULL)
		return;
	s = json_is_string(v) ? json_string_value(v) : "";
	/* time_parse_hhmm lets sscanf skip signs and blanks; insist on digits */
	if (!json_is_string(v) || strlen(s) != 5 ||
	    strspn(s, "0123456789") != 2 || strspn(s + 3, "0123456789") != 2 ||
	    time_parse_hhmm(s, out) == -1) {
		*out = def;
		ld_path(path, parent, key);
		if (json_is_string(v))
			ld_err(ld, path, "expected a time HH:MM, got \"%s\"", s);
		else
			ld_err(ld, path, "expected a time HH:MM");
	}
}

/* The small sections' keys, each read below. */
static const char *const quiet_hours_keys[] = {
	"start",
	"end",
	NULL
};
static const char *const dialog_keys[] = {
	"idle_minutes",
	"duplicate_days",
	"fallback_hint",
	"sms_channel",
	NULL
};
static const char *const limits_keys[] = {
	"per_sender_per_minute",
	"cases_per_day",
	NULL
};
static const char *const deadlines_keys[] = {
	"accept_hours",
	"escalate_hours",
	"rating_hours",
	NULL
};

static void
ld_scalars(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	json_t		*o;

	cfg->region = ld_string_def(ld, root, NULL, "region", "CN");
	if (cfg->region != NULL && !phone_region_valid(cfg->region)) {
		ld_err(ld, "region", "unknown region \"%s\" (expected an ISO "
		    "3166 code such as \"CN\")", cfg->region);
		free(cfg->region);
		cfg->region = NULL;
	}
	/* phone numbers are still checked, as Chinese ones, after a bad region */
	ld->region = cfg->region != NULL ? cfg->region : "CN";

	cfg->timezone = ld_string_def(ld, root, NULL, "timezone", "Asia/Shanghai");
	if (cfg->timezone != NULL && !ld_timezone_valid(cfg->timezone))
		ld_err(ld, "timezone", "unknown timezone \"%s\" (expected an "
		    "IANA name such as \"Asia/Shanghai\")", cfg->timezone);

	cfg->language = ld_string_def(ld, root, NULL, "language", "zh");
	if (cfg->language != NULL && strcmp(cfg->language, "zh") != 0 &&
	    strcmp(cfg->language, "en") != 0)
		ld_err(ld, "language", "expected \"zh\" or \"en\", got \"%s\"",
		    cfg->language);

	o = ld_object(ld, root, NULL, "quiet_hours", false);
	ld_keys(ld, o, "quiet_hours", quiet_hours_keys);
	ld_hhmm(ld, o, "quiet_hours", "start", 22 * 60, &cfg->quiet_start);
	ld_hhmm(ld, o, "quiet_hours", "end", 8 * 60, &cfg->quiet_end);

	o = ld_object(ld, root, NULL, "dialog", false);
	ld_keys(ld, o, "dialog", dialog_keys);
	ld_int(ld, o, "dialog", "idle_minutes", false, 30, 1, INT_MAX,
	    &cfg->idle_minutes);
	ld_int(ld, o, "dialog", "duplicate_days", false, 7, 0, 365,
	    &cfg->duplicate_days);
	if ((cfg->fallback_hint = ld_string(ld, o, "dialog", "fallback_hint",
	    false)) == NULL)
		cfg->fallback_hint = xstrdup("12345");

	o = ld_object(ld, root, NULL, "limits", false);
	ld_keys(ld, o, "limits", limits_keys);
	ld_int(ld, o, "limits", "per_sender_per_minute", false, 20, 1, INT_MAX,
	    &cfg->per_sender_per_minute);
	ld_int(ld, o, "limits", "cases_per_day", false, 10, 1, INT_MAX,
	    &cfg->cases_per_day);

	o = ld_object(ld, root, NULL, "deadlines", false);
	ld_keys(ld, o, "deadlines", deadlines_keys);
	ld_int(ld, o, "deadlines", "accept_hours", false, 24, 1, INT_MAX,
	    &cfg->accept_hours);
	ld_int(ld, o, "deadlines", "escalate_hours", false, 48, 1, INT_MAX,
	    &cfg->escalate_hours);
	ld_int(ld, o, "deadlines", "rating_hours", false, 72, 1, INT_MAX,
	    &cfg->rating_hours);
}

/* --- the entity arrays --------------------------------------------------- */

/* A reference key: when present it must name an existing entry. */
static char *
ld_ref(struct cfg_load *ld, json_t *obj, const char *parent, const char *key,
    bool required, const char *what, bool (*exists)(const struct config *,
    const char *))
{
	char		 path[CFG_PATHMAX];
	char		*id;

	if ((id = ld_string(ld, obj, parent, key, required)) == NULL)
		return NULL;
	if (!exists(ld->cfg, id))
		ld_err(ld, ld_path(path, parent, key), "unknown %s \"%s\"", what, id);
	return id;
}

static bool
has_grid(const struct config *cfg, const char *id)
{
	return config_grid(cfg, id) != NULL;
}

static bool
has_category(const struct config *cfg, const char *id)
{
	return config_category(cfg, id) != NULL;
}

static bool
has_channel(const struct config *cfg, const char *id)
{
	return config_channel(cfg, id) != NULL;
}

static bool
has_deputy(const struct config *cfg, const char *id)
{
	return config_deputy(cfg, id) != NULL;
}

static bool
has_township(const struct config *cfg, const char *id)
{
	return config_township(cfg, id) != NULL;
}

static bool
has_department(const struct config *cfg, const char *id)
{
	return config_department(cfg, id) != NULL;
}

/*
 * The entry's required "id" as a new string; a problem when an earlier
 * entry of the same array has it (later entries are not filled in yet,
 * and this one's id is still NULL, so exists() sees only earlier ones).
 */
static char *
ld_id(struct cfg_load *ld, json_t *obj, const char *parent,
    bool (*exists)(const struct config *, const char *))
{
	char		 path[CFG_PATHMAX];
	char		*id;

	if ((id = ld_string(ld, obj, parent, "id", true)) != NULL &&
	    exists(ld->cfg, id))
		ld_err(ld, ld_path(path, parent, "id"), "duplicate id \"%s\"", id);
	return id;
}

/* Channel ids appear in URLs (/webhooks/{id}): keep them plain. */
static bool
channel_id_ok(const char *id)
{
	return strspn(id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == strlen(id);
}

/*
 * The keys every channel has, each read below; an adapter's own keys are
 * listed in its descriptor (adapters/), which checks them all with
 * config_check_channel_keys.
 */
static const char *const channel_keys[] = {
	"id",
	"adapter",
	"rate_per_second",
	"max_attempts",
	"retry_base_seconds",
	"lookup_grace_seconds",
	"reply_channel",
	NULL
};

void
config_check_channel_keys(struct config_errors *errs,
    const struct channel_conf *cc, const char *path,
    const char *const *adapter_keys)
{
	keys_check(errs, cc->json, path, channel_keys, adapter_keys);
}

static void
ld_channels(struct cfg_load *ld, json_t *root)
{
	struct config		*cfg = ld->cfg;
	struct channel_conf	*ch;
	char			 path[CFG_PATHMAX];
	char			 p2[CFG_PATHMAX];
	json_t			*arr, *v;
	size_t			 i;

	if ((arr = ld_array(ld, root, NULL, "channels", true, true)) == NULL)
		return;
	cfg->channels = xcalloc(json_array_size(arr), sizeof(*cfg->channels));
	json_array_foreach(arr, i, v) {
		ch = &cfg->channels[cfg->nchannels++];
		ch->max_attempts = 8;
		ch->retry_base_seconds = 2;
		ch->lookup_grace_seconds = 20;
		if (!ld_is_entry(ld, v, ld_index(path, "channels", i)))
			continue;
		ch->json = v;
		ch->id = ld_id(ld, v, path, has_channel);
		if (ch->id != NULL && !channel_id_ok(ch->id))
			ld_err(ld, ld_path(p2, path, "id"), "expected letters, "
			    "digits, \"-\" or \"_\", got \"%s\"", ch->id);
		ch->adapter = ld_string(ld, v, path, "adapter", true);
		ld_int(ld, v, path, "rate_per_second", false, 0, 0, INT_MAX,
		    &ch->rate_per_second);
		ld_int(ld, v, path, "max_attempts", false, 8, 1, INT_MAX,
		    &ch->max_attempts);
		ld_int(ld, v, path, "retry_base_seconds", false, 2, 0, INT_MAX,
		    &ch->retry_base_seconds);
		ld_int(ld, v, path, "lookup_grace_seconds", false, 20, 0, 3600,
		    &ch->lookup_grace_seconds);
		ld_env_keys(ld, v, path);
	}
	/* reply_channel may point forwards: check once all ids are known */
	for (i = 0; i < cfg->nchannels; i++) {
		char *id;

		if (cfg->channels[i].json == NULL)
			continue;
		ld_index(path, "channels", i);
		id = ld_ref(ld, cfg->channels[i].json, path, "reply_channel",
		    false, "channel", has_channel);
		free(id);
	}
}

static const char *const deputy_keys[] = {
	"id",
	"name",
	"name_en",
	"phone",
	"level",
	"notify_channel",
	"duty_weekdays",
	NULL
};

/* obj[key], an array of "mon".."sun", as bits 0 (Monday) .. 6; 0 when absent. */
static unsigned
ld_weekdays(struct cfg_load *ld, json_t *obj, const char *parent, const char *key)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	char		 path[CFG_PATHMAX];
	char		 epath[CFG_PATHMAX];
	json_t		*arr, *v;
	size_t		 i, k;
	unsigned	 bits = 0;

	if ((arr = ld_array(ld, obj, parent, key, false, false)) == NULL)
		return 0;
	ld_path(path, parent, key);
	json_array_foreach(arr, i, v) {
		for (k = 0; json_is_string(v) && k < nitems(days); k++)
			if (strcmp(json_string_value(v), days[k]) == 0)
				break;
		if (!json_is_string(v) || k == nitems(days)) {
			ld_err(ld, ld_index(epath, path, i), "expected mon, tue, wed, "
			    "thu, fri, sat or sun, got %s%s%s", json_is_string(v) ?
			    "\"" : "", json_is_string(v) ? json_string_value(v) :
			    "a non-string", json_is_string(v) ? "\"" : "");
			continue;
		}
		bits |= 1u << k;
	}
	return bits;
}

/*
 * Whose phone e164 already is, among deputies, departments' contacts,
 * staff and observers entered so far: a problem at path when someone's.
 * Staff and observers are told apart from deputies by phone, so a number
 * names one person.  Departments may share a contact (a bureau's office).
 */
static void
ld_phone_unique(struct cfg_load *ld, const char *path, const char *phone)
{
	const struct config		*cfg = ld->cfg;
	const struct deputy		*d;
	const struct staff_member	*sm;
	const struct observer		*o;

	if (phone == NULL)
		return;
	if ((d = config_deputy_by_phone(cfg, phone)) != NULL)
		ld_err(ld, path, "phone number %s is also deputy \"%s\"'s", phone,
		    d->id ? d->id : "");
	else if ((sm = config_staff_by_phone(cfg, phone)) != NULL)
		ld_err(ld, path, "phone number %s is also staff \"%s\"'s", phone,
		    sm->id ? sm->id : "");
	else if ((o = config_observer_by_phone(cfg, phone)) != NULL)
		ld_err(ld, path, "phone number %s is also observer \"%s\"'s", phone,
		    o->id ? o->id : "");
}

static bool
has_staff(const struct config *cfg, const char *id)
{
	return config_staff(cfg, id) != NULL;
}

static bool
has_observer(const struct config *cfg, const char *id)
{
	return config_observer(cfg, id) != NULL;
}

static const char *const staff_keys[] = {
	"id",
	"name",
	"phone",
	"role",
	"township",
	"notify_channel",
	NULL
};

/* staff[]: after townships, which a township member names. */
static void
ld_staff(struct cfg_load *ld, json_t *root)
{
	struct config		*cfg = ld->cfg;
	struct staff_member	*sm;
	char			*role, *phone;
	char			 path[CFG_PATHMAX];
	char			 p2[CFG_PATHMAX];
	json_t			*arr, *v;
	size_t			 i;

	if ((arr = ld_array(ld, root, NULL, "staff", false, false)) == NULL)
		return;
	cfg->staff = xcalloc(json_array_size(arr) + 1, sizeof(*cfg->staff));
	json_array_foreach(arr, i, v) {
		sm = &cfg->staff[cfg->nstaff++];
		if (!ld_is_entry(ld, v, ld_index(path, "staff", i)))
			continue;
		ld_keys(ld, v, path, staff_keys);
		sm->id = ld_id(ld, v, path, has_staff);
		sm->name = ld_string(ld, v, path, "name", true);
		phone = ld_mobile(ld, v, path, "phone");
		ld_phone_unique(ld, ld_path(p2, path, "phone"), phone);
		sm->phone = phone;
		if ((role = ld_string(ld, v, path, "role", true)) != NULL) {
			if (strcmp(role, "county") == 0)
				sm->role = STAFF_COUNTY;
			else if (strcmp(role, "township") == 0)
				sm->role = STAFF_TOWNSHIP;
			else
				ld_err(ld, ld_path(p2, path, "role"), "expected county "
				    "or township, got \"%s\"", role);
		}
		if (role != NULL && strcmp(role, "township") == 0)
			sm->township = ld_ref(ld, v, path, "township", true,
			    "township", has_township);
		else if (role != NULL && strcmp(role, "county") == 0 &&
		    json_object_get(v, "township") != NULL)
			ld_err(ld, ld_path(p2, path, "township"), "only a township "
			    "member has a township");
		free(role);
		sm->notify_channel = ld_ref(ld, v, path, "notify_channel", false,
		    "channel", has_channel);
	}
}

static const char *const observer_keys[] = {
	"id",
	"name",
	"phone",
	"grid",
	NULL
};

/* observers[]: after grids, which each names. */
static void
ld_observers(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	struct observer	*o;
	char		*phone;
	char		 path[CFG_PATHMAX];
	char		 p2[CFG_PATHMAX];
	json_t		*arr, *v;
	size_t		 i;

	if ((arr = ld_array(ld, root, NULL, "observers", false, false)) == NULL)
		return;
	cfg->observers = xcalloc(json_array_size(arr) + 1, sizeof(*cfg->observers));
	json_array_foreach(arr, i, v) {
		o = &cfg->observers[cfg->nobservers++];
		if (!ld_is_entry(ld, v, ld_index(path, "observers", i)))
			continue;
		ld_keys(ld, v, path, observer_keys);
		o->id = ld_id(ld, v, path, has_observer);
		o->name = ld_string(ld, v, path, "name", true);
		phone = ld_mobile(ld, v, path, "phone");
		ld_phone_unique(ld, ld_path(p2, path, "phone"), phone);
		o->phone = phone;
		/* without a grids list, that one problem is enough */
		o->grid = json_is_array(json_object_get(root, "grids")) ?
		    ld_ref(ld, v, path, "grid", true, "grid", has_grid) :
		    ld_string(ld, v, path, "grid", true);
	}
}

/* dialog.sms_channel, once the channels are known; adapters/ checks that
 * it reaches phones and asks for it when several SMS channels could. */
static void
ld_sms_channel(struct cfg_load *ld, json_t *root)
{
	json_t	*o = json_object_get(root, "dialog");

	if (json_is_object(o))
		ld->cfg->sms_channel = ld_ref(ld, o, "dialog", "sms_channel", false,
		    "channel", has_channel);
}

static void
ld_deputies(struct cfg_load *ld, json_t *root)
{
	static const char *const levels[] = { "province", "city", "county",
	    "township" };
	struct config	*cfg = ld->cfg;
	struct deputy	*d;
	const struct deputy *other;
	char		*phone;
	char		 path[CFG_PATHMAX];
	char		 p2[CFG_PATHMAX];
	json_t		*arr, *v;
	size_t		 i, j;

	if ((arr = ld_array(ld, root, NULL, "deputies", true, false)) == NULL)
		return;
	cfg->deputies = xcalloc(json_array_size(arr), sizeof(*cfg->deputies));
	json_array_foreach(arr, i, v) {
		d = &cfg->deputies[cfg->ndeputies++];
		if (!ld_is_entry(ld, v, ld_index(path, "deputies", i)))
			continue;
		ld_keys(ld, v, path, deputy_keys);
		d->id = ld_id(ld, v, path, has_deputy);
		d->name = ld_string(ld, v, path, "name", true);
		d->name_en = ld_string(ld, v, path, "name_en", false);
		/* deputies are told apart by phone: no two may share one */
		if ((phone = ld_mobile(ld, v, path, "phone")) != NULL &&
		    (other = config_deputy_by_phone(cfg, phone)) != NULL)
			ld_err(ld, ld_path(p2, path, "phone"), "phone number %s "
			    "is also deputy \"%s\"'s", phone,
			    other->id ? other->id : "");
		d->phone = phone;
		if ((d->level = ld_string(ld, v, path, "level", true)) != NULL) {
			for (j = 0; j < nitems(levels); j++)
				if (strcmp(d->level, levels[j]) == 0)
					break;
			if (j == nitems(levels))
				ld_err(ld, ld_path(p2, path, "level"), "expected "
				    "province, city, county or township, got \"%s\"",
				    d->level);
		}
		d->notify_channel = ld_ref(ld, v, path, "notify_channel", false,
		    "channel", has_channel);
		d->duty_days = ld_weekdays(ld, v, path, "duty_weekdays");
	}
}

static const char *const department_keys[] = {
	"id",
	"name",
	"name_en",
	"phone",
	"deadline_days",
	"notify_channel",
	"type",
	"township",
	NULL
};

static void
ld_departments(struct cfg_load *ld, json_t *root)
{
	struct config		*cfg = ld->cfg;
	struct department	*d;
	char			 path[CFG_PATHMAX], path2[CFG_PATHMAX];
	json_t			*arr, *v;
	size_t			 i;

	if ((arr = ld_array(ld, root, NULL, "departments", false, false)) == NULL)
		return;
	cfg->departments = xcalloc(json_array_size(arr) + 1,
	    sizeof(*cfg->departments));
	json_array_foreach(arr, i, v) {
		d = &cfg->departments[cfg->ndepartments++];
		d->deadline_days = 3;
		if (!ld_is_entry(ld, v, ld_index(path, "departments", i)))
			continue;
		ld_keys(ld, v, path, department_keys);
		d->id = ld_id(ld, v, path, has_department);
		d->name = ld_string(ld, v, path, "name", true);
		d->name_en = ld_string(ld, v, path, "name_en", false);
		d->phone = ld_mobile(ld, v, path, "phone");
		ld_int(ld, v, path, "deadline_days", false, 3, 1, INT_MAX,
		    &d->deadline_days);
		d->notify_channel = ld_ref(ld, v, path, "notify_channel", false,
		    "channel", has_channel);
		/* 民主评议: the unit's type; its township is checked in
		 * ld_evaluation, once townships are read */
		d->type = ld_string(ld, v, path, "type", false);
		if (d->type != NULL && strcmp(d->type, "enforcement") != 0 &&
		    strcmp(d->type, "management") != 0 &&
		    strcmp(d->type, "service") != 0 &&
		    strcmp(d->type, "window") != 0)
			ld_err(ld, ld_path(path2, path, "type"), "expected "
			    "enforcement, management, service or window, got "
			    "\"%s\"", d->type);
		d->township = ld_string(ld, v, path, "township", false);
	}
}

static const char *const township_keys[] = {
	"id",
	"name",
	"name_en",
	"chair",
	NULL
};

static void
ld_townships(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	struct township	*t;
	char		 path[CFG_PATHMAX];
	json_t		*arr, *v;
	size_t		 i;

	if ((arr = ld_array(ld, root, NULL, "townships", true, false)) == NULL)
		return;
	cfg->townships = xcalloc(json_array_size(arr) + 1,
	    sizeof(*cfg->townships));
	json_array_foreach(arr, i, v) {
		t = &cfg->townships[cfg->ntownships++];
		if (!ld_is_entry(ld, v, ld_index(path, "townships", i)))
			continue;
		ld_keys(ld, v, path, township_keys);
		t->id = ld_id(ld, v, path, has_township);
		t->name = ld_string(ld, v, path, "name", true);
		t->name_en = ld_string(ld, v, path, "name_en", false);
		t->chair = ld_ref(ld, v, path, "chair", true, "deputy",
		    has_deputy);
	}
}

/* grids[i].groups: each (channel, group_id) pair belongs to one grid. */
static const char *const group_keys[] = {
	"channel",
	"group_id",
	"webhook_url",
	NULL
};

static void
ld_grid_groups(struct cfg_load *ld, json_t *gv, const char *gpath,
    struct grid *g)
{
	struct config	*cfg = ld->cfg;
	struct grid_group *gg;
	const struct grid *other;
	char		 path[CFG_PATHMAX];
	char		 p2[CFG_PATHMAX];
	char		 parent[CFG_PATHMAX];
	json_t		*arr, *v;
	size_t		 i;

	if ((arr = ld_array(ld, gv, gpath, "groups", false, false)) == NULL)
		return;
	ld_path(parent, gpath, "groups");
	g->groups = xcalloc(json_array_size(arr) + 1, sizeof(*g->groups));
	json_array_foreach(arr, i, v) {
		gg = &g->groups[g->ngroups];
		if (!ld_is_entry(ld, v, ld_index(path, parent, i)))
			continue;
		ld_keys(ld, v, path, group_keys);
		gg->channel = ld_ref(ld, v, path, "channel", true, "channel",
		    has_channel);
		gg->group_id = ld_string(ld, v, path, "group_id", true);
		gg->webhook_url = ld_string(ld, v, path, "webhook_url", false);
		if (gg->channel != NULL && gg->group_id != NULL &&
		    (other = config_grid_by_group(cfg, gg->channel,
		    gg->group_id)) != NULL)
			ld_err(ld, ld_path(p2, path, "group_id"), "group \"%s\" "
			    "on channel \"%s\" is already grid \"%s\"'s",
			    gg->group_id, gg->channel, other->id ? other->id : "");
		g->ngroups++;	/* counted after the check: not its own dup */
	}
}

/*
 * The grid loaded so far whose aliases (g's own: the first before only)
 * or, with names, whose name (not g's) is name, ASCII case ignored; NULL
 * if none.
 */
static const struct grid *
grid_by_alias(const struct config *cfg, const struct grid *g, size_t before,
    const char *name, bool names)
{
	size_t	 i, j;

	for (i = 0; i < cfg->ngrids; i++) {
		const struct grid *o = &cfg->grids[i];

		if (names && o != g && o->name != NULL &&
		    strcasecmp(o->name, name) == 0)
			return o;
		for (j = 0; j < (o == g ? before : o->naliases); j++)
			if (strcasecmp(o->aliases[j], name) == 0)
				return o;
	}
	return NULL;
}

/*
 * A name residents write must point to one grid: an alias that is also
 * another grid's alias or name is a problem (reported on the later of
 * the two), and so is an alias written twice in one grid.  Indices are
 * the JSON ones.
 */
static void
ld_grid_aliases(struct cfg_load *ld, json_t *gv, const char *gpath,
    const struct grid *g)
{
	const struct grid *other;
	char		 parent[CFG_PATHMAX];
	char		 path[CFG_PATHMAX];
	json_t		*a;
	size_t		 j, k = 0;

	ld_path(parent, gpath, "aliases");
	json_array_foreach(json_object_get(gv, "aliases"), j, a) {
		if (!json_is_string(a) || json_string_length(a) == 0)
			continue;	/* left out of g->aliases, reported */
		if ((other = grid_by_alias(ld->cfg, g, k, g->aliases[k],
		    true)) != NULL)
			ld_err(ld, ld_index(path, parent, j), other == g ?
			    "alias \"%s\" is written twice" : "alias \"%s\" is "
			    "also grid \"%s\"'s", g->aliases[k],
			    other->id ? other->id : "");
		k++;
	}
	if (g->name != NULL && (other = grid_by_alias(ld->cfg, g, 0, g->name,
	    false)) != NULL)
		ld_err(ld, ld_path(path, gpath, "name"), "name \"%s\" is also "
		    "grid \"%s\"'s alias", g->name, other->id ? other->id : "");
}

static const char *const grid_keys[] = {
	"id",
	"name",
	"name_en",
	"township",
	"aliases",
	"deputies",
	"backup",
	"groups",
	"location",
	NULL
};
static const char *const location_keys[] = {
	"lat",
	"lng",
	NULL
};

/* grids[i].location: {"lat", "lng"} in degrees, both required. */
static void
ld_grid_location(struct cfg_load *ld, json_t *gv, const char *gpath, struct grid *g)
{
	static const char *const key[2] = { "lat", "lng" };
	static const double lim[2] = { 90, 180 };
	char		 path[CFG_PATHMAX], p2[CFG_PATHMAX];
	double		 v[2];
	json_t		*o, *n;
	int		 i, bad = 0;

	if ((o = ld_object(ld, gv, gpath, "location", false)) == NULL)
		return;
	ld_path(path, gpath, "location");
	ld_keys(ld, o, path, location_keys);
	for (i = 0; i < 2; i++) {
		if ((n = json_object_get(o, key[i])) == NULL) {
			ld_err(ld, ld_path(p2, path, key[i]), "required key missing");
			bad++;
		} else if (!json_is_number(n) || json_number_value(n) < -lim[i] ||
		    json_number_value(n) > lim[i]) {
			ld_err(ld, ld_path(p2, path, key[i]), "expected degrees "
			    "from %g to %g", -lim[i], lim[i]);
			bad++;
		} else
			v[i] = json_number_value(n);
	}
	if (bad == 0) {
		g->located = true;
		g->lat = v[0];
		g->lng = v[1];
	}
}

static void
ld_grids(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	struct grid	*g;
	char		 path[CFG_PATHMAX];
	char		 p2[CFG_PATHMAX];
	char		 p3[CFG_PATHMAX];
	json_t		*arr, *v, *d;
	size_t		 i, j;

	if ((arr = ld_array(ld, root, NULL, "grids", true, false)) == NULL)
		return;
	cfg->grids = xcalloc(json_array_size(arr) + 1, sizeof(*cfg->grids));
	json_array_foreach(arr, i, v) {
		g = &cfg->grids[cfg->ngrids++];
		if (!ld_is_entry(ld, v, ld_index(path, "grids", i)))
			continue;
		ld_keys(ld, v, path, grid_keys);
		g->id = ld_id(ld, v, path, has_grid);
		g->name = ld_string(ld, v, path, "name", true);
		g->name_en = ld_string(ld, v, path, "name_en", false);
		g->township = ld_ref(ld, v, path, "township", true, "township",
		    has_township);
		ld_strings(ld, v, path, "aliases", false, &g->aliases,
		    &g->naliases);
		ld_grid_aliases(ld, v, path, g);
		ld_strings(ld, v, path, "deputies", true, &g->deputies,
		    &g->ndeputies);
		/* walk the JSON, not g->deputies, so the index is the JSON one */
		ld_path(p2, path, "deputies");
		json_array_foreach(json_object_get(v, "deputies"), j, d) {
			if (json_is_string(d) && json_string_length(d) > 0 &&
			    !has_deputy(cfg, json_string_value(d)))
				ld_err(ld, ld_index(p3, p2, j), "unknown deputy "
				    "\"%s\"", json_string_value(d));
		}
		g->backup = ld_ref(ld, v, path, "backup", false, "deputy",
		    has_deputy);
		ld_grid_groups(ld, v, path, g);
		ld_grid_location(ld, v, path, g);
	}
}

static const char *const category_keys[] = {
	"id",
	"name",
	"name_en",
	"keywords",
	"department",
	"tier",
	NULL
};

static void
ld_categories(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	struct category	*c;
	char		 path[CFG_PATHMAX];
	json_t		*arr, *v;
	size_t		 i;

	if ((arr = ld_array(ld, root, NULL, "categories", true, false)) == NULL)
		return;
	cfg->categories = xcalloc(json_array_size(arr) + 1,
	    sizeof(*cfg->categories));
	json_array_foreach(arr, i, v) {
		c = &cfg->categories[cfg->ncategories++];
		if (!ld_is_entry(ld, v, ld_index(path, "categories", i)))
			continue;
		ld_keys(ld, v, path, category_keys);
		c->id = ld_id(ld, v, path, has_category);
		c->name = ld_string(ld, v, path, "name", true);
		if ((c->name_en = ld_string(ld, v, path, "name_en", false)) == NULL &&
		    json_object_get(v, "name_en") == NULL)
			c->name_en = xstrdup(c->name);
		ld_strings(ld, v, path, "keywords", false, &c->keywords,
		    &c->nkeywords);
		c->department = ld_ref(ld, v, path, "department", false,
		    "department", has_department);
		ld_int(ld, v, path, "tier", true, 0, 1, 3, &c->tier);
	}
}

/* templates: {"zh": {key: text}, "en": {...}}, keys and placeholders known. */
static void
ld_templates(struct cfg_load *ld, json_t *root)
{
	char		 path[CFG_PATHMAX];
	char		 lpath[CFG_PATHMAX];
	char		 bad[64];
	const char	*lang, *key, *near;
	const char	**known = NULL;
	const char *const *lists[2] = { NULL, NULL };
	json_t		*t, *o, *v;
	size_t		 n;

	if ((t = ld_object(ld, root, NULL, "templates", false)) == NULL)
		return;
	/* the built-in keys, for "did you mean" */
	for (n = 0; config_template_key(n) != NULL; n++)
		;
	known = xcalloc(n + 1, sizeof(*known));
	for (n = 0; config_template_key(n) != NULL; n++)
		known[n] = config_template_key(n);
	lists[0] = known;
	json_object_foreach(t, lang, o) {
		ld_path(lpath, "templates", lang);
		if (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0) {
			ld_err(ld, lpath, "unknown language \"%s\" (expected "
			    "\"zh\" or \"en\")", lang);
			continue;
		}
		if (!json_is_object(o)) {
			ld_err(ld, lpath, "expected an object");
			continue;
		}
		json_object_foreach(o, key, v) {
			ld_path(path, lpath, key);
			if (!config_template_known(key) &&
			    (near = key_suggest(key, lists)) != NULL)
				ld_err(ld, path, "unknown template \"%s\", did you "
				    "mean \"%s\"?", key, near);
			else if (!config_template_known(key))
				ld_err(ld, path, "unknown template \"%s\"", key);
			else if (!json_is_string(v) || json_string_length(v) == 0)
				ld_err(ld, path, "expected a non-empty string");
			else if (config_template_check(key, json_string_value(v),
			    bad, sizeof(bad)) == -1)
				ld_err(ld, path, "unknown placeholder \"{%s}\"", bad);
		}
	}
	free(known);
	ld->cfg->templates = t;
}

/* --- 民主评议, 票决 and 履职考核 ------------------------------------------- */

/* obj[key] as a number in min..max into *out; def when absent. */
static void
ld_number(struct cfg_load *ld, json_t *obj, const char *parent,
    const char *key, double def, double min, double max, double *out)
{
	char		 path[CFG_PATHMAX];
	json_t		*v;

	*out = def;
	if ((v = json_object_get(obj, key)) == NULL)
		return;
	if (!json_is_number(v) || json_number_value(v) < min ||
	    json_number_value(v) > max) {
		ld_err(ld, ld_path(path, parent, key), "expected a number from "
		    "%g to %g", min, max);
		return;
	}
	*out = json_number_value(v);
}

const char *const config_assess_names[ASSESS_COUNT] = {
	"accepted_in_time", "resolved", "satisfaction", "station_days",
	"visits", "reports", "suggestions", "inspections"
};

static const char *const evaluation_keys[] = {
	"daily_weight",
	"concentrated_weight",
	"pool_min",
	"pool_max",
	"quotas",
	"remind_before_minutes",
	"choice_scores",
	"flag_under",
	"channel",
	NULL
};
static const char *const quota_keys[] = {
	"enterprise",
	"resident",
	"villager",
	"ordinary",
	NULL
};
static const char *const vote_keys[] = {
	"quorum",
	NULL
};
static const char *const assessment_keys[] = {
	"weights",
	"stars",
	"interview_below",
	"visits_min",
	NULL
};
/* assessment.weights' keys are config_assess_names, plus the NULL. */
static const char *const assess_weight_keys[] = {
	"accepted_in_time", "resolved", "satisfaction", "station_days",
	"visits", "reports", "suggestions", "inspections", NULL
};

/*
 * evaluation.*, vote.* and assessment.*, and the departments' township
 * (read in ld_departments, checked here once townships are known).
 */
static void
ld_evaluation(struct cfg_load *ld, json_t *root)
{
	static const double assess_def[ASSESS_COUNT] = { 2, 2, 0.1, 5, 1, 3, 5,
	    5 };
	static const double stars_def[4] = { 20, 40, 60, 80 };
	static const int choice_def[3] = { 100, 80, 0 };
	struct config	*cfg = ld->cfg;
	char		 path[CFG_PATHMAX], p2[CFG_PATHMAX];
	json_t		*o, *q, *a;
	double		 x;
	size_t		 i;

	for (i = 0; i < cfg->ndepartments; i++) {
		const struct department *d = &cfg->departments[i];

		if (d->township != NULL && !has_township(cfg, d->township))
			ld_err(ld, ld_path(p2, ld_index(path, "departments", i),
			    "township"), "unknown township \"%s\"", d->township);
	}

	o = ld_object(ld, root, NULL, "evaluation", false);
	ld_keys(ld, o, "evaluation", evaluation_keys);
	ld_number(ld, o, "evaluation", "daily_weight", 0.2, 0, 1,
	    &cfg->evaluation.daily_weight);
	ld_number(ld, o, "evaluation", "concentrated_weight", 0.8, 0, 1,
	    &cfg->evaluation.concentrated_weight);
	if (fabs(cfg->evaluation.daily_weight +
	    cfg->evaluation.concentrated_weight - 1.0) > 1e-9)
		ld_err(ld, "evaluation", "daily_weight and concentrated_weight "
		    "must add up to 1, got %g and %g",
		    cfg->evaluation.daily_weight,
		    cfg->evaluation.concentrated_weight);
	ld_int(ld, o, "evaluation", "pool_min", false, 100, 1, INT_MAX,
	    &cfg->evaluation.pool_min);
	ld_int(ld, o, "evaluation", "pool_max", false, 120, 1, INT_MAX,
	    &cfg->evaluation.pool_max);
	if (cfg->evaluation.pool_max < cfg->evaluation.pool_min)
		ld_err(ld, "evaluation.pool_max", "expected at least pool_min "
		    "(%d), got %d", cfg->evaluation.pool_min,
		    cfg->evaluation.pool_max);
	q = ld_object(ld, o, "evaluation", "quotas", false);
	ld_keys(ld, q, "evaluation.quotas", quota_keys);
	ld_number(ld, q, "evaluation.quotas", "enterprise", 0.2, 0, 1,
	    &cfg->evaluation.quota_enterprise);
	ld_number(ld, q, "evaluation.quotas", "resident", 0.2, 0, 1,
	    &cfg->evaluation.quota_resident);
	ld_number(ld, q, "evaluation.quotas", "villager", 0.3, 0, 1,
	    &cfg->evaluation.quota_villager);
	ld_number(ld, q, "evaluation.quotas", "ordinary", 0.7, 0, 1,
	    &cfg->evaluation.quota_ordinary);
	/* fractions allowed (0.25: 15 seconds), down to the second */
	ld_number(ld, o, "evaluation", "remind_before_minutes", 720, 0, 525600,
	    &x);
	cfg->evaluation.remind_before = (int64_t)llround(x * 60);
	memcpy(cfg->evaluation.choice_scores, choice_def, sizeof(choice_def));
	if ((a = ld_array(ld, o, "evaluation", "choice_scores", false,
	    false)) != NULL) {
		if (json_array_size(a) != 3)
			ld_err(ld, "evaluation.choice_scores", "expected three "
			    "scores (满意, 基本满意, 不满意), 0 to 100");
		for (i = 0; i < 3 && i < json_array_size(a); i++) {
			json_t *v = json_array_get(a, i);

			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 100)
				ld_err(ld, ld_index(path,
				    "evaluation.choice_scores", i),
				    "expected an integer from 0 to 100");
			else
				cfg->evaluation.choice_scores[i] =
				    (int)json_integer_value(v);
		}
	}
	ld_number(ld, o, "evaluation", "flag_under", 80, 0, 100,
	    &cfg->evaluation.flag_under);
	cfg->evaluation.channel = ld_ref(ld, o, "evaluation", "channel", false,
	    "channel", has_channel);

	o = ld_object(ld, root, NULL, "vote", false);
	ld_keys(ld, o, "vote", vote_keys);
	ld_number(ld, o, "vote", "quorum", 2.0 / 3.0, 0, 1, &cfg->vote.quorum);

	o = ld_object(ld, root, NULL, "assessment", false);
	ld_keys(ld, o, "assessment", assessment_keys);
	q = ld_object(ld, o, "assessment", "weights", false);
	ld_keys(ld, q, "assessment.weights", assess_weight_keys);
	for (i = 0; i < ASSESS_COUNT; i++)
		ld_number(ld, q, "assessment.weights", config_assess_names[i],
		    assess_def[i], 0, 1000, &cfg->assessment.weights[i]);
	memcpy(cfg->assessment.stars, stars_def, sizeof(stars_def));
	if ((a = ld_array(ld, o, "assessment", "stars", false, false)) != NULL) {
		if (json_array_size(a) != 4)
			ld_err(ld, "assessment.stars", "expected four ascending "
			    "scores (for 2, 3, 4 and 5 stars)");
		for (i = 0; i < 4 && i < json_array_size(a); i++) {
			json_t *v = json_array_get(a, i);

			if (!json_is_number(v) || (i > 0 && json_number_value(v) <
			    cfg->assessment.stars[i - 1]))
				ld_err(ld, ld_index(path, "assessment.stars", i),
				    "expected a number, not under the one before");
			else
				cfg->assessment.stars[i] = json_number_value(v);
		}
	}
	ld_number(ld, o, "assessment", "interview_below", 20, 0, 1e9,
	    &cfg->assessment.interview_below);
	ld_int(ld, o, "assessment", "visits_min", false, 10, 0, INT_MAX,
	    &cfg->assessment.visits_min);
}

static config_channel_check_fn channel_check;	/* set once at start */

void
config_set_channel_check(config_channel_check_fn fn)
{
	channel_check = fn;
}

/* The top level's keys, each read by one of the ld_ calls below. */
static const char *const root_keys[] = {
	"server",
	"store",
	"region",
	"timezone",
	"language",
	"quiet_hours",
	"dialog",
	"limits",
	"deadlines",
	"channels",
	"deputies",
	"departments",
	"townships",
	"grids",
	"staff",
	"observers",
	"categories",
	"templates",
	"evaluation",
	"vote",
	"assessment",
	"console",
	NULL
};

static const char *const console_keys[] = {
	"tile_url",
	NULL
};

/*
 * console.tile_url: an http(s) URL template with {z}, {x} and {y}, whose
 * origin (scheme://host[:port]) the workbench's CSP then allows images from.
 */
static void
ld_console(struct cfg_load *ld, json_t *root)
{
	struct config	*cfg = ld->cfg;
	json_t		*o;
	const char	*host, *end;
	char		*url;

	o = ld_object(ld, root, NULL, "console", false);
	ld_keys(ld, o, "console", console_keys);
	if ((url = ld_string(ld, o, "console", "tile_url", false)) == NULL)
		return;
	host = strncmp(url, "https://", 8) == 0 ? url + 8 :
	    strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
	end = host ? host + strcspn(host, "/?#") : NULL;
	if (host == NULL || end == host || *end != '/' ||
	    strcspn(url, " \"'\\;,<>") != strlen(url) ||
	    strstr(url, "{z}") == NULL || strstr(url, "{x}") == NULL ||
	    strstr(url, "{y}") == NULL) {
		ld_err(ld, "console.tile_url", "expected an http:// or https:// "
		    "URL with a path holding {z}, {x} and {y}, got \"%s\"", url);
		free(url);
		return;
	}
	cfg->console.tile_url = url;
	cfg->console.tile_origin = xstrndup(url, (size_t)(end - url));
}

/*
 * Validate and fill a config from parsed JSON (root: a new reference,
 * stolen).  Returns the config, or NULL after adding every problem to errs.
 */
static struct config *
config_build(json_t *root, const char *path, struct config_errors *errs)
{
	struct config	*cfg = NULL;
	struct cfg_load	 ld;

	cfg = xcalloc(1, sizeof(*cfg));
	cfg->root = root;
	cfg->path = xstrdup(path);
	memset(&ld, 0, sizeof(ld));
	ld.cfg = cfg;
	ld.errs = errs;
	ld.region = "CN";
	if (!json_is_object(root)) {
		ld_err(&ld, path ? path : "<string>",
		    "expected a JSON object at the top level");
		goto out;
	}
	ld_keys(&ld, root, NULL, root_keys);
	ld_server(&ld, root);
	ld_store(&ld, root);
	ld_scalars(&ld, root);
	ld_channels(&ld, root);
	ld_sms_channel(&ld, root);
	ld_deputies(&ld, root);
	ld_departments(&ld, root);
	ld_townships(&ld, root);
	ld_grids(&ld, root);
	ld_staff(&ld, root);
	ld_observers(&ld, root);
	ld_categories(&ld, root);
	ld_templates(&ld, root);
	ld_evaluation(&ld, root);
	ld_console(&ld, root);
	if (channel_check != NULL) {
		size_t before = errs->n;
		channel_check(cfg, errs);
		ld.nproblems += errs->n - before;
	}
out:
	if (ld.nproblems > 0) {
		config_free(cfg);
		cfg = NULL;
	}
	return cfg;
}

/*
 * A JSON syntax error: "source:line:column: text", or "source: text" when
 * there is no position (a file that cannot be opened).  Jansson calls
 * every file "<stream>", so the source is ours: the path or "<string>".
 */
static void
config_json_error(struct config_errors *errs, const char *source,
    const json_error_t *jerr)
{
	char	*where = NULL;

	if (jerr->line > 0)
		where = xasprintf("%s:%d:%d", source, jerr->line, jerr->column);
	else
		where = xstrdup(source);
	config_err(errs, where, "%s", jerr->text);
	free(where);
}

struct config *
config_load(const char *path, struct config_errors *errs)
{
	json_error_t	 jerr;
	json_t		*root;

	if ((root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		config_json_error(errs, path, &jerr);
		return NULL;
	}
	return config_build(root, path, errs);
}

struct config *
config_load_string(const char *json, struct config_errors *errs)
{
	json_error_t	 jerr;
	json_t		*root;

	if ((root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		config_json_error(errs, "<string>", &jerr);
		return NULL;
	}
	return config_build(root, NULL, errs);
}

static void
free_strv(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
config_free(struct config *cfg)
{
	size_t	 i, j;

	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->server.listen);
	free(cfg->server.host);
	free(cfg->server.public_url);
	free(cfg->server.admin_token_env);
	free(cfg->server.tls_cert);
	free(cfg->server.tls_key);
	free(cfg->server.node_id);
	free(cfg->store.backend);
	free(cfg->store.path);
	free(cfg->store.synchronous);
	free(cfg->store.conninfo_env);
	free(cfg->store.read_conninfo_env);
	free(cfg->region);
	free(cfg->fallback_hint);
	free(cfg->timezone);
	free(cfg->sms_channel);
	free(cfg->language);
	for (i = 0; i < cfg->nchannels; i++) {
		free(cfg->channels[i].id);
		free(cfg->channels[i].adapter);
	}
	free(cfg->channels);
	for (i = 0; i < cfg->ntownships; i++) {
		free(cfg->townships[i].id);
		free(cfg->townships[i].name);
		free(cfg->townships[i].name_en);
		free(cfg->townships[i].chair);
	}
	free(cfg->townships);
	for (i = 0; i < cfg->ngrids; i++) {
		struct grid *g = &cfg->grids[i];

		free(g->id);
		free(g->name);
		free(g->name_en);
		free(g->township);
		free_strv(g->aliases, g->naliases);
		free_strv(g->deputies, g->ndeputies);
		free(g->backup);
		for (j = 0; j < g->ngroups; j++) {
			free(g->groups[j].channel);
			free(g->groups[j].group_id);
			free(g->groups[j].webhook_url);
		}
		free(g->groups);
	}
	free(cfg->grids);
	for (i = 0; i < cfg->ndeputies; i++) {
		free(cfg->deputies[i].id);
		free(cfg->deputies[i].name);
		free(cfg->deputies[i].name_en);
		free(cfg->deputies[i].phone);
		free(cfg->deputies[i].level);
		free(cfg->deputies[i].notify_channel);
	}
	free(cfg->deputies);
	for (i = 0; i < cfg->ndepartments; i++) {
		free(cfg->departments[i].id);
		free(cfg->departments[i].name);
		free(cfg->departments[i].name_en);
		free(cfg->departments[i].phone);
		free(cfg->departments[i].notify_channel);
		free(cfg->departments[i].type);
		free(cfg->departments[i].township);
	}
	free(cfg->departments);
	for (i = 0; i < cfg->nstaff; i++) {
		free(cfg->staff[i].id);
		free(cfg->staff[i].name);
		free(cfg->staff[i].phone);
		free(cfg->staff[i].township);
		free(cfg->staff[i].notify_channel);
	}
	free(cfg->staff);
	for (i = 0; i < cfg->nobservers; i++) {
		free(cfg->observers[i].id);
		free(cfg->observers[i].name);
		free(cfg->observers[i].phone);
		free(cfg->observers[i].grid);
	}
	free(cfg->observers);
	free(cfg->evaluation.channel);
	free(cfg->console.tile_url);
	free(cfg->console.tile_origin);
	for (i = 0; i < cfg->ncategories; i++) {
		free(cfg->categories[i].id);
		free(cfg->categories[i].name);
		free(cfg->categories[i].name_en);
		free_strv(cfg->categories[i].keywords, cfg->categories[i].nkeywords);
		free(cfg->categories[i].department);
	}
	free(cfg->categories);
	json_decref(cfg->root);
	free(cfg);
}

/* --- environment ---------------------------------------------------------- */

const char *
config_secret(const char *envname)
{
	const char	*v;

	if (envname == NULL || (v = getenv(envname)) == NULL || *v == '\0')
		return NULL;
	return v;
}

static int
env_check_one(struct config_errors *errs, const char *path, const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL)
		config_err(errs, path, "environment variable %s is not set", name);
	else if (*v == '\0')
		config_err(errs, path, "environment variable %s is empty", name);
	else
		return 0;
	return -1;
}

/*
 * Returns 0 when every variable named by server.admin_token_env and the
 * channels' "*_env" keys is set and non-empty, else -1 with one problem
 * per variable in errs.
 */
int
config_check_env(const struct config *cfg, struct config_errors *errs)
{
	char		 path[CFG_PATHMAX];
	char		 cpath[CFG_PATHMAX];
	const char	*key;
	json_t		*v;
	size_t		 i, len;
	int		 rc = 0;

	if (cfg->server.admin_token_env != NULL &&
	    env_check_one(errs, "server.admin_token_env",
	    cfg->server.admin_token_env) == -1)
		rc = -1;
	if (cfg->store.conninfo_env != NULL &&
	    env_check_one(errs, "store.conninfo_env", cfg->store.conninfo_env) == -1)
		rc = -1;
	if (cfg->store.read_conninfo_env != NULL &&
	    env_check_one(errs, "store.read_conninfo_env",
	    cfg->store.read_conninfo_env) == -1)
		rc = -1;
	for (i = 0; i < cfg->nchannels; i++) {
		ld_index(cpath, "channels", i);
		json_object_foreach(cfg->channels[i].json, key, v) {
			len = strlen(key);
			if (len < 4 || strcmp(key + len - 4, "_env") != 0 ||
			    !json_is_string(v))
				continue;
			if (env_check_one(errs, ld_path(path, cpath, key),
			    json_string_value(v)) == -1)
				rc = -1;
		}
	}
	return rc;
}

/* --- lookups -------------------------------------------------------------- */

/* Entries with a NULL id only exist while a config is being loaded. */
#define CONFIG_FIND(arr, n, field, key) do {				\
	size_t	 i_;							\
	if ((key) == NULL)						\
		return NULL;						\
	for (i_ = 0; i_ < (n); i_++)					\
		if ((arr)[i_].field != NULL &&				\
		    strcmp((arr)[i_].field, (key)) == 0)		\
			return &(arr)[i_];				\
	return NULL;							\
} while (0)

const struct channel_conf *
config_channel(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->channels, cfg->nchannels, id, id);
}

const struct township *
config_township(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->townships, cfg->ntownships, id, id);
}

const struct grid *
config_grid(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->grids, cfg->ngrids, id, id);
}

const struct deputy *
config_deputy(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->deputies, cfg->ndeputies, id, id);
}

const struct deputy *
config_deputy_by_phone(const struct config *cfg, const char *e164)
{
	CONFIG_FIND(cfg->deputies, cfg->ndeputies, phone, e164);
}

const struct department *
config_department(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->departments, cfg->ndepartments, id, id);
}

const struct department *
config_department_by_phone(const struct config *cfg, const char *e164)
{
	CONFIG_FIND(cfg->departments, cfg->ndepartments, phone, e164);
}

const struct category *
config_category(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->categories, cfg->ncategories, id, id);
}

const struct staff_member *
config_staff(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->staff, cfg->nstaff, id, id);
}

const struct staff_member *
config_staff_by_phone(const struct config *cfg, const char *e164)
{
	CONFIG_FIND(cfg->staff, cfg->nstaff, phone, e164);
}

const struct observer *
config_observer(const struct config *cfg, const char *id)
{
	CONFIG_FIND(cfg->observers, cfg->nobservers, id, id);
}

const struct observer *
config_observer_by_phone(const struct config *cfg, const char *e164)
{
	CONFIG_FIND(cfg->observers, cfg->nobservers, phone, e164);
}

bool
config_deputy_on_duty(const struct deputy *d, int wday)
{
	return d != NULL && wday >= 1 && wday <= 7 && (d->duty_days & (1u << (wday - 1))) != 0;
}

const struct grid *
config_grid_by_group(const struct config *cfg, const char *channel,
    const char *group_id)
{
	size_t	 i, j;

	if (channel == NULL || group_id == NULL)
		return NULL;
	for (i = 0; i < cfg->ngrids; i++)
		for (j = 0; j < cfg->grids[i].ngroups; j++) {
			const struct grid_group *gg = &cfg->grids[i].groups[j];

			if (gg->channel != NULL && gg->group_id != NULL &&
			    strcmp(gg->channel, channel) == 0 &&
			    strcmp(gg->group_id, group_id) == 0)
				return &cfg->grids[i];
		}
	return NULL;
}
