import { Repeater } from 'graphql-yoga';
import type { Context } from '../../types.ts';
import { sharedPerEvent } from '../../lib/event-memo.ts';
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
    connectorNumber: t.exposeInt('connectorNumber', {
      nullable: true,
      description: 'For an alert about a connector (e.g. a fault): which one of the charger.',
    }),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description: 'The OCPP error code a fault alert reports; null when the station gave none.',
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
    totalCount: (_connection, args, ctx) =>
      ctx.services.db.alert.count({ where: args.unreadOnly ? { readAt: null } : {} }),
    resolve: (query, _root, args, ctx) =>
      ctx.services.db.alert.findMany({
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
    resolve: (_root, _args, ctx) => ctx.services.db.alert.count({ where: { readAt: null } }),
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
      const alert = await ctx.services.db.alert.findUnique({
        where: { id: args.id.id },
        select: { id: true, readAt: true },
      });
      if (!alert) return null;
      if (!alert.readAt) {
        const readAt = new Date();
        await ctx.services.db.$transaction(async (tx) => {
          await tx.alert.update({ where: { id: alert.id }, data: { readAt } });
          await recordAudit(tx, {
            actor: ctx.viewer,
            action: 'alert.read',
            subjectType: 'Alert',
            subjectId: alert.id,
            after: { readAt },
          });
        });
        ctx.services.pubsub.publish('alerts:changed', { at: new Date().toISOString() });
      }
      return ctx.services.db.alert.findUniqueOrThrow({ ...query, where: { id: alert.id } });
    },
  }),
);

/**
 * The unread count now, then again each time it changes. Re-counted (one COUNT, shared by every
 * subscriber of the same event) on `alerts:changed`, published wherever alerts are raised or read
 * (operators, the billing outbox, and the sync engine after a segment that wrote any).
 */
function unreadCountUpdates(ctx: Context): AsyncIterable<number> {
  const count = () => ctx.services.db.alert.count({ where: { readAt: null } });
  return new Repeater<number>(async (push, stop) => {
    // Listening starts synchronously here, before the first count: no change can fall in between.
    const sources = [
      ctx.services.pubsub.subscribe('alerts:changed')[Symbol.asyncIterator](),
    ] as AsyncIterator<object>[];
    let last: number | undefined;
    let queue = Promise.resolve();
    const refresh = (event: object | null) => {
      queue = queue
        .then(async () => {
          const n = event ? await sharedPerEvent(event, ['unreadAlertCount'], count) : await count();
          if (n !== last) {
            last = n;
            await push(n);
          }
        })
        .catch((error: unknown) => stop(error));
    };
    for (const source of sources) {
      void (async () => {
        for (let next = await source.next(); !next.done; next = await source.next()) refresh(next.value);
      })().catch((error: unknown) => stop(error));
    }
    refresh(null);
    await stop;
    await Promise.all(sources.map((source) => source.return?.()));
  });
}

builder.subscriptionField('unreadAlertCount', (t) =>
  t.int({
    description:
      'How many alerts nobody has read yet: sent at once, then every time it changes (an alert raised or marked read). Operators only.',
    authScopes: { admin: true },
    subscribe: (_root, _args, ctx) => unreadCountUpdates(ctx),
    resolve: (count: number) => count,
  }),
);
