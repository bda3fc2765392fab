import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/*
 * The wire shapes of the admission endpoints (snake_case like the rest of the API). Amounts are
 * USD for budgets, counts for tokens and requests.
 */

const TIME = { type: String, format: 'date-time', example: '2026-12-02T00:00:00.000Z' } as const;
export const LIMIT_KINDS = ['budget', 'tokens', 'requests'] as const;
export type LimitKindView = (typeof LIMIT_KINDS)[number];

export class AdmitRequestBody {
  @ApiProperty({ description: 'the id the usage event of this call will carry (settles the hold)' })
  request_id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ example: 'gpt-4o' }) model!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) virtual_key_id?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) user_id?: string | null;
  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', example: '0.25' },
      { type: 'number', example: 0.25 },
    ],
    description:
      'USD held against every matching budget (decimal string for exactness); 0 if absent',
  })
  estimated_cost?: string | number;
  @ApiPropertyOptional({ type: 'integer', description: 'tokens held against token limits' })
  estimated_tokens?: number;
  @ApiPropertyOptional({
    example: '30s',
    description:
      'how long the hold lasts unless settled or released (default ADMISSION_HOLD; at most 24h)',
  })
  hold_for?: string;
}

export class AdmissionLimitView {
  @ApiProperty() model_config_id!: string;
  @ApiProperty({ enum: LIMIT_KINDS }) kind!: LimitKindView;
  @ApiProperty({ description: 'budget id, or rate-limit id for tokens and requests' })
  id!: string;
  @ApiProperty() max_limit!: number;
  @ApiProperty({ description: 'committed usage in the current window' }) current_usage!: number;
  @ApiProperty({ description: 'active holds, this request’s included when it was allowed' })
  reserved!: number;
  @ApiProperty({ description: 'max_limit − current_usage − reserved, at least 0' })
  remaining!: number;
  @ApiProperty({ ...TIME, description: 'end of the current window' }) resets_at!: string;
}

export class BlockingLimitView {
  @ApiProperty() model_config_id!: string;
  @ApiProperty({ enum: LIMIT_KINDS }) kind!: LimitKindView;
  @ApiProperty() id!: string;
  @ApiProperty() max_limit!: number;
  @ApiProperty() current_usage!: number;
  @ApiProperty({ description: 'active holds of other requests' }) reserved!: number;
  @ApiProperty({ ...TIME, description: 'end of the current window' }) resets_at!: string;
}

export class AdmissionResponse {
  @ApiProperty() allowed!: boolean;
  @ApiProperty() request_id!: string;
  @ApiPropertyOptional({ description: 'allowed: the request_id, to settle or release' })
  reservation_id?: string;
  @ApiPropertyOptional({ ...TIME, description: 'allowed: when the hold lapses by itself' })
  expires_at?: string;
  @ApiPropertyOptional({
    type: [AdmissionLimitView],
    description: 'allowed: every matching budget and rate-limit dimension after this hold',
  })
  limits?: AdmissionLimitView[];
  @ApiPropertyOptional({ type: [BlockingLimitView], description: 'refused: each limit exceeded' })
  blocked_by?: BlockingLimitView[];
  @ApiPropertyOptional({
    type: 'integer',
    description: 'refused: seconds until the earliest blocking window resets (also Retry-After)',
  })
  retry_after_seconds?: number;
  @ApiPropertyOptional({
    enum: [true],
    description: 'allowed without any check: Redis was unavailable and ADMISSION_FAILURE_MODE=open',
  })
  degraded?: boolean;
}

export class ReleaseAdmissionResponse {
  @ApiProperty() request_id!: string;
  @ApiProperty({
    description:
      'true: a hold was released; false: none was active (settled, expired, released or never made)',
  })
  released!: boolean;
}
