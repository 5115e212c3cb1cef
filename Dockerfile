# One image for api, worker and simulator; docker-compose.yml picks the command.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json /app/.npmrc ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts ./scripts
USER node
CMD ["node", "--max-semi-space-size=4", "dist/apps/api/apps/api/src/main.js"]
