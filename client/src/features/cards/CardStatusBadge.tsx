import { Badge } from '../../ui/Badge.tsx';

const tones = { PENDING: 'warning', ACTIVE: 'success', DISABLED: 'neutral' } as const;
const labels = { PENDING: 'Pending', ACTIVE: 'Active', DISABLED: 'Disabled' } as const;

export function CardStatusBadge({ status }: { status: 'PENDING' | 'ACTIVE' | 'DISABLED' }) {
  return (
    <Badge tone={tones[status]} dot>
      <span data-testid="card-status">{labels[status]}</span>
    </Badge>
  );
}
