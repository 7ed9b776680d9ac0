/**
 * `npm run dev`: the gateway on its embedded defaults in front of the NoETL test double, so a newcomer
 * can log in with a test token and watch a playbook result arrive on /events. Development only.
 * It also lets the console example (`npm run console`, served on CONSOLE_PORT, default 5173) call it:
 * that origin is added to CORS_ALLOWED_ORIGINS.
 */
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { startGateway } from '../src/main.ts';
import { NoetlDouble } from '../test/support/noetlDouble.ts';

const gatewayPort = Number(process.env.ROUTER_PORT ?? 8090);
const noetlPort = Number(process.env.NOETL_DOUBLE_PORT ?? 8082);
const consolePort = Number(process.env.CONSOLE_PORT ?? 5173);
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const noetl = await new NoetlDouble({ gatewayUrl, autoCompleteMs: 1500 }).start(noetlPort);
const config = loadConfig({
  ...process.env,
  ROUTER_PORT: String(gatewayPort),
  NOETL_BASE_URL: noetl.url,
  GATEWAY_PUBLIC_URL: gatewayUrl,
});
// The console's page runs on another origin than the gateway: allowed here, on top of the configured ones.
const allowed = config.cors.allowedOrigins;
if (!allowed.includes('*')) {
  for (const host of ['localhost', '127.0.0.1']) {
    const origin = `http://${host}:${consolePort}`;
    if (!allowed.includes(origin)) allowed.push(origin);
  }
}
const gateway = await startGateway(config, pino({ level: config.logLevel }));

console.log(`
NoETL double (test upstream): ${noetl.url}
Gateway:                      ${gateway.url}   (API reference: ${gateway.url}/docs)
Console:                      npm run console, then open
                              http://localhost:${consolePort}/?gateway=http://localhost:${gatewayPort}
                              and log in with the ID token valid-<name> (e.g. valid-ann)

Try it:
  TOKEN=$(curl -s -XPOST ${gateway.url}/api/auth/login -H 'content-type: application/json' \\
          -d '{"auth0_token":"valid-ann"}' | sed -E 's/.*"session_token":"([^"]+)".*/\\1/')
  curl -N "${gateway.url}/events?session_token=$TOKEN"          # in a second terminal: note the clientId
  curl -XPOST ${gateway.url}/api/playbooks/execute -H "authorization: Bearer $TOKEN" \\
       -H 'content-type: application/json' -d '{"path":"demo/hello","workload":{},"client_id":"<clientId>"}'
The double posts playbook/progress and then playbook/result to the stream about 1.5 s later.
`);

const stop = async () => {
  await gateway.stop();
  await noetl.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
