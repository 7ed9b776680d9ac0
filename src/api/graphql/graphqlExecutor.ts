/**
 * @module api/graphql/graphqlExecutor
 * POST /graphql without a web framework: a parsed JSON body (one GraphQL-over-HTTP request, or a batch of
 * them) and the caller's session in, the status and JSON text to answer out. Documents are parsed, checked
 * against the limits and validated once per query text, then kept (least recently used out); each request
 * only executes. A request over a limit is answered 400 before anything of it (or of its batch) executes.
 */
import {
  type DocumentNode,
  execute,
  type GraphQLError,
  type GraphQLSchema,
  parse,
  validate as validateDocument,
} from 'graphql';
import { GraphqlRequest } from '../../contract/index.ts';
import type { Session } from '../../core/sessions/sessionResolver.ts';
import { DocumentCache } from './documentCache.ts';
import {
  batchMutationsProblem,
  batchProblem,
  DEFAULT_GRAPHQL_LIMITS,
  type GraphqlLimits,
  jsonNestingProblem,
  measureDocument,
  nestingLimit,
  textNestingProblem,
} from './documentLimits.ts';
import { createRootValue, type ResolverContext, type ResolverServices } from './resolvers.ts';
import { graphqlSchema } from './schema.ts';

export type { GraphqlLimits } from './documentLimits.ts';
export { DEFAULT_GRAPHQL_LIMITS } from './documentLimits.ts';

export interface GraphqlExecutorOptions extends ResolverServices {
  /** Limits per request; unset ones keep their defaults (`DEFAULT_GRAPHQL_LIMITS`). */
  limits?: Partial<GraphqlLimits> | undefined;
  /** Parsed and validated documents kept, by query text. Default 500. */
  documentCacheSize?: number | undefined;
  /** Total length of the query texts kept. Default 1 MiB (a longer query is parsed every time). */
  documentCacheChars?: number | undefined;
  /** graphql-js `validate`, replaceable (tests count its calls). */
  validate?: ((schema: GraphQLSchema, document: DocumentNode) => ReadonlyArray<GraphQLError>) | undefined;
}

/** Facts about the HTTP request beyond its body and session. */
export interface GraphqlCallContext {
  /** The gateway's request id: sent to NoETL as `x-request-id` by `proxyRequest`. */
  requestId?: string | undefined;
}

/** The answer to send: status, `Content-Type` and the JSON text of the body. */
export interface GraphqlAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface GraphqlExecutor {
  /**
   * Answers one POST /graphql whose body was parsed as JSON (`body` is that value; a body that is not
   * JSON is the HTTP layer's 415). Never rejects for a bad request: only for an unexpected failure.
   */
  execute(body: unknown, session: Session, context?: GraphqlCallContext): Promise<GraphqlAnswer>;
}

export const GRAPHQL_CONTENT_TYPE = 'application/graphql-response+json; charset=utf-8';

const NOT_A_REQUEST = JSON.stringify({
  errors: [{ message: 'Expected a GraphQL request: {"query": string, "variables"?: object}' }],
});

/** What is kept per query text: the document to execute, or the answer for a document that cannot run. */
type CachedDocument =
  | { kind: 'valid'; document: DocumentNode; mutations: number }
  /** Did not parse or validate: answered 200 with these errors, as graphql-js answers. */
  | { kind: 'invalid'; json: string }
  | { kind: 'refused'; message: string };

/** One request of the body, ready to execute or already answered. */
type Prepared =
  | {
      kind: 'valid';
      document: DocumentNode;
      mutations: number;
      variables: Record<string, unknown> | undefined;
      operationName: string | undefined;
    }
  | { kind: 'answered'; status: number; json: string }
  | { kind: 'refused'; message: string };

function refusal(message: string): GraphqlAnswer {
  return {
    status: 400,
    contentType: GRAPHQL_CONTENT_TYPE,
    body: JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }),
  };
}

export function createGraphqlExecutor(options: GraphqlExecutorOptions): GraphqlExecutor {
  const limits: GraphqlLimits = { ...DEFAULT_GRAPHQL_LIMITS };
  for (const [name, value] of Object.entries(options.limits ?? {}))
    if (value !== undefined) limits[name as keyof GraphqlLimits] = value;
  const maxNesting = nestingLimit(limits);
  const validate = options.validate ?? validateDocument;
  const rootValue = createRootValue(options);
  const documents = new DocumentCache<CachedDocument>({
    maxEntries: options.documentCacheSize ?? 500,
    maxKeyChars: options.documentCacheChars ?? 1024 * 1024,
  });

  function compile(query: string): CachedDocument {
    const tooDeep = textNestingProblem(query, maxNesting);
    if (tooDeep) return { kind: 'refused', message: tooDeep };
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (syntaxError) {
      return { kind: 'invalid', json: JSON.stringify({ errors: [syntaxError] }) };
    }
    const measured = measureDocument(document, limits);
    if ('problem' in measured) return { kind: 'refused', message: measured.problem };
    const errors = validate(graphqlSchema, document);
    if (errors.length > 0) return { kind: 'invalid', json: JSON.stringify({ errors }) };
    return { kind: 'valid', document, mutations: measured.mutations };
  }

  function documentFor(query: string): CachedDocument {
    let cached = documents.get(query);
    if (!cached) {
      cached = compile(query);
      documents.set(query, cached);
    }
    return cached;
  }

  function prepare(item: unknown): Prepared {
    const request = GraphqlRequest.safeParse(item);
    if (!request.success) return { kind: 'answered', status: 400, json: NOT_A_REQUEST };
    const variables = request.data.variables ?? undefined;
    const tooDeep = variables && jsonNestingProblem(variables, 'GraphQL variables');
    if (tooDeep) return { kind: 'refused', message: tooDeep };
    const cached = documentFor(request.data.query);
    if (cached.kind === 'invalid') return { kind: 'answered', status: 200, json: cached.json };
    if (cached.kind === 'refused') return cached;
    return {
      kind: 'valid',
      document: cached.document,
      mutations: cached.mutations,
      variables,
      operationName: request.data.operationName ?? undefined,
    };
  }

  async function run(
    prepared: Prepared,
    contextValue: ResolverContext,
  ): Promise<{ status: number; json: string }> {
    if (prepared.kind === 'answered') return prepared;
    if (prepared.kind === 'refused') throw new Error('a refused request reached execution');
    const result = await execute({
      schema: graphqlSchema,
      document: prepared.document,
      rootValue,
      contextValue,
      variableValues: prepared.variables,
      operationName: prepared.operationName,
    });
    return { status: 200, json: JSON.stringify(result) };
  }

  return {
    async execute(body, session, context = {}) {
      const contextValue: ResolverContext = { session, requestId: context.requestId };
      if (!Array.isArray(body)) {
        const prepared = prepare(body);
        if (prepared.kind === 'refused') return refusal(prepared.message);
        const answer = await run(prepared, contextValue);
        return { status: answer.status, contentType: GRAPHQL_CONTENT_TYPE, body: answer.json };
      }
      const tooMany = batchProblem(body.length, limits);
      if (tooMany) return refusal(tooMany);
      // Every request of the batch is checked before any of them executes.
      const prepared = body.map(prepare);
      const refusedAt = prepared.findIndex((item) => item.kind === 'refused');
      if (refusedAt >= 0) {
        const { message } = prepared[refusedAt] as { message: string };
        return refusal(`Request ${refusedAt + 1} of the batch: ${message}`);
      }
      let mutations = 0;
      for (const item of prepared) if (item.kind === 'valid') mutations += item.mutations;
      const tooManyMutations = batchMutationsProblem(mutations, limits);
      if (tooManyMutations) return refusal(tooManyMutations);
      const answers = await Promise.all(prepared.map((item) => run(item, contextValue)));
      // One malformed request makes the whole batch a bad request, as a single malformed request is.
      return {
        status: answers.every((answer) => answer.status === 200) ? 200 : 400,
        contentType: GRAPHQL_CONTENT_TYPE,
        body: `[${answers.map((answer) => answer.json).join(',')}]`,
      };
    },
  };
}
