import type { AppContext } from '../context';
import { insertPopulation, syntheticPopulation } from '../modules/datahub/synthetic';
import { DEMO_CITIZEN_ID_NUMBER } from './demo-city';

/**
 * Fills an empty population library with a synthetic city, the demo citizen 李明 included (a
 * pharmacist-exam pass on record, so the pharmacist item's checks have something to find).
 * Does nothing when the library already holds people.
 */
export async function seedDatahub(
  ctx: AppContext,
  persons: number,
  seed = 1,
  onProgress?: (done: number, total: number) => void,
): Promise<{ created: number }> {
  const existing = await ctx.db
    .selectFrom('dh_persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return { created: 0 };
  const pop = syntheticPopulation(
    persons,
    seed,
    [
      {
        idNumber: DEMO_CITIZEN_ID_NUMBER,
        name: '李明',
        regionCode: '210102',
        lists: ['pharmacist-exam-passed'],
      },
    ],
    ctx.clock.now().toISOString().slice(0, 10),
  );
  await insertPopulation(ctx.db, pop, onProgress);
  return { created: pop.persons.length };
}
