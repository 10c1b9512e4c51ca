"""Residents raise requests over the sim channel of the real server."""
import re
import unittest
import urllib.parse

from harness import ServerTest, http

RESIDENT = "+8613800138000"
DEPUTY_NIU = "+8613900139000"      # first deputy of grid liuxindian (刘辛店村)


class ResidentTest(ServerTest):
    def say(self, text, frm=RESIDENT, msg_id=None):
        body = {"from": frm, "text": text}
        if msg_id:
            body["id"] = msg_id
        r = self.server.post("/webhooks/sim", body)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json(), {"ok": True})

    def inbox(self, to=RESIDENT, after=0):
        q = urllib.parse.urlencode({"to": to, "after": after})
        r = self.server.admin("/webhooks/sim/outbox?" + q)
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def last(self, to=RESIDENT):
        msgs = self.inbox(to)
        self.assertTrue(msgs, f"nothing was sent to {to}")
        return msgs[-1]["text"]

    def cases(self, query=""):
        r = self.server.admin("/api/cases" + query)
        self.assertEqual(r.status, 200, r.text)
        return r.json()["cases"]

    def case_number_in(self, text):
        m = re.search(r"(?:查询|STATUS)\s*(\d+)", text)
        self.assertIsNotNone(m, f"no 查询 N in reply: {text}")
        return int(m.group(1))

    def test_one_shot_request_creates_case_and_alerts_deputy(self):
        self.say("刘辛店村村口路灯不亮")
        msgs = self.inbox()
        self.assertEqual(len(msgs), 1, msgs)
        reply = msgs[0]["text"]
        n = self.case_number_in(reply)
        self.assertIn("取消", reply)
        self.assertIn("牛代表", reply)
        self.assertIn("刘辛店村", reply)
        self.assertIn("路灯", reply)
        cases = self.cases()
        self.assertEqual(len(cases), 1)
        c = cases[0]
        self.assertEqual((c["number"], c["status"], c["grid"], c["category"], c["deputy"],
                          c["citizen"], c["channel"], c["department"], c["tier"]),
                         (n, "received", "liuxindian", "streetlight", "d-niu",
                          RESIDENT, "sim", "power", 2))
        self.assertIn("路灯不亮", c["description"])
        alert = self.last(DEPUTY_NIU)
        self.assertIn(str(n), alert)
        self.assertIn("接单", alert)
        self.assertIn("退回", alert)
        self.assertIn("群众13800138000", alert)   # whole: the deputy calls back
        self.assertIn("刘辛店", alert)

    def test_bidi_controls_never_reach_the_deputys_alert(self):
        bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
        self.say("刘辛店村村口路灯不亮\u202e，电话1390013\u2067请回电")
        alert = self.last(DEPUTY_NIU)
        self.assertIn("刘辛店村村口路灯不亮，电话1390013请回电", alert)
        self.assertEqual([c for c in alert if c in bidi], [], alert)
        c = self.cases()[0]
        self.assertEqual([ch for ch in c["description"] if ch in bidi], [])

    def test_three_turn_request(self):
        self.say("家门口的事拖了好几天了，一直没人管")
        q1 = self.last()
        self.assertIn("1", q1)
        self.assertIn("路灯照明", q1)          # the numbered category list
        self.say("1")
        q2 = self.last()
        self.assertIn("村或社区", q2)
        self.assertEqual(self.cases(), [])
        self.say("刘辛店")
        reply = self.last()
        n = self.case_number_in(reply)
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["grid"], c["category"], c["status"]),
                         ("liuxindian", "streetlight", "received"))
        self.assertIn("一直没人管", c["description"])

    def test_closed_cases_teach_the_classifier(self):
        # the office filed three cases about a loud horn under safety; after
        # a restart a new message in those words is filed there at once
        for i in range(3):
            self.say("王楼村家门口的事拖了好几天了，一直没人管", frm=f"+861380013810{i}")
            self.say("9", frm=f"+861380013810{i}")
        self.assertEqual(len(self.cases()), 3)
        self.server.stop()
        db = self.server.db()
        db.execute("UPDATE cases SET status = 'closed', category = 'safety',"
                   " description = '村头大喇叭天天响，吵得很'")
        db.commit()
        db.close()
        self.server.start()
        self.assertTrue(any("classifier learned closed_cases=3" in l
                            for l in self.server.log), self.server.log[-10:])
        self.say("王楼村的大喇叭天天响")
        n = self.case_number_in(self.last())
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["grid"], c["category"]), ("wanglou", "safety"))

    def test_a_case_that_closes_teaches_the_classifier(self):
        # without a keyword and before any case: asked which kind it is
        self.say("王楼村大喇叭天天响", frm="+8613800138333")
        self.assertIn("哪类问题", self.last("+8613800138333"))
        self.say("取消", frm="+8613800138333")
        # two cases filed under safety close with a rating (one case's
        # words alone are no evidence yet: its every pair would be) ...
        for frm, text in [(RESIDENT, "王楼村的大喇叭天天响，太危险了"),
                          ("+8613800138444", "王楼村村头的大喇叭天天响，很危险")]:
            self.say(text, frm=frm)
            n = self.case_number_in(self.last(frm))
            for cmd in [f"接单 {n}", f"办结 {n} 已拆除"]:
                self.say(cmd, frm="+8613600136000")
            self.say("5", frm=frm)
            self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["status"],
                             "closed")
        # ... and their words now file the same message at once
        self.say("王楼村大喇叭天天响", frm="+8613800138333")
        m = self.case_number_in(self.last("+8613800138333"))
        c = self.server.admin(f"/api/cases/{m}").json()
        self.assertEqual((c["grid"], c["category"]), ("wanglou", "safety"))

    def test_same_problem_twice_is_one_case(self):
        self.say("刘辛店村村口路灯不亮")
        n = self.case_number_in(self.last())
        self.say("刘辛店村路灯还是不亮")
        self.assertIn(f"已经反映过了，编号{n}", self.last())
        self.assertEqual(len(self.cases()), 1)

    def test_same_problem_from_others_is_linked(self):
        self.say("刘辛店村村口路灯不亮")
        first = self.case_number_in(self.last())
        self.say("刘辛店村的路灯坏了", frm="+8613800138111")
        second = self.case_number_in(self.last("+8613800138111"))
        self.say("刘辛店 路灯不亮好几天了", frm="+8613800138222")
        third = self.case_number_in(self.last("+8613800138222"))
        self.assertEqual(len({first, second, third}), 3)
        self.assertIn(f"已有3位群众反映（首报{first}）", self.last(DEPUTY_NIU))
        ev = self.server.admin(f"/api/cases/{third}").json()["events"]
        self.assertIn(("linked", f"case={first} residents=3"),
                      [(e["kind"], e.get("detail")) for e in ev])

    def test_same_problem_linked_when_place_or_problem_comes_later(self):
        self.say("刘辛店村村口路灯不亮")
        first = self.case_number_in(self.last())
        # the place comes in the answer to the question
        self.say("路灯坏了好几天了", frm="+8613800138111")
        self.assertIn("村或社区名称", self.last("+8613800138111"))
        self.say("刘辛店", frm="+8613800138111")
        self.case_number_in(self.last("+8613800138111"))
        self.assertIn(f"已有2位群众反映（首报{first}）", self.last(DEPUTY_NIU))
        # the problem comes in the answer to the question
        self.say("刘辛店村有点事想反映", frm="+8613800138222")
        self.say("村口的路灯不亮", frm="+8613800138222")
        self.case_number_in(self.last("+8613800138222"))
        self.assertIn(f"已有3位群众反映（首报{first}）", self.last(DEPUTY_NIU))
        self.assertEqual(len(self.cases("?grid=liuxindian&category=streetlight")), 3)

    def test_another_villages_request_while_asked_is_not_lost(self):
        # asked which problem 王楼村's request is, the resident sends one of
        # 刘辛店村: both are filed, the open one unsorted for staff to sort
        self.say("王楼村家门口的事拖了好几天了，一直没人管")
        self.assertIn("路灯照明", self.last())
        self.say("刘辛店村村口路灯不亮好几天了")
        msgs = self.inbox()
        self.assertEqual(len(msgs), 2, msgs)       # one reply to each message
        reply = msgs[-1]["text"]
        cases = sorted(self.cases(), key=lambda c: c["number"])
        self.assertEqual([(c["grid"], c["category"]) for c in cases],
                         [("wanglou", None), ("liuxindian", "streetlight")])
        first, second = cases[0]["number"], cases[1]["number"]
        self.assertEqual(second, first + 1)
        self.assertIn(f"王楼村那条已受理，编号{first}", reply)
        self.assertEqual(self.case_number_in(reply), second)
        self.assertIn("一直没人管", cases[0]["description"])
        self.assertIn(str(second), self.last(DEPUTY_NIU))

    def test_status_and_cancel(self):
        self.say("王楼村这两天停水了，什么时候来水？")
        n = self.case_number_in(self.last())
        self.say("查询")
        self.assertIn(str(n), self.last())
        self.assertIn("已受理", self.last())
        self.say(f"查询 {n}")
        self.assertIn("已受理", self.last())
        self.say(f"取消 {n}")
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["status"], "cancelled")
        self.say(f"查询{n}")
        self.assertIn("已撤销", self.last())
        ev = self.server.admin(f"/api/cases/{n}").json()["events"]
        self.assertEqual([e["kind"] for e in ev], ["created", "cancelled"])
        # the deputy who had it is told to stop (王楼村's deputy, 王代表)
        self.assertIn(f"诉求{n}已由群众撤回", self.last("+8613600136000"))
        self.assertEqual(ev[1]["from_status"], "received")

    def test_problem_put_right_after_filing(self):
        self.say("王楼村这两天停水了")
        n = self.case_number_in(self.last())
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["category"], "water")
        self.say("不对，是路灯不亮")
        self.assertIn(f"诉求{n}的问题已改为：路灯照明", self.last())
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["category"], c["department"], c["status"]),
                         ("streetlight", "power", "received"))
        self.assertEqual([e["kind"] for e in c["events"]], ["created", "recategorized"])
        self.assertEqual(len(self.cases()), 1)       # no second case
        # the deputy who has it reads the new problem and the old
        self.assertIn(f"诉求{n}：群众更正问题为“路灯照明”（原为“供水”）",
                      self.last("+8613600136000"))
        # once the deputy has taken it, 不对 is a new request: the case stays
        self.say(f"接单 {n}", frm="+8613600136000")
        self.say("不对，是垃圾没人清")
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["category"],
                         "streetlight")
        self.assertNotIn("已改为", self.last())

    def test_a_guessed_problem_says_how_to_put_it_right(self):
        # named by a keyword (停水): no such line
        self.say("王楼村这两天停水了")
        self.assertNotIn("问题不对", self.last())
        # guessed from the words (变压器, less than sure): the reply says
        # how, and that reply puts it right
        self.say("刘辛店村变压器的门开着，小孩老去那玩", frm="+8613700000002")
        reply = self.last("+8613700000002")
        self.assertIn("问题不对请回复“不对，是…”。", reply)
        n = self.case_number_in(reply)
        self.say("不对，是路面坑坑洼洼", frm="+8613700000002")
        self.assertIn(f"诉求{n}的问题已改为：道路交通", self.last("+8613700000002"))
        self.assertEqual(self.server.admin(f"/api/cases/{n}").json()["category"], "road")

    def test_cannot_touch_another_residents_case(self):
        self.say("王楼村这两天停水了", frm="+8613700000001")
        other = self.cases()[0]["number"]
        self.say(f"取消 {other}")
        self.assertEqual(self.cases()[0]["status"], "received")
        self.assertNotIn("已撤销", self.last())

    def test_restart_in_the_middle_of_a_dialog(self):
        self.say("村口路灯不亮")
        self.assertIn("村或社区", self.last())
        self.assertEqual(self.server.stop(), 0)
        self.server.start()
        self.say("刘辛店村")
        n = self.case_number_in(self.last())
        c = self.server.admin(f"/api/cases/{n}").json()
        self.assertEqual((c["grid"], c["category"]), ("liuxindian", "streetlight"))

    def test_replayed_message_id_changes_nothing(self):
        self.say("刘辛店村村口路灯不亮", msg_id="sim-1")
        self.say("刘辛店村村口路灯不亮", msg_id="sim-1")
        self.assertEqual(len(self.cases()), 1)
        self.assertEqual(len(self.inbox()), 1)

    def test_english_gets_english(self):
        self.say("The street light near Dazhao village gate is broken")
        reply = self.last()
        self.assertNotRegex(reply, r"[\u4e00-\u9fff]{3}")   # names may stay Chinese
        self.assertIn("STATUS", reply)
        self.assertEqual(self.cases()[0]["grid"], "dazhao")

    def test_stop_then_start(self):
        self.say("退订")
        confirm = self.inbox()
        self.assertEqual(len(confirm), 1)
        self.say("帮助")
        self.assertEqual(len(self.inbox()), 1)      # nothing more is sent
        self.say("订阅")
        self.assertEqual(len(self.inbox()), 2)

    def test_greeting_gets_explanation(self):
        self.say("你好")
        self.assertEqual(len(self.inbox()), 1)
        self.assertEqual(self.cases(), [])


class AdminApiTest(ServerTest):
    def test_token_required(self):
        self.assertEqual(self.server.get("/api/cases").status, 401)
        r = self.server.get("/api/cases", {"Authorization": "Bearer wrong"})
        self.assertEqual(r.status, 401)
        self.assertNotIn("test-admin-token", r.text)
        self.assertEqual(self.server.get("/api/cases/1").status, 401)
        self.assertEqual(self.server.admin("/api/cases").status, 200)

    def test_filters_paging_and_errors(self):
        for i, text in enumerate(["刘辛店村村口路灯不亮", "王楼村这两天停水了",
                                  "颜村铺村垃圾没人清，臭得很"]):
            r = self.server.post("/webhooks/sim", {"from": f"+861370000000{i}", "text": text})
            self.assertEqual(r.status, 200)
        all_ = self.server.admin("/api/cases").json()["cases"]
        self.assertEqual(len(all_), 3)
        self.assertEqual([c["number"] for c in all_], sorted([c["number"] for c in all_], reverse=True))
        r = self.server.admin("/api/cases?status=received&grid=wanglou").json()["cases"]
        self.assertEqual([c["grid"] for c in r], ["wanglou"])
        r = self.server.admin("/api/cases?citizen=%2B8613700000002").json()["cases"]
        self.assertEqual([c["grid"] for c in r], ["yancunpu"])
        r = self.server.admin("/api/cases?deputy=d-niu").json()["cases"]
        self.assertEqual([c["grid"] for c in r], ["liuxindian"])
        r = self.server.admin("/api/cases?limit=1&offset=1").json()
        self.assertEqual((len(r["cases"]), r["limit"], r["offset"]), (1, 1, 1))
        self.assertEqual(r["cases"][0]["number"], all_[1]["number"])
        self.assertEqual(len(self.server.admin("/api/cases?since=2000-01-01").json()["cases"]), 3)
        self.assertEqual(self.server.admin("/api/cases?since=2999-01-01").json()["cases"], [])
        for bad in ["status=open", "limit=0", "limit=1001", "limit=x", "grid=nowhere",
                    "since=yesterday", "offset=-1"]:
            r = self.server.admin("/api/cases?" + bad)
            self.assertEqual(r.status, 400, bad)
            self.assertIn("error", r.json())
        one = self.server.admin(f"/api/cases/{all_[0]['number']}").json()
        for key in ["number", "status", "channel", "citizen", "grid", "category", "tier",
                    "description", "place", "deputy", "department", "due_at",
                    "created_at", "updated_at", "rating", "events"]:
            self.assertIn(key, one)
        self.assertEqual(one["events"][0]["kind"], "created")
        self.assertEqual(self.server.admin("/api/cases/999").status, 404)
        self.assertEqual(self.server.admin("/api/cases/abc").status, 400)


if __name__ == "__main__":
    unittest.main()
