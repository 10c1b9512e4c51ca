/*
 * dialogs/workflow.c: the case workflow of the six orders (六单制).  The
 * statuses, the actions that move a case, one explicit table of the
 * allowed transitions (action x from-status -> to-status) and one of the
 * reasons for a refusal, and the staff effects list that staff.c,
 * rating_step() and schedule.c fill.  Pure: no I/O, no clock.
 */
#include "dialogs.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[CS_COUNT] = {
	[CS_RECEIVED] = "received",
	[CS_ACCEPTED] = "accepted",
	[CS_DISPATCHED] = "dispatched",
	[CS_IN_PROGRESS] = "in_progress",
	[CS_RESOLVED] = "resolved",
	[CS_CLOSED] = "closed",
	[CS_REOPENED] = "reopened",
	[CS_DECLINED] = "declined",
	[CS_CANCELLED] = "cancelled",
};

/* Template keys of the labels (shared with the resident dialog). */
static const char *const status_labels[CS_COUNT] = {
	[CS_RECEIVED] = "status_received",
	[CS_ACCEPTED] = "status_accepted",
	[CS_DISPATCHED] = "status_dispatched",
	[CS_IN_PROGRESS] = "status_in_progress",
	[CS_RESOLVED] = "status_resolved",
	[CS_CLOSED] = "status_closed",
	[CS_REOPENED] = "status_reopened",
	[CS_DECLINED] = "status_declined",
	[CS_CANCELLED] = "status_cancelled",
};

struct action_def {
	const char	*name;
	const char	*event;		/* case_events.kind */
};

static const struct action_def actions[CA_COUNT] = {
	[CA_ACCEPT] = { "accept", "accepted" },
	[CA_DISPATCH] = { "dispatch", "dispatched" },
	[CA_NOTE] = { "note", "note" },
	[CA_DEPT_NOTE] = { "dept_note", "note" },
	[CA_RESOLVE] = { "resolve", "resolved" },
	[CA_DEPT_RESOLVE] = { "dept_resolve", "resolved" },
	[CA_TRANSFER] = { "transfer", "transferred" },
	[CA_DECLINE] = { "decline", "declined" },
	[CA_RATE_CLOSE] = { "rate_close", "rated" },
	[CA_RATE_REOPEN] = { "rate_reopen", "reopened" },
	[CA_CLOSE_UNRATED] = { "close_unrated", "closed_unrated" },
	[CA_CANCEL] = { "cancel", "cancelled" },
	[CA_DEPT_RETURN] = { "dept_return", "returned" },
	[CA_CLOSE] = { "close", "closed" },
};

/*
 * The transition table.  Every allowed (action, from) pair is one row;
 * anything not here is refused.  Notes keep the status, except the
 * department's, which starts the work; a transfer hands the case to a
 * new deputy, who accepts it again.
 */
static const struct transition {
	enum case_action	 action;
	enum case_status	 from;
	enum case_status	 to;
} transitions[] = {
	{ CA_ACCEPT,		CS_RECEIVED,	CS_ACCEPTED },
	{ CA_ACCEPT,		CS_REOPENED,	CS_ACCEPTED },

	{ CA_DISPATCH,		CS_ACCEPTED,	CS_DISPATCHED },
	{ CA_DISPATCH,		CS_DISPATCHED,	CS_DISPATCHED },	/* to another body */
	{ CA_DISPATCH,		CS_IN_PROGRESS,	CS_DISPATCHED },
	{ CA_DISPATCH,		CS_REOPENED,	CS_DISPATCHED },

	{ CA_NOTE,		CS_ACCEPTED,	CS_ACCEPTED },
	{ CA_NOTE,		CS_DISPATCHED,	CS_DISPATCHED },
	{ CA_NOTE,		CS_IN_PROGRESS,	CS_IN_PROGRESS },
	{ CA_NOTE,		CS_REOPENED,	CS_REOPENED },

	{ CA_DEPT_NOTE,		CS_DISPATCHED,	CS_IN_PROGRESS },
	{ CA_DEPT_NOTE,		CS_IN_PROGRESS,	CS_IN_PROGRESS },

	{ CA_RESOLVE,		CS_ACCEPTED,	CS_RESOLVED },
	{ CA_RESOLVE,		CS_DISPATCHED,	CS_RESOLVED },
	{ CA_RESOLVE,		CS_IN_PROGRESS,	CS_RESOLVED },
	{ CA_RESOLVE,		CS_REOPENED,	CS_RESOLVED },

	{ CA_DEPT_RESOLVE,	CS_DISPATCHED,	CS_RESOLVED },
	{ CA_DEPT_RESOLVE,	CS_IN_PROGRESS,	CS_RESOLVED },

	{ CA_TRANSFER,		CS_RECEIVED,	CS_RECEIVED },
	{ CA_TRANSFER,		CS_ACCEPTED,	CS_RECEIVED },
	{ CA_TRANSFER,		CS_REOPENED,	CS_RECEIVED },

	{ CA_DECLINE,		CS_RECEIVED,	CS_DECLINED },
	{ CA_DECLINE,		CS_ACCEPTED,	CS_DECLINED },
	{ CA_DECLINE,		CS_REOPENED,	CS_DECLINED },

	{ CA_DEPT_RETURN,	CS_DISPATCHED,	CS_ACCEPTED },
	{ CA_DEPT_RETURN,	CS_IN_PROGRESS,	CS_ACCEPTED },

	{ CA_RATE_CLOSE,	CS_RESOLVED,	CS_CLOSED },
	{ CA_RATE_REOPEN,	CS_RESOLVED,	CS_REOPENED },
	{ CA_CLOSE_UNRATED,	CS_RESOLVED,	CS_CLOSED },

	{ CA_CANCEL,		CS_RECEIVED,	CS_CANCELLED },
	{ CA_CANCEL,		CS_ACCEPTED,	CS_CANCELLED },
	{ CA_CANCEL,		CS_DISPATCHED,	CS_CANCELLED },
	{ CA_CANCEL,		CS_IN_PROGRESS,	CS_CANCELLED },
	{ CA_CANCEL,		CS_REOPENED,	CS_CANCELLED },

	/* staff close an open case with a reason (a duplicate, a rating
	 * that never came) */
	{ CA_CLOSE,		CS_RECEIVED,	CS_CLOSED },
	{ CA_CLOSE,		CS_ACCEPTED,	CS_CLOSED },
	{ CA_CLOSE,		CS_DISPATCHED,	CS_CLOSED },
	{ CA_CLOSE,		CS_IN_PROGRESS,	CS_CLOSED },
	{ CA_CLOSE,		CS_RESOLVED,	CS_CLOSED },
	{ CA_CLOSE,		CS_REOPENED,	CS_CLOSED },
};

#define ANY_ACTION	(-1)
#define ANY_STATUS	(-1)

/*
 * Why a pair is refused: the first row that matches (action or any, from
 * or any) names the template.  Final statuses come first, so "case 42 is
 * already closed" wins over anything about the action.
 */
static const struct refusal {
	int		 action;	/* enum case_action, or ANY_ACTION */
	int		 from;		/* enum case_status, or ANY_STATUS */
	const char	*key;
} refusals[] = {
	{ ANY_ACTION,		CS_CLOSED,	"staff_refuse_closed" },
	{ ANY_ACTION,		CS_DECLINED,	"staff_refuse_declined" },
	{ ANY_ACTION,		CS_CANCELLED,	"staff_refuse_cancelled" },
	{ CA_RATE_CLOSE,	ANY_STATUS,	"staff_refuse_not_resolved" },
	{ CA_RATE_REOPEN,	ANY_STATUS,	"staff_refuse_not_resolved" },
	{ CA_CLOSE_UNRATED,	ANY_STATUS,	"staff_refuse_not_resolved" },
	{ ANY_ACTION,		CS_RESOLVED,	"staff_refuse_resolved" },
	{ CA_ACCEPT,		ANY_STATUS,	"staff_refuse_accepted" },
	{ CA_DEPT_NOTE,		ANY_STATUS,	"staff_refuse_not_dispatched" },
	{ CA_DEPT_RESOLVE,	ANY_STATUS,	"staff_refuse_not_dispatched" },
	{ CA_DEPT_RETURN,	ANY_STATUS,	"staff_refuse_not_dispatched" },
	{ ANY_ACTION,		CS_RECEIVED,	"staff_refuse_not_accepted" },
	{ CA_TRANSFER,		ANY_STATUS,	"staff_refuse_dispatched" },
	{ CA_DECLINE,		ANY_STATUS,	"staff_refuse_dispatched" },
	{ ANY_ACTION,		ANY_STATUS,	"staff_refuse_status" },
};

const char *
case_status_name(enum case_status s)
{
	if ((int)s < 0 || s >= CS_COUNT)
		return "unknown";
	return status_names[s];
}

int
case_status_parse(const char *name, enum case_status *s)
{
	size_t	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CS_COUNT; i++)
		if (strcmp(status_names[i], name) == 0) {
			*s = (enum case_status)i;
			return 0;
		}
	return -1;
}

bool
case_status_is_open(enum case_status s)
{
	return s != CS_CLOSED && s != CS_DECLINED && s != CS_CANCELLED;
}

const char *
case_status_label(const struct config *cfg, const char *lang, enum case_status s)
{
	if ((int)s < 0 || s >= CS_COUNT)
		return "?";
	return config_template(cfg, lang, status_labels[s]);
}

const char *
case_action_name(enum case_action a)
{
	if ((int)a < 0 || a >= CA_COUNT)
		return "unknown";
	return actions[a].name;
}

const char *
case_action_event(enum case_action a)
{
	if ((int)a < 0 || a >= CA_COUNT)
		return "unknown";
	return actions[a].event;
}

int
workflow_next(enum case_action a, enum case_status from, enum case_status *to)
{
	size_t	 i;

	for (i = 0; i < nitems(transitions); i++)
		if (transitions[i].action == a && transitions[i].from == from) {
			*to = transitions[i].to;
			return 0;
		}
	return -1;
}

const char *
workflow_refusal(enum case_action a, enum case_status from)
{
	size_t	 i;

	for (i = 0; i < nitems(refusals); i++)
		if ((refusals[i].action == ANY_ACTION || refusals[i].action == (int)a) &&
		    (refusals[i].from == ANY_STATUS || refusals[i].from == (int)from))
			return refusals[i].key;
	return "staff_refuse_status";	/* not reached: the last row matches all */
}

/* --- effects ---------------------------------------------------------- */

void
staff_result_clear(struct staff_result *res)
{
	size_t	 i;

	for (i = 0; i < res->neffects; i++) {
		free(res->effects[i].actor);
		free(res->effects[i].detail);
		free(res->effects[i].text);
		free(res->effects[i].update.rating_comment);
		free(res->effects[i].update.assist);
		free(res->effects[i].update.instruction);
	}
	free(res->effects);
	memset(res, 0, sizeof(*res));
}

struct staff_effect *
staff_result_add(struct staff_result *res, enum staff_effect_kind kind, long number)
{
	struct staff_effect	*e;

	if (res->neffects == res->cap) {
		res->cap = res->cap ? res->cap * 2 : 8;
		res->effects = xrealloc(res->effects, res->cap * sizeof(*res->effects));
	}
	e = &res->effects[res->neffects++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->number = number;
	return e;
}

const struct staff_effect *
staff_result_find(const struct staff_result *res, enum staff_effect_kind kind)
{
	size_t	 i;

	for (i = 0; i < res->neffects; i++)
		if (res->effects[i].kind == kind)
			return &res->effects[i];
	return NULL;
}

struct case_update *
workflow_apply(struct staff_result *res, const struct case_view *c,
    enum case_action a, const char *actor, const char *detail, int64_t now)
{
	struct staff_effect	*ev, *up;
	enum case_status	 from, to;

	if (case_status_parse(c->status, &from) != 0 || workflow_next(a, from, &to) != 0)
		return NULL;
	ev = staff_result_add(res, SE_CASE_EVENT, c->number);
	ev->actor = xstrdup(actor);
	ev->event = case_action_event(a);
	ev->from_status = case_status_name(from);
	ev->to_status = case_status_name(to);
	ev->detail = xstrdup(detail);
	up = staff_result_add(res, SE_CASE_UPDATE, c->number);
	up->update.status = case_status_name(to);
	switch (to) {
	case CS_RECEIVED:
	case CS_REOPENED:
		up->update.assigned_at = now;	/* a new deputy's clock starts */
		break;
	case CS_ACCEPTED:
		if (a == CA_ACCEPT)	/* a department's return is no new 接单 */
			up->update.accepted_at = now;
		break;
	case CS_DISPATCHED:
		up->update.dispatched_at = now;	/* also when re-dispatched */
		break;
	case CS_RESOLVED:
		up->update.resolved_at = now;
		break;
	case CS_CLOSED:
	case CS_DECLINED:
	case CS_CANCELLED:
		up->update.closed_at = now;
		break;
	case CS_IN_PROGRESS:
		break;
	}
	return &up->update;
}

/* --- routing: who a grid's new case alerts --------------------------------- */

int
dialog_weekday(int64_t t, int utc_offset_minutes)
{
	int64_t	 local = t + (int64_t)utc_offset_minutes * 60;
	int64_t	 days = local >= 0 ? local / 86400 : (local - 86399) / 86400;

	/* 1970-01-01 was a Thursday: ISO weekday 4 */
	return (int)(((days + 3) % 7 + 7) % 7) + 1;
}

size_t
grid_alerted(const struct config *cfg, const struct grid *g, int wday,
    const char **out, size_t max)
{
	const struct deputy	*d;
	size_t			 i, n = 0;

	for (i = 0; g != NULL && i < g->ndeputies && n < max; i++) {
		if ((d = config_deputy(cfg, g->deputies[i])) == NULL)
			continue;
		if (i == 0 || config_deputy_on_duty(d, wday))
			out[n++] = d->id;
	}
	return n;
}

size_t
staff_of(const struct config *cfg, const char *township, const char **out, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < cfg->nstaff && n < max; i++) {
		const struct staff_member *sm = &cfg->staff[i];

		if (sm->id == NULL)
			continue;
		if (township == NULL ? sm->role == STAFF_COUNTY :
		    sm->role == STAFF_TOWNSHIP && sm->township != NULL &&
		    strcmp(sm->township, township) == 0)
			out[n++] = sm->id;
	}
	return n;
}
