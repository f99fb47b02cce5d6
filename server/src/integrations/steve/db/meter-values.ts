import type { SteveMeterSample } from '../port.ts';
import { ms, str, type Row } from './rows.ts';

/**
 * Readings per requested transaction: rows tagged with it, plus untagged rows on its connector
 * inside its time window (start → stop, or → the next start there while active), as SteVe does.
 * Parameters: the pk list twice. `since` is an extra condition on `v.value_timestamp` added to both
 * branches (then: pk list, since, pk list, since).
 */
export function meterRowsSql(since = ''): string {
  const columns = `v.evse_pk, v.value, v.reading_context, v.format, v.measurand, v.location, v.unit, v.phase`;
  return `
    SELECT v.transaction_pk AS tx, ${ms('v.value_timestamp')} AS ms, ${columns}
      FROM connector_meter_value v
     WHERE v.transaction_pk IN (?) AND v.value_timestamp IS NOT NULL ${since}
    UNION ALL
    SELECT t.transaction_pk AS tx, ${ms('v.value_timestamp')} AS ms, ${columns}
      FROM transaction_start t
      JOIN connector_meter_value v
        ON v.evse_pk = t.evse_pk AND v.transaction_pk IS NULL
       AND v.value_timestamp >= t.start_timestamp
       -- SteVe's window: up to and including the stop; for a transaction the station never
       -- stopped, strictly before the next transaction's start on the same connector.
       AND COALESCE(
             v.value_timestamp <= (SELECT MAX(st.stop_timestamp) FROM transaction_stop st
                                    WHERE st.transaction_pk = t.transaction_pk),
             v.value_timestamp < (SELECT MIN(nxt.start_timestamp) FROM transaction_start nxt
                                   WHERE nxt.evse_pk = t.evse_pk AND nxt.transaction_pk > t.transaction_pk),
             TRUE)
     WHERE t.transaction_pk IN (?) ${since}`;
}

interface Reading {
  value: number;
  measurand: string;
  unit: string | null;
  phase: string | null;
  location: string | null;
}

export function foldReadings(rows: Row[]): SteveMeterSample[] {
  const samples: SteveMeterSample[] = [];
  let group: Reading[] = [];
  let head: Row | undefined;
  const flush = () => {
    if (!head) return;
    samples.push({
      transactionPk: Number(head.tx),
      chargeBoxId: String(head.charge_box_id),
      connectorId: Number(head.evse_id),
      at: new Date(Number(head.ms)),
      energyWh: energyWhOf(group),
      powerW: powerWOf(group),
      socPercent: pick(group.filter((r) => r.measurand === 'SoC'))?.value ?? null,
    });
  };
  for (const row of rows) {
    if (!head || Number(row.tx) !== Number(head.tx) || Number(row.ms) !== Number(head.ms)) {
      flush();
      head = row;
      group = [];
    }
    // SignedData is an opaque blob, not a number; SteVe skips it for energy too.
    if (row.format === 'SignedData') continue;
    const value = Number(row.value);
    if (row.value == null || !Number.isFinite(value)) continue;
    group.push({
      value,
      measurand: str(row.measurand) ?? 'Energy.Active.Import.Register',
      unit: str(row.unit),
      phase: str(row.phase),
      location: str(row.location),
    });
  }
  flush();
  return samples;
}

/** Prefers the whole-meter reading (no phase) at the outlet. */
function pick(readings: Reading[]): Reading | undefined {
  return (
    readings.find((r) => r.phase === null && (r.location === null || r.location === 'Outlet')) ??
    readings.find((r) => r.phase === null)
  );
}

function energyWhOf(group: Reading[]): number | null {
  const reading = pick(group.filter((r) => r.measurand === 'Energy.Active.Import.Register'));
  if (!reading) return null;
  if (reading.unit === null || reading.unit === 'Wh') return reading.value;
  if (reading.unit === 'kWh') return reading.value * 1000;
  return null;
}

function powerWOf(group: Reading[]): number | null {
  const power = group.filter((r) => r.measurand === 'Power.Active.Import');
  const toW = (r: Reading) =>
    r.unit === 'kW' ? r.value * 1000 : r.unit === null || r.unit === 'W' ? r.value : NaN;
  const whole = pick(power);
  if (whole) return Number.isNaN(toW(whole)) ? null : toW(whole);
  // Per-phase only: the line-to-neutral (or plain Lx) values add up to the total.
  const phases = power.filter((r) => r.phase !== null && /^L[123](-N)?$/.test(r.phase));
  if (phases.length === 0) return null;
  const total = phases.reduce((sum, r) => sum + toW(r), 0);
  return Number.isNaN(total) ? null : total;
}
