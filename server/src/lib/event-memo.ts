/**
 * One database read per published event, shared by every subscriber that resolves it the same way.
 *
 * The bus hands the very same payload object to every listener in a process: the in-process
 * EventTarget dispatches one event to all of them, and graphql-yoga's Redis event target parses
 * each message once per instance. `createBus` also copies every payload when it is published, so a
 * payload object stands for exactly one publication. A subscription resolver that loads rows for
 * an event can therefore key the load by (payload, what the load depends on) and let N identical
 * subscribers await one promise instead of issuing N queries.
 *
 * Safe only for loads whose result is determined by the key: pass everything the query depends on
 * (the field name, the Prisma `query` Pothos built from the selection, arguments, and the viewer's
 * id when the `where` uses it). Authorization still runs in each subscriber's own execution —
 * field scopes are checked per viewer on the shared rows, which are never mutated by Pothos (its
 * per-request bookkeeping lives in WeakMaps keyed by each request's context).
 *
 * Entries live as long as the payload object (a WeakMap), i.e. until the last subscriber has
 * processed that event. A failed load is shared too: every subscriber of that event gets the error
 * in its own result, and the next event loads afresh.
 */
const loadsByPayload = new WeakMap<object, Map<string, Promise<unknown>>>();

/** A stable string for plain JSON-like data (Prisma queries, arguments); null when there is none. */
function keyOf(parts: unknown): string | null {
  try {
    return JSON.stringify(parts, (_key, value: unknown) =>
      typeof value === 'bigint' ? `${value.toString()}n` : value,
    );
  } catch {
    return null;
  }
}

/**
 * `load()` once per (payload, key); later callers with the same payload and an equal key get the
 * same promise. Payloads that are not objects, and keys that cannot be serialised, are not shared.
 */
export function sharedPerEvent<T>(payload: unknown, key: unknown, load: () => Promise<T>): Promise<T> {
  if (typeof payload !== 'object' || payload === null) return load();
  const k = keyOf(key);
  if (k === null) return load();
  let loads = loadsByPayload.get(payload);
  if (!loads) {
    loads = new Map();
    loadsByPayload.set(payload, loads);
  }
  let pending = loads.get(k) as Promise<T> | undefined;
  if (!pending) {
    // A real promise, settled once: Prisma's lazy queries run on their first `then`.
    pending = (async () => load())();
    loads.set(k, pending);
  }
  return pending;
}
