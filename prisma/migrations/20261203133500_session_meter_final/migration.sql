-- AlterTable
ALTER TABLE "ChargingSession" ADD COLUMN     "meterFinalAt" TIMESTAMP(3);

-- Sessions completed before this column: their last samples were read by the run that completed them.
UPDATE "ChargingSession" SET "meterFinalAt" = COALESCE("stoppedAt", "updatedAt") WHERE "status" = 'COMPLETED';

-- CreateIndex
CREATE INDEX "ChargingSession_status_meterFinalAt_idx" ON "ChargingSession"("status", "meterFinalAt");
