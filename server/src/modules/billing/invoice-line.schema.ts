/**
 * `ChargingSession.invoiceLine`: where a session stands on its Lago invoice. Lago bills one kWh fee
 * per billing period (not per session), so this is the fee line of the invoice of the session's
 * period, next to which the page shows the session's own kWh and cost. Only the session detail
 * page selects it (one Lago lookup, cached): lists must not, or every row would ask Lago.
 */
import type { PeriodInvoice } from '../../integrations/lago/port.ts';
import { minorDigits, minorToDecimal, type Cost } from '../../integrations/lago/tariff.ts';
import { builder } from '../../schema/builder.ts';
import { ChargingSessionRef } from '../sessions/sessions.schema.ts';
import { calendarPeriod, invoiceCache, type InvoiceLookup } from './invoice-lines.ts';
import { MoneyRef } from './tariff.schema.ts';
import { tariffs } from './tariffs.ts';

interface InvoiceLine {
  lookup: InvoiceLookup;
  period: { from: Date; to: Date };
}

const InvoiceLineStateEnum = builder.enumType('InvoiceLineState', {
  description: 'Whether Lago has invoiced the billing period of a session.',
  values: {
    INVOICED: { value: 'invoiced', description: 'The period’s invoice exists; see `invoice`.' },
    NOT_INVOICED: {
      value: 'not_invoiced',
      description: 'Not invoiced yet: the session is billed with its period’s invoice once the period ends.',
    },
    UNAVAILABLE: { value: 'unavailable', description: 'Lago could not be asked right now.' },
  } as const,
});

const InvoiceStatusEnum = builder.enumType('InvoiceStatus', {
  description: 'An invoice as a driver understands it (Lago’s status and payment_status).',
  values: {
    DRAFT: { value: 'draft', description: 'Lago may still change it (grace period).' },
    FINALIZED: { value: 'finalized', description: 'Issued, not paid yet (or the payment failed).' },
    PAID: { value: 'paid', description: 'Lago’s payment_status is succeeded.' },
  } as const,
});

function money(cents: number, currency: string): Cost {
  const minor = BigInt(cents);
  return { minor, amount: minorToDecimal(minor, minorDigits(currency)), currency };
}

const SessionInvoiceRef = builder.objectRef<PeriodInvoice>('SessionInvoice').implement({
  description: 'The Lago invoice of a session’s billing period.',
  fields: (t) => ({
    number: t.exposeString('number', { description: 'The invoice number Lago printed.' }),
    issuingDate: t.exposeString('issuingDate', { description: 'Issuing date, YYYY-MM-DD.' }),
    status: t.field({
      type: InvoiceStatusEnum,
      description: 'Draft, finalized or paid.',
      resolve: (i) =>
        i.paymentStatus === 'succeeded' ? 'paid' : i.status === 'draft' ? 'draft' : 'finalized',
    }),
    periodFrom: t.field({
      type: 'DateTime',
      description: 'Start of the billed period.',
      resolve: (i) => i.periodFrom,
    }),
    periodTo: t.field({
      type: 'DateTime',
      description: 'End of the billed period.',
      resolve: (i) => i.periodTo,
    }),
    kwhUnits: t.string({
      nullable: true,
      description: 'kWh on the invoice’s energy fee line (all sessions of the period; decimal string).',
      resolve: (i) => i.kwhFee?.units ?? null,
    }),
    kwhAmount: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'The energy fee line’s amount before tax; null when the invoice has no kWh fee.',
      resolve: (i) => (i.kwhFee ? money(i.kwhFee.amountCents, i.kwhFee.currency) : null),
    }),
    total: t.field({
      type: MoneyRef,
      description: 'The whole invoice, taxes included.',
      resolve: (i) => money(i.totalAmountCents, i.currency),
    }),
  }),
});

const SessionInvoiceLineRef = builder.objectRef<InvoiceLine>('SessionInvoiceLine').implement({
  description: 'Where a session stands on its Lago invoice.',
  fields: (t) => ({
    state: t.field({
      type: InvoiceLineStateEnum,
      description: 'Invoiced, not yet, or unknown now.',
      resolve: (l) => l.lookup.state,
    }),
    periodFrom: t.field({
      type: 'DateTime',
      description: 'Start of the billing period the session is billed with.',
      resolve: (l) => (l.lookup.state === 'invoiced' ? l.lookup.invoice.periodFrom : l.period.from),
    }),
    periodTo: t.field({
      type: 'DateTime',
      description: 'End of that billing period.',
      resolve: (l) => (l.lookup.state === 'invoiced' ? l.lookup.invoice.periodTo : l.period.to),
    }),
    invoice: t.field({
      type: SessionInvoiceRef,
      nullable: true,
      description: 'The invoice; null unless INVOICED.',
      resolve: (l) => (l.lookup.state === 'invoiced' ? l.lookup.invoice : null),
    }),
  }),
});

builder.prismaObjectFields(ChargingSessionRef, (t) => ({
  invoiceLine: t.field({
    type: SessionInvoiceLineRef,
    nullable: true,
    description:
      'The Lago invoice of the session’s billing period (one kWh fee per period, not per session). Null when the session has no billing customer. Asks Lago (cached briefly): select it for one session, never in lists. Visible to the session’s driver, operators and API keys with the `billing` scope.',
    select: {
      id: true,
      driverId: true,
      stoppedAt: true,
      card: { select: { customer: { select: { externalId: true } } } },
    },
    authScopes: (s, _args, ctx) =>
      ctx.viewer?.kind === 'user' && s.driverId !== null && ctx.viewer.userId === s.driverId
        ? true
        : { $any: { admin: true, keyScope: 'billing' } },
    resolve: async (s, _args, ctx) => {
      const customer = s.card?.customer?.externalId ?? null;
      if (!customer) return null;
      const at = s.stoppedAt ?? ctx.services.sync.engine.now();
      const tariff = await tariffs(ctx.services).get(customer);
      const period = calendarPeriod(tariff?.interval ?? 'monthly', at);
      // A running session is billed with an open period: nothing to ask Lago.
      const lookup: InvoiceLookup = s.stoppedAt
        ? await invoiceCache(ctx.services).get(customer, period.from.toISOString(), at)
        : { state: 'not_invoiced' };
      return { lookup, period };
    },
  }),
}));
