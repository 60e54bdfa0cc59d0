import { ADMIN_CLASSES, PERMISSIONS } from '@govflow/shared';
import { Descriptions, type DescriptionsProps, Popover, Space, Table, Tag, Typography } from 'antd';
import type { Me, Post } from './api-types';
import { useMe } from './auth-context';

/**
 * Who is logged in: name, account, personal data masked, and for staff their posts, permissions
 * and second factor. The first page of 我的账号.
 */
export function ProfileCard() {
  const me = useMe();

  const items: DescriptionsProps['items'] = [
    {
      key: 'displayName',
      label: '姓名',
      children: <span data-testid="profile-display-name">{me.displayName}</span>,
    },
    { key: 'username', label: '用户名', children: <span data-testid="profile-username">{me.username}</span> },
  ];
  if (me.staffNo) items.push({ key: 'staffNo', label: '工号', children: me.staffNo });
  if (me.adminClass)
    items.push({ key: 'adminClass', label: '管理员类别', children: ADMIN_CLASSES[me.adminClass] });
  if (me.person) items.push({ key: 'idNumber', label: '身份证号', children: me.person.idNumberMasked });
  if (me.phoneMasked) items.push({ key: 'phone', label: '手机号', children: me.phoneMasked });
  if (me.kind === 'staff') items.push(...staffItems(me));

  return (
    <div data-testid="profile">
      <Descriptions column={{ xs: 1, md: 2 }} items={items} />
      {(me.kind === 'staff' || me.posts.length > 0) && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            岗位
          </Typography.Title>
          <Table<Post>
            size="small"
            rowKey="id"
            pagination={false}
            locale={{ emptyText: '无岗位' }}
            dataSource={me.posts}
            columns={[
              { title: '机构', dataIndex: 'orgName' },
              {
                title: '角色',
                dataIndex: 'roleName',
                render: (roleName: string | null) =>
                  roleName ? <Tag color="blue">{roleName}</Tag> : <Tag>待安全管理员授予</Tag>,
              },
              { title: '职务', dataIndex: 'title' },
            ]}
            data-testid="profile-posts"
          />
        </>
      )}
    </div>
  );
}

/** What only a staff account has: permissions and the second factor. */
function staffItems(me: Me): NonNullable<DescriptionsProps['items']> {
  const items: NonNullable<DescriptionsProps['items']> = [];
  items.push({
    key: 'permissions',
    label: '权限',
    children: (
      <Popover
        title="拥有的权限"
        content={
          <Space orientation="vertical" size={2}>
            {me.permissions.map((code) => (
              <span key={code}>
                {PERMISSIONS[code as keyof typeof PERMISSIONS] ?? code}{' '}
                <Typography.Text code>{code}</Typography.Text>
              </span>
            ))}
          </Space>
        }
      >
        <Typography.Link data-testid="profile-permission-count">{me.permissions.length} 项</Typography.Link>
      </Popover>
    ),
  });
  items.push({
    key: 'totp',
    label: '两步验证',
    children: me.totpEnrolled ? <Tag color="green">已启用</Tag> : <Tag>未启用</Tag>,
  });

  return items;
}
