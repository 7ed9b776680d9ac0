import { describe, expect, test } from 'vitest';
import { GatewayError } from '../errors.ts';
import { parseTemplate, SubscriptionPaths } from './subscriptionPaths.ts';

const reference = new SubscriptionPaths(['chat_threads/{thread_id}/trip/current/events']);

function refusal(paths: SubscriptionPaths, path: string): string {
  try {
    paths.match(path);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('bad_request');
    return (error as GatewayError).message;
  }
  throw new Error(`${path} was accepted`);
}

const SHAPE = 'Subscription path must match chat_threads/<thread_id>/trip/current/events';
const SLASHES = 'Subscription path must not have leading or trailing slashes';
const THREAD = "Thread id must contain only ASCII letters, numbers, '.', '_', or '-'";

describe('the reference rule (default)', () => {
  test('accepts safe thread ids and trims whitespace', () => {
    expect(reference.match('chat_threads/thread-1/trip/current/events')).toMatchObject({
      path: 'chat_threads/thread-1/trip/current/events',
      params: { thread_id: 'thread-1' },
    });
    expect(reference.match('  chat_threads/A.b_C-9/trip/current/events \n').path).toBe(
      'chat_threads/A.b_C-9/trip/current/events',
    );
    expect(reference.match('chat_threads/.../trip/current/events').params.thread_id).toBe('...');
  });

  test.each([
    ['/chat_threads/t/trip/current/events', SLASHES],
    ['chat_threads/t/trip/current/events/', SLASHES],
    [' /chat_threads/t/trip/current/events', SLASHES],
    ['', SHAPE],
    ['users/u1/trips/t1/events', SHAPE],
    ['chat_threads/t/trip/current', SHAPE],
    ['chat_threads/t/trip/current/events/e1/more', SHAPE],
    ['chat_threads/t/trip/past/events', SHAPE],
    ['Chat_threads/t/trip/current/events', SHAPE],
    ['chat_threads/t/x/../current/events', SHAPE],
    ['chat_threads/../trip/current/events', THREAD],
    ['chat_threads/./trip/current/events', THREAD],
    ['chat_threads//trip/current/events', THREAD],
    ['chat_threads/a b/trip/current/events', THREAD],
    ['chat_threads/a%2Fb/trip/current/events', THREAD],
    ['chat_threads/ünï/trip/current/events', THREAD],
    ['chat_threads/a\\b/trip/current/events', THREAD],
  ])('%j → %s', (path, message) => {
    expect(refusal(reference, path)).toBe(message);
  });
});

describe('configured templates', () => {
  const paths = new SubscriptionPaths(['users/{user_id}/events', 'teams/{team_id}/boards/{board_id}/cards']);

  test('any template may match; its placeholders are named', () => {
    expect(paths.match('users/u-1/events').params).toEqual({ user_id: 'u-1' });
    expect(paths.match('teams/t1/boards/b2/cards').params).toEqual({ team_id: 't1', board_id: 'b2' });
  });

  test('the messages name every template and the placeholder at fault', () => {
    expect(refusal(paths, 'users/u1/other')).toBe(
      'Subscription path must match users/<user_id>/events or teams/<team_id>/boards/<board_id>/cards',
    );
    expect(refusal(paths, 'teams/t1/boards/../cards')).toBe(
      "Board id must contain only ASCII letters, numbers, '.', '_', or '-'",
    );
  });

  test.each([
    ['', 'must not be empty'],
    ['/users/{id}/events', 'no leading or trailing slashes'],
    ['users/{id}', 'odd number of segments'],
    ['users/{id}/../x/events', 'neither {name} nor an id'],
    ['users/{id}/x/{id}/events', 'placeholder is used twice'],
    ['users/{1id}/events', 'neither {name} nor an id'],
  ])('a bad template %j is refused (%s)', (template, problem) => {
    expect(() => new SubscriptionPaths([template])).toThrow(problem);
  });

  test('at least one template', () => {
    expect(() => new SubscriptionPaths([])).toThrow('at least one');
  });

  test('document templates have an even number of segments', () => {
    expect(parseTemplate('chat_threads/{thread_id}', 'document').params).toEqual(['thread_id']);
    expect(() => parseTemplate('chat_threads', 'document')).toThrow('even number of segments');
  });
});
