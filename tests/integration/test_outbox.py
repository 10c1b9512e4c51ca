"""The outbox against a fake Twilio: delivery receipts only move a row
forward and never hold a send back, an outcome that cannot be recorded is
recorded again without a restart, failed attempts are logged, a store that
cannot be written is refused or reported by /healthz, an idle server
commits nothing, and a clean exit leaves no WAL behind."""
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse
import unittest

from harness import ServerTest, Server, BIN, ENV
from fakes import FakeTwilio, twilio_signature

TOKEN = ENV["TWILIO_AUTH_TOKEN"]
RESIDENT = "+8613800138000"


class OutboxTest(ServerTest):
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

    def signed_post(self, path, params):
        body = urllib.parse.urlencode(params)
        url = self.server.cfg["server"]["public_url"] + path
        return self.server.post(path, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilio_signature(TOKEN, url, params)})

    def sms(self, text):
        self.sid += 1
        return self.signed_post("/webhooks/sms", {
            "MessageSid": "SM%032x" % (0xa0000000 + self.sid), "AccountSid": "AC" + "0" * 32,
            "From": RESIDENT, "To": "+8610690000", "Body": text, "NumMedia": "0"})

    def receipt(self, sid, status, code=None):
        params = {"MessageSid": sid, "MessageStatus": status}
        if code:
            params["ErrorCode"] = code
        return self.signed_post("/webhooks/sms/status", params)

    def db(self):
        return self.server.db()

    def outbox(self):
        db = self.db()
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

    def wait_log(self, pattern, timeout=15):
        return self.server.wait_log(pattern, timeout)

    def metric(self, name):
        text = self.server.get("/metrics").text
        m = re.search(r"^%s (\S+)$" % re.escape(name), text, re.M)
        self.assertIsNotNone(m, text)
        return float(m.group(1))

    # --- item 4: receipts ------------------------------------------------

    def test_queued_receipts_are_answered_2xx_and_change_nothing(self):
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        sid = rows[0][4]
        for status in ("queued", "accepted", "scheduled", "sending"):
            r = self.receipt(sid, status)
            self.assertEqual(r.status, 200, "%s: %s" % (status, r.text))
        self.assertEqual(self.outbox()[0][2:], ("sent", 1, sid, None))
        r = self.receipt(sid, "delivered")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.outbox()[0][2], "delivered")

    def test_early_queued_receipt_does_not_hold_the_recipient(self):
        self.fake.delay = 1.0
        self.sms("帮助")
        self.fake.wait_for(lambda q: len(q) >= 1)
        sid = "SM%032d" % 1           # what the fake answers, after its delay
        for status in ("queued", "sending"):
            r = self.receipt(sid, status)
            self.assertEqual(r.status, 200, r.text)
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        self.assertEqual(rows[0][2:5], ("sent", 1, sid))
        self.fake.delay = 0
        self.sms("帮助")                # the resident's next message leaves
        rows = self.wait_outbox(lambda rows: len(rows) == 2 and rows[1][2] == "sent")
        self.assertEqual([x[2] for x in rows], ["sent", "sent"])
        self.assertEqual(len(self.fake.requests), 2)

    def test_sent_after_undelivered_keeps_the_error(self):
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        sid = rows[0][4]
        self.assertEqual(self.receipt(sid, "undelivered", "30003").status, 200)
        self.assertEqual(self.outbox()[0][2:], ("undelivered", 1, sid, "30003"))
        for status in ("sent", "queued"):   # late, out of order
            self.assertEqual(self.receipt(sid, status).status, 200)
            self.assertEqual(self.outbox()[0][2:], ("undelivered", 1, sid, "30003"))

    def test_restart_on_a_store_the_bug_left_holds_nothing(self):
        # What the bug left: a queued receipt kept for a send whose record
        # then failed, the row sending, the resident's next row held.
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        rid, sid = rows[0][0], rows[0][4]
        took = self.fake.accepted[0]
        self.server.stop()
        db = self.db()
        with db:
            db.execute("UPDATE outbox SET status = 'sending', provider_id = NULL,"
                       " updated_at = ? WHERE id = ?", (int(took["created"]), rid))
            db.execute("INSERT INTO receipts (channel, provider_id, status, at)"
                       " VALUES ('sms', ?, 'queued', ?)", (sid, int(time.time())))
            now = int(time.time())
            nxt = db.execute("INSERT INTO outbox (channel, address, body, status, held,"
                             " next_at, created_at, updated_at) VALUES ('sms', ?, '下一条',"
                             " 'pending', 1, ?, ?, ?) RETURNING id",
                             (RESIDENT, now, now, now)).fetchone()[0]
        db.close()
        self.server.start()
        rows = self.wait_outbox(lambda rows: len(rows) == 2 and rows[1][2] == "sent")
        self.assertEqual([x[2] for x in rows], ["sent", "sent"])
        self.assertEqual(rows[0][4], sid)               # found, not sent again
        self.assertEqual(rows[1][0], nxt)
        self.assertEqual([q.form["Body"] for q in self.fake.requests][1:], ["下一条"])
        db = self.db()
        try:
            self.assertEqual(db.execute("SELECT count(*) FROM receipts").fetchone()[0], 0)
        finally:
            db.close()

    # --- item 5 and 22: a record that cannot commit; /healthz -------------

    def test_record_that_cannot_commit_is_recorded_again_and_healthz_says_so(self):
        if self.server.backend != "sqlite":
            self.skipTest("SQLite's write lock held past its busy timeout fails a commit;"
                          " PostgreSQL's locks are on rows and tables and wait")
        self.assertEqual(self.server.get("/healthz").status, 200)
        self.fake.delay = 1.0
        self.sms("帮助")
        self.fake.wait_for(lambda q: len(q) >= 1)
        # Another process holds the store's write lock past minyi's busy
        # timeout (5 s), as a disk full for a moment would fail a commit.
        db = sqlite3.connect(self.server.cfg["store"]["path"], timeout=10,
                             isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        try:
            self.assertTrue(self.wait_log(r"warn [0-9a-f]{16} outbox record failed try=1;"
                                          r" recorded again in 1s", timeout=15),
                            self.server.log[-20:])
            h = self.server.get("/healthz")
            self.assertEqual(h.status, 503, h.text)
            self.assertEqual(h.json()["status"], "failing")
            self.assertIn("database is locked", h.json()["reason"])
            self.assertEqual(self.metric("minyi_writer_failing"), 1)
            self.assertEqual(self.outbox()[0][2], "sending")
        finally:
            db.execute("ROLLBACK")
            db.close()
        # no restart: the row is recorded, and the resident's next goes
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent", timeout=15)
        self.assertEqual(rows[0][2:5], ("sent", 1, "SM%032d" % 1))
        self.fake.delay = 0
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: len(rows) == 2 and rows[1][2] == "sent")
        self.assertEqual([x[2] for x in rows], ["sent", "sent"])
        self.assertEqual(len(self.fake.requests), 2)
        end = time.time() + 5
        while self.server.get("/healthz").status != 200 and time.time() < end:
            time.sleep(0.1)
        self.assertEqual(self.server.get("/healthz").json(), {"status": "ok"})
        self.assertEqual(self.metric("minyi_writer_failing"), 0)

    # --- item 22: quiet failures ----------------------------------------

    def test_every_failed_attempt_is_logged(self):
        self.fake.script = [(503, {"code": 20500, "message": "down"})] * 2
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        self.assertEqual(rows[0][3], 3)
        rid = "%016x" % rows[0][0]
        lines = [x for x in self.server.log if " outbox attempt failed " in x]
        self.assertEqual(len(lines), 2, lines)
        for n, line in enumerate(lines, 1):
            self.assertTrue(line.startswith("warn %s outbox attempt failed channel=sms"
                                            " to=+86138****8000 attempt=%d/5 error=\"" % (rid, n)),
                            line)
            self.assertIn("20500", line)

    def test_idle_server_commits_nothing(self):
        time.sleep(0.5)
        before = self.metric("minyi_writer_commits_total")
        time.sleep(3)
        self.assertEqual(self.metric("minyi_writer_commits_total"), before)
        # and it still works: a message is stored and answered
        self.sms("帮助")
        rows = self.wait_outbox(lambda rows: rows and rows[0][2] == "sent")
        self.assertEqual(rows[0][2], "sent")
        self.assertGreater(self.metric("minyi_writer_commits_total"), before)

    def test_clean_exit_leaves_no_wal(self):
        if self.server.backend != "sqlite":
            self.skipTest("SQLite's WAL file")
        self.sms("刘辛店村村口路灯不亮")
        self.wait_outbox(lambda rows: len(rows) == 2 and all(x[2] == "sent" for x in rows))
        wal = self.server.cfg["store"]["path"] + "-wal"
        self.assertGreater(os.path.getsize(wal), 0)
        self.assertEqual(self.server.stop(), 0)
        self.assertTrue(not os.path.exists(wal) or os.path.getsize(wal) == 0,
                        os.path.getsize(wal))
        self.server.start()               # and the store is whole
        self.assertEqual(len(self.server.admin("/api/cases").json()["cases"]), 1)


class ReadOnlyStoreTest(unittest.TestCase):
    """A store the server cannot write is refused at start, naming it."""

    def test_read_only_store_is_refused(self):
        with tempfile.TemporaryDirectory(prefix="minyi-test-") as tmp:
            os.chmod(tmp, 0o777)
            server = Server(tmp)
            if server.backend != "sqlite":
                self.skipTest("a read-only SQLite file")
            server.start()                # creates and migrates the store
            self.assertEqual(server.stop(), 0)
            path = server.cfg["store"]["path"]
            for p in (path, server.config_path):
                os.chmod(p, 0o444)
            cmd = [BIN, "serve", "--config", server.config_path]
            if os.geteuid() == 0:         # root writes any file: run as nobody
                if shutil.which("setpriv") is None:
                    self.skipTest("root without setpriv")
                cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                       *cmd]
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=10,
                                   env=server.env, cwd=tmp)
            except subprocess.TimeoutExpired as e:
                self.fail("served a read-only store: %s" % (e.stderr,))
            self.assertNotEqual(p.returncode, 0, p.stderr)
            self.assertNotIn("serving", p.stderr)
            self.assertIn("fatal store: cannot open %s: %s: the file is read-only"
                          % (path, path), p.stderr)


if __name__ == "__main__":
    unittest.main()
