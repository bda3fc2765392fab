import { parseDuration } from '../duration/parse-duration';
import { invalidModelConfig } from '../errors/governance-error';
import { BudgetDefinition } from '../model/model-config';
import { checkLength } from './check-length';

export function validateBudgets(budgets: readonly BudgetDefinition[]): void {
  const ids = new Set<string>();
  // Compared parsed, not as text: `1d` and `24h` are the same window and would double-count.
  const durations = new Set<number>();
  for (const budget of budgets) {
    checkLength('budget id', budget.id);
    if (budget.maxLimit <= 0n)
      throw invalidModelConfig('Budget max_limit must be greater than zero');
    const ms = parseDuration(budget.resetDuration);
    if (ms === null || ms <= 0) {
      throw invalidModelConfig(
        `Invalid reset duration (must be a positive duration): ${budget.resetDuration}`,
      );
    }
    if (durations.has(ms)) {
      throw invalidModelConfig(`Duplicate reset_duration in budgets: ${budget.resetDuration}`);
    }
    if (ids.has(budget.id)) throw invalidModelConfig(`Duplicate budget id: ${budget.id}`);
    durations.add(ms);
    ids.add(budget.id);
  }
}
