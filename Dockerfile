# syntax=docker/dockerfile:1
# Build stage: every dependency from the lockfile (TypeScript, esbuild), then the bundled gateway in dist/.
# --ignore-scripts: no install script is needed (the `node` devDependency's would download a second Node 24;
# the image's Node 24 runs the build).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY client/package.json client/package.json
COPY src/contract/package.json src/contract/package.json
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/build.mjs
COPY src ./src
RUN npm run build

# Production dependencies only (no tsx, TypeScript, test tools).
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY client/package.json client/package.json
COPY src/contract/package.json src/contract/package.json
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime stage: non-root, the bundle only (it loads undici and, when enabled, Firestore's SDK from
# node_modules). dist/ reads package.json (version) at run time, and vendor/ holds the /docs page's script.
FROM node:24-slim
ENV NODE_ENV=production ROUTER_PORT=8090
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY vendor ./vendor
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8090
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.ROUTER_PORT||8090)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# node as PID 1 with the exec form: SIGTERM from `docker stop` reaches the gateway (graceful shutdown).
CMD ["node", "dist/main.js"]
