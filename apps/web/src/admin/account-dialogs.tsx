import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Select, Space, TreeSelect, Typography } from 'antd';
import { api } from '../shared/api-client';
import type { Account, Org, Post, Role } from '../shared/api-types';
import { QueryError } from '../shared/query-error';

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

/** The orgs in scope as a tree for a select; orgs whose parent is outside the scope become roots. */
function orgOptions(orgs: Org[]): TreeOption[] {
  const sorted = [...orgs].sort((a, b) => a.depth - b.depth || a.path.localeCompare(b.path));
  const nodes = new Map(
    sorted.map((o) => [o.id, { value: o.id, title: o.name, children: [] as TreeOption[] }]),
  );
  const roots: TreeOption[] = [];
  for (const org of sorted) {
    const node = nodes.get(org.id) as TreeOption;
    const parent = org.parentId ? nodes.get(org.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

interface CreateForm {
  username: string;
  displayName: string;
  password: string;
  posts: { orgId: string; title: string }[];
}

/** 新建账号 (system administrator): the account and its posts, no role; the holder changes the password first. */
export function CreateAccountDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (account: Account) => void;
}) {
  const [form] = Form.useForm<CreateForm>();
  const orgs = useQuery({ queryKey: ['orgs'], queryFn: () => api.get<{ items: Org[] }>('/orgs') });
  const create = useMutation({
    mutationFn: (values: CreateForm) => api.post<Account>('/users', values),
    onSuccess: onCreated,
  });

  return (
    <Modal
      open
      title="新建账号"
      okText="创建"
      cancelText="取消"
      width={640}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'create-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        岗位只定单位和职务，不带角色：角色由安全管理员在岗位上授予，授予前该岗位没有任何权限。初始密码由您告知本人，首次登录须修改。
      </Typography.Paragraph>
      <QueryError error={orgs.error} />
      <QueryError error={create.error} />
      <Form<CreateForm>
        form={form}
        layout="vertical"
        initialValues={{ posts: [{ orgId: undefined, title: '' }] }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item
          name="username"
          label="用户名"
          rules={[
            { required: true, message: '请输入用户名' },
            { pattern: /^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/, message: '3–32 位字母、数字、._-，以字母开头' },
          ]}
        >
          <Input autoComplete="off" data-testid="create-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}
        >
          <Input maxLength={50} data-testid="create-display-name" />
        </Form.Item>
        <Form.Item
          name="password"
          label="初始密码"
          extra="至少 8 位，含大写字母、小写字母、数字、符号中的至少三类"
          rules={[{ required: true, message: '请输入初始密码' }]}
        >
          <Input.Password autoComplete="new-password" data-testid="create-password" />
        </Form.Item>
        <Form.List name="posts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="start" style={{ display: 'flex' }}>
                  <Form.Item
                    name={[field.name, 'orgId']}
                    label={index === 0 ? '岗位所在单位' : undefined}
                    rules={[{ required: true, message: '请选择单位' }]}
                  >
                    <TreeSelect
                      style={{ width: 320 }}
                      treeData={orgOptions(orgs.data?.items ?? [])}
                      loading={orgs.isPending}
                      showSearch={{ treeNodeFilterProp: 'title' }}
                      treeDefaultExpandAll
                      placeholder="选择单位"
                      data-testid={`create-post-org-${index}`}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'title']}
                    label={index === 0 ? '职务' : undefined}
                    rules={[{ required: true, whitespace: true, message: '请输入职务' }]}
                  >
                    <Input
                      style={{ width: 200 }}
                      maxLength={100}
                      placeholder="如 科员"
                      data-testid={`create-post-title-${index}`}
                    />
                  </Form.Item>
                  {fields.length > 1 && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label="删除岗位"
                      onClick={() => remove(field.name)}
                      style={{ marginTop: index === 0 ? 30 : 0 }}
                    />
                  )}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '' })}>
                增加岗位
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** 增加岗位 (system administrator): one more role-less post, at an org in scope, for an existing account. */
export function AddPostDialog({
  account,
  onClose,
  onAdded,
}: {
  account: Account;
  onClose: () => void;
  onAdded: () => void;
}) {
  const [form] = Form.useForm<{ orgId: string; title: string }>();
  const orgs = useQuery({ queryKey: ['orgs'], queryFn: () => api.get<{ items: Org[] }>('/orgs') });
  const add = useMutation({
    mutationFn: (values: { orgId: string; title: string }) =>
      api.post(`/users/${encodeURIComponent(account.id)}/posts`, values),
    onSuccess: onAdded,
  });

  return (
    <Modal
      open
      title={`增加岗位：${account.displayName}（${account.username}）`}
      okText="增加"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={add.isPending}
      okButtonProps={{ 'data-testid': 'post-add-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph>
        现有岗位：
        {account.posts.map((p) => `${p.orgName} · ${p.title}`).join('；') || '无'}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        新岗位不带角色，授予角色前没有任何权限；同一单位的无角色岗位只能有一个。
      </Typography.Paragraph>
      <QueryError error={orgs.error} />
      <QueryError error={add.error} />
      <Form form={form} layout="vertical" onFinish={(values) => add.mutate(values)}>
        <Form.Item name="orgId" label="岗位所在单位" rules={[{ required: true, message: '请选择单位' }]}>
          <TreeSelect
            treeData={orgOptions(orgs.data?.items ?? [])}
            loading={orgs.isPending}
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder="选择单位"
            data-testid="post-add-org"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label="职务"
          rules={[{ required: true, whitespace: true, message: '请输入职务' }]}
        >
          <Input maxLength={100} placeholder="如 科员" data-testid="post-add-title" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 授予角色 (security administrator): one role on one role-less post. */
export function GrantRoleDialog({
  account,
  post,
  onClose,
  onGranted,
}: {
  account: Account;
  post: Post;
  onClose: () => void;
  onGranted: () => void;
}) {
  const [form] = Form.useForm<{ roleCode: string }>();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.get<{ items: Role[] }>('/roles') });
  const grant = useMutation({
    mutationFn: ({ roleCode }: { roleCode: string }) =>
      api.put(`/users/${encodeURIComponent(account.id)}/posts/${encodeURIComponent(post.id)}/role`, {
        roleCode,
      }),
    onSuccess: onGranted,
  });
  const items = roles.data?.items ?? [];
  const option = (r: Role) => ({ value: r.code, label: r.name, title: r.description || r.name });

  return (
    <Modal
      open
      title={`授予角色：${account.displayName}（${account.username}）`}
      okText="授予"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={grant.isPending}
      okButtonProps={{ 'data-testid': 'grant-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph>
        岗位：{post.orgName} · {post.title}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        一个岗位担任一个角色。管理员角色（三员）与业务角色不能由同一账号兼任，也不能兼任两类管理员。
      </Typography.Paragraph>
      <QueryError error={roles.error} />
      <QueryError error={grant.error} />
      <Form form={form} layout="vertical" onFinish={(values) => grant.mutate(values)}>
        <Form.Item name="roleCode" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select
            loading={roles.isPending}
            placeholder="选择角色"
            data-testid="grant-role-select"
            options={[
              { label: '业务角色', options: items.filter((r) => !r.adminClass).map(option) },
              {
                label: '管理员角色（三员）',
                options: items.filter((r) => r.adminClass).map(option),
              },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
