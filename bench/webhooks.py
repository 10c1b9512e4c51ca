#!/usr/bin/env python3
"""bench/webhooks.py: the pool of signed Twilio-style webhooks that
bench/webhook.lua sends (wrk's Lua has no HMAC, so every signature is
computed here, once).

    python3 bench/webhooks.py OUT N PUBLIC_URL TOKEN

One line per request, tab-separated: X-Twilio-Signature, MessageSid,
From, Body (both URL-encoded).  The Lua script adds the fixed parameters
below, which the signature covers too.  Every 20 lines hold, shuffled:
12 first messages that name the place and the problem (a case and two
outbound messages each: the reply and the deputy's alert), 3 first
messages without the place (the dialog asks for it), and, about 2,000
lines later, the 3 answers to those (a case each), 1 status query from a
resident with a case and 1 provider retry of an earlier request (same
MessageSid and signature: answered 200, stored once).  Residents are all
distinct numbers, so no per-sender limit is met.
"""
import base64
import hashlib
import hmac
import random
import sys
import urllib.parse

# Parameters every request carries as Twilio sends them (empty ones left out).
FIXED = [("ToCountry", "CN"), ("NumMedia", "0"), ("SmsStatus", "received"),
         ("FromCity", "PUYANG"), ("FromCountry", "CN"), ("To", "+8610690000"),
         ("NumSegments", "1"), ("AccountSid", "AC" + "0" * 32),
         ("ApiVersion", "2010-04-01")]
GRIDS = ["刘辛店村", "杨集村", "大赵村", "王楼村", "濮城村", "颜村铺村"]
ANSWERS = ["刘辛店", "杨集", "大赵", "王楼", "濮城", "颜村铺"]
PROBLEMS = ["村口路灯不亮", "这两天停水了", "路面有个大坑", "垃圾好几天没人清理",
            "有人占道经营", "桥边护栏坏了", "老人助餐点关门了", "工地欠薪三个月"]
BLOCK = 20
DEFER = 100        # blocks between a first message and its follow-up


def sign(token, url, params):
    s = url + "".join(k + v for k, v in sorted(params.items()))
    mac = hmac.new(token.encode(), s.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def main():
    out, n, public_url, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    url = public_url.rstrip("/") + "/webhooks/sms"
    rnd = random.Random(7)
    q = urllib.parse.quote
    sid = 0
    resident = 0
    lines = []
    blocks = []        # per block: (complete residents, incomplete residents, lines)

    def line(frm, text):
        nonlocal sid
        sid += 1
        msid = "SM%032x" % sid
        params = dict(FIXED, SmsMessageSid=msid, SmsSid=msid, MessageSid=msid,
                      From=frm, Body=text)
        return "%s\t%s\t%s\t%s" % (sign(token, url, params), msid, q(frm, safe=""),
                                   q(text, safe=""))

    def new_resident():
        nonlocal resident
        resident += 1
        return "+86138%08d" % resident

    b = 0
    while len(lines) < n:
        block, complete, incomplete = [], [], []
        old = blocks[b - DEFER] if b >= DEFER else None
        for _ in range(12 if old else 17):
            frm = new_resident()
            complete.append(frm)
            block.append(line(frm, rnd.choice(GRIDS) + rnd.choice(PROBLEMS)))
        for _ in range(3):
            frm = new_resident()
            incomplete.append(frm)
            block.append(line(frm, rnd.choice(PROBLEMS)))
        if old:
            for frm in old[1]:
                block.append(line(frm, rnd.choice(ANSWERS)))
            block.append(line(rnd.choice(old[0]), "查询"))
            block.append(rnd.choice(old[2]))        # the provider retries
        rnd.shuffle(block)
        blocks.append((complete, incomplete, block))
        if b >= DEFER:
            blocks[b - DEFER] = None                 # no longer needed
        lines.extend(block)
        b += 1
    with open(out, "w", encoding="ascii") as f:
        f.write("\n".join(lines[:n]) + "\n")


if __name__ == "__main__":
    main()
