"""Fake providers: small loopback HTTP servers that answer like the real
APIs and record every request they get.

FakeTwilio answers POST /2010-04-01/Accounts/{sid}/Messages.json with 201
and a JSON message resource, unless a script of answers says otherwise:
`fake.script = [(503, {...}), (503, {...})]` makes the next calls fail.
"""
import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorded:
    def __init__(self, method, path, headers, body):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body

    @property
    def form(self):
        return {k: v[0] for k, v in urllib.parse.parse_qs(self.body.decode()).items()}

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))


class FakeProvider:
    def __init__(self, port=0):
        self.requests = []
        self.script = []          # answers to give first: (status, body dict or str)
        self.delay = 0.0          # seconds before answering
        self.lock = threading.Lock()
        self.counter = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                rec = Recorded("POST", self.path, dict(self.headers), body)
                with fake.lock:
                    fake.requests.append(rec)
                    answer = fake.script.pop(0) if fake.script else None
                    fake.counter += 1
                    k = fake.counter
                if fake.delay:
                    time.sleep(fake.delay)
                status, payload = answer if answer else fake.default_answer(rec, k)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def default_answer(self, rec, k):
        return 200, {"ok": True}

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for(self, pred, timeout=10.0):
        """Wait until pred(requests) is true; returns the requests."""
        end = time.time() + timeout
        while time.time() < end:
            with self.lock:
                reqs = list(self.requests)
            if pred(reqs):
                return reqs
            time.sleep(0.05)
        with self.lock:
            return list(self.requests)


class FakeTwilio(FakeProvider):
    def default_answer(self, rec, k):
        f = rec.form
        return 201, {"sid": "SM%032d" % k, "status": "queued", "to": f.get("To"),
                     "from": f.get("From"), "body": f.get("Body")}

    def messages(self):
        with self.lock:
            return [r.form for r in self.requests]


def twilio_signature(token, url, params):
    """As the provider documents: URL, then each param name+value sorted by name."""
    s = url + "".join(k + params[k] for k in sorted(params))
    mac = hmac.new(token.encode(), s.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def group_signature(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
