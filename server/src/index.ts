import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { StandInsLockedError } from './lib/stand-ins.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const app = await buildApp({ config }).catch((error: unknown) => {
  if (!(error instanceof StandInsLockedError)) throw error;
  // Another instance runs the embedded stand-ins: say what to configure, without a stack trace.
  console.error(error.message);
  process.exit(1);
});
await app.start();

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.services.logger.info({ signal }, 'shutting down');
    void app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.services.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
