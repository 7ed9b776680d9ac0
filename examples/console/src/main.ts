/**
 * @module examples/console
 * A small page on `@noetl/gateway-client`: log in with an Auth0 ID token, run a playbook, and watch its
 * progress, state and result frames arrive live — through reconnects, which the package handles.
 * Everything gateway-specific is one `GatewayClient`; the rest is DOM.
 */
import { GatewayClient, type GatewayClientError, type ParsedFrame } from '@noetl/gateway-client';

const params = new URLSearchParams(location.search);
// As the SPAs do after the Auth0 implicit flow: the ID token arrives in the URL fragment.
const hashToken = new URLSearchParams(location.hash.slice(1)).get('id_token');

function element<T extends HTMLElement>(testId: string): T {
  const found = document.querySelector<T>(`[data-testid="${testId}"]`);
  if (!found) throw new Error(`missing element ${testId}`);
  return found;
}

function form(id: string): HTMLFormElement {
  const found = document.getElementById(id);
  if (!(found instanceof HTMLFormElement)) throw new Error(`missing form ${id}`);
  return found;
}

const ui = {
  gateway: element<HTMLInputElement>('gateway'),
  idToken: element<HTMLInputElement>('id-token'),
  status: element<HTMLSpanElement>('status'),
  clientId: element<HTMLSpanElement>('client-id'),
  docs: element<HTMLAnchorElement>('docs-link'),
  user: element<HTMLParagraphElement>('user'),
  playbook: element<HTMLInputElement>('playbook'),
  workload: element<HTMLTextAreaElement>('workload'),
  run: element<HTMLButtonElement>('run'),
  result: element<HTMLPreElement>('result'),
  log: element<HTMLOListElement>('log'),
};

ui.gateway.value = params.get('gateway') ?? localStorage.getItem('gateway') ?? 'http://localhost:8090';
ui.idToken.value = hashToken ?? '';
const showDocsLink = () => {
  ui.docs.href = `${ui.gateway.value.replace(/\/+$/, '')}/docs`;
};
showDocsLink();
ui.gateway.addEventListener('input', showDocsLink);

function log(kind: 'event' | 'note', label: string, detail = ''): void {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.className = kind;
  name.textContent = label;
  item.append(name, detail ? ` ${detail}` : '');
  ui.log.append(item);
  item.scrollIntoView({ block: 'nearest' });
}

let client: GatewayClient | undefined;

function wire(next: GatewayClient): void {
  next.on('status', (status) => {
    ui.status.textContent = status;
    ui.status.dataset.status = status;
    if (status === 'reconnecting') log('note', 'stream lost, reconnecting…');
  });
  next.on('connected', ({ init, resumed }) => {
    ui.clientId.textContent = init.clientId;
    log('note', resumed ? 'reconnected: resumed after the last frame received' : 'connected');
  });
  next.on('frame', (parsed: ParsedFrame) => {
    if (parsed.event === 'ping' || parsed.event === 'message') return;
    log('event', parsed.event, JSON.stringify('params' in parsed.frame ? parsed.frame.params : parsed.frame));
  });
  next.on('error', (error: GatewayClientError) => log('note', error.name, error.message));
  next.on('session', (session) => {
    if (!session) {
      ui.user.textContent = 'Session expired: log in again.';
      ui.run.disabled = true;
    }
  });
}

form('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  client?.close();
  localStorage.setItem('gateway', ui.gateway.value);
  client = new GatewayClient({ baseUrl: ui.gateway.value });
  wire(client);
  ui.user.textContent = 'Logging in…';
  try {
    const login = await client.login(ui.idToken.value.trim());
    ui.user.textContent = `Logged in as ${login.user.email} (${login.user.roles.join(', ') || 'no roles'})`;
    await client.connect();
    ui.run.disabled = false;
  } catch (error) {
    ui.user.textContent = `Login failed: ${error instanceof Error ? error.message : String(error)}`;
  }
});

form('run').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!client) return;
  let workload: unknown;
  try {
    workload = JSON.parse(ui.workload.value || '{}');
  } catch {
    ui.result.textContent = 'The workload is not valid JSON.';
    return;
  }
  ui.result.className = 'result';
  ui.result.dataset.status = 'RUNNING';
  ui.result.textContent = `Running ${ui.playbook.value}…`;
  ui.run.disabled = true;
  try {
    const result = await client.executeAndWait(ui.playbook.value, workload, {
      onProgress: (progress) => {
        ui.result.textContent = `Running ${ui.playbook.value}: ${progress.message ?? progress.step ?? ''} ${
          progress.progress ?? ''
        }`;
      },
    });
    ui.result.dataset.status = result.status;
    ui.result.textContent = `${result.status} (execution ${result.executionId})\n${JSON.stringify(result.data, null, 2)}`;
  } catch (error) {
    ui.result.className = 'result failed';
    ui.result.dataset.status = 'FAILED';
    ui.result.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    ui.run.disabled = false;
  }
});
