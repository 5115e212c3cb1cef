/**
 * What never reaches a log line: bearer tokens and cookies of requests, and node credentials or
 * passwords wherever an object carrying them is logged (one or two levels deep).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'authorization',
  'password',
  'privateKey',
  'passphrase',
  'credential',
  'token',
  '*.authorization',
  '*.password',
  '*.privateKey',
  '*.passphrase',
  '*.credential',
  '*.token',
  '*.*.password',
  '*.*.privateKey',
  '*.*.passphrase',
  '*.*.credential',
];

export const REDACTED = '[redacted]';
