import v8 from 'node:v8';
import pg from 'pg';
import type { LagoPort } from '../integrations/lago/port.ts';
import { LagoSandbox } from '../integrations/lago/sandbox/sandbox.ts';
import type { LagoStoreSnapshot } from '../integrations/lago/sandbox/store.ts';
import type { StevePort } from '../integrations/steve/port.ts';
import { FleetSimulator, type WorldSnapshot } from '../integrations/steve/simulator/index.ts';
import type { Db } from './db.ts';
import type { Logger } from './logger.ts';

/**
 * The embedded stand-ins (fleet simulator, Lago sandbox) keep their state in the database, so a
 * restart of the embedded default continues running charges and keeps customers, subscriptions and
 * received events. Their state lives in one process, so only one instance may run them on a
 * database: an advisory lock, held on its own connection, refuses a second one at start (a killed
 * instance's lock goes with its connection, so a restart is never blocked).
 */

export const SIMULATOR_STATE = 'steve-simulator';
export const SANDBOX_STATE = 'lago-sandbox';

/** How often the simulator is saved besides after every command (bounds the replay after a crash). */
const PERIODIC_SAVE_MS = 30_000;

export class StandInsLockedError extends Error {
  override readonly name = 'StandInsLockedError';
  constructor(what: string) {
    super(
      `Another Polaris instance already runs the embedded ${what} on this database. Their state lives in ` +
        'one process, so run a single instance; to run several, configure a real SteVe (STEVE_URL, ' +
        'STEVE_USER, STEVE_PASSWORD, STEVE_DB_URL) and a real Lago (LAGO_URL, LAGO_API_KEY), or set ' +
        'STAND_IN_STATE=memory to give every instance its own, unsaved stand-ins.',
    );
  }
}

export interface StandInsOptions {
  db: Db;
  /** Connection string of the same database, for the lock's own connection. */
  url: string;
  logger: Logger;
  /** Which stand-ins this instance runs (for the message and the lock). */
  uses: { simulator: boolean; sandbox: boolean };
}

/** Saves one stand-in's snapshot; concurrent requests share one write of the newest state. */
export class StateSaver {
  #running: Promise<void> = Promise.resolve();
  #pending: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly snapshot: () => unknown,
  ) {}

  /** Resolves once a write that started after this call has finished (so it holds every change before it). */
  save(): Promise<void> {
    if (this.#pending) return this.#pending;
    const next = this.#running
      .catch(() => undefined)
      .then(async () => {
        this.#pending = null;
        const state = new Uint8Array(v8.serialize(this.snapshot()));
        await this.db.standInState.upsert({
          where: { name: this.name },
          create: { name: this.name, state },
          update: { state, savedAt: new Date() },
        });
      });
    this.#pending = next;
    this.#running = next;
    return next;
  }
}

export class StandIns {
  readonly #savers: StateSaver[] = [];
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  private constructor(
    private readonly options: StandInsOptions,
    private lock: pg.Client,
  ) {}

  /** Takes the one-instance lock (throws StandInsLockedError when another instance holds it). */
  static async open(options: StandInsOptions): Promise<StandIns> {
    const lock = await takeLock(options);
    const standIns = new StandIns(options, lock);
    standIns.#watch(lock);
    return standIns;
  }

  /** The saved state of a stand-in, or undefined on a first start. */
  async load<T>(name: string): Promise<T | undefined> {
    const row = await this.options.db.standInState.findUnique({ where: { name } });
    if (!row) return undefined;
    let state: unknown;
    try {
      state = v8.deserialize(row.state);
    } catch (error) {
      state = error;
    }
    // A state this version cannot read starts the stand-in afresh (new keys stay above the old ones).
    if (typeof state !== 'object' || state === null || (state as { version?: unknown }).version !== 1) {
      this.options.logger.warn(
        { standIn: name, savedAt: row.savedAt },
        'saved stand-in state unreadable; starting afresh',
      );
      return undefined;
    }
    this.options.logger.info({ standIn: name, savedAt: row.savedAt }, 'stand-in state restored');
    return state as T;
  }

  /** A saver for one stand-in; `periodic` also saves it every 30 s. All are saved once more on close. */
  saver(name: string, snapshot: () => unknown, options: { periodic?: boolean } = {}): StateSaver {
    const saver = new StateSaver(this.options.db, name, snapshot);
    this.#savers.push(saver);
    if (options.periodic && !this.#timer) {
      this.#timer = setInterval(() => {
        for (const s of this.#savers) void s.save().catch((error: unknown) => this.saveFailed(error));
      }, PERIODIC_SAVE_MS);
      this.#timer.unref();
    }
    return saver;
  }

  /** Saves every stand-in a last time and releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const saver of this.#savers) await saver.save().catch((error: unknown) => this.saveFailed(error));
    await this.lock.end().catch(() => undefined);
  }

  saveFailed(error: unknown): void {
    this.options.logger.warn(
      { err: error },
      'stand-in state could not be saved (retried on the next change)',
    );
  }

  /** A lost lock connection (database restart, terminated backend) is retaken as soon as possible. */
  #watch(lock: pg.Client): void {
    lock.on('error', (error) => {
      if (this.#closed) return;
      this.options.logger.warn({ err: error }, 'stand-in lock connection lost; retaking it');
      void this.#retake();
    });
  }

  async #retake(): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** attempt)).unref());
      if (this.#closed) return;
      try {
        this.lock = await takeLock(this.options);
        this.#watch(this.lock);
        this.options.logger.info('stand-in lock retaken');
        return;
      } catch (error) {
        const log = error instanceof StandInsLockedError ? 'error' : 'warn';
        this.options.logger[log]({ err: error }, 'stand-in lock not retaken yet');
      }
    }
  }
}

async function takeLock(options: StandInsOptions): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: options.url, application_name: 'polaris stand-in lock' });
  // Errors before the watcher is attached must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext('polaris:stand-ins')) AS locked",
    );
    if (result.rows[0]?.locked !== true) {
      const what = [
        options.uses.simulator ? 'fleet simulator' : null,
        options.uses.sandbox ? 'Lago sandbox' : null,
      ]
        .filter(Boolean)
        .join(' and ');
      throw new StandInsLockedError(what || 'stand-ins');
    }
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/** What buildApp needs: saved states to start from, and hooks that keep them saved. */
export interface StandInWiring {
  simulatorState: WorldSnapshot | undefined;
  sandboxState: LagoStoreSnapshot | undefined;
  /** For the sandbox's `onChange`: resolves once its newest state is saved. */
  sandboxChanged: () => Promise<void>;
  /** Saves the simulator after every command and every 30 s, the sandbox after every change. */
  attach(steve: StevePort, lago: LagoPort): void;
  close(): Promise<void>;
}

const NO_STAND_INS: StandInWiring = {
  simulatorState: undefined,
  sandboxState: undefined,
  sandboxChanged: () => Promise.resolve(),
  attach: () => undefined,
  close: () => Promise.resolve(),
};

/** Opens the stand-ins' saved state (and the one-instance lock) when this instance runs any. */
export async function wireStandIns(options: StandInsOptions & { enabled: boolean }): Promise<StandInWiring> {
  if (!options.enabled || (!options.uses.simulator && !options.uses.sandbox)) return NO_STAND_INS;
  const standIns = await StandIns.open(options);
  let sandboxSaver: StateSaver | null = null;
  try {
    return {
      simulatorState: options.uses.simulator
        ? await standIns.load<WorldSnapshot>(SIMULATOR_STATE)
        : undefined,
      sandboxState: options.uses.sandbox ? await standIns.load<LagoStoreSnapshot>(SANDBOX_STATE) : undefined,
      sandboxChanged: () => sandboxSaver?.save() ?? Promise.resolve(),
      attach(steve, lago) {
        if (options.uses.simulator && steve instanceof FleetSimulator) {
          const saver = standIns.saver(SIMULATOR_STATE, () => steve.snapshot(), { periodic: true });
          // A failed save must not fail the command that already happened; the next save retries.
          steve.onExternalChange(() => saver.save().catch((error: unknown) => standIns.saveFailed(error)));
        }
        if (options.uses.sandbox && lago instanceof LagoSandbox) {
          sandboxSaver = standIns.saver(SANDBOX_STATE, () => lago.store.snapshot());
        }
      },
      close: () => standIns.close(),
    };
  } catch (error) {
    await standIns.close();
    throw error;
  }
}
