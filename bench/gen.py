#!/usr/bin/env python3
"""Generates the fanout-json data set: index.json, items/{i}.json and the expected answer.

Usage: gen.py DIR N BASE_URL

Writes into DIR:
  www/index.json      a JSON array of the N absolute item URLs (BASE_URL/items/{i}.json)
  www/items/{i}.json  N items of about 500 bytes: id, title, tags, author{name,...}, score, url
  urls.txt            the same N URLs, one a line
  expected.json       the known answer: sorted [id, title, author] of the items with score >= 50
Deterministic: the same N gives the same bytes (seeded), whatever the machine.
"""
import json
import os
import random
import sys

WORDS = ("river sluice gate channel weir lock basin flow current spill dam reservoir canal "
         "stream brook delta estuary tide marsh pond lake quay wharf harbour barge ferry").split()
TAGS = "news sport tech science travel food music film books art health money".split()
FIRST = "Ada Alan Barbara Claude Donald Edsger Frances Grace Ken Leslie Margaret Niklaus".split()
LAST = "Lovelace Turing Liskov Shannon Knuth Dijkstra Allen Hopper Thompson Lamport Hamilton Wirth".split()


def item(rng, i, url):
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))).capitalize()
    first, last = rng.choice(FIRST), rng.choice(LAST)
    value = {
        "id": i,
        "title": title,
        "tags": rng.sample(TAGS, rng.randint(1, 4)),
        "author": {
            "name": first + " " + last,
            "email": (first + "." + last).lower() + "@example.org",
            "joined": "20%02d-%02d-%02d" % (rng.randint(10, 25), rng.randint(1, 12), rng.randint(1, 28)),
        },
        "score": rng.randint(0, 99),
        "url": url,
        "summary": "",
    }
    # Pad the summary so every body is about 500 bytes.
    body = json.dumps(value, separators=(",", ":"))
    words = []
    while len(body) + len(" ".join(words)) < 500:
        words.append(rng.choice(WORDS))
    value["summary"] = " ".join(words)
    return value


def main():
    out, n, base = sys.argv[1], int(sys.argv[2]), sys.argv[3].rstrip("/")
    rng = random.Random(20261125)
    items_dir = os.path.join(out, "www", "items")
    os.makedirs(items_dir, exist_ok=True)
    urls, expected = [], []
    for i in range(1, n + 1):
        url = "%s/items/%d.json" % (base, i)
        value = item(rng, i, url)
        with open(os.path.join(items_dir, "%d.json" % i), "w", encoding="utf-8") as f:
            f.write(json.dumps(value, separators=(",", ":")))
        urls.append(url)
        if value["score"] >= 50:
            expected.append([value["id"], value["title"], value["author"]["name"]])
    with open(os.path.join(out, "www", "index.json"), "w", encoding="utf-8") as f:
        json.dump(urls, f)
    with open(os.path.join(out, "urls.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(urls) + "\n")
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(sorted(expected), f)
    print("generated %d items (%d expected in the answer)" % (n, len(expected)), file=sys.stderr)


if __name__ == "__main__":
    main()
