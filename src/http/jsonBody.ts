/**
 * @module http/jsonBody
 * How a JSON request body becomes a value: its nesting checked first (one scan, no recursion: a body
 * nesting deeper than GATEWAY_MAX_JSON_DEPTH is a 400 naming the limit, never a stack overflow in a
 * reviver, a validator or the serializer that sends it on), then parsed exactly — numbers a double cannot
 * hold exactly keep their source text (lib/losslessJson), so a workload reaches NoETL as it was written.
 */
import type { FastifyRequest } from 'fastify';
import { Problem } from '../api/problem.ts';
import { jsonNestingExceeds, parseJsonExact } from '../lib/losslessJson.ts';

/** The default of GATEWAY_MAX_JSON_DEPTH. */
export const DEFAULT_MAX_JSON_DEPTH = 100;

/** A 400 when a JSON text nests deeper than `maxDepth`; undefined otherwise. */
export function nestingProblem(text: string, maxDepth: number): Problem | undefined {
  if (!jsonNestingExceeds(text, maxDepth)) return undefined;
  return new Problem(
    'BAD_REQUEST',
    `The JSON body nests arrays/objects deeper than ${maxDepth} levels (GATEWAY_MAX_JSON_DEPTH)`,
  );
}

type Done = (error: Error | null, body?: unknown) => void;

/** The pipeline's JSON body parser (Fastify content-type parser, `parseAs: 'string'`). */
export function jsonBodyParser(maxDepth: number) {
  return function parseJson(_request: FastifyRequest, body: string, done: Done): void {
    // A Content-Type with no body (common on DELETE) is no body, not an error.
    if (body === '') return done(null, undefined);
    const tooDeep = nestingProblem(body, maxDepth);
    if (tooDeep) return done(tooDeep);
    let parsed: unknown;
    try {
      parsed = parseJsonExact(body);
    } catch (error) {
      return done(
        new Problem('PARSE_ERROR', `Failed to parse the request body as JSON: ${(error as Error).message}`),
      );
    }
    done(null, parsed);
  };
}
