/**
 * Who may call every root field of the API. `authorization-matrix.test.ts` runs each document below
 * as every persona and fails when the outcome differs from `allowed`, or when the schema has a root
 * field this table does not list. Adding a Query/Mutation/Subscription field? Add it here.
 *
 * - allowed: the personas for whom the field must NOT be refused (FORBIDDEN / 401 / 403). Other
 *   outcomes (typed error results, not-found) still count as allowed: this table is about access.
 * - Documents that reference `$driverId` etc. read the *driver's* data, so `otherDriver` proves a
 *   driver never reaches another driver's data by that path.
 * - `impersonator` (an admin acting as the driver) sees what the driver sees and can never run a
 *   mutation: the test refuses a table that lists it for one.
 * - `driverKey` / `driverReadKey` are API keys the driver owns (READ + CHARGING / READ only): they read
 *   what the driver reads; `driverKey` runs startCharging/stopCharging and nothing else, and
 *   `driverReadKey` no mutation at all (the test refuses a table that says otherwise).
 */

export const PERSONAS = [
  'anonymous',
  'driver',
  'otherDriver',
  'admin',
  'impersonator',
  'readOnlyKey',
  'operatorKey',
  'driverKey',
  'driverReadKey',
] as const;
export type Persona = (typeof PERSONAS)[number];

/** Ids the documents can use (global ids unless named raw). Each persona run gets a fresh `unique`. */
export interface Fixtures {
  driverId: string;
  otherDriverId: string;
  adminId: string;
  /** A driver the mutations may change (status, password) without disturbing the personas. */
  spareDriverId: string;
  /** A key the revoke mutation may revoke without disturbing the personas. */
  spareApiKeyId: string;
  /** A global id of a type that exists but of no existing row. */
  missingChargerId: string;
  unique: string;
}

export interface FieldCase {
  allowed: readonly Persona[];
  document: string;
  variables?: (f: Fixtures, persona: Persona) => Record<string, unknown>;
}

export interface Matrix {
  Query: Record<string, FieldCase>;
  Mutation: Record<string, FieldCase>;
  Subscription: Record<string, FieldCase>;
}

const EVERYONE = PERSONAS;
const MISSING_WEBHOOK_ENDPOINT = Buffer.from('WebhookEndpoint:no-such-endpoint').toString('base64');
/** A driver's own keys: the driver's reads. */
const DRIVER_KEYS = ['driverKey', 'driverReadKey'] as const;
const SIGNED_IN = [
  'driver',
  'otherDriver',
  'admin',
  'impersonator',
  'readOnlyKey',
  'operatorKey',
  ...DRIVER_KEYS,
] as const;
const PEOPLE = ['driver', 'otherDriver', 'admin', 'impersonator', ...DRIVER_KEYS] as const;
/** Operators and every API key: read access to operator data. */
const OPERATOR_READERS = ['admin', 'readOnlyKey', 'operatorKey'] as const;
/** Operators and operator keys: operator actions open to keys. */
const OPERATOR_WRITERS = ['admin', 'operatorKey'] as const;
const ADMIN_ONLY = ['admin'] as const;
/** The driver, whoever acts as them, operators and keys — never another driver. */
const DRIVER_DATA = [
  'driver',
  'admin',
  'impersonator',
  'readOnlyKey',
  'operatorKey',
  ...DRIVER_KEYS,
] as const;
/** A driver's own dashboard (also while an operator acts as them, or through their key): their data only. */
const DRIVERS = ['driver', 'otherDriver', 'impersonator', ...DRIVER_KEYS] as const;
/** Driver actions: drivers themselves with a session, never an impersonating operator or a key. */
const DRIVER_ACTIONS = ['driver', 'otherDriver'] as const;
/** Start and stop: drivers, and a driver's own key with the charging scope — never an operator's key. */
const CHARGING_ACTIONS = ['driver', 'otherDriver', 'driverKey'] as const;
/** A driver's own key list (also read-only while an operator acts as them). */
const DRIVER_SESSIONS = ['driver', 'otherDriver', 'impersonator'] as const;

export const MATRIX: Matrix = {
  Query: {
    activeSession: { allowed: DRIVERS, document: '{ activeSession { id energyKwh charger { name } } }' },
    sessions: { allowed: DRIVERS, document: '{ sessions(first: 5) { edges { node { id energyKwh } } } }' },
    activeReservation: { allowed: DRIVERS, document: '{ activeReservation { id expiresAt } }' },
    tariff: { allowed: DRIVERS, document: '{ tariff { currency model tiers { unitPrice } } }' },
    usage: {
      allowed: DRIVERS,
      document: '{ usage { weekKwh monthKwh billingPeriod { kwh } billingAvailability } }',
    },
    serverInfo: { allowed: EVERYONE, document: '{ serverInfo { version demo } }' },
    viewer: { allowed: EVERYONE, document: '{ viewer { id email role status impersonatedBy { email } } }' },
    node: {
      allowed: DRIVER_DATA,
      document: 'query ($driverId: ID!) { node(id: $driverId) { id ... on User { email status } } }',
      variables: (f) => ({ driverId: f.driverId }),
    },
    nodes: {
      allowed: DRIVER_DATA,
      document: 'query ($driverId: ID!) { nodes(ids: [$driverId]) { id ... on User { email } } }',
      variables: (f) => ({ driverId: f.driverId }),
    },
    drivers: {
      allowed: OPERATOR_READERS,
      document: '{ drivers(first: 5) { edges { node { id email status } } } }',
    },
    apiKeys: { allowed: ADMIN_ONLY, document: '{ apiKeys { id name role revoked } }' },
    myApiKeys: { allowed: DRIVER_SESSIONS, document: '{ myApiKeys { id name scopes driverOwned } }' },
    chargers: { allowed: SIGNED_IN, document: '{ chargers(first: 1) { __typename } }' },
    charger: {
      allowed: SIGNED_IN,
      document: 'query ($id: ID!) { charger(id: $id) { id } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    chargerConfiguration: {
      allowed: OPERATOR_WRITERS,
      document: 'query ($id: ID!) { chargerConfiguration(chargerId: $id) { status } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    compositeSchedule: {
      allowed: OPERATOR_WRITERS,
      document: 'query ($id: ID!) { compositeSchedule(chargerId: $id) { status } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    chargingProfiles: { allowed: OPERATOR_WRITERS, document: '{ chargingProfiles { profileId } }' },
    syncRuns: {
      allowed: ['admin', 'readOnlyKey', 'operatorKey'],
      document: '{ syncRuns(first: 1) { __typename } }',
    },
    syncSchedule: {
      allowed: ['admin', 'readOnlyKey', 'operatorKey'],
      document: '{ syncSchedule { __typename } }',
    },
    changeCapture: {
      allowed: ['admin', 'readOnlyKey', 'operatorKey'],
      document: '{ changeCapture { __typename status streaming problem lagMs position } }',
    },
    billingHealth: {
      allowed: ['admin', 'readOnlyKey', 'operatorKey'],
      document: '{ billingHealth { __typename } }',
    },
    lagoCustomers: { allowed: OPERATOR_WRITERS, document: '{ lagoCustomers(perPage: 1) { __typename } }' },
    evCards: { allowed: OPERATOR_READERS, document: '{ evCards(first: 1) { edges { node { publicId } } } }' },
    evCard: { allowed: OPERATOR_READERS, document: '{ evCard(publicId: "EV-NOPE00") { publicId } }' },
    alerts: { allowed: OPERATOR_READERS, document: '{ alerts(first: 1) { edges { node { message } } } }' },
    unreadAlertCount: { allowed: OPERATOR_READERS, document: '{ unreadAlertCount }' },
    webhookEndpoints: {
      allowed: OPERATOR_READERS,
      document: '{ webhookEndpoints(first: 1) { totalCount nodes { url status } } }',
    },
    webhookEventTypes: { allowed: EVERYONE, document: '{ webhookEventTypes { name } }' },
    auditEvents: {
      allowed: OPERATOR_READERS,
      document: '{ auditEvents(first: 1) { edges { node { action } } } }',
    },
    operatorSessions: {
      allowed: OPERATOR_READERS,
      document: '{ operatorSessions(first: 1) { edges { node { id } } } }',
    },
    adminDashboard: {
      allowed: OPERATOR_READERS,
      document: '{ adminDashboard { welcome chargersOnline chargersTotal unreadAlerts } }',
    },
    operatorHealth: { allowed: OPERATOR_READERS, document: '{ operatorHealth { checkedAt } }' },
    lagoSandboxStatus: { allowed: ADMIN_ONLY, document: '{ lagoSandboxStatus { down pendingEvents } }' },
    insightsEnergy: { allowed: OPERATOR_READERS, document: '{ insightsEnergy(bucket: DAY) { bucket kwh } }' },
    insightsSessionsByHour: {
      allowed: OPERATOR_READERS,
      document: '{ insightsSessionsByHour(days: 30) { hour sessions } }',
    },
    insightsUtilisation: {
      allowed: OPERATOR_READERS,
      document: '{ insightsUtilisation(days: 7) { chargeBoxId share rank } }',
    },
    insightsSyncRuns: { allowed: OPERATOR_READERS, document: '{ insightsSyncRuns { bucket runs } }' },
    insightsBilling: { allowed: OPERATOR_READERS, document: '{ insightsBilling { day sent } }' },
    insightsEnergyBySite: {
      allowed: OPERATOR_READERS,
      document: '{ insightsEnergyBySite(bucket: DAY) { __typename } }',
    },
    insightsUptime: {
      allowed: OPERATOR_READERS,
      document: '{ insightsUptime(days: 7) { chargeBoxId knownMinutes } }',
    },
  },
  Mutation: {
    // Charger operations (modules/commands): operators and operator keys, never an impersonator.
    resetCharger: {
      allowed: OPERATOR_WRITERS,
      document: 'mutation ($id: ID!) { resetCharger(chargerId: $id, type: SOFT) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    unlockConnector: {
      allowed: OPERATOR_WRITERS,
      document: 'mutation ($id: ID!) { unlockConnector(chargerId: $id, connectorNumber: 1) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    changeAvailability: {
      allowed: OPERATOR_WRITERS,
      document: 'mutation ($id: ID!) { changeAvailability(chargerId: $id, available: false) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    triggerMessage: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { triggerMessage(chargerId: $id, message: STATUS_NOTIFICATION) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    changeConfiguration: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { changeConfiguration(chargerId: $id, key: "HeartbeatInterval", value: "60") { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    setChargingProfile: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { setChargingProfile(chargerId: $id, chargingProfileId: 1) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    clearChargingProfile: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { clearChargingProfile(chargerId: $id, chargingProfileId: 1) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    startCharging: {
      allowed: CHARGING_ACTIONS,
      document: 'mutation ($id: ID!) { startCharging(chargerId: $id) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    stopCharging: {
      allowed: CHARGING_ACTIONS,
      document: 'mutation ($id: ID!) { stopCharging(sessionId: $id) { __typename } }',
      variables: () => ({ id: 'Q2hhcmdpbmdTZXNzaW9uOm5vLXN1Y2gtc2Vzc2lvbg==' }),
    },
    reserveCharger: {
      allowed: DRIVER_ACTIONS,
      document: 'mutation ($id: ID!) { reserveCharger(chargerId: $id) { __typename } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    cancelReservation: {
      allowed: DRIVER_ACTIONS,
      document: 'mutation { cancelReservation(id: "00000000-0000-7000-8000-000000000000") { __typename } }',
    },
    createDriver: {
      allowed: ADMIN_ONLY,
      document:
        'mutation ($input: CreateDriverInput!) { createDriver(input: $input) { __typename ... on MutationCreateDriverSuccess { data { id } } } }',
      variables: (f) => ({
        input: { email: `${f.unique}@matrix.test`, name: 'Matrix', password: 'matrix-password' },
      }),
    },
    setDriverStatus: {
      allowed: ADMIN_ONLY,
      document:
        'mutation ($id: ID!) { setDriverStatus(id: $id, status: INACTIVE) { __typename ... on MutationSetDriverStatusSuccess { data { status } } } }',
      variables: (f) => ({ id: f.spareDriverId }),
    },
    resetDriverPassword: {
      allowed: ADMIN_ONLY,
      document:
        'mutation ($id: ID!) { resetDriverPassword(id: $id, password: "matrix-password-2") { __typename } }',
      variables: (f) => ({ id: f.spareDriverId }),
    },
    createApiKey: {
      allowed: ADMIN_ONLY,
      document:
        'mutation ($name: String!) { createApiKey(name: $name, role: READ_ONLY) { __typename ... on MutationCreateApiKeySuccess { data { secret } } } }',
      variables: (f) => ({ name: f.unique }),
    },
    revokeApiKey: {
      allowed: ADMIN_ONLY,
      document: 'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }',
      variables: (f) => ({ id: f.spareApiKeyId }),
    },
    createMyApiKey: {
      allowed: DRIVER_ACTIONS,
      document:
        'mutation ($name: String!) { createMyApiKey(name: $name, scopes: [CHARGING]) { __typename ... on MutationCreateMyApiKeySuccess { data { secret } } } }',
      variables: (f) => ({ name: f.unique }),
    },
    // Someone else's key (the spare operator key) is a typed not-found for a driver: allowed, unchanged.
    revokeMyApiKey: {
      allowed: DRIVER_ACTIONS,
      document: 'mutation ($id: ID!) { revokeMyApiKey(id: $id) { __typename ... on Error { message } } }',
      variables: (f) => ({ id: f.spareApiKeyId }),
    },
    triggerSync: { allowed: OPERATOR_WRITERS, document: 'mutation { triggerSync { __typename } }' },
    retryFailedBillingEvents: { allowed: ADMIN_ONLY, document: 'mutation { retryFailedBillingEvents }' },
    // down: false, so the matrix run never leaves the shared sandbox cut off.
    setLagoSandboxFault: {
      allowed: ADMIN_ONLY,
      document: 'mutation { setLagoSandboxFault(down: false) { __typename } }',
    },
    createLagoCustomer: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($input: CreateLagoCustomerInput!) { createLagoCustomer(input: $input) { __typename } }',
      variables: (f) => ({ input: { name: `Matrix ${f.unique}` } }),
    },
    mapCardToCustomer: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation { mapCardToCustomer(cardId: "no-such-card", customerExternalId: "no-such-customer") { __typename } }',
    },
    createCard: {
      allowed: ADMIN_ONLY,
      document: 'mutation ($tag: String!) { createCard(idTag: $tag) { __typename } }',
      variables: (f) => ({ tag: `M${f.unique}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 20) }),
    },
    activateCard: {
      allowed: ADMIN_ONLY,
      document: 'mutation { activateCard(publicId: "EV-NOPE00") { __typename } }',
    },
    disableCard: {
      allowed: ADMIN_ONLY,
      document: 'mutation { disableCard(publicId: "EV-NOPE00") { __typename } }',
    },
    setPrimaryCard: {
      allowed: ADMIN_ONLY,
      document: 'mutation { setPrimaryCard(publicId: "EV-NOPE00") { __typename } }',
    },
    assignCard: {
      allowed: ADMIN_ONLY,
      document: 'mutation ($id: ID!) { assignCard(publicId: "EV-NOPE00", driverId: $id) { __typename } }',
      variables: (f) => ({ id: f.spareDriverId }),
    },
    updateChargerDetails: {
      allowed: ADMIN_ONLY,
      document:
        'mutation ($id: ID!) { updateChargerDetails(chargerId: $id, input: { siteName: "Matrix" }) { id } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    markAlertRead: {
      allowed: ADMIN_ONLY,
      document: 'mutation ($id: ID!) { markAlertRead(id: $id) { id } }',
      variables: (f) => ({ id: f.missingChargerId }),
    },
    // Webhooks: an unresolvable URL and ids of no endpoint are typed errors (allowed), not refusals.
    createWebhookEndpoint: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation { createWebhookEndpoint(url: "https://hooks.invalid/x") { __typename ... on Error { message } } }',
    },
    updateWebhookEndpoint: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { updateWebhookEndpoint(id: $id, description: "x") { __typename ... on Error { message } } }',
      variables: () => ({ id: MISSING_WEBHOOK_ENDPOINT }),
    },
    rotateWebhookSecret: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { rotateWebhookSecret(id: $id) { __typename ... on Error { message } } }',
      variables: () => ({ id: MISSING_WEBHOOK_ENDPOINT }),
    },
    pauseWebhookEndpoint: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { pauseWebhookEndpoint(id: $id) { __typename ... on Error { message } } }',
      variables: () => ({ id: MISSING_WEBHOOK_ENDPOINT }),
    },
    resumeWebhookEndpoint: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { resumeWebhookEndpoint(id: $id) { __typename ... on Error { message } } }',
      variables: () => ({ id: MISSING_WEBHOOK_ENDPOINT }),
    },
    deleteWebhookEndpoint: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename ... on Error { message } } }',
      variables: () => ({ id: MISSING_WEBHOOK_ENDPOINT }),
    },
    resendWebhookDelivery: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { resendWebhookDelivery(id: $id) { __typename ... on Error { message } } }',
      variables: () => ({ id: Buffer.from('WebhookDelivery:no-such-delivery').toString('base64') }),
    },
    replayWebhookEvents: {
      allowed: OPERATOR_WRITERS,
      document:
        'mutation ($id: ID!) { replayWebhookEvents(endpointId: $id, fromEvent: "1") { __typename ... on Error { message } } }',
      variables: () => ({ id: MISSING_WEBHOOK_ENDPOINT }),
    },
  },
  Subscription: {
    activeSession: { allowed: DRIVERS, document: 'subscription { activeSession { id energyKwh } }' },
    startRequestUpdated: {
      allowed: DRIVERS,
      document: 'subscription ($id: ID!) { startRequestUpdated(id: $id) { id outcome } }',
      variables: () => ({ id: 'U3RhcnRSZXF1ZXN0Om5vLXN1Y2gtcmVxdWVzdA==' }),
    },
    driverNotifications: {
      allowed: DRIVERS,
      document: 'subscription { driverNotifications { id kind message } }',
    },
    viewerChanged: { allowed: PEOPLE, document: 'subscription { viewerChanged { id status } }' },
    chargerStateChanged: { allowed: SIGNED_IN, document: 'subscription { chargerStateChanged { id } }' },
    chargerCommandUpdated: {
      allowed: OPERATOR_WRITERS,
      document: 'subscription ($id: ID!) { chargerCommandUpdated(id: $id) { id status } }',
      variables: () => ({ id: 'Q2hhcmdlckNvbW1hbmQ6bm8tc3VjaC1jb21tYW5k' }),
    },
    syncRunProgress: { allowed: OPERATOR_READERS, document: 'subscription { syncRunProgress { id } }' },
    liveSessions: { allowed: OPERATOR_READERS, document: 'subscription { liveSessions { id } }' },
    unreadAlertCount: { allowed: ADMIN_ONLY, document: 'subscription { unreadAlertCount }' },
  },
};
