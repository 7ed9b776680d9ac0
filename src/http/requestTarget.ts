/**
 * @module http/requestTarget
 * Request-targets that are not a path. `*` (RFC 9112 §3.2.4, asterisk-form) is meaningful only with
 * `OPTIONS`, where it asks about the server as a whole: 204 with the methods some route accepts. Any other
 * method with `*` is a malformed request: 400 in the contract's error shape. Neither reaches the router
 * (which would take `*` for some route, or fail on it).
 */
import type { FastifyReply } from 'fastify';
import { Problem } from '../api/problem.ts';
import { sendProblem } from './problemResponse.ts';

/** Every method some route of the gateway accepts (the proxy takes any). */
const SERVER_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/** Whether a raw request-target is the asterisk-form (or anything else starting with `*`). */
export function isAsteriskForm(url: string): boolean {
  return url.charCodeAt(0) === 42;
}

/** Answers a request whose target is `*`. */
export function answerAsteriskForm(method: string, reply: FastifyReply): void {
  if (method === 'OPTIONS' && reply.request.raw.url === '*') {
    reply.code(204).header('allow', SERVER_METHODS).send();
    return;
  }
  sendProblem(
    reply,
    new Problem('BAD_REQUEST', 'The request-target `*` is only valid with OPTIONS; use a path such as `/`'),
  );
}
