import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { OperationData } from '../../integrations/steve/port.ts';
import { isSteveError } from '../../integrations/steve/port.ts';
import type { Db } from '../../lib/db.ts';
import { ErrorInterface } from '../../schema/errors.ts';
import type { Context } from '../../types.ts';
import { builder, withSelection } from '../../schema/builder.ts';
import { AlertRef } from '../alerts/alerts.schema.ts';
import { ChargerRef } from '../chargers/chargers.schema.ts';
import {
  ChargerGoneError,
  ConnectorOutOfRangeError,
  InvalidCommandError,
  UnknownChargerError,
} from './commands.errors.ts';
import { OPERATIONS_SCOPES, outcomeOf, requestCommand, type CommandInput } from './commands.service.ts';
import {
  recentFaults,
  statusSegments,
  suggestedFixFor,
  type FixCommandKind,
  uptimeOf,
} from './status-history.ts';

const DAY = 24 * 60 * 60_000;
/** Reads that wait on the station (GetConfiguration, GetCompositeSchedule) answer within this. */
const READ_DEADLINE_MS = 15_000;

const ChargerCommandKindEnum = builder.enumType('ChargerCommandKind', {
  description: 'Which OCPP operation a command sends.',
  values: {
    RESET: { value: 'RESET', description: 'Reset (soft or hard): the charger reboots.' },
    UNLOCK_CONNECTOR: { value: 'UNLOCK_CONNECTOR', description: 'UnlockConnector: releases a stuck cable.' },
    CHANGE_AVAILABILITY: {
      value: 'CHANGE_AVAILABILITY',
      description: 'ChangeAvailability: takes a connector or the whole charger out of service, or back.',
    },
    TRIGGER_MESSAGE: {
      value: 'TRIGGER_MESSAGE',
      description: 'TriggerMessage: asks the charger to report (status, meter values, heartbeat, boot).',
    },
    CHANGE_CONFIGURATION: { value: 'CHANGE_CONFIGURATION', description: 'ChangeConfiguration of one key.' },
    SET_CHARGING_PROFILE: {
      value: 'SET_CHARGING_PROFILE',
      description: 'SetChargingProfile with a profile stored in SteVe.',
    },
    CLEAR_CHARGING_PROFILE: {
      value: 'CLEAR_CHARGING_PROFILE',
      description: 'ClearChargingProfile by profile.',
    },
  } as const,
});

const ChargerCommandStatusEnum = builder.enumType('ChargerCommandStatus', {
  description: 'Where a command stands: PENDING, then exactly one outcome.',
  values: {
    PENDING: {
      value: 'PENDING',
      description: 'Stored and being sent; SteVe waits up to 30 s for the charger.',
    },
    ACCEPTED: {
      value: 'ACCEPTED',
      description: 'The charger accepted (`answer` says how, e.g. Scheduled, Unlocked, RebootRequired).',
    },
    REJECTED: {
      value: 'REJECTED',
      description: 'The charger refused (`answer`, e.g. Rejected, UnlockFailed).',
    },
    NOT_SUPPORTED: { value: 'NOT_SUPPORTED', description: 'The charger does not support this operation.' },
    TIMED_OUT: { value: 'TIMED_OUT', description: 'No answer in time; the outcome is unknown.' },
    FAILED: {
      value: 'FAILED',
      description:
        'Not delivered or answered with an error (offline charger, SteVe down, CallError); see `reason`.',
    },
  } as const,
});

const ResetTypeEnum = builder.enumType('ResetType', {
  description: 'OCPP reset type.',
  values: {
    SOFT: { value: 'Soft', description: 'Graceful: ends sessions, restarts the software.' },
    HARD: { value: 'Hard', description: 'Power-cycle: restarts the hardware.' },
  } as const,
});

const TriggerMessageKindEnum = builder.enumType('TriggerMessageKind', {
  description: 'What a charger is asked to send with TriggerMessage.',
  values: {
    STATUS_NOTIFICATION: { value: 'StatusNotification', description: 'Its connector statuses.' },
    METER_VALUES: { value: 'MeterValues', description: 'Meter values of running sessions.' },
    HEARTBEAT: { value: 'Heartbeat', description: 'A heartbeat (proves the connection).' },
    BOOT_NOTIFICATION: { value: 'BootNotification', description: 'Its boot information.' },
  } as const,
});

export const ChargerCommandRef = builder.prismaNode('ChargerCommand', {
  nullable: true,
  id: { field: 'id' },
  description: 'An OCPP operation an operator sent to a charger through SteVe, with its outcome.',
  authScopes: OPERATIONS_SCOPES,
  runScopesOnType: true,
  fields: (t) => ({
    kind: t.expose('kind', { type: ChargerCommandKindEnum, description: 'The operation.' }),
    status: t.expose('status', { type: ChargerCommandStatusEnum, description: 'Where it stands.' }),
    connectorNumber: t.exposeInt('connectorNumber', {
      nullable: true,
      description: 'The connector it targets; null = the whole charger.',
    }),
    parameters: t.expose('params', {
      type: 'JSON',
      description: 'Its arguments, e.g. `{"type":"Soft"}` or `{"key":"HeartbeatInterval","value":"60"}`.',
    }),
    answer: t.exposeString('answer', {
      nullable: true,
      description: 'The charger’s OCPP answer (Accepted, Scheduled, UnlockFailed, RebootRequired, …).',
    }),
    reason: t.exposeString('reason', {
      nullable: true,
      description: 'Why it failed, was refused or timed out, for people.',
    }),
    requestedBy: t.exposeString('requestedBy', {
      nullable: true,
      description: 'Who sent it (an operator’s email or an API key).',
    }),
    charger: t.relation('charger', { type: ChargerRef, description: 'The charger it was sent to.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was requested.' }),
    decidedAt: t.expose('decidedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the outcome was recorded; null while PENDING.',
    }),
  }),
});

builder.objectType(UnknownChargerError, {
  name: 'UnknownChargerError',
  description: 'No charger has this id.',
  interfaces: [ErrorInterface],
  authScopes: OPERATIONS_SCOPES,
});
builder.objectType(ChargerGoneError, {
  name: 'ChargerGoneError',
  description: 'The charger was deleted from SteVe; nothing was sent.',
  interfaces: [ErrorInterface],
  authScopes: OPERATIONS_SCOPES,
});
builder.objectType(ConnectorOutOfRangeError, {
  name: 'ConnectorOutOfRangeError',
  description: 'The connector number is not one of the charger’s connectors.',
  interfaces: [ErrorInterface],
  authScopes: OPERATIONS_SCOPES,
});
builder.objectType(InvalidCommandError, {
  name: 'InvalidCommandError',
  description: 'The command’s arguments are not valid.',
  interfaces: [ErrorInterface],
  authScopes: OPERATIONS_SCOPES,
});

const COMMAND_ERRORS = [UnknownChargerError, ChargerGoneError, ConnectorOutOfRangeError, InvalidCommandError];

function rawId(id: { typename: string; id: string }, typename: string): string {
  return id.typename === typename ? id.id : '00000000-0000-7000-8000-000000000000';
}

/** One command mutation: validates, stores PENDING (or returns the identical pending one), queues. */
function commandMutation<Args extends Record<string, unknown>>(
  name: string,
  description: string,
  args: (t: Parameters<Parameters<typeof builder.mutationField>[1]>[0]) => Args,
  toInput: (args: Record<string, unknown>, ctx: Context) => CommandInput | Promise<CommandInput>,
): void {
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  builder.mutationField(name, (t) =>
    t.prismaField({
      type: ChargerCommandRef,
      description: `${description} Returns the PENDING command at once; follow it with \`chargerCommandUpdated\`. An identical command while one is PENDING returns that one and sends nothing. Operators and operator API keys only.`,
      authScopes: OPERATIONS_SCOPES,
      errors: {
        types: COMMAND_ERRORS,
        union: { name: `${upper}Result`, description: 'The command, or why it was not sent.' },
        result: { name: `${upper}Success`, description: 'The command was stored and is being sent.' },
        dataField: { name: 'command', description: 'The command; PENDING until the charger answers.' },
      },
      args: {
        chargerId: t.arg.globalID({ required: true, description: 'The Charger.' }),
        ...(args(t) as Record<string, never>),
      },
      resolve: async (query, _root, a, ctx) => {
        if (!ctx.viewer) throw new Error('unreachable: operations scope');
        const { id } = await requestCommand(
          ctx.services,
          ctx.viewer,
          rawId(a.chargerId as { typename: string; id: string }, 'Charger'),
          await toInput(a as Record<string, unknown>, ctx),
        );
        return ctx.services.db.chargerCommand.findUniqueOrThrow({ ...withSelection(query), where: { id } });
      },
    }),
  );
}

commandMutation(
  'resetCharger',
  'Resets the charger (OCPP Reset): it goes offline for a moment and boots again; running sessions end.',
  (t) => ({ type: t.arg({ type: ResetTypeEnum, required: true, description: 'SOFT or HARD.' }) }),
  (a) => ({ kind: 'RESET', type: a.type === 'Hard' ? 'Hard' : 'Soft' }),
);

commandMutation(
  'unlockConnector',
  'Unlocks a connector’s cable (OCPP UnlockConnector); fails while a session holds it.',
  (t) => ({ connectorNumber: t.arg.int({ required: true, description: 'The connector (1, 2, …).' }) }),
  (a) => ({ kind: 'UNLOCK_CONNECTOR', connectorNumber: Number(a.connectorNumber) }),
);

commandMutation(
  'changeAvailability',
  'Takes a connector (or the whole charger) out of service or back (OCPP ChangeAvailability). With a session running the charger may answer Scheduled: the change applies when it ends.',
  (t) => ({
    connectorNumber: t.arg.int({
      required: false,
      description: 'The connector; 0 or null = the whole charger.',
    }),
    available: t.arg.boolean({ required: true, description: 'true = Operative, false = Inoperative.' }),
  }),
  (a) => ({
    kind: 'CHANGE_AVAILABILITY',
    connectorNumber:
      typeof a.connectorNumber === 'number' && a.connectorNumber > 0 ? a.connectorNumber : null,
    available: a.available === true,
  }),
);

commandMutation(
  'triggerMessage',
  'Asks the charger to send a message now (OCPP TriggerMessage), e.g. to refresh a stale status.',
  (t) => ({
    message: t.arg({ type: TriggerMessageKindEnum, required: true, description: 'What to send.' }),
    connectorNumber: t.arg.int({ required: false, description: 'Only about this connector; null = all.' }),
  }),
  (a) => ({
    kind: 'TRIGGER_MESSAGE',
    message: a.message as 'StatusNotification',
    connectorNumber:
      typeof a.connectorNumber === 'number' && a.connectorNumber > 0 ? a.connectorNumber : null,
  }),
);

commandMutation(
  'changeConfiguration',
  'Sets one configuration key (OCPP ChangeConfiguration); the answer is Accepted, Rejected, RebootRequired or NotSupported.',
  (t) => ({
    key: t.arg.string({ required: true, description: 'The OCPP configuration key.' }),
    value: t.arg.string({ required: true, description: 'The new value.' }),
  }),
  (a) => ({ kind: 'CHANGE_CONFIGURATION', key: String(a.key), value: String(a.value) }),
);

commandMutation(
  'setChargingProfile',
  'Applies a charging profile stored in SteVe to a connector or to a running session (OCPP SetChargingProfile).',
  (t) => ({
    chargingProfileId: t.arg.int({
      required: true,
      description: 'The profile’s id in SteVe (`chargingProfiles`).',
    }),
    connectorNumber: t.arg.int({ required: false, description: 'The connector; null = the whole charger.' }),
    sessionId: t.arg.globalID({
      required: false,
      description: 'A running ChargingSession to apply it to (the profile must be a TxProfile).',
    }),
  }),
  async (a, ctx) => {
    let connectorNumber =
      typeof a.connectorNumber === 'number' && a.connectorNumber > 0 ? a.connectorNumber : null;
    let transactionPk: number | null = null;
    const sessionId = a.sessionId as { typename: string; id: string } | null | undefined;
    if (sessionId) {
      const session = await ctx.services.db.chargingSession.findUnique({
        where: { id: rawId(sessionId, 'ChargingSession') },
        select: { steveTransactionPk: true, connectorNumber: true, status: true, chargerId: true },
      });
      if (!session || session.status !== 'ACTIVE')
        throw new InvalidCommandError('No running session has this id.');
      const chargerId = rawId(a.chargerId as { typename: string; id: string }, 'Charger');
      if (session.chargerId !== chargerId)
        throw new InvalidCommandError('This session runs on another charger.');
      transactionPk = session.steveTransactionPk;
      connectorNumber = session.connectorNumber;
    }
    return {
      kind: 'SET_CHARGING_PROFILE',
      chargingProfilePk: Number(a.chargingProfileId),
      connectorNumber,
      transactionPk,
    };
  },
);

commandMutation(
  'clearChargingProfile',
  'Removes a charging profile from the charger (OCPP ClearChargingProfile by id).',
  (t) => ({ chargingProfileId: t.arg.int({ required: true, description: 'The profile’s id in SteVe.' }) }),
  (a) => ({ kind: 'CLEAR_CHARGING_PROFILE', chargingProfilePk: Number(a.chargingProfileId) }),
);

builder.subscriptionField('chargerCommandUpdated', (t) =>
  t.prismaField({
    type: ChargerCommandRef,
    description:
      'The command now, then once more when its outcome is recorded. Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    args: { id: t.arg.globalID({ required: true, description: 'The ChargerCommand to follow.' }) },
    subscribe: async (_root, args, ctx) => {
      const id = rawId(args.id, 'ChargerCommand');
      const exists = await ctx.services.db.chargerCommand.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new GraphQLError('No command has this id.', { extensions: { code: 'NOT_FOUND' } });
      return startingWith<unknown>(
        { commandId: id },
        ctx.services.pubsub.subscribe('chargerCommand:updated', id),
      );
    },
    resolve: (query, _payload, args, ctx) =>
      ctx.services.db.chargerCommand.findUniqueOrThrow({
        ...query,
        where: { id: rawId(args.id, 'ChargerCommand') },
      }),
  }),
);

async function* startingWith<T>(first: T, source: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* source;
}

// ── the charger page's workbench fields ──────────────────────────────────────────────────────

builder.prismaObjectField(ChargerRef, 'recentCommands', (t) =>
  t.relation('commands', {
    type: ChargerCommandRef,
    description: 'Its 20 most recent commands, newest first. Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 20 },
  }),
);

const StatusSegmentRef = builder
  .objectRef<{ connectorId: number; status: string; errorCode: string | null; from: Date; to: Date }>(
    'StatusSegment',
  )
  .implement({
    description: 'A stretch of time one connector spent in one OCPP status.',
    authScopes: OPERATIONS_SCOPES,
    fields: (t) => ({
      connectorId: t.exposeInt('connectorId', { description: 'The connector.' }),
      status: t.exposeString('status', { description: 'OCPP status during the stretch.' }),
      errorCode: t.exposeString('errorCode', { nullable: true, description: 'OCPP error code, if any.' }),
      from: t.expose('from', { type: 'DateTime', description: 'Start (inclusive).' }),
      to: t.expose('to', { type: 'DateTime', description: 'End (exclusive; now for the current status).' }),
    }),
  });

builder.prismaObjectField(ChargerRef, 'statusTimeline', (t) =>
  t.field({
    type: [StatusSegmentRef],
    description:
      'Status stretches per connector for the last `days` days (default 7, at most 31), from the status history the sync records. Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    args: { days: t.arg.int({ required: false, defaultValue: 7, description: 'How many days back.' }) },
    select: { id: true },
    resolve: (charger, args, ctx) => {
      const days = Math.min(31, Math.max(1, args.days ?? 7));
      const now = ctx.services.sync.engine.now();
      return statusSegments(ctx.services.db, charger.id, new Date(now.getTime() - days * DAY), now);
    },
  }),
);

const ConnectorUptimeRef = builder
  .objectRef<{ connectorId: number; last7Days: number | null; last30Days: number | null }>('ConnectorUptime')
  .implement({
    description: 'Share of the known time a connector was usable (not Faulted or Unavailable).',
    authScopes: OPERATIONS_SCOPES,
    fields: (t) => ({
      connectorId: t.exposeInt('connectorId', { description: 'The connector.' }),
      last7Days: t.exposeFloat('last7Days', {
        nullable: true,
        description: 'Fraction 0–1 over the last 7 days; null when no status is known.',
      }),
      last30Days: t.exposeFloat('last30Days', {
        nullable: true,
        description: 'Fraction 0–1 over the last 30 days; null when no status is known.',
      }),
    }),
  });

builder.prismaObjectField(ChargerRef, 'uptime', (t) =>
  t.field({
    type: [ConnectorUptimeRef],
    description: 'Uptime per connector for 7 and 30 days. Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    select: { id: true, connectors: { select: { connectorId: true } } },
    resolve: async (charger, _args, ctx) => {
      const now = ctx.services.sync.engine.now();
      const segments = await statusSegments(
        ctx.services.db,
        charger.id,
        new Date(now.getTime() - 30 * DAY),
        now,
      );
      const week = segments
        .filter((s) => s.to.getTime() > now.getTime() - 7 * DAY)
        .map((s) => ({ ...s, from: new Date(Math.max(s.from.getTime(), now.getTime() - 7 * DAY)) }));
      return charger.connectors
        .map((c) => c.connectorId)
        .sort((a, b) => a - b)
        .map((connectorId) => ({
          connectorId,
          last7Days: uptimeOf(week, connectorId),
          last30Days: uptimeOf(segments, connectorId),
        }));
    },
  }),
);

const FaultRef = builder
  .objectRef<{
    id: string;
    connectorId: number;
    errorCode: string | null;
    errorInfo: string | null;
    at: Date;
  }>('ConnectorFault')
  .implement({
    description: 'A Faulted status a connector reported.',
    authScopes: OPERATIONS_SCOPES,
    fields: (t) => ({
      id: t.exposeID('id', { description: 'Stable id of the status event.' }),
      connectorId: t.exposeInt('connectorId', { description: 'The connector.' }),
      errorCode: t.exposeString('errorCode', { nullable: true, description: 'OCPP ChargePointErrorCode.' }),
      errorInfo: t.exposeString('errorInfo', { nullable: true, description: 'The station’s detail text.' }),
      at: t.expose('at', { type: 'DateTime', description: 'When the station reported it.' }),
      suggestedCommand: t.field({
        type: ChargerCommandKindEnum,
        description: 'The command that usually clears it (RESET, UNLOCK_CONNECTOR or TRIGGER_MESSAGE).',
        resolve: (f) => suggestedFixFor(f.errorCode),
      }),
    }),
  });

builder.prismaObjectField(ChargerRef, 'recentFaults', (t) =>
  t.field({
    type: [FaultRef],
    description: 'Its 10 latest faults, newest first. Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    select: { id: true },
    resolve: (charger, _args, ctx) => recentFaults(ctx.services.db, charger.id),
  }),
);

// ── reads that wait on the station ───────────────────────────────────────────────────────────

const ConfigurationKeyRef = builder
  .objectRef<{ key: string; value: string | null; readonly: boolean }>('ConfigurationKey')
  .implement({
    description: 'One OCPP configuration key as the charger reported it.',
    authScopes: OPERATIONS_SCOPES,
    fields: (t) => ({
      key: t.exposeString('key', { description: 'The key.' }),
      value: t.exposeString('value', {
        nullable: true,
        description: 'Its value; null when the charger sent none.',
      }),
      readonly: t.exposeBoolean('readonly', { description: 'True when the charger does not let it change.' }),
    }),
  });

interface ReadOutcome {
  status: 'ACCEPTED' | 'REJECTED' | 'NOT_SUPPORTED' | 'TIMED_OUT' | 'FAILED';
  reason: string | null;
}

const ConfigurationRef = builder
  .objectRef<
    ReadOutcome & {
      keys: Array<{ key: string; value: string | null; readonly: boolean }>;
      unknownKeys: string[];
    }
  >('ChargerConfiguration')
  .implement({
    description: 'The answer to GetConfiguration: the keys, or why there are none.',
    authScopes: OPERATIONS_SCOPES,
    fields: (t) => ({
      status: t.field({
        type: ChargerCommandStatusEnum,
        description: 'ACCEPTED with the keys, or the reason there are none (never PENDING).',
        resolve: (c) => c.status,
      }),
      reason: t.exposeString('reason', { nullable: true, description: 'Why there are no keys, for people.' }),
      keys: t.field({
        type: [ConfigurationKeyRef],
        description: 'The keys, by name.',
        resolve: (c) => c.keys,
      }),
      unknownKeys: t.exposeStringList('unknownKeys', { description: 'Keys the charger does not know.' }),
    }),
  });

/** Runs a station read with a deadline, mapping every failure to an outcome (never throws). */
async function stationRead<T>(
  run: () => Promise<OperationData<T>>,
): Promise<ReadOutcome & { data: T | null }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), READ_DEADLINE_MS);
  });
  try {
    const answer = await Promise.race([run(), deadline]);
    if (answer === 'deadline') {
      return { status: 'TIMED_OUT', reason: 'The charger did not answer in time.', data: null };
    }
    if (answer.kind === 'DATA') return { status: 'ACCEPTED', reason: null, data: answer.data };
    const outcome = outcomeOf(answer.result);
    return { status: outcome.status, reason: outcome.reason ?? outcome.answer, data: null };
  } catch (error) {
    return {
      status: 'FAILED',
      reason: isSteveError(error) ? `SteVe is not reachable (${error.code}).` : 'Unexpected error.',
      data: null,
    };
  } finally {
    clearTimeout(timer);
  }
}

async function chargerFor(ctx: { db: Db }, id: { typename: string; id: string }) {
  const charger = await ctx.db.charger.findUnique({
    where: { id: rawId(id, 'Charger') },
    select: { chargeBoxId: true, goneAt: true },
  });
  if (!charger) throw new GraphQLError('No charger has this id.', { extensions: { code: 'NOT_FOUND' } });
  return charger;
}

builder.queryField('chargerConfiguration', (t) =>
  t.field({
    type: ConfigurationRef,
    description:
      'Asks the charger for its configuration (OCPP GetConfiguration) and answers within 15 s: the keys with values and read-only flags, or why not. Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    args: { chargerId: t.arg.globalID({ required: true, description: 'The Charger.' }) },
    resolve: async (_root, args, ctx) => {
      const charger = await chargerFor(ctx.services, args.chargerId);
      const read = await stationRead(() => ctx.services.steve.getConfiguration(charger.chargeBoxId));
      return {
        status: read.status,
        reason: read.reason,
        keys: [...(read.data?.keys ?? [])].sort((a, b) => a.key.localeCompare(b.key)),
        unknownKeys: read.data?.unknownKeys ?? [],
      };
    },
  }),
);

const SchedulePeriodRef = builder
  .objectRef<{ startPeriodSeconds: number; limit: number; numberPhases: number | null }>(
    'ChargingSchedulePeriod',
  )
  .implement({
    description: 'One period of a charging schedule.',
    authScopes: OPERATIONS_SCOPES,
    fields: (t) => ({
      startPeriodSeconds: t.exposeInt('startPeriodSeconds', {
        description: 'Seconds from the schedule start.',
      }),
      limit: t.exposeFloat('limit', { description: 'The limit, in the schedule’s rate unit (A or W).' }),
      numberPhases: t.exposeInt('numberPhases', { nullable: true, description: 'Phases, when given.' }),
    }),
  });

builder.queryField('chargingProfiles', (t) =>
  t.field({
    type: [
      builder
        .objectRef<{
          pk: number;
          description: string | null;
          stackLevel: number;
          purpose: string;
          kind: string;
          chargingRateUnit: string;
          periods: Array<{ startPeriodSeconds: number; limit: number; numberPhases: number | null }>;
        }>('StoredChargingProfile')
        .implement({
          description: 'A charging profile stored in SteVe, ready to apply with `setChargingProfile`.',
          authScopes: OPERATIONS_SCOPES,
          fields: (f) => ({
            profileId: f.exposeInt('pk', { description: 'Its id in SteVe (`chargingProfileId`).' }),
            description: f.exposeString('description', { nullable: true, description: 'Its label.' }),
            stackLevel: f.exposeInt('stackLevel', { description: 'OCPP stack level.' }),
            purpose: f.exposeString('purpose', {
              description: 'ChargePointMaxProfile, TxDefaultProfile or TxProfile.',
            }),
            kind: f.exposeString('kind', { description: 'Absolute, Recurring or Relative.' }),
            chargingRateUnit: f.exposeString('chargingRateUnit', { description: 'A or W.' }),
            periods: f.field({
              type: [SchedulePeriodRef],
              description: 'Its periods.',
              resolve: (p) => p.periods,
            }),
          }),
        }),
    ],
    description:
      'Charging profiles stored in SteVe (read from its database). Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    resolve: async (_root, _args, ctx) => {
      try {
        return await ctx.services.steve.listChargingProfiles();
      } catch (error) {
        throw new GraphQLError('SteVe is not reachable; the stored profiles cannot be read.', {
          extensions: { code: 'STEVE_UNAVAILABLE' },
          originalError: error instanceof Error ? error : undefined,
        });
      }
    },
  }),
);

const CompositeScheduleRef = builder
  .objectRef<
    ReadOutcome & {
      connectorNumber: number;
      scheduleStart: Date | null;
      chargingRateUnit: string | null;
      periods: Array<{ startPeriodSeconds: number; limit: number; numberPhases: number | null }>;
    }
  >('CompositeSchedule')
  .implement({
    description:
      'What the charger will allow over the coming period, all its profiles combined (GetCompositeSchedule).',
    authScopes: OPERATIONS_SCOPES,
    fields: (t) => ({
      status: t.field({
        type: ChargerCommandStatusEnum,
        description: 'ACCEPTED with the schedule, or why there is none (never PENDING).',
        resolve: (c) => c.status,
      }),
      reason: t.exposeString('reason', {
        nullable: true,
        description: 'Why there is no schedule, for people.',
      }),
      connectorNumber: t.exposeInt('connectorNumber', {
        description: 'The connector (0 = the whole charger).',
      }),
      scheduleStart: t.expose('scheduleStart', { type: 'DateTime', nullable: true, description: 'Start.' }),
      chargingRateUnit: t.exposeString('chargingRateUnit', { nullable: true, description: 'A or W.' }),
      periods: t.field({
        type: [SchedulePeriodRef],
        description: 'The periods; empty when no profile limits the charger.',
        resolve: (c) => c.periods,
      }),
    }),
  });

builder.queryField('compositeSchedule', (t) =>
  t.field({
    type: CompositeScheduleRef,
    description:
      'Asks the charger for its composite schedule (OCPP GetCompositeSchedule) and answers within 15 s. Operators and operator API keys.',
    authScopes: OPERATIONS_SCOPES,
    args: {
      chargerId: t.arg.globalID({ required: true, description: 'The Charger.' }),
      connectorNumber: t.arg.int({ required: false, defaultValue: 0, description: '0 = the whole charger.' }),
      durationMinutes: t.arg.int({
        required: false,
        defaultValue: 24 * 60,
        description: 'How far ahead (≤ 7 days).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const charger = await chargerFor(ctx.services, args.chargerId);
      const connectorNumber = Math.max(0, args.connectorNumber ?? 0);
      const minutes = Math.min(7 * 24 * 60, Math.max(1, args.durationMinutes ?? 24 * 60));
      const read = await stationRead(() =>
        ctx.services.steve.getCompositeSchedule({
          chargeBoxId: charger.chargeBoxId,
          connectorId: connectorNumber,
          durationSeconds: minutes * 60,
        }),
      );
      return {
        status: read.status,
        reason: read.reason,
        connectorNumber,
        scheduleStart: read.data?.scheduleStart ?? null,
        chargingRateUnit: read.data?.chargingRateUnit ?? null,
        periods: read.data?.periods ?? [],
      };
    },
  }),
);

// ── fault alerts link to the charger with the one-click fix ─────────────────────────────────

builder.prismaObjectField(AlertRef, 'charger', (t) =>
  t.field({
    type: ChargerRef,
    nullable: true,
    description: 'The charger the alert is about, when it is about one (e.g. a connector fault).',
    authScopes: { admin: true, apiKey: true },
    select: { subjectType: true, subjectId: true },
    resolve: (alert, _args, ctx) =>
      alert.subjectType === 'Charger' && alert.subjectId ? chargerLoader(ctx).load(alert.subjectId) : null,
  }),
);

type ChargerRow = NonNullable<Awaited<ReturnType<Db['charger']['findUnique']>>>;
const chargerLoaders = new WeakMap<Context, DataLoader<string, ChargerRow | null>>();

/** Chargers by id, one query per request however many alerts ask (no N+1 on the alert list). */
function chargerLoader(ctx: Context): DataLoader<string, ChargerRow | null> {
  let loader = chargerLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await ctx.services.db.charger.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    chargerLoaders.set(ctx, loader);
  }
  return loader;
}

const FIX_KINDS: ReadonlySet<string> = new Set<FixCommandKind>([
  'RESET',
  'UNLOCK_CONNECTOR',
  'TRIGGER_MESSAGE',
]);

const SuggestedCommandRef = builder
  .objectRef<{ kind: FixCommandKind; connectorNumber: number | null }>('SuggestedCommand')
  .implement({
    description: 'The command that usually fixes what an alert reports, ready to send in one click.',
    authScopes: { admin: true, apiKey: true },
    fields: (t) => ({
      kind: t.field({ type: ChargerCommandKindEnum, description: 'Which command.', resolve: (s) => s.kind }),
      connectorNumber: t.exposeInt('connectorNumber', {
        nullable: true,
        description: 'The connector it targets.',
      }),
    }),
  });

builder.prismaObjectField(AlertRef, 'suggestedCommand', (t) =>
  t.field({
    type: SuggestedCommandRef,
    nullable: true,
    description:
      'For a connector fault: the usual fix (Reset soft, Unlock or TriggerMessage), as the alert was raised with it; null otherwise.',
    authScopes: { admin: true, apiKey: true },
    select: { fixCommand: true, connectorNumber: true },
    resolve: (alert) =>
      alert.fixCommand && FIX_KINDS.has(alert.fixCommand)
        ? { kind: alert.fixCommand as FixCommandKind, connectorNumber: alert.connectorNumber }
        : null,
  }),
);
