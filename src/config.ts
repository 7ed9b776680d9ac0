/**
 * @module config
 * Environment (and an optional GATEWAY_CONFIG file) → one validated, typed configuration.
 * Every setting is one row of SETTINGS: its file key, its env var(s), its default and its meaning.
 * The environment always wins over the file. A bad value stops the start with a message naming it.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type * as Toml from 'smol-toml';
import type * as Yaml from 'yaml';
import { z } from 'zod';
import type { OwnerMatch } from './core/subscriptions/ownershipRule.ts';
import { compileSubscriptionRules } from './core/subscriptions/subscriptionRules.ts';
import type { TracingSampler } from './observability/tracing.ts';

const bool = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off', ''].includes(text)) return false;
  ctx.addIssue({ code: 'custom', message: `expected true/false, got "${value}"` });
  return z.NEVER;
});
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const text = z.string().trim().min(1);
const url = z
  .string()
  .trim()
  .url()
  .transform((value) => value.replace(/\/+$/, ''));
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean),
  );
/**
 * `key=value,key2=value2` (OTLP headers, resource attributes): keys trimmed, values percent-decoded
 * (the OpenTelemetry environment format). Unset or empty: no pairs.
 */
const keyValues = z
  .union([z.record(z.string(), z.string()), z.string()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return {};
    if (typeof value !== 'string') return value;
    const pairs: Record<string, string> = {};
    for (const item of value.split(',')) {
      if (!item.trim()) continue;
      const at = item.indexOf('=');
      const key = at > 0 ? item.slice(0, at).trim() : '';
      if (!key) {
        // The item is not echoed: it may hold a credential.
        ctx.addIssue({ code: 'custom', message: 'expected comma-separated key=value pairs' });
        return z.NEVER;
      }
      try {
        pairs[key] = decodeURIComponent(item.slice(at + 1).trim());
      } catch {
        ctx.addIssue({ code: 'custom', message: `the value of ${key} is not valid percent-encoding` });
        return z.NEVER;
      }
    }
    return pairs;
  });
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));
/**
 * A TCP address as v3.x writes it: `host:port` (`[::1]:9107` for IPv6; an `http://` or `tcp://` in front is
 * tolerated). Unset or blank: undefined.
 */
const hostPort = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const trimmed = value?.trim();
    if (!trimmed) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `tcp://${trimmed}`);
    } catch {
      parsed = undefined;
    }
    const port = Number(parsed?.port);
    if (!parsed?.hostname || !Number.isInteger(port) || port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: 'expected host:port, e.g. ehdb-writer-0:9107' });
      return z.NEVER;
    }
    return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  });
/**
 * `[[noetl.shards]]` entries (`shard_index`, `base_url`) or, from the env, base URLs in shard order.
 * Becomes the base URLs indexed by shard; the indices must cover 0..N-1 exactly once.
 */
const shards = z
  .preprocess(
    (value) =>
      value === undefined
        ? []
        : typeof value === 'string'
          ? value
              .split(',')
              .map((item) => item.trim())
              .filter(Boolean)
              .map((base_url, shard_index) => ({ shard_index, base_url }))
          : value,
    z.array(z.object({ shard_index: int(0, 1023), base_url: url })),
  )
  .transform((entries, ctx) => {
    const byIndex: string[] = [];
    for (const { shard_index, base_url } of entries) {
      if (byIndex[shard_index] !== undefined)
        ctx.addIssue({ code: 'custom', message: `shard_index ${shard_index} appears more than once` });
      byIndex[shard_index] = base_url;
    }
    const missing = entries.map((_, index) => index).filter((index) => byIndex[index] === undefined);
    if (missing.length > 0 || byIndex.length !== entries.length)
      ctx.addIssue({
        code: 'custom',
        message: `shard_index values must cover 0..${entries.length - 1} exactly once (missing ${missing.join(', ') || 'none'}, highest ${byIndex.length - 1})`,
      });
    return byIndex;
  });

interface Setting {
  /** Dotted key in the GATEWAY_CONFIG file (the reference gateway's names). */
  key: string;
  /** The same setting's key in a v3.x config file, where the reference renamed it (`nats.*` → `kv.*`). */
  v3Key?: string;
  /** Environment variables, first set one wins. */
  env: string[];
  /**
   * The env names are one setting's names in the two reference generations (v2.11.x `NATS_*`, v3.x
   * `NOETL_KV_*`): either works, and both set to different values stop the start (no silent precedence).
   */
  renamed?: true;
  schema: z.ZodType;
  default?: unknown;
  doc: string;
  /** The value is a credential: a message about a bad value does not repeat it. */
  secret?: boolean;
}

const MiB = 1024 * 1024;

/** Every configuration setting. The README's configuration table is checked against this list. */
export const SETTINGS = [
  {
    key: 'server.port',
    env: ['ROUTER_PORT', 'GATEWAY_PORT'],
    schema: int(0, 65535),
    default: 8090,
    doc: 'HTTP port',
  },
  { key: 'server.bind', env: ['GATEWAY_BIND'], schema: text, default: '0.0.0.0', doc: 'Listen address' },
  {
    key: 'server.public_url',
    env: ['GATEWAY_PUBLIC_URL'],
    schema: url.optional(),
    default: undefined,
    doc: 'Base URL workers use to call back (`gateway_url` injected into workloads); default `http://gateway.gateway.svc.cluster.local:8090`',
  },
  {
    key: 'noetl.base_url',
    env: ['NOETL_BASE_URL'],
    schema: url,
    default: 'http://localhost:8082',
    doc: 'NoETL server base URL',
  },
  {
    key: 'noetl.timeout_secs',
    env: ['NOETL_TIMEOUT_SECS'],
    schema: int(1, 3600),
    default: 120,
    doc: 'Timeout of each call to NoETL (execute, rerun, validate, GraphQL proxyRequest)',
  },
  {
    key: 'noetl.shards',
    env: ['NOETL_SHARDS'],
    schema: shards,
    default: undefined,
    doc: 'Shard routing of `/noetl/executions/<id>`, `/noetl/vars/<id>` and `POST /noetl/events[/batch]`: `[[noetl.shards]]` with `shard_index`, `base_url` covering 0..N-1 (env: base URLs in shard order, comma-separated); empty: everything goes to `NOETL_BASE_URL`',
  },
  {
    key: 'proxy.max_body_bytes',
    env: ['GATEWAY_PROXY_MAX_BODY_BYTES'],
    schema: int(0, 4096 * MiB),
    default: 10 * MiB,
    doc: 'Largest request body `/noetl/*` forwards (413 past it; streamed, never buffered)',
  },
  {
    key: 'proxy.timeout_secs',
    env: ['GATEWAY_PROXY_TIMEOUT_SECS'],
    schema: int(1, 3600),
    default: 300,
    doc: '`/noetl/*`: longest wait for the upstream response headers (504 past it) and longest silence inside a response body (the connection is then closed)',
  },
  {
    key: 'nats.url',
    env: ['NATS_URL'],
    schema: optionalText,
    default: undefined,
    doc: 'NATS server (`nats://user:pass@host:4222`). Unset: embedded in-memory stores (one replica)',
  },
  {
    key: 'nats.username',
    env: ['NATS_USERNAME'],
    schema: optionalText,
    default: undefined,
    doc: 'NATS user (when not in the URL)',
  },
  {
    key: 'nats.password',
    env: ['NATS_PASSWORD'],
    schema: optionalText,
    default: undefined,
    doc: 'NATS password (when not in the URL)',
  },
  {
    key: 'nats.updates_subject_prefix',
    env: ['NATS_UPDATES_SUBJECT_PREFIX'],
    schema: text,
    default: 'playbooks.executions.',
    doc: 'Subject prefix of NoETL lifecycle events (with or without trailing dot); production: `noetl.events.`',
  },
  {
    key: 'nats.callback_subject_prefix',
    v3Key: 'kv.callback_subject_prefix',
    env: ['NATS_CALLBACK_SUBJECT_PREFIX', 'NOETL_KV_CALLBACK_ID_PREFIX'],
    renamed: true,
    schema: text,
    default: 'noetl.callbacks',
    doc: 'Prefix of the `callback_subject` given to auth playbooks (`<prefix>.<request_id>`); with NATS also the subjects a playbook may publish its result on',
  },
  {
    key: 'nats.lifecycle_events',
    env: ['GATEWAY_LIFECYCLE_EVENTS'],
    schema: list,
    default: ['step.exit', 'playbook.completed', 'playbook.failed', 'calendar.event.touched'],
    doc: 'Lifecycle event types forwarded as `playbook/state` frames (comma-separated)',
  },
  {
    key: 'nats.session_bucket',
    v3Key: 'kv.session_bucket',
    env: ['NATS_SESSION_BUCKET', 'NOETL_KV_SESSION_BUCKET'],
    renamed: true,
    schema: text,
    default: 'sessions',
    doc: 'K/V bucket of sessions (on EHDB with `NOETL_KV_ADDR`, else NATS, else memory)',
  },
  {
    key: 'nats.session_cache_ttl_secs',
    v3Key: 'kv.session_cache_ttl_secs',
    env: ['NATS_SESSION_CACHE_TTL_SECS', 'NOETL_KV_SESSION_TTL_SECS'],
    renamed: true,
    schema: int(1, 31_536_000),
    default: 300,
    doc: 'TTL of cached sessions: NATS bucket max age (when the gateway creates the bucket); on EHDB the `ttl_ms` of every write',
  },
  {
    key: 'nats.request_bucket',
    v3Key: 'kv.request_bucket',
    env: ['NATS_REQUEST_BUCKET', 'NOETL_KV_REQUEST_BUCKET'],
    renamed: true,
    schema: text,
    default: 'requests',
    doc: 'K/V bucket of pending requests (on EHDB with `NOETL_KV_ADDR`, else NATS, else memory)',
  },
  {
    key: 'nats.request_ttl_secs',
    v3Key: 'kv.request_ttl_secs',
    env: ['NATS_REQUEST_TTL_SECS', 'NOETL_KV_REQUEST_TTL_SECS'],
    renamed: true,
    schema: int(1, 31_536_000),
    default: 1800,
    doc: 'TTL of pending requests (on EHDB the `ttl_ms` of every write); also the frame replay window',
  },
  {
    key: 'nats.replicas',
    env: ['GATEWAY_NATS_REPLICAS'],
    schema: z.union([z.literal('auto'), int(1, 5)]),
    default: 'auto',
    doc: 'Replicas of every JetStream stream and K/V bucket the gateway uses (frame stream, `requests`, `sessions`, `gateway_*`), 1–5; created with it, existing ones brought to it. `auto`: 3 when the server is in a cluster advertising ≥ 3 nodes, as many as it advertises below that, 1 on a single server; `auto` never lowers an existing count (see Operations → NATS cluster)',
  },
  {
    key: 'nats.operation_timeout_ms',
    env: ['GATEWAY_NATS_OPERATION_TIMEOUT_MS'],
    schema: int(100, 60_000),
    default: 2000,
    doc: 'Deadline of every NATS store or bus operation; past it (or while NATS is unreachable) the caller gets 503 with `Retry-After`, never a hang or a 500',
  },
  {
    key: 'nats.ready_timeout_ms',
    env: ['GATEWAY_NATS_READY_TIMEOUT_MS'],
    schema: int(50, 10_000),
    default: 1000,
    doc: '`/ready`: each JetStream stream and bucket must answer one cheap request (stream info from its leader) within this; otherwise not ready',
  },
  {
    key: 'nats.frame_dedup_window_secs',
    env: ['GATEWAY_FRAME_DEDUP_WINDOW_SECS'],
    schema: int(1, 86_400),
    default: 120,
    doc: 'How long the frame stream remembers write ids (JetStream duplicate window, at most the request TTL): a terminal `playbook/state` goes out once per execution and client, and a retried callback is not stored twice, within this window',
  },
  {
    key: 'nats.frame_batch',
    env: ['GATEWAY_FRAME_BATCH'],
    schema: bool,
    default: true,
    doc: 'A result callback stores its terminal `playbook/state` and its `playbook/result` as one JetStream message (one round trip). `false`: two messages, readable by older gateway replicas that store one frame per message — set it while such replicas still run (rolling upgrade), then remove it',
  },
  {
    key: 'ehdb.kv_addr',
    env: ['NOETL_KV_ADDR'],
    schema: hostPort,
    default: undefined,
    doc: 'EHDB KV face (`host:port`, v3.x: the events writer’s `…:9107`): sessions and pending requests live there (TCP, length-prefixed JSON) instead of NATS K/V or memory; see [Compatibility → two generations](#two-reference-generations)',
  },
  {
    key: 'ehdb.event_feed_addr',
    env: ['NOETL_EVENT_FEED_ADDR'],
    schema: hostPort,
    default: undefined,
    doc: 'EHDB event feed (`host:port`, v3.x: the events writer’s `…:9105`): NoETL lifecycle events come from `GET /feed?shard=0&cursor=<n>` (SSE) instead of the NATS subjects',
  },
  {
    key: 'ehdb.kv_timeout_ms',
    env: ['GATEWAY_EHDB_KV_TIMEOUT_MS'],
    schema: int(100, 60_000),
    default: 2000,
    doc: 'Deadline of every EHDB KV call (a wait for the connection included); past it, or while the KV is unreachable, the caller gets 503 with `Retry-After`',
  },
  {
    key: 'ehdb.kv_max_in_flight',
    env: ['GATEWAY_EHDB_KV_MAX_IN_FLIGHT'],
    schema: int(1, 1_000_000),
    default: 10_000,
    doc: 'EHDB KV calls pipelined on the connection at once (a call past it gets 503)',
  },
  {
    key: 'ehdb.max_frame_bytes',
    env: ['GATEWAY_EHDB_MAX_FRAME_BYTES'],
    schema: int(1024, 1024 * MiB),
    default: 16 * MiB,
    doc: 'Largest EHDB KV answer (a larger one drops the connection) and largest event-feed record (a larger one is skipped, counted `malformed`)',
  },
  {
    key: 'cors.allowed_origins',
    env: ['CORS_ALLOWED_ORIGINS'],
    schema: list,
    default: ['http://localhost:8080', 'http://localhost:8090', 'http://localhost:3000'],
    doc: 'Comma-separated exact origins; `*` allows any origin (then without credentials)',
  },
  {
    key: 'cors.allow_credentials',
    env: ['CORS_ALLOW_CREDENTIALS'],
    schema: bool,
    default: true,
    doc: 'Send `Access-Control-Allow-Credentials: true` to allowed origins',
  },
  {
    key: 'auth_playbooks.login',
    env: ['AUTH_PLAYBOOK_LOGIN'],
    schema: text,
    default: 'api_integration/auth0/auth0_login',
    doc: 'Login playbook path',
  },
  {
    key: 'auth_playbooks.validate_session',
    env: ['AUTH_PLAYBOOK_VALIDATE_SESSION'],
    schema: text,
    default: 'api_integration/auth0/auth0_validate_session',
    doc: 'Session validation playbook path',
  },
  {
    key: 'auth_playbooks.check_access',
    env: ['AUTH_PLAYBOOK_CHECK_ACCESS'],
    schema: text,
    default: 'api_integration/auth0/check_playbook_access',
    doc: 'Access check playbook path',
  },
  {
    key: 'auth_playbooks.session_db_credential',
    env: ['AUTH_SESSION_DB_CREDENTIAL'],
    schema: text,
    default: 'pg_auth',
    doc: 'Credential name passed to the auth playbooks/endpoints',
  },
  {
    key: 'auth_playbooks.timeout_secs',
    env: ['AUTH_PLAYBOOK_TIMEOUT_SECS'],
    schema: int(1, 600),
    default: 12,
    doc: 'One deadline for a whole auth call (execute + callback); past it: 503 and cascade cancel',
  },
  {
    key: 'auth.validate_via_playbook',
    env: ['GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK'],
    schema: bool,
    default: true,
    doc: 'On a cache miss validate through the validate playbook (else `POST /api/auth/session/validate`)',
  },
  {
    key: 'auth.sync',
    env: ['NOETL_AUTH_SYNC'],
    schema: bool,
    default: false,
    doc: 'Login and validation through NoETL’s synchronous `/api/auth/*` endpoints',
  },
  {
    key: 'auth.authz_sync',
    env: ['NOETL_AUTHZ_SYNC'],
    schema: bool,
    default: false,
    doc: 'Check-access through `POST /api/auth/check-playbook-access`',
  },
  {
    key: 'auth.bypass',
    env: ['GATEWAY_AUTH_BYPASS'],
    schema: bool,
    default: false,
    doc: 'Development only: accept any token as user 0. Read once at start; refused unless NODE_ENV is `development`, `dev` or `test` (any case), or forced',
  },
  {
    key: 'auth.bypass_force',
    env: ['GATEWAY_AUTH_BYPASS_FORCE'],
    schema: bool,
    default: false,
    doc: 'Allow GATEWAY_AUTH_BYPASS whatever NODE_ENV says',
  },
  {
    key: 'auth.cookie_origin_check',
    env: ['GATEWAY_COOKIE_ORIGIN_CHECK'],
    schema: bool,
    default: true,
    doc: 'A state-changing request (not GET/HEAD/OPTIONS) authenticated by the `session_token` cookie alone needs an `Origin` (else a `Referer`) on `CORS_ALLOWED_ORIGINS` or of the gateway itself; else 403 (cross-site request forgery guard)',
  },
  {
    key: 'executions.subscribe_rule',
    env: ['GATEWAY_EXECUTION_SUBSCRIBE_RULE'],
    schema: z.enum(['owner', 'owner_or_access', 'any']),
    default: 'owner_or_access',
    doc: 'Which executions `POST /api/executions/subscribe` allows: `owner` those this session started through the gateway; `owner_or_access` also those NoETL shows the caller whose playbook check-access grants it `view`; `any` no check (403 otherwise)',
  },
  {
    key: 'auth.memory_cache_secs',
    env: ['GATEWAY_SESSION_MEMORY_CACHE_SECS'],
    schema: int(0, 3600),
    default: 30,
    doc: 'In-process session cache in front of the K/V bucket (0 disables it)',
  },
  {
    key: 'auth.negative_cache_secs',
    env: ['GATEWAY_AUTH_NEGATIVE_CACHE_SECS'],
    schema: int(0, 3600),
    default: 60,
    doc: 'How long a token NoETL found invalid is answered 401 without validating it again (0 disables it)',
  },
  {
    key: 'auth.negative_cache_max_entries',
    env: ['GATEWAY_AUTH_NEGATIVE_CACHE_MAX_ENTRIES'],
    schema: int(0, 10_000_000),
    default: 10_000,
    doc: 'Invalid tokens remembered (their hashes) per replica; the oldest go first',
  },
  {
    key: 'transport.heartbeat_interval_secs',
    env: ['GATEWAY_HEARTBEAT_INTERVAL_SECS'],
    schema: int(1, 3600),
    default: 30,
    doc: 'Interval of `ping` frames on /events',
  },
  {
    key: 'transport.keepalive_secs',
    env: ['GATEWAY_SSE_KEEPALIVE_SECS'],
    schema: int(1, 3600),
    default: 15,
    doc: 'Idle time before an SSE comment keep-alive',
  },
  {
    key: 'transport.retry_ms',
    env: ['GATEWAY_SSE_RETRY_MS'],
    schema: int(100, 600_000),
    default: 3000,
    doc: '`retry:` hint sent to SSE clients',
  },
  {
    key: 'limits.body_bytes',
    env: ['GATEWAY_MAX_BODY_BYTES'],
    schema: int(1024, 1024 * MiB),
    default: 2 * MiB,
    doc: 'Largest JSON request body (413 past it)',
  },
  {
    key: 'limits.json_depth',
    env: ['GATEWAY_MAX_JSON_DEPTH'],
    schema: int(1, 1000),
    default: 100,
    doc: 'Deepest nesting of arrays/objects in a JSON request body (400 past it)',
  },
  {
    key: 'limits.sse_buffer_bytes',
    env: ['GATEWAY_SSE_MAX_BUFFER_BYTES'],
    schema: int(1024, 1024 * MiB),
    default: 4 * MiB,
    doc: 'Unsent bytes a slow SSE client may accumulate before it is disconnected (it resumes from the log)',
  },
  {
    key: 'limits.frames_per_client',
    env: ['GATEWAY_MAX_FRAMES_PER_CLIENT'],
    schema: int(1, 1_000_000),
    default: 1000,
    doc: 'Frames kept per client for replay',
  },
  {
    key: 'limits.frame_memory_bytes',
    env: ['GATEWAY_FRAME_MEMORY_MAX_BYTES'],
    schema: int(1_048_576, Number.MAX_SAFE_INTEGER),
    default: 268_435_456,
    doc: 'Without NATS (embedded or EHDB mode): bytes of frames this replica keeps for replay, all clients together; past it the oldest frames go first (`noetl_gateway_frames_evicted_total`), so results cannot grow memory without bound',
  },
  {
    key: 'internal.api_token',
    env: ['NOETL_INTERNAL_API_TOKEN'],
    schema: optionalText,
    default: undefined,
    doc: 'As in v3.x: turns push ingress on (`POST /ingress/{listener}`; unset: 503) and is the bearer the gateway presents to NoETL’s internal API. `/api/internal/*` require it only with `GATEWAY_REQUIRE_INTERNAL_TOKEN`',
    secret: true,
  },
  {
    key: 'internal.require_token',
    env: ['GATEWAY_REQUIRE_INTERNAL_TOKEN'],
    schema: bool,
    default: false,
    doc: '`true`: `/api/internal/*` require `Authorization: Bearer <NOETL_INTERNAL_API_TOKEN>` (start refused without the token). Off, as in both reference generations: a warning at start when they are then open on the public listener (no `GATEWAY_INTERNAL_PORT`)',
  },
  {
    key: 'internal.port',
    env: ['GATEWAY_INTERNAL_PORT'],
    schema: int(1, 65535).optional(),
    default: undefined,
    doc: 'When set, `/api/internal/*` are served only on this port (keep it off the public load balancer)',
  },
  {
    key: 'limits.watches_per_client',
    env: ['GATEWAY_MAX_EXECUTION_SUBSCRIPTIONS_PER_CLIENT'],
    schema: int(1, 100_000),
    default: 100,
    doc: 'Executions one SSE client may subscribe to (429 past it)',
  },
  {
    key: 'limits.sse_per_session',
    env: ['GATEWAY_MAX_SSE_PER_SESSION'],
    schema: int(1, 10_000),
    default: 16,
    doc: 'Open /events streams per session (429 past it); with NATS across all replicas together (slots in K/V `gateway_sse_slots`)',
  },
  {
    key: 'limits.sse_slot_lease_secs',
    env: ['GATEWAY_SSE_SLOT_LEASE_SECS'],
    schema: int(3, 3600),
    default: 30,
    doc: 'NATS mode: a replica that stops without closing its streams frees their per-session slots this long after its last renewal (renewed every third of it)',
  },
  {
    key: 'limits.sse_total',
    env: ['GATEWAY_MAX_SSE_CONNECTIONS'],
    schema: int(1, 1_000_000),
    default: 20_000,
    doc: 'Open /events streams on one replica (429 past it)',
  },
  {
    key: 'limits.login_per_minute',
    env: ['GATEWAY_LOGIN_RATE_LIMIT_PER_MIN'],
    schema: int(1, 100_000),
    default: 30,
    doc: 'Login attempts per client IP and minute (429 past it)',
  },
  {
    key: 'limits.auth_failed_per_minute',
    env: ['GATEWAY_AUTH_FAILED_PER_MINUTE'],
    schema: int(0, 100_000),
    default: 30,
    doc: 'Session tokens failing validation per client IP (IPv6: per /64) and minute, validations in flight included; past it 429 instead of another validation (0: no limit)',
  },
  {
    key: 'limits.header_bytes',
    env: ['GATEWAY_MAX_HEADER_BYTES'],
    schema: int(1024, 1024 * 1024),
    default: 16_384,
    doc: 'Largest request header block (431 past it)',
  },
  {
    key: 'limits.headers_timeout_secs',
    env: ['GATEWAY_HEADERS_TIMEOUT_SECS'],
    schema: int(1, 3600),
    default: 20,
    doc: 'Time a client has to send its request headers (slowloris guard)',
  },
  {
    key: 'limits.request_timeout_secs',
    env: ['GATEWAY_REQUEST_TIMEOUT_SECS'],
    schema: int(1, 3600),
    default: 120,
    doc: 'Time a client has to send its whole request (not the response: SSE streams are unaffected)',
  },
  {
    key: 'limits.sse_drain_timeout_secs',
    env: ['GATEWAY_SSE_DRAIN_TIMEOUT_SECS'],
    schema: int(1, 3600),
    default: 30,
    doc: 'A stream whose client does not read for this long is closed (it resumes on reconnect)',
  },
  {
    key: 'server.shutdown_grace_secs',
    env: ['GATEWAY_SHUTDOWN_GRACE_SECS'],
    schema: int(0, 3600),
    default: 10,
    doc: 'On SIGTERM/SIGINT: time in-flight requests get to finish',
  },
  {
    key: 'server.trust_proxy',
    env: ['GATEWAY_TRUST_PROXY'],
    schema: int(0, 10),
    default: 0,
    doc: 'Reverse-proxy hops whose X-Forwarded-For is trusted for the client IP (0: use the socket address)',
  },
  {
    key: 'limits.pending_per_session',
    env: ['GATEWAY_MAX_PENDING_PER_SESSION'],
    schema: int(1, 1_000_000),
    default: 200,
    doc: 'Executions with a client_id one session may have waiting for their result (429 past it)',
  },
  {
    key: 'limits.pending_auth',
    env: ['GATEWAY_MAX_PENDING_AUTH'],
    schema: int(1, 1_000_000),
    default: 10_000,
    doc: 'Auth playbook calls waiting for their callback at once (503 past it)',
  },
  {
    key: 'graphql.max_batch',
    env: ['GATEWAY_GRAPHQL_MAX_BATCH'],
    schema: int(1, 1000),
    default: 20,
    doc: 'GraphQL requests in one batched `POST /graphql` (400 past it, nothing executed)',
  },
  {
    key: 'graphql.max_mutations',
    env: ['GATEWAY_GRAPHQL_MAX_MUTATIONS'],
    schema: int(1, 1000),
    default: 10,
    doc: 'Mutation fields (each starts an execution or a NoETL call) in one `POST /graphql`, all documents of a batch together, counted through aliases and fragments (400 past it, nothing executed)',
  },
  {
    key: 'graphql.max_depth',
    env: ['GATEWAY_GRAPHQL_MAX_DEPTH'],
    schema: int(1, 100),
    default: 10,
    doc: 'Nesting of fields in one GraphQL document, through fragments (400 past it); the SPAs’ mutations need 2, the standard introspection query 15',
  },
  {
    key: 'graphql.max_aliases',
    env: ['GATEWAY_GRAPHQL_MAX_ALIASES'],
    schema: int(0, 100_000),
    default: 50,
    doc: 'Aliased fields in one GraphQL document, counted through fragments (400 past it)',
  },
  {
    key: 'runtime.environment',
    env: ['NODE_ENV'],
    schema: text,
    default: 'development',
    doc: 'Only `development`, `dev` and `test` (any case) allow the auth bypass',
  },
  {
    key: 'log.level',
    env: ['LOG_LEVEL'],
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    doc: 'Log level',
  },
  {
    key: 'tracing.otlp_endpoint',
    env: ['OTEL_EXPORTER_OTLP_ENDPOINT'],
    schema: url.optional(),
    default: undefined,
    doc: 'OTLP/HTTP collector base URL (`/v1/traces` is appended), e.g. `http://otel-collector:4318`. Set: spans of requests and of calls to NoETL and NATS are exported; unset: no tracing SDK is loaded and an incoming `traceparent` is relayed to NoETL unchanged (see Operations → Tracing)',
  },
  {
    key: 'tracing.otlp_traces_endpoint',
    env: ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    schema: url.optional(),
    default: undefined,
    doc: 'Full OTLP/HTTP traces URL, used as is (wins over `OTEL_EXPORTER_OTLP_ENDPOINT`)',
  },
  {
    key: 'tracing.otlp_protocol',
    env: ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    schema: z.enum(['http/protobuf']),
    default: 'http/protobuf',
    doc: 'OTLP transport: only `http/protobuf` (the OTLP default; `grpc` and `http/json` are refused at start)',
  },
  {
    key: 'tracing.otlp_headers',
    env: ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'],
    schema: keyValues,
    default: undefined,
    secret: true,
    doc: 'Headers of each export request, `name=value` pairs, comma-separated, values URL-encoded (e.g. `authorization=Bearer%20…`); never logged',
  },
  {
    key: 'tracing.otlp_timeout_ms',
    env: ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'],
    schema: int(1, 600_000),
    default: 10_000,
    doc: 'Deadline of one export request (ms)',
  },
  {
    key: 'tracing.otlp_compression',
    env: ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'],
    schema: z.enum(['none', 'gzip']),
    default: 'none',
    doc: 'Compression of export requests',
  },
  {
    key: 'tracing.service_name',
    env: ['OTEL_SERVICE_NAME'],
    schema: text,
    default: 'noetl-gateway',
    doc: '`service.name` of the spans',
  },
  {
    key: 'tracing.resource_attributes',
    env: ['OTEL_RESOURCE_ATTRIBUTES'],
    schema: keyValues,
    default: undefined,
    doc: 'More resource attributes of the spans, `key=value` pairs, comma-separated (e.g. `deployment.environment.name=prod`)',
  },
  {
    key: 'tracing.sampler',
    env: ['OTEL_TRACES_SAMPLER'],
    schema: z.enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ]),
    default: 'parentbased_always_on',
    doc: 'Which traces are recorded: `parentbased_*` follows the caller’s sampled flag when a `traceparent` comes in. An unrecorded request still passes a `traceparent` on',
  },
  {
    key: 'tracing.sampler_arg',
    env: ['OTEL_TRACES_SAMPLER_ARG'],
    schema: z.coerce.number().min(0).max(1),
    default: 1,
    doc: 'Ratio of new traces recorded by the `*traceidratio` samplers (0–1)',
  },
  {
    key: 'tracing.batch_delay_ms',
    env: ['OTEL_BSP_SCHEDULE_DELAY'],
    schema: int(1, 3_600_000),
    default: 5000,
    doc: 'Spans are exported in a batch at least this often (ms)',
  },
  {
    key: 'tracing.batch_max_queue',
    env: ['OTEL_BSP_MAX_QUEUE_SIZE'],
    schema: int(1, 1_000_000),
    default: 2048,
    doc: 'Ended spans waiting for export; past it new spans are dropped (a slow collector never grows memory)',
  },
  {
    key: 'tracing.batch_max_export',
    env: ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'],
    schema: int(1, 1_000_000),
    default: 512,
    doc: 'Spans in one export request (at most `OTEL_BSP_MAX_QUEUE_SIZE`)',
  },
  {
    key: 'tracing.disabled',
    env: ['OTEL_SDK_DISABLED'],
    schema: bool,
    default: false,
    doc: '`true`: no spans even with an endpoint set (an incoming `traceparent` is still relayed)',
  },
  {
    key: 'auth0.domain',
    env: ['GATEWAY_AUTH0_DOMAIN'],
    schema: optionalText,
    default: undefined,
    doc: 'Published in `/api/runtime/contract` (informational)',
  },
  {
    key: 'auth0.client_id',
    env: ['GATEWAY_AUTH0_CLIENT_ID'],
    schema: optionalText,
    default: undefined,
    doc: 'Published in `/api/runtime/contract`',
  },
  {
    key: 'auth0.redirect_uri',
    env: ['GATEWAY_AUTH0_REDIRECT_URI'],
    schema: optionalText,
    default: undefined,
    doc: 'Published in `/api/runtime/contract`',
  },
  {
    key: 'auth0.audience',
    env: ['GATEWAY_AUTH0_AUDIENCE'],
    schema: optionalText,
    default: undefined,
    doc: 'Published in `/api/runtime/contract`',
  },
  {
    key: 'firestore.enabled',
    env: ['GATEWAY_FIRESTORE_ENABLED'],
    schema: bool.optional(),
    default: undefined,
    doc: 'Firestore subscriptions on or off; unset: on when a credentials path, a project id or an emulator host is set',
  },
  {
    key: 'firestore.credentials_path',
    env: ['GATEWAY_FIRESTORE_CREDENTIALS_PATH'],
    schema: optionalText,
    default: undefined,
    doc: 'Service-account key file for Firestore (must be readable at start); unset: application default credentials',
  },
  {
    key: 'firestore.project_id',
    env: ['GATEWAY_FIRESTORE_PROJECT_ID', 'GOOGLE_CLOUD_PROJECT'],
    schema: optionalText,
    default: undefined,
    doc: 'Firestore project; unset: from the key file or the environment',
  },
  {
    key: 'firestore.database_id',
    env: ['GATEWAY_FIRESTORE_DATABASE_ID'],
    schema: text,
    default: '(default)',
    doc: 'Firestore database',
  },
  {
    key: 'firestore.emulator_host',
    env: ['FIRESTORE_EMULATOR_HOST'],
    schema: optionalText,
    default: undefined,
    doc: '`host:port` of a Firestore emulator (plain text, no credentials; wins over the key file)',
  },
  {
    key: 'firestore.path_templates',
    env: ['GATEWAY_FIRESTORE_PATH_TEMPLATES'],
    schema: list,
    default: ['chat_threads/{thread_id}/trip/current/events'],
    doc: "Collections a client may watch (comma-separated); each `{name}` is one segment of A-Z, a-z, 0-9, '.', '_', '-' (never `.`/`..`)",
  },
  {
    key: 'firestore.owner_document',
    env: ['GATEWAY_FIRESTORE_OWNER_DOCUMENT'],
    schema: optionalText,
    default: undefined,
    doc: 'Ownership rule: document whose owner field must name the caller, from the path’s placeholders (e.g. `chat_threads/{thread_id}`); unset: shape check only (warning at start)',
  },
  {
    key: 'firestore.owner_field',
    env: ['GATEWAY_FIRESTORE_OWNER_FIELD'],
    schema: optionalText,
    default: undefined,
    doc: 'Ownership rule: field of the owner document (dotted for nested; an array matches when any element does)',
  },
  {
    key: 'firestore.owner_match',
    env: ['GATEWAY_FIRESTORE_OWNER_MATCH'],
    schema: z.enum(['user_id', 'email']),
    default: 'user_id',
    doc: 'Ownership rule: the owner field is compared with the session’s `user_id` or `email` (case-insensitive)',
  },
  {
    key: 'firestore.resume_window_secs',
    env: ['GATEWAY_FIRESTORE_RESUME_WINDOW_SECS'],
    schema: z.coerce.number().min(0).max(86_400),
    default: 60,
    doc: 'A client’s subscriptions stop when it has had no /events stream for this long',
  },
  {
    key: 'firestore.timeout_secs',
    env: ['GATEWAY_FIRESTORE_TIMEOUT_SECS'],
    schema: z.coerce.number().min(0.1).max(300),
    default: 10,
    doc: 'Deadline of the ownership read and of the reachability probe',
  },
  {
    key: 'firestore.probe_interval_secs',
    env: ['GATEWAY_FIRESTORE_PROBE_INTERVAL_SECS'],
    schema: z.coerce.number().min(0).max(3600),
    default: 30,
    doc: 'While listeners are open, one document read per interval detects an unreachable Firestore (0: off)',
  },
  {
    key: 'limits.firestore_subscriptions_per_client',
    env: ['GATEWAY_MAX_FIRESTORE_SUBSCRIPTIONS_PER_CLIENT'],
    schema: int(1, 10_000),
    default: 20,
    doc: 'Firestore subscriptions of one SSE client (429 past it)',
  },
  {
    key: 'limits.firestore_subscriptions',
    env: ['GATEWAY_MAX_FIRESTORE_SUBSCRIPTIONS'],
    schema: int(1, 1_000_000),
    default: 1000,
    doc: 'Firestore listeners on one replica (503 past it)',
  },
  {
    key: 'ingress.max_body_bytes',
    env: ['GATEWAY_INGRESS_MAX_BODY_BYTES'],
    schema: int(1024, 64 * MiB),
    default: 2 * MiB,
    doc: 'Largest body of a push delivery to `POST /ingress/{listener}` (413 past it)',
  },
  {
    key: 'ingress.rate_limit_per_minute',
    env: ['GATEWAY_INGRESS_RATE_LIMIT_PER_MIN'],
    schema: int(0, 1_000_000),
    default: 600,
    doc: 'Deliveries per listener and minute on one replica, rejected ones included (429 past it; 0: no limit)',
  },
  {
    key: 'ingress.config_cache_secs',
    env: ['GATEWAY_INGRESS_CONFIG_CACHE_SECS'],
    schema: int(0, 3600),
    default: 30,
    doc: 'How long a listener’s config from NoETL (`GET /api/internal/ingress/{listener}`), or its absence, is reused (0: asked per delivery)',
  },
  {
    key: 'ingress.timeout_secs',
    env: ['GATEWAY_INGRESS_TIMEOUT_SECS'],
    schema: int(1, 300),
    default: 30,
    doc: 'Deadline of each call push ingress makes: the listener config, the JWKS, the execute call, the audit event',
  },
  {
    key: 'ingress.jwks_url',
    env: ['GATEWAY_INGRESS_JWKS_URL'],
    schema: url,
    default: 'https://www.googleapis.com/oauth2/v3/certs',
    doc: 'Signing keys of `pubsub_oidc` tokens (Google’s JWKS)',
  },
  {
    key: 'ingress.jwks_cache_secs',
    env: ['GATEWAY_INGRESS_JWKS_CACHE_SECS'],
    schema: int(1, 86_400),
    default: 3600,
    doc: 'How long the JWKS is kept (a token naming an unknown key refetches it, at most every 30 s)',
  },
  {
    key: 'ingress.oidc_issuers',
    env: ['GATEWAY_INGRESS_OIDC_ISSUERS'],
    schema: list,
    default: ['https://accounts.google.com', 'accounts.google.com'],
    doc: 'Accepted `iss` of `pubsub_oidc` tokens (comma-separated)',
  },
  {
    key: 'ingress.oidc_leeway_secs',
    env: ['GATEWAY_INGRESS_OIDC_LEEWAY_SECS'],
    schema: int(0, 600),
    default: 60,
    doc: 'Clock skew allowed on the expiry of `pubsub_oidc` tokens',
  },
] as const satisfies readonly Setting[];

type SettingKey = (typeof SETTINGS)[number]['key'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function flatten(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into[prefix] = value;
  }
  return into;
}

/** The YAML and TOML parsers load only when a config file needs them (most deployments use the environment). */
const loadParser = createRequire(import.meta.url);

function readConfigFile(path: string): Record<string, unknown> {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`GATEWAY_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  const extension = extname(path).toLowerCase();
  try {
    if (extension === '.json' || (!extension && content.trimStart().startsWith('{')))
      return flatten(JSON.parse(content));
    if (extension === '.yaml' || extension === '.yml')
      return flatten((loadParser('yaml') as typeof Yaml).parse(content));
    if (extension === '.toml' || !extension)
      return flatten((loadParser('smol-toml') as typeof Toml).parse(content));
  } catch (error) {
    throw new ConfigError(`GATEWAY_CONFIG: cannot parse ${path}: ${(error as Error).message}`);
  }
  throw new ConfigError(
    `GATEWAY_CONFIG: unsupported file type "${extension}" (use .toml, .json, .yaml or .yml)`,
  );
}

function resolveSettings(env: NodeJS.ProcessEnv): Map<SettingKey, unknown> {
  const file = env.GATEWAY_CONFIG?.trim() ? readConfigFile(env.GATEWAY_CONFIG.trim()) : {};
  const values = new Map<SettingKey, unknown>();
  const problems: string[] = [];
  for (const setting of SETTINGS) {
    const envName = setting.env.find((name) => env[name] !== undefined && env[name] !== '');
    const v3Key = 'v3Key' in setting ? setting.v3Key : undefined;
    const fileKey = setting.key in file ? setting.key : v3Key && v3Key in file ? v3Key : undefined;
    if ('renamed' in setting) {
      const set = setting.env.filter((name) => env[name] !== undefined && env[name] !== '');
      if (set.length > 1 && new Set(set.map((name) => env[name]!.trim())).size > 1)
        problems.push(
          `${set.join(' and ')} are one setting (its v2.11.x and v3.x names) and are set to different values: set one`,
        );
    }
    const raw = envName ? env[envName] : fileKey ? file[fileKey] : setting.default;
    const source = envName ?? (fileKey ? `${fileKey} in GATEWAY_CONFIG` : undefined);
    const parsed = setting.schema.safeParse(raw);
    if (parsed.success) values.set(setting.key, parsed.data);
    else
      problems.push(
        `${source ?? setting.key}=${'secret' in setting && setting.secret ? '(value hidden)' : JSON.stringify(raw)}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
      );
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return values;
}

/** The NODE_ENV values (compared case-insensitively) under which GATEWAY_AUTH_BYPASS is allowed. */
const BYPASS_ENVIRONMENTS = new Set(['development', 'dev', 'test']);

export const DEFAULT_GATEWAY_URL = 'http://gateway.gateway.svc.cluster.local:8090';

/** Builds the typed configuration from the environment. Throws ConfigError naming every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const values = resolveSettings(env);
  const get = <T>(key: SettingKey) => values.get(key) as T;
  const updatesPrefix = get<string>('nats.updates_subject_prefix');
  const config = {
    server: {
      port: get<number>('server.port'),
      bind: get<string>('server.bind'),
      publicUrl: get<string | undefined>('server.public_url') ?? DEFAULT_GATEWAY_URL,
      shutdownGraceSecs: get<number>('server.shutdown_grace_secs'),
      trustProxy: get<number>('server.trust_proxy'),
    },
    noetl: {
      baseUrl: get<string>('noetl.base_url'),
      timeoutSecs: get<number>('noetl.timeout_secs'),
      /** Base URL of each shard, by shard index; empty: no shard routing. */
      shards: get<string[]>('noetl.shards'),
    },
    proxy: {
      maxBodyBytes: get<number>('proxy.max_body_bytes'),
      timeoutSecs: get<number>('proxy.timeout_secs'),
    },
    nats: {
      url: get<string | undefined>('nats.url'),
      username: get<string | undefined>('nats.username'),
      password: get<string | undefined>('nats.password'),
      /** Normalised: always ends with exactly one dot. */
      updatesSubjectPrefix: `${updatesPrefix.replace(/\.+$/, '')}.`,
      lifecycleEvents: get<string[]>('nats.lifecycle_events'),
      callbackSubjectPrefix: get<string>('nats.callback_subject_prefix').replace(/\.+$/, ''),
      sessionBucket: get<string>('nats.session_bucket'),
      sessionCacheTtlSecs: get<number>('nats.session_cache_ttl_secs'),
      requestBucket: get<string>('nats.request_bucket'),
      requestTtlSecs: get<number>('nats.request_ttl_secs'),
      replicas: get<number | 'auto'>('nats.replicas'),
      operationTimeoutMs: get<number>('nats.operation_timeout_ms'),
      readyTimeoutMs: get<number>('nats.ready_timeout_ms'),
      frameDedupWindowSecs: get<number>('nats.frame_dedup_window_secs'),
      frameBatch: get<boolean>('nats.frame_batch'),
    },
    /** v3.x backends (unset: NATS or memory). */
    ehdb: {
      kvAddr: get<{ host: string; port: number } | undefined>('ehdb.kv_addr'),
      eventFeedAddr: get<{ host: string; port: number } | undefined>('ehdb.event_feed_addr'),
      kvTimeoutMs: get<number>('ehdb.kv_timeout_ms'),
      kvMaxInFlight: get<number>('ehdb.kv_max_in_flight'),
      maxFrameBytes: get<number>('ehdb.max_frame_bytes'),
    },
    cors: {
      allowedOrigins: get<string[]>('cors.allowed_origins'),
      allowCredentials: get<boolean>('cors.allow_credentials'),
    },
    authPlaybooks: {
      login: get<string>('auth_playbooks.login'),
      validateSession: get<string>('auth_playbooks.validate_session'),
      checkAccess: get<string>('auth_playbooks.check_access'),
      sessionDbCredential: get<string>('auth_playbooks.session_db_credential'),
      timeoutSecs: get<number>('auth_playbooks.timeout_secs'),
    },
    auth: {
      validateViaPlaybook: get<boolean>('auth.validate_via_playbook'),
      sync: get<boolean>('auth.sync'),
      authzSync: get<boolean>('auth.authz_sync'),
      bypass: get<boolean>('auth.bypass'),
      memoryCacheSecs: get<number>('auth.memory_cache_secs'),
      cookieOriginCheck: get<boolean>('auth.cookie_origin_check'),
      negativeCacheSecs: get<number>('auth.negative_cache_secs'),
      negativeCacheMaxEntries: get<number>('auth.negative_cache_max_entries'),
    },
    transport: {
      heartbeatIntervalSecs: get<number>('transport.heartbeat_interval_secs'),
      keepaliveSecs: get<number>('transport.keepalive_secs'),
      retryMs: get<number>('transport.retry_ms'),
    },
    limits: {
      bodyBytes: get<number>('limits.body_bytes'),
      jsonDepth: get<number>('limits.json_depth'),
      sseBufferBytes: get<number>('limits.sse_buffer_bytes'),
      framesPerClient: get<number>('limits.frames_per_client'),
      frameMemoryBytes: get<number>('limits.frame_memory_bytes'),
      pendingAuth: get<number>('limits.pending_auth'),
      pendingPerSession: get<number>('limits.pending_per_session'),
      ssePerSession: get<number>('limits.sse_per_session'),
      sseTotal: get<number>('limits.sse_total'),
      sseSlotLeaseSecs: get<number>('limits.sse_slot_lease_secs'),
      loginPerMinute: get<number>('limits.login_per_minute'),
      authFailedPerMinute: get<number>('limits.auth_failed_per_minute'),
      headerBytes: get<number>('limits.header_bytes'),
      headersTimeoutSecs: get<number>('limits.headers_timeout_secs'),
      requestTimeoutSecs: get<number>('limits.request_timeout_secs'),
      sseDrainTimeoutSecs: get<number>('limits.sse_drain_timeout_secs'),
      watchesPerClient: get<number>('limits.watches_per_client'),
    },
    /** POST /graphql limits (the GraphQL executor's `limits`). */
    graphql: {
      maxBatch: get<number>('graphql.max_batch'),
      maxMutations: get<number>('graphql.max_mutations'),
      maxDepth: get<number>('graphql.max_depth'),
      maxAliases: get<number>('graphql.max_aliases'),
    },
    executions: {
      subscribeRule: get<'owner' | 'owner_or_access' | 'any'>('executions.subscribe_rule'),
    },
    internalApiToken: get<string | undefined>('internal.api_token'),
    /** `/api/internal/*` require the bearer `internalApiToken` (GATEWAY_REQUIRE_INTERNAL_TOKEN). */
    internalRequireToken: get<boolean>('internal.require_token'),
    internalPort: get<number | undefined>('internal.port'),
    auth0: {
      domain: get<string | undefined>('auth0.domain'),
      clientId: get<string | undefined>('auth0.client_id'),
      redirectUri: get<string | undefined>('auth0.redirect_uri'),
      audience: get<string | undefined>('auth0.audience'),
    },
    environment: get<string>('runtime.environment'),
    logLevel: get<string>('log.level'),
    tracing: tracingConfig(get),
    firestore: firestoreConfig(get),
    /** `POST /ingress/{listener}` (on only with internalApiToken). */
    ingress: {
      maxBodyBytes: get<number>('ingress.max_body_bytes'),
      perMinute: get<number>('ingress.rate_limit_per_minute'),
      configCacheSecs: get<number>('ingress.config_cache_secs'),
      timeoutSecs: get<number>('ingress.timeout_secs'),
      jwksUrl: get<string>('ingress.jwks_url'),
      jwksCacheSecs: get<number>('ingress.jwks_cache_secs'),
      oidcIssuers: get<string[]>('ingress.oidc_issuers'),
      oidcLeewaySecs: get<number>('ingress.oidc_leeway_secs'),
    },
  };
  if (config.internalRequireToken && !config.internalApiToken)
    throw new ConfigError(
      'GATEWAY_REQUIRE_INTERNAL_TOKEN=true needs NOETL_INTERNAL_API_TOKEN: the bearer /api/internal/* would require',
    );
  if (
    config.auth.bypass &&
    !BYPASS_ENVIRONMENTS.has(config.environment.toLowerCase()) &&
    !get<boolean>('auth.bypass_force')
  ) {
    throw new ConfigError(
      `GATEWAY_AUTH_BYPASS is refused: NODE_ENV is ${JSON.stringify(config.environment)}, and the bypass is allowed only when NODE_ENV is development, dev or test (any case). Unset GATEWAY_AUTH_BYPASS, or set GATEWAY_AUTH_BYPASS_FORCE=true to override.`,
    );
  }
  return config;
}

export type GatewayConfig = ReturnType<typeof loadConfig>;

/** The tracing block: the OTLP traces URL when exporting (undefined: relay an incoming traceparent only). */
function tracingConfig(get: <T>(key: SettingKey) => T) {
  const base = get<string | undefined>('tracing.otlp_endpoint');
  const tracesUrl = get<string | undefined>('tracing.otlp_traces_endpoint') ?? (base && `${base}/v1/traces`);
  const batch = {
    scheduleDelayMs: get<number>('tracing.batch_delay_ms'),
    maxQueueSize: get<number>('tracing.batch_max_queue'),
    maxExportBatchSize: get<number>('tracing.batch_max_export'),
  };
  if (batch.maxExportBatchSize > batch.maxQueueSize)
    throw new ConfigError(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE (${batch.maxExportBatchSize}) must not exceed OTEL_BSP_MAX_QUEUE_SIZE (${batch.maxQueueSize})`,
    );
  return {
    tracesUrl: get<boolean>('tracing.disabled') ? undefined : tracesUrl || undefined,
    headers: get<Record<string, string>>('tracing.otlp_headers'),
    timeoutMs: get<number>('tracing.otlp_timeout_ms'),
    compression: get<'none' | 'gzip'>('tracing.otlp_compression'),
    serviceName: get<string>('tracing.service_name'),
    resourceAttributes: get<Record<string, string>>('tracing.resource_attributes'),
    sampler: get<TracingSampler>('tracing.sampler'),
    samplerRatio: get<number>('tracing.sampler_arg'),
    batch,
  };
}

/** The Firestore block: on when asked or when anything points at a Firestore; rules checked now. */
function firestoreConfig(get: <T>(key: SettingKey) => T) {
  const credentialsPath = get<string | undefined>('firestore.credentials_path');
  const projectId = get<string | undefined>('firestore.project_id');
  const emulatorHost = get<string | undefined>('firestore.emulator_host');
  const enabled =
    get<boolean | undefined>('firestore.enabled') ?? Boolean(credentialsPath || projectId || emulatorHost);
  const ownerDocument = get<string | undefined>('firestore.owner_document');
  const ownerField = get<string | undefined>('firestore.owner_field');
  if (Boolean(ownerDocument) !== Boolean(ownerField))
    throw new ConfigError(
      'GATEWAY_FIRESTORE_OWNER_DOCUMENT and GATEWAY_FIRESTORE_OWNER_FIELD go together: set both or neither',
    );
  const firestore = {
    enabled,
    credentialsPath,
    projectId,
    databaseId: get<string>('firestore.database_id'),
    emulatorHost,
    pathTemplates: get<string[]>('firestore.path_templates'),
    owner:
      ownerDocument && ownerField
        ? { document: ownerDocument, field: ownerField, match: get<OwnerMatch>('firestore.owner_match') }
        : undefined,
    resumeWindowSecs: get<number>('firestore.resume_window_secs'),
    timeoutSecs: get<number>('firestore.timeout_secs'),
    probeIntervalSecs: get<number>('firestore.probe_interval_secs'),
    subscriptionsPerClient: get<number>('limits.firestore_subscriptions_per_client'),
    subscriptionsTotal: get<number>('limits.firestore_subscriptions'),
  };
  try {
    compileSubscriptionRules(firestore);
  } catch (error) {
    throw new ConfigError(`Firestore subscription rules: ${(error as Error).message}`);
  }
  if (enabled && credentialsPath && !emulatorHost) {
    try {
      accessSync(credentialsPath, constants.R_OK);
    } catch {
      throw new ConfigError(`GATEWAY_FIRESTORE_CREDENTIALS_PATH: cannot read ${credentialsPath}`);
    }
  }
  return firestore;
}
