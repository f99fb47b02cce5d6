// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPeriod } from '../../ui/format.ts';
import { BILLING_UNAVAILABLE_TEXT, BillingCard } from './BillingCard.tsx';
import { formatMoney } from './Price.tsx';

const FEB = { periodFrom: '2026-02-01T00:00:00.000Z', periodTo: '2026-02-28T23:59:59.999Z' };
const billing = () => screen.getByTestId('session-billing').textContent ?? '';

describe('BillingCard on the session page', () => {
  afterEach(cleanup);

  it('shows the invoice number, period, status, the period’s kWh fee and this session’s share', () => {
    render(
      <BillingCard
        line={{
          state: 'INVOICED',
          ...FEB,
          invoice: {
            number: 'POL-1A2B-202602',
            status: 'PAID',
            kwhUnits: '15.5',
            kwhAmount: { amount: '6.20', currency: 'EUR' },
          },
        }}
        energyKwh={10}
        cost={{ amount: '4.00', currency: 'EUR' }}
      />,
    );
    const text = billing();
    expect(text).toContain('POL-1A2B-202602');
    expect(text).toContain(formatPeriod(FEB.periodFrom, FEB.periodTo));
    expect(formatPeriod(FEB.periodFrom, FEB.periodTo)).toMatch(/1.*28/); // UTC days, not the browser’s
    expect(text).toContain('Paid');
    expect(text).toContain(formatMoney('6.20', 'EUR'));
    expect(text).toContain('15.50 kWh');
    expect(text).toContain(`10.00 kWh · ${formatMoney('4.00', 'EUR')}`);
  });

  it('says when an uninvoiced session will be billed', () => {
    render(<BillingCard line={{ state: 'NOT_INVOICED', ...FEB, invoice: null }} energyKwh={4} cost={null} />);
    expect(billing()).toBe(`Not invoiced yet — billed with ${formatPeriod(FEB.periodFrom, FEB.periodTo)}.`);
  });

  it('says plainly when billing cannot be asked', () => {
    render(<BillingCard line={{ state: 'UNAVAILABLE', ...FEB, invoice: null }} energyKwh={4} cost={null} />);
    expect(billing()).toBe(BILLING_UNAVAILABLE_TEXT);
  });
});
