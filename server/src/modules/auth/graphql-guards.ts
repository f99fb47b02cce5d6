import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { getOperationAST } from 'graphql';
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

/** Every security plugin of the GraphQL pipeline, in the order they should run. */
export function securityPlugins(config: Config): Array<Plugin<Context>> {
  const armor = new EnvelopArmor<Context>({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, ignoreIntrospection: true },
    costLimit: { maxCost: DOCUMENT_LIMITS.maxCost, ignoreIntrospection: true },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases },
    maxTokens: { n: DOCUMENT_LIMITS.maxTokens },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives },
    // "Did you mean …?" would reveal the schema that disabled introspection hides.
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const plugins: Array<Plugin<Context>> = [...(armor.protect().plugins as Array<Plugin<Context>>)];
  if (!config.introspection) plugins.push(useDisableIntrospection() as Plugin<Context>);
  plugins.push(useImpersonationReadOnly());
  return plugins;
}
