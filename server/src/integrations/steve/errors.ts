/** Why a SteVe call failed as a whole (per-station outcomes of OCPP operations are results, not errors). */
export type SteveErrorCode =
  /** SteVe (REST or DB) could not be reached: connection refused, DNS, 502/503/504 from a proxy. */
  | 'UNREACHABLE'
  /** Credentials refused: REST 401/403, DB access denied. */
  | 'AUTH'
  /** The entity (tag, transaction) does not exist in SteVe. */
  | 'NOT_FOUND'
  /** Conflicting write, e.g. creating an idTag that exists already (REST 422). */
  | 'CONFLICT'
  /** SteVe refused the request as invalid (REST 400 outside the operation pre-checks). */
  | 'BAD_REQUEST'
  /** SteVe answered something we cannot understand (malformed JSON, wrong shape). */
  | 'BAD_RESPONSE'
  /** SteVe reported an internal error (REST 500, unexpected SQL error). */
  | 'SERVER_ERROR'
  /** The SteVe database is of a schema version this adapter does not know. */
  | 'SCHEMA_UNSUPPORTED'
  /** No answer within the client-side deadline (reads and tag writes; operations map this to NO_ANSWER). */
  | 'TIMEOUT';

export type SteveErrorSource = 'rest' | 'db' | 'simulator';

export class SteveError extends Error {
  override readonly name = 'SteveError';
  readonly code: SteveErrorCode;
  readonly source: SteveErrorSource;
  /** HTTP status when the REST API answered. */
  readonly status: number | undefined;

  constructor(
    code: SteveErrorCode,
    message: string,
    options: { source: SteveErrorSource; status?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = options.source;
    this.status = options.status;
  }
}

export function isSteveError(value: unknown, code?: SteveErrorCode): value is SteveError {
  return value instanceof SteveError && (code === undefined || value.code === code);
}
