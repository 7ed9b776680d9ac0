/**
 * @module core/ingress/createIngressService
 * Push ingress assembled from its settings: the listener configs from NoETL, the JWKS and the OIDC
 * verifier, the service. Built only when NOETL_INTERNAL_API_TOKEN is set (ingress is off otherwise).
 */
import type { NoetlApi } from '../../adapters/ports.ts';
import { IngressService, type IngressServiceOptions } from './ingressService.ts';
import { JwksKeys } from './jwksKeys.ts';
import { ListenerConfigs, type ListenerConfigsOptions } from './listenerConfigs.ts';
import { PubsubOidc } from './pubsubOidc.ts';

export interface IngressSettings {
  noetl: NoetlApi;
  /** NOETL_INTERNAL_API_TOKEN: the bearer of the listener-config lookups. */
  token: string;
  configCacheSecs: number;
  timeoutSecs: number;
  jwksUrl: string;
  jwksCacheSecs: number;
  oidcIssuers: readonly string[];
  oidcLeewaySecs: number;
  maxJsonDepth: number;
  refuseAuthPlaybook: (path: string) => void;
  onLookupFailed?: ListenerConfigsOptions['onLookupFailed'];
  onDispatchFailed?: IngressServiceOptions['onDispatchFailed'];
  onDirectivesIgnored?: IngressServiceOptions['onDirectivesIgnored'];
  onAuditFailed?: IngressServiceOptions['onAuditFailed'];
}

export function createIngressService(settings: IngressSettings): IngressService {
  const timeoutMs = settings.timeoutSecs * 1000;
  return new IngressService({
    configs: new ListenerConfigs({
      noetl: settings.noetl,
      token: settings.token,
      cacheMs: settings.configCacheSecs * 1000,
      timeoutMs,
      onLookupFailed: settings.onLookupFailed,
    }),
    oidc: new PubsubOidc({
      keys: new JwksKeys({ url: settings.jwksUrl, cacheMs: settings.jwksCacheSecs * 1000, timeoutMs }),
      issuers: settings.oidcIssuers,
      leewaySecs: settings.oidcLeewaySecs,
    }),
    noetl: settings.noetl,
    timeoutMs,
    maxJsonDepth: settings.maxJsonDepth,
    refuseAuthPlaybook: settings.refuseAuthPlaybook,
    onDispatchFailed: settings.onDispatchFailed,
    onDirectivesIgnored: settings.onDirectivesIgnored,
    onAuditFailed: settings.onAuditFailed,
  });
}
