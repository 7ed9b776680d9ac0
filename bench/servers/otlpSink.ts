/**
 * @module bench/servers/otlpSink
 * An OTLP/HTTP traces receiver for the tracing benchmark: takes `POST /v1/traces` (protobuf), counts the
 * spans in each export by walking the wire format (ExportTraceServiceRequest → resource_spans 1 →
 * scope_spans 2 → spans 2), answers 200 with an empty response. `GET /count` → `{"exports", "spans", "bytes"}`.
 * Prints `READY {"port":…}`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The length-delimited fields numbered `field` of one protobuf message. */
function* embedded(bytes: Buffer, field: number): Generator<Buffer> {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (key >>> 3 === field) yield bytes.subarray(at, at + length);
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
}

let exports = 0;
let spans = 0;
let bytes = 0;

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ exports, spans, bytes }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('end', () => {
    const body = Buffer.concat(chunks);
    exports++;
    bytes += body.length;
    for (const resourceSpans of embedded(body, 1))
      for (const scopeSpans of embedded(resourceSpans, 2)) for (const _ of embedded(scopeSpans, 2)) spans++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
process.once('SIGTERM', () => process.exit(0));
