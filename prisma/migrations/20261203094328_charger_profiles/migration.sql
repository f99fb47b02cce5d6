-- CreateEnum
CREATE TYPE "ConnectorType" AS ENUM ('CCS1', 'CCS2', 'CHADEMO', 'TYPE1', 'TYPE2', 'GBT_AC', 'GBT_DC', 'NACS', 'SCHUKO', 'OTHER');

-- CreateTable
CREATE TABLE "ConnectorProfile" (
    "connectorId" TEXT NOT NULL,
    "steveConnectorType" TEXT,
    "connectorType" "ConnectorType",
    "maxPowerKw" DOUBLE PRECISION,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConnectorProfile_pkey" PRIMARY KEY ("connectorId")
);

-- CreateTable
CREATE TABLE "ChargerProfile" (
    "chargerId" TEXT NOT NULL,
    "steveLatitude" DOUBLE PRECISION,
    "steveLongitude" DOUBLE PRECISION,
    "steveAddress" TEXT,
    "displayName" TEXT,
    "siteName" TEXT,
    "address" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChargerProfile_pkey" PRIMARY KEY ("chargerId")
);

-- AddForeignKey
ALTER TABLE "ConnectorProfile" ADD CONSTRAINT "ConnectorProfile_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChargerProfile" ADD CONSTRAINT "ChargerProfile_chargerId_fkey" FOREIGN KEY ("chargerId") REFERENCES "Charger"("id") ON DELETE CASCADE ON UPDATE CASCADE;
