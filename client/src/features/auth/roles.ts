import { paths } from '../../app/paths.ts';

/** Who the signed-in user is, as far as pages care: better-auth's user with the admin plugin's role. */
export interface RoleHolder {
  /** `admin` or `customer`; better-auth may list several, comma-separated. */
  role?: string | null | undefined;
}

export function hasRole(user: RoleHolder, role: string): boolean {
  return (user.role ?? '')
    .split(',')
    .map((r) => r.trim())
    .includes(role);
}

export function isAdmin(user: RoleHolder): boolean {
  return hasRole(user, 'admin');
}

/** Operators land on the console, drivers on their dashboard. */
export function homePathFor(user: RoleHolder): string {
  return isAdmin(user) ? paths.admin.dashboard : paths.driverDashboard;
}

/**
 * Where to go after signing in: the page that sent the user to sign-in when it is a local path
 * this user may open, otherwise their home.
 */
export function destinationAfterSignIn(user: RoleHolder, next: string | null): string {
  const local = next != null && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\');
  if (!local || next.startsWith(paths.signIn)) return homePathFor(user);
  const admin = paths.admin.dashboard;
  const adminArea = next === admin || next.startsWith(`${admin}/`) || next.startsWith(`${admin}?`);
  if (adminArea && !isAdmin(user)) return homePathFor(user);
  return next;
}
