import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.url().refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Redis channel prefix when REDIS_PREFIX is unset. */
export const DEFAULT_REDIS_PREFIX = 'polaris';

/**
 * Documents a variable: `meaning` and, when the default is not a plain value (computed, or "unset"
 * means something), what README shows as its default. README's configuration table is printed from
 * these (`npm run config:table`; `npm run check` fails when it differs).
 */
function doc<T extends z.ZodType>(schema: T, meaning: string, shownDefault?: string): T {
  return schema.meta({ description: meaning, ...(shownDefault ? { shownDefault } : {}) });
}

/** Every environment variable the server reads, in the order README lists them. */
export const EnvSchema = z.object({
  PORT: doc(
    z.coerce.number().int().min(0).max(65535).default(4000),
    'HTTP port (GraphQL, WebSocket, the client)',
  ),
  HOST: doc(z.string().min(1).default('0.0.0.0'), 'Interface to listen on'),
  PUBLIC_URL: doc(
    url(['http', 'https']).optional(),
    'The URL people use; sets cookie security and trusted origins',
    '`http://localhost:$PORT`',
  ),
  NODE_ENV: doc(
    z.enum(['development', 'production', 'test']).default('development'),
    '`production` (set by `npm start`) serves the built client and hides GraphiQL',
  ),
  LOG_LEVEL: doc(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent` (JSON logs via pino)',
  ),
  DATA_DIR: doc(
    z.string().min(1).default('.data'),
    'Where the embedded database and the generated auth secret live',
  ),
  DATABASE_URL: doc(
    url(['postgres', 'postgresql']).optional(),
    'PostgreSQL URL. Unset: embedded PGlite in `DATA_DIR`',
  ),
  DATABASE_POOL_SIZE: doc(
    z.coerce.number().int().min(1).max(200).default(10),
    'Connections of the app’s own pool to `DATABASE_URL` (Prisma: GraphQL, sign-in, sync, billing), per instance. The job queue has its own pool (`JOB_QUEUE_POOL_SIZE`), so an instance opens up to the sum of both. Embedded PGlite always uses 4',
  ),
  JOB_QUEUE_POOL_SIZE: doc(
    z.coerce.number().int().min(1).max(50).default(4),
    'Connections of the job queue’s (pg-boss: sync runs, start timeouts) own pool, per instance',
  ),
  REDIS_URL: doc(
    url(['redis', 'rediss']).optional(),
    'Redis for subscriptions across instances. Unset: in-process',
  ),
  REDIS_PREFIX: doc(
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-" (at most 64)')
      .default(DEFAULT_REDIS_PREFIX),
    'Prefix of every Redis channel (`<prefix>:<topic>`): give each deployment sharing one Redis its own',
  ),
  AUTH_SECRET: doc(
    z.string().min(32, 'must be at least 32 characters').optional(),
    'Signs sessions (≥ 32 characters). Unset on the embedded default: generated once into `DATA_DIR/auth-secret`. Required in production with `DATABASE_URL`',
    'generated',
  ),
  TRUSTED_ORIGINS: doc(
    csv.default([]),
    'Extra comma-separated origins allowed to use cookie sessions (the Vite dev origin is added in development)',
  ),
  TRUST_PROXY: doc(
    bool.optional(),
    'Behind a reverse proxy: take the client address for sign-in rate limits from `X-Forwarded-For`',
    '`false`',
  ),
  MAX_REQUEST_BODY_BYTES: doc(
    z.coerce.number().int().min(1024).default(1_048_576),
    'Largest body accepted on `/graphql` and `/api/auth` (413 above it; 411 for bodies without a length) ([docs/security.md](docs/security.md))',
  ),
  WS_CONNECTION_INIT_TIMEOUT_MS: doc(
    z.coerce.number().int().min(50).default(3_000),
    'A graphql-ws client must send `connection_init` within this time (else close 4408)',
  ),
  WS_SESSION_RECHECK_MS: doc(
    z.coerce.number().int().min(50).default(10_000),
    'How often open graphql-ws connections re-check their session/API key; a signed-out, expired or revoked one is closed with 4403',
  ),
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: doc(
    bool.optional(),
    'Allow webhook endpoints on private, loopback and link-local addresses (refused otherwise) ([docs/webhooks.md](docs/webhooks.md))',
    'embedded demo: `true`',
  ),
  WEBHOOKS_TIMEOUT_MS: doc(
    z.coerce.number().int().min(100).max(60_000).default(10_000),
    'How long one webhook delivery may take before it counts as failed and is retried',
  ),
  GRAPHIQL: doc(bool.optional(), 'GraphiQL at `/graphql`', 'on outside production'),
  GRAPHQL_INTROSPECTION: doc(
    bool.optional(),
    'Introspection and "Did you mean" suggestions; off by default when `NODE_ENV=production`',
    '`true` (prod: `false`)',
  ),
  STEVE_URL: doc(
    url(['http', 'https']).optional(),
    'SteVe base URL including the context path, e.g. `http://steve:8080/steve`. Unset: the fleet simulator',
  ),
  STEVE_API_USER: doc(z.string().min(1).optional(), 'SteVe web user (HTTP Basic)'),
  STEVE_API_PASSWORD: doc(z.string().min(1).optional(), 'That web user’s **API password** (never logged)'),
  STEVE_DB_URL: doc(
    url(['mysql', 'mariadb']).optional(),
    'Read-only MySQL/MariaDB URL of SteVe’s database, e.g. `mysql://polaris:…@steve-db:3306/stevedb`',
  ),
  STEVE_CDC: doc(
    z.enum(['auto', 'off']).default('auto'),
    'Change capture from SteVe’s binlog: `auto` streams changes when the database allows it (settings and grants: [docs/steve-integration.md](docs/steve-integration.md#change-capture-binlog)), `off` only polls',
  ),
  STEVE_CDC_SERVER_ID: doc(
    z.coerce.number().int().min(1).max(4_294_967_295).default(48_151),
    'Replication client id of the binlog reader; unique among the SteVe database’s replicas',
  ),
  SIMULATOR_SEED: doc(
    z.coerce.number().int().default(20261122),
    'Seed of the simulated fleet (same seed, same fleet)',
  ),
  SIMULATOR_CHARGERS: doc(
    z.coerce.number().int().min(1).max(10_000).default(12),
    'Size of the simulated fleet',
  ),
  STAND_IN_STATE: doc(
    z.enum(['database', 'memory']).default('database'),
    'Where the embedded fleet simulator and Lago sandbox keep their state: `database` (survives restarts; one instance only, a second one refuses to start) or `memory` (lost on restart; every instance runs its own fleet)',
  ),
  LAGO_URL: doc(
    url(['http', 'https']).optional(),
    'Lago API origin, e.g. `http://lago-api:3000`. Unset: the built-in sandbox',
  ),
  LAGO_API_KEY: doc(z.string().min(1).optional(), 'Lago API key (never logged)'),
  LAGO_BILLABLE_METRIC_CODE: doc(
    z.string().min(1).default('kwh'),
    'Billable metric the usage events are sent to',
  ),
  LAGO_PLAN_CODE: doc(z.string().min(1).default('ev_charging'), 'Plan new customers are subscribed to'),
  RESERVATION_MINUTES: doc(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    'How long a driver’s reservation holds a connector before it expires (SteVe ReserveNow expiry), in minutes ([docs/driver-guide.md](docs/driver-guide.md))',
  ),
  BILLING_STUCK_AFTER_MINUTES: doc(
    z.coerce.number().positive().default(15),
    'Usage events not accepted by Lago after this long raise an alert and a Health warning ([docs/billing.md](docs/billing.md))',
  ),
  BILLING_DRAIN_INTERVAL_MS: doc(
    z.coerce.number().int().min(100).default(5000),
    'How often the billing outbox worker looks for usage events to send',
  ),
  DEMO_SEED: doc(
    bool.optional(),
    'Set `false` to skip demo accounts on the embedded default (never seeded with a real SteVe or Lago)',
    '`true`',
  ),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Env {
  isProduction: boolean;
  publicUrl: string;
  dataDir: string;
  graphiql: boolean;
  introspection: boolean;
  steve: { mode: 'simulator' } | { mode: 'real'; url: string; user: string; password: string; dbUrl: string };
  lago: { mode: 'sandbox' } | { mode: 'real'; url: string; apiKey: string };
  /** Demo data (accounts, cards, customers) only when both integrations are embedded. */
  demo: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment once; nothing else in the server reads process.env. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", the way shells and .env files usually express it.
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  const steveVars = [e.STEVE_URL, e.STEVE_API_USER, e.STEVE_API_PASSWORD, e.STEVE_DB_URL];
  if (steveVars.some(Boolean) && !steveVars.every(Boolean)) {
    problems.push(
      'STEVE_URL, STEVE_API_USER, STEVE_API_PASSWORD and STEVE_DB_URL: set all four to use a real SteVe, or none for the built-in simulator',
    );
  }
  if (Boolean(e.LAGO_URL) !== Boolean(e.LAGO_API_KEY)) {
    problems.push(
      'LAGO_URL and LAGO_API_KEY: set both to use a real Lago, or neither for the built-in sandbox',
    );
  }
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction && e.DATABASE_URL && !e.AUTH_SECRET) {
    problems.push(
      'AUTH_SECRET: required in production with an external DATABASE_URL (at least 32 characters)',
    );
  }
  if (problems.length) throw new ConfigError(problems);

  const steve: Config['steve'] =
    e.STEVE_URL && e.STEVE_API_USER && e.STEVE_API_PASSWORD && e.STEVE_DB_URL
      ? {
          mode: 'real',
          url: e.STEVE_URL,
          user: e.STEVE_API_USER,
          password: e.STEVE_API_PASSWORD,
          dbUrl: e.STEVE_DB_URL,
        }
      : { mode: 'simulator' };
  const lago: Config['lago'] =
    e.LAGO_URL && e.LAGO_API_KEY
      ? { mode: 'real', url: e.LAGO_URL, apiKey: e.LAGO_API_KEY }
      : { mode: 'sandbox' };
  const embedded = steve.mode === 'simulator' && lago.mode === 'sandbox';

  return {
    ...e,
    isProduction,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    dataDir: path.resolve(e.DATA_DIR),
    graphiql: e.GRAPHIQL ?? !isProduction,
    // Production hides the schema (introspection, "Did you mean …?") unless explicitly asked for.
    introspection: e.GRAPHQL_INTROSPECTION ?? !isProduction,
    steve,
    lago,
    demo: embedded && (e.DEMO_SEED ?? true),
  };
}
