import { requiredObject, requiredString } from './field-readers';

/** `governance.model_config.deleted.v1` data -> the deleted config's id. */
export function decodeModelConfigDeleted(value: unknown, label: string): string {
  const data = requiredObject(value, label);
  return requiredString(data.id, 'data.id');
}
