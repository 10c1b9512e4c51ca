#!/usr/bin/env python3
"""Outage drill: the SMS provider fails for a stretch while residents keep
writing, then recovers; every message must then be delivered once, in
per-resident order, and only a recipient the provider never accepts may
end dead, after exactly max_attempts.

Timeline (seconds from the first webhook), PHASE seconds each:
    ok, then refused (nothing listens; open connections cut), then two
    phases of 503 and 429 in turn, then hang (the call is read and never
    answered: the sender's 20 s timeout fires), then ok again; residents
    write until WRITE_UNTIL.
One resident (DOOMED) is refused with 503 throughout: its reply must go
`dead` with attempts == max_attempts and a message_dead case event.

The channel: max_attempts = MAX_ATTEMPTS, retry_base_seconds = 1, so a
row may be tried at +0, 1, 3, 7, 15, 31, 63 s (+-25%): the outage (4 x
PHASE seconds, a hung call adding 20 s) ends before a row's attempts do.

Exit status 0 when every check holds.  Usage:
    python3 tests/drills/outage_drill.py [--build build] [--seed N]
"""
import shutil
import sys
import tempfile
import time

import drill

PHASE = 4.0
PHASES = ["ok", "down", "busy", "busy", "hang"]   # then "recovered"
WRITE_UNTIL = 6 * PHASE + 5       # seconds
SETTLE = 120                      # seconds, at most, for the outbox to drain
MAX_ATTEMPTS = 7
RESIDENTS = 60
THREADS = 4
DOOMED = "+8613800139999"


def main():
    a = drill.args(__doc__)
    from harness import Server, ENV

    provider = drill.Provider()
    provider.doomed.add(DOOMED)
    failures = []
    tmp = tempfile.mkdtemp(prefix="minyi-outage-")

    def mutate(cfg):
        cfg["quiet_hours"] = {"start": "00:00", "end": "00:00"}    # none
        cfg["limits"] = {"per_sender_per_minute": 100000}
        for ch in cfg["channels"]:
            if ch["id"] == "sms":
                ch["api_base"] = provider.url
                ch["retry_base_seconds"] = 1
                ch["max_attempts"] = MAX_ATTEMPTS

    server = drill.guard(Server(tmp, mutate=mutate))
    db = server.cfg["store"]["path"]
    drill.log(f"outage drill: seed={a.seed} store={db}")
    server.start()
    load = drill.Residents(lambda: server.port, ENV["TWILIO_AUTH_TOKEN"],
                           server.cfg["server"]["public_url"], RESIDENTS, THREADS,
                           pace=0.05, seed=a.seed, tag="MM")
    doomed = drill.Webhook("SM" + "d" * 32, DOOMED, "刘辛店村村口路灯不亮")
    if not load.post(doomed):
        failures.append(f"the doomed resident's webhook got {doomed.statuses}")
    t0 = time.monotonic()
    load.start()
    phase_at = []
    for i, name in enumerate(PHASES[1:] + ["recovered"], start=1):
        time.sleep(max(0.0, t0 + i * PHASE - time.monotonic()))
        if name == "down":
            provider.down()
        else:
            if not provider.listening:
                provider.up()
            provider.mode = "ok" if name == "recovered" else name
        phase_at.append((name, time.monotonic() - t0))
        drill.log(f"provider: {name}")
    time.sleep(max(0.0, t0 + WRITE_UNTIL - time.monotonic()))
    load.stop_writing()
    if not load.join(30):
        failures.append("webhooks still unanswered 30 s after the load stopped")
    drill.log("load stopped; waiting for the outbox")
    if not drill.wait_outbox_settled(db, SETTLE):
        failures.append(f"outbox rows still pending or sending after {SETTLE} s")
    settled = time.monotonic() - t0
    rc = server.stop()
    if rc != 0:
        failures.append(f"the graceful stop exited {rc}")

    hooks = load.all() + [doomed]
    ok = [h for h in hooks if h.ok]
    stored, dup, missing, wrong = drill.check_messages(db, hooks)
    outbox = drill.query(db, "SELECT id, address, body, status, attempts, provider_id"
                         " FROM outbox WHERE channel = 'sms' ORDER BY id")
    calls = provider.snapshot()
    answers = {}
    for c in calls:
        answers[c[3]] = answers.get(c[3], 0) + 1
    live = [r for r in outbox if r[1] != DOOMED]
    dead = [r for r in outbox if r[3] == "dead"]
    d = drill.Deliveries(live, calls)
    events = drill.query(db, "SELECT detail FROM case_events WHERE kind = 'message_dead'")
    dead_events = {int(e[0].split()[0].split("=")[1]) for e in events}
    early = [r for r in dead if r[4] != MAX_ATTEMPTS]
    not_doomed_dead = [r for r in outbox if r[3] in ("dead", "failed") and r[1] != DOOMED]
    doomed_rows = [r for r in outbox if r[1] == DOOMED]
    retried = [r for r in live if r[4] > 1]
    # the most tried delivered row: what the provider did with its calls
    top = max(live, key=lambda r: r[4], default=None)
    top_calls = [f"{c[3]}@{c[0] - t0:.0f}s" for c in calls
                 if top is not None and (c[1], c[2]) == (top[1], top[2])]
    attempts = sum(r[4] for r in outbox)
    provider.close()
    shutil.rmtree(tmp)

    if len(ok) != len(hooks):
        failures.append(f"{len(hooks) - len(ok)} webhooks never got a 2xx")
    if dup or missing or wrong:
        failures.append(f"messages: {dup} duplicates, {len(missing)} missing, {len(wrong)} wrong")
    if d.unsent:
        failures.append(f"{len(d.unsent)} rows not delivered: {d.unsent[:3]}")
    if d.wrong or d.short:
        failures.append(f"rows not matching the calls: {d.wrong[:3]} {d.short[:3]}")
    if d.extra:
        failures.append(f"{len(d.extra)} rows delivered twice: {d.extra[:3]}")
    if d.disorder:
        failures.append(f"{len(d.disorder)} recipients got rows out of order: {d.disorder[:3]}")
    if not doomed_rows or any(r[3] != "dead" for r in doomed_rows):
        failures.append(f"the doomed resident's rows are not all dead: {doomed_rows}")
    if early:
        failures.append(f"{len(early)} rows dead before max_attempts: {early[:3]}")
    if not_doomed_dead:
        failures.append(f"{len(not_doomed_dead)} rows gave up that should have been sent")
    if any(r[0] not in dead_events for r in dead):
        failures.append("dead rows without a message_dead event")
    if not retried:
        failures.append("no row needed a retry: the outage did not bite")
    for kind in ("503", "429", "hang"):
        if not answers.get(kind):
            failures.append(f"no call was answered {kind}: that phase did not bite")
    if attempts - len(calls) <= 0:
        failures.append("no call was refused: the down phase did not bite")

    print("outage drill:")
    drill.count("seed", a.seed)
    drill.count("phases (s from start)", ", ".join(
        f"{k} {v:.0f}" for k, v in phase_at))
    drill.count("webhooks sent", len(hooks))
    drill.count("webhooks answered 2xx", len(ok))
    drill.count("messages stored", stored)
    drill.count("outbox rows (sms)", len(outbox))
    drill.count("attempts (claims) in all", attempts)
    drill.count("provider requests", len(calls))
    drill.count("  answered 201", answers.get("ok", 0))
    drill.count("  answered 503", answers.get("503", 0))
    drill.count("  answered 429", answers.get("429", 0))
    drill.count("  hung past the timeout", answers.get("hang", 0))
    drill.count("  refused (attempts - requests)", attempts - len(calls))
    drill.count("rows delivered", len(live) - len(d.unsent))
    drill.count("rows that needed retries", len(retried))
    drill.count("most attempts of a delivered row", top[4] if top else 0)
    drill.count("  its calls that reached the provider", " ".join(top_calls))
    drill.count("delivered twice", len(d.extra))
    drill.count("recipients out of order", len(d.disorder))
    drill.count("dead (attempts)", ", ".join(f"{r[0]}: {r[4]}" for r in dead) or "none")
    drill.count("message_dead events", len(events))
    drill.count("died early", len(early) + len(not_doomed_dead))
    drill.count("all settled at (s)", f"{settled:.0f}")
    for f in failures:
        print("FAIL " + f)
    print("outage drill: " + ("ok" if not failures else f"{len(failures)} failed"), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
