import type { Config } from '../config.ts';
import type { LagoCustomer, LagoPort } from '../integrations/lago/port.ts';
import { RealLagoAdapter } from '../integrations/lago/real-adapter.ts';
import { LagoSandbox } from '../integrations/lago/sandbox/sandbox.ts';
import type { LagoStoreSnapshot } from '../integrations/lago/sandbox/store.ts';
import type { Logger } from './logger.ts';

/**
 * The Lago port for this deployment: the real Lago when LAGO_URL and LAGO_API_KEY are set, the
 * embedded sandbox otherwise. Nothing is called yet; see prepareLago for start-up work.
 */
export function createLago(
  config: Config,
  logger: Logger,
  standIn: { restore?: LagoStoreSnapshot | undefined; onChange?: () => Promise<void> } = {},
): LagoPort {
  const lagoLogger = logger.child({ component: 'lago' });
  if (config.lago.mode === 'real') {
    return new RealLagoAdapter({
      baseUrl: config.lago.url,
      apiKey: config.lago.apiKey,
      metricCode: config.LAGO_BILLABLE_METRIC_CODE,
      planCode: config.LAGO_PLAN_CODE,
      logger: lagoLogger,
    });
  }
  return new LagoSandbox({
    metricCode: config.LAGO_BILLABLE_METRIC_CODE,
    planCode: config.LAGO_PLAN_CODE,
    logger: lagoLogger,
    ...(standIn.restore ? { restore: standIn.restore } : {}),
    ...(standIn.onChange ? { onChange: standIn.onChange } : {}),
  });
}

/** Start-up work: demo customers in the sandbox (demo mode only), returned for the card seeder. Idempotent. */
export async function prepareLago(lago: LagoPort, config: Config, logger: Logger): Promise<LagoCustomer[]> {
  if (!config.demo || !(lago instanceof LagoSandbox)) return [];
  const customers = await lago.seedDemoCustomers();
  logger.info({ customers: customers.length }, 'Lago sandbox: demo customers seeded');
  return customers;
}
