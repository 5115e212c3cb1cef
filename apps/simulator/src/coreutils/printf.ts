/** Backslash escapes as `echo -e` and `printf %b` interpret them. */
export function interpretEscapes(text: string): string {
  return text.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/g, (_, e: string) => {
    if (e[0] === '0') return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '\\': '\\' };
    return map[e] ?? `\\${e}`;
  });
}

/** bash's printf: the format is reused while arguments remain. */
export function formatPrintf(format: string, args: string[]): string {
  let result = '';
  let argIndex = 0;
  const fmt = interpretFormatEscapes(format);
  do {
    // A pass that takes no argument (a format without conversions) would loop for ever.
    const start = argIndex;
    result += fmt.replace(
      /%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdiuxXocbfeg%])/g,
      (_m, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
        if (conv === '%') return '%';
        let w = width;
        if (w === '*') {
          w = args[argIndex++] ?? '0';
        }
        const arg = args[argIndex++] ?? '';
        let s: string;
        switch (conv) {
          case 's':
            s = precision !== undefined ? arg.slice(0, Number(precision)) : arg;
            break;
          case 'b':
            s = interpretEscapes(arg);
            break;
          case 'c':
            s = arg.slice(0, 1);
            break;
          case 'd':
          case 'i':
          case 'u':
            s = String(Math.trunc(Number(arg) || 0));
            if (flags.includes('+') && !s.startsWith('-')) s = '+' + s;
            break;
          case 'x':
            s = (Number(arg) || 0).toString(16);
            break;
          case 'X':
            s = (Number(arg) || 0).toString(16).toUpperCase();
            break;
          case 'o':
            s = (Number(arg) || 0).toString(8);
            break;
          default:
            s = (Number(arg) || 0).toFixed(precision !== undefined ? Number(precision) : 6);
        }
        const n = Number(w ?? 0);
        if (s.length >= n) return s;
        if (flags.includes('-')) return s.padEnd(n, ' ');
        if (flags.includes('0') && /[diuxXof]/.test(conv))
          return s.startsWith('-') ? '-' + s.slice(1).padStart(n - 1, '0') : s.padStart(n, '0');
        return s.padStart(n, ' ');
      },
    );
    if (argIndex === start) break;
  } while (argIndex < args.length);
  return result;
}

function interpretFormatEscapes(format: string): string {
  return format.replace(/\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/g, (m, e: string) => {
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    return map[e] ?? m;
  });
}
