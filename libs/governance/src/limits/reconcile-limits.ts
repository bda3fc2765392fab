import { ModelConfigDefinition } from '../model/model-config';
import { TrackedLimit } from '../model/tracked-limit';
import { LimitShape, limitShapesOf } from './limit-shapes';

/**
 * The counter series of a config version. A limit whose kind, id, dimension, duration and
 * alignment are unchanged keeps its counter key and anchor, so an upsert keeps its usage (a new
 * max limit applies to the running window); any other change starts a series at zero.
 */
export function trackedLimitsFor(
  def: ModelConfigDefinition,
  previous: readonly TrackedLimit[],
  generation: string,
): TrackedLimit[] {
  // The first version's windows start at creation; a later change starts them at the change.
  const newAnchor = previous.length === 0 ? def.createdAt : def.updatedAt;
  return limitShapesOf(def).map((shape) => {
    const kept = previous.find(
      (p) =>
        p.kind === shape.kind &&
        p.limitId === shape.limitId &&
        p.dimension === shape.dimension &&
        p.resetDuration === shape.resetDuration &&
        p.calendarAligned === def.calendarAligned,
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
