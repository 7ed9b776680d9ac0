/**
 * @module core/subscriptions/subscriptionRules
 * The configured path templates and the optional ownership rule, checked against each other once at start.
 */
import { OwnershipRule, type OwnershipRuleConfig } from './ownershipRule.ts';
import { SubscriptionPaths } from './subscriptionPaths.ts';

export interface SubscriptionRulesConfig {
  pathTemplates: readonly string[];
  owner: OwnershipRuleConfig | undefined;
}

export interface SubscriptionRules {
  paths: SubscriptionPaths;
  ownership: OwnershipRule | undefined;
}

/** Throws an Error naming the problem when a template or the ownership rule is invalid. */
export function compileSubscriptionRules(config: SubscriptionRulesConfig): SubscriptionRules {
  const paths = new SubscriptionPaths(config.pathTemplates);
  const ownership = config.owner ? new OwnershipRule(config.owner, paths.templates) : undefined;
  return { paths, ownership };
}
