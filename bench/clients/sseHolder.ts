/**
 * @module bench/clients/sseHolder
 * Holds COUNT idle SSE streams open against one server, in its own process (several of these share a
 * large N: one process has at most RLIMIT_NOFILE sockets). Opens them PARALLEL at a time, prints
 * `OPEN {opened, failed, secs}`, then answers stdin commands: `COUNT` → `COUNT {events, open}` (events
 * read since the last COUNT: heartbeats), `CLOSE` → closes everything and exits.
 * Argument: JSON `{urls: string[], count, parallel, offset}` — stream i uses urls[i % urls.length].
 */
import { createInterface } from 'node:readline';
import { openSse, type SseStream } from '../lib/sseStream.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  urls: string[];
  count: number;
  parallel: number;
};

let events = 0;
let failed = 0;
const streams: SseStream[] = [];
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(config.parallel, config.count) }, async () => {
    while (next < config.count) {
      const index = next++;
      const stream = openSse(config.urls[index % config.urls.length]!, () => {
        events++;
      });
      try {
        await stream.opened;
        streams.push(stream);
      } catch (error) {
        if (failed++ === 0) console.error(`stream ${index}: ${(error as Error).message}`);
      }
    }
  }),
);
console.log(
  `OPEN ${JSON.stringify({ opened: streams.length, failed, secs: (performance.now() - started) / 1000 })}`,
);
events = 0;

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'COUNT') {
    console.log(
      `COUNT ${JSON.stringify({ events, open: streams.filter((stream) => !stream.closed).length })}`,
    );
    events = 0;
  } else if (line === 'CLOSE') {
    for (const stream of streams) stream.close();
    setTimeout(() => process.exit(0), 200);
  }
});
process.stdin.once('end', () => process.exit(0));
