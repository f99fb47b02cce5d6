import { GraphQLError } from 'graphql';
import { PASSWORD_LENGTH } from './auth.ts';
import { DomainError } from '../../lib/domain-error.ts';

/** Expected failures of account and key management; exposed as typed results in GraphQL. */
export class EmailAlreadyUsedError extends DomainError {
  readonly code = 'EMAIL_ALREADY_USED';
  constructor(readonly email: string) {
    super('An account with this email already exists.');
  }
}

export class InvalidAccountInputError extends DomainError {
  readonly code = 'INVALID_INPUT';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export class WeakPasswordError extends InvalidAccountInputError {
  constructor() {
    super(`Password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long.`, 'password');
  }
}

export class AccountNotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(message = 'No such driver account.') {
    super(message);
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor() {
    super('No such API key.');
  }
}

/** A request's credentials were refused outright (bad key, rate limit): the whole request fails. */
export function credentialsRejected(reason: 'INVALID_API_KEY' | 'RATE_LIMITED', retryAfterSeconds?: number) {
  if (reason === 'RATE_LIMITED') {
    return new GraphQLError('Rate limit exceeded for this API key. Try again later.', {
      extensions: {
        code: 'RATE_LIMITED',
        http: {
          status: 429,
          headers: retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {},
        },
      },
    });
  }
  return new GraphQLError('Invalid, revoked or expired API key.', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/** Raised for every mutation while an admin is acting as a driver (impersonation is read-only). */
export function impersonationReadOnly() {
  return new GraphQLError(
    "You're signed in as an admin acting as a customer. Impersonation is read-only: stop impersonating first.",
    { extensions: { code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY', http: { status: 403 } } },
  );
}
