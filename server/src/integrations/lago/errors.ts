/**
 * The one error type the Lago port throws. `retryable` tells the outbox whether backing off and
 * trying again can help; `retryAfterMs` is Lago's own hint (429) when it gave one.
 */

export type LagoErrorCode =
  /** No answer within the per-call timeout. Retryable. */
  | 'timeout'
  /** Connection refused/reset, DNS … Retryable. */
  | 'network'
  /** 429. Retryable, usually with retryAfterMs. */
  | 'rate_limited'
  /** 5xx. Retryable. */
  | 'server_error'
  /** 401: wrong or missing API key. */
  | 'unauthorized'
  /** 403: the key may not do this, or a premium feature. */
  | 'forbidden'
  /** 400: malformed request (a Polaris bug). */
  | 'bad_request'
  /** 404 where the port has no "not found" result. */
  | 'not_found'
  /** 422 that is not handled per event. */
  | 'validation'
  /** A 2xx whose body is not what Lago sends, or another unexpected status. */
  | 'unexpected_response'
  /** More than MAX_BATCH_SIZE events in one sendEvents call (nothing was sent). */
  | 'batch_too_large'
  /** The caller aborted the call through its own signal. */
  | 'aborted';

export interface LagoErrorInit {
  code: LagoErrorCode;
  retryable: boolean;
  operation: string;
  status?: number;
  retryAfterMs?: number;
  /** Lago's `code` field, e.g. `validation_errors`, `customer_not_found`. */
  lagoCode?: string;
  /** Lago's `error_details` (field or array index → error codes). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class LagoError extends Error {
  override readonly name = 'LagoError';
  readonly code: LagoErrorCode;
  readonly retryable: boolean;
  readonly operation: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly lagoCode: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, init: LagoErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.retryable = init.retryable;
    this.operation = init.operation;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.lagoCode = init.lagoCode;
    this.details = init.details;
  }

  /** A log-safe summary (never contains headers or the API key). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      retryable: this.retryable,
      operation: this.operation,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      lagoCode: this.lagoCode,
      details: this.details,
    };
  }
}

export function isLagoError(value: unknown): value is LagoError {
  return value instanceof LagoError;
}

/** Lago's JSON error body (all fields optional: proxies in front of Lago send other things). */
export interface LagoErrorBody {
  status?: number;
  error?: string;
  code?: string;
  error_details?: Record<string, unknown>;
}

export function asErrorBody(value: unknown): LagoErrorBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const body: LagoErrorBody = {};
  if (typeof v.status === 'number') body.status = v.status;
  if (typeof v.error === 'string') body.error = v.error;
  if (typeof v.code === 'string') body.code = v.code;
  if (typeof v.error_details === 'object' && v.error_details !== null && !Array.isArray(v.error_details)) {
    body.error_details = v.error_details as Record<string, unknown>;
  }
  return body;
}

const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * How long Lago asks us to wait: `Retry-After` (seconds or an HTTP date) first, then
 * `x-ratelimit-reset` (seconds until the window resets, as the official client reads it).
 */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return clampDelay(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return clampDelay(at - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return clampDelay(Number(reset) * 1000);
  return undefined;
}

function clampDelay(ms: number): number {
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}

/** Classifies a non-2xx answer. The message names the operation and status only, never headers. */
export function errorFromResponse(
  operation: string,
  status: number,
  rawBody: unknown,
  headers: Headers = new Headers(),
): LagoError {
  const body = asErrorBody(rawBody);
  const base = {
    operation,
    status,
    ...(body.code === undefined ? {} : { lagoCode: body.code }),
    ...(body.error_details === undefined ? {} : { details: body.error_details }),
  };
  const summary = [body.error, body.code].filter(Boolean).join(' / ');
  const message = `Lago ${operation} failed with HTTP ${status}${summary ? ` (${summary})` : ''}`;

  if (status === 429) {
    const retryAfterMs = retryAfterFromHeaders(headers);
    return new LagoError(message, {
      ...base,
      code: 'rate_limited',
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500) {
    const retryAfterMs = retryAfterFromHeaders(headers);
    return new LagoError(message, {
      ...base,
      code: 'server_error',
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  // 408 from a proxy in front of Lago: the request never reached it.
  if (status === 408) return new LagoError(message, { ...base, code: 'timeout', retryable: true });
  if (status === 401) return new LagoError(message, { ...base, code: 'unauthorized', retryable: false });
  if (status === 403) return new LagoError(message, { ...base, code: 'forbidden', retryable: false });
  if (status === 400) return new LagoError(message, { ...base, code: 'bad_request', retryable: false });
  if (status === 404) return new LagoError(message, { ...base, code: 'not_found', retryable: false });
  if (status === 422) return new LagoError(message, { ...base, code: 'validation', retryable: false });
  return new LagoError(message, { ...base, code: 'unexpected_response', retryable: false });
}

/**
 * Classifies a thrown fetch failure (no HTTP answer). `callerSignal` distinguishes the caller's own
 * abort (not retryable) from our timeout.
 */
export function errorFromTransport(operation: string, error: unknown, callerSignal?: AbortSignal): LagoError {
  const name = error instanceof Error ? error.name : '';
  if (callerSignal?.aborted) {
    return new LagoError(`Lago ${operation} aborted by the caller`, {
      code: 'aborted',
      retryable: false,
      operation,
    });
  }
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new LagoError(`Lago ${operation} timed out`, { code: 'timeout', retryable: true, operation });
  }
  const detail = describeNetworkError(error);
  return new LagoError(`Lago ${operation} failed: network error${detail ? ` (${detail})` : ''}`, {
    code: 'network',
    retryable: true,
    operation,
  });
}

/** Only error codes and syscall names (ECONNREFUSED …) — never URLs or messages that could hold secrets. */
function describeNetworkError(error: unknown): string {
  const codes = new Set<string>();
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) codes.add(code);
    current = (current as { cause?: unknown }).cause;
  }
  return [...codes].join(', ');
}
