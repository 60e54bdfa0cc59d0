import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  checkBasicCode,
  ITEM_TYPE_KEYS,
  legalFieldsSchema,
  type ServiceFields,
  serviceFieldsSchema,
} from '@govflow/shared';
import { DEMO_ITEMS, type DemoItemSpec } from '../src/seed/catalog/demo-items';
import { generateSyntheticItems } from '../src/seed/catalog/synthetic';

/** Department names seeded by seed/demo-city.ts (CITY_DEPARTMENTS and DISTRICT_DEPARTMENTS are not exported). */
function demoCityDepartments(): Set<string> {
  const src = readFileSync(new URL('../src/seed/demo-city.ts', import.meta.url), 'utf8');
  const block = (start: string, end: string) => {
    const from = src.indexOf(start);
    assert.ok(from >= 0, `${start} not found in demo-city.ts`);
    return src.slice(from, src.indexOf(end, from));
  };
  const names = new Set<string>();
  for (const part of [block('const CITY_DEPARTMENTS', '];'), block('const DISTRICT_DEPARTMENTS', '};')]) {
    for (const m of part.matchAll(/'([^']+)'/g)) if (!/^\d+$/.test(m[1])) names.add(m[1]);
  }
  return names;
}

function byName(name: string): DemoItemSpec {
  const item = DEMO_ITEMS.find((i) => i.legal.name === name);
  assert.ok(item, `demo item ${name} is missing`);
  return item;
}

const service = (item: DemoItemSpec): ServiceFields => serviceFieldsSchema.parse(item.service);

function checkItem(item: DemoItemSpec, departments?: Set<string>): string[] {
  const problems: string[] = [];
  const where = `${item.basicCode} ${item.legal.name}`;
  const legal = legalFieldsSchema.safeParse(item.legal);
  const svc = serviceFieldsSchema.safeParse(item.service);
  if (!legal.success) problems.push(`${where}: legal fields: ${legal.error.message}`);
  if (!svc.success) problems.push(`${where}: service fields: ${svc.error.message}`);
  const code = checkBasicCode(item.basicCode);
  if (!code.ok) problems.push(`${where}: basic code ${code.problem}`);
  else if (code.type !== item.legal.type)
    problems.push(`${where}: code type ${code.type} ≠ ${item.legal.type}`);
  if (item.handlingItem !== undefined && !/^\d{2}$/.test(item.handlingItem))
    problems.push(`${where}: handling item ${item.handlingItem}`);
  if (item.popularity !== undefined && (item.popularity < 0 || item.popularity > 1000))
    problems.push(`${where}: popularity ${item.popularity}`);
  if (departments && !departments.has(item.department))
    problems.push(`${where}: unknown department ${item.department}`);
  if (legal.success && svc.success) {
    const s = svc.data;
    const scenarios = new Set(s.scenarios.map((x) => x.key));
    for (const x of [...s.materials, ...s.conditions]) {
      if (x.scenarioKey !== null && !scenarios.has(x.scenarioKey))
        problems.push(`${where}: ${x.key} refers to missing scenario ${x.scenarioKey}`);
    }
    for (const [what, keys] of [
      ['material', s.materials.map((m) => m.key)],
      ['condition', s.conditions.map((c) => c.key)],
      ['scenario', s.scenarios.map((c) => c.key)],
    ] as const) {
      if (new Set(keys).size !== keys.length) problems.push(`${where}: duplicate ${what} keys`);
    }
    const stat = legal.data.statutoryLimit;
    if (stat.unit === s.promisedLimit.unit && s.promisedLimit.days > stat.days)
      problems.push(`${where}: promised ${s.promisedLimit.days} > statutory ${stat.days}`);
    if (legal.data.hasFee !== s.fees.length > 0 && !(legal.data.hasFee && legal.data.feeBasis))
      problems.push(`${where}: hasFee does not match the fee standards`);
  }
  return problems;
}

describe('demo catalogue (沈阳市)', () => {
  const departments = demoCityDepartments();

  it('reads the demo city departments', () => {
    assert.ok(departments.has('沈阳市市场监督管理局'));
    assert.ok(departments.has('和平区民政局'));
    assert.equal(departments.size, 21);
  });

  it('has at least 300 items, every one valid', () => {
    assert.ok(DEMO_ITEMS.length >= 300, `only ${DEMO_ITEMS.length} items`);
    const problems = DEMO_ITEMS.flatMap((i) => checkItem(i, departments));
    assert.deepEqual(problems, []);
  });

  it('has unique basic codes and unique names', () => {
    const codes = DEMO_ITEMS.map((i) => i.basicCode);
    assert.equal(new Set(codes).size, codes.length);
    const names = DEMO_ITEMS.map((i) => i.legal.name);
    assert.equal(new Set(names).size, names.length);
  });

  it('covers the 10 power types and public services with at least 10 items each', () => {
    const counts = new Map<string, number>();
    for (const i of DEMO_ITEMS) counts.set(i.legal.type, (counts.get(i.legal.type) ?? 0) + 1);
    assert.equal(ITEM_TYPE_KEYS.length, 11);
    for (const type of ITEM_TYPE_KEYS)
      assert.ok((counts.get(type) ?? 0) >= 10, `${type}: ${counts.get(type) ?? 0}`);
  });

  it('spreads items over the departments, with district-level items', () => {
    const used = new Set(DEMO_ITEMS.map((i) => i.department));
    assert.equal(used.size, departments.size, 'every demo department implements at least one item');
    const district = DEMO_ITEMS.filter((i) => i.legal.exerciseLevel === 'district');
    assert.ok(district.length >= 10);
    for (const i of district) assert.match(i.department, /^(和平区|沈河区)/);
  });

  it('tags items for navigation and search', () => {
    for (const i of DEMO_ITEMS) {
      const s = service(i);
      assert.ok(s.themes.length > 0, `${i.legal.name}: no theme`);
      assert.ok(s.keywords.length > 0, `${i.legal.name}: no keywords`);
    }
    const lifeEvents = new Set(DEMO_ITEMS.flatMap((i) => service(i).lifeEvents));
    for (const e of ['出生', '上学', '就业', '结婚', '置业', '退休', '身后']) assert.ok(lifeEvents.has(e), e);
    const groups = new Set(DEMO_ITEMS.flatMap((i) => service(i).targetGroups));
    for (const g of ['儿童', '高校毕业生', '老年人', '残疾人', '退役军人']) assert.ok(groups.has(g), g);
    assert.ok(service(byName('普通护照签发')).keywords.includes('出国'));
  });

  it('执业药师首次注册: 20 working days statutory, 10 promised, with its conditions and materials', () => {
    const item = byName('执业药师首次注册');
    assert.equal(item.legal.type, 'licensing');
    assert.deepEqual(item.legal.statutoryLimit, { days: 20, unit: 'working' });
    assert.deepEqual(item.service.promisedLimit, { days: 10, unit: 'working' });
    assert.match(item.legal.legalBasis, /《执业药师注册管理办法》/);
    const s = service(item);
    const cert = s.materials.find((m) => m.name === '执业药师职业资格证书');
    assert.equal(cert?.reuseClass, 'while-valid');
    assert.ok(s.materials.some((m) => m.name.includes('身份证')));
    const rules = s.conditions.map((c) => c.rule).join(' ');
    assert.match(rules, /person\.alive/);
    assert.match(rules, /exam\.pharmacist\.passed/);
  });

  it('残疾人两项补贴: a benefit with two scenarios, 100 and 80 yuan a month, no fee', () => {
    const item = byName('残疾人两项补贴');
    assert.equal(item.legal.type, 'benefit');
    assert.equal(item.legal.hasFee, false);
    const s = service(item);
    assert.deepEqual(s.fees, []);
    const scenarios = s.scenarios.map((x) => x.name);
    assert.ok(scenarios.includes('困难残疾人生活补贴'));
    assert.ok(scenarios.includes('重度残疾人护理补贴'));
    assert.match(s.description, /每人每月100元/);
    assert.match(s.description, /每人每月80元/);
    const living = s.scenarios.find((x) => x.name === '困难残疾人生活补贴');
    const nursing = s.scenarios.find((x) => x.name === '重度残疾人护理补贴');
    assert.ok(s.conditions.some((c) => c.scenarioKey === living?.key));
    assert.ok(s.conditions.some((c) => c.scenarioKey === nursing?.key));
  });

  it('对教师申诉作出的裁决: adjudication within 30 working days', () => {
    const item = byName('对教师申诉作出的裁决');
    assert.equal(item.legal.type, 'adjudication');
    assert.deepEqual(item.legal.statutoryLimit, { days: 30, unit: 'working' });
  });

  it('外商投资的公司备案登记: 即办件, promised 1 day, statutory 20 working days', () => {
    const item = byName('外商投资的公司备案登记');
    assert.equal(item.service.caseType, 'immediate');
    assert.equal(item.service.promisedLimit.days, 1);
    assert.deepEqual(item.legal.statutoryLimit, { days: 20, unit: 'working' });
  });

  it('城市道路挖掘修复费征收: a levy with a per-m² table by road surface', () => {
    const item = byName('城市道路挖掘修复费征收');
    assert.equal(item.legal.type, 'levy');
    assert.equal(item.legal.hasFee, true);
    const fee = service(item).fees[0];
    assert.equal(fee.kind, 'table');
    if (fee.kind !== 'table') return;
    assert.equal(fee.unit, '平方米');
    assert.equal(fee.input, '路面类型');
    const rows = new Map(fee.rows.map((r) => [r.label, r.amountFen]));
    assert.equal(rows.get('沥青路面'), 52000);
    assert.equal(rows.get('石材路面'), 50000);
    assert.equal(rows.get('水泥混凝土路面'), 30000);
    assert.equal(rows.get('土路面'), 3000);
    assert.equal(fee.rows[0].label, '沥青路面');
    assert.equal(fee.rows.at(-1)?.label, '土路面');
    const amounts = fee.rows.map((r) => r.amountFen);
    assert.deepEqual(
      amounts,
      [...amounts].sort((a, b) => b - a),
      'rows run from the dearest surface down to earth',
    );
    assert.match(fee.basis, /标准/);
  });

  it('股权出质登记, 食品安全抽样检验, 超比例安排残疾人就业奖励 have their types', () => {
    assert.equal(byName('股权出质登记').legal.type, 'confirmation');
    assert.equal(byName('食品安全抽样检验').legal.type, 'inspection');
    assert.equal(byName('超比例安排残疾人就业奖励').legal.type, 'reward');
  });
});

describe('synthetic catalogue', () => {
  it('generates 20,000 valid items with unique basic codes', () => {
    const items = generateSyntheticItems(20000);
    assert.equal(items.length, 20000);
    const codes = new Set(items.map((i) => i.basicCode));
    assert.equal(codes.size, 20000);
    for (const i of items) {
      const problems = checkItem(i);
      assert.deepEqual(problems, []);
    }
    const types = new Set(items.map((i) => i.legal.type));
    assert.equal(types.size, ITEM_TYPE_KEYS.length, 'every type is represented');
    assert.ok(new Set(items.map((i) => i.department)).size >= 15, 'spread across departments');
    const demoCodes = new Set(DEMO_ITEMS.map((i) => i.basicCode));
    assert.ok(
      items.every((i) => !demoCodes.has(i.basicCode)),
      'no collision with the demo catalogue',
    );
  });

  it('is deterministic for a seed and varies with it', () => {
    assert.deepEqual(generateSyntheticItems(500, 7), generateSyntheticItems(500, 7));
    assert.notDeepEqual(generateSyntheticItems(50, 7), generateSyntheticItems(50, 8));
    assert.deepEqual(generateSyntheticItems(300, 3), generateSyntheticItems(1000, 3).slice(0, 300));
  });
});
