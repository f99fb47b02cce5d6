// Creates an operator (admin) account: `npm run admin:create -- --email ops@example.com [--name "Ops"]`.
// The password is prompted for (hidden) on a terminal, or read from ADMIN_PASSWORD for automation.
// With the embedded database, run it while the server is stopped (PGlite allows one process).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/lib/db.ts';
import { createLogger } from '../src/lib/logger.ts';
import { EmailAlreadyUsedError, InvalidAccountInputError } from '../src/modules/auth/auth.errors.ts';
import { createAdminAccount } from '../src/modules/auth/auth.service.ts';
import { createAuth, PASSWORD_LENGTH, resolveAuthSecret } from '../src/modules/auth/auth.ts';

const USAGE =
  'usage: npm run admin:create -- --email <email> [--name <name>]   (password: prompt or ADMIN_PASSWORD)';

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const { stdin, stdout } = process;
  stdout.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          cleanup();
          stdout.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          cleanup();
          stdout.write('\n');
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  // Read here, not in config.ts: it is this script's input, not server configuration.
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new Error('No terminal to prompt on: set ADMIN_PASSWORD to pass the password non-interactively.');
  }
  const first = await promptHidden(`Password (${PASSWORD_LENGTH.min}-${PASSWORD_LENGTH.max} characters): `);
  const second = await promptHidden('Repeat the password: ');
  if (first !== second) throw new Error('The passwords differ.');
  return first;
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help || !values.email) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const password = await readPassword();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    poolSize: 2,
    logger,
  });
  try {
    // Creating an account hashes the password; it does not sign anything, so no stored secret is needed.
    const auth = createAuth({
      config,
      db: database.prisma,
      logger,
      secret: resolveAuthSecret(config, { persist: false }),
    });
    const admin = await createAdminAccount(
      { auth, db: database.prisma, logger },
      { email: values.email, name: values.name, password },
    );
    console.log(
      `Admin account created: ${admin.email} (id ${admin.id}). Sign in at ${config.publicUrl}/admin`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof EmailAlreadyUsedError ||
    error instanceof InvalidAccountInputError
  ) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
