import { filter, pipe } from 'graphql-yoga';
import { builder } from '../../schema/builder.ts';
import { recordAudit } from '../audit/audit.ts';

const SyncTriggerEnum = builder.enumType('SyncTrigger', {
  description: 'Why a sync run started.',
  values: {
    SCHEDULED: { value: 'SCHEDULED', description: 'The Adaptive Cadence scheduled it.' },
    MANUAL: { value: 'MANUAL', description: 'An operator or an operator API key asked for it.' },
    START_REQUEST: { value: 'START_REQUEST', description: 'A driver’s remote start was accepted.' },
    STARTUP: { value: 'STARTUP', description: 'The server started.' },
    RECONCILE: {
      value: 'RECONCILE',
      description: 'Change capture (re)starts its stream and reconciles first (see docs/sync.md).',
    },
  } as const,
});

const CadenceTierEnum = builder.enumType('CadenceTier', {
  description: 'Adaptive Cadence tier: how often SteVe is read, from fleet activity (see docs/sync.md).',
  values: {
    LIVE: { value: 'LIVE', description: 'Sessions are running or a start is pending: every few seconds.' },
    ACTIVE: { value: 'ACTIVE', description: 'Something happened in the last minutes: about every minute.' },
    IDLE: { value: 'IDLE', description: 'Quiet fleet: every few minutes.' },
    BACKOFF: { value: 'BACKOFF', description: 'Runs are failing: retries with exponential backoff.' },
    STREAMING: {
      value: 'STREAMING',
      description: 'Changes stream from SteVe’s binlog; runs only reconcile, every few minutes.',
    },
  } as const,
});

const SyncRunStatusEnum = builder.enumType('SyncRunStatus', {
  description: 'Outcome of a sync run.',
  values: {
    RUNNING: { value: 'RUNNING', description: 'In progress.' },
    SUCCEEDED: { value: 'SUCCEEDED', description: 'Every segment succeeded.' },
    FAILED: { value: 'FAILED', description: 'A segment failed; `error` says which and why.' },
  } as const,
});

const SyncSegmentKindEnum = builder.enumType('SyncSegmentKind', {
  description: 'What a segment reads from SteVe, in run order.',
  values: {
    CHARGERS: { value: 'CHARGERS', description: 'Charge points and their connectors.' },
    CONNECTOR_STATUS: {
      value: 'CONNECTOR_STATUS',
      description: 'Latest connector statuses and derived charger states.',
    },
    TAGS: { value: 'TAGS', description: 'OCPP tags (EV cards).' },
    TRANSACTIONS: { value: 'TRANSACTIONS', description: 'Charging sessions: starts and stops.' },
    METER_VALUES: { value: 'METER_VALUES', description: 'Meter samples of running sessions.' },
    RESERVATIONS: { value: 'RESERVATIONS', description: 'Reservations.' },
  } as const,
});

const SyncSegmentStatusEnum = builder.enumType('SyncSegmentStatus', {
  description: 'State of one segment of a run.',
  values: {
    PENDING: { value: 'PENDING', description: 'Not started yet.' },
    RUNNING: { value: 'RUNNING', description: 'In progress.' },
    SUCCEEDED: { value: 'SUCCEEDED', description: 'Done.' },
    FAILED: { value: 'FAILED', description: 'Failed; the run failed with it.' },
    SKIPPED: { value: 'SKIPPED', description: 'Not run because an earlier segment failed.' },
  } as const,
});

builder.prismaObject('SyncSegment', {
  description: 'One segment of a sync run with its progress.',
  authScopes: { admin: true, apiKey: true },
  runScopesOnType: true,
  fields: (t) => ({
    kind: t.expose('kind', { type: SyncSegmentKindEnum, description: 'What it reads.' }),
    status: t.expose('status', { type: SyncSegmentStatusEnum, description: 'Where it stands.' }),
    processed: t.exposeInt('processed', { description: 'Records processed so far.' }),
    total: t.exposeInt('total', {
      nullable: true,
      description: 'Records to process, once known (for paged reads: at the end).',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why it failed, or notes on records it skipped.',
    }),
  }),
});

export const SyncRunRef = builder.prismaNode('SyncRun', {
  // node(id:) answers null for an id that names no row, instead of an internal error.
  nullable: true,
  id: { field: 'id' },
  description: 'One pull of SteVe’s state into Polaris, in ordered segments.',
  authScopes: { admin: true, apiKey: true },
  runScopesOnType: true,
  fields: (t) => ({
    trigger: t.expose('trigger', { type: SyncTriggerEnum, description: 'Why it started.' }),
    tier: t.expose('tier', { type: CadenceTierEnum, description: 'Cadence tier in force when it started.' }),
    status: t.expose('status', { type: SyncRunStatusEnum, description: 'Outcome so far.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'Start time.' }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'End time; null while running.',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why it failed (`SEGMENT: [CODE] message`).',
    }),
    segments: t.relation('segments', {
      description: 'Its segments in run order.',
      query: { orderBy: { position: 'asc' } },
    }),
  }),
});

const SyncScheduleRef = builder.prismaObject('SyncSchedule', {
  description: 'The Adaptive Cadence: current tier and when the next run happens.',
  authScopes: { admin: true, apiKey: true },
  runScopesOnType: true,
  fields: (t) => ({
    tier: t.expose('tier', { type: CadenceTierEnum, description: 'Current tier.' }),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', description: 'When the next run is due.' }),
    interval: t.exposeInt('intervalMs', { description: 'Interval of the current tier, in milliseconds.' }),
    consecutiveFailures: t.exposeInt('consecutiveFailures', {
      description: 'Failed runs in a row (0 when healthy).',
    }),
    lastSuccessAt: t.expose('lastSuccessAt', {
      type: 'DateTime',
      nullable: true,
      description: 'End of the last successful run.',
    }),
  }),
});

builder.queryField('syncRuns', (t) =>
  t.prismaConnection({
    type: SyncRunRef,
    cursor: 'id',
    description: 'Sync runs, newest first.',
    authScopes: { admin: true, apiKey: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.services.db.syncRun.findMany({ ...query, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] }),
  }),
);

builder.queryField('syncSchedule', (t) =>
  t.prismaField({
    type: SyncScheduleRef,
    description: 'Current cadence tier and next scheduled run.',
    authScopes: { admin: true, apiKey: true },
    resolve: async (query, _root, _args, ctx) => {
      await ctx.services.sync.engine.getSchedule();
      return ctx.services.db.syncSchedule.findUniqueOrThrow({ ...query, where: { id: 1 } });
    },
  }),
);

builder.mutationField('triggerSync', (t) =>
  t.prismaField({
    type: SyncScheduleRef,
    description:
      'Runs a sync now (after a run in progress). Returns the schedule with the moved-up next run. Audited.',
    authScopes: { admin: true, operatorKey: true },
    resolve: async (query, _root, _args, ctx) => {
      const viewer = ctx.viewer!;
      const requestedById = viewer.kind === 'user' ? viewer.userId : null;
      const { jobId } = await ctx.services.sync.requestImmediate('MANUAL', requestedById);
      await recordAudit(ctx.services.db, {
        actor: viewer,
        action: 'sync.triggered',
        subjectType: 'SyncRun',
        subjectId: jobId ?? 'next',
        after: { trigger: 'MANUAL' },
      });
      return ctx.services.db.syncSchedule.findUniqueOrThrow({ ...query, where: { id: 1 } });
    },
  }),
);

builder.subscriptionField('syncRunProgress', (t) =>
  t.prismaField({
    type: SyncRunRef,
    description: 'Emits a sync run with its segments whenever it makes progress (per page and per segment).',
    authScopes: { admin: true, apiKey: true },
    args: { runId: t.arg.globalID({ required: false, description: 'Only this run; default every run.' }) },
    subscribe: (_root, args, ctx) => {
      const only = args.runId?.typename === 'SyncRun' ? args.runId.id : args.runId ? '' : null;
      return pipe(
        ctx.services.pubsub.subscribe('sync:progress'),
        filter((event) => only === null || event.runId === only),
      );
    },
    resolve: (query, payload: { runId: string }, _args, ctx) =>
      ctx.services.db.syncRun.findUniqueOrThrow({ ...query, where: { id: payload.runId } }),
  }),
);

const ChangeCaptureStatusEnum = builder.enumType('ChangeCaptureStatus', {
  description: 'Whether SteVe’s changes stream from its binlog or are polled (see docs/sync.md).',
  values: {
    OFF: { value: 'OFF', description: 'STEVE_CDC=off: changes are polled.' },
    UNAVAILABLE: {
      value: 'UNAVAILABLE',
      description:
        'The SteVe database does not allow it (`problem` names the missing setting or grant): polled.',
    },
    RECONCILING: {
      value: 'RECONCILING',
      description: 'A full sync reconciles before the stream (re)starts: polled meanwhile.',
    },
    STREAMING: { value: 'STREAMING', description: 'Every change is applied as SteVe commits it.' },
    RECONNECTING: {
      value: 'RECONNECTING',
      description: 'The stream broke (`problem` says why) and reconnects with backoff: polled meanwhile.',
    },
  } as const,
});

const ChangeCaptureRef = builder.prismaObject('ChangeStream', {
  name: 'ChangeCapture',
  description: 'Change capture from SteVe’s binary log: streaming or polled, and how far behind.',
  authScopes: { admin: true, apiKey: true },
  runScopesOnType: true,
  fields: (t) => ({
    status: t.expose('status', { type: ChangeCaptureStatusEnum, description: 'Where it stands.' }),
    streaming: t.boolean({
      description: 'True while an instance holds the stream (changes are pushed, not polled).',
      resolve: (row) => row.status === 'STREAMING' && row.leaseUntil !== null && row.leaseUntil > new Date(),
    }),
    problem: t.exposeString('problem', {
      nullable: true,
      description: 'Why it does not stream: the missing setting or grant, or what broke the stream.',
    }),
    lagMs: t.exposeInt('lagMs', {
      nullable: true,
      description:
        'Time from SteVe’s commit of the last applied change to Polaris applying it, in milliseconds (SteVe’s binlog records whole seconds).',
    }),
    lastCommitAt: t.expose('lastCommitAt', {
      type: 'DateTime',
      nullable: true,
      description: 'SteVe’s commit time of the last applied change.',
    }),
    lastAppliedAt: t.expose('lastAppliedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the last change was applied.',
    }),
    streamingSince: t.expose('streamingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'Start of the current stream.',
    }),
    position: t.string({
      nullable: true,
      description: 'Binlog position after the last applied change (GTID, else file:offset).',
      resolve: (row) => row.gtid ?? (row.binlogFile ? `${row.binlogFile}:${row.binlogOffset ?? 0}` : null),
    }),
  }),
});

builder.queryField('changeCapture', (t) =>
  t.prismaField({
    type: ChangeCaptureRef,
    description: 'Whether SteVe’s changes stream from its binlog or are polled, and the lag.',
    authScopes: { admin: true, apiKey: true },
    resolve: async (query, _root, _args, ctx) => {
      await ctx.services.db.changeStream.createMany({ data: [{ id: 1 }], skipDuplicates: true });
      return ctx.services.db.changeStream.findUniqueOrThrow({ ...query, where: { id: 1 } });
    },
  }),
);
