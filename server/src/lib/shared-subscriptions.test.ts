import { parse, type ExecutionResult } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../types.ts';
import { SubscriptionSharing } from './shared-subscriptions.ts';

const admin: Viewer = {
  kind: 'user',
  userId: 'u1',
  email: 'a@example.test',
  role: 'admin',
  status: 'ACTIVE',
  sessionId: 's1',
  impersonatorId: null,
};

function key(sharing: SubscriptionSharing, query: string, viewer: Viewer | null = admin, variables = {}) {
  return sharing.keyFor({ query, document: parse(query), variables, viewer });
}

/** A source the test pushes into, counting how often it was started and whether it was stopped. */
function source() {
  const state = { starts: 0, stopped: 0, push: (_value: ExecutionResult) => undefined as unknown };
  const start = async () => {
    state.starts += 1;
    return new Repeater<ExecutionResult>(async (push, stop) => {
      state.push = push;
      await stop;
      state.stopped += 1;
    });
  };
  return { state, start };
}

async function take(iterable: AsyncIterable<ExecutionResult>, n: number) {
  const iterator = iterable[Symbol.asyncIterator]();
  const values: ExecutionResult[] = [];
  while (values.length < n) values.push((await iterator.next()).value as ExecutionResult);
  return { values, iterator };
}

describe('SubscriptionSharing.keyFor', () => {
  const sharing = new SubscriptionSharing(['chargerStateChanged', 'syncRunProgress']);
  const doc = 'subscription { chargerStateChanged { id } }';

  it('keys by document, variables and the viewer’s identity', () => {
    const base = key(sharing, doc);
    expect(base).not.toBeNull();
    expect(key(sharing, doc, { ...admin, sessionId: 's2' })).toBe(base);
    expect(key(sharing, doc, { ...admin, userId: 'u2' })).not.toBe(base);
    expect(key(sharing, doc, { ...admin, role: 'customer' })).not.toBe(base);
    expect(key(sharing, doc, { ...admin, impersonatorId: 'u9' })).not.toBe(base);
    expect(
      key(sharing, doc, {
        kind: 'apiKey',
        keyId: 'k1',
        role: 'READ_ONLY',
        scopes: ['read'],
        ownerId: 'u1',
        rateLimit: null,
      }),
    ).not.toBe(base);
    expect(key(sharing, 'subscription { chargerStateChanged { id state } }')).not.toBe(base);
    const byRun = 'subscription ($runId: ID) { syncRunProgress(runId: $runId) { id } }';
    expect(key(sharing, byRun, admin, { runId: 'a' })).not.toBe(key(sharing, byRun, admin, { runId: 'b' }));
  });

  it('shares only subscriptions made of listed root fields, and only with a viewer', () => {
    expect(key(sharing, doc, null)).toBeNull();
    expect(key(sharing, 'subscription { activeSession { id } }')).toBeNull();
    expect(key(sharing, 'subscription { chargerStateChanged { id } activeSession { id } }')).toBeNull();
    expect(
      key(sharing, 'subscription { ...F } fragment F on Subscription { chargerStateChanged { id } }'),
    ).toBeNull();
    expect(key(sharing, '{ chargerStateChanged { id } }')).toBeNull();
  });
});

describe('SubscriptionSharing.subscribe', () => {
  it('runs one source for identical subscribers and stops it when the last one leaves', async () => {
    const sharing = new SubscriptionSharing(['chargerStateChanged']);
    const { state, start } = source();
    const a = (await sharing.subscribe('k', start)) as AsyncIterable<ExecutionResult>;
    const b = (await sharing.subscribe('k', start)) as AsyncIterable<ExecutionResult>;
    expect(state.starts).toBe(1);

    const result = { data: { n: 1 } };
    const takeA = take(a, 1);
    const takeB = take(b, 1);
    await Promise.resolve();
    state.push(result);
    const [ra, rb] = await Promise.all([takeA, takeB]);
    expect(ra.values[0]).toBe(result);
    expect(rb.values[0]).toBe(result);

    // One leaves: the other still gets the next result.
    await ra.iterator.return!();
    const next = rb.iterator.next();
    state.push({ data: { n: 2 } });
    expect((await next).value).toEqual({ data: { n: 2 } });
    expect(state.stopped).toBe(0);

    // The last leaves: the source stops, and a newcomer starts a fresh one.
    await rb.iterator.return!();
    await Promise.resolve();
    expect(state.stopped).toBe(1);
    expect(sharing.size).toBe(0);
    await sharing.subscribe('k', start);
    expect(state.starts).toBe(2);
  });

  it('a member returned before it ever asked for a result leaves (socket closed mid-subscribe)', async () => {
    // graphql-ws calls return() on the iterator, without next(), when the socket closed while the
    // subscription was being prepared: the member must go, and with the last one the source.
    const sharing = new SubscriptionSharing(['chargerStateChanged']);
    const { state, start } = source();
    const kept = (await sharing.subscribe('k', start)) as AsyncIterableIterator<ExecutionResult>;
    const dropped = (await sharing.subscribe('k', start)) as AsyncIterableIterator<ExecutionResult>;
    await dropped.return!();
    const next = kept.next();
    await Promise.resolve();
    state.push({ data: { n: 1 } });
    expect((await next).value).toEqual({ data: { n: 1 } });

    await kept.return!();
    const alone = (await sharing.subscribe('k2', start)) as AsyncIterableIterator<ExecutionResult>;
    await alone.return!();
    await Promise.resolve();
    expect(sharing.size).toBe(0);
    expect(state.stopped).toBe(2);
  });

  it('a different key is a different source; a refusal is returned and not kept', async () => {
    const sharing = new SubscriptionSharing(['chargerStateChanged']);
    const { state, start } = source();
    await sharing.subscribe('k1', start);
    await sharing.subscribe('k2', start);
    expect(state.starts).toBe(2);

    const refusal: ExecutionResult = { errors: [] };
    let refusals = 0;
    const refuse = async () => {
      refusals += 1;
      return refusal;
    };
    expect(await sharing.subscribe('k3', refuse)).toBe(refusal);
    expect(await sharing.subscribe('k3', refuse)).toBe(refusal);
    expect(refusals).toBe(2);
  });

  it('a failing source ends every member with its error, and is not reused', async () => {
    const sharing = new SubscriptionSharing(['chargerStateChanged']);
    let fail: (error: Error) => void = () => undefined;
    let starts = 0;
    const start = async () => {
      starts += 1;
      return new Repeater<ExecutionResult>((_push, stop) => {
        fail = (error) => stop(error);
      });
    };
    const a = (await sharing.subscribe('k', start)) as AsyncIterable<ExecutionResult>;
    const b = (await sharing.subscribe('k', start)) as AsyncIterable<ExecutionResult>;
    const nextA = a[Symbol.asyncIterator]().next();
    const nextB = b[Symbol.asyncIterator]().next();
    await Promise.resolve();
    fail(new Error('source broke'));
    await expect(nextA).rejects.toThrow('source broke');
    await expect(nextB).rejects.toThrow('source broke');
    await sharing.subscribe('k', start);
    expect(starts).toBe(2);
  });
});
