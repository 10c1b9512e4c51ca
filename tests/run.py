#!/usr/bin/env python3
"""Run every minyi test suite and print one total line: "N passed, N failed".

Unit suites are the cmocka binaries in BUILD/tests/ (run with TAP output so
each test case counts).  Integration suites are tests/integration/test_*.py
(Python unittest against the real BUILD/minyi); each test method counts.
Corpus replays (tests/fuzz) are added by the Makefile as further binaries.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# "# corpus: ..." comments of unit binaries (the first-message corpus's
# shares), repeated next to the total line.
FIGURES = []


def run_unit(path):
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
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


def run_integration_here(build, only):
    """Run the integration suites in this process against BUILD/minyi."""
    sys.path.insert(0, os.path.join(HERE, "integration"))
    loader = unittest.TestLoader()
    suite = loader.discover(os.path.join(HERE, "integration"), pattern=only or "test_*.py",
                            top_level_dir=os.path.join(HERE, "integration"))
    res = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    passed = res.testsRun - failed - len(res.skipped)
    print(f"integration ({build}): {passed} passed, {failed} failed")
    return passed, failed


def start_integration(build, only):
    """The integration suites for one build, started in a child process
    (the harness reads MINYI_BIN once, at import); its output goes to a
    temporary file.  Each build's child runs beside the others: most of a
    suite's time is spent waiting (timers, the browser, the network), and
    each test has its own store and ports."""
    env = dict(os.environ, MINYI_BIN=os.path.join(ROOT, build, "minyi"))
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--build", build]
    if only:
        cmd += ["--only", only]
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
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        p, q = run_integration_here(a.build[0], a.only)
        return 1 if q else 0
    passed = failed = 0
    children = []
    for build in a.build or ["build"]:
        # the integration suites start first and run while the units do
        if not a.no_integration:
            children.append(start_integration(build, a.only))
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
