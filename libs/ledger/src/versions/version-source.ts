import { ReadModelVersion } from '../read-model-version/read-model-version';

/**
 * Where a port finds the read-model version to read. A port resolves it ONCE per call and
 * reads everything of that call from that version, so an answer is never a mix of two. A
 * ReadModelVersion is a source of itself (a fixed version: tests, the CLI, a build).
 */
export interface VersionSource {
  current(): ReadModelVersion;
}
