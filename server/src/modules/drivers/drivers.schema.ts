import type { AccountStatus, Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../../schema/builder.ts';
import {
  AccountNotFoundError,
  EmailAlreadyUsedError,
  InvalidAccountInputError,
} from '../auth/auth.errors.ts';
import { AccountStatusEnum, UserRef } from '../auth/user.schema.ts';
import { createDriver, resetDriverPassword, setDriverStatus } from './drivers.service.ts';
import '../auth/auth.schema.ts';
import { escapeLike } from '../../lib/input-limits.ts';
import { ErrorInterface } from '../../schema/errors.ts';

builder.objectType(EmailAlreadyUsedError, {
  name: 'EmailAlreadyUsedError',
  interfaces: [ErrorInterface],
  description: 'Another account already uses this email.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    email: t.exposeString('email', { description: 'The email in use.' }),
  }),
});

builder.objectType(AccountNotFoundError, {
  name: 'AccountNotFoundError',
  interfaces: [ErrorInterface],
  description: 'No driver account has this id.',
  authScopes: { signedIn: true },
});

const CreateDriverInput = builder.inputType('CreateDriverInput', {
  description: 'A new driver account.',
  fields: (t) => ({
    email: t.string({ required: true, description: 'Sign-in email.' }),
    name: t.string({ required: true, description: 'Display name.' }),
    password: t.string({
      required: true,
      description: 'Initial password (8–128 characters); tell the driver out of band.',
    }),
    status: t.field({ type: AccountStatusEnum, required: false, description: 'Defaults to ACTIVE.' }),
  }),
});

function userId(id: { typename: string; id: string }): string {
  if (id.typename !== 'User') throw new AccountNotFoundError();
  return id.id;
}

function driversWhere(args: {
  search?: string | null;
  status?: AccountStatus | null;
}): Prisma.UserWhereInput {
  return {
    role: 'customer',
    ...(args.status ? { status: args.status } : {}),
    ...(args.search
      ? {
          OR: [
            { email: { contains: escapeLike(args.search), mode: 'insensitive' } },
            { name: { contains: escapeLike(args.search), mode: 'insensitive' } },
          ],
        }
      : {}),
  };
}

builder.queryField('drivers', (t) =>
  t.prismaConnection({
    type: UserRef,
    cursor: 'id',
    description: 'Driver accounts by email, optionally filtered. Operators and API keys.',
    authScopes: { admin: true, apiKey: true },
    args: {
      search: t.arg.string({ required: false, description: 'Part of the email or name.' }),
      status: t.arg({ type: AccountStatusEnum, required: false, description: 'Only this status.' }),
    },
    totalCount: (_connection, args, ctx) => ctx.services.db.user.count({ where: driversWhere(args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.services.db.user.findMany({
        ...query,
        where: driversWhere(args),
        orderBy: { email: 'asc' },
      }),
  }),
);

builder.mutationField('createDriver', (t) =>
  t.prismaField({
    type: 'User',
    description: 'Creates a driver account with an initial password. Operators only; audited.',
    authScopes: { admin: true },
    errors: { types: [EmailAlreadyUsedError, InvalidAccountInputError] },
    args: { input: t.arg({ type: CreateDriverInput, required: true, description: 'The account.' }) },
    resolve: (_query, _root, { input }, ctx) => createDriver(ctx.services, ctx.viewer!, input),
  }),
);

builder.mutationField('setDriverStatus', (t) =>
  t.prismaField({
    type: 'User',
    description: 'Activates or deactivates a driver account. Operators only; audited.',
    authScopes: { admin: true },
    errors: { types: [AccountNotFoundError] },
    args: {
      id: t.arg.globalID({ required: true, description: 'The driver’s User id.' }),
      status: t.arg({ type: AccountStatusEnum, required: true, description: 'The new status.' }),
    },
    resolve: (_query, _root, args, ctx) =>
      setDriverStatus(ctx.services, ctx.viewer!, userId(args.id), args.status),
  }),
);

builder.mutationField('resetDriverPassword', (t) =>
  t.prismaField({
    type: 'User',
    description: 'Sets a new password for a driver and signs them out everywhere. Operators only; audited.',
    authScopes: { admin: true },
    errors: { types: [AccountNotFoundError, InvalidAccountInputError] },
    args: {
      id: t.arg.globalID({ required: true, description: 'The driver’s User id.' }),
      password: t.arg.string({ required: true, description: 'The new password (8–128 characters).' }),
    },
    resolve: (_query, _root, args, ctx) =>
      resetDriverPassword(ctx.services, ctx.viewer!, userId(args.id), args.password),
  }),
);
