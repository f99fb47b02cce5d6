import { isSteveError, type OperationResult } from '../../integrations/steve/port.ts';
import type { ChargerCommandKind, ChargerCommandStatus, Prisma } from '../../generated/prisma/client.ts';
import type { Services, Viewer } from '../../types.ts';
import { recordAudit } from '../audit/audit.ts';
import {
  ChargerGoneError,
  ConnectorOutOfRangeError,
  InvalidCommandError,
  UnknownChargerError,
} from './commands.errors.ts';
import { recordDomainEvents } from '../events/domain-events.ts';
import { chargerStateChanged, commandUpdated } from '../events/emit.ts';

/**
 * Operator commands to chargers (issue #17): a command is stored PENDING and returned at once; a job
 * sends it through SteVe (whose REST call blocks up to 30 s) and records the outcome, which
 * `chargerCommandUpdated` delivers live. An identical command while one is PENDING returns that one.
 */

export const COMMAND_QUEUE = 'commands.run';

/**
 * Who may send commands: operators acting as themselves and operator-role API keys (impersonation is
 * refused by the `admin` scope). The one place to name it; a dedicated operations scope replaces it.
 */
export const OPERATIONS_SCOPES = { admin: true, operatorKey: true } as const;

/** After this long a PENDING command without an outcome is closed as TIMED_OUT (SteVe waits 30 s). */
export const COMMAND_DEADLINE_MS = 60_000;

export type CommandDeps = Pick<Services, 'db' | 'steve' | 'pubsub' | 'logger' | 'jobs' | 'sync'>;

/** When to look for the rebooted charger (it boots within seconds). */
const RESYNC_AFTER_RESET_MS = 12_000;

export type CommandInput =
  | { kind: 'RESET'; type: 'Soft' | 'Hard' }
  | { kind: 'UNLOCK_CONNECTOR'; connectorNumber: number }
  | { kind: 'CHANGE_AVAILABILITY'; connectorNumber: number | null; available: boolean }
  | {
      kind: 'TRIGGER_MESSAGE';
      message: 'StatusNotification' | 'MeterValues' | 'Heartbeat' | 'BootNotification';
      connectorNumber: number | null;
    }
  | { kind: 'CHANGE_CONFIGURATION'; key: string; value: string }
  | {
      kind: 'SET_CHARGING_PROFILE';
      chargingProfilePk: number;
      connectorNumber: number | null;
      /** SteVe transaction pk of a running session. */
      transactionPk: number | null;
    }
  | { kind: 'CLEAR_CHARGING_PROFILE'; chargingProfilePk: number };

export interface CommandActor {
  viewer: Viewer;
}

function connectorOf(input: CommandInput): number | null {
  switch (input.kind) {
    case 'UNLOCK_CONNECTOR':
      return input.connectorNumber;
    case 'CHANGE_AVAILABILITY':
    case 'TRIGGER_MESSAGE':
    case 'SET_CHARGING_PROFILE':
      return input.connectorNumber || null;
    default:
      return null;
  }
}

function paramsOf(input: CommandInput): Record<string, string | number | boolean | null> {
  const { kind: _kind, ...rest } = input;
  return rest;
}

/** Stable text of kind + charger + arguments: equal keys mean "the same command". */
export function dedupeKeyOf(chargerId: string, input: CommandInput): string {
  const params = paramsOf(input);
  const sorted = Object.keys(params)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
  return `${chargerId}|${input.kind}|${sorted}`;
}

function actorLabel(viewer: Viewer): { id: string; label: string; impersonatorId: string | null } {
  if (viewer.kind === 'apiKey')
    return { id: `apiKey:${viewer.keyId}`, label: `API key ${viewer.keyId}`, impersonatorId: null };
  return { id: viewer.userId, label: viewer.email, impersonatorId: viewer.impersonatorId };
}

/**
 * Validates and stores a command (or returns the identical PENDING one), then hands it to the job
 * queue. Never waits for SteVe.
 */
export async function requestCommand(
  deps: CommandDeps,
  viewer: Viewer,
  chargerId: string,
  input: CommandInput,
): Promise<{ id: string; deduplicated: boolean }> {
  const charger = await deps.db.charger.findUnique({
    where: { id: chargerId },
    select: { id: true, chargeBoxId: true, goneAt: true, connectors: { select: { connectorId: true } } },
  });
  if (!charger) throw new UnknownChargerError();
  if (charger.goneAt) throw new ChargerGoneError(charger.chargeBoxId);
  const connectorNumber = connectorOf(input);
  const count = Math.max(0, ...charger.connectors.map((c) => c.connectorId));
  if (connectorNumber !== null && (connectorNumber < 1 || connectorNumber > count)) {
    throw new ConnectorOutOfRangeError(connectorNumber, count);
  }
  if (input.kind === 'CHANGE_CONFIGURATION') {
    if (!/^[A-Za-z0-9_.-]{1,50}$/.test(input.key))
      throw new InvalidCommandError(
        'A configuration key is 1–50 letters, digits, dots, dashes or underscores.',
      );
    if (input.value.length > 500)
      throw new InvalidCommandError('A configuration value is at most 500 characters.');
  }
  if (
    (input.kind === 'SET_CHARGING_PROFILE' || input.kind === 'CLEAR_CHARGING_PROFILE') &&
    input.chargingProfilePk < 0
  ) {
    throw new InvalidCommandError('Unknown charging profile.');
  }

  const dedupeKey = dedupeKeyOf(charger.id, input);
  const actor = actorLabel(viewer);
  const result = await deps.db.$transaction(async (tx) => {
    // Serialises identical requests (a double-click, two operators): the second sees the first.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${dedupeKey}))`;
    const pending = await tx.chargerCommand.findFirst({
      where: { dedupeKey, status: 'PENDING' },
      select: { id: true },
    });
    if (pending) return { id: pending.id, deduplicated: true };
    const created = await tx.chargerCommand.create({
      data: {
        chargerId: charger.id,
        kind: input.kind,
        connectorNumber,
        params: paramsOf(input) as Prisma.InputJsonObject,
        dedupeKey,
        requestedById: actor.id,
        requestedBy: actor.label,
        impersonatorId: actor.impersonatorId,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: viewer,
      action: 'charger.command.requested',
      subjectType: 'Charger',
      subjectId: charger.chargeBoxId,
      after: { commandId: created.id, kind: input.kind, connectorNumber, ...paramsOf(input) },
    });
    await recordDomainEvents(tx, [
      commandUpdated(
        { id: created.id, chargerId: charger.id, kind: input.kind, status: 'PENDING' },
        new Date(),
      ),
    ]);
    return { id: created.id, deduplicated: false };
  });
  if (!result.deduplicated) await dispatchCommand(deps, result.id);
  return result;
}

/** Job queues whose instance runs the command worker (commands.jobs.ts registers itself). */
export const workerQueues = new WeakSet<object>();

/**
 * Sends the command to the queue, where any instance picks it up. Without a running worker (tests
 * without background work, a CLI) it runs in this process, detached from the request.
 */
export async function dispatchCommand(deps: CommandDeps, commandId: string): Promise<void> {
  if (deps.jobs.started && workerQueues.has(deps.jobs)) {
    try {
      await deps.jobs.send(COMMAND_QUEUE, { commandId }, { retryLimit: 0, expireInSeconds: 120 });
      return;
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message, commandId }, 'command job not queued; running here');
    }
  }
  void executeCommand(deps, commandId).catch((error: unknown) =>
    deps.logger.error({ err: String(error), commandId }, 'command execution failed'),
  );
}

/** How an OperationResult lands on a command. */
export function outcomeOf(result: OperationResult): {
  status: Exclude<ChargerCommandStatus, 'PENDING'>;
  answer: string | null;
  reason: string | null;
  taskId: number | null;
} {
  const taskId = 'taskId' in result && typeof result.taskId === 'number' ? result.taskId : null;
  switch (result.kind) {
    case 'ACCEPTED':
      return { status: 'ACCEPTED', answer: result.status, reason: null, taskId };
    case 'REJECTED':
      return {
        status:
          result.status === 'NotSupported' || result.status === 'NotImplemented'
            ? 'NOT_SUPPORTED'
            : 'REJECTED',
        answer: result.status,
        reason: result.detail ?? null,
        taskId,
      };
    case 'CALL_ERROR':
      return {
        status:
          result.errorCode === 'NotSupported' || result.errorCode === 'NotImplemented'
            ? 'NOT_SUPPORTED'
            : 'FAILED',
        answer: result.errorCode,
        reason: result.detail
          ? `The charger answered ${result.errorCode}: ${result.detail}`
          : `The charger answered ${result.errorCode}.`,
        taskId,
      };
    case 'EXCEPTION':
      return {
        status: 'FAILED',
        answer: null,
        reason: `SteVe could not talk to the charger${result.detail ? `: ${result.detail}` : '.'}`,
        taskId,
      };
    case 'NO_ANSWER':
      return {
        status: 'TIMED_OUT',
        answer: null,
        reason: 'The charger did not answer within 30 seconds; the outcome is unknown.',
        taskId,
      };
    case 'OFFLINE':
      return {
        status: 'FAILED',
        answer: null,
        reason: 'The charger is not connected to SteVe; nothing was sent.',
        taskId: null,
      };
    case 'STEVE_REFUSED':
      return {
        status: 'FAILED',
        answer: null,
        reason: `SteVe refused the command: ${result.detail ?? result.reason}`,
        taskId: null,
      };
  }
}

async function send(
  deps: CommandDeps,
  chargeBoxId: string,
  kind: ChargerCommandKind,
  params: Record<string, unknown>,
  connectorNumber: number | null,
): Promise<OperationResult> {
  const s = deps.steve;
  switch (kind) {
    case 'RESET':
      return s.reset({ chargeBoxId, type: params.type === 'Hard' ? 'Hard' : 'Soft' });
    case 'UNLOCK_CONNECTOR':
      return s.unlockConnector({ chargeBoxId, connectorId: connectorNumber ?? 1 });
    case 'CHANGE_AVAILABILITY':
      return s.changeAvailability({
        chargeBoxId,
        connectorId: connectorNumber ?? 0,
        available: params.available === true,
      });
    case 'TRIGGER_MESSAGE':
      return s.triggerMessage({
        chargeBoxId,
        message: params.message as 'StatusNotification' | 'MeterValues' | 'Heartbeat' | 'BootNotification',
        ...(connectorNumber ? { connectorId: connectorNumber } : {}),
      });
    case 'CHANGE_CONFIGURATION':
      return s.changeConfiguration({ chargeBoxId, key: String(params.key), value: String(params.value) });
    case 'SET_CHARGING_PROFILE':
      return s.setChargingProfile({
        chargeBoxId,
        chargingProfilePk: Number(params.chargingProfilePk),
        connectorId: connectorNumber ?? 0,
        ...(typeof params.transactionPk === 'number' ? { transactionPk: params.transactionPk } : {}),
      });
    case 'CLEAR_CHARGING_PROFILE':
      return s.clearChargingProfile({ chargeBoxId, chargingProfilePk: Number(params.chargingProfilePk) });
  }
}

/**
 * Sends one PENDING command and records its outcome. The outcome is written only while the command
 * is still PENDING, so a retried job or a second instance never sends twice or overwrites.
 */
export async function executeCommand(deps: CommandDeps, commandId: string): Promise<void> {
  const command = await deps.db.chargerCommand.findUnique({
    where: { id: commandId },
    include: { charger: { select: { chargeBoxId: true } } },
  });
  if (!command || command.status !== 'PENDING') return;
  // Claim it: only the first runner gets to send (steveTaskId -1 marks "sent, waiting").
  const claimed = await deps.db.chargerCommand.updateMany({
    where: { id: commandId, status: 'PENDING', steveTaskId: null },
    data: { steveTaskId: -1 },
  });
  if (claimed.count === 0) return;
  let outcome: ReturnType<typeof outcomeOf>;
  try {
    const result = await send(
      deps,
      command.charger.chargeBoxId,
      command.kind,
      command.params as Record<string, unknown>,
      command.connectorNumber,
    );
    outcome = outcomeOf(result);
  } catch (error) {
    const reason = isSteveError(error)
      ? error.code === 'TIMEOUT'
        ? 'SteVe did not answer in time; the outcome is unknown.'
        : `SteVe is not reachable (${error.code}): ${error.message}`
      : `Unexpected error: ${(error as Error).message}`;
    outcome = {
      status: isSteveError(error) && error.code === 'TIMEOUT' ? 'TIMED_OUT' : 'FAILED',
      answer: null,
      reason,
      taskId: null,
    };
  }
  await finishCommand(deps, commandId, outcome);
}

async function finishCommand(
  deps: CommandDeps,
  commandId: string,
  outcome: ReturnType<typeof outcomeOf>,
): Promise<boolean> {
  let rebooted: string | null = null;
  const changed = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.chargerCommand.updateMany({
      where: { id: commandId, status: 'PENDING' },
      data: {
        status: outcome.status,
        answer: outcome.answer,
        reason: outcome.reason,
        steveTaskId: outcome.taskId,
        decidedAt: deps.sync.engine.now(),
      },
    });
    if (count === 0) return false;
    const row = await tx.chargerCommand.findUniqueOrThrow({
      where: { id: commandId },
      select: {
        kind: true,
        requestedById: true,
        requestedBy: true,
        chargerId: true,
        charger: { select: { chargeBoxId: true, state: true } },
      },
    });
    const now = deps.sync.engine.now();
    const events = [
      commandUpdated(
        { id: commandId, chargerId: row.chargerId, kind: row.kind, status: outcome.status },
        now,
      ),
    ];
    if (row.kind === 'RESET' && outcome.status === 'ACCEPTED' && row.charger.state !== 'OFFLINE') {
      // The charger is rebooting: offline now, back once SteVe records its boot (see rebootingChargerIds).
      await tx.charger.update({
        where: { id: row.chargerId },
        data: { state: 'OFFLINE', stateChangedAt: now },
      });
      events.push(
        chargerStateChanged(
          {
            id: row.chargerId,
            chargeBoxId: row.charger.chargeBoxId,
            state: 'OFFLINE',
            previous: row.charger.state,
          },
          now,
        ),
      );
      rebooted = row.chargerId;
    }
    await recordDomainEvents(tx, events);
    await recordAudit(tx, {
      actor: row.requestedById ? { id: row.requestedById, email: row.requestedBy } : null,
      impersonatorId: null,
      action: 'charger.command.completed',
      subjectType: 'Charger',
      subjectId: row.charger.chargeBoxId,
      after: {
        commandId,
        kind: row.kind,
        status: outcome.status,
        answer: outcome.answer,
        reason: outcome.reason,
      },
    });
    return true;
  });
  if (changed) deps.pubsub.publish('chargerCommand:updated', commandId, { commandId });
  if (rebooted) {
    deps.pubsub.publish('charger:stateChanged', { chargerId: rebooted });
    if (workerQueues.has(deps.jobs)) {
      const timer = setTimeout(() => {
        deps.sync.requestImmediate('MANUAL').catch((error: unknown) => {
          deps.logger.warn({ err: String(error) }, 'sync after reset not requested');
        });
      }, RESYNC_AFTER_RESET_MS);
      timer.unref();
    }
  }
  return changed;
}

/** Closes commands PENDING past the deadline (their job was lost): TIMED_OUT. Returns their ids. */
export async function expireCommands(deps: CommandDeps, now = new Date()): Promise<string[]> {
  const stale = await deps.db.chargerCommand.findMany({
    where: { status: 'PENDING', createdAt: { lt: new Date(now.getTime() - COMMAND_DEADLINE_MS) } },
    select: { id: true },
    take: 500,
  });
  const done: string[] = [];
  for (const { id } of stale) {
    const changed = await finishCommand(deps, id, {
      status: 'TIMED_OUT',
      answer: null,
      reason: 'No outcome was recorded within a minute; the outcome is unknown.',
      taskId: null,
    });
    if (changed) done.push(id);
  }
  return done;
}
