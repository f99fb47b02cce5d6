import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetCookies } from '../app.ts';

const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Node with tsx's loader in the same process: the tsx CLI would put a second process in between, and
// a SIGKILL to it would leave the server running.
const NODE_ARGS = ['--import', 'tsx', 'server/src/index.ts'];

/** A server process as an operator runs it (`tsx server/src/index.ts`), with its own environment. */
interface Instance {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

interface RunRow {
  id: string;
  trigger: string;
  status: string;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const ADMIN = { email: 'admin@polaris.test', password: 'polaris-demo' };

describe.skipIf(!TEST_POSTGRES_URL || !TEST_REDIS_URL)('two server processes on PostgreSQL and Redis', () => {
  const dbName = `polaris_scale_${randomBytes(5).toString('hex')}`;
  let databaseUrl = '';
  let db: pg.Client;
  let redis: Redis;
  const instances: Instance[] = [];
  const sockets: Client[] = [];
  const env = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    AUTH_SECRET: randomBytes(24).toString('hex'),
    REDIS_URL: TEST_REDIS_URL ?? '',
    // Its own channels: other suites sharing this Redis never see (or disturb) its events.
    REDIS_PREFIX: `test-scale-${randomBytes(4).toString('hex')}`,
    SIMULATOR_SEED: '4242',
    // A fleet large enough that the first sync run lasts several seconds (time to kill it mid-run).
    SIMULATOR_CHARGERS: '4000',
    // Two instances may not share saved stand-ins (lib/stand-ins.ts): each runs its own, unsaved.
    STAND_IN_STATE: 'memory',
    TRUST_PROXY: 'true',
    DEMO_SEED: 'true',
    // What a load balancer in front of both would serve; browsers send it as Origin.
    PUBLIC_URL: 'http://polaris.test',
  };
  const origin = env.PUBLIC_URL;

  async function spawnInstance(name: string): Promise<Instance> {
    const child = spawn(process.execPath, NODE_ARGS, {
      cwd: ROOT,
      env: { ...process.env, ...env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let output = '';
    let listening = false;
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not start:\n${output.slice(-2000)}`)),
        45_000,
      );
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (listening) return;
        for (const line of output.split('\n')) {
          if (!line.includes('Polaris Express listening')) continue;
          clearTimeout(timer);
          listening = true;
          resolve((JSON.parse(line) as { url: string }).url);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}):\n${output.slice(-2000)}`));
      });
    });
    const instance: Instance = { name, child, url, exited };
    instances.push(instance);
    return instance;
  }

  async function runs(): Promise<RunRow[]> {
    const { rows } = await db.query<RunRow>(
      `SELECT id, trigger, status, error, "startedAt", "finishedAt" FROM "SyncRun" ORDER BY "startedAt"`,
    );
    return rows;
  }

  async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined | null | false>,
    ms = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function signIn(
    instance: Instance,
    ip: string,
    password = ADMIN.password,
  ): Promise<Response & { cookie: string }> {
    const response = await fetch(`${instance.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': ip },
      body: JSON.stringify({ email: ADMIN.email, password }),
    });
    await response.text();
    return Object.assign(response, { cookie: applySetCookies('', response) });
  }

  async function graphql<T>(
    instance: Instance,
    cookie: string,
    query: string,
  ): Promise<{ data?: T; errors?: unknown[] }> {
    const response = await fetch(`${instance.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, cookie },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: T; errors?: unknown[] };
  }

  /** Collects every syncRunProgress event a graphql-ws subscriber on `instance` receives. */
  function subscribeProgress(instance: Instance, cookie: string, runId?: string) {
    const events: Array<{ id: string; trigger: string; status: string }> = [];
    const errors: unknown[] = [];
    const client = createClient({
      url: `${instance.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie, origin } });
        }
      },
      retryAttempts: 0,
    });
    sockets.push(client);
    const variables = runId ? { runId } : {};
    client.subscribe<{ syncRunProgress: { id: string; trigger: string; status: string } }>(
      {
        query: `subscription ($runId: ID) { syncRunProgress(runId: $runId) { id trigger status } }`,
        variables,
      },
      {
        next: (result) => {
          if (result.data?.syncRunProgress) events.push(result.data.syncRunProgress);
          if (result.errors) errors.push(...result.errors);
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    return { events, errors };
  }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(TEST_POSTGRES_URL!);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    db = new pg.Client({ connectionString: databaseUrl });
    redis = new Redis(TEST_REDIS_URL!);
  });

  afterAll(async () => {
    for (const client of sockets) await client.dispose();
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null)
        instance.child.kill('SIGKILL');
      await instance.exited;
    }
    await db?.end().catch(() => undefined);
    redis?.disconnect();
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('shares sessions, rate limits and events; runs one sync at a time; survives losing an instance mid-run', async () => {
    // A starts alone, so the first (long) STARTUP run is certainly A's.
    const a = await spawnInstance('A');
    await db.connect();
    const interrupted = await waitFor('A’s first run', async () =>
      (await runs()).find((r) => r.status === 'RUNNING'),
    );
    // Kill A while its first run is RUNNING (the sync got fast: a 4 000-charger first run lasts a few
    // seconds, less than another instance takes to start). B takes over once pg-boss misses A's heartbeat.
    a.child.kill('SIGKILL');
    await a.exited;
    const killedAt = new Date();
    expect((await runs()).find((r) => r.id === interrupted.id)?.status).toBe('RUNNING');
    const b = await spawnInstance('B');
    const login = await signIn(b, '10.77.0.1');
    expect(login.status).toBe(200);
    const trigger = await graphql<{ triggerSync: { tier: string } }>(
      b,
      login.cookie,
      'mutation { triggerSync { tier } }',
    );
    expect(trigger.errors).toBeUndefined();
    const recovered = await waitFor(
      'a successful run after the kill',
      async () => (await runs()).find((r) => r.status === 'SUCCEEDED' && r.startedAt > killedAt),
      90_000,
    );
    const closed = (await runs()).find((r) => r.id === interrupted.id)!;
    expect(closed.status).toBe('FAILED');
    expect(closed.error).toMatch(/Interrupted/);
    expect(closed.finishedAt!.getTime()).toBeLessThanOrEqual(recovered.startedAt.getTime());

    // A comes back. Sessions live in the database: the cookie B issued is accepted by A.
    const a2 = await spawnInstance('A2');
    const viewerOnA = await graphql<{ viewer: { email: string } | null }>(
      a2,
      login.cookie,
      '{ viewer { email } }',
    );
    expect(viewerOnA.data?.viewer?.email).toBe(ADMIN.email);

    // Events cross instances through Redis: subscribers on A and on B both see the run an admin
    // triggers on B. The run executes on one of them, so the other one's subscriber got it via Redis.
    // Trigger only once both subscriptions have reached Redis (subscribers counted on the channel).
    const channel = `${env.REDIS_PREFIX}:sync:progress`;
    const subscribers = async () =>
      Number(((await redis.pubsub('NUMSUB', channel)) as [string, number | string])[1]);
    const before = await subscribers();
    const onA = subscribeProgress(a2, login.cookie);
    const onB = subscribeProgress(b, login.cookie);
    await waitFor(
      `subscribers of A2 and B on ${channel} ${JSON.stringify([onA.errors, onB.errors])}`,
      async () => (await subscribers()) >= before + 2,
      20_000,
    );
    const manual = await graphql<{ triggerSync: { tier: string } }>(
      b,
      login.cookie,
      'mutation { triggerSync { tier } }',
    );
    expect(manual.errors).toBeUndefined();
    const finishedManual = (events: typeof onA.events) =>
      events.find((e) => e.trigger === 'MANUAL' && e.status === 'SUCCEEDED');
    await waitFor(
      'a MANUAL run finishing, seen on A and on B',
      async () => Boolean(finishedManual(onA.events) && finishedManual(onB.events)),
      60_000,
    );
    expect(finishedManual(onA.events)!.id).toBe(finishedManual(onB.events)!.id);

    // Sign-in rate limits live in the database too: attempts on A and B share one budget per address.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1)
      statuses.push((await signIn(i % 2 ? b : a2, '10.77.0.2', 'wrong-password')).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);

    // #15: triggerSync arriving on both instances at once, again and again, never loses the schedule:
    // every trigger is answered, a run follows the last one, then exactly one run waits, due when the
    // schedule says (whichever instance will run it).
    let lastTriggerAt = new Date();
    for (let round = 0; round < 15; round += 1) {
      const answers = await Promise.all(
        [a2, b, a2, b].map((instance) =>
          graphql<{ triggerSync: { tier: string } }>(
            instance,
            login.cookie,
            'mutation { triggerSync { tier } }',
          ),
        ),
      );
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      lastTriggerAt = new Date();
    }
    await waitFor(
      'a run after the last trigger',
      async () => (await runs()).find((r) => r.status === 'SUCCEEDED' && r.startedAt >= lastTriggerAt),
      60_000,
    );
    // Job and schedule read in one statement (one snapshot).
    const waiting = await waitFor('the next run waiting, nothing running', async () => {
      const { rows } = await db.query<{ state: string; startAfter: Date; nextRunAt: Date }>(
        `SELECT j.state, j.start_after AS "startAfter", s."nextRunAt"
           FROM pgboss.job j CROSS JOIN "SyncSchedule" s
          WHERE j.name = 'sync.run' AND j.state IN ('created', 'retry', 'active') AND s.id = 1`,
      );
      return rows.length === 1 && rows[0]!.state === 'created' ? rows[0] : null;
    });
    expect(waiting.startAfter.getTime()).toBe(waiting.nextRunAt.getTime());

    // Never two runs at once: no two [startedAt, finishedAt] intervals overlap.
    const all = await runs();
    expect(all.filter((r) => r.status === 'SUCCEEDED').length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < all.length; i += 1) {
      const previous = all[i - 1]!;
      expect(previous.finishedAt, `run ${previous.id} still open while ${all[i]!.id} started`).not.toBeNull();
      expect(previous.finishedAt!.getTime()).toBeLessThanOrEqual(all[i]!.startedAt.getTime());
    }
  }, 240_000);
});
