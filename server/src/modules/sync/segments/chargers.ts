import type { SteveChargePoint } from '../../../integrations/steve/port.ts';
import { v7 as uuidv7 } from 'uuid';
import { bulkInsert, bulkUpdate, type BulkColumns, type BulkRow } from '../../../lib/bulk-sql.ts';
import { recordSteveSiteData } from '../../chargers/charger-profile.ts';
import { drivePages, fleetPageSize } from '../paging.ts';
import { pagesInTurn } from '../read-ahead.ts';
import { commitChanges, type Segment, type Tx, type WriteScope } from '../segment.ts';
import { plural } from '../../../../../shared/plural.ts';

/** An unchanged charger's `lastSeenAt` is rewritten only when it is older than this. */
export const LAST_SEEN_REFRESH_MS = 10 * 60_000;

/** CHARGERS: SteVe's charge points (`charge_box`, with their connectors) → Charger and Connector. */
export const syncChargers: Segment = async (deps, ctx) => {
  const now = deps.now();
  const seen = new Set<string>();
  await drivePages(
    deps,
    ctx,
    pagesInTurn((afterPk: number) => deps.steve.listChargePoints({ afterPk, limit: fleetPageSize(deps) }), 0),
    async (tx, page, scope) => {
      for (const cp of page.items) seen.add(cp.chargeBoxId);
      await writeChargePoints(tx, page.items, scope);
    },
  );

  // SteVe hard-deletes charge points: whatever it no longer lists is gone (kept, never deleted).
  const present = await deps.db.charger.findMany({
    where: { goneAt: null },
    select: { id: true, chargeBoxId: true },
  });
  const gone = present.filter((c) => !seen.has(c.chargeBoxId)).map((c) => c.id);
  if (gone.length) {
    await commitChanges(deps, ctx, (tx, scope) => markChargePointsGone(tx, gone, { ...scope, now }));
    ctx.notes.push(`${plural(gone.length, 'charge point')} no longer in SteVe, marked gone`);
  }
  ctx.total = ctx.processed;
};

/**
 * SteVe deleted these charge points (a key diff, or a delete change capture saw): they are kept,
 * marked gone. Applying it twice changes nothing.
 */
export async function markChargePointsGone(tx: Tx, chargerIds: string[], scope: WriteScope): Promise<void> {
  if (chargerIds.length === 0) return;
  await tx.charger.updateMany({
    where: { id: { in: chargerIds }, goneAt: null },
    data: { goneAt: scope.now },
  });
}

/**
 * Writes charge points (a page, or the one a change touched) and their connectors. Only
 * differences are written; the same rows applied twice change nothing.
 */
export async function writeChargePoints(tx: Tx, items: SteveChargePoint[], scope: WriteScope): Promise<void> {
  const { now } = scope;
  const seenBefore = new Date(now.getTime() - LAST_SEEN_REFRESH_MS);
  const ids = items.map((cp) => cp.chargeBoxId);
  // A SteVe key belongs to whichever charge point holds it now (a restored SteVe database, a
  // restarted simulator): release it from any other charger before upserting.
  await tx.charger.updateMany({
    where: { stevePk: { in: items.map((cp) => cp.pk) }, chargeBoxId: { notIn: ids } },
    data: { stevePk: null },
  });
  const existing = await tx.charger.findMany({ where: { chargeBoxId: { in: ids } } });
  const byBox = new Map(existing.map((c) => [c.chargeBoxId, c]));
  const stale: string[] = [];
  const changedRows: BulkRow[] = [];
  const creates: BulkRow[] = [];
  const chargerIds = new Map<string, string>();
  for (const cp of items) {
    const data = {
      stevePk: cp.pk,
      description: cp.description,
      vendor: cp.vendor,
      model: cp.model,
      registrationStatus: cp.registrationStatus,
      lastHeartbeatAt: cp.lastHeartbeatAt,
    };
    const row = byBox.get(cp.chargeBoxId);
    if (!row) {
      creates.push({
        ...data,
        id: uuidv7(),
        chargeBoxId: cp.chargeBoxId,
        firstSeenAt: now,
        lastSeenAt: now,
        stateChangedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      continue;
    }
    chargerIds.set(cp.chargeBoxId, row.id);
    const changed =
      row.stevePk !== data.stevePk ||
      row.description !== data.description ||
      row.vendor !== data.vendor ||
      row.model !== data.model ||
      row.registrationStatus !== data.registrationStatus ||
      row.lastHeartbeatAt?.getTime() !== data.lastHeartbeatAt?.getTime() ||
      row.goneAt !== null;
    if (changed) {
      // goneAt: null revives a charge point that came back.
      changedRows.push({ id: row.id, ...data, lastSeenAt: now, goneAt: null });
    } else if (row.lastSeenAt < seenBefore) {
      // Unchanged rows are not rewritten every run: lastSeenAt is refreshed at most every few minutes.
      stale.push(row.id);
    }
  }
  await bulkInsert(tx, 'Charger', CHARGER_INSERT_COLUMNS, creates);
  for (const c of creates) chargerIds.set(c.chargeBoxId as string, c.id as string);
  await bulkUpdate(tx, 'Charger', CHARGER_COLUMNS, changedRows);
  if (stale.length) {
    await tx.charger.updateMany({ where: { id: { in: stale } }, data: { lastSeenAt: now } });
  }

  const connectors = await tx.connector.findMany({
    where: { chargerId: { in: [...chargerIds.values()] } },
    select: { id: true, chargerId: true, connectorId: true, maxPowerKw: true },
  });
  const byKey = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c]));
  const toCreate: BulkRow[] = [];
  const powerChanges: BulkRow[] = [];
  for (const cp of items) {
    const chargerId = chargerIds.get(cp.chargeBoxId)!;
    for (const conn of cp.connectors) {
      if (conn.connectorId < 1) continue;
      const maxPowerKw = conn.maxPowerW === null ? null : conn.maxPowerW / 1000;
      const row = byKey.get(`${chargerId}:${conn.connectorId}`);
      if (!row)
        toCreate.push({ id: uuidv7(), chargerId, connectorId: conn.connectorId, maxPowerKw, updatedAt: now });
      else if (row.maxPowerKw !== maxPowerKw) powerChanges.push({ id: row.id, maxPowerKw });
    }
  }
  await bulkInsert(tx, 'Connector', CONNECTOR_INSERT_COLUMNS, toCreate, {
    onConflictDoNothing: ['chargerId', 'connectorId'],
  });
  await bulkUpdate(tx, 'Connector', [['maxPowerKw', 'float8']], powerChanges);
  // SteVe's address, coordinates and plug types (operator overrides in Polaris stay as they are).
  await recordSteveSiteData(tx, items, chargerIds);
}

const CHARGER_COLUMNS: BulkColumns = [
  ['stevePk', 'int4'],
  ['description', 'text'],
  ['vendor', 'text'],
  ['model', 'text'],
  ['registrationStatus', 'text'],
  ['lastHeartbeatAt', 'timestamp(3)'],
  ['lastSeenAt', 'timestamp(3)'],
  ['goneAt', 'timestamp(3)'],
];

const CHARGER_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['chargeBoxId', 'text'],
  ...CHARGER_COLUMNS.filter(([n]) => n !== 'goneAt'),
  ['firstSeenAt', 'timestamp(3)'],
  ['stateChangedAt', 'timestamp(3)'],
  ['createdAt', 'timestamp(3)'],
  ['updatedAt', 'timestamp(3)'],
];

const CONNECTOR_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['chargerId', 'text'],
  ['connectorId', 'int4'],
  ['maxPowerKw', 'float8'],
  ['updatedAt', 'timestamp(3)'],
];
