/** Injection tokens of the projector's non-class providers. */
export const PINO = Symbol('pino.Logger');
export const DLQ_PRODUCER = Symbol('DlqProducer');
