/**
 * Search latency: indexes 20,000 synthetic service items, then runs 1,000 searches drawn from a
 * fixed list of realistic phrases (Han words, pinyin, initials, plain-language questions, a typo),
 * a fifth of them with a facet filter, and 200 suggestions. Prints one JSON object per dialect:
 * index time and p50/p95/p99 in ms. SQLite in a temp dir always; PostgreSQL too when
 * BENCH_DATABASE_URL is set (a fresh schema, dropped afterwards).
 *
 *   npx tsx bench/search.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/search.ts
 */
import os from 'node:os';
import { sql } from 'kysely';
import { connect, type DatabaseTarget } from '../apps/server/src/platform/db/connect';
import { migrateToLatest } from '../apps/server/src/platform/db/migrate';
import { createSearchIndex, type SearchDocument, warmUpTokenizer } from '../apps/server/src/platform/search';
import { benchDatabases, percentile, pick, prng, summary } from './support';

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 20_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const SUGGESTIONS = 200;
const COLLECTION = 'catalog-items';

// [object, the actions it takes, keywords people use for it]
const OBJECTS: [string, string[], string[]?][] = [
  ['食品经营许可证', ['核发', '变更', '延续', '注销', '补办'], ['食品许可']],
  ['食品生产许可证', ['核发', '变更', '延续', '注销']],
  ['食品小作坊', ['登记', '变更登记', '注销登记']],
  ['建设工程规划许可证', ['核发', '变更', '延续']],
  ['建筑工程施工许可证', ['核发', '变更', '延期']],
  ['残疾人两项补贴', ['发放', '申请', '停发', '资格认定'], ['困难残疾人生活补贴', '重度残疾人护理补贴']],
  ['残疾人证', ['核发', '换发', '迁移', '注销']],
  ['社会保障卡', ['申领', '补领', '换领', '挂失', '启用'], ['社保卡']],
  ['普通护照', ['签发', '换发', '补发', '加注']],
  ['往来港澳通行证', ['签发', '换发', '补发', '签注']],
  ['往来台湾通行证', ['签发', '换发', '签注']],
  ['执业药师', ['首次注册', '变更注册', '延续注册', '注销注册']],
  ['医师执业', ['注册', '变更注册', '注销注册', '多机构备案']],
  ['护士执业', ['注册', '变更注册', '延续注册', '注销注册']],
  ['住房公积金', ['提取', '缴存登记', '贷款', '转移接续', '缴存基数调整'], ['公积金']],
  ['营业执照', ['核发', '变更登记', '注销登记', '遗失补领'], ['工商登记']],
  ['个体工商户', ['设立登记', '变更登记', '注销登记']],
  ['外商投资的公司', ['备案登记', '设立登记', '变更登记']],
  ['股权出质', ['设立登记', '变更登记', '注销登记']],
  ['药品经营许可证', ['核发', '变更', '换发', '注销']],
  ['医疗机构执业许可证', ['核发', '变更', '校验', '注销']],
  ['医疗器械经营', ['许可', '备案', '变更备案']],
  ['化妆品生产许可证', ['核发', '变更', '延续']],
  ['道路运输经营许可证', ['核发', '变更', '注销']],
  ['出租汽车驾驶员从业资格证', ['核发', '换发', '注销']],
  ['机动车驾驶证', ['申领', '换证', '补证', '审验'], ['驾照']],
  ['机动车', ['注册登记', '转移登记', '抵押登记', '注销登记', '检验合格标志核发']],
  ['居民身份证', ['申领', '换领', '补领', '临时身份证办理'], ['身份证']],
  ['户口', ['迁入', '迁出', '登记', '注销'], ['户籍']],
  ['出生医学证明', ['签发', '补发', '换发']],
  ['结婚', ['登记', '补领结婚证']],
  ['离婚', ['登记', '补领离婚证']],
  ['最低生活保障', ['审核确认', '待遇发放', '资格复核'], ['低保']],
  ['特困人员救助供养', ['审核确认', '终止']],
  ['临时救助', ['审批', '发放']],
  ['城乡居民基本养老保险', ['参保登记', '待遇申领', '关系转移接续', '注销登记'], ['养老保险']],
  ['失业保险金', ['申领', '停发']],
  ['工伤', ['认定', '劳动能力鉴定', '保险待遇核定']],
  ['生育津贴', ['申领', '支付']],
  ['基本医疗保险', ['参保登记', '关系转移接续', '异地就医备案'], ['医保']],
  ['不动产', ['首次登记', '转移登记', '变更登记', '抵押登记', '查封登记']],
  ['商品房预售许可证', ['核发', '变更']],
  ['城市道路挖掘修复费', ['征收', '减免']],
  ['城市道路', ['挖掘许可', '占用许可']],
  ['户外广告设施', ['设置许可', '变更']],
  ['犬只', ['登记', '年检', '注销']],
  ['公共场所卫生许可证', ['核发', '变更', '延续', '注销']],
  ['大型群众性活动', ['安全许可']],
  ['消防', ['安全检查', '设计审查', '验收']],
  ['排污许可证', ['核发', '变更', '延续', '注销']],
  ['取水许可', ['审批', '变更', '延续']],
  ['林木采伐许可证', ['核发']],
  ['烟草专卖零售许可证', ['核发', '变更', '延续', '停业', '歇业']],
  ['危险化学品经营许可证', ['核发', '变更', '延期']],
  ['特种设备使用', ['登记', '变更登记']],
  ['人力资源服务许可证', ['核发', '变更', '延续']],
  ['劳务派遣经营许可证', ['核发', '变更', '延续', '注销']],
  ['民办学校办学许可证', ['核发', '变更', '延续']],
  ['教师资格', ['认定', '注册', '补发证书']],
  ['对教师申诉', ['作出的裁决']],
  ['超比例安排残疾人就业', ['奖励']],
  ['食品安全', ['抽样检验', '监督检查']],
  ['高龄津贴', ['申领', '发放']],
  ['独生子女父母', ['奖励', '光荣证办理']],
  ['农村宅基地', ['审批', '确权登记']],
  ['职业技能等级证书', ['核发', '补发', '查询']],
  ['就业困难人员社会保险补贴', ['申领', '发放']],
  ['创业担保贷款', ['贴息', '申请']],
  ['法律援助', ['申请', '审批']],
  ['公证', ['办理', '出具', '查询']],
  ['律师执业证', ['核发', '变更', '注销']],
  ['司法鉴定机构', ['登记', '变更登记', '注销登记']],
  ['档案', ['查询', '借阅', '出具证明']],
  ['房屋租赁', ['登记备案', '变更', '注销']],
  ['燃气经营许可证', ['核发', '变更', '延续']],
  ['渔业捕捞许可证', ['核发', '换发', '注销']],
  ['动物防疫条件合格证', ['核发', '变更']],
  ['兽药经营许可证', ['核发', '变更', '换发']],
  ['农药经营许可证', ['核发', '变更', '延续']],
  ['种子生产经营许可证', ['核发', '变更', '注销']],
  ['网络文化经营许可证', ['核发', '变更', '注销']],
  ['娱乐场所经营', ['许可', '变更']],
  ['旅行社业务经营许可证', ['核发', '变更', '注销']],
  ['导游证', ['核发', '换发']],
  ['社会团体', ['成立登记', '变更登记', '注销登记']],
  ['民办非企业单位', ['成立登记', '变更登记', '注销登记']],
  ['宗教活动场所', ['登记', '变更登记']],
  ['老年人优待证', ['办理', '补办']],
  ['优抚对象抚恤补助', ['发放', '审核']],
  ['违法建设', ['行政处罚', '强制拆除']],
  ['无证经营食品', ['行政处罚']],
  ['企业安全生产', ['监督检查', '行政处罚']],
];

const QUALIFIERS = [
  '',
  '',
  '',
  '',
  '（个人）',
  '（企业）',
  '（分支机构）',
  '（首次申请）',
  '（网上办理）',
  '（跨省通办）',
];

const DEPARTMENTS = [
  '市公安局',
  '市人力资源和社会保障局',
  '市市场监督管理局',
  '市卫生健康委员会',
  '市药品监督管理局',
  '市住房和城乡建设局',
  '市自然资源和规划局',
  '市交通运输局',
  '市民政局',
  '市教育局',
  '市生态环境局',
  '市水务局',
  '市农业农村局',
  '市司法局',
  '市文化旅游和广播电视局',
  '市残疾人联合会',
  '市住房公积金管理中心',
  '市医疗保障局',
  '市退役军人事务局',
  '市城市管理局',
];
const DISTRICTS = [
  '和平区',
  '沈河区',
  '大东区',
  '皇姑区',
  '铁西区',
  '浑南区',
  '于洪区',
  '沈北新区',
  '苏家屯区',
  '辽中区',
];
const TYPES = ['许可', '处罚', '征收', '强制', '给付', '奖励', '确认', '检查', '裁决', '其他', '公共服务'];
const AUDIENCES = ['自然人', '法人'];
const LIFE_EVENTS = [
  '出生',
  '上学',
  '就业',
  '婚姻',
  '住房',
  '出行',
  '就医',
  '养老',
  '身后',
  '创业',
  '经营',
  '退出',
];
const MATERIALS = [
  '身份证原件',
  '申请表',
  '营业执照副本',
  '户口簿',
  '近期免冠照片',
  '授权委托书',
  '场所使用证明',
  '从业人员健康证明',
  '学历证书',
  '考试合格证明',
  '医疗机构证明',
  '不动产权证书',
];
const LAWS = [
  '中华人民共和国行政许可法',
  '中华人民共和国食品安全法',
  '中华人民共和国药品管理法',
  '中华人民共和国社会保险法',
  '中华人民共和国护照法',
  '住房公积金管理条例',
  '残疾人保障法',
  '城乡规划法',
  '执业药师注册管理办法',
];

function syntheticDocuments(n: number): SearchDocument[] {
  const rand = prng(20_000);
  const docs: SearchDocument[] = [];
  for (let i = 0; i < n; i++) {
    const [object, actions, keywords] = pick(rand, OBJECTS);
    const action = pick(rand, actions);
    const district = rand() < 0.7 ? pick(rand, DISTRICTS) : null;
    const title = `${object}${action}${pick(rand, QUALIFIERS)}`;
    const department = pick(rand, DEPARTMENTS);
    const office = district ? `${district}${department.slice(1)}` : department;
    const [m1, m2, m3] = [pick(rand, MATERIALS), pick(rand, MATERIALS), pick(rand, MATERIALS)];
    const [other] = pick(rand, OBJECTS);
    const statutory = 5 + Math.floor(rand() * 56);
    const body =
      `${office}办理${object}${action}。申请人应提交${m1}、${m2}、${m3}等材料，` +
      `窗口或网上受理后${Math.max(1, Math.floor(statutory / 2))}个工作日内办结，法定时限${statutory}个工作日。` +
      `依据《${pick(rand, LAWS)}》第${1 + Math.floor(rand() * 80)}条。已办理${other}的可免于提交重复材料。` +
      `咨询电话024-${String(22_000_000 + Math.floor(rand() * 9_999_999))}。`;
    docs.push({
      id: `item-${String(i).padStart(6, '0')}`,
      collection: COLLECTION,
      title,
      body,
      keywords,
      facets: {
        type: [pick(rand, TYPES)],
        department: [department],
        district: district ? [district] : [],
        level: [district ? pick(rand, ['区级', '街道', '社区']) : '市级'],
        audience: [pick(rand, AUDIENCES)],
        lifeEvent: [pick(rand, LIFE_EVENTS), pick(rand, LIFE_EVENTS)],
      },
      boost: rand() < 0.05 ? 1.5 : 1,
      updatedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 300) * 86_400_000).toISOString(),
    });
  }
  return docs;
}

/** What people type: words of two characters, full item names, pinyin, initials, questions, a typo. */
const PHRASES = [
  '社保',
  '护照',
  '营业执照',
  '药师',
  '公积金提取',
  'yaoshi',
  'ys',
  'zyys',
  '社保卡补办',
  '食品经营许可',
  '残疾人补贴',
  '建设工程规划许可',
  '结婚登记',
  '户口迁移',
  '身份证',
  '驾驶证',
  '驾照',
  '教师资格认定',
  '养老保险',
  '失业保险金',
  '低保',
  '不动产登记',
  '施工许可',
  '医师执业注册',
  '护士',
  '出生医学证明',
  '港澳通行证',
  '排污许可',
  '法律援助',
  '公证',
  '旅行社',
  '导游证',
  '犬只登记',
  '个体工商户',
  '外商投资',
  '股权出质',
  '卫生许可证',
  '消防',
  '临时救助',
  '高龄津贴',
  '宅基地',
  '公积金',
  '医保转移',
  'gongjijin',
  'shebao',
  'hz',
  'yyzz',
  '我想办理护照',
  '怎么提取公积金',
  '营业执招',
  '注销',
  '许可证',
];

async function bench(target: DatabaseTarget, docs: SearchDocument[]) {
  const database = connect(target);
  try {
    await migrateToLatest(database);
    const index = createSearchIndex(database.kysely, database.dialect);

    const t0 = performance.now();
    await database.kysely.transaction().execute((trx) => index.upsertMany(trx, docs));
    const indexMs = performance.now() - t0;
    // Settle what a running system would have settled: statistics, and autovacuum's work done
    // now rather than in the middle of the measurements.
    if (database.dialect === 'postgres') {
      await sql`vacuum analyze search_documents, search_terms, search_facets`.execute(database.kysely);
    }

    const rand = prng(1_000);
    const queries = Array.from({ length: QUERIES }, () => ({
      q: pick(rand, PHRASES),
      filters: rand() < 0.2 ? { type: [pick(rand, TYPES)] } : undefined,
    }));
    // Warm-up: statement caches, the database's own caches.
    for (const q of PHRASES) await index.search({ collection: COLLECTION, q, page: 1, pageSize: 20 });

    const searchMs: number[] = [];
    const totals: number[] = [];
    const modes: Record<string, number> = {};
    for (const { q, filters } of queries) {
      const t = performance.now();
      const r = await index.search({ collection: COLLECTION, q, filters, page: 1, pageSize: 20 });
      searchMs.push(performance.now() - t);
      totals.push(r.total);
      modes[r.match] = (modes[r.match] ?? 0) + 1;
    }
    const slowest = PHRASES.map((q) => {
      const ms = queries.flatMap((x, i) => (x.q === q ? [searchMs[i]] : []));
      return { q, p95: summary(ms).p95 };
    })
      .sort((a, b) => b.p95 - a.p95)
      .slice(0, 5);

    const suggestMs: number[] = [];
    for (let i = 0; i < SUGGESTIONS; i++) {
      const phrase = pick(rand, PHRASES);
      const prefix = Array.from(phrase)
        .slice(0, 1 + Math.floor(rand() * phrase.length))
        .join('');
      const t = performance.now();
      await index.suggest({ collection: COLLECTION, prefix, limit: 10 });
      suggestMs.push(performance.now() - t);
    }

    // A write makes every process reload the collection's facet snapshot on its next search.
    const afterWriteMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const changed = {
        ...docs[i],
        title: `${docs[i].title}（修订${i}）`,
        updatedAt: new Date().toISOString(),
      };
      await database.kysely.transaction().execute((trx) => index.upsert(trx, changed));
      const t = performance.now();
      await index.search({ collection: COLLECTION, q: '护照', page: 1, pageSize: 20 });
      afterWriteMs.push(performance.now() - t);
    }
    const writeMs: number[] = [];
    for (let i = 5; i < 25; i++) {
      const changed = { ...docs[i], body: `${docs[i].body}（修订）`, updatedAt: new Date().toISOString() };
      const t = performance.now();
      await database.kysely.transaction().execute((trx) => index.upsert(trx, changed));
      writeMs.push(performance.now() - t);
    }

    const sortedTotals = [...totals].sort((a, b) => a - b);
    return {
      dialect: database.dialect,
      documents: docs.length,
      indexMs: Math.round(indexMs),
      indexDocsPerSecond: Math.round(docs.length / (indexMs / 1000)),
      searchMs: summary(searchMs),
      slowestPhrasesP95Ms: slowest,
      matchedDocuments: { p50: percentile(sortedTotals, 50), max: sortedTotals[sortedTotals.length - 1] },
      matchModes: modes,
      suggestMs: summary(suggestMs),
      firstSearchAfterWriteMs: summary(afterWriteMs),
      singleUpsertMs: summary(writeMs),
    };
  } finally {
    await database.destroy();
  }
}

const tLoad = performance.now();
warmUpTokenizer();
const tokenizerLoadMs = Math.round(performance.now() - tLoad);
const tGen = performance.now();
const docs = syntheticDocuments(DOCUMENTS);
const generateMs = Math.round(performance.now() - tGen);
const results = [];
for (const { db, cleanup } of await benchDatabases('search')) {
  try {
    results.push(await bench(db, docs));
  } finally {
    await cleanup();
  }
}
console.log(
  JSON.stringify(
    {
      node: process.version,
      cpus: os.cpus().length,
      tokenizerLoadMs,
      generateMs,
      queries: QUERIES,
      phrases: PHRASES.length,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
      results,
    },
    null,
    2,
  ),
);
