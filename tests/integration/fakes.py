"""Fake providers: small loopback HTTP servers that answer like the real
APIs and record every request they get.

FakeTwilio answers POST /2010-04-01/Accounts/{sid}/Messages.json with 201
and a JSON message resource, unless a script of answers says otherwise:
`fake.script = [(503, {...}), (503, {...})]` makes the next calls fail.
It keeps the messages it accepted, and GET on the same URL lists them as
Twilio does (To, From, DateSent, DateSent<, DateSent>, PageSize, Page;
newest first; dates in RFC 2822): the lookup minyi makes after a crash.
`fake.list_failing = (503, {...})` makes every list answer that.
"""
import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from datetime import datetime, timezone
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
        self.requests = []        # POSTs
        self.gets = []            # GETs, kept apart: minyi's lookups
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
                self.answer(status, payload)

            def do_GET(self):
                rec = Recorded("GET", self.path, dict(self.headers), b"")
                with fake.lock:
                    fake.gets.append(rec)
                self.answer(*fake.get_answer(rec))

            def answer(self, status, payload):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        # a client killed mid-call (the crash tests) is not the fake's error
        self.httpd.handle_error = lambda request, address: None
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def default_answer(self, rec, k):
        return 200, {"ok": True}

    def get_answer(self, rec):
        return 404, {"code": 20404, "message": "not found"}

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


def rfc2822(t):
    """Twilio's dates: "Tue, 14 Nov 2023 22:13:20 +0000"."""
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))


class FakeTwilio(FakeProvider):
    def __init__(self, port=0):
        self.accepted = []        # messages answered 201: dicts, oldest first
        self.list_failing = None  # (status, body): what every list answers
        super().__init__(port)

    def default_answer(self, rec, k):
        f = rec.form
        m = {"sid": "SM%032d" % k, "status": "queued", "to": f.get("To"),
             "from": f.get("From"), "body": f.get("Body"), "k": k,
             "created": time.time()}
        with self.lock:
            self.accepted.append(m)
        return 201, self.resource(m)

    @staticmethod
    def resource(m):
        d = rfc2822(m["created"])
        return {"sid": m["sid"], "status": m["status"], "to": m["to"], "from": m["from"],
                "body": m["body"], "date_created": d, "date_updated": d, "date_sent": d,
                "direction": "outbound-api", "num_segments": "1", "num_media": "0",
                "account_sid": "AC" + "0" * 32, "api_version": "2010-04-01",
                "error_code": None, "error_message": None, "price": None,
                "price_unit": "USD"}

    def get_answer(self, rec):
        """The Messages list: filters To, From and the DateSent date (the
        fake sends at once, so date_sent is date_created), newest first,
        PageSize (default 50, at most 1000) and Page."""
        url = urllib.parse.urlsplit(rec.path)
        if not url.path.endswith("/Messages.json"):
            return super().get_answer(rec)
        if self.list_failing is not None:
            return self.list_failing
        q = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        size = min(int(q.get("PageSize", 50)), 1000)
        page = int(q.get("Page", 0))

        def day(t):
            return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d")

        with self.lock:
            found = [m for m in self.accepted
                     if q.get("To", m["to"]) == m["to"]
                     and q.get("From", m["from"]) == m["from"]
                     and day(m["created"]) >= q.get("DateSent>", "")
                     and day(m["created"]) <= q.get("DateSent<", "9999")
                     and q.get("DateSent", day(m["created"])) == day(m["created"])]
        found.sort(key=lambda m: (int(m["created"]), m["k"]), reverse=True)
        items = found[page * size:(page + 1) * size]
        base = url.path + "?" + urllib.parse.urlencode(
            {k: v for k, v in q.items() if k not in ("Page", "PageToken")})
        more = len(found) > (page + 1) * size
        return 200, {"messages": [self.resource(m) for m in items],
                     "page": page, "page_size": size, "start": page * size,
                     "end": page * size + max(len(items) - 1, 0),
                     "uri": rec.path, "first_page_uri": base + "&Page=0",
                     "next_page_uri": base + "&Page=%d" % (page + 1) if more else None,
                     "previous_page_uri": base + "&Page=%d" % (page - 1) if page else None}

    def messages(self):
        with self.lock:
            return [r.form for r in self.requests]

    def lookups(self):
        """minyi's list calls, as their query strings (dicts)."""
        with self.lock:
            return [{k: v[0] for k, v in urllib.parse.parse_qs(
                urllib.parse.urlsplit(r.path).query).items()} for r in self.gets]


def twilio_signature(token, url, params):
    """As the provider documents: URL, then each param name+value sorted by name."""
    s = url + "".join(k + params[k] for k in sorted(params))
    mac = hmac.new(token.encode(), s.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def group_signature(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
