-- CreateEnum
CREATE TYPE "ChargerCommandKind" AS ENUM ('RESET', 'UNLOCK_CONNECTOR', 'CHANGE_AVAILABILITY', 'TRIGGER_MESSAGE', 'CHANGE_CONFIGURATION', 'SET_CHARGING_PROFILE', 'CLEAR_CHARGING_PROFILE');

-- CreateEnum
CREATE TYPE "ChargerCommandStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED', 'NOT_SUPPORTED', 'TIMED_OUT', 'FAILED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ChargerState" ADD VALUE 'UNAVAILABLE';
ALTER TYPE "ChargerState" ADD VALUE 'FAULTED';

-- CreateTable
CREATE TABLE "ConnectorStatusEvent" (
    "id" TEXT NOT NULL,
    "chargerId" TEXT NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "errorInfo" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectorStatusEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChargerCommand" (
    "id" TEXT NOT NULL,
    "chargerId" TEXT NOT NULL,
    "kind" "ChargerCommandKind" NOT NULL,
    "connectorNumber" INTEGER,
    "params" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "status" "ChargerCommandStatus" NOT NULL DEFAULT 'PENDING',
    "answer" TEXT,
    "reason" TEXT,
    "steveTaskId" INTEGER,
    "requestedById" TEXT,
    "requestedBy" TEXT,
    "impersonatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChargerCommand_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConnectorStatusEvent_chargerId_at_idx" ON "ConnectorStatusEvent"("chargerId", "at");

-- CreateIndex
CREATE INDEX "ConnectorStatusEvent_status_at_idx" ON "ConnectorStatusEvent"("status", "at");

-- CreateIndex
CREATE INDEX "ChargerCommand_chargerId_createdAt_idx" ON "ChargerCommand"("chargerId", "createdAt");

-- CreateIndex
CREATE INDEX "ChargerCommand_dedupeKey_status_idx" ON "ChargerCommand"("dedupeKey", "status");

-- AddForeignKey
ALTER TABLE "ConnectorStatusEvent" ADD CONSTRAINT "ConnectorStatusEvent_chargerId_fkey" FOREIGN KEY ("chargerId") REFERENCES "Charger"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChargerCommand" ADD CONSTRAINT "ChargerCommand_chargerId_fkey" FOREIGN KEY ("chargerId") REFERENCES "Charger"("id") ON DELETE CASCADE ON UPDATE CASCADE;
