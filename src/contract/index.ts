export * from './auth.ts';
export * from './callbacks.ts';
export * from './common.ts';
export * from './frames.ts';
export * from './noetl.ts';
export * from './playbooks.ts';
export * from './subscriptions.ts';
export * from './system.ts';
