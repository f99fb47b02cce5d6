import type { ChargingSession, Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../lib/db.ts';
import { sharedPerEvent } from '../../lib/event-memo.ts';
import { builder } from '../../schema/builder.ts';
import '../cards/cards.schema.ts';
import { ChargerRef } from '../chargers/chargers.schema.ts';
import { SessionStatusEnum } from './sessions.schema.ts';
import { escapeLike } from '../../lib/input-limits.ts';

const READERS = { admin: true, apiKey: true } as const;

/** kWh so far: final for completed sessions, from the latest meter sample for running ones. */
function liveKwh(s: {
  status: string;
  energyKwh: number;
  meterStartWh: number;
  latestMeterWh: number | null;
}) {
  if (s.status !== 'ACTIVE' || s.latestMeterWh === null) return s.energyKwh;
  return Math.max(0, (s.latestMeterWh - s.meterStartWh) / 1000);
}

/** A charging session as operators see it (every driver's, with card and charger). */
export const OperatorSessionRef = builder.prismaObject('ChargingSession', {
  variant: 'OperatorSession',
  description: 'A charging session in the operator console: charger, driver/card, energy, times.',
  authScopes: READERS,
  runScopesOnType: true,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The session’s id.' }),
    steveTransactionPk: t.exposeInt('steveTransactionPk', { description: 'SteVe transaction id.' }),
    status: t.expose('status', { type: SessionStatusEnum, description: 'Running or completed.' }),
    connectorNumber: t.exposeInt('connectorNumber', { description: 'OCPP connector id.' }),
    idTag: t.exposeString('idTag', { description: 'The idTag SteVe recorded.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'Start.' }),
    stoppedAt: t.expose('stoppedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Stop; null while running.',
    }),
    energyKwh: t.float({
      description: 'kWh delivered: live while running, final once completed.',
      select: { status: true, energyKwh: true, meterStartWh: true, latestMeterWh: true },
      resolve: (s) => Math.round(liveKwh(s) * 1000) / 1000,
    }),
    powerKw: t.exposeFloat('powerKw', { nullable: true, description: 'Latest power, when known.' }),
    charger: t.relation('charger', { description: 'Where.' }),
    card: t.relation('card', { nullable: true, description: 'The EV card, when Polaris knows it.' }),
    driver: t.relation('driver', { nullable: true, description: 'The driver, when known.' }),
  }),
});

const SessionFilter = builder.inputType('OperatorSessionFilter', {
  description: 'Filters of the operator’s session list.',
  fields: (t) => ({
    status: t.field({
      type: SessionStatusEnum,
      required: false,
      description: 'Only running or only completed.',
    }),
    search: t.string({
      required: false,
      description: 'Part of a chargeBoxId, idTag, card Public ID or driver email.',
    }),
    from: t.field({ type: 'DateTime', required: false, description: 'Started at or after.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Started before.' }),
    charger: t.string({ required: false, description: 'Exactly this chargeBoxId (any case).' }),
    card: t.string({ required: false, description: 'Exactly this card Public ID (any case).' }),
    customer: t.string({
      required: false,
      description: 'Billed to this Lago customer: its external id, Lago id or Polaris id.',
    }),
  }),
});

export type Filter = {
  status?: 'ACTIVE' | 'COMPLETED' | null;
  search?: string | null;
  from?: Date | null;
  to?: Date | null;
  charger?: string | null;
  card?: string | null;
  customer?: string | null;
};

export function whereOf(filter: Filter | null | undefined): Prisma.ChargingSessionWhereInput {
  const search = filter?.search?.trim();
  const charger = filter?.charger?.trim();
  const card = filter?.card?.trim();
  const customer = filter?.customer?.trim();
  const exact: Prisma.ChargingSessionWhereInput[] = [
    ...(charger ? [{ charger: { chargeBoxId: { equals: charger, mode: 'insensitive' as const } } }] : []),
    ...(card ? [{ card: { publicId: { equals: card, mode: 'insensitive' as const } } }] : []),
    ...(customer
      ? [{ card: { customer: { OR: [{ externalId: customer }, { id: customer }, { lagoId: customer }] } } }]
      : []),
  ];
  return {
    ...(exact.length > 0 ? { AND: exact } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.from || filter?.to
      ? {
          startedAt: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lt: filter.to } : {}),
          },
        }
      : {}),
    ...(search
      ? {
          OR: [
            { idTag: { contains: escapeLike(search), mode: 'insensitive' } },
            { charger: { chargeBoxId: { contains: escapeLike(search), mode: 'insensitive' } } },
            { card: { publicId: { contains: escapeLike(search), mode: 'insensitive' } } },
            { driver: { email: { contains: escapeLike(search), mode: 'insensitive' } } },
          ],
        }
      : {}),
  };
}

builder.queryField('operatorSessions', (t) =>
  t.prismaConnection({
    type: OperatorSessionRef,
    cursor: 'id',
    description: 'Every charging session, newest first, with filters. Operators and API keys.',
    authScopes: READERS,
    args: { filter: t.arg({ type: SessionFilter, required: false, description: 'Filters.' }) },
    totalCount: (_connection, args, ctx) =>
      ctx.services.db.chargingSession.count({ where: whereOf(args.filter) }),
    resolve: (query, _root, args, ctx) =>
      ctx.services.db.chargingSession.findMany({
        ...query,
        where: whereOf(args.filter),
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

/** The running sessions, newest first (a session that just started is on top): the dashboard's "Live now". */
export function findLiveSessions<Q extends object>(db: Db, query: Q) {
  return db.chargingSession.findMany({
    ...query,
    where: { status: 'ACTIVE' },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: 50,
  });
}

/** Charger columns that are timestamps: `to_jsonb` gives them as text without a zone (UTC). */
const CHARGER_DATES = [
  'lastHeartbeatAt',
  'stateChangedAt',
  'firstSeenAt',
  'lastSeenAt',
  'goneAt',
  'createdAt',
  'updatedAt',
] as const;

/**
 * `findLiveSessions` with each session's charger in the **same** statement (a join; Prisma would
 * load the chargers in a second one). For the dashboard: when the selection does not ask for the
 * charger it is plain `findLiveSessions`; relations it does not join (card, driver, the charger's
 * own relations) are loaded by Pothos as usual.
 */
export async function findLiveSessionsWithChargers<Q extends object>(db: Db, query: Q) {
  const q = query as { include?: Record<string, unknown>; select?: Record<string, unknown> };
  if (!q.include?.charger && !q.select?.charger) return findLiveSessions(db, query);
  const rows = await db.$queryRaw<(ChargingSession & { charger: Record<string, unknown> })[]>`
    SELECT s.*, to_jsonb(c) AS "charger"
    FROM "ChargingSession" s JOIN "Charger" c ON c."id" = s."chargerId"
    WHERE s."status" = 'ACTIVE'
    ORDER BY s."startedAt" DESC, s."id" DESC
    LIMIT 50`;
  for (const row of rows) {
    for (const key of CHARGER_DATES) {
      const value = row.charger[key];
      if (typeof value === 'string') row.charger[key] = new Date(`${value}Z`);
    }
  }
  return rows as unknown as Awaited<ReturnType<typeof findLiveSessions<Q>>>;
}

builder.subscriptionField('liveSessions', (t) =>
  t.prismaField({
    type: [OperatorSessionRef],
    description:
      'The running sessions (at most 50), re-sent whenever any session changes (start, meter value, stop).',
    authScopes: READERS,
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe('session:updated'),
    resolve: (query, payload, _args, ctx) =>
      sharedPerEvent(payload, ['liveSessions', query], () => findLiveSessions(ctx.services.db, query)),
  }),
);

/** A reservation as operators see it on a charger's page (variant: the driver side may define its own). */
const OperatorReservationRef = builder.prismaObject('Reservation', {
  variant: 'OperatorReservation',
  description: 'A reservation of a connector, mirrored from SteVe, as operators see it.',
  authScopes: READERS,
  runScopesOnType: true,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The reservation’s id.' }),
    connectorNumber: t.exposeInt('connectorNumber', { description: 'OCPP connector id.' }),
    idTag: t.exposeString('idTag', { description: 'The idTag it is held for.' }),
    status: t.exposeString('status', {
      description: 'WAITING, ACCEPTED, COMPLETED (used to charge), CANCELLED or EXPIRED.',
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'From.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'Until.' }),
    card: t.relation('card', { nullable: true, description: 'The EV card, when Polaris knows it.' }),
  }),
});

builder.prismaObjectField(ChargerRef, 'recentReservations', (t) =>
  t.relation('reservations', {
    type: OperatorReservationRef,
    description: 'Its 10 most recent reservations, newest first. Operators and API keys.',
    authScopes: READERS,
    query: { orderBy: [{ startsAt: 'desc' }, { id: 'desc' }], take: 10 },
  }),
);
