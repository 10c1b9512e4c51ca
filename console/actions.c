/*
 * actions.c: POST /api/cases/{number}/actions, the staff commands through
 * the API (the workbench's buttons, and integrations).
 *
 * {"action": "accept" | "dispatch" | "note" | "resolve" | "transfer" |
 * "decline", ...} becomes the SMS command it stands for (接单, 派单, 进展,
 * 办结, 转, 退回), which runs through the same staff_step and apply path as
 * the SMS (gateway_staff_command), in one writer job: the same checks,
 * case changes, events and notifications.  What the SMS would have
 * answered the sender comes back in the JSON: 200 when the case moved,
 * 409 with the reason when the workflow refused it.  Outside the
 * account's scope: 403.  The session's CSRF token is required.
 */
#include "console.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ACTION_TEXT_MAX	1000	/* bytes of a note, result or reason */

/* The JSON string member key of o, non-empty and under max bytes, or NULL. */
static const char *
member_text(json_t *o, const char *key, size_t max)
{
	const char	*s = json_string_value(json_object_get(o, key));

	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0' || strlen(s) > max)
		return NULL;
	return s;
}

/*
 * The SMS command for the action in body, for case n: a new string
 * (caller frees), or NULL with the reason for a 400 in why.
 */
static char *
action_command(struct gateway *gw, json_t *body, long n, const char **why)
{
	const char	*action = json_string_value(json_object_get(body, "action"));
	const char	*text, *dep;
	json_t		*deps, *days;
	char		*cmd = NULL;

	*why = NULL;
	if (action == NULL) {
		*why = "action: expected one of accept, dispatch, note, resolve,"
		    " transfer, decline";
		return NULL;
	}
	if (strcmp(action, "accept") == 0)
		return xasprintf("接单 %ld", n);
	if (strcmp(action, "note") == 0 || strcmp(action, "resolve") == 0 ||
	    strcmp(action, "decline") == 0) {
		if ((text = member_text(body, "text", ACTION_TEXT_MAX)) == NULL) {
			*why = "text: required (at most 1000 bytes)";
			return NULL;
		}
		return xasprintf("%s %ld %s", strcmp(action, "note") == 0 ? "进展" :
		    strcmp(action, "resolve") == 0 ? "办结" : "退回", n, text);
	}
	if (strcmp(action, "transfer") == 0) {
		if ((text = member_text(body, "to", 64)) == NULL ||
		    (config_deputy(gw->cfg, text) == NULL &&
		    config_grid(gw->cfg, text) == NULL)) {
			*why = "to: expected a deputy or grid id";
			return NULL;
		}
		return xasprintf("转 %ld %s", n, text);
	}
	if (strcmp(action, "dispatch") == 0) {
		deps = json_object_get(body, "departments");
		days = json_object_get(body, "days");
		if (!json_is_array(deps) || json_array_size(deps) != 1 ||
		    (dep = json_string_value(json_array_get(deps, 0))) == NULL ||
		    config_department(gw->cfg, dep) == NULL) {
			*why = "departments: expected one department id (lead"
			    " and co-departments come with the SMS command's)";
			return NULL;
		}
		if (json_object_get(body, "instruction") != NULL) {
			*why = "instruction: not taken yet (the 派单 command has none)";
			return NULL;
		}
		if (days != NULL && (!json_is_integer(days) ||
		    json_integer_value(days) < 1 || json_integer_value(days) > 365)) {
			*why = "days: expected a number from 1 to 365";
			return NULL;
		}
		if (days != NULL)
			cmd = xasprintf("派单 %ld %s %d", n, dep,
			    (int)json_integer_value(days));
		else
			cmd = xasprintf("派单 %ld %s", n, dep);
		return cmd;
	}
	*why = "action: expected one of accept, dispatch, note, resolve,"
	    " transfer, decline";
	return NULL;
}

struct action_job {
	struct gateway		*gw;
	const struct deputy	*d;		/* borrowed from the config */
	const struct department	*dp;
	const char		*text;		/* the command */
	uint64_t		 reqid;
	int64_t			 now;
	char			*reply;		/* out: from malloc() */
	int			 changed;	/* out: 1 moved, 0 refused */
};

static int
action_job(struct store *st, void *arg)
{
	struct action_job	*j = arg;
	int			 rc;

	free(j->reply);		/* a rerun starts again */
	j->reply = NULL;
	rc = gateway_staff_command(st, j->gw, j->d, j->dp, j->text, &j->reply,
	    j->reqid, j->now);
	if (rc < 0)
		return -1;
	j->changed = rc;
	return 0;
}

enum MHD_Result
console_case_action(struct req *r, struct gateway *gw, const char *rest)
{
	struct console_who	 who;
	struct action_job	 job;
	struct store		*st;
	json_t			*body = NULL, *o;
	json_error_t		 jerr;
	const char		*data, *why = NULL;
	char			*end, *cmd = NULL;
	size_t			 len;
	long			 n;
	int64_t			 id;
	int			 rc;
	enum MHD_Result		 ret;

	memset(&job, 0, sizeof(job));
	if ((rc = console_auth(r, gw, &who)) <= 0)
		return rc < 0 ? http_req_error(r, 500, "store read failed") :
		    http_req_error(r, 401, "missing or wrong bearer token");
	if (!console_csrf_ok(r, &who)) {
		ret = http_req_error(r, 403, "missing or wrong CSRF token");
		goto out;
	}
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
	if (who.kind != CONSOLE_DEPUTY && who.kind != CONSOLE_DEPARTMENT) {
		ret = http_req_error(r, 403, "only a deputy's or a department's"
		    " account acts on cases");
		goto out;
	}
	if ((cmd = action_command(gw, body, n, &why)) == NULL) {
		ret = http_req_error(r, 400, why);
		goto out;
	}
	job.gw = gw;
	job.d = who.kind == CONSOLE_DEPUTY ? config_deputy(gw->cfg, who.id) : NULL;
	job.dp = who.kind == CONSOLE_DEPARTMENT ? config_department(gw->cfg, who.id) : NULL;
	job.text = cmd;
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
	free(cmd);
	json_decref(body);
	console_who_free(&who);
	return ret;
}
