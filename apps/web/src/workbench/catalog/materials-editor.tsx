import {
  MATERIAL_FORMS,
  MATERIAL_SOURCES,
  type Material,
  REUSE_CLASSES,
  type Scenario,
} from '@govflow/shared';
import { Button, Input, InputNumber, Select, Switch, Table } from 'antd';

const options = (table: Record<string, string>) =>
  Object.entries(table).map(([value, label]) => ({ value, label }));
const formOptions = options(MATERIAL_FORMS);
const sourceOptions = options(MATERIAL_SOURCES);
const reuseOptions = options(REUSE_CLASSES);

/** A key `m-<n>` that no material of the list uses yet. */
function nextMaterialKey(materials: Material[]): string {
  const used = new Set(materials.map((m) => m.key));
  let n = materials.length + 1;
  while (used.has(`m-${n}`)) n += 1;
  return `m-${n}`;
}

export function newMaterial(materials: Material[]): Material {
  return {
    key: nextMaterialKey(materials),
    name: '',
    form: 'original',
    source: 'applicant',
    copies: 1,
    medium: 'both',
    required: true,
    scenarioKey: null,
    acceptanceStandard: '',
    sampleUrl: '',
    eform: false,
    ecopyRequired: false,
    deferrable: false,
    waivable: false,
    sealRequirement: '',
    validityDays: null,
    verifyingDepartment: '',
    reuseClass: 'not-reusable',
  };
}

/** The service group's materials as an editable table; attributes without a column are kept as loaded. */
export function MaterialsEditor({
  materials,
  scenarios,
  editable,
  onChange,
}: {
  materials: Material[];
  scenarios: Scenario[];
  editable: boolean;
  onChange: (materials: Material[]) => void;
}) {
  const patch = (index: number, change: Partial<Material>) =>
    onChange(materials.map((m, i) => (i === index ? { ...m, ...change } : m)));
  const scenarioOptions = [
    { value: '', label: '通用' },
    ...scenarios.map((s) => ({ value: s.key, label: s.name })),
  ];
  return (
    <div style={{ marginBottom: 24 }}>
      <Table<Material>
        data-testid="materials-table"
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={materials}
        columns={[
          {
            title: '材料名称',
            key: 'name',
            render: (_, m, i) => (
              <Input
                value={m.name}
                disabled={!editable}
                maxLength={200}
                status={m.name.trim() ? undefined : 'error'}
                placeholder="必填"
                style={{ minWidth: 200 }}
                data-testid={`material-name-${i}`}
                onChange={(e) => patch(i, { name: e.target.value })}
              />
            ),
          },
          {
            title: '形式',
            key: 'form',
            render: (_, m, i) => (
              <Select
                value={m.form}
                disabled={!editable}
                options={formOptions}
                style={{ width: 130 }}
                onChange={(form) => patch(i, { form })}
              />
            ),
          },
          {
            title: '来源',
            key: 'source',
            render: (_, m, i) => (
              <Select
                value={m.source}
                disabled={!editable}
                options={sourceOptions}
                style={{ width: 130 }}
                onChange={(source) => patch(i, { source })}
              />
            ),
          },
          {
            title: '份数',
            key: 'copies',
            render: (_, m, i) => (
              <InputNumber
                value={m.copies}
                disabled={!editable}
                min={0}
                max={99}
                precision={0}
                style={{ width: 70 }}
                onChange={(copies) => patch(i, { copies: copies ?? 0 })}
              />
            ),
          },
          {
            title: '必需',
            key: 'required',
            render: (_, m, i) => (
              <Switch
                checked={m.required}
                disabled={!editable}
                onChange={(required) => patch(i, { required })}
              />
            ),
          },
          {
            title: '情形',
            key: 'scenario',
            render: (_, m, i) => (
              <Select
                value={m.scenarioKey ?? ''}
                disabled={!editable}
                options={
                  m.scenarioKey && !scenarios.some((s) => s.key === m.scenarioKey)
                    ? [...scenarioOptions, { value: m.scenarioKey, label: m.scenarioKey }]
                    : scenarioOptions
                }
                style={{ width: 140 }}
                onChange={(value: string) => patch(i, { scenarioKey: value || null })}
              />
            ),
          },
          {
            title: '复用类型',
            key: 'reuseClass',
            render: (_, m, i) => (
              <Select
                value={m.reuseClass}
                disabled={!editable}
                options={reuseOptions}
                style={{ width: 130 }}
                onChange={(reuseClass) => patch(i, { reuseClass })}
              />
            ),
          },
          {
            title: '容缺',
            key: 'deferrable',
            render: (_, m, i) => (
              <Switch
                checked={m.deferrable}
                disabled={!editable}
                onChange={(deferrable) => patch(i, { deferrable })}
              />
            ),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, _m, i) => (
              <Button
                danger
                type="link"
                disabled={!editable}
                data-testid={`material-delete-${i}`}
                onClick={() => onChange(materials.filter((_, j) => j !== i))}
              >
                删除
              </Button>
            ),
          },
        ]}
      />
      <Button
        style={{ marginTop: 8 }}
        disabled={!editable || materials.length >= 100}
        data-testid="material-add"
        onClick={() => onChange([...materials, newMaterial(materials)])}
      >
        添加材料
      </Button>
    </div>
  );
}
