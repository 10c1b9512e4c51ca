"""Real SMS: Twilio-style webhooks in, the REST API out, against a fake."""
import os
import re
import sqlite3
import time
import urllib.parse
import unittest

from harness import ServerTest, ENV
from fakes import FakeTwilio, twilio_signature

TOKEN = ENV["TWILIO_AUTH_TOKEN"]
RESIDENT = "+8613800138000"
DEPUTY_NIU = "+8613900139000"


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
            sid = "SMin%030d" % self.sid
        params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": frm,
                  "To": "+8610690000", "Body": text, "NumMedia": "0",
                  "FromCity": "PUYANG"}
        return self.signed_post("/webhooks/sms", params)

    def outbox(self):
        db = sqlite3.connect(self.server.cfg["store"]["path"], timeout=5)
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
        params = {"MessageSid": "SMx", "From": RESIDENT, "To": "+8610690000",
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
        params = {"MessageSid": "SMport", "From": RESIDENT, "To": "+8610690000",
                  "Body": "刘辛店村村口路灯不亮"}
        url = self.server.cfg["server"]["public_url"].replace("http://127.0.0.1", "http://127.0.0.1:80")
        r = self.signed_post("/webhooks/sms", params, url_override=url + "/webhooks/sms")
        self.assertEqual(r.status, 200, r.text)

    def test_replayed_webhook_changes_nothing(self):
        self.assertEqual(self.sms("刘辛店村村口路灯不亮", sid="SMsame").status, 200)
        self.fake.wait_for(lambda q: len(q) >= 2)
        self.assertEqual(self.sms("刘辛店村村口路灯不亮", sid="SMsame").status, 200)
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
        db = sqlite3.connect(self.server.cfg["store"]["path"], timeout=5)
        try:
            return db.execute("SELECT status, attempts, provider_id, body FROM outbox"
                              " WHERE id = ?", (rid,)).fetchone()
        finally:
            db.close()

    def crash_state(self, sql, *params):
        """Stop the server, change the store as a kill -9 would have left
        it, and start again on it."""
        self.server.stop()
        db = sqlite3.connect(self.server.cfg["store"]["path"], timeout=5)
        try:
            with db:
                cur = db.execute(sql, params)
            return cur.lastrowid
        finally:
            db.close()

    def insert_row(self, db_status, body, attempts, at):
        return self.crash_state(
            "INSERT INTO outbox (channel, address, body, status, attempts, next_at,"
            " created_at, updated_at) VALUES ('sms', ?, ?, ?, ?, ?, ?, ?)",
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
