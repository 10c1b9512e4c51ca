/*
 * copy.c: `minyi store copy --from CONFIG_A --to CONFIG_B`: the whole
 * store of CONFIG_A's store section into the empty store of CONFIG_B's
 * (a county moved from SQLite to PostgreSQL, or back), verified table by
 * table (store/copy.c).  The source is opened read-only and must be at
 * the current schema; the target is migrated by opening it, and must
 * hold no row: a second run on a target it filled is refused, so running
 * it again is safe.  Prints one line per table, "cases rows=N
 * sha256=HEX", then "copied: N tables, M rows, verified"; exit 0, 1 when
 * refused or failed (nothing written), 2 on a usage error.
 */
#include "gateway.h"

#include <stdio.h>
#include <string.h>

struct copy_out {
	size_t		 tables;
	int64_t		 rows;
};

static void
copy_print(void *arg, const char *table, int64_t rows, const char *sha256)
{
	struct copy_out	*o = arg;

	printf("%s rows=%" PRId64 " sha256=%s\n", table, rows, sha256);
	o->tables++;
	o->rows += rows;
}

static int
copy_usage(void)
{
	fprintf(stderr, "usage: minyi store copy --from CONFIG_A --to CONFIG_B\n");
	return 2;
}

int
gateway_store(int argc, char **argv)
{
	struct config	*from_cfg = NULL, *to_cfg = NULL;
	struct store	*from = NULL, *to = NULL;
	struct copy_out	 o = { 0, 0 };
	const char	*from_path = NULL, *to_path = NULL;
	char		 err[512];
	int64_t		 t0;
	int		 i, rc = 1;

	if (argc < 2 || strcmp(argv[1], "copy") != 0)
		return copy_usage();
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			from_path = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to_path = argv[++i];
		else
			return copy_usage();
	}
	if (from_path == NULL || to_path == NULL)
		return copy_usage();
	log_init(-1);
	if ((from_cfg = gateway_load_config(from_path, false)) == NULL ||
	    (to_cfg = gateway_load_config(to_path, false)) == NULL)
		goto out;
	if ((from = store_open_cfg(from_cfg, STORE_READONLY, false, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "store copy: cannot open the source store %s: %s\n",
		    store_cfg_name(from_cfg), err);
		goto out;
	}
	if ((to = store_open_cfg(to_cfg, 0, false, err, sizeof(err))) == NULL) {
		fprintf(stderr, "store copy: cannot open the target store %s: %s\n",
		    store_cfg_name(to_cfg), err);
		goto out;
	}
	t0 = time_mono_ms();
	if (store_copy(from, to, copy_print, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "store copy: %s\n", err);
		goto out;
	}
	printf("copied: %zu tables, %" PRId64 " rows, verified\n", o.tables, o.rows);
	fprintf(stderr, "store copy: %s to %s in %.1f s\n", store_cfg_name(from_cfg),
	    store_cfg_name(to_cfg), (double)(time_mono_ms() - t0) / 1000.0);
	rc = 0;
out:
	store_close(from);
	store_close(to);
	config_free(from_cfg);
	config_free(to_cfg);
	return rc;
}
