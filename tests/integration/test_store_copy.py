"""`minyi store copy`: a county's store filled through the real server on
SQLite, copied to PostgreSQL, served from there (cases, events, ratings,
the workbench account; the next case gets the next number), copied back
to a new SQLite file equal to the first; and the refusals (a target that
holds rows, the same store twice, a source that cannot be read), with
nothing written by a copy that fails.

The PostgreSQL half needs MINYI_TEST_PG_ADMIN (tests/run.py --postgresql
sets it: a cluster of the run's own); the SQLite half runs always.
"""
import os
import re
import subprocess
import tempfile
import unittest
import urllib.parse

from harness import BIN, PG_ADMIN, ROOT, Server, http, run_minyi

RESIDENT = "+8613800138000"
NEIGHBOUR = "+8613800138001"
DEPUTY = "+8613900139000"       # 牛代表, first deputy of 刘辛店村
POWER = "+8615000150001"        # 县供电公司's contact
PASSWORD = "村口路灯-2026"

# every table of schema 17, in the order store copy prints them
TABLES = ["cases", "case_assists", "residents", "conversations", "messages",
          "case_events", "outbox", "receipts", "ratings", "kv", "accounts",
          "sessions", "evaluators", "eval_rounds", "eval_drawn", "eval_tally",
          "eval_overrides", "eval_results", "eval_items", "vote_rounds",
          "vote_projects", "vote_voters", "duties", "nodes", "rate_marks"]
NO_PG = ("no PostgreSQL: MINYI_TEST_PG_ADMIN is not set (tests/run.py"
         " --postgresql auto|only sets it)")
KEYS = {"kv": "key", "sessions": "token_hash", "case_assists": "department, case_id",
        "eval_drawn": "round_id, township, position",
        "eval_tally": "round_id, unit, dimension", "eval_results": "round_id, unit",
        "vote_projects": "round_id, position", "vote_voters": "round_id, deputy",
        "rate_marks": "key, at"}


def copy(frm, to):
    """minyi store copy from server frm's store to server to's; the
    environment gives both their secrets (to's conninfo included)."""
    env = dict(frm.env)
    env.update(to.env)
    return run_minyi("store", "copy", "--from", frm.config_path, "--to",
                     to.config_path, env=env, timeout=120)


def table_lines(out):
    """{table: (rows, sha256)} from store copy's output."""
    got = {}
    for line in out.splitlines():
        m = re.match(r"^(\w+) rows=(\d+) sha256=([0-9a-f]{64})$", line)
        if m:
            got[m.group(1)] = (int(m.group(2)), m.group(3))
    return got


def rows_of(server, table):
    """Every row of table, in key order, as the server's DB-API sees it."""
    with server.db() as db:
        return [tuple(r) for r in db.execute(
            "SELECT * FROM %s ORDER BY %s" % (table, KEYS.get(table, "id"))).fetchall()]


def indexed(server):
    """A SQLite store's search index as the copy left it: (cases still
    queued for it, cases found by a trigram all hold)."""
    with server.db() as db:
        return (db.execute("SELECT count(*) FROM cases_fts_queue").fetchone()[0],
                db.execute("SELECT count(*) FROM cases_fts"
                           " WHERE cases_fts MATCH '\"刘辛店\"'").fetchone()[0])


class CopyTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="minyi-copy-")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc is not None:
                s.stop()
        self._tmp.cleanup()

    def server(self, name, backend):
        d = os.path.join(self._tmp.name, name)
        os.mkdir(d)
        s = Server(d, backend=backend)
        self.servers.append(s)
        return s

    def say(self, s, text, frm):
        r = s.post("/webhooks/sim", {"from": frm, "text": text})
        self.assertEqual(r.status, 200, r.text)

    def last_to(self, s, to):
        q = urllib.parse.urlencode({"to": to})
        got = [m["text"] for m in s.admin("/webhooks/sim/outbox?" + q).json()]
        self.assertTrue(got, f"nothing sent to {to}")
        return got[-1]

    def new_case(self, s, text, frm):
        self.say(s, text, frm)
        m = re.search(r"查询\s*(\d+)", self.last_to(s, frm))
        self.assertIsNotNone(m, self.last_to(s, frm))
        return int(m.group(1))

    def fill(self):
        """A SQLite store filled through the real server: three cases, one
        taken through the loop to a rating of 5, the outbox's replies and
        alerts, a workbench account.  The cases as the API showed them."""
        a = self.server("a", "sqlite")
        a.start()
        n1 = self.new_case(a, "刘辛店村村口路灯不亮", RESIDENT)
        n2 = self.new_case(a, "刘辛店村水管爆了，街上全是水", NEIGHBOUR)
        self.say(a, f"接单 {n1}", DEPUTY)
        self.say(a, f"派单 {n1} power 2", DEPUTY)
        self.say(a, f"进展 {n1} 已安排电工明早维修", POWER)
        self.say(a, f"办结 {n1} 路灯已更换", POWER)
        self.say(a, "5 谢谢，修得很快", RESIDENT)
        self.say(a, f"接单 {n2}", DEPUTY)
        self.say(a, f"派单 {n2} water,sanitation 3 先关总阀再抢修", DEPUTY)
        n3 = self.new_case(a, "刘辛店村路灯又坏了一盏", RESIDENT)
        r = subprocess.run([BIN, "passwd", "--config", a.config_path, "d-niu"],
                           input=PASSWORD + "\n", capture_output=True, text=True,
                           env=a.env, cwd=ROOT, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        cases = {n: a.admin(f"/api/cases/{n}").json() for n in (n1, n2, n3)}
        self.assertEqual(cases[n1]["status"], "closed")
        self.assertEqual(cases[n1]["rating"], 5)
        self.assertEqual((cases[n2]["status"], cases[n2]["departments"]),
                         ("dispatched", ["water", "sanitation"]))
        self.assertEqual(a.stop(), 0)
        return a, cases

    def check_output(self, r, source):
        """store copy's lines: every table, its rows as the source holds
        them, and the total."""
        self.assertEqual(r.returncode, 0, r.stderr)
        got = table_lines(r.stdout)
        self.assertEqual(list(got), TABLES, r.stdout)
        for t in TABLES:
            self.assertEqual(got[t][0], len(rows_of(source, t)), t)
        total = sum(v[0] for v in got.values())
        self.assertIn(f"copied: {len(TABLES)} tables, {total} rows, verified",
                      r.stdout)
        self.assertGreaterEqual(got["case_events"][0], 8)
        self.assertGreater(got["outbox"][0], 5)
        self.assertGreaterEqual(got["ratings"][0], 1)
        self.assertEqual(got["accounts"][0], 1)
        self.assertEqual(got["case_assists"][0], 1)     # made by the trigger
        return got

    def check_served(self, s, cases):
        """s serves the copied cases as the first server did, a search
        finds them, the copied account logs in, and a new case gets the
        next number."""
        s.start()
        for n, before in cases.items():
            self.assertEqual(s.admin(f"/api/cases/{n}").json(), before)
        r = s.admin("/api/cases?" + urllib.parse.urlencode({"q": "路灯"}))
        self.assertEqual(sorted(c["number"] for c in r.json()["cases"]),
                         sorted(n for n, c in cases.items() if "路灯" in c["description"]))
        body = urllib.parse.urlencode({"username": "d-niu", "password": PASSWORD})
        r = http("POST", s.url("/console/login"), body,
                 {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200, r.text)
        n = self.new_case(s, "刘辛店村垃圾没人清运", NEIGHBOUR)
        self.assertEqual(n, max(cases) + 1)
        return n

    def test_sqlite_to_sqlite(self):
        a, cases = self.fill()
        c = self.server("c", "sqlite")
        r = copy(a, c)
        got = self.check_output(r, a)
        for t in TABLES:
            self.assertEqual(rows_of(c, t), rows_of(a, t), t)
        self.assertEqual(indexed(c), (0, len(cases)))
        self.check_served(c, cases)
        self.assertEqual(c.stop(), 0)
        # a second run is refused and changes nothing
        r = copy(a, c)
        self.assertEqual(r.returncode, 1)
        self.assertIn("store copy: the target already holds rows (table cases)",
                      r.stderr)
        self.assertEqual(len(rows_of(c, "cases")), len(cases) + 1)
        self.assertEqual(got["cases"][0], len(cases))

    def test_refusals(self):
        a, cases = self.fill()
        r = copy(a, a)
        self.assertEqual(r.returncode, 1)
        self.assertIn("store copy: the source and the target are the same store",
                      r.stderr)
        self.assertEqual(r.stdout, "")
        # the same file by another path
        other = self.server("other", "sqlite")
        other.cfg["store"]["path"] = os.path.join(a.tmpdir, "..", "a", "minyi.db")
        other.write_config()
        r = copy(a, other)
        self.assertEqual(r.returncode, 1)
        self.assertIn("the same store", r.stderr)
        # a source that is not there is not made
        missing = self.server("missing", "sqlite")
        c = self.server("c", "sqlite")
        r = copy(missing, c)
        self.assertEqual(r.returncode, 1)
        self.assertIn("store copy: cannot open the source store", r.stderr)
        self.assertFalse(os.path.exists(missing.cfg["store"]["path"]))
        # usage
        r = run_minyi("store", "copy", "--from", a.config_path, env=a.env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: minyi store copy --from CONFIG_A --to CONFIG_B", r.stderr)
        self.assertEqual(len(rows_of(a, "cases")), len(cases))

    @unittest.skipUnless(PG_ADMIN, NO_PG)
    def test_sqlite_to_postgresql_and_back(self):
        a, cases = self.fill()
        b = self.server("b", "postgresql")
        got = self.check_output(copy(a, b), a)
        for t in TABLES:
            self.assertEqual(rows_of(b, t), rows_of(a, t), t)
        # and back, to a new SQLite file: the same rows, the same checksums
        c = self.server("c", "sqlite")
        self.assertEqual(self.check_output(copy(b, c), b), got)
        for t in TABLES:
            self.assertEqual(rows_of(c, t), rows_of(a, t), t)
        self.assertEqual(indexed(c), (0, len(cases)))

        n = self.check_served(b, cases)
        self.assertEqual(b.stop(), 0)
        # again: refused, nothing changed
        r = copy(a, b)
        self.assertEqual(r.returncode, 1)
        self.assertIn("store copy: the target already holds rows (table cases)",
                      r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(max(row[1] for row in rows_of(b, "cases")), n)
        r = copy(b, b)
        self.assertEqual(r.returncode, 1)
        self.assertIn("store copy: the source and the target are the same store",
                      r.stderr)
        self.check_served(c, cases)

    @unittest.skipUnless(PG_ADMIN, NO_PG)
    def test_failed_copy_writes_nothing(self):
        """A row PostgreSQL refuses (a rating's time that is not a number)
        fails the copy after several tables were written: the target keeps
        none of them, and takes the whole store once the row is right."""
        a, cases = self.fill()
        with a.db() as db:
            db.execute("INSERT INTO ratings (case_id, score, at) VALUES (1, 3, 'soon')")
        b = self.server("b", "postgresql")
        r = copy(a, b)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"store copy: table ratings: rows 1 to 2 not written: .*bigint")
        self.assertEqual(r.stdout, "")
        for t in TABLES:
            self.assertEqual(rows_of(b, t), [], t)
        with a.db() as db:
            db.execute("UPDATE ratings SET at = 1 WHERE at = 'soon'")
        self.check_output(copy(a, b), a)
        self.check_served(b, cases)


if __name__ == "__main__":
    unittest.main()
