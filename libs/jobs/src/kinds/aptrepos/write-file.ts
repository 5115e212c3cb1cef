import type { PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';

const DELIMITER = 'PVEFLEET_EOF';

/**
 * Writes a whole file through a quoted heredoc, so the log shows the content as it lands. Content
 * holding the delimiter line (it comes from the node's own files) goes through printf instead.
 */
export function writeFileStep(path: string, content: string, description: string): PlanStep {
  const body = content.endsWith('\n') ? content : `${content}\n`;
  const command = body.split('\n').includes(DELIMITER)
    ? `printf '%s' ${shellQuote(body)} > ${shellQuote(path)}`
    : `cat > ${shellQuote(path)} <<'${DELIMITER}'\n${body}${DELIMITER}`;
  return { command, description, writes: [{ path, content: body }] };
}
