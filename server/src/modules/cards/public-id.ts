import { randomInt } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.ts';

// No 0/O/1/I: public ids are read aloud and typed from cards.
const PUBLIC_ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random card Public ID (`EV-` and six characters); callers check it is not taken. */
export function generatePublicId(): string {
  let s = 'EV-';
  for (let i = 0; i < 6; i += 1) s += PUBLIC_ID_ALPHABET[randomInt(PUBLIC_ID_ALPHABET.length)];
  return s;
}

/** `count` fresh Public IDs not yet used by any card (checked in the caller's transaction). */
export async function allocatePublicIds(
  tx: Pick<Prisma.TransactionClient, 'evCard'>,
  count: number,
): Promise<string[]> {
  const result = new Set<string>();
  while (result.size < count) {
    const candidates = Array.from({ length: count - result.size }, generatePublicId).filter(
      (c) => !result.has(c),
    );
    const taken = await tx.evCard.findMany({
      where: { publicId: { in: candidates } },
      select: { publicId: true },
    });
    const used = new Set(taken.map((t) => t.publicId));
    for (const c of candidates) if (!used.has(c)) result.add(c);
  }
  return [...result];
}
