import { TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Col, List, Row, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../shared/api-client';
import type { Account, Me } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { formatBeijingTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';

const SHOWN = 5;

interface Attention {
  key: string;
  title: string;
  /** Who acts on it (三员分立): shown to the other administrator. */
  handledBy: 'system' | 'security';
  empty: string;
  rows: { id: string; text: string }[];
}

function isLocked(account: Account, now: number): boolean {
  return Boolean(account.lockedUntil && new Date(account.lockedUntil).getTime() > now);
}

function attentionOf(accounts: Account[]): Attention[] {
  const now = Date.now();
  const active = accounts.filter((a) => a.status === 'active');
  const who = (a: Account) => `${a.displayName}（${a.username}）`;
  return [
    {
      key: 'locked',
      title: '已锁定的账号',
      handledBy: 'security',
      empty: '没有被锁定的账号',
      rows: active
        .filter((a) => isLocked(a, now))
        .map((a) => ({ id: a.id, text: `${who(a)}，锁定至 ${formatBeijingTime(a.lockedUntil)}` })),
    },
    {
      key: 'role-less',
      title: '待授予角色的岗位',
      handledBy: 'security',
      empty: '所有岗位都已授予角色',
      rows: active.flatMap((a) =>
        a.posts
          .filter((p) => !p.roleCode)
          .map((p) => ({
            id: `${a.id}:${p.id}`,
            text: `${who(a)}，${p.orgName}${p.title ? ` ${p.title}` : ''}`,
          })),
      ),
    },
    {
      key: 'must-change-password',
      title: '尚未首次登录改密的账号',
      handledBy: 'system',
      empty: '新建的账号都已设置自己的密码',
      rows: active.filter((a) => a.mustChangePassword).map((a) => ({ id: a.id, text: who(a) })),
    },
    {
      key: 'disabled',
      title: '已停用的账号',
      handledBy: 'system',
      empty: '没有停用的账号',
      rows: accounts.filter((a) => a.status === 'disabled').map((a) => ({ id: a.id, text: who(a) })),
    },
  ];
}

/** Whose work an attention list is for this administrator: their own first. */
function isMine(me: Me, a: Attention): boolean {
  return a.handledBy === 'security'
    ? me.permissions.includes('role:write') || me.permissions.includes('account:unlock')
    : me.permissions.includes('user:write');
}

/**
 * The system and security administrators' home: the accounts that need one of them — locked,
 * posts without a role, passwords not yet changed, disabled — their own duties first.
 */
export function AccountsAttentionCard() {
  const me = useMe();
  const accounts = useQuery({
    // The same query as the accounts page: one cache, refreshed by its actions.
    queryKey: ['accounts'],
    queryFn: async () => (await api.get<{ items: Account[] }>('/users')).items,
  });
  const lists = attentionOf(accounts.data ?? []).sort(
    (a, b) => Number(isMine(me, b)) - Number(isMine(me, a)),
  );

  return (
    <Card
      title={
        <Space>
          <TeamOutlined />
          需要关注的账号
        </Space>
      }
      extra={<Link to="/admin/accounts">账号管理</Link>}
      loading={accounts.isPending}
    >
      <QueryError error={accounts.error} />
      <Row gutter={[16, 16]}>
        {lists.map((a) => (
          <Col key={a.key} xs={24} md={12} xxl={6} data-testid={`attention-${a.key}`}>
            <Space>
              <Typography.Text strong>{a.title}</Typography.Text>
              <Badge
                count={a.rows.length}
                showZero
                color={a.rows.length && isMine(me, a) ? '#cf1322' : '#8c8c8c'}
              />
            </Space>
            {!isMine(me, a) && (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  由{a.handledBy === 'security' ? '安全管理员' : '系统管理员'}办理
                </Typography.Text>
              </div>
            )}
            <List
              size="small"
              split={false}
              dataSource={a.rows.slice(0, SHOWN)}
              locale={{ emptyText: a.empty }}
              renderItem={(row) => (
                <List.Item style={{ paddingInline: 0 }}>
                  <Typography.Text ellipsis style={{ maxWidth: '100%' }}>
                    {row.text}
                  </Typography.Text>
                </List.Item>
              )}
            />
            {a.rows.length > SHOWN && (
              <Typography.Text type="secondary">另有 {a.rows.length - SHOWN} 项</Typography.Text>
            )}
          </Col>
        ))}
      </Row>
    </Card>
  );
}
