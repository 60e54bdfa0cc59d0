import { Button, Result } from 'antd';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** Shown instead of a blank page when rendering a route throws. */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Result
      status="error"
      title="页面出错了"
      subTitle={detail}
      extra={
        <Button type="primary" onClick={() => window.location.assign('/')}>
          返回首页
        </Button>
      }
    />
  );
}
