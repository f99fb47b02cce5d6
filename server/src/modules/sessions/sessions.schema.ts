import type { Context } from '../../types.ts';
import type { ChargingSession } from '../../generated/prisma/client.ts';
import { batchedAcrossViewers } from '../../lib/cross-viewer-batch.ts';
import { builder } from '../../schema/builder.ts';
import { ViewerRef } from '../auth/auth.schema.ts';
import { EvCardStatusEnum } from '../cards/cards.schema.ts';
import { ChargerRef } from '../chargers/chargers.schema.ts';
import {
  readBillingPeriod,
  type BillingPeriodRead,
  driverUsage,
  type BillingPeriodUsage,
  type DriverUsage,
} from './sessions.service.ts';

/** A driver's own data: the driver (or an operator acting as them), operators, API keys. */
export function canSeeDriverData(ownerId: string | null, ctx: Context): boolean {
  const v = ctx.viewer;
  if (!v) return false;
  if (v.kind === 'apiKey') return true;
  if (v.role === 'admin' && v.impersonatorId === null) return true;
  return ownerId !== null && v.userId === ownerId;
}

/** The viewer's user id; the `driver` scope guarantees a person. */
export function viewerUserId(ctx: Context): string {
  if (ctx.viewer?.kind !== 'user') throw new Error('unreachable: driver scope without a person');
  return ctx.viewer.userId;
}

/** An EV card as its owner sees it (the operators' card type lives with the cards module). */
export const DriverCardRef = builder.prismaObject('EvCard', {
  variant: 'DriverCard',
  description: 'One of the driver’s EV cards, as the driver sees it.',
  authScopes: (card, ctx) => canSeeDriverData(card.ownerId, ctx),
  runScopesOnType: true,
  fields: (t) => ({
    publicId: t.exposeString('publicId', { description: 'The card number printed for people.' }),
    label: t.exposeString('label', { nullable: true, description: 'A name the driver or operator gave it.' }),
    status: t.expose('status', { type: EvCardStatusEnum, description: 'Whether the card can charge.' }),
    isPrimary: t.exposeBoolean('isPrimary', {
      description:
        'The card starts from the dashboard use. With none marked primary, the ACTIVE card activated most recently is used.',
    }),
    activatedAt: t.expose('activatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the card became ACTIVE.',
    }),
  }),
});

export const SessionStatusEnum = builder.enumType('SessionStatus', {
  description: 'Whether a charging session is still running.',
  values: {
    ACTIVE: { value: 'ACTIVE', description: 'Charging (or plugged in) right now.' },
    COMPLETED: { value: 'COMPLETED', description: 'Stopped; its energy is final.' },
  } as const,
});

function durationSeconds(s: Pick<ChargingSession, 'startedAt' | 'stoppedAt'>, now: Date): number {
  const end = s.stoppedAt ?? now;
  return Math.max(0, Math.round((end.getTime() - s.startedAt.getTime()) / 1000));
}

/** A charging session (a SteVe transaction) mirrored by the sync. */
export const ChargingSessionRef = builder.prismaNode('ChargingSession', {
  // node(id:) answers null for an id that names no row, instead of an internal error.
  nullable: true,
  id: { field: 'id' },
  description: 'A charging session, mirrored from a SteVe transaction by the sync.',
  authScopes: (s, ctx) => canSeeDriverData(s.driverId, ctx),
  runScopesOnType: true,
  fields: (t) => ({
    status: t.expose('status', { type: SessionStatusEnum, description: 'Running or finished.' }),
    charger: t.relation('charger', { type: ChargerRef, description: 'Where the session runs or ran.' }),
    connectorNumber: t.exposeInt('connectorNumber', { description: 'OCPP connector id used.' }),
    card: t.relation('card', {
      type: DriverCardRef,
      nullable: true,
      description: 'The EV card that started it; null when SteVe’s tag is unknown to Polaris.',
    }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      description: 'When the session started (station clock).',
    }),
    stoppedAt: t.expose('stoppedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it stopped; null while active.',
    }),
    energyKwh: t.exposeFloat('energyKwh', {
      description: 'Energy delivered so far (active) or in total (completed), in kWh.',
    }),
    powerKw: t.exposeFloat('powerKw', {
      nullable: true,
      description:
        'Current charging power in kW from the latest meter reading; null when stopped or unknown.',
    }),
    durationSeconds: t.int({
      description: 'Seconds from start to stop, or to now while active.',
      select: { startedAt: true, stoppedAt: true },
      resolve: (s, _args, ctx) => durationSeconds(s, ctx.services.sync.engine.now()),
    }),
    latestMeterAt: t.expose('latestMeterAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Time of the latest meter reading synced.',
    }),
    stopReason: t.exposeString('stopReason', {
      nullable: true,
      description: 'OCPP stop reason, when stopped.',
    }),
  }),
});

builder.objectField(ViewerRef, 'cards', (t) =>
  t.field({
    type: [DriverCardRef],
    description: 'The viewer’s EV cards: primary first, then ACTIVE ones, newest activation first.',
    authScopes: { user: true },
    resolve: (viewer, _args, ctx) =>
      ctx.services.db.evCard.findMany({
        where: { ownerId: viewer.id },
        orderBy: [
          { isPrimary: 'desc' },
          { status: 'asc' },
          { activatedAt: { sort: 'desc', nulls: 'last' } },
          { createdAt: 'desc' },
        ],
      }),
  }),
);

// ───────────────────────────── active session ─────────────────────────────

function activeSessionWhere(userId: string) {
  return { driverId: userId, status: 'ACTIVE' as const };
}

builder.queryField('activeSession', (t) =>
  t.prismaField({
    type: ChargingSessionRef,
    nullable: true,
    description: 'The viewer’s running charging session (the newest if several); null when not charging.',
    authScopes: { driver: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.services.db.chargingSession.findFirst({
        ...query,
        where: activeSessionWhere(viewerUserId(ctx)),
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

/** Yields one value right away (the current state), then everything `source` yields. */
async function* startingWith<T>(first: T, source: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* source;
}

builder.subscriptionField('activeSession', (t) =>
  t.prismaField({
    type: ChargingSessionRef,
    nullable: true,
    description:
      'The viewer’s running session now, then again each time the sync records a change (kWh, power, stop); `null` once it stopped.',
    authScopes: { driver: true },
    subscribe: (_root, _args, ctx) =>
      startingWith<unknown>(
        { initial: true },
        ctx.services.pubsub.subscribe('driver:session', viewerUserId(ctx)),
      ),
    // N drivers' subscriptions woken together (one sync page) read their sessions in one query.
    resolve: (query, _payload, _args, ctx) =>
      batchedAcrossViewers(ctx.services.db, ['activeSession', query], viewerUserId(ctx), async (ids) => {
        const rows = await ctx.services.db.chargingSession.findMany({
          ...query,
          // The owner is needed to hand each driver their own row (and the type's scopes read it too).
          ...('select' in query && query.select ? { select: { ...query.select, driverId: true } } : {}),
          where: { driverId: { in: [...ids] }, status: 'ACTIVE' },
          orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        });
        // The newest per driver, as findFirst with this order gives each of them.
        const newest = new Map<string, (typeof rows)[number]>();
        for (const row of rows) if (row.driverId && !newest.has(row.driverId)) newest.set(row.driverId, row);
        return newest;
      }),
  }),
);

// ───────────────────────────── history ─────────────────────────────

builder.queryField('sessions', (t) =>
  t.prismaConnection({
    type: ChargingSessionRef,
    cursor: 'id',
    description:
      'The viewer’s charging sessions, newest first. A session is listed once its first meter reading has synced.',
    authScopes: { driver: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.services.db.chargingSession.findMany({
        ...query,
        where: { driverId: viewerUserId(ctx), firstMeterAt: { not: null } },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

// ───────────────────────────── usage ─────────────────────────────

const BillingPeriodUsageRef = builder.objectRef<BillingPeriodUsage>('BillingPeriodUsage').implement({
  description: 'Usage in the open Lago billing period of the driver’s billing customer.',
  authScopes: { driver: true },
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime', description: 'Start of the billing period.' }),
    to: t.expose('to', { type: 'DateTime', description: 'End of the billing period.' }),
    kwh: t.exposeFloat('kwh', { description: 'kWh billed so far in the period.' }),
    amountCents: t.exposeInt('amountCents', { description: 'Amount so far, taxes included, in cents.' }),
    currency: t.exposeString('currency', { nullable: true, description: 'ISO currency of the amount.' }),
  }),
});

const BillingAvailabilityEnum = builder.enumType('BillingAvailability', {
  description: 'Whether the driver’s billing figures can be shown right now.',
  values: {
    BILLED: { description: 'Lago answered: the billing period is shown when it has usage.' },
    NOT_BILLED: { description: 'The driver’s card has no Lago customer yet: nothing is billed.' },
    UNAVAILABLE: { description: 'Lago cannot be reached: billing is temporarily unavailable.' },
  } as const,
});

/** One Lago read per usage object, shared by `billingPeriod` and `billingAvailability`. */
const billingReads = new WeakMap<DriverUsage, Promise<BillingPeriodRead>>();
function billingOf(u: DriverUsage, services: Parameters<typeof readBillingPeriod>[0]) {
  let read = billingReads.get(u);
  if (!read) {
    read = readBillingPeriod(services, u.billingCustomerExternalId);
    billingReads.set(u, read);
  }
  return read;
}

const DriverUsageRef = builder.objectRef<DriverUsage>('DriverUsage').implement({
  description: 'The viewer’s energy use this week and this month (UTC), and the open billing period.',
  authScopes: { driver: true },
  fields: (t) => ({
    weekKwh: t.exposeFloat('weekKwh', { description: 'kWh of sessions started since Monday 00:00 UTC.' }),
    weekSessions: t.exposeInt('weekSessions', { description: 'Sessions started since Monday 00:00 UTC.' }),
    monthKwh: t.exposeFloat('monthKwh', { description: 'kWh of sessions started this month (UTC).' }),
    monthSessions: t.exposeInt('monthSessions', { description: 'Sessions started this month (UTC).' }),
    weekStart: t.expose('weekStart', { type: 'DateTime', description: 'Start of this week.' }),
    monthStart: t.expose('monthStart', { type: 'DateTime', description: 'Start of this month.' }),
    billingPeriod: t.field({
      type: BillingPeriodUsageRef,
      nullable: true,
      description:
        'The current billing period from Lago, when the driver’s card has a Lago customer and Lago answers; null otherwise.',
      resolve: async (u, _args, ctx) => (await billingOf(u, ctx.services)).period,
    }),
    billingAvailability: t.field({
      type: BillingAvailabilityEnum,
      description:
        'BILLED, NOT_BILLED (no Lago customer yet) or UNAVAILABLE (Lago cannot be reached right now).',
      resolve: async (u, _args, ctx) => (await billingOf(u, ctx.services)).availability,
    }),
  }),
});

builder.queryField('usage', (t) =>
  t.field({
    type: DriverUsageRef,
    description: 'The viewer’s energy this week and this month, and the current billing period.',
    authScopes: { driver: true },
    resolve: (_root, _args, ctx) => driverUsage(ctx.services, viewerUserId(ctx)),
  }),
);
