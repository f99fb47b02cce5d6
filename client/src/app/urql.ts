import { createContext, useContext, useSyncExternalStore } from 'react';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from 'urql';

/** Where the GraphQL API lives, on the page's own origin (the dev server proxies it). */
export const GRAPHQL_PATH = '/graphql';

/**
 * State of the live-updates socket:
 * - `idle`: nothing is subscribed, so no socket is open (the client connects lazily);
 * - `connecting`: the first connection is being made;
 * - `connected`: subscriptions are flowing;
 * - `reconnecting`: the socket dropped while subscriptions were open; they resume on reconnect.
 */
export type LiveConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** A tiny external store, read with `useSyncExternalStore`. */
export interface LiveConnection {
  getStatus(): LiveConnectionStatus;
  subscribe(listener: () => void): () => void;
}

export interface Api {
  client: Client;
  live: LiveConnection;
  /** Closes the socket. Reversible: the next subscription opens a new one. */
  dispose(): void;
}

export interface CreateApiOptions {
  /** Defaults to `window.location`. */
  location?: Pick<Location, 'protocol' | 'host'>;
  /** Called when an operation fails because the session is gone, so the app can re-check it. */
  onUnauthenticated?: () => void;
}

/** The graphql-ws address for a page location: same host, `wss:` under https. */
export function graphqlWsUrl(location: Pick<Location, 'protocol' | 'host'>, path = GRAPHQL_PATH): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${path}`;
}

const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 15_000;

/**
 * Milliseconds to wait before reconnect attempt `attempt` (0-based): exponential, capped, with jitter
 * so a fleet of open dashboards does not reconnect in lockstep after a server restart.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

// A ping goes out every KEEP_ALIVE_MS; no pong within PONG_TIMEOUT_MS means the socket is dead.
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;
// Keep the socket briefly after the last subscription ends, so page changes don't reconnect.
const LAZY_CLOSE_MS = 3_000;

function createStatusStore(): LiveConnection & { set(status: LiveConnectionStatus): void } {
  let status: LiveConnectionStatus = 'idle';
  const listeners = new Set<() => void>();
  return {
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      if (next === status) return;
      status = next;
      for (const listener of listeners) listener();
    },
  };
}

/** The urql client (queries and mutations over HTTP, subscriptions over graphql-ws) and its socket state. */
export function createApi(options: CreateApiOptions = {}): Api {
  const status = createStatusStore();
  let ws: WsClient | null = null;
  let activeSubscriptions = 0;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const wsClient = (): WsClient => {
    if (ws) return ws;
    const client: WsClient = createWsClient({
      url: () => graphqlWsUrl(options.location ?? window.location),
      lazy: true,
      lazyCloseTimeout: LAZY_CLOSE_MS,
      keepAlive: KEEP_ALIVE_MS,
      // Keep trying for as long as something is subscribed: a server restart must not end live views.
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelay(retries))),
      on: {
        connecting: (isRetry) => status.set(isRetry ? 'reconnecting' : 'connecting'),
        connected: () => status.set('connected'),
        closed: () => {
          clearTimeout(pongTimer);
          status.set(activeSubscriptions > 0 ? 'reconnecting' : 'idle');
        },
        ping: (received) => {
          if (received) return;
          clearTimeout(pongTimer);
          pongTimer = setTimeout(() => client.terminate(), PONG_TIMEOUT_MS);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
      },
    });
    ws = client;
    return client;
  };

  const client = new Client({
    url: GRAPHQL_PATH,
    preferGetMethod: false,
    fetchOptions: { credentials: 'include' },
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions['code'] === 'UNAUTHENTICATED')) {
            options.onUnauthenticated?.();
          }
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const payload = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              activeSubscriptions += 1;
              let counted = true;
              const release = () => {
                if (!counted) return;
                counted = false;
                activeSubscriptions -= 1;
              };
              const unsubscribe = wsClient().subscribe(payload, {
                next: (value) => sink.next(value as never),
                error: (error) => {
                  release();
                  sink.error(error);
                },
                complete: () => {
                  release();
                  sink.complete();
                },
              });
              return {
                unsubscribe() {
                  release();
                  unsubscribe();
                },
              };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    live: status,
    dispose() {
      clearTimeout(pongTimer);
      const current = ws;
      ws = null;
      void current?.dispose();
      status.set('idle');
    },
  };
}

const idle: LiveConnection = { getStatus: () => 'idle', subscribe: () => () => {} };

/** The live socket of the current API client; provided by ApiProvider. */
export const LiveConnectionContext = createContext<LiveConnection>(idle);

/** "connected", "reconnecting"…: for the live indicator and "connected and waiting" empty states. */
export function useLiveConnectionStatus(): LiveConnectionStatus {
  const live = useContext(LiveConnectionContext);
  return useSyncExternalStore(live.subscribe, live.getStatus, live.getStatus);
}
