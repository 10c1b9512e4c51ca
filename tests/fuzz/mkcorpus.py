#!/usr/bin/env python3
"""Write the fuzz seed corpora (tests/fuzz/corpus/<target>/) and
dictionaries (tests/fuzz/dict/<target>.dict) from the test fixtures.

Run from the repository root: python3 tests/fuzz/mkcorpus.py.  It rewrites
the seeds it makes (files named seed-*) and leaves every other file of a
corpus alone: the regressions (crash-*) that fuzzing found stay.

Sources: the captured provider payloads (tests/data/<adapter>/*.json), the
resident corpus (tests/data/corpus/messages.tsv), the scripted dialogs
(tests/dialogs/*.script), the example and broken configs, and the string
literals of the code that reads the input (command words, JSON keys).

The adapter input format (harness_adapter.c): sub-path RS header RS remote
RS body, RS = 0x1e.  Seeds are signed with the harness's secrets, so that
replaying them goes past verify as a real request would.
"""
import base64
import glob
import hashlib
import hmac
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ = os.path.join(ROOT, "tests", "fuzz")
DATA = os.path.join(ROOT, "tests", "data")
RS = b"\x1e"

# harness_adapter.c's configuration
PUBLIC_URL = "https://minyi.example.org"
TWILIO_TOKEN = b"fuzz-twilio-token"
HMAC_SECRET = b"fuzz-hmac-secret"
URL_SECRET = "fuzz-url-secret-0123456789"
GROUP_ADDR = "wxg-001|+8613800138000|https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY"


def seeds(target):
    """Empty target's seed files (seed-*) and return a writer for new ones."""
    d = os.path.join(FUZZ, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "seed-*")):
        os.remove(f)

    def put(name, data):
        if isinstance(data, str):
            data = data.encode()
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        with open(os.path.join(d, "seed-" + name), "wb") as f:
            f.write(data)
    return put


def request(sub=None, header=None, remote=None, body=b""):
    """An adapter input: the parts given, in order, then the body."""
    if isinstance(body, str):
        body = body.encode()
    parts = [sub, header, remote]
    while parts and parts[-1] is None:
        parts.pop()
    out = b""
    for p in parts:
        out += (p or "").encode() + RS
    return out + body


def fixtures(adapter):
    for path in sorted(glob.glob(os.path.join(DATA, adapter, "*.json"))):
        with open(path, encoding="utf-8") as f:
            yield os.path.basename(path)[:-5], json.load(f)


def body_bytes(fx):
    if "raw" in fx:
        return fx["raw"].encode()
    return json.dumps(fx["body"], ensure_ascii=False).encode()


def messages():
    with open(os.path.join(DATA, "corpus", "messages.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    return [r[0] for r in rows if r and r[0]]


def hmac_hex(body):
    return hmac.new(HMAC_SECRET, body, hashlib.sha256).hexdigest()


def twilio_sig(path, query, form):
    url = PUBLIC_URL + path + ("?" + query if query else "")
    data = url + "".join(k + form[k] for k in sorted(form))
    mac = hmac.new(TWILIO_TOKEN, data.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def status_200(data):
    """data padded with spaces to a length that harness_adapter.c answers
    200 (fuzz_statuses[size % 8])."""
    if isinstance(data, str):
        data = data.encode()
    return data + b" " * (-len(data) % 8)


def twilio_req(sub, form, query=None):
    body = "&".join(k + "=" + v for k, v in form.items())
    s = sub + ("?" + query if query else "")
    return request(s, twilio_sig("/webhooks/sms" + sub, query, form), None, body)


# --- adapters ------------------------------------------------------------------

def corpus_sim():
    put = seeds("sim")
    for i, text in enumerate(messages()):
        put(f"msg-{i:02d}", json.dumps({"from": "138 0013 8000", "text": text,
                                        "id": f"sim-{i}"}, ensure_ascii=False))
    put("no-id", '{"from": "+8613800138000", "text": "路灯不亮"}')
    put("bad-from", '{"from": "12", "text": "x"}')
    put("id-number", '{"from": "+8613800138000", "text": "x", "id": 7}')
    put("not-object", '["from", "text"]')


def corpus_twilio():
    put = seeds("twilio")
    for name, fx in fixtures("twilio"):
        form = {k: str(v) for k, v in fx["form"].items()}
        put(name, twilio_req(fx.get("sub", ""), form))
    base = {"MessageSid": "SM0e1f6a8b2c3d4e5f60718293a4b5c6d7",
            "AccountSid": "AC0123456789abcdef0123456789abcdef",
            "From": "+8613800138000", "To": "+8610690000", "NumMedia": "0"}
    for i, text in enumerate(messages()[:8]):
        put(f"msg-{i:02d}", twilio_req("", dict(base, Body=text)))
    put("query", twilio_req("", dict(base, Body="路灯"), "channel=sms&x=1"))
    put("media", twilio_req("", dict(base, Body="", NumMedia="2",
                                     MediaUrl0="https://api.twilio.com/m/1",
                                     MediaUrl1="https://api.twilio.com/m/2")))
    put("status-failed", twilio_req("/status", {
        "MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "30003"}))
    # build's recipient and result's answer
    put("answer-ok", request("", "+8613800138000", None,
                             '{"sid": "SM0123", "status": "queued"}'))
    put("answer-unsubscribed", request("", "+8613800138000", None,
                                       '{"code": 21610, "message": "unsubscribed"}'))
    # lookup_result's list (harness_adapter.c: FUZZ_LOOKUP_TEXT to the
    # header part, claimed at FUZZ_LOOKUP_SINCE, fuzz_known), answered 200
    def listed(sid, created, body="您的诉求已受理"):
        return {"sid": sid, "to": "+8613800138000", "from": "+8610690000",
                "body": body, "status": "sent", "direction": "outbound-api",
                "date_created": created, "date_sent": created}
    at = "Tue, 14 Nov 2023 22:13:21 +0000"
    for name, msgs in (
            ("found", [listed("SM00000000000000000000000000000001", at),
                       listed("SM00000000000000000000000000000002", at)]),
            ("known", [listed("SM00000000000000000000000000000001", at)]),
            ("older", [listed("SM00000000000000000000000000000003",
                              "Tue, 14 Nov 2023 21:13:20 +0000")]),
            ("other-text", [listed("SM00000000000000000000000000000004", at, "帮助")])):
        put(f"answer-list-{name}", status_200(request(
            "", "+8613800138000", None,
            json.dumps({"messages": msgs, "page": 0, "page_size": 50,
                        "next_page_uri": None}, ensure_ascii=False))))


def corpus_signed_json(target):
    put = seeds(target)
    for name, fx in fixtures(target):
        body = body_bytes(fx)
        put(name, request(fx.get("sub", ""), hmac_hex(body), None, body))
    return put


def corpus_wechat_group():
    put = corpus_signed_json("wechat_group")
    for i, text in enumerate(messages()[:8]):
        body = json.dumps({"msg_id": f"wxm-{i}", "group_id": "wxg-001",
                           "sender": {"id": "wx-li", "name": "李大姐",
                                      "mobile": "138 0013 8000"},
                           "text": "@民意助手\u2005" + text, "mentions": ["民意助手"]},
                          ensure_ascii=False).encode()
        put(f"msg-{i:02d}", request("", hmac_hex(body), None, body))
    put("address-ok", request("", GROUP_ADDR, None, '{"errcode": 0, "errmsg": "ok"}'))
    put("address-rate", request("", "wxg-001||http://robot.example/x", None,
                                '{"errcode": 45009, "errmsg": "api freq out of limit"}'))


def corpus_hotline():
    put = corpus_signed_json("hotline")
    for i, text in enumerate(messages()[:6]):
        body = json.dumps({"call_id": f"call-{i}", "caller": "13800138000",
                           "summary": text}, ensure_ascii=False).encode()
        put(f"summary-{i:02d}", request("", hmac_hex(body), None, body))


def corpus_domestic(target, answers):
    put = seeds(target)
    for name, fx in fixtures(target):
        sub = "/" + URL_SECRET + fx.get("sub", "")
        put(name, request(sub, None, None, body_bytes(fx)))
    first = next(iter(fixtures(target)))[1]
    body = body_bytes(first)
    put("remote-v6", request("/" + URL_SECRET, None, "2001:db8::7", body))
    put("remote-mapped", request("/" + URL_SECRET, None, "::ffff:127.0.0.1", body))
    put("remote-refused", request("/" + URL_SECRET, None, "192.0.2.1", body))
    put("wrong-secret", request("/not-the-secret", None, None, body))
    for i, a in enumerate(answers):
        put(f"answer-{i}", request("", "+8613800138000", None, a))


def corpus_aliyun():
    corpus_domestic("aliyun_sms", [
        '{"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}',
        '{"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控", "RequestId": "x"}',
        '{"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}'])


def corpus_tencent():
    corpus_domestic("tencent_sms", [
        '{"Response": {"SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619", '
        '"PhoneNumber": "+8613800138000", "Fee": 1, "SessionContext": "", "Code": "Ok", '
        '"Message": "send success", "IsoCode": "CN"}], "RequestId": "a0aabda6"}}',
        '{"Response": {"Error": {"Code": "LimitExceeded.PhoneNumberDailyLimit", '
        '"Message": "daily limit"}, "RequestId": "b"}}',
        '{"Response": {"SendStatusSet": [{"SerialNo": "", "Code": '
        '"FailedOperation.PhoneNumberInBlacklist", "Message": "blacklist"}]}}'])


# --- config, text, dialog --------------------------------------------------------

def corpus_config():
    put = seeds("config")
    for path in [os.path.join(ROOT, "config", "minyi.example.json")] + \
            sorted(glob.glob(os.path.join(DATA, "config", "*.json"))):
        with open(path, "rb") as f:
            put(os.path.basename(path), f.read())
    with open(os.path.join(FUZZ, "harness_adapter.c"), encoding="utf-8") as f:
        src = f.read()
    m = re.search(r"fuzz_adapter_config\[\] =\n(.*?);\n", src, re.S)
    harness = "".join(json.loads(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1)))
    put("harness.json", harness)
    put("minimal.json", '{"server": {"listen": "127.0.0.1:0"}, "region": "CN",'
        ' "channels": [{"id": "sim", "adapter": "sim"}], "deputies": [],'
        ' "townships": [], "grids": [], "categories": []}')


STAFF = ["接单 101", "接单101", "接單#101", "ACCEPT 101", "派单 101 power 2",
         "派单101 县供电公司", "DISPATCH 101 water 3", "进展 101 已联系施工队",
         "NOTE 101 called them", "办结 101 已修好", "RESOLVE 101 fixed",
         "转 101 d-ma", "转101 杨集村", "TRANSFER 101 d-zhao", "退回 101 不属于本渠道",
         "REJECT 101 not ours", "列表", "LIST", "查 101", "SHOW 101", "帮助", "HELP",
         "查询101", "取消101", "退订", "STOP", "订阅", "English", "中文"]
RATINGS = ["5", "５", "五", "满意", "基本满意", "不满意 还是不亮", "1 还是坏的",
           "satisfied", "fair thanks", "unsatisfied, still broken", "3分"]
OTHER = ["2", "２", "二", "②", "第2个", " 2 。", "是", "对", "好的", "确认", "不",
         "否", "不是", "yes", "y", "OK", "no", "n", "查询 四十二", "取消#42",
         "查询九十九", "received", "in_progress", "ask_category", "idle",
         "1️⃣", "路燈壞了"]


def corpus_text():
    put = seeds("text")
    for i, t in enumerate(messages()):
        put(f"msg-{i:02d}", t)
    for i, t in enumerate(STAFF + RATINGS + OTHER):
        put(f"word-{i:02d}", t)
    put("not-utf8", b"\xff\xfe\xe8\xb7")


def ctl(sender=0, chan=0, mention=True, clock=0):
    """fuzz_dialog.c's control byte."""
    c = sender + 3 * chan + 9 * (0 if mention else 1) + 18 * clock
    return bytes([c + 72 if c == 10 else c])


def convo(with_cases, lines):
    out = bytes([1 if with_cases else 0])
    for c, text in lines:
        out += c + text.encode() + b"\n"
    return out


def corpus_dialog():
    put = seeds("dialog")
    # the scripted dialogs: each block one conversation of the first resident
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "dialogs", "*.script"))):
        name = os.path.basename(path)[:-7]
        with open(path, encoding="utf-8") as f:
            blocks = f.read().split("\n\n")
        for i, block in enumerate(blocks):
            lines, clock, cases = [], 0, False
            for line in block.splitlines():
                if line.startswith("> "):
                    lines.append((ctl(0, 0, True, clock), line[2:]))
                    clock = 0
                elif line.startswith("wait "):
                    clock = 2 if int(line.split()[1]) >= 30 else 1
                elif line.startswith("mycase "):
                    cases = True
            if lines:
                put(f"{name}-{i:02d}", convo(cases, lines))
    # each corpus row, then the answers a resident gives
    for i, t in enumerate(messages()):
        put(f"msg-{i:02d}", convo(False, [(ctl(), t), (ctl(), "1"), (ctl(), "刘辛店"),
                                          (ctl(), "路灯不亮三天了"), (ctl(), "查询101")]))
    # the whole loop: a case, the deputy's commands, the rating
    put("loop", convo(False, [
        (ctl(0), "刘辛店村村口路灯不亮，晚上走路看不见"),
        (ctl(2), "接单 101"), (ctl(2), "派单 101 power 2"),
        (ctl(2, clock=3), "进展 101 已联系"), (ctl(2), "办结 101 已修好"),
        (ctl(0), "5 满意"), (ctl(1), "王楼村停水了"), (ctl(1), "取消102")]))
    put("fixed-cases", convo(True, [
        (ctl(0), "不满意 还是不亮"), (ctl(2), "列表"), (ctl(2), "查 101"),
        (ctl(2), "转 101 d-ma"), (ctl(1), "查询"), (ctl(1, clock=3), "你好"),
        (ctl(2, clock=3), "退回 104 不属于")]))
    put("group", convo(False, [
        (ctl(0, 1, False), "今天天气不错"), (ctl(0, 1, True), "村口路灯不亮"),
        (ctl(1, 1, True), "路灯坏了"), (ctl(0, 1, False), "三天了"),
        (ctl(2, 1, True), "接单 101")]))
    put("hotline", convo(True, [
        (ctl(0, 2), "我们刘辛店村村口的路灯不亮，已经坏了三天了"),
        (ctl(1, 2), "大赵村那个桥的护栏断了。小孩上学很危险")]))
    put("english", convo(False, [
        (ctl(0), "The street light near Dazhao village gate is broken"),
        (ctl(0), "help"), (ctl(0), "STOP"), (ctl(0), "START")]))
    # conversations stored by someone else (header bit 1): state, data column
    put("stored-place", b"\x02\x01" + json.dumps(
        {"category": "water", "grid": "nope", "description": "水管破了", "asked": 99,
         "lang": "en"}, ensure_ascii=False).encode() + b"\n" +
        convo(False, [(ctl(), "刘辛店"), (ctl(), "yes")])[1:])
    put("stored-description", b"\x03\x03" + json.dumps(
        {"category": "road", "grid": "dazhao", "township": "wanglou",
         "description": ""}).encode() + b"\n" + convo(False, [(ctl(), "第3个")])[1:])
    put("stored-not-object", b"\x02\x02[1, 2]\n" + convo(False, [(ctl(), "查询")])[1:])
    put("expiry", convo(False, [
        (ctl(0), "晚上村里黑漆漆的"), (ctl(0, clock=2), "1"), (ctl(0), "刘辛店")]))


# --- dictionaries ------------------------------------------------------------------

def literals(*paths, maxlen=24):
    """Short string literals of the sources (no format strings)."""
    out = set()
    for p in paths:
        with open(os.path.join(ROOT, p), encoding="utf-8") as f:
            src = f.read()
        for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', src):
            s = m.group(1)
            if s and "%" not in s and "\\" not in s and len(s.encode()) <= maxlen:
                out.add(s)
    return out


def write_dict(target, tokens):
    os.makedirs(os.path.join(FUZZ, "dict"), exist_ok=True)
    with open(os.path.join(FUZZ, "dict", target + ".dict"), "w") as f:
        f.write(f"# {target}: written by tests/fuzz/mkcorpus.py\n")
        for t in sorted(set(tokens)):
            b = t.encode() if isinstance(t, str) else t
            esc = "".join(chr(c) if 32 <= c < 127 and chr(c) not in '"\\' else
                          "\\x%02x" % c for c in b)
            f.write(f'"{esc}"\n')


JSON = ["{", "}", "[", "]", ":", ",", '"', "true", "false", "null", "0", "-1",
        "1e400", "9007199254740993", "\\u0000", "\\ud800", "\\u2005", '""', "[]", "{}"]


def dicts():
    write_dict("sim", JSON + ['"from"', '"text"', '"id"', "+8613800138000", "138 0013 8000"])
    write_dict("twilio", [k + "=" for k in (
        "MessageSid", "SmsSid", "SmsMessageSid", "AccountSid", "From", "To", "Body",
        "NumMedia", "MediaUrl0", "MediaUrl1", "MediaUrl9", "MediaContentType0",
        "MessageStatus", "SmsStatus", "ErrorCode", "NumSegments", "ApiVersion")] +
        ["&", "=", "/status", "?", "+8613800138000", "+8610690000", "11", "10",
         "AC0123456789abcdef0123456789abcdef", "https://minyi.example.org"] +
        ["accepted", "scheduled", "queued", "sending", "sent", "partially_delivered",
         "delivered", "read", "undelivered", "failed", "canceled", "received"] +
        ['"sid"', '"code"', '"message"', "21610", "21211"] +
        ['"messages"', '"to"', '"from"', '"body"', '"date_created"', '"next_page_uri"',
         "Tue, 14 Nov 2023 22:13:21 +0000", "+0000", "GMT", "您的诉求已受理",
         "SM00000000000000000000000000000001"] + JSON)
    write_dict("wechat_group", JSON + [
        '"msg_id"', '"group_id"', '"sender"', '"id"', '"name"', '"mobile"', '"text"',
        '"mentions"', '"time"', '"room_name"', "@民意助手", "民意助手", "#诉求",
        "\u2005", "\u3000", "\u00a0", "\u200b", "wxg-001", "|", "https://",
        '"errcode"', '"errmsg"', "45009", "+86"])
    write_dict("hotline", JSON + [
        '"call_id"', '"caller"', '"summary"', '"segments"', '"speaker"', '"caller"',
        '"agent"', '"begin_ms"', '"end_ms"', '"text"', '"Result"', '"Sentences"',
        '"ChannelId"', '"BeginTime"', '"EndTime"', '"Text"', "。", "，", "！", "？",
        "\u3000", "13800138000"])
    net = ["/" + URL_SECRET, "/up", "/report", "/reply", "/status", "127.0.0.1",
           "::ffff:127.0.0.1", "2001:db8::1", "::1", "\x1e"]
    write_dict("aliyun_sms", JSON + net + [
        '"phone_number"', '"content"', '"send_time"', '"dest_code"', '"sequence_id"',
        '"sign_name"', '"success"', '"biz_id"', '"out_id"', '"err_code"', '"err_msg"',
        '"report_time"', '"sms_size"', '"Code"', '"OK"', '"BizId"', '"Message"',
        '"RequestId"', "13800138000"])
    write_dict("tencent_sms", JSON + net + [
        '"mobile"', '"nationcode"', '"text"', '"time"', '"sign"', '"extend"', '"sid"',
        '"report_status"', '"SUCCESS"', '"FAIL"', '"errmsg"', '"description"',
        '"user_receive_time"', '"Response"', '"SendStatusSet"', '"SerialNo"',
        '"Code"', '"Ok"', '"Error"', '"Message"', "86", "852"])
    keys = {'"%s"' % k for k in literals("config/config.c", maxlen=20)
            if re.fullmatch(r"[a-z_]+", k)}
    with open(os.path.join(ROOT, "config", "minyi.example.json"), encoding="utf-8") as f:
        ex = f.read()
    keys |= set(re.findall(r'"[a-z_]+"', ex))
    write_dict("config", JSON + sorted(keys) + [
        '"twilio"', '"wechat_group"', '"hotline"', '"sim"', '"aliyun_sms"',
        '"tencent_sms"', '"22:00"', '"Asia/Shanghai"', '"CN"', '"zh"', '"en"',
        "{number}", "{name}", "{deputy}", "{"])
    words = literals("dialogs/resident.c", "dialogs/staff.c", "dialogs/text.c")
    with open(os.path.join(ROOT, "config", "minyi.example.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    for c in cfg["categories"]:
        words |= set(c.get("keywords", [])) | {c["name"]}
    for g in cfg["grids"]:
        words |= set(g.get("aliases", [])) | {g["name"], g["id"]}
    words |= {t["name"] for t in cfg["townships"]}
    words |= {d["id"] for d in cfg["deputies"]} | {d["id"] for d in cfg["departments"]}
    words |= {"０", "１", "２", "９", "①", "②", "⑩", "#", "＃", " ", "\u3000", "。", "，"}
    write_dict("text", words)
    # a new line and its control byte (fuzz_dialog.c): senders, channels, clocks
    write_dict("dialog", words | {"\n" + chr(c) for c in (0, 1, 2, 3, 6, 9, 18, 36, 54)} |
               {'"%s"' % k for k in ("category", "grid", "township", "description",
                                     "asked", "lang")} | set(JSON))


def main():
    corpus_sim()
    corpus_twilio()
    corpus_wechat_group()
    corpus_hotline()
    corpus_aliyun()
    corpus_tencent()
    corpus_config()
    corpus_text()
    corpus_dialog()
    dicts()


if __name__ == "__main__":
    main()
