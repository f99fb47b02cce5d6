/** A GraphQL subscription over SSE (Yoga's "distinct connections" mode); collects every payload. */
export function sseSubscribe<T>(
  url: string,
  query: string,
  headers: Record<string, string>,
  variables: Record<string, unknown> = {},
) {
  const events: Array<{ data?: T; errors?: unknown[] }> = [];
  const controller = new AbortController();
  let status = 0;
  const done = (async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    status = response.status;
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (data) events.push(JSON.parse(data) as { data?: T; errors?: unknown[] });
      }
    }
  })().catch(() => {
    // Aborted by close(), or the server went away.
  });
  return {
    events,
    get status() {
      return status;
    },
    /** Resolves when the stream ended (server closed it or close() was called). */
    done,
    close() {
      controller.abort();
      return done;
    },
  };
}

export async function waitUntil(predicate: () => boolean, label: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
