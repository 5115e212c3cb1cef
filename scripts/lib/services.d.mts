export interface RunningService {
  url: string;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function makeTempDir(prefix: string): string;
export function startPostgres(opts?: { dir?: string; port?: number; persistent?: boolean }): Promise<RunningService>;
export function startRedis(opts?: { dir?: string; port?: number }): Promise<RunningService>;
export function createDatabase(serverUrl: string, name: string): Promise<string>;
export function ensureDatabase(serverUrl: string, name: string): Promise<string>;
export function dropDatabase(serverUrl: string, name: string): Promise<void>;
export function commandExists(cmd: string): boolean;
