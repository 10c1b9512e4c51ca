/*
 * deputies.c: the 代表 page's JSON, GET /console/api/deputies: the
 * townships and their grids with who serves each (the schematic of the
 * 代表位置图) and each grid's open cases; every deputy with phone, level,
 * grids, duty weekdays (duty_weekdays), open cases and the period's
 * figures (received, resolved, station days recorded as 进站; by default
 * this month).  Grids with a location carry lat and lng, and tile_url is
 * console.tile_url, for the page's map.  The deputies are the station's
 * public directory: the same for every account.
 */
#include "console.h"

#include <string.h>

/* counts by key into a JSON object */
static void
count_put(void *arg, const char *key, long n)
{
	if (key != NULL)
		json_object_set_new(arg, key, json_integer(n));
}

/* duty_days' bits as config's day names, Monday first */
static json_t *
weekdays_json(unsigned days)
{
	static const char *const name[7] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	json_t	*a = json_array();
	int	 i;

	for (i = 0; i < 7; i++)
		if (days & (1u << i))
			json_array_append_new(a, json_string(name[i]));
	return a;
}

enum MHD_Result
console_deputies(struct req *r, struct gateway *gw, const struct console_who *who)
{
	const struct config	*cfg = gw->cfg;
	struct console_period	 p;
	struct store		*st;
	json_t			*o, *towns, *deps, *open_grid, *resolved, *station, *t, *grids, *g;
	json_t			*mine;
	size_t			 i, k, n;
	long			 open, received;
	enum MHD_Result		 ret;
	int			 rc;

	(void)who;
	if (console_period(r, gw, &p) != 0)
		return http_req_error(r, 400, p.error);
	open_grid = json_object();
	resolved = json_object();
	station = json_object();
	deps = json_array();
	st = reader_pool_get(&gw->readers);
	rc = store_console_open_by_grid(st, count_put, open_grid);
	if (rc == 0)
		rc = store_console_resolved_by_deputy(st, p.from, p.to, count_put, resolved);
	if (rc == 0)
		rc = store_console_station_days(st, p.from, p.to, count_put, station);
	for (i = 0; rc == 0 && i < cfg->ndeputies; i++) {
		const struct deputy *d = &cfg->deputies[i];

		if ((rc = store_console_deputy_counts(st, d->id, p.from, p.to, &open, &received)) != 0)
			break;
		mine = json_array();
		for (k = 0; k < cfg->ngrids; k++)
			for (n = 0; n < cfg->grids[k].ndeputies; n++)
				if (strcmp(cfg->grids[k].deputies[n], d->id) == 0)
					json_array_append_new(mine, json_string(cfg->grids[k].id));
		json_array_append_new(deps, json_pack("{s:s, s:s, s:s?, s:s?, s:o, s:o, s:I, s:I,"
		    " s:I, s:I}", "id", d->id, "name", d->name, "phone", d->phone,
		    "level", d->level, "grids", mine, "duty_weekdays", weekdays_json(d->duty_days),
		    "open", (json_int_t)open, "received", (json_int_t)received,
		    "resolved", json_integer_value(json_object_get(resolved, d->id)),
		    "station_days", json_integer_value(json_object_get(station, d->id))));
	}
	reader_pool_put(&gw->readers, st);
	if (rc != 0) {
		json_decref(open_grid);
		json_decref(resolved);
		json_decref(station);
		json_decref(deps);
		return http_req_error(r, 500, "store read failed");
	}
	towns = json_array();
	for (i = 0; i < cfg->ntownships; i++) {
		grids = json_array();
		for (k = 0; k < cfg->ngrids; k++) {
			const struct grid *gr = &cfg->grids[k];

			if (gr->township == NULL || strcmp(gr->township, cfg->townships[i].id) != 0)
				continue;
			mine = json_array();
			for (n = 0; n < gr->ndeputies; n++)
				json_array_append_new(mine, json_string(gr->deputies[n]));
			g = json_pack("{s:s, s:s, s:o, s:s?, s:I}", "id", gr->id, "name", gr->name,
			    "deputies", mine, "backup", gr->backup,
			    "open", json_integer_value(json_object_get(open_grid, gr->id)));
			if (gr->located) {
				json_object_set_new(g, "lat", json_real(gr->lat));
				json_object_set_new(g, "lng", json_real(gr->lng));
			}
			json_array_append_new(grids, g);
		}
		t = json_pack("{s:s, s:s, s:o}", "id", cfg->townships[i].id,
		    "name", cfg->townships[i].name, "grids", grids);
		json_array_append_new(towns, t);
	}
	o = json_pack("{s:s, s:s, s:o, s:o, s:s?}", "from", p.from_day, "to", p.to_day,
	    "townships", towns, "deputies", deps, "tile_url", cfg->console.tile_url);
	json_decref(open_grid);
	json_decref(resolved);
	json_decref(station);
	ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}
