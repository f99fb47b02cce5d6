import type { Db } from '../../lib/db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

/**
 * Who did it, as plain data: a person (possibly impersonated by an admin) or an API key — a request's
 * `Viewer` has exactly these fields —, a `{ id, email }` for background work done on someone's
 * behalf, or null for the system itself. Audit knows nothing else of the app.
 */
export type AuditActor =
  | { kind: 'user'; userId: string; email: string; impersonatorId: string | null }
  | { kind: 'apiKey'; keyId: string }
  | { id: string; email?: string | null }
  | null;

export interface AuditEntry {
  actor: AuditActor;
  /** Overrides the impersonator taken from a viewer; pass null for actions no one impersonates. */
  impersonatorId?: string | null;
  /** `domain.verb`, e.g. `driver.created`, `card.activated`, `impersonation.started`. */
  action: string;
  /** `User`, `EvCard`, `ApiKey`, …; `subjectId` is the id people recognise (a card's Public ID). */
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

/** Anything with the auditEvent delegate: the client or an interactive transaction (`tx`). */
export type AuditWriter = Pick<Db, 'auditEvent'>;

/**
 * Appends one AuditEvent. Call it inside the same transaction as the change it records when there
 * is one, so the log never claims a change that rolled back. API keys are recorded as
 * `apiKey:<keyId>` in actorId.
 */
export async function recordAudit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  const { actorId, actorEmail, impersonatorId } = describeActor(entry.actor);
  await db.auditEvent.create({
    data: {
      actorId,
      actorEmail,
      impersonatorId: entry.impersonatorId !== undefined ? entry.impersonatorId : impersonatorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
  });
}

function describeActor(actor: AuditActor): {
  actorId: string | null;
  actorEmail: string | null;
  impersonatorId: string | null;
} {
  if (!actor) return { actorId: null, actorEmail: null, impersonatorId: null };
  if ('kind' in actor) {
    if (actor.kind === 'apiKey')
      return { actorId: `apiKey:${actor.keyId}`, actorEmail: null, impersonatorId: null };
    return { actorId: actor.userId, actorEmail: actor.email, impersonatorId: actor.impersonatorId };
  }
  return { actorId: actor.id, actorEmail: actor.email ?? null, impersonatorId: null };
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  // Dates become ISO strings and undefined members disappear, as they would over the wire.
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
