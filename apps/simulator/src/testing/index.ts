/** Helpers for tests that drive the simulator: a fast deterministic fleet, a bare shell, an ssh2 client. */
export { startTestSim, waitFor } from './sim-harness';
export { makeShell } from './shell-harness';
export type { ShellResult } from './shell-harness';
export { sshConnect, sshExec, sshRun } from './ssh-client';
export type { ExecResult } from './ssh-client';
export { dataHdd } from '../model/disks';
