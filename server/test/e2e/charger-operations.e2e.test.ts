/**
 * End to end in Chromium: an operator runs a charger from its page in /admin — a reset seen live
 * (PENDING → ACCEPTED, the charger offline, then online again) and a connector taken out of service,
 * which a driver then sees on their dashboard. The fleet simulator runs in real time; a sync runs
 * every second, as the scheduler would.
 *
 * Needs Chromium: CHROMIUM_PATH, else /usr/bin/chromium; skipped (by name) when neither exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { FleetSimulator } from '../../src/integrations/steve/simulator/index.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { ensureClientBuild } from './client-build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const chromiumPath =
  [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && fs.existsSync(p)) ?? null;

describe.skipIf(!chromiumPath)('charger operations from /admin in Chromium', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let browser: Browser;
  let syncLoop: ReturnType<typeof setInterval>;
  const admin = { email: 'ops@e2e.test', password: 'operator-password-1' };
  const driver = { email: 'dara@e2e.test', password: 'driver-password-1' };

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `charger-ops-${name}.png`), fullPage: true });

  beforeAll(async () => {
    await ensureClientBuild();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    sim = new FleetSimulator({
      seed: 7,
      size: 8,
      warmupMs: 0,
      backgroundActivity: false,
      outages: false,
      fleetChurn: false,
      remoteStartNoShowRate: 0,
      operationWaitMs: 1_500,
    });
    t = await createTestApp({ app: { steve: sim, background: false } });
    await t.createUser({ role: 'admin', name: 'Olive Operator', ...admin });
    await t.createUser({ name: 'Dara Driver', ...driver });
    const engine = t.app.services.sync.engine;
    await engine.run({ trigger: 'STARTUP' });
    syncLoop = setInterval(() => {
      if (!engine.running) engine.run({ trigger: 'SCHEDULED' }).catch(() => undefined);
    }, 1_000);
    browser = await playwright.launch({
      executablePath: chromiumPath!,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    clearInterval(syncLoop);
    await browser?.close();
    while (t?.app.services.sync.engine.running) await new Promise((r) => setTimeout(r, 20));
    await t?.stop();
  });

  /** Opens `start` signed out, signs in on the page it redirects to, waits for the landing heading. */
  async function signIn(who: { email: string; password: string }, start: string, landing: string) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[browser]', error.message));
    await page.goto(`${t.url}${start}`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: landing }).first().waitFor();
    return { context, page };
  }

  const chargerPage = async (page: Page, chargeBoxId: string) => {
    const row = await t.app.services.db.charger.findFirstOrThrow({ where: { chargeBoxId } });
    await page.goto(`${t.url}/admin/chargers/${encodeURIComponent(encodeGlobalID('Charger', row.id))}`);
    await page.getByRole('heading', { name: 'Commands', exact: true }).waitFor();
  };

  it(
    'resets a charger: PENDING → ACCEPTED, then offline, then online again',
    { timeout: 90_000 },
    async () => {
      const { context, page } = await signIn(admin, '/admin', 'Dashboard');
      onTestFailed(() => shot(page, 'failure-reset').then(() => undefined));
      const box = sim.normalChargers[0]!;
      await chargerPage(page, box);
      const state = page.locator('.dash-facts [data-state]');
      await state.and(page.locator('[data-state="ONLINE"]')).waitFor();

      // SteVe takes a moment to answer, so the pending command is visible before its outcome.
      sim.setFault({ slowMs: 3_000 });
      await page.getByRole('button', { name: 'Reset…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reset this charger?' });
      await dialog.getByRole('button', { name: 'Reset now' }).click();
      const command = page.locator('table[aria-label="Recent commands"] tr[data-command]').first();
      await command.and(page.locator('[data-status="PENDING"]')).waitFor();
      expect(await command.textContent()).toContain('Reset (soft)');
      await shot(page, 'reset-pending');
      sim.setFault({});
      await command.and(page.locator('[data-status="ACCEPTED"]')).waitFor({ timeout: 15_000 });
      await state.and(page.locator('[data-state="OFFLINE"]')).waitFor({ timeout: 15_000 });
      await shot(page, 'reset-offline');
      // It boots again within seconds; the sync sees its heartbeat and the page updates by itself.
      await state.and(page.locator('[data-state="ONLINE"]')).waitFor({ timeout: 45_000 });
      await shot(page, 'reset-online');
      await context.close();
    },
  );

  it(
    'takes a connector out of service and a driver sees the charger as such',
    { timeout: 90_000 },
    async () => {
      // A one-connector charger, so taking its connector out of service takes the charger out.
      const normal = new Set(sim.normalChargers);
      const single = (await sim.listChargePoints({ limit: 100 })).items.find(
        (cp) =>
          normal.has(cp.chargeBoxId) &&
          cp.connectors.length === 1 &&
          cp.chargeBoxId !== sim.normalChargers[0],
      );
      expect(single).toBeDefined();
      const box = single!.chargeBoxId;
      const { context, page } = await signIn(admin, '/admin', 'Dashboard');
      onTestFailed(() => shot(page, 'failure-unavailable').then(() => undefined));
      await chargerPage(page, box);
      await page.getByRole('button', { name: 'Make connector 1 unavailable' }).click();
      const command = page.locator('table[aria-label="Recent commands"] tr[data-command]').first();
      await command.and(page.locator('[data-status="ACCEPTED"]')).waitFor({ timeout: 15_000 });
      expect(await command.textContent()).toContain('Make connector 1 unavailable');
      await page.locator('.dash-facts [data-state="UNAVAILABLE"]').waitFor({ timeout: 15_000 });
      await page.locator('tr[data-connector="1"][data-status="Unavailable"]').waitFor();
      await shot(page, 'connector-unavailable');

      const asDriver = await signIn(driver, '/', 'Chargers');
      const card = asDriver.page.locator(`li[data-charger="${box}"]`);
      await card.and(asDriver.page.locator('[data-state="UNAVAILABLE"]')).waitFor({ timeout: 15_000 });
      expect(await card.textContent()).toContain('Out of service');
      expect(await card.textContent()).toContain('Taken out of service by the operator');
      await shot(asDriver.page, 'driver-sees-unavailable');
      await asDriver.context.close();
      await context.close();
    },
  );
});
