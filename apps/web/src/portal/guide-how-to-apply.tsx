import { Alert, Card, Descriptions, Tag } from 'antd';
import type { GuideHowToApply } from './portal-api';

/**
 * 如何办理: online (honestly: GovFlow takes no applications online yet, so an item put online says
 * the service is coming) and at which window, with its hours and phones, from the item's data.
 */
export function HowToApply({ how, narrow }: { how: GuideHowToApply; narrow: boolean }) {
  const place = how.window ? '办理' : '咨询';
  const online =
    how.online === 'coming' ? (
      <>
        <Tag color="blue">即将开通</Tag>
        本平台暂未开放网上申请{how.window ? '，开通前请到下列窗口办理。' : '。'}
      </>
    ) : (
      '本事项不提供网上办理。'
    );
  const window = how.window ? (
    <>
      <Tag color="green">可办理</Tag>
      {how.appointment ? '可到窗口办理，也可提前预约。' : '请携带申请材料到窗口办理。'}
    </>
  ) : (
    '本事项不设窗口受理。'
  );
  const items = [
    { key: 'online', label: '网上办理', children: online },
    { key: 'window', label: '窗口办理', children: window },
    { key: 'department', label: '办理部门', children: how.department },
    { key: 'location', label: `${place}地点`, children: how.location || '请致电咨询' },
    { key: 'hours', label: `${place}时间`, children: how.officeHours || '请致电咨询' },
    { key: 'enquiry', label: '咨询电话', children: how.enquiryPhone || '—' },
    { key: 'supervision', label: '监督投诉电话', children: how.supervisionPhone || '—' },
    {
      key: 'visits',
      label: '到现场次数',
      children: how.visitsRequired === 0 ? '无需到现场' : `${how.visitsRequired} 次`,
    },
    ...(how.courier ? [{ key: 'courier', label: '结果送达', children: '可邮寄送达' }] : []),
  ];
  return (
    <Card title="如何办理" data-testid="guide-how-to-apply">
      {!how.window && how.online === 'coming' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="本事项全程网上办理，网上申请即将开通"
          description="开通前如需了解办理要求，请按下列地点、时间或电话咨询。"
        />
      )}
      <Descriptions
        bordered
        size="small"
        column={1}
        layout={narrow ? 'vertical' : 'horizontal'}
        styles={{ label: { width: narrow ? undefined : 140, whiteSpace: 'nowrap' } }}
        items={items}
      />
    </Card>
  );
}
