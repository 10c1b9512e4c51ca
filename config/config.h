/*
 * config/config.h: the JSON configuration of DESIGN.md, loaded with Jansson,
 * validated as a whole (every problem is one line naming its JSON path, all
 * reported at once), with phone numbers normalised to E.164 at load, and the
 * built-in message templates (zh, en) that the config may override.
 *
 * May include: lib/.  Included by: dialogs/, adapters/, store/, gateway/.
 */
#ifndef MINYI_CONFIG_H
#define MINYI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../lib/lib.h"

/* A list of problems, one line each: "grids[2].deputies[0]: unknown deputy \"d-li\"". */
struct config_errors {
	char	**lines;	/* each from malloc() */
	size_t	  n;
	size_t	  cap;
};
void	 config_err(struct config_errors *, const char *path, const char *fmt, ...)
	    PRINTF_LIKE(3, 4);
void	 config_errors_free(struct config_errors *);

struct township {
	char	*id;
	char	*name;
	char	*name_en;	/* for English replies, or NULL: pinyin */
	char	*chair;		/* deputy id */
};

struct grid_group {
	char	*channel;	/* channel id */
	char	*group_id;	/* the bridge's group id */
	char	*webhook_url;	/* the group's robot webhook */
};

struct grid {
	char		 *id;
	char		 *name;
	char		 *name_en;	/* for English replies, or NULL: pinyin */
	char		 *township;	/* township id */
	char		**aliases;
	size_t		  naliases;
	char		**deputies;	/* deputy ids; the first gets new cases */
	size_t		  ndeputies;
	char		 *backup;	/* deputy id, or NULL */
	struct grid_group *groups;
	size_t		  ngroups;
	bool		  located;	/* location given: lat, lng */
	double		  lat, lng;	/* WGS 84 degrees, for the 代表 page's map */
};

struct deputy {
	char	*id;
	char	*name;
	char	*name_en;	/* for English replies, or NULL: pinyin */
	char	*phone;		/* E.164, normalised at load */
	char	*level;		/* province, city, county, township */
	char	*notify_channel; /* channel id, or NULL: see DESIGN */
	unsigned duty_days;	/* duty_weekdays: bit 0 Monday .. bit 6 Sunday */
};

/* staff[]: the county congress office (role county, every case) and
 * township presidium members and station clerks (their township's). */
enum staff_role {
	STAFF_COUNTY,
	STAFF_TOWNSHIP
};

struct staff_member {
	char		*id;
	char		*name;
	char		*phone;		/* E.164, normalised at load */
	enum staff_role	 role;
	char		*township;	/* township id when role is township, else NULL */
	char		*notify_channel; /* channel id, or NULL: as for deputies */
};

/* observers[]: 民情观察员 / 代办员 of a grid. */
struct observer {
	char	*id;
	char	*name;
	char	*phone;		/* E.164, normalised at load */
	char	*grid;		/* grid id */
};

struct department {
	char	*id;
	char	*name;
	char	*name_en;	/* for English replies, or NULL: pinyin */
	char	*phone;		/* E.164, normalised at load */
	int	 deadline_days;
	char	*notify_channel; /* channel id, or NULL */
	char	*type;		/* 民主评议 type: enforcement, management, service,
				 * window; NULL when not evaluated */
	char	*township;	/* township id of a 站所, or NULL (county-wide) */
};

struct category {
	char	 *id;
	char	 *name;
	char	 *name_en;
	char	**keywords;
	size_t	  nkeywords;
	char	 *department;	/* department id, or NULL */
	int	  tier;		/* 1..3 */
};

/*
 * A channel is kept generic: its id and adapter name, plus the JSON object
 * itself so that the adapter reads and validates its own keys.
 */
struct channel_conf {
	char	*id;
	char	*adapter;	/* adapter name, checked by adapters/ */
	json_t	*json;		/* borrowed from config->root */
	int	 rate_per_second; /* outbound pacing; 0 = unlimited */
	int	 max_attempts;	/* sender retries before dead; default 8 */
	int	 retry_base_seconds; /* first retry delay, doubled each time; default 2, 0 = at once */
	int	 lookup_grace_seconds; /* after a start, rows a crash left sending are
				  * looked up no sooner; default 20 */
};

struct config {
	json_t	*root;		/* new reference, owned */
	char	*path;		/* file it came from, or NULL */

	struct {
		char	*listen;	/* "127.0.0.1:8080" */
		char	*host;		/* parsed from listen */
		int	 port;		/* parsed from listen; 0 = ephemeral */
		char	*public_url;	/* no trailing slash */
		size_t	 max_body_bytes;
		char	*admin_token_env;
		int	 threads;	/* HTTP threads; default 4 */
		char	*tls_cert;	/* PEM file: serve HTTPS, or NULL */
		char	*tls_key;	/* PEM file, with tls_cert */
		int	 max_connections; /* open at once; default 4096 */
		int	 max_connections_per_ip; /* from one address; default 256, 0 = no cap */
		int	 idle_timeout_seconds; /* a silent connection is closed; default 30 */
		int	 header_timeout_seconds; /* a request's headers must be in; default 10 */
		int	 drain_seconds;	/* at SIGTERM, wait for the store this long; default 10 */
		char	*node_id;	/* this node among several on one store, or
					 * NULL: the host's name and listen */
		int	 node_timeout_seconds; /* a node silent this long is
					 * taken over; default 30 */
	} server;
	struct {
		char	*backend;	/* "sqlite" (default) or "postgresql" */
		char	*path;		/* sqlite */
		char	*synchronous;	/* sqlite: "FULL" (default) or "NORMAL" */
		char	*conninfo_env;	/* postgresql: the variable holding the
					 * libpq connection string */
		char	*read_conninfo_env; /* postgresql, optional: reports
					 * read from this (a standby) */
	} store;

	char	*region;		/* "CN" */
	char	*timezone;		/* "Asia/Shanghai" */
	char	*language;		/* "zh" or "en" */
	int	 quiet_start;		/* minutes after local midnight */
	int	 quiet_end;
	int	 idle_minutes;
	int	 duplicate_days;	/* dialog.duplicate_days: a resident's repeat */
	char	*fallback_hint;		/* dialog.fallback_hint: where else to go */
	char	*sms_channel;		/* dialog.sms_channel: the channel that reaches a
					 * number that never wrote (代办), or NULL */
	int	 accept_hours;
	int	 escalate_hours;
	int	 rating_hours;
	int	 per_sender_per_minute;	/* inbound messages from one sender */
	int	 cases_per_day;		/* cases one resident may open a day */

	struct channel_conf	*channels;
	size_t			 nchannels;
	struct township		*townships;
	size_t			 ntownships;
	struct grid		*grids;
	size_t			 ngrids;
	struct deputy		*deputies;
	size_t			 ndeputies;
	struct department	*departments;
	size_t			 ndepartments;
	struct staff_member	*staff;
	size_t			 nstaff;
	struct observer		*observers;
	size_t			 nobservers;
	struct category		*categories;
	size_t			 ncategories;

	json_t	*templates;	/* borrowed: {"zh": {key: text}, "en": {...}} or NULL */

	struct {			/* 民主评议 (evaluation.*) */
		double	 daily_weight;		/* 日常评议 share, default 0.2 */
		double	 concentrated_weight;	/* 集中评议 share, default 0.8 */
		int	 pool_min;		/* evaluators per township, 100 */
		int	 pool_max;		/* 120 */
		double	 quota_enterprise;	/* least share of kind enterprise, 0.2 */
		double	 quota_resident;	/* 0.2 */
		double	 quota_villager;	/* 0.3 */
		double	 quota_ordinary;	/* the three together, 0.7 */
		int64_t	 remind_before;		/* reminder before closes, in seconds:
						 * remind_before_minutes (720) x 60 */
		int	 choice_scores[3];	/* 1满意 2基本满意 3不满意: 100 80 0 */
		double	 flag_under;		/* flagged under this score, 80 */
		char	*channel;		/* channel id for evaluators', deputies'
						 * SMS; NULL: the first reaching phones */
	} evaluation;
	struct {			/* 民生实事票决 (vote.*) */
		double	 quorum;		/* share of deputies, default 2/3 */
	} vote;
	struct {			/* 履职考核 (assessment.*) */
		double	 weights[8];		/* points per unit: see ASSESS_* */
		double	 stars[4];		/* scores for 2..5 stars */
		double	 interview_below;	/* 约谈 under this year score */
		int	 visits_min;		/* 五个一: visits a year, 10 */
	} assessment;
	struct {			/* the workbench (console.*) */
		char	*tile_url;	/* map tiles, ".../{z}/{x}/{y}.png", or NULL */
		char	*tile_origin;	/* its scheme://host[:port], for the CSP */
	} console;
};

/* assessment.weights, in this order (config/README.md). */
enum assess_indicator {
	ASSESS_ACCEPTED_IN_TIME,	/* a case accepted within accept_hours */
	ASSESS_RESOLVED,		/* a case resolved */
	ASSESS_SATISFACTION,		/* per point of satisfaction (0..100) */
	ASSESS_STATION_DAYS,		/* a 进站 day */
	ASSESS_VISITS,			/* a resident visited (走访) */
	ASSESS_REPORTS,			/* a 社情民意 report */
	ASSESS_SUGGESTIONS,		/* a 建议 */
	ASSESS_INSPECTIONS,		/* a 视察 (inspection) joined */
	ASSESS_COUNT
};
extern const char *const config_assess_names[ASSESS_COUNT];

/* config.c */
/*
 * The checks of channels' own keys live with their adapters, above this
 * layer: the program registers them once at start (adapter_check_config,
 * or for serve and check-config gateway/'s check of everything serve
 * checks, secrets too) and config_load runs them too, so every problem is
 * listed in one pass.  The hook must skip channels whose "adapter" or
 * object is missing.
 */
typedef void	(*config_channel_check_fn)(const struct config *, struct config_errors *);
void		 config_set_channel_check(config_channel_check_fn);
/*
 * Load and validate.  Returns a new config (caller frees with config_free)
 * when there were no problems; otherwise NULL with every problem appended
 * to errs.  Adapter-specific channel keys are checked by adapters/.
 */
struct config	*config_load(const char *path, struct config_errors *errs);
struct config	*config_load_string(const char *json, struct config_errors *errs);
void		 config_free(struct config *);
/*
 * Unknown keys.  config_load checks every object but the channels against
 * the known-key tables in config.c, kept next to the code that reads each
 * key.  A channel's keys are its adapter's business: adapters/ checks them
 * with config_check_channel_keys, the common ones (id, adapter, ...) plus
 * adapter_keys (the adapter's own, NULL-terminated; NULL for none).  Each
 * unknown key is one problem "channels[0].auth_tokn_env: unknown key, did
 * you mean \"auth_token_env\"?" (the hint only when a known key is close).
 */
void		 config_check_channel_keys(struct config_errors *,
		    const struct channel_conf *, const char *path,
		    const char *const *adapter_keys);
/* Every "*_env" key (server.admin_token_env, channels[i].*_env) must name a
 * set, non-empty environment variable; one problem per missing one. */
int		 config_check_env(const struct config *, struct config_errors *);
const char	*config_secret(const char *envname);	/* getenv, NULL if empty */

/* Lookups by id: borrowed pointers into the config, or NULL. */
const struct channel_conf *config_channel(const struct config *, const char *id);
const struct township	*config_township(const struct config *, const char *id);
const struct grid	*config_grid(const struct config *, const char *id);
const struct deputy	*config_deputy(const struct config *, const char *id);
const struct deputy	*config_deputy_by_phone(const struct config *, const char *e164);
const struct department	*config_department(const struct config *, const char *id);
const struct department	*config_department_by_phone(const struct config *, const char *e164);
const struct category	*config_category(const struct config *, const char *id);
const struct staff_member *config_staff(const struct config *, const char *id);
const struct staff_member *config_staff_by_phone(const struct config *, const char *e164);
const struct observer	*config_observer(const struct config *, const char *id);
const struct observer	*config_observer_by_phone(const struct config *, const char *e164);
/* Is deputy d on duty (duty_weekdays) on ISO weekday wday, 1 Monday .. 7 Sunday? */
bool			 config_deputy_on_duty(const struct deputy *d, int wday);
/* The grid whose groups[] hold (channel, group_id), or NULL. */
const struct grid	*config_grid_by_group(const struct config *, const char *channel,
			    const char *group_id);

/* templates.c */
/*
 * The message text for key in lang ("zh" or "en"): the config's override if
 * any, else the built-in one, else the zh built-in.  Borrowed; never NULL
 * for a key that exists built in (fatal otherwise: a programming error).
 */
const char	*config_template(const struct config *, const char *lang, const char *key);
bool		 config_template_known(const char *key);
const char	*config_template_key(size_t i);	/* i-th built-in key; NULL past the end */
/*
 * 0 when every {name} placeholder in text is one the built-in template key
 * uses (in zh or en); else -1 with the first unknown name (no braces)
 * copied into bad.  Used to check the config's overrides.
 */
int		 config_template_check(const char *key, const char *text,
		    char *bad, size_t badsz);

#endif /* MINYI_CONFIG_H */
