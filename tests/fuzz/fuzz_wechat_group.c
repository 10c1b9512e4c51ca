/*
 * tests/fuzz/fuzz_wechat_group.c: feeds the group bridge's webhook: a JSON message
 * {msg_id, group_id, sender {id, name, mobile}, text, mentions} signed with
 * X-Minyi-Signature (hex HMAC-SHA256 of the body), mention and keyword
 * stripping; then wg_build with the header part as the group address
 * "group|member|url" and wg_result over the body as the robot's answer
 * ({"errcode", "errmsg"}).  Checks the harness's contracts
 * (harness_adapter.c): group messages come from "groups:<member>" with a
 * group id.
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
	fuzz_adapter_one("groups", data, size);
	return 0;
}
