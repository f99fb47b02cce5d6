import type { Customer } from '../../generated/prisma/client.ts';
import type { LagoCustomer } from '../../integrations/lago/port.ts';
import { isSteveError } from '../../integrations/steve/errors.ts';
import type { Services } from '../../types.ts';
import { mirrorCustomer } from '../customers/customers.service.ts';

/**
 * Demo mode only: every demo driver gets an active, primary EV card, and every tag the simulated
 * fleet's own drivers use is known too, each billed to one of the sandbox's demo customers. So the
 * demo starts a charge at once, bills it end to end, and a fresh demo's Health stays green (no
 * unknown tags, no cards without a customer). Idempotent: safe on every start.
 */
export async function seedDemoCards(
  services: Pick<Services, 'db' | 'steve' | 'logger'>,
  input: { driverIds: string[]; customers: LagoCustomer[] },
): Promise<{ driverCards: number; fleetCards: number }> {
  const { db, steve } = services;
  if (input.customers.length === 0) return { driverCards: 0, fleetCards: 0 };
  const customers: Customer[] = [];
  for (const c of input.customers) customers.push(await mirrorCustomer(db, c));
  const customerFor = (i: number) => customers[i % customers.length]!;

  let driverCards = 0;
  for (const [i, ownerId] of input.driverIds.entries()) {
    const n = String(i + 1).padStart(2, '0');
    const idTag = `DEMO-${n}`;
    try {
      await steve.createTag({ idTag, note: 'Polaris demo driver card' });
    } catch (error) {
      if (!isSteveError(error, 'CONFLICT')) throw error;
    }
    if (
      await ensureCard(services, { idTag, publicId: `PX-DEMO-${n}`, ownerId, customerId: customerFor(i).id })
    )
      driverCards += 1;
  }

  // The simulated fleet's background drivers: known cards, so their tags are not "unknown".
  let fleetCards = 0;
  let after: Parameters<typeof steve.listTags>[0] = {};
  for (;;) {
    const page = await steve.listTags(after);
    for (const tag of page.items) {
      const publicId = `PX-FLEET-${String(tag.pk).padStart(4, '0')}`;
      const created = await ensureCard(services, {
        idTag: tag.idTag,
        publicId,
        ownerId: null,
        customerId: customerFor(tag.pk).id,
        steveTagPk: tag.pk,
      });
      if (created) fleetCards += 1;
    }
    if (!page.hasMore) break;
    after = { after: page.cursor };
  }
  services.logger.info({ driverCards, fleetCards }, 'demo EV cards ready');
  return { driverCards, fleetCards };
}

async function ensureCard(
  { db }: Pick<Services, 'db'>,
  card: { idTag: string; publicId: string; ownerId: string | null; customerId: string; steveTagPk?: number },
): Promise<boolean> {
  const existing = await db.evCard.findFirst({
    where: { idTag: { equals: card.idTag, mode: 'insensitive' } },
  });
  if (existing) return false;
  const now = new Date();
  await db.evCard.create({
    data: {
      idTag: card.idTag,
      publicId: card.publicId,
      status: 'ACTIVE',
      origin: card.ownerId ? 'POLARIS' : 'STEVE',
      isPrimary: card.ownerId !== null,
      ownerId: card.ownerId,
      customerId: card.customerId,
      steveTagPk: card.steveTagPk ?? null,
      label: card.ownerId ? 'Demo card' : 'Simulated fleet driver',
      activatedAt: now,
      mappings: { create: { customerId: card.customerId, startedAt: now } },
    },
  });
  return true;
}
