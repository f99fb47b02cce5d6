import type { DomainError } from '../lib/domain-error.ts';
import { builder } from './builder.ts';

/**
 * What every typed error result has in common. Clients read any failure the same way:
 * `... on Error { message }`, and ask for a concrete type only for its extra fields.
 */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description:
    'An expected failure, returned as a result instead of a GraphQL error. Every typed error implements it.',
  fields: (t) => ({
    message: t.exposeString('message', {
      description: 'What went wrong, for people; clients show it verbatim.',
      authScopes: { signedIn: true },
    }),
  }),
});
