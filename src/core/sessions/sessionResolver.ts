/**
 * @module core/sessions/sessionResolver
 * Resolves a session token to a user: a short in-process cache, then the shared `sessions` K/V bucket,
 * then NoETL (the validate playbook, or the validate endpoint). `expires_at` is checked on every read.
 * NoETL is the source of truth: a cached entry that is expired or inactive is asked about again.
 */
import type { KeyValueBucket, NoetlApi } from '../../adapters/ports.ts';
import { CachedSession, NoetlValidateResponse, Roles, type User, UserId } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';
import { type ValidatedSession, validateOutcome } from '../auth/authOutcomes.ts';
import type { AuthPlaybookRunner } from '../auth/authPlaybookRunner.ts';
import { GatewayError } from '../errors.ts';
import { isExpired, parseExpiry } from './expiry.ts';

export interface Session {
  token: string;
  user: User;
  expiresAt: string;
}

export type SessionLookupOutcome = 'ok' | 'invalid_or_expired' | 'validation_error' | 'bypass';

export interface SessionResolverOptions {
  bucket: KeyValueBucket;
  noetl: NoetlApi;
  runner: AuthPlaybookRunner;
  validation: 'playbook' | 'endpoint';
  validatePlaybookPath: string;
  dbCredential: string;
  memoryCacheMs: number;
  memoryCacheMaxEntries: number;
  bypass: boolean;
  now?: () => number;
  onLookup?: (outcome: SessionLookupOutcome) => void;
  onCacheWriteFailed?: (stage: 'after_login' | 'after_api_validate', error: unknown) => void;
}

const BYPASS_USER: User = { user_id: 0, email: 'dev@localhost', display_name: 'Dev User', roles: [] };

export class SessionResolver {
  readonly #options: SessionResolverOptions;
  readonly #memory = new Map<string, { session: Session; until: number }>();
  readonly #now: () => number;

  constructor(options: SessionResolverOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The session of `token`, or null when it is unknown, inactive or expired. Throws 502 when NoETL fails. */
  async resolve(token: string, _clientIp?: string): Promise<Session | null> {
    if (this.#options.bypass) {
      this.#options.onLookup?.('bypass');
      return { token, user: BYPASS_USER, expiresAt: '' };
    }
    try {
      const session =
        (this.#fromMemory(token) ?? (await this.#fromBucket(token))) || (await this.#fromNoetl(token));
      this.#options.onLookup?.(session ? 'ok' : 'invalid_or_expired');
      return session;
    } catch (error) {
      this.#options.onLookup?.('validation_error');
      throw error;
    }
  }

  /** Records a session that login just created, in the bucket and in memory. */
  async remember(
    session: Session,
    stage: 'after_login' | 'after_api_validate' = 'after_login',
  ): Promise<void> {
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

  async #fromNoetl(token: string): Promise<Session | null> {
    const validated =
      this.#options.validation === 'playbook'
        ? await this.#validateByPlaybook(token)
        : await this.#validateByEndpoint(token);
    if (!validated || isExpired(validated.expiresAt, this.#now())) {
      await this.forget(token);
      return null;
    }
    const session: Session = { token, user: validated.user, expiresAt: validated.expiresAt };
    await this.remember(session, 'after_api_validate');
    return session;
  }

  async #validateByPlaybook(token: string): Promise<ValidatedSession | null> {
    const callback = await this.#options.runner.run(
      { id: 'validate_session', label: 'Validate session' },
      this.#options.validatePlaybookPath,
      { session_token: token, db_credential: this.#options.dbCredential },
    );
    return validateOutcome(callback.status, callback.data);
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
