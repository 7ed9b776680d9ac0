/**
 * @module test/support/ehdbKvDouble
 * A stand-in for EHDB's KV face (the events writer's `…:9107` in v3.x), written from the protocol as the
 * contract describes it (§12.11), not from any client: TCP; every frame both ways is a 4-byte big-endian
 * length and then JSON. Requests `{"Get":{bucket,key}}`, `{"Put":{bucket,key,value,ttl_ms}}`,
 * `{"Delete":{bucket,key}}`, `{"Scan":{bucket}}`; answers `{"ok", "value"?, "entries"?, "err"?}` — a missing
 * key is `{"ok":true}` without `value`. Each connection's requests are answered in the order they arrived
 * (requests may be pipelined). `ttl_ms` is a per-key time to live (0: no expiry — this double's reading).
 *
 * For tests: every request is recorded; an operation can be made to fail (`ok: false`), answers can be
 * delayed or withheld; `stop()` closes the port and every connection (an outage), `start()` reopens the same
 * port with the same data (a restart). It is a test fixture, never part of the running gateway.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { listenOn } from './ports.ts';

export type KvOperation = 'Get' | 'Put' | 'Delete' | 'Scan';

export interface RecordedKvRequest {
  op: KvOperation | string;
  bucket?: string;
  key?: string;
  value?: string;
  ttl_ms?: number;
}

interface Stored {
  value: string;
  expiresAt: number;
  ttlMs: number;
}

export class EhdbKvDouble {
  readonly requests: RecordedKvRequest[] = [];
  /** Operations answered `{"ok": false, "err": …}`. */
  readonly failing = new Set<KvOperation>();
  /** Delay before each answer (answers still go out in order). */
  answerDelayMs = 0;
  /** Read requests but never answer them. */
  silent = false;
  /** The most requests one connection had sent and not yet had answered (above 1: pipelined). */
  maxOutstanding = 0;
  port = 0;
  readonly #buckets = new Map<string, Map<string, Stored>>();
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  static async start(): Promise<EhdbKvDouble> {
    return new EhdbKvDouble().start();
  }

  /** `127.0.0.1:<port>`, as NOETL_KV_ADDR. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Open connections from clients. */
  get connections(): number {
    return this.#sockets.size;
  }

  /** Listens (again, on the same port after `stop`). */
  async start(): Promise<this> {
    const server = createServer((socket) => this.#serve(socket));
    this.port = await listenOn(server, this.port);
    this.#server = server;
    return this;
  }

  /** An outage: the port closes and every connection is cut. The data stays for `start()`. */
  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A value as a client would read it now (null when absent or expired). */
  get(bucket: string, key: string): string | null {
    return this.#live(bucket, key)?.value ?? null;
  }

  /** The `ttl_ms` the key was last written with. */
  ttlOf(bucket: string, key: string): number | undefined {
    return this.#live(bucket, key)?.ttlMs;
  }

  /** Writes a value directly (as another writer — the login playbook — would). */
  put(bucket: string, key: string, value: string, ttlMs = 0): void {
    let entries = this.#buckets.get(bucket);
    if (!entries) {
      entries = new Map();
      this.#buckets.set(bucket, entries);
    }
    entries.set(key, { value, ttlMs, expiresAt: ttlMs > 0 ? Date.now() + ttlMs : Number.POSITIVE_INFINITY });
  }

  /** Live keys of a bucket. */
  keys(bucket: string): string[] {
    return [...(this.#buckets.get(bucket)?.keys() ?? [])].filter((key) => this.#live(bucket, key));
  }

  requestsOf(op: KvOperation): RecordedKvRequest[] {
    return this.requests.filter((request) => request.op === op);
  }

  #live(bucket: string, key: string): Stored | undefined {
    const stored = this.#buckets.get(bucket)?.get(key);
    if (!stored) return undefined;
    if (stored.expiresAt <= Date.now()) {
      this.#buckets.get(bucket)?.delete(key);
      return undefined;
    }
    return stored;
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    // Answers leave in arrival order, whatever the delay.
    let queue: Promise<void> = Promise.resolve();
    let outstanding = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4) {
        const length = buffered.readUInt32BE(0);
        if (buffered.length < 4 + length) break;
        const body = buffered.subarray(4, 4 + length).toString('utf8');
        buffered = buffered.subarray(4 + length);
        const answer = this.#answer(body);
        this.maxOutstanding = Math.max(this.maxOutstanding, ++outstanding);
        queue = queue.then(async () => {
          if (this.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerDelayMs));
          if (this.silent || socket.destroyed) return;
          outstanding--;
          const json = Buffer.from(JSON.stringify(answer), 'utf8');
          const frame = Buffer.alloc(4 + json.length);
          frame.writeUInt32BE(json.length, 0);
          json.copy(frame, 4);
          socket.write(frame);
        });
      }
    });
  }

  #answer(body: string): Record<string, unknown> {
    let request: Record<string, Record<string, unknown>>;
    try {
      request = JSON.parse(body);
    } catch {
      this.requests.push({ op: 'invalid' });
      return { ok: false, err: 'request is not JSON' };
    }
    const [op] = Object.keys(request);
    const args = (op ? request[op] : undefined) ?? {};
    const bucket = typeof args.bucket === 'string' ? args.bucket : undefined;
    const key = typeof args.key === 'string' ? args.key : undefined;
    const recorded: RecordedKvRequest = { op: op ?? 'invalid' };
    if (bucket !== undefined) recorded.bucket = bucket;
    if (key !== undefined) recorded.key = key;
    if (typeof args.value === 'string') recorded.value = args.value;
    if (typeof args.ttl_ms === 'number') recorded.ttl_ms = args.ttl_ms;
    this.requests.push(recorded);
    // A store may quote the key in its message (the gateway must not log it: it can be a session token).
    if (this.failing.has(op as KvOperation))
      return { ok: false, err: `injected ${op} failure${key === undefined ? '' : ` for key ${key}`}` };
    if (bucket === undefined) return { ok: false, err: 'bucket missing' };
    switch (op) {
      case 'Get': {
        if (key === undefined) return { ok: false, err: 'key missing' };
        const value = this.get(bucket, key);
        return value === null ? { ok: true } : { ok: true, value };
      }
      case 'Put': {
        if (key === undefined || typeof args.value !== 'string' || typeof args.ttl_ms !== 'number')
          return { ok: false, err: 'Put needs key, value and ttl_ms' };
        this.put(bucket, key, args.value, args.ttl_ms);
        return { ok: true };
      }
      case 'Delete':
        if (key === undefined) return { ok: false, err: 'key missing' };
        this.#buckets.get(bucket)?.delete(key);
        return { ok: true };
      case 'Scan':
        return {
          ok: true,
          entries: this.keys(bucket).map((name) => [name, this.get(bucket, name)]),
        };
      default:
        return { ok: false, err: `unknown request ${op}` };
    }
  }
}
