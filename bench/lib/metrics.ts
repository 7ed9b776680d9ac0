/**
 * @module bench/lib/metrics
 * Reads a Prometheus histogram from the gateway's `/metrics`, so a round can report the gateway's own
 * view (bucket upper bound of a quantile over the round: the difference of two scrapes).
 */

export type Buckets = Map<number, number>;

export async function scrapeHistogram(baseUrl: string, name: string): Promise<Buckets> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const buckets: Buckets = new Map();
  const pattern = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\}\\s+(\\S+)`, 'gm');
  for (const match of text.matchAll(pattern)) {
    const le = match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/** Upper bound (seconds) of the bucket holding quantile `q` of the observations between two scrapes. */
export function bucketQuantile(before: Buckets, after: Buckets, q: number): { bound: number; count: number } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const count = delta[delta.length - 1] ?? 0;
  if (count === 0) return { bound: Number.NaN, count };
  const index = delta.findIndex((cumulative) => cumulative >= q * count);
  return { bound: bounds[index]!, count };
}
