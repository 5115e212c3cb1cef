import { setFlagsFromString } from 'node:v8';

// Loaded before anything else, so every way of starting the API (npm, Docker, tests) gets these.
// Prisma's query compiler is WebAssembly: V8's optimising tier would turn it into ~50 MB of machine
// code; the baseline tier (Liftoff) plans queries fast enough for an API.
setFlagsFromString('--liftoff-only');
