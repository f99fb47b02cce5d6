import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import type uPlot from 'uplot';
import { pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { Stat } from '../../ui/Stat.tsx';
import { UPlotChart, type UPlotChartOptions } from '../../ui/UPlotChart.tsx';
import { formatDateTime, formatDuration, formatKw, formatKwh } from '../../ui/format.ts';
import { BillingCard } from './BillingCard.tsx';
import { formatMoney, PRICE_UNAVAILABLE_TEXT } from './Price.tsx';
import './driver-dashboard.css';

const DriverSessionQuery = graphql(/* GraphQL */ `
  query DriverSession($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on ChargingSession {
        status
        startedAt
        stoppedAt
        energyKwh
        durationSeconds
        stopReason
        cost {
          amount
          currency
        }
        invoiceLine {
          state
          periodFrom
          periodTo
          invoice {
            number
            status
            kwhUnits
            kwhAmount {
              amount
              currency
            }
          }
        }
        charger {
          id
          name
          chargeBoxId
        }
        card {
          publicId
        }
        curve {
          at
          energyKwh
          powerKw
        }
      }
    }
  }
`);

const CHART_OPTIONS: UPlotChartOptions = {
  scales: { x: { time: true }, kw: { auto: true }, kwh: { auto: true } },
  series: [
    {},
    { label: 'Power (kW)', scale: 'kw', stroke: '#2563eb', width: 2, spanGaps: true },
    { label: 'Energy (kWh)', scale: 'kwh', stroke: '#16a34a', width: 2, spanGaps: true },
  ],
  axes: [{}, { scale: 'kw', label: 'kW' }, { scale: 'kwh', label: 'kWh', side: 1, grid: { show: false } }],
};

/** `/sessions/:sessionId`: one of the driver's sessions — figures, cost and its power/energy curve. */
export function DriverSessionPage() {
  const { sessionId = '' } = useParams();
  const [result, reexecute] = useQuery({ query: DriverSessionQuery, variables: { id: sessionId } });
  const node = result.data?.node;
  const session = node?.__typename === 'ChargingSession' ? node : null;
  const data = useMemo<uPlot.AlignedData>(() => {
    const curve = session?.curve ?? [];
    return [
      curve.map((p) => new Date(p.at).getTime() / 1000),
      curve.map((p) => p.powerKw),
      curve.map((p) => p.energyKwh),
    ];
  }, [session]);
  const peakKw = Math.max(0, ...(session?.curve ?? []).map((p) => p.powerKw ?? 0));

  return (
    <>
      <PageHeader
        title={session ? `Session at ${session.charger.name}` : 'Session'}
        documentTitle={pageTitle('Session')}
        subtitle={session ? formatDateTime(session.startedAt) : undefined}
      />
      <p>
        <Link to={paths.driverDashboard}>← Back to your dashboard</Link>
      </p>
      {result.error && !result.data && (
        <ErrorMessage
          title="Could not load the session"
          onRetry={() => reexecute({ requestPolicy: 'network-only' })}
        >
          {result.error.networkError ? 'The server could not be reached.' : result.error.message}
        </ErrorMessage>
      )}
      {!result.data && result.fetching && <Spinner block label="Loading the session…" />}
      {result.data && !session && (
        <EmptyState title="No such session">This session does not exist or is not yours.</EmptyState>
      )}
      {session && (
        <div className="app-grid">
          <Card title="Summary">
            <div className="dd-session-stats" data-testid="session-summary">
              <Stat label="Energy" value={`${formatKwh(session.energyKwh)} kWh`} />
              <Stat label="Duration" value={formatDuration(session.durationSeconds * 1000)} />
              <Stat
                label={session.status === 'ACTIVE' ? 'Cost so far' : 'Cost'}
                value={
                  <span data-testid="session-detail-cost">
                    {session.cost
                      ? formatMoney(session.cost.amount, session.cost.currency)
                      : PRICE_UNAVAILABLE_TEXT}
                  </span>
                }
              />
              <Stat label="Peak power" value={`${formatKw(peakKw)} kW`} />
            </div>
            <p className="app-muted">
              Charger {session.charger.name}
              {session.charger.name !== session.charger.chargeBoxId && ` (${session.charger.chargeBoxId})`}
              {session.card && ` · card ${session.card.publicId}`}
              {session.stoppedAt && ` · ended ${formatDateTime(session.stoppedAt)}`}
              {session.stopReason && ` (${session.stopReason})`}
            </p>
            <p className="app-muted">Costs exclude tax; your invoice from billing is what you pay.</p>
          </Card>
          <Card title="Power and energy">
            {session.curve.length < 2 ? (
              <EmptyState title="Not enough readings yet" compact>
                The curve appears once the charger has sent a few meter readings.
              </EmptyState>
            ) : (
              <div data-testid="session-chart">
                <UPlotChart
                  options={CHART_OPTIONS}
                  data={data}
                  label={`Power and energy of the session at ${session.charger.name}`}
                  summary={`Peak ${formatKw(peakKw)} kW, ${formatKwh(session.energyKwh)} kWh over ${formatDuration(session.durationSeconds * 1000)}.`}
                />
              </div>
            )}
          </Card>
          <BillingCard
            line={session.invoiceLine ?? null}
            energyKwh={session.energyKwh}
            cost={session.cost ?? null}
          />
        </div>
      )}
    </>
  );
}
