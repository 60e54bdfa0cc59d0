import { PlusOutlined } from '@ant-design/icons';
import { ADMIN_CLASSES } from '@govflow/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { api } from '../shared/api-client';
import type { Account, Me, Post } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { formatBeijingTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { AddPostDialog, CreateAccountDialog, GrantRoleDialog } from './account-dialogs';

/** What each administrator does here, and who does the rest (三员分立). */
function dutiesOf(me: Me): string {
  if (me.permissions.includes('user:write')) {
    return '您是系统管理员：可新建账号、为账号增加或撤销岗位、停用和启用账号。岗位不带角色，角色由安全管理员授予；管理员账号的岗位也由安全管理员授予和撤销，解锁、重置动态口令和强制下线也由安全管理员办理；全部操作由审计管理员查阅（三员分立）。';
  }
  if (me.permissions.includes('role:write')) {
    return '您是安全管理员：可为岗位授予或移除角色、解锁账号、重置动态口令、强制下线。新建账号、增减岗位、停用和启用账号由系统管理员办理；全部操作由审计管理员查阅（三员分立）。';
  }
  if (me.permissions.includes('audit:read')) {
    return '您是审计管理员：只能查看账号。新建账号、增减岗位、停用和启用由系统管理员办理，角色、解锁和下线由安全管理员办理；他们的每次操作可在“审计日志”页查阅（三员分立）。';
  }
  return '您只能查看账号。新建账号、增减岗位、停用和启用由系统管理员办理，角色、解锁和下线由安全管理员办理（三员分立）。';
}

function isLocked(account: Account): boolean {
  return Boolean(account.lockedUntil && new Date(account.lockedUntil).getTime() > Date.now());
}

function AccountStatus({ account }: { account: Account }) {
  if (account.status === 'disabled') return <Tag color="default">已停用</Tag>;
  if (isLocked(account)) {
    return (
      <Space orientation="vertical" size={0}>
        <Tag color="warning">已锁定</Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          至 {formatBeijingTime(account.lockedUntil)}（北京时间）
        </Typography.Text>
      </Space>
    );
  }
  return (
    <Space orientation="vertical" size={0}>
      <Tag color="success">正常</Tag>
      {account.mustChangePassword && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          待首次登录改密
        </Typography.Text>
      )}
    </Space>
  );
}

/** A button that explains, in a tooltip, why it cannot be used. */
function ActionButton({
  reason,
  children,
  ...props
}: { reason?: string | null; children: ReactNode } & Parameters<typeof Button>[0]) {
  if (!reason)
    return (
      <Button size="small" {...props}>
        {children}
      </Button>
    );
  return (
    <Tooltip title={reason}>
      <Button size="small" {...props} disabled>
        {children}
      </Button>
    </Tooltip>
  );
}

type Action = 'disable' | 'enable' | 'unlock' | 'totp/reset' | 'sessions/revoke';

const DONE: Record<Action, string> = {
  disable: '账号已停用，其全部会话已结束',
  enable: '账号已启用',
  unlock: '账号已解锁',
  'totp/reset': '动态口令已重置，该用户下次登录后须重新绑定',
  'sessions/revoke': '该用户的全部会话已结束',
};

/**
 * 账号管理: the accounts in the caller's scope. The system administrator creates, disables and
 * enables accounts; the security administrator attaches roles to posts, unlocks, resets the second
 * factor and ends sessions. Each sees only the actions of their class; the server enforces them.
 */
export function AccountsPage() {
  const me = useMe();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const isSystem = me.permissions.includes('user:write');
  const canGrant = me.permissions.includes('role:write');
  const canUnlock = me.permissions.includes('account:unlock');
  const canRevoke = me.permissions.includes('session:revoke');
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<{ account: Account; post: Post } | null>(null);
  const [addingPostTo, setAddingPostTo] = useState<Account | null>(null);

  const accounts = useQuery({
    queryKey: ['accounts'],
    queryFn: async () => (await api.get<{ items: Account[] }>('/users')).items,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['accounts'] });

  const act = useMutation({
    mutationFn: ({ account, action }: { account: Account; action: Action }) =>
      api.post(`/users/${encodeURIComponent(account.id)}/${action}`),
    onSuccess: (_, { action }) => {
      message.success(DONE[action]);
      refresh();
    },
  });
  const removeRole = useMutation({
    mutationFn: ({ account, post }: { account: Account; post: Post }) =>
      api.delete(`/users/${encodeURIComponent(account.id)}/posts/${encodeURIComponent(post.id)}/role`),
    onSuccess: () => {
      message.success('已移除岗位的角色');
      refresh();
    },
  });
  const removePost = useMutation({
    mutationFn: ({ account, post }: { account: Account; post: Post }) =>
      api.delete(`/users/${encodeURIComponent(account.id)}/posts/${encodeURIComponent(post.id)}`),
    onSuccess: () => {
      message.success('岗位已撤销');
      refresh();
    },
  });
  const actionError = act.error ?? removeRole.error ?? removePost.error;
  const resetErrors = () => {
    act.reset();
    removeRole.reset();
    removePost.reset();
  };

  function confirm(account: Account, action: Action, title: string, content: string, danger = false) {
    resetErrors();
    modal.confirm({
      title,
      content,
      okText: '确定',
      cancelText: '取消',
      okButtonProps: { danger, 'data-testid': 'confirm-ok' },
      onOk: () => act.mutateAsync({ account, action }).catch(() => {}),
    });
  }

  const self = (account: Account) => account.id === me.id;

  function postCell(account: Account) {
    if (account.posts.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
    return (
      <Space orientation="vertical" size={4}>
        {account.posts.map((post) => (
          <Space key={post.id} size={4} wrap data-testid="account-post">
            <span>{post.orgName}</span>
            <span>·</span>
            <span>{post.title}</span>
            {post.roleName ? (
              <Tag color="blue">{post.roleName}</Tag>
            ) : (
              <Tag color="orange">待安全管理员授予</Tag>
            )}
            {canGrant &&
              (post.roleCode ? (
                <ActionButton
                  type="link"
                  reason={self(account) ? '不能修改自己的角色' : null}
                  onClick={() => {
                    resetErrors();
                    modal.confirm({
                      title: `移除 ${account.displayName} 在“${post.orgName} · ${post.title}”的角色？`,
                      content: `移除后该岗位不再授予“${post.roleName}”的任何权限，岗位本身保留。`,
                      okText: '移除',
                      cancelText: '取消',
                      okButtonProps: { danger: true, 'data-testid': 'confirm-ok' },
                      onOk: () => removeRole.mutateAsync({ account, post }).catch(() => {}),
                    });
                  }}
                >
                  移除角色
                </ActionButton>
              ) : (
                <ActionButton
                  type="link"
                  reason={self(account) ? '不能给自己授予角色' : null}
                  onClick={() => {
                    resetErrors();
                    setGranting({ account, post });
                  }}
                  data-testid="grant-role"
                >
                  授予角色
                </ActionButton>
              ))}
            {isSystem && !account.adminClass && (
              <ActionButton
                type="link"
                danger
                reason={account.posts.length === 1 ? '账号至少保留一个岗位；不再任职请停用账号' : null}
                data-testid="post-remove"
                onClick={() => {
                  resetErrors();
                  modal.confirm({
                    title: `撤销 ${account.displayName} 在“${post.orgName} · ${post.title}”的岗位？`,
                    content: post.roleName
                      ? `岗位上的角色“${post.roleName}”随岗位一并撤销，其权限立即失效。`
                      : '该岗位尚无角色，撤销后不影响账号的其他岗位。',
                    okText: '撤销岗位',
                    cancelText: '取消',
                    okButtonProps: { danger: true, 'data-testid': 'confirm-ok' },
                    onOk: () => removePost.mutateAsync({ account, post }).catch(() => {}),
                  });
                }}
              >
                撤销岗位
              </ActionButton>
            )}
          </Space>
        ))}
      </Space>
    );
  }

  function actionsCell(account: Account) {
    const buttons: ReactNode[] = [];
    if (isSystem) {
      buttons.push(
        <ActionButton
          key="add-post"
          reason={
            account.adminClass
              ? `管理员账号只担任${ADMIN_CLASSES[account.adminClass]}岗位（三员分立），由安全管理员授予`
              : null
          }
          data-testid="post-add"
          onClick={() => {
            resetErrors();
            setAddingPostTo(account);
          }}
        >
          增加岗位
        </ActionButton>,
      );
      const reason = self(account) ? '不能停用或启用自己的账号，请由另一位系统管理员操作' : null;
      buttons.push(
        account.status === 'active' ? (
          <ActionButton
            key="disable"
            reason={reason}
            data-testid="account-disable"
            onClick={() =>
              confirm(
                account,
                'disable',
                `停用账号 ${account.displayName}（${account.username}）？`,
                '停用后该账号的全部会话立即结束，不能再登录，直到重新启用。',
                true,
              )
            }
          >
            停用
          </ActionButton>
        ) : (
          <ActionButton
            key="enable"
            reason={reason}
            data-testid="account-enable"
            onClick={() =>
              confirm(
                account,
                'enable',
                `启用账号 ${account.displayName}（${account.username}）？`,
                '启用后该账号可再次登录；停用前的会话不会恢复。',
              )
            }
          >
            启用
          </ActionButton>
        ),
      );
    }
    if (canUnlock && isLocked(account)) {
      buttons.push(
        <ActionButton
          key="unlock"
          data-testid="account-unlock"
          onClick={() =>
            confirm(
              account,
              'unlock',
              `解锁账号 ${account.displayName}？`,
              '解锁后清除该账号在所有地址的登录失败计数，可立即重新登录。',
            )
          }
        >
          解锁
        </ActionButton>,
      );
    }
    if (canUnlock && account.totpEnrolled) {
      buttons.push(
        <ActionButton
          key="totp"
          reason={self(account) ? '请在“两步验证”页管理自己的动态口令' : null}
          onClick={() =>
            confirm(
              account,
              'totp/reset',
              `重置 ${account.displayName} 的动态口令？`,
              '用于设备丢失：重置后该账号凭密码登录，并须重新绑定身份验证器。请先核实本人身份。',
              true,
            )
          }
        >
          重置动态口令
        </ActionButton>,
      );
    }
    if (canRevoke) {
      buttons.push(
        <ActionButton
          key="revoke"
          reason={self(account) ? '请在“我的会话”页退出自己的会话' : null}
          onClick={() =>
            confirm(
              account,
              'sessions/revoke',
              `强制 ${account.displayName} 下线？`,
              '该账号在所有设备上的会话立即结束，须重新登录。',
              true,
            )
          }
        >
          强制下线
        </ActionButton>,
      );
    }
    return buttons.length ? (
      <Space size={4} wrap>
        {buttons}
      </Space>
    ) : (
      <Typography.Text type="secondary">—</Typography.Text>
    );
  }

  return (
    <Card
      title="账号管理"
      extra={
        isSystem && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="account-create"
          >
            新建账号
          </Button>
        )
      }
    >
      <Alert
        type="info"
        showIcon
        title={dutiesOf(me)}
        style={{ marginBottom: 16 }}
        data-testid="accounts-duties"
      />
      <QueryError error={accounts.error} />
      <QueryError error={actionError} />
      <Table<Account>
        rowKey="id"
        size="middle"
        loading={accounts.isFetching}
        dataSource={accounts.data}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, showTotal: (total) => `共 ${total} 个账号`, hideOnSinglePage: true }}
        columns={[
          {
            title: '姓名',
            dataIndex: 'displayName',
            render: (name: string, account) => (
              <Space size={4}>
                <span>{name}</span>
                {account.adminClass && <Tag color="purple">{ADMIN_CLASSES[account.adminClass]}</Tag>}
                {self(account) && <Tag>本人</Tag>}
              </Space>
            ),
          },
          { title: '用户名', dataIndex: 'username' },
          { title: '所属单位 · 岗位 · 角色', key: 'posts', render: (_, account) => postCell(account) },
          { title: '状态', key: 'status', render: (_, account) => <AccountStatus account={account} /> },
          {
            title: '最近登录',
            dataIndex: 'lastLoginAt',
            render: (at: string | null) =>
              at ? formatBeijingTime(at) : <Typography.Text type="secondary">从未登录</Typography.Text>,
          },
          { title: '操作', key: 'actions', render: (_, account) => actionsCell(account) },
        ]}
      />
      {creating && (
        <CreateAccountDialog
          onClose={() => setCreating(false)}
          onCreated={(account) => {
            setCreating(false);
            message.success(`账号 ${account.username} 已创建，岗位待安全管理员授予角色`);
            refresh();
          }}
        />
      )}
      {addingPostTo && (
        <AddPostDialog
          account={addingPostTo}
          onClose={() => setAddingPostTo(null)}
          onAdded={() => {
            setAddingPostTo(null);
            message.success('岗位已增加，待安全管理员授予角色');
            refresh();
          }}
        />
      )}
      {granting && (
        <GrantRoleDialog
          account={granting.account}
          post={granting.post}
          onClose={() => setGranting(null)}
          onGranted={() => {
            setGranting(null);
            message.success('已授予角色');
            refresh();
          }}
        />
      )}
    </Card>
  );
}
