import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.ts';
import { PAYLOAD_VERSION, type EventType } from './catalogue.ts';

type Tx = Prisma.TransactionClient;

/** An event a writer emits; it becomes a `DomainEvent` row when its transaction commits. */
export interface DomainEventDraft {
  type: EventType;
  /** Ordering key (see `streamOf`): events of one stream get sequence numbers 1, 2, 3 … */
  stream: string;
  /** The versioned payload's `data`: small, JSON-safe, ids as Polaris' public ids. */
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** `session.updated` goes out at most this often per session. */
export const SESSION_UPDATED_THROTTLE_MS = 30_000;

const THROTTLED: ReadonlySet<EventType> = new Set(['session.updated']);

/** The stream an event belongs to: `session:<id>`, `charger:<id>`, … */
export function streamOf(
  kind: 'session' | 'charger' | 'card' | 'reservation' | 'billing' | 'command' | 'sync',
  id: string,
): string {
  return `${kind}:${id}`;
}

/** Public event id: the `webhook-id` of its deliveries. */
export function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`;
}

/**
 * Stores drafts in the outbox inside the caller's transaction and queues one delivery per
 * subscribed webhook endpoint, so a rolled-back change emits nothing and a committed one is never
 * lost. Three statements whatever the number of events: stream sequence numbers (one upsert; rows
 * locked in stream order, so concurrent writers cannot deadlock), the events, the deliveries.
 * Returns how many events were stored (throttled ones are dropped). `now` (the wall clock) is when
 * the deliveries are queued; each event keeps its own `occurredAt`.
 */
export async function recordDomainEvents(
  tx: Tx,
  drafts: readonly DomainEventDraft[],
  now: Date = new Date(),
): Promise<number> {
  if (drafts.length === 0) return 0;
  let events = [...drafts];

  const throttledStreams = [...new Set(events.filter((e) => THROTTLED.has(e.type)).map((e) => e.stream))];
  if (throttledStreams.length) {
    // Keep the newest throttled event per stream, and only if the stream's last one is old enough.
    const latest = new Map<string, DomainEventDraft>();
    for (const e of events) if (THROTTLED.has(e.type)) latest.set(e.stream, e);
    const recent = await tx.eventStream.findMany({
      where: { stream: { in: throttledStreams } },
      select: { stream: true, lastThrottled: true },
    });
    const last = new Map(recent.map((r) => [r.stream, r.lastThrottled]));
    events = events.filter((e) => {
      if (!THROTTLED.has(e.type)) return true;
      if (latest.get(e.stream) !== e) return false;
      const at = last.get(e.stream);
      return !at || e.occurredAt.getTime() - at.getTime() >= SESSION_UPDATED_THROTTLE_MS;
    });
    if (events.length === 0) return 0;
  }

  const byStream = new Map<string, DomainEventDraft[]>();
  for (const e of events) {
    const list = byStream.get(e.stream) ?? [];
    list.push(e);
    byStream.set(e.stream, list);
  }
  const streams = [...byStream.keys()].sort();
  const counts = streams.map((s) => ({
    stream: s,
    n: byStream.get(s)!.length,
    throttled:
      byStream
        .get(s)!
        .filter((e) => THROTTLED.has(e.type))
        .at(-1)
        ?.occurredAt.toISOString() ?? null,
  }));
  const allocated = await tx.$queryRaw<{ stream: string; lastSequence: number }[]>`
    INSERT INTO "EventStream" ("stream", "lastSequence", "lastThrottled")
    SELECT u.stream, u.n, u.throttled::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(counts)}::json) AS u(stream text, n int4, throttled text)
    ORDER BY u.stream
    ON CONFLICT ("stream") DO UPDATE
      SET "lastSequence" = "EventStream"."lastSequence" + EXCLUDED."lastSequence",
          "lastThrottled" = COALESCE(EXCLUDED."lastThrottled", "EventStream"."lastThrottled")
    RETURNING "stream", "lastSequence"`;
  const lastOf = new Map(allocated.map((r) => [r.stream, Number(r.lastSequence)]));

  const rows: Record<string, unknown>[] = [];
  for (const stream of streams) {
    const list = byStream.get(stream)!;
    const first = lastOf.get(stream)! - list.length + 1;
    list.forEach((e, i) =>
      rows.push({
        eventId: newEventId(),
        type: e.type,
        stream,
        sequence: first + i,
        version: PAYLOAD_VERSION,
        payload: e.data,
        occurredAt: e.occurredAt.toISOString(),
      }),
    );
  }
  const at = now.toISOString().replace('T', ' ').replace('Z', '');
  await tx.$executeRaw`
    WITH inserted AS (
      INSERT INTO "DomainEvent" ("eventId", "type", "stream", "sequence", "version", "payload", "occurredAt")
      SELECT u."eventId", u."type", u."stream", u."sequence", u."version", u."payload", u."occurredAt"::timestamp(3)
      FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS u("eventId" text, "type" text, "stream" text, "sequence" int4, "version" int4, "payload" jsonb, "occurredAt" text)
      ORDER BY u."stream", u."sequence"
      RETURNING "id", "type", "stream"
    )
    INSERT INTO "WebhookDelivery" ("id", "endpointId", "eventId", "stream", "nextAttemptAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, w."id", e."id", e."stream", ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3)
    FROM inserted e
    JOIN "WebhookEndpoint" w
      ON w."status" IN ('ACTIVE', 'PAUSED')
     AND (cardinality(w."events") = 0 OR e."type" = ANY (w."events"))
    ON CONFLICT DO NOTHING`;
  return rows.length;
}
