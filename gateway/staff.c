/*
 * staff.c: the shell of the loop's later steps (代表定单 → 人大派单 → 办单 →
 * 督单 → 评单).  It loads a case as the pure code wants it (struct
 * case_view), runs staff commands and ratings through dialogs/, and applies
 * their staff effects: case updates and events, and the messages they
 * cause, in the transaction of the message (or the scheduler's tick) that
 * caused them.  After every change the case's sched_at says when the
 * scheduler should look at it next.
 */
#include "gateway.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialogs/dialogs.h"

#define VIEW_EVENTS	5	/* events a case view carries, newest first */
#define MINE_MAX	50	/* cases LIST looks at */

/* A loaded case view and the memory behind its strings. */
struct view {
	struct case_view	 v;
	int64_t			 id;		/* cases.id */
	char			*reply_channel;	/* from malloc(), or NULL */
	char			*reply_address;	/* from malloc(), or NULL */
	char			*strs[16];	/* the view's strings, from malloc() */
	size_t			 nstrs;
	struct case_event_view	 ev[VIEW_EVENTS];
	char			*evstrs[VIEW_EVENTS * 5];
	size_t			 nevstrs;
};


static const char *
keep(struct view *w, struct store_stmt *stmt, int col)
{
	const unsigned char *s = store_column_text(stmt, col);

	if (s == NULL || w->nstrs >= nitems(w->strs))
		return NULL;
	return w->strs[w->nstrs++] = xstrdup((const char *)s);
}

static void
view_clear(struct view *w)
{
	size_t	 i;

	for (i = 0; i < w->nstrs; i++)
		free(w->strs[i]);
	for (i = 0; i < w->nevstrs; i++)
		free(w->evstrs[i]);
	free(w->reply_channel);
	free(w->reply_address);
	memset(w, 0, sizeof(*w));
}

/* Fill w from a row of STORE_VIEW_COLUMNS (store/store.h), in its order. */
static void
view_row(struct view *w, struct store_stmt *stmt)
{
	struct case_view	*v = &w->v;

	w->id = store_column_int64(stmt, 0);
	v->number = store_column_int64(stmt, 1);
	v->status = keep(w, stmt, 2);
	v->channel = keep(w, stmt, 3);
	v->citizen = keep(w, stmt, 4);
	v->grid = keep(w, stmt, 5);
	v->township = keep(w, stmt, 6);
	v->category = keep(w, stmt, 7);
	v->tier = store_column_int(stmt, 8);
	v->description = keep(w, stmt, 9);
	v->place = keep(w, stmt, 10);
	v->deputy = keep(w, stmt, 11);
	v->department = keep(w, stmt, 12);
	v->language = keep(w, stmt, 13);
	v->flags = store_column_int(stmt, 14);
	v->rating = store_column_int(stmt, 15);
	v->created_at = store_column_int64(stmt, 16);
	v->assigned_at = store_column_int64(stmt, 17);
	v->accepted_at = store_column_int64(stmt, 18);
	v->dispatched_at = store_column_int64(stmt, 19);
	v->due_at = store_column_int64(stmt, 20);
	v->resolved_at = store_column_int64(stmt, 21);
	v->closed_at = store_column_int64(stmt, 22);
	v->reminded_at = store_column_int64(stmt, 23);
	v->escalated_at = store_column_int64(stmt, 24);
	w->reply_channel = xstrdup((const char *)store_column_text(stmt, 25));
	w->reply_address = xstrdup((const char *)store_column_text(stmt, 26));
	v->assist = keep(w, stmt, 27);
	v->instruction = keep(w, stmt, 28);
	v->supervisors = keep(w, stmt, 29);
}

static void
bind_text_or_null(struct store_stmt *stmt, int idx, const char *s)
{
	if (s != NULL)
		store_bind_text(stmt, idx, s, -1, STORE_STATIC);
	else
		store_bind_null(stmt, idx);
}

static const char *
keep_ev(struct view *w, struct store_stmt *stmt, int col)
{
	const unsigned char *s = store_column_text(stmt, col);

	if (s == NULL)
		return NULL;
	return w->evstrs[w->nevstrs++] = xstrdup((const char *)s);
}

/* Load case number into w with its last events.  1 found, 0 not, -1 error. */
static int
view_load(struct store *st, long number, struct view *w)
{
	struct store_stmt	*stmt;
	int		 rc;

	memset(w, 0, sizeof(*w));
	stmt = store_stmt(st, SQL_VIEW_CASE);
	store_bind_int64(stmt, 1, number);
	if ((rc = store_step(stmt)) == STORE_ROW)
		view_row(w, stmt);
	store_reset(stmt);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? 0 : -1;
	stmt = store_stmt(st, SQL_VIEW_EVENTS);
	store_bind_int64(stmt, 1, w->id);
	store_bind_int(stmt, 2, VIEW_EVENTS);
	while (store_step(stmt) == STORE_ROW && w->v.nevents < VIEW_EVENTS) {
		struct case_event_view *e = &w->ev[w->v.nevents++];
		e->at = store_column_int64(stmt, 0);
		e->actor = keep_ev(w, stmt, 1);
		e->kind = keep_ev(w, stmt, 2);
		e->from_status = keep_ev(w, stmt, 3);
		e->to_status = keep_ev(w, stmt, 4);
		e->detail = keep_ev(w, stmt, 5);
	}
	store_reset(stmt);
	w->v.events = w->ev;
	return 1;
}

/*
 * Each thread keeps the zone it last opened (opening one costs ICU a
 * calendar, tens of microseconds, and the writer asks for every message),
 * closed when the thread exits.
 */
struct tz_cache {
	char		 zone[64];
	struct tz	*tz;		/* owned, or NULL: not a zone ICU knows */
};
static pthread_once_t	 tz_cache_once = PTHREAD_ONCE_INIT;
static pthread_key_t	 tz_cache_key;

static void
tz_cache_free(void *p)
{
	struct tz_cache	*c = p;

	tz_close(c->tz);
	free(c);
}

static void
tz_cache_init(void)
{
	if (pthread_key_create(&tz_cache_key, tz_cache_free) != 0)
		fatalx("gateway: pthread_key_create");
}

/* The config zone's offset from UTC at t, in minutes (0 if unknown). */
int
gateway_utc_offset(const struct config *cfg, int64_t t)
{
	struct tz_cache	*c;

	if (cfg->timezone == NULL)
		return 0;
	pthread_once(&tz_cache_once, tz_cache_init);
	if ((c = pthread_getspecific(tz_cache_key)) == NULL) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(tz_cache_key, c) != 0)
			fatalx("gateway: pthread_setspecific");
	}
	if (c->zone[0] == '\0' || strcmp(c->zone, cfg->timezone) != 0) {
		tz_close(c->tz);
		c->tz = strlen(cfg->timezone) < sizeof(c->zone) ?
		    tz_open(cfg->timezone) : NULL;
		strlcpy(c->zone, cfg->timezone, sizeof(c->zone));
	}
	return c->tz != NULL ? tz_offset(c->tz, t) : 0;
}

/* Bind a fixed set of optional columns: only those the update sets. */
static int
case_update_apply(struct store *st, long number, const struct case_update *u,
    int64_t now)
{
	struct store_stmt	*stmt;
	unsigned	 mask;
	int		 rc;

	mask = (u->tier ? SCU_TIER : 0) | (u->assist ? SCU_ASSIST : 0) |
	    (u->instruction ? SCU_INSTRUCTION : 0) | (u->status ? SCU_STATUS : 0) |
	    (u->deputy ? SCU_DEPUTY : 0) | (u->department ? SCU_DEPARTMENT : 0) |
	    (u->grid ? SCU_GRID : 0) | (u->township ? SCU_TOWNSHIP : 0) |
	    (u->rating ? SCU_RATING : 0) | (u->assigned_at ? SCU_ASSIGNED_AT : 0) |
	    (u->accepted_at ? SCU_ACCEPTED_AT : 0) |
	    (u->dispatched_at ? SCU_DISPATCHED_AT : 0) | (u->due_at ? SCU_DUE_AT : 0) |
	    (u->resolved_at ? SCU_RESOLVED_AT : 0) | (u->closed_at ? SCU_CLOSED_AT : 0) |
	    (u->reminded_at ? SCU_REMINDED_AT : 0) |
	    (u->escalated_at ? SCU_ESCALATED_AT : 0);
	if ((stmt = store_case_update(st, mask)) == NULL)
		return -1;
	store_bind_int64(stmt, 1, now);
	store_bind_int64(stmt, 2, number);
	store_bind_int(stmt, 3, u->flags_set);
	if (u->status)
		store_bind_text(stmt, 4, u->status, -1, STORE_STATIC);
	if (u->deputy)
		store_bind_text(stmt, 5, u->deputy, -1, STORE_STATIC);
	if (u->department)
		store_bind_text(stmt, 6, u->department, -1, STORE_STATIC);
	if (u->grid)
		store_bind_text(stmt, 7, u->grid, -1, STORE_STATIC);
	if (u->township)
		store_bind_text(stmt, 8, u->township, -1, STORE_STATIC);
	if (u->rating) {
		store_bind_int(stmt, 9, u->rating);
		if (u->rating_comment && *u->rating_comment)
			store_bind_text(stmt, 10, u->rating_comment, -1, STORE_STATIC);
	}
	store_bind_int64(stmt, 11, u->assigned_at);
	store_bind_int64(stmt, 12, u->accepted_at);
	store_bind_int64(stmt, 13, u->dispatched_at);
	store_bind_int64(stmt, 14, u->due_at);
	store_bind_int64(stmt, 15, u->resolved_at);
	store_bind_int64(stmt, 16, u->closed_at);
	store_bind_int64(stmt, 17, u->reminded_at);
	store_bind_int64(stmt, 18, u->escalated_at);
	store_bind_int(stmt, 19, u->flags_clear);
	store_bind_int(stmt, 20, u->tier);
	if (u->assist)
		store_bind_text(stmt, 21, u->assist, -1, STORE_STATIC);
	if (u->instruction)
		store_bind_text(stmt, 22, u->instruction, -1, STORE_STATIC);
	rc = store_step(stmt);
	store_reset(stmt);
	if (rc != STORE_DONE)
		return -1;
	if (u->rating) {
		stmt = store_stmt(st, SQL_RATING_INSERT);
		store_bind_int64(stmt, 1, number);
		store_bind_int(stmt, 2, u->rating);
		if (u->rating_comment && *u->rating_comment)
			store_bind_text(stmt, 3, u->rating_comment, -1, STORE_STATIC);
		store_bind_int64(stmt, 4, now);
		rc = store_step(stmt);
		store_reset(stmt);
		if (rc != STORE_DONE)
			return -1;
	}
	return 0;
}

/* The case's next look by the scheduler, from its stored state. */
int
gateway_case_reschedule(struct store *st, struct gateway *gw, long number)
{
	struct view	 w;
	struct store_stmt	*stmt;
	int		 rc;

	if ((rc = view_load(st, number, &w)) <= 0)
		return rc;
	stmt = store_stmt(st, SQL_CASE_RESCHEDULE);
	store_bind_int64(stmt, 1, number);
	store_bind_int64(stmt, 2, schedule_next(gw->cfg, &w.v));
	rc = store_step(stmt);
	store_reset(stmt);
	view_clear(&w);
	return rc == STORE_DONE ? 0 : -1;
}


static bool
resident_opted_out(struct store *st, const char *address)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_RESIDENT_GET);
	bool		 out = false;

	store_bind_text(stmt, 1, address, -1, STORE_TRANSIENT);
	if (store_step(stmt) == STORE_ROW)
		out = store_column_int(stmt, 0) != 0;
	store_reset(stmt);
	return out;
}

static int64_t
outbox_last_id(struct store *st)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_OUTBOX_LAST_ID);
	int64_t		 id = 0;

	if (store_step(stmt) == STORE_ROW)
		id = store_column_int64(stmt, 0);
	store_reset(stmt);
	return id;
}

/*
 * A case moved on: reminders and prompts about it that still wait out the
 * quiet hours (queued before this change, id <= before) are no longer
 * true.  They are kept, marked failed "withdrawn", and never sent.
 */
static int
outbox_withdraw(struct store *st, int64_t case_id, int64_t before, int64_t now)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_OUTBOX_WITHDRAW);
	int		 rc;

	store_bind_int64(stmt, 1, case_id);
	store_bind_int64(stmt, 2, before);
	store_bind_int64(stmt, 3, now);
	rc = store_step(stmt);
	store_reset(stmt);
	return rc == STORE_DONE ? 0 : -1;
}

/*
 * The deputies who supervise w's case (an adopted 民生实事 project) hear
 * of it what the first of them hears: e, a message to the case's resident
 * (the first, from whose phone the case is kept) or to its deputy (the
 * holder, skip), goes to each of the others too, over where they hear of
 * cases, except to the one whose command caused it (sender: an address,
 * or NULL).  A rating prompt stays with the resident, who alone rates.
 * Returns 0, or -1 on a store error.
 */
static int
supervisors_tell(struct store *st, struct gateway *gw, const struct view *w,
    const struct staff_effect *e, const char *skip, const char *sender,
    int64_t at, int64_t now)
{
	const struct deputy	*d;
	const char		*a, *chan;
	char			 id[128], *addr, *text;
	size_t			 n;
	int			 rc;

	if (e->msg_kind != NULL && strcmp(e->msg_kind, "rating") == 0)
		return 0;
	for (a = w->v.supervisors; a != NULL && *a != '\0'; a += n + (a[n] == ',')) {
		n = strcspn(a, ",");
		if (n >= sizeof(id))
			continue;
		memcpy(id, a, n);
		id[n] = '\0';
		if ((d = config_deputy(gw->cfg, id)) == NULL || d->phone == NULL ||
		    (skip != NULL ? strcmp(d->id, skip) == 0 :
		    strcmp(d->phone, w->v.citizen) == 0) ||
		    (sender != NULL && strcmp(d->phone, sender) == 0))
			continue;
		if (gateway_staff_target(gw, d->notify_channel, d->phone, w->v.channel,
		    w->v.grid, &chan, &addr) != 0) {
			log_warnx("supervisor message has no channel case=%ld to=%s",
			    w->v.number, d->id);
			continue;
		}
		text = gateway_text_for(gw, chan, e->text, w->v.citizen);
		rc = gateway_outbox_add(st, gw, chan, addr, text, w->id, e->msg_kind,
		    e->urgent, at, now);
		free(text);
		free(addr);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/*
 * Apply staff effects.  reply_chan/reply_addr: where SE_REPLY goes (the
 * sender's channel and address), or NULL for the scheduler.  Every case
 * touched is rescheduled.
 */
int
gateway_staff_apply(struct store *st, struct gateway *gw, const struct staff_result *res,
    const char *reply_chan, const char *reply_addr, int64_t now)
{
	long		 touched[8];
	size_t		 ntouched = 0, i, k;
	int64_t		 before = outbox_last_id(st);
	int		 rc = -1;

	for (i = 0; i < res->neffects; i++) {
		const struct staff_effect *e = &res->effects[i];
		struct view		 w;
		const char		*notify = NULL, *phone = NULL, *chan = NULL;
		char			*addr = NULL, *text;
		int64_t			 at = e->not_before > now ? e->not_before : now;
		int			 found;

		memset(&w, 0, sizeof(w));
		if (e->number > 0 && (found = view_load(st, e->number, &w)) <= 0) {
			if (found < 0)
				goto out;
			if (e->kind != SE_REPLY)
				continue;	/* a case that is not there: nothing to do */
		}
		switch (e->kind) {
		case SE_CASE_UPDATE:
			if (case_update_apply(st, e->number, &e->update, now) != 0)
				goto fail;
			if (e->update.status != NULL &&
			    outbox_withdraw(st, w.id, before, now) != 0)
				goto fail;
			/* a closed case's final category teaches the classifier */
			if (e->update.status != NULL &&
			    strcmp(e->update.status, "closed") == 0)
				gateway_learn_case(st, gw, w.v.category, w.v.description);
			for (k = 0; k < ntouched && touched[k] != e->number; k++)
				;
			if (k == ntouched && ntouched < nitems(touched))
				touched[ntouched++] = e->number;
			break;
		case SE_ONBEHALF:	/* gateway_staff_handle made the case */
			break;
		case SE_CASE_EVENT:
			if (gateway_case_event(st, w.id, now, e->actor, e->event,
			    e->from_status, e->to_status, e->detail) != 0)
				goto fail;
			break;
		case SE_REPLY:
			if (reply_chan != NULL && gateway_outbox_add(st, gw, reply_chan,
			    reply_addr, e->text, w.id, e->msg_kind, e->urgent, at, now) != 0)
				goto fail;
			break;
		case SE_TO_RESIDENT:
			if (supervisors_tell(st, gw, &w, e, NULL, reply_addr, at, now) != 0)
				goto fail;
			if (w.reply_channel == NULL || resident_opted_out(st, w.v.citizen))
				break;
			if (gateway_outbox_add(st, gw, w.reply_channel, w.reply_address,
			    e->text, w.id, e->msg_kind, e->urgent, at, now) != 0)
				goto fail;
			break;
		case SE_TO_DEPUTY:
		case SE_TO_DEPARTMENT:
		case SE_TO_STAFF:
			if (e->kind == SE_TO_DEPUTY) {
				const struct deputy *d = config_deputy(gw->cfg, e->to);
				notify = d ? d->notify_channel : NULL;
				phone = d ? d->phone : NULL;
				if (w.v.deputy != NULL && e->to != NULL &&
				    strcmp(w.v.deputy, e->to) == 0 &&
				    supervisors_tell(st, gw, &w, e, e->to, reply_addr,
				    at, now) != 0)
					goto fail;
			} else if (e->kind == SE_TO_STAFF) {
				const struct staff_member *sm = config_staff(gw->cfg, e->to);
				notify = sm ? sm->notify_channel : NULL;
				phone = sm ? sm->phone : NULL;
			} else {
				const struct department *d = config_department(gw->cfg, e->to);
				notify = d ? d->notify_channel : NULL;
				phone = d ? d->phone : NULL;
			}
			if (phone == NULL)
				break;
			if (gateway_staff_target(gw, notify, phone, w.v.channel, w.v.grid,
			    &chan, &addr) != 0) {
				log_warnx("staff message has no channel case=%ld to=%s",
				    e->number, e->to);
				break;
			}
			text = gateway_text_for(gw, chan, e->text, w.v.citizen);
			rc = gateway_outbox_add(st, gw, chan, addr, text, w.id,
			    e->msg_kind, e->urgent, at, now);
			free(text);
			free(addr);
			addr = NULL;
			if (rc != 0)
				goto fail;
			rc = -1;
			break;
		}
		view_clear(&w);
		continue;
fail:
		view_clear(&w);
		goto out;
	}
	for (k = 0; k < ntouched; k++)
		if (gateway_case_reschedule(st, gw, touched[k]) != 0)
			goto out;
	rc = 0;
out:
	return rc;
}

/*
 * The cases LIST may show, oldest first: for a department those dispatched
 * to it; for a deputy or staff member the open cases it holds, of the
 * grids it is listed in, of the townships it chairs or serves, the
 * adopted 民生实事 projects it supervises, and for
 * the county office the triage queue and tier-3 cases.  A superset:
 * staff_sees() (dialogs/) decides.
 */
static size_t
load_mine(struct store *st, const struct config *cfg, const struct deputy *d,
    const struct department *dp, const struct staff_member *sm, struct view *mine)
{
	struct store_stmt	*stmt;
	json_t		*grids = json_array(), *towns = json_array();
	char		*gtext, *ttext;
	size_t		 n = 0, i, k;

	for (i = 0; d != NULL && i < cfg->ngrids; i++)
		for (k = 0; k < cfg->grids[i].ndeputies; k++)
			if (strcmp(cfg->grids[i].deputies[k], d->id) == 0)
				json_array_append_new(grids, json_string(cfg->grids[i].id));
	for (i = 0; d != NULL && i < cfg->ntownships; i++)
		if (strcmp(cfg->townships[i].chair, d->id) == 0)
			json_array_append_new(towns, json_string(cfg->townships[i].id));
	if (sm != NULL && sm->township != NULL)
		json_array_append_new(towns, json_string(sm->township));
	gtext = json_dumps(grids, JSON_COMPACT);
	ttext = json_dumps(towns, JSON_COMPACT);
	json_decref(grids);
	json_decref(towns);
	if (d != NULL || sm != NULL) {
		stmt = store_stmt(st, SQL_VIEW_MINE);
		bind_text_or_null(stmt, 1, d != NULL ? d->id : NULL);
		store_bind_text(stmt, 3, gtext, -1, STORE_STATIC);
		store_bind_text(stmt, 4, ttext, -1, STORE_STATIC);
		store_bind_int(stmt, 5, sm != NULL && sm->role == STAFF_COUNTY);
	} else {
		stmt = store_stmt(st, SQL_VIEW_DEPARTMENT);
		store_bind_text(stmt, 1, dp->id, -1, STORE_STATIC);
	}
	store_bind_int(stmt, 2, MINE_MAX);
	while (n < MINE_MAX && store_step(stmt) == STORE_ROW) {
		memset(&mine[n], 0, sizeof(mine[n]));
		view_row(&mine[n], stmt);
		n++;
	}
	store_reset(stmt);
	free(gtext);
	free(ttext);
	return n;
}

/*
 * A message from a deputy's or department's number that is a staff
 * command.  Returns 1 when handled, 0 when it is not one (the resident
 * dialog takes it), -1 on a store error.
 */
int
gateway_staff_handle(struct store *st, struct gateway *gw, const char *phone,
    const char *text, const char *reply_chan, const char *reply_addr,
    uint64_t reqid, int64_t now)
{
	const struct deputy	*d = NULL;
	const struct department	*dp = NULL;
	const struct staff_member *sm = NULL;
	struct staff_cmd	 cmd;
	struct staff_input	 in;
	struct staff_result	 res;
	struct view		 w, *mine = NULL;
	struct case_view	*mv = NULL;
	size_t			 nmine = 0, i;
	int			 rc = -1, found = 0;

	memset(&cmd, 0, sizeof(cmd));
	memset(&res, 0, sizeof(res));
	memset(&w, 0, sizeof(w));
	if (staff_parse(text, &cmd) != 0 || ((phone == NULL ||
	    !staff_identify(gw->cfg, phone, &d, &dp)) && (cmd.usage != NULL ||
	    cmd.kind == SC_HELP || cmd.kind == SC_SHOW))) {
		/* Not a command, or a resident's words that only look like one. */
		staff_cmd_clear(&cmd);
		return 0;
	}
	/* A well-formed staff command from anyone else is refused below. */
	sm = phone != NULL ? config_staff_by_phone(gw->cfg, phone) : NULL;
	memset(&in, 0, sizeof(in));
	in.now = now;
	in.utc_offset_minutes = gateway_utc_offset(gw->cfg, now);
	in.phone = phone;
	in.deputy = d;
	in.department = dp;
	in.staff = sm;
	in.observer = phone != NULL ? config_observer_by_phone(gw->cfg, phone) : NULL;
	in.text = text;
	if (cmd.number > 0 && (found = view_load(st, cmd.number, &w)) < 0)
		goto out;
	in.kase = found > 0 ? &w.v : NULL;
	if (cmd.kind == SC_LIST) {
		mine = xcalloc(MINE_MAX, sizeof(*mine));
		nmine = d || dp || sm ? load_mine(st, gw->cfg, d, dp, sm, mine) : 0;
		mv = xcalloc(nmine ? nmine : 1, sizeof(*mv));
		for (i = 0; i < nmine; i++)
			mv[i] = mine[i].v;
		in.mine = mv;
		in.nmine = nmine;
	}
	if (staff_step(gw->cfg, gw->tix, &in, &res) != 0) {
		rc = 0;
		goto out;
	}
	log_info("%016" PRIx64 " staff command=%s case=%ld by=%s effects=%zu",
	    reqid, staff_cmd_name(cmd.kind), cmd.number,
	    d ? d->id : dp ? dp->id : sm ? sm->id : in.observer ? in.observer->id :
	    "stranger", res.neffects);
	for (i = 0; i < res.neffects; i++) {
		const struct staff_effect *e = &res.effects[i];

		if (e->kind != SE_ONBEHALF)
			continue;
		/* 代办: the resident's case, through the resident dialog */
		if (gateway_conv_onbehalf(st, gw, e->actor, e->detail, e->text,
		    staff_onbehalf_grid(gw->cfg, &in), NULL, e->lang, reply_chan,
		    reply_addr, NULL, reqid, now) != 0)
			goto out;
	}
	if (gateway_staff_apply(st, gw, &res, reply_chan, reply_addr, now) != 0)
		goto out;
	rc = 1;
out:
	for (i = 0; i < nmine; i++)
		view_clear(&mine[i]);
	free(mine);
	free(mv);
	view_clear(&w);
	staff_cmd_clear(&cmd);
	staff_result_clear(&res);
	return rc;
}

/*
 * A staff command made through the API (POST /api/cases/{n}/actions, and
 * a walk-in by POST /api/cases as 代办) by deputy d, department dp or
 * staff member sm, parsed already (cmd): the same staff_step and
 * gateway_staff_apply as the SMS command, but the answer meant for the
 * sender comes back in *reply (new string, caller frees) instead of as an
 * SMS.  A 代办 makes the resident's case through gateway_conv_onbehalf,
 * as the SMS 代办 does, with the grid and category given (may be NULL);
 * *made is its number.  Returns 1 when a case
 * changed or was made, 0 when the command was refused (*reply says why;
 * nothing changed), -1 on a store error.
 */
int
gateway_staff_command(struct store *st, struct gateway *gw, const struct deputy *d,
    const struct department *dp, const struct staff_member *sm,
    const struct staff_cmd *cmd, const struct gateway_given *given, char **reply,
    long *made, uint64_t reqid, int64_t now)
{
	struct staff_input	 in;
	struct staff_result	 res;
	struct view		 w;
	const struct staff_effect *e;
	size_t			 i;
	long			 number = 0;
	int			 rc = -1, found = 0;
	bool			 changed = false;

	*reply = NULL;
	if (made != NULL)
		*made = 0;
	memset(&res, 0, sizeof(res));
	memset(&w, 0, sizeof(w));
	memset(&in, 0, sizeof(in));
	in.now = now;
	in.utc_offset_minutes = gateway_utc_offset(gw->cfg, now);
	in.phone = d ? d->phone : dp ? dp->phone : sm ? sm->phone : NULL;
	in.deputy = d;
	in.department = dp;
	in.staff = sm;
	in.cmd = cmd;
	if (cmd->number > 0 && (found = view_load(st, cmd->number, &w)) < 0)
		goto out;
	in.kase = found > 0 ? &w.v : NULL;
	if (staff_step(gw->cfg, gw->tix, &in, &res) != 0) {
		*reply = xstrdup("not a command");
		rc = 0;
		goto out;
	}
	for (i = 0; i < res.neffects; i++) {
		e = &res.effects[i];
		if (e->kind == SE_CASE_UPDATE || e->kind == SE_CASE_EVENT)
			changed = true;
		else if (e->kind == SE_REPLY && *reply == NULL && e->text != NULL)
			*reply = xstrdup(e->text);
		else if (e->kind == SE_ONBEHALF) {
			/* 代办: the resident's case, through the resident dialog */
			if (gateway_conv_onbehalf(st, gw, e->actor, e->detail, e->text,
			    staff_onbehalf_grid(gw->cfg, &in), given, e->lang, NULL, NULL,
			    &number, reqid, now) != 0)
				goto out;
			changed = number > 0;
			if (made != NULL)
				*made = number;
		}
	}
	if (*reply == NULL)
		*reply = xstrdup("");
	log_info("%016" PRIx64 " staff command=%s case=%ld by=%s via=api effects=%zu"
	    " changed=%s", reqid, staff_cmd_name(cmd->kind), cmd->number > 0 ?
	    cmd->number : number, d ? d->id : dp ? dp->id : sm ? sm->id : "stranger",
	    res.neffects, changed ? "yes" : "no");
	if (changed && gateway_staff_apply(st, gw, &res, NULL, NULL, now) != 0)
		goto out;
	rc = changed ? 1 : 0;
out:
	if (rc < 0) {
		free(*reply);
		*reply = NULL;
	}
	view_clear(&w);
	staff_result_clear(&res);
	return rc;
}

/*
 * A resident's rating of their resolved case, when the text is one.  The
 * answer (thanks, or the case handed back) goes where the case's updates
 * go: its reply_channel and reply_address (an SMS to a hotline caller,
 * the group's robot with an @mention), unless the resident opted out.
 * Returns 1 when handled, 0 when not a rating, -1 on a store error.
 */
int
gateway_rating_handle(struct store *st, struct gateway *gw, long number,
    const char *text, uint64_t reqid, int64_t now)
{
	struct staff_result	 res;
	struct view		 w;
	const struct staff_effect *up;
	const char		*chan;
	int			 rc, found;

	memset(&res, 0, sizeof(res));
	if ((found = view_load(st, number, &w)) <= 0)
		return found;
	rc = 0;
	if (rating_step(gw->cfg, &w.v, text, now, &res) == 0) {
		chan = w.reply_channel != NULL && w.reply_address != NULL &&
		    !resident_opted_out(st, w.v.citizen) ? w.reply_channel : NULL;
		rc = gateway_staff_apply(st, gw, &res, chan, w.reply_address,
		    now) == 0 ? 1 : -1;
		up = staff_result_find(&res, SE_CASE_UPDATE);
		log_info("%016" PRIx64 " case rated number=%ld score=%d answered=%s",
		    reqid, number, up != NULL ? up->update.rating : 0,
		    chan != NULL ? "yes" : "no");
	}
	staff_result_clear(&res);
	view_clear(&w);
	return rc;
}

/*
 * The scheduler's tick: every case whose sched_at has come gets its rules
 * run and its effects applied; its sched_at moves on.  Returns the number
 * of cases looked at, or -1.
 */
int
gateway_schedule_tick(struct store *st, struct gateway *gw, int64_t now, int limit)
{
	struct store_stmt	*stmt;
	long		*due;
	int		 n = 0, i, rc = -1;
	int		 off = gateway_utc_offset(gw->cfg, now);

	due = xcalloc((size_t)limit, sizeof(*due));
	stmt = store_stmt(st, SQL_SCHED_LOOK);
	store_bind_int64(stmt, 1, now);
	store_bind_int(stmt, 2, limit);
	while (n < limit && store_step(stmt) == STORE_ROW)
		due[n++] = store_column_int64(stmt, 0);
	store_reset(stmt);
	for (i = 0; i < n; i++) {
		struct staff_result	 res;
		struct view		 w;

		memset(&res, 0, sizeof(res));
		if (view_load(st, due[i], &w) <= 0)
			goto out;
		schedule_step(gw->cfg, &w.v, now, off, &res);
		view_clear(&w);
		if (gateway_staff_apply(st, gw, &res, NULL, NULL, now) != 0 ||
		    gateway_case_reschedule(st, gw, due[i]) != 0) {
			staff_result_clear(&res);
			goto out;
		}
		staff_result_clear(&res);
	}
	rc = n;
out:
	free(due);
	return rc;
}
