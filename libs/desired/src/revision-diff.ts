import diff from 'microdiff';

/** One change between two documents; `path` is a JSON Pointer (RFC 6901) into the document. */
export interface DiffOp {
  op: 'add' | 'remove' | 'replace';
  path: string;
  from?: unknown;
  to?: unknown;
}

/**
 * What changed from `before` to `after` (a profile or override document), for a revision's `diff`.
 * `before` null (created) is every top-level key added; `after` null (deleted) every key removed.
 * Arrays are compared item by item, as microdiff does.
 */
export function documentDiff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): DiffOp[] {
  return diff(before ?? {}, after ?? {}).map((d) => {
    const path = pointer(d.path);
    // microdiff types values as any: they are JSON from the documents, kept as unknown.
    const to: unknown = d.type === 'REMOVE' ? undefined : d.value;
    const from: unknown = d.type === 'CREATE' ? undefined : d.oldValue;
    if (d.type === 'CREATE') return { op: 'add', path, to };
    if (d.type === 'REMOVE') return { op: 'remove', path, from };
    return { op: 'replace', path, from, to };
  });
}

function pointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
