import { Prisma } from '../generated/prisma/client.ts';

/**
 * Multi-row INSERT and UPDATE in one statement each, for writers that handle pages of hundreds of
 * rows (the SteVe sync). The rows travel as one JSON parameter read back with `json_to_recordset`,
 * so the statement and its single parameter cost the same for 1 or 5 000 rows, and Prisma's
 * per-row query building is skipped. Dates serialise as ISO strings in UTC, which is exactly what
 * Prisma stores in `timestamp(3)` columns (the zone suffix is ignored by `timestamp` input).
 *
 * Table and column names must come from code, never from data: they are spliced into the SQL.
 */

/** A column's SQL type; a quoted name (`'"SessionStatus"'`) is an enum, read as text and cast. */
export type BulkColumnType = 'text' | 'float8' | 'int4' | 'bool' | 'jsonb' | 'timestamp(3)' | `"${string}"`;

export type BulkColumns = readonly (readonly [name: string, type: BulkColumnType])[];

/** A row to update: matched by `id`. */
export type BulkRow = { id: string } & Record<string, unknown>;

interface RawClient {
  $executeRaw(query: Prisma.Sql): Prisma.PrismaPromise<number>;
}

const quoted = (name: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bulk-sql: bad identifier ${name}`);
  return `"${name}"`;
};

const isEnum = (type: BulkColumnType): boolean => type.startsWith('"');

function recordDefinition(columns: BulkColumns): string {
  return columns.map(([n, t]) => `${quoted(n)} ${isEnum(t) ? 'text' : t}`).join(', ');
}

function valueOf([name, type]: readonly [string, BulkColumnType]): string {
  return `u.${quoted(name)}${isEnum(type) ? `::${type}` : ''}`;
}

function payload(columns: BulkColumns, rows: readonly object[]): string {
  return JSON.stringify(
    rows.map((row) =>
      Object.fromEntries(columns.map(([n]) => [n, (row as Record<string, unknown>)[n] ?? null])),
    ),
  );
}

/**
 * `INSERT INTO table (columns) SELECT … FROM json_to_recordset($1)`; with `onConflict` (a column
 * list such as `"sessionId", "sampledAt"`) duplicates are skipped. Returns the inserted row count.
 */
export async function bulkInsert(
  db: RawClient,
  table: string,
  columns: BulkColumns,
  rows: readonly object[],
  options: { onConflictDoNothing?: readonly string[] } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const names = columns.map(([n]) => quoted(n)).join(', ');
  const values = columns.map(valueOf).join(', ');
  const conflict = options.onConflictDoNothing
    ? ` ON CONFLICT (${options.onConflictDoNothing.map(quoted).join(', ')}) DO NOTHING`
    : '';
  return db.$executeRaw(
    Prisma.sql(
      [
        `INSERT INTO ${quoted(table)} (${names}) SELECT ${values} FROM json_to_recordset(`,
        `::json) AS u(${recordDefinition(columns)})${conflict}`,
      ],
      payload(columns, rows),
    ),
  );
}

/**
 * `UPDATE table SET columns … FROM json_to_recordset($1) WHERE id = u.id`, plus `updatedAt` = now
 * (what Prisma's `@updatedAt` does). Every listed column is written as given (null included).
 */
export async function bulkUpdate(
  db: RawClient,
  table: string,
  columns: BulkColumns,
  rows: readonly BulkRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const all: BulkColumns = [['id', 'text'], ...columns];
  const assignments = columns.map((c) => `${quoted(c[0])} = ${valueOf(c)}`).join(', ');
  return db.$executeRaw(
    Prisma.sql(
      [
        `UPDATE ${quoted(table)} AS t SET ${assignments}, "updatedAt" = `,
        `::timestamp(3) FROM json_to_recordset(`,
        `::json) AS u(${recordDefinition(all)}) WHERE t."id" = u."id"`,
      ],
      new Date().toISOString(),
      payload(all, rows),
    ),
  );
}
