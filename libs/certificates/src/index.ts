// The fleet's certificates: the history of every node's certificate (a facts observer in the
// worker) and the report (GET /certificates, paged or as CSV), over Postgres.
export * from './certificate-csv';
export * from './certificate-facts-observer';
export * from './certificate-history.repository';
export * from './certificate-report.repository';
export * from './certificate-report.service';
export * from './certificate-report.types';
export * from './certificates.module';
export * from './days-left';
export * from './renewal-schedule';
