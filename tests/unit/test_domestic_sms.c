/*
 * test_domestic_sms.c: adapters/aliyun_sms.c, adapters/tencent_sms.c and
 * adapters/push.c, which they share — config checks, the webhook secret
 * and allow-list, parsing of the captured payloads in
 * tests/data/{aliyun_sms,tencent_sms}/ and of inline bad ones, the
 * providers' published signing examples, the calls build makes (at a
 * fixed clock and nonce, checked against values computed apart with
 * Python and the openssl command line), the cut with the sign name, and
 * how answers are classified.  No network.
 *
 * The adapters' files are included here so that their static signing
 * functions can be called; the Makefile links this test without their
 * objects (push.c is linked as it is: its functions are in adapter.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../adapters/adapter.h"
#include "../../adapters/aliyun_sms.c"
#include "../../adapters/tencent_sms.c"

#define DATA_DIR	"tests/data"
#define ALI_PATH	"ali-path-secret-0123456789"
#define ALI_KEY		"testSecret"	/* Alibaba Cloud's example secret */
#define TC_PATH		"tc-path-secret-0123456789"
#define TC_KEY		"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"	/* Tencent's example key */
#define TC_ID		"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"

static const char *const cfg_json =
    "{\"server\": {\"listen\": \"127.0.0.1:8080\"}, \"region\": \"CN\", \"dialog\": {\"sms_channel\": \"ali\"},"
    " \"channels\": ["
    "  {\"id\": \"ali\", \"adapter\": \"aliyun_sms\", \"secret_env\": \"TEST_ALI_PATH\","
    "   \"access_key_id\": \"testId\", \"access_key_secret_env\": \"TEST_ALI_KEY\","
    "   \"sign_name\": \"民意通\", \"template_code\": \"SMS_000001\","
    "   \"api_base\": \"http://127.0.0.1:9/aliyun/\"},"
    "  {\"id\": \"ali-allow\", \"adapter\": \"aliyun_sms\", \"secret_env\": \"TEST_ALI_PATH\","
    "   \"allow_from\": [\"192.0.2.0/24\", \"198.51.100.7\", \"2001:db8:5::/48\", \"::1\"],"
    "   \"access_key_id\": \"testId\", \"access_key_secret_env\": \"TEST_ALI_KEY\","
    "   \"sign_name\": \"民意通\", \"template_code\": \"SMS_000001\", \"max_segments\": 1},"
    "  {\"id\": \"tc\", \"adapter\": \"tencent_sms\", \"secret_env\": \"TEST_TC_PATH\","
    "   \"secret_id\": \"" TC_ID "\", \"secret_key_env\": \"TEST_TC_KEY\","
    "   \"sdk_app_id\": \"1400006666\", \"sign_name\": \"民意通\", \"template_id\": \"449739\","
    "   \"api_base\": \"http://127.0.0.1:9/tencent\"},"
    "  {\"id\": \"tc-allow\", \"adapter\": \"tencent_sms\", \"secret_env\": \"TEST_TC_PATH\","
    "   \"allow_from\": [\"203.0.113.0/25\", \"2001:db8::/32\"], \"region\": \"ap-beijing\","
    "   \"secret_id\": \"" TC_ID "\", \"secret_key_env\": \"TEST_TC_KEY\","
    "   \"sdk_app_id\": \"1400006666\", \"sign_name\": \"民意通\", \"template_id\": \"449739\","
    "   \"max_segments\": 3}"
    " ],"
    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}";

/* A loaded config and its channels, opened. */
struct fx {
	struct config	*cfg;
	struct channel	 ali, ali_allow, tc, tc_allow;
};

/* --- helpers ------------------------------------------------------------- */

static struct config *
load_config(const char *json)
{
	struct config_errors	 errs;
	struct config		*cfg;
	size_t			 i;

	memset(&errs, 0, sizeof(errs));
	cfg = config_load_string(json, &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "config: %s\n", errs.lines[i]);
	config_errors_free(&errs);
	assert_non_null(cfg);
	return cfg;
}

static void
open_one(struct fx *f, struct channel *ch, const char *id)
{
	const struct channel_conf *cc = config_channel(f->cfg, id);

	assert_non_null(cc);
	assert_int_equal(adapter_open(ch, f->cfg, cc), 0);
}

static int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof(*f));

	f->cfg = load_config(cfg_json);
	open_one(f, &f->ali, "ali");
	open_one(f, &f->ali_allow, "ali-allow");
	open_one(f, &f->tc, "tc");
	open_one(f, &f->tc_allow, "tc-allow");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	adapter_close(&f->ali);
	adapter_close(&f->ali_allow);
	adapter_close(&f->tc);
	adapter_close(&f->tc_allow);
	config_free(f->cfg);
	free(f);
	return 0;
}

static const char *
no_header(const struct http_req *req, const char *name)
{
	(void)req;
	(void)name;
	return NULL;
}

static void
req_init(struct http_req *req, const char *sub, const char *body)
{
	memset(req, 0, sizeof(*req));
	req->method = "POST";
	req->path = "/webhooks/x";
	req->sub = sub;
	req->body = body;
	req->body_len = strlen(body);
	req->remote_addr = "127.0.0.1";
	req->header = no_header;
}

static int
verify(struct channel *ch, const char *sub, const char *addr)
{
	struct http_req	 req;

	req_init(&req, sub, "[]");
	req.remote_addr = addr;
	return ch->ad->ops->verify(ch, &req);
}

static int
parse(struct channel *ch, const char *sub, const char *body,
    struct inbound_batch *b, char *err, size_t errsz)
{
	struct http_req	 req;

	req_init(&req, sub, body);
	memset(b, 0, sizeof(*b));
	err[0] = '\0';
	return ch->ad->ops->parse(ch, &req, b, err, errsz);
}

/* Problems adapter_check_config finds in json. */
static struct config_errors
check_problems(const char *json)
{
	struct config_errors	 errs;
	struct config		*cfg = load_config(json);

	memset(&errs, 0, sizeof(errs));
	adapter_check_config(cfg, &errs);
	config_free(cfg);
	return errs;
}

static bool
has_problem(const struct config_errors *errs, const char *needle)
{
	size_t	 i;

	for (i = 0; i < errs->n; i++)
		if (strstr(errs->lines[i], needle) != NULL)
			return true;
	return false;
}

static void
dump_problems(const struct config_errors *errs)
{
	size_t	 i;

	for (i = 0; i < errs->n; i++)
		fprintf(stderr, "problem: %s\n", errs->lines[i]);
}

/* A string of n copies of s; caller frees. */
static char *
repeat(const char *s, size_t n)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 0);
	buf_addstr(&b, "");
	for (i = 0; i < n; i++)
		buf_addstr(&b, s);
	return buf_steal(&b);
}

/* A header of call by name ("Name: value"): its value, or NULL. */
static const char *
call_header(const struct http_call *call, const char *name)
{
	size_t	 i, n = strlen(name);

	for (i = 0; i < call->nheaders; i++)
		if (strncmp(call->headers[i], name, n) == 0 &&
		    call->headers[i][n] == ':')
			return call->headers[i] + n + 2;
	return NULL;
}

/* Percent-decode s into a new string. */
static char *
pct_decode(const char *s, size_t len)
{
	char	*out = xmalloc(len + 1), hex[3] = { 0 };
	size_t	 i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/* A form body as a JSON object of decoded names and values (new). */
static json_t *
form_decode(const char *body)
{
	json_t		*o = json_object();
	const char	*p = body, *amp, *eq;
	char		*name, *value;

	while (*p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		assert_non_null(eq);
		name = pct_decode(p, (size_t)(eq - p));
		value = pct_decode(eq + 1, (size_t)(amp - eq - 1));
		json_object_set_new(o, name, json_string(value));
		free(name);
		free(value);
		p = *amp == '&' ? amp + 1 : amp;
	}
	return o;
}

/* --- registry and config ------------------------------------------------- */

static void
test_registry(void **state)
{
	struct fx	*f = *state;
	json_t		*v;

	assert_ptr_equal(adapter_lookup("aliyun_sms"), &adapter_aliyun_sms);
	assert_ptr_equal(adapter_lookup("tencent_sms"), &adapter_tencent_sms);
	assert_string_equal(adapter_aliyun_sms.ok_type, "application/json");
	assert_string_equal(adapter_aliyun_sms.ok_body, "{\"code\":0,\"msg\":\"接收成功\"}");
	assert_string_equal(adapter_tencent_sms.ok_type, "application/json");
	assert_string_equal(adapter_tencent_sms.ok_body, "{\"result\":0,\"errmsg\":\"OK\"}");
	assert_int_equal(adapter_aliyun_sms.flags, 0);
	assert_int_equal(adapter_tencent_sms.flags, 0);
	/* the answers are JSON: code 0 and result 0 */
	v = json_loads(adapter_aliyun_sms.ok_body, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(v, "code")), 0);
	assert_true(json_is_integer(json_object_get(v, "code")));
	json_decref(v);
	v = json_loads(adapter_tencent_sms.ok_body, 0, NULL);
	assert_true(json_is_integer(json_object_get(v, "result")));
	assert_int_equal(json_integer_value(json_object_get(v, "result")), 0);
	json_decref(v);
	assert_true(adapter_reaches_phones(&f->ali));
	assert_true(adapter_reaches_phones(&f->tc));
	assert_false(adapter_is_local(&f->ali));
}

static void
test_check_fixture_config_is_clean(void **state)
{
	struct fx		*f = *state;
	struct config_errors	 errs;

	memset(&errs, 0, sizeof(errs));
	adapter_check_config(f->cfg, &errs);
	if (errs.n != 0)
		dump_problems(&errs);
	assert_int_equal(errs.n, 0);
	config_errors_free(&errs);
}

static void
test_aliyun_check_required(void **state)
{
	struct config_errors errs;

	(void)state;
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": [{\"id\": \"s\", \"adapter\": \"aliyun_sms\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	if (errs.n != 5)
		dump_problems(&errs);
	assert_true(has_problem(&errs, "channels[0].secret_env: required key missing"));
	assert_true(has_problem(&errs, "channels[0].access_key_id: required key missing"));
	assert_true(has_problem(&errs, "channels[0].access_key_secret_env: required key missing"));
	assert_true(has_problem(&errs, "channels[0].sign_name: required key missing"));
	assert_true(has_problem(&errs, "channels[0].template_code: required key missing"));
	assert_int_equal(errs.n, 5);
	config_errors_free(&errs);
}

static void
test_aliyun_check_values(void **state)
{
	struct config_errors errs;

	(void)state;
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"dialog\": {\"sms_channel\": \"s\"},"
	    " \"channels\": [{\"id\": \"x\", \"adapter\": \"sim\"},"
	    "  {\"id\": \"s\", \"adapter\": \"aliyun_sms\", \"secret_env\": \"A\","
	    "   \"access_key_id\": 5, \"access_key_secret_env\": \"B\","
	    "   \"sign_name\": \"【民意通】\", \"template_code\": \"\","
	    "   \"api_base\": \"ftp://x\", \"max_segments\": 8,"
	    "   \"allow_from\": [\"10.0.0.0/33\", \"192.0.2.1\", 7, \"fe80::1%eth0\"]},"
	    "  {\"id\": \"t\", \"adapter\": \"aliyun_sms\", \"secret_env\": \"A\","
	    "   \"access_key_id\": \"k\", \"access_key_secret_env\": \"B\","
	    "   \"sign_name\": \"一二三四五六七八九十一二三四五六七八九十一\","
	    "   \"template_code\": \"SMS_1\", \"max_segments\": \"2\", \"allow_from\": []}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	if (errs.n != 11)
		dump_problems(&errs);
	assert_true(has_problem(&errs, "channels[1].access_key_id: expected a non-empty string"));
	assert_true(has_problem(&errs, "channels[1].sign_name: expected the sign's name without 【】"));
	assert_true(has_problem(&errs, "channels[1].template_code: expected a non-empty string"));
	assert_true(has_problem(&errs, "channels[1].api_base: expected an http"));
	assert_true(has_problem(&errs, "channels[1].max_segments: expected an integer from 1 to 7"));
	assert_true(has_problem(&errs, "channels[1].allow_from[0]: expected an IPv4 or IPv6"));
	assert_true(has_problem(&errs, "channels[1].allow_from[2]: expected"));
	assert_true(has_problem(&errs, "channels[1].allow_from[3]: expected"));
	assert_false(has_problem(&errs, "channels[1].allow_from[1]"));
	assert_true(has_problem(&errs, "channels[2].sign_name: expected the sign's name"));
	assert_true(has_problem(&errs, "channels[2].max_segments: expected an integer"));
	assert_true(has_problem(&errs, "channels[2].allow_from: expected a non-empty array"));
	assert_int_equal(errs.n, 11);
	config_errors_free(&errs);
}

static void
test_tencent_check_required(void **state)
{
	struct config_errors errs;

	(void)state;
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": [{\"id\": \"x\", \"adapter\": \"sim\"}, {\"id\": \"y\", \"adapter\": \"sim\"},"
	    "  {\"id\": \"x2\", \"adapter\": \"sim\"}, {\"id\": \"y2\", \"adapter\": \"sim\"},"
	    "  {\"id\": \"s\", \"adapter\": \"tencent_sms\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	if (errs.n != 6)
		dump_problems(&errs);
	assert_true(has_problem(&errs, "channels[4].secret_env: required key missing"));
	assert_true(has_problem(&errs, "channels[4].secret_id: required key missing"));
	assert_true(has_problem(&errs, "channels[4].secret_key_env: required key missing"));
	assert_true(has_problem(&errs, "channels[4].sdk_app_id: required key missing"));
	assert_true(has_problem(&errs, "channels[4].sign_name: required key missing"));
	assert_true(has_problem(&errs, "channels[4].template_id: required key missing"));
	assert_int_equal(errs.n, 6);
	config_errors_free(&errs);
}

static void
test_tencent_check_values(void **state)
{
	struct config_errors errs;

	(void)state;
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": [{\"id\": \"s\", \"adapter\": \"tencent_sms\", \"secret_env\": \"A\","
	    "   \"secret_id\": \"AKID\", \"secret_key_env\": \"B\", \"sdk_app_id\": \"14000x\","
	    "   \"sign_name\": \"民意通】\", \"template_id\": \"T-1\", \"region\": 5,"
	    "   \"api_base\": \"https://\", \"max_segments\": 0, \"allow_from\": \"10.0.0.0/8\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	if (errs.n != 7)
		dump_problems(&errs);
	assert_true(has_problem(&errs, "channels[0].sdk_app_id: expected digits, got \"14000x\""));
	assert_true(has_problem(&errs, "channels[0].template_id: expected digits, got \"T-1\""));
	assert_true(has_problem(&errs, "channels[0].sign_name: expected the sign's name without 【】"));
	assert_true(has_problem(&errs, "channels[0].region: expected a non-empty string"));
	assert_true(has_problem(&errs, "channels[0].api_base: expected an http"));
	assert_true(has_problem(&errs, "channels[0].max_segments: expected an integer from 1 to 7"));
	assert_true(has_problem(&errs, "channels[0].allow_from: expected a non-empty array"));
	assert_int_equal(errs.n, 7);
	config_errors_free(&errs);
}

/* adapter_open on channel id with the path secret env set to value. */
static int
open_with(struct fx *f, const char *id, const char *env, const char *value)
{
	struct channel	 ch;
	int		 rc;

	if (value != NULL)
		setenv(env, value, 1);
	else
		unsetenv(env);
	rc = adapter_open(&ch, f->cfg, config_channel(f->cfg, id));
	if (rc == 0) {
		assert_non_null(ch.ctx);
		adapter_close(&ch);
	} else
		assert_null(ch.ctx);
	return rc;
}

static void
test_aliyun_init_secrets(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(open_with(f, "ali", "TEST_ALI_PATH", NULL), -1);
	assert_int_equal(open_with(f, "ali", "TEST_ALI_PATH", "short"), -1);
	assert_int_equal(open_with(f, "ali", "TEST_ALI_PATH", "has/a/slash/0123456789"), -1);
	assert_int_equal(open_with(f, "ali", "TEST_ALI_PATH", "has space 0123456789"), -1);
	assert_int_equal(open_with(f, "ali", "TEST_ALI_PATH", ALI_PATH), 0);
	assert_int_equal(open_with(f, "ali", "TEST_ALI_KEY", NULL), -1);
	assert_int_equal(open_with(f, "ali", "TEST_ALI_KEY", ALI_KEY), 0);
}

static void
test_tencent_init_secrets(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(open_with(f, "tc", "TEST_TC_PATH", NULL), -1);
	assert_int_equal(open_with(f, "tc", "TEST_TC_PATH", "0123456789abcde"), -1);
	assert_int_equal(open_with(f, "tc", "TEST_TC_PATH", "0123456789abcdef"), 0);
	assert_int_equal(open_with(f, "tc", "TEST_TC_PATH", TC_PATH), 0);
	assert_int_equal(open_with(f, "tc", "TEST_TC_KEY", ""), -1);
	assert_int_equal(open_with(f, "tc", "TEST_TC_KEY", TC_KEY), 0);
}

/* --- webhook secret and allow-list --------------------------------------- */

struct sub_row {
	const char	*sub;
	int		 want;
};

static void
run_sub_rows(struct channel *ch, const struct sub_row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (verify(ch, rows[i].sub, "127.0.0.1") != rows[i].want)
			fail_msg("row %zu: sub \"%s\": want %d", i,
			    rows[i].sub ? rows[i].sub : "(null)", rows[i].want);
}

static void
test_aliyun_secret_path(void **state)
{
	static const struct sub_row rows[] = {
		{ "/" ALI_PATH, 0 },
		{ "/" ALI_PATH "/", 0 },
		{ "/" ALI_PATH "/up", 0 },
		{ "/" ALI_PATH "/report", 0 },
		{ "/" ALI_PATH "/anything", 0 },	/* parse says 400 */
		{ "/ali-path-secret-012345678", -1 },	/* one short */
		{ "/" ALI_PATH "0", -1 },		/* one long */
		{ "/ALI-PATH-SECRET-0123456789", -1 },
		{ "/" TC_PATH, -1 },
		{ "/wrong", -1 },
		{ "/", -1 },
		{ "//" ALI_PATH, -1 },
		{ ALI_PATH, -1 },
		{ "", -1 },
		{ "/status", -1 },
		{ NULL, -1 },
	};
	struct fx	*f = *state;

	run_sub_rows(&f->ali, rows, nitems(rows));
}

static void
test_tencent_secret_path(void **state)
{
	static const struct sub_row rows[] = {
		{ "/" TC_PATH, 0 },
		{ "/" TC_PATH "/reply", 0 },
		{ "/" TC_PATH "/status", 0 },
		{ "/" ALI_PATH, -1 },
		{ "/tc-path-secret-012345678", -1 },
		{ "/" TC_PATH "x/status", -1 },
		{ "", -1 },
		{ NULL, -1 },
	};
	struct fx	*f = *state;

	run_sub_rows(&f->tc, rows, nitems(rows));
}

static void
test_secret_compare_is_exact(void **state)
{
	(void)state;
	assert_true(push_sub_secret_ok("abc", "/abc"));
	assert_true(push_sub_secret_ok("abc", "/abc/up"));
	assert_false(push_sub_secret_ok("abc", "/ab"));
	assert_false(push_sub_secret_ok("abc", "/abcd"));
	assert_false(push_sub_secret_ok("abc", "/abd"));
	assert_false(push_sub_secret_ok("abc", "abc"));
	assert_true(push_sub_secret_ok("abc", "/abc/status"));
	assert_false(push_sub_secret_ok("abc", "/ABC"));
}

struct addr_row {
	const char	*addr;
	int		 want;
};

static void
run_addr_rows(struct channel *ch, const char *sub, const struct addr_row *rows,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (verify(ch, sub, rows[i].addr) != rows[i].want)
			fail_msg("row %zu: %s: want %d", i,
			    rows[i].addr ? rows[i].addr : "(null)", rows[i].want);
}

static void
test_allow_ipv4(void **state)
{
	static const struct addr_row rows[] = {
		{ "192.0.2.0", 0 },
		{ "192.0.2.1", 0 },
		{ "192.0.2.255", 0 },
		{ "192.0.3.1", -1 },
		{ "192.0.1.255", -1 },
		{ "198.51.100.7", 0 },
		{ "198.51.100.8", -1 },
		{ "::ffff:192.0.2.9", 0 },	/* IPv4 seen on a dual-stack socket */
		{ "::ffff:192.0.3.9", -1 },
		{ "127.0.0.1", -1 },
		{ "", -1 },
		{ "not an address", -1 },
		{ NULL, -1 },
	};
	struct fx	*f = *state;

	run_addr_rows(&f->ali_allow, "/" ALI_PATH, rows, nitems(rows));
}

static void
test_allow_ipv6(void **state)
{
	static const struct addr_row rows[] = {
		{ "2001:db8:5::1", 0 },
		{ "2001:db8:5:ffff:ffff:ffff:ffff:ffff", 0 },
		{ "2001:db8:6::1", -1 },
		{ "2001:db8:4:ffff::1", -1 },
		{ "::1", 0 },
		{ "::2", -1 },
		{ "fe80::1", -1 },
		{ "::192.0.2.1", -1 },	/* IPv4-compatible is not IPv4-mapped */
	};
	struct fx	*f = *state;

	run_addr_rows(&f->ali_allow, "/" ALI_PATH, rows, nitems(rows));
}

static void
test_allow_needs_secret_too(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(verify(&f->ali_allow, "/" ALI_PATH, "192.0.2.1"), 0);
	assert_int_equal(verify(&f->ali_allow, "/wrong", "192.0.2.1"), -1);
	assert_int_equal(verify(&f->tc_allow, "/" TC_PATH, "203.0.113.1"), 0);
	assert_int_equal(verify(&f->tc_allow, "/" TC_PATH, "203.0.113.127"), 0);
	assert_int_equal(verify(&f->tc_allow, "/" TC_PATH, "203.0.113.128"), -1);
	assert_int_equal(verify(&f->tc_allow, "/" TC_PATH, "2001:db8:ffff::1"), 0);
	assert_int_equal(verify(&f->tc_allow, "/" TC_PATH, "2001:db9::1"), -1);
	assert_int_equal(verify(&f->tc_allow, "/wrong", "203.0.113.1"), -1);
	/* no list: any address */
	assert_int_equal(verify(&f->tc, "/" TC_PATH, "8.8.8.8"), 0);
	assert_int_equal(verify(&f->ali, "/" ALI_PATH, "2001:db8::1"), 0);
}

struct net_row {
	const char	*s;
	int		 rc;
	int		 family;
	unsigned	 bits;
};

static void
test_net_parse(void **state)
{
	static const struct net_row rows[] = {
		{ "192.0.2.7", 0, AF_INET, 32 },
		{ "10.0.0.0/8", 0, AF_INET, 8 },
		{ "10.1.2.3/8", 0, AF_INET, 8 },
		{ "0.0.0.0/0", 0, AF_INET, 0 },
		{ "10.0.0.0/32", 0, AF_INET, 32 },
		{ "2001:db8::/32", 0, AF_INET6, 32 },
		{ "::1", 0, AF_INET6, 128 },
		{ "::/0", 0, AF_INET6, 0 },
		{ "2001:db8::/128", 0, AF_INET6, 128 },
		{ "10.0.0.0/33", -1, 0, 0 },
		{ "::/129", -1, 0, 0 },
		{ "10.0.0.0/", -1, 0, 0 },
		{ "10.0.0.0/x", -1, 0, 0 },
		{ "10.0.0.0/8x", -1, 0, 0 },
		{ "10.0.0.0/-8", -1, 0, 0 },
		{ "10.0.0.0/ 8", -1, 0, 0 },
		{ "/8", -1, 0, 0 },
		{ "10.0.0", -1, 0, 0 },
		{ "fe80::1%eth0", -1, 0, 0 },
		{ "localhost", -1, 0, 0 },
		{ "", -1, 0, 0 },
	};
	struct push_net	 a;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (push_net_parse(rows[i].s, &a) != rows[i].rc)
			fail_msg("row %zu: \"%s\": want %d", i, rows[i].s, rows[i].rc);
		if (rows[i].rc == 0 && (a.family != rows[i].family ||
		    a.bits != rows[i].bits))
			fail_msg("row %zu: \"%s\": family %d bits %u", i,
			    rows[i].s, a.family, a.bits);
	}
}

/* --- push.c, directly --------------------------------------------------- */

struct kind_row {
	const char	*sub;
	int		 want;
};

static void
test_push_sub_kind(void **state)
{
	static const struct kind_row rows[] = {
		{ NULL, 0 },
		{ "", 0 },
		{ "up", 0 },
		{ "/s", 0 },
		{ "/s/", 0 },
		{ "/s/up", 1 },
		{ "/s/report", 2 },
		{ "/s/UP", -1 },
		{ "/s/other", -1 },
		{ "/s/up/", -1 },
		{ "/s/up/more", -1 },
		{ "/s//up", -1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		if (push_sub_kind(rows[i].sub, "up", "report") != rows[i].want)
			fail_msg("row %zu: \"%s\": want %d", i,
			    rows[i].sub ? rows[i].sub : "(null)", rows[i].want);
}

struct valid_row {
	const char	*s;
	bool		 want;
};

static void
test_push_secret_valid(void **state)
{
	static const struct valid_row rows[] = {
		{ "0123456789abcdef", true },		/* PUSH_SECRET_MIN */
		{ "0123456789abcde", false },
		{ "AZaz09-._~AZaz09-._~", true },
		{ "0123456789abcdef/", false },
		{ "0123456789abcdef%", false },
		{ "0123456789abcdef ", false },
		{ "0123456789abcdef+", false },
		{ "", false },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		if (push_secret_valid(rows[i].s) != rows[i].want)
			fail_msg("row %zu: \"%s\": want %d", i, rows[i].s,
			    rows[i].want);
}

struct allow_row {
	const char	*addr;
	bool		 want;
};

static void
test_push_guard_allows(void **state)
{
	static const char *const nets[] = { "10.16.0.0/12", "2001:db8::/33",
	    "198.51.100.7" };
	static const struct allow_row rows[] = {
		{ "10.16.0.0", true },
		{ "10.31.255.255", true },		/* /12: half a byte */
		{ "10.32.0.0", false },
		{ "10.15.255.255", false },
		{ "::ffff:10.20.0.1", true },
		{ "2001:db8:7fff::1", true },		/* /33 */
		{ "2001:db8:8000::1", false },
		{ "198.51.100.7", true },
		{ "198.51.100.6", false },
		{ "::ffff:198.51.100.7", true },
		{ "::198.51.100.7", false },
		{ "10.20.0.1 ", false },
		{ "", false },
		{ NULL, false },
	};
	struct push_guard	 g;
	size_t			 i;

	(void)state;
	memset(&g, 0, sizeof(g));
	/* no list: any address, even none */
	assert_true(push_guard_allows(&g, NULL));
	assert_true(push_guard_allows(&g, "203.0.113.9"));
	g.allow = xcalloc(nitems(nets), sizeof(*g.allow));
	for (i = 0; i < nitems(nets); i++)
		assert_int_equal(push_net_parse(nets[i], &g.allow[g.nallow++]), 0);
	for (i = 0; i < nitems(rows); i++)
		if (push_guard_allows(&g, rows[i].addr) != rows[i].want)
			fail_msg("row %zu: %s: want %d", i, rows[i].addr ?
			    rows[i].addr : "(null)", rows[i].want);
	push_guard_clear(&g);
	assert_null(g.allow);
	assert_int_equal(g.nallow, 0);
}

static void
test_push_guard_verify(void **state)
{
	struct push_guard	 g;
	struct http_req		 req;

	(void)state;
	memset(&g, 0, sizeof(g));
	req_init(&req, "/0123456789abcdef", "[]");
	/* a guard that holds no secret lets nothing through */
	assert_int_equal(push_guard_verify(&g, &req), -1);
	g.secret = xstrdup("0123456789abcdef");
	assert_int_equal(push_guard_verify(&g, &req), 0);
	req.sub = "/0123456789abcdef/report";
	assert_int_equal(push_guard_verify(&g, &req), 0);
	req.sub = "/0123456789abcdeF";
	assert_int_equal(push_guard_verify(&g, &req), -1);
	req.sub = "/0123456789abcdef";
	g.allow = xcalloc(1, sizeof(*g.allow));
	g.nallow = 1;
	assert_int_equal(push_net_parse("192.0.2.0/24", g.allow), 0);
	assert_int_equal(push_guard_verify(&g, &req), -1);	/* 127.0.0.1 */
	req.remote_addr = "192.0.2.200";
	assert_int_equal(push_guard_verify(&g, &req), 0);
	push_guard_clear(&g);
	assert_null(g.secret);
	assert_int_equal(push_guard_verify(&g, &req), -1);
}

static void
test_push_hash_id(void **state)
{
	const char	*f3[] = { "a", NULL, "b" };
	const char	*f3b[] = { "a", "", "b" };
	const char	*f2[] = { "a", "b" };
	const char	*up[] = { "+8613800138000", "2025-11-21 09:30:00", "路灯" };
	char		*h, *h2;

	(void)state;
	/* printf 'a\0\0b\0' | openssl dgst -sha256 */
	h = push_hash_id(f3, nitems(f3));
	assert_string_equal(h, "1e150340af37881c9b1e9e84429d13b8b5d15164d29d35b0ca9febd9abb4f059");
	h2 = push_hash_id(f3b, nitems(f3b));		/* NULL is "" */
	assert_string_equal(h, h2);
	free(h2);
	h2 = push_hash_id(f2, nitems(f2));		/* the NULs keep fields apart */
	assert_string_not_equal(h, h2);
	free(h2);
	free(h);
	h = push_hash_id(NULL, 0);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	free(h);
	h = push_hash_id(up, nitems(up));
	assert_string_equal(h, "db7860a91b03e136a24dbc88c3102e93b9ff8c826019f62427ca00120cc59343");
	free(h);
}

static void
test_push_is_e164(void **state)
{
	static const struct valid_row rows[] = {
		{ "+8613800138000", true },
		{ "+123456", true },			/* 6 digits */
		{ "+12345", false },
		{ "+123456789012345", true },		/* 15 */
		{ "+1234567890123456", false },
		{ "8613800138000", false },
		{ "+86 13800138000", false },
		{ "+86-138", false },
		{ "+", false },
		{ "", false },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		if (push_is_e164(rows[i].s) != rows[i].want)
			fail_msg("row %zu: \"%s\": want %d", i, rows[i].s,
			    rows[i].want);
	assert_false(push_is_e164(NULL));
}

static void
test_push_batch_size(void **state)
{
	json_t	*a = json_array();
	char	 err[160];
	size_t	 i;

	(void)state;
	err[0] = '\0';
	assert_int_equal(push_batch_size(a, err, sizeof(err)), -1);
	assert_string_equal(err, "empty batch");
	for (i = 0; i < PUSH_BATCH_MAX; i++)
		json_array_append_new(a, json_integer((json_int_t)i));
	assert_int_equal(push_batch_size(a, err, sizeof(err)), 0);
	json_array_append_new(a, json_null());
	assert_int_equal(push_batch_size(a, err, sizeof(err)), -1);
	assert_string_equal(err, "batch of 1001 items, more than 1000");
	json_decref(a);
}

static void
test_push_body_load(void **state)
{
	struct http_req	 req;
	json_t		*v;
	char		 err[160];

	(void)state;
	req_init(&req, "/", "");
	assert_null(push_body_load(&req, err, sizeof(err)));
	assert_string_equal(err, "empty body");
	req_init(&req, "/", "[1,");
	assert_null(push_body_load(&req, err, sizeof(err)));
	assert_non_null(strstr(err, "body is not JSON: "));
	req_init(&req, "/", "{\"a\": 1} ");
	v = push_body_load(&req, err, sizeof(err));
	assert_true(json_is_object(v));
	json_decref(v);
}

static void
test_push_fields(void **state)
{
	json_t		*o;
	const char	*s;
	char		*id, err[160];

	(void)state;
	o = json_pack("{s:s, s:s, s:n, s:i, s:b, s:f}", "name", "x", "empty", "",
	    "nul", "int", 42, "bool", 1, "real", 1.5);
	assert_int_equal(push_field_str(o, "w: ", "name", true, false, &s, err,
	    sizeof(err)), 0);
	assert_string_equal(s, "x");
	assert_int_equal(push_field_str(o, "w: ", "empty", true, true, &s, err,
	    sizeof(err)), 0);
	assert_string_equal(s, "");
	assert_int_equal(push_field_str(o, "w: ", "empty", true, false, &s, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "w: empty: expected a non-empty string");
	assert_int_equal(push_field_str(o, "w: ", "int", false, true, &s, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "w: int: expected a string");
	assert_int_equal(push_field_str(o, "w: ", "nul", false, true, &s, err,
	    sizeof(err)), 0);
	assert_null(s);
	assert_int_equal(push_field_str(o, "w: ", "nul", true, true, &s, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "w: nul is missing");
	assert_int_equal(push_field_id(o, "", "int", true, &id, err,
	    sizeof(err)), 0);
	assert_string_equal(id, "42");
	free(id);
	assert_int_equal(push_field_id(o, "", "name", true, &id, err,
	    sizeof(err)), 0);
	assert_string_equal(id, "x");
	free(id);
	assert_int_equal(push_field_id(o, "", "absent", false, &id, err,
	    sizeof(err)), 0);
	assert_null(id);
	assert_int_equal(push_field_id(o, "", "absent", true, &id, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "absent is missing");
	assert_int_equal(push_field_id(o, "", "empty", true, &id, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "empty: expected a string or an integer");
	assert_int_equal(push_field_id(o, "", "bool", true, &id, err,
	    sizeof(err)), -1);
	assert_int_equal(push_field_id(o, "", "real", true, &id, err,
	    sizeof(err)), -1);
	assert_null(id);
	json_decref(o);
}

struct conf_row {
	const char	*json;		/* the channel's object */
	int		 rc;		/* of push_max_segments */
	int		 segments;
	const char	*api_base;	/* of push_api_base, default "https://d" */
};

static void
test_push_conf_values(void **state)
{
	static const struct conf_row rows[] = {
		{ "{}", 0, PUSH_SEGMENTS_DEF, "https://d" },
		{ "{\"max_segments\": 1, \"api_base\": \"http://x:9/a//\"}", 0, 1,
		    "http://x:9/a" },
		{ "{\"max_segments\": 7, \"api_base\": \"\"}", 0, 7, "https://d" },
		{ "{\"max_segments\": 8}", -1, PUSH_SEGMENTS_DEF, "https://d" },
		{ "{\"max_segments\": 0}", -1, PUSH_SEGMENTS_DEF, "https://d" },
		{ "{\"max_segments\": \"2\"}", -1, PUSH_SEGMENTS_DEF, "https://d" },
		{ "{\"max_segments\": 2.0}", -1, PUSH_SEGMENTS_DEF, "https://d" },
	};
	struct channel_conf	 cc;
	char			*base;
	size_t			 i;
	int			 segs;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		memset(&cc, 0, sizeof(cc));
		cc.json = json_loads(rows[i].json, 0, NULL);
		assert_non_null(cc.json);
		if (push_max_segments(&cc, &segs) != rows[i].rc ||
		    segs != rows[i].segments)
			fail_msg("row %zu: max_segments %d", i, segs);
		base = push_api_base(&cc, "https://d//");
		if (strcmp(base, rows[i].api_base) != 0)
			fail_msg("row %zu: api_base \"%s\"", i, base);
		free(base);
		json_decref(cc.json);
	}
}

/* --- captured payloads: tests/data/{aliyun_sms,tencent_sms}/ ------------
 *
 * Each file is {"about", "sub" (after "/<secret>", default ""), "body"
 * (JSON, sent as its compact text) or "raw" (a string, sent as it is),
 * "expect": {"error": "reason part"} or {"msgs": [...], "receipts":
 * [...]}}.  Expected message keys are struct inbound field names;
 * "params.KEY" looks into params (null: no such key).  Every request is
 * first verified (from 127.0.0.1, with the secret).
 */

static const char *
inbound_field(const struct inbound *m, const char *key)
{
	if (strcmp(key, "provider_id") == 0)
		return m->provider_id;
	if (strcmp(key, "from") == 0)
		return m->from;
	if (strcmp(key, "to") == 0)
		return m->to;
	if (strcmp(key, "text") == 0)
		return m->text;
	fail_msg("fixture: unknown message key %s", key);
	return NULL;
}

static void
fixture_check_msg(const char *file, const struct inbound *m, json_t *want)
{
	const char	*key, *got;
	json_t		*v, *p;

	assert_null(m->group_id);
	assert_null(m->media);
	assert_non_null(m->params);
	json_object_foreach(want, key, v) {
		if (strcmp(key, "addressed") == 0) {
			if (json_is_true(v) != m->addressed)
				fail_msg("%s: addressed %d", file, m->addressed);
		} else if (strncmp(key, "params.", 7) == 0) {
			p = json_object_get(m->params, key + 7);
			if (json_is_null(v) ? p != NULL : !json_equal(v, p))
				fail_msg("%s: %s differs", file, key);
		} else {
			got = inbound_field(m, key);
			if (got == NULL || strcmp(got, json_string_value(v)) != 0)
				fail_msg("%s: %s \"%s\", want \"%s\"", file, key,
				    got ? got : "(null)", json_string_value(v));
		}
	}
}

static void
fixture_check_receipt(const char *file, const struct receipt *r, json_t *want)
{
	const char	*w;

	if (strcmp(r->provider_id, json_string_value(json_object_get(want,
	    "provider_id"))) != 0 || strcmp(r->status,
	    json_string_value(json_object_get(want, "status"))) != 0)
		fail_msg("%s: receipt %s %s", file, r->provider_id, r->status);
	w = json_string_value(json_object_get(want, "error"));
	if ((w == NULL) != (r->error == NULL) || (w && strcmp(w, r->error) != 0))
		fail_msg("%s: receipt error %s", file, r->error ? r->error : "(null)");
}

static void
fixture_run(struct channel *ch, const char *secret, const char *file)
{
	struct inbound_batch	 b;
	struct http_req		 req;
	json_t			*fx, *expect, *msgs, *receipts, *body, *v;
	json_error_t		 jerr;
	const char		*sub, *want;
	char			*text = NULL, *fullsub, err[256];
	size_t			 i;
	int			 rc;

	if ((fx = json_load_file(file, 0, &jerr)) == NULL)
		fail_msg("%s: %s", file, jerr.text);
	sub = json_string_value(json_object_get(fx, "sub"));
	fullsub = xasprintf("/%s%s", secret, sub ? sub : "");
	if ((body = json_object_get(fx, "body")) != NULL)
		text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
	else
		text = xstrdup(json_string_value(json_object_get(fx, "raw")));
	assert_non_null(text);
	req_init(&req, fullsub, text);
	if (ch->ad->ops->verify(ch, &req) != 0)
		fail_msg("%s: verify refused %s", file, fullsub);
	memset(&b, 0, sizeof(b));
	err[0] = '\0';
	rc = ch->ad->ops->parse(ch, &req, &b, err, sizeof(err));
	expect = json_object_get(fx, "expect");
	if ((want = json_string_value(json_object_get(expect, "error"))) != NULL) {
		if (rc != -1 || strstr(err, want) == NULL)
			fail_msg("%s: rc %d reason \"%s\", want \"%s\"", file, rc,
			    err, want);
		if (b.nmsgs + b.nreceipts != 0)
			fail_msg("%s: refused, yet %zu items kept", file,
			    b.nmsgs + b.nreceipts);
	} else {
		if (rc != 0)
			fail_msg("%s: %s", file, err);
		msgs = json_object_get(expect, "msgs");
		receipts = json_object_get(expect, "receipts");
		if (b.nmsgs != json_array_size(msgs) ||
		    b.nreceipts != json_array_size(receipts))
			fail_msg("%s: %zu msgs, %zu receipts", file, b.nmsgs,
			    b.nreceipts);
		json_array_foreach(msgs, i, v)
			fixture_check_msg(file, &b.msgs[i], v);
		json_array_foreach(receipts, i, v)
			fixture_check_receipt(file, &b.receipts[i], v);
	}
	inbound_batch_clear(&b);
	free(text);
	free(fullsub);
	json_decref(fx);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .json fixture of DATA_DIR/dir through ch; at least ten. */
static void
fixtures_run(struct channel *ch, const char *secret, const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*path, **names = NULL;
	size_t		 n = 0, i, len;

	path = xasprintf("%s/%s", DATA_DIR, dir);
	if ((d = opendir(path)) == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(d);
	assert_true(n >= 10);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		fixture_run(ch, secret, names[i]);
		free(names[i]);
	}
	free(names);
	free(path);
}

static void
test_fixtures_aliyun_sms(void **state)
{
	fixtures_run(&((struct fx *)*state)->ali, ALI_PATH, "aliyun_sms");
}

static void
test_fixtures_tencent_sms(void **state)
{
	fixtures_run(&((struct fx *)*state)->tc, TC_PATH, "tencent_sms");
}

/* --- parse: inline cases ------------------------------------------------- */

/* A JSON array of n SmsUp items (sequence_id i, item bad one spoilt). */
static char *
aliyun_up_batch(size_t n, size_t bad)
{
	json_t	*a = json_array();
	char	*out;
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I}",
		    "phone_number", i == bad ? "1" : "13800138000",
		    "send_time", "2025-11-21 09:30:00", "content", "路灯",
		    "sequence_id", (json_int_t)i));
	out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return out;
}

static void
test_aliyun_batch_all_or_nothing(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			*body, err[160];

	body = aliyun_up_batch(5, 3);
	assert_int_equal(parse(&f->ali, "/" ALI_PATH, body, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "item 3: phone_number \"****\""));
	assert_int_equal(b.nmsgs, 0);
	assert_null(b.msgs);
	free(body);
	body = aliyun_up_batch(5, 99);
	assert_int_equal(parse(&f->ali, "/" ALI_PATH, body, &b, err, sizeof(err)), 0);
	assert_int_equal(b.nmsgs, 5);
	assert_string_equal(b.msgs[4].provider_id, "4");
	inbound_batch_clear(&b);
	free(body);
}

static void
test_aliyun_batch_size_cap(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			*body, err[160];

	body = aliyun_up_batch(PUSH_BATCH_MAX, SIZE_MAX);
	assert_int_equal(parse(&f->ali, "/" ALI_PATH, body, &b, err, sizeof(err)), 0);
	assert_int_equal(b.nmsgs, PUSH_BATCH_MAX);
	inbound_batch_clear(&b);
	free(body);
	body = aliyun_up_batch(PUSH_BATCH_MAX + 1, SIZE_MAX);
	assert_int_equal(parse(&f->ali, "/" ALI_PATH, body, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "batch of 1001 items, more than 1000");
	assert_int_equal(b.nmsgs, 0);
	free(body);
}

static void
test_tencent_batch_size_cap(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	struct buf		 body;
	char			 err[160];
	size_t			 i;

	buf_init(&body, 0);
	buf_addstr(&body, "[");
	for (i = 0; i <= PUSH_BATCH_MAX; i++)
		buf_printf(&body, "%s{\"report_status\":\"SUCCESS\",\"sid\":\"5000:%zu\"}",
		    i > 0 ? "," : "", i);
	buf_addstr(&body, "]");
	assert_int_equal(parse(&f->tc, "/" TC_PATH, buf_str(&body), &b, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "batch of 1001 items, more than 1000");
	assert_int_equal(b.nreceipts, 0);
	buf_free(&body);
}

static void
test_tencent_status_all_or_nothing(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];

	assert_int_equal(parse(&f->tc, "/" TC_PATH,
	    "[{\"report_status\":\"SUCCESS\",\"sid\":\"a\"},"
	    " {\"report_status\":\"FAIL\",\"sid\":\"b\",\"errmsg\":\"x\"},"
	    " {\"report_status\":\"FAIL\",\"sid\":7}, \"junk\"]",
	    &b, err, sizeof(err)), -1);
	assert_string_equal(err, "item 3: expected an object");
	assert_int_equal(b.nreceipts, 0);
}

/* The provider_id parse gives to body on ch; caller frees. */
static char *
first_id(struct channel *ch, const char *sub, const char *body)
{
	struct inbound_batch	 b;
	char			 err[160], *id;

	if (parse(ch, sub, body, &b, err, sizeof(err)) != 0)
		fail_msg("%s: %s", body, err);
	assert_int_equal(b.nmsgs, 1);
	id = xstrdup(b.msgs[0].provider_id);
	inbound_batch_clear(&b);
	return id;
}

static void
test_aliyun_ids_stable(void **state)
{
	struct fx	*f = *state;
	char		*a, *b, *c, *d, *e;

	/* re-pushed: the same id; another text, time or sender: another */
	a = first_id(&f->ali, "/" ALI_PATH, "[{\"phone_number\":\"13800138000\","
	    "\"send_time\":\"2025-11-21 09:30:00\",\"content\":\"路灯\"}]");
	b = first_id(&f->ali, "/" ALI_PATH, "[{\"phone_number\":\"+86 138 0013 8000\","
	    "\"send_time\":\"2025-11-21 09:30:00\",\"content\":\"路灯\",\"dest_code\":\"9\"}]");
	c = first_id(&f->ali, "/" ALI_PATH, "[{\"phone_number\":\"13800138000\","
	    "\"send_time\":\"2025-11-21 09:30:01\",\"content\":\"路灯\"}]");
	d = first_id(&f->ali, "/" ALI_PATH, "[{\"phone_number\":\"13800138000\","
	    "\"send_time\":\"2025-11-21 09:30:00\",\"content\":\"路灯 \"}]");
	e = first_id(&f->ali, "/" ALI_PATH, "[{\"phone_number\":\"13800138001\","
	    "\"send_time\":\"2025-11-21 09:30:00\",\"content\":\"路灯\"}]");
	assert_int_equal(strlen(a), 64);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	assert_string_not_equal(a, e);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
	/* a number and its string are the same sequence_id */
	a = first_id(&f->ali, "/" ALI_PATH,
	    "[{\"phone_number\":\"13800138000\",\"content\":\"x\",\"sequence_id\":9007199254740993}]");
	b = first_id(&f->ali, "/" ALI_PATH,
	    "[{\"phone_number\":\"13800138000\",\"content\":\"x\",\"sequence_id\":\"9007199254740993\"}]");
	assert_string_equal(a, "9007199254740993");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
test_tencent_reply_ids_stable(void **state)
{
	struct fx	*f = *state;
	char		*a, *b, *c, *d;

	a = first_id(&f->tc, "/" TC_PATH, "{\"mobile\":\"13800138000\","
	    "\"nationcode\":\"86\",\"text\":\"hi\",\"time\":1457336869}");
	b = first_id(&f->tc, "/" TC_PATH "/reply", "{\"mobile\":\"13800138000\","
	    "\"text\":\"hi\",\"time\":\"1457336869\",\"sign\":\"x\"}");
	c = first_id(&f->tc, "/" TC_PATH, "{\"mobile\":\"13800138000\","
	    "\"nationcode\":\"86\",\"text\":\"hi\",\"time\":1457336870}");
	d = first_id(&f->tc, "/" TC_PATH, "{\"mobile\":\"13800138000\","
	    "\"nationcode\":\"86\",\"text\":\"hi!\",\"time\":1457336869}");
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	free(a);
	free(b);
	free(c);
	free(d);
}

struct bad_row {
	const char	*sub;		/* after the secret */
	const char	*body;
	const char	*want;		/* in the reason */
};

static void
run_bad_rows(struct channel *ch, const char *secret, const struct bad_row *rows,
    size_t n)
{
	struct inbound_batch	 b;
	char			*sub, err[256];
	size_t			 i;

	for (i = 0; i < n; i++) {
		sub = xasprintf("/%s%s", secret, rows[i].sub);
		if (parse(ch, sub, rows[i].body, &b, err, sizeof(err)) != -1)
			fail_msg("row %zu parsed", i);
		if (strstr(err, rows[i].want) == NULL)
			fail_msg("row %zu: reason \"%s\" lacks \"%s\"", i, err,
			    rows[i].want);
		assert_int_equal(b.nmsgs + b.nreceipts, 0);
		free(sub);
	}
}

static void
test_aliyun_rejects(void **state)
{
	static const struct bad_row rows[] = {
		{ "", "", "empty body" },
		{ "", "[", "body is not JSON" },
		{ "", "[{\"phone_number\": \"13800138000\", \"content\": \"\xff\"}]",
		    "body is not JSON" },
		{ "", "null", "body is not JSON" },
		{ "", "{}", "expected a JSON array" },
		{ "", "[]", "empty batch" },
		{ "", "[1]", "item 0: expected an object" },
		{ "/up", "[1]", "item 0: expected an object" },
		{ "/report", "[1]", "item 0: expected an object" },
		{ "", "[{}]", "item 0: neither" },
		{ "/up", "[{}]", "item 0: phone_number is missing" },
		{ "", "[{\"content\": \"x\"}]", "item 0: phone_number is missing" },
		{ "", "[{\"content\": \"x\", \"phone_number\": \"\"}]",
		    "item 0: phone_number: expected a non-empty string" },
		{ "", "[{\"content\": \"x\", \"phone_number\": null}]",
		    "item 0: phone_number is missing" },
		{ "", "[{\"content\": 1, \"phone_number\": \"13800138000\"}]",
		    "item 0: content: expected a string" },
		{ "", "[{\"content\": \"x\", \"phone_number\": \"13800138000\", \"send_time\": 5}]",
		    "item 0: send_time: expected a string" },
		{ "", "[{\"content\": \"x\", \"phone_number\": \"hello\"}]",
		    "item 0: phone_number \"****lo\"" },
		{ "", "[{\"content\": \"x\", \"phone_number\": \"+1 202 555 01\"}]",
		    "item 0: phone_number \"+1 202****5 01\"" },
		{ "", "[{\"content\": \"x\", \"phone_number\": \"13800138000\", \"sequence_id\": \"\"}]",
		    "item 0: sequence_id: expected a string or an integer" },
		{ "", "[{\"content\": \"x\", \"phone_number\": \"13800138000\", \"sequence_id\": [1]}]",
		    "item 0: sequence_id: expected a string or an integer" },
		{ "", "[{\"success\": true}]", "item 0: biz_id is missing" },
		{ "", "[{\"biz_id\": \"1^0\"}]", "item 0: success is missing" },
		{ "", "[{\"biz_id\": \"1^0\", \"success\": 1}]", "item 0: success: expected true or false" },
		{ "", "[{\"biz_id\": {}, \"success\": true}]",
		    "item 0: biz_id: expected a string or an integer" },
		{ "", "[{\"biz_id\": \"1^0\", \"success\": false, \"err_code\": 7}]",
		    "item 0: err_code: expected a string" },
		{ "", "[{\"biz_id\": \"1^0\", \"success\": true}, {\"biz_id\": \"2^0\"}]",
		    "item 1: success is missing" },
		{ "/other", "[{\"content\": \"x\", \"phone_number\": \"13800138000\"}]",
		    "no such webhook" },
		{ "/up/more", "[{\"content\": \"x\", \"phone_number\": \"13800138000\"}]",
		    "no such webhook" },
	};
	struct fx	*f = *state;

	run_bad_rows(&f->ali, ALI_PATH, rows, nitems(rows));
}

static void
test_tencent_rejects(void **state)
{
	static const struct bad_row rows[] = {
		{ "", "", "empty body" },
		{ "", "{", "body is not JSON" },
		{ "", "[]", "empty batch" },
		{ "", "[\"x\"]", "item 0: expected an object" },
		{ "", "[{\"sid\": \"\", \"report_status\": \"SUCCESS\"}]",
		    "item 0: sid: expected a string or an integer" },
		{ "", "[{\"sid\": \"a\"}]", "item 0: report_status is missing" },
		{ "", "[{\"sid\": \"a\", \"report_status\": \"success\"}]",
		    "item 0: report_status: expected SUCCESS or FAIL" },
		{ "", "[{\"sid\": \"a\", \"report_status\": \"FAIL\", \"errmsg\": 3}]",
		    "item 0: errmsg: expected a string" },
		{ "", "{}", "mobile is missing" },
		{ "", "{\"mobile\": 13800138000, \"text\": \"x\", \"time\": 1}",
		    "mobile: expected a non-empty string" },
		{ "", "{\"mobile\": \"13800138000\", \"time\": 1}", "text is missing" },
		{ "", "{\"mobile\": \"13800138000\", \"text\": \"x\", \"time\": 1.5}",
		    "time: expected a string or an integer" },
		{ "", "{\"mobile\": \"13800138000\", \"text\": \"x\", \"time\": 1, \"nationcode\": true}",
		    "nationcode: expected a string or an integer" },
		{ "", "{\"mobile\": \"1380013800\", \"nationcode\": \"86\", \"text\": \"x\", \"time\": 1}",
		    "mobile \"138****3800\" (nationcode \"86\")" },
		{ "/reply", "[{\"sid\": \"a\", \"report_status\": \"SUCCESS\"}]",
		    "expected a JSON object (a reply)" },
		{ "/up", "{\"mobile\": \"13800138000\", \"text\": \"x\", \"time\": 1}",
		    "no such webhook" },
	};
	struct fx	*f = *state;

	run_bad_rows(&f->tc, TC_PATH, rows, nitems(rows));
}

static void
test_parse_keeps_params(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];

	assert_int_equal(parse(&f->ali, "/" ALI_PATH,
	    "[{\"phone_number\":\"13800138000\",\"content\":\"x\",\"sequence_id\":\"1\","
	    "\"dest_code\":\"1234\",\"extra\":{\"a\":[1,2]}}]", &b, err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(b.msgs[0].params,
	    "dest_code")), "1234");
	assert_non_null(json_object_get(b.msgs[0].params, "extra"));
	assert_null(b.msgs[0].to);
	assert_null(b.msgs[0].sender_name);
	assert_true(b.msgs[0].addressed);
	inbound_batch_clear(&b);
	assert_int_equal(parse(&f->tc, "/" TC_PATH, "{\"mobile\":\"13800138000\","
	    "\"nationcode\":\"86\",\"text\":\"x\",\"time\":1,\"extend\":null}",
	    &b, err, sizeof(err)), 0);
	assert_true(json_is_null(json_object_get(b.msgs[0].params, "extend")));
	assert_null(b.msgs[0].to);
	inbound_batch_clear(&b);
}

/* --- signing: Alibaba Cloud ---------------------------------------------- */

struct pct_row {
	const char	*in;
	const char	*out;
};

static void
test_aliyun_pct(void **state)
{
	static const struct pct_row rows[] = {
		{ "", "" },
		{ "a b", "a%20b" },
		{ "*", "%2A" },
		{ "~-_.", "~-_." },
		{ "/=&+", "%2F%3D%26%2B" },
		{ "派", "%E6%B4%BE" },
		{ "{\"a\":1}", "%7B%22a%22%3A1%7D" },
		{ "AZaz09", "AZaz09" },
		{ "\x7f", "%7F" },
	};
	struct buf	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		buf_init(&b, 0);
		buf_addstr(&b, "");
		aliyun_pct(&b, rows[i].in);
		if (strcmp(buf_str(&b), rows[i].out) != 0)
			fail_msg("row %zu: \"%s\", want \"%s\"", i, buf_str(&b),
			    rows[i].out);
		buf_free(&b);
	}
}

/*
 * Alibaba Cloud's worked example for SMS (help.aliyun.com/document_detail/
 * 101343.html, "签名机制": AccessKeyId testId, secret testSecret, GET):
 * its sorted query string, string to sign and signature.
 */
static struct aliyun_param sms_doc_params[] = {
	{ "TemplateParam", "{\"customer\":\"test\"}" },
	{ "SignatureMethod", "HMAC-SHA1" },
	{ "SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466" },
	{ "AccessKeyId", "testId" },
	{ "SignatureVersion", "1.0" },
	{ "Timestamp", "2017-07-12T02:42:19Z" },
	{ "Format", "XML" },
	{ "Action", "SendSms" },
	{ "Version", "2017-05-25" },
	{ "RegionId", "cn-hangzhou" },
	{ "PhoneNumbers", "15300000001" },
	{ "SignName", "阿里云短信测试专用" },
	{ "TemplateCode", "SMS_71390007" },
	{ "OutId", "123" },
};

#define SMS_DOC_QUERY \
    "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123" \
    "&PhoneNumbers=15300000001&RegionId=cn-hangzhou" \
    "&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8" \
    "&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466" \
    "&SignatureVersion=1.0&TemplateCode=SMS_71390007" \
    "&TemplateParam=%7B%22customer%22%3A%22test%22%7D" \
    "&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25"
#define SMS_DOC_STS \
    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123" \
    "%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou" \
    "%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD" \
    "%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8" \
    "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466" \
    "%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007" \
    "%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D" \
    "%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25"

static void
test_aliyun_sign_published_sms_example(void **state)
{
	char	*canonical, *sts, sig[ALIYUN_SIG_LEN + 1];

	(void)state;
	canonical = aliyun_canonical_query(sms_doc_params, nitems(sms_doc_params));
	assert_string_equal(canonical, SMS_DOC_QUERY);
	sts = aliyun_string_to_sign("GET", canonical);
	assert_string_equal(sts, SMS_DOC_STS);
	aliyun_signature("testSecret", "GET", canonical, sig);
	assert_string_equal(sig, "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
	/* another secret, another method: another signature */
	aliyun_signature("testsecret", "GET", canonical, sig);
	assert_string_not_equal(sig, "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
	aliyun_signature("testSecret", "POST", canonical, sig);
	assert_string_not_equal(sig, "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
	free(sts);
	free(canonical);
}

/*
 * The RPC signing example of Alibaba Cloud's ECS API reference
 * (help.aliyun.com/document_detail/25492.html, "签名机制"):
 * DescribeRegions with AccessKeyId testid, secret testsecret.
 */
static void
test_aliyun_sign_published_rpc_example(void **state)
{
	struct aliyun_param p[] = {
		{ "Timestamp", "2016-02-23T12:46:24Z" },
		{ "Format", "XML" },
		{ "AccessKeyId", "testid" },
		{ "Action", "DescribeRegions" },
		{ "SignatureMethod", "HMAC-SHA1" },
		{ "SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" },
		{ "Version", "2014-05-26" },
		{ "SignatureVersion", "1.0" },
	};
	char	*canonical, *sts, sig[ALIYUN_SIG_LEN + 1];

	(void)state;
	canonical = aliyun_canonical_query(p, nitems(p));
	sts = aliyun_string_to_sign("GET", canonical);
	assert_string_equal(sts, "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"
	    "%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D"
	    "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
	    "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
	aliyun_signature("testsecret", "GET", canonical, sig);
	assert_string_equal(sig, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
	free(sts);
	free(canonical);
}

/*
 * Our SendSms body at a fixed clock (1763779298 = 2025-11-22T02:41:38Z)
 * and nonce.  The expected body was computed apart from this code: the
 * canonical query with Python's urllib.parse.quote(safe="-_.~") over the
 * sorted parameters, the signature with
 *	printf %s "POST&%2F&<quoted query>" |
 *	    openssl dgst -sha1 -hmac 'testSecret&' -binary | base64
 * giving aHx0b6asYL4jA5SUEFKhZp6KJy8=.
 */
#define ALI_BODY_VECTOR \
    "AccessKeyId=testId&Action=SendSms&Format=JSON&OutId=42&PhoneNumbers=13800138000" \
    "&SignName=%E6%B0%91%E6%84%8F%E9%80%9A&SignatureMethod=HMAC-SHA1" \
    "&SignatureNonce=c1f2a3b4-0000-4000-8000-000000000001&SignatureVersion=1.0" \
    "&TemplateCode=SMS_000001&TemplateParam=%7B%22content%22%3A%22" \
    "%E6%82%A8%E7%9A%84%E8%AF%89%E6%B1%82%E5%B7%B2%E5%8F%97%E7%90%86%EF%BC%8C" \
    "%E7%BC%96%E5%8F%B7%20A-1%20%26%20ok%22%7D&Timestamp=2025-11-22T02%3A41%3A38Z" \
    "&Version=2017-05-25&Signature=aHx0b6asYL4jA5SUEFKhZp6KJy8%3D"

static void
test_aliyun_sendsms_body_vector(void **state)
{
	struct fx	*f = *state;
	char		*body;

	body = aliyun_sendsms_body(f->ali.ctx, "13800138000",
	    "您的诉求已受理，编号 A-1 & ok", 42, 1763779298,
	    "c1f2a3b4-0000-4000-8000-000000000001");
	assert_string_equal(body, ALI_BODY_VECTOR);
	free(body);
	/* no outbox id: no OutId */
	body = aliyun_sendsms_body(f->ali.ctx, "13800138000", "x", 0, 1763779298, "n");
	assert_null(strstr(body, "OutId"));
	free(body);
}

static void
test_aliyun_nonce(void **state)
{
	char	 a[ALIYUN_NONCE_LEN + 1], b[ALIYUN_NONCE_LEN + 1];
	size_t	 i;

	(void)state;
	aliyun_nonce(a);
	aliyun_nonce(b);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(a[i], '-');
		else
			assert_true(isxdigit((unsigned char)a[i]));
	}
	assert_int_equal(a[14], '4');	/* version 4 */
	assert_non_null(strchr("89ab", a[19]));
}

/* --- signing: Tencent Cloud ---------------------------------------------- */

/*
 * Tencent Cloud's worked example of 签名方法 v3 (TC3-HMAC-SHA256), the
 * same in every product's API documents, e.g.
 * https://cloud.tencent.com/document/api/213/30654: a POST of
 * DescribeInstances to cvm.tencentcloudapi.com at 1551113065 with
 * SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE.
 */
#define TC_DOC_PAYLOAD \
    "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], " \
    "\"Name\": \"instance-name\"}]}"
#define TC_DOC_CREQ \
    "POST\n/\n\ncontent-type:application/json; charset=utf-8\n" \
    "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n" \
    "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
#define TC_DOC_STS \
    "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n" \
    "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
#define TC_DOC_SIG \
    "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"

static void
test_tencent_sign_published_example(void **state)
{
	struct tencent_header h[] = {
		{ "host", "cvm.tencentcloudapi.com" },
		{ "content-type", "application/json; charset=utf-8" },
	};
	char	*creq, *sts, *signed_headers = NULL, *auth, sig[65], hash[65];

	(void)state;
	tencent_sha256_hex(TC_DOC_PAYLOAD, hash);
	assert_string_equal(hash,
	    "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
	creq = tencent_canonical_request("POST", h, nitems(h), TC_DOC_PAYLOAD,
	    &signed_headers);
	assert_string_equal(creq, TC_DOC_CREQ);
	assert_string_equal(signed_headers, "content-type;host");
	sts = tencent_string_to_sign(1551113065, "cvm", creq);
	assert_string_equal(sts, TC_DOC_STS);
	tencent_signature(TC_KEY, "2019-02-25", "cvm", sts, sig);
	assert_string_equal(sig, TC_DOC_SIG);
	auth = tencent_authorization(TC_ID, TC_KEY, "cvm", 1551113065, "POST",
	    h, nitems(h), TC_DOC_PAYLOAD);
	assert_string_equal(auth, "TC3-HMAC-SHA256 Credential=" TC_ID
	    "/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "
	    "Signature=" TC_DOC_SIG);
	free(auth);
	free(sts);
	free(creq);
	free(signed_headers);
}

static void
test_tencent_date_is_utc(void **state)
{
	char	 date[11];

	(void)state;
	/* 2019-02-26 00:44:25 in Beijing is still the 25th in UTC */
	tencent_date(1551113065, date);
	assert_string_equal(date, "2019-02-25");
	tencent_date(1551139199, date);
	assert_string_equal(date, "2019-02-25");
	tencent_date(1551139200, date);
	assert_string_equal(date, "2019-02-26");
}

static void
test_tencent_canonical_headers(void **state)
{
	struct tencent_header a[] = {
		{ "x-tc-action", "SendSms" },
		{ "host", " sms.tencentcloudapi.com\t" },
		{ "content-type", "Application/JSON; charset=utf-8" },
	};
	char	*creq, *sh = NULL, hash[65], *want;

	(void)state;
	creq = tencent_canonical_request("POST", a, nitems(a), "", &sh);
	tencent_sha256_hex("", hash);
	want = xasprintf("POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
	    "host:sms.tencentcloudapi.com\nx-tc-action:sendsms\n\n"
	    "content-type;host;x-tc-action\n%s", hash);
	assert_string_equal(creq, want);
	assert_string_equal(sh, "content-type;host;x-tc-action");
	assert_string_equal(hash,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	free(want);
	free(creq);
	free(sh);
}

/*
 * Our SendSms call at a fixed clock (1763779298 = 2025-11-22T02:41:38Z).
 * The expected signature was computed apart from this code with the
 * openssl command line: the payload and canonical request hashed with
 * `openssl dgst -sha256`, then the key chain
 *	K1 = HMAC(key:"TC3" SecretKey, "2025-11-22"), K2 = HMAC(hexkey:K1, "sms"),
 *	K3 = HMAC(hexkey:K2, "tc3_request"), HMAC(hexkey:K3, string to sign)
 * each with `openssl dgst -sha256 -mac HMAC -macopt ...`.
 */
#define TC_BODY_VECTOR \
    "{\"PhoneNumberSet\":[\"+8613800138000\"],\"SmsSdkAppId\":\"1400006666\"," \
    "\"SignName\":\"民意通\",\"TemplateId\":\"449739\"," \
    "\"TemplateParamSet\":[\"您的诉求已受理\"]}"
#define TC_SIG_VECTOR \
    "f3db175cde9b57e8b2d4554829c6b4e87ea670b3358658fcf52beddd69782821"

static void
test_tencent_sendsms_call_vector(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	char			 hash[65];

	memset(&call, 0, sizeof(call));
	tencent_sendsms_call(f->tc.ctx, "+8613800138000", "您的诉求已受理",
	    1763779298, &call);
	assert_string_equal(call.url, "http://127.0.0.1:9/tencent/");
	assert_string_equal(call.body, TC_BODY_VECTOR);
	tencent_sha256_hex(call.body, hash);
	assert_string_equal(hash,
	    "e228ec270ec5233ccf301d27400969e312f4e4b6e3b5945109d4cff8e9c76e47");
	assert_int_equal(call.nheaders, 7);
	assert_string_equal(call.headers[0], "Content-Type: application/json; charset=utf-8");
	assert_string_equal(call_header(&call, "Host"), "127.0.0.1:9");
	assert_string_equal(call_header(&call, "X-TC-Action"), "SendSms");
	assert_string_equal(call_header(&call, "X-TC-Version"), "2021-01-11");
	assert_string_equal(call_header(&call, "X-TC-Timestamp"), "1763779298");
	assert_string_equal(call_header(&call, "X-TC-Region"), "ap-guangzhou");
	assert_string_equal(call_header(&call, "Authorization"),
	    "TC3-HMAC-SHA256 Credential=" TC_ID "/2025-11-22/sms/tc3_request, "
	    "SignedHeaders=content-type;host;x-tc-action, Signature=" TC_SIG_VECTOR);
	assert_null(call.userpwd);
	http_call_clear(&call);
}

/* --- build --------------------------------------------------------------- */

static void
test_aliyun_build(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 7, "+8613800138000", "您的诉求已受理 & ok", NULL };
	struct aliyun_param	*p = NULL;
	json_t			*form, *v;
	const char		*key;
	char			 err[160], sig[ALIYUN_SIG_LEN + 1], *canonical;
	int64_t			 t, before = time_now();
	size_t			 n = 0;

	memset(&call, 0, sizeof(call));
	assert_int_equal(f->ali.ad->ops->build(&f->ali, &m, &call, err, sizeof(err)), 0);
	assert_string_equal(call.url, "http://127.0.0.1:9/aliyun/");
	assert_string_equal(call.headers[0], "Content-Type: application/x-www-form-urlencoded");
	assert_null(call.userpwd);
	form = form_decode(call.body);
	assert_string_equal(json_string_value(json_object_get(form, "Action")), "SendSms");
	assert_string_equal(json_string_value(json_object_get(form, "Version")), "2017-05-25");
	assert_string_equal(json_string_value(json_object_get(form, "Format")), "JSON");
	assert_string_equal(json_string_value(json_object_get(form, "AccessKeyId")), "testId");
	assert_string_equal(json_string_value(json_object_get(form, "PhoneNumbers")), "13800138000");
	assert_string_equal(json_string_value(json_object_get(form, "SignName")), "民意通");
	assert_string_equal(json_string_value(json_object_get(form, "TemplateCode")), "SMS_000001");
	assert_string_equal(json_string_value(json_object_get(form, "TemplateParam")),
	    "{\"content\":\"您的诉求已受理 & ok\"}");
	assert_string_equal(json_string_value(json_object_get(form, "OutId")), "7");
	assert_string_equal(json_string_value(json_object_get(form, "SignatureMethod")), "HMAC-SHA1");
	assert_string_equal(json_string_value(json_object_get(form, "SignatureVersion")), "1.0");
	assert_int_equal(strlen(json_string_value(json_object_get(form, "SignatureNonce"))), 36);
	assert_int_equal(time_parse_iso(json_string_value(json_object_get(form,
	    "Timestamp")), &t), 0);
	assert_true(t >= before && t <= time_now());
	/* the signature covers every other parameter */
	json_object_foreach(form, key, v) {
		if (strcmp(key, "Signature") == 0)
			continue;
		p = xrealloc(p, (n + 1) * sizeof(*p));
		p[n].name = key;
		p[n++].value = json_string_value(v);
	}
	assert_int_equal(n, 13);
	canonical = aliyun_canonical_query(p, n);
	aliyun_signature(ALI_KEY, "POST", canonical, sig);
	assert_string_equal(json_string_value(json_object_get(form, "Signature")), sig);
	free(canonical);
	free(p);
	json_decref(form);
	http_call_clear(&call);
}

struct phone_row {
	const char	*to;
	const char	*want;		/* PhoneNumbers, or NULL: refused */
};

static void
test_aliyun_build_phone(void **state)
{
	static const struct phone_row rows[] = {
		{ "+8613800138000", "13800138000" },
		{ "+85261234567", "85261234567" },
		{ "+12025550123", "12025550123" },
		{ "13800138000", NULL },
		{ "+86 138", NULL },
		{ "+86abc", NULL },
		{ "+12345", NULL },
		{ "+1234567890123456", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 1, NULL, "hi", NULL };
	json_t			*form;
	char			 err[160];
	size_t			 i;

	for (i = 0; i < nitems(rows); i++) {
		memset(&call, 0, sizeof(call));
		m.to = rows[i].to;
		if (rows[i].want == NULL) {
			if (f->ali.ad->ops->build(&f->ali, &m, &call, err,
			    sizeof(err)) != -1)
				fail_msg("row %zu built", i);
			assert_non_null(strstr(err, "is not an E.164 number"));
			if (f->tc.ad->ops->build(&f->tc, &m, &call, err,
			    sizeof(err)) != -1)
				fail_msg("row %zu built (tencent)", i);
		} else {
			assert_int_equal(f->ali.ad->ops->build(&f->ali, &m, &call,
			    err, sizeof(err)), 0);
			form = form_decode(call.body);
			assert_string_equal(json_string_value(json_object_get(form,
			    "PhoneNumbers")), rows[i].want);
			json_decref(form);
		}
		http_call_clear(&call);
	}
}

static void
test_tencent_build(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 7, "+85261234567", "已受理 \"ok\"", NULL };
	struct tencent_header	 h[3];
	json_t			*body;
	char			 err[160], *auth;
	long long		 ts;

	memset(&call, 0, sizeof(call));
	assert_int_equal(f->tc.ad->ops->build(&f->tc, &m, &call, err, sizeof(err)), 0);
	body = json_loads(call.body, 0, NULL);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_array_get(json_object_get(body,
	    "PhoneNumberSet"), 0)), "+85261234567");
	assert_string_equal(json_string_value(json_object_get(body, "SmsSdkAppId")), "1400006666");
	assert_string_equal(json_string_value(json_object_get(body, "SignName")), "民意通");
	assert_string_equal(json_string_value(json_object_get(body, "TemplateId")), "449739");
	assert_string_equal(json_string_value(json_array_get(json_object_get(body,
	    "TemplateParamSet"), 0)), "已受理 \"ok\"");
	json_decref(body);
	/* the Authorization is the one for what is sent */
	ts = strtoll(call_header(&call, "X-TC-Timestamp"), NULL, 10);
	assert_true(ts >= time_now() - 5 && ts <= time_now());
	h[0] = (struct tencent_header){ "content-type", call_header(&call, "Content-Type") };
	h[1] = (struct tencent_header){ "host", call_header(&call, "Host") };
	h[2] = (struct tencent_header){ "x-tc-action", call_header(&call, "X-TC-Action") };
	auth = tencent_authorization(TC_ID, TC_KEY, "sms", ts, "POST", h,
	    nitems(h), call.body);
	assert_string_equal(call_header(&call, "Authorization"), auth);
	free(auth);
	http_call_clear(&call);
}

static void
test_tencent_build_defaults_and_region(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 7, "+8613800138000", "hi", NULL };
	char			 err[160];

	memset(&call, 0, sizeof(call));
	assert_int_equal(f->tc_allow.ad->ops->build(&f->tc_allow, &m, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url, "https://sms.tencentcloudapi.com/");
	assert_string_equal(call_header(&call, "Host"), "sms.tencentcloudapi.com");
	assert_string_equal(call_header(&call, "X-TC-Region"), "ap-beijing");
	http_call_clear(&call);
	m.body = NULL;
	assert_int_equal(f->tc.ad->ops->build(&f->tc, &m, &call, err, sizeof(err)), -1);
	assert_int_equal(f->ali.ad->ops->build(&f->ali, &m, &call, err, sizeof(err)), -1);
	m.body = "bad \xff";
	assert_int_equal(f->tc.ad->ops->build(&f->tc, &m, &call, err, sizeof(err)), -1);
	assert_int_equal(f->ali.ad->ops->build(&f->ali, &m, &call, err, sizeof(err)), -1);
	http_call_clear(&call);
}

static void
test_url_host(void **state)
{
	char	*h;

	(void)state;
	h = push_url_host("https://sms.tencentcloudapi.com");
	assert_string_equal(h, "sms.tencentcloudapi.com");
	free(h);
	h = push_url_host("http://127.0.0.1:8080/base/?x#y");
	assert_string_equal(h, "127.0.0.1:8080");
	free(h);
	h = push_url_host("http://[::1]:9/");
	assert_string_equal(h, "[::1]:9");
	free(h);
	assert_null(push_url_host("https://"));
	assert_null(push_url_host("https:///x"));
	assert_null(push_url_host("ftp://x"));
}

/* --- length with the sign ------------------------------------------------ */

struct fit_row {
	const char	*unit;		/* repeated n times */
	size_t		 n;
	int		 segments;
	size_t		 want_units;	/* UTF-16 units left */
};

static void
test_fit_with_sign(void **state)
{
	/* the sign "民意通" takes 5 with its brackets */
	static const struct fit_row rows[] = {
		{ "路", 65, 1, 65 },		/* 5 + 65 = 70: one SMS */
		{ "路", 66, 1, 65 },
		{ "a", 200, 1, 65 },		/* no GSM-7 160: all count alike */
		{ "路", 129, 2, 129 },		/* 5 + 129 = 134 = 2 × 67 */
		{ "路", 130, 2, 129 },
		{ "路", 1000, 3, 196 },
		{ "路", 1000, 7, 464 },		/* 469 - 5 */
		{ "😀", 40, 1, 64 },		/* 2 units each: never half of one */
		{ "", 0, 2, 0 },
	};
	char	*text, *a;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		text = repeat(rows[i].unit, rows[i].n);
		a = push_fit("民意通", text, rows[i].segments);
		if (utf8_units16(a) != rows[i].want_units)
			fail_msg("row %zu: %zu units, want %zu", i,
			    utf8_units16(a), rows[i].want_units);
		assert_true(utf8_valid(a, strlen(a)));
		assert_memory_equal(a, text, strlen(a));	/* a prefix */
		free(text);
		free(a);
	}
}

static void
test_fit_mixed_boundary(void **state)
{
	char	*lamps, *text, *a;

	(void)state;
	/* 63 路 then an emoji (2 units) then 路: room 65 keeps the emoji whole */
	lamps = repeat("路", 63);
	text = xasprintf("%s😀路", lamps);
	a = push_fit("民意通", text, 1);
	assert_int_equal(utf8_units16(a), 65);
	assert_non_null(strstr(a, "😀"));
	free(a);
	free(text);
	free(lamps);
	/* 64 路 then the emoji: it would need 66, so it goes */
	lamps = repeat("路", 64);
	text = xasprintf("%s😀", lamps);
	a = push_fit("民意通", text, 1);
	assert_int_equal(utf8_units16(a), 64);
	assert_null(strstr(a, "😀"));
	free(a);
	free(text);
	free(lamps);
}

static void
test_aliyun_build_cuts_with_sign(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 3, "+8613800138000", NULL, NULL };
	json_t			*form, *tp;
	char			*text, err[160];

	text = repeat("灯", 100);
	m.body = text;
	memset(&call, 0, sizeof(call));
	/* ali-allow: max_segments 1, so 70 - 5 */
	assert_int_equal(f->ali_allow.ad->ops->build(&f->ali_allow, &m, &call, err,
	    sizeof(err)), 0);
	form = form_decode(call.body);
	tp = json_loads(json_string_value(json_object_get(form, "TemplateParam")), 0, NULL);
	assert_int_equal(utf8_units16(json_string_value(json_object_get(tp, "content"))), 65);
	json_decref(tp);
	json_decref(form);
	http_call_clear(&call);
	/* ali: the default, 2 parts */
	assert_int_equal(f->ali.ad->ops->build(&f->ali, &m, &call, err, sizeof(err)), 0);
	form = form_decode(call.body);
	tp = json_loads(json_string_value(json_object_get(form, "TemplateParam")), 0, NULL);
	assert_int_equal(utf8_units16(json_string_value(json_object_get(tp, "content"))), 100);
	json_decref(tp);
	json_decref(form);
	http_call_clear(&call);
	free(text);
}

static void
test_tencent_build_cuts_with_sign(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 3, "+8613800138000", NULL, NULL };
	json_t			*body;
	char			*text, err[160];

	text = repeat("灯", 300);
	m.body = text;
	memset(&call, 0, sizeof(call));
	/* tc-allow: 3 parts, 201 - 5 */
	assert_int_equal(f->tc_allow.ad->ops->build(&f->tc_allow, &m, &call, err,
	    sizeof(err)), 0);
	body = json_loads(call.body, 0, NULL);
	assert_int_equal(utf8_units16(json_string_value(json_array_get(
	    json_object_get(body, "TemplateParamSet"), 0))), 196);
	json_decref(body);
	http_call_clear(&call);
	/* tc: the default, 2 parts, 134 - 5 */
	assert_int_equal(f->tc.ad->ops->build(&f->tc, &m, &call, err, sizeof(err)), 0);
	body = json_loads(call.body, 0, NULL);
	assert_int_equal(utf8_units16(json_string_value(json_array_get(
	    json_object_get(body, "TemplateParamSet"), 0))), 129);
	json_decref(body);
	http_call_clear(&call);
	free(text);
}

/* --- result -------------------------------------------------------------- */

struct result_row {
	long		 status;
	const char	*body;
	enum send_outcome outcome;
	const char	*provider_id;
	const char	*error;		/* exact; "" for none */
	bool		 opted_out;
};

static void
run_result_rows(struct channel *ch, const struct result_row *rows, size_t n)
{
	struct send_result	 r;
	size_t			 i;

	for (i = 0; i < n; i++) {
		memset(&r, 0xa5, sizeof(r));	/* result must set every field */
		ch->ad->ops->result(ch, rows[i].status, rows[i].body,
		    rows[i].body ? strlen(rows[i].body) : 0, &r);
		if (r.outcome != rows[i].outcome)
			fail_msg("row %zu: outcome %d, want %d", i, r.outcome,
			    rows[i].outcome);
		if (strcmp(r.provider_id, rows[i].provider_id) != 0)
			fail_msg("row %zu: provider_id \"%s\"", i, r.provider_id);
		if (strcmp(r.error, rows[i].error) != 0)
			fail_msg("row %zu: error \"%s\", want \"%s\"", i, r.error,
			    rows[i].error);
		if (r.opted_out != rows[i].opted_out)
			fail_msg("row %zu: opted_out %d", i, r.opted_out);
	}
}

static void
test_aliyun_result(void **state)
{
	static const struct result_row rows[] = {
		{ 200, "{\"Message\":\"OK\",\"RequestId\":\"F655A8D5-B967-440B-8683-DAD6FF8DE990\","
		    "\"Code\":\"OK\",\"BizId\":\"900619746936498440^0\"}",
		    SEND_OK, "900619746936498440^0", "", false },
		{ 200, "{\"Code\":\"OK\",\"Message\":\"OK\"}", SEND_OK, "", "", false },
		{ 200, "{\"Code\":\"isv.BUSINESS_LIMIT_CONTROL\",\"Message\":\"触发分钟级流控Permits:1\"}",
		    SEND_RETRY, "", "isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1", false },
		{ 400, "{\"Code\":\"Throttling.User\",\"Message\":\"Request was denied due to user flow control.\"}",
		    SEND_RETRY, "", "Throttling.User: Request was denied due to user flow control.", false },
		{ 200, "{\"Code\":\"isv.MOBILE_NUMBER_ILLEGAL\",\"Message\":\"非法手机号\"}",
		    SEND_FAIL, "", "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号", false },
		{ 200, "{\"Code\":\"isv.SMS_SIGNATURE_ILLEGAL\",\"Message\":\"短信签名不合法\"}",
		    SEND_FAIL, "", "isv.SMS_SIGNATURE_ILLEGAL: 短信签名不合法", false },
		{ 404, "{\"Code\":\"InvalidAccessKeyId.NotFound\",\"Message\":\"Specified access key is not found.\"}",
		    SEND_FAIL, "", "InvalidAccessKeyId.NotFound: Specified access key is not found.", false },
		{ 400, "{\"Code\":\"SignatureDoesNotMatch\"}", SEND_FAIL, "",
		    "SignatureDoesNotMatch: ", false },
		{ 500, "{\"Code\":\"InternalError\",\"Message\":\"The request processing has failed due to some unknown error.\"}",
		    SEND_RETRY, "", "InternalError: The request processing has failed due to some unknown error.", false },
		{ 503, "<html>Service Unavailable</html>", SEND_RETRY, "", "HTTP 503", false },
		{ 429, NULL, SEND_RETRY, "", "HTTP 429", false },
		{ -1, NULL, SEND_RETRY, "", "", false },
		{ 200, "not json", SEND_FAIL, "", "HTTP 200 without a Code", false },
		{ 403, "", SEND_FAIL, "", "HTTP 403 without a Code", false },
		{ 404, "{\"Code\":\"OK\"}", SEND_FAIL, "", "OK: ", false },
	};
	struct fx	*f = *state;

	run_result_rows(&f->ali, rows, nitems(rows));
}

static void
test_tencent_result(void **state)
{
	static const struct result_row rows[] = {
		{ 200, "{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"5000:1045710669157053657849499619\","
		    "\"PhoneNumber\":\"+8613800138000\",\"Fee\":1,\"SessionContext\":\"\",\"Code\":\"Ok\","
		    "\"Message\":\"send success\",\"IsoCode\":\"CN\"}],"
		    "\"RequestId\":\"a0aabda6-cf91-4f3e-a81f-9198114a2279\"}}",
		    SEND_OK, "5000:1045710669157053657849499619", "", false },
		{ 200, "{\"Response\":{\"SendStatusSet\":[{\"Code\":\"LimitExceeded.PhoneNumberDailyLimit\","
		    "\"Message\":\"the number of sms messages sent from a single mobile number every day exceeds the upper limit\"}]}}",
		    SEND_RETRY, "", "LimitExceeded.PhoneNumberDailyLimit: the number of sms messages sent "
		    "from a single mobile number every day exceeds the upper limit", false },
		{ 200, "{\"Response\":{\"SendStatusSet\":[{\"Code\":\"FailedOperation.PhoneNumberInBlacklist\","
		    "\"Message\":\"phone number in blacklist\"}]}}",
		    SEND_FAIL, "", "FailedOperation.PhoneNumberInBlacklist: phone number in blacklist", true },
		{ 200, "{\"Response\":{\"SendStatusSet\":[{\"Code\":\"InvalidParameterValue.IncorrectPhoneNumber\","
		    "\"Message\":\"incorrect phone number\"}]}}",
		    SEND_FAIL, "", "InvalidParameterValue.IncorrectPhoneNumber: incorrect phone number", false },
		{ 200, "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\","
		    "\"Message\":\"The provided credentials could not be validated.\"},\"RequestId\":\"x\"}}",
		    SEND_FAIL, "", "AuthFailure.SignatureFailure: The provided credentials could not be validated.", false },
		{ 200, "{\"Response\":{\"Error\":{\"Code\":\"RequestLimitExceeded\",\"Message\":\"slow down\"}}}",
		    SEND_RETRY, "", "RequestLimitExceeded: slow down", false },
		{ 200, "{\"Response\":{\"Error\":{\"Code\":\"InternalError.Timeout\",\"Message\":\"timeout\"}}}",
		    SEND_RETRY, "", "InternalError.Timeout: timeout", false },
		{ 200, "{\"Response\":{\"Error\":{\"Code\":\"LimitExceeded.AppDailyLimit\"}}}",
		    SEND_RETRY, "", "LimitExceeded.AppDailyLimit: ", false },
		{ 200, "{\"Response\":{\"SendStatusSet\":[]}}", SEND_FAIL, "",
		    "HTTP 200 without a Code", false },
		{ 200, "{}", SEND_FAIL, "", "HTTP 200 without a Code", false },
		{ 502, NULL, SEND_RETRY, "", "HTTP 502", false },
		{ 429, "{}", SEND_RETRY, "", "HTTP 429", false },
		{ -1, NULL, SEND_RETRY, "", "", false },
	};
	struct fx	*f = *state;

	run_result_rows(&f->tc, rows, nitems(rows));
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_registry),
		T(test_check_fixture_config_is_clean),
		cmocka_unit_test(test_aliyun_check_required),
		cmocka_unit_test(test_aliyun_check_values),
		cmocka_unit_test(test_tencent_check_required),
		cmocka_unit_test(test_tencent_check_values),
		T(test_aliyun_init_secrets),
		T(test_tencent_init_secrets),
		T(test_aliyun_secret_path),
		T(test_tencent_secret_path),
		cmocka_unit_test(test_secret_compare_is_exact),
		T(test_allow_ipv4),
		T(test_allow_ipv6),
		T(test_allow_needs_secret_too),
		cmocka_unit_test(test_net_parse),
		cmocka_unit_test(test_push_sub_kind),
		cmocka_unit_test(test_push_secret_valid),
		cmocka_unit_test(test_push_guard_allows),
		cmocka_unit_test(test_push_guard_verify),
		cmocka_unit_test(test_push_hash_id),
		cmocka_unit_test(test_push_is_e164),
		cmocka_unit_test(test_push_batch_size),
		cmocka_unit_test(test_push_body_load),
		cmocka_unit_test(test_push_fields),
		cmocka_unit_test(test_push_conf_values),
		T(test_fixtures_aliyun_sms),
		T(test_fixtures_tencent_sms),
		T(test_aliyun_batch_all_or_nothing),
		T(test_aliyun_batch_size_cap),
		T(test_tencent_batch_size_cap),
		T(test_tencent_status_all_or_nothing),
		T(test_aliyun_ids_stable),
		T(test_tencent_reply_ids_stable),
		T(test_aliyun_rejects),
		T(test_tencent_rejects),
		T(test_parse_keeps_params),
		cmocka_unit_test(test_aliyun_pct),
		cmocka_unit_test(test_aliyun_sign_published_sms_example),
		cmocka_unit_test(test_aliyun_sign_published_rpc_example),
		T(test_aliyun_sendsms_body_vector),
		cmocka_unit_test(test_aliyun_nonce),
		cmocka_unit_test(test_tencent_sign_published_example),
		cmocka_unit_test(test_tencent_date_is_utc),
		cmocka_unit_test(test_tencent_canonical_headers),
		T(test_tencent_sendsms_call_vector),
		T(test_aliyun_build),
		T(test_aliyun_build_phone),
		T(test_tencent_build),
		T(test_tencent_build_defaults_and_region),
		cmocka_unit_test(test_url_host),
		cmocka_unit_test(test_fit_with_sign),
		cmocka_unit_test(test_fit_mixed_boundary),
		T(test_aliyun_build_cuts_with_sign),
		T(test_tencent_build_cuts_with_sign),
		T(test_aliyun_result),
		T(test_tencent_result),
	};

	log_init(-1);
	setenv("TEST_ALI_PATH", ALI_PATH, 1);
	setenv("TEST_ALI_KEY", ALI_KEY, 1);
	setenv("TEST_TC_PATH", TC_PATH, 1);
	setenv("TEST_TC_KEY", TC_KEY, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
