/**
 * The SteVe stand-ins: the embedded fleet simulator (a StevePort without any SteVe) and the fake
 * SteVe REST server (fake-steve-rest.ts, for tests of the real adapter). Nothing here talks to a
 * real SteVe; that code is ../real-adapter.ts, ../rest-client.ts and ../db-reader.ts.
 */
export { FleetSimulator, type FleetSimulatorOptions, type SimulatorFault } from './fleet-simulator.ts';
export type { WorldSnapshot } from './world.ts';
export { SIM_CHARGER_MODELS, type SimChargerModel, type SimChargerRole } from './model/types.ts';
