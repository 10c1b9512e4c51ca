"""minyi report: deputies (履职考核), departments (民主评议), hotspots (高频诉求)."""
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
        r = run_minyi("report", kind, "--config", self.server.config_path, "--format", fmt, *extra)
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
            r = run_minyi("report", *args[:1], "--config", self.server.config_path, *args[1:])
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("report", r.stderr)


if __name__ == "__main__":
    unittest.main()
