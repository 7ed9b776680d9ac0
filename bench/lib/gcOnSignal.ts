/**
 * @module bench/lib/gcOnSignal
 * Preloaded (`--expose-gc --import`) into the servers of the SSE capacity scenario, never into the
 * gateway's own code: SIGUSR2 runs a full garbage collection and prints `GC {"heapUsed":…}`, the
 * bytes of live JavaScript objects — what the streams retain, without the garbage of the handshakes.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, external } = process.memoryUsage();
  console.log(`GC ${JSON.stringify({ heapUsed, external })}`);
});
