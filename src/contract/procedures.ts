/**
 * @module contract/procedures
 * The tRPC API as types derived from the route table alone: every JSON route's procedure (`auth.login`, …),
 * whether it is a query (GET) or a mutation, its input and its output. Clients type their tRPC calls by it
 * without importing the server's router (and with it the server's code); a type test checks that the
 * server's `AppRouter` has exactly these procedures.
 */
import type { z } from 'zod';
import type { HttpMethod, JsonRoute, Routes } from './routes.ts';

/** One procedure: how it is called and what goes in and comes out (after the schemas' transforms). */
export interface ProcedureSpec<
  T extends 'query' | 'mutation' = 'query' | 'mutation',
  I = unknown,
  O = unknown,
> {
  type: T;
  input: I;
  output: O;
}

/** The procedure of a JSON route: GET routes are queries, every other method a mutation. */
export type ProcedureOf<R> =
  R extends JsonRoute<infer I, infer O, string, infer M extends HttpMethod>
    ? ProcedureSpec<M extends 'GET' ? 'query' : 'mutation', z.input<I>, z.output<O>>
    : never;

/** Every procedure by its dotted name: `Procedures['auth.login']`. */
export type Procedures = {
  [K in keyof Routes as Routes[K] extends { kind: 'json'; procedure: infer P extends string }
    ? P
    : never]: ProcedureOf<Routes[K]>;
};

export type ProcedureName = keyof Procedures;

type GroupOf<N> = N extends `${infer Group}.${string}` ? Group : never;

/** The procedures nested by group, as tRPC clients call them: `ProcedureTree['auth']['login']`. */
export type ProcedureTree = {
  [G in GroupOf<ProcedureName>]: {
    [N in ProcedureName as N extends `${G}.${infer Name}` ? Name : never]: Procedures[N];
  };
};
