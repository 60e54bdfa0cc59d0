import { ALL_PERMISSIONS } from '@govflow/shared';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
export const idParam = z.strictObject({ id: z.string().min(1).max(64) });

export const loginBody = z.strictObject({
  username: text(64),
  password: z.string().min(1).max(256),
  totp: z
    .string()
    .regex(/^\d{6}$/, '6 位数字')
    .optional(),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const totpEnrollBody = z.strictObject({ password: z.string().min(1).max(256) });

export const totpConfirmBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, '6 位数字') });

export const orgKind = z.enum(['region', 'department', 'unit', 'window']);

export const createOrgBody = z.strictObject({
  parentId: z.string().min(1).max(64),
  kind: orgKind,
  name: text(100),
  code: z.string().trim().max(32).optional(),
  sort: z.number().int().min(0).max(100_000).optional(),
});

/**
 * The version of the org or role the editor's form showed (from the read API): the edit is
 * written only while the row still has it, so that nobody silently undoes a change made meanwhile.
 */
const expectedVersion = z.number({ error: '缺少表单所示的版本号，请刷新页面后重试' }).int().min(1);

/** An edit changes at least one field besides naming the version it read. */
const changesSomething = (b: Record<string, unknown>) => Object.keys(b).some((k) => k !== 'expectedVersion');

/** What may change on an org (at least one field); a region's code and kind stay (see OrgService.update). */
export const updateOrgBody = z
  .strictObject({
    name: text(100).optional(),
    kind: orgKind.optional(),
    code: z.string().trim().max(32).optional(),
    sort: z.number().int().min(0).max(100_000).optional(),
    expectedVersion,
  })
  .refine(changesSomething, { message: '至少修改一项' });

export const postBody = z.strictObject({
  orgId: z.string().min(1).max(64),
  roleCode: text(64),
  title: text(100),
});

/**
 * A post the system administrator creates: where and as what title, no role. `roleCode` is read
 * only to refuse it with a clear answer (the security administrator attaches roles).
 */
export const staffPostBody = z.strictObject({
  orgId: z.string().min(1).max(64),
  title: text(100),
  roleCode: z.string().max(64).optional(),
});

export const roleBody = z.strictObject({ roleCode: text(64) });

export const createUserBody = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/, '3–32 位字母、数字、._-，以字母开头'),
  displayName: text(50),
  password: z.string().min(1).max(256),
  staffNo: z.string().trim().max(32).optional(),
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, '11 位手机号码')
    .optional(),
  posts: z.array(staffPostBody).min(1).max(20),
});

export const listUsersQuery = z.strictObject({ orgId: z.string().min(1).max(64).optional() });

export const createRoleBody = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9-]{1,47}$/),
  name: text(50),
  description: z.string().max(500).optional(),
  parentCode: z.string().max(48).optional(),
  adminClass: z.enum(['system', 'security', 'audit']).optional(),
  scope: z.enum(['unit', 'region']),
  permissions: z.array(z.enum(ALL_PERMISSIONS as [string, ...string[]])).max(100),
});

export const roleCodeParam = z.strictObject({ code: z.string().min(1).max(48) });

export const updateRoleBody = z
  .strictObject({
    name: text(50).optional(),
    description: z.string().max(500).optional(),
    scope: z.enum(['unit', 'region']).optional(),
    permissions: z
      .array(z.enum(ALL_PERMISSIONS as [string, ...string[]]))
      .max(100)
      .optional(),
    expectedVersion,
  })
  .refine(changesSomething, { message: '至少修改一项' });

export const personBody = z.strictObject({
  idNumber: z.string().trim().min(1).max(32),
  name: text(50),
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, '11 位手机号码')
    .optional(),
  /** 户籍所在地: the district (or street, community) the person is registered in now. */
  regionCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,2}$/, '6、9 或 12 位行政区划代码')
    .optional(),
});

export const personQuery = z.strictObject({ idNumber: z.string().trim().min(1).max(32) });

export const legalPersonBody = z.strictObject({
  creditCode: z.string().trim().min(1).max(32),
  name: text(100),
  entityType: z.enum([
    'company',
    'social-organisation',
    'public-institution',
    'individual-business',
    'other',
  ]),
  legalRepresentative: personBody,
});
