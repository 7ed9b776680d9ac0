/**
 * @module bench/servers/bareProxy
 * The floor of the gateway's proxy design, for the proxy bench: a bare `node:http` server forwarding
 * `/noetl/<rest>` to `<upstream>/api/<rest>` through the same undici `Pool.dispatch` the gateway uses,
 * with nothing else — no routing framework, session, identity headers, request id, log, metric, CORS or
 * header filtering beyond the hop-by-hop pair. What the gateway costs above it is the gateway's own work;
 * what it costs is Node's HTTP server plus undici. Prints `READY {"port":…}`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dispatcher, Pool } from '../../src/lib/undici.ts';

const upstream = process.env.UPSTREAM_URL;
if (!upstream) throw new Error('UPSTREAM_URL is required');
const pool = new Pool(upstream);

class Exchange implements Dispatcher.DispatchHandler {
  constructor(readonly res: ServerResponse) {}

  onConnect(): void {}

  onHeaders(status: number, raw: Buffer[]): boolean {
    const headers: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1');
      const lower = name.toLowerCase();
      if (lower === 'connection' || lower === 'keep-alive') continue;
      headers.push(name, raw[i + 1]!.toString('latin1'));
    }
    this.res.writeHead(status, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.res.write(chunk);
  }

  onComplete(): void {
    this.res.end();
  }

  onError(error: Error): void {
    this.res.destroy(error);
  }
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  pool.dispatch(
    { path: `/api/${req.url!.slice('/noetl/'.length)}`, method: req.method!, headers: [], body: null },
    new Exchange(res),
  );
});
server.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
process.once('SIGTERM', () => process.exit(0));
