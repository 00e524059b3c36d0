/**
 * What the log cleaner remembers about one partition between passes, for delete.retention.ms:
 * when each offset was first covered by a completed cleaning pass (tombstones are removed
 * delete.retention.ms after that), and since when each transaction marker has had no data left
 * (markers go delete.retention.ms after that).
 *
 * It is kept in memory only. Kafka (KIP-534) stores a delete horizon in the batch instead; here a
 * restart forgets it, which errs on the safe side: the first pass after a restart counts as the
 * first to see every tombstone and marker, so they are kept up to one delete.retention.ms longer,
 * never shorter.
 */
export class CleanerMemory {
  /** Completed passes, oldest first, each covering more than the previous: [.., end) seen at `at`. */
  private passes: { end: bigint; at: number }[] = [];
  /** Marker offset → time a pass first found its transaction's data gone. */
  private markers = new Map<bigint, number>();

  /** When a completed pass first covered `offset`; undefined if none has yet. */
  firstSeen(offset: bigint): number | undefined {
    return this.passes.find((p) => offset < p.end)?.at;
  }

  /** A tombstone at `offset` may go: a pass saw it at least `retentionMs` ago. */
  tombstoneExpired(offset: bigint, now: number, retentionMs: number): boolean {
    const seen = this.firstSeen(offset);
    return seen !== undefined && now - seen >= retentionMs;
  }

  /** When a pass first found the data of the marker's transaction gone. */
  markerDataGoneSince(offset: bigint): number | undefined {
    return this.markers.get(offset);
  }

  /**
   * Records a completed pass over [.., end) at `now`, and the markers it found without data (the
   * complete set, since a pass walks every marker up to `end`).
   */
  completePass(end: bigint, now: number, retentionMs: number, dataGoneMarkers: Map<bigint, number>): void {
    this.markers = dataGoneMarkers;
    if (this.passes.length === 0 || end > this.passes.at(-1)!.end) this.passes.push({ end, at: now });
    // Passes older than the retention all make their offsets expired; one entry says as much.
    const old = this.passes.filter((p) => now - p.at >= retentionMs);
    if (old.length > 1) {
      const merged = old.at(-1)!;
      this.passes = [merged, ...this.passes.slice(old.length)];
    }
  }
}
