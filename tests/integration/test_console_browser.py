"""The workbench in a real browser: headless Chromium through Selenium.

One server and one browser for the whole suite.  A clerk's path: a wrong
password is refused, the right one opens the 工作台, the 诉求 list shows a
case a resident made over SMS (the sim channel), and its 诉求详情 shows the
timeline with the messages.  Each page is saved at 1366x768 and 375x812
under BUILD/screenshots/, and a page fails when the browser logged an
error (a JS exception, a CSP refusal, a failed load) or an element it
must show is missing.

Chromium, chromedriver and python3-selenium come from Debian (the
Makefile installs them as root); without them this suite fails, it does
not skip.
"""
import csv
import datetime
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import selenium  # noqa: F401
except ImportError:
    # Debian's python3-selenium, when python3 is another build (pyenv)
    sys.path.append("/usr/lib/python3/dist-packages")
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

try:
    import openpyxl
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

from harness import BIN, Server, http, run_minyi

RESIDENT = "+8613800138000"
OTHER = "+8613800138001"
ELDER = "+8613812340000"
POWER = "+8615000150001"
WATER = "+8615000150002"
PASSWORD = "村口路灯-2026"
TZ = datetime.timezone(datetime.timedelta(hours=8))   # Asia/Shanghai
DEPUTIES = ["+8613900139000", "+8613900139001", "+8613700137000", "+8613600136000",
            "+8613500135000", "+8615900135900", "+8613700137002", "+8613500135001"]
SHOTS = os.path.join(os.path.dirname(BIN), "screenshots")
SIZES = [(1366, 768, False), (375, 812, True)]


# where the example's grids are, for the 代表 page's map
LOCATIONS = {"liuxindian": (35.262, 113.602), "yangji": (35.281, 113.641),
             "dazhao": (35.224, 113.706), "wanglou": (35.238, 113.752),
             "puchengcun": (35.301, 113.812), "yancunpu": (35.196, 113.655)}
HAN = "+8615900135900"      # d-han, on duty on Wednesdays


def sms_over_sim(cfg):
    """Walk-ins (代办) reach residents over the simulator; the grids have
    coordinates (the map, with no tile server)."""
    cfg.setdefault("dialog", {})["sms_channel"] = "sim"
    for g in cfg["grids"]:
        lat, lng = LOCATIONS[g["id"]]
        g["location"] = {"lat": lat, "lng": lng}


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
              "--disable-gpu", "--disable-extensions", "--no-first-run",
              "--lang=zh-CN", "--window-size=1366,768"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=opts)


class ConsoleBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="minyi-browser-")
        cls.server = Server(cls._tmp.name, mutate=sms_over_sim).start()
        for account in ("d-niu", "s-yangji", "s-li"):
            p = subprocess.run([BIN, "passwd", "--config", cls.server.config_path, account],
                               input=PASSWORD + "\n", capture_output=True, text=True,
                               env=cls.server.env, timeout=60)
            assert p.returncode == 0, p.stderr
        r = cls.server.post("/webhooks/sim", {"from": RESIDENT, "text": "刘辛店村村口路灯不亮"})
        assert r.status == 200, r.text
        cls.number = cls.server.admin("/api/cases").json()["cases"][0]["number"]
        # a case of another township (王楼镇), for the township clerk of 杨集乡
        r = cls.server.post("/webhooks/sim", {"from": OTHER, "text": "王楼村垃圾堆了一个星期没人清理"})
        assert r.status == 200, r.text
        cls.wanglou = cls.server.admin("/api/cases?grid=wanglou").json()["cases"][0]["number"]
        # a deputy's day at the station (进站), for the 代表 page
        r = cls.server.post("/webhooks/sim", {"from": HAN, "text": "进站 12"})
        assert r.status == 200, r.text
        os.makedirs(SHOTS, exist_ok=True)
        cls.driver = None
        try:
            cls.driver = browser()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.driver is not None:
            cls.driver.quit()
        cls.server.stop()
        cls._tmp.cleanup()

    # --- helpers ----------------------------------------------------------------

    def open(self, path):
        self.driver.get(self.server.url(path))

    def wait(self, cond, timeout=15):
        """Poll cond until it holds.  An action reloads the page
        (location.reload), and a poll that lands mid-reload can fail with
        "document unloaded" or a lost execution context: such a poll
        counts as not yet, and a condition that never holds still times
        out."""
        return WebDriverWait(self.driver, timeout,
                             ignored_exceptions=(WebDriverException,)).until(cond)

    def wait_ready(self):
        """The page's script ran to its end (it sets body[data-ready]);
        30 seconds, as a busy machine once took more than 15."""
        try:
            self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "body[data-ready='1']")),
                      timeout=30)
        except TimeoutException:
            err = self.driver.find_elements(By.ID, "error")
            self.fail("page %s did not render: %s %s" % (
                self.driver.current_url, err[0].text if err else "",
                self.browser_errors()))

    def browser_errors(self):
        return [e["message"] for e in self.driver.get_log("browser")
                if e["level"] in ("SEVERE", "ERROR")]

    def assert_no_browser_errors(self):
        self.assertEqual(self.browser_errors(), [])

    def screenshots(self, name, ready=None):
        """The page at each size, reloaded so that it lays out for it."""
        for w, h, mobile in SIZES:
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile})
            self.driver.refresh()
            if ready:
                ready()
            path = os.path.join(SHOTS, "%s-%dx%d.png" % (name, w, h))
            self.assertTrue(self.driver.save_screenshot(path), path)
            self.assertGreater(os.path.getsize(path), 5000, path)
            # nothing wider than the screen on a phone
            width = self.driver.execute_script(
                "return document.documentElement.scrollWidth")
            self.assertLessEqual(width, w + 1, "%s overflows at %dx%d" % (name, w, h))
            self.assert_no_browser_errors()
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def login(self, username):
        self.open("/console/login.html")
        self.wait(EC.presence_of_element_located((By.ID, "login-form")))
        self.driver.find_element(By.ID, "username").send_keys(username)
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.ID, "login-submit").click()
        self.wait(EC.url_matches(r"/console/$"))
        self.wait_ready()

    def logout(self):
        self.open("/console/")
        self.wait_ready()
        self.driver.find_element(By.ID, "logout").click()
        self.wait(EC.url_contains("/console/login.html"))

    def act(self, name, **fields):
        """Fill the action form name on the case page and send it."""
        form = self.driver.find_element(By.CSS_SELECTOR, "form[data-action='%s']" % name)
        for k, v in fields.items():
            if k == "assist":
                for d in v:
                    form.find_element(By.CSS_SELECTOR,
                                      "input[name='assist'][value='%s']" % d).click()
            else:
                form.find_element(By.NAME, k).send_keys(v)
        self.driver.find_element(By.ID, "act-" + name).click()

    # --- the clerk's path, in order ---------------------------------------------

    def test_1_wrong_password_is_refused(self):
        self.open("/console/")
        self.wait(EC.url_contains("/console/login.html"))
        self.screenshots("login", lambda: self.wait(
            EC.presence_of_element_located((By.ID, "login-form"))))
        self.driver.find_element(By.ID, "username").send_keys("d-niu")
        self.driver.find_element(By.ID, "password").send_keys("not the password")
        self.driver.find_element(By.ID, "login-submit").click()
        err = self.wait(EC.visibility_of_element_located((By.ID, "login-error")))
        self.assertEqual(err.text, "账号或密码错误")
        self.assertIn("/console/login.html", self.driver.current_url)
        # the 401 itself is logged by the browser as a failed load: clear it
        self.driver.get_log("browser")

    def test_2_login_opens_the_dashboard(self):
        self.open("/console/login.html")
        self.driver.find_element(By.ID, "username").send_keys("139 0013 9000")
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.ID, "login-submit").click()
        self.wait(EC.url_matches(r"/console/$"))
        self.wait_ready()
        self.assertEqual(self.driver.find_element(By.ID, "who").text, "牛代表（代表）")
        self.assertEqual(self.driver.find_element(
            By.CSS_SELECTOR, "#todo-new .n").text, "1")
        self.assertEqual(self.driver.find_element(
            By.CSS_SELECTOR, "#todo-to_accept .n").text, "1")
        # Chart.js drew both charts (a canvas it owns has a chart instance)
        drawn = self.driver.execute_script(
            "return ['chart-category', 'chart-township'].map("
            "id => !!Chart.getChart(document.getElementById(id)))")
        self.assertEqual(drawn, [True, True])
        self.assert_no_browser_errors()
        self.screenshots("dashboard", self.wait_ready)

    def test_3_the_list_shows_the_case_made_over_sms(self):
        self.open("/console/cases.html")
        self.wait_ready()
        row = self.driver.find_element(
            By.CSS_SELECTOR, "#cases tbody tr[data-number='%d']" % self.number)
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        self.assertEqual(cells[0], str(self.number))
        self.assertIn("路灯照明", cells[3])
        self.assertEqual(cells[4], "待接单")
        self.assertIn("牛代表", cells[5])
        self.assert_no_browser_errors()
        self.screenshots("cases", self.wait_ready)
        # text search and a filter, as the form sends them
        self.driver.find_element(By.ID, "f-q").send_keys("路灯")
        self.driver.find_element(By.CSS_SELECTOR, "#filters button").click()
        self.wait(EC.url_contains("q="))
        self.wait_ready()
        self.assertEqual(len(self.driver.find_elements(
            By.CSS_SELECTOR, "#cases tbody tr[data-number]")), 1)
        self.assertEqual(self.driver.find_element(By.ID, "summary").text, "共 1 件")
        self.open("/console/cases.html?q=%E5%81%9C%E6%B0%B4")         # 停水
        self.wait_ready()
        self.assertEqual(self.driver.find_element(
            By.CSS_SELECTOR, "#cases tbody td.empty").text, "没有符合条件的诉求")
        self.assert_no_browser_errors()

    def test_4_the_detail_shows_the_timeline(self):
        self.open("/console/cases.html")
        self.wait_ready()
        self.driver.find_element(
            By.CSS_SELECTOR, "#cases tbody tr[data-number='%d'] a" % self.number).click()
        self.wait(EC.url_contains("case.html?n=%d" % self.number))
        self.wait_ready()
        self.assertEqual(self.driver.find_element(By.ID, "description").text,
                         "刘辛店村村口路灯不亮")
        events = self.driver.find_elements(By.CSS_SELECTOR, "#timeline li.event")
        self.assertGreaterEqual(len(events), 1)
        self.assertIn("群众点单", events[0].text)
        ins = self.driver.find_elements(By.CSS_SELECTOR, "#timeline li.msg.in")
        self.assertEqual(len(ins), 1)
        self.assertIn("刘辛店村村口路灯不亮", ins[0].text)
        self.assertIn("138****8000", ins[0].text)
        outs = self.driver.find_elements(By.CSS_SELECTOR, "#timeline li.msg.out")
        self.assertGreaterEqual(len(outs), 2)     # the receipt, the deputy's alert
        for o in outs:
            self.assertTrue(o.find_elements(By.CSS_SELECTOR, ".delivery"), o.text)
        self.assert_no_browser_errors()
        self.screenshots("case", self.wait_ready)

    def test_5_accept_and_dispatch_then_the_departments_progress_arrives(self):
        self.open("/console/case.html?n=%d" % self.number)
        self.wait_ready()
        self.driver.find_element(By.ID, "act-accept").click()
        self.wait(EC.text_to_be_present_in_element((By.ID, "title"), "已接单"))
        self.wait_ready()
        note = self.driver.find_element(By.ID, "action-result")
        self.assertTrue(note.text.startswith("接单："), note.text)
        form = self.driver.find_element(By.CSS_SELECTOR, "form[data-action='dispatch']")
        form.find_element(By.NAME, "departments").send_keys("县供电公司")
        form.find_element(By.NAME, "days").send_keys("2")
        self.driver.find_element(By.ID, "act-dispatch").click()
        self.wait(EC.text_to_be_present_in_element((By.ID, "title"), "已派单"))
        self.wait_ready()
        facts = self.driver.find_element(By.ID, "facts").text
        self.assertIn("县供电公司", facts)
        self.assertIn("期限", facts)
        # the department answers by SMS; the page shows it on the next look
        r = self.server.post("/webhooks/sim", {"from": "+8615000150001",
                                               "text": "进展 %d 已安排电工明早维修" % self.number})
        self.assertEqual(r.status, 200)
        self.driver.refresh()
        self.wait_ready()
        self.assertIn("办理中", self.driver.find_element(By.ID, "title").text)
        self.assertIn("已安排电工明早维修",
                      self.driver.find_element(By.ID, "timeline").text)
        # a second accept is refused by the workflow, with its reason
        self.assert_no_browser_errors()
        self.screenshots("case-in-progress", self.wait_ready)

    def fetch_link(self, link_id):
        """GET what a link of the page points at, with the browser's session."""
        href = self.driver.find_element(By.ID, link_id).get_attribute("href")
        cookie = self.driver.get_cookie("minyi_session")["value"]
        r = http("GET", href, headers={"Cookie": "minyi_session=" + cookie})
        self.assertEqual(r.status, 200, r.text)
        return r

    def test_6_a_the_three_lists_with_totals_and_downloads(self):
        self.open("/console/lists.html?township=yangji")
        self.wait_ready()
        self.assertIn("杨集乡三张清单", self.driver.find_element(By.ID, "title").text)
        totals = [self.driver.find_element(By.ID, "total-" + k).text
                  for k in ("problems", "assignments", "completions")]
        self.assertEqual(totals, ["1", "1", "0"])     # received, dispatched, none done
        row = self.driver.find_element(
            By.CSS_SELECTOR, "#assignments tbody tr[data-number='%d']" % self.number)
        self.assertIn("县供电公司", row.text)
        self.assertEqual(self.driver.find_element(
            By.CSS_SELECTOR, "#completions td.empty").text, "本期没有")
        # the downloads the page links open: CSV in a CSV reader, XLSX in openpyxl
        r = self.fetch_link("dl-csv")
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        self.assertEqual([x[1] for x in rows if x and x[0] == "合计"], ["1 件", "1 件", "0 件"])
        r = self.fetch_link("dl-xlsx")
        wb = openpyxl.load_workbook(io.BytesIO(r.body))
        self.assertEqual(wb.sheetnames, ["问题清单", "交办清单", "办结清单"])
        self.assertEqual([list(wb[s].iter_rows(values_only=True))[-1][:2] for s in wb.sheetnames],
                         [("合计", 1), ("合计", 1), ("合计", 0)])
        self.assertEqual(list(wb["交办清单"].iter_rows(values_only=True))[2][0], self.number)
        self.assert_no_browser_errors()
        self.screenshots("lists", self.wait_ready)
        # the print style leaves the lists alone on the page
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        self.assertFalse(self.driver.find_element(By.ID, "period").is_displayed())
        self.assertFalse(self.driver.find_element(By.ID, "nav").is_displayed())
        self.assertTrue(self.driver.find_element(By.ID, "problems").is_displayed())
        self.driver.save_screenshot(os.path.join(SHOTS, "lists-print.png"))
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    def test_6_b_the_reports_with_charts_and_the_heat_table(self):
        self.open("/console/reports.html")
        self.wait_ready()
        niu = [tr.text for tr in self.driver.find_elements(By.CSS_SELECTOR, "#deputies tbody tr")
               if tr.text.startswith("牛代表")]
        self.assertEqual(len(niu), 1)
        self.assertIn("乡镇 1", niu[0])                    # level, received
        power = self.driver.find_element(By.CSS_SELECTOR, "#departments tbody tr").text
        self.assertTrue(power.startswith("1 县供电公司 1"), power)
        heat = self.driver.find_element(By.ID, "heat")
        self.assertIn("刘辛店村", heat.find_element(By.TAG_NAME, "thead").text)
        self.assertIn("路灯照明", heat.find_element(By.TAG_NAME, "tbody").text)
        self.assertIn("↑1", heat.find_element(By.TAG_NAME, "tbody").text)
        drawn = self.driver.execute_script(
            "return ['chart-deputies', 'chart-departments', 'chart-hotspots'].map("
            "id => !!Chart.getChart(document.getElementById(id)))")
        self.assertEqual(drawn, [True, True, True])
        self.assert_no_browser_errors()
        self.screenshots("reports", self.wait_ready)

    def test_6_c_the_deputies_by_township_and_grid(self):
        self.open("/console/deputies.html")
        self.wait_ready()
        tile = self.driver.find_element(By.CSS_SELECTOR, ".grid-tile[data-grid='liuxindian']")
        self.assertIn("刘辛店村", tile.text)
        self.assertIn("牛代表", tile.text)
        self.assertEqual(tile.find_element(By.CLASS_NAME, "open").text, "1")
        row = self.driver.find_element(By.CSS_SELECTOR, "#deputies tr[data-deputy='d-niu']")
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        self.assertEqual(cells[:3], ["牛代表", "乡镇人大代表", "139 0013 9000"])
        self.assertEqual(cells[4:], ["", "0 天", "1", "1", "0"])
        # duty days as the config has them, this month's 进站 as recorded
        han = self.driver.find_element(By.CSS_SELECTOR, "#deputies tr[data-deputy='d-han']")
        cells = [td.text for td in han.find_elements(By.TAG_NAME, "td")]
        self.assertEqual(cells[0], "韩代表")
        self.assertEqual(cells[4:6], ["周三", "1 天"])
        # the map: a marker per grid over a plain background, no tile asked for
        self.assertTrue(self.driver.find_element(By.ID, "map").is_displayed())
        self.assertEqual(len(self.driver.find_elements(
            By.CSS_SELECTOR, "#map path.grid-marker")), len(LOCATIONS))
        labels = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "#map .grid-label")]
        self.assertIn("刘辛店村 · 1", labels)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "#map img"), [])
        self.driver.find_element(By.CSS_SELECTOR, "#map path.grid-liuxindian").click()
        pop = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "#map .map-pop")))
        self.assertIn("代表：牛代表", pop.text)
        self.assertIn("在办诉求 1 件", pop.text)
        cookie = self.driver.get_cookie("minyi_session")["value"]
        r = self.server.get("/console/deputies.html", headers={"Cookie": "minyi_session=" + cookie})
        self.assertEqual((r.status, r.headers["Content-Security-Policy"]),
                         (200, "default-src 'self'"))
        self.assert_no_browser_errors()
        self.screenshots("deputies", self.wait_ready)
        # one township: its grids only
        self.open("/console/deputies.html?township=wanglou")
        self.wait_ready()
        towns = [t.get_attribute("data-township")
                 for t in self.driver.find_elements(By.CSS_SELECTOR, ".town")]
        self.assertEqual(towns, ["wanglou"])

    def test_6_d_the_vote_and_duty_results_to_print(self):
        """A 票决 of three projects (8 of 12 deputies vote: A adopted) and
        牛代表's duty records; the pages show the CLI's figures."""
        path = os.path.join(self.server.tmpdir, "projects.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("刘辛店村道路硬化,d-niu;d-zhao\n王楼村饮水安全改造,d-wang\n镇区路灯增设\n")
        now = datetime.datetime.now(TZ)
        self.minyi("vote", "create", "--title", "2027年民生实事", "--projects", path,
                   "--opens", (now - datetime.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M"),
                   "--closes", (now + datetime.timedelta(seconds=8)).strftime("%Y-%m-%d %H:%M:%S"))
        closes = now.timestamp() + 8
        self.wait(lambda d: self.server.admin("/webhooks/sim/outbox?to=%2B8613500135001").json())
        for i, p in enumerate(DEPUTIES):
            self.say("A1 B2 C3" if i < 5 else "A1 B1 C1", p)
        for text in ("进站 12", "走访 8 看望孤寡老人", "建议 在刘辛店村设立公交站点"):
            self.say(text, DEPUTIES[0])
        # 牛代表 (杨集乡): the project 杨集乡's deputies supervise
        self.open("/console/votes.html")
        self.wait_ready()
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#projects tbody tr")
        self.assertEqual([r.get_attribute("data-project") for r in rows], ["A"])
        self.assertIn("杨集乡代表监督的项目（1 / 3）",
                      self.driver.find_element(By.ID, "summary").text)
        # the county, once the vote closed: every project, the figures of
        # minyi vote result
        self.login("s-li")
        self.wait(lambda d: time.time() > closes + 0.5, timeout=20)
        self.open("/console/votes.html?vote=1")
        self.wait_ready()
        self.assertEqual(self.driver.find_element(By.ID, "title").text, "2027年民生实事 票决结果")
        self.assertEqual([self.driver.find_element(By.ID, k).text
                          for k in ("turnout", "voters", "quorum")], ["8", "12", "8"])
        self.assertIn("已达到", self.driver.find_element(By.ID, "quorum-l").text)
        shown = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")][:6]
                 for tr in self.driver.find_elements(By.CSS_SELECTOR, "#projects tbody tr")]
        self.assertEqual(shown, [
            ["A", "刘辛店村道路硬化", "8", "0", "0", "通过"],
            ["B", "王楼村饮水安全改造", "3", "5", "0", "未通过"],
            ["C", "镇区路灯增设", "3", "0", "5", "未通过"]])
        cli = self.minyi("vote", "result", "1", "--format", "csv")
        self.assertEqual(self.fetch_link("dl-csv").body.decode("utf-8-sig"),
                         cli.split("\n", 1)[1])
        self.assert_no_browser_errors()
        self.screenshots("votes", self.wait_ready)
        self.print_shows("votes", "pick", "projects")
        # 履职: the month's 公示 and the year's 考核, as minyi report deputies
        month = now.strftime("%Y-%m")
        for arg, cols in (("month=" + month, ["rank", "name", "score"]),
                          ("year=" + month[:4], ["rank", "name", "score", "stars"])):
            self.open("/console/duty.html?" + arg)
            self.wait_ready()
            k, v = arg.split("=")
            want = json.loads(self.minyi("report", "deputies", "--" + k, v, "--format", "json"))
            shown = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")][:len(cols)]
                     for tr in self.driver.find_elements(By.CSS_SELECTOR, "#deputies tbody tr")]
            self.assertEqual(shown, [[str(d["rank"]), d["name"], "%.1f" % d["score"]] +
                                     (["★" * d["stars"] + "☆" * (5 - d["stars"])]
                                      if "stars" in cols else []) for d in want], arg)
            self.assertEqual(shown[0][1], "牛代表")
        niu = self.driver.find_element(By.CSS_SELECTOR, "#deputies tr[data-deputy='d-niu']")
        checks = [td.text for td in niu.find_elements(By.TAG_NAME, "td")][4:10]
        self.assertEqual(checks, ["0/12", "✓", "✗", "✗", "✓",
                                  "约谈" if want[0]["interview"] else ""])
        interview = [d["name"] for d in want if d["interview"]]
        self.assertEqual(self.driver.find_element(By.ID, "interview").text,
                         "年度得分低于 20 分：" + "、".join(interview))
        cli = self.minyi("report", "deputies", "--year", month[:4], "--format", "csv")
        self.assertEqual(self.fetch_link("dl-csv").body.decode("utf-8-sig"),
                         cli[:cli.rindex("约谈")])
        self.assert_no_browser_errors()
        self.screenshots("duty", self.wait_ready)
        self.print_shows("duty", "period", "deputies")

    def print_shows(self, name, form, table):
        """The print style leaves the table alone on the page."""
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        self.assertFalse(self.driver.find_element(By.ID, form).is_displayed())
        self.assertFalse(self.driver.find_element(By.ID, "nav").is_displayed())
        self.assertTrue(self.driver.find_element(By.ID, table).is_displayed())
        self.driver.save_screenshot(os.path.join(SHOTS, "%s-print.png" % name))
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    def say(self, text, frm):
        r = self.server.post("/webhooks/sim", {"from": frm, "text": text})
        self.assertEqual(r.status, 200, r.text)

    def minyi(self, *args):
        p = run_minyi(*args[:2], "--config", self.server.config_path, *args[2:],
                      env=self.server.env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_9_logout_ends_the_session(self):
        self.open("/console/")
        self.wait_ready()
        self.driver.find_element(By.ID, "logout").click()
        self.wait(EC.url_contains("/console/login.html"))
        self.open("/console/cases.html")
        self.wait(EC.url_contains("/console/login.html"))


    # --- staff: the township clerk and the county office -------------------------

    def test_7_the_clerk_records_a_walk_in_and_sees_it_in_the_list(self):
        self.login("s-yangji")
        self.assertEqual(self.driver.find_element(By.ID, "who").text,
                         "杨集乡联络站杨干事（乡镇）")
        self.driver.find_element(By.LINK_TEXT, "登记").click()
        self.wait(EC.url_contains("walkin.html"))
        self.wait_ready()
        self.screenshots("walkin", self.wait_ready)
        grids = [o.text for o in self.driver.find_elements(By.CSS_SELECTOR, "#w-grid option")]
        self.assertIn("杨集乡 · 刘辛店村", grids)
        self.assertFalse(any("王楼" in g for g in grids), grids)    # its township's only
        self.driver.find_element(By.ID, "w-citizen").send_keys("138 1234 0000")
        self.driver.find_element(By.ID, "w-text").send_keys("家里老人行动不便，想申请助餐")
        self.driver.find_element(By.ID, "w-grid").send_keys("杨集乡 · 刘辛店村")
        self.driver.find_element(By.ID, "w-category").send_keys("养老服务")
        self.driver.find_element(By.ID, "w-submit").click()
        self.wait(EC.url_contains("case.html?n="))
        self.wait_ready()
        n = int(self.driver.current_url.split("n=")[1])
        type(self).walkin = n
        self.assertIn("已登记为诉求 %d" % n, self.driver.find_element(By.ID, "action-result").text)
        facts = self.driver.find_element(By.ID, "facts").text
        self.assertIn("杨集乡联络站杨干事", facts)          # 登记人
        self.assertIn("刘辛店村", facts)
        c = self.server.admin("/api/cases/%d" % n).json()
        self.assertEqual((c["citizen"], c["filed_by"], c["category"]),
                         (ELDER, "staff:s-yangji", "elderly"))
        self.open("/console/cases.html")
        self.wait_ready()
        row = self.driver.find_element(By.CSS_SELECTOR, "#cases tbody tr[data-number='%d']" % n)
        self.assertIn("待接单", row.text)
        self.assertIn("来访", row.text)
        # the walk-ins alone, by source, as the form sends it
        self.driver.find_element(By.ID, "f-source").send_keys("来访")
        self.driver.find_element(By.CSS_SELECTOR, "#filters button").click()
        self.wait(EC.url_contains("source=station"))
        self.wait_ready()
        self.assertEqual([r.get_attribute("data-number") for r in self.driver.find_elements(
            By.CSS_SELECTOR, "#cases tbody tr[data-number]")], [str(n)])
        self.assertEqual(self.driver.find_element(By.ID, "summary").text, "共 1 件")
        self.assert_no_browser_errors()

    def test_8_the_clerk_cannot_open_another_townships_case(self):
        self.open("/console/cases.html")
        self.wait_ready()
        self.assertEqual(self.driver.find_elements(
            By.CSS_SELECTOR, "#cases tbody tr[data-number='%d']" % self.wanglou), [])
        self.open("/console/case.html?n=%d" % self.wanglou)
        err = self.wait(EC.visibility_of_element_located((By.ID, "error")))
        self.assertIn("无权查看", err.text)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "body[data-ready='1']"), [])
        logged = self.driver.get_log("browser")      # the 403 is logged as a failed load
        self.assertTrue(any("403" in e["message"] for e in logged), logged)
        self.logout()

    def test_9_a_the_county_places_a_triage_case_with_fenban(self):
        self.login("s-li")
        self.open("/console/walkin.html")
        self.wait_ready()
        self.driver.find_element(By.ID, "w-citizen").send_keys("13812340001")
        self.driver.find_element(By.ID, "w-text").send_keys("路灯坏了好几天了，晚上出门不方便")
        self.driver.find_element(By.ID, "w-submit").click()
        self.wait(EC.url_contains("case.html?n="))
        self.wait_ready()
        n = int(self.driver.current_url.split("n=")[1])
        self.assertIsNone(self.server.admin("/api/cases/%d" % n).json()["grid"])
        self.act("triage", grid="王楼村")
        self.wait(EC.text_to_be_present_in_element((By.ID, "facts"), "王代表"))
        self.wait_ready()
        self.assertIn("分办：", self.driver.find_element(By.ID, "action-result").text)
        self.assertIn("分办", self.driver.find_element(By.ID, "timeline").text)
        c = self.server.admin("/api/cases/%d" % n).json()
        self.assertEqual((c["grid"], c["deputy"]), ("wanglou", "d-wang"))
        self.assert_no_browser_errors()

    def test_9_b_dispatch_to_two_departments_with_an_instruction(self):
        n = self.walkin
        r = self.server.post("/webhooks/sim", {"from": "+8613900139000", "text": "接单 %d" % n})
        self.assertEqual(r.status, 200)
        self.open("/console/case.html?n=%d" % n)
        self.wait_ready()
        self.act("dispatch", departments="县供电公司", assist=["water"], days="3",
                 instruction="3日内上门核实并对接助餐点")
        self.wait(EC.text_to_be_present_in_element((By.ID, "title"), "已派单"))
        self.wait_ready()
        facts = self.driver.find_element(By.ID, "facts").text
        self.assertIn("县供电公司", facts)
        self.assertIn("县水利局", facts)                     # 协办
        self.assertIn("3日内上门核实并对接助餐点", facts)       # 交办要求
        c = self.server.admin("/api/cases/%d" % n).json()
        self.assertEqual(c["departments"], ["power", "water"])
        q = "/webhooks/sim/outbox?to=%2B8615000150002"
        self.assertIn("3日内上门核实并对接助餐点", self.server.admin(q).json()[-1]["text"])
        # the assisting department reports by SMS; the page shows it
        r = self.server.post("/webhooks/sim", {"from": WATER,
                                               "text": "进展 %d 已联系助餐点" % n})
        self.assertEqual(r.status, 200)
        self.driver.refresh()
        self.wait_ready()
        self.assertIn("办理中", self.driver.find_element(By.ID, "title").text)
        self.assertIn("已联系助餐点", self.driver.find_element(By.ID, "timeline").text)
        created = self.driver.find_element(By.CSS_SELECTOR, "#timeline li.event").text
        self.assertIn("代办", created)
        self.assertIn("来源：来访", created)
        self.assert_no_browser_errors()
        self.screenshots("case-staff", self.wait_ready)
        self.act("close", text="重复诉求，已并入其他诉求")
        self.wait(EC.text_to_be_present_in_element((By.ID, "title"), "已办结"))
        self.wait_ready()
        self.assertIn("结案", self.driver.find_element(By.ID, "timeline").text)
        self.assert_no_browser_errors()


def png(width, height, rgb):
    """A PNG of one colour (a map tile for the fake tile server)."""
    def chunk(kind, data):
        return (len(data).to_bytes(4, "big") + kind + data +
                zlib.crc32(kind + data).to_bytes(4, "big"))
    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", width.to_bytes(4, "big") + height.to_bytes(4, "big") +
                  bytes([8, 2, 0, 0, 0])) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class TileServer:
    """An intranet tile server on 127.0.0.1: /tiles/{z}/{x}/{y}.png, each
    request remembered."""

    def __init__(self):
        tile = png(256, 256, (214, 228, 200))
        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(self.path)
                parts = self.path.split("/")
                ok = len(parts) == 5 and parts[1] == "tiles" and parts[4].endswith(".png")
                self.send_response(200 if ok else 404)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile) if ok else 0))
                self.end_headers()
                if ok:
                    self.wfile.write(tile)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class ConsoleMapTilesTest(unittest.TestCase):
    """The 代表 map over an intranet tile server (console.tile_url)."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="minyi-browser-map-")
        cls.tiles = TileServer()

        def mutate(cfg):
            sms_over_sim(cfg)
            cfg["console"] = {"tile_url": cls.tiles.origin + "/tiles/{z}/{x}/{y}.png"}
        cls.server = Server(cls._tmp.name, mutate=mutate).start()
        p = subprocess.run([BIN, "passwd", "--config", cls.server.config_path, "s-li"],
                           input=PASSWORD + "\n", capture_output=True, text=True,
                           env=cls.server.env, timeout=60)
        assert p.returncode == 0, p.stderr
        os.makedirs(SHOTS, exist_ok=True)
        cls.driver = None
        try:
            cls.driver = browser()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.driver is not None:
            cls.driver.quit()
        cls.server.stop()
        cls.tiles.stop()
        cls._tmp.cleanup()

    open = ConsoleBrowserTest.open
    wait = ConsoleBrowserTest.wait
    wait_ready = ConsoleBrowserTest.wait_ready
    browser_errors = ConsoleBrowserTest.browser_errors
    assert_no_browser_errors = ConsoleBrowserTest.assert_no_browser_errors
    screenshots = ConsoleBrowserTest.screenshots
    login = ConsoleBrowserTest.login

    def test_the_map_draws_the_tiles_under_the_markers(self):
        self.login("s-li")
        cookie = {"Cookie": "minyi_session=" + self.driver.get_cookie("minyi_session")["value"]}
        r = self.server.get("/console/deputies.html", headers=cookie)
        self.assertEqual(r.headers["Content-Security-Policy"],
                         "default-src 'self'; img-src 'self' " + self.tiles.origin)
        # only the map's page lets images in from the tile server
        self.assertEqual(self.server.get("/console/cases.html", headers=cookie).headers[
            "Content-Security-Policy"], "default-src 'self'")
        self.open("/console/deputies.html")
        self.wait_ready()
        self.assertEqual(len(self.driver.find_elements(
            By.CSS_SELECTOR, "#map path.grid-marker")), len(LOCATIONS))
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#map img.leaflet-tile-loaded"))
        self.assertTrue(any(p.startswith("/tiles/") and p.endswith(".png")
                            for p in self.tiles.seen), self.tiles.seen)
        self.assert_no_browser_errors()
        self.screenshots("deputies-map-tiles", self.wait_ready)


# A month at the station, for the README's picture of the 工作台: what
# residents write, in each grid; the lead deputy of each grid.
VILLAGES = {"liuxindian": "刘辛店村", "yangji": "杨集村", "dazhao": "大赵村",
            "wanglou": "王楼村", "puchengcun": "濮城村", "yancunpu": "颜村铺村"}
LEADS = {"liuxindian": "+8613900139000", "yangji": "+8613700137000",
         "dazhao": "+8613500135000", "wanglou": "+8613600136000",
         "puchengcun": "+8613700137002", "yancunpu": "+8613500135001"}
PROBLEMS = ["村口路灯不亮好几天了", "这两天停水了，做饭都难", "主路上有个大坑，骑车很危险",
            "垃圾堆了一个星期没人清理", "农贸市场门口占道经营，车过不去",
            "河边护栏坏了，有安全隐患", "家里老人想申请助餐", "在工地干活被欠薪三个月",
            "自来水管漏水，水流了一地", "路灯晚上一直不亮，孩子放学看不见路"]


class ConsoleDashboardPictureTest(unittest.TestCase):
    """The 工作台 of a county office after a month of requests: the README's
    screenshot (build/screenshots/readme-dashboard-1366x768.png, copied to
    console/screenshot.png), with its counts checked against what was sent."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="minyi-browser-month-")

        def mutate(cfg):
            sms_over_sim(cfg)
            cfg.setdefault("limits", {})["per_sender_per_minute"] = 1000   # a busy deputy
        cls.server = Server(cls._tmp.name, mutate=mutate).start()
        p = subprocess.run([BIN, "passwd", "--config", cls.server.config_path, "s-li"],
                           input=PASSWORD + "\n", capture_output=True, text=True,
                           env=cls.server.env, timeout=60)
        assert p.returncode == 0, p.stderr
        os.makedirs(SHOTS, exist_ok=True)
        cls.driver = None
        try:
            cls.driver = browser()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.driver is not None:
            cls.driver.quit()
        cls.server.stop()
        cls._tmp.cleanup()

    open = ConsoleBrowserTest.open
    wait = ConsoleBrowserTest.wait
    wait_ready = ConsoleBrowserTest.wait_ready
    browser_errors = ConsoleBrowserTest.browser_errors
    assert_no_browser_errors = ConsoleBrowserTest.assert_no_browser_errors
    login = ConsoleBrowserTest.login

    def say(self, frm, text):
        r = self.server.post("/webhooks/sim", {"from": frm, "text": text})
        self.assertEqual(r.status, 200, r.text)

    def test_a_month_of_requests_on_the_dashboard(self):
        rnd = random.Random(14)         # the same month every run
        grids = list(VILLAGES)
        made = []                       # (number, grid, days ago)
        for i in range(110):
            # busier grids, a 接访日 eight days ago, quieter weekends
            grid = rnd.choice(grids + ["liuxindian", "wanglou", "wanglou", "yangji"])
            ago = 8 if rnd.random() < 0.12 else rnd.choice(
                [d for d in range(30) if d % 7 not in (1, 2)] + [0, 3, 4, 5])
            self.say("+86138%08d" % (20000 + i), VILLAGES[grid] + rnd.choice(PROBLEMS))
            n = self.server.admin("/api/cases?limit=1").json()["cases"][0]["number"]
            made.append((n, grid, ago))
        self.assertEqual(self.server.admin("/api/cases").json()["total"], len(made))
        # the deputies take most of them, and settle a third (the resident rates them)
        for n, grid, ago in made:
            if ago >= 2 or n % 4 == 0:
                self.say(LEADS[grid], "接单 %d" % n)
            if ago >= 6 and n % 3 == 0:
                self.say(LEADS[grid], "办结 %d 已处理，请您评价" % n)
        # ...over the past 30 days: each case moved back to the day it came in
        db = self.server.db()
        with db:
            for n, grid, ago in made:
                db.execute("UPDATE cases SET created_at = created_at - ? WHERE number = ?",
                           (ago * 86400, n))
        db.close()
        want = self.server.admin("/api/cases?status=received,reopened&triage=0").json()["total"]
        rate = self.server.admin("/api/cases?status=resolved").json()["total"]
        self.assertGreater(want, 0)
        self.assertGreater(rate, 0)
        self.login("s-li")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
        self.open("/console/")
        self.wait_ready()
        counts = {k: self.driver.find_element(By.CSS_SELECTOR, "#todo-%s .n" % k).text
                  for k in ("new", "to_accept", "to_rate")}
        self.assertEqual(counts, {"new": str(sum(1 for m in made if m[2] == 0)),
                                  "to_accept": str(want), "to_rate": str(rate)})
        drawn = self.driver.execute_script(
            "return ['chart-category', 'chart-township'].map("
            "id => Chart.getChart(document.getElementById(id)).data.datasets.length)")
        self.assertGreaterEqual(drawn[0], 6)            # categories
        self.assertEqual(drawn[1], 4)                   # townships
        path = os.path.join(SHOTS, "readme-dashboard-1366x768.png")
        self.assertTrue(self.driver.save_screenshot(path), path)
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.assert_no_browser_errors()


if __name__ == "__main__":
    unittest.main()
