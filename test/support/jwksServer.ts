/**
 * @module test/support/jwksServer
 * A stand-in for Google's OIDC signing-key endpoint (a JSON Web Key Set over HTTP) and the Pub/Sub push
 * tokens signed with its keys: RSA keys generated per test run, RS256 tokens minted with the claims a
 * Pub/Sub push subscription's token carries (`iss`, `aud`, `email`, `email_verified`, `iat`, `exp`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export interface PushClaims {
  iss?: string;
  aud?: string | string[];
  email?: string;
  email_verified?: boolean;
  /** Seconds from now (negative: in the past). Default 3600. */
  expiresIn?: number;
  /** Leave `exp` out. */
  noExp?: boolean;
}

/** An RS256 token as a Pub/Sub push subscription sends it (kid in the header). */
export function pushToken(
  key: SigningKey,
  claims: PushClaims,
  header: { kid?: string | null } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: claims.iss ?? 'https://accounts.google.com',
    aud: claims.aud,
    email: claims.email,
    email_verified: claims.email_verified ?? true,
    iat: now,
    sub: '110000000000000000001',
  };
  if (!claims.noExp) payload.exp = now + (claims.expiresIn ?? 3600);
  const kid = header.kid === null ? undefined : (header.kid ?? key.kid);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) })
    .sign(key.privateKey);
}

export class JwksServer {
  /** Served at `/certs`; `/down` always answers 503. */
  keys: JWK[] = [];
  fetches = 0;
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      if (req.url === '/certs') {
        this.fetches++;
        const body = JSON.stringify({ keys: this.keys });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"unavailable"}');
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
