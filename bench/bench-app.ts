// Helpers for scenarios that run the product in-process (kept apart from lib.ts, which the runner loads).
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
