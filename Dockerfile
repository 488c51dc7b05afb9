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
COPY infra ./infra
COPY bin ./bin
COPY tsconfig.json ./
USER node
# IDRA_WORKER_ROLES picks the task queues this container serves (responses, aws).
CMD ["node", "--import", "tsx", "workers/main.ts"]
