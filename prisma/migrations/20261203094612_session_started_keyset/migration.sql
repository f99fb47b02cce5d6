-- CreateIndex
CREATE INDEX "ChargingSession_startedAt_id_idx" ON "ChargingSession"("startedAt" DESC, "id" DESC);
