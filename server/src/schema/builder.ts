import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { ApiKeyScope, Context } from '../types.ts';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';

/**
 * Who may see a field. Every field names at least one of these (scope-auth); `public` is explicit.
 * - signedIn: any signed-in person or API key
 * - user: a signed-in person (driver or admin), including an admin acting as a driver
 * - driver: a signed-in driver (or an admin acting as one, or a driver's own API key): their own data
 * - driverSession: a driver with a session (not a key) — the driver actions
 * - chargingKey: a driver's own API key with the `charging` scope (start/stop on their own cards)
 * - admin: an operator acting as themselves
 * - apiKey / operatorKey: a third party's API key (any key / one with the `operations` scope)
 * - keyScope: an API key with the given scope (`{ keyScope: 'webhooks' }`)
 */
export interface AuthScopes {
  public: boolean;
  signedIn: boolean;
  user: boolean;
  driver: boolean;
  driverSession: boolean;
  chargingKey: boolean;
  admin: boolean;
  apiKey: boolean;
  operatorKey: boolean;
  /** An API key with this scope (`read`, `operations`, `billing`, `webhooks`, `charging`). */
  keyScope: ApiKeyScope;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | number };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    // Unauthorised access fails the field with a clear code instead of leaking whether data exists.
    unauthorizedError: () => new ForbiddenAccessError(),
    authScopes: (ctx) => {
      const v = ctx.viewer;
      const person = v?.kind === 'user' ? v : null;
      return {
        public: true,
        signedIn: v !== null,
        user: person !== null,
        driver: person?.role === 'customer',
        driverSession: person?.role === 'customer' && !person.apiKey,
        chargingKey: person?.role === 'customer' && Boolean(person.apiKey?.scopes.includes('charging')),
        admin: person?.role === 'admin' && person.impersonatorId === null,
        apiKey: v?.kind === 'apiKey',
        operatorKey: v?.kind === 'apiKey' && v.scopes.includes('operations'),
        keyScope: (scope: ApiKeyScope) => v?.kind === 'apiKey' && v.scopes.includes(scope),
      };
    },
  },
  errors: { defaultTypes: [] },
  prisma: {
    client: (ctx) => ctx.services.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: true,
    // node/nodes need a signed-in caller; each node type's own authScopes decide what it returns.
    nodeQueryOptions: { authScopes: { signedIn: true } },
    nodesQueryOptions: { authScopes: { signedIn: true } },
  },
});

/** Raised (and mapped to FORBIDDEN) when a caller may not see a field or run an operation. */
// A GraphQLError so Yoga's error masking keeps its message and code (plain Errors are masked).
export class ForbiddenAccessError extends GraphQLError {
  constructor(message = 'Not authorised') {
    super(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
    this.name = 'ForbiddenAccessError';
  }
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({ description: 'Entry points for reading data.' });
builder.mutationType({ description: 'Entry points for changing data. None is open to anonymous callers.' });
builder.subscriptionType({ description: 'Live updates over graphql-ws or SSE.' });

/**
 * The Prisma query a `prismaField` resolver was given, never with an empty `select`: when a client
 * selects only `__typename` on a mutation's result union, the object behind it is not planned and
 * Prisma refuses `select: {}`. Use it wherever a resolver spreads `query` into a Prisma call.
 */
export function withSelection<Q extends object>(query: Q): Q {
  const select = (query as { select?: Record<string, unknown> }).select;
  return select && Object.keys(select).length === 0 ? { ...query, select: { id: true } } : query;
}
