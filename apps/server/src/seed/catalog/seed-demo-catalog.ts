import type { AppContext } from '../../context';
import { type Caller, systemCaller } from '../../platform/http/caller';
import { DEMO_ITEMS, type DemoItemSpec } from './demo-items';

/**
 * Publishes catalogue items through the same service a department uses (create, then publish), so
 * every item is validated, versioned, audited and indexed for search. Publishing is the system
 * actor's administrative act (a bulk load), not anyone's review. Idempotent: an item whose basic
 * code the department already implements is skipped.
 */
export async function seedCatalog(
  ctx: AppContext,
  specs: DemoItemSpec[] = DEMO_ITEMS,
  onProgress: (done: number, total: number) => void = () => {},
  caller: Caller = systemCaller('demo-seed'),
): Promise<{ created: number }> {
  const departments = new Map(
    (await ctx.db.selectFrom('orgs').select(['id', 'name']).where('kind', '=', 'department').execute()).map(
      (o) => [o.name, o.id],
    ),
  );
  const existing = new Set(
    (await ctx.db.selectFrom('catalog_items').select(['basic_code', 'org_id']).execute()).map(
      (i) => `${i.basic_code}/${i.org_id}`,
    ),
  );
  let created = 0;
  for (const [n, spec] of specs.entries()) {
    const orgId = departments.get(spec.department);
    if (!orgId) throw new Error(`demo catalogue: no department named ${spec.department}`);
    if (!existing.has(`${spec.basicCode}/${orgId}`)) {
      const item = await ctx.catalog.create(caller, {
        orgId,
        basicCode: spec.basicCode,
        handlingItem: spec.handlingItem,
        legal: spec.legal,
        service: spec.service,
        popularity: spec.popularity,
      });
      const [draft] = await ctx.catalog.versions(item.id);
      await ctx.catalog.publishBySystem(caller, draft.id);
      created++;
    }
    if ((n + 1) % 25 === 0 || n + 1 === specs.length) onProgress(n + 1, specs.length);
  }
  return { created };
}
