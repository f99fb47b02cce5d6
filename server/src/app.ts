import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLError } from 'graphql';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { toNodeHandler } from 'better-auth/node';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from './config.ts';
import type { Context, Services } from './types.ts';
import { openDatabase, type Database } from './lib/db.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createBus } from './lib/pubsub.ts';
import { SubscriptionSharing } from './lib/shared-subscriptions.ts';
import { createLago, prepareLago } from './lib/lago.ts';
import { seedDemoCards } from './modules/cards/demo-cards.ts';
import type { LagoPort } from './integrations/lago/port.ts';
import { BillingOutbox } from './modules/billing/billing.outbox.ts';
import type { StevePort } from './integrations/steve/port.ts';
import { JobQueue } from './lib/jobs.ts';
import { createSteve } from './lib/steve.ts';
import { StartupChecks } from './modules/system/startup-checks.ts';
import { wireStandIns } from './lib/stand-ins.ts';
import type { CadenceIntervals } from './modules/sync/cadence.ts';
import { ChangeCapture } from './modules/sync/change-capture/capture.ts';
import { reconcileRun } from './modules/sync/change-capture/reconcile.ts';
import { SyncEngine } from './modules/sync/sync.engine.ts';
import { SyncScheduler } from './modules/sync/sync.scheduler.ts';
import { StartTimeoutWorker } from './modules/charging/charging.jobs.ts';
import { CommandWorker } from './modules/commands/commands.jobs.ts';
import { createSyncService } from './modules/sync/sync.service.ts';
import { WebhookDispatcher } from './modules/webhooks/dispatcher.ts';
import { createSender } from './modules/webhooks/sender.ts';
import { urlPolicy } from './modules/webhooks/webhooks.service.ts';
import {
  API_KEY_RATE_LIMIT,
  AUTH_BASE_PATH,
  CLIENT_IP_HEADER,
  createAuth,
  resolveAuthSecret,
  trustedOrigins,
} from './modules/auth/auth.ts';
import {
  createAuthenticator,
  DEMO_PASSWORD,
  seedDemoAccounts,
  withConnectionParams,
} from './modules/auth/auth.service.ts';
import { securityPlugins } from './modules/auth/graphql-guards.ts';
import { noteRateLimit, useRateLimitHeaders } from './modules/auth/rate-limit-headers.ts';
import { SocketSessionWatch } from './modules/auth/socket-sessions.ts';
import { useStreamSessionRecheck } from './modules/auth/stream-sessions.ts';
import { refuseOversizeBody } from './lib/request-limits.ts';
import { EXPORTS_PATH, handleExport } from './modules/exports/exports.ts';
import { SCHEMA_PATH, serveSchema } from './schema/download.ts';
import { explainFailure, maskErrors } from './lib/unavailable.ts';
import { schema } from './schema/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLIENT_DIST = path.join(ROOT, 'client/dist');

export interface BuildAppOptions {
  config: Config;
  logger?: Logger;
  /** An already opened database (tests share one per suite); otherwise opened from config. */
  database?: Database;
  /** PGlite location when no DATABASE_URL: defaults to `<DATA_DIR>/pglite`; `memory` for tests. */
  pgliteDir?: string | 'memory';
  /** Lago to use instead of the configured one (tests: a sandbox or an adapter on a fake server). */
  lago?: LagoPort;
  /** Run background work (billing outbox worker, …) on start(); tests pass false and drive it themselves. */
  background?: boolean;
  /** SteVe to use instead of the configured one (tests: a simulator on a fixed clock). Not closed by stop(). */
  steve?: StevePort;
  /** Clock of the sync engine and of the configured simulator (tests pin it); default the wall clock. */
  clock?: () => Date;
  /** Adaptive Cadence intervals overriding the defaults (tests shorten them). */
  syncCadence?: Partial<CadenceIntervals>;
  /**
   * Where the configured stand-ins keep their state (lib/stand-ins.ts). Default: STAND_IN_STATE when
   * the app opens its own database, `memory` on a database handed in (suites share one).
   */
  standInState?: 'database' | 'memory';
  /** How long stop() lets running background jobs finish (default 15 s); test apps pass 0. */
  jobStopGraceMs?: number;
}

export interface App {
  services: Services;
  database: Database;
  yoga: YogaServerInstance<ServerContext, Context>;
  /** Starts listening; resolves with the bound URL (PORT 0 picks a free port). */
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/** Extra context from the transport; Yoga adds `request` itself. graphql-ws passes its connectionParams. */
export interface ServerContext {
  connectionParams?: Record<string, unknown> | undefined;
}

/** Wires configuration, database, pub/sub and the GraphQL pipeline; starts nothing until start(). */
export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      pgliteDir: options.pgliteDir ?? path.join(config.dataDir, 'pglite'),
      poolSize: config.DATABASE_POOL_SIZE,
      logger,
    }));
  // Saved simulator/sandbox state and the one-instance rule (refuses to start beside another instance).
  const standIns = await wireStandIns({
    enabled: (options.standInState ?? (options.database ? 'memory' : config.STAND_IN_STATE)) === 'database',
    db: database.prisma,
    url: database.url,
    logger,
    uses: {
      simulator: !options.steve && config.steve.mode === 'simulator',
      sandbox: !options.lago && config.lago.mode !== 'real',
    },
  }).catch(async (error: unknown) => {
    if (!options.database) await database.close();
    throw error;
  });
  const bus = createBus(config.REDIS_URL, logger, { prefix: config.REDIS_PREFIX });

  // In-memory test databases get a throwaway auth secret; real ones keep theirs in DATA_DIR.
  const persistSecret = !options.database && options.pgliteDir !== 'memory';
  const auth = createAuth({
    config,
    db: database.prisma,
    logger,
    secret: resolveAuthSecret(config, { persist: persistSecret }),
  });
  // The composition root: every long-lived part is built from the ones before it, then handed down.
  const db = database.prisma;
  const pubsub = bus.pubsub;
  const lago =
    options.lago ??
    createLago(config, logger, { restore: standIns.sandboxState, onChange: standIns.sandboxChanged });
  const steve =
    options.steve ??
    createSteve(config, logger, {
      ...(options.clock ? { now: options.clock } : {}),
      restore: standIns.simulatorState,
    });
  standIns.attach(steve, lago);
  const jobs = new JobQueue({
    url: database.url,
    engine: database.engine,
    logger,
    max: config.JOB_QUEUE_POOL_SIZE,
    ...(options.jobStopGraceMs !== undefined ? { stopGraceMs: options.jobStopGraceMs } : {}),
  });
  const engine = new SyncEngine({
    db,
    steve,
    pubsub,
    logger: logger.child({ component: 'sync' }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.syncCadence ? { cadence: options.syncCadence } : {}),
  });
  const scheduler = options.background === false ? null : new SyncScheduler({ jobs, engine, logger });
  const capture =
    options.background === false
      ? null
      : new ChangeCapture({
          db,
          steve,
          pubsub,
          logger,
          mode: config.STEVE_CDC,
          serverId: config.STEVE_CDC_SERVER_ID,
          reconcile: () => reconcileRun({ db, engine, scheduler }),
          ...(options.clock ? { now: options.clock } : {}),
        });
  const billing = new BillingOutbox(
    { db, lago, logger, pubsub },
    {
      stuckAfterMs: config.BILLING_STUCK_AFTER_MINUTES * 60_000,
      intervalMs: config.BILLING_DRAIN_INTERVAL_MS,
      // Four batches of 100 per round, all in flight at once (see docs/billing.md, Delivery).
      concurrency: 4,
    },
  );
  const webhooks = new WebhookDispatcher({
    db,
    logger,
    pubsub,
    send: createSender(urlPolicy(config), config.WEBHOOKS_TIMEOUT_MS),
  });
  const services: Services = {
    config,
    db,
    pubsub,
    logger,
    auth,
    authenticate: createAuthenticator(auth, config, db),
    lago,
    billing,
    steve,
    jobs,
    sync: createSyncService({ engine, scheduler, capture, logger }),
    webhooks,
    startupChecks: new StartupChecks({ steve, lago, logger }),
  };
  // NOT_STARTED checks of accepted starts, through the job queue (survives restarts, shared).
  const startTimeouts = options.background === false ? null : new StartTimeoutWorker(services);
  // Operator commands (Reset, Unlock, …): sent by a job so SteVe's 30 s wait never holds a request.
  const commandWorker = options.background === false ? null : new CommandWorker(services);
  const demoCustomers = await prepareLago(services.lago, config, logger);
  if (config.demo) {
    const demo = await seedDemoAccounts(services);
    await seedDemoCards(services, { driverIds: demo.driverIds, customers: demoCustomers });
    logger.info(
      `Demo accounts (password "${DEMO_PASSWORD}"): ${demo.accounts.map((a) => `${a.email} (${a.role}${a.status === 'INACTIVE' ? ', inactive' : ''})`).join(', ')}`,
    );
  }

  // Re-checks the session or API key behind every open WebSocket and every SSE subscription.
  const socketSessions = new SocketSessionWatch({
    db: database.prisma,
    logger: logger.child({ component: 'graphql-ws' }),
    intervalMs: config.WS_SESSION_RECHECK_MS,
  });
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    batching: false,
    // An unreachable database is a retryable 503 (SERVICE_UNAVAILABLE), not "Unexpected error".
    maskedErrors: { maskError: maskErrors },
    // Cookie sessions: only our own origins may read responses cross-origin.
    cors: { origin: trustedOrigins(config), credentials: true },
    graphiql: config.graphiql ? { subscriptionsProtocol: 'WS', title: 'Polaris Express API' } : false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: async ({ request, connectionParams }): Promise<Context> => {
      const viewer = await services
        .authenticate(withConnectionParams(request.headers, connectionParams))
        .catch((error: unknown) => explainFailure(error, () => database.prisma.$queryRaw`SELECT 1`));
      noteRateLimit(request, viewer);
      return { viewer, services, request };
    },
    plugins: [
      ...securityPlugins(config),
      useStreamSessionRecheck(socketSessions),
      useRateLimitHeaders(API_KEY_RATE_LIMIT.timeWindowMs / 1000),
      useReadinessCheck({
        endpoint: '/readyz',
        check: async () => {
          await database.prisma.$queryRaw`SELECT 1`;
        },
      }),
    ],
  });

  const serveClient = fs.existsSync(path.join(CLIENT_DIST, 'index.html'))
    ? sirv(CLIENT_DIST, { single: true, etag: true, gzip: false, dev: !config.isProduction })
    : null;

  const authHandler = toNodeHandler(auth);
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === AUTH_BASE_PATH || pathname.startsWith(`${AUTH_BASE_PATH}/`)) {
      // better-auth rate-limits by this header; it always comes from us, never from the client.
      req.headers[CLIENT_IP_HEADER] = clientIp(req, config.TRUST_PROXY ?? false);
      if (refuseOversizeBody(req, res, config.MAX_REQUEST_BODY_BYTES)) return;
      void authHandler(req, res);
      return;
    }
    if (pathname === '/graphql' || pathname === '/healthz' || pathname === '/readyz') {
      if (refuseOversizeBody(req, res, config.MAX_REQUEST_BODY_BYTES)) return;
      // handle() also writes the response; handleNodeRequestAndResponse() only returns it.
      void yoga.handle(req, res, {});
      return;
    }
    if (pathname === SCHEMA_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      serveSchema(req, res, services).catch((error: unknown) => {
        logger.error({ err: error }, 'schema download failed');
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
      return;
    }
    if (pathname.startsWith(`${EXPORTS_PATH}/`)) {
      handleExport(req, res, services).catch((error: unknown) => {
        logger.error({ err: error }, 'CSV export failed');
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
      return;
    }
    if (serveClient && (req.method === 'GET' || req.method === 'HEAD')) {
      serveClient(req, res, () => notFound(res));
      return;
    }
    notFound(res);
  });

  // graphql-ws runs every operation through the same Yoga envelope as HTTP and SSE.
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: config.MAX_REQUEST_BODY_BYTES });
  const sharing = new SubscriptionSharing(['chargerStateChanged', 'liveSessions', 'syncRunProgress']);
  const wsServer = useServer<Record<string, unknown>, { request: http.IncomingMessage; socket: WebSocket }>(
    {
      connectionInitWaitTimeout: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      // Credentials are checked once per connection: a bad or revoked API key closes it with 4403
      // (Forbidden); the session behind it is re-checked until the socket closes (SocketSessionWatch).
      onConnect: async (ctx) => {
        const request = toFetchRequest(ctx.extra.request, config.publicUrl);
        try {
          const viewer = await services.authenticate(
            withConnectionParams(request.headers, ctx.connectionParams),
          );
          if (viewer) socketSessions.track(ctx.extra.socket, viewer);
          return true;
        } catch {
          return false;
        }
      },
      onClose: (ctx) => socketSessions.untrack(ctx.extra.socket),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      // Identical subscriptions of one viewer run once and share each result (lib/shared-subscriptions.ts).
      subscribe: (args) => {
        const root = args.rootValue as EnvelopedRoot;
        if (!root.shareKey) return root.subscribe(args) as never;
        return sharing.subscribe(root.shareKey, async () => (await root.subscribe(args)) as never) as never;
      },
      onSubscribe: async (ctx, _id, params) => {
        const request = toFetchRequest(ctx.extra.request, config.publicUrl);
        const {
          schema: s,
          execute,
          subscribe,
          contextFactory,
          parse,
          validate,
        } = yoga.getEnveloped({
          request,
          connectionParams: ctx.connectionParams,
          params,
        });
        // Refusals (hostile documents, bad API keys) are GraphQL errors for this operation, not a dropped socket.
        try {
          const document = parse(params.query);
          const errors = validate(s, document);
          if (errors.length > 0) return errors;
          const contextValue = await contextFactory();
          const shareKey = sharing.keyFor({ ...params, document, viewer: contextValue.viewer });
          return {
            schema: s,
            document,
            operationName: params.operationName,
            variableValues: params.variables,
            contextValue,
            rootValue: { execute, subscribe, shareKey } satisfies EnvelopedRoot,
          };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
    },
    wss,
  );

  let started = false;
  return {
    services,
    database,
    yoga,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      started = true;
      // Not awaited: a SteVe or Lago that does not answer must not hold up serving; see Health.
      void services.startupChecks.run();
      if (options.background !== false) services.billing.start();
      if (options.background !== false) services.webhooks.start();
      await services.sync.scheduler?.start();
      await services.sync.capture?.start();
      await startTimeouts?.start();
      await commandWorker?.start();
      socketSessions.start();
      const { port } = server.address() as AddressInfo;
      const url = `http://localhost:${port}`;
      logger.info({ url, graphql: `${url}/graphql` }, 'Polaris Express listening');
      return { url, port };
    },
    async stop() {
      socketSessions.stop();
      await wsServer.dispose();
      wss.close();
      if (started) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await services.startupChecks.settled();
      await services.billing.stop();
      await services.webhooks.stop();
      await services.sync.capture?.stop();
      await services.sync.scheduler?.stop();
      await startTimeouts?.stop();
      await commandWorker?.stop();
      await services.jobs.stop();
      if (!options.steve) await services.steve.close();
      await standIns.close();
      await bus.close();
      if (!options.database) await database.close();
    },
  };
}

type Enveloped = ReturnType<YogaServerInstance<ServerContext, Context>['getEnveloped']>;
type EnvelopedRoot = Pick<Enveloped, 'execute' | 'subscribe'> & { shareKey?: string | null };

function toFetchRequest(req: http.IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  // A graphql-ws message is not a GET: mutations run over the socket like over HTTP POST. Cookies
  // still count only from trusted origins (createAuthenticator), so cross-site sockets cannot write.
  return new Request(new URL(req.url ?? '/graphql', base), { method: 'POST', headers });
}

/** The socket's address, or behind a trusted proxy the address that proxy saw (last X-Forwarded-For hop). */
function clientIp(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = trustProxy && hops.length ? hops[hops.length - 1]! : (req.socket.remoteAddress ?? '');
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function notFound(res: http.ServerResponse) {
  res.statusCode = 404;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('Not found');
}
