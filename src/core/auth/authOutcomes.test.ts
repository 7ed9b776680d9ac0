import { describe, expect, test } from 'vitest';
import { GatewayError } from '../errors.ts';
import { checkAccessOutcome, loginOutcome, validateOutcome } from './authOutcomes.ts';

const user = { user_id: 42, email: 'a@b.c', display_name: 'Ann', roles: ['admin'] };
const success = {
  status: 'authenticated',
  session_token: 'tok',
  user,
  expires_at: '2026-05-28T15:00:00+00:00',
};

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
  }
  throw new Error('expected a GatewayError');
}

describe('loginOutcome', () => {
  test('success', () => {
    expect(loginOutcome('success', success)).toEqual({
      status: 'authenticated',
      session_token: 'tok',
      user,
      expires_at: success.expires_at,
      message: 'Authentication successful',
    });
  });

  test.each([
    [{ error: 'bad sig', message: 'Token validation failed' }, 'Token validation failed: bad sig'],
    [{ error: 'bad sig' }, 'bad sig'],
    [{}, 'Invalid credentials'],
    [null, 'Invalid credentials'],
  ])('callback error %j → 401 %s', (data, reason) => {
    const error = failure(() => loginOutcome('error', data));
    expect([error.kind, error.message]).toEqual(['unauthorized', reason]);
  });

  test('not authenticated → 401; missing pieces → 500 with the reference messages', () => {
    expect(failure(() => loginOutcome('success', { status: 'locked' })).message).toBe(
      'Authentication status: locked',
    );
    expect(failure(() => loginOutcome('success', { ...success, status: undefined })).message).toBe(
      'Login callback missing status field',
    );
    expect(failure(() => loginOutcome('success', { ...success, session_token: '' })).message).toBe(
      'No session token returned',
    );
    expect(failure(() => loginOutcome('success', { ...success, user: undefined })).message).toBe(
      'No user data returned',
    );
    expect(failure(() => loginOutcome('success', { ...success, user: { ...user, email: 5 } })).message).toBe(
      'Invalid email',
    );
    expect(
      failure(() => loginOutcome('success', { ...success, user: { ...user, user_id: 'abc' } })).message,
    ).toBe('Invalid user_id');
    expect(failure(() => loginOutcome('success', { ...success, expires_at: null })).message).toBe(
      'Invalid expires_at',
    );
  });

  test('user ids: numeric strings become numbers, big ones stay exact strings, never truncated', () => {
    expect(loginOutcome('success', { ...success, user: { ...user, user_id: '7' } }).user.user_id).toBe(7);
    expect(
      loginOutcome('success', { ...success, user: { ...user, user_id: 5_000_000_000 } }).user.user_id,
    ).toBe(5_000_000_000);
    expect(
      loginOutcome('success', { ...success, user: { ...user, user_id: '636124154944553085' } }).user.user_id,
    ).toBe('636124154944553085');
  });

  test.each([
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    ['["a","b"]', ['a', 'b']],
    ['{admin,"data viewer"}', ['admin', 'data viewer']],
    ['admin', ['admin']],
    [42, []],
    [undefined, []],
  ])('roles %j → %j; display_name falls back to email', (roles, expected) => {
    const outcome = loginOutcome('success', { ...success, user: { user_id: 1, email: 'x@y.z', roles } });
    expect(outcome.user.roles).toEqual(expected);
    expect(outcome.user.display_name).toBe('x@y.z');
  });
});

describe('checkAccessOutcome', () => {
  const request = { playbook_path: 'p', permission_type: 'execute' };
  test('allowed only when literally true; defaults for a thin user', () => {
    expect(checkAccessOutcome('success', { allowed: 'true' }, request).allowed).toBe(false);
    expect(checkAccessOutcome('success', { allowed: true, user: { user_id: '12' } }, request)).toEqual({
      allowed: true,
      user: { user_id: 12, email: 'unknown', display_name: 'Unknown User', roles: [] },
      playbook_path: 'p',
      permission_type: 'execute',
      message: 'Access check completed',
    });
  });

  test('an error status fails closed as 503', () => {
    const error = failure(() => checkAccessOutcome('error', { error: 'db down' }, request));
    expect([error.kind, error.message]).toEqual(['unavailable', 'Check access failed: db down']);
  });
});

test('validateOutcome: only a clear valid:true with a user is a session', () => {
  expect(validateOutcome('error', { valid: true, user })).toBeNull();
  expect(validateOutcome('success', { valid: false })).toBeNull();
  expect(validateOutcome('success', { valid: true })).toBeNull();
  expect(
    validateOutcome('success', { valid: true, user: { user_id: '3', email: 'e@x' }, expires_at: 'later' }),
  ).toEqual({
    user: { user_id: 3, email: 'e@x', display_name: 'e@x', roles: [] },
    expiresAt: 'later',
  });
});
