import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const file = (name: string, content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'gw-config-')), name);
  writeFileSync(path, content);
  return path;
};

describe('defaults (the reference gateway’s)', () => {
  test('an empty environment is a complete embedded gateway on 8090', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(8090);
    expect(config.noetl.baseUrl).toBe('http://localhost:8082');
    expect(config.nats.url).toBeUndefined();
    expect(config.nats.callbackSubjectPrefix).toBe('noetl.callbacks');
    expect(config.nats.updatesSubjectPrefix).toBe('playbooks.executions.');
    expect(config.nats.sessionBucket).toBe('sessions');
    expect(config.nats.sessionCacheTtlSecs).toBe(300);
    expect(config.nats.requestTtlSecs).toBe(1800);
    expect(config.authPlaybooks).toMatchObject({
      login: 'api_integration/auth0/auth0_login',
      timeoutSecs: 12,
      sessionDbCredential: 'pg_auth',
    });
    expect(config.cors.allowedOrigins).toEqual([
      'http://localhost:8080',
      'http://localhost:8090',
      'http://localhost:3000',
    ]);
    expect(config.server.publicUrl).toBe('http://gateway.gateway.svc.cluster.local:8090');
    expect(config.transport.heartbeatIntervalSecs).toBe(30);
  });
});

describe('environment', () => {
  test('ROUTER_PORT wins over GATEWAY_PORT; trailing slashes and dots are normalised', () => {
    const config = loadConfig({
      ROUTER_PORT: '9000',
      GATEWAY_PORT: '9001',
      NOETL_BASE_URL: 'http://noetl:8082/',
      NATS_UPDATES_SUBJECT_PREFIX: 'noetl.events',
    });
    expect(config.server.port).toBe(9000);
    expect(config.noetl.baseUrl).toBe('http://noetl:8082');
    expect(config.nats.updatesSubjectPrefix).toBe('noetl.events.');
    expect(loadConfig({ GATEWAY_PORT: '9001' }).server.port).toBe(9001);
    expect(loadConfig({ NATS_UPDATES_SUBJECT_PREFIX: 'noetl.events.' }).nats.updatesSubjectPrefix).toBe(
      'noetl.events.',
    );
  });

  test('CORS origins are a trimmed comma list', () => {
    expect(
      loadConfig({ CORS_ALLOWED_ORIGINS: ' https://a.example , https://b.example ,' }).cors.allowedOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });

  test('every bad value is named in one clear error', () => {
    let message = '';
    try {
      loadConfig({
        ROUTER_PORT: 'eighty',
        AUTH_PLAYBOOK_TIMEOUT_SECS: '0',
        CORS_ALLOW_CREDENTIALS: 'maybe',
        NOETL_BASE_URL: 'not a url',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of [
      'ROUTER_PORT',
      'AUTH_PLAYBOOK_TIMEOUT_SECS',
      'CORS_ALLOW_CREDENTIALS',
      'NOETL_BASE_URL',
    ])
      expect(message).toContain(name);
  });

  test('the auth bypass is refused in production unless forced', () => {
    expect(() => loadConfig({ GATEWAY_AUTH_BYPASS: 'true', NODE_ENV: 'production' })).toThrow(/refused/);
    expect(
      loadConfig({ GATEWAY_AUTH_BYPASS: 'true', NODE_ENV: 'production', GATEWAY_AUTH_BYPASS_FORCE: 'true' })
        .auth.bypass,
    ).toBe(true);
    expect(loadConfig({ GATEWAY_AUTH_BYPASS: '1' }).auth.bypass).toBe(true);
  });
});

describe('GATEWAY_CONFIG file', () => {
  test('TOML with reference section names; the environment wins', () => {
    const path = file(
      'gateway.toml',
      '[server]\nport = 7000\n[noetl]\nbase_url = "http://noetl.internal:8082"\n[cors]\nallowed_origins = ["https://x.example"]\n',
    );
    const config = loadConfig({ GATEWAY_CONFIG: path, NOETL_BASE_URL: 'http://env:1' });
    expect(config.server.port).toBe(7000);
    expect(config.noetl.baseUrl).toBe('http://env:1');
    expect(config.cors.allowedOrigins).toEqual(['https://x.example']);
  });

  test('YAML and JSON', () => {
    expect(
      loadConfig({ GATEWAY_CONFIG: file('g.yaml', 'auth_playbooks:\n  timeout_secs: 40\n') }).authPlaybooks
        .timeoutSecs,
    ).toBe(40);
    expect(
      loadConfig({ GATEWAY_CONFIG: file('g.json', '{"nats": {"request_ttl_secs": 60}}') }).nats
        .requestTtlSecs,
    ).toBe(60);
  });

  test('a missing or broken file stops the start with its path', () => {
    expect(() => loadConfig({ GATEWAY_CONFIG: '/nonexistent/gateway.toml' })).toThrow(
      /cannot read \/nonexistent\/gateway.toml/,
    );
    expect(() => loadConfig({ GATEWAY_CONFIG: file('bad.toml', '[server\nport=') })).toThrow(/cannot parse/);
    expect(() => loadConfig({ GATEWAY_CONFIG: file('g.toml', '[server]\nport = "x"\n') })).toThrow(
      /server.port in GATEWAY_CONFIG/,
    );
  });
});
