import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

describe('CSV exports', () => {
  let t: TestApp;
  let adminCookie: string;
  let driverCookie: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin' });
    const driver = await t.createUser({ role: 'customer' });
    adminCookie = await t.signIn(admin.email, admin.password);
    driverCookie = await t.signIn(driver.email, driver.password);
    const labels = ['Smith, Jane', 'The "fast" one', 'line\nbreak', '=HYPERLINK("x")', '\tcmd', '@SUM(1)'];
    for (const [i, label] of labels.entries()) {
      await t.app.services.db.evCard.create({
        data: { publicId: `EV-X${i}`, idTag: `TAG${i}`, label },
      });
    }
  });
  afterAll(() => t.stop());

  const get = (path: string, cookie?: string) =>
    fetch(`${t.url}${path}`, { headers: cookie ? { cookie } : {} });

  it('streams EV cards with correct quoting and defused formulas, and audits the export', async () => {
    const res = await get('/exports/ev-cards.csv', adminCookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const body = await res.text();
    for (const cell of [
      '"Smith, Jane"',
      '"The ""fast"" one"',
      '"line\nbreak"',
      `"'=HYPERLINK(""x"")"`,
      `'\tcmd`,
      `'@SUM(1)`,
    ])
      expect(body).toContain(cell);
    expect(body.split('\r\n')[0]).toMatch(/^publicId,idTag,status,/);
    const audit = await t.app.services.db.auditEvent.findMany({ where: { action: 'export.downloaded' } });
    expect(audit.map((a) => a.subjectId)).toContain('ev-cards');
  });

  it('exports sessions and the audit log with their headers', async () => {
    const sessions = await (await get('/exports/sessions.csv?status=completed', adminCookie)).text();
    expect(sessions.split('\r\n')[0]).toBe(
      'steveTransactionId,status,chargeBoxId,chargerName,connector,cardPublicId,idTag,customerId,customerName,driverEmail,startedAt,stoppedAt,energyKwh',
    );
    const audit = await (await get('/exports/audit.csv', adminCookie)).text();
    expect(audit).toContain('export.downloaded');
  });

  it('refuses drivers, anonymous callers and bad filters', async () => {
    expect((await get('/exports/sessions.csv')).status).toBe(401);
    expect((await get('/exports/sessions.csv', driverCookie)).status).toBe(403);
    expect((await get('/exports/sessions.csv?from=yesterday', adminCookie)).status).toBe(400);
    expect((await get('/exports/nothing.csv', adminCookie)).status).toBe(404);
  });
});
