/**
 * @module main
 * Composition root: config → adapters → services → app → listen. The only module that knows every
 * concrete adapter. `startGateway` is also what the integration tests run.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { MemoryFrameLog } from './adapters/memory/memoryFrameLog.ts';
import { MemoryKeyValueStore } from './adapters/memory/memoryKeyValueStore.ts';
import { MemoryMessageBus } from './adapters/memory/memoryMessageBus.ts';
import { MemoryPresence } from './adapters/memory/memoryPresence.ts';
import { NoetlHttpClient } from './adapters/noetl/noetlHttpClient.ts';
import type { Infrastructure, KeyValueStore } from './adapters/ports.ts';
import { Authenticator } from './api/authenticate.ts';
import { FixedWindowLimiter } from './api/fixedWindowLimiter.ts';
import { runtimeContract } from './api/runtimeContract.ts';
import { ConfigError, type GatewayConfig, loadConfig } from './config.ts';
import type { Backends } from './contract/index.ts';
import { AuthPlaybookRunner } from './core/auth/authPlaybookRunner.ts';
import { AuthService } from './core/auth/authService.ts';
import { CallbackWaiters } from './core/auth/callbackWaiters.ts';
import { ExecutionAccess } from './core/executions/executionAccess.ts';
import { ExecutionService } from './core/executions/executionService.ts';
import { RequestStore } from './core/executions/requestStore.ts';
import { createIngressService } from './core/ingress/createIngressService.ts';
import { ExecutionWatchers } from './core/lifecycle/executionWatchers.ts';
import { LifecycleBridge } from './core/lifecycle/lifecycleBridge.ts';
import { CallbackDelivery } from './core/push/callbackDelivery.ts';
import { ClientRegistry } from './core/push/clientRegistry.ts';
import { ConnectionHub } from './core/push/connectionHub.ts';
import { FrameRouter } from './core/push/frameRouter.ts';
import { StreamSlots } from './core/push/streamSlots.ts';
import { SessionResolver } from './core/sessions/sessionResolver.ts';
import { compileSubscriptionRules } from './core/subscriptions/subscriptionRules.ts';
import { SubscriptionService } from './core/subscriptions/subscriptionService.ts';
import { createGatewayHttp } from './http/gatewayHttp.ts';
import { explainListenFailure, ListenError } from './http/listenError.ts';
import { GATEWAY_VERSION } from './lib/packageInfo.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { readiness } from './observability/readiness.ts';
import { startTracing } from './observability/tracing.ts';

/** The embedded default: everything in this process. */
function memoryInfrastructure(config: GatewayConfig, onEvict: (frames: number) => void): Infrastructure {
  const frames = new MemoryFrameLog({
    retentionMs: config.nats.requestTtlSecs * 1000,
    maxFramesPerClient: config.limits.framesPerClient,
    maxBytes: config.limits.frameMemoryBytes,
    onEvict,
    dedupWindowMs: config.nats.frameDedupWindowSecs * 1000,
  });
  const sweep = setInterval(() => frames.sweep(), 60_000);
  sweep.unref();
  return {
    kv: new MemoryKeyValueStore(),
    bus: new MemoryMessageBus(),
    frames,
    presence: new MemoryPresence(),
    ready: () => true,
    probe: async () => ({ ok: true, detail: 'embedded mode (no NATS)' }),
    close: async () => clearInterval(sweep),
  };
}

/**
 * Which backend does what (contract `Backends`): `NATS_URL` → NATS; `NOETL_KV_ADDR` → sessions and pending
 * requests on EHDB's KV; `NOETL_EVENT_FEED_ADDR` → lifecycle events from EHDB's feed; with both generations'
 * settings EHDB keeps the store and the feed and NATS carries frames and callbacks between replicas.
 */
export function backendsOf(config: GatewayConfig): Backends {
  const nats = Boolean(config.nats.url);
  return {
    store: config.ehdb.kvAddr ? 'ehdb' : nats ? 'nats' : 'embedded',
    lifecycle: config.ehdb.eventFeedAddr ? 'ehdb_feed' : nats ? 'nats' : 'none',
    bus: nats ? 'nats' : 'embedded',
  };
}

/** The start-up line saying what `backendsOf` chose. */
function describeBackends(backends: Backends): string {
  const store = { embedded: 'memory', nats: 'NATS K/V', ehdb: 'EHDB KV (NOETL_KV_ADDR)' }[backends.store];
  const lifecycle = {
    none: 'nowhere (set NOETL_EVENT_FEED_ADDR or NATS_URL)',
    nats: 'NATS subjects',
    ehdb_feed: 'the EHDB event feed (NOETL_EVENT_FEED_ADDR)',
  }[backends.lifecycle];
  const bus = { embedded: 'none (one replica)', nats: 'NATS' }[backends.bus];
  return `Backends: sessions and pending requests in ${store}; lifecycle events from ${lifecycle}; frames and callbacks between replicas over ${bus}`;
}

export interface RunningGateway {
  server: Server;
  url: string;
  config: GatewayConfig;
  metrics: Metrics;
  stop(graceMs?: number): Promise<void>;
}

export async function startGateway(
  config: GatewayConfig,
  logger = pino({ level: config.logLevel }),
): Promise<RunningGateway> {
  const infrastructure = config.nats.url
    ? // Loaded only in NATS mode: the embedded default does not pay for the NATS clients.
      await (await import('./adapters/nats/index.ts')).natsInfrastructure({
        url: config.nats.url,
        username: config.nats.username,
        password: config.nats.password,
        frameRetentionMs: config.nats.requestTtlSecs * 1000,
        framesPerClient: config.limits.framesPerClient,
        slotLeaseSeconds: config.limits.sseSlotLeaseSecs,
        replicas: config.nats.replicas,
        operationTimeoutMs: config.nats.operationTimeoutMs,
        probeTimeoutMs: config.nats.readyTimeoutMs,
        dedupWindowMs: config.nats.frameDedupWindowSecs * 1000,
        logger: logger.child({ component: 'nats' }),
      })
    : memoryInfrastructure(config, (evicted) => {
        metrics.framesEvicted.inc(evicted);
        logger.warn(
          { evicted, maxBytes: config.limits.frameMemoryBytes },
          'frame replay log full: oldest frames dropped (GATEWAY_FRAME_MEMORY_MAX_BYTES)',
        );
      });
  const { bus, frames, presence } = infrastructure;
  const ttl = config.nats.requestTtlSecs;
  const backends = backendsOf(config);
  // Loaded only with a v3.x address: EHDB's KV face and event feed.
  const ehdbAdapters =
    config.ehdb.kvAddr || config.ehdb.eventFeedAddr ? await import('./adapters/ehdb/index.ts') : undefined;
  const ehdb =
    ehdbAdapters && config.ehdb.kvAddr
      ? await ehdbAdapters.ehdbStore({
          ...config.ehdb.kvAddr,
          timeoutMs: config.ehdb.kvTimeoutMs,
          maxInFlight: config.ehdb.kvMaxInFlight,
          maxFrameBytes: config.ehdb.maxFrameBytes,
          probeTimeoutMs: config.nats.readyTimeoutMs,
          logger: logger.child({ component: 'ehdb-kv' }),
        })
      : undefined;
  // On EHDB: the reference's two buckets (and, without NATS, the feed cursor); the gateway's own elsewhere.
  const kv: KeyValueStore =
    ehdbAdapters && ehdb
      ? ehdbAdapters.bucketsOn(
          ehdb.kv,
          [
            config.nats.sessionBucket,
            config.nats.requestBucket,
            ...(config.nats.url ? [] : [ehdbAdapters.FEED_CURSOR_BUCKET]),
          ],
          infrastructure.kv,
        )
      : infrastructure.kv;

  const metrics = createMetrics({
    version: GATEWAY_VERSION,
    authBypass: config.auth.bypass,
    internalAuth: config.internalRequireToken,
  });
  const noetl = new NoetlHttpClient({
    baseUrl: config.noetl.baseUrl,
    timeoutMs: config.noetl.timeoutSecs * 1000,
    onCall: (operation, seconds, status) => metrics.upstreamSeconds.observe({ operation, status }, seconds),
    onTransportError: (method, path, error) =>
      logger.warn({ err: error, method, path: path.split('?')[0] }, 'NoETL call got no answer'),
  });
  const waiters = new CallbackWaiters({
    bus,
    subjectPrefix: config.nats.callbackSubjectPrefix,
    maxPending: config.limits.pendingAuth,
  });
  const runner = new AuthPlaybookRunner({
    noetl,
    waiters,
    timeoutSecs: config.authPlaybooks.timeoutSecs,
    onCancelFailed: (error) => {
      metrics.authCancelFailed.inc();
      logger.warn({ err: error }, 'cancelling a timed-out auth playbook failed');
    },
  });
  const sessions = new SessionResolver({
    bucket: await kv.bucket(config.nats.sessionBucket, {
      ttlSeconds: config.nats.sessionCacheTtlSecs,
      description: 'Session cache for gateway authentication',
    }),
    noetl,
    runner,
    validation: config.auth.sync || !config.auth.validateViaPlaybook ? 'endpoint' : 'playbook',
    validatePlaybookPath: config.authPlaybooks.validateSession,
    dbCredential: config.authPlaybooks.sessionDbCredential,
    memoryCacheMs: config.auth.memoryCacheSecs * 1000,
    memoryCacheMaxEntries: 10_000,
    negativeCacheMs: config.auth.negativeCacheSecs * 1000,
    negativeCacheMaxEntries: config.auth.negativeCacheMaxEntries,
    failedValidationsPerMinute: config.limits.authFailedPerMinute,
    bypass: config.auth.bypass,
    onLookup: (outcome) => metrics.sessionCheck.inc({ outcome }),
    onCacheWriteFailed: (stage, error) => {
      metrics.sessionCacheFailed.inc({ stage });
      logger.warn({ err: error, stage }, 'writing the session cache failed');
    },
  });
  const auth = new AuthService({
    noetl,
    runner,
    sessions,
    playbooks: { login: config.authPlaybooks.login, checkAccess: config.authPlaybooks.checkAccess },
    dbCredential: config.authPlaybooks.sessionDbCredential,
    loginSync: config.auth.sync,
    authzSync: config.auth.authzSync,
    onLogin: (outcome) => metrics.login.inc({ outcome }),
    onAuthz: (outcome) => metrics.authz.inc({ outcome }),
  });
  const clients = new ClientRegistry(
    await kv.bucket('gateway_clients', {
      ttlSeconds: ttl,
      description: 'SSE client ids and their owning session',
    }),
    { ttlSeconds: ttl },
  );
  const requests = new RequestStore(
    await kv.bucket(config.nats.requestBucket, {
      ttlSeconds: ttl,
      description: 'Pending playbook execution requests for callback routing',
    }),
    await kv.bucket('gateway_client_requests', {
      ttlSeconds: ttl,
      description: 'Index of pending requests by client id',
    }),
    await kv.bucket('gateway_session_requests', {
      ttlSeconds: ttl,
      description: 'Pending-request counters per session (hashed) and replica',
    }),
    // With NATS, requests saved here are kept in memory too (callbacks landing here skip the lookup).
    // Embedded stores serve one replica: the per-session counters need not be written for others.
    { ttlSeconds: ttl, shared: backends.store !== 'embedded', ...(config.nats.url ? { bus } : {}) },
  );
  const router = new FrameRouter({ log: frames, presence, batchResults: config.nats.frameBatch });
  const hub = new ConnectionHub({ log: frames, presence, clients });
  const watchers = new ExecutionWatchers(
    await kv.bucket('gateway_execution_watchers', {
      ttlSeconds: ttl,
      description: 'Clients watching an execution, keyed <execution>.<client>',
    }),
    await kv.bucket('gateway_client_watches', {
      ttlSeconds: ttl,
      description: 'Executions a client subscribed to, keyed <client>.<execution>',
    }),
    config.limits.watchesPerClient,
  );
  const access = new ExecutionAccess({
    owners: await kv.bucket('gateway_execution_owners', {
      ttlSeconds: ttl,
      description: 'Executions a session started (or was granted), keyed <execution hash>.<session hash>',
    }),
    noetl,
    rule: config.executions.subscribeRule,
    authPlaybooks: [
      config.authPlaybooks.login,
      config.authPlaybooks.validateSession,
      config.authPlaybooks.checkAccess,
    ],
    mayView: async (session, playbookPath) =>
      (
        await auth.checkAccess({
          session_token: session.token,
          playbook_path: playbookPath,
          permission_type: 'view',
        })
      ).allowed,
  });
  const executions = new ExecutionService({
    noetl,
    requests,
    clients,
    watchers,
    access,
    onOwnerRecordFailed: (error) =>
      logger.warn({ err: error }, 'recording who started an execution failed (subscriptions then ask NoETL)'),
    gatewayUrl: config.server.publicUrl,
    maxPendingPerSession: config.limits.pendingPerSession,
  });
  // From the EHDB feed when it is configured (it replaces the NATS subjects), from the bus otherwise.
  const lifecycle = new LifecycleBridge({
    ...(backends.lifecycle === 'ehdb_feed' ? {} : { bus }),
    router,
    watchers,
    prefix: config.nats.updatesSubjectPrefix,
    allowedEvents: config.nats.lifecycleEvents,
    onEvent: (outcome) => metrics.lifecycle.inc({ outcome }),
    onError: (error) => logger.error({ err: error }, 'routing a lifecycle event failed'),
  });
  const feed =
    ehdbAdapters && config.ehdb.eventFeedAddr
      ? ehdbAdapters.startLifecycleFeed({
          ...config.ehdb.eventFeedAddr,
          maxEventBytes: config.ehdb.maxFrameBytes,
          cursorBucket: kv.bucket(ehdbAdapters.FEED_CURSOR_BUCKET, {
            ttlSeconds: ehdbAdapters.FEED_CURSOR_TTL_SECONDS,
            description: 'Position of the gateway replicas in the EHDB event feed, per shard',
          }),
          sharedFrames: backends.bus === 'nats',
          deliver: (event, writeId) => lifecycle.deliver(event, writeId),
          onMalformed: () => metrics.lifecycle.inc({ outcome: 'malformed' }),
          onReconnect: (reason) => metrics.eventFeedReconnect.inc({ reason }),
          logger: logger.child({ component: 'event-feed' }),
        })
      : undefined;
  const delivery = new CallbackDelivery(requests, router, {
    onQueued: () => metrics.callbackUndelivered.inc(),
  });
  const firestore = config.firestore;
  const subscriptions = new SubscriptionService({
    store: firestore.enabled
      ? // Loaded only when enabled: the Firestore SDK alone costs ~40 MB of memory and ~0.3 s of start-up.
        new (await import('./adapters/firestore/firestoreDocumentStore.ts')).FirestoreDocumentStore({
          projectId: firestore.projectId,
          databaseId: firestore.databaseId,
          credentialsPath: firestore.credentialsPath,
          emulatorHost: firestore.emulatorHost,
          timeoutMs: firestore.timeoutSecs * 1000,
          probeIntervalMs: firestore.probeIntervalSecs * 1000,
          onReachability: (reachable, detail) =>
            reachable
              ? logger.info('Firestore answers again; subscription listeners resume')
              : logger.warn({ detail }, 'Firestore is unreachable; subscription listeners keep retrying'),
        })
      : undefined,
    ...compileSubscriptionRules(firestore),
    router,
    clients,
    presence,
    hub,
    bus,
    limits: { perClient: firestore.subscriptionsPerClient, total: firestore.subscriptionsTotal },
    resumeWindowMs: firestore.resumeWindowSecs * 1000,
    onListenerFault: (reason, detail) => {
      metrics.firestoreListenerFaults.inc({ reason });
      logger.warn({ reason, detail }, 'Firestore subscription listener fault');
    },
    onDeliveryFailed: (error) => logger.error({ err: error }, 'routing a subscription frame failed'),
    onLimited: (limit) => metrics.rateLimited.inc({ limit }),
    onSize: (size) => metrics.firestoreSubscriptions.set(size),
  });
  if (firestore.enabled) {
    logger.info(
      {
        project: firestore.projectId ?? '(detected)',
        database: firestore.databaseId,
        credentials: firestore.emulatorHost
          ? `emulator ${firestore.emulatorHost}`
          : firestore.credentialsPath
            ? 'key file'
            : 'application default',
        paths: firestore.pathTemplates,
      },
      'Firestore subscriptions on',
    );
    if (firestore.owner)
      logger.info(
        { owner: firestore.owner },
        'Firestore subscriptions: ownership rule enforced (fails closed)',
      );
    else
      logger.warn(
        'Firestore subscriptions have no ownership rule (GATEWAY_FIRESTORE_OWNER_DOCUMENT / _OWNER_FIELD): paths are shape-checked only, any session may watch any allowed path',
      );
  }
  const shutdown = new AbortController();
  const natsGauge = setInterval(() => metrics.natsConnected.set(infrastructure.ready() ? 1 : 0), 1000);
  natsGauge.unref();
  metrics.natsConnected.set(infrastructure.ready() ? 1 : 0);

  if (config.auth.bypass)
    logger.warn('GATEWAY_AUTH_BYPASS is on: every token is accepted as user 0 (development only)');
  if (config.executions.subscribeRule === 'any')
    logger.warn('GATEWAY_EXECUTION_SUBSCRIBE_RULE=any: any session may watch the lifecycle of any execution');
  if (!config.internalRequireToken && config.internalPort === undefined)
    logger.warn(
      '/api/internal/* are open on the public listener (as in the reference gateway): whoever reaches it can post callbacks and progress. Serve them on a private port (GATEWAY_INTERNAL_PORT) or require the bearer (GATEWAY_REQUIRE_INTERNAL_TOKEN=true with NOETL_INTERNAL_API_TOKEN)',
    );
  logger.info({ backends }, describeBackends(backends));

  // The OpenTelemetry SDK is imported only when an OTLP endpoint is set.
  const tracing = await startTracing(
    { ...config.tracing, serviceVersion: GATEWAY_VERSION },
    logger.child({ component: 'tracing' }),
  );
  // Push ingress is on only with the token it authenticates to NoETL's internal API with (as the reference).
  const ingressLog = logger.child({ component: 'ingress' });
  const ingress = config.internalApiToken
    ? createIngressService({
        noetl,
        token: config.internalApiToken,
        ...config.ingress,
        maxJsonDepth: config.limits.jsonDepth,
        refuseAuthPlaybook: (path) => executions.refuseAuthPlaybook(path),
        onLookupFailed: (listener, problem, error) =>
          ingressLog.warn({ listener, problem, err: error }, 'ingress: listener config lookup failed'),
        onDispatchFailed: (listener, problem, error) =>
          ingressLog.error({ listener, problem, err: error }, 'ingress: verified delivery not dispatched'),
        onDirectivesIgnored: (listener, problem) =>
          ingressLog.error(
            { listener, problem },
            'ingress: the listener’s directives do not parse; none applied',
          ),
        onAuditFailed: (listener, error) =>
          ingressLog.warn({ listener, err: error }, 'ingress: directives_applied audit event not sent'),
      })
    : undefined;
  if (!ingress)
    logger.info(
      'Push ingress off: NOETL_INTERNAL_API_TOKEN is not set, POST /ingress/{listener} answers 503',
    );
  const http = createGatewayHttp({
    services: {
      auth,
      sessions,
      executions,
      delivery,
      waiters,
      subscriptions,
      runtimeContract: () => runtimeContract({ version: GATEWAY_VERSION, auth0: config.auth0, backends }),
      authenticator: new Authenticator({
        sessions,
        internalApiToken: config.internalRequireToken ? config.internalApiToken : undefined,
        cookieOrigins: config.auth.cookieOriginCheck ? config.cors.allowedOrigins : undefined,
      }),
      loginLimiter: new FixedWindowLimiter({ limit: config.limits.loginPerMinute, windowMs: 60_000 }),
    },
    events: {
      clients,
      requests,
      hub,
      version: GATEWAY_VERSION,
      subscriptionsEnabled: subscriptions.enabled,
      heartbeatMs: config.transport.heartbeatIntervalSecs * 1000,
      keepaliveMs: config.transport.keepaliveSecs * 1000,
      retryMs: config.transport.retryMs,
      maxBufferBytes: config.limits.sseBufferBytes,
      drainTimeoutMs: config.limits.sseDrainTimeoutSecs * 1000,
      slots: new StreamSlots(infrastructure.slots, {
        perSession: config.limits.ssePerSession,
        total: config.limits.sseTotal,
      }),
      maxStreamsPerSession: config.limits.ssePerSession,
      metrics,
      shutdown: shutdown.signal,
    },
    noetl,
    version: GATEWAY_VERSION,
    cors: config.cors,
    bodyLimitBytes: config.limits.bodyBytes,
    maxJsonDepth: config.limits.jsonDepth,
    logger,
    metrics,
    ready: readiness({
      natsMode: config.nats.url ? 'nats' : 'embedded',
      natsReady: () => infrastructure.ready(),
      natsProbe: () => infrastructure.probe(),
      backends,
      ...(ehdb ? { kv: { ready: ehdb.connected, probe: ehdb.probe } } : {}),
      ...(feed ? { feed } : {}),
      noetl,
      onProbeFailed: (error, detail) =>
        logger.warn(
          { err: error, noetl: config.noetl.baseUrl },
          `readiness: NoETL at ${config.noetl.baseUrl}: ${detail} (/ready answers 503 until it answers)`,
        ),
    }),
    trustProxy: config.server.trustProxy,
    server: {
      headerBytes: config.limits.headerBytes,
      headersTimeoutMs: config.limits.headersTimeoutSecs * 1000,
      requestTimeoutMs: config.limits.requestTimeoutSecs * 1000,
    },
    internalPort: config.internalPort !== undefined,
    graphqlLimits: config.graphql,
    proxy: { baseUrl: config.noetl.baseUrl, shards: config.noetl.shards, ...config.proxy },
    ingress: {
      service: ingress,
      maxBodyBytes: config.ingress.maxBodyBytes,
      perMinute: config.ingress.perMinute,
    },
    tracing: tracing.requests,
  });

  /** Everything the start opened besides the listeners, released in order once they are closed. */
  const release = async () => {
    clearInterval(natsGauge);
    // No proxied exchange is left once the connections are closed: the upstream pools can go.
    await http.close();
    await subscriptions.close();
    await hub.closeAll();
    waiters[Symbol.dispose]();
    // The feed's last event is routed and its cursor written before the stores go.
    await feed?.close();
    lifecycle[Symbol.dispose]();
    // Requests delivered just before the stop are removed before NATS goes.
    await delivery.settled();
    requests[Symbol.dispose]();
    await infrastructure.close();
    await ehdb?.close();
    // Last: the spans of everything above are exported.
    await tracing.close();
  };
  const bind = config.server.bind;
  try {
    await http.public.listen({ port: config.server.port, host: bind }).catch((error: unknown) => {
      throw explainListenFailure(error, {
        port: config.server.port,
        host: bind,
        portVariable: 'ROUTER_PORT',
      });
    });
    await http.internal?.listen({ port: config.internalPort, host: bind }).catch((error: unknown) => {
      throw explainListenFailure(error, {
        port: config.internalPort ?? 0,
        host: bind,
        portVariable: 'GATEWAY_INTERNAL_PORT',
      });
    });
  } catch (error) {
    await http.public.close();
    await http.internal?.close();
    await release();
    throw error;
  }
  const server = http.public.server;
  const internalServer = http.internal?.server;
  const { port } = server.address() as AddressInfo;
  const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info(
    {
      port,
      url,
      docs: `${url}/docs`,
      noetl: config.noetl.baseUrl,
      backends,
    },
    `NoETL gateway listening on ${url}; API reference: ${url}/docs, readiness: ${url}/ready`,
  );

  return {
    server,
    url,
    config,
    metrics,
    /**
     * Graceful stop: no new connections, SSE streams end with a short `retry:` hint (clients reconnect to
     * another replica and resume from the log), in-flight requests get `graceMs` to finish, then NATS drains.
     */
    async stop(graceMs = config.server.shutdownGraceSecs * 1000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      internalServer?.close();
      internalServer?.closeAllConnections();
      shutdown.abort();
      // Keep-alive sockets become idle as streams end and in-flight requests finish; close them as they do,
      // or server.close() would wait for their keep-alive timeout.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const grace = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearInterval(idle);
      clearTimeout(grace);
      await release();
    },
  };
}

/** Runs the gateway from the environment until SIGTERM/SIGINT (the command-line entry point). */
export async function runGateway(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(78);
  }
  const logger = pino({ level: config.logLevel });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(config, logger);
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    // One line naming what to change, not a stack.
    console.error(`noetl-gateway: ${error.message}`);
    process.exit(1);
  }
  const stop = async (signal: string) => {
    logger.info({ signal, graceSecs: config.server.shutdownGraceSecs }, 'shutting down');
    await gateway.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runGateway();
