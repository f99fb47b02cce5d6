import { LagoError } from '../../integrations/lago/errors.ts';
import { DomainError } from '../../lib/domain-error.ts';

/** Expected failures of the customer picker and card mapping; exposed as typed results in GraphQL. */

export class LagoCustomerNotFoundError extends DomainError {
  readonly code = 'LAGO_CUSTOMER_NOT_FOUND';
  constructor(readonly customerExternalId: string) {
    super(`Lago has no customer with the external id "${customerExternalId}".`);
  }
}

export class LagoCustomerExistsError extends DomainError {
  readonly code = 'LAGO_CUSTOMER_EXISTS';
  constructor(readonly customerExternalId: string) {
    super(`A Lago customer with the external id "${customerExternalId}" already exists. Pick it instead.`);
  }
}

/** Lago could not be reached or refused the call as a whole (outage, rate limit, wrong key). */
export class LagoUnavailableError extends DomainError {
  readonly code = 'LAGO_UNAVAILABLE';
  constructor(
    message: string,
    /** Whether trying again later can help (outage, timeout, rate limit) or not (wrong key, bad setup). */
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  static from(error: LagoError): LagoUnavailableError {
    const message = error.retryable
      ? 'Lago is not reachable right now. Try again in a moment.'
      : `Lago refused the request (${error.code}). Check the Lago configuration.`;
    return new LagoUnavailableError(message, error.retryable, error.retryAfterMs ?? null);
  }
}

export class CardNotFoundError extends DomainError {
  readonly code = 'CARD_NOT_FOUND';
  constructor(readonly cardId: string) {
    super('No EV card has this id.');
  }
}

export class InvalidCustomerInputError extends DomainError {
  readonly code = 'INVALID_INPUT';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Runs a Lago call and turns a LagoError into the typed LagoUnavailableError. */
export async function callLago<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof LagoError) throw LagoUnavailableError.from(error);
    throw error;
  }
}
