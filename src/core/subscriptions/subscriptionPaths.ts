/**
 * @module core/subscriptions/subscriptionPaths
 * Which Firestore collections a client may watch: path templates such as
 * `chat_threads/{thread_id}/trip/current/events`, where each `{name}` stands for one path segment of safe
 * id characters (ASCII letters, digits, '.', '_', '-'; never `.` or `..`). A requested path is checked in
 * the reference gateway's order and answered with its messages.
 */
import { GatewayError } from '../errors.ts';

type Segment = { literal: string } | { param: string };

export interface PathTemplate {
  /** As configured, e.g. `chat_threads/{thread_id}/trip/current/events`. */
  readonly source: string;
  readonly segments: readonly Segment[];
  /** Placeholder names, in order. */
  readonly params: readonly string[];
}

export interface MatchedPath {
  /** The path to watch (trimmed). */
  path: string;
  template: PathTemplate;
  /** Placeholder values, e.g. `{thread_id: "thread-1"}`. */
  params: Record<string, string>;
}

const SAFE_ID = /^[A-Za-z0-9._-]+$/;
const PARAM = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/;

/** A document or collection id a client may name: safe characters, never `.` or `..`. */
export function isSafeId(value: string): boolean {
  return SAFE_ID.test(value) && value !== '.' && value !== '..';
}

/**
 * Parses a `/`-separated template of literal ids and `{name}` placeholders. Throws an Error naming the
 * problem (for configuration errors).
 */
export function parseTemplate(source: string, kind: 'collection' | 'document'): PathTemplate {
  const text = source.trim();
  if (!text) throw new Error('a path template must not be empty');
  if (text.startsWith('/') || text.endsWith('/'))
    throw new Error(`"${text}": no leading or trailing slashes`);
  const segments: Segment[] = text.split('/').map((part) => {
    const param = PARAM.exec(part)?.[1];
    if (param) return { param };
    if (!isSafeId(part))
      throw new Error(
        `"${text}": segment "${part}" is neither {name} nor an id of A-Z, a-z, 0-9, '.', '_', '-'`,
      );
    return { literal: part };
  });
  const wantOdd = kind === 'collection';
  if (segments.length % 2 === (wantOdd ? 0 : 1))
    throw new Error(
      `"${text}": a ${kind} path has an ${wantOdd ? 'odd' : 'even'} number of segments (${wantOdd ? 'collection/doc/collection' : 'collection/doc'})`,
    );
  const params = segments.flatMap((segment) => ('param' in segment ? [segment.param] : []));
  if (new Set(params).size !== params.length) throw new Error(`"${text}": a placeholder is used twice`);
  return { source: text, segments, params };
}

/** `{thread_id}` → `<thread_id>`, as the reference's message shows it. */
function display(template: PathTemplate): string {
  return template.segments
    .map((segment) => ('param' in segment ? `<${segment.param}>` : segment.literal))
    .join('/');
}

/** `thread_id` → `Thread id`. */
function label(param: string): string {
  const words = param.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Fills a template's placeholders with already validated values. */
export function fillTemplate(template: PathTemplate, params: Record<string, string>): string {
  return template.segments
    .map((segment) => {
      if ('literal' in segment) return segment.literal;
      const value = params[segment.param];
      if (value === undefined) throw new Error(`no value for {${segment.param}}`);
      return value;
    })
    .join('/');
}

export class SubscriptionPaths {
  readonly templates: readonly PathTemplate[];

  constructor(sources: readonly string[]) {
    if (sources.length === 0) throw new Error('at least one subscription path template is required');
    this.templates = sources.map((source) => parseTemplate(source, 'collection'));
  }

  /** Checks a requested path; throws a 400 GatewayError with the reference's message when it is not allowed. */
  match(requested: string): MatchedPath {
    const path = requested.trim();
    if (path.startsWith('/') || path.endsWith('/'))
      throw new GatewayError('bad_request', 'Subscription path must not have leading or trailing slashes');
    const parts = path.split('/');
    const shaped = this.templates.filter(
      (template) =>
        template.segments.length === parts.length &&
        template.segments.every((segment, i) => 'param' in segment || segment.literal === parts[i]),
    );
    if (shaped.length === 0) {
      throw new GatewayError(
        'bad_request',
        `Subscription path must match ${this.templates.map(display).join(' or ')}`,
      );
    }
    let firstProblem: string | undefined;
    for (const template of shaped) {
      const params: Record<string, string> = {};
      let problem: string | undefined;
      template.segments.forEach((segment, i) => {
        if (problem || !('param' in segment)) return;
        const value = parts[i] ?? '';
        if (isSafeId(value)) params[segment.param] = value;
        else problem = `${label(segment.param)} must contain only ASCII letters, numbers, '.', '_', or '-'`;
      });
      if (!problem) return { path, template, params };
      firstProblem ??= problem;
    }
    throw new GatewayError('bad_request', firstProblem ?? 'Subscription path is not allowed');
  }
}
