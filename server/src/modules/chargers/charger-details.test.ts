import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { PkPageQuery } from '../../integrations/steve/port.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { ManualClock } from '../sync/test-helpers.ts';
import { connectorTypeFromSteve } from './charger-profile.ts';

/** A simulator whose first charger has a SteVe address/coordinates and a typed connector 1. */
class LocatedFleet extends FleetSimulator {
  address = 'Hafenstraße 12, 20457 Hamburg, DE';
  override async listChargePoints(query?: PkPageQuery) {
    const page = await super.listChargePoints(query);
    return {
      ...page,
      items: page.items.map((cp, i) =>
        i === 0 && cp.pk === 1
          ? {
              ...cp,
              location: { latitude: 53.54, longitude: 9.98, address: this.address },
              connectors: cp.connectors.map((c) => ({
                ...c,
                connectorType: c.connectorId === 1 ? 'CCS2' : null,
              })),
            }
          : cp,
      ),
    };
  }
}

const CHARGERS = /* GraphQL */ `
  query ($search: String, $connectorType: ConnectorType, $freeNow: Boolean) {
    chargers(first: 50, search: $search, connectorType: $connectorType, freeNow: $freeNow) {
      edges {
        node {
          id
          chargeBoxId
          name
          connectorCount
          freeConnectorCount
          site {
            name
            address
            latitude
            longitude
          }
          connectors {
            connectorId
            status
            isFree
            connectorType
            ratedPowerKw
          }
        }
      }
    }
  }
`;

type Node = {
  id: string;
  chargeBoxId: string;
  name: string;
  connectorCount: number;
  freeConnectorCount: number;
  site: { name: string | null; address: string | null; latitude: number | null; longitude: number | null };
  connectors: {
    connectorId: number;
    status: string;
    isFree: boolean;
    connectorType: string | null;
    ratedPowerKw: number | null;
  }[];
};
type ChargersData = { chargers: { edges: { node: Node }[] } };

const UPDATE = /* GraphQL */ `
  mutation ($chargerId: ID!, $input: ChargerDetailsInput!) {
    updateChargerDetails(chargerId: $chargerId, input: $input) {
      id
      name
      site {
        name
        address
        latitude
        longitude
      }
      connectors {
        connectorId
        connectorType
        ratedPowerKw
      }
    }
  }
`;

describe('charger site, connector types and driver filters', () => {
  let t: TestApp;
  let sim: LocatedFleet;
  let adminCookie: string;
  let driverCookie: string;

  const list = async (variables: Record<string, unknown> = {}) => {
    const res = await t.graphql<ChargersData>(CHARGERS, variables, { cookie: driverCookie });
    expect(res.errors).toBeUndefined();
    return res.data!.chargers.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    const clock = new ManualClock();
    sim = new LocatedFleet({ seed: 9, size: 6, now: clock.now, fleetChurn: false });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const driver = await t.createUser({ role: 'customer' });
    driverCookie = await t.signIn(driver.email, driver.password);
    await t.app.services.sync.engine.run({ trigger: 'STARTUP' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('shows SteVe’s address, coordinates and connector type, and counts free connectors', async () => {
    const nodes = await list();
    const first = nodes.find((n) => n.site.address !== null)!;
    expect(first.site).toEqual({ name: null, address: sim.address, latitude: 53.54, longitude: 9.98 });
    expect(first.connectors.find((c) => c.connectorId === 1)?.connectorType).toBe('CCS2');
    for (const n of nodes) {
      expect(n.connectorCount).toBe(n.connectors.length);
      expect(n.freeConnectorCount).toBe(n.connectors.filter((c) => c.status === 'Available').length);
      expect(n.connectors.every((c) => c.isFree === (c.status === 'Available'))).toBe(true);
    }
  });

  it('lets an operator override name, site and plugs; the next sync keeps the overrides', async () => {
    const [first] = await list({ search: 'Hamburg' });
    expect(first).toBeDefined();
    const driverTry = await t.graphql(
      UPDATE,
      { chargerId: first!.id, input: { displayName: 'Nope' } },
      { cookie: driverCookie },
    );
    expect(driverTry.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const res = await t.graphql<{ updateChargerDetails: Node }>(
      UPDATE,
      {
        chargerId: first!.id,
        input: {
          displayName: 'Harbour fast charger',
          siteName: 'Harbour car park',
          latitude: 53.5,
          longitude: 10,
          connectors: [{ connectorNumber: 1, connectorType: 'CHADEMO', maxPowerKw: 62.5 }],
        },
      },
      { cookie: adminCookie },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateChargerDetails).toMatchObject({
      name: 'Harbour fast charger',
      site: { name: 'Harbour car park', address: sim.address, latitude: 53.5, longitude: 10 },
    });
    expect(res.data!.updateChargerDetails.connectors[0]).toEqual({
      connectorId: 1,
      connectorType: 'CHADEMO',
      ratedPowerKw: 62.5,
    });

    sim.address = 'Moved by SteVe 1, Hamburg';
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    const [after] = await list({ search: 'harbour car' });
    expect(after).toMatchObject({
      id: first!.id,
      name: 'Harbour fast charger',
      site: { name: 'Harbour car park', address: 'Moved by SteVe 1, Hamburg', latitude: 53.5, longitude: 10 },
    });
    expect(after!.connectors[0]).toMatchObject({ connectorType: 'CHADEMO', ratedPowerKw: 62.5 });

    const audit = await t.app.services.db.auditEvent.findFirst({
      where: { action: 'charger.detailsUpdated' },
    });
    expect(audit?.subjectId).toBe(first!.chargeBoxId);
  });

  it('refuses coordinates without their pair and out-of-range power', async () => {
    const [first] = await list();
    const half = await t.graphql(
      UPDATE,
      { chargerId: first!.id, input: { latitude: 1 } },
      { cookie: adminCookie },
    );
    expect(half.errors?.[0]?.message).toBe('Set latitude and longitude together.');
    const power = await t.graphql(
      UPDATE,
      { chargerId: first!.id, input: { connectors: [{ connectorNumber: 1, maxPowerKw: -3 }] } },
      { cookie: adminCookie },
    );
    expect(power.errors?.[0]?.message).toBe('Power must be more than 0 and at most 1000 kW.');
  });

  it('filters by plug type and free now', async () => {
    const chademo = await list({ connectorType: 'CHADEMO' });
    expect(chademo.map((n) => n.name)).toEqual(['Harbour fast charger']);
    const free = await list({ freeNow: true });
    expect(free.every((n) => n.freeConnectorCount > 0)).toBe(true);
    const all = await list();
    expect(free.length).toBe(all.filter((n) => n.freeConnectorCount > 0).length);
  });

  it('maps SteVe’s spellings of connector types', () => {
    expect(connectorTypeFromSteve('cCCS2')).toBe('CCS2');
    expect(connectorTypeFromSteve('Type 2')).toBe('TYPE2');
    expect(connectorTypeFromSteve('CHAdeMO')).toBe('CHADEMO');
    expect(connectorTypeFromSteve('weird')).toBe('OTHER');
    expect(connectorTypeFromSteve(null)).toBeNull();
  });
});
