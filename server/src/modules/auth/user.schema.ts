import type { Context } from '../../types.ts';
import { builder } from '../../schema/builder.ts';

export const UserRoleEnum = builder.enumType('UserRole', {
  description: 'What a person may do: operators are `ADMIN`, drivers are `CUSTOMER`.',
  values: {
    ADMIN: { value: 'admin', description: 'An operator: the /admin console and every driver account.' },
    CUSTOMER: { value: 'customer', description: 'A driver: their own cards, sessions and usage.' },
  } as const,
});

export const AccountStatusEnum = builder.enumType('AccountStatus', {
  description: 'Whether a driver may start charging. An inactive account can still sign in and look.',
  values: {
    ACTIVE: { value: 'ACTIVE', description: 'May start charging.' },
    INACTIVE: {
      value: 'INACTIVE',
      description: 'Signed in, read-only: starting a charge is refused ("Account inactive").',
    },
  } as const,
});

/** The caller itself, an operator, or an API key may see a person; never another driver. */
export function canSeeUser(userId: string, ctx: Context): boolean {
  const v = ctx.viewer;
  if (!v) return false;
  if (v.kind === 'apiKey') return true;
  return v.userId === userId || (v.role === 'admin' && v.impersonatorId === null);
}

/** A person with an account: a driver or an operator. */
export const UserRef = builder.prismaNode('User', {
  // node(id:) answers null for an id that names no row, instead of an internal error.
  nullable: true,
  id: { field: 'id' },
  description: 'A person with an account: a driver (`CUSTOMER`) or an operator (`ADMIN`).',
  runScopesOnType: true,
  authScopes: (user, ctx) => canSeeUser(user.id, ctx),
  fields: (t) => ({
    email: t.exposeString('email', { description: 'Sign-in email, lower-cased.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    role: t.expose('role', { type: UserRoleEnum, description: 'Operator or driver.' }),
    status: t.expose('status', {
      type: AccountStatusEnum,
      description: 'Whether the person may start charging.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the account was created.' }),
    authUserId: t.exposeString('id', {
      authScopes: { admin: true },
      description:
        'The id the auth server (better-auth) knows this person by, for its admin calls such as "view as driver" (`POST /api/auth/admin/impersonate-user`). Operators only.',
    }),
  }),
});
