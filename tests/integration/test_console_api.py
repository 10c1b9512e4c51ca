"""The workbench's accounts, sessions, scopes and CSRF rule (console/), over HTTP.

`minyi passwd` stores an Argon2id hash; POST /console/login starts a
session cookie; /api/cases answers a session with its account's scope;
a state change with the cookie needs the session's CSRF token; ten
failures lock an account for 15 minutes, across a restart.
"""
import http.client as httpclient
import signal
import subprocess
import time
import urllib.parse

from harness import BIN, ServerTest, http

RESIDENT = "+8613800138000"
DEPUTY_NIU = "+8613900139000"        # d-niu, grid liuxindian (杨集乡)


def passwd(server, account, password):
    """minyi passwd on the server's config; the CompletedProcess."""
    return subprocess.run([BIN, "passwd", "--config", server.config_path, account],
                          input=password + "\n", capture_output=True, text=True,
                          env=server.env, timeout=60)


def login(server, username, password):
    body = urllib.parse.urlencode({"username": username, "password": password})
    return http("POST", server.url("/console/login"), body,
                {"Content-Type": "application/x-www-form-urlencoded"})


def get_no_redirect(server, path):
    """GET without following redirects: (status, Location)."""
    c = httpclient.HTTPConnection("127.0.0.1", server.port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    c.close()
    return r.status, r.getheader("Location")


def cookie_of(resp):
    """The session token from a login's Set-Cookie."""
    sc = resp.headers.get("Set-Cookie", "")
    return sc.split(";", 1)[0].split("=", 1)[1]


class ConsoleApiTest(ServerTest):
    def say(self, text, frm):
        r = self.server.post("/webhooks/sim", {"from": frm, "text": text})
        self.assertEqual(r.status, 200, r.text)

    def session(self, account, password="密码-correct-horse"):
        p = passwd(self.server, account, password)
        self.assertEqual(p.returncode, 0, p.stderr)
        r = login(self.server, account, password)
        self.assertEqual(r.status, 200, r.text)
        return {"Cookie": "minyi_session=" + cookie_of(r)}, r.json()["csrf"]

    def new_case(self):
        self.say("刘辛店村村口路灯不亮", RESIDENT)
        cases = self.server.admin("/api/cases").json()["cases"]
        self.assertEqual(len(cases), 1)
        return cases[0]["number"]

    # --- minyi passwd -------------------------------------------------------

    def test_passwd_stores_only_an_argon2id_hash(self):
        p = passwd(self.server, "d-niu", "村口路灯-2026")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("password set for d-niu", p.stdout)
        db = self.server.db()
        rows = db.execute("SELECT id, hash FROM accounts").fetchall()
        db.close()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], "d-niu")
        self.assertTrue(rows[0][1].startswith("$argon2id$"), rows[0][1])
        self.assertNotIn("村口路灯-2026", rows[0][1])

    def test_passwd_refuses_unknown_ids_and_short_passwords(self):
        p = passwd(self.server, "d-nobody", "long enough password")
        self.assertEqual(p.returncode, 1)
        self.assertIn('passwd: unknown account "d-nobody"', p.stderr)
        p = passwd(self.server, "d-niu", "short")
        self.assertEqual(p.returncode, 1)
        self.assertIn("passwd: password shorter than 8 characters", p.stderr)
        db = self.server.db()
        self.assertEqual(db.execute("SELECT count(*) FROM accounts").fetchone()[0], 0)
        db.close()

    # --- login and logout ---------------------------------------------------

    def test_login_sets_a_strict_httponly_cookie_and_wrong_password_is_401(self):
        passwd(self.server, "d-niu", "村口路灯-2026")
        r = login(self.server, "d-niu", "wrong password")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"], "wrong username or password")
        self.assertNotIn("Set-Cookie", r.headers)
        r = login(self.server, "d-nobody", "村口路灯-2026")
        self.assertEqual(r.status, 401)
        r = login(self.server, "139 0013 9000", "村口路灯-2026")    # by phone
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["id"], "d-niu")
        sc = r.headers["Set-Cookie"]
        for attr in ("HttpOnly", "SameSite=Strict", "Path=/"):
            self.assertIn(attr, sc)
        self.assertNotIn("Secure", sc)          # public_url is http:// here
        token = cookie_of(r)
        self.assertEqual(len(token), 64)
        db = self.server.db()
        stored = db.execute("SELECT token_hash FROM sessions").fetchall()
        db.close()
        self.assertEqual(len(stored), 1)
        self.assertNotEqual(stored[0][0], token)     # only its hash is kept
        me = self.server.get("/console/api/me", {"Cookie": "minyi_session=" + token})
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json()["name"], "牛代表")

    def test_a_session_idle_8_hours_is_over_and_use_keeps_it(self):
        cookie, _ = self.session("d-niu")
        db = self.server.db()

        def idle(seconds):
            db.execute("UPDATE sessions SET seen_at = ?", (int(time.time()) - seconds,))
            db.commit()

        idle(8 * 3600 - 60)                               # 7h59 idle: still on
        self.assertEqual(self.server.get("/api/cases", cookie).status, 200)
        for _ in range(100):                              # ...and marked used
            seen = db.execute("SELECT seen_at FROM sessions").fetchone()[0]
            if seen >= time.time() - 60:
                break
            time.sleep(0.05)
        self.assertGreaterEqual(seen, time.time() - 60)
        idle(8 * 3600 + 60)                               # 8h01 idle: over
        self.assertEqual(self.server.get("/api/cases", cookie).status, 401)
        self.assertEqual(self.server.get("/console/api/me", cookie).status, 401)
        db.close()

    def test_logout_needs_the_csrf_token_and_ends_the_session(self):
        cookie, csrf = self.session("d-niu")
        r = self.server.post("/console/logout", "", cookie)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"], "missing or wrong CSRF token")
        r = self.server.post("/console/logout", "", dict(cookie, **{"X-CSRF-Token": "0" * 64}))
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.get("/console/api/me", cookie).status, 200)
        r = self.server.post("/console/logout", "", dict(cookie, **{"X-CSRF-Token": csrf}))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.server.get("/console/api/me", cookie).status, 401)
        self.assertEqual(self.server.get("/api/cases", cookie).status, 401)

    def test_any_other_console_post_with_the_cookie_and_no_token_is_403(self):
        cookie, csrf = self.session("d-niu")
        r = self.server.post("/console/api/anything", "{}", cookie)
        self.assertEqual(r.status, 403)

    def test_ten_failures_lock_the_account_across_a_restart(self):
        passwd(self.server, "d-niu", "村口路灯-2026")
        for i in range(10):
            r = login(self.server, "d-niu", "guess %d" % i)
            self.assertIn(r.status, (401, 429), r.text)
        r = login(self.server, "d-niu", "村口路灯-2026")
        self.assertEqual(r.status, 429)
        self.assertIn("account locked", r.json()["error"])
        self.assertTrue(self.server.wait_log(r"console login locked account=d-niu", 5))
        self.server.stop()
        self.server.start()
        r = login(self.server, "d-niu", "村口路灯-2026")
        self.assertEqual(r.status, 429)
        # another account is not locked
        passwd(self.server, "d-zhao", "村口路灯-2026")
        self.assertEqual(login(self.server, "d-zhao", "村口路灯-2026").status, 200)

    def test_nine_failures_then_the_right_password_logs_in(self):
        passwd(self.server, "d-niu", "村口路灯-2026")
        for i in range(9):
            self.assertEqual(login(self.server, "d-niu", "guess %d" % i).status, 401)
        self.assertEqual(login(self.server, "d-niu", "村口路灯-2026").status, 200)

    # --- scopes ---------------------------------------------------------------

    def test_a_deputy_sees_the_cases_of_their_grids_only(self):
        n = self.new_case()
        niu, _ = self.session("d-niu")
        guo, _ = self.session("d-guo")          # grid dazhao, another township
        r = self.server.get("/api/cases", niu)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual([c["number"] for c in r.json()["cases"]], [n])
        self.assertEqual(self.server.get("/api/cases/%d" % n, niu).status, 200)
        r = self.server.get("/api/cases", guo)
        self.assertEqual(r.json()["cases"], [])
        r = self.server.get("/api/cases/%d" % n, guo)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"], "case outside your scope")
        self.assertEqual(self.server.get("/console/api/cases/%d/messages" % n, guo).status, 403)
        # the chair of the township (d-zhao, 杨集乡) sees it too
        zhao, _ = self.session("d-zhao")
        self.assertEqual(self.server.get("/api/cases/%d" % n, zhao).status, 200)

    def test_a_department_sees_a_case_once_dispatched_to_it(self):
        n = self.new_case()
        power, _ = self.session("power")
        self.assertEqual(self.server.get("/api/cases/%d" % n, power).status, 403)
        self.say("接单 %d" % n, DEPUTY_NIU)
        self.say("派单 %d power 2" % n, DEPUTY_NIU)
        r = self.server.get("/api/cases/%d" % n, power)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["status"], "dispatched")
        self.assertEqual([c["number"] for c in
                          self.server.get("/api/cases", power).json()["cases"]], [n])

    def test_the_bearer_token_keeps_county_scope(self):
        n = self.new_case()
        self.assertEqual(self.server.admin("/api/cases/%d" % n).status, 200)
        r = self.server.admin("/console/api/dashboard")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["todo"]["new"], 1)
        self.assertEqual(r.json()["todo"]["to_accept"], 1)

    def test_the_dashboard_counts_what_needs_someone(self):
        n = self.new_case()
        todo = lambda: self.server.admin("/console/api/dashboard").json()["todo"]
        self.assertEqual(todo(), {"new": 1, "to_accept": 1, "triage": 0,
                                  "overdue": 0, "to_rate": 0})
        db = self.server.db()
        db.execute("UPDATE cases SET flags = 5 WHERE number = ?", (n,))   # triage, overdue
        db.commit()
        self.assertEqual(todo(), {"new": 1, "to_accept": 0, "triage": 1,
                                  "overdue": 1, "to_rate": 0})
        db.execute("UPDATE cases SET status = 'resolved' WHERE number = ?", (n,))
        db.commit()
        self.assertEqual(todo(), {"new": 1, "to_accept": 0, "triage": 1,
                                  "overdue": 0, "to_rate": 1})
        db.execute("UPDATE cases SET status = 'closed' WHERE number = ?", (n,))
        db.commit()
        db.close()
        self.assertEqual(todo(), {"new": 1, "to_accept": 0, "triage": 0,
                                  "overdue": 0, "to_rate": 0})
        d = self.server.admin("/console/api/dashboard").json()
        self.assertEqual(len(d["days"]), 30)
        self.assertEqual(d["by_category"]["streetlight"][-1], 1)
        self.assertEqual(d["by_township"]["yangji"][-1], 1)
        # another deputy's dashboard does not count it
        guo, _ = self.session("d-guo")
        d = self.server.get("/console/api/dashboard", guo).json()
        self.assertEqual(d["todo"]["new"], 0)
        self.assertEqual(d["by_category"], {})

    def test_the_case_messages_in_and_out_with_delivery_status(self):
        n = self.new_case()
        niu, _ = self.session("d-niu")
        msgs = self.server.get("/console/api/cases/%d/messages" % n, niu).json()
        ins = [m for m in msgs if m["dir"] == "in"]
        outs = [m for m in msgs if m["dir"] == "out"]
        self.assertEqual(ins[0]["text"], "刘辛店村村口路灯不亮")
        self.assertTrue(any(m["address"] == DEPUTY_NIU for m in outs), outs)
        self.assertTrue(all(m["status"] for m in outs))

    # --- pages ----------------------------------------------------------------

    def test_pages_need_a_session_and_carry_the_csp(self):
        self.assertEqual(get_no_redirect(self.server, "/console/"),
                         (303, "/console/login.html"))
        self.assertEqual(get_no_redirect(self.server, "/console/cases.html"),
                         (303, "/console/login.html"))
        r = self.server.get("/console/login.html")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["Content-Security-Policy"], "default-src 'self'")
        self.assertNotIn("<script>", r.text)
        self.assertEqual(self.server.get("/console/api/me").status, 401)
        self.assertEqual(self.server.get("/console/../Makefile").status, 404)
        self.assertEqual(self.server.get("/console/.hidden.js").status, 404)
        r = self.server.get("/console/vendor/chart.js")
        self.assertEqual(r.status, 200)
        self.assertIn(b"Chart", r.body[:4000])
        self.assertEqual(get_no_redirect(self.server, "/"), (303, "/console/"))


class ConsoleActionsTest(ServerTest):
    """POST /api/cases/{n}/actions: the SMS commands' workflow through the API."""

    def say(self, text, frm):
        r = self.server.post("/webhooks/sim", {"from": frm, "text": text})
        self.assertEqual(r.status, 200, r.text)

    def inbox(self, to):
        q = urllib.parse.urlencode({"to": to})
        return [m["text"] for m in self.server.admin("/webhooks/sim/outbox?" + q).json()]

    def session(self, account):
        passwd(self.server, account, "密码-correct-horse")
        r = login(self.server, account, "密码-correct-horse")
        self.assertEqual(r.status, 200, r.text)
        return {"Cookie": "minyi_session=" + cookie_of(r), "X-CSRF-Token": r.json()["csrf"]}

    def act(self, n, headers, **body):
        return self.server.post("/api/cases/%d/actions" % n, body, headers)

    def case(self, n):
        return self.server.admin("/api/cases/%d" % n).json()

    def setUp(self):
        super().setUp()
        self.say("刘辛店村村口路灯不亮", RESIDENT)
        self.n = self.server.admin("/api/cases").json()["cases"][0]["number"]

    def test_the_whole_loop_through_the_api(self):
        niu = self.session("d-niu")
        before = len(self.inbox(RESIDENT))
        r = self.act(self.n, niu, action="accept")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(self.n)["status"], "accepted")
        told = self.inbox(RESIDENT)[before:]
        self.assertEqual(len(told), 1)
        self.assertIn("牛代表", told[0])              # the resident hears who has it
        self.assertTrue(r.json()["reply"])          # what the SMS would have answered
        r = self.act(self.n, niu, action="dispatch", departments=["power"], days=2)
        self.assertEqual(r.status, 200, r.text)
        c = self.case(self.n)
        self.assertEqual((c["status"], c["department"]), ("dispatched", "power"))
        self.assertIsNotNone(c["due_at"])
        self.assertTrue(self.inbox("+8615000150001"))   # 县供电公司 got the case
        power = self.session("power")
        r = self.act(self.n, power, action="note", text="已安排电工明早维修")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(self.n)["status"], "in_progress")
        self.assertIn("已安排电工明早维修", self.inbox(RESIDENT)[-1])
        r = self.act(self.n, power, action="resolve", text="路灯已更换")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(self.n)["status"], "resolved")
        self.assertIn("路灯已更换", "".join(self.inbox(RESIDENT)[-2:]))
        kinds = [e["to_status"] for e in self.case(self.n)["events"] if e["to_status"]]
        self.assertEqual(kinds[-4:], ["accepted", "dispatched", "in_progress", "resolved"])

    def test_an_illegal_transition_is_409_with_the_reason_and_changes_nothing(self):
        niu = self.session("d-niu")
        self.assertEqual(self.act(self.n, niu, action="accept").status, 200)
        events = len(self.case(self.n)["events"])
        sent = len(self.inbox(RESIDENT)) + len(self.inbox(DEPUTY_NIU))
        r = self.act(self.n, niu, action="accept")          # accepted already
        self.assertEqual(r.status, 409, r.text)
        self.assertIn("已接单", r.json()["error"])
        self.assertEqual(len(self.case(self.n)["events"]), events)
        self.assertEqual(len(self.inbox(RESIDENT)) + len(self.inbox(DEPUTY_NIU)), sent)
        self.assertEqual(self.case(self.n)["status"], "accepted")

    def test_outside_the_scope_is_403_and_without_the_csrf_token_403(self):
        guo = self.session("d-guo")
        r = self.act(self.n, guo, action="accept")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"], "case outside your scope")
        niu = self.session("d-niu")
        r = self.act(self.n, {"Cookie": niu["Cookie"]}, action="accept")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"], "missing or wrong CSRF token")
        r = self.act(self.n, dict(niu, **{"X-CSRF-Token": "f" * 64}), action="accept")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.case(self.n)["status"], "received")

    def test_bad_actions_are_400_and_the_admin_token_does_not_act(self):
        niu = self.session("d-niu")
        for body, why in (({"action": "fly"}, "action: expected one of"),
                          ({"action": "note"}, "text: required"),
                          ({"action": "dispatch", "departments": ["nowhere"]}, "departments:"),
                          ({"action": "dispatch", "departments": ["power"], "days": 0}, "days:"),
                          ({"action": "transfer", "to": "d-nobody"}, "to: expected")):
            r = self.act(self.n, niu, **body)
            self.assertEqual(r.status, 400, body)
            self.assertIn(why, r.json()["error"])
        r = self.server.post("/api/cases/%d/actions" % self.n, {"action": "accept"},
                             {"Authorization": "Bearer test-admin-token"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.post("/api/cases/%d/actions" % self.n,
                                          {"action": "accept"}).status, 401)
        self.assertEqual(self.case(self.n)["status"], "received")

    def test_transfer_to_another_deputy(self):
        niu = self.session("d-niu")
        r = self.act(self.n, niu, action="transfer", to="d-ma")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(self.n)["deputy"], "d-ma")


def sms_over_sim(cfg):
    """Walk-ins (代办) reach residents over the simulator."""
    cfg.setdefault("dialog", {})["sms_channel"] = "sim"


COUNTY = "+8618600186000"       # s-li, county staff
CLERK = "+8618600186001"        # s-yangji, township staff of 杨集乡
POWER = "+8615000150001"
WATER = "+8615000150002"
ELDER = "+8613812340000"        # has never written


class ConsoleStaffTest(ConsoleActionsTest):
    """Staff accounts and their scopes, walk-ins (POST /api/cases) and the
    actions of the tiers: escalate, triage, press, close, joint dispatch."""
    mutate = staticmethod(sms_over_sim)

    def walk_in(self, headers, **body):
        return self.server.post("/api/cases", body, headers)

    def wanglou_case(self):
        self.say("王楼村垃圾堆了一个星期没人清理", "+8613800138001")
        cases = self.server.admin("/api/cases?grid=wanglou").json()["cases"]
        self.assertEqual(len(cases), 1)
        return cases[0]["number"]

    # --- accounts and scopes ------------------------------------------------

    def test_staff_accounts_county_sees_all_township_its_own(self):
        w = self.wanglou_case()
        p = passwd(self.server, "s-yangji", "密码-correct-horse")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("password set for s-yangji", p.stdout)
        clerk = self.session("s-yangji")
        county = self.session("s-li")
        me = self.server.get("/console/api/me", clerk).json()
        self.assertEqual((me["id"], me["kind"], me["township"]),
                         ("s-yangji", "township", "yangji"))
        self.assertEqual(me["names"]["staff"]["s-li"], "县人大代表工委李主任")
        self.assertEqual(self.server.get("/console/api/me", county).json()["kind"], "county")
        got = lambda h: sorted(c["number"] for c in
                               self.server.get("/api/cases", h).json()["cases"])
        self.assertEqual(got(county), sorted([self.n, w]))
        self.assertEqual(got(clerk), [self.n])
        self.assertEqual(self.server.get("/api/cases/%d" % self.n, clerk).status, 200)
        r = self.server.get("/api/cases/%d" % w, clerk)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"], "case outside your scope")
        self.assertEqual(self.server.get("/console/api/cases/%d/messages" % w,
                                         clerk).status, 403)
        r = self.act(w, clerk, action="note", text="看看")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.get("/api/cases/%d" % w, county).status, 200)
        self.assertEqual(self.server.admin("/api/cases/%d" % w).status, 200)
        # by phone number too
        r = login(self.server, "186 0018 6001", "密码-correct-horse")
        self.assertEqual(r.json()["id"], "s-yangji")

    # --- walk-ins -----------------------------------------------------------

    def test_a_walk_in_is_the_residents_case_filed_by_the_account(self):
        clerk = self.session("s-yangji")
        r = self.walk_in(clerk, citizen="138 1234 0000", text="家里老人行动不便，想申请助餐",
                         grid="liuxindian", category="elderly")
        self.assertEqual(r.status, 201, r.text)
        c = r.json()
        self.assertEqual((c["citizen"], c["filed_by"], c["grid"], c["category"],
                          c["channel"], c["status"]),
                         (ELDER, "staff:s-yangji", "liuxindian", "elderly", "sim",
                          "received"))
        n = c["number"]
        full = self.case(n)
        self.assertEqual((full["events"][0]["kind"], full["events"][0]["actor"]),
                         ("created", "staff:s-yangji"))
        self.assertIn("source=station", full["events"][0]["detail"])
        self.assertRegex(self.inbox(ELDER)[-1], r"查询\s*%d" % n)   # the receipt
        self.assertIn("13812340000", self.inbox(DEPUTY_NIU)[-1])   # the deputy calls back
        # updates and the rating prompt reach the resident by SMS
        niu = self.session("d-niu")
        self.assertEqual(self.act(n, niu, action="accept").status, 200)
        self.assertIn("牛代表", self.inbox(ELDER)[-1])
        self.assertEqual(self.act(n, niu, action="resolve", text="已安排助餐点送餐").status, 200)
        self.assertTrue(any("满意" in t for t in self.inbox(ELDER)))
        # the category given wins over the words; the grid over the filer's
        r = self.walk_in(niu, citizen="13812340001", text="王楼村路灯不亮",
                         grid="liuxindian", category="road", channel="phone")
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual((r.json()["grid"], r.json()["category"], r.json()["filed_by"]),
                         ("liuxindian", "road", "deputy:d-niu"))
        # walk-ins by source (来访 / 来电), apart from what residents sent
        phoned = r.json()["number"]
        self.assertEqual((c["source"], r.json()["source"]), ("station", "phone"))
        by = lambda q: [(x["number"], x["source"]) for x in self.server.get(
            "/api/cases?" + q, clerk).json()["cases"]]
        self.assertEqual(by("source=station"), [(n, "station")])
        self.assertEqual(by("source=phone"), [(phoned, "phone")])
        self.assertEqual(by("source=phone&status=received"), [(phoned, "phone")])
        self.assertEqual(by("source=station&status=received"), [])   # resolved by now
        self.assertIn((self.n, None), by(""))                         # the resident's own
        r = self.server.get("/api/cases?source=phone", clerk).json()
        self.assertEqual((r["count"], r["total"]), (1, 1))
        r = self.server.get("/api/cases?source=walkin", clerk)
        self.assertEqual((r.status, r.json()["error"]), (400, "source: expected station or phone"))

    def test_a_walk_in_after_a_reload(self):
        clerk = self.session("s-yangji")
        self.server.proc.send_signal(signal.SIGHUP)
        self.assertTrue(self.server.wait_log(r"config reloaded generation=2"))
        r = self.walk_in(clerk, citizen=ELDER, text="刘辛店村路灯不亮", grid="liuxindian")
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["filed_by"], "staff:s-yangji")
        r = self.act(r.json()["number"], clerk, action="close", text="重复诉求")
        self.assertEqual(r.status, 200, r.text)

    def test_bad_walk_ins_are_400_naming_the_field_and_change_nothing(self):
        clerk = self.session("s-yangji")
        before = self.server.admin("/api/cases").json()["total"]
        for body, why in (({"text": "路灯坏了"}, "citizen:"),
                          ({"citizen": "12345", "text": "路灯坏了"}, "citizen:"),
                          ({"citizen": ELDER}, "text:"),
                          ({"citizen": ELDER, "text": "  "}, "text:"),
                          ({"citizen": ELDER, "text": "x" * 1001}, "text:"),
                          ({"citizen": ELDER, "text": "路灯坏了", "grid": "mars"}, "grid:"),
                          ({"citizen": ELDER, "text": "路灯坏了", "category": "x"}, "category:"),
                          ({"citizen": ELDER, "text": "路灯坏了", "channel": "sms"}, "channel:")):
            r = self.walk_in(clerk, **body)
            self.assertEqual(r.status, 400, body)
            self.assertTrue(r.json()["error"].startswith(why), r.json()["error"])
        r = self.server.post("/api/cases", "[1]", clerk)
        self.assertEqual(r.status, 400)
        # another township's grid: 403; no CSRF token: 403; a department or
        # the admin token: 403 (no one to file as); no one: 401
        r = self.walk_in(clerk, citizen=ELDER, text="路灯坏了", grid="wanglou")
        self.assertEqual((r.status, r.json()["error"]), (403, "grid outside your scope"))
        r = self.walk_in({"Cookie": clerk["Cookie"]}, citizen=ELDER, text="路灯坏了")
        self.assertEqual((r.status, r.json()["error"]), (403, "missing or wrong CSRF token"))
        self.assertEqual(self.walk_in(self.session("power"), citizen=ELDER,
                                      text="路灯坏了").status, 403)
        self.assertEqual(self.walk_in({"Authorization": "Bearer test-admin-token"},
                                      citizen=ELDER, text="路灯坏了").status, 403)
        self.assertEqual(self.walk_in({}, citizen=ELDER, text="路灯坏了").status, 401)
        self.assertEqual(self.server.admin("/api/cases").json()["total"], before)
        self.assertEqual(self.inbox(ELDER), [])

    # --- the tiers' actions ---------------------------------------------------

    def test_escalate_goes_one_tier_up_and_the_township_is_told(self):
        niu = self.session("d-niu")
        self.assertEqual(self.act(self.n, niu, action="accept").status, 200)
        tier = self.case(self.n)["tier"]
        r = self.act(self.n, niu, action="escalate", text="需乡镇协调")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(self.n)["tier"], tier + 1)
        self.assertIn("上报", r.json()["reply"])
        told = CLERK if tier == 1 else COUNTY
        self.assertIn("需乡镇协调", self.inbox(told)[-1])
        self.assertIn("上报", self.inbox(RESIDENT)[-1])
        self.assertEqual(self.case(self.n)["events"][-1]["kind"], "tier_raised")

    def test_triage_places_a_case_of_no_known_place(self):
        county = self.session("s-li")
        r = self.walk_in(county, citizen=ELDER, text="路灯坏了好几天了")
        self.assertEqual(r.status, 201, r.text)
        t = r.json()["number"]
        self.assertIsNone(self.case(t)["grid"])
        r = self.act(t, county, action="triage", grid="wanglou")
        self.assertEqual(r.status, 200, r.text)
        c = self.case(t)
        self.assertEqual((c["grid"], c["township"], c["deputy"]),
                         ("wanglou", "wanglou", "d-wang"))
        self.assertIn("分办", self.inbox("+8613600136000")[-1])      # 王代表
        wang = self.session("d-wang")
        self.assertEqual(self.act(t, wang, action="accept").status, 200)
        r = self.act(t, county, action="triage", grid="liuxindian")  # taken already
        self.assertEqual(r.status, 409, r.text)
        self.assertIn("分办", r.json()["error"])
        r = self.act(t, county, action="triage", grid="mars")
        self.assertEqual((r.status, r.json()["error"]), (400, "grid: expected a grid id"))

    def test_joint_dispatch_with_an_instruction_press_and_the_assists_progress(self):
        clerk = self.session("s-yangji")
        niu = self.session("d-niu")
        self.assertEqual(self.act(self.n, niu, action="accept").status, 200)
        r = self.act(self.n, clerk, action="dispatch", departments=["power", "water"],
                     days=3, instruction="3日内修复并排查线路")
        self.assertEqual(r.status, 200, r.text)
        c = self.case(self.n)
        self.assertEqual((c["status"], c["department"], c["departments"], c["instruction"]),
                         ("dispatched", "power", ["power", "water"], "3日内修复并排查线路"))
        self.assertIn("3日内修复并排查线路", self.inbox(POWER)[-1])
        self.assertIn("3日内修复并排查线路", self.inbox(WATER)[-1])
        self.assertEqual(c["events"][-1]["actor"], "staff:s-yangji")
        county = self.session("s-li")
        r = self.act(self.n, county, action="press", text="请本周内修好")
        self.assertEqual(r.status, 200, r.text)
        self.assertIn("请本周内修好", self.inbox(POWER)[-1])
        self.assertIn("请本周内修好", self.inbox(WATER)[-1])
        water = self.session("water")
        r = self.act(self.n, water, action="note", text="已排查水泵线路")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(self.n)["status"], "in_progress")
        self.assertEqual(self.case(self.n)["events"][-1]["detail"], "已排查水泵线路")
        self.assertEqual(self.server.get("/api/cases/%d" % self.n, water).status, 200)
        r = self.act(self.n, water, action="resolve", text="好了")   # only the lead
        self.assertEqual(r.status, 409, r.text)
        for body, why in (({"action": "dispatch", "departments": []}, "departments:"),
                          ({"action": "dispatch", "departments": "power"}, "departments:"),
                          ({"action": "dispatch", "departments": ["power"],
                            "instruction": 5}, "instruction:"),
                          ({"action": "press"}, "text: required"),
                          ({"action": "close"}, "text: required"),
                          ({"action": "triage"}, "grid:")):
            r = self.act(self.n, county, **body)
            self.assertEqual(r.status, 400, body)
            self.assertIn(why, r.json()["error"])

    def test_an_assisting_department_lists_and_opens_the_cases_it_assists(self):
        niu = self.session("d-niu")
        self.assertEqual(self.act(self.n, niu, action="accept").status, 200)
        # another case, dispatched to 县供电公司 alone
        self.say("刘辛店村东头电线杆歪了", "+8613800138007")
        alone = self.server.admin("/api/cases").json()["cases"][0]["number"]
        self.assertEqual(self.act(alone, niu, action="accept").status, 200)
        water = self.session("water")
        numbers = lambda q: [c["number"] for c in self.server.get(
            "/api/cases" + q, water).json()["cases"]]
        self.assertEqual(numbers(""), [])
        self.assertEqual(self.act(self.n, niu, action="dispatch",
                                  departments=["power", "water"]).status, 200)
        self.assertEqual(self.act(alone, niu, action="dispatch",
                                  departments=["power"]).status, 200)
        # the list, by status too (the page's default), and its total
        self.assertEqual(numbers(""), [self.n])
        r = self.server.get("/api/cases?status=dispatched,in_progress", water).json()
        self.assertEqual(([c["number"] for c in r["cases"]], r["total"]), ([self.n], 1))
        self.assertEqual(self.server.get("/api/cases/%d" % self.n, water).status, 200)
        self.assertEqual(self.server.get("/api/cases/%d" % alone, water).status, 403)
        self.assertEqual(self.act(alone, water, action="note", text="看看").status, 403)
        r = self.server.get("/console/api/dashboard", water).json()
        self.assertEqual(r["todo"]["new"], 1)
        # once no longer assisting (dispatched again to power alone), gone
        county = self.session("s-li")
        self.assertEqual(self.act(self.n, county, action="dispatch",
                                  departments=["power"]).status, 200)
        self.assertEqual(numbers(""), [])

    def test_decline_by_the_deputy_and_return_by_the_department(self):
        niu = self.session("d-niu")
        r = self.act(self.n, niu, action="decline", text="不属于人大代表履职范围，请拨12345")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(self.n)["status"], "declined")
        self.assertIn("请拨12345", self.inbox(RESIDENT)[-1])
        r = self.act(self.n, niu, action="accept")
        self.assertEqual(r.status, 409)
        self.assertIn("已退回", r.json()["error"])
        # a department's 退回 hands the case back to whoever dispatched it
        self.say("刘辛店村水管破了", "+8613800138009")
        m = self.server.admin("/api/cases?status=received").json()["cases"][0]["number"]
        clerk = self.session("s-yangji")
        self.assertEqual(self.act(m, niu, action="accept").status, 200)
        self.assertEqual(self.act(m, clerk, action="dispatch", departments=["power"]).status, 200)
        power = self.session("power")
        r = self.act(m, power, action="decline", text="应由水利局办理")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.case(m)["status"], "accepted")
        self.assertIn("应由水利局办理", self.inbox(CLERK)[-1])
        r = self.act(m, power, action="note", text="再看看")        # no longer with it
        self.assertEqual(r.status, 409)
        self.assertIn("未交贵单位办理", r.json()["error"])

    def test_escalate_at_the_top_is_409(self):
        county = self.session("s-li")
        for _ in range(3):
            r = self.act(self.n, county, action="escalate")
            if r.status == 409:
                break
            self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.status, 409)
        self.assertIn("不能再上报", r.json()["error"])
        self.assertEqual(self.case(self.n)["tier"], 3)

    def test_close_with_a_reason_and_who_may(self):
        niu = self.session("d-niu")
        clerk = self.session("s-yangji")
        self.assertEqual(self.act(self.n, niu, action="accept").status, 200)
        self.assertEqual(self.act(self.n, niu, action="resolve", text="路灯已修").status, 200)
        r = self.act(self.n, niu, action="close", text="群众未评价")
        self.assertEqual(r.status, 409, r.text)          # the deputy does not close
        self.assertIn("结案", r.json()["error"])
        self.assertEqual(self.case(self.n)["status"], "resolved")
        r = self.act(self.n, clerk, action="close", text="群众未评价，已电话回访")
        self.assertEqual(r.status, 200, r.text)
        c = self.case(self.n)
        self.assertEqual(c["status"], "closed")
        self.assertEqual((c["events"][-1]["kind"], c["events"][-1]["actor"],
                          c["events"][-1]["detail"]),
                         ("closed", "staff:s-yangji", "群众未评价，已电话回访"))
        self.assertIn("已电话回访", self.inbox(RESIDENT)[-1])
        self.assertIn("【结案】", self.inbox(DEPUTY_NIU)[-1])
        r = self.act(self.n, clerk, action="close", text="再关一次")
        self.assertEqual(r.status, 409)
        self.assertIn("已关闭", r.json()["error"])
        r = self.act(self.n, clerk, action="press", text="快")
        self.assertEqual(r.status, 409)


class ConsoleHttpsTest(ServerTest):
    """Behind an https public_url the session cookie is Secure."""

    @staticmethod
    def mutate(cfg):
        cfg["server"]["public_url"] = "https://minyi.example.org"

    def test_the_cookie_is_secure_when_public_url_is_https(self):
        self.assertEqual(passwd(self.server, "d-niu", "村口路灯-2026").returncode, 0)
        r = login(self.server, "d-niu", "村口路灯-2026")
        self.assertEqual(r.status, 200, r.text)
        self.assertIn("; Secure", r.headers["Set-Cookie"])
