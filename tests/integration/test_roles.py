"""Everyone in the loop has a place (issue 13): staff, several deputies per
grid with duty days, the township's view, over the real server and the sim
channel."""
import datetime
import json
import re
import unittest
import urllib.parse
import zoneinfo

from harness import ServerTest, ENV
from fakes import FakeProvider, FakeTwilio, group_signature

RESIDENT = "+8613800138000"
NIU = "+8613900139000"          # 牛代表, the one deputy of 刘辛店村 (杨集乡)
ZHAO = "+8613900139001"         # 赵代表, chair of 杨集乡
MA = "+8613700137000"           # 马代表, lead of 杨集村 (杨集乡)
WANG = "+8613600136000"         # 王代表, lead of 王楼村, chair of 王楼镇
HAN = "+8615900135900"          # 韩代表, second deputy of 王楼村
COUNTY = "+8618600186000"       # 县人大代表工委李主任, county staff
CLERK = "+8618600186001"        # 杨集乡联络站杨干事, township staff of 杨集乡
OBSERVER = "+8618700187000"     # 钱大姐, an observer: not staff
POWER = "+8615000150001"        # 县供电公司's contact
WATER = "+8615000150002"        # 县水利局's contact
SANITATION = "+8615100151004"   # 县城市管理局's contact
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def today():
    """The weekday in the example's zone, as duty_weekdays writes it."""
    return DAYS[datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).weekday()]


class RolesBase(ServerTest):
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


class GridDeputiesTest(RolesBase):
    def test_second_deputy_takes_case_and_lead_is_told(self):
        n = self.new_case("王楼村垃圾堆了一个星期没人清理")    # sanitation: tier 1
        self.assertEqual(self.case(n)["deputy"], "d-wang")
        self.assertTrue(any(f"{n}" in t for t in self.inbox(WANG)))
        self.say(f"接单 {n}", HAN)
        c = self.case(n)
        self.assertEqual((c["status"], c["deputy"]), ("accepted", "d-han"))
        self.assertEqual(c["events"][-1]["actor"], "deputy:d-han")
        self.assertIn("韩代表", self.last(RESIDENT))
        told = self.last(WANG)
        self.assertIn(f"诉求{n}已由韩代表接单", told)
        self.assertIn("已接单", self.last(HAN))

    def test_second_deputy_shows_but_may_not_dispatch_the_leads_case(self):
        n = self.new_case("王楼村停水两天了")
        self.say(f"接单 {n}", WANG)
        self.say(f"查 {n}", HAN)
        self.assertIn(f"诉求{n}", self.last(HAN))
        self.assertIn("停水", self.last(HAN))
        self.say(f"派单 {n} water", HAN)
        self.assertIn("不由您负责", self.last(HAN))
        self.assertEqual(self.case(n)["status"], "accepted")

    def test_deputy_of_another_grid_refused(self):
        n = self.new_case("刘辛店村村口路灯不亮")
        self.say(f"接单 {n}", HAN)
        self.assertIn("不由您负责", self.last(HAN))
        self.assertEqual(self.case(n)["status"], "received")


def duty_on(pick):
    """A config change giving 韩代表 the duty days pick(today) names, today
    taken as the server's config is written (mutate.day): a test compares
    it with the day its messages went, and skips across midnight."""
    def mutate(cfg):
        mutate.day = today()
        for d in cfg["deputies"]:
            if d["id"] == "d-han":
                d["duty_weekdays"] = pick(mutate.day)
    mutate.day = None
    return mutate


class DutyTodayTest(RolesBase):
    """韩代表 is on duty today: a new case of 王楼村 reaches him too."""
    mutate = staticmethod(duty_on(lambda day: [day]))

    def test_duty_deputy_alerted_and_told_when_the_lead_takes_it(self):
        n = self.new_case("王楼村停水两天了")
        if today() != self.mutate.day:
            self.skipTest("the day changed during the test")
        self.assertTrue(any(f"{n}" in t and "停水" in t for t in self.inbox(HAN)),
                        self.inbox(HAN))
        self.assertTrue(any(f"{n}" in t for t in self.inbox(WANG)))
        self.say(f"接单 {n}", WANG)
        self.assertIn(f"诉求{n}已由王代表接单", self.last(HAN))


class DutyOtherDaysTest(RolesBase):
    """韩代表 is on duty every day but today: he hears nothing of a new case."""
    mutate = staticmethod(duty_on(lambda day: [d for d in DAYS if d != day]))

    def test_duty_deputy_not_alerted_off_his_day(self):
        n = self.new_case("王楼村停水两天了")
        if today() != self.mutate.day:
            self.skipTest("the day changed during the test")
        self.assertEqual(self.inbox(HAN), [])
        self.assertTrue(any(f"{n}" in t for t in self.inbox(WANG)))
        self.say(f"接单 {n}", WANG)
        self.assertEqual(self.inbox(HAN), [])


class StaffTest(RolesBase):
    def test_township_clerk_handles_a_case_of_the_township(self):
        n = self.new_case("刘辛店村村口路灯不亮")
        self.say(f"接单 {n}", CLERK)
        c = self.case(n)
        self.assertEqual((c["status"], c["deputy"]), ("accepted", "d-niu"))
        self.assertEqual(c["events"][-1]["actor"], "staff:s-yangji")
        self.assertIn("杨干事", self.last(RESIDENT))
        self.assertIn(f"诉求{n}已由杨集乡联络站杨干事接单", self.last(NIU))
        self.say(f"派单 {n} power 2", CLERK)
        c = self.case(n)
        self.assertEqual((c["status"], c["department"]), ("dispatched", "power"))
        self.assertEqual(c["events"][-1]["actor"], "staff:s-yangji")

    def test_township_clerk_refused_in_another_township(self):
        n = self.new_case("王楼村停水两天了")
        self.say(f"接单 {n}", CLERK)
        self.assertIn("不由您负责", self.last(CLERK))
        self.say(f"ACCEPT {n}", CLERK)
        self.assertIn("not yours", self.last(CLERK))
        self.assertEqual(self.case(n)["status"], "received")

    def test_county_staff_act_on_any_case(self):
        n = self.new_case("王楼村停水两天了")
        self.say(f"接单 {n}", COUNTY)
        self.say(f"DISPATCH {n} water 3", COUNTY)
        c = self.case(n)
        self.assertEqual((c["status"], c["department"]), ("dispatched", "water"))
        self.assertEqual([e["actor"] for e in c["events"][-2:]],
                         ["staff:s-li", "staff:s-li"])
        self.assertIn("Case", self.last(COUNTY))

    def test_observer_only_files_on_behalf(self):
        n = self.new_case("刘辛店村村口路灯不亮")
        self.say(f"接单 {n}", OBSERVER)
        self.assertIn("代办", self.last(OBSERVER))
        self.assertEqual(self.case(n)["status"], "received")

    def test_staff_help_lists_the_deputies_commands(self):
        self.say("帮助", COUNTY)
        self.assertIn("接单", self.last(COUNTY))


class TownshipViewTest(RolesBase):
    def test_chair_lists_another_deputys_case_in_his_township(self):
        a = self.new_case("刘辛店村村口路灯不亮")               # 牛代表's
        b = self.new_case("杨集村停水两天了", "+8613800138001")  # 马代表's
        c = self.new_case("王楼村停水两天了", "+8613800138002")  # another township
        self.say(f"接单 {b}", MA)
        self.say("列表", ZHAO)
        got = self.last(ZHAO)
        self.assertIn("待办2件", got)
        self.assertLess(got.index(f"\n{a} "), got.index(f"\n{b} "))   # oldest first
        self.assertNotIn(f"\n{c} ", got)
        self.say("列表", CLERK)
        got = self.last(CLERK)
        self.assertIn("待办2件", got)
        self.assertIn(f"\n{a} ", got)
        self.assertIn(f"\n{b} ", got)
        # the deputy himself still sees only his
        self.say("列表", NIU)
        self.assertIn("待办1件", self.last(NIU))

    def test_county_staff_list_tier3_waiting_for_dispatch(self):
        road = self.new_case("王楼村路口红绿灯坏了")          # road: tier 3
        water = self.new_case("王楼村停水两天了", "+8613800138001")  # tier 2
        self.say("LIST", COUNTY)
        got = self.last(COUNTY)
        self.assertIn("1 open case", got)
        self.assertIn(f"\n{road} ", got)
        self.assertNotIn(f"\n{water} ", got)
        self.say(f"接单 {road}", WANG)
        self.say(f"派单 {road} transport", WANG)
        self.say("列表", COUNTY)
        self.assertIn("没有", self.last(COUNTY))


class TiersTest(RolesBase):
    def test_tier3_case_reaches_county_staff_who_dispatch(self):
        n = self.new_case("王楼村路口红绿灯坏了")           # road: tier 3
        self.assertEqual(self.case(n)["tier"], 3)
        self.say(f"接单 {n}", WANG)
        got = self.last(COUNTY)
        self.assertIn("县级交办", got)
        self.assertIn(f"诉求{n}", got)
        self.assertEqual(self.inbox(CLERK), [])            # another township's clerk
        self.say(f"派单 {n} transport 5", COUNTY)
        c = self.case(n)
        self.assertEqual((c["status"], c["department"]), ("dispatched", "transport"))
        self.assertEqual(c["events"][-1]["actor"], "staff:s-li")
        self.assertIn("县交通运输局", self.last(RESIDENT))

    def test_tier2_case_announced_to_township_staff_and_chair(self):
        n = self.new_case("刘辛店村村口路灯不亮")           # streetlight: tier 2
        self.say(f"接单 {n}", NIU)
        self.assertIn("乡镇统筹", self.last(CLERK))
        self.assertIn("乡镇统筹", self.last(ZHAO))
        self.assertEqual(self.inbox(COUNTY), [])
        self.say(f"派单 {n} power", ZHAO)
        self.assertEqual(self.case(n)["status"], "dispatched")

    def test_escalate_lifts_one_tier_and_tells_next_level_and_resident(self):
        n = self.new_case("刘辛店村垃圾堆了一个星期没人清理")   # sanitation: tier 1
        self.say(f"接单 {n}", NIU)
        self.assertEqual(self.inbox(CLERK), [])
        self.say(f"上报 {n} 需乡镇协调场地", NIU)
        c = self.case(n)
        self.assertEqual((c["tier"], c["status"]), (2, "accepted"))
        self.assertEqual((c["events"][-1]["kind"], c["events"][-1]["actor"]),
                         ("tier_raised", "deputy:d-niu"))
        self.assertIn("需乡镇协调场地", self.last(CLERK))
        self.assertIn("上报", self.last(ZHAO))
        self.assertIn("杨集乡", self.last(RESIDENT))
        self.say(f"ESCALATE {n}", CLERK)
        self.assertEqual(self.case(n)["tier"], 3)
        self.assertIn("上报", self.last(COUNTY))
        self.assertIn("县人大常委会", self.last(RESIDENT))
        self.assertIn("county congress office", self.last(CLERK))
        self.say(f"上报 {n}", COUNTY)
        self.assertIn("不能再上报", self.last(COUNTY))
        self.assertEqual(self.case(n)["tier"], 3)

    def test_case_with_no_place_is_triaged_by_county_staff(self):
        self.say("路灯坏了好几天了", RESIDENT)
        for _ in range(3):
            self.say("不知道", RESIDENT)
        reply = self.last(RESIDENT)
        m = re.search(r"编号(\d+)", reply)
        self.assertIsNotNone(m, reply)
        n = int(m.group(1))
        self.assertIn("县人大常委会", reply)
        c = self.case(n)
        self.assertEqual((c["grid"], c["township"], c["deputy"], c["triage"]),
                         (None, None, None, True))
        alert = self.last(COUNTY)
        self.assertIn("待分办", alert)
        self.assertIn(f"分办{n}", alert)
        self.assertEqual(self.inbox(ZHAO), [])             # not the first township's chair
        self.say("列表", COUNTY)
        self.assertIn(f"\n{n} ", self.last(COUNTY))
        self.say(f"分办 {n} 王楼村", COUNTY)
        c = self.case(n)
        self.assertEqual((c["grid"], c["township"], c["deputy"], c["triage"], c["status"]),
                         ("wanglou", "wanglou", "d-wang", False, "received"))
        self.assertEqual((c["events"][-1]["kind"], c["events"][-1]["actor"]),
                         ("triaged", "staff:s-li"))
        self.assertIn(f"诉求{n}", self.last(WANG))
        self.assertIn("13800138000", self.last(WANG))
        self.assertIn("王楼村的王代表", self.last(RESIDENT))
        self.say("列表", COUNTY)
        self.assertNotIn(f"\n{n} ", self.last(COUNTY))
        self.say(f"接单 {n}", WANG)
        self.assertEqual(self.case(n)["status"], "accepted")


class DepartmentTalkTest(RolesBase):
    def dispatched(self, by=NIU):
        n = self.new_case("刘辛店村村口路灯不亮")
        self.say(f"接单 {n}", NIU)
        self.say(f"派单 {n} power 2", by)
        self.assertEqual(self.case(n)["status"], "dispatched")
        return n

    def test_department_shows_its_case(self):
        n = self.dispatched()
        self.say(f"查 {n}", POWER)
        got = self.last(POWER)
        self.assertIn(f"诉求{n}", got)
        self.assertIn("村口路灯不亮", got)
        self.say(f"查 {n}", WATER)                       # not its case
        self.assertIn("不由您负责", self.last(WATER))

    def test_department_note_reaches_deputy_and_resident(self):
        n = self.dispatched()
        self.say(f"进展 {n} 已安排电工明早维修", POWER)
        self.assertIn("已安排电工明早维修", self.last(RESIDENT))
        got = self.last(NIU)
        self.assertIn("县供电公司", got)
        self.assertIn("已安排电工明早维修", got)

    def test_department_returns_case_to_whoever_dispatched_it(self):
        n = self.dispatched(by=CLERK)
        before = len(self.inbox(RESIDENT))
        self.say(f"退回 {n} 线路属村集体，不归供电公司", POWER)
        c = self.case(n)
        self.assertEqual(c["status"], "accepted")
        self.assertEqual((c["events"][-1]["kind"], c["events"][-1]["actor"]),
                         ("returned", "department:power"))
        self.assertIn("县供电公司退回诉求", self.last(CLERK))
        self.assertIn("不归供电公司", self.last(CLERK))
        self.assertIn("已退回", self.last(POWER))
        self.assertEqual(len(self.inbox(RESIDENT)), before)
        self.say(f"派单 {n} sanitation", NIU)               # dispatched again
        self.assertEqual(self.case(n)["department"], "sanitation")

    def test_deputy_presses_department(self):
        n = self.dispatched()
        self.say(f"督办 {n} 请今天内修好", NIU)
        got = self.last(POWER)
        self.assertIn("【督办】", got)
        self.assertIn("请今天内修好", got)
        c = self.case(n)
        self.assertEqual((c["events"][-1]["kind"], c["events"][-1]["actor"]),
                         ("pressed", "deputy:d-niu"))
        self.assertEqual(c["status"], "dispatched")
        self.say(f"PRESS {n} by Friday", COUNTY)
        self.assertIn("by Friday", self.last(POWER))


def sms_over_sim(cfg):
    """代办 reaches residents over the simulator, never a real provider."""
    cfg.setdefault("dialog", {})["sms_channel"] = "sim"


class OnBehalfTest(RolesBase):
    mutate = staticmethod(sms_over_sim)
    ELDER = "+8613812340000"        # has never written

    def test_observer_files_for_an_elder_who_gets_receipt_updates_and_rating(self):
        self.say("代办 13812340000 家里老人行动不便，想申请助餐", OBSERVER)
        receipt = self.last(self.ELDER)
        m = re.search(r"查询\s*(\d+)", receipt)
        self.assertIsNotNone(m, receipt)
        n = int(m.group(1))
        self.assertIn("【代办回执】", self.last(OBSERVER))
        self.assertIn(f"查询{n}", self.last(OBSERVER))
        c = self.case(n)
        self.assertEqual((c["citizen"], c["filed_by"], c["grid"], c["category"],
                          c["channel"]),
                         (self.ELDER, "observer:o-qian", "liuxindian", "elderly", "sim"))
        self.assertEqual((c["events"][0]["kind"], c["events"][0]["actor"]),
                         ("created", "observer:o-qian"))
        self.assertIn("13812340000", self.last(NIU))         # the deputy calls back
        # every update and the rating prompt reach the elder, not the observer
        copies = len(self.inbox(OBSERVER))
        self.say(f"接单 {n}", NIU)
        self.assertIn("牛代表", self.last(self.ELDER))
        self.say(f"派单 {n} civil 5", NIU)
        self.say(f"办结 {n} 已安排助餐点送餐", "+8615800158007")
        self.assertTrue(any("满意" in t for t in self.inbox(self.ELDER)))
        self.assertEqual(len(self.inbox(OBSERVER)), copies)
        self.say("5", self.ELDER)
        c = self.case(n)
        self.assertEqual((c["status"], c["rating"]), ("closed", 5))
        r = self.server.admin("/api/cases?tier=2&grid=liuxindian").json()
        self.assertEqual([x["number"] for x in r["cases"]], [n])
        self.assertEqual(self.server.admin("/api/cases?tier=4").status, 400)

    def test_deputy_files_and_bad_number_is_refused(self):
        self.say("代办 12345 路灯坏了", NIU)
        self.assertIn("不是有效的手机号", self.last(NIU))
        self.assertEqual(self.server.admin("/api/cases").json()["cases"], [])
        self.say("ONBEHALF 13812340000 王楼村停水两天了", NIU)
        c = self.server.admin("/api/cases").json()["cases"][0]
        self.assertEqual((c["citizen"], c["filed_by"], c["grid"]),
                         (self.ELDER, "deputy:d-niu", "wanglou"))
        self.assertIn(f"{c['number']}", self.last(self.ELDER))

    def test_department_may_not_file(self):
        self.say("代办 13812340000 路灯坏了", POWER)
        self.assertIn("只有代表、工作人员和民情观察员", self.last(POWER))
        self.assertEqual(self.inbox(self.ELDER), [])


class JointHandlingTest(RolesBase):
    def test_joint_dispatch_reaches_both_and_only_the_lead_resolves(self):
        n = self.new_case("刘辛店村垃圾堆了一个星期没人清理")
        self.say(f"接单 {n}", NIU)
        self.say(f"派单 {n} 城市管理,水利 5 清理垃圾并建长效机制", NIU)
        c = self.case(n)
        self.assertEqual((c["status"], c["department"], c["departments"], c["instruction"]),
                         ("dispatched", "sanitation", ["sanitation", "water"],
                          "清理垃圾并建长效机制"))
        lead, helper = self.last(SANITATION), self.last(WATER)
        for got in (lead, helper):
            self.assertIn("【交办】", got)
            self.assertIn("要求：清理垃圾并建长效机制", got)
        self.assertIn("主办", lead)
        self.assertIn("协办", helper)
        self.say("列表", WATER)                              # its list holds it
        self.assertIn(f"\n{n} ", self.last(WATER))
        self.say(f"督办 {n} 请本周完成", NIU)                  # both are pressed
        self.assertIn("请本周完成", self.last(SANITATION))
        self.assertIn("请本周完成", self.last(WATER))
        self.say(f"进展 {n} 已派人协助清运", WATER)          # an assisting one reports
        self.assertEqual(self.case(n)["status"], "in_progress")
        self.assertIn("已派人协助清运", self.last(RESIDENT))
        self.say(f"办结 {n} 已清理", WATER)                 # but may not resolve
        self.assertIn("由主办单位办结", self.last(WATER))
        self.assertEqual(self.case(n)["status"], "in_progress")
        self.say(f"查 {n}", NIU)
        self.assertIn("要求：清理垃圾并建长效机制", self.last(NIU))
        self.say(f"办结 {n} 垃圾已清运，每周两次保洁", SANITATION)
        self.assertEqual(self.case(n)["status"], "resolved")

    def test_reopened_case_dispatch_quotes_the_complaint(self):
        n = self.new_case("刘辛店村村口路灯不亮")
        self.say(f"接单 {n}", NIU)
        self.say(f"派单 {n} power 2", NIU)
        self.say(f"办结 {n} 路灯已更换", POWER)
        self.say("不满意，灯还是不亮", RESIDENT)
        self.assertEqual(self.case(n)["status"], "reopened")
        self.say(f"派单 {n} power 1 重新检修线路", NIU)
        got = self.last(POWER)
        self.assertIn("群众不满意：灯还是不亮", got)
        self.assertIn("要求：重新检修线路", got)


class FindDeputyTest(RolesBase):
    def test_find_deputy_by_place_with_phones_and_how_to_ask(self):
        self.say("找代表王楼村", RESIDENT)
        got = self.last(RESIDENT)
        self.assertIn("王代表 13600136000", got)
        self.assertIn("韩代表 15900135900", got)
        self.assertIn("诉求", got)
        self.assertEqual(self.server.admin("/api/cases").json()["cases"], [])

    def test_find_deputy_of_my_latest_case_and_in_english(self):
        self.new_case("刘辛店村村口路灯不亮")
        self.say("找代表", RESIDENT)
        self.assertIn("牛代表 13900139000", self.last(RESIDENT))
        self.say("DEPUTY Dazhao", "+8613800138009")
        got = self.last("+8613800138009")
        self.assertIn("Deputies of Dazhao", got)
        self.assertIn("13500135000", got)

    def test_find_deputy_without_a_place_asks_for_it(self):
        self.say("找代表", RESIDENT)
        self.assertIn("找代表刘辛店村", self.last(RESIDENT))


class DutyTodayFindTest(RolesBase):
    mutate = staticmethod(duty_on(lambda day: [day]))

    def test_find_deputy_names_todays_duty_deputy(self):
        self.say("找代表王楼村", RESIDENT)
        if today() != self.mutate.day:
            self.skipTest("the day changed during the test")
        self.assertIn("今天值班：韩代表", self.last(RESIDENT))


class FakeRobot(FakeProvider):
    def default_answer(self, rec, k):
        return 200, {"errcode": 0, "errmsg": "ok"}


class GroupBase(ServerTest):
    """A group member's case: the deputy's SMS alert names her and gives
    her whole number; an alert posted in the group masks it."""

    def setUp(self):
        self.robot = FakeRobot()
        self.sms = FakeTwilio()
        robot, sms = self.robot.url, self.sms.url

        def mutate(cfg):
            for g in cfg["grids"]:
                for grp in g.get("groups", []):
                    grp["webhook_url"] = robot + "/cgi-bin/webhook/send?key=KEY"
            for ch in cfg["channels"]:
                if ch["id"] == "sms":
                    ch["api_base"] = sms
            if getattr(self, "in_group", False):
                for d in cfg["deputies"]:
                    if d["id"] == "d-niu":
                        d["notify_channel"] = "groups"
        type(self).mutate = staticmethod(mutate)
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.robot.close()
        self.sms.close()

    def group_msg(self, text):
        body = json.dumps({"msg_id": "m1", "group_id": "wxg-001",
                           "sender": {"id": "wx-zhang", "name": "张大姐",
                                      "mobile": "13800138000"},
                           "text": text, "mentions": ["民意助手"]},
                          ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json",
                   "X-Minyi-Signature": group_signature(ENV["MINYI_GROUP_SECRET"], body)}
        r = self.server.post("/webhooks/groups", body, headers)
        self.assertEqual(r.status, 200, r.text)


class GroupAlertTest(GroupBase):
    def test_sms_alert_names_the_member_with_her_number(self):
        self.group_msg("@民意助手 村口路灯不亮，晚上看不见")
        alerts = self.sms.wait_for(lambda q: len(q) >= 1)
        self.assertEqual(alerts[0].form["To"], NIU)
        body = alerts[0].form["Body"]
        self.assertIn("群众张大姐 13800138000", body)
        self.assertNotIn("wx-zhang", body)
        self.assertFalse(any("13800138000" in line and "case created" in line
                             for line in self.server.log))


class GroupAlertInGroupTest(GroupBase):
    in_group = True

    def test_alert_in_the_group_masks_her_number(self):
        self.group_msg("@民意助手 村口路灯不亮，晚上看不见")
        reqs = self.robot.wait_for(lambda q: len(q) >= 2)
        alert = [q.json["text"]["content"] for q in reqs
                 if "接单" in q.json["text"]["content"]]
        self.assertEqual(len(alert), 1)
        self.assertIn("张大姐 138****8000", alert[0])
        self.assertNotIn("13800138000", alert[0])
        self.assertEqual(self.sms.requests, [])


if __name__ == "__main__":
    unittest.main()
