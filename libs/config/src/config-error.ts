/** Invalid or missing configuration: the process must not start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
