/**
 * @module api/graphql/schema
 * The legacy GraphQL schema every existing SPA uses (`executePlaybook`), as the reference gateway declares
 * it, with its `JSON` scalar: any JSON value, as given.
 */
import { buildSchema, type GraphQLScalarType, Kind, type ValueNode, valueFromASTUntyped } from 'graphql';
import { parseJsonExact } from '../../lib/losslessJson.ts';

type Maybe<T> = T | null | undefined;
type ObjMap<T> = Record<string, T>;

const SDL = /* GraphQL */ `
  schema { query: QueryRoot mutation: MutationRoot }
  scalar JSON
  enum ExecutableResourceKind { playbook agent }
  type QueryRoot {
    "Health check endpoint."
    health: String!
    "Gateway version info."
    version: String!
  }
  type MutationRoot {
    "Execute a playbook by path."
    executePlaybook(name: String!, variables: JSON, resourceKind: ExecutableResourceKind, clientId: String): ExecuteResult!
    "Rerun an existing execution with optional workload overrides."
    rerunExecution(executionId: String!, variables: JSON, clientId: String): ExecuteResult!
    "Generic proxy for any NoETL API call via GraphQL."
    proxyRequest(input: ProxyRequestInput!): ProxyResponse!
  }
  "Result of executing a playbook."
  type ExecuteResult {
    "Execution ID (alias for GraphQL compatibility)."
    id: String!
    "Execution ID (snowflake)."
    executionId: String!
    "Request ID for async callback tracking."
    requestId: String
    "Playbook name/path."
    name: String
    "Initial status."
    status: String
    "Text output from playbook (populated when available)."
    textOutput: String
  }
  "Result of a proxy API request to NoETL."
  type ProxyResponse {
    "Whether the request was successful."
    success: Boolean!
    "Response data (JSON)."
    data: JSON
    "Error message if failed."
    error: String
  }
  "Input for proxy API request."
  input ProxyRequestInput {
    "HTTP method (GET, POST, PUT, DELETE, PATCH)."
    method: String!
    "API endpoint (e.g., \\"/api/catalog/list\\")."
    endpoint: String!
    "Request body (JSON) - optional for GET/DELETE."
    body: JSON
  }
`;

/** The schema, built once. */
export const graphqlSchema = buildSchema(SDL);

/**
 * A JSON literal written in the document, with its numbers as written: graphql-js would read `1e400` as
 * Infinity (null), `12345678901234567890` rounded, `1.0` as 1; numbers a double cannot hold exactly keep
 * their text (lib/losslessJson), as they do in variables.
 */
function exactValueFromAST(node: ValueNode, variables?: Maybe<ObjMap<unknown>>): unknown {
  switch (node.kind) {
    case Kind.INT:
    case Kind.FLOAT:
      return parseJsonExact(node.value);
    case Kind.LIST:
      return node.values.map((value) => exactValueFromAST(value, variables));
    case Kind.OBJECT: {
      const object: Record<string, unknown> = Object.create(null);
      for (const field of node.fields) object[field.name.value] = exactValueFromAST(field.value, variables);
      return object;
    }
    default:
      return valueFromASTUntyped(node, variables);
  }
}

Object.assign(graphqlSchema.getType('JSON') as GraphQLScalarType, {
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: exactValueFromAST,
} satisfies Partial<GraphQLScalarType>);
