/**
 * Redis holds no read model yet: it was emptied (a restart, a flush) and the resync has not
 * rewritten it, so whatever it holds (a batch written since) is partial. Not an answer anyone
 * can trust: the API answers 503 "being rebuilt" until the meta seq is back.
 */
export class ReadModelNotReadyError extends Error {
  constructor() {
    super('the Redis read model is not ready');
    this.name = 'ReadModelNotReadyError';
  }
}
