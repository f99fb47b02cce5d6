import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they might appear in logged objects. */
export function createLogger(level: string, name = 'polaris'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'apiKey',
        '*.apiKey',
        'secret',
        '*.secret',
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        'headers["x-api-key"]',
      ],
      censor: '[redacted]',
    },
  });
}
