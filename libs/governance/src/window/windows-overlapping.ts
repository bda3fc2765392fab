import {
  isCalendarWindow,
  WindowSpec,
  windowEnd,
  windowStart,
  windowStartMs,
} from './window-start';

export interface WindowBounds {
  start: Date;
  /** exclusive: the next window's start */
  end: Date;
}

/** How many windows overlap [from, to) (to exclusive), without building them. */
export function countWindowsOverlapping(limit: WindowSpec, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (isCalendarWindow(limit)) return calendarWindowsOverlapping(limit, from, to).length;
  const first = windowStartMs(limit, from);
  const last = windowStartMs(limit, new Date(to.getTime() - 1));
  const length = windowEnd(limit, from).getTime() - first;
  return (last - first) / length + 1;
}

/**
 * Every window overlapping [from, to), oldest first. Callers bound the count first with
 * countWindowsOverlapping: a 1s window over a year is 31M windows.
 */
export function windowsOverlapping(limit: WindowSpec, from: Date, to: Date): WindowBounds[] {
  if (to.getTime() <= from.getTime()) return [];
  if (isCalendarWindow(limit)) return calendarWindowsOverlapping(limit, from, to);
  const first = windowStartMs(limit, from);
  const length = windowEnd(limit, from).getTime() - first;
  const windows: WindowBounds[] = [];
  for (let start = first; start < to.getTime(); start += length) {
    windows.push({ start: new Date(start), end: new Date(start + length) });
  }
  return windows;
}

// Calendar periods are a day or longer, so a bounded range holds few of them: walk them.
function calendarWindowsOverlapping(limit: WindowSpec, from: Date, to: Date): WindowBounds[] {
  const windows: WindowBounds[] = [];
  for (let start = windowStart(limit, from); start.getTime() < to.getTime();) {
    const end = windowEnd(limit, start);
    windows.push({ start, end });
    start = end;
  }
  return windows;
}
