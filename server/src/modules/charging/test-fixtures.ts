import { randomBytes } from 'node:crypto';
import type { StevePort } from '../../integrations/steve/port.ts';
import type { Db } from '../../lib/db.ts';

/**
 * Gives a driver an EV card, for tests and the end-to-end demo: the Polaris row and the SteVe tag
 * (so the charger accepts the idTag). Cards normally come from operators (modules/cards).
 */
export async function giveCard(
  db: Db,
  steve: StevePort,
  ownerId: string,
  options: {
    status?: 'ACTIVE' | 'PENDING' | 'DISABLED';
    isPrimary?: boolean;
    activatedAt?: Date;
    label?: string;
  } = {},
) {
  const suffix = randomBytes(4).toString('hex').toUpperCase();
  const idTag = `TST${suffix}`;
  const status = options.status ?? 'ACTIVE';
  await steve.createTag({ idTag, note: 'test card' });
  return db.evCard.create({
    data: {
      idTag,
      publicId: `PX-${suffix}`,
      status,
      isPrimary: options.isPrimary ?? false,
      ownerId,
      label: options.label ?? null,
      activatedAt: status === 'ACTIVE' ? (options.activatedAt ?? new Date()) : null,
    },
  });
}
