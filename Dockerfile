# idra workers (and CLI, codec server) for the multi-service deployment in docker-compose.yml.
# Stage 1 compiles to dist/ with the prebuilt workflow bundle (npm run build needs the dev dependencies), then
# drops the dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY model ./model
COPY policy ./policy
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY clients ./clients
COPY ingest ./ingest
COPY codec ./codec
COPY auth ./auth
COPY config ./config
COPY api ./api
COPY providers ./providers
COPY bin ./bin
COPY scripts/build.ts ./scripts/build.ts
COPY tsconfig.json tsconfig.build.json ./
COPY playbooks ./playbooks
COPY inventory ./inventory
# The local GCP and GitHub, for the demo profile only: product code never imports them (they run through tsx).
COPY emulators ./emulators
COPY infra ./infra
RUN npm run build && npm prune --omit=dev

# Stage 2: what runs: runtime dependencies, the sources (bin/idra.js checks dist/ against them) and dist/.
FROM node:24-bookworm-slim
WORKDIR /app
COPY --from=build /app ./
# Where the demo's local GitHub hands the GitHub worker its keys (a volume takes this folder's owner).
RUN mkdir -p /run/idra-github && chown node:node /run/idra-github
USER node
# IDRA_WORKER_ROLES picks the task queues this container serves (responses, guard, aws, gcp, azure, keycloak, github).
CMD ["node", "dist/workers/main.js"]
