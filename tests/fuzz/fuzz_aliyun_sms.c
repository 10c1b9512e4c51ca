/*
 * tests/fuzz/fuzz_aliyun_sms.c: feeds Alibaba Cloud SMS pushes: a JSON array of
 * SmsUp ({phone_number, content, send_time, dest_code, sequence_id}) or
 * SmsReport ({phone_number, success, biz_id, err_code, ...}) items,
 * behind the URL secret (sub-path "/<secret>", "/<secret>/up",
 * "/<secret>/report") and the allow-list of source addresses (the remote
 * part); then aliyun_build with the header part as the number and
 * aliyun_result over the body as SendSms's answer.  Checks the harness's
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
	fuzz_adapter_one("aliyun", data, size);
	return 0;
}
