// Feeds a text/event-stream file through the npm package eventsource-parser in
// chunks, decoding UTF-8 with a streaming TextDecoder as its README shows, and
// prints one JSON line in the same shape as framecast-bench-sse.
// Usage: node esp-bench.mjs FILE [CHUNK_BYTES] [REPEAT]  (REPEAT passes, the median reported)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [file, chunkArg, repeatArg] = process.argv.slice(2);
const repeat = Math.max(1, Number(repeatArg ?? 1));
const chunk = Number(chunkArg ?? 65536);
const require = createRequire(process.env.ESP_DIR + '/');
const { createParser } = require('eventsource-parser');
const version = require('eventsource-parser/package.json').version;

const input = readFileSync(file);
let events = 0;
let dataChars = 0;
const times = [];
for (let r = 0; r < repeat; r++) {
  events = 0;
  dataChars = 0;
  const parser = createParser({ onEvent(e) { events++; dataChars += e.data.length; } });
  const decoder = new TextDecoder('utf-8');
  const start = process.hrtime.bigint();
  for (let off = 0; off < input.length; off += chunk) {
    parser.feed(decoder.decode(input.subarray(off, Math.min(off + chunk, input.length)), { stream: true }));
  }
  parser.feed(decoder.decode());
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
}
times.sort((a, b) => a - b);
const seconds = times[Math.floor(times.length / 2)];
console.log(JSON.stringify({
  parser: `eventsource-parser ${version}`, events, bytes: input.length, seconds: +seconds.toFixed(6),
  mb_per_s: +(input.length / 1e6 / seconds).toFixed(1), events_per_s: Math.round(events / seconds),
  data_chars: dataChars, chunk, max_rss_kb: Math.round(process.resourceUsage().maxRSS),
}));
