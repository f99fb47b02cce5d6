import { builder } from '../../schema/builder.ts';
import {
  billingPerDay,
  energyBySite,
  energyDelivered,
  sessionsByHour,
  syncRunsLastDay,
  uptime,
  utilisation,
  type BillingDay,
  type ChargerUptime,
  type ChargerUtilisation,
  type EnergyPoint,
  type HourPoint,
  type SiteEnergySeries,
  type SyncRunBucket,
} from './insights.service.ts';

/** Operators and API keys, like the dashboard. */
const READERS = { admin: true, apiKey: true } as const;

const EnergyBucketEnum = builder.enumType('EnergyBucket', {
  description: 'How energy is bucketed on the Insights page.',
  values: {
    DAY: { description: 'Per day, last 30 days.' },
    WEEK: { description: 'Per ISO week (from Monday), last 26 weeks (about 6 months).' },
  } as const,
});

const UtilisationRankEnum = builder.enumType('UtilisationRank', {
  description: 'Whether a charger is among the most or the least used.',
  values: { TOP: { description: 'Most used.' }, BOTTOM: { description: 'Least used.' } } as const,
});

const EnergyPointRef = builder.objectRef<EnergyPoint>('EnergyPoint').implement({
  description: 'Energy of the sessions completed in one day or week (UTC).',
  authScopes: READERS,
  fields: (t) => ({
    bucket: t.expose('bucket', { type: 'DateTime', description: 'Start of the day or week.' }),
    kwh: t.exposeFloat('kwh', { description: 'kWh delivered.' }),
    sessions: t.exposeInt('sessions', { description: 'Sessions completed.' }),
  }),
});

const HourPointRef = builder.objectRef<HourPoint>('HourPoint').implement({
  description: 'Sessions started in one hour of the day (UTC).',
  authScopes: READERS,
  fields: (t) => ({
    hour: t.exposeInt('hour', { description: '0–23, UTC.' }),
    sessions: t.exposeInt('sessions', { description: 'Sessions started in that hour.' }),
  }),
});

const ChargerUtilisationRef = builder.objectRef<ChargerUtilisation>('ChargerUtilisation').implement({
  description: 'How much of a window a charger’s connectors spent in sessions.',
  authScopes: READERS,
  fields: (t) => ({
    chargeBoxId: t.exposeString('chargeBoxId', { description: 'The charger’s chargeBoxId.' }),
    name: t.exposeString('name', { nullable: true, description: 'Its description in SteVe, when set.' }),
    share: t.exposeFloat('share', { description: 'Share of the window in use, 0…1.' }),
    rank: t.field({ type: UtilisationRankEnum, description: 'Most or least used.', resolve: (u) => u.rank }),
  }),
});

const SiteEnergySeriesRef = builder.objectRef<SiteEnergySeries>('SiteEnergySeries').implement({
  description: 'Energy of one site (or of the remaining sites, summed) per day or week.',
  authScopes: READERS,
  fields: (t) => ({
    site: t.exposeString('site', {
      nullable: true,
      description:
        'The site name operators gave the chargers; null: chargers without a site, or (others) the rest.',
    }),
    others: t.exposeBoolean('others', {
      description: 'true: every site beyond the largest ones, summed into this series.',
    }),
    totalKwh: t.exposeFloat('totalKwh', { description: 'kWh of the series over the whole range.' }),
    points: t.field({
      type: [EnergyPointRef],
      description: 'Every day or week of the range, oldest first (0 when nothing was delivered).',
      resolve: (s) => s.points,
    }),
  }),
});

const ChargerUptimeRef = builder.objectRef<ChargerUptime>('ChargerUptime').implement({
  description:
    'How much of the known time a charger’s connectors were usable (neither Faulted nor Unavailable), from the status history.',
  authScopes: READERS,
  fields: (t) => ({
    chargeBoxId: t.exposeString('chargeBoxId', { description: 'The charger’s chargeBoxId.' }),
    name: t.exposeString('name', { nullable: true, description: 'Its description in SteVe, when set.' }),
    share: t.exposeFloat('share', { description: 'Uptime, 0…1.' }),
    knownMinutes: t.exposeInt('knownMinutes', {
      description: 'Connector minutes with a known status in the window (summed over connectors).',
    }),
    downMinutes: t.exposeInt('downMinutes', { description: 'Of those, the minutes out of order.' }),
    rank: t.field({ type: UtilisationRankEnum, description: 'Best or worst.', resolve: (u) => u.rank }),
  }),
});

const SyncRunBucketRef = builder.objectRef<SyncRunBucket>('SyncRunBucket').implement({
  description: 'Sync runs that started in one 15-minute bucket.',
  authScopes: READERS,
  fields: (t) => ({
    bucket: t.expose('bucket', { type: 'DateTime', description: 'Start of the 15 minutes.' }),
    runs: t.exposeInt('runs', { description: 'Runs finished.' }),
    failed: t.exposeInt('failed', { description: 'Of which failed.' }),
    meanDurationMs: t.exposeFloat('meanDurationMs', { description: 'Mean run duration, ms.' }),
    maxDurationMs: t.exposeFloat('maxDurationMs', { description: 'Longest run, ms.' }),
    changes: t.exposeInt('changes', { description: 'Records the runs processed, summed.' }),
  }),
});

const BillingDayRef = builder.objectRef<BillingDay>('BillingDay').implement({
  description: 'Usage events to Lago on one day (UTC).',
  authScopes: READERS,
  fields: (t) => ({
    day: t.expose('day', { type: 'DateTime', description: 'The day.' }),
    sent: t.exposeInt('sent', { description: 'Accepted by Lago that day.' }),
    waiting: t.exposeInt('waiting', { description: 'Created that day and still waiting.' }),
    refused: t.exposeInt('refused', { description: 'Refused by Lago.' }),
  }),
});

builder.queryField('insightsEnergy', (t) =>
  t.field({
    type: [EnergyPointRef],
    description:
      'kWh delivered per day (last 30 days) or per week (last 26 weeks), oldest first; one SQL statement. Operators and API keys.',
    authScopes: READERS,
    args: { bucket: t.arg({ type: EnergyBucketEnum, required: true, description: 'Day or week.' }) },
    resolve: (_root, args, ctx) => energyDelivered(ctx.services.db, args.bucket),
  }),
);

builder.queryField('insightsEnergyBySite', (t) =>
  t.field({
    type: [SiteEnergySeriesRef],
    description:
      'kWh delivered per day (last 30 days) or per week (last 26 weeks) by site: the largest `sites` sites (1–12, default 6) each a series, the other sites one summed series, chargers without a site one series; one SQL statement. Operators and API keys.',
    authScopes: READERS,
    args: {
      bucket: t.arg({ type: EnergyBucketEnum, required: true, description: 'Day or week.' }),
      sites: t.arg.int({
        required: false,
        defaultValue: 6,
        description: 'How many sites get their own series, 1–12.',
      }),
    },
    resolve: (_root, args, ctx) =>
      energyBySite(ctx.services.db, args.bucket, Math.min(12, Math.max(1, args.sites ?? 6))),
  }),
);

builder.queryField('insightsUptime', (t) =>
  t.field({
    type: [ChargerUptimeRef],
    description:
      'The 5 chargers with the best and the 5 with the worst uptime over the last `days` days (1–90), from the connector status history (as on the charger page); one SQL statement. Operators and API keys.',
    authScopes: READERS,
    args: {
      days: t.arg.int({ required: true, description: 'Window in days, 1–90 (the page uses 7 and 30).' }),
    },
    resolve: (_root, args, ctx) => uptime(ctx.services.db, Math.min(90, Math.max(1, args.days)), 5),
  }),
);

builder.queryField('insightsSessionsByHour', (t) =>
  t.field({
    type: [HourPointRef],
    description:
      'Sessions started per hour of day (UTC) over the last `days` days (1–90); one SQL statement. Operators and API keys.',
    authScopes: READERS,
    args: { days: t.arg.int({ required: true, description: 'Window in days, 1–90.' }) },
    resolve: (_root, args, ctx) => sessionsByHour(ctx.services.db, Math.min(90, Math.max(1, args.days))),
  }),
);

builder.queryField('insightsUtilisation', (t) =>
  t.field({
    type: [ChargerUtilisationRef],
    description:
      'The 5 most and 5 least used chargers over the last `days` days (1–90): share of the time their connectors were in a session; one SQL statement. Operators and API keys.',
    authScopes: READERS,
    args: {
      days: t.arg.int({ required: true, description: 'Window in days, 1–90 (the page uses 7 and 30).' }),
    },
    resolve: (_root, args, ctx) => utilisation(ctx.services.db, Math.min(90, Math.max(1, args.days)), 5),
  }),
);

builder.queryField('insightsSyncRuns', (t) =>
  t.field({
    type: [SyncRunBucketRef],
    description:
      'Sync runs of the last 24 hours in 15-minute buckets: count, duration, changes; one SQL statement. Operators and API keys.',
    authScopes: READERS,
    resolve: (_root, _args, ctx) => syncRunsLastDay(ctx.services.db),
  }),
);

builder.queryField('insightsBilling', (t) =>
  t.field({
    type: [BillingDayRef],
    description:
      'Usage events per day over the last 30 days: sent, waiting, refused; one SQL statement. Operators and API keys.',
    authScopes: READERS,
    resolve: (_root, _args, ctx) => billingPerDay(ctx.services.db),
  }),
);
