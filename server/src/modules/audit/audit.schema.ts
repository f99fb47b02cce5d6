import type { Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../../schema/builder.ts';
import { escapeLike } from '../../lib/input-limits.ts';

/** One operator action. There is deliberately no mutation that updates or deletes these. */
export const AuditEventRef = builder.prismaNode('AuditEvent', {
  // node(id:) answers null for an id that names no row, instead of an internal error.
  nullable: true,
  id: { field: 'id' },
  description: 'One recorded operator action. Append-only: the API has no way to change or remove it.',
  authScopes: { admin: true, apiKey: true },
  runScopesOnType: true,
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When it happened.' }),
    action: t.exposeString('action', { description: '`domain.verb`, e.g. `card.activated`.' }),
    actorId: t.exposeString('actorId', {
      nullable: true,
      description: 'User id, `apiKey:<id>`, or null for the system.',
    }),
    actorEmail: t.exposeString('actorEmail', { nullable: true, description: 'The acting person’s email.' }),
    impersonatorId: t.exposeString('impersonatorId', {
      nullable: true,
      description: 'The operator acting as that person, if any.',
    }),
    subjectType: t.exposeString('subjectType', { description: 'What was changed, e.g. `EvCard`.' }),
    subjectId: t.exposeString('subjectId', { description: 'Which one (for cards: the Public ID).' }),
    before: t.expose('before', { type: 'JSON', nullable: true, description: 'Relevant state before.' }),
    after: t.expose('after', { type: 'JSON', nullable: true, description: 'Relevant state after.' }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.prismaConnection({
    type: AuditEventRef,
    cursor: 'id',
    description: 'The audit log, newest first, filterable by subject (e.g. a card’s Public ID) and actor.',
    authScopes: { admin: true, apiKey: true },
    args: {
      subjectId: t.arg.string({
        required: false,
        description: 'Exact subject id, e.g. `EV-7KQ2MX` (case-insensitive).',
      }),
      actor: t.arg.string({ required: false, description: 'Part of the actor’s email, or their exact id.' }),
      action: t.arg.string({ required: false, description: 'Exact action, e.g. `card.activated`.' }),
    },
    totalCount: (_connection, args, ctx) => ctx.services.db.auditEvent.count({ where: auditWhere(args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.services.db.auditEvent.findMany({
        ...query,
        where: auditWhere(args),
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
      }),
  }),
);

/** The audit log filters, shared by the page and its total. */
export function auditWhere(args: {
  subjectId?: string | null | undefined;
  actor?: string | null | undefined;
  action?: string | null | undefined;
}): Prisma.AuditEventWhereInput {
  const subject = args.subjectId?.trim();
  const actor = args.actor?.trim();
  return {
    ...(subject ? { subjectId: { equals: subject, mode: 'insensitive' } } : {}),
    ...(actor
      ? { OR: [{ actorId: actor }, { actorEmail: { contains: escapeLike(actor), mode: 'insensitive' } }] }
      : {}),
    ...(args.action ? { action: args.action } : {}),
  };
}
