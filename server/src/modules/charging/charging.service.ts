import type { StartRequest, StartRequestOutcome } from '../../generated/prisma/client.ts';
import type { OperationResult } from '../../integrations/steve/port.ts';
import type { Services } from '../../types.ts';
import { ForbiddenAccessError } from '../../schema/builder.ts';
import {
  AccountInactiveError,
  CHARGER_REJECTED_MESSAGE,
  CHARGER_UNAVAILABLE_MESSAGE,
  ChargerRejectedError,
  ChargerStopFailedError,
  ChargerUnavailableError,
  NoActiveCardError,
  SessionNotFoundError,
} from './charging.errors.ts';

/**
 * How long an ACCEPTED RemoteStart may wait for its transaction before the request counts as
 * NOT_STARTED (the EV never began charging). Stations start within seconds; the simulator's no-show
 * case frees the connector after 30–90 s, so 90 s covers a slow EV without leaving drivers waiting.
 */
export const START_TIMEOUT_MS = 90_000;

/** A PENDING request older than this was interrupted (process restart mid-call): it is FAILED. */
export const PENDING_STALE_MS = 5 * 60_000;

/** One job per ACCEPTED start request, due when its start timeout runs out (see charging.jobs.ts). */
export const START_TIMEOUT_QUEUE = 'charging.start-timeout' as const;

export type ChargingDeps = Pick<Services, 'db' | 'steve' | 'pubsub' | 'logger' | 'sync' | 'jobs'>;

/** The person starting or stopping a charge (never an API key). */
export interface DriverActor {
  userId: string;
  impersonatorId: string | null;
}

export interface StartChargingOptions {
  /** Defaults to START_TIMEOUT_MS; tests shorten it. */
  startTimeoutMs?: number;
}

function now(deps: Pick<ChargingDeps, 'sync'>): Date {
  // The sync engine's clock: the simulator and the tests share it.
  return deps.sync.engine.now();
}

/**
 * The card a start uses: the driver's primary ACTIVE card; when none is marked primary, the ACTIVE
 * card activated most recently (then the newest). Null when the driver has no ACTIVE card.
 */
export async function pickStartCard(db: Services['db'], userId: string) {
  return db.evCard.findFirst({
    where: { ownerId: userId, status: 'ACTIVE' },
    orderBy: [{ isPrimary: 'desc' }, { activatedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
  });
}

/** What the driver is told for a finished-but-failed request (null while waiting or on success). */
export function startRequestMessage(outcome: StartRequestOutcome, detail: string | null): string | null {
  switch (outcome) {
    case 'REJECTED':
    case 'TIMED_OUT':
    case 'NOT_STARTED':
      return CHARGER_REJECTED_MESSAGE;
    case 'FAILED':
      return detail === 'OFFLINE' ? CHARGER_UNAVAILABLE_MESSAGE : CHARGER_REJECTED_MESSAGE;
    default:
      return null;
  }
}

function outcomeOf(result: OperationResult): StartRequestOutcome {
  switch (result.kind) {
    case 'ACCEPTED':
      return 'ACCEPTED';
    case 'REJECTED':
      return 'REJECTED';
    case 'NO_ANSWER':
      return 'TIMED_OUT';
    case 'CALL_ERROR':
    case 'EXCEPTION':
    case 'OFFLINE':
    case 'STEVE_REFUSED':
      return 'FAILED';
  }
}

function detailOf(result: OperationResult): string {
  switch (result.kind) {
    case 'ACCEPTED':
    case 'REJECTED':
      return result.detail ? `${result.status}: ${result.detail}` : result.status;
    case 'CALL_ERROR':
      return `CALL_ERROR ${result.errorCode}${result.detail ? `: ${result.detail}` : ''}`;
    case 'STEVE_REFUSED':
      return `STEVE_REFUSED ${result.reason}`;
    case 'OFFLINE':
      return 'OFFLINE';
    default:
      return result.kind + (result.detail ? `: ${result.detail}` : '');
  }
}

function publish(deps: Pick<ChargingDeps, 'pubsub'>, id: string): void {
  deps.pubsub.publish('startRequest:updated', id, { startRequestId: id });
}

/**
 * Starts a charge for the driver on a charger (Polaris id): checks the account, picks the card,
 * records a StartRequest and sends RemoteStartTransaction through SteVe, then reports SteVe's answer.
 *
 * Requests are serialised per driver (a PostgreSQL advisory lock on the user id, held only while the
 * request row is written): a second start for the same charger while one is under way returns the
 * existing request instead of sending another command (double clicks, two tabs).
 */
export async function startCharging(
  deps: ChargingDeps,
  actor: DriverActor,
  chargerId: string,
  options: StartChargingOptions = {},
): Promise<StartRequest> {
  if (actor.impersonatorId) throw new ForbiddenAccessError('Impersonation is read-only.');
  const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  await expireStartRequests(deps, { startTimeoutMs: timeoutMs }).catch((error: unknown) =>
    deps.logger.warn({ err: (error as Error).message }, 'start request sweep failed'),
  );
  const at = now(deps);

  const prepared = await deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('start-charging'), hashtext(${actor.userId}))`;
    const user = await tx.user.findUnique({ where: { id: actor.userId }, select: { status: true } });
    if (!user || user.status !== 'ACTIVE') throw new AccountInactiveError();
    const card = await pickStartCard(tx as unknown as Services['db'], actor.userId);
    if (!card) throw new NoActiveCardError();
    const charger = await tx.charger.findUnique({
      where: { id: chargerId },
      select: { id: true, chargeBoxId: true, state: true, goneAt: true },
    });
    if (!charger || charger.goneAt) throw new ChargerUnavailableError();

    const existing = await tx.startRequest.findFirst({
      where: {
        userId: actor.userId,
        chargerId: charger.id,
        sessionId: null,
        OR: [
          { outcome: 'PENDING', createdAt: { gte: new Date(at.getTime() - PENDING_STALE_MS) } },
          { outcome: 'ACCEPTED', decidedAt: { gte: new Date(at.getTime() - timeoutMs) } },
        ],
      },
      orderBy: { createdAt: 'desc' },
    });
    if (existing) return { request: existing, send: null };
    if (charger.state !== 'ONLINE') throw new ChargerUnavailableError();

    const request = await tx.startRequest.create({
      data: {
        userId: actor.userId,
        chargerId: charger.id,
        cardId: card.id,
        outcome: 'PENDING',
        createdAt: at,
      },
    });
    return { request, send: { chargeBoxId: charger.chargeBoxId, idTag: card.idTag } };
  });

  if (!prepared.send) return prepared.request;
  publish(deps, prepared.request.id);

  let result: OperationResult;
  try {
    result = await deps.steve.remoteStart(prepared.send);
  } catch (error) {
    // SteVe itself could not be reached: nothing is known to have been sent.
    deps.logger.warn(
      { err: (error as Error).message, startRequestId: prepared.request.id },
      'RemoteStart failed',
    );
    result = { kind: 'EXCEPTION', taskId: 0, detail: (error as Error).message };
  }

  const outcome = outcomeOf(result);
  const updated = await deps.db.startRequest.update({
    where: { id: prepared.request.id },
    data: {
      // The sync may have linked the session already (it sets ACCEPTED itself).
      outcome,
      detail: detailOf(result),
      steveTaskId: 'taskId' in result && result.taskId ? result.taskId : null,
      decidedAt: now(deps),
    },
  });
  publish(deps, updated.id);

  if (outcome === 'ACCEPTED') {
    await deps.sync
      .requestImmediate('START_REQUEST', actor.userId)
      .catch((error: unknown) =>
        deps.logger.warn({ err: (error as Error).message }, 'immediate sync request failed'),
      );
    // Checked when the timeout runs out by whichever instance is running then (a pg-boss job);
    // new starts and each instance's periodic sweep catch it as well.
    await scheduleStartTimeout(deps, updated.id, timeoutMs);
    return updated;
  }
  if (result.kind === 'OFFLINE') throw new ChargerUnavailableError();
  throw new ChargerRejectedError(updated.id);
}

/**
 * Queues the timeout check of an ACCEPTED start request (`startTimeoutMs` after SteVe accepted it).
 * The job lives in PostgreSQL: whichever instance is running when it is due handles it, even when the
 * instance that sent the start is gone. Without a running job queue (tests without background work)
 * nothing is queued; the sweeps still catch the request.
 */
export async function scheduleStartTimeout(
  deps: Pick<Services, 'jobs' | 'logger'>,
  startRequestId: string,
  startTimeoutMs: number = START_TIMEOUT_MS,
): Promise<void> {
  if (!deps.jobs.started) return;
  try {
    await deps.jobs.send(
      START_TIMEOUT_QUEUE,
      { startRequestId },
      {
        // Relative (seconds, database time): the app clock may differ from the database's.
        startAfter: Math.ceil(startTimeoutMs / 1000) + 1,
        singletonKey: startRequestId,
        retryLimit: 3,
        retryDelay: 5,
      },
    );
  } catch (error) {
    deps.logger.warn(
      { err: (error as Error).message, startRequestId },
      'could not queue the start timeout check',
    );
  }
}

/**
 * Requests ACCEPTED longer than the start timeout ago without a session become NOT_STARTED; PENDING
 * ones interrupted mid-call become FAILED. Each change is a conditional update, so concurrent sweeps
 * (other instances, the timeout job) change and publish a request once. Returns the ids this call
 * changed. `ids` limits it to those requests.
 */
export async function expireStartRequests(
  deps: Pick<ChargingDeps, 'db' | 'pubsub' | 'sync'>,
  options: { startTimeoutMs?: number; ids?: string[] } = {},
): Promise<string[]> {
  const at = now(deps);
  const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  const changed: string[] = [];
  const only = options.ids ? { id: { in: options.ids } } : {};
  const acceptedBefore = new Date(at.getTime() - timeoutMs);
  const late = await deps.db.startRequest.findMany({
    where: { ...only, outcome: 'ACCEPTED', sessionId: null, decidedAt: { lt: acceptedBefore } },
    select: { id: true },
  });
  for (const { id } of late) {
    const { count } = await deps.db.startRequest.updateMany({
      where: { id, outcome: 'ACCEPTED', sessionId: null, decidedAt: { lt: acceptedBefore } },
      data: { outcome: 'NOT_STARTED', detail: `No transaction within ${Math.round(timeoutMs / 1000)} s` },
    });
    if (count) changed.push(id);
  }
  const stuck = await deps.db.startRequest.findMany({
    where: { ...only, outcome: 'PENDING', createdAt: { lt: new Date(at.getTime() - PENDING_STALE_MS) } },
    select: { id: true },
  });
  for (const { id } of stuck) {
    const { count } = await deps.db.startRequest.updateMany({
      where: { id, outcome: 'PENDING' },
      data: { outcome: 'FAILED', detail: 'Interrupted before SteVe answered', decidedAt: at },
    });
    if (count) changed.push(id);
  }
  for (const id of changed) publish(deps, id);
  return changed;
}

/** Sends RemoteStopTransaction for the driver's own ACTIVE session; anything else is "not found". */
export async function stopCharging(deps: ChargingDeps, actor: DriverActor, sessionId: string) {
  if (actor.impersonatorId) throw new ForbiddenAccessError('Impersonation is read-only.');
  const session = await deps.db.chargingSession.findFirst({
    where: { id: sessionId, driverId: actor.userId, status: 'ACTIVE' },
    select: { id: true, steveTransactionPk: true, charger: { select: { chargeBoxId: true } } },
  });
  if (!session) throw new SessionNotFoundError();
  let result: OperationResult;
  try {
    result = await deps.steve.remoteStop({
      chargeBoxId: session.charger.chargeBoxId,
      transactionPk: session.steveTransactionPk,
    });
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, sessionId }, 'RemoteStop failed');
    throw new ChargerStopFailedError();
  }
  // Already stopped at the station: the sync will record it; either way, look again now.
  const stopping =
    result.kind === 'ACCEPTED' ||
    (result.kind === 'STEVE_REFUSED' && result.reason === 'TRANSACTION_NOT_ACTIVE');
  await deps.sync.requestImmediate('MANUAL', actor.userId).catch(() => undefined);
  if (!stopping) throw new ChargerStopFailedError();
  return session.id;
}
