import { DomainError } from '../../lib/domain-error.ts';
/** Expected failures of the EV card operations; exposed as typed results in GraphQL. */

/** SteVe did not accept the tag change; nothing changed in Polaris. */
export class SteveTagCommandError extends DomainError {
  readonly code = 'STEVE_TAG_COMMAND_FAILED';
  constructor(
    message: string,
    readonly steveCode: string,
  ) {
    super(message);
  }
}

/** The card cannot make this transition (e.g. set a card without a driver as primary). */
export class CardStateError extends DomainError {
  readonly code = 'CARD_STATE';
  constructor(message: string) {
    super(message);
  }
}

/** The new card's input is not acceptable (empty idTag, idTag already used). */
export class InvalidCardInputError extends DomainError {
  readonly code = 'INVALID_CARD_INPUT';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}
