#!/usr/bin/env python3
"""The fanout-json job with asyncio + aiohttp: C workers share one keep-alive session.

Usage: fanout_aiohttp.py INDEX_URL C OUT_NDJSON
"""
import asyncio
import json
import sys

import aiohttp


async def main(index_url, concurrency, out_path):
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.get(index_url) as response:
            response.raise_for_status()
            urls = json.loads(await response.read())
        queue = iter(urls)
        with open(out_path, "w", encoding="utf-8") as out:

            async def worker():
                for url in queue:
                    async with session.get(url) as response:
                        response.raise_for_status()
                        item = json.loads(await response.read())
                    if item["score"] >= 50:
                        record = {"id": item["id"], "title": item["title"], "author": item["author"]["name"]}
                        out.write(json.dumps(record, separators=(",", ":")) + "\n")

            await asyncio.gather(*(worker() for _ in range(concurrency)))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
