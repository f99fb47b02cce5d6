import type { SteveTag } from '../port.ts';
import { date, str, type Row } from './rows.ts';

/** Tags with their owner and active transaction count; alias `o`. */
export const TAG_SELECT = `SELECT o.ocpp_tag_pk, o.id_tag, o.parent_id_tag, o.expiry_date, o.max_active_transaction_count, o.note,
                o.created_at, o.updated_at, uot.user_pk,
                (SELECT COUNT(*) FROM transaction_start ts
                  WHERE ts.id_tag = o.id_tag
                    AND NOT EXISTS (SELECT 1 FROM transaction_stop st WHERE st.transaction_pk = ts.transaction_pk)
                ) AS active_count
           FROM ocpp_tag o
           LEFT JOIN user_ocpp_tag uot ON uot.ocpp_tag_pk = o.ocpp_tag_pk`;

export function tagOf(r: Row): SteveTag {
  const max = Number(r.max_active_transaction_count);
  return {
    pk: Number(r.ocpp_tag_pk),
    idTag: String(r.id_tag),
    parentIdTag: str(r.parent_id_tag),
    expiryDate: date(r.expiry_date),
    maxActiveTransactionCount: max,
    activeTransactionCount: Number(r.active_count),
    blocked: max === 0,
    note: str(r.note),
    userPk: r.user_pk == null ? null : Number(r.user_pk),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}
