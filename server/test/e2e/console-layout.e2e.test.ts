/**
 * The operator console at the three screens it is made for (1920×1080, 1440×900 and a 390×844
 * phone): every /admin page fits the screen's width, the dashboard's four cards fit without
 * scrolling on desktops, the phone has a menu with every section; and the screens that used to go
 * stale or confuse (Sync card after "Sync now", Live now order) plus the CSV download.
 * Screenshots: test-results/screenshots/console-<width>x<height>-<page>.png (CI keeps the folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { plural } from '../../../shared/plural.ts';
import { FleetSimulator } from '../../src/integrations/steve/simulator/index.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { ensureClientBuild } from './client-build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromium = fs.existsSync(chromiumPath) ? chromiumPath : null;

const ADMIN = { email: 'layout-ops@example.test', password: 'operator-password-1' };
const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
const SECTIONS = [
  'Dashboard',
  'Insights',
  'Chargers',
  'Sessions',
  'EV Cards',
  'Drivers',
  'Audit log',
  'Alerts',
];
/** A customer name that needs every kind of CSV quoting, and a label a spreadsheet would run. */
const TRICKY_NAME = 'Fleet, "North"\nDepot';
const FORMULA_LABEL = '=HYPERLINK("http://evil.test")';

describe.skipIf(!chromium)('operator console layout and freshness in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every /admin page, by a short name for the screenshots. */
  const pages: [name: string, url: string][] = [];
  let chargeBoxId = '';

  const size = () => page.viewportSize()!;
  const shot = (name: string, fullPage = false) =>
    page.screenshot({
      path: path.join(SCREENSHOTS, `console-${size().width}x${size().height}-${name}.png`),
      fullPage,
    });
  const overflow = () =>
    page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));

  beforeAll(async () => {
    await ensureClientBuild();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const sim = new FleetSimulator({ seed: 21, size: 5, fleetChurn: false, outages: false });
    t = await createTestApp({ app: { background: false, steve: sim } });
    await t.createUser({ role: 'admin', ...ADMIN, name: 'Layout Operator' });
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    const db = t.app.services.db;

    // A card billed to a customer whose name needs quoting, and sessions on one charger.
    const charger = await db.charger.findFirstOrThrow({
      where: { goneAt: null },
      orderBy: { chargeBoxId: 'asc' },
    });
    chargeBoxId = charger.chargeBoxId;
    const customer = await db.customer.create({ data: { externalId: 'cust-tricky', name: TRICKY_NAME } });
    const card = await db.evCard.create({
      data: {
        publicId: 'EV-LAY001',
        idTag: 'LAYOUT-TAG-1',
        label: FORMULA_LABEL,
        status: 'ACTIVE',
        customerId: customer.id,
      },
    });
    const hour = 3_600_000;
    const start = Date.now() - 48 * hour;
    await db.chargingSession.createMany({
      data: Array.from({ length: 4 }, (_, i) => ({
        steveTransactionPk: 90_000 + i,
        chargerId: charger.id,
        connectorNumber: 1,
        idTag: card.idTag,
        cardId: card.id,
        meterStartWh: 0,
        startedAt: new Date(start + i * hour),
        status: 'COMPLETED' as const,
        stoppedAt: new Date(start + i * hour + hour / 2),
        energyKwh: 10 + i,
      })),
    });
    await db.alert.create({
      data: { severity: 'WARNING', kind: 'layout.test', message: 'A long alert message '.repeat(6) },
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
    context = await browser.newContext({ viewport: VIEWPORTS[0], baseURL: t.url });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('[browser]', error.message));
    await page.goto('/admin');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('strip-alerts').waitFor();

    // The detail pages' addresses, as the lists link to them.
    await page.goto('/admin/chargers');
    const chargerHref = await page
      .locator('table[aria-label="Chargers"] tbody tr a')
      .first()
      .getAttribute('href');
    pages.push(
      ['dashboard', '/admin'],
      ['insights', '/admin/insights'],
      ['chargers', '/admin/chargers'],
      ['charger-detail', chargerHref!],
      ['sessions', '/admin/sessions'],
      ['cards', '/admin/cards'],
      ['card-detail', '/admin/cards/EV-LAY001'],
      ['drivers', '/admin/drivers'],
      ['audit', '/admin/audit'],
      ['alerts', '/admin/alerts'],
    );
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  for (const viewport of VIEWPORTS) {
    it(`fits every /admin page at ${viewport.width}×${viewport.height}`, { timeout: 120_000 }, async () => {
      onTestFailed(() => shot('failure').then(() => undefined));
      await page.setViewportSize(viewport);
      for (const [name, url] of pages) {
        await page.goto(url);
        await page
          .getByRole('heading', { level: 1 })
          .waitFor()
          .catch(async (error: Error) => {
            // Say which page, and what it showed instead.
            const shown = (
              await page
                .locator('body')
                .innerText()
                .catch(() => '')
            ).slice(0, 500);
            throw new Error(`${name} (${page.url()}) showed no heading: ${error.message}\n${shown}`);
          });
        // Loaded: no spinner left in the main area.
        await page
          .locator('main .ui-spinner')
          .first()
          .waitFor({ state: 'detached', timeout: 15_000 })
          .catch(() => undefined);
        const { scrollWidth, innerWidth } = await overflow();
        expect(scrollWidth, `${name} at ${viewport.width}px`).toBeLessThanOrEqual(innerWidth);
        await shot(name, true);
      }
    });
  }

  it(
    'fits the four dashboard cards without scrolling at 1920×1080 and 1440×900',
    { timeout: 60_000 },
    async () => {
      for (const viewport of VIEWPORTS.slice(0, 2)) {
        await page.setViewportSize(viewport);
        await page.goto('/admin');
        await page.getByRole('heading', { name: 'This week', exact: true }).waitFor();
        const bottom = await page.evaluate(
          () => document.querySelector('.dash-grid')!.getBoundingClientRect().bottom,
        );
        expect(bottom, `${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(viewport.height);
        const scrollHeight = await page.evaluate(() => document.scrollingElement!.scrollHeight);
        expect(scrollHeight).toBeLessThanOrEqual(viewport.height);
      }
    },
  );

  it('shows every section in the phone menu, and the header fits', { timeout: 60_000 }, async () => {
    onTestFailed(() => shot('failure-menu').then(() => undefined));
    await page.setViewportSize(VIEWPORTS[2]);
    await page.goto('/admin/sessions');
    const nav = page.getByRole('navigation', { name: 'Operator console' });
    const toggle = nav.getByRole('button', { name: /Menu/ });
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    for (const section of SECTIONS) {
      const link = nav.getByRole('link', { name: section, exact: true });
      expect(await link.isVisible(), section).toBe(true);
      const box = (await link.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await shot('menu-open');
    await nav.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    // Picking a section closes the menu.
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    // The header's live status and Sign out are on the screen, not cut off.
    for (const item of [page.getByRole('button', { name: 'Sign out' }), page.locator('.app-live')]) {
      const box = (await item.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
  });

  it('keeps the Sync card in step with the header strip after Sync now', { timeout: 60_000 }, async () => {
    onTestFailed(() => shot('failure-sync').then(() => undefined));
    await page.setViewportSize(VIEWPORTS[1]);
    await page.goto('/admin');
    const lastSuccess = page.getByTestId('last-success');
    await lastSuccess.waitFor();
    const before = await lastSuccess.getAttribute('data-at');
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Sync now' }).click();
    // The run finishes; the card's last success moves on without a reload...
    await page.waitForFunction(
      (previous) => {
        const at = document.querySelector('[data-testid="last-success"]')?.getAttribute('data-at');
        return Boolean(at) && at !== previous;
      },
      before,
      { timeout: 30_000 },
    );
    expect(Date.parse((await lastSuccess.getAttribute('data-at'))!)).toBeGreaterThanOrEqual(clicked - 1000);
    // ...and its next run is the header strip's.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="next-sync"]')?.getAttribute('data-at') ===
        document.querySelector('[data-testid="strip-next-sync"]')?.getAttribute('data-at'),
      undefined,
      { timeout: 10_000 },
    );
    const schedule = await t.app.services.db.syncSchedule.findUniqueOrThrow({ where: { id: 1 } });
    expect(await page.getByTestId('sync-tier').textContent()).toContain(schedule.tier);
    expect(await page.getByTestId('last-run').textContent()).toContain('Succeeded');
    await shot('sync-after-sync-now');
  });

  it('draws the Insights charts from the aggregates', { timeout: 60_000 }, async () => {
    onTestFailed(() => shot('failure-insights').then(() => undefined));
    await page.setViewportSize(VIEWPORTS[0]);
    // What the chart must add up to: the sessions completed since midnight UTC 29 days ago.
    const since = new Date();
    since.setUTCHours(0, 0, 0, 0);
    since.setUTCDate(since.getUTCDate() - 29);
    const completed = await t.app.services.db.chargingSession.aggregate({
      where: { status: 'COMPLETED', stoppedAt: { gte: since } },
      _sum: { energyKwh: true },
      _count: { _all: true },
    });
    const expected = `${(completed._sum.energyKwh ?? 0).toFixed(2)} kWh in ${plural(completed._count._all, 'session')}`;
    await page.goto('/admin/insights');
    await page.getByTestId('insights-energy-total').filter({ hasText: expected }).waitFor();
    // Energy, hours, sync runs and billing draw on canvases (utilisation is a list).
    await page.waitForFunction(() => document.querySelectorAll('.insights-grid canvas').length >= 4);
    // The seeded sessions make their charger the most used one.
    const top = page.getByTestId('utilisation-top').locator('li').first();
    expect(await top.getAttribute('data-charge-box-id')).toBe(chargeBoxId);
    await page.getByRole('button', { name: '6 months' }).click();
    await page.getByRole('button', { name: '6 months', pressed: true }).waitFor();
    await page.getByText('Per week, last 26 weeks (UTC)').waitFor();
    await shot('insights-charts');
    // By site: one line per site, with its total in the legend (these chargers have no site yet).
    await page.getByRole('button', { name: 'By site' }).click();
    const legend = page.getByTestId('insights-energy-sites').locator('li');
    await legend.first().waitFor();
    expect(await legend.allTextContents()).toEqual([expect.stringMatching(/^No site .* kWh$/)]);
    // Uptime per charger is a ranked list like utilisation.
    await page.getByRole('heading', { name: 'Uptime per charger' }).waitFor();
    await shot('insights-by-site');
  });

  it('lists the newest running session first in Live now', { timeout: 60_000 }, async () => {
    onTestFailed(() => shot('failure-live-now').then(() => undefined));
    const db = t.app.services.db;
    const chargers = await db.charger.findMany({
      where: { goneAt: null },
      orderBy: { chargeBoxId: 'asc' },
      take: 2,
    });
    const now = Date.now();
    await db.chargingSession.createMany({
      data: [
        { idTag: 'OLDER-TAG', startedAt: new Date(now - 30 * 60_000), pk: 91_000, charger: chargers[0]! },
        { idTag: 'NEWEST-TAG', startedAt: new Date(now - 5_000), pk: 91_001, charger: chargers[1]! },
      ].map((s) => ({
        steveTransactionPk: s.pk,
        chargerId: s.charger.id,
        connectorNumber: 2,
        idTag: s.idTag,
        meterStartWh: 0,
        startedAt: s.startedAt,
      })),
    });
    await page.setViewportSize(VIEWPORTS[0]);
    await page.goto('/admin');
    const rows = page.locator('table[aria-label="Active sessions"] tbody tr');
    await rows.filter({ hasText: 'OLDER-TAG' }).waitFor();
    const texts = await rows.allTextContents();
    // The session that just started is on top; the one from half an hour ago further down.
    expect(texts[0]).toContain('NEWEST-TAG');
    expect(texts.findIndex((text) => text.includes('OLDER-TAG'))).toBeGreaterThan(0);
    await shot('live-now-order');
    await db.chargingSession.updateMany({
      where: { steveTransactionPk: { in: [91_000, 91_001] } },
      data: { status: 'COMPLETED', stoppedAt: new Date() },
    });
  });

  it(
    "downloads the sessions CSV with the page's filters, quoted and formula-safe",
    { timeout: 60_000 },
    async () => {
      onTestFailed(() => shot('failure-csv').then(() => undefined));
      await page.setViewportSize(VIEWPORTS[0]);
      await page.goto('/admin/sessions');
      await page.getByLabel('Charger').fill(chargeBoxId);
      await page.getByLabel('Card').fill('EV-LAY001');
      await page.getByTestId('list-count').filter({ hasText: 'Showing 4 of 4 sessions' }).waitFor();
      const link = page.getByRole('link', { name: 'Download CSV' });
      expect(await link.getAttribute('href')).toContain(`charger=${chargeBoxId}`);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const csv = fs.readFileSync((await download.path())!, 'utf8');
      const lines = csv.split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(
        'steveTransactionId,status,chargeBoxId,chargerName,connector,cardPublicId,idTag,customerId,customerName,driverEmail,startedAt,stoppedAt,energyKwh',
      );
      // The customer's name stays one cell: commas and quotes quoted, the line break inside quotes.
      expect(csv).toContain('"Fleet, ""North""\nDepot"');
      expect(lines.slice(1).filter((l) => l.startsWith('9000'))).toHaveLength(4);
      // Newest first, like the list.
      expect(lines[1]).toMatch(/^90003,COMPLETED,/);

      // EV cards: the label a spreadsheet would run as a formula is defused.
      await page.goto('/admin/cards');
      await page.getByLabel('Search').fill('EV-LAY001');
      await page.getByTestId('list-count').filter({ hasText: 'Showing 1 of 1 card' }).waitFor();
      const [cards] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV' }).click(),
      ]);
      const cardsCsv = fs.readFileSync((await cards.path())!, 'utf8');
      expect(cardsCsv.split('\r\n').filter(Boolean)).toHaveLength(2);
      expect(cardsCsv).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    },
  );
});
