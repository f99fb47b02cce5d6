import { DomainError } from '../../lib/domain-error.ts';
/**
 * Expected failures of starting and stopping a charge. The messages are the product's own words
 * (shared/product/driver-start-a-charging-session.txt): the dashboard shows them verbatim.
 */

export const NO_ACTIVE_CARD_MESSAGE = 'No active card on file';
export const ACCOUNT_INACTIVE_MESSAGE = 'Account inactive';
export const CHARGER_REJECTED_MESSAGE = 'Charger could not start the session. Please try again.';
export const CHARGER_UNAVAILABLE_MESSAGE = 'Charger is not available. Pick an online charger.';
export const SESSION_NOT_FOUND_MESSAGE = 'No active session of yours has this id.';
export const CHARGER_STOP_FAILED_MESSAGE = 'Charger could not stop the session. Please try again.';

/** The driver has no ACTIVE EV card. */
export class NoActiveCardError extends DomainError {
  readonly code = 'NO_ACTIVE_CARD';
  constructor() {
    super(NO_ACTIVE_CARD_MESSAGE);
  }
}

/** The driver's account is INACTIVE. */
export class AccountInactiveError extends DomainError {
  readonly code = 'ACCOUNT_INACTIVE';
  constructor() {
    super(ACCOUNT_INACTIVE_MESSAGE);
  }
}

/** The charger refused the RemoteStart, answered with an error, or did not answer. */
export class ChargerRejectedError extends DomainError {
  readonly code = 'CHARGER_REJECTED';
  constructor(readonly startRequestId: string | null = null) {
    super(CHARGER_REJECTED_MESSAGE);
  }
}

/** The charger is unknown, gone, offline, in use or reserved: nothing was sent to it. */
export class ChargerUnavailableError extends DomainError {
  readonly code = 'CHARGER_UNAVAILABLE';
  constructor() {
    super(CHARGER_UNAVAILABLE_MESSAGE);
  }
}

/** The session is not the caller's, not active, or does not exist (indistinguishable on purpose). */
export class SessionNotFoundError extends DomainError {
  readonly code = 'SESSION_NOT_FOUND';
  constructor() {
    super(SESSION_NOT_FOUND_MESSAGE);
  }
}

/** The charger did not accept the RemoteStop. */
export class ChargerStopFailedError extends DomainError {
  readonly code = 'CHARGER_STOP_FAILED';
  constructor() {
    super(CHARGER_STOP_FAILED_MESSAGE);
  }
}
