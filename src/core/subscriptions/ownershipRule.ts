/**
 * @module core/subscriptions/ownershipRule
 * Who may watch a path: the configured owner document (a template filled from the subscription path,
 * e.g. `chat_threads/{thread_id}`) must exist and its owner field (e.g. `owner_user_id`, dotted for nested
 * fields) must equal the caller's user id or email. An array field matches when any element does.
 * Anything else — a missing document or field, another type, an empty email — is a refusal: the rule
 * fails closed.
 */
import type { User } from '../../contract/index.ts';
import { fillTemplate, type MatchedPath, type PathTemplate, parseTemplate } from './subscriptionPaths.ts';

export type OwnerMatch = 'user_id' | 'email';

export interface OwnershipRuleConfig {
  /** Document path template, e.g. `chat_threads/{thread_id}`. */
  document: string;
  /** Field path in that document, e.g. `owner_user_id` or `owner.email`. */
  field: string;
  /** What of the session the field is compared with. */
  match: OwnerMatch;
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export class OwnershipRule {
  readonly #document: PathTemplate;
  readonly #field: string[];
  readonly match: OwnerMatch;

  /** Throws an Error naming the problem when the rule does not fit the path templates. */
  constructor(config: OwnershipRuleConfig, pathTemplates: readonly PathTemplate[]) {
    this.#document = parseTemplate(config.document, 'document');
    if (!FIELD_PATH.test(config.field))
      throw new Error(`owner field "${config.field}" must be a field name or a dotted path of field names`);
    this.#field = config.field.split('.');
    this.match = config.match;
    for (const template of pathTemplates) {
      const missing = this.#document.params.filter((param) => !template.params.includes(param));
      if (missing.length > 0)
        throw new Error(
          `owner document "${config.document}" uses {${missing.join('}, {')}}, which path template "${template.source}" does not have`,
        );
    }
  }

  get describe(): string {
    return `${this.#document.source} field ${this.#field.join('.')} = session ${this.match}`;
  }

  /** The owner document of a matched subscription path. */
  documentPath(matched: MatchedPath): string {
    return fillTemplate(this.#document, matched.params);
  }

  /** True only when the owner field of `document` names the user. */
  owns(document: Record<string, unknown> | null, user: User): boolean {
    if (!document) return false;
    let value: unknown = document;
    for (const key of this.#field) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
      value = (value as Record<string, unknown>)[key];
    }
    const candidates = Array.isArray(value) ? value : [value];
    return candidates.some((candidate) => this.#matches(candidate, user));
  }

  #matches(candidate: unknown, user: User): boolean {
    if (this.match === 'email') {
      const email = user.email.trim().toLowerCase();
      return email !== '' && typeof candidate === 'string' && candidate.trim().toLowerCase() === email;
    }
    if (typeof candidate !== 'string' && typeof candidate !== 'number') return false;
    const text = String(candidate).trim();
    return text !== '' && text === String(user.user_id);
  }
}
