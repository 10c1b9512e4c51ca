/*
 * conv.c: the conversation shell.  For one stored inbound message it loads
 * what the pure dialog needs (resident, conversation, the resident's
 * cases, the next case number), calls dialog_step(), and applies the
 * effects: cases and their events, outbox rows, resident flags, the next
 * conversation state.  It runs inside the writer's transaction, so the
 * message, the state change and the replies it causes commit together.
 */
#include "gateway.h"

#include <stdlib.h>
#include <string.h>

#include "../dialogs/dialogs.h"

#define CASES_LOADED 20		/* a resident's recent cases given to the dialog */

/* A case filed on the resident's behalf (代办): who filed it, and where
 * the copy of the receipt goes. */
struct onbehalf {
	const char	*filed_by;	/* "observer:o-qian" */
	const char	*copy_chan;
	const char	*copy_addr;
	const char	*source;	/* a walk-in's "station", "phone", or NULL */
};

static void
bind_str_or_null(struct store_stmt *stmt, int idx, const char *s)
{
	if (s != NULL)
		store_bind_text(stmt, idx, s, -1, STORE_TRANSIENT);
	else
		store_bind_null(stmt, idx);
}

/* One statement that returns no rows; 0 or -1 (logged). */
static int
step_done(struct store *st, struct store_stmt *stmt, const char *what)
{
	int	 rc = store_step(stmt);

	store_reset(stmt);
	if (rc != STORE_DONE && rc != STORE_ROW) {
		log_warnx("store %s failed err=\"%s\"", what, store_errmsg(st));
		return -1;
	}
	return 0;
}

int
gateway_case_event(struct store *st, int64_t case_id, int64_t now,
    const char *actor, const char *kind, const char *from_status,
    const char *to_status, const char *detail)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_EVENT_INSERT);

	store_bind_int64(stmt, 1, case_id);
	store_bind_int64(stmt, 2, now);
	store_bind_text(stmt, 3, actor, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 4, kind, -1, STORE_TRANSIENT);
	bind_str_or_null(stmt, 5, from_status);
	bind_str_or_null(stmt, 6, to_status);
	bind_str_or_null(stmt, 7, detail);
	return step_done(st, stmt, "event insert");
}

struct channel *
gateway_channel(struct gateway *gw, const char *id)
{
	size_t	 i;

	for (i = 0; i < gw->nchannels; i++)
		if (strcmp(gw->channels[i].conf->id, id) == 0)
			return &gw->channels[i];
	return NULL;
}

int
gateway_outbox_add(struct store *st, struct gateway *gw, const char *channel,
    const char *address, const char *body, int64_t case_id, const char *kind,
    bool urgent, int64_t at, int64_t now)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_OUTBOX_INSERT);
	struct channel	*ch = gateway_channel(gw, channel);
	char		 masked[PHONE_MASKED_MAX];

	if (ch == NULL) {
		log_warnx("outbox unknown channel=%s kind=%s", channel, kind);
		return -1;
	}
	store_bind_text(stmt, 1, channel, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 2, address, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 3, body, -1, STORE_TRANSIENT);
	if (case_id > 0)
		store_bind_int64(stmt, 4, case_id);
	else
		store_bind_null(stmt, 4);
	store_bind_text(stmt, 5, kind, -1, STORE_STATIC);
	store_bind_int(stmt, 6, urgent ? 1 : 0);
	/* The simulated network delivers at once (its outbox is the phone),
	 * unless the message waits out the quiet hours: the sender then
	 * delivers it when due. */
	store_bind_text(stmt, 7, adapter_is_local(ch) && at <= now ? "delivered" :
	    "pending", -1, STORE_STATIC);
	store_bind_int64(stmt, 8, at);
	store_bind_int64(stmt, 9, now);
	if (step_done(st, stmt, "outbox insert") != 0)
		return -1;
	phone_mask(address, masked, sizeof(masked));
	log_debug("%016" PRIx64 " outbox queued channel=%s to=%s kind=%s",
	    (uint64_t)store_last_insert_id(st), channel, masked,
	    kind);
	return 0;
}

/*
 * Where a deputy or department contact hears about a case: their
 * notify_channel (a group channel means the case's grid group there, with
 * an @mention of their mobile); else the case's channel when it reaches
 * phones; else the first channel that does.  Sets *chan (borrowed) and
 * *addr (new string); -1 when there is none.
 */
int
gateway_staff_target(struct gateway *gw, const char *notify, const char *phone,
    const char *case_channel, const char *grid_id, const char **chan, char **addr)
{
	struct channel		*ch;
	const struct grid	*g;
	size_t			 i;

	*chan = NULL;
	*addr = NULL;
	if (notify != NULL && (ch = gateway_channel(gw, notify)) != NULL) {
		if ((ch->ad->flags & AD_F_GROUP) == 0) {
			*chan = ch->conf->id;
			*addr = xstrdup(phone);
			return 0;
		}
		g = grid_id != NULL ? config_grid(gw->cfg, grid_id) : NULL;
		for (i = 0; g != NULL && i < g->ngroups; i++)
			if (strcmp(g->groups[i].channel, ch->conf->id) == 0) {
				*chan = ch->conf->id;
				*addr = adapter_group_address_format(g->groups[i].group_id,
				    phone, g->groups[i].webhook_url);
				return *addr != NULL ? 0 : -1;
			}
		/* no group of that grid on the channel: by phone below */
	}
	if (case_channel != NULL && (ch = gateway_channel(gw, case_channel)) != NULL &&
	    adapter_reaches_phones(ch)) {
		*chan = ch->conf->id;
		*addr = xstrdup(phone);
		return 0;
	}
	for (i = 0; i < gw->nchannels; i++)
		if (adapter_reaches_phones(&gw->channels[i])) {
			*chan = gw->channels[i].conf->id;
			*addr = xstrdup(phone);
			return 0;
		}
	return -1;
}

/* Every occurrence of from in text replaced by to; a new string. */
static char *
replace_all(const char *text, const char *from, const char *to)
{
	struct buf	 b;
	const char	*p, *q;

	buf_init(&b, 0);
	for (p = text; (q = strstr(p, from)) != NULL; p = q + strlen(from)) {
		buf_add(&b, p, (size_t)(q - p));
		buf_addstr(&b, to);
	}
	buf_addstr(&b, p);
	return buf_steal(&b);
}

char *
gateway_text_for(struct gateway *gw, const char *chan, const char *text,
    const char *e164)
{
	struct channel	*ch = chan != NULL ? gateway_channel(gw, chan) : NULL;
	char		 masked[PHONE_MASKED_MAX];
	char		*a, *b;

	if (ch == NULL || (ch->ad->flags & AD_F_GROUP) == 0 || e164 == NULL ||
	    e164[0] != '+')
		return xstrdup(text);
	phone_mask(e164, masked, sizeof(masked));
	a = replace_all(text, e164, masked);
	if (strncmp(e164, "+86", 3) != 0 || strncmp(masked, "+86", 3) != 0)
		return a;
	b = replace_all(a, e164 + 3, masked + 3);	/* as written for dialling */
	free(a);
	return b;
}

/*
 * Where replies to this message go: the same channel and address for SMS
 * and sim; the group's robot with an @mention of the member for groups;
 * an SMS over reply_channel for channels that cannot answer (hotline).
 * Sets *chan (borrowed) and *addr (new string), or returns -1 when there
 * is nowhere to answer (a group no grid lists).
 */
static int
reply_target(struct gateway *gw, struct channel *ch, const struct inbound *m,
    const char **chan, char **addr)
{
	const struct grid	*g;
	const char		*member, *via;
	size_t			 i;

	*chan = ch->conf->id;
	*addr = NULL;
	if (ch->ad->flags & AD_F_GROUP) {
		if (m->group_id == NULL ||
		    (g = config_grid_by_group(gw->cfg, ch->conf->id, m->group_id)) == NULL)
			return -1;
		for (i = 0; i < g->ngroups; i++)
			if (strcmp(g->groups[i].channel, ch->conf->id) == 0 &&
			    strcmp(g->groups[i].group_id, m->group_id) == 0)
				break;
		member = m->sender_mobile;
		if (member == NULL)	/* "<channel>:<member id>" */
			member = strchr(m->from, ':') ? strchr(m->from, ':') + 1 : m->from;
		*addr = adapter_group_address_format(m->group_id, member,
		    g->groups[i].webhook_url);
		return *addr != NULL ? 0 : -1;
	}
	if ((via = adapter_conf_str(ch->conf, "reply_channel")) != NULL)
		*chan = via;
	*addr = xstrdup(m->from);
	return 0;
}

int
gateway_conv_notice(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, const char *key, int64_t now)
{
	const char	*chan = NULL;
	char		*addr = NULL, *text;
	int		 rc = 0;

	if (reply_target(gw, ch, m, &chan, &addr) != 0)
		return 0;	/* nowhere to answer */
	text = dialog_render(gw->cfg, utf8_has_cjk(m->text) ? "zh" : "en", key, NULL);
	rc = gateway_outbox_add(st, gw, chan, addr, text, 0, "notice", true, now, now);
	free(text);
	free(addr);
	return rc;
}

static int
load_resident(struct store *st, const char *address, const char *lang,
    int64_t now, bool *opted_out)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_RESIDENT_UPSERT);
	int		 rc;

	store_bind_text(stmt, 1, address, -1, STORE_STATIC);
	store_bind_text(stmt, 2, lang, -1, STORE_STATIC);
	store_bind_int64(stmt, 3, now);
	rc = store_step(stmt);
	store_reset(stmt);
	if (rc == STORE_DONE) {
		stmt = store_stmt(st, SQL_RESIDENT_GET);
		store_bind_text(stmt, 1, address, -1, STORE_STATIC);
		if ((rc = store_step(stmt)) == STORE_ROW)
			*opted_out = store_column_int(stmt, 0) != 0;
		store_reset(stmt);
	}
	if (rc != STORE_ROW) {
		log_warnx("store resident upsert failed err=\"%s\"", store_errmsg(st));
		return -1;
	}
	return 0;
}

/* The stored conversation, if any; -1 on a store error. */
static int
load_conv(struct store *st, const struct config *cfg, const char *channel,
    const char *address, uint64_t reqid, struct dialog_input *in)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_CONV_GET);
	enum dialog_state s;
	json_t		*data = NULL;
	int		 rc;

	store_bind_text(stmt, 1, channel, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 2, address, -1, STORE_TRANSIENT);
	rc = store_step(stmt);
	if (rc == STORE_ROW) {
		data = json_loads((const char *)store_column_text(stmt, 1), 0, NULL);
		if (dialog_state_parse((const char *)store_column_text(stmt, 0), &s) == 0 &&
		    conv_state_from_json(cfg, s, data, store_column_int64(stmt, 2),
		    &in->conv) == 0)
			in->has_conv = true;
		else
			log_warnx("%016" PRIx64 " conversation unreadable, starting "
			    "afresh channel=%s", reqid, channel);
		json_decref(data);
	}
	store_reset(stmt);
	return rc == STORE_ROW || rc == STORE_DONE ? 0 : -1;
}

/* The resident's recent cases; strings in the briefs are from malloc(). */
static int
load_cases(struct store *st, const char *address, struct case_brief **out, size_t *n)
{
	struct store_stmt		*stmt = store_stmt(st, SQL_CASES_OF);
	struct case_brief	*cb = xcalloc(CASES_LOADED, sizeof(*cb));
	size_t			 k = 0;
	int			 rc;

	store_bind_text(stmt, 1, address, -1, STORE_TRANSIENT);
	store_bind_int(stmt, 2, CASES_LOADED);
	while ((rc = store_step(stmt)) == STORE_ROW && k < CASES_LOADED) {
		cb[k].number = store_column_int64(stmt, 0);
		cb[k].status = xstrdup((const char *)store_column_text(stmt, 1));
		cb[k].category = xstrdup((const char *)store_column_text(stmt, 2));
		cb[k].grid = xstrdup((const char *)store_column_text(stmt, 3));
		cb[k].deputy = xstrdup((const char *)store_column_text(stmt, 4));
		cb[k].department = xstrdup((const char *)store_column_text(stmt, 5));
		cb[k].created_at = store_column_int64(stmt, 6);
		cb[k].due_at = store_column_int64(stmt, 7);
		k++;
	}
	store_reset(stmt);
	*out = cb;
	*n = k;
	return rc == STORE_DONE || rc == STORE_ROW ? 0 : -1;
}

/* The index of the first resolved case (one awaiting its rating), or n. */
static size_t
resolved_index(const struct case_brief *cb, size_t n)
{
	size_t	 k;

	for (k = 0; k < n && strcmp(cb[k].status, "resolved") != 0; k++)
		;
	return k;
}

/*
 * The open cases of one place and category (another resident's report of
 * the same problem), into *o when there are any; 1 then, 0 when none, -1
 * on error.  o's strings are borrowed from grid and category.
 */
static int
load_open(struct store *st, const char *grid, const char *category,
    struct open_group *o)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_OPEN_GROUP);
	int		 rc, found = 0;

	store_bind_text(stmt, 1, grid, -1, STORE_STATIC);
	store_bind_text(stmt, 2, category, -1, STORE_STATIC);
	if ((rc = store_step(stmt)) == STORE_ROW &&
	    store_column_int(stmt, 1) > 0) {
		o->grid = grid;
		o->category = category;
		o->first = (long)store_column_int64(stmt, 0);
		o->residents = store_column_int(stmt, 1);
		found = 1;
	}
	store_reset(stmt);
	return rc == STORE_ROW || rc == STORE_DONE ? found : -1;
}

/* The place and category of the case the message itself makes, if it
 * makes one: the last (an open request filed as it stands goes first). */
static const struct new_case *
created_case(const struct dialog_result *res)
{
	size_t	 i;

	for (i = res->neffects; i > 0; i--)
		if (res->effects[i - 1].kind == EFF_CASE_CREATE)
			return &res->effects[i - 1].c;
	return NULL;
}

static void
free_cases(struct case_brief *cb, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free((char *)(uintptr_t)cb[i].status);
		free((char *)(uintptr_t)cb[i].category);
		free((char *)(uintptr_t)cb[i].grid);
		free((char *)(uintptr_t)cb[i].deputy);
		free((char *)(uintptr_t)cb[i].department);
	}
	free(cb);
}

/* The grid of case number (static buffer: valid until the next call). */
static const char *
case_grid(struct store *st, long number)
{
	static __thread char	 grid[64];
	struct store_stmt		*stmt = store_stmt(st, SQL_CASE_GRID);
	const char		*g = NULL;

	store_bind_int64(stmt, 1, number);
	if (store_step(stmt) == STORE_ROW && store_column_text(stmt, 0) != NULL) {
		strlcpy(grid, (const char *)store_column_text(stmt, 0), sizeof(grid));
		g = grid;
	}
	store_reset(stmt);
	return g;
}

/* The grid of case number: the case this step made (not read back), or
 * the stored one's. */
static const char *
effect_case_grid(struct store *st, const struct config *cfg,
    const struct effect *created, long number)
{
	if (created != NULL && created->number == number)
		return created->c.grid >= 0 ? cfg->grids[created->c.grid].id : NULL;
	return case_grid(st, number);
}

/*
 * Cases the resident opened in the last 24 hours: counted in their recent
 * cases (newest first) unless every one of CASES_LOADED is that recent.
 */
static int
cases_today(struct store *st, const char *address, const struct case_brief *cb,
    size_t ncases, int64_t now)
{
	struct store_stmt	*stmt;
	size_t		 k;
	int		 n = 0;

	for (k = 0; k < ncases && cb[k].created_at > now - 86400; k++)
		;
	if (k < CASES_LOADED)
		return (int)k;
	stmt = store_stmt(st, SQL_CASES_TODAY);
	store_bind_text(stmt, 1, address, -1, STORE_TRANSIENT);
	store_bind_int64(stmt, 2, now - 86400);
	if (store_step(stmt) == STORE_ROW)
		n = store_column_int(stmt, 0);
	store_reset(stmt);
	return n;
}

static int64_t
next_case_number(struct store *st)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_CASE_NEXT);
	int64_t		 n = -1;

	if (store_step(stmt) == STORE_ROW)
		n = store_column_int64(stmt, 0);
	store_reset(stmt);
	return n;
}

/* A number for a case: the next one, or the next after 'after'. */
static int64_t
case_number_take(struct store *st, int64_t after)
{
	struct store_stmt	*stmt;
	int64_t			 n = -1;

	stmt = store_stmt(st, after > 0 ? SQL_CASE_TAKE_AFTER : SQL_CASE_TAKE);
	if (after > 0)
		store_bind_int64(stmt, 1, after);
	if (store_step(stmt) == STORE_ROW)
		n = store_column_int64(stmt, 0);
	store_reset(stmt);
	if (n < 0)
		log_warnx("store case number failed err=\"%s\"", store_errmsg(st));
	return n;
}

/*
 * res makes a case numbered as next_case_number read before the step (and
 * at most one more, the next: an open request filed as it stands beside a
 * new one): take those numbers now.  When the store gives others (on
 * PostgreSQL, another node took one meanwhile), the step runs again with
 * them: pure, so the same but for the numbers.  0; 1 when the step again
 * gives nothing usable; -1 on a store error (logged).
 */
static int
take_case_number(struct store *st, struct gateway *gw, struct dialog_input *in,
    struct dialog_result *res)
{
	int64_t		 n, n2 = 0;
	size_t		 i, made = 0;

	for (i = 0; i < res->neffects; i++)
		made += res->effects[i].kind == EFF_CASE_CREATE;
	if (made == 0)
		return 0;
	if ((n = case_number_take(st, 0)) < 0 ||
	    (made > 1 && (n2 = case_number_take(st, n)) < 0))
		return -1;
	if (n == in->next_case_number && (made == 1 || n2 == n + 1))
		return 0;
	in->next_case_number = n;
	in->second_case_number = n2;
	dialog_result_clear(res);
	return dialog_step(gw->cfg, gw->tix, in, res) != 0 ? 1 : 0;
}

int
gateway_learn_cases(struct store *st, const struct config *cfg, struct text_index *ix)
{
	struct store_stmt		*stmt = store_stmt(st, SQL_CASES_LEARN);
	const struct category	*c;
	int			 rc, n = 0;

	if (stmt == NULL)
		return -1;
	store_bind_int(stmt, 1, LEARN_CASES_MAX);
	while ((rc = store_step(stmt)) == STORE_ROW) {
		/* a category the config no longer has teaches nothing */
		if ((c = config_category(cfg, (const char *)store_column_text(stmt,
		    0))) == NULL)
			continue;
		text_index_learn(ix, (int)(c - cfg->categories),
		    (const char *)store_column_text(stmt, 1));
		n++;
	}
	store_reset(stmt);
	if (rc != STORE_DONE) {
		log_warnx("store: learning closed cases: %s", store_errmsg(st));
		return -1;
	}
	return n;
}

/* A closed case to learn once its closing is durable. */
struct learn_later {
	struct gateway	*gw;
	char		*category;	/* from malloc() */
	char		*description;	/* from malloc() */
};

static void
learn_later_free(void *arg)
{
	struct learn_later	*ll = arg;

	free(ll->category);
	free(ll->description);
	free(ll);
}

static void
learn_now(void *arg)
{
	struct learn_later	*ll = arg;
	const struct category	*c;
	struct gateway		*gw;

	/* the newest generation's index learns, not the one of the job that
	 * closed the case: a reload publishes on this thread (main.c) */
	gw = gateway_current(ll->gw);
	if (gw->root->relearn != NULL) {
		struct relearn	*rl = gw->root->relearn;

		if (rl->n == rl->cap) {
			rl->cap = rl->cap ? rl->cap * 2 : 16;
			rl->category = xrealloc(rl->category, rl->cap *
			    sizeof(*rl->category));
			rl->description = xrealloc(rl->description, rl->cap *
			    sizeof(*rl->description));
		}
		rl->category[rl->n] = xstrdup(ll->category);
		rl->description[rl->n++] = xstrdup(ll->description);
	}
	if ((c = config_category(gw->cfg, ll->category)) == NULL)
		return;
	text_index_learn(gw->tix, (int)(c - gw->cfg->categories), ll->description);
	log_debug("classifier learned category=%s cases=%zu", ll->category,
	    text_index_learned(gw->tix));
}

void
gateway_learn_case(struct store *st, struct gateway *gw, const char *category,
    const char *description)
{
	struct learn_later	*ll;

	if (category == NULL || description == NULL)
		return;
	/* a closing rolled back (or run again) teaches nothing */
	ll = xcalloc(1, sizeof(*ll));
	ll->gw = gw;
	ll->category = xstrdup(category);
	ll->description = xstrdup(description);
	store_after_commit(st, learn_now, ll, learn_later_free);
}

static int64_t
case_create(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, const struct effect *e, const char *lang,
    const char *rchan, const char *raddr, int64_t msg_rowid, uint64_t reqid,
    int64_t now, const struct onbehalf *ob)
{
	const struct config	*cfg = gw->cfg;
	struct store_stmt		*stmt = store_stmt(st, SQL_CASE_INSERT);
	const struct grid	*g = e->c.grid >= 0 ? &cfg->grids[e->c.grid] : NULL;
	const char		*township = NULL;
	struct case_view	 v;
	int64_t			 id;
	char			*detail;

	if (g != NULL)
		township = g->township;
	else if (e->c.township >= 0)
		township = cfg->townships[e->c.township].id;
	/* Its first deadline, from what the row will hold: no read back. */
	memset(&v, 0, sizeof(v));
	v.number = e->c.number;
	v.status = "received";
	v.channel = ch->conf->id;
	v.citizen = m->from;
	v.grid = g ? g->id : NULL;
	v.township = township;
	v.category = e->c.category >= 0 ? cfg->categories[e->c.category].id : NULL;
	v.tier = e->c.tier;
	v.deputy = e->c.deputy;
	v.department = e->c.department;
	v.language = lang;
	v.flags = e->c.triage ? CASE_FLAG_TRIAGE : 0;
	v.created_at = now;
	store_bind_int64(stmt, 1, e->c.number);
	store_bind_text(stmt, 2, ch->conf->id, -1, STORE_STATIC);
	store_bind_text(stmt, 3, m->from, -1, STORE_STATIC);
	bind_str_or_null(stmt, 4, g ? g->id : NULL);
	bind_str_or_null(stmt, 5, township);
	bind_str_or_null(stmt, 6, e->c.category >= 0 ? cfg->categories[e->c.category].id : NULL);
	store_bind_int(stmt, 7, e->c.tier);
	store_bind_text(stmt, 8, e->description ? e->description : "", -1, STORE_STATIC);
	bind_str_or_null(stmt, 9, e->place);
	bind_str_or_null(stmt, 10, e->c.deputy);
	bind_str_or_null(stmt, 11, e->c.department);
	store_bind_text(stmt, 12, lang, -1, STORE_STATIC);
	store_bind_int(stmt, 13, e->c.triage ? CASE_FLAG_TRIAGE : 0);
	if (m->media != NULL && json_array_size(m->media) > 0) {
		char *media = json_dumps(m->media, JSON_COMPACT);
		store_bind_text(stmt, 14, media, -1, STORE_TRANSIENT);
		free(media);
	} else
		store_bind_null(stmt, 14);
	store_bind_int64(stmt, 15, now);
	bind_str_or_null(stmt, 16, rchan);
	bind_str_or_null(stmt, 17, raddr);
	store_bind_int64(stmt, 18, schedule_next(cfg, &v));
	bind_str_or_null(stmt, 19, ob != NULL ? ob->filed_by : NULL);
	bind_str_or_null(stmt, 20, ob != NULL ? ob->source : NULL);
	if (step_done(st, stmt, "case insert") != 0)
		return -1;
	id = store_last_insert_id(st);
	detail = xasprintf("grid=%s category=%s deputy=%s%s%s%s", g ? g->id : "-",
	    e->c.category >= 0 ? cfg->categories[e->c.category].id : "-",
	    e->c.deputy ? e->c.deputy : "-", e->c.triage ? " triage" :
	    ob != NULL ? " on_behalf" : "", ob != NULL && ob->source != NULL ?
	    " source=" : "", ob != NULL && ob->source != NULL ? ob->source : "");
	if (gateway_case_event(st, id, now, ob != NULL ? ob->filed_by : "resident",
	    "created", NULL, "received", detail) != 0) {
		free(detail);
		return -1;
	}
	free(detail);
	if (e->c.linked_to > 0) {
		detail = xasprintf("case=%ld residents=%d", e->c.linked_to,
		    e->c.reporters);
		if (gateway_case_event(st, id, now, "resident", "linked", NULL, NULL,
		    detail) != 0) {
			free(detail);
			return -1;
		}
		free(detail);
	}
	stmt = store_stmt(st, SQL_MSG_CASE);
	store_bind_int64(stmt, 1, msg_rowid);
	store_bind_int64(stmt, 2, id);
	if (step_done(st, stmt, "message case") != 0)
		return -1;
	log_info("%016" PRIx64 " case created number=%ld channel=%s grid=%s "
	    "deputy=%s", reqid, e->c.number, ch->conf->id, g ? g->id : "-",
	    e->c.deputy ? e->c.deputy : "-");
	return id;
}

static int
case_cancel(struct store *st, long number, int64_t now, int64_t *case_id)
{
	struct store_stmt	*stmt = store_stmt(st, SQL_CASE_ID);
	char		*from = NULL;
	int		 rc;

	store_bind_int64(stmt, 1, number);
	if ((rc = store_step(stmt)) == STORE_ROW) {
		*case_id = store_column_int64(stmt, 0);
		from = xstrdup((const char *)store_column_text(stmt, 1));
	}
	store_reset(stmt);
	if (rc != STORE_ROW)
		return -1;
	stmt = store_stmt(st, SQL_CASE_CANCEL);
	store_bind_int64(stmt, 1, number);
	store_bind_int64(stmt, 2, now);
	rc = step_done(st, stmt, "case cancel");
	if (rc == 0)
		rc = gateway_case_event(st, *case_id, now, "resident", "cancelled",
		    from, "cancelled", NULL);
	free(from);
	return rc;
}

/*
 * The resident's category for case number, while nobody has taken it
 * (received): the department and tier follow the category.  0 too when
 * it was taken meanwhile (nothing changes); -1 on a store error.
 */
static int
case_recategorize(struct store *st, const struct config *cfg,
    const struct effect *e, int64_t now, int64_t *case_id)
{
	const struct category	*k = &cfg->categories[e->c.category];
	struct store_stmt	*stmt = store_stmt(st, SQL_CASE_CATEGORY);
	const unsigned char	*was;
	char			*detail = NULL;
	int			 rc;

	store_bind_int64(stmt, 1, e->number);
	if ((rc = store_step(stmt)) == STORE_ROW) {
		*case_id = store_column_int64(stmt, 0);
		was = store_column_text(stmt, 1);
		detail = xasprintf("category=%s->%s", was != NULL ?
		    (const char *)was : "-", k->id);
	}
	store_reset(stmt);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? 0 : -1;
	stmt = store_stmt(st, SQL_CASE_RECATEGORIZE);
	store_bind_int64(stmt, 1, e->number);
	store_bind_text(stmt, 2, k->id, -1, STORE_STATIC);
	bind_str_or_null(stmt, 3, e->c.department);
	store_bind_int(stmt, 4, e->c.tier);
	store_bind_int64(stmt, 5, now);
	rc = step_done(st, stmt, "case recategorize");
	if (rc == 0)
		rc = gateway_case_event(st, *case_id, now, "resident",
		    "recategorized", "received", "received", detail);
	free(detail);
	return rc;
}

static int
save_conv(struct store *st, const struct config *cfg, const char *channel,
    const char *address, const struct conv_state *cs, int64_t now)
{
	struct store_stmt	*stmt;
	json_t		*data;
	char		*text;

	if (cs->state == DS_IDLE) {
		stmt = store_stmt(st, SQL_CONV_DEL);
		store_bind_text(stmt, 1, channel, -1, STORE_TRANSIENT);
		store_bind_text(stmt, 2, address, -1, STORE_TRANSIENT);
		return step_done(st, stmt, "conversation delete");
	}
	data = conv_state_to_json(cs);
	text = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	stmt = store_stmt(st, SQL_CONV_PUT);
	store_bind_text(stmt, 1, channel, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 2, address, -1, STORE_TRANSIENT);
	store_bind_text(stmt, 3, dialog_state_name(cs->state), -1, STORE_STATIC);
	store_bind_text(stmt, 4, text, -1, STORE_TRANSIENT);
	free(text);
	store_bind_int64(stmt, 5, now);
	store_bind_int64(stmt, 6, now + (int64_t)cfg->idle_minutes * 60);
	return step_done(st, stmt, "conversation save");
}

static int
set_resident(struct store *st, const char *sql, const char *address,
    const char *sval, int ival, int64_t now)
{
	struct store_stmt	*stmt = store_stmt(st, sql);

	store_bind_text(stmt, 1, address, -1, STORE_TRANSIENT);
	if (sval != NULL)
		store_bind_text(stmt, 2, sval, -1, STORE_TRANSIENT);
	else
		store_bind_int(stmt, 2, ival);
	store_bind_int64(stmt, 3, now);
	return step_done(st, stmt, "resident update");
}

/* The number a resident may be called back on: theirs when they wrote
 * from one, a group member's mobile when the bridge gave it; or NULL. */
static const char *
resident_callback(const struct inbound *m)
{
	if (m->from != NULL && m->from[0] == '+')
		return m->from;
	return m->sender_mobile;
}

/* Apply the dialog's effects in order.  -1 on a store error. */
static int
apply_effects(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, const struct dialog_result *res, bool opted_out,
    int64_t msg_rowid, uint64_t reqid, int64_t now, const struct onbehalf *ob)
{
	const char	*lang = utf8_has_cjk(m->text) ? "zh" : "en";
	const char	*callback = resident_callback(m);
	const char	*rchan = NULL;
	char		*raddr = NULL;
	const struct effect *created = NULL;	/* the case this step made */
	int64_t		 case_id = 0;
	bool		 silent = opted_out;
	size_t		 i;
	int		 rc = -1;

	if (reply_target(gw, ch, m, &rchan, &raddr) != 0) {
		log_warnx("%016" PRIx64 " conversation has nowhere to answer "
		    "channel=%s group=%s", reqid, ch->conf->id,
		    m->group_id ? m->group_id : "-");
		rchan = NULL;
	}
	/* An opt-out is confirmed once; an opt-in lifts the silence. */
	for (i = 0; i < res->neffects; i++) {
		if (res->effects[i].kind == EFF_OPT_OUT || res->effects[i].kind == EFF_OPT_IN)
			silent = false;
		if (res->effects[i].kind == EFF_SET_LANGUAGE)
			lang = res->effects[i].lang;
	}
	for (i = 0; i < res->neffects; i++) {
		const struct effect	*e = &res->effects[i];
		const struct deputy	*d;

		switch (e->kind) {
		case EFF_CASE_CREATE:
			if ((case_id = case_create(st, gw, ch, m, e, lang, rchan, raddr,
			    msg_rowid, reqid, now, ob)) < 0)
				goto out;
			created = e;
			break;
		case EFF_CASE_CANCEL:
			if (case_cancel(st, e->number, now, &case_id) != 0 ||
			    gateway_case_reschedule(st, gw, e->number) != 0)
				goto out;
			break;
		case EFF_CASE_RECATEGORIZE:
			if (case_recategorize(st, gw->cfg, e, now, &case_id) != 0 ||
			    gateway_case_reschedule(st, gw, e->number) != 0)
				goto out;
			break;
		case EFF_REPLY:
			if (ob != NULL && ob->copy_chan != NULL) {	/* the filer's copy */
				const char *v[] = { "receipt", e->text, NULL };
				char *copy = staff_render_fit(gw->cfg, e->lang,
				    "onbehalf_copy", v, "receipt");
				int r = gateway_outbox_add(st, gw, ob->copy_chan,
				    ob->copy_addr, copy, case_id, "reply", true, now, now);

				free(copy);
				if (r != 0)
					goto out;
			}
			if (silent || rchan == NULL)
				break;
			if (gateway_outbox_add(st, gw, rchan, raddr, e->text,
			    case_id, "reply", true, now, now) != 0)
				goto out;
			break;
		case EFF_NOTIFY_DEPUTY:
		case EFF_NOTIFY_STAFF: {
			const struct staff_member *sm = NULL;
			const char	*dchan, *notify = NULL, *phone = NULL;
			char		*daddr = NULL, *text;
			int		 r;

			if (e->kind == EFF_NOTIFY_DEPUTY &&
			    (d = config_deputy(gw->cfg, e->deputy)) != NULL) {
				notify = d->notify_channel;
				phone = d->phone;
			} else if (e->kind == EFF_NOTIFY_STAFF &&
			    (sm = config_staff(gw->cfg, e->staff)) != NULL) {
				notify = sm->notify_channel;
				phone = sm->phone;
			}
			if (phone == NULL || gateway_staff_target(gw, notify, phone,
			    ch->conf->id, effect_case_grid(st, gw->cfg, created, e->number),
			    &dchan, &daddr) != 0) {
				log_warnx("%016" PRIx64 " staff alert has no channel "
				    "to=%s", reqid, e->kind == EFF_NOTIFY_DEPUTY ?
				    e->deputy : e->staff);
				free(daddr);
				break;
			}
			text = gateway_text_for(gw, dchan, e->text, callback);
			r = gateway_outbox_add(st, gw, dchan, daddr, text, case_id,
			    "alert", true, now, now);
			free(text);
			free(daddr);
			if (r != 0)
				goto out;
			break;
		}
		case EFF_OPT_OUT:
		case EFF_OPT_IN:
			if (set_resident(st, SQL_RESIDENT_OPT, m->from, NULL,
			    e->kind == EFF_OPT_OUT, now) != 0)
				goto out;
			break;
		case EFF_SET_LANGUAGE:
			if (set_resident(st, SQL_RESIDENT_LANG, m->from, e->lang, 0, now) != 0)
				goto out;
			break;
		}
	}
	rc = 0;
out:
	free(raddr);
	return rc;
}

int
gateway_conv_handle(struct store *st, struct gateway *gw, struct channel *ch,
    const struct inbound *m, const struct dialog_msg *dm, int64_t msg_rowid,
    uint64_t reqid, int64_t now)
{
	struct dialog_input	 in;
	struct dialog_result	 res;
	struct case_brief	*cases = NULL;
	size_t			 ncases = 0;
	struct open_group	 open;
	const struct new_case	*nc;
	bool			 opted_out = false;
	int64_t			 next;
	int			 taken;
	int			 rc = -1, pgrid, pcat, found;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	conv_state_init(&in.conv);
	/* Another node may hold this resident's last message: one at a time. */
	if (store_lock_key(st, "resident", m->from) != 0)
		goto out;
	if (load_resident(st, m->from, utf8_has_cjk(m->text) ? "zh" : gw->cfg->language,
	    now, &opted_out) != 0)
		goto out;
	if (load_conv(st, gw->cfg, ch->conf->id, m->from, reqid, &in) != 0)
		goto out;
	/* In a group, chatter that is not for us and answers no question is
	 * only kept as seen.  A rating answers the prompt the member was sent
	 * in the group, so it needs no mention when one of theirs awaits it. */
	if (!m->addressed && !in.has_conv && (ch->ad->flags & AD_F_DIRECT) == 0) {
		int score;
		const char *comment;

		if (rating_parse(m->text, &score, &comment) != 0) {
			rc = 0;
			goto out;
		}
		if (load_cases(st, m->from, &cases, &ncases) != 0)
			goto out;
		if (resolved_index(cases, ncases) == ncases) {
			rc = 0;
			goto out;
		}
	}
	/* Deputies and departments answer with commands (代表定单, 办单);
	 * a hotline transcript is always a resident's request, whoever calls. */
	if ((ch->ad->flags & AD_F_DIRECT) == 0 &&
	    (m->addressed || m->group_id == NULL)) {
		const char *phone = m->from[0] == '+' ? m->from : m->sender_mobile;
		const char *rchan = NULL;
		char *raddr = NULL;
		int handled = 0;

		/* an evaluator's score, a deputy's 票决 or duty record */
		if ((handled = gateway_eval_handle(st, gw, ch, m, msg_rowid, reqid,
		    now)) == 0 && reply_target(gw, ch, m, &rchan, &raddr) == 0)
			handled = gateway_staff_handle(st, gw, phone, m->text, rchan,
			    raddr, reqid, now);
		free(raddr);
		if (handled != 0) {
			rc = handled > 0 ? 0 : -1;
			goto out;
		}
	}
	if (cases == NULL && load_cases(st, m->from, &cases, &ncases) != 0)
		goto out;
	/* A rating of the resident's resolved case (群众评单), even while
	 * another dialog is open; a bare number answers an open category
	 * question instead. */
	{
		size_t k = resolved_index(cases, ncases);
		if ((ch->ad->flags & AD_F_DIRECT) == 0 &&
		    k < ncases && !(in.has_conv && in.conv.state == DS_ASK_CATEGORY &&
		    text_parse_choice(m->text) > 0)) {
			int handled = gateway_rating_handle(st, gw, cases[k].number,
			    m->text, reqid, now);
			if (handled != 0) {
				rc = handled > 0 ? 0 : -1;
				goto out;
			}
		}
	}
	if ((next = next_case_number(st)) < 0)
		goto out;
	in.now = now;
	in.channel = ch->conf->id;
	in.address = m->from;
	in.callback = resident_callback(m);
	in.sender_name = m->sender_name;
	in.text = m->text;
	in.addressed = m->addressed;
	in.direct = (ch->ad->flags & AD_F_DIRECT) != 0;
	in.grid_hint = -1;
	if (m->group_id != NULL) {
		const struct grid *g = config_grid_by_group(gw->cfg, ch->conf->id, m->group_id);
		if (g != NULL)
			in.grid_hint = (int)(g - gw->cfg->grids);
	}
	in.next_case_number = next;
	in.weekday = dialog_weekday(now, gateway_utc_offset(gw->cfg, now));
	if ((in.case_limit_reached = cases_today(st, m->from, cases, ncases, now) >=
	    gw->cfg->cases_per_day))
		log_info("%016" PRIx64 " limit cases per day reached channel=%s",
		    reqid, ch->conf->id);
	in.opted_out = opted_out;
	in.msg = dm;
	in.cases = cases;
	in.ncases = ncases;
	/*
	 * A case made where another resident's of the same place and
	 * category is open joins it.  Rather than read every open case for
	 * every message, read that one group: the one the message names (or
	 * the conversation or the group holds) before the step, and when
	 * the case made is of another, the step again knowing that one
	 * (pure, so the same but for the link and the count).
	 */
	dialog_msg_names(dm, &pgrid, &pcat);
	if (pgrid < 0)
		pgrid = in.has_conv && in.conv.grid >= 0 ? in.conv.grid : in.grid_hint;
	if (pcat < 0 && in.has_conv)
		pcat = in.conv.category;
	if (pgrid >= 0 && pcat >= 0) {
		if ((found = load_open(st, gw->cfg->grids[pgrid].id,
		    gw->cfg->categories[pcat].id, &open)) < 0)
			goto out;
		if (found > 0) {
			in.open = &open;
			in.nopen = 1;
		}
	}
	if (dialog_step(gw->cfg, gw->tix, &in, &res) != 0) {
		rc = 0;		/* nothing usable: stored, no reply */
		goto out;
	}
	if ((nc = created_case(&res)) != NULL && nc->grid >= 0 && nc->category >= 0 &&
	    (nc->grid != pgrid || nc->category != pcat)) {
		if ((found = load_open(st, gw->cfg->grids[nc->grid].id,
		    gw->cfg->categories[nc->category].id, &open)) < 0)
			goto out;
		if (found > 0) {
			dialog_result_clear(&res);
			in.open = &open;
			in.nopen = 1;
			if (dialog_step(gw->cfg, gw->tix, &in, &res) != 0) {
				rc = 0;
				goto out;
			}
		}
	}
	if ((taken = take_case_number(st, gw, &in, &res)) != 0) {
		rc = taken > 0 ? 0 : -1;
		goto out;
	}
	log_debug("%016" PRIx64 " dialog step channel=%s %s -> %s effects=%zu",
	    reqid, ch->conf->id,
	    dialog_state_name(in.has_conv ? in.conv.state : DS_IDLE),
	    dialog_state_name(res.conv.state), res.neffects);
	if (apply_effects(st, gw, ch, m, &res, opted_out, msg_rowid, reqid,
	    now, NULL) != 0)
		goto out;
	if ((in.has_conv || res.conv.state != DS_IDLE) &&
	    save_conv(st, gw->cfg, ch->conf->id, m->from, &res.conv, now) != 0)
		goto out;
	rc = 0;
out:
	free_cases(cases, ncases);
	conv_state_clear(&in.conv);
	dialog_result_clear(&res);
	return rc;
}

int
gateway_conv_onbehalf(struct store *st, struct gateway *gw, const char *filed_by,
    const char *resident, const char *text, int grid_hint,
    const struct gateway_given *given, const char *lang, const char *copy_chan,
    const char *copy_addr, long *made, uint64_t reqid, int64_t now)
{
	const char		*chid = adapter_sms_channel(gw->cfg);
	struct channel		*ch = chid != NULL ? gateway_channel(gw, chid) : NULL;
	struct onbehalf		 ob = { filed_by, copy_chan, copy_addr,
				    given != NULL ? given->source : NULL };
	struct inbound		 m;
	struct dialog_input	 in;
	struct dialog_result	 res;
	struct case_brief	*cases = NULL;
	size_t			 ncases = 0;
	bool			 opted_out = false;
	int64_t			 next;
	int			 taken = 0;
	char			*note;
	size_t			 i;
	int			 rc = -1;

	if (made != NULL)
		*made = 0;
	if (ch == NULL) {
		log_warnx("%016" PRIx64 " on behalf: no SMS channel reaches residents",
		    reqid);
		note = dialog_render(gw->cfg, lang, "staff_onbehalf_no_channel", NULL);
		rc = copy_chan != NULL ? gateway_outbox_add(st, gw, copy_chan, copy_addr,
		    note, 0, "reply", true, now, now) : 0;
		free(note);
		return rc;
	}
	memset(&m, 0, sizeof(m));
	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	conv_state_init(&in.conv);
	m.from = (char *)(uintptr_t)resident;
	m.text = (char *)(uintptr_t)text;
	m.addressed = true;
	if (load_resident(st, resident, utf8_has_cjk(text) ? "zh" : gw->cfg->language,
	    now, &opted_out) != 0 || load_cases(st, resident, &cases, &ncases) != 0 ||
	    (next = next_case_number(st)) < 0)
		goto out;
	in.now = now;
	in.channel = ch->conf->id;
	in.address = resident;
	in.callback = resident;
	in.text = text;
	in.addressed = true;
	in.direct = true;		/* a whole request: ask the resident nothing */
	in.grid_hint = grid_hint;
	in.grid_given = given != NULL ? given->grid : NULL;
	in.category_given = given != NULL ? given->category : NULL;
	in.next_case_number = next;
	in.weekday = dialog_weekday(now, gateway_utc_offset(gw->cfg, now));
	in.case_limit_reached = cases_today(st, resident, cases, ncases, now) >=
	    gw->cfg->cases_per_day;
	in.opted_out = opted_out;
	in.cases = cases;
	in.ncases = ncases;
	if (dialog_step(gw->cfg, gw->tix, &in, &res) != 0 ||
	    (taken = take_case_number(st, gw, &in, &res)) > 0) {
		rc = 0;
		goto out;
	}
	if (taken < 0 ||
	    apply_effects(st, gw, ch, &m, &res, opted_out, 0, reqid, now, &ob) != 0)
		goto out;
	for (i = 0; made != NULL && i < res.neffects; i++)
		if (res.effects[i].kind == EFF_CASE_CREATE)
			*made = res.effects[i].c.number;
	log_info("%016" PRIx64 " case on behalf by=%s channel=%s", reqid, filed_by,
	    ch->conf->id);
	rc = 0;
out:
	free_cases(cases, ncases);
	conv_state_clear(&in.conv);
	dialog_result_clear(&res);
	return rc;
}
