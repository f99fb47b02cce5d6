import { describe, expect, it } from 'vitest';
import { SteveError } from '../errors.ts';
import type { StevePort, SteveTransaction } from '../port.ts';
import { FleetSimulator, type FleetSimulatorOptions } from './index.ts';
import { deriveChargerState } from '../state.ts';

const T0 = new Date('2026-05-04T08:00:00.000Z');
const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A simulator on a hand-driven clock. */
function makeSim(options: FleetSimulatorOptions = {}) {
  let now = T0.getTime();
  const sim = new FleetSimulator({
    seed: 7,
    start: T0,
    now: () => new Date(now),
    operationWaitMs: 5,
    ...options,
  });
  return {
    sim,
    at: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Quiet fleet: only what the test does happens. */
const quiet: FleetSimulatorOptions = {
  warmupMs: 0,
  backgroundActivity: false,
  fleetChurn: false,
  outages: false,
  remoteStartNoShowRate: 0,
};

async function allTransactions(port: StevePort): Promise<SteveTransaction[]> {
  const out: SteveTransaction[] = [];
  let afterPk = 0;
  for (;;) {
    const page = await port.listTransactions({ afterPk, limit: 7 });
    out.push(...page.items);
    afterPk = page.cursor;
    if (!page.hasMore) return out;
  }
}

async function snapshot(port: StevePort) {
  return {
    chargePoints: (await port.listChargePoints({ limit: 5000 })).items,
    statuses: (await port.listConnectorStatuses({ limit: 5000 })).items,
    transactions: await allTransactions(port),
    reservations: (await port.listReservations({ limit: 5000 })).items,
    tags: (await port.listTags({ limit: 5000 })).items,
  };
}

describe('FleetSimulator', () => {
  it('is deterministic: same seed and time jumps ⇒ identical state, whatever the jump granularity', async () => {
    const a = makeSim({ seed: 42 });
    const b = makeSim({ seed: 42 });
    a.advance(36 * HOUR);
    for (let i = 0; i < 36 * 4; i++) {
      b.advance(15 * MINUTE);
      b.sim.advanceTo(b.at());
    }
    const snapA = await snapshot(a.sim);
    const snapB = await snapshot(b.sim);
    expect(snapA.transactions.length).toBeGreaterThan(10);
    expect(snapB).toEqual(snapA);

    const other = makeSim({ seed: 43 });
    other.advance(36 * HOUR);
    expect((await snapshot(other.sim)).transactions).not.toEqual(snapA.transactions);
  });

  it('builds a believable fleet: AC and DC powers, 1–2 connectors, all Available and online at start', async () => {
    const { sim, at } = makeSim({ ...quiet, size: 12 });
    const cps = (await sim.listChargePoints()).items;
    expect(cps).toHaveLength(12);
    const powers = new Set(cps.flatMap((cp) => cp.connectors.map((c) => c.maxPowerW)));
    for (const p of powers) expect([7_400, 11_000, 22_000, 50_000, 150_000]).toContain(p);
    expect(cps.some((cp) => cp.connectors.some((c) => c.powerType === 'DC'))).toBe(true);
    expect(cps.some((cp) => cp.connectors.some((c) => c.powerType === 'AC'))).toBe(true);
    for (const cp of cps) {
      expect(cp.connectors.length).toBeGreaterThanOrEqual(1);
      expect(cp.connectors.length).toBeLessThanOrEqual(2);
      expect(cp.chargeBoxId).toMatch(/^PX-[A-Z]{3}-\d{3}$/);
    }
    const statuses = (await sim.listConnectorStatuses()).items;
    expect(statuses.every((s) => s.status === 'Available')).toBe(true);
    expect(sim.roles.refusesRemoteStart).not.toBeNull();
    expect(sim.roles.neverAnswers).not.toBeNull();
    expect(sim.roles.flaky).toHaveLength(1);
    expect(
      cps.every(
        (cp) =>
          deriveChargerState({ lastHeartbeatAt: cp.lastHeartbeatAt, connectors: [], now: at() }) === 'ONLINE',
      ),
    ).toBe(true);
  });

  it('accepts a remote start, but the transaction only appears once the EV starts a few seconds later', async () => {
    const { sim, advance } = makeSim(quiet);
    const chargeBoxId = sim.normalChargers[0]!;
    await sim.createTag({ idTag: 'POLARIS01' });

    const result = await sim.remoteStart({ chargeBoxId, connectorId: 1, idTag: 'POLARIS01' });
    expect(result).toMatchObject({ kind: 'ACCEPTED', status: 'Accepted' });
    expect((await sim.listTransactions()).items).toHaveLength(0);
    const preparing = (await sim.listConnectorStatuses({ chargeBoxIds: [chargeBoxId] })).items.find(
      (s) => s.connectorId === 1,
    );
    expect(preparing?.status).toBe('Preparing');

    advance(1 * SECOND);
    expect((await sim.listTransactions()).items).toHaveLength(0);
    advance(4 * SECOND);
    const [tx] = (await sim.listTransactions()).items;
    expect(tx).toMatchObject({
      chargeBoxId,
      connectorId: 1,
      idTag: 'POLARIS01',
      stoppedAt: null,
      meterStopWh: null,
    });
    const charging = (await sim.listConnectorStatuses({ chargeBoxIds: [chargeBoxId] })).items.find(
      (s) => s.connectorId === 1,
    );
    expect(charging?.status).toBe('Charging');
    // The tag is now in a transaction, and its one-at-a-time limit applies.
    const tag = (await sim.listTags()).items.find((t) => t.idTag === 'POLARIS01');
    expect(tag?.activeTransactionCount).toBe(1);
    const second = await sim.remoteStart({ chargeBoxId: sim.normalChargers[1]!, idTag: 'POLARIS01' });
    expect(second).toMatchObject({ kind: 'STEVE_REFUSED', reason: 'TAG_NOT_ELIGIBLE' });
  });

  it('meters energy at roughly the connector power and ends the session on remote stop', async () => {
    const { sim, advance } = makeSim(quiet);
    const cp = (await sim.listChargePoints()).items.find((c) => sim.normalChargers.includes(c.chargeBoxId))!;
    const powerW = cp.connectors[0]!.maxPowerW!;
    await sim.createTag({ idTag: 'POLARIS02' });
    await sim.remoteStart({ chargeBoxId: cp.chargeBoxId, connectorId: 1, idTag: 'POLARIS02' });
    advance(5 * SECOND);
    const [tx] = (await sim.listTransactions()).items;
    // Short enough that no EV is full yet (min 5 kWh at ≤150 kW takes 2 min).
    advance(90 * SECOND);
    const samples = (await sim.listMeterValues({ transactionPks: [tx!.pk] })).items;
    expect(samples.length).toBeGreaterThanOrEqual(2);
    const first = samples[0]!;
    const last = samples.at(-1)!;
    expect(first.energyWh).toBe(tx!.meterStartWh);
    const hours = (last.at.getTime() - first.at.getTime()) / HOUR;
    const observedW = (last.energyWh! - first.energyWh!) / hours;
    expect(observedW).toBeGreaterThan(powerW * 0.8);
    expect(observedW).toBeLessThanOrEqual(powerW * 1.01);
    expect(last.powerW).toBeGreaterThan(powerW * 0.8);
    for (let i = 1; i < samples.length; i++)
      expect(samples[i]!.energyWh!).toBeGreaterThanOrEqual(samples[i - 1]!.energyWh!);

    const stop = await sim.remoteStop({ chargeBoxId: cp.chargeBoxId, transactionPk: tx!.pk });
    expect(stop.kind).toBe('ACCEPTED');
    expect((await sim.getTransactions([tx!.pk]))[0]?.stoppedAt).toBeNull();
    advance(3 * SECOND);
    const [stopped] = await sim.getTransactions([tx!.pk]);
    expect(stopped).toMatchObject({ stopReason: 'Remote', stopActor: 'station' });
    expect(stopped!.meterStopWh!).toBeGreaterThan(stopped!.meterStartWh);
    const page = await sim.listStoppedTransactions({ after: { at: new Date(0), pk: 0 } });
    expect(page.items.map((t) => t.pk)).toEqual([tx!.pk]);
    const again = await sim.remoteStop({ chargeBoxId: cp.chargeBoxId, transactionPk: tx!.pk });
    expect(again).toMatchObject({ kind: 'STEVE_REFUSED', reason: 'TRANSACTION_NOT_ACTIVE' });
  });

  it('ends sessions on its own when the EV is full', async () => {
    const { sim, advance } = makeSim(quiet);
    await sim.createTag({ idTag: 'POLARIS03' });
    await sim.remoteStart({ chargeBoxId: sim.normalChargers[0]!, idTag: 'POLARIS03' });
    // 60 kWh at 7.4 kW is ~8 h; the driver comes back within 25 min after that.
    advance(10 * HOUR);
    const [tx] = (await sim.listTransactions()).items;
    expect(tx?.stoppedAt).not.toBeNull();
    expect(['Local', 'EVDisconnected']).toContain(tx?.stopReason);
  });

  it('has a charger that refuses remote starts and one that never answers', async () => {
    const { sim } = makeSim(quiet);
    await sim.createTag({ idTag: 'POLARIS04' });
    const refused = await sim.remoteStart({ chargeBoxId: sim.roles.refusesRemoteStart!, idTag: 'POLARIS04' });
    expect(refused).toMatchObject({ kind: 'REJECTED', status: 'Rejected' });
    const started = Date.now();
    const silent = await sim.remoteStart({ chargeBoxId: sim.roles.neverAnswers!, idTag: 'POLARIS04' });
    expect(silent.kind).toBe('NO_ANSWER');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4);
    expect((await sim.listTransactions()).items).toHaveLength(0);
  });

  it('reports unknown or disconnected chargers as OFFLINE and refuses ineligible tags', async () => {
    const { sim, advance } = makeSim({ ...quiet, outages: true });
    await sim.createTag({ idTag: 'POLARIS05' });
    expect(await sim.remoteStart({ chargeBoxId: 'NOPE', idTag: 'POLARIS05' })).toMatchObject({
      kind: 'OFFLINE',
    });
    expect(await sim.remoteStart({ chargeBoxId: sim.normalChargers[0]!, idTag: 'UNKNOWN' })).toMatchObject({
      kind: 'STEVE_REFUSED',
      reason: 'TAG_NOT_ELIGIBLE',
    });
    await sim.blockTag('POLARIS05');
    expect(await sim.remoteStart({ chargeBoxId: sim.normalChargers[0]!, idTag: 'POLARIS05' })).toMatchObject({
      reason: 'TAG_NOT_ELIGIBLE',
    });

    // The flaky charger drops out at some point within a day and comes back.
    const flaky = sim.roles.flaky[0]!;
    let sawOffline = false;
    let sawBack = false;
    for (let i = 0; i < 24 * 12; i++) {
      advance(5 * MINUTE);
      const result = await sim.remoteStop({ chargeBoxId: flaky, transactionPk: 999 });
      if (result.kind === 'OFFLINE') sawOffline = true;
      else if (sawOffline) sawBack = true;
    }
    expect(sawOffline).toBe(true);
    expect(sawBack).toBe(true);
  });

  it('keeps created, blocked, unblocked and expired tags visible in listTags, paged by (updatedAt, pk)', async () => {
    const { sim, advance } = makeSim(quiet);
    const initial = (await sim.listTags()).items.length;
    await sim.createTag({ idTag: 'POLARIS06', note: 'n' });
    await expect(sim.createTag({ idTag: 'polaris06' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(sim.blockTag('NOPE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const first = await sim.listTags({ limit: 1000 });
    expect(first.items).toHaveLength(initial + 1);

    advance(MINUTE);
    expect(await sim.blockTag('POLARIS06')).toMatchObject({
      blocked: true,
      maxActiveTransactionCount: 0,
      note: 'n',
    });
    const changed = await sim.listTags({ after: first.cursor });
    expect(changed.items.map((t) => t.idTag)).toEqual(['POLARIS06']);
    expect(changed.hasMore).toBe(false);

    advance(MINUTE);
    expect(await sim.unblockTag('POLARIS06', { maxActiveTransactionCount: 2 })).toMatchObject({
      blocked: false,
      maxActiveTransactionCount: 2,
    });
    const expired = await sim.expireTag('POLARIS06');
    expect(expired.expiryDate?.getTime()).toBeLessThanOrEqual(Date.parse(T0.toISOString()) + 2 * MINUTE);
    const paged = await sim.listTags({ limit: 3 });
    expect(paged.items).toHaveLength(3);
    expect(paged.hasMore).toBe(true);
  });

  it('accepts a reservation, shows the connector Reserved, and lets it expire (status stays ACCEPTED, as in SteVe)', async () => {
    const { sim, advance } = makeSim(quiet);
    const chargeBoxId = sim.normalChargers[0]!;
    await sim.createTag({ idTag: 'POLARIS07' });
    const expiry = new Date(T0.getTime() + 15 * MINUTE);
    const result = await sim.reserveNow({ chargeBoxId, connectorId: 1, idTag: 'POLARIS07', expiry });
    expect(result).toMatchObject({ kind: 'ACCEPTED' });
    const reservationId = (result as { reservationId?: number }).reservationId!;
    expect(reservationId).toBeGreaterThan(0);
    const statusOf = async () =>
      (await sim.listConnectorStatuses({ chargeBoxIds: [chargeBoxId] })).items.find(
        (s) => s.connectorId === 1,
      )?.status;
    expect(await statusOf()).toBe('Reserved');
    expect(await sim.reserveNow({ chargeBoxId, connectorId: 1, idTag: 'POLARIS07', expiry })).toMatchObject({
      kind: 'REJECTED',
      status: 'Occupied',
    });

    advance(16 * MINUTE);
    expect(await statusOf()).toBe('Available');
    const [reservation] = (await sim.listReservations()).items;
    expect(reservation).toMatchObject({ pk: reservationId, status: 'ACCEPTED', chargeBoxId, connectorId: 1 });
    expect(await sim.cancelReservation({ chargeBoxId, reservationId })).toMatchObject({
      kind: 'STEVE_REFUSED',
      reason: 'RESERVATION_NOT_ACTIVE',
    });
  });

  it('cancels a reservation and consumes one with a matching remote start', async () => {
    const { sim, advance } = makeSim(quiet);
    const [cpA, cpB] = sim.normalChargers;
    await sim.createTag({ idTag: 'POLARIS08' });
    const expiry = new Date(T0.getTime() + HOUR);
    const a = await sim.reserveNow({ chargeBoxId: cpA!, connectorId: 1, idTag: 'POLARIS08', expiry });
    const cancel = await sim.cancelReservation({
      chargeBoxId: cpA!,
      reservationId: (a as { reservationId: number }).reservationId,
    });
    expect(cancel.kind).toBe('ACCEPTED');

    const b = await sim.reserveNow({ chargeBoxId: cpB!, connectorId: 1, idTag: 'POLARIS08', expiry });
    await sim.createTag({ idTag: 'OTHER01' });
    expect(await sim.remoteStart({ chargeBoxId: cpB!, connectorId: 1, idTag: 'OTHER01' })).toMatchObject({
      kind: 'REJECTED',
    });
    expect(await sim.remoteStart({ chargeBoxId: cpB!, connectorId: 1, idTag: 'POLARIS08' })).toMatchObject({
      kind: 'ACCEPTED',
    });
    advance(5 * SECOND);
    const reservations = (await sim.listReservations()).items;
    const used = reservations.find((r) => r.pk === (b as { reservationId: number }).reservationId);
    const [tx] = (await sim.listTransactions()).items;
    expect(used).toMatchObject({ status: 'USED', transactionPk: tx!.pk });
    expect(reservations.find((r) => r.pk === (a as { reservationId: number }).reservationId)?.status).toBe(
      'CANCELLED',
    );
  });

  it('deletes and adds charge points over time; deletion takes the history with it', async () => {
    const { sim, advance } = makeSim({ seed: 3, size: 8 });
    const before = (await sim.listChargePoints()).items;
    const maxPkBefore = Math.max(...before.map((cp) => cp.pk));
    advance(4 * 24 * HOUR);
    const after = (await sim.listChargePoints()).items;
    const afterPks = new Set(after.map((cp) => cp.pk));
    const deleted = before.filter((cp) => !afterPks.has(cp.pk));
    const added = after.filter((cp) => cp.pk > maxPkBefore);
    expect(deleted.length).toBeGreaterThan(0);
    expect(added.length).toBeGreaterThan(0);
    const transactions = await allTransactions(sim);
    const deletedIds = new Set(deleted.map((cp) => cp.chargeBoxId));
    expect(transactions.some((t) => deletedIds.has(t.chargeBoxId))).toBe(false);
    const pks = transactions.map((t) => t.pk);
    expect(pks).toEqual([...pks].sort((x, y) => x - y));

    // Explicit control for demos and tests.
    const victim = after[0]!.chargeBoxId;
    expect(sim.deleteChargePoint(victim)).toBe(true);
    expect((await sim.listChargePoints()).items.some((cp) => cp.chargeBoxId === victim)).toBe(false);
    const fresh = sim.addChargePoint();
    expect((await sim.listChargePoints()).items.at(-1)?.chargeBoxId).toBe(fresh);
  });

  it('takes only idle chargers out of the fleet: a running or just-stopped transaction never vanishes', async () => {
    // Faults on, as in the demo (they change which charger the churn picks).
    const { sim, advance, at } = makeSim({ seed: 1515, size: 10, connectorFaults: true });
    const open = new Map<number, string>();
    const closedAt = new Map<number, number>();
    let deletions = 0;
    let chargers = new Set((await sim.listChargePoints()).items.map((cp) => cp.chargeBoxId));
    for (let i = 0; i < 6 * 24 * 4; i++) {
      advance(15 * MINUTE);
      const now = at().getTime();
      const present = new Map((await allTransactions(sim)).map((t) => [t.pk, t]));
      for (const [pk, chargeBoxId] of open) {
        const seenClosed = closedAt.get(pk);
        if (seenClosed !== undefined && now - seenClosed > HOUR) continue;
        expect(present.has(pk), `transaction ${pk} on ${chargeBoxId} vanished`).toBe(true);
      }
      for (const t of present.values()) {
        open.set(t.pk, t.chargeBoxId);
        if (t.stoppedAt && !closedAt.has(t.pk)) closedAt.set(t.pk, now);
      }
      const next = new Set((await sim.listChargePoints()).items.map((cp) => cp.chargeBoxId));
      deletions += [...chargers].filter((id) => !next.has(id)).length;
      chargers = next;
    }
    expect(deletions).toBeGreaterThan(0);
  });

  it('keeps the fleet alive on its own without every charger busy, with monotonic transaction ids', async () => {
    const { sim, advance } = makeSim({ seed: 11, fleetChurn: false });
    let busiest = 0;
    let quietest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 24; i++) {
      advance(HOUR);
      const statuses = (await sim.listConnectorStatuses()).items;
      const busy = statuses.filter((s) => s.status !== 'Available').length / statuses.length;
      busiest = Math.max(busiest, busy);
      quietest = Math.min(quietest, busy);
    }
    const transactions = await allTransactions(sim);
    expect(transactions.length).toBeGreaterThan(15);
    expect(busiest).toBeLessThan(0.9);
    expect(quietest).toBeLessThan(busiest);
    expect(transactions.map((t) => t.pk)).toEqual(transactions.map((_, i) => transactions[0]!.pk + i));
  });

  it('pages meter values in bulk across transactions without gaps or repeats', async () => {
    const { sim, advance } = makeSim({ seed: 5, warmupMs: 0 });
    advance(2 * HOUR);
    const pks = (await allTransactions(sim)).map((t) => t.pk);
    const everything = (await sim.listMeterValues({ transactionPks: pks, limit: 5000 })).items;
    const paged = [];
    let after = null;
    for (;;) {
      const page = await sim.listMeterValues({ transactionPks: pks, after, limit: 13 });
      paged.push(...page.items);
      after = page.cursor;
      if (!page.hasMore) break;
    }
    expect(everything.length).toBeGreaterThan(50);
    expect(everything.length).toBeLessThan(5000);
    expect(paged).toEqual(everything);
  });

  it('has a fault switch: unreachable, garbage and slow', async () => {
    const { sim } = makeSim(quiet);
    sim.setFault({ unreachable: true });
    await expect(sim.listChargePoints()).rejects.toSatisfy(
      (e: unknown) => e instanceof SteveError && e.code === 'UNREACHABLE',
    );
    expect((await sim.health()).ok).toBe(false);
    sim.setFault({ garbage: true });
    await expect(sim.listTags()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    sim.setFault({ slowMs: 30 });
    const started = Date.now();
    await sim.listTags();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    sim.setFault({});
    expect((await sim.health()).ok).toBe(true);
  });
});
