import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('Firestore configuration', () => {
  test('off by default, with the reference path rule and no ownership rule', () => {
    const { firestore } = loadConfig({});
    expect(firestore).toMatchObject({
      enabled: false,
      pathTemplates: ['chat_threads/{thread_id}/trip/current/events'],
      owner: undefined,
      resumeWindowSecs: 60,
      subscriptionsPerClient: 20,
      subscriptionsTotal: 1000,
    });
  });

  test.each([
    [{ FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' }, true],
    [{ GATEWAY_FIRESTORE_PROJECT_ID: 'p' }, true],
    [{ GOOGLE_CLOUD_PROJECT: 'p' }, true],
    [{ GOOGLE_CLOUD_PROJECT: 'p', GATEWAY_FIRESTORE_ENABLED: 'false' }, false],
    [{ GATEWAY_FIRESTORE_ENABLED: 'true' }, true],
    [{ GATEWAY_FIRESTORE_PROJECT_ID: '', GOOGLE_CLOUD_PROJECT: 'fallback' }, true],
  ])('%j → enabled %s', (env, enabled) => {
    expect(loadConfig(env).firestore.enabled).toBe(enabled);
  });

  test('the project falls back to GOOGLE_CLOUD_PROJECT (an empty first variable does not block it)', () => {
    expect(
      loadConfig({ GATEWAY_FIRESTORE_PROJECT_ID: '', GOOGLE_CLOUD_PROJECT: 'p2' }).firestore.projectId,
    ).toBe('p2');
    expect(
      loadConfig({ GATEWAY_FIRESTORE_PROJECT_ID: 'p1', GOOGLE_CLOUD_PROJECT: 'p2' }).firestore.projectId,
    ).toBe('p1');
  });

  test('an ownership rule from three settings', () => {
    const { firestore } = loadConfig({
      GATEWAY_FIRESTORE_OWNER_DOCUMENT: 'chat_threads/{thread_id}',
      GATEWAY_FIRESTORE_OWNER_FIELD: 'owner_email',
      GATEWAY_FIRESTORE_OWNER_MATCH: 'email',
    });
    expect(firestore.owner).toEqual({
      document: 'chat_threads/{thread_id}',
      field: 'owner_email',
      match: 'email',
    });
  });

  test.each([
    [{ GATEWAY_FIRESTORE_OWNER_DOCUMENT: 'chat_threads/{thread_id}' }, 'set both or neither'],
    [{ GATEWAY_FIRESTORE_PATH_TEMPLATES: 'chat_threads/{id}' }, 'odd number of segments'],
    [
      { GATEWAY_FIRESTORE_OWNER_DOCUMENT: 'users/{user_id}', GATEWAY_FIRESTORE_OWNER_FIELD: 'owner' },
      'does not have',
    ],
    [{ GATEWAY_FIRESTORE_OWNER_MATCH: 'name' }, 'GATEWAY_FIRESTORE_OWNER_MATCH'],
    [
      { GATEWAY_FIRESTORE_CREDENTIALS_PATH: '/nonexistent/key.json' },
      'GATEWAY_FIRESTORE_CREDENTIALS_PATH: cannot read /nonexistent/key.json',
    ],
  ])('%j is refused at start', (env, problem) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(problem);
  });

  test('several templates, fractional windows', () => {
    const { firestore } = loadConfig({
      GATEWAY_FIRESTORE_PATH_TEMPLATES: 'users/{user_id}/events, teams/{team_id}/cards',
      GATEWAY_FIRESTORE_RESUME_WINDOW_SECS: '0.5',
    });
    expect(firestore.pathTemplates).toEqual(['users/{user_id}/events', 'teams/{team_id}/cards']);
    expect(firestore.resumeWindowSecs).toBe(0.5);
  });
});
