import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import { builder } from '../../schema/builder.ts';
import { recordAudit } from '../audit/audit.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { ErrorInterface } from '../../schema/errors.ts';

/** Returned when the deployment bills through a real Lago: there is no sandbox to break. */
export class SandboxNotInUseError extends DomainError {
  readonly code = 'SANDBOX_NOT_IN_USE';
  constructor() {
    super('This deployment uses a real Lago (LAGO_URL is set); the sandbox fault switch is not available.');
  }
}

export interface LagoSandboxStatus {
  down: boolean;
  pendingEvents: number;
}

builder.objectType(SandboxNotInUseError, {
  name: 'SandboxNotInUseError',
  interfaces: [ErrorInterface],
  description: 'The embedded Lago sandbox is not in use (a real Lago is configured).',
  authScopes: { admin: true },
});

const LagoSandboxStatusRef = builder.objectRef<LagoSandboxStatus>('LagoSandboxStatus').implement({
  description: 'The embedded Lago sandbox’s network fault switch and the usage events waiting for it.',
  authScopes: { admin: true },
  fields: (t) => ({
    down: t.exposeBoolean('down', {
      description: 'True while every call to the sandbox fails like an unreachable server.',
      authScopes: { admin: true },
    }),
    pendingEvents: t.exposeInt('pendingEvents', {
      description: 'Usage events not yet accepted by Lago (PENDING in the outbox).',
      authScopes: { admin: true },
    }),
  }),
});

builder.mutationField('setLagoSandboxFault', (t) =>
  t.field({
    type: LagoSandboxStatusRef,
    description:
      "Turns the embedded Lago sandbox's network fault on (`down: true`: every Lago call fails like an unreachable server, so finished sessions stay queued in the outbox) or off (`down: false`: queued events become due at once and are delivered, each exactly once). For demos and rehearsals; only while the sandbox is in use (no LAGO_URL). Operators only; audited.",
    authScopes: { admin: true },
    errors: { types: [SandboxNotInUseError] },
    args: {
      down: t.arg.boolean({
        required: true,
        description: 'True to cut the sandbox off, false to restore it.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const lago = ctx.services.lago;
      if (!(lago instanceof LagoSandbox)) throw new SandboxNotInUseError();
      const before = { down: lago.fault?.down === true };
      const { down: _previous, ...otherFaults } = lago.fault ?? {};
      lago.setFault(args.down ? { ...otherFaults, down: true } : otherFaults);
      if (!args.down) {
        // Events that backed off during the outage are due now rather than after their backoff.
        await ctx.services.db.billingEvent.updateMany({
          where: { status: 'PENDING', attempts: { gt: 0 }, lastError: { not: null } },
          data: { nextAttemptAt: new Date() },
        });
        ctx.services.billing.kick();
      }
      await recordAudit(ctx.services.db, {
        actor: ctx.viewer,
        action: 'lago.sandbox_fault_set',
        subjectType: 'LagoSandbox',
        subjectId: 'sandbox',
        before,
        after: { down: args.down },
      });
      const pendingEvents = await ctx.services.db.billingEvent.count({ where: { status: 'PENDING' } });
      return { down: args.down, pendingEvents };
    },
  }),
);

builder.queryField('lagoSandboxStatus', (t) =>
  t.field({
    type: LagoSandboxStatusRef,
    nullable: true,
    description:
      'The embedded Lago sandbox’s fault switch and the usage events waiting (the demo panel re-reads it with the Health card); null with a real Lago. Operators only.',
    authScopes: { admin: true },
    resolve: async (_root, _args, ctx) => {
      const lago = ctx.services.lago;
      if (!(lago instanceof LagoSandbox)) return null;
      const pendingEvents = await ctx.services.db.billingEvent.count({ where: { status: 'PENDING' } });
      return { down: lago.fault?.down === true, pendingEvents };
    },
  }),
);
