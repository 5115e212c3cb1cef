import type { PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';

/** Ends every heredoc a plan writes; content containing it as a line cannot be written this way. */
export const HEREDOC_END = 'PVEFLEET_EOF';

/**
 * A step writing `content` to `path` through a quoted heredoc (nothing in it is expanded), listed in
 * `writes` so dry runs show it. A heredoc always ends in a newline, so content is written with one.
 */
export function writeFileStep(path: string, content: string, description: string, when?: PlanStep['when']): PlanStep {
  if (content.split('\n').includes(HEREDOC_END)) throw new Error(`content for ${path} contains the line ${HEREDOC_END}`);
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return {
    command: `cat > ${shellQuote(path)} <<'${HEREDOC_END}'\n${body}${HEREDOC_END}`,
    description,
    writes: [{ path, content: body }],
    ...(when ? { when } : {}),
  };
}
