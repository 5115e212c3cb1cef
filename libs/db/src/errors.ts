/** A requested record does not exist (→ 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The request conflicts with the current state (→ 409), e.g. a duplicate name or a stopped task. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
