import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';

export const Price_TariffFragment = graphql(/* GraphQL */ `
  fragment Price_Tariff on Tariff {
    currency
    model
    tiers {
      toKwh
      unitPrice
      flatFee
    }
  }
`);

/** The words for a tariff Polaris could not read from billing. */
export const PRICE_UNAVAILABLE_TEXT = 'Price unavailable';

/** "€4.27": a decimal string formatted exactly (no float on the way). */
export function formatMoney(amount: string, currency: string, maximumFractionDigits?: number): string {
  const format = new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    ...(maximumFractionDigits === undefined ? {} : { maximumFractionDigits }),
  });
  // Intl formats numeric strings exactly (no binary rounding).
  return format.format(amount as Intl.StringNumericLiteral);
}

const kwhNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** A unit price: at least the currency's digits, up to 4 (e.g. "€0.3950"), trailing zeros kept short. */
function unitPrice(amount: string, currency: string): string {
  const digits = (amount.split('.')[1] ?? '').length;
  return formatMoney(amount, currency, Math.min(4, Math.max(2, digits)));
}

/** "€0.39 per kWh" or "€0.40 per kWh up to 10 kWh (+ €1.00), then €0.30 per kWh …". */
export function tariffText(tariff: {
  currency: string;
  tiers: readonly { toKwh?: string | null; unitPrice: string; flatFee: string }[];
}): string {
  const parts = tariff.tiers.map((tier, i) => {
    const price = `${unitPrice(tier.unitPrice, tariff.currency)} per kWh`;
    const flat = /^0*(\.0*)?$/.test(tier.flatFee) ? '' : ` (+ ${formatMoney(tier.flatFee, tariff.currency)})`;
    const upTo =
      tier.toKwh != null ? ` up to ${kwhNumber.format(tier.toKwh as Intl.StringNumericLiteral)} kWh` : '';
    return `${i === 0 ? '' : 'then '}${price}${upTo}${flat}`;
  });
  return parts.join(', ');
}

/** The price line of a card or the Pick charger dialog. */
export function PriceLine(props: { tariff: FragmentType<typeof Price_TariffFragment> | null | undefined }) {
  const tariff = useFragment(Price_TariffFragment, props.tariff);
  return (
    <span className="dd-price" data-testid="price">
      {tariff ? `${tariffText(tariff)}, excl. tax` : PRICE_UNAVAILABLE_TEXT}
    </span>
  );
}
