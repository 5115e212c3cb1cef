import { FP_NEW } from './acme-facts.fixture';

/** The served-certificate check's command for `name`, as plans write it. */
export const servedCheck = (name: string): string =>
  `openssl s_client -connect 127.0.0.1:8006 -servername ${name} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 -enddate`;

/** What `openssl x509 -noout -fingerprint -sha256 -enddate` prints for a served certificate. */
export const servedOutput = (fingerprint = FP_NEW, enddate = 'Jan 30 00:00:00 2027 GMT'): string =>
  `sha256 Fingerprint=${fingerprint}\nnotAfter=${enddate}\n`;
