import { recordDomainEvents } from '../events/domain-events.ts';
import { cardChanged } from '../events/emit.ts';
import type { EvCard } from '../../generated/prisma/client.ts';
import { ID_TAG_PATTERN, type StevePort } from '../../integrations/steve/port.ts';
import { SteveError } from '../../integrations/steve/errors.ts';
import type { Db } from '../../lib/db.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { AccountNotFoundError } from '../auth/auth.errors.ts';
import { CardNotFoundError } from '../customers/customers.errors.ts';
import { generatePublicId } from './public-id.ts';
import { CardStateError, InvalidCardInputError, SteveTagCommandError } from './cards.errors.ts';
import { MAX_CARD_LABEL_LENGTH } from '../../lib/input-limits.ts';

export interface CardDeps {
  db: Db;
  steve: StevePort;
}

/** What the audit log keeps of a card before and after a change. */
function snapshot(card: EvCard) {
  return {
    status: card.status,
    isPrimary: card.isPrimary,
    ownerId: card.ownerId,
    customerId: card.customerId,
    label: card.label,
  };
}

export async function findCardByPublicId(db: Db, publicId: string): Promise<EvCard> {
  const card = await db.evCard.findUnique({ where: { publicId: publicId.trim().toUpperCase() } });
  if (!card) throw new CardNotFoundError(publicId);
  return card;
}

/** Runs a SteVe tag command; SteVe's failures become a typed result that changes nothing here. */
async function steveCommand<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SteveError) {
      throw new SteveTagCommandError(`SteVe did not ${what}: ${error.message}`, error.code);
    }
    throw error;
  }
}

/** Registers a blank card in Polaris (PENDING); SteVe learns its tag when it is activated. */
export async function createCard(
  deps: CardDeps,
  actor: AuditActor,
  input: { idTag: string; label?: string | null },
): Promise<EvCard> {
  const idTag = input.idTag.trim();
  if (!ID_TAG_PATTERN.test(idTag)) {
    throw new InvalidCardInputError(
      'Enter the idTag printed on the card: 1–20 letters, digits or . _ : # - (OCPP limit).',
      'idTag',
    );
  }
  const taken = await deps.db.evCard.findFirst({
    where: { idTag: { equals: idTag, mode: 'insensitive' } },
    select: { publicId: true },
  });
  if (taken)
    throw new InvalidCardInputError(`This idTag already belongs to EV card ${taken.publicId}.`, 'idTag');
  const label = input.label?.trim() || null;
  if (label && label.length > MAX_CARD_LABEL_LENGTH)
    throw new InvalidCardInputError(
      `Keep the label to ${MAX_CARD_LABEL_LENGTH} characters or fewer.`,
      'label',
    );
  return deps.db.$transaction(async (tx) => {
    let publicId = generatePublicId();
    while (await tx.evCard.findUnique({ where: { publicId }, select: { id: true } }))
      publicId = generatePublicId();
    const card = await tx.evCard.create({
      data: { idTag, label, publicId, origin: 'POLARIS', status: 'PENDING' },
    });
    await recordAudit(tx, {
      actor,
      action: 'card.created',
      subjectType: 'EvCard',
      subjectId: card.publicId,
      after: { ...snapshot(card), idTag },
    });
    await recordDomainEvents(tx, [cardChanged(card, 'created', new Date())]);
    return card;
  });
}

/** Lets the card charge: its tag is created in SteVe, or unblocked when SteVe already has it. */
export async function activateCard(deps: CardDeps, actor: AuditActor, publicId: string): Promise<EvCard> {
  const card = await findCardByPublicId(deps.db, publicId);
  if (card.status === 'ACTIVE') return card;
  await steveCommand('accept the tag', async () => {
    try {
      return await deps.steve.unblockTag(card.idTag, { maxActiveTransactionCount: 1 });
    } catch (error) {
      if (error instanceof SteveError && error.code === 'NOT_FOUND') {
        return deps.steve.createTag({
          idTag: card.idTag,
          maxActiveTransactionCount: 1,
          note: `Polaris ${card.publicId}`,
        });
      }
      throw error;
    }
  });
  return deps.db.$transaction(async (tx) => {
    const updated = await tx.evCard.update({
      where: { id: card.id },
      data: { status: 'ACTIVE', activatedAt: new Date(), disabledAt: null },
    });
    await recordAudit(tx, {
      actor,
      action: 'card.activated',
      subjectType: 'EvCard',
      subjectId: card.publicId,
      before: snapshot(card),
      after: snapshot(updated),
    });
    await recordDomainEvents(tx, [cardChanged(updated, 'activated', new Date())]);
    return updated;
  });
}

/** Retires a card: its tag is blocked in SteVe, the card stays (DISABLED) for billing history. */
export async function disableCard(deps: CardDeps, actor: AuditActor, publicId: string): Promise<EvCard> {
  const card = await findCardByPublicId(deps.db, publicId);
  if (card.status === 'DISABLED') return card;
  await steveCommand('block the tag', async () => {
    try {
      return await deps.steve.blockTag(card.idTag);
    } catch (error) {
      // A tag SteVe never had cannot charge anyway.
      if (error instanceof SteveError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  });
  return deps.db.$transaction(async (tx) => {
    const updated = await tx.evCard.update({
      where: { id: card.id },
      data: { status: 'DISABLED', disabledAt: new Date(), isPrimary: false },
    });
    await recordAudit(tx, {
      actor,
      action: 'card.disabled',
      subjectType: 'EvCard',
      subjectId: card.publicId,
      before: snapshot(card),
      after: snapshot(updated),
    });
    await recordDomainEvents(tx, [cardChanged(updated, 'disabled', new Date())]);
    return updated;
  });
}

/** Gives the card to a driver; it becomes their primary card when they have no other. */
export async function assignCard(
  deps: CardDeps,
  actor: AuditActor,
  publicId: string,
  driverId: string,
): Promise<EvCard> {
  const card = await findCardByPublicId(deps.db, publicId);
  const driver = await deps.db.user.findFirst({
    where: { id: driverId, role: 'customer' },
    select: { id: true },
  });
  if (!driver) throw new AccountNotFoundError();
  return deps.db.$transaction(async (tx) => {
    const hasPrimary = await tx.evCard.count({
      where: { ownerId: driver.id, isPrimary: true, NOT: { id: card.id } },
    });
    const updated = await tx.evCard.update({
      where: { id: card.id },
      data: { ownerId: driver.id, isPrimary: hasPrimary === 0 && card.status !== 'DISABLED' },
    });
    await recordAudit(tx, {
      actor,
      action: 'card.assigned',
      subjectType: 'EvCard',
      subjectId: card.publicId,
      before: snapshot(card),
      after: snapshot(updated),
    });
    await recordDomainEvents(tx, [cardChanged(updated, 'assigned', new Date())]);
    return updated;
  });
}

/** Makes the card its driver's primary card (the one "start charging" uses); others lose the flag. */
export async function setPrimaryCard(deps: CardDeps, actor: AuditActor, publicId: string): Promise<EvCard> {
  const card = await findCardByPublicId(deps.db, publicId);
  if (!card.ownerId)
    throw new CardStateError('Assign the card to a driver before making it their primary card.');
  if (card.status === 'DISABLED') throw new CardStateError('A disabled card cannot be a primary card.');
  const ownerId = card.ownerId;
  return deps.db.$transaction(async (tx) => {
    await tx.evCard.updateMany({ where: { ownerId, isPrimary: true }, data: { isPrimary: false } });
    const updated = await tx.evCard.update({ where: { id: card.id }, data: { isPrimary: true } });
    await recordAudit(tx, {
      actor,
      action: 'card.primarySet',
      subjectType: 'EvCard',
      subjectId: card.publicId,
      before: snapshot(card),
      after: snapshot(updated),
    });
    await recordDomainEvents(tx, [cardChanged(updated, 'primarySet', new Date())]);
    return updated;
  });
}
