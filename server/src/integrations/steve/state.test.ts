import { describe, expect, it } from 'vitest';
import { connectorAvailability, deriveChargerState, effectiveReservationStatus } from './state.ts';

const now = new Date('2026-03-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe('deriveChargerState', () => {
  it('is OFFLINE without a heartbeat or with a stale one, whatever the last status says', () => {
    const connectors = [{ connectorId: 1, status: 'Available' }];
    expect(deriveChargerState({ lastHeartbeatAt: null, connectors, now })).toBe('OFFLINE');
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(21), connectors, now })).toBe('OFFLINE');
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(19), connectors, now })).toBe('ONLINE');
    expect(
      deriveChargerState({ lastHeartbeatAt: minutesAgo(6), connectors, now, offlineAfterMs: 5 * 60_000 }),
    ).toBe('OFFLINE');
  });

  it('is OFFLINE when SteVe reported the station unreachable, or it is not Accepted', () => {
    const base = {
      lastHeartbeatAt: minutesAgo(1),
      connectors: [{ connectorId: 1, status: 'Available' }],
      now,
    };
    expect(deriveChargerState({ ...base, knownDisconnected: true })).toBe('OFFLINE');
    expect(deriveChargerState({ ...base, registrationStatus: 'Rejected' })).toBe('OFFLINE');
    expect(deriveChargerState({ ...base, registrationStatus: 'Accepted' })).toBe('ONLINE');
  });

  it('is ONLINE when any connector is Available, even if another one charges', () => {
    const state = deriveChargerState({
      lastHeartbeatAt: minutesAgo(1),
      connectors: [
        { connectorId: 1, status: 'Charging' },
        { connectorId: 2, status: 'Available' },
      ],
      now,
    });
    expect(state).toBe('ONLINE');
  });

  it.each([
    ['Preparing', 'IN_USE'],
    ['Charging', 'IN_USE'],
    ['SuspendedEV', 'IN_USE'],
    ['SuspendedEVSE', 'IN_USE'],
    ['Finishing', 'IN_USE'],
    ['Reserved', 'RESERVED'],
    ['Unavailable', 'UNAVAILABLE'],
    ['Faulted', 'FAULTED'],
  ] as const)('maps a single connector in %s to %s', (status, expected) => {
    expect(
      deriveChargerState({ lastHeartbeatAt: minutesAgo(1), connectors: [{ connectorId: 1, status }], now }),
    ).toBe(expected);
  });

  it('shows a charger with nothing usable as FAULTED before UNAVAILABLE', () => {
    const mixed = [
      { connectorId: 1, status: 'Unavailable' },
      { connectorId: 2, status: 'Faulted' },
    ];
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(1), connectors: mixed, now })).toBe('FAULTED');
    const oneFree = [
      { connectorId: 1, status: 'Unavailable' },
      { connectorId: 2, status: 'Available' },
    ];
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(1), connectors: oneFree, now })).toBe('ONLINE');
    const stationOff = [
      { connectorId: 0, status: 'Unavailable' },
      { connectorId: 1, status: 'Available' },
    ];
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(1), connectors: stationOff, now })).toBe(
      'UNAVAILABLE',
    );
    // Offline still wins: an unreachable station's last status says nothing about now.
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(30), connectors: mixed, now })).toBe('OFFLINE');
  });

  it('prefers IN_USE over RESERVED and lets a faulted connector 0 take the station down', () => {
    const busy = [
      { connectorId: 1, status: 'Reserved' },
      { connectorId: 2, status: 'Charging' },
    ];
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(1), connectors: busy, now })).toBe('IN_USE');
    const stationDown = [
      { connectorId: 0, status: 'Faulted' },
      { connectorId: 1, status: 'Available' },
    ];
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(1), connectors: stationDown, now })).toBe(
      'FAULTED',
    );
  });

  it('treats a connected station without any status as ONLINE', () => {
    expect(deriveChargerState({ lastHeartbeatAt: minutesAgo(1), connectors: [], now })).toBe('ONLINE');
    expect(
      deriveChargerState({
        lastHeartbeatAt: minutesAgo(1),
        connectors: [{ connectorId: 1, status: null }],
        now,
      }),
    ).toBe('ONLINE');
  });
});

describe('connectorAvailability / effectiveReservationStatus', () => {
  it('classifies connector statuses', () => {
    expect(connectorAvailability('Available')).toBe('AVAILABLE');
    expect(connectorAvailability('Finishing')).toBe('IN_USE');
    expect(connectorAvailability('Reserved')).toBe('RESERVED');
    expect(connectorAvailability('Faulted')).toBe('OUT_OF_SERVICE');
    expect(connectorAvailability(null)).toBe('OUT_OF_SERVICE');
  });

  it('reports an ACCEPTED reservation past its expiry as EXPIRED', () => {
    expect(effectiveReservationStatus({ status: 'ACCEPTED', expiryAt: minutesAgo(1) }, now)).toBe('EXPIRED');
    expect(effectiveReservationStatus({ status: 'ACCEPTED', expiryAt: minutesAgo(-1) }, now)).toBe(
      'ACCEPTED',
    );
    expect(effectiveReservationStatus({ status: 'USED', expiryAt: minutesAgo(1) }, now)).toBe('USED');
  });
});
