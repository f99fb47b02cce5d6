import { steveKey } from '../../../integrations/steve/key.ts';
import { chargerStateChanged } from '../../events/emit.ts';
import type { SteveConnectorStatus } from '../../../integrations/steve/port.ts';
import { deriveChargerState } from '../../../integrations/steve/state.ts';
import { v7 as uuidv7 } from 'uuid';
import { bulkInsert, bulkUpdate, type BulkColumns, type BulkRow } from '../../../lib/bulk-sql.ts';
import {
  rebootingChargerIds,
  recordStatusChanges,
  type StatusChange,
} from '../../commands/status-history.ts';
import { drivePages, fleetPageSize } from '../paging.ts';
import { pagesInTurn } from '../read-ahead.ts';
import { commitChanges, type Segment, type Tx, type WriteScope } from '../segment.ts';
import { findChargerIds } from './lookups.ts';

/** Connector statuses of one charger, as SteVe reports them. */
export type StatusList = { connectorId: number; status: string | null }[];

/**
 * CONNECTOR_STATUS: SteVe's latest `connector_status` per connector → Connector; then every
 * charger's product state is derived from its heartbeat, registration and connector statuses (a
 * charger rebooting after an accepted Reset stays OFFLINE until SteVe records its boot). Every status
 * change also goes to the status history, and faults raise an alert (commands/status-history.ts).
 */
export const syncConnectorStatus: Segment = async (deps, ctx) => {
  const now = deps.now();
  const statuses = new Map<string, StatusList>();
  await drivePages(
    deps,
    ctx,
    pagesInTurn(
      (afterPk: number) => deps.steve.listConnectorStatuses({ afterPk, limit: fleetPageSize(deps) }),
      0,
    ),
    async (tx, page, scope) => {
      for (const st of page.items) {
        const list = statuses.get(steveKey(st.chargeBoxId)) ?? [];
        list.push({ connectorId: st.connectorId, status: st.status });
        statuses.set(steveKey(st.chargeBoxId), list);
      }
      await writeConnectorStatuses(tx, page.items, scope);
    },
  );

  // Derive the product state of every charger; a gone one is OFFLINE whatever it last said.
  await commitChanges(deps, ctx, (tx, scope) =>
    writeChargerStates(tx, null, statuses, { ...scope, now }, deps.offlineAfterMs),
  );
  ctx.total = ctx.processed;
};

/**
 * Derives the product state of the given chargers (null: every charger) from their heartbeat,
 * registration and `statuses` (keyed by `steveKey(chargeBoxId)`), and writes the ones that changed.
 * A gone charger is OFFLINE whatever it last said. Applying it twice changes nothing.
 */
export async function writeChargerStates(
  tx: Tx,
  chargerIds: string[] | null,
  statuses: Map<string, StatusList>,
  scope: WriteScope,
  offlineAfterMs: number | undefined,
): Promise<void> {
  const { now } = scope;
  // Chargers rebooting after an accepted Reset stay OFFLINE until SteVe records their boot.
  const rebooting = await rebootingChargerIds(tx, now);
  const chargers = await tx.charger.findMany({
    ...(chargerIds ? { where: { id: { in: chargerIds } } } : {}),
    select: {
      id: true,
      chargeBoxId: true,
      lastHeartbeatAt: true,
      registrationStatus: true,
      goneAt: true,
      state: true,
    },
  });
  const changes = chargers
    .map((c) => {
      const state = c.goneAt
        ? 'OFFLINE'
        : deriveChargerState({
            lastHeartbeatAt: c.lastHeartbeatAt,
            connectors: statuses.get(steveKey(c.chargeBoxId)) ?? [],
            registrationStatus: c.registrationStatus,
            knownDisconnected: rebooting.has(c.id),
            now,
            ...(offlineAfterMs !== undefined ? { offlineAfterMs } : {}),
          });
      return { id: c.id, chargeBoxId: c.chargeBoxId, state, previous: c.state };
    })
    .filter((c) => c.state !== c.previous);
  if (changes.length === 0) return;
  await bulkUpdate(
    tx,
    'Charger',
    [
      ['state', '"ChargerState"'],
      ['stateChangedAt', 'timestamp(3)'],
    ],
    changes.map((c) => ({ id: c.id, state: c.state, stateChangedAt: now })),
  );
  for (const c of changes) {
    scope.changes.chargers.add(c.id);
    scope.changes.emit(chargerStateChanged(c, now));
  }
}

/**
 * Writes connector statuses (a page, or the one a change touched). Only differences are written,
 * all of a page in one statement; the same rows applied twice change nothing. A changed status or
 * error code is recorded in the status history (and raises or resolves the connector's fault alert).
 */
export async function writeConnectorStatuses(
  tx: Tx,
  items: SteveConnectorStatus[],
  scope: WriteScope,
): Promise<void> {
  const chargerIds = await findChargerIds(
    tx,
    items.map((s) => s.chargeBoxId),
  );
  const connectors = await tx.connector.findMany({
    where: { chargerId: { in: [...chargerIds.values()] } },
  });
  const byKey = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c]));
  const creates = new Map<string, BulkRow>();
  const updates: BulkRow[] = [];
  const changed: StatusChange[] = [];
  for (const st of items) {
    if (st.connectorId < 1 || st.status === null) continue;
    const chargerId = chargerIds.get(steveKey(st.chargeBoxId));
    if (!chargerId) continue;
    const data = {
      status: st.status,
      errorCode: st.errorCode,
      errorInfo: st.errorInfo,
      statusAt: st.statusAt,
    };
    const key = `${chargerId}:${st.connectorId}`;
    const row = byKey.get(key);
    if (!row || row.status !== data.status || row.errorCode !== data.errorCode)
      changed.push({ chargerId, connectorId: st.connectorId, ...data, at: data.statusAt });
    if (!row) {
      creates.set(key, {
        ...data,
        id: uuidv7(),
        chargerId,
        connectorId: st.connectorId,
        updatedAt: scope.now,
      });
    } else if (
      row.status !== data.status ||
      row.errorCode !== data.errorCode ||
      row.errorInfo !== data.errorInfo ||
      row.statusAt?.getTime() !== data.statusAt?.getTime()
    ) {
      updates.push({ id: row.id, ...data });
    }
  }
  await bulkInsert(tx, 'Connector', CONNECTOR_STATUS_INSERT_COLUMNS, [...creates.values()], {
    onConflictDoNothing: ['chargerId', 'connectorId'],
  });
  await bulkUpdate(tx, 'Connector', CONNECTOR_STATUS_COLUMNS, updates);
  if (await recordStatusChanges(tx, changed, scope.now)) scope.changes.alerts = true;
}

const CONNECTOR_STATUS_COLUMNS: BulkColumns = [
  ['status', 'text'],
  ['errorCode', 'text'],
  ['errorInfo', 'text'],
  ['statusAt', 'timestamp(3)'],
];

const CONNECTOR_STATUS_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['chargerId', 'text'],
  ['connectorId', 'int4'],
  ...CONNECTOR_STATUS_COLUMNS,
  ['updatedAt', 'timestamp(3)'],
];
