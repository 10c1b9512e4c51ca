/*
 * dialogs/schedule.c: the scheduler's rules (督单, 督办).  Given one case,
 * the time and the config's deadlines, say what is due: a reminder to a
 * deputy who has not accepted, escalation to the grid's backup and the
 * township chair, overdue reminders to the department and the deputy once
 * a day, a rating reminder to the resident and closing unrated.  Every
 * decision is read from the stored timestamps (assigned_at, reminded_at,
 * escalated_at, due_at, resolved_at), and every firing writes the one it
 * read, so a restart neither loses nor repeats a rule.  Non-urgent
 * messages wait out the quiet hours.  Pure: the shell's timer calls it.
 */
#include "dialogs.h"

#include <stdio.h>
#include <string.h>

#define DAY	86400
#define HOUR	3600

int64_t
quiet_release(const struct config *cfg, int64_t t, int utc_offset_minutes)
{
	int64_t	 local, sod, start, end, delta;
	bool	 quiet;

	if (cfg == NULL || cfg->quiet_start == cfg->quiet_end)
		return t;
	local = t + (int64_t)utc_offset_minutes * 60;
	sod = ((local % DAY) + DAY) % DAY;	/* seconds since local midnight */
	start = (int64_t)cfg->quiet_start * 60;
	end = (int64_t)cfg->quiet_end * 60;
	if (start < end)
		quiet = sod >= start && sod < end;
	else			/* across midnight: 22:00-08:00 */
		quiet = sod >= start || sod < end;
	if (!quiet)
		return t;
	delta = end - sod;
	if (delta <= 0)
		delta += DAY;
	return t + delta;
}

/* When the current deputy got the case. */
static int64_t
assigned_base(const struct case_view *c)
{
	return c->assigned_at > 0 ? c->assigned_at : c->created_at;
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
sched_lang(const struct config *cfg, const char *lang)
{
	if (lang == NULL)
		lang = cfg->language;
	return lang != NULL && strcmp(lang, "en") == 0 ? "en" : "zh";
}

static const char *
category_name(const struct config *cfg, const char *lang, const char *id)
{
	const struct category	*cat = id != NULL ? config_category(cfg, id) : NULL;

	if (cat == NULL)
		return config_template(cfg, lang, "category_none");
	return strcmp(lang, "en") == 0 && cat->name_en != NULL ? cat->name_en : cat->name;
}

static const char *
place_name(const struct config *cfg, const char *lang, const struct case_view *c)
{
	const struct grid	*g = c->grid != NULL ? config_grid(cfg, c->grid) : NULL;

	if (c->place != NULL && c->place[0] != '\0')
		return c->place;
	return g != NULL ? g->name : config_template(cfg, lang, "place_unknown");
}

/* The township chair of c (deputy id borrowed from config), or NULL. */
static const char *
chair_of(const struct config *cfg, const struct case_view *c)
{
	const struct grid	*g = c->grid != NULL ? config_grid(cfg, c->grid) : NULL;
	const struct township	*t = c->township != NULL ? config_township(cfg, c->township) : NULL;
	const struct deputy	*d;

	if (t == NULL && g != NULL)
		t = config_township(cfg, g->township);
	if (t == NULL || t->chair == NULL || (d = config_deputy(cfg, t->chair)) == NULL)
		return NULL;
	return d->id;
}

/* A held message to a deputy or department (to borrowed from config). */
static void
remind(struct staff_result *res, const struct config *cfg, const struct case_view *c,
    enum staff_effect_kind kind, const char *to, const char *lang, const char *key,
    const char *const *vars, const char *cut, int64_t now, int off)
{
	struct staff_effect	*e = staff_result_add(res, kind, c->number);

	e->text = staff_render_fit(cfg, lang, key, vars, cut);
	e->to = to;
	e->msg_kind = "reminder";
	e->urgent = false;
	e->not_before = quiet_release(cfg, now, off);
	strlcpy(e->lang, lang, sizeof(e->lang));
}

static void
event(struct staff_result *res, const struct case_view *c, const char *kind,
    const char *detail)
{
	struct staff_effect	*e = staff_result_add(res, SE_CASE_EVENT, c->number);

	e->actor = xstrdup("scheduler");
	e->event = kind;
	e->detail = xstrdup(detail);
}

static struct case_update *
update(struct staff_result *res, const struct case_view *c)
{
	return &staff_result_add(res, SE_CASE_UPDATE, c->number)->update;
}

/* Not accepted within accept_hours: remind the deputy (or, for a triage
 * case, the township chair, or without a township the county staff). */
static void
rule_accept_reminder(const struct config *cfg, const struct case_view *c, int64_t now,
    int off, const char *number, struct staff_result *res)
{
	const char		*lang = sched_lang(cfg, NULL);
	const struct deputy	*d = c->deputy != NULL ? config_deputy(cfg, c->deputy) : NULL;
	const char		*to = d != NULL ? d->id : chair_of(cfg, c);
	char			 hours[16];
	struct case_update	*up;

	snprintf(hours, sizeof(hours), "%d", cfg->accept_hours);
	const char *v[] = { "number", number, "category", category_name(cfg, lang,
	    c->category), "place", place_name(cfg, lang, c), "hours", hours, NULL };
	if (to != NULL)
		remind(res, cfg, c, SE_TO_DEPUTY, to, lang, "sched_accept_reminder", v,
		    "place", now, off);
	else if ((c->flags & CASE_FLAG_TRIAGE) != 0) {
		/* the county office's triage queue (分办) */
		const char	*staff[STAFF_TOLD_MAX];
		size_t		 n = staff_of(cfg, NULL, staff, nitems(staff)), i;

		for (i = 0; i < n; i++)
			remind(res, cfg, c, SE_TO_STAFF, staff[i], lang,
			    "sched_accept_reminder", v, "place", now, off);
	}
	event(res, c, "reminded", "accept");
	up = update(res, c);
	up->reminded_at = now;
	up->flags_set = CASE_FLAG_REMINDED;
}

/* Not accepted within escalate_hours: the grid's backup and the township
 * chair are told (each once, and not the case's own deputy). */
static void
rule_escalate(const struct config *cfg, const struct case_view *c, int64_t now,
    int off, const char *number, struct staff_result *res)
{
	const char		*lang = sched_lang(cfg, NULL);
	const struct grid	*g = c->grid != NULL ? config_grid(cfg, c->grid) : NULL;
	const struct deputy	*b = g != NULL && g->backup != NULL ?
				    config_deputy(cfg, g->backup) : NULL;
	const char		*to[2] = { b != NULL ? b->id : NULL, chair_of(cfg, c) };
	const struct deputy	*d = c->deputy != NULL ? config_deputy(cfg, c->deputy) : NULL;
	char			 hours[16];
	struct case_update	*up;
	struct buf		 detail;
	size_t			 i;

	snprintf(hours, sizeof(hours), "%d", cfg->escalate_hours);
	const char *v[] = { "number", number, "grid", g != NULL ? g->name :
	    place_name(cfg, lang, c), "category", category_name(cfg, lang, c->category),
	    "deputy", d != NULL ? d->name : "-", "hours", hours, NULL };
	if (same(to[1], to[0]))
		to[1] = NULL;
	buf_init(&detail, 0);
	buf_addstr(&detail, "to=");
	for (i = 0; i < nitems(to); i++) {
		if (to[i] == NULL || same(to[i], c->deputy))
			continue;
		remind(res, cfg, c, SE_TO_DEPUTY, to[i], lang, "sched_escalate", v, NULL,
		    now, off);
		buf_printf(&detail, "%s%s", detail.len > 3 ? "," : "", to[i]);
	}
	event(res, c, "escalated", detail.len > 3 ? buf_str(&detail) : "to=-");
	buf_free(&detail);
	up = update(res, c);
	up->escalated_at = now;
	up->flags_set = CASE_FLAG_ESCALATED;
}

/* Past due while with a department: remind it and the deputy. */
static void
rule_overdue(const struct config *cfg, const struct case_view *c, int64_t now,
    int off, const char *number, struct staff_result *res)
{
	const char		*lang = sched_lang(cfg, NULL);
	const struct department	*dept = c->department != NULL ?
				    config_department(cfg, c->department) : NULL;
	const struct deputy	*d = c->deputy != NULL ? config_deputy(cfg, c->deputy) : NULL;
	char			 due[64];
	struct case_update	*up;

	staff_fmt_time(c->due_at, off, lang, due, sizeof(due));
	const char *v[] = { "number", number, "department", dept != NULL ? dept->name :
	    "-", "due", due, NULL };
	if (dept != NULL)
		remind(res, cfg, c, SE_TO_DEPARTMENT, dept->id, lang, "sched_overdue_dept",
		    v, NULL, now, off);
	if (d != NULL)
		remind(res, cfg, c, SE_TO_DEPUTY, d->id, lang, "sched_overdue_deputy", v,
		    NULL, now, off);
	event(res, c, "overdue", c->department);
	up = update(res, c);
	up->reminded_at = now;
	up->flags_set = CASE_FLAG_OVERDUE;
}

/* The rating prompt went unanswered: remind the resident once. */
static void
rule_rating_reminder(const struct config *cfg, const struct case_view *c, int64_t now,
    int off, const char *number, struct staff_result *res)
{
	const char		*lang = sched_lang(cfg, c->language);
	const char		*v[] = { "number", number, NULL };
	struct case_update	*up;

	remind(res, cfg, c, SE_TO_RESIDENT, NULL, lang, "sched_rating_reminder", v, NULL,
	    now, off);
	res->effects[res->neffects - 1].msg_kind = "rating";
	event(res, c, "reminded", "rating");
	up = update(res, c);
	up->reminded_at = now;
}

/* The rule deadlines of c: each is 0 when it cannot (or no longer) fire. */
struct deadlines {
	int64_t	 accept;	/* accept reminder */
	int64_t	 escalate;
	int64_t	 overdue;
	int64_t	 rating;	/* rating reminder */
	int64_t	 unrated;	/* close unrated */
};

static void
deadlines(const struct config *cfg, const struct case_view *c, struct deadlines *dl)
{
	enum case_status	 s;
	int64_t			 base;

	memset(dl, 0, sizeof(*dl));
	if (case_status_parse(c->status, &s) != 0)
		return;
	switch (s) {
	case CS_RECEIVED:
	case CS_REOPENED:
		base = assigned_base(c);
		if (cfg->accept_hours > 0 && c->reminded_at <= base)
			dl->accept = base + (int64_t)cfg->accept_hours * HOUR;
		if (cfg->escalate_hours > 0 && c->escalated_at <= base)
			dl->escalate = base + (int64_t)cfg->escalate_hours * HOUR;
		break;
	case CS_DISPATCHED:
	case CS_IN_PROGRESS:
		if (c->due_at <= 0)
			break;
		/* the first reminder at due_at, then one a day */
		dl->overdue = c->reminded_at < c->due_at ? c->due_at : c->reminded_at + DAY;
		break;
	case CS_RESOLVED:
		if (c->resolved_at <= 0 || cfg->rating_hours <= 0)
			break;
		if (c->reminded_at < c->resolved_at)
			dl->rating = c->resolved_at + (int64_t)cfg->rating_hours * HOUR;
		dl->unrated = c->resolved_at + 2 * (int64_t)cfg->rating_hours * HOUR;
		break;
	default:
		break;
	}
}

int
schedule_step(const struct config *cfg, const struct case_view *c, int64_t now,
    int utc_offset_minutes, struct staff_result *res)
{
	struct deadlines	 dl;
	char			 number[24];
	int			 fired = 0;

	deadlines(cfg, c, &dl);
	snprintf(number, sizeof(number), "%ld", c->number);
	if (dl.accept > 0 && now >= dl.accept) {
		rule_accept_reminder(cfg, c, now, utc_offset_minutes, number, res);
		fired++;
	}
	if (dl.escalate > 0 && now >= dl.escalate) {
		rule_escalate(cfg, c, now, utc_offset_minutes, number, res);
		fired++;
	}
	if (dl.overdue > 0 && now >= dl.overdue) {
		rule_overdue(cfg, c, now, utc_offset_minutes, number, res);
		fired++;
	}
	if (dl.unrated > 0 && now >= dl.unrated) {
		/* closed unrated; a reminder now would come too late */
		if (workflow_apply(res, c, CA_CLOSE_UNRATED, "scheduler", "unrated",
		    now) != NULL)
			fired++;
	} else if (dl.rating > 0 && now >= dl.rating) {
		rule_rating_reminder(cfg, c, now, utc_offset_minutes, number, res);
		fired++;
	}
	return fired;
}

int64_t
schedule_next(const struct config *cfg, const struct case_view *c)
{
	struct deadlines	 dl;
	int64_t			 next = 0;
	size_t			 i;

	deadlines(cfg, c, &dl);
	const int64_t t[] = { dl.accept, dl.escalate, dl.overdue, dl.rating, dl.unrated };
	for (i = 0; i < nitems(t); i++)
		if (t[i] > 0 && (next == 0 || t[i] < next))
			next = t[i];
	return next;
}
