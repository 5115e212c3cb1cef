import { FACTS_MARKER } from '../facts-script';

/**
 * A file's exact content from the text `cat` printed for it at the end of a section.
 * `splitSections` joins lines with `\n`, so the newline ending the file is gone and is restored
 * here. A file without one glues the next section's marker onto its last line; the content then
 * ends right before the marker, which is again exact (the swallowed next section is lost).
 */
export function restoreFileEnd(text: string): string {
  const glued = text.indexOf(FACTS_MARKER);
  return glued >= 0 ? text.slice(0, glued) : `${text}\n`;
}

/** A section holding one `cat`-ed file: its exact content, null when empty or absent (cannot tell apart). */
export function fileFromSection(text: string): string | null {
  return text === '' ? null : restoreFileEnd(text);
}
