import { defineConfig } from 'prisma/config';

// The runtime applies migrations itself (server/src/lib/migrate.ts); this file only tells the Prisma
// CLI where things are, so `prisma generate` (and, with network access, `prisma migrate`) work.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/polaris' },
});
