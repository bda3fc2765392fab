import { ModelConfigDefinition } from '../model/model-config';
import { TrackedLimit } from '../model/tracked-limit';
import { isCalendarWindow } from '../window/window-start';
import { LimitShape, limitShapesOf } from './limit-shapes';

/**
 * The counter series of a config version. A series keeps its counter key and anchor, and so its
 * usage (a new max limit applies to the running window), when its window is unchanged: a budget
 * with the same id and duration, a rate-limit dimension with the same duration (a config has one
 * rate limit, whatever its id), in both cases with the same kind of window (alignment only
 * matters for day-or-longer durations). Any other change starts a series at zero.
 */
export function trackedLimitsFor(
  def: ModelConfigDefinition,
  previous: readonly TrackedLimit[],
  generation: string,
): TrackedLimit[] {
  // The first version's windows start at creation; a later change starts them at the change.
  const newAnchor = previous.length === 0 ? def.createdAt : def.updatedAt;
  return limitShapesOf(def).map((shape) => {
    const next = { resetDuration: shape.resetDuration, calendarAligned: def.calendarAligned };
    const kept = previous.find(
      (p) =>
        p.kind === shape.kind &&
        p.dimension === shape.dimension &&
        (p.kind === 'rate_limit' || p.limitId === shape.limitId) &&
        p.resetDuration === shape.resetDuration &&
        isCalendarWindow(p) === isCalendarWindow(next),
    );
    return {
      ...shape,
      configId: def.id,
      calendarAligned: def.calendarAligned,
      anchor: kept?.anchor ?? newAnchor,
      counterKey: kept?.counterKey ?? counterKeyOf(def.id, shape, generation),
    };
  });
}

const counterKeyOf = (configId: string, shape: LimitShape, generation: string): string =>
  `${configId}/${shape.kind}/${shape.limitId}/${shape.dimension}/${generation}`;
