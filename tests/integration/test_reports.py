"""minyi report: deputies (履职考核), departments (民主评议), hotspots (高频诉求)."""
import calendar
import csv
import io
import json
import re
import unittest
import urllib.parse

from harness import ServerTest, run_minyi

DEPUTY = "+8613900139000"
POWER = "+8615000150001"


class ReportTest(ServerTest):
    def say(self, text, frm):
        self.assertEqual(self.server.post("/webhooks/sim", {"from": frm, "text": text}).status, 200)

    def case(self, text, frm):
        self.say(text, frm)
        q = urllib.parse.urlencode({"to": frm})
        last = self.server.admin("/webhooks/sim/outbox?" + q).json()[-1]["text"]
        return int(re.search(r"查询(\d+)", last).group(1))

    def report(self, kind, fmt="json", *extra):
        r = run_minyi("report", kind, "--config", self.server.config_path, "--format", fmt, *extra,
                      env=self.server.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def play(self):
        a = self.case("刘辛店村村口路灯不亮", "+8613700000001")
        b = self.case("刘辛店村路灯坏了好几天", "+8613700000002")
        self.case("王楼村这两天停水了", "+8613700000003")
        for n, rating, who in [(a, "5", "+8613700000001"), (b, "不满意", "+8613700000002")]:
            self.say(f"接单 {n}", DEPUTY)
            self.say(f"派单 {n} power 2", DEPUTY)
            self.say(f"办结 {n} 已修好", POWER)
            self.say(rating, who)

    def test_deputies(self):
        self.play()
        rows = {r["deputy"]: r for r in json.loads(self.report("deputies"))}
        niu = rows["d-niu"]
        self.assertEqual((niu["received"], niu["accepted_in_time"], niu["resolved"]), (2, 2, 2))
        self.assertEqual(niu["satisfaction"], 50.0)          # ratings 5 and 1
        self.assertEqual(rows["d-wang"]["received"], 1)
        self.assertIsNone(rows["d-wang"]["satisfaction"])
        table = self.report("deputies", "table")
        self.assertRegex(table.split("\n")[0], r"^deputy\s+name\s+level\s+received")
        self.assertIn("牛代表", table)

    def test_departments_rank_and_flag(self):
        self.play()
        rows = list(csv.DictReader(io.StringIO(self.report("departments", "csv"))))
        power = [r for r in rows if r["department"] == "power"][0]
        self.assertEqual((power["rank"], power["dispatched"], power["resolved"],
                          power["on_time_rate"], power["satisfaction"], power["flagged"]),
                         ("1", "2", "2", "100.0", "50.0", "yes"))       # under 80 points
        self.assertEqual(len(rows), len(self.server.cfg["departments"]))

    def test_hotspots_and_period(self):
        self.play()
        rows = json.loads(self.report("hotspots"))
        self.assertEqual(rows[0], {"category": "streetlight", "grid": "liuxindian",
                                   "requests": 2, "before": 0, "change": 2})
        self.assertEqual(json.loads(self.report("hotspots", "json", "--from", "2000-01-01",
                                                "--to", "2000-02-01")), [])

    def test_bad_arguments(self):
        for args in [["weekly"], ["deputies", "--format", "xml"], ["deputies", "--from", "yesterday"],
                     ["deputies", "--from", "2026-12-01", "--to", "2026-11-01"]]:
            r = run_minyi("report", *args[:1], "--config", self.server.config_path, *args[1:],
                          env=self.server.env)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("report", r.stderr)



def utc(y, mo, d, h=0, mi=0, s=0):
    return calendar.timegm((y, mo, d, h, mi, s))


HOUR = 3600


class StoredHistoryTest(ServerTest):
    """Reports over case histories written straight into the store, at
    chosen times (the example county's timezone is Asia/Shanghai, +08:00)."""

    def put_case(self, number, created, events, **cols):
        """A case and its timeline; events are (hours after created, kind,
        to_status, detail)."""
        row = dict(number=number, status="received", channel="sim", citizen="+861370000%04d" % number,
                   grid="liuxindian", township="yangji", category="streetlight", tier=2,
                   description="路灯不亮 %d" % number, deputy="d-niu", department="power",
                   created_at=created, updated_at=created)
        row.update(cols)
        db = self.server.db()
        with db:
            db.execute("INSERT INTO cases(%s) VALUES (%s)" % (
                ", ".join(row), ", ".join("?" * len(row))), list(row.values()))
            cid = db.execute("SELECT id FROM cases WHERE number = ?",
                             (number,)).fetchone()[0]
            db.execute("INSERT INTO case_events(case_id, at, actor, kind, to_status) VALUES"
                       " (?, ?, 'resident', 'created', 'received')", (cid, created))
            for hours, kind, to, detail in events:
                db.execute("INSERT INTO case_events(case_id, at, actor, kind, to_status, detail)"
                           " VALUES (?, ?, 'deputy:d-niu', ?, ?, ?)",
                           (cid, created + int(hours * HOUR), kind, to, detail))
        db.close()

    def report(self, kind, *period):
        r = run_minyi("report", kind, "--config", self.server.config_path, "--format", "json",
                      *period, env=self.server.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_departments_charged_only_with_what_was_dispatched_to_them(self):
        t = utc(2026, 12, 2)
        # the category's department (power) was filled in at intake; the
        # deputy solved it alone and the resident was unhappy
        self.put_case(1, t, [(1, "accepted", "accepted", None), (5, "resolved", "resolved", None),
                             (6, "rated", "closed", "1")],
                      status="closed", accepted_at=t + HOUR, resolved_at=t + 5 * HOUR, rating=1)
        # dispatched to water, solved on time, rated 5
        self.put_case(2, t, [(1, "accepted", "accepted", None),
                             (2, "dispatched", "dispatched", "department=water days=3"),
                             (9, "resolved", "resolved", None), (10, "rated", "closed", "5")],
                      status="closed", department="water", dispatched_at=t + 2 * HOUR,
                      due_at=t + 74 * HOUR, resolved_at=t + 9 * HOUR, rating=5)
        # dispatched to power, then withdrawn by the resident
        self.put_case(3, t, [(1, "accepted", "accepted", None),
                             (2, "dispatched", "dispatched", "department=power days=2"),
                             (3, "cancelled", "cancelled", None)],
                      status="cancelled", dispatched_at=t + 2 * HOUR)
        # dispatched to power, then to water, which was late and got a 4
        self.put_case(4, t, [(1, "accepted", "accepted", None),
                             (2, "dispatched", "dispatched", "department=power days=2"),
                             (3, "dispatched", "dispatched", "department=water days=1"),
                             (40, "resolved", "resolved", None), (41, "rated", "closed", "4")],
                      status="closed", department="water", dispatched_at=t + 3 * HOUR,
                      due_at=t + 27 * HOUR, resolved_at=t + 40 * HOUR, rating=4)
        rows = self.report("departments", "--from", "2026-12-01", "--to", "2026-12-31")
        by = {r["department"]: r for r in rows}
        self.assertEqual(by["water"], {"rank": 1, "department": "water", "name": "县水利局",
                                       "dispatched": 2, "resolved": 2, "on_time_rate": 50.0,
                                       "satisfaction": 87.5, "flagged": False})
        # power got case 4 for an hour: dispatched, but neither resolved nor rated
        self.assertEqual(by["power"], {"rank": 2, "department": "power", "name": "县供电公司",
                                       "dispatched": 1, "resolved": 0, "on_time_rate": None,
                                       "satisfaction": None, "flagged": False})
        # only departments that were dispatched cases are ranked; they come first
        self.assertEqual([r["department"] for r in rows[:2]], ["water", "power"])
        for r in rows[2:]:
            self.assertEqual((r["rank"], r["dispatched"], r["satisfaction"]), (None, 0, None), r)
        self.assertEqual(len(rows), len(self.server.cfg["departments"]))

    def test_accept_delay_after_reopen_and_withdrawal(self):
        t = utc(2026, 12, 2)
        # accepted after 2 h; reopened by an unhappy resident at 60 h, which
        # restarts the deputy's clock (assigned_at) but keeps accepted_at
        self.put_case(1, t, [(2, "accepted", "accepted", None), (3, "resolved", "resolved", None),
                             (60, "reopened", "reopened", "1")],
                      status="reopened", accepted_at=t + 2 * HOUR, assigned_at=t + 60 * HOUR,
                      resolved_at=t + 3 * HOUR, rating=1)
        # accepted after 30 h: late (accept_hours is 24)
        self.put_case(2, t, [(30, "accepted", "accepted", None)],
                      status="accepted", accepted_at=t + 30 * HOUR, assigned_at=t)
        # reopened and accepted again 4 h after the reopening
        self.put_case(3, t, [(1, "accepted", "accepted", None), (2, "resolved", "resolved", None),
                             (10, "reopened", "reopened", "2"), (14, "accepted", "accepted", None)],
                      status="accepted", accepted_at=t + 14 * HOUR, assigned_at=t + 10 * HOUR,
                      resolved_at=t + 2 * HOUR, rating=2)
        # withdrawn by the resident: counts nowhere
        self.put_case(4, t, [(1, "accepted", "accepted", None), (2, "cancelled", "cancelled", None)],
                      status="cancelled", accepted_at=t + HOUR, assigned_at=t)
        niu = {r["deputy"]: r for r in self.report("deputies", "--from", "2026-12-01",
                                                    "--to", "2026-12-31")}["d-niu"]
        self.assertEqual((niu["received"], niu["accepted_in_time"], niu["median_accept_hours"],
                          niu["resolved"], niu["satisfaction"]), (3, 2, 4.0, 2, 12.5))
        hot = self.report("hotspots", "--from", "2026-12-01", "--to", "2026-12-31")
        self.assertEqual([(r["category"], r["requests"]) for r in hot], [("streetlight", 3)])

    def test_dates_are_the_countys_days(self):
        for n, when in enumerate([utc(2026, 11, 30, 15, 59, 59),     # 30 Nov 23:59:59 +08:00
                                  utc(2026, 11, 30, 16, 30),         # 1 Dec 00:30 +08:00
                                  utc(2026, 12, 31, 15, 59, 59),     # 31 Dec 23:59:59 +08:00
                                  utc(2026, 12, 31, 16, 0)], 1):     # 1 Jan 00:00 +08:00
            self.put_case(n, when, [])

        def requests(*period):
            return sum(r["requests"] for r in self.report("hotspots", *period))
        self.assertEqual(requests("--from", "2026-12-01", "--to", "2026-12-31"), 2)
        self.assertEqual(requests("--from", "2026-12-01", "--to", "2026-12-01"), 1)
        self.assertEqual(requests("--from", "2026-12-31", "--to", "2026-12-31"), 1)
        self.assertEqual(requests("--from", "2027-01-01", "--to", "2027-01-01"), 1)
        self.assertEqual(requests("--from", "2026-11-30", "--to", "2026-11-30"), 1)
        self.assertEqual(requests("--from", "2026-11-01", "--to", "2027-01-31"), 4)
        # a time with an offset is that instant
        self.assertEqual(requests("--from", "2026-12-01T00:30:00+08:00",
                                  "--to", "2026-12-31T16:00:00Z"), 2)
        r = run_minyi("report", "hotspots", "--config", self.server.config_path,
                      "--from", "2026-02-30", env=self.server.env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--from", r.stderr)


if __name__ == "__main__":
    unittest.main()
