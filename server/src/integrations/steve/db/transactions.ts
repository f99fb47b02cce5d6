import type { SteveTransaction } from '../port.ts';
import { date, num, str, type Row } from './rows.ts';

/**
 * Transactions with their latest stop row (what SteVe's `transaction` view shows). `from` must
 * define the alias `ts` (transaction_start rows); `extra` adds columns of other tables in `from`.
 */
export const transactionSelect = (from = 'transaction_start ts', extra = '') => `
  SELECT ts.transaction_pk, ts.event_timestamp AS start_event_timestamp, ts.start_timestamp, ts.start_value,
         COALESCE(tag.id_tag, ts.id_tag) AS id_tag, e.evse_id, cb.charge_box_id, cb.charge_box_pk, tag.ocpp_tag_pk,
         st.event_actor AS stop_event_actor, st.event_timestamp AS stop_event_timestamp, st.stop_timestamp,
         st.stop_value, st.stop_reason${extra ? `, ${extra}` : ''}
    FROM ${from}
    JOIN evse e ON e.evse_pk = ts.evse_pk
    JOIN charge_box cb ON cb.charge_box_id = e.charge_box_id
    LEFT JOIN ocpp_tag tag ON tag.id_tag = ts.id_tag
    LEFT JOIN transaction_stop st ON st.transaction_pk = ts.transaction_pk
     AND st.event_timestamp = (SELECT MAX(later.event_timestamp) FROM transaction_stop later
                                WHERE later.transaction_pk = ts.transaction_pk)`;

export function transactionOf(r: Row): SteveTransaction {
  return {
    pk: Number(r.transaction_pk),
    chargePointPk: Number(r.charge_box_pk),
    chargeBoxId: String(r.charge_box_id),
    connectorId: Number(r.evse_id),
    idTag: String(r.id_tag),
    tagPk: r.ocpp_tag_pk == null ? null : Number(r.ocpp_tag_pk),
    startedAt: date(r.start_timestamp) ?? date(r.start_event_timestamp) ?? new Date(0),
    startEventAt: date(r.start_event_timestamp) ?? new Date(0),
    meterStartWh: num(r.start_value) ?? 0,
    stoppedAt: date(r.stop_timestamp),
    stopEventAt: date(r.stop_event_timestamp),
    meterStopWh: num(r.stop_value),
    stopReason: str(r.stop_reason),
    stopActor:
      r.stop_event_actor === 'station' || r.stop_event_actor === 'manual' ? r.stop_event_actor : null,
  };
}
