import mysql, { type Pool } from 'mysql2/promise';
import { SteveError } from './errors.ts';
import {
  pageLimit,
  toPage,
  type MeterSampleCursor,
  type Page,
  type PkPageQuery,
  type SteveChargePoint,
  type SteveChargingProfile,
  type SteveConnector,
  type SteveConnectorStatus,
  type SteveMeterSample,
  type SteveReservation,
  type SteveTag,
  type SteveTransaction,
  type TimeCursor,
  type StoppedTransactionsQuery,
  type TimePageQuery,
} from './port.ts';
import type { SteveLogger } from './rest-client.ts';
import { steveKey } from './key.ts';
import { locationOf, powerTypeOf, statusOf, statusRank } from './db/charge-points.ts';
import { foldReadings, meterRowsSql } from './db/meter-values.ts';
import { RESERVATION_FROM, RESERVATION_TAG, reservationOf } from './db/reservations.ts';
import { chunks, date, dbError, ms, str, type Row } from './db/rows.ts';
import { TAG_SELECT, tagOf } from './db/tags.ts';
import { transactionOf, transactionSelect } from './db/transactions.ts';

/**
 * Schema heads (latest Flyway version) this reader works on: SteVe 3.14.0 (`1.1.5`, adds
 * `reservation.status_timestamp`) and 3.14.1 (`1.1.6`, adds `address.time_zone`). Older heads lack
 * columns the reader selects (before `1.1.4` the `evse` table is still called `connector`).
 */
export const SUPPORTED_SCHEMA_VERSIONS: readonly string[] = ['1.1.5', '1.1.6'];

/**
 * Every version SteVe's Flyway history can hold on a supported database: the scripts of an install
 * upgraded since 0.6.6, the `1.0.5` baseline of a fresh install, and the 1.0.x/1.1.x updates after
 * it. A history row with any other version (a fork's or a newer SteVe's migration) is refused.
 */
export const KNOWN_SCHEMA_HISTORY_VERSIONS: readonly string[] = [
  ...[
    '0.6.6',
    '0.6.7',
    '0.6.8',
    '0.6.9',
    '0.7.0',
    '0.7.1',
    '0.7.2',
    '0.7.3',
    '0.7.6',
    '0.7.7',
    '0.7.8',
    '0.7.9',
  ],
  ...['0.8.0', '0.8.1', '0.8.2', '0.8.4', '0.8.5', '0.8.6', '0.8.7', '0.8.8', '0.8.9'],
  ...['0.9.0', '0.9.1', '0.9.2', '0.9.3', '0.9.4', '0.9.5', '0.9.6', '0.9.7', '0.9.8', '0.9.9'],
  ...['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.0.6', '1.0.7', '1.0.8', '1.0.9'],
  ...['1.1.0', '1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6'],
];

/** Every table the reader selects from: the account needs SELECT on each (see `deniedTables`). */
export const READ_TABLES: readonly string[] = [
  ...['schema_version', 'charge_box', 'evse', 'evse_connector', 'connector_status', 'connector_meter_value'],
  ...['ocpp_tag', 'user_ocpp_tag', 'transaction_start', 'transaction_stop', 'reservation'],
];

export interface SteveDbReaderOptions {
  /** mysql://user:password@host:3306/stevedb — a SELECT-only account is enough. */
  dbUrl: string;
  connectionLimit?: number;
  /** Per-query deadline. */
  queryTimeoutMs?: number;
  logger?: SteveLogger;
}

/*
 * Charge box ids and idTags: SteVe's columns use utf8mb3_unicode_ci, so every `=` / `IN` below
 * matches the way SteVe matches (case-, accent- and trailing-space-insensitive). Rows that carry
 * the station's own spelling (evse.charge_box_id, transaction_start.id_tag, reservation.id_tag)
 * are reported with the registered spelling from charge_box / ocpp_tag, so Polaris sees one id.
 */

/**
 * Read-only access to SteVe's MySQL/MariaDB for what its REST API lacks. Every query is keyset
 * paged and bounded; the schema version is checked once before the first read. The SQL fragments
 * and row mappings of each table family live in `db/` (charge points, tags, transactions, meter
 * values, reservations); this class runs them on the pool.
 */
export class SteveDbReader {
  readonly #pool: Pool;
  readonly #queryTimeoutMs: number;
  readonly #logger: SteveLogger | undefined;
  #schemaCheck: Promise<string> | undefined;

  constructor(options: SteveDbReaderOptions) {
    this.#pool = mysql.createPool({
      uri: options.dbUrl,
      connectionLimit: options.connectionLimit ?? 4,
      // SteVe stores UTC; DATETIME columns (reservations) are UTC wall-clock, so parse both as UTC.
      timezone: 'Z',
      connectTimeout: 10_000,
      enableKeepAlive: true,
    });
    // Session time zone must be UTC too, or the server shifts TIMESTAMP values before we parse them.
    this.#pool.pool.on('connection', (connection) => {
      const core = connection as unknown as { query(sql: string): unknown };
      core.query("SET time_zone = '+00:00'");
      core.query('SET SESSION TRANSACTION READ ONLY');
    });
    this.#queryTimeoutMs = options.queryTimeoutMs ?? 15_000;
    this.#logger = options.logger;
  }

  /** Flyway version of the database; throws SCHEMA_UNSUPPORTED for one this reader does not know. */
  schemaVersion(): Promise<string> {
    this.#schemaCheck ??= this.#checkSchema().catch((error: unknown) => {
      // A connectivity failure may heal; an unsupported schema will not, so only that one is cached.
      if (!(error instanceof SteveError && error.code === 'SCHEMA_UNSUPPORTED'))
        this.#schemaCheck = undefined;
      throw error;
    });
    return this.#schemaCheck;
  }

  async #checkSchema(): Promise<string> {
    let rows: Row[];
    try {
      rows = await this.#select(
        'SELECT version, success FROM schema_version WHERE version IS NOT NULL ORDER BY installed_rank',
        [],
        false,
      );
    } catch (error) {
      if (error instanceof SteveError && error.code === 'SCHEMA_UNSUPPORTED') {
        throw new SteveError(
          'SCHEMA_UNSUPPORTED',
          `SteVe database has no Flyway history table 'schema_version' (is this a SteVe database?); supported schema versions: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`,
          { source: 'db', cause: error },
        );
      }
      throw error;
    }
    const supported = `supported schema versions: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`;
    const failed = rows.find((r) => !Number(r.success));
    if (failed) {
      throw new SteveError(
        'SCHEMA_UNSUPPORTED',
        `SteVe database has a failed Flyway migration (version ${String(failed.version)}); repair it before Polaris reads it (${supported})`,
        { source: 'db' },
      );
    }
    const unknown = rows
      .map((r) => String(r.version))
      .filter((v) => !KNOWN_SCHEMA_HISTORY_VERSIONS.includes(v));
    const version = rows.length > 0 ? String(rows[rows.length - 1]!.version) : null;
    if (unknown.length > 0 || version === null || !SUPPORTED_SCHEMA_VERSIONS.includes(version)) {
      const shown = unknown.length > 0 ? unknown.join(', ') : (version ?? '(none recorded)');
      throw new SteveError(
        'SCHEMA_UNSUPPORTED',
        `SteVe database schema version ${shown} is not supported; ${supported}. Upgrade SteVe (or Polaris) so they match.`,
        { source: 'db' },
      );
    }
    return version;
  }

  /**
   * Tables of READ_TABLES this account may not SELECT from (none: the grants suffice). Connection
   * problems throw SteveError like every read; a missing table is left to the schema check.
   */
  async deniedTables(): Promise<string[]> {
    const denied: string[] = [];
    for (const table of READ_TABLES) {
      try {
        await this.#pool.query({ sql: `SELECT 1 FROM \`${table}\` LIMIT 0`, timeout: this.#queryTimeoutMs });
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_COLUMNACCESS_DENIED_ERROR')
          denied.push(table);
        else if (code !== 'ER_NO_SUCH_TABLE') throw dbError(error, this.#logger);
      }
    }
    return denied;
  }

  // charge points -----------------------------------------------------------------------------

  async listChargePoints(query: PkPageQuery = {}): Promise<Page<SteveChargePoint, number>> {
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const boxes = await this.#select(
      `SELECT cb.charge_box_pk, cb.charge_box_id, cb.description, cb.charge_point_vendor, cb.charge_point_model,
              cb.fw_version, cb.ocpp_protocol, cb.registration_status, cb.last_heartbeat_timestamp,
              cb.created_at, cb.updated_at,
              a.latitude, a.longitude, a.street, a.house_number, a.zip_code, a.city, a.country
         FROM charge_box cb LEFT JOIN address a ON a.address_pk = cb.address_pk
        WHERE cb.charge_box_pk > ? ORDER BY cb.charge_box_pk LIMIT ?`,
      [afterPk, limit],
    );
    const connectorsByBox = new Map<string, SteveConnector[]>();
    if (boxes.length > 0) {
      const evses = await this.#select(
        `SELECT e.evse_pk, cb.charge_box_id, e.evse_id, ec.max_electric_power, ec.power_type, ec.connector_type
           FROM evse e
           JOIN charge_box cb ON cb.charge_box_id = e.charge_box_id
           LEFT JOIN evse_connector ec ON ec.evse_pk = e.evse_pk AND ec.connector_id = 1
          WHERE e.topology_source = 'ocpp1' AND e.evse_id > 0 AND e.charge_box_id IN (?)
          ORDER BY cb.charge_box_pk, e.evse_id`,
        [boxes.map((b) => String(b.charge_box_id))],
      );
      for (const e of evses) {
        const key = steveKey(String(e.charge_box_id));
        const list = connectorsByBox.get(key) ?? [];
        list.push({
          connectorId: Number(e.evse_id),
          evsePk: Number(e.evse_pk),
          maxPowerW: e.max_electric_power == null ? null : Number(e.max_electric_power),
          powerType: powerTypeOf(e.power_type),
          connectorType: str(e.connector_type),
        });
        connectorsByBox.set(key, list);
      }
    }
    const items = boxes.map((b): SteveChargePoint => ({
      pk: Number(b.charge_box_pk),
      chargeBoxId: String(b.charge_box_id),
      description: str(b.description),
      vendor: str(b.charge_point_vendor),
      model: str(b.charge_point_model),
      firmwareVersion: str(b.fw_version),
      location: locationOf(b),
      ocppProtocol: str(b.ocpp_protocol),
      registrationStatus: str(b.registration_status) ?? 'Accepted',
      lastHeartbeatAt: date(b.last_heartbeat_timestamp),
      connectors: connectorsByBox.get(steveKey(String(b.charge_box_id))) ?? [],
      createdAt: date(b.created_at) ?? new Date(0),
      updatedAt: date(b.updated_at) ?? new Date(0),
    }));
    return toPage(items, limit, afterPk, (cp) => cp.pk);
  }

  // connector status --------------------------------------------------------------------------

  async listConnectorStatuses(
    query: PkPageQuery & { chargeBoxIds?: string[] } = {},
  ): Promise<Page<SteveConnectorStatus, number>> {
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const byBox = query.chargeBoxIds?.length ? 'AND e.charge_box_id IN (?)' : '';
    const params: unknown[] = [afterPk];
    if (byBox) params.push(query.chargeBoxIds);
    params.push(limit);
    const evses = await this.#select(
      `SELECT e.evse_pk, cb.charge_box_id, e.evse_id FROM evse e
         JOIN charge_box cb ON cb.charge_box_id = e.charge_box_id
        WHERE e.topology_source = 'ocpp1' AND e.evse_pk > ? ${byBox}
        ORDER BY e.evse_pk LIMIT ?`,
      params,
    );
    const latest = new Map<number, Row>();
    if (evses.length > 0) {
      // Uses the (evse_pk, status_timestamp) index: one MAX lookup per connector.
      const rows = await this.#select(
        `SELECT cs.evse_pk, cs.status_timestamp, cs.status, cs.error_code, cs.error_info, cs.vendor_error_code
           FROM connector_status cs
          WHERE cs.evse_pk IN (?)
            AND cs.status_timestamp = (SELECT MAX(newer.status_timestamp) FROM connector_status newer
                                        WHERE newer.evse_pk = cs.evse_pk)`,
        [evses.map((e) => Number(e.evse_pk))],
      );
      for (const row of rows) {
        const pk = Number(row.evse_pk);
        const current = latest.get(pk);
        if (!current || statusRank(row.status) > statusRank(current.status)) latest.set(pk, row);
      }
    }
    const items = evses.map((e): SteveConnectorStatus => {
      const row = latest.get(Number(e.evse_pk));
      return {
        evsePk: Number(e.evse_pk),
        chargeBoxId: String(e.charge_box_id),
        connectorId: Number(e.evse_id),
        status: row ? statusOf(row.status) : null,
        errorCode: row ? str(row.error_code) : null,
        errorInfo: row ? str(row.error_info) : null,
        vendorErrorCode: row ? str(row.vendor_error_code) : null,
        statusAt: row ? date(row.status_timestamp) : null,
      };
    });
    return toPage(items, limit, afterPk, (s) => s.evsePk);
  }

  // tags --------------------------------------------------------------------------------------

  async listTags(query: TimePageQuery = {}): Promise<Page<SteveTag, TimeCursor>> {
    const limit = pageLimit(query.limit);
    const start = query.after ?? { at: new Date(0), pk: 0 };
    const rows = await this.#select(
      `SELECT t.*, ${ms('t.updated_at')} AS cursor_ms FROM (
         ${TAG_SELECT}
          WHERE ${ms('o.updated_at')} > ? OR (${ms('o.updated_at')} = ? AND o.ocpp_tag_pk > ?)
          ORDER BY ${ms('o.updated_at')}, o.ocpp_tag_pk
          LIMIT ?
       ) t ORDER BY cursor_ms, t.ocpp_tag_pk`,
      [start.at.getTime(), start.at.getTime(), start.pk, limit],
    );
    const items = rows.map((r) => ({ ...tagOf(r), cursorMs: Number(r.cursor_ms) }));
    const page = toPage(items, limit, start, (t) => ({ at: new Date(t.cursorMs), pk: t.pk }));
    return { ...page, items: items.map(({ cursorMs: _, ...tag }) => tag) };
  }

  async getTags(pks: number[]): Promise<SteveTag[]> {
    const unique = [...new Set(pks.filter((pk) => Number.isInteger(pk) && pk > 0))];
    const result: SteveTag[] = [];
    for (const chunk of chunks(unique, 1000)) {
      const rows = await this.#select(`${TAG_SELECT} WHERE o.ocpp_tag_pk IN (?) ORDER BY o.ocpp_tag_pk`, [
        chunk,
      ]);
      result.push(...rows.map(tagOf));
    }
    return result;
  }

  async listTagPks(query: PkPageQuery = {}): Promise<Page<number, number>> {
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const rows = await this.#select(
      'SELECT ocpp_tag_pk FROM ocpp_tag WHERE ocpp_tag_pk > ? ORDER BY ocpp_tag_pk LIMIT ?',
      [afterPk, limit],
    );
    return toPage(
      rows.map((r) => Number(r.ocpp_tag_pk)),
      limit,
      afterPk,
      (pk) => pk,
    );
  }

  // transactions ------------------------------------------------------------------------------

  async listTransactions(
    query: PkPageQuery & { activeOnly?: boolean } = {},
  ): Promise<Page<SteveTransaction, number>> {
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const active = query.activeOnly
      ? 'AND NOT EXISTS (SELECT 1 FROM transaction_stop s WHERE s.transaction_pk = t.transaction_pk)'
      : '';
    // The page of keys first (primary key range), then the joins for those rows only: joining first
    // lets the optimizer walk the whole history for every page.
    const rows = await this.#select(
      `${transactionSelect(
        `(SELECT t.* FROM transaction_start t WHERE t.transaction_pk > ? ${active}
           ORDER BY t.transaction_pk LIMIT ?) ts`,
      )} ORDER BY ts.transaction_pk`,
      [afterPk, limit],
    );
    return toPage(rows.map(transactionOf), limit, afterPk, (t) => t.pk);
  }

  async listStoppedTransactions(
    query: StoppedTransactionsQuery,
  ): Promise<Page<SteveTransaction, TimeCursor>> {
    const limit = pageLimit(query.limit);
    const start = query.after ?? { at: new Date(0), pk: 0 };
    const minPk = query.minTransactionPk ?? 0;
    // Every stop row counts (a manual stop can be superseded later); the data shown is the latest stop.
    const rows = await this.#select(
      // SteVe has no index on transaction_stop.event_timestamp: without minPk this is a scan of the
      // stop rows; with it, a range of the primary key (transaction_pk, event_timestamp).
      `${transactionSelect(
        `(SELECT s.transaction_pk, ${ms('s.event_timestamp')} AS cursor_ms FROM transaction_stop s
           WHERE s.transaction_pk >= ? AND s.event_timestamp >= ?
             AND (${ms('s.event_timestamp')} > ? OR (${ms('s.event_timestamp')} = ? AND s.transaction_pk > ?))
           ORDER BY ${ms('s.event_timestamp')}, s.transaction_pk
           LIMIT ?) stop_event
         JOIN transaction_start ts ON ts.transaction_pk = stop_event.transaction_pk`,
        'stop_event.cursor_ms',
      )} ORDER BY stop_event.cursor_ms, stop_event.transaction_pk`,
      [minPk, start.at, start.at.getTime(), start.at.getTime(), start.pk, limit],
    );
    // Two stop rows of one transaction in the same page: keep one item, advance past both.
    const seen = new Set<number>();
    const items: SteveTransaction[] = [];
    for (const row of rows) {
      const tx = transactionOf(row);
      if (!seen.has(tx.pk)) items.push(tx);
      seen.add(tx.pk);
    }
    const last = rows.at(-1);
    return {
      items,
      cursor: last ? { at: new Date(Number(last.cursor_ms)), pk: Number(last.transaction_pk) } : start,
      hasMore: rows.length >= limit,
    };
  }

  async getTransactions(pks: number[]): Promise<SteveTransaction[]> {
    const unique = [...new Set(pks.filter((pk) => Number.isInteger(pk) && pk > 0))];
    if (unique.length === 0) return [];
    const result: SteveTransaction[] = [];
    for (const chunk of chunks(unique, 1000)) {
      const rows = await this.#select(
        `${transactionSelect()} WHERE ts.transaction_pk IN (?) ORDER BY ts.transaction_pk`,
        [chunk],
      );
      result.push(...rows.map(transactionOf));
    }
    return result;
  }

  // meter values ------------------------------------------------------------------------------

  async listMeterValues(query: {
    transactionPks: number[];
    after?: MeterSampleCursor | null;
    since?: Date | null;
    limit?: number;
  }): Promise<Page<SteveMeterSample, MeterSampleCursor | null>> {
    const limit = pageLimit(query.limit);
    const start = query.after ?? null;
    const pks = [...new Set(query.transactionPks.filter((pk) => Number.isInteger(pk) && pk > 0))].slice(
      0,
      1000,
    );
    if (pks.length === 0) return { items: [], cursor: start, hasMore: false };
    const afterTx = start?.transactionPk ?? 0;
    const afterMs = start ? start.at.getTime() : -1;
    const source = meterRowsSql(query.since ? 'AND v.value_timestamp > ?' : '');
    const sourceParams = query.since ? [pks, query.since, pks, query.since] : [pks, pks];
    // Step 1: which sampling instants form this page; step 2: every reading of those instants.
    const keys = await this.#select(
      `SELECT k.tx, k.ms FROM (${source}) k
        WHERE k.tx > ? OR (k.tx = ? AND k.ms > ?)
        GROUP BY k.tx, k.ms ORDER BY k.tx, k.ms LIMIT ?`,
      [...sourceParams, afterTx, afterTx, afterMs, limit],
    );
    const lastKey = keys.at(-1);
    if (!lastKey) return { items: [], cursor: start, hasMore: false };
    const endTx = Number(lastKey.tx);
    const endMs = Number(lastKey.ms);
    const readings = await this.#select(
      `SELECT k.*, cb.charge_box_id, e.evse_id FROM (${source}) k
         JOIN evse e ON e.evse_pk = k.evse_pk
         JOIN charge_box cb ON cb.charge_box_id = e.charge_box_id
        WHERE (k.tx > ? OR (k.tx = ? AND k.ms > ?)) AND (k.tx < ? OR (k.tx = ? AND k.ms <= ?))
        ORDER BY k.tx, k.ms`,
      [...sourceParams, afterTx, afterTx, afterMs, endTx, endTx, endMs],
    );
    const items = foldReadings(readings);
    return { items, cursor: { transactionPk: endTx, at: new Date(endMs) }, hasMore: keys.length >= limit };
  }

  // reservations ------------------------------------------------------------------------------

  async listReservations(query: TimePageQuery = {}): Promise<Page<SteveReservation, TimeCursor>> {
    const limit = pageLimit(query.limit);
    const start = query.after ?? { at: new Date(0), pk: 0 };
    const rows = await this.#select(
      `SELECT r.reservation_pk, r.transaction_pk, ${RESERVATION_TAG} AS id_tag, r.start_datetime, r.expiry_datetime,
              r.status, r.status_timestamp, r.created_at, r.updated_at, cb.charge_box_id, e.evse_id,
              ${ms('r.updated_at')} AS cursor_ms
         ${RESERVATION_FROM}
        WHERE ${ms('r.updated_at')} > ? OR (${ms('r.updated_at')} = ? AND r.reservation_pk > ?)
        ORDER BY cursor_ms, r.reservation_pk
        LIMIT ?`,
      [start.at.getTime(), start.at.getTime(), start.pk, limit],
    );
    const items = rows.map((r) => ({
      reservation: reservationOf(r),
      cursor: { at: new Date(Number(r.cursor_ms)), pk: Number(r.reservation_pk) },
    }));
    const page = toPage(items, limit, start, (i) => i.cursor);
    return { ...page, items: items.map((i) => i.reservation) };
  }

  /** The reservation SteVe created for a ReserveNow it just sent (the envelope carries no id). */
  async findLatestReservation(
    chargeBoxId: string,
    connectorId: number,
    idTag: string,
  ): Promise<SteveReservation | null> {
    const rows = await this.#select(
      `SELECT r.reservation_pk FROM reservation r JOIN evse e ON e.evse_pk = r.evse_pk
        WHERE e.charge_box_id = ? AND e.evse_id = ? AND r.id_tag = ?
        ORDER BY r.reservation_pk DESC LIMIT 1`,
      [chargeBoxId, connectorId, idTag],
    );
    const pk = rows[0] ? Number(rows[0].reservation_pk) : null;
    if (pk === null) return null;
    const page = await this.#reservationsByPk([pk]);
    return page[0] ?? null;
  }

  async getReservations(pks: number[]): Promise<SteveReservation[]> {
    const unique = [...new Set(pks.filter((pk) => Number.isInteger(pk) && pk > 0))];
    const result: SteveReservation[] = [];
    for (const chunk of chunks(unique, 1000)) result.push(...(await this.#reservationsByPk(chunk)));
    return result.sort((a, b) => a.pk - b.pk);
  }

  async #reservationsByPk(pks: number[]): Promise<SteveReservation[]> {
    const rows = await this.#select(
      `SELECT r.*, ${RESERVATION_TAG} AS id_tag, cb.charge_box_id, e.evse_id ${RESERVATION_FROM}
        WHERE r.reservation_pk IN (?)`,
      [pks],
    );
    return rows.map(reservationOf);
  }

  /** Charging profiles stored in SteVe, with their schedule periods, by pk. */
  async listChargingProfiles(): Promise<SteveChargingProfile[]> {
    const profiles = await this.#select(
      `SELECT charging_profile_pk, description, stack_level, charging_profile_purpose, charging_profile_kind,
              charging_rate_unit FROM charging_profile ORDER BY charging_profile_pk LIMIT 500`,
      [],
    );
    const pks = profiles.map((p) => Number(p.charging_profile_pk));
    const periods = pks.length
      ? await this.#select(
          `SELECT charging_profile_pk, start_period_in_seconds, power_limit, number_phases
             FROM charging_schedule_period WHERE charging_profile_pk IN (?)
            ORDER BY charging_profile_pk, start_period_in_seconds`,
          [pks],
        )
      : [];
    return profiles.map((p) => ({
      pk: Number(p.charging_profile_pk),
      description: p.description == null ? null : String(p.description),
      stackLevel: Number(p.stack_level),
      purpose: String(p.charging_profile_purpose),
      kind: String(p.charging_profile_kind),
      chargingRateUnit: String(p.charging_rate_unit),
      periods: periods
        .filter((r) => Number(r.charging_profile_pk) === Number(p.charging_profile_pk))
        .map((r) => ({
          startPeriodSeconds: Number(r.start_period_in_seconds),
          limit: Number(r.power_limit),
          numberPhases: r.number_phases == null ? null : Number(r.number_phases),
        })),
    }));
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  // plumbing ----------------------------------------------------------------------------------

  async #select(sql: string, params: unknown[], checkSchema = true): Promise<Row[]> {
    if (checkSchema) await this.schemaVersion();
    try {
      const [rows] = await this.#pool.query<Row[]>({ sql, timeout: this.#queryTimeoutMs }, params);
      return rows;
    } catch (error) {
      throw dbError(error, this.#logger);
    }
  }
}
