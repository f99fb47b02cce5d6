import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type MaskError } from 'graphql-yoga';

/** What a caller sees while the database is unreachable: a retryable 503, not "Unexpected error". */
export const SERVICE_UNAVAILABLE_MESSAGE =
  'The service is temporarily unavailable. Please try again in a moment.';

// PostgreSQL SQLSTATEs for lost/refused connections and shutdowns, socket errors, Prisma connection codes.
const CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '3D000',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
]);
const MESSAGES =
  /Connection terminated|terminating connection|not currently accepting connections|Can't reach database|timeout exceeded when trying to connect|Timed out fetching a new connection|DatabaseNotReachable|ConnectionClosed|Connection is closed|database "[^"]*" does not exist|too many clients/i;

/** Whether an error (or anything in its cause chain) says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      message?: unknown;
      kind?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    if (typeof e.code === 'string' && CODES.has(e.code)) return true;
    if (
      typeof e.kind === 'string' &&
      /NotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(e.kind)
    )
      return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}

export function serviceUnavailable(): GraphQLError {
  return new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } },
  });
}

/** Yoga's masking, except that an unreachable database becomes SERVICE_UNAVAILABLE (HTTP 503). */
export const maskErrors: MaskError = (error, message, isDev) =>
  isDatabaseUnavailable(error) ? serviceUnavailable() : yogaMaskError(error, message, isDev);

/**
 * For errors that hide their cause (better-auth reports a failed session lookup as a bare
 * "Failed to get session"): when the database does not answer a probe either, the error becomes
 * SERVICE_UNAVAILABLE; otherwise it is rethrown as it was.
 */
export async function explainFailure(error: unknown, probe: () => Promise<unknown>): Promise<never> {
  if (error instanceof GraphQLError) throw error;
  if (isDatabaseUnavailable(error)) throw serviceUnavailable();
  const reachable = await probe().then(
    () => true,
    () => false,
  );
  throw reachable ? error : serviceUnavailable();
}
