export function deployMigrations(databaseUrl: string): Promise<string[]>;
