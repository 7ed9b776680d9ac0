/**
 * @module api/graphql/documentLimits
 * Bounds on what one POST /graphql may ask for, checked before anything executes (and before graphql-js
 * validates, whose cost grows with the document): documents per batch, mutation fields per request
 * (each starts an execution; a batch's documents count together), aliased fields, field depth, and how deep brackets, fragments and JSON
 * values nest (so no parser, validator or serializer on the way recurses out of stack).
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  Lexer,
  type SelectionSetNode,
  Source,
  TokenKind,
} from 'graphql';
import { GRAPHQL_MAX_BATCH } from '../../contract/index.ts';

export interface GraphqlLimits {
  /** Requests in one batch (GATEWAY_GRAPHQL_MAX_BATCH). */
  maxBatch: number;
  /** Mutation root fields in one request (a batch's documents together), through aliases and fragments (GATEWAY_GRAPHQL_MAX_MUTATIONS). */
  maxMutations: number;
  /** Field nesting in one document, through fragments (GATEWAY_GRAPHQL_MAX_DEPTH). */
  maxDepth: number;
  /** Aliased fields in one document, through fragments (GATEWAY_GRAPHQL_MAX_ALIASES). */
  maxAliases: number;
}

export const DEFAULT_GRAPHQL_LIMITS: Readonly<GraphqlLimits> = Object.freeze({
  maxBatch: GRAPHQL_MAX_BATCH,
  maxMutations: 10,
  maxDepth: 10,
  maxAliases: 50,
});

/** How deep a JSON value (a variable, or a literal in the document) may nest. Fixed. */
export const MAX_JSON_NESTING = 100;

/** How deep `{}`, `[]`, `()` and fragment spreads may nest in a document: fields, inline fragments, JSON. */
export function nestingLimit(limits: GraphqlLimits): number {
  return 2 * limits.maxDepth + MAX_JSON_NESTING + 2;
}

export function batchProblem(size: number, limits: GraphqlLimits): string | undefined {
  if (size >= 1 && size <= limits.maxBatch) return undefined;
  return `A batch holds 1 to ${limits.maxBatch} GraphQL requests; this one has ${size} (GATEWAY_GRAPHQL_MAX_BATCH)`;
}

/**
 * Whether brackets in the query text nest deeper than `limit`, read token by token (no recursion) before
 * the parser (which recurses per level) sees it. A lexical error is left for the parser to report.
 */
export function textNestingProblem(query: string, limit: number): string | undefined {
  const lexer = new Lexer(new Source(query));
  let level = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      const kind = token.kind;
      if (kind === TokenKind.BRACE_L || kind === TokenKind.BRACKET_L || kind === TokenKind.PAREN_L) {
        if (++level > limit)
          return `The GraphQL document nests {…}, […] or (…) more than ${limit} levels deep (a fixed limit)`;
      } else if (kind === TokenKind.BRACE_R || kind === TokenKind.BRACKET_R || kind === TokenKind.PAREN_R) {
        level--;
      }
    }
  } catch (error) {
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
  return undefined;
}

interface Measure {
  /** Fields of this selection set itself (inline fragments and spreads expanded, each use counted). */
  fields: number;
  /** Aliased fields in the whole subtree, each use of a fragment counted. */
  aliases: number;
  /** Field nesting of the subtree. */
  depth: number;
}

const NOTHING: Measure = Object.freeze({ fields: 0, aliases: 0, depth: 0 });

class TooDeep extends Error {}

/**
 * The first limit a parsed document exceeds, as the message to answer with, or its mutation fields (which
 * a batch also counts together). Every use of a fragment counts (an upper bound of what executes); each
 * fragment is measured once, so this is linear in the document whatever its spreads multiply to. Unknown
 * fragments and cycles count as nothing: validation refuses them next.
 */
export function measureDocument(
  document: DocumentNode,
  limits: GraphqlLimits,
): { problem: string } | { mutations: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measured = new Map<string, Measure>();
  const inProgress = new Set<string>();
  const maxLevel = nestingLimit(limits);

  const measure = (set: SelectionSetNode, level: number): Measure => {
    if (level > maxLevel) throw new TooDeep();
    let fields = 0;
    let aliases = 0;
    let depth = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        fields += 1;
        if (selection.alias) aliases += 1;
        const inner = selection.selectionSet ? measure(selection.selectionSet, level + 1) : NOTHING;
        aliases += inner.aliases;
        depth = Math.max(depth, 1 + inner.depth);
        continue;
      }
      const inner =
        selection.kind === Kind.INLINE_FRAGMENT
          ? measure(selection.selectionSet, level + 1)
          : fragment(selection.name.value, level + 1);
      fields += inner.fields;
      aliases += inner.aliases;
      depth = Math.max(depth, inner.depth);
    }
    return { fields, aliases, depth };
  };

  const fragment = (name: string, level: number): Measure => {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const result = measure(definition.selectionSet, level);
    inProgress.delete(name);
    measured.set(name, result);
    return result;
  };

  let mutations = 0;
  let aliases = 0;
  let depth = 0;
  try {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const root = measure(definition.selectionSet, 1);
      if (definition.operation === 'mutation') mutations += root.fields;
      aliases += root.aliases;
      depth = Math.max(depth, root.depth);
    }
  } catch (error) {
    if (error instanceof TooDeep)
      return {
        problem: `The GraphQL document nests selections and fragments more than ${maxLevel} levels deep (a fixed limit)`,
      };
    throw error;
  }
  if (mutations > limits.maxMutations)
    return {
      problem: `The document has ${mutations} mutation fields; at most ${limits.maxMutations} are allowed in one GraphQL request (GATEWAY_GRAPHQL_MAX_MUTATIONS)`,
    };
  if (aliases > limits.maxAliases)
    return {
      problem: `The document has ${aliases} aliased fields; at most ${limits.maxAliases} are allowed in one GraphQL document (GATEWAY_GRAPHQL_MAX_ALIASES)`,
    };
  if (depth > limits.maxDepth)
    return {
      problem: `The document nests fields ${depth} levels deep; at most ${limits.maxDepth} are allowed (GATEWAY_GRAPHQL_MAX_DEPTH)`,
    };
  return { mutations };
}

/** Whether the mutation fields of a whole batch together pass the per-request limit. */
export function batchMutationsProblem(mutations: number, limits: GraphqlLimits): string | undefined {
  if (mutations <= limits.maxMutations) return undefined;
  return `The batch has ${mutations} mutation fields in all; at most ${limits.maxMutations} are allowed in one GraphQL request (GATEWAY_GRAPHQL_MAX_MUTATIONS)`;
}

/** Whether a JSON value nests deeper than `limit` (walked without recursion). */
export function jsonNestingProblem(
  value: unknown,
  what: string,
  limit = MAX_JSON_NESTING,
): string | undefined {
  const pending: unknown[] = [value];
  const levels: number[] = [0];
  while (pending.length > 0) {
    const current = pending.pop();
    const level = levels.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (level >= limit) return `${what} nest more than ${limit} levels deep (a fixed limit)`;
    for (const inner of Array.isArray(current) ? current : Object.values(current)) {
      if (inner !== null && typeof inner === 'object') {
        pending.push(inner);
        levels.push(level + 1);
      }
    }
  }
  return undefined;
}
