/**
 * @module lib/nodeHttp
 * `node:http`, loaded with `require`. Importing it as an ES module builds its namespace, which reads the
 * module's lazy `WebSocket` / `MessageEvent` / `CloseEvent` exports and so loads Node's bundled undici
 * (+3–4 MB idle RSS for nothing the gateway uses). Types may still be imported from 'node:http' directly.
 */
import { createRequire } from 'node:module';

const http: typeof import('node:http') = createRequire(import.meta.url)('node:http');

export const { createServer, request, STATUS_CODES } = http;
