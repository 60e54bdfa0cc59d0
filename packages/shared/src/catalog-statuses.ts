/** Chinese names of the catalogue's item and version states, for messages and pages alike. */
export const ITEM_STATUS_NAMES = {
  draft: '草稿',
  published: '已发布',
  suspended: '已暂停',
  cancelled: '已取消',
} as const;

export const VERSION_STATUS_NAMES = {
  draft: '草稿',
  'in-review': '审核中',
  published: '已发布',
  superseded: '已替代',
} as const;
