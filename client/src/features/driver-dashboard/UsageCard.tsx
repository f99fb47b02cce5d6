import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { Stat } from '../../ui/Stat.tsx';
import { formatKwh, plural } from '../../ui/format.ts';

export const UsageCard_UsageFragment = graphql(/* GraphQL */ `
  fragment UsageCard_Usage on DriverUsage {
    weekKwh
    weekSessions
    monthKwh
    monthSessions
    billingPeriod {
      from
      to
      kwh
      amountCents
      currency
    }
    billingAvailability
  }
`);

function money(cents: number, currency: string | null): string {
  if (!currency) return (cents / 100).toFixed(2);
  return (cents / 100).toLocaleString(undefined, { style: 'currency', currency });
}

/** Energy this week and month, and the open billing period when Lago knows the driver's card. */
export function UsageCard(props: {
  usage: FragmentType<typeof UsageCard_UsageFragment> | null;
  loading: boolean;
}) {
  const usage = useFragment(UsageCard_UsageFragment, props.usage);
  const period = usage?.billingPeriod;
  return (
    <Card title="Usage" subtitle="Your current usage">
      <div className="ui-stat-grid" data-testid="usage">
        <Stat
          label="This week"
          value={usage ? formatKwh(usage.weekKwh) : null}
          unit="kWh"
          hint={usage ? plural(usage.weekSessions, 'session') : undefined}
          loading={props.loading}
        />
        <Stat
          label="This month"
          value={usage ? formatKwh(usage.monthKwh) : null}
          unit="kWh"
          hint={usage ? plural(usage.monthSessions, 'session') : undefined}
          loading={props.loading}
        />
        {period && (
          <Stat
            label="Billing period"
            value={formatKwh(period.kwh)}
            unit="kWh"
            hint={`${new Date(period.from).toLocaleDateString()} – ${new Date(period.to).toLocaleDateString()} · ${money(period.amountCents, period.currency)}`}
          />
        )}
        {usage?.billingAvailability === 'UNAVAILABLE' && (
          <Stat
            label="Billing period"
            value={null}
            hint="Billing is temporarily unavailable. Your sessions are still recorded and billed once it is back."
            className="dd-billing-unavailable"
          />
        )}
      </div>
    </Card>
  );
}
