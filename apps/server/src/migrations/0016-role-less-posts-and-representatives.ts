import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * A role-less post is held once per account and org: the unique (user, org, role) constraint does
 * not apply when the role is NULL, so a partial unique index does. Duplicates written before it
 * are dropped, keeping the oldest (a role-less post grants nothing, and no table references posts).
 *
 * A company's legal representative is shown in full to the company's district only when the
 * person was registered together with the company (`rep_registered_with_company`): naming a
 * person who already exists must not reveal them to whoever typed the credit code. Companies
 * registered before this column existed widen nobody's view.
 */
export const roleLessPostsAndRepresentatives: MigrationDefinition = {
  name: '0016-role-less-posts-and-representatives',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db
          .deleteFrom('posts')
          .where('role_id', 'is', null)
          .where(
            'id',
            'not in',
            db
              .selectFrom('posts')
              .select(sql<string>`min(id)`.as('id'))
              .where('role_id', 'is', null)
              .groupBy(['user_id', 'org_id']),
          )
          .execute();
        await db.schema
          .createIndex('posts_role_less_unique')
          .on('posts')
          .columns(['user_id', 'org_id'])
          .unique()
          .where(sql.ref('role_id'), 'is', null)
          .execute();
        await db.schema
          .alterTable('legal_persons')
          .addColumn('rep_registered_with_company', t.flag, (c) => c.notNull().defaultTo(0))
          .execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
