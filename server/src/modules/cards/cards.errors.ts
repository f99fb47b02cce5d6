/** Expected failures of the EV card operations; exposed as typed results in GraphQL. */

/** SteVe did not accept the tag change; nothing changed in Polaris. */
export class SteveTagCommandError extends Error {
  readonly code = 'STEVE_TAG_COMMAND_FAILED';
  constructor(
    message: string,
    readonly steveCode: string,
  ) {
    super(message);
    this.name = 'SteveTagCommandError';
  }
}

/** The card cannot make this transition (e.g. set a card without a driver as primary). */
export class CardStateError extends Error {
  readonly code = 'CARD_STATE';
  constructor(message: string) {
    super(message);
    this.name = 'CardStateError';
  }
}

/** The new card's input is not acceptable (empty idTag, idTag already used). */
export class InvalidCardInputError extends Error {
  readonly code = 'INVALID_CARD_INPUT';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'InvalidCardInputError';
  }
}
