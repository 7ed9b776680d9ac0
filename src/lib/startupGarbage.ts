/**
 * @module lib/startupGarbage
 * One full, memory-reducing garbage collection once the gateway listens. Loading its modules and building
 * the route table grow V8's young generation to its largest (16 MiB of semi-spaces) and leave start-up
 * garbage in the old one; a process that then idles never collects again, so all of it stays resident.
 * Collected once, idle RSS drops by ~9 MiB (README "Performance"); under load the young generation grows
 * again as V8 sees fit. The command-line entry point calls this; embedders and tests do not.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export function collectStartupGarbage(): void {
  // `gc` exists only in contexts created while --expose-gc is set: a fresh one provides it, and the
  // gateway's own global scope never gets it.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as Collect;
  setFlagsFromString('--no-expose-gc');
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
