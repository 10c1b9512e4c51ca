/*
 * tests/fuzz/fuzz_dialog.c: random conversations against
 * config/minyi.example.json (loaded once), with this driver playing the
 * shell's part as gateway/conv.c and gateway/staff.c do, minus SQLite.
 *
 * The input: its first byte picks the cases the world starts with (bit 0:
 * none, or a small fixed list: #101 received and #102 resolved for the
 * first resident, #103 dispatched and #104 in progress for the second)
 * and, with bit 1, that the first line is a conversation already stored
 * for the first resident on sms, as the shell would read it from a
 * database written by anyone: the line's first byte picks the state (% 4)
 * and the rest is its data column (any JSON, or not JSON at all: the shell
 * then starts afresh).  The rest is split into lines, each one message:
 * the line's first byte c picks
 *	sender	c % 3		a resident, a second resident, deputy d-niu
 *	channel	c / 3 % 3	sms, the group wxg-001 (grid liuxindian), hotline
 *	mention	c / 9 % 2	in the group: spoke to the bot, or chatter
 *	clock	c / 18 % 4	+30 s, +10 min, past the idle time, +1 day
 * and the rest of the line is the text, as an adapter hands it on: valid
 * UTF-8 (invalid bytes replaced with utf8_sanitize, as struct inbound
 * promises).
 *
 * Each message goes the shell's way: chatter nobody asked for is dropped;
 * a staff command (staff_parse) goes to staff_step with the case it
 * names and, for LIST, the sender's cases; a resident with a resolved
 * case may be rating it (rating_step); anything else is one dialog_step,
 * with the conversation of (channel, sender) carried over from the last
 * step through its stored JSON (conv_state_to_json, then from_json, as
 * conversations.data) and the resident's cases, newest first.  Effects
 * are applied to the driver's cases: new cases, cancellations, status and
 * column updates.  After every message the scheduler's rules run over
 * every case (schedule_step).
 *
 * What is checked, else fuzz_fail():
 *  - every text the dialog or the staff code sends (replies, deputy
 *    alerts, notices, reminders) is non-empty UTF-8 that fits two SMS
 *    segments (utf8_sms_segments), in zh or en;
 *  - at most one reply to the resident per step;
 *  - a new case has the number the shell offered, a deputy of the config
 *    and indexes in range; a cancelled case is one of the resident's;
 *    notified deputies and departments exist; updates name known statuses;
 *  - the next conversation survives its JSON unchanged.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../dialogs/dialogs.h"
#include "fuzz.h"

#define EXAMPLE		"config/minyi.example.json"
#define T0		((int64_t)1795399200)	/* 2026-11-23 10:00 Asia/Shanghai */
#define CN_OFFSET	480			/* UTC+8, minutes */
#define MSGS_MAX	64	/* messages one input may hold */
#define CASES_MAX	12	/* cases the world may hold */
#define FIRST_CASE	101
#define NSENDERS	3
#define NCHANNELS	3

static struct config	*cfg;		/* loaded once, never freed */
static struct text_index *tix;

/* The people who write: two residents and a deputy (d-niu). */
static const struct {
	const char	*phone;		/* E.164 */
	const char	*member;	/* their id in the group */
} senders[NSENDERS] = {
	{ "+8613800138000",	"groups:wx-li" },
	{ "+8613800138001",	"groups:wx-wang" },
	{ "+8613900139000",	"groups:wx-niu" },
};

static const char *const channels[NCHANNELS] = { "sms", "groups", "hotline" };
#define CH_SMS		0
#define CH_GROUPS	1
#define CH_HOTLINE	2

/* The sender's address on a channel: the member id in the group. */
static const char *
address_of(size_t who, size_t chan)
{
	return chan == CH_GROUPS ? senders[who].member : senders[who].phone;
}

/* A case as the shell holds it.  Strings not marked are borrowed. */
struct fcase {
	struct case_view v;
	char		*description;	/* from malloc(), or NULL when static */
	char		*place;		/* from malloc(), or NULL */
};

/* A stored conversation, as conversations holds it. */
struct fconv {
	bool		 has;
	bool		 foreign;	/* from the input, not written by a step */
	enum dialog_state state;
	char		*data;		/* JSON, from malloc() */
	int64_t		 updated_at;
};

/* The world one input plays in. */
struct world {
	int64_t		 now;
	long		 next;				/* next case number */
	struct fcase	 cases[CASES_MAX];
	size_t		 ncases;
	struct fconv	 conv[NSENDERS][NCHANNELS];
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct config_errors	 errs;
	size_t			 i;

	(void)argc;
	(void)argv;
	if (cfg != NULL)
		return 0;
	log_init(-1);
	memset(&errs, 0, sizeof(errs));
	if ((cfg = config_load(EXAMPLE, &errs)) == NULL) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.lines[i]);
		fuzz_fail("%s does not load (run from the repository root)", EXAMPLE);
	}
	config_errors_free(&errs);
	tix = text_index_new(cfg);
	return 0;
}

/* --- the world ------------------------------------------------------------ */

static struct fcase *
world_add_case(struct world *w, long number, const char *status,
    const char *citizen, const char *grid, const char *deputy,
    const char *department)
{
	struct fcase	*c = NULL;

	if (w->ncases == CASES_MAX)
		goto out;
	c = &w->cases[w->ncases++];
	memset(c, 0, sizeof(*c));
	c->v.number = number;
	c->v.status = status;
	c->v.channel = "sms";
	c->v.citizen = citizen;
	c->v.grid = grid;
	c->v.township = "yangji";
	c->v.category = "streetlight";
	c->v.tier = 2;
	c->v.description = "村口路灯不亮三天了";
	c->v.place = "刘辛店村";
	c->v.deputy = deputy;
	c->v.department = department;
	c->v.language = "zh";
	c->v.created_at = w->now - 3 * 86400;
	if (w->next <= number)
		w->next = number + 1;
out:
	return c;
}

static void
world_init(struct world *w, bool with_cases)
{
	struct fcase	*c = NULL;

	memset(w, 0, sizeof(*w));
	w->now = T0;
	w->next = FIRST_CASE;
	if (!with_cases)
		return;
	world_add_case(w, 101, "received", senders[0].phone, "liuxindian",
	    "d-niu", NULL);
	if ((c = world_add_case(w, 102, "resolved", senders[0].phone,
	    "liuxindian", "d-niu", "power")) != NULL) {
		c->v.accepted_at = w->now - 2 * 86400;
		c->v.dispatched_at = w->now - 2 * 86400;
		c->v.resolved_at = w->now - 3600;
	}
	if ((c = world_add_case(w, 103, "dispatched", senders[1].phone,
	    "yangji", "d-ma", "water")) != NULL) {
		c->v.category = "water";
		c->v.accepted_at = w->now - 2 * 86400;
		c->v.dispatched_at = w->now - 2 * 86400;
		c->v.due_at = w->now + 86400;
	}
	if ((c = world_add_case(w, 104, "in_progress", senders[1].phone,
	    "liuxindian", "d-niu", "power")) != NULL) {
		c->v.accepted_at = w->now - 2 * 86400;
		c->v.dispatched_at = w->now - 2 * 86400;
		c->v.due_at = w->now - 3600;
	}
}

static void
world_clear(struct world *w)
{
	size_t	 i, j;

	for (i = 0; i < w->ncases; i++) {
		free(w->cases[i].description);
		free(w->cases[i].place);
	}
	for (i = 0; i < NSENDERS; i++)
		for (j = 0; j < NCHANNELS; j++)
			free(w->conv[i][j].data);
	memset(w, 0, sizeof(*w));
}

static struct fcase *
world_case(struct world *w, long number)
{
	size_t	 i;

	for (i = 0; i < w->ncases; i++)
		if (w->cases[i].v.number == number)
			return &w->cases[i];
	return NULL;
}

/* --- checks --------------------------------------------------------------- */

static void
check_text(const char *who, const char *text, const char *lang)
{
	size_t	 segs;

	if (text == NULL || text[0] == '\0')
		fuzz_fail("%s: a message without text", who);
	if (!utf8_valid(text, strlen(text)))
		fuzz_fail("%s: text is not UTF-8: \"%s\"", who, text);
	if ((segs = utf8_sms_segments(text)) > STAFF_MAX_SEGMENTS)
		fuzz_fail("%s: text takes %zu SMS segments: \"%s\"", who, segs, text);
	if (lang != NULL && strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)
		fuzz_fail("%s: language \"%s\"", who, lang);
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The conversation after a step must read back from its JSON as it was. */
static void
check_roundtrip(const struct conv_state *cs, int64_t now)
{
	struct conv_state	 back;
	json_t			*j = NULL;

	conv_state_init(&back);
	j = conv_state_to_json(cs);
	if (conv_state_from_json(cfg, cs->state, j, now, &back) != 0)
		fuzz_fail("conversation does not read back from its JSON");
	if (back.state != cs->state || back.category != cs->category ||
	    back.grid != cs->grid || back.township != cs->township ||
	    back.asked != cs->asked || strcmp(back.lang, cs->lang) != 0 ||
	    !same_str(back.description, cs->description))
		fuzz_fail("conversation changed through its JSON (state %s)",
		    dialog_state_name(cs->state));
	conv_state_clear(&back);
	json_decref(j);
}

static void
check_dialog(const struct dialog_input *in, const struct dialog_result *res)
{
	const struct effect	*e = NULL;
	size_t			 i, k, replies = 0;
	bool			 mine;

	if (dialog_state_name(res->conv.state) == NULL)
		fuzz_fail("dialog: next state %d", (int)res->conv.state);
	for (i = 0; i < res->neffects; i++) {
		e = &res->effects[i];
		switch (e->kind) {
		case EFF_REPLY:
			replies++;
			check_text("dialog reply", e->text, e->lang);
			break;
		case EFF_NOTIFY_DEPUTY:
			check_text("dialog deputy alert", e->text, e->lang);
			if (e->deputy == NULL || config_deputy(cfg, e->deputy) == NULL)
				fuzz_fail("dialog: alert to unknown deputy %s",
				    e->deputy ? e->deputy : "(null)");
			break;
		case EFF_NOTIFY_STAFF:
			check_text("dialog staff alert", e->text, e->lang);
			if (e->staff == NULL || config_staff(cfg, e->staff) == NULL)
				fuzz_fail("dialog: alert to unknown staff %s",
				    e->staff ? e->staff : "(null)");
			break;
		case EFF_CASE_CREATE:
			if (e->c.number != in->next_case_number)
				fuzz_fail("dialog: case %ld created, %ld offered",
				    e->c.number, in->next_case_number);
			/* no deputy only for the county office's triage queue */
			if (e->c.deputy == NULL ? !e->c.triage || e->c.township >= 0 :
			    config_deputy(cfg, e->c.deputy) == NULL)
				fuzz_fail("dialog: case for unknown deputy %s",
				    e->c.deputy ? e->c.deputy : "(null)");
			if (e->c.category < -1 || e->c.category >= (int)cfg->ncategories ||
			    e->c.grid < -1 || e->c.grid >= (int)cfg->ngrids ||
			    e->c.township < -1 || e->c.township >= (int)cfg->ntownships)
				fuzz_fail("dialog: case indexes %d %d %d", e->c.category,
				    e->c.grid, e->c.township);
			if (e->description == NULL ||
			    !utf8_valid(e->description, strlen(e->description)))
				fuzz_fail("dialog: case description missing or not UTF-8");
			break;
		case EFF_CASE_CANCEL:
			for (k = 0, mine = false; k < in->ncases; k++)
				if (in->cases[k].number == e->number)
					mine = true;
			if (!mine)
				fuzz_fail("dialog: cancels case %ld, not the resident's",
				    e->number);
			break;
		case EFF_SET_LANGUAGE:
			if (strcmp(e->lang, "zh") != 0 && strcmp(e->lang, "en") != 0)
				fuzz_fail("dialog: language \"%s\"", e->lang);
			break;
		case EFF_OPT_OUT:
		case EFF_OPT_IN:
			break;
		default:
			fuzz_fail("dialog: effect kind %d", (int)e->kind);
		}
	}
	if (replies > 1)
		fuzz_fail("dialog: %zu replies in one step", replies);
	if (res->conv.state != DS_IDLE)
		check_roundtrip(&res->conv, in->now);
}

static void
check_staff(const char *who, const struct staff_result *res)
{
	const struct staff_effect *e = NULL;
	enum case_status	 st;
	size_t			 i;

	for (i = 0; i < res->neffects; i++) {
		e = &res->effects[i];
		switch (e->kind) {
		case SE_CASE_UPDATE:
			if (e->update.status != NULL &&
			    case_status_parse(e->update.status, &st) != 0)
				fuzz_fail("%s: status \"%s\"", who, e->update.status);
			if (e->update.rating < 0 || e->update.rating > 5)
				fuzz_fail("%s: rating %d", who, e->update.rating);
			break;
		case SE_CASE_EVENT:
			if (e->event == NULL || e->actor == NULL)
				fuzz_fail("%s: event without kind or actor", who);
			break;
		case SE_REPLY:
			break;
		case SE_TO_RESIDENT:
			if (e->number <= 0)
				fuzz_fail("%s: message to the resident of no case", who);
			break;
		case SE_TO_DEPUTY:
			if (e->to == NULL || config_deputy(cfg, e->to) == NULL)
				fuzz_fail("%s: message to unknown deputy %s", who,
				    e->to ? e->to : "(null)");
			break;
		case SE_TO_DEPARTMENT:
			if (e->to == NULL || config_department(cfg, e->to) == NULL)
				fuzz_fail("%s: message to unknown department %s", who,
				    e->to ? e->to : "(null)");
			break;
		case SE_TO_STAFF:
			if (e->to == NULL || config_staff(cfg, e->to) == NULL)
				fuzz_fail("%s: message to unknown staff %s", who,
				    e->to ? e->to : "(null)");
			break;
		default:
			fuzz_fail("%s: effect kind %d", who, (int)e->kind);
		}
		if (e->kind != SE_CASE_UPDATE && e->kind != SE_CASE_EVENT) {
			check_text(who, e->text, e->lang);
			if (e->msg_kind == NULL)
				fuzz_fail("%s: message without an outbox kind", who);
		}
	}
}

/* --- applying effects ----------------------------------------------------- */

static void
apply_update(struct fcase *c, const struct case_update *u)
{
	enum case_status	 st;

	if (u->status != NULL && case_status_parse(u->status, &st) == 0)
		c->v.status = case_status_name(st);	/* static */
	if (u->deputy != NULL)
		c->v.deputy = u->deputy;
	if (u->department != NULL)
		c->v.department = u->department;
	if (u->grid != NULL)
		c->v.grid = u->grid;
	if (u->township != NULL)
		c->v.township = u->township;
	c->v.flags |= u->flags_set;
	if (u->rating != 0)
		c->v.rating = u->rating;
#define STAMP(f)	do { if (u->f != 0) c->v.f = u->f; } while (0)
	STAMP(assigned_at);
	STAMP(accepted_at);
	STAMP(dispatched_at);
	STAMP(due_at);
	STAMP(resolved_at);
	STAMP(closed_at);
	STAMP(reminded_at);
	STAMP(escalated_at);
#undef STAMP
}

static void
apply_staff(struct world *w, const struct staff_result *res)
{
	struct fcase	*c = NULL;
	size_t		 i;

	for (i = 0; i < res->neffects; i++)
		if (res->effects[i].kind == SE_CASE_UPDATE &&
		    (c = world_case(w, res->effects[i].number)) != NULL)
			apply_update(c, &res->effects[i].update);
}

static void
apply_dialog(struct world *w, size_t who, size_t chan,
    const struct dialog_result *res)
{
	const struct config	*g = cfg;
	const struct effect	*e = NULL;
	struct fcase		*c = NULL;
	struct fconv		*cv = &w->conv[who][chan];
	json_t			*j = NULL;
	size_t			 i;

	for (i = 0; i < res->neffects; i++) {
		e = &res->effects[i];
		if (e->kind == EFF_CASE_CANCEL && (c = world_case(w, e->number)) != NULL)
			c->v.status = case_status_name(CS_CANCELLED);
		if (e->kind != EFF_CASE_CREATE)
			continue;
		w->next = e->c.number + 1;
		if ((c = world_add_case(w, e->c.number, "received",
		    address_of(who, chan), e->c.grid >= 0 ? g->grids[e->c.grid].id : NULL,
		    e->c.deputy, e->c.department)) == NULL)
			continue;
		c->v.channel = channels[chan];
		c->v.township = e->c.grid >= 0 ? g->grids[e->c.grid].township :
		    e->c.township >= 0 ? g->townships[e->c.township].id : NULL;
		c->v.category = e->c.category >= 0 ?
		    g->categories[e->c.category].id : NULL;
		c->v.tier = e->c.tier;
		c->v.description = c->description = xstrdup(e->description);
		c->v.place = c->place = xstrdup(e->place);
		c->v.flags = e->c.triage ? CASE_FLAG_TRIAGE : 0;
		c->v.created_at = w->now;
		c->v.assigned_at = w->now;
	}
	free(cv->data);
	cv->data = NULL;
	cv->foreign = false;
	cv->has = res->conv.state != DS_IDLE;
	if (cv->has) {
		j = conv_state_to_json(&res->conv);
		cv->data = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		cv->state = res->conv.state;
		cv->updated_at = w->now;
	}
}

/* --- one message ---------------------------------------------------------- */

/* A staff command, when the shell would take it as one: 1, else 0. */
static int
step_staff(struct world *w, const char *phone, const char *text)
{
	const struct deputy	*d = NULL;
	const struct department	*dp = NULL;
	struct staff_cmd	 cmd;
	struct staff_input	 in;
	struct staff_result	 res;
	struct fcase		*c = NULL;
	struct case_view	 mine[CASES_MAX];
	size_t			 i;
	int			 handled = 0;

	memset(&cmd, 0, sizeof(cmd));
	memset(&res, 0, sizeof(res));
	if (staff_parse(text, &cmd) != 0) {
		if (cmd.kind != SC_NONE)
			fuzz_fail("staff_parse: -1 with kind %s", staff_cmd_name(cmd.kind));
		goto out;
	}
	if (!staff_identify(cfg, phone, &d, &dp) &&
	    (cmd.usage != NULL || cmd.kind == SC_HELP || cmd.kind == SC_SHOW))
		goto out;
	memset(&in, 0, sizeof(in));
	in.now = w->now;
	in.utc_offset_minutes = CN_OFFSET;
	in.phone = phone;
	in.deputy = d;
	in.department = dp;
	in.staff = config_staff_by_phone(cfg, phone);
	in.text = text;
	if (cmd.number > 0 && (c = world_case(w, cmd.number)) != NULL)
		in.kase = &c->v;
	if (cmd.kind == SC_LIST) {	/* every case: staff_sees picks */
		for (i = 0; i < w->ncases; i++)
			mine[in.nmine++] = w->cases[i].v;
		in.mine = mine;
	}
	if (staff_step(cfg, tix, &in, &res) != 0)
		goto out;
	check_staff("staff_step", &res);
	apply_staff(w, &res);
	handled = 1;
out:
	staff_cmd_clear(&cmd);
	staff_result_clear(&res);
	return handled;
}

/* A rating of the resident's newest resolved case: 1, else 0. */
static int
step_rating(struct world *w, const char *address, const char *text,
    const struct fconv *cv)
{
	struct staff_result	 res;
	struct fcase		*c = NULL;
	size_t			 i;
	int			 handled = 0;

	memset(&res, 0, sizeof(res));
	for (i = w->ncases; i-- > 0; )
		if (strcmp(w->cases[i].v.citizen, address) == 0 &&
		    strcmp(w->cases[i].v.status, "resolved") == 0) {
			c = &w->cases[i];
			break;
		}
	/* a bare number answers an open category question instead */
	if (c == NULL || (cv->has && cv->state == DS_ASK_CATEGORY &&
	    text_parse_choice(text) > 0))
		goto out;
	if (rating_step(cfg, &c->v, text, w->now, &res) == 0) {
		check_staff("rating_step", &res);
		apply_staff(w, &res);
		handled = 1;
	}
out:
	staff_result_clear(&res);
	return handled;
}

static void
step_dialog(struct world *w, size_t who, size_t chan, const char *text,
    bool addressed)
{
	struct fconv		*cv = &w->conv[who][chan];
	struct dialog_input	 in;
	struct dialog_result	 res;
	struct case_brief	 briefs[CASES_MAX];
	const struct grid	*g = NULL;
	json_t			*data = NULL;
	size_t			 i;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	conv_state_init(&in.conv);
	if (cv->has) {
		if ((data = json_loads(cv->data, 0, NULL)) != NULL &&
		    conv_state_from_json(cfg, cv->state, data, cv->updated_at,
		    &in.conv) == 0)
			in.has_conv = true;
		else if (!cv->foreign)
			fuzz_fail("stored conversation does not load: %s", cv->data);
		json_decref(data);
	}
	in.now = w->now;
	in.channel = channels[chan];
	in.address = address_of(who, chan);
	in.text = text;
	in.addressed = addressed;
	in.direct = chan == CH_HOTLINE;
	in.grid_hint = -1;
	if (chan == CH_GROUPS && (g = config_grid_by_group(cfg, "groups",
	    "wxg-001")) != NULL)
		in.grid_hint = (int)(g - cfg->grids);
	in.next_case_number = w->next;
	for (i = w->ncases; i-- > 0; ) {
		const struct case_view *v = &w->cases[i].v;

		if (strcmp(v->citizen, in.address) != 0)
			continue;
		briefs[in.ncases].number = v->number;
		briefs[in.ncases].status = v->status;
		briefs[in.ncases].category = v->category;
		briefs[in.ncases].grid = v->grid;
		briefs[in.ncases].deputy = v->deputy;
		briefs[in.ncases].department = v->department;
		briefs[in.ncases].created_at = v->created_at;
		briefs[in.ncases].due_at = v->due_at;
		in.ncases++;
	}
	in.cases = briefs;
	if (dialog_step(cfg, tix, &in, &res) == 0) {
		check_dialog(&in, &res);
		apply_dialog(w, who, chan, &res);
	}
	dialog_result_clear(&res);
	conv_state_clear(&in.conv);
}

/* The scheduler's tick over every case. */
static void
step_schedule(struct world *w)
{
	struct staff_result	 res;
	size_t			 i;

	for (i = 0; i < w->ncases; i++) {
		memset(&res, 0, sizeof(res));
		schedule_step(cfg, &w->cases[i].v, w->now, CN_OFFSET, &res);
		check_staff("schedule_step", &res);
		apply_staff(w, &res);
		staff_result_clear(&res);
	}
}

static void
step(struct world *w, unsigned char c, const char *text)
{
	static const int64_t advance[] = { 30, 600, 0, 86400 };
	size_t		 who = c % NSENDERS, chan = c / 3 % NCHANNELS;
	bool		 addressed = chan != CH_GROUPS || c / 9 % 2 == 0;
	const char	*phone = senders[who].phone;
	struct fconv	*cv = &w->conv[who][chan];

	w->now += advance[c / 18 % 4] != 0 ? advance[c / 18 % 4] :
	    (int64_t)cfg->idle_minutes * 60 + 1;
	/* chatter in a group that answers no question: kept as seen */
	if (!addressed && !cv->has && chan != CH_HOTLINE)
		goto tick;
	/* deputies and departments answer with commands; a hotline
	 * transcript is always a resident's request (conv.c): no command,
	 * no rating */
	if (chan != CH_HOTLINE && addressed && step_staff(w, phone, text))
		goto tick;
	if (chan != CH_HOTLINE && step_rating(w, address_of(who, chan), text, cv))
		goto tick;
	step_dialog(w, who, chan, text, addressed);
tick:
	step_schedule(w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world	 w;
	const char	*p, *end, *nl;
	char		*text = NULL;
	int		 n = 0;

	if (cfg == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size == 0)
		return 0;
	world_init(&w, (data[0] & 1) != 0);
	p = (const char *)data + 1;
	end = (const char *)data + size;
	if ((data[0] & 2) != 0 && p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		w.conv[0][CH_SMS].has = true;
		w.conv[0][CH_SMS].foreign = true;
		w.conv[0][CH_SMS].state = (enum dialog_state)((unsigned char)p[0] % 4);
		w.conv[0][CH_SMS].data = nl > p ? xstrndup(p + 1, (size_t)(nl - p - 1)) :
		    xstrdup("");
		w.conv[0][CH_SMS].updated_at = w.now;
		p = nl + 1;
	}
	while (p < end && n++ < MSGS_MAX) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p) {
			text = utf8_sanitize(p + 1, (size_t)(nl - p - 1));
			step(&w, (unsigned char)p[0], text);
			free(text);
			text = NULL;
		}
		p = nl + 1;
	}
	world_clear(&w);
	return 0;
}
