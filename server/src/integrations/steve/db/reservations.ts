import type { SteveReservation, SteveReservationStatus } from '../port.ts';
import { date, type Row } from './rows.ts';

/** Reservations with their charger's registered id; `r`, `e`, `cb`, `tag` aliases. */
export const RESERVATION_FROM = `FROM reservation r JOIN evse e ON e.evse_pk = r.evse_pk
         JOIN charge_box cb ON cb.charge_box_id = e.charge_box_id
         LEFT JOIN ocpp_tag tag ON tag.id_tag = r.id_tag`;
export const RESERVATION_TAG = 'COALESCE(tag.id_tag, r.id_tag)';

export function reservationOf(r: Row): SteveReservation {
  return {
    pk: Number(r.reservation_pk),
    chargeBoxId: String(r.charge_box_id),
    connectorId: Number(r.evse_id),
    idTag: String(r.id_tag),
    transactionPk: r.transaction_pk == null ? null : Number(r.transaction_pk),
    startAt: date(r.start_datetime) ?? new Date(0),
    expiryAt: date(r.expiry_datetime) ?? new Date(0),
    status: reservationStatusOf(r.status),
    statusAt: date(r.status_timestamp) ?? new Date(0),
    createdAt: date(r.created_at) ?? new Date(0),
    updatedAt: date(r.updated_at) ?? new Date(0),
  };
}

function reservationStatusOf(value: unknown): SteveReservationStatus {
  const s = String(value);
  return s === 'WAITING' || s === 'ACCEPTED' || s === 'USED' || s === 'CANCELLED' ? s : 'CANCELLED';
}
