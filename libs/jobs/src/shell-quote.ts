/**
 * Quotes a value for a POSIX shell so it is always one literal word. Every user-provided value goes
 * through this (after validation) before it reaches a command line.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
