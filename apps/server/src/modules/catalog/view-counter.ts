import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import type { Clock } from '../../platform/clock';

/** A visitor's views of one item within this window count once. */
export const VIEW_WINDOW_MS = 30 * 60_000;
/** Visitor–item pairs remembered at once; past it the oldest are forgotten first. */
const MAX_REMEMBERED = 100_000;

/**
 * Guide views for "hot items", counted once per visitor (client address), item and window, and
 * kept in memory until `flush` adds them to `catalog_items.popularity` in one transaction, so a
 * view costs no database write. Per instance: two instances may each count a visitor once.
 */
export class ViewCounter {
  /** `visitor\nitem` → when the window ends; insertion order is the order windows end in. */
  private readonly seen = new Map<string, number>();
  private pending = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** True when this view counts (the visitor's first of the item in the window). */
  count(itemId: string, visitor: string): boolean {
    const now = this.clock.now().getTime();
    const key = `${visitor}\n${itemId}`;
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.seen.delete(key);
    this.seen.set(key, now + VIEW_WINDOW_MS);
    this.forget(now);
    this.pending.set(itemId, (this.pending.get(itemId) ?? 0) + 1);
    return true;
  }

  /** Drops windows that have ended, and the oldest ones while there are too many. */
  private forget(now: number): void {
    for (const [key, until] of this.seen) {
      if (until > now && this.seen.size <= MAX_REMEMBERED) break;
      this.seen.delete(key);
    }
  }

  /** Writes the views counted since the last flush; returns how many items were updated. */
  async flush(): Promise<number> {
    this.forget(this.clock.now().getTime());
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const [id, views] of batch) {
          await trx
            .updateTable('catalog_items')
            .set((eb) => ({ popularity: eb('popularity', '+', views) }))
            .where('id', '=', id)
            .execute();
        }
      });
    } catch (err) {
      // Kept for the next flush.
      for (const [id, views] of batch) this.pending.set(id, (this.pending.get(id) ?? 0) + views);
      throw err;
    }
    return batch.size;
  }
}
