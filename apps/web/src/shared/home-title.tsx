import type { HomeKind } from '@govflow/shared';
import { Typography } from 'antd';
import { HOMES } from './home-kind';

export function HomeTitle({ kind }: { kind: HomeKind }) {
  return (
    <Typography.Title level={3} data-testid="home-title">
      {HOMES[kind].title}
    </Typography.Title>
  );
}
