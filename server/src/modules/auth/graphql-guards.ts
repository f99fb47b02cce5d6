import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config.ts';
import type { Context } from '../../types.ts';
import { findHostileString, MAX_SEARCH_LENGTH, type HostileString } from '../../lib/input-limits.ts';
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

/** What a driver's own API key may change: start and stop (with the `charging` scope). */
export const DRIVER_KEY_MUTATIONS: readonly string[] = ['startCharging', 'stopCharging'];

/** The root fields an operation selects, through fragments too. */
function rootFields(document: DocumentNode, selections: readonly SelectionNode[]): string[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const out: string[] = [];
  const walk = (list: readonly SelectionNode[], seen: Set<string>) => {
    for (const s of list) {
      if (s.kind === Kind.FIELD) out.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet.selections, seen);
      else if (!seen.has(s.name.value)) {
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet.selections, new Set(seen).add(s.name.value));
      }
    }
  };
  walk(selections, new Set());
  return out;
}

/**
 * A driver's own API key reads what the driver reads; the only mutations it runs are
 * DRIVER_KEY_MUTATIONS, and only with the `charging` scope. Refused before any resolver runs
 * (403, `reason: KEY_SCOPE`), whatever the transport — a second lock beside the fields' own scopes.
 */
export function useDriverKeyLimits(): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const viewer = (args.contextValue as Partial<Context>).viewer;
      if (viewer?.kind !== 'user' || !viewer.apiKey) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const charging = viewer.apiKey.scopes.includes('charging');
      const refused = rootFields(args.document, operation.selectionSet.selections).find(
        (f) => f !== '__typename' && (!charging || !DRIVER_KEY_MUTATIONS.includes(f)),
      );
      if (refused) setResultAndStopExecution({ errors: [driverKeyRefused(refused, charging)] });
    },
  };
}

function driverKeyRefused(field: string, charging: boolean): GraphQLError {
  const message = charging
    ? `A driver’s API key may only start and stop charging; ${field} needs a signed-in session.`
    : `This API key has no charging scope; ${field} is refused.`;
  return new GraphQLError(message, {
    extensions: { code: 'FORBIDDEN', reason: 'KEY_SCOPE', http: { status: 403 } },
  });
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

const capFor = (field: string) => (field === 'search' ? MAX_SEARCH_LENGTH : undefined);

/** The first hostile string literal of a document, named by its argument or input field. */
function hostileLiteral(document: DocumentNode): HostileString | null {
  let found: HostileString | null = null;
  const names: string[] = [];
  const named = {
    enter: (node: { name: { value: string } }) => void names.push(node.name.value),
    leave: () => void names.pop(),
  };
  visit(document, {
    Argument: named,
    ObjectField: named,
    StringValue(node) {
      found ??= findHostileString(node.value, capFor, names.at(-1) ?? 'input');
    },
  });
  return found;
}

/**
 * Caps every string argument (literal or variable, at any depth of an input object) before any
 * resolver runs: a NUL byte or a string above its cap (`MAX_STRING_ARGUMENT`, searches
 * `MAX_SEARCH_LENGTH`) is a `BAD_USER_INPUT` error (HTTP 400), never a database error masked as
 * "Unexpected error". Tighter per-field rules (names, labels, idTags) stay typed results of the
 * mutations themselves.
 */
export function useStringArgumentLimits(): Plugin<Context> {
  const check = (document: DocumentNode, variables: unknown) => {
    const hostile = findHostileString(variables ?? {}, capFor) ?? hostileLiteral(document);
    if (!hostile) return null;
    return new GraphQLError(hostile.message, {
      extensions: { code: 'BAD_USER_INPUT', field: hostile.field, http: { status: 400 } },
    });
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

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
  plugins.push(useStringArgumentLimits());
  plugins.push(useImpersonationReadOnly());
  plugins.push(useDriverKeyLimits());
  return plugins;
}
