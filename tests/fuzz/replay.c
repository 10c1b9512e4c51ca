/*
 * tests/fuzz/replay.c: a main() for the fuzz drivers without libFuzzer,
 * as SQLite's fuzzcheck.c replays its corpora.  It runs
 * LLVMFuzzerTestOneInput once on every file of the directories (or files)
 * given, by default FUZZ_CORPUS (tests/fuzz/corpus/<target>, set by the
 * Makefile), and prints TAP so that tests/run.py counts each file: "ok N -
 * <file>", or one "ok N - <dir> (K files)" for a directory of more than
 * REPLAY_PER_FILE_MAX files.  A driver that finds a broken invariant
 * aborts, and a sanitizer (make test-asan) ends the process: either way the
 * exit status is not 0 and the runner counts a failure; the file being
 * replayed was named on stderr just before.
 *
 * Each input is read into a buffer of exactly its size, so that a driver
 * reading past it is caught under AddressSanitizer.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#ifndef FUZZ_CORPUS
#error "FUZZ_CORPUS must name the corpus directory"
#endif

#define REPLAY_PER_FILE_MAX	100	/* more files: one TAP line per directory */

static int	tap_n;		/* TAP lines printed */

/* The file at path, whole, in a new buffer (caller frees); NULL on error. */
static uint8_t *
replay_read(const char *path, size_t *size)
{
	FILE		*f = NULL;
	uint8_t		*data = NULL, *ret = NULL;
	struct stat	 sb;

	*size = 0;
	errno = 0;
	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &sb) == -1)
		goto out;
	*size = (size_t)sb.st_size;
	if ((data = malloc(*size > 0 ? *size : 1)) == NULL)
		goto out;
	if (*size > 0 && fread(data, 1, *size, f) != *size)
		goto out;
	ret = data;
	data = NULL;
out:
	if (ret == NULL)
		fprintf(stderr, "replay: %s: %s\n", path,
		    strerror(errno ? errno : EIO));
	free(data);
	if (f != NULL)
		fclose(f);
	return ret;
}

/* Run the driver on one file.  0, or -1 when it could not be read. */
static int
replay_file(const char *path)
{
	uint8_t	*data = NULL;
	size_t	 size = 0;

	fprintf(stderr, "replay: %s\n", path);
	if ((data = replay_read(path, &size)) == NULL)
		return -1;
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int
replay_namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order.  Returns failures. */
static int
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		**names = NULL, *path = NULL;
	size_t		 n = 0, cap = 0, i;
	int		 failed = 0;

	if ((d = opendir(dir)) == NULL) {
		printf("not ok %d - %s: %s\n", ++tap_n, dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((names = realloc(names, cap * sizeof(*names))) == NULL)
				abort();
		}
		if (asprintf(&path, "%s/%s", dir, de->d_name) == -1)
			abort();
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			names[n++] = path;
		else
			free(path);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), replay_namecmp);
	for (i = 0; i < n; i++) {
		if (replay_file(names[i]) == -1) {
			printf("not ok %d - %s: unreadable\n", ++tap_n, names[i]);
			failed++;
		} else if (n <= REPLAY_PER_FILE_MAX)
			printf("ok %d - %s\n", ++tap_n, names[i]);
	}
	if (n > REPLAY_PER_FILE_MAX && failed == 0)
		printf("ok %d - %s (%zu files)\n", ++tap_n, dir, n);
	if (n == 0) {
		printf("not ok %d - %s: no inputs\n", ++tap_n, dir);
		failed++;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return failed;
}

int
main(int argc, char **argv)
{
	struct stat	 sb;
	int		 i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2)
		failed += replay_dir(FUZZ_CORPUS);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			failed += replay_dir(argv[i]);
		else if (replay_file(argv[i]) == -1) {
			printf("not ok %d - %s: unreadable\n", ++tap_n, argv[i]);
			failed++;
		} else
			printf("ok %d - %s\n", ++tap_n, argv[i]);
	}
	printf("1..%d\n", tap_n);
	return failed ? 1 : 0;
}
