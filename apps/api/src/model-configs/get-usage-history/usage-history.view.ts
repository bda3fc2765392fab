import { ApiProperty } from '@nestjs/swagger';

const TIME = { type: String, format: 'date-time', example: '2026-01-01T00:00:00.000Z' } as const;

export class UsageWindowView {
  @ApiProperty(TIME) window_start!: string;
  @ApiProperty({ ...TIME, description: 'exclusive: the next window’s start' })
  window_end!: string;
  @ApiProperty({ description: 'USD for a budget, a count for tokens and requests; 0 if unused' })
  usage!: number;
  @ApiProperty({ description: 'the limit’s current max_limit (same unit as usage)' })
  max_limit!: number;
  @ApiProperty({ description: 'usage / max_limit × 100, two decimals; above 100 when overshot' })
  percent_used!: number;
}

export class LimitUsageView {
  @ApiProperty({ enum: ['budget', 'rate_limit'] }) kind!: 'budget' | 'rate_limit';
  @ApiProperty({ description: 'the budget id or the rate-limit id' }) id!: string;
  @ApiProperty({ enum: ['cost', 'tokens', 'requests'] }) dimension!: 'cost' | 'tokens' | 'requests';
  @ApiProperty({ example: '1d' }) reset_duration!: string;
  @ApiProperty() calendar_aligned!: boolean;
  @ApiProperty({ description: 'USD for a budget, a count for tokens and requests' })
  max_limit!: number;
  @ApiProperty({
    ...TIME,
    description:
      'start of this counter series (its window lattice anchor); no window is shown before it, except for events stored before it',
  })
  series_start!: string;
  @ApiProperty({
    type: () => [UsageWindowView],
    description: 'oldest first, every window overlapping the range',
  })
  windows!: UsageWindowView[];
}

export class UsageHistoryResponse {
  @ApiProperty() model_config_id!: string;
  @ApiProperty(TIME) from!: string;
  @ApiProperty({ ...TIME, description: 'exclusive' }) to!: string;
  @ApiProperty({
    type: () => [LimitUsageView],
    description: 'one entry per budget and per rate-limit dimension with a limit',
  })
  limits!: LimitUsageView[];
}
