/*
 * tests/fuzz/fuzz_sim.c: feeds the simulated network's webhook: a JSON body
 * {"from", "text", "id"} (no signature, no sub-path).  Checks the harness's
 * contracts (harness_adapter.c): a message with an E.164 sender and UTF-8
 * text, or a reason.
 * The input format (sub-path, header, remote address and body, split at
 * RS bytes) is described at the top of harness_adapter.c.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_adapter_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_adapter_init();
	fuzz_adapter_one("sim", data, size);
	return 0;
}
