"""Nothing lost, nobody let in: abuse limits, hostile input, access rules."""
import json
import os
import sqlite3
import ssl
import subprocess
import tempfile
import unittest
import urllib.parse
import urllib.request

from harness import ServerTest, Server, ENV, ADMIN_TOKEN, run_minyi, http
from fakes import twilio_signature

RESIDENT = "+8613800138000"

INJECTIONS = ["' OR '1'='1", "1; DROP TABLE cases; --", "\" OR \"\"=\"", "'); DELETE FROM cases; --",
              "1 UNION SELECT * FROM residents", "%' OR 1=1 --", "\\'; --"]


def limits(per_minute=5, per_day=2):
    def mutate(cfg):
        cfg["limits"] = {"per_sender_per_minute": per_minute, "cases_per_day": per_day}
    return mutate


class LimitTest(ServerTest):
    mutate = staticmethod(limits())

    def say(self, text, frm=RESIDENT):
        return self.server.post("/webhooks/sim", {"from": frm, "text": text})

    def inbox(self, to=RESIDENT):
        q = urllib.parse.urlencode({"to": to})
        return [m["text"] for m in self.server.get("/webhooks/sim/outbox?" + q).json()]

    def test_flood_from_one_number_gets_429_and_one_polite_reply(self):
        codes = [self.say("帮助").status for _ in range(9)]
        self.assertEqual(codes, [200] * 5 + [429] * 4)
        r = self.say("帮助")
        self.assertIn("messages a minute", r.json()["error"])
        texts = self.inbox()
        self.assertEqual(len(texts), 6)                 # five answers, one polite reply
        self.assertEqual(sum("太频繁" in t for t in texts), 1)
        # another resident is not affected
        self.assertEqual(self.say("帮助", "+8613800138111").status, 200)

    def test_cases_per_day(self):
        for text in ["刘辛店村村口路灯不亮", "王楼村这两天停水了"]:
            self.assertEqual(self.say(text).status, 200)
        self.assertEqual(self.say("颜村铺村垃圾没人清，臭得很").status, 200)
        self.assertEqual(self.server.admin("/api/cases").json()["count"], 2)
        self.assertIn("明天", self.inbox()[-1])


class HostileInputTest(ServerTest):
    def test_injections_in_every_sim_field_are_stored_as_text(self):
        for i, inj in enumerate(INJECTIONS):
            r = self.server.post("/webhooks/sim", {"from": f"+861380013{i:04d}",
                                                   "text": "刘辛店村路灯不亮" + inj, "id": inj + str(i)})
            self.assertEqual(r.status, 200, r.text)
            self.assertEqual(self.server.post("/webhooks/sim", {"from": inj, "text": inj}).status, 400)
        cases = self.server.admin("/api/cases?limit=1000").json()["cases"]
        self.assertEqual(len(cases), len(INJECTIONS))
        self.assertEqual(sorted(c["description"] for c in cases),
                         sorted("刘辛店村路灯不亮" + x for x in INJECTIONS))

    def test_injections_in_api_filters(self):
        self.server.post("/webhooks/sim", {"from": RESIDENT, "text": "刘辛店村村口路灯不亮"})
        for inj in INJECTIONS:
            q = urllib.parse.quote(inj)
            for key in ["status", "grid", "deputy", "since", "limit", "offset"]:
                r = self.server.admin(f"/api/cases?{key}={q}")
                self.assertEqual(r.status, 400, (key, inj))
            r = self.server.admin(f"/api/cases?citizen={q}")
            self.assertEqual((r.status, r.json()["cases"]), (200, []))
            self.assertIn(self.server.admin("/api/cases/" + q).status, (400, 404))
        self.assertEqual(self.server.admin("/api/cases").json()["count"], 1)

    def test_injections_in_every_twilio_param(self):
        base = self.server.cfg["server"]["public_url"] + "/webhooks/sms"
        for i, inj in enumerate(INJECTIONS):
            params = {"MessageSid": "SM%032x" % i, "From": RESIDENT, "To": inj, "Body": inj,
                      "NumMedia": "0", inj: inj}
            body = urllib.parse.urlencode(params)
            sig = twilio_signature(ENV["TWILIO_AUTH_TOKEN"], base, params)
            r = self.server.post("/webhooks/sms", body, {
                "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
            self.assertEqual(r.status, 200, r.text)
            # in MessageSid it is no SID of Twilio's: refused, nothing stored
            params = dict(params, MessageSid="SM" + inj)
            sig = twilio_signature(ENV["TWILIO_AUTH_TOKEN"], base, params)
            r = self.server.post("/webhooks/sms", urllib.parse.urlencode(params), {
                "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
            self.assertEqual(r.status, 400, r.text)
        db = sqlite3.connect(self.server.cfg["store"]["path"])
        bodies = sorted(r[0] for r in db.execute("SELECT body FROM messages WHERE channel = 'sms'"))
        params = [json.loads(r[0]) for r in db.execute("SELECT params FROM messages WHERE channel = 'sms'")]
        db.close()
        self.assertEqual(bodies, sorted(INJECTIONS))
        self.assertTrue(all(any(k in p for k in INJECTIONS) for p in params))   # every param kept

    def test_invalid_utf8(self):
        r = self.server.post("/webhooks/sim", b'{"from":"13800138000","text":"\xff\xfe"}',
                             {"Content-Type": "application/json"})
        self.assertEqual(r.status, 400)
        params = {"MessageSid": "SM" + "0" * 31 + "f", "From": RESIDENT, "To": "+8610690000"}
        body = urllib.parse.urlencode(params) + "&Body=%FF%FE%E8%B7%AF"
        sig = twilio_signature(ENV["TWILIO_AUTH_TOKEN"],
                               self.server.cfg["server"]["public_url"] + "/webhooks/sms",
                               dict(params, Body="\ufffd\ufffd\ufffd"))
        r = self.server.post("/webhooks/sms", body, {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
        self.assertIn(r.status, (200, 403))          # replaced, never stored raw
        db = sqlite3.connect(self.server.cfg["store"]["path"])
        for (b,) in db.execute("SELECT body FROM messages"):
            b.encode("utf-8")                         # valid UTF-8 in the store
        db.close()

    def test_unknown_json_fields_are_ignored(self):
        r = self.server.post("/webhooks/sim", {"from": RESIDENT, "text": "刘辛店村村口路灯不亮",
                                               "extra": {"nested": [1, 2]}, "n": 3})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.server.admin("/api/cases").json()["count"], 1)

    def test_huge_header_is_refused(self):
        r = self.server.get("/healthz", {"X-Junk": "a" * 40000})
        self.assertIn(r.status, (413, 431))

    def test_no_secret_or_full_number_in_logs(self):
        self.server.post("/webhooks/sim", {"from": RESIDENT, "text": "刘辛店村村口路灯不亮"})
        self.server.get("/api/cases", {"Authorization": "Bearer wrong-token"})
        self.server.admin("/api/cases")
        r = self.server.get("/api/cases", {"Authorization": "Bearer wrong-token"})
        self.assertNotIn(ADMIN_TOKEN, r.text)
        self.server.stop()
        log = "\n".join(self.server.log)
        for secret in [ADMIN_TOKEN, ENV["TWILIO_AUTH_TOKEN"], ENV["MINYI_GROUP_SECRET"], RESIDENT,
                       "+8613900139000"]:
            self.assertNotIn(secret, log)


class AccessTest(unittest.TestCase):
    def test_non_loopback_needs_https_and_token(self):
        with tempfile.TemporaryDirectory() as d:
            def mutate(cfg):
                cfg["server"]["listen"] = "0.0.0.0:8080"
                cfg["server"]["public_url"] = "http://minyi.example.org"
            s = Server(d, mutate=mutate)
            r = run_minyi("check-config", s.config_path)
            self.assertEqual(r.returncode, 1)
            self.assertIn("server.listen: \"0.0.0.0:8080\" is not a loopback address", r.stderr)

    def test_https_from_libmicrohttpd(self):
        with tempfile.TemporaryDirectory() as d:
            cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                           check=True, capture_output=True)
            s = Server(d, mutate=lambda c: c["server"].update(tls={"cert": cert, "key": key}))
            s.start()
            try:
                ctx = ssl.create_default_context(cafile=cert)
                ctx.check_hostname = False
                with urllib.request.urlopen(f"https://127.0.0.1:{s.port}/healthz", context=ctx,
                                            timeout=10) as r:
                    self.assertEqual(json.loads(r.read()), {"status": "ok"})
                with self.assertRaises(Exception):
                    urllib.request.urlopen(f"http://127.0.0.1:{s.port}/healthz", timeout=5).read()
            finally:
                self.assertEqual(s.stop(), 0)

    def test_tls_files_must_exist(self):
        with tempfile.TemporaryDirectory() as d:
            s = Server(d, mutate=lambda c: c["server"].update(tls={"cert": "/nope.pem"}))
            r = run_minyi("check-config", s.config_path)
            self.assertEqual(r.returncode, 1)
            self.assertIn("server.tls.cert: cannot read \"/nope.pem\"", r.stderr)
            self.assertIn("server.tls.key: required key missing", r.stderr)


if __name__ == "__main__":
    unittest.main()
