/** Anything a suite starts in its beforeAll and must stop after it: a stack, an sshd, a fleet, a client. */
export interface Stoppable {
  stop(): Promise<unknown>;
}

/**
 * Stops what a suite's beforeAll started, in parallel. Each may be undefined: suites declare them
 * `let stack: Stack` for the tests' sake, but a beforeAll that failed leaves them unassigned.
 */
export async function stopAll(...started: (Stoppable | undefined)[]): Promise<void> {
  await Promise.all(started.filter((s) => s !== undefined).map((s) => s.stop()));
}
