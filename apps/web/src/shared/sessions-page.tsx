import { describeUserAgent } from '@govflow/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from './api-client';
import type { Session } from './api-types';
import { formatTime } from './format-time';
import { QueryError } from './query-error';

/** The account's own sessions on every device; any but the current one can be revoked here. */
export function SessionsPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: async () => {
      const answer = await api.get<{ items: Session[] }>('/me/sessions');
      return answer.items;
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<void>(`/me/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => {
      message.success('会话已退出');
      queryClient.invalidateQueries({ queryKey: ['sessions'] });
    },
    onError: (error) => message.error(error.message),
  });

  return (
    <>
      <Typography.Paragraph type="secondary">
        以下是本账号在各设备上的登录会话。发现不认识的会话时，请将其退出并
        <Link to="/account/password">修改密码</Link>（修改后其他设备上的会话全部退出）。
      </Typography.Paragraph>
      <QueryError error={sessions.error} />
      <Table<Session>
        rowKey="id"
        loading={sessions.isPending}
        dataSource={sessions.data}
        pagination={false}
        columns={[
          {
            title: '登录时间',
            dataIndex: 'createdAt',
            render: (value: string, session) => (
              <>
                {formatTime(value)} {session.current && <Tag color="green">当前会话</Tag>}
              </>
            ),
          },
          { title: '最近活动', dataIndex: 'lastSeenAt', render: formatTime },
          { title: 'IP 地址', dataIndex: 'ip' },
          {
            title: '浏览器与设备',
            dataIndex: 'userAgent',
            // The browser and system by name; the full User-Agent on hover, for the technically minded.
            render: (ua: string | null) => <span title={ua ?? undefined}>{describeUserAgent(ua)}</span>,
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, session) =>
              session.current ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Popconfirm
                  title="确定退出该会话？"
                  okText="退出"
                  cancelText="取消"
                  onConfirm={() => revoke.mutate(session.id)}
                >
                  <Button danger size="small" loading={revoke.isPending && revoke.variables === session.id}>
                    退出
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </>
  );
}
