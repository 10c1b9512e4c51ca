"""Config reload (issue 13, item 10): SIGHUP re-reads the config without a
restart.  A sound config is published whole (a new deputy may 接单, a new
staff member's 列表 works) while webhooks keep coming and all are answered;
a bad one is refused with its problem lines in the log and the old one
keeps serving; what only a restart can change is logged as such."""
import re
import signal
import threading
import time
import unittest
import urllib.parse

from harness import ServerTest, ENV
from fakes import FakeTwilio, twilio_signature

RESIDENT = "+8613800138000"
NIU = "+8613900139000"          # 牛代表, the one deputy of 刘辛店村 (杨集乡)
NEW_DEPUTY = "+8613900139055"   # 田代表, added to 刘辛店村 by the reload
NEW_STAFF = "+8618600186055"    # 杨集乡联络站新干事, added by the reload


def add_people(cfg):
    """A second deputy for 刘辛店村 and a township clerk for 杨集乡."""
    cfg["deputies"].append({"id": "d-tian", "name": "田代表",
                            "phone": NEW_DEPUTY, "level": "township"})
    for g in cfg["grids"]:
        if g["id"] == "liuxindian":
            g["deputies"].append("d-tian")
    cfg["staff"].append({"id": "s-new", "name": "杨集乡联络站新干事",
                         "phone": NEW_STAFF, "role": "township",
                         "township": "yangji"})


class ReloadBase(ServerTest):
    def say(self, text, frm):
        r = self.server.post("/webhooks/sim", {"from": frm, "text": text})
        self.assertEqual(r.status, 200, r.text)

    def inbox(self, to):
        q = urllib.parse.urlencode({"to": to})
        return [m["text"] for m in self.server.admin("/webhooks/sim/outbox?" + q).json()]

    def last(self, to):
        got = self.inbox(to)
        self.assertTrue(got, f"nothing sent to {to}")
        return got[-1]

    def case(self, n):
        return self.server.admin(f"/api/cases/{n}").json()

    def new_case(self, text, frm=RESIDENT):
        self.say(text, frm)
        m = re.search(r"查询\s*(\d+)", self.last(frm))
        self.assertIsNotNone(m, self.last(frm))
        return int(m.group(1))

    def generation(self):
        r = self.server.admin("/metrics")
        self.assertEqual(r.status, 200, r.text)
        return int(re.search(r"^minyi_config_generation (\d+)$", r.text, re.M).group(1))

    def reload(self, mutate):
        mutate(self.server.cfg)
        self.server.write_config()
        self.server.proc.send_signal(signal.SIGHUP)


class ReloadTest(ReloadBase):
    def test_new_deputy_and_staff_act_after_sighup_while_webhooks_stream(self):
        n = self.new_case("刘辛店村村口路灯不亮")
        self.assertEqual(self.generation(), 1)
        sent, answered, stop = [], [], threading.Event()

        def stream():
            i = 0
            while not stop.is_set() and i < 400:
                frm = "+86138002%05d" % i
                r = self.server.post("/webhooks/sim",
                                     {"from": frm, "text": f"王楼村停水两天了{i}"})
                sent.append(frm)
                answered.append(r.status)
                i += 1

        t = threading.Thread(target=stream)
        t.start()
        try:
            time.sleep(0.5)
            self.reload(add_people)
            self.assertTrue(self.server.wait_log(r"config reloaded generation=2 "
                                                 r"deputies=13 staff=3"),
                            "\n".join(self.server.log[-30:]))
            time.sleep(0.5)
        finally:
            stop.set()
            t.join(60)
        self.assertGreater(len(sent), 5)
        self.assertEqual([s for s in answered if not 200 <= s < 300], [])
        # none lost: every one of them made its case and got its receipt
        for frm in sent:
            self.assertRegex(self.last(frm), r"查询\s*\d+")
        self.assertEqual(self.generation(), 2)

        self.say(f"接单 {n}", NEW_DEPUTY)
        c = self.case(n)
        self.assertEqual((c["status"], c["deputy"]), ("accepted", "d-tian"))
        self.assertIn("田代表", self.last(RESIDENT))
        self.assertIn(f"诉求{n}已由田代表接单", self.last(NIU))
        self.say("列表", NEW_STAFF)
        got = self.last(NEW_STAFF)
        self.assertIn("待办1件", got)
        self.assertIn(f"\n{n} ", got)

    def test_bad_config_is_refused_and_the_old_one_keeps_serving(self):
        n = self.new_case("刘辛店村村口路灯不亮")

        def bad(cfg):
            add_people(cfg)
            cfg["deputies"][0]["phnoe"] = "1"
            cfg["channels"][0]["auth_token_env"] = "MINYI_RELOAD_UNSET"

        self.reload(bad)
        self.assertTrue(self.server.wait_log(r"config reload refused: problems=2; "
                                             r"still serving generation=1"),
                        "\n".join(self.server.log[-30:]))
        log = "\n".join(self.server.log)
        self.assertIn('config reload refused: deputies[0].phnoe: unknown key, '
                      'did you mean "phone"?', log)
        self.assertIn("config reload refused: channels[0].auth_token_env: "
                      "environment variable MINYI_RELOAD_UNSET is not set", log)
        self.assertEqual(self.generation(), 1)
        # the new deputy is not one: his 接单 changes nothing
        self.say(f"接单 {n}", NEW_DEPUTY)
        self.assertEqual(self.case(n)["status"], "received")
        self.say(f"接单 {n}", NIU)
        self.assertEqual((self.case(n)["status"], self.case(n)["deputy"]),
                         ("accepted", "d-niu"))

    def test_categories_changed_retrain_the_classifier_and_apply(self):
        def noise(cfg):
            for c in cfg["categories"]:
                if c["id"] == "sanitation":
                    c["keywords"].append("狗叫扰民")

        self.reload(noise)
        self.assertTrue(self.server.wait_log(r"config reloaded generation=2 .* "
                                             r"classifier=retrained"),
                        "\n".join(self.server.log[-30:]))
        self.assertTrue(self.server.wait_log(r"classifier learned closed_cases=0 "
                                             r"closed_meanwhile=0"))
        n = self.new_case("刘辛店村晚上狗叫扰民")
        self.assertEqual(self.case(n)["category"], "sanitation")
        self.reload(add_people)         # the categories as they are now
        self.assertTrue(self.server.wait_log(r"config reloaded generation=3 .* "
                                             r"classifier=kept"))

    def test_a_channel_renamed_is_refused_as_needing_a_restart(self):
        def rename(cfg):
            cfg["channels"][3]["id"] = "sim2"

        self.reload(rename)
        self.assertTrue(self.server.wait_log(
            r'config reload refused: channels\[3\]: id "sim2" where "sim" runs: '
            r"a channel's id needs a restart"), "\n".join(self.server.log[-30:]))
        self.assertEqual(self.generation(), 1)
        self.new_case("刘辛店村村口路灯不亮")       # still over /webhooks/sim

    def test_listen_change_needs_a_restart_and_the_rest_applies(self):
        port = self.server.port

        def move(cfg):
            add_people(cfg)
            cfg["server"]["listen"] = "127.0.0.1:1"

        self.reload(move)
        self.assertTrue(self.server.wait_log(
            r'config reload: server.listen changed to "127.0.0.1:1": needs a '
            r'restart; still "127.0.0.1:0"'), "\n".join(self.server.log[-30:]))
        self.assertTrue(self.server.wait_log(r"config reloaded generation=2"))
        self.assertEqual(self.server.port, port)
        n = self.new_case("刘辛店村村口路灯不亮")
        self.say(f"接单 {n}", NEW_DEPUTY)
        self.assertEqual(self.case(n)["deputy"], "d-tian")


class ReloadSendsTest(ReloadBase):
    """SMS replies in flight at the provider while the channel's keys are
    reloaded: each is recorded sent once, and later ones use the new keys."""

    def setUp(self):
        self.fake = FakeTwilio()
        fake_url = self.fake.url

        def mutate(cfg):
            for ch in cfg["channels"]:
                if ch["id"] == "sms":
                    ch["api_base"] = fake_url
                    ch["retry_base_seconds"] = 0
        type(self).mutate = staticmethod(mutate)
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.fake.close()

    def sms(self, i):
        params = {"MessageSid": "SM%032x" % (0xb0000000 + i),
                  "AccountSid": "AC" + "0" * 32, "From": "+86138003%05d" % i,
                  "To": "+8610690000", "Body": f"刘辛店村路灯不亮{i}", "NumMedia": "0"}
        body = urllib.parse.urlencode(params)
        url = self.server.cfg["server"]["public_url"] + "/webhooks/sms"
        r = self.server.post("/webhooks/sms", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilio_signature(ENV["TWILIO_AUTH_TOKEN"], url, params)})
        self.assertEqual(r.status, 200, r.text)

    def outbox(self):
        db = self.server.db()
        try:
            return db.execute("SELECT address, status FROM outbox WHERE channel = 'sms'"
                              " AND address LIKE '+86138003%' ORDER BY id").fetchall()
        finally:
            db.close()

    def test_sends_in_flight_survive_a_reload_of_their_channel(self):
        self.fake.delay = 0.3
        for i in range(8):
            self.sms(i)

        def new_from(cfg):
            for ch in cfg["channels"]:
                if ch["id"] == "sms":
                    ch["from"] = "+8610690001"
        end = time.time() + 10
        while not self.fake.requests and time.time() < end:
            time.sleep(0.02)
        self.reload(new_from)
        self.assertTrue(self.server.wait_log(r"config reloaded generation=2"))
        for i in range(8, 12):
            self.sms(i)
        end = time.time() + 20
        while time.time() < end:
            rows = self.outbox()
            if len(rows) == 12 and all(st == "sent" for _, st in rows):
                break
            time.sleep(0.1)
        self.assertEqual(len(rows), 12, rows)
        self.assertEqual([st for _, st in rows], ["sent"] * 12)
        to = [q.form["To"] for q in self.fake.requests
              if q.form["To"].startswith("+86138003")]
        self.assertEqual(sorted(to), sorted(a for a, _ in rows))     # each once
        froms = {q.form["To"]: q.form["From"] for q in self.fake.requests}
        self.assertEqual(froms["+8613800300000"], "+8610690000")
        self.assertEqual({froms["+86138003%05d" % i] for i in range(8, 12)},
                         {"+8610690001"})


if __name__ == "__main__":
    unittest.main()
