"""More channels: WeChat-style grid groups and hotline transcripts, through
the same dialog and lifecycle as SMS, against fake robots and a fake SMS API."""
import json
import os
import subprocess
import tempfile
import time
import unittest

from harness import ServerTest, BIN, ENV, run_minyi
from fakes import FakeProvider, FakeTwilio, group_signature

SECRET = ENV["MINYI_GROUP_SECRET"]
HOTLINE_SECRET = ENV["MINYI_HOTLINE_SECRET"]
DEPUTY_NIU = "+8613900139000"


class FakeRobot(FakeProvider):
    def default_answer(self, rec, k):
        return 200, {"errcode": 0, "errmsg": "ok"}


class GroupTest(ServerTest):
    def setUp(self):
        self.robot = FakeRobot()
        self.sms = FakeTwilio()
        robot, sms = self.robot.url, self.sms.url

        def mutate(cfg):
            for g in cfg["grids"]:
                for grp in g.get("groups", []):
                    grp["webhook_url"] = robot + "/cgi-bin/webhook/send?key=KEY"
            for ch in cfg["channels"]:
                if ch["id"] == "groups":
                    ch["robot_window_seconds"] = 3
                if ch["id"] == "sms":
                    ch["api_base"] = sms
        type(self).mutate = staticmethod(mutate)
        super().setUp()
        self.n = 0

    def tearDown(self):
        super().tearDown()
        self.robot.close()
        self.sms.close()

    def group_msg(self, text, mentions=("民意助手",), sender="wx-zhang",
                  mobile="13800138000", group="wxg-001", sign=True, extra=None):
        self.n += 1
        msg = {"msg_id": f"m{self.n}", "group_id": group,
               "sender": {"id": sender, "name": "张大姐", "mobile": mobile},
               "text": text, "mentions": list(mentions), "time": 1795305600}
        msg.update(extra or {})
        body = json.dumps(msg, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if sign:
            headers["X-Minyi-Signature"] = group_signature(SECRET, body)
        return self.server.post("/webhooks/groups", body, headers)

    def test_mention_makes_case_for_the_groups_grid_and_replies_with_mention(self):
        r = self.group_msg("@民意助手 村口路灯不亮，晚上看不见")
        self.assertEqual(r.status, 200, r.text)
        reqs = self.robot.wait_for(lambda q: len(q) >= 1)
        self.assertEqual(len(reqs), 1)
        msg = reqs[0].json
        self.assertEqual(msg["msgtype"], "text")
        self.assertIn("13800138000", msg["text"]["mentioned_mobile_list"])
        self.assertIn("路灯", msg["text"]["content"])
        self.assertTrue(reqs[0].path.startswith("/cgi-bin/webhook/send?key=KEY"))
        c = self.server.admin("/api/cases").json()["cases"][0]
        self.assertEqual((c["grid"], c["channel"], c["category"]), ("liuxindian", "groups", "streetlight"))
        # the deputy is alerted by SMS (no notify_channel: the first phone channel)
        alerts = self.sms.wait_for(lambda q: len(q) >= 1)
        self.assertEqual(alerts[0].form["To"], DEPUTY_NIU)

    def test_chatter_without_mention_gets_nothing(self):
        self.assertEqual(self.group_msg("今天天气不错", mentions=()).status, 200)
        self.assertEqual(self.group_msg("村口路灯不亮", mentions=()).status, 200)
        time.sleep(0.5)
        self.assertEqual(self.robot.requests, [])
        self.assertEqual(self.server.admin("/api/cases").json()["cases"], [])

    def test_keyword_starts_a_dialog_and_follow_up_needs_no_mention(self):
        self.group_msg("#诉求 有件事反映一下，最近晚上村里很吵", mentions=())
        self.robot.wait_for(lambda q: len(q) >= 1)
        self.assertIn("回复数字", self.robot.requests[-1].json["text"]["content"])
        self.group_msg("4", mentions=())          # 环境卫生, answered without a mention
        self.robot.wait_for(lambda q: len(q) >= 2)
        c = self.server.admin("/api/cases").json()["cases"]
        self.assertEqual(len(c), 1)
        self.assertEqual((c[0]["category"], c[0]["grid"]), ("sanitation", "liuxindian"))

    def test_bad_signature_is_403(self):
        self.assertEqual(self.group_msg("@民意助手 路灯坏了", sign=False).status, 403)
        body = b'{"msg_id":"x"}'
        r = self.server.post("/webhooks/groups", body, {"X-Minyi-Signature": "00" * 32})
        self.assertEqual(r.status, 403)

    def test_deputy_notified_in_the_group_and_answers_there(self):
        self.server.stop()
        for d in self.server.cfg["deputies"]:
            if d["id"] == "d-niu":
                d["notify_channel"] = "groups"
        self.server.write_config()
        self.server.start()
        self.group_msg("@民意助手 村口路灯不亮，晚上看不见")
        reqs = self.robot.wait_for(lambda q: len(q) >= 2)
        alert = [q.json["text"] for q in reqs if "接单" in q.json["text"]["content"]]
        self.assertEqual(len(alert), 1, [q.json for q in reqs])
        self.assertEqual(alert[0]["mentioned_mobile_list"], ["13900139000"])
        self.assertEqual(self.sms.requests, [])             # not by SMS
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        self.group_msg(f"@民意助手 接单 {n}", sender="wx-niu", mobile="13900139000")
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["status"], "accepted")
        reqs = self.robot.wait_for(lambda q: len(q) >= 4)
        told = [q.json["text"] for q in reqs if "牛代表" in q.json["text"]["content"]
                and "13800138000" in q.json["text"].get("mentioned_mobile_list", [])]
        self.assertTrue(told, [q.json for q in reqs])       # the resident, in the group

    def test_rating_in_the_group_is_answered_there_with_a_mention(self):
        self.group_msg("@民意助手 村口路灯不亮，晚上看不见")
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        for text in [f"接单 {n}", f"办结 {n} 已修好"]:
            self.assertEqual(self.server.post("/webhooks/sim", {"from": DEPUTY_NIU, "text": text}).status, 200)
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["status"], "resolved")
        before = len(self.robot.wait_for(lambda q: any("5分最满意" in x.json["text"]["content"] for x in q)))
        self.group_msg("@民意助手 挺好的")
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["status"], c["rating"]), ("closed", 4))
        reqs = self.robot.wait_for(lambda q: len(q) > before)
        self.assertIn("感谢您的评价", reqs[-1].json["text"]["content"])
        self.assertEqual(reqs[-1].json["text"]["mentioned_mobile_list"], ["13800138000"])

    def test_rating_in_the_group_needs_no_mention_and_chatter_is_no_rating(self):
        # a neighbour's 好 in the group, with no case of theirs awaiting a
        # rating, is chatter: no case closed, nothing sent
        self.group_msg("@民意助手 村口路灯不亮，晚上看不见")
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        for text in [f"接单 {n}", f"办结 {n} 已修好"]:
            self.assertEqual(self.server.post("/webhooks/sim", {"from": DEPUTY_NIU, "text": text}).status, 200)
        before = len(self.robot.wait_for(lambda q: any("5分最满意" in x.json["text"]["content"] for x in q)))
        r = self.group_msg("好", mentions=(), sender="wx-wang", mobile="13800138111")
        self.assertEqual(r.status, 200, r.text)
        r = self.group_msg("今天天气不错", mentions=())
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["status"], "resolved")
        # the resident answers the prompt in the group without @: rated, thanked
        r = self.group_msg("5 谢谢", mentions=())
        self.assertEqual(r.status, 200, r.text)
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["status"], c["rating"]), ("closed", 5))
        reqs = self.robot.wait_for(lambda q: len(q) > before)
        self.assertEqual(len(reqs), before + 1)
        self.assertIn("感谢您的评价", reqs[-1].json["text"]["content"])
        self.assertEqual(reqs[-1].json["text"]["mentioned_mobile_list"], ["13800138000"])

    def test_sender_mobile_in_the_body_does_not_make_a_villager_a_deputy(self):
        self.group_msg("@民意助手 村口路灯不亮，晚上看不见")
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        self.robot.wait_for(lambda q: len(q) >= 1)
        # a villager whose bridge sends no usable mobile names the deputy's
        # number as sender_mobile, at the top and inside sender
        for mobile in ("", "not a number", None):
            r = self.group_msg(f"@民意助手 接单 {n}", sender="wx-villager", mobile=mobile,
                               extra={"sender_mobile": DEPUTY_NIU})
            self.assertEqual(r.status, 200, r.text)
        r = self.group_msg(f"@民意助手 接单 {n}", sender="wx-villager", mobile="",
                           extra={"sender": {"id": "wx-villager", "sender_mobile": DEPUTY_NIU}})
        self.assertEqual(r.status, 200, r.text)
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["status"], c["deputy"]), ("received", "d-niu"))
        self.assertNotIn("accepted", [e["kind"] for e in c["events"]])

    def test_25_replies_to_one_robot_are_paced_none_lost(self):
        t0 = time.time()
        for i in range(25):
            r = self.group_msg("@民意助手 帮助", sender=f"wx-{i}", mobile=f"138001380{i:02d}")
            self.assertEqual(r.status, 200)
        first = self.robot.wait_for(lambda q: len(q) >= 20, timeout=5)
        time.sleep(0.5)
        in_window = [q for q in self.robot.requests]
        self.assertLessEqual(len(in_window), 20)           # the robot's limit per window
        reqs = self.robot.wait_for(lambda q: len(q) >= 25, timeout=15)
        self.assertEqual(len(reqs), 25)                    # none lost
        mentioned = sorted(q.json["text"]["mentioned_mobile_list"][0] for q in reqs)
        self.assertEqual(len(set(mentioned)), 25)
        self.assertGreaterEqual(time.time() - t0, 2.5)      # the last five waited


class HotlineTest(ServerTest):
    def setUp(self):
        self.sms = FakeTwilio()
        sms = self.sms.url

        def mutate(cfg):
            for ch in cfg["channels"]:
                if ch["id"] == "sms":
                    ch["api_base"] = sms
        type(self).mutate = staticmethod(mutate)
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.sms.close()

    def call(self, call, secret=HOTLINE_SECRET, headers=None):
        """POST a transcript, signed as the example's hotline wants."""
        body = json.dumps(call, ensure_ascii=False).encode()
        h = {"Content-Type": "application/json"}
        if secret is not None:
            h["X-Minyi-Signature"] = group_signature(secret, body)
        h.update(headers or {})
        return self.server.post("/webhooks/hotline", body, h)

    def test_webhook_call_makes_case_and_sms_to_caller(self):
        call = {"call_id": "call-1", "caller": "13800138000", "started_at": "2026-11-22T08:00:00Z",
                "agent_id": "a7", "segments": [
                    {"speaker": "agent", "text": "您好，12345热线", "begin_ms": 0, "end_ms": 900},
                    {"speaker": "caller", "text": "王楼村这两天停水了", "begin_ms": 1000, "end_ms": 4000}]}
        r = self.call(call)
        self.assertEqual(r.status, 200, r.text)
        c = self.server.admin("/api/cases").json()["cases"][0]
        self.assertEqual((c["channel"], c["grid"], c["category"]), ("hotline", "wanglou", "water"))
        reqs = self.sms.wait_for(lambda q: len(q) >= 2)
        to_caller = [q.form for q in reqs if q.form["To"] == "+8613800138000"]
        self.assertEqual(len(to_caller), 1)
        self.assertIn(str(c["number"]), to_caller[0]["Body"])

    def test_import_of_100_calls_with_3_broken_and_2_duplicates(self):
        lines = []
        for i in range(95):
            lines.append(json.dumps({"call_id": f"c{i}", "caller": f"+86138{i:08d}",
                                     "summary": "刘辛店村村口路灯不亮"}, ensure_ascii=False))
        lines.insert(10, "{not json")
        lines.insert(20, json.dumps({"call_id": "bad1", "caller": "12"}))
        lines.insert(30, json.dumps({"caller": "+8613800000001", "summary": "x"}))
        lines.append(lines[1])                   # the same calls again: duplicates
        lines.append(lines[2])
        self.assertEqual(len(lines), 100)
        path = os.path.join(self.server.tmpdir, "calls.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        r = run_minyi("import-hotline", "--config", self.server.config_path, path,
                      env=self.server.env)
        self.assertEqual(r.returncode, 1, r.stderr)       # some lines were rejected
        self.assertIn("100 lines, 95 cases, 2 duplicates, 3 rejected", r.stdout)
        self.assertIn("line 11: rejected", r.stdout)
        self.assertIn("line 21: rejected", r.stdout)
        self.assertIn("line 31: rejected", r.stdout)
        self.assertEqual(self.server.admin("/api/cases?limit=1000").json()["count"], 95)
        # the running server sends each caller their SMS within seconds
        reqs = self.sms.wait_for(lambda q: len({x.form["To"] for x in q if x.form["To"].startswith("+86138")}) >= 95,
                                 timeout=20)
        callers = {q.form["To"] for q in reqs if q.form["To"].startswith("+86138")}
        self.assertEqual(len(callers), 95)
        again = run_minyi("import-hotline", "--config", self.server.config_path, path,
                          env=self.server.env)
        self.assertIn("0 cases, 97 duplicates, 3 rejected", again.stdout)

    def test_unsigned_or_badly_signed_call_is_403_and_changes_nothing(self):
        call = {"call_id": "call-x", "caller": "13800138000", "summary": "刘辛店村村口路灯不亮"}
        self.assertEqual(self.call(call, secret=None).status, 403)
        self.assertEqual(self.call(call, secret="wrong").status, 403)
        self.assertEqual(self.server.admin("/api/cases").json()["cases"], [])
        self.assertEqual(self.call(call).status, 200)      # the real call is not pre-claimed

    def test_a_deputy_calling_files_a_request_not_a_command(self):
        r = self.call({"call_id": "call-1", "caller": "13800138000", "summary": "刘辛店村村口路灯不亮"})
        self.assertEqual(r.status, 200, r.text)
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        r = self.call({"call_id": "call-2", "caller": "139 0013 9000", "summary": f"接单 {n}"})
        self.assertEqual(r.status, 200, r.text)
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual(c["status"], "received")          # not accepted by a transcript
        cases = self.server.admin("/api/cases").json()["cases"]
        self.assertEqual(len(cases), 2)                    # the deputy's call is a case too
        mine = [x for x in cases if x["citizen"] == DEPUTY_NIU]
        self.assertEqual((len(mine), mine[0]["description"]), (1, f"接单 {n}"))

    def test_a_caller_outside_the_region_is_400(self):
        for caller, why in [("+1 202 555 0143", 'caller "+12025****0143": not a number of region CN'),
                            ("+852 6123 4567", "not a number of region CN"),
                            ("12", 'caller "****12": too short')]:
            r = self.call({"call_id": "call-" + caller, "caller": caller, "summary": "刘辛店村路灯不亮"})
            self.assertEqual(r.status, 400, caller)
            self.assertIn(why, r.json()["error"])
        self.assertEqual(self.server.admin("/api/cases").json()["cases"], [])
        time.sleep(0.5)
        self.assertEqual(self.sms.requests, [])            # no SMS abroad

    def test_a_call_id_again_with_another_caller_or_text_is_409_and_logged(self):
        call = {"call_id": "call-7", "caller": "13800138000", "summary": "刘辛店村村口路灯不亮"}
        self.assertEqual(self.call(call).status, 200)
        self.assertEqual(self.call(call).status, 200)      # the same call again: idempotent
        for other in [dict(call, caller="13800138001"), dict(call, summary="王楼村停水了")]:
            r = self.call(other)
            self.assertEqual(r.status, 409, r.text)
            self.assertIn("already used with another caller or text", r.json()["error"])
        cases = self.server.admin("/api/cases").json()["cases"]
        self.assertEqual([(c["citizen"], c["grid"]) for c in cases], [("+8613800138000", "liuxindian")])
        self.server.stop()
        conflicts = [l for l in self.server.log if "webhook conflict channel=hotline" in l]
        self.assertEqual(len(conflicts), 2, "\n".join(self.server.log[-20:]))
        self.assertIn('id="call-7" from=+86138****8001', conflicts[0])
        self.assertNotIn("13800138001", "\n".join(self.server.log))

    def test_import_applies_the_webhooks_rules(self):
        lines = [
            json.dumps({"call_id": "i1", "caller": "13800138000", "summary": "刘辛店村村口路灯不亮"}),
            json.dumps({"call_id": "i2", "caller": "13900139000", "summary": "接单 1"}),   # a deputy
            json.dumps({"call_id": "i3", "caller": "+1 202 555 0143", "summary": "路灯不亮"}),
            json.dumps({"call_id": "i1", "caller": "13800138000", "summary": "刘辛店村村口路灯不亮"}),
            json.dumps({"call_id": "i1", "caller": "13800138001", "summary": "刘辛店村村口路灯不亮"}),
        ]
        path = os.path.join(self.server.tmpdir, "calls.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        r = run_minyi("import-hotline", "--config", self.server.config_path, path,
                      env=self.server.env)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("5 lines, 2 cases, 1 duplicates, 2 rejected", r.stdout)
        self.assertIn('line 3: rejected: caller "+12025****0143": not a number of region CN', r.stdout)
        self.assertIn("line 5: rejected: call_id already used with another caller or text", r.stdout)
        self.assertIn("webhook conflict channel=hotline", r.stderr)
        cases = self.server.admin("/api/cases").json()["cases"]
        self.assertEqual(sorted(c["citizen"] for c in cases), ["+8613800138000", DEPUTY_NIU])
        self.assertEqual(self.server.admin("/api/cases/1").json()["status"], "received")

    def test_rating_by_sms_belongs_to_the_hotline_case(self):
        call = {"call_id": "call-9", "caller": "13800138000", "summary": "刘辛店村村口路灯不亮"}
        self.assertEqual(self.call(call).status, 200)
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        for who, text in [("+8613900139000", f"接单 {n}"), ("+8613900139000", f"办结 {n} 已修好")]:
            self.assertEqual(self.server.post("/webhooks/sim", {"from": who, "text": text}).status, 200)
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["status"], "resolved")
        from fakes import twilio_signature
        import urllib.parse
        params = {"MessageSid": "SM" + "5" * 32, "From": "+8613800138000", "To": "+8610690000", "Body": "满意"}
        body = urllib.parse.urlencode(params)
        sig = twilio_signature(ENV["TWILIO_AUTH_TOKEN"], self.server.cfg["server"]["public_url"] + "/webhooks/sms", params)
        r = self.server.post("/webhooks/sms", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                     "X-Twilio-Signature": sig})
        self.assertEqual(r.status, 200)
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["status"], c["rating"]), ("closed", 5))

    def test_caller_who_rates_by_sms_is_answered_by_sms(self):
        call = {"call_id": "call-10", "caller": "13800138000", "summary": "刘辛店村村口路灯不亮"}
        self.assertEqual(self.call(call).status, 200)
        n = self.server.admin("/api/cases").json()["cases"][0]["number"]
        for text in [f"接单 {n}", f"办结 {n} 已修好"]:
            self.assertEqual(self.server.post("/webhooks/sim", {"from": DEPUTY_NIU, "text": text}).status, 200)
        from fakes import twilio_signature
        import urllib.parse
        params = {"MessageSid": "SM" + "0123456789abcdef" * 2, "From": "+8613800138000",
                  "To": "+8610690000", "Body": "1 灯还是不亮"}
        sig = twilio_signature(ENV["TWILIO_AUTH_TOKEN"], self.server.cfg["server"]["public_url"] + "/webhooks/sms", params)
        r = self.server.post("/webhooks/sms", urllib.parse.urlencode(params),
                             {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["status"], "reopened")
        want = f"已收到您的评价，诉求{n}已交回重新办理。"
        reqs = self.sms.wait_for(lambda q: any(x.form["Body"] == want for x in q))
        self.assertEqual([x.form["To"] for x in reqs if x.form["Body"] == want], ["+8613800138000"])


if __name__ == "__main__":
    unittest.main()


class FakeAliyun(FakeProvider):
    """Answers SendSms like the provider: {"Code": "OK", "BizId": ...}."""
    def default_answer(self, rec, k):
        return 200, {"Code": "OK", "Message": "OK", "BizId": "biz%06d" % k, "RequestId": "r%d" % k}


class AliyunTest(ServerTest):
    PUSH_SECRET = "push-secret-0123456789"

    def setUp(self):
        self.fake = FakeAliyun()
        fake = self.fake.url

        def mutate(cfg):
            cfg["channels"].append({"id": "aliyun", "adapter": "aliyun_sms",
                                    "secret_env": "ALIYUN_PUSH_SECRET",
                                    "access_key_id": "testid",
                                    "access_key_secret_env": "ALIYUN_ACCESS_SECRET",
                                    "sign_name": "范县人大", "template_code": "SMS_0001",
                                    "api_base": fake, "retry_base_seconds": 0})
            # two SMS channels: say which reaches new numbers (代办)
            cfg.setdefault("dialog", {})["sms_channel"] = "aliyun"
        type(self).mutate = staticmethod(mutate)
        self._tmp = tempfile.TemporaryDirectory(prefix="minyi-test-")
        from harness import Server
        self.server = Server(self._tmp.name, mutate=mutate,
                             env={"ALIYUN_PUSH_SECRET": self.PUSH_SECRET,
                                  "ALIYUN_ACCESS_SECRET": "testsecret"})
        self.server.start()

    def tearDown(self):
        super().tearDown()
        self.fake.close()

    def push(self, items, secret=None):
        return self.server.post(f"/webhooks/aliyun/{secret or self.PUSH_SECRET}", items)

    def test_smsup_batch_makes_cases_and_smsreport_updates_delivery(self):
        batch = [
            {"phone_number": "13800138000", "content": "刘辛店村村口路灯不亮", "send_time": "2026-11-22 08:00:00",
             "dest_code": "1234", "sequence_id": 1001},
            {"phone_number": "13800138001", "content": "王楼村这两天停水了", "send_time": "2026-11-22 08:00:05",
             "dest_code": "1234", "sequence_id": "1002", "sign_name": "范县人大"},
        ]
        r = self.push(batch)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json(), {"code": 0, "msg": "接收成功"})
        self.assertEqual(self.push(batch).status, 200)            # re-pushed: nothing new
        cases = self.server.admin("/api/cases").json()["cases"]
        self.assertEqual(sorted(c["grid"] for c in cases), ["liuxindian", "wanglou"])
        self.assertTrue(all(c["channel"] == "aliyun" for c in cases))
        reqs = self.fake.wait_for(lambda q: len(q) >= 4)          # 2 replies + 2 deputy alerts
        self.assertEqual(len(reqs), 4)
        db = self.server.db()
        deadline = time.time() + 10
        while time.time() < deadline:
            rows = db.execute("SELECT provider_id FROM outbox WHERE channel = 'aliyun'"
                              " AND status = 'sent'").fetchall()
            if len(rows) == 4:
                break
            time.sleep(0.05)
        biz = rows[0][0]
        report = [{"phone_number": "13800138000", "success": True, "biz_id": biz, "out_id": "1",
                   "send_time": "2026-11-22 08:00:06", "report_time": "2026-11-22 08:00:08",
                   "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1"}]
        r = self.push(report)
        self.assertEqual(r.status, 200, r.text)
        status = db.execute("SELECT status FROM outbox WHERE provider_id = ?", (biz,)).fetchone()[0]
        db.close()
        self.assertEqual(status, "delivered")

    def test_wrong_secret_is_403_and_bad_item_rejects_the_batch(self):
        self.assertEqual(self.push([{"phone_number": "13800138000", "content": "x",
                                     "send_time": "t", "sequence_id": 1}], secret="wrong-secret-0000000").status, 403)
        r = self.push([{"phone_number": "13800138000", "content": "刘辛店村路灯不亮", "send_time": "t",
                        "sequence_id": 5}, {"phone_number": "12", "content": "x", "send_time": "t",
                                            "sequence_id": 6}])
        self.assertEqual(r.status, 400)
        self.assertIn("item 1", r.json()["error"])
        self.assertEqual(self.server.admin("/api/cases").json()["cases"], [])
