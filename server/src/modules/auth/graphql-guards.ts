import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { getOperationAST, type GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config.ts';
import type { Context } from '../../context.ts';
import { impersonationReadOnly } from './auth.errors.ts';

/** Bounds for untrusted documents (HTTP, SSE and graphql-ws alike: they share the envelope). */
export const DOCUMENT_LIMITS = {
  maxDepth: 12,
  maxCost: 5000,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
} as const;

/**
 * Refuses every mutation while an admin acts as a driver, before any resolver runs, whatever the
 * transport or the mutation: impersonation is read-only. Queries and subscriptions run as the
 * driver would see them.
 */
export function useImpersonationReadOnly(): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const viewer = (args.contextValue as Partial<Context>).viewer;
      if (viewer?.kind !== 'user' || !viewer.impersonatorId) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'mutation')
        setResultAndStopExecution({ errors: [impersonationReadOnly()] });
    },
  };
}

/**
 * graphql-armor throws its refusals out of the validation rule by default, which Yoga then treats
 * as an execution failure (HTTP 200 without data). Reported through the validation context
 * instead, they are validation errors like any other: `GRAPHQL_VALIDATION_FAILED` and HTTP 400
 * for `application/graphql-response+json`, as the GraphQL-over-HTTP spec asks.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      if (context) context.reportError(error);
      else throw error;
    },
  ],
};

/** Every security plugin of the GraphQL pipeline, in the order they should run. */
export function securityPlugins(config: Config): Array<Plugin<Context>> {
  const armor = new EnvelopArmor<Context>({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, ignoreIntrospection: true, ...asValidationError },
    costLimit: { maxCost: DOCUMENT_LIMITS.maxCost, ignoreIntrospection: true, ...asValidationError },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, ...asValidationError },
    // Counted while parsing: already a parse error (HTTP 400).
    maxTokens: { n: DOCUMENT_LIMITS.maxTokens },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, ...asValidationError },
    // "Did you mean …?" would reveal the schema that disabled introspection hides.
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const plugins: Array<Plugin<Context>> = [...(armor.protect().plugins as Array<Plugin<Context>>)];
  if (!config.introspection) plugins.push(useDisableIntrospection() as Plugin<Context>);
  plugins.push(useImpersonationReadOnly());
  return plugins;
}
