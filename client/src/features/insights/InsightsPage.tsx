import { useMemo, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import { useQuery } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { graphql } from '../../gql/gql.ts';
import type { EnergyBucket } from '../../gql/graphql.ts';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { formatCount, formatDuration, formatKwh, formatPercent, plural } from '../../ui/format.ts';
import { Spinner } from '../../ui/Spinner.tsx';
import { UPlotChart, type UPlotChartOptions } from '../../ui/UPlotChart.tsx';

const EnergyQuery = graphql(/* GraphQL */ `
  query InsightsEnergy($bucket: EnergyBucket!) {
    insightsEnergy(bucket: $bucket) {
      bucket
      kwh
      sessions
    }
  }
`);

const EnergyBySiteQuery = graphql(/* GraphQL */ `
  query InsightsEnergyBySite($bucket: EnergyBucket!) {
    insightsEnergyBySite(bucket: $bucket) {
      site
      others
      totalKwh
      points {
        bucket
        kwh
      }
    }
  }
`);

const UptimeQuery = graphql(/* GraphQL */ `
  query InsightsUptime($days: Int!) {
    insightsUptime(days: $days) {
      chargeBoxId
      name
      share
      downMinutes
      rank
    }
  }
`);

const HoursQuery = graphql(/* GraphQL */ `
  query InsightsSessionsByHour {
    insightsSessionsByHour(days: 30) {
      hour
      sessions
    }
  }
`);

const UtilisationQuery = graphql(/* GraphQL */ `
  query InsightsUtilisation($days: Int!) {
    insightsUtilisation(days: $days) {
      chargeBoxId
      name
      share
      rank
    }
  }
`);

const SyncRunsQuery = graphql(/* GraphQL */ `
  query InsightsSyncRuns {
    insightsSyncRuns {
      bucket
      runs
      failed
      meanDurationMs
      maxDurationMs
      changes
    }
  }
`);

const BillingQuery = graphql(/* GraphQL */ `
  query InsightsBilling {
    insightsBilling {
      day
      sent
      waiting
      refused
    }
  }
`);

const COLORS = { accent: '#0f766e', second: '#d97706', danger: '#dc2626', muted: '#64748b' };
/** One colour per site series (the largest six, no site, the other sites). */
const SITE_COLORS = ['#0f766e', '#d97706', '#2563eb', '#9333ea', '#db2777', '#65a30d', '#64748b', '#94a3b8'];
const seconds = (iso: string) => Date.parse(iso) / 1000;
const bars = uPlot.paths.bars!({ size: [0.7, 40] });

/** Loading / error around a chart's body. */
function Loaded<T>({
  result,
  children,
}: {
  result: { data?: T; error?: { message: string } };
  children: (data: T) => ReactNode;
}) {
  if (result.error) return <ErrorMessage compact>{result.error.message}</ErrorMessage>;
  if (!result.data) return <Spinner block label="Loading…" />;
  return <>{children(result.data)}</>;
}

function Toggle<T extends string | number>({
  value,
  options,
  onChange,
  label,
}: {
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  label: string;
}) {
  return (
    <div className="insights-toggle" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          className="insights-toggle__option"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

type EnergyView = 'TOTAL' | 'SITE';

function EnergyChart() {
  const [bucket, setBucket] = useState<EnergyBucket>('DAY');
  const [view, setView] = useState<EnergyView>('TOTAL');
  const [result] = useQuery({ query: EnergyQuery, variables: { bucket }, pause: view !== 'TOTAL' });
  const options = useMemo<UPlotChartOptions>(
    () => ({
      series: [
        {},
        {
          label: 'kWh',
          stroke: COLORS.accent,
          fill: `${COLORS.accent}55`,
          paths: bars,
          points: { show: false },
        },
      ],
      axes: [{}, { label: 'kWh' }],
      legend: { show: false },
    }),
    [],
  );
  const points = result.data?.insightsEnergy;
  const data = useMemo<uPlot.AlignedData>(
    () => [points?.map((p) => seconds(p.bucket)) ?? [], points?.map((p) => p.kwh) ?? []],
    [points],
  );
  const total = points?.reduce((sum, p) => sum + p.kwh, 0) ?? 0;
  const sessions = points?.reduce((sum, p) => sum + p.sessions, 0) ?? 0;
  return (
    <Card
      title="Energy delivered"
      subtitle={bucket === 'DAY' ? 'Per day, last 30 days (UTC)' : 'Per week, last 26 weeks (UTC)'}
      actions={
        <div className="insights-actions">
          <Toggle
            label="Energy view"
            value={view}
            onChange={setView}
            options={[
              { value: 'TOTAL', label: 'Total' },
              { value: 'SITE', label: 'By site' },
            ]}
          />
          <Toggle
            label="Bucket"
            value={bucket}
            onChange={setBucket}
            options={[
              { value: 'DAY', label: '30 days' },
              { value: 'WEEK', label: '6 months' },
            ]}
          />
        </div>
      }
    >
      {view === 'SITE' ? (
        <EnergyBySite bucket={bucket} />
      ) : (
        <Loaded result={result}>
          {() => (
            <>
              <p className="app-muted" data-testid="insights-energy-total">
                {formatKwh(total)} kWh in {plural(sessions, 'session')}
              </p>
              <UPlotChart
                options={options}
                data={data}
                label={`Energy delivered per ${bucket === 'DAY' ? 'day' : 'week'}`}
                summary={`${formatKwh(total)} kWh over ${plural(points?.length ?? 0, bucket === 'DAY' ? 'day' : 'week')}.`}
              />
            </>
          )}
        </Loaded>
      )}
    </Card>
  );
}

const siteLabel = (s: { site: string | null; others: boolean }) =>
  s.others ? 'Other sites' : (s.site ?? 'No site');

/** Energy per day or week, one line per site (the largest sites; the rest summed). */
function EnergyBySite({ bucket }: { bucket: EnergyBucket }) {
  const [result] = useQuery({ query: EnergyBySiteQuery, variables: { bucket } });
  const series = result.data?.insightsEnergyBySite;
  const options = useMemo<UPlotChartOptions>(
    () => ({
      series: [
        {},
        ...(series ?? []).map((s, i) => ({
          label: siteLabel(s),
          stroke: SITE_COLORS[i % SITE_COLORS.length],
          width: 2,
          points: { show: false },
        })),
      ],
      axes: [{}, { label: 'kWh' }],
    }),
    [series],
  );
  const data = useMemo<uPlot.AlignedData>(
    () => [
      series?.[0]?.points.map((p) => seconds(p.bucket)) ?? [],
      ...(series ?? []).map((s) => s.points.map((p) => p.kwh)),
    ],
    [series],
  );
  return (
    <Loaded result={result}>
      {() =>
        series && series.length > 0 ? (
          <>
            <ul className="insights-legend" data-testid="insights-energy-sites">
              {series.map((s, i) => (
                <li key={`${s.site ?? ''}:${s.others}`} data-site={siteLabel(s)}>
                  <span
                    className="insights-legend__swatch"
                    style={{ background: SITE_COLORS[i % SITE_COLORS.length] }}
                    aria-hidden="true"
                  />
                  {siteLabel(s)} <span className="app-muted">{formatKwh(s.totalKwh)} kWh</span>
                </li>
              ))}
            </ul>
            <UPlotChart
              key={series.length}
              options={options}
              data={data}
              label={`Energy delivered per ${bucket === 'DAY' ? 'day' : 'week'} by site`}
              summary={series.map((s) => `${siteLabel(s)}: ${formatKwh(s.totalKwh)} kWh`).join('; ') + '.'}
            />
          </>
        ) : (
          <p className="app-muted">No energy delivered in this range.</p>
        )
      }
    </Loaded>
  );
}

function HoursChart() {
  const [result] = useQuery({ query: HoursQuery });
  const options = useMemo<UPlotChartOptions>(
    () => ({
      scales: { x: { time: false } },
      series: [
        { label: 'Hour (UTC)' },
        {
          label: 'Sessions',
          stroke: COLORS.second,
          fill: `${COLORS.second}55`,
          paths: bars,
          points: { show: false },
        },
      ],
      axes: [{ values: (_u, ticks) => ticks.map((t) => `${t}h`) }, { label: 'Sessions' }],
      legend: { show: false },
    }),
    [],
  );
  const hours = result.data?.insightsSessionsByHour;
  const data = useMemo<uPlot.AlignedData>(
    () => [hours?.map((h) => h.hour) ?? [], hours?.map((h) => h.sessions) ?? []],
    [hours],
  );
  const busiest = hours?.reduce((best, h) => (h.sessions > best.sessions ? h : best), hours[0]!);
  return (
    <Card title="Sessions by hour of day" subtitle="Started in the last 30 days (UTC)">
      <Loaded result={result}>
        {() => (
          <UPlotChart
            options={options}
            data={data}
            label="Sessions by hour of day"
            summary={
              busiest && busiest.sessions > 0
                ? `Busiest hour ${busiest.hour}:00 UTC with ${plural(busiest.sessions, 'session')}.`
                : 'No sessions in the last 30 days.'
            }
          />
        )}
      </Loaded>
    </Card>
  );
}

interface Ranked {
  chargeBoxId: string;
  name?: string | null;
  share: number;
  rank: 'TOP' | 'BOTTOM';
}

/** The best and the worst chargers of a ranking, each as a bar of its share. */
function RankedBars(props: {
  items: readonly Ranked[];
  titles: { TOP: string; BOTTOM: string };
  testId: string;
  detail?: (item: Ranked) => string | null;
}) {
  return (
    <div className="insights-ranks">
      {(['TOP', 'BOTTOM'] as const).map((rank) => (
        <div key={rank}>
          <h3 className="insights-ranks__title">{props.titles[rank]}</h3>
          <ol className="insights-bars" data-testid={`${props.testId}-${rank.toLowerCase()}`}>
            {props.items
              .filter((u) => u.rank === rank)
              .map((u) => (
                <li key={u.chargeBoxId} className="insights-bar" data-charge-box-id={u.chargeBoxId}>
                  <span className="insights-bar__name" title={props.detail?.(u) ?? u.name ?? u.chargeBoxId}>
                    {u.name ?? u.chargeBoxId}
                  </span>
                  <span className="insights-bar__track" aria-hidden="true">
                    <span className="insights-bar__fill" style={{ width: `${Math.round(u.share * 100)}%` }} />
                  </span>
                  <span className="insights-bar__value">{formatPercent(u.share)}</span>
                </li>
              ))}
          </ol>
        </div>
      ))}
    </div>
  );
}

const WINDOWS = [
  { value: 7, label: '7 days' },
  { value: 30, label: '30 days' },
] as const;

function UtilisationList() {
  const [days, setDays] = useState(7);
  const [result] = useQuery({ query: UtilisationQuery, variables: { days } });
  return (
    <Card
      title="Utilisation per charger"
      subtitle={`Share of the last ${plural(days, 'day')} its connectors were in a session`}
      actions={<Toggle label="Window" value={days} onChange={setDays} options={WINDOWS} />}
    >
      <Loaded result={result}>
        {(d) => (
          <RankedBars
            items={d.insightsUtilisation}
            titles={{ TOP: 'Most used', BOTTOM: 'Least used' }}
            testId="utilisation"
          />
        )}
      </Loaded>
    </Card>
  );
}

function UptimeList() {
  const [days, setDays] = useState(7);
  const [result] = useQuery({ query: UptimeQuery, variables: { days } });
  return (
    <Card
      title="Uptime per charger"
      subtitle={`Share of the last ${plural(days, 'day')} its connectors were neither faulted nor out of service`}
      actions={<Toggle label="Uptime window" value={days} onChange={setDays} options={WINDOWS} />}
    >
      <Loaded result={result}>
        {(d) =>
          d.insightsUptime.length === 0 ? (
            <p className="app-muted">No status history in this window yet.</p>
          ) : (
            <RankedBars
              items={d.insightsUptime}
              titles={{ TOP: 'Most reliable', BOTTOM: 'Least reliable' }}
              testId="uptime"
              detail={(u) => {
                const down = d.insightsUptime.find((x) => x.chargeBoxId === u.chargeBoxId)?.downMinutes ?? 0;
                return `${u.name ?? u.chargeBoxId}: out of order ${formatDuration(down * 60_000)}`;
              }}
            />
          )
        }
      </Loaded>
    </Card>
  );
}

function SyncRunsChart() {
  const [result] = useQuery({ query: SyncRunsQuery });
  const options = useMemo<UPlotChartOptions>(
    () => ({
      scales: { ms: { auto: true }, n: { auto: true } },
      series: [
        {},
        { label: 'Mean duration (ms)', stroke: COLORS.accent, scale: 'ms', width: 2 },
        { label: 'Longest (ms)', stroke: COLORS.muted, scale: 'ms', dash: [4, 4] },
        { label: 'Changes', stroke: COLORS.second, scale: 'n', paths: bars, fill: `${COLORS.second}44` },
      ],
      axes: [
        {},
        { scale: 'ms', label: 'ms' },
        { scale: 'n', side: 1, label: 'changes', grid: { show: false } },
      ],
    }),
    [],
  );
  const buckets = result.data?.insightsSyncRuns;
  const data = useMemo<uPlot.AlignedData>(
    () => [
      buckets?.map((b) => seconds(b.bucket)) ?? [],
      buckets?.map((b) => (b.runs ? b.meanDurationMs : null)) ?? [],
      buckets?.map((b) => (b.runs ? b.maxDurationMs : null)) ?? [],
      buckets?.map((b) => b.changes) ?? [],
    ],
    [buckets],
  );
  const runs = buckets?.reduce((sum, b) => sum + b.runs, 0) ?? 0;
  const failed = buckets?.reduce((sum, b) => sum + b.failed, 0) ?? 0;
  const longest = buckets?.reduce((max, b) => Math.max(max, b.maxDurationMs), 0) ?? 0;
  return (
    <Card title="Sync runs" subtitle="Last 24 hours, per 15 minutes: duration and records changed">
      <Loaded result={result}>
        {() => (
          <>
            <p className="app-muted" data-testid="insights-sync-total">
              {plural(runs, 'run')}, {formatCount(failed)} failed; longest {formatDuration(longest)}
            </p>
            <UPlotChart
              options={options}
              data={data}
              label="Sync run duration and changes per 15 minutes"
              summary={`${plural(runs, 'run')} in the last day, ${formatCount(failed)} failed, longest ${formatDuration(longest)}.`}
            />
          </>
        )}
      </Loaded>
    </Card>
  );
}

function BillingChart() {
  const [result] = useQuery({ query: BillingQuery });
  const options = useMemo<UPlotChartOptions>(
    () => ({
      series: [
        {},
        { label: 'Sent', stroke: COLORS.accent, width: 2 },
        { label: 'Waiting', stroke: COLORS.second, width: 2 },
        { label: 'Refused', stroke: COLORS.danger, width: 2 },
      ],
      axes: [{}, { label: 'events' }],
    }),
    [],
  );
  const days = result.data?.insightsBilling;
  const data = useMemo<uPlot.AlignedData>(
    () => [
      days?.map((d) => seconds(d.day)) ?? [],
      days?.map((d) => d.sent) ?? [],
      days?.map((d) => d.waiting) ?? [],
      days?.map((d) => d.refused) ?? [],
    ],
    [days],
  );
  const sum = (key: 'sent' | 'waiting' | 'refused') => days?.reduce((n, d) => n + d[key], 0) ?? 0;
  return (
    <Card title="Billing" subtitle="Usage events to Lago per day, last 30 days">
      <Loaded result={result}>
        {() => (
          <>
            <p className="app-muted" data-testid="insights-billing-total">
              {formatCount(sum('sent'))} sent · {formatCount(sum('waiting'))} waiting ·{' '}
              {formatCount(sum('refused'))} refused
            </p>
            <UPlotChart
              options={options}
              data={data}
              label="Usage events sent, waiting and refused per day"
              summary={`${formatCount(sum('sent'))} sent, ${formatCount(sum('waiting'))} waiting, ${formatCount(sum('refused'))} refused in the last 30 days.`}
            />
          </>
        )}
      </Loaded>
    </Card>
  );
}

/** Charts where a person would rather look than read: each one query, aggregated in the database. */
export function InsightsPage() {
  return (
    <>
      <PageHeader
        title="Insights"
        documentTitle={pageTitle('Insights', CONSOLE_NAME)}
        subtitle="Energy (in total and by site), usage, utilisation, uptime, sync and billing over time."
      />
      <div className="insights-grid">
        <EnergyChart />
        <HoursChart />
        <UtilisationList />
        <UptimeList />
        <SyncRunsChart />
        <BillingChart />
      </div>
    </>
  );
}
