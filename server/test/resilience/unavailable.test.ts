import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/db.ts';
import { createLogger } from '../../src/lib/logger.ts';
import {
  explainFailure,
  isDatabaseUnavailable,
  SERVICE_UNAVAILABLE_MESSAGE,
} from '../../src/lib/unavailable.ts';
import { SocketSessionWatch } from '../../src/modules/auth/socket-sessions.ts';

describe('recognising an unreachable database', () => {
  it('knows connection errors by code or message, anywhere in the cause chain', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('database "polaris" does not exist'))).toBe(true);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('outer', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(
        new GraphQLError('wrapped', { originalError: Object.assign(new Error('p'), { code: 'P1001' }) }),
      ),
    ).toBe(true);
  });

  it('leaves ordinary errors alone', () => {
    expect(isDatabaseUnavailable(new Error('relation "user" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('unique'), { code: 'P2002' }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('turns an opaque failure into SERVICE_UNAVAILABLE only when the database probe fails too', async () => {
    const opaque = new Error('Failed to get session');
    await expect(explainFailure(opaque, () => Promise.reject(new Error('down')))).rejects.toMatchObject({
      message: SERVICE_UNAVAILABLE_MESSAGE,
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
    });
    await expect(explainFailure(opaque, () => Promise.resolve(1))).rejects.toBe(opaque);
    const refusal = new GraphQLError('Invalid API key');
    const probe = vi.fn(() => Promise.resolve(1));
    await expect(explainFailure(refusal, probe)).rejects.toBe(refusal);
    expect(probe).not.toHaveBeenCalled();
  });
});

describe('SocketSessionWatch', () => {
  const logger = createLogger('silent');
  const socket = () => ({ close: vi.fn() });

  it('closes sockets whose session or key is gone, keeps the others, in two queries', async () => {
    const db = {
      session: { findMany: vi.fn(async () => [{ id: 's-live' }]) },
      apikey: { findMany: vi.fn(async () => [{ id: 'k-live' }]) },
    };
    const watch = new SocketSessionWatch({ db: db as unknown as Db, logger, intervalMs: 1000 });
    const live = socket();
    const gone = socket();
    const liveKey = socket();
    const goneKey = socket();
    const user = (sessionId: string) =>
      ({
        kind: 'user',
        userId: 'u',
        email: 'e',
        role: 'customer',
        status: 'ACTIVE',
        sessionId,
        impersonatorId: null,
      }) as const;
    watch.track(live, user('s-live'));
    watch.track(gone, user('s-gone'));
    watch.track(liveKey, { kind: 'apiKey', keyId: 'k-live', role: 'READ_ONLY', ownerId: 'o' });
    watch.track(goneKey, { kind: 'apiKey', keyId: 'k-gone', role: 'READ_ONLY', ownerId: 'o' });
    expect(await watch.sweep()).toBe(2);
    expect(gone.close).toHaveBeenCalledWith(4403, 'Forbidden');
    expect(goneKey.close).toHaveBeenCalledWith(4403, 'Forbidden');
    expect(live.close).not.toHaveBeenCalled();
    expect(liveKey.close).not.toHaveBeenCalled();
    expect(db.session.findMany).toHaveBeenCalledTimes(1);
    expect(db.apikey.findMany).toHaveBeenCalledTimes(1);
    expect(watch.size).toBe(2);
  });

  it('closes nothing while the database cannot be asked', async () => {
    const db = {
      session: { findMany: vi.fn(async () => Promise.reject(new Error('Connection terminated'))) },
      apikey: { findMany: vi.fn(async () => []) },
    };
    const watch = new SocketSessionWatch({ db: db as unknown as Db, logger, intervalMs: 1000 });
    const s = socket();
    watch.track(s, {
      kind: 'user',
      userId: 'u',
      email: 'e',
      role: 'admin',
      status: 'ACTIVE',
      sessionId: 's',
      impersonatorId: null,
    });
    expect(await watch.sweep()).toBe(0);
    expect(s.close).not.toHaveBeenCalled();
    expect(watch.size).toBe(1);
  });
});
