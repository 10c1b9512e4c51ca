#!/usr/bin/env python3
"""bench/bench.py: the benchmark `make bench` runs (bench/README.md says
what each figure means).  Everything listens on 127.0.0.1 on ports the
kernel picks, every wait is bounded, and it prints one table.

    python3 bench/bench.py --build build [--runs 3] [--seconds 10] [--only NAME,...]

NAME is inbound, bare, kannel, outbound, api (the 1,000,000-case store),
console (the workbench's pages and JSON on that store).
"""
import argparse
import calendar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
TOKEN = "bench-twilio-token"
ADMIN = "bench-admin-token"
PUBLIC_URL = "https://minyi.example.org"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
CONNS, THREADS = 64, 2
OUTBOUND_N = 100000
CASES_N = 1000000
API_CONNS = 4           # staff dashboards asking at once
CONSOLE_N = 15          # requests to each workbench URL, one after another
CONSOLE_PASSWORD = "bench-console-password"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("exited with %s before listening on %d" % (proc.returncode, port))
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on %d after %ds" % (port, timeout))


def stop(proc, timeout=30):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get(url, headers=None, timeout=10):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read().decode()


def ms(s, unit):
    return float(s) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, seconds, script=None, env=None, conns=CONNS, threads=THREADS, headers=()):
    """wrk --latency; returns requests/s, p50 and p99 in ms, requests, non-2xx."""
    cmd = ["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % seconds, "--latency",
           "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True,
                         env=dict(os.environ, **(env or {})), timeout=seconds + 120).stdout
    r = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
         "requests": int(re.search(r"(\d+) requests in", out).group(1)),
         "non2xx": 0, "wrapped": 0}
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)\b" % pct, out)
        r[key] = ms(m.group(1), m.group(2))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: (.*)", out)
    r["errors"] = m.group(1) if m else ""
    m = re.search(r"pool_wrapped (\d+)", out)
    if m:
        r["wrapped"] = int(m.group(1))
    return r


def metrics(port):
    out = {}
    for line in get("http://127.0.0.1:%d/metrics" % port).splitlines():
        if line and not line.startswith("#"):
            k, v = line.rsplit(" ", 1)
            out[k] = float(v)
    return out


def vm_hwm_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def thread_cpu_s(pid, comm):
    """CPU seconds (user + system) of pid's threads named comm."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                st = f.read()
        except OSError:
            continue
        name = st[st.index("(") + 1:st.rindex(")")]
        if name == comm:
            fields = st[st.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12])
    return total / tick


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.tmp = tempfile.mkdtemp(prefix="minyi-bench-")
        self.rows = []          # (figure, values, unit, target, note)
        self.notes = []
        self.fake = None
        self.fake_port = None
        self.load0 = os.getloadavg()
        self.others = subprocess.run(["pgrep", "-fc", "fuzz_"], capture_output=True,
                                     text=True).stdout.strip() or "0"

    # --- helpers ------------------------------------------------------------
    def bin(self, name):
        return os.path.join(self.build, name)

    def log(self, msg):
        print("bench: " + msg, file=sys.stderr, flush=True)

    def config(self, dirname, port, store, api_base, node=None):
        with open(os.path.join(ROOT, "config", "minyi.example.json"), encoding="utf-8") as f:
            cfg = json.load(f)
        cfg["server"]["listen"] = "127.0.0.1:%d" % port
        cfg["server"]["public_url"] = PUBLIC_URL
        if store.startswith("host="):       # a PostgreSQL conninfo
            cfg["store"] = {"backend": "postgresql", "conninfo_env": "MINYI_BENCH_PG"}
            cfg["server"]["node_id"] = node
        else:
            cfg["store"] = {"path": store, "synchronous": "FULL"}
        for ch in cfg["channels"]:
            if ch["id"] == "sms":
                ch["api_base"] = api_base
        path = os.path.join(dirname, "minyi.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(cfg, f, ensure_ascii=False)
        return path

    def minyi(self, dirname, store, api_base=None, node="node-a"):
        port = free_port()
        cfg = self.config(dirname, port, store, api_base or self.fake_url(), node)
        env = dict(os.environ, TWILIO_AUTH_TOKEN=TOKEN, MINYI_ADMIN_TOKEN=ADMIN,
                   MINYI_GROUP_SECRET="bench-group-secret",
                   MINYI_HOTLINE_SECRET="bench-hotline-secret", MINYI_BENCH_PG=store)
        log = open(os.path.join(dirname, "minyi-%s.log" % node), "w")
        proc = subprocess.Popen([self.bin("minyi"), "serve", "--config", cfg], env=env,
                                stdout=subprocess.DEVNULL, stderr=log, cwd=dirname)
        wait_port(port, proc)
        return proc, port

    def fake_url(self):
        if self.fake is None:
            self.fake_port = free_port()
            self.fake = subprocess.Popen([self.bin("bench/fakeprov"), str(self.fake_port), "1"],
                                         stdout=subprocess.DEVNULL)
            wait_port(self.fake_port, self.fake)
        return "http://127.0.0.1:%d" % self.fake_port

    def fake_count(self):
        return int(get(self.fake_url() + "/count"))

    def rundir(self, name, i):
        d = os.path.join(self.tmp, "%s-%d" % (name, i))
        os.makedirs(d, exist_ok=True)
        return d

    def add(self, figure, values, unit, target="", note=""):
        self.rows.append((figure, values, unit, target, note))

    # --- the figures ----------------------------------------------------------
    def pool(self):
        path = self.args.pool or os.path.join(self.tmp, "pool.txt")
        if not os.path.exists(path):
            n = self.args.seconds * self.args.pool_rate
            self.log("signing %d webhooks" % n)
            subprocess.run([sys.executable, os.path.join(BENCH, "webhooks.py"), path, str(n),
                            PUBLIC_URL, TOKEN], check=True, timeout=600)
        return path

    def inbound(self):
        pool = self.pool()
        env = {"MINYI_BENCH_POOL": pool, "MINYI_BENCH_THREADS": str(THREADS)}
        res = []
        for i in range(self.args.runs):
            d = self.rundir("inbound", i)
            proc, port = self.minyi(d, os.path.join(d, "minyi.db"))
            try:
                m0 = metrics(port)
                w0 = thread_cpu_s(proc.pid, "minyi-writer")
                prof = None
                if self.args.perf and i == 0:
                    prof = subprocess.Popen(["perf", "record", "-F", "499", "--call-graph", "dwarf,16384", "-p",
                                             str(proc.pid), "-o", self.args.perf],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                r = wrk("http://127.0.0.1:%d" % port, self.args.seconds,
                        os.path.join(BENCH, "webhook.lua"), env)
                if prof:
                    prof.send_signal(signal.SIGINT)
                    prof.wait(timeout=60)
                m1 = metrics(port)
                r["writer_us"] = ((thread_cpu_s(proc.pid, "minyi-writer") - w0) * 1e6 /
                                  max(1, r["rps"] * self.args.seconds))
                r["rss"] = vm_hwm_mb(proc.pid)
            finally:
                stop(proc)
            jobs = m1["minyi_writer_jobs_total"] - m0["minyi_writer_jobs_total"]
            commits = m1["minyi_writer_commits_total"] - m0["minyi_writer_commits_total"]
            r["jpc"] = jobs / commits if commits else 0
            db = sqlite3.connect("file:%s?mode=ro" % os.path.join(d, "minyi.db"), uri=True)
            r["cases"] = db.execute("SELECT count(*) FROM cases").fetchone()[0]
            r["queued"] = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
            r["sent"] = db.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()[0]
            db.close()
            self.log("inbound run %d: %.0f msgs/s p50 %.1f ms p99 %.1f ms, %.1f jobs/commit,"
                     " writer %.0f us/msg, %d cases, %d outbound queued, %d sent, non-2xx %d, rss %.1f MB%s"
                     % (i + 1, r["rps"], r["p50"], r["p99"], r["jpc"], r["writer_us"], r["cases"], r["queued"],
                        r["sent"], r["non2xx"], r["rss"],
                        ", pool wrapped %d" % r["wrapped"] if r["wrapped"] else ""))
            res.append(r)
            shutil.rmtree(d, ignore_errors=True)
        self.inb = res
        non2xx = sum(r["non2xx"] for r in res)
        self.add("inbound webhooks, durable", [r["rps"] for r in res], "msgs/s", ">= 25000",
                 "synchronous=FULL; sms api_base = bench/fakeprov" +
                 (", %d non-2xx" % non2xx if non2xx else ""))
        self.add("inbound latency p50", [r["p50"] for r in res], "ms")
        self.add("inbound latency p99", [r["p99"] for r in res], "ms", "<= 20")
        self.add("writer CPU per message", [r["writer_us"] for r in res], "us", "",
                 "the writer thread's user+system time over messages answered")
        self.add("writer jobs per commit", [r["jpc"] for r in res], "jobs", "",
                 "from /metrics, over the run")
        self.add("outbound sent during inbound", [r["sent"] / self.args.seconds for r in res],
                 "msgs/s", "", "of %d queued per run (median)"
                 % statistics.median(r["queued"] for r in res))
        self.add("peak RSS under inbound load", [r["rss"] for r in res], "MB", "<= 64",
                 "VmHWM of minyi serve")

    def postgresql(self):
        """The inbound load of inbound(), on PostgreSQL (a cluster of the
        bench's own, tests/pgcluster.py, fsync and synchronous_commit on):
        one node, then two nodes on one database, each sent half the pool
        by a wrk of its own (as behind a proxy), figures summed."""
        sys.path.insert(0, os.path.join(ROOT, "tests"))
        import pgcluster
        if not pgcluster.available():
            self.notes.append("PostgreSQL figures: not measured, its server is not"
                              " installed (Debian package postgresql)")
            return
        pool = self.pool()
        halves = [os.path.join(self.tmp, "pool-%d.txt" % k) for k in range(2)]
        with open(pool) as f:
            lines = f.readlines()
        for k in range(2):
            with open(halves[k], "w") as f:
                f.writelines(lines[k::2])
        cluster = pgcluster.PgCluster().start()
        self.log("postgresql %s on port %d" % (pgcluster.version(), cluster.port))
        try:
            for nodes in (1, 2):
                res = []
                for i in range(self.args.runs):
                    conninfo, name = pgcluster.new_database(cluster.admin(), "bench")
                    d = self.rundir("pg%d" % nodes, i)
                    procs = [self.minyi(d, conninfo, node="node-%d" % k)
                             for k in range(nodes)]
                    try:
                        if nodes == 1:
                            r = wrk("http://127.0.0.1:%d" % procs[0][1], self.args.seconds,
                                    os.path.join(BENCH, "webhook.lua"),
                                    {"MINYI_BENCH_POOL": pool,
                                     "MINYI_BENCH_THREADS": str(THREADS)})
                        else:
                            out = [None, None]

                            def one(k):
                                out[k] = wrk("http://127.0.0.1:%d" % procs[k][1],
                                             self.args.seconds,
                                             os.path.join(BENCH, "webhook.lua"),
                                             {"MINYI_BENCH_POOL": halves[k],
                                              "MINYI_BENCH_THREADS": str(THREADS)},
                                             conns=CONNS // 2)
                            ts = [threading.Thread(target=one, args=(k,)) for k in range(2)]
                            for t in ts:
                                t.start()
                            for t in ts:
                                t.join()
                            r = {"rps": out[0]["rps"] + out[1]["rps"],
                                 "p50": max(o["p50"] for o in out),
                                 "p99": max(o["p99"] for o in out),
                                 "non2xx": sum(o["non2xx"] for o in out)}
                    finally:
                        for proc, _ in procs:
                            stop(proc)
                    r["cases"] = int(pgcluster.psql(cluster.admin(),
                                                    "SELECT count(*) FROM cases", name))
                    self.log("postgresql %d node(s) run %d: %.0f msgs/s p50 %.1f ms p99 %.1f ms,"
                             " %d cases, non-2xx %d" % (nodes, i + 1, r["rps"], r["p50"],
                                                        r["p99"], r["cases"], r["non2xx"]))
                    res.append(r)
                    pgcluster.psql(cluster.admin(), "DROP DATABASE %s" % name)
                    shutil.rmtree(d, ignore_errors=True)
                label = "1 node" if nodes == 1 else "2 nodes"
                self.add("inbound webhooks, PostgreSQL, " + label, [r["rps"] for r in res],
                         "msgs/s", "", "same load as SQLite's; PostgreSQL %s on this machine,"
                         " fsync on" % pgcluster.version())
                self.add("inbound latency p99, PostgreSQL, " + label,
                         [r["p99"] for r in res], "ms")
        finally:
            cluster.stop()

    def bare(self):
        pool = self.pool()
        env = {"MINYI_BENCH_POOL": pool, "MINYI_BENCH_THREADS": str(THREADS)}
        res = []
        for i in range(self.args.runs):
            port = free_port()
            proc = subprocess.Popen([self.bin("bench/bare"), str(port), "4"])
            try:
                wait_port(port, proc)
                r = wrk("http://127.0.0.1:%d/webhooks/sms" % port, self.args.seconds,
                        os.path.join(BENCH, "webhook.lua"), env)
            finally:
                stop(proc)
            self.log("bare run %d: %.0f req/s p99 %.2f ms" % (i + 1, r["rps"], r["p99"]))
            res.append(r)
        self.bare_res = res
        self.add("bare libmicrohttpd \"ok\" (ceiling)", [r["rps"] for r in res], "req/s", "",
                 "bench/bare.c, 4 threads, the same signed POSTs")

    def kannel_conf(self, d, ports):
        conf = """group = core
admin-port = {admin}
admin-interface = 127.0.0.1
admin-password = bench
smsbox-port = {smsbox}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-level = 4
log-file = "{d}/bearerbox.log"
access-log = "/dev/null"
store-type = file
store-location = "{d}/kannel.store"

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-level = 4
log-file = "{d}/smsbox.log"
access-log = "/dev/null"

group = sendsms-user
username = bench
password = bench

group = sms-service
keyword = default
text = "ok"
""".format(d=d, **ports)
        path = os.path.join(d, "kannel.conf")
        with open(path, "w") as f:
            f.write(conf)
        return path

    def kannel(self):
        if not (shutil.which("bearerbox") or os.path.exists("/usr/sbin/bearerbox")) or \
                not os.path.exists(FAKESMSC):
            self.notes.append("Kannel not installed (kannel, kannel-extras): no Kannel figure")
            return
        res = []
        for i in range(self.args.runs):
            d = self.rundir("kannel", i)
            ports = {k: free_port() for k in ("admin", "smsbox", "smsc", "sendsms")}
            conf = self.kannel_conf(d, ports)
            procs = []
            try:
                bb = subprocess.Popen(["/usr/sbin/bearerbox", conf], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
                procs.append(bb)
                wait_port(ports["smsc"], bb)
                fs = subprocess.Popen([FAKESMSC, "-H", "127.0.0.1", "-r", str(ports["smsc"]),
                                       "-m", "0", "1 2 text x"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
                procs.append(fs)
                sb = subprocess.Popen(["/usr/sbin/smsbox", conf], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
                procs.append(sb)
                wait_port(ports["sendsms"], sb)
                time.sleep(1)       # smsbox connects to bearerbox
                url = ("http://127.0.0.1:%d/cgi-bin/sendsms?username=bench&password=bench"
                       "&from=10690000&to=13800138000&text=%%E6%%82%%A8%%E7%%9A%%84%%E8%%AF%%89"
                       "%%E6%%B1%%82%%E5%%B7%%B2%%E5%%8F%%97%%E7%%90%%86" % ports["sendsms"])
                r = wrk(url, self.args.seconds)
            finally:
                for p in reversed(procs):
                    stop(p)
            self.log("kannel run %d: %.0f sendsms/s p99 %.1f ms non-2xx %d"
                     % (i + 1, r["rps"], r["p99"], r["non2xx"]))
            res.append(r)
            shutil.rmtree(d, ignore_errors=True)
        self.kannel_res = res
        self.add("Kannel sendsms accepted", [r["rps"] for r in res], "msgs/s", "",
                 "Debian's kannel, file store, fakesmsc")

    def outbound(self):
        res = []
        for i in range(self.args.runs):
            d = self.rundir("outbound", i)
            store = os.path.join(d, "minyi.db")
            subprocess.run([self.bin("bench/fill"), "outbox", store, str(OUTBOUND_N)],
                           check=True, timeout=300)
            c0 = self.fake_count()
            t_start = time.time()
            proc, port = self.minyi(d, store)
            db = sqlite3.connect("file:%s?mode=ro" % store, uri=True, timeout=10)
            t_first = t_end = None
            left = OUTBOUND_N
            try:
                deadline = time.time() + 300
                while time.time() < deadline:
                    if t_first is None and self.fake_count() > c0:
                        t_first = time.time()
                    left = db.execute("SELECT count(*) FROM outbox WHERE status = 'pending'"
                                      " OR status = 'sending'").fetchone()[0]
                    if left == 0:
                        t_end = time.time()
                        break
                    time.sleep(0.05)
                rss = vm_hwm_mb(proc.pid)
            finally:
                stop(proc)
            sent = db.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()[0]
            db.close()
            t0 = t_first or t_start
            rate = sent / ((t_end or time.time()) - t0)
            self.log("outbound run %d: %d of %d sent in %.1f s: %.0f msgs/s, rss %.1f MB%s"
                     % (i + 1, sent, OUTBOUND_N, (t_end or time.time()) - t0, rate, rss,
                        "" if t_end else " (timed out, %d left)" % left))
            res.append(rate)
            shutil.rmtree(d, ignore_errors=True)
        self.add("outbound drain of 100,000 queued", res, "msgs/s", ">= 10000",
                 "to bench/fakeprov, until all rows are 'sent'")

    def cases_store(self):
        # v2: with each case's timeline, which the reports read
        path = os.path.join(self.build, "bench", "cases-1m-v2.db")
        if not os.path.exists(path):
            self.log("filling %d cases into %s (once; kept for later runs)" % (CASES_N, path))
            t = time.time()
            subprocess.run([self.bin("bench/fill"), "cases", path + ".tmp", str(CASES_N)],
                           check=True, timeout=1800)
            # neither the fill's WAL nor one left by an earlier store of
            # that name (it would be read as this store's)
            for ext in ("-wal", "-shm"):
                for p in (path + ".tmp" + ext, path + ext):
                    if os.path.exists(p):
                        os.remove(p)
            os.rename(path + ".tmp", path)
            self.log("filled in %.0f s" % (time.time() - t))
        return path

    def api(self):
        store = self.cases_store()
        d = self.rundir("api", 0)
        proc, port = self.minyi(d, store)       # migrates a store kept from before
        cfg = os.path.join(d, "minyi.json")
        res = []
        try:
            for i in range(self.args.runs):
                r = wrk("http://127.0.0.1:%d/api/cases" % port, self.args.seconds,
                        os.path.join(BENCH, "cases.lua"), conns=API_CONNS,
                        headers=("Authorization: Bearer " + ADMIN,))
                self.log("api run %d: %.0f req/s p99 %.1f ms non-2xx %d"
                         % (i + 1, r["rps"], r["p99"], r["non2xx"]))
                res.append(r)
        finally:
            stop(proc)
        self.add("GET /api/cases?status=received&grid=X p99", [r["p99"] for r in res], "ms",
                 "<= 20", "1,000,000 cases, %d connections, %.0f req/s" % (API_CONNS,
                 statistics.median(r["rps"] for r in res)))
        # `minyi report deputies` over the last full month, as staff run it
        now = time.gmtime()
        y, m = (now.tm_year, now.tm_mon - 1) if now.tm_mon > 1 else (now.tm_year - 1, 12)
        frm = "%04d-%02d-01" % (y, m)
        to = "%04d-%02d-%02d" % (y, m, calendar.monthrange(y, m)[1])   # --to includes its day
        times, out = [], ""
        for i in range(self.args.runs):
            t = time.monotonic()
            out = subprocess.run([self.bin("minyi"), "report", "deputies", "--config", cfg,
                                  "--from", frm, "--to", to], capture_output=True, text=True,
                                 check=True, timeout=600).stdout
            times.append((time.monotonic() - t) * 1000)
        self.log("minyi report deputies --from %s --to %s:\n%s" % (frm, to, out))
        self.add("minyi report deputies, one month", times, "ms", "<= 1000",
                 "1,000,000 cases; the whole command, start to exit")

    def console(self):
        """The workbench on the 1,000,000-case store: each page's JSON (and
        the page itself) CONSOLE_N times one after another, by a deputy's
        session (their grid's and their cases) and by the admin token (the
        county's), after one request to warm the caches: ms per answer."""
        store = self.cases_store()
        d = self.rundir("console", 0)
        proc, port = self.minyi(d, store)
        cfg = os.path.join(d, "minyi.json")
        now = time.localtime()
        month = "from=%04d-%02d-01" % (now.tm_year, now.tm_mon)
        urls = [
            ("工作台 JSON", "/console/api/dashboard"),
            ("诉求 list, page 1 with total", "/api/cases?limit=20"),
            ("诉求 list, open ones", "/api/cases?limit=20&status=received,accepted,"
             "dispatched,in_progress,resolved,reopened"),
            # the filled cases read "streetlight case 123": one case in 8 holds
            # "light", none "路灯"
            ("诉求 search, 1 in 8 cases (5 characters)", "/api/cases?limit=20&q=light"),
            ("诉求 search, 1 in 8 cases (2 characters)", "/api/cases?limit=20&q=tl"),
            ("诉求 search, no case (2 characters)", "/api/cases?limit=20&q=" +
             urllib.parse.quote("路灯")),
            ("诉求详情 messages", "/console/api/cases/%d/messages"),
            ("三张清单, this month", "/console/api/lists?" + month),
            ("报表, this month", "/console/api/reports?" + month),
            ("代表, this month", "/console/api/deputies?" + month),
            ("a page (cases.html)", "/console/cases.html"),
        ]
        try:
            p = subprocess.run([self.bin("minyi"), "passwd", "--config", cfg, "d-niu"],
                               input=CONSOLE_PASSWORD + "\n", capture_output=True, text=True,
                               timeout=120, env=dict(os.environ, MINYI_ADMIN_TOKEN=ADMIN))
            if p.returncode != 0:
                raise RuntimeError("minyi passwd: " + p.stderr)
            body = urllib.parse.urlencode({"username": "d-niu",
                                           "password": CONSOLE_PASSWORD}).encode()
            with urllib.request.urlopen(urllib.request.Request(
                    "http://127.0.0.1:%d/console/login" % port, data=body), timeout=30) as r:
                cookie = r.headers["Set-Cookie"].split(";", 1)[0]
            for who, hdr in (("deputy", {"Cookie": cookie}),
                             ("county", {"Authorization": "Bearer " + ADMIN})):
                first = json.loads(get("http://127.0.0.1:%d/api/cases?limit=1" % port, hdr,
                                       timeout=60))["cases"][0]["number"]
                for name, path in urls:
                    url = "http://127.0.0.1:%d%s" % (port, path.replace("%d", str(first)))
                    times = []
                    for i in range(CONSOLE_N + 1):
                        t = time.monotonic()
                        get(url, hdr, timeout=60)
                        if i > 0:
                            times.append((time.monotonic() - t) * 1000)
                    self.log("console %s %s: median %.1f ms max %.1f ms"
                             % (who, path, statistics.median(times), max(times)))
                    self.add("console: %s (%s)" % (name, who), times, "ms", "< 100",
                             "1,000,000 cases; %d requests one after another" % CONSOLE_N)
        finally:
            stop(proc)

    # --- output ---------------------------------------------------------------
    def table(self):
        cpu = "?"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        lines = ["minyi bench %s, %d CPUs (%s), wrk -t%d -c%d -d%ds, %d runs;"
                 " load before %s (fuzz_ processes: %s), after %s"
                 % (time.strftime("%Y-%m-%d"), os.cpu_count(), cpu, THREADS, CONNS,
                    self.args.seconds, self.args.runs,
                    " ".join("%.2f" % x for x in self.load0), self.others,
                    " ".join("%.2f" % x for x in os.getloadavg())), ""]
        lines.append("| figure | median | min | max | unit | target | note |")
        lines.append("|---|---:|---:|---:|---|---|---|")

        def fmt(v):
            return "%.0f" % v if abs(v) >= 100 else "%.1f" % v if abs(v) >= 10 else "%.2f" % v

        for fig, vals, unit, target, note in self.rows:
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                fig, fmt(statistics.median(vals)), fmt(min(vals)), fmt(max(vals)), unit,
                target, note))
        inb = getattr(self, "inb", None)
        if inb:
            rate = statistics.median(r["rps"] for r in inb)
            for name, attr, target in (("minyi / bare ceiling", "bare_res", ">= 0.3"),
                                       ("minyi / Kannel", "kannel_res", ">= 1.7")):
                peer = getattr(self, attr, None)
                if peer:
                    ratio = rate / statistics.median(r["rps"] for r in peer)
                    lines.append("| %s | %s | | | ratio | %s | medians |" % (name, fmt(ratio),
                                                                           target))
        for n in self.notes:
            lines.append("")
            lines.append("note: " + n)
        print("\n".join(lines))

    def close(self):
        stop(self.fake)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    # SIGTERM (and ^C) unwind through the finally clauses, which stop the servers
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--pool-rate", type=int, default=30000,
                    help="signed webhooks per second of run to prepare")
    ap.add_argument("--only", default="inbound,postgresql,bare,kannel,outbound,api,console")
    ap.add_argument("--pool", help="signed webhooks file to keep and reuse (made when missing)")
    ap.add_argument("--perf", help="perf record -g the first inbound run into this file")
    args = ap.parse_args()
    b = Bench(args)
    try:
        for name in args.only.split(","):
            getattr(b, name)()
        b.table()
    finally:
        b.close()


if __name__ == "__main__":
    main()
