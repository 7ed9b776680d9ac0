/**
 * @module api/graphql/schema
 * The legacy GraphQL schema every existing SPA uses (`executePlaybook`), as the reference gateway declares
 * it, with its `JSON` scalar: any JSON value, as given.
 */
import { buildSchema, type GraphQLScalarType, valueFromASTUntyped } from 'graphql';

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

Object.assign(graphqlSchema.getType('JSON') as GraphQLScalarType, {
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: valueFromASTUntyped,
} satisfies Partial<GraphQLScalarType>);
