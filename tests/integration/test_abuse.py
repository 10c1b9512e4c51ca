"""Nothing lost, nobody let in: abuse limits, hostile input, access rules."""
import http.client as httpclient
import json
import os
import socket
import ssl
import subprocess
import tempfile
import unittest
import urllib.parse
import urllib.request

from harness import ServerTest, Server, ENV, ADMIN_TOKEN, run_minyi, http
from fakes import group_signature, twilio_signature

RESIDENT = "+8613800138000"

INJECTIONS = ["' OR '1'='1", "1; DROP TABLE cases; --", "\" OR \"\"=\"", "'); DELETE FROM cases; --",
              "1 UNION SELECT * FROM residents", "%' OR 1=1 --", "\\'; --"]


def limits(per_minute=5, per_day=2):
    def mutate(cfg):
        cfg["limits"] = {"per_sender_per_minute": per_minute, "cases_per_day": per_day}
    return mutate


def fnv_slot(key, slots=16384):
    """The slot gateway/limits.c starts from: FNV-1a of the key."""
    h = 2166136261
    for c in key.encode():
        h = ((h ^ c) * 16777619) & 0xffffffff
    return h % slots


class LimitTest(ServerTest):
    mutate = staticmethod(limits())

    def say(self, text, frm=RESIDENT):
        return self.server.post("/webhooks/sim", {"from": frm, "text": text})

    def inbox(self, to=RESIDENT):
        q = urllib.parse.urlencode({"to": to})
        return [m["text"] for m in self.server.admin("/webhooks/sim/outbox?" + q).json()]

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

    def test_two_numbers_in_one_hash_slot_are_each_limited(self):
        # +8613800000143 and +8613800001140 share a slot of the limiter's
        # table (FNV-1a mod 16384, found by fnv_slot below): alternating
        # must not reset each other's count
        a, b = "+8613800000143", "+8613800001140"
        self.assertEqual(fnv_slot(a), fnv_slot(b))
        codes = {a: [], b: []}
        for _ in range(7):
            for who in (a, b):
                codes[who].append(self.say("帮助", who).status)
        self.assertEqual(codes, {a: [200] * 5 + [429] * 2, b: [200] * 5 + [429] * 2})

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
        db = self.server.db()
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
        db = self.server.db()
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

    def test_a_caller_with_a_newline_forges_no_log_line(self):
        forged = "info 0000000000000001 case created number=99 channel=hotline"
        for caller in ["13800138000\n" + forged, "1380013800\r\n" + forged, "12\u2028" + forged]:
            body = json.dumps({"call_id": "c-" + caller[:12], "caller": caller, "summary": "路灯不亮"}).encode()
            sig = group_signature(ENV["MINYI_HOTLINE_SECRET"], body)
            r = self.server.post("/webhooks/hotline", body, {"Content-Type": "application/json",
                                                             "X-Minyi-Signature": sig})
            self.assertEqual(r.status, 400, r.text)
        # a call_id is logged whole when it comes again with another caller
        for caller in ["13800138000", "13800138001"]:
            body = json.dumps({"call_id": "c9\n" + forged, "caller": caller, "summary": "路灯不亮"}).encode()
            sig = group_signature(ENV["MINYI_HOTLINE_SECRET"], body)
            r = self.server.post("/webhooks/hotline", body, {"Content-Type": "application/json",
                                                             "X-Minyi-Signature": sig})
        self.assertEqual(r.status, 409, r.text)
        self.server.stop()
        self.assertEqual([l for l in self.server.log if l.startswith("info 0000000000000001")], [])
        malformed = [l for l in self.server.log if "webhook malformed channel=hotline" in l]
        self.assertEqual(len(malformed), 3, "\n".join(self.server.log[-20:]))
        self.assertIn('reason="caller "138001****line": not a phone number"', malformed[0])
        conflict = [l for l in self.server.log if "webhook conflict channel=hotline" in l]
        self.assertEqual(len(conflict), 1, "\n".join(self.server.log[-20:]))
        self.assertIn('id="c9\\n' + forged + '" from=+86138****8001', conflict[0])
        log = "\n".join(self.server.log)
        self.assertNotIn("13800138000", log)                 # masked, valid or not
        self.assertNotIn("1380013800", log)

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


def local_addresses(family):
    """This machine's own addresses other than loopback, from `ip`."""
    try:
        out = subprocess.run(["ip", "-o", "-4" if family == socket.AF_INET else "-6", "addr", "show"],
                             capture_output=True, text=True, timeout=5).stdout
    except OSError:
        return []
    addrs = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[1] != "lo":
            a = f[3].split("/")[0]
            if not a.startswith("fe80"):        # link-local needs a scope
                addrs.append(a)
    return addrs


def raw_request(host, port, method, path, body=b"", headers=None, source=None):
    """One request from a chosen local source address; (status, body)."""
    conn = httpclient.HTTPConnection(host, port, timeout=10,
                                      source_address=(source, 0) if source else None)
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    conn.request(method, path, body, h)
    r = conn.getresponse()
    out = (r.status, r.read())
    conn.close()
    return out


class SimAccessTest(ServerTest):
    """The sim writes as anyone: this machine only, its outbox for staff."""

    def test_outbox_needs_the_admin_token(self):
        self.server.post("/webhooks/sim", {"from": RESIDENT, "text": "刘辛店村村口路灯不亮"})
        q = "/webhooks/sim/outbox?to=%2B8613800138000"
        for headers in (None, {"Authorization": "Bearer wrong-token"}, {"Authorization": ADMIN_TOKEN}):
            r = self.server.get(q, headers)
            self.assertEqual(r.status, 401, headers)
            self.assertEqual(r.json()["error"], "missing or wrong bearer token")
            self.assertNotIn("13800138000", r.text)
        r = self.server.admin(q)
        self.assertEqual(r.status, 200)
        self.assertIn("编号", r.json()[0]["text"])

    def test_a_peer_that_is_not_loopback_is_403(self):
        srcs = local_addresses(socket.AF_INET)
        if not srcs:
            self.skipTest("this machine has no IPv4 address but loopback")
        body = json.dumps({"from": "13900139000", "text": "列表"}).encode()
        # from this machine's own non-loopback address, to 127.0.0.1
        st, out = raw_request("127.0.0.1", self.server.port, "POST", "/webhooks/sim", body,
                              source=srcs[0])
        self.assertEqual(st, 403, out)
        self.assertEqual(json.loads(out)["error"], "the sim channel answers only this machine (loopback)")
        st, out = raw_request("127.0.0.1", self.server.port, "GET", "/webhooks/sim/outbox",
                              headers={"Authorization": "Bearer " + ADMIN_TOKEN}, source=srcs[0])
        self.assertEqual(st, 403, out)
        # the same from 127.0.0.1 is answered
        st, out = raw_request("127.0.0.1", self.server.port, "POST", "/webhooks/sim", body)
        self.assertEqual(st, 200, out)
        db = self.server.db()
        n = db.execute("SELECT count(*) FROM messages WHERE channel = 'sim'").fetchone()[0]
        db.close()
        self.assertEqual(n, 1)                        # the refused one changed nothing
        log = "\n".join(self.server.log)
        self.assertIn("webhook forbidden channel=sim remote=" + srcs[0], log)

    def test_a_request_a_proxy_forwarded_is_403(self):
        for h in ({"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"},
                  {"X-Real-IP": "203.0.113.9"}):
            r = self.server.post("/webhooks/sim", json.dumps({"from": RESIDENT, "text": "帮助"}),
                                 dict(h, **{"Content-Type": "application/json"}))
            self.assertEqual(r.status, 403, h)
            self.assertIn("not requests a proxy forwarded", r.json()["error"])
        self.assertEqual(self.server.admin("/webhooks/sim/outbox").json(), [])


class SimAccessV6Test(ServerTest):
    mutate = staticmethod(lambda cfg: cfg["server"].update(listen="[::1]:0"))

    def test_ipv6_loopback_is_answered_and_another_address_is_403(self):
        srcs = local_addresses(socket.AF_INET6)
        body = json.dumps({"from": RESIDENT, "text": "帮助"}).encode()
        st, out = raw_request("::1", self.server.port, "POST", "/webhooks/sim", body)
        self.assertEqual(st, 200, out)
        if not srcs:
            self.skipTest("this machine has no IPv6 address but loopback")
        st, out = raw_request("::1", self.server.port, "POST", "/webhooks/sim", body, source=srcs[0])
        self.assertEqual(st, 403, out)


class AccessTest(unittest.TestCase):
    def test_sim_on_a_server_that_listens_beyond_this_machine_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            def mutate(cfg):
                cfg["server"]["listen"] = "0.0.0.0:8080"
                cfg["server"]["public_url"] = "https://minyi.example.org"
            s = Server(d, mutate=mutate)
            i = [c["id"] for c in s.cfg["channels"]].index("sim")
            want = (f"channels[{i}]: the sim channel lets anyone write as any number: it needs "
                    "server.listen on a loopback address, not \"0.0.0.0:8080\"")
            r = run_minyi("check-config", s.config_path, env=s.env)
            self.assertEqual(r.returncode, 1)
            self.assertIn(want, r.stderr)
            r = run_minyi("serve", "--config", s.config_path, env=s.env, timeout=10)
            self.assertEqual(r.returncode, 1)
            self.assertIn(want, r.stderr)
            s.cfg["channels"] = [c for c in s.cfg["channels"] if c["adapter"] != "sim"]
            s.write_config()
            r = run_minyi("check-config", s.config_path, env=s.env)
            self.assertEqual(r.returncode, 0, r.stderr)

    def test_hotline_without_secret_or_allow_from_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            def mutate(cfg):
                for c in cfg["channels"]:
                    if c["adapter"] == "hotline":
                        del c["secret_env"]
            s = Server(d, mutate=mutate)
            i = [c["id"] for c in s.cfg["channels"]].index("hotline")
            r = run_minyi("check-config", s.config_path, env=s.env)
            self.assertEqual(r.returncode, 1)
            self.assertIn(f"channels[{i}]: a hotline needs secret_env (signed requests) or allow_from",
                          r.stderr)
            s.cfg["channels"][i]["allow_from"] = ["127.0.0.1"]
            s.write_config()
            self.assertEqual(run_minyi("check-config", s.config_path, env=s.env).returncode, 0)

    def test_non_loopback_needs_https_and_token(self):
        with tempfile.TemporaryDirectory() as d:
            def mutate(cfg):
                cfg["server"]["listen"] = "0.0.0.0:8080"
                cfg["server"]["public_url"] = "http://minyi.example.org"
            s = Server(d, mutate=mutate)
            r = run_minyi("check-config", s.config_path, env=s.env)
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
            r = run_minyi("check-config", s.config_path, env=s.env)
            self.assertEqual(r.returncode, 1)
            self.assertIn("server.tls.cert: cannot read \"/nope.pem\"", r.stderr)
            self.assertIn("server.tls.key: required key missing", r.stderr)


if __name__ == "__main__":
    unittest.main()
