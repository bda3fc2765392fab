import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCOPES } from '@app/governance';

/* Request bodies, for the OpenAPI document; readModelConfigBody does the actual reading. */

export class BudgetBody {
  @ApiPropertyOptional({
    description: 'on update: the budget to keep (else matched by identical reset_duration)',
  })
  id?: string;
  @ApiProperty({
    description: 'USD, greater than zero',
    example: 100,
    minimum: 0,
    exclusiveMinimum: true,
  })
  max_limit!: number;
  @ApiProperty({ description: 'positive duration: Go syntax or d/w/M/Q/Y', example: '1d' })
  reset_duration!: string;
}

export class RateLimitBody {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1 }) token_max_limit?:
    number | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1h' }) token_reset_duration?:
    string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1 }) request_max_limit?:
    number | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1m' }) request_reset_duration?:
    string | null;
}

export class CreateModelConfigBody {
  @ApiProperty({ example: 'gpt-4o', description: '`*` = every model' }) model_name!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'absent or null = every provider; an empty string is rejected',
  })
  provider?: string | null;
  @ApiPropertyOptional({ enum: SCOPES, default: 'global' }) scope?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'required unless scope is global (forced to null for global)',
  })
  scope_id?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) scope_name?: string | null;
  @ApiPropertyOptional({ default: false }) calendar_aligned?: boolean;
  @ApiPropertyOptional({ type: () => [BudgetBody], description: 'distinct positive durations' })
  budgets?: BudgetBody[];
  @ApiPropertyOptional({
    type: () => RateLimitBody,
    nullable: true,
    description: 'each max limit > 0 with its duration',
  })
  rate_limit?: RateLimitBody | null;
}

export class UpdateModelConfigBody {
  @ApiPropertyOptional({ example: 'gpt-4o' }) model_name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) provider?: string | null;
  @ApiPropertyOptional({ enum: SCOPES, description: 'cannot change: must equal the current one' })
  scope?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'cannot change: must equal the current one',
  })
  scope_id?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) scope_name?: string | null;
  @ApiPropertyOptional() calendar_aligned?: boolean;
  @ApiPropertyOptional({
    type: () => [BudgetBody],
    description: 'the full desired set ([] removes all); usage is kept for matched budgets',
  })
  budgets?: BudgetBody[];
  @ApiPropertyOptional({
    type: () => RateLimitBody,
    nullable: true,
    description: 'null (or both max limits null) removes it',
  })
  rate_limit?: RateLimitBody | null;
}
