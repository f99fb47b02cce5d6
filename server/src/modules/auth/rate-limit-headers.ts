import type { Plugin } from 'graphql-yoga';
import type { RateLimitState, Viewer } from '../../types.ts';

/**
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy` on
 * every HTTP response to an API-key request, from the key's budget after that request (the IETF
 * RateLimit header fields). A refused request (budget spent) answers 429 with Retry-After instead.
 */
const states = new WeakMap<Request, RateLimitState>();

/** Remembers the caller's budget for the response to this request. */
export function noteRateLimit(request: Request, viewer: Viewer | null): void {
  const state = viewer?.kind === 'apiKey' ? viewer.rateLimit : (viewer?.apiKey?.rateLimit ?? null);
  if (state) states.set(request, state);
}

export function useRateLimitHeaders(windowSeconds: number): Plugin {
  return {
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      response.headers.set('RateLimit-Limit', String(state.limit));
      response.headers.set('RateLimit-Remaining', String(state.remaining));
      response.headers.set('RateLimit-Reset', String(state.resetSeconds));
      response.headers.set('RateLimit-Policy', `${state.limit};w=${windowSeconds}`);
    },
  };
}
