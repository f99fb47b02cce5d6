import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { raiseAlert } from '../../src/modules/billing/billing.service.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { ensureClientBuild } from './client-build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromium = fs.existsSync(chromiumPath) ? chromiumPath : null;

const ADMIN = { email: 'ops@example.test', password: 'operator-password-1' };
const DRIVER = { name: 'Dana Driver', email: 'dana@example.test', password: 'first-password-1' };
const NEW_PASSWORD = 'second-password-2';
/** More chargers than one page (25) holds. */
const FLEET = 31;

describe.skipIf(!chromium)('operator console lists and driver actions in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const shot = (name: string, on: Page = page, fullPage = false) =>
    on.screenshot({ path: path.join(SCREENSHOTS, `admin-${name}.png`), fullPage });

  beforeAll(async () => {
    await ensureClientBuild();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    t = await createTestApp({ app: { background: false } });
    await t.createUser({ role: 'admin', ...ADMIN, name: 'Olive Operator' });
    await t.app.services.db.charger.createMany({
      data: Array.from({ length: FLEET }, (_, i) => ({
        chargeBoxId: `CP-${String(i + 1).padStart(3, '0')}`,
        vendor: 'Polaris',
        model: 'Test',
      })),
    });
    browser = await playwright.launch({
      executablePath: chromium!,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: t.url });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('[browser]', error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('signs the operator in', { timeout: 60_000 }, async () => {
    await page.goto('/admin');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('strip-alerts').waitFor();
  });

  it('pages through the chargers with "Load more"', { timeout: 60_000 }, async () => {
    onTestFailed(() => shot('failure-chargers').then(() => undefined));
    await page.goto('/admin/chargers');
    const rows = page.locator('table[aria-label="Chargers"] tbody tr');
    await page
      .getByTestId('list-count')
      .filter({ hasText: `Showing 25 of ${FLEET} chargers` })
      .waitFor();
    expect(await rows.count()).toBe(25);
    await shot('chargers-first-page', page, true);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page
      .getByTestId('list-count')
      .filter({ hasText: `Showing ${FLEET} of ${FLEET} chargers` })
      .waitFor();
    expect(await rows.count()).toBe(FLEET);
    expect(await rows.last().textContent()).toContain(`CP-${String(FLEET).padStart(3, '0')}`);
    // Everything is shown: no further page to ask for.
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await shot('chargers-all', page, true);
  });

  it('pages the sessions within a filter, and exports all of them as CSV', { timeout: 60_000 }, async () => {
    onTestFailed(() => shot('failure-sessions').then(() => undefined));
    const charger = await t.app.services.db.charger.findFirstOrThrow({ where: { chargeBoxId: 'CP-001' } });
    const start = Date.parse('2026-11-01T08:00:00Z');
    await t.app.services.db.chargingSession.createMany({
      data: Array.from({ length: 29 }, (_, i) => ({
        steveTransactionPk: 1000 + i,
        chargerId: charger.id,
        connectorNumber: 1,
        idTag: `TAG-${i}`,
        meterStartWh: 0,
        startedAt: new Date(start + i * 3_600_000),
        // 26 completed, 3 still charging.
        ...(i < 26
          ? {
              status: 'COMPLETED' as const,
              stoppedAt: new Date(start + i * 3_600_000 + 1_800_000),
              energyKwh: 5,
            }
          : {}),
      })),
    });
    await page.goto('/admin/sessions');
    const count = page.getByTestId('list-count');
    await count.filter({ hasText: 'Showing 20 of 29 sessions' }).waitFor();
    await page.getByLabel('Status').selectOption('COMPLETED');
    await count.filter({ hasText: 'Showing 20 of 26 sessions' }).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await count.filter({ hasText: 'Showing 26 of 26 sessions' }).waitFor();
    const rows = page.locator('table[aria-label="Sessions"] tbody tr');
    expect(await rows.count()).toBe(26);
    // The status filter held for the second page: no running session slipped in.
    expect((await rows.allTextContents()).filter((text) => text.includes('Charging'))).toEqual([]);
    await shot('sessions-paged', page, true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv).toHaveLength(1 + 26);
    expect(csv.slice(1).every((line) => line.includes(',COMPLETED,'))).toBe(true);
  });

  it(
    'updates the header unread count live when an alert is read or raised',
    { timeout: 60_000 },
    async () => {
      onTestFailed(() => shot('failure-alerts').then(() => undefined));
      const db = t.app.services.db;
      await db.alert.createMany({
        data: [
          { severity: 'WARNING', kind: 'test.first', message: 'First thing to look at' },
          { severity: 'CRITICAL', kind: 'test.second', message: 'Second thing to look at' },
        ],
      });
      await page.goto('/admin');
      const count = page.getByTestId('unread-alerts');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="unread-alerts"]')?.textContent === '2',
      );

      // Another tab marks one read; this dashboard is not reloaded.
      const other = await context.newPage();
      await other.goto('/admin/alerts');
      await other.getByText('2 unread').waitFor();
      await other.getByRole('button', { name: 'Mark read' }).first().click();
      await other.getByText('1 unread').waitFor();
      // The list follows: the alert read shows when, only the other one still offers "Mark read".
      await other.getByText(/^Read /).waitFor();
      expect(await other.getByRole('button', { name: 'Mark read' }).count()).toBe(1);
      await shot('alerts-page', other);
      await other.close();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="unread-alerts"]')?.textContent === '1',
      );

      // The system raises a new one.
      await raiseAlert(
        { db, pubsub: t.app.services.pubsub },
        {
          severity: 'WARNING',
          kind: 'test.raised',
          dedupeKey: 'e2e-raised',
          message: 'Raised while watching',
        },
      );
      await page.waitForFunction(
        () => document.querySelector('[data-testid="unread-alerts"]')?.textContent === '2',
      );
      expect(await count.textContent()).toBe('2');
      await shot('dashboard-live-alerts');
    },
  );

  it(
    'creates, deactivates, re-activates a driver, resets the password and views as the driver',
    { timeout: 120_000 },
    async () => {
      onTestFailed(() => shot('failure-drivers').then(() => undefined));
      /** Signs the driver in over HTTP: their account status, and what "start charging" answers. */
      const driverCanCharge = async () => {
        const cookie = await t.signIn(DRIVER.email, DRIVER.password);
        const charger = await t.app.services.db.charger.findFirstOrThrow({
          where: { chargeBoxId: 'CP-001' },
        });
        const res = await t.graphql<{ viewer: { status: string }; startCharging: { __typename: string } }>(
          'mutation ($id: ID!) { startCharging(chargerId: $id) { __typename } }',
          { id: encodeGlobalID('Charger', charger.id) },
          { cookie },
        );
        const me = await t.graphql<{ viewer: { status: string } }>('{ viewer { status } }', {}, { cookie });
        return { status: me.data?.viewer.status, start: res.data?.startCharging.__typename };
      };
      await page.goto('/admin/drivers');
      await page.getByLabel('Name').fill(DRIVER.name);
      await page.getByLabel('Email').fill(DRIVER.email);
      await page.getByLabel('Initial password').fill(DRIVER.password);
      await page.getByRole('button', { name: 'Create driver' }).click();
      const row = page.locator('table[aria-label="Drivers"] tbody tr', { hasText: DRIVER.email });
      await row.waitFor();
      expect(await row.textContent()).toContain('Active');
      expect(await t.signIn(DRIVER.email, DRIVER.password)).toContain('session_token');

      // Deactivate: the driver may still sign in and look around (docs/security-auth.md), but is
      // told the account is inactive and cannot start a charge.
      await row.getByRole('button', { name: 'Deactivate', exact: true }).click();
      await row.getByRole('button', { name: 'Activate', exact: true }).waitFor();
      expect(await row.textContent()).toContain('Inactive');
      await shot('drivers-deactivated');
      expect(await driverCanCharge()).toEqual({ status: 'INACTIVE', start: 'AccountInactiveError' });

      // Re-activate: the account is active again.
      await row.getByRole('button', { name: 'Activate', exact: true }).click();
      await row.getByRole('button', { name: 'Deactivate', exact: true }).waitFor();
      expect((await driverCanCharge()).status).toBe('ACTIVE');

      // Reset the password (asked in a prompt): only the new one works.
      page.once('dialog', (dialog) => void dialog.accept(NEW_PASSWORD));
      await row.getByRole('button', { name: 'Reset password' }).click();
      await row.getByText('Password reset; the driver was signed out everywhere.').waitFor();
      await expect(t.signIn(DRIVER.email, DRIVER.password)).rejects.toThrow();
      expect(await t.signIn(DRIVER.email, NEW_PASSWORD)).toContain('session_token');
      await shot('drivers');

      // View as driver: the driver app with the impersonation banner, read-only.
      await row.getByRole('button', { name: 'View as driver' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      const banner = page.getByRole('status').filter({ hasText: 'acting as a customer' });
      await banner.waitFor();
      expect(await banner.textContent()).toContain(DRIVER.email);
      const pick = page.getByRole('button', { name: 'Pick charger' });
      await pick.waitFor();
      expect(await pick.isDisabled()).toBe(true);
      // The server refuses a mutation sent anyway.
      const refused = await page.evaluate(async () => {
        const res = await fetch('/graphql', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'mutation { triggerSync { nextRunAt } }' }),
        });
        return { status: res.status, body: await res.text() };
      });
      expect(refused.status === 403 || /forbidden|not authorized|read-only/i.test(refused.body)).toBe(true);
      await shot('view-as-driver');

      await page.getByRole('button', { name: 'Stop impersonating' }).click();
      await page.waitForURL((url) => url.pathname === '/admin');
      await page.getByTestId('strip-alerts').waitFor();

      // The audit log lists every one of those actions.
      await page.goto('/admin/audit');
      const actions = page.locator('table[aria-label="Audit log"] tbody tr');
      await actions.first().waitFor();
      for (const action of [
        'driver.created',
        'driver.deactivated',
        'driver.activated',
        'driver.passwordReset',
        'impersonation.started',
        'impersonation.stopped',
      ]) {
        expect(await page.locator(`tr[data-action="${action}"]`).count(), action).toBeGreaterThan(0);
      }
      expect(await page.locator('tr[data-action="driver.created"]').textContent()).toContain(ADMIN.email);
      await shot('audit-drivers');
    },
  );
  it('keeps the search while loading more drivers', { timeout: 120_000 }, async () => {
    onTestFailed(() => shot('failure-drivers-paging').then(() => undefined));
    for (let i = 1; i <= 30; i += 1) {
      await t.createUser({ email: `fleet-${String(i).padStart(2, '0')}@example.test`, name: `Fleet ${i}` });
    }
    await t.createUser({ email: 'zoe@example.test', name: 'Zoe Outsider' });
    await page.goto('/admin/drivers');
    await page.getByLabel('Search').fill('fleet-');
    const count = page.getByTestId('list-count');
    await count.filter({ hasText: 'Showing 25 of 30 drivers' }).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await count.filter({ hasText: 'Showing 30 of 30 drivers' }).waitFor();
    const rows = page.locator('table[aria-label="Drivers"] tbody tr');
    expect(await rows.count()).toBe(30);
    for (const text of await rows.allTextContents()) expect(text).toContain('fleet-');
    await shot('drivers-search-paged', page, true);

    // Another search starts again from its own first page.
    await page.getByLabel('Search').fill('zoe');
    await count.filter({ hasText: 'Showing 1 of 1 driver' }).waitFor();
    expect(await rows.count()).toBe(1);
  });
});
