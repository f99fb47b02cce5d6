import type { ChargerState, Prisma } from '../../generated/prisma/client.ts';
import { sharedPerEvent } from '../../lib/event-memo.ts';
import { builder } from '../../schema/builder.ts';

export const ChargerStateEnum = builder.enumType('ChargerState', {
  description: 'What a charger means for a driver right now; see docs/charger-states.md for the mapping.',
  values: {
    ONLINE: { value: 'ONLINE', description: 'Connected, and at least one connector is free.' },
    IN_USE: { value: 'IN_USE', description: 'Connected; every usable connector is occupied or charging.' },
    RESERVED: { value: 'RESERVED', description: 'Connected; the free connectors are reserved for someone.' },
    OFFLINE: {
      value: 'OFFLINE',
      description: 'Not connected (stale heartbeat), unavailable, faulted, not accepted, or gone from SteVe.',
    },
  } as const,
});

/** One plug of a charger, as SteVe last reported it. */
export const ConnectorRef = builder.prismaObject('Connector', {
  description: 'One plug of a charger with its last OCPP status.',
  authScopes: { signedIn: true },
  runScopesOnType: true,
  fields: (t) => ({
    connectorId: t.exposeInt('connectorId', { description: 'OCPP connector id (1, 2, …).' }),
    status: t.exposeString('status', {
      description:
        'Last OCPP 1.6 ChargePointStatus: Available, Preparing, Charging, SuspendedEVSE, SuspendedEV, Finishing, Reserved, Unavailable or Faulted.',
    }),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description: 'OCPP ChargePointErrorCode of the last status (`NoError` when fine).',
    }),
    statusAt: t.expose('statusAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the station reported that status (station clock).',
    }),
    maxPowerKw: t.exposeFloat('maxPowerKw', {
      nullable: true,
      description: 'Rated power in kW, when known.',
    }),
  }),
});

/** A charge point mirrored from SteVe. */
export const ChargerRef = builder.prismaNode('Charger', {
  // node(id:) answers null for an id that names no row, instead of an internal error.
  nullable: true,
  id: { field: 'id' },
  description: 'A charge point registered in SteVe, mirrored by the sync. Gone ones are kept for history.',
  authScopes: { signedIn: true },
  runScopesOnType: true,
  fields: (t) => ({
    chargeBoxId: t.exposeString('chargeBoxId', { description: 'OCPP identity of the station in SteVe.' }),
    name: t.string({
      description: 'Display name: the description entered in SteVe, else the chargeBoxId.',
      select: { description: true, chargeBoxId: true },
      resolve: (c) => c.description?.trim() || c.chargeBoxId,
    }),
    vendor: t.exposeString('vendor', {
      nullable: true,
      description: 'Vendor from the last BootNotification.',
    }),
    model: t.exposeString('model', { nullable: true, description: 'Model from the last BootNotification.' }),
    state: t.expose('state', { type: ChargerStateEnum, description: 'Derived product state.' }),
    stateChangedAt: t.expose('stateChangedAt', {
      type: 'DateTime',
      description: 'When `state` last changed.',
    }),
    lastHeartbeatAt: t.expose('lastHeartbeatAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Last heartbeat, boot or WebSocket pong SteVe recorded (server time).',
    }),
    lastSeenAt: t.expose('lastSeenAt', {
      type: 'DateTime',
      description: 'Last sync run that found this charger in SteVe.',
    }),
    goneAt: t.expose('goneAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the charger disappeared from SteVe; null while it is registered there.',
    }),
    connectors: t.relation('connectors', {
      description: 'Its connectors, by connector id.',
      query: { orderBy: { connectorId: 'asc' } },
    }),
  }),
});

function chargersWhere(args: {
  state?: ChargerState | null;
  includeGone?: boolean | null;
}): Prisma.ChargerWhereInput {
  return {
    ...(args.state ? { state: args.state } : {}),
    ...(args.includeGone ? {} : { goneAt: null }),
  };
}

builder.queryField('chargers', (t) =>
  t.prismaConnection({
    type: ChargerRef,
    cursor: 'id',
    description: 'Chargers by chargeBoxId. Gone chargers are left out unless `includeGone` is true.',
    authScopes: { signedIn: true },
    args: {
      state: t.arg({ type: ChargerStateEnum, required: false, description: 'Only chargers in this state.' }),
      includeGone: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'Also list chargers deleted from SteVe.',
      }),
    },
    totalCount: (_connection, args, ctx) => ctx.services.db.charger.count({ where: chargersWhere(args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.services.db.charger.findMany({
        ...query,
        where: chargersWhere(args),
        orderBy: [{ chargeBoxId: 'asc' }, { id: 'asc' }],
      }),
  }),
);

builder.queryField('charger', (t) =>
  t.prismaField({
    type: ChargerRef,
    nullable: true,
    description: 'One charger by its global id (gone ones included); null if unknown.',
    authScopes: { signedIn: true },
    args: { id: t.arg.globalID({ required: true, description: 'The Charger id.' }) },
    resolve: (query, _root, args, ctx) =>
      args.id.typename === 'Charger'
        ? ctx.services.db.charger.findUnique({ ...query, where: { id: args.id.id } })
        : null,
  }),
);

builder.subscriptionField('chargerStateChanged', (t) =>
  t.prismaField({
    type: ChargerRef,
    description: 'Emits a charger each time its derived state changes.',
    authScopes: { signedIn: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe('charger:stateChanged'),
    // One read per event for every subscriber with the same selection (lib/event-memo.ts).
    resolve: (query, payload: { chargerId: string }, _args, ctx) =>
      sharedPerEvent(payload, ['chargerStateChanged', query], () =>
        ctx.services.db.charger.findUniqueOrThrow({ ...query, where: { id: payload.chargerId } }),
      ),
  }),
);
