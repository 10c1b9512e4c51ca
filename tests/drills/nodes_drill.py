#!/usr/bin/env python3
"""Two-node crash drill: two `minyi serve` on one PostgreSQL database (a
cluster of the drill's own, fsync on, tests/pgcluster.py) behind a
client that spreads webhooks over both, as a reverse proxy would; one node
at a time is killed with SIGKILL at random moments under load.

  1. residents (a few client threads) write signed Twilio-style webhooks
     without pause, each to one of the two nodes at random; one that gets
     no 2xx is sent again (same MessageSid), to either node;
  2. KILLS times, after a random 0.3-2.5 s, a random node is killed; most
     times it is started again at once (it recovers its own rows left
     sending), sometimes only after the other has taken its rows over
     (node_timeout_seconds, then looked up at the provider);
  3. then: every webhook answered 2xx is in `messages` exactly once; every
     conversation is in a dialog state; every outbox row is sent, the call
     it recorded carries its recipient and text, per recipient in outbox id
     order; no row reached the provider twice; and the node that was not
     killed answered every webhook it was sent (no failure but at the
     killed one).

Exit status 0 when every check holds.  Usage:
    python3 tests/drills/nodes_drill.py [--build build] [--seed N] [--keep]
"""
import random
import re
import shutil
import sys
import tempfile
import threading
import time

import drill

KILLS = 20
RESIDENTS = 40
THREADS = 4
TIMEOUT = 3         # server.node_timeout_seconds
LATE = 0.3          # share of kills restarted only after a take-over
KILL_BEFORE = 0.25  # seconds: see crash_drill.py
KILL_AFTER = 0.25
LOOKUP_GRACE = 1


class SpreadResidents(drill.Residents):
    """Residents whose every attempt goes to a node picked at random, each
    attempt kept as (monotonic time, port, ok)."""

    def __init__(self, ports, rng, *a, **kw):
        self.ports = ports
        self.pick = rng
        self.pick_lock = threading.Lock()
        self.attempts_log = []
        self._last = threading.local()
        super().__init__(self._port, *a, **kw)

    def _port(self):
        with self.pick_lock:
            port = self.pick.choice(self.ports)
        self._last.port = port
        return port

    def post(self, hook):
        t = time.monotonic()
        ok = super().post(hook)
        with self.pick_lock:
            self.attempts_log.append((t, time.monotonic(), self._last.port, ok))
        return ok


def main():
    a = drill.args(__doc__)
    sys.path.insert(0, drill.os.path.join(drill.ROOT, "tests"))
    import pgcluster

    if not pgcluster.available():
        print("nodes drill: PostgreSQL's server is not installed (Debian package"
              " postgresql)")
        return 1
    rng = random.Random(a.seed)
    provider = drill.Provider()
    ports = [drill.free_port(), drill.free_port()]
    failures = []
    tmp = [tempfile.mkdtemp(prefix="minyi-nodes-") for _ in ports]
    cluster = pgcluster.PgCluster().start()
    drill.os.environ["MINYI_TEST_PG_ADMIN"] = cluster.admin()  # as run.py does
    from harness import Server, ENV

    def mutate_for(i):
        def mutate(cfg):
            cfg["server"]["listen"] = f"127.0.0.1:{ports[i]}"
            cfg["server"]["node_id"] = "node-" + "ab"[i]
            cfg["server"]["node_timeout_seconds"] = TIMEOUT
            cfg["quiet_hours"] = {"start": "00:00", "end": "00:00"}    # none
            cfg["limits"] = {"per_sender_per_minute": 100000}
            for ch in cfg["channels"]:
                if ch["id"] == "sms":
                    ch["api_base"] = provider.url
                    ch["retry_base_seconds"] = 1
                    ch["max_attempts"] = 10
                    ch["lookup_grace_seconds"] = LOOKUP_GRACE
        return mutate

    first = Server(tmp[0], mutate=mutate_for(0))
    nodes = [drill.guard(first),
             drill.guard(Server(tmp[1], mutate=mutate_for(1), share=first))]
    drill.log(f"nodes drill: seed={a.seed} ports={ports} postgresql port={cluster.port}")
    for n in nodes:
        n.start()
    t0 = time.monotonic()
    load = SpreadResidents(ports, random.Random(a.seed + 1), ENV["TWILIO_AUTH_TOKEN"],
                           nodes[0].cfg["server"]["public_url"], RESIDENTS, THREADS,
                           pace=0.005, seed=a.seed).start()
    down = []           # (port, signal sent, listening again)
    late = 0
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.3, 2.5))
        i = rng.randrange(2)
        t = time.monotonic()
        nodes[i].kill()
        if rng.random() < LATE:
            late += 1
            time.sleep(TIMEOUT + 2.5)       # the other takes its rows over
        nodes[i].start()
        down.append((ports[i], t, time.monotonic()))
    time.sleep(1.0)
    load.stop_writing()
    if not load.join(60):
        failures.append("webhooks still unanswered 60 s after the load stopped")
    drill.log(f"load done after {time.monotonic() - t0:.1f} s; waiting for the outbox")
    end = time.monotonic() + 90
    while time.monotonic() < end and drill.query(
            nodes[0], "SELECT count(*) FROM outbox WHERE channel = 'sms'"
            " AND status IN ('pending', 'sending')")[0][0] > 0:
        time.sleep(0.25)
    if drill.query(nodes[0], "SELECT count(*) FROM outbox WHERE channel = 'sms'"
                   " AND status IN ('pending', 'sending')")[0][0] > 0:
        failures.append("outbox rows still pending or sending after 90 s")
    time.sleep(0.5)
    for n in nodes:
        rc = n.stop()
        if rc != 0:
            failures.append(f"a graceful stop exited {rc}")

    hooks = load.all()
    ok = [h for h in hooks if h.ok]
    stored, dup, missing, wrong = drill.check_messages(nodes[0], hooks)
    convs, badconv = drill.check_conversations(nodes[0])
    outbox = drill.query(nodes[0], "SELECT id, address, body, status, attempts,"
                         " provider_id FROM outbox WHERE channel = 'sms' ORDER BY id")
    calls = provider.snapshot()
    d = drill.Deliveries(outbox, calls)
    # what a failure needs to be understood: the rows of the recipients
    # concerned, as the store has them
    detail = []
    for addr in sorted({u[1] for u in d.unsent[:3]} | set(d.disorder[:2])):
        detail.append(f"rows to {addr} (id, status, attempts, held, node, next_at,"
                      f" provider_id, updated_at):")
        detail += ["    %r" % (r,) for r in drill.query(
            nodes[0], "SELECT id, status, attempts, held, node, next_at, provider_id,"
            " updated_at FROM outbox WHERE address = ? ORDER BY id", addr)[:40]]
        detail.append(f"calls to {addr} (time, To, Body, answer):")
        detail += ["    %r" % (c,) for c in calls if c[1] == addr][:40]
    kill_at = [(t, back) for _, t, back in down]
    unexplained = [x for x in d.extra if not any(
        sig - KILL_BEFORE <= x[0] <= back + KILL_AFTER for sig, back in kill_at)]
    # an attempt failed at a node that was not down then (nor being killed)
    survivor_failed = [(t, p) for t, t2, p, good in load.attempts_log if not good
                       and not any(p == port and sig - 0.5 <= t2 and t <= back + 0.5
                                   for port, sig, back in down)]
    cases = drill.query(nodes[0], "SELECT count(*) FROM cases")[0][0]
    logs = nodes[0].log + nodes[1].log
    left_sending = sum(int(m.group(1)) for m in (re.search(
        r"outbox recovery channel=sms: (\d+) rows left sending", x) for x in logs) if m)
    taken = sum(int(m.group(1)) for m in (re.search(
        r"outbox recovery channel=sms: (\d+) rows taken over", x) for x in logs) if m)
    found = sum(" outbox lookup channel=" in x and " found provider_id=" in x for x in logs)
    not_found = sum(" outbox lookup channel=" in x and x.endswith(" not found") for x in logs)
    retried_jobs = sum("store job retried" in x for x in logs)
    by_node = dict(drill.query(nodes[0], "SELECT node, count(*) FROM outbox"
                               " WHERE channel = 'sms' GROUP BY node"))
    provider.close()
    if a.keep:
        provider.dump(tmp[0] + "/calls.json")
        for i, n in enumerate(nodes):
            with open(tmp[i] + "/server.log", "w") as f:
                f.write("\n".join(n.log))
        drill.log(f"kept {tmp}")
    else:
        for t in tmp:
            shutil.rmtree(t)
    cluster.stop()

    failures += drill.kill_failures(hooks, ok, dup, missing, wrong, badconv, d)
    if survivor_failed:
        failures.append(f"{len(survivor_failed)} webhooks failed at the node that was up:"
                        f" {survivor_failed[:3]}")
    if late and not taken:
        failures.append("no row was taken over from a silent node: not exercised")

    print("nodes drill:")
    drill.count("seed", a.seed)
    drill.count("kills (SIGKILL)", len(down))
    drill.count("  restarted after the other took over", late)
    drill.count("webhooks sent", len(hooks))
    drill.count("webhook attempts", len(load.attempts_log))
    drill.count("  failed at the node being killed", sum(
        1 for x in load.attempts_log if not x[3]) - len(survivor_failed))
    drill.count("  failed at the node that was up", len(survivor_failed))
    drill.count("webhooks answered 2xx", len(ok))
    drill.count("messages stored", stored)
    drill.count("duplicates", dup)
    drill.count("acknowledged but missing", len(missing))
    drill.count("cases", cases)
    drill.count("outbox rows (sms)", len(outbox))
    drill.count("  claimed by node-a / node-b", "%d / %d" % (
        by_node.get("node-a", 0), by_node.get("node-b", 0)))
    drill.count("accepted (201)", d.accepted)
    drill.count("rows left sending, recovered at start", left_sending)
    drill.count("rows taken over from a silent node", taken)
    drill.count("  lookups found: recorded sent, not resent", found)
    drill.count("  lookups not found: sent again", not_found)
    drill.count("jobs retried (deadlock, serialization)", retried_jobs)
    drill.count("reached the provider twice", len(d.extra))
    drill.count("  of them not near a kill", len(unexplained))
    drill.count("recipients out of order", len(d.disorder))
    for f in failures:
        print("FAIL " + f)
    if failures:
        print("\n".join(detail))
    print("nodes drill: " + ("ok" if not failures else f"{len(failures)} failed"), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
