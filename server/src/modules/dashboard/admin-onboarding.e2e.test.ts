import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { StevePort } from '../../integrations/steve/port.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../auth/auth.service.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromium = fs.existsSync(chromiumPath) ? chromiumPath : null;

/** SteVe whose reads can be slowed down, so a sync run stays in flight long enough to watch it. */
function slowableSteve(inner: StevePort, state: { delayMs: number }): StevePort {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (typeof prop !== 'string' || !/^(list|get)/.test(prop)) return fn;
      return async (...args: unknown[]) => {
        if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
        return fn(...args);
      };
    },
  });
}

describe.skipIf(!chromium)('operator onboarding in Chromium (/admin)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const steveState = { delayMs: 0 };

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `admin-${name}.png`) });
  const scrollHeight = () => page.evaluate(() => document.scrollingElement!.scrollHeight);

  beforeAll(async () => {
    if (!process.env.E2E_SKIP_BUILD) {
      const build = spawnSync(
        path.join(ROOT, 'node_modules/.bin/vite'),
        ['build', '--config', 'client/vite.config.ts'],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      if (build.status !== 0) throw new Error(`client build failed:\n${build.stdout}\n${build.stderr}`);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    // A fresh deployment with demo accounts, whose first sync has not run yet (no background scheduler).
    const sim = new FleetSimulator({ seed: 11, size: 4, fleetChurn: false, outages: false });
    t = await createTestApp({
      env: { DEMO_SEED: 'true' },
      app: { background: false, steve: slowableSteve(sim, steveState) },
    });
    browser = await playwright.launch({
      executablePath: chromium!,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    // A fresh context is a fresh, throwaway profile.
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: t.url });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('[browser]', error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') console.error('[browser console]', message.text().slice(0, 500));
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('runs the operator onboarding runbook on a fresh deployment', { timeout: 120_000 }, async () => {
    onTestFailed(async () => {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-failure.png') }).catch(() => undefined);
    });
    // 1. Sign in: /admin sends an anonymous visitor to the sign-in flow and back.
    await page.goto('/admin?healthInterval=1000');
    await page.getByLabel('Email').fill(DEMO_ADMIN_EMAIL);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin/);

    // 2. The first-run welcome, above the cards; nothing online yet; Health green on a fresh deployment.
    const banner = page.getByTestId('welcome-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Welcome to ExpressCharge');
    expect(await page.getByTestId('chargers-online').textContent()).toBe('0');
    await page.getByText('All clear: no operational warnings.').waitFor();
    for (const title of ['Live now', 'Sync schedule', 'Health', 'This week']) {
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
    }
    await page.getByText('Connected and waiting').waitFor();
    expect(await scrollHeight()).toBeLessThanOrEqual(1080);
    await shot('welcome');

    // Health re-renders on its (shortened) cycle.
    const health = page.getByTestId('health');
    const firstCheck = await health.getAttribute('data-checked-at');
    await page.waitForFunction(
      (before) =>
        document.querySelector('[data-testid="health"]')?.getAttribute('data-checked-at') !== before,
      firstCheck,
      { timeout: 10_000 },
    );

    // 3. The sync brings the first chargers in; while in flight the card shows the beam and live segments.
    steveState.delayMs = 400;
    await page.getByRole('button', { name: 'Sync now' }).click();
    const syncCard = page.getByTestId('sync-card');
    await page.locator('[data-testid="sync-card"][data-in-flight="true"]').waitFor({ timeout: 15_000 });
    await page.getByRole('heading', { name: 'Active sync run' }).waitFor();
    await page.locator('.dash-segment[data-status="SUCCEEDED"]').first().waitFor({ timeout: 15_000 });
    expect(await syncCard.getAttribute('class')).toContain('dash-beam--active');
    expect(await page.locator('.dash-segment').count()).toBe(6);
    await shot('sync-in-flight');
    steveState.delayMs = 0;

    await page.locator('[data-testid="sync-card"][data-in-flight="false"]').waitFor({ timeout: 30_000 });
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="chargers-online"]')?.textContent ?? '0') > 0,
      undefined,
      { timeout: 15_000 },
    );
    await page.getByRole('heading', { name: 'Sync schedule' }).waitFor();
    await shot('after-first-sync');

    // 4. Activate the first EV card (a blank card registered by its idTag).
    await page.getByRole('link', { name: 'EV Cards' }).click();
    await page.getByLabel('idTag').fill('FIRSTCARD01');
    await page.getByRole('button', { name: 'Register card' }).click();
    await page.waitForURL(/\/admin\/cards\/EV-/);
    const publicId = decodeURIComponent(page.url().split('/').pop()!);
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByTestId('card-status').filter({ hasText: 'Active' }).waitFor();

    // 5. Link it to a Lago customer created inline.
    await page.getByRole('button', { name: 'Create a new Lago customer' }).click();
    await page.getByLabel('Customer name').fill('First Fleet Ltd');
    await page.getByLabel('Billing email (optional)').fill('billing@firstfleet.test');
    await page.getByRole('button', { name: 'Create and link' }).click();
    await page.getByTestId('current-customer').filter({ hasText: 'First Fleet Ltd' }).waitFor();
    await page
      .getByRole('table', { name: 'Customer mapping history' })
      .getByText('First Fleet Ltd')
      .waitFor();
    await shot('card-detail');

    // The card shows up in the EV Cards section.
    await page.getByRole('link', { name: '← All EV cards' }).click();
    await page.locator(`tr[data-public-id="${publicId}"]`).waitFor();

    // 6. The audit log has both actions under the card's Public ID.
    await page.goto(`/admin/audit?subject=${encodeURIComponent(publicId)}`);
    await page.locator('tr[data-action="card.activated"]').waitFor();
    await page.locator('tr[data-action="card.customer_mapped"]').waitFor();
    await shot('audit');

    // 7. Pin the dashboard: four cards, no welcome, no scrolling at 1920×1080.
    await page.goto('/admin?healthInterval=1000');
    await page.getByRole('heading', { name: 'Live now', exact: true }).waitFor();
    await page.getByTestId('this-week').getByText('EV cards activated').waitFor();
    expect(await page.getByTestId('welcome-banner').count()).toBe(0);
    expect(await scrollHeight()).toBeLessThanOrEqual(1080);
    await shot('dashboard');
  });

  it('opens every console page without an error', { timeout: 60_000 }, async () => {
    for (const [link, table, empty] of [
      ['Chargers', 'Chargers', 'No chargers yet'],
      ['Sessions', 'Sessions', 'No sessions match'],
      ['EV Cards', 'EV cards', 'No EV cards yet'],
      ['Drivers', 'Drivers', 'No drivers yet'],
      ['Audit log', 'Audit log', 'No recorded actions match'],
      ['Alerts', 'Alerts', 'No alerts'],
    ] as const) {
      await page
        .getByRole('navigation', { name: 'Operator console' })
        .getByRole('link', { name: link })
        .click();
      await page.getByRole('heading', { level: 1, name: link }).waitFor();
      // Loaded: the list, its empty state, or an error (which fails below).
      await page
        .getByRole('table', { name: table })
        .or(page.getByText(empty, { exact: true }))
        .or(page.getByRole('alert'))
        .first()
        .waitFor({ timeout: 10_000 });
      const errors = await page.getByRole('alert').allTextContents();
      expect(errors, link).toEqual([]);
    }
    // A charger's detail page: connectors and recent sessions.
    await page
      .getByRole('navigation', { name: 'Operator console' })
      .getByRole('link', { name: 'Chargers' })
      .click();
    await page.getByRole('table', { name: 'Chargers' }).getByRole('link').first().click();
    await page.getByRole('table', { name: 'Connectors' }).waitFor();
    await page.getByRole('heading', { name: 'Reservations' }).waitFor();
    await page.getByRole('heading', { name: 'Recent sessions' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await shot('charger-detail');
  });
});
