/**
 * Bytes that do not follow the protocol: a truncated field, an impossible length, an unknown API.
 * Kafka errors that belong in a response are values (an error code), never this; a thrown
 * ProtocolError means "close this connection".
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
