import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { useServer as serveGraphqlWs } from 'graphql-ws/use/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createApi, graphqlWsUrl, reconnectDelay, type Api, type LiveConnectionStatus } from './urql.ts';

describe('graphqlWsUrl', () => {
  it('uses ws: on http pages and keeps the port', () => {
    expect(graphqlWsUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/graphql');
  });

  it('uses wss: on https pages', () => {
    expect(graphqlWsUrl({ protocol: 'https:', host: 'charge.example.com' })).toBe(
      'wss://charge.example.com/graphql',
    );
  });
});

describe('reconnectDelay', () => {
  it('grows exponentially from half a second and is capped at 15 s', () => {
    const max = (attempt: number) => reconnectDelay(attempt, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(max)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(reconnectDelay(2, () => 0)).toBe(1000);
    expect(reconnectDelay(2, () => 0.5)).toBe(1500);
  });
});

// A real graphql-ws server that can be stopped and started again on the same port.
const schema = buildSchema(/* GraphQL */ `
  type Query {
    ok: Boolean
  }
  type Subscription {
    tick: Int!
  }
`);
const roots = {
  async *tick() {
    for (let i = 1; ; i++) {
      yield { tick: i };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  },
};

async function startServer(port = 0) {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = serveGraphqlWs({ schema, roots: { subscription: roots } }, wss);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      await disposable.dispose();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function waitForStatus(api: Api, wanted: LiveConnectionStatus, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`status stayed ${api.live.getStatus()}, wanted ${wanted}`));
    }, timeoutMs);
    const check = () => {
      if (api.live.getStatus() !== wanted) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const unsubscribe = api.live.subscribe(check);
    check();
  });
}

describe('createApi live connection', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('connects lazily, reports reconnecting while the server is down and resumes the subscription', async () => {
    let server = await startServer();
    const { port } = server;
    cleanups.push(() => server.stop());
    const api = createApi({ location: { protocol: 'http:', host: `127.0.0.1:${port}` } });
    cleanups.push(() => api.dispose());

    expect(api.live.getStatus()).toBe('idle');

    const ticks: number[] = [];
    const subscription = api.client
      .subscription<{ tick: number }>('subscription Ticks { tick }', {})
      .subscribe((result) => {
        if (result.data) ticks.push(result.data.tick);
      });
    cleanups.push(() => subscription.unsubscribe());

    await waitForStatus(api, 'connected');
    await expect.poll(() => ticks.length).toBeGreaterThanOrEqual(3);

    await server.stop();
    await waitForStatus(api, 'reconnecting');

    server = await startServer(port);
    const before = ticks.length;
    await waitForStatus(api, 'connected');
    // The same subscription flows again, from the restarted server's fresh counter.
    await expect.poll(() => ticks.slice(before)).toContain(1);

    subscription.unsubscribe();
    await waitForStatus(api, 'idle');
  });
});
