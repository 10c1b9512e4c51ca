-- bench/webhook.lua: wrk sends the pool of signed Twilio-style webhooks
-- that bench/webhooks.py wrote (MINYI_BENCH_POOL), each thread its own
-- share (line i goes to thread i % MINYI_BENCH_THREADS), in order.  A
-- thread that runs out starts over: those requests are retries, answered
-- 200 and stored once, so done() says how many there were.

local pool = os.getenv("MINYI_BENCH_POOL")
local nthreads = tonumber(os.getenv("MINYI_BENCH_THREADS") or "2")
local threads = {}

function setup(thread)
	thread:set("id", #threads)
	table.insert(threads, thread)
end

function init(args)
	sigs, sids, froms, bodies = {}, {}, {}, {}
	local i = 0
	for l in io.lines(pool) do
		if i % nthreads == id then
			local sig, sid, from, body = l:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
			sigs[#sigs + 1] = sig
			sids[#sids + 1] = sid
			froms[#froms + 1] = from
			bodies[#bodies + 1] = body
		end
		i = i + 1
	end
	n = 0
	wrapped = 0
	headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
end

function request()
	n = n + 1
	if n > #sigs then
		n = 1
		wrapped = wrapped + 1
	end
	local sid = sids[n]
	headers["X-Twilio-Signature"] = sigs[n]
	return wrk.format("POST", "/webhooks/sms", headers,
	    "ToCountry=CN&SmsMessageSid=" .. sid .. "&NumMedia=0&SmsSid=" .. sid ..
	    "&SmsStatus=received&FromCity=PUYANG&Body=" .. bodies[n] ..
	    "&FromCountry=CN&To=%2B8610690000&NumSegments=1&MessageSid=" .. sid ..
	    "&AccountSid=AC00000000000000000000000000000000&From=" .. froms[n] ..
	    "&ApiVersion=2010-04-01")
end

function done(summary, latency, requests)
	local w = 0
	for _, t in ipairs(threads) do
		w = w + (t:get("wrapped") or 0)
	end
	io.write(string.format("pool_wrapped %d\n", w))
end
