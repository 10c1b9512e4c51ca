/*
 * tests/unit/test_config.c: config/ loading, validation, environment
 * checks and templates.  Broken configs are the example with a few JSON
 * edits (a path and a new value, or a deletion), dumped and loaded with
 * config_load_string; each row names the exact problem line it must give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../config/config.h"

#define EXAMPLE		"config/minyi.example.json"
#define DELETE		NULL	/* an edit with this value removes the key */

/* One edit: set path (e.g. "grids[2].deputies[0]") to JSON text, or delete. */
struct edit {
	const char	*path;
	const char	*value;
};

struct bad_case {
	const char	*name;
	struct edit	 edits[3];	/* up to the first with path NULL */
	const char	*want;		/* a problem line that must be there */
	size_t		 nwant;		/* exact count of problems; 0: any */
};

/* cmocka's state is not const; the tests only read their rows. */
#define ROW(p)	((void *)(uintptr_t)(p))

static json_t *
example_json(void)
{
	json_error_t	 jerr;
	json_t		*root;

	root = json_load_file(EXAMPLE, 0, &jerr);
	if (root == NULL)
		fail_msg("%s:%d: %s", EXAMPLE, jerr.line, jerr.text);
	return root;
}

/* Apply one edit to root; a path that does not exist fails the test. */
static void
apply_edit(json_t *root, const struct edit *e)
{
	json_t		*cur = root, *parent = NULL, *v;
	const char	*p = e->path;
	char		 key[128];
	char		*end;
	long		 idx = -1;
	size_t		 n;

	while (*p != '\0') {
		if (cur == NULL)
			fail_msg("edit %s: no such path", e->path);
		parent = cur;
		if (*p == '[') {
			idx = strtol(p + 1, &end, 10);
			p = end + 1;
			key[0] = '\0';
			cur = json_array_get(parent, (size_t)idx);
		} else {
			if (*p == '.')
				p++;
			n = strcspn(p, ".[");
			assert_true(n < sizeof(key));
			memcpy(key, p, n);
			key[n] = '\0';
			p += n;
			idx = -1;
			cur = json_object_get(parent, key);
		}
	}
	if (e->value == DELETE) {
		if (idx >= 0)
			assert_int_equal(json_array_remove(parent, (size_t)idx), 0);
		else
			assert_int_equal(json_object_del(parent, key), 0);
		return;
	}
	if ((v = json_loads(e->value, JSON_DECODE_ANY, NULL)) == NULL)
		fail_msg("edit %s: bad JSON %s", e->path, e->value);
	if (idx < 0)
		assert_int_equal(json_object_set_new(parent, key, v), 0);
	else if ((size_t)idx == json_array_size(parent))
		assert_int_equal(json_array_append_new(parent, v), 0);
	else
		assert_int_equal(json_array_set_new(parent, (size_t)idx, v), 0);
}

/* The example with edits applied, loaded from a string. */
static struct config *
load_edited(const struct edit *edits, size_t nedits, struct config_errors *errs)
{
	struct config	*cfg;
	json_t		*root = example_json();
	char		*text;
	size_t		 i;

	for (i = 0; i < nedits && edits[i].path != NULL; i++)
		apply_edit(root, &edits[i]);
	text = json_dumps(root, 0);
	assert_non_null(text);
	cfg = config_load_string(text, errs);
	free(text);
	json_decref(root);
	return cfg;
}

static void
print_errs(const struct config_errors *errs)
{
	size_t	 i;

	for (i = 0; i < errs->n; i++)
		print_message("  problem: %s\n", errs->lines[i]);
}

static bool
errs_have(const struct config_errors *errs, const char *line)
{
	size_t	 i;

	for (i = 0; i < errs->n; i++)
		if (strcmp(errs->lines[i], line) == 0)
			return true;
	return false;
}

/* --- the example ------------------------------------------------------- */

static void
test_example_loads(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = config_load(EXAMPLE, &errs);
	print_errs(&errs);
	assert_int_equal(errs.n, 0);
	assert_non_null(cfg);
	assert_string_equal(cfg->path, EXAMPLE);
	assert_int_equal(cfg->ngrids, 6);
	assert_int_equal(cfg->ntownships, 4);
	assert_int_equal(cfg->ncategories, 8);
	assert_int_equal(cfg->ndepartments, 8);
	assert_int_equal(cfg->nchannels, 4);
	assert_true(cfg->ndeputies >= 8 && cfg->ndeputies <= 12);
	assert_string_equal(cfg->server.host, "127.0.0.1");
	assert_int_equal(cfg->server.port, 8080);
	assert_string_equal(cfg->server.public_url, "http://127.0.0.1:8080");
	assert_string_equal(cfg->server.admin_token_env, "MINYI_ADMIN_TOKEN");
	assert_int_equal(cfg->server.max_body_bytes, 65536);
	assert_int_equal(cfg->quiet_start, 22 * 60);
	assert_int_equal(cfg->quiet_end, 8 * 60);
	assert_int_equal(cfg->idle_minutes, 30);
	assert_int_equal(cfg->duplicate_days, 7);
	assert_string_equal(cfg->fallback_hint, "12345");
	assert_null(cfg->grids[0].name_en);
	assert_int_equal(cfg->accept_hours, 24);
	assert_int_equal(cfg->escalate_hours, 48);
	assert_int_equal(cfg->rating_hours, 72);
	assert_null(cfg->templates);
	config_free(cfg);
	config_errors_free(&errs);
}

/* staff[], observers[] and duty days as the example has them */
static void
test_example_staff(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	const struct staff_member *sm;
	const struct deputy	*d;
	int			 wd;

	(void)state;
	cfg = config_load(EXAMPLE, &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->nstaff, 2);
	sm = config_staff_by_phone(cfg, "+8618600186000");
	assert_non_null(sm);
	assert_string_equal(sm->id, "s-li");
	assert_int_equal(sm->role, STAFF_COUNTY);
	assert_null(sm->township);
	sm = config_staff(cfg, "s-yangji");
	assert_non_null(sm);
	assert_int_equal(sm->role, STAFF_TOWNSHIP);
	assert_string_equal(sm->township, "yangji");
	assert_string_equal(sm->phone, "+8618600186001");
	assert_int_equal(cfg->nobservers, 1);
	assert_string_equal(config_observer_by_phone(cfg, "+8618700187000")->grid,
	    "liuxindian");
	assert_null(config_staff_by_phone(cfg, "+8613900139000"));
	d = config_deputy(cfg, "d-han");
	for (wd = 0; wd <= 8; wd++)	/* 韩代表: Wednesdays (ISO 3) only */
		assert_int_equal(config_deputy_on_duty(d, wd), wd == 3);
	d = config_deputy(cfg, "d-niu");
	for (wd = 1; wd <= 7; wd++)
		assert_false(config_deputy_on_duty(d, wd));
	config_free(cfg);
	config_errors_free(&errs);
}

static void
test_example_phones(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	const struct deputy	*d;
	size_t			 i, j;

	(void)state;
	cfg = config_load(EXAMPLE, &errs);
	assert_non_null(cfg);
	/* written "139 0013 9000" in the file */
	d = config_deputy(cfg, "d-niu");
	assert_non_null(d);
	assert_string_equal(d->phone, "+8613900139000");
	assert_ptr_equal(config_deputy_by_phone(cfg, "+8613900139000"), d);
	assert_null(config_deputy_by_phone(cfg, "139 0013 9000"));
	for (i = 0; i < cfg->ndeputies; i++) {
		assert_int_equal(strncmp(cfg->deputies[i].phone, "+861", 4), 0);
		/* the number the tests use for a resident is nobody's */
		assert_string_not_equal(cfg->deputies[i].phone, "+8613800138000");
		assert_null(cfg->deputies[i].notify_channel);
		for (j = 0; j < cfg->ndepartments; j++)
			assert_string_not_equal(cfg->deputies[i].phone,
			    cfg->departments[j].phone);
	}
	assert_string_equal(config_department(cfg, "power")->phone,
	    "+8615000150001");
	assert_ptr_equal(config_department_by_phone(cfg, "+8615000150001"),
	    config_department(cfg, "power"));
	assert_null(config_department_by_phone(cfg, "+8613800138000"));
	config_free(cfg);
	config_errors_free(&errs);
}

static void
test_example_lookups(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	const struct grid	*g;
	const struct category	*c;
	const struct channel_conf *ch;

	(void)state;
	cfg = config_load(EXAMPLE, &errs);
	assert_non_null(cfg);
	g = config_grid(cfg, "liuxindian");
	assert_non_null(g);
	assert_string_equal(g->name, "刘辛店村");
	assert_string_equal(g->township, "yangji");
	assert_string_equal(g->deputies[0], "d-niu");
	assert_string_equal(g->backup, "d-zhao");
	assert_int_equal(g->naliases, 1);
	assert_string_equal(g->aliases[0], "刘辛店");
	assert_int_equal(g->ngroups, 1);
	assert_string_equal(g->groups[0].webhook_url,
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY");
	assert_ptr_equal(config_grid_by_group(cfg, "groups", "wxg-001"), g);
	assert_null(config_grid_by_group(cfg, "sms", "wxg-001"));
	assert_null(config_grid_by_group(cfg, "groups", "wxg-002"));
	assert_null(config_grid_by_group(cfg, NULL, "wxg-001"));
	assert_string_equal(config_township(cfg, "yangji")->chair, "d-zhao");
	assert_string_equal(config_township(cfg, "yancunpuxiang")->name, "颜村铺乡");
	assert_int_equal(config_grid(cfg, "dazhao")->naliases, 2);
	c = config_category(cfg, "streetlight");
	assert_non_null(c);
	assert_string_equal(c->name_en, "Street lights");
	assert_string_equal(c->department, "power");
	assert_int_equal(c->tier, 2);
	assert_int_equal(c->nkeywords, 6);
	assert_string_equal(c->keywords[5], "streetlight");
	ch = config_channel(cfg, "sms");
	assert_non_null(ch);
	assert_string_equal(ch->adapter, "twilio");
	assert_string_equal(json_string_value(json_object_get(ch->json,
	    "auth_token_env")), "TWILIO_AUTH_TOKEN");
	assert_int_equal(ch->rate_per_second, 0);
	assert_int_equal(ch->max_attempts, 8);
	assert_int_equal(ch->lookup_grace_seconds, 20);
	assert_string_equal(config_channel(cfg, "hotline")->adapter, "hotline");
	assert_null(config_channel(cfg, "fax"));
	assert_null(config_channel(cfg, NULL));
	assert_null(config_grid(cfg, "nowhere"));
	assert_null(config_deputy(cfg, "d-li"));
	assert_null(config_category(cfg, "weather"));
	config_free(cfg);
	config_errors_free(&errs);
}

/* Only the required keys: everything else takes its default. */
static void
test_defaults(void **state)
{
	static const char json[] =
	    "{\"server\": {\"listen\": \"127.0.0.1:0\"},"
	    " \"channels\": [{\"id\": \"sim\", \"adapter\": \"sim\"}],"
	    " \"townships\": [], \"grids\": [], \"deputies\": [],"
	    " \"categories\": []}";
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = config_load_string(json, &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	assert_null(cfg->path);
	assert_string_equal(cfg->server.host, "127.0.0.1");
	assert_int_equal(cfg->server.port, 0);
	assert_string_equal(cfg->server.public_url, "http://127.0.0.1:0");
	assert_int_equal(cfg->server.max_body_bytes, 65536);
	assert_int_equal(cfg->server.threads, 4);
	assert_int_equal(cfg->server.max_connections, 4096);
	assert_int_equal(cfg->server.max_connections_per_ip, 256);
	assert_int_equal(cfg->server.idle_timeout_seconds, 30);
	assert_int_equal(cfg->server.header_timeout_seconds, 10);
	assert_int_equal(cfg->server.drain_seconds, 10);
	assert_null(cfg->server.admin_token_env);
	assert_string_equal(cfg->store.backend, "sqlite");
	assert_null(cfg->store.conninfo_env);
	assert_null(cfg->store.read_conninfo_env);
	assert_string_equal(cfg->store.path, "var/minyi.db");
	assert_string_equal(cfg->store.synchronous, "FULL");
	assert_string_equal(cfg->region, "CN");
	assert_string_equal(cfg->timezone, "Asia/Shanghai");
	assert_string_equal(cfg->language, "zh");
	assert_int_equal(cfg->evaluation.remind_before, 720 * 60);
	assert_int_equal(cfg->quiet_start, 22 * 60);
	assert_int_equal(cfg->quiet_end, 8 * 60);
	assert_int_equal(cfg->idle_minutes, 30);
	assert_int_equal(cfg->accept_hours, 24);
	assert_int_equal(cfg->escalate_hours, 48);
	assert_int_equal(cfg->rating_hours, 72);
	assert_int_equal(cfg->channels[0].rate_per_second, 0);
	assert_int_equal(cfg->channels[0].max_attempts, 8);
	assert_int_equal(cfg->channels[0].retry_base_seconds, 2);
	assert_int_equal(cfg->ndepartments, 0);
	config_free(cfg);
	config_errors_free(&errs);
}

/* --- edits that still load, and what they give ------------------------ */

static void
test_listen_ipv6(void **state)
{
	static const struct edit e[] = {
		{ "server.listen", "\"[::1]:0\"" },
		{ "server.public_url", "\"https://minyi.example.org/\"" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = load_edited(e, nitems(e), &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	assert_string_equal(cfg->server.host, "::1");
	assert_int_equal(cfg->server.port, 0);
	assert_string_equal(cfg->server.public_url, "https://minyi.example.org");
	config_free(cfg);
	config_errors_free(&errs);
}

/* store.backend "postgresql": the variables named, no SQLite keys. */
static void
test_store_postgresql(void **state)
{
	static const struct edit e[] = {
		{ "store", "{\"backend\": \"postgresql\", \"conninfo_env\": \"MINYI_PG\","
		  " \"read_conninfo_env\": \"MINYI_PG_READ\"}" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = load_edited(e, nitems(e), &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	assert_string_equal(cfg->store.backend, "postgresql");
	assert_string_equal(cfg->store.conninfo_env, "MINYI_PG");
	assert_string_equal(cfg->store.read_conninfo_env, "MINYI_PG_READ");
	setenv("MINYI_PG", "host=/nonexistent", 1);
	unsetenv("MINYI_PG_READ");
	assert_int_equal(config_check_env(cfg, &errs), -1);
	assert_true(errs_have(&errs, "store.read_conninfo_env: environment "
	    "variable MINYI_PG_READ is not set"));
	assert_false(errs_have(&errs, "store.conninfo_env: environment "
	    "variable MINYI_PG is not set"));
	unsetenv("MINYI_PG");
	config_free(cfg);
	config_errors_free(&errs);
}

static void
test_listen_localhost(void **state)
{
	static const struct edit e[] = {
		{ "server.listen", "\"localhost:65535\"" },
		{ "server.threads", "16" },
		{ "store.synchronous", "\"NORMAL\"" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = load_edited(e, nitems(e), &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	assert_string_equal(cfg->server.host, "localhost");
	assert_int_equal(cfg->server.port, 65535);
	assert_int_equal(cfg->server.threads, 16);
	assert_string_equal(cfg->store.synchronous, "NORMAL");
	config_free(cfg);
	config_errors_free(&errs);
}

static void
test_optional_sections(void **state)
{
	/* no departments at all, so no category names one */
	static const struct edit e[] = {
		{ "departments", DELETE },
		{ "categories", "[{\"id\": \"x\", \"name\": \"其他\", \"tier\": 1}]" },
		{ "deputies[0].notify_channel", "\"sms\"" },
		{ "grids[2].location", "{\"lat\": 35.26, \"lng\": -113.5}" },
		{ "console", "{\"tile_url\": \"http://10.1.2.3:8081/t/{z}/{x}/{y}.png\"}" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = load_edited(e, nitems(e), &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->ndepartments, 0);
	assert_null(cfg->categories[0].department);
	assert_string_equal(cfg->categories[0].name_en, "其他");	/* defaults to name */
	assert_int_equal(cfg->categories[0].nkeywords, 0);
	assert_string_equal(cfg->deputies[0].notify_channel, "sms");
	assert_false(cfg->grids[0].located);
	assert_true(cfg->grids[2].located);
	assert_true(cfg->grids[2].lat == 35.26 && cfg->grids[2].lng == -113.5);
	assert_string_equal(cfg->console.tile_origin, "http://10.1.2.3:8081");
	config_free(cfg);
	config_errors_free(&errs);
}

/* --- one broken copy per rule --------------------------------------------- */

static const struct bad_case bad_cases[] = {
	/* required keys */
	{ "missing server.listen", { { "server.listen", DELETE } },
	  "server.listen: required key missing", 1 },
	{ "missing server", { { "server", DELETE } },
	  "server: required key missing", 1 },
	{ "missing channels", { { "channels", DELETE } },
	  "channels: required key missing", 0 },
	{ "empty channels", { { "channels", "[]" } },
	  "channels: expected a non-empty array", 0 },
	{ "missing grids", { { "grids", DELETE } },
	  "grids: required key missing", 1 },
	{ "missing deputies", { { "deputies", DELETE } },
	  "deputies: required key missing", 0 },
	{ "missing townships", { { "townships", DELETE } },
	  "townships: required key missing", 0 },
	{ "missing categories", { { "categories", DELETE } },
	  "categories: required key missing", 1 },
	{ "grids not an array", { { "grids", "{}" } },
	  "grids: expected an array", 1 },
	{ "server not an object", { { "server", "\"x\"" } },
	  "server: expected an object", 1 },
	{ "deputy not an object", { { "deputies[11]", "5" } },
	  "deputies[11]: expected an object", 1 },
	{ "missing deputies[0].name", { { "deputies[0].name", DELETE } },
	  "deputies[0].name: required key missing", 1 },
	{ "missing townships[0].chair", { { "townships[0].chair", DELETE } },
	  "townships[0].chair: required key missing", 1 },
	{ "missing grids[0].township", { { "grids[0].township", DELETE } },
	  "grids[0].township: required key missing", 1 },
	{ "missing categories[0].tier", { { "categories[0].tier", DELETE } },
	  "categories[0].tier: required key missing", 1 },
	{ "missing deputies[2].phone", { { "deputies[2].phone", DELETE } },
	  "deputies[2].phone: required key missing", 1 },
	/* types and ranges */
	{ "max_body_bytes zero", { { "server.max_body_bytes", "0" } },
	  "server.max_body_bytes: expected a positive integer", 1 },
	{ "max_body_bytes string", { { "server.max_body_bytes", "\"64k\"" } },
	  "server.max_body_bytes: expected a positive integer", 1 },
	{ "max_body_bytes real", { { "server.max_body_bytes", "65536.0" } },
	  "server.max_body_bytes: expected a positive integer", 1 },
	{ "threads negative", { { "server.threads", "-4" } },
	  "server.threads: expected a positive integer", 1 },
	{ "header_timeout_seconds zero", { { "server.header_timeout_seconds", "0" } },
	  "server.header_timeout_seconds: expected an integer from 1 to 86400", 1 },
	{ "max_connections_per_ip negative", { { "server.max_connections_per_ip", "-1" } },
	  "server.max_connections_per_ip: expected an integer from 0 to 1048576", 1 },
	{ "drain_seconds string", { { "server.drain_seconds", "\"10s\"" } },
	  "server.drain_seconds: expected an integer from 0 to 3600", 1 },
	{ "idle_minutes zero", { { "dialog.idle_minutes", "0" } },
	  "dialog.idle_minutes: expected a positive integer", 1 },
	{ "duplicate_days string", { { "dialog.duplicate_days", "\"7\"" } },
	  "dialog.duplicate_days: expected an integer from 0 to 365", 1 },
	{ "duplicate_days too many", { { "dialog.duplicate_days", "400" } },
	  "dialog.duplicate_days: expected an integer from 0 to 365", 1 },
	{ "fallback_hint empty", { { "dialog.fallback_hint", "\"\"" } },
	  "dialog.fallback_hint: expected a non-empty string", 1 },
	{ "grid name_en a number", { { "grids[0].name_en", "5" } },
	  "grids[0].name_en: expected a non-empty string", 1 },
	{ "deputy name_en empty", { { "deputies[0].name_en", "\"\"" } },
	  "deputies[0].name_en: expected a non-empty string", 1 },
	{ "accept_hours zero", { { "deadlines.accept_hours", "0" } },
	  "deadlines.accept_hours: expected a positive integer", 1 },
	{ "escalate_hours negative", { { "deadlines.escalate_hours", "-1" } },
	  "deadlines.escalate_hours: expected a positive integer", 1 },
	{ "rating_hours string", { { "deadlines.rating_hours", "\"72\"" } },
	  "deadlines.rating_hours: expected a positive integer", 1 },
	{ "deadline_days zero", { { "departments[0].deadline_days", "0" } },
	  "departments[0].deadline_days: expected a positive integer", 1 },
	{ "tier four", { { "categories[0].tier", "4" } },
	  "categories[0].tier: expected an integer from 1 to 3", 1 },
	{ "tier zero", { { "categories[7].tier", "0" } },
	  "categories[7].tier: expected an integer from 1 to 3", 1 },
	{ "rate_per_second negative", { { "channels[0].rate_per_second", "-1" } },
	  "channels[0].rate_per_second: expected a non-negative integer", 1 },
	{ "max_attempts zero", { { "channels[0].max_attempts", "0" } },
	  "channels[0].max_attempts: expected a positive integer", 1 },
	{ "retry_base_seconds negative", { { "channels[1].retry_base_seconds", "-2" } },
	  "channels[1].retry_base_seconds: expected a non-negative integer", 1 },
	{ "retry_base_seconds zero", { { "channels[1].retry_base_seconds", "0" } },
	  NULL, 0 },
	{ "lookup_grace_seconds over an hour", { { "channels[0].lookup_grace_seconds",
	  "3601" } }, "channels[0].lookup_grace_seconds: expected an integer from 0 to 3600", 1 },
	{ "lookup_grace_seconds zero", { { "channels[0].lookup_grace_seconds", "0" } },
	  NULL, 0 },
	{ "grid name empty", { { "grids[3].name", "\"\"" } },
	  "grids[3].name: expected a non-empty string", 1 },
	{ "channel adapter number", { { "channels[3].adapter", "5" } },
	  "channels[3].adapter: expected a non-empty string", 1 },
	{ "channel adapter missing", { { "channels[3].adapter", DELETE } },
	  "channels[3].adapter: required key missing", 1 },
	{ "channel id missing", { { "channels[3].id", DELETE } },
	  "channels[3].id: required key missing", 1 },
	{ "channel id with a space", { { "channels[3].id", "\"my sim\"" } },
	  "channels[3].id: expected letters, digits, \"-\" or \"_\", got \"my sim\"", 1 },
	{ "env key not a string", { { "channels[0].auth_token_env", "42" } },
	  "channels[0].auth_token_env: expected the name of an environment variable", 1 },
	{ "admin_token_env empty", { { "server.admin_token_env", "\"\"" } },
	  "server.admin_token_env: expected the name of an environment variable", 1 },
	{ "keyword empty", { { "categories[0].keywords[1]", "\"\"" } },
	  "categories[0].keywords[1]: expected a non-empty string", 1 },
	{ "keyword number", { { "categories[2].keywords[0]", "7" } },
	  "categories[2].keywords[0]: expected a non-empty string", 1 },
	{ "keywords not an array", { { "categories[2].keywords", "\"路\"" } },
	  "categories[2].keywords: expected an array", 1 },
	{ "alias number", { { "grids[2].aliases[1]", "1" } },
	  "grids[2].aliases[1]: expected a non-empty string", 1 },
	{ "grid without deputies", { { "grids[0].deputies", "[]" } },
	  "grids[0].deputies: expected a non-empty array", 1 },
	/* duplicate ids */
	{ "duplicate deputy id", { { "deputies[3].id", "\"d-niu\"" } },
	  "deputies[3].id: duplicate id \"d-niu\"", 0 },
	{ "duplicate grid id", { { "grids[1].id", "\"liuxindian\"" } },
	  "grids[1].id: duplicate id \"liuxindian\"", 1 },
	{ "duplicate channel id", { { "channels[3].id", "\"sms\"" } },
	  "channels[3].id: duplicate id \"sms\"", 1 },
	{ "duplicate township id", { { "townships[1].id", "\"yangji\"" } },
	  "townships[1].id: duplicate id \"yangji\"", 0 },
	{ "duplicate department id", { { "departments[1].id", "\"power\"" } },
	  "departments[1].id: duplicate id \"power\"", 0 },
	{ "duplicate category id", { { "categories[1].id", "\"streetlight\"" } },
	  "categories[1].id: duplicate id \"streetlight\"", 1 },
	{ "duplicate deputy phone", { { "deputies[1].phone", "\"+86 139-0013-9000\"" } },
	  "deputies[1].phone: phone number +8613900139000 is also deputy \"d-niu\"'s", 1 },
	/* staff[], observers[], duty days */
	{ "staff role unknown", { { "staff[0].role", "\"mayor\"" } },
	  "staff[0].role: expected county or township, got \"mayor\"", 1 },
	{ "staff role missing", { { "staff[0].role", DELETE } },
	  "staff[0].role: required key missing", 1 },
	{ "township staff without township", { { "staff[1].township", DELETE } },
	  "staff[1].township: required key missing", 1 },
	{ "staff township unknown", { { "staff[1].township", "\"fanxian\"" } },
	  "staff[1].township: unknown township \"fanxian\"", 1 },
	{ "county staff with a township", { { "staff[0].township", "\"yangji\"" } },
	  "staff[0].township: only a township member has a township", 1 },
	{ "staff phone a deputy's", { { "staff[0].phone", "\"139 0013 9000\"" } },
	  "staff[0].phone: phone number +8613900139000 is also deputy \"d-niu\"'s", 1 },
	{ "staff phone twice", { { "staff[1].phone", "\"+86 186-0018-6000\"" } },
	  "staff[1].phone: phone number +8618600186000 is also staff \"s-li\"'s", 1 },
	{ "staff phone too short", { { "staff[1].phone", "\"123\"" } },
	  "staff[1].phone: invalid phone number \"123\": too short to be a phone number", 1 },
	{ "staff name missing", { { "staff[0].name", DELETE } },
	  "staff[0].name: required key missing", 1 },
	{ "duplicate staff id", { { "staff[1].id", "\"s-li\"" } },
	  "staff[1].id: duplicate id \"s-li\"", 1 },
	{ "staff notify_channel unknown", { { "staff[0].notify_channel", "\"fax\"" } },
	  "staff[0].notify_channel: unknown channel \"fax\"", 1 },
	{ "staff not an array", { { "staff", "{}" } },
	  "staff: expected an array", 1 },
	{ "staff entry not an object", { { "staff[1]", "7" } },
	  "staff[1]: expected an object", 1 },
	{ "observer grid unknown", { { "observers[0].grid", "\"x\"" } },
	  "observers[0].grid: unknown grid \"x\"", 1 },
	{ "observer grid missing", { { "observers[0].grid", DELETE } },
	  "observers[0].grid: required key missing", 1 },
	{ "observer phone a staff member's", { { "observers[0].phone", "\"18600186001\"" } },
	  "observers[0].phone: phone number +8618600186001 is also staff \"s-yangji\"'s", 1 },
	{ "duty day misspelt", { { "deputies[5].duty_weekdays", "[\"wed\", \"Friday\"]" } },
	  "deputies[5].duty_weekdays[1]: expected mon, tue, wed, thu, fri, sat or sun, "
	  "got \"Friday\"", 1 },
	{ "duty day a number", { { "deputies[0].duty_weekdays", "[3]" } },
	  "deputies[0].duty_weekdays[0]: expected mon, tue, wed, thu, fri, sat or sun, "
	  "got a non-string", 1 },
	{ "duty days not an array", { { "deputies[0].duty_weekdays", "\"wed\"" } },
	  "deputies[0].duty_weekdays: expected an array", 1 },
	{ "no staff at all", { { "staff", DELETE }, { "observers", DELETE } }, NULL, 0 },
	/* dangling references */
	{ "grid deputy unknown", { { "grids[2].deputies[0]", "\"d-li\"" } },
	  "grids[2].deputies[0]: unknown deputy \"d-li\"", 1 },
	{ "grid second deputy unknown", { { "grids[3].deputies[1]", "\"d-li\"" } },
	  "grids[3].deputies[1]: unknown deputy \"d-li\"", 1 },
	{ "grid backup unknown", { { "grids[0].backup", "\"d-li\"" } },
	  "grids[0].backup: unknown deputy \"d-li\"", 1 },
	{ "grid township unknown", { { "grids[0].township", "\"fanxian\"" } },
	  "grids[0].township: unknown township \"fanxian\"", 1 },
	{ "township chair unknown", { { "townships[2].chair", "\"d-li\"" } },
	  "townships[2].chair: unknown deputy \"d-li\"", 1 },
	{ "category department unknown", { { "categories[0].department", "\"police\"" } },
	  "categories[0].department: unknown department \"police\"", 1 },
	{ "group channel unknown", { { "grids[0].groups[0].channel", "\"wecom\"" } },
	  "grids[0].groups[0].channel: unknown channel \"wecom\"", 1 },
	{ "group id missing", { { "grids[0].groups[0].group_id", DELETE } },
	  "grids[0].groups[0].group_id: required key missing", 1 },
	{ "group used twice", { { "grids[4].groups",
	  "[{\"channel\": \"groups\", \"group_id\": \"wxg-001\"}]" } },
	  "grids[4].groups[0].group_id: group \"wxg-001\" on channel \"groups\" "
	  "is already grid \"liuxindian\"'s", 1 },
	{ "reply_channel unknown", { { "channels[2].reply_channel", "\"fax\"" } },
	  "channels[2].reply_channel: unknown channel \"fax\"", 1 },
	{ "reply_channel forward", { { "channels[0].reply_channel", "\"sim\"" } },
	  NULL, 0 },
	{ "deputy notify_channel unknown", { { "deputies[0].notify_channel", "\"fax\"" } },
	  "deputies[0].notify_channel: unknown channel \"fax\"", 1 },
	{ "department notify_channel unknown",
	  { { "departments[5].notify_channel", "\"fax\"" } },
	  "departments[5].notify_channel: unknown channel \"fax\"", 1 },
	/* phone numbers */
	{ "deputy phone too short", { { "deputies[1].phone", "\"123\"" } },
	  "deputies[1].phone: invalid phone number \"123\": too short to be a phone number", 1 },
	{ "deputy phone letters", { { "deputies[4].phone", "\"call me\"" } },
	  "deputies[4].phone: invalid phone number \"call me\": not a phone number", 1 },
	{ "deputy phone too long", { { "deputies[4].phone", "\"138 0013 8000 1234\"" } },
	  "deputies[4].phone: invalid phone number \"138 0013 8000 1234\": "
	  "too long to be a phone number", 1 },
	{ "department phone no area code", { { "departments[0].phone", "\"12345\"" } },
	  "departments[0].phone: invalid phone number \"12345\": "
	  "too short: a landline needs its area code", 1 },
	{ "phone not a string", { { "deputies[0].phone", "13900139000" } },
	  "deputies[0].phone: expected a non-empty string", 1 },
	/* scalars */
	{ "region unknown", { { "region", "\"XX\"" } },
	  "region: unknown region \"XX\" (expected an ISO 3166 code such as \"CN\")", 1 },
	{ "timezone unknown", { { "timezone", "\"Mars/Olympus\"" } },
	  "timezone: unknown timezone \"Mars/Olympus\" (expected an IANA name "
	  "such as \"Asia/Shanghai\")", 1 },
	{ "timezone lower case", { { "timezone", "\"asia/shanghai\"" } },
	  "timezone: unknown timezone \"asia/shanghai\" (expected an IANA name "
	  "such as \"Asia/Shanghai\")", 1 },
	{ "timezone custom offset", { { "timezone", "\"GMT+08:00\"" } },
	  "timezone: unknown timezone \"GMT+08:00\" (expected an IANA name "
	  "such as \"Asia/Shanghai\")", 1 },
	{ "timezone alias", { { "timezone", "\"Asia/Chongqing\"" } }, NULL, 0 },
	{ "language fr", { { "language", "\"fr\"" } },
	  "language: expected \"zh\" or \"en\", got \"fr\"", 1 },
	{ "language en", { { "language", "\"en\"" } }, NULL, 0 },
	{ "quiet start 25:00", { { "quiet_hours.start", "\"25:00\"" } },
	  "quiet_hours.start: expected a time HH:MM, got \"25:00\"", 1 },
	{ "quiet end 7:00", { { "quiet_hours.end", "\"7:00\"" } },
	  "quiet_hours.end: expected a time HH:MM, got \"7:00\"", 1 },
	{ "quiet end 12:+5", { { "quiet_hours.end", "\"12:+5\"" } },
	  "quiet_hours.end: expected a time HH:MM, got \"12:+5\"", 1 },
	{ "quiet end 08:60", { { "quiet_hours.end", "\"08:60\"" } },
	  "quiet_hours.end: expected a time HH:MM, got \"08:60\"", 1 },
	{ "quiet start number", { { "quiet_hours.start", "2200" } },
	  "quiet_hours.start: expected a time HH:MM", 1 },
	{ "level unknown", { { "deputies[0].level", "\"village\"" } },
	  "deputies[0].level: expected province, city, county or township, "
	  "got \"village\"", 1 },
	{ "synchronous OFF", { { "store.synchronous", "\"OFF\"" } },
	  "store.synchronous: expected \"FULL\" or \"NORMAL\", got \"OFF\"", 1 },
	{ "store path empty", { { "store.path", "\"\"" } },
	  "store.path: expected a non-empty string", 1 },
	/* store.backend (issue 17) */
	{ "store backend sqlite", { { "store.backend", "\"sqlite\"" } }, NULL, 0 },
	{ "store backend postgresql", { { "store", "{\"backend\": \"postgresql\","
	  " \"conninfo_env\": \"MINYI_PG\", \"read_conninfo_env\": \"MINYI_PG_READ\"}" } },
	  NULL, 0 },
	{ "store backend mysql", { { "store.backend", "\"mysql\"" } },
	  "store.backend: expected \"sqlite\" or \"postgresql\", got \"mysql\"", 1 },
	{ "store backend number", { { "store.backend", "1" } },
	  "store.backend: expected a non-empty string", 1 },
	{ "store postgresql without conninfo_env",
	  { { "store", "{\"backend\": \"postgresql\"}" } },
	  "store.conninfo_env: required with store.backend \"postgresql\": the "
	  "environment variable holding the libpq connection string", 1 },
	{ "store postgresql with path", { { "store", "{\"backend\": \"postgresql\","
	  " \"conninfo_env\": \"MINYI_PG\", \"path\": \"var/minyi.db\"}" } },
	  "store.path: only with store.backend \"sqlite\"", 1 },
	{ "store postgresql with synchronous", { { "store", "{\"backend\": \"postgresql\","
	  " \"conninfo_env\": \"MINYI_PG\", \"synchronous\": \"FULL\"}" } },
	  "store.synchronous: only with store.backend \"sqlite\" (PostgreSQL's "
	  "synchronous_commit must be on)", 1 },
	{ "store sqlite with conninfo_env", { { "store.conninfo_env", "\"MINYI_PG\"" } },
	  "store.conninfo_env: only with store.backend \"postgresql\"", 1 },
	{ "store sqlite with read_conninfo_env",
	  { { "store.backend", "\"sqlite\"" },
	    { "store.read_conninfo_env", "\"MINYI_PG_READ\"" } },
	  "store.read_conninfo_env: only with store.backend \"postgresql\"", 1 },
	{ "store conninfo_env empty", { { "store", "{\"backend\": \"postgresql\","
	  " \"conninfo_env\": \"\"}" } },
	  "store.conninfo_env: expected the name of an environment variable", 0 },
	/* server.listen and public_url */
	{ "listen port only", { { "server.listen", "\"8080\"" } },
	  "server.listen: expected \"host:port\" with host an IPv4 address, "
	  "localhost or [IPv6], got \"8080\"", 1 },
	{ "listen hostname", { { "server.listen", "\"example.org:80\"" } },
	  "server.listen: expected \"host:port\" with host an IPv4 address, "
	  "localhost or [IPv6], got \"example.org:80\"", 1 },
	{ "listen bare ipv6", { { "server.listen", "\"::1:8080\"" } },
	  "server.listen: expected \"host:port\" with host an IPv4 address, "
	  "localhost or [IPv6], got \"::1:8080\"", 1 },
	{ "listen bad ipv6", { { "server.listen", "\"[::g]:80\"" } },
	  "server.listen: expected \"host:port\" with host an IPv4 address, "
	  "localhost or [IPv6], got \"[::g]:80\"", 1 },
	{ "listen port too big", { { "server.listen", "\"127.0.0.1:65536\"" } },
	  "server.listen: port must be 0 to 65535, got \"127.0.0.1:65536\"", 1 },
	{ "listen port empty", { { "server.listen", "\"127.0.0.1:\"" } },
	  "server.listen: port must be 0 to 65535, got \"127.0.0.1:\"", 1 },
	{ "listen port sign", { { "server.listen", "\"127.0.0.1:-1\"" } },
	  "server.listen: port must be 0 to 65535, got \"127.0.0.1:-1\"", 1 },
	{ "public_url ftp", { { "server.public_url", "\"ftp://minyi.example.org\"" } },
	  "server.public_url: expected an http:// or https:// URL, got "
	  "\"ftp://minyi.example.org\"", 1 },
	{ "public_url no scheme", { { "server.public_url", "\"minyi.example.org\"" } },
	  "server.public_url: expected an http:// or https:// URL, got "
	  "\"minyi.example.org\"", 1 },
	/* unknown keys: the typos users make, each with the key it was meant
	 * to be; keys nobody is close to; keys DESIGN.md plans but nothing
	 * reads yet (they would do nothing) */
	{ "typo categories[].keyword", { { "categories[0].keyword", "[\"路灯\"]" },
	  { "categories[0].keywords", DELETE } },
	  "categories[0].keyword: unknown key, did you mean \"keywords\"?", 1 },
	{ "typo grids[].aliasses", { { "grids[0].aliasses", "[\"刘辛店\"]" },
	  { "grids[0].aliases", DELETE } },
	  "grids[0].aliasses: unknown key, did you mean \"aliases\"?", 1 },
	{ "typo departments[].dealine_days", { { "departments[1].dealine_days",
	  "5" }, { "departments[1].deadline_days", DELETE } },
	  "departments[1].dealine_days: unknown key, did you mean \"deadline_days\"?", 1 },
	{ "typo quiet_hours.strat", { { "quiet_hours.strat", "\"21:00\"" },
	  { "quiet_hours.start", DELETE } },
	  "quiet_hours.strat: unknown key, did you mean \"start\"?", 1 },
	{ "typo server.listn", { { "server.listn", "\"127.0.0.1:8080\"" },
	  { "server.listen", DELETE } },
	  "server.listn: unknown key, did you mean \"listen\"?", 2 },
	{ "typo server.listn, listen missing", { { "server.listn",
	  "\"127.0.0.1:8080\"" }, { "server.listen", DELETE } },
	  "server.listen: required key missing", 2 },
	{ "typo case Region", { { "Region", "\"CN\"" } },
	  "Region: unknown key, did you mean \"region\"?", 1 },
	{ "typo deputies[].notfy_chanel", { { "deputies[4].notfy_chanel", "\"sms\"" } },
	  "deputies[4].notfy_chanel: unknown key, did you mean \"notify_channel\"?", 1 },
	{ "typo townships[].chiar", { { "townships[0].chiar", "\"d-zhao\"" } },
	  "townships[0].chiar: unknown key, did you mean \"chair\"?", 1 },
	{ "typo grids[].groups[].groupid", { { "grids[0].groups[0].groupid",
	  "\"wxg-001\"" } },
	  "grids[0].groups[0].groupid: unknown key, did you mean \"group_id\"?", 1 },
	{ "typo server.tls.crt", { { "server.tls", "{\"cert\": \"/nope.pem\", "
	  "\"key\": \"/nope.key\", \"crt\": 1}" } },
	  "server.tls.crt: unknown key, did you mean \"cert\"?", 3 },
	{ "typo store.syncronous", { { "store.syncronous", "\"FULL\"" } },
	  "store.syncronous: unknown key, did you mean \"synchronous\"?", 1 },
	{ "typo limits.cases_per_days", { { "limits", "{\"cases_per_days\": 3}" } },
	  "limits.cases_per_days: unknown key, did you mean \"cases_per_day\"?", 1 },
	{ "typo deadlines.accept_hour", { { "deadlines.accept_hour", "12" } },
	  "deadlines.accept_hour: unknown key, did you mean \"accept_hours\"?", 1 },
	{ "typo dialog.idle_minute", { { "dialog.idle_minute", "12" } },
	  "dialog.idle_minute: unknown key, did you mean \"idle_minutes\"?", 1 },
	{ "unknown key, nothing close", { { "server.colour", "\"red\"" } },
	  "server.colour: unknown key", 1 },
	{ "unknown key in a grid", { { "grids[0].colour", "\"red\"" } },
	  "grids[0].colour: unknown key", 1 },
	{ "unknown key with a newline", { { "grids[0].col\nour", "1" } },
	  "grids[0].col?our: unknown key", 1 },
	/* issue 13's keys, known now */
	{ "staff entry with an id only", { { "staff", "[{\"id\": \"s-office\"}]" } },
	  "staff[0].role: required key missing", 3 },
	{ "typo staff[0].rol", { { "staff[0].rol", "\"county\"" } },
	  "staff[0].rol: unknown key, did you mean \"role\"?", 1 },
	{ "typo observers[0].grids", { { "observers[0].grids", "\"x\"" } },
	  "observers[0].grids: unknown key, did you mean \"grid\"?", 1 },
	{ "no observers", { { "observers", "[]" } }, NULL, 0 },
	{ "dialog.sms_channel known", { { "dialog.sms_channel", "\"sms\"" } }, NULL, 0 },
	{ "deputies[].duty_weekdays known", { { "deputies[0].duty_weekdays",
	  "[\"wed\"]" } }, NULL, 0 },
	{ "departments[].type known", { { "departments[0].type", "\"service\"" } },
	  NULL, 0 },
	{ "departments[].type unknown", { { "departments[0].type", "\"shop\"" } },
	  "departments[0].type: expected enforcement, management, service or "
	  "window, got \"shop\"", 1 },
	{ "departments[].township unknown", { { "departments[0].township",
	  "\"nowhere\"" } }, "departments[0].township: unknown township "
	  "\"nowhere\"", 1 },
	{ "evaluation weights not adding up", { { "evaluation",
	  "{\"daily_weight\": 0.3}" } }, "evaluation: daily_weight and "
	  "concentrated_weight must add up to 1, got 0.3 and 0.8", 1 },
	{ "evaluation key misspelt", { { "evaluation", "{\"daily_wieght\": 0.3}" } },
	  "evaluation.daily_wieght: unknown key, did you mean \"daily_weight\"?", 1 },
	{ "evaluation.remind_before_minutes a fraction", { { "evaluation",
	  "{\"remind_before_minutes\": 0.25}" } }, NULL, 0 },
	{ "evaluation.remind_before_minutes negative", { { "evaluation",
	  "{\"remind_before_minutes\": -1}" } }, "evaluation.remind_before_minutes: "
	  "expected a number from 0 to 525600", 1 },
	{ "vote.quorum over 1", { { "vote", "{\"quorum\": 1.5}" } },
	  "vote.quorum: expected a number from 0 to 1", 1 },
	{ "assessment.stars descending", { { "assessment",
	  "{\"stars\": [40, 30, 60, 80]}" } }, "assessment.stars[1]: expected a "
	  "number, not under the one before", 1 },
	/* phones that must receive SMS */
	{ "deputy on a Beijing landline", { { "deputies[0].phone",
	  "\"010 1234 5678\"" } }, "deputies[0].phone: \"010 1234 5678\" is "
	  "a landline, not a mobile number: it cannot receive SMS", 1 },
	{ "department on a county landline", { { "departments[0].phone",
	  "\"0393-123-4567\"" } }, "departments[0].phone: \"0393-123-4567\" "
	  "is a landline, not a mobile number: it cannot receive SMS", 1 },
	{ "department on a 400 number", { { "departments[2].phone",
	  "\"400 810 8888\"" } }, "departments[2].phone: \"400 810 8888\" "
	  "is a shared-cost number, not a mobile number: it cannot receive SMS", 1 },
	{ "deputy on a London landline", { { "deputies[3].phone",
	  "\"+44 20 7946 0958\"" } }, "deputies[3].phone: \"+44 20 7946 0958\" "
	  "is a landline, not a mobile number: it cannot receive SMS", 1 },
	{ "deputy on a UK mobile", { { "deputies[3].phone",
	  "\"+44 7400 123456\"" } }, NULL, 0 },
	{ "deputy on a US number (mobile or landline alike)", { {
	  "deputies[3].phone", "\"+1 650 253 0000\"" } }, NULL, 0 },
	/* an alias names one grid */
	{ "alias on two grids", { { "grids[3].aliases[1]", "\"刘辛店\"" } },
	  "grids[3].aliases[1]: alias \"刘辛店\" is also grid \"liuxindian\"'s", 1 },
	{ "alias on two grids, ASCII case aside", { { "grids[4].aliases[1]",
	  "\"DAZHAO\"" } },
	  "grids[4].aliases[1]: alias \"DAZHAO\" is also grid \"dazhao\"'s", 1 },
	{ "alias that is an earlier grid's name", { { "grids[3].aliases[1]",
	  "\"刘辛店村\"" } },
	  "grids[3].aliases[1]: alias \"刘辛店村\" is also grid \"liuxindian\"'s", 1 },
	{ "name that is an earlier grid's alias", { { "grids[0].aliases[1]",
	  "\"王楼村\"" } },
	  "grids[3].name: name \"王楼村\" is also grid \"liuxindian\"'s alias", 1 },
	{ "alias written twice", { { "grids[2].aliases[2]", "\"大赵\"" } },
	  "grids[2].aliases[2]: alias \"大赵\" is written twice", 1 },
	{ "alias that is the grid's own name", { { "grids[2].aliases[2]",
	  "\"大赵村\"" } }, NULL, 0 },
	/* the 代表 page's map: grids[].location, console.tile_url */
	{ "grid location", { { "grids[0].location",
	  "{\"lat\": 35.26, \"lng\": 113.83}" },
	  { "console", "{\"tile_url\": \"https://tiles.example.cn/osm/{z}/{x}/{y}.png\"}" } },
	  NULL, 0 },
	{ "grid location not an object", { { "grids[0].location", "[35.26, 113.83]" } },
	  "grids[0].location: expected an object", 1 },
	{ "grid location latitude out of range", { { "grids[1].location",
	  "{\"lat\": 135.26, \"lng\": 113.83}" } },
	  "grids[1].location.lat: expected degrees from -90 to 90", 1 },
	{ "grid location without longitude", { { "grids[1].location",
	  "{\"lat\": 35.26}" } },
	  "grids[1].location.lng: required key missing", 1 },
	{ "grid location longitude as text", { { "grids[1].location",
	  "{\"lat\": 35.26, \"lng\": \"113.83\"}" } },
	  "grids[1].location.lng: expected degrees from -180 to 180", 1 },
	{ "grid location key typo", { { "grids[1].location",
	  "{\"lat\": 35.26, \"lon\": 113.83}" } },
	  "grids[1].location.lon: unknown key", 2 },
	{ "tile_url without {z}", { { "console",
	  "{\"tile_url\": \"https://tiles.example.cn/{x}/{y}.png\"}" } },
	  "console.tile_url: expected an http:// or https:// URL with a path "
	  "holding {z}, {x} and {y}, got \"https://tiles.example.cn/{x}/{y}.png\"", 1 },
	{ "tile_url not http", { { "console",
	  "{\"tile_url\": \"javascript:{z}{x}{y}\"}" } },
	  "console.tile_url: expected an http:// or https:// URL with a path "
	  "holding {z}, {x} and {y}, got \"javascript:{z}{x}{y}\"", 1 },
	{ "console key typo", { { "console", "{\"tiles_url\": \"x\"}" } },
	  "console.tiles_url: unknown key, did you mean \"tile_url\"?", 1 },
	/* templates */
	{ "template unknown key", { { "templates", "{\"zh\": {\"foo\": \"x\"}}" } },
	  "templates.zh.foo: unknown template \"foo\"", 1 },
	{ "template key typo", { { "templates", "{\"zh\": {\"recieved\": \"x\"}}" } },
	  "templates.zh.recieved: unknown template \"recieved\", did you mean "
	  "\"received\"?", 1 },
	{ "template unknown language", { { "templates", "{\"fr\": {\"help\": \"x\"}}" } },
	  "templates.fr: unknown language \"fr\" (expected \"zh\" or \"en\")", 1 },
	{ "template not a string", { { "templates", "{\"en\": {\"help\": 1}}" } },
	  "templates.en.help: expected a non-empty string", 1 },
	{ "template language not an object", { { "templates", "{\"en\": \"hi\"}" } },
	  "templates.en: expected an object", 1 },
	{ "template unknown placeholder",
	  { { "templates", "{\"zh\": {\"received\": \"编号{numbr}\"}}" } },
	  "templates.zh.received: unknown placeholder \"{numbr}\"", 1 },
	{ "templates not an object", { { "templates", "[]" } },
	  "templates: expected an object", 1 },
};

static void
test_bad(void **state)
{
	const struct bad_case	*c = *state;
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	cfg = load_edited(c->edits, nitems(c->edits), &errs);
	if (c->want == NULL) {
		print_errs(&errs);
		assert_int_equal(errs.n, 0);
		assert_non_null(cfg);
		config_free(cfg);
		return;
	}
	assert_null(cfg);
	if (!errs_have(&errs, c->want) || (c->nwant != 0 && errs.n != c->nwant)) {
		print_message("  wanted:  %s (%zu problems)\n", c->want, c->nwant);
		print_errs(&errs);
		fail();
	}
	config_errors_free(&errs);
}

/* evaluation.remind_before_minutes takes fractions, to the second. */
static void
test_remind_fraction(void **state)
{
	static const struct edit e[] = {
		{ "evaluation", "{\"remind_before_minutes\": 0.25}" },
	};
	static const struct edit e2[] = {
		{ "evaluation", "{\"remind_before_minutes\": 90}" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = load_edited(e, nitems(e), &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->evaluation.remind_before, 15);
	config_free(cfg);
	cfg = load_edited(e2, nitems(e2), &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->evaluation.remind_before, 90 * 60);
	config_free(cfg);
}

/* Several mistakes at once: all of them, one line each, nothing else. */
static void
test_all_problems_at_once(void **state)
{
	static const struct edit e[] = {
		{ "grids[2].deputies[0]", "\"d-li\"" },
		{ "deputies[1].phone", "\"123\"" },
		{ "timezone", "\"Mars/Olympus\"" },
	};
	static const struct edit e2[] = {
		{ "server.listen", DELETE },
		{ "categories[0].tier", "9" },
		{ "channels[2].reply_channel", "\"fax\"" },
	};
	struct config_errors	 errs = { 0 };

	(void)state;
	assert_null(load_edited(e, nitems(e), &errs));
	print_errs(&errs);
	assert_int_equal(errs.n, 3);
	assert_true(errs_have(&errs, "grids[2].deputies[0]: unknown deputy \"d-li\""));
	assert_true(errs_have(&errs, "deputies[1].phone: invalid phone number "
	    "\"123\": too short to be a phone number"));
	assert_true(errs_have(&errs, "timezone: unknown timezone \"Mars/Olympus\" "
	    "(expected an IANA name such as \"Asia/Shanghai\")"));
	/* problems accumulate in the same list */
	assert_null(load_edited(e2, nitems(e2), &errs));
	assert_int_equal(errs.n, 6);
	assert_true(errs_have(&errs, "server.listen: required key missing"));
	assert_true(errs_have(&errs, "categories[0].tier: expected an integer from 1 to 3"));
	assert_true(errs_have(&errs, "channels[2].reply_channel: unknown channel \"fax\""));
	config_errors_free(&errs);
	assert_int_equal(errs.n, 0);
	assert_null(errs.lines);
}

/*
 * Channel keys: the common ones are config.c's, the rest the adapter's
 * list, given by the hook (adapters/ in the program; here the twilio
 * channel "sms" with its keys and the sim channel "sim" with none).
 */
static void
twilio_sim_keys(const struct config *cfg, struct config_errors *errs)
{
	static const char *const keys[] = { "account_sid", "auth_token_env",
	    "from", "api_base", NULL };
	char	 path[32];
	size_t	 i;

	for (i = 0; i < cfg->nchannels; i++) {
		const char *id = cfg->channels[i].id;

		if (cfg->channels[i].json == NULL || id == NULL ||
		    (strcmp(id, "sms") != 0 && strcmp(id, "sim") != 0))
			continue;
		snprintf(path, sizeof(path), "channels[%zu]", i);
		config_check_channel_keys(errs, &cfg->channels[i], path,
		    strcmp(id, "sms") == 0 ? keys : NULL);
	}
}

static int
unset_channel_check(void **state)
{
	(void)state;
	config_set_channel_check(NULL);
	return 0;
}

static void
test_channel_keys(void **state)
{
	static const struct edit e[] = {
		{ "channels[0].auth_tokn_env", "\"TWILIO_AUTH_TOKEN\"" },
		{ "channels[3].retry_base_second", "1" },
		{ "channels[3].account_sid", "\"AC00000000000000000000000000000000\"" },
	};
	static const struct edit ok[] = {
		{ "channels[3].reply_channel", "\"sms\"" },
		{ "channels[3].lookup_grace_seconds", "5" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	config_set_channel_check(twilio_sim_keys);
	assert_null(load_edited(e, nitems(e), &errs));
	print_errs(&errs);
	assert_int_equal(errs.n, 3);
	assert_true(errs_have(&errs, "channels[0].auth_tokn_env: unknown key, "
	    "did you mean \"auth_token_env\"?"));
	assert_true(errs_have(&errs, "channels[3].retry_base_second: unknown "
	    "key, did you mean \"retry_base_seconds\"?"));
	/* another adapter's key is no key of this one */
	assert_true(errs_have(&errs, "channels[3].account_sid: unknown key"));
	config_errors_free(&errs);
	cfg = load_edited(ok, nitems(ok), &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	config_free(cfg);
	config_errors_free(&errs);
}

/* --- JSON syntax and files ------------------------------------------------ */

static void
test_syntax_error_string(void **state)
{
	struct config_errors	 errs = { 0 };

	(void)state;
	assert_null(config_load_string("{\n  \"server\": {\"listen\": }\n}", &errs));
	print_errs(&errs);
	assert_int_equal(errs.n, 1);
	assert_int_equal(strncmp(errs.lines[0], "<string>:2:", 11), 0);
	config_errors_free(&errs);
	assert_null(config_load_string("{\"a\": 1, \"a\": 2}", &errs));
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.lines[0], "duplicate object key"));
	config_errors_free(&errs);
	assert_null(config_load_string("[1, 2]", &errs));
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.lines[0],
	    "<string>: expected a JSON object at the top level");
	config_errors_free(&errs);
}

static void
test_syntax_error_file(void **state)
{
	struct config_errors	 errs = { 0 };
	const char		*path = "tests/data/config/syntax.json";

	(void)state;
	assert_null(config_load(path, &errs));
	print_errs(&errs);
	assert_int_equal(errs.n, 1);
	/* the stray comma ends line 3: reported where "}" follows it */
	assert_int_equal(strncmp(errs.lines[0],
	    "tests/data/config/syntax.json:4:", 32), 0);
	config_errors_free(&errs);
	assert_null(config_load("tests/data/config/absent.json", &errs));
	assert_int_equal(errs.n, 1);
	assert_int_equal(strncmp(errs.lines[0],
	    "tests/data/config/absent.json: unable to open", 45), 0);
	config_errors_free(&errs);
}

/* A file with several mistakes, as a user would write it. */
static void
test_broken_file(void **state)
{
	struct config_errors	 errs = { 0 };

	(void)state;
	assert_null(config_load("tests/data/config/broken.json", &errs));
	print_errs(&errs);
	assert_int_equal(errs.n, 4);
	assert_true(errs_have(&errs, "server.max_body_bytes: expected a positive integer"));
	assert_true(errs_have(&errs, "grids[0].deputies[0]: unknown deputy \"d-li\""));
	assert_true(errs_have(&errs, "deputies[0].phone: invalid phone number "
	    "\"138 0013\": not a valid number for its country"));
	assert_true(errs_have(&errs, "categories[0].tier: expected an integer from 1 to 3"));
	config_errors_free(&errs);
}

/* --- environment ----------------------------------------------------------- */

static void
set_env(void)
{
	setenv("MINYI_ADMIN_TOKEN", "t0ken", 1);
	setenv("TWILIO_AUTH_TOKEN", "tw", 1);
	setenv("MINYI_GROUP_SECRET", "gs", 1);
	setenv("MINYI_HOTLINE_SECRET", "hs", 1);
}

static void
test_env_set(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	set_env();
	cfg = config_load(EXAMPLE, &errs);
	assert_non_null(cfg);
	assert_int_equal(config_check_env(cfg, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(config_secret("MINYI_ADMIN_TOKEN"), "t0ken");
	config_free(cfg);
}

static void
test_env_missing(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	set_env();
	unsetenv("TWILIO_AUTH_TOKEN");
	setenv("MINYI_GROUP_SECRET", "", 1);
	cfg = config_load(EXAMPLE, &errs);
	assert_non_null(cfg);
	assert_int_equal(config_check_env(cfg, &errs), -1);
	print_errs(&errs);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.lines[0], "channels[0].auth_token_env: "
	    "environment variable TWILIO_AUTH_TOKEN is not set");
	assert_string_equal(errs.lines[1], "channels[1].secret_env: "
	    "environment variable MINYI_GROUP_SECRET is empty");
	assert_null(config_secret("TWILIO_AUTH_TOKEN"));
	assert_null(config_secret("MINYI_GROUP_SECRET"));
	assert_null(config_secret(NULL));
	config_errors_free(&errs);
	unsetenv("MINYI_ADMIN_TOKEN");
	assert_int_equal(config_check_env(cfg, &errs), -1);
	assert_int_equal(errs.n, 3);
	assert_string_equal(errs.lines[0], "server.admin_token_env: "
	    "environment variable MINYI_ADMIN_TOKEN is not set");
	config_errors_free(&errs);
	config_free(cfg);
}

/* --- templates ------------------------------------------------------------- */

static void
test_template_fallback(void **state)
{
	struct config_errors	 errs = { 0 };
	struct config		*cfg;
	const char		*zh, *en;

	(void)state;
	cfg = config_load(EXAMPLE, &errs);
	assert_non_null(cfg);
	zh = config_template(NULL, "zh", "help");
	en = config_template(NULL, "en", "help");
	assert_true(utf8_has_cjk(zh));
	assert_false(utf8_has_cjk(en));
	assert_ptr_equal(config_template(cfg, "zh", "help"), zh);
	assert_ptr_equal(config_template(cfg, "en", "help"), en);
	/* the config's language when none is given */
	assert_ptr_equal(config_template(cfg, NULL, "help"), zh);
	assert_ptr_equal(config_template(NULL, NULL, "help"), zh);
	/* an unknown language gets the zh text */
	assert_ptr_equal(config_template(cfg, "fr", "help"), zh);
	config_free(cfg);
}

static void
test_template_override(void **state)
{
	static const struct edit e[] = {
		{ "templates", "{\"zh\": {\"greeting\": \"欢迎使用范县民意直通。\"},"
		    " \"en\": {\"received\": \"Got it: {number}.\"}}" },
		{ "language", "\"en\"" },
	};
	struct config_errors	 errs = { 0 };
	struct config		*cfg;

	(void)state;
	cfg = load_edited(e, nitems(e), &errs);
	print_errs(&errs);
	assert_non_null(cfg);
	assert_string_equal(config_template(cfg, "zh", "greeting"),
	    "欢迎使用范县民意直通。");
	assert_string_equal(config_template(cfg, "en", "received"),
	    "Got it: {number}.");
	assert_string_equal(config_template(cfg, NULL, "received"),
	    "Got it: {number}.");
	/* not overridden: the built-in texts */
	assert_ptr_equal(config_template(cfg, "en", "greeting"),
	    config_template(NULL, "en", "greeting"));
	assert_ptr_equal(config_template(cfg, "zh", "received"),
	    config_template(NULL, "zh", "received"));
	config_free(cfg);
}

static void
test_template_known(void **state)
{
	char	 bad[8];

	(void)state;
	assert_true(config_template_known("help"));
	assert_true(config_template_known("greeting"));
	assert_false(config_template_known("foo"));
	assert_false(config_template_known(""));
	assert_false(config_template_known(NULL));
	assert_null(config_template_key(10000));
	assert_int_equal(config_template_check("received", "{number} {deputy}",
	    bad, sizeof(bad)), 0);
	/* braces around anything but a name are text */
	assert_int_equal(config_template_check("help", "{ } {} {a b} {", bad,
	    sizeof(bad)), 0);
	assert_int_equal(config_template_check("help", "x {number}", bad,
	    sizeof(bad)), -1);
	assert_string_equal(bad, "number");
	assert_int_equal(config_template_check("received", "{a_very_long_name}",
	    bad, sizeof(bad)), -1);
	assert_string_equal(bad, "a_very_");	/* cut to fit */
}

/* The placeholders of text, as a sorted, space-separated list. */
static void
template_vars(const char *text, char *out, size_t outsz)
{
	char		 names[16][32];
	const char	*p, *q;
	size_t		 n = 0, i, j, len;
	char		 tmp[32];

	for (p = text; (p = strchr(p, '{')) != NULL; p++) {
		q = strchr(p, '}');
		len = q ? (size_t)(q - p - 1) : 0;
		if (q == NULL || len == 0 || len >= sizeof(names[0]) || n == 16)
			continue;
		memcpy(names[n], p + 1, len);
		names[n][len] = '\0';
		for (i = 0; i < n && strcmp(names[i], names[n]) != 0; i++)
			;
		if (i == n)
			n++;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				strlcpy(tmp, names[i], sizeof(tmp));
				strlcpy(names[i], names[j], sizeof(names[i]));
				strlcpy(names[j], tmp, sizeof(names[j]));
			}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(out, names[i], outsz - strlen(out) - 1);
		strncat(out, " ", outsz - strlen(out) - 1);
	}
}

/*
 * Every built-in: a zh and an en text with the same placeholders; the
 * zh text fits one SMS segment (70 UTF-16 units) before filling in, the
 * en text is plain ASCII.  The first-dialog keys are there.
 */
static void
test_template_table(void **state)
{
	const char	*key, *zh, *en;
	char		 vzh[256], ven[256];
	size_t		 i;

	(void)state;
	for (i = 0; (key = config_template_key(i)) != NULL; i++) {
		zh = config_template(NULL, "zh", key);
		en = config_template(NULL, "en", key);
		assert_true(config_template_known(key));
		assert_true(utf8_valid(zh, strlen(zh)));
		if (utf8_units16(zh) > 70) {
			print_message("  %s: %zu units\n", key, utf8_units16(zh));
			fail();
		}
		assert_true(utf8_is_gsm_safe(en));
		template_vars(zh, vzh, sizeof(vzh));
		template_vars(en, ven, sizeof(ven));
		if (strcmp(vzh, ven) != 0) {
			print_message("  %s: zh {%s} en {%s}\n", key, vzh, ven);
			fail();
		}
		assert_int_equal(config_template_check(key, zh, vzh, sizeof(vzh)), 0);
		assert_int_equal(config_template_check(key, en, ven, sizeof(ven)), 0);
	}
	assert_true(i >= 10);
	assert_non_null(strstr(config_template(NULL, "zh", "received"), "{number}"));
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_example_loads),
		cmocka_unit_test(test_example_phones),
		cmocka_unit_test(test_example_staff),
		cmocka_unit_test(test_example_lookups),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_listen_ipv6),
		cmocka_unit_test(test_store_postgresql),
		cmocka_unit_test(test_listen_localhost),
		cmocka_unit_test(test_optional_sections),
		cmocka_unit_test(test_remind_fraction),
		cmocka_unit_test(test_all_problems_at_once),
		cmocka_unit_test_teardown(test_channel_keys, unset_channel_check),
		cmocka_unit_test(test_syntax_error_string),
		cmocka_unit_test(test_syntax_error_file),
		cmocka_unit_test(test_broken_file),
		cmocka_unit_test(test_env_set),
		cmocka_unit_test(test_env_missing),
		cmocka_unit_test(test_template_fallback),
		cmocka_unit_test(test_template_override),
		cmocka_unit_test(test_template_known),
		cmocka_unit_test(test_template_table),
	};
	struct CMUnitTest	 tests[nitems(fixed) + nitems(bad_cases)];
	size_t			 i, n = 0;

	log_init(-1);
	for (i = 0; i < nitems(fixed); i++)
		tests[n++] = fixed[i];
	for (i = 0; i < nitems(bad_cases); i++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = bad_cases[i].name;
		tests[n].test_func = test_bad;
		tests[n].initial_state = ROW(&bad_cases[i]);
		n++;
	}
	return _cmocka_run_group_tests("config", tests, n, NULL, NULL);
}
