import { ApiProperty } from '@nestjs/swagger';
import { SCOPES } from '@app/governance';

/*
 * The wire shapes of the governance API, as TypeScript types and as the OpenAPI schemas
 * (@nestjs/swagger reads the decorators). Field names are Bifrost's, hence snake_case.
 */

const TIME = { type: String, format: 'date-time', example: '2026-01-01T00:00:00.000Z' } as const;
const ABSENT_TOKENS = 'absent without a token limit';
const ABSENT_REQUESTS = 'absent without a request limit';
const HASH = { description: 'SHA-256 hex of the definition (never of usage)', example: 'ab12…' };

export class BudgetView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'USD', example: 100 }) max_limit!: number;
  @ApiProperty({ example: '1d' }) reset_duration!: string;
  @ApiProperty({ ...TIME, description: 'start of the window containing the request time' })
  last_reset!: string;
  @ApiProperty({ description: 'USD spent in the current window', example: 1.25 })
  current_usage!: number;
  @ApiProperty(HASH) config_hash!: string;
  @ApiProperty({ ...TIME, description: 'start of this budget’s counter series' })
  created_at!: string;
  @ApiProperty(TIME) updated_at!: string;
  @ApiProperty() calendar_aligned!: boolean;
  // team_id, virtual_key_id and provider_config_id (Bifrost's other budget owners) are never set
  // on a model config's budget, and Bifrost leaves unset fields out: they are never sent.
}

export class RateLimitView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'tokens in the current window (0 without a token limit)' })
  token_current_usage!: number;
  @ApiProperty({
    ...TIME,
    description: 'start of the current token window; the creation time without a token limit',
  })
  token_last_reset!: string;
  @ApiProperty({ description: 'requests in the current window (0 without a request limit)' })
  request_current_usage!: number;
  @ApiProperty({
    ...TIME,
    description: 'start of the current request window; the creation time without a request limit',
  })
  request_last_reset!: string;
  @ApiProperty(HASH) config_hash!: string;
  @ApiProperty(TIME) created_at!: string;
  @ApiProperty(TIME) updated_at!: string;
  @ApiProperty({ type: Number, required: false, description: 'absent without a token limit' })
  token_max_limit?: number;
  @ApiProperty({ type: String, required: false, example: '1h', description: ABSENT_TOKENS })
  token_reset_duration?: string;
  @ApiProperty({ type: Number, required: false, description: 'absent without a request limit' })
  request_max_limit?: number;
  @ApiProperty({ type: String, required: false, example: '1m', description: ABSENT_REQUESTS })
  request_reset_duration?: string;
}

export class ModelConfigView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'gpt-4o', description: '`*` = every model' }) model_name!: string;
  @ApiProperty({ type: String, required: false, description: 'absent = every provider' })
  provider?: string;
  @ApiProperty({ enum: SCOPES }) scope!: (typeof SCOPES)[number];
  @ApiProperty({ type: String, required: false, description: 'absent for global' })
  scope_id?: string;
  @ApiProperty({ type: String, required: false, description: 'absent when not known' })
  scope_name?: string;
  @ApiProperty() calendar_aligned!: boolean;
  @ApiProperty({ type: () => [BudgetView] }) budgets!: BudgetView[];
  @ApiProperty({
    type: () => BudgetView,
    required: false,
    description: 'the first budget (for older clients), absent without budgets',
  })
  budget?: BudgetView;
  @ApiProperty({ type: () => RateLimitView, required: false, description: 'absent without one' })
  rate_limit?: RateLimitView;
  @ApiProperty(TIME) created_at!: string;
  @ApiProperty(TIME) updated_at!: string;
}

export class ModelConfigListResponse {
  @ApiProperty({ type: () => [ModelConfigView] }) model_configs!: ModelConfigView[];
  @ApiProperty({ description: 'items in this page' }) count!: number;
  @ApiProperty({ description: 'configs matching the filters' }) total_count!: number;
  @ApiProperty({ description: 'the limit used (after capping at 100)' }) limit!: number;
  @ApiProperty({ description: 'the offset used' }) offset!: number;
}

export class ModelConfigResponse {
  @ApiProperty({ type: () => ModelConfigView }) model_config!: ModelConfigView;
}

export class MessageResponse {
  @ApiProperty({ example: 'Model config deleted successfully' }) message!: string;
}

export class ModelConfigMutationResponse {
  @ApiProperty({ example: 'Model config created successfully' }) message!: string;
  @ApiProperty({
    type: () => ModelConfigView,
    description: 'the config after the change',
  })
  model_config!: ModelConfigView;
}

class ErrorField {
  @ApiProperty({ example: 'Model config not found' }) message!: string;
}

class ExtraFields {}

export class BifrostErrorView {
  @ApiProperty({ enum: [false] }) is_bifrost_error!: false;
  @ApiProperty({ description: 'equals the HTTP status', example: 404 }) status_code!: number;
  @ApiProperty({ type: () => ErrorField }) error!: ErrorField;
  @ApiProperty({ type: () => ExtraFields, description: 'always empty' })
  extra_fields!: Record<string, never>;
}
