import { makeCreditCode, makeIdNumber } from '@govflow/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import type { DhHouseholdRow, DhLegalEntityRow, DhLicenceRow, DhPersonRow, DhThemeEntryRow } from './tables';

/** mulberry32: the same population for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华海波浩宇欣怡子涵梓轩一诺雨桐思远晨曦嘉怡宏志文博';
/** 沈阳市 districts with street codes the demo city uses (first three streets each). */
const DISTRICTS = ['210102', '210103', '210104', '210105', '210106', '210112'];
const STREET_NAMES = [
  '中华路',
  '太原街',
  '北京街',
  '青年大街',
  '市府大路',
  '北陵大街',
  '建设大路',
  '浑南大道',
];

/** Characters of trade names (字号) and the industries of the demo city's companies. */
const TRADE_NAME_CHARS =
  '盛京浑河北陵东塔沈水辽鑫华泰恒兴隆宏达瑞丰博远佳诚信源德润聚和众安广汇金锦新宇天卓凯力';
const INDUSTRIES = [
  '科技',
  '商贸',
  '餐饮',
  '建筑',
  '物流',
  '医药',
  '食品',
  '文化传媒',
  '机械制造',
  '环保工程',
  '信息技术',
  '物业管理',
];

/**
 * The registered name of company number `n`: 沈阳 + a trade name of two or more characters + an
 * industry + 有限公司, as 沈阳鑫泰物流有限公司. Different numbers always give different names:
 * numbers are taken in blocks (two-character trade names first, then three, and so on), and
 * within a block shuffled by a multiplier prime to the block's size, so neighbours differ.
 */
export function companyName(n: number): string {
  const chars = TRADE_NAME_CHARS.length;
  let rest = n;
  let length = 2;
  while (rest >= INDUSTRIES.length * chars ** length) {
    rest -= INDUSTRIES.length * chars ** length;
    length++;
  }
  const block = INDUSTRIES.length * chars ** length;
  // 7919 is a prime other than 2, 3 and 43, so prime to the block size: a bijection of [0, block).
  let r = Number((BigInt(rest) * 7919n + 101n) % BigInt(block));
  const industry = INDUSTRIES[r % INDUSTRIES.length];
  r = Math.floor(r / INDUSTRIES.length);
  let trade = '';
  for (let i = 0; i < length; i++) {
    trade = TRADE_NAME_CHARS[r % chars] + trade;
    r = Math.floor(r / chars);
  }
  return `沈阳${trade}${industry}有限公司`;
}

export interface SyntheticPopulation {
  households: DhHouseholdRow[];
  persons: DhPersonRow[];
  entities: DhLegalEntityRow[];
  licences: DhLicenceRow[];
  themes: DhThemeEntryRow[];
}

/**
 * What must stay unique when a large population is generated in chunks (one call per chunk, each
 * with its own seed): the ID numbers given out, and the household and company numbering.
 */
export interface PopulationCursor {
  used: Set<string>;
  seqs: Map<string, number>;
  households: number;
  companies: number;
}

export function newPopulationCursor(): PopulationCursor {
  return { used: new Set(), seqs: new Map(), households: 0, companies: 0 };
}

export interface KnownPerson {
  idNumber: string;
  name: string;
  regionCode: string;
  lists?: string[];
}

/**
 * A consistent synthetic population of the demo city: valid ID numbers (unique, check digits
 * right), households of 1–5, about 1 % deceased, 2 % on minimum income, 3 % with a disability
 * certificate, companies with valid credit codes and living adult representatives, driving
 * licences, pharmacist exam passes and teacher records. `known` people (the demo accounts) are
 * included as given. Pass the same `cursor` to successive calls to generate a population in
 * chunks that fit together (no ID number, household or company given out twice).
 */
export function syntheticPopulation(
  count: number,
  seed = 1,
  known: KnownPerson[] = [],
  today = '2026-11-01',
  cursor: PopulationCursor = newPopulationCursor(),
): SyntheticPopulation {
  const rnd = prng(seed);
  const pick = <T>(xs: ArrayLike<T>) => xs[Math.floor(rnd() * xs.length)];
  const { used, seqs } = cursor;
  for (const k of known) used.add(k.idNumber);
  const out: SyntheticPopulation = { households: [], persons: [], entities: [], licences: [], themes: [] };
  const at = `${today}T00:00:00.000Z`;

  const newIdNumber = (region: string, birth: string, male: boolean) => {
    const key = region + birth;
    let seq = seqs.get(key) ?? (male ? 1 : 2);
    let id = makeIdNumber(region, birth, seq);
    while (used.has(id)) {
      seq += 2;
      id = makeIdNumber(region, birth, seq);
    }
    seqs.set(key, seq + 2);
    used.add(id);
    return id;
  };

  const addHousehold = (region: string) => {
    const h: DhHouseholdRow = {
      household_no: `H${region}${String(++cursor.households).padStart(8, '0')}`,
      region_code: `${region}00${1 + Math.floor(rnd() * 3)}`,
      address: `${pick(STREET_NAMES)}${1 + Math.floor(rnd() * 300)}号${1 + Math.floor(rnd() * 30)}-${1 + Math.floor(rnd() * 6)}-${1 + Math.floor(rnd() * 4)}`,
    };
    out.households.push(h);
    return h;
  };

  for (const k of known) {
    const h = addHousehold(k.regionCode);
    const birth = `${k.idNumber.slice(6, 10)}-${k.idNumber.slice(10, 12)}-${k.idNumber.slice(12, 14)}`;
    out.persons.push({
      id_number: k.idNumber,
      name: k.name,
      gender: Number(k.idNumber[16]) % 2 ? 'male' : 'female',
      birth_date: birth,
      household_no: h.household_no,
      death_date: null,
      marital_status: 'married',
      minimum_income_since: null,
      disability_level: null,
      social_security: 1,
      updated_at: at,
    });
    for (const list of k.lists ?? [])
      out.themes.push({ list_code: list, subject: k.idNumber, since: '2020-10-01', detail: '{}' });
  }

  const adults: string[] = [];
  while (out.persons.length < count + known.length) {
    const region = pick(DISTRICTS);
    const h = addHousehold(region);
    const size = Math.min(count + known.length - out.persons.length, 1 + Math.floor(rnd() * 5));
    const surname = pick(SURNAMES);
    for (let m = 0; m < size; m++) {
      const year = m < 2 ? 1940 + Math.floor(rnd() * 65) : 1990 + Math.floor(rnd() * 35);
      const birth = `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      if (birth > today) continue;
      const male = rnd() < 0.5;
      const idNumber = newIdNumber(
        region,
        birth.replaceAll('-', '').replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3'),
        male,
      );
      const age = Number(today.slice(0, 4)) - year;
      const deceased = age > 60 && rnd() < 0.05;
      out.persons.push({
        id_number: idNumber,
        name:
          (m === 0 || rnd() < 0.7 ? surname : pick(SURNAMES)) +
          pick(GIVEN) +
          (rnd() < 0.5 ? pick(GIVEN) : ''),
        gender: male ? 'male' : 'female',
        birth_date: birth,
        household_no: h.household_no,
        death_date: deceased ? `${2000 + Math.floor(rnd() * 26)}-06-15` : null,
        marital_status: age < 22 ? 'single' : rnd() < 0.75 ? 'married' : rnd() < 0.5 ? 'divorced' : 'widowed',
        minimum_income_since: rnd() < 0.02 ? '2023-01-01' : null,
        disability_level: rnd() < 0.03 ? 1 + Math.floor(rnd() * 4) : null,
        social_security: age >= 16 && rnd() < 0.85 ? 1 : 0,
        updated_at: at,
      });
      if (!deceased && age >= 18) {
        adults.push(idNumber);
        if (rnd() < 0.3) {
          out.licences.push({
            id: `L-DL-${idNumber}`,
            holder: idNumber,
            licence_type: 'driving-licence',
            number: idNumber,
            issuer: '沈阳市公安局交通警察支队',
            valid_from: `${Math.min(year + 20, 2024)}-03-01`,
            valid_to: rnd() < 0.9 ? '2032-03-01' : '2025-03-01',
          });
        }
        if (rnd() < 0.005)
          out.themes.push({
            list_code: 'pharmacist-exam-passed',
            subject: idNumber,
            since: '2022-10-01',
            detail: '{"score":"合格"}',
          });
        if (rnd() < 0.01)
          out.themes.push({
            list_code: 'teacher',
            subject: idNumber,
            since: '2015-09-01',
            detail: '{"school":"沈阳市第二十中学"}',
          });
      }
    }
  }

  const companies = Math.max(1, Math.floor(count / 50));
  for (let i = 0; i < companies && adults.length; i++) {
    const c = cursor.companies++;
    const region = pick(DISTRICTS);
    const code = makeCreditCode('91', region, String(10_000_000 + c).slice(-8));
    const status = rnd() < 0.9 ? 'active' : rnd() < 0.5 ? 'revoked' : 'cancelled';
    out.entities.push({
      credit_code: code,
      name: companyName(c),
      kind: 'company',
      status,
      legal_rep_id_number: pick(adults),
      region_code: region,
      established_on: `${2000 + Math.floor(rnd() * 25)}-05-10`,
    });
    if (rnd() < 0.3) {
      out.licences.push({
        id: `L-FB-${code}`,
        holder: code,
        licence_type: 'food-business',
        number: `JY${region}${String(c).padStart(8, '0')}`,
        issuer: '沈阳市市场监督管理局',
        valid_from: '2022-01-01',
        valid_to: '2027-01-01',
      });
    }
  }
  return out;
}

/** Writes a population in batches; replaces nothing (run it on an empty library). */
export async function insertPopulation(
  db: Kysely<Database>,
  pop: SyntheticPopulation,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<void> {
  const batches: [keyof SyntheticPopulation, string, number][] = [
    ['households', 'dh_households', 1000],
    ['persons', 'dh_persons', 500],
    ['entities', 'dh_legal_entities', 500],
    ['licences', 'dh_licences', 500],
    ['themes', 'dh_theme_entries', 500],
  ];
  const total =
    pop.households.length +
    pop.persons.length +
    pop.entities.length +
    pop.licences.length +
    pop.themes.length;
  let done = 0;
  for (const [key, table, size] of batches) {
    const rows = pop[key] as object[];
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      await db.transaction().execute((trx) =>
        trx
          .insertInto(table as 'dh_persons')
          .values(chunk as DhPersonRow[])
          .execute(),
      );
      done += chunk.length;
      onProgress(done, total);
    }
  }
}
