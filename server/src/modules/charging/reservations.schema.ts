/**
 * Reservations for drivers: `reserveCharger`, `cancelReservation` and `activeReservation` (the
 * countdown on the dashboard).
 */
import type { DomainError } from '../../lib/domain-error.ts';
import { builder, withSelection } from '../../schema/builder.ts';
import { ErrorInterface } from '../../schema/errors.ts';
import { ChargerRef } from '../chargers/chargers.schema.ts';
import { DriverCardRef, viewerUserId } from '../sessions/sessions.schema.ts';
import {
  AccountInactiveError,
  AlreadyReservedError,
  ChargerUnavailableError,
  NoActiveCardError,
  ReservationCancelFailedError,
  ReservationNotFoundError,
  ReservationRejectedError,
} from './charging.errors.ts';
import { openReservationOf } from './reservation-lookup.ts';
import { cancelReservation, reserveCharger } from './reservations.service.ts';

const ReservationStatusEnum = builder.enumType('ReservationStatus', {
  description: 'Where a reservation stands.',
  values: {
    WAITING: { value: 'WAITING', description: 'Sent; the charger has not answered yet.' },
    ACCEPTED: { value: 'ACCEPTED', description: 'The connector is held until `expiresAt`.' },
    COMPLETED: { value: 'COMPLETED', description: 'Used: a session started on it.' },
    CANCELLED: { value: 'CANCELLED', description: 'Cancelled by the driver (or deleted in SteVe).' },
    EXPIRED: { value: 'EXPIRED', description: 'Ran out unused.' },
  } as const,
});

/** A driver's own reservation (only ever resolved for its holder; operators use OperatorReservation). */
export const ReservationRef = builder.prismaObject('Reservation', {
  description: 'A connector held for the driver’s card (SteVe ReserveNow) until it expires.',
  authScopes: { driver: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pass it to `cancelReservation`.' }),
    charger: t.relation('charger', { type: ChargerRef, description: 'The reserved charger.' }),
    connectorNumber: t.exposeInt('connectorNumber', { description: 'The reserved connector (OCPP id).' }),
    status: t.expose('status', { type: ReservationStatusEnum, description: 'Where it stands.' }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'When it was made.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When the charger frees it.' }),
    card: t.relation('card', {
      type: DriverCardRef,
      nullable: true,
      description: 'The card it is held for.',
    }),
  }),
});

function messageError(cls: new () => DomainError, name: string, description: string): void {
  builder.objectType(cls, {
    name,
    interfaces: [ErrorInterface],
    description,
    authScopes: { signedIn: true },
  });
}
messageError(
  ReservationRejectedError,
  'ReservationRejectedError',
  'The charger refused the reservation, answered with an error, or did not answer.',
);
messageError(AlreadyReservedError, 'AlreadyReservedError', 'The driver already holds a reservation.');
messageError(
  ReservationNotFoundError,
  'ReservationNotFoundError',
  'No open reservation of the viewer has this id; nothing was sent.',
);
messageError(
  ReservationCancelFailedError,
  'ReservationCancelFailedError',
  'The charger did not accept the cancellation.',
);

function driverActor(ctx: { viewer: unknown }): { userId: string; impersonatorId: string | null } {
  const v = ctx.viewer as { kind?: string; userId?: string; impersonatorId?: string | null } | null;
  if (v?.kind !== 'user' || !v.userId) throw new Error('unreachable: driver scope');
  return { userId: v.userId, impersonatorId: v.impersonatorId ?? null };
}

/** A raw id from a global id of the expected type; anything else matches no row. */
function rawId(id: { typename: string; id: string }, typename: string): string {
  return id.typename === typename ? id.id : '00000000-0000-7000-8000-000000000000';
}

builder.mutationField('reserveCharger', (t) =>
  t.prismaField({
    type: ReservationRef,
    description:
      'Reserves a free connector (the first Available one unless `connectorNumber` says) for the viewer’s primary active card until RESERVATION_MINUTES from now (SteVe ReserveNow). One reservation at a time. Starting on that charger then uses it; other drivers see it reserved.',
    authScopes: { driverSession: true },
    errors: {
      directResult: true,
      types: [
        NoActiveCardError,
        AccountInactiveError,
        ChargerUnavailableError,
        AlreadyReservedError,
        ReservationRejectedError,
      ],
      union: { name: 'ReserveChargerResult', description: 'The reservation, or why there is none.' },
    },
    args: {
      chargerId: t.arg.globalID({ required: true, description: 'The Charger to reserve.' }),
      connectorNumber: t.arg.int({
        required: false,
        description: 'Which connector; default: the first free.',
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const reservation = await reserveCharger(
        ctx.services,
        driverActor(ctx),
        rawId(args.chargerId, 'Charger'),
        args.connectorNumber ?? null,
      );
      return ctx.services.db.reservation.findUniqueOrThrow({
        ...withSelection(query),
        where: { id: reservation.id },
      });
    },
  }),
);

builder.mutationField('cancelReservation', (t) =>
  t.prismaField({
    type: ReservationRef,
    description:
      'Cancels the viewer’s own open reservation (SteVe CancelReservation). Someone else’s id, or one that is over, is ReservationNotFoundError and nothing is sent.',
    authScopes: { driverSession: true },
    errors: {
      directResult: true,
      types: [ReservationNotFoundError, ReservationCancelFailedError],
      union: { name: 'CancelReservationResult', description: 'The cancelled reservation, or why not.' },
    },
    args: { id: t.arg.id({ required: true, description: 'The reservation’s id.' }) },
    resolve: async (query, _root, args, ctx) => {
      const reservation = await cancelReservation(ctx.services, driverActor(ctx), String(args.id));
      return ctx.services.db.reservation.findUniqueOrThrow({
        ...withSelection(query),
        where: { id: reservation.id },
      });
    },
  }),
);

builder.queryField('activeReservation', (t) =>
  t.prismaField({
    type: ReservationRef,
    nullable: true,
    description:
      'The viewer’s open reservation (waiting for the charger, or holding a connector); null when none.',
    authScopes: { driver: true },
    resolve: async (query, _root, _args, ctx) => {
      const open = await openReservationOf(
        ctx.services.db,
        viewerUserId(ctx),
        ctx.services.sync.engine.now(),
      );
      return open
        ? ctx.services.db.reservation.findUnique({ ...withSelection(query), where: { id: open.id } })
        : null;
    },
  }),
);
