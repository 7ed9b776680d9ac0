/**
 * @module bench/lib/sseStream
 * A lean SSE reader for load-generating clients (thousands of streams in one process): one `node:http`
 * request per stream on its own socket, a small line parser, a callback per event with its arrival time.
 */
import { type ClientRequest, request } from 'node:http';

export interface SseEvent {
  event: string;
  data: string;
  /** performance.now() when the chunk carrying the end of the event arrived. */
  at: number;
}

export interface SseStream {
  /** Resolves once the response headers arrived (status 200 and text/event-stream), rejects otherwise. */
  opened: Promise<void>;
  close(): void;
  readonly closed: boolean;
}

export function openSse(url: string, onEvent: (event: SseEvent) => void, onClose?: () => void): SseStream {
  let buffer = '';
  let closed = false;
  const req: ClientRequest = request(url, { agent: false, headers: { accept: 'text/event-stream' } });
  const opened = new Promise<void>((resolve, reject) => {
    req.once('error', (error) => {
      closed = true;
      reject(error);
      onClose?.();
    });
    req.once('response', (res) => {
      const type = res.headers['content-type'] ?? '';
      if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        res.resume();
        reject(new Error(`GET ${url}: ${res.statusCode} ${type}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).trimStart();
          }
          if (data) onEvent({ event, data, at });
          end = buffer.indexOf('\n\n');
        }
      });
      res.once('close', () => {
        closed = true;
        onClose?.();
      });
      resolve();
    });
  });
  req.end();
  return {
    opened,
    close: () => {
      closed = true;
      req.destroy();
    },
    get closed() {
      return closed;
    },
  };
}

/** Opens `count` streams, at most `parallel` handshakes at a time. */
export async function openMany(
  count: number,
  parallel: number,
  open: (index: number) => SseStream,
): Promise<SseStream[]> {
  const streams: SseStream[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const stream = open(index);
      streams[index] = stream;
      await stream.opened;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return streams;
}
