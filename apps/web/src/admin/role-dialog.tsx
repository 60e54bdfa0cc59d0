import {
  ADMIN_CLASSES,
  ALL_PERMISSIONS,
  CLASS_BOUND_PERMISSIONS,
  PERMISSIONS,
  type Permission,
  ROLE_SCOPES,
} from '@govflow/shared';
import { useMutation } from '@tanstack/react-query';
import { Checkbox, Form, Input, Modal, Radio, Select, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api-client';
import type { Role } from '../shared/api-types';
import { QueryError } from '../shared/query-error';
import { isStaleEdit, StaleEditNotice } from '../shared/stale-edit';

/** Permissions grouped by what they are about, for reading and for choosing. */
export const PERMISSION_GROUPS: { title: string; prefixes: string[] }[] = [
  { title: '组织与账号', prefixes: ['org', 'user', 'role', 'account', 'session', 'audit'] },
  { title: '自然人与法人', prefixes: ['person', 'legal-person'] },
  { title: '事项库', prefixes: ['catalog'] },
  { title: '数据中台', prefixes: ['datahub'] },
];

export function permissionsOfGroup(prefixes: string[], from: readonly string[] = ALL_PERMISSIONS): string[] {
  return from.filter((p) => prefixes.includes(p.slice(0, p.indexOf(':'))));
}

export function permissionName(code: string): string {
  return PERMISSIONS[code as Permission] ?? code;
}

export const SCOPE_NAMES: Record<Role['scope'], string> = ROLE_SCOPES;

interface RoleForm {
  code: string;
  name: string;
  description?: string;
  parentCode?: string;
  scope: Role['scope'];
  permissions: string[];
}

/**
 * 新建 / 修改业务角色 (security administrator). The permissions of the three administrators are
 * shown but cannot be chosen: a business role never carries them (三员分立); a child role chooses
 * only among its parent's permissions.
 */
export function RoleDialog({
  role: opened,
  roles,
  onClose,
  onDone,
  onStale,
}: {
  /** The role to edit; none to create one. */
  role?: Role;
  roles: Role[];
  onClose: () => void;
  onDone: (role: Role) => void;
  /** The role changed meanwhile: the page reloads its list. */
  onStale: () => void;
}) {
  const [form] = Form.useForm<RoleForm>();
  // The role as the form shows it, with its version: a refetch of the list behind the dialog does
  // not change what the edit claims to have read.
  const [role, setRole] = useState(opened);
  const parentCode = Form.useWatch('parentCode', form) ?? role?.parentCode ?? undefined;
  const parent = roles.find((r) => r.code === parentCode);
  const children = role ? roles.filter((r) => r.parentCode === role.code) : [];
  const save = useMutation({
    mutationFn: (values: RoleForm) =>
      role
        ? api.patch<Role>(`/roles/${encodeURIComponent(role.code)}`, {
            name: values.name,
            description: values.description ?? '',
            scope: values.scope,
            permissions: values.permissions,
            expectedVersion: role.version,
          })
        : api.post<Role>('/roles', {
            code: values.code,
            name: values.name,
            description: values.description ?? '',
            scope: values.scope,
            permissions: values.permissions,
            ...(values.parentCode ? { parentCode: values.parentCode } : {}),
          }),
    onSuccess: onDone,
    onError: async (error) => {
      if (!role || !isStaleEdit(error)) return;
      const fresh = (await api.get<{ items: Role[] }>('/roles')).items.find((r) => r.code === role.code);
      if (!fresh) return;
      setRole(fresh);
      form.setFieldsValue({
        name: fresh.name,
        description: fresh.description,
        scope: fresh.scope,
        permissions: fresh.permissions,
      });
      onStale();
    },
  });

  /** Why a permission cannot be chosen for this role, or null. */
  function refusal(code: string): string | null {
    const cls = CLASS_BOUND_PERMISSIONS[code as Permission];
    if (cls) return `${ADMIN_CLASSES[cls]}专属，业务角色不能拥有（三员分立）`;
    if (parent && !parent.permissions.includes(code)) return `上级角色“${parent.name}”没有此权限`;
    return null;
  }
  /** Permissions a child still holds: removing them here is refused by the server, so say so. */
  const heldByChild = (code: string) => children.find((c) => c.permissions.includes(code));

  // Business roles only, at most two levels above (roles nest three deep).
  const depthOf = (r: Role): number => {
    const p = roles.find((x) => x.code === r.parentCode);
    return p ? depthOf(p) + 1 : 1;
  };
  // A role hangs below a parent only where its creator may edit the parent (the server agrees).
  const parentOptions = roles
    .filter((r) => !r.adminClass && depthOf(r) < 3)
    .map((r) => ({
      value: r.code,
      disabled: Boolean(r.readOnlyReason),
      label: r.readOnlyReason ? (
        <Tooltip title={r.readOnlyReason}>
          <span>{r.name}（不能在其下新建）</span>
        </Tooltip>
      ) : (
        r.name
      ),
    }));

  return (
    <Modal
      open
      width={760}
      title={role ? `修改角色：${role.name}` : '新建业务角色'}
      okText={role ? '保存' : '创建'}
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'role-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {role && role.postCount > 0
          ? `已有 ${role.postCount} 个岗位担任此角色：保存后，这些岗位的权限在下一次操作时即按新设置生效。`
          : '角色由安全管理员在“账号管理”页授予岗位。'}
        管理员（三员）专属的权限不能放入业务角色。新建和修改记入审计日志。
      </Typography.Paragraph>
      {role && isStaleEdit(save.error) ? (
        <StaleEditNotice error={save.error} version={role.version} />
      ) : (
        <QueryError error={save.error} />
      )}
      <Form<RoleForm>
        form={form}
        layout="vertical"
        initialValues={
          role
            ? {
                code: role.code,
                name: role.name,
                description: role.description,
                scope: role.scope,
                permissions: role.permissions,
              }
            : { scope: 'unit', permissions: ['org:read'] }
        }
        onFinish={(values) => save.mutate(values)}
      >
        <Space align="start" size="large" wrap>
          <Form.Item
            name="name"
            label="角色名称"
            rules={[{ required: true, whitespace: true, message: '请输入角色名称' }]}
          >
            <Input maxLength={50} style={{ width: 220 }} data-testid="role-name" />
          </Form.Item>
          {role ? (
            <Form.Item label="上级角色" extra="上级角色创建后不能修改">
              <Input value={parent?.name ?? '无'} disabled style={{ width: 220 }} />
            </Form.Item>
          ) : (
            <>
              <Form.Item
                name="code"
                label="角色代码"
                extra="小写字母、数字、连字符，创建后不能修改"
                rules={[
                  { required: true, message: '请输入角色代码' },
                  {
                    pattern: /^[a-z][a-z0-9-]{1,47}$/,
                    message: '以小写字母开头，2–48 位小写字母、数字、连字符',
                  },
                ]}
              >
                <Input
                  maxLength={48}
                  style={{ width: 200 }}
                  placeholder="如 window-senior"
                  data-testid="role-code"
                />
              </Form.Item>
              <Form.Item name="parentCode" label="上级角色（可不选）" extra="下级角色的权限不超出上级角色">
                <Select
                  allowClear
                  style={{ width: 220 }}
                  options={parentOptions}
                  placeholder="无"
                  onChange={(code?: string) => {
                    const p = roles.find((r) => r.code === code);
                    if (p) {
                      const kept = (form.getFieldValue('permissions') as string[]).filter((x) =>
                        p.permissions.includes(x),
                      );
                      form.setFieldValue('permissions', kept);
                    }
                  }}
                />
              </Form.Item>
            </>
          )}
        </Space>
        <Form.Item name="description" label="说明">
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
        <Form.Item name="scope" label="数据范围">
          <Radio.Group
            options={(Object.keys(SCOPE_NAMES) as Role['scope'][]).map((s) => ({
              value: s,
              label: SCOPE_NAMES[s],
            }))}
          />
        </Form.Item>
        <Form.Item
          name="permissions"
          label="权限"
          extra="灰色的权限不能选：三员专属，或上级角色没有。鼠标停在上面可看原因。"
          rules={[{ required: true, type: 'array', min: 1, message: '至少选择一项权限' }]}
        >
          <Checkbox.Group style={{ width: '100%' }} data-testid="role-permissions">
            <Space orientation="vertical" style={{ width: '100%' }}>
              {PERMISSION_GROUPS.map((group) => (
                <div key={group.title}>
                  <Typography.Text strong>{group.title}</Typography.Text>
                  <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', gap: '4px 16px' }}>
                    {permissionsOfGroup(group.prefixes).map((code) => {
                      const why = refusal(code);
                      const child = heldByChild(code);
                      const box = (
                        <Checkbox key={code} value={code} disabled={Boolean(why)} data-permission={code}>
                          {permissionName(code)}
                        </Checkbox>
                      );
                      const tip = why ?? (child ? `下级角色“${child.name}”也有此权限，需先从下级移除` : null);
                      return tip ? (
                        <Tooltip key={code} title={tip}>
                          <span>{box}</span>
                        </Tooltip>
                      ) : (
                        <span key={code}>{box}</span>
                      );
                    })}
                  </div>
                </div>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}
