import { SteveError } from '../../errors.ts';
import type { SimWorld } from '../world.ts';
import type { SimTag } from './types.ts';

/** OCPP tags as SteVe keeps them: lookups are case-insensitive, like SteVe's collation. */

export function insertTag(
  world: SimWorld,
  fields: { idTag: string } & Partial<Omit<SimTag, 'pk' | 'idTag' | 'createdAt' | 'updatedAt'>>,
): SimTag {
  const tag: SimTag = {
    pk: world.counters.tagPk++,
    idTag: fields.idTag,
    parentIdTag: fields.parentIdTag ?? null,
    expiryDate: fields.expiryDate ?? null,
    maxActive: fields.maxActive ?? 1,
    note: fields.note ?? null,
    createdAt: world.clock,
    updatedAt: world.clock,
  };
  world.tags.set(tag.pk, tag);
  return tag;
}

export function findTag(world: SimWorld, idTag: string): SimTag | undefined {
  const key = idTag.toLowerCase();
  return [...world.tags.values()].find((t) => t.idTag.toLowerCase() === key);
}

export function requireTag(world: SimWorld, idTag: string): SimTag {
  const tag = findTag(world, idTag);
  if (!tag)
    throw new SteveError('NOT_FOUND', `OCPP tag '${idTag}' does not exist in SteVe`, {
      source: 'simulator',
      status: 404,
    });
  return tag;
}

/** Same semantics as the real adapter's PUT: a past expiry cannot be kept and is cleared. */
export function replaceTag(world: SimWorld, tag: SimTag, maxActive: number): void {
  if (tag.expiryDate !== null && tag.expiryDate <= world.clock) tag.expiryDate = null;
  tag.maxActive = maxActive;
  tag.updatedAt = world.clock;
}

export function activeCount(world: SimWorld, idTag: string): number {
  const key = idTag.toLowerCase();
  let count = 0;
  for (const tx of world.transactions.values())
    if (tx.stoppedAt === null && tx.idTag.toLowerCase() === key) count++;
  return count;
}

/** SteVe's authorisation rules: known, not blocked, not expired, (for starts) under the limit. */
export function tagEligible(world: SimWorld, idTag: string, forStart: boolean): boolean {
  const tag = findTag(world, idTag);
  if (!tag || tag.maxActive === 0) return false;
  if (tag.expiryDate !== null && tag.expiryDate <= world.clock) return false;
  return !forStart || tag.maxActive < 0 || activeCount(world, idTag) < tag.maxActive;
}

/** Hard delete, as SteVe's `DELETE /ocppTags/{pk}`: its transactions and reservations go too. */
export function deleteTag(world: SimWorld, tag: SimTag): void {
  const key = tag.idTag.toLowerCase();
  world.tags.delete(tag.pk);
  for (const [pk, tx] of world.transactions)
    if (tx.idTag.toLowerCase() === key) world.transactions.delete(pk);
  for (const [pk, r] of world.reservations) if (r.idTag.toLowerCase() === key) world.reservations.delete(pk);
}
