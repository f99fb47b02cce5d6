import { DomainError } from '../../lib/domain-error.ts';
import { LagoError } from './errors.ts';

/**
 * Calling Lago from a module (customers, billing): a LagoError (outage, timeout, rate limit, wrong
 * key) becomes the typed LagoUnavailableError that GraphQL returns as a result with a message for
 * people. Nothing else about the call changes.
 */

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

/** Runs a Lago call and turns a LagoError into the typed LagoUnavailableError. */
export async function callLago<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof LagoError) throw LagoUnavailableError.from(error);
    throw error;
  }
}
