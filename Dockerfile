# One image for the API, the workers and the migrations; compose picks the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig*.json nest-cli.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
# Build with the dev dependencies (TypeScript), then drop them from what ships.
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# The code stays root-owned so the running process cannot rewrite it.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The one writable place: captured mail (.data/outbox) when SMTP_URL is unset.
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
