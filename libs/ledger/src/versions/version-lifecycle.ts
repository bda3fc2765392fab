import { RedisClient } from '@app/redis';
import { DataSource } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { carryHolds } from '../admission/carry-holds';
import { runningBuild } from '../replay/build-lock';
import { writeActivePointer } from './active-pointer';
import { takeLogLock } from './log-lock';
import { VersionRecord, VersionRegistry } from './version-registry';
import { dropVersion } from './version-schema';

export type LifecycleRefusal =
  | 'unknown_version'
  | 'already_active'
  | 'not_following'
  | 'redis_not_ready'
  | 'no_previous_version'
  | 'active_version'
  | 'being_built'
  | 'recently_active'
  | 'nothing_to_prune';

/** A switch, rollback or prune the registry's state does not allow (CLI exit code 1). */
export class LifecycleRefusedError extends Error {
  constructor(
    readonly code: LifecycleRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'LifecycleRefusedError';
  }
}

export interface SwitchResult {
  from: number;
  to: number;
  /** admission holds copied from the previous version into the new active one */
  holdsCarried: number;
}

export interface SwitchOptions {
  /**
   * How long API instances may still admit on the previous version (they follow the pointer
   * every poll interval): the holds are carried once more after it. 0: once only.
   */
  followMs?: number;
}

/**
 * Switches, rolls back and prunes read-model versions. Every change to the set of followed
 * versions happens under the exclusive log lock: no live batch is in flight, and every batch
 * after the commit applies its events to exactly the new set (see log-lock.ts).
 */
export class VersionLifecycle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    private readonly registry: VersionRegistry,
    private readonly redisKeyPrefix: string,
  ) {}

  /**
   * Makes `targetId` active: one transaction flips the statuses (the old active one becomes
   * 'following', so it stays current for a rollback), then the Redis pointer moves. The
   * target must be following (level with the log) and have a complete Redis projection.
   * Then the admission holds are carried over (see carryHolds), and again once every API
   * instance follows the new version.
   */
  async switchTo(targetId: number, options: SwitchOptions = {}): Promise<SwitchResult> {
    const flipped = await this.dataSource.transaction(async (m) => {
      await takeLogLock(m, 'exclusive');
      const versions = await this.registry.list(m);
      const target = versions.find((v) => v.id === targetId);
      const active = versions.find((v) => v.status === 'active');
      if (!target) throw refused('unknown_version', `version ${targetId} does not exist`);
      if (!active) throw new Error('No active read-model version in the registry');
      if (target.id === active.id) {
        throw refused('already_active', `version ${targetId} is already active`);
      }
      if (target.status !== 'following') {
        throw refused(
          'not_following',
          `version ${targetId} is ${target.status}: only a version the projector follows ` +
            `(a finished build) can become active`,
        );
      }
      if (target.redisReadyAt === null) {
        throw refused(
          'redis_not_ready',
          `version ${targetId} has no complete Redis projection yet (the build sets it last)`,
        );
      }
      await this.registry.setStatus(active.id, 'following', m);
      await this.registry.setStatus(target.id, 'active', m);
      return { from: active.id, to: target.id };
    });
    await writeActivePointer(this.redis, this.redisKeyPrefix, flipped.to);
    const [from, to] = [this.registry.version(flipped.from), this.registry.version(flipped.to)];
    let holdsCarried = await carryHolds(this.redis, from, to);
    if (options.followMs) {
      await sleep(options.followMs);
      holdsCarried += await carryHolds(this.redis, from, to);
    }
    return { ...flipped, holdsCarried };
  }

  /** Makes the version active before the current one active again (both kept following). */
  async rollback(options: SwitchOptions = {}): Promise<SwitchResult> {
    const previous = (await this.registry.list())
      .filter((v) => v.status === 'following' && v.deactivatedAt !== null)
      .sort((a, b) => b.deactivatedAt!.getTime() - a.deactivatedAt!.getTime())[0];
    if (!previous) {
      throw refused(
        'no_previous_version',
        'no previously active version is still kept (pruned, or never switched)',
      );
    }
    return this.switchTo(previous.id, options);
  }

  /**
   * Retires versions and drops their tables and Redis keys. With `versionId`: that one (not
   * the active one, not one a running build writes; an abandoned build's version may go). Without: every version that was active before and
   * is only followed now. Either way a version that was active less than `graceMs` ago (two
   * poll intervals: an API instance may still be reading it) is refused.
   */
  async prune(options: { versionId?: number; graceMs: number; now?: Date }): Promise<number[]> {
    const now = options.now ?? new Date();
    const versions = await this.registry.list();
    const building = (await runningBuild(this.dataSource))?.version ?? null;
    const chosen = this.prunable(versions, options.versionId, options.graceMs, now, building);
    await this.dataSource.transaction(async (m) => {
      await takeLogLock(m, 'exclusive');
      for (const v of chosen) await this.registry.setStatus(v.id, 'retired', m);
    });
    for (const v of chosen) {
      await dropVersion(this.dataSource, this.redis, this.registry.version(v.id));
    }
    return chosen.map((v) => v.id);
  }

  private prunable(
    versions: VersionRecord[],
    versionId: number | undefined,
    graceMs: number,
    now: Date,
    building: number | null,
  ): VersionRecord[] {
    const recent = (v: VersionRecord) =>
      v.deactivatedAt !== null && now.getTime() - v.deactivatedAt.getTime() <= graceMs;
    if (versionId === undefined) {
      const previous = versions.filter((v) => v.status === 'following' && v.deactivatedAt);
      const chosen = previous.filter((v) => !recent(v));
      if (chosen.length === 0) {
        throw refused(
          previous.length > 0 ? 'recently_active' : 'nothing_to_prune',
          previous.length > 0
            ? `version ${previous.map((v) => v.id).join(', ')} was active less than ` +
                `${graceMs} ms ago; try again shortly`
            : 'no previously active version to prune (name one with --version)',
        );
      }
      return chosen;
    }
    const target = versions.find((v) => v.id === versionId);
    if (!target) throw refused('unknown_version', `version ${versionId} does not exist`);
    if (target.status === 'active') {
      throw refused('active_version', `version ${versionId} is active: switch away from it first`);
    }
    if (target.status === 'building' && building === target.id) {
      throw refused(
        'being_built',
        `version ${versionId} is being built right now: stop that build first`,
      );
    }
    if (recent(target)) {
      throw refused(
        'recently_active',
        `version ${versionId} was active less than ${graceMs} ms ago; try again shortly`,
      );
    }
    return [target];
  }
}

function refused(code: LifecycleRefusal, message: string): LifecycleRefusedError {
  return new LifecycleRefusedError(code, message);
}
