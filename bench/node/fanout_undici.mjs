// The fanout-json job with Node and npm undici: C workers share one keep-alive Pool.
// Usage: node fanout_undici.mjs INDEX_URL C OUT_NDJSON
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Pool } from 'undici';

const [indexUrl, concurrencyText, outPath] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const origin = new URL(indexUrl).origin;
const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });

async function getJson(url) {
  const { statusCode, body } = await pool.request({ path: new URL(url).pathname, method: 'GET' });
  if (statusCode >= 400) {
    await body.dump();
    throw new Error(`GET ${url} returned ${statusCode}`);
  }
  return body.json();
}

const urls = await getJson(indexUrl);
const out = createWriteStream(outPath);
let next = 0;

async function worker() {
  while (next < urls.length) {
    const item = await getJson(urls[next++]);
    if (item.score >= 50) {
      const line = JSON.stringify({ id: item.id, title: item.title, author: item.author.name }) + '\n';
      if (!out.write(line)) await once(out, 'drain');
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
out.end();
await once(out, 'finish');
await pool.close();
