/**
 * @module core/sessions/sessionResolver
 * Resolves a session token to a user: a short in-process cache, then the shared `sessions` K/V bucket,
 * then NoETL (the validate playbook, or the validate endpoint). `expires_at` is checked on every read.
 * NoETL is the source of truth: a cached entry that is expired or inactive is asked about again.
 *
 * Made-up tokens are cheap to send and each would start a NoETL validation, so: a token NoETL found
 * invalid is remembered (by hash, bounded, for `negativeCacheMs`) and answered without asking again;
 * concurrent resolves of one token share one lookup (single flight); and a client address whose tokens
 * failed validation `failedValidationsPerMinute` times in a minute (validations in flight included) gets
 * 429 instead of more validations, until the window frees a slot.
 */
import type { KeyValueBucket, NoetlApi } from '../../adapters/ports.ts';
import { CachedSession, NoetlValidateResponse, Roles, type User, UserId } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';
import { type ValidatedSession, validateOutcome } from '../auth/authOutcomes.ts';
import type { AuthPlaybookRunner } from '../auth/authPlaybookRunner.ts';
import { GatewayError } from '../errors.ts';
import { isExpired, parseExpiry } from './expiry.ts';
import { sessionKey } from './sessionKey.ts';
import { FailureLimiter, NegativeCache, TooManyFailedValidationsError } from './validationGuard.ts';

export { TooManyFailedValidationsError } from './validationGuard.ts';

export interface Session {
  token: string;
  user: User;
  expiresAt: string;
}

export type SessionLookupOutcome =
  | 'ok'
  | 'invalid_or_expired'
  | 'validation_error'
  | 'bypass'
  /** Refused with 429: the caller's address sent too many invalid tokens. */
  | 'rate_limited';

export interface SessionResolverOptions {
  bucket: KeyValueBucket;
  noetl: NoetlApi;
  runner: AuthPlaybookRunner;
  validation: 'playbook' | 'endpoint';
  validatePlaybookPath: string;
  dbCredential: string;
  memoryCacheMs: number;
  memoryCacheMaxEntries: number;
  /** How long a token NoETL found invalid (or expired) is answered as such without asking again; 0: off. Default 60 s. */
  negativeCacheMs?: number;
  /** Bound of that cache (the oldest entries go first). Default 10,000. */
  negativeCacheMaxEntries?: number;
  /** Failed validations (in flight included) one client address may cause per minute; 0: no limit. Default 30. */
  failedValidationsPerMinute?: number;
  /** Client addresses tracked for that limit (the least recently seen go first). Default 10,000. */
  failureTrackedClients?: number;
  bypass: boolean;
  now?: () => number;
  onLookup?: (outcome: SessionLookupOutcome) => void;
  onCacheWriteFailed?: (stage: 'after_login' | 'after_api_validate', error: unknown) => void;
}

/**
 * The caller's address, or how to read it. A getter is read only when the token is not in the memory
 * cache (a lookup that may end in a failed validation, counted per address): reading a socket's address
 * makes Node keep a copy of it for the connection's lifetime, which every held `/events` stream would pay.
 * It is read before the lookup's first await, in the turn the request is handled in: a socket closed
 * later has no address, and a client must not escape the limit by hanging up while its token is looked up.
 */
export type ClientAddress = string | (() => string | undefined) | undefined;

const BYPASS_USER: User = { user_id: 0, email: 'dev@localhost', display_name: 'Dev User', roles: [] };

export class SessionResolver {
  readonly #options: SessionResolverOptions;
  readonly #memory = new Map<string, { session: Session; until: number }>();
  readonly #now: () => number;
  /** Hashes of tokens NoETL found invalid or expired. */
  readonly #invalid: NegativeCache;
  readonly #failures: FailureLimiter;
  /** Lookups (bucket, then NoETL) in progress, by token hash: concurrent resolves share one. */
  readonly #inFlight = new Map<string, Promise<Session | null>>();

  constructor(options: SessionResolverOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#invalid = new NegativeCache({
      ttlMs: options.negativeCacheMs ?? 60_000,
      maxEntries: options.negativeCacheMaxEntries ?? 10_000,
      now: this.#now,
    });
    this.#failures = new FailureLimiter({
      perMinute: options.failedValidationsPerMinute ?? 30,
      maxClients: options.failureTrackedClients ?? 10_000,
      now: this.#now,
    });
  }

  /**
   * The session of `token`, or null when it is unknown, inactive or expired. Throws 502 when NoETL fails,
   * and TooManyFailedValidationsError (429) when `clientIp` (the caller's address) sent too many tokens
   * that failed validation and this one would need another.
   */
  async resolve(token: string, clientIp?: ClientAddress): Promise<Session | null> {
    if (this.#options.bypass) {
      this.#options.onLookup?.('bypass');
      return { token, user: BYPASS_USER, expiresAt: '' };
    }
    try {
      const session =
        this.#fromMemory(token) ??
        (await this.#lookUp(token, typeof clientIp === 'function' ? clientIp() : clientIp, true));
      this.#options.onLookup?.(session ? 'ok' : 'invalid_or_expired');
      return session;
    } catch (error) {
      this.#options.onLookup?.(
        error instanceof TooManyFailedValidationsError ? 'rate_limited' : 'validation_error',
      );
      throw error;
    }
  }

  /** Behind the memory cache: known-invalid tokens, then one shared lookup per token. */
  async #lookUp(token: string, clientIp: string | undefined, mayRetry: boolean): Promise<Session | null> {
    const key = sessionKey(token);
    if (this.#invalid.has(key)) return null;
    const running = this.#inFlight.get(key);
    if (running) {
      try {
        return await running;
      } catch (error) {
        // The lookup joined was refused for its starter's address, not necessarily for this caller's.
        if (error instanceof TooManyFailedValidationsError && mayRetry) {
          if (this.#inFlight.get(key) === running) this.#inFlight.delete(key);
          return this.#lookUp(token, clientIp, false);
        }
        throw error;
      }
    }
    const lookup = this.#bucketThenNoetl(token, key, clientIp);
    this.#inFlight.set(key, lookup);
    try {
      return await lookup;
    } finally {
      if (this.#inFlight.get(key) === lookup) this.#inFlight.delete(key);
    }
  }

  async #bucketThenNoetl(token: string, key: string, clientIp: string | undefined): Promise<Session | null> {
    const cached = await this.#fromBucket(token);
    if (cached) return cached;
    const ticket = this.#failures.begin(clientIp);
    let outcome: { session: Session | null; definitive: boolean };
    try {
      outcome = await this.#fromNoetl(token);
    } catch (error) {
      ticket.release();
      throw error;
    }
    if (outcome.session) {
      ticket.release();
    } else {
      ticket.failed();
      // A playbook that failed said nothing about the token: ask again next time.
      if (outcome.definitive) this.#invalid.add(key);
    }
    return outcome.session;
  }

  /** Records a session that login just created, in the bucket and in memory. */
  async remember(
    session: Session,
    stage: 'after_login' | 'after_api_validate' = 'after_login',
  ): Promise<void> {
    this.#invalid.delete(sessionKey(session.token));
    this.#rememberInMemory(session);
    const record: CachedSession = {
      session_token: session.token,
      user_id: session.user.user_id,
      email: session.user.email,
      display_name: session.user.display_name,
      expires_at: session.expiresAt,
      is_active: true,
      roles: session.user.roles,
    };
    try {
      await this.#options.bucket.put(session.token, JSON.stringify(record));
    } catch (error) {
      this.#options.onCacheWriteFailed?.(stage, error);
    }
  }

  async forget(token: string): Promise<void> {
    this.#memory.delete(token);
    await this.#options.bucket.delete(token).catch(() => {});
  }

  #fromMemory(token: string): Session | undefined {
    const hit = this.#memory.get(token);
    if (!hit) return undefined;
    // `until` is already capped at the session's expiry (see #rememberInMemory): no re-parse per hit.
    if (hit.until <= this.#now()) {
      this.#memory.delete(token);
      return undefined;
    }
    return hit.session;
  }

  async #fromBucket(token: string): Promise<Session | undefined> {
    let raw: string | null;
    try {
      raw = await this.#options.bucket.get(token);
    } catch {
      return undefined; // K/V trouble is a cache miss, never a failed request
    }
    if (!raw) return undefined;
    let parsed: ReturnType<typeof CachedSession.safeParse>;
    try {
      parsed = CachedSession.safeParse(parseJsonLossless(raw));
    } catch {
      return undefined;
    }
    if (!parsed.success || !parsed.data.is_active || isExpired(parsed.data.expires_at, this.#now()))
      return undefined;
    const { data } = parsed;
    const session: Session = {
      token,
      user: { user_id: data.user_id, email: data.email, display_name: data.display_name, roles: data.roles },
      expiresAt: data.expires_at,
    };
    this.#rememberInMemory(session);
    return session;
  }

  /** NoETL's answer; `definitive` is false when the validate playbook failed instead of answering. */
  async #fromNoetl(token: string): Promise<{ session: Session | null; definitive: boolean }> {
    const { validated, definitive } =
      this.#options.validation === 'playbook'
        ? await this.#validateByPlaybook(token)
        : { validated: await this.#validateByEndpoint(token), definitive: true };
    if (!validated || isExpired(validated.expiresAt, this.#now())) {
      await this.forget(token);
      return { session: null, definitive };
    }
    const session: Session = { token, user: validated.user, expiresAt: validated.expiresAt };
    await this.remember(session, 'after_api_validate');
    return { session, definitive: true };
  }

  async #validateByPlaybook(
    token: string,
  ): Promise<{ validated: ValidatedSession | null; definitive: boolean }> {
    const callback = await this.#options.runner.run(
      { id: 'validate_session', label: 'Validate session' },
      this.#options.validatePlaybookPath,
      { session_token: token, db_credential: this.#options.dbCredential },
    );
    return {
      validated: validateOutcome(callback.status, callback.data),
      definitive: callback.status === 'success',
    };
  }

  async #validateByEndpoint(token: string): Promise<ValidatedSession | null> {
    const prefix = 'Session validation API failed';
    let response: Awaited<ReturnType<NoetlApi['post']>>;
    try {
      response = await this.#options.noetl.post('/api/auth/session/validate', {
        session_token: token,
        credential: this.#options.dbCredential,
      });
    } catch (error) {
      throw new GatewayError('bad_gateway', `${prefix}: ${(error as Error).message}`, { cause: error });
    }
    if (response.status < 200 || response.status >= 300) {
      throw new GatewayError(
        'bad_gateway',
        `${prefix}: Validate session API request failed: ${response.status} ${response.statusText} - ${response.text.slice(0, 500)}`,
      );
    }
    const parsed = NoetlValidateResponse.safeParse(response.body);
    if (!parsed.success) throw new GatewayError('bad_gateway', `${prefix}: unreadable validate response`);
    const body = parsed.data;
    if (body.status !== 'ok') {
      throw new GatewayError(
        'bad_gateway',
        `${prefix}: Validate session API error: ${body.error ?? 'unknown auth session validation error'}`,
      );
    }
    if (!body.valid) return null;
    if (!body.user) throw new GatewayError('bad_gateway', `${prefix}: valid session without user`);
    const userId = UserId.safeParse(body.user.user_id);
    return {
      user: {
        user_id: userId.success ? userId.data : 0,
        email: body.user.email,
        display_name: body.user.display_name?.trim() ? body.user.display_name : body.user.email,
        roles: Roles.parse(body.user.roles),
      },
      expiresAt: body.expires_at ?? '',
    };
  }

  #rememberInMemory(session: Session): void {
    if (this.#options.memoryCacheMs <= 0) return;
    const expiry = parseExpiry(session.expiresAt);
    const until = Math.min(this.#now() + this.#options.memoryCacheMs, expiry ?? Number.POSITIVE_INFINITY);
    this.#memory.delete(session.token);
    this.#memory.set(session.token, { session, until });
    if (this.#memory.size > this.#options.memoryCacheMaxEntries) {
      const oldest = this.#memory.keys().next().value;
      if (oldest !== undefined) this.#memory.delete(oldest);
    }
  }
}
