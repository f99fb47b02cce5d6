import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { OpenApiRequestValidator } from '../../openapi-request-validator.ts';
import type { AddressInfo } from 'node:net';

/**
 * An in-process stand-in for SteVe's REST API (`/steve/api/v1`), behaving per its OpenAPI spec:
 * Basic auth, ocppTags CRUD (422 on duplicate idTag, 404), transactions, and the operation
 * envelope with a scriptable outcome per station. For tests of anything that talks to SteVe.
 */

/** How a station reacts to operations sent to it. */
export type FakeStationBehaviour =
  | { kind: 'answer'; response: string }
  | { kind: 'callError'; errorCode: string; description?: string }
  | { kind: 'exception'; message: string }
  /** SteVe gave up waiting: taskFinished=false with empty lists. */
  | { kind: 'noAnswer' }
  /** SteVe itself never answers the HTTP request (until the server is closed). */
  | { kind: 'hang' }
  /** Not connected: SteVe's 400 "No stations are eligible…". */
  | { kind: 'offline' };

export interface FakeTag {
  ocppTagPk: number;
  idTag: string;
  parentIdTag: string | null;
  expiryDate: string | null;
  maxActiveTransactionCount: number;
  note: string | null;
  userPk: number | null;
}

export interface FakeTransaction {
  id: number;
  chargeBoxId: string;
  chargeBoxPk: number;
  connectorId: number;
  ocppIdTag: string;
  startTimestamp: string;
  startValue: string;
  stopTimestamp: string | null;
  stopValue: string | null;
  stopReason: string | null;
  stopEventActor: 'station' | 'manual' | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeSteveRest {
  /** SteVe root including the context path, e.g. `http://127.0.0.1:41234/steve`. */
  baseUrl: string;
  tags: Map<number, FakeTag>;
  transactions: Map<number, FakeTransaction>;
  /** Stations the operations may target; unknown ones behave like `offline`. */
  stations: Map<string, FakeStationBehaviour>;
  requests: RecordedRequest[];
  /** GetConfiguration answers per station (default: two keys). */
  configuration: Map<string, Array<{ key: string; value: string; readonly: boolean }>>;
  /** The next request (after auth) gets exactly this raw answer, or none at all (`hang`). */
  respondNext(answer: CannedAnswer): void;
  /**
   * Requests that did not conform to SteVe's published OpenAPI spec (fixtures/steve-api-docs.json),
   * one line per problem. Such a request is answered 400 and `close()` rejects listing them, so a
   * test whose code sends a request the real API's spec does not allow fails.
   */
  specViolations: string[];
  addTag(tag: Partial<FakeTag> & { idTag: string }): FakeTag;
  close(): Promise<void>;
}

export type CannedAnswer = { status: number; body: string; contentType?: string } | { hang: true };

/**
 * What SteVe writes in its database around ReserveNow / CancelReservation, for a fake backed by a
 * SteVe database (see fixtures/steve-db-reservations.ts). Without it the fake only answers.
 */
export interface FakeReservationTable {
  /** SteVe inserts the row (WAITING) before sending ReserveNow; its pk is the OCPP reservationId. */
  insertWaiting(r: {
    chargeBoxId: string;
    connectorId: number;
    idTag: string;
    expiry: Date;
  }): Promise<number>;
  /** The station accepted: ACCEPTED. */
  accept(pk: number): Promise<void>;
  /** Any other answer, a CallError or an exception: SteVe hard-deletes the row. */
  remove(pk: number): Promise<void>;
  /** CancelReservation is only sent for a reservation ACCEPTED at that station and not expired. */
  isActiveAt(pk: number, chargeBoxId: string): Promise<boolean>;
  /** The station accepted the cancel: CANCELLED. */
  cancel(pk: number): Promise<void>;
}

export interface FakeSteveRestOptions {
  username?: string;
  password?: string;
  contextPath?: string;
  /** SteVe's reservation rows, written the way SteVe writes them (optional). */
  reservations?: FakeReservationTable;
  /** Check every request against SteVe's spec (default true; off only for tests of the fake itself). */
  validateSpec?: boolean;
}

let steveSpec: OpenApiRequestValidator | undefined;
/** SteVe's published spec, loaded once per process. */
export function steveSpecValidator(): OpenApiRequestValidator {
  steveSpec ??= OpenApiRequestValidator.fromFile(new URL('../fixtures/steve-api-docs.json', import.meta.url));
  return steveSpec;
}

const TAG_ID = /^[a-zA-Z0-9.:_#-]{1,20}$/;

export async function startFakeSteveRest(options: FakeSteveRestOptions = {}): Promise<FakeSteveRest> {
  const username = options.username ?? 'polaris';
  const password = options.password ?? 'secret';
  const contextPath = options.contextPath ?? '/steve';
  const apiPrefix = `${contextPath}/api/v1`;
  const tags = new Map<number, FakeTag>();
  const transactions = new Map<number, FakeTransaction>();
  const stations = new Map<string, FakeStationBehaviour>();
  const requests: RecordedRequest[] = [];
  const configuration = new Map<string, Array<{ key: string; value: string; readonly: boolean }>>();
  const cannedAnswers: CannedAnswer[] = [];
  const specViolations: string[] = [];
  const spec = options.validateSpec === false ? undefined : steveSpecValidator();
  let nextTagPk = 1;
  let nextTaskId = 1;

  const addTag = (tag: Partial<FakeTag> & { idTag: string }): FakeTag => {
    const full: FakeTag = {
      ocppTagPk: tag.ocppTagPk ?? nextTagPk++,
      idTag: tag.idTag,
      parentIdTag: tag.parentIdTag ?? null,
      expiryDate: tag.expiryDate ?? null,
      maxActiveTransactionCount: tag.maxActiveTransactionCount ?? 1,
      note: tag.note ?? null,
      userPk: tag.userPk ?? null,
    };
    nextTagPk = Math.max(nextTagPk, full.ocppTagPk + 1);
    tags.set(full.ocppTagPk, full);
    return full;
  };

  const overview = (tag: FakeTag) => {
    const active = [...transactions.values()].filter(
      (t) => t.ocppIdTag.toLowerCase() === tag.idTag.toLowerCase() && t.stopTimestamp === null,
    ).length;
    const parent = tag.parentIdTag ? [...tags.values()].find((t) => t.idTag === tag.parentIdTag) : undefined;
    return {
      ocppTagPk: tag.ocppTagPk,
      idTag: tag.idTag,
      userPk: tag.userPk,
      parentIdTag: tag.parentIdTag,
      parentOcppTagPk: parent?.ocppTagPk ?? null,
      expiryDate: tag.expiryDate,
      maxActiveTransactionCount: tag.maxActiveTransactionCount,
      activeTransactionCount: active,
      inTransaction: active > 0,
      blocked: tag.maxActiveTransactionCount === 0,
      note: tag.note,
    };
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, apiError(500, 'Internal Server Error', String(error), req.url ?? ''));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
    });
    const fullUrl = `http://${req.headers.host ?? 'fake'}${url.pathname}`;

    if (!url.pathname.startsWith(apiPrefix))
      return send(res, 404, apiError(404, 'Not Found', 'No endpoint', fullUrl));
    const auth = req.headers.authorization;
    // Without any header Spring's default entry point answers 403 with an empty body.
    if (!auth) return sendRaw(res, 403, '');
    const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    const user = sep >= 0 ? decoded.slice(0, sep) : '';
    const pass = sep >= 0 ? decoded.slice(sep + 1) : '';
    if (user !== username) {
      return send(
        res,
        401,
        apiError(
          401,
          'Unauthorized',
          'The user does not exist, exists but is disabled or has API access disabled.',
          fullUrl,
        ),
      );
    }
    if (pass !== password) return send(res, 401, apiError(401, 'Unauthorized', 'Invalid password', fullUrl));

    if (spec) {
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(key);
        query[key] = values.length > 1 ? values : values[0]!;
      }
      const problems = spec.validate({
        method: req.method ?? 'GET',
        path: url.pathname.slice(contextPath.length),
        query,
        body: raw ? body : undefined,
      });
      if (problems.length > 0) {
        specViolations.push(...problems);
        return send(
          res,
          400,
          apiError(400, 'Bad Request', `Not allowed by SteVe's spec: ${problems.join('; ')}`, fullUrl),
        );
      }
    }

    const canned = cannedAnswers.shift();
    if (canned && 'hang' in canned) return;
    if (canned) return sendRaw(res, canned.status, canned.body, canned.contentType);

    const path = url.pathname.slice(apiPrefix.length);
    const method = req.method ?? 'GET';
    const notFound = (what: string) => send(res, 404, apiError(404, 'Not Found', what, fullUrl));
    const badRequest = (message: string) => send(res, 400, apiError(400, 'Bad Request', message, fullUrl));

    // ocppTags ----------------------------------------------------------------------------
    if (path === '/ocppTags' && method === 'GET') {
      const idTag = url.searchParams.get('idTag')?.trim();
      const pkParam = url.searchParams.get('ocppTagPk');
      const list = [...tags.values()].filter(
        (t) =>
          (!idTag || t.idTag.toLowerCase() === idTag.toLowerCase()) &&
          (pkParam === null || pkParam === '' || t.ocppTagPk === Number(pkParam)),
      );
      return send(res, 200, list.map(overview));
    }
    if (path === '/ocppTags' && method === 'POST') {
      const form = validTagForm(body);
      if (typeof form === 'string') return badRequest(form);
      if ([...tags.values()].some((t) => t.idTag.toLowerCase() === form.idTag.toLowerCase())) {
        return send(
          res,
          422,
          apiError(422, 'Unprocessable Entity', `The idTag '${form.idTag}' exists already.`, fullUrl),
        );
      }
      return send(res, 201, overview(addTag({ ...form, ocppTagPk: undefined })));
    }
    const tagMatch = /^\/ocppTags\/([^/]+)(\/expire)?$/.exec(path);
    if (tagMatch) {
      const pk = Number(tagMatch[1]);
      if (!Number.isInteger(pk)) return badRequest('Error understanding the request');
      const tag = tags.get(pk);
      if (!tag) return notFound('Could not find this ocppTag');
      if (tagMatch[2] && method === 'PATCH') {
        tag.expiryDate = new Date().toISOString();
        return send(res, 200, overview(tag));
      }
      if (tagMatch[2])
        return send(res, 405, apiError(405, 'Method Not Allowed', 'Method not allowed', fullUrl));
      if (method === 'GET') return send(res, 200, overview(tag));
      if (method === 'PUT') {
        const form = validTagForm(body);
        if (typeof form === 'string') return badRequest(form);
        // Full replace; idTag is ignored (cannot be renamed).
        tag.parentIdTag = form.parentIdTag;
        tag.expiryDate = form.expiryDate;
        tag.maxActiveTransactionCount = form.maxActiveTransactionCount;
        tag.note = form.note;
        return send(res, 200, overview(tag));
      }
      if (method === 'DELETE') {
        tags.delete(pk);
        return send(res, 200, overview(tag));
      }
    }

    // transactions ------------------------------------------------------------------------
    if (path === '/transactions' && method === 'GET') {
      const type = url.searchParams.get('type') ?? 'ALL';
      const boxes = url.searchParams.getAll('chargeBoxId').map((s) => s.toLowerCase());
      const list = [...transactions.values()]
        .filter((t) => type === 'ALL' || (type === 'ACTIVE') === (t.stopTimestamp === null))
        .filter((t) => boxes.length === 0 || boxes.includes(t.chargeBoxId.toLowerCase()))
        .sort((a, b) => b.id - a.id)
        .map(transactionJson);
      return send(res, 200, list);
    }
    const txMatch = /^\/transactions\/(\d+)$/.exec(path);
    if (txMatch && method === 'GET') {
      const tx = transactions.get(Number(txMatch[1]));
      if (!tx) return notFound(`There is no transaction with id '${txMatch[1]}'`);
      return send(res, 200, { transaction: transactionJson(tx), values: [] });
    }

    // operations --------------------------------------------------------------------------
    const opMatch = /^\/operations\/(\w+)$/.exec(path);
    if (opMatch && method === 'POST') {
      const params = (body ?? {}) as { chargeBoxIdList?: unknown; idTag?: unknown };
      const list = Array.isArray(params.chargeBoxIdList) ? params.chargeBoxIdList.map(String) : [];
      if (list.length !== 1) return badRequest('Error understanding the request');
      const chargeBoxId = list[0] ?? '';
      const behaviour = [...stations.entries()].find(
        ([id]) => id.toLowerCase() === chargeBoxId.toLowerCase(),
      )?.[1];
      if (!behaviour || behaviour.kind === 'offline') {
        return badRequest(
          'No stations are eligible for communication. Ensure that the chargeBox IDs are correct and the stations are online.',
        );
      }
      const action = opMatch[1];
      if (
        (action === 'RemoteStartTransaction' || action === 'ReserveNow') &&
        typeof params.idTag === 'string'
      ) {
        const tag = [...tags.values()].find(
          (t) => t.idTag.toLowerCase() === String(params.idTag).toLowerCase(),
        );
        const expired = tag?.expiryDate ? new Date(tag.expiryDate).getTime() <= Date.now() : false;
        if (!tag || tag.maxActiveTransactionCount === 0 || expired) {
          return badRequest(
            'Requested OCPP Tag is not eligible for this operation. Ensure that the OCPP Tag is registered and active.',
          );
        }
      }
      const table = options.reservations;
      let reservationPk: number | null = null;
      if (table && action === 'ReserveNow') {
        const p = body as { connectorId: number; idTag: string; expiry: string };
        reservationPk = await table.insertWaiting({
          chargeBoxId,
          connectorId: p.connectorId,
          idTag: p.idTag,
          expiry: new Date(p.expiry),
        });
      }
      if (table && action === 'CancelReservation') {
        const pk = Number((body as { reservationId: number }).reservationId);
        if (!(await table.isActiveAt(pk, chargeBoxId)))
          return badRequest('This reservation is not active at this station.');
        reservationPk = pk;
      }
      if (behaviour.kind === 'hang') return; // never answered; the socket is destroyed on close()
      if (table && reservationPk !== null && behaviour.kind !== 'noAnswer') {
        // No answer at all leaves the row WAITING, as SteVe does.
        const accepted = behaviour.kind === 'answer' && behaviour.response === 'Accepted';
        if (action === 'ReserveNow')
          await (accepted ? table.accept(reservationPk) : table.remove(reservationPk));
        if (action === 'CancelReservation' && accepted) await table.cancel(reservationPk);
      }
      const taskId = nextTaskId++;
      const envelope = {
        taskId,
        taskFinished: behaviour.kind !== 'noAnswer',
        successResponses:
          behaviour.kind === 'answer'
            ? [{ chargeBoxId, response: dataAnswer(action ?? '', behaviour.response, chargeBoxId, body) }]
            : [],
        errorResponses:
          behaviour.kind === 'callError'
            ? [
                {
                  chargeBoxId,
                  errorCode: behaviour.errorCode,
                  errorDescription: behaviour.description ?? '',
                  errorDetails: null,
                },
              ]
            : [],
        exceptions:
          behaviour.kind === 'exception' ? [{ chargeBoxId, exceptionMessage: behaviour.message }] : [],
      };
      return send(res, 200, envelope);
    }

    return notFound('No endpoint');
  }

  /** Object answers of GetConfiguration / GetCompositeSchedule; other actions answer the status string. */
  function dataAnswer(action: string, response: string, chargeBoxId: string, body: unknown): unknown {
    if (action === 'GetConfiguration') {
      return {
        configurationKeys: configuration.get(chargeBoxId) ?? [
          { key: 'HeartbeatInterval', value: '300', readonly: false },
          { key: 'NumberOfConnectors', value: '2', readonly: true },
        ],
        unknownKeys: [],
      };
    }
    if (action === 'GetCompositeSchedule') {
      const params = body as { connectorId?: number; durationInSeconds?: number };
      if (response !== 'Accepted') return { status: response };
      return {
        status: 'Accepted',
        connectorId: params.connectorId ?? 0,
        scheduleStart: new Date().toISOString(),
        chargingSchedule: {
          chargingRateUnit: 'A',
          duration: params.durationInSeconds ?? 0,
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }],
        },
      };
    }
    return response;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${contextPath}`,
    tags,
    transactions,
    stations,
    requests,
    configuration,
    respondNext: (answer) => void cannedAnswers.push(answer),
    addTag,
    specViolations,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      if (specViolations.length > 0)
        throw new Error(`requests not allowed by SteVe's spec:\n${specViolations.join('\n')}`);
    },
  };
}

function validTagForm(body: unknown):
  | {
      idTag: string;
      parentIdTag: string | null;
      expiryDate: string | null;
      maxActiveTransactionCount: number;
      note: string | null;
    }
  | string {
  if (typeof body !== 'object' || body === null) return 'Error understanding the request';
  const b = body as Record<string, unknown>;
  if (typeof b.idTag !== 'string' || !TAG_ID.test(b.idTag)) return 'Error understanding the request';
  let expiryDate: string | null = null;
  if (b.expiryDate != null) {
    const date = new Date(String(b.expiryDate));
    if (Number.isNaN(date.getTime()) || date.getTime() <= Date.now())
      return 'Error understanding the request';
    expiryDate = date.toISOString();
  }
  return {
    idTag: b.idTag,
    parentIdTag: typeof b.parentIdTag === 'string' ? b.parentIdTag : null,
    expiryDate,
    // SteVe defaults an omitted count to 1.
    maxActiveTransactionCount:
      typeof b.maxActiveTransactionCount === 'number' ? b.maxActiveTransactionCount : 1,
    note: typeof b.note === 'string' ? b.note : null,
  };
}

function transactionJson(t: FakeTransaction) {
  return { ...t, ocppTagPk: null, userId: null };
}

function apiError(status: number, error: string, message: string, path: string) {
  return { timestamp: new Date().toISOString(), status, error, message, path };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body));
}

function sendRaw(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
