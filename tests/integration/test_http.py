"""Foundation: the real server's HTTP surface, the CLI, config checking."""
import datetime
import json
import os
import re
import socket
import tempfile
import unittest
import urllib.parse

from harness import ServerTest, Server, example_config, run_minyi, EXAMPLE


class HttpTest(ServerTest):
    def test_healthz(self):
        r = self.server.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"status": "ok"})

    def test_unknown_route_is_json_404(self):
        r = self.server.get("/nope")
        self.assertEqual(r.status, 404)
        self.assertIn("error", r.json())

    def test_wrong_method_is_405(self):
        r = self.server.post("/healthz", b"")
        self.assertEqual(r.status, 405)
        self.assertIn("not allowed", r.json()["error"])

    def test_unknown_channel_is_404(self):
        r = self.server.post("/webhooks/nosuch", {"from": "13800138000", "text": "x"})
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["error"], "unknown channel")

    def test_oversize_body_is_413(self):
        big = {"from": "13800138000", "text": "路" * 40000}
        r = self.server.post("/webhooks/sim", big)
        self.assertEqual(r.status, 413)
        self.assertIn("65536", r.json()["error"])
        # nothing was stored
        r = self.server.admin("/api/cases")
        self.assertEqual(r.json()["cases"], [])

    def test_oversize_chunked_body_is_413(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        head = ("POST /webhooks/sim HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        s.sendall(head.encode())
        chunk = b"a" * 8192
        try:
            for _ in range(10):
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        data = b""
        while True:
            try:
                part = s.recv(4096)
            except OSError:
                break
            if not part:
                break
            data += part
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:100])

    def test_malformed_webhook_is_400_with_reason(self):
        r = self.server.post("/webhooks/sim", "not json", {"Content-Type": "application/json"})
        self.assertEqual(r.status, 400)
        self.assertIn("not JSON", r.json()["error"])
        r = self.server.post("/webhooks/sim", {"from": "123", "text": "路灯坏了"})
        self.assertEqual(r.status, 400)
        self.assertIn("from", r.json()["error"])

    def request_id(self, r):
        """The answer's X-Request-Id: 16 hex digits."""
        rid = {k.lower(): v for k, v in r.headers.items()}.get("x-request-id")
        self.assertRegex(rid or "", r"^[0-9a-f]{16}$", r.headers)
        return rid

    def lines_naming(self, rid):
        """Stop the server (so its whole log is read) and return the lines
        that name rid anywhere, each split into (level, first word, rest)."""
        self.server.stop()
        return [tuple(l.split(" ", 2)) for l in self.server.log if rid in l]

    def test_request_id_leads_the_webhooks_log_lines(self):
        a = self.server.post("/webhooks/sim", {"from": "13800138000", "text": "帮助"})
        b = self.server.post("/webhooks/sim", {"from": "13800138001", "text": "帮助"})
        self.assertEqual((a.status, b.status), (200, 200))
        ida, idb = self.request_id(a), self.request_id(b)
        self.assertNotEqual(ida, idb)
        self.assertNotIn(self.request_id(self.server.get("/healthz")), (ida, idb))
        c = self.server.post("/webhooks/sim", {"from": "13800138002", "text": "刘辛店村村口路灯不亮"})
        idc = self.request_id(c)
        lines = self.lines_naming(ida)
        self.assertIn(("debug", ida, "webhook accepted channel=sim msgs=1 receipts=0 new=1 dup=0"),
                      lines, self.server.log[-20:])
        for line in lines:                  # wherever it appears, it leads
            self.assertEqual(line[1], ida, line)
        # the case it made is logged with the request's id
        lines = [tuple(l.split(" ", 2)) for l in self.server.log if idc in l]
        self.assertIn(("info", idc, "case created number=1 channel=sim grid=liuxindian deputy=d-niu"),
                      lines, self.server.log[-20:])
        self.assertEqual([l[1] for l in lines], [idc] * len(lines), lines)

    def test_forbidden_and_malformed_webhooks_log_their_request_id(self):
        bad = self.server.post("/webhooks/sms", "From=%2B8613800138000&Body=x",
                               {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(bad.status, 403)
        junk = self.server.post("/webhooks/sim", "not json", {"Content-Type": "application/json"})
        self.assertEqual(junk.status, 400)
        rid, jid = self.request_id(bad), self.request_id(junk)
        self.assertEqual(self.lines_naming(rid),
                         [("info", rid, "webhook forbidden channel=sms remote=127.0.0.1")])
        lines = [l for l in self.server.log if jid in l]
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith("info %s webhook malformed channel=sim reason=" % jid),
                        lines)

    def test_metrics(self):
        self.server.get("/healthz")
        self.server.get("/nope")
        r = self.server.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertIn('minyi_http_requests_total{route="healthz",code="200"} 1', r.text)
        self.assertIn('minyi_http_requests_total{route="other",code="404"} 1', r.text)
        self.assertIn("minyi_writer_queue_depth", r.text)
        self.assertIn("minyi_writer_jobs_per_commit", r.text)

    def test_sigterm_exits_zero(self):
        self.assertEqual(self.server.get("/healthz").status, 200)
        self.assertEqual(self.server.stop(), 0)
        self.assertTrue(any("minyi stopped" in l for l in self.server.log))


DEPUTY_NIU = "+8613900139000"
ISO_CN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


class AdminApiTest(ServerTest):
    """GET /api/cases: its filters, its total, its times."""

    def setUp(self):
        super().setUp()
        for frm, text in [("+8613700000001", "刘辛店村村口路灯不亮"),     # power, yangji
                          ("+8613700000002", "王楼村这两天停水了"),       # water, wanglou
                          ("+8613700000003", "刘辛店村路灯坏了好几天")]:   # power, yangji
            self.assertEqual(self.server.post("/webhooks/sim", {"from": frm, "text": text}).status, 200)

    def numbers(self, query):
        r = self.server.admin("/api/cases?" + query)
        self.assertEqual(r.status, 200, (query, r.text))
        body = r.json()
        self.assertEqual(body["count"], len(body["cases"]))
        return sorted(c["number"] for c in body["cases"])

    def refused(self, query, name):
        r = self.server.admin("/api/cases?" + query)
        self.assertEqual(r.status, 400, (query, r.text))
        self.assertTrue(r.json()["error"].startswith(name + ":"), (query, r.json()))

    def test_unknown_or_repeated_filter_is_400_naming_it(self):
        self.refused("dept=water", "dept")
        self.refused("grid=liuxindian&colour=red", "colour")
        self.refused("status=received&status=closed", "status")
        self.refused("status", "status")
        self.refused("STATUS=received", "STATUS")
        self.assertEqual(self.numbers("status=received&&grid=liuxindian&"), [1, 3])
        self.assertIn("unknown filter", self.server.admin("/api/cases?dept=water").json()["error"])
        self.assertIn("given twice",
                      self.server.admin("/api/cases?status=received&status=closed").json()["error"])

    def test_filters(self):
        self.assertEqual(self.numbers(""), [1, 2, 3])
        self.assertEqual(self.numbers("department=water"), [2])
        self.assertEqual(self.numbers("department=power"), [1, 3])
        self.assertEqual(self.numbers("township=wanglou"), [2])
        self.assertEqual(self.numbers("category=streetlight&township=yangji"), [1, 3])
        self.assertEqual(self.numbers("channel=sim"), [1, 2, 3])
        self.assertEqual(self.numbers("channel=groups"), [])
        self.assertEqual(self.numbers("q=" + urllib.parse.quote("停水")), [2])
        self.assertEqual(self.numbers("q=" + urllib.parse.quote("路灯") + "&grid=liuxindian"), [1, 3])
        self.assertEqual(self.numbers("q="), [1, 2, 3])         # an empty search box
        self.assertEqual(self.server.post("/webhooks/sim", {"from": DEPUTY_NIU, "text": "接单 1"}).status, 200)
        self.assertEqual(self.numbers("status=accepted"), [1])
        self.assertEqual(self.numbers("status=received,accepted"), [1, 2, 3])
        self.assertEqual(self.numbers("status=received,closed"), [2, 3])
        # the scheduler's marks: overdue (4) and triage (1)
        db = self.server.db()
        with db:
            db.execute("UPDATE cases SET flags = flags | 4 WHERE number = 1")
            db.execute("UPDATE cases SET flags = flags | 1 WHERE number = 2")
        db.close()
        self.assertEqual(self.numbers("overdue=1"), [1])
        self.assertEqual(self.numbers("overdue=0"), [2, 3])
        self.assertEqual(self.numbers("triage=1"), [2])
        self.assertEqual(self.numbers("triage=1&township=yangji"), [])
        for query, name in [("department=nowhere", "department"), ("township=x", "township"),
                            ("category=x", "category"), ("channel=x", "channel"),
                            ("status=received,lost", "status"), ("status=", "status"),
                            ("overdue=yes", "overdue"), ("triage=2", "triage"),
                            ("q=" + "x" * 201, "q"), ("limit=0", "limit"), ("limit=1001", "limit"),
                            ("limit=ten", "limit"), ("offset=-1", "offset"),
                            ("offset=%2B1", "offset"), ("offset=99999999999999999999", "offset"),
                            ("since=yesterday", "since"), ("since=2026-02-30", "since")]:
            self.refused(query, name)

    def test_total_counts_every_matching_case(self):
        r = self.server.admin("/api/cases?limit=2").json()
        self.assertEqual((r["count"], r["total"], r["limit"], r["offset"]), (2, 3, 2, 0))
        self.assertEqual([c["number"] for c in r["cases"]], [3, 2])       # newest first
        r = self.server.admin("/api/cases?limit=2&offset=2").json()
        self.assertEqual((r["count"], r["total"]), (1, 3))
        r = self.server.admin("/api/cases?department=power&limit=1").json()
        self.assertEqual((r["count"], r["total"]), (1, 2))
        r = self.server.admin("/api/cases?offset=10").json()
        self.assertEqual((r["count"], r["total"]), (0, 3))
        # an offset past 2^31 is echoed as given
        r = self.server.admin("/api/cases?offset=4294967296").json()
        self.assertEqual((r["cases"], r["offset"], r["total"]), ([], 4294967296, 3))

    def test_times_carry_the_countys_offset(self):
        c = self.server.admin("/api/cases/1").json()
        for key in ["created_at", "updated_at"]:
            self.assertRegex(c[key], ISO_CN)
        self.assertTrue(c["events"])
        for ev in c["events"]:
            self.assertRegex(ev["at"], ISO_CN)
        db = self.server.db()
        created = db.execute("SELECT created_at FROM cases WHERE number = 1").fetchone()[0]
        db.close()
        self.assertEqual(c["created_at"], time_cn(created))
        listed = self.server.admin("/api/cases?limit=1000").json()["cases"]
        self.assertTrue(all(ISO_CN.match(x["created_at"]) for x in listed), listed)
        # since reads the county's day, and takes the times the API shows
        self.assertEqual(self.numbers("since=" + urllib.parse.quote(c["created_at"])), [1, 2, 3])
        later = time_cn(created + 1)
        self.assertEqual(self.numbers("since=" + later.replace("+", "%2B")),
                         [n for n in [2, 3] if self.created(n) >= created + 1])
        self.assertEqual(self.numbers("since=" + later), self.numbers("since=" + later.replace("+", "%2B")))

    def created(self, number):
        db = self.server.db()
        t = db.execute("SELECT created_at FROM cases WHERE number = ?", (number,)).fetchone()[0]
        db.close()
        return t


def time_cn(t):
    """t in seconds as the API writes it for Asia/Shanghai."""
    tz = datetime.timezone(datetime.timedelta(hours=8))
    return datetime.datetime.fromtimestamp(t, tz).isoformat()


class CliTest(unittest.TestCase):
    def test_version(self):
        r = run_minyi("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^minyi \d+\.\d+\.\d+\n$")

    def test_check_config_example_is_quiet(self):
        r = run_minyi("check-config", EXAMPLE)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))

    def test_check_config_three_planted_errors(self):
        cfg = example_config()
        cfg["grids"][2]["deputies"][0] = "d-li"
        cfg["deputies"][1]["phone"] = "123"
        cfg["channels"][0]["adapter"] = "carrier-pigeon"
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(cfg, f, ensure_ascii=False)
        try:
            r = run_minyi("check-config", f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 1)
        lines = r.stderr.strip().split("\n")
        self.assertEqual(len(lines), 3, r.stderr)
        self.assertIn('grids[2].deputies[0]: unknown deputy "d-li"', lines)
        self.assertTrue(any(l.startswith('deputies[1].phone: ') for l in lines), lines)
        self.assertIn('channels[0].adapter: unknown adapter "carrier-pigeon"', lines)

    def test_serve_refuses_missing_secret(self):
        with tempfile.TemporaryDirectory() as d:
            s = Server(d)
            env = {k: v for k, v in s.env.items() if k != "TWILIO_AUTH_TOKEN"}
            r = run_minyi("serve", "--config", s.config_path, env=env, timeout=10)
            self.assertEqual(r.returncode, 1)
            self.assertIn("TWILIO_AUTH_TOKEN is not set", r.stderr)

    def test_serve_refuses_bad_config(self):
        with tempfile.TemporaryDirectory() as d:
            s = Server(d, mutate=lambda c: c["grids"][0].update(township="nowhere"))
            r = run_minyi("serve", "--config", s.config_path, timeout=10)
            self.assertEqual(r.returncode, 1)
            self.assertIn("grids[0].township", r.stderr)


if __name__ == "__main__":
    unittest.main()
