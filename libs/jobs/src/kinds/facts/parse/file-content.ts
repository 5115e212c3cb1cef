/** A section holding one `cat`-ed file: its exact content (sections are byte-exact), null when empty or absent. */
export function fileFromSection(text: string): string | null {
  return text === '' ? null : text;
}
