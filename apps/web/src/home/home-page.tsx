import type { HomeKind } from '@govflow/shared';
import { Col, Row, Space, Typography } from 'antd';
import { useMe } from '../shared/auth-context';
import { HomeTitle } from '../shared/home-title';
import { homeCardsFor } from './home-cards';

/** A home page: the account's own work first, as the cards its permissions open. */
export function HomePage({ kind }: { kind: HomeKind }) {
  const me = useMe();
  const cards = homeCardsFor(me, kind);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <HomeTitle kind={kind} />
        <Typography.Text type="secondary">{greeting(me.displayName)}</Typography.Text>
      </div>
      <Row gutter={[16, 16]}>
        {cards.map(({ key, width, Component }) => (
          <Col key={key} xs={24} xl={width === 'full' ? 24 : 12} data-testid={`home-card-${key}`}>
            <Component />
          </Col>
        ))}
      </Row>
    </Space>
  );
}

/** 上午好 / 下午好 … by the hour in Beijing, whatever the browser's zone. */
function greeting(name: string): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(),
    ),
  );
  const part = hour < 6 ? '夜深了' : hour < 12 ? '上午好' : hour < 18 ? '下午好' : '晚上好';
  return `${name}，${part}。`;
}
