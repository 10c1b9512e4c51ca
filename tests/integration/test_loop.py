"""The whole six-order loop over the sim channel: resident, deputy, department."""
import re
import unittest
import urllib.parse

from harness import ServerTest

RESIDENT = "+8613800138000"
DEPUTY = "+8613900139000"       # 牛代表, first deputy of 刘辛店村
CHAIR = "+8613900139001"        # 赵代表, chair of 杨集乡 and the grid's backup
POWER = "+8615000150001"        # 县供电公司's contact
STRANGER = "+8613711112222"


class LoopTest(ServerTest):
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

    def new_case(self, text="刘辛店村村口路灯不亮", frm=RESIDENT):
        self.say(text, frm)
        m = re.search(r"查询\s*(\d+)", self.last(frm))
        self.assertIsNotNone(m, self.last(frm))
        return int(m.group(1))

    def resolve(self, n):
        self.say(f"接单 {n}", DEPUTY)
        self.say(f"派单 {n} power 2", DEPUTY)
        self.say(f"进展 {n} 已安排电工明早维修", POWER)
        self.say(f"办结 {n} 路灯已更换", POWER)

    def test_whole_loop_to_a_rating_of_5(self):
        n = self.new_case()
        self.say(f"接单 {n}", DEPUTY)
        self.assertEqual(self.case(n)["status"], "accepted")
        self.assertIn("牛代表", self.last(RESIDENT))
        self.say(f"派单 {n} power 2", DEPUTY)
        c = self.case(n)
        self.assertEqual((c["status"], c["department"]), ("dispatched", "power"))
        self.assertIsNotNone(c["due_at"])
        dept_msg = self.last(POWER)
        self.assertIn(str(n), dept_msg)
        self.assertIn("办结", dept_msg)
        self.assertIn("县供电公司", self.last(RESIDENT))
        self.say(f"进展 {n} 已安排电工明早维修", POWER)
        self.assertEqual(self.case(n)["status"], "in_progress")
        self.assertIn("已安排电工明早维修", self.last(RESIDENT))
        self.say(f"办结 {n} 路灯已更换", POWER)
        self.assertEqual(self.case(n)["status"], "resolved")
        prompt = self.inbox(RESIDENT)
        self.assertTrue(any("路灯已更换" in t for t in prompt), prompt)
        self.assertTrue(any("满意" in t for t in prompt), prompt)   # the rating prompt
        self.say("5 谢谢，修得很快", RESIDENT)
        c = self.case(n)
        self.assertEqual((c["status"], c["rating"]), ("closed", 5))
        kinds = [e["kind"] for e in c["events"]]
        for k in ["created", "accepted", "dispatched", "resolved"]:
            self.assertIn(k, kinds)
        self.assertEqual(c["events"][-1]["to_status"], "closed")

    def test_unsatisfied_reopens_and_tells_deputy_and_chair(self):
        n = self.new_case()
        self.resolve(n)
        before_dep, before_chair = len(self.inbox(DEPUTY)), len(self.inbox(CHAIR))
        self.say("不满意，灯还是不亮", RESIDENT)
        c = self.case(n)
        self.assertEqual((c["status"], c["rating"]), ("reopened", 1))
        self.assertGreater(len(self.inbox(DEPUTY)), before_dep)
        self.assertGreater(len(self.inbox(CHAIR)), before_chair)
        self.assertIn(str(n), self.last(CHAIR))
        self.assertIn(str(n), self.last(RESIDENT))

    def test_rating_is_answered_with_thanks(self):
        n = self.new_case()
        self.resolve(n)
        before = len(self.inbox(RESIDENT))
        self.say("5", RESIDENT)
        self.assertEqual(self.case(n)["status"], "closed")
        got = self.inbox(RESIDENT)
        self.assertEqual(len(got), before + 1, got)
        self.assertEqual(got[-1], "感谢您的评价！")

    def test_rating_of_1_is_answered_with_the_reopened_text(self):
        n = self.new_case()
        self.resolve(n)
        self.say("1", RESIDENT)
        self.assertEqual(self.case(n)["status"], "reopened")
        self.assertEqual(self.last(RESIDENT), f"已收到您的评价，诉求{n}已交回重新办理。")

    def test_everyday_words_are_ratings_when_one_is_awaited(self):
        for word, score, status in [("挺好的", 4, "closed"), ("还行吧", 3, "closed"),
                                    ("五星", 5, "closed"), ("不好，灯还是不亮", 1, "reopened")]:
            with self.subTest(word=word):
                n = self.new_case()
                self.resolve(n)
                self.say(word, RESIDENT)
                c = self.case(n)
                self.assertEqual((c["status"], c["rating"]), (status, score))
                self.assertIn("评价", self.last(RESIDENT))
        # the same words with no rating awaited are no rating: 好 starts no case
        before = self.server.admin("/api/cases").json()["count"]
        self.say("好", RESIDENT)
        self.assertEqual(self.server.admin("/api/cases").json()["count"], before)

    def test_words_of_a_new_request_are_no_rating(self):
        n = self.new_case()
        self.resolve(n)
        self.say("不好意思，王楼村这两天停水了", RESIDENT)
        self.assertEqual(self.case(n)["status"], "resolved")
        self.assertIn("已受理", self.last(RESIDENT))

    def test_strangers_resolve_is_refused(self):
        n = self.new_case()
        self.say(f"办结 {n} 已解决", STRANGER)
        self.assertEqual(self.case(n)["status"], "received")
        self.assertIn("仅限代表", self.last(STRANGER))
        self.assertEqual(self.server.admin("/api/cases").json()["count"], 1)

    def test_other_deputy_cannot_accept(self):
        n = self.new_case()
        self.say(f"接单 {n}", "+8613500135000")   # 郭代表, deputy of another grid
        self.assertEqual(self.case(n)["status"], "received")
        self.assertIn(str(n), self.last("+8613500135000"))

    def test_malformed_command_gets_usage(self):
        self.new_case()
        self.say("派单", DEPUTY)
        self.assertIn("派单", self.last(DEPUTY))

    def test_list_after_several_cases(self):
        nums = [self.new_case(t, f"+86137000000{i:02d}") for i, t in enumerate(
            ["刘辛店村村口路灯不亮", "刘辛店村自来水停了", "刘辛店村路面有个大坑"])]
        self.say("列表", DEPUTY)
        lines = self.last(DEPUTY).split("\n")
        listed = [int(l.split()[0]) for l in lines[1:] if l.split() and l.split()[0].isdigit()]
        self.assertEqual(listed, nums)        # oldest first
        self.assertIn("3", lines[0])          # "待办3件"

    def test_show_one_case(self):
        n = self.new_case()
        self.say(f"查 {n}", DEPUTY)
        self.assertIn("路灯", self.last(DEPUTY))


if __name__ == "__main__":
    unittest.main()
