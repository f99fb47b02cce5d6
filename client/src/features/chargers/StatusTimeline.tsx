import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { formatUptime } from './commands-text.ts';

interface Segment {
  connectorId: number;
  status: string;
  errorCode: string | null;
  from: string;
  to: string;
}

const DAY = 86_400_000;

/** Colour class per OCPP status: usable, busy, out of service, faulted. */
function tone(status: string): string {
  if (status === 'Faulted') return 'faulted';
  if (status === 'Unavailable') return 'unavailable';
  if (status === 'Available') return 'available';
  return 'busy';
}

/**
 * The last 7 days per connector as a bar of status stretches (from the status history the sync
 * records), with uptime for 7 and 30 days.
 */
export function StatusTimeline(props: {
  segments: Segment[];
  uptime: Array<{ connectorId: number; last7Days: number | null; last30Days: number | null }>;
  now: number;
}) {
  const start = props.now - 7 * DAY;
  const connectors = [
    ...new Set([...props.uptime.map((u) => u.connectorId), ...props.segments.map((s) => s.connectorId)]),
  ].sort((a, b) => a - b);
  return (
    <Card title="Status, last 7 days" subtitle="Green free, blue in use, amber out of service, red faulted.">
      {connectors.length === 0 ? (
        <EmptyState title="No status history yet" compact />
      ) : (
        <table className="admin-table status-timeline" aria-label="Status timeline">
          <thead>
            <tr>
              <th>#</th>
              <th>Last 7 days</th>
              <th className="num">Uptime 7 d</th>
              <th className="num">Uptime 30 d</th>
            </tr>
          </thead>
          <tbody>
            {connectors.map((connectorId) => {
              const u = props.uptime.find((x) => x.connectorId === connectorId);
              return (
                <tr key={connectorId}>
                  <td>{connectorId}</td>
                  <td>
                    <div
                      className="status-bar"
                      role="img"
                      aria-label={`Connector ${connectorId} status timeline`}
                    >
                      {props.segments
                        .filter((s) => s.connectorId === connectorId)
                        .map((s) => {
                          const from = Math.max(start, new Date(s.from).getTime());
                          const to = Math.min(props.now, new Date(s.to).getTime());
                          if (to <= from) return null;
                          return (
                            <span
                              key={s.from}
                              className={`status-bar__part status-bar__part--${tone(s.status)}`}
                              style={{
                                left: `${((from - start) / (7 * DAY)) * 100}%`,
                                width: `${((to - from) / (7 * DAY)) * 100}%`,
                              }}
                              title={`${s.status}${s.errorCode && s.errorCode !== 'NoError' ? ` (${s.errorCode})` : ''}: ${formatDateTime(s.from)} – ${formatDateTime(s.to)}`}
                            />
                          );
                        })}
                    </div>
                  </td>
                  <td className="num">{formatUptime(u?.last7Days)}</td>
                  <td className="num">{formatUptime(u?.last30Days)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}
