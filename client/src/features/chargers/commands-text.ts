/** Words the operator sees for commands and their outcomes (the charger workbench). */

export type CommandStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'NOT_SUPPORTED' | 'TIMED_OUT' | 'FAILED';

export const commandStatusLabels: Record<CommandStatus, string> = {
  PENDING: 'Pending',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  NOT_SUPPORTED: 'Not supported',
  TIMED_OUT: 'Timed out',
  FAILED: 'Failed',
};

export const commandStatusTones = {
  PENDING: 'info',
  ACCEPTED: 'success',
  REJECTED: 'warning',
  NOT_SUPPORTED: 'neutral',
  TIMED_OUT: 'warning',
  FAILED: 'danger',
} as const;

export type CommandKind =
  | 'RESET'
  | 'UNLOCK_CONNECTOR'
  | 'CHANGE_AVAILABILITY'
  | 'TRIGGER_MESSAGE'
  | 'CHANGE_CONFIGURATION'
  | 'SET_CHARGING_PROFILE'
  | 'CLEAR_CHARGING_PROFILE';

/** "Reset (soft)", "Unlock connector 2", "Make connector 1 unavailable", … */
export function describeCommand(c: {
  kind: CommandKind;
  connectorNumber: number | null;
  parameters: unknown;
}): string {
  const p = (c.parameters ?? {}) as Record<string, unknown>;
  const target = c.connectorNumber ? `connector ${c.connectorNumber}` : 'charger';
  switch (c.kind) {
    case 'RESET':
      return `Reset (${p.type === 'Hard' ? 'hard' : 'soft'})`;
    case 'UNLOCK_CONNECTOR':
      return `Unlock connector ${c.connectorNumber ?? ''}`.trim();
    case 'CHANGE_AVAILABILITY':
      return p.available === true ? `Make ${target} available` : `Make ${target} unavailable`;
    case 'TRIGGER_MESSAGE':
      return `Ask for ${String(p.message ?? 'a message')}${c.connectorNumber ? ` (connector ${c.connectorNumber})` : ''}`;
    case 'CHANGE_CONFIGURATION':
      return `Set ${String(p.key)} = ${String(p.value)}`;
    case 'SET_CHARGING_PROFILE':
      return `Apply charging profile ${String(p.chargingProfilePk)} to ${target}`;
    case 'CLEAR_CHARGING_PROFILE':
      return `Clear charging profile ${String(p.chargingProfilePk)}`;
  }
}

/** The outcome line: the charger's answer (e.g. "Scheduled: applies when the session ends"), or why not. */
export function describeOutcome(c: {
  status: CommandStatus;
  answer: string | null;
  reason: string | null;
}): string {
  if (c.status === 'PENDING') return 'Waiting for the charger (up to 30 s)…';
  if (c.answer === 'Scheduled') return 'Scheduled: applies when the running session ends.';
  if (c.answer === 'RebootRequired') return 'Accepted; takes effect after the charger reboots.';
  return [c.answer, c.reason].filter(Boolean).join(' — ') || commandStatusLabels[c.status];
}

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** Uptime share 0–1 as "99.5 %" in the reader's locale; a dash when nothing is known. */
export function formatUptime(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : percent.format(share);
}
