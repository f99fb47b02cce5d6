-- CreateTable
CREATE TABLE "StandInState" (
    "name" TEXT NOT NULL,
    "state" BYTEA NOT NULL,
    "savedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StandInState_pkey" PRIMARY KEY ("name")
);
