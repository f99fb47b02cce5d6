import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SteveError } from './errors.ts';
import { startFakeSteveRest, type FakeSteveRest } from './simulator/fake-steve-rest.ts';
import { RealSteveAdapter } from './real-adapter.ts';
import { SteveRestClient } from './rest-client.ts';

// The fake SteVe checks every request against SteVe's published spec (fixtures/steve-api-docs.json).
describe('SteVe REST requests conform to SteVe’s published spec', () => {
  let fake: FakeSteveRest;
  let client: SteveRestClient;

  beforeEach(async () => {
    fake = await startFakeSteveRest({ username: 'polaris', password: 'pw' });
    client = new SteveRestClient({ baseUrl: fake.baseUrl, username: 'polaris', password: 'pw' });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('the stand-in refuses a body the spec does not allow (an explicit null where it says string)', async () => {
    const res = await fetch(`${fake.baseUrl}/api/v1/ocppTags`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('polaris:pw').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ idTag: 'CARD09', note: null }),
    });
    expect(res.status).toBe(400);
    expect(fake.specViolations.join('\n')).toContain('POST /api/v1/ocppTags body/note: must be string');
    fake.specViolations.length = 0;
  });

  it('ocppTags create and update omit absent fields instead of sending null', async () => {
    const created = await client.createOcppTag({ idTag: 'CARD10' });
    await client.replaceOcppTag(created.ocppTagPk, { idTag: 'CARD10', maxActiveTransactionCount: 0 });
    const writes = fake.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.body)).toEqual([
      { idTag: 'CARD10', maxActiveTransactionCount: 1 },
      { idTag: 'CARD10', maxActiveTransactionCount: 0 },
    ]);
    expect(fake.specViolations).toEqual([]);
  });

  it('finds a tag by SteVe’s case rule and never writes another tag the reply holds', async () => {
    const adapter = new RealSteveAdapter({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: 'pw',
      dbUrl: 'mysql://nobody@127.0.0.1:1/none',
    });
    try {
      fake.addTag({ idTag: 'CARD-A' });
      expect((await client.findOcppTag('card-a')).idTag).toBe('CARD-A');
      // A reply that lists only some other tag (a SteVe filtering differently, a proxy's cache).
      fake.respondNext({
        status: 200,
        body: JSON.stringify([
          {
            ocppTagPk: 77,
            idTag: 'OTHER',
            userPk: null,
            parentIdTag: null,
            parentOcppTagPk: null,
            expiryDate: null,
            maxActiveTransactionCount: 1,
            activeTransactionCount: 0,
            inTransaction: false,
            blocked: false,
            note: null,
          },
        ]),
      });
      const error = await adapter.blockTag('CARD-B').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SteveError);
      expect((error as SteveError).code).toBe('BAD_RESPONSE');
      expect(fake.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    } finally {
      await adapter.close();
    }
  });
});
