"""The workbench's 三张清单, 报表, 代表, search, 票决 and 履职, over HTTP (console/).

GET /console/api/lists gives the problem, assignment and completion lists
of a period and a township with their totals, and the same as CSV and
XLSX downloads that a spreadsheet opens.
"""
import csv
import datetime
import io
import json
import os
import sys
import time
import urllib.parse

from harness import ServerTest, run_minyi
from test_console_api import cookie_of, login, passwd

try:
    import openpyxl
except ImportError:
    # Debian's python3-openpyxl, when python3 is another build (pyenv)
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

RESIDENT = "+8613800138000"
RESIDENT2 = "+8613800138001"
RESIDENT3 = "+8613800138002"
POWER = "+8615000150001"               # 县供电公司
TZ = datetime.timezone(datetime.timedelta(hours=8))   # Asia/Shanghai
DEPUTIES = ["+8613900139000", "+8613900139001", "+8613700137000", "+8613600136000",
            "+8613500135000", "+8615900135900", "+8613700137002", "+8613500135001"]


def ballots_over_sim(cfg):
    """票决 ballots go out over the simulator."""
    cfg["evaluation"] = {"channel": "sim"}


class ConsolePagesTest(ServerTest):
    mutate = staticmethod(ballots_over_sim)

    def say(self, text, frm):
        r = self.server.post("/webhooks/sim", {"from": frm, "text": text})
        self.assertEqual(r.status, 200, r.text)

    def session(self, account):
        passwd(self.server, account, "密码-correct-horse")
        r = login(self.server, account, "密码-correct-horse")
        self.assertEqual(r.status, 200, r.text)
        return {"Cookie": "minyi_session=" + cookie_of(r), "X-CSRF-Token": r.json()["csrf"]}

    def act(self, n, headers, **body):
        r = self.server.post("/api/cases/%d/actions" % n, body, headers)
        self.assertEqual(r.status, 200, r.text)

    def numbers(self):
        return {c["description"]: c["number"]
                for c in self.server.admin("/api/cases").json()["cases"]}

    def three_cases(self):
        """Three cases in 杨集乡: one only received, one dispatched to
        县供电公司, one dispatched and resolved.  Their numbers."""
        self.say("刘辛店村村口路灯不亮", RESIDENT)
        self.say("刘辛店村东头路灯一直闪", RESIDENT2)
        self.say("刘辛店村小学门口路灯坏了", RESIDENT3)
        n = self.numbers()
        a, b, c = n["刘辛店村村口路灯不亮"], n["刘辛店村东头路灯一直闪"], n["刘辛店村小学门口路灯坏了"]
        niu = self.session("d-niu")
        for k in (b, c):
            self.act(k, niu, action="accept")
        self.act(b, niu, action="dispatch", departments=["power"], days=3)
        # by SMS, with what the 交办 asks to be done
        self.say("派单 %d power 3 三天内更换灯泡" % c, "+8613900139000")
        self.assertEqual(self.server.admin("/api/cases/%d" % c).json()["status"], "dispatched")
        power = self.session("power")
        self.act(c, power, action="resolve", text="已更换灯泡，恢复照明")
        return a, b, c

    # --- 三张清单 --------------------------------------------------------------

    def test_the_three_lists_and_their_totals(self):
        a, b, c = self.three_cases()
        r = self.server.admin("/console/api/lists?township=yangji")
        self.assertEqual(r.status, 200, r.text)
        o = r.json()
        self.assertEqual(o["totals"], {"problems": 3, "assignments": 2, "completions": 1})
        self.assertEqual(o["township_name"], "杨集乡")
        self.assertEqual([x["number"] for x in o["problems"]], [a, b, c])
        self.assertEqual([x["number"] for x in o["assignments"]], [b, c])
        self.assertEqual(o["assignments"][0]["department"], "县供电公司")
        self.assertEqual([x["instruction"] for x in o["assignments"]], [None, "三天内更换灯泡"])
        self.assertRegex(o["assignments"][0]["due"], r"^\d{4}-\d\d-\d\d \d\d:\d\d$")
        done = o["completions"][0]
        self.assertEqual((done["number"], done["result"], done["status"]),
                         (c, "已更换灯泡，恢复照明", "待评价"))
        self.assertEqual(o["problems"][0]["grid"], "刘辛店村")
        # another township's lists are empty; a period before them too
        o = self.server.admin("/console/api/lists?township=wanglou").json()
        self.assertEqual(o["totals"], {"problems": 0, "assignments": 0, "completions": 0})
        o = self.server.admin("/console/api/lists?from=2020-01-01&to=2020-01-31").json()
        self.assertEqual(o["totals"], {"problems": 0, "assignments": 0, "completions": 0})
        self.assertEqual((o["from"], o["to"]), ("2020-01-01", "2020-01-31"))

    def test_the_lists_follow_the_accounts_scope(self):
        self.three_cases()
        o = self.server.get("/console/api/lists", self.session("power")).json()
        self.assertEqual(o["totals"], {"problems": 2, "assignments": 2, "completions": 1})
        o = self.server.get("/console/api/lists", self.session("d-ma")).json()
        self.assertEqual(o["totals"], {"problems": 0, "assignments": 0, "completions": 0})

    def test_bad_periods_and_townships_are_400(self):
        for q, err in (("from=2026-13", "from: expected a date like 2026-11-01"),
                       ("to=yesterday", "to: expected a date like 2026-11-30"),
                       ("from=2026-12-05&to=2026-12-01", "from must not be after to"),
                       ("township=nowhere", "township: unknown"),
                       ("format=pdf", "format: expected json, csv or xlsx")):
            r = self.server.admin("/console/api/lists?" + q)
            self.assertEqual((r.status, r.json()["error"]), (400, err), q)
        self.assertEqual(self.server.get("/console/api/lists").status, 401)

    def test_the_csv_download_opens_with_the_three_lists(self):
        a, b, c = self.three_cases()
        r = self.server.admin("/console/api/lists?township=yangji&format=csv")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertRegex(r.headers["Content-Disposition"],
                         r'^attachment; filename="lists-\d{4}-\d\d-01-\d{4}-\d\d-\d\d-yangji\.csv"$')
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"))      # Excel reads it as UTF-8
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        titles = [x[0] for x in rows if x and x[0].endswith("清单")]
        self.assertEqual([t.split(" ")[0] for t in titles], ["杨集乡"] * 3)
        self.assertEqual([t.split(" ")[-1] for t in titles], ["问题清单", "交办清单", "办结清单"])
        self.assertEqual([x[1] for x in rows if x and x[0] == "合计"], ["3 件", "2 件", "1 件"])
        done = [x for x in rows if x and x[0] == str(c)][-1]
        self.assertIn("已更换灯泡，恢复照明", done)

    def test_the_xlsx_download_opens_with_three_sheets(self):
        a, b, c = self.three_cases()
        r = self.server.admin("/console/api/lists?township=yangji&format=xlsx")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.headers["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        wb = openpyxl.load_workbook(io.BytesIO(r.body))
        self.assertEqual(wb.sheetnames, ["问题清单", "交办清单", "办结清单"])
        got = {}
        for name in wb.sheetnames:
            rows = list(wb[name].iter_rows(values_only=True))
            self.assertTrue(rows[0][0].endswith(name), rows[0])
            self.assertEqual(rows[1][0], "编号")
            self.assertEqual(rows[-1][0], "合计")
            got[name] = ([x[0] for x in rows[2:-1]], rows[-1][1])
        self.assertEqual(got, {"问题清单": ([a, b, c], 3), "交办清单": ([b, c], 2),
                               "办结清单": ([c], 1)})
        head = [x.value for x in wb["交办清单"][2]]
        self.assertIn("承办单位", head)
        self.assertIn("交办要求", head)
        self.assertIn("三天内更换灯泡", [x.value for x in wb["交办清单"][4]])
        self.assertIn("办理时限", head)

    # --- 报表 ------------------------------------------------------------------

    def test_the_reports_are_the_figures_of_minyi_report(self):
        self.three_cases()
        self.say("大赵村路面坑洼", "+8613800138003")
        r = self.server.get("/console/api/reports?from=2026-01-01&to=2030-12-31",
                            self.session("d-niu"))
        self.assertEqual(r.status, 200, r.text)
        o = r.json()
        self.assertEqual((o["from"], o["to"]), ("2026-01-01", "2030-12-31"))
        for kind in ("deputies", "departments", "hotspots"):
            p = run_minyi("report", kind, "--config", self.server.config_path,
                          "--from", "2026-01-01", "--to", "2030-12-31", "--format", "json",
                          env=self.server.env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(o[kind], json.loads(p.stdout), kind)
        niu = [d for d in o["deputies"] if d["deputy"] == "d-niu"][0]
        self.assertEqual((niu["received"], niu["resolved"]), (3, 1))
        power = o["departments"][0]
        self.assertEqual((power["rank"], power["department"], power["dispatched"]),
                         (1, "power", 2))
        light = [h for h in o["hotspots"] if h["grid"] == "liuxindian"]
        self.assertEqual([(h["category"], h["requests"], h["change"]) for h in light],
                         [("streetlight", 3, 3)])
        r = self.server.admin("/console/api/reports?from=2026-02-30x")
        self.assertEqual((r.status, r.json()["error"]),
                         (400, "from: expected a date like 2026-11-01"))

    # --- 代表 ------------------------------------------------------------------

    def test_the_deputies_by_township_and_grid_with_their_figures(self):
        self.three_cases()
        r = self.server.get("/console/api/deputies", self.session("power"))
        self.assertEqual(r.status, 200, r.text)
        o = r.json()
        towns = {t["id"]: t for t in o["townships"]}
        self.assertEqual(towns["yangji"]["name"], "杨集乡")
        grids = {g["id"]: g for g in towns["yangji"]["grids"]}
        self.assertEqual(grids["liuxindian"]["open"], 3)       # resolved awaits a rating
        self.assertEqual(grids["liuxindian"]["deputies"][0], "d-niu")
        self.assertEqual(grids["yangji"]["open"], 0)
        niu = [d for d in o["deputies"] if d["id"] == "d-niu"][0]
        self.assertEqual((niu["phone"], niu["level"], niu["open"], niu["received"],
                          niu["resolved"]), ("+8613900139000", "township", 3, 3, 1))
        self.assertIn("liuxindian", niu["grids"])
        liu = [d for d in o["deputies"] if d["id"] == "d-liu"][0]
        self.assertEqual((liu["open"], liu["received"], liu["resolved"]), (0, 0, 0))
        # a period before the cases: none received or resolved, still open
        o = self.server.admin("/console/api/deputies?from=2020-01-01&to=2020-01-31").json()
        niu = [d for d in o["deputies"] if d["id"] == "d-niu"][0]
        self.assertEqual((niu["open"], niu["received"], niu["resolved"]), (3, 0, 0))

    # --- search ----------------------------------------------------------------

    def test_search_by_three_characters_or_more_and_by_two(self):
        a, b, c = self.three_cases()
        niu = self.session("d-niu")
        for q, want in (("村口路灯", [a]), ("路灯", [c, b, a]), ("门口路灯坏", [c]),
                        ("路灯不亮了", []), ("东头", [b]), ("小学门口路灯坏了啊", [])):
            r = self.server.get("/api/cases?" + urllib.parse.urlencode({"q": q}), niu)
            self.assertEqual(r.status, 200, r.text)
            o = r.json()
            self.assertEqual([x["number"] for x in o["cases"]], want, q)
            self.assertEqual(o["total"], len(want), q)
        # with the scope: another grid's deputy finds none of them
        r = self.server.get("/api/cases?q=%E6%9D%91%E5%8F%A3%E8%B7%AF%E7%81%AF",
                            self.session("d-ma"))
        self.assertEqual(r.json()["total"], 0)

    # --- 票决 and 履职: the printable pages ---------------------------------------

    def minyi(self, *args):
        p = run_minyi(*args[:2], "--config", self.server.config_path, *args[2:],
                      env=self.server.env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def a_vote(self):
        """A 票决 open now, 8 of the 12 deputies voted: A adopted, B and C not."""
        path = os.path.join(self.server.tmpdir, "projects.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("刘辛店村道路硬化,d-niu;d-zhao\n王楼村饮水安全改造,d-wang\n镇区路灯增设\n")
        now = datetime.datetime.now(TZ)
        self.minyi("vote", "create", "--title", "2027年民生实事", "--projects", path,
                   "--opens", (now - datetime.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S"),
                   "--closes", (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
        deadline = time.time() + 20
        while not self.server.admin("/webhooks/sim/outbox?to=%2B8613500135001").json():
            self.assertLess(time.time(), deadline, "the ballots never went out")
            time.sleep(0.2)
        for i, p in enumerate(DEPUTIES[:8]):
            self.say("A1 B2 C3" if i < 5 else "A1 B1 C1", p)
        return json.loads(self.minyi("vote", "result", "1", "--format", "json"))

    def test_the_vote_page_is_minyi_vote_result_scoped_to_the_township(self):
        cli = self.a_vote()
        r = self.server.admin("/console/api/votes")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual([(v["vote"], v["title"]) for v in r.json()], [(1, "2027年民生实事")])
        o = self.server.admin("/console/api/votes/1").json()
        self.assertEqual(o["projects"], cli)
        self.assertEqual([(p["yes"], p["no"], p["abstain"], p["adopted"]) for p in o["projects"]],
                         [(8, 0, 0, True), (3, 5, 0, False), (3, 0, 5, False)])
        self.assertEqual((o["turnout"], o["voters"], o["quorum_met"], o["closed"]),
                         (8, 12, True, False))
        self.assertAlmostEqual(o["quorum"], 2 / 3)
        # the CSV is the CLI's
        r = self.server.admin("/console/api/votes/1?format=csv")
        self.assertEqual(r.status, 200, r.text)
        self.assertIn('filename="vote-1.csv"', r.headers["Content-Disposition"])
        text = r.body.decode("utf-8")
        self.assertTrue(text.startswith("\ufeffproject,title,yes,no,abstain,turnout"), text)
        cli_csv = self.minyi("vote", "result", "1", "--format", "csv").split("\n", 1)[1]
        self.assertEqual(text[1:], cli_csv)
        rows = list(csv.DictReader(io.StringIO(text[1:])))
        self.assertEqual((rows[0]["yes"], rows[0]["adopted"]), ("8", "yes"))
        # a township's accounts: the projects its deputies supervise
        for account, want in (("s-yangji", ["A"]), ("d-wang", ["B"]), ("s-li", ["A", "B", "C"])):
            o = self.server.get("/console/api/votes/1", self.session(account)).json()
            self.assertEqual([p["project"] for p in o["projects"]], want, account)
            self.assertEqual((o["turnout"], o["projects_all"]), (8, 3), account)
        for path, status in (("/console/api/votes/2", 404), ("/console/api/votes/x", 404),
                             ("/console/api/votes/1?format=xml", 400)):
            r = self.server.admin(path)
            self.assertEqual(r.status, status, path)
        self.assertIn("票决", self.server.get("/console/votes.html", self.session("d-niu")).text)

    def test_the_duty_page_is_minyi_report_deputies_scoped_to_the_township(self):
        self.say("进站 12", "+8613900139000")
        self.say("走访 8 看望孤寡老人", "+8613900139000")
        self.say("建议 在刘辛店村设立公交站点", "+8613900139000")
        self.say("VISIT 3", "+8613900139001")
        self.say("走访 15", "+8613600136000")               # 王代表, 王楼镇
        month = datetime.datetime.now(TZ).strftime("%Y-%m")
        want = json.loads(self.minyi("report", "deputies", "--month", month, "--format", "json"))
        o = self.server.admin("/console/api/duty?month=" + month).json()
        self.assertEqual((o["period"], o["year"], o["deputies"]), (month, False, want))
        self.assertEqual([(d["deputy"], d["rank"]) for d in o["deputies"][:3]],
                         [("d-niu", 1), ("d-wang", 2), ("d-zhao", 3)])
        self.assertEqual(self.server.admin("/console/api/duty").json()["deputies"], want)
        year = month[:4]
        want_y = json.loads(self.minyi("report", "deputies", "--year", year, "--format", "json"))
        o = self.server.admin("/console/api/duty?year=" + year).json()
        self.assertEqual((o["period"], o["year"], o["deputies"]), (year, True, want_y))
        niu = o["deputies"][0]
        self.assertEqual((niu["stars"], niu["interview"], niu["five_station"],
                          niu["five_suggestion"], niu["five_inspection"]),
                         (1, True, True, True, False))
        self.assertEqual(o["interview_below"], 20)
        # the CSVs are the CLI's (the year's without its 约谈 line)
        r = self.server.admin("/console/api/duty?month=%s&format=csv" % month)
        self.assertEqual(r.body.decode("utf-8")[1:], self.minyi(
            "report", "deputies", "--month", month, "--format", "csv"))
        r = self.server.admin("/console/api/duty?year=%s&format=csv" % year)
        cli = self.minyi("report", "deputies", "--year", year, "--format", "csv")
        self.assertEqual(r.body.decode("utf-8")[1:], cli[:cli.rindex("约谈")])
        # 杨集乡's clerk and deputies: its three deputies, ranked among themselves
        for account in ("s-yangji", "d-ma"):
            o = self.server.get("/console/api/duty?month=" + month, self.session(account)).json()
            self.assertEqual(o["township"], "yangji")
            self.assertEqual([(d["deputy"], d["rank"]) for d in o["deputies"]],
                             [("d-niu", 1), ("d-zhao", 2), ("d-ma", 3)], account)
        o = self.server.get("/console/api/duty?month=" + month, self.session("s-li")).json()
        self.assertEqual(len(o["deputies"]), 12)
        for q, why in (("month=2026-13", "month: expected YYYY-MM"),
                       ("month=2026-1", "month: expected YYYY-MM"),
                       ("year=26", "year: expected YYYY"),
                       ("month=2026-01&year=2026", "give month or year, not both"),
                       ("month=2026-01&format=xml", "format: expected json or csv"),
                       ("week=1", "week: unknown")):
            r = self.server.admin("/console/api/duty?" + q)
            self.assertEqual((r.status, r.json()["error"]), (400, why), q)
        self.assertIn("履职", self.server.get("/console/duty.html", self.session("d-niu")).text)
