import { GovernanceError } from '../errors/governance-error';
import { CalendarUnit, calendarUnitOf, parseDuration } from '../duration/parse-duration';

export interface WindowSpec {
  resetDuration: string;
  calendarAligned: boolean;
  /** where the rolling lattice starts; ignored by calendar periods */
  anchor: Date;
}

const DAY_MS = 86_400_000;

/** Start of the window containing `t`; a time exactly on a boundary opens the new window. */
export function windowStart(limit: WindowSpec, t: Date): Date {
  return new Date(windowStartMs(limit, t));
}

/** windowStart as epoch milliseconds: the hot path of charging allocates no Date for it. */
export function windowStartMs(limit: WindowSpec, t: Date): number {
  const { durationMs, unit } = periodOf(limit);
  if (unit) return calendarStart(unit, t).getTime();
  const anchor = limit.anchor.getTime();
  // Floor toward -infinity: an event before the anchor lands on an earlier lattice point, so a
  // late or back-dated event still has a well-defined window instead of being folded into the first.
  return anchor + Math.floor((t.getTime() - anchor) / durationMs) * durationMs;
}

/** Exclusive end of the window containing `t`: the next window's start. */
export function windowEnd(limit: WindowSpec, t: Date): Date {
  const { durationMs, unit } = periodOf(limit);
  const start = windowStart(limit, t);
  return unit ? calendarNext(unit, start) : new Date(start.getTime() + durationMs);
}

/** Whether the windows are UTC calendar periods (aligned and a day or longer), not a lattice. */
export function isCalendarWindow(
  limit: Pick<WindowSpec, 'resetDuration' | 'calendarAligned'>,
): boolean {
  return periodOf(limit).unit !== null;
}

interface Period {
  durationMs: number;
  unit: CalendarUnit | null;
}

// Parsing a duration string costs more than the window arithmetic; there are few distinct ones.
const periods = new Map<string, Period>();
const MAX_CACHED_PERIODS = 10_000;

function periodOf(limit: Pick<WindowSpec, 'resetDuration' | 'calendarAligned'>): Period {
  const key = `${limit.resetDuration}\u0000${limit.calendarAligned}`;
  let period = periods.get(key);
  if (!period) {
    period = parsePeriod(limit);
    if (periods.size >= MAX_CACHED_PERIODS) periods.clear();
    periods.set(key, period);
  }
  return period;
}

function parsePeriod(limit: Pick<WindowSpec, 'resetDuration' | 'calendarAligned'>): Period {
  const parsed = parseDuration(limit.resetDuration);
  if (parsed === null || parsed <= 0) {
    throw new GovernanceError(
      'invalid_model_config',
      `Invalid reset duration (must be a positive duration): ${limit.resetDuration}`,
    );
  }
  // Dates have millisecond resolution, so a shorter window could not be told apart.
  const durationMs = Math.max(1, Math.floor(parsed));
  // Sub-day windows stay rolling even when aligned (`0.5d`): Bifrost's guard against reset loops.
  const aligned = limit.calendarAligned && durationMs >= DAY_MS;
  return { durationMs, unit: aligned ? calendarUnitOf(limit.resetDuration) : null };
}

/** UTC period start; the number before the unit is ignored, so `7d` aligned resets daily. */
function calendarStart(unit: CalendarUnit, t: Date): Date {
  const [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()];
  switch (unit) {
    case 'd':
      return new Date(Date.UTC(y, m, d));
    case 'w':
      // getUTCDay is 0 on Sunday; ISO weeks start on Monday.
      return new Date(Date.UTC(y, m, d - ((t.getUTCDay() + 6) % 7)));
    case 'M':
      return new Date(Date.UTC(y, m, 1));
    case 'Q':
      // UTC calendar quarters start in January, April, July and October.
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'Y':
      return new Date(Date.UTC(y, 0, 1));
  }
}

function calendarNext(unit: CalendarUnit, start: Date): Date {
  const [y, m, d] = [start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()];
  switch (unit) {
    case 'd':
      return new Date(Date.UTC(y, m, d + 1));
    case 'w':
      return new Date(Date.UTC(y, m, d + 7));
    case 'M':
      return new Date(Date.UTC(y, m + 1, 1));
    case 'Q':
      return new Date(Date.UTC(y, m + 3, 1));
    case 'Y':
      return new Date(Date.UTC(y + 1, 0, 1));
  }
}
