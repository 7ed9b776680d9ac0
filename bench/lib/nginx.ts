/**
 * @module bench/lib/nginx
 * Debian's nginx as the proxy baseline, as measured in stack.md: one worker, `proxy_pass` to the
 * upstream over a keep-alive upstream pool, no access log, everything in a temporary prefix. Never
 * installed or downloaded here: when `nginx` is missing the caller prints a skip row.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, freePort, spawnCommand, waitHttp } from './proc.ts';

const CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx'];

/** What a bench says when there is no nginx: its target is then not measured, not met. */
export const NGINX_MISSING =
  'nginx is not installed, so the nginx baseline and its target are not measured (apt-get install -y nginx-light)';

export function findNginx(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path));
}

export interface Nginx extends Child {
  url: string;
}

/** nginx listening on a free loopback port, proxying `/noetl/<rest>` to `<upstream>/api/<rest>`. */
export async function startNginx(binary: string, upstreamPort: number): Promise<Nginx> {
  const prefix = await mkdtemp(join(tmpdir(), 'bench-nginx-'));
  const port = await freePort();
  const conf = `
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  upstream noetl {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location /noetl/ {
      proxy_pass http://noetl/api/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
    location = /health { return 200 "ok"; }
  }
}
`;
  await writeFile(join(prefix, 'nginx.conf'), conf);
  const child = await spawnCommand(
    'nginx',
    binary,
    ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf')],
    {
      waitReady: false,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/health`, 10_000, child);
  const stop = child.stop;
  return Object.assign(child, {
    url,
    async stop() {
      await stop();
      await rm(prefix, { recursive: true, force: true });
    },
  });
}
