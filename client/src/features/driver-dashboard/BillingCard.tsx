import { Card } from '../../ui/Card.tsx';
import { Stat } from '../../ui/Stat.tsx';
import { formatKwh, formatPeriod } from '../../ui/format.ts';
import { formatMoney } from './Price.tsx';

export const BILLING_UNAVAILABLE_TEXT = 'Billing details are unavailable right now.';

const STATUS_TEXT = { DRAFT: 'Draft', FINALIZED: 'Finalized', PAID: 'Paid' } as const;

interface Money {
  amount: string;
  currency: string;
}

export interface BillingCardProps {
  line: {
    state: 'INVOICED' | 'NOT_INVOICED' | 'UNAVAILABLE';
    periodFrom: string;
    periodTo: string;
    invoice: {
      number: string;
      status: keyof typeof STATUS_TEXT;
      kwhUnits: string | null;
      kwhAmount: Money | null;
    } | null;
  } | null;
  /** This session's own figures (its share of the period's fee). */
  energyKwh: number;
  cost: Money | null;
}

/**
 * "Billing" on the session page: Lago invoices one kWh fee per billing period, so the card shows
 * that fee line of the period's invoice next to this session's share, or when it will be billed.
 */
export function BillingCard({ line, energyKwh, cost }: BillingCardProps) {
  const share = `${formatKwh(energyKwh)} kWh${cost ? ` · ${formatMoney(cost.amount, cost.currency)}` : ''}`;
  return (
    <Card title="Billing">
      <div data-testid="session-billing">
        {!line && <p className="app-muted">This session’s card has no billing account yet.</p>}
        {line?.state === 'UNAVAILABLE' && <p className="app-muted">{BILLING_UNAVAILABLE_TEXT}</p>}
        {line?.state === 'NOT_INVOICED' && (
          <p>Not invoiced yet — billed with {formatPeriod(line.periodFrom, line.periodTo)}.</p>
        )}
        {line?.state === 'INVOICED' && line.invoice && (
          <>
            <div className="dd-session-stats">
              <Stat label="Invoice" value={line.invoice.number} />
              <Stat label="Period" value={formatPeriod(line.periodFrom, line.periodTo)} />
              <Stat label="Status" value={STATUS_TEXT[line.invoice.status]} />
              <Stat
                label="Energy on the invoice"
                value={
                  line.invoice.kwhUnits === null
                    ? null
                    : `${formatKwh(Number(line.invoice.kwhUnits))} kWh${
                        line.invoice.kwhAmount
                          ? ` · ${formatMoney(line.invoice.kwhAmount.amount, line.invoice.kwhAmount.currency)}`
                          : ''
                      }`
                }
              />
              <Stat label="This session" value={share} />
            </div>
            <p className="app-muted">
              The invoice bills all sessions of the period as one energy line; this session is part of it.
            </p>
          </>
        )}
      </div>
    </Card>
  );
}
