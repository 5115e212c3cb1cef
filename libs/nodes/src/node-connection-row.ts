/** What the worker reads about a node to reach it. */
export interface NodeConnectionRow {
  id: number;
  name: string;
  host: string;
  port: number;
  sshUser: string;
  credentialType: string;
  credential: string;
  hostKeyFingerprint: string | null;
  hostKeyAlgorithm: string | null;
  facts: unknown;
}
