/**
 * @module test/support/until
 * Polls a condition until it holds: for effects with no event to await (what a double or another process
 * saw) and for hooks, which cannot use `expect.poll`. On timeout it throws naming what did not happen.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string) = 'condition',
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
