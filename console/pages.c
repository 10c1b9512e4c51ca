/*
 * pages.c: the workbench's routes.  Static files from console/static
 * (MINYI_CONSOLE_DIR) and Chart.js from Debian's libjs-chart.js
 * (MINYI_CHARTJS), both read from local files, never a CDN; the JSON the
 * pages read under /console/api/; login and logout.
 *
 * Every answer carries Content-Security-Policy: default-src 'self' (the
 * pages hold no inline script or style), nosniff and no framing.  A page
 * other than the login page sends a visitor with no session to it.
 */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MINYI_CONSOLE_DIR
#define MINYI_CONSOLE_DIR	"console/static"
#endif
#ifndef MINYI_CHARTJS
#define MINYI_CHARTJS		"/usr/share/javascript/chart.js/chart.min.js"
#endif
#ifndef MINYI_LEAFLET
#define MINYI_LEAFLET		"/usr/share/javascript/leaflet"
#endif

#define FILE_MAX	(4 << 20)	/* largest file served */

static pthread_once_t	 static_once = PTHREAD_ONCE_INIT;
static char		 static_dir[PATH_MAX] = MINYI_CONSOLE_DIR;

/*
 * Where the static files are: an installed binary's own share directory
 * (PREFIX/bin/minyi -> PREFIX/share/minyi/console, what `make install`
 * writes), else the checkout's console/static it was built from.
 */
static void
static_dir_find(void)
{
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;
	struct stat	 sb;
	char		*cand;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';		/* PREFIX/bin */
	cand = xasprintf("%s/../share/minyi/console", exe);
	if (stat(cand, &sb) == 0 && S_ISDIR(sb.st_mode))
		strlcpy(static_dir, cand, sizeof(static_dir));
	free(cand);
}

#define SERIES_DAYS	30

/* console_respond with the CSP csp (NULL: default-src 'self'). */
static enum MHD_Result
respond_csp(struct req *r, unsigned status, const char *ctype, const char *body,
    size_t len, const char *cookie, const char *location, const char *csp)
{
	struct MHD_Response	*resp;

	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, "Content-Security-Policy",
	    csp ? csp : "default-src 'self'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	if (cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", cookie);
	if (location != NULL)
		MHD_add_response_header(resp, "Location", location);
	return http_req_respond(r, status, resp);
}

enum MHD_Result
console_respond(struct req *r, unsigned status, const char *ctype, const char *body,
    size_t len, const char *cookie, const char *location)
{
	return respond_csp(r, status, ctype, body, len, cookie, location, NULL);
}

enum MHD_Result
console_respond_file(struct req *r, const char *ctype, const char *body, size_t len,
    const char *disposition)
{
	struct MHD_Response	*resp;

	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'self'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return http_req_respond(r, 200, resp);
}

enum MHD_Result
console_json(struct req *r, unsigned status, json_t *o, const char *cookie)
{
	char		*text = json_dumps(o, JSON_COMPACT);
	enum MHD_Result	 ret;

	ret = console_respond(r, status, "application/json; charset=utf-8", text,
	    strlen(text), cookie, NULL);
	free(text);
	return ret;
}

static enum MHD_Result
redirect(struct req *r, const char *to)
{
	return console_respond(r, 303, "text/plain; charset=utf-8", "", 0, NULL, to);
}

/* A whole file into a new buffer (caller frees); NULL when absent. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*data = NULL;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size > FILE_MAX)
		goto out;
	data = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		if ((n = read(fd, data + got, (size_t)sb.st_size - got)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			free(data);
			data = NULL;
			goto out;
		}
		got += (size_t)n;
	}
	*len = got;
out:
	close(fd);
	return data;
}

static const struct {
	const char	*ext;
	const char	*ctype;
} ctypes[] = {
	{ ".html",	"text/html; charset=utf-8" },
	{ ".css",	"text/css; charset=utf-8" },
	{ ".js",	"text/javascript; charset=utf-8" },
	{ ".svg",	"image/svg+xml" },
	{ ".png",	"image/png" },
	{ ".ico",	"image/x-icon" },
};

/* The content type for a file name we serve, or NULL for any other. */
static const char *
file_ctype(const char *name)
{
	size_t	 i, n = strlen(name), e;

	/* one path segment of [a-z0-9_-.], not starting with a dot */
	if (n == 0 || n > 64 || name[0] == '.' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-.") != n)
		return NULL;
	for (i = 0; i < nitems(ctypes); i++) {
		e = strlen(ctypes[i].ext);
		if (n > e && strcmp(name + n - e, ctypes[i].ext) == 0)
			return ctypes[i].ctype;
	}
	return NULL;
}

static enum MHD_Result
serve_file_csp(struct req *r, const char *path, const char *ctype, const char *csp)
{
	char		*data;
	size_t		 len = 0;
	enum MHD_Result	 ret;

	if ((data = slurp(path, &len)) == NULL)
		return http_req_error(r, 404, "no such file");
	ret = respond_csp(r, 200, ctype, data, len, NULL, NULL, csp);
	free(data);
	return ret;
}

static enum MHD_Result
serve_file(struct req *r, const char *path, const char *ctype)
{
	return serve_file_csp(r, path, ctype, NULL);
}

/*
 * Leaflet from Debian's libjs-leaflet (MINYI_LEAFLET): vendor/leaflet.js,
 * vendor/leaflet.css and the images its CSS names, vendor/images/NAME.png.
 */
static enum MHD_Result
serve_leaflet(struct req *r, const char *name)
{
	const char	*ctype;
	char		*path;
	enum MHD_Result	 ret;

	if (strcmp(name, "leaflet.js") == 0) {
		name = "leaflet.min.js";
		ctype = file_ctype(name);
	} else if (strcmp(name, "leaflet.css") == 0)
		ctype = file_ctype(name);
	else if (strncmp(name, "images/", 7) != 0 ||
	    (ctype = file_ctype(name + 7)) == NULL || strcmp(ctype, "image/png") != 0)
		return http_req_error(r, 404, "no such file");
	path = xasprintf("%s/%s", MINYI_LEAFLET, name);
	ret = serve_file(r, path, ctype);
	free(path);
	return ret;
}

/* Names of the config's things, for the pages to show. */
static json_t *
names_json(const struct config *cfg)
{
	json_t	*o = json_object(), *m;
	size_t	 i;

	m = json_object();
	for (i = 0; i < cfg->ncategories; i++)
		json_object_set_new(m, cfg->categories[i].id,
		    json_string(cfg->categories[i].name));
	json_object_set_new(o, "categories", m);
	m = json_object();
	for (i = 0; i < cfg->ntownships; i++)
		json_object_set_new(m, cfg->townships[i].id,
		    json_string(cfg->townships[i].name));
	json_object_set_new(o, "townships", m);
	m = json_object();
	for (i = 0; i < cfg->ngrids; i++)
		json_object_set_new(m, cfg->grids[i].id, json_pack("{s:s, s:s?}",
		    "name", cfg->grids[i].name, "township", cfg->grids[i].township));
	json_object_set_new(o, "grids", m);
	m = json_object();
	for (i = 0; i < cfg->ndeputies; i++)
		json_object_set_new(m, cfg->deputies[i].id,
		    json_string(cfg->deputies[i].name));
	json_object_set_new(o, "deputies", m);
	m = json_object();
	for (i = 0; i < cfg->ndepartments; i++)
		json_object_set_new(m, cfg->departments[i].id,
		    json_string(cfg->departments[i].name));
	json_object_set_new(o, "departments", m);
	m = json_object();
	for (i = 0; i < cfg->nstaff; i++)
		if (cfg->staff[i].id != NULL)
			json_object_set_new(m, cfg->staff[i].id,
			    json_string(cfg->staff[i].name));
	json_object_set_new(o, "staff", m);
	m = json_object();
	for (i = 0; i < cfg->nchannels; i++)
		json_object_set_new(m, cfg->channels[i].id,
		    json_string(cfg->channels[i].adapter));
	json_object_set_new(o, "channels", m);
	return o;
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

/* GET /console/api/me: who is logged in, their CSRF token, the config's
 * timezone (times are shown in it) and names. */
static enum MHD_Result
api_me(struct req *r, struct gateway *gw, const struct console_who *who)
{
	json_t		*o;
	enum MHD_Result	 ret;

	o = json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:o, s:s?}", "id", who->id, "name",
	    who->name, "kind", kind_name(who->kind), "csrf", who->session ? who->csrf :
	    NULL, "timezone", gw->cfg->timezone, "names", names_json(gw->cfg),
	    "township", who->kind == CONSOLE_TOWNSHIP ? who->township : NULL);
	ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}

struct series {
	json_t	*cat;		/* {category: [n per day]} */
	json_t	*town;		/* {township: [n per day]} */
	long	 day0;		/* first day */
};

/* Add n to o[key][i]; "" for no key. */
static void
series_inc(json_t *o, const char *key, long i, long n)
{
	json_t	*a;
	long	 k;

	if (key == NULL)
		key = "";
	if ((a = json_object_get(o, key)) == NULL) {
		a = json_array();
		for (k = 0; k < SERIES_DAYS; k++)
			json_array_append_new(a, json_integer(0));
		json_object_set_new(o, key, a);
	}
	json_array_set_new(a, (size_t)i, json_integer(n +
	    json_integer_value(json_array_get(a, (size_t)i))));
}

static void
series_add(void *arg, long day, const char *category, const char *township, long n)
{
	struct series	*s = arg;
	long		 i = day - s->day0;

	if (i < 0 || i >= SERIES_DAYS)
		return;
	series_inc(s->cat, category, i, n);
	series_inc(s->town, township, i, n);
}

/*
 * GET /console/api/dashboard: what needs someone today, and SERIES_DAYS
 * days of requests by category and by township, by local day.
 */
static enum MHD_Result
api_dashboard(struct req *r, struct gateway *gw, const struct console_who *who)
{
	struct store_todo	 todo;
	struct series		 ser;
	struct store		*st;
	json_t			*o, *days;
	int64_t			 now = time_now(), midnight;
	int			 off = gateway_utc_offset(gw->cfg, now) * 60;
	long			 today = (long)((now + off) / 86400), i;
	char			 day[16];
	enum MHD_Result		 ret;
	int			 rc;

	midnight = (int64_t)today * 86400 - off;
	ser.cat = json_object();
	ser.town = json_object();
	ser.day0 = today - SERIES_DAYS + 1;
	st = reader_pool_get(&gw->root->readers);
	rc = store_console_todo(st, &who->scope, midnight, &todo);
	if (rc == 0)
		rc = store_console_series(st, &who->scope,
		    midnight - (SERIES_DAYS - 1) * 86400, off, series_add, &ser);
	reader_pool_put(&gw->root->readers, st);
	if (rc != 0) {
		json_decref(ser.cat);
		json_decref(ser.town);
		return http_req_error(r, 500, "store read failed");
	}
	days = json_array();
	for (i = ser.day0; i <= today; i++) {
		time_t t = (time_t)i * 86400;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%m-%d", &tm);
		json_array_append_new(days, json_string(day));
	}
	o = json_pack("{s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o}",
	    "todo", "new", (json_int_t)todo.new_today,
	    "to_accept", (json_int_t)todo.to_accept, "triage", (json_int_t)todo.triage,
	    "overdue", (json_int_t)todo.overdue, "to_rate", (json_int_t)todo.to_rate,
	    "days", days, "by_category", ser.cat, "by_township", ser.town);
	ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}

static void
message_add(void *arg, const char *dir, int64_t at, const char *address,
    const char *body, const char *status, const char *channel)
{
	json_t	*a = arg;
	char	 iso[32];

	time_fmt_iso(at, iso, sizeof(iso));
	json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?}",
	    "dir", dir, "at", iso, "address", address, "text", body,
	    "status", status, "channel", channel));
}

/* GET /console/api/cases/{n}/messages: every message in and out. */
static enum MHD_Result
api_case_messages(struct req *r, struct gateway *gw, const struct console_who *who,
    const char *rest)
{
	struct store	*st;
	json_t		*list;
	char		*end;
	long		 n;
	int64_t		 id = 0;
	int		 rc;
	enum MHD_Result	 ret;

	errno = 0;
	n = strtol(rest, &end, 10);
	if (end == rest || strcmp(end, "/messages") != 0 || errno != 0 || n <= 0)
		return http_req_error(r, 404, "no such resource");
	list = json_array();
	st = reader_pool_get(&gw->root->readers);
	rc = store_scope_case(st, &who->scope, n, &id);
	if (rc == 1 && store_case_messages(st, id, message_add, list) != 0)
		rc = -1;
	reader_pool_put(&gw->root->readers, st);
	if (rc != 1) {
		json_decref(list);
		if (rc == -2)
			return http_req_error(r, 404, "no such case");
		if (rc == 0)
			return http_req_error(r, 403, "case outside your scope");
		return http_req_error(r, 500, "store read failed");
	}
	ret = console_json(r, 200, list, NULL);
	json_decref(list);
	return ret;
}

/* GET and POST under /console/api/ for who. */
static enum MHD_Result
console_api(struct req *r, struct gateway *gw, const char *path, const char *method,
    const struct console_who *who)
{
	if (strcmp(method, "GET") != 0)
		return http_req_error(r, 405, "method not allowed here");
	if (strcmp(path, "me") == 0)
		return api_me(r, gw, who);
	if (strcmp(path, "dashboard") == 0)
		return api_dashboard(r, gw, who);
	if (strcmp(path, "lists") == 0)
		return console_lists(r, gw, who);
	if (strcmp(path, "reports") == 0)
		return console_reports(r, gw, who);
	if (strcmp(path, "deputies") == 0)
		return console_deputies(r, gw, who);
	if (strncmp(path, "cases/", 6) == 0)
		return api_case_messages(r, gw, who, path + 6);
	if (strncmp(path, "evaluation/", 11) == 0)
		return console_api_evaluation(r, gw, path + 11);
	if (strcmp(path, "votes") == 0 || strncmp(path, "votes/", 6) == 0)
		return console_api_votes(r, gw, who, path[5] == '/' ? path + 6 : "");
	if (strcmp(path, "duty") == 0)
		return console_api_duty(r, gw, who);
	return http_req_error(r, 404, "no such resource");
}

enum MHD_Result
console_route(struct req *r, struct gateway *gw, const char *url, const char *method)
{
	struct console_who	 who;
	const char		*name, *ctype;
	char			*path;
	enum MHD_Result		 ret;
	int			 rc;

	if (strcmp(url, "/") == 0 || strcmp(url, "/console") == 0)
		return redirect(r, "/console/");
	if (strcmp(method, "POST") == 0) {
		if (strcmp(url, "/console/login") == 0)
			return console_login(r, gw);
		if (strcmp(url, "/console/logout") == 0)
			return console_logout(r, gw);
		/* any other state change: a session, and its CSRF token */
		if ((rc = console_auth(r, gw, &who)) <= 0)
			return rc < 0 ? http_req_error(r, 500, "store read failed") :
			    http_req_error(r, 401, "not logged in");
		if (!console_csrf_ok(r, &who))
			ret = http_req_error(r, 403, "missing or wrong CSRF token");
		else
			ret = http_req_error(r, 404, "no such resource");
		console_who_free(&who);
		return ret;
	}
	name = url + strlen("/console/");
	if (*name == '\0')
		name = "index.html";
	if (strcmp(name, "vendor/chart.js") == 0)
		return serve_file(r, MINYI_CHARTJS, "text/javascript; charset=utf-8");
	if (strncmp(name, "vendor/", 7) == 0 && strstr(name, "..") == NULL)
		return serve_leaflet(r, name + 7);
	if (strncmp(name, "api/", 4) == 0) {
		if ((rc = console_auth(r, gw, &who)) <= 0)
			return rc < 0 ? http_req_error(r, 500, "store read failed") :
			    http_req_error(r, 401, "not logged in");
		ret = console_api(r, gw, name + 4, method, &who);
		console_who_free(&who);
		return ret;
	}
	if ((ctype = file_ctype(name)) == NULL)
		return http_req_error(r, 404, "no such file");
	/* pages but the login page need a session */
	if (strcmp(ctype, ctypes[0].ctype) == 0 && strcmp(name, "login.html") != 0) {
		if ((rc = console_auth(r, gw, &who)) < 0)
			return http_req_error(r, 500, "store read failed");
		console_who_free(&who);
		if (rc == 0)
			return redirect(r, "/console/login.html");
	}
	pthread_once(&static_once, static_dir_find);
	path = xasprintf("%s/%s", static_dir, name);
	/* the 代表 map's tiles, from console.tile_url's origin when it is set */
	if (strcmp(name, "deputies.html") == 0 && gw->cfg->console.tile_origin != NULL) {
		char *csp = xasprintf("default-src 'self'; img-src 'self' %s",
		    gw->cfg->console.tile_origin);

		ret = serve_file_csp(r, path, ctype, csp);
		free(csp);
	} else
		ret = serve_file(r, path, ctype);
	free(path);
	return ret;
}
