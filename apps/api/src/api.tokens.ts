/** Injection tokens of the API's non-class providers. */
export const API_KEY_DIGESTS = Symbol('ApiKeyDigests');
