/**
 * The tRPC subpath as an adopter uses it once `@trpc/client` and `@trpc/server` are installed (checked by
 * package.test.ts against the packed package): calls typed by the contract's router type.
 */
import { GatewayClient } from '@noetl/gateway-client';
import { createTrpcClient } from '@noetl/gateway-client/trpc';

export async function trpcCalls(
  baseUrl: string,
  idToken: string,
): Promise<{ routes: string[]; valid: boolean }> {
  const gateway = new GatewayClient({ baseUrl });
  try {
    await gateway.login(idToken);
    const trpc = createTrpcClient({ baseUrl, getToken: () => gateway.session?.token });
    const contract = await trpc.system.runtimeContract.query();
    const validity = await trpc.auth.validate.mutate({ session_token: gateway.session?.token ?? '' });
    return { routes: contract.routes.public, valid: validity.valid };
  } finally {
    gateway.close();
  }
}
