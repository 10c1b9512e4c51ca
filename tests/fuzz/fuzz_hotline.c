/*
 * tests/fuzz/fuzz_hotline.c: feeds the hotline webhook: a call transcript in
 * either shape ({call_id, caller, summary, segments[{speaker, text,
 * begin_ms}]} or Alibaba Cloud's {Result: {Sentences[{ChannelId,
 * BeginTime, Text}]}}), signed with X-Minyi-Signature.  The channel
 * reads ChannelId 1 as the caller.  Checks the harness's contracts
 * (harness_adapter.c): one message from an E.164 caller, UTF-8 text.
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
	fuzz_adapter_one("hotline", data, size);
	return 0;
}
