import { afterAll, beforeAll, expect, test } from 'vitest';
import { JwksServer, signingKey } from '../../../test/support/jwksServer.ts';
import { IngressRejection } from './ingressRejection.ts';
import { JwksKeys } from './jwksKeys.ts';

let server: JwksServer;
beforeAll(async () => {
  server = await new JwksServer().start();
});
afterAll(() => server.stop());

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof IngressRejection ? error.reason : String(error)),
  );

test('kept for cacheMs; an unknown kid refetches only past the cooldown (key rotation)', async () => {
  const first = await signingKey('k1');
  const rotated = await signingKey('k2');
  server.keys = [first.jwk];
  server.fetches = 0;
  let now = 1_000_000;
  const keys = new JwksKeys({
    url: `${server.url}/certs`,
    cacheMs: 3_600_000,
    timeoutMs: 2000,
    refetchCooldownMs: 30_000,
    now: () => now,
  });
  await Promise.all([keys.key('k1'), keys.key('k1'), keys.key('k1')]);
  expect(server.fetches).toBe(1);

  server.keys = [first.jwk, rotated.jwk];
  expect(await reasonOf(keys.key('k2'))).toBe('oidc_unknown_kid');
  expect(server.fetches).toBe(1);
  now += 30_000;
  await keys.key('k2');
  expect(server.fetches).toBe(2);
  // A burst of made-up kids right after costs nothing more.
  expect(await reasonOf(keys.key('made-up'))).toBe('oidc_unknown_kid');
  expect(server.fetches).toBe(2);

  now += 3_600_000;
  await keys.key('k1');
  expect(server.fetches).toBe(3);
});

test('an unreachable JWKS is jwks_error; a key that is no RSA key is oidc_bad_key', async () => {
  const down = new JwksKeys({ url: `${server.url}/down`, cacheMs: 60_000, timeoutMs: 2000 });
  expect(await reasonOf(down.key('k1'))).toBe('jwks_error');
  server.keys = [{ kty: 'RSA', kid: 'bad', n: '!!', e: 'AQAB' }];
  const keys = new JwksKeys({ url: `${server.url}/certs`, cacheMs: 60_000, timeoutMs: 2000 });
  expect(await reasonOf(keys.key('bad'))).toBe('oidc_bad_key');
});
