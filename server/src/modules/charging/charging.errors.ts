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
export class NoActiveCardError extends Error {
  readonly code = 'NO_ACTIVE_CARD';
  constructor() {
    super(NO_ACTIVE_CARD_MESSAGE);
    this.name = 'NoActiveCardError';
  }
}

/** The driver's account is INACTIVE. */
export class AccountInactiveError extends Error {
  readonly code = 'ACCOUNT_INACTIVE';
  constructor() {
    super(ACCOUNT_INACTIVE_MESSAGE);
    this.name = 'AccountInactiveError';
  }
}

/** The charger refused the RemoteStart, answered with an error, or did not answer. */
export class ChargerRejectedError extends Error {
  readonly code = 'CHARGER_REJECTED';
  constructor(readonly startRequestId: string | null = null) {
    super(CHARGER_REJECTED_MESSAGE);
    this.name = 'ChargerRejectedError';
  }
}

/** The charger is unknown, gone, offline, in use or reserved: nothing was sent to it. */
export class ChargerUnavailableError extends Error {
  readonly code = 'CHARGER_UNAVAILABLE';
  constructor() {
    super(CHARGER_UNAVAILABLE_MESSAGE);
    this.name = 'ChargerUnavailableError';
  }
}

/** The session is not the caller's, not active, or does not exist (indistinguishable on purpose). */
export class SessionNotFoundError extends Error {
  readonly code = 'SESSION_NOT_FOUND';
  constructor() {
    super(SESSION_NOT_FOUND_MESSAGE);
    this.name = 'SessionNotFoundError';
  }
}

/** The charger did not accept the RemoteStop. */
export class ChargerStopFailedError extends Error {
  readonly code = 'CHARGER_STOP_FAILED';
  constructor() {
    super(CHARGER_STOP_FAILED_MESSAGE);
    this.name = 'ChargerStopFailedError';
  }
}

export const RESERVATION_REJECTED_MESSAGE = 'Charger could not reserve the connector. Please try again.';
export const ALREADY_RESERVED_MESSAGE =
  'You already have a reservation. Cancel it first, or start charging where you reserved.';
export const RESERVATION_NOT_FOUND_MESSAGE = 'No active reservation of yours has this id.';
export const RESERVATION_CANCEL_FAILED_MESSAGE =
  'Charger could not cancel the reservation. Please try again.';

/** The charger refused ReserveNow (occupied, faulted …), answered with an error, or did not answer. */
export class ReservationRejectedError extends Error {
  readonly code = 'RESERVATION_REJECTED';
  constructor() {
    super(RESERVATION_REJECTED_MESSAGE);
    this.name = 'ReservationRejectedError';
  }
}

/** The driver holds an active reservation already: one at a time. Nothing was sent. */
export class AlreadyReservedError extends Error {
  readonly code = 'ALREADY_RESERVED';
  constructor() {
    super(ALREADY_RESERVED_MESSAGE);
    this.name = 'AlreadyReservedError';
  }
}

/** The reservation is not the caller's, not active, or does not exist (indistinguishable on purpose). */
export class ReservationNotFoundError extends Error {
  readonly code = 'RESERVATION_NOT_FOUND';
  constructor() {
    super(RESERVATION_NOT_FOUND_MESSAGE);
    this.name = 'ReservationNotFoundError';
  }
}

/** The charger did not accept CancelReservation. */
export class ReservationCancelFailedError extends Error {
  readonly code = 'RESERVATION_CANCEL_FAILED';
  constructor() {
    super(RESERVATION_CANCEL_FAILED_MESSAGE);
    this.name = 'ReservationCancelFailedError';
  }
}
