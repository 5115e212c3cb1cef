import { SECTION_END } from '../facts-script';

/**
 * `apt-mark showhold` then the end line (its own final newline optional: a step's captured output
 * loses it): the held packages, sorted; null when apt-mark did not answer.
 */
export function parseHeldPackages(text: string): string[] | null {
  const lines = text.split('\n').map((l) => l.trim());
  if (lines.at(-1) === '') lines.pop();
  if (lines.pop() !== SECTION_END) return null;
  return [...new Set(lines.filter((l) => l !== ''))].sort();
}
