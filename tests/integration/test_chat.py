"""`minyi chat`: a phone in the terminal, for a resident and for a deputy."""
import http.server
import subprocess
import threading
import time
import unittest
import urllib.parse

from harness import ServerTest, BIN, ADMIN_TOKEN


class FakeOutbox(http.server.BaseHTTPRequestHandler):
    """A server whose sim outbox needs the admin token, as minyi's does
    once the outbox is closed to anonymous readers; it keeps every
    Authorization header it was sent."""
    seen = []

    def do_GET(self):
        type(self).seen.append(self.headers.get("Authorization"))
        if self.headers.get("Authorization") != "Bearer " + ADMIN_TOKEN:
            body, status = b'{"error":"unauthorized"}', 401
        else:
            body, status = b"[]", 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ChatTest(ServerTest):
    def chat(self, phone, lines, wait=1.5):
        p = subprocess.Popen([BIN, "chat", "--config", self.server.config_path, "--as", phone,
                              "--url", f"http://127.0.0.1:{self.server.port}"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=self.server.env)
        for line in lines:
            p.stdin.write(line + "\n")
            p.stdin.flush()
            time.sleep(wait)
        out, err = p.communicate(timeout=15)
        self.assertEqual(p.returncode, 0, err)
        return out

    def test_resident_gets_case_number_and_deputy_sees_alert(self):
        out = self.chat("13800138000", ["刘辛店村村口路灯不亮"])
        self.assertIn("you are +8613800138000", out)
        self.assertRegex(out, r"<< 已受理，编号\d+")
        out = self.chat("139 0013 9000", ["接单 1"])
        self.assertIn("已接单1", out)

    def test_deputy_who_opens_chat_later_sees_the_alert(self):
        r = self.server.post("/webhooks/sim", {"from": "+8613800138000", "text": "刘辛店村村口路灯不亮"})
        self.assertEqual(r.status, 200)
        out = self.chat("13900139000", [], wait=0)
        self.assertIn("-- earlier: the last 1 message sent to +8613900139000 --", out)
        self.assertRegex(out, r"<< \(earlier, [^)]+\) .*刘辛店村村口路灯不亮")
        self.assertIn("接单", out)

    def test_earlier_shows_the_last_10_oldest_first(self):
        for i in range(12):
            r = self.server.post("/webhooks/sim", {"from": "+8613800138000", "text": f"查询 {i + 1}"})
            self.assertEqual(r.status, 200)
        q = urllib.parse.urlencode({"to": "+8613800138000"})
        sent = self.server.admin("/webhooks/sim/outbox?" + q).json()
        self.assertEqual(len(sent), 12)
        out = self.chat("13800138000", [], wait=0)
        shown = [line.split(") ", 1)[1] for line in out.splitlines() if line.startswith("<< (earlier, ")]
        self.assertEqual(shown, [m["text"] for m in sent[-10:]])
        self.assertIn("the last 10 messages", out)

    def test_outbox_is_read_with_the_admin_token(self):
        FakeOutbox.seen = []
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeOutbox)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            args = [BIN, "chat", "--config", self.server.config_path, "--as", "13800138000",
                    "--url", f"http://127.0.0.1:{srv.server_address[1]}"]
            env = dict(self.server.env)
            p = subprocess.run(args, input="", capture_output=True, text=True, timeout=15, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("Bearer " + ADMIN_TOKEN, FakeOutbox.seen)
            env.pop(self.server.cfg["server"]["admin_token_env"])
            p = subprocess.run(args, input="", capture_output=True, text=True, timeout=15, env=env)
            self.assertEqual(p.returncode, 1)
            self.assertIn("refused to list the messages (HTTP 401): set "
                          + self.server.cfg["server"]["admin_token_env"], p.stderr)
        finally:
            srv.shutdown()
            srv.server_close()

    def test_no_server_is_a_clear_error(self):
        self.server.stop()
        p = subprocess.run([BIN, "chat", "--config", self.server.config_path, "--as", "13800138000",
                            "--url", f"http://127.0.0.1:{self.server.port}"],
                           input="", capture_output=True, text=True, timeout=15)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no minyi server answers", p.stderr)

    def test_bad_phone_is_refused(self):
        p = subprocess.run([BIN, "chat", "--config", self.server.config_path, "--as", "12"],
                           input="", capture_output=True, text=True, timeout=15)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--as 12:", p.stderr)


if __name__ == "__main__":
    unittest.main()
