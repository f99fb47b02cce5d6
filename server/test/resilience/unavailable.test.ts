import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/lib/db.ts';
import { createLogger } from '../../src/lib/logger.ts';
import {
  explainFailure,
  isDatabaseUnavailable,
  SERVICE_UNAVAILABLE_MESSAGE,
} from '../../src/lib/unavailable.ts';
import { SocketSessionWatch } from '../../src/modules/auth/socket-sessions.ts';
import { createTestDatabase } from '../db.ts';

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
  const NOW = new Date('2026-11-20T12:00:00Z');
  const later = new Date(NOW.getTime() + 3_600_000);
  const earlier = new Date(NOW.getTime() - 1_000);
  let database: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.prisma;
    await db.user.create({ data: { id: 'u', name: 'Ada', email: 'ada@example.test' } });
    await db.session.createMany({
      data: [
        { id: 's-live', token: 't-live', userId: 'u', expiresAt: later },
        { id: 's-expired', token: 't-expired', userId: 'u', expiresAt: earlier },
        { id: 's-signed-out', token: 't-signed-out', userId: 'u', expiresAt: later },
      ],
    });
    const key = (id: string, extra: { enabled?: boolean; expiresAt?: Date }) => ({
      id,
      key: `hash-${id}`,
      referenceId: 'u',
      createdAt: earlier,
      updatedAt: earlier,
      ...extra,
    });
    await db.apikey.createMany({
      data: [
        key('k-live', {}),
        key('k-live-until-later', { expiresAt: later }),
        key('k-revoked', { enabled: false }),
        key('k-expired', { expiresAt: earlier }),
      ],
    });
    // Signing out deletes the session row.
    await db.session.delete({ where: { id: 's-signed-out' } });
  });
  afterAll(async () => {
    await database?.close();
  });

  const user = (sessionId: string) =>
    ({
      kind: 'user',
      userId: 'u',
      email: 'ada@example.test',
      role: 'customer',
      status: 'ACTIVE',
      sessionId,
      impersonatorId: null,
    }) as const;
  const apiKey = (keyId: string) =>
    ({ kind: 'apiKey', keyId, role: 'READ_ONLY', scopes: ['read'], ownerId: 'u', rateLimit: null }) as const;
  /** A driver calling with their own key: the driver, watched by the key (there is no session row). */
  const driverKey = (keyId: string) =>
    ({
      ...user(`apiKey:${keyId}`),
      apiKey: { keyId, scopes: ['read', 'charging'], rateLimit: null },
    }) as const;

  it('closes sockets whose session expired or was signed out, or whose key was revoked or expired', async () => {
    const watch = new SocketSessionWatch({ db: database.prisma, logger, intervalMs: 1000, now: () => NOW });
    const sockets = {
      live: socket(),
      expired: socket(),
      signedOut: socket(),
      key: socket(),
      keyUntilLater: socket(),
      revoked: socket(),
      keyExpired: socket(),
      driverKey: socket(),
      driverKeyRevoked: socket(),
    };
    watch.track(sockets.live, user('s-live'));
    watch.track(sockets.expired, user('s-expired'));
    watch.track(sockets.signedOut, user('s-signed-out'));
    watch.track(sockets.key, apiKey('k-live'));
    watch.track(sockets.keyUntilLater, apiKey('k-live-until-later'));
    watch.track(sockets.revoked, apiKey('k-revoked'));
    watch.track(sockets.keyExpired, apiKey('k-expired'));
    watch.track(sockets.driverKey, driverKey('k-live'));
    watch.track(sockets.driverKeyRevoked, driverKey('k-revoked'));
    const before = database.queryCount();
    expect(await watch.sweep()).toBe(5);
    const queries = database.queryCount() - before;
    for (const gone of [
      sockets.expired,
      sockets.signedOut,
      sockets.revoked,
      sockets.keyExpired,
      sockets.driverKeyRevoked,
    ])
      expect(gone.close).toHaveBeenCalledWith(4403, 'Forbidden');
    for (const kept of [sockets.live, sockets.key, sockets.keyUntilLater, sockets.driverKey])
      expect(kept.close).not.toHaveBeenCalled();
    expect(watch.size).toBe(4);
    // All sockets together: one query for the sessions, one for the keys.
    expect(queries).toBe(2);
  });

  it('forgets sockets that closed while their credentials were checked (a client hanging up mid-connect)', async () => {
    const watch = new SocketSessionWatch({ db: database.prisma, logger, intervalMs: 1000, now: () => NOW });
    // graphql-ws ran onClose (untrack) before onConnect's check finished and tracked the socket.
    watch.track({ close: vi.fn(), readyState: 3 }, user('s-live'));
    expect(watch.size).toBe(0);
    const open = { close: vi.fn(), readyState: 1 };
    watch.track(open, user('s-live'));
    expect(watch.size).toBe(1);
    // Closed later without an untrack: the next sweep drops it although its session still lives.
    open.readyState = 3;
    expect(await watch.sweep()).toBe(0);
    expect(watch.size).toBe(0);
    expect(open.close).not.toHaveBeenCalled();
  });

  it('closes nothing while the database cannot be asked', async () => {
    const unreachable = await createTestDatabase();
    await unreachable.close();
    const watch = new SocketSessionWatch({
      db: unreachable.prisma,
      logger,
      intervalMs: 1000,
      now: () => NOW,
    });
    const s = socket();
    watch.track(s, user('s-live'));
    expect(await watch.sweep()).toBe(0);
    expect(s.close).not.toHaveBeenCalled();
    expect(watch.size).toBe(1);
  });
});
