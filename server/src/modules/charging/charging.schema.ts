import { GraphQLError } from 'graphql';
import { builder, withSelection } from '../../schema/builder.ts';
import { ChargerRef } from '../chargers/chargers.schema.ts';
import {
  canSeeDriverData,
  ChargingSessionRef,
  DriverCardRef,
  viewerUserId,
} from '../sessions/sessions.schema.ts';
import {
  AccountInactiveError,
  ChargerRejectedError,
  ChargerStopFailedError,
  ChargerUnavailableError,
  NoActiveCardError,
  SessionNotFoundError,
} from './charging.errors.ts';
import { startCharging, startRequestMessage, stopCharging } from './charging.service.ts';
import type { DomainError } from '../../lib/domain-error.ts';
import { ErrorInterface } from '../../schema/errors.ts';

const StartRequestOutcomeEnum = builder.enumType('StartRequestOutcome', {
  description: 'Where a driver’s start request stands.',
  values: {
    PENDING: { value: 'PENDING', description: 'Sent to the charger; waiting for its answer.' },
    ACCEPTED: {
      value: 'ACCEPTED',
      description: 'The charger accepted; the session appears once the sync sees its transaction.',
    },
    REJECTED: { value: 'REJECTED', description: 'The charger refused the start.' },
    TIMED_OUT: { value: 'TIMED_OUT', description: 'The charger did not answer in time.' },
    NOT_STARTED: {
      value: 'NOT_STARTED',
      description: 'Accepted, but no session began within 90 seconds (e.g. the EV did not start).',
    },
    FAILED: {
      value: 'FAILED',
      description: 'SteVe could not deliver the command or the charger answered with an error.',
    },
  } as const,
});

export const StartRequestRef = builder.prismaNode('StartRequest', {
  id: { field: 'id' },
  description: 'A driver’s request to start charging: the dashboard’s “waiting for the charger” state.',
  authScopes: (r, ctx) => canSeeDriverData(r.userId, ctx),
  runScopesOnType: true,
  fields: (t) => ({
    outcome: t.expose('outcome', { type: StartRequestOutcomeEnum, description: 'Where the request stands.' }),
    message: t.string({
      nullable: true,
      description: 'What to tell the driver when the start failed; null while waiting or once accepted.',
      select: { outcome: true, detail: true },
      resolve: (r) => startRequestMessage(r.outcome, r.detail),
    }),
    charger: t.relation('charger', { type: ChargerRef, description: 'The charger asked to start.' }),
    card: t.relation('card', { type: DriverCardRef, description: 'The EV card the start uses.' }),
    session: t.relation('session', {
      type: ChargingSessionRef,
      nullable: true,
      description: 'The session it started, once the sync has seen it.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the driver asked.' }),
    decidedAt: t.expose('decidedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the charger answered (or the request timed out).',
    }),
  }),
});

/** Each expected failure is an `Error` whose message the dashboard shows verbatim. */
function messageError(cls: new () => DomainError, name: string, description: string): void {
  builder.objectType(cls, {
    name,
    interfaces: [ErrorInterface],
    description,
    authScopes: { signedIn: true },
  });
}

messageError(NoActiveCardError, 'NoActiveCardError', 'The driver has no active EV card.');
messageError(
  AccountInactiveError,
  'AccountInactiveError',
  'The driver’s account is inactive and cannot start a charge.',
);
messageError(
  ChargerRejectedError,
  'ChargerRejectedError',
  'The charger received the request but refused it, answered with an error, or did not answer.',
);
messageError(
  ChargerUnavailableError,
  'ChargerUnavailableError',
  'The charger is not online (in use, reserved, offline or unknown); nothing was sent.',
);
messageError(SessionNotFoundError, 'SessionNotFoundError', 'No active session of the viewer has this id.');
messageError(ChargerStopFailedError, 'ChargerStopFailedError', 'The charger did not accept the stop.');

/** A raw id from a global id of the expected type; anything else matches no row. */
function rawId(id: { typename: string; id: string }, typename: string): string {
  return id.typename === typename ? id.id : '00000000-0000-7000-8000-000000000000';
}

builder.mutationField('startCharging', (t) =>
  t.prismaField({
    type: StartRequestRef,
    description:
      'Starts charging on an online charger with the viewer’s primary active EV card (without a primary card: the ACTIVE card activated most recently). Waits for the charger’s answer to RemoteStart; the session then appears through `startRequestUpdated` and `activeSession`. A second call for the same charger while a start is under way returns that request and sends nothing. Drivers, or a driver’s own API key with the CHARGING scope.',
    // Drivers, or a driver's own API key with the `charging` scope (never an operator's key).
    authScopes: { driverSession: true, chargingKey: true },
    errors: {
      types: [NoActiveCardError, AccountInactiveError, ChargerRejectedError, ChargerUnavailableError],
      union: { name: 'StartChargingResult', description: 'The start request, or why it could not start.' },
      result: {
        name: 'StartChargingSuccess',
        description: 'The charger accepted, or a start is already under way.',
      },
      dataField: {
        name: 'startRequest',
        description: 'The start request; follow it with `startRequestUpdated`.',
      },
    },
    args: { chargerId: t.arg.globalID({ required: true, description: 'The Charger to start on.' }) },
    resolve: async (query, _root, args, ctx) => {
      const v = ctx.viewer;
      if (v?.kind !== 'user') throw new Error('unreachable: driver scope');
      const request = await startCharging(
        ctx.services,
        { userId: v.userId, impersonatorId: v.impersonatorId },
        rawId(args.chargerId, 'Charger'),
      );
      return ctx.services.db.startRequest.findUniqueOrThrow({
        ...withSelection(query),
        where: { id: request.id },
      });
    },
  }),
);

builder.mutationField('stopCharging', (t) =>
  t.prismaField({
    type: ChargingSessionRef,
    description:
      'Asks the charger to stop the viewer’s own active session (RemoteStopTransaction). The session shows as stopped once the sync records the stop. Drivers, or a driver’s own API key with the CHARGING scope.',
    authScopes: { driverSession: true, chargingKey: true },
    errors: {
      types: [SessionNotFoundError, ChargerStopFailedError],
      union: { name: 'StopChargingResult', description: 'The session being stopped, or why not.' },
      result: { name: 'StopChargingSuccess', description: 'The charger accepted the stop.' },
      dataField: { name: 'session', description: 'The session; it completes at the next sync.' },
    },
    args: { sessionId: t.arg.globalID({ required: true, description: 'The ChargingSession to stop.' }) },
    resolve: async (query, _root, args, ctx) => {
      const v = ctx.viewer;
      if (v?.kind !== 'user') throw new Error('unreachable: driver scope');
      const id = await stopCharging(
        ctx.services,
        { userId: v.userId, impersonatorId: v.impersonatorId },
        rawId(args.sessionId, 'ChargingSession'),
      );
      return ctx.services.db.chargingSession.findUniqueOrThrow({ ...withSelection(query), where: { id } });
    },
  }),
);

async function* startingWith<T>(first: T, source: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* source;
}

builder.subscriptionField('startRequestUpdated', (t) =>
  t.prismaField({
    type: StartRequestRef,
    description:
      'The viewer’s start request now, then on every change: PENDING → ACCEPTED / REJECTED / TIMED_OUT / NOT_STARTED / FAILED, then with its session.',
    authScopes: { driver: true },
    args: { id: t.arg.globalID({ required: true, description: 'The StartRequest to follow.' }) },
    subscribe: async (_root, args, ctx) => {
      const id = rawId(args.id, 'StartRequest');
      const own = await ctx.services.db.startRequest.findFirst({
        where: { id, userId: viewerUserId(ctx) },
        select: { id: true },
      });
      if (!own) {
        throw new GraphQLError('No start request of yours has this id.', {
          extensions: { code: 'NOT_FOUND' },
        });
      }
      return startingWith<unknown>(
        { startRequestId: id },
        ctx.services.pubsub.subscribe('startRequest:updated', id),
      );
    },
    resolve: (query, _payload, args, ctx) =>
      ctx.services.db.startRequest.findUniqueOrThrow({
        ...query,
        where: { id: rawId(args.id, 'StartRequest') },
      }),
  }),
);
