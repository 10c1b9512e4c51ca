"""Test harness: the real build/minyi on an ephemeral loopback port.

Server(tmpdir) writes a config derived from config/minyi.example.json
(listen 127.0.0.1:0, a store in the test's own directory), starts
`minyi serve`, and reads the bound port from its log line
"http listening ... port=N".  Everything stays on 127.0.0.1.

MINYI_TEST_PG_ADMIN (set by tests/run.py for its PostgreSQL run: the
conninfo of a cluster of the tests' own, tests/pgcluster.py) puts each
Server's store in a new database of that cluster (store.backend
"postgresql") instead of a SQLite file; server.db() opens the store
either way (DB-API, ? parameters), and server.backend says which.

MINYI_WRAPPER (e.g. "valgrind --error-exitcode=99 ...") runs the server
through that command: start and stop wait longer (MINYI_WRAPPER_TIMEOUT
seconds, default 120), and every exit code stop() sees must be 0, which
ServerTest.tearDown asserts.  Unset, nothing changes.
"""
import copy
import json
import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("MINYI_BIN", os.path.join(ROOT, "build", "minyi"))
EXAMPLE = os.path.join(ROOT, "config", "minyi.example.json")
WRAPPER = shlex.split(os.environ.get("MINYI_WRAPPER", ""))
WRAPPER_TIMEOUT = float(os.environ.get("MINYI_WRAPPER_TIMEOUT", "120"))

PG_ADMIN = os.environ.get("MINYI_TEST_PG_ADMIN")
if PG_ADMIN:
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    sys.path.append("/usr/lib/python3/dist-packages")   # Debian's psycopg2
    import pgcluster  # noqa: E402
    import psycopg2  # noqa: E402

ADMIN_TOKEN = "test-admin-token"
ENV = {
    "MINYI_ADMIN_TOKEN": ADMIN_TOKEN,
    "TWILIO_AUTH_TOKEN": "12345",
    "MINYI_GROUP_SECRET": "group-secret",
    "MINYI_HOTLINE_SECRET": "hotline-secret",
}


def example_config():
    with open(EXAMPLE, encoding="utf-8") as f:
        return json.load(f)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def http(method, url, body=None, headers=None, timeout=10):
    """One request; returns Response for any status (never raises on 4xx)."""
    data = body
    if isinstance(body, (dict, list)):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
    elif isinstance(body, str):
        data = body.encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Response(r.status, dict(r.headers), r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, dict(e.headers), e.read())


class Server:
    """A running `minyi serve`.  Use start()/stop()/kill(); restart keeps the store.
    share=another Server: on PostgreSQL, a node on that one's database.
    backend: "sqlite" or "postgresql" (which needs PG_ADMIN); by default
    PostgreSQL when PG_ADMIN is set."""

    def __init__(self, tmpdir, mutate=None, env=None, share=None, backend=None):
        self.tmpdir = tmpdir
        self.cfg = example_config()
        self.cfg["server"]["listen"] = "127.0.0.1:0"
        self.cfg["server"]["public_url"] = "http://127.0.0.1"
        self.backend = backend or ("postgresql" if PG_ADMIN else "sqlite")
        pg = self.backend == "postgresql"
        if pg and share is not None:
            # a second node on the first one's database
            self.conninfo, self.dbname = share.conninfo, share.dbname
        elif pg:
            # a copy of the migrated template run.py made (when it did)
            self.conninfo, self.dbname = pgcluster.new_database(
                PG_ADMIN, migrated=pgcluster.template_ready(PG_ADMIN))
        if pg:
            self.cfg["store"] = {"backend": "postgresql",
                                 "conninfo_env": "MINYI_TEST_PG"}
        else:
            self.cfg["store"] = {"path": os.path.join(tmpdir, "minyi.db")}
        if mutate:
            mutate(self.cfg)
        self.config_path = os.path.join(tmpdir, "minyi.json")
        self.write_config()
        self.env = dict(os.environ, **ENV)
        if pg:
            self.env["MINYI_TEST_PG"] = self.conninfo
        if env:
            self.env.update(env)
        self.proc = None
        self.port = None
        self.log = []
        self._reader = None
        self.exit_codes = []      # what each stop() returned

    def write_config(self):
        with open(self.config_path, "w", encoding="utf-8") as f:
            json.dump(self.cfg, f, ensure_ascii=False, indent=1)

    def start(self, extra_args=(), timeout=10):
        self.port = None
        if WRAPPER:
            timeout = max(timeout, WRAPPER_TIMEOUT)
        self.proc = subprocess.Popen(
            [*WRAPPER, BIN, "serve", "--config", self.config_path, "-v", *extra_args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env,
            cwd=self.tmpdir)
        ready = threading.Event()

        def read():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.log.append(line)
                m = re.search(r"http listening .* port=(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        ready.wait(timeout)
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("minyi did not start:\n" + "\n".join(self.log[-30:]))
        return self

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def db(self, timeout=10):
        """The store, as a DB-API connection taking ? parameters (SQLite's
        file, or the PostgreSQL database); the caller closes it."""
        if self.backend == "postgresql":
            return PgConn(psycopg2.connect(self.conninfo))
        return sqlite3.connect(self.cfg["store"]["path"], timeout=timeout)

    def get(self, path, headers=None):
        return http("GET", self.url(path), headers=headers)

    def post(self, path, body=None, headers=None):
        return http("POST", self.url(path), body, headers)

    def admin(self, path):
        return self.get(path, {"Authorization": "Bearer " + ADMIN_TOKEN})

    def wait_log(self, pattern, timeout=15):
        """True once a log line matches the regex pattern (the log is read
        by a thread, so a line may arrive a moment after its cause)."""
        end = time.time() + timeout
        while time.time() < end:
            if any(re.search(pattern, x) for x in self.log):
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout=15):
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None:
            return None
        if WRAPPER:
            timeout = max(timeout, WRAPPER_TIMEOUT)
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self._reader.join(2)
        self.proc = None
        self.exit_codes.append(rc)
        return rc

    def kill(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self._reader.join(2)
            self.proc = None


class PgConn:
    """A psycopg2 connection that takes SQLite's ? parameters, as the
    tests write them; execute() returns the cursor."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql, params=()):
        cur = self.conn.cursor()
        cur.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        return cur

    def commit(self):
        self.conn.commit()

    def rollback(self):
        self.conn.rollback()

    def close(self):
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.conn.commit()
        self.conn.close()


class ServerTest(unittest.TestCase):
    """A test case with a fresh store and server per test."""
    mutate = None

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="minyi-test-")
        self.server = Server(self._tmp.name, mutate=type(self).mutate)
        self.server.start()

    def tearDown(self):
        if self.server.proc is not None:
            self.server.stop()
        self._tmp.cleanup()
        if WRAPPER:
            # the wrapper's verdict (valgrind's --error-exitcode) on every stop
            self.assertEqual([rc for rc in self.server.exit_codes if rc != 0], [],
                             "under %s:\n%s" % (WRAPPER[0], "\n".join(self.server.log[-300:])))


def run_minyi(*args, env=None, timeout=30):
    e = dict(os.environ, **ENV)
    if env is not None:
        e = env
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=e,
                          timeout=timeout, cwd=ROOT)


def deep(cfg):
    return copy.deepcopy(cfg)
