import {
  checkCreditCode,
  ORG_ALLOWED_PARENTS,
  ORG_KIND_NAMES,
  type OrgKind,
  orgKindsUnder,
  REGION_LEVEL_NAMES,
  regionCodeBelongsTo,
  regionLevelOf,
} from '@govflow/shared';
import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api-client';
import type { Org } from '../shared/api-types';
import { QueryError } from '../shared/query-error';
import { isStaleEdit, StaleEditNotice } from '../shared/stale-edit';

interface OrgForm {
  kind: OrgKind;
  name: string;
  code?: string;
  sort?: number;
}

const creditCodeRule = {
  validator: (_: unknown, value?: string) =>
    !value?.trim() || checkCreditCode(value.trim()).ok
      ? Promise.resolve()
      : Promise.reject(new Error('统一社会信用代码无效（18 位，末位为校验码）')),
};

/** A department's, unit's or window's credit code: optional, checked as typed. */
function CreditCodeItem() {
  return (
    <Form.Item name="code" label="统一社会信用代码（可不填）" rules={[creditCodeRule]}>
      <Input maxLength={18} data-testid="org-code" />
    </Form.Item>
  );
}

function SortItem({ optional = false }: { optional?: boolean }) {
  return (
    <Form.Item name="sort" label={optional ? '排列顺序（小者在前，可不填）' : '排列顺序（小者在前）'}>
      <InputNumber min={0} max={100000} precision={0} style={{ width: 160 }} />
    </Form.Item>
  );
}

/** The division code a new region under `parent` needs, as a sentence. */
function regionCodeHint(parent: Org): string {
  const level = parent.code ? regionLevelOf(parent.code) : null;
  if (!parent.code || !level) return '省 6 位如 210000，市 210100，区县 210102，街道 9 位，社区 12 位';
  const next = { province: '市', city: '区县', district: '街道（乡镇），9 位', street: '社区（村），12 位' }[
    level as 'province' | 'city' | 'district' | 'street'
  ];
  return next ? `${parent.name}（${parent.code}）的下一级${next}代码` : '社区之下不能再设行政区划';
}

/** 新增下级机构 (system administrator): a region with its division code, or a department, unit, window. */
export function CreateOrgDialog({
  parent,
  onClose,
  onDone,
}: {
  parent: Org;
  onClose: () => void;
  onDone: (org: Org) => void;
}) {
  const [form] = Form.useForm<OrgForm>();
  const kinds = orgKindsUnder(parent.kind);
  const kind = Form.useWatch('kind', form);
  const code = Form.useWatch('code', form);
  const create = useMutation({
    mutationFn: (values: OrgForm) =>
      api.post<Org>('/orgs', {
        parentId: parent.id,
        kind: values.kind,
        name: values.name,
        ...(values.code?.trim() ? { code: values.code.trim() } : {}),
        ...(values.sort !== undefined && values.sort !== null ? { sort: values.sort } : {}),
      }),
    onSuccess: onDone,
  });
  const level = kind === 'region' && code ? regionLevelOf(code.trim()) : null;

  return (
    <Modal
      open
      title={`在“${parent.name}”下新增机构`}
      okText="新增"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'org-create-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        行政区划之下可设下级区划和部门；部门、科室之下可设科室和窗口。新增记入审计日志。
      </Typography.Paragraph>
      <QueryError error={create.error} />
      <Form<OrgForm>
        form={form}
        layout="vertical"
        initialValues={{ kind: kinds.includes('department') ? 'department' : kinds[0] }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
          <Select
            data-testid="org-kind"
            options={kinds.map((k) => ({ value: k, label: ORG_KIND_NAMES[k] }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, whitespace: true, message: '请输入名称' }]}
        >
          <Input maxLength={100} data-testid="org-name" />
        </Form.Item>
        {kind === 'region' ? (
          <Form.Item
            name="code"
            label="行政区划代码"
            extra={
              level
                ? `级别：${REGION_LEVEL_NAMES[level]}。创建后不能修改。`
                : `${regionCodeHint(parent)}。创建后不能修改。`
            }
            rules={[
              { required: true, message: '请输入行政区划代码' },
              {
                validator: (_, value?: string) =>
                  !value ||
                  (regionLevelOf(value.trim()) &&
                    (!parent.code || regionCodeBelongsTo(value.trim(), parent.code)))
                    ? Promise.resolve()
                    : Promise.reject(new Error(`应为${regionCodeHint(parent)}`)),
              },
            ]}
          >
            <Input maxLength={12} data-testid="org-code" />
          </Form.Item>
        ) : (
          <CreditCodeItem />
        )}
        <SortItem optional />
      </Form>
    </Modal>
  );
}

/**
 * 修改机构 (system administrator): name, order, kind where the tree allows, a non-region's credit
 * code. The edit names the version the form shows; when someone changed the org meanwhile the
 * server refuses it (409), and the form reloads the org and says so.
 */
export function EditOrgDialog({
  org: opened,
  parent,
  childKinds,
  onClose,
  onDone,
  onStale,
}: {
  org: Org;
  parent: Org | undefined;
  childKinds: OrgKind[];
  onClose: () => void;
  onDone: (org: Org) => void;
  /** The org changed meanwhile: the page reloads its tree. */
  onStale: () => void;
}) {
  const [form] = Form.useForm<OrgForm>();
  // The org as the form shows it: a refetch of the tree behind the dialog does not change it.
  const [org, setOrg] = useState(opened);
  const code = Form.useWatch('code', form);
  const update = useMutation({
    mutationFn: async (values: OrgForm): Promise<Org> => {
      const changes: Record<string, unknown> = {};
      if (values.name.trim() !== org.name) changes.name = values.name.trim();
      if (values.kind !== org.kind) changes.kind = values.kind;
      if (values.sort !== undefined && values.sort !== null && values.sort !== org.sort)
        changes.sort = values.sort;
      if (org.kind !== 'region' && (values.code?.trim() ?? '') !== (org.code ?? '')) {
        changes.code = values.code?.trim() ?? '';
      }
      return Object.keys(changes).length
        ? api.patch<Org>(`/orgs/${encodeURIComponent(org.id)}`, { ...changes, expectedVersion: org.version })
        : org;
    },
    onSuccess: onDone,
    onError: async (error) => {
      if (!isStaleEdit(error)) return;
      const fresh = await api.get<Org>(`/orgs/${encodeURIComponent(org.id)}`);
      setOrg(fresh);
      form.setFieldsValue({ kind: fresh.kind, name: fresh.name, code: fresh.code ?? '', sort: fresh.sort });
      onStale();
    },
  });
  const codeChanges = org.kind !== 'region' && Boolean(org.code) && (code?.trim() ?? org.code) !== org.code;

  /** Why `kind` cannot be chosen here, or null when it can. */
  function kindRefusal(kind: OrgKind): string | null {
    if (kind === org.kind) return null;
    if (org.kind === 'region' || kind === 'region') return '行政区划与部门、科室、窗口不能互换';
    if (parent && !ORG_ALLOWED_PARENTS[kind].includes(parent.kind)) {
      return `${ORG_KIND_NAMES[kind]}不能设在${ORG_KIND_NAMES[parent.kind]}之下`;
    }
    const misfit = childKinds.find((c) => !ORG_ALLOWED_PARENTS[c].includes(kind));
    if (misfit)
      return `其下设有${ORG_KIND_NAMES[misfit]}，${ORG_KIND_NAMES[kind]}之下不能设${ORG_KIND_NAMES[misfit]}`;
    return null;
  }

  return (
    <Modal
      open
      title={`修改机构：${org.name}`}
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={update.isPending}
      okButtonProps={{ 'data-testid': 'org-edit-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        机构不能移动到其他上级之下：各业务数据按机构所在位置划定查看范围。修改记入审计日志。
      </Typography.Paragraph>
      {isStaleEdit(update.error) ? (
        <StaleEditNotice error={update.error} version={org.version} />
      ) : (
        <QueryError error={update.error} />
      )}
      <Form<OrgForm>
        form={form}
        layout="vertical"
        initialValues={{ kind: org.kind, name: org.name, code: org.code ?? '', sort: org.sort }}
        onFinish={(values) => update.mutate(values)}
      >
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, whitespace: true, message: '请输入名称' }]}
        >
          <Input maxLength={100} data-testid="org-name" />
        </Form.Item>
        <Form.Item name="kind" label="类型">
          <Select
            data-testid="org-kind"
            options={(Object.keys(ORG_KIND_NAMES) as OrgKind[]).map((k) => {
              const refusal = kindRefusal(k);
              return {
                value: k,
                disabled: Boolean(refusal),
                label: refusal ? (
                  <span title={refusal}>
                    {ORG_KIND_NAMES[k]}
                    <Typography.Text type="secondary">（{refusal}）</Typography.Text>
                  </span>
                ) : (
                  ORG_KIND_NAMES[k]
                ),
              };
            })}
          />
        </Form.Item>
        {org.kind === 'region' ? (
          <Form.Item
            label="行政区划代码"
            extra="行政区划代码创建后不能修改：人员、企业和工作日历按代码对应到区划。区划调整请新建区划。"
          >
            <Input
              value={`${org.code ?? ''}${org.regionLevel ? `（${REGION_LEVEL_NAMES[org.regionLevel]}）` : ''}`}
              disabled
            />
          </Form.Item>
        ) : (
          <CreditCodeItem />
        )}
        {codeChanges && (
          <Alert
            type="warning"
            showIcon
            title="事项的实施编码内含原统一社会信用代码中的组织机构代码，已生成的实施编码不会随之改变"
            description="确属代码变更时再修改，并请事项管理员核对本机构的事项；此修改连同提示记入审计日志。"
            style={{ marginBottom: 16 }}
            data-testid="org-code-warning"
          />
        )}
        <SortItem />
      </Form>
    </Modal>
  );
}
