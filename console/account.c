/*
 * account.c: who may log in to the workbench.  An account is a config id:
 * a deputy, a department or a staff[] member (the county office, a
 * township's presidium or station clerk), with the scope of the cases it
 * may see: county staff every case, township staff their township's.
 */
#include "console.h"

#include <stdlib.h>
#include <string.h>

void
console_who_free(struct console_who *who)
{
	free(who->grids);
	who->grids = NULL;
}

/* The deputy's grids (as deputy or backup) as a JSON array; caller frees. */
static char *
deputy_grids(const struct config *cfg, const char *id)
{
	json_t	*a = json_array();
	char	*text;
	size_t	 i, j;

	for (i = 0; i < cfg->ngrids; i++) {
		const struct grid *g = &cfg->grids[i];
		bool mine = g->backup != NULL && strcmp(g->backup, id) == 0;
		for (j = 0; j < g->ndeputies && !mine; j++)
			mine = strcmp(g->deputies[j], id) == 0;
		if (mine)
			json_array_append_new(a, json_string(g->id));
	}
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

/* Fill who for the deputy d: their grids, the cases they hold, and the
 * township they chair. */
static void
who_deputy(const struct config *cfg, const struct deputy *d, struct console_who *who)
{
	size_t	 i;

	who->kind = CONSOLE_DEPUTY;
	strlcpy(who->id, d->id, sizeof(who->id));
	who->name = d->name;
	who->grids = deputy_grids(cfg, d->id);
	for (i = 0; i < cfg->ntownships; i++)
		if (cfg->townships[i].chair != NULL &&
		    strcmp(cfg->townships[i].chair, d->id) == 0) {
			who->township = cfg->townships[i].id;
			break;
		}
	who->scope.township = who->township;
	who->scope.grids = who->grids;
	who->scope.deputy = who->id;
}

static void
who_department(const struct department *dp, struct console_who *who)
{
	who->kind = CONSOLE_DEPARTMENT;
	strlcpy(who->id, dp->id, sizeof(who->id));
	who->name = dp->name;
	who->scope.department = who->id;
}

/* Fill who for staff[] member sm: county or township scope. */
static void
who_staff(const struct staff_member *sm, struct console_who *who)
{
	strlcpy(who->id, sm->id, sizeof(who->id));
	who->name = sm->name;
	if (sm->role == STAFF_COUNTY) {
		who->kind = CONSOLE_COUNTY;
		who->scope.all = true;
		return;
	}
	who->kind = CONSOLE_TOWNSHIP;
	who->township = sm->township;
	who->scope.township = who->township;
}

int
console_account_find(const struct config *cfg, const char *username,
    struct console_who *who)
{
	const struct deputy	*d;
	const struct department	*dp;
	const struct staff_member *sm;
	char			 e164[64];
	const char		*why;

	memset(who, 0, sizeof(*who));
	if (username == NULL || *username == '\0')
		return -1;
	if ((d = config_deputy(cfg, username)) != NULL) {
		who_deputy(cfg, d, who);
		return 0;
	}
	if ((dp = config_department(cfg, username)) != NULL) {
		who_department(dp, who);
		return 0;
	}
	if ((sm = config_staff(cfg, username)) != NULL) {
		who_staff(sm, who);
		return 0;
	}
	if (strspn(username, "+0123456789 -") != strlen(username) ||
	    phone_normalize(username, cfg->region, e164, sizeof(e164), &why) != 0)
		return -1;
	if ((d = config_deputy_by_phone(cfg, e164)) != NULL) {
		who_deputy(cfg, d, who);
		return 0;
	}
	if ((dp = config_department_by_phone(cfg, e164)) != NULL) {
		who_department(dp, who);
		return 0;
	}
	if ((sm = config_staff_by_phone(cfg, e164)) != NULL) {
		who_staff(sm, who);
		return 0;
	}
	return -1;
}

