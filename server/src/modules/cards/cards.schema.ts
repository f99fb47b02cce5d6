import type { EvCardStatus, Prisma } from '../../generated/prisma/client.ts';
import { builder, withSelection } from '../../schema/builder.ts';
import { AccountNotFoundError } from '../auth/auth.errors.ts';
import '../auth/user.schema.ts';
import { CardNotFoundError } from '../customers/customers.errors.ts';
import { customerMappingsRelation } from '../customers/customers.schema.ts';
import { CardStateError, InvalidCardInputError, SteveTagCommandError } from './cards.errors.ts';
import { activateCard, assignCard, createCard, disableCard, setPrimaryCard } from './cards.service.ts';
import '../drivers/drivers.schema.ts';
import { escapeLike } from '../../lib/input-limits.ts';
import { ErrorInterface } from '../../schema/errors.ts';

/** Operators and every API key read cards; a driver reads their own. */
const READERS = { admin: true, apiKey: true } as const;
/** Card changes are operator actions done by people, each one audited. */
const ADMIN = { admin: true } as const;

export const EvCardStatusEnum = builder.enumType('EvCardStatus', {
  description: 'Lifecycle of an EV card: whether it can be used to charge.',
  values: {
    PENDING: { value: 'PENDING', description: 'Issued or imported from SteVe, not yet allowed to charge.' },
    ACTIVE: { value: 'ACTIVE', description: 'Accepted by SteVe: may start charging.' },
    DISABLED: { value: 'DISABLED', description: 'Blocked in SteVe; kept for billing history.' },
  } as const,
});

const EvCardOriginEnum = builder.enumType('EvCardOrigin', {
  description: 'Where the card was first registered.',
  values: {
    POLARIS: { value: 'POLARIS', description: 'Created by an operator in Polaris.' },
    STEVE: { value: 'STEVE', description: 'Found in SteVe by the sync (created there or by a station).' },
  } as const,
});

builder.objectType(SteveTagCommandError, {
  name: 'SteveTagCommandError',
  interfaces: [ErrorInterface],
  description:
    'SteVe did not accept the tag change; nothing changed in Polaris. Try again when SteVe is back.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    steveCode: t.exposeString('steveCode', { description: 'SteVe failure code, e.g. `UNREACHABLE`.' }),
  }),
});

builder.objectType(CardStateError, {
  name: 'CardStateError',
  interfaces: [ErrorInterface],
  description: 'The card cannot make this change in its current state.',
  authScopes: { signedIn: true },
});

builder.objectType(InvalidCardInputError, {
  name: 'InvalidCardInputError',
  interfaces: [ErrorInterface],
  description: 'A field of the new card is not acceptable.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field at fault.' }),
  }),
});

/** An RFID/NFC card a driver charges with; its idTag lives in SteVe. */
export const EvCardRef = builder.prismaNode('EvCard', {
  // node(id:) answers null for an id that names no row, instead of an internal error.
  nullable: true,
  id: { field: 'id' },
  description: 'An EV card (RFID/NFC): the Public ID people see, the idTag SteVe knows, and who it bills to.',
  runScopesOnType: true,
  authScopes: (card, ctx) => {
    const v = ctx.viewer;
    if (!v) return false;
    if (v.kind === 'apiKey') return true;
    return (
      (v.role === 'admin' && v.impersonatorId === null) ||
      (card.ownerId !== null && card.ownerId === v.userId)
    );
  },
  select: { ownerId: true },
  fields: (t) => ({
    publicId: t.exposeString('publicId', {
      description: 'The Public ID printed on the card and used in the audit log.',
    }),
    idTag: t.exposeString('idTag', { description: 'OCPP idTag in SteVe.' }),
    label: t.exposeString('label', { nullable: true, description: 'Free text, e.g. "Fleet van 3".' }),
    status: t.expose('status', { type: EvCardStatusEnum, description: 'Lifecycle state.' }),
    origin: t.expose('origin', { type: EvCardOriginEnum, description: 'Where it was first registered.' }),
    isPrimary: t.exposeBoolean('isPrimary', {
      description: 'The driver’s primary card (used to start charging).',
    }),
    activatedAt: t.expose('activatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Last activation.',
    }),
    disabledAt: t.expose('disabledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was disabled.',
    }),
    steveTagGoneAt: t.expose('steveTagGoneAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the sync found its tag deleted in SteVe (null: SteVe has it). Such a card cannot start sessions until the tag exists again.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When Polaris first knew it.' }),
    owner: t.relation('owner', { nullable: true, description: 'The driver it belongs to.' }),
    customer: t.relation('customer', {
      nullable: true,
      description: 'The Lago customer it bills to now (null: sessions wait for one).',
      // Operator reads are open to every API key, READ_ONLY included (docs/security-auth.md).
      authScopes: { admin: true, apiKey: true },
    }),
    customerMappings: t.relation('mappings', customerMappingsRelation),
  }),
});

function evCardsWhere(args: {
  search?: string | null;
  status?: EvCardStatus | null;
}): Prisma.EvCardWhereInput {
  const search = args.search?.trim();
  return {
    ...(args.status ? { status: args.status } : {}),
    ...(search
      ? {
          OR: [
            { publicId: { contains: escapeLike(search), mode: 'insensitive' } },
            { idTag: { contains: escapeLike(search), mode: 'insensitive' } },
            { label: { contains: escapeLike(search), mode: 'insensitive' } },
            { owner: { email: { contains: escapeLike(search), mode: 'insensitive' } } },
          ],
        }
      : {}),
  };
}

builder.queryField('evCards', (t) =>
  t.prismaConnection({
    type: EvCardRef,
    cursor: 'id',
    description:
      'EV cards, newest first, optionally searched (Public ID, idTag, label, driver email) and filtered by status.',
    authScopes: READERS,
    args: {
      search: t.arg.string({
        required: false,
        description: 'Part of a Public ID, idTag, label or owner email.',
      }),
      status: t.arg({ type: EvCardStatusEnum, required: false, description: 'Only cards in this state.' }),
    },
    totalCount: (_connection, args, ctx) => ctx.services.db.evCard.count({ where: evCardsWhere(args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.services.db.evCard.findMany({
        ...query,
        where: evCardsWhere(args),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

builder.queryField('evCard', (t) =>
  t.prismaField({
    type: EvCardRef,
    nullable: true,
    description: 'One EV card by its Public ID; null if unknown.',
    authScopes: READERS,
    args: { publicId: t.arg.string({ required: true, description: 'The Public ID, e.g. `EV-7KQ2MX`.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.services.db.evCard.findUnique({
        ...query,
        where: { publicId: args.publicId.trim().toUpperCase() },
      }),
  }),
);

const errorsOf = <T extends object[]>(...types: T) => ({
  types,
  union: { description: 'The card after the change, or why nothing changed.' },
  result: { description: 'The change was made and audited.' },
  dataField: { description: 'The card.' },
});

builder.mutationField('createCard', (t) =>
  t.prismaField({
    type: EvCardRef,
    description: 'Registers a blank EV card (PENDING) by the idTag printed on it. Audited.',
    authScopes: ADMIN,
    errors: errorsOf(InvalidCardInputError),
    args: {
      idTag: t.arg.string({
        required: true,
        description: 'The OCPP idTag of the card (as SteVe will know it).',
      }),
      label: t.arg.string({ required: false, description: 'Free text to recognise it.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const card = await createCard(ctx.services, ctx.viewer, {
        idTag: args.idTag,
        label: args.label ?? null,
      });
      return ctx.services.db.evCard.findUniqueOrThrow({ ...withSelection(query), where: { id: card.id } });
    },
  }),
);

builder.mutationField('activateCard', (t) =>
  t.prismaField({
    type: EvCardRef,
    description:
      'Lets the card charge: creates its tag in SteVe or unblocks it there. Audited under its Public ID.',
    authScopes: ADMIN,
    errors: errorsOf(CardNotFoundError, SteveTagCommandError),
    args: { publicId: t.arg.string({ required: true, description: 'The card’s Public ID.' }) },
    resolve: async (query, _root, args, ctx) => {
      const card = await activateCard(ctx.services, ctx.viewer, args.publicId);
      return ctx.services.db.evCard.findUniqueOrThrow({ ...withSelection(query), where: { id: card.id } });
    },
  }),
);

builder.mutationField('disableCard', (t) =>
  t.prismaField({
    type: EvCardRef,
    description:
      'Retires the card: blocks its tag in SteVe. Never deletes it; it stays in history for billing. Audited.',
    authScopes: ADMIN,
    errors: errorsOf(CardNotFoundError, SteveTagCommandError),
    args: { publicId: t.arg.string({ required: true, description: 'The card’s Public ID.' }) },
    resolve: async (query, _root, args, ctx) => {
      const card = await disableCard(ctx.services, ctx.viewer, args.publicId);
      return ctx.services.db.evCard.findUniqueOrThrow({ ...withSelection(query), where: { id: card.id } });
    },
  }),
);

builder.mutationField('setPrimaryCard', (t) =>
  t.prismaField({
    type: EvCardRef,
    description: 'Makes the card its driver’s primary card; their other cards lose the flag. Audited.',
    authScopes: ADMIN,
    errors: errorsOf(CardNotFoundError, CardStateError),
    args: { publicId: t.arg.string({ required: true, description: 'The card’s Public ID.' }) },
    resolve: async (query, _root, args, ctx) => {
      const card = await setPrimaryCard(ctx.services, ctx.viewer, args.publicId);
      return ctx.services.db.evCard.findUniqueOrThrow({ ...withSelection(query), where: { id: card.id } });
    },
  }),
);

builder.mutationField('assignCard', (t) =>
  t.prismaField({
    type: EvCardRef,
    description: 'Gives the card to a driver (primary when they have no other). Audited.',
    authScopes: ADMIN,
    errors: errorsOf(CardNotFoundError, AccountNotFoundError),
    args: {
      publicId: t.arg.string({ required: true, description: 'The card’s Public ID.' }),
      driverId: t.arg.globalID({ required: true, description: 'The driver (User id).' }),
    },
    resolve: async (query, _root, args, ctx) => {
      if (args.driverId.typename !== 'User') throw new AccountNotFoundError();
      const card = await assignCard(ctx.services, ctx.viewer, args.publicId, args.driverId.id);
      return ctx.services.db.evCard.findUniqueOrThrow({ ...withSelection(query), where: { id: card.id } });
    },
  }),
);
