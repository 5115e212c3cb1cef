/**
 * How the CLI writes what happens to the simulator (on stderr: stdout carries only the inventory).
 * Readable lines by default, as the demo's simulator.log shows them; with PVEFLEET_LOG_FORMAT=json
 * one JSON object per line in the shape pvefleet's own processes use, for one log pipeline. The
 * simulator is an independent peer, so this is its own few lines, not @pvefleet/logging.
 */
export function stderrLogLine(env: NodeJS.ProcessEnv = process.env): (line: string) => void {
  if (env.PVEFLEET_LOG_FORMAT === 'json') {
    return (line) => {
      process.stderr.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), process: 'simulator', message: line })}\n`);
    };
  }
  return (line) => {
    process.stderr.write(`${new Date().toISOString()} simulator: ${line}\n`);
  };
}
