import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';

const MAX_BODY = 64 * 1024;

/** Nothing a client sends makes the server answer 5xx, leak a stack trace, or lose its footing. */
describe('bad input over HTTP and GraphQL', () => {
  let t: TestApp;
  let adminCookie: string;
  let driverCookie: string;

  const post = (body: string, headers: Record<string, string> = {}, path = '/graphql') =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body,
    });

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_REQUEST_BODY_BYTES: String(MAX_BODY) } });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const driver = await t.createUser();
    driverCookie = await t.signIn(driver.email, driver.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('HTTP', () => {
    it('answers malformed JSON with 400', async () => {
      const res = await post('{"query": "{ __typename }"');
      expect(res.status).toBe(400);
      expect(await res.text()).not.toMatch(/\n\s+at /);
    });

    it('answers a body that is JSON but not a GraphQL request with 400', async () => {
      for (const body of [
        '[]',
        '"query"',
        '42',
        'null',
        '{"query": 5}',
        '{"query": "{ __typename }", "variables": "x"}',
      ]) {
        expect((await post(body)).status, body).toBe(400);
      }
    });

    it('answers unsupported content types with 415', async () => {
      const text = await post('{ __typename }', { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      const xml = await post('<query/>', { 'content-type': 'application/xml' });
      expect(xml.status).toBe(415);
    });

    it('answers PUT, DELETE and PATCH with 405 and says what is allowed', async () => {
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const res = await fetch(`${t.url}/graphql`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        });
        expect(res.status, method).toBe(405);
        expect(res.headers.get('allow') ?? '', method).toMatch(/POST/);
      }
    });

    it('refuses bodies above MAX_REQUEST_BODY_BYTES with 413 on /graphql and /api/auth', async () => {
      const huge = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(MAX_BODY)}` });
      const graphql = await post(huge);
      expect(graphql.status).toBe(413);
      const auth = await post(
        JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(MAX_BODY) }),
        { origin: t.config.publicUrl },
        '/api/auth/sign-in/email',
      );
      expect(auth.status).toBe(413);
      // Just under the limit is still parsed (and refused by the document limits, not by size).
      const under = await post(JSON.stringify({ query: `{ __typename } # ${'x'.repeat(MAX_BODY - 100)}` }));
      expect(under.status).toBeLessThan(500);
      expect(under.status).not.toBe(413);
    });

    it('refuses a body without a length (chunked) with 411', async () => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"query":"{ __typename }"}'));
          controller.close();
        },
      });
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(411);
    });
  });

  describe('GraphQL', () => {
    it('answers malformed global ids with null or a typed error, never a 5xx', async () => {
      const ids = [
        '',
        'nope',
        '!!!',
        'Q2hhcmdlcjo=',
        'VXNlcjox',
        btoa('Charger:'),
        btoa('Nope:1'),
        'x'.repeat(5000),
      ];
      for (const id of ids) {
        const node = await t.graphql(
          'query ($id: ID!) { node(id: $id) { id } }',
          { id },
          { cookie: adminCookie },
        );
        expect(node.status, id).toBeLessThan(500);
        expect(JSON.stringify(node.errors ?? []), id).not.toMatch(/\n\s+at |Unexpected error/);
        const charger = await t.graphql(
          'query ($id: ID!) { charger(id: $id) { id } }',
          { id },
          { cookie: adminCookie },
        );
        expect(charger.status, id).toBeLessThan(500);
        expect(JSON.stringify(charger.errors ?? []), id).not.toMatch(/\n\s+at |Unexpected error/);
        const start = await t.graphql(
          'mutation ($id: ID!) { startCharging(chargerId: $id) { __typename } }',
          { id },
          { cookie: driverCookie },
        );
        expect(start.status, id).toBeLessThan(500);
        expect(JSON.stringify(start.errors ?? []), id).not.toMatch(/\n\s+at |Unexpected error/);
      }
    });

    it('answers wrong variable types and unknown enum values with a validation error (400)', async () => {
      const wrongType = await t.graphql(
        'query ($first: Int) { chargers(first: $first) { nodes { id } } }',
        {
          first: 'ten',
        },
        { cookie: adminCookie },
      );
      expect(wrongType.status).toBe(400);
      expect(wrongType.errors?.[0]?.message).toMatch(/Int/);
      const badEnum = await t.graphql(
        '{ chargers(state: EXPLODED) { nodes { id } } }',
        {},
        { cookie: adminCookie },
      );
      expect(badEnum.status).toBe(400);
      const badEnumVar = await t.graphql(
        'query ($s: ChargerState) { chargers(state: $s) { nodes { id } } }',
        { s: 'EXPLODED' },
        { cookie: adminCookie },
      );
      expect(badEnumVar.status).toBe(400);
      const missing = await t.graphql(
        'query ($id: ID!) { node(id: $id) { id } }',
        {},
        { cookie: adminCookie },
      );
      expect(missing.status).toBe(400);
    });

    it('answers invalid card idTags with the typed InvalidCardInputError', async () => {
      const CREATE = `mutation ($idTag: String!) { createCard(idTag: $idTag) {
        __typename ... on InvalidCardInputError { field message } ... on MutationCreateCardSuccess { data { id } } } }`;
      for (const idTag of [
        '',
        ' ',
        'has space',
        'semi;colon',
        'x'.repeat(21),
        'ümlaut',
        "quote'",
        '<script>',
        // Longer than every string argument may be (MAX_STRING_ARGUMENT) is refused before: hostile-input.test.ts.
        'a'.repeat(1_000),
      ]) {
        const res = await t.graphql<{ createCard: { __typename: string; field?: string } }>(
          CREATE,
          { idTag },
          { cookie: adminCookie },
        );
        expect(res.status, idTag).toBe(200);
        expect(res.data?.createCard, idTag).toMatchObject({
          __typename: 'InvalidCardInputError',
          field: 'idTag',
        });
      }
      const ok = await t.graphql<{ createCard: { __typename: string } }>(
        CREATE,
        { idTag: 'AB.12:cd_9-x' },
        { cookie: adminCookie },
      );
      expect(ok.data?.createCard.__typename).toBe('MutationCreateCardSuccess');
    });

    it('survives a deterministic fuzz of 500 invalid documents and variables, then is still ready', async () => {
      const random = mulberry32(20261122);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      const cases = Array.from({ length: 500 }, () => fuzzCase(random, pick));
      for (let i = 0; i < cases.length; i += 20) {
        await Promise.all(
          cases.slice(i, i + 20).map(async ({ body, cookie }) => {
            const res = await post(body, {
              origin: t.config.publicUrl,
              ...(cookie === 'admin'
                ? { cookie: adminCookie }
                : cookie === 'driver'
                  ? { cookie: driverCookie }
                  : {}),
            });
            const text = await res.text();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500 || /\n\s+at |Unexpected error/.test(text))
              failures.push(`${res.status} ${body.slice(0, 200)} → ${text.slice(0, 200)}`);
          }),
        );
      }
      expect(failures).toEqual([]);
      const ready = await fetch(`${t.url}/readyz`);
      expect(ready.status).toBe(200);
      const still = await t.graphql('{ __typename }');
      expect(still.data).toEqual({ __typename: 'Query' });
      // Mostly validation errors; some (valid but pointless) documents run.
      expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    });
  });
});

/** A small deterministic PRNG, so a failing fuzz case can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const TEMPLATES = [
  ['query ($id: ID!) { node(id: $id) { id } }', 'id'],
  ['query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', 'ids'],
  ['query ($id: ID!) { charger(id: $id) { id name state } }', 'id'],
  [
    'query ($first: Int, $after: String) { chargers(first: $first, after: $after) { nodes { id } } }',
    'first',
  ],
  [
    'query ($first: Int, $after: String) { sessions(first: $first, after: $after) { nodes { id } } }',
    'after',
  ],
  ['query ($p: String!) { evCard(publicId: $p) { id } }', 'p'],
  ['mutation ($id: ID!) { startCharging(chargerId: $id) { __typename } }', 'id'],
  ['mutation ($id: ID!) { stopCharging(sessionId: $id) { __typename } }', 'id'],
  ['mutation ($idTag: String!) { createCard(idTag: $idTag) { __typename } }', 'idTag'],
  ['mutation ($id: ID!, $s: DriverStatus!) { setDriverStatus(id: $id, status: $s) { __typename } }', 's'],
  ['mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }', 'id'],
  ['mutation ($id: ID!) { markAlertRead(id: $id) { __typename } }', 'id'],
] as const;

const GARBAGE_VALUES: unknown[] = [
  null,
  '',
  'x',
  -1,
  0,
  2 ** 31,
  1.5,
  true,
  [],
  {},
  [null],
  { id: 1 },
  'x'.repeat(20_000),
  '\u0000\uffff',
  '💥'.repeat(50),
  'Q2hhcmdlcjox',
  btoa('Charger:not-a-uuid'),
  btoa('User:1'),
  '../../etc/passwd',
  "' OR 1=1 --",
  'EXPLODED',
  'INACTIVE',
  '{"$gt":""}',
  Number.MAX_SAFE_INTEGER,
];

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '@',
  '...',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'node',
  'id',
  'viewer',
  '__typename',
  '__schema',
  'chargers',
  '"str"',
  '1',
  '#',
  ',',
  '=',
  'null',
];

function fuzzCase(
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
): { body: string; cookie: 'admin' | 'driver' | 'none' } {
  const cookie = pick(['admin', 'driver', 'none'] as const);
  const kind = Math.floor(random() * 6);
  if (kind === 0) {
    // Token soup.
    const n = 1 + Math.floor(random() * 40);
    return {
      body: JSON.stringify({ query: Array.from({ length: n }, () => pick(TOKENS)).join(' ') }),
      cookie,
    };
  }
  if (kind === 1) {
    // A valid document cut short or with a byte flipped.
    const [query] = pick(TEMPLATES);
    const cut = Math.floor(random() * query.length);
    const flipped =
      query.slice(0, cut) + String.fromCharCode(33 + Math.floor(random() * 90)) + query.slice(cut + 1);
    return { body: JSON.stringify({ query: random() < 0.5 ? query.slice(0, cut) : flipped }), cookie };
  }
  if (kind === 2) {
    // The right document, garbage variables.
    const [query, name] = pick(TEMPLATES);
    return {
      body: JSON.stringify({ query, variables: { [name]: pick(GARBAGE_VALUES), id: pick(GARBAGE_VALUES) } }),
      cookie,
    };
  }
  if (kind === 3) {
    // Deep or wide documents against the armor limits.
    const depth = 5 + Math.floor(random() * 40);
    const query = `{ ${'viewer { '.repeat(depth)}id${' }'.repeat(depth)} }`;
    const aliases = Array.from({ length: Math.floor(random() * 40) }, (_, i) => `a${i}: __typename`).join(
      ' ',
    );
    return { body: JSON.stringify({ query: random() < 0.5 ? query : `{ ${aliases} }` }), cookie };
  }
  if (kind === 4) {
    // Wrong shapes of the request itself.
    const body = pick([
      JSON.stringify({ query: pick(GARBAGE_VALUES) }),
      JSON.stringify({ query: '{ __typename }', operationName: pick(GARBAGE_VALUES) }),
      JSON.stringify({ query: '{ __typename }', extensions: pick(GARBAGE_VALUES) }),
      JSON.stringify({ query: 'query A { __typename } query B { __typename }' }),
      JSON.stringify({ query: 'subscription { chargerStateChanged { id } }' }),
      JSON.stringify([{ query: '{ __typename }' }]),
      '{"query":',
      '\u0000',
      '',
    ]);
    return { body, cookie };
  }
  // Random bytes.
  const n = Math.floor(random() * 200);
  return {
    body: Array.from({ length: n }, () => String.fromCharCode(Math.floor(random() * 256))).join(''),
    cookie,
  };
}
