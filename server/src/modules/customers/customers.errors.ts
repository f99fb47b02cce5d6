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
