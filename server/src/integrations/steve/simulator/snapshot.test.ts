import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { StevePort } from '../port.ts';
import { FleetSimulator } from './index.ts';

const T0 = new Date('2026-05-04T08:00:00.000Z');
const MINUTE = 60_000;

/** What a sync would see: every transaction with its samples, every reservation and tag. */
async function everything(port: StevePort) {
  const transactions = (await port.listTransactions({ limit: 1000 })).items;
  const samples = await port.listMeterValues({
    transactionPks: transactions.map((t) => t.pk),
    limit: 100_000,
  });
  return {
    transactions,
    samples: samples.items,
    reservations: (await port.listReservations({ limit: 1000 })).items,
    tags: (await port.listTags({ limit: 1000 })).items,
    chargePoints: (await port.listChargePoints({ limit: 1000 })).items,
  };
}

describe('simulator snapshot', () => {
  it('continues exactly as the original would, through a save and a restore', async () => {
    let now = T0.getTime();
    const clock = () => new Date(now);
    const original = new FleetSimulator({ seed: 3, size: 8, now: clock, operationWaitMs: 5 });
    const charger = original.normalChargers[0]!;
    const tag = await original.createTag({ idTag: 'SNAP-1' });
    now += 10 * MINUTE;
    await original.remoteStart({ chargeBoxId: charger, idTag: tag.idTag });

    // Saved as the app saves it (Node's structured serialisation), restored in a "new process".
    const saved = v8.deserialize(v8.serialize(original.snapshot())) as ReturnType<FleetSimulator['snapshot']>;
    const restored = new FleetSimulator({ size: 8, now: clock, operationWaitMs: 5, restore: saved });

    // Six simulated hours later both fleets are the same, down to each meter sample and key.
    now += 6 * 60 * MINUTE;
    const a = await everything(original);
    const b = await everything(restored);
    expect(b).toEqual(a);
    expect(a.transactions.some((t) => t.idTag === 'SNAP-1')).toBe(true);
    expect(a.transactions.filter((t) => t.stoppedAt === null).length + a.reservations.length).toBeGreaterThan(
      0,
    );

    // New keys continue after the saved counters: both hand out the same, unused, next key.
    const nextA = await original.createTag({ idTag: 'SNAP-2' });
    const nextB = await restored.createTag({ idTag: 'SNAP-2' });
    expect(nextB.pk).toBe(nextA.pk);
    expect(a.tags.map((t) => t.pk)).not.toContain(nextA.pk);
  });

  it('tells listeners about every change from outside, so it can be saved', async () => {
    const sim = new FleetSimulator({ seed: 3, size: 4, start: T0, now: () => T0, warmupMs: 0 });
    let changes = 0;
    const stop = sim.onExternalChange(() => {
      changes += 1;
    });
    await sim.listTransactions();
    expect(changes).toBe(0);
    await sim.createTag({ idTag: 'LISTEN-1' });
    await sim.remoteStart({ chargeBoxId: sim.normalChargers[0]!, idTag: 'LISTEN-1' });
    sim.addChargePoint();
    expect(changes).toBe(3);
    stop();
    await sim.blockTag('LISTEN-1');
    expect(changes).toBe(3);
  });
});
