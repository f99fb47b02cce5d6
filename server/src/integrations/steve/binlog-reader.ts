import ZongJi, { type BinlogEvent } from '@vlasky/zongji';
import mysql from 'mysql2/promise';
import { SteveError } from './errors.ts';
import {
  STEVE_CHANGE_TABLES,
  type SteveChange,
  type SteveChangeBatch,
  type SteveChangeCaptureSupport,
  type SteveChangePosition,
  type SteveChangeStream,
  type SteveChangeStreamError,
  type SteveChangeTable,
  type WatchChangesOptions,
} from './port.ts';
import type { SteveLogger } from './rest-client.ts';

/**
 * Change capture from SteVe's MySQL/MariaDB binary log with @vlasky/zongji (row events). Each
 * committed SteVe transaction that touched a table in STEVE_CHANGE_TABLES becomes one
 * `SteveChangeBatch` of keys; the position after its commit marker (GTID where the server has one,
 * else file/offset) travels with it. See docs/sync.md (change capture) for why zongji.
 */

/** A commit of tables we do not follow still advances the stored position, at most this often. */
const IDLE_POSITION_EVERY_MS = 10_000;
/** More queued batches than this pause the binlog socket until the consumer caught up. */
const PAUSE_ABOVE = 2_000;

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v == null || v === '' ? null : Number(v));

/** The keys of one changed row, or null for a row of a table we do not follow. */
export function changeOf(table: string, row: Row, op: 'insert' | 'update' | 'delete'): SteveChange | null {
  const deleted = op === 'delete';
  switch (table as SteveChangeTable) {
    case 'charge_box':
      return { table: 'charge_box', chargePointPk: Number(row.charge_box_pk), deleted };
    case 'evse':
      return {
        table: 'evse',
        evsePk: Number(row.evse_pk),
        chargeBoxId: row.charge_box_id == null ? null : String(row.charge_box_id),
        deleted,
      };
    case 'connector_status':
      return { table: 'connector_status', evsePk: Number(row.evse_pk) };
    case 'transaction_start':
    case 'transaction_stop':
      return { table: table as 'transaction_start', transactionPk: Number(row.transaction_pk), deleted };
    case 'connector_meter_value':
      return {
        table: 'connector_meter_value',
        evsePk: Number(row.evse_pk),
        transactionPk: num(row.transaction_pk),
      };
    case 'ocpp_tag':
      return { table: 'ocpp_tag', tagPk: Number(row.ocpp_tag_pk), deleted };
    case 'reservation':
      return { table: 'reservation', reservationPk: Number(row.reservation_pk), deleted };
    default:
      return null;
  }
}

/** DDL on a followed table: the stream stops (the reader's schema check runs again on reconnect). */
export function isSchemaChange(query: string): boolean {
  const ddl = /^\s*(?:\/\*.*?\*\/\s*)*(ALTER|DROP|RENAME|TRUNCATE|CREATE\s+OR\s+REPLACE)\s+TABLE\b/is;
  if (!ddl.test(query)) return false;
  return STEVE_CHANGE_TABLES.some((t) => new RegExp(`\`?\\b${t}\\b\`?`, 'i').test(query));
}

function positionError(error: { code?: string; errno?: number; message?: string }): boolean {
  // 1236: the binlog the position needs was purged (or the position is invalid); MariaDB 1945/1955:
  // the GTID position is not in the server's binlog.
  return error.errno === 1236 || error.errno === 1945 || error.errno === 1955;
}

export interface SteveBinlogReaderOptions {
  /** Same URL as the DB reader; the account also needs the replication grants (docs/steve-integration.md). */
  dbUrl: string;
  logger?: SteveLogger;
}

export class SteveBinlogReader {
  readonly #dbUrl: string;
  readonly #database: string;
  readonly #logger: SteveLogger | undefined;

  constructor(options: SteveBinlogReaderOptions) {
    this.#dbUrl = options.dbUrl;
    this.#database = decodeURIComponent(new URL(options.dbUrl).pathname.replace(/^\//, ''));
    this.#logger = options.logger;
  }

  /** Checks the server settings and this account's grants; names exactly what is missing. */
  async support(): Promise<SteveChangeCaptureSupport> {
    let connection: mysql.Connection;
    try {
      connection = await mysql.createConnection({ uri: this.#dbUrl, connectTimeout: 10_000 });
    } catch (error) {
      return { ok: false, problems: [`database: ${(error as Error).message}`], position: null };
    }
    try {
      const problems: string[] = [];
      const [vars] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT @@GLOBAL.log_bin AS log_bin, @@GLOBAL.binlog_format AS binlog_format, @@GLOBAL.binlog_row_image AS row_image, VERSION() AS version',
      );
      const v = vars[0]!;
      const mariadb = /mariadb/i.test(String(v.version));
      if (!Number(v.log_bin))
        problems.push('log_bin=OFF: start the SteVe database server with log_bin (--log-bin)');
      if (String(v.binlog_format).toUpperCase() !== 'ROW')
        problems.push(`binlog_format=${String(v.binlog_format)}: set binlog_format=ROW`);
      if (String(v.row_image).toUpperCase() === 'NOBLOB' || String(v.row_image).toUpperCase() === 'MINIMAL') {
        // Keys are always logged, so these still work; FULL is what the docs ask for.
        this.#logger?.warn({ binlog_row_image: v.row_image }, 'binlog_row_image is not FULL');
      }
      const [grantRows] = await connection.query<mysql.RowDataPacket[]>('SHOW GRANTS FOR CURRENT_USER()');
      const grants = grantRows.map((r) => String(Object.values(r)[0])).filter((g) => / ON \*\.\* /i.test(g));
      const has = (privilege: RegExp) =>
        grants.some((g) => /GRANT ALL PRIVILEGES ON \*\.\*/i.test(g) || privilege.test(g));
      if (!has(/REPLICATION (SLAVE|REPLICA)/i))
        problems.push('missing grant REPLICATION SLAVE ON *.* (needed to read the binary log)');
      if (!has(/REPLICATION CLIENT|BINLOG MONITOR|SUPER/i))
        problems.push(
          `missing grant ${mariadb ? 'BINLOG MONITOR' : 'REPLICATION CLIENT'} ON *.* (needed to read the binlog position)`,
        );
      let position: SteveChangePosition | null = null;
      if (problems.length === 0) position = await this.#currentPosition(connection, mariadb);
      return { ok: problems.length === 0, problems, position };
    } catch (error) {
      return { ok: false, problems: [`database: ${(error as Error).message}`], position: null };
    } finally {
      await connection.end().catch(() => undefined);
    }
  }

  async #currentPosition(connection: mysql.Connection, mariadb: boolean): Promise<SteveChangePosition> {
    const [status] = await connection.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
    const file = status[0] ? String(status[0].File) : null;
    const offset = status[0] ? Number(status[0].Position) : null;
    let gtid: string | null;
    if (mariadb) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_binlog_pos AS gtid');
      gtid = rows[0]?.gtid ? String(rows[0].gtid) : null;
    } else {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        "SELECT IF(@@GLOBAL.gtid_mode = 'ON', @@GLOBAL.gtid_executed, NULL) AS gtid",
      );
      gtid = rows[0]?.gtid ? String(rows[0].gtid).replace(/\s/g, '') : null;
    }
    return { gtid, file, offset };
  }

  /** Starts a stream; resolves once the server accepted the dump request. */
  async watch(options: WatchChangesOptions): Promise<SteveChangeStream> {
    const url = new URL(this.#dbUrl);
    const zongji = new ZongJi({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: this.#database,
      // Only keys are read from rows; keep dates unparsed (no time-zone questions).
      dateStrings: true,
    });
    const logger = this.#logger;
    const queue: SteveChangeBatch[] = [];
    let current: SteveChange[] = [];
    let firstAt: number | null = null;
    let lastEmitAt = 0;
    let ended = false;
    let stopping = false;
    let paused = false;
    let draining: Promise<void> | null = null;
    let pendingError: SteveChangeStreamError | null = null;

    const positionNow = (): SteveChangePosition => {
      const gtid = (zongji as unknown as { gtidSet?: string }).gtidSet;
      return {
        gtid: gtid ? gtid : null,
        file: zongji.options.filename ?? null,
        offset: zongji.options.position ?? null,
      };
    };

    const end = (error: SteveChangeStreamError) => {
      if (ended) return;
      ended = true;
      zongji.stop();
      if (!stopping) options.onEnd(error);
    };

    const drain = () => {
      draining ??= (async () => {
        while (queue.length > 0 && !ended) {
          // Everything queued goes as one batch: one write for what piled up while the last ran.
          const group = queue.splice(0, queue.length);
          const batch: SteveChangeBatch = {
            changes: group.flatMap((b) => b.changes),
            position: group.at(-1)!.position,
            committedAt: group[0]!.committedAt,
            receivedAt: group[0]!.receivedAt,
          };
          if (paused && queue.length < PAUSE_ABOVE / 2) {
            paused = false;
            (zongji as unknown as { connection?: { resume(): void } }).connection?.resume();
          }
          try {
            await options.onBatch(batch);
          } catch (error) {
            end({ kind: 'CONNECTION_LOST', message: `applying changes failed: ${(error as Error).message}` });
          }
        }
        draining = null;
      })();
    };

    const enqueue = (batch: SteveChangeBatch) => {
      queue.push(batch);
      lastEmitAt = Date.now();
      if (!paused && queue.length > PAUSE_ABOVE) {
        paused = true;
        (zongji as unknown as { connection?: { pause(): void } }).connection?.pause();
      }
      drain();
    };

    zongji.on('binlog', (event: BinlogEvent) => {
      if (ended) return;
      const name = event.getEventName();
      if (name === 'writerows' || name === 'updaterows' || name === 'deleterows') {
        const e = event as unknown as {
          tableId: number;
          tableMap: Record<number, { tableName: string; parentSchema: string }>;
          rows: Row[] | { before: Row; after: Row }[];
        };
        const table = e.tableMap[e.tableId];
        if (!table || table.parentSchema !== this.#database) return;
        firstAt ??= event.timestamp;
        for (const row of e.rows) {
          if (name === 'updaterows') {
            const { before, after } = row as { before: Row; after: Row };
            const a = changeOf(table.tableName, after, 'update');
            const b = changeOf(table.tableName, before, 'update');
            if (a) current.push(a);
            // A key change (rare) touches the old key too.
            if (b && JSON.stringify(a) !== JSON.stringify(b)) current.push(b);
          } else {
            const c = changeOf(table.tableName, row as Row, name === 'writerows' ? 'insert' : 'delete');
            if (c) current.push(c);
          }
        }
        return;
      }
      if (name === 'query') {
        const q = event as unknown as { query: string; schema: string };
        if (q.schema === this.#database && isSchemaChange(q.query)) {
          end({ kind: 'SCHEMA_CHANGED', message: `SteVe's schema changed: ${q.query.slice(0, 200)}` });
          return;
        }
        if (!/^\s*COMMIT\b/i.test(q.query)) return;
      }
      if (name === 'xid' || name === 'query') {
        const receivedAt = new Date();
        if (current.length > 0) {
          enqueue({
            changes: current,
            position: positionNow(),
            committedAt: new Date(event.timestamp || firstAt || Date.now()),
            receivedAt,
          });
        } else if (Date.now() - lastEmitAt > IDLE_POSITION_EVERY_MS) {
          enqueue({
            changes: [],
            position: positionNow(),
            committedAt: new Date(event.timestamp),
            receivedAt,
          });
        }
        current = [];
        firstAt = null;
      }
    });

    let started = false;
    const ready = new Promise<void>((resolve, reject) => {
      zongji.on('ready', () => {
        started = true;
        resolve();
      });
      zongji.on('error', (error: Error & { code?: string; errno?: number }) => {
        const detail = error.message || String(error.code ?? error);
        const kind: SteveChangeStreamError['kind'] = positionError(error)
          ? 'POSITION_LOST'
          : 'CONNECTION_LOST';
        logger?.warn({ code: error.code, errno: error.errno, err: detail }, 'SteVe binlog stream error');
        if (!started) {
          pendingError = { kind, message: detail };
          reject(error);
          return;
        }
        end({ kind, message: detail });
      });
    });

    const from = options.from;
    zongji.start({
      serverId: options.serverId,
      includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query'],
      includeSchema: { [this.#database]: [...STEVE_CHANGE_TABLES] },
      ...(from?.gtid
        ? { gtidSet: from.gtid }
        : from?.file && from.offset
          ? { filename: from.file, position: from.offset }
          : { startAtEnd: true }),
    });
    try {
      await ready;
    } catch (error) {
      zongji.stop();
      const e = pendingError as SteveChangeStreamError | null;
      throw new SteveError(
        e?.kind === 'POSITION_LOST' ? 'NOT_FOUND' : 'UNREACHABLE',
        `binlog stream could not start: ${(error as Error).message}`,
        { source: 'db', cause: error },
      );
    }
    // A lost socket after start: mysql2 reports it on the binlog connection ('end' without error).
    const socket = (zongji as unknown as { connection?: { on(e: string, f: () => void): void } }).connection;
    socket?.on('end', () => end({ kind: 'CONNECTION_LOST', message: 'binlog connection closed' }));
    return {
      startedAt: positionNow(),
      async stop() {
        stopping = true;
        end({ kind: 'CONNECTION_LOST', message: 'stopped' });
        await draining;
      },
    };
  }
}
