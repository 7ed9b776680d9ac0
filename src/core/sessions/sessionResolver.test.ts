/**
 * SessionResolver against made-up tokens: the negative cache, single flight, and the per-address limit
 * on failed validations. NoETL is a counting fake; the clock is injected.
 */
import { describe, expect, test } from 'vitest';
import { MemoryKeyValueBucket } from '../../adapters/memory/memoryKeyValueStore.ts';
import type { NoetlApi, NoetlResponse } from '../../adapters/ports.ts';
import type { AuthPlaybookRunner } from '../auth/authPlaybookRunner.ts';
import { GatewayError } from '../errors.ts';
import {
  type SessionLookupOutcome,
  SessionResolver,
  type SessionResolverOptions,
} from './sessionResolver.ts';
import { clientKey, TooManyFailedValidationsError } from './validationGuard.ts';

/** NoETL's validate endpoint: tokens starting with `good-` are valid. Counts calls; can hold or fail them. */
class FakeNoetl {
  validations = 0;
  failing = false;
  #held: (() => void)[] = [];
  holding = false;

  release(): void {
    for (const resume of this.#held.splice(0)) resume();
  }

  readonly api = {
    post: async (_path: string, body: unknown): Promise<NoetlResponse> => {
      this.validations++;
      if (this.holding) await new Promise<void>((resume) => this.#held.push(resume));
      if (this.failing) throw new Error('connection refused');
      const token = String((body as { session_token: string }).session_token);
      const valid = token.startsWith('good-');
      const answer = valid
        ? {
            status: 'ok',
            valid: true,
            user: { user_id: 7, email: 'ann@example.com', display_name: 'Ann', roles: [] },
            expires_at: '2999-01-01T00:00:00Z',
          }
        : { status: 'ok', valid: false };
      return { status: 200, statusText: 'OK', body: answer, text: JSON.stringify(answer) };
    },
  } as unknown as NoetlApi;
}

function setUp(options: Partial<SessionResolverOptions> = {}) {
  const noetl = new FakeNoetl();
  const clock = { now: 1_000_000 };
  const outcomes: SessionLookupOutcome[] = [];
  const resolver = new SessionResolver({
    bucket: new MemoryKeyValueBucket(3600),
    noetl: noetl.api,
    runner: {} as AuthPlaybookRunner,
    validation: 'endpoint',
    validatePlaybookPath: 'validate',
    dbCredential: 'pg_auth',
    memoryCacheMs: 30_000,
    memoryCacheMaxEntries: 100,
    bypass: false,
    now: () => clock.now,
    onLookup: (outcome) => outcomes.push(outcome),
    ...options,
  });
  return { noetl, clock, resolver, outcomes };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('negative cache', () => {
  test('a token found invalid is answered without asking NoETL again, until its entry expires', async () => {
    const { noetl, clock, resolver } = setUp({ negativeCacheMs: 60_000 });
    expect(await resolver.resolve('junk-1')).toBeNull();
    expect(await resolver.resolve('junk-1')).toBeNull();
    expect(await resolver.resolve('junk-1')).toBeNull();
    expect(noetl.validations).toBe(1);
    clock.now += 59_999;
    expect(await resolver.resolve('junk-1')).toBeNull();
    expect(noetl.validations).toBe(1);
    clock.now += 1;
    expect(await resolver.resolve('junk-1')).toBeNull();
    expect(noetl.validations).toBe(2);
  });

  test('bounded: past its size the oldest entry goes first', async () => {
    const { noetl, resolver } = setUp({ negativeCacheMaxEntries: 3 });
    for (const token of ['j1', 'j2', 'j3', 'j4']) await resolver.resolve(token);
    expect(noetl.validations).toBe(4);
    await resolver.resolve('j4');
    await resolver.resolve('j2');
    expect(noetl.validations).toBe(4);
    await resolver.resolve('j1'); // evicted
    expect(noetl.validations).toBe(5);
  });

  test('0 turns it off', async () => {
    const { noetl, resolver } = setUp({ negativeCacheMs: 0 });
    await resolver.resolve('junk');
    await resolver.resolve('junk');
    expect(noetl.validations).toBe(2);
  });

  test('a session remembered at login clears an entry for its token', async () => {
    const { noetl, resolver } = setUp();
    expect(await resolver.resolve('late-token')).toBeNull();
    await resolver.remember({
      token: 'late-token',
      user: { user_id: 1, email: 'a@example.com', display_name: 'A', roles: [] },
      expiresAt: '2999-01-01T00:00:00Z',
    });
    expect(await resolver.resolve('late-token')).toMatchObject({ user: { user_id: 1 } });
    expect(noetl.validations).toBe(1);
  });

  test('NoETL failing is not an answer: nothing cached, nothing counted against the caller', async () => {
    const { noetl, resolver } = setUp({ failedValidationsPerMinute: 2 });
    noetl.failing = true;
    for (let i = 0; i < 4; i++) {
      const error = await rejection(resolver.resolve('maybe', '10.0.0.1'));
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).kind).toBe('bad_gateway');
    }
    expect(noetl.validations).toBe(4);
    noetl.failing = false;
    expect(await resolver.resolve('good-maybe', '10.0.0.1')).not.toBeNull();
  });

  test('a validate playbook that failed is counted but not cached', async () => {
    let runs = 0;
    const runner = {
      run: async () => {
        runs++;
        return { status: 'error', data: { message: 'database down' } };
      },
    } as unknown as AuthPlaybookRunner;
    const { resolver } = setUp({ validation: 'playbook', runner, failedValidationsPerMinute: 2 });
    expect(await resolver.resolve('t', '10.0.0.1')).toBeNull();
    expect(await resolver.resolve('t', '10.0.0.1')).toBeNull();
    expect(runs).toBe(2);
    await expect(resolver.resolve('t', '10.0.0.1')).rejects.toBeInstanceOf(TooManyFailedValidationsError);
  });
});

describe('single flight', () => {
  test('N concurrent resolves of one uncached token: one validation, one answer for all', async () => {
    const { noetl, resolver } = setUp();
    noetl.holding = true;
    const junk = Array.from({ length: 20 }, () => resolver.resolve('junk-x', '10.0.0.1'));
    const good = Array.from({ length: 20 }, () => resolver.resolve('good-x', '10.0.0.2'));
    await expect.poll(() => noetl.validations).toBe(2);
    noetl.release();
    expect(await Promise.all(junk)).toEqual(junk.map(() => null));
    const sessions = await Promise.all(good);
    expect(sessions.every((session) => session?.user.user_id === 7)).toBe(true);
    expect(noetl.validations).toBe(2);
  });

  test('a caller that joined a lookup refused for another address gets its own answer', async () => {
    const { noetl, resolver } = setUp({ failedValidationsPerMinute: 1 });
    await resolver.resolve('junk-a', '10.0.0.1'); // 10.0.0.1 is now at its limit
    const [limited, other] = await Promise.allSettled([
      resolver.resolve('junk-shared', '10.0.0.1'),
      resolver.resolve('junk-shared', '10.0.0.2'),
    ]);
    expect(limited.status === 'rejected' && limited.reason).toBeInstanceOf(TooManyFailedValidationsError);
    expect(other).toEqual({ status: 'fulfilled', value: null });
    expect(noetl.validations).toBe(2);
  });
});

describe('failed validations per client address', () => {
  test('past the limit: 429 with Retry-After, for that address only, until the window frees a slot', async () => {
    const { noetl, clock, resolver, outcomes } = setUp({ failedValidationsPerMinute: 3 });
    const session = await resolver.resolve('good-known', '10.0.0.1');
    for (const token of ['j1', 'j2', 'j3']) expect(await resolver.resolve(token, '10.0.0.1')).toBeNull();
    clock.now += 10_000;
    const error = await rejection(resolver.resolve('j4', '10.0.0.1'));
    expect(error).toBeInstanceOf(TooManyFailedValidationsError);
    expect(error).toMatchObject({ kind: 'too_many_requests', retryAfterSecs: 50 });
    expect((error as Error).message).toMatch(/too many invalid session tokens/i);
    expect(outcomes.at(-1)).toBe('rate_limited');
    expect(noetl.validations).toBe(4);

    // What costs no validation still works: a cached session, a known-invalid token.
    expect(await resolver.resolve('good-known', '10.0.0.1')).toEqual(session);
    expect(await resolver.resolve('j1', '10.0.0.1')).toBeNull();
    // Other addresses are not affected; callers without an address (internal) neither.
    expect(await resolver.resolve('j5', '10.0.0.2')).toBeNull();
    expect(await resolver.resolve('j6')).toBeNull();

    clock.now += 50_000;
    expect(await resolver.resolve('j4', '10.0.0.1')).toBeNull();
    expect(noetl.validations).toBe(7);
  });

  test('valid tokens never count', async () => {
    const { noetl, resolver } = setUp({ failedValidationsPerMinute: 2, memoryCacheMs: 0 });
    for (let i = 0; i < 10; i++) expect(await resolver.resolve(`good-${i}`, '10.0.0.1')).not.toBeNull();
    expect(noetl.validations).toBe(10);
  });

  test('a concurrent burst of junk tokens starts no more validations than the limit', async () => {
    const { noetl, resolver } = setUp({ failedValidationsPerMinute: 5 });
    noetl.holding = true;
    const burst = Array.from({ length: 20 }, (_, i) => resolver.resolve(`junk-${i}`, '192.0.2.7'));
    await expect.poll(() => noetl.validations).toBe(5);
    noetl.release();
    const settled = await Promise.allSettled(burst);
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    const refused = settled.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(15);
    for (const result of refused)
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TooManyFailedValidationsError);
    expect(noetl.validations).toBe(5);
  });

  test('IPv6 addresses count per /64; IPv4-mapped addresses as IPv4; 0 turns the limit off', async () => {
    const { resolver } = setUp({ failedValidationsPerMinute: 1 });
    await resolver.resolve('j1', '2001:db8:1:2::1');
    await expect(resolver.resolve('j2', '2001:db8:1:2:ffff::9')).rejects.toBeInstanceOf(
      TooManyFailedValidationsError,
    );
    expect(await resolver.resolve('j3', '2001:db8:1:3::1')).toBeNull();
    await resolver.resolve('j4', '::ffff:198.51.100.4');
    await expect(resolver.resolve('j5', '198.51.100.4')).rejects.toBeInstanceOf(
      TooManyFailedValidationsError,
    );

    const unlimited = setUp({ failedValidationsPerMinute: 0 }).resolver;
    for (let i = 0; i < 50; i++) expect(await unlimited.resolve(`junk-${i}`, '10.0.0.1')).toBeNull();
  });

  test('an address given as a getter is read only past the memory cache, and limits as a string', async () => {
    const { noetl, resolver } = setUp({ failedValidationsPerMinute: 1 });
    let reads = 0;
    const address = () => {
      reads++;
      return '10.0.0.9';
    };
    const session = await resolver.resolve('good-lazy', address);
    expect(reads).toBe(1);
    // A session in the memory cache: no lookup, the address is not read.
    expect(await resolver.resolve('good-lazy', address)).toEqual(session);
    expect(await resolver.resolve('good-lazy', address)).toEqual(session);
    expect(reads).toBe(1);
    expect(await resolver.resolve('junk-lazy', address)).toBeNull();
    expect(reads).toBe(2);
    // The failed validation counted against the address the getter gave.
    await expect(resolver.resolve('junk-other', '10.0.0.9')).rejects.toBeInstanceOf(
      TooManyFailedValidationsError,
    );
    await expect(resolver.resolve('junk-other', address)).rejects.toBeInstanceOf(
      TooManyFailedValidationsError,
    );
    expect(await resolver.resolve('junk-other', '10.0.0.10')).toBeNull();
    expect(noetl.validations).toBe(3);
  });

  test('clientKey', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('2001:DB8:0:0:1::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });
});
