/**
 * Every document the web client sends passes the API's limits for untrusted documents (cost, depth,
 * aliases, directives) through the same security plugins the server runs: a screen whose query the
 * server refuses can never load, and the limits are not raised for our own client.
 */
import { parse, validate, type DocumentNode, type GraphQLError } from 'graphql';
import { envelop } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import * as documents from '../../../client/src/gql/graphql.ts';
import { loadConfig } from '../../src/config.ts';
import { securityPlugins } from '../../src/modules/auth/graphql-guards.ts';
import { schema } from '../../src/schema/index.ts';

const clientDocuments = Object.entries(documents).filter(
  (entry): entry is [string, DocumentNode] =>
    entry[0].endsWith('Document') &&
    typeof entry[1] === 'object' &&
    (entry[1] as { kind?: unknown }).kind === 'Document',
);

describe('documents of the web client', () => {
  const getEnveloped = envelop({
    plugins: [
      {
        onParse: ({ setParseFn }) => setParseFn(parse),
        onValidate: ({ setValidationFn }) => setValidationFn(validate),
      },
      ...securityPlugins(loadConfig({ NODE_ENV: 'production' })),
    ],
  });

  it('finds the documents', () => {
    expect(clientDocuments.length).toBeGreaterThan(20);
  });

  for (const [name, document] of clientDocuments) {
    it(`${name.replace(/Document$/, '')} is within the API's document limits`, () => {
      const { validate: run } = getEnveloped({});
      const errors = (run(schema, document) as readonly GraphQLError[]).map((e) => e.message);
      expect(errors).toEqual([]);
    });
  }
});
