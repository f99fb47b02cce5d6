-- AlterEnum
ALTER TYPE "CadenceTier" ADD VALUE 'STREAMING';

-- AlterEnum
ALTER TYPE "SyncTrigger" ADD VALUE 'RECONCILE';

-- CreateEnum
CREATE TYPE "ChangeCaptureStatus" AS ENUM ('OFF', 'UNAVAILABLE', 'RECONCILING', 'STREAMING', 'RECONNECTING');

-- CreateTable
CREATE TABLE "ChangeStream" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "status" "ChangeCaptureStatus" NOT NULL DEFAULT 'OFF',
    "problem" TEXT,
    "gtid" TEXT,
    "binlogFile" TEXT,
    "binlogOffset" INTEGER,
    "holder" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "streamingSince" TIMESTAMP(3),
    "lastCommitAt" TIMESTAMP(3),
    "lastAppliedAt" TIMESTAMP(3),
    "lagMs" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChangeStream_pkey" PRIMARY KEY ("id")
);
