-- AlterTable
ALTER TABLE "EvCard" ADD COLUMN     "steveTagGoneAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Reservation" ADD COLUMN     "goneAt" TIMESTAMP(3),
ADD COLUMN     "statusReason" TEXT;
