/**
 * @module core/ingress/jwksKeys
 * The signing keys of Pub/Sub push tokens: a JSON Web Key Set (Google's by default) fetched on first use
 * and kept for `cacheMs` (1 h). A token naming a key the set lacks refetches it once — Google rotates its
 * keys — but at most once per `refetchCooldownMs`, so tokens with made-up key ids cannot hammer the JWKS.
 * A set that cannot be fetched is a 502 (`jwks_error`); a key that cannot be imported a 403 (`oidc_bad_key`).
 */

import { IngressRejection, rejectWithDetail } from './ingressRejection.ts';
import { jose } from './jose.ts';

export interface JwksKeysOptions {
  url: string;
  cacheMs: number;
  timeoutMs: number;
  /** Least time between two fetches caused by an unknown key id (default 30 s). */
  refetchCooldownMs?: number;
  now?: () => number;
}

interface RsaJwk {
  kid: string;
  n: string;
  e: string;
}

const isRsaJwk = (key: unknown): key is RsaJwk =>
  typeof key === 'object' &&
  key !== null &&
  typeof (key as RsaJwk).kid === 'string' &&
  typeof (key as RsaJwk).n === 'string' &&
  typeof (key as RsaJwk).e === 'string';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Decodable components and a modulus of at least 2048 bits (what RS256 verification accepts). */
function usableRsaKey(jwk: RsaJwk): boolean {
  if (!BASE64URL.test(jwk.n) || !BASE64URL.test(jwk.e)) return false;
  const modulus = Buffer.from(jwk.n, 'base64url');
  const leadingZeros = modulus.findIndex((byte) => byte !== 0);
  return leadingZeros >= 0 && (modulus.length - leadingZeros) * 8 >= 2048;
}

export type VerificationKey = Awaited<ReturnType<typeof import('jose').importJWK>>;

export class JwksKeys {
  readonly #options: JwksKeysOptions;
  readonly #now: () => number;
  #keys = new Map<string, RsaJwk>();
  #imported = new Map<string, Promise<VerificationKey>>();
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;

  constructor(options: JwksKeysOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The key a token's `kid` names. */
  async key(kid: string): Promise<VerificationKey> {
    if (this.#now() - this.#fetchedAt >= this.#options.cacheMs) await this.#refresh();
    if (!this.#keys.has(kid) && this.#now() - this.#fetchedAt >= (this.#options.refetchCooldownMs ?? 30_000))
      await this.#refresh();
    const jwk = this.#keys.get(kid);
    if (!jwk) throw new IngressRejection('oidc_unknown_kid', `No signing key for kid '${kid}'`);
    let imported = this.#imported.get(kid);
    if (!imported) {
      imported = usableRsaKey(jwk)
        ? jose().then(({ importJWK }) => importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256' }, 'RS256'))
        : Promise.reject(new Error('not an RSA key of 2048 bits or more'));
      imported.catch(() => {}); // awaited below; a key nobody asks for again must not go unhandled
      this.#imported.set(kid, imported);
    }
    try {
      return await imported;
    } catch (error) {
      throw new IngressRejection(
        'oidc_bad_key',
        `The signing key '${kid}' is not a usable RSA key`,
        undefined,
        {
          cause: error,
        },
      );
    }
  }

  /** One fetch at a time; concurrent callers share it. */
  #refresh(): Promise<void> {
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch(): Promise<void> {
    let keys: unknown;
    try {
      const response = await fetch(this.#options.url, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
      keys = ((await response.json()) as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(keys)) throw new Error('JWKS has no "keys" list');
    } catch (error) {
      throw rejectWithDetail('jwks_error', 'could not fetch OIDC keys', error);
    }
    this.#keys = new Map(keys.filter(isRsaJwk).map((key) => [key.kid, key]));
    this.#imported = new Map();
    this.#fetchedAt = this.#now();
  }
}
