/**
 * @module core/ingress/jose
 * jose, loaded on first use: a gateway whose listeners never verify an OIDC token (or whose ingress is
 * off) does not pay for it at start (~25 ms, ~0.9 MB of heap here).
 */
let loaded: Promise<typeof import('jose')> | undefined;

export function jose(): Promise<typeof import('jose')> {
  loaded ??= import('jose');
  return loaded;
}
