import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Card, Result, Space, Spin, Table, Typography, Upload } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../shared/api-client';
import { QueryError } from '../../shared/query-error';
import type { ImportRejectedRow, ImportReport } from './catalog-types';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The server's own limit for the request body; checked here first for a clearer message. */
const MAX_BYTES = 10 * 1024 * 1024;

/** `/workbench/catalog/import`: upload an implementation-list workbook (事项实施清单) and see what was rejected. */
export function CatalogImportPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [fileName, setFileName] = useState<string>();

  const upload = useMutation({
    mutationFn: (file: File) => api.postFile<ImportReport>('/catalog/import', file, XLSX_MIME),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['catalog'] }),
  });

  function choose(file: File) {
    if (!file.name.toLowerCase().endsWith('.xlsx')) {
      message.error('请选择 .xlsx 格式的工作簿文件');
      return Upload.LIST_IGNORE;
    }
    if (file.size > MAX_BYTES) {
      message.error(`文件过大（${(file.size / 1024 / 1024).toFixed(1)} MB），不能超过 10 MB`);
      return Upload.LIST_IGNORE;
    }
    setFileName(file.name);
    upload.mutate(file);
    // The request is ours (raw bytes, not multipart): antd's own upload never runs.
    return Upload.LIST_IGNORE;
  }

  const report = upload.data;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Breadcrumb
        items={[{ title: <Link to="/workbench/catalog">事项库</Link> }, { title: '导入实施清单' }]}
      />
      <Card title="导入实施清单">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            上传按导出模板填写的 .xlsx
            工作簿（“事项”表及情形、材料、条件、收费、常见问题表），每个事项导入为草稿；
            有误的行不导入，并在下方列出原因。可先在事项库中 <a href="/api/v1/catalog/export.xlsx">导出</a>{' '}
            现有事项作为模板。导入的事项须提交审核，由未参与导入和编辑的审核人员发布（四眼原则）。
          </Typography.Paragraph>
          <div data-testid="import-upload">
            <Upload.Dragger
              accept=".xlsx"
              multiple={false}
              showUploadList={false}
              disabled={upload.isPending}
              beforeUpload={choose}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或拖拽 .xlsx 文件到此处上传</p>
              <p className="ant-upload-hint">单个文件，不超过 10 MB</p>
            </Upload.Dragger>
          </div>
        </Space>
      </Card>
      {upload.isPending && (
        <Card>
          <Spin /> 正在导入 {fileName}……
        </Card>
      )}
      {upload.error && <QueryError error={upload.error} />}
      {report && !upload.isPending && (
        <Card title={`导入结果${fileName ? `：${fileName}` : ''}`} data-testid="import-result">
          <Result
            status={report.rejectedCount === 0 ? 'success' : report.imported > 0 ? 'warning' : 'error'}
            title={`导入 ${report.imported} 项`}
            subTitle={
              [
                report.total !== undefined && `工作簿中共 ${report.total} 个事项`,
                report.rejectedCount > 0 && `${report.rejectedCount} 行未导入`,
              ]
                .filter(Boolean)
                .join('，') || undefined
            }
            style={{ padding: 16 }}
          />
          {report.rejectedCount > 0 && (
            <>
              <Alert
                type="warning"
                showIcon
                title={
                  report.rejectedCount > report.rejected.length
                    ? `以下为未导入的前 ${report.rejected.length} 行（共 ${report.rejectedCount} 行），请修改后重新上传`
                    : '以下行未导入，请修改后重新上传'
                }
                style={{ marginBottom: 16 }}
              />
              <Table<ImportRejectedRow>
                rowKey={(r) => `${r.sheet}/${r.row}/${r.reason}`}
                size="small"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={report.rejected}
                onRow={() => ({ 'data-testid': 'import-rejected-row' }) as HTMLAttributes<HTMLElement>}
                columns={[
                  { title: '工作表', dataIndex: 'sheet' },
                  { title: '行号', dataIndex: 'row' },
                  {
                    title: '基本编码',
                    dataIndex: 'basicCode',
                    render: (code: string) => (code ? <Typography.Text code>{code}</Typography.Text> : '—'),
                  },
                  { title: '原因', dataIndex: 'reason' },
                ]}
              />
            </>
          )}
        </Card>
      )}
    </Space>
  );
}
