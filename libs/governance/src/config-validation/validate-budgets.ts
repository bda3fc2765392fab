import { invalidModelConfig } from '../errors/governance-error';
import { formatDollarsString } from '../money/nanos';
import { MAX_BUDGET_LIMIT_NANOS } from '../limits-of-input/supported-ranges';
import { BudgetDefinition } from '../model/model-config';
import { checkDuration } from './check-duration';
import { checkText } from './check-length';

export function validateBudgets(budgets: readonly BudgetDefinition[]): void {
  const ids = new Set<string>();
  // Compared parsed, not as text: `1d` and `24h` are the same window and would double-count.
  const durations = new Set<number>();
  for (const budget of budgets) {
    checkText('budget id', budget.id);
    if (budget.maxLimit <= 0n)
      throw invalidModelConfig('Budget max_limit must be greater than zero');
    if (budget.maxLimit > MAX_BUDGET_LIMIT_NANOS) {
      throw invalidModelConfig(
        `Budget max_limit must be at most ${formatDollarsString(MAX_BUDGET_LIMIT_NANOS)}`,
      );
    }
    const ms = checkDuration('reset_duration', 'reset duration', budget.resetDuration);
    if (durations.has(ms)) {
      throw invalidModelConfig(`Duplicate reset_duration in budgets: ${budget.resetDuration}`);
    }
    if (ids.has(budget.id)) throw invalidModelConfig(`Duplicate budget id: ${budget.id}`);
    durations.add(ms);
    ids.add(budget.id);
  }
}
