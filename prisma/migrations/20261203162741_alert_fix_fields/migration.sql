-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "connectorNumber" INTEGER,
ADD COLUMN     "errorCode" TEXT,
ADD COLUMN     "fixCommand" "ChargerCommandKind";

-- Fault alerts raised before these columns existed: their connector, code and fix, once, from the
-- key and text they were written with (from now on the sync writes the columns).
UPDATE "Alert"
   SET "connectorNumber" = split_part("dedupeKey", ':', 3)::int,
       "errorCode" = NULLIF(substring("message" FROM 'faulted with ([A-Za-z]+)'), 'an'),
       "fixCommand" = (CASE
         WHEN "message" LIKE '%faulted with ConnectorLockFailure%' THEN 'UNLOCK_CONNECTOR'
         WHEN "message" LIKE '%faulted with an unspecified error%' THEN 'TRIGGER_MESSAGE'
         ELSE 'RESET'
       END)::"ChargerCommandKind"
 WHERE "kind" = 'charger.connectorFaulted' AND "dedupeKey" ~ ':[0-9]+$';
