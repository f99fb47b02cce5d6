import type http from 'node:http';
import { printSchema } from 'graphql';
import type { Services } from '../types.ts';
import { schema } from './index.ts';

/** The SDL of the API, for partners' code generators (linked from /docs/api). */
export const SCHEMA_PATH = '/schema.graphql';

let printed: string | null = null;

/**
 * GET /schema.graphql. Where introspection is on (the default outside production) anyone may
 * download it; where the server hides its schema, only a signed-in person or an API key may.
 */
export async function serveSchema(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  services: Pick<Services, 'config' | 'authenticate'>,
): Promise<void> {
  if (!services.config.introspection) {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const viewer = await services.authenticate(headers).catch(() => null);
    if (!viewer) {
      res.statusCode = 401;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('Sign in or send an API key (x-api-key) to download the schema.');
      return;
    }
  }
  printed ??= `${printSchema(schema)}\n`;
  res.statusCode = 200;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('content-disposition', 'attachment; filename="schema.graphql"');
  res.end(req.method === 'HEAD' ? undefined : printed);
}
