import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SteveError } from './errors.ts';
import { startFakeSteveRest, type FakeSteveRest } from './simulator/fake-steve-rest.ts';
import { SteveRestClient, type SteveLogger } from './rest-client.ts';

const PASSWORD = 'api-pass-0f3c9';

function recordingLogger(lines: string[]): SteveLogger {
  const log = (obj: object, msg?: string) => void lines.push(JSON.stringify(obj) + (msg ?? ''));
  return { debug: log, info: log, warn: log, error: log };
}

async function expectSteveError(promise: Promise<unknown>, code: SteveError['code']): Promise<SteveError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SteveError);
  expect((error as SteveError).code).toBe(code);
  return error as SteveError;
}

describe('SteveRestClient against a fake SteVe REST API', () => {
  let fake: FakeSteveRest;
  let logLines: string[];
  let client: SteveRestClient;

  beforeEach(async () => {
    fake = await startFakeSteveRest({ username: 'polaris', password: PASSWORD });
    logLines = [];
    client = new SteveRestClient({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: PASSWORD,
      timeouts: { readMs: 2_000, operationMs: 300 },
      logger: recordingLogger(logLines),
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('sends HTTP Basic credentials and accepts both the root and the /api/v1 base URL', async () => {
    fake.addTag({ idTag: 'CARD01' });
    const viaRoot = await client.listOcppTags();
    const viaApi = await new SteveRestClient({
      baseUrl: `${fake.baseUrl}/api/v1/`,
      username: 'polaris',
      password: PASSWORD,
    }).listOcppTags();
    expect(viaRoot.map((t) => t.idTag)).toEqual(['CARD01']);
    expect(viaApi).toEqual(viaRoot);
    expect(fake.requests[0]?.authorization).toBe(
      `Basic ${Buffer.from(`polaris:${PASSWORD}`).toString('base64')}`,
    );
  });

  it('maps 401 (wrong password) to AUTH and never logs the password', async () => {
    const wrong = new SteveRestClient({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: 'nope',
      logger: recordingLogger(logLines),
    });
    const error = await expectSteveError(wrong.listOcppTags(), 'AUTH');
    expect(error.status).toBe(401);
    expect(error.message).toContain('Invalid password');
    await client.createOcppTag({ idTag: 'CARD02' });
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(PASSWORD);
    expect(logLines.join('\n')).not.toContain(Buffer.from(`polaris:${PASSWORD}`).toString('base64'));
  });

  it('creates, reads, replaces and expires tags; 422 on a duplicate idTag → CONFLICT, 404 → NOT_FOUND', async () => {
    const created = await client.createOcppTag({ idTag: 'CARD03', note: 'first card' });
    expect(created).toMatchObject({
      idTag: 'CARD03',
      maxActiveTransactionCount: 1,
      blocked: false,
      note: 'first card',
    });
    // SteVe compares idTags case-insensitively.
    const dup = await expectSteveError(client.createOcppTag({ idTag: 'card03' }), 'CONFLICT');
    expect(dup.status).toBe(422);
    expect(dup.message).toContain('exists already');

    const blocked = await client.replaceOcppTag(created.ocppTagPk, {
      idTag: 'CARD03',
      maxActiveTransactionCount: 0,
      note: 'first card',
    });
    expect(blocked.blocked).toBe(true);
    const expired = await client.expireOcppTag(created.ocppTagPk);
    expect(expired.expiryDate).toBeInstanceOf(Date);
    expect(expired.note).toBe('first card');

    await expectSteveError(client.getOcppTag(999), 'NOT_FOUND');
    await expectSteveError(client.findOcppTag('NOPE'), 'NOT_FOUND');
  });

  it('maps the operation envelope: accepted, rejected, CallError, exception, taskFinished=false', async () => {
    fake.addTag({ idTag: 'CARD04' });
    fake.stations.set('CP-ACC', { kind: 'answer', response: 'Accepted' });
    fake.stations.set('CP-REJ', { kind: 'answer', response: 'Rejected' });
    fake.stations.set('CP-ERR', {
      kind: 'callError',
      errorCode: 'NotSupported',
      description: 'no remote start',
    });
    fake.stations.set('CP-EXC', { kind: 'exception', message: 'WebSocket closed' });
    fake.stations.set('CP-NOA', { kind: 'noAnswer' });

    const accepted = await client.remoteStart('CP-ACC', 'CARD04', 2);
    expect(accepted).toMatchObject({ kind: 'ACCEPTED', status: 'Accepted' });
    expect(typeof (accepted as { taskId: number }).taskId).toBe('number');
    expect(fake.requests.at(-1)?.body).toEqual({
      chargeBoxIdList: ['CP-ACC'],
      idTag: 'CARD04',
      connectorId: 2,
    });

    expect(await client.remoteStart('CP-REJ', 'CARD04')).toMatchObject({
      kind: 'REJECTED',
      status: 'Rejected',
    });
    expect(await client.remoteStop('CP-ERR', 7)).toMatchObject({
      kind: 'CALL_ERROR',
      errorCode: 'NotSupported',
      detail: 'no remote start',
    });
    expect(await client.cancelReservation('CP-EXC', 3)).toMatchObject({
      kind: 'EXCEPTION',
      detail: 'WebSocket closed',
    });
    expect(await client.remoteStart('CP-NOA', 'CARD04')).toMatchObject({ kind: 'NO_ANSWER' });
  });

  it('maps SteVe 400s: offline station → OFFLINE, ineligible tag / inactive transaction → STEVE_REFUSED', async () => {
    fake.addTag({ idTag: 'BLOCKED1', maxActiveTransactionCount: 0 });
    fake.stations.set('CP-ACC', { kind: 'answer', response: 'Accepted' });
    expect(await client.remoteStart('CP-GONE', 'BLOCKED1')).toMatchObject({ kind: 'OFFLINE' });
    expect(await client.remoteStart('CP-ACC', 'BLOCKED1')).toMatchObject({
      kind: 'STEVE_REFUSED',
      reason: 'TAG_NOT_ELIGIBLE',
    });
    fake.respondNext({
      status: 400,
      body: JSON.stringify({
        status: 400,
        error: 'Bad Request',
        message: 'This transaction is not active at this station.',
        path: '/x',
      }),
    });
    expect(await client.remoteStop('CP-ACC', 1)).toMatchObject({
      kind: 'STEVE_REFUSED',
      reason: 'TRANSACTION_NOT_ACTIVE',
    });
  });

  it('reports a reservation answer other than Accepted as REJECTED with the OCPP status', async () => {
    fake.addTag({ idTag: 'CARD05' });
    fake.stations.set('CP-OCC', { kind: 'answer', response: 'Occupied' });
    const result = await client.reserveNow('CP-OCC', 1, 'CARD05', new Date(Date.now() + 3_600_000));
    expect(result).toMatchObject({ kind: 'REJECTED', status: 'Occupied' });
    expect((fake.requests.at(-1)?.body as { expiry: string }).expiry).toMatch(/Z$/);
  });

  it('turns a never-answering SteVe into NO_ANSWER for operations (outcome unknown)', async () => {
    fake.addTag({ idTag: 'CARD06' });
    fake.stations.set('CP-HANG', { kind: 'hang' });
    const started = Date.now();
    const result = await client.remoteStart('CP-HANG', 'CARD06');
    expect(result.kind).toBe('NO_ANSWER');
    expect(result.detail).toContain('300 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('turns a hanging read or tag write into SteveError TIMEOUT', async () => {
    const impatient = new SteveRestClient({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: PASSWORD,
      timeouts: { readMs: 200 },
    });
    fake.respondNext({ hang: true });
    const error = await expectSteveError(impatient.listOcppTags(), 'TIMEOUT');
    expect(error.message).toContain('200 ms');
    fake.respondNext({ hang: true });
    await expectSteveError(impatient.createOcppTag({ idTag: 'CARD09' }), 'TIMEOUT');
  });

  it('rejects malformed JSON and wrong shapes as BAD_RESPONSE instead of crashing', async () => {
    fake.respondNext({ status: 200, body: '{"taskId": 1, "taskFin' });
    const malformed = await expectSteveError(client.listOcppTags(), 'BAD_RESPONSE');
    expect(malformed.message).toContain('malformed JSON');

    fake.respondNext({ status: 200, body: JSON.stringify([{ ocppTagPk: 'one', idTag: 5 }]) });
    const wrongShape = await expectSteveError(client.listOcppTags(), 'BAD_RESPONSE');
    expect(wrongShape.message).toContain('unexpected shape');

    fake.stations.set('CP-ACC', { kind: 'answer', response: 'Accepted' });
    fake.addTag({ idTag: 'CARD07' });
    fake.respondNext({ status: 200, body: JSON.stringify({ successResponses: 'yes' }) });
    await expectSteveError(client.remoteStart('CP-ACC', 'CARD07'), 'BAD_RESPONSE');

    fake.respondNext({
      status: 200,
      body: JSON.stringify({
        taskId: 4,
        taskFinished: true,
        successResponses: [],
        errorResponses: [],
        exceptions: [],
      }),
    });
    await expectSteveError(client.remoteStart('CP-ACC', 'CARD07'), 'BAD_RESPONSE');

    fake.respondNext({
      status: 200,
      body: JSON.stringify([
        {
          id: 1,
          chargeBoxId: 'A',
          chargeBoxPk: 1,
          connectorId: 1,
          ocppIdTag: 'T',
          startTimestamp: 'yesterday',
          startValue: '12',
        },
      ]),
    });
    await expectSteveError(client.listTransactions(), 'BAD_RESPONSE');
  });

  it('parses transactions into numbers and Dates', async () => {
    fake.transactions.set(9, {
      id: 9,
      chargeBoxId: 'CP-1',
      chargeBoxPk: 1,
      connectorId: 1,
      ocppIdTag: 'CARD08',
      startTimestamp: '2026-01-01T10:00:00.000Z',
      startValue: '1000',
      stopTimestamp: '2026-01-01T11:00:00.000Z',
      stopValue: '12500',
      stopReason: 'Remote',
      stopEventActor: 'station',
    });
    const [tx] = await client.listTransactions({ type: 'STOPPED' });
    expect(tx).toMatchObject({ id: 9, startValue: 1000, stopValue: 12500, stopEventActor: 'station' });
    expect(tx?.startTimestamp.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    await expectSteveError(client.getTransactionDetails(10), 'NOT_FOUND');
  });

  it('maps a refused connection to UNREACHABLE, a 500 to SERVER_ERROR and 403 without body to AUTH', async () => {
    const url = fake.baseUrl;
    fake.respondNext({
      status: 500,
      body: JSON.stringify({ status: 500, error: 'Internal Server Error', message: 'boom', path: '/x' }),
    });
    await expectSteveError(client.listOcppTags(), 'SERVER_ERROR');
    fake.respondNext({ status: 403, body: '' });
    await expectSteveError(client.listOcppTags(), 'AUTH');
    await fake.close();
    const closed = new SteveRestClient({ baseUrl: url, username: 'polaris', password: PASSWORD });
    await expectSteveError(closed.listOcppTags(), 'UNREACHABLE');
    fake = await startFakeSteveRest();
  });
});
