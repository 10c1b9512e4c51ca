"""`minyi check-config` against `minyi serve`: the same checks, the same lines.

check-config exits 0 with no output, or 1 with one line per problem (the
JSON path first), every problem at once.  serve refuses the very configs
check-config refuses and prints the same lines before it gives up, so an
operator who ran check-config is never surprised by serve.
"""
import json
import os
import socket
import subprocess
import tempfile
import unittest

from harness import ENV, Server, example_config, run_minyi

ALIYUN = {"id": "aliyun", "adapter": "aliyun_sms", "secret_env": "ALIYUN_PUSH_SECRET",
          "access_key_id": "testid", "access_key_secret_env": "ALIYUN_ACCESS_SECRET",
          "sign_name": "范县人大", "template_code": "SMS_0001"}


def with_aliyun(c):
    """A second SMS channel, and which of the two reaches new numbers."""
    c["channels"].append(dict(ALIYUN))
    c.setdefault("dialog", {})["sms_channel"] = "sms"


ALIYUN_ENV = {"ALIYUN_PUSH_SECRET": "push-secret-0123456789",
              "ALIYUN_ACCESS_SECRET": "testsecret"}


class ConfigCliTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="minyi-test-")
        self.dir = self._tmp.name
        self.server = None

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, mutate):
        """The harness's config (example, port 0, own store) with mutate applied."""
        self.server = Server(self.dir, mutate=mutate)
        return self.server.config_path

    def env(self, **changes):
        """The harness environment (with the variable naming the last
        written config's PostgreSQL store, on that backend); a value of
        None unsets that variable."""
        e = dict(self.server.env if self.server else dict(os.environ, **ENV),
                 **ALIYUN_ENV)
        for k, v in changes.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        return e

    def check(self, path, env=None):
        r = run_minyi("check-config", path, env=env or self.env())
        return r.returncode, r.stderr.splitlines()

    def serve_refuses(self, path, env=None):
        """serve's exit code and the problem lines it printed (its last
        line, the fatal one, left out); it must not start."""
        r = run_minyi("serve", "--config", path, env=env or self.env(), timeout=20)
        lines = r.stderr.splitlines()
        self.assertTrue(lines and lines[-1].startswith("fatal config: "), r.stderr)
        self.assertIn("not starting", lines[-1])
        return r.returncode, lines[:-1]

    def assert_both_refuse(self, path, want, env=None, count=None):
        """check-config exits 1 and serve refuses, both with the line want
        (and exactly count lines when given), and with the same lines."""
        rc, lines = self.check(path, env)
        self.assertEqual(rc, 1, lines)
        self.assertIn(want, lines)
        if count is not None:
            self.assertEqual(len(lines), count, lines)
        src, slines = self.serve_refuses(path, env)
        self.assertEqual(src, 1)
        self.assertEqual(slines, lines)
        return lines

    # --- item 16: check-config runs every check serve runs ---------------

    def test_good_config_passes_both(self):
        path = self.write(with_aliyun)
        self.assertEqual(self.check(path), (0, []))

    def test_unset_secret_refused_by_both(self):
        path = self.write(None)
        self.assert_both_refuse(
            path, "channels[0].auth_token_env: environment variable "
            "TWILIO_AUTH_TOKEN is not set", env=self.env(TWILIO_AUTH_TOKEN=None), count=1)

    def test_empty_secrets_listed_at_once(self):
        path = self.write(None)
        env = self.env(MINYI_ADMIN_TOKEN="", MINYI_GROUP_SECRET=None)
        rc, lines = self.check(path, env)
        self.assertEqual(rc, 1)
        self.assertEqual(lines, [
            "server.admin_token_env: environment variable MINYI_ADMIN_TOKEN is empty",
            "channels[1].secret_env: environment variable MINYI_GROUP_SECRET is not set"])

    def test_short_aliyun_secret_refused_by_both(self):
        path = self.write(with_aliyun)
        self.assert_both_refuse(
            path, "channels[4].secret_env: environment variable ALIYUN_PUSH_SECRET must "
            "hold at least 16 of A-Z a-z 0-9 - . _ ~ (it is part of the webhook URL)",
            env=self.env(ALIYUN_PUSH_SECRET="short-secret"), count=1)

    def test_secret_problems_come_with_config_problems(self):
        def mutate(c):
            with_aliyun(c)
            c["categories"][0]["tier"] = 9
        path = self.write(mutate)
        rc, lines = self.check(path, self.env(ALIYUN_PUSH_SECRET="short",
                                              TWILIO_AUTH_TOKEN=None))
        self.assertEqual(rc, 1)
        self.assertEqual(sorted(l.split(":")[0] for l in lines), [
            "categories[0].tier", "channels[0].auth_token_env", "channels[4].secret_env"])

    def test_tls_files_must_be_servable(self):
        cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
        other = os.path.join(self.dir, "other.pem")
        for k in (key, other):
            subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-out", k],
                           check=True, capture_output=True)
        subprocess.run(["openssl", "req", "-x509", "-key", key, "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-out", cert],
                       check=True, capture_output=True)
        junk = os.path.join(self.dir, "junk.pem")
        with open(junk, "w") as f:
            f.write("not a certificate\n")
        path = self.write(lambda c: c["server"].update(tls={"cert": cert, "key": key}))
        self.assertEqual(self.check(path), (0, []))
        path = self.write(lambda c: c["server"].update(tls={"cert": junk, "key": key}))
        self.assert_both_refuse(path, f'server.tls.cert: "{junk}" holds no PEM certificate',
                                count=1)
        path = self.write(lambda c: c["server"].update(tls={"cert": cert, "key": other}))
        self.assert_both_refuse(path, f'server.tls.key: "{other}" is not the key of the '
                                f'certificate in "{cert}"', count=1)

    # --- item 17: typos, phones, aliases ------------------------------------

    def test_typos_of_the_issue_all_at_once(self):
        def mutate(c):
            c["categories"][0]["keyword"] = c["categories"][0].pop("keywords")
            c["grids"][0]["aliasses"] = c["grids"][0].pop("aliases")
            c["departments"][1]["dealine_days"] = c["departments"][1].pop("deadline_days")
            c["quiet_hours"]["strat"] = c["quiet_hours"].pop("start")
            c["server"]["listn"] = c["server"].pop("listen")
        path = self.write(mutate)
        lines = self.assert_both_refuse(path, 'server.listn: unknown key, did you mean "listen"?',
                                        count=6)
        for want in ['categories[0].keyword: unknown key, did you mean "keywords"?',
                     'grids[0].aliasses: unknown key, did you mean "aliases"?',
                     'departments[1].dealine_days: unknown key, did you mean "deadline_days"?',
                     'quiet_hours.strat: unknown key, did you mean "start"?',
                     'server.listen: required key missing']:
            self.assertIn(want, lines)

    def test_adapter_keys_come_from_the_adapter(self):
        def mutate(c):
            c["channels"][0]["auth_tokn_env"] = "TWILIO_AUTH_TOKEN"     # twilio
            c["channels"][1]["robot_window_seconds"] = 30              # wechat_group: its own
            c["channels"][1]["from"] = "+8610690000"                   # twilio's, not its own
            c["channels"][3]["keyword"] = "#诉求"                        # sim has none
        path = self.write(mutate)
        rc, lines = self.check(path)
        self.assertEqual(rc, 1)
        self.assertEqual(lines, [
            'channels[0].auth_tokn_env: unknown key, did you mean "auth_token_env"?',
            "channels[1].from: unknown key",
            "channels[3].keyword: unknown key"])

    def test_planned_keys_are_unknown_until_read(self):
        def mutate(c):
            c["staff"] = [{"id": "s-office", "name": "代表工委", "phone": "186 0018 6099",
                           "role": "county"}]
            c["dialog"]["sms_channel"] = "sms"
            c["deputies"][0]["duty_weekdays"] = ["wed"]
            c["departments"][0]["type"] = "service"
        path = self.write(mutate)
        rc, lines = self.check(path)
        # staff, dialog.sms_channel and duty_weekdays are read now (issue 13),
        # departments[].type too (民主评议): none is a problem any more
        self.assertEqual(rc, 0, lines)
        self.assertEqual(lines, [])

    def test_landlines_and_shared_aliases(self):
        def mutate(c):
            c["deputies"][2]["phone"] = "010 1234 5678"
            c["departments"][3]["phone"] = "0393-123-4567"
            c["grids"][3]["aliases"].append("刘辛店")
        path = self.write(mutate)
        rc, lines = self.check(path)
        self.assertEqual(rc, 1)
        self.assertEqual(lines, [
            'deputies[2].phone: "010 1234 5678" is a landline, not a mobile number: '
            "it cannot receive SMS",
            'departments[3].phone: "0393-123-4567" is a landline, not a mobile number: '
            "it cannot receive SMS",
            'grids[3].aliases[1]: alias "刘辛店" is also grid "liuxindian"\'s'])

    # --- issue 17: the store's backend -----------------------------------

    def store(self, store):
        """The harness's config with this store section."""
        return self.write(lambda c: c.__setitem__("store", store))

    def test_store_backend_is_sqlite_by_default_or_postgresql(self):
        db = os.path.join(self.dir, "a.db")
        for store in ({"path": db}, {"backend": "sqlite", "path": db, "synchronous": "NORMAL"},
                      {"backend": "postgresql", "conninfo_env": "MINYI_PG_A",
                       "read_conninfo_env": "MINYI_PG_B"}):
            self.assertEqual(self.check(self.store(store), self.env(
                MINYI_PG_A="host=/nonexistent", MINYI_PG_B="host=/nonexistent")),
                (0, []), store)
        self.assertFalse(os.path.exists(db))        # check-config opens no store
        self.assert_both_refuse(self.store({"backend": "mysql", "path": db}),
                                'store.backend: expected "sqlite" or "postgresql", got "mysql"',
                                count=1)
        self.assert_both_refuse(self.store({"backend": "PostgreSQL", "conninfo_env": "MINYI_PG_A"}),
                                'store.backend: expected "sqlite" or "postgresql", got "PostgreSQL"',
                                env=self.env(MINYI_PG_A="host=/nonexistent"), count=2)

    def test_postgresql_needs_conninfo_env_and_no_sqlite_keys(self):
        self.assert_both_refuse(
            self.store({"backend": "postgresql"}),
            'store.conninfo_env: required with store.backend "postgresql": the environment'
            " variable holding the libpq connection string", count=1)
        lines = self.assert_both_refuse(
            self.store({"backend": "postgresql", "conninfo_env": "MINYI_PG_A",
                        "path": "var/minyi.db", "synchronous": "FULL"}),
            'store.path: only with store.backend "sqlite"',
            env=self.env(MINYI_PG_A="host=/nonexistent"), count=2)
        self.assertIn('store.synchronous: only with store.backend "sqlite" (PostgreSQL\'s'
                      " synchronous_commit must be on)", lines)
        lines = self.assert_both_refuse(
            self.store({"path": "var/minyi.db", "conninfo_env": "MINYI_PG_A",
                        "read_conninfo_env": "MINYI_PG_B"}),
            'store.conninfo_env: only with store.backend "postgresql"',
            env=self.env(MINYI_PG_A="host=/nonexistent", MINYI_PG_B="host=/nonexistent"),
            count=2)
        self.assertIn('store.read_conninfo_env: only with store.backend "postgresql"', lines)
        self.assert_both_refuse(
            self.store({"backend": "postgresql", "conninfo_env": ""}),
            "store.conninfo_env: expected the name of an environment variable")

    def test_postgresql_conninfo_variables_must_be_set(self):
        path = self.store({"backend": "postgresql", "conninfo_env": "MINYI_NO_SUCH_PG",
                           "read_conninfo_env": "MINYI_NO_SUCH_PG_READ"})
        lines = self.assert_both_refuse(
            path, "store.conninfo_env: environment variable MINYI_NO_SUCH_PG is not set",
            env=self.env(MINYI_NO_SUCH_PG=None, MINYI_NO_SUCH_PG_READ=None), count=2)
        self.assertIn("store.read_conninfo_env: environment variable MINYI_NO_SUCH_PG_READ"
                      " is not set", lines)
        self.assert_both_refuse(
            path, "store.conninfo_env: environment variable MINYI_NO_SUCH_PG is empty",
            env=self.env(MINYI_NO_SUCH_PG="", MINYI_NO_SUCH_PG_READ="host=/nonexistent"),
            count=1)

    def test_serve_on_an_unreachable_postgresql_fails_naming_it(self):
        with socket.socket() as s:      # a loopback port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            path = self.store({"backend": "postgresql", "conninfo_env": "MINYI_PG_A"})
            env = self.env(MINYI_PG_A="host=127.0.0.1 port=%d dbname=minyi user=minyi"
                           " connect_timeout=5" % port)
            self.assertEqual(self.check(path, env), (0, []))
            r = run_minyi("serve", "--config", path, env=env, timeout=20)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("fatal store: cannot open PostgreSQL: cannot connect to PostgreSQL: ",
                      r.stderr)
        self.assertIn(str(port), r.stderr)
        self.assertNotIn("serving", r.stderr)


if __name__ == "__main__":
    unittest.main()
