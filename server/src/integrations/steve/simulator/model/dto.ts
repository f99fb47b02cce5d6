import type {
  SteveChargePoint,
  SteveReservation,
  SteveTag,
  SteveTransaction,
  TimeCursor,
} from '../../port.ts';
import type { SimWorld } from '../world.ts';
import { activeCount, findTag } from './tags.ts';
import type { SimChargePoint, SimReservation, SimTag, SimTransaction } from './types.ts';

/** Records → the port's shapes, exactly as the real adapter returns them from SteVe. */

export function chargePointDto(cp: SimChargePoint): SteveChargePoint {
  return {
    pk: cp.pk,
    chargeBoxId: cp.chargeBoxId,
    description: cp.description,
    vendor: cp.vendor,
    model: cp.model,
    firmwareVersion: cp.firmwareVersion,
    ocppProtocol: 'ocpp1.6J',
    registrationStatus: 'Accepted',
    lastHeartbeatAt: new Date(cp.lastHeartbeatAt),
    connectors: cp.connectors.map((c) => ({
      connectorId: c.connectorId,
      evsePk: c.evsePk,
      maxPowerW: c.powerW,
      powerType: c.powerType,
    })),
    createdAt: new Date(cp.createdAt),
    updatedAt: new Date(cp.updatedAt),
  };
}

export function tagDto(world: SimWorld, tag: SimTag): SteveTag {
  const active = activeCount(world, tag.idTag);
  return {
    pk: tag.pk,
    idTag: tag.idTag,
    parentIdTag: tag.parentIdTag,
    expiryDate: tag.expiryDate === null ? null : new Date(tag.expiryDate),
    maxActiveTransactionCount: tag.maxActive,
    activeTransactionCount: active,
    blocked: tag.maxActive === 0,
    note: tag.note,
    userPk: null,
    createdAt: new Date(tag.createdAt),
    updatedAt: new Date(tag.updatedAt),
  };
}

export function transactionDto(world: SimWorld, tx: SimTransaction): SteveTransaction {
  const tag = findTag(world, tx.idTag);
  return {
    pk: tx.pk,
    chargePointPk: tx.cpPk,
    chargeBoxId: tx.chargeBoxId,
    connectorId: tx.connectorId,
    idTag: tx.idTag,
    tagPk: tag?.pk ?? null,
    startedAt: new Date(tx.startedAt),
    startEventAt: new Date(tx.startedAt),
    meterStartWh: tx.meterStartWh,
    stoppedAt: tx.stoppedAt === null ? null : new Date(tx.stoppedAt),
    stopEventAt: tx.stoppedAt === null ? null : new Date(tx.stoppedAt),
    meterStopWh: tx.meterStopWh,
    stopReason: tx.stopReason,
    stopActor: tx.stopActor,
  };
}

export function reservationDto(r: SimReservation): SteveReservation {
  return {
    pk: r.pk,
    chargeBoxId: r.chargeBoxId,
    connectorId: r.connectorId,
    idTag: r.idTag,
    transactionPk: r.transactionPk,
    startAt: new Date(r.startAt),
    expiryAt: new Date(r.expiryAt),
    status: r.status,
    statusAt: new Date(r.statusAt),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  };
}

export function tagCursor(t: SteveTag): TimeCursor {
  return { at: t.updatedAt ?? new Date(0), pk: t.pk };
}
