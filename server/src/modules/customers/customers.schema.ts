import { decodeGlobalID } from '@pothos/plugin-relay';
import { LagoUnavailableError } from '../../integrations/lago/call.ts';
import type { LagoCustomer, Page } from '../../integrations/lago/port.ts';
import { builder, withSelection } from '../../schema/builder.ts';
import { UserRef } from '../auth/user.schema.ts';
import {
  CardNotFoundError,
  InvalidCustomerInputError,
  LagoCustomerExistsError,
  LagoCustomerNotFoundError,
} from './customers.errors.ts';
import { createLagoCustomer, mapCardToCustomer, searchLagoCustomers } from './customers.service.ts';
import { ErrorInterface } from '../../schema/errors.ts';

/** Operators and operator API keys manage billing customers. */
const OPERATORS = { admin: true, operatorKey: true } as const;
/** Polaris' own copy of customers and mappings: what an operator reads, every API key reads (READ_ONLY too). */
const READERS = { admin: true, apiKey: true } as const;

// ───────────────────────────── errors ─────────────────────────────

builder.objectType(LagoCustomerNotFoundError, {
  name: 'LagoCustomerNotFoundError',
  interfaces: [ErrorInterface],
  description: 'Lago has no customer with this external id.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    customerExternalId: t.exposeString('customerExternalId', {
      description: 'The external id that was not found.',
      authScopes: { signedIn: true },
    }),
  }),
});

builder.objectType(LagoCustomerExistsError, {
  name: 'LagoCustomerExistsError',
  interfaces: [ErrorInterface],
  description:
    'A Lago customer with this external id already exists; pick it in the customer picker instead.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    customerExternalId: t.exposeString('customerExternalId', {
      description: 'The external id in use.',
      authScopes: { signedIn: true },
    }),
  }),
});

builder.objectType(LagoUnavailableError, {
  name: 'LagoUnavailableError',
  interfaces: [ErrorInterface],
  description: 'Lago could not be reached or refused the call as a whole. Nothing was changed in Polaris.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    retryable: t.exposeBoolean('retryable', {
      description: 'Whether trying again later can help (outage, timeout, rate limit).',
      authScopes: { signedIn: true },
    }),
    retryAfterMs: t.exposeInt('retryAfterMs', {
      nullable: true,
      description: 'How long Lago asked us to wait, when it said so.',
      authScopes: { signedIn: true },
    }),
  }),
});

builder.objectType(CardNotFoundError, {
  name: 'CardNotFoundError',
  interfaces: [ErrorInterface],
  description: 'No EV card has this id.',
  authScopes: { signedIn: true },
});

builder.objectType(InvalidCustomerInputError, {
  name: 'InvalidCustomerInputError',
  interfaces: [ErrorInterface],
  description: 'A field of the new customer is not acceptable.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    field: t.exposeString('field', {
      description: 'The input field at fault.',
      authScopes: { signedIn: true },
    }),
  }),
});

// ───────────────────────────── types ─────────────────────────────

/** The local mirror of a Lago customer that cards are mapped to. */
export const CustomerRef = builder.prismaNode('Customer', {
  id: { field: 'id' },
  description: 'A Lago customer that EV cards are billed to (Polaris’ copy of its name and email).',
  authScopes: READERS,
  fields: (t) => ({
    externalId: t.exposeString('externalId', {
      description: 'The customer’s external id in Lago.',
      authScopes: READERS,
    }),
    lagoId: t.exposeString('lagoId', {
      nullable: true,
      description: 'Lago’s own id (UUID).',
      authScopes: READERS,
    }),
    name: t.exposeString('name', { description: 'Name as in Lago.', authScopes: READERS }),
    email: t.exposeString('email', {
      nullable: true,
      description: 'Billing email as in Lago.',
      authScopes: READERS,
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When Polaris first saw this customer.',
      authScopes: READERS,
    }),
  }),
});

/** One period during which a card was billed to a customer. */
export const CardCustomerMappingRef = builder.prismaObject('CardCustomerMapping', {
  description:
    'A period during which an EV card was billed to a Lago customer. The open one (no `endedAt`) is current.',
  authScopes: READERS,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The mapping row’s id.', authScopes: READERS }),
    customer: t.relation('customer', { description: 'The Lago customer.', authScopes: READERS }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      description: 'Billed to this customer from.',
      authScopes: READERS,
    }),
    endedAt: t.expose('endedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Until when (null: still current).',
      authScopes: READERS,
    }),
    current: t.boolean({
      description: 'Whether this is the card’s current customer.',
      authScopes: READERS,
      resolve: (m) => m.endedAt === null,
    }),
    actorId: t.exposeString('actorId', {
      nullable: true,
      description: 'Who made the change: a User id, `apiKey:<id>`, or null for the system.',
      authScopes: READERS,
    }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: 'The operator who made the change (null for API keys and the system).',
      authScopes: READERS,
      // History lists are short and operator-only; a lookup per row is acceptable here.
      resolve: (m, _args, ctx) =>
        m.actorId && !m.actorId.startsWith('apiKey:')
          ? ctx.services.db.user.findUnique({ where: { id: m.actorId } })
          : null,
    }),
  }),
});

/**
 * Options for the card's mapping history as a relation, newest first. The EV card type adds it with
 * `customerMappings: t.relation('mappings', customerMappingsRelation)`.
 */
export const customerMappingsRelation = {
  description: 'Which Lago customers this card was billed to, newest first (the first one is current).',
  authScopes: READERS,
  query: { orderBy: [{ startedAt: 'desc' as const }, { id: 'desc' as const }] },
};

/** A card's billing side: its current customer and mapping history (a variant of the EvCard model). */
export const EvCardBillingRef = builder.prismaObject('EvCard', {
  variant: 'EvCardBilling',
  description: 'An EV card’s billing: its current Lago customer and the history of mappings.',
  authScopes: READERS,
  fields: (t) => ({
    cardId: t.exposeID('id', { description: 'The card’s id.', authScopes: READERS }),
    publicId: t.exposeString('publicId', {
      description: 'The Public ID shown to people.',
      authScopes: READERS,
    }),
    customer: t.relation('customer', {
      nullable: true,
      description: 'The Lago customer the card is billed to now (null: sessions wait for one).',
      authScopes: READERS,
    }),
    customerMappings: t.relation('mappings', customerMappingsRelation),
  }),
});

const LagoCustomerRef = builder.objectRef<LagoCustomer>('LagoCustomer').implement({
  description: 'A customer as Lago has it right now (the customer picker reads them straight from Lago).',
  authScopes: OPERATORS,
  fields: (t) => ({
    externalId: t.exposeString('externalId', {
      description: 'The customer’s external id.',
      authScopes: OPERATORS,
    }),
    lagoId: t.exposeString('lagoId', { description: 'Lago’s own id (UUID).', authScopes: OPERATORS }),
    name: t.exposeString('name', {
      nullable: true,
      description: 'Full name or company name.',
      authScopes: OPERATORS,
    }),
    firstname: t.exposeString('firstname', {
      nullable: true,
      description: 'First name.',
      authScopes: OPERATORS,
    }),
    lastname: t.exposeString('lastname', {
      nullable: true,
      description: 'Last name.',
      authScopes: OPERATORS,
    }),
    email: t.exposeString('email', { nullable: true, description: 'Billing email.', authScopes: OPERATORS }),
    country: t.exposeString('country', {
      nullable: true,
      description: 'ISO 3166 alpha-2.',
      authScopes: OPERATORS,
    }),
    currency: t.exposeString('currency', { nullable: true, description: 'ISO 4217.', authScopes: OPERATORS }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'Created in Lago at.',
      authScopes: OPERATORS,
    }),
  }),
});

const LagoCustomerPageRef = builder.objectRef<Page<LagoCustomer>>('LagoCustomerPage').implement({
  description: 'One page of Lago customers with Lago’s page numbers.',
  authScopes: OPERATORS,
  fields: (t) => ({
    nodes: t.field({
      type: [LagoCustomerRef],
      description: 'The customers on this page.',
      authScopes: OPERATORS,
      resolve: (p) => p.items,
    }),
    currentPage: t.int({
      description: 'This page (1-based; 0 when there are no customers at all).',
      authScopes: OPERATORS,
      resolve: (p) => p.meta.currentPage,
    }),
    nextPage: t.int({
      nullable: true,
      description: 'The next page, if any.',
      authScopes: OPERATORS,
      resolve: (p) => p.meta.nextPage,
    }),
    prevPage: t.int({
      nullable: true,
      description: 'The previous page, if any.',
      authScopes: OPERATORS,
      resolve: (p) => p.meta.prevPage,
    }),
    totalPages: t.int({
      description: 'Number of pages.',
      authScopes: OPERATORS,
      resolve: (p) => p.meta.totalPages,
    }),
    totalCount: t.int({
      description: 'Number of matching customers.',
      authScopes: OPERATORS,
      resolve: (p) => p.meta.totalCount,
    }),
  }),
});

// ───────────────────────────── fields ─────────────────────────────

builder.queryField('lagoCustomers', (t) =>
  t.field({
    type: LagoCustomerPageRef,
    description:
      'The customer picker: Lago customers matching `search` (name, email, external id), one page at a time.',
    authScopes: OPERATORS,
    errors: {
      types: [LagoUnavailableError],
      union: { description: 'A page of Lago customers, or why Lago could not be asked.' },
      result: { description: 'Lago answered.' },
      dataField: { description: 'The page of customers.', authScopes: OPERATORS },
    },
    args: {
      search: t.arg.string({ required: false, description: 'Part of a name, email or external id.' }),
      page: t.arg.int({ required: false, description: 'Page number, from 1 (default 1).' }),
      perPage: t.arg.int({ required: false, description: 'Customers per page, 1–100 (default 20).' }),
    },
    resolve: (_root, args, ctx) => searchLagoCustomers(ctx.services, args),
  }),
);

const CreateLagoCustomerInput = builder.inputType('CreateLagoCustomerInput', {
  description: 'A new Lago customer, created from the EV card page.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Full name or company name.' }),
    email: t.string({ required: false, description: 'Billing email.' }),
    externalId: t.string({
      required: false,
      description: 'External id in Lago (e.g. your CRM id); a `polaris-cus-…` id is generated when omitted.',
    }),
    cardId: t.id({ required: false, description: 'Map this EV card to the new customer in the same step.' }),
  }),
});

interface CreatedCustomer {
  customer: { id: string };
  card: { id: string } | null;
}

const CreateLagoCustomerPayload = builder.objectRef<CreatedCustomer>('CreateLagoCustomerPayload').implement({
  description: 'The customer created in Lago (and the card mapped to it, when one was given).',
  authScopes: OPERATORS,
  fields: (t) => ({
    customer: t.prismaField({
      type: 'Customer',
      description: 'The new customer.',
      authScopes: OPERATORS,
      resolve: (query, p, _args, ctx) =>
        ctx.services.db.customer.findUniqueOrThrow({ ...query, where: { id: p.customer.id } }),
    }),
    card: t.prismaField({
      type: EvCardBillingRef,
      nullable: true,
      description: 'The card now billed to it, when `cardId` was given.',
      authScopes: OPERATORS,
      resolve: (query, p, _args, ctx) =>
        p.card ? ctx.services.db.evCard.findUniqueOrThrow({ ...query, where: { id: p.card.id } }) : null,
    }),
  }),
});

builder.mutationField('createLagoCustomer', (t) =>
  t.field({
    type: CreateLagoCustomerPayload,
    description:
      'Creates a customer in Lago (with its Polaris subscription), mirrors it in Polaris and optionally maps a card to it. Audited.',
    authScopes: OPERATORS,
    errors: {
      types: [LagoUnavailableError, LagoCustomerExistsError, InvalidCustomerInputError, CardNotFoundError],
      union: { description: 'The created customer, or why it was not created.' },
      result: { description: 'The customer exists in Lago and in Polaris.' },
      dataField: { description: 'The customer (and the card mapped to it).', authScopes: OPERATORS },
    },
    args: { input: t.arg({ type: CreateLagoCustomerInput, required: true, description: 'The customer.' }) },
    resolve: async (_root, { input }, ctx) =>
      createLagoCustomer(
        { ...ctx.services, onEventsReleased: () => ctx.services.billing.kick() },
        ctx.viewer,
        {
          name: input.name,
          email: input.email ?? null,
          externalId: input.externalId ?? null,
          cardId: input.cardId ? cardIdFromArg(String(input.cardId)) : null,
        },
      ),
  }),
);

builder.mutationField('mapCardToCustomer', (t) =>
  t.prismaField({
    type: EvCardBillingRef,
    description:
      'Bills an EV card to a Lago customer from now on. The previous mapping stays in the history, sessions waiting for a customer are released to this one, and the change is audited.',
    authScopes: OPERATORS,
    errors: {
      types: [LagoCustomerNotFoundError, LagoUnavailableError, CardNotFoundError],
      union: { description: 'The re-pointed card, or why it was not re-pointed.' },
      result: { description: 'The card is billed to the customer from now on.' },
      dataField: {
        description: 'The card with its current customer and mapping history.',
        authScopes: OPERATORS,
      },
    },
    args: {
      cardId: t.arg.id({ required: true, description: 'The card: its id (global or raw) or its Public ID.' }),
      customerExternalId: t.arg.string({
        required: true,
        description: 'The Lago customer’s external id (from the picker).',
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const card = await mapCardToCustomer(
        { ...ctx.services, onEventsReleased: () => ctx.services.billing.kick() },
        ctx.viewer,
        cardIdFromArg(String(args.cardId)),
        args.customerExternalId,
      );
      return ctx.services.db.evCard.findUniqueOrThrow({ ...withSelection(query), where: { id: card.id } });
    },
  }),
);

/** Accepts a relay global id (`EvCard:<id>`), a raw card id or a Public ID. */
function cardIdFromArg(value: string): string {
  try {
    const decoded = decodeGlobalID(value);
    if (decoded.typename === 'EvCard' || decoded.typename === 'EvCardBilling') return decoded.id;
  } catch {
    // not a global id
  }
  return value;
}
