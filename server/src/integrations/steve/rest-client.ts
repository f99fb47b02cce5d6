import { z } from 'zod';
import { sameSteveId } from './key.ts';
import { SteveError, type SteveErrorCode } from './errors.ts';
import type { OperationResult, SteveRefusalReason, SteveTag, StopEventActor } from './port.ts';
import { plural } from '../../../../shared/plural.ts';

/** Minimal structured logger; a pino logger fits. */
export interface SteveLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SteveTimeouts {
  /** Plain reads and tag writes. */
  readMs: number;
  /** OCPP operations: SteVe itself waits up to 30 s for the station, so allow more than that. */
  operationMs: number;
}

export const DEFAULT_TIMEOUTS: SteveTimeouts = { readMs: 10_000, operationMs: 35_000 };

export interface SteveRestClientOptions {
  /** SteVe root incl. context path (`http://host:8080/steve`) or the API root (`…/steve/api/v1`). */
  baseUrl: string;
  username: string;
  password: string;
  timeouts?: Partial<SteveTimeouts>;
  logger?: SteveLogger;
}

// ---------------------------------------------------------------------------------------------
// Wire schemas (steve-api-docs.json); SteVe serialises nulls, so optional fields are nullish.

const isoDate = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date-time: ${value}` });
    return z.NEVER;
  }
  return date;
});

/** Meter registers are integers sent as strings. */
const whString = z.string().transform((value, ctx) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${value}` });
    return z.NEVER;
  }
  return n;
});

export const OcppTagOverviewSchema = z.object({
  ocppTagPk: z.number().int(),
  idTag: z.string(),
  userPk: z.number().int().nullish(),
  parentIdTag: z.string().nullish(),
  parentOcppTagPk: z.number().int().nullish(),
  expiryDate: isoDate.nullish(),
  maxActiveTransactionCount: z.number().int(),
  activeTransactionCount: z.number().int().nullish(),
  inTransaction: z.boolean().nullish(),
  blocked: z.boolean().nullish(),
  note: z.string().nullish(),
});
export type OcppTagOverview = z.infer<typeof OcppTagOverviewSchema>;

export const TransactionSchema = z.object({
  id: z.number().int(),
  chargeBoxId: z.string(),
  chargeBoxPk: z.number().int(),
  connectorId: z.number().int(),
  ocppIdTag: z.string(),
  ocppTagPk: z.number().int().nullish(),
  userId: z.number().int().nullish(),
  startTimestamp: isoDate,
  startValue: whString,
  stopTimestamp: isoDate.nullish(),
  stopValue: whString.nullish(),
  stopReason: z.string().nullish(),
  stopEventActor: z.enum(['station', 'manual']).nullish(),
});
export type RestTransaction = z.infer<typeof TransactionSchema>;

export const MeterValuesSchema = z.object({
  valueTimestamp: isoDate.nullish(),
  value: z.string().nullish(),
  readingContext: z.string().nullish(),
  format: z.string().nullish(),
  measurand: z.string().nullish(),
  location: z.string().nullish(),
  unit: z.string().nullish(),
  phase: z.string().nullish(),
});

export const TransactionDetailsSchema = z.object({
  transaction: TransactionSchema,
  values: z.array(MeterValuesSchema).nullish(),
});

const OperationEnvelopeSchema = z.object({
  taskId: z.number().int(),
  taskFinished: z.boolean(),
  successResponses: z.array(z.object({ chargeBoxId: z.string(), response: z.string() })).nullish(),
  errorResponses: z
    .array(
      z.object({
        chargeBoxId: z.string(),
        errorCode: z.string().nullish(),
        errorDescription: z.string().nullish(),
        errorDetails: z.string().nullish(),
      }),
    )
    .nullish(),
  exceptions: z
    .array(z.object({ chargeBoxId: z.string(), exceptionMessage: z.string().nullish() }))
    .nullish(),
});
export type OperationEnvelope = z.infer<typeof OperationEnvelopeSchema>;

const ApiErrorSchema = z.object({
  status: z.number().int().nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
  path: z.string().nullish(),
});

// ---------------------------------------------------------------------------------------------

export interface OcppTagForm {
  idTag: string;
  parentIdTag?: string | null;
  expiryDate?: Date | null;
  maxActiveTransactionCount?: number;
  note?: string | null;
}

export interface TransactionQuery {
  transactionPk?: number[];
  chargeBoxId?: string[];
  connectorId?: number;
  ocppIdTag?: string[];
  type?: 'ALL' | 'ACTIVE' | 'STOPPED';
}

export type OcppAction =
  'RemoteStartTransaction' | 'RemoteStopTransaction' | 'ReserveNow' | 'CancelReservation';

type Query = Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined>;

interface RawResponse {
  status: number;
  text: string;
}

/** Thin typed client for SteVe's `/api/v1`: HTTP Basic, deadlines, zod-validated answers. */
export class SteveRestClient {
  readonly apiRoot: string;
  readonly timeouts: SteveTimeouts;
  readonly #authorization: string;
  readonly #logger: SteveLogger | undefined;

  constructor(options: SteveRestClientOptions) {
    const root = options.baseUrl.replace(/\/+$/, '');
    this.apiRoot = /\/api\/v1$/.test(root) ? root : `${root}/api/v1`;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
    this.#logger = options.logger;
  }

  // ocppTags ----------------------------------------------------------------------------------

  async listOcppTags(filter: { idTag?: string; ocppTagPk?: number } = {}): Promise<OcppTagOverview[]> {
    const res = await this.#request('GET', '/ocppTags', { query: filter });
    return this.#parse(res, z.array(OcppTagOverviewSchema), 'GET /ocppTags');
  }

  async getOcppTag(pk: number): Promise<OcppTagOverview> {
    const res = await this.#request('GET', `/ocppTags/${pk}`);
    return this.#parse(res, OcppTagOverviewSchema, 'GET /ocppTags/{pk}');
  }

  /**
   * Exact idTag lookup by SteVe's identity rule (`steveKey`); throws NOT_FOUND when SteVe has no
   * such tag, and BAD_RESPONSE when its reply holds only other tags (never another tag instead).
   */
  async findOcppTag(idTag: string): Promise<OcppTagOverview> {
    const tags = await this.listOcppTags({ idTag });
    const tag = tags.find((t) => sameSteveId(t.idTag, idTag));
    if (tag) return tag;
    if (tags.length === 0)
      throw new SteveError('NOT_FOUND', `OCPP tag '${idTag}' does not exist in SteVe`, { source: 'rest' });
    throw new SteveError(
      'BAD_RESPONSE',
      `GET /ocppTags?idTag=${idTag} answered ${plural(tags.length, 'other tag')} but not '${idTag}'; nothing was changed`,
      { source: 'rest' },
    );
  }

  async createOcppTag(form: OcppTagForm): Promise<OcppTagOverview> {
    const res = await this.#request('POST', '/ocppTags', { body: formBody(form) });
    return this.#parse(res, OcppTagOverviewSchema, 'POST /ocppTags');
  }

  /** Full replace: omitted fields are reset by SteVe (max count → 1, expiry/note → null). */
  async replaceOcppTag(pk: number, form: OcppTagForm): Promise<OcppTagOverview> {
    const res = await this.#request('PUT', `/ocppTags/${pk}`, { body: formBody(form) });
    return this.#parse(res, OcppTagOverviewSchema, 'PUT /ocppTags/{pk}');
  }

  async expireOcppTag(pk: number): Promise<OcppTagOverview> {
    const res = await this.#request('PATCH', `/ocppTags/${pk}/expire`);
    return this.#parse(res, OcppTagOverviewSchema, 'PATCH /ocppTags/{pk}/expire');
  }

  // transactions ------------------------------------------------------------------------------

  async listTransactions(query: TransactionQuery = {}): Promise<RestTransaction[]> {
    const res = await this.#request('GET', '/transactions', { query: { ...query } });
    return this.#parse(res, z.array(TransactionSchema), 'GET /transactions');
  }

  async getTransactionDetails(
    pk: number,
    energyValuesOnly = true,
  ): Promise<z.infer<typeof TransactionDetailsSchema>> {
    const res = await this.#request('GET', `/transactions/${pk}`, { query: { energyValuesOnly } });
    return this.#parse(res, TransactionDetailsSchema, 'GET /transactions/{pk}');
  }

  // operations --------------------------------------------------------------------------------

  remoteStart(chargeBoxId: string, idTag: string, connectorId?: number): Promise<OperationResult> {
    const body: Record<string, unknown> = { chargeBoxIdList: [chargeBoxId], idTag };
    if (connectorId !== undefined && connectorId > 0) body.connectorId = connectorId;
    return this.operation('RemoteStartTransaction', chargeBoxId, body);
  }

  remoteStop(chargeBoxId: string, transactionId: number): Promise<OperationResult> {
    return this.operation('RemoteStopTransaction', chargeBoxId, {
      chargeBoxIdList: [chargeBoxId],
      transactionId,
    });
  }

  reserveNow(
    chargeBoxId: string,
    connectorId: number,
    idTag: string,
    expiry: Date,
  ): Promise<OperationResult> {
    return this.operation('ReserveNow', chargeBoxId, {
      chargeBoxIdList: [chargeBoxId],
      connectorId,
      idTag,
      expiry: expiry.toISOString(),
    });
  }

  cancelReservation(chargeBoxId: string, reservationId: number): Promise<OperationResult> {
    return this.operation('CancelReservation', chargeBoxId, {
      chargeBoxIdList: [chargeBoxId],
      reservationId,
    });
  }

  /** Sends a single-station operation and maps SteVe's answer onto an OperationResult. */
  async operation(
    action: OcppAction,
    chargeBoxId: string,
    body: Record<string, unknown>,
  ): Promise<OperationResult> {
    let res: RawResponse;
    try {
      res = await this.#request('POST', `/operations/${action}`, {
        body,
        timeoutMs: this.timeouts.operationMs,
        raw400: true,
      });
    } catch (error) {
      // The command may have reached the station: same "outcome unknown" as SteVe's own timeout.
      if (error instanceof SteveError && error.code === 'TIMEOUT') {
        return { kind: 'NO_ANSWER', detail: `SteVe did not answer within ${this.timeouts.operationMs} ms` };
      }
      throw error;
    }
    if (res.status === 400) return mapOperationBadRequest(apiErrorMessage(res.text));
    const envelope = this.#parse(res, OperationEnvelopeSchema, `POST /operations/${action}`);
    return mapOperationEnvelope(envelope, chargeBoxId);
  }

  // plumbing ----------------------------------------------------------------------------------

  async #request(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; timeoutMs?: number; raw400?: boolean } = {},
  ): Promise<RawResponse> {
    const url = new URL(this.apiRoot + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    const timeoutMs = options.timeoutMs ?? this.timeouts.readMs;
    const headers: Record<string, string> = {
      authorization: this.#authorization,
      accept: 'application/json',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      this.#logger?.warn({ method, path, timedOut, err: describe(error) }, 'SteVe REST request failed');
      if (timedOut) {
        throw new SteveError('TIMEOUT', `SteVe did not answer ${method} ${path} within ${timeoutMs} ms`, {
          source: 'rest',
          cause: error,
        });
      }
      throw new SteveError(
        'UNREACHABLE',
        `SteVe REST API unreachable at ${this.apiRoot}: ${describe(error)}`,
        {
          source: 'rest',
          cause: error,
        },
      );
    }
    this.#logger?.debug({ method, path, status: response.status, ms: Date.now() - started }, 'SteVe REST');
    if (response.ok || (response.status === 400 && options.raw400)) return { status: response.status, text };
    throw httpError(method, path, response.status, text);
  }

  #parse<S extends z.ZodType>(res: RawResponse, schema: S, what: string): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw new SteveError(
        'BAD_RESPONSE',
        `SteVe answered ${what} with malformed JSON: ${snippet(res.text)}`,
        {
          source: 'rest',
          status: res.status,
        },
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
      throw new SteveError('BAD_RESPONSE', `SteVe answered ${what} with an unexpected shape (${where})`, {
        source: 'rest',
        status: res.status,
      });
    }
    return parsed.data;
  }
}

// ---------------------------------------------------------------------------------------------
// Mapping helpers (exported for tests and the adapters)

/**
 * The OcppTagForm body. SteVe's spec types `parentIdTag`, `expiryDate` and `note` as strings, so
 * an absent value is omitted (SteVe then stores null), never sent as `null`.
 */
function formBody(form: OcppTagForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    idTag: form.idTag,
    maxActiveTransactionCount: form.maxActiveTransactionCount ?? 1,
  };
  if (form.parentIdTag != null) body.parentIdTag = form.parentIdTag;
  if (form.expiryDate != null) body.expiryDate = form.expiryDate.toISOString();
  if (form.note != null) body.note = form.note;
  return body;
}

export function mapOperationEnvelope(envelope: OperationEnvelope, chargeBoxId: string): OperationResult {
  const same = (id: string) => sameSteveId(id, chargeBoxId);
  const taskId = envelope.taskId;
  const success = envelope.successResponses?.find((r) => same(r.chargeBoxId));
  if (success) {
    return success.response === 'Accepted'
      ? { kind: 'ACCEPTED', taskId, status: success.response }
      : {
          kind: 'REJECTED',
          taskId,
          status: success.response,
          detail: `Station answered ${success.response}`,
        };
  }
  const callError = envelope.errorResponses?.find((r) => same(r.chargeBoxId));
  if (callError) {
    const detail = [callError.errorDescription, callError.errorDetails].filter(Boolean).join(' — ');
    return {
      kind: 'CALL_ERROR',
      taskId,
      errorCode: callError.errorCode ?? 'GenericError',
      detail: detail || undefined,
    };
  }
  const exception = envelope.exceptions?.find((r) => same(r.chargeBoxId));
  if (exception) return { kind: 'EXCEPTION', taskId, detail: exception.exceptionMessage ?? undefined };
  if (!envelope.taskFinished) {
    return { kind: 'NO_ANSWER', taskId, detail: 'Station did not answer within SteVe’s 30 s wait' };
  }
  throw new SteveError(
    'BAD_RESPONSE',
    `SteVe reported task ${taskId} finished without any outcome for ${chargeBoxId}`,
    {
      source: 'rest',
      status: 200,
    },
  );
}

export function mapOperationBadRequest(message: string): OperationResult {
  if (/no stations are eligible/i.test(message)) return { kind: 'OFFLINE', detail: message };
  let reason: SteveRefusalReason = 'INVALID_REQUEST';
  if (/ocpp tag is not eligible|tag .*not eligible/i.test(message)) reason = 'TAG_NOT_ELIGIBLE';
  else if (/transaction is not active/i.test(message)) reason = 'TRANSACTION_NOT_ACTIVE';
  else if (/reservation is not active/i.test(message)) reason = 'RESERVATION_NOT_ACTIVE';
  return { kind: 'STEVE_REFUSED', reason, detail: message };
}

function httpError(method: string, path: string, status: number, text: string): SteveError {
  const message = apiErrorMessage(text);
  const code: SteveErrorCode =
    status === 401 || status === 403
      ? 'AUTH'
      : status === 404
        ? 'NOT_FOUND'
        : status === 409 || status === 422
          ? 'CONFLICT'
          : status === 400
            ? 'BAD_REQUEST'
            : status === 502 || status === 503 || status === 504
              ? 'UNREACHABLE'
              : status >= 500
                ? 'SERVER_ERROR'
                : 'BAD_RESPONSE';
  const hint =
    code === 'AUTH' ? ' (check STEVE_API_USER / STEVE_API_PASSWORD and web_user.api_password)' : '';
  return new SteveError(code, `SteVe ${method} ${path} → ${status}: ${message || '(no message)'}${hint}`, {
    source: 'rest',
    status,
  });
}

function apiErrorMessage(text: string): string {
  try {
    const parsed = ApiErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.message ?? parsed.data.error ?? '';
  } catch {
    // not JSON: fall through to the raw text
  }
  return snippet(text);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const causeText =
    cause instanceof Error ? `${(cause as { code?: string }).code ?? ''} ${cause.message}`.trim() : '';
  return causeText ? `${error.message} (${causeText})` : error.message;
}

export function tagFromRest(tag: OcppTagOverview): SteveTag {
  return {
    pk: tag.ocppTagPk,
    idTag: tag.idTag,
    parentIdTag: tag.parentIdTag ?? null,
    expiryDate: tag.expiryDate ?? null,
    maxActiveTransactionCount: tag.maxActiveTransactionCount,
    activeTransactionCount: tag.activeTransactionCount ?? 0,
    blocked: tag.blocked ?? tag.maxActiveTransactionCount === 0,
    note: tag.note ?? null,
    userPk: tag.userPk ?? null,
    createdAt: null,
    updatedAt: null,
  };
}

export function stopActorOf(value: string | null | undefined): StopEventActor | null {
  return value === 'station' || value === 'manual' ? value : null;
}
