/**
 * An expected failure a person can act on (a card that does not exist, a charger that refused, Lago
 * that is down). Services throw one; the GraphQL layer returns it as a typed result that implements
 * the `Error` interface (`message`, see schema/errors.ts) instead of a top-level GraphQL error.
 * Anything that is not a DomainError is a bug or an outage, and is masked.
 */
export abstract class DomainError extends Error {
  /** A stable reason for programs, e.g. `NOT_FOUND`; the message is for people. */
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
