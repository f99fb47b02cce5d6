import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Services, Viewer } from '../../types.ts';
import { csvStream, keysetBatches, type CsvValue } from '../../lib/csv.ts';
import { auditWhere } from '../audit/audit.schema.ts';
import { recordAudit } from '../audit/audit.ts';
import { whereOf } from '../sessions/admin-sessions.schema.ts';

/** Where the CSV exports live: `GET /exports/<name>.csv?<filters>`. */
export const EXPORTS_PATH = '/exports';

/** Rows fetched per database round trip; memory holds about one batch whatever the total. */
export const EXPORT_BATCH_SIZE = 1000;

class BadFilter extends Error {}

type Column<Row> = { header: string; value: (row: Row) => CsvValue };

interface ExportDefinition {
  /** Reads the filters from the query string (throws BadFilter on nonsense). */
  filters(params: URLSearchParams): Record<string, string | Date>;
  /** The CSV stream for those filters. */
  stream(services: Services, filters: Record<string, string | Date>): NodeJS.ReadableStream;
}

function text(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)?.trim();
  return value ? value : undefined;
}

function date(params: URLSearchParams, name: string): Date | undefined {
  const value = text(params, name);
  if (!value) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new BadFilter(`"${name}" is not a date: ${value}`);
  return parsed;
}

function oneOf<T extends string>(
  params: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = text(params, name)?.toUpperCase();
  if (!value) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new BadFilter(`"${name}" must be one of ${allowed.join(', ')}`);
  return value as T;
}

function compact(values: Record<string, string | Date | undefined>): Record<string, string | Date> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | Date
  >;
}

const str = (v: string | Date | undefined) => (typeof v === 'string' ? v : undefined);
const dt = (v: string | Date | undefined) => (v instanceof Date ? v : undefined);

/** kWh so far: final once completed, from the latest meter sample while running. */
function sessionKwh(s: {
  status: string;
  energyKwh: number;
  meterStartWh: number;
  latestMeterWh: number | null;
}) {
  const kwh =
    s.status === 'ACTIVE' && s.latestMeterWh !== null
      ? Math.max(0, (s.latestMeterWh - s.meterStartWh) / 1000)
      : s.energyKwh;
  return kwh.toFixed(3);
}

const sessionInclude = {
  charger: { select: { chargeBoxId: true, description: true } },
  card: { select: { publicId: true, customer: { select: { externalId: true, name: true } } } },
  driver: { select: { email: true } },
} satisfies Prisma.ChargingSessionInclude;
type SessionRow = Prisma.ChargingSessionGetPayload<{ include: typeof sessionInclude }>;

const sessionColumns: Column<SessionRow>[] = [
  { header: 'steveTransactionId', value: (s) => s.steveTransactionPk },
  { header: 'status', value: (s) => s.status },
  { header: 'chargeBoxId', value: (s) => s.charger.chargeBoxId },
  { header: 'chargerName', value: (s) => s.charger.description },
  { header: 'connector', value: (s) => s.connectorNumber },
  { header: 'cardPublicId', value: (s) => s.card?.publicId },
  { header: 'idTag', value: (s) => s.idTag },
  { header: 'customerId', value: (s) => s.card?.customer?.externalId },
  { header: 'customerName', value: (s) => s.card?.customer?.name },
  { header: 'driverEmail', value: (s) => s.driver?.email },
  { header: 'startedAt', value: (s) => s.startedAt },
  { header: 'stoppedAt', value: (s) => s.stoppedAt },
  { header: 'energyKwh', value: (s) => sessionKwh(s) },
];

const sessions: ExportDefinition = {
  filters: (p) =>
    compact({
      from: date(p, 'from'),
      to: date(p, 'to'),
      status: oneOf(p, 'status', ['ACTIVE', 'COMPLETED'] as const),
      search: text(p, 'search'),
      charger: text(p, 'charger'),
      card: text(p, 'card'),
      customer: text(p, 'customer'),
    }),
  stream: (services, f) => {
    const status = str(f.status) as 'ACTIVE' | 'COMPLETED' | undefined;
    const base: Prisma.ChargingSessionWhereInput[] = [
      whereOf({
        status: status ?? null,
        search: str(f.search) ?? null,
        from: dt(f.from) ?? null,
        to: dt(f.to) ?? null,
        charger: str(f.charger) ?? null,
        card: str(f.card) ?? null,
        customer: str(f.customer) ?? null,
      }),
    ];
    const rows = keysetBatches<SessionRow>(
      (after, take) =>
        services.db.chargingSession.findMany({
          where: {
            AND: [
              ...base,
              ...(after
                ? [
                    {
                      OR: [
                        { startedAt: { lt: after.startedAt } },
                        { startedAt: after.startedAt, id: { lt: after.id } },
                      ],
                    },
                  ]
                : []),
            ],
          },
          orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
          take,
          include: sessionInclude,
        }),
      EXPORT_BATCH_SIZE,
    );
    return csvStream(sessionColumns, rows);
  },
};

type AuditRow = Prisma.AuditEventGetPayload<object>;
const json = (v: Prisma.JsonValue | null) => (v === null ? null : JSON.stringify(v));
const auditColumns: Column<AuditRow>[] = [
  { header: 'at', value: (a) => a.at },
  { header: 'action', value: (a) => a.action },
  { header: 'actorId', value: (a) => a.actorId },
  { header: 'actorEmail', value: (a) => a.actorEmail },
  { header: 'impersonatorId', value: (a) => a.impersonatorId },
  { header: 'subjectType', value: (a) => a.subjectType },
  { header: 'subjectId', value: (a) => a.subjectId },
  { header: 'before', value: (a) => json(a.before) },
  { header: 'after', value: (a) => json(a.after) },
];

const audit: ExportDefinition = {
  filters: (p) =>
    compact({
      from: date(p, 'from'),
      to: date(p, 'to'),
      subjectId: text(p, 'subjectId'),
      actor: text(p, 'actor'),
      action: text(p, 'action'),
    }),
  stream: (services, f) => {
    const from = dt(f.from);
    const to = dt(f.to);
    const base: Prisma.AuditEventWhereInput[] = [
      auditWhere({ subjectId: str(f.subjectId), actor: str(f.actor), action: str(f.action) }),
      ...(from || to ? [{ at: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } }] : []),
    ];
    const rows = keysetBatches<AuditRow>(
      (after, take) =>
        services.db.auditEvent.findMany({
          where: {
            AND: [
              ...base,
              ...(after ? [{ OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }] : []),
            ],
          },
          orderBy: [{ at: 'desc' }, { id: 'desc' }],
          take,
        }),
      EXPORT_BATCH_SIZE,
    );
    return csvStream(auditColumns, rows);
  },
};

const cardInclude = {
  owner: { select: { email: true } },
  customer: { select: { externalId: true, name: true } },
} satisfies Prisma.EvCardInclude;
type CardRow = Prisma.EvCardGetPayload<{ include: typeof cardInclude }>;
const cardColumns: Column<CardRow>[] = [
  { header: 'publicId', value: (c) => c.publicId },
  { header: 'idTag', value: (c) => c.idTag },
  { header: 'status', value: (c) => c.status },
  { header: 'origin', value: (c) => c.origin },
  { header: 'label', value: (c) => c.label },
  { header: 'ownerEmail', value: (c) => c.owner?.email },
  { header: 'customerId', value: (c) => c.customer?.externalId },
  { header: 'customerName', value: (c) => c.customer?.name },
  { header: 'primary', value: (c) => c.isPrimary },
  { header: 'createdAt', value: (c) => c.createdAt },
  { header: 'activatedAt', value: (c) => c.activatedAt },
  { header: 'disabledAt', value: (c) => c.disabledAt },
];

const cards: ExportDefinition = {
  filters: (p) =>
    compact({
      status: oneOf(p, 'status', ['PENDING', 'ACTIVE', 'DISABLED'] as const),
      customer: text(p, 'customer'),
      search: text(p, 'search'),
    }),
  stream: (services, f) => {
    const status = str(f.status) as 'PENDING' | 'ACTIVE' | 'DISABLED' | undefined;
    const customer = str(f.customer);
    const search = str(f.search);
    const base: Prisma.EvCardWhereInput[] = [
      ...(status ? [{ status }] : []),
      ...(customer
        ? [{ customer: { OR: [{ externalId: customer }, { id: customer }, { lagoId: customer }] } }]
        : []),
      ...(search
        ? [
            {
              OR: [
                { publicId: { contains: search, mode: 'insensitive' as const } },
                { idTag: { contains: search, mode: 'insensitive' as const } },
                { label: { contains: search, mode: 'insensitive' as const } },
                { owner: { email: { contains: search, mode: 'insensitive' as const } } },
              ],
            },
          ]
        : []),
    ];
    // uuid v7 ids sort by creation: the primary key is the keyset.
    const rows = keysetBatches<CardRow>(
      (after, take) =>
        services.db.evCard.findMany({
          where: { AND: [...base, ...(after ? [{ id: { gt: after.id } }] : [])] },
          orderBy: { id: 'asc' },
          take,
          include: cardInclude,
        }),
      EXPORT_BATCH_SIZE,
    );
    return csvStream(cardColumns, rows);
  },
};

const EXPORTS: Record<string, ExportDefinition> = {
  'sessions.csv': sessions,
  'audit.csv': audit,
  'ev-cards.csv': cards,
};

/** Operators acting as themselves and API keys; never drivers, nor an operator impersonating one. */
function mayExport(viewer: Viewer | null): boolean {
  if (!viewer) return false;
  if (viewer.kind === 'apiKey') return true;
  return viewer.role === 'admin' && viewer.status === 'ACTIVE' && viewer.impersonatorId === null;
}

function plain(res: http.ServerResponse, status: number, message: string) {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(message);
}

function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  return headers;
}

/**
 * `GET /exports/{sessions,audit,ev-cards}.csv`: streams the rows straight from the database in
 * keyset batches (memory stays flat, the first bytes leave after the first batch), and records
 * who exported what in the audit log.
 */
export async function handleExport(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  services: Services,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const name = url.pathname.slice(EXPORTS_PATH.length + 1);
  const definition = Object.hasOwn(EXPORTS, name) ? EXPORTS[name] : undefined;
  if (!definition) return plain(res, 404, 'Not found');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return plain(res, 405, 'Method not allowed');
  }
  let viewer: Viewer | null;
  try {
    viewer = await services.authenticate(headersOf(req));
  } catch {
    viewer = null;
  }
  if (!viewer) return plain(res, 401, 'Sign in as an operator, or send an API key, to export.');
  if (!mayExport(viewer)) return plain(res, 403, 'Only operators and API keys may export.');
  let filters: Record<string, string | Date>;
  try {
    filters = definition.filters(url.searchParams);
  } catch (error) {
    if (error instanceof BadFilter) return plain(res, 400, error.message);
    throw error;
  }
  const kind = name.replace(/\.csv$/, '');
  await recordAudit(services.db, {
    actor: viewer,
    action: 'export.downloaded',
    subjectType: 'Export',
    subjectId: kind,
    after: { filters },
  });
  const day = new Date().toISOString().slice(0, 10);
  res.statusCode = 200;
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${kind}-${day}.csv"`);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  if (req.method === 'HEAD') return void res.end();
  res.flushHeaders();
  try {
    await pipeline(definition.stream(services, filters), res);
  } catch (error) {
    // Headers are gone: the only honest signal left is a cut connection (the file is incomplete).
    services.logger.warn({ err: error, export: kind }, 'CSV export aborted');
    res.destroy();
  }
}
