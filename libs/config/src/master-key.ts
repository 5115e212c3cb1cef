import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/** Decodes a 32-byte AES key given as 64 hex characters or as base64 (standard or url-safe). */
export function decodeMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${source} must hold 32 bytes as 64 hex characters or base64 (got ${key.length} bytes)`);
  }
  return key;
}

export function loadMasterKey(cfg: { value?: string; file?: string }): Buffer {
  if (cfg.value) return decodeMasterKey(cfg.value, 'PVEFLEET_MASTER_KEY');
  if (!cfg.file) throw new ConfigError('PVEFLEET_MASTER_KEY or PVEFLEET_MASTER_KEY_FILE is required');
  let text: string;
  try {
    text = readFileSync(cfg.file, 'utf8');
  } catch (err) {
    throw new ConfigError(`PVEFLEET_MASTER_KEY_FILE cannot be read: ${(err as Error).message}`);
  }
  return decodeMasterKey(text, 'PVEFLEET_MASTER_KEY_FILE');
}
