import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the client. `npm run codegen` writes client/src/gql (committed);
 * `npm run codegen:check` fails when it would change, so keep the output free of timestamps.
 */
const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['client/src/**/*.{ts,tsx}', '!client/src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'client/src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: { unmaskFunctionName: 'useFragment' },
        // Import from gql.ts / fragment-masking.ts directly: no barrel file.
        skipIndexFile: true,
      },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: '.ts',
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
        },
        defaultScalarType: 'unknown',
      },
    },
  },
};

export default config;
