/**
 * @module http/clientError
 * Requests Node's HTTP parser refuses before any route sees them (headers over GATEWAY_MAX_HEADER_BYTES,
 * a request not received within its timeout, malformed HTTP) answered in the one error shape, ErrorBody,
 * then the connection closed: after a parse error nothing more can be read from it.
 */

import type { Duplex } from 'node:stream';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../contract/index.ts';
import { STATUS_CODES } from '../lib/nodeHttp.ts';

function problemOf(error: NodeJS.ErrnoException): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
        message: 'Request headers larger than GATEWAY_MAX_HEADER_BYTES',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        code: 'TIMEOUT',
        message: 'Request not received within GATEWAY_HEADERS_TIMEOUT_SECS / GATEWAY_REQUEST_TIMEOUT_SECS',
      };
    default:
      return { code: 'BAD_REQUEST', message: 'Malformed HTTP request' };
  }
}

/** The server's `clientError` listener. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { code, message } = problemOf(error);
    const status = ERROR_STATUS[code];
    const body = JSON.stringify({ error: message, code } satisfies ErrorBody);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
