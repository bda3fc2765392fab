/** The transport-neutral view of a consumed record that the decoder needs. */
export interface RawRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | undefined>;
}
