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

/** Every environment variable the server reads. README documents each of them. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: url(['http', 'https']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  /** Prefix of every Redis pub/sub channel (`<prefix>:<topic>`): one per deployment sharing a Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-" (at most 64)')
    .default(DEFAULT_REDIS_PREFIX),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUSTED_ORIGINS: csv.default([]),
  /** Behind a reverse proxy: take the client IP (sign-in rate limits) from its X-Forwarded-For. */
  TRUST_PROXY: bool.optional(),
  GRAPHIQL: bool.optional(),
  GRAPHQL_INTROSPECTION: bool.optional(),
  STEVE_URL: url(['http', 'https']).optional(),
  STEVE_API_USER: z.string().min(1).optional(),
  STEVE_API_PASSWORD: z.string().min(1).optional(),
  STEVE_DB_URL: url(['mysql', 'mariadb']).optional(),
  /** Change capture from SteVe's binlog: `auto` streams when the server allows it, `off` only polls. */
  STEVE_CDC: z.enum(['auto', 'off']).default('auto'),
  /** Replication client id of the binlog reader: unique among the SteVe database's replicas. */
  STEVE_CDC_SERVER_ID: z.coerce.number().int().min(1).max(4_294_967_295).default(48_151),
  SIMULATOR_SEED: z.coerce.number().int().default(20261122),
  SIMULATOR_CHARGERS: z.coerce.number().int().min(1).max(10_000).default(12),
  // Where the embedded stand-ins (fleet simulator, Lago sandbox) keep their state: `database` survives
  // restarts and allows one instance only; `memory` is lost on restart and lets each instance run its own.
  STAND_IN_STATE: z.enum(['database', 'memory']).default('database'),
  LAGO_URL: url(['http', 'https']).optional(),
  LAGO_API_KEY: z.string().min(1).optional(),
  LAGO_BILLABLE_METRIC_CODE: z.string().min(1).default('kwh'),
  LAGO_PLAN_CODE: z.string().min(1).default('ev_charging'),
  /** Usage events not accepted by Lago after this many minutes raise an alert (and a Health warning). */
  BILLING_STUCK_AFTER_MINUTES: z.coerce.number().positive().default(15),
  /** How often the billing outbox worker looks for usage events to send. */
  BILLING_DRAIN_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  DEMO_SEED: bool.optional(),
  /** Largest request body accepted on /graphql and /api/auth (bytes); larger ones get 413. */
  MAX_REQUEST_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** How often open graphql-ws connections re-check their session or API key (closed with 4403 once gone). */
  WS_SESSION_RECHECK_MS: z.coerce.number().int().min(50).default(10_000),
  /** A graphql-ws client must send connection_init within this time, or the socket closes with 4408. */
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(50).default(3_000),
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
