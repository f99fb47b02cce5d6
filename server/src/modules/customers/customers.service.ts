import { randomUUID } from 'node:crypto';
import type { Customer, EvCard } from '../../generated/prisma/client.ts';
import { callLago } from '../../integrations/lago/call.ts';
import {
  billableFrom,
  type LagoCustomer,
  type LagoPort,
  type LagoSubscription,
  type Page,
} from '../../integrations/lago/port.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { releaseWaitingEventsForCard } from '../billing/billing.service.ts';
import {
  CardNotFoundError,
  InvalidCustomerInputError,
  LagoCustomerExistsError,
  LagoCustomerNotFoundError,
} from './customers.errors.ts';

export interface CustomerDeps {
  db: Db;
  lago: LagoPort;
  logger?: Logger;
  /** Told when waiting usage events were released (the outbox worker drains at once). */
  onEventsReleased?: () => void;
}

export interface CustomerSearch {
  search?: string | null;
  page?: number | null;
  perPage?: number | null;
}

export const MAX_PER_PAGE = 100;

/** The operator's customer picker: a page of Lago customers, searched by Lago itself. */
export async function searchLagoCustomers(
  deps: Pick<CustomerDeps, 'lago'>,
  query: CustomerSearch,
): Promise<Page<LagoCustomer>> {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.perPage ?? 20)));
  const search = query.search?.trim();
  return callLago(() =>
    deps.lago.listCustomers({ page, perPage, ...(search ? { searchTerm: search } : {}) }),
  );
}

export interface NewLagoCustomer {
  name: string;
  email?: string | null;
  /** Defaults to a new `polaris-cus-<uuid>`. */
  externalId?: string | null;
  /** Map this card to the new customer in the same step. */
  cardId?: string | null;
}

const EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Creates a customer inline: in Lago first (customer + its Polaris subscription, so the very next
 * session is billable), then the local mirror, then (optionally) maps the card to it.
 */
export async function createLagoCustomer(
  deps: CustomerDeps,
  actor: AuditActor,
  input: NewLagoCustomer,
): Promise<{ customer: Customer; card: EvCard | null }> {
  const name = input.name.trim();
  if (!name || name.length > 255)
    throw new InvalidCustomerInputError('Enter a name (at most 255 characters).', 'name');
  const email = input.email?.trim() || null;
  if (email && !EMAIL.test(email))
    throw new InvalidCustomerInputError('Enter a valid email address.', 'email');
  const externalId = input.externalId?.trim() || `polaris-cus-${randomUUID()}`;
  if (!EXTERNAL_ID.test(externalId)) {
    throw new InvalidCustomerInputError(
      'The external id may contain letters, digits and . _ : @ - (at most 200 characters).',
      'externalId',
    );
  }
  // Resolve the card before touching Lago, so a typo does not leave an unmapped customer behind.
  const card = input.cardId ? await findCard(deps.db, input.cardId) : null;

  // Lago upserts by external id: refuse to silently rename someone else's customer.
  if (input.externalId && (await callLago(() => deps.lago.getCustomer(externalId)))) {
    throw new LagoCustomerExistsError(externalId);
  }
  const created = await callLago(() => deps.lago.upsertCustomer({ externalId, name, email }));
  const subscription = card
    ? await ensureCardSubscription(deps, card, externalId)
    : await callLago(() => deps.lago.ensureSubscription(externalId));

  const customer = await deps.db.$transaction(async (tx) => {
    const mirrored = await mirrorCustomer(tx, created);
    await recordAudit(tx, {
      actor,
      action: 'customer.created',
      subjectType: 'Customer',
      subjectId: externalId,
      after: { externalId, name, email, lagoId: created.lagoId },
    });
    return mirrored;
  });
  if (!card) return { customer, card: null };
  const mapped = await mapCardToCustomer(deps, actor, card.id, externalId, {
    customer: created,
    subscription,
  });
  return { customer, card: mapped };
}

/**
 * Points a card at a Lago customer. The previous mapping stays in history (closed), the card's
 * waiting usage events are released to the new customer, and an audit event records both customers —
 * all in one transaction. The customer is checked in Lago (and given its subscription) first.
 */
export async function mapCardToCustomer(
  deps: CustomerDeps,
  actor: AuditActor,
  cardId: string,
  customerExternalId: string,
  /** Already created in Lago (inline creation); otherwise looked up. */
  known?: { customer: LagoCustomer; subscription: LagoSubscription },
): Promise<EvCard> {
  const externalId = customerExternalId.trim();
  const card = await findCard(deps.db, cardId);
  const lagoCustomer = known?.customer ?? (await callLago(() => deps.lago.getCustomer(externalId)));
  if (!lagoCustomer) throw new LagoCustomerNotFoundError(externalId);
  // Idempotent in Lago; without it the card's sessions would be sent to a subscription that does not exist.
  const subscription = known?.subscription ?? (await ensureCardSubscription(deps, card, externalId));

  let released = 0;
  const updated = await deps.db.$transaction(async (tx) => {
    const customer = await mirrorCustomer(tx, lagoCustomer);
    // Re-read under a row lock: two operators re-pointing the same card take turns.
    await tx.$queryRaw`SELECT "id" FROM "EvCard" WHERE "id" = ${card.id} FOR UPDATE`;
    const current = await tx.evCard.findUniqueOrThrow({
      where: { id: card.id },
      include: { customer: true },
    });
    if (current.customerId === customer.id) return current;

    const now = new Date();
    await tx.cardCustomerMapping.updateMany({
      where: { cardId: card.id, endedAt: null },
      data: { endedAt: now },
    });
    await tx.cardCustomerMapping.create({
      data: { cardId: card.id, customerId: customer.id, actorId: actorId(actor), startedAt: now },
    });
    const next = await tx.evCard.update({ where: { id: card.id }, data: { customerId: customer.id } });
    released = await releaseWaitingEventsForCard(
      tx,
      current,
      customer.externalId,
      now,
      billableFrom(subscription, now),
    );
    await recordAudit(tx, {
      actor,
      action: 'card.customer_mapped',
      subjectType: 'EvCard',
      subjectId: current.publicId,
      before: { customer: current.customer ? describeCustomer(current.customer) : null },
      after: { customer: describeCustomer(customer), releasedUsageEvents: released },
    });
    return next;
  });
  if (released > 0) deps.onEventsReleased?.();
  return updated;
}

/** The card's mapping history, newest first. */
export function cardMappings(db: Pick<Db, 'cardCustomerMapping'>, cardId: string) {
  return db.cardCustomerMapping.findMany({
    where: { cardId },
    include: { customer: true },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
  });
}

/** A card by its id or Public ID. */
export async function findCard(db: Pick<Db, 'evCard'>, idOrPublicId: string): Promise<EvCard> {
  const card = await db.evCard.findFirst({
    where: { OR: [{ id: idOrPublicId }, { publicId: idOrPublicId }] },
  });
  if (!card) throw new CardNotFoundError(idOrPublicId);
  return card;
}

/** Creates or refreshes the local mirror of a Lago customer. */
export function mirrorCustomer(db: Pick<Db, 'customer'>, lago: LagoCustomer): Promise<Customer> {
  const name = lago.name ?? ([lago.firstname, lago.lastname].filter(Boolean).join(' ') || lago.externalId);
  const data = { name, email: lago.email, lagoId: lago.lagoId };
  return db.customer.upsert({
    where: { externalId: lago.externalId },
    create: { externalId: lago.externalId, ...data },
    update: data,
  });
}

function describeCustomer(c: Customer) {
  return { externalId: c.externalId, name: c.name, email: c.email };
}

function actorId(actor: AuditActor): string | null {
  if (!actor) return null;
  if ('kind' in actor) return actor.kind === 'apiKey' ? `apiKey:${actor.keyId}` : actor.userId;
  return actor.id;
}

/** The customer's Polaris subscription, created (if new) to start at the card's earliest queued session. */
async function ensureCardSubscription(
  deps: CustomerDeps,
  card: { id: string; idTag: string },
  externalId: string,
): Promise<LagoSubscription> {
  const startAt = await queuedUsageStart(deps.db, card);
  return callLago(() => deps.lago.ensureSubscription(externalId, { startAt }));
}

/**
 * The subscription_at rule: a subscription Polaris creates for a card's customer starts at the
 * earliest session end among the card's usage events still waiting for a customer, so Lago bills
 * them (it ignores events before a subscription's start). Nothing queued: undefined (start now).
 * When the subscription already exists (or its open billing period starts later), Lago keeps its
 * start: the release then moves earlier events to `billableFrom` (releaseWaitingEventsForCard).
 */
async function queuedUsageStart(db: Db, card: { id: string; idTag: string }): Promise<Date | undefined> {
  const earliest = await db.chargingSession.aggregate({
    _min: { stoppedAt: true },
    where: {
      OR: [{ cardId: card.id }, { cardId: null, idTag: { equals: card.idTag, mode: 'insensitive' } }],
      stoppedAt: { not: null },
      billingEvents: { some: { status: 'WAITING_FOR_CUSTOMER' } },
    },
  });
  const at = earliest._min.stoppedAt;
  return at ?? undefined;
}
