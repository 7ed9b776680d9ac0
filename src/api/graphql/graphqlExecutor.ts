/**
 * @module api/graphql/graphqlExecutor
 * POST /graphql without a web framework: a parsed JSON body (one GraphQL-over-HTTP request, or a batch of
 * them) and the caller's session in, the status and JSON text to answer out. Documents are parsed and
 * validated once per query text, then kept (least recently used out); each request only executes.
 */
import {
  type DocumentNode,
  execute,
  type GraphQLError,
  type GraphQLSchema,
  parse,
  validate as validateDocument,
} from 'graphql';
import { GRAPHQL_MAX_BATCH, GraphqlRequest } from '../../contract/index.ts';
import type { Session } from '../../core/sessions/sessionResolver.ts';
import { DocumentCache } from './documentCache.ts';
import { createRootValue, type ResolverContext, type ResolverServices } from './resolvers.ts';
import { graphqlSchema } from './schema.ts';

export interface GraphqlExecutorOptions extends ResolverServices {
  /** Parsed and validated documents kept, by query text. Default 500. */
  documentCacheSize?: number | undefined;
  /** Total length of the query texts kept. Default 1 MiB (a longer query is parsed every time). */
  documentCacheChars?: number | undefined;
  /** graphql-js `validate`, replaceable (tests count its calls). */
  validate?: ((schema: GraphQLSchema, document: DocumentNode) => ReadonlyArray<GraphQLError>) | undefined;
}

/** Facts about the HTTP request beyond its body and session. */
export interface GraphqlCallContext {
  /** The gateway's request id. */
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
  | { kind: 'valid'; document: DocumentNode }
  /** Did not parse or validate: answered 200 with these errors, as graphql-js answers. */
  | { kind: 'invalid'; json: string };

/** One request of the body, ready to execute or already answered. */
type Prepared =
  | {
      kind: 'valid';
      document: DocumentNode;
      variables: Record<string, unknown> | undefined;
      operationName: string | undefined;
    }
  | { kind: 'answered'; status: number; json: string };

export function createGraphqlExecutor(options: GraphqlExecutorOptions): GraphqlExecutor {
  const validate = options.validate ?? validateDocument;
  const rootValue = createRootValue(options);
  const documents = new DocumentCache<CachedDocument>({
    maxEntries: options.documentCacheSize ?? 500,
    maxKeyChars: options.documentCacheChars ?? 1024 * 1024,
  });

  function compile(query: string): CachedDocument {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (syntaxError) {
      return { kind: 'invalid', json: JSON.stringify({ errors: [syntaxError] }) };
    }
    const errors = validate(graphqlSchema, document);
    if (errors.length > 0) return { kind: 'invalid', json: JSON.stringify({ errors }) };
    return { kind: 'valid', document };
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
    const cached = documentFor(request.data.query);
    if (cached.kind === 'invalid') return { kind: 'answered', status: 200, json: cached.json };
    return {
      kind: 'valid',
      document: cached.document,
      variables: request.data.variables ?? undefined,
      operationName: request.data.operationName ?? undefined,
    };
  }

  async function run(
    prepared: Prepared,
    contextValue: ResolverContext,
  ): Promise<{ status: number; json: string }> {
    if (prepared.kind === 'answered') return prepared;
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
        const answer = await run(prepare(body), contextValue);
        return { status: answer.status, contentType: GRAPHQL_CONTENT_TYPE, body: answer.json };
      }
      if (body.length === 0 || body.length > GRAPHQL_MAX_BATCH) {
        const message = `A batch holds 1 to ${GRAPHQL_MAX_BATCH} GraphQL requests`;
        return {
          status: 400,
          contentType: GRAPHQL_CONTENT_TYPE,
          body: JSON.stringify({ errors: [{ message }] }),
        };
      }
      const prepared = body.map(prepare);
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
