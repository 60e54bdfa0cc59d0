/**
 * Deterministic synthetic service catalogues for benchmarks (e.g. 20,000 items for search).
 *
 * Names are composed the way a city's implementation list names its items — an object and an
 * action (建筑垃圾处置核准, 户外广告设施设置审批, 医疗器械经营备案 …), a party and a violation for
 * penalties (对施工单位未按规定公示信息的行政处罚 …) — and spread over the 10 power types and public
 * services and over the demo city's departments. Main items sometimes split into sub-items
 * (新办 / 变更 / 延续 / 注销) that share the main code, as in the national basic catalogue.
 *
 * Basic codes use main item numbers from 20000 upwards, so they never collide with the hand-written
 * demo catalogue (main numbers 00101 …). The generator has its own PRNG: the same count and seed
 * always give the same items.
 */
import { D, type DemoItemSpec } from './demo-items';

type Legal = DemoItemSpec['legal'];
type Service = DemoItemSpec['service'];
type DeptKey = keyof typeof D;

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** [object phrase, department, law, theme, audience] */
type Obj = [string, DeptKey, string, string, 'N' | 'L' | 'NL'];

const LAW = {
  permit: '《中华人民共和国行政许可法》',
  food: '《中华人民共和国食品安全法》',
  drug: '《中华人民共和国药品管理法》',
  device: '《医疗器械监督管理条例》',
  equipment: '《中华人民共和国特种设备安全法》',
  product: '《中华人民共和国产品质量法》',
  registration: '《中华人民共和国市场主体登记管理条例》',
  ad: '《中华人民共和国广告法》',
  building: '《中华人民共和国建筑法》',
  planning: '《中华人民共和国城乡规划法》',
  land: '《中华人民共和国土地管理法》',
  realty: '《不动产登记暂行条例》',
  road: '《中华人民共和国道路运输条例》',
  highway: '《中华人民共和国公路法》',
  urbanRoad: '《城市道路管理条例》',
  cityLooks: '《城市市容和环境卫生管理条例》',
  green: '《城市绿化条例》',
  env: '《中华人民共和国环境保护法》',
  air: '《中华人民共和国大气污染防治法》',
  waste: '《中华人民共和国固体废物污染环境防治法》',
  health: '《中华人民共和国基本医疗卫生与健康促进法》',
  medInst: '《医疗机构管理条例》',
  publicPlace: '《公共场所卫生管理条例》',
  edu: '《中华人民共和国教育法》',
  privateEdu: '《中华人民共和国民办教育促进法》',
  labour: '《中华人民共和国劳动法》',
  contract: '《中华人民共和国劳动合同法》',
  insurance: '《中华人民共和国社会保险法》',
  employment: '《中华人民共和国就业促进法》',
  assistance: '《社会救助暂行办法》',
  elderly: '《中华人民共和国老年人权益保障法》',
  socialOrg: '《社会团体登记管理条例》',
  hukou: '《中华人民共和国户口登记条例》',
  security: '《中华人民共和国治安管理处罚法》',
  traffic: '《中华人民共和国道路交通安全法》',
  lawyer: '《中华人民共和国律师法》',
  legalAid: '《中华人民共和国法律援助法》',
  medFund: '《医疗保障基金使用监督管理条例》',
  disabled: '《中华人民共和国残疾人保障法》',
  gas: '《城镇燃气管理条例》',
  drainage: '《城镇排水与污水处理条例》',
  fire: '《中华人民共和国消防法》',
} as const;

const LICENSING_OBJECTS: Obj[] = [
  ['建筑垃圾处置', 'urban', LAW.waste, '城市管理', 'NL'],
  ['户外广告设施设置', 'urban', LAW.cityLooks, '城市管理', 'NL'],
  ['城市桥梁上架设各类市政管线', 'urban', LAW.urbanRoad, '城市管理', 'L'],
  ['临时占用城市绿化用地', 'urban', LAW.green, '城市管理', 'NL'],
  ['迁移古树名木', 'urban', LAW.green, '生态环境', 'NL'],
  ['依附城市道路建设各种管线、杆线等设施', 'urban', LAW.urbanRoad, '城市管理', 'L'],
  ['城镇污水排入排水管网', 'housing', LAW.drainage, '城市管理', 'NL'],
  ['燃气经营', 'housing', LAW.gas, '城市管理', 'L'],
  ['燃气燃烧器具安装维修', 'housing', LAW.gas, '质量安全', 'L'],
  ['建筑起重机械安装拆卸', 'housing', LAW.building, '规划建设', 'L'],
  ['房屋建筑工程施工', 'housing', LAW.building, '规划建设', 'L'],
  ['建设工程规划', 'land', LAW.planning, '规划建设', 'NL'],
  ['建设用地规划', 'land', LAW.planning, '规划建设', 'L'],
  ['临时建设工程规划', 'land', LAW.planning, '规划建设', 'NL'],
  ['采矿权新立', 'land', LAW.land, '规划建设', 'L'],
  ['医疗器械经营', 'market', LAW.device, '食品药品', 'L'],
  ['食品小作坊生产', 'market', LAW.food, '食品药品', 'NL'],
  ['药品零售连锁门店经营', 'market', LAW.drug, '食品药品', 'L'],
  ['特种设备安装改造维修', 'market', LAW.equipment, '质量安全', 'L'],
  ['移动式压力容器充装', 'market', LAW.equipment, '质量安全', 'L'],
  ['小餐饮经营', 'shMarket', LAW.food, '食品药品', 'NL'],
  ['食品摊贩经营', 'hpMarket', LAW.food, '食品药品', 'N'],
  ['道路旅客运输站经营', 'transport', LAW.road, '交通', 'L'],
  ['危险货物道路运输经营', 'transport', LAW.road, '交通', 'L'],
  ['公路建筑控制区内埋设管线', 'transport', LAW.highway, '交通', 'L'],
  ['更新采伐护路林', 'transport', LAW.highway, '交通', 'L'],
  ['医疗机构设置', 'health', LAW.medInst, '卫生健康', 'NL'],
  ['公共场所卫生', 'health', LAW.publicPlace, '卫生健康', 'NL'],
  ['消毒产品生产企业卫生', 'health', LAW.health, '卫生健康', 'L'],
  ['民办学校设立', 'edu', LAW.privateEdu, '教育', 'L'],
  ['校外培训机构设立', 'edu', LAW.privateEdu, '教育', 'L'],
  ['劳务派遣经营', 'hrss', LAW.contract, '就业', 'L'],
  ['职业中介活动', 'hrss', LAW.employment, '就业', 'L'],
  ['社会团体成立', 'civil', LAW.socialOrg, '民政', 'L'],
  ['公墓建设', 'civil', LAW.elderly, '民政', 'L'],
  ['公章刻制业特种行业经营', 'police', LAW.security, '公共安全', 'L'],
  ['典当业特种行业经营', 'police', LAW.security, '公共安全', 'L'],
  ['放射性同位素使用', 'env', LAW.env, '生态环境', 'L'],
  ['危险废物收集经营', 'env', LAW.waste, '生态环境', 'L'],
  ['律师事务所设立', 'justice', LAW.lawyer, '法律服务', 'NL'],
  ['城市供水水质卫生', 'health', LAW.health, '卫生健康', 'L'],
  ['母婴保健技术服务', 'health', LAW.health, '卫生健康', 'L'],
  ['拆除、改动城镇排水设施', 'housing', LAW.drainage, '城市管理', 'L'],
  ['超限运输车辆行驶公路', 'transport', LAW.highway, '交通', 'NL'],
  ['设置非公路标志', 'transport', LAW.highway, '交通', 'NL'],
  ['大型群众性活动安全', 'police', LAW.security, '公共安全', 'L'],
  ['民办职业技能培训机构设立', 'hrss', LAW.privateEdu, '就业', 'L'],
  ['在城市道路上设置临时停车场', 'urban', LAW.urbanRoad, '城市管理', 'L'],
  ['商品房预售', 'housing', LAW.building, '住房', 'L'],
  ['乡村建设规划', 'land', LAW.planning, '规划建设', 'NL'],
];
const LICENSING_ACTIONS = ['核准', '审批', '许可', '许可证核发', '许可证换发', '审查'];

const PARTIES: [string, DeptKey, string, string][] = [
  ['食品经营者', 'market', LAW.food, '食品药品'],
  ['食品生产企业', 'market', LAW.food, '食品药品'],
  ['药品零售企业', 'shMarket', LAW.drug, '食品药品'],
  ['特种设备使用单位', 'market', LAW.equipment, '质量安全'],
  ['广告经营者', 'hpMarket', LAW.ad, '市场准入'],
  ['建设单位', 'housing', LAW.building, '规划建设'],
  ['施工单位', 'housing', LAW.building, '规划建设'],
  ['物业服务企业', 'housing', LAW.building, '住房'],
  ['道路运输经营者', 'transport', LAW.road, '交通'],
  ['网约车平台公司', 'transport', LAW.road, '交通'],
  ['医疗机构', 'health', LAW.medInst, '卫生健康'],
  ['公共场所经营者', 'health', LAW.publicPlace, '卫生健康'],
  ['用人单位', 'hrss', LAW.labour, '就业'],
  ['排污单位', 'env', LAW.env, '生态环境'],
  ['建筑施工单位', 'urban', LAW.cityLooks, '城市管理'],
  ['临街商户', 'urban', LAW.cityLooks, '城市管理'],
  ['民办学校', 'edu', LAW.privateEdu, '教育'],
  ['社会组织', 'civil', LAW.socialOrg, '民政'],
  ['旅馆业经营者', 'police', LAW.security, '公共安全'],
  ['定点医药机构', 'medins', LAW.medFund, '医疗'],
  ['律师事务所', 'justice', LAW.lawyer, '法律服务'],
  ['土地使用者', 'land', LAW.land, '规划建设'],
];
const VIOLATIONS = [
  '未按规定建立并执行进货查验记录制度',
  '拒绝、阻碍监督检查',
  '未按规定公示许可证件信息',
  '超出核准范围从事经营活动',
  '伪造、涂改、出租、出借许可证件',
  '未按规定报送年度报告',
  '未按规定开展安全风险自查',
  '未按规定对从业人员进行培训',
  '未按规定配备专职管理人员',
  '未按规定保存原始记录',
  '以欺骗手段取得许可',
  '未按规定办理变更手续',
  '未按规定明码标价',
  '使用未经检验或者检验不合格的设备',
  '未按规定建立健全安全管理制度',
  '未按规定制定应急预案',
  '未按规定进行信息报告',
  '未按照许可条件从事经营活动',
  '未按规定留存记录和凭证',
  '未按规定设置警示标志',
];

const ENFORCEMENT_ACTIONS = ['查封', '扣押', '查封、扣押', '暂扣', '封存'];
const ENFORCEMENT_TARGETS: [string, DeptKey, string, string][] = [
  ['涉嫌违法生产经营的食品及原料', 'market', LAW.food, '食品药品'],
  ['不符合安全技术规范的特种设备', 'market', LAW.equipment, '质量安全'],
  ['涉嫌侵权假冒商品', 'market', LAW.product, '知识产权'],
  ['涉嫌违法广告物品', 'hpMarket', LAW.ad, '市场准入'],
  ['违法排放污染物的设施设备', 'env', LAW.env, '生态环境'],
  ['涉嫌非法营运车辆', 'transport', LAW.road, '交通'],
  ['违法占道经营物品', 'urban', LAW.cityLooks, '城市管理'],
  ['违法施工机具', 'housing', LAW.building, '规划建设'],
  ['医保基金使用相关资料', 'medins', LAW.medFund, '医疗'],
  ['涉案机动车', 'police', LAW.traffic, '交通'],
];

const LEVIES: [string, DeptKey, string, string][] = [
  ['城市道路占用费', 'urban', LAW.urbanRoad, '城市管理'],
  ['城市道路挖掘修复费', 'urban', LAW.urbanRoad, '城市管理'],
  ['城市绿化补偿费', 'urban', LAW.green, '城市管理'],
  ['城市生活垃圾处理费', 'urban', LAW.waste, '城市管理'],
  ['城市基础设施配套费', 'housing', LAW.planning, '规划建设'],
  ['防空地下室易地建设费', 'housing', LAW.building, '规划建设'],
  ['城镇污水处理费', 'housing', LAW.drainage, '城市管理'],
  ['土地闲置费', 'land', LAW.land, '规划建设'],
  ['耕地开垦费', 'land', LAW.land, '规划建设'],
  ['不动产登记费', 'land', LAW.realty, '不动产'],
  ['公路路产损失赔偿费', 'transport', LAW.highway, '交通'],
];

const BENEFIT_GROUPS: [string, DeptKey, string, string][] = [
  ['困难老年人', 'civil', LAW.elderly, '民政'],
  ['高龄老年人', 'shCivil', LAW.elderly, '民政'],
  ['低保家庭', 'hpCivil', LAW.assistance, '救助'],
  ['特困人员', 'shCivil', LAW.assistance, '救助'],
  ['困境儿童', 'civil', LAW.assistance, '救助'],
  ['重度残疾人', 'disabled', LAW.disabled, '残疾人服务'],
  ['残疾学生', 'disabled', LAW.disabled, '残疾人服务'],
  ['失业人员', 'hrss', LAW.insurance, '社保'],
  ['就业困难人员', 'hrss', LAW.employment, '就业'],
  ['高校毕业生', 'hrss', LAW.employment, '就业'],
  ['家庭经济困难学生', 'edu', LAW.edu, '教育'],
  ['城乡居民医疗救助对象', 'medins', LAW.assistance, '医疗'],
  ['计划生育特殊家庭', 'health', LAW.health, '卫生健康'],
  ['住房困难家庭', 'housing', LAW.assistance, '住房'],
];
const BENEFIT_KINDS = [
  '生活补贴',
  '护理补贴',
  '取暖补贴',
  '交通补贴',
  '教育救助金',
  '医疗救助金',
  '临时救助金',
  '住房补贴',
  '康复补助',
];

const INSPECTION_ASPECTS = [
  '安全生产',
  '依法经营',
  '质量管理',
  '信息公示',
  '从业人员资质',
  '许可条件保持',
  '环境卫生',
  '服务质量',
];

const CONFIRMATIONS: [string, DeptKey, string, string, 'N' | 'L' | 'NL'][] = [
  ['工伤', 'hrss', LAW.insurance, '社保', 'NL'],
  ['劳动关系', 'hrss', LAW.contract, '就业', 'NL'],
  ['视同缴费年限', 'hrss', LAW.insurance, '社保', 'N'],
  ['特殊工种提前退休', 'hrss', LAW.insurance, '社保', 'N'],
  ['残疾等级', 'disabled', LAW.disabled, '残疾人服务', 'N'],
  ['低收入家庭', 'civil', LAW.assistance, '救助', 'N'],
  ['经济困难老年人', 'hpCivil', LAW.elderly, '民政', 'N'],
  ['宅基地使用权及房屋所有权', 'land', LAW.realty, '不动产', 'N'],
  ['集体土地所有权', 'land', LAW.realty, '不动产', 'L'],
  ['国有建设用地使用权', 'land', LAW.realty, '不动产', 'L'],
  ['门诊慢特病待遇资格', 'medins', LAW.insurance, '医疗', 'N'],
  ['户口登记项目', 'police', LAW.hukou, '户籍', 'N'],
  ['建设工程竣工规划核实', 'land', LAW.planning, '规划建设', 'L'],
];
const CONFIRMATION_ACTIONS = ['认定', '确认', '登记', '核定', '确认登记'];

const REWARD_FIELDS: [string, DeptKey, string, string][] = [
  ['食品安全违法行为举报', 'market', LAW.food, '食品药品'],
  ['产品质量违法行为举报', 'market', LAW.product, '质量安全'],
  ['生态环境违法行为举报', 'env', LAW.env, '生态环境'],
  ['欺诈骗保行为举报', 'medins', LAW.medFund, '医疗'],
  ['违法建设举报', 'urban', LAW.planning, '城市管理'],
  ['安全生产隐患举报', 'housing', LAW.building, '公共安全'],
  ['劳动保障违法行为举报', 'hrss', LAW.labour, '就业'],
  ['非法营运举报', 'transport', LAW.road, '交通'],
];

const ADJUDICATIONS: [string, DeptKey, string, string][] = [
  ['专利侵权纠纷', 'market', '《中华人民共和国专利法》', '知识产权'],
  ['商标侵权赔偿数额争议', 'market', '《中华人民共和国商标法》', '知识产权'],
  ['计量纠纷', 'market', '《中华人民共和国计量法》', '质量安全'],
  ['土地使用权争议', 'land', LAW.land, '不动产'],
  ['林地林木权属争议', 'land', LAW.land, '不动产'],
  ['劳动人事争议', 'hrss', '《中华人民共和国劳动争议调解仲裁法》', '就业'],
  ['集体合同争议', 'hrss', LAW.labour, '就业'],
  ['环境污染损害赔偿纠纷', 'env', LAW.env, '生态环境'],
  ['教师申诉', 'edu', '《中华人民共和国教师法》', '教育'],
  ['招标投标活动投诉', 'housing', '《中华人民共和国招标投标法》', '规划建设'],
];

const OTHERS: [string, DeptKey, string, string, 'N' | 'L' | 'NL'][] = [
  ['医疗器械经营', 'market', LAW.device, '食品药品', 'L'],
  ['仅销售预包装食品', 'shMarket', LAW.food, '食品药品', 'NL'],
  ['食品安全企业标准', 'market', LAW.food, '食品药品', 'L'],
  ['建设工程竣工验收', 'housing', LAW.building, '规划建设', 'L'],
  ['房屋租赁合同', 'housing', LAW.building, '住房', 'NL'],
  ['物业服务合同', 'housing', LAW.building, '住房', 'L'],
  ['建设项目环境影响登记表', 'env', LAW.env, '生态环境', 'L'],
  ['固定污染源排污登记', 'env', LAW.env, '生态环境', 'L'],
  ['养老机构', 'civil', LAW.elderly, '民政', 'L'],
  ['诊所', 'health', LAW.medInst, '卫生健康', 'NL'],
  ['机动车维修经营', 'transport', LAW.road, '交通', 'NL'],
  ['人力资源服务', 'hrss', LAW.employment, '就业', 'L'],
  ['印章刻制', 'police', LAW.security, '公共安全', 'L'],
  ['民办非学历教育培训', 'edu', LAW.privateEdu, '教育', 'L'],
];
const OTHER_ACTIONS = ['备案', '备案变更', '备案注销', '年度报告公示'];

const PUBLIC: [string, DeptKey, string, string, 'N' | 'L' | 'NL'][] = [
  ['社会保险参保缴费证明', 'hrss', LAW.insurance, '社保', 'NL'],
  ['社会保障卡', 'hrss', LAW.insurance, '社保', 'N'],
  ['养老保险待遇资格认证', 'hrss', LAW.insurance, '社保', 'N'],
  ['职业技能等级证书', 'hrss', LAW.employment, '就业', 'N'],
  ['医保电子凭证', 'medins', LAW.insurance, '医疗', 'N'],
  ['异地就医备案', 'medins', LAW.insurance, '医疗', 'N'],
  ['医保参保凭证', 'medins', LAW.insurance, '医疗', 'N'],
  ['户籍证明', 'police', LAW.hukou, '户籍', 'N'],
  ['居住证', 'police', LAW.hukou, '户籍', 'N'],
  ['出入境证件', 'police', '《中华人民共和国出境入境管理法》', '出入境', 'N'],
  ['学籍证明', 'edu', LAW.edu, '教育', 'N'],
  ['学历证明', 'edu', LAW.edu, '教育', 'N'],
  ['不动产登记信息', 'land', LAW.realty, '不动产', 'NL'],
  ['婚姻登记档案', 'hpCivil', '《婚姻登记条例》', '婚姻', 'N'],
  ['老年人优待证', 'shCivil', LAW.elderly, '民政', 'N'],
  ['法律咨询', 'justice', LAW.legalAid, '法律服务', 'NL'],
  ['公证', 'justice', '《中华人民共和国公证法》', '司法公证', 'NL'],
  ['预防接种', 'health', LAW.health, '卫生健康', 'N'],
  ['残疾人辅助器具', 'disabled', LAW.disabled, '残疾人服务', 'N'],
  ['企业开办', 'hall', LAW.registration, '市场准入', 'L'],
  ['政务服务预约', 'hpHall', LAW.permit, '市场准入', 'NL'],
  ['帮办代办', 'shHall', LAW.permit, '规划建设', 'L'],
  ['失业保险金', 'hrss', LAW.insurance, '社保', 'N'],
  ['就业创业证', 'hrss', LAW.employment, '就业', 'N'],
  ['医疗费用报销', 'medins', LAW.insurance, '医疗', 'N'],
  ['居民身份证', 'police', LAW.hukou, '户籍', 'N'],
  ['机动车驾驶证', 'police', LAW.traffic, '交通', 'N'],
  ['住房租赁补贴', 'housing', LAW.assistance, '住房', 'N'],
  ['残疾人证', 'disabled', LAW.disabled, '残疾人服务', 'N'],
  ['法律援助', 'justice', LAW.legalAid, '法律服务', 'N'],
];
const PUBLIC_ACTIONS = ['查询', '打印', '申领', '补办', '信息变更', '网上预约', '办理进度查询'];

const SUB_QUALIFIERS = ['（新办）', '（变更）', '（延续）', '（注销）', '（补办）'];

/** Qualifiers a city list adds to distinguish variants of one item (scope, procedure, channel …). */
const QUALIFIERS: Record<string, string[]> = {
  licensing: ['（市级权限）', '（告知承诺制）', '（连锁经营）', '（分支机构）', '（临时）', '（跨区域）'],
  penalty: ['（简易程序）', '（情节较轻）', '（情节严重）', '（逾期不改正）', '（再次违法）'],
  enforcement: ['（情况紧急当场实施）', '（延长期限）', '（解除）'],
  levy: ['（市政道路）', '（住宅项目）', '（非住宅项目）', '（工业项目）', '（减免）', '（退付）'],
  benefit: ['（城市）', '（农村）', '（按月发放）', '（一次性）', '（提标）'],
  inspection: ['（双随机抽查）', '（专项检查）', '（重点检查）', '（跟踪检查）', '（年度检查）'],
  confirmation: ['（首次）', '（复查）', '（变更）', '（注销）'],
  reward: ['（一般）', '（重大）'],
  adjudication: ['（调解）', '（裁决）', '（复核）'],
  other: ['（告知承诺）', '（网上办理）', '（分支机构）'],
  'public-service': ['（网上办理）', '（自助终端）', '（跨省通办）', '（预约上门）', '（加急）'],
};

const MATERIALS: [string, 'applicant' | 'government' | 'intermediary', string][] = [
  ['申请书', 'applicant', 'not-reusable'],
  ['申请人身份证明', 'government', 'while-valid'],
  ['营业执照', 'government', 'while-valid'],
  ['场所使用证明', 'applicant', 'after-check'],
  ['相关资格证书', 'government', 'while-valid'],
  ['检测（检验）报告', 'intermediary', 'not-reusable'],
  ['管理制度文本', 'applicant', 'not-reusable'],
  ['平面布局图', 'applicant', 'not-reusable'],
  ['承诺书', 'applicant', 'not-reusable'],
  ['授权委托书', 'applicant', 'not-reusable'],
];

const CONDITIONS = [
  '申请人具有相应的民事行为能力',
  '符合国家和本市规定的相关标准',
  '具有与业务规模相适应的场所和设施设备',
  '配备符合要求的专业技术人员',
  '建立健全相关管理制度',
  '无不良信用记录',
  '属于本机关管辖范围',
];

const LIFE_EVENTS = [
  '出生',
  '上学',
  '就业',
  '创业',
  '结婚',
  '生育',
  '置业',
  '出行',
  '就医',
  '退休',
  '养老',
  '身后',
];
const TARGET_GROUPS = ['儿童', '学生', '高校毕业生', '老年人', '残疾人', '退役军人', '低收入群体', '农民工'];
const BUSINESS = ['开办', '变更', '注销', '经营', '招聘', '建设', '投资'];
const ENTERPRISE = ['内资企业', '外资企业', '个体工商户', '社会组织'];
const CHANNELS = ['online', 'window', 'appointment', 'payment', 'courier'];
const LIMITS = [1, 3, 5, 7, 10, 15, 20, 30, 45, 60];

/** The 11 types with their codes and relative weights (a city catalogue has most penalties and licences). */
const TYPES: [string, string, number][] = [
  ['licensing', '01', 14],
  ['penalty', '02', 30],
  ['enforcement', '03', 5],
  ['levy', '04', 2],
  ['benefit', '05', 6],
  ['inspection', '06', 10],
  ['confirmation', '07', 7],
  ['reward', '08', 2],
  ['adjudication', '09', 2],
  ['other', '10', 8],
  ['public-service', '20', 14],
];

interface Base {
  name: string;
  dept: DeptKey;
  law: string;
  theme: string;
  aud: 'N' | 'L' | 'NL';
}

function baseFor(type: string, pick: <T>(a: readonly T[]) => T): Base {
  switch (type) {
    case 'licensing': {
      const [o, dept, law, theme, aud] = pick(LICENSING_OBJECTS);
      return { name: `${o}${pick(LICENSING_ACTIONS)}`, dept, law, theme, aud };
    }
    case 'penalty': {
      const [p, dept, law, theme] = pick(PARTIES);
      return { name: `对${p}${pick(VIOLATIONS)}的行政处罚`, dept, law, theme, aud: 'NL' };
    }
    case 'enforcement': {
      const [t, dept, law, theme] = pick(ENFORCEMENT_TARGETS);
      return { name: `${pick(ENFORCEMENT_ACTIONS)}${t}`, dept, law, theme, aud: 'NL' };
    }
    case 'levy': {
      const [f, dept, law, theme] = pick(LEVIES);
      return { name: `${f}征收`, dept, law, theme, aud: 'NL' };
    }
    case 'benefit': {
      const [g, dept, law, theme] = pick(BENEFIT_GROUPS);
      return { name: `${g}${pick(BENEFIT_KINDS)}给付`, dept, law, theme, aud: 'N' };
    }
    case 'inspection': {
      const [p, dept, law, theme] = pick(PARTIES);
      return { name: `对${p}${pick(INSPECTION_ASPECTS)}情况的监督检查`, dept, law, theme, aud: 'L' };
    }
    case 'confirmation': {
      const [o, dept, law, theme, aud] = pick(CONFIRMATIONS);
      return { name: `${o}${pick(CONFIRMATION_ACTIONS)}`, dept, law, theme, aud };
    }
    case 'reward': {
      const [f, dept, law, theme] = pick(REWARD_FIELDS);
      return { name: `对${f}的奖励`, dept, law, theme, aud: 'N' };
    }
    case 'adjudication': {
      const [f, dept, law, theme] = pick(ADJUDICATIONS);
      return { name: `${f}行政裁决`, dept, law, theme, aud: 'NL' };
    }
    case 'other': {
      const [o, dept, law, theme, aud] = pick(OTHERS);
      return { name: `${o}${pick(OTHER_ACTIONS)}`, dept, law, theme, aud };
    }
    default: {
      const [o, dept, law, theme, aud] = pick(PUBLIC);
      return { name: `${o}${pick(PUBLIC_ACTIONS)}`, dept, law, theme, aud };
    }
  }
}

/**
 * `count` synthetic catalogue items; the same `count` and `seed` always give the same list.
 * Basic codes are unique (main items from 20000 per type, sub-items 001 …).
 */
export function generateSyntheticItems(count: number, seed = 1): DemoItemSpec[] {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)];
  const some = <T>(a: readonly T[], max: number): T[] => {
    const k = int(max + 1);
    const out: T[] = [];
    for (let i = 0; i < k; i++) {
      const x = pick(a);
      if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  const totalWeight = TYPES.reduce((s, t) => s + t[2], 0);
  const nextMain = new Map<string, number>(TYPES.map(([t]) => [t, 20000]));
  const items: DemoItemSpec[] = [];

  while (items.length < count) {
    let r = int(totalWeight);
    let typeIndex = 0;
    while (r >= TYPES[typeIndex][2]) r -= TYPES[typeIndex++][2];
    const [type, code] = TYPES[typeIndex];
    const main = nextMain.get(type) as number;
    if (main > 99999) throw new Error(`too many synthetic items of type ${type}`);
    nextMain.set(type, main + 1);

    const base = baseFor(type, pick);
    const department = D[base.dept];
    const district = department.startsWith('和平区') || department.startsWith('沈河区');
    const subCount = (type === 'licensing' || type === 'other') && rand() < 0.3 ? 2 + int(3) : 0;
    const qualifiers = QUALIFIERS[type] ?? [''];
    const variants =
      subCount > 0 ? SUB_QUALIFIERS.slice(0, subCount) : [rand() < 0.6 ? pick(qualifiers) : ''];

    variants.forEach((qualifier, sub) => {
      if (items.length >= count) return;
      const statutory = pick(LIMITS);
      const promised = Math.max(1, Math.min(statutory, Math.ceil(statutory * (0.3 + rand() * 0.7))));
      const unit = type === 'penalty' || type === 'enforcement' ? 'natural' : 'working';
      const channels = some(CHANNELS, 3);
      if (!channels.includes('window')) channels.push('window');
      const mats = some(MATERIALS, 4);
      if (!mats.includes(MATERIALS[0])) mats.unshift(MATERIALS[0]);
      const conds = some(CONDITIONS, 3);
      const hasFee = type === 'levy' || rand() < 0.05;
      const person = base.aud !== 'L';
      const company = base.aud !== 'N';
      const name = `${base.name}${qualifier}`;

      const legal: Legal = {
        name,
        type,
        managementArea: null,
        legalBasis: `${base.law}\n${type === 'penalty' ? '《中华人民共和国行政处罚法》' : LAW.permit}`,
        exerciseLevel: district ? 'district' : 'city',
        implementingBody: department,
        bodyNature: 'statutory',
        audience:
          base.aud === 'N'
            ? ['natural-person']
            : base.aud === 'L'
              ? ['legal-person']
              : ['natural-person', 'legal-person'],
        statutoryLimit: { days: unit === 'natural' ? statutory * 3 : statutory, unit },
        quantityLimit: '无数量限制',
        resultName: type === 'penalty' ? '行政处罚决定书' : `${base.name}结果文书`,
        hasFee,
        feeBasis: hasFee ? `按${base.law}及沈阳市核定标准收取` : '',
      };
      const service: Service = {
        promisedLimit: { days: unit === 'natural' ? promised * 3 : promised, unit },
        caseType: statutory <= 1 ? 'immediate' : 'promised',
        channels,
        visitsRequired: channels.includes('online') ? int(2) : 1 + int(2),
        tongbanScope: pick(['none', 'none', 'city', 'province', 'cross-province'] as const),
        description: `${name}。依据${base.law}办理。`,
        location: `${department}受理窗口`,
        officeHours: '法定工作日 8:30—11:30，13:00—16:30',
        enquiryPhone: '024-12345',
        supervisionPhone: '12345',
        materials: mats.map(([mname, source, reuseClass], i) => ({
          key: `m${i + 1}`,
          name: mname,
          form: mname === '申请书' ? 'form' : source === 'government' ? 'electronic' : 'original',
          source,
          reuseClass,
          eform: mname === '申请书',
          required: mname !== '授权委托书',
          verifyingDepartment: source === 'government' ? department : '',
          validityDays: mname === '检测（检验）报告' ? 365 : null,
        })),
        conditions: conds.map((text, i) => ({ key: `c${i + 1}`, text })),
        fees: hasFee
          ? [
              {
                kind: 'per-unit',
                name: `${base.name}费`,
                basis: `${base.law}`,
                unit: '件',
                amountFen: (1 + int(50)) * 1000,
              },
            ]
          : [],
        lifeEvents: person ? some(LIFE_EVENTS, 2) : [],
        targetGroups: person ? some(TARGET_GROUPS, 2) : [],
        themes: [base.theme],
        businessActivities: company ? some(BUSINESS, 2) : [],
        enterpriseTypes: company ? some(ENTERPRISE, 2) : [],
        keywords: [base.theme, base.name.slice(0, 4)],
      };
      items.push({
        department,
        basicCode: `${code}${String(main).padStart(5, '0')}${String(subCount === 0 ? 0 : sub + 1).padStart(3, '0')}`,
        legal,
        service,
        popularity: int(1001),
      });
    });
  }
  return items;
}
