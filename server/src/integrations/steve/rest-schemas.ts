import { z } from 'zod';

/**
 * SteVe's REST wire formats (steve-api-docs.json) as zod schemas, and the request forms the client
 * sends; used by rest-client.ts.
 */

// Wire schemas (steve-api-docs.json); SteVe serialises nulls, so optional fields are nullish.

export const isoDate = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date-time: ${value}` });
    return z.NEVER;
  }
  return date;
});

/** Meter registers are integers sent as strings. */
export const whString = z.string().transform((value, ctx) => {
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

export const OperationEnvelopeSchema = z.object({
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

/** The envelope of operations whose success answer is an object; parsed further per operation. */
export const DataEnvelopeSchema = OperationEnvelopeSchema.extend({
  successResponses: z.array(z.object({ chargeBoxId: z.string(), response: z.unknown() })).nullish(),
});

export const ApiErrorSchema = z.object({
  status: z.number().int().nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
  path: z.string().nullish(),
});

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
  | 'RemoteStartTransaction'
  | 'RemoteStopTransaction'
  | 'ReserveNow'
  | 'CancelReservation'
  | 'Reset'
  | 'UnlockConnector'
  | 'ChangeAvailability'
  | 'TriggerMessage'
  | 'GetConfiguration'
  | 'ChangeConfiguration'
  | 'SetChargingProfile'
  | 'ClearChargingProfile'
  | 'GetCompositeSchedule';

/**
 * Keys SteVe's ChangeConfiguration accepts as `PREDEFINED` (its `ConfigurationKeyEnum_Write_Keys`);
 * any other key is sent as `CUSTOM` with `customConfKey`.
 */
export const PREDEFINED_WRITE_KEYS: ReadonlySet<string> = new Set([
  'AllowOfflineTxForUnknownId',
  'AuthorizationCacheEnabled',
  'AuthorizationKey',
  'AuthorizeRemoteTxRequests',
  'BlinkRepeat',
  'ChargePointId',
  'ClockAlignedDataInterval',
  'ConnectionTimeOut',
  'ConnectorPhaseRotation',
  'CpoName',
  'HeartBeatInterval',
  'HeartbeatInterval',
  'LightIntensity',
  'LocalAuthListEnabled',
  'LocalAuthorizeOffline',
  'LocalPreAuthorize',
  'MaxEnergyOnInvalidId',
  'MeterValueSampleInterval',
  'MeterValuesAlignedData',
  'MeterValuesSampledData',
  'MeterValuesSignatureContexts',
  'MinimumStatusDuration',
  'ProximityContactRetries',
  'ProximityLockRetries',
  'ResetRetries',
  'SecurityProfile',
  'StopTransactionOnEVSideDisconnect',
  'StopTransactionOnInvalidId',
  'StopTransactionSignatureContexts',
  'StopTransactionSignatureFormat',
  'StopTxnAlignedData',
  'StopTxnSampledData',
  'TransactionMessageAttempts',
  'TransactionMessageRetryInterval',
  'UnlockConnectorOnEVSideDisconnect',
  'WebSocketPingInterval',
]);

export const ConfigurationKeyValuesSchema = z.object({
  configurationKeys: z
    .array(z.object({ key: z.string(), readonly: z.boolean().nullish(), value: z.string().nullish() }))
    .nullish(),
  unknownKeys: z.array(z.string()).nullish(),
});

export const SchedulePeriodSchema = z.object({
  startPeriod: z.number().int(),
  limit: z.number(),
  numberPhases: z.number().int().nullish(),
});

export const CompositeScheduleSchema = z.object({
  status: z.string(),
  connectorId: z.number().int().nullish(),
  scheduleStart: isoDate.nullish(),
  chargingSchedule: z
    .object({
      chargingRateUnit: z.string(),
      duration: z.number().int().nullish(),
      chargingSchedulePeriod: z.array(SchedulePeriodSchema),
    })
    .nullish(),
});
