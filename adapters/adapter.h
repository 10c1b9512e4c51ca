/*
 * adapters/adapter.h: one file per channel, each exporting one
 * `const struct adapter` (the type: name, flags, ops), registered in
 * adapter.c's adapters[] like curl's protocol handlers.  A `struct channel`
 * is one configured instance of an adapter.
 *
 * An adapter turns a provider's webhook request into inbound messages and
 * delivery receipts, checks its signature, validates its own config keys,
 * and builds and reads outbound calls.  It knows nothing of the store or of
 * dialogs: gateway/ wires it to them.
 *
 * May include: lib/, config/.  Included by: gateway/.
 */
#ifndef MINYI_ADAPTER_H
#define MINYI_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../config/config.h"

struct sockaddr;

/* A webhook request as an adapter sees it.  Everything is borrowed and
 * valid only during the call. */
struct http_req {
	const char	*method;
	const char	*path;		/* "/webhooks/sms/status", no query */
	const char	*query;		/* raw query string, or NULL */
	const char	*sub;		/* path after "/webhooks/{id}": "", "/status", "/<secret>" */
	const char	*body;		/* raw body, NUL-terminated */
	size_t		 body_len;
	const char	*remote_addr;	/* "127.0.0.1" */
	json_t		*form;		/* form fields, or NULL if not a form: name ->
					 * string, or name -> array of strings (in the
					 * order sent) for a name sent more than once;
					 * built by adapter_form_add */
	/* Request header by name (case-insensitive), or NULL. */
	const char	*(*header)(const struct http_req *, const char *name);
	void		*hctx;		/* for header() */
};

/* One inbound message.  Strings are from malloc(); inbound_clear frees. */
struct inbound {
	char	*provider_id;	/* the provider's message id, or NULL */
	char	*from;		/* E.164, or "<channel>:<member id>" for group members */
	char	*to;		/* our number, or NULL */
	char	*text;		/* valid UTF-8 */
	char	*group_id;	/* group channels: the group, else NULL */
	char	*sender_name;	/* display name, or NULL */
	char	*sender_mobile;	/* groups: the member's mobile in E.164, derived by
				 * the adapter from what it received, or NULL;
				 * never read from params */
	json_t	*params;	/* every provider field as received (new ref), or
				 * NULL: nothing the adapter derived is added */
	json_t	*media;		/* JSON array of media URLs (new ref), or NULL */
	bool	 addressed;	/* spoke to us: always true on one-to-one channels */
};

/* A delivery receipt for an outbound message. */
struct receipt {
	char	*provider_id;	/* from malloc() */
	char	*status;	/* queued, sent, delivered, undelivered, failed */
	char	*error;		/* provider error code, or NULL */
};

/* What one webhook request carried: messages and/or receipts. */
struct inbound_batch {
	struct inbound	*msgs;		/* from malloc() */
	size_t		 nmsgs;
	struct receipt	*receipts;	/* from malloc() */
	size_t		 nreceipts;
};

/* One outbound message, as the sender hands it to an adapter.  Borrowed. */
struct outmsg {
	int64_t		 id;		/* outbox row id */
	const char	*to;		/* outbox address: E.164, or as the adapter wrote it */
	const char	*body;		/* UTF-8 text */
	const char	*status_url;	/* public URL of this channel's /status webhook */
};

/*
 * The group address.  On AD_F_GROUP channels the shell writes an outbox
 * "to" as
 *
 *	<group_id>|<member>|<webhook_url>
 *
 * group_id is the bridge's group id, member is who the reply @mentions:
 * an E.164 mobile ("+8613800138000") or the bridge's member id ("wx-li"),
 * or "" to mention nobody, and webhook_url is the group robot's webhook
 * (config grids[].groups[].webhook_url).  group_id and member hold no '|';
 * the URL is everything after the second '|', so it may.
 */
struct group_address {
	char	*group_id;	/* from malloc() */
	char	*member;	/* from malloc(); "" for nobody */
	char	*webhook_url;	/* from malloc() */
};

/*
 * The HTTP call an adapter builds for one outbound message; the sender
 * performs it with libcurl.  Strings are from malloc(); http_call_clear frees.
 */
#define HTTP_CALL_MAX_HEADERS 8
struct http_call {
	char	*url;
	char	*body;				/* POST body, or NULL for none */
	char	*headers[HTTP_CALL_MAX_HEADERS];	/* "Name: value" */
	size_t	 nheaders;
	char	*userpwd;			/* basic auth "user:password", or NULL */
};

enum send_outcome {
	SEND_OK,		/* accepted by the provider */
	SEND_RETRY,		/* network trouble, 429, 5xx: try again later */
	SEND_FAIL,		/* refused for good: do not retry */
	SEND_UNSENT		/* lookups only: the provider has no such message */
};

struct send_result {
	enum send_outcome outcome;
	char		 provider_id[128];	/* the provider's id for the message */
	char		 error[160];		/* provider code and text, when not OK */
	bool		 opted_out;		/* the recipient unsubscribed */
};

/*
 * A lookup: did the provider accept a message whose call a crash cut
 * short?  The sender marks a row "sending" (the claim) before it calls;
 * a crash between the provider's answer and the commit of "sent" leaves
 * it so.  Borrowed, valid during the call.
 */
#define LOOKUP_KNOWN_MAX 100	/* provider ids in known, at most */
struct lookup {
	const struct outmsg *msg;	/* to and body as they were sent */
	int64_t		 since;		/* epoch seconds of the claim: the provider's
					 * copy, if any, was made after it */
	const char *const *known;	/* provider ids of the recipient's earlier
					 * messages on this channel, newest first:
					 * none of them is this one */
	size_t		 nknown;
};

struct channel;

struct adapter_ops {
	/* Validate the adapter's own keys of cc (JSON path prefix given). */
	void	(*check)(const struct config *, const struct channel_conf *cc,
		    const char *path, struct config_errors *);
	/*
	 * Optional: validate the values of the secrets cc's *_env keys name
	 * (a URL secret's length, say), for serve and check-config once
	 * config_check_env has found the variables set; one problem each.
	 */
	void	(*check_env)(const struct config *, const struct channel_conf *cc,
		    const char *path, struct config_errors *);
	/* Ready a channel: read secrets, allocate ctx.  0 or -1 (logged). */
	int	(*init)(struct channel *);
	void	(*cleanup)(struct channel *);
	/* Authenticity of a webhook: 0 genuine, -1 forbidden (403). */
	int	(*verify)(struct channel *, const struct http_req *);
	/* Parse a webhook into batch.  0, or -1 with a reason (400). */
	int	(*parse)(struct channel *, const struct http_req *,
		    struct inbound_batch *, char *err, size_t errsz);
	/* Build the provider call for one message.  0, or -1 with a reason
	 * (the message then fails for good). */
	int	(*build)(struct channel *, const struct outmsg *, struct http_call *,
		    char *err, size_t errsz);
	/* Read the provider's answer (status -1: no HTTP answer at all). */
	void	(*result)(struct channel *, long status, const char *body,
		    size_t len, struct send_result *);
	/*
	 * Optional, both or neither: an adapter whose provider lists the
	 * messages it accepted.  With them a message left "sending" by a crash
	 * is looked up at the next start rather than sent again, so it reaches
	 * the provider once; without them it is sent again (at least once).
	 * lookup_build builds the call that asks for q's message: 0, or -1
	 * with a reason.  lookup_result reads its answer (status -1: no HTTP
	 * answer) into r: SEND_OK with the provider's id when the provider has
	 * the message, SEND_UNSENT when it has not (send it), or SEND_RETRY
	 * with the reason when it cannot tell now (ask again later).
	 */
	int	(*lookup_build)(struct channel *, const struct lookup *q,
		    struct http_call *, char *err, size_t errsz);
	void	(*lookup_result)(struct channel *, long status, const char *body,
		    size_t len, const struct lookup *q, struct send_result *r);
};

#define AD_F_FORM_BODY	0x01	/* webhooks are application/x-www-form-urlencoded */
#define AD_F_LOCAL	0x02	/* no provider: outbound is kept locally (sim) */
#define AD_F_GROUP	0x04	/* messages come from groups, addresses are members */
#define AD_F_DIRECT	0x08	/* each message is a whole request: no dialog */

struct adapter {
	const char		*name;		/* as written in config */
	const struct adapter_ops *ops;
	/* The channel keys of its own that it (or gateway/ for it) reads,
	 * NULL-terminated; any other key but the common ones of config.c's
	 * channel_keys is an unknown key.  NULL: none. */
	const char *const	*keys;
	unsigned		 flags;		/* AD_F_* */
	const char		*ok_type;	/* content type of the 2xx answer */
	const char		*ok_body;	/* body of the 2xx answer */
};

/* A configured channel: the adapter (type) plus this instance's config. */
struct channel {
	const struct adapter	*ad;
	const struct channel_conf *conf;	/* borrowed from the config */
	const struct config	*cfg;		/* borrowed */
	void			*ctx;		/* the adapter's own, from init */
};

/* adapter.c */
const struct adapter	*adapter_lookup(const char *name);
/* Check every channel's adapter name and keys, unknown keys too;
 * appends problems. */
void	 adapter_check_config(const struct config *, struct config_errors *);
/* Every channel's check_env op (the secrets' values); appends problems. */
void	 adapter_check_env(const struct config *, struct config_errors *);
/* Open a channel for cc; 0 or -1 (logged).  adapter_init/cleanup call the
 * optional ops. */
int	 adapter_open(struct channel *, const struct config *, const struct channel_conf *cc);
void	 adapter_close(struct channel *);
bool	 adapter_is_local(const struct channel *);
/* The adapter has lookup_build and lookup_result: a send a crash cut
 * short is looked up at the provider, not made again. */
bool	 adapter_can_lookup(const struct channel *);
/* Sends to a phone number (SMS or sim), not to a group or nowhere. */
bool	 adapter_reaches_phones(const struct channel *);
/* Whether a peer's address is this machine's own: 127.0.0.0/8, ::1, or
 * an IPv4-mapped 127.0.0.0/8.  NULL or another family: false. */
bool	 adapter_peer_is_loopback(const struct sockaddr *);
/* The same for a host as written in server.listen: "localhost", an IPv4
 * or an IPv6 address (without brackets). */
bool	 adapter_host_is_loopback(const char *host);
/* The channel id that reaches a number that never wrote (代办, dialog.
 * sms_channel): the one named, else the config's only SMS channel, else
 * NULL.  Borrowed from the config. */
const char *adapter_sms_channel(const struct config *);
void	 inbound_clear(struct inbound *);
void	 inbound_batch_clear(struct inbound_batch *);
/* Append a new zeroed message or receipt to a batch; borrowed pointer. */
struct inbound	*inbound_batch_add(struct inbound_batch *);
struct receipt	*inbound_batch_add_receipt(struct inbound_batch *);
void	 http_call_clear(struct http_call *);
int	 http_call_header(struct http_call *, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* A JSON object key that must be a non-empty string when present. */
const char	*adapter_conf_str(const struct channel_conf *, const char *key);
/*
 * For check ops: cc's key as a non-empty string (borrowed), or NULL; a
 * problem "path.key: ..." when it is missing and required, or not a
 * non-empty string.
 */
const char	*adapter_check_string(const struct channel_conf *cc, const char *path,
		    const char *key, bool required, struct config_errors *);
/*
 * The group address for (group_id, member, webhook_url), as a new string
 * (caller frees); NULL when group_id or the URL is empty, or group_id or
 * member holds a '|'.  member may be NULL or "" for nobody.
 */
char	*adapter_group_address_format(const char *group_id, const char *member,
	    const char *webhook_url);
/* Split a group address into ga (clear with adapter_group_address_clear);
 * 0, or -1 when it is not one (ga then holds nothing). */
int	 adapter_group_address_parse(const char *addr, struct group_address *ga);
void	 adapter_group_address_clear(struct group_address *);
/*
 * 0 when sighex is the hex HMAC-SHA256 of data under secret (either
 * case), compared in constant time; -1 otherwise, or when sighex is NULL.
 * The X-Minyi-Signature of the bridge and of the hotline.
 */
int	 adapter_hmac_sha256_check(const char *secret, const void *data,
	    size_t len, const char *sighex);
/*
 * Add one whole form field to form (an object, see struct http_req): the
 * value is len bytes, every piece of it already joined, and is checked as
 * UTF-8 only now (invalid bytes become U+FFFD, never stored raw).  A name
 * sent again turns its value into an array of every value in order.
 * 0, or -1 when name is not UTF-8 (form unchanged).
 */
int	 adapter_form_add(json_t *form, const char *name, const char *value,
	    size_t len);

/* hotline.c */
/*
 * One call transcript (borrowed) into out (cleared first; on success the
 * caller owns its strings and frees them with inbound_clear; on -1 out
 * holds nothing and err says why).  Used by the hotline webhook and by
 * `minyi import-hotline` for each JSON Lines record.  Two shapes:
 *	{"call_id", "caller", "segments": [{"speaker", "text", "begin_ms"}],
 *	 "summary", ...}
 *	{"call_id", "caller", "Result": {"Sentences": [{"ChannelId",
 *	 "BeginTime", "Text"}]}}	(Alibaba Cloud recording-file recognition)
 * Only ch->conf and ch->cfg are read (not ctx), so a caller that needs no
 * signature secret may fill those two itself instead of adapter_open.
 */
int	 hotline_parse_call(const struct channel *ch, json_t *call,
	    struct inbound *out, char *err, size_t errsz);

/* push.c: shared by providers that push unsigned callbacks (aliyun_sms,
 * tencent_sms): the URL secret and allow-list, their common config keys,
 * push parsing helpers, stable ids and the cut with the sign. */
#define PUSH_SECRET_MIN		16	/* characters of the URL secret */
#define PUSH_BATCH_MAX		1000	/* items in one push */
#define PUSH_SEGMENTS_MAX	7	/* 7 × 67 = 469: a long SMS is cut at 500 */
#define PUSH_SEGMENTS_DEF	2
#define PUSH_SIGN_MAX		20	/* characters of sign_name */

/* One allow_from entry: an address and how many leading bits count. */
struct push_net {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];
	unsigned	 bits;
};

/*
 * Who may push to a channel: the URL secret and the allow-list.  Held in
 * the adapter's ctx; push_guard_init fills it, push_guard_clear frees.
 */
struct push_guard {
	char		*secret;	/* the URL secret, from malloc() */
	struct push_net	*allow;		/* from malloc(); NULL: any address */
	size_t		 nallow;
};

/* The config keys the push helpers read, for the adapters' keys lists. */
#define PUSH_CONFIG_KEYS \
	"secret_env", "allow_from", "sign_name", "api_base", "max_segments"
/* For check ops: secret_env (required) and allow_from (optional: a
 * non-empty array of IPv4/IPv6 addresses and CIDR blocks). */
void	 push_guard_check(const struct channel_conf *cc, const char *path,
	    struct config_errors *);
/* For check_env ops: the secret secret_env names, when set, is a valid URL
 * secret (push_secret_valid). */
void	 push_guard_check_env(const struct config *, const struct channel_conf *cc,
	    const char *path, struct config_errors *);
/*
 * allow_from of cc: absent, or a non-empty array of addresses and CIDR
 * blocks.  With nets non-NULL, the parsed entries go there (caller frees
 * *nets; NULL when absent).  0, or -1 with a problem "path.allow_from..."
 * appended to errs when errs is non-NULL.  The hotline uses it too.
 */
int	 push_allow_load(const struct channel_conf *cc, const char *path,
	    struct config_errors *errs, struct push_net **nets, size_t *nnets);
/* Read the secret secret_env names and allow_from into g; 0, or -1
 * (logged; g then holds nothing).  check has run. */
int	 push_guard_init(struct push_guard *g, const struct channel *ch);
void	 push_guard_clear(struct push_guard *g);	/* cleanses the secret */
/* 0 when req comes from an allowed address and its first path segment
 * is the secret; -1 otherwise (and when g holds no secret). */
int	 push_guard_verify(const struct push_guard *g, const struct http_req *req);
/* Whether remote (textual IPv4 or IPv6; NULL: none) is in g's list, an
 * IPv4-mapped IPv6 address matching IPv4 entries too.  No list: any. */
bool	 push_guard_allows(const struct push_guard *g, const char *remote);
/* "192.0.2.7", "10.0.0.0/8", "2001:db8::1" or "2001:db8::/32" into n; 0,
 * or -1 when s is none of these. */
int	 push_net_parse(const char *s, struct push_net *n);
/* A URL secret: PUSH_SECRET_MIN or more of A-Z a-z 0-9 - . _ ~. */
bool	 push_secret_valid(const char *s);
/* Whether the first segment of sub ("/<secret>" or "/<secret>/<kind>")
 * is secret; both are hashed first, then compared in constant time. */
bool	 push_sub_secret_ok(const char *secret, const char *sub);
/* For check ops: sign_name, required, without 【】, at most PUSH_SIGN_MAX
 * characters. */
void	 push_sign_check(const struct channel_conf *cc, const char *path,
	    struct config_errors *);
/* For check ops: api_base (optional, an http(s) URL with a host) and
 * max_segments. */
void	 push_send_check(const struct channel_conf *cc, const char *path,
	    struct config_errors *);
/* The host[:port] of an http(s) URL as a new string (caller frees), or
 * NULL if none. */
char	*push_url_host(const char *s);
/* max_segments: absent (*out PUSH_SEGMENTS_DEF), or 1 to
 * PUSH_SEGMENTS_MAX; 0, or -1 when it is something else. */
int	 push_max_segments(const struct channel_conf *cc, int *out);
/* api_base, or def, without trailing slashes: a new string; caller frees. */
char	*push_api_base(const struct channel_conf *cc, const char *def);
/* The kind sub names after the secret: 1 for "/<secret>/<kind1>", 2 for
 * kind2, 0 for none (or "/"), -1 for anything else. */
int	 push_sub_kind(const char *sub, const char *kind1, const char *kind2);
/* The body as JSON (new reference), or NULL with "empty body" or "body is
 * not JSON: ..." in err. */
json_t	*push_body_load(const struct http_req *req, char *err, size_t errsz);
/* 0 when the array items holds 1 to PUSH_BATCH_MAX items; -1 with the
 * reason otherwise. */
int	 push_batch_size(json_t *items, char *err, size_t errsz);
/*
 * item[key] as a string: 0 with *out borrowed (NULL when absent or null
 * and not required), or -1 with "<where>key ..." as the reason.
 */
int	 push_field_str(json_t *item, const char *where, const char *key,
	    bool required, bool empty_ok, const char **out, char *err, size_t errsz);
/*
 * item[key] as an id: a non-empty string or an integer, as a new string
 * (caller frees) in *out; NULL when absent and not required.  0 or -1.
 */
int	 push_field_id(json_t *item, const char *where, const char *key,
	    bool required, char **out, char *err, size_t errsz);
/* A stable id for a message that comes without one: the hex SHA-256 of
 * its fields (NULL as ""), each ended by a NUL.  New; caller frees. */
char	*push_hash_id(const char *const *fields, size_t n);
/* Move every message and receipt of from to the end of to; from is
 * emptied (its arrays freed). */
void	 push_batch_move(struct inbound_batch *to, struct inbound_batch *from);
/* Whether to is "+" and 6 to 15 digits. */
bool	 push_is_e164(const char *to);
/*
 * The longest prefix of text that fits max_segments SMS parts once the
 * provider has put 【sign】 before it: every character (UTF-16 unit)
 * counts alike, sign and brackets included, 70 for one part and 67 a part
 * beyond.  Cut at a character boundary, never refused.  New; caller frees.
 */
char	*push_fit(const char *sign, const char *text, int max_segments);
/*
 * msg's text fitted with push_fit (the cut logged) as a new string
 * (caller frees), or NULL with the reason when msg->to is no E.164 number
 * or the text is missing or not UTF-8.
 */
char	*push_build_text(const struct channel *ch, const struct outmsg *msg,
	    const char *sign, int max_segments, char *err, size_t errsz);
/*
 * For result ops, r zeroed and the answer's Code and Message (or NULL and
 * "") read: true when the HTTP status alone decides r (no answer, 429 or
 * 5xx: SEND_RETRY, with "Code: Message" or "HTTP N" as the error), or the
 * answer has no Code (SEND_FAIL "HTTP N without a Code"); false when the
 * caller must judge the code.
 */
bool	 push_result_by_status(long status, const char *code,
	    const char *message, struct send_result *r);

/* The adapters. */
extern const struct adapter adapter_sim;
extern const struct adapter adapter_twilio;
extern const struct adapter adapter_wechat_group;
extern const struct adapter adapter_hotline;
extern const struct adapter adapter_aliyun_sms;
extern const struct adapter adapter_tencent_sms;

#endif /* MINYI_ADAPTER_H */
