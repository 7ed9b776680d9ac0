/**
 * @module trpc
 * A tRPC client typed by the gateway's `AppRouter`: the TypeScript-native way in, with inputs and
 * outputs inferred from the same contract the REST routes are built from. The router is imported as a
 * type only, so no server code reaches a browser bundle.
 */
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../src/api/router.ts';

export type { AppRouter };
export type GatewayTrpcClient = TRPCClient<AppRouter>;

export interface TrpcClientOptions {
  baseUrl: string;
  /** Read on every request, so a login or logout takes effect at once. */
  getToken?: (() => string | undefined) | undefined;
  fetch?: typeof globalThis.fetch | undefined;
}

export function createTrpcClient(options: TrpcClientOptions): GatewayTrpcClient {
  return createTRPCClient<AppRouter>({
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
