import { paths } from '../../app/paths.ts';
import { AuthError, authCall, authClient, type PolarisAuthClient } from '../auth/auth-client.ts';

/**
 * Starts an admin's read-only "view as driver" session with better-auth's admin plugin, then opens
 * the driver app. `authUserId` is the id the auth server knows the driver by (from the API).
 * Returns the problem to show, or null once the driver app is opening.
 */
export async function viewAsDriver(
  authUserId: string,
  client: Pick<PolarisAuthClient, 'admin'> = authClient,
  open: (path: string) => void = (path) => window.location.assign(path),
): Promise<string | null> {
  try {
    await authCall(
      () => client.admin.impersonateUser({ userId: authUserId }),
      'Could not view as this driver',
    );
  } catch (error) {
    return error instanceof AuthError ? error.message : 'Could not view as this driver.';
  }
  open(paths.driverDashboard);
  return null;
}
