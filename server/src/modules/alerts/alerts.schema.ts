import { builder } from '../../schema/builder.ts';
import { recordAudit } from '../audit/audit.ts';

const READERS = { admin: true, apiKey: true } as const;

const AlertSeverityEnum = builder.enumType('AlertSeverity', {
  description: 'How urgent an alert is.',
  values: {
    INFO: { value: 'INFO', description: 'Worth knowing.' },
    WARNING: { value: 'WARNING', description: 'Needs attention soon.' },
    CRITICAL: { value: 'CRITICAL', description: 'Needs attention now.' },
  } as const,
});

/** Something the system noticed and wants an operator to read. */
export const AlertRef = builder.prismaNode('Alert', {
  // node(id:) answers null for an id that names no row, instead of an internal error.
  nullable: true,
  id: { field: 'id' },
  description:
    'A notice for operators (e.g. a tag blocked in SteVe, usage Lago rejected). Unread until marked read.',
  authScopes: READERS,
  runScopesOnType: true,
  fields: (t) => ({
    severity: t.expose('severity', { type: AlertSeverityEnum, description: 'How urgent.' }),
    kind: t.exposeString('kind', { description: 'Stable kind, e.g. `card.steveTagRefused`.' }),
    message: t.exposeString('message', { description: 'For people.' }),
    subjectType: t.exposeString('subjectType', {
      nullable: true,
      description: 'What it is about, e.g. `EvCard`.',
    }),
    subjectId: t.exposeString('subjectId', {
      nullable: true,
      description: 'Which one (a card’s Public ID, …).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was raised.' }),
    readAt: t.expose('readAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When an operator read it; null: unread.',
    }),
  }),
});

builder.queryField('alerts', (t) =>
  t.prismaConnection({
    type: AlertRef,
    cursor: 'id',
    description: 'Alerts, newest first.',
    authScopes: READERS,
    args: { unreadOnly: t.arg.boolean({ required: false, description: 'Only unread alerts.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.alert.findMany({
        ...query,
        where: args.unreadOnly ? { readAt: null } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

builder.queryField('unreadAlertCount', (t) =>
  t.int({
    description: 'How many alerts nobody has read yet (the header strip’s badge).',
    authScopes: READERS,
    resolve: (_root, _args, ctx) => ctx.db.alert.count({ where: { readAt: null } }),
  }),
);

builder.mutationField('markAlertRead', (t) =>
  t.prismaField({
    type: AlertRef,
    nullable: true,
    description: 'Marks an alert read (idempotent; audited the first time); null if there is no such alert.',
    authScopes: { admin: true },
    args: { id: t.arg.globalID({ required: true, description: 'The Alert id.' }) },
    resolve: async (query, _root, args, ctx) => {
      if (args.id.typename !== 'Alert') return null;
      const alert = await ctx.db.alert.findUnique({
        where: { id: args.id.id },
        select: { id: true, readAt: true },
      });
      if (!alert) return null;
      if (!alert.readAt) {
        const readAt = new Date();
        await ctx.db.$transaction(async (tx) => {
          await tx.alert.update({ where: { id: alert.id }, data: { readAt } });
          await recordAudit(tx, {
            actor: ctx.viewer,
            action: 'alert.read',
            subjectType: 'Alert',
            subjectId: alert.id,
            after: { readAt },
          });
        });
        ctx.pubsub.publish('alerts:changed', { at: new Date().toISOString() });
      }
      return ctx.db.alert.findUniqueOrThrow({ ...query, where: { id: alert.id } });
    },
  }),
);
