import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { sharedPerEvent } from './event-memo.ts';
import { createBus } from './pubsub.ts';

describe('sharedPerEvent', () => {
  it('loads once per payload and key, separately for another key or another payload', async () => {
    let loads = 0;
    const load = async () => ({ n: ++loads });
    const event = { chargerId: 'c1' };
    const [a, b] = await Promise.all([
      sharedPerEvent(event, ['f', { select: { id: true } }], load),
      sharedPerEvent(event, ['f', { select: { id: true } }], load),
    ]);
    expect(a).toBe(b);
    expect(loads).toBe(1);

    // Another selection, or the viewer's id in the key, is another load.
    await sharedPerEvent(event, ['f', { select: { id: true, name: true } }], load);
    await sharedPerEvent(event, ['f', { select: { id: true } }, 'viewer-2'], load);
    expect(loads).toBe(3);

    // A later publication is a new payload object: a fresh load.
    await sharedPerEvent({ chargerId: 'c1' }, ['f', { select: { id: true } }], load);
    expect(loads).toBe(4);
  });

  it('shares a failure with that event only', async () => {
    const event = { chargerId: 'gone' };
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new Error('no such charger'));
    };
    await expect(sharedPerEvent(event, 'k', failing)).rejects.toThrow('no such charger');
    await expect(sharedPerEvent(event, 'k', failing)).rejects.toThrow('no such charger');
    expect(calls).toBe(1);
    await expect(sharedPerEvent({ chargerId: 'gone' }, 'k', async () => 'ok')).resolves.toBe('ok');
  });

  it('does not share what it cannot key', async () => {
    let loads = 0;
    const load = async () => ++loads;
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const event = {};
    await sharedPerEvent(event, circular, load);
    await sharedPerEvent(event, circular, load);
    await sharedPerEvent('not an object', 'k', load);
    await sharedPerEvent('not an object', 'k', load);
    expect(loads).toBe(4);
  });
});

describe('in-process bus', () => {
  it('hands every listener the same payload object, a new one per publication', async () => {
    const bus = createBus(undefined, createLogger('silent'));
    const first = bus.pubsub.subscribe('charger:stateChanged')[Symbol.asyncIterator]();
    const second = bus.pubsub.subscribe('charger:stateChanged')[Symbol.asyncIterator]();
    const pending = [first.next(), second.next()];
    // Repeaters register their listener on the first next(); let them start.
    await Promise.resolve();
    const payload = { chargerId: 'c1' };
    bus.pubsub.publish('charger:stateChanged', payload);
    const [a, b] = await Promise.all(pending);
    expect(a!.value).toBe(b!.value);
    expect(a!.value).toEqual(payload);

    // The same object published again is still a distinct publication.
    const again = first.next();
    bus.pubsub.publish('charger:stateChanged', payload);
    const c = await again;
    expect(c.value).toEqual(payload);
    expect(c.value).not.toBe(a!.value);
    await first.return?.();
    await second.return?.();
    await bus.close();
  });
});
