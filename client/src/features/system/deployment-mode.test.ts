import { describe, expect, it } from 'vitest';
import { describeDeploymentMode } from './deployment-mode.ts';

describe('describeDeploymentMode', () => {
  it('announces the demo with its simulated fleet and Lago sandbox, and offers the demo accounts', () => {
    const mode = describeDeploymentMode({ demo: true, steveMode: 'simulator', lagoMode: 'sandbox' });
    expect(mode.title).toBe('Demo mode — simulated fleet and Lago sandbox');
    expect(mode.showDemoAccounts).toBe(true);
  });

  it('marks a non-demo deployment that still simulates something as a test deployment', () => {
    const mode = describeDeploymentMode({ demo: false, steveMode: 'real', lagoMode: 'sandbox' });
    expect(mode.title).toBe('Test deployment — live SteVe fleet and Lago sandbox');
    expect(mode.showDemoAccounts).toBe(false);
  });

  it('keeps quiet about a live deployment', () => {
    expect(describeDeploymentMode({ demo: false, steveMode: 'real', lagoMode: 'real' }).tone).toBe('live');
  });
});
