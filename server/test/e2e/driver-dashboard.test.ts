/**
 * End to end in a real browser: the driver dashboard against the real app (built client served by
 * the server, GraphQL over HTTP and graphql-ws) on the fleet simulator running in real time with a
 * short meter interval, so kWh visibly count up within seconds.
 *
 * Needs Chromium: CHROMIUM_PATH, else /usr/bin/chromium; skipped (by name) when neither exists.
 * Screenshots of the key states go to test-results/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FleetSimulator } from '../../src/integrations/steve/simulator/index.ts';
import {
  ACCOUNT_INACTIVE_MESSAGE,
  CHARGER_REJECTED_MESSAGE,
  NO_ACTIVE_CARD_MESSAGE,
} from '../../src/modules/charging/charging.errors.ts';
import { expireStartRequests } from '../../src/modules/charging/charging.service.ts';
import { giveCard } from '../../src/modules/charging/test-fixtures.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { ensureClientBuild } from './client-build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const chromiumPath =
  [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && fs.existsSync(p)) ?? null;
const ASKING_TEXT = 'Asking the charger… this usually takes a few seconds';

/** Polls until the row exists. */
async function waitForRow<T>(find: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await find();
    if (row) return row;
    if (Date.now() > deadline) throw new Error('timed out waiting for the row');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!chromiumPath)('driver dashboard in Chromium', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let browser: Browser;
  let syncLoop: ReturnType<typeof setInterval>;
  const users: Record<
    'driver' | 'noCard' | 'inactive' | 'admin',
    { id: string; email: string; password: string }
  > = {} as never;
  let fastCharger: { chargeBoxId: string; name: string };

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
      meterIntervalMs: 2_000,
      operationWaitMs: 1_500,
    });
    t = await createTestApp({ app: { steve: sim, background: false, syncCadence: { liveMs: 1_000 } } });
    users.driver = await t.createUser({ name: 'Erin Driver', email: 'erin@e2e.test' });
    users.noCard = await t.createUser({ name: 'Nico Nocard', email: 'nocard@e2e.test' });
    users.inactive = await t.createUser({
      name: 'Ivo Inactive',
      email: 'inactive@e2e.test',
      status: 'INACTIVE',
    });
    users.admin = await t.createUser({ name: 'Avery Admin', email: 'admin@e2e.test', role: 'admin' });
    const db = t.app.services.db;
    await giveCard(db, sim, users.driver.id, { isPrimary: true });
    await giveCard(db, sim, users.inactive.id, { isPrimary: true });

    // The scheduler's job, done here every second: a sync run (joins one in flight).
    const engine = t.app.services.sync.engine;
    await engine.run({ trigger: 'STARTUP' });
    syncLoop = setInterval(() => {
      if (!engine.running) engine.run({ trigger: 'SCHEDULED' }).catch(() => undefined);
    }, 1_000);

    // The most powerful ordinary charger, so the kWh figure moves fast.
    const normal = new Set(sim.normalChargers);
    const best = (await sim.listChargePoints()).items
      .filter((cp) => normal.has(cp.chargeBoxId))
      .sort((a, b) => (b.connectors[0]?.maxPowerW ?? 0) - (a.connectors[0]?.maxPowerW ?? 0))[0]!;
    fastCharger = { chargeBoxId: best.chargeBoxId, name: best.description?.trim() || best.chargeBoxId };

    browser = await playwright.launch({
      executablePath: chromiumPath!,
      headless: true,
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
  }, 180_000);

  afterAll(async () => {
    clearInterval(syncLoop);
    await browser?.close();
    while (t?.app.services.sync.engine.running) await new Promise((r) => setTimeout(r, 20));
    await t?.stop();
  });

  async function signedIn(who: keyof typeof users, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${t.url}/sign-in`);
    await page.getByLabel('Email').fill(users[who].email);
    await page.getByLabel('Password').fill(users[who].password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    try {
      await page.getByRole('heading', { name: 'Chargers' }).waitFor();
      await page.getByTestId('chargers').waitFor();
    } catch (error) {
      await shot(page, `failed-sign-in-${who}`);
      throw new Error(
        `dashboard did not load for ${who}: ${problems.join(' | ')} ${(await page.textContent('body'))?.slice(0, 500)}`,
        {
          cause: error,
        },
      );
    }
    return { context, page };
  }

  async function pick(page: Page, chargeBoxId: string) {
    await page.getByRole('button', { name: 'Pick charger' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pick charger' });
    await dialog.waitFor();
    await dialog.locator(`button[data-charger="${chargeBoxId}"]`).click();
    return dialog;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('a driver starts on a charger, watches kWh count up live, stops, and sees the session', async () => {
    const { context, page } = await signedIn('driver');
    try {
      expect(await page.getByTestId('chargers').locator('li').count()).toBe(8);
      // The price per kWh of the driver's plan, on every card and in the dialog, before a start.
      const price = page.getByTestId('chargers').getByTestId('price').first();
      await price.getByText('€0.35 per kWh').waitFor();
      await shot(page, '01-dashboard');
      // Marks this document: a reload would lose it.
      await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

      await page.getByRole('button', { name: 'Pick charger' }).click();
      await page
        .getByRole('dialog', { name: 'Pick charger' })
        .getByTestId('pick-price')
        .getByText('€0.35 per kWh')
        .waitFor();
      await shot(page, '01b-pick-charger-price');
      await page.keyboard.press('Escape');
      const dialog = await pick(page, fastCharger.chargeBoxId);
      await dialog.getByText(ASKING_TEXT).first().waitFor();
      await shot(page, '02-asking-the-charger');

      const banner = page.getByTestId('active-session');
      await banner.waitFor({ timeout: 30_000 });
      await expect(dialog.isVisible()).resolves.toBe(false);
      expect(await banner.getByTestId('active-charger').textContent()).toBe(fastCharger.name);
      // The tutorial sets no one-session limit: "Pick charger" stays available while charging.
      expect(await page.getByRole('button', { name: 'Pick charger' }).isDisabled()).toBe(false);
      const kwh = async () =>
        Number((await banner.getByTestId('active-kwh').textContent())!.replace(/[^\d.]/g, ''));
      const first = await kwh();
      let later = first;
      for (let i = 0; i < 60 && later <= first; i++) {
        await page.waitForTimeout(500);
        later = await kwh();
      }
      expect(later).toBeGreaterThan(first);
      expect(await banner.textContent()).toMatch(/Started/);
      // Cost so far from the same tariff, power and a ticking elapsed time.
      expect(await banner.getByTestId('active-cost').textContent()).toMatch(/^€\d+\.\d{2}$/);
      expect(await banner.getByTestId('active-power').textContent()).toMatch(/kW$/);
      const elapsed = await banner.getByTestId('active-elapsed').textContent();
      await page.waitForFunction(
        (before) => document.querySelector('[data-testid="active-elapsed"]')?.textContent !== before,
        elapsed,
      );
      await shot(page, '03-active-session-banner');

      // Stop asks first.
      await banner.getByRole('button', { name: 'Stop' }).click();
      await banner.getByRole('button', { name: 'Keep charging' }).click();
      expect(await banner.isVisible()).toBe(true);
      await banner.getByRole('button', { name: 'Stop' }).click();
      await banner.getByRole('button', { name: 'Yes, stop' }).click();
      await banner.waitFor({ state: 'detached', timeout: 30_000 });
      // Told by subscription, as a toast.
      await page
        .getByTestId('toast')
        .getByText(`Your session at ${fastCharger.name} ended`, { exact: false })
        .waitFor({ timeout: 15_000 });
      const recent = page.getByTestId('recent-sessions');
      await recent.getByText(fastCharger.name).first().waitFor({ timeout: 15_000 });
      expect(await recent.getByTestId('session-cost').first().textContent()).toMatch(/^€\d+\.\d{2}$/);
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(
        true,
      );
      await shot(page, '04-stopped-recent-sessions');

      // Phone layout of the same dashboard.
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '05-phone-layout');

      // The session's page: its cost and power/energy curve.
      await page.setViewportSize({ width: 1280, height: 900 });
      await recent.getByRole('link', { name: fastCharger.name }).first().click();
      await page.getByTestId('session-summary').waitFor();
      expect(await page.getByTestId('session-detail-cost').textContent()).toMatch(/^€\d+\.\d{2}$/);
      await page.getByTestId('session-chart').locator('canvas').waitFor();
      await shot(page, '05b-session-detail');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('works on a phone (390×844): nothing wider than the screen, usage on the first screen, Stop asks first', async () => {
    const phone = { width: 390, height: 844 };
    const { context, page } = await signedIn('driver', phone);
    try {
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      const usage = await page.getByTestId('usage').boundingBox();
      expect(usage!.y + usage!.height).toBeLessThanOrEqual(phone.height);
      await shot(page, '10-phone-dashboard');

      // Not the charger later tests start on (their start requests are told apart by charger).
      const chargeBoxId = sim.normalChargers.filter((c) => c !== fastCharger.chargeBoxId).at(-1)!;
      const dialog = await pick(page, chargeBoxId);
      await shot(page, '11-phone-asking');
      const banner = page.getByTestId('active-session');
      await banner.waitFor({ timeout: 30_000 });
      await dialog.waitFor({ state: 'detached' });
      expect(await overflow()).toBeLessThanOrEqual(0);
      // The cost so far is on the phone's banner too, in the currency of the tariff.
      expect(await banner.getByTestId('active-cost').textContent()).toMatch(/^€\d+\.\d{2}$/);
      expect(await banner.getByTestId('active-cost').isVisible()).toBe(true);
      await shot(page, '12-phone-active-session');
      await banner.getByRole('button', { name: 'Stop' }).click();
      await banner.getByRole('button', { name: 'Yes, stop' }).waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, '13-phone-stop-confirmation');
      await banner.getByRole('button', { name: 'Yes, stop' }).click();
      await banner.waitFor({ state: 'detached', timeout: 30_000 });

      // The session page on a phone.
      await page.getByTestId('recent-sessions').getByRole('link').first().click();
      await page.getByTestId('session-summary').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, '14-phone-session-detail');
    } finally {
      await context.close();
    }
  }, 120_000);

  it.each([
    { label: 'desktop', viewport: { width: 1280, height: 900 }, name: '05c-reserved-countdown' },
    { label: 'phone 390×844', viewport: { width: 390, height: 844 }, name: '15-phone-reserved-countdown' },
  ])(
    'a driver reserves a free charger, sees the countdown tick, and cancels it ($label)',
    async (v) => {
      const { context, page } = await signedIn('driver', v.viewport);
      try {
        const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        const chargeBoxId = sim.normalChargers.find((c) => c !== fastCharger.chargeBoxId)!;
        const card = page.locator(`li[data-charger="${chargeBoxId}"]`);
        await card.getByRole('button', { name: 'Reserve' }).click();
        const reservation = card.getByTestId('reservation');
        await reservation.waitFor();
        const countdown = reservation.getByTestId('reservation-countdown');
        const shown = await countdown.textContent();
        expect(shown).toMatch(/^1[45]:\d\d$/);
        // The countdown runs down by itself.
        await page.waitForFunction(
          (before) => document.querySelector('[data-testid="reservation-countdown"]')?.textContent !== before,
          shown,
        );
        expect((await countdown.textContent())! < shown!).toBe(true);
        // Only one reservation at a time: no Reserve button elsewhere.
        expect(await page.getByRole('button', { name: 'Reserve' }).count()).toBe(0);
        expect(await overflow()).toBeLessThanOrEqual(0);
        await reservation.scrollIntoViewIfNeeded();
        await shot(page, v.name);
        await reservation.getByRole('button', { name: 'Cancel reservation' }).click();
        await card.getByRole('button', { name: 'Reserve' }).waitFor({ timeout: 15_000 });
        await shot(page, `${v.name}-cancelled`);
      } finally {
        await context.close();
      }
    },
    60_000,
  );

  it('shows "Charger could not start the session. Please try again." when a charger refuses or never answers', async () => {
    const { context, page } = await signedIn('driver');
    try {
      let dialog = await pick(page, sim.roles.refusesRemoteStart!);
      await dialog.getByText(CHARGER_REJECTED_MESSAGE).waitFor({ timeout: 15_000 });
      await shot(page, '06-error-charger-refused');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      dialog = await pick(page, sim.roles.neverAnswers!);
      await dialog.getByText(ASKING_TEXT).first().waitFor();
      await dialog.getByText(CHARGER_REJECTED_MESSAGE).waitFor({ timeout: 15_000 });
      await shot(page, '07-error-charger-no-answer');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('a driver who closed the dialog while the start was under way is told when it fails', async () => {
    const { context, page } = await signedIn('driver');
    try {
      // The station takes 1.5 s and then never answers: the start fails after the dialog is gone.
      const dialog = await pick(page, sim.roles.neverAnswers!);
      await dialog.getByText(ASKING_TEXT).first().waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      const notice = page.getByTestId('start-failure');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.getAttribute('role')).toBe('alert');
      expect(await notice.getByText(CHARGER_REJECTED_MESSAGE, { exact: true }).count()).toBe(1);
      // The notice names the charger it is about.
      expect(await notice.getByTestId('start-failure-charger').textContent()).toContain(
        sim.roles.neverAnswers!,
      );
      await shot(page, '07b-failure-after-dialog-closed');
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('a driver who closed the dialog after the charger accepted is told when the EV never starts (NOT_STARTED)', async () => {
    const { context, page } = await signedIn('driver');
    // The station accepts, but the vehicle never begins a transaction.
    const accept = vi
      .spyOn(sim, 'remoteStart')
      .mockResolvedValue({ kind: 'ACCEPTED', taskId: 1, status: 'Accepted' });
    try {
      const charger = sim.normalChargers.find((c) => c !== fastCharger.chargeBoxId)!;
      const dialog = await pick(page, charger);
      await dialog.getByText(ASKING_TEXT).first().waitFor();
      const request = await waitForRow(() =>
        t.app.services.db.startRequest.findFirst({
          where: { userId: users.driver.id, outcome: 'ACCEPTED', charger: { chargeBoxId: charger } },
        }),
      );
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await page.getByTestId('start-failure').count()).toBe(0);
      // 90 s pass (the sweep's own timeout set to 0 instead of waiting them out).
      expect(await expireStartRequests(t.app.services, { startTimeoutMs: 0 })).toContain(request.id);
      const notice = page.getByTestId('start-failure');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.getByText(CHARGER_REJECTED_MESSAGE, { exact: true }).count()).toBe(1);
      await shot(page, '07c-not-started-after-dialog-closed');
    } finally {
      accept.mockRestore();
      await context.close();
    }
  }, 60_000);

  it('shows "No active card on file" and "Account inactive"', async () => {
    for (const [who, message, name] of [
      ['noCard', NO_ACTIVE_CARD_MESSAGE, '08-error-no-active-card'],
      ['inactive', ACCOUNT_INACTIVE_MESSAGE, '09-error-account-inactive'],
    ] as const) {
      const { context, page } = await signedIn(who);
      try {
        const dialog = await pick(
          page,
          sim.normalChargers.find((c) => c !== fastCharger.chargeBoxId)!,
        );
        await dialog.getByText(message, { exact: true }).waitFor({ timeout: 15_000 });
        await shot(page, name);
      } finally {
        await context.close();
      }
    }
  }, 60_000);

  it('an impersonating admin sees the notice, every action disabled, and the server answers 403 to a start', async () => {
    const adminCookie = await t.signIn(users.admin.email, users.admin.password);
    const cookie = await t.impersonate(adminCookie, users.driver.id);
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await context.addCookies(
        cookie.split('; ').map((pair) => {
          const [name, ...rest] = pair.split('=');
          return { name: name!, value: rest.join('='), url: t.url };
        }),
      );
      const page = await context.newPage();
      await page.goto(t.url);
      await page.getByText('You’re signed in as an admin acting as a customer').waitFor();
      await page.getByRole('button', { name: 'Stop impersonating' }).waitFor();
      await page.getByTestId('chargers').waitFor();
      expect(await page.getByRole('button', { name: 'Pick charger' }).isDisabled()).toBe(true);
      await shot(page, '10-impersonation-read-only');

      const chargerId = await page.evaluate(async () => {
        const res = await fetch('/graphql', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ chargers(first: 1) { edges { node { id } } } }' }),
        });
        const body = (await res.json()) as { data: { chargers: { edges: { node: { id: string } }[] } } };
        return body.data.chargers.edges[0]!.node.id;
      });
      const status = await page.evaluate(async (id) => {
        const res = await fetch('/graphql', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: 'mutation ($id: ID!) { startCharging(chargerId: $id) { __typename } }',
            variables: { id },
          }),
        });
        return res.status;
      }, chargerId);
      expect(status).toBe(403);
    } finally {
      await context.close();
    }
  }, 60_000);
});
