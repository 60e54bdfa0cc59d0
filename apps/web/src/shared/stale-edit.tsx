import { Alert } from 'antd';
import { ApiError } from './api-client';

/**
 * The server refused an edit because the org or role changed since the form was opened (409
 * CONFLICT on `expectedVersion`): the dialog reloads the record and says so.
 */
export function isStaleEdit(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 409 && error.code === 'CONFLICT';
}

/** Shown in a dialog whose form was just reloaded after a stale edit: who changed what, and what now. */
export function StaleEditNotice({ error, version }: { error: ApiError; version: number }) {
  return (
    <Alert
      type="warning"
      showIcon
      title={error.message}
      description={`表单已换成最新内容（第 ${version} 版），您刚才的修改没有保存：请核对后重新修改并保存。`}
      style={{ marginBottom: 16 }}
      data-testid="stale-edit"
    />
  );
}
