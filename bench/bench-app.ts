// Helpers for scenarios that run the product in-process (kept apart from lib.ts, which the runner loads).
import { randomBytes, randomUUID } from 'node:crypto';
import { makeSignature } from 'better-auth/crypto';
import type { App } from '../server/src/app.ts';
import { loadConfig, type Config } from '../server/src/config.ts';
import { createAccount } from '../server/src/modules/auth/auth.service.ts';

/** Ensures an admin account exists on a bench app and signs it in; returns the session cookie. */
export async function signInBenchAdmin(
  app: App,
  url: string,
  email: string,
  origin: string,
): Promise<string> {
  const password = 'bench-password-123';
  if (!(await app.services.db.user.findUnique({ where: { email } }))) {
    await createAccount(app.services, { email, name: 'Bench', password, role: 'admin', status: 'ACTIVE' });
  }
  const response = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`bench sign-in failed: ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

/** The configuration every in-process bench app uses: silent, any free port, no demo data. */
export function benchConfig(publicUrl: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: publicUrl,
    DEMO_SEED: 'false',
    ...extra,
  });
}

/** Rows in chunks: one multi-row INSERT per chunk (bind parameters stay well below PostgreSQL's limit). */
async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 2_000) await write(rows.slice(i, i + 2_000));
}

export interface BenchDriver {
  userId: string;
  chargingSessionId: string;
}

/**
 * N drivers, each with its own better-auth session and one ACTIVE charging session on `chargerId`,
 * written in bulk (signing in 10 000 people would hash 10 000 passwords). The session rows are the
 * ones sign-in writes; each cookie is the session token signed with the app's auth secret, as
 * better-auth sets it. `from` numbers the drivers (to add more to an app that has some).
 */
export async function createBenchDrivers(
  app: App,
  n: number,
  chargerId: string,
  from = 0,
): Promise<{ drivers: BenchDriver[]; cookies: string[] }> {
  const db = app.services.db;
  const now = new Date();
  const rows = Array.from({ length: n }, (_, i) => ({
    index: from + i,
    userId: `bench-driver-${from + i}`,
    sessionId: randomUUID(),
    token: randomBytes(24).toString('base64url'),
    chargingSessionId: randomUUID(),
  }));
  await inChunks(rows, (chunk) =>
    db.user.createMany({
      data: chunk.map((d) => ({ id: d.userId, name: d.userId, email: `${d.userId}@example.test` })),
    }),
  );
  const expiresAt = new Date(now.getTime() + 7 * 24 * 3_600_000);
  await inChunks(rows, (chunk) =>
    db.session.createMany({
      data: chunk.map((d) => ({ id: d.sessionId, token: d.token, userId: d.userId, expiresAt })),
    }),
  );
  await inChunks(rows, (chunk) =>
    db.chargingSession.createMany({
      data: chunk.map((d) => ({
        id: d.chargingSessionId,
        steveTransactionPk: d.index + 1,
        chargerId,
        connectorNumber: 1,
        idTag: `B${d.index}`,
        driverId: d.userId,
        status: 'ACTIVE' as const,
        startedAt: now,
        meterStartWh: 0,
        energyKwh: 0,
        powerKw: 11,
      })),
    }),
  );
  const auth = await app.services.auth.$context;
  const name = auth.authCookies.sessionToken.name;
  const cookies = await Promise.all(
    rows.map(
      async (d) => `${name}=${encodeURIComponent(`${d.token}.${await makeSignature(d.token, auth.secret)}`)}`,
    ),
  );
  return {
    drivers: rows.map((d) => ({ userId: d.userId, chargingSessionId: d.chargingSessionId })),
    cookies,
  };
}
