import { AssignerProtocol, Kafka } from 'kafkajs';

/** One member of a consumer group: what it subscribed to and what it was given. */
export interface GroupMember {
  memberId: string;
  subscription: string[];
  assignment: Record<string, number[]>;
}

export type ConsumptionProblem =
  | { kind: 'foreign_topics'; topics: string[] }
  | { kind: 'unassigned_partitions'; topic: string; partitions: number[] };

/**
 * Why a member is not consuming its own topics although its group is stable: the group gave
 * it topics it never subscribed to (another deployment shares the group id), or partitions of
 * its topics that have lag are held by no member subscribed to them.
 */
export function consumptionProblems(
  self: { memberId: string; topics: string[] },
  members: readonly GroupMember[],
  lagging: ReadonlyMap<string, readonly number[]>,
): ConsumptionProblem[] {
  const problems: ConsumptionProblem[] = [];
  const mine = members.find((m) => m.memberId === self.memberId);
  const foreign = Object.keys(mine?.assignment ?? {}).filter((t) => !self.topics.includes(t));
  if (foreign.length > 0) problems.push({ kind: 'foreign_topics', topics: foreign.sort() });
  for (const topic of self.topics) {
    const held = new Set(
      members
        .filter((m) => m.subscription.includes(topic))
        .flatMap((m) => m.assignment[topic] ?? []),
    );
    const partitions = (lagging.get(topic) ?? []).filter((p) => !held.has(p));
    if (partitions.length > 0) problems.push({ kind: 'unassigned_partitions', topic, partitions });
  }
  return problems;
}

/** The members of a stable group, decoded; null while it rebalances (nothing to judge yet). */
export async function describeGroupMembers(
  kafka: Kafka,
  groupId: string,
): Promise<GroupMember[] | null> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (!group || group.state !== 'Stable') return null;
    return group.members.map((m) => ({
      memberId: m.memberId,
      subscription: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? [],
      assignment: AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {},
    }));
  } finally {
    await admin.disconnect();
  }
}
