/**
 * Push ingress for Google Pub/Sub push subscriptions (contract §12.7, `pubsub_oidc`): real RS256 tokens,
 * signed with keys generated here and published by a local JWKS server (GATEWAY_INGRESS_JWKS_URL), checked
 * for signature, expiry (60 s leeway), issuer, audience, service account and verified email; the push
 * envelope unwrapped (base64 data decoded, attributes as the directive channel).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JwksServer, pushToken, type SigningKey, signingKey } from '../support/jwksServer.ts';
import { type Stack, startStack } from '../support/stack.ts';

const TOKEN = 'internal-api-token-2';
const AUDIENCE = 'https://gateway.example.com/ingress/telemetry';
const SERVICE_ACCOUNT = 'pubsub-push@acme.iam.gserviceaccount.com';

const pubsubConfig = (
  listener: string,
  verify: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) => ({
  listener,
  catalog_path: `subscriptions/${listener}`,
  source: 'pubsub',
  subscription_id: '77',
  verify: { type: 'pubsub_oidc', audience: AUDIENCE, service_account: SERVICE_ACCOUNT, ...verify },
  dispatch: { playbook: `telemetry/${listener}`, execution_pool: 'iot' },
  ...extra,
});

/** A Pub/Sub push request body. */
const pushBody = (data: unknown, attributes: Record<string, string> = {}, messageId = 'msg-7') =>
  JSON.stringify({
    message: {
      data: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)).toString('base64'),
      messageId,
      message_id: messageId,
      publishTime: '2026-12-01T00:00:00.000Z',
      attributes,
    },
    subscription: 'projects/acme/subscriptions/telemetry-push',
  });

async function push(stack: Stack, listener: string, body: string, token?: string) {
  const response = await fetch(`${stack.url}/ingress/${listener}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe('pubsub_oidc', () => {
  let stack: Stack;
  let jwks: JwksServer;
  let key: SigningKey;
  let stranger: SigningKey;
  const valid = (claims: Parameters<typeof pushToken>[1] = {}) =>
    pushToken(key, { aud: AUDIENCE, email: SERVICE_ACCOUNT, ...claims });

  beforeAll(async () => {
    key = await signingKey('key-1');
    // The same kid, another key: a forged signature.
    stranger = await signingKey('key-1');
    jwks = await new JwksServer().start();
    jwks.keys = [key.jwk, { kty: 'RSA', kid: 'broken-key', n: 'AQAB', e: 'AQAB', alg: 'RS256' }];
    stack = await startStack(
      { NOETL_INTERNAL_API_TOKEN: TOKEN, GATEWAY_INGRESS_JWKS_URL: `${jwks.url}/certs` },
      { internalToken: TOKEN },
    );
    stack.noetl.ingressListeners.set('telemetry', pubsubConfig('telemetry'));
  });
  afterAll(async () => {
    await stack.stop();
    await jwks.stop();
  });

  test('a push with a valid token starts the playbook with the unwrapped envelope (202)', async () => {
    const answer = await push(
      stack,
      'telemetry',
      pushBody({ device: 'sensor-1', temp: 21.5 }, { 'X-Device-Type': 'thermo', region: 'eu' }),
      await valid(),
    );
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ status: 'accepted', execution_id: expect.any(String) });
    const started = stack.noetl
      .executeBodies()
      .find((body) => body.path === 'telemetry/telemetry') as unknown as {
      path: string;
      resource_kind: string;
      execution_pool: string;
      parent_execution_id: number;
      workload: Record<string, unknown>;
    };
    expect(started).toMatchObject({
      resource_kind: 'playbook',
      execution_pool: 'iot',
      parent_execution_id: 77,
    });
    expect(started.workload).toEqual({
      message: {
        id: 'msg-7',
        data: { device: 'sensor-1', temp: 21.5 },
        attributes: { 'X-Device-Type': 'thermo', region: 'eu' },
        headers: { 'x-device-type': 'thermo', region: 'eu' },
        metadata: { mode: 'push', source: 'pubsub' },
      },
      subscription: 'subscriptions/telemetry',
      source: 'pubsub',
      device: 'sensor-1',
      temp: 21.5,
    });
    expect(jwks.fetches).toBe(1);
  });

  test('the JWKS is cached: further pushes do not fetch it again', async () => {
    for (let i = 0; i < 3; i++)
      expect((await push(stack, 'telemetry', pushBody({ i }), await valid())).status).toBe(202);
    expect(jwks.fetches).toBe(1);
  });

  test('attributes are the directive channel; a text payload arrives as text', async () => {
    stack.noetl.ingressListeners.set(
      'routed',
      pubsubConfig(
        'routed',
        {},
        {
          directives: {
            directives: [
              { header: 'x-noetl-route', controls: 'dispatch.playbook', allowed: ['telemetry/alerts'] },
            ],
          },
        },
      ),
    );
    const answer = await push(
      stack,
      'routed',
      pushBody('temperature high', { 'X-Noetl-Route': 'telemetry/alerts' }, 'msg-9'),
      await valid(),
    );
    expect(answer.status).toBe(202);
    const started = stack.noetl.executeBodies().find((body) => body.path === 'telemetry/alerts');
    expect(started?.workload).toMatchObject({
      message: { id: 'msg-9', data: 'temperature high' },
      body: 'temperature high',
    });
  });

  test('an expired token is rejected (401 oidc_expired); one expired within the 60 s leeway is not', async () => {
    const expired = await push(stack, 'telemetry', pushBody({}), await valid({ expiresIn: -3600 }));
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ status: 'rejected', reason: 'oidc_expired', code: 'UNAUTHORIZED' });
    expect((await push(stack, 'telemetry', pushBody({}), await valid({ expiresIn: -20 }))).status).toBe(202);
  });

  test.each([
    ['another audience', { aud: 'https://evil.example/ingress' }, 'oidc_wrong_audience'],
    ['another issuer', { iss: 'https://issuer.example' }, 'oidc_wrong_issuer'],
    ['another service account', { email: 'attacker@evil.iam.gserviceaccount.com' }, 'oidc_wrong_sa'],
    ['an unverified email', { email_verified: false }, 'oidc_unverified_email'],
  ] as const)('a token for %s is forbidden (403 %s)', async (_case, claims, reason) => {
    const answer = await push(stack, 'telemetry', pushBody({}), await valid(claims));
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ status: 'rejected', reason, code: 'FORBIDDEN' });
  });

  test('a token without an email is forbidden (oidc_unverified_email)', async () => {
    const answer = await push(
      stack,
      'telemetry',
      pushBody({}),
      await pushToken(key, { aud: AUDIENCE, email: undefined }),
    );
    expect(answer.json).toMatchObject({ reason: 'oidc_unverified_email' });
  });

  test('unauthenticated tokens: 401 with the reference’s reasons', async () => {
    const tokenOf = async (forged: Promise<string>) => forged;
    const good = await valid();
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const middle = Math.floor(signature.length / 2);
    const flipped = `${signature.slice(0, middle)}${signature[middle] === 'A' ? 'B' : 'A'}${signature.slice(middle + 1)}`;
    const cases: [string, string | undefined, string][] = [
      ['no token', undefined, 'missing_token'],
      ['not a JWT', 'not-a-jwt', 'oidc_malformed'],
      [
        'no kid',
        await tokenOf(pushToken(key, { aud: AUDIENCE, email: SERVICE_ACCOUNT }, { kid: null })),
        'oidc_malformed',
      ],
      [
        'an unknown kid',
        await tokenOf(pushToken(key, { aud: AUDIENCE, email: SERVICE_ACCOUNT }, { kid: 'k9' })),
        'oidc_unknown_kid',
      ],
      [
        'signed by another key',
        await pushToken(stranger, { aud: AUDIENCE, email: SERVICE_ACCOUNT }),
        'oidc_bad_signature',
      ],
      ['a tampered signature', `${header}.${payload}.${flipped}`, 'oidc_bad_signature'],
      ['an undecodable signature', `${header}.${payload}.${signature}!!!`, 'oidc_invalid'],
      [
        'no expiry',
        await pushToken(key, { aud: AUDIENCE, email: SERVICE_ACCOUNT, noExp: true }),
        'oidc_invalid',
      ],
    ];
    for (const [name, token, reason] of cases) {
      const answer = await push(stack, 'telemetry', pushBody({}), token);
      expect(answer.status, name).toBe(401);
      expect(answer.json, name).toMatchObject({ status: 'rejected', reason, code: 'UNAUTHORIZED' });
    }
  });

  test('a token algorithm other than RS256 is refused (oidc_invalid)', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', kid: 'key-1' })}.${encode({ aud: AUDIENCE, email: SERVICE_ACCOUNT, email_verified: true, exp: Math.floor(Date.now() / 1000) + 600, iss: 'https://accounts.google.com' })}.`;
    const answer = await push(stack, 'telemetry', pushBody({}), unsigned);
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ reason: 'oidc_invalid' });
  });

  test('a JWKS key that is no RSA key is forbidden (403 oidc_bad_key)', async () => {
    const answer = await push(
      stack,
      'telemetry',
      pushBody({}),
      await pushToken(key, { aud: AUDIENCE, email: SERVICE_ACCOUNT }, { kid: 'broken-key' }),
    );
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ status: 'rejected', reason: 'oidc_bad_key' });
  });

  test('a listener without an audience or a service account is misconfigured (403)', async () => {
    stack.noetl.ingressListeners.set('noaud', pubsubConfig('noaud', { audience: null }));
    stack.noetl.ingressListeners.set('nosa', pubsubConfig('nosa', { service_account: undefined }));
    for (const listener of ['noaud', 'nosa']) {
      const answer = await push(stack, listener, pushBody({}), await valid());
      expect(answer.status, listener).toBe(403);
      expect(answer.json).toMatchObject({ status: 'rejected', reason: 'misconfigured' });
    }
  });

  test('no rejected push started anything', () => {
    const paths = stack.noetl.executeBodies().map((body) => body.path);
    // 1 + 3 + 1 (leeway) on telemetry; 1 routed to alerts.
    expect(paths.filter((path) => path === 'telemetry/telemetry')).toHaveLength(5);
    expect(paths.filter((path) => path !== 'telemetry/telemetry')).toEqual(['telemetry/alerts']);
  });
});

describe('pubsub_oidc with the JWKS unreachable', () => {
  let stack: Stack;
  let jwks: JwksServer;
  beforeAll(async () => {
    jwks = await new JwksServer().start();
    stack = await startStack(
      { NOETL_INTERNAL_API_TOKEN: TOKEN, GATEWAY_INGRESS_JWKS_URL: `${jwks.url}/down` },
      { internalToken: TOKEN },
    );
    stack.noetl.ingressListeners.set('telemetry', pubsubConfig('telemetry'));
  });
  afterAll(async () => {
    await stack.stop();
    await jwks.stop();
  });

  test('502 jwks_error, so Pub/Sub redelivers later', async () => {
    const key = await signingKey('key-1');
    const answer = await push(
      stack,
      'telemetry',
      pushBody({}),
      await pushToken(key, { aud: AUDIENCE, email: SERVICE_ACCOUNT }),
    );
    expect(answer.status).toBe(502);
    expect(answer.json).toMatchObject({
      status: 'rejected',
      reason: 'jwks_error',
      detail: 'could not fetch OIDC keys',
      code: 'BAD_GATEWAY',
    });
    expect(stack.noetl.requestsTo('/api/execute')).toEqual([]);
  });
});
