# idra workers (and CLI) for the multi-service deployment in docker-compose.yml.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY model ./model
COPY policy ./policy
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY clients ./clients
COPY codec ./codec
COPY auth ./auth
COPY config ./config
COPY playbooks ./playbooks
COPY inventory ./inventory
COPY api ./api
COPY providers ./providers
# The local GCP server, for the demo profile only: product code never imports it.
COPY emulators ./emulators
COPY bin ./bin
COPY tsconfig.json ./
USER node
# IDRA_WORKER_ROLES picks the task queues this container serves (responses, guard, aws, gcp).
CMD ["node", "--import", "tsx", "workers/main.ts"]
