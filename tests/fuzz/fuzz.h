/*
 * tests/fuzz/fuzz.h: what every fuzz driver defines (libFuzzer's entry
 * points), and the adapter harness the adapter drivers share.
 *
 * Each tests/fuzz/fuzz_<target>.c is linked twice: with clang and
 * -fsanitize=fuzzer into build-fuzz/fuzz/fuzz_<target> (`make fuzz`), and
 * with the project's compiler against replay.c into
 * $(BUILD)/tests/test_fuzz_<target>, which `make test` runs over
 * tests/fuzz/corpus/<target>/.  A driver reports a broken invariant with
 * fuzz_fail(), which prints why and aborts: both builds count it as a crash.
 */
#ifndef MINYI_FUZZ_H
#define MINYI_FUZZ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Called once before the first input; argc and argv may be NULL. */
int	 LLVMFuzzerInitialize(int *argc, char ***argv);
/* One input: data is borrowed for the call.  Always returns 0. */
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz: <what>" on stderr and abort(). */
static inline void __attribute__((format(printf, 1, 2), noreturn))
fuzz_fail(const char *fmt, ...)
{
	va_list	 ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * harness_adapter.c: one configuration holding a channel of every
 * adapter, opened once.  fuzz_adapter_init sets the secrets the channels
 * read (setenv) and opens them; fuzz_adapter_one runs channel id's verify,
 * parse, build and result over one input, checking their contracts.
 */
void	 fuzz_adapter_init(void);
void	 fuzz_adapter_one(const char *channel, const uint8_t *data, size_t size);

#endif /* MINYI_FUZZ_H */
