/** What the sign-in page tells people about this deployment. */
export interface DeploymentMode {
  title: string;
  detail: string | null;
  /** Demo deployments seed demo accounts; the page shows their credentials. */
  showDemoAccounts: boolean;
  tone: 'demo' | 'test' | 'live';
}

export interface DeploymentFacts {
  demo: boolean;
  /** `simulator` or `real` */
  steveMode: string;
  /** `sandbox` or `real` */
  lagoMode: string;
}

export const DEMO_ACCOUNTS = {
  operator: 'admin@polaris.test',
  driver: 'driver@polaris.test',
  password: 'polaris-demo',
} as const;

export function describeDeploymentMode({ demo, steveMode, lagoMode }: DeploymentFacts): DeploymentMode {
  const simulatedFleet = steveMode === 'simulator';
  const sandboxBilling = lagoMode === 'sandbox';
  const fleet = simulatedFleet ? 'simulated fleet' : 'live SteVe fleet';
  const billing = sandboxBilling ? 'Lago sandbox' : 'live Lago billing';
  if (demo) {
    return {
      title: `Demo mode — ${fleet} and ${billing}`,
      detail: 'Demo accounts are ready to use. Nothing here charges a real card.',
      showDemoAccounts: true,
      tone: 'demo',
    };
  }
  if (simulatedFleet || sandboxBilling) {
    return {
      title: `Test deployment — ${fleet} and ${billing}`,
      detail: simulatedFleet ? 'Chargers here are simulated.' : 'Usage here is billed to the Lago sandbox.',
      showDemoAccounts: false,
      tone: 'test',
    };
  }
  return { title: 'Live deployment', detail: null, showDemoAccounts: false, tone: 'live' };
}
