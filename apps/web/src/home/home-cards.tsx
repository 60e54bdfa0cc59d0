import type { HomeKind, Permission } from '@govflow/shared';
import type { ComponentType } from 'react';
import { AccountsAttentionCard } from '../admin/accounts-attention-card';
import { AuditStateCard } from '../admin/audit-state-card';
import { DatahubDecisionsCard } from '../datahub/decisions-card';
import { HotItemsCard } from '../portal/hot-items-card';
import { PortalSearchCard } from '../portal/portal-search-card';
import { AccountSummaryCard } from '../shared/account-summary-card';
import type { Me } from '../shared/api-types';
import { ReviewQueueCard } from '../workbench/catalog/review-queue-card';
import { ShortcutsCard } from '../workbench/shortcuts-card';
import { WindowCard } from '../workbench/window-card';

/**
 * One card of a home page. A home shows, in this list's order, every card declared for its kind
 * whose permission the account holds: a new queue (cases to do, …) is one more entry here.
 */
export interface HomeCard {
  /** Stable name; the card's wrapper carries `data-testid="home-card-<key>"`. */
  key: string;
  homes: readonly HomeKind[];
  /** Shown only to an account holding at least one of these; absent: to every account of those homes. */
  anyPermission?: readonly Permission[];
  /** A further condition on the account, for what a permission alone does not say. */
  when?: (me: Me) => boolean;
  /** Half the row on wide screens, or the whole row. */
  width: 'half' | 'full';
  Component: ComponentType;
}

export const HOME_CARDS: readonly HomeCard[] = [
  { key: 'portal-search', homes: ['citizen'], width: 'full', Component: PortalSearchCard },
  {
    key: 'review-queue',
    homes: ['staff'],
    anyPermission: ['catalog:review'],
    width: 'full',
    Component: ReviewQueueCard,
  },
  {
    key: 'datahub-decisions',
    homes: ['staff'],
    anyPermission: ['datahub:approve'],
    width: 'full',
    Component: DatahubDecisionsCard,
  },
  { key: 'audit', homes: ['admin'], anyPermission: ['audit:read'], width: 'full', Component: AuditStateCard },
  {
    key: 'accounts',
    homes: ['admin'],
    anyPermission: ['user:write', 'role:write', 'account:unlock'],
    width: 'full',
    Component: AccountsAttentionCard,
  },
  {
    key: 'window',
    homes: ['staff'],
    anyPermission: ['datahub:proof-query'],
    // Only someone who sits at a window: the ID card reader is at the window.
    when: (me) => me.posts.some((post) => post.orgKind === 'window' && post.roleCode),
    width: 'half',
    Component: WindowCard,
  },
  { key: 'hot-items', homes: ['citizen'], width: 'half', Component: HotItemsCard },
  { key: 'account', homes: ['citizen', 'staff', 'admin'], width: 'half', Component: AccountSummaryCard },
  { key: 'shortcuts', homes: ['staff', 'admin'], width: 'half', Component: ShortcutsCard },
];

/** The cards of this account's home, in order. */
export function homeCardsFor(me: Me, kind: HomeKind = me.homeKind): HomeCard[] {
  return HOME_CARDS.filter(
    (card) =>
      card.homes.includes(kind) &&
      (!card.anyPermission || card.anyPermission.some((p) => me.permissions.includes(p))) &&
      (!card.when || card.when(me)),
  );
}
