import type { RowDataPacket } from 'mysql2/promise';
import { SteveError } from '../errors.ts';
import type { SteveLogger } from '../rest-client.ts';

/** Plumbing shared by the SteVe database reader's table families: row type, conversions, errors. */

export type Row = RowDataPacket & Record<string, unknown>;

/** Milliseconds since epoch of a TIMESTAMP(6) column; keyset cursors compare at this precision. */
export const ms = (column: string) => `CAST(FLOOR(UNIX_TIMESTAMP(${column}) * 1000) AS SIGNED)`;

export function str(value: unknown): string | null {
  return value == null ? null : String(value);
}

export function num(value: unknown): number | null {
  if (value == null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function date(value: unknown): Date | null {
  if (value == null) return null;
  const d = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function dbError(error: unknown, logger: SteveLogger | undefined): SteveError {
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  logger?.warn({ code, err: message }, 'SteVe DB query failed');
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') {
    return new SteveError(
      'SCHEMA_UNSUPPORTED',
      `SteVe database is missing an expected table/column: ${message}`,
      {
        source: 'db',
        cause: error,
      },
    );
  }
  if (/^ER_(ACCESS_DENIED|DBACCESS_DENIED|TABLEACCESS_DENIED|COLUMNACCESS_DENIED)/.test(code)) {
    return new SteveError('AUTH', `SteVe database refused the credentials or the grant: ${message}`, {
      source: 'db',
      cause: error,
    });
  }
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return new SteveError('TIMEOUT', `SteVe database query timed out: ${message}`, {
      source: 'db',
      cause: error,
    });
  }
  if (
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'ETIMEDOUT',
      'EHOSTUNREACH',
      'PROTOCOL_CONNECTION_LOST',
      'ECONNRESET',
    ].includes(code)
  ) {
    return new SteveError('UNREACHABLE', `SteVe database unreachable: ${message}`, {
      source: 'db',
      cause: error,
    });
  }
  return new SteveError('SERVER_ERROR', `SteVe database query failed: ${message}`, {
    source: 'db',
    cause: error,
  });
}
