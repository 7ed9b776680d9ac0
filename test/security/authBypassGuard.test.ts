/**
 * Attack-pass finding 11: the auth bypass guard compared NODE_ENV with `production` exactly, so a
 * deployment spelling it `Production` or `prod` (or `staging`) still ran with GATEWAY_AUTH_BYPASS — every
 * token accepted. Required: the bypass only under an explicit development/test environment
 * (`development`, `dev`, `test`, any case), refused otherwise with a clear message unless
 * GATEWAY_AUTH_BYPASS_FORCE is set.
 */
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { startStack } from '../support/stack.ts';

describe('GATEWAY_AUTH_BYPASS outside development', () => {
  test.each([
    'Production',
    'prod',
    'PRODUCTION',
    'production',
    'staging',
    'Prod ',
  ])('NODE_ENV=%j refuses the bypass with a ConfigError naming the rule', (environment) => {
    let error: unknown;
    try {
      loadConfig({ GATEWAY_AUTH_BYPASS: 'true', NODE_ENV: environment });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('GATEWAY_AUTH_BYPASS is refused');
    expect(message).toContain('development, dev or test');
    expect(message).toContain('GATEWAY_AUTH_BYPASS_FORCE');
  });

  test.each([
    'development',
    'Development',
    'dev',
    'DEV',
    'test',
    'Test',
  ])('NODE_ENV=%j allows it', (environment) => {
    expect(loadConfig({ GATEWAY_AUTH_BYPASS: 'true', NODE_ENV: environment }).auth.bypass).toBe(true);
  });

  test('GATEWAY_AUTH_BYPASS_FORCE overrides the refusal; without the bypass NODE_ENV does not matter', () => {
    expect(
      loadConfig({ GATEWAY_AUTH_BYPASS: 'true', GATEWAY_AUTH_BYPASS_FORCE: 'true', NODE_ENV: 'prod' }).auth
        .bypass,
    ).toBe(true);
    expect(loadConfig({ NODE_ENV: 'Production' }).auth.bypass).toBe(false);
  });
});

test('over HTTP: a made-up token is refused by a gateway whose NODE_ENV is not development, accepted in test', async () => {
  // A production-like gateway without the bypass: the made-up token is a 401.
  const production = await startStack({ NODE_ENV: 'Production' });
  try {
    const response = await production.post(
      '/api/playbooks/execute',
      { path: 'demo/x' },
      { authorization: 'Bearer made-up-token' },
    );
    expect(response.status).toBe(401);
  } finally {
    await production.stop();
  }
  // NODE_ENV=Test with the bypass: the same token passes (this is what the bypass is for).
  const development = await startStack({ NODE_ENV: 'Test', GATEWAY_AUTH_BYPASS: 'true' });
  try {
    const response = await development.post(
      '/api/playbooks/execute',
      { path: 'demo/x' },
      { authorization: 'Bearer made-up-token' },
    );
    expect(response.status).toBe(200);
  } finally {
    await development.stop();
  }
});
