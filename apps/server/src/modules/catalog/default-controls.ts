import {
  type ControlSettings,
  controlSettingsSchema,
  ITEM_TYPES,
  type ItemType,
  type LegalFields,
  type ServiceFields,
} from '@govflow/shared';

/**
 * The control settings an item starts with until the service administration tunes them: the
 * general internal flow of REQUIREMENTS §3 (accept → handle → review → approve → complete), or
 * accept → complete for an item done on the spot, with time limits taken from the item.
 */
export function defaultControlSettings(legal: LegalFields, service: ServiceFields): ControlSettings {
  const immediate = service.caseType === 'immediate';
  const nodes = immediate
    ? [
        { key: 'accept', name: '受理' },
        { key: 'complete', name: '办结' },
      ]
    : [
        { key: 'accept', name: '受理' },
        { key: 'handle', name: '承办' },
        { key: 'review', name: '审核' },
        { key: 'approve', name: '批准' },
        { key: 'complete', name: '办结' },
      ];
  return controlSettingsSchema.parse({
    category: { category: ITEM_TYPES[legal.type as ItemType].zh, template: '' },
    content: {
      summary: service.description,
      cycle: '',
      handlingMode: service.channels.includes('online') ? 'both' : 'window',
    },
    process: {
      nodes,
      decisions:
        legal.type === 'licensing'
          ? ['grant', 'refuse', 'withdrawn']
          : ['complete', 'not-complete', 'withdrawn'],
    },
    nodePermissions: [],
    materials: { blockingNodeKey: 'accept', licenceLibraryFirst: true },
    conditions: {},
    rules: {},
    timeLimits: { overall: service.promisedLimit, warningAtPercent: 80, alarmAtPercent: 100 },
    dataComparison: [],
    patrol: {
      enabled: legal.type === 'benefit',
      targets: legal.type === 'benefit' ? ['conditions', 'rules'] : [],
      everyDays: 30,
    },
    publicity: {
      publicityDays: legal.type === 'reward' ? 5 : 0,
      ratingEnabled: true,
      publishResult: legal.type === 'penalty',
    },
    supervisionNodes: [],
    violationWarnings: [],
    problemControl: {},
  });
}
