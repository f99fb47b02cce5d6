import { SteveError } from '../../errors.ts';
import { ID_TAG_PATTERN, type CreateTagCommand, type SteveTag } from '../../port.ts';
import { tagDto } from '../model/dto.ts';
import { findTag, insertTag, replaceTag, requireTag } from '../model/tags.ts';
import type { SimWorld } from '../world.ts';

/** Tag administration through SteVe's REST API: create, block, unblock, expire. */

export function createTag(world: SimWorld, command: CreateTagCommand): SteveTag {
  if (!ID_TAG_PATTERN.test(command.idTag)) {
    throw new SteveError('BAD_REQUEST', `idTag '${command.idTag}' must be 1–20 chars of [a-zA-Z0-9.:_#-]`, {
      source: 'simulator',
      status: 400,
    });
  }
  if (findTag(world, command.idTag)) {
    throw new SteveError('CONFLICT', `The idTag '${command.idTag}' exists already.`, {
      source: 'simulator',
      status: 422,
    });
  }
  if (command.expiryDate && command.expiryDate.getTime() <= world.clock) {
    throw new SteveError('BAD_REQUEST', 'expiryDate must be in the future', {
      source: 'simulator',
      status: 400,
    });
  }
  const tag = insertTag(world, {
    idTag: command.idTag,
    parentIdTag: command.parentIdTag ?? null,
    expiryDate: command.expiryDate?.getTime() ?? null,
    maxActive: command.maxActiveTransactionCount ?? 1,
    note: command.note ?? null,
  });
  return tagDto(world, tag);
}

export function blockTag(world: SimWorld, idTag: string): SteveTag {
  const tag = requireTag(world, idTag);
  replaceTag(world, tag, 0);
  return tagDto(world, tag);
}

export function unblockTag(
  world: SimWorld,
  idTag: string,
  options: { maxActiveTransactionCount?: number },
): SteveTag {
  const max = options.maxActiveTransactionCount ?? 1;
  if (max === 0) {
    throw new SteveError('BAD_REQUEST', 'unblockTag needs a maxActiveTransactionCount other than 0', {
      source: 'simulator',
    });
  }
  const tag = requireTag(world, idTag);
  replaceTag(world, tag, max);
  return tagDto(world, tag);
}

export function expireTag(world: SimWorld, idTag: string): SteveTag {
  const tag = requireTag(world, idTag);
  tag.expiryDate = world.clock;
  tag.updatedAt = world.clock;
  return tagDto(world, tag);
}
