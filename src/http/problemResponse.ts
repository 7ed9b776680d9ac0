/**
 * @module http/problemResponse
 * Writes a Problem as the JSON error body `{"error", "code", "issues"?}`: on a framework reply, or on the
 * raw response of a route that took the response over (the event stream, the proxy) — the same bytes.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Problem } from '../api/problem.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.headers) reply.headers(problem.headers);
  return reply.code(problem.status).type(JSON_TYPE).send(JSON.stringify(problem.body()));
}

/**
 * On a raw response: `headers` are the gateway's own (request id, CORS) as a flat `[name, value, …]` list.
 * Past the head (a stream already started) the connection is cut instead: the client sees a truncated
 * answer, never a complete-looking one.
 */
export function writeProblem(res: ServerResponse, problem: Problem, headers: readonly string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(problem.body());
  for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
  if (problem.headers)
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.statusCode = problem.status;
  res.setHeader('content-type', JSON_TYPE);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}
