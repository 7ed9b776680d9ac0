/**
 * @module bench/servers/minimalHttp
 * Baseline of the startup scenario: the least a Node HTTP server is — plain JavaScript (no loader, no
 * type stripping), `node:http`, `GET /health` → 200. Env: PORT. Prints `READY {"port":…}`.
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const ok = req.url === '/health';
  res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' }).end(ok ? 'ok' : '');
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: server.address().port })}`);
});
process.once('SIGTERM', () => process.exit(0));
