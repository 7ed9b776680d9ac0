/**
 * @module client/test/support/waitUntil
 * Polls a condition until it holds: for effects that have no event to await (requests a double saw).
 */
export async function waitUntil<T>(
  probe: () => T | undefined | false,
  { timeoutMs = 5000, what = 'condition' }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
