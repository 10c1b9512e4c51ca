/*
 * evaluation.c: the shell of 民主评议, 民生实事票决 and 履职考核.
 *
 *   minyi evaluators import --config F FILE.csv
 *   minyi evaluation create --config F --name NAME --townships A,B
 *       --units U1,U2 --dimensions D1,D2 --opens TIME --closes TIME
 *   minyi evaluation draw --config F ROUND --count N --seed TEXT
 *   minyi evaluation list --config F ROUND
 *   minyi evaluation scores --config F ROUND [--format table|csv|json]
 *   minyi evaluation override --config F ROUND UNIT last --reason TEXT [--by WHO]
 *   minyi evaluation rectify --config F ROUND UNIT --item TEXT --deadline TIME [--by WHO]
 *   minyi evaluation close-item --config F ID --note TEXT
 *   minyi evaluation items --config F [--format ...]
 *   minyi vote create --config F --title T --projects FILE --opens T --closes T
 *   minyi vote result --config F ID [--format ...]
 *   minyi vote track --config F ID
 *   minyi duty list --config F [KIND] [--format ...]
 *   minyi duty suggestion --config F ID handled|answered --note TEXT
 *   minyi report deputies --month YYYY-MM | --year YYYY [--publish TOWNSHIP]
 *
 * The SMS side and the timer are evaluation_sms.c; the rules are
 * dialogs/evaluation.c; every statement is store/evaluation.c.
 */
#include "evaluation.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "../dialogs/dialogs.h"


static void
eval_usage(void)
{
	fprintf(stderr,
	    "usage: minyi evaluators import --config FILE POOL.csv\n"
	    "       minyi evaluation create --config FILE --name NAME --townships IDS\n"
	    "            --units IDS --dimensions NAMES --opens TIME --closes TIME\n"
	    "       minyi evaluation draw --config FILE ROUND --count N --seed TEXT\n"
	    "       minyi evaluation list --config FILE ROUND\n"
	    "       minyi evaluation scores --config FILE ROUND [--format table|csv|json]\n"
	    "       minyi evaluation override --config FILE ROUND UNIT last --reason TEXT [--by WHO]\n"
	    "       minyi evaluation rectify --config FILE ROUND UNIT --item TEXT --deadline TIME [--by WHO]\n"
	    "       minyi evaluation close-item --config FILE ID --note TEXT\n"
	    "       minyi evaluation items --config FILE [--format table|csv|json]\n"
	    "       minyi vote create --config FILE --title TITLE --projects FILE --opens TIME --closes TIME\n"
	    "       minyi vote result --config FILE ID [--format table|csv|json]\n"
	    "       minyi vote track --config FILE ID\n"
	    "       minyi duty list --config FILE [KIND] [--format table|csv|json]\n"
	    "       minyi duty suggestion --config FILE ID handled|answered --note TEXT\n"
	    "TIME is \"YYYY-MM-DD HH:MM\" in the config's timezone.\n");
	exit(2);
}

/* --- small helpers ------------------------------------------------------ */

struct opts {
	const char	*config;
	const char	*name, *townships, *units, *dimensions, *opens, *closes;
	const char	*count, *seed, *reason, *by, *item, *deadline, *note;
	const char	*format, *title, *projects, *month, *year, *publish;
	const char	*pos[4];	/* positional arguments */
	int		 npos;
};

static void
opts_parse(int argc, char **argv, struct opts *o)
{
	static const struct { const char *flag; size_t off; } flags[] = {
		{ "--config", offsetof(struct opts, config) },
		{ "--name", offsetof(struct opts, name) },
		{ "--townships", offsetof(struct opts, townships) },
		{ "--units", offsetof(struct opts, units) },
		{ "--dimensions", offsetof(struct opts, dimensions) },
		{ "--opens", offsetof(struct opts, opens) },
		{ "--closes", offsetof(struct opts, closes) },
		{ "--count", offsetof(struct opts, count) },
		{ "--seed", offsetof(struct opts, seed) },
		{ "--reason", offsetof(struct opts, reason) },
		{ "--by", offsetof(struct opts, by) },
		{ "--item", offsetof(struct opts, item) },
		{ "--deadline", offsetof(struct opts, deadline) },
		{ "--note", offsetof(struct opts, note) },
		{ "--format", offsetof(struct opts, format) },
		{ "--title", offsetof(struct opts, title) },
		{ "--projects", offsetof(struct opts, projects) },
		{ "--month", offsetof(struct opts, month) },
		{ "--year", offsetof(struct opts, year) },
		{ "--publish", offsetof(struct opts, publish) },
	};
	size_t	 j;
	int	 i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		for (j = 0; j < nitems(flags); j++)
			if (strcmp(argv[i], flags[j].flag) == 0)
				break;
		if (j < nitems(flags)) {
			if (i + 1 >= argc)
				eval_usage();
			*(const char **)((char *)o + flags[j].off) = argv[++i];
		} else if (argv[i][0] == '-' || o->npos == (int)nitems(o->pos))
			eval_usage();
		else
			o->pos[o->npos++] = argv[i];
	}
	if (o->config == NULL)
		eval_usage();
}



/* The local year of t. */
static int
local_year(const struct config *cfg, int64_t t)
{
	time_t		 tt = (time_t)(t + (int64_t)gateway_utc_offset(cfg, t) * 60);
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	return tm.tm_year + 1900;
}

/* Split "a,b,c" (also "，" and "、") into a JSON array of strings. */
static json_t *
split_list(const char *s)
{
	json_t	*a = json_array();
	char	*copy = eval_split_copy(s), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok != '\0')
			json_array_append_new(a, json_string(tok));
	}
	free(copy);
	return a;
}

static struct store *
open_rw(const struct config *cfg)
{
	struct store	*st;
	char		 err[256];

	if ((st = store_open_cfg(cfg, 0, false, err,
	    sizeof(err))) == NULL)
		fprintf(stderr, "store: cannot open %s: %s\n", store_cfg_name(cfg), err);
	return st;
}



/* One output table: rows of objects, printed as a table, CSV or JSON. */
static void
print_rows(json_t *rows, const char *const *cols, const char *format)
{
	char	*t = gateway_eval_rows_text(rows, cols, format);

	fputs(t, stdout);
	free(t);
}

static void
sha256_hex(const char *s, char out[65])
{
	unsigned char	 md[SHA256_DIGEST_LENGTH];
	int		 i;

	SHA256((const unsigned char *)s, strlen(s), md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* --- evaluators import -------------------------------------------------- */

/* A CSV line's fields (no quotes needed for these columns; a quoted field
 * may hold commas).  Fills up to max; returns how many. */
static size_t
csv_fields(char *line, char **f, size_t max)
{
	size_t	 n = 0;
	char	*p = line, *w;

	while (n < max) {
		while (*p == ' ')
			p++;
		if (*p == '"') {
			f[n++] = w = ++p;
			while (*p != '\0') {
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"') {
					p++;
					break;
				}
				*w++ = *p++;
			}
			*w = '\0';
			p = strchr(p, ',');
		} else {
			f[n++] = p;
			p = strchr(p, ',');
			if (p != NULL)
				*p = '\0';
		}
		if (p == NULL)
			break;
		if (*p == ',')
			*p = '\0';
		p++;
	}
	for (size_t i = 0; i < n; i++) {	/* trailing blanks */
		size_t l = strlen(f[i]);

		while (l > 0 && (f[i][l - 1] == ' ' || f[i][l - 1] == '\r'))
			f[i][--l] = '\0';
	}
	return n;
}

struct pool_row {
	char	*name, *phone, *township;
	int	 kind;
	int	 line;
};

static int
cmd_import(const struct config *cfg, const char *path)
{
	struct pool_row	*rows = NULL;
	size_t		 nrows = 0, cap = 0, i, t, bad = 0;
	struct store	*st = NULL;
	struct config_errors errs;
	FILE		*fp;
	char		*line = NULL;
	size_t		 linecap = 0;
	int		 lineno = 0, rc = 1;
	bool		*seen_town;

	memset(&errs, 0, sizeof(errs));
	seen_town = xcalloc(cfg->ntownships + 1, sizeof(*seen_town));
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		goto out;
	}
	while (getline(&line, &linecap, fp) != -1) {
		char		*f[5], e164[32];
		const char	*why = NULL;
		const struct township *tw;
		size_t		 nf;
		int		 kind;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			memmove(line, line + 3, strlen(line + 3) + 1);
		if (line[strspn(line, " \r")] == '\0')
			continue;
		nf = csv_fields(line, f, 5);
		if (lineno == 1 && nf >= 1 && strcmp(f[0], "name") == 0)
			continue;	/* the header */
		if (nf != 4) {
			fprintf(stderr, "%s:%d: expected 4 columns (name, phone, "
			    "township, kind), got %zu\n", path, lineno, nf);
			bad++;
			continue;
		}
		if (*f[0] == '\0') {
			fprintf(stderr, "%s:%d: the name is empty\n", path, lineno);
			bad++;
			continue;
		}
		if (phone_normalize(f[1], cfg->region, e164, sizeof(e164), &why) != 0) {
			fprintf(stderr, "%s:%d: phone: %s\n", path, lineno, why);
			bad++;
			continue;
		}
		if ((tw = config_township(cfg, f[2])) == NULL) {
			fprintf(stderr, "%s:%d: unknown township \"%s\"\n", path,
			    lineno, f[2]);
			bad++;
			continue;
		}
		if ((kind = eval_kind_parse(f[3])) < 0) {
			fprintf(stderr, "%s:%d: kind \"%s\": expected enterprise, "
			    "resident, villager, deputy or supervisor\n", path,
			    lineno, f[3]);
			bad++;
			continue;
		}
		for (i = 0; i < nrows; i++)
			if (strcmp(rows[i].phone, e164) == 0 &&
			    strcmp(rows[i].township, tw->id) == 0)
				break;
		if (i < nrows) {
			fprintf(stderr, "%s:%d: the same phone as line %d\n", path,
			    lineno, rows[i].line);
			bad++;
			continue;
		}
		if (nrows == cap) {
			cap = cap ? cap * 2 : 128;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		rows[nrows].name = xstrdup(f[0]);
		rows[nrows].phone = xstrdup(e164);
		rows[nrows].township = tw->id;
		rows[nrows].kind = kind;
		rows[nrows].line = lineno;
		nrows++;
		seen_town[tw - cfg->townships] = true;
	}
	fclose(fp);
	if (bad > 0) {
		fprintf(stderr, "%s: %zu bad line(s); nothing imported\n", path, bad);
		goto out;
	}
	if ((st = open_rw(cfg)) == NULL)
		goto out;
	if (store_exec(st, "BEGIN IMMEDIATE") != 0)
		goto out;
	for (t = 0; t < cfg->ntownships; t++) {
		struct store_stmt *stmt;

		if (!seen_town[t])
			continue;
		stmt = store_stmt(st, SQL_EVALUATORS_CLEAR);
		gateway_eval_bind(stmt, 1, cfg->townships[t].id);
		if (gateway_eval_step(st, stmt) != 0)
			goto rollback;
	}
	for (i = 0; i < nrows; i++) {
		struct store_stmt *stmt = store_stmt(st, SQL_EVALUATORS_INSERT);

		gateway_eval_bind(stmt, 1, rows[i].township);
		gateway_eval_bind(stmt, 2, rows[i].name);
		gateway_eval_bind(stmt, 3, rows[i].phone);
		gateway_eval_bind(stmt, 4, eval_kind_name(rows[i].kind));
		if (gateway_eval_step(st, stmt) != 0)
			goto rollback;
	}
	if (store_exec(st, "COMMIT") != 0)
		goto rollback;
	/* the quotas of each township imported */
	for (t = 0; t < cfg->ntownships; t++) {
		size_t counts[EK_COUNT] = { 0 }, n = 0;

		if (!seen_town[t])
			continue;
		for (i = 0; i < nrows; i++)
			if (strcmp(rows[i].township, cfg->townships[t].id) == 0) {
				counts[rows[i].kind]++;
				n++;
			}
		printf("%s: %zu evaluators imported (enterprise %zu, resident %zu, "
		    "villager %zu, deputy %zu, supervisor %zu)\n",
		    cfg->townships[t].id, n, counts[EK_ENTERPRISE],
		    counts[EK_RESIDENT], counts[EK_VILLAGER], counts[EK_DEPUTY],
		    counts[EK_SUPERVISOR]);
		eval_pool_check(cfg, cfg->townships[t].id, counts, &errs);
	}
	for (i = 0; i < errs.n; i++)
		printf("quota: %s\n", errs.lines[i]);
	rc = 0;
	goto out;
rollback:
	store_exec(st, "ROLLBACK");
	fprintf(stderr, "%s: the store refused the import; nothing imported\n",
	    path);
out:
	for (i = 0; i < nrows; i++) {
		free(rows[i].name);
		free(rows[i].phone);
	}
	free(rows);
	free(line);
	free(seen_town);
	config_errors_free(&errs);
	store_close(st);
	return rc;
}

/* --- rounds ------------------------------------------------------------- */









static int
cmd_create(const struct config *cfg, const struct opts *o)
{
	json_t		*tw = NULL, *units = NULL, *dims = NULL, *v;
	struct store	*st = NULL;
	struct store_stmt	*stmt;
	int64_t		 opens, closes;
	size_t		 i;
	int		 rc = 1, problems = 0;
	char		*s1 = NULL, *s2 = NULL, *s3 = NULL;

	if (o->name == NULL || o->townships == NULL || o->units == NULL ||
	    o->dimensions == NULL || o->opens == NULL || o->closes == NULL)
		eval_usage();
	tw = split_list(o->townships);
	units = split_list(o->units);
	dims = split_list(o->dimensions);
	json_array_foreach(tw, i, v)
		if (config_township(cfg, json_string_value(v)) == NULL) {
			fprintf(stderr, "--townships: unknown township \"%s\"\n",
			    json_string_value(v));
			problems++;
		}
	json_array_foreach(units, i, v) {
		const struct department *d = config_department(cfg, json_string_value(v));

		if (d == NULL) {
			fprintf(stderr, "--units: unknown department \"%s\"\n",
			    json_string_value(v));
			problems++;
		} else if (d->type == NULL) {
			fprintf(stderr, "--units: department \"%s\" has no type "
			    "(departments[].type)\n", d->id);
			problems++;
		}
	}
	if (json_array_size(tw) == 0 || json_array_size(units) == 0 ||
	    json_array_size(dims) == 0) {
		fprintf(stderr, "evaluation: --townships, --units and --dimensions "
		    "each need at least one\n");
		problems++;
	} else if (gateway_eval_round_nq(&(struct eval_round){ .units = units, .dimensions = dims }) >
	    EVAL_MAX_QUESTIONS) {
		fprintf(stderr, "evaluation: %zu units x %zu dimensions is %zu "
		    "questions; at most %d (A to Z)\n", json_array_size(units),
		    json_array_size(dims), json_array_size(units) *
		    json_array_size(dims), EVAL_MAX_QUESTIONS);
		problems++;
	}
	if (gateway_eval_when_parse(cfg, o->opens, &opens) != 0) {
		fprintf(stderr, "--opens: expected \"YYYY-MM-DD HH:MM\", got \"%s\"\n",
		    o->opens);
		problems++;
	}
	if (gateway_eval_when_parse(cfg, o->closes, &closes) != 0) {
		fprintf(stderr, "--closes: expected \"YYYY-MM-DD HH:MM\", got \"%s\"\n",
		    o->closes);
		problems++;
	} else if (problems == 0 && closes <= opens) {
		fprintf(stderr, "--closes: must be after --opens\n");
		problems++;
	}
	if (problems > 0)
		goto out;
	if ((st = open_rw(cfg)) == NULL)
		goto out;
	s1 = json_dumps(tw, JSON_COMPACT);
	s2 = json_dumps(units, JSON_COMPACT);
	s3 = json_dumps(dims, JSON_COMPACT);
	stmt = store_stmt(st, SQL_ROUND_INSERT);
	gateway_eval_bind(stmt, 1, o->name);
	gateway_eval_bind(stmt, 2, s1);
	gateway_eval_bind(stmt, 3, s2);
	gateway_eval_bind(stmt, 4, s3);
	store_bind_int64(stmt, 5, opens);
	store_bind_int64(stmt, 6, closes);
	store_bind_int(stmt, 7, local_year(cfg, closes));
	gateway_eval_bind(stmt, 8, o->by != NULL ? o->by : getenv("USER") ? getenv("USER") : "-");
	store_bind_int64(stmt, 9, time_now());
	if (store_step(stmt) != STORE_DONE) {
		fprintf(stderr, "evaluation: cannot create \"%s\": %s\n", o->name,
		    store_errmsg(st));
		store_reset(stmt);
		goto out;
	}
	store_reset(stmt);
	printf("round %lld \"%s\" created: %zu townships, %zu units, %zu "
	    "dimensions, %zu questions\n",
	    (long long)store_last_insert_id(st), o->name,
	    json_array_size(tw), json_array_size(units), json_array_size(dims),
	    json_array_size(units) * json_array_size(dims));
	rc = 0;
out:
	free(s1);
	free(s2);
	free(s3);
	json_decref(tw);
	json_decref(units);
	json_decref(dims);
	store_close(st);
	return rc;
}

/*
 * Print the drawn list of round r and its digest: the hex SHA-256 of
 * "ROUND NAME\n" then a line "township\tposition\tphone\tkind\n" per
 * evaluator, in township order as the round lists them, then position.
 * Returns the digest through out when not NULL.
 */
static int
print_list(struct store *st, const struct eval_round *r, char digest[65])
{
	struct store_stmt	*stmt = store_stmt(st, SQL_DRAWN_LIST);
	struct buf	 text;
	size_t		 i;
	json_t		*v;
	char		 masked[PHONE_MASKED_MAX], hex[65];

	buf_init(&text, 0);
	buf_printf(&text, "%s\n", r->name);
	printf("round %lld \"%s\" seed \"%s\", %d per township\n",
	    (long long)r->id, r->name, r->seed ? r->seed : "", r->drawn_count);
	json_array_foreach(r->townships, i, v) {
		const char *tw = json_string_value(v);

		store_reset(stmt);
		store_bind_int64(stmt, 1, r->id);
		while (store_step(stmt) == STORE_ROW) {
			const char *t = (const char *)store_column_text(stmt, 0);
			const char *phone = (const char *)store_column_text(stmt, 3);
			const char *kind = (const char *)store_column_text(stmt, 4);
			int pos = store_column_int(stmt, 1);

			if (strcmp(t, tw) != 0)
				continue;
			phone_mask(phone, masked, sizeof(masked));
			printf("%s\t%d\t%s\t%s\t%s\n", t, pos,
			    (const char *)store_column_text(stmt, 2), masked, kind);
			buf_printf(&text, "%s\t%d\t%s\t%s\n", t, pos, phone, kind);
		}
	}
	store_reset(stmt);
	sha256_hex(buf_str(&text), hex);
	buf_free(&text);
	printf("digest %s\n", hex);
	if (digest != NULL)
		memcpy(digest, hex, 65);
	return 0;
}

static int
cmd_draw(const struct config *cfg, const struct opts *o)
{
	struct eval_round	 r;
	struct store	*st = NULL;
	struct eval_member *pool = NULL;
	char		**names = NULL, **phones = NULL, err[256], digest[65];
	size_t		 i, j, n = 0, cap = 0, *out = NULL;
	long		 count;
	json_t		*v;
	int		 rc = 1;
	bool		 tx = false;

	memset(&r, 0, sizeof(r));
	if (o->npos != 1 || o->count == NULL || o->seed == NULL)
		eval_usage();
	count = strtol(o->count, NULL, 10);
	if (count < 1 || count > 100000) {
		fprintf(stderr, "--count: expected a positive number, got \"%s\"\n",
		    o->count);
		goto out;
	}
	if (*o->seed == '\0') {
		fprintf(stderr, "--seed: must not be empty\n");
		goto out;
	}
	if ((st = open_rw(cfg)) == NULL || gateway_eval_round_load(st, o->pos[0], 0, &r, true) != 0)
		goto out;
	if (r.seed != NULL) {
		fprintf(stderr, "evaluation: round \"%s\" was drawn already with seed "
		    "\"%s\"; the list stands (evaluation list shows it)\n", r.name,
		    r.seed);
		goto out;
	}
	if (store_exec(st, "BEGIN IMMEDIATE") != 0)
		goto out;
	tx = true;
	out = xcalloc((size_t)count, sizeof(*out));
	json_array_foreach(r.townships, i, v) {
		const char	*tw = json_string_value(v);
		struct store_stmt	*stmt = store_stmt(st, SQL_EVALUATORS_OF);

		for (j = 0; j < n; j++) {
			free(phones[j]);
			free(names[j]);
		}
		n = 0;
		gateway_eval_bind(stmt, 1, tw);
		while (store_step(stmt) == STORE_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 128;
				pool = xrealloc(pool, cap * sizeof(*pool));
				names = xrealloc(names, cap * sizeof(*names));
				phones = xrealloc(phones, cap * sizeof(*phones));
			}
			names[n] = gateway_eval_col_dup(stmt, 0);
			pool[n].phone = phones[n] = gateway_eval_col_dup(stmt, 1);
			pool[n].kind = eval_kind_parse((const char *)store_column_text(stmt, 2));
			n++;
		}
		store_reset(stmt);
		if (eval_draw(cfg, o->seed, tw, pool, n, (size_t)count, out, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "evaluation: %s; nothing drawn\n", err);
			goto out;
		}
		for (j = 0; j < (size_t)count; j++) {
			stmt = store_stmt(st, SQL_DRAWN_INSERT);
			store_bind_int64(stmt, 1, r.id);
			gateway_eval_bind(stmt, 2, tw);
			store_bind_int64(stmt, 3, (int64_t)j + 1);
			gateway_eval_bind(stmt, 4, names[out[j]]);
			gateway_eval_bind(stmt, 5, pool[out[j]].phone);
			gateway_eval_bind(stmt, 6, eval_kind_name(pool[out[j]].kind));
			if (gateway_eval_step(st, stmt) != 0)
				goto out;
		}
	}
	r.seed = xstrdup(o->seed);
	r.drawn_count = (int)count;
	print_list(st, &r, digest);
	{
		struct store_stmt *stmt = store_stmt(st, SQL_ROUND_DRAWN);

		store_bind_int64(stmt, 1, r.id);
		gateway_eval_bind(stmt, 2, o->seed);
		gateway_eval_bind(stmt, 3, digest);
		store_bind_int64(stmt, 4, count);
		if (gateway_eval_step(st, stmt) != 0 || store_exec(st, "COMMIT") != 0)
			goto out;
	}
	tx = false;
	rc = 0;
out:
	if (tx)
		store_exec(st, "ROLLBACK");
	for (j = 0; j < n; j++) {
		free(phones[j]);
		free(names[j]);
	}
	free(pool);
	free(names);
	free(phones);
	free(out);
	gateway_eval_round_clear(&r);
	store_close(st);
	return rc;
}

static int
cmd_list(const struct config *cfg, const struct opts *o)
{
	struct eval_round	 r;
	struct store	*st;
	int		 rc = 1;

	if (o->npos != 1)
		eval_usage();
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	if (gateway_eval_round_load(st, o->pos[0], 0, &r, true) == 0) {
		if (r.seed == NULL)
			fprintf(stderr, "evaluation: round \"%s\" is not drawn yet\n",
			    r.name);
		else {
			print_list(st, &r, NULL);
			rc = 0;
		}
	}
	gateway_eval_round_clear(&r);
	store_close(st);
	return rc;
}

/* --- scores --------------------------------------------------------------- */

static int
cmd_scores(const struct config *cfg, const struct opts *o)
{
	static const char *const cols[] = { "unit", "name", "township", "type",
	    "daily", "concentrated", "score", "rank", "of", "under_80",
	    "criticised", "admonished", "override", NULL };
	struct store	*st;
	json_t		*res = NULL, *rows, *row;
	size_t		 i;
	int		 rc = 1;

	if (o->npos != 1)
		eval_usage();
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	if ((res = gateway_eval_results(st, cfg, o->pos[0])) == NULL) {
		fprintf(stderr, "evaluation: no round \"%s\"\n", o->pos[0]);
		goto out;
	}
	rows = json_object_get(res, "units");
	/* stored: next year's 诫勉 reads this year's 通报 */
	if (store_exec(st, "BEGIN IMMEDIATE") != 0)
		goto out;
	json_array_foreach(rows, i, row) {
		struct store_stmt	*stmt = store_stmt(st, SQL_RESULT_PUT);
		json_t		*score = json_object_get(row, "score");

		store_bind_int64(stmt, 1, json_integer_value(json_object_get(res,
		    "round")));
		gateway_eval_bind(stmt, 2, json_string_value(json_object_get(row, "unit")));
		store_bind_int64(stmt, 3, json_integer_value(json_object_get(res,
		    "year")));
		if (json_is_number(score))
			store_bind_double(stmt, 4, json_number_value(score));
		store_bind_int64(stmt, 5, json_integer_value(json_object_get(row,
		    "rank")));
		store_bind_int(stmt, 6, json_is_true(json_object_get(row,
		    "criticised")));
		if (gateway_eval_step(st, stmt) != 0) {
			store_exec(st, "ROLLBACK");
			goto out;
		}
	}
	if (store_exec(st, "COMMIT") != 0)
		goto out;
	if (o->format == NULL || strcmp(o->format, "json") != 0)
		printf("round %lld \"%s\" %lld: %lld ballots counted\n",
		    (long long)json_integer_value(json_object_get(res, "round")),
		    json_string_value(json_object_get(res, "name")),
		    (long long)json_integer_value(json_object_get(res, "year")),
		    (long long)json_integer_value(json_object_get(res, "ballots")));
	print_rows(rows, cols, o->format);
	rc = 0;
out:
	json_decref(res);
	store_close(st);
	return rc;
}

static const char *
who(const struct opts *o)
{
	if (o->by != NULL)
		return o->by;
	return getenv("USER") != NULL ? getenv("USER") : "unknown";
}

static int
cmd_override(const struct config *cfg, const struct opts *o)
{
	struct eval_round	 r;
	struct store	*st;
	struct store_stmt	*stmt;
	json_t		*v;
	size_t		 i;
	int		 rc = 1;
	bool		 in = false;

	if (o->npos != 3)
		eval_usage();
	if (strcmp(o->pos[2], "last") != 0) {
		fprintf(stderr, "evaluation override: the only action is \"last\" "
		    "(canvassing), got \"%s\"\n", o->pos[2]);
		return 1;
	}
	if (o->reason == NULL || *o->reason == '\0') {
		fprintf(stderr, "evaluation override: --reason is required\n");
		return 1;
	}
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	if (gateway_eval_round_load(st, o->pos[0], 0, &r, true) != 0)
		goto out;
	json_array_foreach(r.units, i, v)
		in |= strcmp(json_string_value(v), o->pos[1]) == 0;
	if (!in) {
		fprintf(stderr, "evaluation override: \"%s\" is not a unit of round "
		    "\"%s\"\n", o->pos[1], r.name);
		goto out;
	}
	stmt = store_stmt(st, SQL_OVERRIDE_INSERT);
	store_bind_int64(stmt, 1, r.id);
	gateway_eval_bind(stmt, 2, o->pos[1]);
	gateway_eval_bind(stmt, 3, "last");
	gateway_eval_bind(stmt, 4, o->reason);
	gateway_eval_bind(stmt, 5, who(o));
	store_bind_int64(stmt, 6, time_now());
	if (store_step(stmt) != STORE_DONE) {
		fprintf(stderr, "evaluation override: %s already placed last in "
		    "round \"%s\"\n", o->pos[1], r.name);
		store_reset(stmt);
		goto out;
	}
	store_reset(stmt);
	printf("%s placed last in round \"%s\" by %s: %s\n", o->pos[1], r.name,
	    who(o), o->reason);
	rc = 0;
out:
	gateway_eval_round_clear(&r);
	store_close(st);
	return rc;
}

static int
cmd_rectify(const struct config *cfg, const struct opts *o)
{
	struct eval_round	 r;
	struct store	*st;
	struct store_stmt	*stmt;
	int64_t		 deadline;
	int		 rc = 1;

	memset(&r, 0, sizeof(r));
	if (o->npos != 2 || o->item == NULL || o->deadline == NULL)
		eval_usage();
	if (config_department(cfg, o->pos[1]) == NULL) {
		fprintf(stderr, "evaluation rectify: unknown unit \"%s\"\n", o->pos[1]);
		return 1;
	}
	if (gateway_eval_when_parse(cfg, o->deadline, &deadline) != 0) {
		fprintf(stderr, "--deadline: expected \"YYYY-MM-DD HH:MM\", got \"%s\"\n",
		    o->deadline);
		return 1;
	}
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	if (gateway_eval_round_load(st, o->pos[0], 0, &r, true) != 0)
		goto out;
	stmt = store_stmt(st, SQL_ITEM_INSERT);
	store_bind_int64(stmt, 1, r.id);
	gateway_eval_bind(stmt, 2, o->pos[1]);
	gateway_eval_bind(stmt, 3, o->item);
	store_bind_int64(stmt, 4, deadline);
	gateway_eval_bind(stmt, 5, who(o));
	store_bind_int64(stmt, 6, time_now());
	if (gateway_eval_step(st, stmt) != 0)
		goto out;
	printf("rectification item %lld opened for %s\n",
	    (long long)store_last_insert_id(st), o->pos[1]);
	rc = 0;
out:
	gateway_eval_round_clear(&r);
	store_close(st);
	return rc;
}

static int
cmd_close_item(const struct config *cfg, const struct opts *o)
{
	struct store	*st;
	struct store_stmt	*stmt;
	int		 rc = 1;

	if (o->npos != 1 || o->note == NULL || *o->note == '\0')
		eval_usage();
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	stmt = store_stmt(st, SQL_ITEM_CLOSE);
	store_bind_int64(stmt, 1, strtoll(o->pos[0], NULL, 10));
	store_bind_int64(stmt, 2, time_now());
	gateway_eval_bind(stmt, 3, o->note);
	if (gateway_eval_step(st, stmt) == 0 && store_changes(st) == 1) {
		printf("rectification item %s closed (销号)\n", o->pos[0]);
		rc = 0;
	} else
		fprintf(stderr, "evaluation close-item: no open item %s\n", o->pos[0]);
	store_close(st);
	return rc;
}

static int
cmd_items(const struct config *cfg, const struct opts *o)
{
	static const char *const cols[] = { "id", "round", "unit", "text",
	    "deadline", "opened_by", "status", "note", NULL };
	struct store	*st;
	struct store_stmt	*stmt;
	json_t		*rows = json_array();
	int64_t		 now = time_now();
	char		 when[64];

	if ((st = open_rw(cfg)) == NULL) {
		json_decref(rows);
		return 1;
	}
	stmt = store_stmt(st, SQL_ITEMS_LIST);
	while (store_step(stmt) == STORE_ROW) {
		json_t *row = json_object();
		int64_t dl = store_column_int64(stmt, 4);

		gateway_eval_when_fmt(cfg, dl, "en", when, sizeof(when));
		json_object_set_new(row, "id", json_integer(store_column_int64(stmt, 0)));
		json_object_set_new(row, "round", json_integer(store_column_int64(stmt, 1)));
		json_object_set_new(row, "unit", json_string((const char *)store_column_text(stmt, 2)));
		json_object_set_new(row, "text", json_string((const char *)store_column_text(stmt, 3)));
		json_object_set_new(row, "deadline", json_string(when));
		json_object_set_new(row, "opened_by", json_string((const char *)store_column_text(stmt, 5)));
		json_object_set_new(row, "status", json_string(
		    store_column_type(stmt, 7) != STORE_NULL ? "closed" :
		    dl <= now ? "overdue" : "open"));
		json_object_set_new(row, "note", store_column_type(stmt, 8) ==
		    STORE_NULL ? json_null() :
		    json_string((const char *)store_column_text(stmt, 8)));
		json_array_append_new(rows, row);
	}
	store_reset(stmt);
	print_rows(rows, cols, o->format);
	json_decref(rows);
	store_close(st);
	return 0;
}

/* --- 票决 ------------------------------------------------------------------ */

static int
cmd_vote_create(const struct config *cfg, const struct opts *o)
{
	struct store	*st = NULL;
	FILE		*fp = NULL;
	char		*line = NULL;
	size_t		 linecap = 0, i;
	json_t		*projects = json_array(), *p;
	int64_t		 opens, closes, id;
	int		 rc = 1, lineno = 0, bad = 0;

	if (o->title == NULL || o->projects == NULL || o->opens == NULL ||
	    o->closes == NULL)
		eval_usage();
	if (gateway_eval_when_parse(cfg, o->opens, &opens) != 0 ||
	    gateway_eval_when_parse(cfg, o->closes, &closes) != 0 || closes <= opens) {
		fprintf(stderr, "vote: --opens and --closes must be \"YYYY-MM-DD "
		    "HH:MM\", closes after opens\n");
		goto out;
	}
	if ((fp = fopen(o->projects, "r")) == NULL) {
		fprintf(stderr, "%s: cannot open: %s\n", o->projects, strerror(errno));
		goto out;
	}
	/* one project a line: title[,supervising deputy ids separated by ;] */
	while (getline(&line, &linecap, fp) != -1) {
		char *f[2], *tok, *save = NULL;
		json_t *sup = json_array();
		size_t nf;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (*line == '\0') {
			json_decref(sup);
			continue;
		}
		nf = csv_fields(line, f, 2);
		if (*f[0] == '\0') {
			fprintf(stderr, "%s:%d: the project has no title\n",
			    o->projects, lineno);
			bad++;
		}
		if (nf == 2)
			for (tok = strtok_r(f[1], ";", &save); tok != NULL;
			    tok = strtok_r(NULL, ";", &save)) {
				if (config_deputy(cfg, tok) == NULL) {
					fprintf(stderr, "%s:%d: unknown deputy \"%s\"\n",
					    o->projects, lineno, tok);
					bad++;
				}
				json_array_append_new(sup, json_string(tok));
			}
		json_array_append_new(projects, json_pack("{s:s,s:o}", "title",
		    f[0], "supervisors", sup));
	}
	if (bad > 0)
		goto out;
	if (json_array_size(projects) == 0 ||
	    json_array_size(projects) > EVAL_MAX_QUESTIONS) {
		fprintf(stderr, "%s: expected 1 to %d projects, one a line\n",
		    o->projects, EVAL_MAX_QUESTIONS);
		goto out;
	}
	if ((st = open_rw(cfg)) == NULL || store_exec(st, "BEGIN IMMEDIATE") != 0)
		goto out;
	{
		struct store_stmt *stmt = store_stmt(st, SQL_VOTE_INSERT);

		gateway_eval_bind(stmt, 1, o->title);
		store_bind_int64(stmt, 2, opens);
		store_bind_int64(stmt, 3, closes);
		store_bind_int64(stmt, 4, (int64_t)cfg->ndeputies);
		store_bind_int64(stmt, 5, time_now());
		if (gateway_eval_step(st, stmt) != 0)
			goto rollback;
		id = store_last_insert_id(st);
	}
	json_array_foreach(projects, i, p) {
		struct store_stmt *stmt = store_stmt(st, SQL_VOTE_PROJECT_INSERT);
		char *sup = json_dumps(json_object_get(p, "supervisors"), JSON_COMPACT);

		store_bind_int64(stmt, 1, id);
		store_bind_int64(stmt, 2, (int64_t)i);
		gateway_eval_bind(stmt, 3, json_string_value(json_object_get(p, "title")));
		gateway_eval_bind(stmt, 4, sup);
		free(sup);
		if (gateway_eval_step(st, stmt) != 0)
			goto rollback;
	}
	for (i = 0; i < cfg->ndeputies; i++) {
		struct store_stmt *stmt = store_stmt(st, SQL_VOTE_VOTER_INSERT);

		store_bind_int64(stmt, 1, id);
		gateway_eval_bind(stmt, 2, cfg->deputies[i].id);
		gateway_eval_bind(stmt, 3, cfg->deputies[i].phone);
		if (gateway_eval_step(st, stmt) != 0)
			goto rollback;
	}
	if (store_exec(st, "COMMIT") != 0)
		goto rollback;
	printf("vote %lld \"%s\" created: %zu projects, %zu deputies\n",
	    (long long)id, o->title, json_array_size(projects), cfg->ndeputies);
	rc = 0;
	goto out;
rollback:
	store_exec(st, "ROLLBACK");
out:
	if (fp != NULL)
		fclose(fp);
	free(line);
	json_decref(projects);
	store_close(st);
	return rc;
}

static int
cmd_vote_result(const struct config *cfg, const struct opts *o)
{
	struct store	*st;
	json_t		*res;
	int		 rc = 1;

	if (o->npos != 1)
		eval_usage();
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	if ((res = gateway_vote_results(st, cfg, strtoll(o->pos[0], NULL, 10))) == NULL) {
		fprintf(stderr, "vote: no vote %s\n", o->pos[0]);
		goto out;
	}
	if (o->format == NULL || strcmp(o->format, "json") != 0)
		printf("vote %lld \"%s\": %lld of %lld deputies voted, quorum %s\n",
		    (long long)json_integer_value(json_object_get(res, "vote")),
		    json_string_value(json_object_get(res, "title")),
		    (long long)json_integer_value(json_object_get(res, "turnout")),
		    (long long)json_integer_value(json_object_get(res, "voters")),
		    json_is_true(json_object_get(res, "quorum_met")) ? "met" : "not met");
	print_rows(json_object_get(res, "projects"), gateway_vote_cols, o->format);
	json_decref(res);
	rc = 0;
out:
	store_close(st);
	return rc;
}

/* Adopted projects become cases their first supervising deputy has taken;
 * every supervising deputy holds it alike (vote_projects.supervisors, read
 * with the case: gateway/staff.c). */
static int
cmd_vote_track(const struct config *cfg, const struct opts *o)
{
	struct store	*st;
	struct store_stmt	*stmt;
	int64_t		 id, closes = 0, voters = 0, turnout = 0;
	int		 rc = 1, ntracked = 0;
	struct { int pos; char *title; json_t *sup; long yes; } p[EVAL_MAX_QUESTIONS];
	int		 np = 0, i;
	bool		 tx = false;

	if (o->npos != 1)
		eval_usage();
	if (gateway_eval_channel(cfg) == NULL) {
		fprintf(stderr, "vote track: set evaluation.channel (or dialog.sms_channel), the channel "
		    "the tracked items' updates go out on\n");
		return 1;
	}
	id = strtoll(o->pos[0], NULL, 10);
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	stmt = store_stmt(st, SQL_VOTE_GET);
	store_bind_int64(stmt, 1, id);
	if (store_step(stmt) == STORE_ROW) {
		closes = store_column_int64(stmt, 3);
		voters = store_column_int64(stmt, 4);
	}
	store_reset(stmt);
	if (closes == 0) {
		fprintf(stderr, "vote: no vote %s\n", o->pos[0]);
		goto out;
	}
	if (time_now() < closes) {
		fprintf(stderr, "vote track: vote %s is still open; the result is "
		    "final at its close\n", o->pos[0]);
		goto out;
	}
	stmt = store_stmt(st, SQL_VOTE_TURNOUT);
	store_bind_int64(stmt, 1, id);
	if (store_step(stmt) == STORE_ROW)
		turnout = store_column_int64(stmt, 0);
	store_reset(stmt);
	if (voters == 0 || (double)turnout < cfg->vote.quorum * (double)voters - 1e-9) {
		fprintf(stderr, "vote track: quorum not met (%lld of %lld): nothing "
		    "adopted\n", (long long)turnout, (long long)voters);
		goto out;
	}
	stmt = store_stmt(st, SQL_VOTE_PROJECTS);
	store_bind_int64(stmt, 1, id);
	while (store_step(stmt) == STORE_ROW && np < EVAL_MAX_QUESTIONS) {
		if (store_column_type(stmt, 6) != STORE_NULL ||
		    2 * store_column_int64(stmt, 3) <= turnout)
			continue;	/* tracked already, or not adopted */
		p[np].pos = store_column_int(stmt, 0);
		p[np].title = gateway_eval_col_dup(stmt, 1);
		p[np].sup = gateway_eval_col_json(stmt, 2);
		p[np].yes = (long)store_column_int64(stmt, 3);
		np++;
	}
	store_reset(stmt);
	if (store_exec(st, "BEGIN IMMEDIATE") != 0)
		goto out;
	tx = true;
	for (i = 0; i < np; i++) {
		const struct deputy *d = config_deputy(cfg,
		    json_string_value(json_array_get(p[i].sup, 0)));
		char *desc;
		long n;

		if (d == NULL) {
			printf("project %c \"%s\": adopted, no supervising deputy to "
			    "track it\n", 'A' + p[i].pos, p[i].title);
			continue;
		}
		desc = xasprintf("民生实事：%s", p[i].title);
		n = gateway_eval_case_track(st, cfg, gateway_eval_channel(cfg), d,
		    NULL, NULL, 2, desc, "vote", time_now());
		free(desc);
		if (n < 0)
			goto out;
		stmt = store_stmt(st, SQL_VOTE_PROJECT_TRACK);
		store_bind_int64(stmt, 1, id);
		store_bind_int(stmt, 2, p[i].pos);
		store_bind_int64(stmt, 3, n);
		if (gateway_eval_step(st, stmt) != 0)
			goto out;
		printf("project %c \"%s\": case %ld, supervised by %s\n",
		    'A' + p[i].pos, p[i].title, n, d->id);
		ntracked++;
	}
	if (store_exec(st, "COMMIT") != 0)
		goto out;
	tx = false;
	printf("%d project(s) tracked\n", ntracked);
	rc = 0;
out:
	if (tx)
		store_exec(st, "ROLLBACK");
	for (i = 0; i < np; i++) {
		free(p[i].title);
		json_decref(p[i].sup);
	}
	store_close(st);
	return rc;
}

/* --- deputies' duty records ------------------------------------------------ */

static int
cmd_duty_list(const struct config *cfg, const struct opts *o)
{
	static const char *const cols[] = { "id", "deputy", "kind", "count",
	    "text", "status", "note", "case", "at", NULL };
	struct store	*st;
	struct store_stmt	*stmt;
	json_t		*rows = json_array();
	char		 when[64];

	if ((st = open_rw(cfg)) == NULL) {
		json_decref(rows);
		return 1;
	}
	stmt = store_stmt(st, SQL_DUTY_LIST);
	gateway_eval_bind(stmt, 1, o->npos > 0 ? o->pos[0] : NULL);
	while (store_step(stmt) == STORE_ROW) {
		json_t *row = json_object();

		gateway_eval_when_fmt(cfg, store_column_int64(stmt, 8), "en", when,
		    sizeof(when));
		json_object_set_new(row, "id", json_integer(store_column_int64(stmt, 0)));
		json_object_set_new(row, "deputy", json_string((const char *)store_column_text(stmt, 1)));
		json_object_set_new(row, "kind", json_string((const char *)store_column_text(stmt, 2)));
		json_object_set_new(row, "count", json_integer(store_column_int64(stmt, 3)));
		json_object_set_new(row, "text", json_string((const char *)store_column_text(stmt, 4)));
		json_object_set_new(row, "status", store_column_type(stmt, 5) == STORE_NULL ?
		    json_null() : json_string((const char *)store_column_text(stmt, 5)));
		json_object_set_new(row, "note", store_column_type(stmt, 6) == STORE_NULL ?
		    json_null() : json_string((const char *)store_column_text(stmt, 6)));
		json_object_set_new(row, "case", store_column_type(stmt, 7) == STORE_NULL ?
		    json_null() : json_integer(store_column_int64(stmt, 7)));
		json_object_set_new(row, "at", json_string(when));
		json_array_append_new(rows, row);
	}
	store_reset(stmt);
	print_rows(rows, cols, o->format);
	json_decref(rows);
	store_close(st);
	return 0;
}

/* A suggestion (建议) handled or answered: recorded, and its deputy told. */
static int
cmd_duty_suggestion(const struct config *cfg, const struct opts *o)
{
	const struct deputy *d = NULL;
	struct store	*st;
	struct store_stmt	*stmt;
	char		*text = NULL, *deputy = NULL, *kind = NULL;
	const char	*status;
	int		 rc = 1;

	if (o->npos != 2 || o->note == NULL || *o->note == '\0')
		eval_usage();
	status = o->pos[1];
	if (strcmp(status, "handled") != 0 && strcmp(status, "answered") != 0) {
		fprintf(stderr, "duty suggestion: expected handled or answered, got "
		    "\"%s\"\n", status);
		return 1;
	}
	if (gateway_eval_channel(cfg) == NULL) {
		fprintf(stderr, "duty suggestion: set evaluation.channel (or dialog.sms_channel), the "
		    "channel the deputy is told on\n");
		return 1;
	}
	if ((st = open_rw(cfg)) == NULL)
		return 1;
	stmt = store_stmt(st, SQL_DUTY_GET);
	store_bind_int64(stmt, 1, strtoll(o->pos[0], NULL, 10));
	if (store_step(stmt) == STORE_ROW) {
		deputy = gateway_eval_col_dup(stmt, 0);
		kind = gateway_eval_col_dup(stmt, 1);
	}
	store_reset(stmt);
	if (kind == NULL || strcmp(kind, "suggestion") != 0 ||
	    (d = config_deputy(cfg, deputy)) == NULL) {
		fprintf(stderr, "duty suggestion: no suggestion %s\n", o->pos[0]);
		goto out;
	}
	{
		const char	*vars[] = { "number", o->pos[0], "status",
		    config_template(cfg, NULL, strcmp(status, "handled") == 0 ?
		    "suggestion_handled" : "suggestion_answered"), "note", o->note,
		    NULL };

		text = staff_render_fit(cfg, cfg->language, "duty_suggestion_status",
		    vars, "note");
	}
	if (store_exec(st, "BEGIN IMMEDIATE") != 0)
		goto out;
	stmt = store_stmt(st, SQL_DUTY_STATUS);
	store_bind_int64(stmt, 1, strtoll(o->pos[0], NULL, 10));
	gateway_eval_bind(stmt, 2, status);
	gateway_eval_bind(stmt, 3, o->note);
	if (gateway_eval_step(st, stmt) != 0) {
		store_exec(st, "ROLLBACK");
		goto out;
	}
	stmt = store_stmt(st, SQL_OUTBOX_QUEUE);
	gateway_eval_bind(stmt, 1, gateway_eval_channel(cfg));
	gateway_eval_bind(stmt, 2, d->phone);
	gateway_eval_bind(stmt, 3, text);
	store_bind_int64(stmt, 4, time_now());
	if (gateway_eval_step(st, stmt) != 0 || store_exec(st, "COMMIT") != 0) {
		store_exec(st, "ROLLBACK");
		goto out;
	}
	printf("suggestion %s %s; %s told\n", o->pos[0], status, d->id);
	rc = 0;
out:
	free(text);
	free(deputy);
	free(kind);
	store_close(st);
	return rc;
}

/* --- the CLI entry points -------------------------------------------------- */

int
gateway_evaluation(int argc, char **argv)
{
	struct config	*cfg;
	struct opts	 o;
	const char	*what, *sub;
	int		 rc = 2;

	if (argc < 2)
		eval_usage();
	what = argv[0];
	sub = argv[1];
	opts_parse(argc - 2, argv + 2, &o);
	if ((cfg = gateway_load_config(o.config, false)) == NULL)
		return 1;
	if (strcmp(what, "evaluators") == 0 && strcmp(sub, "import") == 0 &&
	    o.npos == 1)
		rc = cmd_import(cfg, o.pos[0]);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "create") == 0)
		rc = cmd_create(cfg, &o);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "draw") == 0)
		rc = cmd_draw(cfg, &o);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "list") == 0)
		rc = cmd_list(cfg, &o);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "scores") == 0)
		rc = cmd_scores(cfg, &o);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "override") == 0)
		rc = cmd_override(cfg, &o);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "rectify") == 0)
		rc = cmd_rectify(cfg, &o);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "close-item") == 0)
		rc = cmd_close_item(cfg, &o);
	else if (strcmp(what, "evaluation") == 0 && strcmp(sub, "items") == 0)
		rc = cmd_items(cfg, &o);
	else if (strcmp(what, "vote") == 0 && strcmp(sub, "create") == 0)
		rc = cmd_vote_create(cfg, &o);
	else if (strcmp(what, "vote") == 0 && strcmp(sub, "result") == 0)
		rc = cmd_vote_result(cfg, &o);
	else if (strcmp(what, "vote") == 0 && strcmp(sub, "track") == 0)
		rc = cmd_vote_track(cfg, &o);
	else if (strcmp(what, "duty") == 0 && strcmp(sub, "list") == 0)
		rc = cmd_duty_list(cfg, &o);
	else if (strcmp(what, "duty") == 0 && strcmp(sub, "suggestion") == 0)
		rc = cmd_duty_suggestion(cfg, &o);
	else
		eval_usage();
	config_free(cfg);
	return rc;
}

/* --- 履职考核: report deputies --month / --year ------------------------------ */

/* Queue the 公示 of rows to every deputy of township tw (from the CLI:
 * the server's sender delivers it). */
static int
publish(struct store *st, const struct config *cfg, json_t *rows,
    const char *tw, const char *period)
{
	const struct township	*t = config_township(cfg, tw);
	struct buf		 lines;
	struct store_stmt		*stmt;
	json_t			*r;
	size_t			 i, n = 0;
	char			*text;
	int			 rc = -1;

	if (t == NULL) {
		fprintf(stderr, "report: --publish: unknown township \"%s\"\n", tw);
		return -1;
	}
	if (gateway_eval_channel(cfg) == NULL) {
		fprintf(stderr, "report: --publish needs evaluation.channel (or dialog.sms_channel), the "
		    "channel the 公示 goes out on\n");
		return -1;
	}
	buf_init(&lines, 0);
	json_array_foreach(rows, i, r)
		buf_printf(&lines, "%s%lld.%s %.1f", i ? "；" : "",
		    (long long)json_integer_value(json_object_get(r, "rank")),
		    json_string_value(json_object_get(r, "name")),
		    json_real_value(json_object_get(r, "score")));
	{
		const char *vars[] = { "period", period, "township", t->name,
		    "lines", buf_str(&lines), NULL };

		text = staff_render_fit(cfg, cfg->language, "assess_publish", vars,
		    "lines");
	}
	buf_free(&lines);
	if (store_exec(st, "BEGIN IMMEDIATE") != 0)
		goto out;
	for (i = 0; i < cfg->ndeputies; i++) {
		if (!gateway_deputy_of_township(cfg, cfg->deputies[i].id, tw))
			continue;
		stmt = store_stmt(st, SQL_OUTBOX_QUEUE);
		gateway_eval_bind(stmt, 1, gateway_eval_channel(cfg));
		gateway_eval_bind(stmt, 2, cfg->deputies[i].phone);
		gateway_eval_bind(stmt, 3, text);
		store_bind_int64(stmt, 4, time_now());
		if (gateway_eval_step(st, stmt) != 0) {
			store_exec(st, "ROLLBACK");
			goto out;
		}
		n++;
	}
	if (store_exec(st, "COMMIT") != 0)
		goto out;
	printf("公示 queued to %zu deputies of %s\n", n, tw);
	rc = 0;
out:
	free(text);
	return rc;
}

int
gateway_assess_report(int argc, char **argv)
{
	struct config	*cfg = NULL;
	struct store	*st = NULL;
	struct opts	 o;
	json_t		*out = NULL;
	char		 period[32];
	int		 y, mo = 0, rc = 1;
	size_t		 i, n;
	bool		 year;

	opts_parse(argc, argv, &o);
	year = o.year != NULL;
	if ((o.month == NULL) == (o.year == NULL) || (o.month != NULL &&
	    sscanf(o.month, "%4d-%2d", &y, &mo) != 2) || (o.year != NULL &&
	    sscanf(o.year, "%4d", &y) != 1) || mo < 0 || mo > 12 ||
	    (o.month != NULL && mo == 0)) {
		fprintf(stderr, "usage: minyi report deputies --config FILE "
		    "--month YYYY-MM | --year YYYY [--publish TOWNSHIP] "
		    "[--format table|csv|json]\n");
		return 1;
	}
	log_init(-1);
	if ((cfg = gateway_load_config(o.config, false)) == NULL)
		return 1;
	if (year)
		snprintf(period, sizeof(period), "%04d", y);
	else
		snprintf(period, sizeof(period), "%04d-%02d", y, mo);
	if ((st = open_rw(cfg)) == NULL)
		goto out;
	if ((out = gateway_assess_rows(st, cfg, y, mo, o.publish)) == NULL)
		goto out;
	n = json_array_size(out);
	if (o.publish != NULL && publish(st, cfg, out, o.publish, period) != 0)
		goto out;
	print_rows(out, year ? gateway_assess_year_cols : gateway_assess_month_cols,
	    o.format);
	if (year && (o.format == NULL || strcmp(o.format, "json") != 0)) {
		printf("约谈 (score under %g):", cfg->assessment.interview_below);
		for (i = 0; i < n; i++)
			if (json_is_true(json_object_get(json_array_get(out, i),
			    "interview")))
				printf(" %s", json_string_value(json_object_get(
				    json_array_get(out, i), "name")));
		printf("\n");
	}
	rc = 0;
out:
	json_decref(out);
	store_close(st);
	config_free(cfg);
	return rc;
}
