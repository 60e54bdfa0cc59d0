import type { AppContext } from '../context';
import { RESOURCE_SOURCES, type ResourceSourceName } from '../modules/datahub/resource-sources';
import type { CreateResourceInput } from '../modules/datahub/sharing';
import { insertPopulation, syntheticPopulation } from '../modules/datahub/synthetic';
import { systemCaller } from '../platform/http/caller';
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

type DemoResource = Omit<CreateResourceInput, 'ownerOrgId' | 'fields'> & {
  owner: string;
  fields: [name: string, sensitive?: boolean][];
};

/** The demo city's shared data resources, one of each share type, most served by the query API. */
const DEMO_RESOURCES: DemoResource[] = [
  {
    code: 'POPULATION-BASIC',
    name: '人口基础信息',
    description: '常住人口的身份、户籍与婚姻状况，来自人口基础信息库。',
    owner: '沈阳市公安局',
    shareType: 'conditional',
    updateCycle: 'daily',
    source: 'population',
    fields: [
      ['idNumber', true],
      ['name'],
      ['gender'],
      ['birthDate'],
      ['regionCode'],
      ['address', true],
      ['householdNo', true],
      ['maritalStatus', true],
      ['alive'],
      ['deathDate'],
    ],
  },
  {
    code: 'LEGAL-ENTITY-BASIC',
    name: '法人基础信息',
    description: '企业、社会组织与事业单位的登记信息及法定代表人。',
    owner: '沈阳市市场监督管理局',
    shareType: 'conditional',
    updateCycle: 'realtime',
    source: 'legal-entities',
    fields: [
      ['creditCode'],
      ['name'],
      ['kind'],
      ['status'],
      ['legalRepName'],
      ['legalRepIdNumber', true],
      ['regionCode'],
      ['establishedOn'],
    ],
  },
  {
    code: 'MINIMUM-INCOME',
    name: '城乡最低生活保障对象',
    description: '享受最低生活保障的对象及起始日期。',
    owner: '沈阳市民政局',
    shareType: 'unconditional',
    updateCycle: 'monthly',
    source: 'minimum-income',
    fields: [['idNumber', true], ['name'], ['minimumIncomeSince']],
  },
  {
    code: 'SOCIAL-INSURANCE',
    name: '社会保险参保信息',
    description: '是否参加基本养老、医疗保险。',
    owner: '沈阳市人力资源和社会保障局',
    shareType: 'conditional',
    updateCycle: 'monthly',
    source: 'social-insurance',
    fields: [['idNumber', true], ['name'], ['insured']],
  },
  {
    code: 'MARRIAGE-FILES',
    name: '婚姻登记档案',
    description: '婚姻登记的原始档案，依法不予共享，仅出具婚姻状况证明。',
    owner: '沈阳市民政局',
    shareType: 'none',
    updateCycle: 'daily',
    source: null,
    fields: [['idNumber', true], ['name'], ['spouseIdNumber', true], ['registeredOn']],
  },
];

/** The departments of the demo city that keep each local library. */
const DEMO_KEEPERS: Record<ResourceSourceName, string> = {
  population: '沈阳市公安局',
  'minimum-income': '沈阳市民政局',
  'social-insurance': '沈阳市人力资源和社会保障局',
  'legal-entities': '沈阳市市场监督管理局',
};

/**
 * Names the keeper of each library that has none, then registers the demo resources when the
 * catalogue of resources is empty.
 */
export async function seedDataResources(ctx: AppContext): Promise<{ created: number }> {
  const caller = systemCaller('govflow-seed');
  for (const [source, keeper] of Object.entries(DEMO_KEEPERS) as [ResourceSourceName, string][]) {
    if (await ctx.datahub.sharing.keeperOf(source)) continue;
    const org = await ctx.db.selectFrom('orgs').select('id').where('name', '=', keeper).executeTakeFirst();
    if (org) await ctx.datahub.sharing.assignKeeper(caller, source, org.id);
  }
  const existing = await ctx.db.selectFrom('dh_resources').select('id').limit(1).executeTakeFirst();
  if (existing) return { created: 0 };
  for (const r of DEMO_RESOURCES) {
    const owner = await ctx.db.selectFrom('orgs').select('id').where('name', '=', r.owner).executeTakeFirst();
    if (!owner) continue;
    const labels: Record<string, string> = r.source
      ? RESOURCE_SOURCES[r.source].fields
      : { idNumber: '公民身份号码', name: '姓名', spouseIdNumber: '配偶身份号码', registeredOn: '登记日期' };
    await ctx.datahub.sharing.createResource(caller, {
      ...r,
      ownerOrgId: owner.id,
      fields: r.fields.map(([name, sensitive = false]) => ({ name, label: labels[name] ?? name, sensitive })),
    });
  }
  return { created: DEMO_RESOURCES.length };
}
