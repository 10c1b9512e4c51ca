/*
 * tests/fuzz/fuzz_tencent_sms.c: feeds Tencent Cloud SMS callbacks: a reply
 * object {mobile, nationcode, text, time, sign, extend} or an array of
 * status reports {sid, report_status, errmsg, description, ...}, behind
 * the URL secret (sub-path "/<secret>", "/<secret>/reply",
 * "/<secret>/status") and the allow-list of source addresses (the remote
 * part); then tencent_build with the header part as the number and
 * tencent_result over the body as SendSms's answer.  Checks the harness's
 * contracts (harness_adapter.c).
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
	fuzz_adapter_one("tencent", data, size);
	return 0;
}
