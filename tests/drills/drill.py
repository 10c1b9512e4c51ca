"""Shared parts of the drills: the real minyi (through tests/integration's
harness), a fake Twilio-style provider that can be taken down in several
ways, residents writing signed webhooks from a few client threads, and
read-only looks at the SQLite store.  Everything is on 127.0.0.1.
"""
import argparse
import atexit
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import socket
import sqlite3
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

DIALOG_STATES = ("idle", "ask_category", "ask_place", "ask_description")
SMS_TO = "+8610690000"
SENDER_TIMEOUT_S = 20     # SENDER_TIMEOUT_S in gateway/sender.c


def args(description):
    """--build and --seed; sets MINYI_BIN before the harness is imported."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--build", default="build")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true",
                    help="keep the store, the server's log, the provider's calls"
                    " (calls.json) and the kill times (kills.json)")
    a = ap.parse_args()
    os.environ["MINYI_BIN"] = os.path.join(ROOT, a.build, "minyi")
    if a.seed is None:
        a.seed = int(time.time())
    return a


def guard(server):
    """Kill the server if the drill ends early (an exception, ^C)."""
    atexit.register(lambda: server.kill() if server.proc is not None else None)
    return server


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


# --- the fake provider -------------------------------------------------------

class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver listens with a backlog of 5.  A restarted sender opens
    # some 30 connections at once: the ones over it wait for the kernel's
    # 1 s retransmission, and a killed process's last calls then reach the
    # provider a second late (read, answered into a closed socket).
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass    # a peer killed mid-call: that is the drill, not an error


class Provider:
    """A Twilio-style Messages API on 127.0.0.1 that records every call.

    mode: "ok" (201 and a sid), "503", "429", "busy" (503 and 429 in turn),
    "hang" (read the call, answer nothing until the sender's timeout has
    passed, then drop it).
    down()/up(): stop listening and cut every open connection (the sender's
    pooled ones too), so calls meet "connection refused"; then listen again
    on the same port.  Going down, calls already being answered are let
    finish, and calls read after it are dropped unanswered and unrecorded:
    a call is either processed and answered or not processed at all.
    `doomed` recipients get 503 whatever the mode.  A call counts as
    delivered only when it was answered 201.

    GET on the Messages URL lists the messages answered 201, as Twilio's
    list does (To, From, DateSent>, PageSize; newest first; RFC 2822
    dates): the lookups minyi makes for rows a crash left "sending".  In
    any mode but "ok" a list answers 503.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.mode = "ok"
        self.doomed = set()
        self.calls = []           # (monotonic time, To, Body, answer)
        self.accepted = []        # answered 201: (k, wall time, To, From, Body)
        self.lookups = []         # (monotonic time, To, messages listed)
        self.conns = set()
        self.answering = 0        # calls being answered now
        self.refusing = False     # going down: drop what is read
        self.k = 0
        self.httpd = None
        self.listening = False
        self.port = free_port()
        self.up()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def up(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def setup(self):
                super().setup()
                with fake.lock:
                    fake.conns.add(self.connection)

            def finish(self):
                with fake.lock:
                    fake.conns.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(
                    self.rfile.read(n).decode("utf-8")).items()}
                to, body = form.get("To"), form.get("Body")
                with fake.lock:
                    if fake.refusing:
                        self.close_connection = True
                        return
                    fake.k += 1
                    k = fake.k
                    answer = "503" if to in fake.doomed else fake.mode
                    if answer == "busy":
                        answer = "503" if k % 2 else "429"
                    fake.calls.append((time.monotonic(), to, body, answer))
                    if answer == "ok":
                        fake.accepted.append((k, time.time(), to, form.get("From"), body))
                    if answer != "hang":
                        fake.answering += 1
                if answer == "hang":
                    time.sleep(SENDER_TIMEOUT_S + 3)
                    self.close_connection = True
                    return
                if answer == "ok":
                    status, payload = 201, {"sid": "SM%032d" % k, "status": "queued",
                                            "to": to, "body": body}
                elif answer == "429":
                    status, payload = 429, {"code": 20429, "message": "Too Many Requests"}
                else:
                    status, payload = 503, {"code": 20500, "message": "Service Unavailable"}
                try:
                    self.send_json(status, payload)
                finally:
                    with fake.lock:
                        fake.answering -= 1

            def send_json(self, status, payload):
                """Answer with payload as JSON; a client gone away is no matter."""
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def do_GET(self):
                q = {k: v[0] for k, v in urllib.parse.parse_qs(
                    urllib.parse.urlsplit(self.path).query).items()}
                with fake.lock:
                    if fake.refusing:
                        self.close_connection = True
                        return
                    if fake.mode != "ok":
                        status, payload = 503, {"code": 20500,
                                                "message": "Service Unavailable"}
                    else:
                        status, payload = 200, fake.listing(q)
                        fake.lookups.append((time.monotonic(), q.get("To"),
                                             len(payload["messages"])))
                self.send_json(status, payload)

        self.httpd = QuietServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.listening = True
        with self.lock:
            self.refusing = False

    def listing(self, q):
        """The list answer for query q (self.lock held)."""
        def day(t):
            return time.strftime("%Y-%m-%d", time.gmtime(t))

        size = min(int(q.get("PageSize", 50)), 1000)
        found = [a for a in self.accepted
                 if q.get("To", a[2]) == a[2] and q.get("From", a[3]) == a[3]
                 and day(a[1]) >= q.get("DateSent>", "")]
        found.sort(key=lambda a: (int(a[1]), a[0]), reverse=True)
        msgs = []
        for k, t, to, frm, body in found[:size]:
            d = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))
            msgs.append({"sid": "SM%032d" % k, "to": to, "from": frm, "body": body,
                         "status": "sent", "direction": "outbound-api",
                         "date_created": d, "date_sent": d, "date_updated": d})
        return {"messages": msgs, "page": 0, "page_size": size,
                "next_page_uri": None if len(found) <= size else "/next"}

    def down(self):
        with self.lock:
            self.refusing = True
        end = time.monotonic() + 5
        while time.monotonic() < end:
            with self.lock:
                if self.answering == 0:
                    break
            time.sleep(0.001)
        self.listening = False
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        if self.listening:
            self.down()

    def dump(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.snapshot(), f, ensure_ascii=False, indent=0)

    def snapshot(self):
        with self.lock:
            return list(self.calls)


# --- residents ---------------------------------------------------------------

def twilio_signature(token, url, params):
    s = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), s.encode("utf-8"),
                                     hashlib.sha1).digest()).decode()


# What residents write, in turn: whole requests, requests that need a
# question answered, answers, and commands.
SCRIPT = [
    "刘辛店村村口路灯不亮",
    "查询",
    "路灯坏了",
    "王楼村",
    "帮助",
    "停水了",
    "大赵村",
    "杨集村的路坑坑洼洼好几个月了",
    "查询",
]


class Webhook:
    __slots__ = ("sid", "frm", "body", "attempts", "statuses", "ok")

    def __init__(self, sid, frm, body):
        self.sid = sid
        self.frm = frm
        self.body = body
        self.attempts = 0
        self.statuses = []        # per attempt: HTTP status or an error name
        self.ok = False           # a 2xx came back


class Residents:
    """nthreads client threads; each owns some residents and sends their
    messages in order, one at a time per resident, each a signed webhook
    with its own MessageSid.  A webhook that gets no 2xx (refused, cut,
    5xx) is sent again, same sid, until it gets one, like a provider
    retrying; pace is the pause between two webhooks of one thread.  A
    sid is Twilio's shape: tag (two letters), then 32 hex digits."""

    def __init__(self, port_fn, token, public_url, nresidents, nthreads, pace, seed,
                 tag="SM", first=0):
        self.port_fn = port_fn
        self.token = token
        self.url = public_url + "/webhooks/sms"
        self.pace = pace
        self.rng = random.Random(seed)
        self.tag = tag
        self.phones = ["+861380013%04d" % (first + i) for i in range(nresidents)]
        self.hooks = []
        self.lock = threading.Lock()
        self.writing = threading.Event()
        self.writing.set()
        self.running = True
        self.threads = [threading.Thread(target=self._run, args=(i, nthreads), daemon=True)
                        for i in range(nthreads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop_writing(self):
        """No new messages; webhooks still unanswered keep being retried."""
        self.writing.clear()

    def join(self, timeout):
        end = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, end - time.monotonic()))
        self.running = False
        return not any(t.is_alive() for t in self.threads)

    def post(self, hook):
        params = {"MessageSid": hook.sid, "AccountSid": "AC" + "0" * 32,
                  "From": hook.frm, "To": SMS_TO, "Body": hook.body, "NumMedia": "0"}
        data = urllib.parse.urlencode(params)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": twilio_signature(self.token, self.url, params)}
        hook.attempts += 1
        conn = http.client.HTTPConnection("127.0.0.1", self.port_fn(), timeout=10)
        try:
            conn.request("POST", "/webhooks/sms", data, headers)
            r = conn.getresponse()
            r.read()
            hook.statuses.append(r.status)
            hook.ok = 200 <= r.status < 300
            return hook.ok
        except (OSError, http.client.HTTPException) as e:
            hook.statuses.append(type(e).__name__)
            return False
        finally:
            conn.close()

    def _run(self, idx, nthreads):
        mine = self.phones[idx::nthreads]
        turn = [0] * len(mine)
        seq = 0
        while self.running and self.writing.is_set():
            for j, frm in enumerate(mine):
                if not self.writing.is_set():
                    break
                seq += 1
                hook = Webhook("%s%02x%030x" % (self.tag, idx, seq), frm,
                               SCRIPT[(turn[j] + j) % len(SCRIPT)])
                turn[j] += 1
                with self.lock:
                    self.hooks.append(hook)
                while self.running and not self.post(hook):
                    time.sleep(0.05 + self.rng.random() * 0.1)
                time.sleep(self.pace)

    def all(self):
        with self.lock:
            return list(self.hooks)


# --- the store ---------------------------------------------------------------

def query(path, sql, *params):
    """sql on the store: a SQLite file's path (read-only), or a harness
    Server (its db(): SQLite or PostgreSQL)."""
    if hasattr(path, "db"):
        db = path.db()
    else:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def wait_outbox_settled(path, timeout, channel="sms"):
    """Until no row of the channel is pending or sending; True if so."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        n = query(path, "SELECT count(*) FROM outbox WHERE channel = ?"
                  " AND status IN ('pending', 'sending')", channel)[0][0]
        if n == 0:
            return True
        time.sleep(0.25)
    return False


def check_conversations(path):
    """Conversations whose state is not a dialog state or whose data is not
    a JSON object; returns (rows, bad)."""
    rows = query(path, "SELECT id, state, data FROM conversations")
    bad = []
    for cid, state, data in rows:
        try:
            ok = state in DIALOG_STATES and isinstance(json.loads(data), dict)
        except ValueError:
            ok = False
        if not ok:
            bad.append((cid, state, data))
    return rows, bad


def check_messages(path, hooks):
    """Each webhook answered 2xx must be stored exactly once, with its text.
    Returns (stored rows, duplicates, missing, wrong text)."""
    rows = query(path, "SELECT provider_id, min(body), count(*) FROM messages"
                 " WHERE channel = 'sms' GROUP BY provider_id")
    stored = {sid: (body, n) for sid, body, n in rows}
    dup = sum(n - 1 for _, n in stored.values())
    missing = [h.sid for h in hooks if h.ok and h.sid not in stored]
    wrong = [h.sid for h in hooks if h.sid in stored and stored[h.sid][0] != h.body]
    return len(rows), dup, missing, wrong


class Deliveries:
    """The provider's calls matched to the outbox rows of a channel.

    outbox: [(id, address, body, status, attempts, provider_id)].  The
    provider numbers its calls (sid SM<k>); a row the server saw accepted
    records that sid.  So:
      - wrong: rows whose recorded sid is no accepted call of their text
        and recipient;
      - unsent: rows not sent (or delivered) at all;
      - disorder: recipients whose accepted calls came in another order
        than the rows' ids;
      - extra: accepted calls no row recorded: copies of a row sent again
        because its first call was made but not recorded (in flight at a
        kill), as (time, To, Body);
      - per (To, Body): accepted calls minus rows must equal len(extra),
        and none may be short (short lists the keys that are).
    """

    def __init__(self, outbox, calls):
        ok = {k + 1: c for k, c in enumerate(calls) if c[3] == "ok"}
        self.accepted = len(ok)
        recorded = {}
        self.wrong, self.unsent, self.disorder = [], [], []
        last = {}
        for rid, addr, body, status, attempts, sid in sorted(outbox):
            if status not in ("sent", "delivered"):
                self.unsent.append((rid, addr, status, attempts))
                continue
            k = int(sid[2:]) if sid and sid.startswith("SM") else 0
            c = ok.get(k)
            if c is None or (c[1], c[2]) != (addr, body):
                self.wrong.append((rid, sid))
                continue
            recorded[k] = rid
            if last.get(addr, 0) > k and addr not in self.disorder:
                self.disorder.append(addr)
            last[addr] = k
        self.extra = [(c[0], c[1], c[2]) for k, c in sorted(ok.items()) if k not in recorded]
        rows, copies = {}, {}
        for _, addr, body, status, _, _ in outbox:
            if status in ("sent", "delivered"):
                rows[(addr, body)] = rows.get((addr, body), 0) + 1
        for c in ok.values():
            copies[(c[1], c[2])] = copies.get((c[1], c[2]), 0) + 1
        self.short = [key for key, n in rows.items() if copies.get(key, 0) < n]
        self.surplus = sum(max(0, n - rows.get(key, 0)) for key, n in copies.items())


def kill_failures(hooks, ok, dup, missing, wrong, badconv, d):
    """The checks every kill drill makes of what it stored and sent, as
    FAIL lines (crash_drill.py, nodes_drill.py)."""
    failures = []
    if len(ok) != len(hooks):
        failures.append(f"{len(hooks) - len(ok)} webhooks never got a 2xx")
    if dup:
        failures.append(f"{dup} duplicate messages")
    if missing:
        failures.append(f"{len(missing)} acknowledged webhooks not stored: {missing[:5]}")
    if wrong:
        failures.append(f"{len(wrong)} stored with another text: {wrong[:5]}")
    if badconv:
        failures.append(f"{len(badconv)} conversations in no valid state: {badconv[:3]}")
    if d.unsent:
        failures.append(f"{len(d.unsent)} outbox rows not sent: {d.unsent[:3]}")
    if d.wrong:
        failures.append(f"{len(d.wrong)} rows recorded a sid of no such call: {d.wrong[:3]}")
    if d.short:
        failures.append(f"{len(d.short)} (To, Body) with fewer calls than rows: {d.short[:3]}")
    if d.surplus != len(d.extra):
        failures.append(f"copies per (To, Body) {d.surplus} != unrecorded calls {len(d.extra)}")
    if d.extra:
        failures.append(f"{len(d.extra)} rows reached the provider twice: {d.extra[:3]}")
    if d.disorder:
        failures.append(f"{len(d.disorder)} recipients got rows out of order: {d.disorder[:3]}")
    return failures


def count(name, value):
    print(f"  {name:<34} {value}", flush=True)
