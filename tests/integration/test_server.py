"""The server as an outsider meets it: paths, TLS versions, slow and
greedy clients, a stop while the store is stalled, and `make install`."""
import configparser
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from harness import ServerTest, Server, ADMIN_TOKEN, BIN, ENV, ROOT, http


def connect_from(src, port, timeout=5):
    """A TCP connection to 127.0.0.1:port from source address src."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def closed_by_peer(s, wait):
    """True when the server closes s within wait seconds."""
    s.settimeout(wait)
    try:
        return s.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


class PathTest(ServerTest):
    def test_encoded_slash_and_nul_in_a_path_are_400(self):
        auth = {"Authorization": "Bearer " + ADMIN_TOKEN}
        for path in ["/webhooks/sim%2Foutbox?to=%2B8613800138000", "/webhooks/sim%2foutbox",
                     "/api/cases%00/1", "/api/cases%00", "/api/cases/1%00"]:
            r = self.server.get(path, auth)
            self.assertEqual(r.status, 400, path)
            self.assertEqual(r.json()["error"], 'encoded "/" or NUL (%2F, %00) in the path', path)
        r = self.server.post("/webhooks/sim%2F", {"from": "13800138000", "text": "王楼村停水了"})
        self.assertEqual(r.status, 400)
        # nothing was stored; an encoded "/" in the query is no path's business
        r = self.server.admin("/api/cases?grid=a%2Fb")
        self.assertNotIn("in the path", r.text)
        r = self.server.admin("/api/cases")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["cases"], [])


class TlsTest(unittest.TestCase):
    def s_client(self, port, version):
        # SECLEVEL=0: OpenSSL's own default would not even offer 1.0 or 1.1
        return subprocess.run(["openssl", "s_client", version, "-cipher", "DEFAULT:@SECLEVEL=0",
                               "-connect", f"127.0.0.1:{port}"],
                              input=b"", capture_output=True, timeout=20)

    def test_tls_below_1_2_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                           check=True, capture_output=True)
            s = Server(d, mutate=lambda c: c["server"].update(tls={"cert": cert, "key": key}))
            s.start()
            try:
                for v in ["-tls1", "-tls1_1"]:
                    r = self.s_client(s.port, v)
                    self.assertNotEqual(r.returncode, 0, v)
                    self.assertIn("New, (NONE), Cipher is (NONE)", r.stdout.decode(), v)
                for v, name in [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")]:
                    r = self.s_client(s.port, v)
                    self.assertEqual(r.returncode, 0, r.stderr.decode()[-500:])
                    self.assertIn(f"New, {name}, Cipher is", r.stdout.decode())
            finally:
                self.assertEqual(s.stop(), 0)


def small_limits(cfg):
    cfg["server"].update(max_connections_per_ip=4, header_timeout_seconds=2,
                         idle_timeout_seconds=30)


class SlowClientTest(ServerTest):
    mutate = small_limits

    def test_connections_from_one_address_are_capped(self):
        held = [connect_from("127.0.0.2", self.server.port) for _ in range(4)]
        try:
            extra = connect_from("127.0.0.2", self.server.port)
            self.assertTrue(closed_by_peer(extra, 3), "a 5th connection from 127.0.0.2 stayed open")
            extra.close()
            # others are still served while 127.0.0.2 holds its four
            r = self.server.get("/healthz")
            self.assertEqual((r.status, r.json()), (200, {"status": "ok"}))
        finally:
            for s in held:
                s.close()

    def test_headers_trickled_past_the_deadline_are_cut(self):
        s = connect_from("127.0.0.1", self.server.port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        t0 = time.monotonic()
        closed = False
        while time.monotonic() - t0 < 8:
            # a header line every half second: never idle, never finished
            if closed_by_peer(s, 0.5):
                closed = True
                break
            try:
                s.sendall(b"X-Slow: 1\r\n")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        took = time.monotonic() - t0
        s.close()
        self.assertTrue(closed, "a trickling client kept its connection for 8 s")
        self.assertLess(took, 4, "closed only after %.1f s (header_timeout_seconds 2)" % took)
        self.assertTrue(self.server.wait_log(r"http header timeout remote=127\.0\.0\.1", 5))
        # a client that sends its request whole, if slowly, is unaffected
        c = connect_from("127.0.0.1", self.server.port)
        c.sendall(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(1)
        c.sendall(b"Host: x\r\n\r\n")
        self.assertIn(b"200 OK", c.recv(4096))
        c.close()

    def test_a_kept_alive_connection_has_a_deadline_per_request(self):
        body = json.dumps({"from": "13800138000", "text": "王楼村停水了"}).encode()
        c = connect_from("127.0.0.1", self.server.port)
        for _ in range(2):
            # 2.6 s in all on one connection: each request is within its own 2 s
            time.sleep(1.3)
            c.sendall(b"POST /webhooks/sim HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.assertTrue(c.recv(4096).startswith(b"HTTP/1.1 200 OK"))
        t0 = time.monotonic()
        self.assertTrue(closed_by_peer(c, 4), "an idle kept-alive connection stayed open")
        self.assertLess(time.monotonic() - t0, 3)
        c.close()

    def test_a_silent_connection_is_cut_at_the_header_deadline(self):
        s = connect_from("127.0.0.1", self.server.port)
        self.assertTrue(closed_by_peer(s, 4))
        s.close()


class ConnectionLimitTest(ServerTest):
    mutate = lambda cfg: cfg["server"].update(max_connections=6, max_connections_per_ip=0)

    def test_connections_are_capped_overall(self):
        idle = [connect_from("127.0.0.%d" % (2 + i % 3), self.server.port) for i in range(6)]
        late = connect_from("127.0.0.5", self.server.port)
        try:
            # over the cap, libmicrohttpd accepts nothing more: the late one
            # waits in the kernel's backlog, connected but unanswered...
            late.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            late.settimeout(1)
            with self.assertRaises(socket.timeout):
                late.recv(4096)
            # ...until a place is free
            for s in idle:
                s.close()
            late.settimeout(5)
            self.assertTrue(late.recv(4096).startswith(b"HTTP/1.1 200"))
        finally:
            for s in idle + [late]:
                s.close()


class StalledStopTest(unittest.TestCase):
    """SIGTERM while the store is locked by another process.  300: more
    than one batch of the writer's (256) still waits when the old fixed
    10 s drain ended, which made libmicrohttpd abort (exit 134)."""
    N = 300

    def test_sigterm_with_the_writer_stalled_answers_503_and_exits_0(self):
        with tempfile.TemporaryDirectory() as d:
            s = Server(d, mutate=lambda c: c["server"].update(drain_seconds=1, max_connections_per_ip=0))
            s.start()
            answers = [None] * self.N
            if s.backend == "sqlite":
                db = sqlite3.connect(s.cfg["store"]["path"], timeout=10, isolation_level=None)
            else:
                db = s.db()
            try:
                if s.backend == "sqlite":
                    db.execute("BEGIN EXCLUSIVE")    # the writer's BEGIN IMMEDIATE now waits
                else:
                    db.execute("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE")

                def post(i):
                    try:
                        r = http("POST", s.url("/webhooks/sim"),
                                 {"from": "1380013%04d" % (8000 + i), "text": "王楼村停水了"},
                                 timeout=30)
                        answers[i] = (r.status, r.json().get("error"))
                    except Exception as e:   # a reset: what the abort did
                        answers[i] = (None, repr(e))
                threads = [threading.Thread(target=post, args=(i,)) for i in range(self.N)]
                for t in threads:
                    t.start()
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    m = re.search(r"^minyi_http_inflight (\d+)$", s.get("/metrics").text, re.M)
                    if int(m.group(1)) >= self.N + 1:
                        break
                    time.sleep(0.1)
                self.assertGreaterEqual(int(m.group(1)), self.N + 1, "webhooks not all waiting")
                s.proc.send_signal(signal.SIGTERM)
                for t in threads:
                    t.join(30)
            finally:
                if s.backend == "sqlite":
                    db.execute("ROLLBACK") if db.in_transaction else None
                else:
                    db.rollback()
                db.close()
                rc = s.stop()
            self.assertEqual(answers, [(503, "shutting down; retry later")] * self.N)
            self.assertEqual(rc, 0, "\n".join(s.log[-20:]))
            log = "\n".join(s.log)
            self.assertNotIn("suspended connections", log)
            # those waiting on the writer, or a few still being read: all 503
            m = re.search(r"minyi drain timed out seconds=1: answered 503 to webhooks=(\d+)", log)
            self.assertIsNotNone(m, log[-2000:])
            self.assertGreater(int(m.group(1)), self.N - 10)
            self.assertIn("minyi stopped", log)
            # answered 503, so stored nothing: the provider sends them again
            s.start()
            try:
                r = s.admin("/api/cases")
                self.assertEqual(r.json()["cases"], [])
            finally:
                self.assertEqual(s.stop(), 0)


class InstallTest(unittest.TestCase):
    def test_make_install_puts_binary_unit_and_example(self):
        build = os.path.relpath(os.path.dirname(BIN), ROOT)
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run(["make", "-s", "install", "BUILD=" + build, "DESTDIR=" + d,
                                "PREFIX=/usr"], cwd=ROOT, capture_output=True, text=True,
                               timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            binary = os.path.join(d, "usr/bin/minyi")
            self.assertTrue(os.access(binary, os.X_OK))
            out = subprocess.run([binary, "--version"], capture_output=True, text=True)
            self.assertRegex(out.stdout, r"^minyi ")
            example = os.path.join(d, "usr/share/minyi/minyi.example.json")
            out = subprocess.run([binary, "check-config", example], capture_output=True,
                                 text=True, cwd=ROOT, env=dict(os.environ, **ENV))
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(os.path.join(d, "usr/lib/sysusers.d/minyi.conf")) as f:
                self.assertRegex(f.read(), r"(?m)^u minyi ")
            unit = os.path.join(d, "usr/lib/systemd/system/minyi.service")
            p = configparser.ConfigParser(strict=False, interpolation=None)
            p.optionxform = str
            p.read(unit)
            svc = p["Service"]
            self.assertEqual(svc["ExecStart"], "/usr/bin/minyi serve --config /etc/minyi/minyi.json")
            for key, value in [("User", "minyi"), ("Group", "minyi"), ("StateDirectory", "minyi"),
                               ("WorkingDirectory", "/var/lib/minyi"), ("NoNewPrivileges", "yes"),
                               ("ProtectSystem", "strict"), ("PrivateTmp", "yes"),
                               ("ProtectHome", "yes"), ("KillSignal", "SIGTERM")]:
                self.assertEqual(svc.get(key), value, key)
            self.assertEqual(p["Install"]["WantedBy"], "multi-user.target")
            # the installed binary serves the workbench from its own share
            # directory, not from the checkout it was built in
            login = os.path.join(d, "usr/share/minyi/console/login.html")
            with open(login, "a", encoding="utf-8") as f:
                f.write("<!-- installed copy -->\n")
            os.makedirs(os.path.join(d, "run"))
            s = Server(os.path.join(d, "run"))
            proc = subprocess.Popen([binary, "serve", "--config", s.config_path],
                                    stderr=subprocess.PIPE, text=True, env=s.env)
            try:
                port = None
                for line in proc.stderr:
                    m = re.search(r"http listening address=\S+ port=(\d+)", line)
                    if m:
                        port = int(m.group(1))
                        break
                self.assertIsNotNone(port, "the installed binary did not start")
                r = http("GET", "http://127.0.0.1:%d/console/login.html" % port)
                self.assertEqual(r.status, 200)
                self.assertIn("<!-- installed copy -->", r.text)
            finally:
                proc.terminate()
                proc.wait(15)
            self.assertNotRegex(open(unit).read(), r"@[A-Z]+@", "a placeholder left in the unit")
            if shutil.which("systemd-analyze"):
                # verify needs the binary where ExecStart names it: point it at ours
                copy = os.path.join(d, "minyi.service")
                with open(unit) as f, open(copy, "w") as g:
                    g.write(f.read().replace("/usr/bin/minyi", binary))
                v = subprocess.run(["systemd-analyze", "verify", copy], capture_output=True,
                                   text=True, timeout=60)
                problems = [l for l in (v.stdout + v.stderr).splitlines() if "minyi.service" in l]
                self.assertEqual(problems, [])


if __name__ == "__main__":
    unittest.main()
