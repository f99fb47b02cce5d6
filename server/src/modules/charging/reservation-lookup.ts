/** Which reservation of a driver is open: shared by starts and the reservation mutations. */
import type { Reservation } from '../../generated/prisma/client.ts';
import type { Db } from '../../lib/db.ts';

/** Open reservations (SteVe has not answered yet, or it holds the connector). */
export const OPEN_RESERVATION = ['WAITING', 'ACCEPTED'] as const;

type ReservationReader = Pick<Db, 'reservation'>;

/** The driver's reservation that still holds (or may hold) a connector; null when none. */
export function openReservationOf(
  db: ReservationReader,
  userId: string,
  at: Date,
  where: { chargerId?: string; status?: 'ACCEPTED' } = {},
): Promise<Reservation | null> {
  return db.reservation.findFirst({
    where: {
      card: { ownerId: userId },
      status: where.status ?? { in: [...OPEN_RESERVATION] },
      expiresAt: { gt: at },
      goneAt: null,
      ...(where.chargerId ? { chargerId: where.chargerId } : {}),
    },
    orderBy: [{ expiresAt: 'desc' }, { id: 'desc' }],
  });
}
