import { steveKey } from '../../../integrations/steve/key.ts';
import type {
  SteveChangeBatch,
  SteveChargePoint,
  SteveConnectorStatus,
  SteveMeterSample,
  StevePort,
  SteveReservation,
  SteveTag,
  SteveTransaction,
} from '../../../integrations/steve/port.ts';
import type { Db } from '../../../lib/db.ts';
import type { PubSub } from '../../../lib/pubsub.ts';
import { Changes, publishChanges } from '../run-events.ts';
import type { WriteScope } from '../segment.ts';
import { markChargePointsGone, writeChargePoints } from '../segments/chargers.ts';
import { writeChargerStates, writeConnectorStatuses, type StatusList } from '../segments/connector-status.ts';
import {
  foldMeterSamples,
  noteMeterChanges,
  writeMeterSamples,
  type MeterSession,
} from '../segments/meter-values.ts';
import { markReservationsGone, writeReservations } from '../segments/reservations.ts';
import { markTagsGone, writeTags } from '../segments/tags.ts';
import { closeDeletedTransactions, writeTransactions } from '../segments/transactions.ts';
import { savePosition } from './state.ts';

/**
 * Applies one batch of SteVe row changes: the changed rows are read back through the port (the one
 * place SteVe rows become DTOs), then written by the sync segments' own idempotent writers in one
 * transaction together with the stream position, and what changed is published after the commit.
 * A batch applied again (after a restart, or seen by a poll too) changes nothing.
 */
export interface ApplyDeps {
  db: Db;
  steve: StevePort;
  pubsub: PubSub;
  now: () => Date;
  offlineAfterMs: number | undefined;
  /** Lease holder id: the position write is fenced by it. */
  holder: string;
  /** evse_pk → its charge point and connector (SteVe never moves an evse to another station). */
  evses: Map<number, { chargeBoxId: string; connectorId: number }>;
}

export interface ApplyResult {
  /** Rows of SteVe the batch touched. */
  changes: number;
  /** When the transaction committed. */
  appliedAt: Date;
}

interface Keys {
  chargePoints: Set<number>;
  goneChargePoints: Set<number>;
  chargeBoxes: Set<string>;
  evses: Set<number>;
  transactions: Set<number>;
  goneTransactions: Set<number>;
  meterTransactions: Set<number>;
  untaggedMeterEvses: Set<number>;
  tags: Set<number>;
  goneTags: Set<number>;
  reservations: Set<number>;
  goneReservations: Set<number>;
}

function keysOf(batch: SteveChangeBatch): Keys {
  const k: Keys = {
    chargePoints: new Set(),
    goneChargePoints: new Set(),
    chargeBoxes: new Set(),
    evses: new Set(),
    transactions: new Set(),
    goneTransactions: new Set(),
    meterTransactions: new Set(),
    untaggedMeterEvses: new Set(),
    tags: new Set(),
    goneTags: new Set(),
    reservations: new Set(),
    goneReservations: new Set(),
  };
  for (const c of batch.changes) {
    switch (c.table) {
      case 'charge_box':
        (c.deleted ? k.goneChargePoints : k.chargePoints).add(c.chargePointPk);
        break;
      case 'evse':
        if (c.chargeBoxId) k.chargeBoxes.add(c.chargeBoxId);
        k.evses.add(c.evsePk);
        break;
      case 'connector_status':
        k.evses.add(c.evsePk);
        break;
      case 'transaction_start':
      case 'transaction_stop':
        (c.deleted && c.table === 'transaction_start' ? k.goneTransactions : k.transactions).add(
          c.transactionPk,
        );
        break;
      case 'connector_meter_value':
        if (c.transactionPk !== null) k.meterTransactions.add(c.transactionPk);
        else k.untaggedMeterEvses.add(c.evsePk);
        break;
      case 'ocpp_tag':
        (c.deleted ? k.goneTags : k.tags).add(c.tagPk);
        break;
      case 'reservation':
        (c.deleted ? k.goneReservations : k.reservations).add(c.reservationPk);
        break;
    }
  }
  for (const pk of k.goneChargePoints) k.chargePoints.delete(pk);
  for (const pk of k.goneTags) k.tags.delete(pk);
  for (const pk of k.goneReservations) k.reservations.delete(pk);
  return k;
}

/** The charge point of each evse pk, read once per evse (cached in `deps.evses`). */
async function resolveEvses(deps: ApplyDeps, evsePks: Iterable<number>): Promise<void> {
  for (const pk of evsePks) {
    if (deps.evses.has(pk)) continue;
    const page = await deps.steve.listConnectorStatuses({ afterPk: pk - 1, limit: 1 });
    const row = page.items[0];
    if (row && row.evsePk === pk)
      deps.evses.set(pk, { chargeBoxId: row.chargeBoxId, connectorId: row.connectorId });
  }
}

/** What SteVe holds now for the keys of a batch (read before the Polaris transaction opens). */
interface Reads {
  chargePoints: SteveChargePoint[];
  statuses: SteveConnectorStatus[];
  /** Boxes whose state is derived again (statuses, heartbeat, registration, deletion). */
  stateBoxes: Set<string>;
  transactions: SteveTransaction[];
  goneTransactions: number[];
  samples: SteveMeterSample[];
  tags: SteveTag[];
  reservations: SteveReservation[];
}

async function readBack(deps: ApplyDeps, k: Keys): Promise<Reads> {
  const { steve, db } = deps;
  await resolveEvses(deps, [...k.evses, ...k.untaggedMeterEvses]);
  const chargePoints: SteveChargePoint[] = [];
  // A new connector (evse row) shows in its charge point's connector list: read that charge point.
  const boxPks = new Set(k.chargePoints);
  if (k.chargeBoxes.size) {
    const known = await db.charger.findMany({
      where: { chargeBoxId: { in: [...k.chargeBoxes], mode: 'insensitive' }, stevePk: { not: null } },
      select: { stevePk: true },
    });
    for (const c of known) boxPks.add(c.stevePk!);
  }
  for (const pk of boxPks) {
    const page = await steve.listChargePoints({ afterPk: pk - 1, limit: 1 });
    if (page.items[0]?.pk === pk) chargePoints.push(page.items[0]);
  }
  const stateBoxes = new Set<string>(chargePoints.map((cp) => cp.chargeBoxId));
  for (const pk of k.evses) {
    const evse = deps.evses.get(pk);
    if (evse) stateBoxes.add(evse.chargeBoxId);
  }
  const statuses = stateBoxes.size
    ? (await steve.listConnectorStatuses({ chargeBoxIds: [...stateBoxes], limit: 5000 })).items
    : [];

  // Untagged meter values belong to the session running on their connector.
  const meterPks = new Set(k.meterTransactions);
  if (k.untaggedMeterEvses.size) {
    const running = await db.chargingSession.findMany({
      where: {
        status: 'ACTIVE',
        OR: [...k.untaggedMeterEvses].flatMap((pk) => {
          const evse = deps.evses.get(pk);
          return evse
            ? [
                {
                  connectorNumber: evse.connectorId,
                  charger: { chargeBoxId: { equals: evse.chargeBoxId, mode: 'insensitive' as const } },
                },
              ]
            : [];
        }),
      },
      select: { steveTransactionPk: true },
    });
    for (const s of running) meterPks.add(s.steveTransactionPk);
  }
  const txPks = [...new Set([...k.transactions, ...k.goneTransactions])];
  const transactions = txPks.length ? await steve.getTransactions(txPks) : [];
  const found = new Set(transactions.map((t) => t.pk));
  const goneTransactions = txPks.filter((pk) => !found.has(pk));

  let samples: SteveMeterSample[] = [];
  if (meterPks.size) {
    // Only samples after the oldest newest-sample of these sessions (unknown ones: from the start).
    const known = await db.chargingSession.findMany({
      where: { steveTransactionPk: { in: [...meterPks] } },
      select: { latestMeterAt: true },
    });
    const since =
      known.length === meterPks.size && known.every((s) => s.latestMeterAt)
        ? new Date(Math.min(...known.map((s) => s.latestMeterAt!.getTime())))
        : null;
    let after = null;
    for (;;) {
      const page = await steve.listMeterValues({ transactionPks: [...meterPks], since, after, limit: 5000 });
      samples = samples.concat(page.items);
      if (!page.hasMore) break;
      after = page.cursor;
    }
  }
  const tags = k.tags.size ? await steve.getTags([...k.tags]) : [];
  const reservations = k.reservations.size ? await steve.getReservations([...k.reservations]) : [];
  return { chargePoints, statuses, stateBoxes, transactions, goneTransactions, samples, tags, reservations };
}

const SESSION_SELECT = {
  id: true,
  steveTransactionPk: true,
  status: true,
  meterStartWh: true,
  latestMeterAt: true,
  firstMeterAt: true,
  driverId: true,
} as const;

/** Applies a batch; the position is saved in the same transaction (fenced by the lease). */
export async function applyChangeBatch(deps: ApplyDeps, batch: SteveChangeBatch): Promise<ApplyResult> {
  const k = keysOf(batch);
  const reads = await readBack(deps, k);
  const changes = new Changes();
  const scope: WriteScope = { now: deps.now(), changes, notes: [] };
  await deps.db.$transaction(async (tx) => {
    if (reads.chargePoints.length) await writeChargePoints(tx, reads.chargePoints, scope);
    if (k.goneChargePoints.size) {
      const gone = await tx.charger.findMany({
        where: { stevePk: { in: [...k.goneChargePoints] } },
        select: { id: true, chargeBoxId: true },
      });
      await markChargePointsGone(
        tx,
        gone.map((c) => c.id),
        scope,
      );
      for (const c of gone) reads.stateBoxes.add(c.chargeBoxId);
    }
    if (reads.statuses.length) await writeConnectorStatuses(tx, reads.statuses, scope);
    if (reads.stateBoxes.size) {
      const statusLists = new Map<string, StatusList>();
      for (const st of reads.statuses) {
        const list = statusLists.get(steveKey(st.chargeBoxId)) ?? [];
        list.push({ connectorId: st.connectorId, status: st.status });
        statusLists.set(steveKey(st.chargeBoxId), list);
      }
      const chargers = await tx.charger.findMany({
        where: { chargeBoxId: { in: [...reads.stateBoxes], mode: 'insensitive' } },
        select: { id: true },
      });
      await writeChargerStates(
        tx,
        chargers.map((c) => c.id),
        statusLists,
        scope,
        deps.offlineAfterMs,
      );
    }
    if (reads.tags.length) await writeTags(tx, reads.tags, scope);
    if (k.goneTags.size) {
      const cards = await tx.evCard.findMany({
        where: { steveTagPk: { in: [...k.goneTags] } },
        select: { id: true },
      });
      await markTagsGone(
        tx,
        cards.map((c) => c.id),
        scope,
      );
    }
    if (reads.transactions.length) await writeTransactions(tx, reads.transactions, scope);
    if (reads.goneTransactions.length) await closeDeletedTransactions(tx, reads.goneTransactions, scope);
    if (reads.samples.length) {
      const sessions = await tx.chargingSession.findMany({
        where: { steveTransactionPk: { in: [...new Set(reads.samples.map((m) => m.transactionPk))] } },
        select: SESSION_SELECT,
      });
      const byPk = new Map<number, MeterSession>(
        sessions.map((s) => [s.steveTransactionPk, { ...s, since: s.latestMeterAt }]),
      );
      const fresh = reads.samples.filter((m) => {
        const s = byPk.get(m.transactionPk);
        return s !== undefined && (s.since === null || m.at > s.since);
      });
      if (fresh.length) {
        const { touched, rows } = foldMeterSamples(byPk, fresh);
        await writeMeterSamples(
          tx,
          fresh.map((m) => ({ sessionId: byPk.get(m.transactionPk)!.id, sample: m })),
          rows,
        );
        noteMeterChanges(scope, touched, rows);
      }
    }
    if (reads.reservations.length) await writeReservations(tx, reads.reservations, scope);
    if (k.goneReservations.size) await markReservationsGone(tx, [...k.goneReservations], scope);
    await savePosition(tx, deps.holder, batch.position, batch.committedAt, deps.now());
  });
  const appliedAt = deps.now();
  publishChanges(deps.pubsub, changes);
  return { changes: batch.changes.length, appliedAt };
}
