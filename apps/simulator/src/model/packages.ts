import type { Versions } from './package-catalog';

/**
 * Installed packages, copy-on-write over a shared base: 1,000 fresh nodes
 * share one map until apt changes one of them.
 */
export class PackageDb {
  private own?: Map<string, string>;

  constructor(private readonly base: Versions) {}

  get(name: string): string | undefined {
    return this.own ? this.own.get(name) : this.base[name];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, version: string): void {
    this.materialize().set(name, version);
  }

  remove(name: string): void {
    this.materialize().delete(name);
  }

  names(): string[] {
    return this.own ? [...this.own.keys()] : Object.keys(this.base);
  }

  toObject(): Record<string, string> {
    return this.own ? Object.fromEntries(this.own) : { ...this.base };
  }

  private materialize(): Map<string, string> {
    return (this.own ??= new Map(Object.entries(this.base)));
  }
}
