/** `governance.usage.recorded.v1` data as producers write it (snake_case, dollars as decimals). */
export interface UsageRecordedData {
  request_id: string;
  provider: string;
  model: string;
  virtual_key_id?: string | null;
  user_id?: string | null;
  success?: boolean;
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  /** USD; a decimal string is exact, a JSON number is read through its shortest form. */
  cost?: string | number;
  streaming?: boolean;
  final_chunk?: boolean;
}
