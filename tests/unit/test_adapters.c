/*
 * test_adapters.c: adapters/ — twilio, wechat_group and hotline: their
 * config checks, signatures (Twilio's published vectors), webhook parsing
 * (inline tables and the captured payloads in tests/data/<adapter>/),
 * delivery receipts, and the outbound calls they build and read.  No
 * network: requests are built by hand, answers are strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "../../adapters/adapter.h"

#define TWILIO_TOKEN	"12345"		/* the token of Twilio's vectors */
#define GROUP_SECRET	"group-s3cret"
#define DATA_DIR	"tests/data"

/*
 * The test configuration.  public_url is the Twilio vectors' host; the
 * channels are every adapter here, twice where a variant matters.
 */
static const char *const cfg_fmt =
    "{\"server\": {\"listen\": \"127.0.0.1:8080\", \"public_url\": \"%s\"},"
    " \"region\": \"CN\", \"dialog\": {\"sms_channel\": \"sms2\"},"
    " \"channels\": ["
    "  {\"id\": \"sms\", \"adapter\": \"twilio\","
    "   \"account_sid\": \"AC0123456789abcdef0123456789abcdef\","
    "   \"auth_token_env\": \"TEST_TWILIO_TOKEN\", \"from\": \"+8610690000\","
    "   \"api_base\": \"https://api.twilio.test/\"},"
    "  {\"id\": \"sms2\", \"adapter\": \"twilio\","
    "   \"account_sid\": \"AC0123456789abcdef0123456789abcdef\","
    "   \"auth_token_env\": \"TEST_TWILIO_TOKEN2\", \"from\": \"010 6900 0000\"},"
    "  {\"id\": \"groups\", \"adapter\": \"wechat_group\", \"bot_name\": \"民意助手\","
    "   \"keyword\": \"#诉求\", \"secret_env\": \"TEST_GROUP_SECRET\"},"
    "  {\"id\": \"hotline\", \"adapter\": \"hotline\", \"reply_channel\": \"sms\","
    "   \"caller_channel_id\": 1, \"allow_from\": [\"127.0.0.1\", \"::1\"]},"
    "  {\"id\": \"hl-signed\", \"adapter\": \"hotline\", \"reply_channel\": \"sms\","
    "   \"secret_env\": \"TEST_GROUP_SECRET\"}"
    " ],"
    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}";

/* A loaded config and its channels, opened. */
struct fx {
	struct config	*cfg;
	struct channel	 sms, sms2, groups, hotline, hlsigned;
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

static struct fx *
fx_new(const char *public_url)
{
	struct fx	*f = xcalloc(1, sizeof(*f));
	char		*json = xasprintf(cfg_fmt, public_url);

	f->cfg = load_config(json);
	free(json);
	open_one(f, &f->sms, "sms");
	open_one(f, &f->sms2, "sms2");
	open_one(f, &f->groups, "groups");
	open_one(f, &f->hotline, "hotline");
	open_one(f, &f->hlsigned, "hl-signed");
	return f;
}

static void
fx_free(struct fx *f)
{
	adapter_close(&f->sms);
	adapter_close(&f->sms2);
	adapter_close(&f->groups);
	adapter_close(&f->hotline);
	adapter_close(&f->hlsigned);
	config_free(f->cfg);
	free(f);
}

static int
setup(void **state)
{
	*state = fx_new("https://mycompany.com");
	return 0;
}

static int
teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* Request headers: a table ended by a NULL name. */
struct hdr {
	const char	*name;
	const char	*value;
};

static const char *
hdr_get(const struct http_req *req, const char *name)
{
	const struct hdr *h;

	for (h = req->hctx; h != NULL && h->name != NULL; h++)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

static void
req_init(struct http_req *req, const char *path, const char *sub,
    struct hdr *hdrs)
{
	memset(req, 0, sizeof(*req));
	req->method = "POST";
	req->path = path;
	req->sub = sub;
	req->body = "";
	req->remote_addr = "127.0.0.1";
	req->header = hdr_get;
	req->hctx = hdrs;
}

/* Lowercase hex HMAC-SHA256 of s under key, into out (65 bytes). */
static void
hmac_hex(const char *key, const char *s, size_t len, char *out)
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0, i;

	assert_non_null(HMAC(EVP_sha256(), key, (int)strlen(key),
	    (const unsigned char *)s, len, mac, &n));
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

/* Run an adapter's parse over a JSON body; err gets the reason. */
static int
parse_body(struct channel *ch, const char *body, struct inbound_batch *b,
    char *err, size_t errsz)
{
	struct http_req	 req;

	req_init(&req, "/webhooks/x", "", NULL);
	req.body = body;
	req.body_len = strlen(body);
	memset(b, 0, sizeof(*b));
	err[0] = '\0';
	return ch->ad->ops->parse(ch, &req, b, err, errsz);
}

static int
parse_form(struct channel *ch, const char *sub, json_t *form,
    struct inbound_batch *b, char *err, size_t errsz)
{
	struct http_req	 req;

	req_init(&req, "/webhooks/sms", sub, NULL);
	req.form = form;
	memset(b, 0, sizeof(*b));
	err[0] = '\0';
	return ch->ad->ops->parse(ch, &req, b, err, errsz);
}

/* Problems adapter_check_config finds in json, one per line. */
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
test_check_example_style_config_is_clean(void **state)
{
	struct fx		*f = *state;
	struct config_errors	 errs;

	memset(&errs, 0, sizeof(errs));
	adapter_check_config(f->cfg, &errs);
	assert_int_equal(errs.n, 0);
	config_errors_free(&errs);
}

static void
test_check_example_config_is_clean(void **state)
{
	struct config_errors	 errs;
	struct config		*cfg;
	size_t			 i;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	cfg = config_load("config/minyi.example.json", &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "example: %s\n", errs.lines[i]);
	assert_non_null(cfg);
	adapter_check_config(cfg, &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "example: %s\n", errs.lines[i]);
	assert_int_equal(errs.n, 0);
	config_errors_free(&errs);
	config_free(cfg);
}

/* --- twilio: signatures -------------------------------------------------- */

/*
 * Twilio's published request-validation vector, as in its SDKs' tests
 * (twilio-python tests/unit/test_request_validator.py, twilio-php and
 * twilio-node likewise): token "12345", URL
 * https://mycompany.com/myapp.php?foo=1&bar=2 and these POST parameters
 * sign as RSOYDt4T1cUTdK1PDd93/VVr8B8=; the same URL with :443 signs as
 * kvajT1Ptam85bY51eRf/AJRuM3w=, and http:// with :80 as
 * 0ZXoZLH/DfblKGATFgpif+LLRf4= (test_validation_adds_port_on_https/http).
 */
#define VEC_SIG		"RSOYDt4T1cUTdK1PDd93/VVr8B8="
#define VEC_SIG_443	"kvajT1Ptam85bY51eRf/AJRuM3w="
#define VEC_SIG_HTTP80	"0ZXoZLH/DfblKGATFgpif+LLRf4="

static json_t *
vec_params(bool reversed)
{
	static const char *const kv[][2] = {
		{ "CallSid", "CA1234567890ABCDE" },
		{ "Caller", "+14158675309" },
		{ "Digits", "1234" },
		{ "From", "+14158675309" },
		{ "To", "+18005551212" },
	};
	json_t	*o = json_object();
	size_t	 i, j;

	for (i = 0; i < nitems(kv); i++) {
		j = reversed ? nitems(kv) - 1 - i : i;
		json_object_set_new(o, kv[j][0], json_string(kv[j][1]));
	}
	return o;
}

/* verify on ch for path ?query, the vector's params and signature sig. */
static int
twilio_verify_vec(struct channel *ch, const char *query, json_t *form,
    const char *sig)
{
	struct http_req	 req;
	struct hdr	 hdrs[] = { { "X-Twilio-Signature", sig }, { NULL, NULL } };

	req_init(&req, "/myapp.php", "", sig != NULL ? hdrs : NULL);
	req.query = query;
	req.form = form;
	return ch->ad->ops->verify(ch, &req);
}

struct sig_row {
	const char	*public_url;
	const char	*query;
	const char	*sig;
	int		 want;
};

static void
test_twilio_signature_vectors(void **state)
{
	static const struct sig_row rows[] = {
		/* the published vector */
		{ "https://mycompany.com", "foo=1&bar=2", VEC_SIG, 0 },
		/* signed with the default port, URL without it */
		{ "https://mycompany.com", "foo=1&bar=2", VEC_SIG_443, 0 },
		/* our URL with the default port, signed without it */
		{ "https://mycompany.com:443", "foo=1&bar=2", VEC_SIG, 0 },
		{ "https://mycompany.com:443", "foo=1&bar=2", VEC_SIG_443, 0 },
		/* http and its port 80 */
		{ "http://mycompany.com", "foo=1&bar=2", VEC_SIG_HTTP80, 0 },
		{ "http://mycompany.com:80", "foo=1&bar=2", VEC_SIG_HTTP80, 0 },
		/* any port stripped, as the SDKs do (test_validation_removes_port_on_https) */
		{ "https://mycompany.com:8443", "foo=1&bar=2", VEC_SIG, 0 },
		{ "https://mycompany.com:80", "foo=1&bar=2", VEC_SIG, 0 },
		/* negatives: scheme, port, query, host */
		{ "http://mycompany.com", "foo=1&bar=2", VEC_SIG, -1 },
		{ "https://mycompany.com", "foo=1&bar=2", VEC_SIG_HTTP80, -1 },
		{ "https://mycompany.com:8443", "foo=1&bar=2", VEC_SIG_443, -1 },
		{ "https://mycompany.com", "foo=1&bar=3", VEC_SIG, -1 },
		{ "https://mycompany.com", NULL, VEC_SIG, -1 },
		{ "https://evil.example", "foo=1&bar=2", VEC_SIG, -1 },
		/* a changed, cut or empty signature */
		{ "https://mycompany.com", "foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8", -1 },
		{ "https://mycompany.com", "foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B9=", -1 },
		{ "https://mycompany.com", "foo=1&bar=2", "rsoydt4t1cutdk1pdd93/vvr8b8=", -1 },
		{ "https://mycompany.com", "foo=1&bar=2", "", -1 },
	};
	json_t		*form = vec_params(false);
	struct fx	*f;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		f = fx_new(rows[i].public_url);
		if (twilio_verify_vec(&f->sms, rows[i].query, form,
		    rows[i].sig) != rows[i].want)
			fail_msg("row %zu: %s ? %s sig %s: want %d", i,
			    rows[i].public_url, rows[i].query ? rows[i].query : "",
			    rows[i].sig, rows[i].want);
		fx_free(f);
	}
	json_decref(form);
}

/*
 * More of the SDKs' vectors (token "12345", the params above, URL
 * https://mycompany.com/myapp.php?foo=1&bar=2 changed as each row says):
 * twilio-node spec/validation.spec.js "should validate https urls with
 * ports by stripping them", "http urls with ports", "urls with
 * credentials", "urls with just username", "urls with credentials by
 * adding port", "urls with special characters"; twilio-python
 * tests/unit/test_request_validator.py test_validation_removes_port_on_*.
 */
static void
test_twilio_signature_sdk_url_variants(void **state)
{
	static const struct sig_row rows[] = {
		/* the URL has a port, the signature is over the URL without it */
		{ "https://mycompany.com:1234", "foo=1&bar=2", VEC_SIG, 0 },
		/* http with port 1234, signed with it */
		{ "http://mycompany.com:1234", "foo=1&bar=2",
		    "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", 0 },
		/* user-info, signed as is and with the default port */
		{ "https://user:pass@mycompany.com", "foo=1&bar=2",
		    "CukzLTc1tT5dXEDIHm/tKBanW10=", 0 },
		{ "https://user:pass@mycompany.com", "foo=1&bar=2",
		    "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=", 0 },
		{ "https://user:pass@mycompany.com:443", "foo=1&bar=2",
		    "CukzLTc1tT5dXEDIHm/tKBanW10=", 0 },
		{ "https://user@mycompany.com", "foo=1&bar=2",
		    "2YRLlVAflCqxaNicjMpJcSTgzSs=", 0 },
		/* the request line's "It's" signed percent-encoded ("It%27s") */
		{ "https://mycompany.com", "foo=1&bar=2&Body=It's+amazing",
		    "TfZzewPq8wqrGlMfyAud8+/IvJ0=", 0 },
		/* negatives: other user-info, none, another query */
		{ "https://user:other@mycompany.com", "foo=1&bar=2",
		    "CukzLTc1tT5dXEDIHm/tKBanW10=", -1 },
		{ "https://mycompany.com", "foo=1&bar=2",
		    "CukzLTc1tT5dXEDIHm/tKBanW10=", -1 },
		{ "https://user:pass@mycompany.com", "foo=1&bar=2", VEC_SIG, -1 },
		{ "https://mycompany.com", "foo=1&bar=2&Body=It's+amazin",
		    "TfZzewPq8wqrGlMfyAud8+/IvJ0=", -1 },
	};
	json_t		*form = vec_params(false);
	struct fx	*f;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		f = fx_new(rows[i].public_url);
		if (twilio_verify_vec(&f->sms, rows[i].query, form,
		    rows[i].sig) != rows[i].want)
			fail_msg("row %zu: %s ? %s sig %s: want %d", i,
			    rows[i].public_url, rows[i].query, rows[i].sig,
			    rows[i].want);
		fx_free(f);
	}
	json_decref(form);
}

/* A form of (name, value) pairs, in order, as gateway/http.c builds it. */
static json_t *
form_of(const char *const kv[][2], size_t n)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; i < n; i++)
		assert_int_equal(adapter_form_add(o, kv[i][0], kv[i][1],
		    strlen(kv[i][1])), 0);
	return o;
}

/*
 * A repeated name is signed with each distinct value once, in order:
 * twilio-python test_compute_signature_duplicate_multi_dict (and
 * twilio-node "should validate request body with multiple params and
 * values") sign Sid=CA123, SidAccount=AC123, Digits 5678, 1234, 1234 as
 * IK+Dwps556ElfBT0I3Rgjkr1wJU=; twilio-node "with an array parameter"
 * signs MessagingBinding.Address +1325xxxxxxx and +1415xxxxxxx, in
 * either order, as 83O6e2vORAoJHUNzJjDWN1jz+BA=.
 */
static void
test_twilio_signature_repeated_params(void **state)
{
	static const char *const digits[][2] = {
		{ "Sid", "CA123" }, { "SidAccount", "AC123" },
		{ "Digits", "5678" }, { "Digits", "1234" }, { "Digits", "1234" },
	};
	static const char *const digits_once[][2] = {
		{ "Digits", "1234" }, { "Sid", "CA123" }, { "Digits", "5678" },
		{ "SidAccount", "AC123" },
	};
	static const char *const digits_other[][2] = {
		{ "Sid", "CA123" }, { "SidAccount", "AC123" },
		{ "Digits", "5678" }, { "Digits", "1234" }, { "Digits", "1235" },
	};
	static const char *const digits_last[][2] = {	/* one value only */
		{ "Sid", "CA123" }, { "SidAccount", "AC123" }, { "Digits", "1234" },
	};
	static const char *const binding[][2] = {
		{ "MessagingBinding.Address", "+1325xxxxxxx" },
		{ "MessagingBinding.Address", "+1415xxxxxxx" },
	};
	static const char *const binding_rev[][2] = {
		{ "MessagingBinding.Address", "+1415xxxxxxx" },
		{ "MessagingBinding.Address", "+1325xxxxxxx" },
	};
	struct fx	*f = *state;
	json_t		*form;

	form = form_of(digits, nitems(digits));
	assert_true(json_is_array(json_object_get(form, "Digits")));
	assert_int_equal(json_array_size(json_object_get(form, "Digits")), 3);
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form,
	    "IK+Dwps556ElfBT0I3Rgjkr1wJU="), 0);
	json_decref(form);
	form = form_of(digits_once, nitems(digits_once));
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form,
	    "IK+Dwps556ElfBT0I3Rgjkr1wJU="), 0);
	json_decref(form);
	form = form_of(digits_other, nitems(digits_other));
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form,
	    "IK+Dwps556ElfBT0I3Rgjkr1wJU="), -1);
	json_decref(form);
	form = form_of(digits_last, nitems(digits_last));
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form,
	    "IK+Dwps556ElfBT0I3Rgjkr1wJU="), -1);
	json_decref(form);
	form = form_of(binding, nitems(binding));
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form,
	    "83O6e2vORAoJHUNzJjDWN1jz+BA="), 0);
	json_decref(form);
	form = form_of(binding_rev, nitems(binding_rev));
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form,
	    "83O6e2vORAoJHUNzJjDWN1jz+BA="), 0);
	json_decref(form);
}

/*
 * bodySHA256: Twilio signs the URL alone, which carries the body's
 * SHA-256.  twilio-node spec/validation.spec.js: "should validate request
 * body when given" (a9nB...), "when empty" (the body "{}", Ldid...),
 * "with only sha param" (y77k...), and "should fail validation of post
 * body with wrong hash" (the hash cut by one digit).
 */
#define BODY_JSON	"{\"property\": \"value\", \"boolean\": true}"
#define BODY_HASH	"0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
#define BODY_EMPTY_HASH	"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

struct body_row {
	const char	*query;
	const char	*body;
	bool		 with_form;	/* form fields too: not signed */
	const char	*sig;
	int		 want;
};

static void
test_twilio_signature_body_sha256(void **state)
{
	static const struct body_row rows[] = {
		{ "foo=1&bar=2&bodySHA256=" BODY_HASH, BODY_JSON, false,
		    "a9nBmqA0ju/hNViExpshrM61xv4=", 0 },
		{ "foo=1&bar=2&bodySHA256=" BODY_EMPTY_HASH, "{}", false,
		    "Ldidvp12m26NI7eqEvxnEpkd9Hc=", 0 },
		{ "bodySHA256=" BODY_HASH, BODY_JSON, false,
		    "y77kIzt2vzLz71DgmJGsen2scGs=", 0 },
		/* a form body is bound by the hash, not signed field by field */
		{ "foo=1&bar=2&bodySHA256=" BODY_HASH, BODY_JSON, true,
		    "a9nBmqA0ju/hNViExpshrM61xv4=", 0 },
		/* the wrong hash: cut, or of another body */
		{ "foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e662",
		    BODY_JSON, false, "a9nBmqA0ju/hNViExpshrM61xv4=", -1 },
		{ "foo=1&bar=2&bodySHA256=" BODY_HASH,
		    "{\"property\": \"value\", \"boolean\": false}", false,
		    "a9nBmqA0ju/hNViExpshrM61xv4=", -1 },
		{ "foo=1&bar=2&bodySHA256=" BODY_HASH, "{}", false,
		    "a9nBmqA0ju/hNViExpshrM61xv4=", -1 },
		/* right hash, another signature */
		{ "foo=1&bar=2&bodySHA256=" BODY_HASH, BODY_JSON, false,
		    VEC_SIG, -1 },
	};
	struct fx	*f = *state;
	struct http_req	 req;
	json_t		*form = vec_params(false);
	struct hdr	 hdrs[] = { { "X-Twilio-Signature", NULL }, { NULL, NULL } };
	size_t		 i;

	for (i = 0; i < nitems(rows); i++) {
		hdrs[0].value = rows[i].sig;
		req_init(&req, "/myapp.php", "", hdrs);
		req.query = rows[i].query;
		req.body = rows[i].body;
		req.body_len = strlen(rows[i].body);
		req.form = rows[i].with_form ? form : NULL;
		if (f->sms.ad->ops->verify(&f->sms, &req) != rows[i].want)
			fail_msg("row %zu: want %d", i, rows[i].want);
	}
	json_decref(form);
}

static void
test_twilio_signature_param_order_irrelevant(void **state)
{
	struct fx	*f = *state;
	json_t		*form = vec_params(true);

	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form, VEC_SIG), 0);
	json_decref(form);
}

static void
test_twilio_signature_tampered_param(void **state)
{
	struct fx	*f = *state;
	json_t		*form = vec_params(false);

	json_object_set_new(form, "Digits", json_string("9999"));
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form, VEC_SIG), -1);
	json_object_set_new(form, "Digits", json_string("1234"));
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form, VEC_SIG), 0);
	json_object_set_new(form, "Extra", json_string(""));	/* an added field */
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form, VEC_SIG), -1);
	json_object_del(form, "Extra");
	json_object_del(form, "To");				/* a dropped one */
	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form, VEC_SIG), -1);
	json_decref(form);
}

static void
test_twilio_signature_wrong_token(void **state)
{
	struct fx	*f = *state;
	json_t		*form = vec_params(false);

	/* sms2 reads TEST_TWILIO_TOKEN2, which is not "12345" */
	assert_int_equal(twilio_verify_vec(&f->sms2, "foo=1&bar=2", form, VEC_SIG), -1);
	json_decref(form);
}

static void
test_twilio_signature_missing_header(void **state)
{
	struct fx	*f = *state;
	json_t		*form = vec_params(false);

	assert_int_equal(twilio_verify_vec(&f->sms, "foo=1&bar=2", form, NULL), -1);
	json_decref(form);
}

/* --- twilio: config, init ------------------------------------------------ */

static void
test_twilio_check_problems(void **state)
{
	struct config_errors errs;

	(void)state;
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": [{\"id\": \"sms\", \"adapter\": \"twilio\","
	    "  \"account_sid\": \"AC123\", \"from\": \"12\", \"api_base\": \"ftp://x\"},"
	    " {\"id\": \"sms2\", \"adapter\": \"twilio\", \"account_sid\": 7,"
	    "  \"auth_token_env\": \"X\", \"from\": \"+8613800138000\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	assert_true(has_problem(&errs, "channels[0].account_sid: expected \"AC\" and 32 hex digits"));
	assert_true(has_problem(&errs, "channels[0].auth_token_env: required key missing"));
	assert_true(has_problem(&errs, "channels[0].from: \"12\""));
	assert_true(has_problem(&errs, "channels[0].api_base: expected an http"));
	assert_true(has_problem(&errs, "channels[1].account_sid: expected a non-empty string"));
	/* two SMS channels and no dialog.sms_channel to say which reaches new numbers */
	assert_true(has_problem(&errs, "dialog.sms_channel: required with several SMS "
	    "channels (sms, sms2)"));
	assert_int_equal(errs.n, 6);
	config_errors_free(&errs);
}

/* dialog.sms_channel: the channel 代办 reaches a resident who never wrote on. */
static void
test_sms_channel(void **state)
{
	struct fx		*f = *state;
	struct config_errors	 errs;
	struct config		*cfg;
	static const char one[] = "{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": [{\"id\": \"s\", \"adapter\": \"sim\"},"
	    "  {\"id\": \"t\", \"adapter\": \"twilio\","
	    "   \"account_sid\": \"AC0123456789abcdef0123456789abcdef\","
	    "   \"auth_token_env\": \"X\", \"from\": \"+8610690000\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}";

	(void)state;
	assert_string_equal(adapter_sms_channel(f->cfg), "sms2");	/* named */
	cfg = load_config(one);			/* the only SMS channel; sim is none */
	assert_string_equal(adapter_sms_channel(cfg), "t");
	memset(&errs, 0, sizeof(errs));
	adapter_check_config(cfg, &errs);
	assert_int_equal(errs.n, 0);
	config_free(cfg);
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"dialog\": {\"sms_channel\": \"g\"},"
	    " \"channels\": [{\"id\": \"g\", \"adapter\": \"wechat_group\","
	    "  \"bot_name\": \"b\", \"keyword\": \"k\", \"secret_env\": \"X\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	assert_true(has_problem(&errs, "dialog.sms_channel: channel \"g\" (wechat_group) "
	    "cannot reach a phone number"));
	assert_int_equal(errs.n, 1);
	config_errors_free(&errs);
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"dialog\": {\"sms_channel\": \"s\"},"
	    " \"channels\": [{\"id\": \"s\", \"adapter\": \"sim\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	assert_int_equal(errs.n, 0);		/* the simulator reaches its phones */
	config_errors_free(&errs);
}

static void
test_twilio_init_needs_token(void **state)
{
	struct fx	*f = *state;
	struct channel	 ch;

	unsetenv("TEST_TWILIO_TOKEN");
	assert_int_equal(adapter_open(&ch, f->cfg, config_channel(f->cfg, "sms")), -1);
	assert_null(ch.ctx);
	setenv("TEST_TWILIO_TOKEN", TWILIO_TOKEN, 1);
	assert_int_equal(adapter_open(&ch, f->cfg, config_channel(f->cfg, "sms")), 0);
	assert_non_null(ch.ctx);
	adapter_close(&ch);
}

/* --- twilio: parse ------------------------------------------------------- */

#define SID42	"SM00000000000000000000000000000042"
#define SID77	"SM77777777777777777777777777777777"
#define SID78	"SM78787878787878787878787878787878"

static json_t *
sms_form(const char *from, const char *body)
{
	json_t	*o = json_object();

	json_object_set_new(o, "MessageSid", json_string(SID42));
	json_object_set_new(o, "AccountSid", json_string("AC0123456789abcdef0123456789abcdef"));
	json_object_set_new(o, "To", json_string("+8610690000"));
	if (from != NULL)
		json_object_set_new(o, "From", json_string(from));
	if (body != NULL)
		json_object_set_new(o, "Body", json_string(body));
	return o;
}

static void
test_twilio_parse_inbound(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form = sms_form("138-0013-8000", "路灯不亮");
	char			 err[160];

	assert_int_equal(parse_form(&f->sms, "", form, &b, err, sizeof(err)), 0);
	assert_int_equal(b.nmsgs, 1);
	assert_int_equal(b.nreceipts, 0);
	assert_string_equal(b.msgs[0].provider_id, "SM00000000000000000000000000000042");
	assert_string_equal(b.msgs[0].from, "+8613800138000");
	assert_string_equal(b.msgs[0].to, "+8610690000");
	assert_string_equal(b.msgs[0].text, "路灯不亮");
	assert_true(b.msgs[0].addressed);
	assert_null(b.msgs[0].media);
	assert_null(b.msgs[0].group_id);
	/* every field, as a copy the request may outlive */
	assert_true(json_equal(b.msgs[0].params, form));
	assert_true(b.msgs[0].params != form);
	inbound_batch_clear(&b);
	json_decref(form);
}

struct form_err_row {
	const char	*sub;
	const char	*from;		/* NULL: no From */
	const char	*sid;		/* NULL: no MessageSid */
	const char	*nummedia;	/* NULL: none */
	const char	*want;		/* in the reason */
};

static void
test_twilio_parse_rejects(void **state)
{
	static const struct form_err_row rows[] = {
		{ "", "+8613800138000", NULL, NULL, "MessageSid is missing" },
		{ "", NULL, SID42, NULL, "From is missing" },
		{ "", "", SID42, NULL, "From is missing" },
		{ "", "12", SID42, NULL, "From \"****12\": too short" },
		{ "", "hello", SID42, NULL, "From \"****lo\"" },
		{ "", "+8613800138000", SID42, "x", "NumMedia" },
		{ "", "+8613800138000", SID42, "11", "NumMedia" },
		{ "", "+8613800138000", SID42, "-1", "NumMedia" },
		{ "/other", "+8613800138000", SID42, NULL, "no such webhook" },
		{ "/status", "+8613800138000", SID42, NULL, "MessageStatus is missing" },
		/* not Twilio's SIDs: two letters and 32 hex digits */
		{ "", "+8613800138000", "SM1", NULL, "MessageSid: expected" },
	};
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form;
	char			 err[160];
	size_t			 i;

	for (i = 0; i < nitems(rows); i++) {
		form = json_object();
		if (rows[i].from)
			json_object_set_new(form, "From", json_string(rows[i].from));
		if (rows[i].sid)
			json_object_set_new(form, "MessageSid", json_string(rows[i].sid));
		if (rows[i].nummedia)
			json_object_set_new(form, "NumMedia", json_string(rows[i].nummedia));
		json_object_set_new(form, "Body", json_string("hi"));
		if (parse_form(&f->sms, rows[i].sub, form, &b, err, sizeof(err)) != -1)
			fail_msg("row %zu parsed", i);
		if (strstr(err, rows[i].want) == NULL)
			fail_msg("row %zu: reason \"%s\" lacks \"%s\"", i, err, rows[i].want);
		assert_int_equal(b.nmsgs + b.nreceipts, 0);
		inbound_batch_clear(&b);
		json_decref(form);
	}
}

/*
 * MessageSid is Twilio's: two letters and 32 hex digits.  A replay whose
 * name/value boundary moved ("MessageSid=SM...To+86...") is refused, so it
 * cannot pass for a new message; so are receipts for no such SID.
 */
struct sid_row {
	const char	*sub;
	const char	*sid;
	int		 want;
};

static void
test_twilio_parse_sid_format(void **state)
{
	static const struct sid_row rows[] = {
		{ "", "SM0e1f6a8b2c3d4e5f60718293a4b5c6d7", 0 },
		{ "", "MM5f4e3d2c1b0a99887766554433221100", 0 },
		{ "", "SM0E1F6A8B2C3D4E5F60718293A4B5C6D7", 0 },
		{ "", "SM0e1f6a8b2c3d4e5f60718293a4b5c6d7To+8610690000", -1 },
		{ "", "SM0e1f6a8b2c3d4e5f60718293a4b5c6d", -1 },	/* 31 */
		{ "", "SM0e1f6a8b2c3d4e5f60718293a4b5c6d78", -1 },	/* 33 */
		{ "", "SM0e1f6a8b2c3d4e5f60718293a4b5c6dg", -1 },
		{ "", "sm0e1f6a8b2c3d4e5f60718293a4b5c6d7", -1 },
		{ "", "S10e1f6a8b2c3d4e5f60718293a4b5c6d7", -1 },
		{ "", "SM1", -1 },
		{ "/status", "SM0e1f6a8b2c3d4e5f60718293a4b5c6d7", 0 },
		{ "/status", "SM1", -1 },
		{ "/status", "SM0e1f6a8b2c3d4e5f60718293a4b5c6d7MessageStatus", -1 },
	};
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form;
	char			 err[160];
	size_t			 i;

	for (i = 0; i < nitems(rows); i++) {
		form = sms_form("+8613800138000", "路灯不亮");
		json_object_set_new(form, "MessageSid", json_string(rows[i].sid));
		json_object_set_new(form, "MessageStatus", json_string("delivered"));
		if (parse_form(&f->sms, rows[i].sub, form, &b, err,
		    sizeof(err)) != rows[i].want)
			fail_msg("row %zu: %s%s: want %d (%s)", i, rows[i].sid,
			    rows[i].sub, rows[i].want, err);
		if (rows[i].want == -1)
			assert_string_equal(err, "MessageSid: expected two "
			    "letters and 32 hex digits");
		else if (rows[i].sub[0] == '\0')
			assert_string_equal(b.msgs[0].provider_id, rows[i].sid);
		else
			assert_string_equal(b.receipts[0].provider_id, rows[i].sid);
		inbound_batch_clear(&b);
		json_decref(form);
	}
}

/*
 * A repeated field is kept with every value in params; one this adapter
 * reads (Body, From, MessageSid, MediaUrlN...) is refused, since which
 * value was meant cannot be told.
 */
static void
test_twilio_parse_repeated_fields(void **state)
{
	static const char *const ok[][2] = {
		{ "MessageSid", SID42 }, { "From", "+8613800138000" },
		{ "To", "+8610690000" }, { "Body", "路灯不亮" },
		{ "MessagingBinding.Address", "+1325xxxxxxx" },
		{ "MessagingBinding.Address", "+1415xxxxxxx" },
	};
	static const char *const two_bodies[][2] = {
		{ "MessageSid", SID42 }, { "From", "+8613800138000" },
		{ "Body", "路灯不亮" }, { "Body", "停水了" },
	};
	static const char *const two_media[][2] = {
		{ "MessageSid", SID42 }, { "From", "+8613800138000" },
		{ "NumMedia", "1" }, { "MediaUrl0", "https://m.example/0" },
		{ "MediaUrl0", "https://m.example/1" },
	};
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form, *list;
	char			 err[160];

	form = form_of(ok, nitems(ok));
	assert_int_equal(parse_form(&f->sms, "", form, &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].text, "路灯不亮");
	list = json_object_get(b.msgs[0].params, "MessagingBinding.Address");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_array_get(list, 0)), "+1325xxxxxxx");
	assert_string_equal(json_string_value(json_array_get(list, 1)), "+1415xxxxxxx");
	inbound_batch_clear(&b);
	json_decref(form);

	form = form_of(two_bodies, nitems(two_bodies));
	assert_int_equal(parse_form(&f->sms, "", form, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "Body is given 2 times");
	assert_int_equal(b.nmsgs, 0);
	inbound_batch_clear(&b);
	json_decref(form);

	form = form_of(two_media, nitems(two_media));
	assert_int_equal(parse_form(&f->sms, "", form, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "MediaUrl0 is given 2 times");
	inbound_batch_clear(&b);
	json_decref(form);
}

/* adapter_form_add: the form's shape, and UTF-8 checked on whole values. */
static void
test_adapter_form_add(void **state)
{
	json_t	*form = json_object(), *v;

	(void)state;
	assert_int_equal(adapter_form_add(form, "Body", "\xe8\xb7\xaf", 3), 0);
	assert_string_equal(json_string_value(json_object_get(form, "Body")), "路");
	assert_int_equal(adapter_form_add(form, "Empty", NULL, 0), 0);
	assert_string_equal(json_string_value(json_object_get(form, "Empty")), "");
	/* a cut character, a NUL: replaced, never stored raw */
	assert_int_equal(adapter_form_add(form, "Cut", "a\xe8\xb7", 3), 0);
	assert_string_equal(json_string_value(json_object_get(form, "Cut")),
	    "a\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(adapter_form_add(form, "Nul", "a\0b", 3), 0);
	assert_string_equal(json_string_value(json_object_get(form, "Nul")),
	    "a\xef\xbf\xbd" "b");
	/* repeated: every value, in order */
	assert_int_equal(adapter_form_add(form, "D", "2", 1), 0);
	assert_int_equal(adapter_form_add(form, "D", "1", 1), 0);
	assert_int_equal(adapter_form_add(form, "D", "1", 1), 0);
	v = json_object_get(form, "D");
	assert_true(json_is_array(v));
	assert_int_equal(json_array_size(v), 3);
	assert_string_equal(json_string_value(json_array_get(v, 0)), "2");
	assert_string_equal(json_string_value(json_array_get(v, 2)), "1");
	/* a name that is not UTF-8 */
	assert_int_equal(adapter_form_add(form, "B\xff", "x", 1), -1);
	assert_int_equal(json_object_size(form), 5);
	json_decref(form);
}

static void
test_twilio_parse_not_a_form(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];

	assert_int_equal(parse_form(&f->sms, "", NULL, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "expected a form body");
}

static void
test_twilio_parse_media_only(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form = sms_form("+8613800138000", NULL);
	char			 err[160];

	json_object_set_new(form, "NumMedia", json_string("3"));
	json_object_set_new(form, "MediaUrl0", json_string("https://m.example/0"));
	json_object_set_new(form, "MediaUrl2", json_string("https://m.example/2"));
	json_object_set_new(form, "MediaUrl5", json_string("https://m.example/5"));
	assert_int_equal(parse_form(&f->sms, "", form, &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].text, "");
	assert_true(json_is_array(b.msgs[0].media));
	assert_int_equal(json_array_size(b.msgs[0].media), 2);	/* 5 is past NumMedia */
	assert_string_equal(json_string_value(json_array_get(b.msgs[0].media, 1)),
	    "https://m.example/2");
	inbound_batch_clear(&b);
	json_decref(form);
}

static void
test_twilio_parse_invalid_utf8_body(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form = sms_form("+8613800138000", NULL);
	char			 err[160];

	/* a form decoder that does not check UTF-8 could hand this over */
	json_object_set_new_nocheck(form, "Body",
	    json_stringn_nocheck("ok\xff\xfe路灯", 10));
	assert_int_equal(parse_form(&f->sms, "", form, &b, err, sizeof(err)), 0);
	assert_true(utf8_valid(b.msgs[0].text, strlen(b.msgs[0].text)));
	assert_string_equal(b.msgs[0].text, "ok\xef\xbf\xbd\xef\xbf\xbd路灯");
	inbound_batch_clear(&b);
	json_decref(form);
}

static void
test_twilio_parse_long_body(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	struct buf		 big;
	json_t			*form;
	char			 err[160];
	int			 i;

	buf_init(&big, 0);
	for (i = 0; i < 5000; i++)
		buf_addstr(&big, "路");
	form = sms_form("+8613800138000", buf_str(&big));
	assert_int_equal(parse_form(&f->sms, "", form, &b, err, sizeof(err)), 0);
	assert_int_equal(strlen(b.msgs[0].text), 15000);
	inbound_batch_clear(&b);
	json_decref(form);
	buf_free(&big);
}

struct status_row {
	const char	*twilio;
	const char	*ours;		/* NULL: rejected */
};

static void
test_twilio_status_mapping(void **state)
{
	static const struct status_row rows[] = {
		{ "queued", "queued" },
		{ "accepted", "queued" },
		{ "scheduled", "queued" },
		{ "sending", "queued" },
		{ "sent", "sent" },
		{ "delivered", "delivered" },
		{ "read", "delivered" },
		{ "undelivered", "undelivered" },
		{ "failed", "failed" },
		{ "canceled", "failed" },
		{ "received", NULL },		/* an inbound message's status */
		{ "bogus", NULL },
	};
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form;
	char			 err[160];
	size_t			 i;

	for (i = 0; i < nitems(rows); i++) {
		form = json_object();
		json_object_set_new(form, "MessageSid", json_string(SID77));
		json_object_set_new(form, "MessageStatus", json_string(rows[i].twilio));
		if (rows[i].ours == NULL) {
			assert_int_equal(parse_form(&f->sms, "/status", form, &b,
			    err, sizeof(err)), -1);
			assert_non_null(strstr(err, rows[i].twilio));
		} else {
			assert_int_equal(parse_form(&f->sms, "/status", form, &b,
			    err, sizeof(err)), 0);
			assert_int_equal(b.nmsgs, 0);
			assert_int_equal(b.nreceipts, 1);
			assert_string_equal(b.receipts[0].provider_id, SID77);
			assert_string_equal(b.receipts[0].status, rows[i].ours);
			assert_null(b.receipts[0].error);
		}
		inbound_batch_clear(&b);
		json_decref(form);
	}
}

static void
test_twilio_status_error_code(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	json_t			*form = json_object();
	char			 err[160];

	json_object_set_new(form, "MessageSid", json_string(SID78));
	json_object_set_new(form, "MessageStatus", json_string("failed"));
	json_object_set_new(form, "ErrorCode", json_string("30007"));
	assert_int_equal(parse_form(&f->sms, "/status", form, &b, err, sizeof(err)), 0);
	assert_string_equal(b.receipts[0].status, "failed");
	assert_string_equal(b.receipts[0].error, "30007");
	inbound_batch_clear(&b);
	json_decref(form);
}

/* --- twilio: build and result -------------------------------------------- */

static void
test_twilio_build(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 7, "+8613800138000", "您的诉求已受理 & ok",
				    "https://mycompany.com/webhooks/sms/status" };
	char			 err[160];

	memset(&call, 0, sizeof(call));
	assert_int_equal(f->sms.ad->ops->build(&f->sms, &m, &call, err, sizeof(err)), 0);
	assert_string_equal(call.url, "https://api.twilio.test/2010-04-01/Accounts/"
	    "AC0123456789abcdef0123456789abcdef/Messages.json");
	assert_string_equal(call.userpwd,
	    "AC0123456789abcdef0123456789abcdef:" TWILIO_TOKEN);
	assert_string_equal(call.body, "To=%2B8613800138000&From=%2B8610690000"
	    "&Body=%E6%82%A8%E7%9A%84%E8%AF%89%E6%B1%82%E5%B7%B2%E5%8F%97%E7%90%86"
	    "%20%26%20ok"
	    "&StatusCallback=https%3A%2F%2Fmycompany.com%2Fwebhooks%2Fsms%2Fstatus");
	assert_true(call.nheaders >= 1);
	assert_string_equal(call.headers[0],
	    "Content-Type: application/x-www-form-urlencoded");
	http_call_clear(&call);
}

static void
test_twilio_build_defaults_and_no_callback(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 8, "+8613800138000", "hi", NULL };
	char			 err[160];

	memset(&call, 0, sizeof(call));
	/* sms2: no api_base, "from" written as people write it */
	assert_int_equal(f->sms2.ad->ops->build(&f->sms2, &m, &call, err, sizeof(err)), 0);
	assert_string_equal(call.url, "https://api.twilio.com/2010-04-01/Accounts/"
	    "AC0123456789abcdef0123456789abcdef/Messages.json");
	assert_string_equal(call.body, "To=%2B8613800138000&From=%2B861069000000&Body=hi");
	assert_null(strstr(call.body, "StatusCallback"));
	http_call_clear(&call);

	m.to = "";
	assert_int_equal(f->sms.ad->ops->build(&f->sms, &m, &call, err, sizeof(err)), -1);
	http_call_clear(&call);
}

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
test_twilio_result(void **state)
{
	static const struct result_row rows[] = {
		{ 201, "{\"sid\": \"SM9f8e7d6c5b4a39281706f5e4d3c2b1a0\", \"status\": \"queued\"}",
		    SEND_OK, "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0", "", false },
		{ 200, "{\"sid\": \"SM1\"}", SEND_OK, "SM1", "", false },
		{ 400, "{\"code\": 21211, \"message\": \"The 'To' number +1 is not a valid phone number.\", \"status\": 400}",
		    SEND_FAIL, "", "code 21211: The 'To' number +1 is not a valid phone number.", false },
		{ 400, "{\"code\": 21610, \"message\": \"Attempt to send to unsubscribed recipient\", \"status\": 400}",
		    SEND_FAIL, "", "code 21610: Attempt to send to unsubscribed recipient", true },
		{ 401, "{\"code\": 20003, \"message\": \"Authenticate\"}",
		    SEND_FAIL, "", "code 20003: Authenticate", false },
		{ 404, "not json", SEND_FAIL, "", "HTTP 404", false },
		{ 429, "{\"code\": 20429, \"message\": \"Too Many Requests\"}",
		    SEND_RETRY, "", "code 20429: Too Many Requests", false },
		{ 503, "<html>Service Unavailable</html>", SEND_RETRY, "", "HTTP 503", false },
		{ 500, NULL, SEND_RETRY, "", "HTTP 500", false },
		{ -1, NULL, SEND_RETRY, "", "", false },
	};
	struct fx	*f = *state;

	run_result_rows(&f->sms, rows, nitems(rows));
}

/* --- twilio: looking a message up after a crash -------------------------- */

#define LOOKUP_SINCE	1700000000	/* Tue, 14 Nov 2023 22:13:20 +0000 */

static void
test_twilio_lookup_build(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 7, "+8613800138000", "您的诉求已受理", NULL };
	struct lookup		 q = { &m, LOOKUP_SINCE, NULL, 0 };
	char			 err[160];

	memset(&call, 0, sizeof(call));
	assert_non_null(f->sms.ad->ops->lookup_build);
	assert_true(adapter_can_lookup(&f->sms));
	assert_int_equal(f->sms.ad->ops->lookup_build(&f->sms, &q, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url, "https://api.twilio.test/2010-04-01/Accounts/"
	    "AC0123456789abcdef0123456789abcdef/Messages.json?To=%2B8613800138000"
	    "&From=%2B8610690000&DateSent%3E=2023-11-14&PageSize=50");
	assert_null(call.body);			/* a GET */
	assert_string_equal(call.userpwd,
	    "AC0123456789abcdef0123456789abcdef:" TWILIO_TOKEN);
	assert_int_equal(call.nheaders, 1);
	assert_string_equal(call.headers[0], "Accept: application/json");
	http_call_clear(&call);

	/* 00:00:30 GMT: the skew allowed reaches into the day before */
	q.since = 1699920030;
	assert_int_equal(f->sms.ad->ops->lookup_build(&f->sms, &q, &call, err,
	    sizeof(err)), 0);
	assert_non_null(strstr(call.url, "&DateSent%3E=2023-11-13&"));
	http_call_clear(&call);

	m.to = "";
	assert_int_equal(f->sms.ad->ops->lookup_build(&f->sms, &q, &call, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "no recipient or no text");
	http_call_clear(&call);
	assert_false(adapter_can_lookup(&f->groups));
	assert_false(adapter_can_lookup(&f->hotline));
}

/* One message of Twilio's list, as the API writes it (fewer fields). */
#define LIST_MSG(sid, to, body, created)					\
	"{\"account_sid\": \"AC0123456789abcdef0123456789abcdef\","		\
	" \"api_version\": \"2010-04-01\", \"body\": \"" body "\","		\
	" \"date_created\": \"" created "\", \"date_sent\": \"" created "\","	\
	" \"date_updated\": \"" created "\", \"direction\": \"outbound-api\","	\
	" \"error_code\": null, \"error_message\": null,"			\
	" \"from\": \"+8610690000\", \"num_media\": \"0\","			\
	" \"num_segments\": \"1\", \"price\": null, \"price_unit\": \"USD\","	\
	" \"sid\": \"" sid "\", \"status\": \"sent\","				\
	" \"to\": \"" to "\", \"uri\": \"/2010-04-01/Accounts/"			\
	"AC0123456789abcdef0123456789abcdef/Messages/" sid ".json\"}"
#define LIST(msgs)							\
	"{\"end\": 0, \"first_page_uri\": \"/2010-04-01/Accounts/"		\
	"AC0123456789abcdef0123456789abcdef/Messages.json?PageSize=50&Page=0\","\
	" \"messages\": [" msgs "], \"next_page_uri\": null, \"page\": 0,"	\
	" \"page_size\": 50, \"previous_page_uri\": null, \"start\": 0}"
#define TO	"+8613800138000"
#define TEXT	"您的诉求已受理"
#define AT	"Tue, 14 Nov 2023 22:13:20 +0000"	/* the claim's second */

struct lookup_row {
	const char	*name;
	long		 status;
	const char	*body;
	enum send_outcome outcome;
	const char	*provider_id;
	const char	*error;		/* exact; "" for none */
};

static void
test_twilio_lookup_result(void **state)
{
	static const struct lookup_row rows[] = {
		{ "found", 200, LIST(LIST_MSG("SMours", TO, TEXT,
		    "Tue, 14 Nov 2023 22:13:21 +0000")), SEND_OK, "SMours", "" },
		{ "found in the claim's second", 200, LIST(LIST_MSG("SMours", TO,
		    TEXT, AT)), SEND_OK, "SMours", "" },
		{ "found, Twilio's clock 30 s behind", 200, LIST(LIST_MSG("SMours",
		    TO, TEXT, "Tue, 14 Nov 2023 22:12:50 +0000")), SEND_OK,
		    "SMours", "" },
		{ "found behind others", 200, LIST(LIST_MSG("SMa", TO, "其他", AT) ","
		    LIST_MSG("SMb", "+8613900139000", TEXT, AT) ","
		    LIST_MSG("SMours", TO, TEXT, AT)), SEND_OK, "SMours", "" },
		{ "not found: empty list", 200, LIST(""), SEND_UNSENT, "", "" },
		{ "not found: body differs", 200, LIST(LIST_MSG("SMx", TO,
		    "您的诉求已受理。", AT)), SEND_UNSENT, "", "" },
		{ "not found: another recipient", 200, LIST(LIST_MSG("SMx",
		    "+8613800138001", TEXT, AT)), SEND_UNSENT, "", "" },
		{ "not found: older than the claim", 200, LIST(LIST_MSG("SMold",
		    TO, TEXT, "Tue, 14 Nov 2023 21:13:20 +0000")), SEND_UNSENT,
		    "", "" },
		{ "not found: 61 s before the claim", 200, LIST(LIST_MSG("SMold",
		    TO, TEXT, "Tue, 14 Nov 2023 22:12:19 +0000")), SEND_UNSENT,
		    "", "" },
		{ "not found: the same text went to them just before", 200,
		    LIST(LIST_MSG("SMknown", TO, TEXT, AT)), SEND_UNSENT, "", "" },
		{ "found past an earlier copy of the same text", 200,
		    LIST(LIST_MSG("SMknown", TO, TEXT, AT) ","
		    LIST_MSG("SMours", TO, TEXT, AT)), SEND_OK, "SMours", "" },
		{ "entries that are no messages are passed over", 200,
		    "{\"messages\": [7, null, {}, {\"sid\": \"\", \"to\": \"" TO "\","
		    " \"body\": \"" TEXT "\", \"date_created\": \"" AT "\"},"
		    " {\"sid\": \"SMn\", \"to\": null, \"body\": \"" TEXT "\"}]}",
		    SEND_UNSENT, "", "" },
		{ "a match whose date cannot be read", 200, LIST(LIST_MSG("SMx",
		    TO, TEXT, "yesterday")), SEND_RETRY, "",
		    "lookup: SMx has no date_created we can read" },
		{ "a match without a date", 200, "{\"messages\": [{\"sid\": \"SMx\","
		    " \"to\": \"" TO "\", \"body\": \"" TEXT "\"}]}", SEND_RETRY, "",
		    "lookup: SMx has no date_created we can read" },
		{ "malformed JSON", 200, "{\"messages\": [", SEND_RETRY, "",
		    "lookup: HTTP 200 without a list of messages" },
		{ "no list", 200, "{\"messages\": {}}", SEND_RETRY, "",
		    "lookup: HTTP 200 without a list of messages" },
		{ "empty body", 200, NULL, SEND_RETRY, "",
		    "lookup: HTTP 200 without a list of messages" },
		{ "503", 503, "<html>Service Unavailable</html>", SEND_RETRY, "",
		    "lookup: HTTP 503" },
		{ "500 with Twilio's error", 500, "{\"code\": 20500, \"message\":"
		    " \"Internal Server Error\", \"status\": 500}", SEND_RETRY, "",
		    "lookup: code 20500: Internal Server Error" },
		{ "429", 429, "{\"code\": 20429, \"message\": \"Too Many Requests\"}",
		    SEND_RETRY, "", "lookup: code 20429: Too Many Requests" },
		{ "no answer", -1, NULL, SEND_RETRY, "", "" },
		{ "401: cannot list, send again", 401, "{\"code\": 20003,"
		    " \"message\": \"Authenticate\"}", SEND_UNSENT, "",
		    "lookup: code 20003: Authenticate" },
		{ "404: cannot list, send again", 404, "not json", SEND_UNSENT, "",
		    "lookup: HTTP 404" },
	};
	static const char *const known[] = { "SMlater", "SMknown" };
	struct fx		*f = *state;
	struct outmsg		 m = { 7, TO, TEXT, NULL };
	struct lookup		 q = { &m, LOOKUP_SINCE, known, nitems(known) };
	struct send_result	 r;
	size_t			 i;

	assert_non_null(f->sms.ad->ops->lookup_result);
	for (i = 0; i < nitems(rows); i++) {
		memset(&r, 0xa5, sizeof(r));	/* lookup_result must set every field */
		f->sms.ad->ops->lookup_result(&f->sms, rows[i].status, rows[i].body,
		    rows[i].body ? strlen(rows[i].body) : 0, &q, &r);
		if (r.outcome != rows[i].outcome)
			fail_msg("%s: outcome %d, want %d", rows[i].name, r.outcome,
			    rows[i].outcome);
		if (strcmp(r.provider_id, rows[i].provider_id) != 0)
			fail_msg("%s: provider_id \"%s\"", rows[i].name, r.provider_id);
		if (strcmp(r.error, rows[i].error) != 0)
			fail_msg("%s: error \"%s\", want \"%s\"", rows[i].name,
			    r.error, rows[i].error);
		if (r.opted_out)
			fail_msg("%s: opted_out", rows[i].name);
	}
}
#undef TO
#undef TEXT
#undef AT

/* --- wechat_group -------------------------------------------------------- */

static int
group_verify(struct channel *ch, const char *body, const char *sig)
{
	struct http_req	 req;
	struct hdr	 hdrs[] = { { "X-Minyi-Signature", sig }, { NULL, NULL } };

	req_init(&req, "/webhooks/groups", "", sig != NULL ? hdrs : NULL);
	req.body = body;
	req.body_len = strlen(body);
	return ch->ad->ops->verify(ch, &req);
}

static void
test_group_signature(void **state)
{
	struct fx	*f = *state;
	const char	*body = "{\"msg_id\":\"m1\",\"text\":\"路灯\"}";
	char		 sig[65], upper[65], other[65];
	size_t		 i;

	hmac_hex(GROUP_SECRET, body, strlen(body), sig);
	assert_int_equal(group_verify(&f->groups, body, sig), 0);
	for (i = 0; i < sizeof(sig); i++)
		upper[i] = (char)toupper((unsigned char)sig[i]);
	assert_int_equal(group_verify(&f->groups, body, upper), 0);
	/* another body, another secret, cut, missing */
	assert_int_equal(group_verify(&f->groups, "{\"msg_id\":\"m2\"}", sig), -1);
	hmac_hex("not-the-secret", body, strlen(body), other);
	assert_int_equal(group_verify(&f->groups, body, other), -1);
	sig[63] = '\0';
	assert_int_equal(group_verify(&f->groups, body, sig), -1);
	assert_int_equal(group_verify(&f->groups, body, ""), -1);
	assert_int_equal(group_verify(&f->groups, body, NULL), -1);
}

static void
test_group_signature_known_value(void **state)
{
	/* RFC 4231 test case 2: key "Jefe", "what do ya want for nothing?" */
	(void)state;
	assert_int_equal(adapter_hmac_sha256_check("Jefe",
	    "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), 0);
	assert_int_equal(adapter_hmac_sha256_check("Jefe",
	    "what do ya want for nothing!", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), -1);
}

/* A bridge payload with text and mentions (a JSON array, or NULL). */
static char *
group_payload(const char *text, const char *mentions)
{
	json_t	*o = json_object(), *s = json_object();
	char	*out;

	json_object_set_new(o, "msg_id", json_string("wxm-1"));
	json_object_set_new(o, "group_id", json_string("wxg-001"));
	json_object_set_new(s, "id", json_string("wx-li"));
	json_object_set_new(s, "name", json_string("李大姐"));
	json_object_set_new(s, "mobile", json_string("13800138000"));
	json_object_set_new(o, "sender", s);
	json_object_set_new(o, "text", json_string(text));
	if (mentions != NULL)
		json_object_set_new(o, "mentions", json_loads(mentions, 0, NULL));
	out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return out;
}

struct addr_row {
	const char	*text;
	const char	*mentions;
	bool		 addressed;
	const char	*want;
};

static void
test_group_addressed_and_stripped(void **state)
{
	static const struct addr_row rows[] = {
		{ "@民意助手\u2005村口路灯不亮", "[]", true, "村口路灯不亮" },
		{ "@民意助手 村口路灯不亮", NULL, true, "村口路灯不亮" },
		{ "路灯坏了 @民意助手", NULL, true, "路灯坏了" },
		{ "路灯坏了", "[\"民意助手\"]", true, "路灯坏了" },
		{ "路灯坏了", "[\"@民意助手\"]", true, "路灯坏了" },
		{ "#诉求 村口路灯不亮", NULL, true, "村口路灯不亮" },
		{ "\u3000#诉求\u3000路灯", NULL, true, "路灯" },
		{ "@民意助手\u2005#诉求 水管漏水", NULL, true, "水管漏水" },
		{ "#诉求@民意助手\u2005水管漏水", NULL, true, "水管漏水" },
		{ "@民意助手", NULL, true, "" },
		{ "今天天气不错", "[\"张三\"]", false, "今天天气不错" },
		{ "我说#诉求不对", NULL, false, "我说#诉求不对" },
		{ "@民意 路灯", NULL, false, "@民意 路灯" },
		{ "  空格留着  ", NULL, false, "  空格留着  " },
	};
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			*body, err[160];
	size_t			 i;

	for (i = 0; i < nitems(rows); i++) {
		body = group_payload(rows[i].text, rows[i].mentions);
		assert_int_equal(parse_body(&f->groups, body, &b, err, sizeof(err)), 0);
		assert_int_equal(b.nmsgs, 1);
		if (b.msgs[0].addressed != rows[i].addressed)
			fail_msg("row %zu: addressed %d", i, b.msgs[0].addressed);
		if (strcmp(b.msgs[0].text, rows[i].want) != 0)
			fail_msg("row %zu: text \"%s\", want \"%s\"", i,
			    b.msgs[0].text, rows[i].want);
		inbound_batch_clear(&b);
		free(body);
	}
}

static void
test_group_parse_fields(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			*body = group_payload("@民意助手 路灯", NULL), err[160];

	assert_int_equal(parse_body(&f->groups, body, &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].provider_id, "wxm-1");
	assert_string_equal(b.msgs[0].from, "groups:wx-li");
	assert_string_equal(b.msgs[0].group_id, "wxg-001");
	assert_string_equal(b.msgs[0].sender_name, "李大姐");
	assert_null(b.msgs[0].to);
	assert_string_equal(b.msgs[0].sender_mobile, "+8613800138000");
	/* params are what was received, nothing added */
	assert_null(json_object_get(b.msgs[0].params, "sender_mobile"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    b.msgs[0].params, "sender"), "id")), "wx-li");
	inbound_batch_clear(&b);
	free(body);
}

/*
 * A signed body that carries its own "sender_mobile" (a deputy's number)
 * is received as it was sent: the member's mobile is only ever derived
 * from sender.mobile, never read from what came.
 */
static void
test_group_sender_mobile_is_derived_only(void **state)
{
	static const char *const mobiles[] = { "\"13800138000\"", "\"12\"",
	    "null", NULL };
	static const char *const want[] = { "+8613800138000", NULL, NULL, NULL };
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			*body, err[160];
	size_t			 i;

	for (i = 0; i < nitems(mobiles); i++) {
		body = xasprintf("{\"msg_id\": \"m\", \"group_id\": \"wxg-001\","
		    " \"sender_mobile\": \"+8613900139000\","
		    " \"sender\": {\"id\": \"wx-li\"%s%s,"
		    " \"sender_mobile\": \"+8613900139000\"}, \"text\": \"@民意助手 接单 1\"}",
		    mobiles[i] ? ", \"mobile\": " : "", mobiles[i] ? mobiles[i] : "");
		assert_int_equal(parse_body(&f->groups, body, &b, err,
		    sizeof(err)), 0);
		if (want[i] == NULL ? b.msgs[0].sender_mobile != NULL :
		    b.msgs[0].sender_mobile == NULL ||
		    strcmp(b.msgs[0].sender_mobile, want[i]) != 0)
			fail_msg("row %zu: sender_mobile %s", i,
			    b.msgs[0].sender_mobile ? b.msgs[0].sender_mobile : "(null)");
		assert_string_equal(json_string_value(json_object_get(
		    b.msgs[0].params, "sender_mobile")), "+8613900139000");
		inbound_batch_clear(&b);
		free(body);
	}
}

struct bad_row {
	const char	*body;
	const char	*want;		/* in the reason */
};

static void
test_group_parse_rejects(void **state)
{
	static const struct bad_row rows[] = {
		{ "", "empty body" },
		{ "{\"msg_id\": ", "body is not JSON" },
		{ "[1, 2]", "expected a JSON object" },
		{ "\"text\"", "body is not JSON" },
		{ "{\"group_id\": \"g\", \"sender\": {\"id\": \"u\"}, \"text\": \"t\"}",
		    "msg_id is missing" },
		{ "{\"msg_id\": 7, \"group_id\": \"g\", \"sender\": {\"id\": \"u\"}, \"text\": \"t\"}",
		    "msg_id: expected a non-empty string" },
		{ "{\"msg_id\": \"\", \"group_id\": \"g\", \"sender\": {\"id\": \"u\"}, \"text\": \"t\"}",
		    "msg_id: expected a non-empty string" },
		{ "{\"msg_id\": \"m\", \"sender\": {\"id\": \"u\"}, \"text\": \"t\"}",
		    "group_id is missing" },
		{ "{\"msg_id\": \"m\", \"group_id\": \"g\", \"sender\": {\"id\": \"u\"}}",
		    "text is missing" },
		{ "{\"msg_id\": \"m\", \"group_id\": \"g\", \"sender\": {\"id\": \"u\"}, \"text\": 5}",
		    "text: expected a string" },
		{ "{\"msg_id\": \"m\", \"group_id\": \"g\", \"sender\": \"u\", \"text\": \"t\"}",
		    "sender: expected an object" },
		{ "{\"msg_id\": \"m\", \"group_id\": \"g\", \"sender\": {\"name\": \"n\"}, \"text\": \"t\"}",
		    "sender.id is missing" },
		{ "{\"msg_id\": \"m\", \"group_id\": \"g\", \"sender\": {\"id\": \"u\"}, \"text\": \"t\", \"mentions\": \"bot\"}",
		    "mentions: expected an array" },
		/* Jansson refuses what is not UTF-8 */
		{ "{\"msg_id\": \"m\", \"group_id\": \"g\", \"sender\": {\"id\": \"u\"}, \"text\": \"\xff\xfe\"}",
		    "body is not JSON" },
	};
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];
	size_t			 i;

	for (i = 0; i < nitems(rows); i++) {
		if (parse_body(&f->groups, rows[i].body, &b, err, sizeof(err)) != -1)
			fail_msg("row %zu parsed", i);
		if (strstr(err, rows[i].want) == NULL)
			fail_msg("row %zu: reason \"%s\" lacks \"%s\"", i, err,
			    rows[i].want);
		assert_int_equal(b.nmsgs, 0);
		inbound_batch_clear(&b);
	}
}

static void
test_group_parse_unknown_fields_and_long_text(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	struct buf		 big;
	json_t			*o;
	char			*body, err[160];
	int			 i;

	buf_init(&big, 0);
	buf_addstr(&big, "@民意助手 ");
	for (i = 0; i < 4000; i++)
		buf_addstr(&big, "灯");
	body = group_payload(buf_str(&big), "[]");
	o = json_loads(body, 0, NULL);
	json_object_set_new(o, "extra", json_pack("{s:[i,i]}", "x", 1, 2));
	free(body);
	body = json_dumps(o, JSON_COMPACT);
	assert_int_equal(parse_body(&f->groups, body, &b, err, sizeof(err)), 0);
	assert_int_equal(strlen(b.msgs[0].text), 12000);
	assert_non_null(json_object_get(b.msgs[0].params, "extra"));
	inbound_batch_clear(&b);
	json_decref(o);
	free(body);
	buf_free(&big);
}

static void
test_group_check_problems(void **state)
{
	struct config_errors errs;

	(void)state;
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": [{\"id\": \"g\", \"adapter\": \"wechat_group\", \"keyword\": 3}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	assert_true(has_problem(&errs, "channels[0].bot_name: required key missing"));
	assert_true(has_problem(&errs, "channels[0].keyword: expected a non-empty string"));
	assert_true(has_problem(&errs, "channels[0].secret_env: required key missing"));
	assert_int_equal(errs.n, 3);
	config_errors_free(&errs);
}

/* --- sim: this machine only --------------------------------------------- */

static void
test_sim_check_needs_loopback_listen(void **state)
{
	static const struct {
		const char	*listen;
		bool		 ok;
	} rows[] = {
		{ "127.0.0.1:8080", true },
		{ "127.0.0.2:0", true },
		{ "localhost:8080", true },
		{ "[::1]:8080", true },
		{ "0.0.0.0:8080", false },
		{ "192.0.2.2:8080", false },
		{ "[::]:8080", false },
		{ "[fd00::2]:8080", false },
	};
	struct config_errors	 errs;
	char			*json;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		json = xasprintf("{\"server\": {\"listen\": \"%s\","
		    " \"public_url\": \"https://minyi.example.org\","
		    " \"admin_token_env\": \"T\"},"
		    " \"channels\": [{\"id\": \"sms\", \"adapter\": \"sim\"},"
		    " {\"id\": \"sim\", \"adapter\": \"sim\"}],"
		    " \"deputies\": [], \"townships\": [], \"grids\": [],"
		    " \"categories\": []}", rows[i].listen);
		errs = check_problems(json);
		if (rows[i].ok ? errs.n != 0 : errs.n != 2 ||
		    !has_problem(&errs, "channels[1]: the sim channel lets anyone "
		    "write as any number: it needs server.listen on a loopback address"))
			fail_msg("listen %s: %zu problems%s%s", rows[i].listen,
			    errs.n, errs.n ? ", first: " : "",
			    errs.n ? errs.lines[0] : "");
		config_errors_free(&errs);
		free(json);
	}
}

static void
test_peer_is_loopback(void **state)
{
	static const struct {
		const char	*addr;
		bool		 loopback;
	} rows[] = {
		{ "127.0.0.1", true },
		{ "127.255.0.9", true },
		{ "::1", true },
		{ "::ffff:127.0.0.1", true },
		{ "128.0.0.1", false },
		{ "10.0.0.1", false },
		{ "192.0.2.2", false },
		{ "0.0.0.0", false },
		{ "::", false },
		{ "::2", false },
		{ "fd00::2", false },
		{ "::ffff:192.0.2.2", false },
		{ "::127.0.0.1", false },	/* IPv4-compatible: not mapped */
	};
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;
	size_t			 i;
	bool			 got;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		memset(&ss, 0, sizeof(ss));
		if (inet_pton(AF_INET, rows[i].addr, &s4->sin_addr) == 1)
			s4->sin_family = AF_INET;
		else {
			assert_int_equal(inet_pton(AF_INET6, rows[i].addr,
			    &s6->sin6_addr), 1);
			s6->sin6_family = AF_INET6;
		}
		got = adapter_peer_is_loopback((struct sockaddr *)&ss);
		if (got != rows[i].loopback)
			fail_msg("%s: loopback %d", rows[i].addr, got);
		if (adapter_host_is_loopback(rows[i].addr) != rows[i].loopback)
			fail_msg("host %s: loopback %d", rows[i].addr, !got);
	}
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	assert_false(adapter_peer_is_loopback((struct sockaddr *)&ss));
	assert_false(adapter_peer_is_loopback(NULL));
	assert_true(adapter_host_is_loopback("localhost"));
	assert_false(adapter_host_is_loopback("example.org"));
	assert_false(adapter_host_is_loopback(NULL));
}

static void
test_group_address(void **state)
{
	struct group_address	 ga;
	char			*s;

	(void)state;
	s = adapter_group_address_format("wxg-001", "+8613800138000",
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K|1");
	assert_string_equal(s, "wxg-001|+8613800138000|"
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K|1");
	assert_int_equal(adapter_group_address_parse(s, &ga), 0);
	assert_string_equal(ga.group_id, "wxg-001");
	assert_string_equal(ga.member, "+8613800138000");
	assert_string_equal(ga.webhook_url,
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K|1");
	adapter_group_address_clear(&ga);
	free(s);

	s = adapter_group_address_format("g", NULL, "https://h/");
	assert_string_equal(s, "g||https://h/");
	assert_int_equal(adapter_group_address_parse(s, &ga), 0);
	assert_string_equal(ga.member, "");
	adapter_group_address_clear(&ga);
	free(s);

	assert_null(adapter_group_address_format("a|b", "m", "https://h/"));
	assert_null(adapter_group_address_format("g", "m|n", "https://h/"));
	assert_null(adapter_group_address_format("", "m", "https://h/"));
	assert_null(adapter_group_address_format("g", "m", ""));
	assert_int_equal(adapter_group_address_parse("+8613800138000", &ga), -1);
	assert_int_equal(adapter_group_address_parse("g|m", &ga), -1);
	assert_int_equal(adapter_group_address_parse("|m|https://h/", &ga), -1);
	assert_int_equal(adapter_group_address_parse("g|m|", &ga), -1);
	assert_null(ga.group_id);
}

/* Build a group reply to addr with body; returns the parsed JSON body. */
static json_t *
group_build(struct channel *ch, const char *addr, const char *body,
    struct http_call *call)
{
	struct outmsg	 m = { 1, addr, body, NULL };
	char		 err[160];
	json_t		*root;

	memset(call, 0, sizeof(*call));
	if (ch->ad->ops->build(ch, &m, call, err, sizeof(err)) != 0)
		fail_msg("build: %s", err);
	root = json_loads(call->body, 0, NULL);
	assert_non_null(root);
	return root;
}

static void
test_group_build_mobile(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	json_t			*root, *text;

	root = group_build(&f->groups, "wxg-001|+8613800138000|"
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY",
	    "您的诉求已受理，编号 42", &call);
	assert_string_equal(call.url,
	    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY");
	assert_null(call.userpwd);
	assert_string_equal(call.headers[0], "Content-Type: application/json");
	assert_string_equal(json_string_value(json_object_get(root, "msgtype")), "text");
	text = json_object_get(root, "text");
	assert_string_equal(json_string_value(json_object_get(text, "content")),
	    "您的诉求已受理，编号 42");
	assert_string_equal(json_string_value(json_array_get(json_object_get(text,
	    "mentioned_mobile_list"), 0)), "13800138000");
	assert_null(json_object_get(text, "mentioned_list"));
	json_decref(root);
	http_call_clear(&call);
}

static void
test_group_build_member_and_nobody(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	json_t			*root, *text;

	root = group_build(&f->groups, "wxg-001|wx-li|https://h.example/hook",
	    "好的", &call);
	text = json_object_get(root, "text");
	assert_string_equal(json_string_value(json_array_get(json_object_get(text,
	    "mentioned_list"), 0)), "wx-li");
	assert_null(json_object_get(text, "mentioned_mobile_list"));
	json_decref(root);
	http_call_clear(&call);

	root = group_build(&f->groups, "wxg-001||https://h.example/hook", "好的", &call);
	text = json_object_get(root, "text");
	assert_null(json_object_get(text, "mentioned_list"));
	assert_null(json_object_get(text, "mentioned_mobile_list"));
	json_decref(root);
	http_call_clear(&call);
}

static void
test_group_build_cuts_at_2048_bytes(void **state)
{
	struct fx		*f = *state;
	struct http_call	 call;
	struct buf		 big;
	json_t			*root;
	const char		*content;
	int			 i;

	buf_init(&big, 0);
	for (i = 0; i < 1000; i++)
		buf_addstr(&big, "路");	/* 3000 bytes */
	root = group_build(&f->groups, "g|wx-li|https://h/", buf_str(&big), &call);
	content = json_string_value(json_object_get(json_object_get(root, "text"),
	    "content"));
	assert_int_equal(strlen(content), 2046);	/* 682 whole characters */
	assert_true(utf8_valid(content, strlen(content)));
	json_decref(root);
	http_call_clear(&call);

	buf_reset(&big);
	for (i = 0; i < 2047; i++)
		buf_addstr(&big, "a");
	buf_addstr(&big, "路");		/* straddles byte 2048 */
	root = group_build(&f->groups, "g|wx-li|https://h/", buf_str(&big), &call);
	content = json_string_value(json_object_get(json_object_get(root, "text"),
	    "content"));
	assert_int_equal(strlen(content), 2047);
	json_decref(root);
	http_call_clear(&call);

	buf_reset(&big);
	for (i = 0; i < 2048; i++)
		buf_addstr(&big, "b");		/* exactly fits */
	root = group_build(&f->groups, "g|wx-li|https://h/", buf_str(&big), &call);
	content = json_string_value(json_object_get(json_object_get(root, "text"),
	    "content"));
	assert_int_equal(strlen(content), 2048);
	json_decref(root);
	http_call_clear(&call);
	buf_free(&big);
}

static void
test_group_build_rejects(void **state)
{
	static const char *const addrs[] = {
		"+8613800138000",		/* a phone, not a group address */
		"g|m",
		"g|m|ftp://h/",
	};
	struct fx		*f = *state;
	struct http_call	 call;
	struct outmsg		 m = { 1, NULL, "hi", NULL };
	char			 err[160];
	size_t			 i;

	for (i = 0; i < nitems(addrs); i++) {
		memset(&call, 0, sizeof(call));
		m.to = addrs[i];
		if (f->groups.ad->ops->build(&f->groups, &m, &call, err,
		    sizeof(err)) != -1)
			fail_msg("address %zu built", i);
		http_call_clear(&call);
	}
}

static void
test_group_result(void **state)
{
	static const struct result_row rows[] = {
		{ 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", SEND_OK, "", "", false },
		{ 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}",
		    SEND_RETRY, "", "errcode 45009: api freq out of limit", false },
		{ 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}",
		    SEND_FAIL, "", "errcode 93000: invalid webhook url", false },
		{ 200, "<html></html>", SEND_FAIL, "", "HTTP 200 without an errcode", false },
		{ 404, "{}", SEND_FAIL, "", "HTTP 404", false },
		{ 429, NULL, SEND_RETRY, "", "HTTP 429", false },
		{ 502, "bad gateway", SEND_RETRY, "", "HTTP 502", false },
		{ -1, NULL, SEND_RETRY, "", "", false },
	};
	struct fx	*f = *state;

	run_result_rows(&f->groups, rows, nitems(rows));
}

/* --- hotline ------------------------------------------------------------- */

static void
test_hotline_segments_in_time_order(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];

	assert_int_equal(parse_body(&f->hotline,
	    "{\"call_id\": \"c1\", \"caller\": \"138 0013 8000\", \"segments\": ["
	    " {\"speaker\": \"caller\", \"text\": \"坏了三天\", \"begin_ms\": 5000},"
	    " {\"speaker\": \"agent\", \"text\": \"请讲\", \"begin_ms\": 0},"
	    " {\"speaker\": \"caller\", \"text\": \" 村口路灯不亮。 \", \"begin_ms\": 1000},"
	    " {\"speaker\": \"caller\", \"text\": \"   \", \"begin_ms\": 6000},"
	    " {\"speaker\": \"caller\", \"text\": \"请快修\", \"begin_ms\": 9000},"
	    " {\"speaker\": \"caller\", \"text\": \"谢谢\", \"begin_ms\": 9000}]}",
	    &b, err, sizeof(err)), 0);
	assert_int_equal(b.nmsgs, 1);
	assert_string_equal(b.msgs[0].provider_id, "c1");
	assert_string_equal(b.msgs[0].from, "+8613800138000");
	assert_string_equal(b.msgs[0].text, "村口路灯不亮。坏了三天，请快修，谢谢");
	assert_true(b.msgs[0].addressed);
	assert_non_null(json_object_get(b.msgs[0].params, "segments"));
	inbound_batch_clear(&b);
}

static void
test_hotline_summary_wins_unless_empty(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];

	assert_int_equal(parse_body(&f->hotline,
	    "{\"call_id\": \"c2\", \"caller\": \"13800138000\", \"summary\": \"停水\","
	    " \"segments\": [{\"speaker\": \"caller\", \"text\": \"水\", \"begin_ms\": 1}]}",
	    &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].text, "停水");
	inbound_batch_clear(&b);
	assert_int_equal(parse_body(&f->hotline,
	    "{\"call_id\": \"c3\", \"caller\": \"13800138000\", \"summary\": \"\u3000 \","
	    " \"segments\": [{\"speaker\": \"caller\", \"text\": \"水\", \"begin_ms\": 1}]}",
	    &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].text, "水");
	inbound_batch_clear(&b);
	assert_int_equal(parse_body(&f->hotline,
	    "{\"call_id\": \"c4\", \"caller\": \"13800138000\", \"summary\": null,"
	    " \"segments\": [{\"speaker\": \"caller\", \"text\": \"水\"}]}",
	    &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].text, "水");
	inbound_batch_clear(&b);
}

static const char *const aliyun_call =
    "{\"call_id\": \"c5\", \"caller\": \"13800138000\", \"Result\": {\"Sentences\": ["
    " {\"ChannelId\": 0, \"BeginTime\": 0, \"EndTime\": 900, \"Text\": \"您好\"},"
    " {\"ChannelId\": 1, \"BeginTime\": 4000, \"EndTime\": 5000, \"Text\": \"三天了\"},"
    " {\"ChannelId\": 1, \"BeginTime\": 1000, \"EndTime\": 3000, \"Text\": \"桥护栏断了\"},"
    " {\"ChannelId\": 0, \"BeginTime\": 6000, \"EndTime\": 7000, \"Text\": \"马上派人\"}]}}";

static void
test_hotline_aliyun_channels(void **state)
{
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];

	/* "hotline" says caller_channel_id 1 */
	assert_int_equal(parse_body(&f->hotline, aliyun_call, &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].text, "桥护栏断了，三天了");
	inbound_batch_clear(&b);
	/* "hl-signed" has the default, 0 */
	assert_int_equal(parse_body(&f->hlsigned, aliyun_call, &b, err, sizeof(err)), 0);
	assert_string_equal(b.msgs[0].text, "您好，马上派人");
	inbound_batch_clear(&b);
}

static void
test_hotline_rejects(void **state)
{
	static const struct bad_row rows[] = {
		{ "", "empty body" },
		{ "{", "body is not JSON" },
		{ "[]", "expected a JSON object" },
		{ "{\"caller\": \"13800138000\", \"summary\": \"s\"}", "call_id is missing" },
		{ "{\"call_id\": 5, \"caller\": \"13800138000\", \"summary\": \"s\"}",
		    "call_id: expected a non-empty string" },
		{ "{\"call_id\": \"c\", \"summary\": \"s\"}", "caller is missing" },
		{ "{\"call_id\": \"c\", \"caller\": 13800138000, \"summary\": \"s\"}",
		    "caller: expected a phone number" },
		{ "{\"call_id\": \"c\", \"caller\": \"12\", \"summary\": \"s\"}",
		    "caller \"****12\": too short" },
		/* masked, valid or not: the reason is logged */
		{ "{\"call_id\": \"c\", \"caller\": \"1380013800\\nx\", \"summary\": \"s\"}",
		    "caller \"138001****00\nx\": " },
		/* replies go by SMS: a foreign caller is not the county's */
		{ "{\"call_id\": \"c\", \"caller\": \"+1 202 555 0143\", \"summary\": \"s\"}",
		    "caller \"+12025****0143\": not a number of region CN" },
		{ "{\"call_id\": \"c\", \"caller\": \"+852 6123 4567\", \"summary\": \"s\"}",
		    "not a number of region CN" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"summary\": 3}",
		    "summary: expected a string" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\"}", "no words from the caller" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"segments\": []}",
		    "no words from the caller" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"segments\": {}}",
		    "segments: expected an array" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"segments\": [3]}",
		    "segments[0]: expected an object" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"segments\": [{\"text\": \"t\"}]}",
		    "segments[0].speaker: expected a string" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"segments\": [{\"speaker\": \"caller\", \"text\": 1}]}",
		    "segments[0].text: expected a string" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"segments\": [{\"speaker\": \"caller\", \"text\": \"t\", \"begin_ms\": \"0\"}]}",
		    "segments[0].begin_ms: expected milliseconds" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"Result\": []}",
		    "Result: expected an object" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"Result\": {}}",
		    "Result.Sentences: expected an array" },
		{ "{\"call_id\": \"c\", \"caller\": \"13800138000\", \"Result\": {\"Sentences\": [{\"ChannelId\": \"1\", \"Text\": \"t\"}]}}",
		    "Result.Sentences[0].ChannelId: expected an integer" },
	};
	struct fx		*f = *state;
	struct inbound_batch	 b;
	char			 err[160];
	size_t			 i;

	for (i = 0; i < nitems(rows); i++) {
		if (parse_body(&f->hotline, rows[i].body, &b, err, sizeof(err)) != -1)
			fail_msg("row %zu parsed", i);
		if (strstr(err, rows[i].want) == NULL)
			fail_msg("row %zu: reason \"%s\" lacks \"%s\"", i, err,
			    rows[i].want);
		assert_int_equal(b.nmsgs, 0);
		inbound_batch_clear(&b);
	}
}

static void
test_hotline_parse_call_public(void **state)
{
	struct fx	*f = *state;
	struct channel	 ch;
	struct inbound	 m;
	json_t		*call;
	char		 err[160];

	/* as import-hotline may use it: conf and cfg only, no adapter_open */
	memset(&ch, 0, sizeof(ch));
	ch.ad = &adapter_hotline;
	ch.conf = config_channel(f->cfg, "hotline");
	ch.cfg = f->cfg;
	call = json_loads(aliyun_call, 0, NULL);
	assert_int_equal(hotline_parse_call(&ch, call, &m, err, sizeof(err)), 0);
	assert_string_equal(m.provider_id, "c5");
	assert_string_equal(m.text, "桥护栏断了，三天了");
	assert_ptr_equal(m.params, call);	/* a new reference to the call */
	inbound_clear(&m);
	json_object_del(call, "caller");
	assert_int_equal(hotline_parse_call(&ch, call, &m, err, sizeof(err)), -1);
	assert_null(m.from);
	assert_null(m.params);
	json_decref(call);
}

static void
test_hotline_signature_or_allow_from(void **state)
{
	struct fx	*f = *state;
	struct http_req	 req;
	const char	*body = "{\"call_id\": \"c\"}";
	char		 sig[65];

	/* "hotline" has allow_from 127.0.0.1 and ::1, no secret */
	assert_int_equal(group_verify(&f->hotline, body, NULL), 0);
	req_init(&req, "/webhooks/hotline", "", NULL);
	req.body = body;
	req.body_len = strlen(body);
	req.remote_addr = "::1";
	assert_int_equal(f->hotline.ad->ops->verify(&f->hotline, &req), 0);
	req.remote_addr = "192.0.2.7";
	assert_int_equal(f->hotline.ad->ops->verify(&f->hotline, &req), -1);
	req.remote_addr = NULL;
	assert_int_equal(f->hotline.ad->ops->verify(&f->hotline, &req), -1);
	/* "hl-signed" has a secret */
	assert_int_equal(group_verify(&f->hlsigned, body, NULL), -1);
	hmac_hex(GROUP_SECRET, body, strlen(body), sig);
	assert_int_equal(group_verify(&f->hlsigned, body, sig), 0);
	sig[0] = sig[0] == '0' ? '1' : '0';
	assert_int_equal(group_verify(&f->hlsigned, body, sig), -1);
}

static void
test_hotline_no_outbound(void **state)
{
	struct fx	*f = *state;

	assert_null(f->hotline.ad->ops->build);
	assert_null(f->hotline.ad->ops->result);
	assert_false(adapter_is_local(&f->hotline));
	assert_false(adapter_reaches_phones(&f->hotline));
	assert_int_equal(f->hotline.ad->flags, AD_F_DIRECT);	/* a call is a whole request */
}

static void
test_hotline_check_problems(void **state)
{
	struct config_errors errs;

	(void)state;
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": ["
	    "  {\"id\": \"h1\", \"adapter\": \"hotline\"},"
	    "  {\"id\": \"h2\", \"adapter\": \"hotline\", \"reply_channel\": \"g\","
	    "   \"caller_channel_id\": -1},"
	    "  {\"id\": \"h3\", \"adapter\": \"hotline\", \"reply_channel\": \"h1\","
	    "   \"caller_channel_id\": \"1\"},"
	    "  {\"id\": \"h4\", \"adapter\": \"hotline\", \"reply_channel\": \"s\","
	    "   \"caller_channel_id\": 2},"
	    "  {\"id\": \"g\", \"adapter\": \"wechat_group\", \"bot_name\": \"b\","
	    "   \"secret_env\": \"X\"},"
	    "  {\"id\": \"s\", \"adapter\": \"sim\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	assert_true(has_problem(&errs, "channels[0].reply_channel: required key missing"));
	assert_true(has_problem(&errs, "channels[1].reply_channel: channel \"g\" (adapter wechat_group)"));
	assert_true(has_problem(&errs, "channels[1].caller_channel_id: expected"));
	assert_true(has_problem(&errs, "channels[2].reply_channel: channel \"h1\" (adapter hotline)"));
	assert_true(has_problem(&errs, "channels[2].caller_channel_id: expected"));
	/* none of h1..h4 is guarded */
	assert_true(has_problem(&errs, "channels[0]: a hotline needs secret_env "
	    "(signed requests) or allow_from"));
	assert_true(has_problem(&errs, "channels[3]: a hotline needs secret_env"));
	assert_int_equal(errs.n, 9);
	config_errors_free(&errs);
	errs = check_problems("{\"server\": {\"listen\": \"127.0.0.1:8080\"},"
	    " \"channels\": ["
	    "  {\"id\": \"h1\", \"adapter\": \"hotline\", \"reply_channel\": \"s\","
	    "   \"secret_env\": \"X\"},"
	    "  {\"id\": \"h2\", \"adapter\": \"hotline\", \"reply_channel\": \"s\","
	    "   \"allow_from\": [\"192.0.2.0/24\"]},"
	    "  {\"id\": \"h3\", \"adapter\": \"hotline\", \"reply_channel\": \"s\","
	    "   \"allow_from\": [\"nowhere\"]},"
	    "  {\"id\": \"h4\", \"adapter\": \"hotline\", \"reply_channel\": \"s\","
	    "   \"allow_from\": []},"
	    "  {\"id\": \"s\", \"adapter\": \"sim\"}],"
	    " \"deputies\": [], \"townships\": [], \"grids\": [], \"categories\": []}");
	assert_true(has_problem(&errs, "channels[2].allow_from[0]: expected an IPv4"));
	assert_true(has_problem(&errs, "channels[3].allow_from: expected a non-empty array"));
	assert_int_equal(errs.n, 2);
	config_errors_free(&errs);
}

/* --- captured payloads: tests/data/<adapter>/NNNN-*.json -----------------
 *
 * Each file is {"about", "sub", "form" (a form request) or "body" (JSON
 * object, sent as its compact text), "expect": {"error": "reason part"}
 * or {"msgs": [...], "receipts": [...]}}.  Expected message keys are
 * struct inbound field names (null: the field is NULL); "params.KEY"
 * looks into params (null: no such key).
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
	if (strcmp(key, "group_id") == 0)
		return m->group_id;
	if (strcmp(key, "sender_name") == 0)
		return m->sender_name;
	if (strcmp(key, "sender_mobile") == 0)
		return m->sender_mobile;
	fail_msg("fixture: unknown message key %s", key);
	return NULL;
}

static void
fixture_check_msg(const char *file, const struct inbound *m, json_t *want)
{
	const char	*key, *got;
	json_t		*v;

	json_object_foreach(want, key, v) {
		if (strcmp(key, "addressed") == 0) {
			if (json_is_true(v) != m->addressed)
				fail_msg("%s: addressed %d", file, m->addressed);
		} else if (strcmp(key, "media") == 0) {
			if (!json_equal(v, m->media))
				fail_msg("%s: media differ", file);
		} else if (strncmp(key, "params.", 7) == 0) {
			json_t *p = json_object_get(m->params, key + 7);
			if (json_is_null(v) ? p != NULL : !json_equal(v, p))
				fail_msg("%s: %s differs", file, key);
		} else if (json_is_null(v)) {
			if ((got = inbound_field(m, key)) != NULL)
				fail_msg("%s: %s \"%s\", want none", file, key, got);
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
fixture_run(struct channel *ch, const char *file)
{
	struct inbound_batch	 b;
	struct http_req		 req;
	json_t			*fx, *expect, *msgs, *receipts, *body, *v;
	json_error_t		 jerr;
	const char		*sub, *want;
	char			*text = NULL, err[256];
	size_t			 i;
	int			 rc;

	if ((fx = json_load_file(file, 0, &jerr)) == NULL)
		fail_msg("%s: %s", file, jerr.text);
	sub = json_string_value(json_object_get(fx, "sub"));
	req_init(&req, "/webhooks/x", sub ? sub : "", NULL);
	req.form = json_object_get(fx, "form");
	if ((body = json_object_get(fx, "body")) != NULL) {
		text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
		req.body = text;
		req.body_len = strlen(text);
	}
	memset(&b, 0, sizeof(b));
	err[0] = '\0';
	rc = ch->ad->ops->parse(ch, &req, &b, err, sizeof(err));
	expect = json_object_get(fx, "expect");
	if ((want = json_string_value(json_object_get(expect, "error"))) != NULL) {
		if (rc != -1 || strstr(err, want) == NULL)
			fail_msg("%s: rc %d reason \"%s\", want \"%s\"", file, rc,
			    err, want);
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
	json_decref(fx);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .json fixture of DATA_DIR/dir through ch; at least one. */
static void
fixtures_run(struct channel *ch, const char *dir)
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
	assert_true(n > 0);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		fixture_run(ch, names[i]);
		free(names[i]);
	}
	free(names);
	free(path);
}

static void
test_fixtures_twilio(void **state)
{
	fixtures_run(&((struct fx *)*state)->sms, "twilio");
}

static void
test_fixtures_wechat_group(void **state)
{
	fixtures_run(&((struct fx *)*state)->groups, "wechat_group");
}

static void
test_fixtures_hotline(void **state)
{
	fixtures_run(&((struct fx *)*state)->hotline, "hotline");
}

static void
test_registry(void **state)
{
	(void)state;
	assert_ptr_equal(adapter_lookup("twilio"), &adapter_twilio);
	assert_ptr_equal(adapter_lookup("wechat_group"), &adapter_wechat_group);
	assert_ptr_equal(adapter_lookup("hotline"), &adapter_hotline);
	assert_int_equal(adapter_twilio.flags, AD_F_FORM_BODY);
	assert_int_equal(adapter_wechat_group.flags, AD_F_GROUP);
	assert_string_equal(adapter_twilio.ok_type, "text/xml");
	assert_string_equal(adapter_twilio.ok_body,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
	assert_string_equal(adapter_wechat_group.ok_body, "{\"ok\":true}");
	assert_string_equal(adapter_hotline.ok_type, "application/json");
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		T(test_check_example_style_config_is_clean),
		cmocka_unit_test(test_check_example_config_is_clean),
		cmocka_unit_test(test_twilio_signature_vectors),
		cmocka_unit_test(test_twilio_signature_sdk_url_variants),
		T(test_twilio_signature_repeated_params),
		T(test_twilio_signature_body_sha256),
		T(test_twilio_signature_param_order_irrelevant),
		T(test_twilio_signature_tampered_param),
		T(test_twilio_signature_wrong_token),
		T(test_twilio_signature_missing_header),
		cmocka_unit_test(test_twilio_check_problems),
		T(test_twilio_init_needs_token),
		T(test_twilio_parse_inbound),
		T(test_twilio_parse_rejects),
		T(test_twilio_parse_sid_format),
		T(test_twilio_parse_repeated_fields),
		cmocka_unit_test(test_adapter_form_add),
		T(test_twilio_parse_not_a_form),
		T(test_twilio_parse_media_only),
		T(test_twilio_parse_invalid_utf8_body),
		T(test_twilio_parse_long_body),
		T(test_twilio_status_mapping),
		T(test_twilio_status_error_code),
		T(test_twilio_build),
		T(test_twilio_build_defaults_and_no_callback),
		T(test_twilio_result),
		T(test_twilio_lookup_build),
		T(test_twilio_lookup_result),
		T(test_group_signature),
		cmocka_unit_test(test_group_signature_known_value),
		T(test_group_addressed_and_stripped),
		T(test_group_parse_fields),
		T(test_group_sender_mobile_is_derived_only),
		T(test_group_parse_rejects),
		T(test_group_parse_unknown_fields_and_long_text),
		cmocka_unit_test(test_group_check_problems),
		cmocka_unit_test(test_sim_check_needs_loopback_listen),
		cmocka_unit_test(test_peer_is_loopback),
		cmocka_unit_test(test_group_address),
		T(test_group_build_mobile),
		T(test_group_build_member_and_nobody),
		T(test_group_build_cuts_at_2048_bytes),
		T(test_group_build_rejects),
		T(test_group_result),
		T(test_hotline_segments_in_time_order),
		T(test_hotline_summary_wins_unless_empty),
		T(test_hotline_aliyun_channels),
		T(test_hotline_rejects),
		T(test_hotline_parse_call_public),
		T(test_hotline_signature_or_allow_from),
		T(test_hotline_no_outbound),
		cmocka_unit_test(test_hotline_check_problems),
		cmocka_unit_test_setup_teardown(test_sms_channel, setup, teardown),
		T(test_fixtures_twilio),
		T(test_fixtures_wechat_group),
		T(test_fixtures_hotline),
	};

	log_init(-1);
	setenv("TEST_TWILIO_TOKEN", TWILIO_TOKEN, 1);
	setenv("TEST_TWILIO_TOKEN2", "54321", 1);
	setenv("TEST_GROUP_SECRET", GROUP_SECRET, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
