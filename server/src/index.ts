import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

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

const app = await buildApp({ config });
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
