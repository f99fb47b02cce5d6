/**
 * Subscription fan-out: N graphql-ws subscribers of `chargerStateChanged` on the product (one server
 * process) and N sockets on a raw `ws` server broadcasting the same pre-serialised message. Each
 * published event must reach every subscriber; we measure delivered messages/s and the
 * publish → client latency percentiles. Server and load generator run on different cores when
 * taskset exists (server core 0, this process core 1).
 */
import WebSocket from 'ws';
import { nowMs, request, startChild, summarise, type ScenarioResult } from './lib.ts';

const QUERY = 'subscription { chargerStateChanged { id chargeBoxId state } }';
const CONNECT_CONCURRENCY = 100;

interface Ready {
  type: 'ready';
  url: string;
  cookie: string;
}

interface Side {
  /** messages/s over all measured events */
  rate: number;
  latencies: number[];
  connectSeconds: number;
  sample: string;
}

async function measure(
  url: string,
  cookie: string,
  publish: () => Promise<number>,
  n: number,
  events: number,
  log: (line: string) => void,
  label: string,
): Promise<Side> {
  const wsUrl = `${url.replace('http', 'ws')}/graphql`;
  const sockets: WebSocket[] = [];
  const received: number[] = [];
  let expecting = false;
  let sample = '';
  const connectStart = nowMs();
  let index = 0;
  await Promise.all(
    Array.from({ length: CONNECT_CONCURRENCY }, async () => {
      while (index < n) {
        index += 1;
        const socket = new WebSocket(wsUrl, 'graphql-transport-ws', {
          headers: { cookie, origin: 'http://localhost:4999' },
          perMessageDeflate: false,
        });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.once('open', () => socket.send('{"type":"connection_init","payload":{}}'));
          socket.on('message', (data) => {
            const text = String(data);
            if (text.includes('"connection_ack"')) {
              socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
              resolve();
              return;
            }
            if (!expecting) return;
            received.push(nowMs());
            if (!sample) sample = text;
          });
        });
      }
    }),
  );
  const connectSeconds = (nowMs() - connectStart) / 1000;

  // Subscriptions are registered asynchronously (auth, context): warm up until every socket got one.
  const deadline = Date.now() + 120_000;
  for (;;) {
    received.length = 0;
    expecting = true;
    await publish();
    const waitUntil = Date.now() + 5_000;
    while (received.length < n && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
    if (received.length >= n) break;
    if (Date.now() > deadline) throw new Error(`${label}: only ${received.length}/${n} subscribers answer`);
  }
  await new Promise((r) => setTimeout(r, 200));

  const latencies: number[] = [];
  let busy = 0;
  for (let e = 0; e < events; e += 1) {
    received.length = 0;
    const at = await publish();
    const waitUntil = Date.now() + 120_000;
    while (received.length < n && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 2));
    if (received.length < n) throw new Error(`${label}: event ${e} reached ${received.length}/${n}`);
    for (const t of received) latencies.push(t - at);
    busy += Math.max(...received) - at;
    await new Promise((r) => setTimeout(r, 50));
  }
  expecting = false;
  for (const socket of sockets) socket.terminate();
  const rate = (n * events) / (busy / 1000);
  log(`fanout ${label} n=${n}: connected in ${connectSeconds.toFixed(1)} s, ${Math.round(rate)} msg/s`);
  return { rate, latencies, connectSeconds, sample };
}

export async function runFanout(options: {
  sizes: number[];
  events: number;
  log: (line: string) => void;
}): Promise<ScenarioResult[]> {
  const { sizes, events, log } = options;
  const results: ScenarioResult[] = [];
  for (const n of sizes) {
    const product = await startChild<Ready>('fanout-server.ts', ['product'], 0);
    let productSide: Side;
    try {
      productSide = await measure(
        product.ready.url,
        product.ready.cookie,
        async () => (await request<{ at: number }>(product.child, { type: 'publish' }, 'published')).at,
        n,
        events,
        log,
        'product',
      );
    } finally {
      await product.stop();
    }
    // The baseline sends exactly the bytes the product sent (graphql-ws `next` message), serialised once.
    const baseline = await startChild<Ready>('fanout-server.ts', ['baseline', productSide.sample], 0);
    let baselineSide: Side;
    try {
      baselineSide = await measure(
        baseline.ready.url,
        '',
        async () => (await request<{ at: number }>(baseline.child, { type: 'publish' }, 'published')).at,
        n,
        events,
        log,
        'baseline',
      );
    } finally {
      await baseline.stop();
    }
    const p = summarise(productSide.latencies);
    const b = summarise(baselineSide.latencies);
    results.push({
      name: `fanout ${n} subscribers (msg/s)`,
      unit: 'msg/s',
      product: productSide.rate,
      baseline: baselineSide.rate,
      ratio: productSide.rate / baselineSide.rate,
      details: {
        subscribers: n,
        events,
        productP50: p.p50,
        productP95: p.p95,
        productP99: p.p99,
        baselineP50: b.p50,
        baselineP95: b.p95,
        baselineP99: b.p99,
        productConnectSeconds: productSide.connectSeconds,
      },
    });
  }
  return results;
}
