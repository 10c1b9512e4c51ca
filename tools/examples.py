#!/usr/bin/env python3
"""tools/examples.py OUT: write the classifier's built-in examples from
the first-message corpus, a line each: the county's number, the category's
name, its keywords joined by |, the message (dialogs/classify.c built as
CLASSIFY_TOOL then counts their features into the header it includes).

Each tests/data/firstmsg/NAME.tsv row is one resident's first message and
the category it means under its county's config (config/minyi.example.json
for example.tsv, tests/data/config/NAME.json for the others).  An example
is that message with its county's place names blanked (grids and townships,
their aliases and English names: a place teaches no problem), under the
category's name and keywords, which is how another county's category finds
it (dialogs/README.md, "Learned categories").  ASCII is lower-cased, as the
classifier compares keywords.
"""
import csv
import glob
import json
import os
import re
import sys

GENERIC = {"village", "community", "town", "township", "county", "street",
           "subdistrict", "district", "new", "old"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def config_of(tsv):
    name = os.path.splitext(os.path.basename(tsv))[0]
    if name == "example":
        return os.path.join(ROOT, "config", "minyi.example.json")
    return os.path.join(ROOT, "tests", "data", "config", name + ".json")


def places(cfg):
    out = set()
    for p in cfg.get("grids", []) + cfg.get("townships", []):
        for n in [p.get("name"), p.get("name_en")] + p.get("aliases", []):
            if n and len(n) >= 2:
                out.add(n)
        # "Songyan" of "Songyan Village"
        for w in (p.get("name_en") or "").split():
            if len(w) > 3 and w.lower() not in GENERIC:
                out.add(w)
    return sorted(out, key=lambda n: (-len(n), n))


def blank(text, names):
    for n in names:
        text = re.sub(re.escape(n), " ", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip()


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: examples.py OUT")
    cats = {}       # (county, category id) -> [name, keywords, texts, county]
    counties = {}   # tsv -> its number
    order = []
    for tsv in sorted(glob.glob(os.path.join(ROOT, "tests", "data", "firstmsg",
                                             "*.tsv"))):
        with open(config_of(tsv), encoding="utf-8") as f:
            cfg = json.load(f)
        bycat = {c["id"]: c for c in cfg.get("categories", [])}
        names = places(cfg)
        with open(tsv, encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            head = next(rows)
            ti, ci = head.index("text"), head.index("category")
            for r in rows:
                if len(r) <= max(ti, ci) or r[ci] not in bycat:
                    continue
                key = (tsv, r[ci])
                if key not in cats:
                    c = bycat[r[ci]]
                    cats[key] = [c["name"].lower(),
                                 [k.lower() for k in c.get("keywords", [])], [],
                                 counties.setdefault(tsv, len(counties))]
                    order.append(key)
                t = blank(r[ti], names)
                if t:
                    cats[key][2].append(t)
    out = []
    for key in order:
        name, kws, texts, county = cats[key]
        for t in texts:
            out.append("\t".join([str(county), name, "|".join(kws),
                                  t.replace("\t", " ")]))
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    os.replace(tmp, sys.argv[1])


if __name__ == "__main__":
    main()
