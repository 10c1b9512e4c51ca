/*
 * console/console.h: the workbench (联络站工作台).  Accounts (minyi passwd,
 * Argon2id hashes in the store), sessions (a random token in a cookie, its
 * SHA-256 in the store, a CSRF token per session), the scope of what each
 * account may see, and the pages: static files from console/static and
 * the JSON they read under /console/api/.
 *
 * Sits beside gateway/ (STYLE's layers): it uses the gateway's request
 * accessors, readers and writer, and the store's queries; gateway/ calls
 * it only from its route table and its CLI.
 */
#ifndef MINYI_CONSOLE_H
#define MINYI_CONSOLE_H

#include "../gateway/gateway.h"

#define CONSOLE_COOKIE		"minyi_session"
#define CONSOLE_CSRF_HEADER	"X-CSRF-Token"
#define CONSOLE_IDLE_SECONDS	(8 * 3600)	/* a session ends after 8 idle hours */
#define CONSOLE_FAIL_WINDOW	(15 * 60)	/* failures counted over 15 minutes */
#define CONSOLE_FAIL_MAX	10		/* ...this many lock the account */
#define CONSOLE_LOCK_SECONDS	(15 * 60)	/* ...for 15 minutes */

enum console_kind {
	CONSOLE_COUNTY,		/* the admin token (and county staff): every case */
	CONSOLE_TOWNSHIP,	/* township staff: their township */
	CONSOLE_DEPUTY,		/* their grids' cases and the ones they hold */
	CONSOLE_DEPARTMENT	/* the cases dispatched to it */
};

/* Who is asking, and what they may see. */
struct console_who {
	enum console_kind kind;
	char		 id[128];	/* account id; "admin" for the bearer token */
	const char	*name;		/* borrowed from the config */
	const char	*township;	/* borrowed: township scope, or NULL */
	char		*grids;		/* JSON array text, from malloc(), or NULL */
	bool		 session;	/* by session cookie: CSRF applies */
	char		 csrf[80];	/* the session's CSRF token (hex) */
	char		 token_hash[65]; /* hex SHA-256 of the cookie's token */
	char		 supervised[STORE_SUPERVISED_MAX + 1]; /* a deputy's 票决
					 * projects, "17,23" (scope.supervised) */
	struct store_scope scope;	/* points into this struct and the config */
};
void	 console_who_free(struct console_who *);

/* account.c */
/*
 * The account a username names: a deputy, department (or staff) id, or
 * the phone number of one.  Fills who's kind, id, name and scope (for
 * config cfg, which must outlive who).  0, or -1 when nobody has it.
 */
int	 console_account_find(const struct config *, const char *username,
	    struct console_who *who);
/* minyi passwd --config FILE ID: the new password from stdin. */
int	 console_passwd(int argc, char **argv);

/* session.c */
/*
 * Who asks r: the bearer token (county scope) or a live session cookie.
 * 1 when known (who filled; console_who_free it), 0 when neither, -1 on
 * a store error.
 */
int	 console_auth(struct req *, struct gateway *, struct console_who *who);
/* For a state change: true unless who came by session cookie without the
 * session's CSRF token in the X-CSRF-Token header. */
bool	 console_csrf_ok(struct req *, const struct console_who *who);
enum MHD_Result console_login(struct req *, struct gateway *);
enum MHD_Result console_logout(struct req *, struct gateway *);

/* actions.c: POST /api/cases/{n}/actions; rest is "{n}/actions" */
enum MHD_Result console_case_action(struct req *, struct gateway *, const char *rest);
/* POST /api/cases: a walk-in (代办 by the account) */
enum MHD_Result console_case_create(struct req *, struct gateway *);

/* evaluation.c: GET /console/api/evaluation/{round} (民主评议 results) */
enum MHD_Result console_api_evaluation(struct req *, struct gateway *,
	    const char *round);

/* votes.c: GET /console/api/votes[/{id}] (票决 results; rest is "" or
 * the id) and GET /console/api/duty (履职考核), scoped to who's township */
enum MHD_Result console_api_votes(struct req *, struct gateway *,
	    const struct console_who *, const char *rest);
enum MHD_Result console_api_duty(struct req *, struct gateway *,
	    const struct console_who *);

/* pages.c */
/* Every GET and POST under /console (and GET /). */
enum MHD_Result console_route(struct req *, struct gateway *, const char *url,
	    const char *method);
/* Answer with a copy of body and the console's security headers. */
enum MHD_Result console_respond(struct req *, unsigned status, const char *ctype,
	    const char *body, size_t len, const char *cookie, const char *location);
enum MHD_Result console_json(struct req *, unsigned status, json_t *o,
	    const char *cookie);
/* A download: body with the console's headers and Content-Disposition. */
enum MHD_Result console_respond_file(struct req *, const char *ctype, const char *body,
	    size_t len, const char *disposition);

/* lists.c */
/* A period from the request's from and to (YYYY-MM-DD, the county's days,
 * both included; by default this month up to today). */
struct console_period {
	int64_t		 from;		/* the from day's local midnight */
	int64_t		 to;		/* the end of the to day */
	int		 offset;	/* seconds east of UTC at from */
	char		 from_day[16];
	char		 to_day[16];
	char		 error[96];	/* what was wrong, for a 400 */
};
int	 console_period(struct req *, struct gateway *, struct console_period *);
/* GET /console/api/lists: 三张清单 as JSON, CSV or XLSX. */
enum MHD_Result console_lists(struct req *, struct gateway *, const struct console_who *);

/* reports.c: GET /console/api/reports: the figures of `minyi report`. */
enum MHD_Result console_reports(struct req *, struct gateway *, const struct console_who *);

/* deputies.c: GET /console/api/deputies: the 代表 page. */
enum MHD_Result console_deputies(struct req *, struct gateway *, const struct console_who *);

#endif /* MINYI_CONSOLE_H */
