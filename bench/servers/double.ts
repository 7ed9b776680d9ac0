/**
 * @module bench/servers/double
 * The NoETL test double (test/support/noetlDouble.ts) in its own process, for the scenarios that log
 * in and execute playbooks. Prints `READY {"url":…}`.
 */
import { NoetlDouble } from '../../test/support/noetlDouble.ts';

const double = await new NoetlDouble({
  gatewayUrl: process.env.GATEWAY_URL ?? 'http://127.0.0.1:1',
}).start();
// The double keeps every request for assertions; a benchmark sends hundreds of thousands.
setInterval(() => {
  double.requests.length = 0;
}, 1000).unref();
console.log(`READY ${JSON.stringify({ url: double.url })}`);
process.once('SIGTERM', () => void double.stop().then(() => process.exit(0)));
