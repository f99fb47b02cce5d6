import type { Config } from '../config.ts';
import { createStevePort } from '../integrations/steve/index.ts';
import type { StevePort } from '../integrations/steve/port.ts';
import type { WorldSnapshot } from '../integrations/steve/simulator/index.ts';
import type { Logger } from './logger.ts';

export interface SteveFactoryOptions {
  /** Clock for the simulator (tests pass a controllable one); ignored for a real SteVe. */
  now?: () => Date;
  /** A saved simulator state to continue (lib/stand-ins.ts); ignored for a real SteVe. */
  restore?: WorldSnapshot | undefined;
}

/**
 * The SteVe port the configuration asks for: the real adapter when STEVE_URL & co. are set,
 * otherwise the embedded fleet simulator seeded by SIMULATOR_SEED with SIMULATOR_CHARGERS stations.
 */
export function createSteve(config: Config, logger: Logger, options: SteveFactoryOptions = {}): StevePort {
  const log = logger.child({ component: 'steve' });
  if (config.steve.mode === 'real') {
    const { url, user, password, dbUrl } = config.steve;
    return createStevePort({ mode: 'real', url, user, password, dbUrl }, log);
  }
  return createStevePort(
    {
      mode: 'simulator',
      seed: config.SIMULATOR_SEED,
      size: config.SIMULATOR_CHARGERS,
      // Stations sample every few seconds in the demo so the driver's banner visibly counts up.
      meterIntervalMs: 5_000,
      // Connectors now and then report Faulted (the demo shows faults and their one-click fixes).
      connectorFaults: true,
      ...(options.now ? { now: options.now } : {}),
      ...(options.restore ? { restore: options.restore } : {}),
    },
    log,
  );
}
