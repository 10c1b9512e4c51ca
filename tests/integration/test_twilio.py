"""Real SMS: Twilio-style webhooks in, the REST API out, against a fake."""
import base64
import hashlib
import hmac
import json
import os
import re
import time
import urllib.parse
import unittest

from harness import ServerTest, ENV
from fakes import FakeTwilio, twilio_signature

TOKEN = ENV["TWILIO_AUTH_TOKEN"]
RESIDENT = "+8613800138000"
DEPUTY_NIU = "+8613900139000"
# Twilio's full parameter set for an incoming SMS (its webhook-request doc)
FULL = {"ToCountry": "CN", "ToState": "", "NumMedia": "0", "ToCity": "", "FromZip": "",
        "FromState": "", "SmsStatus": "received", "FromCity": "", "FromCountry": "CN",
        "To": "+8610690000", "ToZip": "", "NumSegments": "1",
        "AccountSid": "AC" + "0" * 32, "ApiVersion": "2010-04-01"}


def sdk_signature(token, url, pairs):
    """As the SDKs sign (twilio-python RequestValidator.compute_signature
    with a MultiDict): names sorted, each distinct value of a name once,
    sorted."""
    names = sorted({k for k, _ in pairs})
    s = url + "".join(k + v for k in names for v in sorted({v for n, v in pairs if n == k}))
    return base64.b64encode(hmac.new(token.encode(), s.encode("utf-8"), hashlib.sha1).digest()).decode()


def sid(n):
    return "SM%032x" % n


class TwilioTest(ServerTest):
    def setUp(self):
        self.fake = FakeTwilio()
        fake_url = self.fake.url

        def mutate(cfg):
            for ch in cfg["channels"]:
                if ch["id"] == "sms":
                    ch["api_base"] = fake_url
                    ch["retry_base_seconds"] = 0
                    ch["max_attempts"] = 5
                    ch["lookup_grace_seconds"] = 0
        type(self).mutate = staticmethod(mutate)
        super().setUp()
        self.sid = 0

    def tearDown(self):
        super().tearDown()
        self.fake.close()

    def signed_post(self, path, params, sign=True, token=TOKEN, url_override=None):
        body = urllib.parse.urlencode(params)
        url = url_override or (self.server.cfg["server"]["public_url"] + path)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if sign:
            headers["X-Twilio-Signature"] = twilio_signature(token, url, params)
        return self.server.post(path, body, headers)

    def sms(self, text, frm=RESIDENT, sid=None):
        if sid is None:
            self.sid += 1
            sid = "SM%032x" % (0xa000 + self.sid)
        params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": frm,
                  "To": "+8610690000", "Body": text, "NumMedia": "0",
                  "FromCity": "PUYANG"}
        return self.signed_post("/webhooks/sms", params)

    def outbox(self):
        db = self.server.db()
        try:
            return db.execute("SELECT id, address, status, attempts, provider_id, error"
                              " FROM outbox ORDER BY id").fetchall()
        finally:
            db.close()

    def wait_outbox(self, pred, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            rows = self.outbox()
            if pred(rows):
                return rows
            time.sleep(0.05)
        return self.outbox()

    def test_resident_sms_makes_case_and_deputy_alert_leaves_by_sms(self):
        r = self.sms("刘辛店村村口路灯不亮")
        self.assertEqual(r.status, 200, r.text)
        self.assertIn("<Response/>", r.text)
        self.assertTrue(r.headers["Content-Type"].startswith("text/xml"))
        reqs = self.fake.wait_for(lambda q: len(q) >= 2)
        self.assertEqual(len(reqs), 2)
        by_to = {q.form["To"]: q for q in reqs}
        self.assertIn(RESIDENT, by_to)
        self.assertIn(DEPUTY_NIU, by_to)
        alert = by_to[DEPUTY_NIU]
        self.assertTrue(alert.path.endswith("/2010-04-01/Accounts/AC%s/Messages.json" % ("0" * 32))
                        or "/Messages.json" in alert.path, alert.path)
        self.assertIn("接单", alert.form["Body"])
        self.assertEqual(alert.form["From"], "+8610690000")
        self.assertTrue(alert.form["StatusCallback"].endswith("/webhooks/sms/status"))
        self.assertTrue(alert.headers.get("Authorization", "").startswith("Basic "))
        rows = self.wait_outbox(lambda rows: all(x[2] == "sent" for x in rows))
        self.assertTrue(all(x[2] == "sent" and x[4] for x in rows), rows)
        c = self.server.admin("/api/cases").json()["cases"][0]
        self.assertEqual((c["channel"], c["citizen"], c["grid"]), ("sms", RESIDENT, "liuxindian"))

    def test_bad_signatures_are_403_and_store_nothing(self):
        params = {"MessageSid": sid(1), "From": RESIDENT, "To": "+8610690000",
                  "Body": "刘辛店村村口路灯不亮"}
        self.assertEqual(self.signed_post("/webhooks/sms", params, sign=False).status, 403)
        self.assertEqual(self.signed_post("/webhooks/sms", params, token="wrong").status, 403)
        body = urllib.parse.urlencode(dict(params, Body="tampered"))
        sig = twilio_signature(TOKEN, self.server.cfg["server"]["public_url"] + "/webhooks/sms", params)
        r = self.server.post("/webhooks/sms", body, {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.admin("/api/cases").json()["cases"], [])
        self.assertEqual(self.outbox(), [])

    def test_default_port_in_signed_url_is_accepted(self):
        params = {"MessageSid": sid(2), "From": RESIDENT, "To": "+8610690000",
                  "Body": "刘辛店村村口路灯不亮"}
        url = self.server.cfg["server"]["public_url"].replace("http://127.0.0.1", "http://127.0.0.1:80")
        r = self.signed_post("/webhooks/sms", params, url_override=url + "/webhooks/sms")
        self.assertEqual(r.status, 200, r.text)

    # --- issue 12: what Twilio signs and sends, as its SDKs validate it ---

    def stored(self, msid, db=None):
        """The stored rows of provider id msid, through db (kept open by a
        caller that asks many times) or a connection of its own."""
        own = db is None
        db = self.server.db() if own else db
        try:
            return db.execute("SELECT body, params FROM messages WHERE provider_id = ?",
                              (msid,)).fetchall()
        finally:
            db.rollback()
            if own:
                db.close()

    def post_pairs(self, path, pairs, sign_pairs=None, url=None, query=""):
        """A form body of (name, value) pairs, repeats kept, signed as the
        SDKs sign over url (default: public_url + path + query)."""
        body = urllib.parse.urlencode(pairs)
        if url is None:
            url = self.server.cfg["server"]["public_url"] + path + query
        sig = sdk_signature(TOKEN, url, pairs if sign_pairs is None else sign_pairs)
        return self.server.post(path + query, body, {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})

    def test_multibyte_character_at_every_piece_boundary(self):
        # libmicrohttpd hands a value over about every 512 bytes of the
        # encoded body: N ASCII bytes then a 2-, 3- or 4-byte character,
        # for every N that puts each of its bytes on either side of a cut
        n = 0
        db = self.server.db()
        self.addCleanup(db.close)
        for ch in ("é", "路", "😀"):
            for count in list(range(488, 530)) + list(range(1000, 1042)):
                n += 1
                text = "a" * count + ch + "b"
                params = dict(FULL, MessageSid=sid(0x10000 + n), SmsSid=sid(0x10000 + n),
                              SmsMessageSid=sid(0x10000 + n), From="+86138%08d" % n, Body=text)
                r = self.post_pairs("/webhooks/sms", list(params.items()))
                self.assertEqual(r.status, 200, "%d bytes then %s: %s" % (count, ch, r.text))
                self.assertEqual(self.stored(sid(0x10000 + n), db)[0][0], text)

    def test_chinese_sms_of_every_length_is_accepted_as_sent(self):
        sample = ("濮城镇刘辛店村村口的路灯已经坏了一个多星期了，晚上老人孩子走路看不见，"
                  "前天还有人骑电动车摔倒了，麻烦尽快派人来修一下，谢谢！我们村委会也反映过好几次")
        db = self.server.db()
        self.addCleanup(db.close)
        for n in range(20, 71):
            text = sample[:n]
            params = dict(FULL, MessageSid=sid(0x20000 + n), SmsSid=sid(0x20000 + n),
                          SmsMessageSid=sid(0x20000 + n), From="+86139%08d" % n, Body=text)
            r = self.post_pairs("/webhooks/sms", list(params.items()))
            self.assertEqual(r.status, 200, "%d characters: %s" % (n, r.text))
            self.assertEqual(self.stored(sid(0x20000 + n), db)[0][0], text)

    def test_repeated_fields_are_kept_and_signed_as_the_sdks_do(self):
        pairs = [("MessageSid", sid(0x30001)), ("From", RESIDENT), ("To", "+8610690000"),
                 ("Body", "刘辛店村村口路灯不亮"),
                 ("MessagingBinding.Address", "+1415xxxxxxx"),
                 ("MessagingBinding.Address", "+1325xxxxxxx"),
                 ("MessagingBinding.Address", "+1415xxxxxxx")]
        r = self.post_pairs("/webhooks/sms", pairs)
        self.assertEqual(r.status, 200, r.text)
        (body, params), = self.stored(sid(0x30001))
        self.assertEqual(json.loads(params)["MessagingBinding.Address"],
                         ["+1415xxxxxxx", "+1325xxxxxxx", "+1415xxxxxxx"])
        # signed with the last value only, as minyi used to check it
        pairs[0] = ("MessageSid", sid(0x30002))
        r = self.post_pairs("/webhooks/sms", pairs, sign_pairs=pairs[:4] + pairs[-1:])
        self.assertEqual(r.status, 403, r.text)
        # a field minyi reads, twice: which one was meant cannot be told
        pairs = [("MessageSid", sid(0x30003)), ("From", RESIDENT), ("Body", "路灯不亮"),
                 ("Body", "停水了")]
        r = self.post_pairs("/webhooks/sms", pairs)
        self.assertEqual((r.status, r.json()["error"]), (400, "Body is given 2 times"))
        self.assertEqual(self.stored(sid(0x30003)), [])

    def restart_with_public_url(self, url):
        self.server.stop()
        self.server.cfg["server"]["public_url"] = url
        self.server.write_config()
        self.server.start()

    def test_url_variants_the_sdks_accept(self):
        params = [("MessageSid", None), ("From", RESIDENT), ("To", "+8610690000"),
                  ("Body", "刘辛店村村口路灯不亮")]

        def pairs(n):
            return [("MessageSid", sid(0x40000 + n))] + params[1:]
        # user-info, signed over the default port
        self.restart_with_public_url("https://user:pass@minyi.example.org")
        r = self.post_pairs("/webhooks/sms", pairs(1),
                            url="https://user:pass@minyi.example.org:443/webhooks/sms")
        self.assertEqual(r.status, 200, r.text)
        r = self.post_pairs("/webhooks/sms", pairs(2),
                            url="https://user:other@minyi.example.org:443/webhooks/sms")
        self.assertEqual(r.status, 403, r.text)
        # an explicit port, signed without it (twilio-node strips it)
        self.restart_with_public_url("https://minyi.example.org:8443")
        r = self.post_pairs("/webhooks/sms", pairs(3), url="https://minyi.example.org/webhooks/sms")
        self.assertEqual(r.status, 200, r.text)
        # the request line's query in its percent-encoded form
        r = self.post_pairs("/webhooks/sms", pairs(4), query="?note=It's+ok",
                            url="https://minyi.example.org/webhooks/sms?note=It%27s+ok")
        self.assertEqual(r.status, 200, r.text)
        r = self.post_pairs("/webhooks/sms", pairs(5), query="?note=It's+ok",
                            url="https://minyi.example.org/webhooks/sms?note=It%27s+ko")
        self.assertEqual(r.status, 403, r.text)
        self.assertEqual([len(self.stored(sid(0x40000 + n))) for n in range(1, 6)],
                         [1, 0, 1, 1, 0])

    def test_body_sha256_in_the_url_must_be_the_body_s(self):
        pairs = [("MessageSid", sid(0x50001)), ("From", RESIDENT), ("To", "+8610690000"),
                 ("Body", "刘辛店村村口路灯不亮")]
        body = urllib.parse.urlencode(pairs)
        query = "?bodySHA256=" + hashlib.sha256(body.encode()).hexdigest()
        url = self.server.cfg["server"]["public_url"] + "/webhooks/sms" + query
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": sdk_signature(TOKEN, url, [])}   # the URL alone
        r = self.server.post("/webhooks/sms" + query, body, headers)
        self.assertEqual(r.status, 200, r.text)
        # the same URL and signature, another body
        other = body.replace(sid(0x50001), sid(0x50002))
        r = self.server.post("/webhooks/sms" + query, other, headers)
        self.assertEqual(r.status, 403, r.text)
        self.assertEqual((len(self.stored(sid(0x50001))), self.stored(sid(0x50002))), (1, []))

    def test_replay_with_a_moved_name_value_boundary_is_refused(self):
        msid = sid(0x60001)
        params = {"MessageSid": msid, "From": RESIDENT, "To": "+8610690000",
                  "Body": "刘辛店村村口路灯不亮"}
        self.assertEqual(self.post_pairs("/webhooks/sms", list(params.items())).status, 200)
        # the same signed bytes: "MessageSid" + sid + "To" + to
        moved = [("MessageSid", msid + "To+8610690000"), ("From", RESIDENT),
                 ("Body", "刘辛店村村口路灯不亮")]
        sig = sdk_signature(TOKEN, self.server.cfg["server"]["public_url"] + "/webhooks/sms",
                            list(params.items()))
        self.assertEqual(sig, sdk_signature(TOKEN, self.server.cfg["server"]["public_url"]
                                            + "/webhooks/sms", moved))
        r = self.server.post("/webhooks/sms", urllib.parse.urlencode(moved), {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
        self.assertEqual((r.status, r.json()["error"]),
                         (400, "MessageSid: expected two letters and 32 hex digits"))
        self.assertEqual(len(self.server.admin("/api/cases").json()["cases"]), 1)
        self.assertEqual(self.stored(msid + "To+8610690000"), [])

    def test_replayed_webhook_changes_nothing(self):
        self.assertEqual(self.sms("刘辛店村村口路灯不亮", sid=sid(3)).status, 200)
        self.fake.wait_for(lambda q: len(q) >= 2)
        self.assertEqual(self.sms("刘辛店村村口路灯不亮", sid=sid(3)).status, 200)
        time.sleep(0.5)
        self.assertEqual(len(self.server.admin("/api/cases").json()["cases"]), 1)
        self.assertEqual(len(self.fake.requests), 2)

    def test_503_three_times_then_delivered_once(self):
        self.fake.script = [(503, {"code": 20500, "message": "down"})] * 3
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        self.assertEqual(rows[0][2], "sent")
        self.assertEqual(rows[0][3], 4)       # attempts
        ok = [q for q in self.fake.requests]
        self.assertEqual(len(ok), 4)          # three refusals, one success
        time.sleep(0.3)
        self.assertEqual(len(self.fake.requests), 4)

    def test_permanent_refusal_is_not_retried(self):
        self.fake.script = [(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})]
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "failed")
        self.assertEqual(rows[0][2], "failed")
        self.assertIn("21211", rows[0][5])
        time.sleep(0.5)
        self.assertEqual(len(self.fake.requests), 1)
        # the row's id leads every line about it, the number masked
        self.server.stop()
        rid = "%016x" % rows[0][0]
        lines = [x for x in self.server.log if re.search(r"\b%s\b" % rid, x)]
        self.assertEqual([x.split(" ")[1] for x in lines], [rid] * len(lines), lines)
        self.assertIn("warn %s outbox failed channel=sms to=+86138****8000 attempts=1 error="
                      "\"code 21211: Invalid 'To' Phone Number\"" % rid, lines)

    def test_out_of_attempts_goes_dead_with_case_event(self):
        self.fake.script = [(503, {"code": 1, "message": "down"})] * 20
        self.sms("刘辛店村村口路灯不亮")
        rows = self.wait_outbox(lambda rows: len(rows) == 2 and all(x[2] == "dead" for x in rows))
        self.assertEqual([x[2] for x in rows], ["dead", "dead"])
        self.assertEqual([x[3] for x in rows], [5, 5])
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        kinds = [e["kind"] for e in self.server.admin(f"/api/cases/{n}").json()["events"]]
        self.assertEqual(kinds.count("message_dead"), 2)

    def test_pending_messages_survive_a_kill(self):
        port = self.fake.port
        self.server.stop()
        for ch in self.server.cfg["channels"]:
            if ch["id"] == "sms":
                ch["retry_base_seconds"] = 4
        self.server.write_config()
        self.server.start()
        self.fake.close()                 # provider unreachable: calls fail, rows wait
        self.sms("刘辛店村村口路灯不亮")
        time.sleep(0.5)
        self.server.kill()                # kill -9
        self.fake = FakeTwilio(port)
        self.server.start()
        reqs = self.fake.wait_for(lambda q: len(q) >= 2, timeout=15)
        self.assertEqual(sorted(q.form["To"] for q in reqs), sorted([RESIDENT, DEPUTY_NIU]))
        rows = self.wait_outbox(lambda rows: all(x[2] == "sent" for x in rows))
        self.assertEqual([x[2] for x in rows], ["sent", "sent"])

    # --- a crash between the provider's 201 and our commit ----------------

    def row(self, rid):
        db = self.server.db()
        try:
            return db.execute("SELECT status, attempts, provider_id, body FROM outbox"
                              " WHERE id = ?", (rid,)).fetchone()
        finally:
            db.close()

    def crash_state(self, sql, *params):
        """Stop the server and change the store as a kill -9 would have
        left it; the first column of the statement's row (RETURNING), if
        any."""
        self.server.stop()
        db = self.server.db()
        try:
            cur = db.execute(sql, params)
            row = cur.fetchone() if cur.description else None
            db.commit()
            return row[0] if row else None
        finally:
            db.close()

    def insert_row(self, db_status, body, attempts, at):
        return self.crash_state(
            "INSERT INTO outbox (channel, address, body, status, attempts, next_at,"
            " created_at, updated_at) VALUES ('sms', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            RESIDENT, body, db_status, attempts, at, at, at)

    def test_row_left_sending_that_the_provider_took_is_not_sent_again(self):
        # 帮助 twice: the same text goes to the resident twice in a row
        self.sms("帮助")
        self.wait_outbox(lambda rows: len(rows) == 1 and rows[0][2] == "sent")
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: len(rows) == 2 and rows[1][2] == "sent")
        self.assertEqual([x[2] for x in rows], ["sent", "sent"])
        first, second = rows[0][0], rows[1][0]
        self.assertEqual(self.row(first)[3], self.row(second)[3])
        took = self.fake.accepted[1]
        self.assertEqual(took["sid"], rows[1][4])
        # the provider took the second; the kill came before "sent" committed
        self.crash_state("UPDATE outbox SET status = 'sending', provider_id = NULL,"
                         " updated_at = ? WHERE id = ?", int(took["created"]), second)
        self.server.start()
        rows = self.wait_outbox(lambda rows: rows[1][2] == "sent")
        self.assertEqual(self.row(second)[:3], ("sent", 1, took["sid"]))
        self.assertEqual(len(self.fake.lookups()), 1)
        q = self.fake.lookups()[0]
        self.assertEqual((q["To"], q["From"], q["PageSize"]), (RESIDENT, "+8610690000", "50"))
        self.assertIn("DateSent>", q)
        time.sleep(0.5)
        self.assertEqual(len(self.fake.requests), 2)      # not sent again
        self.assertTrue(any("outbox recovery done channel=sms found=1 resent=0" in x
                            for x in self.server.log), self.server.log[-20:])
        self.assertIn("debug %016x outbox lookup channel=sms found provider_id=%s"
                      % (second, took["sid"]), self.server.log)

    def test_row_left_sending_that_the_provider_never_got_is_sent_once(self):
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: len(rows) == 1 and rows[0][2] == "sent")
        text = self.row(rows[0][0])[3]
        # claimed (one attempt), killed before its call left: the same text
        # as the one the provider has, which is an earlier row's
        rid = self.insert_row("sending", text, 1, int(time.time()))
        self.server.start()
        self.wait_outbox(lambda rows: len(rows) == 2 and rows[1][2] == "sent")
        status, attempts, sid, _ = self.row(rid)
        self.assertEqual((status, attempts), ("sent", 1))   # the lost attempt not counted
        reqs = self.fake.wait_for(lambda q: len(q) >= 2)
        self.assertEqual(len(reqs), 2)
        self.assertEqual((reqs[1].form["To"], reqs[1].form["Body"]), (RESIDENT, text))
        self.assertEqual(sid, self.fake.accepted[1]["sid"])
        time.sleep(0.5)
        self.assertEqual(len(self.fake.requests), 2)
        self.assertTrue(any("outbox recovery done channel=sms found=0 resent=1" in x
                            for x in self.server.log), self.server.log[-20:])

    def test_row_left_sending_waits_while_the_provider_cannot_tell(self):
        self.fake.list_failing = (503, {"code": 20500, "message": "Service Unavailable"})
        now = int(time.time())
        a = self.insert_row("sending", "第一条", 1, now)
        b = self.insert_row("pending", "第二条", 0, now)   # the resident's next
        self.server.start()
        end = time.time() + 10
        while len(self.fake.gets) < 2 and time.time() < end:
            time.sleep(0.05)
        self.assertGreaterEqual(len(self.fake.gets), 2)     # asked again
        self.assertEqual(self.row(a)[0], "sending")
        self.assertEqual(self.row(b)[0], "pending")         # waits behind it
        self.assertEqual(self.fake.requests, [])
        self.fake.list_failing = None
        self.wait_outbox(lambda rows: all(x[2] == "sent" for x in rows))
        self.assertEqual((self.row(a)[:2], self.row(b)[:2]), (("sent", 1), ("sent", 1)))
        reqs = self.fake.wait_for(lambda q: len(q) >= 2)
        self.assertEqual([q.form["Body"] for q in reqs], ["第一条", "第二条"])
        time.sleep(0.5)
        self.assertEqual(len(self.fake.requests), 2)

    def test_receipts_update_status_early_ones_too(self):
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        sid = rows[0][4]
        r = self.signed_post("/webhooks/sms/status", {"MessageSid": sid, "MessageStatus": "delivered"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.outbox()[0][2], "delivered")
        # a receipt that arrives before the send's own answer
        self.fake.delay = 1.0
        self.sms("帮助")
        self.fake.wait_for(lambda q: len(q) >= 2)
        early_sid = "SM%032d" % 2
        r = self.signed_post("/webhooks/sms/status", {"MessageSid": early_sid,
                             "MessageStatus": "undelivered", "ErrorCode": "30003"})
        self.assertEqual(r.status, 200, r.text)
        rows = self.wait_outbox(lambda rows: len(rows) == 2 and rows[1][2] == "undelivered")
        self.assertEqual(rows[1][2], "undelivered")
        self.assertEqual(rows[1][4], early_sid)
        unsigned = self.signed_post("/webhooks/sms/status", {"MessageSid": sid,
                                    "MessageStatus": "failed"}, sign=False)
        self.assertEqual(unsigned.status, 403)


if __name__ == "__main__":
    unittest.main()
