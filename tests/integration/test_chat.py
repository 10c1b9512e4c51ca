"""`minyi chat`: a phone in the terminal, for a resident and for a deputy."""
import subprocess
import time
import unittest

from harness import ServerTest, BIN


class ChatTest(ServerTest):
    def chat(self, phone, lines, wait=1.5):
        p = subprocess.Popen([BIN, "chat", "--config", self.server.config_path, "--as", phone,
                              "--url", f"http://127.0.0.1:{self.server.port}"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
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
