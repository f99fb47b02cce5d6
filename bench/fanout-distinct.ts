/**
 * Fan-out to distinct viewers: N different drivers, each with its own session cookie and its own
 * graphql-ws socket, subscribe to `activeSession` (their own running session) and to
 * `chargerStateChanged`. Two kinds of event:
 *   - sessions: every driver's session changes (one `driver:session` per driver, as a sync page that
 *     touched N sessions publishes): N different results, N executions;
 *   - charger: one `charger:stateChanged` every driver receives: one shared read, N executions.
 * The raw baseline is a `ws` server that sends each socket its own serialised `next` message
 * (sessions) or one pre-serialised message to all (charger). Also reports the server's heap and RSS
 * per subscriber (after a forced GC, before and after the N sockets subscribed) and, for the product,
 * the SQL statements per event. Server pinned to core 0, this process (clients) to core 1.
 */
import WebSocket from 'ws';
import { nowMs, request, startChild, summarise, type ScenarioResult } from './lib.ts';

const SESSION_QUERY =
  'subscription { activeSession { id status energyKwh powerKw startedAt charger { id name } } }';
const CHARGER_QUERY = 'subscription { chargerStateChanged { id chargeBoxId state } }';
const CONNECT_CONCURRENCY = 100;

interface Ready {
  type: 'ready';
  url: string;
  cookies: string[];
  origin: string;
}

type Child = Awaited<ReturnType<typeof startChild<Ready>>>;

interface Measured {
  rate: number;
  latencies: number[];
}

interface Side {
  sessions: Measured;
  charger: Measured;
  connectSeconds: number;
  heapPerSubscriber: number;
  rssPerSubscriber: number;
  sessionStatementsPerEvent: number;
  chargerStatementsPerEvent: number;
  sessionSample: string;
  chargerSample: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function memoryOf(child: Child): Promise<{ heapUsed: number; rss: number }> {
  return request<{ heapUsed: number; rss: number }>(child.child, { type: 'memory' }, 'memory');
}

async function statementsOf(child: Child): Promise<number> {
  return (await request<{ count: number }>(child.child, { type: 'statements' }, 'statements')).count;
}

async function measure(
  server: Child,
  n: number,
  events: number,
  log: (line: string) => void,
  label: string,
): Promise<Side> {
  const { url, cookies, origin } = server.ready;
  const wsUrl = `${url.replace('http', 'ws')}/graphql`;
  const sockets: WebSocket[] = [];
  const received = { '1': [] as number[], '2': [] as number[] };
  let sessionSample = '';
  let chargerSample = '';
  const memoryBefore = await memoryOf(server);
  const connectStart = nowMs();
  let index = 0;
  await Promise.all(
    Array.from({ length: CONNECT_CONCURRENCY }, async () => {
      while (index < n) {
        const cookie = cookies[index] ?? '';
        index += 1;
        const socket = new WebSocket(wsUrl, 'graphql-transport-ws', {
          headers: { cookie, origin },
          perMessageDeflate: false,
        });
        sockets.push(socket);
        // Resolves with the first `activeSession` result (the current session): subscribed.
        await new Promise<void>((resolve, reject) => {
          let subscribed = false;
          socket.once('error', reject);
          socket.once('open', () => socket.send('{"type":"connection_init","payload":{}}'));
          socket.on('message', (data) => {
            const text = String(data);
            const op = text.includes('"id":"1"') ? '1' : text.includes('"id":"2"') ? '2' : null;
            if (op === null) {
              if (text.includes('"connection_ack"')) {
                socket.send(
                  JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SESSION_QUERY } }),
                );
                socket.send(
                  JSON.stringify({ id: '2', type: 'subscribe', payload: { query: CHARGER_QUERY } }),
                );
              } else reject(new Error(`${label}: unexpected message ${text.slice(0, 200)}`));
              return;
            }
            if (!text.includes('"next"')) {
              reject(new Error(`${label}: ${text.slice(0, 300)}`));
              return;
            }
            if (op === '1' && !subscribed) {
              subscribed = true;
              if (!sessionSample) sessionSample = text;
              resolve();
              return;
            }
            received[op].push(nowMs());
            if (op === '2' && !chargerSample) chargerSample = text;
          });
        });
      }
    }),
  );
  const connectSeconds = (nowMs() - connectStart) / 1000;

  // chargerStateChanged has no first value: publish until every socket has one (registered).
  const deadline = Date.now() + 180_000;
  for (;;) {
    received['2'].length = 0;
    await request(server.child, { type: 'publish-charger' }, 'published');
    const waitUntil = Date.now() + 5_000;
    while (received['2'].length < n && Date.now() < waitUntil) await pause(20);
    if (received['2'].length >= n) break;
    if (Date.now() > deadline)
      throw new Error(`${label}: only ${received['2'].length}/${n} subscribers answer`);
  }
  await pause(200);
  const memoryAfter = await memoryOf(server);

  const run = async (type: 'publish-sessions' | 'publish-charger', op: '1' | '2'): Promise<Measured> => {
    const latencies: number[] = [];
    let busy = 0;
    for (let e = 0; e < events; e += 1) {
      received[op].length = 0;
      const { at } = await request<{ at: number }>(server.child, { type }, 'published');
      const waitUntil = Date.now() + 180_000;
      while (received[op].length < n && Date.now() < waitUntil) await pause(2);
      if (received[op].length < n)
        throw new Error(`${label} ${type}: event ${e} reached ${received[op].length}/${n}`);
      for (const t of received[op]) latencies.push(t - at);
      busy += Math.max(...received[op]) - at;
      await pause(50);
    }
    return { rate: (n * events) / (busy / 1000), latencies };
  };
  const s0 = await statementsOf(server);
  const sessions = await run('publish-sessions', '1');
  const s1 = await statementsOf(server);
  const charger = await run('publish-charger', '2');
  const s2 = await statementsOf(server);
  for (const socket of sockets) socket.terminate();
  const side: Side = {
    sessions,
    charger,
    connectSeconds,
    heapPerSubscriber: (memoryAfter.heapUsed - memoryBefore.heapUsed) / n,
    rssPerSubscriber: (memoryAfter.rss - memoryBefore.rss) / n,
    // The sessions event's own UPDATE (one statement) is part of the publish, not of the fan-out.
    sessionStatementsPerEvent: Math.max(0, (s1 - s0) / events - (label === 'product' ? 1 : 0)),
    chargerStatementsPerEvent: (s2 - s1) / events,
    sessionSample,
    chargerSample,
  };
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  log(
    `fanout distinct ${label} n=${n}: subscribed in ${connectSeconds.toFixed(1)} s; ` +
      `activeSession ${Math.round(sessions.rate)} msg/s, chargerStateChanged ${Math.round(charger.rate)} msg/s; ` +
      `per subscriber heap ${kb(side.heapPerSubscriber)}, RSS ${kb(side.rssPerSubscriber)}; ` +
      `SQL per event ${side.sessionStatementsPerEvent} / ${side.chargerStatementsPerEvent}`,
  );
  return side;
}

export async function runFanoutDistinct(options: {
  sizes: number[];
  events: number;
  log: (line: string) => void;
}): Promise<ScenarioResult[]> {
  const { sizes, events, log } = options;
  const results: ScenarioResult[] = [];
  for (const n of sizes) {
    const product = await startChild<Ready>('fanout-distinct-server.ts', ['product', String(n)], 0, {}, [
      '--expose-gc',
    ]);
    let p: Side;
    try {
      p = await measure(product, n, events, log, 'product');
    } finally {
      await product.stop();
    }
    const baseline = await startChild<Ready>(
      'fanout-distinct-server.ts',
      ['baseline', p.sessionSample, p.chargerSample],
      0,
      {},
      ['--expose-gc'],
    );
    let b: Side;
    try {
      b = await measure(baseline, n, events, log, 'baseline');
    } finally {
      await baseline.stop();
    }
    for (const [kind, field] of [
      ['activeSession', 'sessions'],
      ['chargerStateChanged', 'charger'],
    ] as const) {
      const ps = summarise(p[field].latencies);
      const bs = summarise(b[field].latencies);
      results.push({
        name: `fanout distinct ${n} drivers ${kind} (msg/s)`,
        unit: 'msg/s',
        product: p[field].rate,
        baseline: b[field].rate,
        ratio: p[field].rate / b[field].rate,
        details: {
          subscribers: n,
          events,
          productP50: ps.p50,
          productP95: ps.p95,
          productP99: ps.p99,
          baselineP50: bs.p50,
          baselineP95: bs.p95,
          baselineP99: bs.p99,
          productConnectSeconds: p.connectSeconds,
          productHeapPerSubscriberKb: p.heapPerSubscriber / 1024,
          productRssPerSubscriberKb: p.rssPerSubscriber / 1024,
          baselineHeapPerSubscriberKb: b.heapPerSubscriber / 1024,
          baselineRssPerSubscriberKb: b.rssPerSubscriber / 1024,
          productSqlPerEvent:
            field === 'sessions' ? p.sessionStatementsPerEvent : p.chargerStatementsPerEvent,
        },
      });
    }
  }
  return results;
}
