"""Two `minyi serve` nodes on one PostgreSQL database (the suites'
PostgreSQL run, tests/run.py --postgresql): a webhook posted to both is
stored once; every outbox row reaches the provider once and each
recipient's in order; one scheduler acts per tick; a group robot's limit
holds across both; and the rows a killed node left sending are taken over
by the other, each still reaching the provider once.  On SQLite (one node
to a store) the file is skipped."""
import json
import threading
import time
import unittest

from harness import PG_ADMIN, Server, http
from fakes import FakeProvider, FakeTwilio

import tempfile


class FakeRobot(FakeProvider):
    def default_answer(self, rec, k):
        return 200, {"errcode": 0, "errmsg": "ok"}


@unittest.skipUnless(PG_ADMIN, "two nodes share a PostgreSQL store (tests/run.py"
                     " --postgresql)")
class TwoNodeTest(unittest.TestCase):
    timeout = 3     # server.node_timeout_seconds

    def setUp(self):
        self.twilio = FakeTwilio()
        self.robot = FakeRobot()
        self.dirs = [tempfile.TemporaryDirectory(prefix="minyi-node-") for _ in range(2)]
        twilio, robot = self.twilio.url, self.robot.url

        def mutate_for(node):
            def mutate(cfg):
                cfg["server"]["node_id"] = node
                cfg["server"]["node_timeout_seconds"] = self.timeout
                for g in cfg["grids"]:
                    for grp in g.get("groups", []):
                        grp["webhook_url"] = robot + "/cgi-bin/webhook/send?key=KEY"
                for ch in cfg["channels"]:
                    if ch["id"] == "sms":
                        ch["api_base"] = twilio
                        ch["retry_base_seconds"] = 0
                        ch["lookup_grace_seconds"] = 0
                    if ch["id"] == "groups":
                        ch["robot_window_seconds"] = 4
            return mutate
        self.a = Server(self.dirs[0].name, mutate=mutate_for("node-a"))
        self.b = Server(self.dirs[1].name, mutate=mutate_for("node-b"), share=self.a)
        self.a.start()
        self.b.start()

    def tearDown(self):
        for s in (self.a, self.b):
            if s.proc is not None:
                s.stop()
        self.twilio.close()
        self.robot.close()
        for d in self.dirs:
            d.cleanup()

    def sql(self, query, params=()):
        db = self.a.db()
        try:
            rows = db.execute(query, params).fetchall()
            db.commit()
            return rows
        finally:
            db.close()

    def wait(self, pred, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if pred():
                return True
            time.sleep(0.1)
        return pred()

    def test_two_nodes_starting_together_migrate_once(self):
        d = [tempfile.TemporaryDirectory(prefix="minyi-node-") for _ in range(2)]
        try:
            def mutate_for(node):
                def mutate(cfg):
                    cfg["server"]["node_id"] = node
                return mutate
            # a new, empty database: not a copy of the migrated template
            import types
            import pgcluster
            conninfo, name = pgcluster.new_database(PG_ADMIN)
            where = types.SimpleNamespace(conninfo=conninfo, dbname=name)
            x = Server(d[0].name, mutate=mutate_for("node-x"), share=where)
            y = Server(d[1].name, mutate=mutate_for("node-y"), share=where)
            ts = [threading.Thread(target=s.start) for s in (x, y)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            try:
                migrated = [line for s in (x, y) for line in s.log
                            if "store migrated" in line]
                # each version once, by one node or the other
                self.assertEqual(sorted(migrated), ["info store migrated version=16"
                                                    " backend=postgresql",
                                                    "info store migrated version=17"
                                                    " backend=postgresql"], migrated)
                self.assertEqual(x.admin("/api/cases").status, 200)
                self.assertEqual(y.admin("/api/cases").status, 200)
            finally:
                for s in (x, y):
                    s.stop()
        finally:
            for t in d:
                t.cleanup()

    def test_the_database_restarting_loses_no_acknowledged_message(self):
        # a cluster of this test's own: restarting the suites' one would
        # cut the other tests' connections
        import types
        import pgcluster
        cluster = pgcluster.PgCluster(durable=False).start()
        d = [tempfile.TemporaryDirectory(prefix="minyi-node-") for _ in range(2)]
        conninfo, name = pgcluster.new_database(cluster.admin())
        where = types.SimpleNamespace(conninfo=conninfo, dbname=name)

        def mutate_for(node):
            def mutate(cfg):
                cfg["server"]["node_id"] = node
            return mutate
        x = Server(d[0].name, mutate=mutate_for("node-x"), share=where)
        y = Server(d[1].name, mutate=mutate_for("node-y"), share=where)
        try:
            x.start()
            y.start()
            acked = []
            for i in range(3):
                body = json.dumps({"from": "1380013900%d" % i, "text": "王楼村停水了",
                                   "id": "before-%d" % i}, ensure_ascii=False).encode()
                self.assertEqual(x.post("/webhooks/sim", body).status, 200)
                acked.append("before-%d" % i)
            pgcluster.restart(cluster.dir)
            # the nodes reconnect by themselves; a webhook the store could
            # not take meanwhile gets a 5xx (providers retry), never a 2xx
            for i in range(6):
                sid = "after-%d" % i
                body = json.dumps({"from": "1380013910%d" % i, "text": "王楼村停水了",
                                   "id": sid}, ensure_ascii=False).encode()
                node = (x, y)[i % 2]
                end = time.time() + 20
                while time.time() < end:
                    st = node.post("/webhooks/sim", body).status
                    if st == 200:
                        acked.append(sid)
                        break
                    self.assertGreaterEqual(st, 500)
                    time.sleep(0.2)
            self.assertEqual(len(acked), 9)
            db = x.db()
            ids = sorted(r[0] for r in db.execute(
                "SELECT provider_id FROM messages").fetchall())
            db.close()
            self.assertEqual(ids, sorted(acked))
            self.assertTrue(any("store reconnected to PostgreSQL" in line
                                for line in x.log + y.log))
            self.assertTrue(self.wait(lambda: x.get("/healthz").status == 200))
        finally:
            for srv in (x, y):
                if srv.proc is not None:
                    srv.stop()
            cluster.stop()
            for t in d:
                t.cleanup()

    def test_the_same_webhook_posted_to_both_is_stored_once(self):
        body = json.dumps({"from": "13800138000", "text": "王楼村这两天停水了",
                           "id": "dup-1"}, ensure_ascii=False).encode()
        answers = []

        def post(node):
            answers.append(http("POST", node.url("/webhooks/sim"), body).status)
        threads = [threading.Thread(target=post, args=(n,)) for n in (self.a, self.b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(answers, [200, 200])
        self.assertEqual(self.sql("SELECT count(*) FROM messages WHERE provider_id = ?",
                                  ("dup-1",)), [(1,)])
        self.assertEqual(self.sql("SELECT count(*) FROM cases"), [(1,)])
        self.assertEqual(self.sql("SELECT count(*) FROM outbox WHERE address = ?",
                                  ("+8613800138000",)), [(1,)])

    def test_each_row_is_sent_once_and_each_recipient_in_order(self):
        self.twilio.delay = 0.005       # calls overlap, claims interleave
        now = int(time.time())
        rows = [("sms", "+861380013%04d" % (i % 10), "msg %03d" % i, now)
                for i in range(300)]
        db = self.a.db()
        for r in rows:
            db.execute("INSERT INTO outbox(channel, address, body, kind, status,"
                       " next_at, created_at, updated_at)"
                       " VALUES (?, ?, ?, 'reply', 'pending', 0, ?, ?)", r + (now,))
        db.commit()
        db.close()
        self.a.post("/webhooks/sim", "{}")      # a nudge; both also look every 200 ms
        self.assertTrue(self.wait(lambda: self.sql(
            "SELECT count(*) FROM outbox WHERE status <> 'sent'") == [(0,)], 60),
            self.sql("SELECT status, count(*) FROM outbox GROUP BY status"))
        sent = self.twilio.messages()
        bodies = [m["Body"] for m in sent]
        self.assertEqual(len(bodies), 300)
        self.assertEqual(sorted(bodies), sorted(r[2] for r in rows))   # each once
        for k in range(10):
            to = "+861380013%04d" % k
            got = [m["Body"] for m in sent if m["To"] == to]
            self.assertEqual(got, sorted(got), to)     # in the order written
        # both nodes sent some
        nodes = dict(self.sql("SELECT node, count(*) FROM outbox GROUP BY node"))
        self.assertEqual(set(nodes), {"node-a", "node-b"}, nodes)

    def test_one_scheduler_acts_per_tick(self):
        self.a.post("/webhooks/sim", json.dumps(
            {"from": "13800138000", "text": "王楼村这两天停水了"}, ensure_ascii=False).encode())
        self.assertTrue(self.wait(lambda: self.sql("SELECT count(*) FROM cases") == [(1,)]))
        # received 30 hours ago and never accepted: the deputy is reminded, once
        past = int(time.time()) - 30 * 3600
        db = self.a.db()
        db.execute("UPDATE cases SET created_at = ?, assigned_at = ?, sched_at = 1",
                   (past, past))
        db.commit()
        db.close()
        self.assertTrue(self.wait(lambda: self.sql(
            "SELECT count(*) FROM case_events WHERE kind = 'reminded'") == [(1,)]))
        time.sleep(3)       # several more ticks on both nodes
        self.assertEqual(self.sql("SELECT count(*) FROM case_events WHERE kind = 'reminded'"),
                         [(1,)], self.sql("SELECT at, actor, kind, detail FROM case_events"))
        self.assertEqual(self.sql("SELECT count(*) FROM outbox WHERE kind = 'reminder'"),
                         [(1,)])
        ticks = [sum("scheduler tick cases=1" in line for line in s.log)
                 for s in (self.a, self.b)]
        self.assertEqual(sorted(ticks), [0, 1], ticks)

    def test_a_channels_rate_holds_across_both(self):
        # 30 rows at 5 a second take 5 s or more whichever node sends
        # them: counted per node, two nodes would send them in 3
        for s in (self.a, self.b):
            s.stop()
            for ch in s.cfg["channels"]:
                if ch["id"] == "sms":
                    ch["rate_per_second"] = 5
            s.write_config()
            s.start()
        now = int(time.time())
        db = self.a.db()
        for i in range(30):
            db.execute("INSERT INTO outbox(channel, address, body, kind, status,"
                       " next_at, created_at, updated_at)"
                       " VALUES ('sms', ?, ?, 'reply', 'pending', 0, ?, ?)",
                       ("+86138001392%02d" % i, "rate %d" % i, now, now))
        db.commit()
        db.close()
        self.assertTrue(self.wait(lambda: self.sql(
            "SELECT count(*) FROM outbox WHERE status = 'sent'") == [(30,)], 30))
        times = sorted(m["created"] for m in self.twilio.accepted)
        self.assertEqual(len(times), 30)
        self.assertGreaterEqual(times[-1] - times[0], 4.5, times)

    def test_a_group_robots_limit_holds_across_both(self):
        from fakes import group_signature
        t0 = time.time()
        for i in range(25):
            msg = {"msg_id": f"m{i}", "group_id": "wxg-001",
                   "sender": {"id": f"wx-{i}", "name": "张大姐",
                              "mobile": f"138001380{i:02d}"},
                   "text": "@民意助手 帮助", "mentions": ["民意助手"], "time": 1795305600}
            body = json.dumps(msg, ensure_ascii=False).encode()
            node = (self.a, self.b)[i % 2]
            r = node.post("/webhooks/groups", body, {
                "Content-Type": "application/json",
                "X-Minyi-Signature": group_signature("group-secret", body)})
            self.assertEqual(r.status, 200)
        self.robot.wait_for(lambda q: len(q) >= 20, timeout=5)
        time.sleep(1)
        if time.time() - t0 < 4:
            self.assertLessEqual(len(self.robot.requests), 20)   # one window, both nodes
        reqs = self.robot.wait_for(lambda q: len(q) >= 25, timeout=20)
        self.assertEqual(len(reqs), 25)                            # none lost
        self.assertGreaterEqual(time.time() - t0, 3.5)             # the last five waited

    def test_a_killed_nodes_rows_are_taken_over_and_sent_once(self):
        self.b.stop()
        # node a takes rows and dies with them in flight
        self.twilio.delay = 1.5
        now = int(time.time())
        db = self.a.db()
        for i in range(6):
            db.execute("INSERT INTO outbox(channel, address, body, kind, status,"
                       " next_at, created_at, updated_at)"
                       " VALUES ('sms', ?, ?, 'reply', 'pending', 0, ?, ?)",
                       ("+86138001390%02d" % i, "take-over %d" % i, now, now))
        db.commit()
        db.close()
        self.assertTrue(self.wait(lambda: self.sql(
            "SELECT count(*) FROM outbox WHERE status = 'sending' AND node = 'node-a'")
            == [(6,)], 10))
        time.sleep(0.3)
        self.a.kill()
        self.twilio.delay = 0
        # b, started after, takes them over once a's heartbeat is older
        # than node_timeout_seconds: looked up (what a had sent is not sent
        # again), the rest sent
        self.b.start()
        self.assertTrue(self.wait(lambda: self.sql(
            "SELECT count(*) FROM outbox WHERE status = 'sent'") == [(6,)], 30),
            self.sql("SELECT id, status, node FROM outbox"))
        bodies = sorted(m["Body"] for m in self.twilio.messages())
        self.assertEqual(bodies, sorted("take-over %d" % i for i in range(6)))
        self.assertTrue(any("taken over from silent nodes" in line for line in self.b.log),
                        self.b.log[-20:])


if __name__ == "__main__":
    unittest.main()
