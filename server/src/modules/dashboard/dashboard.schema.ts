import { builder } from '../../schema/builder.ts';
import { OperatorSessionRef, findLiveSessionsWithChargers } from '../sessions/admin-sessions.schema.ts';
import '../sync/sync.schema.ts';
import {
  dashboardCounts,
  operatorHealth,
  type DashboardCounts,
  type OperatorHealth,
  type OperatorHealthWarning,
  type WeeklyFigures,
} from './dashboard.service.ts';

const READERS = { admin: true, apiKey: true } as const;

const HealthSourceEnum = builder.enumType('HealthSource', {
  description: 'Which part of the system a health warning comes from.',
  values: {
    SYNC: {
      value: 'SYNC',
      description: 'SteVe and the sync (reachability, failures, staleness, chargers, tags).',
    },
    BILLING: { value: 'BILLING', description: 'The usage-event outbox to Lago.' },
    CARDS: { value: 'CARDS', description: 'EV cards (e.g. active cards without a Lago customer).' },
  } as const,
});

const HealthSeverityEnum = builder.enumType('HealthSeverity', {
  description: 'How urgent a health warning is.',
  values: {
    INFO: { value: 'INFO', description: 'Worth knowing.' },
    WARNING: { value: 'WARNING', description: 'Needs attention soon.' },
    CRITICAL: { value: 'CRITICAL', description: 'Needs attention now.' },
  } as const,
});

const HealthWarningRef = builder.objectRef<OperatorHealthWarning>('HealthWarning').implement({
  description: 'One operational warning on the Health card.',
  authScopes: READERS,
  fields: (t) => ({
    source: t.field({
      type: HealthSourceEnum,
      description: 'Where it comes from.',
      resolve: (w) => w.source,
    }),
    code: t.exposeString('code', {
      description:
        'Stable code: STEVE_UNREACHABLE, SYNC_FAILING, SYNC_STALE, CHARGERS_OFFLINE, UNKNOWN_TAGS, CHANGE_CAPTURE_UNAVAILABLE, CHANGE_CAPTURE_INTERRUPTED, CARDS_WITHOUT_CUSTOMER, a billing kind such as `billing.backlog`, or a failed start-up check of a real SteVe (STEVE_API, STEVE_DATABASE, STEVE_GRANTS, STEVE_SCHEMA; source SYNC) or Lago (LAGO_API, LAGO_SETUP; source BILLING).',
    }),
    severity: t.field({ type: HealthSeverityEnum, description: 'How urgent.', resolve: (w) => w.severity }),
    message: t.exposeString('message', { description: 'For people.' }),
    count: t.exposeInt('count', { description: 'How many things it concerns.' }),
    since: t.expose('since', { type: 'DateTime', nullable: true, description: 'Since when, when known.' }),
  }),
});

const OperatorHealthRef = builder.objectRef<OperatorHealth>('OperatorHealth').implement({
  description: 'The rolled-up health of the platform at one moment.',
  authScopes: READERS,
  fields: (t) => ({
    checkedAt: t.expose('checkedAt', { type: 'DateTime', description: 'When this check ran.' }),
    healthy: t.boolean({
      description: 'True when there is nothing to show.',
      resolve: (h) => h.warnings.length === 0,
    }),
    warnings: t.field({
      type: [HealthWarningRef],
      description: 'Most urgent first.',
      resolve: (h) => h.warnings,
    }),
  }),
});

const WeeklyFiguresRef = builder.objectRef<WeeklyFigures>('WeeklyFigures').implement({
  description: 'The "This week" tiles: the last 7 days.',
  authScopes: READERS,
  fields: (t) => ({
    since: t.expose('since', { type: 'DateTime', description: 'Start of the window (now minus 7 days).' }),
    kwhDelivered: t.exposeFloat('kwhDelivered', { description: 'kWh of sessions completed in the window.' }),
    syncRuns: t.exposeInt('syncRuns', { description: 'Sync runs started in the window.' }),
    cardsActivated: t.exposeInt('cardsActivated', { description: 'EV cards activated in the window.' }),
    reservationsCompleted: t.exposeInt('reservationsCompleted', {
      description: 'Reservations completed (used) in the window.',
    }),
  }),
});

/**
 * The dashboard is a bag of figures. The counts (header strip, welcome, This week) come from one
 * statement, read once per request by whichever of those fields resolves first; Live now is one
 * more (sessions joined with their chargers), health its own.
 */
type Dashboard = { now: Date; counts: () => Promise<DashboardCounts> };

const AdminDashboardRef = builder.objectRef<Dashboard>('AdminDashboard').implement({
  description: 'Everything the operator dashboard at /admin shows.',
  authScopes: READERS,
  fields: (t) => ({
    welcome: t.boolean({
      description: 'First run: no charger has ever been seen and no sync run has completed.',
      resolve: async (d) => (await d.counts()).welcome,
    }),
    chargersOnline: t.int({
      description: 'Registered chargers that are connected (any state but OFFLINE).',
      resolve: async (d) => (await d.counts()).chargersOnline,
    }),
    chargersTotal: t.int({
      description: 'Chargers registered in SteVe (gone ones excluded).',
      resolve: async (d) => (await d.counts()).chargersTotal,
    }),
    unreadAlerts: t.int({
      description: 'Alerts nobody has read yet.',
      resolve: async (d) => (await d.counts()).unreadAlerts,
    }),
    syncSchedule: t.prismaField({
      type: 'SyncSchedule',
      description: 'Current Adaptive Cadence tier and the next scheduled sync run.',
      resolve: async (query, _d, _args, ctx) => {
        await ctx.services.sync.engine.getSchedule();
        return ctx.services.db.syncSchedule.findUniqueOrThrow({ ...query, where: { id: 1 } });
      },
    }),
    activeSyncRun: t.prismaField({
      type: 'SyncRun',
      nullable: true,
      description: 'The sync run in flight, if any, with its segments.',
      resolve: (query, _d, _args, ctx) =>
        ctx.services.db.syncRun.findFirst({
          ...query,
          where: { status: 'RUNNING' },
          orderBy: { startedAt: 'desc' },
        }),
    }),
    liveSessions: t.prismaField({
      type: [OperatorSessionRef],
      description: 'Running sessions (at most 50), oldest first.',
      resolve: (query, _d, _args, ctx) => findLiveSessionsWithChargers(ctx.services.db, query),
    }),
    health: t.field({
      type: OperatorHealthRef,
      description: 'Rolled-up health warnings (sync, billing, cards).',
      resolve: (d, _args, ctx) => operatorHealth(ctx.services, { now: d.now }),
    }),
    weeklyFigures: t.field({
      type: WeeklyFiguresRef,
      description:
        'kWh delivered, sync runs, EV cards activated and completed reservations over the last 7 days.',
      resolve: async (d) => (await d.counts()).weeklyFigures,
    }),
  }),
});

builder.queryField('adminDashboard', (t) =>
  t.field({
    type: AdminDashboardRef,
    description: 'The operator dashboard (/admin): header strip, Live now, sync, Health and This week.',
    authScopes: READERS,
    resolve: (_root, _args, ctx) => {
      const now = new Date();
      let counts: Promise<DashboardCounts> | null = null;
      return { now, counts: () => (counts ??= dashboardCounts(ctx.services.db, now)) };
    },
  }),
);

builder.queryField('operatorHealth', (t) =>
  t.field({
    type: OperatorHealthRef,
    description: 'Re-runs the health checks now (the Health card polls this every 30 seconds).',
    authScopes: READERS,
    resolve: (_root, _args, ctx) => operatorHealth(ctx.services),
  }),
);
