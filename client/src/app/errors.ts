import type { CombinedError } from 'urql';

export const NETWORK_ERROR_MESSAGE = 'Could not reach the server. Check your connection and try again.';

/** A failed GraphQL operation, in a sentence for the person looking at the page. */
export function describeError(error: CombinedError): string {
  const status = error.response instanceof Response ? error.response.status : null;
  if (error.networkError) {
    if (status !== null && status >= 500)
      return `The server had a problem (HTTP ${status}). Try again in a moment.`;
    return NETWORK_ERROR_MESSAGE;
  }
  const messages = error.graphQLErrors.map((e) => e.message.trim()).filter(Boolean);
  return messages.length > 0 ? messages.join(' ') : 'The server could not complete the request.';
}

/**
 * The message of a typed error result (documents ask `... on Error { message }`), or null when the
 * result is a success or not there yet. Success results never have a `message` of their own.
 */
export function resultError(result: object | null | undefined): string | null {
  return result && 'message' in result && typeof result.message === 'string' ? result.message : null;
}
