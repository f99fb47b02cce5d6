import { builder } from '../../schema/builder.ts';
import {
  billingHealth,
  retryFailedBillingEvents,
  type BillingHealth,
  type HealthWarning,
} from './billing.service.ts';

const READERS = { admin: true, apiKey: true } as const;

const AlertSeverityEnum = builder.enumType('BillingWarningSeverity', {
  description: 'How urgent a billing warning is.',
  values: {
    INFO: { description: 'Worth knowing; nothing is lost.' },
    WARNING: { description: 'Needs attention soon (e.g. usage not reaching Lago).' },
    CRITICAL: { description: 'Usage is not billed until someone acts.' },
  } as const,
});

const BillingWarningRef = builder.objectRef<HealthWarning>('BillingWarning').implement({
  description: 'One thing the Health card should show about billing.',
  authScopes: READERS,
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description: 'Stable kind, e.g. `billing.backlog`.',
      authScopes: READERS,
    }),
    severity: t.field({
      type: AlertSeverityEnum,
      description: 'How urgent it is.',
      authScopes: READERS,
      resolve: (w) => w.severity,
    }),
    message: t.exposeString('message', { description: 'For people.', authScopes: READERS }),
    count: t.exposeInt('count', { description: 'How many usage events it concerns.', authScopes: READERS }),
  }),
});

const BillingHealthRef = builder.objectRef<BillingHealth>('BillingHealth').implement({
  description: 'The state of the usage-event outbox (finished sessions on their way to Lago).',
  authScopes: READERS,
  fields: (t) => ({
    pending: t.exposeInt('pending', { description: 'Events not yet accepted by Lago.', authScopes: READERS }),
    oldestPendingAgeSeconds: t.int({
      nullable: true,
      description: 'Age of the oldest of them, in seconds.',
      authScopes: READERS,
      resolve: (h) => (h.oldestPendingAgeMs === null ? null : Math.floor(h.oldestPendingAgeMs / 1000)),
    }),
    waitingForCustomer: t.exposeInt('waitingForCustomer', {
      description: 'Finished sessions whose EV card has no Lago customer yet.',
      authScopes: READERS,
    }),
    failed: t.exposeInt('failed', { description: 'Events Lago rejected (see alerts).', authScopes: READERS }),
    delivered: t.exposeInt('delivered', { description: 'Events Lago accepted.', authScopes: READERS }),
    warnings: t.field({
      type: [BillingWarningRef],
      description: 'What needs attention (empty when all is well).',
      authScopes: READERS,
      resolve: (h) => h.warnings,
    }),
  }),
});

builder.queryField('billingHealth', (t) =>
  t.field({
    type: BillingHealthRef,
    description: 'Backlog, waiting and failed usage events. Operators and API keys.',
    authScopes: READERS,
    resolve: (_root, _args, ctx) =>
      billingHealth(ctx.services, { stuckAfterMs: ctx.services.config.BILLING_STUCK_AFTER_MINUTES * 60_000 }),
  }),
);

builder.mutationField('retryFailedBillingEvents', (t) =>
  t.int({
    description:
      'Queues usage events Lago rejected for another attempt (after fixing the cause in Lago). Returns how many.',
    authScopes: { admin: true },
    resolve: async (_root, _args, ctx) => {
      const count = await retryFailedBillingEvents(ctx.services.db);
      if (count > 0) ctx.services.billing.kick();
      return count;
    },
  }),
);
