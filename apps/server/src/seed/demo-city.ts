import { makeCreditCode, makeIdNumber, type Permission } from '@govflow/shared';
import type { AppContext } from '../context';
import type { OrgKind, RoleRow } from '../modules/identity/tables';
import { type Caller, systemCaller } from '../platform/http/caller';
import { ensureBaseRoles } from './base-roles';

export const DEMO_PASSWORD = 'GovFlow@2026';

/** 沈阳市 (210100) with real district codes; street and community codes follow the format but are illustrative. */
const DISTRICTS: [string, string, [string, string[]][]][] = [
  [
    '210102',
    '和平区',
    [
      ['太原街街道', ['太原街社区', '中华路社区']],
      ['南市场街道', ['南市场社区']],
      ['长白街道', ['长白东社区', '长白西社区']],
    ],
  ],
  [
    '210103',
    '沈河区',
    [
      ['大西街道', ['大西社区', '风雨坛社区']],
      ['皇城街道', ['故宫社区']],
      ['五里河街道', ['五里河社区']],
    ],
  ],
  ['210104', '大东区', [['小北街道', ['小北社区']]]],
  ['210105', '皇姑区', [['北塔街道', ['北塔社区']]]],
  ['210106', '铁西区', [['兴华街道', ['兴华社区']]]],
  ['210112', '浑南区', [['五三街道', ['五三社区']]]],
];

const CITY_DEPARTMENTS = [
  '沈阳市政务服务中心',
  '沈阳市公安局',
  '沈阳市市场监督管理局',
  '沈阳市人力资源和社会保障局',
  '沈阳市民政局',
  '沈阳市卫生健康委员会',
  '沈阳市教育局',
  '沈阳市住房和城乡建设局',
  '沈阳市自然资源局',
  '沈阳市生态环境局',
  '沈阳市交通运输局',
  '沈阳市城市管理综合行政执法局',
  '沈阳市司法局',
  '沈阳市医疗保障局',
  '沈阳市残疾人联合会',
];

const DISTRICT_DEPARTMENTS: Record<string, string[]> = {
  '210102': ['和平区政务服务中心', '和平区市场监督管理局', '和平区民政局'],
  '210103': ['沈河区政务服务中心', '沈河区市场监督管理局', '沈河区民政局'],
};

const ROLES: {
  code: string;
  name: string;
  adminClass: RoleRow['admin_class'];
  scope: RoleRow['scope'];
  parent?: string;
  permissions: Permission[];
}[] = [
  {
    code: 'district-officer',
    name: '区级业务主管',
    adminClass: null,
    scope: 'region',
    permissions: [
      'org:read',
      'user:read',
      'person:read',
      'person:read-pii',
      'person:write',
      'legal-person:read',
      'legal-person:write',
      'catalog:read',
      'catalog:edit-service',
      'datahub:proof-query',
    ],
  },
  {
    code: 'window-clerk',
    name: '综合窗口受理员',
    adminClass: null,
    scope: 'unit',
    parent: 'district-officer',
    permissions: [
      'org:read',
      'person:read',
      'person:write',
      'legal-person:read',
      'legal-person:write',
      'catalog:read',
      'datahub:proof-query',
    ],
  },
  {
    code: 'dept-officer',
    name: '部门审批人员',
    adminClass: null,
    scope: 'unit',
    permissions: [
      'org:read',
      'user:read',
      'person:read',
      'legal-person:read',
      'catalog:read',
      'catalog:edit-service',
      'datahub:read',
      'datahub:request',
      'datahub:approve',
    ],
  },
  {
    code: 'legal-affairs',
    name: '法制审核员',
    adminClass: null,
    scope: 'region',
    permissions: ['org:read', 'catalog:read', 'catalog:edit-legal'],
  },
  {
    code: 'service-admin',
    name: '事项管理员',
    adminClass: null,
    scope: 'region',
    permissions: [
      'org:read',
      'catalog:read',
      'catalog:edit-control',
      'catalog:review',
      'datahub:read',
      'datahub:request',
      'datahub:manage',
      'datahub:call-log',
    ],
  },
  {
    // The second reviewer of the catalogue (four eyes): the catalogue's part of 事项管理员, no data hub.
    code: 'catalog-reviewer',
    name: '事项审核员',
    adminClass: null,
    scope: 'region',
    permissions: ['org:read', 'catalog:read', 'catalog:edit-control', 'catalog:review'],
  },
];

export interface DemoAccount {
  username: string;
  password: string;
  displayName: string;
  what: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    username: 'zhangwei',
    password: DEMO_PASSWORD,
    displayName: '张伟',
    what: '工作人员：和平区政务服务中心（区级数据范围）兼综合受理窗口',
  },
  {
    username: 'liuyang',
    password: DEMO_PASSWORD,
    displayName: '刘洋',
    what: '工作人员：沈河区政务服务中心（区级数据范围）',
  },
  {
    username: 'wangfang',
    password: DEMO_PASSWORD,
    displayName: '王芳',
    what: '工作人员：沈阳市市场监督管理局，维护本局事项',
  },
  {
    username: 'chenjing',
    password: DEMO_PASSWORD,
    displayName: '陈静',
    what: '法制审核员：沈阳市司法局，编辑事项法定要素',
  },
  {
    username: 'zhaolei',
    password: DEMO_PASSWORD,
    displayName: '赵磊',
    what: '事项与数据中枢管理员：沈阳市政务服务中心，审核发布事项、管控设置、数据资源与接入应用',
  },
  {
    username: 'zhouning',
    password: DEMO_PASSWORD,
    displayName: '周宁',
    what: '事项审核员：沈阳市政务服务中心，审核发布他人编辑提交的事项（四眼原则），不管数据中枢',
  },
  { username: 'sysadmin', password: DEMO_PASSWORD, displayName: '王建国', what: '系统管理员（三员之一）' },
  { username: 'secadmin', password: DEMO_PASSWORD, displayName: '赵敏', what: '安全管理员（三员之一）' },
  {
    username: 'auditor',
    password: DEMO_PASSWORD,
    displayName: '孙丽',
    what: '审计管理员（三员之一，可查审计日志与数据调用日志）',
  },
  {
    username: 'citizen',
    password: DEMO_PASSWORD,
    displayName: '李明',
    what: '市民（自然人，沈阳示例科技有限公司法定代表人）',
  },
];

export const DEMO_CITIZEN_ID_NUMBER = makeIdNumber('210102', '1990-05-12', 123);
export const DEMO_COMPANY_CREDIT_CODE = makeCreditCode('91', '210102', 'MA0DEM01');

/**
 * Seeds the demo city idempotently: each org, role, person and account is created only when its
 * natural key (code, name under parent, username, ID number) is not there yet.
 */
export async function seedDemoCity(
  ctx: AppContext,
  onStep: (what: string) => void = () => {},
): Promise<{ created: number }> {
  const caller: Caller = systemCaller('demo-seed');
  const { orgs, users, persons } = ctx.identity;
  let created = 0;

  const ensureOrg = async (parentId: string | null, kind: OrgKind, name: string, code?: string) => {
    let q = ctx.db.selectFrom('orgs').selectAll();
    q = code
      ? q.where('code', '=', code)
      : q.where('name', '=', name).where('parent_id', parentId === null ? 'is' : '=', parentId);
    const existing = await q.executeTakeFirst();
    if (existing) return existing;
    created++;
    return orgs.create(caller, { parentId, kind, name, code });
  };

  onStep('行政区划');
  const province = await ensureOrg(null, 'region', '辽宁省', '210000');
  const city = await ensureOrg(province.id, 'region', '沈阳市', '210100');
  const districts = new Map<string, string>();
  for (const [code, name, streets] of DISTRICTS) {
    const district = await ensureOrg(city.id, 'region', name, code);
    districts.set(code, district.id);
    let s = 0;
    for (const [streetName, communities] of streets) {
      const streetCode = `${code}${String(++s).padStart(3, '0')}`;
      const street = await ensureOrg(district.id, 'region', streetName, streetCode);
      let c = 0;
      for (const communityName of communities) {
        await ensureOrg(street.id, 'region', communityName, `${streetCode}${String(++c).padStart(3, '0')}`);
      }
    }
  }

  onStep('部门与窗口');
  const deptIds = new Map<string, string>();
  let n = 0;
  for (const name of CITY_DEPARTMENTS) {
    const code = makeCreditCode('11', '210100', `D${String(++n).padStart(7, '0')}`);
    deptIds.set(name, (await ensureOrg(city.id, 'department', name, code)).id);
  }
  const hall = deptIds.get('沈阳市政务服务中心') as string;
  for (const w of ['综合受理一窗', '综合受理二窗', '出件窗口']) await ensureOrg(hall, 'window', w);
  for (const [districtCode, names] of Object.entries(DISTRICT_DEPARTMENTS)) {
    for (const name of names) {
      const code = makeCreditCode('11', districtCode, `Q${String(++n).padStart(7, '0')}`);
      deptIds.set(
        name,
        (await ensureOrg(districts.get(districtCode) as string, 'department', name, code)).id,
      );
    }
  }
  const hepingWindow = await ensureOrg(
    deptIds.get('和平区政务服务中心') as string,
    'window',
    '综合受理窗口1',
  );
  const hepingWindow2 = await ensureOrg(
    deptIds.get('和平区政务服务中心') as string,
    'window',
    '综合受理窗口2',
  );
  await ensureOrg(deptIds.get('沈河区政务服务中心') as string, 'window', '综合受理窗口1');

  onStep('角色');
  created += await ensureBaseRoles(ctx);
  const existingRoles = new Set((await users.listRoles()).map((r) => r.code));
  for (const role of ROLES) {
    if (existingRoles.has(role.code)) {
      // A demo database from an older release gets the permissions its roles gained since.
      await users.addRolePermissions(caller, role.code, role.permissions);
      continue;
    }
    created++;
    await users.createRole(caller, {
      code: role.code,
      name: role.name,
      adminClass: role.adminClass,
      scope: role.scope,
      parentCode: role.parent,
      permissions: role.permissions,
    });
  }

  onStep('自然人与法人');
  let citizenPerson = await persons.findByIdNumber(DEMO_CITIZEN_ID_NUMBER);
  if (!citizenPerson) {
    created++;
    citizenPerson = await persons.register(caller, {
      idNumber: DEMO_CITIZEN_ID_NUMBER,
      name: '李明',
      phone: '13900001234',
    });
  }
  const company = await ctx.db
    .selectFrom('legal_persons')
    .select('id')
    .where('credit_code', '=', DEMO_COMPANY_CREDIT_CODE)
    .executeTakeFirst();
  if (!company) {
    created++;
    await persons.registerLegalPerson(caller, {
      creditCode: DEMO_COMPANY_CREDIT_CODE,
      name: '沈阳示例科技有限公司',
      entityType: 'company',
      legalRepresentative: { idNumber: DEMO_CITIZEN_ID_NUMBER, name: '李明' },
    });
  }

  onStep('账号');
  const accounts: [string, string, string | null, { orgId: string; roleCode: string; title: string }[]][] = [
    ['sysadmin', '王建国', 'A0001', [{ orgId: city.id, roleCode: 'sys-admin', title: '系统管理员' }]],
    ['secadmin', '赵敏', 'A0002', [{ orgId: city.id, roleCode: 'sec-admin', title: '安全管理员' }]],
    ['auditor', '孙丽', 'A0003', [{ orgId: city.id, roleCode: 'audit-admin', title: '审计管理员' }]],
    [
      'zhangwei',
      '张伟',
      'HP0101',
      [
        {
          orgId: deptIds.get('和平区政务服务中心') as string,
          roleCode: 'district-officer',
          title: '业务主管',
        },
        { orgId: hepingWindow.id, roleCode: 'window-clerk', title: '受理员' },
        // Two windows: the clerk chooses which one a card is read at.
        { orgId: hepingWindow2.id, roleCode: 'window-clerk', title: '受理员' },
      ],
    ],
    [
      'liuyang',
      '刘洋',
      'SH0101',
      [
        {
          orgId: deptIds.get('沈河区政务服务中心') as string,
          roleCode: 'district-officer',
          title: '业务主管',
        },
      ],
    ],
    [
      'wangfang',
      '王芳',
      'SC0101',
      [
        {
          orgId: deptIds.get('沈阳市市场监督管理局') as string,
          roleCode: 'dept-officer',
          title: '审批科科员',
        },
      ],
    ],
    [
      'chenjing',
      '陈静',
      'SF0101',
      [{ orgId: deptIds.get('沈阳市司法局') as string, roleCode: 'legal-affairs', title: '法制审核员' }],
    ],
    [
      'zhaolei',
      '赵磊',
      'ZW0101',
      [
        {
          orgId: deptIds.get('沈阳市政务服务中心') as string,
          roleCode: 'service-admin',
          title: '事项管理员',
        },
      ],
    ],
    [
      'zhouning',
      '周宁',
      'ZW0102',
      [
        {
          orgId: deptIds.get('沈阳市政务服务中心') as string,
          roleCode: 'catalog-reviewer',
          title: '事项审核员',
        },
      ],
    ],
  ];
  for (const [username, displayName, staffNo, posts] of accounts) {
    if (await ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())
      continue;
    created++;
    await users.create(caller, { username, displayName, password: DEMO_PASSWORD, staffNo, posts });
  }
  if (!(await ctx.db.selectFrom('users').select('id').where('username', '=', 'citizen').executeTakeFirst())) {
    created++;
    await users.create(caller, {
      username: 'citizen',
      displayName: '李明',
      password: DEMO_PASSWORD,
      kind: 'citizen',
      phone: '13900001234',
      personId: citizenPerson.id,
      posts: [],
    });
  }
  return { created };
}
