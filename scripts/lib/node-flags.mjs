// Node flags the API is started with, wherever it is started (npm scripts, Dockerfile and compose
// spell them out too). A smaller young generation keeps the API under 200 MB with 1,000 nodes; it
// only takes effect at process start, so it cannot be set from inside (apps/api/src/v8-flags.ts).
export const API_NODE_ARGS = ['--max-semi-space-size=4'];
