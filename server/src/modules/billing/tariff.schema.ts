/**
 * Prices for drivers: `tariff` (the price per kWh of the plan the driver's start card is billed
 * under, before a start) and `ChargingSession.cost` (what a session's energy costs under the same
 * tariff). Amounts are exact decimals and integer minor units, never floats. Both are null when
 * Lago cannot be read: the dashboard then says "price unavailable" and starts still work.
 */
import {
  costOf,
  decimalText,
  minorDigits,
  type Cost,
  type Tariff,
  type TariffTier,
} from '../../integrations/lago/tariff.ts';
import { builder } from '../../schema/builder.ts';
import { pickStartCard } from '../charging/charging.service.ts';
import { ChargingSessionRef, viewerUserId } from '../sessions/sessions.schema.ts';
import { kwhBeforeInPeriod } from './period-usage.ts';
import { tariffs } from './tariffs.ts';

export const MoneyRef = builder.objectRef<Cost>('Money').implement({
  description: 'An amount of money: exact, in the currency’s minor units and as a decimal string.',
  fields: (t) => ({
    amountMinor: t.int({
      description: 'Integer minor units of the currency (cents for EUR).',
      resolve: (m) => Number(m.minor),
    }),
    amount: t.exposeString('amount', {
      description: 'The amount as a decimal string with the currency’s minor digits, e.g. "4.27".',
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 currency code.' }),
  }),
});

const TariffModelEnum = builder.enumType('TariffModel', {
  description: 'How the plan prices kWh.',
  values: {
    STANDARD: { value: 'standard', description: 'One price for every kWh.' },
    GRADUATED: {
      value: 'graduated',
      description: 'Tiers: each tier’s kWh at its own price, plus its flat fee once reached.',
    },
  } as const,
});

const TariffTierRef = builder.objectRef<TariffTier>('TariffTier').implement({
  description: 'One tier of a tariff; prices exclude tax.',
  fields: (t) => ({
    fromKwh: t.string({
      description: 'kWh above which the tier applies (decimal string).',
      resolve: (tier) => decimalText(tier.fromKwh),
    }),
    toKwh: t.string({
      nullable: true,
      description: 'kWh up to which it applies; null for the last, open-ended tier.',
      resolve: (tier) => (tier.toKwh === null ? null : decimalText(tier.toKwh)),
    }),
    unitPrice: t.string({
      description: 'Price per kWh as a decimal string, e.g. "0.35".',
      resolve: (tier) => decimalText(tier.unitPrice),
    }),
    flatFee: t.string({
      description: 'Charged once when energy reaches the tier (decimal string; "0" when none).',
      resolve: (tier) => decimalText(tier.flatFee),
    }),
  }),
});

const TariffRef = builder.objectRef<Tariff>('Tariff').implement({
  description: 'The price per kWh of a Lago plan (the charge on the kWh billable metric).',
  fields: (t) => ({
    currency: t.exposeString('currency', { description: 'ISO 4217 currency code.' }),
    currencyDigits: t.int({
      description: 'Digits of the currency’s minor unit (2 for EUR).',
      resolve: (tariff) => minorDigits(tariff.currency),
    }),
    model: t.field({ type: TariffModelEnum, description: 'Standard or graduated.', resolve: (x) => x.model }),
    tiers: t.field({
      type: [TariffTierRef],
      description: 'Lowest tier first; a standard plan has one.',
      resolve: (x) => x.tiers,
    }),
  }),
});

builder.queryField('tariff', (t) =>
  t.field({
    type: TariffRef,
    nullable: true,
    description:
      'What charging costs the viewer: the plan of the billing customer of the card a start uses (the default plan when the card has no customer yet). Null when Lago cannot be read ("price unavailable"); starting still works.',
    authScopes: { driver: true },
    resolve: async (_root, _args, ctx) => {
      const card = await pickStartCard(ctx.services.db, viewerUserId(ctx));
      const customer = card?.customerId
        ? await ctx.services.db.customer.findUnique({
            where: { id: card.customerId },
            select: { externalId: true },
          })
        : null;
      return tariffs(ctx.services).get(customer?.externalId ?? null);
    },
  }),
);

builder.prismaObjectFields(ChargingSessionRef, (t) => ({
  cost: t.field({
    type: MoneyRef,
    nullable: true,
    description:
      'What the session’s energy costs (so far, while active) under its billing customer’s tariff; excludes tax. On a graduated plan the tiers count the kWh of the whole billing period as Lago does: the session pays what it adds on top of the customer’s sessions that ended before it in that period. Null when the tariff cannot be read.',
    select: { id: true, energyKwh: true, card: { select: { customer: { select: { externalId: true } } } } },
    resolve: async (s, _args, ctx) => {
      const customer = s.card?.customer?.externalId ?? null;
      const tariff = await tariffs(ctx.services).get(customer);
      if (!tariff) return null;
      const before =
        tariff.model === 'graduated' && customer ? await kwhBeforeInPeriod(ctx, s.id, tariff.interval) : '0';
      return costOf(tariff, s.energyKwh, before);
    },
  }),
}));
