import { DomainError } from '../../lib/domain-error.ts';

/** Expected refusals of an operator command: nothing was stored or sent. */

export class UnknownChargerError extends DomainError {
  readonly code = 'UNKNOWN_CHARGER';
  constructor() {
    super('No charger has this id.');
  }
}

export class ChargerGoneError extends DomainError {
  readonly code = 'CHARGER_GONE';
  constructor(chargeBoxId: string) {
    super(`Charger ${chargeBoxId} no longer exists in SteVe; nothing was sent.`);
  }
}

export class ConnectorOutOfRangeError extends DomainError {
  readonly code = 'CONNECTOR_OUT_OF_RANGE';
  constructor(connectorNumber: number, count: number) {
    super(
      count === 0
        ? `Connector ${connectorNumber} does not exist: this charger has reported no connectors yet.`
        : `Connector ${connectorNumber} does not exist: this charger has connectors 1–${count}.`,
    );
  }
}

export class InvalidCommandError extends DomainError {
  readonly code = 'INVALID_COMMAND';
  constructor(message: string) {
    super(message);
  }
}
