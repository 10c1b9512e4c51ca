#!/usr/bin/env python3
"""Crash drill: kill -9 minyi at random moments under a steady load of
signed Twilio-style webhooks, restart it on the same store and port, and
check that nothing acknowledged is lost or doubled.

  1. residents (a few client threads) write webhooks without pause; one
     that gets no 2xx is sent again with the same MessageSid;
  2. KILLS times, after a random 0.3-2.5 s, the server is killed with
     SIGKILL and started again at once;
  3. then: every webhook answered 2xx is in `messages` exactly once, with
     its text; every conversation is in a dialog state with JSON data;
     every outbox row is sent, and the call it recorded (the provider's
     sid) carries its recipient and text; per recipient those calls came
     in outbox id order; and no row reached the provider twice: rows a
     kill left "sending" are looked up at the provider after the restart
     (the fake lists what it accepted, as Twilio's Messages list does),
     so an accepted call no row recorded is a duplicate, and there must
     be none.  The counts of lookups (found, not found, cannot tell) are
     printed.

Exit status 0 when every check holds.  Usage:
    python3 tests/drills/crash_drill.py [--build build] [--seed N] [--keep]
"""
import json
import random
import re
import shutil
import sys
import tempfile
import time

import drill

KILLS = 25
RESIDENTS = 40
THREADS = 4
KILL_BEFORE = 0.25  # seconds
KILL_AFTER = 0.25
LOOKUP_GRACE = 1    # s; the killed process's calls reach the fake within ms


def main():
    a = drill.args(__doc__)
    from harness import Server, ENV

    rng = random.Random(a.seed)
    provider = drill.Provider()
    port = drill.free_port()
    failures = []
    tmp = tempfile.mkdtemp(prefix="minyi-crash-")

    def mutate(cfg):
        cfg["server"]["listen"] = f"127.0.0.1:{port}"
        cfg["quiet_hours"] = {"start": "00:00", "end": "00:00"}    # none
        cfg["limits"] = {"per_sender_per_minute": 100000}
        for ch in cfg["channels"]:
            if ch["id"] == "sms":
                ch["api_base"] = provider.url
                ch["retry_base_seconds"] = 1
                ch["max_attempts"] = 10
                ch["lookup_grace_seconds"] = LOOKUP_GRACE

    server = drill.guard(Server(tmp, mutate=mutate))
    db = server.cfg["store"]["path"]
    drill.log(f"crash drill: seed={a.seed} port={port} store={db}")
    server.start()
    t0 = time.monotonic()
    load = drill.Residents(lambda: port, ENV["TWILIO_AUTH_TOKEN"],
                           server.cfg["server"]["public_url"], RESIDENTS, THREADS,
                           pace=0.005, seed=a.seed).start()
    kills = 0
    kill_at = []
    restart_ms = []
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.3, 2.5))
        t = time.monotonic()
        server.kill()
        kill_at.append((t, time.monotonic()))     # signal sent .. process reaped
        kills += 1
        server.start()
        restart_ms.append((time.monotonic() - t) * 1000)
    time.sleep(1.0)
    load.stop_writing()
    if not load.join(60):
        failures.append("webhooks still unanswered 60 s after the load stopped")
    drill.log(f"load done after {time.monotonic() - t0:.1f} s; waiting for the outbox")
    if not drill.wait_outbox_settled(db, 60):
        failures.append("outbox rows still pending or sending after 60 s")
    time.sleep(0.5)
    rc = server.stop()
    if rc != 0:
        failures.append(f"the last graceful stop exited {rc}")

    hooks = load.all()
    ok = [h for h in hooks if h.ok]
    retried = [h for h in hooks if h.attempts > 1]
    stored, dup, missing, wrong = drill.check_messages(db, hooks)
    convs, badconv = drill.check_conversations(db)
    outbox = drill.query(db, "SELECT id, address, body, status, attempts, provider_id"
                         " FROM outbox WHERE channel = 'sms' ORDER BY id")
    calls = provider.snapshot()
    d = drill.Deliveries(outbox, calls)
    # A copy no row recorded was made by a process killed before it could
    # record the answer: it must have reached the provider around a kill
    # (at most KILL_BEFORE before the signal; the provider timestamps a
    # call once it has read it, which under load may be a little after the
    # process that made it is gone: KILL_AFTER).
    unexplained = [x for x in d.extra if not any(
        sig - KILL_BEFORE <= x[0] <= dead + KILL_AFTER for sig, dead in kill_at)]
    cases = drill.query(db, "SELECT count(*) FROM cases")[0][0]
    left_sending = sum(int(m.group(1)) for m in (re.search(
        r"outbox recovery channel=sms: (\d+) rows left sending", x)
        for x in server.log) if m)
    found = sum(" outbox lookup channel=" in x and " found provider_id=" in x for x in server.log)
    not_found = sum(" outbox lookup channel=" in x and x.endswith(" not found") for x in server.log)
    cannot_tell = sum(" outbox lookup channel=" in x and " cannot tell: " in x for x in server.log)
    reset = sum("cannot look them up are sent again" in x for x in server.log)
    provider.close()
    if a.keep:
        provider.dump(tmp + "/calls.json")
        with open(tmp + "/server.log", "w") as f:
            f.write("\n".join(server.log))     # every start's stderr, in turn
        with open(tmp + "/kills.json", "w") as f:
            json.dump(kill_at, f)
        drill.log(f"kept {tmp}")
    else:
        shutil.rmtree(tmp)

    failures += drill.kill_failures(hooks, ok, dup, missing, wrong, badconv, d)
    if reset:
        failures.append(f"{reset} starts sent rows again without a lookup")
    if kills and not left_sending:
        failures.append("no kill left a row sending: the lookups were not exercised")
    if unexplained:
        failures.append(f"{len(unexplained)} resends not near a kill: {unexplained[:3]}")

    print("crash drill:")
    drill.count("seed", a.seed)
    drill.count("kills (SIGKILL, restart)", kills)
    drill.count("restart to listening, ms (max)", f"{max(restart_ms):.0f}")
    drill.count("webhooks sent", len(hooks))
    drill.count("webhook attempts", sum(h.attempts for h in hooks))
    drill.count("webhooks retried after a failure", len(retried))
    drill.count("webhooks answered 2xx", len(ok))
    drill.count("messages stored", stored)
    drill.count("duplicates", dup)
    drill.count("acknowledged but missing", len(missing))
    drill.count("cases", cases)
    drill.count("conversations open (all valid)" if not badconv else
                "conversations open (INVALID)", f"{len(convs)} ({len(badconv)} invalid)")
    drill.count("outbox rows (sms)", len(outbox))
    drill.count("provider requests", len(calls))
    drill.count("accepted (201)", d.accepted)
    drill.count("rows left sending (all starts)", left_sending)
    drill.count("lookups (list calls)", len(provider.lookups))
    drill.count("  found: recorded sent, not resent", found)
    drill.count("  not found: sent again", not_found)
    drill.count("  cannot tell: asked again", cannot_tell)
    drill.count("reached the provider twice", len(d.extra))
    drill.count("  of them not near a kill", len(unexplained))
    drill.count("recipients out of order", len(d.disorder))
    for f in failures:
        print("FAIL " + f)
    print("crash drill: " + ("ok" if not failures else f"{len(failures)} failed"), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
