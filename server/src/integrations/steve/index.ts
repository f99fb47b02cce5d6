import type { StevePort } from './port.ts';
import { RealSteveAdapter } from './real-adapter.ts';
import type { SteveLogger, SteveTimeouts } from './rest-client.ts';
import { FleetSimulator, type FleetSimulatorOptions } from './simulator/index.ts';

export * from './port.ts';
export { steveKey, sameSteveId } from './key.ts';
export {
  deriveChargerState,
  connectorAvailability,
  effectiveReservationStatus,
  DEFAULT_OFFLINE_AFTER_MS,
} from './state.ts';
export type { ChargerState, ChargerStateInput, ConnectorAvailability } from './state.ts';
export { RealSteveAdapter, type RealSteveAdapterOptions } from './real-adapter.ts';
export { FleetSimulator, type FleetSimulatorOptions, type SimulatorFault } from './simulator/index.ts';
export type { SteveLogger, SteveTimeouts } from './rest-client.ts';

/** Mirrors `config.steve` (server/src/config.ts). */
export type SteveConnection =
  | ({ mode: 'simulator' } & FleetSimulatorOptions)
  | {
      mode: 'real';
      url: string;
      user: string;
      password: string;
      dbUrl: string;
      timeouts?: Partial<SteveTimeouts>;
    };

/** The port for the configured mode: a real SteVe, or the embedded fleet simulator. */
export function createStevePort(connection: SteveConnection, logger?: SteveLogger): StevePort {
  if (connection.mode === 'real') {
    return new RealSteveAdapter({
      baseUrl: connection.url,
      username: connection.user,
      password: connection.password,
      dbUrl: connection.dbUrl,
      timeouts: connection.timeouts,
      logger,
    });
  }
  const { mode: _mode, ...options } = connection;
  return new FleetSimulator(options);
}
