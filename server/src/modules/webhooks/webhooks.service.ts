import type { Config } from '../../config.ts';
import type { WebhookDelivery, WebhookEndpoint } from '../../generated/prisma/client.ts';
import type { Db } from '../../lib/db.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { EVENT_TYPE_NAMES, isEventType } from '../events/catalogue.ts';
import { newWebhookSecret } from './signing.ts';
import { checkEndpointUrl, WebhookUrlError, type UrlPolicy } from './url-guard.ts';

export interface WebhookDeps {
  db: Db;
  config: Config;
  pubsub: PubSub;
}

/** How long the previous secret keeps signing after a rotation, unless the operator says otherwise. */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;
export const MAX_ENDPOINTS = 50;
export const MAX_URL_LENGTH = 2000;
export const MAX_DESCRIPTION_LENGTH = 200;

/** A bad input to a webhook operation; the message says what to change. */
export class WebhookInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'WebhookInputError';
  }
}

export class WebhookNotFoundError extends Error {
  constructor(what: string) {
    super(`No such ${what}.`);
    this.name = 'WebhookNotFoundError';
  }
}

export function urlPolicy(config: Config): UrlPolicy {
  return {
    requireHttps: config.isProduction,
    allowPrivateNetworks: config.WEBHOOKS_ALLOW_PRIVATE_NETWORKS ?? config.demo,
  };
}

function endpointSnapshot(e: WebhookEndpoint) {
  return { url: e.url, events: e.events, status: e.status, description: e.description };
}

async function validate(deps: WebhookDeps, url: string, events: readonly string[] | null | undefined) {
  if (url.length > MAX_URL_LENGTH)
    throw new WebhookInputError(`Keep the URL to ${MAX_URL_LENGTH} characters.`, 'url');
  let checked: URL;
  try {
    checked = await checkEndpointUrl(url, urlPolicy(deps.config));
  } catch (error) {
    if (error instanceof WebhookUrlError) throw new WebhookInputError(error.message, 'url');
    throw error;
  }
  const types = [...new Set((events ?? []).map((e) => e.trim()).filter(Boolean))];
  const unknown = types.filter((t) => !isEventType(t));
  if (unknown.length)
    throw new WebhookInputError(
      `Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Known: ${EVENT_TYPE_NAMES.join(', ')}.`,
      'events',
    );
  return { url: checked.toString(), events: types };
}

export async function createEndpoint(
  deps: WebhookDeps,
  actor: AuditActor,
  input: { url: string; events?: readonly string[] | null; description?: string | null },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const { url, events } = await validate(deps, input.url, input.events);
  const description = input.description?.trim() || null;
  if (description && description.length > MAX_DESCRIPTION_LENGTH)
    throw new WebhookInputError(
      `Keep the description to ${MAX_DESCRIPTION_LENGTH} characters.`,
      'description',
    );
  if ((await deps.db.webhookEndpoint.count()) >= MAX_ENDPOINTS)
    throw new WebhookInputError(`At most ${MAX_ENDPOINTS} endpoints; delete one first.`, 'url');
  const secret = newWebhookSecret();
  const endpoint = await deps.db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: { url, events, description, secret, createdById: actorId(actor) },
    });
    await recordAudit(tx, {
      actor,
      action: 'webhook.created',
      subjectType: 'WebhookEndpoint',
      subjectId: created.id,
      after: endpointSnapshot(created),
    });
    return created;
  });
  return { endpoint, secret };
}

function actorId(actor: AuditActor): string | null {
  if (!actor) return null;
  if (!('kind' in actor)) return actor.id;
  return actor.kind === 'user' ? actor.userId : null;
}

async function findEndpoint(db: Db, id: string): Promise<WebhookEndpoint> {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw new WebhookNotFoundError('webhook endpoint');
  return endpoint;
}

export async function updateEndpoint(
  deps: WebhookDeps,
  actor: AuditActor,
  id: string,
  input: { url?: string | null; events?: readonly string[] | null; description?: string | null },
): Promise<WebhookEndpoint> {
  const before = await findEndpoint(deps.db, id);
  const { url, events } = await validate(deps, input.url ?? before.url, input.events ?? before.events);
  const description =
    input.description === undefined ? before.description : input.description?.trim() || null;
  if (description && description.length > MAX_DESCRIPTION_LENGTH)
    throw new WebhookInputError(
      `Keep the description to ${MAX_DESCRIPTION_LENGTH} characters.`,
      'description',
    );
  return deps.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({ where: { id }, data: { url, events, description } });
    await recordAudit(tx, {
      actor,
      action: 'webhook.updated',
      subjectType: 'WebhookEndpoint',
      subjectId: id,
      before: endpointSnapshot(before),
      after: endpointSnapshot(updated),
    });
    return updated;
  });
}

/** A new secret, shown once; the previous one keeps signing for `graceHours` (0: stops at once). */
export async function rotateSecret(
  deps: WebhookDeps,
  actor: AuditActor,
  id: string,
  graceHours = DEFAULT_ROTATION_GRACE_HOURS,
  now = new Date(),
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > 24 * 7)
    throw new WebhookInputError('The grace period is 0 to 168 hours.', 'graceHours');
  const before = await findEndpoint(deps.db, id);
  const secret = newWebhookSecret();
  const endpoint = await deps.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        secret,
        previousSecret: graceHours > 0 ? before.secret : null,
        previousSecretExpiresAt: graceHours > 0 ? new Date(now.getTime() + graceHours * 3_600_000) : null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: 'webhook.secretRotated',
      subjectType: 'WebhookEndpoint',
      subjectId: id,
      after: { previousSecretExpiresAt: updated.previousSecretExpiresAt },
    });
    return updated;
  });
  return { endpoint, secret };
}

/** PAUSED: events keep queueing but nothing is sent. ACTIVE (resume, also after DISABLED): sending resumes in order. */
export async function setEndpointStatus(
  deps: WebhookDeps,
  actor: AuditActor,
  id: string,
  status: 'ACTIVE' | 'PAUSED',
): Promise<WebhookEndpoint> {
  const before = await findEndpoint(deps.db, id);
  if (before.status === status) return before;
  const updated = await deps.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.update({
      where: { id },
      data: { status, ...(status === 'ACTIVE' ? { disabledReason: null, failingSince: null } : {}) },
    });
    // Resuming retries what waited at once instead of at its backed-off time.
    if (status === 'ACTIVE')
      await tx.webhookDelivery.updateMany({
        where: { endpointId: id, status: 'PENDING' },
        data: { nextAttemptAt: new Date() },
      });
    await recordAudit(tx, {
      actor,
      action: status === 'ACTIVE' ? 'webhook.resumed' : 'webhook.paused',
      subjectType: 'WebhookEndpoint',
      subjectId: id,
      before: { status: before.status },
      after: { status },
    });
    return row;
  });
  if (status === 'ACTIVE') deps.pubsub.publish('events:recorded', { at: new Date().toISOString() });
  return updated;
}

export async function deleteEndpoint(deps: WebhookDeps, actor: AuditActor, id: string): Promise<void> {
  const before = await findEndpoint(deps.db, id);
  await deps.db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id } });
    await recordAudit(tx, {
      actor,
      action: 'webhook.deleted',
      subjectType: 'WebhookEndpoint',
      subjectId: id,
      before: endpointSnapshot(before),
    });
  });
}

/** Sends one delivery again (whatever its status), as soon as its stream's earlier deliveries are out. */
export async function resendDelivery(
  deps: WebhookDeps,
  actor: AuditActor,
  id: string,
): Promise<WebhookDelivery> {
  const delivery = await deps.db.webhookDelivery.findUnique({ where: { id } });
  if (!delivery) throw new WebhookNotFoundError('webhook delivery');
  const updated = await deps.db.$transaction(async (tx) => {
    const row = await tx.webhookDelivery.update({
      where: { id },
      // A resend gets three more days of retries.
      data: { status: 'PENDING', nextAttemptAt: new Date(), deliveredAt: null, createdAt: new Date() },
    });
    await recordAudit(tx, {
      actor,
      action: 'webhook.resent',
      subjectType: 'WebhookDelivery',
      subjectId: id,
      after: { endpointId: delivery.endpointId, eventNumber: delivery.eventId.toString() },
    });
    return row;
  });
  deps.pubsub.publish('events:recorded', { at: new Date().toISOString() });
  return updated;
}

/**
 * Queues every event numbered `fromEvent` or later that the endpoint subscribes to, again, in order
 * (already delivered ones too: receivers de-duplicate by `webhook-id`). Events from before the
 * endpoint existed are included. Returns how many deliveries were queued. Two statements.
 */
export async function replayFrom(
  deps: WebhookDeps,
  actor: AuditActor,
  endpointId: string,
  fromEvent: string,
): Promise<number> {
  if (!/^\d{1,18}$/.test(fromEvent.trim()))
    throw new WebhookInputError('Give the event number to replay from (digits, e.g. "1200").', 'fromEvent');
  const from = BigInt(fromEvent.trim());
  const endpoint = await findEndpoint(deps.db, endpointId);
  const now = new Date();
  const queued = await deps.db.$transaction(async (tx) => {
    const types = endpoint.events;
    const reset = await tx.webhookDelivery.updateMany({
      where: { endpointId, eventId: { gte: from } },
      data: { status: 'PENDING', nextAttemptAt: now, deliveredAt: null, createdAt: now },
    });
    const at = now.toISOString().replace('T', ' ').replace('Z', '');
    const added = await tx.$executeRaw`
      INSERT INTO "WebhookDelivery" ("id", "endpointId", "eventId", "stream", "nextAttemptAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, ${endpointId}, e."id", e."stream", ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3)
      FROM "DomainEvent" e
      WHERE e."id" >= ${from} AND (cardinality(${types}::text[]) = 0 OR e."type" = ANY (${types}::text[]))
      ON CONFLICT DO NOTHING`;
    await recordAudit(tx, {
      actor,
      action: 'webhook.replayed',
      subjectType: 'WebhookEndpoint',
      subjectId: endpointId,
      after: { fromEvent: from.toString(), queued: reset.count + added },
    });
    return reset.count + added;
  });
  deps.pubsub.publish('events:recorded', { at: new Date().toISOString() });
  return queued;
}
