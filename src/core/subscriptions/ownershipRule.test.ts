import { describe, expect, test } from 'vitest';
import type { User } from '../../contract/index.ts';
import { OwnershipRule } from './ownershipRule.ts';
import { SubscriptionPaths } from './subscriptionPaths.ts';

const paths = new SubscriptionPaths(['chat_threads/{thread_id}/trip/current/events']);
const ann: User = { user_id: 7, email: 'Ann@Example.com', display_name: 'Ann', roles: [] };
const big: User = { user_id: '635758340626186455123', email: '', display_name: 'Big', roles: [] };

const byUserId = new OwnershipRule(
  { document: 'chat_threads/{thread_id}', field: 'owner_user_id', match: 'user_id' },
  paths.templates,
);
const byEmail = new OwnershipRule(
  { document: 'chat_threads/{thread_id}', field: 'owner.email', match: 'email' },
  paths.templates,
);

describe('the owner document', () => {
  test('is filled from the subscription path', () => {
    expect(byUserId.documentPath(paths.match('chat_threads/thread-1/trip/current/events'))).toBe(
      'chat_threads/thread-1',
    );
  });

  test('must only use placeholders every path template has', () => {
    expect(
      () =>
        new OwnershipRule(
          { document: 'teams/{team_id}', field: 'owner', match: 'user_id' },
          new SubscriptionPaths(['teams/{team_id}/events', 'users/{user_id}/events']).templates,
        ),
    ).toThrow('users/{user_id}/events');
  });

  test.each([
    ['chat_threads', 'owner', 'even number of segments'],
    ['chat_threads/{thread_id}', 'owner..id', 'dotted path'],
    ['chat_threads/{thread_id}', '', 'dotted path'],
  ])('a bad rule %s / %j is refused', (document, field, problem) => {
    expect(() => new OwnershipRule({ document, field, match: 'user_id' }, paths.templates)).toThrow(problem);
  });
});

describe('matching by user id', () => {
  test.each([
    [{ owner_user_id: 7 }, true],
    [{ owner_user_id: '7' }, true],
    [{ owner_user_id: ' 7 ' }, true],
    [{ owner_user_id: [3, 7] }, true],
    [{ owner_user_id: 8 }, false],
    [{ owner_user_id: '07' }, false],
    [{ owner_user_id: 7.5 }, false],
    [{ owner_user_id: true }, false],
    [{ owner_user_id: null }, false],
    [{ owner_user_id: { id: 7 } }, false],
    [{ owner_user_id: [] }, false],
    [{ other: 7 }, false],
    [{}, false],
    [null, false],
  ])('%j → %s', (document, owns) => {
    expect(byUserId.owns(document, ann)).toBe(owns);
  });

  test('ids beyond 2^53 compare as exact strings', () => {
    expect(byUserId.owns({ owner_user_id: '635758340626186455123' }, big)).toBe(true);
    expect(byUserId.owns({ owner_user_id: '635758340626186455124' }, big)).toBe(false);
  });
});

describe('matching by email', () => {
  test.each([
    [{ owner: { email: 'ann@example.com' } }, true],
    [{ owner: { email: ' ANN@EXAMPLE.COM ' } }, true],
    [{ owner: { email: ['bob@example.com', 'ann@example.com'] } }, true],
    [{ owner: { email: 'bob@example.com' } }, false],
    [{ owner: 'ann@example.com' }, false],
    [{ owner: { email: 7 } }, false],
    [{ owner: [{ email: 'ann@example.com' }] }, false],
  ])('%j → %s', (document, owns) => {
    expect(byEmail.owns(document, ann)).toBe(owns);
  });

  test('a session without an email owns nothing', () => {
    expect(byEmail.owns({ owner: { email: '' } }, big)).toBe(false);
  });
});
