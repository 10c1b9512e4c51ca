/*
 * tests/fuzz/fuzz_twilio.c: feeds Twilio's webhooks: the body as form fields
 * (MessageSid, From, To, Body, NumMedia, MediaUrl0...), the sub-path ""
 * (a message) or "/status" (a status callback, MessageStatus, ErrorCode),
 * with "?query" signed too, and the X-Twilio-Signature header (HMAC-SHA1
 * over public_url + path + sorted fields, base64).  Then twilio_build with
 * the header part as To, and twilio_result over the body as Twilio's
 * JSON answer.  Checks the harness's contracts (harness_adapter.c).
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
	fuzz_adapter_one("sms", data, size);
	return 0;
}
