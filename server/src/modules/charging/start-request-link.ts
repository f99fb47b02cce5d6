import type { Prisma } from '../../generated/prisma/client.ts';

/** A start request this recent, for the same charger and card, is what caused a new session. */
export const START_REQUEST_LINK_WINDOW_MS = 10 * 60_000;

export interface NewSessionRef {
  id: string;
  chargerId: string;
  cardId: string | null;
}

/**
 * A new session was imported from SteVe: the newest open start request for the same charger and
 * card caused it, so it is linked and ACCEPTED. Returns the ids of the start requests changed.
 * Idempotent: a linked request is no longer open.
 */
export async function linkStartRequests(
  tx: Pick<Prisma.TransactionClient, 'startRequest'>,
  sessions: NewSessionRef[],
  now: Date,
): Promise<string[]> {
  const withCard = sessions.filter((s): s is NewSessionRef & { cardId: string } => s.cardId !== null);
  if (withCard.length === 0) return [];
  const requests = await tx.startRequest.findMany({
    where: {
      chargerId: { in: [...new Set(withCard.map((s) => s.chargerId))] },
      cardId: { in: [...new Set(withCard.map((s) => s.cardId))] },
      outcome: { in: ['PENDING', 'ACCEPTED'] },
      sessionId: null,
      createdAt: { gte: new Date(now.getTime() - START_REQUEST_LINK_WINDOW_MS) },
    },
    orderBy: { createdAt: 'desc' },
    select: { id: true, chargerId: true, cardId: true, decidedAt: true },
  });
  const open = new Set(requests.map((r) => r.id));
  const linked: string[] = [];
  for (const session of withCard) {
    const request = requests.find(
      (r) => open.has(r.id) && r.chargerId === session.chargerId && r.cardId === session.cardId,
    );
    if (!request) continue;
    open.delete(request.id);
    // Start requests are rare (a driver pressing start): one statement each is fine.
    await tx.startRequest.update({
      where: { id: request.id },
      data: { sessionId: session.id, outcome: 'ACCEPTED', decidedAt: request.decidedAt ?? now },
    });
    linked.push(request.id);
  }
  return linked;
}
