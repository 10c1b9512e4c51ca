#!/usr/bin/env python3
"""Run every minyi test suite and print one total line: "N passed, N failed".

Unit suites are the cmocka binaries in BUILD/tests/ (run with TAP output so
each test case counts).  Integration suites are tests/integration/test_*.py
(Python unittest against the real BUILD/minyi); each test method counts.
Corpus replays (tests/fuzz) are added by the Makefile as further binaries.
"""
import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# "# corpus: ..." comments of unit binaries (the first-message corpus's
# shares), repeated next to the total line.
FIGURES = []
# Each build's integration files run in this many children side by side
# (the files dealt out by FILE_SECONDS): their time is mostly waiting on
# timers, the browser and the network, so two cores serve more than two
# at once.  The plain build's and a sanitizer build's in three (in two,
# the plain build's half with the browser suite ran 457 s, the longest of
# all, 2026-12-07); PostgreSQL's in two.
SHARDS = 3
PG_SHARDS = 2
SANITIZER_SHARDS = 3
# Seconds each file took under ASan (2026-12-06, two cores, loaded): only
# to balance the shards, never asserted.  Weights from each file's own
# ASan seconds on an idle machine plus two per test (test_twilio 61, not
# 1) dealt them more evenly on paper and made the run longer (530 and 568
# s from a clean clone against 510 and 516, 2026-12-07): the seconds
# under eight children at once are what count, and these were those.
FILE_SECONDS = {
    "test_console_browser.py": 77, "test_console_api.py": 62, "test_evaluation.py": 43,
    "test_channels.py": 30, "test_console_pages.py": 26, "test_outbox.py": 23,
    "test_roles.py": 21, "test_server.py": 17, "test_resident.py": 16,
    "test_http.py": 12, "test_abuse.py": 12, "test_chat.py": 10, "test_loop.py": 8,
    "test_reports.py": 8, "test_reload.py": 7, "test_config_cli.py": 4,
    "test_twilio.py": 1, "test_store_copy.py": 25,
}


# The integration files that also run against PostgreSQL (a cluster of the
# run's own, tests/pgcluster.py) in make test, when its server binaries are
# installed: those whose store work differs by backend (cases, events,
# ratings, the outbox and its recovery, the workbench's and the reports'
# reads, 民主评议 and 票决, several nodes, copying).  The others pass on
# PostgreSQL too and run there with --pg-all (tests/README.md); they are
# left out of make test's PostgreSQL run to keep it within ten minutes.
PG_FILES = ["test_console_api.py", "test_evaluation.py", "test_loop.py",
            "test_nodes.py", "test_outbox.py", "test_reports.py", "test_resident.py",
            "test_server.py", "test_store_copy.py"]
# Left out of a sanitizer build's run (BUILD ending in -asan) unless named
# with --only: the browser suite drives the same handlers that
# test_console_api and test_console_pages run under ASan, and takes the
# longest; it runs on the plain build.
SANITIZER_SKIP = {"test_console_browser.py"}
PG_ADMIN = None     # the cluster's conninfo, once started
PG_ALL = os.environ.get("MINYI_TEST_PG_ALL") == "1"    # --pg-all, in children too


def run_unit(path):
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    if PG_ADMIN:
        env["MINYI_TEST_PG_ADMIN"] = PG_ADMIN
    name = os.path.basename(path)
    try:
        p = subprocess.run([path], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300)
    except subprocess.TimeoutExpired:
        print(f"not ok {name}: timed out")
        return 0, 1
    passed = failed = 0
    for line in p.stdout.splitlines():
        if line.startswith("# corpus: "):
            FIGURES.append(line[2:])
        m = re.match(r"^(not ok|ok) \d+ - (.*)$", line)
        if not m:
            continue
        if m.group(1) == "ok":
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: {m.group(2)}")
    if p.returncode != 0 and failed == 0:
        # crashed or failed outside a test case: count it
        failed += 1
        print(f"FAIL {name}: exit {p.returncode}")
    if failed:
        sys.stdout.write(p.stdout[-4000:])
        sys.stdout.write(p.stderr[-4000:])
    print(f"{os.path.relpath(path, ROOT)}: {passed} passed, {failed} failed")
    return passed, failed


def shard_files(only, shard, postgresql=False, build=""):
    """The integration files of shard "K/N", or all of them.  The files
    are dealt out heaviest first, each to the shard with the least so far
    (FILE_SECONDS; 10 s for a file not listed).  On PostgreSQL, those of
    PG_FILES, unless --only names the files or --pg-all asks for all."""
    files = sorted(f for f in os.listdir(os.path.join(HERE, "integration"))
                   if fnmatch.fnmatch(f, only or "test_*.py")
                   and (not postgresql or only or PG_ALL or f in PG_FILES)
                   and not (build.endswith("-asan") and f in SANITIZER_SKIP and not only))
    if not shard:
        return files
    k, n = (int(x) for x in shard.split("/"))
    load = [0.0] * n
    mine = []
    for f in sorted(files, key=lambda f: (-FILE_SECONDS.get(f, 10), f)):
        i = load.index(min(load))
        load[i] += FILE_SECONDS.get(f, 10)
        if i == k:
            mine.append(f)
    return sorted(mine)


class TimedResult(unittest.TextTestResult):
    """Each test's seconds, for MINYI_TEST_DURATIONS=1 (the slowest
    printed; never asserted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.durations = []
        self._began = 0.0

    def startTest(self, test):
        self._began = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        self.durations.append((time.monotonic() - self._began, test.id()))
        super().stopTest(test)


def run_integration_here(build, only, shard=None):
    """Run the integration suites in this process against BUILD/minyi."""
    postgresql = bool(os.environ.get("MINYI_TEST_PG_ADMIN"))
    sys.path.insert(0, os.path.join(HERE, "integration"))
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for f in shard_files(only, shard, postgresql, build):
        suite.addTests(loader.discover(os.path.join(HERE, "integration"), pattern=f,
                                       top_level_dir=os.path.join(HERE, "integration")))
    res = unittest.TextTestRunner(stream=sys.stdout, verbosity=1,
                                  resultclass=TimedResult).run(suite)
    if os.environ.get("MINYI_TEST_DURATIONS"):
        for t, name in sorted(res.durations, reverse=True)[:int(os.environ.get("MINYI_TEST_DURATIONS") or 15)]:
            print(f"{t:6.1f} s  {name}")
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    passed = res.testsRun - failed - len(res.skipped)
    print(f"integration ({build}{', postgresql' if postgresql else ''}"
          f"{', files ' + shard if shard else ''}): {passed} passed,"
          f" {failed} failed")
    return passed, failed


def start_integration(build, only, shard=None, pg_admin=None):
    """The integration suites for one build, started in a child process
    (the harness reads MINYI_BIN once, at import); its output goes to a
    temporary file.  Each build's child runs beside the others: most of a
    suite's time is spent waiting (timers, the browser, the network), and
    each test has its own store and ports."""
    env = dict(os.environ, MINYI_BIN=os.path.join(ROOT, build, "minyi"))
    env.pop("MINYI_TEST_PG_ADMIN", None)
    if pg_admin:
        env["MINYI_TEST_PG_ADMIN"] = pg_admin
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--build", build]
    if only:
        cmd += ["--only", only]
    if shard:
        cmd += ["--shard", shard]
    out = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    return build, out, subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out,
                                        stderr=subprocess.STDOUT, text=True)


def finish_integration(child):
    """Wait for a child of start_integration; print its output; counts."""
    build, out, p = child
    p.wait()
    out.seek(0)
    text = out.read()
    out.close()
    sys.stdout.write(text)
    m = re.search(r"^integration \(.*\): (\d+) passed, (\d+) failed$", text, re.M)
    if not m:
        print(f"FAIL integration ({build}): exit {p.returncode}")
        return 0, 1
    return int(m.group(1)), int(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append",
                    help="build directory (repeat to run each build's suites)")
    ap.add_argument("--only", help="integration file pattern, e.g. test_http.py")
    ap.add_argument("--no-integration", action="store_true")
    ap.add_argument("--no-unit", action="store_true")
    ap.add_argument("--postgresql", choices=("auto", "no", "only"), default="no",
                    help="also run on PostgreSQL (auto: when its server is"
                    " installed; only: PostgreSQL alone)")
    ap.add_argument("--pg-all", action="store_true",
                    help="run every integration file on PostgreSQL, not only PG_FILES")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--shard", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.pg_all:
        os.environ["MINYI_TEST_PG_ALL"] = "1"
        globals()["PG_ALL"] = True
    if a.child:
        p, q = run_integration_here(a.build[0], a.only, a.shard)
        return 1 if q else 0
    global PG_ADMIN
    passed = failed = 0
    children = []
    cluster = None
    sys.path.insert(0, HERE)
    import pgcluster
    if a.postgresql == "only" or (a.postgresql == "auto" and pgcluster.available()):
        cluster = pgcluster.PgCluster(durable=False).start()
        PG_ADMIN = cluster.admin()
        make_template(pgcluster, (a.build or ["build"])[0])
        print(f"postgresql {pgcluster.version()}: a cluster of the run's own on"
              f" port {cluster.port}")
    try:
        return run_all(a, children, cluster)
    finally:
        if cluster is not None:
            cluster.stop()


def make_template(pgcluster, build):
    """The migrated database every test's is copied from (the harness's
    Server: CREATE DATABASE ... TEMPLATE)."""
    sys.path.insert(0, os.path.join(HERE, "integration"))
    import harness
    with tempfile.TemporaryDirectory(prefix="minyi-template-") as d:
        cfg = harness.example_config()
        cfg["server"]["listen"] = "127.0.0.1:0"
        cfg["server"]["public_url"] = "http://127.0.0.1"
        cfg["store"] = {"backend": "postgresql", "conninfo_env": "MINYI_TEST_PG"}
        path = os.path.join(d, "minyi.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(cfg, f, ensure_ascii=False)
        pgcluster.make_template(PG_ADMIN, os.path.join(ROOT, build, "minyi"), path,
                                dict(os.environ, **harness.ENV))


def run_all(a, children, cluster):
    passed = failed = 0
    # every build's integration suites start first, the slowest (the
    # sanitizer build's) as early as the others, and run while the units do
    for i, build in enumerate(a.build or ["build"]):
        if not a.no_integration and cluster is not None and i == 0:
            for k in range(PG_SHARDS):
                children.append(start_integration(build, a.only, "%d/%d" % (k, PG_SHARDS),
                                                  PG_ADMIN))
        if not a.no_integration and a.postgresql != "only":
            n = SANITIZER_SHARDS if build.endswith("-asan") else SHARDS
            for k in range(n):
                children.append(start_integration(build, a.only, "%d/%d" % (k, n)))
    for build in a.build or ["build"]:
        tdir = os.path.join(ROOT, build, "tests")
        if not a.no_unit and os.path.isdir(tdir):
            for f in sorted(os.listdir(tdir)):
                path = os.path.join(tdir, f)
                if f.startswith("test_") and os.access(path, os.X_OK) and os.path.isfile(path):
                    p, q = run_unit(path)
                    passed += p
                    failed += q
    for child in children:
        p, q = finish_integration(child)
        passed += p
        failed += q
    for f in FIGURES:
        print(f)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
