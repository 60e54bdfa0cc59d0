/** Catalogue items the tests (server and e2e) create through the API. */

/**
 * 执业药师首次注册 as 沈阳市市场监督管理局 would first enter it; `name` and `handlingItem` make
 * further items of the same basic code (each handling item is one implementation).
 */
export function pharmacistItem(
  orgId: string,
  { name = '执业药师首次注册', handlingItem }: { name?: string; handlingItem?: string } = {},
) {
  return {
    orgId,
    basicCode: '0100318000',
    ...(handlingItem ? { handlingItem } : {}),
    legal: {
      name,
      type: 'licensing',
      legalBasis: '《执业药师注册管理办法》第八条',
      exerciseLevel: 'city',
      implementingBody: '沈阳市市场监督管理局',
      bodyNature: 'statutory',
      audience: ['natural-person'],
      statutoryLimit: { days: 20, unit: 'working' },
      resultName: '执业药师注册证',
      hasFee: false,
    },
    service: {
      promisedLimit: { days: 10, unit: 'working' },
      caseType: 'promised',
      channels: ['online', 'window'],
      visitsRequired: 0,
      scenarios: [{ key: 'first', name: '首次注册' }],
      materials: [
        {
          key: 'id-card',
          name: '居民身份证',
          form: 'electronic',
          source: 'government',
          reuseClass: 'while-valid',
        },
        {
          key: 'certificate',
          name: '执业药师职业资格证书',
          form: 'electronic',
          source: 'government',
          scenarioKey: 'first',
          reuseClass: 'while-valid',
          verifyingDepartment: '沈阳市人力资源和社会保障局',
        },
      ],
      conditions: [
        { key: 'exam', text: '取得执业药师职业资格证书', rule: 'exam.pharmacist.passed' },
        { key: 'alive', text: '申请人身份真实有效', rule: 'person.alive' },
      ],
      themes: ['医疗'],
      keywords: ['药师注册'],
    },
  };
}
