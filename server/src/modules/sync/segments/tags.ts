import { steveKey } from '../../../integrations/steve/key.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { MAX_PAGE_SIZE, type SteveTag, type TimeCursor } from '../../../integrations/steve/port.ts';
import { recordAlerts } from '../../alerts/alerts.service.ts';
import { allocatePublicIds } from '../../cards/public-id.ts';
import { cursorJson, maxCursor, overlapCursor, readTimeCursor, writeCursor } from '../cursors.ts';
import { drivePages } from '../paging.ts';
import { pagesInTurn } from '../read-ahead.ts';
import {
  commitChanges,
  type Segment,
  type SegmentContext,
  type SegmentDeps,
  type Tx,
  type WriteScope,
} from '../segment.ts';
import { findCardsByIdTag } from './lookups.ts';
import { plural, pluralWord } from '../../../../../shared/plural.ts';

/** TAGS: SteVe's `ocpp_tag` rows changed since the cursor → EV cards; then tags deleted in SteVe. */
export const syncTags: Segment = async (deps, ctx) => {
  const saved = await readTimeCursor(deps.db, 'TAGS');
  let cursor = saved;
  await drivePages(
    deps,
    ctx,
    pagesInTurn(
      (after: TimeCursor | null) => deps.steve.listTags({ after, limit: deps.pageSize }),
      saved ? overlapCursor(saved) : null,
    ),
    async (tx, page, scope) => {
      cursor = maxCursor(cursor, page.items.length ? page.cursor : null);
      await writeTags(tx, page.items, scope);
      if (cursor) await writeCursor(tx, 'TAGS', cursorJson(cursor));
    },
  );
  ctx.total = ctx.processed;
  await detectDeletedTags(deps, ctx);
};

/**
 * Writes SteVe tags (a page, or the one a change touched): an idTag no card knows is imported as a
 * PENDING card for review (with a fresh Public ID); a known card gets the tag's key; an active card
 * whose tag is blocked or expired in SteVe raises an alert (once per tag state). Applying the same
 * rows twice changes nothing.
 */
export async function writeTags(tx: Tx, items: SteveTag[], scope: WriteScope): Promise<void> {
  const { now } = scope;
  const cards = await findCardsByIdTag(
    tx,
    items.map((t) => t.idTag),
  );
  const alerts: Prisma.AlertCreateManyInput[] = [];
  // One card per idTag (SteVe compares case-insensitively, so a page never holds two).
  const newTags = [
    ...new Map(
      items.filter((t) => !cards.has(steveKey(t.idTag))).map((t) => [steveKey(t.idTag), t]),
    ).values(),
  ];
  if (newTags.length) {
    // Unknown to Polaris (created in SteVe or auto-inserted by a station): import for review.
    const publicIds = await allocatePublicIds(tx, newTags.length);
    await tx.evCard.updateMany({
      where: { steveTagPk: { in: newTags.map((t) => t.pk) } },
      data: { steveTagPk: null },
    });
    await tx.evCard.createMany({
      data: newTags.map((tag, i) => ({
        idTag: tag.idTag,
        publicId: publicIds[i]!,
        origin: 'STEVE' as const,
        status: 'PENDING' as const,
        steveTagPk: tag.pk,
      })),
    });
  }
  for (const tag of items) {
    const card = cards.get(steveKey(tag.idTag));
    if (!card) continue;
    if (card.steveTagPk !== tag.pk || card.steveTagGoneAt !== null) {
      // A new pk, or a tag SteVe has again after it was deleted there (rare: one row at a time).
      await tx.evCard.updateMany({
        where: { steveTagPk: tag.pk, NOT: { id: card.id } },
        data: { steveTagPk: null },
      });
      await tx.evCard.update({
        where: { id: card.id },
        data: { steveTagPk: tag.pk, steveTagGoneAt: null },
      });
    }
    const expired = tag.expiryDate !== null && tag.expiryDate.getTime() <= now.getTime();
    if (card.status === 'ACTIVE' && (tag.blocked || expired)) {
      // Only recorded: SteVe refuses the tag anyway, an operator decides what the card becomes.
      const what = tag.blocked ? 'blocked' : 'expired';
      alerts.push({
        severity: 'WARNING',
        kind: 'card.steveTagRefused',
        message: `EV card ${card.publicId} is active in Polaris but its tag is ${what} in SteVe.`,
        subjectType: 'EvCard',
        subjectId: card.publicId,
        dedupeKey: `steve-tag-${what}:${card.id}:${tag.updatedAt?.toISOString() ?? tag.expiryDate?.toISOString() ?? ''}`,
      });
    }
  }
  if (await recordAlerts(tx, alerts)) scope.changes.alerts = true;
}

/**
 * SteVe hard-deletes tags (with their transactions) and leaves no trace in the incremental read:
 * diff the full key set. A card whose tag is gone keeps everything (sessions, billing) and gets
 * `steveTagGoneAt`; an active one raises an alert, since the card can no longer start a session.
 */
async function detectDeletedTags(deps: SegmentDeps, ctx: SegmentContext): Promise<void> {
  const present = new Set<number>();
  let afterPk = 0;
  for (;;) {
    const page = await deps.steve.listTagPks({ afterPk, limit: MAX_PAGE_SIZE });
    for (const pk of page.items) present.add(pk);
    if (!page.hasMore) break;
    afterPk = page.cursor;
  }
  const linked = await deps.db.evCard.findMany({
    where: { steveTagPk: { not: null }, steveTagGoneAt: null },
    select: { id: true, steveTagPk: true },
  });
  const gone = linked.filter((c) => !present.has(c.steveTagPk!)).map((c) => c.id);
  if (gone.length === 0) return;
  await commitChanges(deps, ctx, (tx, scope) => markTagsGone(tx, gone, scope));
  ctx.notes.push(
    `${plural(gone.length, 'tag')} deleted in SteVe, ${pluralWord(gone.length, { one: 'its card', other: 'their cards' })} marked`,
  );
}

/**
 * The SteVe tags of these cards were deleted (found by the key diff, or a delete change capture
 * saw): marks the cards and alerts for the active ones. Applying it twice changes nothing.
 */
export async function markTagsGone(tx: Tx, cardIds: string[], scope: WriteScope): Promise<void> {
  const cards = await tx.evCard.findMany({
    where: { id: { in: cardIds }, steveTagPk: { not: null }, steveTagGoneAt: null },
    select: { id: true, publicId: true, idTag: true, status: true, steveTagPk: true },
  });
  if (cards.length === 0) return;
  await tx.evCard.updateMany({
    where: { id: { in: cards.map((c) => c.id) } },
    data: { steveTagGoneAt: scope.now },
  });
  const active = cards.filter((c) => c.status === 'ACTIVE');
  await recordAlerts(
    tx,
    active.map((c) => ({
      severity: 'WARNING' as const,
      kind: 'card.steveTagDeleted',
      message: `EV card ${c.publicId} is active in Polaris but its tag ${c.idTag} was deleted in SteVe; it cannot start sessions until the tag exists again.`,
      subjectType: 'EvCard',
      subjectId: c.publicId,
      dedupeKey: `steve-tag-deleted:${c.id}:${c.steveTagPk}`,
    })),
  );
  if (active.length) scope.changes.alerts = true;
}
