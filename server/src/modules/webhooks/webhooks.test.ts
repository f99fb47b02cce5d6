import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { createLogger } from '../../lib/logger.ts';
import { EVENT_TYPE_NAMES } from '../events/catalogue.ts';
import { recordDomainEvents } from '../events/domain-events.ts';
import { EXAMPLE_PAYLOADS } from '../events/examples.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { createSender } from './sender.ts';
import { isPrivateAddress, parseEndpointUrl, resolveAllowed } from './url-guard.ts';
import { createEndpoint, WebhookInputError } from './webhooks.service.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Received {
  id: string;
  body: {
    id: string;
    number: string;
    type: string;
    stream: string;
    sequence: number;
    data: Record<string, unknown>;
  };
  signature: string;
  headers: Record<string, string>;
}

/** A partner's receiver: verifies every delivery with the secrets it knows, like a real one would. */
class Receiver {
  readonly received: Received[] = [];
  readonly rejected: string[] = [];
  secrets: string[] = [];
  /** Answer this status instead of 204 (e.g. 500 while "down"). */
  failWith: number | null = null;
  #server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.failWith) {
        res.statusCode = this.failWith;
        res.end('receiver down');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      const verified = this.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(raw, headers);
          return true;
        } catch {
          return false;
        }
      });
      if (!verified) {
        this.rejected.push(raw);
        res.statusCode = 401;
        res.end('bad signature');
        return;
      }
      this.received.push({
        id: headers['webhook-id']!,
        body: JSON.parse(raw) as Received['body'],
        signature: headers['webhook-signature']!,
        headers,
      });
      res.statusCode = 204;
      res.end();
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hooks`;
  }
  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

const CREATE = `mutation ($url: String!, $events: [String!]) {
  createWebhookEndpoint(url: $url, events: $events) {
    __typename
    ... on CreatedWebhookEndpoint { secret endpoint { id url events status } }
    ... on Error { message }
    ... on WebhookInputError { field }
  }
}`;

describe('webhooks: signed, ordered, replayable domain events', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let receiver: Receiver;
  let adminCookie: string;
  let now = new Date('2026-03-10T08:00:00.000Z').getTime();
  const clock = () => new Date(now);
  /**
   * The dispatcher under test (the app's own one is not started) runs on the wall clock moved by
   * `skew`: receivers check signature timestamps against the wall clock, as real ones do.
   */
  let dispatcher: WebhookDispatcher;
  let skew = 0;
  let endpointId: string;

  const drain = async () => {
    for (;;) {
      const report = await dispatcher.dispatchOnce();
      if (report.claimed === 0) return;
    }
  };
  const sync = () => t.app.services.sync.engine.run({ trigger: 'MANUAL' });

  beforeAll(async () => {
    sim = new FleetSimulator({
      seed: 7,
      size: 6,
      now: clock,
      warmupMs: 0,
      fleetChurn: false,
      outages: false,
      meterIntervalMs: 5 * MINUTE,
    });
    t = await createTestApp({
      env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
      app: { background: false, steve: sim, clock },
    });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    receiver = new Receiver();
    await receiver.start();
    dispatcher = new WebhookDispatcher(
      {
        db: t.app.services.db,
        logger: createLogger('silent'),
        send: createSender({ requireHttps: false, allowPrivateNetworks: true }, 5_000),
      },
      { now: () => new Date(Date.now() + skew), random: () => 1 },
    );
  }, 60_000);

  afterAll(async () => {
    await receiver?.stop();
    await t?.stop();
  });

  beforeEach(() => {
    receiver.failWith = null;
  });

  it('creates an endpoint and shows its whsec_ secret once', async () => {
    const res = await t.graphql<{
      createWebhookEndpoint: {
        secret: string;
        endpoint: { id: string; url: string; events: string[]; status: string };
      };
    }>(CREATE, { url: receiver.url, events: [] }, { cookie: adminCookie });
    expect(res.errors).toBeUndefined();
    const created = res.data!.createWebhookEndpoint;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toMatchObject({ url: receiver.url, events: [], status: 'ACTIVE' });
    endpointId = created.endpoint.id;
    receiver.secrets = [created.secret];

    const list = await t.graphql<{ webhookEndpoints: { nodes: Record<string, unknown>[] } }>(
      '{ webhookEndpoints(first: 10) { nodes { id url status pendingCount } } }',
      {},
      { cookie: adminCookie },
    );
    expect(list.data!.webhookEndpoints.nodes).toEqual([
      { id: endpointId, url: receiver.url, status: 'ACTIVE', pendingCount: 0 },
    ]);
    // The secret is not a field of the endpoint: asking for it is a validation error.
    const secret = await t.graphql(
      '{ webhookEndpoints(first: 1) { nodes { secret } } }',
      {},
      { cookie: adminCookie },
    );
    expect(secret.errors?.[0]?.message).toMatch(/Cannot query field "secret"/);
  });

  it('delivers every session and charger event of a sync, signed and in order per stream', async () => {
    await sync();
    now += 3 * 60 * MINUTE;
    sim.advanceTo(clock());
    await sync();
    await drain();

    expect(receiver.rejected).toEqual([]);
    const types = new Set(receiver.received.map((r) => r.body.type));
    expect(types).toContain('session.started');
    expect(types).toContain('session.completed');
    expect(types).toContain('charger.state_changed');

    // Per stream: sequences 1, 2, 3 … in the order they arrived; a session starts before it ends.
    const byStream = new Map<string, Received[]>();
    for (const r of receiver.received)
      byStream.set(r.body.stream, [...(byStream.get(r.body.stream) ?? []), r]);
    for (const [stream, list] of byStream) {
      expect(
        list.map((r) => r.body.sequence),
        stream,
      ).toEqual(list.map((_, i) => i + 1));
      if (stream.startsWith('session:')) {
        expect(list[0]!.body.type).toBe('session.started');
        const completed = list.findIndex((r) => r.body.type === 'session.completed');
        if (completed >= 0) expect(completed).toBe(list.length - 1);
      }
    }
    // The delivery id is the event id, and one event is delivered once.
    expect(receiver.received.every((r) => r.id === r.body.id)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(receiver.received.length);
    const completed = receiver.received.find((r) => r.body.type === 'session.completed')!;
    expect(completed.body.data.energyKwh).toBeGreaterThan(0);

    // The same sync again changes nothing, so nothing new is sent.
    const before = receiver.received.length;
    await sync();
    await drain();
    expect(receiver.received.length).toBe(before);
  });

  it('retries a failing receiver with backoff and holds back the rest of that stream until it succeeds', async () => {
    const start = receiver.received.length;
    receiver.failWith = 500;
    now += 60 * MINUTE;
    sim.advanceTo(clock());
    await sync();
    const first = await dispatcher.dispatchOnce();
    expect(first.claimed).toBeGreaterThan(0);
    expect(first.retried).toBe(first.claimed);
    // Nothing is due before the backoff passed.
    expect((await dispatcher.dispatchOnce()).claimed).toBe(0);

    const log = await t.graphql<{
      node: {
        deliveries: {
          nodes: { status: string; attempts: number; responseStatus: number; lastError: string }[];
        };
      };
    }>(
      `query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint {
        deliveries(first: 100, status: PENDING) { nodes { status attempts responseStatus lastError } } } } }`,
      { id: endpointId },
      { cookie: adminCookie },
    );
    const attempted = log.data!.node.deliveries.nodes.filter((d) => d.attempts > 0);
    expect(attempted.length).toBe(first.claimed);
    expect(attempted[0]).toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: 500 });
    expect(attempted[0]!.lastError).toContain('receiver down');

    receiver.failWith = null;
    skew += 11_000; // past the first backoff (5 s with this jitter)
    await drain();
    const after = receiver.received.slice(start);
    expect(after.length).toBeGreaterThan(0);
    const byStream = new Map<string, number[]>();
    for (const r of after)
      byStream.set(r.body.stream, [...(byStream.get(r.body.stream) ?? []), r.body.sequence]);
    for (const [stream, seqs] of byStream) expect(seqs, stream).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('signs with both secrets during a rotation, then with the new one only', async () => {
    const old = receiver.secrets[0]!;
    const rotated = await t.graphql<{ rotateWebhookSecret: { secret: string } }>(
      'mutation ($id: ID!) { rotateWebhookSecret(id: $id, graceHours: 1) { ... on CreatedWebhookEndpoint { secret } } }',
      { id: endpointId },
      { cookie: adminCookie },
    );
    const fresh = rotated.data!.rotateWebhookSecret.secret;
    expect(fresh).not.toBe(old);

    const count = receiver.received.length;
    await t.app.services.db.$transaction((tx) =>
      recordDomainEvents(tx, [
        { type: 'sync.failed', stream: 'sync:test', occurredAt: clock(), data: { error: 'test' } },
      ]),
    );
    // A receiver that only knows the old secret still verifies it …
    receiver.secrets = [old];
    await drain();
    const during = receiver.received.slice(count);
    expect(during).toHaveLength(1);
    expect(during[0]!.signature.split(' ')).toHaveLength(2);

    // … and after the grace period only the new secret signs.
    await t.app.services.db.webhookEndpoint.update({
      where: { id: decode(endpointId) },
      data: { previousSecretExpiresAt: new Date(Date.now() + skew - 1000) },
    });
    await t.app.services.db.$transaction((tx) =>
      recordDomainEvents(tx, [
        { type: 'sync.failed', stream: 'sync:test', occurredAt: clock(), data: { error: 'x' } },
      ]),
    );
    receiver.secrets = [fresh];
    await drain();
    const last = receiver.received.at(-1)!;
    expect(last.body.sequence).toBe(2);
    expect(last.signature.split(' ')).toHaveLength(1);
    expect(receiver.rejected).toEqual([]);
  });

  it('stores nothing for a change that rolled back', async () => {
    const before = await t.app.services.db.domainEvent.count();
    await expect(
      t.app.services.db.$transaction(async (tx) => {
        await recordDomainEvents(tx, [
          { type: 'sync.failed', stream: 'sync:rollback', occurredAt: clock(), data: {} },
        ]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.app.services.db.domainEvent.count()).toBe(before);
    expect(await t.app.services.db.eventStream.findUnique({ where: { stream: 'sync:rollback' } })).toBeNull();
  });

  it('replays from an event number, in order, including events from before the endpoint existed', async () => {
    const events = await t.app.services.db.domainEvent.findMany({ orderBy: { id: 'asc' }, take: 3 });
    const from = events[0]!.id.toString();
    const total = await t.app.services.db.domainEvent.count();
    const start = receiver.received.length;
    const res = await t.graphql<{ replayWebhookEvents: { data: number } }>(
      'mutation ($id: ID!, $from: String!) { replayWebhookEvents(endpointId: $id, fromEvent: $from) { ... on MutationReplayWebhookEventsSuccess { data } } }',
      { id: endpointId, from },
      { cookie: adminCookie },
    );
    expect(res.data!.replayWebhookEvents.data).toBe(total);
    await drain();
    const replayed = receiver.received.slice(start);
    expect(replayed).toHaveLength(total);
    expect(replayed[0]!.body.number).toBe(from);

    const bad = await t.graphql<{ replayWebhookEvents: unknown }>(
      'mutation ($id: ID!) { replayWebhookEvents(endpointId: $id, fromEvent: "ten") { __typename ... on Error { message } ... on WebhookInputError { field } } }',
      { id: endpointId },
      { cookie: adminCookie },
    );
    expect(bad.errors).toBeUndefined();
    expect(bad.data!.replayWebhookEvents).toEqual({
      __typename: 'WebhookInputError',
      message: 'Give the event number to replay from (digits, e.g. "1200").',
      field: 'fromEvent',
    });
  });

  it('disables an endpoint that failed for three days, with an alert; resume sends what waited', async () => {
    const db = t.app.services.db;
    const record = (stream: string) =>
      db.$transaction((tx) =>
        recordDomainEvents(
          tx,
          [{ type: 'sync.failed', stream, occurredAt: clock(), data: {} }],
          new Date(Date.now() + skew),
        ),
      );
    receiver.failWith = 503;
    await record('sync:down-old');
    await dispatcher.dispatchOnce();
    skew += 2 * DAY;
    await record('sync:down-new');
    await drain();
    skew += DAY + MINUTE;
    await dispatcher.dispatchOnce();
    skew = 0;
    const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: decode(endpointId) } });
    expect(endpoint.status).toBe('DISABLED');
    expect(endpoint.disabledReason).toMatch(/^Every delivery failed since/);
    const alert = await db.alert.findFirst({ where: { kind: 'webhook.endpoint_disabled' } });
    expect(alert?.message).toContain(receiver.url);
    // The delivery queued three days ago gave up; the newer one still waits.
    const byStream = Object.fromEntries(
      (
        await db.webhookDelivery.findMany({
          where: { stream: { in: ['sync:down-old', 'sync:down-new'] } },
          select: { stream: true, status: true, id: true },
        })
      ).map((d) => [d.stream, d]),
    );
    expect(byStream['sync:down-old']!.status).toBe('FAILED');
    expect(byStream['sync:down-new']!.status).toBe('PENDING');

    receiver.failWith = null;
    const resumed = await t.graphql<{ resumeWebhookEndpoint: { status: string } }>(
      'mutation ($id: ID!) { resumeWebhookEndpoint(id: $id) { ... on WebhookEndpoint { status } } }',
      { id: endpointId },
      { cookie: adminCookie },
    );
    expect(resumed.data!.resumeWebhookEndpoint.status).toBe('ACTIVE');
    await drain();
    expect(receiver.received.at(-1)!.body.stream).toBe('sync:down-new');
    // The one that gave up goes out on "resend".
    const resend = await t.graphql<{ resendWebhookDelivery: { status: string } }>(
      'mutation ($id: ID!) { resendWebhookDelivery(id: $id) { ... on WebhookDelivery { status } } }',
      { id: Buffer.from(`WebhookDelivery:${byStream['sync:down-old']!.id}`).toString('base64') },
      { cookie: adminCookie },
    );
    expect(resend.data!.resendWebhookDelivery.status).toBe('PENDING');
    await drain();
    expect(receiver.received.at(-1)!.body.stream).toBe('sync:down-old');
  });

  it('refuses drivers and bad input with clear errors', async () => {
    const driver = await t.createUser();
    const cookie = await t.signIn(driver.email, driver.password);
    const refused = await t.graphql(CREATE, { url: receiver.url }, { cookie });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const unknownType = await t.graphql(
      CREATE,
      { url: receiver.url, events: ['session.exploded'] },
      { cookie: adminCookie },
    );
    expect(unknownType.errors).toBeUndefined();
    expect(unknownType.data).toMatchObject({
      createWebhookEndpoint: {
        __typename: 'WebhookInputError',
        message: expect.stringContaining('Unknown event type session.exploded') as unknown,
        field: 'events',
      },
    });
    const notUrl = await t.graphql(CREATE, { url: 'hooks.example' }, { cookie: adminCookie });
    expect(notUrl.data).toEqual({
      createWebhookEndpoint: {
        __typename: 'WebhookInputError',
        message: 'Enter a full URL, e.g. https://example.com/webhooks/polaris.',
        field: 'url',
      },
    });
    // An id of no endpoint (or of another type) is a typed not-found, and nothing changes.
    const missing = await t.graphql(
      'mutation ($id: ID!) { pauseWebhookEndpoint(id: $id) { __typename ... on Error { message } } }',
      { id: Buffer.from('WebhookEndpoint:no-such-endpoint').toString('base64') },
      { cookie: adminCookie },
    );
    expect(missing.data).toEqual({
      pauseWebhookEndpoint: { __typename: 'WebhookNotFoundError', message: 'No such webhook endpoint.' },
    });
    const otherType = await t.graphql(
      'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename ... on Error { message } } }',
      { id: Buffer.from('Charger:x').toString('base64') },
      { cookie: adminCookie },
    );
    expect(otherType.data).toEqual({
      deleteWebhookEndpoint: { __typename: 'WebhookNotFoundError', message: 'No such webhook endpoint.' },
    });
  });

  it('every catalogue type has an example body', async () => {
    const res = await t.graphql<{ webhookEventTypes: { name: string; example: { type: string } }[] }>(
      '{ webhookEventTypes { name description example } }',
      {},
      { cookie: adminCookie },
    );
    expect(res.data!.webhookEventTypes.map((e) => e.name)).toEqual(EVENT_TYPE_NAMES);
    for (const e of res.data!.webhookEventTypes) expect(e.example.type).toBe(e.name);
    expect(Object.keys(EXAMPLE_PAYLOADS).sort()).toEqual([...EVENT_TYPE_NAMES].sort());
  });

  it('refuses private, loopback and link-local targets unless allowed', async () => {
    const strict = { ...t.config, WEBHOOKS_ALLOW_PRIVATE_NETWORKS: false };
    const deps = { db: t.app.services.db, config: strict, pubsub: t.app.services.pubsub };
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/hook',
      'http://[::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:192.168.1.1]/hook',
    ]) {
      await expect(createEndpoint(deps, null, { url }), url).rejects.toBeInstanceOf(WebhookInputError);
    }
    // And at delivery time, a name that now resolves to a private address is not called.
    await expect(
      resolveAllowed('localhost', { requireHttps: false, allowPrivateNetworks: false }),
    ).rejects.toThrow(/private, loopback or link-local/);
    const send = createSender({ requireHttps: false, allowPrivateNetworks: false }, 1_000);
    const outcome = await send(receiver.url, '{}', {});
    expect(outcome).toMatchObject({ ok: false, status: null });
    expect(outcome.error).toMatch(/private, loopback or link-local/);
  });
});

describe('webhook URL rules', () => {
  it('wants https in production and no credentials in the URL', () => {
    const production = { requireHttps: true, allowPrivateNetworks: false };
    expect(() => parseEndpointUrl('http://hooks.example.com/x', production)).toThrow(
      /https:\/\/ in production/,
    );
    expect(parseEndpointUrl('https://hooks.example.com/x', production).hostname).toBe('hooks.example.com');
    expect(() => parseEndpointUrl('https://user:pw@hooks.example.com/x', production)).toThrow(/no user name/);
    expect(() => parseEndpointUrl('ftp://hooks.example.com/x', production)).toThrow(/https:\/\//);
  });

  it('knows which addresses are private', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fd00::1',
      'fe80::2',
      '::ffff:10.0.0.1',
      '0.0.0.0',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });
});

function decode(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
}
