import { PlusOutlined } from '@ant-design/icons';
import { ADMIN_CLASSES } from '@govflow/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../shared/api-client';
import type { Me, Role } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { QueryError } from '../shared/query-error';
import {
  PERMISSION_GROUPS,
  permissionName,
  permissionsOfGroup,
  RoleDialog,
  SCOPE_NAMES,
} from './role-dialog';

/** Who does what with roles (三员分立), as the page says it to the reader. */
function dutiesOf(me: Me): string {
  if (me.permissions.includes('role:write')) {
    return '您是安全管理员：可新建和修改业务角色及其权限，并在“账号管理”页为岗位授予或移除角色。系统、安全、审计三类管理员角色由系统定义，不能修改；管理员专属权限不能放入业务角色。每次新建和修改记入审计日志。';
  }
  if (me.permissions.includes('audit:read')) {
    return '您是审计管理员：只能查看角色。角色由安全管理员维护，每次新建和修改（含增减的权限）可在“审计日志”页查阅。';
  }
  if (me.permissions.includes('user:write')) {
    return '您是系统管理员：只能查看角色。角色及其权限由安全管理员维护；您新建的岗位不带角色，由安全管理员授予（三员分立）。';
  }
  return '您只能查看角色。角色及其权限由安全管理员维护（三员分立）。';
}

function PermissionTags({ permissions }: { permissions: string[] }) {
  return (
    <Space orientation="vertical" size={4}>
      {PERMISSION_GROUPS.map((group) => {
        const held = permissionsOfGroup(group.prefixes, permissions);
        if (held.length === 0) return null;
        return (
          <div key={group.title}>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 6 }}>
              {group.title}
            </Typography.Text>
            {held.map((code) => (
              <Tag key={code} style={{ marginBlock: 2 }}>
                {permissionName(code)}
              </Tag>
            ))}
          </div>
        );
      })}
    </Space>
  );
}

/**
 * 角色与权限: every role with its permissions in Chinese and how many posts hold it. The security
 * administrator creates and edits business roles; the system and audit administrators read.
 */
export function RolesPage() {
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('role:write');
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const roles = useQuery({
    queryKey: ['roles'],
    queryFn: async () => (await api.get<{ items: Role[] }>('/roles')).items,
  });
  const items = roles.data ?? [];
  const nameOf = (code: string | null) => items.find((r) => r.code === code)?.name ?? code;
  // Administrator roles first, then business roles by name.
  // Business roles this security administrator may only read: held by posts beyond his scope.
  const outOfReach = canWrite ? items.filter((r) => !r.adminClass && r.readOnlyReason) : [];
  const sorted = [...items].sort(
    (a, b) =>
      Number(Boolean(b.adminClass)) - Number(Boolean(a.adminClass)) || a.name.localeCompare(b.name, 'zh'),
  );

  return (
    <Card
      title="角色与权限"
      extra={
        canWrite && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="role-create"
          >
            新建业务角色
          </Button>
        )
      }
    >
      <Alert
        type="info"
        showIcon
        title={dutiesOf(me)}
        style={{ marginBottom: 16 }}
        data-testid="roles-duties"
      />
      {outOfReach.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={`您的管理范围不覆盖担任${outOfReach.map((r) => `“${r.name}”`).join('、')}的全部岗位，这些角色只能查看`}
          description="角色全市通用：修改一个角色会改变担任它的每个岗位的权限，因此只有管理范围覆盖这些岗位所在机构的安全管理员能修改（原因见“操作”列）。您仍可在管理范围内为岗位授予或移除角色，也可新建角色。"
          style={{ marginBottom: 16 }}
          data-testid="roles-out-of-reach"
        />
      )}
      <QueryError error={roles.error} />
      <Table<Role>
        rowKey="code"
        size="middle"
        loading={roles.isFetching}
        dataSource={sorted}
        pagination={false}
        locale={{ emptyText: '还没有角色' }}
        columns={[
          {
            title: '角色',
            key: 'name',
            width: 240,
            render: (_, role) => (
              <Space orientation="vertical" size={2}>
                <Typography.Text strong data-testid="role-name-cell">
                  {role.name}
                </Typography.Text>
                {role.description && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {role.description}
                  </Typography.Text>
                )}
                {role.parentCode && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    上级角色：{nameOf(role.parentCode)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: '类别',
            key: 'class',
            width: 120,
            render: (_, role) =>
              role.adminClass ? (
                <Tag color="purple">{ADMIN_CLASSES[role.adminClass]}</Tag>
              ) : (
                <Tag color="blue">业务角色</Tag>
              ),
          },
          {
            title: '数据范围',
            dataIndex: 'scope',
            width: 150,
            render: (scope: Role['scope']) => SCOPE_NAMES[scope],
          },
          {
            title: '权限',
            key: 'permissions',
            render: (_, role) => <PermissionTags permissions={role.permissions} />,
          },
          {
            title: '担任岗位',
            dataIndex: 'postCount',
            width: 100,
            render: (n: number) =>
              n > 0 ? `${n} 个岗位` : <Typography.Text type="secondary">暂无</Typography.Text>,
          },
          ...(canWrite
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: outOfReach.length ? 200 : 90,
                  render: (_: unknown, role: Role) =>
                    role.readOnlyReason ? (
                      <Space orientation="vertical" size={4}>
                        <Tooltip title={role.readOnlyReason}>
                          <Button size="small" disabled data-testid="role-edit-disabled">
                            修改
                          </Button>
                        </Tooltip>
                        {!role.adminClass && (
                          <Typography.Text
                            type="secondary"
                            style={{ fontSize: 12 }}
                            data-testid="role-read-only-reason"
                          >
                            {role.readOnlyReason}
                          </Typography.Text>
                        )}
                      </Space>
                    ) : (
                      <Button size="small" onClick={() => setEditing(role)} data-testid="role-edit">
                        修改
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        数据范围：“本机构及下级”指担任角色的岗位所在的部门、科室或窗口及其下级；“所在行政区划全域”指该岗位所在区县（或市）内的全部机构。
        {canWrite && (
          <>
            角色在 <Link to="/admin/accounts">账号管理</Link> 页授予岗位。
          </>
        )}
      </Typography.Paragraph>
      {editing && (
        <RoleDialog
          role={editing === 'new' ? undefined : editing}
          roles={items}
          onClose={() => setEditing(null)}
          onDone={(role) => {
            setEditing(null);
            message.success(editing === 'new' ? `已新建角色“${role.name}”` : `角色“${role.name}”已保存`);
            queryClient.invalidateQueries({ queryKey: ['roles'] });
          }}
          onStale={() => queryClient.invalidateQueries({ queryKey: ['roles'] })}
        />
      )}
    </Card>
  );
}
