-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('admin', 'customer');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateEnum
CREATE TYPE "ChargerState" AS ENUM ('ONLINE', 'IN_USE', 'RESERVED', 'OFFLINE');

-- CreateEnum
CREATE TYPE "EvCardStatus" AS ENUM ('PENDING', 'ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "EvCardOrigin" AS ENUM ('POLARIS', 'STEVE');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('ACTIVE', 'COMPLETED');

-- CreateEnum
CREATE TYPE "StartRequestOutcome" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED', 'TIMED_OUT', 'NOT_STARTED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('WAITING', 'ACCEPTED', 'COMPLETED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "SyncTrigger" AS ENUM ('SCHEDULED', 'MANUAL', 'START_REQUEST', 'STARTUP');

-- CreateEnum
CREATE TYPE "CadenceTier" AS ENUM ('LIVE', 'ACTIVE', 'IDLE', 'BACKOFF');

-- CreateEnum
CREATE TYPE "SyncRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "SyncSegmentKind" AS ENUM ('CHARGERS', 'CONNECTOR_STATUS', 'TAGS', 'TRANSACTIONS', 'METER_VALUES', 'RESERVATIONS');

-- CreateEnum
CREATE TYPE "SyncSegmentStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "AlertSeverity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');

-- CreateEnum
CREATE TYPE "BillingEventStatus" AS ENUM ('PENDING', 'WAITING_FOR_CUSTOMER', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" "UserRole" NOT NULL DEFAULT 'customer',
    "status" "AccountStatus" NOT NULL DEFAULT 'ACTIVE',
    "banned" BOOLEAN DEFAULT false,
    "banReason" TEXT,
    "banExpires" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "impersonatedBy" TEXT,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "idToken" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "refreshTokenExpiresAt" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "lastRequest" BIGINT NOT NULL,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Apikey" (
    "id" TEXT NOT NULL,
    "configId" TEXT NOT NULL DEFAULT 'default',
    "name" TEXT,
    "start" TEXT,
    "referenceId" TEXT NOT NULL,
    "prefix" TEXT,
    "key" TEXT NOT NULL,
    "refillInterval" INTEGER,
    "refillAmount" INTEGER,
    "lastRefillAt" TIMESTAMP(3),
    "enabled" BOOLEAN DEFAULT true,
    "rateLimitEnabled" BOOLEAN DEFAULT true,
    "rateLimitTimeWindow" INTEGER DEFAULT 60000,
    "rateLimitMax" INTEGER DEFAULT 600,
    "requestCount" INTEGER DEFAULT 0,
    "remaining" INTEGER,
    "lastRequest" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "permissions" TEXT,
    "metadata" TEXT,

    CONSTRAINT "Apikey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Charger" (
    "id" TEXT NOT NULL,
    "chargeBoxId" TEXT NOT NULL,
    "stevePk" INTEGER,
    "description" TEXT,
    "vendor" TEXT,
    "model" TEXT,
    "registrationStatus" TEXT,
    "lastHeartbeatAt" TIMESTAMP(3),
    "state" "ChargerState" NOT NULL DEFAULT 'OFFLINE',
    "stateChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "goneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Charger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connector" (
    "id" TEXT NOT NULL,
    "chargerId" TEXT NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'Unavailable',
    "errorCode" TEXT,
    "errorInfo" TEXT,
    "statusAt" TIMESTAMP(3),
    "maxPowerKw" DOUBLE PRECISION,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Connector_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvCard" (
    "id" TEXT NOT NULL,
    "publicId" TEXT NOT NULL,
    "idTag" TEXT NOT NULL,
    "status" "EvCardStatus" NOT NULL DEFAULT 'PENDING',
    "origin" "EvCardOrigin" NOT NULL DEFAULT 'POLARIS',
    "isPrimary" BOOLEAN NOT NULL DEFAULT false,
    "steveTagPk" INTEGER,
    "ownerId" TEXT,
    "customerId" TEXT,
    "label" TEXT,
    "activatedAt" TIMESTAMP(3),
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvCard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "lagoId" TEXT,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardCustomerMapping" (
    "id" TEXT NOT NULL,
    "cardId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "actorId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "CardCustomerMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChargingSession" (
    "id" TEXT NOT NULL,
    "steveTransactionPk" INTEGER NOT NULL,
    "chargerId" TEXT NOT NULL,
    "connectorId" TEXT,
    "connectorNumber" INTEGER NOT NULL,
    "idTag" TEXT NOT NULL,
    "cardId" TEXT,
    "driverId" TEXT,
    "status" "SessionStatus" NOT NULL DEFAULT 'ACTIVE',
    "startedAt" TIMESTAMP(3) NOT NULL,
    "stoppedAt" TIMESTAMP(3),
    "stopReason" TEXT,
    "stopActor" TEXT,
    "meterStartWh" DOUBLE PRECISION NOT NULL,
    "meterStopWh" DOUBLE PRECISION,
    "latestMeterWh" DOUBLE PRECISION,
    "latestMeterAt" TIMESTAMP(3),
    "firstMeterAt" TIMESTAMP(3),
    "energyKwh" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "powerKw" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChargingSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeterSample" (
    "id" BIGSERIAL NOT NULL,
    "sessionId" TEXT NOT NULL,
    "sampledAt" TIMESTAMP(3) NOT NULL,
    "energyWh" DOUBLE PRECISION,
    "powerW" DOUBLE PRECISION,

    CONSTRAINT "MeterSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StartRequest" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "chargerId" TEXT NOT NULL,
    "cardId" TEXT NOT NULL,
    "connectorNumber" INTEGER,
    "outcome" "StartRequestOutcome" NOT NULL DEFAULT 'PENDING',
    "detail" TEXT,
    "steveTaskId" INTEGER,
    "sessionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StartRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL,
    "steveReservationPk" INTEGER NOT NULL,
    "chargerId" TEXT NOT NULL,
    "connectorNumber" INTEGER NOT NULL,
    "idTag" TEXT NOT NULL,
    "cardId" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "status" "ReservationStatus" NOT NULL,
    "statusAt" TIMESTAMP(3) NOT NULL,
    "steveTransactionPk" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "trigger" "SyncTrigger" NOT NULL,
    "tier" "CadenceTier" NOT NULL,
    "status" "SyncRunStatus" NOT NULL DEFAULT 'RUNNING',
    "requestedById" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncSegment" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" "SyncSegmentKind" NOT NULL,
    "position" INTEGER NOT NULL,
    "status" "SyncSegmentStatus" NOT NULL DEFAULT 'PENDING',
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "error" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncSegment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncCursor" (
    "kind" "SyncSegmentKind" NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("kind")
);

-- CreateTable
CREATE TABLE "SyncSchedule" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "tier" "CadenceTier" NOT NULL DEFAULT 'IDLE',
    "intervalMs" INTEGER NOT NULL,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastSuccessAt" TIMESTAMP(3),
    "lastFailureAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "severity" "AlertSeverity" NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "subjectType" TEXT,
    "subjectId" TEXT,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "impersonatorId" TEXT,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BillingEvent" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "transactionId" TEXT NOT NULL,
    "externalSubscriptionId" TEXT,
    "payload" JSONB NOT NULL,
    "status" "BillingEventStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BillingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_role_createdAt_idx" ON "User"("role", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Session_token_key" ON "Session"("token");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- CreateIndex
CREATE INDEX "Verification_identifier_idx" ON "Verification"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "RateLimit_key_key" ON "RateLimit"("key");

-- CreateIndex
CREATE INDEX "Apikey_configId_idx" ON "Apikey"("configId");

-- CreateIndex
CREATE INDEX "Apikey_referenceId_idx" ON "Apikey"("referenceId");

-- CreateIndex
CREATE INDEX "Apikey_key_idx" ON "Apikey"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Charger_chargeBoxId_key" ON "Charger"("chargeBoxId");

-- CreateIndex
CREATE UNIQUE INDEX "Charger_stevePk_key" ON "Charger"("stevePk");

-- CreateIndex
CREATE INDEX "Charger_state_idx" ON "Charger"("state");

-- CreateIndex
CREATE INDEX "Charger_goneAt_idx" ON "Charger"("goneAt");

-- CreateIndex
CREATE UNIQUE INDEX "Connector_chargerId_connectorId_key" ON "Connector"("chargerId", "connectorId");

-- CreateIndex
CREATE UNIQUE INDEX "EvCard_publicId_key" ON "EvCard"("publicId");

-- CreateIndex
CREATE UNIQUE INDEX "EvCard_idTag_key" ON "EvCard"("idTag");

-- CreateIndex
CREATE UNIQUE INDEX "EvCard_steveTagPk_key" ON "EvCard"("steveTagPk");

-- CreateIndex
CREATE INDEX "EvCard_ownerId_status_idx" ON "EvCard"("ownerId", "status");

-- CreateIndex
CREATE INDEX "EvCard_customerId_idx" ON "EvCard"("customerId");

-- CreateIndex
CREATE INDEX "EvCard_status_activatedAt_idx" ON "EvCard"("status", "activatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_externalId_key" ON "Customer"("externalId");

-- CreateIndex
CREATE INDEX "CardCustomerMapping_cardId_startedAt_idx" ON "CardCustomerMapping"("cardId", "startedAt");

-- CreateIndex
CREATE INDEX "CardCustomerMapping_customerId_idx" ON "CardCustomerMapping"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ChargingSession_steveTransactionPk_key" ON "ChargingSession"("steveTransactionPk");

-- CreateIndex
CREATE INDEX "ChargingSession_driverId_startedAt_idx" ON "ChargingSession"("driverId", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "ChargingSession_status_startedAt_idx" ON "ChargingSession"("status", "startedAt");

-- CreateIndex
CREATE INDEX "ChargingSession_chargerId_startedAt_idx" ON "ChargingSession"("chargerId", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "ChargingSession_cardId_startedAt_idx" ON "ChargingSession"("cardId", "startedAt");

-- CreateIndex
CREATE INDEX "ChargingSession_stoppedAt_idx" ON "ChargingSession"("stoppedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MeterSample_sessionId_sampledAt_key" ON "MeterSample"("sessionId", "sampledAt");

-- CreateIndex
CREATE UNIQUE INDEX "StartRequest_sessionId_key" ON "StartRequest"("sessionId");

-- CreateIndex
CREATE INDEX "StartRequest_userId_createdAt_idx" ON "StartRequest"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "StartRequest_outcome_createdAt_idx" ON "StartRequest"("outcome", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_steveReservationPk_key" ON "Reservation"("steveReservationPk");

-- CreateIndex
CREATE INDEX "Reservation_chargerId_startsAt_idx" ON "Reservation"("chargerId", "startsAt");

-- CreateIndex
CREATE INDEX "Reservation_status_statusAt_idx" ON "Reservation"("status", "statusAt");

-- CreateIndex
CREATE INDEX "SyncRun_startedAt_idx" ON "SyncRun"("startedAt" DESC);

-- CreateIndex
CREATE INDEX "SyncRun_status_finishedAt_idx" ON "SyncRun"("status", "finishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SyncSegment_runId_kind_key" ON "SyncSegment"("runId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_dedupeKey_key" ON "Alert"("dedupeKey");

-- CreateIndex
CREATE INDEX "Alert_readAt_createdAt_idx" ON "Alert"("readAt", "createdAt");

-- CreateIndex
CREATE INDEX "Alert_createdAt_idx" ON "Alert"("createdAt" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_at_idx" ON "AuditEvent"("subjectType", "subjectId", "at" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "BillingEvent_transactionId_key" ON "BillingEvent"("transactionId");

-- CreateIndex
CREATE INDEX "BillingEvent_status_nextAttemptAt_idx" ON "BillingEvent"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "BillingEvent_sessionId_idx" ON "BillingEvent"("sessionId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connector" ADD CONSTRAINT "Connector_chargerId_fkey" FOREIGN KEY ("chargerId") REFERENCES "Charger"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvCard" ADD CONSTRAINT "EvCard_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvCard" ADD CONSTRAINT "EvCard_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardCustomerMapping" ADD CONSTRAINT "CardCustomerMapping_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "EvCard"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardCustomerMapping" ADD CONSTRAINT "CardCustomerMapping_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChargingSession" ADD CONSTRAINT "ChargingSession_chargerId_fkey" FOREIGN KEY ("chargerId") REFERENCES "Charger"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChargingSession" ADD CONSTRAINT "ChargingSession_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChargingSession" ADD CONSTRAINT "ChargingSession_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "EvCard"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChargingSession" ADD CONSTRAINT "ChargingSession_driverId_fkey" FOREIGN KEY ("driverId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeterSample" ADD CONSTRAINT "MeterSample_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ChargingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StartRequest" ADD CONSTRAINT "StartRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StartRequest" ADD CONSTRAINT "StartRequest_chargerId_fkey" FOREIGN KEY ("chargerId") REFERENCES "Charger"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StartRequest" ADD CONSTRAINT "StartRequest_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "EvCard"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StartRequest" ADD CONSTRAINT "StartRequest_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ChargingSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_chargerId_fkey" FOREIGN KEY ("chargerId") REFERENCES "Charger"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "EvCard"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncSegment" ADD CONSTRAINT "SyncSegment_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BillingEvent" ADD CONSTRAINT "BillingEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ChargingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
