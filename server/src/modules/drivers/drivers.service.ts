import type { Services, Viewer } from '../../types.ts';
import { recordAudit } from '../audit/audit.ts';
import { AccountNotFoundError } from '../auth/auth.errors.ts';
import { createAccount, setAccountPassword } from '../auth/auth.service.ts';

type Deps = Pick<Services, 'auth' | 'db' | 'logger' | 'pubsub'>;
type AccountStatus = 'ACTIVE' | 'INACTIVE';

/** Admin creates a driver (role customer) with an initial password. */
export async function createDriver(
  deps: Deps,
  actor: Viewer,
  input: { email: string; name: string; password: string; status?: AccountStatus | null },
) {
  const { id } = await createAccount(deps, { ...input, role: 'customer', status: input.status ?? 'ACTIVE' });
  const driver = await deps.db.user.findUniqueOrThrow({ where: { id } });
  await recordAudit(deps.db, {
    actor,
    action: 'driver.created',
    subjectType: 'User',
    subjectId: id,
    after: { email: driver.email, name: driver.name, status: driver.status },
  });
  return driver;
}

async function findDriver(deps: Deps, id: string) {
  const driver = await deps.db.user.findUnique({ where: { id } });
  if (!driver || driver.role !== 'customer') throw new AccountNotFoundError();
  return driver;
}

/** Activates or deactivates a driver; inactive drivers keep signing in but cannot start a charge. */
export async function setDriverStatus(deps: Deps, actor: Viewer, id: string, status: AccountStatus) {
  const driver = await findDriver(deps, id);
  if (driver.status === status) return driver;
  return deps.db
    .$transaction(async (tx) => {
      const updated = await tx.user.update({ where: { id }, data: { status } });
      await recordAudit(tx, {
        actor,
        action: status === 'ACTIVE' ? 'driver.activated' : 'driver.deactivated',
        subjectType: 'User',
        subjectId: id,
        before: { status: driver.status },
        after: { status },
      });
      return updated;
    })
    .then((updated) => {
      deps.pubsub.publish('user:changed', id, { userId: id });
      return updated;
    });
}

/** Sets a new password for a driver and signs them out everywhere; the password is never logged. */
export async function resetDriverPassword(deps: Deps, actor: Viewer, id: string, password: string) {
  const driver = await findDriver(deps, id);
  await setAccountPassword(deps, id, password);
  await recordAudit(deps.db, {
    actor,
    action: 'driver.passwordReset',
    subjectType: 'User',
    subjectId: id,
    after: { email: driver.email, sessionsRevoked: true },
  });
  return driver;
}
