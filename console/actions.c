/*
 * actions.c: the staff commands through the API (the workbench's buttons,
 * and integrations).
 *
 * POST /api/cases/{number}/actions {"action": "accept" | "dispatch" |
 * "note" | "resolve" | "transfer" | "decline" | "escalate" | "triage" |
 * "press" | "close", ...} is the SMS command it stands for (接单, 派单,
 * 进展, 办结, 转, 退回, 上报, 分办, 督办, 结案), and POST /api/cases (a
 * walk-in: 接访日, 民意集市, a phoned-in request) is 代办.  Each is made
 * into a parsed command (struct staff_cmd: no text to parse again) and
 * run through the same staff_step and apply path as the SMS
 * (gateway_staff_command), in one writer job: the same checks, case
 * changes, events and notifications.  What the SMS would have answered the
 * sender comes back in the JSON: 200 (201 for a new case) when it moved,
 * 409 with the reason when the workflow refused it.  Outside the
 * account's scope: 403.  The session's CSRF token is required.
 */
#include "console.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../dialogs/dialogs.h"

#define ACTION_TEXT_MAX	1000	/* bytes of a note, result, reason or request */
#define ACTION_DEPTS_MAX 8	/* departments of one dispatch */

/* The JSON string member key of o, non-empty and under max bytes, or NULL. */
static const char *
member_text(json_t *o, const char *key, size_t max)
{
	const char	*s = json_string_value(json_object_get(o, key));

	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0' || strlen(s) > max)
		return NULL;
	return s;
}

static const struct {
	const char		*name;
	enum staff_cmd_kind	 kind;
	const char		*text;		/* the member that holds the text */
	bool			 need_text;
} action_defs[] = {
	{ "accept",	SC_ACCEPT,	NULL,	false },
	{ "dispatch",	SC_DISPATCH,	"instruction", false },
	{ "note",	SC_NOTE,	"text",	true },
	{ "resolve",	SC_RESOLVE,	"text",	true },
	{ "transfer",	SC_TRANSFER,	NULL,	false },
	{ "decline",	SC_DECLINE,	"text",	true },
	{ "escalate",	SC_ESCALATE,	"text",	false },
	{ "triage",	SC_TRIAGE,	NULL,	false },
	{ "press",	SC_PRESS,	"text",	true },
	{ "close",	SC_CLOSE,	"text",	true },
};

#define ACTION_NAMES "accept, dispatch, note, resolve, transfer, decline," \
	" escalate, triage, press, close"

/*
 * The command for the action in body, for case n, into cmd (caller
 * clears it): 0, or -1 with the reason for a 400 in why.
 */
static int
action_command(struct gateway *gw, json_t *body, long n, struct staff_cmd *cmd,
    const char **why)
{
	const char	*action = json_string_value(json_object_get(body, "action"));
	const char	*text = NULL, *s;
	json_t		*deps, *days, *v;
	struct buf	 b;
	size_t		 i, k;

	memset(cmd, 0, sizeof(*cmd));
	strlcpy(cmd->lang, "zh", sizeof(cmd->lang));
	cmd->number = n;
	*why = "action: expected one of " ACTION_NAMES;
	for (i = 0; action != NULL && i < nitems(action_defs); i++)
		if (strcmp(action, action_defs[i].name) == 0)
			break;
	if (action == NULL || i == nitems(action_defs))
		return -1;
	cmd->kind = action_defs[i].kind;
	if (action_defs[i].text != NULL &&
	    json_object_get(body, action_defs[i].text) != NULL &&
	    (text = member_text(body, action_defs[i].text, ACTION_TEXT_MAX)) == NULL) {
		*why = cmd->kind == SC_DISPATCH ? "instruction: expected text of at"
		    " most 1000 bytes" : "text: expected text of at most 1000 bytes";
		return -1;
	}
	if (action_defs[i].need_text && text == NULL) {
		*why = "text: required (at most 1000 bytes)";
		return -1;
	}
	cmd->text = text != NULL ? xstrdup(text) : NULL;
	switch (cmd->kind) {
	case SC_TRANSFER:
		if ((s = member_text(body, "to", 64)) == NULL ||
		    (config_deputy(gw->cfg, s) == NULL && config_grid(gw->cfg, s) == NULL)) {
			*why = "to: expected a deputy or grid id";
			return -1;
		}
		cmd->target = xstrdup(s);
		break;
	case SC_TRIAGE:
		if ((s = member_text(body, "grid", 64)) == NULL ||
		    config_grid(gw->cfg, s) == NULL) {
			*why = "grid: expected a grid id";
			return -1;
		}
		cmd->target = xstrdup(s);
		break;
	case SC_DISPATCH:
		deps = json_object_get(body, "departments");
		days = json_object_get(body, "days");
		if (!json_is_array(deps) || json_array_size(deps) == 0 ||
		    json_array_size(deps) > ACTION_DEPTS_MAX) {
			*why = "departments: expected a list of 1 to 8 department ids,"
			    " the lead first";
			return -1;
		}
		buf_init(&b, 0);
		json_array_foreach(deps, k, v) {
			if ((s = json_string_value(v)) == NULL ||
			    config_department(gw->cfg, s) == NULL) {
				buf_free(&b);
				*why = "departments: expected a list of department ids";
				return -1;
			}
			buf_printf(&b, "%s%s", k > 0 ? "," : "", s);
		}
		cmd->target = buf_steal(&b);
		if (days != NULL && !json_is_null(days) && (!json_is_integer(days) ||
		    json_integer_value(days) < 1 || json_integer_value(days) > 365)) {
			*why = "days: expected a number from 1 to 365";
			return -1;
		}
		cmd->days = json_is_integer(days) ? (int)json_integer_value(days) : 0;
		break;
	default:
		break;
	}
	*why = NULL;
	return 0;
}

struct action_job {
	struct gateway		*gw;
	const struct deputy	*d;		/* the actor: borrowed from the config */
	const struct department	*dp;
	const struct staff_member *sm;
	const struct staff_cmd	*cmd;
	const struct gateway_given *given;	/* a walk-in's, or NULL */
	uint64_t		 reqid;
	int64_t			 now;
	char			*reply;		/* out: from malloc() */
	long			 made;		/* out: a walk-in's new case */
	int			 changed;	/* out: 1 moved, 0 refused */
};

static int
action_job(struct store *st, void *arg)
{
	struct action_job	*j = arg;
	int			 rc;

	free(j->reply);		/* a rerun starts again */
	j->reply = NULL;
	rc = gateway_staff_command(st, j->gw, j->d, j->dp, j->sm, j->cmd, j->given,
	    &j->reply, &j->made, j->reqid, j->now);
	if (rc < 0)
		return -1;
	j->changed = rc;
	return 0;
}

/*
 * The config entry who acts as, into j: a deputy, a department or a staff
 * member.  false for the admin token, which has no one to act as.
 */
static bool
job_actor(struct gateway *gw, const struct console_who *who, struct action_job *j)
{
	switch (who->kind) {
	case CONSOLE_DEPUTY:
		j->d = config_deputy(gw->cfg, who->id);
		break;
	case CONSOLE_DEPARTMENT:
		j->dp = config_department(gw->cfg, who->id);
		break;
	case CONSOLE_COUNTY:
	case CONSOLE_TOWNSHIP:
		j->sm = config_staff(gw->cfg, who->id);
		break;
	}
	return j->d != NULL || j->dp != NULL || j->sm != NULL;
}

/* Who asks r, and may they change things: 1 yes (who filled; free it),
 * else the response is queued in *ret. */
static int
action_auth(struct req *r, struct gateway *gw, struct console_who *who,
    enum MHD_Result *ret)
{
	int	 rc;

	if ((rc = console_auth(r, gw, who)) <= 0) {
		*ret = rc < 0 ? http_req_error(r, 500, "store read failed") :
		    http_req_error(r, 401, "missing or wrong bearer token");
		return 0;
	}
	if (!console_csrf_ok(r, who)) {
		*ret = http_req_error(r, 403, "missing or wrong CSRF token");
		console_who_free(who);
		return 0;
	}
	return 1;
}

enum MHD_Result
console_case_action(struct req *r, struct gateway *gw, const char *rest)
{
	struct console_who	 who;
	struct action_job	 job;
	struct staff_cmd	 cmd;
	struct store		*st;
	json_t			*body = NULL, *o;
	json_error_t		 jerr;
	const char		*data, *why = NULL;
	char			*end;
	size_t			 len;
	long			 n;
	int64_t			 id;
	int			 rc;
	enum MHD_Result		 ret;

	memset(&job, 0, sizeof(job));
	memset(&cmd, 0, sizeof(cmd));
	if (!action_auth(r, gw, &who, &ret))
		return ret;
	errno = 0;
	n = strtol(rest, &end, 10);
	if (end == rest || strcmp(end, "/actions") != 0 || errno != 0 || n <= 0) {
		ret = http_req_error(r, 404, "no such resource");
		goto out;
	}
	data = http_req_body(r, &len);
	if ((body = json_loadb(data, len, 0, &jerr)) == NULL || !json_is_object(body)) {
		ret = http_req_error(r, 400, "expected a JSON object");
		goto out;
	}
	st = reader_pool_get(&gw->root->readers);
	rc = store_scope_case(st, &who.scope, n, &id);
	reader_pool_put(&gw->root->readers, st);
	if (rc != 1) {
		ret = rc == -2 ? http_req_error(r, 404, "no such case") : rc == 0 ?
		    http_req_error(r, 403, "case outside your scope") :
		    http_req_error(r, 500, "store read failed");
		goto out;
	}
	if (!job_actor(gw, &who, &job)) {
		ret = http_req_error(r, 403, "only a staff member's, a deputy's or a"
		    " department's account acts on cases");
		goto out;
	}
	if (action_command(gw, body, n, &cmd, &why) != 0) {
		ret = http_req_error(r, 400, why);
		goto out;
	}
	job.gw = gw;
	job.cmd = &cmd;
	job.reqid = http_req_id(r);
	job.now = time_now();
	if (store_writer_submit(gw->writer, action_job, &job) != 0) {
		ret = http_req_error(r, 500, "could not store the action; retry");
		goto out;
	}
	if (!job.changed) {
		ret = http_req_error(r, 409, job.reply);
		goto out;
	}
	o = json_pack("{s:I, s:s, s:s}", "number", (json_int_t)n, "action",
	    json_string_value(json_object_get(body, "action")), "reply", job.reply);
	ret = http_json(r, 200, o);
	json_decref(o);
out:
	gateway_sender_wake();
	free(job.reply);
	staff_cmd_clear(&cmd);
	json_decref(body);
	console_who_free(&who);
	return ret;
}

/* May who file a case in grid g?  Township staff in their township, a
 * deputy in their grids or the township they chair; the county office
 * anywhere. */
static bool
grid_in_scope(const struct config *cfg, const struct console_who *who,
    const struct grid *g)
{
	const char	*id;
	json_t		*a;
	size_t		 i;
	bool		 in = false;

	if (who->scope.all)
		return true;
	if (who->township != NULL && g->township != NULL &&
	    strcmp(who->township, g->township) == 0)
		return true;
	if (who->kind != CONSOLE_DEPUTY || who->grids == NULL ||
	    (a = json_loads(who->grids, 0, NULL)) == NULL)
		return false;
	for (i = 0; i < json_array_size(a) && !in; i++)
		in = (id = json_string_value(json_array_get(a, i))) != NULL &&
		    strcmp(id, g->id) == 0;
	json_decref(a);
	(void)cfg;
	return in;
}

enum MHD_Result
console_case_create(struct req *r, struct gateway *gw)
{
	struct console_who	 who;
	struct action_job	 job;
	struct staff_cmd	 cmd;
	struct gateway_given	 given;
	json_t			*body = NULL, *o, *v;
	json_error_t		 jerr;
	const char		*data, *s, *why = NULL, *text;
	char			 e164[64];
	size_t			 len;
	enum MHD_Result		 ret;

	memset(&job, 0, sizeof(job));
	memset(&cmd, 0, sizeof(cmd));
	memset(&given, 0, sizeof(given));
	if (!action_auth(r, gw, &who, &ret))
		return ret;
	data = http_req_body(r, &len);
	if ((body = json_loadb(data, len, 0, &jerr)) == NULL || !json_is_object(body)) {
		ret = http_req_error(r, 400, "expected a JSON object");
		goto out;
	}
	if ((s = member_text(body, "citizen", 64)) == NULL ||
	    phone_normalize(s, gw->cfg->region, e164, sizeof(e164), &why) != 0) {
		ret = http_req_error(r, 400, "citizen: expected the resident's phone"
		    " number");
		goto out;
	}
	if ((text = member_text(body, "text", ACTION_TEXT_MAX)) == NULL) {
		ret = http_req_error(r, 400, "text: required (at most 1000 bytes)");
		goto out;
	}
	if ((v = json_object_get(body, "grid")) != NULL && !json_is_null(v) &&
	    ((s = json_string_value(v)) == NULL ||
	    (given.grid = config_grid(gw->cfg, s)) == NULL)) {
		ret = http_req_error(r, 400, "grid: expected a grid id");
		goto out;
	}
	if ((v = json_object_get(body, "category")) != NULL && !json_is_null(v) &&
	    ((s = json_string_value(v)) == NULL ||
	    (given.category = config_category(gw->cfg, s)) == NULL)) {
		ret = http_req_error(r, 400, "category: expected a category id");
		goto out;
	}
	given.source = "station";
	if ((v = json_object_get(body, "channel")) != NULL && !json_is_null(v) &&
	    ((s = json_string_value(v)) == NULL || (strcmp(s, "station") != 0 &&
	    strcmp(s, "phone") != 0))) {
		ret = http_req_error(r, 400, "channel: expected station or phone");
		goto out;
	}
	if (v != NULL && json_is_string(v))
		given.source = json_string_value(v);
	if (!job_actor(gw, &who, &job) || job.dp != NULL) {
		ret = http_req_error(r, 403, "only a staff member's or a deputy's"
		    " account records requests");
		goto out;
	}
	if (given.grid != NULL && !grid_in_scope(gw->cfg, &who, given.grid)) {
		ret = http_req_error(r, 403, "grid outside your scope");
		goto out;
	}
	cmd.kind = SC_ONBEHALF;
	cmd.number = -1;
	cmd.target = xstrdup(e164);
	cmd.text = xstrdup(text);
	strlcpy(cmd.lang, "zh", sizeof(cmd.lang));
	job.gw = gw;
	job.cmd = &cmd;
	job.given = &given;
	job.reqid = http_req_id(r);
	job.now = time_now();
	if (store_writer_submit(gw->writer, action_job, &job) != 0) {
		ret = http_req_error(r, 500, "could not store the request; retry");
		goto out;
	}
	if (job.made <= 0) {
		ret = http_req_error(r, 409, job.reply != NULL && *job.reply != '\0' ?
		    job.reply : "no case was made (the resident's daily limit, or no"
		    " SMS channel reaches residents)");
		goto out;
	}
	if ((o = api_case_object(gw, job.made)) == NULL) {
		ret = http_req_error(r, 500, "store read failed");
		goto out;
	}
	ret = http_json(r, 201, o);
	json_decref(o);
out:
	gateway_sender_wake();
	free(job.reply);
	staff_cmd_clear(&cmd);
	json_decref(body);
	console_who_free(&who);
	return ret;
}
