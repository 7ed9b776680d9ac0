/**
 * @module @noetl/gateway-client/trpc
 * A tRPC client for the gateway's `/trpc` endpoint, typed by `GatewayRouter`: the router type derived from
 * the contract's route table (`@noetl/gateway-contract`, `ProcedureTree`), never from the server's code.
 * A subpath of its own so that the main entry stays free of tRPC: install `@trpc/client` and
 * `@trpc/server` (types only) to use it.
 */
import type { ProcedureSpec, ProcedureTree } from '@noetl/gateway-contract';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type {
  TRPC_ERROR_CODE_KEY,
  TRPC_ERROR_CODE_NUMBER,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
} from '@trpc/server';

/** tRPC's error shape as the gateway formats it: the contract's code in `data.code`, `error` as on REST. */
export interface GatewayTrpcErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  /** The same text as `message` (REST's `error` field). */
  error: string;
  data: { code: TRPC_ERROR_CODE_KEY; httpStatus: number; path: string | undefined };
}

type TrpcProcedureOf<S> =
  S extends ProcedureSpec<infer T, infer I, infer O>
    ? T extends 'query'
      ? TRPCQueryProcedure<{ input: I; output: O; meta: object; errorShape: GatewayTrpcErrorShape }>
      : TRPCMutationProcedure<{ input: I; output: O; meta: object; errorShape: GatewayTrpcErrorShape }>
    : never;

/** The gateway's tRPC router as a client sees it: one procedure per JSON route of the contract. */
export type GatewayRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: GatewayTrpcErrorShape; transformer: false },
  { [G in keyof ProcedureTree]: { [N in keyof ProcedureTree[G]]: TrpcProcedureOf<ProcedureTree[G][N]> } }
>;

export type GatewayTrpcClient = TRPCClient<GatewayRouter>;

export interface TrpcClientOptions {
  baseUrl: string;
  /** Read on every request, so a login or logout takes effect at once (e.g. `() => gateway.session?.token`). */
  getToken?: (() => string | undefined) | undefined;
  fetch?: typeof globalThis.fetch | undefined;
}

export function createTrpcClient(options: TrpcClientOptions): GatewayTrpcClient {
  return createTRPCClient<GatewayRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl.replace(/\/+$/, '')}/trpc`,
        headers: () => {
          const token = options.getToken?.();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}
