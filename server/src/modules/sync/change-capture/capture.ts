import { randomUUID } from 'node:crypto';
import type {
  SteveChangeBatch,
  SteveChangePosition,
  SteveChangeStream,
  SteveChangeStreamError,
  StevePort,
} from '../../../integrations/steve/port.ts';
import type { Db } from '../../../lib/db.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { PubSub } from '../../../lib/pubsub.ts';
import { recordAlerts } from '../../alerts/alerts.service.ts';
import { applyChangeBatch, type ApplyDeps } from './apply.ts';
import {
  acquireLease,
  LEASE_MS,
  LEASE_RENEW_MS,
  positionOf,
  readChangeStream,
  releaseLease,
  renewLease,
  setStatus,
} from './state.ts';

/**
 * Change capture: one instance (the lease holder) streams SteVe's binlog and applies each change
 * as it commits. Before a stream starts without a trustworthy position (first start, or after the
 * stream broke: purged binlog, schema change, lost connection) a full sync reconciles; then the
 * stream starts from the position taken before that sync, so nothing between is missed (what the
 * sync already wrote is written again as no change). With the stream healthy the scheduled sync
 * runs only reconcile, slowly (cadence tier STREAMING). See docs/sync.md.
 */
export interface ChangeCaptureOptions {
  db: Db;
  steve: StevePort;
  pubsub: PubSub;
  logger: Logger;
  /** `auto`: stream when the source allows it; `off`: never (polling only). */
  mode: 'auto' | 'off';
  /** Replication client id (STEVE_CDC_SERVER_ID). */
  serverId: number;
  /** A full sync run; resolves when it finished (rejects when it failed). */
  reconcile: () => Promise<void>;
  now?: () => Date;
  offlineAfterMs?: number;
  /** Instance id in the lease (default: random per process). */
  holder?: string;
  leaseMs?: number;
  renewMs?: number;
  /** First reconnect delay, doubled per failure up to `backoffMaxMs`. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How often a source without binlog support is checked again. */
  recheckMs?: number;
}

export class ChangeCapture {
  readonly holder: string;
  readonly #o: ChangeCaptureOptions;
  readonly #now: () => Date;
  readonly #logger: Logger;
  readonly #evses = new Map<number, { chargeBoxId: string; connectorId: number }>();
  #running = false;
  #loop: Promise<void> | null = null;
  #stream: SteveChangeStream | null = null;
  #wake: (() => void) | null = null;
  #renewTimer: NodeJS.Timeout | null = null;
  #holding = false;
  #failures = 0;
  #lastUnavailable: string | null = null;
  /** Batches applied by this instance (for tests and the bench). */
  applied = 0;

  constructor(options: ChangeCaptureOptions) {
    this.#o = options;
    this.holder = options.holder ?? `${process.pid}-${randomUUID()}`;
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger.child({ component: 'change-capture' });
  }

  get streaming(): boolean {
    return this.#stream !== null;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    if (this.#o.mode === 'off') {
      await readChangeStream(this.#o.db);
      await this.#o.db.changeStream.updateMany({
        where: { id: 1, OR: [{ holder: null }, { leaseUntil: { lt: this.#now() } }] },
        data: { status: 'OFF', problem: 'STEVE_CDC=off: changes are polled' },
      });
      this.#logger.info('change capture off (STEVE_CDC=off): SteVe is polled');
      return;
    }
    this.#loop = this.#run().catch((error: unknown) => {
      this.#logger.error({ err: (error as Error).message }, 'change capture stopped unexpectedly');
    });
  }

  /** Stops streaming and hands the lease back (another instance takes over at once). */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = null;
  }

  /** Simulates a crash for tests: the stream and renewals stop, the lease is left to expire. */
  async crash(): Promise<void> {
    this.#running = false;
    this.#holding = false;
    if (this.#renewTimer) clearInterval(this.#renewTimer);
    this.#renewTimer = null;
    const stream = this.#stream;
    this.#stream = null;
    this.#wake?.();
    await stream?.stop();
    await this.#loop?.catch(() => undefined);
  }

  async #sleep(ms: number): Promise<void> {
    if (!this.#running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = null;
  }

  #startRenewing(): void {
    if (this.#renewTimer) return;
    this.#renewTimer = setInterval(() => {
      renewLease(this.#o.db, this.holder, this.#now(), this.#o.leaseMs ?? LEASE_MS)
        .then((held) => {
          if (held || !this.#holding) return;
          this.#logger.warn('change capture lease lost: stopping the stream');
          this.#holding = false;
          this.#wake?.();
        })
        .catch((error: unknown) =>
          this.#logger.warn({ err: (error as Error).message }, 'change capture lease renewal failed'),
        );
    }, this.#o.renewMs ?? LEASE_RENEW_MS);
    this.#renewTimer.unref();
  }

  #stopRenewing(): void {
    if (this.#renewTimer) clearInterval(this.#renewTimer);
    this.#renewTimer = null;
  }

  async #run(): Promise<void> {
    const { db } = this.#o;
    try {
      while (this.#running) {
        if (!this.#holding) {
          this.#holding = await acquireLease(db, this.holder, this.#now(), this.#o.leaseMs ?? LEASE_MS).catch(
            () => false,
          );
          if (!this.#holding) {
            await this.#sleep(this.#o.renewMs ?? LEASE_RENEW_MS);
            continue;
          }
          this.#startRenewing();
          this.#logger.info({ holder: this.holder }, 'change capture lease taken');
        }
        const ended = await this.#session();
        if (!this.#running || !this.#holding) continue;
        if (ended === 'UNAVAILABLE') {
          await this.#sleep(this.#o.recheckMs ?? 60_000);
          continue;
        }
        this.#failures += 1;
        const delay = Math.min(
          this.#o.backoffMaxMs ?? 60_000,
          (this.#o.backoffBaseMs ?? 1_000) * 2 ** Math.min(this.#failures - 1, 20),
        );
        await this.#sleep(delay);
      }
    } finally {
      this.#stopRenewing();
      const stream = this.#stream;
      this.#stream = null;
      await stream?.stop();
      if (this.#holding) {
        this.#holding = false;
        await releaseLease(db, this.holder).catch(() => undefined);
      }
    }
  }

  /** One stream: support check, reconcile when needed, stream until it ends. */
  async #session(): Promise<'UNAVAILABLE' | 'ENDED'> {
    const { db, steve } = this.#o;
    const support = await steve.changeCaptureSupport();
    if (!support.ok) {
      const problem = `change capture unavailable, SteVe is polled: ${support.problems.join('; ')}`;
      if (problem !== this.#lastUnavailable) this.#logger.warn({ problems: support.problems }, problem);
      this.#lastUnavailable = problem;
      await setStatus(db, this.holder, 'UNAVAILABLE', { problem, streamingSince: null });
      return 'UNAVAILABLE';
    }
    this.#lastUnavailable = null;
    const row = await readChangeStream(db);
    const stored = positionOf(row);
    // A stream that ended cleanly or whose holder crashed resumes where it stopped; any other state
    // (first start, a broken stream, polling before) may have missed changes: reconcile first.
    const trusted = stored !== null && row.status === 'STREAMING';
    let from: SteveChangePosition | null = stored;
    if (!trusted) {
      from = support.position;
      await setStatus(db, this.holder, 'RECONCILING', { position: from, streamingSince: null });
      this.#logger.info({ position: from }, 'change capture: full sync to reconcile before streaming');
      try {
        await this.#o.reconcile();
      } catch (error) {
        await this.#trouble({
          kind: 'CONNECTION_LOST',
          message: `reconciling failed: ${(error as Error).message}`,
        });
        return 'ENDED';
      }
      if (!this.#running || !this.#holding) return 'ENDED';
    }

    let endedWith: SteveChangeStreamError | null = null;
    let ended!: () => void;
    const endedPromise = new Promise<void>((resolve) => (ended = resolve));
    const apply: ApplyDeps = {
      db,
      steve,
      pubsub: this.#o.pubsub,
      now: this.#now,
      offlineAfterMs: this.#o.offlineAfterMs,
      holder: this.holder,
      evses: this.#evses,
    };
    try {
      this.#stream = await steve.watchChanges({
        from,
        serverId: this.#o.serverId,
        onBatch: async (batch: SteveChangeBatch) => {
          this.#logger.debug({ changes: batch.changes }, 'change batch received');
          const result = await applyChangeBatch(apply, batch);
          this.applied += 1;
          this.#logger.debug(
            { changes: result.changes, lagMs: result.appliedAt.getTime() - batch.committedAt.getTime() },
            'change batch applied',
          );
        },
        onEnd: (error) => {
          endedWith = error;
          ended();
        },
      });
    } catch (error) {
      await this.#trouble({ kind: 'CONNECTION_LOST', message: (error as Error).message });
      return 'ENDED';
    }
    const since = this.#now();
    // The position stays what it is: saved before reconciling, or moved by batches already applied.
    await setStatus(db, this.holder, 'STREAMING', { problem: null, streamingSince: since });
    await this.#resolveAlerts(since);
    this.#failures = 0;
    this.#logger.info({ from, holder: this.holder }, 'change capture streaming');

    // Until the stream ends, this instance stops, or the lease is lost.
    let check: NodeJS.Timeout | undefined;
    await Promise.race([
      endedPromise,
      new Promise<void>((resolve) => {
        // stop() and a lost lease wake the loop through #wake; this catches both between sleeps.
        this.#wake = resolve;
        check = setInterval(() => {
          if (!this.#running || !this.#holding) resolve();
        }, 200);
      }),
    ]);
    clearInterval(check);
    this.#wake = null;
    const stream = this.#stream;
    this.#stream = null;
    await stream?.stop();
    // A clean stop leaves status STREAMING with its position: whoever takes over resumes there.
    if (endedWith) await this.#trouble(endedWith);
    return 'ENDED';
  }

  /** Health warning (status RECONNECTING + problem) and an alert; the next start reconciles. */
  async #trouble(error: SteveChangeStreamError): Promise<void> {
    const { db } = this.#o;
    const problem = `change stream interrupted (${error.kind}): ${error.message}`;
    this.#logger.warn(
      { kind: error.kind, err: error.message },
      'change capture: stream interrupted, reconnecting',
    );
    const now = this.#now();
    await setStatus(db, this.holder, 'RECONNECTING', { problem, streamingSince: null }).catch(() => false);
    const row = await readChangeStream(db).catch(() => null);
    const written = await recordAlerts(db, [
      {
        severity: 'WARNING',
        kind: 'steve.changeCapture',
        message: `Streaming from SteVe's binlog stopped (${error.kind}): ${error.message}. Polaris reconnects and runs a full sync before streaming again; until then SteVe is polled.`,
        subjectType: 'ChangeStream',
        subjectId: '1',
        // One alert per interruption of a stream (not per reconnect attempt).
        dedupeKey: `change-capture:${row?.lastAppliedAt?.toISOString() ?? 'never'}:${error.kind}`,
      },
    ]).catch(() => false);
    if (written) this.#o.pubsub.publish('alerts:changed', { at: now.toISOString() });
  }

  async #resolveAlerts(now: Date): Promise<void> {
    const { count } = await this.#o.db.alert.updateMany({
      where: { kind: 'steve.changeCapture', resolvedAt: null },
      data: { resolvedAt: now },
    });
    if (count) this.#o.pubsub.publish('alerts:changed', { at: now.toISOString() });
  }
}
